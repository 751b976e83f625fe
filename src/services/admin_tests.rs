//! Service-level rules of the trainer administration, on a real SQLite file.

use super::CoreOptions;
use super::classes::ClassInput;
use super::courses::{CourseInput, CourseStatus};
use super::enrolment::Target;
use super::orgs::OrgInput;
use super::students::{AccountStatus, StudentInput};
use crate::i18n::Key;
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

fn org(name: &str) -> OrgInput {
    OrgInput {
        name: name.into(),
        ..Default::default()
    }
}

fn student(email: &str) -> StudentInput {
    StudentInput {
        email: email.into(),
        first_name: "Jean".into(),
        last_name: "Dupont".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn organisations_validate_and_refuse_duplicates() {
    let (_d, p, t) = setup().await;
    let mut input = org("Institut Alpha");
    input.siret = Some("12345678901234".into());
    let err = p.org_create(&t, &input).await.unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidField {
            field: Key::FieldSiret,
            ..
        }
    ));
    input.siret = Some("732 829 320 00074".into());
    input.website = Some("https://alpha.fr".into());
    let o = p.org_create(&t, &input).await.unwrap();
    assert_eq!(o.siret.as_deref(), Some("73282932000074"));
    let dup = p.org_create(&t, &org("institut alpha")).await.unwrap_err();
    assert!(matches!(
        dup,
        Error::InvalidField {
            field: Key::FieldName,
            problem: Key::ProbDuplicateName,
            ..
        }
    ));
    assert_eq!(p.org_resolve(&t, "INSTITUT ALPHA").await.unwrap(), o.id);
    assert_eq!(p.org_resolve(&t, &o.id.to_string()).await.unwrap(), o.id);
    assert!(matches!(
        p.org_resolve(&t, "Beta").await,
        Err(Error::Unknown { .. })
    ));
    assert_eq!(p.org_list(&t).await.unwrap().len(), 1);
}

