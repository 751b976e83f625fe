//! Load benchmark: the real `portail` binary (release) in its own process on a temp data
//! dir, driven over loopback by many real SSH clients (russh) with PTYs.
//!
//! Each run starts a fresh server on a copy of a seeded database (one trainer, students
//! with a known password, activated through the core services) and measures, in order:
//!
//! 1. login burst: `--burst` clients connect and authenticate at once (argon2 is real);
//!    peer: one login alone, in the same run;
//! 2. idle sessions: `--sessions` connections, then a PTY session on each; server RSS from
//!    /proc of the server process, per connection and per session, over sessions 3..N;
//! 3. typing: `--typing` of those sessions type `--rate` keys/s in the message composer;
//!    keystroke→frame latency measured client-side (key sent → first frame bytes that
//!    show it) and server-side (`server stats --json`, measured by the session task),
//!    bytes per keystroke; peer: one session typing alone, in the same run;
//! 4. stalled reader: one client stops reading for `--stall` seconds while messages (5/s)
//!    keep changing its screen; server RSS growth; peer: the same window for a client
//!    that reads, right after.
//!
//! Run (see BENCHMARKS.md): `cargo bench -p portail-ssh --bench load`
//! Small: `cargo bench -p portail-ssh --bench load -- --sessions 50 --typing 10 --burst 10 --stall 5 --runs 1`

mod common;

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::Arc;
use std::time::{Duration, Instant};

use portail::Portail;
use portail::services::CoreOptions;
use portail::services::students::StudentInput;
use russh::client::{self, Handle};
use russh::keys::PublicKeyOrCertificate;
use russh::{ChannelMsg, ChannelReadHalf, ChannelWriteHalf};
use tokio::net::TcpSocket;
use tokio::sync::Semaphore;

const TRAINER: &str = "formatrice@example.fr";
const TRAINER_PW: &str = "une phrase de banc d'essai";
const STUDENT_PW: &str = "mot de passe de charge";
const COLS: u32 = 80;
const ROWS: u32 = 24;

fn student(i: usize) -> String {
    format!("eleve{i}@example.fr")
}

// ---------------------------------------------------------------------------------------
// Options

struct Opts {
    sessions: usize,
    typing: usize,
    burst: usize,
    /// Keys per second per typing session.
    rate: f64,
    /// Seconds of typing.
    type_secs: u64,
    /// Seconds the stalled client does not read.
    stall: u64,
    runs: usize,
}

impl Opts {
    fn parse() -> Opts {
        let mut o = Opts {
            sessions: 1000,
            typing: 200,
            burst: 100,
            rate: 5.0,
            type_secs: 20,
            stall: 60,
            runs: 3,
        };
        let args: Vec<String> = std::env::args().skip(1).collect();
        let mut i = 0;
        while i < args.len() {
            let value = |i: usize| -> &str {
                args.get(i + 1)
                    .map(String::as_str)
                    .unwrap_or_else(|| panic!("{} needs a value", args[i]))
            };
            match args[i].as_str() {
                "--sessions" => o.sessions = value(i).parse().expect("--sessions N"),
                "--typing" => o.typing = value(i).parse().expect("--typing N"),
                "--burst" => o.burst = value(i).parse().expect("--burst N"),
                "--rate" => o.rate = value(i).parse().expect("--rate KEYS_PER_S"),
                "--type-secs" => o.type_secs = value(i).parse().expect("--type-secs S"),
                "--stall" => o.stall = value(i).parse().expect("--stall S"),
                "--runs" => o.runs = value(i).parse().expect("--runs N"),
                // `cargo bench` passes `--bench`; ignore anything else of the harness.
                _ => {
                    i += 1;
                    continue;
                }
            }
            i += 2;
        }
        assert!(o.sessions >= o.typing + 3, "--sessions too small");
        o
    }
}

