//! `resource …`: links and files of a course (trainer).

use clap::Subcommand;
use portail::i18n::Key;
use portail::sanitize;
use portail::services::files::{MAX_RESOURCE_BYTES, UploadPurpose};

use super::common::{Ctx, Fail, Family, Out, Stdin, line_out};

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
    #[command(about = Key::XhResourceEdit.name())]
    Edit {
        course: String,
        #[arg(help = Key::XaResourceRef.name())]
        resource: String,
        #[arg(long, help = Key::XaResourceTitle.name())]
        title: Option<String>,
        #[arg(long, help = Key::XaUrl.name())]
        url: Option<String>,
    },
    #[command(about = Key::XhResourceRm.name())]
    Rm {
        course: String,
        #[arg(help = Key::XaResourceRef.name())]
        resource: String,
        #[arg(long, help = Key::XaYesDelete.name())]
        yes: bool,
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
            ResourceCmd::Edit {
                course,
                resource,
                title,
                url,
            } => {
                let (_, r) = self.course_resource(&course, &resource).await?;
                let title = title.unwrap_or(r.title);
                let r = p
                    .resource_update(self.actor, r.id, &title, url.as_deref())
                    .await?;
                line_out(self.tf(Key::OutResourceUpdated, &[&sanitize::line(&r.title)]))
            }
            ResourceCmd::Rm {
                course,
                resource,
                yes,
            } => {
                let (_, r) = self.course_resource(&course, &resource).await?;
                let title = sanitize::line(&r.title).into_owned();
                if !yes {
                    return Err(Fail::Message(
                        self.tf(Key::OutResourceDeleteConfirm, &[&title]),
                    ));
                }
                p.resource_delete(self.actor, r.id).await?;
                line_out(self.tf(Key::OutResourceDeleted, &[&title]))
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

    /// A course (id or title) and one of its resources (place or title).
    async fn course_resource(
        &self,
        course: &str,
        resource: &str,
    ) -> Result<(i64, portail::services::courses::Resource), Fail> {
        let p = self.portail;
        let id = p.course_resolve(self.actor, course).await?;
        let rid = p.resource_resolve(self.actor, id, resource).await?;
        let r = p
            .course_get(self.actor, id)
            .await?
            .resources
            .into_iter()
            .find(|r| r.id == rid)
            .ok_or(portail::Error::NotFound)?;
        Ok((id, r))
    }
}
