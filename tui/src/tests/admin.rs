//! The administration screens: commands emitted, outcomes applied, confirmation flows,
//! unsaved-changes prompt, and snapshots at phone, classic and wide sizes.

use chrono::{NaiveDate, TimeZone, Utc};
use portail::services::classes::Class;
use portail::services::courses::{Course, CourseDetail, CourseStatus, Lesson, Resource};
use portail::services::enrolment::{Assignment, Participant, Target};
use portail::services::orgs::{OrgDeletion, OrgInput, Organisation};
use portail::services::students::{AccountStatus, NamedRef, Student};
use portail::{Lang, Role, User};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::support::{SIZES, ch, ctrl, draw, key, loaded};
use crate::*;

pub(super) fn trainer() -> User {
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

fn ts() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 9, 30, 0).unwrap()
}

fn org(id: i64, name: &str, classes: i64, students: i64) -> Organisation {
    Organisation {
        id,
        name: name.into(),
        siret: Some("73282932000074".into()),
        address: Some("12 rue des Écoles, 75005 Paris".into()),
        contact_name: Some("Jeanne Martin".into()),
        email: Some("contact@example.fr".into()),
        phone: None,
        website: Some("https://example.fr".into()),
        notes: None,
        has_logo: false,
        class_count: classes,
        student_count: students,
        created_at: ts(),
        updated_at: ts(),
    }
}

pub(super) fn orgs() -> Vec<Organisation> {
    vec![
        org(1, "École des Métiers du Numérique", 3, 42),
        org(2, "Greta Paris Centre", 1, 12),
        org(
            3,
            "Institut Supérieur de Formation Continue d'Île-de-France",
            0,
            0,
        ),
    ]
}

fn student(id: i64, first: &str, last: &str, status: AccountStatus) -> Student {
    Student {
        id,
        email: format!(
            "{}.{}@example.fr",
            first.to_lowercase(),
            last.to_lowercase()
        ),
        first_name: first.into(),
        last_name: last.into(),
        phone: None,
        notes: None,
        status,
        created_at: ts(),
        last_login_at: None,
        organisations: vec![NamedRef {
            id: 1,
            name: "École des Métiers du Numérique".into(),
        }],
        classes: vec![NamedRef {
            id: 1,
            name: "École des Métiers du Numérique / DWWM 2026".into(),
        }],
    }
}

pub(super) fn students() -> Vec<Student> {
    vec![
        student(10, "Léa", "Bernard", AccountStatus::Active),
        student(11, "Hugo", "Dubois", AccountStatus::Pending),
        student(12, "Chloé", "Moreau", AccountStatus::Disabled),
    ]
}

