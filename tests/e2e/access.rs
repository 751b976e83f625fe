//! Assignment dates and file links (issue 15): before its start a course is listed
//! « à partir du … » and cannot be opened (interface, `courses`, `course show`, HTTPS
//! downloads); after its end lessons can no longer be marked done; `course show` gives
//! every file its signed link and expiry, for the trainer and the student, in text and
//! JSON, and those links download over real HTTPS; a lesson shows its file.

use crate::harness::*;

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn ok(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: Option<&[u8]>) -> String {
    let r = exec(server.addr(), user, pw, cmd, stdin).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

const LEA: &str = "lea@example.fr";
const LEA_PW: &str = "radium polonium";
const PDF: &[u8] = b"%PDF-1.7\nles diapos du cours Shell\n";

/// The classroom, course Shell with two lessons and a file attached to lesson 1, Léa
/// activated; the course assigned to her class with `dates` (` --start …` / ` --end …`).
async fn shell_course(dates: &str) -> (TestServer, String) {
    let (server, tr, code) = classroom().await;
    let tp = TRAINER_PASSWORD;
    ok(
        &server,
        &tr,
        tp,
        "lesson add Shell --title Un",
        Some(b"Tapez *ls*."),
    )
    .await;
    ok(
        &server,
        &tr,
        tp,
        "lesson add Shell --title Deux",
        Some(b"Suite."),
    )
    .await;
    ok(
        &server,
        &tr,
        tp,
        "resource upload Shell --title Diapos --name diapos.pdf --lesson 1",
        Some(PDF),
    )
    .await;
    ok(
        &server,
        &tr,
        tp,
        &format!("course assign Shell --class K1{dates}"),
        None,
    )
    .await;
    ok(
        &server,
        LEA,
        &code,
        "passwd --stdin",
        Some(format!("{LEA_PW}\n").as_bytes()),
    )
    .await;
    (server, tr)
}

/// The first `https://…` address of `text`.
fn first_link(text: &str) -> String {
    let start = text
        .find("https://")
        .unwrap_or_else(|| panic!("a link in {text}"));
    text[start..]
        .split(['>', ' ', '\n', '"'])
        .next()
        .unwrap()
        .to_string()
}

async fn get(url: &str) -> (u16, Vec<u8>) {
    let r = client().get(url).send().await.expect("HTTPS GET");
    let status = r.status().as_u16();
    (status, r.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn before_its_start_a_course_is_listed_from_that_day_and_cannot_be_opened() {
    let (server, tr) = shell_course(" --start 2099-03-01").await;
    // The interface: listed « à partir du 1er mars 2099 », Enter says why it stays shut.
    let mut pty = Pty::login_as(server.addr(), LEA, LEA_PW, 100, 30).await;
    pty.send(b"1").await;
    let list = pty.wait_for("Mes cours (1)").await;
    assert!(list.contains("à partir du 1er mars 2099"), "{list}");
    pty.send(b"\r").await;
    let refused = pty.wait_for("Ce cours commence le 1er mars 2099").await;
    assert!(refused.contains("Mes cours (1)"), "{refused}");
    assert!(!refused.contains("Présentation"), "{refused}");

    // The commands: listed with the same words, `course show` refused with them.
    let courses = ok(&server, LEA, LEA_PW, "courses", None).await;
    assert!(courses.contains("à partir du 1er mars 2099"), "{courses}");
    let json = ok(&server, LEA, LEA_PW, "courses --json", None).await;
    assert!(json.contains("\"access\": \"upcoming\""), "{json}");
    for cmd in [
        "course show Shell",
        "course show Shell --json",
        "lesson done Shell 1",
    ] {
        let r = exec(server.addr(), LEA, LEA_PW, cmd, None).await;
        assert_eq!(r.status, Some(1), "{cmd}: {}", r.stdout);
        assert!(
            r.stderr.contains("Ce cours commence le 1er mars 2099"),
            "{cmd}: {}",
            r.stderr
        );
    }

    // HTTPS: a link Léa got while the course was open stops working once its start moves
    // to the future.
    let tp = TRAINER_PASSWORD;
    // (An empty --start clears the date; one not given would keep it.)
    ok(
        &server,
        &tr,
        tp,
        "course assign Shell --class K1 --start ''",
        None,
    )
    .await;
    let shown = ok(&server, LEA, LEA_PW, "course show Shell", None).await;
    let link = first_link(&shown);
    assert_eq!(get(&link).await, (200, PDF.to_vec()));
    ok(
        &server,
        &tr,
        tp,
        "course assign Shell --class K1 --start 2099-03-01",
        None,
    )
    .await;
    let (status, _) = get(&link).await;
    assert_eq!(status, 403, "{link}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_its_end_a_course_is_readable_but_lessons_cannot_be_marked_done() {
    let (server, _tr) = shell_course(" --start 2020-01-06 --end 2020-01-12").await;
    let courses = ok(&server, LEA, LEA_PW, "courses", None).await;
    assert!(
        courses.contains("terminé depuis le 12 janvier 2020"),
        "{courses}"
    );
    // Still readable, with its file.
    let shown = ok(&server, LEA, LEA_PW, "course show Shell", None).await;
    assert!(shown.contains("Un") && shown.contains("Diapos"), "{shown}");
    assert!(
        shown.contains("terminé depuis le 12 janvier 2020"),
        "{shown}"
    );
    assert_eq!(get(&first_link(&shown)).await.0, 200);
    // Marking a lesson done (or undone) is refused, clearly, and nothing changes.
    for cmd in ["lesson done Shell 1", "lesson done Shell 1 --undo"] {
        let r = exec(server.addr(), LEA, LEA_PW, cmd, None).await;
        assert_eq!(r.status, Some(1), "{cmd}: {}", r.stdout);
        assert!(
            r.stderr.contains(
                "Ce cours est terminé depuis le 12 janvier 2020 : il reste consultable mais \
                 vous ne pouvez plus marquer de leçon comme faite."
            ),
            "{cmd}: {}",
            r.stderr
        );
    }
    let json = ok(&server, LEA, LEA_PW, "course show Shell --json", None).await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["access"], "ended", "{json}");
    assert!(
        v["progress"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["completed_at"].is_null()),
        "{json}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn course_show_gives_files_a_working_signed_link_and_its_expiry() {
    let (server, tr) = shell_course("").await;
    let tp = TRAINER_PASSWORD;
    // The trainer, in text: `Diapos <https://…/f/…> (lien valable jusqu'au …)`.
    let shown = ok(&server, &tr, tp, "course show Shell", None).await;
    assert!(!shown.contains("Diapos <>"), "{shown}");
    let line = shown
        .lines()
        .find(|l| l.contains("Diapos"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(line.contains("/f/"), "{line}");
    assert!(line.contains("(lien valable jusqu'au 20"), "{line}");
    assert_eq!(get(&first_link(line)).await, (200, PDF.to_vec()));

    // The trainer and the student, in JSON: a URL and an ISO-8601 expiry with its offset.
    for (user, pw) in [(tr.as_str(), tp), (LEA, LEA_PW)] {
        let json = ok(&server, user, pw, "course show Shell --json", None).await;
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let file = v["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == "file")
            .unwrap_or_else(|| panic!("{json}"));
        let url = file["url"].as_str().unwrap_or_else(|| panic!("{json}"));
        let expires = file["url_expires_at"].as_str().unwrap();
        let at = chrono::DateTime::parse_from_rfc3339(expires).expect("ISO-8601 with offset");
        assert!(at > chrono::Utc::now(), "{expires}");
        assert!(file.get("file_id").is_none(), "{json}");
        assert_eq!(file["lesson_id"], v["lessons"][0]["id"], "{json}");
        assert_eq!(get(url).await, (200, PDF.to_vec()), "{user}");
    }
    // The student, in text.
    let shown = ok(&server, LEA, LEA_PW, "course show Shell", None).await;
    assert!(shown.contains("lien valable jusqu'au"), "{shown}");
    assert_eq!(get(&first_link(&shown)).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lesson_shows_its_file_with_its_link() {
    let (server, _tr) = shell_course("").await;
    let mut pty = Pty::login_as(server.addr(), LEA, LEA_PW, 100, 30).await;
    pty.send(b"1").await;
    pty.wait_for("Mes cours (1)").await;
    // Continue: lesson 1 opens, its file under it.
    pty.send(b"\r").await;
    let lesson = pty.wait_for("Fichiers et liens de la leçon (1)").await;
    assert!(lesson.contains("1. Un"), "{lesson}");
    assert!(lesson.contains("Diapos"), "{lesson}");
    assert!(lesson.contains("https://"), "{lesson}");
    // The full signed link goes out as an OSC 8 hyperlink.
    let raw = String::from_utf8_lossy(&pty.raw).to_string();
    assert!(
        raw.contains("\x1b]8;;https://") && raw.contains("/f/"),
        "no hyperlink"
    );
}
