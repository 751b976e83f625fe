//! Quizzes through a real PTY: a student starts a quiz, answers two questions, loses the
//! connection, comes back to the same attempt with the answers saved, finishes, reviews,
//! hands in and sees the score; no correct answer reached the terminal before that. Then
//! the trainer's results screen shows the score. On a phone-sized terminal, a timed
//! attempt whose time runs out is handed in by itself and shows the server's grading.

use portail::quiz::{Choice, QuestionDraft, QuestionKind, QuizDoc, QuizKind, QuizSettings};

use crate::harness::*;

async fn ok(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: Option<&[u8]>) -> String {
    let r = exec(server.addr(), user, pw, cmd, stdin).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

fn draft(kind: QuestionKind, text: &str) -> QuestionDraft {
    QuestionDraft {
        kind,
        title: None,
        text: text.into(),
        points: 1.0,
        choices: Vec::new(),
        answer: None,
        accepted: Vec::new(),
        feedback: None,
    }
}

fn choice(text: &str, credit: i32, feedback: Option<&str>) -> Choice {
    Choice {
        text: text.into(),
        credit,
        feedback: feedback.map(String::from),
    }
}

/// Seen only once the attempt is handed in (the quiz shows its corrections).
const SECRET_FEEDBACK: &str = "Bravo, ls liste le dossier";

fn quiz_doc() -> QuizDoc {
    let mut q1 = draft(QuestionKind::Single, "Quelle commande liste les fichiers ?");
    q1.choices = vec![
        choice("ls", 100, Some(SECRET_FEEDBACK)),
        choice("cd", 0, None),
        choice("mkdir", 0, None),
    ];
    let mut q2 = draft(QuestionKind::TrueFalse, "cd change de dossier.");
    q2.answer = Some(true);
    let mut q3 = draft(
        QuestionKind::Short,
        "Quelle commande affiche le dossier courant ?",
    );
    q3.accepted = vec!["pwd".into()];
    QuizDoc {
        settings: QuizSettings {
            title: "Bases du shell".into(),
            kind: QuizKind::Check,
            pass_percent: 50,
            time_limit_minutes: Some(30),
            show_corrections: true,
            published: true,
            ..QuizSettings::default()
        },
        questions: vec![q1, q2, q3],
    }
}

/// Waits until every answer is saved (the status line says "enregistré").
async fn saved(pty: &mut Pty, answered: &str) {
    pty.wait_for(answered).await;
    pty.wait_until(
        |s| s.contains("· enregistré") && !s.contains("enregistrement"),
        "answers saved",
    )
    .await;
}

/// A trainer, a class with Léa (activated, password chosen), a published course assigned
/// to the class. Returns the server, the trainer's login and Léa's password.
async fn setup() -> (TestServer, String, &'static str) {
    let (server, tr, code) = classroom().await;
    let tp = TRAINER_PASSWORD;
    ok(&server, &tr, tp, "course assign Shell --class K1", None).await;
    let pw = "radium polonium";
    choose_password(server.addr(), "lea@example.fr", &code, pw).await;
    (server, tr, pw)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn student_takes_a_quiz_resumes_after_a_drop_and_the_trainer_sees_the_score() {
    let (server, tr, pw) = setup().await;
    let tp = TRAINER_PASSWORD;
    // The quiz, through the trainer's service.
    let p = &server.running.portail;
    let trainer = p.login(&tr, tp, None).await.expect("trainer login").actor;
    let course = p.course_resolve(&trainer, "Shell").await.unwrap();
    let quiz = p.quiz_create(&trainer, course, quiz_doc()).await.unwrap();

    // Mes quiz: the quiz, to take.
    let mut pty = Pty::login_as(server.addr(), "lea@example.fr", pw, 100, 30).await;
    pty.send(b"4").await;
    let list = pty.wait_for("Mes quiz (1)").await;
    assert!(list.contains("Bases du shell"), "{list}");
    assert!(list.contains("à faire"), "{list}");

    // Enter on a timed quiz asks first: the limit and the attempts left; the clock has
    // not started (no attempt exists yet).
    pty.send(b"\r").await;
    let ask = pty
        .wait_for("Ce quiz est chronométré : 30 min. Tentatives illimitées.")
        .await;
    assert!(ask.contains("Commencer ?"), "{ask}");
    assert!(ask.contains("o oui · n non"), "{ask}");
    let attempts: i64 = sqlx::query_scalar("SELECT count(*) FROM quiz_attempts")
        .fetch_one(p.store().pool())
        .await
        .unwrap();
    assert_eq!(attempts, 0, "the clock started before the answer");
    // Start: every question on this wide terminal, the clock running.
    pty.send(b"o").await;
    let screen = pty.wait_for("Question 1/3").await;
    assert!(
        screen.contains("⏱ 29:") || screen.contains("⏱ 30:00"),
        "{screen}"
    );
    assert!(screen.contains("( ) 1. ls"), "{screen}");
    assert!(screen.contains("cd change de dossier."), "{screen}");
    // First question: ls; second: Vrai. Each is saved at once.
    pty.send(b" ").await;
    saved(&mut pty, "1 répondue(s)").await;
    pty.send(b"\t").await;
    pty.wait_for("Question 2/3").await;
    pty.send(b" ").await;
    saved(&mut pty, "2 répondue(s)").await;

    // The connection drops in the middle of the attempt.
    drop(pty);
    server.wait_sessions_drained(10).await;

    // Back again: the same attempt, with its answers, at the third question.
    let mut pty = Pty::login_as(server.addr(), "lea@example.fr", pw, 100, 30).await;
    pty.send(b"4").await;
    let list = pty.wait_for("Mes quiz (1)").await;
    assert!(list.contains("en cours"), "{list}");
    pty.send(b"\r").await;
    let resumed = pty.wait_for("Tentative reprise").await;
    assert!(resumed.contains("Question 3/3"), "{resumed}");
    assert!(resumed.contains("2 répondue(s)"), "{resumed}");
    assert!(resumed.contains("(•) 1. ls"), "{resumed}");
    assert!(resumed.contains("(•) Vrai"), "{resumed}");

    // Third question typed; Enter on the last one opens the review.
    pty.send(b"pwd").await;
    pty.send(b"\r").await;
    let review = pty.wait_for("Relecture").await;
    assert!(review.contains("toutes les questions"), "{review}");
    // No correct answer nor feedback reached the student's terminal before handing in.
    let raw = String::from_utf8_lossy(&pty.raw).to_string();
    assert!(
        !raw.contains(SECRET_FEEDBACK),
        "feedback leaked before submitting"
    );
    assert!(
        !raw.contains("Attendu"),
        "correction shown before submitting"
    );

    pty.send(b"s").await;
    pty.wait_for("Rendre vos réponses ?").await;
    pty.send(b"o").await;
    let result = pty.wait_for("3 / 3 (100 %)").await;
    assert!(result.contains("Réussi"), "{result}");
    assert!(result.contains(SECRET_FEEDBACK), "{result}");
    pty.send(b"\x1b").await;
    pty.settle(150).await;
    let list = pty.wait_for("100 %").await;
    assert!(list.contains("Mes quiz (1)"), "{list}");
    // Passed: the status says so with the best score, no longer "à faire".
    assert!(list.contains("réussi · 3/3"), "{list}");
    assert!(!list.contains("à faire"), "{list}");
    // The last result again, later.
    pty.send(b"r").await;
    let again = pty.wait_for("Résultat : Bases du shell").await;
    assert!(again.contains("3 / 3 (100 %)"), "{again}");
    pty.send(b"\x1b").await;
    pty.settle(150).await;
    pty.wait_for("Mes quiz (1)").await;
    pty.send(b"q").await;
    pty.wait_closed().await;

    // The service agrees: one submitted attempt at 100 %.
    let results = p.quiz_results(&trainer, quiz).await.unwrap();
    let lea = results
        .students
        .iter()
        .find(|s| s.email == "lea@example.fr")
        .expect("Léa in the results");
    assert_eq!(lea.attempts, 1);
    assert_eq!(lea.best_percent, Some(100.0));

    // The trainer's results screen shows the score.
    let mut pty = Pty::login_as(server.addr(), &tr, tp, 120, 30).await;
    pty.send(b"8").await;
    let quizzes = pty.wait_for("Bases du shell").await;
    assert!(quizzes.contains("Quiz (1)"), "{quizzes}");
    pty.send(b"r").await;
    let screen = pty.wait_for("Résultats : Bases du shell").await;
    let screen = if screen.contains("100 %") {
        screen
    } else {
        pty.wait_for("100 %").await
    };
    assert!(screen.contains("Léa"), "{screen}");
    assert!(screen.contains("Réussi"), "{screen}");
    pty.send(b"q").await;
    pty.wait_closed().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_running_out_hands_the_attempt_in_and_shows_the_server_grading() {
    let (server, tr, pw) = setup().await;
    let p = &server.running.portail;
    let trainer = p
        .login(&tr, TRAINER_PASSWORD, None)
        .await
        .expect("trainer login")
        .actor;
    let course = p.course_resolve(&trainer, "Shell").await.unwrap();
    let mut doc = quiz_doc();
    doc.settings.show_corrections = false;
    doc.settings.max_attempts = Some(1);
    p.quiz_create(&trainer, course, doc).await.unwrap();

    // A phone: one question per screen.
    let mut pty = Pty::login_as(server.addr(), "lea@example.fr", pw, 40, 15).await;
    pty.send(b"4").await;
    pty.wait_for("Mes quiz (1)").await;
    pty.send(b"\r").await;
    pty.wait_for("vous reste 1 tentative.").await;
    pty.send(b"o").await;
    let first = pty.wait_for("1/3").await;
    assert!(first.contains("ls"), "{first}");
    assert!(!first.contains("cd change de dossier."), "{first}");
    pty.send(b" ").await;
    saved(&mut pty, "(•) 1. ls").await;
    pty.send(b"\t").await;
    let second = pty.wait_for("cd change de dossier.").await;
    assert!(!second.contains("Quelle commande liste"), "{second}");
    drop(pty);
    server.wait_sessions_drained(10).await;

    // The deadline comes close (as if the student had spent 29 minutes and 52 seconds).
    let soon = chrono::Utc::now() + chrono::Duration::seconds(8);
    sqlx::query("UPDATE quiz_attempts SET deadline = ?1 WHERE submitted_at IS NULL")
        .bind(soon)
        .execute(p.store().pool())
        .await
        .unwrap();

    // Resumed, the clock runs out on screen: handed in, graded by the server.
    let mut pty = Pty::login_as(server.addr(), "lea@example.fr", pw, 40, 15).await;
    pty.send(b"4").await;
    pty.wait_for("Mes quiz (1)").await;
    pty.send(b"\r").await;
    let resumed = pty.wait_for("⏱ 00:0").await;
    assert!(resumed.contains("2/3"), "{resumed}");
    let result = pty.wait_for("1 / 3 (33 %)").await;
    assert!(result.contains("Temps écoulé"), "{result}");
    assert!(result.contains("Non réussi"), "{result}");
    pty.send(b"\x1b").await;
    pty.settle(150).await;
    // Failed: said with the score on the phone too.
    pty.wait_for("échoué · 1/3").await;
    pty.send(b"q").await;
    pty.wait_closed().await;

    let mine = p
        .my_quiz_results(
            &p.login("lea@example.fr", pw, None).await.unwrap().actor,
            None,
        )
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].timed_out);
    assert!(mine[0].corrections.is_empty());
}

/// Esc, then a pause so the next key is not read as Alt+key.
async fn esc(pty: &mut Pty) {
    pty.send(b"\x1b").await;
    pty.settle(150).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_writes_a_quiz_through_the_screens() {
    let (server, tr, _pw) = setup().await;
    let tp = TRAINER_PASSWORD;
    let mut pty = Pty::login_as(server.addr(), &tr, tp, 160, 40).await;
    pty.send(b"8").await;
    pty.wait_for("Quiz (0)").await;

    // Settings: the course is offered, title, 2 attempts, 15 minutes, published: refused
    // while the quiz has no question; saved as a draft.
    pty.send(b"n").await;
    pty.wait_for("Nouveau quiz").await;
    pty.wait_for("‹ Shell ›").await;
    pty.send("\tBilan shell".as_bytes()).await;
    pty.send(b"\t\t\t\t2\t15\t\t\t\t ").await;
    pty.wait_for("‹ Publié ›").await;
    pty.send(b"\x13").await; // Ctrl-S
    pty.wait_for("Un quiz sans question ne peut pas être publié")
        .await;
    pty.send(b" ").await;
    pty.wait_for("‹ Brouillon ›").await;
    pty.send(b"\x13").await;
    let list = pty.wait_for("Enregistré.").await;
    let list = if list.contains("Bilan shell") {
        list
    } else {
        pty.wait_for("Bilan shell").await
    };
    assert!(list.contains("Brouillon"), "{list}");

    // Questions: a single choice with its credits, then a true/false.
    pty.send(b"\r").await;
    pty.wait_for("Bilan shell · 0 pt · 0 question").await;
    pty.send(b"n").await;
    pty.wait_for("Nouvelle question").await;
    pty.send("\t\tQuelle commande liste ?\t\tls | 100 | Oui\rcd".as_bytes())
        .await;
    pty.wait_for("cd").await;
    pty.send(b"\x13").await;
    pty.wait_for("1. Quelle commande liste ?").await;
    pty.send(b"n").await;
    pty.wait_for("Nouvelle question").await;
    pty.send(b"\x1b[C\x1b[C").await; // → → : Vrai / faux
    pty.wait_for("Bonne réponse").await;
    pty.send("\t\tcd change de dossier.".as_bytes()).await;
    pty.send(b"\x13").await;
    let list = pty.wait_for("2. cd change de dossier.").await;
    assert!(list.contains("Bilan shell · 2 pts · 2 questions"), "{list}");

    // A refused question: the service's reason stays in the form.
    pty.send(b"n").await;
    pty.wait_for("Nouvelle question").await;
    pty.send("\t\tSans bonne réponse\t\tun\rdeux".as_bytes())
        .await;
    pty.send(b"\x13").await;
    let refused = pty.wait_for("100 %").await;
    assert!(refused.contains("Nouvelle question"), "{refused}");
    esc(&mut pty).await;
    pty.send(b"o").await;
    pty.wait_for("Bilan shell · 2 pts · 2 questions").await;
    // Two right answers on a single choice: refused, the question named.
    pty.send(b"n").await;
    pty.wait_for("Nouvelle question").await;
    pty.send("\t\tDeux bonnes\t\tls | 100\rdir | 100".as_bytes())
        .await;
    pty.send(b"\x13").await;
    let refused = pty.wait_for("n'admet qu'une bonne réponse").await;
    assert!(refused.contains("Nouvelle question"), "{refused}");
    esc(&mut pty).await;
    pty.send(b"o").await;
    pty.wait_for("Bilan shell · 2 pts · 2 questions").await;
    // Now it has questions: published from the quiz list's settings.
    esc(&mut pty).await;
    pty.wait_for("Quiz (1)").await;
    pty.send(b"e").await;
    pty.wait_for("‹ Brouillon ›").await;
    pty.send(b"\t\t\t\t\t\t\t\t\t\t ").await;
    pty.wait_for("‹ Publié ›").await;
    pty.send(b"\x13").await;
    pty.wait_for("Enregistré.").await;
    pty.wait_for("Publié").await;
    pty.send(b"\r").await;
    pty.wait_for("Bilan shell · 2 pts · 2 questions").await;

    let p = &server.running.portail;
    let trainer = p.login(&tr, tp, None).await.unwrap().actor;
    let id = p.quiz_resolve(&trainer, "Bilan shell").await.unwrap();
    let quiz = p.quiz_get(&trainer, id).await.unwrap();
    let s = &quiz.summary.settings;
    assert!(s.published);
    assert_eq!(s.max_attempts, Some(2));
    assert_eq!(s.time_limit_minutes, Some(15));
    assert_eq!(quiz.questions.len(), 2);
    let q1 = &quiz.questions[0].draft;
    assert_eq!(q1.choices.len(), 2);
    assert_eq!(
        (q1.choices[0].text.as_str(), q1.choices[0].credit),
        ("ls", 100)
    );
    assert_eq!(q1.choices[0].feedback.as_deref(), Some("Oui"));
    assert_eq!(quiz.questions[1].draft.answer, Some(true));

    // Move the first question down, then delete it (after the confirmation).
    pty.send(b"J").await;
    pty.wait_for("2. Quelle commande liste ?").await;
    pty.send(b"d").await;
    pty.wait_for("Supprimer la question").await;
    pty.send(b"o").await;
    pty.wait_for("Bilan shell · 1 pt · 1 question").await;
    let quiz = p.quiz_get(&trainer, id).await.unwrap();
    assert_eq!(quiz.questions.len(), 1);
    assert_eq!(quiz.questions[0].draft.kind, QuestionKind::TrueFalse);
    pty.send(b"q").await;
    pty.wait_closed().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trainer_reads_a_students_answers_and_grants_an_attempt_she_then_sees() {
    let (server, tr, pw) = setup().await;
    let tp = TRAINER_PASSWORD;
    let p = &server.running.portail;
    let trainer = p.login(&tr, tp, None).await.unwrap().actor;
    let course = p.course_resolve(&trainer, "Shell").await.unwrap();
    let mut doc = quiz_doc();
    doc.settings.max_attempts = Some(1);
    let quiz = p.quiz_create(&trainer, course, doc).await.unwrap();
    // Léa answers "cd" to the first question only, and hands in: failed.
    let lea = p.login("lea@example.fr", pw, None).await.unwrap().actor;
    let view = p.attempt_start(&lea, quiz).await.unwrap();
    p.attempt_answer(
        &lea,
        view.attempt_id,
        view.questions[0].id,
        Some(portail::quiz::Answer::Choices(vec![1])),
    )
    .await
    .unwrap();
    p.attempt_submit(&lea, view.attempt_id).await.unwrap();

    // Quiz → results → e: the students → Enter: her answers, right or wrong.
    let mut pty = Pty::login_as(server.addr(), &tr, tp, 100, 30).await;
    pty.send(b"8").await;
    pty.wait_for("Bases du shell").await;
    pty.send(b"r").await;
    pty.wait_for("Résultats : Bases du shell").await;
    pty.send(b"e").await;
    let students = pty.wait_for("Étudiants : Bases du shell").await;
    let students = if students.contains("Non réussi") {
        students
    } else {
        pty.wait_for("Non réussi").await
    };
    assert!(students.contains("Léa"), "{students}");
    pty.send(b"\r").await;
    let answers = pty.wait_for("Tentative 1 — ").await;
    let answers = if answers.contains("Attendu") {
        answers
    } else {
        pty.wait_for("Attendu").await
    };
    assert!(answers.contains("0/3 (0 %) · échoué"), "{answers}");
    assert!(
        answers.contains("✗ 1. Quelle commande liste les fichiers ? — 0/1"),
        "{answers}"
    );
    assert!(answers.contains("Réponse : cd"), "{answers}");
    assert!(answers.contains("Attendu : ls"), "{answers}");
    assert!(answers.contains("Réponse : (sans réponse)"), "{answers}");
    // a: one more attempt for her.
    pty.send(b"a").await;
    pty.wait_for("Accorder à Léa").await;
    pty.send(b"\x13").await;
    pty.wait_for("Enregistré.").await;
    let after = pty.wait_for("Aménagement : +1 tentative").await;
    assert!(after.contains("Tentative 1"), "{after}");
    pty.send(b"q").await;
    pty.wait_closed().await;

    // Léa sees it: 1 of 2 attempts used, failed with her score, and may start again.
    let mut pty = Pty::login_as(server.addr(), "lea@example.fr", pw, 100, 30).await;
    pty.send(b"4").await;
    let list = pty.wait_for("Mes quiz (1)").await;
    assert!(list.contains("échoué · 0/3"), "{list}");
    assert!(list.contains("1/2"), "{list}");
    assert!(
        list.contains("Accordé par votre formateur : +1 tentative"),
        "{list}"
    );
    pty.send(b"\r").await;
    let ask = pty.wait_for("vous reste 1 tentative.").await;
    assert!(ask.contains("30 min"), "{ask}");
    pty.send(b"n").await;
    pty.wait_for("Mes quiz (1)").await;
    pty.send(b"q").await;
    pty.wait_closed().await;
}
