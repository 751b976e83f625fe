//! The student's space (Mes cours, a course, lessons, resources and QR codes, Mon compte)
//! and the trainer's progress views: commands emitted, outcomes applied, live reloads,
//! hyperlinks, and snapshots at phone, classic and wide sizes.

use chrono::{NaiveDate, TimeZone, Utc};
use portail::services::courses::{Course, CourseDetail, CourseStatus, Lesson, Resource};
use portail::services::learning::{
    ActivityEntry, LessonState, MyCourse, MyCourseDetail, ProgressRow,
};
use portail::services::profile::Profile;
use portail::{Lang, Role, User};

use super::support::{SIZES, ch, draw, key, loaded, screen, text};
use crate::*;

fn ts(d: u32, h: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, d, h, 30, 0).unwrap()
}

pub(super) fn user(role: Role) -> User {
    User {
        id: 10,
        role,
        email: "lea.bernard@example.fr".into(),
        login: None,
        first_name: "Léa".into(),
        last_name: "Bernard".into(),
        phone: Some("06 12 34 56 78".into()),
        language: Lang::Fr,
        disabled: false,
        must_change_password: false,
        created_at: ts(1, 8),
        last_login_at: None,
    }
}

pub(super) fn my_courses() -> Vec<MyCourse> {
    vec![
        MyCourse {
            id: 7,
            title: "Rust pour débutants".into(),
            description: String::new(),
            duration_hours: Some(14.0),
            start_date: NaiveDate::from_ymd_opt(2026, 9, 1),
            end_date: NaiveDate::from_ymd_opt(2026, 12, 18),
            total_lessons: 3,
            completed_lessons: 1,
            progress_percent: 33,
            next_lesson: Some(2),
            last_activity: Some(ts(3, 9)),
            access: Default::default(),
        },
        MyCourse {
            id: 8,
            title: "Shell et scripts Bash".into(),
            description: String::new(),
            duration_hours: None,
            start_date: None,
            end_date: None,
            total_lessons: 2,
            completed_lessons: 2,
            progress_percent: 100,
            next_lesson: None,
            last_activity: None,
            access: Default::default(),
        },
    ]
}

fn lesson(id: i64, position: i64, title: &str, body: &str) -> Lesson {
    Lesson {
        id,
        course_id: 7,
        position,
        title: title.into(),
        body: body.into(),
    }
}

const BODY: &str = "# Les variables\n\nEn Rust, une variable est *immuable* par défaut.\n\n\
                    - `let x = 5;`\n- `let mut y = 6;`\n\nVoir [le livre](https://doc.rust-lang.org/book/).\n";

pub(super) fn my_course(done: &[bool]) -> MyCourseDetail {
    let lessons = vec![
        lesson(70, 1, "Installer la chaîne d'outils", "Installez `rustup`."),
        lesson(71, 2, "Les variables", BODY),
        lesson(72, 3, "La possession", "## Emprunts\n\n1. un\n2. deux"),
    ];
    let progress: Vec<LessonState> = lessons
        .iter()
        .zip(done)
        .map(|(l, d)| LessonState {
            lesson_id: l.id,
            position: l.position,
            opened: *d,
            completed_at: d.then(|| ts(2, 10)),
        })
        .collect();
    let n = done.iter().filter(|d| **d).count() as i64;
    MyCourseDetail {
        detail: CourseDetail {
            course: Course {
                id: 7,
                title: "Rust pour débutants".into(),
                description: "Premiers pas en **Rust**.".into(),
                objectives: vec![
                    "Écrire un programme".into(),
                    "Comprendre la possession".into(),
                ],
                duration_hours: Some(14.0),
                level: Some("Débutant".into()),
                prerequisites: None,
                status: CourseStatus::Published,
                lesson_count: 3,
                created_at: ts(1, 8),
                updated_at: ts(1, 8),
            },
            lessons,
            resources: vec![
                Resource {
                    id: 80,
                    course_id: 7,
                    lesson_id: None,
                    kind: "link".into(),
                    title: "Le livre".into(),
                    url: Some("https://doc.rust-lang.org/book/".into()),
                    ..Default::default()
                },
                Resource {
                    id: 81,
                    course_id: 7,
                    lesson_id: None,
                    kind: "link".into(),
                    title: "Piège".into(),
                    url: Some("https://evil.example/\x1b]52;c;SGVsbG8=\x07".into()),
                    ..Default::default()
                },
            ],
        },
        progress,
        progress_percent: n * 100 / 3,
        start_date: NaiveDate::from_ymd_opt(2026, 9, 1),
        end_date: NaiveDate::from_ymd_opt(2026, 12, 18),
        access: Default::default(),
    }
}

