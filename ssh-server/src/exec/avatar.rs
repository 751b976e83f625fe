//! `avatar …`: one's profile photo.

use clap::Subcommand;
use portail::Error;
use portail::i18n::Key;
use portail::services::files::{MAX_IMAGE_BYTES, UploadPurpose};

use super::common::{Ctx, Fail, Family, Out, Stdin};

pub const FAMILY: Family = Family::all("avatar", Key::XhAvatar, Key::ExecHelpAvatar);

#[derive(Debug, Subcommand)]
pub enum AvatarCmd {
    #[command(about = Key::XhAvatarSet.name())]
    Set,
    #[command(about = Key::XhAvatarLink.name())]
    Link,
}

impl Ctx<'_> {
    /// `avatar set < photo.jpg` and `avatar link`.
    pub async fn avatar(&self, cmd: AvatarCmd, stdin: &mut impl Stdin) -> Out {
        match cmd {
            AvatarCmd::Link => self.upload_link(UploadPurpose::Avatar).await,
            AvatarCmd::Set => {
                if self.actor.must_change_password {
                    return Err(Fail::Core(Error::PasswordChangeRequired));
                }
                let bytes = self
                    .read_bytes(stdin, MAX_IMAGE_BYTES, Key::FileTooLarge)
                    .await?;
                let name = self.portail.set_avatar(self.actor, bytes).await?;
                self.image_set(Key::OutAvatarSet, &name)
            }
        }
    }
}
