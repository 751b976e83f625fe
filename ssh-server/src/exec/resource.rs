//! `resource …`: links and files of a course (trainer).

use clap::Subcommand;
use portail::i18n::Key;
use portail::sanitize;
use portail::services::files::{MAX_RESOURCE_BYTES, UploadPurpose};

use super::common::{Ctx, Family, Out, Stdin, line_out};

pub const FAMILY: Family = Family::trainer("resource", Key::XhResource, Key::ExecHelpResource);

#[derive(Debug, Subcommand)]
pub enum ResourceCmd {
    #[command(about = Key::XhResourceAdd.name())]
    Add {
        course: String,
        #[arg(long, help = Key::XaResourceTitle.name())]
        title: String,
        #[arg(long, help = Key::XaUrl.name())]
        url: String,
    },
    #[command(about = Key::XhResourceUpload.name())]
    Upload {
        course: String,
        #[arg(long, help = Key::XaResourceTitle.name())]
        title: String,
        #[arg(long)]
        lesson: Option<String>,
        #[arg(long, help = Key::XaFileName.name())]
        name: Option<String>,
    },
    #[command(about = Key::XhResourceUploadLink.name())]
    UploadLink {
        course: String,
        #[arg(long, help = Key::XaResourceTitle.name())]
        title: String,
        #[arg(long)]
        lesson: Option<String>,
    },
}

impl Ctx<'_> {
    pub async fn resource(&self, cmd: ResourceCmd, stdin: &mut impl Stdin) -> Out {
        let p = self.portail;
        match cmd {
            ResourceCmd::Add { course, title, url } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let r = p
                    .resource_add_link(self.actor, id, None, &title, &url)
                    .await?;
                line_out(self.tf(
                    Key::OutResourceAdded,
                    &[
                        &sanitize::line(&r.title),
                        &sanitize::line(r.url.as_deref().unwrap_or("")),
                    ],
                ))
            }
            ResourceCmd::UploadLink {
                course,
                title,
                lesson,
            } => {
                let (id, lesson) = self.course_lesson(&course, lesson).await?;
                self.upload_link(UploadPurpose::Resource {
                    course: id,
                    lesson,
                    title,
                })
                .await
            }
            ResourceCmd::Upload {
                course,
                title,
                lesson,
                name,
            } => {
                let (id, lesson_id) = self.course_lesson(&course, lesson).await?;
                let bytes = self
                    .read_bytes(stdin, MAX_RESOURCE_BYTES, Key::FileTooLarge)
                    .await?;
                let name = name.unwrap_or_else(|| title.clone());
                let r = p
                    .resource_upload(self.actor, id, lesson_id, &title, &name, &bytes)
                    .await?;
                line_out(self.tf(
                    Key::OutResourceUploaded,
                    &[&sanitize::line(&r.title), &bytes.len().to_string()],
                ))
            }
        }
    }
}
