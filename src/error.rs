//! Typed errors of the core. Each variant maps to a catalog message so every door
//! (TUI, exec, HTTPS) explains the same failure in the same words.

use crate::i18n::{Key, Lang, t};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Wrong login or password; deliberately says nothing about which.
    #[error("invalid credentials")]
    InvalidCredentials,
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
    #[error("already exists")]
    Conflict,
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The user-facing explanation, in the user's language. Internal details are not shown.
    pub fn user_message(&self, lang: Lang) -> String {
        let key = match self {
            Error::InvalidCredentials => Key::ErrInvalidCredentials,
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
