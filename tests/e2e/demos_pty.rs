//! Technical demos through a real PTY: a student's home screen announces the demo of
//! their course starting soon (at 80×24 and on a 40×15 phone), and their Démos screen
//! lists and opens it.

use chrono::{Duration, Utc};

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn student_home_shows_the_upcoming_demo() {
    let (server, tr, code) = classroom().await;
    let tp = TRAINER_PASSWORD;
    exec_ok(
        server.addr(),
        &tr,
        tp,
        "course assign Shell --class K1",
        None,
    )
    .await;
    // In ten minutes, in the server's zone (Europe/Paris by default).
    let at = portail::present::minute(chrono_tz::Europe::Paris, Utc::now() + Duration::minutes(10));
    let add = format!(
        "demo add Shell --title 'Docker multi-stage' --at '{at}' --duration 30 \
         --repo https://git.example.fr/docker"
    );
    exec_ok(server.addr(), &tr, tp, &add, None).await;
    // Another course's demo, for nobody Léa knows.
    exec_ok(
        server.addr(),
        &tr,
        tp,
        "course add --title Autre --published",
        None,
    )
    .await;
    exec_ok(
        server.addr(),
        &tr,
        tp,
        &format!("demo add Autre --title Secrète --at '{at}' --duration 30"),
        None,
    )
    .await;

    // Straight after choosing her password, the home screen announces it.
    let mut pty = Pty::activate(
        server.addr(),
        "lea@example.fr",
        &code,
        "radium polonium",
        80,
        24,
    )
    .await;
    let home = pty
        .wait_until(
            |s| s.contains("min : Docker multi-stage"),
            "the demo announcement",
        )
        .await;
    assert!(
        home.contains("Démo en direct dans 10 min : Docker multi-stage")
            || home.contains("Démo en direct dans 9 min : Docker multi-stage"),
        "{home}"
    );
    assert!(!home.contains("Secrète"), "{home}");
    assert!(home.contains("Quitter"), "{home}");

    // Démos: listed, and opened.
    pty.send(b"5").await;
    let list = pty.wait_for("Mes démos techniques (1)").await;
    assert!(
        list.contains("Docker multi-stage") && list.contains("Prévue"),
        "{list}"
    );
    pty.send(b"\r").await;
    let detail = pty.wait_for("https://git.example.fr/docker").await;
    assert!(detail.contains("Participants du cours"), "{detail}");

    // On a phone: the announcement wraps between words, the menu stays usable.
    let mut phone = Pty::login_as(server.addr(), "lea@example.fr", "radium polonium", 40, 15).await;
    let home = phone
        .wait_until(|s| s.contains("multi-stage"), "the announcement at 40×15")
        .await;
    assert!(home.contains("Démo en direct dans"), "{home}");
    assert!(
        home.contains("6 Quitter"),
        "the whole menu in sight:\n{home}"
    );
    phone.send(b"5").await;
    phone.wait_for("Mes démos").await;
}
