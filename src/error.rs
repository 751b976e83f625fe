//! Typed errors of the core. Each variant maps to a catalog message so every door
//! (TUI, exec, HTTPS) explains the same failure in the same words.

use crate::i18n::{Key, Lang, t};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Wrong login or password; deliberately says nothing about which.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed logins from this source (or on this login from this source): the
    /// attempt was refused without checking the password.
    #[error("too many failed logins")]
    TooManyAttempts,
    /// The entity does not exist *or* the actor may not see it (same answer on purpose).
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The account must choose a password before doing anything else.
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("invalid input: {0:?}")]
    Invalid(Key),
    /// A field of the input is invalid: says which field and why.
    #[error("invalid field {field:?}: {problem:?}")]
    InvalidField {
        field: Key,
        problem: Key,
        value: String,
    },
    /// Several fields of one input are invalid: every one of them, in the input's order, so
    /// a form marks them all at once (a single one is [`Error::InvalidField`]).
    #[error("invalid fields: {0:?}")]
    InvalidFields(Vec<FieldProblem>),
    /// A reference (name, e-mail, id) given by the user matches nothing the actor may see.
    #[error("unknown {what:?}: {reference}")]
    Unknown { what: Key, reference: String },
    /// A name matches several entities: the user must be more precise (use the id).
    #[error("ambiguous {what:?}: {reference}")]
    Ambiguous { what: Key, reference: String },
    /// The operation needs an explicit confirmation (deleting something with history).
    #[error("confirmation required")]
    NeedsConfirmation(Key),
    /// An import was refused: every problem found, with its line and column.
    #[error("import refused: {} issue(s)", .0.len())]
    ImportRejected(Vec<crate::import::Issue>),
    #[error("already exists")]
    Conflict,
    /// A terminal recording (asciicast) was refused: the line and what is wrong with it
    /// (see [`crate::asciicast::parse`]).
    #[error("bad recording, line {line}: {problem:?}")]
    BadRecording { line: usize, problem: Key },
    /// A course's assignment dates refuse this today (not started yet, or ended): `key`
    /// says what, with `date` in words (see [`crate::services::enrolment::CourseAccess`]).
    #[error("outside the course's dates: {key:?} {date}")]
    CourseDates {
        key: Key,
        date: chrono::NaiveDate,
        today: chrono::NaiveDate,
    },
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

/// One invalid field of [`Error::InvalidFields`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Key,
    pub problem: Key,
    pub value: String,
}

impl FieldProblem {
    /// What is said beside the field: the problem, and for a problem that names
    /// something else (the organisation already holding a SIRET) that name too, cleaned.
    pub fn beside_field(&self, lang: Lang) -> String {
        let problem = crate::i18n::t(lang, self.problem);
        if self.problem == Key::ProbSiretTaken && !self.value.is_empty() {
            let name: String = crate::sanitize::line(&self.value)
                .chars()
                .take(60)
                .collect();
            match lang {
                Lang::Fr => format!("{problem} « {name} »"),
                Lang::En => format!("{problem} \"{name}\""),
            }
        } else {
            problem.to_string()
        }
    }
}

impl Error {
    /// Each field this error names, with its problem (none for other errors).
    pub fn field_problems(&self) -> Vec<FieldProblem> {
        match self {
            Error::InvalidField {
                field,
                problem,
                value,
            } => vec![FieldProblem {
                field: *field,
                problem: *problem,
                value: value.clone(),
            }],
            Error::InvalidFields(v) => v.clone(),
            _ => Vec::new(),
        }
    }

    /// The user-facing explanation, in the user's language. Internal details are not shown.
    pub fn user_message(&self, lang: Lang) -> String {
        use crate::i18n::tf;
        use crate::sanitize::line;
        let key = match self {
            Error::InvalidField {
                field,
                problem,
                value,
            } => {
                let value = if value.chars().count() > 60 {
                    format!("{}…", value.chars().take(60).collect::<String>())
                } else {
                    value.clone()
                };
                return tf(
                    lang,
                    Key::ErrFieldFormat,
                    &[t(lang, *field), t(lang, *problem), &line(&value)],
                );
            }
            Error::InvalidFields(problems) => {
                return problems
                    .iter()
                    .map(|p| {
                        Error::InvalidField {
                            field: p.field,
                            problem: p.problem,
                            value: p.value.clone(),
                        }
                        .user_message(lang)
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            Error::Unknown { what, reference } => {
                return tf(
                    lang,
                    Key::ErrUnknownFormat,
                    &[t(lang, *what), &line(reference)],
                );
            }
            Error::Ambiguous { what, reference } => {
                return tf(
                    lang,
                    Key::ErrAmbiguousFormat,
                    &[t(lang, *what), &line(reference)],
                );
            }
            Error::CourseDates { key, date, today } => {
                return tf(
                    lang,
                    *key,
                    &[&crate::present::day_month(lang, *date, *today)],
                );
            }
            Error::BadRecording { line, problem } => {
                return tf(
                    lang,
                    Key::CastErrLine,
                    &[&line.to_string(), t(lang, *problem)],
                );
            }
            Error::NeedsConfirmation(k) => *k,
            Error::ImportRejected(issues) => return crate::import::describe_issues(lang, issues),
            Error::InvalidCredentials => Key::ErrInvalidCredentials,
            Error::TooManyAttempts => Key::ErrTooManyAttempts,
            Error::NotFound => Key::ErrNotFound,
            Error::Forbidden => Key::ErrForbidden,
            Error::PasswordChangeRequired => Key::ErrPasswordChangeRequired,
            Error::Invalid(k) => *k,
            Error::Conflict => Key::ErrConflict,
            Error::Db(_) | Error::Migrate(_) | Error::Io(_) | Error::Internal(_) => {
                Key::ErrInternal
            }
        };
        t(lang, key).to_string()
    }
}
