//! Live technical demos: the trainer's terminal, as a virtual screen.
//!
//! One [`LiveDemo`] per demo on the air, kept by the [`LiveHub`] (keyed by demo id). The
//! trainer's output bytes feed one `vt100::Parser` (bounded: at most
//! [`MAX_LIVE_COLS`]×[`MAX_LIVE_ROWS`], no scrollback, so memory does not depend on what
//! is sent); a `tokio::sync::watch` generation counter says "the screen changed". A
//! watcher waits on it at its own pace and takes the latest [`LiveScreen`] (a snapshot of
//! the cells, built at most once per generation and shared by every watcher), so a slow
//! watcher skips intermediate screens and never slows the stream nor the other watchers.
//!
//! The trainer's raw bytes never reach anyone: a watcher draws the snapshot's cells into
//! its own frame, and each cell's text passes [`crate::sanitize::is_dangerous`]. Title,
//! clipboard (OSC 52) and hyperlink sequences are consumed by the parser and dropped.
//!
//! Pause keeps parsing (so the virtual terminal stays in step with the trainer's) but
//! publishes nothing: watchers keep the screen frozen at the moment of the pause, marked
//! paused, until `resume`. What was shown meanwhile is visible after `resume` only if it
//! is still on the trainer's screen (clear it before resuming: `clear`).
//!
//! Recording: a [`Recorder`] attached with [`LiveDemo::record`] gets the same bytes as the
//! parser (and the pauses, resumes, sizes and markers), under the same lock; the trainer's
//! bytes go to the parser and the recorder only, never to a watcher. What is sent while
//! paused is not recorded; on resume the recording gets the screen as watchers see it
//! then (redrawn from the cells), so a replay shows what the watchers saw.
//!
//! Size: given when the stream starts, changed by [`LiveDemo::resize`] (`demo resize`) or
//! in-band by the xterm sequence `ESC [ 8 ; ROWS ; COLS t` in the stream (what
//! `printf '\e[8;%d;%dt' $(tput lines) $(tput cols)` writes); always clamped.

use std::collections::HashMap;
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, watch};

use crate::live_record::Recorder;
use crate::sanitize::is_dangerous;
use crate::validate::{MAX_LIVE_COLS, MAX_LIVE_ROWS};

/// A stream's size, clamped to the limits; 0 (unknown) is the classic 80×24.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let c = if cols == 0 {
        80
    } else {
        cols.min(MAX_LIVE_COLS as u32) as u16
    };
    let r = if rows == 0 {
        24
    } else {
        rows.min(MAX_LIVE_ROWS as u32) as u16
    };
    (c, r)
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN)
}

/// Where a live demo stands, as its watchers see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveState {
    Live,
    /// The screen is frozen (the trainer paused).
    Paused,
    /// The stream ended: the last screen stays.
    Ended,
}

/// A cell's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LiveColor {
    #[default]
    Default,
    Idx(u8),
    Rgb(u8, u8, u8),
}

impl From<vt100::Color> for LiveColor {
    fn from(c: vt100::Color) -> Self {
        match c {
            vt100::Color::Default => LiveColor::Default,
            vt100::Color::Idx(i) => LiveColor::Idx(i),
            vt100::Color::Rgb(r, g, b) => LiveColor::Rgb(r, g, b),
        }
    }
}

/// One cell of the virtual screen: its text (empty: blank; a wide character's second
/// cell is empty too), already cleaned, and its look.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveCell {
    pub text: Box<str>,
    pub fg: LiveColor,
    pub bg: LiveColor,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub inverse: bool,
    /// The first cell of a double-width character.
    pub wide: bool,
}

/// The virtual screen at one generation: what a watcher draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveScreen {
    pub cols: u16,
    pub rows: u16,
    /// `rows × cols` cells, row by row.
    pub cells: Vec<LiveCell>,
    /// (row, col) of the trainer's cursor.
    pub cursor: (u16, u16),
    pub cursor_visible: bool,
    pub state: LiveState,
    pub generation: u64,
}

impl LiveScreen {
    /// Any virtual terminal's screen, cleaned the same way (a replay's, too): the one
    /// place a virtual screen's cells are made safe to draw.
    pub fn from_screen(screen: &vt100::Screen) -> Self {
        Self::of(screen, LiveState::Live, 0)
    }

