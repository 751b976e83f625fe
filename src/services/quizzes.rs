//! Quizzes and exams: authoring and results (trainer), taking (student).
//!
//! Rules kept here, whatever the door:
//! - a student only sees published quizzes of published courses assigned to them, and
//!   never a correct answer before submitting (the student types carry none);
//! - answers and submissions are refused after the deadline (server clock) and attempts
//!   beyond the number allowed; an attempt whose deadline passed is graded "timed out"
//!   with the answers saved before it the next time anything touches it (start, list,
//!   answer, submit, results), so no background task is needed;
//! - imports are all or nothing.

use chrono::{DateTime, Duration, Utc};
use sqlx::FromRow;

use super::guard::require_trainer;
use super::learning::require_student;
use super::{Portail, now};
use crate::domain::{Actor, Role};
use crate::i18n::Key;
use crate::import::{Issue, Location};
use crate::quiz::check::{
    self, MAX_QUESTIONS, MAX_QUIZ_BYTES, clean_answer, clean_draft, clean_settings, round2,
};
use crate::quiz::{
    Answer, AttemptResult, AttemptReview, AttemptView, MyQuiz, ProgressionRow, Question,
    QuestionCorrection, QuestionDraft, QuestionStat, QuizAvailability, QuizDetail, QuizDoc,
    QuizFormat, QuizGrant, QuizImportReport, QuizKind, QuizResults, QuizScore, QuizSettings,
    QuizStatus, QuizSummary, StudentAttempts, StudentQuizResult, gift,
};
use crate::validate::invalid;
use crate::{Error, Result};

#[derive(FromRow)]
struct QuizRow {
    id: i64,
    course_id: i64,
    course_title: String,
    lesson_id: Option<i64>,
    title: String,
    kind: String,
    pass_percent: i64,
    max_attempts: Option<i64>,
    time_limit_minutes: Option<i64>,
    show_corrections: bool,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    published: bool,
    question_count: i64,
    total_points: f64,
    attempt_count: i64,
}

impl QuizRow {
    fn settings(&self) -> QuizSettings {
        QuizSettings {
            title: self.title.clone(),
            kind: QuizKind::parse(&self.kind).unwrap_or_default(),
            lesson_id: self.lesson_id,
            pass_percent: self.pass_percent.clamp(0, 100) as u8,
            max_attempts: self.max_attempts.map(|n| n.max(1) as u32),
            time_limit_minutes: self.time_limit_minutes.map(|n| n.max(1) as u32),
            show_corrections: self.show_corrections,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            published: self.published,
        }
    }
    fn summary(&self) -> QuizSummary {
        QuizSummary {
            id: self.id,
            course_id: self.course_id,
            course_title: self.course_title.clone(),
            settings: self.settings(),
            question_count: self.question_count,
            total_points: self.total_points,
            attempt_count: self.attempt_count,
        }
    }
}

const SELECT_QUIZ: &str = "SELECT q.id, q.course_id, c.title AS course_title, q.lesson_id, q.title, \
     q.kind, q.pass_percent, q.max_attempts, q.time_limit_minutes, q.show_corrections, q.opens_at, \
     q.closes_at, q.published, \
     (SELECT count(*) FROM quiz_questions x WHERE x.quiz_id = q.id) AS question_count, \
     (SELECT coalesce(sum(x.points), 0.0) FROM quiz_questions x WHERE x.quiz_id = q.id) AS total_points, \
     (SELECT count(*) FROM quiz_attempts a WHERE a.quiz_id = q.id AND a.submitted_at IS NOT NULL) AS attempt_count \
     FROM quizzes q JOIN courses c ON c.id = q.course_id ";

#[derive(FromRow)]
struct AttemptRow {
    id: i64,
    quiz_id: i64,
    student_id: i64,
    started_at: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
    submitted_at: Option<DateTime<Utc>>,
    timed_out: bool,
    score: Option<f64>,
    max_score: Option<f64>,
    percent: Option<f64>,
    passed: Option<bool>,
}

#[derive(FromRow)]
struct ResultRow {
    student_id: i64,
    email: String,
    first_name: String,
    last_name: String,
    attempts: i64,
    best: Option<f64>,
    last: Option<f64>,
    last_at: Option<DateTime<Utc>>,
    passed: bool,
}

const SELECT_ATTEMPT: &str = "SELECT id, quiz_id, student_id, started_at, deadline, submitted_at, \
     timed_out, score, max_score, percent, passed FROM quiz_attempts ";

fn parse_draft(json: &str) -> Result<QuestionDraft> {
    serde_json::from_str(json).map_err(|e| Error::Internal(format!("stored question: {e}")))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))
}

/// The settings as they apply to one student: their extra attempts and minutes added
/// (only where the quiz sets a limit).
fn with_allowance(s: &QuizSettings, (attempts, minutes): (u32, u32)) -> QuizSettings {
    QuizSettings {
        max_attempts: s.max_attempts.map(|m| m.saturating_add(attempts)),
        time_limit_minutes: s.time_limit_minutes.map(|m| m.saturating_add(minutes)),
        ..s.clone()
    }
}

/// The deadline of an attempt started at `start`: the time limit, capped by the closing.
fn deadline_for(s: &QuizSettings, start: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let by_limit = s
        .time_limit_minutes
        .map(|m| start + Duration::minutes(i64::from(m)));
    match (by_limit, s.closes_at) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A JSON document refused: where, what, in words people read.
fn json_issue(e: serde_path_to_error::Error<serde_json::Error>) -> Issue {
    let path = e.path().to_string();
    let inner = e.into_inner();
    let problem = match inner.classify() {
        serde_json::error::Category::Data => {
            let m = inner.to_string();
            if m.starts_with("missing field") {
                Key::QzJsonMissing
            } else if m.starts_with("unknown variant") {
                Key::QzJsonVariant
            } else {
                Key::QzJsonType
            }
        }
        _ => Key::QzJsonSyntax,
    };
    // serde's own words without its " at line L column C" suffix (the place is given).
    let msg = inner.to_string();
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m)
        .to_string();
    Issue {
        location: Location::Line(inner.line() as u64),
        column: (path != ".").then_some(path),
        problem,
        value: msg,
    }
}

