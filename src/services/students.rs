//! Students: accounts created by the trainer, activated with a one-time code.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::accounts::unique_to_conflict;
use super::guard::require_trainer;
use super::{Portail, now};
use crate::auth;
use crate::domain::Actor;
use crate::i18n::Key;
use crate::validate::{self, MAX_NAME, MAX_NOTES};
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    /// Activation code handed out, no password chosen yet.
    Pending,
    Active,
    Disabled,
}

impl AccountStatus {
    pub fn from_flags(disabled: bool, has_password: bool) -> Self {
        if disabled {
            AccountStatus::Disabled
        } else if has_password {
            AccountStatus::Active
        } else {
            AccountStatus::Pending
        }
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct NamedRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Student {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub notes: Option<String>,
    pub status: AccountStatus,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub organisations: Vec<NamedRef>,
    /// Class names are shown with their organisation: "Organisme / Classe".
    pub classes: Vec<NamedRef>,
}

impl Student {
    pub fn display_name(&self) -> String {
        let n = format!("{} {}", self.first_name, self.last_name);
        let n = n.trim();
        if n.is_empty() {
            self.email.clone()
        } else {
            n.to_string()
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudentInput {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub notes: Option<String>,
}

struct ValidStudent {
    email: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    notes: Option<String>,
}

impl StudentInput {
    fn validated(&self) -> Result<ValidStudent> {
        Ok(ValidStudent {
            email: validate::email(Key::FieldEmail, &self.email)?,
            first_name: validate::optional(Key::FieldFirstName, Some(&self.first_name), MAX_NAME)?
                .unwrap_or_default(),
            last_name: validate::optional(Key::FieldLastName, Some(&self.last_name), MAX_NAME)?
                .unwrap_or_default(),
            phone: validate::phone(self.phone.as_deref())?,
            notes: validate::optional_text(Key::FieldNotes, self.notes.as_deref(), MAX_NOTES)?,
        })
    }
}

impl From<&Student> for StudentInput {
    fn from(s: &Student) -> Self {
        StudentInput {
            email: s.email.clone(),
            first_name: s.first_name.clone(),
            last_name: s.last_name.clone(),
            phone: s.phone.clone(),
            notes: s.notes.clone(),
        }
    }
}

#[derive(FromRow)]
struct StudentRow {
    id: i64,
    email: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    notes: Option<String>,
    disabled: bool,
    has_password: bool,
    created_at: DateTime<Utc>,
    last_login_at: Option<DateTime<Utc>>,
}

const SELECT_STUDENTS: &str = "SELECT u.id, u.email, u.first_name, u.last_name, u.phone, u.notes, \
     u.disabled, u.password_hash IS NOT NULL AS has_password, u.created_at, u.last_login_at \
     FROM users u WHERE u.role = 'student' ";

fn email_conflict(e: sqlx::Error, email: &str) -> Error {
    match unique_to_conflict(e) {
        Error::Conflict => validate::invalid(Key::FieldEmail, Key::ProbDuplicateEmail, email),
        other => other,
    }
}

impl Portail {
    async fn students_where(
        &self,
        clause: &str,
        a: Option<i64>,
        b: Option<i64>,
    ) -> Result<Vec<Student>> {
        let sql = format!(
            "{SELECT_STUDENTS} {clause} ORDER BY u.last_name COLLATE NOCASE, u.first_name COLLATE NOCASE, u.email"
        );
        let rows: Vec<StudentRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(a)
            .bind(b)
            .fetch_all(self.pool())
            .await?;
        // Memberships in two queries for the whole list (no query per student).
        let orgs: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT m.student_id, o.id, o.name FROM organisation_members m \
             JOIN organisations o ON o.id = m.organisation_id ORDER BY o.name COLLATE NOCASE",
        )
        .fetch_all(self.pool())
        .await?;
        let classes: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT m.student_id, c.id, o.name || ' / ' || c.name FROM class_members m \
             JOIN classes c ON c.id = m.class_id JOIN organisations o ON o.id = c.organisation_id \
             ORDER BY o.name COLLATE NOCASE, c.name COLLATE NOCASE",
        )
        .fetch_all(self.pool())
        .await?;
        let pick = |list: &[(i64, i64, String)], sid: i64| {
            list.iter()
                .filter(|(s, _, _)| *s == sid)
                .map(|(_, id, name)| NamedRef {
                    id: *id,
                    name: name.clone(),
                })
                .collect::<Vec<_>>()
        };
        let mut list: Vec<Student> = rows
            .into_iter()
            .map(|r| Student {
                organisations: pick(&orgs, r.id),
                classes: pick(&classes, r.id),
                status: AccountStatus::from_flags(r.disabled, r.has_password),
                id: r.id,
                email: r.email,
                first_name: r.first_name,
                last_name: r.last_name,
                phone: r.phone,
                notes: r.notes,
                created_at: r.created_at,
                last_login_at: r.last_login_at,
            })
            .collect();
        crate::present::sort_by_texts(&mut list, |s| {
            [
                s.last_name.as_str(),
                s.first_name.as_str(),
                s.email.as_str(),
            ]
        });
        Ok(list)
    }

    /// Students, optionally only those of an organisation and/or a class.
    pub async fn student_list(
        &self,
        actor: &Actor,
        organisation: Option<i64>,
        class: Option<i64>,
    ) -> Result<Vec<Student>> {
        require_trainer(actor)?;
        self.students_where(
            "AND (?1 IS NULL OR u.id IN (SELECT student_id FROM organisation_members WHERE organisation_id = ?1 \
               UNION SELECT m.student_id FROM class_members m JOIN classes c ON c.id = m.class_id \
               WHERE c.organisation_id = ?1)) \
             AND (?2 IS NULL OR u.id IN (SELECT student_id FROM class_members WHERE class_id = ?2))",
            organisation,
            class,
        )
        .await
    }

    pub async fn student_get(&self, actor: &Actor, id: i64) -> Result<Student> {
        require_trainer(actor)?;
        self.students_where("AND u.id = ?1 AND ?2 IS NULL", Some(id), None)
            .await?
            .pop()
            .ok_or(Error::NotFound)
    }

    /// A student by id or e-mail (any case).
    pub async fn student_resolve(&self, actor: &Actor, reference: &str) -> Result<i64> {
        require_trainer(actor)?;
        let r = reference.trim();
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM users WHERE role = 'student' AND (CAST(id AS TEXT) = ?1 OR email = ?1)",
        )
        .bind(r)
        .fetch_optional(self.pool())
        .await?;
        id.ok_or_else(|| Error::Unknown {
            what: Key::EntStudent,
            reference: r.to_string(),
        })
    }

    async fn new_activation_code(&self) -> Result<(String, String, DateTime<Utc>)> {
        let code = auth::generate_activation_code();
        let hash = auth::hash_activation_code(&code);
        Ok((code, hash, now() + self.options().activation_ttl))
    }

    /// Creates a student with an activation code (returned, to hand over once), in the
    /// given classes (and their organisations) and organisations. All or nothing.
    pub async fn student_create(
        &self,
        actor: &Actor,
        input: &StudentInput,
        classes: &[i64],
        organisations: &[i64],
    ) -> Result<(Student, String)> {
        require_trainer(actor)?;
        let v = input.validated()?;
        let (code, hash, expires) = self.new_activation_code().await?;
        let ts = now();
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (role, email, first_name, last_name, phone, notes, activation_code_hash, \
             activation_expires_at, created_at, updated_at) \
             VALUES ('student', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id",
        )
        .bind(&v.email)
        .bind(&v.first_name)
        .bind(&v.last_name)
        .bind(&v.phone)
        .bind(&v.notes)
        .bind(hash)
        .bind(expires)
        .bind(ts)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| email_conflict(e, &v.email))?;
        for &class in classes {
            let org: Option<i64> =
                sqlx::query_scalar("SELECT organisation_id FROM classes WHERE id = ?1")
                    .bind(class)
                    .fetch_optional(&mut *tx)
                    .await?;
            let org = org.ok_or_else(|| Error::Unknown {
                what: Key::EntClass,
                reference: class.to_string(),
            })?;
            sqlx::query("INSERT OR IGNORE INTO class_members (class_id, student_id, added_at) VALUES (?1, ?2, ?3)")
                .bind(class)
                .bind(id)
                .bind(ts)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT OR IGNORE INTO organisation_members (organisation_id, student_id, added_at) VALUES (?1, ?2, ?3)",
            )
            .bind(org)
            .bind(id)
            .bind(ts)
            .execute(&mut *tx)
            .await?;
        }
        for &org in organisations {
            sqlx::query(
                "INSERT INTO organisation_members (organisation_id, student_id, added_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(org)
            .bind(id)
            .bind(ts)
            .execute(&mut *tx)
            .await
            .map_err(|_| Error::Unknown {
                what: Key::EntOrganisation,
                reference: org.to_string(),
            })?;
        }
        tx.commit().await?;
        Ok((self.student_get(actor, id).await?, code))
    }

    pub async fn student_update(
        &self,
        actor: &Actor,
        id: i64,
        input: &StudentInput,
    ) -> Result<Student> {
        require_trainer(actor)?;
        let v = input.validated()?;
        let done = sqlx::query(
            "UPDATE users SET email = ?1, first_name = ?2, last_name = ?3, phone = ?4, notes = ?5, \
             updated_at = ?6 WHERE id = ?7 AND role = 'student'",
        )
        .bind(&v.email)
        .bind(&v.first_name)
        .bind(&v.last_name)
        .bind(&v.phone)
        .bind(&v.notes)
        .bind(now())
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(|e| email_conflict(e, &v.email))?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        self.bus()
            .publish(crate::events::Event::UserUpdated { user_id: id });
        self.student_get(actor, id).await
    }

    /// Disables or re-enables a student's account. A disabled student cannot log in.
    pub async fn student_set_disabled(
        &self,
        actor: &Actor,
        id: i64,
        disabled: bool,
    ) -> Result<Student> {
        require_trainer(actor)?;
        let done = sqlx::query(
            "UPDATE users SET disabled = ?1, updated_at = ?2 WHERE id = ?3 AND role = 'student'",
        )
        .bind(disabled)
        .bind(now())
        .bind(id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        self.bus()
            .publish(crate::events::Event::UserUpdated { user_id: id });
        self.student_get(actor, id).await
    }

    /// Issues a new activation code (the old one stops working). The student keeps any
    /// password already chosen until they use the code, which makes them choose again.
    pub async fn student_reset_code(&self, actor: &Actor, id: i64) -> Result<String> {
        require_trainer(actor)?;
        let (code, hash, expires) = self.new_activation_code().await?;
        let done = sqlx::query(
            "UPDATE users SET activation_code_hash = ?1, activation_expires_at = ?2, updated_at = ?3 \
             WHERE id = ?4 AND role = 'student'",
        )
        .bind(hash)
        .bind(expires)
        .bind(now())
        .bind(id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(code)
    }

    /// Whether a student has a history worth keeping (activity, progress, messages).
    pub async fn student_has_history(&self, actor: &Actor, id: i64) -> Result<bool> {
        require_trainer(actor)?;
        Ok(sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM activity_log WHERE user_id = ?1) \
             OR EXISTS (SELECT 1 FROM lesson_progress WHERE student_id = ?1) \
             OR EXISTS (SELECT 1 FROM messages WHERE sender_id = ?1)",
        )
        .bind(id)
        .fetch_one(self.pool())
        .await?)
    }

    /// Deletes a student. One with a history is refused unless `force` (disable instead).
    pub async fn student_delete(&self, actor: &Actor, id: i64, force: bool) -> Result<()> {
        self.student_get(actor, id).await?;
        if !force && self.student_has_history(actor, id).await? {
            return Err(Error::NeedsConfirmation(Key::ErrStudentHasHistory));
        }
        sqlx::query("DELETE FROM users WHERE id = ?1 AND role = 'student'")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