    fn of(screen: &vt100::Screen, state: LiveState, generation: u64) -> Self {
        let (rows, cols) = screen.size();
        let (rows, cols) = (rows.get(), cols.get());
        let mut cells = Vec::with_capacity(rows as usize * cols as usize);
        for r in 0..rows {
            for c in 0..cols {
                let Some(cell) = screen.cell(r, c) else {
                    cells.push(LiveCell::default());
                    continue;
                };
                let text: String = cell
                    .contents()
                    .chars()
                    .filter(|ch| !is_dangerous(*ch))
                    .collect();
                cells.push(LiveCell {
                    text: text.into_boxed_str(),
                    fg: cell.fgcolor().into(),
                    bg: cell.bgcolor().into(),
                    bold: cell.bold(),
                    italic: cell.italic(),
                    underline: cell.underline(),
                    inverse: cell.inverse(),
                    wide: cell.is_wide(),
                });
            }
        }
        LiveScreen {
            cols,
            rows,
            cells,
            cursor: screen.cursor_position(),
            cursor_visible: !screen.hide_cursor(),
            state,
            generation,
        }
    }

    pub fn cell(&self, row: u16, col: u16) -> Option<&LiveCell> {
        if row >= self.rows || col >= self.cols {
            return None;
        }
        self.cells
            .get(row as usize * self.cols as usize + col as usize)
    }

    /// A row as plain text, trailing blanks trimmed (tests, logs).
    pub fn row_text(&self, row: u16) -> String {
        let mut s = String::new();
        for c in 0..self.cols {
            match self.cell(row, c) {
                Some(cell) if !cell.text.is_empty() => s.push_str(&cell.text),
                Some(_) if !self.cell(row, c.wrapping_sub(1)).is_some_and(|p| p.wide) => {
                    s.push(' ')
                }
                Some(_) => {}
                None => {}
            }
        }
        s.trim_end().to_string()
    }

    /// The whole screen as plain text, one line per row.
    pub fn text(&self) -> String {
        (0..self.rows)
            .map(|r| self.row_text(r))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Takes the in-band resize request (`ESC [ 8 ; rows ; cols t`), clamped.
struct Resizer;

impl vt100::Callbacks for Resizer {
    fn resize(&mut self, screen: &mut vt100::Screen, (rows, cols): (u16, u16)) {
        let (c, r) = clamp_size(cols as u32, rows as u32);
        screen.set_size(nz(r), nz(c));
    }
}

struct Inner {
    parser: vt100::Parser<Resizer>,
    state: LiveState,
    /// The screen of the current generation, once a watcher asked for it.
    cached: Option<Arc<LiveScreen>>,
    /// While paused: the screen watchers keep seeing.
    frozen: Option<Arc<LiveScreen>>,
    /// The recording in progress, if any.
    recorder: Option<Recorder>,
}

/// One demo on the air.
pub struct LiveDemo {
    pub demo_id: i64,
    inner: Mutex<Inner>,
    generation: watch::Sender<u64>,
    stop: Notify,
}

impl std::fmt::Debug for LiveDemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveDemo")
            .field("demo_id", &self.demo_id)
            .finish_non_exhaustive()
    }
}

