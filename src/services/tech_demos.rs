//! Technical demos (« démos techniques »): the trainer demonstrates in a terminal for a
//! course's students. This module plans them; not to be confused with [`super::demo`],
//! the sample data a newcomer seeds.
//!
//! Rules kept here, whatever the door:
//! - a demo belongs to a course (optionally to one of its lessons); its planned start is
//!   typed in the configured time zone and stored in UTC; every limit is in
//!   [`crate::validate`] (`MAX_DEMO_*`, the URL rule of [`validate::optional_url`]);
//! - the trainer manages demos; a student sees a demo only when its audience includes
//!   them — the course's participants (`audience = course`) or the members of some classes
//!   (`audience = classes`) — and its course is published. [`Portail::visible_demo`] is
//!   the one check: a student outside the audience gets exactly [`Error::NotFound`], the
//!   answer for a demo that does not exist.
//!
//! Extension points (the live broadcast and the recordings build on these):
//! - status transitions `planned → live → done` are [`Portail::demo_start_live`] and
//!   [`Portail::demo_finish`] (each refuses any other transition); the live stream calls
//!   them when it starts and ends;
//! - watching live and replaying go through [`Portail::visible_demo`] first;
//! - the recording is stored like other course files (`stored_files`) and referred to by
//!   `demos.recording_file_id` (nullable, [`Demo::recording_file_id`]);
//! - deleting a demo that went live (so may have a recording) needs a confirmation.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::guard::require_trainer;
use super::{Portail, now};
use crate::domain::{Actor, Role};
use crate::i18n::Key;
use crate::validate::{self, MAX_DEMO_CLASSES, MAX_DEMO_DESCRIPTION, MAX_NAME, invalid};
use crate::{Error, Result};

/// Where a demo stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DemoStatus {
    #[default]
    Planned,
    Live,
    Done,
}

impl DemoStatus {
    pub fn code(self) -> &'static str {
        match self {
            DemoStatus::Planned => "planned",
            DemoStatus::Live => "live",
            DemoStatus::Done => "done",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "planned" => Some(DemoStatus::Planned),
            "live" => Some(DemoStatus::Live),
            "done" => Some(DemoStatus::Done),
            _ => None,
        }
    }
}

/// Who may watch a demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DemoAudience {
    /// Every participant of the course (through a class or individually).
    #[default]
    Course,
    /// The members of the demo's classes.
    Classes,
}

/// A class of a demo's audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct DemoClass {
    pub id: i64,
    pub name: String,
    pub organisation_name: String,
}

/// A planned (or live, or done) demo.
#[derive(Debug, Clone, Serialize)]
pub struct Demo {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub lesson_id: Option<i64>,
    pub lesson_title: Option<String>,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub audience: DemoAudience,
    /// The audience's classes (empty when the audience is the course).
    pub classes: Vec<DemoClass>,
    pub repo_url: Option<String>,
    pub slides_url: Option<String>,
    pub status: DemoStatus,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The recording, a stored course file (set by the live part).
    pub recording_file_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Demo {
    /// The planned end (start + duration).
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + Duration::minutes(self.duration_minutes)
    }

    /// Live now, or planned and not yet over at `now`: what a student's home announces.
    pub fn is_upcoming(&self, now: DateTime<Utc>) -> bool {
        match self.status {
            DemoStatus::Live => true,
            DemoStatus::Planned => self.ends_at() > now,
            DemoStatus::Done => false,
        }
    }
}

/// Upcoming demos first (live ones, then the soonest), then the others, latest first.
pub fn arrange(list: &mut [Demo], now: DateTime<Utc>) {
    list.sort_by(|a, b| {
        let (ua, ub) = (a.is_upcoming(now), b.is_upcoming(now));
        ub.cmp(&ua).then_with(|| {
            if ua {
                (b.status == DemoStatus::Live)
                    .cmp(&(a.status == DemoStatus::Live))
                    .then(a.starts_at.cmp(&b.starts_at))
            } else {
                b.starts_at.cmp(&a.starts_at)
            }
            .then(a.id.cmp(&b.id))
        })
    });
}

