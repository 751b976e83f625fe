//! QR codes drawn with Unicode half blocks: two modules per character cell vertically, so a
//! phone can scan a link straight off the terminal.

use portail::i18n::Key;
use qrcode::{Color, EcLevel, QrCode};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color as Ink, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::theme::{ACCENT, dim, title, truncate};
use crate::{Ctx, Hyperlink, safe_url};

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

/// A QR code of `url` over `area` (a framed popup with the link under the code), or a
/// message when the URL is refused by [`safe_url`]. When the window is too small for the
/// code, the popup says so and shows the whole link instead, wrapped, each piece recorded
/// in `links` as a hyperlink to the whole URL (so it stays clickable).
pub(crate) fn render_overlay(
    frame: &mut Frame,
    ctx: &Ctx,
    area: Rect,
    url: Option<&str>,
    links: &mut Vec<Hyperlink>,
) {
    let url = url.and_then(safe_url);
    let code = url.and_then(lines);
    let (Some(url), Some(code)) = (url, code) else {
        crate::components::dialog::render_popup(
            frame,
            area,
            ctx.t(Key::SpQrTitle),
            ctx.t(Key::SpLinkRefused),
            ctx.t(Key::SpQrClose),
        );
        return;
    };
    let qw = code[0].chars().count() as u16;
    // Borders, the code, the link under it.
    let need_w = qw + 2;
    let need_h = code.len() as u16 + 3;
    if area.width < need_w || area.height < need_h {
        link_instead(frame, ctx, area, url, links);
        return;
    }
    // Wide enough for the link under the code when the screen allows.
    let w = need_w.max(url.len() as u16 + 2).min(area.width);
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - need_h) / 2,
        width: w,
        height: need_h,
    };
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(ACCENT))
        .title(Line::styled(
            format!(" {} ", ctx.t(Key::SpQrTitle)),
            title(),
        ))
        .title_bottom(Line::from(format!(" {} ", ctx.t(Key::SpQrClose))).right_aligned());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let ink = Style::default().fg(Ink::Black).bg(Ink::White);
    let pad = (inner.width - qw) / 2;
    for (i, l) in code.iter().enumerate() {
        frame.render_widget(
            Paragraph::new(Span::styled(l.clone(), ink)),
            Rect {
                x: inner.x + pad,
                y: inner.y + i as u16,
                width: qw,
                height: 1,
            },
        );
    }
    frame.render_widget(
        Paragraph::new(Span::styled(truncate(url, inner.width as usize), dim())),
        Rect {
            y: inner.y + code.len() as u16,
            height: 1,
            ..inner
        },
    );
}

/// The popup of a window too small for the code: why, then the whole link cut into lines
/// of the popup's width (a URL has no spaces to break at; [`safe_url`] made it ASCII).
fn link_instead(frame: &mut Frame, ctx: &Ctx, area: Rect, url: &str, links: &mut Vec<Hyperlink>) {
    let width = area.width.saturating_sub(2).clamp(10, 64).min(area.width);
    let inner_w = width.saturating_sub(2).max(1);
    let why = Paragraph::new(ctx.t(Key::SpQrTooSmall)).wrap(Wrap { trim: true });
    let why_h = why.line_count(inner_w) as u16;
    let pieces: Vec<&str> = url
        .as_bytes()
        .chunks(inner_w as usize)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    let height = (why_h + 1 + pieces.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(ACCENT))
        .title(Line::styled(
            format!(" {} ", ctx.t(Key::SpQrTitle)),
            title(),
        ))
        .title_bottom(Line::from(format!(" {} ", ctx.t(Key::SpQrClose))).right_aligned());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    frame.render_widget(why, inner);
    let top = inner.y + why_h + 1;
    for (i, piece) in pieces.iter().enumerate() {
        let y = top + i as u16;
        if y >= inner.bottom() {
            break;
        }
        let at = Rect {
            y,
            height: 1,
            ..inner
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                piece.to_string(),
                crate::screens::learning::link(),
            )),
            at,
        );
        links.push(Hyperlink {
            x: at.x,
            y: at.y,
            url: url.to_string(),
            text: piece.to_string(),
        });
    }
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
