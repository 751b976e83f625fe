//! Recordings of technical demos: the trainer uploads an asciinema `.cast` (validated,
//! refusals name the line), `demo show` gives its signed links, the `.cast` downloads over
//! HTTPS and its player page has a strict policy; a student of the audience replays it in
//! the TUI (sees the recorded text, seeks) and the replay is logged; a student outside
//! the audience gets "not found".

use crate::harness::*;

const PW: &str = "un mot de passe étudiant";

/// A 100×30 recording: a command and its output, a long silence, a marker, a second step.
pub(crate) const CAST: &str = "{\"version\": 2, \"width\": 100, \"height\": 30, \"timestamp\": 1700000000}\n\
    [0.4, \"o\", \"$ docker volume ls\\r\\n\"]\n\
    [0.8, \"o\", \"DRIVER    VOLUME NAME\\r\\nlocal     donnees-pg\\r\\n\\u001b]52;c;cGF5bG9hZA==\\u0007\"]\n\
    [40.0, \"m\", \"Étape 2\"]\n\
    [40.5, \"o\", \"$ docker volume inspect donnees-pg\\r\\n\"]\n\
    [48.0, \"o\", \"Mountpoint: /var/lib/docker/volumes\\r\\n\"]\n";

async fn run(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: &[u8]) -> ExecResult {
    exec(server.addr(), user, pw, cmd, Some(stdin)).await
}

async fn ok(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: &[u8]) -> String {
    let r = run(server, user, pw, cmd, stdin).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

async fn refused(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: &[u8]) -> String {
    let r = run(server, user, pw, cmd, stdin).await;
    assert_eq!(r.status, Some(1), "{cmd} should fail: {}", r.stdout);
    r.stderr
}

pub(crate) fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn url_after(text: &str, label: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("{label} not in {text}"));
    let start = line.find("https://").expect("a link");
    line[start..].trim().to_string()
}

