//! Crash safety, driven on the real `portail` binary as a separate process: `kill -9`
//! during a large import, online backup and restore, graceful shutdown on SIGTERM.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::ChannelMsg;

use crate::harness::{ExecResult, Pty, exec, login};

const EMAIL: &str = "prof@example.fr";
const PASSWORD: &str = "une phrase pour les pannes";

/// The binary on a data dir and host key dir of our choosing, ports chosen by the OS.
struct Server {
    child: Child,
    banner: String,
    ssh: SocketAddr,
    https: SocketAddr,
    /// What the server printed after its banner.
    rest: Arc<Mutex<String>>,
}

fn portail(root: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_portail"));
    c.current_dir(root)
        .args(["--data-dir", "data", "--host-key-dir", "host_keys"])
        .env_remove("PORTAIL_DATA_DIR")
        .env_remove("PORTAIL_HOST_KEY_DIR")
        .env_remove("PORTAIL_CONFIG");
    c
}

/// `portail trainer add` (creates the database when there is none).
fn add_trainer(root: &Path) {
    add_trainer_as(root, EMAIL);
}

fn add_trainer_as(root: &Path, email: &str) {
    let mut child = portail(root)
        .args(["trainer", "add", email, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn addr_after(banner: &str, label: &str) -> SocketAddr {
    banner
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(label))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("{label} missing in:\n{banner}"))
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = portail(root)
            .args(["--ssh-addr", "127.0.0.1:0", "--https-addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("portail starts");
        let mut out = BufReader::new(child.stdout.take().unwrap());
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
        let rest = Arc::new(Mutex::new(String::new()));
        let sink = rest.clone();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&line);
                sink.lock().unwrap().push('\n');
            }
        });
        Server {
            ssh: addr_after(&banner, "SSH     :"),
            https: addr_after(&banner, "HTTPS   :"),
            child,
            banner,
            rest,
        }
    }

    fn kill9(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }

    /// SIGTERM, then the exit status (fails after 20 s).
    fn term(mut self) -> (ExitStatus, String) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                return (status, self.rest.lock().unwrap().clone());
            }
            assert!(Instant::now() < deadline, "portail did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn run(addr: SocketAddr, cmd: &str, stdin: &[u8]) -> ExecResult {
    let r = exec(addr, EMAIL, PASSWORD, cmd, Some(stdin)).await;
    assert_eq!(r.status, Some(0), "{cmd}: {}", r.stderr);
    r
}

/// Opens a database file directly (the server stopped): integrity and a few counts.
async fn inspect(db: &Path) -> (String, [i64; 4]) {
    use sqlx::Connection;
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .create_if_missing(false);
    let mut conn = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    let mut counts = [0i64; 4];
    for (i, sql) in [
        "SELECT count(*) FROM users WHERE role = 'student'",
        "SELECT count(*) FROM organisations",
        "SELECT count(*) FROM classes",
        "SELECT count(*) FROM class_members",
    ]
    .into_iter()
    .enumerate()
    {
        counts[i] = sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
    (integrity.join("; "), counts)
}

/// The import benchmark's file: `n` students over 7 organisations and 40 class names.
fn students_csv(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 90);
    s.push_str("email;prénom;nom;téléphone;organisme;classe\n");
    for i in 0..n {
        s.push_str(&format!(
            "etudiant{i}@example.fr;Prénom{i};Nom{i};06 12 34 {:02} {:02};Organisme {};Classe {}\n",
            i % 100,
            (i / 100) % 100,
            i % 7,
            i % 40
        ));
    }
    s.into_bytes()
}

fn wal_len(root: &Path) -> u64 {
    std::fs::metadata(root.join("data/portail.db-wal"))
        .map(|m| m.len())
        .unwrap_or(0)
}

