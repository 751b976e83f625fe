//! Trainer: the security log — failed and refused logins, newest first (read-only).

use portail::i18n::Key;
use portail::services::security::Outcome as LoginOutcome;

use crate::components::list::{Col, Keyed, ListScreen, ListSpec, Step, col, loads};
use crate::safe::Safe;
use crate::{Command, Ctx, Data, Nav, Query, SecurityItem};

/// Rows asked for (the newest).
pub(crate) const ROWS: i64 = 500;

/// The security log (see [`ListSpec`]): newest first, as loaded.
pub(crate) struct SecurityLog;

impl SecurityLog {
    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self)
    }
}

fn outcome_key(o: LoginOutcome) -> Key {
    match o {
        LoginOutcome::Failed => Key::SecFailed,
        LoginOutcome::Refused => Key::SecRefused,
        LoginOutcome::Slowed => Key::SecSlowed,
    }
}

impl ListSpec for SecurityLog {
    type Item = SecurityItem;
    const HINTS: Key = Key::SecHint;
    const HELP: Key = Key::SecHelp;
    const TITLE: Key = Key::MenuSecurity;

    fn columns(&self, ctx: &Ctx) -> Vec<Col> {
        vec![
            col(ctx.t(Key::SecLogin), 16),
            col(ctx.t(Key::SecWhen), 19).keep(),
            col(ctx.t(Key::OutSource), 15),
            col(ctx.t(Key::SecOutcome), 12),
        ]
    }

    fn cells(&self, ctx: &Ctx, r: &SecurityItem) -> Vec<Safe> {
        // Logins are typed by strangers: `Safe` cleans them.
        vec![
            Safe::line(&r.entry.login),
            Safe::line(&r.when),
            Safe::line(&r.entry.source),
            ctx.t(outcome_key(r.entry.outcome)).into(),
        ]
    }

    fn search_text(&self, r: &SecurityItem) -> String {
        format!("{} {} {}", r.entry.login, r.entry.source, r.when)
    }

    loads!(Query::SecurityLog, Data::SecurityLog);

    fn key(&mut self, k: Keyed<'_, SecurityItem>) -> Step {
        let Keyed { key, out, .. } = k;
        Step::Nav(match key.code {
            crate::KeyCode::Char('r') => {
                out.push(Command::Load(Query::SecurityLog));
                Nav::Stay
            }
            _ => Nav::Stay,
        })
    }
}
