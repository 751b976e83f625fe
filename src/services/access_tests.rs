//! Assignment dates (`CourseAccess`): what a student may do before, during and after a
//! course's dates, on the boundary days, in the configured time zone.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::CoreOptions;
use super::courses::{CourseInput, CourseStatus};
use super::enrolment::{CourseAccess, Target};
use super::students::StudentInput;
use crate::i18n::{Key, Lang};
use crate::quiz::{QuestionDraft, QuestionKind, QuizDoc, QuizSettings};
use crate::{Actor, Error, Portail, Role, present};

struct World {
    _dir: tempfile::TempDir,
    p: Portail,
    trainer: Actor,
    student: Actor,
    course: i64,
    lesson: i64,
    file: i64,
    quiz: i64,
}

/// A published course with a lesson, a file and a published quiz, assigned to one
/// student (dates set by each test), in time zone `tz`.
async fn world(tz: chrono_tz::Tz) -> World {
    let dir = tempfile::tempdir().unwrap();
    let options = CoreOptions {
        time_zone: tz,
        ..CoreOptions::default()
    };
    let p = Portail::open(dir.path(), options).await.unwrap();
    let t = p
        .add_trainer("prof@example.fr", "une phrase secrète")
        .await
        .unwrap();
    let trainer = Actor {
        user_id: t.id,
        role: Role::Trainer,
        must_change_password: false,
    };
    let input = StudentInput {
        email: "marie@example.fr".into(),
        first_name: "Marie".into(),
        last_name: "Curie".into(),
        ..Default::default()
    };
    let (s, _) = p.student_create(&trainer, &input, &[], &[]).await.unwrap();
    let student = Actor {
        user_id: s.id,
        role: Role::Student,
        must_change_password: false,
    };
    let course = p
        .course_create(
            &trainer,
            &CourseInput {
                title: "Excel".into(),
                status: CourseStatus::Published,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let lesson = p.lesson_add(&trainer, course, "Un", "").await.unwrap().id;
    let file = p
        .resource_upload(
            &trainer,
            course,
            Some(lesson),
            "Diapos",
            "d.pdf",
            b"%PDF-1.4",
        )
        .await
        .unwrap()
        .id;
    let question = QuestionDraft {
        kind: QuestionKind::TrueFalse,
        title: None,
        text: "Vrai ?".into(),
        points: 1.0,
        choices: vec![],
        answer: Some(true),
        accepted: vec![],
        feedback: None,
    };
    let quiz = p
        .quiz_create(
            &trainer,
            course,
            QuizDoc {
                settings: QuizSettings {
                    title: "Test".into(),
                    published: true,
                    ..Default::default()
                },
                questions: vec![question],
            },
        )
        .await
        .unwrap();
    World {
        _dir: dir,
        p,
        trainer,
        student,
        course,
        lesson,
        file,
        quiz,
    }
}

impl World {
    async fn dates(&self, start: Option<NaiveDate>, end: Option<NaiveDate>) {
        let s = start.map(present::date);
        let e = end.map(present::date);
        self.p
            .course_assign(
                &self.trainer,
                self.course,
                &[Target::Student(self.student.user_id)],
                s.as_deref(),
                e.as_deref(),
            )
            .await
            .unwrap();
    }

    async fn access(&self) -> CourseAccess {
        self.p.my_courses(&self.student).await.unwrap()[0].access
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn the_rule_on_the_boundary_days_of_the_local_calendar() {
    use chrono_tz::Europe::Paris;
    let (start, end) = (Some(day(2026, 3, 1)), Some(day(2027, 1, 12)));
    let on = |at: &str| CourseAccess::on(present::local_date(Paris, utc(at)), start, end);
    // 23:59 in Paris on 28 February: not yet; 00:00 on 1 March (23:00 UTC the day
    // before): open.
    assert_eq!(on("2026-02-28T22:59:00Z"), CourseAccess::Upcoming);
    assert_eq!(on("2026-02-28T23:00:00Z"), CourseAccess::Open);
    // The end day is included, to 23:59 local time (UTC+1 in January).
    assert_eq!(on("2027-01-12T22:59:00Z"), CourseAccess::Open);
    assert_eq!(on("2027-01-12T23:00:00Z"), CourseAccess::Ended);
    // Open on either side.
    assert_eq!(
        CourseAccess::on(day(2000, 1, 1), None, end),
        CourseAccess::Open
    );
    assert_eq!(
        CourseAccess::on(day(2999, 1, 1), start, None),
        CourseAccess::Open
    );
    // The words, in both languages.
    let today = day(2026, 11, 20);
    let refused = CourseAccess::Ended
        .refuse_progress(start, end, today, Key::ErrCourseEndedDone)
        .unwrap();
    assert_eq!(
        refused.user_message(Lang::Fr),
        "Ce cours est terminé depuis le 12 janvier 2027 : il reste consultable mais vous ne \
         pouvez plus marquer de leçon comme faite."
    );
    assert_eq!(
        CourseAccess::Upcoming
            .note(Lang::Fr, start, end, day(2026, 2, 1))
            .as_deref(),
        Some("à partir du 1er mars")
    );
    assert_eq!(
        CourseAccess::Upcoming
            .note(Lang::En, start, end, day(2026, 2, 1))
            .as_deref(),
        Some("from March 1")
    );
    assert_eq!(CourseAccess::Open.note(Lang::Fr, start, end, today), None);
}

/// A zone whose local day is not the UTC day right now (one of UTC+14 and UTC−11 always
/// is), so that a rule read on the UTC calendar would fail.
fn zone_off_the_utc_day() -> chrono_tz::Tz {
    let now = Utc::now();
    [
        chrono_tz::Pacific::Kiritimati,
        chrono_tz::Pacific::Pago_Pago,
    ]
    .into_iter()
    .find(|tz| present::local_date(*tz, now) != now.date_naive())
    .expect("one of them is another day")
}

#[tokio::test]
async fn today_is_the_local_day_of_the_configured_zone() {
    let w = world(zone_off_the_utc_day()).await;
    let today = w.p.today();
    // Starting and ending today, here: open (on the UTC calendar one side would refuse).
    w.dates(Some(today), Some(today)).await;
    assert_eq!(w.access().await, CourseAccess::Open);
    w.p.my_course(&w.student, w.course).await.unwrap();
    assert_eq!(
        w.p.lesson_set_done(&w.student, w.lesson, true)
            .await
            .unwrap(),
        100
    );
}

#[tokio::test]
async fn before_the_start_day_the_course_is_listed_but_cannot_be_opened() {
    let w = world(chrono_tz::Europe::Paris).await;
    let today = w.p.today();
    w.dates(Some(today + Duration::days(1)), None).await;
    let mine = w.p.my_courses(&w.student).await.unwrap();
    assert_eq!((mine.len(), mine[0].access), (1, CourseAccess::Upcoming));
    let refused = w.p.my_course(&w.student, w.course).await.unwrap_err();
    assert!(
        matches!(
            refused,
            Error::CourseDates {
                key: Key::ErrCourseNotStarted,
                ..
            }
        ),
        "{refused:?}"
    );
    assert!(
        refused
            .user_message(Lang::Fr)
            .starts_with("Ce cours commence le "),
        "{}",
        refused.user_message(Lang::Fr)
    );
    assert!(matches!(
        w.p.lesson_open(&w.student, w.lesson).await,
        Err(Error::CourseDates { .. })
    ));
    assert!(matches!(
        w.p.lesson_set_done(&w.student, w.lesson, true).await,
        Err(Error::CourseDates { .. })
    ));
    // No download link, and a link made by hand is refused by the download itself.
    assert!(matches!(
        w.p.resource_link(&w.student, w.file, Duration::hours(1))
            .await,
        Err(Error::NotFound)
    ));
    let path =
        w.p.resource_link(&w.trainer, w.file, Duration::hours(1))
            .await
            .unwrap();
    let parts: Vec<&str> = path.split('/').collect();
    let (file, expires, sig) = (
        parts[2].parse().unwrap(),
        parts[4].parse().unwrap(),
        parts[5],
    );
    let forged = w.p.signer().sign_path(file, w.student.user_id, expires);
    let forged_sig = forged.rsplit('/').next().unwrap();
    assert_ne!(sig, forged_sig);
    assert!(matches!(
        w.p.download(
            file,
            w.student.user_id,
            expires,
            forged_sig,
            &Default::default()
        )
        .await,
        Err(super::files::Access::Forbidden)
    ));
    // Its quizzes are not shown, nor can they be started.
    assert!(w.p.my_quizzes(&w.student).await.unwrap().is_empty());
    assert!(w.p.attempt_start(&w.student, w.quiz).await.is_err());

    // On the start day itself it opens, and the download works.
    w.dates(Some(today), None).await;
    assert_eq!(w.access().await, CourseAccess::Open);
    let d = w.p.my_course(&w.student, w.course).await.unwrap();
    assert!(d.detail.resources[0].url.is_some());
    assert!(
        w.p.download(
            file,
            w.student.user_id,
            expires,
            forged_sig,
            &Default::default()
        )
        .await
        .is_ok()
    );
}

#[tokio::test]
async fn after_the_end_day_the_course_is_read_only() {
    let w = world(chrono_tz::Europe::Paris).await;
    let today = w.p.today();
    // The end day itself is still open.
    w.dates(None, Some(today)).await;
    assert_eq!(w.access().await, CourseAccess::Open);
    w.p.lesson_set_done(&w.student, w.lesson, true)
        .await
        .unwrap();

    w.dates(None, Some(today - Duration::days(1))).await;
    assert_eq!(w.access().await, CourseAccess::Ended);
    // Still readable, files included.
    let d = w.p.my_course(&w.student, w.course).await.unwrap();
    assert_eq!(d.access, CourseAccess::Ended);
    assert!(d.detail.resources[0].url.is_some());
    w.p.lesson_open(&w.student, w.lesson).await.unwrap();
    // Progress can no longer change, either way.
    for done in [false, true] {
        let refused =
            w.p.lesson_set_done(&w.student, w.lesson, done)
                .await
                .unwrap_err();
        assert!(
            refused.user_message(Lang::Fr).contains(
                "il reste consultable mais vous ne pouvez plus marquer de leçon comme faite"
            ),
            "{}",
            refused.user_message(Lang::Fr)
        );
    }
    // Its quizzes are listed as closed and cannot be started.
    let quizzes = w.p.my_quizzes(&w.student).await.unwrap();
    assert_eq!(
        quizzes[0].availability,
        crate::quiz::QuizAvailability::Closed
    );
    let refused = w.p.attempt_start(&w.student, w.quiz).await.unwrap_err();
    assert!(
        matches!(
            refused,
            Error::CourseDates {
                key: Key::ErrCourseEndedQuiz,
                ..
            }
        ),
        "{refused:?}"
    );
}

#[tokio::test]
async fn an_assignment_without_dates_keeps_the_course_open() {
    // Through a class with dates in the future and individually without dates: the
    // course is open (an open side is not narrowed by another assignment).
    let w = world(chrono_tz::Europe::Paris).await;
    let o =
        w.p.org_create(
            &w.trainer,
            &super::orgs::OrgInput {
                name: "Alpha".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let class =
        w.p.class_create(
            &w.trainer,
            &super::classes::ClassInput {
                organisation_id: o.id,
                name: "K".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    w.p.class_add_members(&w.trainer, class.id, &[w.student.user_id])
        .await
        .unwrap();
    let later = present::date(w.p.today() + Duration::days(30));
    w.p.course_assign(
        &w.trainer,
        w.course,
        &[Target::Class(class.id)],
        Some(&later),
        Some(&later),
    )
    .await
    .unwrap();
    assert_eq!(w.access().await, CourseAccess::Upcoming);
    w.dates(None, None).await;
    let mine = w.p.my_courses(&w.student).await.unwrap();
    assert_eq!(
        (mine[0].start_date, mine[0].end_date, mine[0].access),
        (None, None, CourseAccess::Open)
    );
}

#[tokio::test]
async fn files_carry_a_signed_link_and_its_expiry_for_trainer_and_student() {
    let w = world(chrono_tz::Europe::Paris).await;
    w.dates(None, None).await;
    let before = Utc::now();
    let for_trainer = w.p.course_get(&w.trainer, w.course).await.unwrap();
    let r = &for_trainer.resources[0];
    let url = r.url.as_deref().unwrap();
    assert!(url.starts_with("https://localhost:8443/f/"), "{url}");
    let expires = r.url_expires_at.unwrap();
    assert!(expires > before + Duration::hours(23) && expires <= Utc::now() + Duration::hours(24));
    let json = serde_json::to_value(r).unwrap();
    assert!(json["url_expires_at"].as_str().is_some(), "{json}");
    assert!(json.get("file_id").is_none(), "{json}");
    let for_student = w.p.my_course(&w.student, w.course).await.unwrap();
    let su = for_student.detail.resources[0].url.as_deref().unwrap();
    assert_ne!(su, url, "each reader gets a link of their own");
    // Assigning the (published) course gives no draft warning; a draft gives one.
    let done =
        w.p.course_assign(
            &w.trainer,
            w.course,
            &[Target::Student(w.student.user_id)],
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(done.warning(Lang::Fr), None);
    let draft =
        w.p.course_create(
            &w.trainer,
            &CourseInput {
                title: "Brouillon".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let done =
        w.p.course_assign(
            &w.trainer,
            draft.id,
            &[Target::Student(w.student.user_id)],
            None,
            None,
        )
        .await
        .unwrap();
    assert!(done.warning(Lang::Fr).unwrap().contains("brouillon"));
}