impl LiveDemo {
    pub fn new(demo_id: i64, cols: u32, rows: u32) -> Self {
        let (c, r) = clamp_size(cols, rows);
        LiveDemo {
            demo_id,
            inner: Mutex::new(Inner {
                parser: vt100::Parser::new_with_callbacks(nz(r), nz(c), 0, Resizer),
                state: LiveState::Live,
                cached: None,
                frozen: None,
                recorder: None,
            }),
            generation: watch::Sender::new(0),
            stop: Notify::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bump(&self) {
        self.generation.send_modify(|g| *g += 1);
    }

    /// The trainer's output bytes (any bytes: the parser takes them all).
    pub fn feed(&self, bytes: &[u8]) {
        let publish = {
            let mut inner = self.lock();
            if inner.state == LiveState::Ended {
                return;
            }
            let before = inner.parser.screen().size();
            inner.parser.process(bytes);
            let after = inner.parser.screen().size();
            if let Some(rec) = inner.recorder.as_mut() {
                rec.output(bytes);
                // A size changed in-band (`ESC [ 8 ; rows ; cols t`) is recorded too.
                if after != before {
                    rec.resize(after.1.get(), after.0.get());
                }
            }
            inner.cached = None;
            inner.state == LiveState::Live
        };
        if publish {
            self.bump();
        }
    }

    /// The trainer's terminal changed size (clamped).
    pub fn resize(&self, cols: u32, rows: u32) -> (u16, u16) {
        let (c, r) = clamp_size(cols, rows);
        let publish = {
            let mut inner = self.lock();
            inner.parser.set_size(nz(r), nz(c));
            if let Some(rec) = inner.recorder.as_mut() {
                rec.resize(c, r);
            }
            inner.cached = None;
            inner.state == LiveState::Live
        };
        if publish {
            self.bump();
        }
        (c, r)
    }

    /// The current size (cols, rows).
    pub fn size(&self) -> (u16, u16) {
        let (r, c) = self.lock().parser.screen().size();
        (c.get(), r.get())
    }

    pub fn state(&self) -> LiveState {
        self.lock().state
    }

    /// Freezes what watchers see (the stream is still parsed). False if not live.
    pub fn pause(&self) -> bool {
        {
            let mut inner = self.lock();
            if inner.state != LiveState::Live {
                return false;
            }
            inner.state = LiveState::Paused;
            if let Some(rec) = inner.recorder.as_mut() {
                rec.pause();
            }
            let generation = *self.generation.borrow() + 1;
            inner.frozen = Some(Arc::new(LiveScreen::of(
                inner.parser.screen(),
                LiveState::Paused,
                generation,
            )));
        }
        self.bump();
        true
    }

    /// Publishes again. False if not paused.
    pub fn resume(&self) -> bool {
        {
            let mut inner = self.lock();
            if inner.state != LiveState::Paused {
                return false;
            }
            inner.state = LiveState::Live;
            let inner = &mut *inner;
            if let Some(rec) = inner.recorder.as_mut() {
                // The recording dropped what was shown while paused: it goes on from the
                // screen as watchers now see it (drawn again from the virtual terminal's
                // cells, so no sequence of the stream passes).
                rec.resume();
                rec.output(inner.parser.screen().contents_formatted().as_bytes());
            }
            inner.frozen = None;
            inner.cached = None;
        }
        self.bump();
        true
    }

    /// The stream is over: watchers see the last screen, marked ended; the task reading
    /// the stream (if any) is told to stop.
    pub fn end(&self) {
        {
            let mut inner = self.lock();
            if inner.state == LiveState::Ended {
                return;
            }
            inner.state = LiveState::Ended;
            inner.cached = None;
            inner.frozen = None;
        }
        self.stop.notify_one();
        self.bump();
    }

    /// Records the stream from now on (while it is on the air).
    pub fn record(&self, recorder: Recorder) {
        let mut inner = self.lock();
        if inner.state != LiveState::Ended {
            inner.recorder = Some(recorder);
        }
    }

    /// Takes the recording out (once: the one who ends the demo stores it). After
    /// [`LiveDemo::end`], nothing more reaches it.
    pub fn take_recorder(&self) -> Option<Recorder> {
        self.lock().recorder.take()
    }

    /// Adds a marker to the recording: `None` if there is no recording, `Some(false)` if
    /// it stopped (size limit).
    pub fn mark(&self, label: &str) -> Option<bool> {
        let mut inner = self.lock();
        if inner.state == LiveState::Ended {
            return None;
        }
        inner.recorder.as_mut().map(|r| r.marker(label))
    }

    /// Resolves once [`LiveDemo::end`] was called (for the one task reading the stream).
    pub async fn stopped(&self) {
        if self.state() == LiveState::Ended {
            return;
        }
        self.stop.notified().await;
    }

    /// The generation counter: `changed()` resolves when the screen changed since the
    /// last look (however many times).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.generation.subscribe()
    }

    /// The latest screen (frozen while paused), shared by every watcher.
    pub fn screen(&self) -> Arc<LiveScreen> {
        let mut inner = self.lock();
        if let Some(f) = &inner.frozen {
            return f.clone();
        }
        if let Some(c) = &inner.cached {
            return c.clone();
        }
        let generation = *self.generation.borrow();
        let s = Arc::new(LiveScreen::of(
            inner.parser.screen(),
            inner.state,
            generation,
        ));
        inner.cached = Some(s.clone());
        s
    }
}

/// The demos on the air, by demo id.
#[derive(Default)]
pub struct LiveHub {
    demos: Mutex<HashMap<i64, Arc<LiveDemo>>>,
}

impl LiveHub {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<LiveDemo>>> {
        self.demos.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, demo_id: i64) -> Option<Arc<LiveDemo>> {
        self.lock().get(&demo_id).cloned()
    }

