//! Issue 15 on a real SQLite file: one SIRET per organisation, every invalid field of an
//! organisation at once, what deleting a course or a lesson takes, resources renamed, and
//! the import layouts (flat `import all`, Moodle cohorts).

use super::CoreOptions;
use super::bulk::ImportOptions;
use super::classes::ClassInput;
use super::courses::CourseInput;
use super::enrolment::Target;
use super::orgs::OrgInput;
use crate::i18n::{Key, Lang};
use crate::import::Location;
use crate::{Actor, Error, Portail, Role};

async fn setup() -> (tempfile::TempDir, Portail, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let p = Portail::open(dir.path(), CoreOptions::default())
        .await
        .unwrap();
    let t = p
        .add_trainer("prof@example.fr", "une phrase secrète")
        .await
        .unwrap();
    let actor = Actor {
        user_id: t.id,
        role: Role::Trainer,
        must_change_password: false,
    };
    (dir, p, actor)
}

fn org(name: &str, siret: Option<&str>) -> OrgInput {
    OrgInput {
        name: name.into(),
        siret: siret.map(Into::into),
        ..Default::default()
    }
}

const SIRET: &str = "732 829 320 00074";

#[tokio::test]
async fn two_organisations_never_share_a_siret() {
    let (_d, p, t) = setup().await;
    let alpha = p.org_create(&t, &org("Alpha", Some(SIRET))).await.unwrap();
    // Created with it: refused, naming the other one, in French.
    let err = p
        .org_create(&t, &org("Beta", Some("73282932000074")))
        .await
        .unwrap_err();
    assert!(matches!(
        &err,
        Error::InvalidField { field: Key::FieldSiret, problem: Key::ProbSiretTaken, value } if value == "Alpha"
    ));
    assert_eq!(
        err.user_message(Lang::Fr),
        "SIRET : déjà utilisé par l'organisme « Alpha »."
    );
    assert_eq!(p.org_list(&t).await.unwrap().len(), 1, "nothing written");
    // Edited to it: refused too; the holder itself keeps it when edited.
    let beta = p.org_create(&t, &org("Beta", None)).await.unwrap();
    let err = p
        .org_update(&t, beta.id, &org("Beta", Some(SIRET)))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidField {
            problem: Key::ProbSiretTaken,
            ..
        }
    ));
    let mut renamed = OrgInput::from(&alpha);
    renamed.name = "Alpha Formation".into();
    p.org_update(&t, alpha.id, &renamed).await.unwrap();
    // Imported with it under another name: refused, at its line and column.
    let err = p
        .import_orgs(
            &t,
            b"nom;siret\nGamma;73282932000074\n",
            &ImportOptions::default(),
        )
        .await
        .unwrap_err();
    let Error::ImportRejected(issues) = err else {
        panic!("{err:?}")
    };
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].location, Location::Line(2));
    assert_eq!(issues[0].column.as_deref(), Some("siret"));
    assert_eq!(issues[0].value, "Alpha Formation");
    // Twice in one file under two names: refused (nothing in the database yet).
    let err = p
        .import_orgs(
            &t,
            b"nom;siret\nDelta;44306184100047\nEpsilon;44306184100047\n",
            &ImportOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ImportRejected(ref i) if i.len() == 1 && i[0].location == Location::Line(3))
    );
    // The same organisation again (its own SIRET) is fine.
    let r = p
        .import_orgs(
            &t,
            b"nom;siret;adresse\nAlpha Formation;73282932000074;1 rue X\n",
            &ImportOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(r.organisations.updated, 1);
    assert_eq!(p.org_list(&t).await.unwrap().len(), 2);
}

