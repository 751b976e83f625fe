//! Everything a user typed is data. These functions remove what a terminal would
//! interpret (C0/C1 controls, ESC sequences, bidi overrides) before text reaches anyone's
//! screen. One shared place, used by every screen and every exec output; [`is_dangerous`]
//! is the one definition of what is removed (or, in JSON, escaped).

use std::borrow::Cow;
use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

/// What a terminal or a reader could be fooled by: C0 controls (newline and tab included:
/// callers that keep them say so), DEL, C1 controls (U+0080–U+009F, among them the
/// one-character CSI U+009B), bidi embeddings, overrides, isolates and marks, and the
/// zero-width no-break space.
pub fn is_dangerous(c: char) -> bool {
    c.is_control() // C0, DEL and C1 (U+0080..=U+009F)
        || matches!(c,
            '\u{202A}'..='\u{202E}' // bidi embeddings / overrides
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{200E}' | '\u{200F}' | '\u{061C}' // directional marks
            | '\u{FEFF}' // BOM / zero-width no-break space
        )
}

/// One line of text: newlines and tabs become spaces, other controls are dropped.
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_dangerous) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if is_dangerous(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Multi-line text: keeps `\n`, turns tabs into four spaces, drops every other control.
pub fn multiline(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_dangerous(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if is_dangerous(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The text of a whole output stream (exec stdout and stderr, exports) in one piece: see
/// [`OutputStream`] for what is kept.
pub fn output(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && c != '\t' && is_dangerous(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    push_output(&mut out, s, true);
    Cow::Owned(out)
}

/// Appends `text` to `out`, keeping `\n`, `\t`, `\r` just before `\n` (CRLF line ends of
/// the output itself) and a byte-order mark as the very first character (the UTF-8 marker
/// Excel needs); every other dangerous character is dropped.
fn push_output(out: &mut String, text: &str, mut at_start: bool) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = !is_dangerous(c)
            || match c {
                '\n' | '\t' => true,
                '\r' => chars.peek() == Some(&'\n'),
                '\u{FEFF}' => at_start,
                _ => false,
            };
        if keep {
            out.push(c);
        }
        at_start = false;
    }
}

/// Cleans an output stream that arrives in pieces (a spooled report sent 32 KiB at a
/// time), with the rule of [`output`]: a character or a CRLF cut by a piece's end is held
/// back until the next piece; bytes that are not UTF-8 become U+FFFD.
#[derive(Debug, Default)]
pub struct OutputStream {
    pending: Vec<u8>,
    started: bool,
}

impl OutputStream {
    /// The cleaned text of everything complete so far.
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let mut decoded = String::new();
        let mut pos = 0;
        loop {
            match std::str::from_utf8(&self.pending[pos..]) {
                Ok(s) => {
                    decoded.push_str(s);
                    pos = self.pending.len();
                    break;
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    decoded.push_str(
                        std::str::from_utf8(&self.pending[pos..pos + good]).unwrap_or_default(),
                    );
                    pos += good;
                    match e.error_len() {
                        Some(n) => {
                            decoded.push('\u{FFFD}');
                            pos += n;
                        }
                        None => break, // a character cut in two: wait for its end
                    }
                }
            }
        }
        self.pending.drain(..pos);
        if self.pending.is_empty() && decoded.ends_with('\r') {
            decoded.pop();
            self.pending.push(b'\r');
        }
        self.clean(&decoded)
    }

    /// The cleaned text of whatever was held back, at the end of the stream.
    pub fn finish(&mut self) -> String {
        let rest = std::mem::take(&mut self.pending);
        let decoded = String::from_utf8_lossy(&rest).into_owned();
        self.clean(&decoded)
    }

    fn clean(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        push_output(&mut out, text, !self.started);
        self.started |= !text.is_empty();
        out
    }
}

/// A `serde_json` formatter that writes every [`is_dangerous`] character of a string as a
/// `\uXXXX` escape (serde_json escapes C0 itself, not C1 nor bidi): the value reads back
/// the same and no terminal ever sees the raw character. Wraps the layout of `F`.
pub struct EscapingFormatter<F>(pub F);

impl<F: Formatter> Formatter for EscapingFormatter<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_dangerous(c) {
                self.0.write_string_fragment(w, &fragment[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        self.0.write_string_fragment(w, &fragment[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

fn json_with<T: ?Sized + Serialize>(value: &T, f: impl Formatter) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(256);
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, f))?;
    String::from_utf8(out).map_err(serde::ser::Error::custom)
}

/// Indented JSON with every dangerous character escaped: what every JSON output uses.
pub fn json_pretty<T: ?Sized + Serialize>(value: &T) -> serde_json::Result<String> {
    json_with(
        value,
        EscapingFormatter(serde_json::ser::PrettyFormatter::new()),
    )
}

/// One-line JSON with every dangerous character escaped.
pub fn json_compact<T: ?Sized + Serialize>(value: &T) -> serde_json::Result<String> {
    json_with(value, EscapingFormatter(serde_json::ser::CompactFormatter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_bidi() {
        let evil = "a\x1b]52;c;SGVsbG8=\x07b\x1b[2Jc\u{202E}d\u{9b}e";
        let clean = line(evil);
        assert!(!clean.contains('\x1b'));
        assert!(!clean.contains('\x07'));
        assert!(!clean.contains('\u{202E}'));
        assert!(!clean.contains('\u{9b}'));
        assert_eq!(clean, "a]52;c;SGVsbG8=b[2Jcde");
    }

    #[test]
    fn keeps_plain_text_borrowed() {
        assert!(matches!(line("Élève 😀 中文"), Cow::Borrowed(_)));
    }

    #[test]
    fn multiline_keeps_newlines_only() {
        assert_eq!(multiline("a\nb\tc\r\x1bd"), "a\nb    cd");
        assert_eq!(line("a\nb"), "a b");
    }

    #[test]
    fn output_keeps_line_ends_and_a_leading_bom_only() {
        let evil = "\u{FEFF}a;b\r\nc\x1b]52;c;SGVsbG8=\x07\x1b[2J\u{9b}31m\u{202E}d\r\t\u{FEFF}e\n";
        assert_eq!(output(evil), "\u{FEFF}a;b\r\nc]52;c;SGVsbG8=[2J31md\te\n");
        assert!(matches!(output("a\tb\nc"), Cow::Borrowed(_)));
    }

    #[test]
    fn output_stream_matches_output_whatever_the_cut() {
        let text = "\u{FEFF}é\r\n\x1b[2J\u{9b}x\u{202E}y\r\n中\rz\n";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let mut s = OutputStream::default();
            let mut got = s.push(&bytes[..cut]);
            got.push_str(&s.push(&bytes[cut..]));
            got.push_str(&s.finish());
            assert_eq!(got, output(text), "cut at {cut}");
        }
        let mut s = OutputStream::default();
        assert_eq!(s.push(b"a\xffb\r"), "a\u{FFFD}b");
        assert_eq!(s.finish(), "");
    }

    #[test]
    fn json_escapes_c1_and_bidi_and_reads_back_the_same() {
        let v = serde_json::json!({"k\u{202E}": ["\x1b]0;t\x07", "a\u{9b}b\u{2066}c\u{200F}", "Élève 😀"]});
        for s in [json_pretty(&v).unwrap(), json_compact(&v).unwrap()] {
            assert!(!s.chars().any(|c| is_dangerous(c) && c != '\n'), "{s:?}");
            assert!(s.contains("\\u009b") && s.contains("\\u202e") && s.contains("\\u001b"));
            assert!(s.contains("Élève 😀"));
            let back: serde_json::Value = serde_json::from_str(&s).unwrap();
            assert_eq!(back, v);
        }
        assert_eq!(
            json_pretty(&v).unwrap(),
            serde_json::to_string_pretty(&v)
                .unwrap()
                .replace('\u{202E}', "\\u202e")
                .replace('\u{9b}', "\\u009b")
                .replace('\u{2066}', "\\u2066")
                .replace('\u{200F}', "\\u200f")
        );
    }
}