/// A student in "Mes cours" with two courses.
pub(super) fn my_courses_app() -> App {
    let mut app = App::new(user(Role::Student), false);
    assert_eq!(app.handle(ch('1')), vec![Command::Load(Query::MyCourses)]);
    loaded(&mut app, Data::MyCourses(my_courses()));
    app
}

/// The student "continued" the first course: lesson 2 (the first not done) is open.
pub(super) fn course_app() -> App {
    let mut app = my_courses_app();
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![
            Command::Load(Query::MyCourse(7)),
            Command::Load(Query::Logos(Some(7)))
        ]
    );
    let next = loaded(
        &mut app,
        Data::MyCourse(Box::new(my_course(&[true, false, false]))),
    );
    // Resuming records the lesson as opened.
    assert_eq!(next, vec![Command::Run(Action::OpenLesson(71))]);
    app
}

#[test]
fn my_courses_list_progress_dates_and_continue() {
    let app = my_courses_app();
    let t = text(&app, 80, 24);
    assert!(t.contains("Mes cours (2)"), "{t}");
    assert!(t.contains("Rust pour débutants"), "{t}");
    assert!(t.contains("███░░░░░░░  33 %"), "{t}");
    assert!(t.contains("du 2026-09-01 au 2026-12-18"), "{t}");
    assert!(t.contains("leçon 2"), "{t}");
    assert!(t.contains("terminé"), "{t}");
    assert!(t.contains("1 / 3 leçons terminées"), "{t}");
    // `c` continues the selected course too.
    let mut app = my_courses_app();
    app.handle(key(KeyCode::Down));
    assert_eq!(
        app.handle(ch('c')),
        vec![
            Command::Load(Query::MyCourse(8)),
            Command::Load(Query::Logos(Some(8)))
        ]
    );
}

#[test]
fn my_courses_snapshots() {
    snapshots!("my_courses", my_courses_app());
}

#[test]
fn my_courses_empty_and_loading_states() {
    let mut app = App::new(user(Role::Student), false);
    app.handle(ch('1'));
    assert!(text(&app, 80, 24).contains("Chargement…"));
    loaded(&mut app, Data::MyCourses(Vec::new()));
    let t = text(&app, 80, 24);
    assert!(t.contains("Aucun cours ne vous est encore affecté"), "{t}");
    assert!(!t.contains("n pour en créer"), "{t}");
}

#[test]
fn continue_opens_the_first_unfinished_lesson() {
    let app = course_app();
    let t = text(&app, 80, 24);
    assert!(t.contains("2. Les variables"), "{t}");
    assert!(t.contains("· à faire · Leçon 2 / 3"), "{t}");
    assert!(t.contains("immuable"), "{t}");
    // The list beside it marks lesson 1 done.
    assert!(t.contains("✓ 1. Installer"), "{t}");
    // All done: the course opens on its overview, nothing recorded.
    let mut app = my_courses_app();
    app.handle(key(KeyCode::Enter));
    let next = loaded(&mut app, Data::MyCourse(Box::new(my_course(&[true; 3]))));
    assert!(next.is_empty());
    let t = text(&app, 80, 24);
    assert!(t.contains("Présentation"), "{t}");
    assert!(t.contains("Écrire un programme"), "{t}");
    assert!(t.contains("14 h"), "{t}");
}

