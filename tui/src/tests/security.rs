//! The security log screen (trainer): reached from the menu, loads, searches, refreshes,
//! neutralizes what strangers typed as a login, in French and English, at three sizes.

use chrono::{TimeZone, Utc};
use portail::Lang;
use portail::services::security::{Block, LoginFailure, Outcome as LoginOutcome};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::admin::trainer;
use super::support::{draw, key};
use crate::*;

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

fn item(id: i64, min: u32, source: &str, login: &str, outcome: LoginOutcome) -> SecurityItem {
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 9, min, 0).unwrap();
    SecurityItem {
        when: at.format("%Y-%m-%d %H:%M:%S").to_string(),
        entry: LoginFailure {
            id,
            at,
            source: source.into(),
            login: login.into(),
            outcome,
        },
    }
}

pub(super) fn rows() -> Vec<SecurityItem> {
    vec![
        item(
            7,
            12,
            "203.0.113.9",
            "marie.curie@example.fr",
            LoginOutcome::Refused,
        ),
        item(
            6,
            11,
            "203.0.113.9",
            "marie.curie@example.fr",
            LoginOutcome::Failed,
        ),
        item(5, 10, "2001:db8:1:2::7", "admin", LoginOutcome::Failed),
        item(
            4,
            9,
            "198.51.100.4",
            "marie.curie@example.fr",
            LoginOutcome::Slowed,
        ),
        // What a stranger typed as a login: OSC 52, clear screen, CSI colour, bidi.
        item(
            3,
            8,
            "192.0.2.66",
            "\x1b]52;c;SGVsbG8=\x07root\x1b[2J\x1b[31m\u{202E}",
            LoginOutcome::Failed,
        ),
    ]
}

/// The trainer's home, then the "Sécurité" entry (just above "Quitter").
fn security_screen(lang: Lang) -> App {
    let mut u = trainer();
    u.language = lang;
    let mut app = App::new(u, false);
    app.handle(key(KeyCode::Up));
    app.handle(key(KeyCode::Up));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![
            Command::Load(Query::SecurityLog),
            Command::Load(Query::BlockedSources)
        ]
    );
    app.apply(Outcome::Loaded(Ok(Data::SecurityLog(rows()))));
    app
}

#[test]
fn security_log_screen_snapshots() {
    let app = security_screen(Lang::Fr);
    for (w, h) in [(40, 15), (80, 24), (160, 48)] {
        let term = draw(&app, w, h);
        insta::assert_snapshot!(format!("security_log_{w}x{h}"), term.backend());
    }
}

#[test]
fn security_log_lists_searches_refreshes_and_goes_back() {
    let mut app = security_screen(Lang::Fr);
    let t = text(&draw(&app, 160, 48));
    assert!(t.contains("Sécurité (5)"), "{t}");
    assert!(t.contains("Identifiant essayé"), "{t}");
    assert!(t.contains("refusé (trop d'échecs)"), "{t}");
    assert!(t.contains("ralenti (compte visé)"), "{t}");
    assert!(t.contains("2001:db8:1:2::7"), "{t}");
    assert!(t.contains("2026-11-30 09:12:00"), "{t}");
    // Search by address.
    app.handle(key(KeyCode::Char('/')));
    for c in "203.0".chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    let t = text(&draw(&app, 160, 48));
    assert!(t.contains("(2/5)") && !t.contains("admin"), "{t}");
    app.handle(key(KeyCode::Esc));
    // r reloads; help is there; Esc goes back to the menu.
    assert_eq!(
        app.handle(key(KeyCode::Char('r'))),
        vec![
            Command::Load(Query::SecurityLog),
            Command::Load(Query::BlockedSources)
        ]
    );
    app.handle(key(KeyCode::Char('?')));
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("Aide") && t.contains("refusé"), "{t}");
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Esc));
    assert!(text(&draw(&app, 80, 24)).contains("Bonjour"));
}

#[test]
fn security_log_in_english() {
    let app = security_screen(Lang::En);
    let t = text(&draw(&app, 160, 48));
    assert!(t.contains("Security (5)"), "{t}");
    assert!(t.contains("Login tried"), "{t}");
    assert!(t.contains("refused (too many failures)"), "{t}");
}

#[test]
fn security_log_neutralizes_escape_sequences_in_logins() {
    let app = security_screen(Lang::Fr);
    for (w, h) in [(40, 15), (80, 24), (160, 48)] {
        let term = draw(&app, w, h);
        for cell in term.backend().buffer().content() {
            assert!(
                !cell
                    .symbol()
                    .chars()
                    .any(|c| c.is_control() || c == '\u{202E}'),
                "control character reached the screen at {w}x{h}"
            );
        }
    }
    let t = text(&draw(&app, 160, 48));
    assert!(t.contains("]52;c;SGVsbG8=root[2J[31m"), "{t}");
}

