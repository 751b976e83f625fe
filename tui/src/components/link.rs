//! A web link on one line: drawn as text in the link style and recorded as a
//! [`Hyperlink`] (the session rewrites it as an OSC 8 sequence after the frame).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use crate::safe::Safe;
use crate::theme::{dim, truncate};
use crate::{Ctx, Hyperlink, safe_url};
use portail::i18n::Key;

/// Draws `url` on the first line of `area` (cut to its width) and records the hyperlink;
/// an unsafe URL is shown sanitized with the refusal, never as a link.
pub(crate) fn draw(
    frame: &mut Frame,
    ctx: &Ctx,
    area: Rect,
    url: &str,
    links: &mut Vec<Hyperlink>,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let area = Rect { height: 1, ..area };
    match safe_url(url) {
        Some(url) => {
            let text = truncate(url, area.width as usize);
            frame.render_widget(
                Paragraph::new(Span::styled(text.clone(), crate::screens::learning::link())),
                area,
            );
            links.push(Hyperlink {
                x: area.x,
                y: area.y,
                url: url.to_string(),
                text,
            });
        }
        None => {
            let shown = format!("{} — {}", Safe::line(url), ctx.t(Key::SpLinkRefused));
            frame.render_widget(
                Paragraph::new(Span::styled(truncate(&shown, area.width as usize), dim())),
                area,
            );
        }
    }
}
