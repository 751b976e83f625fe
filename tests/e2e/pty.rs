//! Interactive sessions (PTY) seen through a terminal emulator.

use std::time::Duration;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_login_forces_a_new_password_then_lands_home() {
    let server = TestServer::start().await;
    let mut pty = Pty::open(server.addr(), "formateur", &server.initial_password, 80, 24).await;
    let screen = pty.wait_for("Choisissez votre mot de passe").await;
    assert!(screen.contains("Nouveau mot de passe"), "{screen}");
    // The terminal is in the alternate screen with bracketed paste on.
    assert!(pty.parser.screen().alternate_screen());
    // Esc does not skip the forced change.
    pty.send(b"\x1b").await;
    pty.settle(200).await;
    assert!(pty.screen().contains("Choisissez votre mot de passe"));
    // A common password is refused with a French message.
    pty.send(b"password\tpassword\r").await;
    pty.wait_for("trop courant").await;
    pty.send(b"radium et polonium\tradium et polonium\r").await;
    let home = pty.wait_for("Mon compte").await;
    for entry in ["Organismes", "Classes", "Étudiants", "Cours", "Messages"] {
        assert!(home.contains(entry), "{entry} missing:\n{home}");
    }
    assert!(home.contains("Mot de passe enregistré"), "{home}");
    // The old password no longer works, the new one does, without forced change.
    assert!(
        login(server.addr(), "formateur", &server.initial_password)
            .await
            .is_none()
    );
    let _again = Pty::login_as(
        server.addr(),
        "formateur@portail.local",
        "radium et polonium",
        80,
        24,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arrow_keys_in_both_cursor_modes_help_and_quit_restore_the_terminal() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let mut pty = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 80, 24).await;
    // Down ×5 in normal mode (ESC [ B) then application mode (ESC O B), in one packet.
    pty.send(b"\x1b[B\x1b[B\x1b[B\x1bOB\x1bOB\r").await;
    pty.wait_for("Courriel").await; // "Mon compte" opened
    pty.send(b"?").await;
    pty.wait_for("Aide").await;
    pty.send(b"\x1b").await;
    pty.wait_until(|s| !s.contains("Échap ou ? pour fermer"), "help closed")
        .await;
    pty.send(b"\x1bOA\x1b[A").await; // up twice: no crash on wrap-around
    pty.send(b"q").await;
    pty.wait_closed().await;
    assert_eq!(pty.exit_status, Some(0));
    let raw = String::from_utf8_lossy(&pty.raw);
    let tail = &raw[raw.rfind("\x1b[?1049l").expect("left the alternate screen")..];
    assert!(raw.contains("\x1b[?25h"), "cursor shown again");
    assert!(
        tail.contains("À bientôt"),
        "farewell after leaving: {tail:?}"
    );
    assert!(!pty.parser.screen().alternate_screen());
    server.wait_sessions_drained(5).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layouts_from_phone_to_wide_and_too_small() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let mut pty = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 40, 15).await;
    let phone = pty.wait_for("Mon compte").await;
    assert!(phone.contains("Organismes"), "{phone}");
    pty.resize(30, 10).await;
    pty.wait_for("Fenêtre trop petite").await;
    pty.resize(160, 48).await;
    let wide = pty.wait_for("Organismes").await;
    assert!(!wide.contains("trop petite"), "{wide}");
    pty.resize(80, 24).await;
    pty.wait_for("Organismes").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absurd_pty_sizes_are_clamped() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    // 0×0 is read as "unknown" and drawn at 80×24.
    let mut pty = Pty::open(server.addr(), &email, TRAINER_PASSWORD, 0, 0).await;
    set_size(&mut pty.parser, 24, 80);
    pty.wait_for("Organismes").await;
    pty.resize(65535, 65535).await;
    pty.wait_for("Organismes").await;
    pty.send(b"j").await;
    pty.settle(100).await;
    // The session is still alive and usable.
    pty.send(b"q").await;
    pty.wait_closed().await;
    let _big = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 65535, 65535).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_bytes_and_truncated_sequences_leave_the_session_alive() {
    let server = TestServer::start().await;
    // The password form: every printable byte is just typed, so random input cannot
    // legitimately leave the screen (only Ctrl-C / Ctrl-D quit, and they are left out).
    let mut pty = Pty::open(server.addr(), "formateur", &server.initial_password, 80, 24).await;
    pty.wait_for("Choisissez votre mot de passe").await;
    let mut x: u32 = 0xdecafbad;
    for _ in 0..50 {
        let chunk: Vec<u8> = (0..64)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                match x as u8 {
                    3 | 4 => b'x',
                    b => b,
                }
            })
            .collect();
        pty.send(&chunk).await;
    }
    pty.send(b"\x1b[").await; // truncated CSI
    pty.send(b"\x1b[1;").await;
    pty.send(&[0xe2, 0x82]).await; // truncated UTF-8
    pty.settle(300).await;
    assert!(
        pty.screen().contains("Choisissez votre mot de passe"),
        "{}",
        pty.screen()
    );
    // Whatever state the garbage left (at most one pending sequence), the session still
    // works: clear both fields, fill them, submit.
    pty.send(b"\x1b").await;
    pty.settle(100).await;
    pty.send(b"\x15toujours vivant\t\x15toujours vivant\r")
        .await;
    pty.settle(300).await;
    pty.send(b"\r").await;
    pty.wait_for("Organismes").await;
    assert!(
        login(server.addr(), "formateur", "toujours vivant")
            .await
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_disconnecting_mid_session_ends_the_task() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    for _ in 0..3 {
        let mut pty = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 120, 40).await;
        // Ask for a redraw (resize) and vanish without reading it.
        pty.resize(160, 48).await;
        pty.send(b"jjjj").await;
        drop(pty);
    }
    server.wait_sessions_drained(10).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bracketed_paste_reaches_the_password_form() {
    let server = TestServer::start().await;
    let mut pty = Pty::open(server.addr(), "formateur", &server.initial_password, 80, 24).await;
    pty.wait_for("Choisissez votre mot de passe").await;
    pty.send(b"\x1b[200~une phrase coll\xc3\xa9e\x1b[201~\t")
        .await;
    pty.send(b"\x1b[200~une phrase coll").await;
    pty.send(b"\xc3\xa9e\x1b[201~\r").await;
    pty.wait_for("Organismes").await;
    assert!(
        login(server.addr(), "formateur", "une phrase collée")
            .await
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_is_selectable_and_kept_for_the_next_session() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let mut pty = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 80, 24).await;
    pty.send(b"6").await;
    pty.wait_for("Langue").await;
    pty.send(b"j\r").await; // "Mes informations" first, then "Langue"
    pty.wait_for("Language saved").await;
    pty.send(b"\x1b").await;
    pty.wait_for("My account").await;
    let next = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 80, 24).await;
    assert!(next.screen().contains("Organisations"), "{}", next.screen());
    let r = exec(server.addr(), &email, TRAINER_PASSWORD, "nope", None).await;
    assert!(r.stderr.contains("Unknown command"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_gives_open_sessions_a_notice_and_a_clean_terminal() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let mut pty = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 80, 24).await;
    let TestServer { running, dir, .. } = server;
    let stop = tokio::spawn(running.shutdown());
    pty.wait_closed().await;
    let raw = String::from_utf8_lossy(&pty.raw);
    assert!(raw.contains("s'arrête"), "notice missing");
    assert!(!pty.parser.screen().alternate_screen());
    tokio::time::timeout(Duration::from_secs(10), stop)
        .await
        .expect("shutdown finishes")
        .unwrap();
    drop(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_of_input_ends_the_session_cleanly() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let mut pty = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 80, 24).await;
    pty.eof().await; // like `ssh -tt host </dev/null`
    pty.wait_closed().await;
    assert_eq!(pty.exit_status, Some(0));
    assert!(!pty.parser.screen().alternate_screen());
    server.wait_sessions_drained(5).await;
}
