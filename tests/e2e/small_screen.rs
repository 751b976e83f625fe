//! A phone-sized terminal (40×15) through a real SSH session: the home menu says what is
//! below it and keeps the selection in sight, hint lines keep every key, a QR code too big
//! for the window gives way to the whole link (still an OSC 8 hyperlink), and the server's
//! shutdown notice breaks between words.

use crate::harness::*;

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

/// The screen's rows, each as shown (a word cut by the terminal's own wrap shows here).
fn rows(pty: &Pty) -> Vec<String> {
    let s = pty.parser.screen();
    let (_, cols) = s.size();
    s.rows(0, cols.get()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_sized_menu_shows_what_is_below_and_the_shutdown_notice_keeps_words_whole() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let mut pty = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 40, 15).await;
    let home = pty.wait_for("↓ 3 de plus").await;
    assert!(!home.contains("Quitter"), "{home}");
    // The whole hint line, its last key included.
    let r = rows(&pty);
    assert!(r.iter().any(|l| l.trim_end() == "q quitter"), "{r:#?}");
    // Up from the first entry: the last one, scrolled into sight.
    pty.send(b"k").await;
    let end = pty
        .wait_until(
            |s| s.contains("11 Quitter") && s.contains("↑ 3 de plus"),
            "the last entry and the mark above",
        )
        .await;
    assert!(!end.contains("↓ 3 de plus"), "{end}");
    // And back down to the first: the menu scrolls back.
    pty.send(b"j").await;
    pty.wait_until(
        |s| s.contains("› 1 Organismes") && s.contains("↓ 3 de plus"),
        "the first entry and the mark below",
    )
    .await;

    let TestServer { running, dir, .. } = server;
    let stop = tokio::spawn(running.shutdown());
    pty.wait_closed().await;
    assert!(!pty.parser.screen().alternate_screen());
    let r = rows(&pty);
    let text = r.join("\n");
    assert!(text.contains("s'arrête"), "{text}");
    for word in ["session", "fermer.", "bientôt"] {
        assert!(
            r.iter().any(|l| l.split(' ').any(|w| w == word)),
            "{word:?} cut by the terminal:\n{text}"
        );
    }
    stop.await.unwrap();
    drop(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_sized_qr_code_gives_way_to_the_whole_link() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let mut pty = Pty::login_as(server.addr(), &email, TRAINER_PASSWORD, 40, 15).await;
    pty.send(b"6").await;
    pty.wait_for("https://").await;
    pty.send(b"Q").await;
    let shown = pty.wait_for("voici le lien complet.").await;
    assert!(
        shown.contains("Écran trop petit pour le QR code"),
        "{shown}"
    );
    assert!(!shown.contains('▀') && !shown.contains('▄'), "{shown}");
    pty.settle(300).await;
    // The link is whole on screen, in pieces, each piece a hyperlink to the whole URL.
    let urls = osc8_urls(&pty.raw);
    let url = urls
        .iter()
        .rev()
        .find(|u| u.contains("/u/"))
        .unwrap_or_else(|| panic!("no OSC 8 upload link in {urls:?}"))
        .clone();
    let screen = pty.screen();
    let inside: String = screen
        .lines()
        .filter_map(|l| l.strip_prefix("││"))
        .map(|l| l.trim_end_matches('│').trim_end())
        .collect();
    assert!(inside.contains(&url), "{url} not whole in:\n{screen}");
    let raw = String::from_utf8_lossy(&pty.raw);
    let pieces = raw.matches(&format!("\x1b]8;;{url}\x1b\\")).count();
    assert!(
        pieces >= 2,
        "the wrapped link's pieces are links ({pieces})"
    );
    pty.send(b"\x1b").await;
    pty.wait_for("Q QR code photo").await;
}
