//! A real browser: headless Debian Chromium, driven through ChromeDriver (W3C WebDriver),
//! opens a one-time upload page and uploads an avatar, then downloads a course file
//! through a signed link, and the bytes that land on disk are the ones uploaded.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian packages `chromium` and
//! `chromium-driver`, installed by `.ci/run`); `CHROMIUM` and `CHROMEDRIVER` override the
//! paths. Missing browser = failed test, never a silent skip.
//!
//! The WebDriver protocol is plain JSON over HTTP: the few commands needed are sent with
//! reqwest (already a dev-dependency) rather than through a WebDriver client crate.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::time::{Instant, sleep};

use crate::harness::*;

/// The W3C key of an element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn binary(env: &str, default: &str, package: &str) -> PathBuf {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    assert!(
        path.is_file(),
        "browser test: {} not found — install the Debian packages `chromium` and \
         `chromium-driver` (`apt-get install -y chromium chromium-driver`, as .ci/run does), \
         or set {env} (package needed: {package})",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free local port")
        .port()
}

/// ChromeDriver on a free local port, in its own process group so that dropping it (end
/// of test, panic or timeout) ends it and every browser process it started.
struct Driver {
    child: Child,
    url: String,
    log: PathBuf,
    _dir: Option<TempDir>,
}

impl Driver {
    async fn start() -> Driver {
        let exe = binary("CHROMEDRIVER", "/usr/bin/chromedriver", "chromium-driver");
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("chromedriver.log");
        let mut last = String::new();
        // The port is picked then released: retry if another process took it meanwhile.
        for _ in 0..3 {
            let port = free_port();
            let child = Command::new(&exe)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .process_group(0)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("browser test: cannot run {}: {e}", exe.display()));
            let mut driver = Driver {
                child,
                url: format!("http://127.0.0.1:{port}"),
                log: log.clone(),
                _dir: None,
            };
            let http = http();
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = driver.child.try_wait() {
                    last = format!("chromedriver exited: {status}");
                    break;
                }
                if let Ok(r) = http.get(format!("{}/status", driver.url)).send().await
                    && let Ok(v) = r.json::<Value>().await
                    && v["value"]["ready"] == json!(true)
                {
                    driver._dir = Some(dir);
                    return driver;
                }
                sleep(Duration::from_millis(100)).await;
            }
            if last.is_empty() {
                last = "chromedriver not ready within 20 s".into();
            }
        }
        panic!("browser test: {last}\n{}", read_log(&log));
    }

    /// A new headless Chromium session downloading into `downloads`.
    async fn session(&self, downloads: &Path, profile: &Path) -> Session {
        let chromium = binary("CHROMIUM", "/usr/bin/chromium", "chromium");
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--ignore-certificate-errors".into(),
            "--no-first-run".into(),
            "--no-default-browser-check".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--disable-breakpad".into(),
            "--disable-crash-reporter".into(),
            "--window-size=800,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "acceptInsecureCerts": true,
                    "pageLoadStrategy": "normal",
                    "timeouts": { "implicit": 0, "pageLoad": 30_000, "script": 30_000 },
                    "goog:chromeOptions": {
                        "binary": chromium,
                        "args": args,
                        "prefs": {
                            "download.default_directory": downloads,
                            "download.prompt_for_download": false,
                            "download.directory_upgrade": true,
                            "plugins.always_open_pdf_externally": true,
                            "safebrowsing.enabled": false,
                        },
                    },
                },
            },
        });
        let http = http();
        let resp = http
            .post(format!("{}/session", self.url))
            .json(&caps)
            .send()
            .await
            .expect("chromedriver answers");
        let v: Value = resp.json().await.expect("json");
        let Some(id) = v["value"]["sessionId"].as_str() else {
            panic!(
                "browser test: Chromium did not start: {v}\n{}",
                read_log(&self.log)
            );
        };
        let s = Session {
            http,
            base: format!("{}/session/{id}", self.url),
        };
        // Headless Chromium also honours downloads set through the DevTools protocol;
        // set it explicitly so the behaviour does not depend on the prefs alone.
        s.cmd(
            "POST",
            "/goog/cdp/execute",
            json!({
                "cmd": "Browser.setDownloadBehavior",
                "params": { "behavior": "allow", "downloadPath": downloads, "eventsEnabled": true },
            }),
        )
        .await
        .expect("download behaviour set");
        s
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let signal = |sig: &str| {
            Command::new("kill")
                .args([sig, "--", &group])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        // Politely first (Chromium cleans up its helpers), then for sure.
        signal("-TERM");
        let _ = self.child.wait();
        let deadline = std::time::Instant::now() + Duration::from_secs(3);
        while signal("-0") && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        signal("-KILL");
    }
}

fn read_log(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let tail: Vec<&str> = text.lines().rev().take(40).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    format!("chromedriver log (last lines):\n{}", tail.join("\n"))
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("http client")
}

