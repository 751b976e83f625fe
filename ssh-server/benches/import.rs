//! Import benchmark: `ssh trainer@host import students < file` end to end (real server,
//! real SSH client, real SQLite file), against a peer measured in the same run: the same
//! rows bulk-inserted straight into SQLite with no parsing, validation or SSH.
//!
//! Run: `cargo bench -p portail-ssh --bench import` (add `-- 100000` for the big size).

use std::sync::Arc;
use std::time::{Duration, Instant};

use portail_ssh::config::Settings;
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

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000]
    } else {
        sizes
    };
    let runs = 5;
    for n in sizes {
        let file = csv(n);
        let mut ours = Vec::new();
        let mut peers = Vec::new();
        let rss_before = peak_rss_kib();
        for _ in 0..runs {
            let dir = tempfile::tempdir().unwrap();
            let running = portail_ssh::start(&Settings::ephemeral(dir.path()), false)
                .await
                .unwrap();
            running
                .portail
                .add_trainer("bench@example.fr", "une phrase de banc d'essai")
                .await
                .unwrap();
            let (d, out) = ssh_import(
                running.ssh_addr,
                "bench@example.fr",
                "une phrase de banc d'essai",
                &file,
            )
            .await;
            assert!(
                out.contains(&format!("{n} créé(s)")),
                "{}",
                &out[..out.len().min(500)]
            );
            ours.push(d);
            running.shutdown().await;
            peers.push(peer_insert(n).await);
        }
        let (m, p) = (median(ours.clone()), median(peers.clone()));
        println!(
            "import {n} students over SSH: median {:.3} s (runs: {:?}); peer raw SQLite insert: median {:.3} s; ratio {:.1}x; file {} KiB; peak RSS {} MiB (was {} MiB before)",
            m.as_secs_f64(),
            ours.iter()
                .map(|d| format!("{:.3}", d.as_secs_f64()))
                .collect::<Vec<_>>(),
            p.as_secs_f64(),
            m.as_secs_f64() / p.as_secs_f64(),
            file.len() / 1024,
            peak_rss_kib() / 1024,
            rss_before / 1024,
        );
    }
}