#[test]
fn lesson_done_undo_next_previous() {
    let mut app = course_app();
    assert_eq!(
        app.handle(ch('d')),
        vec![Command::Run(Action::SetLessonDone {
            lesson: 71,
            done: true
        })]
    );
    // The result: a flash and a reload, the bar follows.
    let next = app.apply(Outcome::Ran(Ok(Effect::Progress {
        done: true,
        percent: 66,
    })));
    assert_eq!(next, vec![Command::Load(Query::MyCourse(7))]);
    assert!(text(&app, 80, 24).contains("progression du cours : 66 %"));
    loaded(
        &mut app,
        Data::MyCourse(Box::new(my_course(&[true, true, false]))),
    );
    let t = text(&app, 80, 24);
    assert!(t.contains("✓ terminée"), "{t}");
    assert!(t.contains("██████░░░░  66 %"), "{t}");
    // Space undoes.
    assert_eq!(
        app.handle(ch(' ')),
        vec![Command::Run(Action::SetLessonDone {
            lesson: 71,
            done: false
        })]
    );
    // n / p move between lessons, each recorded as opened.
    assert_eq!(
        app.handle(ch('n')),
        vec![Command::Run(Action::OpenLesson(72))]
    );
    assert!(text(&app, 80, 24).contains("3. La possession"));
    assert!(app.handle(ch('n')).is_empty(), "no lesson after the last");
    assert_eq!(
        app.handle(ch('p')),
        vec![Command::Run(Action::OpenLesson(71))]
    );
    assert_eq!(
        app.handle(ch('p')),
        vec![Command::Run(Action::OpenLesson(70))]
    );
    assert!(app.handle(ch('p')).is_empty());
}

#[test]
fn course_view_snapshots() {
    // The list (Esc from the lesson): one column on a phone, list + content when wide.
    let mut app = course_app();
    app.handle(key(KeyCode::Esc));
    snapshots!("course_view", app);
}

#[test]
fn lesson_view_snapshots() {
    snapshots!("lesson_view", course_app());
}

#[test]
fn narrow_screens_show_one_column_at_a_time() {
    let mut app = course_app();
    let t = text(&app, 40, 15);
    assert!(
        t.contains("2. Les variables") && !t.contains("Présentation"),
        "{t}"
    );
    app.handle(key(KeyCode::Esc));
    let t = text(&app, 40, 15);
    assert!(
        t.contains("Présentation") && t.contains("✓ 1. Installer"),
        "{t}"
    );
    // Esc again leaves the course.
    app.handle(key(KeyCode::Esc));
    assert!(text(&app, 40, 15).contains("Mes cours (2)"));
}

/// The course with its resources open.
pub(super) fn resources_app() -> App {
    let mut app = course_app();
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::End));
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    app
}

#[test]
fn resources_are_links_hyperlinks_and_plain_text() {
    let app = resources_app();
    let term = draw(&app, 100, 30);
    let t = screen(&term);
    assert!(t.contains("Le livre"), "{t}");
    assert!(t.contains("https://doc.rust-lang.org/book/"), "{t}");
    // The unsafe one is shown sanitized, never as a link.
    assert!(t.contains("lien non affiché"), "{t}");
    let links = app.hyperlinks();
    assert_eq!(links.len(), 1, "{links:?}");
    let l = &links[0];
    assert_eq!(l.url, "https://doc.rust-lang.org/book/");
    // The link's text is exactly what the frame shows at its place.
    let buf = term.backend().buffer();
    let drawn: String = (0..l.text.chars().count() as u16)
        .map(|i| buf[(l.x + i, l.y)].symbol().to_string())
        .collect();
    assert_eq!(drawn, l.text);
    // No control character anywhere on screen.
    assert!(
        buf.content()
            .iter()
            .all(|c| !c.symbol().chars().any(|c| c.is_control()))
    );
    // Too small a window: the notice only, no link written over it.
    draw(&app, 30, 10);
    assert!(app.hyperlinks().is_empty());
    draw(&app, 100, 30);
    assert_eq!(app.hyperlinks().len(), 1);
    // Help over the screen: no links written over it.
    let mut app = app;
    app.handle(ch('?'));
    draw(&app, 100, 30);
    assert!(app.hyperlinks().is_empty());
}

