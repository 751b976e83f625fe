//! Messaging through real PTYs: a trainer and a student connected at once; the student
//! writes from the TUI and the trainer's screen shows it with no key pressed; a body full
//! of escape sequences sent by exec reaches the trainer's terminal neutralized; a draft
//! survives a dropped connection.

use std::time::Duration;

use crate::harness::*;

const STUDENT: &str = "lea@example.fr";
const STUDENT_PW: &str = "une phrase eleve";

async fn ok(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: &[u8]) -> String {
    let r = exec(server.addr(), user, pw, cmd, Some(stdin)).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

/// A trainer, a class K and the student Léa in it (password chosen).
async fn setup() -> (TestServer, String) {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    ok(&server, &tr, tp, "org add --name Alpha", b"").await;
    ok(&server, &tr, tp, "class add --org Alpha --name K", b"").await;
    let out = ok(
        &server,
        &tr,
        tp,
        &format!("student add --email {STUDENT} --first-name Léa --last-name Bernard --class K"),
        b"",
    )
    .await;
    let code = activation_code(&out);
    choose_password(server.addr(), STUDENT, &code, STUDENT_PW).await;
    (server, tr)
}

/// Waits until only `n` channel tasks are left.
async fn wait_sessions(server: &TestServer, n: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while server.running.active_sessions() > n {
        assert!(
            tokio::time::Instant::now() < deadline,
            "sessions still open"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_messages_injection_and_drafts_across_two_sessions() {
    let (server, tr) = setup().await;

    // Both connected at once; each on its Messages screen.
    let mut trainer = Pty::login_as(server.addr(), &tr, TRAINER_PASSWORD, 100, 30).await;
    trainer.send(b"5").await;
    trainer.wait_for("Aucune conversation").await;
    let mut student = Pty::login_as(server.addr(), STUDENT, STUDENT_PW, 100, 30).await;
    student.send(b"2").await;
    student.wait_for("Aucune conversation").await;

    // (a) The student writes from the TUI: n, two lines, Ctrl-S.
    student.send(b"n").await;
    student.wait_for("Ctrl-S/Alt-Entrée envoyer").await;
    student
        .send("Bonjour prof 😀\rune question sur le TP".as_bytes())
        .await;
    student.wait_for("une question sur le TP").await;
    student.send(b"\x13").await;
    student.wait_for("Message envoyé.").await;

    // The trainer's list shows it, and the badge, without any key pressed.
    let list = trainer.wait_for("Bonjour prof").await;
    assert!(list.contains("Léa Bernard"), "{list}");
    let list = trainer.wait_for("✉ 1").await;
    assert!(list.contains("● Léa Bernard"), "{list}");

    // Opening the thread reads it: the badge goes away.
    trainer.send(b"\r").await;
    let thread = trainer.wait_for("une question sur le TP").await;
    assert!(thread.contains("Léa Bernard ·"), "{thread}");
    trainer
        .wait_until(|s| !s.contains('✉'), "the badge to go")
        .await;

    // A second message lands in the open thread, still without a key.
    student.send(b"r").await;
    student.wait_for("Votre message").await;
    student.send(b"Deuxi\xc3\xa8me message").await;
    student.wait_for("Deuxième message").await;
    student.send(b"\x13").await;
    trainer.wait_for("Deuxième message").await;

    // (b) Escape sequences sent by exec reach the trainer's terminal neutralized.
    let evil = "Attention\x1b]52;c;SGVsbG8=\x07\x1b[2J\u{202E} fin du piège";
    ok(
        &server,
        STUDENT,
        STUDENT_PW,
        "message send --to trainer",
        evil.as_bytes(),
    )
    .await;
    let screen = trainer.wait_for("fin du piège").await;
    assert!(screen.contains("Attention]52;c;SGVsbG8=[2J"), "{screen}");
    // The rest of the UI is intact: header, earlier messages, status bar.
    assert!(screen.contains("Portail"), "{screen}");
    assert!(screen.contains("Deuxième message"), "{screen}");
    assert!(screen.contains("r écrire"), "{screen}");
    let raw = String::from_utf8_lossy(&trainer.raw);
    assert!(!raw.contains("\x1b]52"), "OSC 52 reached the terminal");
    assert!(
        !raw.contains('\u{202E}'),
        "bidi override reached the terminal"
    );

    // (c) A draft typed, the connection dropped: restored at the next login.
    student.send(b"r").await;
    student.wait_for("Votre message").await;
    student.send("brouillon à garder".as_bytes()).await;
    student.wait_for("brouillon à garder").await;
    drop(student);
    wait_sessions(&server, 1).await;
    let mut again = Pty::login_as(server.addr(), STUDENT, STUDENT_PW, 100, 30).await;
    again.send(b"2").await;
    again.wait_for("Formateur").await;
    again.send(b"n").await;
    let restored = again.wait_for("brouillon à garder").await;
    assert!(restored.contains("Votre message"), "{restored}");
    again.wait_for("Brouillon retrouvé.").await;

    // While typing, the draft is saved every 2 s (no need to leave): another session of
    // the same student, opened meanwhile, finds it.
    again.send(b" et plus").await;
    again.wait_for("brouillon à garder et plus").await;
    again.settle(2600).await;
    let mut third = Pty::login_as(server.addr(), STUDENT, STUDENT_PW, 100, 30).await;
    third.send(b"2").await;
    third.wait_for("Formateur").await;
    third.send(b"n").await;
    third.wait_for("brouillon à garder et plus").await;
    third.send(b"\x1b").await;
    third.settle(150).await;
    third.send(b"q").await;
    third.wait_closed().await;

    // The trainer never had to press a key for any of it; leave cleanly.
    trainer.send(b"q").await;
    trainer.wait_closed().await;
    again.send(b"\x1b").await;
    again.settle(150).await;
    again.send(b"q").await;
    again.wait_closed().await;
}