/// `kill -9` while a 100,000-row import is being written: after a restart the database
/// opens, passes `integrity_check`, and holds the whole batch or none of it.
///
/// The kill is aimed at the write itself, not at the upload: the import's transaction
/// spills pages to the WAL as it goes (far more than SQLite's page cache holds), so the
/// WAL growing by over 1 MiB past its size before the command means rows are being
/// written. Killing then is the case that matters (a kill while stdin is still arriving
/// trivially leaves nothing); the test fails if the import ends before that is seen, so
/// it never passes without having interrupted a write. A debug build spends a few seconds
/// before that point, and the test stops there rather than waiting for the import.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_100k_import_leaves_all_or_nothing() {
    const ROWS: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    add_trainer(root);
    let server = Server::start(root);
    let file = students_csv(ROWS);

    let h = login(server.ssh, EMAIL, PASSWORD).await.expect("login");
    let ch = h.channel_open_session().await.unwrap();
    let wal_before = wal_len(root);
    ch.exec(true, "import students").await.unwrap();
    let (reader, writer) = ch.split();
    let upload = tokio::spawn(async move {
        for chunk in file.chunks(256 * 1024) {
            if writer.data(chunk).await.is_err() {
                return;
            }
        }
        let _ = writer.eof().await;
    });
    let finished = tokio::spawn(async move {
        let mut reader = reader;
        let mut out = String::new();
        loop {
            match reader.wait().await {
                Some(ChannelMsg::ExitStatus { exit_status }) => {
                    return Some((exit_status, out));
                }
                Some(ChannelMsg::Data { data } | ChannelMsg::ExtendedData { data, .. }) => {
                    out.push_str(&String::from_utf8_lossy(&data));
                }
                Some(_) => {}
                None => return None,
            }
        }
    });

    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        if wal_len(root) > wal_before + (1 << 20) {
            break;
        }
        assert!(
            !finished.is_finished(),
            "the import ended before its write could be interrupted: {:?}",
            finished.await.unwrap()
        );
        assert!(
            Instant::now() < deadline,
            "the import never started writing"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let wal_at_kill = wal_len(root);
    server.kill9();
    eprintln!("killed with the WAL at {wal_at_kill} bytes (was {wal_before})");
    // The client sees the connection drop, without an exit status.
    let status = tokio::time::timeout(Duration::from_secs(10), finished)
        .await
        .expect("client notices the kill")
        .unwrap();
    assert!(status.is_none(), "import completed: {status:?}");
    upload.abort();
    drop(h);

    // Restart on the same data dir: it opens (migrations checked) and serves.
    let again = Server::start(root);
    let orgs = run(again.ssh, "org list --json", b"").await.stdout;
    let (status, _) = again.term();
    assert!(status.success());
    let (integrity, [students, orgs_n, classes, members]) =
        inspect(&root.join("data/portail.db")).await;
    assert_eq!(integrity, "ok");
    // Classes are named per organisation: 40 names × 7 organisations, all paired.
    let all = [ROWS as i64, 7, 280, ROWS as i64];
    let none = [0, 0, 0, 0];
    assert!(
        [students, orgs_n, classes, members] == all || [students, orgs_n, classes, members] == none,
        "partial import after kill -9 (WAL {wal_before} → {wal_at_kill} bytes): \
         {students} students, {orgs_n} organisations, {classes} classes, {members} memberships"
    );
    assert_eq!(orgs.contains("Organisme 3"), orgs_n == 7, "{orgs}");
}

