//! Live demo broadcast benchmark (issue 16, "Load and limits"): one trainer streams a live
//! demo, `--watchers` students watch it in their full-screen sessions, and the same
//! watchers watch the same stream through the usual peer: OpenSSH `sshd` on a local port,
//! each watcher running `tmux -L … attach -r -t demo` on a tmux session printing it.
//!
//! For each system, in order:
//! 1. join: the watchers open their PTY sessions and the live demo; server RSS per watcher;
//! 2. lines: the stream prints `--rate` lines/s for `--seconds`; each line carries a
//!    sequence marker, the bench keeps each line's send time; every watcher feeds what it
//!    receives into a `vt100` parser and, on each chunk, finds the newest marker on its
//!    screen: latency = now − that line's send time (hdrhistogram, p50/p99); server CPU
//!    from /proc/PID/task/*/schedstat over the phase;
//! 3. typing: 5 small writes/s (one key-sized line each, with its marker) for 10 s;
//! 4. stall: one more watcher stops reading for `--stall` s while lines keep coming;
//!    server RSS change and the other watchers' latency in that window.
//!
//! Portail: the real release `portail` binary in its own process (as `load.rs`); the
//! trainer streams with `demo live 1 --cols 80 --rows 24` on an exec channel.
//! Peer: `/usr/sbin/sshd -D` with its own config on 127.0.0.1 (key login as the current
//! user), CPU and RSS summed over the sshd processes and the tmux server.
//!
//! Run (see BENCHMARKS.md): `cargo bench -p portail-ssh --bench demo`
//! Quick: `cargo bench -p portail-ssh --bench demo -- --watchers 20 --seconds 5 --stall 10`

mod common;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use portail::Portail;
use portail::services::CoreOptions;
use russh::client::{self, Handle};
use russh::keys::{PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh::{ChannelMsg, ChannelReadHalf, ChannelWriteHalf};
use tokio::net::TcpSocket;
use tokio::sync::Semaphore;

const TRAINER: &str = "formatrice@example.fr";
const TRAINER_PW: &str = "une phrase de banc d'essai";
const STUDENT_PW: &str = "mot de passe de demo";
/// The watchers' terminal: the demo (80×24) with the TUI's frame around it.
const COLS: u32 = 100;
const ROWS: u32 = 34;
const TMUX: &str = "benchdemo";
const TYPE_SECS: u64 = 10;
const TYPE_RATE: f64 = 5.0;

fn student(i: usize) -> String {
    format!("eleve{i}@example.fr")
}

struct Opts {
    watchers: usize,
    seconds: u64,
    rate: f64,
    stall: u64,
}

impl Opts {
    fn parse() -> Opts {
        let mut o = Opts {
            watchers: 200,
            seconds: 30,
            rate: 2000.0,
            stall: 60,
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
                "--watchers" => o.watchers = value(i).parse().expect("--watchers N"),
                "--seconds" => o.seconds = value(i).parse().expect("--seconds S"),
                "--rate" => o.rate = value(i).parse().expect("--rate LINES_PER_S"),
                "--stall" => o.stall = value(i).parse().expect("--stall S"),
                _ => {
                    i += 1;
                    continue;
                }
            }
            i += 2;
        }
        o
    }
}

// ---------------------------------------------------------------------------------------
// /proc helpers

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

/// CPU time of `pid` in ns: the sum of its threads' schedstat (first field) when no
/// thread has exited, else utime + stime from /proc/PID/stat (which keeps what exited
/// threads used, e.g. tokio's blocking pool; 10 ms ticks).
fn cpu_ns(pid: u32) -> u64 {
    let sched: u64 = std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|dir| {
            dir.flatten()
                .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
                .filter_map(|s| {
                    s.split_whitespace()
                        .next()
                        .and_then(|v| v.parse::<u64>().ok())
                })
                .sum()
        })
        .unwrap_or(0);
    let ticks: u64 = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let after = s[s.rfind(')')? + 2..].to_string();
            let f: Vec<u64> = after
                .split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|v| v.parse().ok())
                .collect();
            Some(f.iter().sum())
        })
        .unwrap_or(0);
    sched.max(ticks * 10_000_000)
}

