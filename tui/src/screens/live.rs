//! Watching a live demo: the trainer's virtual screen ([`portail::live::LiveScreen`])
//! drawn cell by cell into this session's own frame — never the trainer's bytes. A late
//! joiner sees the current screen at once. When the trainer's terminal is larger than the
//! view, the arrows pan it and `f` toggles "follow the cursor" (on by default, so a phone
//! sees where the trainer types); `m` opens a one-line question for the trainer.

use std::cell::Cell;
use std::sync::Arc;

use portail::i18n::{Key, tf};
use portail::live::{LiveDemo, LiveState};
use portail::validate::MAX_DEMO_QUESTION;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{View, is_back};
use crate::components::vt_view;
use crate::safe::Safe;
use crate::theme::{dim, error, title};
use crate::{Action, Command, Ctx, Data, Effect, KeyCode, KeyEvent, Nav, Query};

pub(crate) struct LiveWatch {
    id: i64,
    title: String,
    live: Option<Arc<LiveDemo>>,
    /// Top-left cell of the trainer's screen shown (col, row).
    offset: Cell<(u16, u16)>,
    /// Follow the cursor (`None`: the default, on).
    follow: Cell<Option<bool>>,
    /// The question being typed, when the composer is open.
    question: Option<String>,
    /// The view's size at the last render (for paging).
    view: Cell<(u16, u16)>,
}

impl LiveWatch {
    pub(crate) fn new(id: i64, title: &str) -> Self {
        Self {
            id,
            title: title.to_string(),
            live: None,
            offset: Cell::new((0, 0)),
            follow: Cell::new(None),
            question: None,
            view: Cell::new((0, 0)),
        }
    }

    fn pan(&mut self, dx: i32, dy: i32) {
        self.follow.set(Some(false));
        let (x, y) = self.offset.get();
        let nx = (x as i32 + dx).max(0) as u16;
        let ny = (y as i32 + dy).max(0) as u16;
        self.offset.set((nx, ny));
    }
}

