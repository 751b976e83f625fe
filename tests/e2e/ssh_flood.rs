//! The SSH door before login under a flood: stalled connections are closed by the server
//! itself (TCP, not only SSH) at their deadline, whatever their handshake state, and
//! neither idle sockets nor strangers talking SSH lock out a known source or a newcomer.
//! (The policy: `ssh-server/src/door.rs`.)

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::harness::*;

/// Connects from the loopback address `source` (Linux routes all of 127/8 to lo).
pub(crate) async fn raw(addr: SocketAddr, source: &str) -> TcpStream {
    let sock = TcpSocket::new_v4().unwrap();
    sock.bind(format!("{source}:0").parse().unwrap()).unwrap();
    sock.connect(addr).await.unwrap()
}

/// A well-formed client KEXINIT packet (in clear), as the first packet of a client.
fn kexinit() -> Vec<u8> {
    let mut payload = vec![20u8];
    payload.extend_from_slice(&[7u8; 16]);
    for list in [
        "curve25519-sha256",
        "ssh-ed25519",
        "chacha20-poly1305@openssh.com",
        "chacha20-poly1305@openssh.com",
        "hmac-sha2-256",
        "hmac-sha2-256",
        "none",
        "none",
        "",
        "",
    ] {
        payload.extend_from_slice(&(list.len() as u32).to_be_bytes());
        payload.extend_from_slice(list.as_bytes());
    }
    payload.extend_from_slice(&[0, 0, 0, 0, 0]);
    let mut padding = 8 - (5 + payload.len()) % 8;
    if padding < 4 {
        padding += 8;
    }
    let mut packet = ((1 + payload.len() + padding) as u32)
        .to_be_bytes()
        .to_vec();
    packet.push(padding as u8);
    packet.extend_from_slice(&payload);
    packet.extend(std::iter::repeat_n(0u8, padding));
    packet
}

/// How far a stalled client goes before falling silent.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Stall {
    /// Connects and sends nothing.
    Nothing,
    /// Sends its identification only.
    Banner,
    /// Sends its identification and KEXINIT (the server starts its key exchange).
    Kexinit,
}

pub(crate) async fn stalled(addr: SocketAddr, source: &str, how: Stall) -> TcpStream {
    let mut s = raw(addr, source).await;
    match how {
        Stall::Nothing => {}
        Stall::Banner => s.write_all(b"SSH-2.0-x\r\n").await.unwrap(),
        Stall::Kexinit => {
            let mut bytes = b"SSH-2.0-x\r\n".to_vec();
            bytes.extend_from_slice(&kexinit());
            s.write_all(&bytes).await.unwrap();
        }
    }
    s
}

/// A connection past its KEXINIT, then silent, once the server answered with its own
/// banner and KEXINIT (so it has read ours); `None` when the server refused it.
pub(crate) async fn in_key_exchange(addr: SocketAddr, source: &str) -> Option<TcpStream> {
    let mut s = stalled(addr, source, Stall::Kexinit).await;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
            .await
            .expect("neither answered nor closed")
            .unwrap_or(0);
        if n == 0 {
            return None;
        }
        got.extend_from_slice(&buf[..n]);
        // The banner line, then the packet length and type of the server's KEXINIT.
        if let Some(end) = got.iter().position(|b| *b == b'\n') {
            assert!(got.starts_with(b"SSH-2.0-"), "not an SSH server");
            if got.len() >= end + 7 {
                assert_eq!(got[end + 6], 20, "server KEXINIT expected");
                return Some(s);
            }
        }
    }
}

/// Reads (and drops) everything until the server closes: EOF or reset.
async fn closed_within(s: &mut TcpStream, limit: Duration, what: &str) {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit.saturating_sub(start.elapsed()), s.read(&mut buf)).await {
            Err(_) => panic!("{what}: still open after {limit:?}"),
            Ok(Ok(0)) | Ok(Err(_)) => return,
            Ok(Ok(_)) => {}
        }
    }
}

