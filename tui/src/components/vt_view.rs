//! Draws a virtual terminal's screen (the core's [`LiveScreen`], its cells cleaned there:
//! no control, escape or bidi character reaches the user's terminal) into a ratatui area,
//! colours mapped, with a viewport when it is larger than the area — panned by the user or
//! following the cursor. The one drawing of live demos and of replays.

use portail::live::{LiveColor, LiveScreen};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use unicode_width::UnicodeWidthStr;

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

fn color(c: LiveColor) -> Color {
    match c {
        LiveColor::Default => Color::Reset,
        LiveColor::Idx(i) => Color::Indexed(i),
        LiveColor::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

/// Draws the part of `s` from `offset` into `area` of `buf`, cell by cell (its cells were
/// cleaned by the core, [`LiveScreen::from_screen`]); `show_cursor` marks the cursor's
/// cell reversed. A wide character cut by the view's edge is drawn as a blank.
pub(crate) fn draw(
    s: &LiveScreen,
    offset: Offset,
    area: Rect,
    buf: &mut Buffer,
    show_cursor: bool,
) {
    for y in 0..area.height {
        let row = offset.row + y;
        let mut x = 0;
        while x < area.width {
            let col = offset.col + x;
            let Some(cell) = s.cell(row, col) else {
                x += 1;
                continue;
            };
            let mut style = Style::default().fg(color(cell.fg)).bg(color(cell.bg));
            let mut m = Modifier::empty();
            if cell.bold {
                m |= Modifier::BOLD;
            }
            if cell.italic {
                m |= Modifier::ITALIC;
            }
            if cell.underline {
                m |= Modifier::UNDERLINED;
            }
            if cell.inverse ^ (show_cursor && s.cursor == (row, col)) {
                m |= Modifier::REVERSED;
            }
            style = style.add_modifier(m);
            let width = cell.text.width();
            let symbol: &str =
                if cell.text.is_empty() || width == 0 || x + width as u16 > area.width {
                    " "
                } else {
                    &cell.text
                };
            if let Some(target) = buf.cell_mut((area.x + x, area.y + y)) {
                target.set_symbol(symbol).set_style(style);
            }
            x += if symbol == " " {
                1
            } else {
                width.max(1) as u16
            };
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
            &LiveScreen::from_screen(p.screen()),
            Offset::default(),
            Rect::new(0, 0, 20, 3),
            &mut buf,
            false,
        );
        let line: String = (0..20).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert!(line.starts_with("abcR"), "{line:?}");
        assert!(line.chars().all(|c| !c.is_control() && c != '\u{202E}'));
        assert_eq!(buf[(3, 0)].fg, Color::Indexed(1));
    }
}