fn class(id: i64, name: &str) -> Class {
    Class {
        id,
        organisation_id: 1,
        organisation_name: "École des Métiers du Numérique".into(),
        name: name.into(),
        start_date: NaiveDate::from_ymd_opt(2026, 9, 1),
        end_date: NaiveDate::from_ymd_opt(2027, 6, 30),
        member_count: 2,
    }
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
                    - `let x = 5;`\n- `let mut y = 6;`\n\n```rust\nfn main() {\n    let x = 5;\n}\n```\n\n\
                    Voir [le livre](https://doc.rust-lang.org/book/).\n";

pub(super) fn course_detail_pub() -> CourseDetail {
    course_detail()
}

fn course_detail() -> CourseDetail {
    CourseDetail {
        course: Course {
            id: 7,
            title: "Rust pour débutants".into(),
            description: "Premiers pas en Rust.".into(),
            objectives: vec![
                "Écrire un programme".into(),
                "Comprendre la possession".into(),
            ],
            duration_hours: Some(14.0),
            level: Some("Débutant".into()),
            prerequisites: None,
            status: CourseStatus::Published,
            lesson_count: 3,
            created_at: ts(),
            updated_at: ts(),
        },
        lessons: vec![
            lesson(70, 1, "Installer la chaîne d'outils", "Installez `rustup`."),
            lesson(71, 2, "Les variables", BODY),
            lesson(72, 3, "La possession", "## Emprunts\n\n1. un\n2. deux"),
        ],
        resources: vec![Resource {
            id: 80,
            course_id: 7,
            lesson_id: None,
            kind: "link".into(),
            title: "Le livre".into(),
            url: Some("https://doc.rust-lang.org/book/".into()),
            ..Default::default()
        }],
    }
}

fn participants() -> Vec<Participant> {
    let p = |id, first: &str, last: &str, via: &str, status, pct, act: Option<u32>| Participant {
        student_id: id,
        email: format!("{}@example.fr", first.to_lowercase()),
        first_name: first.into(),
        last_name: last.into(),
        via: via.into(),
        status,
        completed_lessons: pct as i64 * 3 / 100,
        total_lessons: 3,
        progress_percent: pct,
        last_activity: act.map(|d| Utc.with_ymd_and_hms(2026, 10, d, 14, 0, 0).unwrap()),
        quiz_scores: vec![],
    };
    vec![
        p(
            10,
            "Léa",
            "Bernard",
            "DWWM 2026",
            AccountStatus::Active,
            66,
            Some(3),
        ),
        p(
            11,
            "Hugo",
            "Dubois",
            "DWWM 2026, individual",
            AccountStatus::Pending,
            0,
            None,
        ),
        p(
            13,
            "Zoé",
            "Petit",
            "individual",
            AccountStatus::Active,
            100,
            Some(12),
        ),
    ]
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle(ch(c));
    }
}

fn text(app: &App) -> String {
    screen_text(&draw(app, 80, 24))
}

fn screen_text(term: &Terminal<TestBackend>) -> String {
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

pub(super) fn org_list() -> App {
    let mut app = App::new(trainer(), false);
    assert_eq!(app.handle(ch('1')), vec![Command::Load(Query::Orgs)]);
    loaded(&mut app, Data::Orgs(orgs()));
    app
}

#[test]
fn org_list_loads_searches_and_snapshots() {
    let mut app = org_list();
    snapshots!("org_list", app);
    app.handle(ch('/'));
    typed(&mut app, "ECOLE");
    let t = text(&app);
    assert!(t.contains("École des Métiers"), "{t}");
    assert!(!t.contains("Greta"), "{t}");
    assert!(t.contains("(1/3)"), "{t}");
    // While searching, q is typed, not quit.
    app.handle(ch('q'));
    assert!(!app.should_quit());
    app.handle(key(KeyCode::Esc));
    assert!(text(&app).contains("Greta"));
}

#[test]
fn org_form_saves_shows_service_errors_and_returns_to_a_fresh_list() {
    let mut app = org_list();
    assert!(app.handle(ch('n')).is_empty());
    typed(&mut app, "Greta Paris Centre");
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "123");
    let cmds = app.handle(ctrl('s'));
    let Some(Command::Run(Action::SaveOrg { id: None, input })) = cmds.first() else {
        panic!("{cmds:?}")
    };
    assert_eq!(input.name, "Greta Paris Centre");
    assert_eq!(input.siret.as_deref(), Some("123"));
    assert_eq!(input.email, None);
    assert!(text(&app).contains("Enregistrement"));
    let again = app.apply(Outcome::Ran(Err(
        "SIRET : un SIRET a 14 chiffres et une clé de contrôle valide (« 123 »).".into(),
    )));
    assert!(again.is_empty(), "{again:?}");
    let t = text(&app);
    assert!(t.contains("SIRET : un SIRET a 14 chiffres"), "{t}");
    assert!(t.contains("Nouvel organisme"), "{t}");
    snapshots!("org_form", app);
    let cmds = app.apply(Outcome::Ran(Ok(Effect::Saved)));
    assert_eq!(cmds, vec![Command::Load(Query::Orgs)]);
    let t = text(&app);
    assert!(t.contains("Enregistré."), "{t}");
    assert!(t.contains("Organismes (3)"), "{t}");
}

#[test]
fn edit_form_is_prefilled_and_enter_on_last_field_saves() {
    let mut app = org_list();
    app.handle(key(KeyCode::Down));
    app.handle(ch('e'));
    assert!(text(&app).contains("Modifier l'organisme"));
    for _ in 0..7 {
        app.handle(key(KeyCode::Tab));
    }
    // The last field (notes) is multi-line: Enter is a new line there, Ctrl-S saves.
    let cmds = app.handle(ctrl('s'));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::SaveOrg {
            id: Some(2),
            input: OrgInput::from(&orgs()[1]),
        })]
    );
}

#[test]
fn unsaved_changes_are_confirmed_before_leaving_a_form() {
    let mut app = org_list();
    app.handle(ch('n'));
    // Nothing typed: Esc leaves at once and the list reloads.
    assert_eq!(
        app.handle(key(KeyCode::Esc)),
        vec![Command::Load(Query::Orgs)]
    );
    app.handle(ch('n'));
    typed(&mut app, "Brouillon");
    assert!(app.handle(key(KeyCode::Esc)).is_empty());
    assert!(text(&app).contains("Abandonner les modifications ? (o/n)"));
    app.handle(ch('n'));
    let t = text(&app);
    assert!(!t.contains("Abandonner"), "{t}");
    assert!(t.contains("Brouillon"), "{t}");
    app.handle(key(KeyCode::Esc));
    assert_eq!(app.handle(ch('o')), vec![Command::Load(Query::Orgs)]);
    assert!(text(&app).contains("Organismes (3)"));
}

