//! Shared chrome: header, status bar, help overlay, "window too small".

use portail::i18n::{Key, tf};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::safe::Safe;
use crate::{Ctx, MIN_HEIGHT, MIN_WIDTH};

pub(crate) const ACCENT: Color = Color::Cyan;

pub(crate) fn selected() -> Style {
    Style::default()
        .fg(Color::Black)
        .bg(ACCENT)
        .add_modifier(Modifier::BOLD)
}

pub(crate) fn title() -> Style {
    Style::default().fg(ACCENT).add_modifier(Modifier::BOLD)
}

pub(crate) fn error() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub(crate) fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

/// The most lines the status bar takes (a phone's 15 rows keep 11 for the screen).
pub(crate) const MAX_STATUS_LINES: usize = 3;

/// Separates the keys of a hint line ("↑↓ choisir · Entrée ouvrir").
const HINT_SEP: &str = " · ";

/// The status bar text in lines of at most `width` columns. Hints break between their
/// keys, never inside one ("Échap retour" stays whole); a part wider than the line, or a
/// message without parts, breaks between words (a word wider than the line is cut).
pub(crate) fn status_lines(text: &str, width: u16) -> Vec<String> {
    let width = width.max(1) as usize;
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for part in text.split(HINT_SEP) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if line.is_empty() && part.width() <= width {
            line = part.to_string();
        } else if !line.is_empty() && line.width() + HINT_SEP.width() + part.width() <= width {
            line = format!("{line}{HINT_SEP}{part}");
        } else if part.width() <= width {
            out.push(std::mem::take(&mut line));
            line = part.to_string();
        } else {
            // Too wide for a line of its own: on fresh lines, broken between words.
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            for word in part.split_whitespace() {
                let word = truncate(word, width);
                if line.is_empty() {
                    line = word;
                } else if line.width() + 1 + word.width() <= width {
                    line.push(' ');
                    line.push_str(&word);
                } else {
                    out.push(std::mem::replace(&mut line, word));
                }
            }
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// Draws header and status bar, returns `[header, body, footer]`.
pub(crate) fn chrome(frame: &mut Frame, ctx: &Ctx, area: Rect, hints: &str) -> [Rect; 3] {
    let status = ctx.flash.as_deref().unwrap_or(hints);
    let status = status_lines(status, area.width);
    let footer_height = status.len().min(MAX_STATUS_LINES) as u16;
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(footer_height),
    ])
    .areas(area);

    let name = Safe::line(&ctx.user.display_name()).into_string();
    let left = format!(" {} ", ctx.t(Key::AppName));
    let badge = if ctx.unread > 0 {
        format!(
            "{} · ",
            tf(ctx.lang, Key::MsgBadge, &[&ctx.unread.to_string()])
        )
    } else {
        String::new()
    };
    let right = format!("{badge}{} · {} ", name, ctx.label(ctx.user.role));
    let room = (header.width as usize).saturating_sub(left.width());
    let right = truncate(&right, room);
    let pad = room.saturating_sub(right.width());
    let bar = Style::default().fg(Color::White).bg(Color::Blue);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, bar.add_modifier(Modifier::BOLD)),
            Span::styled(" ".repeat(pad), bar),
            Span::styled(right, bar),
        ])),
        header,
    );

    let status_style = if ctx.flash.is_some() {
        Style::default().fg(Color::Black).bg(Color::Green)
    } else {
        Style::default().fg(Color::White).bg(Color::DarkGray)
    };
    let status: Vec<Line> = status.into_iter().map(Line::from).collect();
    frame.render_widget(Paragraph::new(status).style(status_style), footer);
    [header, body, footer]
}

/// Says, on the bottom border of a panel drawn over `panel_area`, how many items of its
/// list are out of sight above and below ("↑ 2 de plus · ↓ 3 de plus"); nothing when
/// all are shown. Every scrolling list and menu calls it, so a phone shows what is hidden.
pub(crate) fn scroll_marks(
    frame: &mut Frame,
    ctx: &Ctx,
    panel_area: Rect,
    above: usize,
    below: usize,
) {
    if panel_area.height < 2 || panel_area.width < 6 || (above == 0 && below == 0) {
        return;
    }
    let mut parts = Vec::new();
    if above > 0 {
        parts.push(tf(ctx.lang, Key::UiMoreAbove, &[&above.to_string()]));
    }
    if below > 0 {
        parts.push(tf(ctx.lang, Key::UiMoreBelow, &[&below.to_string()]));
    }
    let room = panel_area.width.saturating_sub(4) as usize;
    let text = truncate(&format!(" {} ", parts.join(HINT_SEP)), room);
    let w = text.width() as u16;
    let at = Rect {
        x: panel_area.right().saturating_sub(w + 2),
        y: panel_area.bottom() - 1,
        width: w,
        height: 1,
    };
    frame.render_widget(Paragraph::new(Span::styled(text, title())), at);
}

/// Cuts `s` to at most `width` columns, with an ellipsis when cut.
pub(crate) fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

pub(crate) fn too_small(frame: &mut Frame, ctx: &Ctx, area: Rect) {
    let text = vec![
        Line::styled(ctx.t(Key::TooSmallTitle), error()),
        Line::from(tf(
            ctx.lang,
            Key::TooSmallBody,
            &[
                &MIN_WIDTH.to_string(),
                &MIN_HEIGHT.to_string(),
                &area.width.to_string(),
                &area.height.to_string(),
            ],
        )),
    ];
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The help box; texts taller than the window scroll (`scroll` is clamped here) and say so.
pub(crate) fn help_overlay(
    frame: &mut Frame,
    ctx: &Ctx,
    area: Rect,
    body: &str,
    scroll: &std::cell::Cell<u16>,
) {
    let width = area.width.saturating_sub(2).min(72);
    let text = Paragraph::new(body.to_string()).wrap(Wrap { trim: true });
    let lines = text.line_count(width.saturating_sub(2)) as u16;
    let height = (lines + 2).min(area.height);
    let room = height.saturating_sub(2);
    let max = lines.saturating_sub(room);
    scroll.set(scroll.get().min(max));
    let foot = if max > 0 {
        ctx.t(Key::HelpScrollHint)
    } else {
        ctx.t(Key::HintHelp)
    };
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        text.scroll((scroll.get(), 0)).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(Style::default().fg(ACCENT))
                .title(Span::styled(
                    format!(" {} ", ctx.t(Key::HelpTitle)),
                    title(),
                ))
                .title_bottom(Line::from(format!(" {foot} ")).right_aligned()),
        ),
        popup,
    );
}

/// A bordered block with a title, used by every screen body.
pub(crate) fn panel(title_text: &str) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(dim())
        .title(Span::styled(format!(" {title_text} "), title()))
}
