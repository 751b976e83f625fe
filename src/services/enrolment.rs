//! Assignments (course → class or course → student) and the participants they produce.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::guard::require_trainer;
use super::students::AccountStatus;
use super::{Portail, now};
use crate::domain::Actor;
use crate::i18n::Key;
use crate::validate::{self, invalid};
use crate::{Error, Result};

/// Who a course is assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Class(i64),
    Student(i64),
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Assignment {
    pub id: i64,
    pub course_id: i64,
    pub class_id: Option<i64>,
    pub class_name: Option<String>,
    pub organisation_name: Option<String>,
    pub student_id: Option<i64>,
    pub student_email: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

/// What a student may do with a course on a given day, from its assignment dates (the
/// one rule every door asks): before the start day the course is listed but cannot be
/// opened (nor its files downloaded, nor its quizzes seen); from the start day through the
/// end day it is open; after the end day it stays readable, but lessons can no longer be
/// marked done and its quizzes cannot be started. Days are local days in the configured
/// time zone ([`crate::present::local_date`]); both dates are inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CourseAccess {
    /// Before its start day.
    Upcoming,
    #[default]
    Open,
    /// After its end day: read only.
    Ended,
}

impl CourseAccess {
    /// The access on `today` for an assignment running from `start` to `end` (either open).
    pub fn on(today: NaiveDate, start: Option<NaiveDate>, end: Option<NaiveDate>) -> Self {
        if start.is_some_and(|s| today < s) {
            CourseAccess::Upcoming
        } else if end.is_some_and(|e| today > e) {
            CourseAccess::Ended
        } else {
            CourseAccess::Open
        }
    }

    /// Why the course may not be opened (`None`: it may).
    pub fn refuse_opening(self, start: Option<NaiveDate>, today: NaiveDate) -> Option<Error> {
        match (self, start) {
            (CourseAccess::Upcoming, Some(date)) => Some(Error::CourseDates {
                key: Key::ErrCourseNotStarted,
                date,
                today,
            }),
            _ => None,
        }
    }

    /// Why the student may not make progress in the course — mark a lesson done, start a
    /// quiz (`key` says which; `None`: they may).
    pub fn refuse_progress(
        self,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        today: NaiveDate,
        key: Key,
    ) -> Option<Error> {
        match (self, end) {
            (CourseAccess::Ended, Some(date)) => Some(Error::CourseDates { key, date, today }),
            _ => self.refuse_opening(start, today),
        }
    }

    /// How a list shows a course that is not open: `à partir du 1er mars`,
    /// `terminé depuis le 12 janvier` (`None` when open).
    pub fn note(
        self,
        lang: crate::Lang,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Option<String> {
        let (key, date) = match (self, start, end) {
            (CourseAccess::Upcoming, Some(d), _) => (Key::SpAvailableFrom, d),
            (CourseAccess::Ended, _, Some(d)) => (Key::SpEndedOn, d),
            _ => return None,
        };
        Some(crate::i18n::tf(
            lang,
            key,
            &[&crate::present::day_month(lang, date, today)],
        ))
    }
}

/// What [`Portail::course_assign`] did: how many targets, and whether the course is still
/// a draft (students will not see it until it is published).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assigned {
    pub count: usize,
    pub draft: bool,
}

impl Assigned {
    /// The warning every door shows after assigning a draft course.
    pub fn warning(&self, lang: crate::Lang) -> Option<&'static str> {
        self.draft
            .then(|| crate::i18n::t(lang, Key::OutDraftHidden))
    }
}

/// A student enrolled in a course, by any route.
#[derive(Debug, Clone, Serialize)]
pub struct Participant {
    pub student_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Class names, or `individual`, comma-separated.
    pub via: String,
    pub status: AccountStatus,
    pub completed_lessons: i64,
    pub total_lessons: i64,
    pub progress_percent: u32,
    pub last_activity: Option<DateTime<Utc>>,
    /// The student's best score on each quiz of the course.
    pub quiz_scores: Vec<crate::quiz::QuizScore>,
}

