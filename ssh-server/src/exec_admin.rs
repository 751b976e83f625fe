//! Trainer administration commands (`org`, `class`, `student`, `course`, `lesson`,
//! `resource`): thin calls into the same services as the TUI, text or `--json` output.

use clap::{ArgGroup, Subcommand};
use portail::i18n::{Key, Lang, t, tf};
use portail::present::{self, Label};
use portail::services::classes::ClassInput;
use portail::services::courses::{CourseInput, CourseStatus};
use portail::services::enrolment::{Target, VIA_INDIVIDUAL};
use portail::services::orgs::OrgInput;
use portail::services::students::StudentInput;
use portail::{Actor, Error, Portail, sanitize};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::exec::Stdin;

/// Most bytes of a lesson read from stdin.
pub const MAX_LESSON_STDIN: usize = 256 * 1024;

#[derive(Debug, Subcommand)]
pub enum OrgCmd {
    /// Create an organisation.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        siret: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        address: Option<String>,
        #[arg(long)]
        website: Option<String>,
        #[arg(long)]
        contact: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// List organisations.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one organisation (id or name).
    Show {
        org: String,
        #[arg(long)]
        json: bool,
    },
    /// Set the organisation's logo from stdin.
    Logo { org: String },
    /// A one-time upload link for the logo (for a phone or a browser).
    LogoLink { org: String },
    /// Delete an organisation with its classes (asks for --yes).
    Rm {
        org: String,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClassCmd {
    /// Create a class in an organisation.
    Add {
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
    },
    /// List classes.
    List {
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add or remove class members.
    Members {
        #[command(subcommand)]
        command: MembersCmd,
    },
}

#[derive(Debug, Subcommand)]
pub enum MembersCmd {
    Add {
        class: String,
        #[arg(required = true)]
        emails: Vec<String>,
    },
    Rm {
        class: String,
        #[arg(required = true)]
        emails: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum StudentCmd {
    /// Create a student (prints the activation code).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        first_name: Option<String>,
        #[arg(long)]
        last_name: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long = "class")]
        classes: Vec<String>,
    },
    List {
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        class: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Show {
        email: String,
        #[arg(long)]
        json: bool,
    },
    Disable {
        email: String,
    },
    Enable {
        email: String,
    },
    /// Issue a new activation code (printed).
    ResetCode {
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CourseCmd {
    Add {
        #[arg(long)]
        title: String,
        #[arg(long)]
        description: Option<String>,
        #[arg(long = "objective")]
        objectives: Vec<String>,
        #[arg(long)]
        duration_hours: Option<String>,
        #[arg(long)]
        level: Option<String>,
        #[arg(long)]
        published: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    Show {
        course: String,
        #[arg(long)]
        json: bool,
    },
    #[command(group(ArgGroup::new("target").required(true).multiple(true).args(["classes", "students"])))]
    Assign {
        course: String,
        #[arg(long = "class")]
        classes: Vec<String>,
        #[arg(long = "student")]
        students: Vec<String>,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
    },
    #[command(group(ArgGroup::new("target").required(true).multiple(true).args(["classes", "students"])))]
    Unassign {
        course: String,
        #[arg(long = "class")]
        classes: Vec<String>,
        #[arg(long = "student")]
        students: Vec<String>,
    },
    Participants {
        course: String,
        #[arg(long)]
        json: bool,
    },
    /// Copy a course with its lessons and resources (as a draft).
    Duplicate { course: String },
    /// Make a course visible to the students it is assigned to.
    Publish { course: String },
    /// Back to draft (hidden from students).
    Unpublish { course: String },
}

#[derive(Debug, Subcommand)]
pub enum LessonCmd {
    /// Append a lesson; its Markdown text is read from stdin.
    Add {
        course: String,
        #[arg(long)]
        title: String,
    },
    /// (Student) mark a lesson done, or not done with --undo.
    Done {
        course: String,
        lesson: String,
        #[arg(long)]
        undo: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ResourceCmd {
    /// Add a link to a course.
    Add {
        course: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        url: String,
    },
    /// Attach a file (read from stdin) to a course or one of its lessons.
    Upload {
        course: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        lesson: Option<String>,
        /// File name shown on download (default: the title).
        #[arg(long)]
        name: Option<String>,
    },
    /// A one-time link to upload a course file from a browser (30 minutes).
    UploadLink {
        course: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        lesson: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MessageCmd {
    /// Send a message read from stdin: to a student (e-mail) or a class (trainer), or
    /// `--to trainer` (student).
    #[command(group(ArgGroup::new("dest").required(true).args(["to", "class"])))]
    Send {
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        class: Option<String>,
    },
    /// Your conversations.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One conversation (its number from `message list`); marks it read.
    Show {
        thread: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SecurityCmd {
    /// Failed and refused logins, newest first.
    Log {
        #[arg(long)]
        json: bool,
        /// How many rows (1 to 1000) [default: 100]
        #[arg(long)]
        limit: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AvatarCmd {
    /// Set your profile photo from stdin.
    Set,
    /// A one-time upload link for your photo (for a phone or a browser).
    Link,
}

/// Shared context of one command.
pub struct Ctx<'a> {
    pub portail: &'a Portail,
    pub actor: &'a Actor,
    pub lang: Lang,
}

/// Why a command failed: a core error (translated by the caller) or a ready message.
pub enum Fail {
    Core(Error),
    Message(String),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Core(e)
    }
}

pub type Out = Result<String, Fail>;

/// Every `--json` output: indented, with C0, C1 and bidi characters escaped as `\uXXXX`
/// (see [`sanitize::json_pretty`]).
pub(crate) fn json<T: Serialize>(value: &T) -> Out {
    sanitize::json_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Fail::Core(Error::Internal(e.to_string())))
}

/// One-line JSON, escaped as [`json`] is.
pub(crate) fn json_line<T: Serialize>(value: &T) -> serde_json::Result<String> {
    sanitize::json_compact(value).map(|s| s + "\n")
}

/// A text table: columns padded by display width, every cell sanitized.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let clean: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| sanitize::line(c).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in &clean {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let line = |cells: &[&str]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(widths[i] - c.width() + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(headers);
    for row in &clean {
        out.push_str(&line(&row.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    out
}

/// "Label :  value" lines, values sanitized.
fn kv(lang: Lang, rows: &[(Key, String)]) -> String {
    let width = rows
        .iter()
        .map(|(k, _)| t(lang, *k).width())
        .max()
        .unwrap_or(0)
        + 3;
    rows.iter()
        .map(|(k, v)| {
            let label = format!("{} :", t(lang, *k));
            format!(
                "{label}{}{}\n",
                " ".repeat(width - label.width()),
                sanitize::line(v)
            )
        })
        .collect()
}

/// "First Last", or the e-mail when the name is empty.
fn person(first: &str, last: &str, email: &str) -> String {
    let name = format!("{first} {last}");
    let name = name.trim();
    if name.is_empty() {
        email.to_string()
    } else {
        name.to_string()
    }
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

pub(crate) fn or_dash<T: ToString>(d: Option<T>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

/// A student's quiz scores in one cell: `Titre 80 % ✓, Autre —`, or `—`.
fn quiz_scores(scores: &[portail::quiz::QuizScore]) -> String {
    if scores.is_empty() {
        return "—".into();
    }
    scores
        .iter()
        .map(portail::quiz::QuizScore::brief)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What `export` is narrowed to, as the user typed it.
pub struct ExportRefs {
    pub quiz: Option<String>,
    pub org: Option<String>,
    pub class: Option<String>,
    pub course: Option<String>,
}

pub(crate) fn line_out(s: String) -> Out {
    Ok(s + "\n")
}

impl Ctx<'_> {
    /// Resolves an optional reference (`--org`, `--class`, `--course`, `--student`).
    async fn opt_ref(&self, what: Key, r: Option<String>) -> Result<Option<i64>, Error> {
        let Some(r) = r else { return Ok(None) };
        let (p, a) = (self.portail, self.actor);
        Ok(Some(match what {
            Key::EntOrganisation => p.org_resolve(a, &r).await?,
            Key::EntClass => p.class_resolve(a, &r).await?,
            Key::EntCourse => p.course_resolve(a, &r).await?,
            _ => p.student_resolve(a, &r).await?,
        }))
    }

    async fn opt_org(&self, r: Option<String>) -> Result<Option<i64>, Error> {
        self.opt_ref(Key::EntOrganisation, r).await
    }

    async fn opt_class(&self, r: Option<String>) -> Result<Option<i64>, Error> {
        self.opt_ref(Key::EntClass, r).await
    }

    async fn opt_course(&self, r: Option<String>) -> Result<Option<i64>, Error> {
        self.opt_ref(Key::EntCourse, r).await
    }

    async fn opt_student(&self, r: Option<String>) -> Result<Option<i64>, Error> {
        self.opt_ref(Key::EntStudent, r).await
    }

    fn t(&self, k: Key) -> &'static str {
        t(self.lang, k)
    }

    /// A moment in the configured time zone, to the minute ([`present::minute`]).
    pub(crate) fn minute(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        present::minute(self.portail.options().time_zone, at)
    }

    fn tf(&self, k: Key, args: &[&str]) -> String {
        tf(self.lang, k, args)
    }

    fn none_or(&self, rows: &[Vec<String>], headers: &[Key]) -> String {
        if rows.is_empty() {
            return format!("{}\n", self.t(Key::OutNone));
        }
        let h: Vec<&str> = headers.iter().map(|k| self.t(*k)).collect();
        table(&h, rows)
    }

    /// Students by e-mail (or id), all resolved before anything is written.
    async fn students(&self, refs: &[String]) -> Result<Vec<i64>, Error> {
        let mut ids = Vec::with_capacity(refs.len());
        for r in refs {
            ids.push(self.portail.student_resolve(self.actor, r).await?);
        }
        Ok(ids)
    }

    async fn classes(&self, refs: &[String]) -> Result<Vec<i64>, Error> {
        let mut ids = Vec::with_capacity(refs.len());
        for r in refs {
            ids.push(self.portail.class_resolve(self.actor, r).await?);
        }
        Ok(ids)
    }

    pub async fn org(&self, cmd: OrgCmd) -> Out {
        let p = self.portail;
        match cmd {
            OrgCmd::Add {
                name,
                siret,
                email,
                phone,
                address,
                website,
                contact,
                notes,
            } => {
                let input = OrgInput {
                    name,
                    siret,
                    address,
                    contact_name: contact,
                    email,
                    phone,
                    website,
                    notes,
                };
                let o = p.org_create(self.actor, &input).await?;
                line_out(self.tf(
                    Key::OutOrgCreated,
                    &[&sanitize::line(&o.name), &o.id.to_string()],
                ))
            }
            OrgCmd::List { json: true } => json(&p.org_list(self.actor).await?),
            OrgCmd::List { json: false } => {
                let rows: Vec<Vec<String>> = p
                    .org_list(self.actor)
                    .await?
                    .iter()
                    .map(|o| {
                        vec![
                            o.id.to_string(),
                            o.name.clone(),
                            opt(&o.siret),
                            o.class_count.to_string(),
                            o.student_count.to_string(),
                        ]
                    })
                    .collect();
                Ok(self.none_or(
                    &rows,
                    &[
                        Key::OutId,
                        Key::FieldName,
                        Key::FieldSiret,
                        Key::OutClasses,
                        Key::OutStudents,
                    ],
                ))
            }
            OrgCmd::Show { org, json: as_json } => {
                let id = p.org_resolve(self.actor, &org).await?;
                let o = p.org_get(self.actor, id).await?;
                if as_json {
                    return json(&o);
                }
                let logo = if o.has_logo {
                    Key::OutLogoSet
                } else {
                    Key::OutLogoAbsent
                };
                Ok(kv(
                    self.lang,
                    &[
                        (Key::OutId, o.id.to_string()),
                        (Key::FieldName, o.name.clone()),
                        (Key::FieldSiret, opt(&o.siret)),
                        (Key::FieldAddress, opt(&o.address)),
                        (Key::FieldContact, opt(&o.contact_name)),
                        (Key::FieldEmail, opt(&o.email)),
                        (Key::FieldPhone, opt(&o.phone)),
                        (Key::FieldWebsite, opt(&o.website)),
                        (Key::OutLogo, self.t(logo).into()),
                        (Key::OutClasses, o.class_count.to_string()),
                        (Key::OutStudents, o.student_count.to_string()),
                        (Key::FieldNotes, opt(&o.notes)),
                    ],
                ))
            }
            OrgCmd::Logo { .. } | OrgCmd::LogoLink { .. } => {
                unreachable!("handled by Ctx::org_logo")
            }
            OrgCmd::Rm { org, yes } => {
                let id = p.org_resolve(self.actor, &org).await?;
                let name = sanitize::line(&p.org_get(self.actor, id).await?.name).into_owned();
                let i = if yes {
                    p.org_delete(self.actor, id).await?
                } else {
                    p.org_deletion_impact(self.actor, id).await?
                };
                let counts = [
                    i.classes.to_string(),
                    i.class_memberships.to_string(),
                    i.assignments.to_string(),
                ];
                let args = [name.as_str(), &counts[0], &counts[1], &counts[2]];
                if yes {
                    line_out(self.tf(Key::OutOrgDeleted, &args))
                } else {
                    Err(Fail::Message(self.tf(Key::OutOrgDeleteConfirm, &args)))
                }
            }
        }
    }

    pub async fn class(&self, cmd: ClassCmd) -> Out {
        let p = self.portail;
        match cmd {
            ClassCmd::Add {
                org,
                name,
                start,
                end,
            } => {
                let organisation_id = p.org_resolve(self.actor, &org).await?;
                let c = p
                    .class_create(
                        self.actor,
                        &ClassInput {
                            organisation_id,
                            name,
                            start_date: start,
                            end_date: end,
                        },
                    )
                    .await?;
                line_out(self.tf(
                    Key::OutClassCreated,
                    &[
                        &sanitize::line(&c.organisation_name),
                        &sanitize::line(&c.name),
                        &c.id.to_string(),
                    ],
                ))
            }
            ClassCmd::List { org, json: as_json } => {
                let org = self.opt_org(org).await?;
                let classes = p.class_list(self.actor, org).await?;
                if as_json {
                    return json(&classes);
                }
                let rows: Vec<Vec<String>> = classes
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.to_string(),
                            c.organisation_name.clone(),
                            c.name.clone(),
                            or_dash(c.start_date),
                            or_dash(c.end_date),
                            c.member_count.to_string(),
                        ]
                    })
                    .collect();
                Ok(self.none_or(
                    &rows,
                    &[
                        Key::OutId,
                        Key::FieldOrganisation,
                        Key::FieldName,
                        Key::FieldStart,
                        Key::FieldEnd,
                        Key::OutMembers,
                    ],
                ))
            }
            ClassCmd::Members { command } => {
                let (class, emails, add) = match command {
                    MembersCmd::Add { class, emails } => (class, emails, true),
                    MembersCmd::Rm { class, emails } => (class, emails, false),
                };
                let class_id = p.class_resolve(self.actor, &class).await?;
                let name =
                    sanitize::line(&p.class_get(self.actor, class_id).await?.name).into_owned();
                let ids = self.students(&emails).await?;
                if add {
                    let n = p.class_add_members(self.actor, class_id, &ids).await?;
                    line_out(self.tf(Key::OutMembersAdded, &[&n.to_string(), &name]))
                } else {
                    let n = p.class_remove_members(self.actor, class_id, &ids).await?;
                    line_out(self.tf(Key::OutMembersRemoved, &[&n.to_string(), &name]))
                }
            }
        }
    }

    pub async fn student(&self, cmd: StudentCmd) -> Out {
        let p = self.portail;
        match cmd {
            StudentCmd::Add {
                email,
                first_name,
                last_name,
                phone,
                classes,
            } => {
                let class_ids = self.classes(&classes).await?;
                let input = StudentInput {
                    email,
                    first_name: first_name.unwrap_or_default(),
                    last_name: last_name.unwrap_or_default(),
                    phone,
                    notes: None,
                };
                let (s, code) = p
                    .student_create(self.actor, &input, &class_ids, &[])
                    .await?;
                let days = p.options().activation_ttl.num_days().to_string();
                Ok(format!(
                    "{}\n{}\n",
                    self.tf(
                        Key::OutStudentCreated,
                        &[&sanitize::line(&s.email), &s.id.to_string()]
                    ),
                    self.tf(Key::OutActivationCode, &[&code, &days])
                ))
            }
            StudentCmd::List {
                org,
                class,
                json: as_json,
            } => {
                let org = self.opt_org(org).await?;
                let class = self.opt_class(class).await?;
                let students = p.student_list(self.actor, org, class).await?;
                if as_json {
                    return json(&students);
                }
                let rows: Vec<Vec<String>> = students
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.to_string(),
                            s.display_name(),
                            s.email.clone(),
                            self.t(s.status.label()).to_string(),
                            s.classes
                                .iter()
                                .map(|c| c.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        ]
                    })
                    .collect();
                Ok(self.none_or(
                    &rows,
                    &[
                        Key::OutId,
                        Key::FieldName,
                        Key::FieldEmail,
                        Key::FieldStatus,
                        Key::OutClasses,
                    ],
                ))
            }
            StudentCmd::Show {
                email,
                json: as_json,
            } => {
                let id = p.student_resolve(self.actor, &email).await?;
                let s = p.student_get(self.actor, id).await?;
                if as_json {
                    return json(&s);
                }
                let names = |v: &[portail::services::students::NamedRef]| {
                    if v.is_empty() {
                        "—".to_string()
                    } else {
                        v.iter()
                            .map(|r| r.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                };
                Ok(kv(
                    self.lang,
                    &[
                        (Key::OutId, s.id.to_string()),
                        (Key::FieldEmail, s.email.clone()),
                        (Key::FieldFirstName, s.first_name.clone()),
                        (Key::FieldLastName, s.last_name.clone()),
                        (Key::FieldPhone, opt(&s.phone)),
                        (Key::FieldStatus, self.t(s.status.label()).into()),
                        (Key::FieldOrganisation, names(&s.organisations)),
                        (Key::OutClasses, names(&s.classes)),
                        (Key::OutCreated, self.minute(s.created_at)),
                        (
                            Key::OutLastLogin,
                            or_dash(s.last_login_at.map(|d| self.minute(d))),
                        ),
                        (Key::FieldNotes, opt(&s.notes)),
                    ],
                ))
            }
            StudentCmd::Disable { email } => {
                let id = p.student_resolve(self.actor, &email).await?;
                let s = p.student_set_disabled(self.actor, id, true).await?;
                line_out(self.tf(Key::OutStudentDisabled, &[&sanitize::line(&s.email)]))
            }
            StudentCmd::Enable { email } => {
                let id = p.student_resolve(self.actor, &email).await?;
                let s = p.student_set_disabled(self.actor, id, false).await?;
                line_out(self.tf(Key::OutStudentEnabled, &[&sanitize::line(&s.email)]))
            }
            StudentCmd::ResetCode { email } => {
                let id = p.student_resolve(self.actor, &email).await?;
                let code = p.student_reset_code(self.actor, id).await?;
                let days = p.options().activation_ttl.num_days().to_string();
                line_out(self.tf(Key::OutActivationCode, &[&code, &days]))
            }
        }
    }

    pub async fn course(&self, cmd: CourseCmd) -> Out {
        let p = self.portail;
        match cmd {
            CourseCmd::Add {
                title,
                description,
                objectives,
                duration_hours,
                level,
                published,
            } => {
                let input = CourseInput {
                    title,
                    description,
                    objectives,
                    duration_hours,
                    level,
                    prerequisites: None,
                    status: if published {
                        CourseStatus::Published
                    } else {
                        CourseStatus::Draft
                    },
                };
                let c = p.course_create(self.actor, &input).await?;
                line_out(self.tf(
                    Key::OutCourseCreated,
                    &[&sanitize::line(&c.title), &c.id.to_string()],
                ))
            }
            CourseCmd::List { json: as_json } => {
                let courses = p.course_list(self.actor).await?;
                if as_json {
                    return json(&courses);
                }
                let rows: Vec<Vec<String>> = courses
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.to_string(),
                            c.title.clone(),
                            self.t(c.status.label()).into(),
                            c.lesson_count.to_string(),
                            or_dash(c.duration_hours.map(|h| present::hours(self.lang, h))),
                        ]
                    })
                    .collect();
                Ok(self.none_or(
                    &rows,
                    &[
                        Key::OutId,
                        Key::FieldTitle,
                        Key::FieldStatus,
                        Key::OutLessons,
                        Key::OutDuration,
                    ],
                ))
            }
            CourseCmd::Show {
                course,
                json: as_json,
            } if !self.actor.is_trainer() => self.my_course_show(&course, as_json).await,
            CourseCmd::Show {
                course,
                json: as_json,
            } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let d = p.course_get(self.actor, id).await?;
                if as_json {
                    return json(&d);
                }
                let c = &d.course;
                let mut out = kv(
                    self.lang,
                    &[
                        (Key::OutId, c.id.to_string()),
                        (Key::FieldTitle, c.title.clone()),
                        (Key::FieldStatus, self.t(c.status.label()).into()),
                        (
                            Key::OutDuration,
                            or_dash(c.duration_hours.map(|h| present::hours(self.lang, h))),
                        ),
                        (Key::FieldLevel, opt(&c.level)),
                        (Key::FieldPrerequisites, opt(&c.prerequisites)),
                    ],
                );
                if !c.description.is_empty() {
                    out.push_str(&format!("\n{}\n", sanitize::multiline(&c.description)));
                }
                if !c.objectives.is_empty() {
                    out.push_str(&format!("\n{} :\n", self.t(Key::FieldObjectives)));
                    for o in &c.objectives {
                        out.push_str(&format!("  • {}\n", sanitize::line(o)));
                    }
                }
                out.push_str(&format!("\n{} :\n", self.t(Key::OutLessons)));
                for l in &d.lessons {
                    out.push_str(&format!("  {}. {}\n", l.position, sanitize::line(&l.title)));
                }
                if !d.resources.is_empty() {
                    out.push_str(&format!("\n{} :\n", self.t(Key::OutResources)));
                    for r in &d.resources {
                        out.push_str(&format!(
                            "  • {} <{}>\n",
                            sanitize::line(&r.title),
                            sanitize::line(r.url.as_deref().unwrap_or(""))
                        ));
                    }
                }
                Ok(out)
            }
            CourseCmd::Assign {
                course,
                classes,
                students,
                start,
                end,
            } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let targets = self.targets(&classes, &students).await?;
                let n = p
                    .course_assign(self.actor, id, &targets, start.as_deref(), end.as_deref())
                    .await?;
                let course = p.course_get(self.actor, id).await?.course;
                let mut out = self.tf(
                    Key::OutAssigned,
                    &[&sanitize::line(&course.title), &n.to_string()],
                );
                if course.status == CourseStatus::Draft {
                    out = format!("{out}\n{}", self.t(Key::OutDraftHidden));
                }
                line_out(out)
            }
            CourseCmd::Unassign {
                course,
                classes,
                students,
            } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let targets = self.targets(&classes, &students).await?;
                let n = p.course_unassign(self.actor, id, &targets).await?;
                let title = p.course_get(self.actor, id).await?.course.title;
                line_out(self.tf(
                    Key::OutUnassigned,
                    &[&sanitize::line(&title), &n.to_string()],
                ))
            }
            CourseCmd::Participants {
                course,
                json: as_json,
            } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let list = p.course_participants(self.actor, id).await?;
                if as_json {
                    return json(&list);
                }
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|s| {
                        vec![
                            person(&s.first_name, &s.last_name, &s.email),
                            s.email.clone(),
                            s.via.replace(VIA_INDIVIDUAL, self.t(Key::ViaIndividual)),
                            self.t(s.status.label()).into(),
                            format!("{} %", s.progress_percent),
                            or_dash(s.last_activity.map(|d| self.minute(d))),
                            quiz_scores(&s.quiz_scores),
                        ]
                    })
                    .collect();
                Ok(self.none_or(
                    &rows,
                    &[
                        Key::FieldName,
                        Key::FieldEmail,
                        Key::OutVia,
                        Key::FieldStatus,
                        Key::OutProgress,
                        Key::OutLastActivity,
                        Key::QzColQuiz,
                    ],
                ))
            }
            CourseCmd::Publish { course } => {
                self.set_status(&course, CourseStatus::Published).await
            }
            CourseCmd::Unpublish { course } => self.set_status(&course, CourseStatus::Draft).await,
            CourseCmd::Duplicate { course } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let c = p.course_duplicate(self.actor, id).await?;
                line_out(self.tf(
                    Key::OutCourseDuplicated,
                    &[&sanitize::line(&c.title), &c.id.to_string()],
                ))
            }
        }
    }

    async fn targets(&self, classes: &[String], students: &[String]) -> Result<Vec<Target>, Error> {
        let mut t: Vec<Target> = self
            .classes(classes)
            .await?
            .into_iter()
            .map(Target::Class)
            .collect();
        t.extend(
            self.students(students)
                .await?
                .into_iter()
                .map(Target::Student),
        );
        Ok(t)
    }

    pub async fn lesson(&self, cmd: LessonCmd, stdin: &mut impl Stdin) -> Out {
        let p = self.portail;
        let (course, title) = match cmd {
            LessonCmd::Add { course, title } => (course, title),
            LessonCmd::Done {
                course,
                lesson,
                undo,
            } => {
                let id = p.my_course_resolve(self.actor, &course).await?;
                let lesson_id = p.lesson_resolve(id, &lesson).await?;
                let pct = p.lesson_set_done(self.actor, lesson_id, !undo).await?;
                let detail = p.my_course(self.actor, id).await?;
                let l = detail
                    .detail
                    .lessons
                    .iter()
                    .find(|l| l.id == lesson_id)
                    .ok_or(Error::NotFound)?;
                let key = if undo {
                    Key::OutLessonUndone
                } else {
                    Key::OutLessonDone
                };
                return line_out(self.tf(
                    key,
                    &[
                        &l.position.to_string(),
                        &sanitize::line(&l.title),
                        &pct.to_string(),
                    ],
                ));
            }
        };
        let id = p.course_resolve(self.actor, &course).await?;
        let bytes = stdin
            .read_all(MAX_LESSON_STDIN)
            .await
            .ok_or(Fail::Core(Error::Invalid(Key::ExecStdinTooLarge)))?;
        let body =
            String::from_utf8(bytes).map_err(|_| Fail::Message(self.t(Key::ExecBadUtf8).into()))?;
        let l = p.lesson_add(self.actor, id, &title, &body).await?;
        line_out(self.tf(
            Key::OutLessonAdded,
            &[&l.position.to_string(), &sanitize::line(&l.title)],
        ))
    }

    pub async fn resource(&self, cmd: ResourceCmd, stdin: &mut impl Stdin) -> Out {
        let p = self.portail;
        let (course, title, url) = match cmd {
            ResourceCmd::Add { course, title, url } => (course, title, url),
            ResourceCmd::UploadLink {
                course,
                title,
                lesson,
            } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let lesson = match lesson {
                    Some(l) => Some(p.lesson_resolve(id, &l).await?),
                    None => None,
                };
                let purpose = portail::services::files::UploadPurpose::Resource {
                    course: id,
                    lesson,
                    title,
                };
                let token = p
                    .upload_link_create(self.actor, purpose, chrono::Duration::minutes(30))
                    .await?;
                return line_out(self.tf(
                    Key::OutUploadLink,
                    &[&format!("{}/u/{token}", p.options().public_url)],
                ));
            }
            ResourceCmd::Upload {
                course,
                title,
                lesson,
                name,
            } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let lesson_id = match lesson {
                    Some(l) => Some(p.lesson_resolve(id, &l).await?),
                    None => None,
                };
                let bytes = stdin
                    .read_all(portail::services::files::MAX_RESOURCE_BYTES)
                    .await
                    .ok_or(Fail::Core(Error::Invalid(Key::FileTooLarge)))?;
                let name = name.unwrap_or_else(|| title.clone());
                let r = p
                    .resource_upload(self.actor, id, lesson_id, &title, &name, &bytes)
                    .await?;
                return line_out(self.tf(
                    Key::OutResourceUploaded,
                    &[&sanitize::line(&r.title), &bytes.len().to_string()],
                ));
            }
        };
        let id = p.course_resolve(self.actor, &course).await?;
        let r = p
            .resource_add_link(self.actor, id, None, &title, &url)
            .await?;
        line_out(self.tf(
            Key::OutResourceAdded,
            &[
                &sanitize::line(&r.title),
                &sanitize::line(r.url.as_deref().unwrap_or("")),
            ],
        ))
    }
}

