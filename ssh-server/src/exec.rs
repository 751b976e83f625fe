//! Exec requests (`ssh host COMMAND`): a clap command tree bound to the channel's stdin,
//! stdout and stderr, with a real exit status. Commands are thin calls into the services.

use clap::{Parser, Subcommand};
use portail::i18n::{Key, Lang, t, tf};
use portail::{Actor, Error, Portail, Role, sanitize};
use russh::server::Msg;
use russh::{ChannelMsg, ChannelReadHalf, ChannelWriteHalf};

use crate::exec_admin::{
    AvatarCmd, ClassCmd, CourseCmd, Ctx, Fail, LessonCmd, MessageCmd, OrgCmd, ResourceCmd,
    SecurityCmd, StudentCmd,
};
use crate::exec_quiz::QuizCmd;
use crate::session::SessionCtx;

/// Most bytes read from stdin by a command that reads it.
pub const MAX_STDIN: usize = 64 * 1024;

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

#[derive(Debug, Subcommand)]
enum ExecCmd {
    /// List the commands available to you.
    Help,
    /// Show your account.
    Whoami {
        #[arg(long)]
        json: bool,
    },
    /// Change your password, read from stdin.
    Passwd {
        #[arg(long, required = true)]
        stdin: bool,
    },
    /// (Student) your courses with progress.
    Courses {
        #[arg(long)]
        json: bool,
    },
    /// Progress: your own (student) or your students' (trainer).
    Progress {
        #[arg(long)]
        course: Option<String>,
        #[arg(long)]
        class: Option<String>,
        #[arg(long)]
        student: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// (Trainer) the activity log.
    Activity {
        #[arg(long)]
        student: Option<String>,
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// (Trainer) the security log: failed and refused logins.
    Security {
        #[command(subcommand)]
        command: SecurityCmd,
    },
    /// (Trainer) bulk import from stdin (CSV or JSON).
    Import {
        #[arg(value_enum)]
        what: ImportWhat,
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        class: Option<String>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Print the new students' codes as CSV on stdout (the report goes to stderr).
        #[arg(long)]
        codes_csv: bool,
    },
    /// (Trainer) export to stdout.
    Export {
        #[arg(value_enum)]
        what: ExportWhat,
        /// The quiz, for `export quiz-results QUIZ`.
        quiz: Option<String>,
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        class: Option<String>,
        #[arg(long)]
        course: Option<String>,
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        #[arg(long)]
        excel: bool,
    },
    /// Messages with the trainer / your students.
    Message {
        #[command(subcommand)]
        command: MessageCmd,
    },
    /// Your profile photo.
    Avatar {
        #[command(subcommand)]
        command: AvatarCmd,
    },
    /// Organisations (trainer).
    Org {
        #[command(subcommand)]
        command: OrgCmd,
    },
    /// Classes (trainer).
    Class {
        #[command(subcommand)]
        command: ClassCmd,
    },
    /// Students (trainer).
    Student {
        #[command(subcommand)]
        command: StudentCmd,
    },
    /// Courses (trainer).
    Course {
        #[command(subcommand)]
        command: CourseCmd,
    },
    /// Lessons (trainer).
    Lesson {
        #[command(subcommand)]
        command: LessonCmd,
    },
    /// Resources (trainer).
    Resource {
        #[command(subcommand)]
        command: ResourceCmd,
    },
    /// Quizzes and exams.
    Quiz {
        #[command(subcommand)]
        command: QuizCmd,
    },
    /// The server itself (trainer).
    Server {
        #[command(subcommand)]
        command: ServerCmd,
    },
}

#[derive(Debug, Subcommand)]
enum ServerCmd {
    /// Keystroke→frame latency of the full-screen sessions, frames written, memory.
    Stats {
        #[arg(long)]
        json: bool,
        /// Start the measurements afresh (after printing them).
        #[arg(long)]
        reset: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ImportWhat {
    Students,
    Orgs,
    Classes,
    All,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportWhat {
    Students,
    Orgs,
    Classes,
    Participants,
    Progress,
    QuizResults,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Csv,
    Json,
}

/// The exec command tree, for tests that must cover every command (a new command is
/// then a failing test until it is covered).
pub fn command_tree() -> clap::Command {
    <ExecCli as clap::CommandFactory>::command()
}

/// Who may run what, for `help` and for the gate.
struct CommandInfo {
    usage: &'static str,
    help: Key,
    roles: &'static [Role],
}

const ALL: &[Role] = &[Role::Trainer, Role::Student];
const TRAINER: &[Role] = &[Role::Trainer];
const STUDENT: &[Role] = &[Role::Student];

const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        usage: "help",
        help: Key::ExecHelpHelp,
        roles: ALL,
    },
    CommandInfo {
        usage: "whoami [--json]",
        help: Key::ExecHelpWhoami,
        roles: ALL,
    },
    CommandInfo {
        usage: "passwd --stdin",
        help: Key::ExecHelpPasswd,
        roles: ALL,
    },
    CommandInfo {
        usage: "courses [--json]",
        help: Key::ExecHelpCourses,
        roles: STUDENT,
    },
    CommandInfo {
        usage: "course show …",
        help: Key::ExecHelpCourseShowStudent,
        roles: STUDENT,
    },
    CommandInfo {
        usage: "lesson done …",
        help: Key::ExecHelpLessonDone,
        roles: STUDENT,
    },
    CommandInfo {
        usage: "progress [--json]",
        help: Key::ExecHelpProgressStudent,
        roles: STUDENT,
    },
    CommandInfo {
        usage: "progress …",
        help: Key::ExecHelpProgressTrainer,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "activity …",
        help: Key::ExecHelpActivity,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "security log …",
        help: Key::ExecHelpSecurity,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "message …",
        help: Key::ExecHelpMessage,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "message …",
        help: Key::ExecHelpMessageStudent,
        roles: STUDENT,
    },
    CommandInfo {
        usage: "avatar set|link",
        help: Key::ExecHelpAvatar,
        roles: ALL,
    },
    CommandInfo {
        usage: "import …",
        help: Key::ExecHelpImport,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "export …",
        help: Key::ExecHelpExport,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "quiz …",
        help: Key::ExecHelpQuizTrainer,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "quiz list|results",
        help: Key::ExecHelpQuizStudent,
        roles: STUDENT,
    },
    CommandInfo {
        usage: "org …",
        help: Key::ExecHelpOrg,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "class …",
        help: Key::ExecHelpClass,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "student …",
        help: Key::ExecHelpStudent,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "course …",
        help: Key::ExecHelpCourse,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "lesson …",
        help: Key::ExecHelpLesson,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "resource …",
        help: Key::ExecHelpResource,
        roles: TRAINER,
    },
    CommandInfo {
        usage: "server stats [--json]",
        help: Key::ExecHelpServer,
        roles: TRAINER,
    },
];

/// What a command produced.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub status: u32,
    /// Large outputs (an import's report) are spooled to a file: sent after `stdout`.
    pub stdout_file: Option<std::fs::File>,
    /// Sent after `stderr`.
    pub stderr_file: Option<std::fs::File>,
}

impl Output {
    fn ok(stdout: String) -> Self {
        Output {
            stdout,
            ..Default::default()
        }
    }
    fn fail(status: u32, stderr: String) -> Self {
        Output {
            stderr,
            status,
            ..Default::default()
        }
    }
}

/// Source of a command's standard input.
pub trait Stdin {
    /// Reads everything until EOF; `None` when more than `limit` bytes arrive.
    fn read_all(&mut self, limit: usize) -> impl Future<Output = Option<Vec<u8>>> + Send;

    /// Copies everything until EOF into `file` (memory stays flat whatever the size);
    /// `Ok(None)` as soon as more than `limit` bytes arrive.
    fn spool(
        &mut self,
        limit: u64,
        file: std::fs::File,
    ) -> impl Future<Output = std::io::Result<Option<std::fs::File>>> + Send;
}

struct ChannelStdin<'a>(&'a mut ChannelReadHalf);

impl Stdin for ChannelStdin<'_> {
    async fn read_all(&mut self, limit: usize) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        loop {
            match self.0.wait().await {
                Some(ChannelMsg::Data { data }) => {
                    if buf.len() + data.len() > limit {
                        return None;
                    }
                    buf.extend_from_slice(&data);
                }
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => return Some(buf),
                Some(_) => {}
            }
        }
    }

    async fn spool(
        &mut self,
        limit: u64,
        file: std::fs::File,
    ) -> std::io::Result<Option<std::fs::File>> {
        use tokio::io::AsyncWriteExt;
        let mut out =
            tokio::io::BufWriter::with_capacity(256 * 1024, tokio::fs::File::from_std(file));
        let mut total = 0u64;
        loop {
            match self.0.wait().await {
                Some(ChannelMsg::Data { data }) => {
                    total += data.len() as u64;
                    if total > limit {
                        return Ok(None);
                    }
                    out.write_all(&data).await?;
                }
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => break,
                Some(_) => {}
            }
        }
        out.flush().await?;
        Ok(Some(out.into_inner().into_std().await))
    }
}