#[test]
fn deleting_an_organisation_says_what_goes_with_it() {
    let mut app = org_list();
    assert_eq!(
        app.handle(ch('d')),
        vec![Command::Load(Query::OrgDeletion(1))]
    );
    loaded(
        &mut app,
        Data::OrgDeletion(
            1,
            OrgDeletion {
                classes: 3,
                class_memberships: 40,
                assignments: 2,
            },
        ),
    );
    let t = text(&app);
    assert!(t.contains("3 classe(s)"), "{t}");
    assert!(t.contains("40 inscription(s)"), "{t}");
    assert!(t.contains("2 affectation(s)"), "{t}");
    // "n" cancels, nothing is run.
    assert!(app.handle(ch('n')).is_empty());
    assert!(!text(&app).contains("3 classe(s)"));
    app.handle(ch('d'));
    loaded(&mut app, Data::OrgDeletion(1, OrgDeletion::default()));
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::DeleteOrg(1))]
    );
    let cmds = app.apply(Outcome::Ran(Ok(Effect::Deleted)));
    assert_eq!(cmds, vec![Command::Load(Query::Orgs)]);
    assert!(text(&app).contains("Supprimé."));
}

#[test]
fn org_detail_shows_every_field_and_logo_state() {
    let mut app = org_list();
    let id = orgs()[0].id;
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![
            Command::Load(Query::Orgs),
            Command::Load(Query::OrgLogo(id))
        ]
    );
    loaded(&mut app, Data::Orgs(orgs()));
    let t = text(&app);
    for s in [
        "73282932000074",
        "12 rue des Écoles",
        "Jeanne Martin",
        "Logo",
        "absent",
    ] {
        assert!(t.contains(s), "{s} missing: {t}");
    }
}

pub(super) fn student_list() -> App {
    let mut app = App::new(trainer(), false);
    assert_eq!(app.handle(ch('3')), vec![Command::Load(Query::Students)]);
    loaded(&mut app, Data::Students(students()));
    app
}

#[test]
fn student_list_snapshots_and_creation_shows_the_code_once() {
    let mut app = student_list();
    snapshots!("student_list", app);
    app.handle(ch('n'));
    typed(&mut app, "zoe.petit@example.fr");
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "Zoé");
    let cmds = app.handle(ctrl('s'));
    assert!(matches!(
        cmds.as_slice(),
        [Command::Run(Action::SaveStudent { id: None, input })] if input.email == "zoe.petit@example.fr" && input.first_name == "Zoé"
    ));
    let cmds = app.apply(Outcome::Ran(Ok(Effect::Code {
        who: "Zoé".into(),
        code: "ABCD-EFGH-JKLM".into(),
    })));
    assert_eq!(cmds, vec![Command::Load(Query::Students)]);
    let t = text(&app);
    assert!(t.contains("ABCD-EFGH-JKLM"), "{t}");
    assert!(t.contains("Code d'activation"), "{t}");
    // Keys other than Enter / Esc leave the code up; Enter closes it for good.
    app.handle(ch('q'));
    assert!(!app.should_quit());
    app.handle(key(KeyCode::Enter));
    assert!(!text(&app).contains("ABCD-EFGH-JKLM"));
}

#[test]
fn a_student_with_history_is_disabled_unless_the_trainer_insists() {
    let mut app = student_list();
    assert_eq!(
        app.handle(ch('d')),
        vec![Command::Load(Query::StudentHistory(10))]
    );
    loaded(&mut app, Data::StudentHistory(10, true));
    let t = text(&app);
    assert!(t.contains("a un historique"), "{t}");
    assert_eq!(
        app.handle(ch('d')),
        vec![Command::Run(Action::SetStudentDisabled {
            id: 10,
            disabled: true
        })]
    );
    app.apply(Outcome::Ran(Ok(Effect::Saved)));
    app.handle(ch('d'));
    loaded(&mut app, Data::StudentHistory(10, true));
    assert!(app.handle(ch('s')).is_empty());
    assert!(text(&app).contains("irréversible"));
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::DeleteStudent {
            id: 10,
            force: true
        })]
    );
    // Without history: one plain confirmation, no force.
    app.handle(key(KeyCode::Down));
    app.handle(ch('d'));
    loaded(&mut app, Data::StudentHistory(11, false));
    assert_eq!(
        app.handle(ch('y')),
        vec![Command::Run(Action::DeleteStudent {
            id: 11,
            force: false
        })]
    );
}

#[test]
fn reset_code_and_disable_ask_first() {
    let mut app = student_list();
    app.handle(ch('r'));
    assert!(text(&app).contains("L'ancien code ne fonctionnera plus"));
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::ResetCode(10))]
    );
    app.handle(key(KeyCode::End));
    app.handle(ch('x'));
    assert!(text(&app).contains("Réactiver"));
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::SetStudentDisabled {
            id: 12,
            disabled: false
        })]
    );
}

#[test]
fn class_form_picks_the_organisation_from_a_list() {
    let mut app = App::new(trainer(), false);
    app.handle(ch('2'));
    loaded(&mut app, Data::Classes(vec![class(1, "DWWM 2026")]));
    assert_eq!(app.handle(ch('n')), vec![Command::Load(Query::Orgs)]);
    loaded(&mut app, Data::Orgs(orgs()));
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "CDA 2027");
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "2027-01-10");
    app.handle(key(KeyCode::Tab));
    let cmds = app.handle(key(KeyCode::Enter));
    let Some(Command::Run(Action::SaveClass { id: None, input })) = cmds.first() else {
        panic!("{cmds:?}")
    };
    assert_eq!(input.organisation_id, 2);
    assert_eq!(input.name, "CDA 2027");
    assert_eq!(input.start_date.as_deref(), Some("2027-01-10"));
    assert_eq!(input.end_date, None);
}