/// A demo as typed (exec options, TUI form); the service validates every field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoInput {
    pub course_id: i64,
    pub lesson_id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
    /// The planned start in the configured time zone: `2026-12-03 14:00`.
    pub starts_at: String,
    /// Minutes, as typed.
    pub duration_minutes: String,
    /// The audience's classes (id or name); empty: the course's participants.
    pub classes: Vec<String>,
    pub repo_url: Option<String>,
    pub slides_url: Option<String>,
}

impl DemoInput {
    /// The input that would save `d` unchanged (times in `tz`, classes by id).
    pub fn from_demo(d: &Demo, tz: chrono_tz::Tz) -> Self {
        DemoInput {
            course_id: d.course_id,
            lesson_id: d.lesson_id,
            title: d.title.clone(),
            description: Some(d.description.clone()),
            starts_at: crate::present::minute(tz, d.starts_at),
            duration_minutes: d.duration_minutes.to_string(),
            classes: d.classes.iter().map(|c| c.id.to_string()).collect(),
            repo_url: d.repo_url.clone(),
            slides_url: d.slides_url.clone(),
        }
    }
}

struct ValidDemo {
    title: String,
    description: String,
    starts_at: DateTime<Utc>,
    duration_minutes: i64,
    classes: Vec<i64>,
    repo_url: Option<String>,
    slides_url: Option<String>,
}

#[derive(FromRow)]
struct DemoRow {
    id: i64,
    course_id: i64,
    course_title: String,
    lesson_id: Option<i64>,
    lesson_title: Option<String>,
    title: String,
    description: String,
    starts_at: DateTime<Utc>,
    duration_minutes: i64,
    audience: String,
    repo_url: Option<String>,
    slides_url: Option<String>,
    status: String,
    started_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    recording_file_id: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const SELECT_DEMOS: &str = "SELECT d.id, d.course_id, c.title AS course_title, d.lesson_id, \
     l.title AS lesson_title, d.title, d.description, d.starts_at, d.duration_minutes, d.audience, \
     d.repo_url, d.slides_url, d.status, d.started_at, d.ended_at, d.recording_file_id, \
     d.created_at, d.updated_at \
     FROM demos d JOIN courses c ON c.id = d.course_id LEFT JOIN lessons l ON l.id = d.lesson_id ";

/// The demos a student may see: SQL condition on `d` and `c`, the student's id as `?1`.
const VISIBLE_TO_STUDENT: &str = "c.status = 'published' AND ( \
     (d.audience = 'course' AND d.course_id IN ( \
        SELECT a.course_id FROM assignments a WHERE a.student_id = ?1 \
        UNION SELECT a.course_id FROM assignments a \
        JOIN class_members m ON m.class_id = a.class_id WHERE m.student_id = ?1)) \
     OR (d.audience = 'classes' AND EXISTS (SELECT 1 FROM demo_classes dc \
        JOIN class_members m ON m.class_id = dc.class_id \
        WHERE dc.demo_id = d.id AND m.student_id = ?1)))";

fn require_active(actor: &Actor) -> Result<()> {
    if actor.must_change_password {
        return Err(Error::PasswordChangeRequired);
    }
    Ok(())
}

impl Portail {
    async fn demos_from(&self, rows: Vec<DemoRow>) -> Result<Vec<Demo>> {
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let audience = if r.audience == "classes" {
                DemoAudience::Classes
            } else {
                DemoAudience::Course
            };
            let classes = if audience == DemoAudience::Classes {
                sqlx::query_as(
                    "SELECT k.id, k.name, o.name AS organisation_name FROM demo_classes dc \
                     JOIN classes k ON k.id = dc.class_id JOIN organisations o ON o.id = k.organisation_id \
                     WHERE dc.demo_id = ?1",
                )
                .bind(r.id)
                .fetch_all(self.pool())
                .await?
            } else {
                Vec::new()
            };
            let mut classes: Vec<DemoClass> = classes;
            crate::present::sort_by_texts(&mut classes, |c| {
                [c.organisation_name.as_str(), c.name.as_str()]
            });
            out.push(Demo {
                id: r.id,
                course_id: r.course_id,
                course_title: r.course_title,
                lesson_id: r.lesson_id,
                lesson_title: r.lesson_title,
                title: r.title,
                description: r.description,
                starts_at: r.starts_at,
                duration_minutes: r.duration_minutes,
                audience,
                classes,
                repo_url: r.repo_url,
                slides_url: r.slides_url,
                status: DemoStatus::parse(&r.status).unwrap_or_default(),
                started_at: r.started_at,
                ended_at: r.ended_at,
                recording_file_id: r.recording_file_id,
                created_at: r.created_at,
                updated_at: r.updated_at,
            });
        }
        Ok(out)
    }

