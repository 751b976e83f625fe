use clap::Command;
use portail::i18n::Lang;

use super::*;

/// Every command and argument of the tree, with its text: `(path, about or help)`.
fn texts(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
    for arg in cmd.get_arguments() {
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        out.push((format!("{path} <{}>", arg.get_id()), help));
    }
    for sub in cmd.get_subcommands() {
        let p = format!("{path} {}", sub.get_name()).trim().to_string();
        let about = sub.get_about().map(|h| h.to_string()).unwrap_or_default();
        out.push((p.clone(), about));
        texts(sub, &p, out);
    }
}

fn all_texts(lang: Lang) -> Vec<(String, String)> {
    let mut tree = localized_tree(lang);
    tree.build();
    let mut out = Vec::new();
    texts(&tree, "", &mut out);
    out
}

#[test]
fn every_command_and_argument_is_described_in_both_languages() {
    let fr = all_texts(Lang::Fr);
    let en = all_texts(Lang::En);
    assert!(fr.len() > 100, "{}", fr.len());
    for (path, text) in fr.iter().chain(&en) {
        assert!(!text.trim().is_empty(), "`{path}` has no description");
    }
    assert_eq!(fr.len(), en.len());
    let same: Vec<_> = fr
        .iter()
        .zip(&en)
        .filter(|((_, a), (_, b))| a == b)
        .map(|((p, _), _)| p)
        .collect();
    assert!(same.len() * 10 < fr.len(), "French = English for {same:?}");
}

#[test]
fn every_command_is_a_family_and_every_family_a_command() {
    let tree = command_tree();
    let names: Vec<&str> = tree.get_subcommands().map(|s| s.get_name()).collect();
    for name in &names {
        assert!(
            FAMILIES.iter().any(|f| f.name == *name),
            "`{name}` has no family"
        );
    }
    for f in FAMILIES {
        assert!(
            names.contains(&f.name),
            "family `{}` is not in the tree",
            f.name
        );
        assert!(
            f.trainer.is_some() || f.student.is_some(),
            "`{}`: nobody may run it",
            f.name
        );
    }
}

#[test]
fn help_follows_the_role_and_the_language() {
    let fr = help_text(Lang::Fr, Role::Student);
    assert!(fr.contains("lesson") && !fr.contains("org "), "{fr}");
    assert_ne!(fr, help_text(Lang::En, Role::Student));
    assert!(help_text(Lang::En, Role::Trainer).contains("\n  org "));
}

#[test]
fn command_help_is_in_the_language_asked() {
    let render = |lang, words: &[&str]| {
        localized_tree(lang)
            .try_get_matches_from(words)
            .unwrap_err()
            .render()
            .to_string()
    };
    let fr = render(Lang::Fr, &["org", "add", "--help"]);
    let en = render(Lang::En, &["org", "add", "--help"]);
    assert!(fr.contains("--siret") && fr.contains("Options"), "{fr}");
    assert!(!fr.contains("Usage:") && !fr.contains("Print help"), "{fr}");
    assert_ne!(fr, en);
}

#[test]
fn the_log_names_a_family_never_a_word_typed() {
    assert_eq!(family_of("passwd --stdin"), "passwd");
    assert_eq!(family_of("org add --name X"), "org");
    assert_eq!(family_of("hunter2 secret"), "-");
}
