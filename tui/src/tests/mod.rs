use chrono::TimeZone;
use portail::{Lang, Role, User};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;

#[macro_use]
mod support;

mod access;
mod admin;
mod demos;
mod files;
mod import;
mod layout;
mod learning;
mod live;
mod messages;
mod quiz;
mod replay;
mod security;

fn user(role: Role) -> User {
    User {
        id: 1,
        role,
        email: "marie.curie@example.fr".into(),
        login: Some("marie".into()),
        first_name: "Marie".into(),
        last_name: "Curie".into(),
        phone: None,
        language: Lang::Fr,
        disabled: false,
        must_change_password: false,
        created_at: chrono::Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap(),
        last_login_at: None,
    }
}

fn key(code: KeyCode) -> Input {
    Input::Key(KeyEvent::new(code))
}

fn ctrl(c: char) -> Input {
    Input::Key(KeyEvent::new(KeyCode::Char(c)).modifiers(KeyModifiers::CTRL))
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle(key(KeyCode::Char(c)));
    }
}

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| app.render(f)).unwrap();
    term
}

fn text(term: &Terminal<TestBackend>) -> String {
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

const SIZES: [(u16, u16); 3] = [(40, 15), (80, 24), (160, 48)];

macro_rules! snapshots {
    ($name:literal, $app:expr) => {
        for (w, h) in SIZES {
            let term = draw(&$app, w, h);
            insta::assert_snapshot!(format!("{}_{}x{}", $name, w, h), term.backend());
        }
    };
}

#[test]
fn trainer_home_snapshots() {
    snapshots!("trainer_home", App::new(user(Role::Trainer), false));
}

#[test]
fn student_home_snapshots() {
    snapshots!("student_home", App::new(user(Role::Student), false));
}

#[test]
fn forced_password_snapshots() {
    let mut app = App::new(user(Role::Student), true);
    typed(&mut app, "abc");
    snapshots!("forced_password", app);
}

#[test]
fn account_snapshots() {
    let mut app = App::new(user(Role::Trainer), false);
    app.handle(key(KeyCode::Char('6')));
    snapshots!("account", app);
}

#[test]
fn help_overlay_snapshots() {
    let mut app = App::new(user(Role::Trainer), false);
    app.handle(key(KeyCode::Char('?')));
    snapshots!("help", app);
}

#[test]
fn too_small_is_explained() {
    let app = App::new(user(Role::Trainer), false);
    let t = text(&draw(&app, 39, 15));
    assert!(t.contains("Fenêtre trop petite"), "{t}");
    assert!(t.contains("39×15"), "{t}");
    let t = text(&draw(&app, 40, 14));
    assert!(t.contains("Fenêtre trop petite"), "{t}");
    let t = text(&draw(&app, 40, 15));
    assert!(!t.contains("Fenêtre trop petite"), "{t}");
}

#[test]
fn forced_password_cannot_be_escaped_and_q_is_typed() {
    let mut app = App::new(user(Role::Student), true);
    assert!(app.handle(key(KeyCode::Esc)).is_empty());
    typed(&mut app, "q?");
    assert!(!app.should_quit());
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("Choisissez votre mot de passe"), "{t}");
    assert!(t.contains("••"), "{t}");
    assert!(!t.contains("q?"), "password shown in clear: {t}");
}

