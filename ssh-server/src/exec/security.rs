//! `security log`: failed and refused logins (trainer).

use clap::Subcommand;
use portail::i18n::Key;
use portail::services::security::{LIST_DEFAULT, LIST_MAX, Outcome};

use super::common::{Ctx, Fail, Family, Out};

pub const FAMILY: Family = Family::trainer("security", Key::XhSecurity, Key::ExecHelpSecurity);

#[derive(Debug, Subcommand)]
pub enum SecurityCmd {
    #[command(about = Key::XhSecurityLog.name())]
    Log {
        #[arg(long)]
        json: bool,
        #[arg(long, help = Key::XaLimit.name())]
        limit: Option<i64>,
    },
}

impl Ctx<'_> {
    /// `security log`: the failed and refused logins (trainer only, checked by the service).
    pub async fn security(&self, command: SecurityCmd) -> Out {
        let SecurityCmd::Log {
            json: as_json,
            limit,
        } = command;
        let limit = limit.unwrap_or(LIST_DEFAULT);
        if !(1..=LIST_MAX).contains(&limit) {
            return Err(Fail::Message(
                self.tf(Key::ExecSecurityLimit, &[&LIST_MAX.to_string()]),
            ));
        }
        let rows = self.portail.security_log(self.actor, limit).await?;
        self.listing(as_json, &rows, Key::OutNone, |r| {
            vec![
                (Key::SecWhen, self.second(r.at)),
                (Key::OutSource, r.source.clone()),
                (Key::SecLogin, r.login.clone()),
                (
                    Key::SecOutcome,
                    self.t(match r.outcome {
                        Outcome::Failed => Key::SecFailed,
                        Outcome::Refused => Key::SecRefused,
                        Outcome::Slowed => Key::SecSlowed,
                    })
                    .to_string(),
                ),
            ]
        })
    }
}
