//! The recording of a live demo, written as it goes.
//!
//! While a demo is on the air, its [`crate::live::LiveDemo`] hands every byte of the
//! trainer's stream, every size change, pause, resume and marker to one [`Recorder`],
//! which writes them with [`asciicast::Writer`] (paused spans cut out, what is sent while
//! paused dropped) into a temporary file under `<data dir>/`[`RECORDINGS_DIR`] — on disk,
//! never in memory. The file is bounded: once the next event would take it past the
//! limit ([`crate::validate::MAX_CAST_BYTES`]) recording stops (a warning is logged), the
//! broadcast goes on, and what was recorded so far stays a valid recording.
//!
//! When the demo ends, [`Recorder::finish`] gives the recording's bytes and the service
//! stores them like an upload (see `services::live_demos`). The temporary file is removed
//! when the recorder is dropped; one left by a crash is never attached to anything and is
//! removed at the next start ([`clean_leftovers`]).

use std::io::{BufWriter, Read, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use tempfile::NamedTempFile;

use crate::asciicast::Writer;

/// Where recordings in progress are written, under the data directory.
pub const RECORDINGS_DIR: &str = "live-recordings";

/// The limit was reached: this event was not written.
#[derive(Debug)]
struct LimitReached;

impl std::fmt::Display for LimitReached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("recording size limit reached")
    }
}

impl std::error::Error for LimitReached {}

/// Passes whole writes through while they fit under `limit` bytes in all; refuses (and
/// writes nothing of) the first one that does not. [`Writer`] writes one event per
/// `write_all`, so the file always ends with a whole event.
struct Capped<W> {
    inner: W,
    written: usize,
    limit: usize,
}

impl<W: Write> Write for Capped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written.saturating_add(buf.len()) > self.limit {
            return Err(std::io::Error::other(LimitReached));
        }
        self.inner.write_all(buf)?;
        self.written += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn is_limit(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<LimitReached>())
}

type FileWriter = Writer<Capped<BufWriter<NamedTempFile>>>;

/// Where the recording stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecState {
    Recording,
    /// The size limit was reached: what came before is kept, nothing more is written.
    Full,
    /// Writing failed (disk): nothing will be stored.
    Failed,
}

/// A live demo's recording in progress (see the module's documentation).
pub struct Recorder {
    demo_id: i64,
    writer: Option<FileWriter>,
    state: RecState,
    started: Instant,
    /// Output events written (a broadcast that showed nothing stores nothing).
    outputs: usize,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("demo_id", &self.demo_id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// Starts recording demo `demo_id` at `cols × rows` into a new temporary file under
    /// `data_dir/`[`RECORDINGS_DIR`], at most `limit` bytes.
    pub fn create(
        data_dir: &Path,
        demo_id: i64,
        cols: u16,
        rows: u16,
        title: &str,
        limit: usize,
    ) -> std::io::Result<Recorder> {
        let dir = data_dir.join(RECORDINGS_DIR);
        std::fs::create_dir_all(&dir)?;
        let file = tempfile::Builder::new()
            .prefix(&format!("demo-{demo_id}-"))
            .suffix(".cast.part")
            .tempfile_in(&dir)?;
        let out = Capped {
            inner: BufWriter::with_capacity(64 * 1024, file),
            written: 0,
            limit,
        };
        let writer = Writer::new(
            out,
            cols,
            rows,
            Some(chrono::Utc::now().timestamp()),
            Some(title),
        )?;
        Ok(Recorder {
            demo_id,
            writer: Some(writer),
            state: RecState::Recording,
            started: Instant::now(),
            outputs: 0,
        })
    }

    pub fn state(&self) -> RecState {
        self.state
    }

    /// Writes one thing while recording; the limit stops recording, an error abandons it.
    fn apply(&mut self, f: impl FnOnce(&mut FileWriter, Duration) -> std::io::Result<()>) {
        if self.state != RecState::Recording {
            return;
        }
        let at = self.started.elapsed();
        let Some(w) = self.writer.as_mut() else {
            return;
        };
        match f(w, at) {
            Ok(()) => {}
            Err(e) if is_limit(&e) => {
                tracing::warn!(
                    "démo {} : l'enregistrement a atteint sa taille maximale ; il s'arrête, la diffusion continue",
                    self.demo_id
                );
                self.state = RecState::Full;
            }
            Err(e) => {
                tracing::warn!(
                    "démo {} : écriture de l'enregistrement impossible ({e}) ; la diffusion continue sans enregistrement",
                    self.demo_id
                );
                self.state = RecState::Failed;
                self.writer = None;
            }
        }
    }

    /// The trainer's output bytes (dropped while paused).
    pub fn output(&mut self, bytes: &[u8]) {
        let paused = self.writer.as_ref().is_some_and(|w| w.is_paused());
        self.apply(|w, at| w.output(at, bytes));
        if !paused && self.state == RecState::Recording {
            self.outputs += 1;
        }
    }

    /// The terminal's size changed (written only if it differs).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.apply(|w, at| w.resize(at, cols, rows));
    }

