//! Terminal recordings in asciicast v2, the asciinema format: a JSON header line
//! (`{"version": 2, "width": 80, "height": 24, "timestamp": …}`) then one JSON array per
//! event, `[seconds, code, data]`, with `code` one of `"o"` (output), `"i"` (input),
//! `"r"` (resize, `"COLSxROWS"`) and `"m"` (marker, its label).
//!
//! - [`Writer`] records a live terminal as it goes (one event per line, flushed by the
//!   caller's writer), cutting paused time out of the timeline and dropping what is sent
//!   while paused.
//! - [`parse`] reads a recording (uploaded by a trainer, or written by [`Writer`]) line by
//!   line with `serde_json`, and refuses anything off — bad JSON, a version other than 2,
//!   dimensions over the limits of [`crate::validate`], time going backwards — naming the
//!   line ([`CastError`]).
//! - [`Cast::timeline`] is what a replay plays: idle gaps longer than [`IDLE_CAP`] (or the
//!   header's own `idle_time_limit`, when smaller) are shortened.

use std::io::Write;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::i18n::Key;
use crate::validate::{MAX_CAST_BYTES, MAX_CAST_COLS, MAX_CAST_ROWS};

/// The content type of a stored recording.
pub const CONTENT_TYPE: &str = "application/x-asciicast";

/// Longest pause kept at replay, in seconds (as asciinema's `idle_time_limit`).
pub const IDLE_CAP: f64 = 2.0;

/// What an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EventKind {
    Output,
    Input,
    Resize,
    Marker,
}

impl EventKind {
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Output => "o",
            EventKind::Input => "i",
            EventKind::Resize => "r",
            EventKind::Marker => "m",
        }
    }
    fn parse(code: &str) -> Option<Self> {
        match code {
            "o" => Some(EventKind::Output),
            "i" => Some(EventKind::Input),
            "r" => Some(EventKind::Resize),
            "m" => Some(EventKind::Marker),
            _ => None,
        }
    }
}

/// One event: seconds since the start, its kind, its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub time: f64,
    pub kind: EventKind,
    pub data: String,
}

impl Event {
    /// A resize event's size (columns, rows).
    pub fn size(&self) -> Option<(u16, u16)> {
        (self.kind == EventKind::Resize)
            .then(|| parse_size(&self.data))
            .flatten()
    }
}

/// The header's fields Portail uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub width: u16,
    pub height: u16,
    /// Unix time of the start, if given.
    pub timestamp: Option<i64>,
    pub title: Option<String>,
    /// The recorder's own idle limit, if given.
    pub idle_time_limit: Option<f64>,
}

/// A whole recording, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cast {
    pub header: Header,
    pub events: Vec<Event>,
}

/// Why a recording is refused; `line` counts from 1 (the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CastError {
    /// Larger than [`MAX_CAST_BYTES`].
    TooLarge,
    /// No header line at all.
    Empty,
    /// Line `line` is wrong: `problem` says how.
    Line { line: usize, problem: Key },
}

impl From<CastError> for crate::Error {
    fn from(e: CastError) -> Self {
        match e {
            CastError::TooLarge => crate::Error::Invalid(Key::CastTooLarge),
            CastError::Empty => crate::Error::Invalid(Key::CastEmpty),
            CastError::Line { line, problem } => crate::Error::BadRecording { line, problem },
        }
    }
}

fn bad(line: usize, problem: Key) -> CastError {
    CastError::Line { line, problem }
}

/// `"COLSxROWS"` within the limits.
fn parse_size(s: &str) -> Option<(u16, u16)> {
    let (c, r) = s.split_once('x')?;
    let (c, r): (u16, u16) = (c.trim().parse().ok()?, r.trim().parse().ok()?);
    valid_size(c as u64, r as u64).then_some((c, r))
}

fn valid_size(cols: u64, rows: u64) -> bool {
    (1..=MAX_CAST_COLS as u64).contains(&cols) && (1..=MAX_CAST_ROWS as u64).contains(&rows)
}