// ---------------------------------------------------------------------------------------
// Small statistics helpers

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn median_f(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

// ---------------------------------------------------------------------------------------
// The server process

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(root: &Path, data: &Path) -> Server {
        let (child, addr) = common::start_portail(root, data);
        Server { child, addr }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory of the server process, in KiB.
    fn rss_kib(&self) -> u64 {
        proc_status(self.pid(), "VmRSS:")
    }

    fn threads(&self) -> u64 {
        proc_status(self.pid(), "Threads:")
    }

    /// SIGTERM (the graceful path), then wait; SIGKILL after 10 s.
    fn stop(mut self) {
        use nix::sys::signal::{Signal, kill};
        use nix::unistd::Pid;
        let _ = kill(Pid::from_raw(self.pid() as i32), Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn proc_status(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Waits until the server's RSS holds still (two samples 300 ms apart within 64 KiB),
/// at most `max`; returns the last sample.
async fn settled_rss(server: &Server, max: Duration) -> u64 {
    let deadline = Instant::now() + max;
    let mut last = server.rss_kib();
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = server.rss_kib();
        if now.abs_diff(last) <= 64 || Instant::now() >= deadline {
            return now;
        }
        last = now;
    }
}

// ---------------------------------------------------------------------------------------
// Seeding through the core library (before the server starts)

async fn seed(data: &Path, students: usize) {
    let p = Portail::open(data, CoreOptions::default())
        .await
        .expect("open the store");
    p.add_trainer(TRAINER, TRAINER_PW).await.expect("trainer");
    let trainer = p
        .login(TRAINER, TRAINER_PW, None)
        .await
        .expect("trainer login")
        .actor;
    // Each student: created by the trainer (activation code), logs in with the code and
    // chooses the known password: the same path as a real activation.
    let limit = Arc::new(Semaphore::new(4));
    let mut tasks = Vec::new();
    for i in 0..students {
        let (p, trainer, limit) = (p.clone(), trainer.clone(), limit.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = limit.acquire().await.expect("semaphore");
            let input = StudentInput {
                email: student(i),
                first_name: format!("Élève{i}"),
                last_name: "Charge".into(),
                phone: None,
                notes: None,
            };
            let (_, code) = p
                .student_create(&trainer, &input, &[], &[])
                .await
                .expect("student");
            let login = p.login(&student(i), &code, None).await.expect("code login");
            p.change_password(&login.actor, None, STUDENT_PW)
                .await
                .expect("password");
        }));
    }
    for t in tasks {
        t.await.expect("seed task");
    }
    p.store().close().await;
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

// ---------------------------------------------------------------------------------------
// SSH clients

struct Client;
impl client::Handler for Client {
    type Error = russh::Error;
    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

fn client_config() -> Arc<client::Config> {
    Arc::new(client::Config {
        nodelay: true,
        inactivity_timeout: None,
        ..Default::default()
    })
}

/// Connects from the loopback address `127.0.0.{2 + k % 250}`: many sources, as on the
/// internet, so that per-address limits see realistic traffic.
async fn connect(
    config: &Arc<client::Config>,
    addr: SocketAddr,
    k: usize,
) -> anyhow::Result<Handle<Client>> {
    let socket = TcpSocket::new_v4()?;
    let local = Ipv4Addr::new(127, 0, 0, 2 + (k % 250) as u8);
    socket.bind(SocketAddr::new(local.into(), 0))?;
    let stream = socket.connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(client::connect_stream(config.clone(), stream, Client).await?)
}

async fn login(
    config: &Arc<client::Config>,
    addr: SocketAddr,
    k: usize,
    user: &str,
    password: &str,
) -> anyhow::Result<Handle<Client>> {
    let mut h = connect(config, addr, k).await?;
    let ok = h.authenticate_password(user, password).await?.success();
    anyhow::ensure!(ok, "login refused for {user}");
    Ok(h)
}

/// One full-screen session. `screen` (a terminal emulator) only for the sessions that
/// navigate: a thousand of them would cost the bench process much memory.
struct Pty {
    handle: Handle<Client>,
    reader: ChannelReadHalf,
    writer: ChannelWriteHalf<client::Msg>,
    screen: Option<vt100::Parser>,
    received: u64,
}

impl Pty {
    async fn open(handle: Handle<Client>, emulate: bool) -> anyhow::Result<Pty> {
        let ch = handle.channel_open_session().await?;
        ch.request_pty(true, "xterm-256color", COLS, ROWS, 0, 0, &[])
            .await?;
        ch.request_shell(true).await?;
        let (reader, writer) = ch.split();
        Ok(Pty {
            handle,
            reader,
            writer,
            screen: emulate.then(|| {
                let nz = |n: u32| std::num::NonZeroU16::new(n as u16).expect("non-zero");
                vt100::Parser::new(nz(ROWS), nz(COLS), 0)
            }),
            received: 0,
        })
    }

    fn feed(&mut self, data: &[u8]) {
        self.received += data.len() as u64;
        if let Some(p) = &mut self.screen {
            p.process(data);
        }
    }

    fn contents(&self) -> String {
        self.screen
            .as_ref()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Reads until `done(bytes of this call, screen)` says so.
    async fn read_until(
        &mut self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&[u8], &str) -> bool,
    ) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            if done(&seen, &self.contents()) {
                return Ok(());
            }
            match tokio::time::timeout_at(deadline, self.reader.wait()).await {
                Err(_) => anyhow::bail!("timed out waiting for {what:?}:\n{}", self.contents()),
                Ok(Some(ChannelMsg::Data { data })) => {
                    self.feed(&data);
                    seen.extend_from_slice(&data);
                }
                Ok(Some(ChannelMsg::Close | ChannelMsg::Eof) | None) => {
                    anyhow::bail!("session closed waiting for {what:?}")
                }
                Ok(Some(_)) => {}
            }
        }
    }

    async fn wait_screen(&mut self, text: &str) -> anyhow::Result<()> {
        self.read_until(text, Duration::from_secs(30), |_, s| s.contains(text))
            .await
    }

    async fn send(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.writer.data(bytes).await?;
        Ok(())
    }

    /// Reads whatever arrives within `quiet` of silence; returns the bytes read.
    async fn drain(&mut self, quiet: Duration) -> u64 {
        let before = self.received;
        while let Ok(Some(msg)) = tokio::time::timeout(quiet, self.reader.wait()).await {
            if let ChannelMsg::Data { data } = msg {
                self.feed(&data);
            }
        }
        self.received - before
    }
}

/// Runs one exec command on an authenticated connection; returns (status, stdout).
async fn exec(h: &Handle<Client>, command: &str, stdin: &[u8]) -> anyhow::Result<(u32, String)> {
    let mut ch = h.channel_open_session().await?;
    ch.exec(true, command).await?;
    if !stdin.is_empty() {
        ch.data(stdin).await?;
    }
    ch.eof().await?;
    let mut out = Vec::new();
    let mut status = None;
    while let Some(msg) = ch.wait().await {
        match msg {
            ChannelMsg::Data { data } => out.extend_from_slice(&data),
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            ChannelMsg::Close => break,
            _ => {}
        }
    }
    Ok((
        status.unwrap_or(255),
        String::from_utf8_lossy(&out).into_owned(),
    ))
}

// ---------------------------------------------------------------------------------------
// Phase 1: login burst

struct Burst {
    single_ms: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    ok: usize,
}

async fn login_burst(cfg: &Arc<client::Config>, addr: SocketAddr, n: usize) -> Burst {
    // Peer: one login alone (median of 5), connection and key exchange included.
    let mut singles = Vec::new();
    for i in 0..5 {
        let t = Instant::now();
        let h = login(cfg, addr, i, &student(i), STUDENT_PW)
            .await
            .expect("single login");
        singles.push(t.elapsed());
        drop(h);
    }
    singles.sort();
    let start = Arc::new(tokio::sync::Barrier::new(n + 1));
    let mut tasks = Vec::new();
    for i in 0..n {
        let (cfg, start) = (cfg.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let t = Instant::now();
            let r = login(&cfg, addr, i, &student(i), STUDENT_PW).await;
            (t.elapsed(), r)
        }));
    }
    start.wait().await;
    let mut times = Vec::new();
    let mut handles = Vec::new();
    for t in tasks {
        let (d, r) = t.await.expect("burst task");
        match r {
            Ok(h) => {
                times.push(d);
                handles.push(h);
            }
            Err(e) => eprintln!("  burst login failed: {e:#}"),
        }
    }
    drop(handles);
    times.sort();
    Burst {
        single_ms: ms(singles[singles.len() / 2]),
        p50_ms: ms(pct(&times, 50.0)),
        p99_ms: ms(pct(&times, 99.0)),
        max_ms: ms(times.last().copied().unwrap_or_default()),
        ok: times.len(),
    }
}

