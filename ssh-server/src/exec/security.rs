//! `security log|blocked|unblock`: failed and refused logins, the addresses refused right
//! now, and lifting a refusal (trainer).

use clap::Subcommand;
use portail::i18n::Key;
use portail::services::security::{LIST_DEFAULT, LIST_MAX, Outcome};

use super::common::{Ctx, Fail, Family, Out, line_out};

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
    #[command(about = Key::XhSecurityBlocked.name())]
    Blocked {
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhSecurityUnblock.name())]
    Unblock {
        #[arg(help = Key::XaSourceAddress.name())]
        address: String,
    },
}

impl Ctx<'_> {
    /// `security …` (trainer only, checked by the services).
    pub async fn security(&self, command: SecurityCmd) -> Out {
        match command {
            SecurityCmd::Log { json, limit } => self.security_log(json, limit).await,
            SecurityCmd::Blocked { json } => self.security_blocked(json).await,
            SecurityCmd::Unblock { address } => {
                let lifted = self.portail.unblock_source(self.actor, &address).await?;
                line_out(self.tf(Key::SecUnblockDone, &[&lifted.source]))
            }
        }
    }

    async fn security_log(&self, as_json: bool, limit: Option<i64>) -> Out {
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
                        Outcome::Unblocked => Key::SecUnblocked,
                    })
                    .to_string(),
                ),
            ]
        })
    }

    /// `security blocked`: the refusals in force, the longest first.
    async fn security_blocked(&self, as_json: bool) -> Out {
        let rows = self.portail.blocked_sources(self.actor).await?;
        let now = chrono::Utc::now();
        self.listing(as_json, &rows, Key::SecBlockedNone, |b| {
            let left = portail::present::minutes_left(now, b.until);
            vec![
                (Key::OutSource, b.source.clone()),
                (
                    Key::SecBlockedAccount,
                    b.login
                        .clone()
                        .unwrap_or_else(|| self.t(Key::SecBlockedWhole).to_string()),
                ),
                (
                    Key::SecBlockedLeft,
                    self.tf(Key::SecMinutes, &[&left.to_string()]),
                ),
                (Key::SecBlockedUntil, self.minute(b.until)),
                (Key::SecBlockedFailures, b.failures.to_string()),
                (
                    Key::SecBlockedShared,
                    self.t(if b.shared { Key::QzYes } else { Key::QzNo })
                        .to_string(),
                ),
            ]
        })
    }
}