#[test]
fn class_members_are_added_from_a_multi_select_list_and_removed() {
    let mut app = App::new(trainer(), false);
    app.handle(ch('2'));
    loaded(&mut app, Data::Classes(vec![class(1, "DWWM 2026")]));
    let cmds = app.handle(key(KeyCode::Enter));
    assert_eq!(
        cmds,
        vec![
            Command::Load(Query::ClassMembers(1)),
            Command::Load(Query::Classes)
        ]
    );
    let members = vec![portail::services::classes::ClassMember {
        student_id: 10,
        email: "lea.bernard@example.fr".into(),
        first_name: "Léa".into(),
        last_name: "Bernard".into(),
        status: AccountStatus::Active,
    }];
    loaded(&mut app, Data::ClassMembers(1, members));
    let t = text(&app);
    assert!(t.contains("Léa Bernard") && t.contains("actif"), "{t}");
    assert_eq!(app.handle(ch('a')), vec![Command::Load(Query::Students)]);
    loaded(&mut app, Data::Students(students()));
    let t = text(&app);
    assert!(
        !t.contains("Léa Bernard"),
        "members are not offered again: {t}"
    );
    app.handle(ch(' '));
    app.handle(key(KeyCode::Down));
    app.handle(ch(' '));
    assert!(text(&app).contains("2 coché(s)"));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Run(Action::AddMembers {
            class: 1,
            students: vec![11, 12]
        })]
    );
    let cmds = app.apply(Outcome::Ran(Ok(Effect::Saved)));
    assert_eq!(cmds[0], Command::Load(Query::ClassMembers(1)));
    app.handle(ch('d'));
    assert!(text(&app).contains("Retirer Léa Bernard"));
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::RemoveMembers {
            class: 1,
            students: vec![10]
        })]
    );
}

pub(super) fn course_screen() -> App {
    let mut app = App::new(trainer(), false);
    app.handle(ch('4'));
    loaded(&mut app, Data::Courses(vec![course_detail().course]));
    let cmds = app.handle(key(KeyCode::Enter));
    assert_eq!(
        cmds,
        vec![
            Command::Load(Query::Course(7)),
            Command::Load(Query::Assignments(7))
        ]
    );
    loaded(&mut app, Data::Course(Box::new(course_detail())));
    loaded(
        &mut app,
        Data::Assignments(
            7,
            vec![Assignment {
                id: 1,
                course_id: 7,
                class_id: Some(1),
                class_name: Some("DWWM 2026".into()),
                organisation_name: Some("École des Métiers du Numérique".into()),
                student_id: None,
                student_email: None,
                start_date: NaiveDate::from_ymd_opt(2026, 9, 1),
                end_date: None,
            }],
        ),
    );
    app
}

#[test]
fn course_detail_snapshots_and_lesson_reordering() {
    let mut app = course_screen();
    app.handle(key(KeyCode::Down));
    snapshots!("course_detail", app);
    assert_eq!(
        app.handle(ch('K')),
        vec![Command::Run(Action::MoveLesson {
            id: 71,
            position: 1
        })]
    );
    assert_eq!(
        app.handle(ch('-')),
        vec![Command::Run(Action::MoveLesson {
            id: 71,
            position: 3
        })]
    );
    // The first lesson cannot go up.
    app.handle(key(KeyCode::Home));
    assert!(app.handle(ch('+')).is_empty());
}

#[test]
fn lesson_view_renders_markdown() {
    let mut app = course_screen();
    app.handle(key(KeyCode::Down));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Load(Query::Course(7))]
    );
    let t = text(&app);
    assert!(t.contains("2. Les variables"), "{t}");
    assert!(t.contains("• `let x = 5;`"), "{t}");
    assert!(t.contains("│ fn main() {"), "{t}");
    assert!(
        t.contains("le livre <https://doc.rust-lang.org/book/>"),
        "{t}"
    );
    assert!(!t.contains("```"), "{t}");
}

#[test]
fn course_tabs_resources_assignments_and_duplicate() {
    let mut app = course_screen();
    app.handle(key(KeyCode::Tab));
    assert!(text(&app).contains("https://doc.rust-lang.org/book/"));
    app.handle(ch('d'));
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::DeleteResource(80))]
    );
    app.handle(key(KeyCode::Tab));
    assert!(text(&app).contains("DWWM 2026"));
    app.handle(ch('d'));
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::Unassign {
            course: 7,
            targets: vec![Target::Class(1)]
        })]
    );
    assert_eq!(
        app.handle(ch('c')),
        vec![Command::Run(Action::DuplicateCourse(7))]
    );
    app.handle(ch('4'));
    let t = text(&app);
    assert!(
        t.contains("Comprendre la possession") && t.contains("14 h"),
        "{t}"
    );
}