#[test]
fn safe_urls() {
    assert_eq!(safe_url(" https://a.fr/x "), Some("https://a.fr/x"));
    assert_eq!(safe_url("HTTP://a.fr"), Some("HTTP://a.fr"));
    assert_eq!(safe_url("https://a.fr/\x1b\\"), None);
    assert_eq!(safe_url("https://a.fr/\x07"), None);
    assert_eq!(safe_url("https://a.fr/a b"), None);
    assert_eq!(safe_url("javascript:alert(1)"), None);
    assert_eq!(safe_url("ftp://a.fr"), None);
    assert_eq!(safe_url("https://"), None);
    assert_eq!(safe_url("https://é.fr"), None);
}

#[test]
fn qr_overlay_snapshots() {
    let mut app = resources_app();
    app.handle(ch('Q'));
    let t = text(&app, 160, 48);
    assert!(t.contains("QR code"), "{t}");
    assert!(t.contains('▀') || t.contains('▄'), "{t}");
    assert!(app.hyperlinks().is_empty(), "no link under the overlay");
    // A phone-sized window says the code does not fit and shows the whole link instead,
    // wrapped, every piece a hyperlink to the whole URL.
    let t = text(&app, 40, 15);
    assert!(t.contains("Écran trop petit pour le QR code"), "{t}");
    assert!(t.contains("voici le lien complet."), "{t}");
    let links = app.hyperlinks();
    assert!(!links.is_empty(), "{t}");
    assert!(
        links
            .iter()
            .all(|l| l.url == "https://doc.rust-lang.org/book/")
    );
    let whole: String = links.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(whole, "https://doc.rust-lang.org/book/");
    snapshots!("qr_overlay", app);
    // Esc closes it; Enter on a resource opens it too.
    app.handle(key(KeyCode::Esc));
    assert!(!text(&app, 160, 48).contains("pour fermer"));
    app.handle(key(KeyCode::Enter));
    assert!(text(&app, 160, 48).contains("pour fermer"));
    // The unsafe link gets no code.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Enter));
    let t = text(&app, 160, 48);
    assert!(t.contains("lien non affiché"), "{t}");
    assert!(!t.contains('▀'), "{t}");
}

#[test]
fn own_progress_changes_reload_the_student_screens() {
    let mut app = course_app();
    assert_eq!(
        app.progress_changed(10, 7),
        vec![Command::Load(Query::MyCourse(7))]
    );
    assert!(app.progress_changed(11, 7).is_empty());
    assert!(app.progress_changed(10, 8).is_empty());
}

fn profile(locked: &[&str]) -> Profile {
    Profile {
        email: "lea.bernard@example.fr".into(),
        first_name: "Léa".into(),
        last_name: "Bernard".into(),
        phone: Some("06 12 34 56 78".into()),
        locked: locked.iter().map(|s| s.to_string()).collect(),
        has_photo: false,
        photo_upload_url: None,
    }
}

