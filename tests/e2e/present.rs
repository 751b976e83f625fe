//! One moment, one local time: an activity logged at a known instant reads the same in
//! the TUI, the exec text and the CSV export (Europe/Paris, winter UTC+1 and summer
//! UTC+2); JSON keeps the instant in ISO-8601 with its offset.

use chrono::{DateTime, Utc};

use crate::harness::*;

async fn ok(server: &TestServer, user: &str, cmd: &str, stdin: Option<&[u8]>) -> String {
    let r = exec(server.addr(), user, TRAINER_PASSWORD, cmd, stdin).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_reads_the_same_local_time_in_the_tui_exec_and_export() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    ok(&server, &tr, "org add --name Alpha", None).await;
    ok(&server, &tr, "class add --org Alpha --name K1", None).await;
    ok(
        &server,
        &tr,
        "student add --email lea@example.fr --first-name Léa --last-name Bernard --class K1",
        None,
    )
    .await;
    ok(&server, &tr, "course add --title Shell --published", None).await;
    ok(&server, &tr, "lesson add Shell --title Un", Some(b"a")).await;
    ok(&server, &tr, "course assign Shell --class K1", None).await;

    // The student never logs in here: the only activity is the one written below.
    let pool = server.running.portail.store().pool();
    let student: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'lea@example.fr'")
        .fetch_one(pool)
        .await
        .unwrap();
    let (course, lesson): (i64, i64) = sqlx::query_as("SELECT course_id, id FROM lessons")
        .fetch_one(pool)
        .await
        .unwrap();
    let winter = utc("2026-01-15T09:34:05Z"); // 10:34:05 in Paris (UTC+1)
    let summer = utc("2026-07-15T09:34:05Z"); // 11:34:05 in Paris (UTC+2)
    sqlx::query(
        "INSERT INTO activity_log (user_id, kind, source_ip, created_at) \
         VALUES (?1, 'login', '192.0.2.1', ?2)",
    )
    .bind(student)
    .bind(winter)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO activity_log (user_id, kind, course_id, lesson_id, created_at) \
         VALUES (?1, 'lesson_completed', ?2, ?3, ?4)",
    )
    .bind(student)
    .bind(course)
    .bind(lesson)
    .bind(summer)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("UPDATE users SET last_login_at = ?1 WHERE id = ?2")
        .bind(winter)
        .bind(student)
        .execute(pool)
        .await
        .unwrap();

    // Exec text: the activity log to the second, the rest to the minute.
    let log = ok(&server, &tr, "activity --student lea@example.fr", None).await;
    assert!(log.contains("2026-07-15 11:34:05"), "{log}");
    assert!(log.contains("2026-01-15 10:34:05"), "{log}");
    assert!(!log.contains("09:34") && !log.contains("UTC"), "{log}");
    let show = ok(&server, &tr, "student show lea@example.fr", None).await;
    assert!(show.contains("2026-01-15 10:34"), "{show}");
    let parts = ok(&server, &tr, "course participants Shell", None).await;
    assert!(parts.contains("2026-07-15 11:34"), "{parts}");
    let progress = ok(&server, &tr, "progress --course Shell", None).await;
    assert!(progress.contains("2026-07-15 11:34"), "{progress}");

    // The export made for people (CSV, Excel) reads local time; JSON keeps the instant.
    for cmd in [
        "export progress --course Shell",
        "export progress --course Shell --excel",
        "export participants --course Shell",
    ] {
        let csv = ok(&server, &tr, cmd, None).await;
        assert!(csv.contains("2026-07-15 11:34"), "{cmd}: {csv}");
        assert!(!csv.contains("09:34"), "{cmd}: {csv}");
    }
    let json = ok(
        &server,
        &tr,
        "export progress --course Shell --format json",
        None,
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let last = v[0]["last_activity"].as_str().unwrap();
    assert_eq!(utc(last), summer, "{json}");

    // The TUI: the participants of the course, then Léa's progress and activity.
    let mut pty = Pty::login_as(server.addr(), &tr, TRAINER_PASSWORD, 120, 30).await;
    pty.send(b"4").await;
    pty.wait_for("Cours (1)").await;
    pty.send(b"p").await;
    let screen = pty.wait_for("Léa").await;
    let screen = if screen.contains("2026-07-15 11:34") {
        screen
    } else {
        pty.wait_for("2026-07-15 11:34").await
    };
    assert!(!screen.contains("09:34"), "{screen}");
    pty.send(b"q").await;
    pty.wait_closed().await;
}