/// One WebDriver session; closed explicitly by `quit` (the driver's drop kills the rest).
struct Session {
    http: reqwest::Client,
    base: String,
}

impl Session {
    /// Sends one command; `Err` carries the WebDriver error.
    async fn cmd(&self, method: &str, path: &str, body: Value) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.http.get(&url),
            "DELETE" => self.http.delete(&url),
            _ => self.http.post(&url).json(&body),
        };
        let resp = req
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let ok = resp.status().is_success();
        let v: Value = resp
            .json()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        if ok {
            Ok(v["value"].clone())
        } else {
            Err(format!("{method} {path}: {}", v["value"]))
        }
    }

    async fn goto(&self, url: &str) -> Result<Value, String> {
        self.cmd("POST", "/url", json!({ "url": url })).await
    }

    async fn title(&self) -> String {
        let v = self.cmd("GET", "/title", Value::Null).await.expect("title");
        v.as_str().unwrap_or_default().to_string()
    }

    async fn source(&self) -> String {
        let v = self
            .cmd("GET", "/source", Value::Null)
            .await
            .expect("source");
        v.as_str().unwrap_or_default().to_string()
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(
                "POST",
                "/element",
                json!({ "using": "css selector", "value": css }),
            )
            .await
            .unwrap_or_else(|e| panic!("element {css}: {e}"));
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("element {css}: {v}"))
            .to_string()
    }

    /// Waits until the page's HTML contains `text`.
    async fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let html = self.source().await;
            if html.contains(text) {
                return html;
            }
            assert!(Instant::now() < deadline, "{text:?} never shown: {html}");
            sleep(Duration::from_millis(100)).await;
        }
    }

    async fn quit(self) {
        let _ = self.cmd("DELETE", "", Value::Null).await;
    }
}

/// Waits for `name` to be complete in `dir` (Chromium writes `*.crdownload` first).
async fn downloaded(dir: &Path, name: &str, len: usize) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let entries: Vec<String> = std::fs::read_dir(dir)
            .expect("download dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if entries.iter().any(|e| e == name)
            && !entries.iter().any(|e| e.ends_with(".crdownload"))
            && let Ok(bytes) = std::fs::read(dir.join(name))
            && bytes.len() >= len
        {
            return bytes;
        }
        assert!(
            Instant::now() < deadline,
            "{name} not downloaded within 30 s; download dir holds {entries:?}"
        );
        sleep(Duration::from_millis(100)).await;
    }
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 3 % 256) as u8, (y * 5 % 256) as u8, 140])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn run(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: &[u8]) -> String {
    let r = exec(server.addr(), user, pw, cmd, Some(stdin)).await;
    assert_eq!(r.status, Some(0), "{cmd}: {}", r.stderr);
    r.stdout
}

fn url_in(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {text}"));
    text[start..]
        .split(['>', ' ', '\n', '\r', '\x1b', '\x07'])
        .next()
        .unwrap()
        .to_string()
}

