//! A one-time upload link (course file, logo): the link as text and OSC 8 hyperlink, what
//! it is for, the terminal alternative, and its QR code on demand.

use std::cell::RefCell;

use portail::i18n::Key;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{View, is_back};
use crate::theme::{dim, panel, truncate};
use crate::{Command, Ctx, Hyperlink, KeyCode, KeyEvent, Nav};

pub(crate) struct LinkScreen {
    /// Already sanitized and in the user's language.
    heading: String,
    url: String,
    /// The terminal way of doing the same.
    exec: Key,
    qr: bool,
    links: RefCell<Vec<Hyperlink>>,
}

impl LinkScreen {
    pub(crate) fn new(heading: String, url: String, exec: Key) -> Self {
        Self {
            heading,
            url,
            exec,
            qr: false,
            links: RefCell::new(Vec::new()),
        }
    }
}

impl View for LinkScreen {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, _out: &mut Vec<Command>) -> Nav {
        if self.qr {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('Q') | KeyCode::Backspace
            ) {
                self.qr = false;
            }
            return Nav::Stay;
        }
        match key.code {
            KeyCode::Char('Q') | KeyCode::Enter => {
                self.qr = true;
                Nav::Stay
            }
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let mut links = self.links.borrow_mut();
        links.clear();
        let block = panel(&truncate(
            &self.heading,
            area.width.saturating_sub(4) as usize,
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height == 0 || inner.width < 3 {
            return;
        }
        let text_area = Rect {
            x: inner.x + 1,
            width: inner.width - 2,
            ..inner
        };
        // The link first: it must be visible even on a phone-sized window.
        crate::components::link::draw(frame, ctx, text_area, &self.url, &mut links);
        let rest = Rect {
            y: text_area.y + 1,
            height: text_area.height.saturating_sub(1),
            ..text_area
        };
        let lines = vec![
            Line::from(""),
            Line::from(ctx.t(Key::FlLinkIntro)),
            Line::from(""),
            Line::styled(ctx.t(self.exec), dim()),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rest);
        if self.qr {
            links.clear();
            crate::qr::render_overlay(frame, ctx, area, Some(&self.url), &mut links);
        }
    }

    fn hints(&self) -> Key {
        if self.qr {
            Key::SpQrClose
        } else {
            Key::FlHintLink
        }
    }

    fn help(&self) -> Key {
        Key::FlHelpLink
    }

    /// Under the QR code, only the link shown instead of a code too big for the window.
    fn hyperlinks(&self) -> Vec<Hyperlink> {
        self.links.borrow().clone()
    }
}