#[test]
fn student_account_edits_unlocked_fields_only() {
    let mut app = App::new(user(Role::Student), false);
    assert_eq!(
        app.handle(ch('3')),
        vec![
            Command::Load(Query::Profile),
            Command::Load(Query::Photo(10))
        ]
    );
    loaded(&mut app, Data::Profile(Box::new(profile(&["last_name"]))));
    let t = text(&app, 80, 24);
    assert!(
        t.contains("Mes informations") && t.contains("(1 verrouillé)"),
        "{t}"
    );
    assert!(t.contains("Photo") && t.contains("absente"), "{t}");
    assert!(t.contains("Lien d'envoi indisponible"), "{t}");
    assert!(!t.contains("https://"), "no fake upload link: {t}");
    // Enter on "Mes informations": the form, last name read-only.
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    let t = text(&app, 80, 24);
    assert!(t.contains("Bernard (verrouillé)"), "{t}");
    app.handle(Input::Key(
        KeyEvent::new(KeyCode::Char('u')).modifiers(KeyModifiers::CTRL),
    ));
    for c in "Lou".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    app.handle(ch('X')); // ignored: locked
    app.handle(key(KeyCode::Tab));
    app.handle(Input::Key(
        KeyEvent::new(KeyCode::Char('u')).modifiers(KeyModifiers::CTRL),
    ));
    let cmds = app.handle(Input::Key(
        KeyEvent::new(KeyCode::Char('s')).modifiers(KeyModifiers::CTRL),
    ));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::SaveProfile {
            first_name: "Lou".into(),
            last_name: "Bernard".into(),
            phone: None,
            email: None,
        })]
    );
    // Saved: back on the account, which reloads the profile and the photo.
    let next = app.apply(Outcome::Ran(Ok(Effect::Saved)));
    assert_eq!(
        next,
        vec![
            Command::Load(Query::Profile),
            Command::Load(Query::Photo(10))
        ]
    );
    assert!(text(&app, 80, 24).contains("Enregistré."));
}

#[test]
fn student_account_help() {
    let mut app = App::new(user(Role::Student), false);
    app.handle(ch('3'));
    app.handle(ch('?'));
    assert!(text(&app, 80, 24).contains("verrouillés par votre formateur"));
}

#[test]
fn trainer_edits_their_name_and_email_in_mon_compte() {
    let mut app = App::new(user(Role::Trainer), false);
    assert_eq!(
        app.handle(ch('6')),
        vec![
            Command::Load(Query::Profile),
            Command::Load(Query::Photo(10))
        ]
    );
    let mut p = profile(&[]);
    p.first_name = String::new();
    p.last_name = String::new();
    p.email = "formateur@portail.local".into();
    loaded(&mut app, Data::Profile(Box::new(p)));
    let t = text(&app, 80, 24);
    assert!(t.contains("Mes informations"), "{t}");
    // The form: first name, last name, e-mail (trainers only), phone.
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    let t = text(&app, 80, 24);
    assert!(
        t.contains("Courriel") && t.contains("formateur@portail.local"),
        "{t}"
    );
    for c in "Claire".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    for c in "Martin".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    app.handle(Input::Key(
        KeyEvent::new(KeyCode::Char('u')).modifiers(KeyModifiers::CTRL),
    ));
    for c in "claire@example.fr".chars() {
        app.handle(ch(c));
    }
    let cmds = app.handle(Input::Key(
        KeyEvent::new(KeyCode::Char('s')).modifiers(KeyModifiers::CTRL),
    ));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::SaveProfile {
            first_name: "Claire".into(),
            last_name: "Martin".into(),
            phone: Some("06 12 34 56 78".into()),
            email: Some("claire@example.fr".into()),
        })]
    );
    // An e-mail another account uses: the form says so beside the field.
    app.apply(Outcome::Ran(Err(Failure {
        message: "Courriel : un compte utilise déjà ce courriel « claire@example.fr ».".into(),
        fields: vec![(
            portail::i18n::Key::FieldEmail,
            "un compte utilise déjà ce courriel".into(),
        )],
    })));
    let t = text(&app, 80, 24);
    assert!(t.contains("un compte utilise déjà ce courriel"), "{t}");
    // Typing again clears the refusal: it no longer describes what is on screen.
    app.handle(ch('x'));
    let t = text(&app, 80, 24);
    assert!(!t.contains("un compte utilise déjà ce courriel"), "{t}");
}

