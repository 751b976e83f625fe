//! Quizzes: the student's list and attempts (answers saved one command each, in order;
//! resume; review; time-out; result) and the trainer's authoring and results screens:
//! commands emitted, outcomes applied, snapshots at phone, classic and wide sizes.

use chrono::{DateTime, TimeZone, Utc};
use portail::quiz::{
    AttemptResult, AttemptReview, AttemptView, Choice, MyQuiz, ProgressionRow, Question,
    QuestionCorrection, QuestionDraft, QuestionKind, QuestionStat, QuizAvailability, QuizDetail,
    QuizKind, QuizResults, QuizSettings, QuizStatus, QuizSummary, StudentAttempts, StudentChoice,
    StudentQuestion, StudentQuizResult,
};
use portail::{Lang, Role};

use super::support::{SIZES, ch, ctrl, draw, key, loaded, text};
use crate::*;

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 5, h, m, s).unwrap()
}

fn ran(app: &mut App, effect: Effect) -> Vec<Command> {
    app.apply(Outcome::Ran(Ok(effect)))
}

fn my_quiz(id: i64, title: &str, availability: QuizAvailability) -> MyQuiz {
    MyQuiz {
        id,
        course_id: 7,
        course_title: "Rust pour débutants".into(),
        title: title.into(),
        kind: QuizKind::Check,
        question_count: 4,
        pass_percent: 60,
        time_limit_minutes: Some(20),
        max_attempts: Some(2),
        extra_attempts: 0,
        extra_minutes: 0,
        attempts_used: 0,
        opens_at: None,
        closes_at: Some(at(22, 0, 0)),
        availability,
        status: QuizStatus::of(availability, 0, false),
        best_percent: None,
        best_score: None,
        best_max_score: None,
        last_percent: None,
        passed: false,
    }
}

fn my_quizzes() -> Vec<MyQuiz> {
    vec![
        my_quiz(1, "Les variables", QuizAvailability::Open),
        MyQuiz {
            kind: QuizKind::Positioning,
            attempts_used: 1,
            max_attempts: Some(1),
            best_percent: Some(75.0),
            best_score: Some(3.0),
            best_max_score: Some(4.0),
            status: QuizStatus::Passed,
            last_percent: Some(75.0),
            passed: true,
            time_limit_minutes: None,
            ..my_quiz(
                2,
                "Test de positionnement",
                QuizAvailability::NoAttemptsLeft,
            )
        },
        MyQuiz {
            kind: QuizKind::Final,
            opens_at: Some(at(9, 0, 0) + chrono::Duration::days(30)),
            ..my_quiz(3, "Évaluation finale", QuizAvailability::NotYetOpen)
        },
    ]
}

fn sq(id: i64, kind: QuestionKind, text: &str, choices: &[&str]) -> StudentQuestion {
    StudentQuestion {
        id,
        position: id - 100,
        kind,
        title: None,
        text: text.into(),
        points: 1.0,
        choices: choices
            .iter()
            .enumerate()
            .map(|(i, t)| StudentChoice {
                index: i,
                text: (*t).into(),
            })
            .collect(),
    }
}

fn attempt(answers: Vec<(i64, Answer)>) -> AttemptView {
    AttemptView {
        attempt_id: 500,
        quiz_id: 1,
        title: "Les variables".into(),
        kind: QuizKind::Check,
        started_at: at(9, 0, 0),
        deadline: Some(at(9, 20, 0)),
        questions: vec![
            sq(
                101,
                QuestionKind::Single,
                "Quel mot-clé déclare une variable ?",
                &["let", "var", "dim"],
            ),
            sq(
                102,
                QuestionKind::Multiple,
                "Lesquels sont des types entiers ?",
                &["i32", "f64", "u8", "bool"],
            ),
            sq(
                103,
                QuestionKind::TrueFalse,
                "Une variable est immuable par défaut.",
                &[],
            ),
            sq(104, QuestionKind::Short, "Quel outil installe Rust ?", &[]),
        ],
        answers,
    }
}

fn student_app() -> App {
    let mut app = App::new(super::learning::user(Role::Student), false);
    app.tick(at(9, 5, 0));
    app.handle(ch('4')); // Mes quiz
    loaded(&mut app, Data::MyQuizzes(my_quizzes()));
    app
}

/// A student inside the attempt, at 09:05 (15 minutes left).
fn attempt_app(answers: Vec<(i64, Answer)>) -> App {
    let mut app = student_app();
    // A timed quiz: Enter asks first, the attempt starts on yes.
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    let cmds = app.handle(ch('o'));
    assert_eq!(cmds, vec![Command::Run(Action::StartAttempt(1))]);
    let cmds = ran(&mut app, Effect::Attempt(Box::new(attempt(answers))));
    assert!(cmds.is_empty(), "{cmds:?}");
    app
}

fn save(question: i64, answer: Option<Answer>) -> Command {
    Command::Run(Action::SaveAnswer {
        attempt: 500,
        question,
        answer,
    })
}

