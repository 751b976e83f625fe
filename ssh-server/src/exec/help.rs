//! Help from the command tree, in the user's language: `help` (the families a role may
//! run, one line each), `COMMAND --help` (clap's help of a tree whose every command and
//! argument got its text from the catalog), and clap's parse errors.

use clap::{Arg, ArgAction, Command};
use portail::i18n::{Key, Lang, t, tf};
use portail::{Role, sanitize};

use super::common::{Family, SHARED_ARGS};

/// `help` itself.
pub const FAMILY: Family = Family::all("help", Key::XhHelp, Key::ExecHelpHelp);

/// The tree's texts in `lang`: every command's `about` and every argument's `help` (catalog
/// key names in the tree, see [`Family`]), and clap's own headings.
pub fn localize(root: Command, lang: Lang, families: &[&Family]) -> Command {
    let root = chrome(root, lang).about(t(lang, Key::ExecHelpHeader));
    let names: Vec<String> = root
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names.iter().fold(root, |root, name| {
        match families.iter().find(|f| f.name == name) {
            Some(family) => {
                root.mut_subcommand(name, |c| command(c.about(family.about.name()), lang))
            }
            None => root,
        }
    })
}

/// The text of a key name set in the tree.
fn text(lang: Lang, name: Option<String>) -> Option<&'static str> {
    name.as_deref().and_then(Key::from_name).map(|k| t(lang, k))
}

/// The text of an argument: its own, or the shared one of its id.
fn arg_text(lang: Lang, arg: &Arg) -> &'static str {
    let shared = || {
        SHARED_ARGS
            .iter()
            .find(|(id, _)| *id == arg.get_id())
            .map(|(_, k)| t(lang, *k))
    };
    text(lang, arg.get_help().map(|h| h.to_string()))
        .or_else(shared)
        .unwrap_or_default()
}

/// One command with its arguments and subcommands.
fn command(cmd: Command, lang: Lang) -> Command {
    let about = text(lang, cmd.get_about().map(|a| a.to_string())).unwrap_or_default();
    let mut cmd = chrome(cmd, lang).about(about);
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| id != "help")
        .collect();
    for id in &ids {
        cmd = cmd.mut_arg(id, |a| {
            let help = arg_text(lang, &a);
            // clap's "[possible values: …]" is English: the values go in the text instead.
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if values.is_empty() || !a.get_action().takes_values() {
                a.help(help)
            } else {
                let help = format!("{help} ({} {})", t(lang, Key::XhValues), values.join(", "));
                a.help(help).hide_possible_values(true)
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    subs.iter().fold(cmd, |cmd, name| {
        cmd.mut_subcommand(name, |c| command(c, lang))
    })
}

/// What every command gets: a translated `-h, --help`, headings and usage line, and no
/// `help` subcommand (`help` is a command of its own).
fn chrome(cmd: Command, lang: Lang) -> Command {
    let template = format!(
        "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}",
        t(lang, Key::XhUsage)
    );
    cmd.disable_help_flag(true)
        .disable_help_subcommand(true)
        .help_template(template)
        .subcommand_help_heading(t(lang, Key::XhCommands))
        .subcommand_value_name(t(lang, Key::XhCommandValue))
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t(lang, Key::XaHelp)),
        )
}

/// `help`: one line per command `role` may run, in the tree's order.
pub fn help_text(lang: Lang, role: Role, root: &Command, families: &[&Family]) -> String {
    let mut s = format!("{}\n", t(lang, Key::ExecHelpHeader));
    for sub in root.get_subcommands() {
        let Some(family) = families.iter().find(|f| f.name == sub.get_name()) else {
            continue;
        };
        if let Some(key) = family.line(role) {
            s.push_str(&format!("  {:<10} {}\n", sub.get_name(), t(lang, key)));
        }
    }
    s.push_str(&format!(
        "\n{}\n{}\n",
        t(lang, Key::ExecHelpDetail),
        t(lang, Key::ExecHelpFooter)
    ));
    s
}

/// Clap's parse errors, said in the user's language.
pub fn usage_error(lang: Lang, e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let ctx = |k: ContextKind| {
        e.get(k)
            .map(|v| sanitize::line(&v.to_string()).into_owned())
            .unwrap_or_default()
    };
    match e.kind() {
        ErrorKind::UnknownArgument => {
            let arg = ctx(ContextKind::InvalidArg);
            // A stray word (not an option) is most often the second half of a value whose
            // quotes the local shell removed: ssh sends the command as one line.
            let key = if arg.starts_with('-') {
                Key::ExecUnknownOption
            } else {
                Key::ExecStrayArgument
            };
            tf(lang, key, &[&arg])
        }
        ErrorKind::MissingRequiredArgument => tf(
            lang,
            Key::ExecMissingArgument,
            &[&ctx(ContextKind::InvalidArg)],
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            t(lang, Key::ExecIncomplete).to_string()
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => tf(
            lang,
            Key::ExecInvalidValue,
            &[
                &ctx(ContextKind::InvalidArg),
                &ctx(ContextKind::InvalidValue),
            ],
        ),
        _ => tf(
            lang,
            Key::ExecBadArgs,
            &[sanitize::line(&e.render().to_string()).trim()],
        ),
    }
}