/// Proportional set size (KiB): shared pages split between the processes sharing them.
fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn ppid(pid: u32) -> Option<u32> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &s[s.rfind(')')? + 2..];
    after.split_whitespace().nth(1)?.parse().ok()
}

/// `roots` and all their descendants.
fn family(roots: &[u32]) -> Vec<u32> {
    let all: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                .filter_map(|p| Some((p, ppid(p)?)))
                .collect()
        })
        .unwrap_or_default();
    let mut out: Vec<u32> = roots.to_vec();
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(all.iter().filter(|(_, pp)| *pp == parent).map(|(p, _)| *p));
        i += 1;
    }
    out
}

/// What the server side is made of: Portail's one process, or sshd + the tmux server.
enum Side {
    One(u32),
    Family(Vec<u32>),
}

impl Side {
    fn pids(&self) -> Vec<u32> {
        match self {
            Side::One(p) => vec![*p],
            Side::Family(roots) => family(roots),
        }
    }
    fn cpu_ns(&self) -> u64 {
        self.pids().into_iter().map(cpu_ns).sum()
    }
    /// Portail: VmRSS (KiB); several processes: the sum of their PSS (a sum of VmRSS
    /// would count the pages sshd's and tmux's processes share once per process).
    fn rss_kib(&self) -> u64 {
        match self {
            Side::One(p) => proc_status(*p, "VmRSS:"),
            Side::Family(_) => self.pids().into_iter().map(pss_kib).sum(),
        }
    }
    async fn settled_rss(&self, max: Duration) -> u64 {
        let deadline = Instant::now() + max;
        let mut last = self.rss_kib();
        loop {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let now = self.rss_kib();
            if now.abs_diff(last) <= 64 || Instant::now() >= deadline {
                return now;
            }
            last = now;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Processes: portail, sshd

fn stop_child(mut child: Child) {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    let _ = kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM);
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn run(cmd: &mut Command) {
    let st = cmd.status().expect("run a helper command");
    assert!(st.success(), "{cmd:?} failed");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// OpenSSH's sshd on 127.0.0.1 with its own host key and an authorized key for the bench.
fn start_sshd(root: &Path) -> (Child, SocketAddr, PathBuf) {
    let key = root.join("client_key");
    let host = root.join("host_key");
    for k in [&key, &host] {
        run(Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", ""])
            .arg("-f")
            .arg(k));
    }
    let auth = root.join("authorized_keys");
    std::fs::copy(key.with_extension("pub"), &auth).expect("authorized_keys");
    let port = free_port();
    let config = root.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\n\
             PidFile {}\nUsePAM no\nPermitRootLogin yes\nStrictModes no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nMaxStartups 1000\nMaxSessions 10\nLogLevel ERROR\n",
            host.display(),
            auth.display(),
            root.join("sshd.pid").display()
        ),
    )
    .expect("sshd config");
    let _ = std::fs::create_dir_all("/run/sshd");
    let log = std::fs::File::create(root.join("sshd.log")).expect("sshd log");
    let child = Command::new("/usr/sbin/sshd")
        .arg("-D")
        .arg("-e")
        .arg("-f")
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("start /usr/sbin/sshd (apt-get install openssh-server)");
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "sshd did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, addr, key)
}

fn tmux(args: &[&str]) -> Command {
    let mut c = Command::new("tmux");
    c.args(["-L", TMUX]).args(args);
    c
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

async fn login_key(
    config: &Arc<client::Config>,
    addr: SocketAddr,
    k: usize,
    key: &Arc<russh::keys::PrivateKey>,
) -> anyhow::Result<Handle<Client>> {
    let mut h = connect(config, addr, k).await?;
    let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
    let ok = h
        .authenticate_publickey(user, PrivateKeyWithHashAlg::new(key.clone(), None))
        .await?
        .success();
    anyhow::ensure!(ok, "key login refused by sshd");
    Ok(h)
}

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
            ChannelMsg::Data { data } | ChannelMsg::ExtendedData { data, .. } => {
                out.extend_from_slice(&data)
            }
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

async fn exec_ok(h: &Handle<Client>, command: &str) -> String {
    let (status, out) = exec(h, command, b"").await.expect("exec");
    assert_eq!(status, 0, "{command}: {out}");
    out
}

/// A watcher: a PTY session and a terminal emulator.
struct Watcher {
    _handle: Handle<Client>,
    reader: ChannelReadHalf,
    _writer: ChannelWriteHalf<client::Msg>,
    screen: vt100::Parser,
}

impl Watcher {
    async fn open(handle: Handle<Client>, command: Option<&str>) -> anyhow::Result<Watcher> {
        let ch = handle.channel_open_session().await?;
        ch.request_pty(true, "xterm-256color", COLS, ROWS, 0, 0, &[])
            .await?;
        match command {
            Some(c) => ch.exec(true, c).await?,
            None => ch.request_shell(true).await?,
        }
        let (reader, writer) = ch.split();
        Ok(Watcher {
            _handle: handle,
            reader,
            _writer: writer,
            screen: {
                let nz = |n: u32| std::num::NonZeroU16::new(n as u16).expect("non-zero");
                vt100::Parser::new(nz(ROWS), nz(COLS), 0)
            },
        })
    }

    fn contents(&self) -> String {
        self.screen.screen().contents()
    }

    async fn wait_screen(&mut self, ok: impl Fn(&str) -> bool, what: &str) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if ok(&self.contents()) {
                return Ok(());
            }
            match tokio::time::timeout_at(deadline, self.reader.wait()).await {
                Err(_) => anyhow::bail!("timed out waiting for {what}:\n{}", self.contents()),
                Ok(Some(ChannelMsg::Data { data })) => self.screen.process(&data),
                Ok(Some(ChannelMsg::Close | ChannelMsg::Eof) | None) => {
                    anyhow::bail!("session closed waiting for {what}:\n{}", self.contents())
                }
                Ok(Some(_)) => {}
            }
        }
    }
}

/// The newest marker `Q1234567` on the screen.
fn newest_marker(screen: &str) -> Option<u64> {
    let b = screen.as_bytes();
    let mut best = None;
    let mut i = 0;
    while i + 8 <= b.len() {
        if b[i] == b'Q' && b[i + 1..i + 8].iter().all(u8::is_ascii_digit) {
            let n: u64 = screen[i + 1..i + 8].parse().unwrap_or(0);
            best = best.max(Some(n));
            i += 8;
        } else {
            i += 1;
        }
    }
    best
}

// ---------------------------------------------------------------------------------------
// The measurement shared by both systems

const PHASES: usize = 4; // 0 join/idle, 1 lines, 2 typing, 3 stall
type Hists = Vec<Histogram<u64>>;

fn hists() -> Hists {
    (0..PHASES)
        .map(|_| Histogram::new_with_bounds(1, 600_000_000, 2).expect("histogram"))
        .collect()
}

struct Clock {
    t0: Instant,
    /// Send time of each marker, ns since t0 (0: not sent).
    sent: Vec<AtomicU64>,
    phase: AtomicU8,
}

/// Reads until `stop`; records marker latencies (µs) per phase.
async fn watch_loop(
    mut w: Watcher,
    clock: Arc<Clock>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> (Watcher, Hists) {
    let mut h = hists();
    let mut last = 0u64;
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            msg = w.reader.wait() => match msg {
                Some(ChannelMsg::Data { data }) => {
                    w.screen.process(&data);
                    if let Some(n) = newest_marker(&w.contents())
                        && n > last
                    {
                        last = n;
                        let sent = clock.sent.get(n as usize).map_or(0, |s| s.load(Ordering::Relaxed));
                        if sent > 0 {
                            let now = clock.t0.elapsed().as_nanos() as u64;
                            let phase = clock.phase.load(Ordering::Relaxed) as usize;
                            let _ = h[phase].record((now.saturating_sub(sent) / 1000).max(1));
                        }
                    }
                }
                Some(ChannelMsg::Close | ChannelMsg::Eof) | None => break,
                Some(_) => {}
            }
        }
    }
    (w, h)
}