#[derive(FromRow)]
struct ParticipantRow {
    id: i64,
    email: String,
    first_name: String,
    last_name: String,
    via: String,
    disabled: bool,
    has_password: bool,
    done: i64,
    last_activity: Option<DateTime<Utc>>,
}

/// The marker used for individual assignments in `via`.
pub const VIA_INDIVIDUAL: &str = "individual";

impl Portail {
    pub async fn course_assignments(
        &self,
        actor: &Actor,
        course_id: i64,
    ) -> Result<Vec<Assignment>> {
        require_trainer(actor)?;
        let mut list: Vec<Assignment> = sqlx::query_as(
            "SELECT a.id, a.course_id, a.class_id, c.name AS class_name, o.name AS organisation_name, \
             a.student_id, u.email AS student_email, a.start_date, a.end_date \
             FROM assignments a LEFT JOIN classes c ON c.id = a.class_id \
             LEFT JOIN organisations o ON o.id = c.organisation_id LEFT JOIN users u ON u.id = a.student_id \
             WHERE a.course_id = ?1 ORDER BY a.class_id IS NULL, o.name, c.name, u.email",
        )
        .bind(course_id)
        .fetch_all(self.pool())
        .await?;
        let text = |s: &Option<String>| crate::present::sort_key(s.as_deref().unwrap_or(""));
        list.sort_by_cached_key(|a| {
            (
                a.class_id.is_none(),
                text(&a.organisation_name),
                text(&a.class_name),
                text(&a.student_email),
            )
        });
        Ok(list)
    }