#[tokio::test]
async fn every_invalid_field_of_an_organisation_is_named_at_once() {
    let (_d, p, t) = setup().await;
    let input = OrgInput {
        name: String::new(),
        siret: Some("123".into()),
        email: Some("contact@".into()),
        website: Some("ftp://x".into()),
        ..Default::default()
    };
    let err = p.org_create(&t, &input).await.unwrap_err();
    let fields: Vec<Key> = err.field_problems().iter().map(|f| f.field).collect();
    assert_eq!(
        fields,
        [
            Key::FieldName,
            Key::FieldSiret,
            Key::FieldEmail,
            Key::FieldWebsite
        ]
    );
    let msg = err.user_message(Lang::Fr);
    assert_eq!(msg.lines().count(), 4, "{msg}");
    assert!(msg.contains("SIRET") && msg.contains("Site web"), "{msg}");
    // An import names each at its column.
    let err = p
        .import_orgs(
            &t,
            b"nom;siret;courriel\nX;123;contact@\n",
            &ImportOptions::default(),
        )
        .await
        .unwrap_err();
    let Error::ImportRejected(issues) = err else {
        panic!()
    };
    let cols: Vec<_> = issues.iter().map(|i| i.column.clone().unwrap()).collect();
    assert_eq!(cols, ["siret", "courriel"]);
}