/// Where the stream goes: Portail's `demo live` channel, or the tmux pane's FIFO.
enum Sink {
    Ssh(russh::Channel<client::Msg>),
    Fifo(std::fs::File),
}

impl Sink {
    async fn write(&mut self, bytes: &[u8]) {
        match self {
            Sink::Ssh(ch) => ch.data(bytes).await.expect("stream to the demo"),
            Sink::Fifo(f) => f.write_all(bytes).expect("stream to the FIFO"),
        }
    }
}

/// Streams `rate` lines/s for `secs` (batches every 5 ms), each with the next marker.
async fn stream(sink: &mut Sink, clock: &Clock, next: &mut u64, rate: f64, secs: f64) {
    let start = Instant::now();
    let tick = Duration::from_millis(if rate >= 200.0 { 5 } else { 1 });
    let mut written = 0u64;
    let mut buf = Vec::new();
    while start.elapsed().as_secs_f64() < secs {
        let due = (start.elapsed().as_secs_f64() * rate) as u64 + 1;
        buf.clear();
        let now = clock.t0.elapsed().as_nanos() as u64;
        while written < due {
            let n = *next;
            if let Some(s) = clock.sent.get(n as usize) {
                s.store(now, Ordering::Relaxed);
            }
            if rate >= 200.0 {
                let _ = write!(
                    buf,
                    "Q{n:07} sortie de la commande du formateur, ligne {n}\r\n"
                );
            } else {
                let _ = write!(buf, "Q{n:07}\r\n");
            }
            *next += 1;
            written += 1;
        }
        if !buf.is_empty() {
            sink.write(&buf).await;
        }
        tokio::time::sleep(tick).await;
    }
}

