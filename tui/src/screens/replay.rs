//! Replaying a technical demo's recording: its events are fed into a virtual terminal
//! (`vt100`, at most the recording limits of `portail::validate`) and the virtual screen
//! is drawn as text into the frame (see [`crate::components::vt_view`]); the recorded
//! bytes never reach the user's terminal. Play/pause, seek ±5 s (back: replayed from the
//! start into a fresh terminal), next/previous marker, speed ×1/×2/×4, long silences
//! shortened ([`portail::asciicast::IDLE_CAP`]), panning or following the cursor when
//! the recording is larger than the window. Leaving logs how far it went.

use std::cell::Cell;
use std::num::NonZeroU16;
use std::sync::Arc;

use portail::asciicast::{EventKind, Timeline};
use portail::i18n::Key;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{View, is_back};
use crate::components::vt_view::{self, Offset};
use crate::safe::Safe;
use crate::theme;
use crate::{Action, Command, Ctx, Data, KeyCode, KeyEvent, KeyModifiers, Nav, Query};

/// A seek step, in seconds.
const SEEK: f64 = 5.0;
/// Longest clock step applied at once (a stalled session does not jump ahead).
const MAX_STEP: f64 = 1.0;
/// The speeds offered.
const SPEEDS: [u8; 3] = [1, 2, 4];

fn nz(v: u16) -> NonZeroU16 {
    NonZeroU16::new(v.max(1)).unwrap_or(NonZeroU16::MIN)
}

pub(crate) struct ReplayScreen {
    demo: i64,
    title: String,
    /// `None` while loading; `Some(None)`: the demo has no recording.
    timeline: Option<Option<Arc<Timeline>>>,
    term: vt100::Parser,
    /// The next event to apply.
    next: usize,
    /// The replay position, in seconds.
    pos: f64,
    /// The furthest position reached (for the activity log).
    reached: f64,
    playing: bool,
    speed: u8,
    /// When the clock last moved (playback advances by the time since).
    last_tick: Option<chrono::DateTime<chrono::Utc>>,
    follow: bool,
    /// Where the user panned to (clamped when drawn).
    pan: Cell<Offset>,
    logged: bool,
}

impl ReplayScreen {
    pub(crate) fn new(demo: i64, title: &str) -> Self {
        Self {
            demo,
            title: title.to_string(),
            timeline: None,
            term: vt100::Parser::new(nz(24), nz(80), 0),
            next: 0,
            pos: 0.0,
            reached: 0.0,
            playing: false,
            speed: 1,
            last_tick: None,
            follow: false,
            pan: Cell::new(Offset::default()),
            logged: false,
        }
    }

    fn tl(&self) -> Option<&Arc<Timeline>> {
        self.timeline.as_ref().and_then(Option::as_ref)
    }

    fn duration(&self) -> f64 {
        self.tl().map_or(0.0, |t| t.duration())
    }

    /// Moves to `t` (clamped): forward, applies the events up to it; back, replays from
    /// the start into a fresh virtual terminal.
    fn seek(&mut self, t: f64) {
        let Some(tl) = self.tl().cloned() else {
            return;
        };
        let t = t.clamp(0.0, tl.duration());
        if t < self.pos || self.next == 0 {
            self.term = vt100::Parser::new(nz(tl.height), nz(tl.width), 0);
            self.next = 0;
        }
        while let Some(e) = tl.events.get(self.next) {
            if e.time > t {
                break;
            }
            match e.kind {
                EventKind::Output => self.term.process(e.data.as_bytes()),
                EventKind::Resize => {
                    if let Some((c, r)) = e.size() {
                        self.term.set_size(nz(r), nz(c));
                    }
                }
                EventKind::Input | EventKind::Marker => {}
            }
            self.next += 1;
        }
        self.pos = t;
        self.reached = self.reached.max(t);
        if t >= tl.duration() {
            self.playing = false;
        }
    }

    fn log(&mut self, out: &mut Vec<Command>) {
        if self.logged || self.tl().is_none() {
            return;
        }
        self.logged = true;
        out.push(Command::Run(Action::LogReplay {
            demo: self.demo,
            reached: self.reached.round() as u32,
            total: self.duration().round() as u32,
        }));
    }

    fn pan_by(&self, dc: i32, dr: i32) {
        let o = self.pan.get();
        let step = |v: u16, d: i32| (v as i32 + d).clamp(0, u16::MAX as i32) as u16;
        self.pan.set(Offset {
            col: step(o.col, dc),
            row: step(o.row, dr),
        });
    }

    fn speed_step(&mut self, up: bool) {
        let i = SPEEDS.iter().position(|s| *s == self.speed).unwrap_or(0);
        let i = if up {
            (i + 1).min(SPEEDS.len() - 1)
        } else {
            i.saturating_sub(1)
        };
        self.speed = SPEEDS[i];
    }

    /// `▶ 0:42 / 2:00 ×2 · Étape 2`.
    fn progress(&self, ctx: &Ctx) -> String {
        let state = ctx.t(if self.playing {
            Key::RpPlaying
        } else {
            Key::RpPaused
        });
        let mut s = format!(
            "{state} {} / {} ×{}",
            portail::present::clock(self.pos),
            portail::present::clock(self.duration()),
            self.speed
        );
        if let Some(m) = self.tl().and_then(|t| t.marker_at(self.pos)) {
            s.push_str(" · ");
            s.push_str(&Safe::line(m));
        }
        if self.follow {
            s.push_str(" · ");
            s.push_str(ctx.t(Key::RpFollow));
        }
        s
    }
}

