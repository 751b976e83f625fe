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

/// The organisations' logos, one per line of `area` ("Logo : <link>", with the
/// organisation's name when there are several); returns the lines drawn.
pub(crate) fn draw_logos(
    frame: &mut Frame,
    ctx: &Ctx,
    area: Rect,
    logos: &[crate::LogoLink],
    links: &mut Vec<Hyperlink>,
) -> u16 {
    use unicode_width::UnicodeWidthStr;
    let mut y = area.y;
    for l in logos {
        if y >= area.bottom() {
            break;
        }
        let label = if logos.len() == 1 {
            ctx.t(Key::UiLogoLabel).to_string()
        } else {
            portail::i18n::tf(
                ctx.lang,
                Key::UiLogoOfLabel,
                &[&Safe::line(&l.organisation)],
            )
        };
        let label = truncate(&label, (area.width / 2) as usize);
        let w = (label.width() as u16).min(area.width);
        frame.render_widget(
            Paragraph::new(Span::styled(label, dim())),
            Rect {
                y,
                height: 1,
                width: w,
                ..area
            },
        );
        draw(
            frame,
            ctx,
            Rect {
                x: area.x + w,
                y,
                width: area.width - w,
                height: 1,
            },
            &l.url,
            links,
        );
        y += 1;
    }
    y - area.y
}