#[test]
fn my_quizzes_list_and_availability() {
    let mut app = App::new(super::learning::user(Role::Student), false);
    let cmds = app.handle(ch('4'));
    assert_eq!(cmds, vec![Command::Load(Query::MyQuizzes)]);
    loaded(&mut app, Data::MyQuizzes(my_quizzes()));
    let s = text(&app, 100, 30);
    assert!(s.contains("Mes quiz (3)"), "{s}");
    assert!(s.contains("à faire"), "{s}");
    // Handed in and passed: said with the best score, not "à faire" nor "terminé".
    assert!(s.contains("réussi · 3/4"), "{s}");
    assert!(!s.contains("terminé"), "{s}");
    assert!(s.contains("75 %"), "{s}");
    assert!(s.contains("pas encore ouvert"), "{s}");
    // A quiz with no attempt left cannot be started: the reason is said, and the last
    // result shown.
    app.handle(ch('j'));
    let cmds = app.handle(key(KeyCode::Enter));
    assert_eq!(cmds, vec![Command::Load(Query::MyQuizResults(2))]);
    assert!(text(&app, 100, 30).contains("toutes vos tentatives"));
    let mut older = result(false, false);
    older.attempt_id = 400;
    older.submitted_at = at(8, 0, 0);
    older.percent = 10.0;
    let mut last = result(false, true);
    last.quiz_id = 2;
    loaded(&mut app, Data::MyQuizResults(2, vec![older, last]));
    let s = text(&app, 100, 30);
    assert!(s.contains("3 / 4 (75 %)"), "{s}");
    assert!(s.contains("Attendu : let"), "{s}");
    assert!(!app.ticking());
    assert_eq!(
        app.handle(key(KeyCode::Esc)),
        vec![Command::Load(Query::MyQuizzes)]
    );
    loaded(&mut app, Data::MyQuizzes(my_quizzes()));
    // r: the last result; none yet for a quiz never taken.
    app.handle(ch('g'));
    assert!(app.handle(ch('r')).is_empty());
    assert!(text(&app, 100, 30).contains("Pas encore de résultat"));
    app.handle(ch('G'));
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert!(text(&app, 100, 30).contains("pas encore ouvert."));
    // Empty list.
    loaded(&mut app, Data::MyQuizzes(Vec::new()));
    assert!(text(&app, 80, 24).contains("Aucun quiz pour le moment"));
}

#[test]
fn my_quizzes_snapshots() {
    snapshots!("quiz_my_quizzes", student_app());
}

#[test]
fn answers_are_saved_one_command_each_in_order() {
    let mut app = attempt_app(Vec::new());
    let s = text(&app, 60, 24);
    assert!(s.contains("Question 1/4"), "{s}");
    assert!(s.contains("⏱ 15:00"), "{s}");
    // Second choice of the single-choice question.
    let cmds = app.handle(ch('j'));
    assert!(cmds.is_empty());
    let cmds = app.handle(ch(' '));
    assert_eq!(cmds, vec![save(101, Some(Answer::Choices(vec![1])))]);
    // Changing it while the first save runs: queued, sent once the first is done.
    let cmds = app.handle(ch('1'));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(text(&app, 60, 24).contains("enregistrement…"));
    let cmds = ran(&mut app, Effect::Answered(101));
    assert_eq!(cmds, vec![save(101, Some(Answer::Choices(vec![0])))]);
    assert!(ran(&mut app, Effect::Answered(101)).is_empty());
    assert!(text(&app, 60, 24).contains("enregistré"));
    // Multiple choice: Space ticks and unticks.
    app.handle(key(KeyCode::Tab));
    assert!(text(&app, 60, 24).contains("Question 2/4"));
    assert_eq!(
        app.handle(ch(' ')),
        vec![save(102, Some(Answer::Choices(vec![0])))]
    );
    ran(&mut app, Effect::Answered(102));
    app.handle(ch('j'));
    app.handle(ch('j'));
    assert_eq!(
        app.handle(ch(' ')),
        vec![save(102, Some(Answer::Choices(vec![0, 2])))]
    );
    ran(&mut app, Effect::Answered(102));
    // Backspace clears the answer.
    assert_eq!(app.handle(key(KeyCode::Backspace)), vec![save(102, None)]);
    ran(&mut app, Effect::Answered(102));
    app.handle(ch('1'));
    ran(&mut app, Effect::Answered(102));
    // True / false: "Faux".
    app.handle(key(KeyCode::Tab));
    app.handle(ch('j'));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![save(103, Some(Answer::Bool(false)))]
    );
    ran(&mut app, Effect::Answered(103));
    // Short answer: typed text (q and ? are letters here), saved when leaving it.
    app.handle(key(KeyCode::Tab));
    assert!(app.handle(ch('q')).is_empty());
    app.handle(key(KeyCode::Backspace));
    for c in "rustup".chars() {
        assert!(app.handle(ch(c)).is_empty());
    }
    assert!(!app.should_quit());
    let cmds = app.handle(key(KeyCode::Enter));
    assert_eq!(cmds, vec![save(104, Some(Answer::Text("rustup".into())))]);
    // Enter on the last question opened the review.
    let s = text(&app, 80, 24);
    assert!(s.contains("Relecture"), "{s}");
    assert!(s.contains("toutes les questions"), "{s}");
    // Hand in: the submission waits for the last save.
    let cmds = app.handle(ch('s'));
    assert!(cmds.is_empty());
    assert!(text(&app, 80, 24).contains("Rendre vos réponses ?"));
    assert!(app.handle(ch('o')).is_empty());
    let cmds = ran(&mut app, Effect::Answered(104));
    assert_eq!(cmds, vec![Command::Run(Action::SubmitAttempt(500))]);
    assert!(text(&app, 80, 24).contains("Correction en cours"));
    ran(&mut app, Effect::Graded(Box::new(result(false, true))));
    let s = text(&app, 80, 24);
    assert!(s.contains("3 / 4 (75 %)"), "{s}");
    assert!(s.contains("Réussi"), "{s}");
    assert!(s.contains("Attendu : let"), "{s}");
    // Back to the list, reloaded.
    let cmds = app.handle(key(KeyCode::Esc));
    assert_eq!(cmds, vec![Command::Load(Query::MyQuizzes)]);
}

#[test]
fn a_resumed_attempt_shows_the_saved_answers() {
    let app = attempt_app(vec![
        (101, Answer::Choices(vec![0])),
        (104, Answer::Text("rustup".into())),
    ]);
    // It resumes at the first unanswered question and says so.
    let s = text(&app, 60, 24);
    assert!(s.contains("Question 2/4"), "{s}");
    assert!(s.contains("2 répondue(s)"), "{s}");
    assert!(s.contains("Tentative reprise"), "{s}");
    // Wide screens list every question, with the answers given.
    let s = text(&app, 120, 40);
    assert!(s.contains("(•) 1. let"), "{s}");
    assert!(s.contains("rustup"), "{s}");
}