/// The classroom, Léa (K1) activated and assigned Shell, Paul in K2 (outside), and demo
/// n° 1 "Volumes" of Shell for the course's participants. Returns (server, trainer).
pub(crate) async fn demo_with_audience() -> (TestServer, String) {
    let (server, tr, code) = classroom().await;
    let tp = TRAINER_PASSWORD;
    choose_password(server.addr(), "lea@example.fr", &code, PW).await;
    ok(&server, &tr, tp, "class add --org Alpha --name K2", b"").await;
    let out = ok(
        &server,
        &tr,
        tp,
        "student add --email paul@example.fr --first-name Paul --class K2",
        b"",
    )
    .await;
    choose_password(server.addr(), "paul@example.fr", &activation_code(&out), PW).await;
    ok(&server, &tr, tp, "course assign Shell --class K1", b"").await;
    ok(
        &server,
        &tr,
        tp,
        "demo add Shell --title Volumes --at '2026-01-05 14:00' --duration 30",
        b"",
    )
    .await;
    (server, tr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_uploads_a_recording_refusals_name_the_line_and_it_downloads() {
    let (server, tr) = demo_with_audience().await;
    let tp = TRAINER_PASSWORD;

    // Refusals: each names the line, nothing is stored.
    let bad_json = CAST.replacen("[0.8, \"o\"", "[0.8 \"o\"", 1);
    let e = refused(&server, &tr, tp, "demo upload 1", bad_json.as_bytes()).await;
    assert!(e.contains("ligne 3") && e.contains("JSON"), "{e}");
    let v3 = "{\"version\": 3, \"term\": {\"cols\": 80, \"rows\": 24}}\n[0.1, \"o\", \"a\"]\n";
    let e = refused(&server, &tr, tp, "demo upload 1", v3.as_bytes()).await;
    assert!(e.contains("ligne 1") && e.contains("version 2"), "{e}");
    let huge = CAST.replacen("\"width\": 100", "\"width\": 65535", 1);
    let e = refused(&server, &tr, tp, "demo upload 1", huge.as_bytes()).await;
    assert!(e.contains("ligne 1") && e.contains("dimensions"), "{e}");
    let backwards = format!("{CAST}[1.0, \"o\", \"x\"]\n");
    let e = refused(&server, &tr, tp, "demo upload 1", backwards.as_bytes()).await;
    assert!(e.contains("ligne 7") && e.contains("recule"), "{e}");
    let big = format!("{CAST}{}", " ".repeat(21 * 1024 * 1024));
    let e = refused(&server, &tr, tp, "demo upload 1", big.as_bytes()).await;
    assert!(e.contains("trop volumineux"), "{e}");
    let show = ok(&server, &tr, tp, "demo show 1", b"").await;
    assert!(show.contains("aucun pour l'instant"), "{show}");

    // A good one.
    let out = ok(&server, &tr, tp, "demo upload 1", CAST.as_bytes()).await;
    assert!(
        out.contains("Enregistrement de la démo technique n° 1 enregistré : demo-1.cast (5 événements, 100×30)"),
        "{out}"
    );
    // Replacing needs --yes.
    let e = refused(&server, &tr, tp, "demo upload Volumes", CAST.as_bytes()).await;
    assert!(e.contains("--yes"), "{e}");
    ok(
        &server,
        &tr,
        tp,
        "demo upload Volumes --yes",
        CAST.as_bytes(),
    )
    .await;
    let files: i64 = sqlx::query_scalar("SELECT count(*) FROM stored_files")
        .fetch_one(server.running.portail.store().pool())
        .await
        .unwrap();
    assert_eq!(files, 1, "the replaced recording's file is gone");

    // demo show: the signed links; JSON too.
    let show = ok(&server, &tr, tp, "demo show 1", b"").await;
    let link = url_after(&show, "Lien de l'enregistrement");
    assert!(link.contains("/f/"), "{show}");
    assert!(show.contains(&format!("{link}?player=1")), "{show}");
    let j: serde_json::Value =
        serde_json::from_str(&ok(&server, &tr, tp, "demo show 1 --json", b"").await).unwrap();
    // The same file and user (the expiry may have moved on by a second).
    let prefix: String = link.split('/').take(6).collect::<Vec<_>>().join("/");
    let url = j["recording"]["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{prefix}/")), "{url} vs {link}");
    assert!(
        j["recording"]["player_url"]
            .as_str()
            .unwrap()
            .ends_with("?player=1")
    );

    // Léa (audience): her own link; the .cast downloads over HTTPS, byte for byte.
    let mine = ok(&server, "lea@example.fr", PW, "demos 1", b"").await;
    let lea_link = url_after(&mine, "Lien de l'enregistrement");
    let http = client();
    let r = http.get(&lea_link).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/x-asciicast"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), CAST.as_bytes());
    // The player page: scripts from this origin only, none inline.
    let r = http
        .get(format!("{lea_link}?player=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    let html = r.text().await.unwrap();
    assert!(
        html.contains("/assets/asciinema-player/asciinema-player.min.js"),
        "{html}"
    );
    assert!(html.contains("/assets/portail-player.js"), "{html}");
    assert!(!html.contains("<script>"), "no inline script: {html}");
    let base = &lea_link[..lea_link.find("/f/").unwrap()];
    for (path, kind) in [
        (
            "/assets/asciinema-player/asciinema-player.min.js",
            "text/javascript",
        ),
        ("/assets/asciinema-player/asciinema-player.css", "text/css"),
        ("/assets/asciinema-player/LICENSE", "text/plain"),
        ("/assets/portail-player.js", "text/javascript"),
    ] {
        let r = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(kind)
        );
    }
    assert_eq!(
        http.get(format!("{base}/assets/nope.js"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Paul (outside the audience): "not found", as for a demo that does not exist, and
    // Léa's link is not his.
    let e = refused(&server, "paul@example.fr", PW, "demos 1", b"").await;
    let none = refused(&server, "paul@example.fr", PW, "demos 99", b"").await;
    assert_eq!(e, none);
    let paul_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'paul@example.fr'")
        .fetch_one(server.running.portail.store().pool())
        .await
        .unwrap();
    let lea_id = lea_link.split('/').nth(5).unwrap().to_string();
    let forged = lea_link.replacen(&format!("/{lea_id}/"), &format!("/{paul_id}/"), 1);
    assert_eq!(http.get(&forged).send().await.unwrap().status(), 403);
    // A student cannot upload.
    let e = refused(
        &server,
        "lea@example.fr",
        PW,
        "demo upload 1",
        CAST.as_bytes(),
    )
    .await;
    assert!(!e.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_replays_the_recording_in_the_tui_and_it_is_logged() {
    let (server, tr) = demo_with_audience().await;
    ok(
        &server,
        &tr,
        TRAINER_PASSWORD,
        "demo upload 1",
        CAST.as_bytes(),
    )
    .await;

    let mut pty = Pty::login_as(server.addr(), "lea@example.fr", PW, 80, 24).await;
    pty.send(b"5").await;
    pty.wait_for("Mes démos techniques (1)").await;
    pty.send(b"\r").await;
    pty.wait_for("r revoir").await;
    pty.send(b"r").await;
    let s = pty.wait_for("local     donnees-pg").await;
    assert!(s.contains("$ docker volume ls"), "{s}");
    // Pause, jump to the marker, then forward 5 s: the second step shows.
    pty.send(b" ").await;
    pty.send(b"n").await;
    pty.wait_for("Étape 2").await;
    pty.send(b"\x1b[C").await;
    let s = pty.wait_for("Mountpoint: /var/lib/docker/volumes").await;
    assert!(s.contains("$ docker volume inspect donnees-pg"), "{s}");
    // Back 5 s twice: replayed from the start, the second step is gone.
    pty.send(b"\x1b[D").await;
    pty.send(b"\x1b[D").await;
    pty.wait_until(
        |s| !s.contains("Mountpoint") && s.contains("0:00 /"),
        "back at the start",
    )
    .await;
    // Leaving logs how far she went.
    pty.send(b"\x1b").await;
    pty.wait_for("r revoir").await;
    let pool = server.running.portail.store().pool().clone();
    let mut detail = None;
    for _ in 0..50 {
        detail = sqlx::query_scalar::<_, String>(
            "SELECT detail FROM activity_log WHERE kind = 'demo_replayed'",
        )
        .fetch_optional(&pool)
        .await
        .unwrap();
        if detail.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let detail = detail.expect("the replay is logged");
    assert_eq!(detail, "Volumes — 0:05 / 0:05");

    // On a phone: the recording opens and is readable.
    let mut phone = Pty::login_as(server.addr(), "lea@example.fr", PW, 40, 15).await;
    phone.send(b"5").await;
    phone.wait_for("Mes démos techniques (1)").await;
    phone.send(b"\r").await;
    phone.wait_for("r revoir").await;
    phone.send(b"r").await;
    phone.wait_for("$ docker volume ls").await;

    // Paul, outside the audience, has no demo at all.
    let mut paul = Pty::login_as(server.addr(), "paul@example.fr", PW, 80, 24).await;
    paul.send(b"5").await;
    paul.wait_for("Aucune démo technique pour vos cours").await;
}
