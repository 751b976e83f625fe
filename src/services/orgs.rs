//! Organisations (organismes de formation): the schools a trainer works for.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::guard::require_trainer;
use super::{Portail, now};
use crate::domain::Actor;
use crate::i18n::Key;
use crate::validate::{self, MAX_NAME, MAX_NOTES, MAX_SHORT, invalid};
use crate::{Error, Result};

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub siret: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    pub has_logo: bool,
    pub class_count: i64,
    pub student_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a trainer types for an organisation (validated by the service).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgInput {
    pub name: String,
    pub siret: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
}

impl OrgInput {
    /// The input cleaned; every invalid field is reported at once (a form marks them all).
    pub fn validated(&self) -> Result<OrgInput> {
        let mut f = validate::Fields::default();
        let v = OrgInput {
            name: f.check(validate::required(Key::FieldName, &self.name, MAX_NAME)),
            siret: f.check(validate::siret(self.siret.as_deref())),
            address: f.check(validate::optional(
                Key::FieldAddress,
                self.address.as_deref(),
                MAX_SHORT,
            )),
            contact_name: f.check(validate::optional(
                Key::FieldContact,
                self.contact_name.as_deref(),
                MAX_NAME,
            )),
            email: f.check(validate::optional_email(
                Key::FieldEmail,
                self.email.as_deref(),
            )),
            phone: f.check(validate::phone(self.phone.as_deref())),
            website: f.check(validate::optional_url(
                Key::FieldWebsite,
                self.website.as_deref(),
            )),
            notes: f.check(validate::optional_text(
                Key::FieldNotes,
                self.notes.as_deref(),
                MAX_NOTES,
            )),
        };
        f.done()?;
        Ok(v)
    }
}

/// Two organisations never share a SIRET: the organisation other than `except` that already
/// holds `siret`, refused naming it. Checked when a SIRET is set or changed (inside the
/// writing transaction); the database's triggers hold the same rule.
pub(crate) async fn siret_free(
    conn: &mut sqlx::SqliteConnection,
    siret: Option<&str>,
    except: Option<i64>,
) -> Result<()> {
    let Some(siret) = siret else {
        return Ok(());
    };
    if let Some(id) = except {
        let current: Option<String> =
            sqlx::query_scalar("SELECT siret FROM organisations WHERE id = ?1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .flatten();
        if current.as_deref() == Some(siret) {
            return Ok(()); // unchanged (a pair from before this rule stays editable)
        }
    }
    let holder: Option<String> = sqlx::query_scalar(
        "SELECT name FROM organisations WHERE siret = ?1 AND id IS NOT ?2 ORDER BY id LIMIT 1",
    )
    .bind(siret)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    match holder {
        Some(name) => Err(invalid(Key::FieldSiret, Key::ProbSiretTaken, &name)),
        None => Ok(()),
    }
}

impl From<&Organisation> for OrgInput {
    fn from(o: &Organisation) -> Self {
        OrgInput {
            name: o.name.clone(),
            siret: o.siret.clone(),
            address: o.address.clone(),
            contact_name: o.contact_name.clone(),
            email: o.email.clone(),
            phone: o.phone.clone(),
            website: o.website.clone(),
            notes: o.notes.clone(),
        }
    }
}

/// What deleting an organisation takes with it (said before confirming).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, FromRow)]
pub struct OrgDeletion {
    pub classes: i64,
    pub class_memberships: i64,
    pub assignments: i64,
}

const SELECT_ORGS: &str = "SELECT o.id, o.name, o.siret, o.address, o.contact_name, o.email, o.phone, \
     o.website, o.notes, o.logo_file_id IS NOT NULL AS has_logo, \
     (SELECT count(*) FROM classes c WHERE c.organisation_id = o.id) AS class_count, \
     (SELECT count(*) FROM (SELECT student_id FROM organisation_members WHERE organisation_id = o.id \
        UNION SELECT cm.student_id FROM class_members cm JOIN classes c ON c.id = cm.class_id \
        WHERE c.organisation_id = o.id)) AS student_count, \
     o.created_at, o.updated_at FROM organisations o ";

pub(crate) fn name_conflict(e: sqlx::Error, field: Key, problem: Key, value: &str) -> Error {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => invalid(field, problem, value),
        _ => Error::Db(e),
    }
}