#[test]
fn leaving_sends_what_is_pending_and_the_review_lists_unanswered_questions() {
    let mut app = attempt_app(Vec::new());
    app.handle(ch(' '));
    app.handle(ch('j'));
    app.handle(ch(' ')); // queued behind the first save
    app.handle(ch('r'));
    let s = text(&app, 80, 24);
    assert!(s.contains("Sans réponse : 2, 3, 4"), "{s}");
    // Enter goes to the selected (first unanswered) question.
    app.handle(key(KeyCode::Enter));
    assert!(text(&app, 80, 24).contains("Question 2/4"));
    // Esc leaves: the queued answer is sent at once.
    let cmds = app.handle(key(KeyCode::Esc));
    assert_eq!(
        cmds,
        vec![
            save(101, Some(Answer::Choices(vec![1]))),
            Command::Load(Query::MyQuizzes)
        ]
    );
}

#[test]
fn time_up_hands_in_and_shows_the_server_grading() {
    let mut app = attempt_app(Vec::new());
    assert!(app.ticking());
    assert!(app.tick(at(9, 19, 30)).is_empty());
    let s = text(&app, 80, 24);
    assert!(s.contains("⏱ 00:30"), "{s}");
    // Typed text not yet saved is sent by the clock.
    app.handle(key(KeyCode::PageDown));
    app.handle(key(KeyCode::PageDown));
    app.handle(key(KeyCode::PageDown));
    app.handle(ch('x'));
    assert_eq!(
        app.tick(at(9, 19, 31)),
        vec![save(104, Some(Answer::Text("x".into())))]
    );
    ran(&mut app, Effect::Answered(104));
    // Half a second before the deadline: not yet (the server would grade it as on time).
    let almost = at(9, 19, 59) + chrono::Duration::milliseconds(500);
    assert!(app.tick(almost).is_empty());
    assert!(text(&app, 80, 24).contains("⏱ 00:01"));
    // At the deadline: handed in, keys wait.
    let cmds = app.tick(at(9, 20, 0));
    assert_eq!(cmds, vec![Command::Run(Action::SubmitAttempt(500))]);
    let s = text(&app, 80, 24);
    assert!(s.contains("Temps écoulé"), "{s}");
    assert!(app.handle(ch('y')).is_empty());
    ran(&mut app, Effect::Graded(Box::new(result(true, false))));
    let s = text(&app, 80, 24);
    assert!(s.contains("seules les réponses enregistrées"), "{s}");
    assert!(s.contains("Non réussi"), "{s}");
    assert!(s.contains("ne sont pas affichées"), "{s}");
    assert!(!app.ticking());
}

#[test]
fn a_refused_answer_is_marked_and_a_late_one_hands_in() {
    let mut app = attempt_app(Vec::new());
    app.handle(ch(' '));
    app.tick(at(9, 20, 5));
    // (The tick already handed in; a save refused after the deadline changes nothing.)
    let mut app2 = attempt_app(Vec::new());
    app2.handle(ch(' '));
    let cmds = app2.apply(Outcome::Ran(Err("Le quiz est fermé.".into())));
    assert!(cmds.is_empty());
    let s = text(&app2, 80, 24);
    assert!(s.contains("Le quiz est fermé."), "{s}");
    assert!(s.contains("réponse non enregistrée"), "{s}");
    // A start refused: the reason, Esc goes back.
    let mut app3 = student_app();
    app3.handle(key(KeyCode::Enter));
    app3.handle(ch('o'));
    app3.apply(Outcome::Ran(Err("Plus de tentative possible.".into())));
    assert!(text(&app3, 80, 24).contains("Plus de tentative possible."));
    assert_eq!(
        app3.handle(key(KeyCode::Esc)),
        vec![Command::Load(Query::MyQuizzes)]
    );
    drop(app);
}

#[test]
fn attempt_snapshots() {
    let mut app = attempt_app(vec![(101, Answer::Choices(vec![0]))]);
    app.handle(ch('j'));
    snapshots!("quiz_attempt", app);
    app.handle(key(KeyCode::PageDown));
    app.handle(key(KeyCode::PageDown));
    for c in "rustup".chars() {
        app.handle(ch(c));
    }
    snapshots!("quiz_attempt_typing", app);
    app.handle(ctrl('s'));
    snapshots!("quiz_review", app);
    app.handle(ch('s'));
    snapshots!("quiz_confirm", app);
}

fn result(timed_out: bool, corrections: bool) -> AttemptResult {
    let draft = |kind, text: &str| QuestionDraft {
        kind,
        title: None,
        text: text.into(),
        points: 1.0,
        choices: Vec::new(),
        answer: None,
        accepted: Vec::new(),
        feedback: None,
    };
    let mut q1 = draft(QuestionKind::Single, "Quel mot-clé déclare une variable ?");
    q1.choices = vec![
        Choice {
            text: "let".into(),
            credit: 100,
            feedback: Some("Oui : let.".into()),
        },
        Choice {
            text: "var".into(),
            credit: 0,
            feedback: None,
        },
    ];
    let mut q3 = draft(
        QuestionKind::TrueFalse,
        "Une variable est immuable par défaut.",
    );
    q3.answer = Some(true);
    q3.feedback = Some("Il faut `mut` pour la changer.".into());
    let mut q4 = draft(QuestionKind::Short, "Quel outil installe Rust ?");
    q4.accepted = vec!["rustup".into()];
    let c = |id, earned, given: Option<Answer>, expected: QuestionDraft| QuestionCorrection {
        question_id: id,
        earned,
        points: 1.0,
        given,
        expected: Some(expected),
    };
    AttemptResult {
        attempt_id: 500,
        quiz_id: 1,
        submitted_at: at(9, 12, 0),
        timed_out,
        score: if timed_out { 1.0 } else { 3.0 },
        max_score: 4.0,
        percent: if timed_out { 25.0 } else { 75.0 },
        passed: !timed_out,
        corrections: if corrections {
            vec![
                c(101, 1.0, Some(Answer::Choices(vec![0])), q1),
                c(
                    102,
                    0.5,
                    Some(Answer::Choices(vec![0])),
                    draft(QuestionKind::Multiple, "Lesquels sont des types entiers ?"),
                ),
                c(103, 0.0, Some(Answer::Bool(false)), q3),
                c(104, 1.0, Some(Answer::Text("rustup".into())), q4),
            ]
        } else {
            Vec::new()
        },
    }
}