/// Parses and checks a quiz document (JSON or GIFT). All or nothing: every problem found.
pub fn parse_quiz(
    format: QuizFormat,
    text: &str,
    kind: Option<QuizKind>,
) -> Result<(QuizDoc, Vec<Issue>)> {
    if text.len() > MAX_QUIZ_BYTES {
        return Err(Error::Invalid(Key::QzErrTooLarge));
    }
    let (mut doc, warnings) = match format {
        QuizFormat::Gift => {
            let g = gift::parse(text).map_err(Error::ImportRejected)?;
            let settings = QuizSettings {
                title: g.category.unwrap_or_else(|| "Quiz importé".to_string()),
                ..QuizSettings::default()
            };
            let doc = QuizDoc {
                settings,
                questions: g.questions.into_iter().map(|(_, q)| q).collect(),
            };
            (doc, g.warnings)
        }
        QuizFormat::Json => {
            let text = text.trim_start_matches('\u{feff}');
            let de = &mut serde_json::Deserializer::from_str(text);
            let doc: QuizDoc = serde_path_to_error::deserialize(de)
                .map_err(|e| Error::ImportRejected(vec![json_issue(e)]))?;
            let mut issues = Vec::new();
            let mut warnings = Vec::new();
            let mut questions = Vec::new();
            for (i, q) in doc.questions.iter().enumerate() {
                match clean_draft(q) {
                    Ok(q) => {
                        for (path, key) in check::draft_warnings(&q) {
                            warnings.push(Issue {
                                location: Location::Item(i + 1),
                                column: Some(path),
                                problem: key,
                                value: String::new(),
                            });
                        }
                        questions.push(q);
                    }
                    Err(p) => issues.push(p.into_issue(Location::Item(i + 1))),
                }
            }
            if doc.questions.is_empty() {
                issues.push(Issue::file(Key::QzProbNoQuestions, ""));
            }
            if doc.questions.len() > MAX_QUESTIONS {
                issues.push(Issue::file(
                    Key::QzProbTooManyQuestions,
                    doc.questions.len().to_string(),
                ));
            }
            if !issues.is_empty() {
                return Err(Error::ImportRejected(issues));
            }
            (
                QuizDoc {
                    settings: doc.settings,
                    questions,
                },
                warnings,
            )
        }
    };
    if let Some(k) = kind {
        doc.settings.kind = k;
    }
    doc.settings = clean_settings(&doc.settings)?;
    Ok((doc, warnings))
}

