//! Bulk import (CSV / JSON, preview, all or nothing) and export (CSV / JSON, Excel).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite};

use super::guard::require_trainer;
use super::orgs::OrgInput;
use super::{Portail, now};
use crate::domain::Actor;
use crate::i18n::Key;
use std::io::{Read, Seek};

use indexmap::IndexMap;

use crate::import::{self, Col, Format, Issue, Kind, Location, Parsed, Record, Row};
use crate::validate::{self, MAX_NAME, MAX_NOTES};
use crate::{Error, Result, auth};

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub format: Option<Format>,
    pub dry_run: bool,
    /// Organisation for rows that name none (`--org`).
    pub default_org: Option<i64>,
    /// Class for rows that name none (`--class`).
    pub default_class: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    Updated,
    Unchanged,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportLine {
    pub action: Action,
    #[serde(skip)]
    pub entity: Key,
    pub label: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub organisations: Counts,
    pub classes: Counts,
    pub students: Counts,
    pub lines: Vec<ReportLine>,
    /// New students' e-mails and activation codes (empty in a preview).
    pub codes: Vec<(String, String)>,
    pub unknown_columns: Vec<String>,
    pub encoding: String,
    pub delimiter: Option<char>,
}

impl ImportReport {
    /// An empty report describing the parsed input.
    fn start(parsed: &Parsed, opts: &ImportOptions) -> ImportReport {
        ImportReport {
            dry_run: opts.dry_run,
            unknown_columns: parsed.unknown_columns.clone(),
            encoding: parsed.encoding.to_string(),
            delimiter: parsed.delimiter,
            ..Default::default()
        }
    }
}

fn issue_at(rec: &Record, col: Col, e: Error) -> Issue {
    let (problem, value) = match e {
        Error::InvalidField { problem, value, .. } => (problem, value),
        Error::Invalid(k) => (k, String::new()),
        other => (Key::ErrInternal, other.to_string()),
    };
    Issue {
        location: rec.location.unwrap_or(Location::File),
        column: Some(rec.name(col)),
        problem,
        value,
    }
}

/// An organisation's problems, each at the column of the field it names (`import orgs`
/// and `import all` alike).
fn org_issue(rec: &Record, e: Error) -> Vec<Issue> {
    let problems = e.field_problems();
    if problems.is_empty() {
        return vec![issue_at(rec, Col::Name, e)];
    }
    problems
        .into_iter()
        .map(|p| {
            issue_at(
                rec,
                field_col(p.field),
                validate::invalid(p.field, p.problem, &p.value),
            )
        })
        .collect()
}

/// A student row, validated.
#[derive(Debug, Clone)]
struct StudentRow {
    location: Location,
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
    notes: Option<String>,
    org: Option<String>,
    /// Each class the row names, with the column naming it (`classe`, `cohort1`…).
    classes: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
struct ExistingStudent {
    id: i64,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    notes: Option<String>,
    is_student: bool,
}

/// An organisation or class: known id, or the index of one to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ref {
    Existing(i64),
    New(usize),
}

/// Plans and writes a students import batch by batch, inside the caller's transaction.
struct StudentPlanner {
    dry_run: bool,
    default_org_name: Option<String>,
    default_class: Option<i64>,
    orgs: HashMap<String, i64>,
    org_names: HashMap<i64, String>,
    classes: HashMap<(i64, String), i64>,
    class_org: HashMap<i64, i64>,
    classes_by_name: HashMap<String, Vec<i64>>,
    new_orgs: Vec<String>,
    new_org_index: HashMap<String, usize>,
    new_classes: Vec<(Ref, String)>,
    new_class_index: HashMap<(Ref, String), usize>,
    /// Ids of the new organisations and classes written so far (in plan order).
    org_ids: Vec<i64>,
    class_ids: Vec<i64>,
    students: IndexMap<Box<str>, Seen>,
    batch: Vec<StudentRow>,
    issues: Vec<Issue>,
    ts: chrono::DateTime<chrono::Utc>,
    expires: chrono::DateTime<chrono::Utc>,
}

impl StudentPlanner {
    /// Reads the organisations and classes once (students are looked up per batch).
    async fn load(
        portail: &Portail,
        tx: &mut sqlx::Transaction<'static, Sqlite>,
        opts: &ImportOptions,
    ) -> Result<StudentPlanner> {
        let org_rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM organisations")
            .fetch_all(&mut **tx)
            .await?;
        let orgs = org_rows
            .iter()
            .map(|(id, name)| (lower(name), *id))
            .collect();
        let org_names: HashMap<i64, String> = org_rows.into_iter().collect();
        let class_rows: Vec<(i64, i64, String)> =
            sqlx::query_as("SELECT id, organisation_id, name FROM classes")
                .fetch_all(&mut **tx)
                .await?;
        let classes = class_rows
            .iter()
            .map(|(id, org, name)| ((*org, lower(name)), *id))
            .collect();
        let class_org = class_rows.iter().map(|(id, org, _)| (*id, *org)).collect();
        let mut classes_by_name: HashMap<String, Vec<i64>> = HashMap::new();
        for (id, _, name) in &class_rows {
            classes_by_name.entry(lower(name)).or_default().push(*id);
        }
        let ts = now();
        Ok(StudentPlanner {
            dry_run: opts.dry_run,
            default_org_name: opts.default_org.and_then(|id| org_names.get(&id).cloned()),
            default_class: opts.default_class,
            orgs,
            org_names,
            classes,
            class_org,
            classes_by_name,
            new_orgs: Vec::new(),
            new_org_index: HashMap::new(),
            new_classes: Vec::new(),
            new_class_index: HashMap::new(),
            org_ids: Vec::new(),
            class_ids: Vec::new(),
            students: IndexMap::new(),
            batch: Vec::with_capacity(BATCH),
            issues: Vec::new(),
            ts,
            expires: ts + portail.options().activation_ttl,
        })
    }

    async fn push(
        &mut self,
        tx: &mut sqlx::Transaction<'static, Sqlite>,
        row: StudentRow,
    ) -> Result<()> {
        self.batch.push(row);
        if self.batch.len() >= BATCH {
            self.flush(tx).await?;
        }
        Ok(())
    }

    /// The organisation and classes a row names (planned when missing), each class with
    /// its organisation.
    fn refs(&mut self, row: &StudentRow) -> (Option<Ref>, Vec<(Ref, Option<Ref>)>) {
        let mut classes = Vec::new();
        let mut org = None;
        let names: Vec<Option<(String, String)>> = if row.classes.is_empty() {
            vec![None]
        } else {
            row.classes.iter().cloned().map(Some).collect()
        };
        for class in names {
            let (o, c, co) = self.class_ref(row, class.as_ref());
            org = o;
            if let Some(c) = c {
                classes.push((c, co));
            }
        }
        (org, classes)
    }

