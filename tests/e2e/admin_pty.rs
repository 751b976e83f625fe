//! The trainer's administration through the full-screen interface: organisation, class,
//! student (with the activation code shown once), membership and course, each seen in its
//! list, as a person would see them.

use crate::harness::*;

const CTRL_S: &[u8] = b"\x13";

/// Esc, then a pause so the next key is not read as Alt+key.
async fn esc(pty: &mut Pty) {
    pty.send(b"\x1b").await;
    pty.settle(150).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_creates_org_class_student_course_through_the_screens() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let mut pty = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 100, 30).await;

    // Organisation.
    pty.send(b"1").await;
    pty.wait_for("Organismes (0)").await;
    pty.send(b"n").await;
    pty.wait_for("Nouvel organisme").await;
    pty.send("Greta Lyon Métropole\t12345".as_bytes()).await;
    pty.send(CTRL_S).await;
    // The service names the faulty field; the form stays filled in.
    pty.wait_for("SIRET : un SIRET a 14 chiffres").await;
    pty.send(b"\x15").await; // Ctrl-U clears the SIRET
    pty.send(CTRL_S).await;
    let list = pty.wait_for("Organismes (1)").await;
    assert!(list.contains("Greta Lyon Métropole"), "{list}");
    assert!(list.contains("Enregistré."), "{list}");
    esc(&mut pty).await;

    // Class in it: the organisation is picked from the list (the only one, preselected).
    pty.send(b"2").await;
    pty.wait_for("Classes (0)").await;
    pty.send(b"n").await;
    pty.wait_for("‹ Greta Lyon Métropole ›").await;
    pty.send(b"\tDWWM 2026\t2026-09-01\t2027-06-30\r").await;
    let list = pty.wait_for("Classes (1)").await;
    assert!(list.contains("DWWM 2026"), "{list}");
    assert!(list.contains("2026-09-01"), "{list}");
    esc(&mut pty).await;

    // Student: the activation code is shown once.
    pty.send(b"3").await;
    pty.wait_for("Étudiants (0)").await;
    pty.send(b"n").await;
    pty.wait_for("Nouvel étudiant").await;
    pty.send("lea.bernard@example.fr\tLéa\tBernard".as_bytes())
        .await;
    pty.send(CTRL_S).await;
    let shown = pty.wait_for("Code d'activation de Léa Bernard").await;
    let code = shown
        .lines()
        .skip_while(|l| !l.contains("Code d'activation de Léa Bernard"))
        .skip(1)
        .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .find(|l| !l.is_empty())
        .expect("code line")
        .to_string();
    assert_eq!(code.len(), 14, "{code:?} in\n{shown}");
    pty.send(b"\r").await;
    let list = pty
        .wait_until(
            |s| s.contains("Étudiants (1)") && !s.contains("Code d'activation de"),
            "student list",
        )
        .await;
    assert!(list.contains("Léa Bernard"), "{list}");
    assert!(list.contains("code d'activa"), "{list}");
    // The code shown is the one that works.
    assert!(
        login(server.addr(), "lea.bernard@example.fr", &code)
            .await
            .is_some()
    );
    esc(&mut pty).await;

    // Membership: pick the student from the searchable list.
    pty.send(b"2").await;
    pty.wait_for("DWWM 2026").await;
    pty.send(b"\r").await;
    pty.wait_for("Membres de").await;
    pty.send(b"a").await;
    pty.wait_for("[ ] Léa Bernard").await;
    pty.send(b"/lea").await;
    pty.wait_for("/ lea").await;
    pty.send(b"\r \r").await;
    let members = pty
        .wait_until(
            |s| s.contains("Membres de") && s.contains("Léa Bernard"),
            "member added",
        )
        .await;
    assert!(members.contains("lea.bernard@example.fr"), "{members}");
    esc(&mut pty).await;
    esc(&mut pty).await;

    // Course.
    pty.send(b"4").await;
    pty.wait_for("Cours (0)").await;
    pty.send(b"n").await;
    pty.wait_for("Nouveau cours").await;
    pty.send("Rust pour débutants".as_bytes()).await;
    pty.send(CTRL_S).await;
    let list = pty.wait_for("Cours (1)").await;
    assert!(list.contains("Rust pour débutants"), "{list}");
    assert!(list.contains("brouillon"), "{list}");

    // A lesson, read back rendered.
    pty.send(b"\r").await;
    pty.wait_for("Leçons (0)").await;
    pty.send(b"n").await;
    pty.wait_for("Nouvelle leçon").await;
    pty.send(b"Les variables\t# Bases\r\rUne *variable*.").await;
    pty.send(CTRL_S).await;
    pty.wait_for("Leçons (1)").await;
    pty.send(b"\r").await;
    let lesson = pty.wait_for("Une variable.").await;
    assert!(lesson.contains("1. Les variables"), "{lesson}");
    assert!(
        lesson.contains("Bases") && !lesson.contains("# Bases"),
        "{lesson}"
    );

    pty.send(b"q").await;
    pty.wait_closed().await;
    assert_eq!(pty.exit_status, Some(0));
}
