//! Issue 15 through a real SSH client: editing and deleting courses, classes, lessons and
//! resources by exec (deletions say what goes with them and need --yes), a student's
//! `course list`, one SIRET per organisation, every invalid field at once, and the import
//! layouts (flat `import all`, a Moodle user-upload CSV).

use crate::harness::*;

const PW: &str = "le mot de passe de Léa";

struct Who<'a> {
    server: &'a TestServer,
    login: String,
    password: &'a str,
}

impl Who<'_> {
    async fn run(&self, cmd: &str, stdin: Option<&[u8]>) -> ExecResult {
        exec(self.server.addr(), &self.login, self.password, cmd, stdin).await
    }
    async fn ok(&self, cmd: &str) -> String {
        self.ok_in(cmd, None).await
    }
    async fn ok_in(&self, cmd: &str, stdin: Option<&[u8]>) -> String {
        let r = self.run(cmd, stdin).await;
        assert_eq!(r.status, Some(0), "{cmd}: {}", r.stderr);
        r.stdout
    }
    async fn json(&self, cmd: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(cmd).await).unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }
    /// Fails with status 1, saying `needle` on stderr; returns stderr.
    async fn fails(&self, cmd: &str, needle: &str) -> String {
        self.fails_in(cmd, None, needle).await
    }
    async fn fails_in(&self, cmd: &str, stdin: Option<&[u8]>, needle: &str) -> String {
        let r = self.run(cmd, stdin).await;
        assert_ne!(r.status, Some(0), "{cmd} should fail: {}", r.stdout);
        assert!(
            r.stderr.contains(needle),
            "{cmd}: {:?} lacks {needle:?}",
            r.stderr
        );
        r.stderr
    }
}