    async fn demo_row(&self, id: i64) -> Result<Demo> {
        let sql = format!("{SELECT_DEMOS} WHERE d.id = ?1");
        let rows: Vec<DemoRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        self.demos_from(rows).await?.pop().ok_or(Error::NotFound)
    }

    /// The demo `id` if `actor` may see it: a trainer, any; a student, one whose audience
    /// includes them. Anything else is [`Error::NotFound`], as for a demo that does not
    /// exist. Watching live and replaying recordings ask this first.
    pub async fn visible_demo(&self, actor: &Actor, id: i64) -> Result<Demo> {
        require_active(actor)?;
        if actor.role == Role::Student {
            let sql = format!(
                "SELECT EXISTS (SELECT 1 FROM demos d JOIN courses c ON c.id = d.course_id \
                 WHERE d.id = ?2 AND {VISIBLE_TO_STUDENT})"
            );
            let visible: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(actor.user_id)
                .bind(id)
                .fetch_one(self.pool())
                .await?;
            if !visible {
                return Err(Error::NotFound);
            }
        }
        self.demo_row(id).await
    }

    /// Trainer: every demo (or a course's), upcoming first (see [`arrange`]).
    pub async fn demo_list(&self, actor: &Actor, course: Option<i64>) -> Result<Vec<Demo>> {
        require_trainer(actor)?;
        let sql = format!("{SELECT_DEMOS} WHERE ?1 IS NULL OR d.course_id = ?1");
        let rows: Vec<DemoRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(course)
            .fetch_all(self.pool())
            .await?;
        let mut list = self.demos_from(rows).await?;
        arrange(&mut list, now());
        Ok(list)
    }

    /// Student: the demos whose audience includes them, upcoming first, then the others.
    pub async fn my_demos(&self, actor: &Actor) -> Result<Vec<Demo>> {
        super::learning::require_student(actor)?;
        let sql = format!("{SELECT_DEMOS} WHERE {VISIBLE_TO_STUDENT}");
        let rows: Vec<DemoRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(actor.user_id)
            .fetch_all(self.pool())
            .await?;
        let mut list = self.demos_from(rows).await?;
        arrange(&mut list, now());
        Ok(list)
    }