fn progress_rows() -> Vec<ProgressRow> {
    let r = |sid: i64, first: &str, cid: i64, course: &str, pct: i64| ProgressRow {
        student_id: sid,
        email: format!("{}@example.fr", first.to_lowercase()),
        first_name: first.into(),
        last_name: "Martin".into(),
        course_id: cid,
        course_title: course.into(),
        completed_lessons: pct / 25,
        total_lessons: 4,
        progress_percent: pct,
        last_activity: Some(ts(4, 11)),
        quiz_scores: vec![],
    };
    vec![
        r(10, "Léa", 7, "Rust pour débutants", 50),
        r(10, "Léa", 8, "Shell et scripts Bash", 100),
        r(10, "Léa", 9, "Git au quotidien", 25),
        r(10, "Léa", 5, "Docker", 0),
        r(11, "Hugo", 7, "Rust pour débutants", 75),
        r(11, "Hugo", 6, "SQL", 0),
    ]
}

/// A trainer on the class matrix (Classes → members → p).
fn matrix_app() -> App {
    let mut app = App::new(user(Role::Trainer), false);
    let mut screen = screens::progress::ClassProgress::new(3, "Greta / DWWM 2026");
    let mut cmds = Vec::new();
    screens::View::enter(&mut screen, &mut cmds);
    assert_eq!(cmds, vec![Command::Load(Query::ClassProgress(3))]);
    app.stack.push(screens::Screen::view(screen));
    loaded(&mut app, Data::ClassProgress(3, progress_rows()));
    app
}

#[test]
fn class_matrix_snapshots() {
    snapshots!("class_matrix", matrix_app());
}

#[test]
fn class_matrix_pages_through_courses_on_narrow_screens() {
    let mut app = matrix_app();
    let t = text(&app, 40, 15);
    assert!(t.contains("cours 1–2 sur 5 · ←→"), "{t}");
    assert!(t.contains("Docker"), "{t}");
    app.handle(key(KeyCode::Right));
    let t = text(&app, 40, 15);
    assert!(t.contains("cours 3–4 sur 5"), "{t}");
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::Right)); // stays on the last page
    let t = text(&app, 40, 15);
    assert!(t.contains("cours 5–5 sur 5"), "{t}");
    assert!(t.contains("SQL"), "{t}");
    // ← pages back, then leaves from the first page.
    app.handle(key(KeyCode::Left));
    app.handle(key(KeyCode::Left));
    let t = text(&app, 40, 15);
    assert!(t.contains("cours 1–2"), "{t}");
    // Wide: every course at once, "·" where a course is not the student's.
    let t = text(&app, 160, 48);
    assert!(
        t.contains("cours 1–5 sur 5") && !t.contains("sur 5 · ←→"),
        "{t}"
    );
    assert!(t.contains("100 %") && t.contains("·"), "{t}");
    app.handle(key(KeyCode::Left));
    assert!(text(&app, 80, 24).contains("Bonjour"));
}