/// Reads and checks a recording, line by line. Empty lines are skipped; event codes
/// other than `o`, `i`, `r`, `m` are ignored (as players do).
pub fn parse(bytes: &[u8]) -> Result<Cast, CastError> {
    if bytes.len() > MAX_CAST_BYTES {
        return Err(CastError::TooLarge);
    }
    let mut lines = bytes.split(|b| *b == b'\n').enumerate();
    let header = loop {
        let Some((i, raw)) = lines.next() else {
            return Err(CastError::Empty);
        };
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        break parse_header(i + 1, raw)?;
    };
    let mut events = Vec::new();
    let mut last = 0.0f64;
    for (i, raw) in lines {
        let line = i + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let v: Value = serde_json::from_slice(raw).map_err(|_| bad(line, Key::CastProbJson))?;
        let Value::Array(items) = v else {
            return Err(bad(line, Key::CastProbEvent));
        };
        let [time, code, data] = items.as_slice() else {
            return Err(bad(line, Key::CastProbEvent));
        };
        let (Some(time), Some(code), Some(data)) = (time.as_f64(), code.as_str(), data.as_str())
        else {
            return Err(bad(line, Key::CastProbEvent));
        };
        if !time.is_finite() || time < 0.0 {
            return Err(bad(line, Key::CastProbTime));
        }
        if time < last {
            return Err(bad(line, Key::CastProbBackwards));
        }
        last = time;
        let Some(kind) = EventKind::parse(code) else {
            continue;
        };
        if kind == EventKind::Resize && parse_size(data).is_none() {
            return Err(bad(line, Key::CastProbSize));
        }
        events.push(Event {
            time,
            kind,
            data: data.to_string(),
        });
    }
    Ok(Cast { header, events })
}

fn parse_header(line: usize, raw: &[u8]) -> Result<Header, CastError> {
    let v: Value = serde_json::from_slice(raw).map_err(|_| bad(line, Key::CastProbJson))?;
    let Value::Object(h) = v else {
        return Err(bad(line, Key::CastProbHeader));
    };
    if h.get("version").and_then(Value::as_u64) != Some(2) {
        return Err(bad(line, Key::CastProbVersion));
    }
    let (Some(w), Some(hh)) = (
        h.get("width").and_then(Value::as_u64),
        h.get("height").and_then(Value::as_u64),
    ) else {
        return Err(bad(line, Key::CastProbHeader));
    };
    if !valid_size(w, hh) {
        return Err(bad(line, Key::CastProbSize));
    }
    Ok(Header {
        width: w as u16,
        height: hh as u16,
        timestamp: h.get("timestamp").and_then(Value::as_i64),
        title: h
            .get("title")
            .and_then(Value::as_str)
            .map(|t| crate::sanitize::line(t).chars().take(200).collect()),
        idle_time_limit: h
            .get("idle_time_limit")
            .and_then(Value::as_f64)
            .filter(|l| l.is_finite() && *l > 0.0),
    })
}

/// A recording ready to replay: event times with long idle gaps shortened.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub width: u16,
    pub height: u16,
    /// The events, at their replay times (non-decreasing).
    pub events: Vec<Event>,
}

impl Timeline {
    /// Replay length in seconds.
    pub fn duration(&self) -> f64 {
        self.events.last().map_or(0.0, |e| e.time)
    }

    /// The markers (replay time, label).
    pub fn markers(&self) -> impl Iterator<Item = (f64, &str)> {
        self.events
            .iter()
            .filter(|e| e.kind == EventKind::Marker)
            .map(|e| (e.time, e.data.as_str()))
    }

    /// The first marker strictly after `t`, if any.
    pub fn next_marker(&self, t: f64) -> Option<(f64, &str)> {
        self.markers().find(|(at, _)| *at > t + 1e-6)
    }

    /// The last marker at or before `t`, if any (what the progress line names).
    pub fn marker_at(&self, t: f64) -> Option<&str> {
        self.markers()
            .take_while(|(at, _)| *at <= t + 1e-6)
            .last()
            .map(|(_, l)| l)
    }
}

impl Cast {
    /// The replay timeline: every gap longer than [`IDLE_CAP`] (or the header's
    /// `idle_time_limit` when smaller) is shortened to it.
    pub fn timeline(&self) -> Timeline {
        let cap = self
            .header
            .idle_time_limit
            .map_or(IDLE_CAP, |l| l.min(IDLE_CAP));
        let mut events = Vec::with_capacity(self.events.len());
        let (mut prev, mut at) = (0.0f64, 0.0f64);
        for e in &self.events {
            at += (e.time - prev).clamp(0.0, cap);
            prev = e.time;
            events.push(Event {
                time: at,
                ..e.clone()
            });
        }
        Timeline {
            width: self.header.width,
            height: self.header.height,
            events,
        }
    }
}