// ---------------------------------------------------------------------------------------
// Phase 2: idle sessions

struct Idle {
    held: usize,
    /// Per connection (logged in, no channel), over connections 3..N.
    conn_kib: f64,
    /// Per full-screen session on top of its connection, over sessions 3..N.
    pty_kib: f64,
    /// Connection + session.
    total_kib: f64,
    rss_base_kib: u64,
    rss_end_kib: u64,
    open_secs: f64,
}

/// Opens `n` connections then a PTY on each; keeps them in `out`.
async fn idle_sessions(
    server: &Server,
    cfg: &Arc<client::Config>,
    n: usize,
    emulate: impl Fn(usize) -> bool,
    out: &mut Vec<Pty>,
) -> Idle {
    let t0 = Instant::now();
    let addr = server.addr;
    // Connections 1 and 2 alone, then the baseline.
    let mut handles = Vec::new();
    for i in 0..2 {
        handles.push(Some(
            login(cfg, addr, i, &student(i), STUDENT_PW)
                .await
                .expect("login"),
        ));
    }
    let rss_base = settled_rss(server, Duration::from_secs(5)).await;
    let limit = Arc::new(Semaphore::new(16));
    let mut tasks = Vec::new();
    for i in 2..n {
        let (cfg, limit) = (cfg.clone(), limit.clone());
        tasks.push(tokio::spawn(async move {
            let _p = limit.acquire().await.expect("semaphore");
            login(&cfg, addr, i, &student(i), STUDENT_PW).await
        }));
    }
    for t in tasks {
        handles.push(Some(t.await.expect("task").expect("login")));
    }
    let rss_conns = settled_rss(server, Duration::from_secs(10)).await;

    // Sessions 1 and 2, then the rest.
    let mut ptys: Vec<Option<Pty>> = (0..n).map(|_| None).collect();
    for (i, slot) in ptys.iter_mut().enumerate().take(2) {
        let mut pty = Pty::open(handles[i].take().expect("handle"), emulate(i))
            .await
            .expect("pty");
        pty.read_until("home", Duration::from_secs(30), |b, s| {
            contains(b, b"Bonjour") || s.contains("Bonjour")
        })
        .await
        .expect("home screen");
        *slot = Some(pty);
    }
    let rss_pty_base = settled_rss(server, Duration::from_secs(5)).await;
    let mut tasks = Vec::new();
    for (i, handle) in handles.iter_mut().enumerate().skip(2) {
        let handle = handle.take().expect("handle");
        let (limit, em) = (limit.clone(), emulate(i));
        tasks.push(tokio::spawn(async move {
            let _p = limit.acquire().await.expect("semaphore");
            let mut pty = Pty::open(handle, em).await?;
            pty.read_until("home", Duration::from_secs(60), |b, s| {
                contains(b, b"Bonjour") || s.contains("Bonjour")
            })
            .await?;
            anyhow::Ok(pty)
        }));
    }
    for (i, t) in tasks.into_iter().enumerate() {
        ptys[i + 2] = Some(t.await.expect("task").expect("session"));
    }
    let rss_end = settled_rss(server, Duration::from_secs(10)).await;
    out.extend(ptys.into_iter().map(|p| p.expect("session")));
    let held = out.iter().filter(|p| !p.handle.is_closed()).count();
    let k = (n - 2) as f64;
    let conn = (rss_conns as f64 - rss_base as f64) / k;
    let pty = (rss_end as f64 - rss_pty_base as f64) / k;
    Idle {
        held,
        conn_kib: conn,
        pty_kib: pty,
        total_kib: conn + pty,
        rss_base_kib: rss_base,
        rss_end_kib: rss_end,
        open_secs: t0.elapsed().as_secs_f64(),
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------------------
// Phase 3: typing

#[derive(Default)]
struct Typed {
    latencies: Vec<Duration>,
    keys: u64,
    /// Keys whose frame never came (within the drain after typing).
    lost: u64,
    bytes: u64,
}

/// Types `rate` keys/s for `secs` into the composer (Enter every 30 keys); measures each
/// key's time until the first frame bytes that show it (any frame, for Enter).
async fn type_keys(
    mut pty: Pty,
    start: tokio::time::Instant,
    secs: u64,
    rate: f64,
) -> (Pty, Typed) {
    let period = Duration::from_secs_f64(1.0 / rate);
    let end = start + Duration::from_secs(secs);
    let mut tick = tokio::time::interval_at(start, period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut pending: VecDeque<(u8, tokio::time::Instant)> = VecDeque::new();
    let mut r = Typed::default();
    let mut n: u64 = 0;
    let before = pty.received;
    loop {
        let typing = tokio::time::Instant::now() < end;
        if !typing && pending.is_empty() {
            break;
        }
        tokio::select! {
            _ = tick.tick(), if typing => {
                n += 1;
                let key = if n.is_multiple_of(30) { b'\r' } else { b'a' + (n % 26) as u8 };
                pending.push_back((key, tokio::time::Instant::now()));
                if pty.writer.data(&[key][..]).await.is_err() {
                    break;
                }
                r.keys += 1;
            }
            msg = tokio::time::timeout(Duration::from_secs(5), pty.reader.wait()) => match msg {
                Ok(Some(ChannelMsg::Data { data })) => {
                    let now = tokio::time::Instant::now();
                    pty.feed(&data);
                    while let Some(&(key, at)) = pending.front() {
                        if key == b'\r' || contains(&data, &[key]) {
                            r.latencies.push(now - at);
                            pending.pop_front();
                        } else {
                            break;
                        }
                    }
                }
                Ok(Some(ChannelMsg::Close | ChannelMsg::Eof) | None) => break,
                Ok(Some(_)) => {}
                // Nothing for 5 s: what is pending is lost.
                Err(_) => if !typing { break },
            }
        }
    }
    r.lost = pending.len() as u64;
    r.bytes = pty.received - before;
    (pty, r)
}

struct TypingResult {
    client_p50_ms: f64,
    client_p99_ms: f64,
    client_max_ms: f64,
    server_p50_ms: f64,
    server_p99_ms: f64,
    keys: u64,
    lost: u64,
    bytes_per_key: f64,
    server_bytes_per_frame: f64,
}

async fn stats_json(trainer: &Handle<Client>, reset: bool) -> serde_json::Value {
    let cmd = if reset {
        "server stats --json --reset"
    } else {
        "server stats --json"
    };
    let (status, out) = exec(trainer, cmd, b"").await.expect("server stats");
    assert_eq!(status, 0, "server stats: {out}");
    serde_json::from_str(out.trim()).expect("stats JSON")
}

async fn typing(
    trainer: &Handle<Client>,
    ptys: Vec<Pty>,
    secs: u64,
    rate: f64,
) -> (Vec<Pty>, TypingResult) {
    stats_json(trainer, true).await;
    let start = tokio::time::Instant::now() + Duration::from_millis(200);
    let period = Duration::from_secs_f64(1.0 / rate);
    let count = ptys.len();
    let mut tasks = Vec::new();
    for (i, pty) in ptys.into_iter().enumerate() {
        // Spread the sessions evenly over one key period.
        let offset = period.mul_f64(i as f64 / count as f64);
        tasks.push(tokio::spawn(type_keys(pty, start + offset, secs, rate)));
    }
    let mut all = Typed::default();
    let mut back = Vec::new();
    for t in tasks {
        let (pty, r) = t.await.expect("typing task");
        all.latencies.extend(r.latencies);
        all.keys += r.keys;
        all.lost += r.lost;
        all.bytes += r.bytes;
        back.push(pty);
    }
    let s = stats_json(trainer, false).await;
    all.latencies.sort();
    let us = |k: &str| s[k].as_u64().unwrap_or(0) as f64 / 1000.0;
    let frames = s["key_frames"].as_u64().unwrap_or(0).max(1) as f64;
    (
        back,
        TypingResult {
            client_p50_ms: ms(pct(&all.latencies, 50.0)),
            client_p99_ms: ms(pct(&all.latencies, 99.0)),
            client_max_ms: ms(all.latencies.last().copied().unwrap_or_default()),
            server_p50_ms: us("key_to_frame_p50_us"),
            server_p99_ms: us("key_to_frame_p99_us"),
            keys: all.keys,
            lost: all.lost,
            bytes_per_key: all.bytes as f64 / all.keys.max(1) as f64,
            server_bytes_per_frame: s["key_frame_bytes"].as_u64().unwrap_or(0) as f64 / frames,
        },
    )
}

/// Opens the composer of a student's session: Messages, then `n`.
async fn to_composer(pty: &mut Pty) -> anyhow::Result<()> {
    pty.send(b"2").await?;
    pty.wait_screen("Aucune conversation").await?;
    pty.send(b"n").await?;
    pty.wait_screen("Ctrl-S").await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Phase 4: a client that stops reading

struct Stall {
    /// Server RSS growth over the window where the client did not read.
    stalled_growth_kib: i64,
    /// The same window (messages, rate, duration) to a client that reads.
    peer_growth_kib: i64,
    messages: u64,
    /// Bytes the stalled client read once it read again.
    stalled_drained: u64,
    /// Bytes the reading peer read during its window.
    peer_read: u64,
    caught_up: bool,
}

/// The trainer sends `to` 5 messages/s for `secs` (each one changes its Messages screen);
/// returns the number sent and the server's RSS growth in KiB.
async fn message_window(
    server: &Server,
    trainer: &Handle<Client>,
    to: &str,
    secs: u64,
    first: u64,
) -> (u64, i64) {
    let before = settled_rss(server, Duration::from_secs(5)).await;
    let end = Instant::now() + Duration::from_secs(secs);
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    let mut sent = 0u64;
    while Instant::now() < end {
        tick.tick().await;
        let body = format!(
            "Message {} du formateur : la salle change.\n",
            first + sent + 1
        );
        let (status, out) = exec(trainer, &format!("message send --to {to}"), body.as_bytes())
            .await
            .expect("message send");
        assert_eq!(status, 0, "message send: {out}");
        sent += 1;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    (sent, server.rss_kib() as i64 - before as i64)
}

/// A message window to a client that reads all along; returns it, the server's RSS growth
/// in KiB and the bytes it read.
async fn reading_window(
    server: &Server,
    trainer: &Handle<Client>,
    peer: Pty,
    peer_email: &str,
    secs: u64,
) -> (Pty, i64, u64) {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let peer_task = {
        let stop = stop.clone();
        let mut peer = peer;
        tokio::spawn(async move {
            let mut read = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                read += peer.drain(Duration::from_millis(100)).await;
            }
            (peer, read)
        })
    };
    let (_, growth) = message_window(server, trainer, peer_email, secs, 0).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (peer, read) = peer_task.await.expect("peer task");
    (peer, growth, read)
}

async fn stall(
    server: &Server,
    trainer: &Handle<Client>,
    mut stalled: Pty,
    stalled_email: &str,
    mut peer: Pty,
    peer_email: &str,
    secs: u64,
) -> (Vec<Pty>, Stall) {
    for pty in [&mut stalled, &mut peer] {
        pty.send(b"2").await.expect("send");
        pty.wait_screen("Aucune conversation")
            .await
            .expect("messages screen");
        pty.drain(Duration::from_millis(300)).await;
    }
    // Warm-up: one window to the reading peer first, not counted, so that what any first
    // minute of messages costs (SQLite page cache, allocator arenas, exec channels) is not
    // charged to whichever client comes first.
    let (peer, _, _) = reading_window(server, trainer, peer, peer_email, secs).await;
    // Window 1: the stalled client reads nothing (its SSH client stops reading the
    // socket once its own queue is full).
    let (sent, stalled_growth) = message_window(server, trainer, stalled_email, secs, 0).await;
    // Reading again: what was queued for it arrives, then the latest screen.
    let drained = stalled.drain(Duration::from_millis(1500)).await;
    let caught_up = stalled.contents().contains(&format!(" {sent} "));
    if !caught_up {
        eprintln!(
            "  stalled client's screen after reading again:\n{}",
            stalled.contents()
        );
    }
    // Window 2, the peer: the same for a client that reads all along.
    let (peer, peer_growth, peer_read) =
        reading_window(server, trainer, peer, peer_email, secs).await;
    (
        vec![stalled, peer],
        Stall {
            stalled_growth_kib: stalled_growth,
            peer_growth_kib: peer_growth,
            messages: sent,
            stalled_drained: drained,
            peer_read,
            caught_up,
        },
    )
}

// ---------------------------------------------------------------------------------------

struct RunResult {
    burst: Burst,
    idle: Idle,
    solo: TypingResult,
    typing: TypingResult,
    stall: Stall,
    threads: u64,
}

async fn run_once(opts: &Opts, seeded: &Path, root: &Path) -> RunResult {
    let data = root.join("data");
    copy_dir(seeded, &data);
    let server = Server::start(root, &data);
    let cfg = client_config();
    let addr = server.addr;

    let burst = login_burst(&cfg, addr, opts.burst).await;
    eprintln!(
        "  burst: {}/{} logged in, p50 {:.0} ms, p99 {:.0} ms (single {:.0} ms)",
        burst.ok, opts.burst, burst.p50_ms, burst.p99_ms, burst.single_ms
    );
    // Let the burst's connections close on the server side.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let trainer = login(&cfg, addr, 249, TRAINER, TRAINER_PW)
        .await
        .expect("trainer login");
    let typing_n = opts.typing;
    let mut ptys = Vec::new();
    let idle = idle_sessions(
        &server,
        &cfg,
        opts.sessions,
        |i| i <= typing_n + 2,
        &mut ptys,
    )
    .await;
    eprintln!(
        "  idle: {} held, {:.0} KiB/connection + {:.0} KiB/session = {:.0} KiB (RSS {} → {} MiB, {:.0} s to open)",
        idle.held,
        idle.conn_kib,
        idle.pty_kib,
        idle.total_kib,
        idle.rss_base_kib / 1024,
        idle.rss_end_kib / 1024,
        idle.open_secs
    );

    // Sessions 0..=typing: composers (0 types alone first, as the peer).
    let mut typers: Vec<Pty> = ptys.drain(..=typing_n).collect();
    for pty in typers.iter_mut() {
        to_composer(pty).await.expect("composer");
        pty.drain(Duration::from_millis(50)).await;
    }
    let solo_pty = typers.remove(0);
    let (solo_back, solo) = typing(&trainer, vec![solo_pty], 5, opts.rate).await;
    eprintln!(
        "  typing alone: client p50 {:.2} ms p99 {:.2} ms; server p50 {:.2} ms p99 {:.2} ms",
        solo.client_p50_ms, solo.client_p99_ms, solo.server_p50_ms, solo.server_p99_ms
    );
    let (typers, typed) = typing(&trainer, typers, opts.type_secs, opts.rate).await;
    eprintln!(
        "  typing x{}: {} keys ({} lost), client p50 {:.2} ms p99 {:.2} ms max {:.1} ms; server p50 {:.2} ms p99 {:.2} ms; {:.0} B/key",
        typing_n,
        typed.keys,
        typed.lost,
        typed.client_p50_ms,
        typed.client_p99_ms,
        typed.client_max_ms,
        typed.server_p50_ms,
        typed.server_p99_ms,
        typed.bytes_per_key
    );

    // Stall: sessions typing_n + 1 (stops reading) and typing_n + 2 (reads).
    let stalled = ptys.remove(0);
    let peer = ptys.remove(0);
    let (back, st) = stall(
        &server,
        &trainer,
        stalled,
        &student(typing_n + 1),
        peer,
        &student(typing_n + 2),
        opts.stall,
    )
    .await;
    eprintln!(
        "  stall {} s, {} messages: RSS +{} KiB with the client not reading, +{} KiB with a reading peer; stalled client drained {} KiB after, peer read {} KiB; screen caught up: {}",
        opts.stall,
        st.messages,
        st.stalled_growth_kib,
        st.peer_growth_kib,
        st.stalled_drained / 1024,
        st.peer_read / 1024,
        st.caught_up
    );
    let threads = server.threads();
    drop((back, typers, solo_back, ptys, trainer));
    server.stop();
    RunResult {
        burst,
        idle,
        solo,
        typing: typed,
        stall: st,
        threads,
    }
}

fn raise_fd_limit() -> u64 {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        if soft < hard {
            let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
        }
        return getrlimit(Resource::RLIMIT_NOFILE).map_or(soft, |l| l.0);
    }
    0
}

fn main() {
    let opts = Opts::parse();
    let fds = raise_fd_limit();
    // The server and the bench each hold one socket per session, plus files.
    assert!(
        fds as usize > opts.sessions + opts.burst + 200,
        "file descriptor limit {fds} too low for {} sessions",
        opts.sessions
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(main_async(opts));
}

async fn main_async(opts: Opts) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!(
        "load bench: {} sessions, {} typing at {} keys/s for {} s, burst {}, stall {} s, {} runs; loadavg {}",
        opts.sessions,
        opts.typing,
        opts.rate,
        opts.type_secs,
        opts.burst,
        opts.stall,
        opts.runs,
        load.trim()
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let seeded: PathBuf = dir.path().join("seed");
    let students = opts.sessions.max(opts.burst) + 2;
    let t = Instant::now();
    seed(&seeded, students).await;
    eprintln!(
        "seeded {students} activated students in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut results = Vec::new();
    for run in 0..opts.runs {
        eprintln!("run {}/{}:", run + 1, opts.runs);
        let root = dir.path().join(format!("run{run}"));
        std::fs::create_dir_all(&root).expect("run dir");
        results.push(run_once(&opts, &seeded, &root).await);
        let _ = std::fs::remove_dir_all(root.join("data"));
    }
    let m = |f: &dyn Fn(&RunResult) -> f64| median_f(results.iter().map(f).collect());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!();
    println!(
        "== load bench: medians of {} runs (loadavg at end {}) ==",
        opts.runs,
        load.trim()
    );
    println!(
        "login burst x{}: all complete {}; p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; peer single login {:.0} ms; ratio p99/single {:.1}x",
        opts.burst,
        results.iter().all(|r| r.burst.ok == opts.burst),
        m(&|r| r.burst.p50_ms),
        m(&|r| r.burst.p99_ms),
        m(&|r| r.burst.max_ms),
        m(&|r| r.burst.single_ms),
        m(&|r| r.burst.p99_ms / r.burst.single_ms),
    );
    println!(
        "idle sessions x{}: held {} (min); RSS per session {:.0} KiB = {:.0} KiB connection (peer: logged-in SSH connection, no channel) + {:.0} KiB full-screen session; ratio session/connection {:.1}x; server RSS {:.0} MiB at end, {} threads",
        opts.sessions,
        results.iter().map(|r| r.idle.held).min().unwrap_or(0),
        m(&|r| r.idle.total_kib),
        m(&|r| r.idle.conn_kib),
        m(&|r| r.idle.pty_kib),
        m(&|r| r.idle.total_kib / r.idle.conn_kib),
        m(&|r| r.idle.rss_end_kib as f64 / 1024.0),
        results.last().map_or(0, |r| r.threads),
    );
    println!(
        "typing x{} at {} keys/s: client p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms; server p50 {:.2} ms, p99 {:.2} ms; {:.0} bytes/key (server {:.0} bytes/frame); keys {} lost {}; peer one session alone: client p99 {:.2} ms, server p99 {:.2} ms; ratio p99 loaded/alone {:.1}x",
        opts.typing,
        opts.rate,
        m(&|r| r.typing.client_p50_ms),
        m(&|r| r.typing.client_p99_ms),
        m(&|r| r.typing.client_max_ms),
        m(&|r| r.typing.server_p50_ms),
        m(&|r| r.typing.server_p99_ms),
        m(&|r| r.typing.bytes_per_key),
        m(&|r| r.typing.server_bytes_per_frame),
        m(&|r| r.typing.keys as f64),
        m(&|r| r.typing.lost as f64),
        m(&|r| r.solo.client_p99_ms),
        m(&|r| r.solo.server_p99_ms),
        m(&|r| r.typing.client_p99_ms / r.solo.client_p99_ms),
    );
    println!(
        "stalled reader {} s ({} messages changing its screen): server RSS growth {:.0} KiB; peer, the same to a reading client: {:.0} KiB; difference {:.0} KiB; it drained {:.0} KiB on reading again vs {:.0} KiB read by the peer; screen caught up {}",
        opts.stall,
        m(&|r| r.stall.messages as f64),
        m(&|r| r.stall.stalled_growth_kib as f64),
        m(&|r| r.stall.peer_growth_kib as f64),
        m(&|r| (r.stall.stalled_growth_kib - r.stall.peer_growth_kib) as f64),
        m(&|r| r.stall.stalled_drained as f64 / 1024.0),
        m(&|r| r.stall.peer_read as f64 / 1024.0),
        results.iter().all(|r| r.stall.caught_up),
    );
}