#[test]
fn assigning_a_course_with_dates() {
    let mut app = course_screen();
    app.handle(ch('3'));
    let cmds = app.handle(ch('a'));
    assert_eq!(
        cmds,
        vec![
            Command::Load(Query::Classes),
            Command::Load(Query::Students)
        ]
    );
    loaded(&mut app, Data::Classes(vec![class(1, "DWWM 2026")]));
    loaded(&mut app, Data::Students(students()));
    app.handle(ch(' '));
    app.handle(key(KeyCode::End));
    app.handle(ch(' '));
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "2026-09-01");
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "2026-12-31");
    let cmds = app.handle(key(KeyCode::Enter));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::Assign {
            course: 7,
            targets: vec![Target::Class(1), Target::Student(12)],
            start: Some("2026-09-01".into()),
            end: Some("2026-12-31".into()),
        })]
    );
    app.apply(Outcome::Ran(Err(
        "Fin : la fin est avant le début (« 2026-01-01 »).".into(),
    )));
    assert!(text(&app).contains("la fin est avant le début"));
}

#[test]
fn the_assignment_picker_shows_whole_names() {
    let mut app = course_screen();
    app.handle(ch('3'));
    app.handle(ch('a'));
    let mut c = class(1, "Développeur web et mobile");
    c.organisation_name = "École des Métiers du Numérique".into();
    loaded(&mut app, Data::Classes(vec![c]));
    loaded(&mut app, Data::Students(students()));
    let t = text(&app);
    assert!(
        t.contains("[ ] École des Métiers du Numérique / Développeur web et mobile"),
        "{t}"
    );
    snapshots!("assign_picker", app);
}

#[test]
fn course_form_splits_objectives_and_toggles_status() {
    let mut app = App::new(trainer(), false);
    app.handle(ch('4'));
    app.handle(ch('n'));
    typed(&mut app, "SQL");
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "Lire une table; Écrire une jointure");
    app.handle(key(KeyCode::Enter));
    typed(&mut app, "Indexer");
    for _ in 0..4 {
        app.handle(key(KeyCode::Tab));
    }
    app.handle(ch(' '));
    let cmds = app.handle(key(KeyCode::Enter));
    let Some(Command::Run(Action::SaveCourse { id: None, input })) = cmds.first() else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        input.objectives,
        ["Lire une table", "Écrire une jointure", "Indexer"]
    );
    assert_eq!(input.status, CourseStatus::Published);
}

#[test]
fn participants_snapshots_sort_and_filter() {
    let mut app = course_screen();
    assert_eq!(
        app.handle(ch('p')),
        vec![Command::Load(Query::Participants(7))]
    );
    loaded(&mut app, Data::Participants(7, participants()));
    snapshots!("participants", app);
    let t = text(&app);
    assert!(t.contains("individuel"), "{t}");
    // Name order, then progress (highest first), then last activity (latest first).
    let order = |app: &App| {
        let t = text(app);
        let mut names: Vec<(usize, &str)> = ["Léa", "Hugo", "Zoé"]
            .into_iter()
            .map(|n| (t.find(n).unwrap_or(usize::MAX), n))
            .collect();
        names.sort();
        names.into_iter().map(|(_, n)| n).collect::<Vec<_>>()
    };
    assert_eq!(order(&app), ["Léa", "Hugo", "Zoé"]);
    app.handle(ch('s'));
    assert_eq!(order(&app), ["Zoé", "Léa", "Hugo"]);
    app.handle(ch('s'));
    assert_eq!(order(&app), ["Zoé", "Léa", "Hugo"]);
    assert!(text(&app).contains("tri : activité"));
    app.handle(ch('/'));
    typed(&mut app, "zoe");
    let t = text(&app);
    assert!(t.contains("Zoé") && !t.contains("Hugo"), "{t}");
}

#[test]
fn help_exists_on_every_admin_screen_and_english_works() {
    let mut app = course_screen();
    app.handle(ch('?'));
    assert!(text(&app).contains("K/+ monte"));
    app.handle(key(KeyCode::Esc));
    let mut en = trainer();
    en.language = Lang::En;
    let mut app = App::new(en, false);
    app.handle(ch('1'));
    loaded(&mut app, Data::Orgs(vec![]));
    let t = text(&app);
    assert!(t.contains("Nothing yet"), "{t}");
    app.handle(ch('?'));
    assert!(text(&app).contains("creates an organisation"));
}

#[test]
fn load_errors_are_flashed() {
    let mut app = org_list();
    app.apply(Outcome::Loaded(Err(
        "Action non autorisée pour votre compte.".into(),
    )));
    assert!(text(&app).contains("Action non autorisée"));
}