impl View for ReplayScreen {
    fn leaving(&mut self, out: &mut Vec<Command>) {
        self.log(out);
    }

    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        let shift = key
            .modifiers
            .intersects(KeyModifiers::SHIFT | KeyModifiers::ALT | KeyModifiers::CTRL);
        match key.code {
            KeyCode::Left | KeyCode::Right | KeyCode::Up | KeyCode::Down if shift => {
                self.follow = false;
                match key.code {
                    KeyCode::Left => self.pan_by(-4, 0),
                    KeyCode::Right => self.pan_by(4, 0),
                    KeyCode::Up => self.pan_by(0, -2),
                    _ => self.pan_by(0, 2),
                }
            }
            KeyCode::Char('h') => self.pan_by(-4, 0),
            KeyCode::Char('l') => self.pan_by(4, 0),
            KeyCode::Char('k') => self.pan_by(0, -2),
            KeyCode::Char('j') => self.pan_by(0, 2),
            KeyCode::Char('f') => self.follow = !self.follow,
            _ if self.tl().is_none() && (is_back(&key) || key.code == KeyCode::Enter) => {
                return Nav::Pop;
            }
            _ if self.tl().is_none() => {}
            KeyCode::Char(' ') | KeyCode::Char('p') => {
                if self.pos >= self.duration() {
                    self.seek(0.0);
                }
                self.playing = !self.playing;
                self.last_tick = Some(ctx.now);
            }
            KeyCode::Left => self.seek(self.pos - SEEK),
            KeyCode::Right => self.seek(self.pos + SEEK),
            KeyCode::Home => self.seek(0.0),
            KeyCode::End => self.seek(self.duration()),
            KeyCode::Char('n' | ']') => {
                if let Some(at) = self.tl().and_then(|t| t.next_marker(self.pos)).map(|m| m.0) {
                    self.seek(at);
                }
            }
            KeyCode::Char('[') => {
                let before = self.tl().and_then(|t| {
                    t.markers()
                        .map(|m| m.0)
                        .filter(|at| *at < self.pos - 0.5)
                        .last()
                });
                self.seek(before.unwrap_or(0.0));
            }
            KeyCode::Char('+' | '=') => self.speed_step(true),
            KeyCode::Char('-') => self.speed_step(false),
            KeyCode::Char(c @ ('1' | '2' | '4')) => self.speed = c as u8 - b'0',
            KeyCode::Esc | KeyCode::Backspace => {
                self.log(out);
                return Nav::Pop;
            }
            _ => {}
        }
        Nav::Stay
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        if area.height < 2 || area.width < 2 {
            return;
        }
        let view = Rect {
            height: area.height - 1,
            ..area
        };
        let status = Rect {
            y: area.y + area.height - 1,
            height: 1,
            ..area
        };
        let text = match &self.timeline {
            None => ctx.t(Key::RpLoading).to_string(),
            Some(None) => ctx.t(Key::RpNone).to_string(),
            Some(Some(_)) => {
                let s = portail::live::LiveScreen::from_screen(self.term.screen());
                let o = vt_view::viewport(
                    (s.cols, s.rows),
                    (view.width, view.height),
                    self.pan.get(),
                    self.follow,
                    (s.cursor.1, s.cursor.0),
                );
                self.pan.set(o);
                vt_view::draw(&s, o, view, frame.buffer_mut(), false);
                self.progress(ctx)
            }
        };
        // The demo's title when there is room for it.
        let mut spans = Vec::new();
        if area.width >= 60 {
            spans.push(Span::styled(
                theme::truncate(&Safe::line(&self.title), (area.width / 3) as usize),
                theme::title(),
            ));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(text, Style::default()));
        let line = Line::from(spans);
        frame.render_widget(Paragraph::new(line).style(theme::dim()), status);
    }

    fn hints(&self) -> Key {
        Key::RpHint
    }

    fn help(&self) -> Key {
        Key::RpHelp
    }

    fn animating(&self) -> bool {
        self.playing
    }

    fn tick(&mut self, ctx: &mut Ctx, _out: &mut Vec<Command>) {
        let now = ctx.now;
        if self.playing {
            let dt = self
                .last_tick
                .map_or(0.0, |t| (now - t).num_milliseconds() as f64 / 1000.0)
                .clamp(0.0, MAX_STEP);
            self.seek(self.pos + dt * self.speed as f64);
        }
        self.last_tick = Some(now);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        if self.timeline.is_none() {
            out.push(Command::Load(Query::DemoRecording(self.demo)));
        }
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        if let Data::DemoRecording(id, tl) = data
            && *id == self.demo
            && self.timeline.is_none()
        {
            self.timeline = Some(tl.clone());
            if let Some(t) = tl {
                self.term = vt100::Parser::new(nz(t.height), nz(t.width), 0);
                self.next = 0;
                self.seek(0.0);
                self.playing = true;
                self.last_tick = Some(ctx.now);
            }
        }
    }
}
