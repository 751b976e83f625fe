//! Protection: brute force (with the real OpenSSH client), the authentication deadline,
//! connection limits, sessions per account, one PTY per connection, the idle timeout, and
//! the security log. (Attempts per connection: `exec.rs`.)

use std::net::SocketAddr;
use std::process::Command;
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpSocket, TcpStream};

use crate::harness::*;
use crate::ssh_flood::in_key_exchange;

/// The real OpenSSH client through sshpass, from the loopback address `source`.
fn openssh(addr: SocketAddr, source: &str, user: &str, password: &str, cmd: &str) -> (i32, String) {
    let out = Command::new("sshpass")
        .args(["-p", password, "ssh"])
        .args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
        ])
        .args(["-o", "LogLevel=ERROR", "-o", "PubkeyAuthentication=no"])
        .args([
            "-o",
            "PreferredAuthentications=password",
            "-o",
            "NumberOfPasswordPrompts=1",
        ])
        .args(["-o", "ConnectTimeout=10", "-b", source])
        .args([
            "-p",
            &addr.port().to_string(),
            &format!("{user}@127.0.0.1"),
            cmd,
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("sshpass and ssh are installed (see .ci/run)");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

async fn openssh_async(
    addr: SocketAddr,
    source: &'static str,
    user: &str,
    password: &str,
    cmd: &str,
) -> (i32, String) {
    let (user, password, cmd) = (user.to_string(), password.to_string(), cmd.to_string());
    tokio::task::spawn_blocking(move || openssh(addr, source, &user, &password, &cmd))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_openssh_source_refused_after_five_failures_other_source_still_works() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let addr = server.addr();
    for i in 0..5 {
        let (code, out) = openssh_async(addr, "127.0.0.1", &tr, "pas le bon mot", "whoami").await;
        assert_ne!(code, 0, "wrong password {i} accepted");
        assert!(!out.contains("prof@example.fr"));
    }
    // Sixth try from the same source, right password: refused.
    let (code, out) = openssh_async(addr, "127.0.0.1", &tr, TRAINER_PASSWORD, "whoami").await;
    assert_ne!(code, 0, "source not refused after 5 failures: {out}");
    // The real user, from another address, logs in (the account is not locked).
    let (code, out) = openssh_async(addr, "127.0.0.2", &tr, TRAINER_PASSWORD, "whoami").await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("prof@example.fr"));
    // The trainer sees the failures, the refusal, who tried and from where.
    let (code, out) = openssh_async(
        addr,
        "127.0.0.2",
        &tr,
        TRAINER_PASSWORD,
        "security log --json --limit 50",
    )
    .await;
    assert_eq!(code, 0, "{out}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let count = |o: &str| rows.iter().filter(|r| r["outcome"] == o).count();
    assert_eq!(count("failed"), 5, "{out}");
    assert_eq!(count("refused"), 1, "{out}");
    assert!(
        rows.iter()
            .all(|r| r["source"] == "127.0.0.1" && r["login"] == tr)
    );
    // The text form, in French.
    let (code, out) = openssh_async(addr, "127.0.0.2", &tr, TRAINER_PASSWORD, "security log").await;
    assert_eq!(code, 0);
    assert!(out.contains("Identifiant essayé") && out.contains("refusé (trop d'échecs)"));
    assert!(out.contains("127.0.0.1"));
}

/// A student activated with a known password.
async fn student(server: &TestServer, trainer: &str, email: &str) -> &'static str {
    let r = exec(
        server.addr(),
        trainer,
        TRAINER_PASSWORD,
        &format!("student add --email {email} --first-name Eve"),
        None,
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    let code = activation_code(&r.stdout);
    let r = exec(
        server.addr(),
        email,
        &code,
        "passwd --stdin",
        Some(b"une phrase eleve\n"),
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    "une phrase eleve"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_log_is_refused_to_students() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let pw = student(&server, &tr, "eve@example.fr").await;
    let r = exec(server.addr(), "eve@example.fr", pw, "security log", None).await;
    assert_eq!(r.status, Some(1));
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("non autorisée"), "{}", r.stderr);
    let r = exec(
        server.addr(),
        &tr,
        TRAINER_PASSWORD,
        "security log --limit 0",
        None,
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("--limit"), "{}", r.stderr);
}

/// Connects from a loopback `source` address; reads the server's first bytes.
async fn raw(addr: SocketAddr, source: &str) -> TcpStream {
    let sock = TcpSocket::new_v4().unwrap();
    sock.bind(format!("{source}:0").parse().unwrap()).unwrap();
    sock.connect(addr).await.unwrap()
}

/// Logs in, or `None` when the connection is refused (the harness's `login` would panic).
async fn try_login(
    addr: SocketAddr,
    user: &str,
) -> Option<russh::client::Handle<crate::harness::Client>> {
    let config = std::sync::Arc::new(russh::client::Config::default());
    let mut h = russh::client::connect(config, addr, crate::harness::Client)
        .await
        .ok()?;
    let ok = h
        .authenticate_password(user, TRAINER_PASSWORD)
        .await
        .map(|r| r.success())
        .unwrap_or(false);
    ok.then_some(h)
}

/// Whether the server greets this connection (banner) or closes it at once.
async fn greeted(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 64];
    match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
        Ok(Ok(n)) if n > 0 => buf.starts_with(b"SSH-2.0-"),
        Ok(_) => false,
        Err(_) => panic!("neither greeted nor closed"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_unauthenticated_connections_are_limited_in_all_and_per_source() {
    let server = TestServer::start_configured(false, |s| {
        s.limits.max_unauthenticated = 3;
        s.limits.max_unauthenticated_per_source = 2;
        s.limits.reserved_for_known = 0;
    })
    .await;
    let tr = server.trainer("prof@example.fr").await;
    let addr = server.addr();
    // Connections in key exchange (an idle one would be shed for a newcomer: ssh_flood.rs).
    let a1 = in_key_exchange(addr, "127.0.0.1").await.expect("greeted");
    let _a2 = in_key_exchange(addr, "127.0.0.1").await.expect("greeted");
    // A third from the same source: closed before any SSH byte.
    let mut a3 = raw(addr, "127.0.0.1").await;
    assert!(
        !greeted(&mut a3).await,
        "third connection from one source greeted"
    );
    // Another source still gets in, until the total is reached.
    let _b1 = in_key_exchange(addr, "127.0.0.2").await.expect("greeted");
    let mut c1 = raw(addr, "127.0.0.3").await;
    assert!(!greeted(&mut c1).await, "connection over the total greeted");
    // A place is given back when a connection goes away…
    drop(a1);
    let deadline = Instant::now() + Duration::from_secs(10);
    let h = loop {
        if let Some(h) = try_login(addr, &tr).await {
            break h;
        }
        assert!(Instant::now() < deadline, "place never given back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // … and a logged-in connection does not hold one.
    let mut c2 = raw(addr, "127.0.0.3").await;
    assert!(greeted(&mut c2).await, "logged-in connection still counted");
    drop(h);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_connection_not_logged_in_within_the_deadline_is_cut() {
    let server = TestServer::start_configured(false, |s| {
        s.limits.auth_timeout = Duration::from_secs(2);
    })
    .await;
    let tr = server.trainer("prof@example.fr").await;
    // Silent after the banner (no SSH identification): cut at the deadline.
    let start = Instant::now();
    let mut s = raw(server.addr(), "127.0.0.1").await;
    assert!(greeted(&mut s).await);
    let mut buf = [0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
        .await
        .expect("connection cut in time")
        .unwrap_or(0);
    assert_eq!(n, 0, "still open");
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(1900) && waited < Duration::from_secs(8),
        "{waited:?}"
    );
    // After the key exchange, not logging in: cut as well.
    let mut h = connect(server.addr()).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let late = h.authenticate_password(&tr, TRAINER_PASSWORD).await;
    assert!(
        !matches!(late, Ok(r) if r.success()),
        "logged in after the deadline"
    );
    // Logging in in time: the connection stays open past the deadline.
    let h = login(server.addr(), &tr, TRAINER_PASSWORD)
        .await
        .expect("login");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let mut ch = h.channel_open_session().await.expect("still connected");
    ch.exec(true, "whoami").await.unwrap();
    let mut out = String::new();
    while let Some(msg) = ch.wait().await {
        if let ChannelMsg::Data { data } = msg {
            out.push_str(&String::from_utf8_lossy(&data));
        }
    }
    assert!(out.contains("prof@example.fr"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_sessions_per_account_are_limited() {
    let server = TestServer::start_configured(false, |s| {
        s.limits.max_sessions_per_user = 2;
    })
    .await;
    let tr = server.trainer("prof@example.fr").await;
    let mut p1 = Pty::login_as(server.addr(), &tr, TRAINER_PASSWORD, 80, 24).await;
    let p2 = Pty::login_as(server.addr(), &tr, TRAINER_PASSWORD, 80, 24).await;
    // A third session of the same account: refused, in French, with a status.
    let r = exec(server.addr(), &tr, TRAINER_PASSWORD, "whoami", None).await;
    assert_eq!(r.status, Some(1));
    assert!(
        r.stderr.contains("Trop de sessions ouvertes"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2 au plus"), "{}", r.stderr);
    // Another account is not affected.
    let other = server.trainer("autre@example.fr").await;
    let r = exec(server.addr(), &other, TRAINER_PASSWORD, "whoami", None).await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    // Closing one gives its place back.
    p1.send(b"q").await;
    p1.wait_closed().await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let r = exec(server.addr(), &tr, TRAINER_PASSWORD, "whoami", None).await;
        if r.status == Some(0) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "place not given back: {}",
            r.stderr
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(p2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_one_pty_per_connection() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let h = login(server.addr(), &tr, TRAINER_PASSWORD)
        .await
        .expect("login");
    let first = h.channel_open_session().await.unwrap();
    first
        .request_pty(true, "xterm", 80, 24, 0, 0, &[])
        .await
        .unwrap();
    first.request_shell(true).await.unwrap();
    let (mut first_reader, _first_writer) = first.split();
    // Wait for the first screen so the PTY is held.
    let mut screen = emulator(24, 80);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !screen.screen().contents().contains("Organismes") {
        assert!(Instant::now() < deadline, "first session never drew");
        if let Ok(Some(ChannelMsg::Data { data })) =
            tokio::time::timeout(Duration::from_secs(10), first_reader.wait()).await
        {
            screen.process(&data);
        }
    }
    // A second PTY on the same connection: refused, and so is its shell.
    let mut second = h.channel_open_session().await.unwrap();
    second
        .request_pty(true, "xterm", 80, 24, 0, 0, &[])
        .await
        .unwrap();
    second.request_shell(true).await.unwrap();
    let mut pty_refused = false;
    let mut stderr = String::new();
    let mut status = None;
    while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(10), second.wait()).await {
        match msg {
            ChannelMsg::Failure => pty_refused = true,
            ChannelMsg::ExtendedData { data, .. } => {
                stderr.push_str(&String::from_utf8_lossy(&data))
            }
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            ChannelMsg::Close => break,
            _ => {}
        }
    }
    assert!(pty_refused, "second PTY granted");
    assert_eq!(status, Some(1));
    assert!(
        stderr.contains("Une seule session interactive par connexion"),
        "{stderr}"
    );
    // Commands on the same connection still work.
    let mut third = h.channel_open_session().await.unwrap();
    third.exec(true, "whoami").await.unwrap();
    let mut out = String::new();
    while let Some(msg) = third.wait().await {
        if let ChannelMsg::Data { data } = msg {
            out.push_str(&String::from_utf8_lossy(&data));
        }
    }
    assert!(out.contains("prof@example.fr"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_idle_session_is_closed_with_a_french_notice() {
    let server = TestServer::start_configured(false, |s| {
        s.limits.idle_timeout = Duration::from_secs(2);
    })
    .await;
    let tr = server.trainer("prof@example.fr").await;
    let mut pty = Pty::login_as(server.addr(), &tr, TRAINER_PASSWORD, 80, 24).await;
    // Typing keeps it open…
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(800)).await;
        pty.send(b"j").await;
    }
    assert!(!pty.closed);
    // … silence first brings a warning in the status bar…
    let start = Instant::now();
    pty.wait_for("la session se ferme dans 1 s").await;
    // … then closes it, with a notice on the normal screen and a clean terminal.
    pty.wait_closed().await;
    assert!(start.elapsed() >= Duration::from_millis(1500));
    let raw = String::from_utf8_lossy(&pty.raw).into_owned();
    assert!(raw.contains("inactivité"), "no notice: {raw:?}");
    assert!(raw.contains("\x1b[?1049l"), "alternate screen not left");
    assert_eq!(pty.exit_status, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_trainer_screen_shows_failed_logins_neutralized() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    // A stranger types an escape-laden login.
    let mut h = connect(server.addr()).await;
    let evil = "\x1b]52;c;SGVsbG8=\x07intrus\x1b[2J";
    let r = h.authenticate_password(evil, "x").await;
    assert!(!matches!(r, Ok(r) if r.success()));
    drop(h);
    let mut pty = Pty::login_as(server.addr(), &tr, TRAINER_PASSWORD, 100, 30).await;
    // "Sécurité" is just above "Quitter", the last entry.
    pty.send(b"\x1b[A").await;
    pty.send(b"\x1b[A").await;
    pty.send(b"\r").await;
    let screen = pty.wait_for("Sécurité (1)").await;
    assert!(screen.contains("]52;c;sgvsbg8=intrus[2j"), "{screen}");
    assert!(
        screen.contains("127.0.0.1") && screen.contains("échec"),
        "{screen}"
    );
    let raw = String::from_utf8_lossy(&pty.raw);
    assert!(!raw.contains("\x1b]52"), "OSC 52 reached the terminal");
}
