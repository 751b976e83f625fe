//! Course files a browser can show (PDF, video, images) open in it, with byte ranges so a
//! video seeks; `?download=1` saves them; HTML and SVG are always saved, never shown.

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

/// A small "MP4": an `ftyp` box (what the content sniffer looks at) and numbered bytes.
fn mp4() -> Vec<u8> {
    let mut v = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    v.extend((0..300_000u32).map(|i| (i % 253) as u8));
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn videos_and_pdfs_open_in_the_browser_and_seek_html_is_saved() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    for cmd in [
        "org add --name Alpha",
        "class add --org Alpha --name K",
        "course add --title Shell --published",
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
    let video = mp4();
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let html =
        b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>\n"
            .to_vec();
    let svg =
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n".to_vec();
    for (title, name, bytes) in [
        ("Video", "cours 1.mp4", &video),
        ("Diapos", "diapos.pdf", &pdf),
        ("Page", "page.html", &html),
        ("Dessin", "dessin.svg", &svg),
    ] {
        run(
            &server,
            &tr,
            tp,
            &format!("resource upload Shell --title {title} --name '{name}'"),
            bytes,
        )
        .await;
    }
    run(
        &server,
        "ana@example.fr",
        &code,
        "passwd --stdin",
        b"ana regarde la video\n",
    )
    .await;
    let pool = server.running.portail.store().pool();
    let ana: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'ana@example.fr'")
        .fetch_one(pool)
        .await
        .unwrap();
    // The student's signed links, as `course show` and the interface make them.
    let mut links = std::collections::HashMap::new();
    for title in ["Video", "Diapos", "Page", "Dessin"] {
        let file: i64 = sqlx::query_scalar("SELECT file_id FROM resources WHERE title = ?1")
            .bind(title)
            .fetch_one(pool)
            .await
            .unwrap();
        let path = server.running.portail.signer().sign_path(
            file,
            ana,
            chrono::Utc::now().timestamp() + 600,
        );
        links.insert(title, format!("{}{path}", server.running.public_url));
    }
    let http = client();

    // The video: shown inline, sandboxed, seekable.
    let r = http.get(&links["Video"]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "video/mp4");
    assert_eq!(
        h["content-disposition"],
        "inline; filename=\"cours 1.mp4\"; filename*=UTF-8''cours%201.mp4"
    );
    assert_eq!(h["accept-ranges"], "bytes");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("sandbox") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), video.as_slice());
    for (range, from, to) in [
        ("bytes=100000-100099", 100_000usize, 100_099usize),
        ("bytes=250000-", 250_000, video.len() - 1),
        ("bytes=-24", video.len() - 24, video.len() - 1),
    ] {
        let part = http
            .get(&links["Video"])
            .header("Range", range)
            .send()
            .await
            .unwrap();
        assert_eq!(part.status(), 206, "{range}");
        assert_eq!(
            part.headers()["content-range"],
            format!("bytes {from}-{to}/{}", video.len())
        );
        assert_eq!(
            part.headers()["content-length"],
            (to - from + 1).to_string().as_str()
        );
        assert_eq!(
            part.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .split(';')
                .next(),
            Some("inline")
        );
        assert_eq!(
            part.bytes().await.unwrap().as_ref(),
            &video[from..=to],
            "{range}"
        );
    }
    for bad in ["bytes=400000-", "bytes=9-2"] {
        let r = http
            .get(&links["Video"])
            .header("Range", bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 416, "{bad}");
        assert_eq!(
            r.headers()["content-range"],
            format!("bytes */{}", video.len())
        );
    }
    // If-Range: a range of another version of the file gets the whole file.
    let stale = http
        .get(&links["Video"])
        .header("Range", "bytes=0-9")
        .header("If-Range", "\"une-autre-version\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);
    let fresh = http
        .get(&links["Video"])
        .header("Range", "bytes=0-9")
        .header("If-Range", h["etag"].to_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), 206);
    // Downloaded on request.
    let saved = http
        .get(format!("{}?download=1", links["Video"]))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    assert!(
        saved.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"cours 1.mp4\""),
    );

    // The PDF: inline, without the sandbox browsers' PDF viewers refuse to run in.
    let r = http.get(&links["Diapos"]).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline; ")
    );
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("sandbox"),
        "{csp}"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), pdf.as_slice());

    // HTML and SVG could run script on this origin: always saved, never shown.
    for title in ["Page", "Dessin"] {
        for url in [links[title].clone(), format!("{}?download=0", links[title])] {
            let r = http.get(&url).send().await.unwrap();
            assert_eq!(r.status(), 200);
            let h = r.headers();
            assert!(
                h["content-disposition"]
                    .to_str()
                    .unwrap()
                    .starts_with("attachment; "),
                "{title}"
            );
            assert_eq!(h["x-content-type-options"], "nosniff");
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("default-src 'none'") && csp.contains("sandbox"),
                "{csp}"
            );
        }
    }
}
