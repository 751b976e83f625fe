//! Quizzes through exec commands: GIFT/JSON import, publishing, the student's list and
//! results, the trainer's results and exports; the rules on roles, assignment and time.

use portail::quiz::Answer;
use portail::{Actor, Error, Role};

use crate::harness::*;

async fn ok(server: &TestServer, user: &str, pw: &str, cmd: &str) -> String {
    let r = exec(server.addr(), user, pw, cmd, None).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

async fn ok_in(server: &TestServer, user: &str, pw: &str, cmd: &str, input: &str) -> String {
    let r = exec(server.addr(), user, pw, cmd, Some(input.as_bytes())).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

async fn refused(server: &TestServer, user: &str, pw: &str, cmd: &str, input: &str) -> String {
    let r = exec(server.addr(), user, pw, cmd, Some(input.as_bytes())).await;
    assert_ne!(r.status, Some(0), "{user}: {cmd} should fail: {}", r.stdout);
    r.stderr
}

async fn json(server: &TestServer, user: &str, pw: &str, cmd: &str) -> serde_json::Value {
    let out = ok(server, user, pw, cmd).await;
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{cmd}: {e}: {out}"))
}

/// A student with a chosen password, in `class`; returns their actor.
async fn student(server: &TestServer, tr: &str, email: &str, first: &str, class: &str) -> Actor {
    let out = ok(
        server,
        tr,
        TRAINER_PASSWORD,
        &format!("student add --email {email} --first-name {first} --class {class}"),
    )
    .await;
    let code = activation_code(&out);
    ok_in(server, email, &code, "passwd --stdin", &format!("{PW}\n")).await;
    let me = json(server, email, PW, "whoami --json").await;
    Actor {
        user_id: me["id"].as_i64().unwrap(),
        role: Role::Student,
        must_change_password: false,
    }
}

const PW: &str = "un mot de passe étudiant";
const BANK: &str = include_str!("../fixtures/gift/moodle_bank.gift");
const QUIZ: &str = "\"Excel niveau 1\"";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_imports_gift_student_takes_it_trainer_sees_the_score() {
    let server = TestServer::start().await;
    let p = &server.running.portail;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    ok(&server, &tr, tp, "org add --name Alpha").await;
    ok(&server, &tr, tp, "class add --org Alpha --name K1").await;
    ok(&server, &tr, tp, "class add --org Alpha --name K2").await;
    let lea = student(&server, &tr, "lea@example.fr", "Léa", "K1").await;
    let tom = student(&server, &tr, "tom@example.fr", "Tom", "K2").await;
    ok(&server, &tr, tp, "course add --title Excel --published").await;
    ok(&server, &tr, tp, "course assign Excel --class K1").await;

    // Help lists the quiz commands for both roles.
    assert!(
        ok(&server, &tr, tp, "help")
            .await
            .contains("quiz import COURS")
    );
    assert!(
        ok(&server, "lea@example.fr", PW, "help")
            .await
            .contains("quiz results [QUIZ]")
    );

    // Malformed GIFT: refused with the line, nothing created.
    let err = refused(
        &server,
        &tr,
        tp,
        "quiz import Excel --format gift",
        include_str!("../fixtures/gift/unclosed_brace.gift"),
    )
    .await;
    assert!(
        err.contains("ligne 3 : accolade « { » jamais refermée"),
        "{err}"
    );
    // JSON with a wrong type: the field is named.
    let err = refused(
        &server,
        &tr,
        tp,
        "quiz import Excel",
        r#"{"title": "X", "questions": [{"kind": "true_false", "text": "t", "answer": "oui"}]}"#,
    )
    .await;
    assert!(
        err.contains("questions[0].answer") && err.contains("valeur du mauvais type"),
        "{err}"
    );
    let err = refused(&server, &tr, tp, "quiz import Excel --kind examen", BANK).await;
    assert!(err.contains("Type de quiz"), "{err}");
    assert!(
        ok(&server, &tr, tp, "quiz list")
            .await
            .contains("Aucun quiz.")
    );

    // A dry run writes nothing; the real import reports the HTML warning.
    let out = ok_in(
        &server,
        &tr,
        tp,
        "quiz import Excel --kind final --dry-run",
        BANK,
    )
    .await;
    assert!(
        out.contains("rien n'a été écrit") && out.contains("6 question(s)"),
        "{out}"
    );
    assert!(
        ok(&server, &tr, tp, "quiz list")
            .await
            .contains("Aucun quiz.")
    );
    let out = ok_in(&server, &tr, tp, "quiz import Excel --kind final", BANK).await;
    assert!(out.contains("Quiz « Excel niveau 1 » importé"), "{out}");
    assert!(out.contains("7 point(s)"), "{out}");
    assert!(
        out.contains("Avertissements") && out.contains("HTML"),
        "{out}"
    );

    // Unpublished: the student does not see it.
    let (s, sp) = ("lea@example.fr", PW);
    assert!(
        ok(&server, s, sp, "quiz list")
            .await
            .contains("Aucun quiz.")
    );
    ok(&server, &tr, tp, &format!("quiz publish {QUIZ}")).await;
    let list = ok(&server, s, sp, "quiz list").await;
    assert!(
        list.contains("Excel niveau 1") && list.contains("à faire"),
        "{list}"
    );
    let mine = json(&server, s, sp, "quiz list --json").await;
    let quiz_id = mine[0]["id"].as_i64().unwrap();
    // Tom's class is not assigned to the course: nothing listed, nothing to take.
    assert!(
        ok(&server, "tom@example.fr", PW, "quiz list")
            .await
            .contains("Aucun quiz.")
    );
    assert!(matches!(
        p.attempt_start(&tom, quiz_id).await,
        Err(Error::NotFound)
    ));
    let err = refused(
        &server,
        "tom@example.fr",
        PW,
        &format!("quiz results {quiz_id}"),
        "",
    )
    .await;
    assert!(err.contains("Quiz introuvable"), "{err}");

    // Trainer commands are refused to students.
    for cmd in [
        "quiz import Excel".to_string(),
        format!("quiz export {quiz_id}"),
        format!("quiz show {quiz_id}"),
        format!("quiz rm {quiz_id} --yes"),
        format!("quiz publish {quiz_id}"),
        "quiz progression Excel".to_string(),
        format!("export quiz-results {quiz_id}"),
    ] {
        let err = refused(&server, s, sp, &cmd, BANK).await;
        assert!(err.contains("non autorisée"), "{cmd}: {err}");
    }

    // The student takes it (as the TUI does, through the services): what reaches the
    // session carries no answer.
    let view = p.attempt_start(&lea, quiz_id).await.unwrap();
    let sent = serde_json::to_string(&view).unwrap();
    assert!(
        !sent.contains("credit") && !sent.contains("Microsoft Excel"),
        "{sent}"
    );
    let q: Vec<i64> = view.questions.iter().map(|q| q.id).collect();
    for (qid, a) in [
        (q[0], Answer::Choices(vec![0])),       // 1 / 1
        (q[1], Answer::Choices(vec![0, 1, 2])), // 50 + 50 - 100 → 0 / 1
        (q[2], Answer::Bool(true)),             // 1 / 1
        (q[3], Answer::Text(" EXCEL ".into())), // 1 / 1
        (q[4], Answer::Choices(vec![1])),       // 50 % of 2 → 1 / 2
    ] {
        p.attempt_answer(&lea, view.attempt_id, qid, Some(a))
            .await
            .unwrap();
    }
    let r = p.attempt_submit(&lea, view.attempt_id).await.unwrap();
    assert_eq!((r.score, r.max_score), (4.0, 7.0));

    let own = ok(&server, s, sp, "quiz results").await;
    assert!(
        own.contains("4/7 (57.14 %)") && own.contains("oui"),
        "{own}"
    );
    let own = json(&server, s, sp, &format!("quiz results {quiz_id} --json")).await;
    assert_eq!(own[0]["percent"], 57.14);

    // Trainer: results, per-question rates, exports, participants and progress.
    let res = ok(&server, &tr, tp, &format!("quiz results {QUIZ}")).await;
    assert!(res.contains("Léa") && res.contains("57.14 %"), "{res}");
    assert!(res.contains("Réussite par question"), "{res}");
    let res = json(&server, &tr, tp, &format!("quiz results {quiz_id} --json")).await;
    assert_eq!(res["students"][0]["best_percent"], 57.14);
    assert_eq!(res["questions"][1]["success_percent"], 0.0);
    let csv = ok(&server, &tr, tp, &format!("export quiz-results {QUIZ}")).await;
    assert!(csv.starts_with("email,nom,quiz,type,tentatives"), "{csv}");
    assert!(
        csv.contains("\nlea@example.fr,Léa,Excel niveau 1,final,1,57.14,57.14,"),
        "{csv}"
    );
    let excel = ok(
        &server,
        &tr,
        tp,
        &format!("export quiz-results {quiz_id} --excel"),
    )
    .await;
    assert!(excel.starts_with("\u{feff}email;nom;quiz"), "{excel}");
    let err = refused(&server, &tr, tp, "export quiz-results", "").await;
    assert!(err.contains("Précisez le quiz"), "{err}");
    let parts = ok(&server, &tr, tp, "course participants Excel").await;
    assert!(parts.contains("Excel niveau 1 57.14 % ✓"), "{parts}");
    let prog = ok(&server, &tr, tp, "progress --course Excel").await;
    assert!(prog.contains("Excel niveau 1 57.14 % ✓"), "{prog}");
    let prog = ok(&server, &tr, tp, "quiz progression Excel").await;
    assert!(prog.contains("57.14 %"), "{prog}");

    // Export as GIFT and JSON, both re-import.
    let gift = ok(
        &server,
        &tr,
        tp,
        &format!("quiz export {quiz_id} --format gift"),
    )
    .await;
    assert!(gift.contains("$CATEGORY: Excel niveau 1"), "{gift}");
    let again = ok_in(&server, &tr, tp, "quiz import Excel --dry-run", &gift).await;
    assert!(again.contains("6 question(s), 7 point(s)"), "{again}");
    let doc = ok(&server, &tr, tp, &format!("quiz export {quiz_id}")).await;
    let again = ok_in(&server, &tr, tp, "quiz import Excel --dry-run", &doc).await;
    assert!(again.contains("6 question(s), 7 point(s)"), "{again}");

    // The trainer's view of the questions, with the answers.
    let show = ok(&server, &tr, tp, &format!("quiz show {quiz_id}")).await;
    assert!(show.contains("100 %  =SOMME(A1:A3)"), "{show}");
    assert!(show.contains("= Microsoft Excel"), "{show}");
    assert!(show.contains("→ Vrai"), "{show}");
    // Unpublished: gone from the student's list, results kept.
    ok(&server, &tr, tp, &format!("quiz unpublish {quiz_id}")).await;
    assert!(
        ok(&server, s, sp, "quiz list")
            .await
            .contains("Aucun quiz.")
    );
    // Deleting a quiz with results needs --yes.
    let err = refused(&server, &tr, tp, &format!("quiz rm {quiz_id}"), "").await;
    assert!(err.contains("--yes"), "{err}");
    let out = ok(&server, &tr, tp, &format!("quiz rm {quiz_id} --yes")).await;
    assert!(out.contains("Quiz supprimé"), "{out}");
    assert!(
        ok(&server, &tr, tp, "quiz list --course Excel")
            .await
            .contains("Aucun quiz.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_limit_and_attempts_are_enforced_on_the_server() {
    let server = TestServer::start().await;
    let p = &server.running.portail;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    ok(&server, &tr, tp, "org add --name Alpha").await;
    ok(&server, &tr, tp, "class add --org Alpha --name K1").await;
    let lea = student(&server, &tr, "lea@example.fr", "Léa", "K1").await;
    ok(&server, &tr, tp, "course add --title Excel --published").await;
    ok(&server, &tr, tp, "course assign Excel --class K1").await;
    let doc = r#"{"title": "Chrono", "kind": "check", "time_limit_minutes": 5, "max_attempts": 1,
      "questions": [
        {"kind": "true_false", "text": "Un", "answer": true},
        {"kind": "short", "text": "Deux", "accepted": ["deux", "2"], "points": 3}
      ]}"#;
    let out = ok_in(&server, &tr, tp, "quiz import Excel", doc).await;
    assert!(out.contains("2 question(s), 4 point(s)"), "{out}");
    ok(&server, &tr, tp, "quiz publish Chrono").await;
    let quiz = p.quiz_resolve(&lea, "chrono").await.unwrap();
    let view = p.attempt_start(&lea, quiz).await.unwrap();
    p.attempt_answer(
        &lea,
        view.attempt_id,
        view.questions[0].id,
        Some(Answer::Bool(true)),
    )
    .await
    .unwrap();
    // The clock runs out (moved in the database rather than waited for).
    let past = chrono::Utc::now() - chrono::Duration::seconds(5);
    sqlx::query("UPDATE quiz_attempts SET started_at = ?1, deadline = ?2 WHERE id = ?3")
        .bind(past - chrono::Duration::minutes(5))
        .bind(past)
        .bind(view.attempt_id)
        .execute(p.store().pool())
        .await
        .unwrap();
    let late = p
        .attempt_answer(
            &lea,
            view.attempt_id,
            view.questions[1].id,
            Some(Answer::Text("deux".into())),
        )
        .await
        .unwrap_err();
    assert_eq!(
        late.user_message(portail::Lang::Fr),
        "Le temps est écoulé : cette réponse n'a pas été enregistrée."
    );
    // Graded at the deadline with the answer given before it.
    let (s, sp) = ("lea@example.fr", PW);
    let own = ok(&server, s, sp, "quiz results Chrono").await;
    assert!(
        own.contains("1/4 (25 %)") && own.contains("temps écoulé"),
        "{own}"
    );
    let list = ok(&server, s, sp, "quiz list").await;
    assert!(
        list.contains("échoué · 1/4") && list.contains("1/1"),
        "{list}"
    );
    let again = p.attempt_start(&lea, quiz).await.unwrap_err();
    assert!(
        again
            .user_message(portail::Lang::Fr)
            .contains("toutes les tentatives"),
        "{again:?}"
    );
    let res = ok(&server, &tr, tp, "quiz results Chrono").await;
    assert!(res.contains("25 %") && res.contains("non"), "{res}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_rules_a_students_answers_and_an_extra_attempt() {
    let server = TestServer::start().await;
    let p = &server.running.portail;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    ok(&server, &tr, tp, "org add --name Alpha").await;
    ok(&server, &tr, tp, "class add --org Alpha --name K1").await;
    let lea = student(&server, &tr, "lea@example.fr", "Léa", "K1").await;
    ok(&server, &tr, tp, "course add --title Excel --published").await;
    ok(&server, &tr, tp, "course assign Excel --class K1").await;
    let (s, sp) = ("lea@example.fr", PW);

    // A single choice with two right answers: refused at import, the question named.
    let two_right = r#"{"title": "Deux", "questions": [
        {"kind": "true_false", "text": "Un", "answer": true},
        {"kind": "single", "text": "Somme de A1 à A3 ?", "choices": [
            {"text": "=SOMME(A1:A3)", "credit": 100}, {"text": "=A1+A2+A3", "credit": 100},
            {"text": "=MOYENNE(A1:A3)", "credit": 0}]}]}"#;
    let err = refused(&server, &tr, tp, "quiz import Excel", two_right).await;
    assert!(
        err.contains("élément 2")
            && err.contains("n'admet qu'une bonne réponse")
            && err.contains("Somme de A1 à A3 ?"),
        "{err}"
    );
    assert!(
        ok(&server, &tr, tp, "quiz list")
            .await
            .contains("Aucun quiz.")
    );

    // An empty quiz (made in the interface, as a draft) cannot be published.
    let trainer = p.login(&tr, tp, None).await.unwrap().actor;
    let course = p.course_resolve(&trainer, "Excel").await.unwrap();
    p.quiz_create(
        &trainer,
        course,
        portail::quiz::QuizDoc {
            settings: portail::quiz::QuizSettings {
                title: "Vide".into(),
                ..Default::default()
            },
            questions: vec![],
        },
    )
    .await
    .unwrap();
    let err = refused(&server, &tr, tp, "quiz publish Vide", "").await;
    assert!(
        err.contains("Un quiz sans question ne peut pas être publié"),
        "{err}"
    );
    let list = json(&server, &tr, tp, "quiz list --json").await;
    assert_eq!(list[0]["published"], false, "{list}");

    // A quiz with one attempt; a question stored before the rule blocks publishing.
    let doc = r#"{"title": "Formules", "max_attempts": 1, "time_limit_minutes": 20, "questions": [
        {"kind": "single", "text": "Somme de A1 à A3 ?", "choices": [
            {"text": "=SOMME(A1:A3)", "credit": 100}, {"text": "=MOYENNE(A1:A3)", "credit": 0}]},
        {"kind": "true_false", "text": "Une formule commence par =", "answer": true}]}"#;
    ok_in(&server, &tr, tp, "quiz import Excel", doc).await;
    sqlx::query(
        "UPDATE quiz_questions SET draft = json_set(draft, '$.choices[1].credit', 100) \
         WHERE kind = 'single'",
    )
    .execute(p.store().pool())
    .await
    .unwrap();
    let err = refused(&server, &tr, tp, "quiz publish Formules", "").await;
    assert!(
        err.contains("Question : un choix unique n'admet qu'une bonne réponse")
            && err.contains("« 1. Somme de A1 à A3 ? »"),
        "{err}"
    );
    sqlx::query(
        "UPDATE quiz_questions SET draft = json_set(draft, '$.choices[1].credit', 0) \
         WHERE kind = 'single'",
    )
    .execute(p.store().pool())
    .await
    .unwrap();
    ok(&server, &tr, tp, "quiz publish Formules").await;

    // Léa answers the wrong formula and "vrai": 1 of 2, failed (pass mark 50 % … reached:
    // 50 %). The status says it with the score.
    let quiz = p.quiz_resolve(&lea, "Formules").await.unwrap();
    let view = p.attempt_start(&lea, quiz).await.unwrap();
    let q: Vec<i64> = view.questions.iter().map(|q| q.id).collect();
    p.attempt_answer(&lea, view.attempt_id, q[0], Some(Answer::Choices(vec![1])))
        .await
        .unwrap();
    p.attempt_submit(&lea, view.attempt_id).await.unwrap();
    let list = ok(&server, s, sp, "quiz list").await;
    assert!(
        list.contains("échoué · 0/2") && list.contains("1/1"),
        "{list}"
    );
    assert!(!list.contains("à faire"), "{list}");
    let mine = json(&server, s, sp, "quiz list --json").await;
    assert_eq!(mine[0]["status"], "failed", "{mine}");
    assert_eq!(mine[0]["best_score"], 0.0, "{mine}");

    // The trainer reads her answers: each question, given, expected, right or wrong.
    let out = ok(&server, &tr, tp, "quiz attempts Formules lea@example.fr").await;
    assert!(out.contains("Léa"), "{out}");
    assert!(out.contains("Tentative 1 — "), "{out}");
    assert!(out.contains("0/2 (0 %) · échoué"), "{out}");
    assert!(out.contains("✗ 1. Somme de A1 à A3 ? — 0/1"), "{out}");
    assert!(out.contains("Réponse : =MOYENNE(A1:A3)"), "{out}");
    assert!(out.contains("Attendu : =SOMME(A1:A3)"), "{out}");
    assert!(out.contains("Réponse : (sans réponse)"), "{out}");
    let j = json(
        &server,
        &tr,
        tp,
        "quiz attempts Formules lea@example.fr --json",
    )
    .await;
    assert_eq!(
        j["attempts"][0]["answers"][0]["given"]["value"][0], 1,
        "{j}"
    );
    assert_eq!(j["attempts"][0]["answers"][0]["earned"], 0.0, "{j}");

    // One more attempt and ten more minutes for her, recorded; she sees them.
    let err = refused(&server, &tr, tp, "quiz grant Formules lea@example.fr", "").await;
    assert!(err.contains("Rien à accorder"), "{err}");
    let out = ok(
        &server,
        &tr,
        tp,
        "quiz grant Formules lea@example.fr --attempts 1 --minutes 10",
    )
    .await;
    assert!(
        out.contains("Accordé à Léa") && out.contains("+1 tentative, +10 min"),
        "{out}"
    );
    let list = ok(&server, s, sp, "quiz list").await;
    assert!(list.contains("1/2"), "{list}");
    let mine = json(&server, s, sp, "quiz list --json").await;
    assert_eq!(mine[0]["max_attempts"], 2, "{mine}");
    assert_eq!(mine[0]["time_limit_minutes"], 30, "{mine}");
    assert_eq!(mine[0]["availability"], "open", "{mine}");
    let again = p.attempt_start(&lea, quiz).await.unwrap();
    let minutes = (again.deadline.unwrap() - again.started_at).num_minutes();
    assert_eq!(minutes, 30);
    let j = json(
        &server,
        &tr,
        tp,
        "quiz attempts Formules lea@example.fr --json",
    )
    .await;
    assert_eq!(j["grants"][0]["granted_by"], "prof@example.fr", "{j}");
    assert_eq!(j["extra_attempts"], 1, "{j}");
    let res = json(&server, &tr, tp, "quiz results Formules --json").await;
    assert_eq!(res["students"][0]["extra_minutes"], 10, "{res}");

    // Trainer only.
    for cmd in [
        "quiz attempts Formules lea@example.fr",
        "quiz grant Formules lea@example.fr --attempts 1",
    ] {
        let err = refused(&server, s, sp, cmd, "").await;
        assert!(err.contains("non autorisée"), "{cmd}: {err}");
    }
}