fn blocked() -> Vec<BlockedItem> {
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 12, 0).unwrap();
    let b = |source: &str, login: Option<&str>, secs: i64, failures: usize, shared: bool| {
        let until = now + chrono::Duration::seconds(secs);
        BlockedItem {
            until: until.format("%Y-%m-%d %H:%M").to_string(),
            block: Block {
                source: source.into(),
                login: login.map(Into::into),
                until,
                failures,
                shared,
            },
        }
    };
    vec![
        b("203.0.113.9", None, 450, 5, false),
        b("192.0.2.10", Some("lea@example.fr"), 90, 5, true),
        b(
            "2001:db8:1:2::/64",
            Some("\x1b[2Jadmin\u{202E}"),
            20,
            5,
            false,
        ),
    ]
}

/// The Sécurité screen with three refusals in force, at 09:12 UTC.
fn blocked_screen() -> App {
    let mut app = security_screen(Lang::Fr);
    app.set_now(Utc.with_ymd_and_hms(2026, 11, 30, 9, 12, 0).unwrap());
    app.apply(Outcome::Loaded(Ok(Data::BlockedSources(blocked()))));
    app
}

#[test]
fn security_screen_counts_blocked_sources_and_b_opens_them() {
    let mut app = blocked_screen();
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("Sécurité · 3 bloquée(s) [b]"), "{t}");
    assert!(t.contains("b adresses bloquées"), "{t}");
    assert_eq!(
        app.handle(key(KeyCode::Char('b'))),
        vec![Command::Load(Query::BlockedSources)]
    );
    app.apply(Outcome::Loaded(Ok(Data::BlockedSources(blocked()))));
    let t = text(&draw(&app, 160, 48));
    assert!(t.contains("Adresses bloquées (3)"), "{t}");
    assert!(
        t.contains("203.0.113.9") && t.contains("toute l'adresse"),
        "{t}"
    );
    assert!(
        t.contains("8 min") && t.contains("2 min") && t.contains("1 min"),
        "{t}"
    );
    assert!(t.contains("lea@example.fr") && t.contains("oui"), "{t}");
    assert!(t.contains("u débloquer"), "{t}");
    // What a stranger typed as a login arrives cleaned.
    assert!(t.contains("[2Jadmin"), "{t}");
    for cell in draw(&app, 160, 48).backend().buffer().content() {
        assert!(
            !cell
                .symbol()
                .chars()
                .any(|c| c.is_control() || c == '\u{202E}')
        );
    }
    for (w, h) in [(40, 15), (80, 24), (160, 48)] {
        let term = draw(&app, w, h);
        insta::assert_snapshot!(format!("security_blocked_{w}x{h}"), term.backend());
    }
    // Help.
    app.handle(key(KeyCode::Char('?')));
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("débloque l'adresse sélectionnée"), "{t}");
}

#[test]
fn trainer_unblocks_a_source_after_confirming() {
    let mut app = blocked_screen();
    app.handle(key(KeyCode::Char('b')));
    app.apply(Outcome::Loaded(Ok(Data::BlockedSources(blocked()))));
    // u asks first; n (or Esc) keeps it blocked.
    assert!(app.handle(key(KeyCode::Char('u'))).is_empty());
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("Débloquer l'adresse 203.0.113.9 ?"), "{t}");
    assert!(app.handle(key(KeyCode::Char('n'))).is_empty());
    // The second one, yes: the action names the source as listed.
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Char('u')));
    assert!(text(&draw(&app, 80, 24)).contains("Débloquer l'adresse 192.0.2.10 ?"));
    assert_eq!(
        app.handle(key(KeyCode::Char('o'))),
        vec![Command::Run(Action::UnblockSource("192.0.2.10".into()))]
    );
    // Done: said in the status bar, and the list reloads.
    let next = app.apply(Outcome::Ran(Ok(Effect::Unblocked("192.0.2.10".into()))));
    assert_eq!(next, vec![Command::Load(Query::BlockedSources)]);
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("Adresse 192.0.2.10 débloquée"), "{t}");
    // Nothing left: says so. Esc goes back to the log, which reloads both.
    app.apply(Outcome::Loaded(Ok(Data::BlockedSources(Vec::new()))));
    assert!(text(&draw(&app, 80, 24)).contains("Aucune adresse bloquée"));
    assert_eq!(
        app.handle(key(KeyCode::Esc)),
        vec![
            Command::Load(Query::SecurityLog),
            Command::Load(Query::BlockedSources)
        ]
    );
    app.apply(Outcome::Loaded(Ok(Data::BlockedSources(Vec::new()))));
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("Sécurité (5)"), "{t}");
}
