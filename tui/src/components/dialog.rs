//! A modal question drawn over the screen: "o/n" (or "y/n"), or a few lettered choices.

use portail::i18n::Key;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::theme::{ACCENT, title};
use crate::{Ctx, KeyCode, KeyEvent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    Yes,
    No,
    /// One of the extra lettered choices.
    Choice(char),
    /// The key means nothing here.
    Wait,
}

pub(crate) struct Dialog<P> {
    heading: String,
    text: String,
    choices: String,
    extra: Vec<char>,
    /// What to do on "yes" (or on a lettered choice): kept by the screen that asked.
    pub(crate) pending: P,
}

impl<P> Dialog<P> {
    /// A yes/no question ("o" or "y" for yes, "n" or Esc for no).
    pub(crate) fn confirm(ctx: &Ctx, heading: &str, text: String, pending: P) -> Self {
        Self {
            heading: heading.to_string(),
            text,
            choices: ctx.t(Key::UiYesNo).to_string(),
            extra: Vec::new(),
            pending,
        }
    }

    /// A question with lettered answers; `choices` describes them (e.g. "d désactiver ·
    /// s supprimer · Échap annuler"). `n` and Esc still mean no.
    pub(crate) fn choose(
        heading: &str,
        text: String,
        choices: &str,
        extra: &[char],
        pending: P,
    ) -> Self {
        Self {
            heading: heading.to_string(),
            text,
            choices: choices.to_string(),
            extra: extra.to_vec(),
            pending,
        }
    }

    pub(crate) fn key(&self, key: &KeyEvent) -> Answer {
        match key.code {
            KeyCode::Char(c) if self.extra.contains(&c.to_ascii_lowercase()) => {
                Answer::Choice(c.to_ascii_lowercase())
            }
            KeyCode::Char('o' | 'O' | 'y' | 'Y') if self.extra.is_empty() => Answer::Yes,
            KeyCode::Char('n' | 'N') | KeyCode::Esc => Answer::No,
            _ => Answer::Wait,
        }
    }

    pub(crate) fn render(&self, frame: &mut Frame, area: Rect) {
        render_popup(frame, area, &self.heading, &self.text, &self.choices);
    }
}

/// A centred box with a title, wrapped text and a line of choices at the bottom.
pub(crate) fn render_popup(frame: &mut Frame, area: Rect, heading: &str, text: &str, foot: &str) {
    let width = area.width.saturating_sub(2).clamp(10, 64);
    let body = Paragraph::new(text.to_string()).wrap(Wrap { trim: false });
    let inner_w = width.saturating_sub(2);
    let lines = body.line_count(inner_w) as u16;
    let foot_p = Paragraph::new(Line::styled(foot.to_string(), title())).wrap(Wrap { trim: true });
    let foot_h = foot_p.line_count(inner_w) as u16;
    let height = (lines + foot_h + 3).min(area.height);
    let popup = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width: width.min(area.width),
        height,
    };
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(ACCENT))
        .title(Line::styled(format!(" {heading} "), title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let foot_h = foot_h.min(inner.height);
    let text_h = inner.height.saturating_sub(foot_h + 1);
    frame.render_widget(
        body,
        Rect {
            height: text_h,
            ..inner
        },
    );
    frame.render_widget(
        foot_p,
        Rect {
            y: inner.y + inner.height - foot_h,
            height: foot_h,
            ..inner
        },
    );
}
