//! Lockouts as a person meets them, with the real OpenSSH client: the banner that says
//! why and for how long, the trainer unblocking an address, a classroom behind one
//! address, and the trainer's own name shown to students.

use std::net::SocketAddr;
use std::process::Command;

use crate::harness::*;

const STUDENT_PW: &str = "une phrase eleve";

/// What the OpenSSH client gave: exit status, stdout, stderr (where it prints banners).
struct Ssh {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `ssh` through sshpass from the loopback address `source`, with the default log level
/// (OpenSSH prints the server's banner only at INFO and above).
fn openssh(addr: SocketAddr, source: &str, user: &str, password: &str, cmd: &str) -> Ssh {
    let out = Command::new("sshpass")
        .args(["-p", password, "ssh"])
        .args(["-o", "StrictHostKeyChecking=no"])
        .args(["-o", "UserKnownHostsFile=/dev/null"])
        .args(["-o", "LogLevel=INFO", "-o", "PubkeyAuthentication=no"])
        .args(["-o", "PreferredAuthentications=password"])
        .args(["-o", "NumberOfPasswordPrompts=1"])
        .args(["-o", "ConnectTimeout=10", "-b", source])
        .args(["-p", &addr.port().to_string()])
        .arg(format!("{user}@127.0.0.1"))
        .arg(cmd)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("sshpass and ssh are installed (see scripts/test)");
    Ssh {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

async fn ssh(addr: SocketAddr, source: &'static str, user: &str, pw: &str, cmd: &str) -> Ssh {
    let (user, pw, cmd) = (user.to_string(), pw.to_string(), cmd.to_string());
    tokio::task::spawn_blocking(move || openssh(addr, source, &user, &pw, &cmd))
        .await
        .unwrap()
}

/// Students with a password of their own, in class K of organisation Alpha.
async fn students(server: &TestServer, tr: &str, emails: &[&str]) {
    let addr = server.addr();
    exec_ok(addr, tr, TRAINER_PASSWORD, "org add --name Alpha", None).await;
    exec_ok(
        addr,
        tr,
        TRAINER_PASSWORD,
        "class add --org Alpha --name K",
        None,
    )
    .await;
    for email in emails {
        let add = format!("student add --email {email} --first-name Eve --class K");
        let code = activation_code(&exec_ok(addr, tr, TRAINER_PASSWORD, &add, None).await);
        choose_password(addr, email, &code, STUDENT_PW).await;
    }
}

const BANNER_SOURCE: &str = "Trop d'échecs de connexion depuis votre adresse : réessayez dans";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lockout_banner_says_why_and_the_trainer_unblocks_at_once() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    students(&server, &tr, &["eve@example.fr"]).await;
    let addr = server.addr();
    // No lockout: no banner.
    let ok = ssh(addr, "127.0.0.3", &tr, TRAINER_PASSWORD, "whoami").await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(!ok.stderr.contains("Trop d'échecs"), "{}", ok.stderr);
    for _ in 0..5 {
        let r = ssh(addr, "127.0.0.3", &tr, "pas le bon mot", "whoami").await;
        assert_ne!(r.code, 0);
    }
    // The sixth connection: told why and for how long, before the password; refused.
    let r = ssh(addr, "127.0.0.3", &tr, TRAINER_PASSWORD, "whoami").await;
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(r.stderr.contains(BANNER_SOURCE), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("dans 10 min, ou demandez à votre formateur de la débloquer."),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());

    // The trainer (from elsewhere) sees the blocked address, whole and on the login tried.
    let list = exec_ok(addr, &tr, TRAINER_PASSWORD, "security blocked", None).await;
    assert!(
        list.contains("127.0.0.3") && list.contains("toute l'adresse"),
        "{list}"
    );
    assert!(
        list.contains("prof@example.fr") && list.contains("min"),
        "{list}"
    );
    let json = exec_ok(addr, &tr, TRAINER_PASSWORD, "security blocked --json", None).await;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert!(
        rows.iter()
            .any(|r| r["source"] == "127.0.0.3" && r["login"].is_null() && r["failures"] == 5),
        "{json}"
    );

    // A student may not unblock (nor list).
    let r = exec(
        addr,
        "eve@example.fr",
        STUDENT_PW,
        "security unblock 127.0.0.3",
        None,
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("non autorisée"), "{}", r.stderr);
    let r = exec(addr, "eve@example.fr", STUDENT_PW, "security blocked", None).await;
    assert_eq!(r.status, Some(1));
    // Wrong or unblocked addresses are refused, naming the field.
    let r = exec(
        addr,
        &tr,
        TRAINER_PASSWORD,
        "security unblock 127.0.0.300",
        None,
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(
        r.stderr
            .contains("Adresse IP : adresse IPv4 ou IPv6 attendue"),
        "{}",
        r.stderr
    );
    let r = exec(
        addr,
        &tr,
        TRAINER_PASSWORD,
        "security unblock 127.0.0.9",
        None,
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("n'est pas bloquée"), "{}", r.stderr);

    // The trainer unblocks it: access is back at once, with no banner.
    let out = exec_ok(
        addr,
        &tr,
        TRAINER_PASSWORD,
        "security unblock 127.0.0.3",
        None,
    )
    .await;
    assert!(out.contains("Adresse 127.0.0.3 débloquée"), "{out}");
    let r = ssh(addr, "127.0.0.3", &tr, TRAINER_PASSWORD, "whoami").await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("prof@example.fr"));
    assert!(!r.stderr.contains("Trop d'échecs"), "{}", r.stderr);
    let list = exec_ok(addr, &tr, TRAINER_PASSWORD, "security blocked", None).await;
    assert!(list.contains("Aucune adresse bloquée"), "{list}");
    // The security log says who unblocked what.
    let log = exec_ok(addr, &tr, TRAINER_PASSWORD, "security log --json", None).await;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&log).unwrap();
    assert!(
        rows.iter().any(|r| r["outcome"] == "unblocked"
            && r["source"] == "127.0.0.3"
            && r["login"] == "prof@example.fr"),
        "{log}"
    );
    let log = exec_ok(addr, &tr, TRAINER_PASSWORD, "security log", None).await;
    assert!(log.contains("débloquée (formateur)"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lockout_a_classroom_behind_one_address_is_not_shut_out_by_one_student() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let (a, b, c) = ("ana@example.fr", "ben@example.fr", "cam@example.fr");
    students(&server, &tr, &[a, b, c]).await;
    let addr = server.addr();
    // The class logs in from the room's one address: three accounts, a shared source.
    for who in [a, b, c] {
        let r = ssh(addr, "127.0.0.4", who, STUDENT_PW, "whoami").await;
        assert_eq!(r.code, 0, "{who}: {}", r.stderr);
    }
    // Ana mistypes her password six times.
    for _ in 0..6 {
        let r = ssh(addr, "127.0.0.4", a, "faute de frappe", "whoami").await;
        assert_ne!(r.code, 0);
    }
    // Ben and Cam still get in from the room (told that one account is blocked there).
    for who in [b, c] {
        let r = ssh(addr, "127.0.0.4", who, STUDENT_PW, "whoami").await;
        assert_eq!(r.code, 0, "{who} shut out by another's typos: {}", r.stderr);
        assert!(r.stdout.contains(who));
        assert!(!r.stderr.contains(BANNER_SOURCE), "{}", r.stderr);
    }
    // Ana herself is locked from the room, right password or not, and told why.
    let r = ssh(addr, "127.0.0.4", a, STUDENT_PW, "whoami").await;
    assert_ne!(
        r.code, 0,
        "the typed-on account is not protected: {}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("Trop d'échecs de connexion sur un compte depuis votre adresse"),
        "{}",
        r.stderr
    );
    // The trainer sees that account blocked from the room, not the room.
    let list = exec_ok(addr, &tr, TRAINER_PASSWORD, "security blocked --json", None).await;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap();
    assert!(
        rows.iter()
            .any(|r| r["source"] == "127.0.0.4" && r["login"] == a && r["shared"] == true),
        "{list}"
    );
    assert!(
        !rows
            .iter()
            .any(|r| r["source"] == "127.0.0.4" && r["login"].is_null()),
        "{list}"
    );
    // Unblocking the room lets Ana in again.
    exec_ok(
        addr,
        &tr,
        TRAINER_PASSWORD,
        "security unblock 127.0.0.4",
        None,
    )
    .await;
    let r = ssh(addr, "127.0.0.4", a, STUDENT_PW, "whoami").await;
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_sets_own_name_by_exec_and_students_see_it_in_messages() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    students(&server, &tr, &["eve@example.fr"]).await;
    let addr = server.addr();
    let tp = TRAINER_PASSWORD;
    exec_ok(
        addr,
        &tr,
        tp,
        "message send --to eve@example.fr",
        Some(b"Bienvenue"),
    )
    .await;
    let before = exec_ok(addr, "eve@example.fr", STUDENT_PW, "message show 1", None).await;
    assert!(before.contains("prof@example.fr"), "{before}");
    // No name yet: the student's list calls the thread « Formateur ».
    let list = exec_ok(addr, "eve@example.fr", STUDENT_PW, "message list", None).await;
    assert!(list.contains("Formateur"), "{list}");
    // Nothing given: refused, nothing changed.
    let r = exec(addr, &tr, tp, "account set", None).await;
    assert_eq!(r.status, Some(1));
    assert!(r.stderr.contains("Rien à changer"), "{}", r.stderr);
    // A hostile name is cleaned; the e-mail changes the login too.
    let out = exec_ok(
        addr,
        &tr,
        tp,
        "account set --first-name 'Claire\x1b[31m' --last-name Martin --email claire@example.fr",
        None,
    )
    .await;
    assert!(
        out.contains("Compte mis à jour : Claire[31m Martin <claire@example.fr>"),
        "{out}"
    );
    let after = exec_ok(addr, "eve@example.fr", STUDENT_PW, "message show 1", None).await;
    assert!(after.contains("Claire[31m Martin"), "{after}");
    // The student's list of conversations names the trainer too.
    let list = exec_ok(addr, "eve@example.fr", STUDENT_PW, "message list", None).await;
    assert!(
        list.contains("Claire[31m Martin") && !list.contains("Formateur"),
        "{list}"
    );
    assert!(
        !after.contains("prof@example.fr") && !after.contains('\x1b'),
        "{after}"
    );
    let json = exec_ok(
        addr,
        "eve@example.fr",
        STUDENT_PW,
        "message show 1 --json",
        None,
    )
    .await;
    assert!(json.contains("Claire[31m Martin"), "{json}");
    assert!(login(addr, "prof@example.fr", tp).await.is_none());
    let who = exec_ok(addr, "claire@example.fr", tp, "whoami", None).await;
    assert!(who.contains("Claire[31m Martin"), "{who}");
    // A student may set their name, not their e-mail; an e-mail in use is refused.
    let r = exec(
        addr,
        "eve@example.fr",
        STUDENT_PW,
        "account set --email autre@example.fr",
        None,
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(
        r.stderr
            .contains("Courriel : verrouillé par votre formateur"),
        "{}",
        r.stderr
    );
    let r = exec(
        addr,
        "claire@example.fr",
        tp,
        "account set --email eve@example.fr",
        None,
    )
    .await;
    assert_eq!(r.status, Some(1));
    assert!(
        r.stderr.contains("un compte utilise déjà ce courriel"),
        "{}",
        r.stderr
    );
    let out = exec_ok(
        addr,
        "eve@example.fr",
        STUDENT_PW,
        "account set --last-name Dupont",
        None,
    )
    .await;
    assert!(out.contains("Eve Dupont <eve@example.fr>"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_sets_own_name_in_mon_compte_and_students_see_it() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    students(&server, &tr, &["eve@example.fr"]).await;
    let addr = server.addr();
    exec_ok(
        addr,
        &tr,
        TRAINER_PASSWORD,
        "message send --to eve@example.fr",
        Some(b"Bienvenue"),
    )
    .await;

    let mut pty = Pty::login_as(addr, &tr, TRAINER_PASSWORD, 80, 24).await;
    pty.send(b"6").await; // Mon compte
    pty.wait_for("Mes informations").await;
    pty.wait_for("absente · QR code").await; // the profile has loaded
    pty.send(b"\r").await;
    pty.wait_for("Prénom").await;
    pty.send("Claire".as_bytes()).await;
    pty.send(b"\t").await;
    pty.send(b"Martin").await;
    pty.wait_for("Martin").await;
    pty.send(b"\x13").await; // Ctrl-S
    // Back on Mon compte, the header and the account show the new name.
    pty.wait_until(
        |s| s.contains("Claire Martin · Formateur") && s.contains("Enregistré"),
        "the new name, saved",
    )
    .await;

    // The student's thread names the trainer.
    let mut eve = Pty::login_as(addr, "eve@example.fr", STUDENT_PW, 80, 24).await;
    eve.send(b"2").await; // Messages
    eve.wait_for("Bienvenue").await;
    eve.send(b"\r").await;
    let thread = eve.wait_for("Claire Martin ·").await;
    assert!(!thread.contains("prof@example.fr"), "{thread}");
}

/// One student's typos in a small room (fewer accounts than a "shared" source) refuse the
/// address to newcomers, but the trainer who logged in from there keeps getting in to
/// unblock it — the trainer is never locked out by a student. Their account keeps its own
/// rule: wrong passwords on it still count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lockout_a_students_typos_never_shut_out_the_trainer_of_the_room() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    students(&server, &tr, &["eve@example.fr", "leo@example.fr"]).await;
    let addr = server.addr();
    // The trainer worked from the room's address before.
    let ok = ssh(addr, "127.0.0.5", &tr, TRAINER_PASSWORD, "whoami").await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    for _ in 0..5 {
        let r = ssh(
            addr,
            "127.0.0.5",
            "eve@example.fr",
            "faute de frappe",
            "whoami",
        )
        .await;
        assert_ne!(r.code, 0);
    }
    // Léo never logged in from the room: refused, told why.
    let r = ssh(addr, "127.0.0.5", "leo@example.fr", STUDENT_PW, "whoami").await;
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(r.stderr.contains(BANNER_SOURCE), "{}", r.stderr);
    // The trainer gets in from the same address and unblocks it.
    let r = ssh(addr, "127.0.0.5", &tr, TRAINER_PASSWORD, "security blocked").await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("127.0.0.5"), "{}", r.stdout);
    let r = ssh(
        addr,
        "127.0.0.5",
        &tr,
        TRAINER_PASSWORD,
        "security unblock 127.0.0.5",
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = ssh(addr, "127.0.0.5", "leo@example.fr", STUDENT_PW, "whoami").await;
    assert_eq!(r.code, 0, "{}", r.stderr);
}
