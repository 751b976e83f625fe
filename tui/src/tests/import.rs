//! The import screen: paste → preview command → outcome → confirm → codes; errors with
//! line and column; abandon question; size cap; snapshots at phone, classic and wide sizes.

use chrono::{NaiveDate, TimeZone, Utc};
use portail::services::classes::Class;
use portail::services::orgs::Organisation;
use portail::{Lang, Role, User};

use super::support::{SIZES, ctrl, draw, key, text as screen};
use crate::*;

fn trainer() -> User {
    User {
        id: 1,
        role: Role::Trainer,
        email: "marie.curie@example.fr".into(),
        login: Some("marie".into()),
        first_name: "Marie".into(),
        last_name: "Curie".into(),
        phone: None,
        language: Lang::Fr,
        disabled: false,
        must_change_password: false,
        created_at: Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap(),
        last_login_at: None,
    }
}

fn org(id: i64, name: &str) -> Organisation {
    let ts = Utc.with_ymd_and_hms(2026, 9, 1, 9, 30, 0).unwrap();
    Organisation {
        id,
        name: name.into(),
        siret: None,
        address: None,
        contact_name: None,
        email: None,
        phone: None,
        website: None,
        notes: None,
        has_logo: false,
        class_count: 1,
        student_count: 0,
        created_at: ts,
        updated_at: ts,
    }
}

fn class(id: i64, org: i64, org_name: &str, name: &str) -> Class {
    Class {
        id,
        organisation_id: org,
        organisation_name: org_name.into(),
        name: name.into(),
        start_date: NaiveDate::from_ymd_opt(2026, 9, 1),
        end_date: None,
        member_count: 0,
    }
}

/// Pasted as a terminal sends it: CR line ends, and an escape sequence hidden in a name.
const CSV: &str = "email;prénom;nom;Pointure\r\
                   lea.bernard@example.fr;Léa;Bernard;38\r\
                   hugo.dubois@example.fr;Hugo;Dubois\x1b[2J;42\r\
                   chloe.moreau@example.fr;Chloé;Moreau;39\r";

/// The trainer's app on the import screen (from the home menu), lists loaded.
fn import_app() -> App {
    let mut app = App::new(trainer(), false);
    let cmds = app.handle(key(KeyCode::Char('7')));
    assert_eq!(
        cmds,
        vec![Command::Load(Query::Orgs), Command::Load(Query::Classes)]
    );
    app.apply(Outcome::Loaded(Ok(Data::Orgs(vec![
        org(1, "Greta Lyon Métropole"),
        org(2, "École des Métiers du Numérique"),
    ]))));
    app.apply(Outcome::Loaded(Ok(Data::Classes(vec![
        class(5, 1, "Greta Lyon Métropole", "DWWM 2026"),
        class(6, 2, "École des Métiers du Numérique", "CDA 2027"),
    ]))));
    app
}

fn counts(created: usize, updated: usize, unchanged: usize) -> Counts {
    Counts {
        created,
        updated,
        unchanged,
    }
}

fn preview() -> ImportSummary {
    ImportSummary {
        dry_run: true,
        counts: vec![
            (Key::MenuOrganisations, counts(0, 0, 0)),
            (Key::MenuClasses, counts(1, 0, 0)),
            (Key::MenuStudents, counts(2, 1, 0)),
        ],
        lines: vec![
            (
                '+',
                Key::EntClass,
                "Greta Lyon Métropole / DWWM 2027".into(),
            ),
            ('+', Key::EntStudent, "lea.bernard@example.fr".into()),
            (
                '~',
                Key::EntStudent,
                "hugo.dubois@example.fr\x1b[31m".into(),
            ),
            ('+', Key::EntStudent, "chloe.moreau@example.fr".into()),
        ],
        codes: Vec::new(),
        unknown_columns: vec!["Pointure".into()],
        encoding: "UTF-8".into(),
        delimiter: Some(';'),
    }
}

fn done() -> ImportSummary {
    ImportSummary {
        dry_run: false,
        codes: vec![
            ("lea.bernard@example.fr".into(), "KX7P-M2QD-9RTA".into()),
            ("chloe.moreau@example.fr".into(), "B4NW-Z8HC-3LEV".into()),
        ],
        ..preview()
    }
}

const ERRORS: &str = "Import refusé : 2 erreur(s), rien n'a été écrit.\n\
                      ligne 3, colonne email : adresse invalide « hugo.dubois@ »\n\
                      ligne 4, colonne prénom : trop long (100 caractères au plus) « Chloéééééééééééééééééééééééééééééééééééééééééééééé »";

