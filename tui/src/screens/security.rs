//! Trainer: the security log — failed and refused logins, newest first (read-only) — and
//! the addresses refused right now (`b`), which the trainer may unblock (`u`).

use portail::i18n::{Key, tf};
use portail::services::security::Outcome as LoginOutcome;

use crate::components::dialog::Dialog;
use crate::components::list::{Col, Keyed, ListScreen, ListSpec, Step, col, loads};
use crate::safe::Safe;
use crate::screens::Screen;
use crate::{Action, BlockedItem, Command, Ctx, Data, Nav, Query, SecurityItem};

/// Rows asked for (the newest).
pub(crate) const ROWS: i64 = 500;

/// The security log (see [`ListSpec`]): newest first, as loaded; its title says how many
/// addresses are blocked right now.
pub(crate) struct SecurityLog {
    blocked: usize,
}

impl SecurityLog {
    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self { blocked: 0 })
    }
}

fn outcome_key(o: LoginOutcome) -> Key {
    match o {
        LoginOutcome::Failed => Key::SecFailed,
        LoginOutcome::Refused => Key::SecRefused,
        LoginOutcome::Slowed => Key::SecSlowed,
        LoginOutcome::Unblocked => Key::SecUnblocked,
    }
}

impl ListSpec for SecurityLog {
    type Item = SecurityItem;
    const HINTS: Key = Key::SecHint;
    const HELP: Key = Key::SecHelp;
    const TITLE: Key = Key::MenuSecurity;

    fn heading(&self, ctx: &Ctx) -> String {
        if self.blocked > 0 {
            tf(
                ctx.lang,
                Key::SecBlockedHeading,
                &[&self.blocked.to_string()],
            )
        } else {
            ctx.t(Key::MenuSecurity).to_string()
        }
    }

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

    fn queries(&self) -> Vec<Query> {
        vec![Query::SecurityLog, Query::BlockedSources]
    }

    fn items(&self, data: &Data) -> Option<Vec<SecurityItem>> {
        match data {
            Data::SecurityLog(all) => Some(all.clone()),
            _ => None,
        }
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data, _items: &[SecurityItem]) -> Option<Step> {
        if let Data::BlockedSources(all) = data {
            // Sources, not refusals: a source refused whole and on a login counts once.
            let mut sources: Vec<&str> = all.iter().map(|b| b.block.source.as_str()).collect();
            sources.sort_unstable();
            sources.dedup();
            self.blocked = sources.len();
        }
        None
    }

    fn key(&mut self, k: Keyed<'_, SecurityItem>) -> Step {
        let Keyed { key, out, .. } = k;
        Step::Nav(match key.code {
            crate::KeyCode::Char('r') => {
                out.extend(self.queries().into_iter().map(Command::Load));
                Nav::Stay
            }
            crate::KeyCode::Char('b') => Nav::Push(Screen::view(BlockedList::new())),
            _ => Nav::Stay,
        })
    }
}

/// The refusals in force: an address refused whole, or one login refused from it, with
/// the time left; `u` unblocks the selected address after a confirmation.
pub(crate) struct BlockedList;

impl BlockedList {
    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self)
    }
}

impl ListSpec for BlockedList {
    type Item = BlockedItem;
    const HINTS: Key = Key::SecBlockedHint;
    const HELP: Key = Key::SecBlockedHelp;
    const TITLE: Key = Key::SecBlockedTitle;

    fn columns(&self, ctx: &Ctx) -> Vec<Col> {
        vec![
            col(ctx.t(Key::OutSource), 15),
            col(ctx.t(Key::SecBlockedLeft), 6).keep(),
            col(ctx.t(Key::SecBlockedAccount), 16),
            col(ctx.t(Key::SecBlockedUntil), 16),
            col(ctx.t(Key::SecBlockedFailures), 6),
            col(ctx.t(Key::SecBlockedShared), 8),
        ]
    }

    fn cells(&self, ctx: &Ctx, r: &BlockedItem) -> Vec<Safe> {
        let b = &r.block;
        let left = portail::present::minutes_left(ctx.now, b.until);
        vec![
            Safe::line(&b.source),
            tf(ctx.lang, Key::SecMinutes, &[&left.to_string()]).into(),
            match &b.login {
                // What someone typed as a login: `Safe` cleans it.
                Some(login) => Safe::line(login),
                None => ctx.t(Key::SecBlockedWhole).into(),
            },
            Safe::line(&r.until),
            b.failures.to_string().into(),
            ctx.t(if b.shared { Key::QzYes } else { Key::QzNo }).into(),
        ]
    }

    fn search_text(&self, r: &BlockedItem) -> String {
        format!(
            "{} {}",
            r.block.source,
            r.block.login.as_deref().unwrap_or_default()
        )
    }

    loads!(Query::BlockedSources, Data::BlockedSources);

    fn empty(&self) -> Option<Key> {
        Some(Key::SecBlockedNone)
    }

    fn key(&mut self, k: Keyed<'_, BlockedItem>) -> Step {
        let Keyed {
            ctx, key, sel, out, ..
        } = k;
        match key.code {
            crate::KeyCode::Char('r') => {
                out.push(Command::Load(Query::BlockedSources));
                Step::Nav(Nav::Stay)
            }
            crate::KeyCode::Char('u' | 'd') | crate::KeyCode::Delete => match sel {
                Some(item) => {
                    let source = item.block.source.clone();
                    let text = tf(
                        ctx.lang,
                        Key::SecUnblockAsk,
                        &[Safe::line(&source).as_str()],
                    );
                    Step::Confirm(Dialog::confirm(
                        ctx,
                        ctx.t(Key::SecUnblockTitle),
                        text,
                        Action::UnblockSource(source),
                    ))
                }
                None => Step::Nav(Nav::Stay),
            },
            _ => Step::Nav(Nav::Stay),
        }
    }
}