    /// The organisation a row names and one of its classes (`None`: the default class).
    fn class_ref(
        &mut self,
        row: &StudentRow,
        class: Option<&(String, String)>,
    ) -> (Option<Ref>, Option<Ref>, Option<Ref>) {
        let org_name = row.org.clone().or_else(|| self.default_org_name.clone());
        let org_ref = org_name
            .as_ref()
            .map(|name| match self.orgs.get(&lower(name)) {
                Some(id) => Ref::Existing(*id),
                None => {
                    let new_orgs = &mut self.new_orgs;
                    let i = *self.new_org_index.entry(lower(name)).or_insert_with(|| {
                        new_orgs.push(name.clone());
                        new_orgs.len() - 1
                    });
                    Ref::New(i)
                }
            });
        let class_ref = match (class, self.default_class) {
            (Some((name, column)), _) => match org_ref {
                Some(Ref::Existing(org)) => Some(match self.classes.get(&(org, lower(name))) {
                    Some(id) => Ref::Existing(*id),
                    None => Ref::New(plan_class(
                        &mut self.new_classes,
                        &mut self.new_class_index,
                        Ref::Existing(org),
                        name,
                    )),
                }),
                Some(new_org) => Some(Ref::New(plan_class(
                    &mut self.new_classes,
                    &mut self.new_class_index,
                    new_org,
                    name,
                ))),
                None => match self.classes_by_name.get(&lower(name)).map(Vec::as_slice) {
                    Some([id]) => Some(Ref::Existing(*id)),
                    _ => {
                        self.issues.push(Issue {
                            location: row.location,
                            column: Some(column.clone()),
                            problem: Key::ImpClassNeedsOrg,
                            value: name.clone(),
                        });
                        None
                    }
                },
            },
            (None, Some(id)) => Some(Ref::Existing(id)),
            (None, None) => None,
        };
        // The class's organisation is the student's too.
        let class_org_ref = match class_ref {
            Some(Ref::Existing(c)) => self.class_org.get(&c).map(|o| Ref::Existing(*o)),
            Some(Ref::New(i)) => Some(self.new_classes[i].0),
            None => None,
        };
        (org_ref, class_ref, class_org_ref)
    }

    /// Plans the batch; writes it unless this is a preview or a problem was found.
    async fn flush(&mut self, tx: &mut sqlx::Transaction<'static, Sqlite>) -> Result<()> {
        let rows = std::mem::take(&mut self.batch);
        if rows.is_empty() {
            return Ok(());
        }
        // The students of this batch not met before, as they are in the database.
        let mut fresh: Vec<&str> = rows
            .iter()
            .map(|r| r.email.as_str())
            .filter(|e| !self.students.contains_key(*e))
            .collect();
        fresh.sort_unstable();
        fresh.dedup();
        let mut existing: HashMap<String, ExistingStudent> = HashMap::new();
        if !fresh.is_empty() {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT id, email, first_name, last_name, phone, notes, role FROM users WHERE email IN (",
            );
            let mut sep = qb.separated(", ");
            for e in &fresh {
                sep.push_bind(*e);
            }
            qb.push(")");
            type UserRow = (
                i64,
                String,
                String,
                String,
                Option<String>,
                Option<String>,
                String,
            );
            let found: Vec<UserRow> = qb.build_query_as().fetch_all(&mut **tx).await?;
            for (id, email, first_name, last_name, phone, notes, role) in found {
                existing.insert(
                    lower(&email),
                    ExistingStudent {
                        id,
                        first_name,
                        last_name,
                        phone,
                        notes,
                        is_student: role == "student",
                    },
                );
            }
        }
        // Who is new, who changes, and every membership the rows name.
        let mut created: Vec<(usize, usize)> = Vec::new(); // (row, student)
        let mut updates: Vec<(usize, ExistingStudent)> = Vec::new();
        let mut links: Vec<(usize, Ref, bool)> = Vec::new(); // (student, target, is a class)
        for (ri, row) in rows.iter().enumerate() {
            let (org_ref, class_refs) = self.refs(row);
            let si = match self.students.get_index_of(row.email.as_str()) {
                Some(i) => i,
                None => {
                    let ex = existing.get(&lower(&row.email));
                    if let Some(e) = ex
                        && !e.is_student
                    {
                        self.issues.push(Issue {
                            location: row.location,
                            column: Some("email".into()),
                            problem: Key::ProbNotAStudent,
                            value: row.email.clone(),
                        });
                        continue;
                    }
                    let fields_changed = ex.is_some_and(|e| {
                        row.first_name.as_ref().is_some_and(|v| *v != e.first_name)
                            || row.last_name.as_ref().is_some_and(|v| *v != e.last_name)
                            || (row.phone.is_some() && row.phone != e.phone)
                            || (row.notes.is_some() && row.notes != e.notes)
                    });
                    let action = match (ex, fields_changed) {
                        (None, _) => Action::Created,
                        (Some(_), true) => Action::Updated,
                        (Some(_), false) => Action::Unchanged,
                    };
                    let (si, _) = self.students.insert_full(
                        row.email.as_str().into(),
                        Seen {
                            id: ex.map(|e| e.id),
                            existed: ex.is_some(),
                            action,
                            code: None,
                        },
                    );
                    match ex {
                        None => created.push((ri, si)),
                        Some(e) if fields_changed => updates.push((ri, e.clone())),
                        Some(_) => {}
                    }
                    si
                }
            };
            for (c, class_org_ref) in class_refs {
                links.push((si, c, true));
                if let Some(o) = class_org_ref {
                    links.push((si, o, false));
                }
            }
            if let Some(o) = org_ref {
                links.push((si, o, false));
            }
        }
        if !self.issues.is_empty() {
            return Ok(()); // nothing will be written: only keep checking
        }
        // A student already there who joins a class or an organisation is "updated".
        let unchanged: Vec<i64> = links
            .iter()
            .filter_map(|(si, _, _)| {
                let s = &self.students[*si];
                (s.existed && s.action == Action::Unchanged).then_some(s.id)
            })
            .flatten()
            .collect();
        if !unchanged.is_empty() {
            let mut members: HashSet<(bool, i64, i64)> = HashSet::new();
            for (is_class, sql) in [
                (
                    true,
                    "SELECT class_id, student_id FROM class_members WHERE student_id IN (",
                ),
                (
                    false,
                    "SELECT organisation_id, student_id FROM organisation_members WHERE student_id IN (",
                ),
            ] {
                let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(sql);
                let mut sep = qb.separated(", ");
                for id in &unchanged {
                    sep.push_bind(*id);
                }
                qb.push(")");
                let pairs: Vec<(i64, i64)> = qb.build_query_as().fetch_all(&mut **tx).await?;
                members.extend(pairs.into_iter().map(|(t, s)| (is_class, t, s)));
            }
            for (si, target, is_class) in &links {
                let s = &mut self.students[*si];
                let (true, Action::Unchanged, Some(id)) = (s.existed, s.action, s.id) else {
                    continue;
                };
                let joins = match target {
                    Ref::New(_) => true,
                    Ref::Existing(t) => !members.contains(&(*is_class, *t, id)),
                };
                if joins {
                    s.action = Action::Updated;
                }
            }
        }
        if self.dry_run {
            return Ok(());
        }

        // Write the batch.
        let ts = self.ts;
        for name in &self.new_orgs[self.org_ids.len()..] {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO organisations (name, created_at, updated_at) VALUES (?1, ?2, ?2) RETURNING id",
            )
            .bind(name)
            .bind(ts)
            .fetch_one(&mut **tx)
            .await?;
            self.org_ids.push(id);
        }
        let org_ids = &self.org_ids;
        let resolve_org = |r: Ref| match r {
            Ref::Existing(id) => id,
            Ref::New(i) => org_ids[i],
        };
        for (org, name) in &self.new_classes[self.class_ids.len()..] {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO classes (organisation_id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3) RETURNING id",
            )
            .bind(resolve_org(*org))
            .bind(name)
            .bind(ts)
            .fetch_one(&mut **tx)
            .await?;
            self.class_ids.push(id);
        }
        if !created.is_empty() {
            let codes: Vec<String> = created
                .iter()
                .map(|_| auth::generate_activation_code())
                .collect();
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO users (role, email, first_name, last_name, phone, notes, activation_code_hash, \
                 activation_expires_at, created_at, updated_at) ",
            );
            qb.push_values(created.iter().zip(&codes), |mut b, ((ri, _), code)| {
                let row = &rows[*ri];
                b.push_bind("student")
                    .push_bind(&row.email)
                    .push_bind(row.first_name.clone().unwrap_or_default())
                    .push_bind(row.last_name.clone().unwrap_or_default())
                    .push_bind(&row.phone)
                    .push_bind(&row.notes)
                    .push_bind(auth::hash_activation_code(code))
                    .push_bind(self.expires)
                    .push_bind(ts)
                    .push_bind(ts);
            });
            qb.build().execute(&mut **tx).await?;
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("SELECT email, id FROM users WHERE email IN (");
            let mut sep = qb.separated(", ");
            for (ri, _) in &created {
                sep.push_bind(&rows[*ri].email);
            }
            qb.push(")");
            let ids: HashMap<String, i64> = qb
                .build_query_as::<(String, i64)>()
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|(e, id)| (lower(&e), id))
                .collect();
            for ((ri, si), code) in created.iter().zip(codes) {
                let id = *ids
                    .get(&lower(&rows[*ri].email))
                    .ok_or_else(|| Error::Internal("imported id".into()))?;
                let s = &mut self.students[*si];
                s.id = Some(id);
                s.code = Some(code.into());
            }
        }
        for (ri, e) in &updates {
            let row = &rows[*ri];
            sqlx::query(
                "UPDATE users SET first_name = ?1, last_name = ?2, phone = ?3, notes = ?4, updated_at = ?5 WHERE id = ?6",
            )
            .bind(row.first_name.clone().unwrap_or_else(|| e.first_name.clone()))
            .bind(row.last_name.clone().unwrap_or_else(|| e.last_name.clone()))
            .bind(row.phone.clone().or_else(|| e.phone.clone()))
            .bind(row.notes.clone().or_else(|| e.notes.clone()))
            .bind(ts)
            .bind(e.id)
            .execute(&mut **tx)
            .await?;
        }
        let class_ids = &self.class_ids;
        let resolve_class = |r: Ref| match r {
            Ref::Existing(id) => id,
            Ref::New(i) => class_ids[i],
        };
        let mut class_pairs = HashSet::new();
        let mut org_pairs = HashSet::new();
        for (si, target, is_class) in &links {
            let sid = self.students[*si]
                .id
                .ok_or_else(|| Error::Internal("imported id".into()))?;
            if *is_class {
                class_pairs.insert((resolve_class(*target), sid));
            } else {
                org_pairs.insert((resolve_org(*target), sid));
            }
        }
        for (table, col, pairs) in [
            ("class_members", "class_id", class_pairs),
            ("organisation_members", "organisation_id", org_pairs),
        ] {
            let pairs: Vec<(i64, i64)> = pairs.into_iter().collect();
            for chunk in pairs.chunks(800) {
                let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
                    "INSERT OR IGNORE INTO {table} ({col}, student_id, added_at) "
                ));
                qb.push_values(chunk, |mut b, (target, sid)| {
                    b.push_bind(*target).push_bind(*sid).push_bind(ts);
                });
                qb.build().execute(&mut **tx).await?;
            }
        }
        Ok(())
    }

    /// The last batch, then the report's counts and lines; `Err` lists every problem.
    async fn finish(
        mut self,
        tx: &mut sqlx::Transaction<'static, Sqlite>,
        report: &mut ImportReport,
    ) -> Result<IndexMap<Box<str>, Seen>> {
        self.flush(tx).await?;
        if !self.issues.is_empty() {
            return Err(Error::ImportRejected(self.issues));
        }
        for name in &self.new_orgs {
            count(&mut report.organisations, Action::Created);
            report.lines.push(ReportLine {
                action: Action::Created,
                entity: Key::EntOrganisation,
                label: name.clone(),
            });
        }
        for (org, name) in &self.new_classes {
            let org = match org {
                Ref::Existing(id) => self.org_names.get(id).cloned().unwrap_or_default(),
                Ref::New(i) => self.new_orgs[*i].clone(),
            };
            count(&mut report.classes, Action::Created);
            report.lines.push(ReportLine {
                action: Action::Created,
                entity: Key::EntClass,
                label: format!("{org} / {name}"),
            });
        }
        for s in self.students.values() {
            count(&mut report.students, s.action);
        }
        Ok(self.students)
    }
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Rows planned and written per batch: memory stays bounded by one batch.
const BATCH: usize = 500;

