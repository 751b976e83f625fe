//! Service-level rules of quizzes, on a real SQLite file.

use chrono::{Duration, Utc};

use super::CoreOptions;
use super::courses::{CourseInput, CourseStatus};
use super::enrolment::Target;
use super::students::StudentInput;
use crate::i18n::Key;
use crate::import::Location;
use crate::quiz::{
    Answer, Choice, QuestionDraft, QuestionKind, QuizAvailability, QuizDoc, QuizFormat, QuizKind,
    QuizSettings, QuizStatus,
};
use crate::{Actor, Error, Portail, Role};

struct World {
    _dir: tempfile::TempDir,
    p: Portail,
    trainer: Actor,
    alice: Actor,
    bob: Actor,
    course: i64,
    other_course: i64,
}

fn student_actor(id: i64) -> Actor {
    Actor {
        user_id: id,
        role: Role::Student,
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
    let trainer = Actor {
        user_id: t.id,
        role: Role::Trainer,
        must_change_password: false,
    };
    let mut ids = Vec::new();
    for (email, first) in [("alice@example.fr", "Alice"), ("bob@example.fr", "Bob")] {
        let input = StudentInput {
            email: email.into(),
            first_name: first.into(),
            last_name: "Martin".into(),
            ..Default::default()
        };
        let (s, _) = p.student_create(&trainer, &input, &[], &[]).await.unwrap();
        ids.push(s.id);
    }
    let mut course_ids = Vec::new();
    for title in ["Excel", "Word"] {
        let c = p
            .course_create(
                &trainer,
                &CourseInput {
                    title: title.into(),
                    status: CourseStatus::Published,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        course_ids.push(c.id);
    }
    // Alice and Bob take Excel; nobody takes Word.
    p.course_assign(
        &trainer,
        course_ids[0],
        &[Target::Student(ids[0]), Target::Student(ids[1])],
        None,
        None,
    )
    .await
    .unwrap();
    World {
        _dir: dir,
        p,
        trainer,
        alice: student_actor(ids[0]),
        bob: student_actor(ids[1]),
        course: course_ids[0],
        other_course: course_ids[1],
    }
}

fn choice(text: &str, credit: i32) -> Choice {
    Choice {
        text: text.into(),
        credit,
        feedback: None,
    }
}

fn q(kind: QuestionKind, text: &str) -> QuestionDraft {
    QuestionDraft {
        kind,
        title: None,
        text: text.into(),
        points: 1.0,
        choices: vec![],
        answer: None,
        accepted: vec![],
        feedback: None,
    }
}

/// Four questions, one of each kind, 5 points in all.
fn doc(title: &str) -> QuizDoc {
    let mut single = q(QuestionKind::Single, "Capitale de la France ?");
    single.choices = vec![choice("Paris", 100), choice("Lyon", 0), choice("Nice", -50)];
    single.feedback = Some("Paris, depuis longtemps.".into());
    let mut multiple = q(QuestionKind::Multiple, "Nombres pairs ?");
    multiple.points = 2.0;
    multiple.choices = vec![
        choice("2", 50),
        choice("4", 50),
        choice("5", -100),
        choice("7", -100),
    ];
    let mut tf = q(QuestionKind::TrueFalse, "La Terre est ronde.");
    tf.answer = Some(true);
    let mut short = q(QuestionKind::Short, "Palais du président ?");
    short.accepted = vec!["Élysée".into(), "palais de l'Élysée".into()];
    QuizDoc {
        settings: QuizSettings {
            title: title.into(),
            published: true,
            ..Default::default()
        },
        questions: vec![single, multiple, tf, short],
    }
}

async fn set_settings(w: &World, quiz: i64, f: impl FnOnce(&mut QuizSettings)) {
    let mut s =
        w.p.quiz_get(&w.trainer, quiz)
            .await
            .unwrap()
            .summary
            .settings;
    f(&mut s);
    w.p.quiz_update_settings(&w.trainer, quiz, s).await.unwrap();
}

async fn move_deadline_to_past(w: &World, attempt: i64) {
    let past = Utc::now() - Duration::minutes(1);
    sqlx::query("UPDATE quiz_attempts SET started_at = ?1, deadline = ?2 WHERE id = ?3")
        .bind(past - Duration::minutes(30))
        .bind(past)
        .bind(attempt)
        .execute(w.p.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn take_a_quiz_graded_with_partial_credit_and_results_for_the_trainer() {
    let w = world().await;
    let id =
        w.p.quiz_create(&w.trainer, w.course, doc("Bases"))
            .await
            .unwrap();
    let mine = w.p.my_quizzes(&w.alice).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].availability, QuizAvailability::Open);
    let view = w.p.attempt_start(&w.alice, id).await.unwrap();
    assert_eq!(view.questions.len(), 4);
    let qs: Vec<i64> = view.questions.iter().map(|q| q.id).collect();
    // Resuming gives the same attempt with the answers saved so far.
    w.p.attempt_answer(
        &w.alice,
        view.attempt_id,
        qs[0],
        Some(Answer::Choices(vec![0])),
    )
    .await
    .unwrap();
    let again = w.p.attempt_start(&w.alice, id).await.unwrap();
    assert_eq!(again.attempt_id, view.attempt_id);
    assert_eq!(again.answers, vec![(qs[0], Answer::Choices(vec![0]))]);
    assert_eq!(
        w.p.my_quizzes(&w.alice).await.unwrap()[0].availability,
        QuizAvailability::InProgress
    );
    // 2 and 4 and 5: 50 + 50 - 100 → clamped to 0 of 2 points. Then changed to 2 only: 1 point.
    w.p.attempt_answer(
        &w.alice,
        view.attempt_id,
        qs[1],
        Some(Answer::Choices(vec![0, 1, 2])),
    )
    .await
    .unwrap();
    w.p.attempt_answer(
        &w.alice,
        view.attempt_id,
        qs[1],
        Some(Answer::Choices(vec![0])),
    )
    .await
    .unwrap();
    w.p.attempt_answer(&w.alice, view.attempt_id, qs[2], Some(Answer::Bool(false)))
        .await
        .unwrap();
    w.p.attempt_answer(
        &w.alice,
        view.attempt_id,
        qs[3],
        Some(Answer::Text("  palais de l'ELYSEE ".into())),
    )
    .await
    .unwrap();
    // Wrong kind of answer, index out of range, question of another quiz: refused.
    for (qid, a) in [
        (qs[2], Answer::Text("vrai".into())),
        (qs[0], Answer::Choices(vec![7])),
        (qs[0], Answer::Choices(vec![0, 1])),
    ] {
        let e =
            w.p.attempt_answer(&w.alice, view.attempt_id, qid, Some(a))
                .await;
        assert!(
            matches!(e, Err(Error::Invalid(Key::QzErrBadAnswer))),
            "{e:?}"
        );
    }
    let r = w.p.attempt_submit(&w.alice, view.attempt_id).await.unwrap();
    // 1 (Paris) + 1 (half of 2) + 0 (false) + 1 (short) = 3 of 5.
    assert_eq!((r.score, r.max_score, r.percent), (3.0, 5.0, 60.0));
    assert!(r.passed);
    assert!(!r.timed_out);
    assert_eq!(r.corrections.len(), 4);
    assert_eq!(r.corrections[1].earned, 1.0);
    assert!(r.corrections[0].expected.is_some());
    // Submitted: no more answers, no second submission.
    let e =
        w.p.attempt_answer(&w.alice, view.attempt_id, qs[0], None)
            .await;
    assert!(matches!(e, Err(Error::Invalid(Key::QzErrSubmitted))));
    let e = w.p.attempt_submit(&w.alice, view.attempt_id).await;
    assert!(matches!(e, Err(Error::Invalid(Key::QzErrSubmitted))));

    // Bob answers nothing and submits: 0 %.
    let b = w.p.attempt_start(&w.bob, id).await.unwrap();
    let rb = w.p.attempt_submit(&w.bob, b.attempt_id).await.unwrap();
    assert_eq!((rb.score, rb.percent, rb.passed), (0.0, 0.0, false));

    let res = w.p.quiz_results(&w.trainer, id).await.unwrap();
    assert_eq!(res.quiz.attempt_count, 2);
    let alice = res
        .students
        .iter()
        .find(|s| s.email == "alice@example.fr")
        .unwrap();
    assert_eq!(
        (alice.attempts, alice.best_percent, alice.passed),
        (1, Some(60.0), true)
    );
    assert_eq!(alice.name, "Alice Martin");
    let bob = res
        .students
        .iter()
        .find(|s| s.email == "bob@example.fr")
        .unwrap();
    assert_eq!(
        (bob.attempts, bob.last_percent, bob.passed),
        (1, Some(0.0), false)
    );
    // Per question: single 50 % (1 of 2), multiple 25 %, true/false 0 %, short 50 %.
    let rates: Vec<Option<f64>> = res.questions.iter().map(|q| q.success_percent).collect();
    assert_eq!(rates, vec![Some(50.0), Some(25.0), Some(0.0), Some(50.0)]);
    assert_eq!(res.questions[0].answered, 1);

    // The student's own results, and nobody else's.
    let own = w.p.my_quiz_results(&w.alice, None).await.unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].attempt_id, r.attempt_id);
    let e = w.p.attempt_submit(&w.bob, view.attempt_id).await;
    assert!(matches!(e, Err(Error::NotFound)));
    let e =
        w.p.attempt_answer(&w.bob, view.attempt_id, qs[0], None)
            .await;
    assert!(matches!(e, Err(Error::NotFound)));
}

#[tokio::test]
async fn correct_answers_never_reach_the_student_before_submitting() {
    let w = world().await;
    let mut d = doc("Secret");
    d.questions[0].choices[0].feedback = Some("BRAVO-FEEDBACK".into());
    d.questions[3].accepted = vec!["REPONSE-SECRETE".into()];
    let id = w.p.quiz_create(&w.trainer, w.course, d).await.unwrap();
    let view = w.p.attempt_start(&w.alice, id).await.unwrap();
    let json = serde_json::to_string(&view).unwrap();
    for secret in [
        "credit",
        "BRAVO",
        "REPONSE-SECRETE",
        "accepted",
        "Paris, depuis",
        "feedback",
    ] {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
    let list = serde_json::to_string(&w.p.my_quizzes(&w.alice).await.unwrap()).unwrap();
    assert!(!list.contains("SECRETE"));
    // With corrections hidden, the result says the score and nothing else.
    set_settings(&w, id, |s| s.show_corrections = false).await;
    let r = w.p.attempt_submit(&w.alice, view.attempt_id).await.unwrap();
    assert!(r.corrections.is_empty());
    let again = w.p.my_quiz_results(&w.alice, Some(id)).await.unwrap();
    assert!(again[0].corrections.is_empty());
}

#[tokio::test]
async fn no_answer_nor_submission_after_the_deadline() {
    let w = world().await;
    let id =
        w.p.quiz_create(&w.trainer, w.course, doc("Chrono"))
            .await
            .unwrap();
    set_settings(&w, id, |s| s.time_limit_minutes = Some(10)).await;
    let view = w.p.attempt_start(&w.alice, id).await.unwrap();
    let deadline = view.deadline.expect("timed");
    assert!(deadline > Utc::now() + Duration::minutes(9));
    let qs: Vec<i64> = view.questions.iter().map(|q| q.id).collect();
    w.p.attempt_answer(
        &w.alice,
        view.attempt_id,
        qs[0],
        Some(Answer::Choices(vec![0])),
    )
    .await
    .unwrap();
    move_deadline_to_past(&w, view.attempt_id).await;
    let e =
        w.p.attempt_answer(&w.alice, view.attempt_id, qs[2], Some(Answer::Bool(true)))
            .await;
    assert!(matches!(e, Err(Error::Invalid(Key::QzErrTimeUp))), "{e:?}");
    // Graded as timed out with the answer saved before the deadline only.
    let r = w.p.attempt_submit(&w.alice, view.attempt_id).await.unwrap();
    assert!(r.timed_out);
    assert_eq!(r.score, 1.0);
    assert!(r.submitted_at < Utc::now() - Duration::seconds(30));

    // Bob's attempt expires untouched: listing his quizzes grades it.
    let b = w.p.attempt_start(&w.bob, id).await.unwrap();
    w.p.attempt_answer(&w.bob, b.attempt_id, qs[2], Some(Answer::Bool(true)))
        .await
        .unwrap();
    move_deadline_to_past(&w, b.attempt_id).await;
    let mine = w.p.my_quizzes(&w.bob).await.unwrap();
    assert_eq!(mine[0].availability, QuizAvailability::Open);
    assert_eq!(mine[0].attempts_used, 1);
    assert_eq!(mine[0].last_percent, Some(20.0));
    let res = w.p.my_quiz_results(&w.bob, Some(id)).await.unwrap();
    assert!(res[0].timed_out);
}

#[tokio::test]
async fn attempts_dates_and_visibility_are_enforced() {
    let w = world().await;
    let id =
        w.p.quiz_create(&w.trainer, w.course, doc("Limité"))
            .await
            .unwrap();
    set_settings(&w, id, |s| s.max_attempts = Some(1)).await;
    let a = w.p.attempt_start(&w.alice, id).await.unwrap();
    w.p.attempt_submit(&w.alice, a.attempt_id).await.unwrap();
    let e = w.p.attempt_start(&w.alice, id).await;
    assert!(
        matches!(e, Err(Error::Invalid(Key::QzErrNoAttemptsLeft))),
        "{e:?}"
    );
    assert_eq!(
        w.p.my_quizzes(&w.alice).await.unwrap()[0].availability,
        QuizAvailability::NoAttemptsLeft
    );
    let msg = e.unwrap_err().user_message(crate::Lang::Fr);
    assert!(msg.contains("toutes les tentatives"), "{msg}");

    // Not open yet / closed.
    set_settings(&w, id, |s| {
        s.max_attempts = None;
        s.opens_at = Some(Utc::now() + Duration::days(1));
    })
    .await;
    let e = w.p.attempt_start(&w.alice, id).await;
    assert!(matches!(e, Err(Error::Invalid(Key::QzErrNotOpen))));
    set_settings(&w, id, |s| {
        s.opens_at = Some(Utc::now() - Duration::days(2));
        s.closes_at = Some(Utc::now() - Duration::days(1));
    })
    .await;
    let e = w.p.attempt_start(&w.alice, id).await;
    assert!(matches!(e, Err(Error::Invalid(Key::QzErrClosed))));
    assert_eq!(
        w.p.my_quizzes(&w.alice).await.unwrap()[0].availability,
        QuizAvailability::Closed
    );

    // A quiz of a course not assigned to the student: not found, not listed.
    let other =
        w.p.quiz_create(&w.trainer, w.other_course, doc("Word"))
            .await
            .unwrap();
    assert!(matches!(
        w.p.attempt_start(&w.alice, other).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        w.p.quiz_resolve(&w.alice, "Word").await,
        Err(Error::Unknown { .. })
    ));
    // An unpublished quiz of their course: the same.
    let mut hidden = doc("Caché");
    hidden.settings.published = false;
    let hidden = w.p.quiz_create(&w.trainer, w.course, hidden).await.unwrap();
    assert!(matches!(
        w.p.attempt_start(&w.alice, hidden).await,
        Err(Error::NotFound)
    ));
    let titles: Vec<String> =
        w.p.my_quizzes(&w.alice)
            .await
            .unwrap()
            .into_iter()
            .map(|q| q.title)
            .collect();
    assert_eq!(titles, vec!["Limité"]);
    assert_eq!(w.p.quiz_resolve(&w.alice, "limité").await.unwrap(), id);
}

#[tokio::test]
async fn students_cannot_run_trainer_use_cases_and_trainers_cannot_take_quizzes() {
    let w = world().await;
    let id =
        w.p.quiz_create(&w.trainer, w.course, doc("Bases"))
            .await
            .unwrap();
    let s = &w.alice;
    assert!(matches!(
        w.p.quiz_list(s, None).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(w.p.quiz_get(s, id).await, Err(Error::Forbidden)));
    assert!(matches!(
        w.p.quiz_create(s, w.course, doc("x")).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.quiz_delete(s, id, true).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.quiz_results(s, id).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.quiz_progression(s, w.course).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.quiz_export(s, id, QuizFormat::Json).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.quiz_import(s, w.course, QuizFormat::Gift, "Q {T}", None, false)
            .await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.question_add(s, id, q(QuestionKind::TrueFalse, "x"))
            .await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.attempt_start(&w.trainer, id).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.my_quizzes(&w.trainer).await,
        Err(Error::Forbidden)
    ));
    let forced = Actor {
        must_change_password: true,
        ..w.alice.clone()
    };
    assert!(matches!(
        w.p.my_quizzes(&forced).await,
        Err(Error::PasswordChangeRequired)
    ));
}

#[tokio::test]
async fn authoring_questions_settings_and_deletion() {
    let w = world().await;
    let id =
        w.p.quiz_create(
            &w.trainer,
            w.course,
            QuizDoc {
                settings: QuizSettings {
                    title: "Vide".into(),
                    ..Default::default()
                },
                questions: vec![],
            },
        )
        .await
        .unwrap();
    let mut tf = q(QuestionKind::TrueFalse, "Un");
    tf.answer = Some(true);
    let a = w.p.question_add(&w.trainer, id, tf.clone()).await.unwrap();
    tf.text = "Deux".into();
    let b = w.p.question_add(&w.trainer, id, tf.clone()).await.unwrap();
    tf.text = "Trois".into();
    let c = w.p.question_add(&w.trainer, id, tf.clone()).await.unwrap();
    w.p.question_move(&w.trainer, c, -5).await.unwrap();
    let order = |d: crate::quiz::QuizDetail| d.questions.iter().map(|q| q.id).collect::<Vec<_>>();
    assert_eq!(
        order(w.p.quiz_get(&w.trainer, id).await.unwrap()),
        vec![c, a, b]
    );
    w.p.question_move(&w.trainer, c, 1).await.unwrap();
    assert_eq!(
        order(w.p.quiz_get(&w.trainer, id).await.unwrap()),
        vec![a, c, b]
    );
    // A bad question is refused with its field named.
    let mut bad = q(QuestionKind::Short, "Sans réponse");
    let e =
        w.p.question_add(&w.trainer, id, bad.clone())
            .await
            .unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidField {
            field: Key::QzFieldAccepted,
            problem: Key::QzProbNoAccepted,
            ..
        }
    ));
    bad.accepted = vec!["oui".into()];
    w.p.question_update(&w.trainer, b, bad).await.unwrap();
    let d = w.p.quiz_get(&w.trainer, id).await.unwrap();
    assert_eq!(d.questions[2].draft.kind, QuestionKind::Short);
    assert_eq!(d.summary.question_count, 3);
    w.p.question_delete(&w.trainer, a).await.unwrap();
    assert!(matches!(
        w.p.question_delete(&w.trainer, a).await,
        Err(Error::NotFound)
    ));
    // Settings are checked.
    let mut s = d.summary.settings.clone();
    s.pass_percent = 150;
    assert!(
        w.p.quiz_update_settings(&w.trainer, id, s.clone())
            .await
            .is_err()
    );
    s.pass_percent = 80;
    s.lesson_id = Some(999);
    assert!(matches!(
        w.p.quiz_update_settings(&w.trainer, id, s.clone()).await,
        Err(Error::InvalidField {
            problem: Key::QzProbLessonNotInCourse,
            ..
        })
    ));
    s.lesson_id = None;
    s.published = true;
    w.p.quiz_update_settings(&w.trainer, id, s).await.unwrap();
    // Deleting a quiz with attempts needs confirmation.
    let at = w.p.attempt_start(&w.alice, id).await.unwrap();
    w.p.attempt_submit(&w.alice, at.attempt_id).await.unwrap();
    assert!(matches!(
        w.p.quiz_delete(&w.trainer, id, false).await,
        Err(Error::NeedsConfirmation(Key::QzErrConfirmDelete))
    ));
    w.p.quiz_delete(&w.trainer, id, true).await.unwrap();
    assert!(w.p.quiz_list(&w.trainer, None).await.unwrap().is_empty());
    assert!(
        w.p.my_quiz_results(&w.alice, None)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn import_json_and_gift_all_or_nothing_and_export_round_trip() {
    let w = world().await;
    let json = serde_json::to_string(&doc("Depuis JSON")).unwrap();
    let dry =
        w.p.quiz_import(
            &w.trainer,
            w.course,
            QuizFormat::Json,
            &json,
            Some(QuizKind::Final),
            true,
        )
        .await
        .unwrap();
    assert_eq!(
        (dry.quiz_id, dry.question_count, dry.total_points),
        (None, 4, 5.0)
    );
    assert!(w.p.quiz_list(&w.trainer, None).await.unwrap().is_empty());
    let rep =
        w.p.quiz_import(
            &w.trainer,
            w.course,
            QuizFormat::Json,
            &json,
            Some(QuizKind::Final),
            false,
        )
        .await
        .unwrap();
    let id = rep.quiz_id.unwrap();
    let d = w.p.quiz_get(&w.trainer, id).await.unwrap();
    assert_eq!(d.summary.settings.kind, QuizKind::Final);
    assert!(
        !d.summary.settings.published,
        "imported quizzes start unpublished"
    );
    // Multiple choice with negative credits: no warning.
    assert!(rep.warnings.is_empty());

    // Export → import gives the same questions, in both formats.
    for format in [QuizFormat::Json, QuizFormat::Gift] {
        let text = w.p.quiz_export(&w.trainer, id, format).await.unwrap();
        let back =
            w.p.quiz_import(&w.trainer, w.course, format, &text, None, false)
                .await
                .unwrap();
        let b =
            w.p.quiz_get(&w.trainer, back.quiz_id.unwrap())
                .await
                .unwrap();
        let drafts = |d: &crate::quiz::QuizDetail| {
            d.questions
                .iter()
                .map(|q| q.draft.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(drafts(&b), drafts(&d), "{format:?}");
        assert_eq!(b.summary.settings.title, "Depuis JSON");
    }

    // Wrong types: refused, nothing written, the place and the field named.
    let before = w.p.quiz_list(&w.trainer, None).await.unwrap().len();
    let bad = r#"{"title": "T", "questions": [
        {"kind": "true_false", "text": "ok", "answer": true},
        {"kind": "single", "text": "x", "points": "deux", "choices": []}
    ]}"#;
    let e =
        w.p.quiz_import(&w.trainer, w.course, QuizFormat::Json, bad, None, false)
            .await
            .unwrap_err();
    let Error::ImportRejected(issues) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(issues[0].problem, Key::QzJsonType);
    assert_eq!(issues[0].column.as_deref(), Some("questions[1].points"));
    assert_eq!(issues[0].location, Location::Line(3));
    let msg = e.user_message(crate::Lang::Fr);
    assert!(
        msg.contains("ligne 3") && msg.contains("valeur du mauvais type"),
        "{msg}"
    );
    for (text, key) in [
        (r#"{"title": "T"}"#, Key::QzJsonMissing),
        (
            r#"{"title": "T", "questions": [{"kind": "essay", "text": "x"}]}"#,
            Key::QzJsonVariant,
        ),
        (r#"{"title": "T", "questions": ["#, Key::QzJsonSyntax),
        (r#"{"title": 5, "questions": []}"#, Key::QzJsonType),
    ] {
        let e =
            w.p.quiz_import(&w.trainer, w.course, QuizFormat::Json, text, None, false)
                .await;
        match e {
            Err(Error::ImportRejected(i)) => assert_eq!(i[0].problem, key, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    // Valid JSON, invalid questions: every problem, by question number.
    let bad = r#"{"title": "T", "questions": [
        {"kind": "true_false", "text": "ok"},
        {"kind": "short", "text": "x", "accepted": ["a"]},
        {"kind": "single", "text": "x", "choices": [{"text": "a", "credit": 50}, {"text": "b", "credit": 0}]}
    ]}"#;
    let Err(Error::ImportRejected(issues)) =
        w.p.quiz_import(&w.trainer, w.course, QuizFormat::Json, bad, None, false)
            .await
    else {
        panic!()
    };
    let places: Vec<(Location, Key)> = issues.iter().map(|i| (i.location, i.problem)).collect();
    assert_eq!(
        places,
        vec![
            (Location::Item(1), Key::QzProbTrueFalse),
            (Location::Item(3), Key::QzProbNoRightChoice)
        ]
    );
    // Too large.
    let huge = "x".repeat(crate::quiz::check::MAX_QUIZ_BYTES + 1);
    assert!(matches!(
        w.p.quiz_import(&w.trainer, w.course, QuizFormat::Gift, &huge, None, false)
            .await,
        Err(Error::Invalid(Key::QzErrTooLarge))
    ));
    assert_eq!(w.p.quiz_list(&w.trainer, None).await.unwrap().len(), before);
}

#[tokio::test]
async fn positioning_versus_final_per_student() {
    let w = world().await;
    let mut pos = doc("Avant");
    pos.settings.kind = QuizKind::Positioning;
    let pos = w.p.quiz_create(&w.trainer, w.course, pos).await.unwrap();
    let mut fin = doc("Après");
    fin.settings.kind = QuizKind::Final;
    let fin = w.p.quiz_create(&w.trainer, w.course, fin).await.unwrap();
    let a = w.p.attempt_start(&w.alice, pos).await.unwrap();
    w.p.attempt_answer(
        &w.alice,
        a.attempt_id,
        a.questions[2].id,
        Some(Answer::Bool(true)),
    )
    .await
    .unwrap();
    w.p.attempt_submit(&w.alice, a.attempt_id).await.unwrap();
    let a = w.p.attempt_start(&w.alice, fin).await.unwrap();
    for (qid, ans) in [
        (a.questions[0].id, Answer::Choices(vec![0])),
        (a.questions[1].id, Answer::Choices(vec![0, 1])),
        (a.questions[2].id, Answer::Bool(true)),
    ] {
        w.p.attempt_answer(&w.alice, a.attempt_id, qid, Some(ans))
            .await
            .unwrap();
    }
    w.p.attempt_submit(&w.alice, a.attempt_id).await.unwrap();
    let rows = w.p.quiz_progression(&w.trainer, w.course).await.unwrap();
    assert_eq!(rows.len(), 2);
    let alice = rows.iter().find(|r| r.email == "alice@example.fr").unwrap();
    assert_eq!(
        (alice.positioning_percent, alice.final_percent),
        (Some(20.0), Some(80.0))
    );
    let bob = rows.iter().find(|r| r.email == "bob@example.fr").unwrap();
    assert_eq!((bob.positioning_percent, bob.final_percent), (None, None));
    // Students order their list: positioning first.
    let kinds: Vec<QuizKind> =
        w.p.my_quizzes(&w.alice)
            .await
            .unwrap()
            .iter()
            .map(|q| q.kind)
            .collect();
    assert_eq!(kinds, vec![QuizKind::Positioning, QuizKind::Final]);
}

// ----- issue 15: publishing rules, status with the score, answers, grants -----

fn two_right() -> QuestionDraft {
    let mut bad = q(QuestionKind::Single, "Capitales européennes ?");
    bad.choices = vec![choice("Paris", 100), choice("Rome", 100), choice("Lima", 0)];
    bad
}

#[tokio::test]
async fn a_single_choice_with_two_right_answers_is_refused_naming_the_question() {
    let w = world().await;
    // At creation (and import): the question is named by its place and its text.
    let mut d = doc("Bases");
    d.questions.insert(1, two_right());
    match w.p.quiz_create(&w.trainer, w.course, d).await {
        Err(Error::ImportRejected(issues)) => {
            assert_eq!(issues.len(), 1, "{issues:?}");
            assert_eq!(issues[0].location, Location::Item(2));
            assert_eq!(issues[0].problem, Key::QzProbSeveralRight);
            assert_eq!(issues[0].value, "Capitales européennes ?");
        }
        other => panic!("{other:?}"),
    }
    let json = serde_json::to_string(&QuizDoc {
        settings: QuizSettings {
            title: "Import".into(),
            ..Default::default()
        },
        questions: vec![two_right()],
    })
    .unwrap();
    let e =
        w.p.quiz_import(&w.trainer, w.course, QuizFormat::Json, &json, None, true)
            .await
            .unwrap_err();
    let msg = e.user_message(crate::Lang::Fr);
    assert!(
        msg.contains("élément 1") && msg.contains("Capitales européennes ?"),
        "{msg}"
    );
    let e =
        w.p.quiz_import(
            &w.trainer,
            w.course,
            QuizFormat::Gift,
            "Capitales ? {=Paris =Rome ~Lima}\n",
            None,
            true,
        )
        .await
        .unwrap_err();
    assert!(
        e.user_message(crate::Lang::Fr)
            .contains("n'admet qu'une bonne réponse"),
        "{e:?}"
    );
    // At edit: the question's text in the message, the form's field named.
    let id =
        w.p.quiz_create(&w.trainer, w.course, doc("Bases"))
            .await
            .unwrap();
    let e = w.p.question_add(&w.trainer, id, two_right()).await;
    match &e {
        Err(Error::InvalidField {
            field,
            problem,
            value,
        }) => {
            assert_eq!(*field, Key::QzFieldChoices);
            assert_eq!(*problem, Key::QzProbSeveralRight);
            assert_eq!(value, "Capitales européennes ?");
        }
        other => panic!("{other:?}"),
    }
    let first = w.p.quiz_get(&w.trainer, id).await.unwrap().questions[0].id;
    assert!(matches!(
        w.p.question_update(&w.trainer, first, two_right()).await,
        Err(Error::InvalidField {
            problem: Key::QzProbSeveralRight,
            ..
        })
    ));
    // Partial credit on a second choice stays allowed.
    let mut partial = two_right();
    partial.choices[1].credit = 50;
    w.p.question_add(&w.trainer, id, partial).await.unwrap();

    // A question stored before the rule: publishing refuses, naming it.
    set_settings(&w, id, |s| s.published = false).await;
    sqlx::query("UPDATE quiz_questions SET draft = ?1 WHERE id = ?2")
        .bind(serde_json::to_string(&two_right()).unwrap())
        .bind(first)
        .execute(w.p.pool())
        .await
        .unwrap();
    let mut s = w.p.quiz_get(&w.trainer, id).await.unwrap().summary.settings;
    s.published = true;
    let e =
        w.p.quiz_update_settings(&w.trainer, id, s)
            .await
            .unwrap_err();
    assert_eq!(
        e.user_message(crate::Lang::Fr),
        "Question : un choix unique n'admet qu'une bonne réponse à 100 % (sinon : choix multiple) \
         « 1. Capitales européennes ? »."
    );
    assert!(
        !w.p.quiz_get(&w.trainer, id)
            .await
            .unwrap()
            .summary
            .settings
            .published
    );
}

#[tokio::test]
async fn an_empty_quiz_cannot_be_published_nor_emptied_once_published() {
    let w = world().await;
    let empty = |published| QuizDoc {
        settings: QuizSettings {
            title: "Vide".into(),
            published,
            ..Default::default()
        },
        questions: vec![],
    };
    let e = w.p.quiz_create(&w.trainer, w.course, empty(true)).await;
    assert!(
        matches!(e, Err(Error::Invalid(Key::QzErrPublishEmpty))),
        "{e:?}"
    );
    assert!(w.p.quiz_list(&w.trainer, None).await.unwrap().is_empty());
    let id =
        w.p.quiz_create(&w.trainer, w.course, empty(false))
            .await
            .unwrap();
    let mut s = w.p.quiz_get(&w.trainer, id).await.unwrap().summary.settings;
    s.published = true;
    let e = w.p.quiz_update_settings(&w.trainer, id, s.clone()).await;
    assert!(
        matches!(e, Err(Error::Invalid(Key::QzErrPublishEmpty))),
        "{e:?}"
    );
    assert!(w.p.my_quizzes(&w.alice).await.unwrap().is_empty());
    // With a question it can be; then that last question cannot go.
    let mut tf = q(QuestionKind::TrueFalse, "Vrai ?");
    tf.answer = Some(true);
    let qid = w.p.question_add(&w.trainer, id, tf).await.unwrap();
    w.p.quiz_update_settings(&w.trainer, id, s).await.unwrap();
    let e = w.p.question_delete(&w.trainer, qid).await;
    assert!(
        matches!(e, Err(Error::Invalid(Key::QzErrLastQuestion))),
        "{e:?}"
    );
    assert_eq!(w.p.my_quizzes(&w.alice).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_status_says_passed_or_failed_with_the_best_score() {
    let w = world().await;
    let id =
        w.p.quiz_create(&w.trainer, w.course, doc("Bases"))
            .await
            .unwrap();
    let mine = &w.p.my_quizzes(&w.alice).await.unwrap()[0];
    assert_eq!(mine.status, QuizStatus::Open);
    assert_eq!(
        crate::present::quiz_status(crate::Lang::Fr, mine),
        "à faire"
    );
    // Bob hands in nothing: failed, 0 of 5.
    let b = w.p.attempt_start(&w.bob, id).await.unwrap();
    w.p.attempt_submit(&w.bob, b.attempt_id).await.unwrap();
    let bob = &w.p.my_quizzes(&w.bob).await.unwrap()[0];
    assert_eq!(bob.status, QuizStatus::Failed);
    assert_eq!(
        crate::present::quiz_status(crate::Lang::Fr, bob),
        "échoué · 0/5"
    );
    // Alice: 4 of 5 (the multiple choice half right, 1 of 2), then a worse attempt: the
    // best is shown.
    let a = w.p.attempt_start(&w.alice, id).await.unwrap();
    let qs: Vec<i64> = a.questions.iter().map(|q| q.id).collect();
    for (qid, ans) in [
        (qs[0], Answer::Choices(vec![0])),
        (qs[1], Answer::Choices(vec![0])),
        (qs[2], Answer::Bool(true)),
        (qs[3], Answer::Text("Élysée".into())),
    ] {
        w.p.attempt_answer(&w.alice, a.attempt_id, qid, Some(ans))
            .await
            .unwrap();
    }
    w.p.attempt_submit(&w.alice, a.attempt_id).await.unwrap();
    let a2 = w.p.attempt_start(&w.alice, id).await.unwrap();
    w.p.attempt_submit(&w.alice, a2.attempt_id).await.unwrap();
    let alice = &w.p.my_quizzes(&w.alice).await.unwrap()[0];
    assert_eq!(alice.status, QuizStatus::Passed);
    assert_eq!(
        (alice.best_score, alice.best_max_score),
        (Some(4.0), Some(5.0))
    );
    assert_eq!(
        crate::present::quiz_status(crate::Lang::Fr, alice),
        "réussi · 4/5"
    );
    assert_eq!(
        crate::present::quiz_status(crate::Lang::En, alice),
        "passed · 4/5"
    );
    let json = serde_json::to_value(alice).unwrap();
    assert_eq!(json["status"], "passed");
    assert_eq!(json["best_score"], 4.0);
}

#[tokio::test]
async fn the_trainer_reads_a_students_answers_and_grants_an_attempt_or_time() {
    let w = world().await;
    let mut d = doc("Chrono");
    d.settings.max_attempts = Some(1);
    d.settings.time_limit_minutes = Some(20);
    let id = w.p.quiz_create(&w.trainer, w.course, d).await.unwrap();
    let a = w.p.attempt_start(&w.alice, id).await.unwrap();
    let qs: Vec<i64> = a.questions.iter().map(|q| q.id).collect();
    w.p.attempt_answer(
        &w.alice,
        a.attempt_id,
        qs[0],
        Some(Answer::Choices(vec![1])),
    )
    .await
    .unwrap();
    w.p.attempt_answer(&w.alice, a.attempt_id, qs[2], Some(Answer::Bool(true)))
        .await
        .unwrap();
    w.p.attempt_submit(&w.alice, a.attempt_id).await.unwrap();

    // Each question with the answer given, what was expected, the points.
    let r =
        w.p.quiz_student_attempts(&w.trainer, id, w.alice.user_id)
            .await
            .unwrap();
    assert_eq!(r.name, "Alice Martin");
    assert_eq!(r.attempts.len(), 1);
    let answers = &r.attempts[0].answers;
    assert_eq!(answers.len(), 4);
    assert_eq!(answers[0].given, Some(Answer::Choices(vec![1])));
    assert_eq!(answers[0].earned, 0.0);
    assert_eq!(
        answers[0].expected.as_ref().unwrap().choices[0].text,
        "Paris"
    );
    assert_eq!(answers[2].given, Some(Answer::Bool(true)));
    assert_eq!(answers[2].earned, 1.0);
    assert_eq!(answers[1].given, None);
    // Trainer only, and only for a student of the course.
    assert!(matches!(
        w.p.quiz_student_attempts(&w.alice, id, w.alice.user_id)
            .await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        w.p.quiz_grant(&w.bob, id, w.bob.user_id, 1, 0).await,
        Err(Error::Forbidden)
    ));
    let word =
        w.p.quiz_create(&w.trainer, w.other_course, doc("Word"))
            .await
            .unwrap();
    assert!(matches!(
        w.p.quiz_grant(&w.trainer, word, w.alice.user_id, 1, 0)
            .await,
        Err(Error::Invalid(Key::QzErrNotParticipant))
    ));

    // No attempt left; one more is granted: the student sees it and may take it.
    assert_eq!(
        w.p.my_quizzes(&w.alice).await.unwrap()[0].availability,
        QuizAvailability::NoAttemptsLeft
    );
    assert!(matches!(
        w.p.quiz_grant(&w.trainer, id, w.alice.user_id, 0, 0).await,
        Err(Error::Invalid(Key::QzErrGrantNothing))
    ));
    let g =
        w.p.quiz_grant(&w.trainer, id, w.alice.user_id, 1, 0)
            .await
            .unwrap();
    assert_eq!((g.extra_attempts, g.extra_minutes), (1, 0));
    assert_eq!(g.grants.len(), 1);
    assert_eq!(g.grants[0].granted_by.as_deref(), Some("prof@example.fr"));
    let mine = &w.p.my_quizzes(&w.alice).await.unwrap()[0];
    assert_eq!(mine.availability, QuizAvailability::Open);
    assert_eq!((mine.max_attempts, mine.extra_attempts), (Some(2), 1));
    // Bob is not concerned.
    assert_eq!(
        w.p.my_quizzes(&w.bob).await.unwrap()[0].max_attempts,
        Some(1)
    );

    // Extra time: added to the attempt in progress, and to the student's limit.
    let a2 = w.p.attempt_start(&w.alice, id).await.unwrap();
    let before = a2.deadline.unwrap();
    w.p.quiz_grant(&w.trainer, id, w.alice.user_id, 0, 10)
        .await
        .unwrap();
    let again = w.p.attempt_start(&w.alice, id).await.unwrap();
    assert_eq!(again.attempt_id, a2.attempt_id);
    assert_eq!(again.deadline.unwrap() - before, Duration::minutes(10));
    let mine = &w.p.my_quizzes(&w.alice).await.unwrap()[0];
    assert_eq!(
        (mine.time_limit_minutes, mine.extra_minutes),
        (Some(30), 10)
    );
    // Recorded: both grants, and in the student's activity.
    let r =
        w.p.quiz_student_attempts(&w.trainer, id, w.alice.user_id)
            .await
            .unwrap();
    assert_eq!(r.grants.len(), 2);
    assert_eq!(r.attempts.len(), 2);
    assert!(r.attempts[1].submitted_at.is_none());
    assert!(r.attempts[1].answers.is_empty());
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM activity_log WHERE kind = 'quiz_grant' AND user_id = ?1",
    )
    .bind(w.alice.user_id)
    .fetch_one(w.p.pool())
    .await
    .unwrap();
    assert_eq!(logged, 2);
    let res = w.p.quiz_results(&w.trainer, id).await.unwrap();
    let alice = res
        .students
        .iter()
        .find(|s| s.student_id == w.alice.user_id)
        .unwrap();
    assert_eq!((alice.extra_attempts, alice.extra_minutes), (1, 10));

    // Nothing to extend: unlimited attempts, untimed quiz.
    let open =
        w.p.quiz_create(&w.trainer, w.course, doc("Libre"))
            .await
            .unwrap();
    let e =
        w.p.quiz_grant(&w.trainer, open, w.alice.user_id, 1, 0)
            .await;
    assert!(
        matches!(
            e,
            Err(Error::InvalidField {
                field: Key::QzFieldExtraAttempts,
                problem: Key::QzProbUnlimitedAttempts,
                ..
            })
        ),
        "{e:?}"
    );
    let e =
        w.p.quiz_grant(&w.trainer, open, w.alice.user_id, 0, 5)
            .await;
    assert!(
        matches!(
            e,
            Err(Error::InvalidField {
                problem: Key::QzProbUntimed,
                ..
            })
        ),
        "{e:?}"
    );
}

#[test]
fn quiz_size_names_the_points_and_the_questions() {
    use crate::Lang::{En, Fr};
    use crate::present::quiz_size;
    assert_eq!(
        quiz_size(Fr, "Bases", 5.0, 4),
        "Bases · 5 pts · 4 questions"
    );
    assert_eq!(quiz_size(Fr, "Bases", 1.0, 1), "Bases · 1 pt · 1 question");
    assert_eq!(
        quiz_size(Fr, "Bases", 7.5, 0),
        "Bases · 7,5 pts · 0 question"
    );
    assert_eq!(
        quiz_size(En, "Basics", 0.0, 0),
        "Basics · 0 pts · 0 questions"
    );
}