fn titles(v: &serde_json::Value, list: &str) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn courses_lessons_resources_and_classes_are_edited_and_deleted_by_exec() {
    let (server, tr, code) = classroom().await;
    let t = Who {
        server: &server,
        login: tr,
        password: TRAINER_PASSWORD,
    };
    choose_password(server.addr(), "lea@example.fr", &code, PW).await;
    let lea = Who {
        server: &server,
        login: "lea@example.fr".into(),
        password: PW,
    };

    // Courses: --prerequisites and --level on add and edit; only the options given change.
    t.ok("course add --title Git --level débutant --prerequisites 'Un terminal' --objective Versionner")
        .await;
    let out = t
        .ok("course edit Git --title 'Git pas à pas' --level B1 --duration-hours 3,5")
        .await;
    assert!(out.contains("Cours modifié : Git pas à pas"), "{out}");
    let git = t.json("course show 'Git pas à pas' --json").await;
    assert_eq!(git["level"], "B1");
    assert_eq!(git["prerequisites"], "Un terminal");
    assert_eq!(git["duration_hours"], 3.5);
    assert_eq!(git["objectives"], serde_json::json!(["Versionner"]));
    let edited = t
        .json("course edit 'Git pas à pas' --prerequisites 'Savoir taper' --json")
        .await;
    assert_eq!(edited["prerequisites"], "Savoir taper");
    assert!(
        t.ok("course show 'Git pas à pas'")
            .await
            .contains("Savoir taper")
    );
    t.fails(
        "course edit 'Git pas à pas' --title ''",
        "Titre : obligatoire",
    )
    .await;
    let course = "'Git pas à pas'";

    // Lessons: edit (title, text from stdin), move, and the course's order follows.
    for l in ["Un", "Deux", "Trois"] {
        t.ok_in(&format!("lesson add {course} --title {l}"), Some(b"Texte"))
            .await;
    }
    let out = t.ok(&format!("lesson mv {course} Trois --to 1")).await;
    assert!(
        out.contains("Leçon « Trois » déplacée en position 1."),
        "{out}"
    );
    let out = t
        .ok_in(
            &format!("lesson edit {course} Un --title Premier --stdin"),
            Some(b"# Nouveau texte"),
        )
        .await;
    assert!(out.contains("Leçon 2 modifiée : Premier"), "{out}");
    t.ok(&format!("lesson edit {course} 3 --title Dernier"))
        .await;
    let d = t.json(&format!("course show {course} --json")).await;
    assert_eq!(titles(&d, "lessons"), ["Trois", "Premier", "Dernier"]);
    assert_eq!(d["lessons"][1]["body"], "# Nouveau texte");
    assert_eq!(
        d["lessons"][2]["body"], "Texte",
        "the text stays without --stdin"
    );
    t.fails(
        &format!("lesson edit {course} 1"),
        "Argument obligatoire manquant",
    )
    .await;
    t.fails(&format!("lesson mv {course} 1 --to 0"), "Valeur invalide")
        .await;

    // Resources: by place or title; edit title and address; rm asks for --yes.
    t.ok(&format!(
        "resource add {course} --title Doc --url https://git-scm.com"
    ))
    .await;
    let out = t
        .ok(&format!(
            "resource edit {course} doc --title Livre --url https://git-scm.com/book"
        ))
        .await;
    assert!(out.contains("Ressource modifiée : Livre"), "{out}");
    t.fails(
        &format!("resource edit {course} 1 --url javascript:alert"),
        "Adresse (URL)",
    )
    .await;
    let d = t.json(&format!("course show {course} --json")).await;
    assert_eq!(d["resources"][0]["url"], "https://git-scm.com/book");
    t.fails(
        &format!("resource rm {course} 1"),
        "Supprimer la ressource « Livre » ? Relancez avec --yes pour confirmer.",
    )
    .await;
    assert_eq!(
        t.json(&format!("course show {course} --json")).await["resources"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "nothing deleted without --yes"
    );
    let out = t.ok(&format!("resource rm {course} Livre --yes")).await;
    assert!(out.contains("Ressource supprimée : Livre"), "{out}");

    // A course in use: its deletion says what goes with it.
    t.ok(&format!("course publish {course}")).await;
    t.ok(&format!("course assign {course} --class K1")).await;
    lea.ok(&format!("lesson done {course} Premier")).await;
    let err = t
        .fails(
            &format!("lesson rm {course} Premier"),
            "Relancez avec --yes",
        )
        .await;
    assert!(
        err.contains("la progression enregistrée de 1 étudiant(s)"),
        "{err}"
    );
    let err = t.fails(&format!("course rm {course}"), "--yes").await;
    assert!(
        err.contains(
            "3 leçon(s), 0 ressource(s), 1 affectation(s), 0 quiz et la progression enregistrée de 1 étudiant(s)"
        ),
        "{err}"
    );

    // A student runs none of it, and nothing changes.
    for cmd in [
        format!("course rm {course} --yes"),
        format!("course edit {course} --title X"),
        format!("lesson rm {course} 1 --yes"),
        format!("lesson mv {course} 1 --to 2"),
        format!("lesson edit {course} 1 --title X"),
        "class rm K1 --yes".to_string(),
        "class edit K1 --name X".to_string(),
        format!("resource rm {course} 1 --yes"),
        "org edit Alpha --name X".to_string(),
    ] {
        lea.fails(&cmd, "Action non autorisée").await;
    }
    // Her `course list` is her `courses`, text and JSON alike.
    assert_eq!(lea.ok("course list").await, lea.ok("courses").await);
    let mine = lea.json("course list --json").await;
    assert_eq!(mine, lea.json("courses --json").await);
    assert!(mine.to_string().contains("Git pas à pas"), "{mine}");

    let out = t.ok(&format!("lesson rm {course} Premier --yes")).await;
    assert!(out.contains("Leçon supprimée : Premier"), "{out}");
    let d = t.json(&format!("course show {course} --json")).await;
    assert_eq!(titles(&d, "lessons"), ["Trois", "Dernier"]);
    assert_eq!(d["lessons"][1]["position"], 2, "renumbered");
    let out = t.ok(&format!("course rm {course} --yes")).await;
    assert!(out.contains("Cours supprimé : Git pas à pas"), "{out}");
    let courses = t.json("course list --json").await;
    assert_eq!(courses.as_array().unwrap().len(), 1, "{courses}");

    // Classes: edit (partial, JSON), dates checked, rm with its impact.
    let k = t
        .json("class edit K1 --name 'K1 soir' --start 2026-09-01 --json")
        .await;
    assert_eq!(k["name"], "K1 soir");
    assert_eq!(k["start_date"], "2026-09-01");
    t.fails(
        "class edit 'K1 soir' --end 2026-01-01",
        "la fin est avant le début",
    )
    .await;
    let err = t.fails("class rm 'K1 soir'", "--yes").await;
    assert!(err.contains("1 inscription(s)"), "{err}");
    assert_eq!(
        t.json("class list --json").await.as_array().unwrap().len(),
        1
    );
    let out = t.ok("class rm 'K1 soir' --yes").await;
    assert!(out.contains("Classe supprimée : K1 soir"), "{out}");
    assert_eq!(t.json("class list --json").await, serde_json::json!([]));

    // The help says it, and an unknown subcommand is named in full.
    let help = t.ok("course --help").await;
    assert!(help.contains("edit") && help.contains("rm"), "{help}");
    assert!(t.ok("course add --help").await.contains("--prerequisites"));
    t.fails("course frob", "Commande inconnue : « course frob »")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_siret_per_organisation_and_every_invalid_field_at_once() {
    let server = TestServer::start().await;
    let t = Who {
        server: &server,
        login: server.trainer("prof@example.fr").await,
        password: TRAINER_PASSWORD,
    };
    t.ok("org add --name Alpha --siret '732 829 320 00074'")
        .await;
    let taken = "SIRET : déjà utilisé par l'organisme « Alpha ».";
    t.fails("org add --name Beta --siret 73282932000074", taken)
        .await;
    t.ok("org add --name Beta").await;
    t.fails("org edit Beta --siret '732 829 320 00074'", taken)
        .await;
    let out = t
        .ok("org edit Alpha --name 'Alpha Formation' --phone '01 23 45 67 89'")
        .await;
    assert!(out.contains("Organisme modifié : Alpha Formation"), "{out}");
    t.fails_in(
        "import orgs",
        Some(b"nom;siret\nGamma;73282932000074\n"),
        "ligne 2, colonne siret : déjà utilisé par l'organisme « Alpha Formation »",
    )
    .await;
    assert_eq!(t.json("org list --json").await.as_array().unwrap().len(), 2);

    // Every invalid field, not only the first.
    let err = t
        .fails(
            "org add --name X --siret 123 --email contact@ --website ftp://x",
            "SIRET :",
        )
        .await;
    assert!(
        err.contains("Courriel :") && err.contains("Site web :"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 3, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_all_takes_the_flat_layout_and_a_moodle_csv_its_cohorts() {
    let server = TestServer::start().await;
    let t = Who {
        server: &server,
        login: server.trainer("prof@example.fr").await,
        password: TRAINER_PASSWORD,
    };
    let flat = br#"{
      "organisations": [{"name": "Alpha"}],
      "classes": [{"name": "Promo 2026", "organisation": "Alpha", "start": "2026-09-01", "salle": "B2"}],
      "students": [
        {"email": "marie@example.fr", "first_name": "Marie", "organisation": "Alpha", "class": "Promo 2026"},
        {"email": "paul@example.fr", "organisation": "Alpha", "classes": ["Promo 2026", "Soir"]}
      ]
    }"#;
    let out = t.ok_in("import all --dry-run", Some(flat)).await;
    assert!(out.contains("Classes : 2 créé(s)"), "{out}");
    assert!(out.contains("Étudiants : 2 créé(s)"), "{out}");
    assert!(out.contains("Colonnes ignorées : « salle »"), "{out}");
    assert_eq!(t.json("class list --json").await, serde_json::json!([]));
    t.ok_in("import all", Some(flat)).await;
    let classes = t.json("class list --json").await;
    let promo = classes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Promo 2026")
        .expect("the class is imported");
    assert_eq!(promo["member_count"], 2);
    assert_eq!(promo["start_date"], "2026-09-01");
    // A list the import does not know is refused, never dropped.
    t.fails_in(
        "import all",
        Some(br#"{"organisations": [], "eleves": [{"email": "x@example.fr"}]}"#),
        "clé inconnue (attendues : organisations, classes, students) « eleves »",
    )
    .await;

    // Moodle's user upload: cohort1..n are classes; the other columns are named.
    let moodle = "username,password,firstname,lastname,email,cohort1,cohort2,course1\n\
                  mdupont,Secret1!,Marie,Dupont,marie@example.fr,BTS 1,Anglais,RUST101\n\
                  lmartin,Secret2!,Lucas,Martin,lucas@example.fr,BTS 1,,RUST101\n";
    let out = t
        .ok_in(
            "import students --org Alpha --dry-run",
            Some(moodle.as_bytes()),
        )
        .await;
    assert!(
        out.contains("Colonnes ignorées : « username », « password », « course1 »"),
        "{out}"
    );
    assert!(out.contains("Classes : 2 créé(s)"), "{out}");
    t.ok_in("import students --org Alpha", Some(moodle.as_bytes()))
        .await;
    let members = t.json("student list --class 'BTS 1' --json").await;
    assert_eq!(members.as_array().unwrap().len(), 2, "{members}");
    let marie = t.json("student show marie@example.fr --json").await;
    let classes: Vec<&str> = marie["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(classes.len(), 3, "{classes:?}");
    assert!(
        classes.contains(&"Alpha / Anglais") && classes.contains(&"Alpha / BTS 1"),
        "{classes:?}"
    );
}
