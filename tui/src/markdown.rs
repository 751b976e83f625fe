//! Lesson bodies: Markdown drawn as terminal lines (headings, lists, emphasis, inline code,
//! code blocks, links as "text <url>"). The text is sanitized before it is parsed, so no
//! control sequence typed by anyone reaches a terminal.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::safe::Safe;
use crate::theme::{ACCENT, dim};

struct Renderer {
    lines: Vec<Line<'static>>,
    spans: Vec<Span<'static>>,
    styles: Vec<Style>,
    /// One entry per open list: the next number, or `None` for bullets.
    lists: Vec<Option<u64>>,
    /// Prefix of the current item's continuation lines.
    indent: String,
    in_code: bool,
    quote: usize,
    links: Vec<String>,
}

impl Renderer {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, f: impl FnOnce(Style) -> Style) {
        let s = f(self.style());
        self.styles.push(s);
    }

    fn text(&mut self, t: &str) {
        if self.spans.is_empty() && !self.indent.is_empty() {
            self.spans.push(Span::raw(self.indent.clone()));
        }
        if self.spans.is_empty() && self.quote > 0 {
            self.spans
                .push(Span::styled("│ ".repeat(self.quote), dim()));
        }
        let style = self.style();
        self.spans.push(Span::styled(t.to_string(), style));
    }

    fn flush(&mut self) {
        if !self.spans.is_empty() {
            self.lines.push(Line::from(std::mem::take(&mut self.spans)));
        }
    }

    fn blank(&mut self) {
        self.flush();
        if self.lines.last().is_some_and(|l| l.width() > 0) {
            self.lines.push(Line::from(""));
        }
    }
}

/// The lines of a Markdown text, ready for a wrapping `Paragraph`.
pub(crate) fn render(markdown: &str) -> Vec<Line<'static>> {
    let clean = Safe::text(markdown);
    let mut r = Renderer {
        lines: Vec::new(),
        spans: Vec::new(),
        styles: Vec::new(),
        lists: Vec::new(),
        indent: String::new(),
        in_code: false,
        quote: 0,
        links: Vec::new(),
    };
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    for event in Parser::new_ext(&clean, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => {
                    r.blank();
                    let mut st = Style::default().fg(ACCENT).add_modifier(Modifier::BOLD);
                    if level == HeadingLevel::H1 {
                        st = st.add_modifier(Modifier::UNDERLINED);
                    }
                    r.styles.push(st);
                    if level > HeadingLevel::H2 {
                        r.text(&"#".repeat(level as usize));
                        r.text(" ");
                    }
                }
                Tag::Paragraph if r.lists.is_empty() => r.blank(),
                Tag::BlockQuote(_) => {
                    r.blank();
                    r.quote += 1;
                }
                Tag::CodeBlock(kind) => {
                    r.blank();
                    r.in_code = true;
                    if let CodeBlockKind::Fenced(lang) = kind
                        && !lang.is_empty()
                    {
                        r.lines
                            .push(Line::styled(format!("  ┌ {}", Safe::line(&lang)), dim()));
                    }
                }
                Tag::List(start) => {
                    if r.lists.is_empty() {
                        r.blank();
                    } else {
                        r.flush();
                    }
                    r.lists.push(start);
                }
                Tag::Item => {
                    r.flush();
                    let depth = r.lists.len().saturating_sub(1);
                    let marker = match r.lists.last_mut() {
                        Some(Some(n)) => {
                            let m = format!("{n}. ");
                            *n += 1;
                            m
                        }
                        _ => ["• ", "◦ ", "▪ "][depth % 3].to_string(),
                    };
                    let pad = "  ".repeat(depth);
                    r.spans.push(Span::raw(format!("{pad}{marker}")));
                    r.indent = format!("{pad}{}", " ".repeat(marker.chars().count()));
                }
                Tag::Emphasis => r.push_style(|s| s.add_modifier(Modifier::ITALIC)),
                Tag::Strong => r.push_style(|s| s.add_modifier(Modifier::BOLD)),
                Tag::Strikethrough => r.push_style(|s| s.add_modifier(Modifier::CROSSED_OUT)),
                Tag::Link { dest_url, .. } => {
                    r.links.push(Safe::line(&dest_url).into_string());
                    r.push_style(|s| s.add_modifier(Modifier::UNDERLINED));
                }
                Tag::Image { dest_url, .. } => {
                    r.links.push(Safe::line(&dest_url).into_string());
                    r.push_style(|s| s.add_modifier(Modifier::ITALIC));
                    r.text("[image] ");
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Heading(_) => {
                    r.styles.pop();
                    r.flush();
                }
                TagEnd::Paragraph => r.flush(),
                TagEnd::BlockQuote(_) => {
                    r.flush();
                    r.quote = r.quote.saturating_sub(1);
                }
                TagEnd::CodeBlock => {
                    r.in_code = false;
                    r.flush();
                }
                TagEnd::List(_) => {
                    r.flush();
                    r.lists.pop();
                    if r.lists.is_empty() {
                        r.indent.clear();
                    }
                }
                TagEnd::Item => {
                    r.flush();
                }
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                    r.styles.pop();
                }
                TagEnd::Link | TagEnd::Image => {
                    r.styles.pop();
                    if let Some(url) = r.links.pop() {
                        r.text(&format!(" <{url}>"));
                    }
                }
                _ => {}
            },
            Event::Text(t) if r.in_code => {
                let st = Style::default().fg(Color::Green);
                for line in t.lines() {
                    r.lines.push(Line::from(vec![
                        Span::styled("  │ ", dim()),
                        Span::styled(line.to_string(), st),
                    ]));
                }
            }
            Event::Text(t) => r.text(&t),
            Event::Code(t) => {
                let st = r.style().fg(Color::Yellow);
                r.text("");
                r.spans.push(Span::styled(format!("`{t}`"), st));
            }
            Event::SoftBreak => r.text(" "),
            Event::HardBreak => r.flush(),
            Event::Rule => {
                r.blank();
                r.lines.push(Line::styled("────────", dim()));
            }
            Event::Html(h) | Event::InlineHtml(h) => r.text(&h),
            Event::TaskListMarker(done) => r.text(if done { "[x] " } else { "[ ] " }),
            _ => {}
        }
    }
    r.flush();
    r.lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(md: &str) -> Vec<String> {
        render(md)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn renders_the_common_elements() {
        let md = "# Titre\n\nUn *peu* de **gras** et `code`.\n\n- un\n- deux\n  1. a\n  2. b\n\n\
                  ```rust\nfn main() {}\n```\n\nVoir [la doc](https://doc.rust-lang.org).\n";
        let lines = plain(md);
        assert_eq!(lines[0], "Titre");
        assert!(
            lines.contains(&"Un peu de gras et `code`.".to_string()),
            "{lines:?}"
        );
        assert!(lines.contains(&"• un".to_string()), "{lines:?}");
        assert!(lines.contains(&"  1. a".to_string()), "{lines:?}");
        assert!(lines.contains(&"  │ fn main() {}".to_string()), "{lines:?}");
        assert!(
            lines.contains(&"Voir la doc <https://doc.rust-lang.org>.".to_string()),
            "{lines:?}"
        );
        let styled = render("*it* **b**");
        let first = &styled[0].spans;
        assert!(first[0].style.add_modifier.contains(Modifier::ITALIC));
    }

    #[test]
    fn escape_sequences_do_not_survive() {
        for l in plain("a\x1b]52;c;SGVsbG8=\x07 b\n\n```\n\x1b[2J\n```") {
            assert!(!l.chars().any(|c| c.is_control()), "{l:?}");
        }
    }
}
