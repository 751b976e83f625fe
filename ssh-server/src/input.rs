//! Terminal input decoding: raw bytes from the SSH channel → key and paste events.
//!
//! Uses `terminput`'s parser (crossterm's, without stdin) incrementally, with a carry-over
//! buffer so escape sequences and UTF-8 characters split across packets are reassembled,
//! several keys per packet are all seen, and unknown or broken sequences are dropped.

use portail_tui::Input;
use terminput::{Event, KeyCode, KeyEventKind, KeyModifiers};

/// Longest escape sequence kept while waiting for its end.
const MAX_SEQUENCE: usize = 64;
/// Longest bracketed paste accepted (beyond it the paste is dropped whole): as large as
/// an import file, since the Import screen takes a pasted spreadsheet.
pub const MAX_PASTE: usize = portail::import::MAX_INPUT + 64;

const PASTE_END: &[u8] = b"\x1b[201~";

#[derive(Debug, Default)]
pub struct InputDecoder {
    buf: Vec<u8>,
    /// Inside a paste that went over `MAX_PASTE`: bytes are dropped until its end marker,
    /// so the rest of the paste never turns into keystrokes.
    skipping_paste: bool,
}

impl InputDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A lone ESC is waiting: it is the Esc key unless more bytes follow quickly.
    pub fn has_pending_escape(&self) -> bool {
        self.buf == [0x1b]
    }

    /// Called when no byte followed a lone ESC in time.
    pub fn flush_escape(&mut self) -> Option<Input> {
        if self.has_pending_escape() {
            self.buf.clear();
            return Some(Input::Key(terminput::KeyEvent::new(KeyCode::Esc)));
        }
        None
    }

    pub fn feed(&mut self, data: &[u8], out: &mut Vec<Input>) {
        for (i, &byte) in data.iter().enumerate() {
            if self.skipping_paste {
                // Keep only what could be the start of the end marker.
                self.buf.push(byte);
                if self.buf.ends_with(PASTE_END) {
                    self.skipping_paste = false;
                    self.buf.clear();
                } else if self.buf.len() >= PASTE_END.len() {
                    self.buf.drain(..self.buf.len() + 1 - PASTE_END.len());
                }
                continue;
            }
            self.buf.push(byte);
            let more = i + 1 < data.len();
            // ESC alone at the end of a packet: wait (it may start a sequence).
            if self.buf == [0x1b] {
                if more {
                    continue;
                }
                return;
            }
            // Mouse reports are never asked for; and terminput's parser of the SGR and
            // rxvt forms underflows on a 0 coordinate (found by the `input` fuzz target).
            if is_mouse_report(&self.buf) {
                self.buf.clear();
                continue;
            }
            let in_paste = self.buf.starts_with(b"\x1b[200~");
            match Event::parse_from(&self.buf) {
                Ok(Some(event)) => {
                    self.buf.clear();
                    convert(event, out);
                }
                Ok(None) if in_paste => {
                    if self.buf.len() > MAX_PASTE {
                        self.buf.clear();
                        self.skipping_paste = true;
                    }
                }
                Ok(None) => {
                    if self.buf.len() > MAX_SEQUENCE {
                        self.buf.clear();
                    }
                }
                Err(_) => self.buf.clear(),
            }
        }
    }
}

/// A mouse report as terminput's parser would route it: `ESC [ <` … `M|m` (SGR) or
/// `ESC [` digit … `M` (rxvt), outside a paste. (The X10 form, `ESC [ M` and three raw
/// bytes, is left to the parser, which handles it safely.)
fn is_mouse_report(buf: &[u8]) -> bool {
    match buf {
        [0x1b, b'[', b'<', .., b'M' | b'm'] => true,
        [0x1b, b'[', b'0'..=b'9', .., b'M'] => !buf.starts_with(b"\x1b[200~"),
        _ => false,
    }
}