/// Runs one exec request on the channel and closes it with the command's status.
pub(crate) async fn run(
    mut reader: ChannelReadHalf,
    writer: ChannelWriteHalf<Msg>,
    ctx: &SessionCtx,
    command: &[u8],
    pty: bool,
) {
    let line = String::from_utf8_lossy(command);
    let lang = ctx.login.user.language;
    let mut events = ctx.portail.bus().subscribe();
    let out = {
        let mut stdin = ChannelStdin(&mut reader);
        let work = execute(&ctx.portail, &ctx.login.actor, lang, &line, &mut stdin);
        tokio::pin!(work);
        tokio::select! {
            out = &mut work => out,
            () = shutting_down(&mut events) => {
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
    // Stop reading before writing the result: russh must never block on unread input.
    drop(reader);
    finish(writer, out, pty).await;
}

/// How long a running command may still take once the server is stopping (the server
/// waits a little longer than this for sessions to end).
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);
/// Exit status of a command interrupted by the server stopping (EX_TEMPFAIL: try again).
pub const EXIT_SHUTDOWN: u32 = 75;

/// Resolves when the server announces it is stopping (never, if the bus closes first
/// without saying so).
async fn shutting_down(events: &mut tokio::sync::broadcast::Receiver<portail::events::Event>) {
    use tokio::sync::broadcast::error::RecvError;
    loop {
        match events.recv().await {
            Ok(portail::events::Event::ShuttingDown) => return,
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => std::future::pending::<()>().await,
        }
    }
}

/// `ssh -T host` without a command: there is no screen to draw on.
pub(crate) async fn shell_without_pty(writer: ChannelWriteHalf<Msg>, ctx: &SessionCtx) {
    let lang = ctx.login.user.language;
    let mut stderr = format!("{}\n\n", t(lang, Key::ExecNeedsPty));
    stderr.push_str(&help_text(lang, ctx.login.actor.role));
    finish(writer, Output::fail(1, stderr), false).await;
}

/// The one way an exec command's output reaches the client: every byte of stdout and
/// stderr, spooled files included, goes through a [`Terminal`], which cleans it with
/// [`sanitize::OutputStream`]. So no control or bidi character from stored data reaches a
/// terminal, whatever a command forgot: JSON is already escaped by `json_pretty`, text
/// already cleaned by `table`/`kv`; this is the floor under them. No exec command sends
/// binary; one that must (a file download) needs its own explicit path here.
async fn finish(writer: ChannelWriteHalf<Msg>, out: Output, pty: bool) {
    let mut stdout = Terminal::new(&writer, pty, false);
    stdout.send(out.stdout.as_bytes()).await;
    if let Some(file) = out.stdout_file {
        stdout.send_file(file).await;
    }
    stdout.end().await;
    let mut stderr = Terminal::new(&writer, pty, true);
    stderr.send(out.stderr.as_bytes()).await;
    if let Some(file) = out.stderr_file {
        stderr.send_file(file).await;
    }
    stderr.end().await;
    let _ = writer.exit_status(out.status).await;
    let _ = writer.eof().await;
    let _ = writer.close().await;
}

/// One output stream (stdout or stderr) of an exec channel, cleaned on its way out; with a
/// PTY, `\n` becomes `\r\n` after cleaning.
struct Terminal<'a> {
    writer: &'a ChannelWriteHalf<Msg>,
    pty: bool,
    stderr: bool,
    clean: sanitize::OutputStream,
    /// False once the client stopped listening: nothing more is sent.
    open: bool,
}

impl<'a> Terminal<'a> {
    fn new(writer: &'a ChannelWriteHalf<Msg>, pty: bool, stderr: bool) -> Self {
        Terminal {
            writer,
            pty,
            stderr,
            clean: sanitize::OutputStream::default(),
            open: true,
        }
    }

    async fn send(&mut self, bytes: &[u8]) {
        if !bytes.is_empty() {
            let text = self.clean.push(bytes);
            self.write(text).await;
        }
    }

    async fn end(&mut self) {
        let text = self.clean.finish();
        self.write(text).await;
    }

    async fn write(&mut self, text: String) {
        if text.is_empty() || !self.open {
            return;
        }
        let bytes = if self.pty {
            text.replace('\n', "\r\n")
        } else {
            text
        }
        .into_bytes();
        let sent = if self.stderr {
            self.writer.extended_data_bytes(1, bytes).await
        } else {
            self.writer.data_bytes(bytes).await
        };
        self.open = sent.is_ok();
    }

    /// Streams a spooled output piece by piece (the client's window applies backpressure;
    /// memory stays flat).
    async fn send_file(&mut self, file: std::fs::File) {
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        let mut file = tokio::fs::File::from_std(file);
        if file.seek(std::io::SeekFrom::Start(0)).await.is_err() {
            return;
        }
        let mut buf = vec![0u8; 32 * 1024];
        while self.open {
            match file.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => self.send(&buf[..n]).await,
            }
        }
    }
}

