//! Fuzzes the terminal input decoder of the SSH sessions (`portail_ssh::input`): bytes as
//! a client sends them → keys and pastes. Any bytes, cut into packets anywhere, must never
//! panic, and must decode to the same inputs however they are cut (the decoder keeps a
//! carry-over buffer for sequences and UTF-8 split across packets).
#![no_main]

use libfuzzer_sys::fuzz_target;
use portail_ssh::input::{InputDecoder, MAX_PASTE};
use portail_tui::Input;

fn decode(chunks: &[&[u8]]) -> Vec<Input> {
    let mut d = InputDecoder::new();
    let mut out = Vec::new();
    for c in chunks {
        d.feed(c, &mut out);
    }
    // The session's timer: a lone ESC left at the end is the Esc key.
    if let Some(esc) = d.flush_escape() {
        out.push(esc);
    }
    assert!(!d.has_pending_escape());
    out
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks where the packets are cut; the rest is what the client sent.
    let Some((&seed, bytes)) = data.split_first() else {
        return;
    };
    let whole = decode(&[bytes]);

    // Each key or paste consumes at least one byte; ESC ESC is two Esc presses.
    assert!(whole.len() <= 2 * bytes.len());
    for input in &whole {
        if let Input::Paste(text) = input {
            assert!(text.len() <= MAX_PASTE);
        }
    }

    let one_by_one: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(decode(&one_by_one), whole, "byte by byte");

    // Cuts every 1..=16 bytes, varying along the input.
    let mut chunks = Vec::new();
    let (mut at, mut x) = (0usize, seed as usize | 1);
    while at < bytes.len() {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let n = ((x >> 16) % 16 + 1).min(bytes.len() - at);
        chunks.push(&bytes[at..at + n]);
        at += n;
    }
    assert_eq!(decode(&chunks), whole, "cut into {chunks:?}");
});
