//! `lesson …`: add a lesson (trainer); mark one done (student).

use clap::Subcommand;
use portail::i18n::Key;
use portail::{Error, sanitize};

use super::common::{Ctx, Family, Out, Stdin, line_out};

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
}
