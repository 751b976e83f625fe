//! Trainer: the security log — failed and refused logins, newest first (read-only).

use portail::i18n::Key;
use portail::services::security::Outcome as LoginOutcome;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{View, is_back};
use crate::components::list::{ListView, col};
use crate::{Command, Ctx, Data, KeyEvent, Nav, Query, SecurityItem};

/// Rows asked for (the newest).
pub(crate) const ROWS: i64 = 500;

#[derive(Default)]
pub(crate) struct SecurityLog {
    rows: Vec<SecurityItem>,
    list: ListView,
}

impl SecurityLog {
    pub(crate) fn new() -> Self {
        Self {
            list: ListView::new(),
            ..Self::default()
        }
    }
}

fn outcome_key(o: LoginOutcome) -> Key {
    match o {
        LoginOutcome::Failed => Key::SecFailed,
        LoginOutcome::Refused => Key::SecRefused,
        LoginOutcome::Slowed => Key::SecSlowed,
    }
}

impl View for SecurityLog {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.list.key(&key) {
            return Nav::Stay;
        }
        match key.code {
            crate::KeyCode::Char('r') => {
                out.push(Command::Load(Query::SecurityLog));
                Nav::Stay
            }
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        // Every cell goes through `portail::sanitize` in the list (logins are typed by
        // strangers).
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.entry.login.clone(),
                    r.when.clone(),
                    r.entry.source.clone(),
                    ctx.t(outcome_key(r.entry.outcome)).to_string(),
                ]
            })
            .collect();
        let cols = [
            col(ctx.t(Key::SecLogin), 16),
            col(ctx.t(Key::SecWhen), 19),
            col(ctx.t(Key::OutSource), 15),
            col(ctx.t(Key::SecOutcome), 12),
        ];
        self.list
            .render(frame, ctx, area, ctx.t(Key::MenuSecurity), &cols, &rows);
    }

    fn hints(&self) -> Key {
        if self.list.searching() {
            Key::UiHintSearch
        } else {
            Key::SecHint
        }
    }

    fn help(&self) -> Key {
        Key::SecHelp
    }

    fn captures_text(&self) -> bool {
        self.list.searching()
    }

    fn paste(&mut self, text: &str) {
        self.list.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::SecurityLog));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::SecurityLog(rows) = data {
            self.rows = rows.clone();
            self.list.set_items(
                rows.iter()
                    .map(|r| format!("{} {} {}", r.entry.login, r.entry.source, r.when))
                    .collect(),
            );
        }
    }
}
