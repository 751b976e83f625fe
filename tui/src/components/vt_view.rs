//! Draws a virtual terminal (a `vt100::Screen`) into a ratatui area: cell by cell, text
//! cleaned (no control, escape or bidi character reaches the user's terminal) and colours
//! mapped, with a viewport when the virtual terminal is larger than the area — panned by
//! the user or following the cursor. Used by demo replays (and meant for live demos).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

/// Where the viewport starts (column, row) in the virtual screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Offset {
    pub col: u16,
    pub row: u16,
}

/// The viewport's start for a virtual screen of `size` (cols, rows) shown in `view`
/// (cols, rows): `wanted` clamped, or, when `follow`, one that keeps `cursor`
/// (col, row) in sight, as close to `wanted` as possible.
pub(crate) fn viewport(
    size: (u16, u16),
    view: (u16, u16),
    wanted: Offset,
    follow: bool,
    cursor: (u16, u16),
) -> Offset {
    let max_col = size.0.saturating_sub(view.0);
    let max_row = size.1.saturating_sub(view.1);
    let mut o = Offset {
        col: wanted.col.min(max_col),
        row: wanted.row.min(max_row),
    };
    if follow {
        let fit = |start: u16, at: u16, len: u16, max: u16| -> u16 {
            if len == 0 {
                return 0;
            }
            let s = if at < start {
                at
            } else if at >= start + len {
                at + 1 - len
            } else {
                start
            };
            s.min(max)
        };
        o.col = fit(o.col, cursor.0, view.0, max_col);
        o.row = fit(o.row, cursor.1, view.1, max_row);
    }
    o
}

fn color(c: vt100::Color) -> Color {
    match c {
        vt100::Color::Default => Color::Reset,
        vt100::Color::Idx(i) => Color::Indexed(i),
        vt100::Color::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

/// One cell's text, cleaned: printable characters only (a wide character's second half
/// is drawn by the first).
fn clean(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(|c| !portail::sanitize::is_dangerous(*c))
        .collect();
    if t.is_empty() { " ".into() } else { t }
}

/// Draws `screen` from `offset` into `area` of `buf`; cells outside the virtual screen
/// stay blank. Returns nothing: the caller draws the cursor position if it wants.
pub(crate) fn draw(screen: &vt100::Screen, offset: Offset, area: Rect, buf: &mut Buffer) {
    let (rows, cols) = screen.size();
    let (rows, cols) = (rows.get(), cols.get());
    for y in 0..area.height {
        let row = offset.row + y;
        if row >= rows {
            break;
        }
        let mut x = 0u16;
        while x < area.width {
            let col = offset.col + x;
            if col >= cols {
                break;
            }
            let Some(cell) = screen.cell(row, col) else {
                break;
            };
            if cell.is_wide_continuation() {
                x += 1;
                continue;
            }
            let wide = cell.is_wide();
            // A wide character cut by the right edge is not drawn.
            if wide && x + 1 >= area.width {
                break;
            }
            let mut style = Style::default()
                .fg(color(cell.fgcolor()))
                .bg(color(cell.bgcolor()));
            let mut m = Modifier::empty();
            if cell.bold() {
                m |= Modifier::BOLD;
            }
            if cell.dim() {
                m |= Modifier::DIM;
            }
            if cell.italic() {
                m |= Modifier::ITALIC;
            }
            if cell.underline() {
                m |= Modifier::UNDERLINED;
            }
            if cell.inverse() {
                m |= Modifier::REVERSED;
            }
            style = style.add_modifier(m);
            let text = if cell.has_contents() {
                clean(cell.contents())
            } else {
                " ".into()
            };
            if let Some(c) = buf.cell_mut((area.x + x, area.y + y)) {
                c.set_symbol(&text).set_style(style);
            }
            x += if wide { 2 } else { 1 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewport_clamps_and_follows() {
        let o = |col, row| Offset { col, row };
        // Fits: always at the origin.
        assert_eq!(
            viewport((40, 10), (80, 24), o(5, 5), false, (0, 0)),
            o(0, 0)
        );
        // Larger: clamped to the last full view.
        assert_eq!(
            viewport((120, 40), (80, 24), o(100, 100), false, (0, 0)),
            o(40, 16)
        );
        // Following the cursor at the far right bottom.
        assert_eq!(
            viewport((120, 40), (40, 13), o(0, 0), true, (110, 39)),
            o(71, 27)
        );
        // Cursor already in sight: the view stays.
        assert_eq!(
            viewport((120, 40), (40, 13), o(10, 5), true, (20, 10)),
            o(10, 5)
        );
    }

    #[test]
    fn escapes_never_reach_the_cells() {
        let mut p = vt100::Parser::new(
            std::num::NonZeroU16::new(3).unwrap(),
            std::num::NonZeroU16::new(20).unwrap(),
            0,
        );
        p.process("a\x1b]52;c;SGVsbG8=\x07b\u{202E}c\x1b]0;title\x07\x1b[31mR".as_bytes());
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 3));
        draw(
            p.screen(),
            Offset::default(),
            Rect::new(0, 0, 20, 3),
            &mut buf,
        );
        let line: String = (0..20).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert!(line.starts_with("abcR"), "{line:?}");
        assert!(line.chars().all(|c| !c.is_control() && c != '\u{202E}'));
        assert_eq!(buf[(3, 0)].fg, Color::Indexed(1));
    }
}