#[test]
fn paste_preview_confirm_then_codes() {
    let mut app = import_app();
    let s = screen(&app, 80, 24);
    assert!(s.contains("À importer"), "{s}");
    assert!(s.contains("‹ Étudiants ›"), "{s}");
    assert!(s.contains("Collez ici le fichier CSV"), "{s}");

    // Default organisation, then a class of it (picked from the loaded lists).
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Right));
    let s = screen(&app, 80, 24);
    assert!(s.contains("‹ Greta Lyon Métropole ›"), "{s}");
    assert!(s.contains("‹ Greta Lyon Métropole / DWWM 2026 ›"), "{s}");

    // Bracketed paste: CR become line ends, the text goes to the file part.
    assert!(app.handle(Input::Paste(CSV.into())).is_empty());
    let s = screen(&app, 80, 24);
    assert!(s.contains("CSV : 4 ligne(s) · 148 o"), "{s}");
    assert!(s.contains("lea.bernard@example.fr;Léa;Bernard;38"), "{s}");
    assert!(!s.contains('\x1b'), "pasted controls are not drawn");
    // While typing in the file, q is text, not "quit".
    app.handle(key(KeyCode::Char('q')));
    assert!(!app.should_quit());
    app.handle(key(KeyCode::Backspace));

    // Ctrl-S: the preview is the service's dry run.
    let cmds = app.handle(ctrl('s'));
    let expected_text = CSV.replace('\r', "\n").replace('\x1b', "");
    assert_eq!(
        cmds,
        vec![Command::Run(Action::Import {
            kind: ImportKind::Students,
            text: expected_text.clone(),
            dry_run: true,
            default_org: Some(1),
            default_class: Some(5),
        })]
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("Analyse du fichier…"), "{s}");
    // Keys wait while the service works.
    assert!(app.handle(ctrl('s')).is_empty());

    app.apply(Outcome::Ran(Ok(Effect::Imported(Box::new(preview())))));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Aperçu — rien n'a encore été écrit."), "{s}");
    assert!(s.contains("Encodage : UTF-8 ; séparateur : « ; »"), "{s}");
    assert!(
        s.contains("Étudiants : 2 créé(s), 1 mis à jour, 0 inchangé(s)"),
        "{s}"
    );
    assert!(s.contains("Colonnes ignorées : « Pointure »"), "{s}");
    assert!(s.contains("+ Étudiant lea.bernard@example.fr"), "{s}");
    assert!(s.contains("~ Étudiant hugo.dubois@example.fr"), "{s}");
    assert!(s.contains("Importer pour de bon ?"), "{s}");

    // o: for real, same text and options.
    let cmds = app.handle(key(KeyCode::Char('o')));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::Import {
            kind: ImportKind::Students,
            text: expected_text,
            dry_run: false,
            default_org: Some(1),
            default_class: Some(5),
        })]
    );
    assert!(screen(&app, 80, 24).contains("Import en cours…"));
    app.apply(Outcome::Ran(Ok(Effect::Imported(Box::new(done())))));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Import terminé"), "{s}");
    assert!(s.contains("affichés une seule fois"), "{s}");
    assert!(s.contains("--codes-csv"), "{s}");
    assert!(s.contains("lea.bernard@example.fr   KX7P-M2QD-9RTA"), "{s}");
    assert!(s.contains("chloe.moreau@example.fr  B4NW-Z8HC-3LEV"), "{s}");
    // Narrow: the code goes under the e-mail, still whole.
    let s = screen(&app, 40, 15);
    assert!(s.contains("KX7P-M2QD-9RTA"), "{s}");

    // Enter: done, back home; the codes are gone.
    app.handle(key(KeyCode::Enter));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Bonjour, Marie Curie"), "{s}");
    assert!(!s.contains("KX7P"), "{s}");
}

#[test]
fn errors_are_listed_then_the_file_can_be_fixed() {
    let mut app = import_app();
    app.handle(Input::Paste(CSV.into()));
    app.handle(key(KeyCode::F(5)));
    app.apply(Outcome::Ran(Err(ERRORS.into())));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Import refusé : 2 erreur(s)"), "{s}");
    assert!(
        s.contains("ligne 3, colonne email : adresse invalide « hugo.dubois@ »"),
        "{s}"
    );
    assert!(s.contains("ligne 4, colonne prénom"), "{s}");
    // Back to the file, still there; fix by typing at the end, preview again.
    app.handle(key(KeyCode::Esc));
    let s = screen(&app, 80, 24);
    assert!(s.contains("CSV : 4 ligne(s)"), "{s}");
    for c in "x@example.fr".chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    let cmds = app.handle(ctrl('s'));
    let Some(Command::Run(Action::Import { text, dry_run, .. })) = cmds.first() else {
        panic!("{cmds:?}");
    };
    assert!(text.ends_with("Moreau;39\nx@example.fr") && *dry_run);
}