/// What is kept of each student of the file (in file order), and nothing more.
#[derive(Debug)]
struct Seen {
    id: Option<i64>,
    existed: bool,
    action: Action,
    code: Option<Box<str>>,
}

/// A students import done: the report (counts, organisations and classes), and the
/// students line by line, to be written out without building one big list.
#[derive(Debug)]
pub struct StudentImport {
    /// Its `lines` hold the organisations and classes created; `codes` are empty.
    pub report: ImportReport,
    students: IndexMap<Box<str>, Seen>,
}

impl StudentImport {
    /// Each student of the file once, in the order of the file.
    pub fn student_lines(&self) -> impl Iterator<Item = (Action, &str)> + '_ {
        self.students.iter().map(|(e, s)| (s.action, &**e))
    }

    /// New students' e-mails and activation codes (none in a preview).
    pub fn codes(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.students
            .iter()
            .filter_map(|(e, s)| s.code.as_deref().map(|c| (&**e, c)))
    }

    /// The whole report, every student in `lines` and every code in `codes`.
    pub fn into_report(self) -> ImportReport {
        let mut report = self.report;
        for (email, s) in self.students {
            if let Some(code) = s.code {
                report.codes.push((email.to_string(), code.into()));
            }
            report.lines.push(ReportLine {
                action: s.action,
                entity: Key::EntStudent,
                label: email.into(),
            });
        }
        report
    }
}

impl Portail {
    /// Imports students (CSV or JSON) held in memory. See [`Portail::import_students_from`].
    pub async fn import_students(
        &self,
        actor: &Actor,
        bytes: &[u8],
        opts: &ImportOptions,
    ) -> Result<ImportReport> {
        self.import_students_from(actor, std::io::Cursor::new(bytes), opts)
            .await
            .map(StudentImport::into_report)
    }

