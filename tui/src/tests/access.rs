//! Assignment dates in "Mes cours" (a course not yet open, a course ended), the draft
//! warning when assigning, and the files attached to a lesson (student and trainer).

use chrono::{NaiveDate, TimeZone, Utc};
use portail::services::courses::Resource;
use portail::services::enrolment::{Assigned, CourseAccess};
use portail::services::learning::MyCourse;
use portail::{Lang, Role};

use super::learning::{my_course, user};
use super::support::{SIZES, ch, draw, key, loaded, screen, text};
use crate::*;

const FILE_URL: &str = "https://portail.example:8443/f/90/10/1790000000/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn course(id: i64, title: &str, start: Option<NaiveDate>, end: Option<NaiveDate>) -> MyCourse {
    MyCourse {
        id,
        title: title.into(),
        description: String::new(),
        duration_hours: None,
        start_date: start,
        end_date: end,
        total_lessons: 3,
        completed_lessons: 0,
        progress_percent: 0,
        next_lesson: Some(1),
        last_activity: None,
        access: CourseAccess::on(day(2026, 11, 20), start, end),
    }
}

/// A student in "Mes cours" on 20 November 2026 (Paris): one course from 1 March 2027,
/// one ended on 12 January (this year), one open.
fn dated_app(lang: Lang) -> App {
    let mut u = user(Role::Student);
    u.language = lang;
    let mut app = App::new(u, false);
    app.set_now(Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap());
    app.handle(ch('1'));
    loaded(
        &mut app,
        Data::MyCourses(vec![
            course(1, "Excel avancé", Some(day(2027, 3, 1)), None),
            course(2, "Word", None, Some(day(2026, 1, 12))),
            course(3, "Rust", Some(day(2026, 9, 1)), None),
        ]),
    );
    app
}

#[test]
fn a_course_not_yet_open_is_listed_from_its_start_and_cannot_be_opened() {
    let mut app = dated_app(Lang::Fr);
    let t = text(&app, 100, 24);
    assert!(t.contains("à partir du 1er mars 2027"), "{t}");
    assert!(t.contains("terminé depuis le 12 janvier"), "{t}");
    assert!(t.contains("leçon 1"), "{t}");
    // Enter on the first one: no loading, the reason in the status bar.
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    let t = text(&app, 100, 24);
    assert!(t.contains("Ce cours commence le 1er mars 2027"), "{t}");
    assert!(t.contains("Mes cours (3)"), "{t}");
    // The ended one still opens (read only), and so does the open one.
    app.handle(key(KeyCode::Down));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![
            Command::Load(Query::MyCourse(2)),
            Command::Load(Query::Logos(Some(2)))
        ]
    );
    // In English too.
    let mut app = dated_app(Lang::En);
    let t = text(&app, 100, 24);
    assert!(t.contains("from March 1, 2027"), "{t}");
    app.handle(key(KeyCode::Enter));
    assert!(
        text(&app, 100, 24).contains("This course starts on March 1, 2027"),
        "{}",
        text(&app, 100, 24)
    );
}

#[test]
fn dated_courses_snapshots() {
    snapshots!("dated_courses", dated_app(Lang::Fr));
}

#[test]
fn assigning_a_draft_course_says_so_in_a_box() {
    let mut app = super::admin::course_screen();
    app.handle(ch('3'));
    app.handle(ch('a'));
    loaded(&mut app, Data::Classes(vec![]));
    app.apply(Outcome::Ran(Ok(Effect::Assigned(Assigned {
        count: 1,
        draft: true,
    }))));
    let t = text(&app, 80, 24);
    assert!(t.contains("Cours en brouillon"), "{t}");
    assert!(t.contains("ce cours est un brouillon"), "{t}");
    // Closed with Enter; a published course gives only the usual flash.
    app.handle(key(KeyCode::Enter));
    assert!(!text(&app, 80, 24).contains("Cours en brouillon"));
    let mut app = super::admin::course_screen();
    app.handle(ch('3'));
    app.handle(ch('a'));
    app.apply(Outcome::Ran(Ok(Effect::Assigned(Assigned {
        count: 1,
        draft: false,
    }))));
    let t = text(&app, 80, 24);
    assert!(!t.contains("brouillon"), "{t}");
    assert!(t.contains("Enregistré"), "{t}");
}

fn lesson_file(id: i64, lesson: i64, title: &str, url: &str) -> Resource {
    Resource {
        id,
        course_id: 7,
        lesson_id: Some(lesson),
        kind: "file".into(),
        title: title.into(),
        url: Some(url.into()),
        ..Default::default()
    }
}

/// The student in lesson 2 ("Les variables"), which has a file attached.
fn lesson_with_file_app() -> App {
    let mut app = App::new(user(Role::Student), false);
    app.handle(ch('1'));
    loaded(
        &mut app,
        Data::MyCourses(vec![course(7, "Rust pour débutants", None, None)]),
    );
    app.handle(key(KeyCode::Enter));
    let mut d = my_course(&[true, false, false]);
    d.detail
        .resources
        .push(lesson_file(90, 71, "Diapos des variables", FILE_URL));
    loaded(&mut app, Data::MyCourse(Box::new(d)));
    app
}

#[test]
fn a_file_attached_to_a_lesson_is_shown_in_it_with_its_link() {
    let app = lesson_with_file_app();
    for (w, h) in SIZES {
        let term = draw(&app, w, h);
        let t = screen(&term);
        assert!(t.contains("2. Les variables"), "{w}×{h}\n{t}");
        assert!(t.contains("Diapos des"), "{w}×{h}\n{t}");
        assert!(t.contains("https://portail"), "{w}×{h}\n{t}");
        let links = app.hyperlinks();
        let l = links
            .iter()
            .find(|l| l.url == FILE_URL)
            .unwrap_or_else(|| panic!("{w}×{h}: {links:?}"));
        // The link's text is exactly what the frame shows at its place.
        let buf = term.backend().buffer();
        let mut shown = String::new();
        let mut x = l.x;
        while shown.chars().count() < l.text.chars().count() {
            shown.push_str(buf[(x, l.y)].symbol());
            x += 1;
        }
        assert_eq!(shown, l.text, "{w}×{h}");
    }
    // Only the lesson it belongs to shows it.
    let mut app = lesson_with_file_app();
    app.handle(ch('n'));
    let t = text(&app, 80, 24);
    assert!(t.contains("3. La possession"), "{t}");
    assert!(!t.contains("Diapos des variables"), "{t}");
}

#[test]
fn lesson_with_file_snapshots() {
    snapshots!("lesson_with_file", lesson_with_file_app());
}

#[test]
fn the_trainer_lesson_view_shows_its_files_too() {
    let mut app = super::admin::course_screen();
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Enter));
    let mut d = super::admin::course_detail_pub();
    d.resources
        .push(lesson_file(91, 71, "Diapos formateur", FILE_URL));
    d.resources.push(lesson_file(
        92,
        70,
        "Autre leçon",
        "https://ailleurs.example/",
    ));
    loaded(&mut app, Data::Course(Box::new(d)));
    let t = text(&app, 80, 24);
    assert!(t.contains("2. Les variables"), "{t}");
    assert!(t.contains("Fichiers et liens de la leçon (1)"), "{t}");
    assert!(t.contains("Diapos formateur"), "{t}");
    assert!(!t.contains("Autre leçon"), "{t}");
    assert!(app.hyperlinks().iter().any(|l| l.url == FILE_URL));
}