#[test]
fn esc_asks_before_dropping_a_paste_and_nothing_is_previewed_empty() {
    let mut app = import_app();
    // Nothing pasted: Ctrl-S says so, Esc leaves at once.
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    assert!(app.handle(ctrl('s')).is_empty());
    assert!(screen(&app, 80, 24).contains("Collez d'abord le fichier CSV (ou JSON)."));
    app.handle(key(KeyCode::Esc));
    assert!(screen(&app, 80, 24).contains("Bonjour"));

    let mut app = import_app();
    app.handle(Input::Paste(CSV.into()));
    app.handle(key(KeyCode::Esc));
    assert!(screen(&app, 80, 24).contains("Abandonner cet import ? (o/n)"));
    app.handle(key(KeyCode::Char('n')));
    assert!(screen(&app, 80, 24).contains("CSV : 4 ligne(s)"));
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Char('o')));
    assert!(screen(&app, 80, 24).contains("Bonjour"));
}

#[test]
fn kinds_change_the_options_and_the_command() {
    let mut app = import_app();
    app.handle(key(KeyCode::Right)); // Organismes: no default organisation or class
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("‹ Organismes ›") && !s.contains("Classe par défaut"),
        "{s}"
    );
    app.handle(key(KeyCode::Right)); // Classes: a default organisation, no class
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("Organisme par défaut") && !s.contains("Classe par défaut"),
        "{s}"
    );
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Left)); // the last organisation
    app.handle(Input::Paste("nom\nCDA 2028\n".into()));
    let cmds = app.handle(ctrl('s'));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::Import {
            kind: ImportKind::Classes,
            text: "nom\nCDA 2028\n".into(),
            dry_run: true,
            default_org: Some(2),
            default_class: None,
        })]
    );
}

#[test]
fn pastes_beyond_20_mib_are_refused_whole() {
    let mut app = import_app();
    let big = "a".repeat(portail::import::MAX_INPUT / 2 + 1);
    app.handle(Input::Paste(big.clone()));
    let s = screen(&app, 80, 24);
    assert!(s.contains("CSV : 1 ligne(s) · 10,0 Mio"), "{s}");
    app.handle(Input::Paste(big));
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("Collage refusé : le fichier dépasserait 20 Mio."),
        "{s}"
    );
}

#[test]
fn student_list_opens_the_import_with_i() {
    let mut app = App::new(trainer(), false);
    app.handle(key(KeyCode::Char('3')));
    app.apply(Outcome::Loaded(Ok(Data::Students(Vec::new()))));
    assert!(screen(&app, 120, 24).contains("i importer"));
    let cmds = app.handle(key(KeyCode::Char('i')));
    assert_eq!(
        cmds,
        vec![Command::Load(Query::Orgs), Command::Load(Query::Classes)]
    );
    assert!(screen(&app, 80, 24).contains("À importer"));
    // Leaving goes back to the list (which reloads).
    let cmds = app.handle(key(KeyCode::Esc));
    assert_eq!(cmds, vec![Command::Load(Query::Students)]);
}

#[test]
fn long_previews_scroll() {
    let mut app = import_app();
    app.handle(Input::Paste(CSV.into()));
    app.handle(ctrl('s'));
    let mut p = preview();
    p.lines = (1..=500)
        .map(|i| ('+', Key::EntStudent, format!("eleve{i:03}@example.fr")))
        .collect();
    app.apply(Outcome::Ran(Ok(Effect::Imported(Box::new(p)))));
    let s = screen(&app, 80, 24);
    assert!(s.contains("eleve001@") && !s.contains("eleve500@"), "{s}");
    app.handle(key(KeyCode::End));
    let s = screen(&app, 80, 24);
    assert!(s.contains("eleve500@") && !s.contains("eleve001@"), "{s}");
    assert!(s.contains("Importer pour de bon ?"), "{s}");
    app.handle(key(KeyCode::Char('g')));
    assert!(screen(&app, 80, 24).contains("Aperçu — rien"));
}

#[test]
fn snapshots_edit_preview_errors_done() {
    let mut app = import_app();
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Right));
    app.handle(Input::Paste(CSV.into()));
    snapshots!("import_edit", app);
    app.handle(ctrl('s'));
    app.apply(Outcome::Ran(Ok(Effect::Imported(Box::new(preview())))));
    snapshots!("import_preview", app);
    app.handle(key(KeyCode::Char('o')));
    app.apply(Outcome::Ran(Ok(Effect::Imported(Box::new(done())))));
    snapshots!("import_done", app);

    let mut app = import_app();
    app.handle(Input::Paste(CSV.into()));
    app.handle(ctrl('s'));
    app.apply(Outcome::Ran(Err(ERRORS.into())));
    snapshots!("import_errors", app);
}

