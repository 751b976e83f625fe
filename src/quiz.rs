//! Quizzes and exams: the data model shared by authoring (trainer), taking (student),
//! import/export (JSON and Moodle's GIFT) and results.
//!
//! The types that reach a student's session before they submit ([`StudentQuestion`],
//! [`AttemptView`]) carry no correct answer, no credit and no feedback: that is enforced
//! by the types themselves, not by remembering to blank fields.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// When a quiz is meant to be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum QuizKind {
    /// Positioning test, before the course.
    Positioning,
    /// Knowledge check, during the course.
    #[default]
    Check,
    /// Final assessment, at the end.
    Final,
}

/// The kinds of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Exactly one choice may be selected.
    Single,
    /// Any number of choices may be selected; credit is partial (see [`Choice::credit`]).
    Multiple,
    /// Vrai / Faux.
    TrueFalse,
    /// Typed answer compared after normalisation (case, accents, surrounding and repeated
    /// spaces) with each accepted answer.
    Short,
}

/// One choice of a single- or multiple-choice question, as the trainer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    /// Share of the question's points given for selecting this choice, in percent,
    /// -100..=100. Single choice: the right answer has 100 (others 0, or partial).
    /// Multiple choice: the question's score is the sum of the credits of the selected
    /// choices, clamped to 0..=100 % — so ticking a wrong choice with a negative credit
    /// costs points and ticking everything never earns more than the right set.
    pub credit: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

/// A question as authored (trainer side, import/export).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionDraft {
    pub kind: QuestionKind,
    /// Optional short title (GIFT `::title::`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub text: String,
    /// Points for a fully right answer (> 0).
    #[serde(default = "default_points")]
    pub points: f64,
    /// Single and multiple choice only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// True/false only: the right answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<bool>,
    /// Short answer only: every accepted answer (at least one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<String>,
    /// General feedback shown after submitting when the quiz shows corrections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

fn default_points() -> f64 {
    1.0
}

/// A quiz's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizSettings {
    pub title: String,
    #[serde(default)]
    pub kind: QuizKind,
    /// Optional lesson of the course the quiz belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson_id: Option<i64>,
    /// Score needed to pass, in percent (0..=100).
    #[serde(default = "default_pass")]
    pub pass_percent: u8,
    /// Attempts allowed per student; `None` = unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    /// Time limit per attempt, in minutes; `None` = untimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_minutes: Option<u32>,
    /// Show the right answers and feedback after submitting.
    #[serde(default = "default_true")]
    pub show_corrections: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<DateTime<Utc>>,
    /// Students only see published quizzes.
    #[serde(default)]
    pub published: bool,
}

fn default_pass() -> u8 {
    50
}
fn default_true() -> bool {
    true
}

impl Default for QuizSettings {
    fn default() -> Self {
        Self {
            title: String::new(),
            kind: QuizKind::default(),
            lesson_id: None,
            pass_percent: default_pass(),
            max_attempts: None,
            time_limit_minutes: None,
            show_corrections: true,
            opens_at: None,
            closes_at: None,
            published: false,
        }
    }
}

/// A whole quiz as a document: what `quiz import --format json` reads and
/// `quiz export` writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizDoc {
    #[serde(flatten)]
    pub settings: QuizSettings,
    pub questions: Vec<QuestionDraft>,
}

/// A quiz in the trainer's lists.
#[derive(Debug, Clone, Serialize)]
pub struct QuizSummary {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    #[serde(flatten)]
    pub settings: QuizSettings,
    pub question_count: i64,
    pub total_points: f64,
    /// Submitted attempts, all students.
    pub attempt_count: i64,
}

/// A stored question (trainer side): the draft plus its id and position.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: i64,
    pub position: i64,
    #[serde(flatten)]
    pub draft: QuestionDraft,
}

/// A quiz with its questions, trainer side (contains the answers).
#[derive(Debug, Clone, Serialize)]
pub struct QuizDetail {
    #[serde(flatten)]
    pub summary: QuizSummary,
    pub questions: Vec<Question>,
}

/// A choice as a student sees it before submitting: no credit, no feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StudentChoice {
    /// Index of the choice in the question (stable for the attempt).
    pub index: usize,
    pub text: String,
}

/// A question as a student sees it before submitting: no answer, no feedback.
#[derive(Debug, Clone, Serialize)]
pub struct StudentQuestion {
    pub id: i64,
    pub position: i64,
    pub kind: QuestionKind,
    pub title: Option<String>,
    pub text: String,
    pub points: f64,
    /// Single / multiple choice only.
    pub choices: Vec<StudentChoice>,
}

/// A student's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// Indexes of the selected choices (single choice: at most one).
    Choices(Vec<usize>),
    Bool(bool),
    Text(String),
}

/// Where a student stands with a quiz (their list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizAvailability {
    NotYetOpen,
    Open,
    /// An attempt is in progress (resume it).
    InProgress,
    Closed,
    /// Every allowed attempt has been used.
    NoAttemptsLeft,
}

