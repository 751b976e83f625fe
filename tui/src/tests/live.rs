//! Watching a live demo: the student opens it from their Démos list, sees the trainer's
//! screen at once (80×24, and a 40×15 phone following the cursor), pans a larger
//! terminal, sees the pause, and asks a question without leaving.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use portail::live::LiveDemo;
use portail::services::tech_demos::{DemoAudience, DemoStatus};
use portail::{Role, User};

use super::admin::trainer;
use super::support::*;
use crate::*;

fn student() -> User {
    User {
        id: 2,
        role: Role::Student,
        email: "lea@example.fr".into(),
        first_name: "Léa".into(),
        last_name: "Bernard".into(),
        login: None,
        ..trainer()
    }
}

fn live_demo() -> Demo {
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
    Demo {
        id: 7,
        course_id: 3,
        course_title: "Conteneurs".into(),
        lesson_id: None,
        lesson_title: None,
        title: "Docker \x1b[31mmulti-stage".into(),
        description: String::new(),
        starts_at: at,
        duration_minutes: 45,
        audience: DemoAudience::Course,
        classes: Vec::new(),
        repo_url: None,
        slides_url: None,
        status: DemoStatus::Live,
        started_at: Some(at),
        ended_at: None,
        recording_file_id: None,
        created_at: at,
        updated_at: at,
    }
}

/// The trainer's terminal: a prompt, a command and its output, colours, a title escape.
fn trainer_screen(cols: u32, rows: u32) -> Arc<LiveDemo> {
    let live = Arc::new(LiveDemo::new(7, cols, rows));
    live.feed(b"\x1b]0;pwned\x07\x1b[32mformateur@poste\x1b[0m:~$ docker build -t app .\r\n");
    live.feed(b"Step 1/2 : FROM rust AS build\r\nStep 2/2 : FROM debian:slim\r\n");
    live.feed("Successfully built 3f2a — 20 Mo\r\n\x1b[32mformateur@poste\x1b[0m:~$ ".as_bytes());
    live
}

/// A student's app on the watcher of `live`, opened from the Démos list.
fn watching(live: Arc<LiveDemo>) -> App {
    let mut app = App::new(student(), false);
    app.handle(ch('5'));
    loaded(&mut app, Data::MyDemos(vec![live_demo()]));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Load(Query::LiveDemo(7))]
    );
    assert!(app.live_watch().is_none());
    loaded(
        &mut app,
        Data::LiveDemo(Box::new(live_demo()), live.clone()),
    );
    assert!(Arc::ptr_eq(&app.live_watch().unwrap(), &live));
    app
}

#[test]
fn a_late_joiner_sees_the_current_screen_at_once() {
    let app = watching(trainer_screen(80, 22));
    let t = text(&app, 80, 24);
    assert!(t.contains("● EN DIRECT : Docker [31mmulti-stage"), "{t}");
    assert!(
        t.contains("formateur@poste:~$ docker build -t app ."),
        "{t}"
    );
    assert!(t.contains("Successfully built 3f2a — 20 Mo"), "{t}");
    assert!(!t.contains("pwned"), "{t}");
    snapshots!("live_watch", app);
}

#[test]
fn a_phone_follows_the_cursor_and_arrows_pan() {
    // 120 columns, cursor at the bottom right: a 40×15 phone follows it.
    let live = trainer_screen(120, 40);
    live.feed(b"\x1b[38;100Hecho ici");
    let mut app = watching(live.clone());
    let t = text(&app, 40, 15);
    assert!(t.contains("echo ici"), "{t}");
    assert!(text(&app, 80, 24).contains("120×40"));
    // Home: the top left, following no more.
    app.handle(key(KeyCode::Home));
    let t = text(&app, 40, 15);
    assert!(t.contains("formateur@poste:~$ dock"), "{t}");
    assert!(!t.contains("echo ici"), "{t}");
    // The trainer types on: the view stays where the student put it...
    live.feed(b"\r\nplus bas");
    assert!(!text(&app, 40, 15).contains("plus bas"));
    // ... until f: it follows the cursor again.
    app.handle(ch('f'));
    assert!(text(&app, 40, 15).contains("plus bas"));
    // Arrows pan (and stop following).
    app.handle(key(KeyCode::Home));
    app.handle(key(KeyCode::Right));
    let t = text(&app, 40, 15);
    assert!(t.contains("ateur@poste:~$ docker"), "{t}");
    app.handle(key(KeyCode::Down));
    let t = text(&app, 40, 15);
    assert!(t.contains("1/2"), "{t}");
    assert!(!t.contains("ateur@poste:~$ docker"), "{t}");
    // The three sizes, following the cursor at the bottom right.
    let live = trainer_screen(120, 40);
    live.feed(b"\x1b[38;100Hecho ici");
    let big = watching(live);
    snapshots!("live_watch_large", big);
}

