//! A section announced in the menu whose screens come with a later version.

use portail::i18n::Key;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use crate::theme::panel;
use crate::{Ctx, KeyCode, KeyEvent, Nav};

pub(crate) struct PlaceholderScreen {
    title: Key,
}

impl PlaceholderScreen {
    pub(crate) fn new(title: Key) -> Self {
        Self { title }
    }

    pub(crate) fn key(&mut self, key: KeyEvent) -> Nav {
        match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Backspace | KeyCode::Left => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    pub(crate) fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        frame.render_widget(
            Paragraph::new(ctx.t(Key::ComingSoon))
                .wrap(Wrap { trim: true })
                .block(panel(ctx.t(self.title))),
            area,
        );
    }
}