#[test]
fn trainer_views_reload_on_progress_events() {
    let mut app = matrix_app();
    assert_eq!(
        app.progress_changed(11, 7),
        vec![Command::Load(Query::ClassProgress(3))]
    );
    assert!(app.progress_changed(99, 99).is_empty());
    // The student detail from the matrix.
    app.handle(key(KeyCode::Down));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Load(Query::StudentProgress(11))]
    );
    let activity = vec![
        ActivityEntry {
            at: ts(4, 11),
            user_id: Some(11),
            email: Some("hugo@example.fr".into()),
            kind: "lesson_completed".into(),
            course_id: Some(7),
            course_title: Some("Rust pour débutants".into()),
            lesson_id: Some(71),
            lesson_title: Some("Les variables\x1b[2J".into()),
            detail: String::new(),
            source_ip: None,
            user_agent: None,
        },
        ActivityEntry {
            at: ts(4, 9),
            user_id: Some(11),
            email: Some("hugo@example.fr".into()),
            kind: "login".into(),
            course_id: None,
            course_title: None,
            lesson_id: None,
            lesson_title: None,
            detail: String::new(),
            source_ip: Some("192.0.2.1".into()),
            user_agent: None,
        },
    ];
    let rows: Vec<ProgressRow> = progress_rows()
        .into_iter()
        .filter(|r| r.student_id == 11)
        .collect();
    loaded(&mut app, Data::StudentProgress(11, rows, activity));
    let term = draw(&app, 80, 24);
    let t = screen(&term);
    // "de" elided before a vowel (or a mute h).
    assert!(t.contains("Progression d'Hugo Martin"), "{t}");
    assert!(t.contains("███████░░░  75 % · 3/4"), "{t}");
    // Stored 11:30 UTC, read in Paris time (UTC+2 in September).
    assert!(
        t.contains("2026-09-04 13:30 leçon terminée — Rust pour débutants / Les variables[2J"),
        "{t}"
    );
    assert!(t.contains("connexion"), "{t}");
    assert_eq!(
        app.progress_changed(11, 6),
        vec![Command::Load(Query::StudentProgress(11))]
    );
    assert!(app.progress_changed(10, 7).is_empty());
}

#[test]
fn participants_reload_only_for_their_course() {
    let mut app = App::new(user(Role::Trainer), false);
    let screen = screens::courses::Participants::new(7, "Rust");
    app.stack.push(screens::Screen::view(screen));
    assert_eq!(
        app.progress_changed(10, 7),
        vec![Command::Load(Query::Participants(7))]
    );
    assert!(app.progress_changed(10, 8).is_empty());
    // Not visible (another screen on top): nothing reloads.
    app.stack
        .push(screens::Screen::view(screens::learning::MyCourses::new()));
    assert!(app.progress_changed(11, 7).is_empty());
}

#[test]
fn course_text_with_escape_sequences_is_neutralized() {
    let mut app = my_courses_app();
    app.handle(key(KeyCode::Enter));
    let mut d = my_course(&[false; 3]);
    d.detail.course.title = "Rust\x1b]0;pwned\x07\x1b[2J".into();
    d.detail.lessons[0].title = "Un\x1b[31m".into();
    d.detail.lessons[0].body = "a\x1b]52;c;SGVsbG8=\x07 b".into();
    loaded(&mut app, Data::MyCourse(Box::new(d)));
    for (w, h) in SIZES {
        let term = draw(&app, w, h);
        assert!(
            term.backend()
                .buffer()
                .content()
                .iter()
                .all(|c| !c.symbol().chars().any(|c| c.is_control())),
            "control character reached the screen at {w}×{h}"
        );
    }
}

/// Entry point "file names": a downloaded file's name (as recorded) reaches the trainer's
/// activity view neutralized.
#[test]
fn downloaded_file_names_with_escape_sequences_are_neutralized() {
    let mut app = matrix_app();
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Enter));
    let activity = vec![ActivityEntry {
        at: ts(4, 11),
        user_id: Some(11),
        email: Some("hugo@example.fr".into()),
        kind: "file_downloaded".into(),
        course_id: Some(7),
        course_title: Some("Rust pour débutants".into()),
        lesson_id: None,
        lesson_title: None,
        detail: "diapos\x1b]52;c;SGVsbG8=\x07\x1b[2J\u{202E}fdp.pdf".into(),
        source_ip: None,
        user_agent: None,
    }];
    let rows: Vec<ProgressRow> = progress_rows()
        .into_iter()
        .filter(|r| r.student_id == 11)
        .collect();
    loaded(&mut app, Data::StudentProgress(11, rows, activity));
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
    let t = screen(&draw(&app, 160, 48));
    assert!(t.contains("diapos]52;c;SGVsbG8=[2Jfdp.pdf"), "{t}");
}
