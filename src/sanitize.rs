//! Everything a user typed is data. These functions remove what a terminal would
//! interpret (C0/C1 controls, ESC sequences, bidi overrides) before text reaches anyone's
//! screen. One shared place, used by every screen and every exec output.

use std::borrow::Cow;

fn is_dangerous(c: char) -> bool {
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
}
