//! The student's side: their courses, lessons, progress; and the trainer's progress and
//! activity views (proof of attendance).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::courses::{CourseDetail, CourseStatus};
use super::enrolment::CourseAccess;
use super::guard::require_trainer;
use super::{Portail, now};
use crate::domain::{Actor, Role};
use crate::i18n::Key;
use crate::{Error, Result};

/// Student-only use cases call this first.
pub fn require_student(actor: &Actor) -> Result<()> {
    if actor.must_change_password {
        return Err(Error::PasswordChangeRequired);
    }
    if actor.role != Role::Student {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// A course as its student sees it in "Mes cours".
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct MyCourse {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub duration_hours: Option<f64>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub total_lessons: i64,
    pub completed_lessons: i64,
    pub progress_percent: i64,
    /// Position of the first lesson not yet done ("continuer"), if any.
    pub next_lesson: Option<i64>,
    pub last_activity: Option<DateTime<Utc>>,
    /// What the student may do with it today, from its dates (see [`CourseAccess`]).
    #[sqlx(skip)]
    pub access: CourseAccess,
}

impl MyCourse {
    /// Why the student may not open it on `today` (`None`: they may).
    pub fn refuse_opening(&self, today: NaiveDate) -> Option<Error> {
        self.access.refuse_opening(self.start_date, today)
    }
}

/// One lesson's state for the student.
#[derive(Debug, Clone, Serialize)]
pub struct LessonState {
    pub lesson_id: i64,
    pub position: i64,
    pub opened: bool,
    pub completed_at: Option<DateTime<Utc>>,
}

/// A course opened by its student: the content and their progress.
#[derive(Debug, Clone, Serialize)]
pub struct MyCourseDetail {
    #[serde(flatten)]
    pub detail: CourseDetail,
    pub progress: Vec<LessonState>,
    pub progress_percent: i64,
    /// The assignment dates (earliest start, latest end over the student's assignments)
    /// and what they allow today.
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub access: CourseAccess,
}

/// One student × course line of the trainer's progress view.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct ProgressRow {
    pub student_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub course_id: i64,
    pub course_title: String,
    pub completed_lessons: i64,
    pub total_lessons: i64,
    pub progress_percent: i64,
    pub last_activity: Option<DateTime<Utc>>,
    /// The student's best score on each quiz of the course.
    #[sqlx(skip)]
    pub quiz_scores: Vec<crate::quiz::QuizScore>,
}

/// An entry of the activity log.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct ActivityEntry {
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub kind: String,
    pub course_id: Option<i64>,
    pub course_title: Option<String>,
    pub lesson_id: Option<i64>,
    pub lesson_title: Option<String>,
    /// What the event concerns beyond course and lesson (a downloaded file's name).
    pub detail: String,
    pub source_ip: Option<String>,
    /// The client's user agent (downloads; sanitized, truncated).
    pub user_agent: Option<String>,
}

/// The courses of a student (published ones, through any class or individually), with
/// the earliest start and latest end over their assignments (an assignment without a
/// start, or without an end, leaves that side open).
const MY_COURSES: &str = "WITH mine AS ( \
       SELECT a.course_id, a.start_date, a.end_date FROM assignments a WHERE a.student_id = ?1 \
       UNION ALL SELECT a.course_id, a.start_date, a.end_date FROM assignments a \
       JOIN class_members m ON m.class_id = a.class_id WHERE m.student_id = ?1), \
     agg AS (SELECT course_id, \
       CASE WHEN count(start_date) = count(*) THEN min(start_date) END AS start_date, \
       CASE WHEN count(end_date) = count(*) THEN max(end_date) END AS end_date \
       FROM mine GROUP BY course_id) \
     SELECT c.id, c.title, c.description, c.duration_hours, agg.start_date, agg.end_date, \
       (SELECT count(*) FROM lessons l WHERE l.course_id = c.id) AS total_lessons, \
       (SELECT count(*) FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id \
          WHERE l.course_id = c.id AND p.student_id = ?1 AND p.completed_at IS NOT NULL) AS completed_lessons, \
       0 AS progress_percent, \
       (SELECT l.position FROM lessons l WHERE l.course_id = c.id AND NOT EXISTS \
          (SELECT 1 FROM lesson_progress p WHERE p.lesson_id = l.id AND p.student_id = ?1 \
           AND p.completed_at IS NOT NULL) ORDER BY l.position LIMIT 1) AS next_lesson, \
       (SELECT max(created_at) FROM activity_log g WHERE g.user_id = ?1 AND g.course_id = c.id) AS last_activity \
     FROM agg JOIN courses c ON c.id = agg.course_id WHERE c.status = 'published' ";

