//! Exec requests (no PTY) and authentication rules.

use std::time::{Duration, Instant};

use russh::ChannelMsg;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_whoami_and_unknown_command() {
    let server = TestServer::start().await;
    let email = server.trainer("Prof@Example.fr").await;
    let r = exec(server.addr(), &email, TRAINER_PASSWORD, "help", None).await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("whoami"), "{}", r.stdout);
    assert!(r.stdout.contains("affiche cette aide"), "{}", r.stdout);

    let r = exec(
        server.addr(),
        "prof@example.fr",
        TRAINER_PASSWORD,
        "whoami --json",
        None,
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["email"], "prof@example.fr");
    assert_eq!(v["role"], "trainer");
    assert_eq!(v["language"], "fr");

    let r = exec(server.addr(), &email, TRAINER_PASSWORD, "whoami", None).await;
    assert!(
        r.stdout.contains("Courriel :") && r.stdout.contains("Formateur"),
        "{}",
        r.stdout
    );

    let r = exec(
        server.addr(),
        &email,
        TRAINER_PASSWORD,
        "frobnicate --now",
        None,
    )
    .await;
    assert_ne!(r.status, Some(0));
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("Commande inconnue : « frobnicate »"),
        "{}",
        r.stderr
    );

    let r = exec(
        server.addr(),
        &email,
        TRAINER_PASSWORD,
        "whoami --bogus",
        None,
    )
    .await;
    assert_eq!(r.status, Some(2));
    assert!(
        r.stderr.contains("Option inconnue : « --bogus »"),
        "{}",
        r.stderr
    );

    let r = exec(
        server.addr(),
        &email,
        TRAINER_PASSWORD,
        "whoami 'unterminated",
        None,
    )
    .await;
    assert_eq!(r.status, Some(2));
    server.wait_sessions_drained(5).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shell_without_pty_explains_and_fails() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let h = login(server.addr(), &email, TRAINER_PASSWORD)
        .await
        .unwrap();
    let mut ch = h.channel_open_session().await.unwrap();
    ch.request_shell(true).await.unwrap();
    let (mut status, mut err) = (None, String::new());
    while let Some(msg) = ch.wait().await {
        match msg {
            ChannelMsg::ExtendedData { data, .. } => err.push_str(&String::from_utf8_lossy(&data)),
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            ChannelMsg::Close => break,
            _ => {}
        }
    }
    assert_eq!(status, Some(1));
    assert!(err.contains("ssh -t"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn student_activates_by_script_with_passwd_stdin() {
    let server = TestServer::start_with(true).await;
    let (email, code) = server.running.demo.as_ref().unwrap().students[0].clone();
    // The activation code logs in, but the account must choose a password.
    let r = exec(server.addr(), &email, &code, "whoami --json", None).await;
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["must_change_password"], true);
    assert_eq!(v["role"], "student");
    // A too-short password is refused, nothing changes.
    let r = exec(
        server.addr(),
        &email,
        &code,
        "passwd --stdin",
        Some(b"court\n"),
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("au moins 8"), "{}", r.stderr);
    let r = exec(
        server.addr(),
        &email,
        &code,
        "passwd --stdin",
        Some(b"ma phrase de passe\n"),
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    // The code is now void; the password works.
    assert!(login(server.addr(), &email, &code).await.is_none());
    let r = exec(server.addr(), &email, "ma phrase de passe", "help", None).await;
    assert_eq!(r.status, Some(0));
    // An active account gives current and new passwords on two lines.
    let r = exec(
        server.addr(),
        &email,
        "ma phrase de passe",
        "passwd --stdin",
        Some(b"nouvelle phrase\n"),
    )
    .await;
    assert_eq!(r.status, Some(1));
    let r = exec(
        server.addr(),
        &email,
        "ma phrase de passe",
        "passwd --stdin",
        Some(b"ma phrase de passe\r\nnouvelle phrase\r\n"),
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert!(
        login(server.addr(), &email, "nouvelle phrase")
            .await
            .is_some()
    );
}

/// The first-run trainer scripts the usual two lines (current, new): the new password is
/// the one kept — not the first line, which would leave the generated password in place
/// while saying "changed". Keeping one's password is refused, never reported as a change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_trainer_changes_the_generated_password_with_two_lines() {
    let server = TestServer::start().await;
    let first = server.initial_password.clone();
    let two_lines = format!("{first}\nNouveau-mot-2026!\n");
    let r = exec(
        server.addr(),
        "formateur",
        &first,
        "passwd --stdin",
        Some(two_lines.as_bytes()),
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert!(login(server.addr(), "formateur", &first).await.is_none());
    assert!(
        login(server.addr(), "formateur", "Nouveau-mot-2026!")
            .await
            .is_some()
    );
    // The same password again, as current and new: refused, named.
    let r = exec(
        server.addr(),
        "formateur",
        "Nouveau-mot-2026!",
        "passwd --stdin",
        Some(b"Nouveau-mot-2026!\nNouveau-mot-2026!\n"),
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("différent de l'actuel"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn student_first_pty_login_with_code_goes_to_student_home() {
    let server = TestServer::start_with(true).await;
    let (email, code) = server.running.demo.as_ref().unwrap().students[1].clone();
    let mut pty = Pty::open(server.addr(), &email, &code.to_lowercase(), 40, 15).await;
    pty.wait_for("Choisissez votre").await;
    pty.send(b"karim au tableau\tkarim au tableau\r").await;
    let home = pty.wait_for("Mes cours").await;
    assert!(
        !home.contains("Organismes"),
        "student sees trainer menu:\n{home}"
    );
    assert!(home.contains("Karim Benali"), "{home}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_user_are_indistinguishable() {
    // Timing only: the brute-force refusal (after 5 failures) is out of the picture.
    let server = TestServer::start_configured(false, |s| s.login_limits.max_failures = 1000).await;
    let email = server.trainer("prof@example.fr").await;
    let hasher = server.running.portail.hasher();
    let (mut right, mut wrong, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..3 {
        let before = hasher.verifications();
        // A fresh connection per attempt: a client changing user name mid-connection is cut.
        let mut h = connect(server.addr()).await;
        let t = Instant::now();
        let r = h
            .authenticate_password("nobody@example.fr", "whatever-pass")
            .await
            .unwrap();
        unknown.push(t.elapsed());
        assert!(!r.success());
        // The unknown user paid for a real argon2 verification.
        assert_eq!(hasher.verifications(), before + 1, "round {round}");

        let mut h = connect(server.addr()).await;
        let t = Instant::now();
        let r = h
            .authenticate_password(&email, "wrong-password")
            .await
            .unwrap();
        wrong.push(t.elapsed());
        assert!(!r.success());

        let mut fresh = connect(server.addr()).await;
        let t = Instant::now();
        assert!(
            fresh
                .authenticate_password(&email, TRAINER_PASSWORD)
                .await
                .unwrap()
                .success()
        );
        right.push(t.elapsed());
    }
    // The median of three: one sample caught in a busy moment (the whole suite runs in
    // parallel on two cores) must not decide.
    let mid = |v: &Vec<Duration>| {
        let mut v = v.clone();
        v.sort();
        v[v.len() / 2]
    };
    // Same order of magnitude: both paths cost one hash (loose bounds: the machine is noisy).
    assert!(
        mid(&unknown) * 4 > mid(&right),
        "unknown {unknown:?} vs right {right:?}"
    );
    assert!(
        mid(&wrong) * 4 > mid(&right),
        "wrong {wrong:?} vs right {right:?}"
    );
    assert!(
        mid(&wrong) < mid(&right) * 4 + Duration::from_millis(200),
        "wrong {wrong:?} vs right {right:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_six_password_attempts_per_connection() {
    // The per-connection counter only (the per-source limit would cut at the 6th failure).
    let server = TestServer::start_configured(false, |s| s.login_limits.max_failures = 1000).await;
    let email = server.trainer("prof@example.fr").await;
    let mut h = connect(server.addr()).await;
    for attempt in 1..=6 {
        let r = h.authenticate_password(&email, "not-the-password").await;
        assert!(
            matches!(r, Ok(ref r) if !r.success()),
            "attempt {attempt}: {r:?}"
        );
    }
    // The seventh try is not even checked: the right password does not get in,
    // and the connection is cut.
    let seventh = h
        .authenticate_password(&email, TRAINER_PASSWORD)
        .await
        .map(|r| r.success())
        .unwrap_or(false);
    assert!(!seventh, "a seventh attempt was accepted");
    assert!(
        h.authenticate_password(&email, TRAINER_PASSWORD)
            .await
            .is_err()
    );
    // A new connection works.
    assert!(
        login(server.addr(), &email, TRAINER_PASSWORD)
            .await
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabled_account_cannot_log_in() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let store = server.running.portail.store();
    sqlx::query("UPDATE users SET disabled = 1 WHERE email = ?1")
        .bind(&email)
        .execute(store.pool())
        .await
        .unwrap();
    assert!(
        login(server.addr(), &email, TRAINER_PASSWORD)
            .await
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_wrong_password_password_auth_is_still_offered() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let mut h = connect(server.addr()).await;
    match h
        .authenticate_password(&email, "typo in password")
        .await
        .unwrap()
    {
        russh::client::AuthResult::Failure {
            remaining_methods, ..
        } => assert!(
            remaining_methods.contains(&russh::MethodKind::Password),
            "password no longer offered: OpenSSH would give up"
        ),
        russh::client::AuthResult::Success => panic!("wrong password accepted"),
    }
    assert!(
        h.authenticate_password(&email, TRAINER_PASSWORD)
            .await
            .unwrap()
            .success()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_stdin_is_refused_without_hanging() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let flood = vec![b'a'; 200 * 1024];
    let r = exec(
        server.addr(),
        &email,
        TRAINER_PASSWORD,
        "passwd --stdin",
        Some(&flood),
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("trop volumineuse"), "{}", r.stderr);
    server.wait_sessions_drained(5).await;
}

/// `server stats`: the trainer reads the session measurements (keystrokes typed in a real
/// PTY session show up in the keystroke→frame histogram); a student may not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_stats_measure_keystrokes_for_the_trainer_only() {
    let server = TestServer::start_with(true).await;
    let email = server.trainer("prof@example.fr").await;
    let mut pty = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 80, 24).await;
    pty.send(b"j").await;
    pty.send(b"k").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = exec(
        server.addr(),
        &email,
        TRAINER_PASSWORD,
        "server stats --json",
        None,
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert!(v["key_frames"].as_u64().unwrap() >= 1, "{v}");
    assert!(v["key_to_frame_p99_us"].as_u64().unwrap() >= 1, "{v}");
    assert!(v["rss_kib"].as_u64().unwrap() > 0, "{v}");
    let r = exec(
        server.addr(),
        &email,
        TRAINER_PASSWORD,
        "server stats",
        None,
    )
    .await;
    assert!(r.stdout.contains("keystroke→frame"), "{}", r.stdout);

    let (student, code) = server.running.demo.as_ref().unwrap().students[0].clone();
    let r = exec(server.addr(), &student, &code, "server stats --json", None).await;
    assert_ne!(r.status, Some(0), "{}", r.stdout);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}
