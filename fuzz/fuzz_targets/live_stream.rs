//! Fuzzes a live demo's stream input (`portail::live`): any bytes the trainer's side
//! sends, cut anywhere, must never panic, keep the virtual screen within its limits, and
//! leave no terminal control in a cell a watcher draws.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portail::live::LiveDemo;
use portail::sanitize::is_dangerous;
use portail::validate::{MAX_LIVE_COLS, MAX_LIVE_ROWS};

fuzz_target!(|data: &[u8]| {
    let Some((&cut, bytes)) = data.split_first() else {
        return;
    };
    let live = LiveDemo::new(1, 80, 24);
    for piece in bytes.chunks(cut as usize + 1) {
        live.feed(piece);
    }
    let (c, r) = live.size();
    assert!(c <= MAX_LIVE_COLS && r <= MAX_LIVE_ROWS);
    let s = live.screen();
    assert_eq!(s.cells.len(), s.cols as usize * s.rows as usize);
    assert!(s.cells.iter().all(|c| !c.text.chars().any(is_dangerous)));
});