async fn avatar_of(server: &TestServer, email: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT avatar_file_id FROM users WHERE email = ?1")
        .bind(email)
        .fetch_one(server.running.portail.store().pool())
        .await
        .expect("user row")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_chromium_uploads_an_avatar_and_downloads_a_course_file() {
    tokio::time::timeout(Duration::from_secs(180), browser_flow())
        .await
        .expect("browser test finished within 3 minutes");
}

async fn browser_flow() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;

    let driver = Driver::start().await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let downloads = tmp.path().join("downloads");
    let profile = tmp.path().join("profile");
    std::fs::create_dir_all(&downloads).unwrap();
    std::fs::create_dir_all(&profile).unwrap();
    let browser = driver.session(&downloads, &profile).await;

    // 1. The one-time upload page: French text, a file chosen, sent, "enregistré".
    assert_eq!(avatar_of(&server, &tr).await, None);
    let out = run(&server, &tr, tp, "avatar link", b"").await;
    assert!(out.contains("Lien d'envoi"), "{out}");
    let page = url_in(&out, "https://");
    assert!(page.contains("/u/"), "{out}");
    browser.goto(&page).await.expect("upload page opens");
    assert_eq!(browser.title().await, "Votre photo de profil — Portail");
    let html = browser.wait_for("Choisissez une photo").await;
    assert!(html.contains("Envoyer"), "{html}");
    let photo = tmp.path().join("ma photo.png");
    std::fs::write(&photo, png(300, 200)).unwrap();
    let input = browser.find("input[type=file]").await;
    browser
        .cmd(
            "POST",
            &format!("/element/{input}/value"),
            json!({ "text": photo.display().to_string() }),
        )
        .await
        .expect("file chosen");
    let submit = browser.find("button[type=submit]").await;
    browser
        .cmd("POST", &format!("/element/{submit}/click"), json!({}))
        .await
        .expect("form sent");
    let html = browser.wait_for("enregistré").await;
    assert!(html.contains("revenir à Portail"), "{html}");
    let avatar = avatar_of(&server, &tr).await;
    assert!(avatar.is_some(), "the avatar is stored");
    // The link was one-time: the browser now sees the French refusal.
    browser.goto(&page).await.expect("upload page again");
    let html = browser.wait_for("déjà servi").await;
    assert!(
        !html.contains("<form"),
        "a spent link shows no form: {html}"
    );

    // 2. A course file through the student's signed link.
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
    let code = out
        .split("Code d'activation : ")
        .nth(1)
        .unwrap_or_else(|| panic!("no activation code in {out}"))[..14]
        .to_string();
    run(&server, &tr, tp, "course assign Shell --class K", b"").await;
    let pdf: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..300_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8))
        .collect();
    let name = "Présentation été.pdf";
    let out = run(
        &server,
        &tr,
        tp,
        &format!("resource upload Shell --title Diapos --name '{name}'"),
        &pdf,
    )
    .await;
    assert!(out.contains("Fichier joint"), "{out}");
    let pw = "ana télécharge les diapos";
    run(
        &server,
        "ana@example.fr",
        &code,
        "passwd --stdin",
        format!("{pw}\n").as_bytes(),
    )
    .await;
    let shown = run(&server, "ana@example.fr", pw, "course show Shell", b"").await;
    let link = url_in(&shown, "https://");
    assert!(link.contains("/f/"), "{shown}");

    // A navigation that ends in a download may be reported as aborted: what counts is
    // the file on disk.
    let _ = browser.goto(&link).await;
    let bytes = downloaded(&downloads, name, pdf.len()).await;
    assert_eq!(bytes.len(), pdf.len());
    assert!(
        bytes == pdf,
        "downloaded bytes differ from the uploaded file"
    );

    // An image course file opens in the browser (inline, under the sandboxing policy),
    // and nothing is saved for it.
    run(
        &server,
        &tr,
        tp,
        "resource upload Shell --title Schéma --name schema.png",
        &png(40, 30),
    )
    .await;
    let shown = run(&server, "ana@example.fr", pw, "course show Shell", b"").await;
    // Each `course show` signs its links afresh: take the one on the image's line.
    let image_line = shown
        .lines()
        .find(|l| l.contains("Schéma"))
        .unwrap_or_else(|| panic!("no image line in {shown}"));
    let image_link = image_line
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '<' || c == '>'))
        .find(|w| w.starts_with("https://") && w.contains("/f/"))
        .unwrap_or_else(|| panic!("no image link in {shown}"))
        .to_string();
    browser.goto(&image_link).await.expect("the image opens");
    let html = browser.wait_for("<img").await;
    assert!(html.contains("/f/"), "{html}");
    let saved: Vec<_> = std::fs::read_dir(&downloads)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!saved.iter().any(|n| n.contains("schema")), "{saved:?}");

    browser.quit().await;
    drop(driver);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_chromium_plays_a_demo_recording_with_the_vendored_player() {
    tokio::time::timeout(Duration::from_secs(180), player_flow())
        .await
        .expect("player test finished within 3 minutes");
}

/// The student's `…?player=1` page: asciinema-player (served by Portail, no CDN) fetches
/// the signed `.cast` and draws the recorded text into the page.
async fn player_flow() {
    let (server, tr) = crate::recordings::demo_with_audience().await;
    run(
        &server,
        &tr,
        TRAINER_PASSWORD,
        "demo upload 1",
        crate::recordings::CAST.as_bytes(),
    )
    .await;
    let shown = run(
        &server,
        "lea@example.fr",
        "un mot de passe étudiant",
        "demos 1",
        b"",
    )
    .await;
    let page = url_in(
        &shown[shown
            .find("Lecture dans le navigateur")
            .expect("player link")..],
        "https://",
    );
    assert!(page.ends_with("?player=1"), "{shown}");

    let driver = Driver::start().await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let downloads = tmp.path().join("downloads");
    let profile = tmp.path().join("profile");
    std::fs::create_dir_all(&downloads).unwrap();
    std::fs::create_dir_all(&profile).unwrap();
    let browser = driver.session(&downloads, &profile).await;
    browser.goto(&page).await.expect("player page opens");
    assert_eq!(browser.title().await, "Enregistrement de la démo — Portail");
    // The player builds its terminal in the DOM and plays the recording (idle gaps cut).
    let html = browser.wait_for("donnees-pg").await;
    assert!(
        html.contains("ap-terminal") || html.contains("ap-player"),
        "{html}"
    );
    browser.wait_for("Mountpoint").await;
    // The OSC 52 clipboard payload of the recording is not text on the page.
    let html = browser.source().await;
    assert!(!html.contains("cGF5bG9hZA"), "{html}");
    browser.quit().await;
}
