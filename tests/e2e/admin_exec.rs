//! Trainer administration through exec commands (`ssh trainer@host org add …`).

use crate::harness::*;

struct Trainer<'a> {
    server: &'a TestServer,
    email: String,
}

impl Trainer<'_> {
    async fn run(&self, cmd: &str) -> ExecResult {
        exec(self.server.addr(), &self.email, TRAINER_PASSWORD, cmd, None).await
    }
    async fn ok(&self, cmd: &str) -> String {
        let r = self.run(cmd).await;
        assert_eq!(r.status, Some(0), "{cmd}: {}", r.stderr);
        r.stdout
    }
    async fn json(&self, cmd: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(cmd).await).unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }
    async fn fails(&self, cmd: &str, needle: &str) {
        let r = self.run(cmd).await;
        assert_ne!(r.status, Some(0), "{cmd} should fail");
        assert!(
            r.stderr.contains(needle),
            "{cmd}: {:?} lacks {needle:?}",
            r.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documented_exec_forms_work_end_to_end() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let t = Trainer {
        server: &server,
        email,
    };

    let out = t
        .ok("org add --name 'Institut Alpha' --siret '732 829 320 00074' --email contact@alpha.fr --phone '01 23 45 67 89' --address '1 rue A, Paris' --website https://alpha.fr")
        .await;
    assert!(out.contains("Organisme créé : Institut Alpha"), "{out}");
    t.ok("org add --name Beta").await;
    let orgs = t.json("org list --json").await;
    assert_eq!(orgs.as_array().unwrap().len(), 2);
    assert_eq!(orgs[0]["name"], "Beta");
    assert!(
        orgs[0]["created_at"].as_str().unwrap().contains('T'),
        "ISO-8601"
    );
    let alpha = t.json("org show 'institut alpha' --json").await;
    assert_eq!(alpha["siret"], "73282932000074");
    assert!(t.ok("org list").await.contains("Institut Alpha"));
    assert!(t.ok("org show Beta").await.contains("Logo"));

    t.ok(
        "class add --org 'Institut Alpha' --name 'Promo 2026' --start 2026-09-01 --end 2027-06-30",
    )
    .await;
    t.ok("class add --org Beta --name Soir").await;
    let classes = t.json("class list --org 'Institut Alpha' --json").await;
    assert_eq!(classes.as_array().unwrap().len(), 1);
    assert_eq!(classes[0]["start_date"], "2026-09-01");

    let out = t.ok("student add --email Marie.Curie@example.fr --first-name Marie --last-name Curie --class 'Promo 2026'").await;
    assert!(out.contains("Code d'activation : "), "{out}");
    let code = activation_code(&out);
    t.ok("student add --email paul@example.fr --first-name Paul")
        .await;
    t.ok("class members add Soir paul@example.fr marie.curie@example.fr")
        .await;
    t.ok("class members rm Soir marie.curie@example.fr").await;
    let students = t.json("student list --class Soir --json").await;
    assert_eq!(students.as_array().unwrap().len(), 1);
    assert_eq!(students[0]["email"], "paul@example.fr");
    let marie = t.json("student show marie.curie@example.fr --json").await;
    assert_eq!(marie["status"], "pending");
    assert_eq!(marie["classes"][0]["name"], "Institut Alpha / Promo 2026");
    assert!(
        t.ok("student list --org 'Institut Alpha'")
            .await
            .contains("Marie Curie")
    );

    t.ok("course add --title 'Rust débutant' --description 'Bases' --objective 'Lire du Rust' --objective 'Écrire' --duration-hours 14").await;
    let lesson = exec(
        server.addr(),
        &t.email,
        TRAINER_PASSWORD,
        "lesson add 'Rust débutant' --title Introduction",
        Some("# Bienvenue\n\n- un\n- deux\n".as_bytes()),
    )
    .await;
    assert_eq!(lesson.status, Some(0), "{}", lesson.stderr);
    assert!(
        lesson.stdout.contains("Leçon 1 ajoutée"),
        "{}",
        lesson.stdout
    );
    t.ok("resource add 'Rust débutant' --title 'Le livre' --url https://doc.rust-lang.org/book/")
        .await;
    let course = t.json("course show 'rust débutant' --json").await;
    assert_eq!(course["lessons"][0]["title"], "Introduction");
    assert_eq!(course["lessons"][0]["body"], "# Bienvenue\n\n- un\n- deux");
    assert_eq!(
        course["resources"][0]["url"],
        "https://doc.rust-lang.org/book/"
    );
    assert_eq!(course["objectives"][1], "Écrire");
    let text = t.ok("course show 'Rust débutant'").await;
    assert!(
        text.contains("1. Introduction") && text.contains("https://doc.rust-lang.org/book/"),
        "{text}"
    );
    assert_eq!(
        t.json("course list --json").await.as_array().unwrap().len(),
        1
    );

    t.ok("course assign 'Rust débutant' --class 'Promo 2026' --student paul@example.fr --start 2026-09-01").await;
    let parts = t.json("course participants 'Rust débutant' --json").await;
    let parts = parts.as_array().unwrap();
    assert_eq!(parts.len(), 2);
    let m = parts
        .iter()
        .find(|p| p["email"] == "marie.curie@example.fr")
        .unwrap();
    assert_eq!(m["via"], "Promo 2026");
    assert_eq!(m["status"], "pending");
    assert_eq!(m["progress_percent"], 0);
    let p = parts
        .iter()
        .find(|p| p["email"] == "paul@example.fr")
        .unwrap();
    assert_eq!(p["via"], "individual");
    assert!(
        t.ok("course participants 'Rust débutant'")
            .await
            .contains("individuel")
    );
    t.ok("course unassign 'Rust débutant' --student paul@example.fr")
        .await;
    assert_eq!(
        t.json("course participants 'Rust débutant' --json")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(
        t.ok("course duplicate 'Rust débutant'")
            .await
            .contains("Rust débutant (copie)")
    );

    // The activation code printed works; the account then shows as active.
    let r = exec(
        server.addr(),
        "marie.curie@example.fr",
        &code,
        "passwd --stdin",
        Some(b"radium polonium\n"),
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert_eq!(
        t.json("student show marie.curie@example.fr --json").await["status"],
        "active"
    );
    let out = t.ok("student reset-code marie.curie@example.fr").await;
    assert!(out.contains("Code d'activation"), "{out}");
    t.ok("student disable paul@example.fr").await;
    assert_eq!(
        t.json("student show paul@example.fr --json").await["status"],
        "disabled"
    );

    // Deleting an organisation asks first and says what goes with it.
    t.fails("org rm 'Institut Alpha'", "1 classe(s)").await;
    assert_eq!(t.json("org list --json").await.as_array().unwrap().len(), 2);
    assert!(
        t.ok("org rm 'Institut Alpha' --yes")
            .await
            .contains("Organisme supprimé")
    );
    assert_eq!(
        t.json("class list --json").await.as_array().unwrap().len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_names_the_field_and_writes_nothing() {
    let server = TestServer::start().await;
    let email = server.trainer("prof@example.fr").await;
    let t = Trainer {
        server: &server,
        email,
    };
    t.ok("org add --name Alpha").await;
    t.ok("class add --org Alpha --name A").await;
    t.fails("org add --name X --siret 12345678901234", "SIRET")
        .await;
    t.fails("org add --name X --website pas-une-url", "Site web")
        .await;
    t.fails("org add --name alpha", "Nom : ce nom existe déjà")
        .await;
    t.fails(
        "class add --org Alpha --name a",
        "une classe de cet organisme porte déjà ce nom",
    )
    .await;
    t.fails(
        "class add --org Alpha --name B --start 2026-09-01 --end 2026-01-01",
        "Fin : la fin est avant le début",
    )
    .await;
    t.fails(
        "class add --org Alpha --name B --start 2026-13-01",
        "Début : date invalide",
    )
    .await;
    t.fails(
        "class add --org Nulle --name B",
        "Organisme introuvable : « Nulle »",
    )
    .await;
    t.fails(
        "student add --email jean.dupont@",
        "Courriel : adresse de courriel invalide « jean.dupont@ »",
    )
    .await;
    t.fails(
        "student add --email ok@example.fr --class Inconnue",
        "Classe introuvable : « Inconnue »",
    )
    .await;
    t.fails("class members add A ok@example.fr", "Étudiant introuvable")
        .await;
    t.fails("course assign Nul --class A", "Cours introuvable")
        .await;
    t.fails("course assign", "Argument obligatoire manquant")
        .await;
    t.fails("org add --nom X", "Option inconnue").await;
    // A value with spaces whose quotes the local shell removed: the error says how to quote.
    t.fails(
        "org add --name Institut Beta",
        "Argument en trop : « Beta ». Une valeur avec des espaces doit être entre guillemets",
    )
    .await;
    // Nothing was written by any of the failures.
    assert_eq!(t.json("org list --json").await.as_array().unwrap().len(), 1);
    assert_eq!(
        t.json("class list --json").await.as_array().unwrap().len(),
        1
    );
    assert!(
        t.json("student list --json")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn students_are_refused_every_trainer_command() {
    let server = TestServer::start_with(true).await;
    let (email, code) = server.running.demo.as_ref().unwrap().students[0].clone();
    let r = exec(
        server.addr(),
        &email,
        &code,
        "passwd --stdin",
        Some(b"ma phrase secrete\n"),
    )
    .await;
    assert_eq!(r.status, Some(0));
    let help = exec(server.addr(), &email, "ma phrase secrete", "help", None).await;
    assert!(!help.stdout.contains("org "), "{}", help.stdout);
    for cmd in [
        "org list",
        "org add --name X",
        "class list",
        "student list --json",
        "student show alice.martin@demo.portail.local",
        "course rm 1 --yes",
        "course participants 1",
        "lesson add 1 --title X",
        "resource add 1 --title X --url https://x.fr",
    ] {
        let r = exec(server.addr(), &email, "ma phrase secrete", cmd, Some(b"")).await;
        assert_ne!(r.status, Some(0), "{cmd}");
        assert!(r.stdout.is_empty(), "{cmd} leaked: {}", r.stdout);
        assert!(r.stderr.contains("non autorisée"), "{cmd}: {}", r.stderr);
    }
}