/// `portail backup` while the server serves and writes; the archive restored into a new
/// data dir runs a server that has the data, the files, the link secret and the host key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_serving_then_restore_finds_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("a");
    std::fs::create_dir_all(&root).unwrap();
    add_trainer(&root);
    let server = Server::start(&root);
    let ssh = server.ssh;
    for cmd in [
        "org add --name \"Institut Alpha\"",
        "class add --org \"Institut Alpha\" --name \"Promo 2026\"",
        "student add --email marie@example.fr --first-name Marie --class \"Promo 2026\"",
        "course add --title Rust",
    ] {
        run(ssh, cmd, b"").await;
    }
    let slides: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
    run(
        ssh,
        "resource upload Rust --title Diapos --name diapos.bin",
        &slides,
    )
    .await;
    // A download link signed by this server (its secret read from its data dir): the
    // only stored file, for the trainer.
    let me: serde_json::Value =
        serde_json::from_str(&run(ssh, "whoami --json", b"").await.stdout).unwrap();
    let signer = portail::files::LinkSigner::load_or_create(&root.join("data")).unwrap();
    let expires = chrono::Utc::now().timestamp() + 3600;
    let link_path = signer.sign_path(1, me["id"].as_i64().unwrap(), expires);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let resp = http
        .get(format!("https://{}{link_path}", server.https))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    // Writes go on during the backup.
    let writing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let writer = {
        let writing = writing.clone();
        tokio::spawn(async move {
            let mut n = 0;
            while writing.load(std::sync::atomic::Ordering::SeqCst) {
                run(
                    ssh,
                    &format!("student add --email pendant{n}@example.fr"),
                    b"",
                )
                .await;
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let archive = dir.path().join("sauvegarde.tar");
    let out = tokio::task::spawn_blocking({
        let (root, archive) = (root.clone(), archive.clone());
        move || portail(&root).arg("backup").arg(&archive).output().unwrap()
    })
    .await
    .unwrap();
    writing.store(false, std::sync::atomic::Ordering::SeqCst);
    let during = writer.await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Sauvegarde écrite") && said.contains("fichiers : 1"),
        "{said}"
    );
    // Written after the backup: not in it.
    run(ssh, "student add --email apres@example.fr", b"").await;
    // A second backup to the same name is refused; nothing is overwritten.
    let again = portail(&root).arg("backup").arg(&archive).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("existe déjà"));

    // Restore into a new place and start a server there.
    let other = dir.path().join("b");
    std::fs::create_dir_all(&other).unwrap();
    let out = portail(&other)
        .arg("restore")
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The source server still runs: the restored copy is independent of it.
    let restored = Server::start(&other);
    let fingerprint = |b: &str| {
        b.lines()
            .find(|l| l.contains("Clé d'hôte SSH"))
            .map(str::to_owned)
    };
    assert_eq!(fingerprint(&restored.banner), fingerprint(&server.banner));
    assert!(!restored.banner.contains("Premier démarrage"));
    let students = run(restored.ssh, "student list --json", b"").await.stdout;
    assert!(students.contains("marie@example.fr"), "{students}");
    assert!(!students.contains("apres@example.fr"));
    let kept = students.matches("pendant").count();
    assert!(kept <= during, "{kept} of {during} concurrent students");
    let classes = run(restored.ssh, "class list", b"").await.stdout;
    assert!(classes.contains("Promo 2026"), "{classes}");
    // The link made before the backup downloads the file from the restored server.
    let url = format!("https://{}{link_path}", restored.https);
    let resp = http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{url}");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), slides.as_slice());
    assert!(restored.term().0.success());
    assert!(server.term().0.success());
    let (integrity, _) = inspect(&other.join("data/portail.db")).await;
    assert_eq!(integrity, "ok");
}

/// SIGTERM: open PTY sessions get the notice in their language and a clean terminal,
/// exec commands an exit status, and the process exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_gives_sessions_a_notice_a_clean_terminal_and_a_status() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    add_trainer(root);
    // Another account: the language is the account's, shared by its sessions.
    add_trainer_as(root, "teacher@example.fr");
    let server = Server::start(root);
    let mut fr = Pty::login_as(server.ssh, EMAIL, PASSWORD, 80, 24).await;
    let mut en = Pty::login_as(server.ssh, "teacher@example.fr", PASSWORD, 80, 24).await;
    en.send(b"6").await;
    en.wait_for("Langue").await;
    en.send(b"j\r").await; // "Mes informations" first, then "Langue"
    en.wait_for("Language saved").await;
    assert!(fr.parser.screen().alternate_screen());
    // An exec command still waiting for its input when the server stops.
    let h = login(server.ssh, EMAIL, PASSWORD).await.unwrap();
    let mut ch = h.channel_open_session().await.unwrap();
    ch.exec(true, "import students").await.unwrap();
    ch.data(&b"email\nx@example.fr\n"[..]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let stopping = tokio::task::spawn_blocking(move || server.term());
    fr.wait_closed().await;
    en.wait_closed().await;
    let mut stderr = String::new();
    let mut exit = None;
    while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(15), ch.wait()).await {
        match msg {
            ChannelMsg::ExtendedData { data, .. } => {
                stderr.push_str(&String::from_utf8_lossy(&data))
            }
            ChannelMsg::ExitStatus { exit_status } => exit = Some(exit_status),
            ChannelMsg::Close => break,
            _ => {}
        }
    }
    let (status, printed) = stopping.await.unwrap();
    assert!(status.success(), "exit {status:?}");
    assert!(printed.contains("Arrêt en cours"), "{printed}");

    const LEAVE: &[u8] = b"\x1b[?2004l\x1b[0m\x1b[?25h\x1b[?1049l";
    for (pty, notice) in [
        (&fr, "Le serveur Portail s'arrête"),
        (&en, "The Portail server is stopping"),
    ] {
        let raw = &pty.raw;
        let at = raw
            .windows(LEAVE.len())
            .rposition(|w| w == LEAVE)
            .expect("terminal restored");
        let tail = String::from_utf8_lossy(&raw[at + LEAVE.len()..]);
        assert!(tail.starts_with(notice), "{tail:?}");
        let screen = pty.parser.screen();
        assert!(!screen.alternate_screen());
        assert!(!screen.hide_cursor());
        assert!(!screen.bracketed_paste());
        assert!(screen.contents().contains(notice), "{}", screen.contents());
        assert_eq!(pty.exit_status, Some(0));
    }
    assert_eq!(exit, Some(portail_ssh::exec::EXIT_SHUTDOWN), "{stderr}");
    assert!(stderr.contains("s'arrête"), "{stderr}");
    // Interrupted before its end of input: nothing was imported.
    let (_, [students, ..]) = inspect(&root.join("data/portail.db")).await;
    assert_eq!(students, 0);
}