fn help_text(lang: Lang, role: Role) -> String {
    let mut s = format!("{}\n", t(lang, Key::ExecHelpHeader));
    for c in COMMANDS.iter().filter(|c| c.roles.contains(&role)) {
        s.push_str(&format!("  {:<22} {}\n", c.usage, t(lang, c.help)));
    }
    s.push_str(&format!(
        "\n{}\n{}\n",
        t(lang, Key::ExecHelpDetail),
        t(lang, Key::ExecHelpFooter)
    ));
    s
}

/// Clap's parse errors, said in the user's language.
fn usage_error(lang: Lang, e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let ctx = |k: ContextKind| {
        e.get(k)
            .map(|v| sanitize::line(&v.to_string()).into_owned())
            .unwrap_or_default()
    };
    let fr = lang == Lang::Fr;
    match e.kind() {
        ErrorKind::UnknownArgument => {
            let arg = ctx(ContextKind::InvalidArg);
            // A stray word (not an option) is most often the second half of a value whose
            // quotes the local shell removed: ssh sends the command as one line.
            let hint = !arg.starts_with('-');
            match (fr, hint) {
                (true, false) => format!("Option inconnue : « {arg} »."),
                (true, true) => format!(
                    "Argument en trop : « {arg} ». Une valeur avec des espaces doit être entre \
                     guillemets, et toute la commande entre apostrophes : \
                     ssh … 'org add --name \"Institut Alpha\"'"
                ),
                (false, false) => format!("Unknown option: \"{arg}\"."),
                (false, true) => format!(
                    "Unexpected argument: \"{arg}\". Put a value holding spaces in double \
                     quotes and the whole command in single quotes: \
                     ssh … 'org add --name \"Institut Alpha\"'"
                ),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let arg = ctx(ContextKind::InvalidArg);
            if fr {
                format!("Argument obligatoire manquant : {arg}.")
            } else {
                format!("Missing required argument: {arg}.")
            }
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            if fr {
                "Commande incomplète : ajoutez --help pour voir les choix.".to_string()
            } else {
                "Incomplete command: add --help to see the choices.".to_string()
            }
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let (arg, value) = (ctx(ContextKind::InvalidArg), ctx(ContextKind::InvalidValue));
            if fr {
                format!("Valeur invalide pour {arg} : « {value} ».")
            } else {
                format!("Invalid value for {arg}: \"{value}\".")
            }
        }
        _ => tf(
            lang,
            Key::ExecBadArgs,
            &[sanitize::line(&e.render().to_string()).trim()],
        ),
    }
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
    let cli = match ExecCli::try_parse_from(&words) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let msg = match e.kind() {
                ErrorKind::InvalidSubcommand => {
                    tf(lang, Key::ExecUnknownCommand, &[&sanitize::line(&words[0])])
                }
                ErrorKind::DisplayHelp if words.len() <= 1 => {
                    return Output::ok(help_text(lang, actor.role));
                }
                ErrorKind::DisplayHelp => return Output::ok(e.render().to_string()),
                _ => usage_error(lang, &e),
            };
            return Output::fail(2, format!("{msg}\n"));
        }
    };
    let ctx = Ctx {
        portail,
        actor,
        lang,
    };
    let result = match cli.command {
        ExecCmd::Help => Ok(help_text(lang, actor.role)),
        ExecCmd::Whoami { json } => whoami(portail, actor, lang, json).await.map_err(Fail::Core),
        ExecCmd::Passwd { .. } => passwd(portail, actor, lang, stdin)
            .await
            .map_err(Fail::Core),
        ExecCmd::Courses { json } => ctx.my_courses(json).await,
        ExecCmd::Progress {
            course,
            class,
            student,
            json,
        } => ctx.progress(course, class, student, json).await,
        ExecCmd::Activity {
            student,
            since,
            json,
        } => ctx.activity(student, since, json).await,
        ExecCmd::Security { command } => ctx.security(command).await,
        ExecCmd::Import {
            what,
            org,
            class,
            dry_run,
            format,
            codes_csv,
        } => {
            let args = crate::exec_admin::ImportArgs {
                org,
                class,
                dry_run,
                json: format.map(|f| f == FormatArg::Json),
                codes_csv,
            };
            match ctx.import(what, args, stdin).await {
                Ok(out) => return out,
                Err(e) => Err(e),
            }
        }
        ExecCmd::Export {
            what,
            quiz,
            org,
            class,
            course,
            format,
            excel,
        } => {
            ctx.export(
                what,
                crate::exec_admin::ExportRefs {
                    quiz,
                    org,
                    class,
                    course,
                },
                format == Some(FormatArg::Json),
                excel,
            )
            .await
        }
        ExecCmd::Avatar { command } => ctx.avatar(command, stdin).await,
        ExecCmd::Message { command } => ctx.message(command, stdin).await,
        ExecCmd::Org {
            command: OrgCmd::Logo { org },
        } => ctx.org_logo(&org, false, stdin).await,
        ExecCmd::Org {
            command: OrgCmd::LogoLink { org },
        } => ctx.org_logo(&org, true, stdin).await,
        ExecCmd::Org { command } => ctx.org(command).await,
        ExecCmd::Class { command } => ctx.class(command).await,
        ExecCmd::Student { command } => ctx.student(command).await,
        ExecCmd::Course { command } => ctx.course(command).await,
        ExecCmd::Lesson { command } => ctx.lesson(command, stdin).await,
        ExecCmd::Resource { command } => ctx.resource(command, stdin).await,
        ExecCmd::Quiz { command } => ctx.quiz(command, stdin).await,
        ExecCmd::Server {
            command: ServerCmd::Stats { json, reset },
        } => server_stats(actor, json, reset).map_err(Fail::Core),
    };
    match result {
        Ok(stdout) => Output::ok(stdout),
        Err(Fail::Core(e)) => Output::fail(1, format!("{}\n", e.user_message(lang))),
        Err(Fail::Message(m)) => Output::fail(1, format!("{m}\n")),
    }
}

