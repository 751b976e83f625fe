//! HTTPS file serving benchmark against nginx, same files, same machine, same run, `wrk`
//! over HTTPS on loopback: a 100 MB course file (MB/s) and a small avatar (requests/s).
//!
//! Needs `nginx` and `wrk` (Debian packages). Run:
//! `cargo bench -p portail-ssh --bench files`

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use portail::Actor;
use portail::services::courses::{CourseInput, CourseStatus};
use portail_ssh::config::Settings;

fn wrk(url: &str, connections: u32, secs: u32) -> (f64, f64) {
    let out = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{secs}s"),
            "--latency",
            url,
        ])
        .output()
        .expect("wrk (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    // Errors would make any figure meaningless.
    assert!(!text.contains("Non-2xx"), "{url}: {text}");
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or_else(|| panic!("wrk output: {text}"));
    let transfer = text
        .lines()
        .find_map(|l| l.strip_prefix("Transfer/sec:"))
        .map(|v| {
            let v = v.trim();
            let (num, unit) =
                v.split_at(v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len()));
            let n: f64 = num.parse().unwrap_or(0.0);
            match unit {
                "GB" => n * 1024.0,
                "MB" => n,
                "KB" => n / 1024.0,
                _ => n / 1024.0 / 1024.0,
            }
        })
        .unwrap_or(0.0);
    (rps, transfer)
}

fn start_nginx(dir: &Path, root: &Path, cert: &Path, key: &Path, port: u16) -> std::process::Child {
    let conf = format!(
        "daemon off; user root; worker_processes auto; pid {d}/nginx.pid; error_log {d}/error.log;\n\
         events {{ worker_connections 1024; }}\n\
         http {{ access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;\n\
           client_body_temp_path {d}; proxy_temp_path {d}; fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};\n\
           types {{ image/png png; application/octet-stream bin; }}\n\
           server {{ listen 127.0.0.1:{port} ssl; ssl_certificate {c}; ssl_certificate_key {k};\n\
             ssl_protocols TLSv1.3; root {r}; }} }}\n",
        d = dir.display(),
        c = cert.display(),
        k = key.display(),
        r = root.display()
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let child = Command::new("nginx")
        .args([
            "-c",
            &dir.join("nginx.conf").display().to_string(),
            "-p",
            &dir.display().to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx (apt-get install nginx)");
    std::thread::sleep(Duration::from_millis(500));
    child
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tmp = tempfile::tempdir().unwrap();
    let running = portail_ssh::start(&Settings::ephemeral(tmp.path()), false)
        .await
        .unwrap();
    let p = running.portail.clone();
    let trainer = p
        .add_trainer("bench@example.fr", "une phrase de banc d'essai")
        .await
        .unwrap();
    let actor = Actor {
        user_id: trainer.id,
        role: portail::Role::Trainer,
        must_change_password: false,
    };
    // A 100 MB course file and an avatar.
    let big: Vec<u8> = (0..100 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let course = p
        .course_create(
            &actor,
            &CourseInput {
                title: "Bench".into(),
                status: CourseStatus::Published,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let res = p
        .resource_upload(&actor, course.id, None, "Gros", "gros.bin", &big)
        .await
        .unwrap();
    drop(big);
    let link = p
        .resource_link(&actor, res.id, chrono::Duration::hours(1))
        .await
        .unwrap();
    // A simple picture: its normalized PNG is a few KiB, like a typical avatar.
    let img = image::RgbImage::from_fn(300, 300, |x, y| {
        image::Rgb([if (x / 30 + y / 30) % 2 == 0 { 40 } else { 200 }, 120, 160])
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let avatar = p.set_avatar(&actor, png).await.unwrap();
    let files = tmp.path().join("data/files");
    let big_name: String = sqlx::query_scalar("SELECT f.storage_name FROM resources r JOIN stored_files f ON f.id = r.file_id WHERE r.id = ?1")
        .bind(res.id)
        .fetch_one(p.store().pool())
        .await
        .unwrap();
    let avatar_size = std::fs::metadata(files.join(&avatar)).unwrap().len();

    // nginx serves the very same files with the same certificate.
    let ng = tempfile::tempdir().unwrap();
    let root = ng.path().join("root");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(files.join(&big_name), root.join("gros.bin")).unwrap();
    std::fs::copy(files.join(&avatar), root.join("avatar.png")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tls = tmp.path().join("data/tls");
    let mut nginx = start_nginx(
        ng.path(),
        &root,
        &tls.join("cert.pem"),
        &tls.join("key.pem"),
        port,
    );

    let ours_big = format!("{}{link}", running.public_url);
    let ours_small = format!("{}/i/{avatar}", running.public_url);
    let theirs_big = format!("https://127.0.0.1:{port}/gros.bin");
    let theirs_small = format!("https://127.0.0.1:{port}/avatar.png");
    let (mut a, mut b, mut c, mut d) = (vec![], vec![], vec![], vec![]);
    // Interleaved rounds so background noise hits both servers alike.
    for _ in 0..3 {
        a.push(wrk(&ours_big, 4, 8).1);
        b.push(wrk(&theirs_big, 4, 8).1);
        c.push(wrk(&ours_small, 32, 8).0);
        d.push(wrk(&theirs_small, 32, 8).0);
    }
    let _ = nginx.kill();
    let _ = nginx.wait();
    let (a, b, c, d) = (median(a), median(b), median(c), median(d));
    println!(
        "100 MB file: Portail {a:.0} MB/s, nginx {b:.0} MB/s, ratio {:.2}",
        a / b
    );
    println!(
        "avatar ({avatar_size} bytes): Portail {c:.0} req/s, nginx {d:.0} req/s, ratio {:.2}",
        c / d
    );
    running.shutdown().await;
}
