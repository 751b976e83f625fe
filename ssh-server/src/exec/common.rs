//! What every command family shares: the command context, the output type, standard input,
//! and the text helpers (`table`, `kv`, JSON). Imports nothing from the families.

use portail::i18n::{Key, Lang, t, tf};
use portail::present;
use portail::services::files::UploadPurpose;
use portail::{Actor, Error, Portail, Role, sanitize};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

/// Most bytes read from stdin by a command that reads it.
pub const MAX_STDIN: usize = 64 * 1024;

/// How long a one-time upload link made by a command stays valid.
const UPLOAD_LINK_TTL: chrono::Duration = chrono::Duration::minutes(30);

/// A top-level command: who may run it and its texts. Its subcommands and arguments carry
/// their own texts as catalog key names (`#[command(about = Key::X.name())]`,
/// `#[arg(help = Key::X.name())]`), or take them from [`SHARED_ARGS`].
pub struct Family {
    /// The command's name in the tree (`org`, `whoami`…).
    pub name: &'static str,
    /// What `COMMAND --help` says of it.
    pub about: Key,
    /// Its line in `help` for a trainer; `None`: trainers may not run it.
    pub trainer: Option<Key>,
    /// Its line in `help` for a student; `None`: students may not run it.
    pub student: Option<Key>,
}

impl Family {
    /// For trainers only.
    pub const fn trainer(name: &'static str, about: Key, line: Key) -> Self {
        Family {
            name,
            about,
            trainer: Some(line),
            student: None,
        }
    }

    /// For students only.
    pub const fn student(name: &'static str, about: Key, line: Key) -> Self {
        Family {
            name,
            about,
            trainer: None,
            student: Some(line),
        }
    }

    /// For everyone, with the same line in `help`.
    pub const fn all(name: &'static str, about: Key, line: Key) -> Self {
        Self::both(name, about, line, line)
    }

    /// For everyone, with a line in `help` per role.
    pub const fn both(name: &'static str, about: Key, trainer: Key, student: Key) -> Self {
        Family {
            name,
            about,
            trainer: Some(trainer),
            student: Some(student),
        }
    }

    /// Its line in `help` for `role`, if `role` may run it: the gate checked once before
    /// its handler (the services still authorize every call).
    pub fn line(&self, role: Role) -> Option<Key> {
        match role {
            Role::Trainer => self.trainer,
            Role::Student => self.student,
        }
    }
}

/// Arguments that mean the same in every command, by id.
pub const SHARED_ARGS: &[(&str, Key)] = &[
    ("json", Key::XaJson),
    ("yes", Key::XaYes),
    ("help", Key::XaHelp),
    ("org", Key::XaOrg),
    ("class", Key::XaClass),
    ("classes", Key::XaClasses),
    ("course", Key::XaCourse),
    ("student", Key::XaStudent),
    ("students", Key::XaStudents),
    ("quiz", Key::XaQuiz),
    ("email", Key::XaEmail),
    ("title", Key::XaTitle),
    ("lesson", Key::XaLesson),
    ("start", Key::XaStart),
    ("end", Key::XaEnd),
];

/// `--format` of `import` and `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Csv,
    Json,
}

/// What a command produced.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub status: u32,
    /// Large outputs (an import's report) are spooled to a file: sent after `stdout`.
    pub stdout_file: Option<std::fs::File>,
    /// Sent after `stderr`.
    pub stderr_file: Option<std::fs::File>,
}

impl Output {
    pub fn ok(stdout: String) -> Self {
        Output {
            stdout,
            ..Default::default()
        }
    }
    pub fn fail(status: u32, stderr: String) -> Self {
        Output {
            stderr,
            status,
            ..Default::default()
        }
    }
}

/// Source of a command's standard input.
pub trait Stdin {
    /// Reads everything until EOF; `None` when more than `limit` bytes arrive.
    fn read_all(&mut self, limit: usize) -> impl Future<Output = Option<Vec<u8>>> + Send;

