//! Exec requests (`ssh host COMMAND`): a clap command tree bound to the channel's stdin,
//! stdout and stderr, with a real exit status. Commands are thin calls into the services.
//!
//! One file per command family owns its clap subcommand, the roles allowed to run it (a
//! [`Family`], checked here once before its handler), its help texts (catalog keys) and
//! its handler; [`common`] holds what they share, [`help`] turns the tree into help in the
//! user's language, [`channel`] is the SSH side. This file only ties them together.

mod account;
mod avatar;
mod channel;
mod class;
mod common;
mod course;
mod demo;
mod demo_live;
mod export;
mod help;
mod import;
mod lesson;
mod message;
mod org;
mod progress;
mod quiz;
mod resource;
mod security;
mod server;
mod student;

use std::sync::LazyLock;
use std::time::Instant;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use portail::i18n::{Key, Lang, t, tf};
use portail::{Actor, Error, Portail, Role, sanitize};
use russh::server::Msg;
use russh::{ChannelReadHalf, ChannelWriteHalf};

pub use common::{MAX_STDIN, Output, Stdin};

use common::{Ctx, Fail, Family};

#[derive(Debug, Parser)]
#[command(
    name = "portail",
    no_binary_name = true,
    disable_help_subcommand = true,
    disable_version_flag = true
)]
struct ExecCli {
    #[command(subcommand)]
    command: ExecCmd,
}

/// Declares the tree, once: each top-level command, its arguments (owned by its family's
/// file), its [`Family`] and the handler that runs it. This gives the `ExecCmd` enum,
/// `FAMILIES` (every family, in the tree's order) and `dispatch` (each command to its
/// family's handler).
macro_rules! exec_commands {
    (|$ctx:ident, $stdin:ident| $(
        $(#[$m:meta])* $v:ident $(($a:ident: $t:ty))? @ $fam:path => $run:expr
    ),* $(,)?) => {
        /// The tree: one variant per top-level command.
        #[derive(Debug, Subcommand)]
        enum ExecCmd {
            $($(#[$m])* $v $(($t))?,)*
        }

        const FAMILIES: &[&Family] = &[$(&$fam),*];

        async fn dispatch(
            $ctx: &Ctx<'_>,
            cmd: ExecCmd,
            $stdin: &mut impl Stdin,
        ) -> Result<Output, Fail> {
            let text = match cmd {
                $(ExecCmd::$v $(($a))? => $run,)*
            };
            text.map(Output::ok)
        }
    };
}

exec_commands! { |ctx, stdin|
    Help @ help::FAMILY => Ok(help_text(ctx.lang, ctx.actor.role)),
    Whoami(args: account::WhoamiArgs) @ account::WHOAMI => ctx.whoami(args).await,
    Passwd(args: account::PasswdArgs) @ account::PASSWD => ctx.passwd(args, stdin).await,
    #[command(subcommand)] Account(cmd: account::AccountCmd) @ account::ACCOUNT => ctx.account(cmd).await,
    Courses(args: progress::CoursesArgs) @ progress::COURSES => ctx.my_courses(args).await,
    Progress(args: progress::ProgressArgs) @ progress::PROGRESS => ctx.progress(args).await,
    Activity(args: progress::ActivityArgs) @ progress::ACTIVITY => ctx.activity(args).await,
    #[command(subcommand)] Security(cmd: security::SecurityCmd) @ security::FAMILY => ctx.security(cmd).await,
    Import(args: import::ImportArgs) @ import::FAMILY => return ctx.import(args, stdin).await,
    Export(args: export::ExportArgs) @ export::FAMILY => ctx.export(args).await,
    #[command(subcommand)] Message(cmd: message::MessageCmd) @ message::FAMILY => ctx.message(cmd, stdin).await,
    #[command(subcommand)] Avatar(cmd: avatar::AvatarCmd) @ avatar::FAMILY => ctx.avatar(cmd, stdin).await,
    #[command(subcommand)] Org(cmd: org::OrgCmd) @ org::FAMILY => ctx.org(cmd, stdin).await,
    #[command(subcommand)] Class(cmd: class::ClassCmd) @ class::FAMILY => ctx.class(cmd).await,
    #[command(subcommand)] Student(cmd: student::StudentCmd) @ student::FAMILY => ctx.student(cmd).await,
    #[command(subcommand)] Course(cmd: course::CourseCmd) @ course::FAMILY => ctx.course(cmd).await,
    #[command(subcommand)] Lesson(cmd: lesson::LessonCmd) @ lesson::FAMILY => ctx.lesson(cmd, stdin).await,
    #[command(subcommand)] Resource(cmd: resource::ResourceCmd) @ resource::FAMILY => ctx.resource(cmd, stdin).await,
    #[command(subcommand)] Quiz(cmd: quiz::QuizCmd) @ quiz::FAMILY => ctx.quiz(cmd, stdin).await,
    #[command(subcommand)] Demo(cmd: demo::DemoCmd) @ demo::FAMILY => ctx.demo(cmd, stdin).await,
    Demos(args: demo::MyDemosArgs) @ demo::MINE => ctx.my_demos(args).await,
    #[command(subcommand)] Server(cmd: server::ServerCmd) @ server::FAMILY => ctx.server(cmd),
}

/// The exec command tree, for tests that must cover every command (a new command is
/// then a failing test until it is covered). Its texts are catalog key names: people get
/// [`localized_tree`].
pub fn command_tree() -> clap::Command {
    ExecCli::command()
}

/// The tree with every text in `lang` (built once per language).
pub fn localized_tree(lang: Lang) -> clap::Command {
    static TREES: LazyLock<Vec<(Lang, clap::Command)>> = LazyLock::new(|| {
        Lang::ALL
            .iter()
            .map(|&l| (l, help::localize(command_tree(), l, FAMILIES)))
            .collect()
    });
    TREES
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, c)| c.clone())
        .unwrap_or_else(|| help::localize(command_tree(), lang, FAMILIES))
}

fn help_text(lang: Lang, role: Role) -> String {
    help::help_text(lang, role, &command_tree(), FAMILIES)
}

/// The family a command line names, for the log: a known name or `-` (never a word the
/// user typed, which could be anything, a password included).
fn family_of(line: &str) -> &'static str {
    let first = line.split_whitespace().next().unwrap_or("");
    FAMILIES
        .iter()
        .find(|f| f.name == first)
        .map_or("-", |f| f.name)
}