fn percent(done: i64, total: i64) -> i64 {
    if total > 0 { done * 100 / total } else { 0 }
}

impl Portail {
    /// "Mes cours": the student's published courses with progress.
    pub async fn my_courses(&self, actor: &Actor) -> Result<Vec<MyCourse>> {
        require_student(actor)?;
        let sql = format!(
            "{MY_COURSES} ORDER BY agg.start_date IS NULL, agg.start_date, c.title COLLATE NOCASE"
        );
        let mut rows: Vec<MyCourse> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(actor.user_id)
            .fetch_all(self.pool())
            .await?;
        let today = self.today();
        for r in &mut rows {
            r.progress_percent = percent(r.completed_lessons, r.total_lessons);
            r.access = CourseAccess::on(today, r.start_date, r.end_date);
        }
        rows.sort_by_cached_key(|c| {
            (
                c.start_date.is_none(),
                c.start_date,
                crate::present::sort_key(&c.title),
            )
        });
        Ok(rows)
    }

    /// Resolves a course among the student's own (id or title). A course that exists but
    /// is not theirs is refused exactly like one that does not exist.
    pub async fn my_course_resolve(&self, actor: &Actor, reference: &str) -> Result<i64> {
        let r = reference.trim();
        let mine = self.my_courses(actor).await?;
        let matches: Vec<i64> = match mine.iter().find(|c| c.id.to_string() == r) {
            Some(c) => vec![c.id],
            None => mine
                .iter()
                .filter(|c| c.title.to_lowercase() == r.to_lowercase())
                .map(|c| c.id)
                .collect(),
        };
        match matches.as_slice() {
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

    /// One of the student's courses (with its dates and access today); another course is
    /// not found.
    async fn enrolled(&self, actor: &Actor, course_id: i64) -> Result<MyCourse> {
        self.my_courses(actor)
            .await?
            .into_iter()
            .find(|c| c.id == course_id)
            .ok_or(Error::NotFound)
    }

    /// The student's course if they may open it today (refused before its start day).
    pub(crate) async fn require_openable(&self, actor: &Actor, course_id: i64) -> Result<MyCourse> {
        let c = self.enrolled(actor, course_id).await?;
        match c.refuse_opening(self.today()) {
            Some(e) => Err(e),
            None => Ok(c),
        }
    }

    /// The student's course if they may make progress in it today (open: neither before
    /// its start day nor after its end day); `key` says what was refused after the end.
    pub(crate) async fn require_active(
        &self,
        actor: &Actor,
        course_id: i64,
        key: Key,
    ) -> Result<MyCourse> {
        let c = self.enrolled(actor, course_id).await?;
        match c
            .access
            .refuse_progress(c.start_date, c.end_date, self.today(), key)
        {
            Some(e) => Err(e),
            None => Ok(c),
        }
    }

    /// The ids of the student's courses they may open today (files, quizzes).
    pub(crate) async fn openable_course_ids(&self, actor: &Actor) -> Result<Vec<i64>> {
        Ok(self
            .my_courses(actor)
            .await?
            .into_iter()
            .filter(|c| c.access != CourseAccess::Upcoming)
            .map(|c| c.id)
            .collect())
    }

    /// A course opened by its student, with their per-lesson progress and a fresh signed
    /// download link for each file. Refused before the course's start day.
    pub async fn my_course(&self, actor: &Actor, course_id: i64) -> Result<MyCourseDetail> {
        let mine = self.require_openable(actor, course_id).await?;
        let mut detail = self.course_detail_unchecked(course_id).await?;
        self.sign_resources(actor, &mut detail.resources);
        let rows: Vec<(i64, Option<DateTime<Utc>>)> = sqlx::query_as(
            "SELECT p.lesson_id, p.completed_at FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id \
             WHERE p.student_id = ?1 AND l.course_id = ?2",
        )
        .bind(actor.user_id)
        .bind(course_id)
        .fetch_all(self.pool())
        .await?;
        let progress: Vec<LessonState> = detail
            .lessons
            .iter()
            .map(|l| {
                let row = rows.iter().find(|(id, _)| *id == l.id);
                LessonState {
                    lesson_id: l.id,
                    position: l.position,
                    opened: row.is_some(),
                    completed_at: row.and_then(|(_, c)| *c),
                }
            })
            .collect();
        let done = progress.iter().filter(|p| p.completed_at.is_some()).count() as i64;
        let pct = percent(done, detail.lessons.len() as i64);
        debug_assert!(detail.course.status == CourseStatus::Published);
        Ok(MyCourseDetail {
            detail,
            progress,
            progress_percent: pct,
            start_date: mine.start_date,
            end_date: mine.end_date,
            access: mine.access,
        })
    }

    async fn lesson_course(&self, lesson_id: i64) -> Result<i64> {
        sqlx::query_scalar("SELECT course_id FROM lessons WHERE id = ?1")
            .bind(lesson_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(Error::NotFound)
    }

    /// The student opens a lesson: recorded once (first opening) in progress, every time
    /// in the activity log.
    pub async fn lesson_open(&self, actor: &Actor, lesson_id: i64) -> Result<()> {
        let course = self.lesson_course(lesson_id).await?;
        self.require_openable(actor, course).await?;
        let ts = now();
        sqlx::query(
            "INSERT INTO lesson_progress (student_id, lesson_id, first_opened_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(actor.user_id)
        .bind(lesson_id)
        .bind(ts)
        .execute(self.pool())
        .await?;
        self.log_course_activity(actor.user_id, "lesson_opened", course, lesson_id)
            .await
    }

    /// Marks a lesson done (or not done any more). Returns the course's new percentage.
    /// Refused outside the course's dates (see [`CourseAccess`]).
    pub async fn lesson_set_done(&self, actor: &Actor, lesson_id: i64, done: bool) -> Result<i64> {
        let course = self.lesson_course(lesson_id).await?;
        self.require_active(actor, course, Key::ErrCourseEndedDone)
            .await?;
        let ts = now();
        sqlx::query(
            "INSERT INTO lesson_progress (student_id, lesson_id, first_opened_at, completed_at) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (student_id, lesson_id) \
             DO UPDATE SET completed_at = excluded.completed_at",
        )
        .bind(actor.user_id)
        .bind(lesson_id)
        .bind(ts)
        .bind(done.then_some(ts))
        .execute(self.pool())
        .await?;
        let kind = if done {
            "lesson_completed"
        } else {
            "lesson_reopened"
        };
        self.log_course_activity(actor.user_id, kind, course, lesson_id)
            .await?;
        self.bus().publish(crate::events::Event::ProgressChanged {
            student_id: actor.user_id,
            course_id: course,
        });
        Ok(self.my_course(actor, course).await?.progress_percent)
    }

    async fn log_course_activity(
        &self,
        user: i64,
        kind: &str,
        course: i64,
        lesson: i64,
    ) -> Result<()> {
        self.record_activity(super::activity::NewActivity {
            user_id: user,
            kind,
            course_id: Some(course),
            lesson_id: Some(lesson),
            ..Default::default()
        })
        .await?;
        Ok(())
    }

    /// Trainer: progress of every enrolled student × course, optionally narrowed.
    pub async fn progress(
        &self,
        actor: &Actor,
        course: Option<i64>,
        class: Option<i64>,
        student: Option<i64>,
    ) -> Result<Vec<ProgressRow>> {
        require_trainer(actor)?;
        let mut rows: Vec<ProgressRow> = sqlx::query_as(
            "WITH enrolled AS ( \
               SELECT a.student_id, a.course_id FROM assignments a WHERE a.student_id IS NOT NULL \
               UNION SELECT m.student_id, a.course_id FROM assignments a \
               JOIN class_members m ON m.class_id = a.class_id) \
             SELECT u.id AS student_id, u.email, u.first_name, u.last_name, c.id AS course_id, \
               c.title AS course_title, \
               (SELECT count(*) FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id \
                  WHERE l.course_id = c.id AND p.student_id = u.id AND p.completed_at IS NOT NULL) AS completed_lessons, \
               (SELECT count(*) FROM lessons l WHERE l.course_id = c.id) AS total_lessons, \
               0 AS progress_percent, \
               (SELECT max(created_at) FROM activity_log g WHERE g.user_id = u.id AND g.course_id = c.id) AS last_activity \
             FROM enrolled e JOIN users u ON u.id = e.student_id JOIN courses c ON c.id = e.course_id \
             WHERE (?1 IS NULL OR c.id = ?1) \
               AND (?2 IS NULL OR u.id IN (SELECT student_id FROM class_members WHERE class_id = ?2)) \
               AND (?3 IS NULL OR u.id = ?3) \
             ORDER BY u.last_name COLLATE NOCASE, u.first_name COLLATE NOCASE, u.email, c.title COLLATE NOCASE",
        )
        .bind(course)
        .bind(class)
        .bind(student)
        .fetch_all(self.pool())
        .await?;
        let mut scores = self.quiz_scores_by_student(course).await?;
        for r in &mut rows {
            r.progress_percent = percent(r.completed_lessons, r.total_lessons);
            r.quiz_scores = scores
                .remove(&(r.student_id, r.course_id))
                .unwrap_or_default();
        }
        crate::present::sort_by_texts(&mut rows, |r| {
            [
                r.last_name.as_str(),
                r.first_name.as_str(),
                r.email.as_str(),
                r.course_title.as_str(),
            ]
        });
        Ok(rows)
    }

    /// Trainer: the activity log, newest first, optionally for one student and/or since a
    /// date (`YYYY-MM-DD`, from local midnight in the configured zone). At most `limit`
    /// entries.
    pub async fn activity(
        &self,
        actor: &Actor,
        student: Option<i64>,
        since: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ActivityEntry>> {
        require_trainer(actor)?;
        let since = crate::validate::date(Key::FieldStart, since)?
            .map(|d| crate::present::start_of_day(self.options().time_zone, d));
        Ok(sqlx::query_as(
            "SELECT g.created_at AS at, g.user_id, u.email, g.kind, g.course_id, c.title AS course_title, \
               g.lesson_id, l.title AS lesson_title, g.detail, g.source_ip, g.user_agent \
             FROM activity_log g LEFT JOIN users u ON u.id = g.user_id \
             LEFT JOIN courses c ON c.id = g.course_id LEFT JOIN lessons l ON l.id = g.lesson_id \
             WHERE (?1 IS NULL OR g.user_id = ?1) AND (?2 IS NULL OR g.created_at >= ?2) \
             ORDER BY g.created_at DESC, g.id DESC LIMIT ?3",
        )
        .bind(student)
        .bind(since)
        .bind(limit.clamp(1, 100_000))
        .fetch_all(self.pool())
        .await?)
    }
}
