//! The student's space through exec commands, and the trainer's progress views.

use crate::harness::*;

async fn ok(server: &TestServer, user: &str, pw: &str, cmd: &str) -> String {
    let r = exec(server.addr(), user, pw, cmd, None).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

async fn json(server: &TestServer, user: &str, pw: &str, cmd: &str) -> serde_json::Value {
    serde_json::from_str(&ok(server, user, pw, cmd).await).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn student_courses_lessons_progress_and_trainer_views() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    ok(&server, &tr, tp, "org add --name Alpha").await;
    ok(&server, &tr, tp, "class add --org Alpha --name K1").await;
    let out = ok(
        &server,
        &tr,
        tp,
        "student add --email lea@example.fr --first-name Léa --class K1",
    )
    .await;
    let code = activation_code(&out);
    ok(&server, &tr, tp, "course add --title Shell --published").await;
    ok(&server, &tr, tp, "course add --title Secret --published").await;
    ok(&server, &tr, tp, "course add --title Brouillon").await;
    for (course, title) in [("Shell", "Un"), ("Shell", "Deux"), ("Secret", "S")] {
        let r = exec(
            server.addr(),
            &tr,
            tp,
            &format!("lesson add {course} --title {title}"),
            Some(b"texte"),
        )
        .await;
        assert_eq!(r.status, Some(0), "{}", r.stderr);
    }
    ok(
        &server,
        &tr,
        tp,
        "resource add Shell --title Manuel --url https://www.gnu.org/software/bash/manual/",
    )
    .await;
    ok(
        &server,
        &tr,
        tp,
        "course assign Shell --class K1 --start 2026-09-01",
    )
    .await;
    let draft = ok(&server, &tr, tp, "course assign Brouillon --class K1").await;
    assert!(draft.contains("brouillon"), "{draft}");

    // With only the activation code: everything but passwd/whoami/help is refused.
    let r = exec(server.addr(), "lea@example.fr", &code, "courses", None).await;
    assert_ne!(r.status, Some(0));
    assert!(
        r.stderr.contains("Choisissez d'abord votre mot de passe"),
        "{}",
        r.stderr
    );
    let r = exec(
        server.addr(),
        "lea@example.fr",
        &code,
        "passwd --stdin",
        Some(b"lea apprend le shell\n"),
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    let (s, sp) = ("lea@example.fr", "lea apprend le shell");

    let help = ok(&server, s, sp, "help").await;
    assert!(
        help.contains("courses") && help.contains("lesson done") && !help.contains("org "),
        "{help}"
    );
    let mine = json(&server, s, sp, "courses --json").await;
    let mine = mine.as_array().unwrap();
    assert_eq!(
        mine.len(),
        1,
        "draft and unassigned courses are hidden: {mine:?}"
    );
    assert_eq!(mine[0]["title"], "Shell");
    assert_eq!(mine[0]["start_date"], "2026-09-01");
    assert_eq!(mine[0]["next_lesson"], 1);
    let text = ok(&server, s, sp, "courses").await;
    assert!(text.contains("leçon 1") && text.contains("0 %"), "{text}");
    let shown = json(&server, s, sp, "course show shell --json").await;
    assert_eq!(shown["lessons"].as_array().unwrap().len(), 2);
    assert_eq!(
        shown["resources"][0]["url"],
        "https://www.gnu.org/software/bash/manual/"
    );
    assert!(
        ok(&server, s, sp, "course show Shell")
            .await
            .contains("[ ] 1. Un")
    );

    // Another course is refused exactly like a missing one.
    let secret = exec(server.addr(), s, sp, "course show Secret", None).await;
    let missing = exec(server.addr(), s, sp, "course show Inexistant", None).await;
    assert_eq!(secret.status, missing.status);
    assert_ne!(secret.status, Some(0));
    assert_eq!(
        secret.stderr.replace("Secret", "X"),
        missing.stderr.replace("Inexistant", "X")
    );
    let by_id = exec(server.addr(), s, sp, "course show 2", None).await;
    assert!(
        by_id.stderr.contains("Cours introuvable"),
        "{}",
        by_id.stderr
    );
    let r = exec(server.addr(), s, sp, "lesson done Secret 1", None).await;
    assert!(r.stderr.contains("Cours introuvable"), "{}", r.stderr);
    // A student's `course list` is her `courses`.
    let r = exec(server.addr(), s, sp, "course list", None).await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout, ok(&server, s, sp, "courses").await);

    let done = ok(&server, s, sp, "lesson done Shell 1").await;
    assert!(done.contains("50 %"), "{done}");
    ok(&server, s, sp, "lesson done Shell deux").await;
    let undone = ok(&server, s, sp, "lesson done Shell 2 --undo").await;
    assert!(undone.contains("50 %"), "{undone}");
    assert_eq!(
        json(&server, s, sp, "progress --json").await[0]["progress_percent"],
        50
    );

    // The trainer sees it.
    let parts = json(&server, &tr, tp, "course participants Shell --json").await;
    assert_eq!(parts[0]["progress_percent"], 50);
    assert_eq!(parts[0]["status"], "active");
    let prog = json(&server, &tr, tp, "progress --class K1 --json").await;
    assert_eq!(prog.as_array().unwrap().len(), 2); // Shell and the draft course
    let prog = json(
        &server,
        &tr,
        tp,
        "progress --course Shell --student lea@example.fr --json",
    )
    .await;
    assert_eq!(prog[0]["completed_lessons"], 1);
    let log = json(
        &server,
        &tr,
        tp,
        "activity --student lea@example.fr --since 2020-01-01 --json",
    )
    .await;
    let kinds: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"login")
            && kinds.contains(&"lesson_completed")
            && kinds.contains(&"lesson_reopened"),
        "{kinds:?}"
    );
    assert!(
        ok(&server, &tr, tp, "activity")
            .await
            .contains("leçon terminée")
    );
    let r = exec(server.addr(), s, sp, "activity", None).await;
    assert!(r.stderr.contains("non autorisée"), "{}", r.stderr);

    // Removed from the class: the course goes, the progress stays for when it comes back.
    ok(&server, &tr, tp, "class members rm K1 lea@example.fr").await;
    assert!(
        json(&server, s, sp, "courses --json")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    ok(&server, &tr, tp, "class members add K1 lea@example.fr").await;
    assert_eq!(
        json(&server, s, sp, "courses --json").await[0]["progress_percent"],
        50
    );

    // Disabled: no login at all.
    ok(&server, &tr, tp, "student disable lea@example.fr").await;
    assert!(login(server.addr(), s, sp).await.is_none());
}
