//! `whoami`, `passwd` and `account set`: one's own account.

use clap::{Args, Subcommand};
use portail::i18n::Key;
use portail::{Error, sanitize};

use super::common::{Ctx, Family, MAX_STDIN, Out, Stdin, json_line};

pub const WHOAMI: Family = Family::all("whoami", Key::XhWhoami, Key::ExecHelpWhoami);

pub const PASSWD: Family = Family::all("passwd", Key::XhPasswd, Key::ExecHelpPasswd);

pub const ACCOUNT: Family = Family::both(
    "account",
    Key::XhAccount,
    Key::ExecHelpAccountTrainer,
    Key::ExecHelpAccountStudent,
);

#[derive(Debug, Subcommand)]
pub enum AccountCmd {
    /// Changes what is given, keeps the rest.
    #[command(about = Key::XhAccountSet.name())]
    Set {
        #[arg(long, help = Key::XaFirstName.name())]
        first_name: Option<String>,
        #[arg(long, help = Key::XaLastName.name())]
        last_name: Option<String>,
        #[arg(long, help = Key::XaMyEmail.name())]
        email: Option<String>,
        #[arg(long, help = Key::XaPhone.name())]
        phone: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct WhoamiArgs {
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct PasswdArgs {
    #[arg(long, required = true, help = Key::XaPasswdStdin.name())]
    stdin: bool,
}

impl Ctx<'_> {
    pub async fn whoami(&self, args: WhoamiArgs) -> Out {
        let u = self.portail.whoami(self.actor).await?;
        if args.json {
            let v = serde_json::json!({
                "id": u.id,
                "email": u.email,
                "login": u.login,
                "first_name": u.first_name,
                "last_name": u.last_name,
                "role": u.role,
                "language": u.language,
                "must_change_password": self.actor.must_change_password,
                "created_at": portail::present::iso(u.created_at),
                "last_login_at": u.last_login_at.map(portail::present::iso),
            });
            return json_line(&v);
        }
        let none = self.t(Key::None_);
        let rows = [
            (Key::AccountName, u.display_name()),
            (Key::AccountEmail, u.email.clone()),
            (
                Key::AccountLogin,
                u.login.clone().unwrap_or_else(|| none.into()),
            ),
            (
                Key::AccountRole,
                portail::present::label(self.lang, u.role).into(),
            ),
            (Key::AccountLanguage, u.language.native_name().into()),
        ];
        Ok(rows
            .iter()
            .map(|(k, v)| format!("{:<14}{}\n", format!("{} :", self.t(*k)), sanitize::line(v)))
            .collect())
    }

    /// `account set`: the user's own name, e-mail (trainer) and phone; what is not given
    /// stays as it is. The service checks what may change (locked fields, e-mail).
    pub async fn account(&self, command: AccountCmd) -> Out {
        let AccountCmd::Set {
            first_name,
            last_name,
            email,
            phone,
        } = command;
        if first_name.is_none() && last_name.is_none() && email.is_none() && phone.is_none() {
            return Err(Error::Invalid(Key::ExecAccountNothing).into());
        }
        let current = self.portail.my_profile(self.actor).await?;
        let u = self
            .portail
            .update_my_profile(
                self.actor,
                first_name.as_deref().unwrap_or(&current.first_name),
                last_name.as_deref().unwrap_or(&current.last_name),
                phone.as_deref().or(current.phone.as_deref()),
                email.as_deref(),
            )
            .await?;
        Ok(format!(
            "{}\n",
            self.tf(
                Key::OutAccountSaved,
                &[
                    &sanitize::line(&u.display_name()),
                    &sanitize::line(&u.email)
                ]
            )
        ))
    }

    /// `passwd --stdin`: the current password on the first line, the new one on the
    /// second. An account in the "choose a password" state may give the new one alone.
    pub async fn passwd(&self, _args: PasswdArgs, stdin: &mut impl Stdin) -> Out {
        let bytes = self
            .read_bytes(stdin, MAX_STDIN, Key::ExecStdinTooLarge)
            .await?;
        let text = String::from_utf8_lossy(&bytes);
        let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
        let (current, new) = if self.actor.must_change_password {
            // One line: the new password. Two (what a script written for the usual case
            // sends): the current one, then the new one.
            let first = lines.next().unwrap_or("");
            match lines.next().filter(|l| !l.is_empty()) {
                Some(second) => (Some(first), second),
                None => (None, first),
            }
        } else {
            let current = lines.next().unwrap_or("");
            let new = lines.next().unwrap_or("");
            if new.is_empty() {
                return Err(Error::Invalid(Key::ExecPasswdFormat).into());
            }
            (Some(current), new)
        };
        self.portail
            .change_password(self.actor, current, new)
            .await?;
        Ok(format!("{}\n", self.t(Key::ExecPasswordChanged)))
    }
}
