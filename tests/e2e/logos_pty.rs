//! A student sees their organisation's logo: a link on their home screen and on their
//! course's page that opens over HTTPS; a student of another organisation does not get it.

use crate::harness::*;

async fn run(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: &[u8]) -> ExecResult {
    let r = exec(server.addr(), user, pw, cmd, Some(stdin)).await;
    assert_eq!(r.status, Some(0), "{cmd}: {}", r.stderr);
    r
}

fn png(r: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(60, 20, |x, _| image::Rgb([r, x as u8 * 4, 90]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The logo URL the trainer's `org logo` printed.
fn logo_url(out: &str) -> String {
    let start = out
        .find("https://")
        .unwrap_or_else(|| panic!("no URL in {out}"));
    out[start..].split_whitespace().next().unwrap().to_string()
}

/// The URL after "Logo : " on the screen.
fn shown_logo(screen: &str) -> Option<String> {
    let at = screen.find("Logo : ")? + "Logo : ".len();
    screen[at..].split_whitespace().next().map(str::to_string)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_sees_their_organisation_logo_and_not_another() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    for cmd in [
        "org add --name Alpha",
        "class add --org Alpha --name K",
        "org add --name Beta",
        "class add --org Beta --name L",
        "course add --title Shell --published",
        "course assign Shell --class K",
    ] {
        run(&server, &tr, tp, cmd, b"").await;
    }
    let alpha = logo_url(
        &run(&server, &tr, tp, "org logo Alpha", &png(200))
            .await
            .stdout,
    );
    let beta = logo_url(
        &run(&server, &tr, tp, "org logo Beta", &png(10))
            .await
            .stdout,
    );
    assert_ne!(alpha, beta);
    let ana = activation_code(
        &run(
            &server,
            &tr,
            tp,
            "student add --email ana@example.fr --class K",
            b"",
        )
        .await
        .stdout,
    );
    let bob = activation_code(
        &run(
            &server,
            &tr,
            tp,
            "student add --email bob@example.fr --class L",
            b"",
        )
        .await
        .stdout,
    );

    // Ana (Alpha): her home screen links Alpha's logo, as text and as an OSC 8 link.
    let mut pty = Pty::activate(
        server.addr(),
        "ana@example.fr",
        &ana,
        "ana voit le logo",
        100,
        30,
    )
    .await;
    let home = pty
        .wait_until(|s| s.contains("Logo : "), "the logo on the home screen")
        .await;
    assert_eq!(shown_logo(&home).as_deref(), Some(alpha.as_str()), "{home}");
    assert!(!home.contains(&beta), "{home}");
    let osc8 = format!("\x1b]8;;{alpha}\x1b\\");
    let raw = String::from_utf8_lossy(&pty.raw).into_owned();
    assert!(raw.contains(&osc8), "no OSC 8 link to the logo");
    // Her course's page too.
    pty.send(b"1").await;
    pty.wait_for("Shell").await;
    pty.send(b"\r").await;
    let page = pty
        .wait_until(
            |s| s.contains("Présentation") && s.contains("Logo : "),
            "the course page with its logo",
        )
        .await;
    assert_eq!(shown_logo(&page).as_deref(), Some(alpha.as_str()), "{page}");

    // The link opens over HTTPS, for anyone holding it (a browser has no SSH session).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let r = http.get(&alpha).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(r.bytes().await.unwrap().starts_with(b"\x89PNG"));

    // The HTTPS page she sees (her photo's upload page) shows it too.
    let alpha_path = &alpha[alpha.find("/i/").unwrap()..];
    let beta_path = &beta[beta.find("/i/").unwrap()..];
    let page_of = |out: String| {
        let u = logo_url(&out);
        assert!(u.contains("/u/"), "{out}");
        u
    };
    let ana_page = page_of(
        run(
            &server,
            "ana@example.fr",
            "ana voit le logo",
            "avatar link",
            b"",
        )
        .await
        .stdout,
    );
    let html = http
        .get(&ana_page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("<img src=\"{alpha_path}\" alt=\"Logo Alpha\">")),
        "{html}"
    );
    assert!(!html.contains(beta_path), "{html}");

    // Bob (Beta) sees Beta's logo, never Alpha's.
    let mut pty = Pty::activate(
        server.addr(),
        "bob@example.fr",
        &bob,
        "bob voit le sien",
        100,
        30,
    )
    .await;
    let home = pty
        .wait_until(|s| s.contains("Logo : "), "the logo on Bob's home screen")
        .await;
    assert_eq!(shown_logo(&home).as_deref(), Some(beta.as_str()), "{home}");
    assert!(!String::from_utf8_lossy(&pty.raw).contains(&alpha));
    let bob_page = page_of(
        run(
            &server,
            "bob@example.fr",
            "bob voit le sien",
            "avatar link",
            b"",
        )
        .await
        .stdout,
    );
    let html = http
        .get(&bob_page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(beta_path) && !html.contains(alpha_path),
        "{html}"
    );

    // And by the service, whatever door asks: Bob gets no Alpha logo, nor Ana's course's.
    let portail = &server.running.portail;
    let bob_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'bob@example.fr'")
        .fetch_one(portail.store().pool())
        .await
        .unwrap();
    let bob_actor = portail::Actor {
        user_id: bob_id,
        role: portail::Role::Student,
        must_change_password: false,
    };
    let logos = portail.org_logos(&bob_actor, None).await.unwrap();
    assert_eq!(
        logos
            .iter()
            .map(|l| l.organisation.as_str())
            .collect::<Vec<_>>(),
        ["Beta"]
    );
    let shell: i64 = sqlx::query_scalar("SELECT id FROM courses WHERE title = 'Shell'")
        .fetch_one(portail.store().pool())
        .await
        .unwrap();
    assert!(portail.org_logos(&bob_actor, Some(shell)).await.is_err());
}