/// What a student's list says of a quiz: where it stands before any attempt, then
/// the outcome of the attempts (passed / failed, with the best score).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizStatus {
    NotYetOpen,
    Open,
    InProgress,
    Closed,
    NoAttemptsLeft,
    /// At least one attempt reached the pass mark.
    Passed,
    /// Attempts handed in, none reached the pass mark.
    Failed,
}

impl QuizStatus {
    /// An attempt in progress first; then, once an attempt is handed in, its outcome;
    /// before that, whether it can be taken.
    pub fn of(availability: QuizAvailability, attempts_used: i64, passed: bool) -> QuizStatus {
        match availability {
            QuizAvailability::InProgress => QuizStatus::InProgress,
            _ if attempts_used > 0 && passed => QuizStatus::Passed,
            _ if attempts_used > 0 => QuizStatus::Failed,
            QuizAvailability::NotYetOpen => QuizStatus::NotYetOpen,
            QuizAvailability::Open => QuizStatus::Open,
            QuizAvailability::Closed => QuizStatus::Closed,
            QuizAvailability::NoAttemptsLeft => QuizStatus::NoAttemptsLeft,
        }
    }
}

/// A quiz in a student's list.
#[derive(Debug, Clone, Serialize)]
pub struct MyQuiz {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub title: String,
    pub kind: QuizKind,
    pub question_count: i64,
    pub pass_percent: u8,
    /// The student's time limit: the quiz's plus any extra minutes granted to them.
    pub time_limit_minutes: Option<u32>,
    /// The student's attempts allowed: the quiz's plus any extra granted to them.
    pub max_attempts: Option<u32>,
    /// Granted to this student by the trainer (included in the two above).
    pub extra_attempts: u32,
    pub extra_minutes: u32,
    pub attempts_used: i64,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub availability: QuizAvailability,
    /// What the list shows: see [`QuizStatus::of`]; [`crate::present::quiz_status`].
    pub status: QuizStatus,
    pub best_percent: Option<f64>,
    /// Score and maximum of the best attempt (`8` of `10`).
    pub best_score: Option<f64>,
    pub best_max_score: Option<f64>,
    pub last_percent: Option<f64>,
    pub passed: bool,
}

/// An attempt in progress, as the student's session holds it.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptView {
    pub attempt_id: i64,
    pub quiz_id: i64,
    pub title: String,
    pub kind: QuizKind,
    pub started_at: DateTime<Utc>,
    /// Server-side deadline; answers and submissions after it are refused.
    pub deadline: Option<DateTime<Utc>>,
    pub questions: Vec<StudentQuestion>,
    /// Answers saved so far, by question id.
    pub answers: Vec<(i64, Answer)>,
}

/// The correction of one question, shown after submitting when the quiz allows it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionCorrection {
    pub question_id: i64,
    pub earned: f64,
    pub points: f64,
    pub given: Option<Answer>,
    /// `None` when the quiz does not show corrections.
    pub expected: Option<QuestionDraft>,
}

/// The outcome of a submitted attempt.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptResult {
    pub attempt_id: i64,
    pub quiz_id: i64,
    pub submitted_at: DateTime<Utc>,
    /// Submitted by the server because the time limit passed.
    pub timed_out: bool,
    pub score: f64,
    pub max_score: f64,
    pub percent: f64,
    pub passed: bool,
    /// Empty when the quiz does not show corrections.
    pub corrections: Vec<QuestionCorrection>,
}

/// One student's line in a quiz's results (trainer).
#[derive(Debug, Clone, Serialize)]
pub struct StudentQuizResult {
    pub student_id: i64,
    pub email: String,
    pub name: String,
    pub attempts: i64,
    pub best_percent: Option<f64>,
    pub last_percent: Option<f64>,
    pub last_submitted_at: Option<DateTime<Utc>>,
    pub passed: bool,
    /// Extra attempts and minutes granted to this student.
    pub extra_attempts: u32,
    pub extra_minutes: u32,
}

/// Extra attempts and minutes a trainer gave one student on one quiz (recorded).
#[derive(Debug, Clone, Serialize)]
pub struct QuizGrant {
    pub extra_attempts: u32,
    pub extra_minutes: u32,
    pub granted_at: DateTime<Utc>,
    /// The trainer's e-mail (`None` if their account was deleted).
    pub granted_by: Option<String>,
}

/// One attempt of a student, as the trainer reviews it: every question with the answer
/// given, the answer expected and the points earned. An attempt in progress has no
/// answers shown (they are not graded yet).
#[derive(Debug, Clone, Serialize)]
pub struct AttemptReview {
    pub attempt_id: i64,
    pub started_at: DateTime<Utc>,
    /// `None` while in progress.
    pub submitted_at: Option<DateTime<Utc>>,
    pub deadline: Option<DateTime<Utc>>,
    pub timed_out: bool,
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub percent: Option<f64>,
    pub passed: Option<bool>,
    pub answers: Vec<QuestionCorrection>,
}