async fn whoami(portail: &Portail, actor: &Actor, lang: Lang, json: bool) -> Result<String, Error> {
    let u = portail.whoami(actor).await?;
    if json {
        let v = serde_json::json!({
            "id": u.id,
            "email": u.email,
            "login": u.login,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "role": u.role,
            "language": u.language,
            "must_change_password": actor.must_change_password,
            "created_at": portail::present::iso(u.created_at),
            "last_login_at": u.last_login_at.map(portail::present::iso),
        });
        return crate::exec_admin::json_line(&v).map_err(|e| Error::Internal(e.to_string()));
    }
    let none = t(lang, Key::None_);
    let rows = [
        (
            Key::AccountName,
            sanitize::line(&u.display_name()).into_owned(),
        ),
        (Key::AccountEmail, sanitize::line(&u.email).into_owned()),
        (
            Key::AccountLogin,
            u.login
                .as_deref()
                .map(|l| sanitize::line(l).into_owned())
                .unwrap_or_else(|| none.into()),
        ),
        (
            Key::AccountRole,
            portail::present::label(lang, u.role).into(),
        ),
        (Key::AccountLanguage, u.language.native_name().into()),
    ];
    Ok(rows
        .iter()
        .map(|(k, v)| format!("{:<14}{v}\n", format!("{} :", t(lang, *k))))
        .collect())
}