fn convert(event: Event, out: &mut Vec<Input>) {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            // ESC ESC is two Esc presses typed quickly, not Alt-Esc.
            if key.code == KeyCode::Esc && key.modifiers.contains(KeyModifiers::ALT) {
                let esc = Input::Key(terminput::KeyEvent::new(KeyCode::Esc));
                out.push(esc.clone());
                out.push(esc);
            } else {
                out.push(Input::Key(key));
            }
        }
        Event::Paste(text) => out.push(Input::Paste(text)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use terminput::KeyEvent;

    fn keys(chunks: &[&[u8]]) -> Vec<Input> {
        let mut d = InputDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.feed(c, &mut out);
        }
        out
    }

    fn k(code: KeyCode) -> Input {
        Input::Key(KeyEvent::new(code))
    }

    #[test]
    fn several_keys_per_packet_and_both_cursor_modes() {
        assert_eq!(
            keys(&[b"ab\x1b[A\x1bOB\r"]),
            vec![
                k(KeyCode::Char('a')),
                k(KeyCode::Char('b')),
                k(KeyCode::Up),
                k(KeyCode::Down),
                k(KeyCode::Enter)
            ]
        );
    }

    #[test]
    fn sequences_and_utf8_split_across_packets() {
        assert_eq!(keys(&[b"\x1b", b"[", b"B"]), vec![k(KeyCode::Down)]);
        let e = "é".as_bytes();
        assert_eq!(keys(&[&e[..1], &e[1..]]), vec![k(KeyCode::Char('é'))]);
        let emoji = "😀".as_bytes();
        assert_eq!(
            keys(&[&emoji[..2], &emoji[2..]]),
            vec![k(KeyCode::Char('😀'))]
        );
    }

    #[test]
    fn lone_escape_waits_for_the_timer() {
        let mut d = InputDecoder::new();
        let mut out = Vec::new();
        d.feed(b"\x1b", &mut out);
        assert!(out.is_empty() && d.has_pending_escape());
        assert_eq!(d.flush_escape(), Some(k(KeyCode::Esc)));
        assert!(!d.has_pending_escape());
    }

    #[test]
    fn bracketed_paste_across_packets() {
        let out = keys(&[b"\x1b[200~bonjour ", b"\xc3\xa0 tous\x1b[201", b"~x"]);
        assert_eq!(
            out,
            vec![Input::Paste("bonjour à tous".into()), k(KeyCode::Char('x'))]
        );
    }

    #[test]
    fn oversized_paste_is_dropped_whole_never_typed() {
        let mut big = b"\x1b[200~".to_vec();
        big.extend(std::iter::repeat_n(b'q', MAX_PASTE + 10_000));
        big.extend_from_slice(b"\x1b[201~");
        let mut d = InputDecoder::new();
        let mut out = Vec::new();
        for chunk in big.chunks(1000) {
            d.feed(chunk, &mut out);
        }
        assert!(out.is_empty(), "{} inputs leaked", out.len());
        d.feed(b"a", &mut out);
        assert_eq!(out, vec![k(KeyCode::Char('a'))]);
    }

    #[test]
    fn double_escape_is_two_presses() {
        assert_eq!(keys(&[b"\x1b\x1b"]), vec![k(KeyCode::Esc), k(KeyCode::Esc)]);
    }

    #[test]
    fn garbage_is_dropped_and_decoding_recovers() {
        let mut d = InputDecoder::new();
        let mut out = Vec::new();
        d.feed(
            b"\x1b[99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99;99",
            &mut out,
        );
        d.feed(&[0xff, 0xfe, 0x80], &mut out);
        d.feed(b"\x1b[\x1b[9999999999Z\x1b[<1;2", &mut out);
        out.clear();
        // At most one sequence's worth of bytes is absorbed, then keys come through again.
        d.feed(&[b'z'; MAX_SEQUENCE + 2], &mut out);
        assert_eq!(out.last(), Some(&k(KeyCode::Char('z'))));
    }

    #[test]
    fn mouse_reports_are_dropped_even_with_zero_coordinates() {
        // Each of these panicked in terminput's parser (subtract with overflow).
        assert_eq!(
            keys(&[b"\x1b[<0;10;0M\x1b[<0;0;5m\x1b[32;0;0Ma\x1b[<0;0;5((((M\x1b[32;0(0M"]),
            vec![k(KeyCode::Char('a'))]
        );
        assert_eq!(
            keys(&[b"\x1b[<0;1", b"0;0M", b"b"]),
            vec![k(KeyCode::Char('b'))]
        );
        // A paste holding such bytes is still a paste.
        assert_eq!(
            keys(&[b"\x1b[200~\x1b[<0;0;0M\x1b[201~"]),
            vec![Input::Paste("\x1b[<0;0;0M".into())]
        );
        // Keys that look alike still come through.
        assert_eq!(
            keys(&[b"\x1b[1;5A\x1b[3~"]),
            vec![
                Input::Key(KeyEvent::new(KeyCode::Up).modifiers(KeyModifiers::CTRL)),
                k(KeyCode::Delete)
            ]
        );
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut d = InputDecoder::new();
        let mut out = Vec::new();
        let mut x: u32 = 12345;
        for _ in 0..50_000 {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            let n = (x >> 28) as usize + 1;
            let bytes: Vec<u8> = (0..n).map(|i| (x >> (i % 24)) as u8).collect();
            d.feed(&bytes, &mut out);
            assert!(d.buf.len() <= MAX_PASTE + 1);
        }
    }
}
