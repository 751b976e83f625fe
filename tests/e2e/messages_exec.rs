//! Messaging through exec commands (the terminal-injection rule included).

use crate::harness::*;

async fn ok(server: &TestServer, user: &str, pw: &str, cmd: &str, stdin: &[u8]) -> String {
    let r = exec(server.addr(), user, pw, cmd, Some(stdin)).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn students_write_to_the_trainer_and_read_only_their_threads() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    ok(&server, &tr, tp, "org add --name Alpha", b"").await;
    ok(&server, &tr, tp, "class add --org Alpha --name K", b"").await;
    let mut creds = Vec::new();
    for email in ["ana@example.fr", "bob@example.fr"] {
        let class = if email.starts_with("ana") {
            " --class K"
        } else {
            ""
        };
        let out = ok(
            &server,
            &tr,
            tp,
            &format!(
                "student add --email {email} --first-name {}{class}",
                &email[..3]
            ),
            b"",
        )
        .await;
        let code = activation_code(&out);
        ok(
            &server,
            email,
            &code,
            "passwd --stdin",
            b"une phrase eleve\n",
        )
        .await;
        creds.push(email);
    }
    let pw = "une phrase eleve";
    // Injection attempt: OSC 52 clipboard write, screen clear, bidi override.
    let evil = "Bonjour 😀 漢字\n\x1b]52;c;SGVsbG8=\x07\x1b[2J\u{202E}fin";
    ok(
        &server,
        "ana@example.fr",
        pw,
        "message send --to trainer",
        evil.as_bytes(),
    )
    .await;
    let list: serde_json::Value =
        serde_json::from_str(&ok(&server, &tr, tp, "message list --json", b"").await).unwrap();
    assert_eq!(list[0]["unread"], 1);
    assert_eq!(list[0]["title"], "ana");
    let thread = list[0]["id"].as_i64().unwrap();
    let shown = ok(&server, &tr, tp, &format!("message show {thread}"), b"").await;
    assert!(shown.contains("Bonjour 😀 漢字"), "{shown}");
    assert!(
        !shown.contains('\x1b') && !shown.contains('\x07') && !shown.contains('\u{202E}'),
        "{shown:?}"
    );
    let list: serde_json::Value =
        serde_json::from_str(&ok(&server, &tr, tp, "message list --json", b"").await).unwrap();
    assert_eq!(list[0]["unread"], 0, "show marks read");

    ok(
        &server,
        &tr,
        tp,
        "message send --to ana@example.fr",
        "Réponse privée".as_bytes(),
    )
    .await;
    ok(
        &server,
        &tr,
        tp,
        "message send --class K",
        "Annonce à la classe".as_bytes(),
    )
    .await;
    let ana: serde_json::Value =
        serde_json::from_str(&ok(&server, "ana@example.fr", pw, "message list --json", b"").await)
            .unwrap();
    assert_eq!(ana.as_array().unwrap().len(), 2, "{ana}");
    let bob: serde_json::Value =
        serde_json::from_str(&ok(&server, "bob@example.fr", pw, "message list --json", b"").await)
            .unwrap();
    assert!(bob.as_array().unwrap().is_empty(), "{bob}");
    // Bob cannot read Ana's thread: the same answer as for a thread that does not exist.
    let other = exec(
        server.addr(),
        "bob@example.fr",
        pw,
        &format!("message show {thread}"),
        None,
    )
    .await;
    let missing = exec(
        server.addr(),
        "bob@example.fr",
        pw,
        "message show 99999",
        None,
    )
    .await;
    assert_ne!(other.status, Some(0));
    assert_eq!(other.stderr, missing.stderr);
    // Students write to the trainer only; bodies are checked.
    let r = exec(
        server.addr(),
        "bob@example.fr",
        pw,
        "message send --to ana@example.fr",
        Some(b"psst"),
    )
    .await;
    assert!(r.stderr.contains("non autorisée"), "{}", r.stderr);
    let r = exec(
        server.addr(),
        "bob@example.fr",
        pw,
        "message send --class K",
        Some(b"psst"),
    )
    .await;
    assert_ne!(r.status, Some(0));
    let r = exec(
        server.addr(),
        "bob@example.fr",
        pw,
        "message send --to trainer",
        Some(b"  \n "),
    )
    .await;
    assert!(r.stderr.contains("Message vide"), "{}", r.stderr);
    let long = "é".repeat(10_001);
    let r = exec(
        server.addr(),
        "bob@example.fr",
        pw,
        "message send --to trainer",
        Some(long.as_bytes()),
    )
    .await;
    assert!(r.stderr.contains("10 000 caractères"), "{}", r.stderr);
    ok(
        &server,
        "bob@example.fr",
        pw,
        "message send --to trainer",
        "é".repeat(10_000).as_bytes(),
    )
    .await;
}
