//! The import screen through a real PTY (bracketed paste of a CSV, preview, confirm, the
//! activation codes), and a student's session ending when the trainer disables the account.

use crate::harness::*;

async fn ok(server: &TestServer, user: &str, pw: &str, cmd: &str) -> String {
    let r = exec(server.addr(), user, pw, cmd, None).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

fn students(json: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(json)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The activation code on the screen line that names `email` (`XXXX-XXXX-XXXX`).
fn code_of(screen: &str, email: &str) -> String {
    screen
        .lines()
        .filter(|l| l.contains(email))
        .flat_map(|l| l.split(|c: char| c.is_whitespace() || c == '│'))
        .find(|w| w.len() == 14 && w.matches('-').count() == 2)
        .unwrap_or_else(|| panic!("no code for {email} in\n{screen}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_pastes_a_csv_previews_confirms_and_gets_the_codes() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    ok(&server, &tr, tp, "org add --name Alpha").await;

    let mut pty = Pty::login_as(server.addr(), &tr, tp, 100, 30).await;
    pty.send(b"7").await;
    pty.wait_for("À importer").await;
    pty.settle(300).await; // the organisations are loaded
    // The default organisation, picked from the list.
    pty.send(b"j").await;
    pty.send(b"l").await;
    pty.wait_for("‹ Alpha ›").await;

    // Bracketed paste, with the CR line ends terminals send and a Windows-style CRLF.
    let csv = "email;prénom;nom;Pointure\r\nlea@example.fr;Léa;Bernard;38\rhugo@example.fr;Hugo;Dubois;42\r";
    let mut paste = b"\x1b[200~".to_vec();
    paste.extend_from_slice(csv.as_bytes());
    paste.extend_from_slice(b"\x1b[201~");
    pty.send(&paste).await;
    let s = pty.wait_for("CSV : 3 ligne(s)").await;
    assert!(s.contains("lea@example.fr;Léa;Bernard;38"), "{s}");

    // Preview: the service's dry run, nothing written.
    pty.send(b"\x13").await; // Ctrl-S
    let s = pty.wait_for("Aperçu — rien n'a encore été écrit.").await;
    assert!(
        s.contains("Étudiants : 2 créé(s), 0 mis à jour, 0 inchangé(s)"),
        "{s}"
    );
    assert!(s.contains("« Pointure »"), "{s}");
    assert!(s.contains("+ Étudiant lea@example.fr"), "{s}");
    assert!(s.contains("+ Étudiant hugo@example.fr"), "{s}");
    assert!(s.contains("séparateur : « ; »"), "{s}");
    assert!(students(&ok(&server, &tr, tp, "student list --json").await).is_empty());

    // Confirm: imported, the codes shown once.
    pty.send(b"o").await;
    let s = pty.wait_for("Import terminé.").await;
    assert!(s.contains("affichés une seule fois"), "{s}");
    assert!(s.contains("--codes-csv"), "{s}");
    let lea = code_of(&s, "lea@example.fr");
    code_of(&s, "hugo@example.fr");

    let list = students(&ok(&server, &tr, tp, "student list --json").await);
    assert_eq!(list.len(), 2, "{list:?}");
    let lea_row = list
        .iter()
        .find(|s| s["email"] == "lea@example.fr")
        .expect("lea imported");
    assert_eq!(lea_row["first_name"], "Léa");
    assert!(
        lea_row.to_string().contains("Alpha"),
        "default organisation applied: {lea_row}"
    );
    // The code shown is the one that works.
    assert!(login(server.addr(), "lea@example.fr", &lea).await.is_some());

    // Enter: done, home again, the codes are gone.
    pty.send(b"\r").await;
    let s = pty.wait_for("Bonjour").await;
    assert!(!s.contains(&lea), "{s}");
    pty.send(b"q").await;
    pty.wait_closed().await;
    assert_eq!(pty.exit_status, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasted_errors_are_listed_with_line_and_column() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    let mut pty = Pty::login_as(server.addr(), &tr, tp, 100, 30).await;
    pty.send(b"7").await;
    pty.wait_for("À importer").await;
    pty.send(b"\x1b[200~email,nom\rjean.dupont@,Dupont\rok@example.fr,Ok\r\x1b[201~")
        .await;
    pty.wait_for("CSV : 3 ligne(s)").await;
    pty.send(b"\x13").await;
    let s = pty.wait_for("Import refusé : 1 erreur(s)").await;
    assert!(s.contains("ligne 2, colonne email"), "{s}");
    assert!(s.contains("« jean.dupont@ »"), "{s}");
    assert!(students(&ok(&server, &tr, tp, "student list --json").await).is_empty());
    // Back to the file, still there.
    pty.send(b"\r").await;
    pty.wait_for("CSV : 3 ligne(s)").await;
    // A JSON paste is recognised too.
    pty.send(b"\x15").await; // Ctrl-U
    pty.send("\x1b[200~[{\"email\": \"jo@example.fr\",\r \"prénom\": \"Jo\"}]\x1b[201~".as_bytes())
        .await;
    pty.wait_for("JSON : 2 ligne(s)").await;
    pty.send(b"\x13").await;
    let s = pty.wait_for("Aperçu — rien n'a encore été écrit.").await;
    assert!(
        s.contains("Étudiants : 1 créé(s), 0 mis à jour, 0 inchangé(s)"),
        "{s}"
    );
    assert!(s.contains("+ Étudiant jo@example.fr"), "{s}");
    assert!(students(&ok(&server, &tr, tp, "student list --json").await).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_students_open_session_ends_with_a_notice() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let tp = TRAINER_PASSWORD;
    let out = ok(
        &server,
        &tr,
        tp,
        "student add --email lea@example.fr --first-name Léa --last-name Bernard",
    )
    .await;
    let code = activation_code(&out);
    let mut pty = Pty::activate(
        server.addr(),
        "lea@example.fr",
        &code,
        "radium polonium",
        80,
        24,
    )
    .await;

    ok(&server, &tr, tp, "student disable lea@example.fr").await;
    pty.wait_closed().await;
    let s = pty.screen();
    assert!(s.contains("Votre compte a été désactivé."), "{s}");
    assert_eq!(pty.exit_status, Some(0));
    // Left the alternate screen and restored the terminal.
    let raw = String::from_utf8_lossy(&pty.raw);
    assert!(raw.contains("\x1b[?1049l"), "alternate screen left");
    assert!(raw.contains("\x1b[?2004l"), "bracketed paste disabled");
    server.wait_sessions_drained(10).await;
}