#[test]
fn forced_password_flow_checks_rules_then_asks_the_service() {
    let mut app = App::new(user(Role::Student), true);
    typed(&mut app, "password");
    app.handle(key(KeyCode::Enter));
    typed(&mut app, "password");
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert!(text(&draw(&app, 80, 24)).contains("trop courant"));

    let mut app = App::new(user(Role::Student), true);
    typed(&mut app, "radium polonium");
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "radium poloniun");
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert!(text(&draw(&app, 80, 24)).contains("ne correspondent pas"));
    // The error stays while moving between fields, and goes at the first key typed or
    // text pasted.
    app.handle(key(KeyCode::Tab));
    assert!(text(&draw(&app, 80, 24)).contains("ne correspondent pas"));
    typed(&mut app, "r");
    assert!(!text(&draw(&app, 80, 24)).contains("ne correspondent pas"));
    let mut app = App::new(user(Role::Student), true);
    typed(&mut app, "radium polonium");
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "radium poloniun");
    app.handle(key(KeyCode::Enter));
    assert!(text(&draw(&app, 80, 24)).contains("ne correspondent pas"));
    app.handle(Input::Paste("radium".into()));
    assert!(!text(&draw(&app, 80, 24)).contains("ne correspondent pas"));

    let mut app = App::new(user(Role::Student), true);
    app.handle(Input::Paste("radium polonium".into()));
    app.handle(key(KeyCode::Enter));
    typed(&mut app, "radium polonium");
    let cmds = app.handle(key(KeyCode::Enter));
    assert_eq!(
        cmds,
        vec![Command::ChangePassword {
            current: None,
            new: "radium polonium".into()
        }]
    );
    app.apply(Outcome::PasswordChanged(Ok(())));
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("Mes cours"), "{t}");
    assert!(t.contains("Mot de passe enregistré"), "{t}");
}

#[test]
fn service_error_is_shown_on_the_form() {
    let mut app = App::new(user(Role::Trainer), false);
    app.handle(key(KeyCode::Char('6'))); // Mon compte
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Enter)); // Mot de passe
    typed(&mut app, "wrong current");
    app.handle(key(KeyCode::Enter));
    typed(&mut app, "nouvelle phrase");
    app.handle(key(KeyCode::Enter));
    typed(&mut app, "nouvelle phrase");
    let cmds = app.handle(ctrl('s'));
    assert!(matches!(
        cmds.as_slice(),
        [Command::ChangePassword { current: Some(c), .. }] if c == "wrong current"
    ));
    app.apply(Outcome::PasswordChanged(Err(
        "Le mot de passe actuel est incorrect.".into(),
    )));
    assert!(text(&draw(&app, 80, 24)).contains("actuel est incorrect"));
    // Typing again clears the old error at once (the fields were emptied for a new try).
    typed(&mut app, "w");
    assert!(!text(&draw(&app, 80, 24)).contains("actuel est incorrect"));
    // Esc goes back to the account screen when not forced.
    app.handle(key(KeyCode::Esc));
    assert!(text(&draw(&app, 80, 24)).contains("Mon compte"));
}

#[test]
fn language_switch_rebuilds_labels() {
    let mut app = App::new(user(Role::Trainer), false);
    app.handle(key(KeyCode::Char('6')));
    app.handle(key(KeyCode::Down)); // "Mes informations" first, then "Langue"
    let cmds = app.handle(key(KeyCode::Enter));
    assert_eq!(cmds, vec![Command::SetLanguage(Lang::En)]);
    app.apply(Outcome::LanguageSet(Ok(Lang::En)));
    app.handle(key(KeyCode::Esc));
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("Organisations") && t.contains("My account"),
        "{t}"
    );
}

#[test]
fn navigation_and_quit() {
    let mut app = App::new(user(Role::Trainer), false);
    // Messages: the list loads its threads.
    assert_eq!(
        app.handle(key(KeyCode::Char('5'))),
        vec![Command::Load(Query::Threads)]
    );
    assert!(text(&draw(&app, 80, 24)).contains("Chargement"));
    app.handle(key(KeyCode::Esc));
    assert!(text(&draw(&app, 80, 24)).contains("Bonjour, Marie Curie"));
    assert_eq!(app.handle(key(KeyCode::Char('q'))), vec![Command::Quit]);
    assert!(app.should_quit());
    let mut app = App::new(user(Role::Student), false);
    assert_eq!(app.handle(ctrl('c')), vec![Command::Quit]);
}

#[test]
fn names_with_escape_sequences_are_neutralized() {
    let mut u = user(Role::Student);
    u.first_name = "Eve\x1b]52;c;SGVsbG8=\x07\x1b[2J".into();
    let app = App::new(u, false);
    let term = draw(&app, 80, 24);
    let buf = term.backend().buffer();
    for cell in buf.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "control character reached the screen"
        );
    }
    assert!(text(&term).contains("Eve]52;c;SGVsbG8=[2J"));
}