#[tokio::test]
async fn classes_members_assignments_participants_and_deletion_impact() {
    let (_d, p, t) = setup().await;
    let o = p.org_create(&t, &org("Alpha")).await.unwrap();
    let mk = |name: &str, start: Option<&str>, end: Option<&str>| ClassInput {
        organisation_id: o.id,
        name: name.into(),
        start_date: start.map(Into::into),
        end_date: end.map(Into::into),
    };
    let bad = p
        .class_create(&t, &mk("A", Some("2026-09-01"), Some("2026-08-01")))
        .await;
    assert!(matches!(
        bad,
        Err(Error::InvalidField {
            field: Key::FieldEnd,
            ..
        })
    ));
    let c = p
        .class_create(&t, &mk("Promo 1", Some("2026-09-01"), None))
        .await
        .unwrap();
    let dup = p.class_create(&t, &mk("promo 1", None, None)).await;
    assert!(matches!(
        dup,
        Err(Error::InvalidField {
            problem: Key::ProbDuplicateNameInOrg,
            ..
        })
    ));
    let (s1, _) = p
        .student_create(&t, &student("a@x.fr"), &[c.id], &[])
        .await
        .unwrap();
    let (s2, _) = p
        .student_create(&t, &student("b@x.fr"), &[], &[])
        .await
        .unwrap();
    assert_eq!(s1.classes.len(), 1);
    assert_eq!(s1.organisations.len(), 1);
    assert_eq!(s1.status, AccountStatus::Pending);
    let course = p
        .course_create(
            &t,
            &CourseInput {
                title: "Rust".into(),
                objectives: vec!["Lire".into(), " ".into(), "Écrire".into()],
                duration_hours: Some("7,5".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(course.objectives, vec!["Lire", "Écrire"]);
    assert_eq!(course.duration_hours, Some(7.5));
    let l1 = p.lesson_add(&t, course.id, "Un", "# Un").await.unwrap();
    p.lesson_add(&t, course.id, "Deux", "").await.unwrap();
    p.course_assign(
        &t,
        course.id,
        &[
            Target::Class(c.id),
            Target::Student(s2.id),
            Target::Student(s1.id),
        ],
        None,
        None,
    )
    .await
    .unwrap();
    let parts = p.course_participants(&t, course.id).await.unwrap();
    assert_eq!(parts.len(), 2);
    let a = parts.iter().find(|x| x.email == "a@x.fr").unwrap();
    assert_eq!(a.via, "Promo 1, individual");
    // Progress: one lesson of two completed.
    sqlx::query("INSERT INTO lesson_progress (student_id, lesson_id, first_opened_at, completed_at) VALUES (?1, ?2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
        .bind(s1.id)
        .bind(l1.id)
        .execute(p.pool())
        .await
        .unwrap();
    let parts = p.course_participants(&t, course.id).await.unwrap();
    assert_eq!(
        parts
            .iter()
            .find(|x| x.email == "a@x.fr")
            .unwrap()
            .progress_percent,
        50
    );
    // Unassign something not assigned: refused, nothing removed.
    let err = p
        .course_unassign(
            &t,
            course.id,
            &[Target::Student(s1.id), Target::Student(s1.id)],
        )
        .await;
    assert!(matches!(
        err,
        Err(Error::InvalidField {
            problem: Key::ProbNotAssigned,
            ..
        })
    ));
    assert_eq!(p.course_assignments(&t, course.id).await.unwrap().len(), 3);
    // Removed from the class: loses the class's course (still individual here), keeps progress.
    p.class_remove_members(&t, c.id, &[s1.id]).await.unwrap();
    let parts = p.course_participants(&t, course.id).await.unwrap();
    let a = parts.iter().find(|x| x.email == "a@x.fr").unwrap();
    assert_eq!((a.via.as_str(), a.progress_percent), ("individual", 50));
    p.class_add_members(&t, c.id, &[s1.id, s2.id])
        .await
        .unwrap();
    let impact = p.org_deletion_impact(&t, o.id).await.unwrap();
    assert_eq!(
        (impact.classes, impact.class_memberships, impact.assignments),
        (1, 2, 1)
    );
    p.org_delete(&t, o.id).await.unwrap();
    assert!(p.class_list(&t, None).await.unwrap().is_empty());
    assert_eq!(p.student_list(&t, None, None).await.unwrap().len(), 2);
}

#[tokio::test]
async fn lessons_reorder_and_course_duplicates() {
    let (_d, p, t) = setup().await;
    let c = p
        .course_create(
            &t,
            &CourseInput {
                title: "Git".into(),
                status: CourseStatus::Published,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let a = p.lesson_add(&t, c.id, "A", "a").await.unwrap();
    p.lesson_add(&t, c.id, "B", "b").await.unwrap();
    p.lesson_add(&t, c.id, "C", "c").await.unwrap();
    p.resource_add_link(&t, c.id, Some(a.id), "Doc", "https://git-scm.com/doc")
        .await
        .unwrap();
    assert!(
        p.resource_add_link(&t, c.id, None, "Bad", "ftp://x")
            .await
            .is_err()
    );
    p.lesson_move(&t, a.id, 3).await.unwrap();
    let d = p.course_get(&t, c.id).await.unwrap();
    let titles: Vec<_> = d
        .lessons
        .iter()
        .map(|l| (l.position, l.title.as_str()))
        .collect();
    assert_eq!(titles, vec![(1, "B"), (2, "C"), (3, "A")]);
    assert_eq!(p.lesson_resolve(c.id, "3").await.unwrap(), a.id);
    assert_eq!(p.lesson_resolve(c.id, "a").await.unwrap(), a.id);
    let copy = p.course_duplicate(&t, c.id).await.unwrap();
    assert_eq!(copy.title, "Git (copie)");
    assert_eq!(copy.status, CourseStatus::Draft);
    let cd = p.course_get(&t, copy.id).await.unwrap();
    assert_eq!(cd.lessons.len(), 3);
    assert_eq!(cd.resources.len(), 1);
    assert_ne!(
        cd.resources[0].lesson_id,
        Some(a.id),
        "resource points into the copy"
    );
    assert!(matches!(p.course_resolve(&t, "git").await, Ok(id) if id == c.id));
    p.lesson_delete(&t, d.lessons[0].id).await.unwrap();
    let d = p.course_get(&t, c.id).await.unwrap();
    assert_eq!(
        d.lessons.iter().map(|l| l.position).collect::<Vec<_>>(),
        vec![1, 2]
    );
}

#[tokio::test]
async fn students_disable_reset_and_delete_with_history() {
    let (_d, p, t) = setup().await;
    let (s, code) = p
        .student_create(&t, &student("c@x.fr"), &[], &[])
        .await
        .unwrap();
    let dup = p.student_create(&t, &student("C@X.FR"), &[], &[]).await;
    assert!(matches!(
        dup,
        Err(Error::InvalidField {
            field: Key::FieldEmail,
            problem: Key::ProbDuplicateEmail,
            ..
        })
    ));
    let bad = p
        .student_create(&t, &student("jean.dupont@"), &[], &[])
        .await;
    assert!(matches!(
        bad,
        Err(Error::InvalidField {
            field: Key::FieldEmail,
            problem: Key::ProbEmail,
            ..
        })
    ));
    // An unknown class: nothing written.
    let none = p.student_create(&t, &student("d@x.fr"), &[999], &[]).await;
    assert!(matches!(
        none,
        Err(Error::Unknown {
            what: Key::EntClass,
            ..
        })
    ));
    assert!(p.student_resolve(&t, "d@x.fr").await.is_err());
    let new_code = p.student_reset_code(&t, s.id).await.unwrap();
    assert!(p.login("c@x.fr", &code, None).await.is_err());
    p.login("c@x.fr", &new_code, None).await.unwrap(); // history: a login
    let s = p.student_set_disabled(&t, s.id, true).await.unwrap();
    assert_eq!(s.status, AccountStatus::Disabled);
    assert!(p.login("c@x.fr", &new_code, None).await.is_err());
    assert!(matches!(
        p.student_delete(&t, s.id, false).await,
        Err(Error::NeedsConfirmation(_))
    ));
    p.student_delete(&t, s.id, true).await.unwrap();
    assert!(p.student_list(&t, None, None).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_student_is_refused_every_admin_service() {
    let (_d, p, t) = setup().await;
    let (s, _) = p
        .student_create(&t, &student("e@x.fr"), &[], &[])
        .await
        .unwrap();
    let sa = Actor {
        user_id: s.id,
        role: Role::Student,
        must_change_password: false,
    };
    assert!(matches!(p.org_list(&sa).await, Err(Error::Forbidden)));
    assert!(matches!(
        p.org_create(&sa, &org("X")).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        p.student_list(&sa, None, None).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(p.course_list(&sa).await, Err(Error::Forbidden)));
    assert!(matches!(
        p.student_reset_code(&sa, s.id).await,
        Err(Error::Forbidden)
    ));
    assert!(p.org_list(&t).await.unwrap().is_empty());
}

#[tokio::test]
async fn students_see_only_their_published_courses_and_progress_is_kept() {
    use super::learning::require_student;
    let (_d, p, t) = setup().await;
    let o = p.org_create(&t, &org("Alpha")).await.unwrap();
    let class = p
        .class_create(
            &t,
            &ClassInput {
                organisation_id: o.id,
                name: "K".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (s, code) = p
        .student_create(&t, &student("f@x.fr"), &[class.id], &[])
        .await
        .unwrap();
    let (other, _) = p
        .student_create(&t, &student("g@x.fr"), &[], &[])
        .await
        .unwrap();
    let published = CourseInput {
        title: "Pub".into(),
        status: CourseStatus::Published,
        ..Default::default()
    };
    let c = p.course_create(&t, &published).await.unwrap();
    let hidden = p
        .course_create(
            &t,
            &CourseInput {
                title: "Draft".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let not_mine = p
        .course_create(
            &t,
            &CourseInput {
                title: "Autre".into(),
                ..published.clone()
            },
        )
        .await
        .unwrap();
    let l1 = p.lesson_add(&t, c.id, "Un", "").await.unwrap();
    let l2 = p.lesson_add(&t, c.id, "Deux", "").await.unwrap();
    p.course_assign(
        &t,
        c.id,
        &[Target::Class(class.id)],
        Some("2026-09-01"),
        None,
    )
    .await
    .unwrap();
    p.course_assign(&t, hidden.id, &[Target::Class(class.id)], None, None)
        .await
        .unwrap();
    p.course_assign(&t, not_mine.id, &[Target::Student(other.id)], None, None)
        .await
        .unwrap();

    let login = p.login("f@x.fr", &code, None).await.unwrap();
    assert!(matches!(
        p.my_courses(&login.actor).await,
        Err(Error::PasswordChangeRequired)
    ));
    let sa = p
        .change_password(&login.actor, None, "une phrase de f")
        .await
        .unwrap();
    assert!(require_student(&sa).is_ok());
    let mine = p.my_courses(&sa).await.unwrap();
    assert_eq!(
        mine.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(),
        vec!["Pub"]
    );
    assert_eq!(mine[0].next_lesson, Some(1));
    assert_eq!(
        mine[0].start_date.map(|d| d.to_string()).as_deref(),
        Some("2026-09-01")
    );
    // Not theirs, or a draft: refused like a missing course.
    for id in [not_mine.id, hidden.id, 9999] {
        assert!(
            matches!(p.my_course(&sa, id).await, Err(Error::NotFound)),
            "course {id}"
        );
    }
    assert!(matches!(
        p.my_course_resolve(&sa, "Autre").await,
        Err(Error::Unknown { .. })
    ));
    assert_eq!(p.my_course_resolve(&sa, "pub").await.unwrap(), c.id);
    let other_lesson = p.lesson_add(&t, not_mine.id, "X", "").await.unwrap();
    assert!(matches!(
        p.lesson_set_done(&sa, other_lesson.id, true).await,
        Err(Error::NotFound)
    ));

    p.lesson_open(&sa, l1.id).await.unwrap();
    assert_eq!(p.lesson_set_done(&sa, l1.id, true).await.unwrap(), 50);
    assert_eq!(p.lesson_set_done(&sa, l2.id, true).await.unwrap(), 100);
    assert_eq!(p.lesson_set_done(&sa, l2.id, false).await.unwrap(), 50);
    let detail = p.my_course(&sa, c.id).await.unwrap();
    assert!(detail.progress[0].completed_at.is_some() && detail.progress[1].completed_at.is_none());
    assert_eq!(p.my_courses(&sa).await.unwrap()[0].next_lesson, Some(2));

    let rows = p.progress(&t, Some(c.id), None, None).await.unwrap();
    assert_eq!((rows.len(), rows[0].progress_percent), (1, 50));
    let log = p
        .activity(&t, Some(s.id), Some("2000-01-01"), 100)
        .await
        .unwrap();
    let kinds: Vec<&str> = log.iter().map(|e| e.kind.as_str()).collect();
    assert!(
        kinds.contains(&"lesson_opened")
            && kinds.contains(&"lesson_completed")
            && kinds.contains(&"login"),
        "{kinds:?}"
    );
    assert!(
        p.activity(&t, None, Some("2999-01-01"), 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        p.activity(&sa, None, None, 10).await,
        Err(Error::Forbidden)
    ));

    // Removed from the class: the course disappears, the progress stays.
    p.class_remove_members(&t, class.id, &[s.id]).await.unwrap();
    assert!(p.my_courses(&sa).await.unwrap().is_empty());
    p.class_add_members(&t, class.id, &[s.id]).await.unwrap();
    assert_eq!(p.my_courses(&sa).await.unwrap()[0].progress_percent, 50);
}

#[tokio::test]
async fn upload_links_are_valid_once() {
    use super::files::{Access, UploadPurpose};
    let (_d, p, t) = setup().await;
    let token = p
        .upload_link_create(&t, UploadPurpose::Avatar, chrono::Duration::minutes(30))
        .await
        .unwrap();
    let ticket = p.upload_ticket(&token).await.unwrap();
    assert_eq!(ticket.purpose, UploadPurpose::Avatar);
    assert!(p.claim_ticket(&ticket).await.unwrap());
    assert!(!p.claim_ticket(&ticket).await.unwrap());
    assert_eq!(p.upload_ticket(&token).await.unwrap_err(), Access::Gone);
    p.release_ticket(&ticket).await.unwrap();
    assert!(p.upload_ticket(&token).await.is_ok());
    let old = p
        .upload_link_create(&t, UploadPurpose::Avatar, chrono::Duration::minutes(-1))
        .await
        .unwrap();
    assert_eq!(p.upload_ticket(&old).await.unwrap_err(), Access::Gone);
    assert_eq!(
        p.upload_ticket(&"0".repeat(48)).await.unwrap_err(),
        Access::NotFound
    );
}

/// Issue 13.4: every way a URL is stored (organisation website by hand, by CSV or JSON
/// import, by `import all`; resource link) refuses control and bidi characters, names the
/// field, and writes nothing.
#[tokio::test]
async fn urls_with_controls_or_bidi_are_refused_on_every_path() {
    use super::bulk::ImportOptions;
    let (_d, p, t) = setup().await;
    let evil = "https://ex.com/\x1b]52;c;SGVsbG8=\x07\x1b]0;pwned\x07\x1b[2J";
    let bidi = "https://ex.com/\u{202E}fdp.exe";
    let c1 = "https://ex.com/\u{9b}31m";
    let is_url_refusal = |e: &Error, f: Key| matches!(e, Error::InvalidField { field, problem: Key::ProbUrlControl, .. } if *field == f);
    for url in [evil, bidi, c1] {
        let mut input = org("Institut Alpha");
        input.website = Some(url.into());
        let e = p.org_create(&t, &input).await.unwrap_err();
        assert!(is_url_refusal(&e, Key::FieldWebsite), "{url:?}: {e:?}");
    }
    assert!(p.org_list(&t).await.unwrap().is_empty(), "nothing written");

    let o = p.org_create(&t, &org("Beta")).await.unwrap();
    let mut input = org("Beta");
    input.website = Some(evil.into());
    let e = p.org_update(&t, o.id, &input).await.unwrap_err();
    assert!(is_url_refusal(&e, Key::FieldWebsite), "{e:?}");
    assert_eq!(p.org_get(&t, o.id).await.unwrap().website, None);

    let opts = ImportOptions::default();
    let csv = format!("nom;site web\nGamma;https://gamma.fr\nDelta;\"{evil}\"\n");
    let e = p.import_orgs(&t, csv.as_bytes(), &opts).await.unwrap_err();
    let msg = e.user_message(crate::Lang::Fr);
    assert!(
        msg.contains("colonne site web") && msg.contains("caractère de contrôle"),
        "{msg}"
    );
    assert!(
        !msg.chars()
            .any(|c| c != '\n' && crate::sanitize::is_dangerous(c)),
        "{msg:?}"
    );
    let json = serde_json::json!([{"nom": "Gamma", "site web": bidi}]).to_string();
    let e = p.import_orgs(&t, json.as_bytes(), &opts).await.unwrap_err();
    assert!(
        e.user_message(crate::Lang::En)
            .contains("control characters"),
        "{e:?}"
    );
    let all = serde_json::json!({"organisations": [{"name": "Gamma", "website": c1}]}).to_string();
    assert!(p.import_all(&t, all.as_bytes(), &opts).await.is_err());
    assert_eq!(p.org_list(&t).await.unwrap().len(), 1, "only Beta");

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
    for url in [evil, bidi, c1] {
        let e = p
            .resource_add_link(&t, course.id, None, "Doc", url)
            .await
            .unwrap_err();
        assert!(is_url_refusal(&e, Key::FieldUrl), "{url:?}: {e:?}");
    }
    assert!(
        p.course_get(&t, course.id)
            .await
            .unwrap()
            .resources
            .is_empty()
    );
}
