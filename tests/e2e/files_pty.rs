//! Files through a real PTY: a student's course file is an OSC 8 hyperlink to a signed
//! `/f/` URL that downloads the file over HTTPS; a trainer's photo set by exec shows as a
//! half-block colour preview in "Mon compte".

use crate::harness::*;

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn run(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: &[u8]) -> String {
    let r = exec(server.addr(), user, pw, cmd, Some(stdin)).await;
    assert_eq!(r.status, Some(0), "{cmd}: {}", r.stderr);
    r.stdout
}

/// The URLs of every OSC 8 hyperlink in raw terminal output.
fn osc8_urls(raw: &[u8]) -> Vec<String> {
    let raw = String::from_utf8_lossy(raw);
    raw.split("\x1b]8;;")
        .skip(1)
        .filter_map(|rest| rest.split("\x1b\\").next())
        .filter(|u| !u.is_empty())
        .map(String::from)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn student_opens_a_course_file_through_its_osc8_link() {
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
    .await;
    let code = activation_code(&out);
    run(&server, &tr, tp, "course assign Shell --class K", b"").await;
    let pdf: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..20_000u32).map(|i| (i % 251) as u8))
        .collect();
    run(
        &server,
        &tr,
        tp,
        "resource upload Shell --title Diapos --name n.pdf",
        &pdf,
    )
    .await;
    choose_password(server.addr(), "ana@example.fr", &code, "ana lit les diapos").await;

    let mut pty = Pty::login_as(
        server.addr(),
        "ana@example.fr",
        "ana lit les diapos",
        160,
        48,
    )
    .await;
    pty.send(b"1").await;
    pty.wait_for("Mes cours (1)").await;
    pty.send(b"\r").await;
    pty.wait_for("Présentation").await;
    // No lesson: the list holds the overview and the resources.
    pty.send(b"j").await;
    pty.wait_for("› ↗ Ressources (1)").await;
    pty.send(b"\r").await;
    pty.wait_for("Diapos").await;
    let shown = pty
        .wait_until(|s| s.contains("/f/"), "the signed link as text")
        .await;
    assert!(shown.contains("https://"), "{shown}");
    pty.settle(200).await;
    let urls = osc8_urls(&pty.raw);
    let link = urls
        .iter()
        .find(|u| u.contains("/f/"))
        .unwrap_or_else(|| panic!("no OSC 8 link to /f/ in {urls:?}"))
        .clone();
    // The QR code of that link on demand.
    pty.send(b"Q").await;
    let qr = pty.wait_for("Échap ou Entrée pour fermer").await;
    assert!(qr.contains('▀') || qr.contains('▄'), "{qr}");
    pty.send(b"q").await;
    pty.wait_closed().await;

    let resp = client().get(&link).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{link}");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), pdf.as_slice());
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        if y < h / 2 {
            image::Rgb([220, (x % 256) as u8, 30])
        } else {
            image::Rgb([20, 40, 200])
        }
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_sees_the_photo_preview_in_mon_compte() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    run(&server, &tr, tp, "avatar set", &png(300, 300)).await;

    let mut pty = Pty::login_as(server.addr(), &tr, tp, 100, 30).await;
    pty.send(b"6").await;
    pty.wait_for("définie · QR code").await;
    let screen = pty
        .wait_until(|s| s.matches('▀').count() >= 128, "the photo preview")
        .await;
    assert!(screen.contains("https://"), "the upload link: {screen}");
    // The cells carry the photo's colours: red-ish above, blue below in the last row.
    let s = pty.parser.screen();
    let mut cells = Vec::new();
    for row in 0..30 {
        for col in 0..100 {
            if let Some(c) = s.cell(row, col)
                && c.contents() == "▀"
            {
                cells.push((row, col, c.fgcolor(), c.bgcolor()));
            }
        }
    }
    assert_eq!(cells.len(), 128, "16×8 cells");
    let (_, _, fg, _) = cells[0];
    assert!(
        matches!(fg, vt100::Color::Rgb(r, _, b) if r > 150 && b < 100),
        "{fg:?}"
    );
    let (_, _, _, bg) = cells[cells.len() - 1];
    assert!(
        matches!(bg, vt100::Color::Rgb(r, _, b) if r < 100 && b > 150),
        "{bg:?}"
    );
    // The upload link is an OSC 8 hyperlink to the one-time upload page.
    pty.settle(200).await;
    assert!(
        osc8_urls(&pty.raw).iter().any(|u| u.contains("/u/")),
        "no OSC 8 upload link"
    );
    pty.send(b"q").await;
    pty.wait_closed().await;
}