    /// Imports students (CSV or JSON): upsert by e-mail, organisations and classes named
    /// in the file created when missing, one transaction, nothing written on any error.
    ///
    /// Streaming: a first pass reads and checks every row without touching the database
    /// (any problem: all of them are listed, with line and column); the second plans and
    /// writes batch by batch inside one transaction. Memory holds one batch, the
    /// organisations and classes, and per student of the file its e-mail, id and action.
    pub async fn import_students_from<R: Read + Seek + Send>(
        &self,
        actor: &Actor,
        mut src: R,
        opts: &ImportOptions,
    ) -> Result<StudentImport> {
        require_trainer(actor)?;
        let max = self.options().import_max_bytes;
        // Pass 1: every row read and checked, nothing touched.
        {
            let opened = import::open(&mut src, opts.format, Kind::Students, max)
                .map_err(Error::ImportRejected)?;
            let mut records = opened.records;
            let mut checker = StudentChecker::default();
            let mut parse_issues = Vec::new();
            let mut issues = Vec::new();
            while parse_issues.len() < import::MAX_ISSUES {
                match records.next_row() {
                    Err(fatal) => return Err(Error::ImportRejected(vec![fatal])),
                    Ok(None) => break,
                    Ok(Some(Row::Invalid(mut i))) => parse_issues.append(&mut i),
                    Ok(Some(Row::Record(rec))) => {
                        if parse_issues.is_empty() && issues.len() < import::MAX_ISSUES {
                            checker.check(&rec, &mut issues);
                        }
                    }
                }
            }
            if !parse_issues.is_empty() {
                return Err(Error::ImportRejected(parse_issues));
            }
            if !issues.is_empty() {
                return Err(Error::ImportRejected(issues));
            }
        }
        // Pass 2: planned and written batch by batch, in one transaction.
        let opened = import::open(&mut src, opts.format, Kind::Students, max)
            .map_err(Error::ImportRejected)?;
        let mut report = ImportReport {
            dry_run: opts.dry_run,
            unknown_columns: opened.unknown_columns,
            encoding: opened.encoding.to_string(),
            delimiter: opened.delimiter,
            ..Default::default()
        };
        let mut records = opened.records;
        let mut tx = self.import_tx(opts).await?;
        let mut planner = StudentPlanner::load(self, &mut tx, opts).await?;
        loop {
            let rec = match records.next_row() {
                Ok(Some(Row::Record(rec))) => rec,
                Ok(None) => break,
                // The first pass found none of these: the file changed under us.
                Ok(Some(Row::Invalid(_))) | Err(_) => {
                    return Err(Error::Internal("import input changed".into()));
                }
            };
            let row = validate_student(&rec)
                .map_err(|_| Error::Internal("import input changed".into()))?;
            planner.push(&mut tx, row).await?;
            if planner.issues.len() >= import::MAX_ISSUES {
                break;
            }
        }
        let students = planner.finish(&mut tx, &mut report).await?;
        finish(tx, opts).await?;
        Ok(StudentImport { report, students })
    }