/// Runs one exec request on the channel and closes it with the command's status.
pub(crate) async fn run(
    mut reader: ChannelReadHalf,
    writer: ChannelWriteHalf<Msg>,
    portail: &Portail,
    actor: &Actor,
    lang: Lang,
    command: &[u8],
    pty: bool,
) {
    let started = Instant::now();
    let line = String::from_utf8_lossy(command);
    let mut events = portail.bus().subscribe();
    let out = {
        let mut stdin = channel::ChannelStdin(&mut reader);
        let work = execute(portail, actor, lang, &line, &mut stdin);
        tokio::pin!(work);
        tokio::select! {
            out = &mut work => out,
            () = channel::shutting_down(&mut events) => {
                // A command about to finish finishes; else it is dropped, which rolls its
                // transaction back, and the client gets a notice and a status.
                match tokio::time::timeout(SHUTDOWN_GRACE, &mut work).await {
                    Ok(out) => out,
                    Err(_) => Output::fail(
                        EXIT_SHUTDOWN,
                        format!("{}\n", t(lang, Key::ExecInterruptedByShutdown)),
                    ),
                }
            }
        }
    };
    // One line per command, never its arguments (passwords, codes).
    tracing::info!(
        user = actor.user_id,
        command = family_of(&line),
        status = out.status,
        ms = started.elapsed().as_millis() as u64,
        "exec"
    );
    // Stop reading before writing the result: russh must never block on unread input.
    drop(reader);
    channel::finish(writer, out, pty).await;
}

/// How long a running command may still take once the server is stopping (the server
/// waits a little longer than this for sessions to end).
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);
/// Exit status of a command interrupted by the server stopping (EX_TEMPFAIL: try again).
pub const EXIT_SHUTDOWN: u32 = 75;

/// `ssh -T host` without a command: there is no screen to draw on.
pub(crate) async fn shell_without_pty(writer: ChannelWriteHalf<Msg>, lang: Lang, role: Role) {
    let mut stderr = format!("{}\n\n", t(lang, Key::ExecNeedsPty));
    stderr.push_str(&help_text(lang, role));
    channel::finish(writer, Output::fail(1, stderr), false).await;
}

/// Parses and runs a command line for `actor`. Pure of SSH: tests call it directly too.
pub async fn execute(
    portail: &Portail,
    actor: &Actor,
    lang: Lang,
    line: &str,
    stdin: &mut impl Stdin,
) -> Output {
    let words = match shell_words::split(line) {
        Ok(w) => w,
        Err(e) => {
            return Output::fail(
                2,
                format!("{}\n", tf(lang, Key::ExecBadArgs, &[&e.to_string()])),
            );
        }
    };
    if words.is_empty() {
        return Output::ok(help_text(lang, actor.role));
    }
    let parsed = localized_tree(lang)
        .try_get_matches_from(&words)
        .and_then(|m| Ok((ExecCli::from_arg_matches(&m)?, m)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            use clap::error::ErrorKind;
            let msg = match e.kind() {
                ErrorKind::InvalidSubcommand => {
                    // Name the words up to the unknown one: "course frob", not "course".
                    let bad = e
                        .get(clap::error::ContextKind::InvalidSubcommand)
                        .map(|v| v.to_string());
                    let upto = bad
                        .and_then(|b| words.iter().position(|w| *w == b))
                        .unwrap_or(0);
                    let shown = words[..=upto].join(" ");
                    tf(lang, Key::ExecUnknownCommand, &[&sanitize::line(&shown)])
                }
                ErrorKind::DisplayHelp if words.len() <= 1 => {
                    return Output::ok(help_text(lang, actor.role));
                }
                ErrorKind::DisplayHelp => return Output::ok(e.render().to_string()),
                _ => help::usage_error(lang, &e),
            };
            return Output::fail(2, format!("{msg}\n"));
        }
    };
    let ctx = Ctx {
        portail,
        actor,
        lang,
    };
    let name = matches.subcommand_name().unwrap_or_default();
    let allowed = FAMILIES
        .iter()
        .any(|f| f.name == name && f.line(actor.role).is_some());
    let result = if !allowed {
        Err(Fail::Core(if actor.must_change_password {
            Error::PasswordChangeRequired
        } else {
            Error::Forbidden
        }))
    } else {
        dispatch(&ctx, cli.command, stdin).await
    };
    match result {
        Ok(out) => out,
        Err(Fail::Core(e)) => Output::fail(1, format!("{}\n", e.user_message(lang))),
        Err(Fail::Message(m)) => Output::fail(1, format!("{m}\n")),
    }
}

#[cfg(test)]
mod tests;
