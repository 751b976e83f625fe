//! Replaying a technical demo's recording: opened from the demo's detail, drawn as text
//! from a virtual terminal (escape sequences never pass), play/pause, seek, markers,
//! speed, panning a recording wider than the window, and the activity log on leaving.
//! Snapshots at 40×15, 80×24 and 160×48.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use portail::services::tech_demos::{DemoAudience, DemoStatus};
use portail::{Role, User};

use super::admin::trainer;
use super::support::*;
use crate::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap()
}

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

fn recorded_demo() -> Demo {
    Demo {
        id: 9,
        course_id: 3,
        course_title: "Conteneurs".into(),
        lesson_id: None,
        lesson_title: None,
        title: "Volumes".into(),
        description: String::new(),
        starts_at: now() - Duration::days(7),
        duration_minutes: 45,
        audience: DemoAudience::Course,
        classes: Vec::new(),
        repo_url: None,
        slides_url: None,
        status: DemoStatus::Done,
        started_at: None,
        ended_at: None,
        recording_file_id: Some(41),
        created_at: now(),
        updated_at: now(),
    }
}

/// A 100×30 recording: a command, a 60 s silence, a marker, a second step whose text
/// sits at column 70, and escape sequences that must never reach the user.
fn timeline() -> Arc<Timeline> {
    let cast = "{\"version\": 2, \"width\": 100, \"height\": 30}\n\
        [0.5, \"o\", \"$ docker volume ls\\r\\n\"]\n\
        [1.0, \"o\", \"DRIVER    VOLUME NAME\\r\\n\\u001b]52;c;cGF5bG9hZA==\\u0007\\u001b]0;pwned\\u0007\"]\n\
        [61.0, \"m\", \"Étape 2\"]\n\
        [61.5, \"o\", \"\\u001b[10;70HDEUXIEME ETAPE\"]\n\
        [63.0, \"o\", \".\"]\n[64.5, \"o\", \".\"]\n[66.0, \"o\", \".\"]\n\
        [67.5, \"o\", \".\"]\n[69.0, \"o\", \".\"]\n\
        [70.5, \"o\", \"\\r\\nfin\"]\n";
    Arc::new(
        portail::asciicast::parse(cast.as_bytes())
            .unwrap()
            .timeline(),
    )
}

/// A student on the demo's detail, then `r`: the replay, loaded, at 0:00.
fn replay() -> App {
    let mut app = App::new(student(), false);
    app.set_now(now());
    app.handle(ch('5'));
    loaded(&mut app, Data::MyDemos(vec![recorded_demo()]));
    app.handle(key(KeyCode::Enter));
    loaded(&mut app, Data::Demo(Box::new(recorded_demo())));
    assert!(text(&app, 80, 24).contains("r revoir"));
    assert_eq!(
        app.handle(ch('r')),
        vec![Command::Load(Query::DemoRecording(9))]
    );
    assert!(text(&app, 80, 24).contains("Chargement de l'enregistrement"));
    loaded(&mut app, Data::DemoRecording(9, Some(timeline())));
    assert!(app.animating(), "it plays at once");
    app
}

fn at(secs: f64) -> DateTime<Utc> {
    now() + Duration::milliseconds((secs * 1000.0) as i64)
}