    /// Trainer: a demo by id, or by title (case-insensitive) when the title is unique.
    pub async fn demo_resolve(&self, actor: &Actor, reference: &str) -> Result<i64> {
        require_trainer(actor)?;
        let r = reference.trim();
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM demos WHERE CAST(id AS TEXT) = ?1 \
             UNION ALL SELECT id FROM demos WHERE title = ?1 COLLATE NOCASE AND NOT EXISTS \
             (SELECT 1 FROM demos WHERE CAST(id AS TEXT) = ?1)",
        )
        .bind(r)
        .fetch_all(self.pool())
        .await?;
        match ids.as_slice() {
            [id] => Ok(*id),
            [] => Err(Error::Unknown {
                what: Key::EntDemo,
                reference: r.to_string(),
            }),
            _ => Err(Error::Ambiguous {
                what: Key::EntDemo,
                reference: r.to_string(),
            }),
        }
    }

    /// Checks an input against the course it belongs to; resolves its classes.
    async fn demo_validated(&self, actor: &Actor, input: &DemoInput) -> Result<ValidDemo> {
        let title = validate::required(Key::FieldTitle, &input.title, MAX_NAME)?;
        let description = validate::optional_text(
            Key::FieldDescription,
            input.description.as_deref(),
            MAX_DEMO_DESCRIPTION,
        )?
        .unwrap_or_default();
        let starts_at = validate::local_datetime(
            Key::DmFieldStarts,
            self.options().time_zone,
            &input.starts_at,
        )?;
        let duration_minutes =
            validate::demo_minutes(Key::DmFieldDuration, &input.duration_minutes)?;
        let repo_url = validate::optional_url(Key::DmFieldRepo, input.repo_url.as_deref())?;
        let slides_url = validate::optional_url(Key::DmFieldSlides, input.slides_url.as_deref())?;
        let refs: Vec<&str> = input
            .classes
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if refs.len() > MAX_DEMO_CLASSES {
            return Err(invalid(
                Key::DmFieldClasses,
                Key::ProbTooMany,
                &refs.len().to_string(),
            ));
        }
        let mut classes = Vec::with_capacity(refs.len());
        for r in refs {
            let id = match self.class_resolve(actor, r).await {
                Ok(id) => id,
                Err(Error::Unknown { .. }) => {
                    return Err(invalid(Key::DmFieldClasses, Key::DmProbUnknownClass, r));
                }
                Err(Error::Ambiguous { .. }) => {
                    return Err(invalid(Key::DmFieldClasses, Key::DmProbAmbiguousClass, r));
                }
                Err(e) => return Err(e),
            };
            if !classes.contains(&id) {
                classes.push(id);
            }
        }
        // The course exists; the lesson, if any, is one of its lessons.
        self.course_row(input.course_id).await?;
        if let Some(lesson) = input.lesson_id {
            let in_course: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM lessons WHERE id = ?1 AND course_id = ?2)",
            )
            .bind(lesson)
            .bind(input.course_id)
            .fetch_one(self.pool())
            .await?;
            if !in_course {
                return Err(invalid(
                    Key::FlFieldLesson,
                    Key::DmProbLessonNotInCourse,
                    &lesson.to_string(),
                ));
            }
        }
        Ok(ValidDemo {
            title,
            description,
            starts_at,
            duration_minutes,
            classes,
            repo_url,
            slides_url,
        })
    }

    async fn demo_write_classes(
        tx: &mut sqlx::SqliteConnection,
        demo: i64,
        classes: &[i64],
    ) -> Result<()> {
        sqlx::query("DELETE FROM demo_classes WHERE demo_id = ?1")
            .bind(demo)
            .execute(&mut *tx)
            .await?;
        for c in classes {
            sqlx::query("INSERT INTO demo_classes (demo_id, class_id) VALUES (?1, ?2)")
                .bind(demo)
                .bind(c)
                .execute(&mut *tx)
                .await?;
        }
        Ok(())
    }

    /// Trainer: plans a demo.
    pub async fn demo_create(&self, actor: &Actor, input: &DemoInput) -> Result<Demo> {
        require_trainer(actor)?;
        let v = self.demo_validated(actor, input).await?;
        let audience = if v.classes.is_empty() {
            DemoAudience::Course
        } else {
            DemoAudience::Classes
        };
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO demos (course_id, lesson_id, title, description, starts_at, duration_minutes, \
             audience, repo_url, slides_url, status, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'planned', ?10, ?10) RETURNING id",
        )
        .bind(input.course_id)
        .bind(input.lesson_id)
        .bind(&v.title)
        .bind(&v.description)
        .bind(v.starts_at)
        .bind(v.duration_minutes)
        .bind(audience_code(audience))
        .bind(&v.repo_url)
        .bind(&v.slides_url)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        Self::demo_write_classes(&mut tx, id, &v.classes).await?;
        tx.commit().await?;
        self.demo_row(id).await
    }

    /// Trainer: changes a demo (its course stays; its status is changed only by
    /// [`Portail::demo_start_live`] and [`Portail::demo_finish`]).
    pub async fn demo_update(&self, actor: &Actor, id: i64, input: &DemoInput) -> Result<Demo> {
        require_trainer(actor)?;
        let current = self.demo_row(id).await?;
        let input = DemoInput {
            course_id: current.course_id,
            ..input.clone()
        };
        let v = self.demo_validated(actor, &input).await?;
        let audience = if v.classes.is_empty() {
            DemoAudience::Course
        } else {
            DemoAudience::Classes
        };
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "UPDATE demos SET lesson_id = ?1, title = ?2, description = ?3, starts_at = ?4, \
             duration_minutes = ?5, audience = ?6, repo_url = ?7, slides_url = ?8, updated_at = ?9 \
             WHERE id = ?10",
        )
        .bind(input.lesson_id)
        .bind(&v.title)
        .bind(&v.description)
        .bind(v.starts_at)
        .bind(v.duration_minutes)
        .bind(audience_code(audience))
        .bind(&v.repo_url)
        .bind(&v.slides_url)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        Self::demo_write_classes(&mut tx, id, &v.classes).await?;
        tx.commit().await?;
        self.demo_row(id).await
    }

    /// Trainer: deletes a demo. One that went live (it may have a recording) only with
    /// `confirmed`.
    pub async fn demo_delete(&self, actor: &Actor, id: i64, confirmed: bool) -> Result<()> {
        require_trainer(actor)?;
        let d = self.demo_row(id).await?;
        if d.status != DemoStatus::Planned && !confirmed {
            return Err(Error::NeedsConfirmation(Key::DmErrConfirmDelete));
        }
        sqlx::query("DELETE FROM demos WHERE id = ?1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Trainer: the demo goes live (`planned → live`). Called by the live broadcast.
    pub async fn demo_start_live(&self, actor: &Actor, id: i64) -> Result<Demo> {
        self.demo_transition(actor, id, DemoStatus::Planned, DemoStatus::Live)
            .await
    }

    /// Trainer: the live demo is over (`live → done`). Called by the live broadcast.
    pub async fn demo_finish(&self, actor: &Actor, id: i64) -> Result<Demo> {
        self.demo_transition(actor, id, DemoStatus::Live, DemoStatus::Done)
            .await
    }

    async fn demo_transition(
        &self,
        actor: &Actor,
        id: i64,
        from: DemoStatus,
        to: DemoStatus,
    ) -> Result<Demo> {
        require_trainer(actor)?;
        let column = match to {
            DemoStatus::Live => "started_at",
            _ => "ended_at",
        };
        let sql = format!(
            "UPDATE demos SET status = ?1, {column} = ?2, updated_at = ?2 WHERE id = ?3 AND status = ?4"
        );
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(to.code())
            .bind(now())
            .bind(id)
            .bind(from.code())
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            // Absent, or not in the state the transition starts from.
            self.demo_row(id).await?;
            return Err(Error::Invalid(match to {
                DemoStatus::Live => Key::DmErrNotPlanned,
                _ => Key::DmErrNotLive,
            }));
        }
        self.demo_row(id).await
    }
}

fn audience_code(a: DemoAudience) -> &'static str {
    match a {
        DemoAudience::Course => "course",
        DemoAudience::Classes => "classes",
    }
}
