//! Domain types shared by every door.

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Trainer,
    Student,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Trainer => "trainer",
            Role::Student => "student",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "trainer" => Some(Role::Trainer),
            "student" => Some(Role::Student),
            _ => None,
        }
    }
}

/// A user as the services expose it (never the secrets).
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub role: Role,
    pub email: String,
    pub login: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub language: Lang,
    pub disabled: bool,
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl User {
    /// "First Last", or the e-mail when no name is known.
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.first_name.trim(), self.last_name.trim());
        let name = name.trim();
        if name.is_empty() {
            self.email.clone()
        } else {
            name.to_string()
        }
    }
}

/// Who is acting: every service call is authorized against this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    /// The session was opened with an activation code or a password that must be replaced:
    /// the only thing allowed is choosing a password.
    pub must_change_password: bool,
}

impl Actor {
    pub fn is_trainer(&self) -> bool {
        self.role == Role::Trainer
    }
}
