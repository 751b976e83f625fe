//! The real `portail` binary, driven by the real OpenSSH client (through `sshpass`).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Portail {
    child: Child,
    banner: String,
    ssh_port: u16,
}

impl Portail {
    fn start(dir: &Path) -> Portail {
        let mut child = Command::new(env!("CARGO_BIN_EXE_portail"))
            .args(["--ssh-addr", "127.0.0.1:0", "--https-addr", "127.0.0.1:0"])
            .current_dir(dir)
            .env_remove("PORTAIL_DATA_DIR")
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
        let ssh_port = field(&banner, "SSH     :")
            .split_whitespace()
            .next()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Portail {
            child,
            banner,
            ssh_port,
        }
    }

    fn stop(mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "portail did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn field<'a>(banner: &'a str, label: &str) -> &'a str {
    banner
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(label.trim_start()))
        .unwrap_or_else(|| panic!("{label} missing in:\n{banner}"))
        .trim()
}

fn ssh(port: u16, user: &str, password: &str) -> Command {
    let mut c = Command::new("sshpass");
    c.args(["-p", password, "ssh"])
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
        .args(["-p", &port.to_string(), &format!("{user}@127.0.0.1")]);
    c
}

#[test]
fn openssh_first_start_login_exec_restart_and_trainer_add() {
    let dir = tempfile::tempdir().unwrap();
    let server = Portail::start(dir.path());
    assert!(
        server.banner.contains("Premier démarrage"),
        "{}",
        server.banner
    );
    // Standard output is a pipe here, not a terminal: the password is in a 0600 file.
    let password_file = dir.path().join("data/premier-mot-de-passe.txt");
    assert!(
        field(&server.banner, "mot de passe :").contains(&password_file.display().to_string()),
        "{}",
        server.banner
    );
    let written = std::fs::read_to_string(&password_file).unwrap();
    let password = field(&written, "mot de passe :").to_string();
    assert!(password.len() >= 12, "{written}");
    assert!(!server.banner.contains(&password), "{}", server.banner);
    let fingerprint = field(&server.banner, "Clé d'hôte SSH :").to_string();
    assert!(dir.path().join("data/portail.db").exists());
    assert!(dir.path().join("host_keys/ssh_host_ed25519_key").exists());

    // Exec through OpenSSH: help exits 0, unknown command exits non-zero.
    let out = ssh(server.ssh_port, "formateur", &password)
        .arg("help")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("whoami"));
    let out = ssh(server.ssh_port, "formateur", &password)
        .arg("nimportequoi")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Commande inconnue"));
    let out = ssh(server.ssh_port, "formateur", "mauvais mot de passe")
        .arg("help")
        .output()
        .unwrap();
    assert!(!out.status.success());

    // The fingerprint printed is the one OpenSSH sees.
    let scan = Command::new("ssh-keyscan")
        .args([
            "-t",
            "ed25519",
            "-p",
            &server.ssh_port.to_string(),
            "127.0.0.1",
        ])
        .stderr(Stdio::null())
        .output()
        .unwrap();
    let mut keygen = Command::new("ssh-keygen")
        .args(["-lf", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    keygen
        .stdin
        .take()
        .unwrap()
        .write_all(&scan.stdout)
        .unwrap();
    let listed = String::from_utf8(keygen.wait_with_output().unwrap().stdout).unwrap();
    assert!(listed.contains(&fingerprint), "{listed} vs {fingerprint}");

    // Interactive login with a PTY (ssh -tt), forced password change, then quit.
    let mut child = ssh(server.ssh_port, "formateur", &password)
        .arg("-tt")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let screen = Arc::new(Mutex::new(crate::harness::emulator(24, 80)));
    let mut stdout = child.stdout.take().unwrap();
    let sink = screen.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().process(&buf[..n]);
        }
    });
    let wait_for = |text: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let contents = screen.lock().unwrap().screen().contents();
            if contents.contains(text) {
                return contents;
            }
            assert!(
                Instant::now() < deadline,
                "waiting for {text:?}:\n{contents}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("Choisissez votre mot de passe");
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"phrase via openssh\tphrase via openssh\r")
        .unwrap();
    stdin.flush().unwrap();
    wait_for("Organismes");
    stdin.write_all(b"q").unwrap();
    stdin.flush().unwrap();
    let status = child.wait().unwrap();
    reader.join().unwrap();
    assert!(status.success(), "ssh exit {status:?}");

    // `trainer add` works while the server runs.
    let mut add = Command::new(env!("CARGO_BIN_EXE_portail"))
        .args(["trainer", "add", "second@example.fr", "--password-stdin"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .output_with_stdin(b"deuxieme formateur\n");
    assert!(
        add.status.success(),
        "{:?}",
        String::from_utf8_lossy(&add.stderr)
    );
    add.stdout.clear();
    let out = ssh(server.ssh_port, "second@example.fr", "deuxieme formateur")
        .args(["whoami", "--json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"must_change_password\":false"));

    // SIGTERM stops cleanly; the next start prints no account and keeps the host key.
    assert!(server.stop().success());
    let again = Portail::start(dir.path());
    assert!(
        !again.banner.contains("Premier démarrage"),
        "{}",
        again.banner
    );
    assert_eq!(field(&again.banner, "Clé d'hôte SSH :"), fingerprint);
    let out = ssh(again.ssh_port, "formateur", "phrase via openssh")
        .arg("whoami")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(again.stop().success());
}

trait OutputWithStdin {
    fn output_with_stdin(&mut self, input: &[u8]) -> std::process::Output;
}

impl OutputWithStdin for Command {
    fn output_with_stdin(&mut self, input: &[u8]) -> std::process::Output {
        let mut child = self
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    }
}