#[derive(Default, Clone)]
struct PhaseFig {
    p50_ms: f64,
    p99_ms: f64,
    samples: u64,
    /// Server CPU over the phase, in % of one core.
    cpu_pct: f64,
}

#[derive(Default, Clone)]
struct Figures {
    joined: usize,
    join_secs: f64,
    rss_per_watcher_kib: f64,
    rss_end_mib: f64,
    lines: PhaseFig,
    typing: PhaseFig,
    stall: PhaseFig,
    stall_rss_kib: i64,
    stall_ok: bool,
}

fn fig(h: &Histogram<u64>, cpu_ns: u64, wall: Duration) -> PhaseFig {
    PhaseFig {
        p50_ms: h.value_at_quantile(0.5) as f64 / 1000.0,
        p99_ms: h.value_at_quantile(0.99) as f64 / 1000.0,
        samples: h.len(),
        cpu_pct: cpu_ns as f64 / wall.as_nanos() as f64 * 100.0,
    }
}

/// Runs the phases once the watchers are open; `stalled` is opened but not read during
/// the stall window.
async fn measure(
    opts: &Opts,
    side: &Side,
    sink: &mut Sink,
    watchers: Vec<Watcher>,
    stalled: Watcher,
    mut f: Figures,
) -> Figures {
    let capacity = (opts.rate * (opts.seconds + opts.stall + 2) as f64) as usize
        + (TYPE_RATE * TYPE_SECS as f64) as usize
        + 1000;
    let clock = Arc::new(Clock {
        t0: Instant::now(),
        sent: (0..capacity).map(|_| AtomicU64::new(0)).collect(),
        phase: AtomicU8::new(0),
    });
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let tasks: Vec<_> = watchers
        .into_iter()
        .map(|w| tokio::spawn(watch_loop(w, clock.clone(), stop_rx.clone())))
        .collect();
    // The stalled watcher reads too until its window.
    let (stall_stop, stall_rx) = tokio::sync::watch::channel(false);
    let stalled_task = tokio::spawn(watch_loop(stalled, clock.clone(), stall_rx));
    let mut next = 1u64;
    let phase = |p: u8| clock.phase.store(p, Ordering::Relaxed);

    let mut run_phase = async |p: u8, rate: f64, secs: f64, sink: &mut Sink| {
        phase(p);
        let (c0, t0) = (side.cpu_ns(), Instant::now());
        stream(sink, &clock, &mut next, rate, secs).await;
        // Let the last lines arrive.
        tokio::time::sleep(Duration::from_millis(500)).await;
        (side.cpu_ns().saturating_sub(c0), t0.elapsed())
    };
    let lines = run_phase(1, opts.rate, opts.seconds as f64, sink).await;
    let typing = run_phase(2, TYPE_RATE, TYPE_SECS as f64, sink).await;
    // Stall: the stalled watcher stops reading (its client stops reading the socket once
    // its own queue is full).
    let _ = stall_stop.send(true);
    let (stalled_w, _) = stalled_task.await.expect("stalled task");
    let rss0 = side.settled_rss(Duration::from_secs(5)).await;
    let stall = run_phase(3, opts.rate, opts.stall as f64, sink).await;
    let rss1 = side.rss_kib();
    f.stall_rss_kib = rss1 as i64 - rss0 as i64;
    // Reading again: it catches up with the newest line.
    let mut stalled_w = stalled_w;
    let newest = next - 1;
    f.stall_ok = stalled_w
        .wait_screen(
            |s| newest_marker(s).is_some_and(|n| n + 100 >= newest),
            "the stalled watcher catching up",
        )
        .await
        .is_ok();
    let _ = stop.send(true);
    let mut all = hists();
    for t in tasks {
        let (_w, h) = t.await.expect("watcher task");
        for (a, b) in all.iter_mut().zip(h.iter()) {
            a.add(b).expect("merge histograms");
        }
    }
    f.lines = fig(&all[1], lines.0, lines.1);
    f.typing = fig(&all[2], typing.0, typing.1);
    f.stall = fig(&all[3], stall.0, stall.1);
    f.rss_end_mib = side.rss_kib() as f64 / 1024.0;
    f
}

