//! Bulk import and export through `ssh trainer@host import … < file` / `export …`.

use crate::harness::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/import")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct T<'a> {
    server: &'a TestServer,
    email: String,
}

impl T<'_> {
    async fn run(&self, cmd: &str, stdin: &[u8]) -> ExecResult {
        exec(
            self.server.addr(),
            &self.email,
            TRAINER_PASSWORD,
            cmd,
            Some(stdin),
        )
        .await
    }
    async fn ok(&self, cmd: &str, stdin: &[u8]) -> String {
        let r = self.run(cmd, stdin).await;
        assert_eq!(r.status, Some(0), "{cmd}: {}", r.stderr);
        r.stdout
    }
    async fn count(&self, what: &str) -> usize {
        let out = self.ok(&format!("{what} list --json"), b"").await;
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    }
}

async fn trainer(server: &TestServer) -> T<'_> {
    T {
        server,
        email: server.trainer("prof@example.fr").await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn excel_fr_file_preview_then_import_then_reimport_is_unchanged() {
    let server = TestServer::start().await;
    let t = trainer(&server).await;
    let file = fixture("excel_fr.csv");
    let preview = t.ok("import students --dry-run", &file).await;
    assert!(preview.contains("rien n'a été écrit"), "{preview}");
    assert!(
        preview.contains("Windows-1252") && preview.contains("« ; »"),
        "{preview}"
    );
    assert!(
        preview.contains("Étudiants : 3 créé(s), 0 mis à jour, 0 inchangé(s)"),
        "{preview}"
    );
    assert!(preview.contains("Organismes : 1 créé(s)"), "{preview}");
    assert!(preview.contains("Classes : 2 créé(s)"), "{preview}");
    assert!(
        preview.contains("« Pointure »"),
        "unknown column reported: {preview}"
    );
    assert_eq!(t.count("student").await, 0, "a preview writes nothing");
    assert_eq!(t.count("org").await, 0);

    let done = t.ok("import students", &file).await;
    assert!(done.contains("Import terminé"), "{done}");
    assert!(done.contains("elodie.dupont@example.fr"), "{done}");
    let code = done
        .lines()
        .find(|l| l.contains("francois.garcon@example.fr") && l.contains('-'))
        .and_then(|l| l.split_whitespace().last())
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 14, "{done}");
    let s: serde_json::Value = serde_json::from_str(
        &t.ok("student show elodie.dupont@example.fr --json", b"")
            .await,
    )
    .unwrap();
    assert_eq!(s["first_name"], "Élodie");
    assert_eq!(s["classes"][0]["name"], "Institut Alpha / Promo 2026");
    // The code printed works.
    let r = exec(
        server.addr(),
        "francois.garcon@example.fr",
        &code,
        "whoami --json",
        None,
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);

    let again = t.ok("import students", &file).await;
    assert!(
        again.contains("Étudiants : 0 créé(s), 0 mis à jour, 3 inchangé(s)"),
        "{again}"
    );
    assert!(!again.contains("Organismes : 1 créé"), "{again}");
    assert_eq!(t.count("student").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_then_import_reports_nothing_to_do_and_escapes_formulas() {
    let server = TestServer::start().await;
    let t = trainer(&server).await;
    t.ok("import students", &fixture("excel_fr.csv")).await;
    t.ok("student add --email evil@example.fr --first-name =HYPERLINK(\"http://x\") --last-name @SUM --phone '+33 1 23 45 67 89'", b"").await;
    t.ok("class members add Soir evil@example.fr", b"").await;
    for flags in ["", "--excel", "--format json"] {
        let out = t.ok(&format!("export students {flags}"), b"").await;
        let again = t.ok("import students", out.as_bytes()).await;
        assert!(
            again.contains("0 créé(s), 0 mis à jour"),
            "{flags}: {again}"
        );
    }
    let csv = t.ok("export students", b"").await;
    assert!(
        csv.starts_with("email,prénom,nom,téléphone,organisme,classe,notes\n"),
        "{csv}"
    );
    assert!(
        csv.contains("'=HYPERLINK") && csv.contains("'@SUM") && csv.contains("'+33 1 23 45 67 89"),
        "{csv}"
    );
    let excel = t.ok("export students --excel", b"").await;
    assert!(excel.starts_with('\u{feff}'), "BOM");
    assert!(
        excel.contains("email;prénom;nom") && excel.contains("\r\n"),
        "{excel:?}"
    );
    let orgs = t.ok("export orgs", b"").await;
    assert!(orgs.contains("Institut Alpha"), "{orgs}");
    let orgs_again = t.ok("import orgs", orgs.as_bytes()).await;
    assert!(
        orgs_again.contains("0 créé(s), 0 mis à jour"),
        "{orgs_again}"
    );
    let classes = t.ok("export classes --format json", b"").await;
    assert!(classes.contains("\"name\": \"Promo 2026\""), "{classes}");
    let classes_csv = t.ok("export classes", b"").await;
    assert!(
        t.ok("import classes", classes_csv.as_bytes())
            .await
            .contains("0 créé(s), 0 mis à jour")
    );
    t.ok("course add --title Shell --published", b"").await;
    t.ok("course assign Shell --class 'Promo 2026'", b"").await;
    let parts = t.ok("export participants --course Shell", b"").await;
    assert!(
        parts.contains("elodie.dupont@example.fr,Élodie,Dupont,Promo 2026,pending,0,"),
        "{parts}"
    );
    let progress = t
        .ok("export progress --course Shell --format json", b"")
        .await;
    assert!(
        progress.contains("\"course_title\": \"Shell\""),
        "{progress}"
    );
    let r = t.run("export participants", b"").await;
    assert!(r.stderr.contains("--course"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_files_are_refused_with_line_and_column_and_nothing_written() {
    let server = TestServer::start().await;
    let t = trainer(&server).await;
    for (file, needles) in [
        (
            "invalid_emails.csv",
            vec![
                "2 erreur(s)",
                "ligne 3, colonne email : adresse de courriel invalide « jean.dupont@ »",
                "ligne 4, colonne email",
            ],
        ),
        (
            "duplicate_emails.csv",
            vec!["ligne 3, colonne email : courriel en double"],
        ),
        (
            "ragged.csv",
            vec!["ligne 3 : valeur hors de toute colonne", "« en trop »"],
        ),
        (
            "unterminated_quote.csv",
            vec!["guillemet ouvert jamais refermé"],
        ),
        ("empty.csv", vec!["fichier : fichier vide"]),
        (
            "wrong_types.json",
            vec![
                "élément 1, colonne first_name : une chaîne de caractères est attendue",
                "élément 2, colonne email",
            ],
        ),
    ] {
        let r = t.run("import students", &fixture(file)).await;
        assert_ne!(r.status, Some(0), "{file}");
        assert!(
            r.stderr.contains("rien n'a été écrit"),
            "{file}: {}",
            r.stderr
        );
        for n in needles {
            assert!(r.stderr.contains(n), "{file}: {:?} lacks {n:?}", r.stderr);
        }
    }
    assert_eq!(t.count("student").await, 0);
    let header_only = t.ok("import students", &fixture("header_only.csv")).await;
    assert!(
        !header_only.contains("créé(s)") || header_only.contains("Import terminé"),
        "{header_only}"
    );
    // An all-or-nothing failure late in a big file writes nothing either.
    let mut big = String::from("email,prénom\n");
    for i in 0..500 {
        big.push_str(&format!("s{i}@example.fr,S{i}\n"));
    }
    big.push_str("broken@,X\n");
    let r = t.run("import students", big.as_bytes()).await;
    assert!(r.stderr.contains("ligne 502"), "{}", r.stderr);
    assert_eq!(t.count("student").await, 0);
    // Over the size limit.
    let huge = vec![b'a'; 20 * 1024 * 1024 + 10];
    let r = t.run("import students", &huge).await;
    assert!(r.stderr.contains("trop volumineux"), "{}", r.stderr);
    assert!(r.stderr.contains("« > 20 Mio »"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_formats_flags_codes_csv_and_import_all() {
    let server = TestServer::start().await;
    let t = trainer(&server).await;
    let bom = t.ok("import students", &fixture("utf8_bom.csv")).await;
    assert!(
        bom.contains("UTF-8 (BOM)") && bom.contains("2 créé(s)"),
        "{bom}"
    );
    let tabs = t.ok("import students", &fixture("tabs.tsv")).await;
    assert!(
        tabs.contains("tab") && tabs.contains("Étudiants : 1 créé(s)"),
        "{tabs}"
    );
    let json = t
        .ok("import students --format json", &fixture("students.json"))
        .await;
    assert!(json.contains("Étudiants : 1 créé(s)"), "{json}");
    // --org / --class apply to rows naming none; --codes-csv gives a mail-merge CSV.
    t.ok("org add --name Kappa", b"").await;
    t.ok("class add --org Kappa --name K9", b"").await;
    let r = t
        .run(
            "import students --class K9 --codes-csv",
            b"email,nom\npia@example.fr,Pia\nquentin@example.fr,Q\n",
        )
        .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.starts_with("email,code\npia@example.fr,"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.lines().count(), 3);
    assert!(r.stderr.contains("Étudiants : 2 créé(s)"), "{}", r.stderr);
    let k9 = t.ok("student list --class K9 --json", b"").await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&k9)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let all = t.ok("import all", &fixture("all.json")).await;
    assert!(
        all.contains("Organismes : 2 créé(s)")
            && all.contains("Classes : 1 créé(s)")
            && all.contains("Étudiants : 3 créé(s)"),
        "{all}"
    );
    let again = t.ok("import all --dry-run", &fixture("all.json")).await;
    assert!(
        again.contains("Étudiants : 0 créé(s), 0 mis à jour, 3 inchangé(s)"),
        "{again}"
    );
    let orgs = t.ok("import orgs", &fixture("orgs.csv")).await;
    assert!(orgs.contains("Organismes : 2 créé(s)"), "{orgs}");
    let classes = t.ok("import classes", &fixture("classes.csv")).await;
    assert!(
        classes.contains("Classes : 2 créé(s)") && classes.contains("Organismes : 1 créé(s)"),
        "{classes}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn students_cannot_import_or_export() {
    let server = TestServer::start_with(true).await;
    let (email, code) = server.running.demo.as_ref().unwrap().students[0].clone();
    exec(
        server.addr(),
        &email,
        &code,
        "passwd --stdin",
        Some(b"une phrase eleve\n"),
    )
    .await;
    for cmd in ["import students", "export students", "export orgs --excel"] {
        let r = exec(
            server.addr(),
            &email,
            "une phrase eleve",
            cmd,
            Some(b"email\nx@y.fr\n"),
        )
        .await;
        assert_ne!(r.status, Some(0), "{cmd}");
        assert!(r.stdout.is_empty(), "{cmd}: {}", r.stdout);
        assert!(r.stderr.contains("non autorisée"), "{cmd}: {}", r.stderr);
    }
}