    /// Puts a demo on the air; `None` if it already is.
    pub fn open(&self, demo_id: i64, cols: u32, rows: u32) -> Option<Arc<LiveDemo>> {
        let mut map = self.lock();
        if map.contains_key(&demo_id) {
            return None;
        }
        let d = Arc::new(LiveDemo::new(demo_id, cols, rows));
        map.insert(demo_id, d.clone());
        Some(d)
    }

    /// Takes `live` off the air (ended for its watchers), if it is still the one on the air.
    pub fn close(&self, live: &Arc<LiveDemo>) {
        live.end();
        let mut map = self.lock();
        if map.get(&live.demo_id).is_some_and(|d| Arc::ptr_eq(d, live)) {
            map.remove(&live.demo_id);
        }
    }

    /// How many demos are on the air.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_cursor_reach_the_screen() {
        let d = LiveDemo::new(1, 40, 10);
        d.feed(b"$ echo hello\r\nhello\r\n$ ");
        let s = d.screen();
        assert_eq!(s.row_text(0), "$ echo hello");
        assert_eq!(s.row_text(1), "hello");
        assert_eq!(s.cursor, (2, 2));
        assert_eq!((s.cols, s.rows), (40, 10));
        assert_eq!(s.state, LiveState::Live);
    }

    #[test]
    fn a_slow_watcher_skips_intermediate_screens() {
        let d = LiveDemo::new(1, 20, 5);
        let mut rx = d.subscribe();
        rx.mark_unchanged();
        for i in 0..1000 {
            d.feed(format!("\r{i:>5}").as_bytes());
        }
        // One look: the latest screen only, whatever happened between.
        assert!(rx.has_changed().unwrap());
        assert_eq!(*rx.borrow_and_update(), 1000);
        assert!(!rx.has_changed().unwrap());
        assert_eq!(d.screen().row_text(0), "  999");
        // The snapshot is built once per generation and shared.
        assert!(Arc::ptr_eq(&d.screen(), &d.screen()));
    }

    #[test]
    fn escapes_never_reach_a_cell() {
        let d = LiveDemo::new(1, 40, 5);
        d.feed(b"\x1b]52;c;SGVsbG8=\x07\x1b]0;title\x07\x1b]8;;https://evil\x1b\\ok\x1b]8;;\x1b\\");
        d.feed("a\u{202E}b\u{9b}c\x1b[31mred".as_bytes());
        let s = d.screen();
        assert_eq!(s.row_text(0), "okabcred");
        for cell in &s.cells {
            assert!(!cell.text.chars().any(is_dangerous), "{cell:?}");
        }
        assert_eq!(s.cell(0, 5).unwrap().fg, LiveColor::Idx(1));
    }

    #[test]
    fn sizes_are_clamped_on_the_command_line_and_in_band() {
        let d = LiveDemo::new(1, 65535, 65535);
        assert_eq!(d.size(), (MAX_LIVE_COLS, MAX_LIVE_ROWS));
        assert_eq!(d.resize(0, 0), (80, 24));
        d.feed(b"\x1b[8;30;100t");
        assert_eq!(d.size(), (100, 30));
        d.feed(b"\x1b[8;65535;65535t");
        assert_eq!(d.size(), (MAX_LIVE_COLS, MAX_LIVE_ROWS));
        let s = d.screen();
        assert_eq!(
            s.cells.len(),
            MAX_LIVE_COLS as usize * MAX_LIVE_ROWS as usize
        );
        // Scroll regions and insertions past the screen allocate nothing more.
        d.feed(b"\x1b[1;65535r\x1b[65535L\x1b[65535@\x1b[65535S\x1b[65535;65535H");
        assert_eq!(d.size(), (MAX_LIVE_COLS, MAX_LIVE_ROWS));
        assert_eq!(d.screen().cells.len(), s.cells.len());
    }