#[test]
fn result_snapshots() {
    let mut app = attempt_app(Vec::new());
    app.handle(ch('r'));
    app.handle(ch('s'));
    app.handle(ch('o'));
    ran(&mut app, Effect::Graded(Box::new(result(false, true))));
    snapshots!("quiz_result", app);
}

#[test]
fn student_text_is_sanitized() {
    let mut app = student_app();
    app.handle(key(KeyCode::Enter));
    app.handle(ch('o'));
    let mut v = attempt(Vec::new());
    v.questions[0].text = "Piège \x1b]52;c;SGVsbG8=\x07 \x1b[31mrouge".into();
    v.questions[0].choices[0].text = "\x1b[2Jeffacé".into();
    ran(&mut app, Effect::Attempt(Box::new(v)));
    let term = draw(&app, 120, 30);
    let buf = term.backend().buffer();
    for cell in buf.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "control character drawn"
        );
    }
    let s = text(&app, 120, 30);
    assert!(s.contains("Piège"), "{s}");
}

#[test]
fn help_in_french_and_english() {
    let mut app = attempt_app(Vec::new());
    app.handle(ch('?'));
    assert!(text(&app, 80, 24).contains("Répondez dans l'ordre que vous voulez"));
    app.handle(key(KeyCode::Esc));
    app.apply(Outcome::LanguageSet(Ok(Lang::En)));
    let s = text(&app, 80, 24);
    assert!(s.contains("Question 1/4"), "{s}");
    assert!(s.contains("One answer."), "{s}");
    app.handle(ch('?'));
    assert!(text(&app, 80, 24).contains("Answer in any order"));
}

// --- trainer ---

fn trainer_app() -> App {
    App::new(super::learning::user(Role::Trainer), false)
}

pub(super) fn summary(
    id: i64,
    title: &str,
    kind: QuizKind,
    published: bool,
    attempts: i64,
) -> QuizSummary {
    QuizSummary {
        id,
        course_id: 7,
        course_title: "Rust pour débutants".into(),
        settings: QuizSettings {
            title: title.into(),
            kind,
            pass_percent: 60,
            max_attempts: Some(2),
            time_limit_minutes: Some(20),
            closes_at: Some(at(22, 0, 0)),
            published,
            ..QuizSettings::default()
        },
        question_count: 3,
        total_points: 4.0,
        attempt_count: attempts,
    }
}

fn summaries() -> Vec<QuizSummary> {
    vec![
        summary(1, "Les variables", QuizKind::Check, true, 5),
        summary(2, "Test de positionnement", QuizKind::Positioning, true, 3),
        summary(3, "Évaluation finale", QuizKind::Final, false, 0),
    ]
}

fn quiz_list_app() -> App {
    let mut app = trainer_app();
    let cmds = app.handle(ch('8'));
    assert_eq!(cmds, vec![Command::Load(Query::Quizzes(None))]);
    loaded(&mut app, Data::Quizzes(None, summaries()));
    app
}

fn question(id: i64, position: i64, draft: QuestionDraft) -> Question {
    Question {
        id,
        position,
        draft,
    }
}

fn detail() -> QuizDetail {
    QuizDetail {
        summary: summary(1, "Les variables", QuizKind::Check, true, 5),
        questions: vec![
            question(
                11,
                1,
                QuestionDraft {
                    kind: QuestionKind::Single,
                    title: Some("Mot-clé".into()),
                    text: "Quel mot-clé déclare une variable ?".into(),
                    points: 1.0,
                    choices: vec![
                        Choice {
                            text: "let".into(),
                            credit: 100,
                            feedback: Some("Oui.".into()),
                        },
                        Choice {
                            text: "var".into(),
                            credit: 0,
                            feedback: None,
                        },
                    ],
                    answer: None,
                    accepted: Vec::new(),
                    feedback: None,
                },
            ),
            question(
                12,
                2,
                QuestionDraft {
                    kind: QuestionKind::TrueFalse,
                    title: None,
                    text: "Une variable est immuable par défaut.".into(),
                    points: 1.0,
                    choices: Vec::new(),
                    answer: Some(true),
                    accepted: Vec::new(),
                    feedback: Some("Il faut mut.".into()),
                },
            ),
            question(
                13,
                3,
                QuestionDraft {
                    kind: QuestionKind::Short,
                    title: None,
                    text: "Quel outil installe Rust ?".into(),
                    points: 2.0,
                    choices: Vec::new(),
                    answer: None,
                    accepted: vec!["rustup".into(), "rustup-init".into()],
                    feedback: None,
                },
            ),
        ],
    }
}

fn questions_app() -> App {
    let mut app = quiz_list_app();
    let cmds = app.handle(key(KeyCode::Enter));
    assert_eq!(cmds, vec![Command::Load(Query::Quiz(1))]);
    loaded(&mut app, Data::Quiz(Box::new(detail())));
    app
}

#[test]
fn trainer_quiz_list_and_delete_with_confirmation() {
    let mut app = quiz_list_app();
    let s = text(&app, 120, 30);
    assert!(s.contains("Quiz (3)"), "{s}");
    assert!(s.contains("Positionnement"), "{s}");
    assert!(s.contains("Brouillon"), "{s}");
    assert!(s.contains("Rust pour débutants"), "{s}");
    app.handle(ch('d'));
    let s = text(&app, 120, 30);
    assert!(s.contains("Ses 3 question(s) et 5"), "{s}");
    assert!(app.handle(ch('n')).is_empty());
    app.handle(ch('d'));
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::DeleteQuiz(1))]
    );
    // From a course: `z` opens its quizzes.
    let mut app = trainer_app();
    app.handle(ch('4'));
    loaded(
        &mut app,
        Data::Courses(vec![super::learning::my_course(&[]).detail.course]),
    );
    assert_eq!(
        app.handle(ch('z')),
        vec![Command::Load(Query::Quizzes(Some(7)))]
    );
    loaded(&mut app, Data::Quizzes(Some(7), summaries()));
    assert!(text(&app, 80, 24).contains("Quiz : Rust pour débutants (3)"));
}