/// ESC, CSI, OSC (clipboard write), a one-character C1 CSI, NEL and a bidi override.
const EVIL: &str = "A\x1b]52;c;SGVsbG8=\x07\x1b[2J\u{9b}31m\u{85}\u{202E}Z";

/// The planted text is drawn (its harmless part), and no cell of any size holds a
/// control, escape or bidi character.
fn assert_clean(app: &App, screen: &str) {
    let wide = screen_text(&draw(app, 160, 48));
    assert!(wide.contains("SGVsbG8"), "{screen}: not shown\n{wide}");
    for (w, h) in SIZES {
        let term = draw(app, w, h);
        for cell in term.backend().buffer().content() {
            assert!(
                !cell.symbol().chars().any(portail::sanitize::is_dangerous),
                "{screen} at {w}x{h}: {:?}\n{}",
                cell.symbol(),
                screen_text(&term)
            );
        }
    }
}

#[test]
fn user_text_cannot_inject_escape_sequences() {
    // Every stored text field each list screen shows, planted with escape sequences.
    let mut evil_org = org(1, EVIL, 0, 0);
    evil_org.siret = Some(EVIL.into());
    evil_org.email = Some(EVIL.into());
    let mut evil_class = class(1, EVIL);
    evil_class.organisation_name = EVIL.into();
    let mut evil_student = students()[0].clone();
    evil_student.first_name = EVIL.into();
    evil_student.last_name = EVIL.into();
    evil_student.email = EVIL.into();
    for c in &mut evil_student.classes {
        c.name = EVIL.into();
    }
    let evil_member = portail::services::classes::ClassMember {
        student_id: 10,
        email: EVIL.into(),
        first_name: EVIL.into(),
        last_name: EVIL.into(),
        status: AccountStatus::Active,
    };
    let mut evil_course = course_detail().course;
    evil_course.title = EVIL.into();
    let mut evil_participant = participants()[0].clone();
    evil_participant.first_name = EVIL.into();
    evil_participant.last_name = EVIL.into();
    evil_participant.email = EVIL.into();
    evil_participant.via = EVIL.into();
    let mut evil_quiz = super::quiz::summary(1, EVIL, portail::quiz::QuizKind::Check, true, 0);
    evil_quiz.course_title = EVIL.into();
    let mut evil_login = super::security::rows().remove(0);
    evil_login.entry.login = EVIL.into();
    evil_login.entry.source = EVIL.into();

    let mut app = App::new(trainer(), false);
    app.handle(ch('1'));
    loaded(&mut app, Data::Orgs(vec![evil_org]));
    assert_clean(&app, "organisations");
    app.handle(ch('d'));
    loaded(&mut app, Data::OrgDeletion(1, OrgDeletion::default()));
    assert_clean(&app, "organisation deletion");

    let mut app = App::new(trainer(), false);
    app.handle(ch('2'));
    loaded(&mut app, Data::Classes(vec![evil_class.clone()]));
    assert_clean(&app, "classes");
    app.handle(key(KeyCode::Enter));
    loaded(&mut app, Data::ClassMembers(1, vec![evil_member]));
    loaded(&mut app, Data::Classes(vec![evil_class]));
    assert_clean(&app, "class members");
    app.handle(ch('d'));
    assert_clean(&app, "member removal");
    app.handle(key(KeyCode::Esc));
    app.handle(ch('a'));
    loaded(&mut app, Data::Students(vec![evil_student.clone()]));
    assert_clean(&app, "member picker");

    let mut app = App::new(trainer(), false);
    app.handle(ch('3'));
    loaded(&mut app, Data::Students(vec![evil_student]));
    assert_clean(&app, "students");

    let mut app = App::new(trainer(), false);
    app.handle(ch('4'));
    loaded(&mut app, Data::Courses(vec![evil_course]));
    assert_clean(&app, "courses");
    app.handle(ch('d'));
    assert_clean(&app, "course deletion");
    app.handle(key(KeyCode::Esc));
    app.handle(ch('p'));
    loaded(&mut app, Data::Participants(7, vec![evil_participant]));
    assert_clean(&app, "participants");
    app.handle(key(KeyCode::Esc));
    app.handle(ch('z'));
    loaded(&mut app, Data::Quizzes(Some(7), vec![evil_quiz.clone()]));
    assert_clean(&app, "quizzes of a course");

    let mut app = App::new(trainer(), false);
    app.handle(ch('8'));
    loaded(&mut app, Data::Quizzes(None, vec![evil_quiz]));
    assert_clean(&app, "quizzes");
    app.handle(ch('d'));
    assert_clean(&app, "quiz deletion");

    let mut app = App::new(trainer(), false);
    // Sécurité: just above Quitter.
    app.handle(key(KeyCode::Up));
    app.handle(key(KeyCode::Up));
    app.handle(key(KeyCode::Enter));
    loaded(&mut app, Data::SecurityLog(vec![evil_login]));
    assert_clean(&app, "security log");
}