impl View for LiveWatch {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if let Some(q) = &mut self.question {
            match key.code {
                KeyCode::Esc => self.question = None,
                KeyCode::Enter if !q.trim().is_empty() => {
                    out.push(Command::Run(Action::AskDemo {
                        demo: self.id,
                        text: q.clone(),
                    }));
                }
                KeyCode::Backspace => {
                    q.pop();
                }
                KeyCode::Char(c) if q.chars().count() < MAX_DEMO_QUESTION && !c.is_control() => {
                    q.push(c)
                }
                _ => {}
            }
            return Nav::Stay;
        }
        let (vw, vh) = self.view.get();
        match key.code {
            KeyCode::Char('m') => {
                self.question = Some(String::new());
                Nav::Stay
            }
            KeyCode::Char('f') => {
                let on = !self.follow.get().unwrap_or(true);
                self.follow.set(Some(on));
                ctx.flash = Some(
                    ctx.t(if on {
                        Key::DmLiveFollow
                    } else {
                        Key::DmLiveFree
                    })
                    .into(),
                );
                Nav::Stay
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.pan(0, -1);
                Nav::Stay
            }
            KeyCode::Down | KeyCode::Char('j') => {
                self.pan(0, 1);
                Nav::Stay
            }
            KeyCode::Right | KeyCode::Char('l') => {
                self.pan(4, 0);
                Nav::Stay
            }
            KeyCode::Left | KeyCode::Char('h') => {
                self.pan(-4, 0);
                Nav::Stay
            }
            KeyCode::PageUp => {
                self.pan(0, -(vh.max(1) as i32));
                Nav::Stay
            }
            KeyCode::PageDown => {
                self.pan(0, vh.max(1) as i32);
                Nav::Stay
            }
            KeyCode::Home => {
                self.follow.set(Some(false));
                self.offset.set((0, 0));
                Nav::Stay
            }
            KeyCode::End => {
                self.pan(vw.max(1) as i32 * 100, 0);
                Nav::Stay
            }
            // Left pans; Esc (and Backspace) go back.
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let composer = self.question.is_some();
        let [head, body, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(u16::from(composer)),
        ])
        .areas(area);
        let name = Safe::line(&self.title).into_string();
        let Some(live) = &self.live else {
            frame.render_widget(Line::styled(ctx.t(Key::DmLiveWaiting), dim()), head);
            return;
        };
        let s = live.screen();
        // Following is the default: it changes nothing while the whole screen fits.
        let follow = self.follow.get().unwrap_or(true);
        self.view.set((body.width, body.height));
        let (heading, style) = match s.state {
            LiveState::Live => (tf(ctx.lang, Key::DmLiveTitle, &[&name]), error()),
            LiveState::Paused => (tf(ctx.lang, Key::DmLivePausedTitle, &[&name]), title()),
            LiveState::Ended => (tf(ctx.lang, Key::DmLiveEndedTitle, &[&name]), dim()),
        };
        let (ox, oy) = self.offset.get();
        let o = vt_view::viewport(
            (s.cols, s.rows),
            (body.width, body.height),
            vt_view::Offset { col: ox, row: oy },
            follow,
            (s.cursor.1, s.cursor.0),
        );
        let offset = (o.col, o.row);
        self.offset.set(offset);
        // Where the view is, when the trainer's screen does not fit.
        let fits = s.cols <= body.width && s.rows <= body.height;
        let mut spans = vec![Span::styled(heading, style)];
        if !fits {
            spans.push(Span::styled(
                format!(
                    " {}×{} +{},{} {}",
                    s.cols,
                    s.rows,
                    offset.0,
                    offset.1,
                    if follow { "⌖" } else { "" }
                ),
                dim(),
            ));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), head);
        let show_cursor = s.cursor_visible && s.state == LiveState::Live;
        vt_view::draw(&s, o, body, frame.buffer_mut(), show_cursor);
        let note = match s.state {
            LiveState::Paused => Some(Key::DmLivePausedNote),
            LiveState::Ended => Some(Key::DmLiveEndedNote),
            LiveState::Live => None,
        };
        if let Some(k) = note {
            let text = ctx.t(k);
            let rows = crate::theme::status_lines(text, body.width);
            let h = (rows.len() as u16).min(body.height);
            let at = Rect {
                y: body.y + body.height.saturating_sub(h) / 2,
                height: h,
                ..body
            };
            frame.render_widget(ratatui::widgets::Clear, at);
            let lines: Vec<Line> = rows.into_iter().map(|r| Line::styled(r, title())).collect();
            frame.render_widget(Paragraph::new(lines).centered(), at);
        }
        if let Some(q) = &self.question {
            let prompt = ctx.t(Key::DmQuestionPrompt);
            let room = (foot.width as usize).saturating_sub(prompt.width() + 1);
            let text = Safe::line(q).into_string();
            // The end of what is typed, when it is longer than the line.
            let mut shown = text;
            while shown.width() > room {
                shown.remove(0);
            }
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(prompt, title()),
                    Span::raw(shown),
                    Span::styled("▏", title()),
                ])),
                foot,
            );
        }
    }

    fn hints(&self) -> Key {
        if self.question.is_some() {
            Key::DmHintQuestion
        } else {
            Key::DmHintWatch
        }
    }

    fn help(&self) -> Key {
        Key::DmHelpWatch
    }

    fn captures_text(&self) -> bool {
        self.question.is_some()
    }

    fn paste(&mut self, text: &str) {
        if let Some(q) = &mut self.question {
            for c in Safe::line(text).as_str().chars() {
                if q.chars().count() >= MAX_DEMO_QUESTION {
                    break;
                }
                q.push(c);
            }
        }
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        if self.live.is_none() {
            out.push(Command::Load(Query::LiveDemo(self.id)));
        }
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::LiveDemo(d, live) = data
            && d.id == self.id
        {
            self.title = d.title.clone();
            self.live = Some(live.clone());
        }
    }

    fn live(&self) -> Option<Arc<LiveDemo>> {
        self.live.clone()
    }

    fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        _out: &mut Vec<Command>,
    ) -> Nav {
        match result {
            Ok(_) => {
                self.question = None;
                ctx.flash = Some(ctx.t(Key::DmQuestionSent).to_string());
            }
            Err(e) => ctx.flash = Some(e),
        }
        Nav::Stay
    }
}
