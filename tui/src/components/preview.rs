//! A picture (avatar, logo) drawn with half-block cells: '▀' with the upper pixel as the
//! foreground colour and the lower pixel as the background, so one cell shows two pixels.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::Picture;

/// The picture as lines of '▀' cells, indented by `indent` spaces.
pub(crate) fn lines(p: &Picture, indent: usize) -> Vec<Line<'static>> {
    let rgb = |c: [u8; 3]| Color::Rgb(c[0], c[1], c[2]);
    (0..p.rows())
        .map(|row| {
            let mut spans = vec![Span::raw(" ".repeat(indent))];
            spans.extend((0..p.width).map(|x| {
                let up = p.pixel(x, row * 2);
                let down = p.pixel(x, row * 2 + 1);
                Span::styled("▀", Style::default().fg(rgb(up)).bg(rgb(down)))
            }));
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_pixels_per_cell() {
        let p = Picture {
            width: 2,
            height: 2,
            pixels: vec![[255, 0, 0], [0, 255, 0], [0, 0, 255], [1, 2, 3]],
        };
        let l = lines(&p, 1);
        assert_eq!(l.len(), 1);
        let spans = &l[0].spans;
        assert_eq!(spans[0].content, " ");
        assert_eq!(spans[1].content, "▀");
        assert_eq!(spans[1].style.fg, Some(Color::Rgb(255, 0, 0)));
        assert_eq!(spans[1].style.bg, Some(Color::Rgb(0, 0, 255)));
        assert_eq!(spans[2].style.fg, Some(Color::Rgb(0, 255, 0)));
        assert_eq!(spans[2].style.bg, Some(Color::Rgb(1, 2, 3)));
    }
}
