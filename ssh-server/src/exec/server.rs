//! `server stats`: the session measurements of [`crate::stats`] (trainer).

use clap::Subcommand;
use portail::i18n::Key;

use super::common::{Ctx, Family, Out, json_line};

pub const FAMILY: Family = Family::trainer("server", Key::XhServer, Key::ExecHelpServer);

#[derive(Debug, Subcommand)]
pub enum ServerCmd {
    #[command(about = Key::XhServerStats.name())]
    Stats {
        #[arg(long)]
        json: bool,
        #[arg(long, help = Key::XaReset.name())]
        reset: bool,
    },
}

impl Ctx<'_> {
    /// `server stats [--json] [--reset]`.
    pub fn server(&self, cmd: ServerCmd) -> Out {
        let ServerCmd::Stats { json, reset } = cmd;
        portail::services::accounts::require_trainer(self.actor)?;
        let snapshot = crate::stats::snapshot();
        if reset {
            crate::stats::reset();
        }
        if json {
            return json_line(&snapshot);
        }
        Ok(crate::stats::render(&snapshot))
    }
}