/// A text progress bar: `██████░░░░ 60 %`.
pub fn bar(percent: i64, width: usize) -> String {
    let filled = (percent.clamp(0, 100) as usize * width + 50) / 100;
    format!(
        "{}{} {percent:>3} %",
        "█".repeat(filled),
        "░".repeat(width - filled)
    )
}

impl Ctx<'_> {
    async fn set_status(&self, course: &str, status: CourseStatus) -> Out {
        let p = self.portail;
        let id = p.course_resolve(self.actor, course).await?;
        let mut input = CourseInput::from(&p.course_get(self.actor, id).await?.course);
        input.status = status;
        let c = p.course_update(self.actor, id, &input).await?;
        let key = match status {
            CourseStatus::Published => Key::OutCoursePublished,
            CourseStatus::Draft => Key::OutCourseUnpublished,
        };
        line_out(self.tf(key, &[&sanitize::line(&c.title)]))
    }

    /// `courses` / student `progress`: the student's courses with progress.
    pub async fn my_courses(&self, as_json: bool) -> Out {
        let mine = self.portail.my_courses(self.actor).await?;
        if as_json {
            return json(&mine);
        }
        let rows: Vec<Vec<String>> = mine
            .iter()
            .map(|c| {
                vec![
                    c.id.to_string(),
                    c.title.clone(),
                    bar(c.progress_percent, 10),
                    or_dash(c.start_date),
                    or_dash(c.end_date),
                    match c.next_lesson {
                        Some(n) => self.tf(Key::OutContinueAt, &[&n.to_string()]),
                        None => self.t(Key::OutAllDone).into(),
                    },
                ]
            })
            .collect();
        Ok(self.none_or(
            &rows,
            &[
                Key::OutId,
                Key::FieldTitle,
                Key::OutProgress,
                Key::FieldStart,
                Key::FieldEnd,
                Key::OutContinue,
            ],
        ))
    }

    async fn my_course_show(&self, course: &str, as_json: bool) -> Out {
        let p = self.portail;
        let id = p.my_course_resolve(self.actor, course).await?;
        let d = p.my_course(self.actor, id).await?;
        if as_json {
            return json(&d);
        }
        let c = &d.detail.course;
        let mut out = kv(
            self.lang,
            &[
                (Key::FieldTitle, c.title.clone()),
                (
                    Key::OutDuration,
                    or_dash(c.duration_hours.map(|h| present::hours(self.lang, h))),
                ),
                (Key::FieldLevel, opt(&c.level)),
                (Key::OutProgress, bar(d.progress_percent, 10)),
            ],
        );
        if !c.description.is_empty() {
            out.push_str(&format!("\n{}\n", sanitize::multiline(&c.description)));
        }
        if !c.objectives.is_empty() {
            out.push_str(&format!("\n{} :\n", self.t(Key::FieldObjectives)));
            for o in &c.objectives {
                out.push_str(&format!("  • {}\n", sanitize::line(o)));
            }
        }
        out.push_str(&format!("\n{} :\n", self.t(Key::OutLessons)));
        for (l, st) in d.detail.lessons.iter().zip(&d.progress) {
            let mark = if st.completed_at.is_some() {
                "[x]"
            } else {
                "[ ]"
            };
            out.push_str(&format!(
                "  {mark} {}. {}\n",
                l.position,
                sanitize::line(&l.title)
            ));
        }
        if !d.detail.resources.is_empty() {
            out.push_str(&format!("\n{} :\n", self.t(Key::OutResources)));
            let ttl = p.options().link_ttl;
            for r in &d.detail.resources {
                let url = match r.url.as_deref() {
                    Some(u) => u.to_string(),
                    None => {
                        let path = p.resource_link(self.actor, r.id, ttl).await?;
                        format!("{}{path}", p.options().public_url)
                    }
                };
                out.push_str(&format!(
                    "  • {} <{}>\n",
                    sanitize::line(&r.title),
                    sanitize::line(&url)
                ));
            }
        }
        Ok(out)
    }

    /// `progress`: students see their own; trainers see everyone's, narrowed by filters.
    pub async fn progress(
        &self,
        course: Option<String>,
        class: Option<String>,
        student: Option<String>,
        as_json: bool,
    ) -> Out {
        if !self.actor.is_trainer() {
            return self.my_courses(as_json).await;
        }
        let p = self.portail;
        let course = self.opt_course(course).await?;
        let class = self.opt_class(class).await?;
        let student = self.opt_student(student).await?;
        let rows = p.progress(self.actor, course, class, student).await?;
        if as_json {
            return json(&rows);
        }
        let table_rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    person(&r.first_name, &r.last_name, &r.email),
                    r.email.clone(),
                    r.course_title.clone(),
                    bar(r.progress_percent, 10),
                    or_dash(r.last_activity.map(|d| self.minute(d))),
                    quiz_scores(&r.quiz_scores),
                ]
            })
            .collect();
        Ok(self.none_or(
            &table_rows,
            &[
                Key::FieldName,
                Key::FieldEmail,
                Key::OutCourse,
                Key::OutProgress,
                Key::OutLastActivity,
                Key::QzColQuiz,
            ],
        ))
    }

    /// `security log`: the failed and refused logins (trainer only, checked by the service).
    pub async fn security(&self, command: SecurityCmd) -> Out {
        use portail::services::security::{LIST_DEFAULT, LIST_MAX, Outcome};
        let SecurityCmd::Log {
            json: as_json,
            limit,
        } = command;
        let limit = limit.unwrap_or(LIST_DEFAULT);
        if !(1..=LIST_MAX).contains(&limit) {
            return Err(Fail::Message(tf(
                self.lang,
                Key::ExecSecurityLimit,
                &[&LIST_MAX.to_string()],
            )));
        }
        let rows = self.portail.security_log(self.actor, limit).await?;
        if as_json {
            return json(&rows);
        }
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    present::second(self.portail.options().time_zone, r.at),
                    r.source.clone(),
                    r.login.clone(),
                    self.t(match r.outcome {
                        Outcome::Failed => Key::SecFailed,
                        Outcome::Refused => Key::SecRefused,
                        Outcome::Slowed => Key::SecSlowed,
                    })
                    .to_string(),
                ]
            })
            .collect();
        Ok(self.none_or(
            &rows,
            &[Key::SecWhen, Key::OutSource, Key::SecLogin, Key::SecOutcome],
        ))
    }

    pub async fn activity(
        &self,
        student: Option<String>,
        since: Option<String>,
        as_json: bool,
    ) -> Out {
        let p = self.portail;
        let student = self.opt_student(student).await?;
        let entries = p
            .activity(self.actor, student, since.as_deref(), 10_000)
            .await?;
        if as_json {
            return json(&entries);
        }
        let kind = |k: &str| match k {
            "login" => self.t(Key::ActLogin).to_string(),
            "password_changed" => self.t(Key::ActPasswordChanged).to_string(),
            "lesson_opened" => self.t(Key::ActLessonOpened).to_string(),
            "lesson_completed" => self.t(Key::ActLessonCompleted).to_string(),
            "lesson_reopened" => self.t(Key::ActLessonReopened).to_string(),
            "file_downloaded" => self.t(Key::ActFileDownloaded).to_string(),
            other => other.to_string(),
        };
        let rows: Vec<Vec<String>> = entries
            .iter()
            .map(|e| {
                vec![
                    present::second(self.portail.options().time_zone, e.at),
                    opt(&e.email),
                    kind(&e.kind),
                    opt(&e.course_title),
                    match (&e.lesson_title, e.detail.is_empty()) {
                        (Some(l), _) => l.clone(),
                        (None, false) => e.detail.clone(),
                        (None, true) => "—".into(),
                    },
                    opt(&e.source_ip),
                ]
            })
            .collect();
        Ok(self.none_or(
            &rows,
            &[
                Key::OutWhen,
                Key::FieldEmail,
                Key::OutEvent,
                Key::OutCourse,
                Key::OutLesson,
                Key::OutSource,
            ],
        ))
    }
}

