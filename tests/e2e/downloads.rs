//! The download log (issue 13, item 5): a download counts once per file, student and
//! window; HEAD and partial re-requests add nothing; the client's address and user agent
//! are recorded; the activity log is bounded.

use crate::harness::*;

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn run(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: &[u8]) -> ExecResult {
    let r = exec(server.addr(), user, pw, cmd, Some(stdin)).await;
    assert_eq!(r.status, Some(0), "{cmd}: {}", r.stderr);
    r
}

/// A trainer, a published course with one file, a student enrolled: (trainer, student
/// password, the student's download link).
async fn course_with_a_file(server: &TestServer) -> (String, String, String) {
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    for cmd in [
        "org add --name Alpha",
        "class add --org Alpha --name K",
        "course add --title Shell --published",
    ] {
        run(server, &tr, tp, cmd, b"").await;
    }
    let out = run(
        server,
        &tr,
        tp,
        "student add --email ana@example.fr --class K",
        b"",
    )
    .await
    .stdout;
    let code = activation_code(&out);
    run(server, &tr, tp, "course assign Shell --class K", b"").await;
    let pdf: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..20_000u32).map(|i| (i % 251) as u8))
        .collect();
    run(
        server,
        &tr,
        tp,
        "resource upload Shell --title Diapos --name diapos.pdf",
        &pdf,
    )
    .await;
    let spw = "ana lit les diapos".to_string();
    run(
        server,
        "ana@example.fr",
        &code,
        "passwd --stdin",
        format!("{spw}\n").as_bytes(),
    )
    .await;
    let link = student_link(server, &spw).await;
    (tr, spw, link)
}

async fn student_link(server: &TestServer, spw: &str) -> String {
    let shown = run(server, "ana@example.fr", spw, "course show Shell", b"")
        .await
        .stdout;
    let start = shown.find("https://").expect("a link");
    shown[start..]
        .split(['>', ' ', '\n'])
        .next()
        .unwrap()
        .to_string()
}

/// The source address of each download entry.
async fn downloads(server: &TestServer) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT coalesce(source_ip, '') FROM activity_log WHERE kind = 'file_downloaded' ORDER BY id",
    )
    .fetch_all(server.running.portail.store().pool())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_is_logged_once_per_window_with_address_and_user_agent() {
    let server = TestServer::start().await;
    let (tr, spw, link) = course_with_a_file(&server).await;
    let http = client();
    // A browser-like agent carrying a bidi override, a C1 CSI and a tab, and far too long.
    let agent = format!(
        "Mozilla/5.0 (X11)\u{202E}evil\u{9b}31m\there{}",
        "x".repeat(1000)
    );
    let ua = reqwest::header::HeaderValue::from_bytes(agent.as_bytes()).unwrap();
    for _ in 0..5 {
        let r = http
            .get(&link)
            .header("User-Agent", ua.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.bytes().await.unwrap();
    }
    for _ in 0..3 {
        assert_eq!(http.head(&link).send().await.unwrap().status(), 200);
    }
    for range in ["bytes=0-0", "bytes=0-99", "bytes=100-", "bytes=-10"] {
        let r = http.get(&link).header("Range", range).send().await.unwrap();
        assert_eq!(r.status(), 206, "{range}");
    }
    // Another link to the same file (a new `course show`): the same download.
    let again = student_link(&server, &spw).await;
    assert_eq!(http.get(&again).send().await.unwrap().status(), 200);
    let rows = downloads(&server).await;
    assert_eq!(rows.len(), 1, "one download, one entry: {rows:?}");
    assert_eq!(rows[0], "127.0.0.1", "the client's address is recorded");

    // What the trainer reads: address and user agent, cleaned and bounded.
    let log = run(
        &server,
        &tr,
        TRAINER_PASSWORD,
        "activity --student ana@example.fr --json",
        b"",
    )
    .await
    .stdout;
    let v: serde_json::Value = serde_json::from_str(&log).unwrap();
    let entry = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "file_downloaded")
        .expect("the download is listed");
    assert_eq!(entry["source_ip"], "127.0.0.1");
    let ua = entry["user_agent"].as_str().expect("user agent recorded");
    assert!(ua.starts_with("Mozilla/5.0 (X11)evil31m here"), "{ua}");
    assert!(
        !ua.chars().any(|c| c.is_control() || c == '\u{202E}'),
        "{ua}"
    );
    assert_eq!(ua.chars().count(), 200);

    // Once the window has passed, the next download counts again.
    sqlx::query("UPDATE activity_log SET created_at = ?1 WHERE kind = 'file_downloaded'")
        .bind(chrono::Utc::now() - chrono::Duration::minutes(11))
        .execute(server.running.portail.store().pool())
        .await
        .unwrap();
    assert_eq!(http.head(&link).send().await.unwrap().status(), 200);
    assert_eq!(downloads(&server).await.len(), 1, "HEAD never counts");
    assert_eq!(http.get(&link).send().await.unwrap().status(), 200);
    assert_eq!(downloads(&server).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_activity_log_is_bounded_by_age_and_by_rows() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let pool = server.running.portail.store().pool().clone();
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'prof@example.fr'")
        .fetch_one(&pool)
        .await
        .unwrap();
    // One entry older than the retention (400 days), and more rows than the cap (1,000,000).
    sqlx::query("INSERT INTO activity_log (user_id, kind, created_at) VALUES (?1, 'login', ?2)")
        .bind(id)
        .bind(chrono::Utc::now() - chrono::Duration::days(401))
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000010) \
         INSERT INTO activity_log (user_id, kind, created_at) SELECT ?1, 'login', ?2 FROM n",
    )
    .bind(id)
    .bind(chrono::Utc::now() - chrono::Duration::days(1))
    .execute(&pool)
    .await
    .unwrap();
    // The next entry (a login) prunes.
    run(&server, &tr, TRAINER_PASSWORD, "whoami", b"").await;
    let (count, oldest): (i64, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("SELECT count(*), min(created_at) FROM activity_log")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(count, 1_000_000);
    assert!(
        oldest > chrono::Utc::now() - chrono::Duration::days(400),
        "{oldest}"
    );
}