    /// Assigns a course to classes and/or students with optional dates (`YYYY-MM-DD`).
    /// On an existing assignment a date given replaces the old one (an empty one clears
    /// it) and a date not given (`None`) is kept: re-assigning with a new start never
    /// drops the end. All or nothing; a resulting end before its start is refused. The
    /// dates rule what the students may do ([`CourseAccess`]).
    pub async fn course_assign(
        &self,
        actor: &Actor,
        course_id: i64,
        targets: &[Target],
        start: Option<&str>,
        end: Option<&str>,
    ) -> Result<Assigned> {
        require_trainer(actor)?;
        let (set_start, set_end) = (start.is_some(), end.is_some());
        let start = validate::date(Key::FieldStart, start)?;
        let end = validate::date(Key::FieldEnd, end)?;
        validate::date_range(start, end)?;
        let course = self.course_row(course_id).await?;
        let ts = now();
        let mut tx = self.pool().begin().await?;
        for target in targets {
            // A date not given keeps the one already set; the pair must still hold.
            let (column, id) = match *target {
                Target::Class(c) => ("class_id", c),
                Target::Student(s) => ("student_id", s),
            };
            let sql = format!(
                "SELECT start_date, end_date FROM assignments WHERE course_id = ?1 AND {column} = ?2"
            );
            let old: Option<(Option<NaiveDate>, Option<NaiveDate>)> =
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(course_id)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (old_start, old_end) = old.unwrap_or_default();
            let start = if set_start { start } else { old_start };
            let end = if set_end { end } else { old_end };
            validate::date_range(start, end)?;
            match *target {
                Target::Class(class) => {
                    sqlx::query(
                        "INSERT INTO assignments (course_id, class_id, start_date, end_date, created_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (course_id, class_id) WHERE class_id IS NOT NULL \
                         DO UPDATE SET start_date = excluded.start_date, end_date = excluded.end_date",
                    )
                    .bind(course_id)
                    .bind(class)
                    .bind(start)
                    .bind(end)
                    .bind(ts)
                    .execute(&mut *tx)
                    .await
                    .map_err(|_| Error::Unknown { what: Key::EntClass, reference: class.to_string() })?;
                }
                Target::Student(student) => {
                    let role: Option<String> =
                        sqlx::query_scalar("SELECT role FROM users WHERE id = ?1")
                            .bind(student)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if role.as_deref() != Some("student") {
                        return Err(invalid(
                            Key::EntStudent,
                            Key::ProbNotAStudent,
                            &student.to_string(),
                        ));
                    }
                    sqlx::query(
                        "INSERT INTO assignments (course_id, student_id, start_date, end_date, created_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (course_id, student_id) WHERE student_id IS NOT NULL \
                         DO UPDATE SET start_date = excluded.start_date, end_date = excluded.end_date",
                    )
                    .bind(course_id)
                    .bind(student)
                    .bind(start)
                    .bind(end)
                    .bind(ts)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(Assigned {
            count: targets.len(),
            draft: course.status == super::courses::CourseStatus::Draft,
        })
    }

    /// Removes assignments. A target the course is not assigned to is an error (nothing
    /// removed). Students keep their recorded progress.
    pub async fn course_unassign(
        &self,
        actor: &Actor,
        course_id: i64,
        targets: &[Target],
    ) -> Result<usize> {
        require_trainer(actor)?;
        self.course_row(course_id).await?;
        let mut tx = self.pool().begin().await?;
        for target in targets {
            let (sql, id) = match *target {
                Target::Class(c) => (
                    "DELETE FROM assignments WHERE course_id = ?1 AND class_id = ?2",
                    c,
                ),
                Target::Student(s) => (
                    "DELETE FROM assignments WHERE course_id = ?1 AND student_id = ?2",
                    s,
                ),
            };
            let n = sqlx::query(sql)
                .bind(course_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(invalid(
                    Key::FieldTarget,
                    Key::ProbNotAssigned,
                    &id.to_string(),
                ));
            }
        }
        tx.commit().await?;
        Ok(targets.len())
    }

    /// Every student enrolled in the course (through a class or individually), with account
    /// status, progress and last activity.
    pub async fn course_participants(
        &self,
        actor: &Actor,
        course_id: i64,
    ) -> Result<Vec<Participant>> {
        require_trainer(actor)?;
        let course = self.course_row(course_id).await?;
        let rows: Vec<ParticipantRow> = sqlx::query_as(
            "WITH routes AS ( \
               SELECT m.student_id, c.name AS via, 0 AS individual FROM assignments a \
               JOIN class_members m ON m.class_id = a.class_id JOIN classes c ON c.id = a.class_id \
               WHERE a.course_id = ?1 \
               UNION ALL SELECT a.student_id, 'individual', 1 FROM assignments a \
               WHERE a.course_id = ?1 AND a.student_id IS NOT NULL) \
             SELECT u.id, u.email, u.first_name, u.last_name, \
               group_concat(r.via, ', ') AS via, u.disabled, u.password_hash IS NOT NULL AS has_password, \
               (SELECT count(*) FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id \
                WHERE p.student_id = u.id AND l.course_id = ?1 AND p.completed_at IS NOT NULL) AS done, \
               (SELECT max(created_at) FROM activity_log WHERE user_id = u.id) AS last_activity \
             FROM (SELECT * FROM routes ORDER BY individual, via) r JOIN users u ON u.id = r.student_id \
             GROUP BY u.id ORDER BY u.last_name COLLATE NOCASE, u.first_name COLLATE NOCASE, u.email",
        )
        .bind(course_id)
        .fetch_all(self.pool())
        .await?;
        let total = course.lesson_count;
        let mut scores = self.quiz_scores_by_student(Some(course_id)).await?;
        let mut list: Vec<Participant> = rows
            .into_iter()
            .map(|r| Participant {
                student_id: r.id,
                email: r.email,
                first_name: r.first_name,
                last_name: r.last_name,
                via: r.via,
                status: AccountStatus::from_flags(r.disabled, r.has_password),
                completed_lessons: r.done,
                total_lessons: total,
                progress_percent: if total > 0 {
                    (r.done * 100 / total) as u32
                } else {
                    0
                },
                last_activity: r.last_activity,
                quiz_scores: scores.remove(&(r.id, course_id)).unwrap_or_default(),
            })
            .collect();
        crate::present::sort_by_texts(&mut list, |p| {
            [
                p.last_name.as_str(),
                p.first_name.as_str(),
                p.email.as_str(),
            ]
        });
        Ok(list)
    }
}