    async fn import_tx(&self, opts: &ImportOptions) -> Result<sqlx::Transaction<'static, Sqlite>> {
        Ok(if opts.dry_run {
            self.pool().begin().await?
        } else {
            // Read-then-write: take the write lock first.
            self.pool().begin_with("BEGIN IMMEDIATE").await?
        })
    }

    /// Imports organisations: upsert by name.
    pub async fn import_orgs(
        &self,
        actor: &Actor,
        bytes: &[u8],
        opts: &ImportOptions,
    ) -> Result<ImportReport> {
        self.import_orgs_from(actor, std::io::Cursor::new(bytes), opts)
            .await
    }

    /// The same, from a file (read row by row, records kept: such files are small).
    pub async fn import_orgs_from<R: Read + Seek + Send>(
        &self,
        actor: &Actor,
        src: R,
        opts: &ImportOptions,
    ) -> Result<ImportReport> {
        require_trainer(actor)?;
        let max = self.options().import_max_bytes;
        let parsed =
            import::parse_from(src, opts.format, Kind::Orgs, max).map_err(Error::ImportRejected)?;
        let mut inputs = Vec::new();
        let mut issues = Vec::new();
        for rec in &parsed.records {
            let raw = org_input(rec);
            match raw.validated() {
                Ok(v) => inputs.push(v),
                Err(e) => issues.extend(org_issue(rec, e)),
            }
        }
        if !issues.is_empty() {
            return Err(Error::ImportRejected(issues));
        }
        let mut tx = self.import_tx(opts).await?;
        let report = self.orgs_in_tx(&mut tx, inputs, &parsed, opts).await?;
        finish(tx, opts).await?;
        Ok(report)
    }

    async fn orgs_in_tx(
        &self,
        tx: &mut sqlx::Transaction<'static, Sqlite>,
        inputs: Vec<OrgInput>,
        parsed: &Parsed,
        opts: &ImportOptions,
    ) -> Result<ImportReport> {
        let mut report = ImportReport::start(parsed, opts);
        let ts = now();
        let mut seen = HashSet::new();
        // One SIRET, one organisation: within the file and against the database.
        let mut sirets: HashMap<String, String> = HashMap::new();
        let mut issues = Vec::new();
        for (i, v) in inputs.into_iter().enumerate() {
            if let Some(siret) = &v.siret {
                let taken_in_file = sirets
                    .get(siret)
                    .filter(|other| lower(other) != lower(&v.name))
                    .cloned();
                let holder = match taken_in_file {
                    Some(other) => Some(other),
                    None => {
                        sirets.insert(siret.clone(), v.name.clone());
                        let mine: Option<Option<String>> =
                            sqlx::query_scalar("SELECT siret FROM organisations WHERE name = ?1")
                                .bind(&v.name)
                                .fetch_optional(&mut **tx)
                                .await?;
                        if mine.flatten().as_deref() == Some(siret.as_str()) {
                            None
                        } else {
                            sqlx::query_scalar(
                                "SELECT name FROM organisations WHERE siret = ?1 AND name <> ?2 ORDER BY id LIMIT 1",
                            )
                            .bind(siret)
                            .bind(&v.name)
                            .fetch_optional(&mut **tx)
                            .await?
                        }
                    }
                };
                if let Some(holder) = holder {
                    let rec = parsed.records.get(i).cloned().unwrap_or_default();
                    issues.push(issue_at(
                        &rec,
                        Col::Siret,
                        validate::invalid(Key::FieldSiret, Key::ProbSiretTaken, &holder),
                    ));
                    continue;
                }
            }
            if !issues.is_empty() || !seen.insert(lower(&v.name)) {
                continue;
            }
            let current: Option<OrgFields> =
                sqlx::query_as("SELECT id, siret, address, contact_name, email, phone, website, notes FROM organisations WHERE name = ?1")
                    .bind(&v.name)
                    .fetch_optional(&mut **tx)
                    .await?;
            let action = match current {
                None => {
                    if !opts.dry_run {
                        sqlx::query(
                            "INSERT INTO organisations (name, siret, address, contact_name, email, phone, website, notes, \
                             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                        )
                        .bind(&v.name).bind(&v.siret).bind(&v.address).bind(&v.contact_name)
                        .bind(&v.email).bind(&v.phone).bind(&v.website).bind(&v.notes).bind(ts)
                        .execute(&mut **tx)
                        .await?;
                    }
                    Action::Created
                }
                Some((id, siret, address, contact, email, phone, website, notes)) => {
                    let merged = [
                        (v.siret.clone(), siret),
                        (v.address.clone(), address),
                        (v.contact_name.clone(), contact),
                        (v.email.clone(), email),
                        (v.phone.clone(), phone),
                        (v.website.clone(), website),
                        (v.notes.clone(), notes),
                    ];
                    let changed = merged.iter().any(|(new, old)| new.is_some() && new != old);
                    if changed && !opts.dry_run {
                        let m: Vec<Option<String>> =
                            merged.into_iter().map(|(n, o)| n.or(o)).collect();
                        sqlx::query(
                            "UPDATE organisations SET siret = ?1, address = ?2, contact_name = ?3, email = ?4, phone = ?5, \
                             website = ?6, notes = ?7, updated_at = ?8 WHERE id = ?9",
                        )
                        .bind(&m[0]).bind(&m[1]).bind(&m[2]).bind(&m[3]).bind(&m[4]).bind(&m[5]).bind(&m[6]).bind(ts).bind(id)
                        .execute(&mut **tx)
                        .await?;
                    }
                    if changed {
                        Action::Updated
                    } else {
                        Action::Unchanged
                    }
                }
            };
            count(&mut report.organisations, action);
            report.lines.push(ReportLine {
                action,
                entity: Key::EntOrganisation,
                label: v.name.clone(),
            });
        }
        if !issues.is_empty() {
            return Err(Error::ImportRejected(issues));
        }
        Ok(report)
    }

    /// Imports classes: organisation (created when missing), name, start, end.
    pub async fn import_classes(
        &self,
        actor: &Actor,
        bytes: &[u8],
        opts: &ImportOptions,
    ) -> Result<ImportReport> {
        self.import_classes_from(actor, std::io::Cursor::new(bytes), opts)
            .await
    }

    /// The same, from a file (read row by row, records kept: such files are small).
    pub async fn import_classes_from<R: Read + Seek + Send>(
        &self,
        actor: &Actor,
        src: R,
        opts: &ImportOptions,
    ) -> Result<ImportReport> {
        require_trainer(actor)?;
        let max = self.options().import_max_bytes;
        let parsed = import::parse_from(src, opts.format, Kind::Classes, max)
            .map_err(Error::ImportRejected)?;
        let default_org: Option<String> = match opts.default_org {
            Some(id) => {
                sqlx::query_scalar("SELECT name FROM organisations WHERE id = ?1")
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?
            }
            None => None,
        };
        let mut rows = Vec::new();
        let mut issues = Vec::new();
        for rec in &parsed.records {
            match class_row(rec, default_org.as_deref()) {
                Ok(r) => rows.push(r),
                Err(i) => issues.push(i),
            }
        }
        if !issues.is_empty() {
            return Err(Error::ImportRejected(issues));
        }
        let mut tx = self.import_tx(opts).await?;
        let report = self.classes_in_tx(&mut tx, rows, &parsed, opts).await?;
        finish(tx, opts).await?;
        Ok(report)
    }

    async fn classes_in_tx(
        &self,
        tx: &mut sqlx::Transaction<'static, Sqlite>,
        rows: Vec<ClassRow>,
        parsed: &Parsed,
        opts: &ImportOptions,
    ) -> Result<ImportReport> {
        let mut report = ImportReport::start(parsed, opts);
        let ts = now();
        let mut planned_orgs: HashMap<String, Option<i64>> = HashMap::new();
        let mut seen = HashSet::new();
        for (org, name, start, end) in rows {
            if !seen.insert((lower(&org), lower(&name))) {
                continue;
            }
            let org_id: Option<i64> = match planned_orgs.get(&lower(&org)) {
                Some(id) => *id,
                None => {
                    let found: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM organisations WHERE name = ?1")
                            .bind(&org)
                            .fetch_optional(&mut **tx)
                            .await?;
                    let id = match found {
                        Some(id) => Some(id),
                        None => {
                            count(&mut report.organisations, Action::Created);
                            report.lines.push(ReportLine {
                                action: Action::Created,
                                entity: Key::EntOrganisation,
                                label: org.clone(),
                            });
                            if opts.dry_run {
                                None
                            } else {
                                Some(sqlx::query_scalar("INSERT INTO organisations (name, created_at, updated_at) VALUES (?1, ?2, ?2) RETURNING id")
                                    .bind(&org).bind(ts).fetch_one(&mut **tx).await?)
                            }
                        }
                    };
                    planned_orgs.insert(lower(&org), id);
                    id
                }
            };
            let current: Option<(i64, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> = match org_id {
                Some(o) => sqlx::query_as("SELECT id, start_date, end_date FROM classes WHERE organisation_id = ?1 AND name = ?2")
                    .bind(o).bind(&name).fetch_optional(&mut **tx).await?,
                None => None,
            };
            let action = match current {
                None => {
                    if let (Some(o), false) = (org_id, opts.dry_run) {
                        sqlx::query("INSERT INTO classes (organisation_id, name, start_date, end_date, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)")
                            .bind(o).bind(&name).bind(start).bind(end).bind(ts).execute(&mut **tx).await?;
                    }
                    Action::Created
                }
                Some((id, s0, e0)) => {
                    let ns = start.or(s0);
                    let ne = end.or(e0);
                    if (ns, ne) != (s0, e0) {
                        if !opts.dry_run {
                            sqlx::query("UPDATE classes SET start_date = ?1, end_date = ?2, updated_at = ?3 WHERE id = ?4")
                                .bind(ns).bind(ne).bind(ts).bind(id).execute(&mut **tx).await?;
                        }
                        Action::Updated
                    } else {
                        Action::Unchanged
                    }
                }
            };
            count(&mut report.classes, action);
            report.lines.push(ReportLine {
                action,
                entity: Key::EntClass,
                label: format!("{org} / {name}"),
            });
        }
        Ok(report)
    }
}

/// An organisation's optional fields as stored: id, siret, address, contact, email,
/// phone, website, notes.
type OrgFields = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

type ClassRow = (
    String,
    String,
    Option<chrono::NaiveDate>,
    Option<chrono::NaiveDate>,
);

async fn finish(tx: sqlx::Transaction<'static, Sqlite>, opts: &ImportOptions) -> Result<()> {
    if opts.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(())
}

fn count(c: &mut Counts, a: Action) {
    match a {
        Action::Created => c.created += 1,
        Action::Updated => c.updated += 1,
        Action::Unchanged => c.unchanged += 1,
    }
}

/// An organisation as a record of an import names it.
fn org_input(rec: &Record) -> OrgInput {
    OrgInput {
        name: rec.get(Col::Name).unwrap_or("").to_string(),
        siret: rec.get(Col::Siret).map(Into::into),
        address: rec.get(Col::Address).map(Into::into),
        contact_name: rec.get(Col::Contact).map(Into::into),
        email: rec.get(Col::Email).map(Into::into),
        phone: rec.get(Col::Phone).map(Into::into),
        website: rec.get(Col::Website).map(Into::into),
        notes: rec.get(Col::Notes).map(Into::into),
    }
}

fn field_col(field: Key) -> Col {
    match field {
        Key::FieldSiret => Col::Siret,
        Key::FieldAddress => Col::Address,
        Key::FieldContact => Col::Contact,
        Key::FieldEmail => Col::Email,
        Key::FieldPhone => Col::Phone,
        Key::FieldWebsite => Col::Website,
        Key::FieldNotes => Col::Notes,
        _ => Col::Name,
    }
}

/// A class of an import: its organisation (the record's, else `default_org`), name and
/// dates, validated.
fn class_row(rec: &Record, default_org: Option<&str>) -> std::result::Result<ClassRow, Issue> {
    let org = match rec
        .get(Col::Organisation)
        .map(str::to_string)
        .or_else(|| default_org.map(str::to_string))
    {
        Some(o) => validate::required(Key::FieldOrganisation, &o, MAX_NAME)
            .map_err(|e| issue_at(rec, Col::Organisation, e))?,
        None => {
            return Err(issue_at(
                rec,
                Col::Organisation,
                validate::invalid(Key::FieldOrganisation, Key::ImpClassNeedsOrg, ""),
            ));
        }
    };
    let name = validate::required(Key::FieldName, rec.get(Col::Name).unwrap_or(""), MAX_NAME)
        .map_err(|e| issue_at(rec, Col::Name, e))?;
    let start = validate::date(Key::FieldStart, rec.get(Col::Start))
        .map_err(|e| issue_at(rec, Col::Start, e))?;
    let end =
        validate::date(Key::FieldEnd, rec.get(Col::End)).map_err(|e| issue_at(rec, Col::End, e))?;
    validate::date_range(start, end).map_err(|e| issue_at(rec, Col::End, e))?;
    Ok((org, name, start, end))
}

fn plan_class(
    new_classes: &mut Vec<(Ref, String)>,
    index: &mut HashMap<(Ref, String), usize>,
    org: Ref,
    name: &str,
) -> usize {
    *index.entry((org, lower(name))).or_insert_with(|| {
        new_classes.push((org, name.to_string()));
        new_classes.len() - 1
    })
}

/// Validates one student row; every problem of the row, with line and column.
fn validate_student(rec: &Record) -> std::result::Result<StudentRow, Vec<Issue>> {
    let mut issues = Vec::new();
    let mut check = |col: Col, r: Result<Option<String>>| match r {
        Ok(v) => v,
        Err(e) => {
            issues.push(issue_at(rec, col, e));
            None
        }
    };
    let email = check(
        Col::Email,
        validate::email(Key::FieldEmail, rec.get(Col::Email).unwrap_or("")).map(Some),
    );
    let first_name = check(
        Col::FirstName,
        validate::optional(Key::FieldFirstName, rec.get(Col::FirstName), MAX_NAME),
    );
    let last_name = check(
        Col::LastName,
        validate::optional(Key::FieldLastName, rec.get(Col::LastName), MAX_NAME),
    );
    let phone = check(Col::Phone, validate::phone(rec.get(Col::Phone)));
    let notes = check(
        Col::Notes,
        validate::optional_text(Key::FieldNotes, rec.get(Col::Notes), MAX_NOTES),
    );
    let org = check(
        Col::Organisation,
        validate::optional(Key::FieldOrganisation, rec.get(Col::Organisation), MAX_NAME),
    );
    // The class column, then cohort1, cohort2… (Moodle), each one a class of the student.
    let mut class_cols: Vec<Col> = rec
        .values
        .keys()
        .copied()
        .filter(|c| matches!(c, Col::Cohort(_)))
        .collect();
    class_cols.sort_by_key(|c| match c {
        Col::Cohort(n) => *n,
        _ => 0,
    });
    class_cols.insert(0, Col::Class);
    let mut classes: Vec<(String, String)> = Vec::new();
    for col in class_cols {
        if let Some(name) = check(
            col,
            validate::optional(Key::FieldName, rec.get(col), MAX_NAME),
        ) && !classes.iter().any(|(c, _)| lower(c) == lower(&name))
        {
            classes.push((name, rec.name(col)));
        }
    }
    match email {
        Some(email) if issues.is_empty() => Ok(StudentRow {
            location: rec.location.unwrap_or(Location::File),
            email,
            first_name,
            last_name,
            phone,
            notes,
            org,
            classes,
        }),
        _ => Err(issues),
    }
}

/// Checks student rows one by one, remembering per e-mail only what a repeated row must
/// agree with: the same student on several rows (one per class) is fine, contradicting
/// first name, last name or phone is not.
#[derive(Default)]
struct StudentChecker {
    /// Per e-mail: hashes of the first row's first name, last name and phone.
    first_seen: HashMap<Box<str>, [Option<u64>; 3]>,
}

impl StudentChecker {
    fn check(&mut self, rec: &Record, issues: &mut Vec<Issue>) -> Option<StudentRow> {
        let row = match validate_student(rec) {
            Ok(row) => row,
            Err(mut i) => {
                issues.append(&mut i);
                return None;
            }
        };
        let hash = |v: &Option<String>| {
            v.as_ref().map(|v| {
                use std::hash::{BuildHasher, BuildHasherDefault};
                BuildHasherDefault::<std::hash::DefaultHasher>::default().hash_one(v)
            })
        };
        let values = [
            hash(&row.first_name),
            hash(&row.last_name),
            hash(&row.phone),
        ];
        match self.first_seen.get(row.email.as_str()) {
            Some(first) => {
                let clash = first
                    .iter()
                    .zip(&values)
                    .any(|(a, b)| a.is_some() && b.is_some() && a != b);
                if clash {
                    issues.push(Issue {
                        location: row.location,
                        column: Some(rec.name(Col::Email)),
                        problem: Key::ImpDuplicateInFile,
                        value: row.email.clone(),
                    });
                    return None;
                }
            }
            None => {
                self.first_seen.insert(row.email.as_str().into(), values);
            }
        }
        Some(row)
    }
}

/// Validates every student row; all problems are collected, with line and column.
fn validate_students(parsed: &Parsed) -> Result<Vec<StudentRow>> {
    let mut checker = StudentChecker::default();
    let mut issues = Vec::new();
    let rows: Vec<StudentRow> = parsed
        .records
        .iter()
        .filter_map(|rec| checker.check(rec, &mut issues))
        .collect();
    if !issues.is_empty() {
        return Err(Error::ImportRejected(issues));
    }
    Ok(rows)
}

impl Portail {
    /// `import all` from a file: the JSON document is read whole (within the size limit).
    pub async fn import_all_from<R: Read + Send>(
        &self,
        actor: &Actor,
        src: R,
        opts: &ImportOptions,
    ) -> Result<ImportReport> {
        require_trainer(actor)?;
        let max = self.options().import_max_bytes;
        let mut bytes = Vec::new();
        src.take(max + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Internal(e.to_string()))?;
        self.import_all(actor, &bytes, opts).await
    }

    /// `import all`: one JSON document nesting organisations → classes → students, in one
    /// transaction.
    pub async fn import_all(
        &self,
        actor: &Actor,
        bytes: &[u8],
        opts: &ImportOptions,
    ) -> Result<ImportReport> {
        require_trainer(actor)?;
        let max = self.options().import_max_bytes;
        if bytes.len() as u64 > max {
            return Err(Error::ImportRejected(vec![Issue::file(
                Key::ImpTooLarge,
                import::too_large_value(bytes.len() as u64, max),
            )]));
        }
        let (text, encoding) = import::decode(bytes);
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            Error::ImportRejected(vec![Issue {
                location: Location::Line(e.line() as u64),
                column: None,
                problem: Key::ImpBadJson,
                value: e.to_string(),
            }])
        })?;
        // Two layouts, mixed at will: nested (organisations → classes → students) and flat
        // (`organisations`, `classes`, `students` side by side, classes and students
        // naming their organisation and class). Nothing is dropped: an unknown key at the
        // top refuses the file, one inside an item is reported with the ignored columns.
        const LISTS: [&str; 3] = ["organisations", "classes", "students"];
        let Some(top) = value.as_object().filter(|o| !o.is_empty()) else {
            return Err(Error::ImportRejected(vec![Issue::file(
                Key::ImpBadJson,
                "{\"organisations\": [...], \"classes\": [...], \"students\": [...]}",
            )]));
        };
        let mut issues = Vec::new();
        for (k, v) in top {
            if !LISTS.contains(&k.as_str()) {
                issues.push(Issue::file(Key::ImpUnknownKey, k.clone()));
            } else if !v.is_array() {
                issues.push(Issue::file(Key::ImpBadJson, format!("\"{k}\": [...]")));
            }
        }
        if !issues.is_empty() {
            return Err(Error::ImportRejected(issues));
        }
        let list = |k: &str| -> Vec<serde_json::Value> {
            top.get(k)
                .and_then(|v| v.as_array())
                .cloned()
                .unwrap_or_default()
        };
        let orgs = list("organisations");
        let mut class_items: Vec<serde_json::Value> = Vec::new();
        let mut students: Vec<serde_json::Value> = Vec::new();
        for org in &orgs {
            let name = org
                .get("name")
                .or_else(|| org.get("nom"))
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .trim()
                .to_string();
            let tag = |mut s: serde_json::Value, class: Option<&str>| {
                if let Some(o) = s.as_object_mut() {
                    o.insert("organisation".into(), name.clone().into());
                    if let Some(c) = class {
                        o.insert("class".into(), c.into());
                    }
                }
                s
            };
            for class in org
                .get("classes")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                let cname = class
                    .get("name")
                    .or_else(|| class.get("nom"))
                    .and_then(|v| v.as_str())
                    .unwrap_or("");
                for s in class
                    .get("students")
                    .and_then(|v| v.as_array())
                    .into_iter()
                    .flatten()
                {
                    students.push(tag(s.clone(), Some(cname)));
                }
                class_items.push(tag(class.clone(), None));
            }
            for s in org
                .get("students")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                students.push(tag(s.clone(), None));
            }
        }
        class_items.extend(list("classes"));
        students.extend(list("students"));
        // A student's `classes: [...]`: one record per class (a student is on several
        // rows in a CSV the same way).
        let students: Vec<serde_json::Value> = students
            .into_iter()
            .flat_map(|s| {
                let classes: Option<Vec<String>> =
                    s.get("classes").and_then(|v| v.as_array()).map(|a| {
                        a.iter()
                            .filter_map(|c| c.as_str().map(str::to_string))
                            .collect()
                    });
                match classes {
                    Some(cs) if !cs.is_empty() => cs
                        .into_iter()
                        .map(|c| {
                            let mut s = s.clone();
                            if let Some(o) = s.as_object_mut() {
                                o.remove("classes");
                                o.insert("class".into(), c.into());
                            }
                            s
                        })
                        .collect::<Vec<_>>(),
                    _ => vec![s],
                }
            })
            .collect();
        let mut unknown = Vec::new();
        let org_parsed = import::json_records(orgs, Kind::Orgs, &mut unknown);
        let class_parsed = import::json_records(class_items, Kind::Classes, &mut unknown);
        let student_parsed = import::json_records(students, Kind::Students, &mut unknown);
        let (org_parsed, class_parsed, student_parsed) =
            match (org_parsed, class_parsed, student_parsed) {
                (Ok(a), Ok(b), Ok(c)) => (a, b, c),
                (a, b, c) => {
                    issues.extend(a.err().unwrap_or_default());
                    issues.extend(b.err().unwrap_or_default());
                    issues.extend(c.err().unwrap_or_default());
                    return Err(Error::ImportRejected(issues));
                }
            };
        let mut seen_unknown = HashSet::new();
        unknown.retain(|k| seen_unknown.insert(k.clone()));
        let default_org: Option<String> = match opts.default_org {
            Some(id) => {
                sqlx::query_scalar("SELECT name FROM organisations WHERE id = ?1")
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await?
            }
            None => None,
        };
        let mut class_rows: Vec<ClassRow> = Vec::new();
        for rec in &class_parsed.records {
            match class_row(rec, default_org.as_deref()) {
                Ok(r) => class_rows.push(r),
                Err(i) => issues.push(i),
            }
        }
        let mut org_inputs = Vec::new();
        for rec in &org_parsed.records {
            let raw = org_input(rec);
            match raw.validated() {
                Ok(v) => org_inputs.push(v),
                Err(e) => issues.extend(org_issue(rec, e)),
            }
        }
        let student_rows = match validate_students(&student_parsed) {
            Ok(r) => r,
            Err(Error::ImportRejected(i)) => {
                issues.extend(i);
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        if !issues.is_empty() {
            return Err(Error::ImportRejected(issues));
        }
        let mut tx = self.import_tx(opts).await?;
        let a = self
            .orgs_in_tx(&mut tx, org_inputs, &org_parsed, opts)
            .await?;
        let b = self
            .classes_in_tx(&mut tx, class_rows, &org_parsed, opts)
            .await?;
        let mut planner = StudentPlanner::load(self, &mut tx, opts).await?;
        for row in student_rows {
            planner.push(&mut tx, row).await?;
        }
        let mut report = ImportReport::start(&student_parsed, opts);
        let students = planner.finish(&mut tx, &mut report).await?;
        let c = StudentImport { report, students }.into_report();
        finish(tx, opts).await?;
        // Merge: an organisation or class planned by several steps is reported once.
        let mut report = ImportReport {
            dry_run: opts.dry_run,
            unknown_columns: unknown,
            encoding: encoding.to_string(),
            codes: c.codes,
            ..Default::default()
        };
        let mut seen = HashSet::new();
        for line in a.lines.into_iter().chain(b.lines).chain(c.lines) {
            if !seen.insert((line.entity, line.label.to_lowercase())) {
                continue;
            }
            let counts = match line.entity {
                Key::EntOrganisation => &mut report.organisations,
                Key::EntClass => &mut report.classes,
                _ => &mut report.students,
            };
            count(counts, line.action);
            report.lines.push(line);
        }
        Ok(report)
    }
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Students,
    Orgs,
    Classes,
    Participants,
    Progress,
    /// One quiz's results per student (needs `quiz`).
    QuizResults,
}

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    pub org: Option<i64>,
    pub class: Option<i64>,
    pub course: Option<i64>,
    pub quiz: Option<i64>,
    pub json: bool,
    /// What French Excel opens cleanly: `;`, UTF-8 BOM, CRLF.
    pub excel: bool,
}