#[test]
fn english_and_sizes() {
    use crate::screens::import::human_size;
    assert_eq!(human_size(Lang::Fr, 512), "512 o");
    assert_eq!(human_size(Lang::Fr, 1536), "1,5 Kio");
    assert_eq!(human_size(Lang::En, 3 * 1024 * 1024), "3.0 MiB");
    let mut user = trainer();
    user.language = Lang::En;
    let mut app = App::new(user, false);
    app.handle(key(KeyCode::Char('7')));
    let s = screen(&app, 80, 24);
    assert!(s.contains("To import") && s.contains("‹ Students ›"), "{s}");
}

#[test]
fn help_scrolls_on_a_phone_sized_window() {
    let mut app = import_app();
    app.handle(Input::Paste(CSV.into()));
    // Typing in the file: ? is text; F1 opens the help.
    app.handle(key(KeyCode::F(1)));
    let s = screen(&app, 40, 15);
    assert!(s.contains("Importez des étudiants"), "{s}");
    assert!(s.contains("↑↓ défiler"), "{s}");
    assert!(!s.contains("--codes-csv"), "{s}");
    for _ in 0..40 {
        app.handle(key(KeyCode::Down));
    }
    let s = screen(&app, 40, 15);
    assert!(s.contains("--codes-csv"), "{s}");
    assert!(!s.contains("Importez des étudiants"), "{s}");
    snapshots!("import_help", app);
    app.handle(key(KeyCode::Esc));
    let s = screen(&app, 40, 15);
    assert!(s.contains("CSV : 4 ligne(s)"), "{s}");
}

#[test]
fn q_does_not_drop_a_paste_or_the_codes() {
    let mut app = import_app();
    app.handle(Input::Paste(CSV.into()));
    app.handle(key(KeyCode::Tab)); // to the options
    app.handle(key(KeyCode::Char('q')));
    assert!(!app.should_quit());
    app.handle(ctrl('s'));
    app.apply(Outcome::Ran(Ok(Effect::Imported(Box::new(preview())))));
    app.handle(key(KeyCode::Char('o')));
    app.apply(Outcome::Ran(Ok(Effect::Imported(Box::new(done())))));
    app.handle(key(KeyCode::Char('q')));
    assert!(!app.should_quit());
    assert!(screen(&app, 80, 24).contains("KX7P-M2QD-9RTA"));
}

#[test]
fn the_pasted_file_scrolls() {
    let mut app = import_app();
    let csv: String = std::iter::once("email\n".to_string())
        .chain((1..=200).map(|i| format!("eleve{i:03}@example.fr\n")))
        .collect();
    app.handle(Input::Paste(csv));
    let s = screen(&app, 80, 24);
    assert!(s.contains("CSV : 201 ligne(s)"), "{s}");
    assert!(s.contains("eleve200@") && !s.contains("eleve100@"), "{s}");
    // Home, then more keys before any redraw: no overflow.
    app.handle(key(KeyCode::Home));
    app.handle(key(KeyCode::Up));
    app.handle(key(KeyCode::PageUp));
    let s = screen(&app, 80, 24);
    assert!(s.contains(" email") && !s.contains("eleve200@"), "{s}");
    app.handle(key(KeyCode::End));
    assert!(screen(&app, 80, 24).contains("eleve200@"));
}

/// Issue 15: a Moodle user-upload file previews with every column it does not use named
/// (its cohorts became classes), down to a phone-sized window.
#[test]
fn a_moodle_preview_names_every_ignored_column() {
    let mut app = import_app();
    app.handle(Input::Paste(
        "username,password,firstname,lastname,email,cohort1,course1,role1\r\
         mdupont,Secret1!,Marie,Dupont,marie@example.fr,BTS 1,RUST101,student\r"
            .into(),
    ));
    app.handle(ctrl('s'));
    let summary = ImportSummary {
        counts: vec![
            (Key::MenuOrganisations, counts(0, 0, 0)),
            (Key::MenuClasses, counts(1, 0, 0)),
            (Key::MenuStudents, counts(1, 0, 0)),
        ],
        lines: vec![
            ('+', Key::EntClass, "Greta Lyon Métropole / BTS 1".into()),
            ('+', Key::EntStudent, "marie@example.fr".into()),
        ],
        unknown_columns: vec![
            "username".into(),
            "password".into(),
            "course1".into(),
            "role1".into(),
        ],
        delimiter: Some(','),
        ..preview()
    };
    app.apply(Outcome::Ran(Ok(Effect::Imported(Box::new(summary)))));
    for (w, h) in SIZES {
        let t = screen(&app, w, h);
        let flat: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
        for col in ["username", "password", "course1", "role1"] {
            assert!(flat.contains(col), "{w}x{h}: {col}\n{t}");
        }
    }
    snapshots!("import_preview_moodle", app);
}
