//! Démos techniques: the trainer's screen (list, detail, form, delete with confirmation),
//! the student's screen and the announcement on the student's home screen, at 40×15,
//! 80×24 and 160×48.

use chrono::{DateTime, Duration, TimeZone, Utc};
use portail::services::tech_demos::{DemoAudience, DemoClass, DemoStatus};
use portail::{Role, User};

use super::admin::trainer;
use super::support::*;
use crate::*;

/// Monday 30 November 2026, 09:00 in Paris: every test's clock.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap()
}

fn demo(id: i64, title: &str, starts_at: DateTime<Utc>, status: DemoStatus) -> Demo {
    Demo {
        id,
        course_id: 3,
        course_title: "Conteneurs".into(),
        lesson_id: None,
        lesson_title: None,
        title: title.into(),
        description: String::new(),
        starts_at,
        duration_minutes: 45,
        audience: DemoAudience::Course,
        classes: Vec::new(),
        repo_url: None,
        slides_url: None,
        status,
        started_at: None,
        ended_at: None,
        recording_file_id: None,
        created_at: now(),
        updated_at: now(),
    }
}

fn demos() -> Vec<Demo> {
    let mut first = demo(
        7,
        "Docker multi-stage",
        now() + Duration::minutes(10),
        DemoStatus::Planned,
    );
    first.lesson_id = Some(2);
    first.lesson_title = Some("Images".into());
    first.description = "Une image de 900 Mo ramenée à 20 Mo.\nDeux étapes.".into();
    first.repo_url = Some("https://git.example.fr/docker-demo".into());
    first.slides_url = Some("https://slides.example.fr/docker".into());
    let mut second = demo(
        8,
        "Réseaux \x1b[31mbridge\x1b]0;pwned\x07",
        Utc.with_ymd_and_hms(2026, 12, 3, 13, 0, 0).unwrap(),
        DemoStatus::Planned,
    );
    second.audience = DemoAudience::Classes;
    second.classes = vec![DemoClass {
        id: 4,
        name: "Promo 2026".into(),
        organisation_name: "Alpha".into(),
    }];
    let done = demo(
        9,
        "Volumes",
        Utc.with_ymd_and_hms(2026, 11, 23, 13, 0, 0).unwrap(),
        DemoStatus::Done,
    );
    vec![first, second, done]
}

fn course(id: i64, title: &str) -> portail::services::courses::Course {
    let mut c = super::admin::course_detail_pub().course;
    c.id = id;
    c.title = title.into();
    c
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

fn at_now(user: User) -> App {
    let mut app = App::new(user, false);
    app.set_now(now());
    app
}

/// The trainer's home, then "Démos" (9th entry).
fn trainer_list() -> App {
    let mut app = at_now(trainer());
    assert_eq!(app.handle(ch('9')), vec![Command::Load(Query::Demos)]);
    loaded(&mut app, Data::Demos(demos()));
    app
}

#[test]
fn trainer_demo_list_snapshots() {
    let app = trainer_list();
    snapshots!("demo_list", app);
    let t = text(&app, 160, 48);
    assert!(t.contains("Démos techniques (3)"), "{t}");
    assert!(t.contains("2026-11-30 09:10"), "{t}");
    assert!(t.contains("Alpha / Promo 2026"), "{t}");
    assert!(t.contains("Participants du cours"), "{t}");
    assert!(t.contains("Terminée"), "{t}");
    // What the trainer typed as a title reaches no terminal raw.
    for (w, h) in SIZES {
        let term = draw(&app, w, h);
        for cell in term.backend().buffer().content() {
            assert!(!cell.symbol().chars().any(char::is_control), "{w}x{h}");
        }
    }
}

#[test]
fn trainer_demo_detail_and_form_snapshots() {
    let mut app = trainer_list();
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Load(Query::Demo(7))]
    );
    loaded(&mut app, Data::Demo(Box::new(demos()[0].clone())));
    snapshots!("demo_detail", app);
    let t = text(&app, 80, 24);
    assert!(t.contains("2026-11-30 09:10 (aujourd'hui à 09:10)"), "{t}");
    assert!(t.contains("https://git.example.fr/docker-demo"), "{t}");
    assert!(t.contains("Images"), "{t}");
    // e: the form, filled in, its course fixed.
    let cmds = app.handle(ch('e'));
    assert_eq!(cmds, vec![Command::Load(Query::Course(3))]);
    snapshots!("demo_form_edit", app);
    let t = text(&app, 80, 24);
    assert!(t.contains("Conteneurs (ne change pas)"), "{t}");
    assert!(t.contains("2026-11-30 09:10"), "{t}");
}