impl Portail {
    pub async fn org_list(&self, actor: &Actor) -> Result<Vec<Organisation>> {
        require_trainer(actor)?;
        let sql = format!("{SELECT_ORGS} ORDER BY o.name COLLATE NOCASE");
        let mut list: Vec<Organisation> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await?;
        crate::present::sort_by_texts(&mut list, |o| [o.name.as_str()]);
        Ok(list)
    }

    pub async fn org_get(&self, actor: &Actor, id: i64) -> Result<Organisation> {
        require_trainer(actor)?;
        let sql = format!("{SELECT_ORGS} WHERE o.id = ?1");
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(Error::NotFound)
    }

    /// An organisation by id or by name (case-insensitive).
    pub async fn org_resolve(&self, actor: &Actor, reference: &str) -> Result<i64> {
        require_trainer(actor)?;
        let r = reference.trim();
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM organisations WHERE (CAST(id AS TEXT) = ?1) OR name = ?1 \
             ORDER BY CAST(id AS TEXT) = ?1 DESC LIMIT 1",
        )
        .bind(r)
        .fetch_optional(self.pool())
        .await?;
        found.ok_or_else(|| Error::Unknown {
            what: Key::EntOrganisation,
            reference: r.to_string(),
        })
    }

    pub async fn org_create(&self, actor: &Actor, input: &OrgInput) -> Result<Organisation> {
        require_trainer(actor)?;
        let v = input.validated()?;
        let ts = now();
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
        siret_free(&mut tx, v.siret.as_deref(), None).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (name, siret, address, contact_name, email, phone, website, \
             notes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id",
        )
        .bind(&v.name)
        .bind(&v.siret)
        .bind(&v.address)
        .bind(&v.contact_name)
        .bind(&v.email)
        .bind(&v.phone)
        .bind(&v.website)
        .bind(&v.notes)
        .bind(ts)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| name_conflict(e, Key::FieldName, Key::ProbDuplicateName, &v.name))?;
        tx.commit().await?;
        self.org_get(actor, id).await
    }

    pub async fn org_update(
        &self,
        actor: &Actor,
        id: i64,
        input: &OrgInput,
    ) -> Result<Organisation> {
        require_trainer(actor)?;
        let v = input.validated()?;
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
        siret_free(&mut tx, v.siret.as_deref(), Some(id)).await?;
        let done = sqlx::query(
            "UPDATE organisations SET name = ?1, siret = ?2, address = ?3, contact_name = ?4, \
             email = ?5, phone = ?6, website = ?7, notes = ?8, updated_at = ?9 WHERE id = ?10",
        )
        .bind(&v.name)
        .bind(&v.siret)
        .bind(&v.address)
        .bind(&v.contact_name)
        .bind(&v.email)
        .bind(&v.phone)
        .bind(&v.website)
        .bind(&v.notes)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| name_conflict(e, Key::FieldName, Key::ProbDuplicateName, &v.name))?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        tx.commit().await?;
        self.org_get(actor, id).await
    }

    pub async fn org_deletion_impact(&self, actor: &Actor, id: i64) -> Result<OrgDeletion> {
        require_trainer(actor)?;
        self.org_get(actor, id).await?;
        Ok(sqlx::query_as(
            "SELECT (SELECT count(*) FROM classes WHERE organisation_id = ?1) AS classes, \
             (SELECT count(*) FROM class_members cm JOIN classes c ON c.id = cm.class_id \
              WHERE c.organisation_id = ?1) AS class_memberships, \
             (SELECT count(*) FROM assignments a JOIN classes c ON c.id = a.class_id \
              WHERE c.organisation_id = ?1) AS assignments",
        )
        .bind(id)
        .fetch_one(self.pool())
        .await?)
    }

    /// Deletes an organisation with its classes, their memberships and course assignments.
    /// Students keep their accounts and their recorded progress.
    pub async fn org_delete(&self, actor: &Actor, id: i64) -> Result<OrgDeletion> {
        let impact = self.org_deletion_impact(actor, id).await?;
        sqlx::query("DELETE FROM organisations WHERE id = ?1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(impact)
    }
}
