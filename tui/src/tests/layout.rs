//! What a phone-sized window (40×15) must still show: every key of every hint line, a
//! mark when a menu or list has more items than fit, and the selection always in sight.

use portail::i18n::{Key, t};
use portail::{Lang, Role};

use super::support::*;
use super::user;
use crate::theme::{MAX_STATUS_LINES, status_lines};
use crate::*;

/// The trainer's menu at 40×15 shows 8 of its 10 entries.
const TRAINER_MENU_LEN: usize = 11;

/// The keys shown in the status bar that are not named `…Hint…`.
const OTHER_STATUS_KEYS: [Key; 3] = [Key::SpQrClose, Key::UiNoticeClose, Key::QtGrading];

#[test]
fn every_hint_line_shows_all_its_keys_at_40_columns() {
    let keys = Key::ALL
        .iter()
        .filter(|k| k.name().contains("Hint") || OTHER_STATUS_KEYS.contains(k));
    let mut checked = 0;
    for key in keys {
        for lang in Lang::ALL {
            let hint = t(lang, *key);
            let lines = status_lines(hint, MIN_WIDTH);
            assert!(
                lines.len() <= MAX_STATUS_LINES,
                "{} ({lang:?}) needs {} lines at {MIN_WIDTH} columns: {lines:#?}",
                key.name(),
                lines.len()
            );
            for line in &lines {
                assert!(
                    unicode_width::UnicodeWidthStr::width(line.as_str()) <= MIN_WIDTH as usize,
                    "{line:?}"
                );
            }
            // Every part ("Échap retour") is whole on one line.
            for part in hint.split(" · ") {
                assert!(
                    lines.iter().any(|l| l.contains(part.trim())),
                    "{}: {part:?} is cut: {lines:#?}",
                    key.name()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} hint lines found");
}

#[test]
fn status_lines_break_between_keys_then_words() {
    assert_eq!(
        status_lines("↑↓ choisir · Entrée ouvrir · ? aide · q quitter", 40),
        vec!["↑↓ choisir · Entrée ouvrir · ? aide", "q quitter"]
    );
    assert_eq!(status_lines("a · b", 80), vec!["a · b"]);
    assert_eq!(
        status_lines(
            "Le serveur Portail s'arrête : votre session va se fermer.",
            20
        ),
        vec![
            "Le serveur Portail",
            "s'arrête : votre",
            "session va se",
            "fermer."
        ]
    );
    assert_eq!(status_lines("", 40), vec![""]);
}

#[test]
fn the_home_menu_says_what_is_below_and_keeps_the_selection_in_sight() {
    let mut app = App::new(user(Role::Trainer), false);
    let t = text(&app, 40, 15);
    assert!(t.contains("↓ 3 de plus"), "{t}");
    assert!(!t.contains("de plus ·"), "{t}");
    assert!(!t.contains("Quitter"), "{t}");
    // Down, entry after entry: the selected one is always drawn, the marks follow.
    for n in 2..=TRAINER_MENU_LEN {
        app.handle(ch('j'));
        let t = text(&app, 40, 15);
        assert!(
            t.lines().any(|l| l.contains(&format!("› {n} "))),
            "entry {n} not in sight:\n{t}"
        );
    }
    let t = text(&app, 40, 15);
    assert!(t.contains("↑ 3 de plus") && t.contains("11 Quitter"), "{t}");
    assert!(!t.contains("↓ 3 de plus"), "{t}");
    // Up one: the window does not jump back.
    app.handle(ch('k'));
    let t = text(&app, 40, 15);
    assert!(
        t.contains("› 10 Sécurité") && t.contains("11 Quitter"),
        "{t}"
    );
    app.handle(ch('j'));
    snapshots!("trainer_home_last", app);
    // Larger windows show the whole menu: no mark.
    for (w, h) in [(80, 24), (160, 48)] {
        let t = text(&app, w, h);
        assert!(!t.contains("de plus"), "{w}×{h}:\n{t}");
    }
}

#[test]
fn the_marks_are_in_the_user_language() {
    let mut u = user(Role::Trainer);
    u.language = Lang::En;
    let app = App::new(u, false);
    let t = text(&app, 40, 15);
    assert!(t.contains("↓ 2 more"), "{t}");
    assert!(t.contains("q quit"), "{t}");
}

#[test]
fn the_student_menu_fits_and_has_no_mark() {
    let app = App::new(user(Role::Student), false);
    for (w, h) in SIZES {
        let t = text(&app, w, h);
        assert!(t.contains("6 Quitter") && !t.contains("de plus"), "{t}");
    }
}

/// The hint line of every screen of the home menu, drawn at 40×15: each key is whole.
#[test]
fn every_menu_screen_shows_its_whole_hint_line_at_40_columns() {
    for role in [Role::Trainer, Role::Student] {
        let len = if role == Role::Trainer {
            TRAINER_MENU_LEN
        } else {
            6
        };
        for i in 0..len - 1 {
            let mut app = App::new(user(role), false);
            for _ in 0..i {
                app.handle(ch('j'));
            }
            app.handle(key(KeyCode::Enter));
            let term = draw(&app, 40, 15);
            let screen = screen(&term);
            let hint = app.hints();
            let bottom: Vec<&str> = screen.lines().rev().take(MAX_STATUS_LINES).collect();
            for part in hint.split(" · ") {
                assert!(
                    bottom.iter().any(|l| l.contains(part.trim())),
                    "{role:?} entry {}: {part:?} not shown:\n{screen}",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn a_long_list_says_what_is_above_and_below() {
    let orgs: Vec<_> = (1..=30)
        .map(|i| {
            let mut o = super::admin::orgs()[1].clone();
            o.id = i;
            o.name = format!("Organisme {i:02}");
            o
        })
        .collect();
    let mut app = App::new(super::admin::trainer(), false);
    app.handle(ch('1'));
    loaded(&mut app, Data::Orgs(orgs));
    let t = text(&app, 40, 15);
    assert!(t.contains("↓ 21 de plus") && !t.contains("↑"), "{t}");
    app.handle(key(KeyCode::PageDown));
    let t = text(&app, 40, 15);
    assert!(t.contains("↑") && t.contains("· ↓"), "{t}");
    app.handle(key(KeyCode::End));
    let t = text(&app, 40, 15);
    assert!(t.contains("Organisme 30") && !t.contains("↓"), "{t}");
    snapshots!("org_list_end", app);
}
