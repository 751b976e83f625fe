//! Classes: groups of students in an organisation, with optional dates.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::FromRow;

use super::guard::require_trainer;
use super::orgs::name_conflict;
use super::students::AccountStatus;
use super::{Portail, now};
use crate::domain::Actor;
use crate::i18n::Key;
use crate::validate::{self, MAX_NAME};
use crate::{Error, Result};

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Class {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub name: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub member_count: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClassInput {
    pub organisation_id: i64,
    pub name: String,
    /// `YYYY-MM-DD`, empty for none.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassMember {
    pub student_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub status: AccountStatus,
}

/// What deleting a class takes with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, FromRow)]
pub struct ClassDeletion {
    pub memberships: i64,
    pub assignments: i64,
}

const SELECT_CLASSES: &str = "SELECT c.id, c.organisation_id, o.name AS organisation_name, c.name, \
     c.start_date, c.end_date, \
     (SELECT count(*) FROM class_members m WHERE m.class_id = c.id) AS member_count \
     FROM classes c JOIN organisations o ON o.id = c.organisation_id ";

impl Portail {
    pub async fn class_list(&self, actor: &Actor, organisation: Option<i64>) -> Result<Vec<Class>> {
        require_trainer(actor)?;
        let sql = format!(
            "{SELECT_CLASSES} WHERE ?1 IS NULL OR c.organisation_id = ?1 \
             ORDER BY o.name COLLATE NOCASE, c.start_date, c.name COLLATE NOCASE"
        );
        let mut list: Vec<Class> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(organisation)
            .fetch_all(self.pool())
            .await?;
        // People read the order: the collation, organisation then name (the start date
        // between them, as the query has it).
        list.sort_by_cached_key(|c| {
            (
                crate::present::sort_key(&c.organisation_name),
                c.start_date,
                crate::present::sort_key(&c.name),
            )
        });
        Ok(list)
    }

    pub async fn class_get(&self, actor: &Actor, id: i64) -> Result<Class> {
        require_trainer(actor)?;
        let sql = format!("{SELECT_CLASSES} WHERE c.id = ?1");
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(Error::NotFound)
    }

    /// A class by id, or by name when that name is unique across organisations.
    pub async fn class_resolve(&self, actor: &Actor, reference: &str) -> Result<i64> {
        require_trainer(actor)?;
        let r = reference.trim();
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM classes WHERE CAST(id AS TEXT) = ?1 \
             UNION ALL SELECT id FROM classes WHERE name = ?1 AND NOT EXISTS \
             (SELECT 1 FROM classes WHERE CAST(id AS TEXT) = ?1)",
        )
        .bind(r)
        .fetch_all(self.pool())
        .await?;
        match ids.as_slice() {
            [id] => Ok(*id),
            [] => Err(Error::Unknown {
                what: Key::EntClass,
                reference: r.to_string(),
            }),
            _ => Err(Error::Ambiguous {
                what: Key::EntClass,
                reference: r.to_string(),
            }),
        }
    }

    fn class_validated(
        input: &ClassInput,
    ) -> Result<(String, Option<NaiveDate>, Option<NaiveDate>)> {
        let name = validate::required(Key::FieldName, &input.name, MAX_NAME)?;
        let start = validate::date(Key::FieldStart, input.start_date.as_deref())?;
        let end = validate::date(Key::FieldEnd, input.end_date.as_deref())?;
        validate::date_range(start, end)?;
        Ok((name, start, end))
    }

    pub async fn class_create(&self, actor: &Actor, input: &ClassInput) -> Result<Class> {
        require_trainer(actor)?;
        let (name, start, end) = Self::class_validated(input)?;
        self.org_get(actor, input.organisation_id)
            .await
            .map_err(|_| Error::Unknown {
                what: Key::EntOrganisation,
                reference: input.organisation_id.to_string(),
            })?;
        let ts = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO classes (organisation_id, name, start_date, end_date, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
        )
        .bind(input.organisation_id)
        .bind(&name)
        .bind(start)
        .bind(end)
        .bind(ts)
        .fetch_one(self.pool())
        .await
        .map_err(|e| name_conflict(e, Key::FieldName, Key::ProbDuplicateNameInOrg, &name))?;
        self.class_get(actor, id).await
    }

    pub async fn class_update(&self, actor: &Actor, id: i64, input: &ClassInput) -> Result<Class> {
        require_trainer(actor)?;
        let (name, start, end) = Self::class_validated(input)?;
        let done = sqlx::query(
            "UPDATE classes SET organisation_id = ?1, name = ?2, start_date = ?3, end_date = ?4, \
             updated_at = ?5 WHERE id = ?6",
        )
        .bind(input.organisation_id)
        .bind(&name)
        .bind(start)
        .bind(end)
        .bind(now())
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(|e| name_conflict(e, Key::FieldName, Key::ProbDuplicateNameInOrg, &name))?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        self.class_get(actor, id).await
    }

    pub async fn class_deletion_impact(&self, actor: &Actor, id: i64) -> Result<ClassDeletion> {
        self.class_get(actor, id).await?;
        Ok(sqlx::query_as(
            "SELECT (SELECT count(*) FROM class_members WHERE class_id = ?1) AS memberships, \
             (SELECT count(*) FROM assignments WHERE class_id = ?1) AS assignments",
        )
        .bind(id)
        .fetch_one(self.pool())
        .await?)
    }

    /// Deletes a class, its memberships and its course assignments (students keep their
    /// accounts and recorded progress).
    pub async fn class_delete(&self, actor: &Actor, id: i64) -> Result<ClassDeletion> {
        let impact = self.class_deletion_impact(actor, id).await?;
        sqlx::query("DELETE FROM classes WHERE id = ?1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(impact)
    }

    pub async fn class_members(&self, actor: &Actor, class_id: i64) -> Result<Vec<ClassMember>> {
        self.class_get(actor, class_id).await?;
        let rows: Vec<(i64, String, String, String, bool, bool)> = sqlx::query_as(
            "SELECT u.id, u.email, u.first_name, u.last_name, u.disabled, u.password_hash IS NOT NULL \
             FROM class_members m JOIN users u ON u.id = m.student_id WHERE m.class_id = ?1 \
             ORDER BY u.last_name COLLATE NOCASE, u.first_name COLLATE NOCASE, u.email",
        )
        .bind(class_id)
        .fetch_all(self.pool())
        .await?;
        let mut list: Vec<ClassMember> = rows
            .into_iter()
            .map(|(id, email, first, last, disabled, has_pw)| ClassMember {
                student_id: id,
                email,
                first_name: first,
                last_name: last,
                status: AccountStatus::from_flags(disabled, has_pw),
            })
            .collect();
        crate::present::sort_by_texts(&mut list, |m| {
            [
                m.last_name.as_str(),
                m.first_name.as_str(),
                m.email.as_str(),
            ]
        });
        Ok(list)
    }

    /// Adds students to a class (and to its organisation). All or nothing; members already
    /// in the class are left as they are. Returns how many were added.
    pub async fn class_add_members(
        &self,
        actor: &Actor,
        class_id: i64,
        students: &[i64],
    ) -> Result<usize> {
        let class = self.class_get(actor, class_id).await?;
        let mut tx = self.pool().begin().await?;
        let ts = now();
        let mut added = 0;
        for &sid in students {
            let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = ?1")
                .bind(sid)
                .fetch_optional(&mut *tx)
                .await?;
            if role.as_deref() != Some("student") {
                return Err(validate::invalid(
                    Key::EntStudent,
                    Key::ProbNotAStudent,
                    &sid.to_string(),
                ));
            }
            added += sqlx::query(
                "INSERT OR IGNORE INTO class_members (class_id, student_id, added_at) VALUES (?1, ?2, ?3)",
            )
            .bind(class_id)
            .bind(sid)
            .bind(ts)
            .execute(&mut *tx)
            .await?
            .rows_affected() as usize;
            sqlx::query(
                "INSERT OR IGNORE INTO organisation_members (organisation_id, student_id, added_at) \
                 VALUES (?1, ?2, ?3)",
            )
            .bind(class.organisation_id)
            .bind(sid)
            .bind(ts)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Removes students from a class. They lose the class's courses, keep their progress.
    pub async fn class_remove_members(
        &self,
        actor: &Actor,
        class_id: i64,
        students: &[i64],
    ) -> Result<usize> {
        self.class_get(actor, class_id).await?;
        let mut tx = self.pool().begin().await?;
        let mut removed = 0;
        for &sid in students {
            removed +=
                sqlx::query("DELETE FROM class_members WHERE class_id = ?1 AND student_id = ?2")
                    .bind(class_id)
                    .bind(sid)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(removed)
    }
}