#[tokio::test]
async fn deleting_a_course_or_a_lesson_says_what_goes_with_it() {
    let (_d, p, t) = setup().await;
    let o = p.org_create(&t, &org("Alpha", None)).await.unwrap();
    let c = p
        .class_create(
            &t,
            &ClassInput {
                organisation_id: o.id,
                name: "Promo".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let course = p
        .course_create(
            &t,
            &CourseInput {
                title: "Rust".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let l1 = p.lesson_add(&t, course.id, "Un", "x").await.unwrap();
    p.lesson_add(&t, course.id, "Deux", "y").await.unwrap();
    p.resource_add_link(
        &t,
        course.id,
        Some(l1.id),
        "Doc",
        "https://doc.rust-lang.org",
    )
    .await
    .unwrap();
    p.course_assign(&t, course.id, &[Target::Class(c.id)], None, None)
        .await
        .unwrap();
    let i = p.course_deletion_impact(&t, course.id).await.unwrap();
    assert_eq!((i.lessons, i.resources, i.assignments), (2, 1, 1));
    let li = p.lesson_deletion_impact(&t, l1.id).await.unwrap();
    assert_eq!((li.resources, li.completions), (1, 0));
    // Resources: by place or title, renamed, a link's address changed.
    let r = p.resource_resolve(&t, course.id, "1").await.unwrap();
    assert_eq!(p.resource_resolve(&t, course.id, "doc").await.unwrap(), r);
    let r = p
        .resource_update(&t, r, "Le livre", Some("https://doc.rust-lang.org/book/"))
        .await
        .unwrap();
    assert_eq!(r.url.as_deref(), Some("https://doc.rust-lang.org/book/"));
    let bad = p.resource_update(&t, r.id, "", Some("javascript:x")).await;
    assert!(
        matches!(bad, Err(Error::InvalidFields(ref v)) if v.len() == 2),
        "{bad:?}"
    );
    let student = Actor {
        user_id: t.user_id,
        role: Role::Student,
        must_change_password: false,
    };
    assert!(matches!(
        p.course_delete(&student, course.id).await,
        Err(Error::Forbidden)
    ));
    assert_eq!(p.course_delete(&t, course.id).await.unwrap(), i);
    assert!(p.course_list(&t).await.unwrap().is_empty());
}

#[tokio::test]
async fn import_all_takes_the_flat_layout_and_refuses_unknown_keys() {
    let (_d, p, t) = setup().await;
    let flat = br#"{
      "organisations": [{"name": "Alpha", "siret": "73282932000074"}],
      "classes": [{"name": "Promo", "organisation": "Alpha", "start": "2026-09-01", "salle": "B2"}],
      "students": [
        {"email": "marie@example.fr", "first_name": "Marie", "organisation": "Alpha", "class": "Promo"},
        {"email": "paul@example.fr", "organisation": "Alpha", "classes": ["Promo", "Soir"]}
      ]
    }"#;
    let r = p
        .import_all(&t, flat, &ImportOptions::default())
        .await
        .unwrap();
    assert_eq!(r.organisations.created, 1);
    assert_eq!(r.classes.created, 2, "{:?}", r.lines);
    assert_eq!(r.students.created, 2);
    assert_eq!(r.unknown_columns, ["salle"]);
    let classes = p.class_list(&t, None).await.unwrap();
    let promo = classes.iter().find(|c| c.name == "Promo").unwrap();
    assert_eq!(promo.member_count, 2);
    assert_eq!(promo.start_date.unwrap().to_string(), "2026-09-01");
    // An unknown list at the top is refused, not dropped.
    let err = p
        .import_all(
            &t,
            br#"{"organisations": [], "eleves": [{"email": "x@example.fr"}]}"#,
            &ImportOptions::default(),
        )
        .await
        .unwrap_err();
    let Error::ImportRejected(issues) = err else {
        panic!()
    };
    assert_eq!(issues[0].problem, Key::ImpUnknownKey);
    assert_eq!(issues[0].value, "eleves");
}

#[tokio::test]
async fn moodle_cohorts_are_classes() {
    let (_d, p, t) = setup().await;
    let csv = "username,firstname,lastname,email,cohort1,cohort2,course1\n\
               mdupont,Marie,Dupont,marie@example.fr,BTS 1,Anglais,RUST101\n\
               pmartin,Paul,Martin,paul@example.fr,BTS 1,,RUST101\n";
    let opts = ImportOptions {
        default_org: Some(p.org_create(&t, &org("Alpha", None)).await.unwrap().id),
        ..Default::default()
    };
    let r = p.import_students(&t, csv.as_bytes(), &opts).await.unwrap();
    assert_eq!(r.unknown_columns, ["username", "course1"]);
    assert_eq!(r.classes.created, 2);
    let classes = p.class_list(&t, None).await.unwrap();
    let count = |n: &str| classes.iter().find(|c| c.name == n).unwrap().member_count;
    assert_eq!((count("BTS 1"), count("Anglais")), (2, 1));
}

/// Re-assigning with one date keeps the other; an empty date clears it; a kept end that
/// the new start passes is refused, and nothing changes.
#[tokio::test]
async fn reassigning_with_one_date_keeps_the_other() {
    let (_d, p, t) = setup().await;
    let o = p.org_create(&t, &org("Alpha", None)).await.unwrap();
    let class = ClassInput {
        organisation_id: o.id,
        name: "Promo".into(),
        ..Default::default()
    };
    let c = p.class_create(&t, &class).await.unwrap();
    let course = CourseInput {
        title: "Rust".into(),
        ..Default::default()
    };
    let course = p.course_create(&t, &course).await.unwrap();
    let target = [Target::Class(c.id)];
    let dates = |p: &Portail| {
        let (p, t) = (p.clone(), t.clone());
        async move {
            let a = p.course_assignments(&t, course.id).await.unwrap();
            (
                a[0].start_date.map(|d| d.to_string()),
                a[0].end_date.map(|d| d.to_string()),
            )
        }
    };
    p.course_assign(
        &t,
        course.id,
        &target,
        Some("2027-01-10"),
        Some("2027-06-30"),
    )
    .await
    .unwrap();
    p.course_assign(&t, course.id, &target, Some("2027-03-01"), None)
        .await
        .unwrap();
    assert_eq!(
        dates(&p).await,
        (Some("2027-03-01".into()), Some("2027-06-30".into()))
    );
    let e = p
        .course_assign(&t, course.id, &target, Some("2027-09-01"), None)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidField { .. }), "{e:?}");
    assert_eq!(
        dates(&p).await,
        (Some("2027-03-01".into()), Some("2027-06-30".into()))
    );
    p.course_assign(&t, course.id, &target, None, Some(""))
        .await
        .unwrap();
    assert_eq!(dates(&p).await, (Some("2027-03-01".into()), None));
}
