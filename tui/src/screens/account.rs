//! "Mon compte": who I am, language, password.

use portail::i18n::{Key, Lang};
use portail::sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::password::PasswordScreen;
use super::{Screen, list_move};
use crate::theme::{dim, panel, selected, title};
use crate::{Command, Ctx, KeyCode, KeyEvent, Nav, role_label};

/// The rows one can act on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Language,
    Password,
}

const ACTIONS: [Action; 2] = [Action::Language, Action::Password];

pub(crate) struct AccountScreen {
    selected: usize,
}

impl AccountScreen {
    pub(crate) fn new() -> Self {
        Self { selected: 0 }
    }

    pub(crate) fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if let Some(i) = list_move(&key, self.selected, ACTIONS.len()) {
            self.selected = i;
            return Nav::Stay;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Backspace | KeyCode::Left => Nav::Pop,
            KeyCode::Enter | KeyCode::Char(' ') => match ACTIONS[self.selected] {
                Action::Language => {
                    let next = match ctx.lang {
                        Lang::Fr => Lang::En,
                        Lang::En => Lang::Fr,
                    };
                    out.push(Command::SetLanguage(next));
                    Nav::Stay
                }
                Action::Password => Nav::Push(Screen::Password(PasswordScreen::new(false))),
            },
            _ => Nav::Stay,
        }
    }

    pub(crate) fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let u = &ctx.user;
        let none = ctx.t(Key::None_);
        let info = [
            (
                Key::AccountName,
                sanitize::line(&u.display_name()).into_owned(),
            ),
            (Key::AccountEmail, sanitize::line(&u.email).into_owned()),
            (
                Key::AccountLogin,
                u.login
                    .as_deref()
                    .map(|l| sanitize::line(l).into_owned())
                    .unwrap_or_else(|| none.to_string()),
            ),
            (Key::AccountRole, role_label(ctx.lang, u.role).to_string()),
        ];
        let labels = [Key::AccountLanguage, Key::AccountPassword]
            .into_iter()
            .chain(info.iter().map(|(k, _)| *k));
        let label_width = labels.map(|k| ctx.t(k).chars().count()).max().unwrap_or(0) + 2;
        let mut lines = Vec::new();
        for (k, v) in info {
            push_row(&mut lines, ctx.t(k), Span::raw(v), label_width);
        }
        lines.push(Line::from(""));
        for (i, action) in ACTIONS.iter().enumerate() {
            let (label, value) = match action {
                Action::Language => (
                    ctx.t(Key::AccountLanguage),
                    format!("‹ {} ›", ctx.lang.native_name()),
                ),
                Action::Password => (
                    ctx.t(Key::AccountPassword),
                    ctx.t(Key::AccountPasswordAction).to_string(),
                ),
            };
            let style = if i == self.selected {
                selected()
            } else {
                title()
            };
            push_row(&mut lines, label, Span::styled(value, style), label_width);
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(panel(ctx.t(Key::AccountTitle))),
            area,
        );
    }
}

fn push_row(lines: &mut Vec<Line<'static>>, label: &str, value: Span<'static>, width: usize) {
    lines.push(Line::from(vec![
        Span::styled(format!(" {label:<width$}"), dim()),
        value,
    ]));
}