#[test]
fn trainer_plans_a_demo_and_the_service_names_the_faulty_field() {
    let mut app = trainer_list();
    let cmds = app.handle(ch('n'));
    assert_eq!(cmds, vec![Command::Load(Query::Courses)]);
    snapshots!("demo_form_new", app);
    loaded(
        &mut app,
        Data::Courses(vec![course(3, "Conteneurs"), course(5, "Git")]),
    );
    // Course: Git (→), then lesson, title, start, duration, classes.
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    for c in "Rebase interactif".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    for c in "2026-12-03 14:00".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    for c in "30".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    for c in "Promo 2026".chars() {
        app.handle(ch(c));
    }
    let cmds = app.handle(ctrl('s'));
    let Some(Command::Run(Action::SaveDemo { id: None, input })) = cmds.first() else {
        panic!("{cmds:?}");
    };
    assert_eq!(input.course_id, 5);
    assert_eq!(input.title, "Rebase interactif");
    assert_eq!(input.starts_at, "2026-12-03 14:00");
    assert_eq!(input.duration_minutes, "30");
    assert_eq!(input.classes, vec!["Promo 2026".to_string()]);
    assert_eq!(input.lesson_id, None);
    // The service refuses the start: the form focuses it and says why.
    app.apply(Outcome::Ran(Err(Failure {
        message: "Début (AAAA-MM-JJ HH:MM) : date et heure invalides".into(),
        fields: vec![(Key::DmFieldStarts, "date et heure invalides".into())],
    })));
    let t = text(&app, 80, 24);
    assert!(t.contains("date et heure invalides"), "{t}");
    // Saved: back to the list, which reloads.
    let cmds = app.apply(Outcome::Ran(Ok(Effect::Saved)));
    assert_eq!(cmds, vec![Command::Load(Query::Demos)]);
}

#[test]
fn trainer_deletes_after_a_confirmation() {
    let mut app = trainer_list();
    assert!(app.handle(ch('d')).is_empty());
    let t = text(&app, 80, 24);
    assert!(
        t.contains("Supprimer la démo technique « Docker multi-stage » ?"),
        "{t}"
    );
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::DeleteDemo(7))]
    );
    // From the detail too; a demo that went live says its recording goes with it.
    app.handle(key(KeyCode::End));
    app.handle(key(KeyCode::Enter));
    loaded(&mut app, Data::Demo(Box::new(demos()[2].clone())));
    assert!(app.handle(ch('d')).is_empty());
    let t = text(&app, 160, 48);
    assert!(t.contains("son enregistrement part avec elle"), "{t}");
    assert!(app.handle(ch('n')).is_empty());
    // Help on the screen.
    app.handle(ch('?'));
    assert!(text(&app, 80, 24).contains("Aide"));
}

#[test]
fn student_home_announces_the_upcoming_demos() {
    let mut app = at_now(student());
    assert_eq!(
        app.start(),
        vec![
            Command::Load(Query::Unread),
            Command::Load(Query::Logos(None)),
            Command::Load(Query::MyDemos)
        ]
    );
    let t = text(&app, 80, 24);
    assert!(!t.contains("Démo en direct"), "{t}");
    loaded(&mut app, Data::MyDemos(demos()));
    snapshots!("demo_student_home", app);
    let t = text(&app, 80, 24);
    assert!(
        t.contains("Démo en direct dans 10 min : Docker multi-stage"),
        "{t}"
    );
    assert!(
        t.contains("Démo technique jeudi 3 déc. à 14:00 : Réseaux [31mbridge"),
        "{t}"
    );
    // A past demo is not announced; the menu stays whole at 80×24.
    assert!(!t.contains("Volumes"), "{t}");
    assert!(t.contains("Quitter"), "{t}");
    // Live: marked so.
    let mut live = demos();
    live[0].status = DemoStatus::Live;
    loaded(&mut app, Data::MyDemos(live));
    assert!(text(&app, 80, 24).contains("● EN DIRECT : Docker multi-stage"));
}

#[test]
fn student_demo_screen_lists_theirs_and_shows_one_read_only() {
    let mut app = at_now(student());
    assert_eq!(app.handle(ch('5')), vec![Command::Load(Query::MyDemos)]);
    loaded(&mut app, Data::MyDemos(demos()));
    snapshots!("demo_student_list", app);
    let t = text(&app, 80, 24);
    assert!(t.contains("Mes démos techniques (3)"), "{t}");
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Load(Query::Demo(7))]
    );
    loaded(&mut app, Data::Demo(Box::new(demos()[0].clone())));
    let t = text(&app, 80, 24);
    assert!(t.contains("https://slides.example.fr/docker"), "{t}");
    assert!(!t.contains("Enregistrement"), "{t}");
    // No editing nor deleting for a student.
    assert!(app.handle(ch('e')).is_empty());
    assert!(app.handle(ch('d')).is_empty());
    assert!(!text(&app, 80, 24).contains("Supprimer"));
    // Back home: the demos are loaded again.
    app.handle(key(KeyCode::Esc));
    assert_eq!(
        app.handle(key(KeyCode::Esc)),
        vec![Command::Load(Query::MyDemos)]
    );
}