/// Options of `import`.
pub struct ImportArgs {
    pub org: Option<String>,
    pub class: Option<String>,
    pub dry_run: bool,
    /// `Some(true)` JSON, `Some(false)` CSV, `None` guessed.
    pub json: Option<bool>,
    pub codes_csv: bool,
}

impl Ctx<'_> {
    /// Runs an import. Standard input is spooled to a temporary file in the data
    /// directory (size limit enforced as it arrives), read from there row by row, and the
    /// report is spooled too: the server's memory does not grow with the file.
    pub async fn import(
        &self,
        what: crate::exec::ImportWhat,
        args: ImportArgs,
        stdin: &mut impl Stdin,
    ) -> Result<crate::exec::Output, Fail> {
        use crate::exec::ImportWhat;
        use portail::import::Format;
        use portail::services::bulk::ImportOptions;
        let p = self.portail;
        // Authorization first: a student learns nothing, not even about stdin.
        p.org_list(self.actor).await?;
        let internal = |e: std::io::Error| Fail::Core(Error::Internal(e.to_string()));
        let max = p.options().import_max_bytes;
        let file = stdin
            .spool(max, spool_file(p).map_err(internal)?)
            .await
            .map_err(internal)?
            .ok_or_else(|| {
                Fail::Message(portail::import::describe_issues(
                    self.lang,
                    &[portail::import::Issue::file(
                        Key::ImpTooLarge,
                        portail::import::over_limit(max),
                    )],
                ))
            })?;
        let default_org = self.opt_org(args.org).await?;
        let default_class = self.opt_class(args.class).await?;
        let opts = ImportOptions {
            format: args
                .json
                .map(|j| if j { Format::Json } else { Format::Csv }),
            dry_run: args.dry_run,
            default_org,
            default_class,
        };
        let mut file = file;
        std::io::Seek::rewind(&mut file).map_err(internal)?;
        let src = std::io::BufReader::with_capacity(64 * 1024, file);
        let (report, students) = match what {
            ImportWhat::Students => {
                let done = p.import_students_from(self.actor, src, &opts).await?;
                (None, Some(done))
            }
            ImportWhat::Orgs => (
                Some(p.import_orgs_from(self.actor, src, &opts).await?),
                None,
            ),
            ImportWhat::Classes => (
                Some(p.import_classes_from(self.actor, src, &opts).await?),
                None,
            ),
            ImportWhat::All => {
                if args.json == Some(false) {
                    return Err(Fail::Message(self.t(Key::ImpAllJsonOnly).into()));
                }
                (Some(p.import_all_from(self.actor, src, &opts).await?), None)
            }
        };
        let report = match (&report, &students) {
            (Some(r), _) => r,
            (None, Some(s)) => &s.report,
            (None, None) => unreachable!("one of them"),
        };
        self.import_output(report, students.as_ref(), args.codes_csv)
            .map_err(internal)
    }

    /// The report: a summary, then each organisation, class and student on its line, then
    /// the activation codes (a table, or a CSV on stdout with `--codes-csv`).
    fn import_output(
        &self,
        report: &portail::services::bulk::ImportReport,
        students: Option<&portail::services::bulk::StudentImport>,
        codes_csv: bool,
    ) -> std::io::Result<crate::exec::Output> {
        use portail::services::bulk::Action;
        use std::io::Write;
        let mut text = String::new();
        text.push_str(self.t(if report.dry_run {
            Key::ImpPreview
        } else {
            Key::ImpDone
        }));
        text.push('\n');
        if !report.encoding.is_empty() {
            let delim = match report.delimiter {
                Some('\t') => "tab".to_string(),
                Some(c) => format!("« {c} »"),
                None => "JSON".to_string(),
            };
            text.push_str(&self.tf(Key::ImpEncoding, &[&report.encoding, &delim]));
            text.push('\n');
        }
        for (key, c) in [
            (Key::MenuOrganisations, report.organisations),
            (Key::MenuClasses, report.classes),
            (Key::MenuStudents, report.students),
        ] {
            if c.created + c.updated + c.unchanged > 0 {
                text.push_str(&self.tf(
                    Key::ImpCounts,
                    &[
                        self.t(key),
                        &c.created.to_string(),
                        &c.updated.to_string(),
                        &c.unchanged.to_string(),
                    ],
                ));
                text.push('\n');
            }
        }
        if !report.unknown_columns.is_empty() {
            let cols: Vec<String> = report
                .unknown_columns
                .iter()
                .map(|c| format!("« {} »", sanitize::line(c)))
                .collect();
            text.push_str(&self.tf(Key::ImpIgnoredColumns, &[&cols.join(", ")]));
            text.push('\n');
        }
        let lines = report
            .lines
            .iter()
            .map(|l| (l.action, l.entity, l.label.as_str()))
            .chain(
                students
                    .into_iter()
                    .flat_map(|s| s.student_lines().map(|(a, e)| (a, Key::EntStudent, e))),
            );
        let codes = || {
            report
                .codes
                .iter()
                .map(|(e, c)| (e.as_str(), c.as_str()))
                .chain(students.into_iter().flat_map(|s| s.codes()))
        };
        let mut body = std::io::BufWriter::new(spool_file(self.portail)?);
        for (action, entity, label) in lines {
            let mark = match action {
                Action::Created => '+',
                Action::Updated => '~',
                Action::Unchanged => '=',
            };
            writeln!(
                body,
                "  {mark} {} {}",
                self.t(entity),
                sanitize::line(label)
            )?;
        }
        if codes_csv {
            let lines = body.into_inner().map_err(|e| e.into_error())?;
            let mut w =
                csv::Writer::from_writer(std::io::BufWriter::new(spool_file(self.portail)?));
            let mut rows = std::iter::once(("email".to_string(), "code".to_string())).chain(
                codes().map(|(e, c)| (portail::services::bulk::escape_cell(e), c.to_string())),
            );
            rows.try_for_each(|r| w.write_record([r.0, r.1]))
                .map_err(std::io::Error::other)?;
            let csv = w
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string()))?
                .into_inner()
                .map_err(|e| e.into_error())?;
            return Ok(crate::exec::Output {
                stderr: text,
                stderr_file: Some(lines),
                stdout_file: Some(csv),
                ..Default::default()
            });
        }
        if codes().next().is_some() {
            writeln!(body, "{}", self.t(Key::ImpCodes))?;
            // Aligned as `table` does, without holding the table.
            let width = codes()
                .map(|(e, _)| sanitize::line(e).width())
                .chain([self.t(Key::FieldEmail).width()])
                .max()
                .unwrap_or(0);
            for (email, code) in codes() {
                let email = sanitize::line(email);
                let pad = " ".repeat(width - email.width() + 2);
                writeln!(
                    body,
                    "  {}",
                    format!("{email}{pad}{}", sanitize::line(code)).trim_end()
                )?;
            }
        }
        Ok(crate::exec::Output {
            stdout: text,
            stdout_file: Some(body.into_inner().map_err(|e| e.into_error())?),
            ..Default::default()
        })
    }

    pub async fn export(
        &self,
        what: crate::exec::ExportWhat,
        refs: ExportRefs,
        json: bool,
        excel: bool,
    ) -> Out {
        use crate::exec::ExportWhat;
        use portail::services::bulk::{ExportKind, ExportOptions};
        let p = self.portail;
        let ExportRefs {
            quiz,
            org,
            class,
            course,
        } = refs;
        let quiz = match (what, quiz) {
            (ExportWhat::QuizResults, Some(q)) => Some(p.quiz_resolve(self.actor, &q).await?),
            (ExportWhat::QuizResults, None) => {
                return Err(Error::Invalid(Key::ExpNeedsQuiz).into());
            }
            _ => None,
        };
        let opts = ExportOptions {
            org: self.opt_org(org).await?,
            class: self.opt_class(class).await?,
            course: self.opt_course(course).await?,
            quiz,
            json,
            excel,
        };
        let kind = match what {
            ExportWhat::Students => ExportKind::Students,
            ExportWhat::Orgs => ExportKind::Orgs,
            ExportWhat::Classes => ExportKind::Classes,
            ExportWhat::Participants => ExportKind::Participants,
            ExportWhat::Progress => ExportKind::Progress,
            ExportWhat::QuizResults => ExportKind::QuizResults,
        };
        let bytes = p.export(self.actor, kind, &opts).await?;
        String::from_utf8(bytes).map_err(|e| Fail::Core(Error::Internal(e.to_string())))
    }
}

