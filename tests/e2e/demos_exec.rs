//! Technical demos through exec commands: the trainer plans, lists, shows, edits and
//! deletes (text and JSON); students see only the demos whose audience includes them,
//! and one outside it gets the same answer as for a demo that does not exist.

use crate::harness::*;

const PW: &str = "un mot de passe étudiant";

async fn ok(server: &TestServer, user: &str, pw: &str, cmd: &str) -> String {
    let r = exec(server.addr(), user, pw, cmd, None).await;
    assert_eq!(r.status, Some(0), "{user}: {cmd}: {}", r.stderr);
    r.stdout
}

async fn refused(server: &TestServer, user: &str, pw: &str, cmd: &str) -> String {
    let r = exec(server.addr(), user, pw, cmd, None).await;
    assert_eq!(r.status, Some(1), "{user}: {cmd} should fail: {}", r.stdout);
    assert!(r.stdout.is_empty(), "{cmd}: {}", r.stdout);
    r.stderr
}

async fn json(server: &TestServer, user: &str, pw: &str, cmd: &str) -> serde_json::Value {
    let out = ok(server, user, pw, cmd).await;
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{cmd}: {e}: {out}"))
}

/// A student with a chosen password, in `class` (or none).
async fn student(server: &TestServer, tr: &str, email: &str, class: Option<&str>) {
    let class = class.map(|c| format!(" --class {c}")).unwrap_or_default();
    let out = ok(
        server,
        tr,
        TRAINER_PASSWORD,
        &format!("student add --email {email} --first-name X{class}"),
    )
    .await;
    choose_password(server.addr(), email, &activation_code(&out), PW).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_plans_students_in_the_audience_see_outsiders_get_not_found() {
    // Léa is in K1, which takes Shell; Paul is in K2, which does not; Zoé in no class.
    let (server, tr, code) = classroom().await;
    let tp = TRAINER_PASSWORD;
    choose_password(server.addr(), "lea@example.fr", &code, PW).await;
    ok(&server, &tr, tp, "class add --org Alpha --name K2").await;
    student(&server, &tr, "paul@example.fr", Some("K2")).await;
    student(&server, &tr, "zoe@example.fr", None).await;
    ok(&server, &tr, tp, "course assign Shell --class K1").await;

    // add: local time, stored UTC; the announcement line in the answer.
    let out = ok(
        &server,
        &tr,
        tp,
        "demo add Shell --title 'Docker multi-stage' --at '2030-12-05 14:00' --duration 45 \
         --repo https://git.example.fr/docker --description 'Une image de 20 Mo.'",
    )
    .await;
    assert!(
        out.starts_with("Démo technique n° 1 planifiée : Démo technique jeudi 5 déc. 2030 à 14:00 : Docker multi-stage"),
        "{out}"
    );
    // For K2 only.
    ok(
        &server,
        &tr,
        tp,
        "demo add Shell --title Réseaux --at '2030-12-06 09:30' --duration 30 --class K2",
    )
    .await;

    // list / show, text and JSON.
    let out = ok(&server, &tr, tp, "demo list").await;
    assert!(
        out.contains("2030-12-05 14:00") && out.contains("Docker multi-stage"),
        "{out}"
    );
    assert!(
        out.contains("Participants du cours") && out.contains("Alpha / K2"),
        "{out}"
    );
    assert!(out.contains("Prévue"), "{out}");
    let list = json(&server, &tr, tp, "demo list --json").await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["title"], "Docker multi-stage");
    assert_eq!(list[0]["starts_at"], "2030-12-05T13:00:00Z");
    assert_eq!(list[0]["status"], "planned");
    assert_eq!(list[0]["audience"], "course");
    assert_eq!(list[1]["audience"], "classes");
    assert_eq!(list[1]["classes"][0]["name"], "K2");
    assert_eq!(list[0]["recording_file_id"], serde_json::Value::Null);
    let out = ok(&server, &tr, tp, "demo show 'docker multi-stage'").await;
    assert!(out.contains("https://git.example.fr/docker"), "{out}");
    assert!(out.contains("Une image de 20 Mo."), "{out}");
    assert!(out.contains("45"), "{out}");
    let one = json(&server, &tr, tp, "demo show 1 --json").await;
    assert_eq!(one["duration_minutes"], 45);

    // edit: only the options given change.
    ok(
        &server,
        &tr,
        tp,
        "demo edit 1 --duration 60 --slides https://slides.example.fr/d",
    )
    .await;
    let one = json(&server, &tr, tp, "demo show 1 --json").await;
    assert_eq!(one["duration_minutes"], 60);
    assert_eq!(one["slides_url"], "https://slides.example.fr/d");
    assert_eq!(one["repo_url"], "https://git.example.fr/docker");
    assert_eq!(one["starts_at"], "2030-12-05T13:00:00Z");

    // Bad input names the field and writes nothing.
    for (cmd, field) in [
        ("demo edit 1 --at demain", "Début (AAAA-MM-JJ HH:MM)"),
        ("demo edit 1 --duration 2000", "Durée (minutes)"),
        ("demo edit 1 --repo javascript:alert(1)", "Dépôt (URL)"),
        ("demo edit 1 --class Inconnue", "Classes"),
        (
            "demo add Shell --title X --at '2030-12-05 14:00'",
            "Durée (minutes) : obligatoire",
        ),
    ] {
        let err = refused(&server, &tr, tp, cmd).await;
        assert!(err.contains(field), "{cmd}: {err}");
    }
    assert_eq!(json(&server, &tr, tp, "demo show 1 --json").await, one);
    assert_eq!(
        json(&server, &tr, tp, "demo list --json")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Students: each sees their audience's demos only.
    let lea = json(&server, "lea@example.fr", PW, "demos --json").await;
    let titles: Vec<&str> = lea
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Docker multi-stage"]);
    let out = ok(&server, "lea@example.fr", PW, "demos").await;
    assert!(
        out.contains("Docker multi-stage") && !out.contains("Réseaux"),
        "{out}"
    );
    let out = ok(&server, "lea@example.fr", PW, "demos 1").await;
    assert!(out.contains("https://slides.example.fr/d"), "{out}");
    let paul = json(&server, "paul@example.fr", PW, "demos --json").await;
    assert_eq!(paul.as_array().unwrap().len(), 1);
    assert_eq!(paul[0]["title"], "Réseaux");
    let out = ok(&server, "zoe@example.fr", PW, "demos").await;
    assert_eq!(out, "Aucune démo technique.\n");

    // Outside the audience: exactly the answer for a demo that does not exist.
    let outside = refused(&server, "paul@example.fr", PW, "demos 1").await;
    let missing = refused(&server, "paul@example.fr", PW, "demos 999").await;
    assert_eq!(outside, missing);
    assert_eq!(outside, "Introuvable.\n");
    assert_eq!(
        refused(&server, "zoe@example.fr", PW, "demos 2 --json").await,
        "Introuvable.\n"
    );
    // Students may not manage, and the trainer's command is not theirs.
    let err = refused(&server, "lea@example.fr", PW, "demo list").await;
    assert!(err.contains("non autorisée"), "{err}");
    let err = refused(&server, "lea@example.fr", PW, "demo rm 1").await;
    assert!(err.contains("non autorisée"), "{err}");
    let help = ok(&server, "lea@example.fr", PW, "help").await;
    assert!(
        help.contains("demos") && !help.contains("demo add"),
        "{help}"
    );
    let help = ok(&server, &tr, tp, "demo --help").await;
    assert!(help.contains("add") && help.contains("rm"), "{help}");

    // rm.
    ok(&server, &tr, tp, "demo rm 2").await;
    let err = refused(&server, &tr, tp, "demo show 2").await;
    assert!(err.contains('2'), "{err}");
    assert!(
        json(&server, "paul@example.fr", PW, "demos --json")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}