/// Protects a cell against formula injection in spreadsheets.
pub fn escape_cell(v: &str) -> String {
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}")
    } else {
        v.to_string()
    }
}

fn csv_out(headers: &[&str], rows: &[Vec<String>], excel: bool) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .terminator(if excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    let err = |e: csv::Error| Error::Internal(e.to_string());
    w.write_record(headers).map_err(err)?;
    for r in rows {
        // Stored text may predate today's input rules: no control reaches the file (a
        // newline inside a cell stays, quoted, as the import reads it back).
        w.write_record(
            r.iter()
                .map(|c| escape_cell(&crate::sanitize::multiline(c))),
        )
        .map_err(err)?;
    }
    let mut out = w.into_inner().map_err(|e| Error::Internal(e.to_string()))?;
    if excel {
        out.splice(0..0, *b"\xef\xbb\xbf");
    }
    Ok(out)
}

fn json_out<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    let mut s = crate::sanitize::json_pretty(v).map_err(|e| Error::Internal(e.to_string()))?;
    s.push('\n');
    Ok(s.into_bytes())
}

/// The quiz scores of one student in one cell: `Titre 80 % ✓; Autre —`.
fn quiz_cell(scores: &[crate::quiz::QuizScore]) -> String {
    scores
        .iter()
        .map(crate::quiz::QuizScore::brief)
        .collect::<Vec<_>>()
        .join("; ")
}

