//! Test harness: the real server on port 0 with a temp data dir, driven by a real SSH
//! client (russh) whose PTY output is fed to a terminal emulator (vt100), so tests assert
//! on what a person would see.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use portail_ssh::Running;
use portail_ssh::config::Settings;
use russh::client::{self, Handle};
use russh::keys::PublicKeyOrCertificate;
use russh::{ChannelMsg, ChannelReadHalf, ChannelWriteHalf};
use tempfile::TempDir;

pub const TRAINER_PASSWORD: &str = "une longue phrase de test";

pub struct TestServer {
    pub running: Running,
    pub dir: TempDir,
    /// The first trainer's generated password (before any change).
    pub initial_password: String,
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(false).await
    }

    pub async fn start_with(demo: bool) -> TestServer {
        Self::start_configured(demo, |_| {}).await
    }

    /// Starts with settings adjusted by `adjust` (limits shrunk for a test).
    pub async fn start_configured(demo: bool, adjust: impl FnOnce(&mut Settings)) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings::ephemeral(dir.path());
        adjust(&mut settings);
        let running = portail_ssh::start(&settings, demo)
            .await
            .expect("server starts");
        let initial_password = running
            .initial_account
            .as_ref()
            .expect("first start creates the trainer")
            .password
            .clone();
        TestServer {
            running,
            dir,
            initial_password,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.running.ssh_addr
    }

    /// A trainer account with a known password and no forced change.
    pub async fn trainer(&self, email: &str) -> String {
        self.running
            .portail
            .add_trainer(email, TRAINER_PASSWORD)
            .await
            .expect("trainer created");
        email.to_string()
    }

    /// Waits until every channel task has ended (or fails after `secs`).
    pub async fn wait_sessions_drained(&self, secs: u64) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        while self.running.active_sessions() > 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} session task(s) still alive",
                self.running.active_sessions()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

pub struct Client;

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

pub async fn connect(addr: SocketAddr) -> Handle<Client> {
    let config = Arc::new(client::Config {
        inactivity_timeout: Some(Duration::from_secs(30)),
        ..Default::default()
    });
    client::connect(config, addr, Client)
        .await
        .expect("TCP/SSH connect")
}

/// Connects and authenticates; `None` when the password is refused.
pub async fn login(addr: SocketAddr, user: &str, password: &str) -> Option<Handle<Client>> {
    let mut h = connect(addr).await;
    let ok = h
        .authenticate_password(user, password)
        .await
        .map(|r| r.success())
        .unwrap_or(false);
    ok.then_some(h)
}

/// Runs `command` as `user` and returns its output; fails on a non-zero status.
pub async fn exec_ok(
    addr: SocketAddr,
    user: &str,
    password: &str,
    command: &str,
    stdin: Option<&[u8]>,
) -> String {
    let r = exec(addr, user, password, command, stdin).await;
    assert_eq!(r.status, Some(0), "{user}: {command}: {}", r.stderr);
    r.stdout
}

/// The classroom many tests start from: the trainer `prof@example.fr`, organisation Alpha,
/// class K1 holding Léa Bernard (`lea@example.fr`, not yet activated) and a published
/// course "Shell". Returns the server, the trainer's login and Léa's activation code.
pub async fn classroom() -> (TestServer, String, String) {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let addr = server.addr();
    let tp = TRAINER_PASSWORD;
    exec_ok(addr, &tr, tp, "org add --name Alpha", None).await;
    exec_ok(addr, &tr, tp, "class add --org Alpha --name K1", None).await;
    let lea = "student add --email lea@example.fr --first-name Léa --last-name Bernard --class K1";
    let code = activation_code(&exec_ok(addr, &tr, tp, lea, None).await);
    exec_ok(addr, &tr, tp, "course add --title Shell --published", None).await;
    (server, tr, code)
}

/// The activation code `student add` prints once (`XXXX-XXXX-XXXX`).
pub fn activation_code(out: &str) -> String {
    out.split("Code d'activation : ")
        .nth(1)
        .expect("activation code printed")[..14]
        .to_string()
}

/// A student's first password, chosen with the activation code (`passwd --stdin`).
pub async fn choose_password(addr: SocketAddr, user: &str, code: &str, password: &str) {
    let stdin = format!("{password}\n");
    let r = exec(addr, user, code, "passwd --stdin", Some(stdin.as_bytes())).await;
    assert_eq!(r.status, Some(0), "{user}: passwd: {}", r.stderr);
}

pub struct ExecResult {
    pub stdout: String,
    pub stderr: String,
    pub status: Option<u32>,
}

/// Runs `command` without a PTY, optionally sending `stdin` then EOF.
pub async fn exec(
    addr: SocketAddr,
    user: &str,
    password: &str,
    command: &str,
    stdin: Option<&[u8]>,
) -> ExecResult {
    let h = login(addr, user, password).await.expect("login accepted");
    let mut ch = h.channel_open_session().await.expect("session channel");
    ch.exec(true, command).await.expect("exec");
    if let Some(input) = stdin {
        ch.data(input).await.expect("stdin");
        ch.eof().await.expect("eof");
    }
    let mut out = ExecResult {
        stdout: String::new(),
        stderr: String::new(),
        status: None,
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let msg = tokio::time::timeout_at(deadline, ch.wait())
            .await
            .expect("exec finished in time");
        match msg {
            Some(ChannelMsg::Data { data }) => out.stdout.push_str(&String::from_utf8_lossy(&data)),
            Some(ChannelMsg::ExtendedData { data, .. }) => {
                out.stderr.push_str(&String::from_utf8_lossy(&data))
            }
            Some(ChannelMsg::ExitStatus { exit_status }) => out.status = Some(exit_status),
            Some(ChannelMsg::Close) | None => break,
            Some(_) => {}
        }
    }
    out
}