// ---------------------------------------------------------------------------------------
// Portail

async fn portail_run(opts: &Opts, root: &Path) -> Figures {
    let data = root.join("data");
    {
        let p = Portail::open(&data, CoreOptions::default())
            .await
            .expect("open the store");
        p.add_trainer(TRAINER, TRAINER_PW).await.expect("trainer");
        p.store().close().await;
    }
    let (child, addr) = common::start_portail(root, &data);
    let side = Side::One(child.id());
    let cfg = client_config();
    let trainer = login(&cfg, addr, 249, TRAINER, TRAINER_PW)
        .await
        .expect("trainer login");
    for c in [
        "org add --name Alpha",
        "class add --org Alpha --name K1",
        "course add --title Shell --published",
        "course assign Shell --class K1",
        "demo add Shell --title Direct --at '2030-01-01 10:00' --duration 30",
    ] {
        exec_ok(&trainer, c).await;
    }
    // Students, activated as a person would: the code, then their password.
    let t = Instant::now();
    let n = opts.watchers + 1;
    let limit = Arc::new(Semaphore::new(6));
    let mut tasks = Vec::new();
    for i in 0..n {
        let out = exec_ok(
            &trainer,
            &format!(
                "student add --email {} --first-name E{i} --class K1",
                student(i)
            ),
        )
        .await;
        let code = out
            .split("Code d'activation : ")
            .nth(1)
            .expect("activation code")[..14]
            .to_string();
        let (cfg, limit) = (cfg.clone(), limit.clone());
        tasks.push(tokio::spawn(async move {
            let _p = limit.acquire().await.expect("semaphore");
            let h = login(&cfg, addr, i, &student(i), &code).await?;
            let (st, out) =
                exec(&h, "passwd --stdin", format!("{STUDENT_PW}\n").as_bytes()).await?;
            anyhow::ensure!(st == 0, "passwd: {out}");
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await.expect("task").expect("activation");
    }
    eprintln!(
        "  portail: {n} students activated in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    // The trainer starts streaming: the demo is live.
    let ch = trainer.channel_open_session().await.expect("channel");
    ch.exec(true, "demo live 1 --cols 80 --rows 24")
        .await
        .expect("demo live");
    let mut sink = Sink::Ssh(ch);
    sink.write(b"Q0000000 la demo commence\r\n").await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let rss_base = side.settled_rss(Duration::from_secs(5)).await;
    let t = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..n {
        let (cfg, limit) = (cfg.clone(), limit.clone());
        tasks.push(tokio::spawn(async move {
            let _p = limit.acquire().await.expect("semaphore");
            let h = login(&cfg, addr, i, &student(i), STUDENT_PW).await?;
            let mut w = Watcher::open(h, None).await?;
            w.wait_screen(|s| s.contains("Bonjour"), "home").await?;
            w._writer.data(&b"5"[..]).await?;
            w.wait_screen(
                |s| s.contains("Mes démos") && s.contains("› ● "),
                "the live demo listed",
            )
            .await?;
            w._writer.data(&b"\r"[..]).await?;
            w.wait_screen(|s| s.contains("Q0000000"), "the demo")
                .await?;
            anyhow::Ok(w)
        }));
    }
    let mut watchers = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(w) => watchers.push(w),
            Err(e) => eprintln!("  watcher failed: {e:#}"),
        }
    }
    let f = Figures {
        joined: watchers.len(),
        join_secs: t.elapsed().as_secs_f64(),
        rss_per_watcher_kib: (side.settled_rss(Duration::from_secs(10)).await as f64
            - rss_base as f64)
            / watchers.len().max(1) as f64,
        ..Default::default()
    };
    eprintln!(
        "  portail: {} watchers in {:.1} s, {:.0} KiB each",
        f.joined, f.join_secs, f.rss_per_watcher_kib
    );
    let stalled = watchers.pop().expect("a watcher");
    let f = measure(opts, &side, &mut sink, watchers, stalled, f).await;
    if let Sink::Ssh(ch) = sink {
        let _ = ch.eof().await;
    }
    drop(trainer);
    stop_child(child);
    f
}

// ---------------------------------------------------------------------------------------
// Peer: sshd + tmux attach -r

async fn peer_run(opts: &Opts, root: &Path) -> Figures {
    let (sshd, addr, key_path) = start_sshd(root);
    let key = Arc::new(russh::keys::load_secret_key(&key_path, None).expect("client key"));
    let fifo = root.join("demo.fifo");
    run(Command::new("mkfifo").arg(&fifo));
    let _ = tmux(&["kill-server"]).stderr(Stdio::null()).status();
    run(&mut tmux(&[
        "new-session",
        "-d",
        "-s",
        "demo",
        "-x",
        "80",
        "-y",
        "24",
        &format!("cat {}", fifo.display()),
    ]));
    run(&mut tmux(&["set", "-g", "window-size", "manual"]));
    run(&mut tmux(&["set", "-g", "status", "off"]));
    let out = tmux(&["display", "-p", "#{pid}"])
        .output()
        .expect("tmux pid");
    let tmux_pid: u32 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("tmux server pid");
    let mut sink = Sink::Fifo(
        std::fs::OpenOptions::new()
            .write(true)
            .open(&fifo)
            .expect("open the FIFO"),
    );
    sink.write(b"Q0000000 la demo commence\r\n").await;
    let side = Side::Family(vec![sshd.id(), tmux_pid]);
    let cfg = client_config();
    let n = opts.watchers + 1;
    let rss_base = side.settled_rss(Duration::from_secs(5)).await;
    let t = Instant::now();
    let limit = Arc::new(Semaphore::new(6));
    let mut tasks = Vec::new();
    for i in 0..n {
        let (cfg, limit, key) = (cfg.clone(), limit.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            let _p = limit.acquire().await.expect("semaphore");
            let h = login_key(&cfg, addr, i, &key).await?;
            let mut w =
                Watcher::open(h, Some(&format!("tmux -L {TMUX} attach -r -t demo"))).await?;
            w.wait_screen(|s| s.contains("Q0000000"), "the demo")
                .await?;
            anyhow::Ok(w)
        }));
    }
    let mut watchers = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(w) => watchers.push(w),
            Err(e) => eprintln!("  peer watcher failed: {e:#}"),
        }
    }
    let f = Figures {
        joined: watchers.len(),
        join_secs: t.elapsed().as_secs_f64(),
        rss_per_watcher_kib: (side.settled_rss(Duration::from_secs(10)).await as f64
            - rss_base as f64)
            / watchers.len().max(1) as f64,
        ..Default::default()
    };
    eprintln!(
        "  peer: {} watchers in {:.1} s, {:.0} KiB each (sum of PSS)",
        f.joined, f.join_secs, f.rss_per_watcher_kib
    );
    let stalled = watchers.pop().expect("a watcher");
    let f = measure(opts, &side, &mut sink, watchers, stalled, f).await;
    drop(sink);
    let _ = tmux(&["kill-server"]).stderr(Stdio::null()).status();
    stop_child(sshd);
    f
}