fn o(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

impl Portail {
    /// Exports as CSV (UTF-8, or Excel-FR) or JSON. The students export re-imports as
    /// "0 created, 0 updated".
    pub async fn export(
        &self,
        actor: &Actor,
        kind: ExportKind,
        opts: &ExportOptions,
    ) -> Result<Vec<u8>> {
        require_trainer(actor)?;
        match kind {
            ExportKind::Students => {
                let students = self.student_list(actor, opts.org, opts.class).await?;
                if opts.json {
                    return json_out(&students);
                }
                let mut rows = Vec::new();
                for s in &students {
                    let base = |org: String, class: String| {
                        vec![
                            s.email.clone(),
                            s.first_name.clone(),
                            s.last_name.clone(),
                            o(&s.phone),
                            org,
                            class,
                            o(&s.notes),
                        ]
                    };
                    // One row per class ("Organisme / Classe"), plus organisations without class.
                    let mut orgs_done = HashSet::new();
                    for c in &s.classes {
                        let (org, class) = c.name.split_once(" / ").unwrap_or(("", &c.name));
                        orgs_done.insert(org.to_string());
                        rows.push(base(org.to_string(), class.to_string()));
                    }
                    for org in &s.organisations {
                        if !orgs_done.contains(&org.name) {
                            rows.push(base(org.name.clone(), String::new()));
                        }
                    }
                    if s.classes.is_empty() && s.organisations.is_empty() {
                        rows.push(base(String::new(), String::new()));
                    }
                }
                csv_out(
                    &[
                        "email",
                        "prénom",
                        "nom",
                        "téléphone",
                        "organisme",
                        "classe",
                        "notes",
                    ],
                    &rows,
                    opts.excel,
                )
            }
            ExportKind::Orgs => {
                let orgs = self.org_list(actor).await?;
                if opts.json {
                    return json_out(&orgs);
                }
                let rows: Vec<Vec<String>> = orgs
                    .iter()
                    .map(|g| {
                        vec![
                            g.name.clone(),
                            o(&g.siret),
                            o(&g.address),
                            o(&g.contact_name),
                            o(&g.email),
                            o(&g.phone),
                            o(&g.website),
                            o(&g.notes),
                        ]
                    })
                    .collect();
                csv_out(
                    &[
                        "nom",
                        "siret",
                        "adresse",
                        "contact",
                        "email",
                        "téléphone",
                        "site web",
                        "notes",
                    ],
                    &rows,
                    opts.excel,
                )
            }
            ExportKind::Classes => {
                let classes = self.class_list(actor, opts.org).await?;
                if opts.json {
                    return json_out(&classes);
                }
                let d =
                    |x: Option<chrono::NaiveDate>| x.map(crate::present::date).unwrap_or_default();
                let rows: Vec<Vec<String>> = classes
                    .iter()
                    .map(|c| {
                        vec![
                            c.organisation_name.clone(),
                            c.name.clone(),
                            d(c.start_date),
                            d(c.end_date),
                        ]
                    })
                    .collect();
                csv_out(&["organisme", "nom", "début", "fin"], &rows, opts.excel)
            }
            ExportKind::Participants => {
                let course = opts.course.ok_or(Error::Invalid(Key::ExpNeedsCourse))?;
                let list = self.course_participants(actor, course).await?;
                if opts.json {
                    return json_out(&list);
                }
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|p| {
                        vec![
                            p.email.clone(),
                            p.first_name.clone(),
                            p.last_name.clone(),
                            p.via.clone(),
                            format!("{:?}", p.status).to_lowercase(),
                            p.progress_percent.to_string(),
                            p.last_activity
                                .map(|d| self.local_time(d))
                                .unwrap_or_default(),
                            quiz_cell(&p.quiz_scores),
                        ]
                    })
                    .collect();
                csv_out(
                    &[
                        "email",
                        "prénom",
                        "nom",
                        "via",
                        "statut",
                        "progression",
                        "dernière activité",
                        "quiz",
                    ],
                    &rows,
                    opts.excel,
                )
            }
            ExportKind::Progress => {
                let list = self.progress(actor, opts.course, opts.class, None).await?;
                if opts.json {
                    return json_out(&list);
                }
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|p| {
                        vec![
                            p.email.clone(),
                            p.first_name.clone(),
                            p.last_name.clone(),
                            p.course_title.clone(),
                            p.completed_lessons.to_string(),
                            p.total_lessons.to_string(),
                            p.progress_percent.to_string(),
                            p.last_activity
                                .map(|d| self.local_time(d))
                                .unwrap_or_default(),
                            quiz_cell(&p.quiz_scores),
                        ]
                    })
                    .collect();
                csv_out(
                    &[
                        "email",
                        "prénom",
                        "nom",
                        "cours",
                        "leçons terminées",
                        "leçons",
                        "progression",
                        "dernière activité",
                        "quiz",
                    ],
                    &rows,
                    opts.excel,
                )
            }
            ExportKind::QuizResults => {
                let quiz = opts.quiz.ok_or(Error::Invalid(Key::ExpNeedsQuiz))?;
                let res = self.quiz_results(actor, quiz).await?;
                if opts.json {
                    return json_out(&res);
                }
                let pct = |p: Option<f64>| p.map(|p| p.to_string()).unwrap_or_default();
                let rows: Vec<Vec<String>> = res
                    .students
                    .iter()
                    .map(|s| {
                        vec![
                            s.email.clone(),
                            s.name.clone(),
                            res.quiz.settings.title.clone(),
                            res.quiz.settings.kind.code().to_string(),
                            s.attempts.to_string(),
                            pct(s.best_percent),
                            pct(s.last_percent),
                            s.last_submitted_at
                                .map(|d| self.local_time(d))
                                .unwrap_or_default(),
                            if s.passed { "oui" } else { "non" }.to_string(),
                        ]
                    })
                    .collect();
                csv_out(
                    &[
                        "email",
                        "nom",
                        "quiz",
                        "type",
                        "tentatives",
                        "meilleur score (%)",
                        "dernier score (%)",
                        "dernière remise",
                        "réussi",
                    ],
                    &rows,
                    opts.excel,
                )
            }
        }
    }
}