#[test]
fn trainer_quiz_list_snapshots() {
    snapshots!("quiz_trainer_list", quiz_list_app());
}

#[test]
fn quiz_settings_form_builds_the_settings() {
    let mut app = trainer_app();
    app.handle(ch('4'));
    loaded(
        &mut app,
        Data::Courses(vec![super::learning::my_course(&[]).detail.course]),
    );
    app.handle(ch('z'));
    let cmds = app.handle(ch('n'));
    assert_eq!(
        cmds,
        vec![
            Command::Load(Query::Courses),
            Command::Load(Query::Course(7))
        ]
    );
    loaded(
        &mut app,
        Data::Course(Box::new(super::learning::my_course(&[]).detail)),
    );
    loaded(
        &mut app,
        Data::Courses(vec![super::learning::my_course(&[]).detail.course]),
    );
    app.handle(key(KeyCode::Tab));
    for c in "Bilan".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Right)); // Vérification → Évaluation finale
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Right)); // lesson 1
    app.handle(key(KeyCode::Tab));
    app.handle(ctrl('u'));
    for c in "70".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    app.handle(ch('1'));
    app.handle(key(KeyCode::Tab));
    for c in "30".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    app.handle(ch(' ')); // no corrections
    app.handle(key(KeyCode::Tab));
    for c in "2026-10-05 14:00".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    for c in "2026-10-06".chars() {
        app.handle(ch(c));
    }
    app.handle(key(KeyCode::Tab));
    app.handle(ch(' ')); // published
    snapshots!("quiz_settings_form", app);
    let cmds = app.handle(ctrl('s'));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::SaveQuiz {
            course: 7,
            id: None,
            settings: QuizSettings {
                title: "Bilan".into(),
                kind: QuizKind::Final,
                lesson_id: Some(70),
                pass_percent: 70,
                max_attempts: Some(1),
                time_limit_minutes: Some(30),
                show_corrections: false,
                // Paris time (UTC+2 in October).
                opens_at: Some(at(12, 0, 0)),
                closes_at: Some(Utc.with_ymd_and_hms(2026, 10, 6, 21, 59, 0).unwrap()),
                published: true,
            },
        })]
    );
    // A service error stays in the form; a bad number is named before sending.
    app.apply(Outcome::Ran(Err("Titre déjà pris.".into())));
    assert!(text(&app, 80, 24).contains("Titre déjà pris."));
    app.handle(key(KeyCode::Tab)); // course (fixed focus order wraps)
    for _ in 0..4 {
        app.handle(key(KeyCode::Tab));
    }
    app.handle(ch('x'));
    assert!(app.handle(ctrl('s')).is_empty());
    let s = text(&app, 100, 30);
    assert!(s.contains("un nombre de 0 à 100"), "{s}");
}

#[test]
fn question_list_move_delete_and_snapshots() {
    let mut app = questions_app();
    let s = text(&app, 120, 30);
    // The total and the count, each named (it read "Les variables (4 pts) (3)").
    assert!(s.contains("Les variables · 4 pts · 3 questions"), "{s}");
    assert!(!s.contains("pts)"), "{s}");
    // The wide preview shows the right answer and credits.
    assert!(s.contains("✓ 1. let"), "{s}");
    assert!(s.contains("(100 %)"), "{s}");
    snapshots!("quiz_questions", app);
    // First question cannot move up; it moves down.
    assert!(app.handle(ch('K')).is_empty());
    assert_eq!(
        app.handle(ch('J')),
        vec![Command::Run(Action::MoveQuestion { id: 11, delta: 1 })]
    );
    let mut moved = detail();
    moved.questions.swap(0, 1);
    ran(&mut app, Effect::Saved);
    loaded(&mut app, Data::Quiz(Box::new(moved)));
    // The moved question stays selected.
    assert_eq!(
        app.handle(ch('J')),
        vec![Command::Run(Action::MoveQuestion { id: 11, delta: 1 })]
    );
    app.handle(ch('d'));
    assert!(text(&app, 80, 24).contains("Supprimer la question « Quel mot-clé"));
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::DeleteQuestion(11))]
    );
}

#[test]
fn question_form_kind_specific_fields() {
    let mut app = questions_app();
    // Edit the first question: its choices as "text | credit | feedback" lines.
    app.handle(key(KeyCode::Enter));
    let s = text(&app, 100, 30);
    assert!(s.contains("let | 100 | Oui."), "{s}");
    snapshots!("quiz_question_form", app);
    let cmds = app.handle(ctrl('s'));
    let Command::Run(Action::SaveQuestion { quiz, id, draft }) = &cmds[0] else {
        panic!("{cmds:?}");
    };
    assert_eq!((*quiz, *id), (1, Some(11)));
    assert_eq!(draft, &detail().questions[0].draft);
    app.apply(Outcome::Ran(Ok(Effect::Saved)));
    // New question: true/false, then short answer; switching back keeps what was typed.
    app.handle(ch('n'));
    app.handle(key(KeyCode::Right)); // multiple
    for _ in 0..4 {
        app.handle(key(KeyCode::Tab));
    }
    for c in "Oui | 50\nNon | -50\nPeut-être | abc".chars() {
        if c == '\n' {
            app.handle(key(KeyCode::Enter));
        } else {
            app.handle(ch(c));
        }
    }
    for _ in 0..2 {
        app.handle(key(KeyCode::Tab));
    }
    app.handle(key(KeyCode::Right)); // true/false
    assert!(text(&app, 100, 30).contains("Bonne réponse"));
    app.handle(key(KeyCode::Left)); // back to multiple: the choices are still there
    assert!(text(&app, 100, 30).contains("Peut-être | abc"));
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    for c in "Vraiment ?".chars() {
        app.handle(ch(c));
    }
    assert!(app.handle(ctrl('s')).is_empty());
    let s = text(&app, 100, 30);
    assert!(s.contains("ligne 3 : crédit invalide « abc »"), "{s}");
    // Short answer: accepted answers one per line.
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Tab)); // kind
    app.handle(key(KeyCode::Right));
    app.handle(key(KeyCode::Right)); // short
    for _ in 0..4 {
        app.handle(key(KeyCode::Tab));
    }
    for c in "cargo".chars() {
        app.handle(ch(c));
    }
    let cmds = app.handle(ctrl('s'));
    assert_eq!(
        cmds,
        vec![Command::Run(Action::SaveQuestion {
            quiz: 1,
            id: None,
            draft: QuestionDraft {
                kind: QuestionKind::Short,
                title: None,
                text: "Vraiment ?".into(),
                points: 1.0,
                choices: Vec::new(),
                answer: None,
                accepted: vec!["cargo".into()],
                feedback: None,
            },
        })]
    );
}

