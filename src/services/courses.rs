//! Courses, their ordered lessons (Markdown) and resources.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::guard::require_trainer;
use super::{Portail, now};
use crate::domain::Actor;
use crate::i18n::Key;
use crate::validate::{
    self, MAX_DESCRIPTION, MAX_LESSON_BODY, MAX_NAME, MAX_OBJECTIVES, MAX_SHORT, invalid,
};
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CourseStatus {
    #[default]
    Draft,
    Published,
}

impl CourseStatus {
    pub fn code(self) -> &'static str {
        match self {
            CourseStatus::Draft => "draft",
            CourseStatus::Published => "published",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "draft" | "brouillon" => Some(CourseStatus::Draft),
            "published" | "publié" | "publie" => Some(CourseStatus::Published),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Course {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub objectives: Vec<String>,
    pub duration_hours: Option<f64>,
    pub level: Option<String>,
    pub prerequisites: Option<String>,
    pub status: CourseStatus,
    pub lesson_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct CourseRow {
    id: i64,
    title: String,
    description: String,
    objectives: String,
    duration_hours: Option<f64>,
    level: Option<String>,
    prerequisites: Option<String>,
    status: String,
    lesson_count: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<CourseRow> for Course {
    fn from(r: CourseRow) -> Self {
        Course {
            id: r.id,
            title: r.title,
            description: r.description,
            objectives: serde_json::from_str(&r.objectives).unwrap_or_default(),
            duration_hours: r.duration_hours,
            level: r.level,
            prerequisites: r.prerequisites,
            status: CourseStatus::parse(&r.status).unwrap_or_default(),
            lesson_count: r.lesson_count,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CourseInput {
    pub title: String,
    pub description: Option<String>,
    pub objectives: Vec<String>,
    /// Hours as typed ("3,5" accepted).
    pub duration_hours: Option<String>,
    pub level: Option<String>,
    pub prerequisites: Option<String>,
    pub status: CourseStatus,
}

impl From<&Course> for CourseInput {
    fn from(c: &Course) -> Self {
        CourseInput {
            title: c.title.clone(),
            description: Some(c.description.clone()),
            objectives: c.objectives.clone(),
            duration_hours: c.duration_hours.map(|h| h.to_string()),
            level: c.level.clone(),
            prerequisites: c.prerequisites.clone(),
            status: c.status,
        }
    }
}

struct ValidCourse {
    title: String,
    description: String,
    objectives: String,
    duration_hours: Option<f64>,
    level: Option<String>,
    prerequisites: Option<String>,
    status: CourseStatus,
}

impl CourseInput {
    fn validated(&self) -> Result<ValidCourse> {
        let objectives: Vec<String> = self
            .objectives
            .iter()
            .map(|o| validate::optional(Key::FieldObjectives, Some(o), MAX_SHORT))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
        if objectives.len() > MAX_OBJECTIVES {
            return Err(invalid(
                Key::FieldObjectives,
                Key::ProbTooMany,
                &objectives.len().to_string(),
            ));
        }
        Ok(ValidCourse {
            title: validate::required(Key::FieldTitle, &self.title, MAX_NAME)?,
            description: validate::optional_text(
                Key::FieldDescription,
                self.description.as_deref(),
                MAX_DESCRIPTION,
            )?
            .unwrap_or_default(),
            objectives: serde_json::to_string(&objectives)
                .map_err(|e| Error::Internal(e.to_string()))?,
            duration_hours: validate::hours(self.duration_hours.as_deref())?,
            level: validate::optional(Key::FieldLevel, self.level.as_deref(), MAX_SHORT)?,
            prerequisites: validate::optional_text(
                Key::FieldPrerequisites,
                self.prerequisites.as_deref(),
                validate::MAX_PREREQUISITES,
            )?,
            status: self.status,
        })
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Lesson {
    pub id: i64,
    pub course_id: i64,
    pub position: i64,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, Default, Serialize, FromRow)]
pub struct Resource {
    pub id: i64,
    pub course_id: i64,
    pub lesson_id: Option<i64>,
    /// `link` or `file`.
    pub kind: String,
    pub title: String,
    /// A link's address; for a file, its signed download URL once the service that shows
    /// it has made one for the reader ([`Portail::sign_resources`]), else `None`.
    pub url: Option<String>,
    /// When a file's signed URL stops working (ISO-8601 in JSON); `None` for links.
    #[sqlx(default)]
    pub url_expires_at: Option<DateTime<Utc>>,
    /// The stored file behind a file resource (never shown).
    #[sqlx(default)]
    #[serde(skip)]
    pub file_id: Option<i64>,
}

/// A course with its lessons and resources.
#[derive(Debug, Clone, Serialize)]
pub struct CourseDetail {
    #[serde(flatten)]
    pub course: Course,
    pub lessons: Vec<Lesson>,
    pub resources: Vec<Resource>,
}

/// What deleting a course takes with it (said before confirming).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, FromRow)]
pub struct CourseDeletion {
    pub lessons: i64,
    pub resources: i64,
    pub assignments: i64,
    pub quizzes: i64,
    /// Students with recorded progress (lessons done or quiz attempts) in it.
    pub students_with_progress: i64,
}

/// What deleting a lesson takes with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, FromRow)]
pub struct LessonDeletion {
    /// Students who marked it done.
    pub completions: i64,
    /// Files and links attached to it (deleted with it).
    pub resources: i64,
}

const SELECT_COURSES: &str = "SELECT c.id, c.title, c.description, c.objectives, c.duration_hours, \
     c.level, c.prerequisites, c.status, \
     (SELECT count(*) FROM lessons l WHERE l.course_id = c.id) AS lesson_count, \
     c.created_at, c.updated_at FROM courses c ";

impl Portail {
    pub async fn course_list(&self, actor: &Actor) -> Result<Vec<Course>> {
        require_trainer(actor)?;
        let sql = format!("{SELECT_COURSES} ORDER BY c.title COLLATE NOCASE, c.id");
        let rows: Vec<CourseRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await?;
        let mut list: Vec<Course> = rows.into_iter().map(Course::from).collect();
        crate::present::sort_by_texts(&mut list, |c| [c.title.as_str()]);
        Ok(list)
    }

    pub(crate) async fn course_row(&self, id: i64) -> Result<Course> {
        let sql = format!("{SELECT_COURSES} WHERE c.id = ?1");
        let row: Option<CourseRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.map(Course::from).ok_or(Error::NotFound)
    }

    pub(crate) async fn course_detail_unchecked(&self, id: i64) -> Result<CourseDetail> {
        let course = self.course_row(id).await?;
        let lessons = sqlx::query_as(
            "SELECT id, course_id, position, title, body FROM lessons WHERE course_id = ?1 ORDER BY position, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let resources = sqlx::query_as(
            "SELECT id, course_id, lesson_id, kind, title, url, file_id FROM resources WHERE course_id = ?1 \
             ORDER BY position, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        Ok(CourseDetail {
            course,
            lessons,
            resources,
        })
    }

    /// A course for its trainer, each file with a fresh signed download link.
    pub async fn course_get(&self, actor: &Actor, id: i64) -> Result<CourseDetail> {
        require_trainer(actor)?;
        let mut d = self.course_detail_unchecked(id).await?;
        self.sign_resources(actor, &mut d.resources);
        Ok(d)
    }

    /// A course by id or by title (case-insensitive) when the title is unique.
    pub async fn course_resolve(&self, actor: &Actor, reference: &str) -> Result<i64> {
        require_trainer(actor)?;
        let r = reference.trim();
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM courses WHERE CAST(id AS TEXT) = ?1 \
             UNION ALL SELECT id FROM courses WHERE title = ?1 COLLATE NOCASE AND NOT EXISTS \
             (SELECT 1 FROM courses WHERE CAST(id AS TEXT) = ?1)",
        )
        .bind(r)
        .fetch_all(self.pool())
        .await?;
        match ids.as_slice() {
            [id] => Ok(*id),
            [] => Err(Error::Unknown {
                what: Key::EntCourse,
                reference: r.to_string(),
            }),
            _ => Err(Error::Ambiguous {
                what: Key::EntCourse,
                reference: r.to_string(),
            }),
        }
    }

    pub async fn course_create(&self, actor: &Actor, input: &CourseInput) -> Result<Course> {
        require_trainer(actor)?;
        let v = input.validated()?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO courses (title, description, objectives, duration_hours, level, prerequisites, \
             status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id",
        )
        .bind(&v.title)
        .bind(&v.description)
        .bind(&v.objectives)
        .bind(v.duration_hours)
        .bind(&v.level)
        .bind(&v.prerequisites)
        .bind(v.status.code())
        .bind(now())
        .fetch_one(self.pool())
        .await?;
        self.course_row(id).await
    }

    pub async fn course_update(
        &self,
        actor: &Actor,
        id: i64,
        input: &CourseInput,
    ) -> Result<Course> {
        require_trainer(actor)?;
        let v = input.validated()?;
        let done = sqlx::query(
            "UPDATE courses SET title = ?1, description = ?2, objectives = ?3, duration_hours = ?4, \
             level = ?5, prerequisites = ?6, status = ?7, updated_at = ?8 WHERE id = ?9",
        )
        .bind(&v.title)
        .bind(&v.description)
        .bind(&v.objectives)
        .bind(v.duration_hours)
        .bind(&v.level)
        .bind(&v.prerequisites)
        .bind(v.status.code())
        .bind(now())
        .bind(id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        self.course_row(id).await
    }

    /// What [`Portail::course_delete`] would remove with the course.
    pub async fn course_deletion_impact(&self, actor: &Actor, id: i64) -> Result<CourseDeletion> {
        require_trainer(actor)?;
        self.course_row(id).await?;
        Ok(sqlx::query_as(
            "SELECT (SELECT count(*) FROM lessons WHERE course_id = ?1) AS lessons, \
             (SELECT count(*) FROM resources WHERE course_id = ?1) AS resources, \
             (SELECT count(*) FROM assignments WHERE course_id = ?1) AS assignments, \
             (SELECT count(*) FROM quizzes WHERE course_id = ?1) AS quizzes, \
             (SELECT count(*) FROM (SELECT p.student_id FROM lesson_progress p \
                JOIN lessons l ON l.id = p.lesson_id WHERE l.course_id = ?1 \
              UNION SELECT a.student_id FROM quiz_attempts a \
                JOIN quizzes q ON q.id = a.quiz_id WHERE q.course_id = ?1)) AS students_with_progress",
        )
        .bind(id)
        .fetch_one(self.pool())
        .await?)
    }

    /// Deletes a course with its lessons, resources, assignments, quizzes and recorded
    /// progress; returns what went with it.
    pub async fn course_delete(&self, actor: &Actor, id: i64) -> Result<CourseDeletion> {
        let impact = self.course_deletion_impact(actor, id).await?;
        let done = sqlx::query("DELETE FROM courses WHERE id = ?1")
            .bind(id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(impact)
    }

    /// Copies a course (as a draft titled "… (copie)") with its lessons and resources, not
    /// its assignments: a trainer reruns the same course for another organisation.
    pub async fn course_duplicate(&self, actor: &Actor, id: i64) -> Result<Course> {
        require_trainer(actor)?;
        let src = self.course_detail_unchecked(id).await?;
        let ts = now();
        let mut title = format!("{} (copie)", src.course.title);
        if title.chars().count() > MAX_NAME {
            title = title.chars().take(MAX_NAME).collect();
        }
        let mut tx = self.pool().begin().await?;
        let new_id: i64 = sqlx::query_scalar(
            "INSERT INTO courses (title, description, objectives, duration_hours, level, prerequisites, \
             status, created_at, updated_at) SELECT ?1, description, objectives, duration_hours, level, \
             prerequisites, 'draft', ?2, ?2 FROM courses WHERE id = ?3 RETURNING id",
        )
        .bind(&title)
        .bind(ts)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let mut lesson_map = std::collections::HashMap::new();
        for l in &src.lessons {
            let lid: i64 = sqlx::query_scalar(
                "INSERT INTO lessons (course_id, position, title, body, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
            )
            .bind(new_id)
            .bind(l.position)
            .bind(&l.title)
            .bind(&l.body)
            .bind(ts)
            .fetch_one(&mut *tx)
            .await?;
            lesson_map.insert(l.id, lid);
        }
        for r in &src.resources {
            sqlx::query(
                "INSERT INTO resources (course_id, lesson_id, kind, title, url, file_id, position, created_at) \
                 SELECT ?1, ?2, kind, title, url, file_id, position, ?3 FROM resources WHERE id = ?4",
            )
            .bind(new_id)
            .bind(r.lesson_id.and_then(|l| lesson_map.get(&l).copied()))
            .bind(ts)
            .bind(r.id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.course_row(new_id).await
    }

    /// A lesson of a course by position (1-based) or title.
    pub async fn lesson_resolve(&self, course_id: i64, reference: &str) -> Result<i64> {
        let r = reference.trim();
        let by_pos: Option<i64> = match r.parse::<i64>() {
            Ok(pos) if pos >= 1 => sqlx::query_scalar(
                "SELECT id FROM lessons WHERE course_id = ?1 ORDER BY position, id LIMIT 1 OFFSET ?2",
            )
            .bind(course_id)
            .bind(pos - 1)
            .fetch_optional(self.pool())
            .await
            .ok()
            .flatten(),
            _ => None,
        };
        if let Some(id) = by_pos {
            return Ok(id);
        }
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM lessons WHERE course_id = ?1 AND title = ?2 COLLATE NOCASE",
        )
        .bind(course_id)
        .bind(r)
        .fetch_all(self.pool())
        .await?;
        match ids.as_slice() {
            [id] => Ok(*id),
            [] => Err(Error::Unknown {
                what: Key::EntLesson,
                reference: r.to_string(),
            }),
            _ => Err(Error::Ambiguous {
                what: Key::EntLesson,
                reference: r.to_string(),
            }),
        }
    }

    /// Appends a lesson (Markdown body) at the end of the course.
    pub async fn lesson_add(
        &self,
        actor: &Actor,
        course_id: i64,
        title: &str,
        body: &str,
    ) -> Result<Lesson> {
        require_trainer(actor)?;
        let title = validate::required(Key::FieldTitle, title, MAX_NAME)?;
        let body = validate::optional_text(Key::FieldBody, Some(body), MAX_LESSON_BODY)?
            .unwrap_or_default();
        self.course_row(course_id).await?;
        let ts = now();
        Ok(sqlx::query_as(
            "INSERT INTO lessons (course_id, position, title, body, created_at, updated_at) \
             VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM lessons WHERE course_id = ?1), ?2, ?3, ?4, ?4) \
             RETURNING id, course_id, position, title, body",
        )
        .bind(course_id)
        .bind(&title)
        .bind(&body)
        .bind(ts)
        .fetch_one(self.pool())
        .await?)
    }

    pub async fn lesson_update(
        &self,
        actor: &Actor,
        lesson_id: i64,
        title: &str,
        body: &str,
    ) -> Result<Lesson> {
        require_trainer(actor)?;
        let title = validate::required(Key::FieldTitle, title, MAX_NAME)?;
        let body = validate::optional_text(Key::FieldBody, Some(body), MAX_LESSON_BODY)?
            .unwrap_or_default();
        sqlx::query_as(
            "UPDATE lessons SET title = ?1, body = ?2, updated_at = ?3 WHERE id = ?4 \
             RETURNING id, course_id, position, title, body",
        )
        .bind(&title)
        .bind(&body)
        .bind(now())
        .bind(lesson_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(Error::NotFound)
    }

    /// What [`Portail::lesson_delete`] would remove with the lesson.
    pub async fn lesson_deletion_impact(
        &self,
        actor: &Actor,
        lesson_id: i64,
    ) -> Result<LessonDeletion> {
        require_trainer(actor)?;
        sqlx::query_as(
            "SELECT (SELECT count(*) FROM lesson_progress WHERE lesson_id = ?1) AS completions, \
             (SELECT count(*) FROM resources WHERE lesson_id = ?1) AS resources \
             FROM lessons WHERE id = ?1",
        )
        .bind(lesson_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(Error::NotFound)
    }

    pub async fn lesson_delete(&self, actor: &Actor, lesson_id: i64) -> Result<()> {
        require_trainer(actor)?;
        let course: Option<i64> =
            sqlx::query_scalar("DELETE FROM lessons WHERE id = ?1 RETURNING course_id")
                .bind(lesson_id)
                .fetch_optional(self.pool())
                .await?;
        let course = course.ok_or(Error::NotFound)?;
        self.renumber_lessons(course, None).await
    }

    /// Moves a lesson to `position` (1-based, clamped); the others shift.
    pub async fn lesson_move(&self, actor: &Actor, lesson_id: i64, position: i64) -> Result<()> {
        require_trainer(actor)?;
        let course: i64 = sqlx::query_scalar("SELECT course_id FROM lessons WHERE id = ?1")
            .bind(lesson_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(Error::NotFound)?;
        self.renumber_lessons(course, Some((lesson_id, position)))
            .await
    }

    async fn renumber_lessons(&self, course_id: i64, moved: Option<(i64, i64)>) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        let mut ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM lessons WHERE course_id = ?1 ORDER BY position, id")
                .bind(course_id)
                .fetch_all(&mut *tx)
                .await?;
        if let Some((lesson, pos)) = moved {
            ids.retain(|&i| i != lesson);
            let at = (pos.max(1) as usize - 1).min(ids.len());
            ids.insert(at, lesson);
        }
        super::renumber(&mut tx, super::Ordered::Lessons, &ids).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a link resource to a course (optionally to one of its lessons).
    pub async fn resource_add_link(
        &self,
        actor: &Actor,
        course_id: i64,
        lesson_id: Option<i64>,
        title: &str,
        url: &str,
    ) -> Result<Resource> {
        require_trainer(actor)?;
        let title = validate::required(Key::FieldTitle, title, MAX_NAME)?;
        let url = validate::url(Key::FieldUrl, url)?;
        self.course_row(course_id).await?;
        Ok(sqlx::query_as(
            "INSERT INTO resources (course_id, lesson_id, kind, title, url, position, created_at) \
             VALUES (?1, ?2, 'link', ?3, ?4, (SELECT coalesce(max(position), 0) + 1 FROM resources WHERE course_id = ?1), ?5) \
             RETURNING id, course_id, lesson_id, kind, title, url",
        )
        .bind(course_id)
        .bind(lesson_id)
        .bind(&title)
        .bind(&url)
        .bind(now())
        .fetch_one(self.pool())
        .await?)
    }

    /// A resource of a course by its place in the course's list (1-based, as `course show`
    /// lists them) or its title.
    pub async fn resource_resolve(
        &self,
        actor: &Actor,
        course_id: i64,
        reference: &str,
    ) -> Result<i64> {
        require_trainer(actor)?;
        let r = reference.trim();
        if let Ok(pos) = r.parse::<i64>()
            && pos >= 1
            && let Some(id) = sqlx::query_scalar(
                "SELECT id FROM resources WHERE course_id = ?1 ORDER BY position, id LIMIT 1 OFFSET ?2",
            )
            .bind(course_id)
            .bind(pos - 1)
            .fetch_optional(self.pool())
            .await?
        {
            return Ok(id);
        }
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM resources WHERE course_id = ?1 AND title = ?2 COLLATE NOCASE",
        )
        .bind(course_id)
        .bind(r)
        .fetch_all(self.pool())
        .await?;
        match ids.as_slice() {
            [id] => Ok(*id),
            [] => Err(Error::Unknown {
                what: Key::EntResource,
                reference: r.to_string(),
            }),
            _ => Err(Error::Ambiguous {
                what: Key::EntResource,
                reference: r.to_string(),
            }),
        }
    }

    /// Renames a resource; a link may also get a new address (`url`), a file may not.
    pub async fn resource_update(
        &self,
        actor: &Actor,
        resource_id: i64,
        title: &str,
        url: Option<&str>,
    ) -> Result<Resource> {
        require_trainer(actor)?;
        let mut f = validate::Fields::default();
        let title = f.check(validate::required(Key::FieldTitle, title, MAX_NAME));
        let url = f.check(url.map(|u| validate::url(Key::FieldUrl, u)).transpose());
        f.done()?;
        let kind: String = sqlx::query_scalar("SELECT kind FROM resources WHERE id = ?1")
            .bind(resource_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(Error::NotFound)?;
        if kind != "link"
            && let Some(u) = &url
        {
            return Err(invalid(Key::FieldUrl, Key::ProbFileHasNoUrl, u));
        }
        sqlx::query_as(
            "UPDATE resources SET title = ?1, url = coalesce(?2, url) WHERE id = ?3 \
             RETURNING id, course_id, lesson_id, kind, title, url",
        )
        .bind(&title)
        .bind(&url)
        .bind(resource_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(Error::NotFound)
    }

    pub async fn resource_delete(&self, actor: &Actor, resource_id: i64) -> Result<()> {
        require_trainer(actor)?;
        let done = sqlx::query("DELETE FROM resources WHERE id = ?1")
            .bind(resource_id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}
