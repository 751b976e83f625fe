//! `lesson …`: add a lesson (trainer); mark one done (student).

use clap::{ArgGroup, Subcommand};
use portail::i18n::Key;
use portail::{Error, sanitize};

use super::common::{Ctx, Fail, Family, Out, Stdin, line_out};

/// Most bytes of a lesson read from stdin.
pub const MAX_LESSON_STDIN: usize = 256 * 1024;

pub const FAMILY: Family = Family::both(
    "lesson",
    Key::XhLesson,
    Key::ExecHelpLesson,
    Key::ExecHelpLessonDone,
);

#[derive(Debug, Subcommand)]
pub enum LessonCmd {
    #[command(about = Key::XhLessonAdd.name())]
    Add {
        course: String,
        #[arg(long, help = Key::XaLessonTitle.name())]
        title: String,
    },
    #[command(group(ArgGroup::new("change").required(true).multiple(true).args(["title", "stdin"])))]
    #[command(about = Key::XhLessonEdit.name())]
    Edit {
        course: String,
        lesson: String,
        #[arg(long, help = Key::XaLessonTitle.name())]
        title: Option<String>,
        #[arg(long, help = Key::XaLessonStdin.name())]
        stdin: bool,
    },
    #[command(about = Key::XhLessonMv.name())]
    Mv {
        course: String,
        lesson: String,
        #[arg(long, help = Key::XaLessonTo.name(), value_parser = clap::value_parser!(i64).range(1..))]
        to: i64,
    },
    #[command(about = Key::XhLessonRm.name())]
    Rm {
        course: String,
        lesson: String,
        #[arg(long, help = Key::XaYesDelete.name())]
        yes: bool,
    },
    #[command(about = Key::XhLessonDone.name())]
    Done {
        course: String,
        lesson: String,
        #[arg(long, help = Key::XaUndo.name())]
        undo: bool,
    },
}

impl Ctx<'_> {
    pub async fn lesson(&self, cmd: LessonCmd, stdin: &mut impl Stdin) -> Out {
        let (p, a) = (self.portail, self.actor);
        match cmd {
            LessonCmd::Add { course, title } => {
                let id = p.course_resolve(a, &course).await?;
                let body = self
                    .read_text(stdin, MAX_LESSON_STDIN, Key::ExecStdinTooLarge)
                    .await?;
                let l = p.lesson_add(a, id, &title, &body).await?;
                line_out(self.tf(
                    Key::OutLessonAdded,
                    &[&l.position.to_string(), &sanitize::line(&l.title)],
                ))
            }
            LessonCmd::Edit {
                course,
                lesson,
                title,
                stdin: from_stdin,
            } => {
                let (_, lesson_id) = self.trainer_lesson(&course, &lesson).await?;
                let current = self.lesson_row(&course, lesson_id).await?;
                let body = if from_stdin {
                    self.read_text(stdin, MAX_LESSON_STDIN, Key::ExecStdinTooLarge)
                        .await?
                } else {
                    current.body
                };
                let title = title.unwrap_or(current.title);
                let l = p.lesson_update(a, lesson_id, &title, &body).await?;
                line_out(self.tf(
                    Key::OutLessonUpdated,
                    &[&l.position.to_string(), &sanitize::line(&l.title)],
                ))
            }
            LessonCmd::Mv { course, lesson, to } => {
                let (_, lesson_id) = self.trainer_lesson(&course, &lesson).await?;
                p.lesson_move(a, lesson_id, to).await?;
                let l = self.lesson_row(&course, lesson_id).await?;
                line_out(self.tf(
                    Key::OutLessonMoved,
                    &[&sanitize::line(&l.title), &l.position.to_string()],
                ))
            }
            LessonCmd::Rm {
                course,
                lesson,
                yes,
            } => {
                let (_, lesson_id) = self.trainer_lesson(&course, &lesson).await?;
                let l = self.lesson_row(&course, lesson_id).await?;
                let i = p.lesson_deletion_impact(a, lesson_id).await?;
                let title = sanitize::line(&l.title).into_owned();
                let counts = [i.resources.to_string(), i.completions.to_string()];
                let args = [title.as_str(), &counts[0], &counts[1]];
                if !yes {
                    return Err(Fail::Message(self.tf(Key::OutLessonDeleteConfirm, &args)));
                }
                p.lesson_delete(a, lesson_id).await?;
                line_out(self.tf(Key::OutLessonDeleted, &args))
            }
            LessonCmd::Done {
                course,
                lesson,
                undo,
            } => {
                let id = p.my_course_resolve(a, &course).await?;
                let lesson_id = p.lesson_resolve(id, &lesson).await?;
                let pct = p.lesson_set_done(a, lesson_id, !undo).await?;
                let detail = p.my_course(a, id).await?;
                let l = detail
                    .detail
                    .lessons
                    .iter()
                    .find(|l| l.id == lesson_id)
                    .ok_or(Error::NotFound)?;
                let key = if undo {
                    Key::OutLessonUndone
                } else {
                    Key::OutLessonDone
                };
                line_out(self.tf(
                    key,
                    &[
                        &l.position.to_string(),
                        &sanitize::line(&l.title),
                        &pct.to_string(),
                    ],
                ))
            }
        }
    }

    /// A trainer's course (id or title) and one of its lessons (position or title).
    async fn trainer_lesson(&self, course: &str, lesson: &str) -> Result<(i64, i64), Fail> {
        let (id, l) = self.course_lesson(course, Some(lesson.to_string())).await?;
        Ok((id, l.ok_or(Error::NotFound)?))
    }

    /// The lesson as stored now (title, body, position).
    async fn lesson_row(
        &self,
        course: &str,
        lesson_id: i64,
    ) -> Result<portail::services::courses::Lesson, Fail> {
        let p = self.portail;
        let id = p.course_resolve(self.actor, course).await?;
        Ok(p.course_get(self.actor, id)
            .await?
            .lessons
            .into_iter()
            .find(|l| l.id == lesson_id)
            .ok_or(Error::NotFound)?)
    }
}