impl Portail {
    async fn quiz_row(&self, quiz_id: i64) -> Result<QuizRow> {
        let sql = format!("{SELECT_QUIZ} WHERE q.id = ?1");
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(quiz_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(Error::NotFound)
    }

    async fn quiz_questions(&self, quiz_id: i64) -> Result<Vec<Question>> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, position, draft FROM quiz_questions WHERE quiz_id = ?1 ORDER BY position, id",
        )
        .bind(quiz_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(id, position, draft)| {
                Ok(Question {
                    id,
                    position,
                    draft: parse_draft(&draft)?,
                })
            })
            .collect()
    }

    /// Extra attempts and minutes granted to a student on a quiz (sums of the grants).
    async fn allowance(&self, quiz_id: i64, student_id: i64) -> Result<(u32, u32)> {
        let (a, m): (i64, i64) = sqlx::query_as(
            "SELECT coalesce(sum(extra_attempts), 0), coalesce(sum(extra_minutes), 0) \
             FROM quiz_grants WHERE quiz_id = ?1 AND student_id = ?2",
        )
        .bind(quiz_id)
        .bind(student_id)
        .fetch_one(self.pool())
        .await?;
        Ok((
            a.clamp(0, i64::from(u32::MAX)) as u32,
            m.clamp(0, i64::from(u32::MAX)) as u32,
        ))
    }

    /// Course ids a student may see quizzes of (published, assigned by any route, not
    /// before the course's start day).
    async fn student_course_ids(&self, actor: &Actor) -> Result<Vec<i64>> {
        self.openable_course_ids(actor).await
    }

    /// A quiz the student may see: published, of one of their courses. Otherwise not found.
    async fn visible_quiz(&self, actor: &Actor, quiz_id: i64) -> Result<QuizRow> {
        require_student(actor)?;
        let q = self.quiz_row(quiz_id).await?;
        if !q.published || !self.student_course_ids(actor).await?.contains(&q.course_id) {
            return Err(Error::NotFound);
        }
        Ok(q)
    }

    async fn check_lesson(&self, course_id: i64, lesson_id: Option<i64>) -> Result<()> {
        if let Some(l) = lesson_id {
            let ok: Option<i64> =
                sqlx::query_scalar("SELECT id FROM lessons WHERE id = ?1 AND course_id = ?2")
                    .bind(l)
                    .bind(course_id)
                    .fetch_optional(self.pool())
                    .await?;
            if ok.is_none() {
                return Err(invalid(
                    Key::EntLesson,
                    Key::QzProbLessonNotInCourse,
                    &l.to_string(),
                ));
            }
        }
        Ok(())
    }

    /// Grades every attempt whose deadline has passed (optionally of one quiz / student).
    async fn finalize_expired(&self, quiz: Option<i64>, student: Option<i64>) -> Result<()> {
        let open: Vec<(i64, DateTime<Utc>)> = sqlx::query_as(
            "SELECT id, deadline FROM quiz_attempts WHERE submitted_at IS NULL AND deadline IS NOT NULL \
             AND (?1 IS NULL OR quiz_id = ?1) AND (?2 IS NULL OR student_id = ?2)",
        )
        .bind(quiz)
        .bind(student)
        .fetch_all(self.pool())
        .await?;
        let t = now();
        for (id, deadline) in open {
            if deadline <= t {
                self.grade(id, deadline, true).await?;
            }
        }
        Ok(())
    }

    /// Grades an attempt once: stores each question's points earned (every question gets a
    /// row, unanswered ones with no answer) and the score. A second call does nothing.
    async fn grade(&self, attempt_id: i64, at: DateTime<Utc>, timed_out: bool) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        let quiz: Option<(i64, i64)> = sqlx::query_as(
            "SELECT a.quiz_id, q.pass_percent FROM quiz_attempts a JOIN quizzes q ON q.id = a.quiz_id \
             WHERE a.id = ?1 AND a.submitted_at IS NULL",
        )
        .bind(attempt_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((quiz_id, pass)) = quiz else {
            return Ok(());
        };
        let questions: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, draft FROM quiz_questions WHERE quiz_id = ?1")
                .bind(quiz_id)
                .fetch_all(&mut *tx)
                .await?;
        let answers: Vec<(i64, Option<String>)> =
            sqlx::query_as("SELECT question_id, answer FROM quiz_answers WHERE attempt_id = ?1")
                .bind(attempt_id)
                .fetch_all(&mut *tx)
                .await?;
        let (mut score, mut max) = (0.0, 0.0);
        for (qid, draft) in &questions {
            let draft = parse_draft(draft)?;
            let given: Option<Answer> = answers
                .iter()
                .find(|(id, _)| id == qid)
                .and_then(|(_, a)| a.as_deref())
                .and_then(|a| serde_json::from_str(a).ok());
            let earned = round2(check::question_fraction(&draft, given.as_ref()) * draft.points);
            score += earned;
            max += draft.points;
            sqlx::query(
                "INSERT INTO quiz_answers (attempt_id, question_id, answer, earned, answered_at) \
                 VALUES (?1, ?2, NULL, ?3, ?4) ON CONFLICT (attempt_id, question_id) \
                 DO UPDATE SET earned = excluded.earned",
            )
            .bind(attempt_id)
            .bind(qid)
            .bind(earned)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        let percent = if max > 0.0 {
            round2(score * 100.0 / max)
        } else {
            0.0
        };
        let passed = max > 0.0 && percent + 1e-9 >= pass as f64;
        sqlx::query(
            "UPDATE quiz_attempts SET submitted_at = ?1, timed_out = ?2, score = ?3, max_score = ?4, \
             percent = ?5, passed = ?6 WHERE id = ?7 AND submitted_at IS NULL",
        )
        .bind(at)
        .bind(timed_out)
        .bind(round2(score))
        .bind(max)
        .bind(percent)
        .bind(passed)
        .bind(attempt_id)
        .execute(&mut *tx)
        .await?;
        let student: i64 = sqlx::query_scalar("SELECT student_id FROM quiz_attempts WHERE id = ?1")
            .bind(attempt_id)
            .fetch_one(&mut *tx)
            .await?;
        let course: i64 = sqlx::query_scalar("SELECT course_id FROM quizzes WHERE id = ?1")
            .bind(quiz_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        self.record_activity(super::activity::NewActivity {
            user_id: student,
            kind: if timed_out {
                "quiz_timed_out"
            } else {
                "quiz_submitted"
            },
            course_id: Some(course),
            detail: &format!("quiz {quiz_id}: {percent} %"),
            ..Default::default()
        })
        .await?;
        self.bus().publish(crate::events::Event::ProgressChanged {
            student_id: student,
            course_id: course,
        });
        Ok(())
    }

    async fn attempt_row(&self, attempt_id: i64) -> Result<AttemptRow> {
        let sql = format!("{SELECT_ATTEMPT} WHERE id = ?1");
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(attempt_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(Error::NotFound)
    }

    /// An attempt of the acting student (anyone else's is "not found").
    async fn own_attempt(&self, actor: &Actor, attempt_id: i64) -> Result<AttemptRow> {
        require_student(actor)?;
        let a = self.attempt_row(attempt_id).await?;
        if a.student_id != actor.user_id {
            return Err(Error::NotFound);
        }
        Ok(a)
    }

    /// The result of a submitted attempt; corrections only when the quiz shows them.
    async fn attempt_result(
        &self,
        a: &AttemptRow,
        show_corrections: bool,
    ) -> Result<AttemptResult> {
        let mut corrections = Vec::new();
        if show_corrections {
            let rows: Vec<(i64, String, Option<String>, Option<f64>)> = sqlx::query_as(
                "SELECT x.id, x.draft, w.answer, w.earned FROM quiz_questions x \
                 LEFT JOIN quiz_answers w ON w.question_id = x.id AND w.attempt_id = ?1 \
                 WHERE x.quiz_id = ?2 ORDER BY x.position, x.id",
            )
            .bind(a.id)
            .bind(a.quiz_id)
            .fetch_all(self.pool())
            .await?;
            for (qid, draft, given, earned) in rows {
                let draft = parse_draft(&draft)?;
                corrections.push(QuestionCorrection {
                    question_id: qid,
                    earned: earned.unwrap_or(0.0),
                    points: draft.points,
                    given: given.and_then(|g| serde_json::from_str(&g).ok()),
                    expected: Some(draft),
                });
            }
        }
        Ok(AttemptResult {
            attempt_id: a.id,
            quiz_id: a.quiz_id,
            submitted_at: a.submitted_at.unwrap_or(a.started_at),
            timed_out: a.timed_out,
            score: a.score.unwrap_or(0.0),
            max_score: a.max_score.unwrap_or(0.0),
            percent: a.percent.unwrap_or(0.0),
            passed: a.passed.unwrap_or(false),
            corrections,
        })
    }

    /// Every student's standing on the quizzes of each course (published quizzes, and
    /// any quiz the student took), keyed by (student, course).
    pub(crate) async fn quiz_scores_by_student(
        &self,
        course: Option<i64>,
    ) -> Result<std::collections::HashMap<(i64, i64), Vec<QuizScore>>> {
        self.finalize_expired(None, None).await?;
        let quizzes: Vec<(i64, i64, String, String, bool)> = sqlx::query_as(
            "SELECT id, course_id, title, kind, published FROM quizzes \
             WHERE (?1 IS NULL OR course_id = ?1) \
             ORDER BY course_id, CASE kind WHEN 'positioning' THEN 0 WHEN 'check' THEN 1 ELSE 2 END, \
               title COLLATE NOCASE, id",
        )
        .bind(course)
        .fetch_all(self.pool())
        .await?;
        let taken: Vec<(i64, i64, i64, Option<f64>, bool)> = sqlx::query_as(
            "SELECT t.student_id, t.quiz_id, count(*), max(t.percent), max(t.passed) = 1 \
             FROM quiz_attempts t JOIN quizzes q ON q.id = t.quiz_id \
             WHERE t.submitted_at IS NOT NULL AND (?1 IS NULL OR q.course_id = ?1) \
             GROUP BY t.student_id, t.quiz_id",
        )
        .bind(course)
        .fetch_all(self.pool())
        .await?;
        let enrolled: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT a.student_id, a.course_id FROM assignments a WHERE a.student_id IS NOT NULL \
               AND (?1 IS NULL OR a.course_id = ?1) \
             UNION SELECT m.student_id, a.course_id FROM assignments a \
               JOIN class_members m ON m.class_id = a.class_id WHERE (?1 IS NULL OR a.course_id = ?1) \
             UNION SELECT t.student_id, q.course_id FROM quiz_attempts t JOIN quizzes q ON q.id = t.quiz_id \
               WHERE (?1 IS NULL OR q.course_id = ?1)",
        )
        .bind(course)
        .fetch_all(self.pool())
        .await?;
        let mut out = std::collections::HashMap::new();
        for (student, course_id) in enrolled {
            let scores: Vec<QuizScore> = quizzes
                .iter()
                .filter(|q| q.1 == course_id)
                .filter_map(|(qid, _, title, kind, published)| {
                    let t = taken.iter().find(|t| t.0 == student && t.1 == *qid);
                    if !published && t.is_none() {
                        return None;
                    }
                    Some(QuizScore {
                        quiz_id: *qid,
                        title: title.clone(),
                        kind: QuizKind::parse(kind).unwrap_or_default(),
                        attempts: t.map_or(0, |t| t.2),
                        best_percent: t.and_then(|t| t.3),
                        passed: t.is_some_and(|t| t.4),
                    })
                })
                .collect();
            out.insert((student, course_id), scores);
        }
        Ok(out)
    }

    // ----- trainer -----

    /// Quizzes, optionally of one course (trainer).
    pub async fn quiz_list(
        &self,
        actor: &Actor,
        course_id: Option<i64>,
    ) -> Result<Vec<QuizSummary>> {
        require_trainer(actor)?;
        self.finalize_expired(None, None).await?;
        let sql = format!(
            "{SELECT_QUIZ} WHERE (?1 IS NULL OR q.course_id = ?1) \
             ORDER BY c.title COLLATE NOCASE, q.title COLLATE NOCASE, q.id"
        );
        let rows: Vec<QuizRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(course_id)
            .fetch_all(self.pool())
            .await?;
        let mut list: Vec<QuizSummary> = rows.iter().map(QuizRow::summary).collect();
        crate::present::sort_by_texts(&mut list, |q| {
            [q.course_title.as_str(), q.settings.title.as_str()]
        });
        Ok(list)
    }

    /// A quiz by id or by title (case-insensitive) when unique. Students only resolve
    /// the quizzes they can see.
    pub async fn quiz_resolve(&self, actor: &Actor, reference: &str) -> Result<i64> {
        let r = reference.trim();
        let candidates: Vec<(i64, String)> = match actor.role {
            Role::Trainer => {
                require_trainer(actor)?;
                sqlx::query_as("SELECT id, title FROM quizzes")
                    .fetch_all(self.pool())
                    .await?
            }
            Role::Student => self
                .my_quizzes(actor)
                .await?
                .into_iter()
                .map(|q| (q.id, q.title))
                .collect(),
        };
        let by_id: Vec<i64> = candidates
            .iter()
            .filter(|(id, _)| id.to_string() == r)
            .map(|(id, _)| *id)
            .collect();
        let matches = if by_id.is_empty() {
            let folded = r.to_lowercase();
            candidates
                .iter()
                .filter(|(_, t)| t.to_lowercase() == folded)
                .map(|(id, _)| *id)
                .collect()
        } else {
            by_id
        };
        match matches.as_slice() {
            [id] => Ok(*id),
            [] => Err(Error::Unknown {
                what: Key::EntQuiz,
                reference: r.to_string(),
            }),
            _ => Err(Error::Ambiguous {
                what: Key::EntQuiz,
                reference: r.to_string(),
            }),
        }
    }

    /// A quiz with its questions and answers (trainer).
    pub async fn quiz_get(&self, actor: &Actor, quiz_id: i64) -> Result<QuizDetail> {
        require_trainer(actor)?;
        let row = self.quiz_row(quiz_id).await?;
        Ok(QuizDetail {
            summary: row.summary(),
            questions: self.quiz_questions(quiz_id).await?,
        })
    }

    /// Creates a quiz with its questions in one transaction; every question is checked
    /// first (all or nothing).
    pub async fn quiz_create(&self, actor: &Actor, course_id: i64, doc: QuizDoc) -> Result<i64> {
        require_trainer(actor)?;
        self.course_row(course_id).await?;
        let settings = clean_settings(&doc.settings)?;
        self.check_lesson(course_id, settings.lesson_id).await?;
        let mut issues = Vec::new();
        let mut questions = Vec::new();
        for (i, q) in doc.questions.iter().enumerate() {
            match clean_draft(q) {
                Ok(q) => questions.push(q),
                Err(p) => issues.push(p.into_issue(Location::Item(i + 1))),
            }
        }
        if questions.len() > MAX_QUESTIONS {
            issues.push(Issue::file(
                Key::QzProbTooManyQuestions,
                questions.len().to_string(),
            ));
        }
        if !issues.is_empty() {
            return Err(Error::ImportRejected(issues));
        }
        if settings.published {
            check::publishable(&questions)?;
        }
        let ts = now();
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO quizzes (course_id, lesson_id, title, kind, pass_percent, max_attempts, \
             time_limit_minutes, show_corrections, opens_at, closes_at, published, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) RETURNING id",
        )
        .bind(course_id)
        .bind(settings.lesson_id)
        .bind(&settings.title)
        .bind(settings.kind.code())
        .bind(i64::from(settings.pass_percent))
        .bind(settings.max_attempts.map(i64::from))
        .bind(settings.time_limit_minutes.map(i64::from))
        .bind(settings.show_corrections)
        .bind(settings.opens_at)
        .bind(settings.closes_at)
        .bind(settings.published)
        .bind(ts)
        .fetch_one(&mut *tx)
        .await?;
        for (i, q) in questions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO quiz_questions (quiz_id, position, kind, points, draft, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )
            .bind(id)
            .bind(i as i64 + 1)
            .bind(q.kind.code())
            .bind(q.points)
            .bind(to_json(q)?)
            .bind(ts)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a quiz's settings (title, kind, pass mark, attempts, time limit, dates,
    /// corrections, published).
    pub async fn quiz_update_settings(
        &self,
        actor: &Actor,
        quiz_id: i64,
        settings: QuizSettings,
    ) -> Result<()> {
        require_trainer(actor)?;
        let row = self.quiz_row(quiz_id).await?;
        let s = clean_settings(&settings)?;
        self.check_lesson(row.course_id, s.lesson_id).await?;
        if s.published {
            let drafts: Vec<QuestionDraft> = self
                .quiz_questions(quiz_id)
                .await?
                .into_iter()
                .map(|q| q.draft)
                .collect();
            check::publishable(&drafts)?;
        }
        sqlx::query(
            "UPDATE quizzes SET lesson_id = ?1, title = ?2, kind = ?3, pass_percent = ?4, max_attempts = ?5, \
             time_limit_minutes = ?6, show_corrections = ?7, opens_at = ?8, closes_at = ?9, published = ?10, \
             updated_at = ?11 WHERE id = ?12",
        )
        .bind(s.lesson_id)
        .bind(&s.title)
        .bind(s.kind.code())
        .bind(i64::from(s.pass_percent))
        .bind(s.max_attempts.map(i64::from))
        .bind(s.time_limit_minutes.map(i64::from))
        .bind(s.show_corrections)
        .bind(s.opens_at)
        .bind(s.closes_at)
        .bind(s.published)
        .bind(now())
        .bind(quiz_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Deletes a quiz with its questions, attempts and results. When students have
    /// attempts, only with `confirmed`.
    pub async fn quiz_delete(&self, actor: &Actor, quiz_id: i64, confirmed: bool) -> Result<()> {
        require_trainer(actor)?;
        self.quiz_row(quiz_id).await?;
        let attempts: i64 =
            sqlx::query_scalar("SELECT count(*) FROM quiz_attempts WHERE quiz_id = ?1")
                .bind(quiz_id)
                .fetch_one(self.pool())
                .await?;
        if attempts > 0 && !confirmed {
            return Err(Error::NeedsConfirmation(Key::QzErrConfirmDelete));
        }
        sqlx::query("DELETE FROM quizzes WHERE id = ?1")
            .bind(quiz_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Adds a question at the end of a quiz.
    pub async fn question_add(
        &self,
        actor: &Actor,
        quiz_id: i64,
        draft: QuestionDraft,
    ) -> Result<i64> {
        require_trainer(actor)?;
        self.quiz_row(quiz_id).await?;
        let q = clean_draft(&draft).map_err(|p| p.into_error())?;
        let mut tx = self.pool().begin().await?;
        let (count, max): (i64, i64) = sqlx::query_as(
            "SELECT count(*), coalesce(max(position), 0) FROM quiz_questions WHERE quiz_id = ?1",
        )
        .bind(quiz_id)
        .fetch_one(&mut *tx)
        .await?;
        if count as usize >= MAX_QUESTIONS {
            return Err(Error::Invalid(Key::QzProbTooManyQuestions));
        }
        let ts = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO quiz_questions (quiz_id, position, kind, points, draft, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id",
        )
        .bind(quiz_id)
        .bind(max + 1)
        .bind(q.kind.code())
        .bind(q.points)
        .bind(to_json(&q)?)
        .bind(ts)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces a question (results already graded keep their points).
    pub async fn question_update(
        &self,
        actor: &Actor,
        question_id: i64,
        draft: QuestionDraft,
    ) -> Result<()> {
        require_trainer(actor)?;
        let q = clean_draft(&draft).map_err(|p| p.into_error())?;
        let done = sqlx::query(
            "UPDATE quiz_questions SET kind = ?1, points = ?2, draft = ?3, updated_at = ?4 WHERE id = ?5",
        )
        .bind(q.kind.code())
        .bind(q.points)
        .bind(to_json(&q)?)
        .bind(now())
        .bind(question_id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Deletes a question; not the last one of a published quiz (a published quiz is
    /// never empty).
    pub async fn question_delete(&self, actor: &Actor, question_id: i64) -> Result<()> {
        require_trainer(actor)?;
        let last_of_published: Option<bool> = sqlx::query_scalar(
            "SELECT q.published = 1 AND (SELECT count(*) FROM quiz_questions y WHERE y.quiz_id = q.id) = 1 \
             FROM quiz_questions x JOIN quizzes q ON q.id = x.quiz_id WHERE x.id = ?1",
        )
        .bind(question_id)
        .fetch_optional(self.pool())
        .await?;
        if last_of_published == Some(true) {
            return Err(Error::Invalid(Key::QzErrLastQuestion));
        }
        let done = sqlx::query("DELETE FROM quiz_questions WHERE id = ?1")
            .bind(question_id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Moves a question `delta` places (negative: up), clamped to the quiz's ends.
    pub async fn question_move(&self, actor: &Actor, question_id: i64, delta: i64) -> Result<()> {
        require_trainer(actor)?;
        let mut tx = self.pool().begin().await?;
        let quiz: i64 = sqlx::query_scalar("SELECT quiz_id FROM quiz_questions WHERE id = ?1")
            .bind(question_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound)?;
        let mut ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM quiz_questions WHERE quiz_id = ?1 ORDER BY position, id",
        )
        .bind(quiz)
        .fetch_all(&mut *tx)
        .await?;
        let from = ids
            .iter()
            .position(|id| *id == question_id)
            .ok_or(Error::NotFound)?;
        let to = (from as i64 + delta).clamp(0, ids.len() as i64 - 1) as usize;
        let id = ids.remove(from);
        ids.insert(to, id);
        super::renumber(&mut tx, super::Ordered::QuizQuestions, &ids).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `quiz import`: reads a quiz (JSON or GIFT), checks everything, and creates it
    /// unpublished (nothing written on a dry run or on any error).
    pub async fn quiz_import(
        &self,
        actor: &Actor,
        course_id: i64,
        format: QuizFormat,
        text: &str,
        kind: Option<QuizKind>,
        dry_run: bool,
    ) -> Result<QuizImportReport> {
        require_trainer(actor)?;
        self.course_row(course_id).await?;
        let (mut doc, warnings) = parse_quiz(format, text, kind)?;
        doc.settings.published = false;
        // A lesson id only means something in the course it came from.
        if doc.settings.lesson_id.is_some() {
            self.check_lesson(course_id, doc.settings.lesson_id).await?;
        }
        let report = QuizImportReport {
            quiz_id: None,
            title: doc.settings.title.clone(),
            question_count: doc.questions.len(),
            total_points: doc.questions.iter().map(|q| q.points).sum(),
            warnings,
        };
        if dry_run {
            return Ok(report);
        }
        let id = self.quiz_create(actor, course_id, doc).await?;
        Ok(QuizImportReport {
            quiz_id: Some(id),
            ..report
        })
    }

    /// `quiz export`: the quiz as JSON (settings and questions) or GIFT (questions).
    pub async fn quiz_export(
        &self,
        actor: &Actor,
        quiz_id: i64,
        format: QuizFormat,
    ) -> Result<String> {
        let d = self.quiz_get(actor, quiz_id).await?;
        let drafts: Vec<QuestionDraft> = d.questions.into_iter().map(|q| q.draft).collect();
        match format {
            QuizFormat::Json => {
                let doc = QuizDoc {
                    settings: d.summary.settings,
                    questions: drafts,
                };
                let mut s = crate::sanitize::json_pretty(&doc)
                    .map_err(|e| Error::Internal(e.to_string()))?;
                s.push('\n');
                Ok(s)
            }
            QuizFormat::Gift => Ok(gift::write(&d.summary.settings.title, &drafts)),
        }
    }

    /// A quiz's results (trainer): every participant of the course (and anyone who took
    /// it), with attempts, best and last score, pass; success rate per question.
    pub async fn quiz_results(&self, actor: &Actor, quiz_id: i64) -> Result<QuizResults> {
        require_trainer(actor)?;
        self.finalize_expired(Some(quiz_id), None).await?;
        let row = self.quiz_row(quiz_id).await?;
        let mut rows: Vec<ResultRow> = sqlx::query_as(
            "WITH people AS ( \
               SELECT a.student_id FROM assignments a WHERE a.course_id = ?2 AND a.student_id IS NOT NULL \
               UNION SELECT m.student_id FROM assignments a JOIN class_members m ON m.class_id = a.class_id \
                 WHERE a.course_id = ?2 \
               UNION SELECT student_id FROM quiz_attempts WHERE quiz_id = ?1), \
             done AS (SELECT * FROM quiz_attempts WHERE quiz_id = ?1 AND submitted_at IS NOT NULL) \
             SELECT u.id AS student_id, u.email, u.first_name, u.last_name, \
               (SELECT count(*) FROM done d WHERE d.student_id = u.id) AS attempts, \
               (SELECT max(percent) FROM done d WHERE d.student_id = u.id) AS best, \
               (SELECT percent FROM done d WHERE d.student_id = u.id ORDER BY submitted_at DESC, id DESC LIMIT 1) AS last, \
               (SELECT max(submitted_at) FROM done d WHERE d.student_id = u.id) AS last_at, \
               EXISTS (SELECT 1 FROM done d WHERE d.student_id = u.id AND d.passed = 1) AS passed \
             FROM people p JOIN users u ON u.id = p.student_id WHERE u.role = 'student' \
             ORDER BY u.last_name COLLATE NOCASE, u.first_name COLLATE NOCASE, u.email",
        )
        .bind(quiz_id)
        .bind(row.course_id)
        .fetch_all(self.pool())
        .await?;
        crate::present::sort_by_texts(&mut rows, |r| {
            [
                r.last_name.as_str(),
                r.first_name.as_str(),
                r.email.as_str(),
            ]
        });
        let mut students = Vec::with_capacity(rows.len());
        for r in rows {
            let (extra_attempts, extra_minutes) = self.allowance(quiz_id, r.student_id).await?;
            students.push(StudentQuizResult {
                student_id: r.student_id,
                name: display_name(&r.first_name, &r.last_name, &r.email),
                email: r.email,
                attempts: r.attempts,
                best_percent: r.best,
                last_percent: r.last,
                last_submitted_at: r.last_at,
                passed: r.passed,
                extra_attempts,
                extra_minutes,
            });
        }
        let stats: Vec<(i64, i64, String, i64, Option<f64>)> = sqlx::query_as(
            "SELECT x.id, x.position, x.draft, \
               (SELECT count(*) FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id \
                  WHERE w.question_id = x.id AND a.submitted_at IS NOT NULL AND w.answer IS NOT NULL), \
               (SELECT avg(w.earned * 100.0 / x.points) FROM quiz_answers w JOIN quiz_attempts a ON a.id = w.attempt_id \
                  WHERE w.question_id = x.id AND a.submitted_at IS NOT NULL) \
             FROM quiz_questions x WHERE x.quiz_id = ?1 ORDER BY x.position, x.id",
        )
        .bind(quiz_id)
        .fetch_all(self.pool())
        .await?;
        let questions = stats
            .into_iter()
            .map(|(id, position, draft, answered, success)| {
                Ok(QuestionStat {
                    question_id: id,
                    position,
                    text: parse_draft(&draft)?.text,
                    answered,
                    success_percent: success.map(round2),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(QuizResults {
            quiz: row.summary(),
            students,
            questions,
        })
    }

    /// A student of the quiz's course (or one who took it): e-mail and display name.
    /// Anyone else is refused, naming the reason.
    async fn quiz_participant(&self, quiz: &QuizRow, student_id: i64) -> Result<(String, String)> {
        let who: Option<(String, String, String, bool)> = sqlx::query_as(
            "SELECT u.email, u.first_name, u.last_name, \
               EXISTS (SELECT 1 FROM assignments a WHERE a.course_id = ?2 AND a.student_id = u.id) \
               OR EXISTS (SELECT 1 FROM assignments a JOIN class_members m ON m.class_id = a.class_id \
                          WHERE a.course_id = ?2 AND m.student_id = u.id) \
               OR EXISTS (SELECT 1 FROM quiz_attempts t WHERE t.quiz_id = ?3 AND t.student_id = u.id) \
             FROM users u WHERE u.id = ?1 AND u.role = 'student'",
        )
        .bind(student_id)
        .bind(quiz.course_id)
        .bind(quiz.id)
        .fetch_optional(self.pool())
        .await?;
        match who {
            None => Err(Error::Unknown {
                what: Key::EntStudent,
                reference: student_id.to_string(),
            }),
            Some((.., false)) => Err(Error::Invalid(Key::QzErrNotParticipant)),
            Some((email, first, last, true)) => {
                let name = display_name(&first, &last, &email);
                Ok((email, name))
            }
        }
    }

    /// One student's attempts at a quiz with every answer (given, expected, points) and
    /// what they were granted (trainer). An attempt in progress is listed without its
    /// answers.
    pub async fn quiz_student_attempts(
        &self,
        actor: &Actor,
        quiz_id: i64,
        student_id: i64,
    ) -> Result<StudentAttempts> {
        require_trainer(actor)?;
        self.finalize_expired(Some(quiz_id), Some(student_id))
            .await?;
        let row = self.quiz_row(quiz_id).await?;
        let (email, name) = self.quiz_participant(&row, student_id).await?;
        let sql = format!(
            "{SELECT_ATTEMPT} WHERE quiz_id = ?1 AND student_id = ?2 ORDER BY started_at, id"
        );
        let rows: Vec<AttemptRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(quiz_id)
            .bind(student_id)
            .fetch_all(self.pool())
            .await?;
        let mut attempts = Vec::with_capacity(rows.len());
        for a in rows {
            let answers = if a.submitted_at.is_some() {
                // The trainer always sees the corrections, whatever the students see.
                self.attempt_result(&a, true).await?.corrections
            } else {
                Vec::new()
            };
            attempts.push(AttemptReview {
                attempt_id: a.id,
                started_at: a.started_at,
                submitted_at: a.submitted_at,
                deadline: a.deadline,
                timed_out: a.timed_out,
                score: a.score,
                max_score: a.max_score,
                percent: a.percent,
                passed: a.passed,
                answers,
            });
        }
        let grants: Vec<(i64, i64, DateTime<Utc>, Option<String>)> = sqlx::query_as(
            "SELECT g.extra_attempts, g.extra_minutes, g.granted_at, u.email FROM quiz_grants g \
             LEFT JOIN users u ON u.id = g.granted_by WHERE g.quiz_id = ?1 AND g.student_id = ?2 \
             ORDER BY g.granted_at, g.id",
        )
        .bind(quiz_id)
        .bind(student_id)
        .fetch_all(self.pool())
        .await?;
        let (extra_attempts, extra_minutes) = self.allowance(quiz_id, student_id).await?;
        Ok(StudentAttempts {
            quiz: row.summary(),
            student_id,
            email,
            name,
            extra_attempts,
            extra_minutes,
            grants: grants
                .into_iter()
                .map(|(a, m, at, by)| QuizGrant {
                    extra_attempts: a.max(0) as u32,
                    extra_minutes: m.max(0) as u32,
                    granted_at: at,
                    granted_by: by,
                })
                .collect(),
            attempts,
        })
    }

    /// Gives one student extra attempts and/or extra minutes on a quiz (trainer). Recorded
    /// as a grant row and in the student's activity; the minutes also push back the
    /// deadline of an attempt in progress (still capped by the quiz's closing).
    pub async fn quiz_grant(
        &self,
        actor: &Actor,
        quiz_id: i64,
        student_id: i64,
        extra_attempts: u32,
        extra_minutes: u32,
    ) -> Result<StudentAttempts> {
        require_trainer(actor)?;
        let row = self.quiz_row(quiz_id).await?;
        self.quiz_participant(&row, student_id).await?;
        check::check_grant(&row.settings(), extra_attempts, extra_minutes)?;
        // An attempt whose time is up is graded first: the extra time is for what comes.
        self.finalize_expired(Some(quiz_id), Some(student_id))
            .await?;
        sqlx::query(
            "INSERT INTO quiz_grants (quiz_id, student_id, extra_attempts, extra_minutes, granted_by, granted_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(quiz_id)
        .bind(student_id)
        .bind(i64::from(extra_attempts))
        .bind(i64::from(extra_minutes))
        .bind(actor.user_id)
        .bind(now())
        .execute(self.pool())
        .await?;
        if extra_minutes > 0 {
            let s = with_allowance(&row.settings(), self.allowance(quiz_id, student_id).await?);
            let open: Option<(i64, DateTime<Utc>)> = sqlx::query_as(
                "SELECT id, started_at FROM quiz_attempts WHERE quiz_id = ?1 AND student_id = ?2 \
                 AND submitted_at IS NULL",
            )
            .bind(quiz_id)
            .bind(student_id)
            .fetch_optional(self.pool())
            .await?;
            if let Some((id, started)) = open {
                sqlx::query(
                    "UPDATE quiz_attempts SET deadline = ?1 WHERE id = ?2 AND submitted_at IS NULL",
                )
                .bind(deadline_for(&s, started))
                .bind(id)
                .execute(self.pool())
                .await?;
            }
        }
        self.record_activity(super::activity::NewActivity {
            user_id: student_id,
            kind: "quiz_grant",
            course_id: Some(row.course_id),
            detail: &format!(
                "quiz {quiz_id}: +{extra_attempts} attempt(s), +{extra_minutes} min (by user {})",
                actor.user_id
            ),
            ..Default::default()
        })
        .await?;
        self.bus().publish(crate::events::Event::ProgressChanged {
            student_id,
            course_id: row.course_id,
        });
        self.quiz_student_attempts(actor, quiz_id, student_id).await
    }

    /// Positioning vs final per student of a course (best scores), trainer.
    pub async fn quiz_progression(
        &self,
        actor: &Actor,
        course_id: i64,
    ) -> Result<Vec<ProgressionRow>> {
        require_trainer(actor)?;
        self.course_row(course_id).await?;
        self.finalize_expired(None, None).await?;
        let mut rows: Vec<ProgressionTuple> = sqlx::query_as(
            "WITH people AS ( \
               SELECT a.student_id FROM assignments a WHERE a.course_id = ?1 AND a.student_id IS NOT NULL \
               UNION SELECT m.student_id FROM assignments a JOIN class_members m ON m.class_id = a.class_id \
                 WHERE a.course_id = ?1), \
             best AS (SELECT t.student_id, q.kind, max(t.percent) AS pct FROM quiz_attempts t \
               JOIN quizzes q ON q.id = t.quiz_id WHERE q.course_id = ?1 AND t.submitted_at IS NOT NULL \
               GROUP BY t.student_id, q.kind) \
             SELECT u.id, u.email, u.first_name, u.last_name, \
               (SELECT pct FROM best b WHERE b.student_id = u.id AND b.kind = 'positioning'), \
               (SELECT pct FROM best b WHERE b.student_id = u.id AND b.kind = 'final') \
             FROM people p JOIN users u ON u.id = p.student_id \
             ORDER BY u.last_name COLLATE NOCASE, u.first_name COLLATE NOCASE, u.email",
        )
        .bind(course_id)
        .fetch_all(self.pool())
        .await?;
        crate::present::sort_by_texts(&mut rows, |r| [r.3.as_str(), r.2.as_str(), r.1.as_str()]);
        Ok(rows
            .into_iter()
            .map(|(id, email, first, last, pos, fin)| ProgressionRow {
                student_id: id,
                name: display_name(&first, &last, &email),
                email,
                positioning_percent: pos,
                final_percent: fin,
            })
            .collect())
    }

    // ----- student -----

    /// The published quizzes of the student's courses, with where they stand.
    pub async fn my_quizzes(&self, actor: &Actor) -> Result<Vec<MyQuiz>> {
        require_student(actor)?;
        self.finalize_expired(None, Some(actor.user_id)).await?;
        let courses = self.student_course_ids(actor).await?;
        if courses.is_empty() {
            return Ok(Vec::new());
        }
        // Quizzes of a course past its end day cannot be started (see `CourseAccess`).
        let ended: Vec<i64> = self
            .my_courses(actor)
            .await?
            .into_iter()
            .filter(|c| c.access == super::enrolment::CourseAccess::Ended)
            .map(|c| c.id)
            .collect();
        let list = courses
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "{SELECT_QUIZ} WHERE q.published = 1 AND q.course_id IN ({list}) \
             ORDER BY c.title COLLATE NOCASE, CASE q.kind WHEN 'positioning' THEN 0 WHEN 'check' THEN 1 ELSE 2 END, \
             q.title COLLATE NOCASE, q.id"
        );
        let rows: Vec<QuizRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await?;
        let t = now();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (used, best, last, passed, open): (i64, Option<f64>, Option<f64>, bool, bool) =
                sqlx::query_as(
                    "SELECT (SELECT count(*) FROM quiz_attempts WHERE quiz_id = ?1 AND student_id = ?2 AND submitted_at IS NOT NULL), \
                       (SELECT max(percent) FROM quiz_attempts WHERE quiz_id = ?1 AND student_id = ?2 AND submitted_at IS NOT NULL), \
                       (SELECT percent FROM quiz_attempts WHERE quiz_id = ?1 AND student_id = ?2 AND submitted_at IS NOT NULL \
                          ORDER BY submitted_at DESC, id DESC LIMIT 1), \
                       EXISTS (SELECT 1 FROM quiz_attempts WHERE quiz_id = ?1 AND student_id = ?2 AND passed = 1), \
                       EXISTS (SELECT 1 FROM quiz_attempts WHERE quiz_id = ?1 AND student_id = ?2 AND submitted_at IS NULL)",
                )
                .bind(r.id)
                .bind(actor.user_id)
                .fetch_one(self.pool())
                .await?;
            let (extra_attempts, extra_minutes) = self.allowance(r.id, actor.user_id).await?;
            let s = with_allowance(&r.settings(), (extra_attempts, extra_minutes));
            let best_attempt: Option<(f64, f64)> = sqlx::query_as(
                "SELECT score, max_score FROM quiz_attempts WHERE quiz_id = ?1 AND student_id = ?2 \
                 AND submitted_at IS NOT NULL AND score IS NOT NULL AND max_score IS NOT NULL \
                 ORDER BY percent DESC, submitted_at, id LIMIT 1",
            )
            .bind(r.id)
            .bind(actor.user_id)
            .fetch_optional(self.pool())
            .await?;
            let availability = if open {
                QuizAvailability::InProgress
            } else if s.opens_at.is_some_and(|o| t < o) {
                QuizAvailability::NotYetOpen
            } else if s.closes_at.is_some_and(|c| t >= c) || ended.contains(&r.course_id) {
                QuizAvailability::Closed
            } else if s.max_attempts.is_some_and(|m| used >= i64::from(m)) {
                QuizAvailability::NoAttemptsLeft
            } else {
                QuizAvailability::Open
            };
            out.push(MyQuiz {
                id: r.id,
                course_id: r.course_id,
                course_title: r.course_title.clone(),
                title: s.title,
                kind: s.kind,
                question_count: r.question_count,
                pass_percent: s.pass_percent,
                time_limit_minutes: s.time_limit_minutes,
                max_attempts: s.max_attempts,
                extra_attempts,
                extra_minutes,
                attempts_used: used,
                opens_at: s.opens_at,
                closes_at: s.closes_at,
                availability,
                status: QuizStatus::of(availability, used, passed),
                best_percent: best,
                best_score: best_attempt.map(|b| b.0),
                best_max_score: best_attempt.map(|b| b.1),
                last_percent: last,
                passed,
            });
        }
        // Course by the collation, then the order of kinds, then title.
        out.sort_by_cached_key(|q| {
            (
                crate::present::sort_key(&q.course_title),
                q.kind as u8,
                crate::present::sort_key(&q.title),
            )
        });
        Ok(out)
    }

    async fn attempt_view(
        &self,
        a: &AttemptRow,
        title: String,
        kind: QuizKind,
    ) -> Result<AttemptView> {
        let questions = self
            .quiz_questions(a.quiz_id)
            .await?
            .iter()
            .map(Question::for_student)
            .collect();
        let saved: Vec<(i64, String)> = sqlx::query_as(
            "SELECT question_id, answer FROM quiz_answers WHERE attempt_id = ?1 AND answer IS NOT NULL",
        )
        .bind(a.id)
        .fetch_all(self.pool())
        .await?;
        Ok(AttemptView {
            attempt_id: a.id,
            quiz_id: a.quiz_id,
            title,
            kind,
            started_at: a.started_at,
            deadline: a.deadline,
            questions,
            answers: saved
                .into_iter()
                .filter_map(|(q, s)| serde_json::from_str(&s).ok().map(|a| (q, a)))
                .collect(),
        })
    }

    /// Starts an attempt, or resumes the one in progress. Refused when the quiz is not
    /// open yet, closed, has no question, or every allowed attempt is used; a quiz of a
    /// course not assigned to the student is "not found".
    pub async fn attempt_start(&self, actor: &Actor, quiz_id: i64) -> Result<AttemptView> {
        let q = self.visible_quiz(actor, quiz_id).await?;
        self.finalize_expired(Some(quiz_id), Some(actor.user_id))
            .await?;
        let s = with_allowance(&q.settings(), self.allowance(quiz_id, actor.user_id).await?);
        let open_sql = format!(
            "{SELECT_ATTEMPT} WHERE quiz_id = ?1 AND student_id = ?2 AND submitted_at IS NULL"
        );
        let open: Option<AttemptRow> = sqlx::query_as(sqlx::AssertSqlSafe(open_sql.clone()))
            .bind(quiz_id)
            .bind(actor.user_id)
            .fetch_optional(self.pool())
            .await?;
        if let Some(a) = open {
            return self.attempt_view(&a, s.title, s.kind).await;
        }
        // A new attempt only while the course is within its dates (an attempt already
        // under way was resumed above).
        self.require_active(actor, q.course_id, Key::ErrCourseEndedQuiz)
            .await?;
        let t = now();
        if s.opens_at.is_some_and(|o| t < o) {
            return Err(Error::Invalid(Key::QzErrNotOpen));
        }
        if s.closes_at.is_some_and(|c| t >= c) {
            return Err(Error::Invalid(Key::QzErrClosed));
        }
        if q.question_count == 0 {
            return Err(Error::Invalid(Key::QzErrNoQuestions));
        }
        let mut tx = self.pool().begin().await?;
        let used: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM quiz_attempts WHERE quiz_id = ?1 AND student_id = ?2",
        )
        .bind(quiz_id)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        if s.max_attempts.is_some_and(|m| used >= i64::from(m)) {
            return Err(Error::Invalid(Key::QzErrNoAttemptsLeft));
        }
        let inserted = sqlx::query(
            "INSERT INTO quiz_attempts (quiz_id, student_id, started_at, deadline) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(quiz_id)
        .bind(actor.user_id)
        .bind(t)
        .bind(deadline_for(&s, t))
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => tx.commit().await?,
            // Another session started it at the same moment: resume that one.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => drop(tx),
            Err(e) => return Err(e.into()),
        }
        self.record_activity(super::activity::NewActivity {
            user_id: actor.user_id,
            kind: "quiz_started",
            course_id: Some(q.course_id),
            detail: &format!("quiz {quiz_id}"),
            ..Default::default()
        })
        .await?;
        let a: AttemptRow = sqlx::query_as(sqlx::AssertSqlSafe(open_sql))
            .bind(quiz_id)
            .bind(actor.user_id)
            .fetch_one(self.pool())
            .await?;
        self.attempt_view(&a, s.title, s.kind).await
    }

    /// Saves (or with `None` clears) the answer to one question, at once. Refused once
    /// submitted and after the deadline (then the attempt is graded as timed out).
    pub async fn attempt_answer(
        &self,
        actor: &Actor,
        attempt_id: i64,
        question_id: i64,
        answer: Option<Answer>,
    ) -> Result<()> {
        let a = self.own_attempt(actor, attempt_id).await?;
        if a.submitted_at.is_some() {
            return Err(Error::Invalid(Key::QzErrSubmitted));
        }
        let t = now();
        if let Some(d) = a.deadline
            && t >= d
        {
            self.grade(a.id, d, true).await?;
            return Err(Error::Invalid(Key::QzErrTimeUp));
        }
        self.visible_quiz(actor, a.quiz_id).await?;
        let draft: String =
            sqlx::query_scalar("SELECT draft FROM quiz_questions WHERE id = ?1 AND quiz_id = ?2")
                .bind(question_id)
                .bind(a.quiz_id)
                .fetch_optional(self.pool())
                .await?
                .ok_or(Error::Invalid(Key::QzErrNotInQuiz))?;
        let draft = parse_draft(&draft)?;
        match answer {
            None => {
                sqlx::query("DELETE FROM quiz_answers WHERE attempt_id = ?1 AND question_id = ?2")
                    .bind(attempt_id)
                    .bind(question_id)
                    .execute(self.pool())
                    .await?;
            }
            Some(given) => {
                let given = clean_answer(&draft, &given)?;
                // Written only while the attempt is still in progress (a concurrent submit
                // or time-out wins).
                sqlx::query(
                    "INSERT INTO quiz_answers (attempt_id, question_id, answer, answered_at) \
                     SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM quiz_attempts \
                       WHERE id = ?1 AND submitted_at IS NULL) \
                     ON CONFLICT (attempt_id, question_id) DO UPDATE SET answer = excluded.answer, \
                       answered_at = excluded.answered_at",
                )
                .bind(attempt_id)
                .bind(question_id)
                .bind(to_json(&given)?)
                .bind(t)
                .execute(self.pool())
                .await?;
            }
        }
        Ok(())
    }

    /// Submits and grades an attempt. After the deadline it is graded as timed out with
    /// the answers saved before it.
    pub async fn attempt_submit(&self, actor: &Actor, attempt_id: i64) -> Result<AttemptResult> {
        let a = self.own_attempt(actor, attempt_id).await?;
        let q = self.quiz_row(a.quiz_id).await?;
        match a.submitted_at {
            Some(_) if a.timed_out => {}
            Some(_) => return Err(Error::Invalid(Key::QzErrSubmitted)),
            None => {
                let t = now();
                match a.deadline {
                    Some(d) if t >= d => self.grade(a.id, d, true).await?,
                    _ => self.grade(a.id, t, false).await?,
                }
            }
        }
        let a = self.attempt_row(attempt_id).await?;
        self.attempt_result(&a, q.show_corrections).await
    }

    /// The student's own submitted attempts (all quizzes, or one), oldest first.
    pub async fn my_quiz_results(
        &self,
        actor: &Actor,
        quiz_id: Option<i64>,
    ) -> Result<Vec<AttemptResult>> {
        require_student(actor)?;
        self.finalize_expired(quiz_id, Some(actor.user_id)).await?;
        let sql = format!(
            "{SELECT_ATTEMPT} WHERE student_id = ?1 AND submitted_at IS NOT NULL \
             AND (?2 IS NULL OR quiz_id = ?2) ORDER BY submitted_at, id"
        );
        let rows: Vec<AttemptRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(actor.user_id)
            .bind(quiz_id)
            .fetch_all(self.pool())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for a in rows {
            let show: bool =
                sqlx::query_scalar("SELECT show_corrections FROM quizzes WHERE id = ?1")
                    .bind(a.quiz_id)
                    .fetch_one(self.pool())
                    .await?;
            out.push(self.attempt_result(&a, show).await?);
        }
        Ok(out)
    }
}

/// Student id, e-mail, first and last name, best positioning and final percentages.
type ProgressionTuple = (i64, String, String, String, Option<f64>, Option<f64>);

fn display_name(first: &str, last: &str, email: &str) -> String {
    let name = format!("{} {}", first.trim(), last.trim());
    let name = name.trim();
    if name.is_empty() {
        email.to_string()
    } else {
        name.to_string()
    }
}