/// An anonymous temporary file in the data directory (removed by the system when closed,
/// even after a crash).
fn spool_file(p: &portail::Portail) -> std::io::Result<std::fs::File> {
    let dir = p.data_dir().join("tmp");
    std::fs::create_dir_all(&dir)?;
    tempfile::tempfile_in(dir)
}

impl Ctx<'_> {
    /// `org logo ORG < logo.png` and `org logo-link ORG`.
    pub async fn org_logo(&self, org: &str, link: bool, stdin: &mut impl Stdin) -> Out {
        use portail::services::files::{MAX_IMAGE_BYTES, UploadPurpose};
        let p = self.portail;
        let id = p.org_resolve(self.actor, org).await?;
        if link {
            let token = p
                .upload_link_create(
                    self.actor,
                    UploadPurpose::Logo { organisation: id },
                    chrono::Duration::minutes(30),
                )
                .await?;
            return line_out(self.tf(
                Key::OutUploadLink,
                &[&format!("{}/u/{token}", p.options().public_url)],
            ));
        }
        let bytes = stdin
            .read_all(MAX_IMAGE_BYTES)
            .await
            .ok_or(Fail::Core(Error::Invalid(Key::FileTooLarge)))?;
        let name = p.set_org_logo(self.actor, id, bytes).await?;
        line_out(self.tf(
            Key::OutLogoSetDone,
            &[&format!("{}/i/{name}", p.options().public_url)],
        ))
    }

    /// `avatar set < photo.jpg` and `avatar link`.
    pub async fn avatar(&self, cmd: AvatarCmd, stdin: &mut impl Stdin) -> Out {
        use portail::services::files::{MAX_IMAGE_BYTES, UploadPurpose};
        let p = self.portail;
        match cmd {
            AvatarCmd::Link => {
                let token = p
                    .upload_link_create(
                        self.actor,
                        UploadPurpose::Avatar,
                        chrono::Duration::minutes(30),
                    )
                    .await?;
                line_out(self.tf(
                    Key::OutUploadLink,
                    &[&format!("{}/u/{token}", p.options().public_url)],
                ))
            }
            AvatarCmd::Set => {
                if self.actor.must_change_password {
                    return Err(Fail::Core(Error::PasswordChangeRequired));
                }
                let bytes = stdin
                    .read_all(MAX_IMAGE_BYTES)
                    .await
                    .ok_or(Fail::Core(Error::Invalid(Key::FileTooLarge)))?;
                let name = p.set_avatar(self.actor, bytes).await?;
                line_out(self.tf(
                    Key::OutAvatarSet,
                    &[&format!("{}/i/{name}", p.options().public_url)],
                ))
            }
        }
    }
}

