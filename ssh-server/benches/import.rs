//! Import benchmark: `ssh trainer@host import students < file` end to end (the real
//! `portail` binary as its own process, real SSH client, real SQLite file), against a
//! peer measured in the same run: the same rows bulk-inserted straight into SQLite with
//! no parsing, validation or SSH. The server's peak memory (VmHWM of its process) is read
//! after each import: it must not grow with the number of rows.
//!
//! Run: `cargo bench -p portail-ssh --bench import -- 10000 100000 200000`
//! (`PORTAIL_BIN=/path/to/portail` measures another build of the server;
//! `BENCH_RUNS=n` sets the runs per size, 5 by default).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use russh::client;
use russh::keys::PublicKeyOrCertificate;

struct Client;
impl client::Handler for Client {
    type Error = russh::Error;
    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

fn csv(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 80);
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

/// A `VmHWM`/`VmRSS`-style field of /proc/PID/status, in KiB.
fn proc_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

const EMAIL: &str = "bench@example.fr";
const PASSWORD: &str = "une phrase de banc d'essai";

/// The server binary, started in `dir` with a fresh database and a trainer account.
struct Server {
    child: Child,
    addr: std::net::SocketAddr,
}

impl Server {
    fn start(bin: &str, dir: &Path) -> Server {
        let mut add = Command::new(bin)
            .args(["trainer", "add", EMAIL, "--password-stdin"])
            .current_dir(dir)
            .env_remove("PORTAIL_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("portail trainer add");
        writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
        assert!(add.wait().unwrap().success());
        let mut child = Command::new(bin)
            .args(["--ssh-addr", "127.0.0.1:0", "--https-addr", "127.0.0.1:0"])
            .current_dir(dir)
            .env_remove("PORTAIL_DATA_DIR")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("portail starts");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut port = None;
        loop {
            let mut line = String::new();
            assert!(out.read_line(&mut line).unwrap() > 0, "portail exited");
            if let Some(rest) = line.trim_start().strip_prefix("SSH") {
                port = rest
                    .split_whitespace()
                    .find_map(|w| w.rsplit(':').next().and_then(|p| p.parse::<u16>().ok()));
            }
            if line.contains("Ctrl-C") {
                break;
            }
        }
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Server {
            child,
            addr: ([127, 0, 0, 1], port.expect("SSH port in the banner")).into(),
        }
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

async fn ssh_import(
    addr: std::net::SocketAddr,
    email: &str,
    password: &str,
    file: &[u8],
) -> (Duration, String) {
    let config = Arc::new(client::Config::default());
    let mut h = client::connect(config, addr, Client).await.unwrap();
    assert!(
        h.authenticate_password(email, password)
            .await
            .unwrap()
            .success()
    );
    let mut ch = h.channel_open_session().await.unwrap();
    let t = Instant::now();
    ch.exec(true, "import students").await.unwrap();
    ch.data(file).await.unwrap();
    ch.eof().await.unwrap();
    let mut out = String::new();
    let mut status = None;
    while let Some(msg) = ch.wait().await {
        match msg {
            ChannelMsg::Data { data } => out.push_str(&String::from_utf8_lossy(&data)),
            ChannelMsg::ExtendedData { data, .. } => out.push_str(&String::from_utf8_lossy(&data)),
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            ChannelMsg::Close => break,
            _ => {}
        }
    }
    let elapsed = t.elapsed();
    assert_eq!(status, Some(0), "{}", &out[..out.len().min(2000)]);
    (elapsed, out)
}

async fn peer_insert(n: usize) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let p = portail::Portail::open(dir.path(), Default::default())
        .await
        .unwrap();
    let pool = p.store().pool().clone();
    let t = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    let now = chrono::Utc::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let mut qb: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new(
            "INSERT INTO users (role, email, first_name, last_name, created_at, updated_at) ",
        );
        qb.push_values(chunk, |mut b, i| {
            b.push_bind("student")
                .push_bind(format!("etudiant{i}@example.fr"))
                .push_bind(format!("Prénom{i}"))
                .push_bind(format!("Nom{i}"))
                .push_bind(now)
                .push_bind(now);
        });
        qb.build().execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    t.elapsed()
}

fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let bin = std::env::var("PORTAIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_portail").into());
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000]
    } else {
        sizes
    };
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    println!("server: {bin}");
    for n in sizes {
        let file = csv(n);
        let mut ours = Vec::new();
        let mut peers = Vec::new();
        let mut idle = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..runs {
            let dir = tempfile::tempdir().unwrap();
            let server = Server::start(&bin, dir.path());
            let pid = server.child.id();
            idle.push(proc_kib(pid, "VmHWM:"));
            let (d, out) = ssh_import(server.addr, EMAIL, PASSWORD, &file).await;
            assert!(
                out.contains(&format!("{n} créé(s)")),
                "{}",
                &out[..out.len().min(500)]
            );
            drop(out);
            peaks.push(proc_kib(pid, "VmHWM:"));
            ours.push(d);
            server.stop();
            peers.push(peer_insert(n).await);
        }
        let (m, p) = (median(ours.clone()), median(peers.clone()));
        println!(
            "import {n} students over SSH: median {:.3} s (runs: {:?}); peer raw SQLite insert: median {:.3} s; ratio {:.1}x; file {} KiB; server peak RSS (VmHWM) median {} MiB (runs: {:?} MiB; {} MiB after start)",
            m.as_secs_f64(),
            ours.iter()
                .map(|d| format!("{:.3}", d.as_secs_f64()))
                .collect::<Vec<_>>(),
            p.as_secs_f64(),
            m.as_secs_f64() / p.as_secs_f64(),
            file.len() / 1024,
            median(peaks.clone()) / 1024,
            peaks.iter().map(|k| k / 1024).collect::<Vec<_>>(),
            median(idle) / 1024,
        );
    }
}
