//! The student's space through a real PTY: activation with the code, password choice,
//! "Mes cours", continue at the first lesson, mark it done, the resource's link (text and
//! OSC 8 hyperlink); then the trainer sees the new percentage.

use crate::harness::*;

async fn ok(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: Option<&[u8]>) -> String {
    let r = exec(server.addr(), user, pw, cmd, stdin).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

/// Esc, then a pause so the next key is not read as Alt+key.
async fn esc(pty: &mut Pty) {
    pty.send(b"\x1b").await;
    pty.settle(150).await;
}

const MANUAL: &str = "https://www.gnu.org/software/bash/manual/";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn student_activates_opens_a_lesson_and_marks_it_done() {
    let (server, tr, code) = classroom().await;
    let tp = TRAINER_PASSWORD;
    let un: &[u8] = "# Premiers pas\n\nTapez *ls* pour lister.".as_bytes();
    ok(&server, &tr, tp, "lesson add Shell --title Un", Some(un)).await;
    ok(
        &server,
        &tr,
        tp,
        "lesson add Shell --title Deux",
        Some(b"Suite."),
    )
    .await;
    ok(
        &server,
        &tr,
        tp,
        &format!("resource add Shell --title Manuel --url {MANUAL}"),
        None,
    )
    .await;
    ok(&server, &tr, tp, "course assign Shell --class K1", None).await;

    // Activation: the code logs in, a password must be chosen first.
    let mut pty = Pty::activate(
        server.addr(),
        "lea@example.fr",
        &code,
        "radium polonium",
        100,
        30,
    )
    .await;

    // Mes cours: the course, no progress yet.
    pty.send(b"1").await;
    let list = pty.wait_for("Mes cours (1)").await;
    assert!(list.contains("Shell"), "{list}");
    assert!(list.contains("0 %"), "{list}");
    assert!(list.contains("leçon 1"), "{list}");

    // Continue: the first lesson, rendered from Markdown.
    pty.send(b"\r").await;
    let lesson = pty.wait_for("Tapez ls pour lister.").await;
    assert!(lesson.contains("1. Un"), "{lesson}");
    assert!(lesson.contains("à faire"), "{lesson}");

    // Done: the flash and the bar say 50 %.
    pty.send(b"d").await;
    pty.wait_for("progression du cours : 50 %").await;
    let marked = pty.wait_for("✓ 1. Un").await;
    assert!(marked.contains("50 %"), "{marked}");

    // Resources: the link as text, and as an OSC 8 hyperlink in the raw output.
    esc(&mut pty).await;
    pty.send(b"jj").await; // Un → Deux → Ressources
    pty.wait_for("› ↗ Ressources (1)").await;
    pty.send(b"\r").await;
    let res = pty.wait_for(MANUAL).await;
    assert!(res.contains("Manuel"), "{res}");
    pty.settle(200).await;
    let osc8 = format!("\x1b]8;;{MANUAL}\x1b\\{MANUAL}\x1b]8;;\x1b\\");
    let raw = String::from_utf8_lossy(&pty.raw);
    assert!(raw.contains(&osc8), "no OSC 8 hyperlink for {MANUAL}");

    // The QR code on demand.
    pty.send(b"Q").await;
    let qr = pty.wait_for("Échap ou Entrée pour fermer").await;
    assert!(qr.contains('▀') || qr.contains('▄'), "{qr}");
    esc(&mut pty).await;

    pty.send(b"q").await;
    pty.wait_closed().await;
    assert_eq!(pty.exit_status, Some(0));

    // The trainer sees the new percentage.
    let parts: serde_json::Value =
        serde_json::from_str(&ok(&server, &tr, tp, "course participants Shell --json", None).await)
            .unwrap();
    assert_eq!(parts[0]["email"], "lea@example.fr");
    assert_eq!(parts[0]["progress_percent"], 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_participants_update_live_when_a_student_completes_a_lesson() {
    let (server, tr, code) = classroom().await;
    let tp = TRAINER_PASSWORD;
    ok(&server, &tr, tp, "lesson add Shell --title Un", Some(b"a")).await;
    ok(
        &server,
        &tr,
        tp,
        "lesson add Shell --title Deux",
        Some(b"b"),
    )
    .await;
    ok(&server, &tr, tp, "course assign Shell --class K1", None).await;
    let pw = "radium polonium";
    choose_password(server.addr(), "lea@example.fr", &code, pw).await;

    // The trainer watches the participants.
    let mut pty = Pty::login_as(server.addr(), &tr, tp, 100, 30).await;
    pty.send(b"4").await;
    pty.wait_for("Cours (1)").await;
    pty.send(b"p").await;
    let before = pty.wait_for("Léa").await;
    assert!(before.contains("  0 %"), "{before}");

    // The student completes a lesson elsewhere: the trainer's screen follows.
    ok(&server, "lea@example.fr", pw, "lesson done Shell 1", None).await;
    pty.wait_for(" 50 %").await;
    pty.send(b"q").await;
    pty.wait_closed().await;
}