impl Ctx<'_> {
    /// `message send|list|show`.
    pub async fn message(&self, cmd: MessageCmd, stdin: &mut impl Stdin) -> Out {
        use portail::services::messaging::{MAX_BODY_CHARS, Recipient, ThreadKind};
        let p = self.portail;
        match cmd {
            MessageCmd::Send { to, class } => {
                let recipient = match (to, class) {
                    (_, Some(c)) => Recipient::Class(p.class_resolve(self.actor, &c).await?),
                    (Some(t), None) if !self.actor.is_trainer() => {
                        if !matches!(t.to_lowercase().as_str(), "trainer" | "formateur") {
                            return Err(Fail::Core(Error::Forbidden));
                        }
                        Recipient::Trainer
                    }
                    (Some(t), None) => Recipient::Student(p.student_resolve(self.actor, &t).await?),
                    (None, None) => return Err(Fail::Core(Error::Invalid(Key::MsgEmpty))),
                };
                // Bytes, not characters: 4 bytes per character at most, plus a margin.
                let bytes = stdin
                    .read_all(MAX_BODY_CHARS * 4 + 1024)
                    .await
                    .ok_or(Fail::Core(Error::Invalid(Key::MsgTooLong)))?;
                let body = String::from_utf8(bytes)
                    .map_err(|_| Fail::Message(self.t(Key::ExecBadUtf8).into()))?;
                p.message_send(self.actor, recipient, &body).await?;
                line_out(self.t(Key::MsgSent).to_string())
            }
            MessageCmd::List { json: as_json } => {
                let threads = p.threads(self.actor).await?;
                if as_json {
                    return json(&threads);
                }
                let rows: Vec<Vec<String>> = threads
                    .iter()
                    .map(|t| {
                        let title = match t.kind {
                            ThreadKind::Direct if !self.actor.is_trainer() => {
                                self.t(Key::MsgTrainer).to_string()
                            }
                            ThreadKind::Direct => t.title.clone(),
                            ThreadKind::Announcement => {
                                format!("{} ({})", t.title, self.t(Key::MsgAnnouncement))
                            }
                        };
                        vec![
                            t.id.to_string(),
                            title,
                            p.local_time(t.last_message_at),
                            if t.unread > 0 {
                                t.unread.to_string()
                            } else {
                                String::new()
                            },
                            t.last_excerpt.clone(),
                        ]
                    })
                    .collect();
                if rows.is_empty() {
                    return line_out(self.t(Key::MsgNoThreads).to_string());
                }
                Ok(table(
                    &[
                        self.t(Key::OutId),
                        self.t(Key::MenuMessages),
                        self.t(Key::OutWhen),
                        self.t(Key::MsgUnread),
                        "",
                    ],
                    &rows,
                ))
            }
            MessageCmd::Show {
                thread,
                json: as_json,
            } => {
                let msgs = p.thread_messages(self.actor, thread, None, 500).await?;
                p.thread_mark_read(self.actor, thread).await?;
                if as_json {
                    return json(&msgs);
                }
                let mut out = String::new();
                for m in &msgs {
                    out.push_str(&format!(
                        "── {} · {}\n{}\n\n",
                        sanitize::line(&m.sender_name),
                        p.local_time(m.created_at),
                        sanitize::multiline(&m.body)
                    ));
                }
                Ok(out)
            }
        }
    }
}