#[test]
fn a_recording_plays_seeks_and_jumps_to_markers() {
    let mut app = replay();
    // 0.5 s per tick, at most one second per step.
    for i in 1..=3 {
        app.tick(at(i as f64 * 0.5));
    }
    let t = text(&app, 80, 24);
    assert!(t.contains("$ docker volume ls"), "{t}");
    assert!(t.contains("DRIVER    VOLUME NAME"), "{t}");
    assert!(
        t.contains("▶ 0:01 / 0:12 ×1"),
        "the 60 s silence is cut to 2 s: {t}"
    );
    snapshots!("replay_playing", app);
    // Space pauses; the clock no longer moves it.
    app.handle(ch(' '));
    assert!(!app.animating());
    app.tick(at(5.0));
    assert!(text(&app, 80, 24).contains("⏸ 0:01 / 0:12"));
    // n: the next marker, named on the progress line.
    app.handle(ch('n'));
    let t = text(&app, 160, 48);
    assert!(t.contains("0:03 / 0:12") && t.contains("Étape 2"), "{t}");
    // → +5 s: the second step is on screen.
    app.handle(key(KeyCode::Right));
    let t = text(&app, 160, 48);
    assert!(t.contains("DEUXIEME ETAPE") && t.contains("0:08"), "{t}");
    // ← −5 s: replayed from the start, the second step is gone again.
    app.handle(key(KeyCode::Left));
    app.handle(key(KeyCode::Left));
    let t = text(&app, 160, 48);
    assert!(
        !t.contains("DEUXIEME ETAPE") && t.contains("0:00 / 0:12"),
        "{t}"
    );
    // Speeds ×1/×2/×4.
    app.handle(ch('+'));
    app.handle(ch('+'));
    app.handle(ch('+'));
    assert!(text(&app, 80, 24).contains("×4"));
    app.handle(ch('-'));
    assert!(text(&app, 80, 24).contains("×2"));
    app.handle(ch('1'));
    assert!(text(&app, 80, 24).contains("×1"));
    // Nothing the recording sent reaches the terminal raw.
    app.handle(key(KeyCode::End));
    for (w, h) in SIZES {
        let term = draw(&app, w, h);
        for cell in term.backend().buffer().content() {
            assert!(!cell.symbol().chars().any(char::is_control), "{w}x{h}");
        }
    }
    // Esc: back to the detail, and how far the student went is logged.
    assert_eq!(
        app.handle(key(KeyCode::Esc)),
        vec![
            Command::Run(Action::LogReplay {
                demo: 9,
                reached: 13,
                total: 13
            }),
            Command::Load(Query::Demo(9))
        ]
    );
}

#[test]
fn a_wide_recording_pans_and_follows_the_cursor_on_a_phone() {
    let mut app = replay();
    app.handle(ch(' '));
    app.handle(ch('n'));
    app.handle(key(KeyCode::Right));
    // 40 columns: the text at column 70 is off screen…
    assert!(!text(&app, 40, 15).contains("DEUXIEME"));
    snapshots!("replay_wide_origin", app);
    // … f follows the cursor (after it, on row 10, column 86).
    app.handle(ch('f'));
    let t = text(&app, 40, 15);
    assert!(t.contains("ETAPE") && t.contains("Étape 2 · suivi"), "{t}");
    snapshots!("replay_wide_follow", app);
    // Panning by hand: l moves right (and leaves follow mode when with Shift+arrows).
    app.handle(ch('f'));
    for _ in 0..20 {
        app.handle(ch('l'));
    }
    app.handle(ch('j'));
    let t = text(&app, 40, 15);
    assert!(t.contains("DEUXIEME ETAPE"), "{t}");
}

#[test]
fn a_demo_without_recording_says_so() {
    let mut app = App::new(student(), false);
    app.set_now(now());
    let mut d = recorded_demo();
    d.recording_file_id = None;
    app.handle(ch('5'));
    loaded(&mut app, Data::MyDemos(vec![d.clone()]));
    app.handle(key(KeyCode::Enter));
    loaded(&mut app, Data::Demo(Box::new(d)));
    assert!(
        app.handle(ch('r')).is_empty(),
        "no replay without a recording"
    );
}

/// Quitting (`q`) or losing the connection in the middle of a replay still logs how far
/// the student went — once.
#[test]
fn a_replay_left_by_quitting_or_a_dropped_link_is_logged_once() {
    let mut app = replay();
    app.tick(at(0.5));
    app.tick(at(1.0));
    let cmds = app.handle(ch('q'));
    assert!(
        matches!(
            cmds.as_slice(),
            [
                Command::Run(Action::LogReplay { demo: 9, .. }),
                ..,
                Command::Quit
            ]
        ),
        "{cmds:?}"
    );
    assert!(app.closing().is_empty(), "logged once");
    // The link drops while a replay plays: the session asks the screens what is left.
    let mut app = replay();
    app.tick(at(0.5));
    let last = app.closing();
    assert!(
        matches!(
            last.as_slice(),
            [Command::Run(Action::LogReplay { demo: 9, .. })]
        ),
        "{last:?}"
    );
    assert!(app.closing().is_empty());
}