fn results() -> (QuizResults, Vec<ProgressionRow>) {
    let st = |id, name: &str, attempts, best: Option<f64>, passed| StudentQuizResult {
        student_id: id,
        email: format!("{}@example.fr", name.to_lowercase().replace(' ', ".")),
        name: name.into(),
        attempts,
        best_percent: best,
        last_percent: best.map(|b| b - 10.0),
        last_submitted_at: (attempts > 0).then(|| at(10, 0, 0)),
        passed,
        extra_attempts: 0,
        extra_minutes: 0,
    };
    (
        QuizResults {
            quiz: summary(1, "Les variables", QuizKind::Check, true, 5),
            students: vec![
                st(20, "Léa Bernard", 2, Some(85.0), true),
                StudentQuizResult {
                    extra_attempts: 1,
                    extra_minutes: 10,
                    ..st(21, "Paul Martin", 3, Some(40.0), false)
                },
                st(22, "Zoé Petit", 0, None, false),
            ],
            questions: vec![
                QuestionStat {
                    question_id: 11,
                    position: 1,
                    text: "Quel mot-clé déclare une variable ?".into(),
                    answered: 5,
                    success_percent: Some(80.0),
                },
                QuestionStat {
                    question_id: 12,
                    position: 2,
                    text: "Une variable est immuable par défaut.".into(),
                    answered: 4,
                    success_percent: Some(25.0),
                },
            ],
        },
        vec![
            ProgressionRow {
                student_id: 20,
                email: "lea.bernard@example.fr".into(),
                name: "Léa Bernard".into(),
                positioning_percent: Some(40.0),
                final_percent: Some(85.0),
            },
            ProgressionRow {
                student_id: 21,
                email: "paul.martin@example.fr".into(),
                name: "Paul Martin".into(),
                positioning_percent: Some(30.0),
                final_percent: None,
            },
        ],
    )
}

#[test]
fn results_show_students_questions_and_progression() {
    let mut app = quiz_list_app();
    assert_eq!(
        app.handle(ch('r')),
        vec![Command::Load(Query::QuizResults(1))]
    );
    let (r, p) = results();
    loaded(&mut app, Data::QuizResults(Box::new(r), p));
    let s = text(&app, 120, 40);
    assert!(s.contains("Résultats : Les variables"), "{s}");
    assert!(s.contains("Léa Bernard"), "{s}");
    assert!(s.contains("85 %"), "{s}");
    assert!(s.contains("Non réussi"), "{s}");
    assert!(s.contains("Réussite par question"), "{s}");
    assert!(s.contains("+45"), "{s}");
    snapshots!("quiz_results", app);
    // A student's progress changed in this course: fresh results.
    assert_eq!(
        app.progress_changed(20, 7),
        vec![Command::Load(Query::QuizResults(1))]
    );
    assert!(app.progress_changed(20, 8).is_empty());
}

#[test]
fn menus_offer_quizzes() {
    let s = text(&trainer_app(), 80, 24);
    assert!(s.contains("8 Quiz"), "{s}");
    assert!(s.contains("9 Démos"), "{s}");
    assert!(s.contains("10 Sécurité"), "{s}");
    assert!(s.contains("11 Quitter"), "{s}");
    let s = text(
        &App::new(super::learning::user(Role::Student), false),
        80,
        24,
    );
    assert!(s.contains("4 Mes quiz"), "{s}");
    assert!(s.contains("5 Démos"), "{s}");
    assert!(s.contains("6 Quitter"), "{s}");
}

#[test]
fn clock_and_numbers() {
    use crate::screens::quiz_take::{clock, wrap};
    assert_eq!(clock(0), "00:00");
    assert_eq!(clock(75), "01:15");
    assert_eq!(clock(3723), "1:02:03");
    assert_eq!(
        wrap("un deux trois quatre", 9),
        vec!["un deux", "trois", "quatre"]
    );
    assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
}

