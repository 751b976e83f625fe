//! Choosing or changing a password.

use portail::auth::{MAX_PASSWORD_CHARS, check_password_policy};
use portail::i18n::Key;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::field::TextField;
use crate::theme::{dim, error, panel, title};
use crate::{Command, Ctx, KeyCode, KeyEvent, KeyModifiers, Nav};

pub(crate) struct PasswordScreen {
    forced: bool,
    /// current (absent when forced), new, confirmation
    fields: Vec<(Key, TextField)>,
    focus: usize,
    error: Option<String>,
    busy: bool,
}

impl PasswordScreen {
    pub(crate) fn new(forced: bool) -> Self {
        // A little room over the maximum so "too long" can be explained, not silently cut.
        let max = MAX_PASSWORD_CHARS + 1;
        let mut fields = Vec::new();
        if !forced {
            fields.push((Key::PwCurrent, TextField::masked(max)));
        }
        fields.push((Key::PwNew, TextField::masked(max)));
        fields.push((Key::PwConfirm, TextField::masked(max)));
        Self {
            forced,
            fields,
            focus: 0,
            error: None,
            busy: false,
        }
    }

    pub(crate) fn forced(&self) -> bool {
        self.forced
    }

    pub(crate) fn failed(&mut self, message: String) {
        self.busy = false;
        self.error = Some(message);
        for (_, f) in &mut self.fields {
            f.clear();
        }
        self.focus = 0;
    }

    pub(crate) fn paste(&mut self, text: &str) {
        if !self.busy && !text.is_empty() {
            self.fields[self.focus].1.insert_str(text);
            self.error = None;
        }
    }

    pub(crate) fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.busy {
            return Nav::Stay;
        }
        let n = self.fields.len();
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
        match key.code {
            KeyCode::Esc if self.forced => Nav::Stay,
            KeyCode::Esc => Nav::Pop,
            KeyCode::Tab if shift => {
                self.focus = (self.focus + n - 1) % n;
                Nav::Stay
            }
            KeyCode::Tab | KeyCode::Down => {
                self.focus = (self.focus + 1) % n;
                Nav::Stay
            }
            KeyCode::Up => {
                self.focus = (self.focus + n - 1) % n;
                Nav::Stay
            }
            KeyCode::Enter if self.focus + 1 < n => {
                self.focus += 1;
                Nav::Stay
            }
            KeyCode::Enter => self.submit(ctx, out),
            KeyCode::Char('s') if ctrl => self.submit(ctx, out),
            _ => {
                // Typing again: the last attempt's error no longer applies.
                let field = &mut self.fields[self.focus].1;
                let before = field.value();
                field.key(key);
                if field.value() != before {
                    self.error = None;
                }
                Nav::Stay
            }
        }
    }

    fn submit(&mut self, ctx: &Ctx, out: &mut Vec<Command>) -> Nav {
        let values: Vec<String> = self.fields.iter().map(|(_, f)| f.value()).collect();
        let (current, new, confirm) = if self.forced {
            (None, &values[0], &values[1])
        } else {
            (Some(values[0].clone()), &values[1], &values[2])
        };
        if current.as_deref() == Some("") {
            self.failed(ctx.t(Key::PwRequired).into());
            return Nav::Stay;
        }
        let mut ids = vec![ctx.user.email.as_str()];
        if let Some(l) = ctx.user.login.as_deref() {
            ids.push(l);
        }
        let problem = check_password_policy(new, &ids)
            .err()
            .or((new != confirm).then_some(Key::PwMismatch));
        if let Some(k) = problem {
            self.failed(ctx.t(k).into());
            return Nav::Stay;
        }
        self.error = None;
        self.busy = true;
        out.push(Command::ChangePassword {
            current,
            new: new.clone(),
        });
        Nav::Stay
    }

    pub(crate) fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = if self.forced {
            Key::PwTitleForced
        } else {
            Key::PwTitle
        };
        let block = panel(ctx.t(heading));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut inner = inner;
        if self.forced {
            let intro = Paragraph::new(ctx.t(Key::PwForcedIntro)).wrap(Wrap { trim: true });
            let h = (intro.line_count(inner.width) as u16 + 1).min(inner.height);
            frame.render_widget(intro, Rect { height: h, ..inner });
            inner.y += h;
            inner.height -= h;
        }
        let mut lines: Vec<Line> = Vec::new();
        let field_width = inner.width.saturating_sub(4) as usize;
        let mut cursor = None;
        for (i, (label, field)) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            let label_style = if focused { title() } else { dim() };
            lines.push(Line::styled(format!(" {}", ctx.t(*label)), label_style));
            let (text, col) = field.visible(field_width);
            let marker = if focused { "› " } else { "  " };
            if focused {
                cursor = Some((lines.len(), 3 + col));
            }
            lines.push(Line::from(vec![
                Span::raw(" "),
                Span::raw(marker),
                Span::raw(text),
            ]));
        }
        lines.push(Line::from(""));
        if self.busy {
            lines.push(Line::styled(format!(" {}", ctx.t(Key::PwWorking)), dim()));
        } else if let Some(e) = &self.error {
            lines.push(Line::styled(format!(" {e}"), error()));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        if let Some((row, col)) = cursor {
            let y = inner.y + row as u16;
            let x = inner.x + col as u16;
            if y < inner.bottom() && x < inner.right() && !self.busy {
                frame.set_cursor_position(Position::new(x, y));
            }
        }
    }
}
