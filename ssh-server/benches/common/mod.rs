//! What the benches share: starting the real `portail` binary as its own process.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Starts the release `portail` binary on a temp `data` dir under `root` (ports chosen by
/// the system, idle sessions kept for the whole run) and waits for the SSH address its
/// banner prints; stdout keeps being drained.
pub fn start_portail(root: &Path, data: &Path) -> (Child, SocketAddr) {
    let bin = env!("CARGO_BIN_EXE_portail");
    let log = std::fs::File::create(root.join("server.log")).expect("server log");
    let config = root.join("portail.toml");
    std::fs::write(&config, "idle_minutes = 1440\n").expect("config");
    let mut child = Command::new(bin)
        .current_dir(root)
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(data)
        .arg("--host-key-dir")
        .arg(root.join("host_keys"))
        .args(["--ssh-addr", "127.0.0.1:0", "--https-addr", "127.0.0.1:0"])
        .env_remove("PORTAIL_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("start the portail binary");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.trim_start().strip_prefix("SSH")
                && let Some(addr) = rest
                    .trim_start_matches([' ', ':'])
                    .split_whitespace()
                    .next()
                    .and_then(|a| a.parse::<SocketAddr>().ok())
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(addr);
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server printed its SSH address");
    (child, addr)
}