/// Whether a socket with a file descriptor is still held by this process (the server
/// runs in it) for the server side of the connection `server_port` ↔ `client_port`. A
/// socket the server closed is gone or orphaned (inode 0, e.g. FIN_WAIT) in
/// /proc/net/tcp.
fn server_side_held(server_port: u16, client_port: u16) -> bool {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let port = |field: &str| {
        let hex = field.rsplit(':').next().unwrap_or("");
        u16::from_str_radix(hex, 16).unwrap_or(0)
    };
    table.lines().skip(1).any(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        f.len() > 9 && port(f[1]) == server_port && port(f[2]) == client_port && f[9] != "0"
    })
}

async fn assert_server_released(server: SocketAddr, client: SocketAddr, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while server_side_held(server.port(), client.port()) {
        assert!(
            Instant::now() < deadline,
            "{what}: server still holds its socket"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Connects from `source` and runs the key exchange; `None` when refused.
async fn connect_from(
    addr: SocketAddr,
    source: &str,
) -> Option<russh::client::Handle<crate::harness::Client>> {
    let config = Arc::new(russh::client::Config::default());
    let stream = raw(addr, source).await;
    russh::client::connect_stream(config, stream, crate::harness::Client)
        .await
        .ok()
}

async fn authenticate(h: &mut russh::client::Handle<crate::harness::Client>, user: &str) -> bool {
    h.authenticate_password(user, TRAINER_PASSWORD)
        .await
        .map(|r| r.success())
        .unwrap_or(false)
}

/// Logs in from `source`; `None` when the connection or the password is refused.
async fn login_from(
    addr: SocketAddr,
    source: &str,
    user: &str,
) -> Option<russh::client::Handle<crate::harness::Client>> {
    let mut h = connect_from(addr, source).await?;
    authenticate(&mut h, user).await.then_some(h)
}

/// The server's deadline closes the TCP connection in every handshake state: before
/// the identification, after it, after KEXINIT (key exchange half done), and after the
/// key exchange; the server's own socket is released, and the place given back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssh_flood_login_deadline_closes_the_socket_in_every_handshake_state() {
    let server = TestServer::start_configured(false, |s| {
        s.limits.kex_timeout = Duration::from_secs(2);
        s.limits.auth_timeout = Duration::from_secs(2);
        s.limits.max_unauthenticated = 4;
        s.limits.max_unauthenticated_per_source = 4;
        s.limits.reserved_for_known = 0;
    })
    .await;
    let addr = server.addr();
    let opened = Instant::now();
    let mut conns = Vec::new();
    for how in [Stall::Nothing, Stall::Banner, Stall::Kexinit] {
        conns.push((how, stalled(addr, "127.0.0.1", how).await));
    }
    // A real client past the key exchange that never authenticates.
    let stream = raw(addr, "127.0.0.1").await;
    let kexed = stream.local_addr().unwrap();
    let config = Arc::new(russh::client::Config::default());
    let mut h = russh::client::connect_stream(config, stream, crate::harness::Client)
        .await
        .expect("key exchange");
    for (how, s) in &mut conns {
        let what = format!("{how:?}");
        closed_within(
            s,
            Duration::from_secs(5).saturating_sub(opened.elapsed()),
            &what,
        )
        .await;
        assert!(
            opened.elapsed() >= Duration::from_millis(1900),
            "{what}: closed early"
        );
        assert_server_released(addr, s.local_addr().unwrap(), &what).await;
    }
    assert_server_released(addr, kexed, "after the key exchange").await;
    assert!(
        !authenticate(&mut h, "x").await,
        "logged in after the deadline"
    );
    drop(conns);
    for n in 0..4 {
        let s = in_key_exchange(addr, "127.0.0.1").await;
        assert!(s.is_some(), "place {n} not given back");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssh_flood_stalled_connections_are_closed_at_their_deadline_and_free_their_place() {
    let server = TestServer::start_configured(false, |s| {
        s.limits.kex_timeout = Duration::from_secs(1);
        s.limits.auth_timeout = Duration::from_secs(3);
        s.limits.max_unauthenticated = 3;
        s.limits.max_unauthenticated_per_source = 3;
        s.limits.reserved_for_known = 0;
    })
    .await;
    let addr = server.addr();
    let mut conns = Vec::new();
    for how in [Stall::Nothing, Stall::Banner, Stall::Kexinit] {
        conns.push((how, Instant::now(), stalled(addr, "127.0.0.1", how).await));
    }
    // Before its first key-exchange packet: the short deadline; after it: the login one.
    for (how, opened, s) in &mut conns {
        let (min, max) = match how {
            Stall::Nothing | Stall::Banner => (900, 2500),
            Stall::Kexinit => (2900, 5500),
        };
        let what = format!("{how:?}");
        let left = Duration::from_millis(max).saturating_sub(opened.elapsed());
        closed_within(s, left, &what).await;
        let took = opened.elapsed();
        assert!(took.as_millis() >= min, "{what}: closed early ({took:?})");
        assert_server_released(addr, s.local_addr().unwrap(), &what).await;
    }
    drop(conns);
    // Every place is back: three connections in key exchange (never shed) are greeted.
    let mut again = Vec::new();
    for _ in 0..3 {
        let s = in_key_exchange(addr, "127.0.0.1").await;
        again.push(s.expect("a place was not given back"));
    }
    assert!(
        in_key_exchange(addr, "127.0.0.1").await.is_none(),
        "over the limit"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssh_flood_known_source_logs_in_while_strangers_in_key_exchange_fill_the_door() {
    let server = TestServer::start_configured(false, |s| {
        s.limits.kex_timeout = Duration::from_secs(2);
        s.limits.auth_timeout = Duration::from_secs(30);
        s.limits.max_unauthenticated = 12;
        s.limits.max_unauthenticated_per_source = 2;
        s.limits.max_unauthenticated_per_known_source = 6;
        s.limits.reserved_for_known = 6;
    })
    .await;
    let tr = server.trainer("prof@example.fr").await;
    let addr = server.addr();
    // The classroom's NAT address logged in once: it is known from now on.
    drop(
        login_from(addr, "127.0.0.50", &tr)
            .await
            .expect("first login"),
    );
    // Strangers on 15 addresses, each connection past its KEXINIT then silent: they are
    // never shed and hold what they get until the login deadline.
    let mut flood = Vec::new();
    for i in 0..45 {
        let source = format!("127.0.0.{}", 100 + i % 15);
        flood.push(in_key_exchange(addr, &source).await);
    }
    // Four students behind the NAT connect at once (more than a stranger's 2), then log in.
    let mut students = Vec::new();
    for n in 0..4 {
        let h = connect_from(addr, "127.0.0.50").await;
        students.push(h.unwrap_or_else(|| panic!("student {n} refused at the door")));
    }
    for (n, h) in students.iter_mut().enumerate() {
        assert!(authenticate(h, &tr).await, "student {n} not logged in");
    }
    // Strangers had their share only.
    assert_eq!(flood.iter().flatten().count(), 6, "strangers' share");
    drop(flood);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssh_flood_newcomer_gets_in_through_a_flood_of_idle_sockets() {
    let server = TestServer::start_configured(false, |s| {
        s.limits.kex_timeout = Duration::from_secs(2);
        s.limits.auth_timeout = Duration::from_secs(30);
        s.limits.max_unauthenticated = 12;
        s.limits.max_unauthenticated_per_source = 2;
        s.limits.reserved_for_known = 4;
    })
    .await;
    let tr = server.trainer("prof@example.fr").await;
    let addr = server.addr();
    // 150 idle sockets over 15 addresses, and an attacker who keeps reconnecting.
    let mut idle = Vec::new();
    for i in 0..150 {
        let source = format!("127.0.0.{}", 100 + i % 15);
        idle.push(stalled(addr, &source, Stall::Nothing).await);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let flooder = tokio::spawn({
        let stop = stop.clone();
        async move {
            let mut held = std::collections::VecDeque::new();
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                held.push_back(
                    stalled(addr, &format!("127.0.0.{}", 100 + i % 15), Stall::Banner).await,
                );
                if held.len() > 60 {
                    held.pop_front();
                }
                i += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    });
    // Newcomers from addresses never seen log in, one after another.
    for n in 0..3 {
        let source = format!("127.0.0.{}", 200 + n);
        let h = login_from(addr, &source, &tr).await;
        assert!(h.is_some(), "newcomer {n} locked out");
    }
    stop.store(true, Ordering::SeqCst);
    flooder.await.unwrap();
    // Every idle socket was closed by the server: shed, or at the short deadline.
    for (n, s) in idle.iter_mut().enumerate() {
        closed_within(s, Duration::from_secs(4), &format!("idle socket {n}")).await;
    }
}