/// A student's attempts at a quiz with their answers, and what they were granted
/// (trainer).
#[derive(Debug, Clone, Serialize)]
pub struct StudentAttempts {
    pub quiz: QuizSummary,
    pub student_id: i64,
    pub email: String,
    pub name: String,
    /// Totals of `grants`.
    pub extra_attempts: u32,
    pub extra_minutes: u32,
    pub grants: Vec<QuizGrant>,
    /// Oldest first.
    pub attempts: Vec<AttemptReview>,
}

/// Success rate of one question over the submitted attempts (trainer).
#[derive(Debug, Clone, Serialize)]
pub struct QuestionStat {
    pub question_id: i64,
    pub position: i64,
    pub text: String,
    pub answered: i64,
    /// Mean share of the points earned, in percent.
    pub success_percent: Option<f64>,
}

/// A quiz's results (trainer): every participant, including those with no attempt.
#[derive(Debug, Clone, Serialize)]
pub struct QuizResults {
    pub quiz: QuizSummary,
    pub students: Vec<StudentQuizResult>,
    pub questions: Vec<QuestionStat>,
}

/// Positioning vs final per student, for one course (trainer).
#[derive(Debug, Clone, Serialize)]
pub struct ProgressionRow {
    pub student_id: i64,
    pub email: String,
    pub name: String,
    /// Best score of the positioning quizzes, percent.
    pub positioning_percent: Option<f64>,
    /// Best score of the final quizzes, percent.
    pub final_percent: Option<f64>,
}

pub mod check;
pub mod gift;

pub use check::{normalize_short, question_fraction};

/// Import/export format of a quiz document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum QuizFormat {
    #[default]
    Json,
    /// Moodle's GIFT text format.
    Gift,
}

impl QuizFormat {
    pub fn parse(s: &str) -> Option<QuizFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Some(QuizFormat::Json),
            "gift" => Some(QuizFormat::Gift),
            _ => None,
        }
    }
}

impl QuizKind {
    pub fn code(self) -> &'static str {
        match self {
            QuizKind::Positioning => "positioning",
            QuizKind::Check => "check",
            QuizKind::Final => "final",
        }
    }
    /// Accepts the English codes and the French words trainers type.
    pub fn parse(s: &str) -> Option<QuizKind> {
        match crate::import::fold(s).as_str() {
            "positioning" | "positionnement" => Some(QuizKind::Positioning),
            "check" | "controle" | "verification" => Some(QuizKind::Check),
            "final" | "finale" | "evaluationfinale" => Some(QuizKind::Final),
            _ => None,
        }
    }
}

impl QuestionKind {
    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true_false",
            QuestionKind::Short => "short",
        }
    }
    pub fn parse(s: &str) -> Option<QuestionKind> {
        match s {
            "single" => Some(QuestionKind::Single),
            "multiple" => Some(QuestionKind::Multiple),
            "true_false" => Some(QuestionKind::TrueFalse),
            "short" => Some(QuestionKind::Short),
            _ => None,
        }
    }
}

/// What `quiz import` did (or would do, with `dry_run`).
#[derive(Debug, Clone, Serialize)]
pub struct QuizImportReport {
    /// `None` on a dry run.
    pub quiz_id: Option<i64>,
    pub title: String,
    pub question_count: usize,
    pub total_points: f64,
    /// Things accepted but worth a look (dropped GIFT parts, no penalty on a multiple
    /// choice…), each with its place. Describe with [`crate::import::describe_issue`].
    #[serde(skip)]
    pub warnings: Vec<crate::import::Issue>,
}

impl Question {
    /// The question as a student sees it before submitting: no answer, credit or feedback.
    pub fn for_student(&self) -> StudentQuestion {
        StudentQuestion {
            id: self.id,
            position: self.position,
            kind: self.draft.kind,
            title: self.draft.title.clone(),
            text: self.draft.text.clone(),
            points: self.draft.points,
            choices: self
                .draft
                .choices
                .iter()
                .enumerate()
                .map(|(index, c)| StudentChoice {
                    index,
                    text: c.text.clone(),
                })
                .collect(),
        }
    }
}

/// A student's standing on one quiz of a course, shown in the trainer's progress and
/// participants views.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuizScore {
    pub quiz_id: i64,
    pub title: String,
    pub kind: QuizKind,
    /// Submitted attempts.
    pub attempts: i64,
    pub best_percent: Option<f64>,
    pub passed: bool,
}

impl QuizScore {
    /// `Titre 80 % ✓`, `Titre —` when not taken: for one-line views and CSV cells.
    pub fn brief(&self) -> String {
        let title = crate::sanitize::line(&self.title);
        match self.best_percent {
            Some(p) => format!("{title} {p} %{}", if self.passed { " ✓" } else { "" }),
            None => format!("{title} —"),
        }
    }
}
