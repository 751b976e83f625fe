//! Secrets only for the server's user (issue 13, items 6 and 7c), through the real binary
//! started with a umask of 022 and of 000: the data dir is 0700; the database (and its
//! -wal/-shm), the link secret, the TLS key and the host key are 0600 on creation, in the
//! backup tar and after `portail restore`; the first-run password goes to a 0600 file when
//! standard output is not a terminal; logs written to a file carry no colour codes.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `portail ARGS` in `dir` through `sh`, with this umask.
fn portail(dir: &Path, umask: &str, args: &[&str]) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_portail"))
        .args(args)
        .current_dir(dir)
        .env_remove("PORTAIL_DATA_DIR")
        .env_remove("PORTAIL_HOST_KEY_DIR")
        .env_remove("NO_COLOR")
        .env("RUST_LOG", "info,sqlx=debug");
    c
}

/// Starts the server; returns it and its standard output up to the ready line.
fn start(dir: &Path, umask: &str) -> (Child, String) {
    let log = std::fs::File::create(dir.join("stderr.log")).unwrap();
    let mut child = portail(
        dir,
        umask,
        &["--ssh-addr", "127.0.0.1:0", "--https-addr", "127.0.0.1:0"],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::from(log))
    .spawn()
    .unwrap();
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
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    (child, banner)
}

fn stop(mut child: Child) {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "portail did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every directory under `root` (itself included) is 0700, every file 0600.
fn all_private(root: &Path) {
    assert_eq!(mode(root), 0o700, "{}", root.display());
    for e in std::fs::read_dir(root).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all_private(&p);
        } else {
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }
}

#[test]
fn secrets_are_private_whatever_the_umask_and_logs_have_no_colours() {
    for umask in ["022", "000"] {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        let (server, banner) = start(dir, umask);
        let data = dir.join("data");
        // While it runs (the -wal and -shm files exist).
        assert_eq!(mode(&data), 0o700, "umask {umask}");
        for f in [
            "portail.db",
            "portail.db-wal",
            "portail.db-shm",
            "link_secret",
            "tls/key.pem",
            "premier-mot-de-passe.txt",
        ] {
            assert_eq!(mode(&data.join(f)), 0o600, "{f}, umask {umask}");
        }
        assert_eq!(mode(&data.join("tls")), 0o700);
        assert_eq!(mode(&data.join("files")), 0o700);
        assert_eq!(mode(&dir.join("host_keys")), 0o700);
        assert_eq!(mode(&dir.join("host_keys/ssh_host_ed25519_key")), 0o600);
        // The first password: not on a standard output that is not a terminal.
        let written = std::fs::read_to_string(data.join("premier-mot-de-passe.txt")).unwrap();
        let password = written
            .lines()
            .find_map(|l| l.strip_prefix("mot de passe : "))
            .unwrap();
        assert!(!banner.contains(password), "{banner}");
        assert!(banner.contains("premier-mot-de-passe.txt"), "{banner}");
        stop(server);
        // Logs to a file: readable text, no escape sequences.
        let log = std::fs::read_to_string(dir.join("stderr.log")).unwrap();
        assert!(log.contains("Portail démarré"), "{log}");
        assert!(!log.contains('\x1b'), "colour codes in a log file: {log:?}");

        // The backup: every entry 0600 (directories 0700) in the tar.
        ok(portail(dir, umask, &["backup", "sauvegarde.tar"])
            .output()
            .unwrap());
        assert_eq!(mode(&dir.join("sauvegarde.tar")), 0o600);
        let listing = ok(Command::new("tar")
            .args(["-tvf", "sauvegarde.tar"])
            .current_dir(dir)
            .output()
            .unwrap());
        for line in listing.lines() {
            let perms = line.split_whitespace().next().unwrap();
            assert!(
                perms == "-rw-------" || perms == "drwx------",
                "{line}\n{listing}"
            );
        }
        assert!(
            listing.contains("host_keys/ssh_host_ed25519_key"),
            "{listing}"
        );
        assert!(listing.contains("link_secret"), "{listing}");
        // A documented `tar -xf` leaves the secrets private.
        std::fs::create_dir(dir.join("x")).unwrap();
        ok(Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask}; tar -xf sauvegarde.tar -C x"))
            .current_dir(dir)
            .output()
            .unwrap());
        for f in [
            "portail.db",
            "link_secret",
            "tls/key.pem",
            "host_keys/ssh_host_ed25519_key",
        ] {
            assert_eq!(mode(&dir.join("x").join(f)), 0o600, "tar -xf: {f}");
        }
        assert_eq!(mode(&dir.join("x/host_keys")), 0o700);

        // `portail restore`: the new data dir and host key dir are private throughout.
        ok(portail(
            dir,
            umask,
            &[
                "restore",
                "sauvegarde.tar",
                "--data-dir",
                "restored",
                "--host-key-dir",
                "restored_keys",
            ],
        )
        .output()
        .unwrap());
        all_private(&dir.join("restored"));
        all_private(&dir.join("restored_keys"));
    }
}