    /// Copies everything until EOF into `file` (memory stays flat whatever the size);
    /// `Ok(None)` as soon as more than `limit` bytes arrive.
    fn spool(
        &mut self,
        limit: u64,
        file: std::fs::File,
    ) -> impl Future<Output = std::io::Result<Option<std::fs::File>>> + Send;

    /// The next piece of a stream, as it arrives (one SSH data packet: the channel's
    /// packet size bounds it); `None` at EOF. For commands that read their input while it
    /// is written (`demo live`), never waiting for the end.
    fn next_chunk(&mut self) -> impl Future<Output = Option<Vec<u8>>> + Send;
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
pub fn json<T: Serialize>(value: &T) -> Out {
    sanitize::json_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Fail::Core(Error::Internal(e.to_string())))
}

/// One-line JSON, escaped as [`json`] is.
pub fn json_line<T: Serialize>(value: &T) -> Out {
    sanitize::json_compact(value)
        .map(|s| s + "\n")
        .map_err(|e| Fail::Core(Error::Internal(e.to_string())))
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
pub fn kv(lang: Lang, rows: &[(Key, String)]) -> String {
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
pub fn person(first: &str, last: &str, email: &str) -> String {
    let name = format!("{first} {last}");
    let name = name.trim();
    if name.is_empty() {
        email.to_string()
    } else {
        name.to_string()
    }
}

pub fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

pub fn or_dash<T: ToString>(d: Option<T>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

pub fn line_out(s: String) -> Out {
    Ok(s + "\n")
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

/// A student's quiz scores in one cell: `Titre 80 % ✓, Autre —`, or `—`.
pub fn quiz_scores(scores: &[portail::quiz::QuizScore]) -> String {
    if scores.is_empty() {
        return "—".into();
    }
    scores
        .iter()
        .map(portail::quiz::QuizScore::brief)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A course's description, objectives and lesson heading, after its key-value lines.
pub fn course_body(lang: Lang, description: &str, objectives: &[String]) -> String {
    let mut out = String::new();
    if !description.is_empty() {
        out.push_str(&format!("\n{}\n", sanitize::multiline(description)));
    }
    if !objectives.is_empty() {
        out.push_str(&format!("\n{} :\n", t(lang, Key::FieldObjectives)));
        for o in objectives {
            out.push_str(&format!("  • {}\n", sanitize::line(o)));
        }
    }
    out.push_str(&format!("\n{} :\n", t(lang, Key::OutLessons)));
    out
}

/// An anonymous temporary file in the data directory (removed by the system when closed,
/// even after a crash).
pub fn spool_file(p: &Portail) -> std::io::Result<std::fs::File> {
    let dir = p.data_dir().join("tmp");
    std::fs::create_dir_all(&dir)?;
    tempfile::tempfile_in(dir)
}

impl Ctx<'_> {
    pub fn t(&self, k: Key) -> &'static str {
        t(self.lang, k)
    }

    pub fn tf(&self, k: Key, args: &[&str]) -> String {
        tf(self.lang, k, args)
    }

    /// A moment in the configured time zone, to the minute ([`present::minute`]).
    pub fn minute(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        present::minute(self.portail.options().time_zone, at)
    }

    /// A moment in the configured time zone, to the second ([`present::second`]).
    pub fn second(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        present::second(self.portail.options().time_zone, at)
    }

    /// A table under translated headers, or the `none` line when there is no row.
    pub fn rows_or(&self, headers: &[Key], rows: &[Vec<String>], none: Key) -> String {
        if rows.is_empty() {
            return format!("{}\n", self.t(none));
        }
        let h: Vec<&str> = headers.iter().map(|k| self.t(*k)).collect();
        table(&h, rows)
    }

    /// A list: JSON with `as_json`, else a table of one row per item (or the `none` line).
    /// `row` gives each column as its header and its value, side by side.
    pub fn listing<T: Serialize>(
        &self,
        as_json: bool,
        items: &[T],
        none: Key,
        row: impl Fn(&T) -> Vec<(Key, String)>,
    ) -> Out {
        if as_json {
            return json(&items);
        }
        let cols: Vec<Vec<(Key, String)>> = items.iter().map(row).collect();
        let headers: Vec<Key> = cols
            .first()
            .map(|c| c.iter().map(|(k, _)| *k).collect())
            .unwrap_or_default();
        let rows: Vec<Vec<String>> = cols
            .into_iter()
            .map(|c| c.into_iter().map(|(_, v)| v).collect())
            .collect();
        Ok(self.rows_or(&headers, &rows, none))
    }

    /// One result: JSON with `as_json`, else the text `text` makes of it.
    pub fn json_or<T: Serialize>(
        &self,
        as_json: bool,
        value: &T,
        text: impl FnOnce(&T) -> Out,
    ) -> Out {
        if as_json {
            return json(value);
        }
        text(value)
    }

    /// [`Ctx::rows_or`] with the usual "none" line.
    pub fn none_or(&self, rows: &[Vec<String>], headers: &[Key]) -> String {
        self.rows_or(headers, rows, Key::OutNone)
    }

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

    pub async fn opt_org(&self, r: Option<String>) -> Result<Option<i64>, Error> {
        self.opt_ref(Key::EntOrganisation, r).await
    }

    pub async fn opt_class(&self, r: Option<String>) -> Result<Option<i64>, Error> {
        self.opt_ref(Key::EntClass, r).await
    }

    pub async fn opt_course(&self, r: Option<String>) -> Result<Option<i64>, Error> {
        self.opt_ref(Key::EntCourse, r).await
    }

    pub async fn opt_student(&self, r: Option<String>) -> Result<Option<i64>, Error> {
        self.opt_ref(Key::EntStudent, r).await
    }

    /// A course (id or title) and optionally one of its lessons (number or title).
    pub async fn course_lesson(
        &self,
        course: &str,
        lesson: Option<String>,
    ) -> Result<(i64, Option<i64>), Error> {
        let id = self.portail.course_resolve(self.actor, course).await?;
        let lesson = match lesson {
            Some(l) => Some(self.portail.lesson_resolve(id, &l).await?),
            None => None,
        };
        Ok((id, lesson))
    }

    /// Students by e-mail (or id), all resolved before anything is written.
    pub async fn students(&self, refs: &[String]) -> Result<Vec<i64>, Error> {
        let mut ids = Vec::with_capacity(refs.len());
        for r in refs {
            ids.push(self.portail.student_resolve(self.actor, r).await?);
        }
        Ok(ids)
    }

    pub async fn classes(&self, refs: &[String]) -> Result<Vec<i64>, Error> {
        let mut ids = Vec::with_capacity(refs.len());
        for r in refs {
            ids.push(self.portail.class_resolve(self.actor, r).await?);
        }
        Ok(ids)
    }

    /// A one-time upload link (for a phone or a browser), as the line to print.
    pub async fn upload_link(&self, purpose: UploadPurpose) -> Out {
        let p = self.portail;
        let token = p
            .upload_link_create(self.actor, purpose, UPLOAD_LINK_TTL)
            .await?;
        line_out(self.tf(
            Key::OutUploadLink,
            &[&format!("{}/u/{token}", p.options().public_url)],
        ))
    }

    /// The public address of a stored image, in the line `key` says.
    pub fn image_set(&self, key: Key, name: &str) -> Out {
        line_out(self.tf(
            key,
            &[&format!("{}/i/{name}", self.portail.options().public_url)],
        ))
    }

    /// Standard input as bytes, refused with `too_large` beyond `limit`.
    pub async fn read_bytes(
        &self,
        stdin: &mut impl Stdin,
        limit: usize,
        too_large: Key,
    ) -> Result<Vec<u8>, Fail> {
        stdin
            .read_all(limit)
            .await
            .ok_or(Fail::Core(Error::Invalid(too_large)))
    }

    /// Standard input as UTF-8 text, refused with `too_large` beyond `limit`.
    pub async fn read_text(
        &self,
        stdin: &mut impl Stdin,
        limit: usize,
        too_large: Key,
    ) -> Result<String, Fail> {
        let bytes = self.read_bytes(stdin, limit, too_large).await?;
        String::from_utf8(bytes).map_err(|_| Fail::Message(self.t(Key::ExecBadUtf8).into()))
    }
}