    /// A marker; false if the recording has stopped (limit or error).
    pub fn marker(&mut self, label: &str) -> bool {
        self.apply(|w, at| w.marker(at, label));
        self.state == RecState::Recording
    }

    pub fn pause(&mut self) {
        let at = self.started.elapsed();
        if let Some(w) = self.writer.as_mut() {
            w.pause(at);
        }
    }

    pub fn resume(&mut self) {
        self.apply(|w, at| w.resume(at));
    }

    /// Ends the recording: its bytes, or `None` when nothing was shown (or writing
    /// failed). Blocking (file I/O): call it off the async runtime. The temporary file is
    /// removed.
    pub fn finish(mut self) -> std::io::Result<Option<Vec<u8>>> {
        let at = self.started.elapsed();
        let Some(w) = self.writer.take() else {
            return Ok(None);
        };
        if self.outputs == 0 {
            return Ok(None);
        }
        let capped = match self.state {
            RecState::Recording => w.finish(at)?,
            _ => w.into_inner(),
        };
        let mut file = capped.inner.into_inner().map_err(|e| e.into_error())?;
        file.flush()?;
        file.rewind()?;
        let mut bytes = Vec::with_capacity(capped.written);
        file.as_file_mut().read_to_end(&mut bytes)?;
        Ok(Some(bytes))
    }
}

/// Removes recordings left in progress by a crash (at start, before any demo is live).
pub fn clean_leftovers(data_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(data_dir.join(RECORDINGS_DIR)) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().ends_with(".cast.part") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asciicast::{EventKind, parse};

    fn files_in(dir: &Path) -> usize {
        std::fs::read_dir(dir.join(RECORDINGS_DIR))
            .map(|d| d.count())
            .unwrap_or(0)
    }

    #[test]
    fn pauses_are_cut_out_and_markers_kept_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Recorder::create(dir.path(), 3, 80, 24, "Démo", 1 << 20).unwrap();
        assert_eq!(files_in(dir.path()), 1, "written to a file in the data dir");
        r.output(b"avant\r\n");
        assert!(r.marker("Étape 2"));
        r.pause();
        r.output(b"SECRET\r\n");
        std::thread::sleep(Duration::from_millis(400));
        r.resume();
        r.output(b"apres\r\n");
        r.resize(100, 30);
        let bytes = r.finish().unwrap().unwrap();
        assert_eq!(files_in(dir.path()), 0, "the temporary file is removed");
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(!text.contains("SECRET"), "{text}");
        let c = parse(&bytes).unwrap();
        assert_eq!(c.header.title.as_deref(), Some("Démo"));
        let kinds: Vec<(EventKind, &str)> =
            c.events.iter().map(|e| (e.kind, e.data.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (EventKind::Output, "avant\r\n"),
                (EventKind::Marker, "Étape 2"),
                (EventKind::Output, "apres\r\n"),
                (EventKind::Resize, "100x30"),
            ]
        );
        // The 400 ms pause is not in the timeline.
        assert!(c.events.last().unwrap().time < 0.3, "{:?}", c.events);
    }

    #[test]
    fn the_limit_stops_recording_and_keeps_a_valid_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Recorder::create(dir.path(), 3, 80, 24, "Démo", 2_000).unwrap();
        for i in 0..200 {
            r.output(format!("ligne {i}\r\n").as_bytes());
        }
        assert_eq!(r.state(), RecState::Full);
        assert!(!r.marker("trop tard"));
        let bytes = r.finish().unwrap().unwrap();
        assert!(bytes.len() <= 2_000, "{}", bytes.len());
        assert!(bytes.len() > 1_900, "{}", bytes.len());
        let c = parse(&bytes).unwrap();
        assert_eq!(c.events.first().unwrap().data, "ligne 0\r\n");
        assert!(c.events.iter().all(|e| e.kind == EventKind::Output));
        assert!(c.events.len() < 200);
    }

    #[test]
    fn nothing_shown_stores_nothing_and_leftovers_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Recorder::create(dir.path(), 3, 80, 24, "Démo", 1 << 20).unwrap();
        r.pause();
        r.output(b"only while paused");
        r.resume();
        assert_eq!(r.finish().unwrap(), None);
        // A crash leaves the file: the next start removes it.
        let r = Recorder::create(dir.path(), 4, 80, 24, "Démo", 1 << 20).unwrap();
        std::mem::forget(r);
        assert_eq!(files_in(dir.path()), 1);
        clean_leftovers(dir.path());
        assert_eq!(files_in(dir.path()), 0);
    }
}