#[test]
fn pause_freezes_and_end_says_so() {
    let live = trainer_screen(80, 22);
    let app = watching(live.clone());
    live.pause();
    live.feed(b"\r\nexport TOKEN=secret");
    let t = text(&app, 80, 24);
    assert!(t.contains("EN PAUSE"), "{t}");
    assert!(
        t.contains("le formateur a mis la diffusion en pause"),
        "{t}"
    );
    assert!(!t.contains("secret"), "{t}");
    live.feed(b"\x1b[2J\x1b[H");
    live.resume();
    let t = text(&app, 80, 24);
    assert!(t.contains("● EN DIRECT"), "{t}");
    assert!(!t.contains("secret"), "{t}");
    live.end();
    let t = text(&app, 40, 15);
    assert!(t.contains("La démo est terminée"), "{t}");
}

#[test]
fn a_question_goes_to_the_trainer_without_leaving() {
    let mut app = watching(trainer_screen(80, 22));
    app.handle(ch('m'));
    // q is typed, not quit.
    for c in "quelle image de base ?".chars() {
        assert!(app.handle(ch(c)).is_empty());
    }
    assert!(!app.should_quit());
    let t = text(&app, 40, 15);
    assert!(t.contains("Question : "), "{t}");
    assert!(t.contains("Entrée envoyer"), "{t}");
    snapshots!("live_question", app);
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Run(Action::AskDemo {
            demo: 7,
            text: "quelle image de base ?".into()
        })]
    );
    app.apply(Outcome::Ran(Ok(Effect::MessageSent { thread: 1 })));
    let t = text(&app, 80, 24);
    assert!(t.contains("Question envoyée au formateur."), "{t}");
    assert!(!t.contains("Question : "), "{t}");
    // Still watching.
    assert!(app.live_watch().is_some());
    // Help.
    app.handle(ch('?'));
    assert!(text(&app, 80, 24).contains("suivre le curseur"));
}

#[test]
fn a_student_demo_list_reloads_when_a_demo_goes_live() {
    let mut app = App::new(student(), false);
    assert_eq!(app.demos_changed(), vec![Command::Load(Query::MyDemos)]);
    let mut t = App::new(trainer(), false);
    assert_eq!(t.demos_changed(), vec![Command::Load(Query::Demos)]);
}

/// Fuzz-style: seeded random streams (biased toward escape sequences and in-band
/// resizes) through the parser and the watcher's rendering at 40×15 and 80×24: no panic,
/// no control character in any drawn cell. `fuzz/fuzz_targets/live_stream.rs` searches
/// further with cargo-fuzz.
#[test]
fn random_streams_render_clean() {
    let mut x: u64 = 0x5eed_1600;
    let mut next = move || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) as u8
    };
    const ALPHABET: &[u8] =
        b"\x1b[];0123456789tHJKrmhl?\x07\x9b\r\n\t\xe2\x80\xae\xf0\x9f\x98\x80ab";
    for round in 0..40 {
        let live = Arc::new(LiveDemo::new(7, 80, 24));
        let app = watching(live.clone());
        for _ in 0..50 {
            let n = next() as usize * 4;
            let bytes: Vec<u8> = (0..n)
                .map(|_| {
                    let b = next();
                    if round % 2 == 0 {
                        ALPHABET[b as usize % ALPHABET.len()]
                    } else {
                        b
                    }
                })
                .collect();
            live.feed(&bytes);
        }
        for (w, h) in [(40, 15), (80, 24)] {
            let term = draw(&app, w, h);
            let buf = term.backend().buffer();
            for cell in buf.content() {
                assert!(
                    !cell.symbol().chars().any(portail::sanitize::is_dangerous),
                    "round {round}: {:?}",
                    cell.symbol()
                );
            }
        }
    }
}