// ---------------------------------------------------------------------------------------

fn raise_fd_limit() {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE)
        && soft < hard
    {
        let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
    }
}

fn main() {
    let opts = Opts::parse();
    raise_fd_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(main_async(opts));
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}x", a / b)
    } else {
        "-".into()
    }
}

async fn main_async(opts: Opts) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!(
        "demo bench: {} watchers (+1 stalled), {} lines/s for {} s, typing {} keys/s for {} s, stall {} s; loadavg {}",
        opts.watchers,
        opts.rate,
        opts.seconds,
        TYPE_RATE,
        TYPE_SECS,
        opts.stall,
        load.trim()
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let proot = dir.path().join("portail");
    std::fs::create_dir_all(&proot).expect("dir");
    let p = portail_run(&opts, &proot).await;
    let sroot = dir.path().join("peer");
    std::fs::create_dir_all(&sroot).expect("dir");
    let s = peer_run(&opts, &sroot).await;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!();
    println!(
        "== demo bench: {} watchers, {} lines/s x {} s, stall {} s (loadavg at end {}) ==",
        opts.watchers,
        opts.rate,
        opts.seconds,
        opts.stall,
        load.trim()
    );
    println!(
        "{:<44} {:>14} {:>14} {:>10}",
        "", "Portail", "sshd+tmux", "ratio"
    );
    let row = |name: &str, a: f64, b: f64, unit: &str| {
        println!(
            "{:<44} {:>11.2} {:<2} {:>11.2} {:<2} {:>10}",
            name,
            a,
            unit,
            b,
            unit,
            ratio(a, b)
        );
    };
    row("watchers joined", p.joined as f64, s.joined as f64, "");
    row("join time", p.join_secs, s.join_secs, "s");
    row(
        "RSS per watcher",
        p.rss_per_watcher_kib,
        s.rss_per_watcher_kib,
        "KiB",
    );
    for (name, a, b) in [
        ("lines", &p.lines, &s.lines),
        ("typing", &p.typing, &s.typing),
        ("stall (others)", &p.stall, &s.stall),
    ] {
        row(&format!("{name}: latency p50"), a.p50_ms, b.p50_ms, "ms");
        row(&format!("{name}: latency p99"), a.p99_ms, b.p99_ms, "ms");
        row(
            &format!("{name}: samples"),
            a.samples as f64,
            b.samples as f64,
            "",
        );
        row(&format!("{name}: server CPU"), a.cpu_pct, b.cpu_pct, "%");
        row(
            &format!("{name}: server CPU per watcher"),
            a.cpu_pct / p.joined.max(1) as f64,
            b.cpu_pct / s.joined.max(1) as f64,
            "%",
        );
    }
    row(
        "stall: server RSS change",
        p.stall_rss_kib as f64,
        s.stall_rss_kib as f64,
        "KiB",
    );
    row("server RSS at end", p.rss_end_mib, s.rss_end_mib, "MiB");
    println!(
        "stalled watcher caught up after reading again: Portail {}, peer {}",
        p.stall_ok, s.stall_ok
    );
}