/// An interactive session: PTY + shell, screen emulated by vt100.
pub struct Pty {
    /// Keeps the connection open for the session's lifetime.
    _handle: Handle<Client>,
    reader: ChannelReadHalf,
    writer: ChannelWriteHalf<client::Msg>,
    pub parser: vt100::Parser,
    pub raw: Vec<u8>,
    pub closed: bool,
    pub exit_status: Option<u32>,
}

impl Pty {
    pub async fn open(addr: SocketAddr, user: &str, password: &str, cols: u32, rows: u32) -> Pty {
        let handle = login(addr, user, password).await.expect("login accepted");
        Self::on(handle, cols, rows).await
    }

    /// Logs in and waits for the home screen (its greeting, in French or English).
    pub async fn login_as(
        addr: SocketAddr,
        user: &str,
        password: &str,
        cols: u32,
        rows: u32,
    ) -> Pty {
        let mut pty = Self::open(addr, user, password, cols, rows).await;
        pty.wait_home().await;
        pty
    }

    /// First login with an activation code (or a generated password): chooses `new_password`
    /// on the forced form and waits for the home screen.
    pub async fn activate(
        addr: SocketAddr,
        user: &str,
        code: &str,
        new_password: &str,
        cols: u32,
        rows: u32,
    ) -> Pty {
        let mut pty = Self::open(addr, user, code, cols, rows).await;
        pty.wait_for("Choisissez votre mot de passe").await;
        let line = format!("{new_password}\r");
        pty.send(line.as_bytes()).await;
        pty.send(line.as_bytes()).await;
        pty.wait_for("Mot de passe enregistré").await;
        pty.wait_home().await;
        pty
    }

    /// Waits until the home screen greets the user.
    pub async fn wait_home(&mut self) -> String {
        self.wait_until(
            |s| s.contains("Bonjour, ") || s.contains("Hello, "),
            "the home screen",
        )
        .await
    }

    pub async fn on(handle: Handle<Client>, cols: u32, rows: u32) -> Pty {
        let ch = handle
            .channel_open_session()
            .await
            .expect("session channel");
        ch.request_pty(true, "xterm-256color", cols, rows, 0, 0, &[])
            .await
            .expect("pty");
        ch.request_shell(true).await.expect("shell");
        let (reader, writer) = ch.split();
        let (ecols, erows) = (cols.clamp(1, 500) as u16, rows.clamp(1, 200) as u16);
        Pty {
            _handle: handle,
            reader,
            writer,
            parser: emulator(erows, ecols),
            raw: Vec::new(),
            closed: false,
            exit_status: None,
        }
    }

    pub async fn send(&mut self, bytes: &[u8]) {
        self.writer.data(bytes).await.expect("send input");
    }

    /// Ends our input (the server sees EOF).
    pub async fn eof(&mut self) {
        self.writer.eof().await.expect("eof");
    }

    pub async fn resize(&mut self, cols: u32, rows: u32) {
        self.writer
            .window_change(cols, rows, 0, 0)
            .await
            .expect("window change");
        set_size(
            &mut self.parser,
            rows.clamp(1, 200) as u16,
            cols.clamp(1, 500) as u16,
        );
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Reads output until the screen contains `text`; panics with the screen otherwise.
    pub async fn wait_for(&mut self, text: &str) -> String {
        self.wait_until(|s| s.contains(text), text).await
    }

    pub async fn wait_until(&mut self, pred: impl Fn(&str) -> bool, what: &str) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            match tokio::time::timeout_at(deadline, self.reader.wait()).await {
                Err(_) => panic!("timed out waiting for {what:?}; screen:\n{screen}"),
                Ok(msg) => {
                    if !self.process(msg) {
                        let screen = self.screen();
                        assert!(pred(&screen), "closed before {what:?}; screen:\n{screen}");
                        return screen;
                    }
                }
            }
        }
    }

    /// Applies one channel message; false once the channel is closed.
    fn process(&mut self, msg: Option<ChannelMsg>) -> bool {
        match msg {
            Some(ChannelMsg::Data { data }) => {
                self.raw.extend_from_slice(&data);
                self.parser.process(&data);
                true
            }
            Some(ChannelMsg::ExitStatus { exit_status }) => {
                self.exit_status = Some(exit_status);
                true
            }
            Some(ChannelMsg::Close) | None => {
                self.closed = true;
                false
            }
            Some(_) => true,
        }
    }

    /// Reads until the server closes the channel.
    pub async fn wait_closed(&mut self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while !self.closed {
            let msg = tokio::time::timeout_at(deadline, self.reader.wait())
                .await
                .unwrap_or_else(|_| panic!("channel not closed; screen:\n{}", self.screen()));
            self.process(msg);
        }
    }

    /// Reads whatever arrives within `ms` milliseconds.
    pub async fn settle(&mut self, ms: u64) {
        let deadline = tokio::time::Instant::now() + Duration::from_millis(ms);
        while let Ok(msg) = tokio::time::timeout_at(deadline, self.reader.wait()).await {
            if !self.process(msg) {
                break;
            }
        }
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).expect("non-zero")
}

/// A terminal emulator of `rows` × `cols`.
pub fn emulator(rows: u16, cols: u16) -> vt100::Parser {
    vt100::Parser::new(nz(rows), nz(cols), 0)
}

pub fn set_size(parser: &mut vt100::Parser, rows: u16, cols: u16) {
    parser.screen_mut().set_size(nz(rows), nz(cols));
}