/// `server stats [--json] [--reset]`: the session measurements of [`crate::stats`].
fn server_stats(actor: &Actor, json: bool, reset: bool) -> Result<String, Error> {
    portail::services::accounts::require_trainer(actor)?;
    let snapshot = crate::stats::snapshot();
    if reset {
        crate::stats::reset();
    }
    if json {
        return crate::exec_admin::json_line(&snapshot).map_err(|e| Error::Internal(e.to_string()));
    }
    Ok(crate::stats::render(&snapshot))
}

/// `passwd --stdin`: the new password on the first line. An account that is not in the
/// "choose a password" state gives the current password first, the new one second.
async fn passwd(
    portail: &Portail,
    actor: &Actor,
    lang: Lang,
    stdin: &mut impl Stdin,
) -> Result<String, Error> {
    let bytes = stdin
        .read_all(MAX_STDIN)
        .await
        .ok_or(Error::Invalid(Key::ExecStdinTooLarge))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let (current, new) = if actor.must_change_password {
        (None, lines.next().unwrap_or(""))
    } else {
        let current = lines.next().unwrap_or("");
        let new = lines.next().unwrap_or("");
        if new.is_empty() {
            return Err(Error::Invalid(Key::ExecPasswdFormat));
        }
        (Some(current), new)
    };
    portail.change_password(actor, current, new).await?;
    Ok(format!("{}\n", t(lang, Key::ExecPasswordChanged)))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn help_table_covers_every_command() {
        for sub in ExecCli::command().get_subcommands() {
            assert!(
                COMMANDS
                    .iter()
                    .any(|c| c.usage.split_whitespace().next() == Some(sub.get_name())),
                "`{}` is missing from the help table",
                sub.get_name()
            );
        }
    }
}
