//! HTTPS files: course files through signed links, avatars and logos, upload pages, and
//! every bad input of the issue, with real HTTPS requests.

use crate::harness::*;

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A tiny valid PNG whose header claims `w`×`h` pixels.
fn bomb(w: u32, h: u32) -> Vec<u8> {
    let mut p = png(1, 1);
    p[16..20].copy_from_slice(&w.to_be_bytes());
    p[20..24].copy_from_slice(&h.to_be_bytes());
    let mut c = 0xffff_ffffu32;
    for &b in &p[12..29] {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    p[29..33].copy_from_slice(&(!c).to_be_bytes());
    p
}

async fn run(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: &[u8]) -> ExecResult {
    let r = exec(server.addr(), user, pw, cmd, Some(stdin)).await;
    assert_eq!(r.status, Some(0), "{cmd}: {}", r.stderr);
    r
}

fn url_in(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {text}"));
    text[start..]
        .split(['>', ' ', '\n'])
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn course_files_through_signed_links() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    for cmd in [
        "org add --name Alpha",
        "class add --org Alpha --name K",
        "course add --title Shell --published",
        "course add --title Autre --published",
    ] {
        run(&server, &tr, tp, cmd, b"").await;
    }
    let out = run(
        &server,
        &tr,
        tp,
        "student add --email ana@example.fr --class K",
        b"",
    )
    .await
    .stdout;
    let code = activation_code(&out);
    run(&server, &tr, tp, "course assign Shell --class K", b"").await;
    let pdf: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..50_000u32).map(|i| (i % 251) as u8))
        .collect();
    let up = run(
        &server,
        &tr,
        tp,
        "resource upload Shell --title Diapos --name 'Présentation été.pdf'",
        &pdf,
    )
    .await;
    assert!(up.stdout.contains("Fichier joint"), "{}", up.stdout);
    run(
        &server,
        &tr,
        tp,
        "resource upload Autre --title Secret --name s.pdf",
        &pdf,
    )
    .await;
    run(
        &server,
        "ana@example.fr",
        &code,
        "passwd --stdin",
        b"ana lit les diapos\n",
    )
    .await;
    let shown = run(
        &server,
        "ana@example.fr",
        "ana lit les diapos",
        "course show Shell",
        b"",
    )
    .await
    .stdout;
    let link = url_in(&shown, "https://");
    assert!(link.contains("/f/"), "{shown}");

    let http = client();
    let resp = http.get(&link).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let h = resp.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    let disp = h["content-disposition"].to_str().unwrap();
    assert!(
        disp.contains("filename*=UTF-8''Pr%C3%A9sentation%20%C3%A9t%C3%A9.pdf"),
        "{disp}"
    );
    assert!(h.contains_key("etag") && h.contains_key("last-modified"));
    assert_eq!(h["accept-ranges"], "bytes");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), pdf.as_slice());
    let part = http
        .get(&link)
        .header("Range", "bytes=0-3")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 0-3/{}", pdf.len())
    );
    assert_eq!(part.bytes().await.unwrap().as_ref(), b"%PDF");
    let etag = h["etag"].to_str().unwrap();
    let cached = http
        .get(&link)
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), 304);
    let listed = http
        .get(&link)
        .header("If-None-Match", format!("\"autre\", W/{etag}"))
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 304, "a list with a weak tag matches");
    let multi = http
        .get(&link)
        .header("Range", "bytes=0-1,5-6")
        .send()
        .await
        .unwrap();
    assert_eq!(multi.status(), 200, "multi-range requests are served whole");
    let bad_range = http
        .get(&link)
        .header("Range", "bytes=999999-")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_range.status(), 416);

    // Tampered, truncated, someone else's → 403; expired → 410.
    let (base, sig) = link.rsplit_once('/').unwrap();
    let flipped = format!(
        "{base}/{}{}",
        if sig.starts_with('0') { "1" } else { "0" },
        &sig[1..]
    );
    assert_eq!(http.get(&flipped).send().await.unwrap().status(), 403);
    assert_eq!(
        http.get(format!("{base}/{}", &sig[..20]))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let parts: Vec<&str> = link.split('/').collect();
    let (file, user, exp) = (parts[4], parts[5], parts[6]);
    let other_user = link.replacen(&format!("/{file}/{user}/"), &format!("/{file}/1/"), 1);
    assert_eq!(http.get(&other_user).send().await.unwrap().status(), 403);
    let signer = server.running.portail.signer();
    let expired = signer.sign_path(file.parse().unwrap(), user.parse().unwrap(), 1_000);
    let r = http
        .get(format!("{}{expired}", server.running.public_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("expiré"));
    let _ = exp;
    // A course not assigned to her: no link, and a forged-by-server link for it is refused.
    let other = run(&server, &tr, tp, "course show Autre --json", b"")
        .await
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&other).unwrap();
    let secret_file: i64 = sqlx::query_scalar("SELECT file_id FROM resources WHERE id = ?1")
        .bind(v["resources"][0]["id"].as_i64().unwrap())
        .fetch_one(server.running.portail.store().pool())
        .await
        .unwrap();
    let forged = signer.sign_path(
        secret_file,
        user.parse().unwrap(),
        chrono::Utc::now().timestamp() + 600,
    );
    let r = http
        .get(format!("{}{forged}", server.running.public_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The download is in the activity log (proof of attendance).
    let log = run(
        &server,
        &tr,
        tp,
        "activity --student ana@example.fr --json",
        b"",
    )
    .await
    .stdout;
    assert!(log.contains("file_downloaded"), "{log}");
    assert!(
        log.contains("Présentation été.pdf"),
        "the file's name is in the log: {log}"
    );
    let text = run(&server, &tr, tp, "activity --student ana@example.fr", b"")
        .await
        .stdout;
    assert!(
        text.contains("fichier téléchargé") && text.contains("Présentation été.pdf"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn path_traversal_and_unknown_paths_are_refused() {
    let server = TestServer::start().await;
    let base = server.running.public_url.clone();
    let http = client();
    for path in [
        "/f/../../etc/passwd",
        "/f/%2e%2e%2f%2e%2e%2fetc%2fpasswd/1/1/x",
        "/i/..%5c..%5cetc%5cpasswd",
        "/i/%2Fetc%2Fpasswd",
        "/i/../../data/portail.db",
        "/u/..%2f..%2flink_secret",
        "/etc/passwd",
        "//etc/passwd",
        "/f/1/1/1/..",
    ] {
        let status = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert!(matches!(status, 400 | 403 | 404), "{path}: {status}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn avatars_and_logos_by_exec_and_by_one_time_upload_page() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    let http = client();

    let out = run(&server, &tr, tp, "avatar set", &png(640, 480))
        .await
        .stdout;
    let url = url_in(&out, "https://");
    let resp = http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    let img = image::load_from_memory(&resp.bytes().await.unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (256, 256));

    run(&server, &tr, tp, "org add --name Alpha", b"").await;
    let out = run(&server, &tr, tp, "org logo Alpha", &png(2000, 300))
        .await
        .stdout;
    let logo = http
        .get(url_in(&out, "https://"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let img = image::load_from_memory(&logo).unwrap();
    assert!(img.width() <= 512 && img.height() <= 256);
    assert!(
        run(&server, &tr, tp, "org show Alpha", b"")
            .await
            .stdout
            .contains("défini")
    );

    // Bad images by exec: clear errors, nothing stored.
    let r = exec(
        server.addr(),
        &tr,
        tp,
        "avatar set",
        Some(b"%PDF-1.4 pas une image"),
    )
    .await;
    assert!(r.stderr.contains("n'est pas une image"), "{}", r.stderr);
    let r = exec(
        server.addr(),
        &tr,
        tp,
        "avatar set",
        Some(&bomb(60_000, 60_000)),
    )
    .await;
    assert!(r.stderr.contains("trop grande"), "{}", r.stderr);

    // The one-time upload page.
    let out = run(&server, &tr, tp, "avatar link", b"").await.stdout;
    let page = url_in(&out, "https://");
    let form = http.get(&page).send().await.unwrap();
    assert_eq!(form.status(), 200);
    let html = form.text().await.unwrap();
    assert!(
        html.contains("<form method=\"post\"") && html.contains("viewport"),
        "{html}"
    );
    let post = |bytes: Vec<u8>, name: &'static str| {
        let http = http.clone();
        let page = page.clone();
        async move {
            let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
            http.post(&page)
                .multipart(reqwest::multipart::Form::new().part("file", part))
                .send()
                .await
                .unwrap()
        }
    };
    let r = post(b"%PDF-1.4 un faux".to_vec(), "photo.png").await;
    assert_eq!(r.status(), 415, "extension lying about the type");
    let r = post(bomb(60_000, 60_000), "bombe.png").await;
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("trop grande"));
    let mut jpeg = Vec::new();
    image::RgbImage::new(64, 64)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    jpeg.truncate(jpeg.len() / 3);
    let r = post(jpeg, "coupee.jpg").await;
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = post(vec![0u8; 11 * 1024 * 1024], "enorme.png").await;
    assert_eq!(r.status(), 413);
    // The server is alive, the link was not spent by the failures; a good photo works once.
    let r = post(png(100, 100), "moi.png").await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("enregistré"));
    let r = post(png(100, 100), "encore.png").await;
    assert_eq!(r.status(), 410, "reused one-time link");
    assert_eq!(http.get(&page).send().await.unwrap().status(), 410);
    assert_eq!(
        http.get(format!(
            "{}/u/{}",
            server.running.public_url,
            "0".repeat(48)
        ))
        .send()
        .await
        .unwrap()
        .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_symlink_planted_in_the_storage_dir_is_never_followed() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let out = run(&server, &tr, TRAINER_PASSWORD, "avatar set", &png(50, 50))
        .await
        .stdout;
    let url = url_in(&out, "https://");
    let name = url.rsplit('/').next().unwrap().to_string();
    let files = server.dir.path().join("data/files");
    let target = files.join(&name);
    std::fs::remove_file(&target).unwrap();
    std::os::unix::fs::symlink(server.dir.path().join("data/link_secret"), &target).unwrap();
    let r = client().get(&url).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(!r.bytes().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_course_file_through_the_one_time_upload_page() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    run(
        &server,
        &tr,
        TRAINER_PASSWORD,
        "course add --title Shell --published",
        b"",
    )
    .await;
    let out = run(
        &server,
        &tr,
        TRAINER_PASSWORD,
        "resource upload-link Shell --title Support",
        b"",
    )
    .await
    .stdout;
    let page = url_in(&out, "https://");
    let http = client();
    let html = http.get(&page).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Fichier du cours"), "{html}");
    let part =
        reqwest::multipart::Part::bytes(b"%PDF-1.4 support".to_vec()).file_name("support été.pdf");
    let r = http
        .post(&page)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let shown = run(
        &server,
        &tr,
        TRAINER_PASSWORD,
        "course show Shell --json",
        b"",
    )
    .await
    .stdout;
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(v["resources"][0]["kind"], "file");
    assert_eq!(v["resources"][0]["title"], "Support");
    let name: String =
        sqlx::query_scalar("SELECT original_name FROM stored_files ORDER BY id DESC LIMIT 1")
            .fetch_one(server.running.portail.store().pool())
            .await
            .unwrap();
    assert_eq!(name, "support été.pdf");
    assert_eq!(http.get(&page).send().await.unwrap().status(), 410);
}
