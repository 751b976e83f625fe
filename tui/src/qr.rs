//! QR codes drawn with Unicode half blocks: two modules per character cell vertically, so a
//! phone can scan a link straight off the terminal.

use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code (the standard asks for 4; 2 scans well on screens and
/// lets the code fit more terminals).
pub(crate) const QUIET: usize = 2;

/// The code of `text` as lines of '▀', '▄', '█' and ' ' (a full block is a dark module
/// above a dark module), quiet zone included. Meant to be drawn dark on light: the caller
/// styles the lines black on white. `None` when the text is too long for a QR code.
pub(crate) fn lines(text: &str) -> Option<Vec<String>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L).ok()?;
    let w = code.width();
    let size = w + 2 * QUIET;
    let dark = |x: usize, y: usize| -> bool {
        if x < QUIET || y < QUIET || x >= w + QUIET || y >= w + QUIET {
            return false;
        }
        code[(x - QUIET, y - QUIET)] == Color::Dark
    };
    let mut out = Vec::with_capacity(size.div_ceil(2));
    for row in (0..size).step_by(2) {
        let line: String = (0..size)
            .map(|x| match (dark(x, row), dark(x, row + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            })
            .collect();
        out.push(line);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_blocks_with_a_quiet_zone() {
        let l = lines("https://www.gnu.org/software/bash/manual/").unwrap();
        // Version 3 (29 modules) + 2 × 2 quiet modules = 33 columns, 17 lines.
        let width = l[0].chars().count();
        assert!(l.iter().all(|r| r.chars().count() == width));
        assert_eq!(l.len(), width.div_ceil(2));
        assert!(
            l.iter()
                .flat_map(|r| r.chars())
                .all(|c| matches!(c, '▀' | '▄' | '█' | ' '))
        );
        // The quiet zone: first line blank, first column blank.
        assert!(l[0].chars().all(|c| c == ' '));
        assert!(l.iter().all(|r| r.starts_with("  ")));
        // The top-left finder pattern starts on module row 2: a solid top edge.
        assert!(l[1].chars().skip(2).take(7).all(|c| c == '█' || c == '▀'));
    }

    #[test]
    fn too_long_for_a_code() {
        assert!(lines(&"x".repeat(5000)).is_none());
    }
}