#[test]
fn participants_show_positioning_and_final_scores_when_there_are_some() {
    use portail::quiz::QuizScore;
    use portail::services::enrolment::Participant;
    use portail::services::students::AccountStatus;
    let mut app = trainer_app();
    let screen = crate::screens::courses::Participants::new(7, "Rust");
    app.stack.push(crate::screens::Screen::view(screen));
    let who = |id, first: &str, quiz_scores| Participant {
        student_id: id,
        email: format!("{}@example.fr", first.to_lowercase()),
        first_name: first.into(),
        last_name: "Bernard".into(),
        via: "K1".into(),
        status: AccountStatus::Active,
        completed_lessons: 1,
        total_lessons: 3,
        progress_percent: 33,
        last_activity: None,
        quiz_scores,
    };
    // No quiz in the course: no quiz columns.
    loaded(
        &mut app,
        Data::Participants(7, vec![who(20, "Léa", vec![]), who(21, "Paul", vec![])]),
    );
    assert!(!text(&app, 120, 20).contains("Début"));
    let score = |id, kind, best: Option<f64>, passed| QuizScore {
        quiz_id: id,
        title: format!("Quiz {id}"),
        kind,
        attempts: i64::from(best.is_some()),
        best_percent: best,
        passed,
    };
    let lea = vec![
        score(1, QuizKind::Positioning, Some(40.0), false),
        score(2, QuizKind::Check, Some(70.0), true),
        score(3, QuizKind::Final, Some(85.0), true),
    ];
    let paul = vec![
        score(1, QuizKind::Positioning, Some(30.0), false),
        score(2, QuizKind::Check, None, false),
        score(3, QuizKind::Final, None, false),
    ];
    loaded(
        &mut app,
        Data::Participants(7, vec![who(20, "Léa", lea), who(21, "Paul", paul)]),
    );
    let s = text(&app, 120, 20);
    assert!(s.contains("Début"), "{s}");
    assert!(s.contains("Quiz ✓"), "{s}");
    let line = |name: &str| {
        s.lines()
            .skip(1)
            .find(|l| l.contains(name))
            .unwrap()
            .to_string()
    };
    let l = line("Léa");
    assert!(
        l.contains("40 %") && l.contains("85 %") && l.contains("2/3"),
        "{l}"
    );
    let p = line("Paul");
    assert!(p.contains("30 %") && p.contains("0/3"), "{p}");
}

#[test]
fn a_course_shows_its_own_quizzes() {
    let mut app = super::learning::course_app();
    assert_eq!(app.handle(ch('z')), vec![Command::Load(Query::MyQuizzes)]);
    let mut all = my_quizzes();
    all.push(MyQuiz {
        course_id: 8,
        course_title: "Shell".into(),
        ..my_quiz(9, "Quiz d'un autre cours", QuizAvailability::Open)
    });
    loaded(&mut app, Data::MyQuizzes(all));
    let s = text(&app, 100, 30);
    assert!(s.contains("Quiz : Rust pour débutants (3)"), "{s}");
    assert!(!s.contains("Quiz d'un autre cours"), "{s}");
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::StartAttempt(1))]
    );
}

#[test]
fn a_students_progress_lists_their_quiz_scores_and_quiz_activity() {
    use portail::quiz::QuizScore;
    use portail::services::learning::{ActivityEntry, ProgressRow};
    let mut app = trainer_app();
    let screen = crate::screens::progress::StudentProgress::new(20, "Léa Bernard");
    app.stack.push(crate::screens::Screen::view(screen));
    let score = |id, title: &str, kind, best: Option<f64>, passed| QuizScore {
        quiz_id: id,
        title: title.into(),
        kind,
        attempts: i64::from(best.is_some()),
        best_percent: best,
        passed,
    };
    let row = ProgressRow {
        student_id: 20,
        email: "lea@example.fr".into(),
        first_name: "Léa".into(),
        last_name: "Bernard".into(),
        course_id: 7,
        course_title: "Rust pour débutants".into(),
        completed_lessons: 1,
        total_lessons: 3,
        progress_percent: 33,
        last_activity: None,
        quiz_scores: vec![
            score(
                1,
                "Test de départ",
                QuizKind::Positioning,
                Some(40.0),
                false,
            ),
            score(2, "Bilan \x1b[31mfinal", QuizKind::Final, None, false),
        ],
    };
    let act = ActivityEntry {
        at: at(10, 0, 0),
        user_id: Some(20),
        email: Some("lea@example.fr".into()),
        kind: "quiz_timed_out".into(),
        course_id: Some(7),
        course_title: Some("Rust pour débutants".into()),
        lesson_id: None,
        lesson_title: None,
        detail: String::new(),
        source_ip: None,
        user_agent: None,
    };
    loaded(&mut app, Data::StudentProgress(20, vec![row], vec![act]));
    let s = text(&app, 100, 30);
    assert!(s.contains("✗ Test de départ (Positionnement) 40 %"), "{s}");
    assert!(s.contains("(Évaluation finale) —"), "{s}");
    assert!(!s.contains('\x1b'), "{s}");
    assert!(s.contains("quiz rendu à la fin du temps"), "{s}");
}

#[test]
fn choices_with_pipes_and_new_lines_round_trip() {
    use crate::screens::quiz_admin::{choices_text, parse_choices};
    let app = trainer_app();
    let choices = vec![
        Choice {
            text: "ls | wc -l".into(),
            credit: 100,
            feedback: Some("Compte les lignes\n(une par fichier) \\o/".into()),
        },
        Choice {
            text: "cat".into(),
            credit: -50,
            feedback: None,
        },
    ];
    let typed = choices_text(&choices);
    assert_eq!(
        typed,
        "ls \\| wc -l | 100 | Compte les lignes\\n(une par fichier) \\\\o/\ncat | -50"
    );
    assert_eq!(parse_choices(&app.ctx, &typed).unwrap(), choices);
    // The third field takes the rest of the line.
    let parsed = parse_choices(&app.ctx, "a | 0 | x | y").unwrap();
    assert_eq!(parsed[0].feedback.as_deref(), Some("x | y"));
}