#[test]
fn o_sorts_by_column_with_the_core_collation_then_back() {
    let course = |id: i64, title: &str, lessons: i64| {
        let mut c = course_detail().course;
        c.id = id;
        c.title = title.into();
        c.lesson_count = lessons;
        c
    };
    let mut app = App::new(trainer(), false);
    app.handle(ch('4'));
    loaded(
        &mut app,
        Data::Courses(vec![
            course(1, "Zèbre", 10),
            course(2, "école du web", 2),
            course(3, "Bénard", 9),
        ]),
    );
    let order = |app: &App| {
        let t = text(app);
        let mut found: Vec<(usize, &str)> = ["Zèbre", "école", "Bénard"]
            .into_iter()
            .map(|n| (t.find(n).unwrap_or(usize::MAX), n))
            .collect();
        found.sort();
        found.into_iter().map(|(_, n)| n).collect::<Vec<_>>()
    };
    assert_eq!(order(&app), ["Zèbre", "école", "Bénard"], "as loaded");
    app.handle(ch('o'));
    assert_eq!(order(&app), ["Bénard", "école", "Zèbre"], "by title");
    app.handle(ch('o'));
    app.handle(ch('o'));
    assert_eq!(
        order(&app),
        ["école", "Bénard", "Zèbre"],
        "by lessons: 2, 9, 10"
    );
    app.handle(ch('o'));
    app.handle(ch('o'));
    assert_eq!(order(&app), ["Zèbre", "école", "Bénard"], "back as loaded");
    // The list's own keys are in every list's help.
    app.handle(ch('?'));
    let t = screen_text(&draw(&app, 160, 48));
    assert!(t.contains("o trie par la colonne suivante"), "{t}");
}

#[test]
fn sixty_character_titles_are_whole_at_80_columns() {
    // Two titles that differ only at their end: both read whole beside their status.
    let title = "Excel avancé : tableaux croisés dynamiques et macros VBA Pro";
    assert_eq!(title.chars().count(), 60);
    let mut a = course_detail().course;
    a.title = title.into();
    let mut b = a.clone();
    b.id = 8;
    b.title = format!("{} (copie)", &title[..title.len() - 8]);
    assert_eq!(b.title.chars().count(), 60);
    let mut app = App::new(trainer(), false);
    app.handle(ch('4'));
    loaded(&mut app, Data::Courses(vec![a, b.clone()]));
    let t = text(&app);
    assert!(t.contains(title), "{t}");
    assert!(t.contains(&b.title), "{t}");
    snapshots!("course_list_long_titles", app);
}

#[test]
fn picker_after_search_ticks_and_adds() {
    let mut app = App::new(trainer(), false);
    app.handle(ch('2'));
    loaded(&mut app, Data::Classes(vec![class(1, "DWWM 2026")]));
    app.handle(key(KeyCode::Enter));
    loaded(&mut app, Data::ClassMembers(1, vec![]));
    app.handle(ch('a'));
    loaded(&mut app, Data::Students(students()));
    typed(&mut app, "/hugo");
    app.handle(key(KeyCode::Enter));
    app.handle(ch(' '));
    assert!(text(&app).contains("1 coché(s)"), "{}", text(&app));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Run(Action::AddMembers {
            class: 1,
            students: vec![11]
        })]
    );
}

/// 200 characters of description, to open a form on.
const LONG_DESCRIPTION: &str = "Découvrir Rust pas à pas : installer la chaîne d'outils, \
écrire ses premiers programmes, comprendre la possession et les emprunts, puis organiser \
un projet en modules testés et documentés, prêt à publier.";

#[test]
fn a_form_opens_on_the_start_of_a_long_text_and_wraps_it() {
    assert!(LONG_DESCRIPTION.chars().count() >= 200);
    let mut course = course_detail().course;
    course.title =
        "Rust pour débutants : les bases du langage, de l'installation aux modules".into();
    course.description = LONG_DESCRIPTION.into();
    let mut app = App::new(trainer(), false);
    app.stack
        .push(Screen::view(screens::forms::FormScreen::course(Some(
            &course,
        ))));
    for (w, h) in SIZES {
        let t = screen_text(&draw(&app, w, h));
        assert!(t.contains("Découvrir Rust pas à pas"), "{w}x{h}\n{t}");
        // The whole title, wrapped rather than scrolled sideways.
        assert!(t.contains("Rust pour débutants"), "{w}x{h}\n{t}");
        assert!(t.contains("modules"), "{w}x{h}\n{t}");
    }
    snapshots!("course_form_long", app);
    // Typing goes where the cursor is, at the start; undo takes it back.
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "À ");
    assert!(text(&app).contains("À Découvrir"));
    app.handle(ctrl('z'));
    assert!(text(&app).contains("│ Découvrir") || text(&app).contains("› Découvrir"));
    let Some(Command::Run(Action::SaveCourse { input, .. })) = app.handle(ctrl('s')).pop() else {
        panic!()
    };
    assert_eq!(input.description.as_deref(), Some(LONG_DESCRIPTION));
}