    #[test]
    fn pause_freezes_the_screen_and_resume_publishes_again() {
        let d = LiveDemo::new(1, 20, 5);
        d.feed(b"before");
        let mut rx = d.subscribe();
        assert!(d.pause());
        assert!(!d.pause());
        rx.mark_unchanged();
        d.feed(b"\r\nsecret");
        // Nothing published while paused; the frozen screen says so.
        assert!(!rx.has_changed().unwrap());
        let s = d.screen();
        assert_eq!(s.state, LiveState::Paused);
        assert_eq!(s.text().trim(), "before");
        assert!(d.resume());
        assert!(rx.has_changed().unwrap());
        // Parsing went on: the terminal is in step with the trainer's.
        assert_eq!(d.screen().row_text(1), "secret");
        d.end();
        assert_eq!(d.screen().state, LiveState::Ended);
        d.feed(b"after the end");
        assert_eq!(d.screen().row_text(1), "secret");
    }

    #[test]
    fn random_bytes_leave_the_screen_bounded() {
        use rand::{Rng, SeedableRng};
        // 8 MiB here (the bound does not depend on the amount: nothing accumulates);
        // the e2e streams more through SSH.
        let mut rng = rand::rngs::StdRng::seed_from_u64(16);
        let d = LiveDemo::new(1, 80, 24);
        let mut buf = vec![0u8; 64 * 1024];
        for i in 0..128 {
            rng.fill(&mut buf[..]);
            // Some chunks biased toward escape sequences.
            if i % 4 == 0 {
                for b in buf.iter_mut().step_by(7) {
                    *b = b"\x1b[;0123456789tHJKr?hl"[(*b as usize) % 21];
                }
            }
            d.feed(&buf);
            let (c, r) = d.size();
            assert!(c <= MAX_LIVE_COLS && r <= MAX_LIVE_ROWS);
        }
        let s = d.screen();
        assert_eq!(s.cells.len(), s.cols as usize * s.rows as usize);
        assert!(s.cells.iter().all(|c| !c.text.chars().any(is_dangerous)));
        assert!(s.cells.iter().all(|c| c.text.len() <= 64), "a cell grew");
    }

    #[test]
    fn the_recording_gets_the_stream_pauses_sizes_and_markers() {
        let dir = tempfile::tempdir().unwrap();
        let d = LiveDemo::new(1, 40, 10);
        assert_eq!(d.mark("sans enregistrement"), None);
        d.record(Recorder::create(dir.path(), 1, 40, 10, "Démo", 1 << 20).unwrap());
        d.feed(b"avant\r\n");
        assert_eq!(d.mark("Étape 2"), Some(true));
        d.pause();
        d.feed(b"secret\r\n\x1b[H\x1b[2Jpropre");
        d.resume();
        d.feed(b"\x1b[8;30;100tapres");
        d.resize(90, 20);
        d.end();
        assert_eq!(d.mark("trop tard"), None);
        d.feed(b"after the end");
        let bytes = d.take_recorder().unwrap().finish().unwrap().unwrap();
        assert!(d.take_recorder().is_none(), "taken once");
        let c = crate::asciicast::parse(&bytes).unwrap();
        let got: Vec<(&str, &str)> = c
            .events
            .iter()
            .map(|e| (e.kind.code(), e.data.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("o", "avant\r\n"),
                ("m", "Étape 2"),
                ("o", "\x1b[?25h\x1b[m\x1b[H\x1b[Jpropre"),
                ("o", "\x1b[8;30;100tapres"),
                ("r", "100x30"),
                ("r", "90x20"),
            ]
        );
    }

    #[test]
    fn the_hub_has_one_stream_per_demo() {
        let hub = LiveHub::default();
        let a = hub.open(7, 80, 24).unwrap();
        assert!(hub.open(7, 80, 24).is_none());
        assert!(Arc::ptr_eq(&hub.get(7).unwrap(), &a));
        hub.close(&a);
        assert!(hub.get(7).is_none());
        assert_eq!(a.state(), LiveState::Ended);
        let b = hub.open(7, 80, 24).unwrap();
        // Closing an old one leaves the new one on the air.
        hub.close(&a);
        assert!(Arc::ptr_eq(&hub.get(7).unwrap(), &b));
    }
}