/// Records a terminal in asciicast v2 as it goes. Times are given by the caller (the
/// time since recording started, e.g. `started.elapsed()`), so paused spans are cut out:
/// what is sent while paused is dropped and the timeline resumes where it stopped.
/// Output bytes may split a UTF-8 character between two calls: the tail is kept for the
/// next call; invalid bytes become U+FFFD. Each event is one `write_all` of one line.
pub struct Writer<W: Write> {
    out: W,
    /// Time spent paused so far (subtracted from every event).
    paused_total: Duration,
    /// When the current pause started, and the size then.
    paused_at: Option<(Duration, (u16, u16))>,
    /// Last event time written (events never go backwards).
    last: f64,
    /// An incomplete UTF-8 sequence from the previous output.
    carry: Vec<u8>,
    width: u16,
    height: u16,
}

impl<W: Write> Writer<W> {
    /// Starts a recording: writes the header. The size is clamped to the limits.
    pub fn new(
        mut out: W,
        width: u16,
        height: u16,
        timestamp: Option<i64>,
        title: Option<&str>,
    ) -> std::io::Result<Self> {
        let (width, height) = clamp_size(width, height);
        let mut header = serde_json::json!({"version": 2, "width": width, "height": height});
        if let Some(ts) = timestamp {
            header["timestamp"] = ts.into();
        }
        if let Some(t) = title {
            header["title"] = crate::sanitize::line(t).into_owned().into();
        }
        let mut line = serde_json::to_vec(&header).map_err(std::io::Error::other)?;
        line.push(b'\n');
        out.write_all(&line)?;
        Ok(Writer {
            out,
            paused_total: Duration::ZERO,
            paused_at: None,
            last: 0.0,
            carry: Vec::new(),
            width,
            height,
        })
    }

    /// Whether the recording is paused.
    pub fn is_paused(&self) -> bool {
        self.paused_at.is_some()
    }

    /// The current size.
    pub fn size(&self) -> (u16, u16) {
        (self.width, self.height)
    }

    /// The recording time of the wall time `at` (paused spans cut out).
    fn time(&mut self, at: Duration) -> f64 {
        let t = at.saturating_sub(self.paused_total).as_secs_f64();
        // Microsecond precision, as asciinema writes; never backwards.
        let t = ((t * 1e6).round() / 1e6).max(self.last);
        self.last = t;
        t
    }

    fn event(&mut self, at: Duration, kind: EventKind, data: &str) -> std::io::Result<()> {
        let t = self.time(at);
        let mut line =
            serde_json::to_vec(&(t, kind.code(), data)).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.out.write_all(&line)
    }

