//! The streaming students import on a real SQLite file: files larger than one batch, a
//! student on rows of different batches, previews, and all or nothing when the problem
//! only shows in the last batch.

use super::CoreOptions;
use super::bulk::{Action, ImportOptions, ImportReport};
use crate::i18n::Key;
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

/// 1,300 rows (three batches), CRLF, a quoted field over two lines at row 2: `old` is
/// already there (same class on row 1, a new class on the last row); `dup` is on a row of
/// the first batch and one of the third, in two classes.
fn big_file(last_row: &str) -> String {
    let mut s = String::from("email;prénom;nom;notes;organisme;classe\r\n");
    s.push_str("old@example.fr;Old;One;;Org A;C1\r\n");
    s.push_str("dup@example.fr;Dup;Li;\"deux\r\nlignes\";Org A;C1\r\n");
    for i in 0..1200 {
        s.push_str(&format!("s{i}@example.fr;P{i};N{i};;Org B;C{}\r\n", i % 3));
    }
    s.push_str("dup@example.fr;;;;Org A;C3\r\n");
    s.push_str(last_row);
    s
}

fn students(r: &ImportReport) -> Vec<(Action, &str)> {
    r.lines
        .iter()
        .filter(|l| l.entity == Key::EntStudent)
        .map(|l| (l.action, l.label.as_str()))
        .collect()
}

#[tokio::test]
async fn a_file_of_several_batches_is_one_import_with_one_line_per_student() {
    let (_dir, p, t) = setup().await;
    let opts = ImportOptions::default();
    p.import_students(
        &t,
        b"email;prenom;nom;organisme;classe\nold@example.fr;Old;One;Org A;C1\n",
        &opts,
    )
    .await
    .unwrap();
    let file = big_file("old@example.fr;Old;One;;Org A;C2\r\n");

    let preview = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    let r = p
        .import_students(&t, file.as_bytes(), &preview)
        .await
        .unwrap();
    assert_eq!((r.students.created, r.students.updated), (1201, 1));
    assert_eq!(r.students.unchanged, 0);
    assert!(r.codes.is_empty());
    assert_eq!(p.student_list(&t, None, None).await.unwrap().len(), 1);

    let r = p.import_students(&t, file.as_bytes(), &opts).await.unwrap();
    assert_eq!(r.encoding, "UTF-8");
    assert_eq!((r.students.created, r.students.updated), (1201, 1));
    // Organisation B and classes C2 (A), C3 (A), C0..C2 (B).
    assert_eq!((r.organisations.created, r.classes.created), (1, 5));
    let lines = students(&r);
    assert_eq!(lines.len(), 1202);
    assert_eq!(lines[0], (Action::Updated, "old@example.fr"));
    assert_eq!(lines[1], (Action::Created, "dup@example.fr"));
    assert_eq!(lines[1201], (Action::Created, "s1199@example.fr"));
    assert_eq!(r.codes.len(), 1201);
    assert!(r.codes.iter().all(|(_, c)| c.len() == 14));

    let all = p.student_list(&t, None, None).await.unwrap();
    assert_eq!(all.len(), 1202);
    let classes = |email: &str| {
        let mut c: Vec<String> = all
            .iter()
            .find(|s| s.email == email)
            .unwrap()
            .classes
            .iter()
            .map(|c| c.name.clone())
            .collect();
        c.sort();
        c
    };
    assert_eq!(classes("dup@example.fr"), ["Org A / C1", "Org A / C3"]);
    assert_eq!(classes("old@example.fr"), ["Org A / C1", "Org A / C2"]);
    let dup = all.iter().find(|s| s.email == "dup@example.fr").unwrap();
    assert_eq!(dup.notes.as_deref(), Some("deux\nlignes"));

    // The same file again: nothing to do.
    let r = p.import_students(&t, file.as_bytes(), &opts).await.unwrap();
    assert_eq!(
        (r.students.created, r.students.updated, r.students.unchanged),
        (0, 0, 1202)
    );
}

#[tokio::test]
async fn a_problem_in_the_last_batch_writes_nothing_and_is_located() {
    let (_dir, p, t) = setup().await;
    let opts = ImportOptions::default();
    // Found by the first pass (an invalid address): the line counts the two-line field.
    let file = big_file("jean.dupont@;Jean;Dupont;;Org A;C1\r\n");
    let Err(Error::ImportRejected(issues)) = p.import_students(&t, file.as_bytes(), &opts).await
    else {
        panic!("refused");
    };
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].location, Location::Line(1206));
    assert_eq!(issues[0].column.as_deref(), Some("email"));
    // Found only while writing (the trainer's own address), after two batches were
    // written in the transaction: rolled back, nothing stays.
    let file = big_file("prof@example.fr;Jean;Dupont;;Org A;C1\r\n");
    let Err(Error::ImportRejected(issues)) = p.import_students(&t, file.as_bytes(), &opts).await
    else {
        panic!("refused");
    };
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].problem, Key::ProbNotAStudent);
    assert_eq!(issues[0].location, Location::Line(1206));
    assert!(p.student_list(&t, None, None).await.unwrap().is_empty());
    assert!(p.org_list(&t).await.unwrap().is_empty());
}