#[test]
fn a_timed_quiz_asks_before_the_clock_starts() {
    let mut app = student_app();
    // Enter on the timed quiz: nothing starts yet, the limit and attempts left are said.
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    let s = text(&app, 100, 30);
    assert!(
        s.contains("Ce quiz est chronométré : 20 min. Il vous reste 2 tentatives."),
        "{s}"
    );
    assert!(s.contains("Commencer ?"), "{s}");
    assert!(!app.ticking());
    snapshots!("quiz_start_confirm", app);
    // No: back to the list, no attempt.
    let cmds = app.handle(ch('n'));
    assert_eq!(cmds, vec![Command::Load(Query::MyQuizzes)]);
    assert!(text(&app, 100, 30).contains("Mes quiz (3)"));
    // One attempt left (and one granted): said so; yes starts it.
    loaded(
        &mut app,
        Data::MyQuizzes(vec![MyQuiz {
            attempts_used: 2,
            max_attempts: Some(3),
            extra_attempts: 1,
            time_limit_minutes: Some(30),
            extra_minutes: 10,
            ..my_quiz(1, "Les variables", QuizAvailability::Open)
        }]),
    );
    let s = text(&app, 100, 30);
    assert!(
        s.contains("Accordé par votre formateur : +1 tentative, +10 min"),
        "{s}"
    );
    app.handle(key(KeyCode::Enter));
    let s = text(&app, 40, 15);
    assert!(s.contains("30 min"), "{s}");
    assert!(text(&app, 100, 30).contains("Il vous reste 1 tentative."));
    assert_eq!(
        app.handle(ch('o')),
        vec![Command::Run(Action::StartAttempt(1))]
    );
    // An untimed quiz starts at once.
    let mut app = student_app();
    loaded(
        &mut app,
        Data::MyQuizzes(vec![MyQuiz {
            time_limit_minutes: None,
            ..my_quiz(1, "Les variables", QuizAvailability::Open)
        }]),
    );
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Run(Action::StartAttempt(1))]
    );
}

fn student_attempts() -> StudentAttempts {
    let draft = |kind, text: &str| QuestionDraft {
        kind,
        title: None,
        text: text.into(),
        points: 1.0,
        choices: Vec::new(),
        answer: None,
        accepted: Vec::new(),
        feedback: None,
    };
    let mut single = draft(QuestionKind::Single, "Quel mot-clé déclare une variable ?");
    single.choices = vec![
        Choice {
            text: "let".into(),
            credit: 100,
            feedback: None,
        },
        Choice {
            text: "var".into(),
            credit: 0,
            feedback: None,
        },
    ];
    let mut tf = draft(
        QuestionKind::TrueFalse,
        "Une variable est immuable par défaut.",
    );
    tf.answer = Some(true);
    let mut short = draft(QuestionKind::Short, "Quel outil installe Rust ?");
    short.accepted = vec!["rustup".into()];
    let corr = |id, earned, given: Option<Answer>, q: &QuestionDraft| QuestionCorrection {
        question_id: id,
        earned,
        points: 1.0,
        given,
        expected: Some(q.clone()),
    };
    StudentAttempts {
        quiz: summary(1, "Les variables", QuizKind::Check, true, 5),
        student_id: 21,
        email: "paul.martin@example.fr".into(),
        name: "Paul Martin".into(),
        extra_attempts: 1,
        extra_minutes: 0,
        grants: Vec::new(),
        attempts: vec![
            AttemptReview {
                attempt_id: 600,
                started_at: at(9, 0, 0),
                submitted_at: Some(at(9, 12, 0)),
                deadline: Some(at(9, 20, 0)),
                timed_out: false,
                score: Some(1.0),
                max_score: Some(3.0),
                percent: Some(33.33),
                passed: Some(false),
                answers: vec![
                    corr(11, 0.0, Some(Answer::Choices(vec![1])), &single),
                    corr(12, 1.0, Some(Answer::Bool(true)), &tf),
                    corr(13, 0.0, None, &short),
                ],
            },
            AttemptReview {
                attempt_id: 601,
                started_at: at(10, 0, 0),
                submitted_at: None,
                deadline: Some(at(10, 20, 0)),
                timed_out: false,
                score: None,
                max_score: None,
                percent: None,
                passed: None,
                answers: Vec::new(),
            },
        ],
    }
}

#[test]
fn the_trainer_opens_a_students_answers_and_grants_more() {
    let mut app = quiz_list_app();
    app.handle(ch('r'));
    let (r, p) = results();
    loaded(&mut app, Data::QuizResults(Box::new(r.clone()), p.clone()));
    // e: the students, with what they were granted.
    assert_eq!(
        app.handle(ch('e')),
        vec![Command::Load(Query::QuizResults(1))]
    );
    loaded(&mut app, Data::QuizResults(Box::new(r), p));
    let s = text(&app, 100, 30);
    assert!(s.contains("Étudiants : Les variables (3)"), "{s}");
    assert!(s.contains("+1 tentative, +10 min"), "{s}");
    snapshots!("quiz_students", app);
    // Enter on Paul: his attempts, each answer right or wrong.
    app.handle(ch('j'));
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Command::Load(Query::QuizStudentAttempts {
            quiz: 1,
            student: 21
        })]
    );
    loaded(
        &mut app,
        Data::QuizStudentAttempts(Box::new(student_attempts())),
    );
    let s = text(&app, 100, 30);
    assert!(s.contains("Tentative 1 — 2026-10-05"), "{s}");
    assert!(s.contains("1/3 (33 %) · échoué"), "{s}");
    assert!(
        s.contains("✗ 1. Quel mot-clé déclare une variable ? — 0/1"),
        "{s}"
    );
    assert!(s.contains("Réponse : var"), "{s}");
    assert!(s.contains("Attendu : let"), "{s}");
    assert!(s.contains("✓ 2. Une variable est immuable"), "{s}");
    assert!(s.contains("Réponse : (sans réponse)"), "{s}");
    assert!(s.contains("Tentative 2 — en cours"), "{s}");
    assert!(s.contains("Aménagement : +1 tentative"), "{s}");
    snapshots!("quiz_student_attempts", app);
    // a: extra attempt or minutes, sent for this student.
    assert!(app.handle(ch('a')).is_empty());
    let s = text(&app, 80, 24);
    assert!(s.contains("Accorder à Paul Martin"), "{s}");
    snapshots!("quiz_grant_form", app);
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Delete));
    app.handle(ch('1'));
    app.handle(ch('5'));
    assert_eq!(
        app.handle(ctrl('s')),
        vec![Command::Run(Action::GrantQuiz {
            quiz: 1,
            student: 21,
            attempts: 1,
            minutes: 15
        })]
    );
    // Done: back to the attempts, which load again.
    let cmds = ran(&mut app, Effect::Saved);
    assert_eq!(
        cmds,
        vec![Command::Load(Query::QuizStudentAttempts {
            quiz: 1,
            student: 21
        })]
    );
}