    /// Terminal output at `at`. Dropped while paused.
    pub fn output(&mut self, at: Duration, bytes: &[u8]) -> std::io::Result<()> {
        if self.is_paused() {
            return Ok(());
        }
        let mut buf = std::mem::take(&mut self.carry);
        buf.extend_from_slice(bytes);
        // Keep an incomplete UTF-8 sequence at the end for the next call.
        let keep = incomplete_tail(&buf);
        self.carry = buf.split_off(buf.len() - keep);
        if buf.is_empty() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&buf);
        self.event(at, EventKind::Output, &text)
    }

    /// The terminal was resized (clamped to the limits). Dropped while paused, but the
    /// size is kept and written on resume.
    pub fn resize(&mut self, at: Duration, width: u16, height: u16) -> std::io::Result<()> {
        let (w, h) = clamp_size(width, height);
        if (w, h) == (self.width, self.height) {
            return Ok(());
        }
        self.width = w;
        self.height = h;
        if self.is_paused() {
            return Ok(());
        }
        self.event(at, EventKind::Resize, &format!("{w}x{h}"))
    }

    /// A marker (e.g. « Étape 2 »), cleaned to one line.
    pub fn marker(&mut self, at: Duration, label: &str) -> std::io::Result<()> {
        let label: String = crate::sanitize::line(label).chars().take(200).collect();
        self.event(at, EventKind::Marker, &label)
    }

    /// Pauses: time stops and output is dropped until [`Writer::resume`].
    pub fn pause(&mut self, at: Duration) {
        if self.paused_at.is_none() {
            self.paused_at = Some((at, (self.width, self.height)));
        }
    }

    /// Resumes after a pause: the paused span is cut out of the timeline; a size that
    /// changed while paused is written then.
    pub fn resume(&mut self, at: Duration) -> std::io::Result<()> {
        if let Some((p, size)) = self.paused_at.take() {
            self.paused_total += at.saturating_sub(p);
            if size != (self.width, self.height) {
                let size = format!("{}x{}", self.width, self.height);
                self.event(at, EventKind::Resize, &size)?;
            }
        }
        Ok(())
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    /// The output as it is, without writing anything more (a recording stopped early,
    /// e.g. at a size limit: every event written so far is whole).
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Ends the recording (what is left of a split character is written as U+FFFD).
    pub fn finish(mut self, at: Duration) -> std::io::Result<W> {
        if !self.carry.is_empty() && !self.is_paused() {
            let rest = std::mem::take(&mut self.carry);
            self.event(at, EventKind::Output, &String::from_utf8_lossy(&rest))?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A size within the limits (at least 1×1).
pub fn clamp_size(width: u16, height: u16) -> (u16, u16) {
    (
        width.clamp(1, MAX_CAST_COLS),
        height.clamp(1, MAX_CAST_ROWS),
    )
}

/// How many bytes at the end of `b` start a UTF-8 character not finished yet (0 to 3).
fn incomplete_tail(b: &[u8]) -> usize {
    for back in 1..=3.min(b.len()) {
        let c = b[b.len() - back];
        if c & 0xC0 == 0x80 {
            continue; // continuation byte: look further back
        }
        let need = match c {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return 0,
        };
        return if need > back { back } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    fn line_of(bytes: &[u8]) -> (usize, Key) {
        match parse(bytes) {
            Err(CastError::Line { line, problem }) => (line, problem),
            other => panic!("expected a line error, got {other:?}"),
        }
    }

    const HEADER: &str =
        "{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": 1700000000}\n";

    #[test]
    fn a_good_recording_parses() {
        let cast = format!(
            "{HEADER}[0.5, \"o\", \"$ ls\\r\\n\"]\n[1.0, \"i\", \"q\"]\n[1.5, \"r\", \"100x30\"]\n\
             [2.0, \"m\", \"Étape 2\"]\n[2.0, \"x\", \"0\"]\n\n"
        );
        let c = parse(cast.as_bytes()).unwrap();
        assert_eq!((c.header.width, c.header.height), (80, 24));
        assert_eq!(c.header.timestamp, Some(1_700_000_000));
        assert_eq!(c.events.len(), 4, "the unknown code is skipped");
        assert_eq!(c.events[0].data, "$ ls\r\n");
        assert_eq!(c.events[2].size(), Some((100, 30)));
        assert_eq!(c.events[3].kind, EventKind::Marker);
    }

    #[test]
    fn each_refusal_names_its_line() {
        assert_eq!(line_of(b"not json\n"), (1, Key::CastProbJson));
        assert_eq!(
            line_of(b"{\"version\": 3, \"term\": {\"cols\": 80, \"rows\": 24}}\n"),
            (1, Key::CastProbVersion)
        );
        assert_eq!(
            line_of(b"{\"version\": 1, \"width\": 80, \"height\": 24}\n"),
            (1, Key::CastProbVersion)
        );
        assert_eq!(
            line_of(b"{\"version\": 2, \"width\": 100000, \"height\": 24}\n"),
            (1, Key::CastProbSize)
        );
        assert_eq!(
            line_of(b"{\"version\": 2, \"width\": 0, \"height\": 24}\n"),
            (1, Key::CastProbSize)
        );
        assert_eq!(line_of(b"[1, 2]\n"), (1, Key::CastProbHeader));
        let with = |body: &str| format!("{HEADER}[0.1, \"o\", \"a\"]\n{body}\n");
        assert_eq!(
            line_of(with("[0.2, \"o\", \"b\"").as_bytes()),
            (3, Key::CastProbJson)
        );
        assert_eq!(
            line_of(with("[0.2, \"o\"]").as_bytes()),
            (3, Key::CastProbEvent)
        );
        assert_eq!(
            line_of(with("{\"t\": 1}").as_bytes()),
            (3, Key::CastProbEvent)
        );
        assert_eq!(
            line_of(with("[\"0.2\", \"o\", \"b\"]").as_bytes()),
            (3, Key::CastProbEvent)
        );
        assert_eq!(
            line_of(with("[0.05, \"o\", \"b\"]").as_bytes()),
            (3, Key::CastProbBackwards)
        );
        assert_eq!(
            line_of(with("[-1, \"o\", \"b\"]").as_bytes()),
            (3, Key::CastProbTime)
        );
        assert_eq!(
            line_of(with("[0.2, \"r\", \"65535x65535\"]").as_bytes()),
            (3, Key::CastProbSize)
        );
        assert_eq!(
            line_of(with("[0.2, \"r\", \"wide\"]").as_bytes()),
            (3, Key::CastProbSize)
        );
        // Blank lines count: the error names the line as an editor shows it.
        assert_eq!(
            line_of(format!("{HEADER}\n\n[oops\n").as_bytes()),
            (4, Key::CastProbJson)
        );
        assert_eq!(parse(b""), Err(CastError::Empty));
        assert_eq!(parse(b"\n \n"), Err(CastError::Empty));
        let huge = vec![b' '; MAX_CAST_BYTES + 1];
        assert_eq!(parse(&huge), Err(CastError::TooLarge));
    }

    #[test]
    fn the_error_message_names_the_line() {
        let e: crate::Error = parse(format!("{HEADER}[1, \"o\"\n").as_bytes())
            .unwrap_err()
            .into();
        let fr = e.user_message(crate::Lang::Fr);
        assert!(fr.contains("ligne 2"), "{fr}");
        let en = e.user_message(crate::Lang::En);
        assert!(en.contains("line 2"), "{en}");
    }

    #[test]
    fn writer_round_trip_cuts_pauses_and_keeps_markers() {
        let mut w = Writer::new(
            Vec::new(),
            80,
            24,
            Some(1_700_000_000),
            Some("Démo\x1b]0;x\x07"),
        )
        .unwrap();
        w.output(secs(0.5), b"$ echo hi\r\n").unwrap();
        w.marker(secs(1.0), "Étape 2").unwrap();
        w.pause(secs(2.0));
        w.output(secs(3.0), b"SECRET\r\n").unwrap();
        w.resize(secs(4.0), 100, 30).unwrap();
        w.resume(secs(12.0)).unwrap();
        w.output(secs(12.5), b"hi\r\n").unwrap();
        // A character split across two writes.
        let e = "é".as_bytes();
        w.output(secs(13.0), &[b'x', e[0]]).unwrap();
        w.output(secs(13.1), &[e[1]]).unwrap();
        w.resize(secs(14.0), 9999, 9999).unwrap();
        let bytes = w.finish(secs(15.0)).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(!text.contains("SECRET"), "paused output is dropped");
        assert!(!text.contains('\x1b'), "the title is cleaned");
        let c = parse(&bytes).unwrap();
        assert_eq!(c.header.timestamp, Some(1_700_000_000));
        let got: Vec<(f64, &str, &str)> = c
            .events
            .iter()
            .map(|e| (e.time, e.kind.code(), e.data.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (0.5, "o", "$ echo hi\r\n"),
                (1.0, "m", "Étape 2"),
                (2.0, "r", "100x30"),
                (2.5, "o", "hi\r\n"),
                (3.0, "o", "x"),
                (3.1, "o", "é"),
                (4.0, "r", &format!("{MAX_CAST_COLS}x{MAX_CAST_ROWS}")),
            ]
        );
    }

    #[test]
    fn idle_gaps_are_shortened_at_replay() {
        let cast = format!(
            "{HEADER}[1.0, \"o\", \"a\"]\n[61.0, \"m\", \"Étape 2\"]\n[61.5, \"o\", \"b\"]\n[70.0, \"o\", \"c\"]\n"
        );
        let t = parse(cast.as_bytes()).unwrap().timeline();
        let times: Vec<f64> = t.events.iter().map(|e| e.time).collect();
        assert_eq!(times, vec![1.0, 3.0, 3.5, 5.5]);
        assert_eq!(t.duration(), 5.5);
        assert_eq!(t.next_marker(0.0), Some((3.0, "Étape 2")));
        assert_eq!(t.next_marker(3.0), None);
        assert_eq!(t.marker_at(2.0), None);
        assert_eq!(t.marker_at(4.0), Some("Étape 2"));
        // The recorder's own smaller limit wins.
        let own = cast.replace("\"timestamp\"", "\"idle_time_limit\": 0.5, \"timestamp\"");
        let t = parse(own.as_bytes()).unwrap().timeline();
        assert_eq!(t.events.last().unwrap().time, 2.0);
    }

    #[test]
    fn incomplete_utf8_tails() {
        assert_eq!(incomplete_tail(b"abc"), 0);
        assert_eq!(incomplete_tail(&[b'a', 0xC3]), 1);
        assert_eq!(incomplete_tail("é".as_bytes()), 0);
        assert_eq!(incomplete_tail(&[0xE2, 0x82]), 2);
        assert_eq!(incomplete_tail(&[0xF0, 0x9F, 0x98]), 3);
        assert_eq!(incomplete_tail(&[0xFF]), 0);
    }
}
