//! The HTTPS door under connections that never finish: stalled before the TLS handshake,
//! after it, in the middle of a request head, or idle after a response. Each is cut at its
//! deadline, a source cannot hold more than its share, and /health and SSH logins keep
//! working while the caps are held.

use std::io::BufRead;
use std::net::{IpAddr, SocketAddr};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use portail_web::HttpsLimits;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::harness::*;

/// A TCP connection from `local` (127.0.0.x: each is its own source).
async fn tcp_from(local: &str, to: SocketAddr) -> TcpStream {
    try_tcp_from(local, to).await.expect("TCP connect")
}

async fn try_tcp_from(local: &str, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(local.parse().unwrap(), 0))?;
    socket.connect(to).await
}

/// Trusts the certificate the server generated in its data dir.
fn connector(server: &TestServer) -> TlsConnector {
    connector_for(&server.dir.path().join("data/tls/cert.pem"))
}

fn connector_for(cert_pem: &std::path::Path) -> TlsConnector {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(cert_pem).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

async fn tls_from(server: &TestServer, local: &str) -> TlsStream<TcpStream> {
    let tcp = tcp_from(local, server.running.https_addr).await;
    connector(server)
        .connect("localhost".try_into().unwrap(), tcp)
        .await
        .expect("TLS handshake")
}

/// Reads until the server closes (EOF or reset): how long that took and what came,
/// or `None` when still open after `within`.
async fn closed_within(
    mut s: impl AsyncRead + Unpin,
    within: Duration,
) -> Option<(Duration, Vec<u8>)> {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((start + within).into(), s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some((start.elapsed(), got)),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// Waits until the server counts `n` open HTTPS connections.
async fn wait_open(server: &TestServer, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.running.https_connections() != n {
        assert!(
            Instant::now() < deadline,
            "{} HTTPS connections open, expected {n}",
            server.running.https_connections()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn health_client(local: &str) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .local_address(local.parse::<IpAddr>().unwrap())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn health_ok(server: &TestServer, local: &str) -> bool {
    let url = format!("https://{}/health", server.running.https_addr);
    matches!(health_client(local).get(&url).send().await, Ok(r) if r.status() == 200)
}

async fn ssh_login_ok(addr: SocketAddr, user: &str, password: &str) -> bool {
    matches!(
        tokio::time::timeout(Duration::from_secs(10), login(addr, user, password)).await,
        Ok(Some(_))
    )
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_https_connections_are_cut_at_their_deadlines() {
    let server = TestServer::start_configured(false, |s| {
        s.https_limits = HttpsLimits {
            handshake_timeout: secs(1),
            header_timeout: secs(2),
            keepalive_timeout: secs(1),
            stall_timeout: secs(2),
            ..HttpsLimits::default()
        };
    })
    .await;
    let addr = server.running.https_addr;
    let window = secs(5);

    // TCP only, no ClientHello; and half a ClientHello (a TLS record header).
    let silent = tcp_from("127.0.0.1", addr).await;
    let mut half = tcp_from("127.0.0.1", addr).await;
    half.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
        .await
        .unwrap();
    // TLS done, then nothing.
    let mute = tls_from(&server, "127.0.0.1").await;
    // TLS done, a partial head.
    let mut partial = tls_from(&server, "127.0.0.1").await;
    partial
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    // A head dribbled one byte at a time (the deadline is for the whole head).
    let dribble = tls_from(&server, "127.0.0.1").await;
    let (mut dribble_r, mut dribble_w) = tokio::io::split(dribble);
    let dribbler = tokio::spawn(async move {
        for b in b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
            .iter()
            .cycle()
        {
            if dribble_w.write_all(&[*b]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    // A complete request, answered, then silence on the kept-alive connection.
    let mut kept = tls_from(&server, "127.0.0.1").await;
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    wait_open(&server, 6).await;

    let (silent, half, mute, partial, dribble, kept) = tokio::join!(
        closed_within(silent, window),
        closed_within(half, window),
        closed_within(mute, window),
        closed_within(partial, window),
        closed_within(&mut dribble_r, window),
        closed_within(kept, window),
    );
    dribbler.abort();
    let silent = silent.expect("TCP without ClientHello still open").0;
    let half = half.expect("half a ClientHello still open").0;
    assert!(silent >= Duration::from_millis(700), "{silent:?}");
    assert!(half >= Duration::from_millis(700), "{half:?}");
    let mute = mute.expect("TLS connection without request still open").0;
    let partial = partial.expect("partial head still open").0;
    let dribble = dribble.expect("dribbled head still open").0;
    for t in [mute, partial, dribble] {
        assert!(t >= Duration::from_millis(1500), "{t:?}");
    }
    let (kept_t, response) = kept.expect("idle kept-alive connection still open");
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        kept_t >= Duration::from_millis(700),
        "closed before the keep-alive deadline: {kept_t:?}"
    );
    // Every place is given back.
    wait_open(&server, 0).await;
    assert!(health_ok(&server, "127.0.0.1").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_cannot_hold_more_than_its_share_and_others_still_get_in() {
    let server = TestServer::start_configured(false, |s| {
        s.https_limits = HttpsLimits {
            handshake_timeout: secs(30),
            header_timeout: secs(30),
            keepalive_timeout: secs(30),
            max_connections: 6,
            max_connections_per_source: 4,
            ..HttpsLimits::default()
        };
    })
    .await;
    let trainer = server.trainer("flood@example.fr").await;
    let addr = server.running.https_addr;

    // One source holds its four places: two TLS sessions, two bare TCP connections.
    let mut held = vec![
        tls_from(&server, "127.0.0.2").await.into_inner().0,
        tls_from(&server, "127.0.0.2").await.into_inner().0,
    ];
    held.push(tcp_from("127.0.0.2", addr).await);
    held.push(tcp_from("127.0.0.2", addr).await);
    wait_open(&server, 4).await;
    // Its fifth is refused at once.
    let fifth = tcp_from("127.0.0.2", addr).await;
    let (t, _) = closed_within(fifth, secs(3))
        .await
        .expect("a fifth connection from the same source is refused");
    assert!(t < secs(2), "{t:?}");
    // The four held are still open (their deadlines are far).
    for s in held.iter_mut() {
        assert!(
            closed_within(&mut *s, Duration::from_millis(200))
                .await
                .is_none(),
            "a held connection was closed"
        );
    }
    // Others still get in: /health over HTTPS, and an SSH login.
    assert!(health_ok(&server, "127.0.0.1").await, "/health refused");
    assert!(ssh_login_ok(server.addr(), &trainer, TRAINER_PASSWORD).await);

    // All places taken (4 + 2 from another source): a new source is refused, SSH is not.
    held.push(tcp_from("127.0.0.3", addr).await);
    held.push(tcp_from("127.0.0.3", addr).await);
    wait_open(&server, 6).await;
    let seventh = tcp_from("127.0.0.4", addr).await;
    assert!(
        closed_within(seventh, secs(3)).await.is_some(),
        "over the total cap"
    );
    assert!(ssh_login_ok(server.addr(), &trainer, TRAINER_PASSWORD).await);
    // Places come back when the holders leave.
    held.truncate(4);
    wait_open(&server, 4).await;
    assert!(health_ok(&server, "127.0.0.4").await);
    drop(held);
    wait_open(&server, 0).await;
}

/// The real binary started with a low soft limit (256) under a hard one of 512: it raises
/// the soft limit to 512 (and logs it), sizes the HTTPS cap under it (39 connections), and
/// a flood of 600 TLS connections that never send a request, from ten addresses, neither
/// exhausts its descriptors nor keeps SSH out. (Before: 240 accepted, 256 descriptors
/// open, "Too many open files" on the SSH listener, the login failed.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_raises_its_fd_limit_and_a_flood_cannot_starve_ssh() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new("sh")
        .args([
            "-c",
            "ulimit -Sn 256 && ulimit -Hn 512 && exec \"$0\" \"$@\"",
            env!("CARGO_BIN_EXE_portail"),
            "--ssh-addr",
            "127.0.0.1:0",
            "--https-addr",
            "127.0.0.1:0",
        ])
        .current_dir(dir.path())
        .env_remove("PORTAIL_DATA_DIR")
        .env("RUST_LOG", "warn,portail_ssh=info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("portail starts");
    let pid = child.id();
    // Whatever an assertion does below, the server does not outlive the test.
    struct KillOnDrop(u32);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ = Command::new("kill")
                .args(["-KILL", &self.0.to_string()])
                .status();
        }
    }
    let _guard = KillOnDrop(pid);
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    loop {
        let mut line = String::new();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "portail exited:\n{banner}"
        );
        banner.push_str(&line);
        if line.contains("Ctrl-C pour arrêter") {
            break;
        }
    }
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    let field = |label: &str| -> String {
        banner
            .lines()
            .find_map(|l| l.trim_start().strip_prefix(label))
            .unwrap_or_else(|| panic!("{label} missing in:\n{banner}"))
            .trim()
            .to_string()
    };
    let first_word = |s: String| s.split_whitespace().next().unwrap().to_string();
    let ssh_addr: SocketAddr = first_word(field("SSH     :")).parse().unwrap();
    let https_addr: SocketAddr = first_word(field("HTTPS   :")).parse().unwrap();
    // Not a terminal: the first password is in a private file, the banner names it.
    let written = std::fs::read_to_string(dir.path().join("data/premier-mot-de-passe.txt"))
        .expect("first password file");
    let password = written
        .lines()
        .find_map(|l| l.strip_prefix("mot de passe : "))
        .expect("password line")
        .trim()
        .to_string();

    // The soft limit was raised to the hard one.
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let nofile: Vec<&str> = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(&nofile[3..5], ["512", "512"], "{limits}");

    // 600 TLS connections that never send a request, 60 from each of ten addresses.
    let fd_count = || {
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .unwrap()
            .count()
    };
    let before = fd_count();
    let tls = connector_for(&dir.path().join("data/tls/cert.pem"));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..600 {
        let local = format!("127.0.0.{}", 2 + i % 10);
        let tls = tls.clone();
        tasks.spawn(async move {
            tokio::time::timeout(Duration::from_secs(3), async {
                let tcp = try_tcp_from(&local, https_addr).await.ok()?;
                tls.connect("localhost".try_into().unwrap(), tcp).await.ok()
            })
            .await
            .ok()
            .flatten()
        });
    }
    let mut flood = Vec::new();
    while let Some(r) = tasks.join_next().await {
        flood.extend(r.unwrap());
    }
    // The cap fits the limit: (512 - 256 reserved - 100 SSH not logged in) / 4 = 39.
    assert_eq!(flood.len(), 39, "TLS connections accepted");
    let during = fd_count();
    assert!(
        during <= before + 39 + 4,
        "{before} descriptors before the flood, {during} during"
    );
    // SSH still logs people in.
    let ssh_ok = ssh_login_ok(ssh_addr, "formateur", &password).await;
    drop(flood);

    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = child.wait();
    let log = log.join().unwrap();
    assert!(ssh_ok, "SSH login failed during the flood; log:\n{log}");
    assert!(
        log.contains("limite souple 256 → 512"),
        "the limits are logged:\n{log}"
    );
    assert!(!log.contains("Too many open files"), "{log}");
}