#[test]
fn a_field_the_core_rejects_gets_the_focus_and_the_core_message() {
    let mut app = org_list();
    app.handle(ch('n'));
    typed(&mut app, "Greta Paris Centre");
    for _ in 0..4 {
        app.handle(key(KeyCode::Tab));
    }
    typed(&mut app, "contact@greta");
    // The focus is elsewhere when the form is sent.
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    let cmds = app.handle(ctrl('s'));
    let Some(Command::Run(Action::SaveOrg { input, .. })) = cmds.first() else {
        panic!("{cmds:?}")
    };
    // Only the core knows this is not an e-mail address: ask it.
    let err = portail::validate::optional_email(Key::FieldEmail, input.email.as_deref())
        .expect_err("the core refuses the address");
    let failure = Failure::from_error(&err, Lang::Fr);
    let (field, problem) = failure.fields[0].clone();
    assert_eq!(field, Key::FieldEmail);
    app.apply(Outcome::Ran(Err(failure.clone())));
    let Some(Screen::View(v)) = app.stack.last() else {
        panic!()
    };
    assert!(v.captures_text());
    for (w, h) in SIZES {
        let term = draw(&app, w, h);
        let t = screen_text(&term);
        let start: String = failure.message.chars().take(25).collect();
        assert!(t.contains(&start), "{w}x{h}\n{t}");
        assert!(t.contains(&format!("⚠ {problem}")), "{w}x{h}\n{t}");
        // The focus marker and the cursor are on the e-mail field.
        let line = t
            .lines()
            .find(|l| l.contains("contact@greta"))
            .expect("the e-mail is shown");
        assert!(line.contains('›'), "{w}x{h}\n{t}");
        let y = t.lines().position(|l| l.contains("contact@greta")).unwrap();
        let mut term = term;
        assert_eq!(
            term.get_cursor_position().unwrap().y as usize,
            y,
            "{w}x{h}\n{t}"
        );
    }
    snapshots!("org_form_invalid_email", app);
    // Typing goes into the e-mail field; sending clears the message under it.
    app.handle(key(KeyCode::End));
    typed(&mut app, ".fr");
    let cmds = app.handle(ctrl('s'));
    let Some(Command::Run(Action::SaveOrg { input, .. })) = cmds.first() else {
        panic!("{cmds:?}")
    };
    assert_eq!(input.email.as_deref(), Some("contact@greta.fr"));
    assert!(!text(&app).contains('⚠'));
}

/// Issue 15: the organisation form marks every field the core refuses, not only the first.
#[test]
fn every_field_the_core_rejects_is_marked_at_once() {
    let mut app = org_list();
    app.handle(ch('n'));
    typed(&mut app, "Greta Paris Centre");
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "123 456");
    for _ in 0..3 {
        app.handle(key(KeyCode::Tab));
    }
    typed(&mut app, "contact@greta");
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    typed(&mut app, "ftp://greta.fr");
    let cmds = app.handle(ctrl('s'));
    let Some(Command::Run(Action::SaveOrg { input, .. })) = cmds.first() else {
        panic!("{cmds:?}")
    };
    // The core's own verdict on what the form sends.
    let err = input.validated().expect_err("the core refuses the input");
    let failure = Failure::from_error(&err, Lang::Fr);
    let fields: Vec<Key> = failure.fields.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        fields,
        [Key::FieldSiret, Key::FieldEmail, Key::FieldWebsite]
    );
    assert_eq!(
        failure.message,
        "3 champs à corriger : SIRET, Courriel, Site web."
    );
    app.apply(Outcome::Ran(Err(failure.clone())));
    for (w, h) in [(80, 24), (160, 48)] {
        let t = super::support::text(&app, w, h);
        assert!(t.contains(&failure.message), "{w}x{h}\n{t}");
        for (_, problem) in &failure.fields {
            assert!(t.contains(&format!("⚠ {problem}")), "{w}x{h}\n{t}");
        }
        // The focus is on the first of them, the SIRET.
        let line = t.lines().find(|l| l.contains("123 456")).unwrap();
        assert!(line.contains('›'), "{w}x{h}\n{t}");
    }
    snapshots!("org_form_every_invalid_field", app);
}

/// A SIRET another organisation holds: the form names that organisation beside the field
/// (cleaned), as the command line does.
#[test]
fn a_taken_siret_names_the_organisation_beside_the_field() {
    let mut app = org_list();
    app.handle(ch('n'));
    let err = portail::Error::InvalidField {
        field: Key::FieldSiret,
        problem: Key::ProbSiretTaken,
        value: "Institut \u{1b}[31mAlpha".into(),
    };
    app.apply(Outcome::Ran(Err(Failure::from_error(&err, Lang::Fr))));
    let t = super::support::text(&app, 80, 24);
    assert!(
        t.contains("⚠ déjà utilisé par l'organisme « Institut [31mAlpha »"),
        "{t}"
    );
}
