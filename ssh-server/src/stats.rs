//! Server-side measurements of the full-screen sessions, for the load benchmark and for
//! a trainer's `server stats [--json]`.
//!
//! Keystroke→frame latency: the session task notes when the first not-yet-drawn input
//! arrived (one `Instant::now()` per input packet) and sends that instant with the next
//! frame; the writer task records the time elapsed once `channel.data` has accepted the
//! frame. Recording takes one uncontended lock on a fixed-size histogram (no allocation),
//! off the input path. Counters are relaxed atomics.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Highest latency the histogram keeps exactly (larger values are clamped): one minute.
const MAX_MICROS: u64 = 60_000_000;

static KEY_TO_FRAME: LazyLock<Mutex<Histogram<u64>>> = LazyLock::new(|| {
    // Two significant digits: 1 % precision, a few KiB of counters.
    Mutex::new(Histogram::new_with_bounds(1, MAX_MICROS, 2).expect("valid histogram bounds"))
});
static FRAMES: AtomicU64 = AtomicU64::new(0);
static FRAME_BYTES: AtomicU64 = AtomicU64::new(0);
static KEY_FRAMES: AtomicU64 = AtomicU64::new(0);
static KEY_FRAME_BYTES: AtomicU64 = AtomicU64::new(0);

/// A frame of `bytes` was handed to the channel; `input_at` is when the oldest input it
/// reflects arrived (`None` for frames drawn for other reasons: events, results).
pub(crate) fn frame_written(bytes: usize, input_at: Option<tokio::time::Instant>) {
    FRAMES.fetch_add(1, Ordering::Relaxed);
    FRAME_BYTES.fetch_add(bytes as u64, Ordering::Relaxed);
    if let Some(at) = input_at {
        let micros = at.elapsed().as_micros().min(MAX_MICROS as u128) as u64;
        KEY_FRAMES.fetch_add(1, Ordering::Relaxed);
        KEY_FRAME_BYTES.fetch_add(bytes as u64, Ordering::Relaxed);
        if let Ok(mut h) = KEY_TO_FRAME.lock() {
            h.saturating_record(micros.max(1));
        }
    }
}

/// What `server stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    /// Frames answering input (a burst of keys drawn at once counts once).
    pub key_frames: u64,
    pub key_to_frame_p50_us: u64,
    pub key_to_frame_p90_us: u64,
    pub key_to_frame_p99_us: u64,
    pub key_to_frame_max_us: u64,
    /// Bytes of the frames answering input.
    pub key_frame_bytes: u64,
    /// Every frame written, for any reason.
    pub frames: u64,
    pub frame_bytes: u64,
    /// The server's resident memory (from /proc), in KiB; 0 where unknown.
    pub rss_kib: u64,
}

pub fn snapshot() -> Snapshot {
    let (p50, p90, p99, max) = match KEY_TO_FRAME.lock() {
        Ok(h) => (
            h.value_at_quantile(0.50),
            h.value_at_quantile(0.90),
            h.value_at_quantile(0.99),
            h.max(),
        ),
        Err(_) => (0, 0, 0, 0),
    };
    Snapshot {
        key_frames: KEY_FRAMES.load(Ordering::Relaxed),
        key_to_frame_p50_us: p50,
        key_to_frame_p90_us: p90,
        key_to_frame_p99_us: p99,
        key_to_frame_max_us: max,
        key_frame_bytes: KEY_FRAME_BYTES.load(Ordering::Relaxed),
        frames: FRAMES.load(Ordering::Relaxed),
        frame_bytes: FRAME_BYTES.load(Ordering::Relaxed),
        rss_kib: rss_kib(),
    }
}

/// Starts the measurements afresh.
pub fn reset() {
    if let Ok(mut h) = KEY_TO_FRAME.lock() {
        h.reset();
    }
    for c in [&FRAMES, &FRAME_BYTES, &KEY_FRAMES, &KEY_FRAME_BYTES] {
        c.store(0, Ordering::Relaxed);
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Human-readable form of a snapshot.
pub fn render(s: &Snapshot) -> String {
    let ms = |us: u64| Duration::from_micros(us).as_secs_f64() * 1000.0;
    let per_key = s.key_frame_bytes.checked_div(s.key_frames).unwrap_or(0);
    format!(
        "keystroke→frame: {} frames, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {} bytes per frame\n\
         frames: {} ({} KiB)\n\
         RSS: {} KiB\n",
        s.key_frames,
        ms(s.key_to_frame_p50_us),
        ms(s.key_to_frame_p90_us),
        ms(s.key_to_frame_p99_us),
        ms(s.key_to_frame_max_us),
        per_key,
        s.frames,
        s.frame_bytes / 1024,
        s.rss_kib,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_with_input_feed_the_histogram() {
        let before = snapshot();
        frame_written(100, None);
        frame_written(40, Some(tokio::time::Instant::now()));
        let after = snapshot();
        // Other tests in this binary may write frames meanwhile: compare by at least.
        assert!(after.frames >= before.frames + 2);
        assert!(after.key_frames > before.key_frames);
        assert!(after.key_frame_bytes >= before.key_frame_bytes + 40);
        assert!(render(&after).contains("keystroke→frame"));
    }
}
