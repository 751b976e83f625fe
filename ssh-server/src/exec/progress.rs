//! `courses`, `progress` and `activity`: where learners stand, and the activity log.

use clap::Args;
use portail::i18n::Key;

use super::common::{Ctx, Family, Out, bar, json, opt, or_dash, person, quiz_scores};

pub const COURSES: Family = Family::student("courses", Key::XhCourses, Key::ExecHelpCourses);

pub const PROGRESS: Family = Family::both(
    "progress",
    Key::XhProgress,
    Key::ExecHelpProgressTrainer,
    Key::ExecHelpProgressStudent,
);

pub const ACTIVITY: Family = Family::trainer("activity", Key::XhActivity, Key::ExecHelpActivity);

#[derive(Debug, Args)]
pub struct CoursesArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    #[arg(long, help = Key::XaFilterCourse.name())]
    course: Option<String>,
    #[arg(long, help = Key::XaFilterClass.name())]
    class: Option<String>,
    #[arg(long, help = Key::XaFilterStudent.name())]
    student: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ActivityArgs {
    #[arg(long, help = Key::XaFilterStudent.name())]
    student: Option<String>,
    #[arg(long, help = Key::XaSince.name())]
    since: Option<String>,
    #[arg(long)]
    json: bool,
}

impl Ctx<'_> {
    /// `courses` / student `progress`: the student's courses with progress.
    pub async fn my_courses(&self, args: CoursesArgs) -> Out {
        let mine = self.portail.my_courses(self.actor).await?;
        let today = self.portail.today();
        self.listing(args.json, &mine, Key::OutNone, |c| {
            vec![
                (Key::OutId, c.id.to_string()),
                (Key::FieldTitle, c.title.clone()),
                (Key::OutProgress, bar(c.progress_percent, 10)),
                (Key::FieldStart, or_dash(c.start_date)),
                (Key::FieldEnd, or_dash(c.end_date)),
                (
                    Key::OutContinue,
                    // A course outside its dates says so instead ("à partir du 1er mars").
                    match (
                        c.access.note(self.lang, c.start_date, c.end_date, today),
                        c.next_lesson,
                    ) {
                        (Some(note), _) => note,
                        (None, Some(n)) => self.tf(Key::OutContinueAt, &[&n.to_string()]),
                        (None, None) => self.t(Key::OutAllDone).into(),
                    },
                ),
            ]
        })
    }

    /// `progress`: students see their own; trainers see everyone's, narrowed by filters.
    pub async fn progress(&self, args: ProgressArgs) -> Out {
        if !self.actor.is_trainer() {
            return self.my_courses(CoursesArgs { json: args.json }).await;
        }
        let p = self.portail;
        let course = self.opt_course(args.course).await?;
        let class = self.opt_class(args.class).await?;
        let student = self.opt_student(args.student).await?;
        let rows = p.progress(self.actor, course, class, student).await?;
        self.listing(args.json, &rows, Key::OutNone, |r| {
            vec![
                (
                    Key::FieldName,
                    person(&r.first_name, &r.last_name, &r.email),
                ),
                (Key::FieldEmail, r.email.clone()),
                (Key::OutCourse, r.course_title.clone()),
                (Key::OutProgress, bar(r.progress_percent, 10)),
                (
                    Key::OutLastActivity,
                    or_dash(r.last_activity.map(|d| self.minute(d))),
                ),
                (Key::QzColQuiz, quiz_scores(&r.quiz_scores)),
            ]
        })
    }

    /// `activity`: the activity log (proof of attendance).
    pub async fn activity(&self, args: ActivityArgs) -> Out {
        let p = self.portail;
        let student = self.opt_student(args.student).await?;
        let entries = p
            .activity(self.actor, student, args.since.as_deref(), 10_000)
            .await?;
        if args.json {
            return json(&entries);
        }
        let kind = |k: &str| match k {
            "login" => self.t(Key::ActLogin).to_string(),
            "password_changed" => self.t(Key::ActPasswordChanged).to_string(),
            "lesson_opened" => self.t(Key::ActLessonOpened).to_string(),
            "lesson_completed" => self.t(Key::ActLessonCompleted).to_string(),
            "lesson_reopened" => self.t(Key::ActLessonReopened).to_string(),
            "file_downloaded" => self.t(Key::ActFileDownloaded).to_string(),
            "demo_replayed" => self.t(Key::ActDemoReplayed).to_string(),
            other => other.to_string(),
        };
        let rows: Vec<Vec<String>> = entries
            .iter()
            .map(|e| {
                vec![
                    self.second(e.at),
                    opt(&e.email),
                    kind(&e.kind),
                    opt(&e.course_title),
                    match (&e.lesson_title, e.detail.is_empty()) {
                        (Some(l), _) => l.clone(),
                        (None, false) => e.detail.clone(),
                        (None, true) => "—".into(),
                    },
                    opt(&e.source_ip),
                ]
            })
            .collect();
        Ok(self.none_or(
            &rows,
            &[
                Key::OutWhen,
                Key::FieldEmail,
                Key::OutEvent,
                Key::OutCourse,
                Key::OutLesson,
                Key::OutSource,
            ],
        ))
    }
}
