//! Service-level rules of technical demos, on a real SQLite file: who manages, who sees
//! (course participants vs classes), limits, status transitions.

use chrono::{Duration, Utc};

use super::CoreOptions;
use super::classes::ClassInput;
use super::courses::{CourseInput, CourseStatus};
use super::enrolment::Target;
use super::orgs::OrgInput;
use super::students::StudentInput;
use super::tech_demos::{DemoAudience, DemoInput, DemoStatus};
use crate::i18n::Key;
use crate::{Actor, Error, Portail, Role};

struct World {
    _dir: tempfile::TempDir,
    p: Portail,
    trainer: Actor,
    /// In class K1, which takes the course.
    alice: Actor,
    /// Takes the course individually, in no class.
    bob: Actor,
    /// In class K2, which does not take the course.
    carol: Actor,
    /// In nothing.
    dan: Actor,
    course: i64,
    k1: i64,
    k2: i64,
}

fn actor(id: i64, role: Role) -> Actor {
    Actor {
        user_id: id,
        role,
        must_change_password: false,
    }
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let p = Portail::open(dir.path(), CoreOptions::default())
        .await
        .unwrap();
    let t = p
        .add_trainer("prof@example.fr", "une phrase secrète")
        .await
        .unwrap();
    let trainer = actor(t.id, Role::Trainer);
    let org = p
        .org_create(
            &trainer,
            &OrgInput {
                name: "Alpha".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut classes = Vec::new();
    for name in ["K1", "K2"] {
        let c = p
            .class_create(
                &trainer,
                &ClassInput {
                    organisation_id: org.id,
                    name: name.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        classes.push(c.id);
    }
    let mut ids = Vec::new();
    for (email, class) in [
        ("alice@example.fr", Some(classes[0])),
        ("bob@example.fr", None),
        ("carol@example.fr", Some(classes[1])),
        ("dan@example.fr", None),
    ] {
        let input = StudentInput {
            email: email.into(),
            first_name: email[..3].into(),
            ..Default::default()
        };
        let in_class: Vec<i64> = class.into_iter().collect();
        let (s, _) = p
            .student_create(&trainer, &input, &in_class, &[])
            .await
            .unwrap();
        ids.push(s.id);
    }
    let course = p
        .course_create(
            &trainer,
            &CourseInput {
                title: "Docker".into(),
                status: CourseStatus::Published,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    p.course_assign(
        &trainer,
        course,
        &[Target::Class(classes[0]), Target::Student(ids[1])],
        None,
        None,
    )
    .await
    .unwrap();
    World {
        _dir: dir,
        p,
        trainer,
        alice: actor(ids[0], Role::Student),
        bob: actor(ids[1], Role::Student),
        carol: actor(ids[2], Role::Student),
        dan: actor(ids[3], Role::Student),
        course,
        k1: classes[0],
        k2: classes[1],
    }
}

/// A change to a valid input, making one field invalid.
type Change = Box<dyn Fn(&mut DemoInput)>;

fn input(course: i64, title: &str) -> DemoInput {
    DemoInput {
        course_id: course,
        title: title.into(),
        starts_at: "2030-12-05 14:00".into(),
        duration_minutes: "45".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_trainer_plans_and_times_are_stored_in_utc() {
    let w = world().await;
    let mut i = input(w.course, "Docker multi-stage");
    i.description = Some("Une image de 20 Mo.".into());
    i.repo_url = Some("https://git.example.fr/docker".into());
    let d = w.p.demo_create(&w.trainer, &i).await.unwrap();
    assert_eq!(d.starts_at.to_rfc3339(), "2030-12-05T13:00:00+00:00");
    assert_eq!(d.status, DemoStatus::Planned);
    assert_eq!(d.audience, DemoAudience::Course);
    assert_eq!(d.course_title, "Docker");
    assert_eq!(w.p.demo_list(&w.trainer, None).await.unwrap().len(), 1);
    assert_eq!(
        w.p.demo_resolve(&w.trainer, "docker MULTI-stage")
            .await
            .unwrap(),
        d.id
    );
    // An edit keeps what it does not change, and the course.
    let mut e = DemoInput::from_demo(&d, w.p.options().time_zone);
    e.title = "Docker, étape 2".into();
    e.course_id = 999;
    let d2 = w.p.demo_update(&w.trainer, d.id, &e).await.unwrap();
    assert_eq!(d2.title, "Docker, étape 2");
    assert_eq!(d2.course_id, w.course);
    assert_eq!(d2.starts_at, d.starts_at);
    assert_eq!(d2.repo_url, d.repo_url);
    w.p.demo_delete(&w.trainer, d.id, false).await.unwrap();
    assert!(matches!(
        w.p.visible_demo(&w.trainer, d.id).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn students_may_not_manage() {
    let w = world().await;
    let d =
        w.p.demo_create(&w.trainer, &input(w.course, "Git"))
            .await
            .unwrap();
    let i = input(w.course, "Pirate");
    assert!(matches!(
        w.p.demo_create(&w.alice, &i).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.demo_update(&w.alice, d.id, &i).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.demo_delete(&w.alice, d.id, true).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.demo_list(&w.alice, None).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.demo_start_live(&w.alice, d.id).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.my_demos(&w.trainer).await,
        Err(Error::Forbidden)
    ));
    let mut forced = w.alice.clone();
    forced.must_change_password = true;
    assert!(matches!(
        w.p.visible_demo(&forced, d.id).await,
        Err(Error::PasswordChangeRequired)
    ));
    assert_eq!(w.p.visible_demo(&w.alice, d.id).await.unwrap().title, "Git");
}

#[tokio::test]
async fn audience_course_is_its_participants() {
    let w = world().await;
    let d =
        w.p.demo_create(&w.trainer, &input(w.course, "Volumes"))
            .await
            .unwrap();
    // Alice through K1, Bob individually; Carol (K2 does not take the course) and Dan not.
    for s in [&w.alice, &w.bob] {
        assert_eq!(w.p.visible_demo(s, d.id).await.unwrap().id, d.id);
        assert_eq!(w.p.my_demos(s).await.unwrap().len(), 1);
    }
    for s in [&w.carol, &w.dan] {
        // Exactly the answer for a demo that does not exist.
        assert!(matches!(
            w.p.visible_demo(s, d.id).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            w.p.visible_demo(s, 424_242).await,
            Err(Error::NotFound)
        ));
        assert!(w.p.my_demos(s).await.unwrap().is_empty());
    }
    // A draft course's demos are hidden from everyone but the trainer.
    let mut c = CourseInput::from(&w.p.course_row(w.course).await.unwrap());
    c.status = CourseStatus::Draft;
    w.p.course_update(&w.trainer, w.course, &c).await.unwrap();
    assert!(matches!(
        w.p.visible_demo(&w.alice, d.id).await,
        Err(Error::NotFound)
    ));
    assert!(w.p.visible_demo(&w.trainer, d.id).await.is_ok());
}

#[tokio::test]
async fn audience_classes_is_their_members_only() {
    let w = world().await;
    let mut i = input(w.course, "Réseaux");
    i.classes = vec!["K2".into()];
    let d = w.p.demo_create(&w.trainer, &i).await.unwrap();
    assert_eq!(d.audience, DemoAudience::Classes);
    assert_eq!(d.classes.len(), 1);
    assert_eq!(d.classes[0].id, w.k2);
    assert_eq!(
        crate::present::demo_audience(crate::Lang::Fr, &d),
        "Alpha / K2"
    );
    // Carol (K2) sees it; Alice (K1, a participant of the course) and Bob do not.
    assert!(w.p.visible_demo(&w.carol, d.id).await.is_ok());
    for s in [&w.alice, &w.bob, &w.dan] {
        assert!(matches!(
            w.p.visible_demo(s, d.id).await,
            Err(Error::NotFound)
        ));
    }
    // Back to the course's participants: the classes go.
    let mut e = DemoInput::from_demo(&d, w.p.options().time_zone);
    e.classes = vec![w.k1.to_string(), "K1".into()];
    let d = w.p.demo_update(&w.trainer, d.id, &e).await.unwrap();
    assert_eq!(d.classes.len(), 1, "a class named twice counts once");
    assert!(w.p.visible_demo(&w.alice, d.id).await.is_ok());
    assert!(w.p.visible_demo(&w.carol, d.id).await.is_err());
    e.classes.clear();
    let d = w.p.demo_update(&w.trainer, d.id, &e).await.unwrap();
    assert_eq!(d.audience, DemoAudience::Course);
    assert!(d.classes.is_empty());
    assert!(w.p.visible_demo(&w.bob, d.id).await.is_ok());
}

#[tokio::test]
async fn limits_name_the_field_and_write_nothing() {
    let w = world().await;
    let other =
        w.p.course_create(
            &w.trainer,
            &CourseInput {
                title: "Autre".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let lesson =
        w.p.lesson_add(&w.trainer, other.id, "Ailleurs", "")
            .await
            .unwrap()
            .id;
    let cases: Vec<(Change, Key)> = vec![
        (Box::new(|i| i.title = "  ".into()), Key::FieldTitle),
        (Box::new(|i| i.title = "x".repeat(201)), Key::FieldTitle),
        (
            Box::new(|i| i.description = Some("x".repeat(5_001))),
            Key::FieldDescription,
        ),
        (
            Box::new(|i| i.starts_at = "2030-12-05".into()),
            Key::DmFieldStarts,
        ),
        (
            Box::new(|i| i.starts_at = "jeudi".into()),
            Key::DmFieldStarts,
        ),
        (
            Box::new(|i| i.duration_minutes = "0".into()),
            Key::DmFieldDuration,
        ),
        (
            Box::new(|i| i.duration_minutes = "1441".into()),
            Key::DmFieldDuration,
        ),
        (
            Box::new(|i| i.repo_url = Some("javascript:alert(1)".into())),
            Key::DmFieldRepo,
        ),
        (
            Box::new(|i| i.slides_url = Some("https://ex.com/\u{1b}]52;c;eA==\u{7}".into())),
            Key::DmFieldSlides,
        ),
        (
            Box::new(|i| i.classes = vec!["Nulle part".into()]),
            Key::DmFieldClasses,
        ),
        (
            Box::new(|i| i.classes = (0..51).map(|n| n.to_string()).collect()),
            Key::DmFieldClasses,
        ),
        (
            Box::new(move |i| i.lesson_id = Some(lesson)),
            Key::FlFieldLesson,
        ),
    ];
    for (change, field) in cases {
        let mut i = input(w.course, "Bonne démo");
        change(&mut i);
        match w.p.demo_create(&w.trainer, &i).await {
            Err(Error::InvalidField { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field:?}: {other:?}"),
        }
    }
    assert!(w.p.demo_list(&w.trainer, None).await.unwrap().is_empty());
    assert!(matches!(
        w.p.demo_create(&w.trainer, &input(424_242, "Sans cours"))
            .await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn status_goes_planned_live_done_and_lists_put_upcoming_first() {
    let w = world().await;
    let soon = Utc::now() + Duration::minutes(10);
    let tz = w.p.options().time_zone;
    let at = |t: chrono::DateTime<Utc>| crate::present::minute(tz, t);
    let mk = |title: &str, t: chrono::DateTime<Utc>| {
        let mut i = input(w.course, title);
        i.starts_at = at(t);
        i
    };
    let past =
        w.p.demo_create(&w.trainer, &mk("Hier", Utc::now() - Duration::days(1)))
            .await
            .unwrap();
    let later =
        w.p.demo_create(&w.trainer, &mk("Plus tard", soon + Duration::days(2)))
            .await
            .unwrap();
    let next =
        w.p.demo_create(&w.trainer, &mk("Bientôt", soon))
            .await
            .unwrap();
    let live = w.p.demo_start_live(&w.trainer, past.id).await.unwrap();
    assert_eq!(live.status, DemoStatus::Live);
    assert!(live.started_at.is_some());
    assert!(matches!(
        w.p.demo_start_live(&w.trainer, past.id).await,
        Err(Error::Invalid(Key::DmErrNotPlanned))
    ));
    assert!(matches!(
        w.p.demo_finish(&w.trainer, next.id).await,
        Err(Error::Invalid(Key::DmErrNotLive))
    ));
    let titles = |l: Vec<super::tech_demos::Demo>| -> Vec<String> {
        l.into_iter().map(|d| d.title).collect()
    };
    // Live first, then the soonest.
    assert_eq!(
        titles(w.p.my_demos(&w.alice).await.unwrap()),
        ["Hier", "Bientôt", "Plus tard"]
    );
    let done = w.p.demo_finish(&w.trainer, past.id).await.unwrap();
    assert_eq!(done.status, DemoStatus::Done);
    assert!(done.ended_at.is_some());
    assert!(!done.is_upcoming(Utc::now()));
    assert_eq!(
        titles(w.p.demo_list(&w.trainer, None).await.unwrap()),
        ["Bientôt", "Plus tard", "Hier"]
    );
    // A demo that went live is deleted only when confirmed.
    assert!(matches!(
        w.p.demo_delete(&w.trainer, past.id, false).await,
        Err(Error::NeedsConfirmation(_))
    ));
    w.p.demo_delete(&w.trainer, past.id, true).await.unwrap();
    w.p.demo_delete(&w.trainer, later.id, false).await.unwrap();
    assert_eq!(w.p.my_demos(&w.bob).await.unwrap().len(), 1);
}
