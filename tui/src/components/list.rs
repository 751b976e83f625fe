//! A selectable, scrollable list with incremental search (typed after `/`), drawn as a
//! table whose extra columns disappear on narrow screens.

use std::cell::Cell;

use portail::i18n::{Key, tf};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::fold;
use crate::field::TextField;
use crate::theme::{dim, panel, selected, title, truncate};
use crate::{Ctx, KeyCode, KeyEvent};

/// A column: its header and the width it needs. The first column takes what is left
/// (at least its width); the others are dropped, right to left, when they do not fit.
pub(crate) struct Col {
    pub header: &'static str,
    pub width: u16,
}

pub(crate) fn col(header: &'static str, width: u16) -> Col {
    Col { header, width }
}

#[derive(Default)]
pub(crate) struct ListView {
    /// Position in `shown`.
    selected: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
    search: TextField,
    searching: bool,
    keys: Vec<String>,
    /// Indexes of the items matching the search.
    shown: Vec<usize>,
}

impl ListView {
    pub(crate) fn new() -> Self {
        Self {
            search: TextField::new(80),
            page: Cell::new(10),
            ..Self::default()
        }
    }

    /// Sets the items by their search text; keeps the selected item when it is still there.
    pub(crate) fn set_items(&mut self, keys: Vec<String>) {
        let before = self.selected();
        self.keys = keys.iter().map(|k| fold(k)).collect();
        self.refilter();
        if let Some(i) = before {
            self.select_item(i.min(self.keys.len().saturating_sub(1)));
        }
    }

    fn refilter(&mut self) {
        let keep = self.selected();
        let q = fold(self.search.value().trim());
        let words: Vec<&str> = q.split_whitespace().collect();
        self.shown = (0..self.keys.len())
            .filter(|&i| words.iter().all(|w| self.keys[i].contains(w)))
            .collect();
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
        if let Some(i) = keep {
            self.select_item(i);
        }
    }

    /// The selected item (index in the items given to `set_items`).
    pub(crate) fn selected(&self) -> Option<usize> {
        self.shown.get(self.selected).copied()
    }

    pub(crate) fn select_item(&mut self, item: usize) {
        if let Some(p) = self.shown.iter().position(|&i| i == item) {
            self.selected = p;
        }
    }

    #[cfg(test)]
    pub(crate) fn shown(&self) -> &[usize] {
        &self.shown
    }

    pub(crate) fn searching(&self) -> bool {
        self.searching
    }

    pub(crate) fn query(&self) -> String {
        self.search.value()
    }

    pub(crate) fn paste(&mut self, text: &str) {
        if self.searching {
            self.search.insert_str(text);
            self.refilter();
        }
    }

    /// Movement and search keys; returns whether the key was used.
    pub(crate) fn key(&mut self, key: &KeyEvent) -> bool {
        let len = self.shown.len();
        let page = self.page.get().max(1);
        let last = len.saturating_sub(1);
        if self.searching {
            match key.code {
                KeyCode::Esc => {
                    self.searching = false;
                    self.search.clear();
                    self.refilter();
                }
                KeyCode::Enter | KeyCode::Tab => self.searching = false,
                KeyCode::Backspace if self.search.is_empty() => self.searching = false,
                KeyCode::Up => self.selected = self.selected.saturating_sub(1),
                KeyCode::Down => self.selected = (self.selected + 1).min(last),
                _ => {
                    if self.search.key(*key) {
                        self.refilter();
                        self.selected = 0;
                    }
                }
            }
            return true;
        }
        match key.code {
            KeyCode::Char('/') => {
                self.searching = true;
                return true;
            }
            KeyCode::Esc if !self.search.is_empty() => {
                self.search.clear();
                self.refilter();
                return true;
            }
            _ => {}
        }
        if len == 0 {
            return false;
        }
        self.selected = match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.selected.checked_sub(1).unwrap_or(last),
            KeyCode::Down | KeyCode::Char('j') => {
                if self.selected >= last {
                    0
                } else {
                    self.selected + 1
                }
            }
            KeyCode::PageUp => self.selected.saturating_sub(page),
            KeyCode::PageDown => (self.selected + page).min(last),
            KeyCode::Home | KeyCode::Char('g') => 0,
            KeyCode::End | KeyCode::Char('G') => last,
            _ => return false,
        };
        true
    }

    /// Draws the list in a panel titled `heading`: a header row (when several columns fit),
    /// the rows (one per item, all items given, only matching ones drawn) and the search line.
    pub(crate) fn render(
        &self,
        frame: &mut Frame,
        ctx: &Ctx,
        area: Rect,
        heading: &str,
        cols: &[Col],
        rows: &[Vec<String>],
    ) {
        let suffix = if self.shown.len() == rows.len() {
            format!(" ({})", rows.len())
        } else {
            format!(" ({}/{})", self.shown.len(), rows.len())
        };
        let room = (area.width as usize).saturating_sub(4 + suffix.width());
        let count = format!("{}{suffix}", truncate(heading, room));
        let block = panel(&count);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        self.render_rows(frame, ctx, inner, cols, rows);
    }

    /// Like `render`, without the panel (for lists inside another screen).
    pub(crate) fn render_rows(
        &self,
        frame: &mut Frame,
        ctx: &Ctx,
        inner: Rect,
        cols: &[Col],
        rows: &[Vec<String>],
    ) {
        if inner.height == 0 || inner.width < 4 {
            return;
        }
        let widths = fit_columns(inner.width.saturating_sub(2), cols);
        let mut y = inner.y;
        let mut height = inner.height;
        let show_search = self.searching || !self.search.is_empty();
        if show_search {
            height -= 1;
            let label = "/ ";
            let (text, col) = self.search.visible(inner.width.saturating_sub(3) as usize);
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(label, title()),
                    Span::raw(text),
                ])),
                Rect {
                    y: inner.y + height,
                    height: 1,
                    ..inner
                },
            );
            if self.searching {
                frame
                    .set_cursor_position(Position::new(inner.x + 2 + col as u16, inner.y + height));
            }
        }
        if widths.len() > 1 && height > 2 {
            let cells: Vec<String> = cols.iter().map(|c| c.header.to_string()).collect();
            frame.render_widget(
                Paragraph::new(row_line(&cells, &widths, "  ", dim())),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
            y += 1;
            height -= 1;
        }
        let h = height as usize;
        self.page.set(h.max(1));
        if self.shown.is_empty() {
            let msg = if rows.is_empty() {
                ctx.t(Key::UiEmpty).to_string()
            } else {
                tf(ctx.lang, Key::UiNoMatch, &[&self.query()])
            };
            if h > 0 {
                frame.render_widget(
                    Paragraph::new(Line::styled(format!("  {msg}"), dim())),
                    Rect {
                        y,
                        height: 1,
                        ..inner
                    },
                );
            }
            return;
        }
        // Keep the selection visible, moving the window as little as possible.
        let mut offset = self.offset.get().min(self.shown.len().saturating_sub(1));
        if self.selected < offset {
            offset = self.selected;
        } else if h > 0 && self.selected >= offset + h {
            offset = self.selected + 1 - h;
        }
        self.offset.set(offset);
        let lines: Vec<Line> = self
            .shown
            .iter()
            .enumerate()
            .skip(offset)
            .take(h)
            .map(|(pos, &item)| {
                let empty = Vec::new();
                let cells = rows.get(item).unwrap_or(&empty);
                if pos == self.selected {
                    row_line(cells, &widths, "› ", selected())
                } else {
                    row_line(cells, &widths, "  ", Style::default())
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), Rect { y, height, ..inner });
    }
}

/// Widths of the columns that fit in `width` (the first one stretches).
pub(crate) fn fit_columns(width: u16, cols: &[Col]) -> Vec<u16> {
    let Some(first) = cols.first() else {
        return Vec::new();
    };
    let mut used = first.width.min(width);
    let mut widths = vec![used];
    for c in &cols[1..] {
        if used + 1 + c.width > width {
            break;
        }
        used += 1 + c.width;
        widths.push(c.width);
    }
    // Extra room: the first column grows to a comfortable width, the others share the rest.
    let mut extra = width - used;
    let grow = extra.min(24u16.saturating_sub(widths[0]));
    widths[0] += grow;
    extra -= grow;
    let others = widths.len() as u16 - 1;
    match extra.checked_div(others) {
        Some(share) => {
            for w in widths.iter_mut().skip(1) {
                *w += share;
            }
            widths[0] += extra - share * others;
        }
        None => widths[0] += extra,
    }
    widths
}

/// One row: cells cut or padded to their column widths.
pub(crate) fn row_line(
    cells: &[String],
    widths: &[u16],
    prefix: &str,
    style: Style,
) -> Line<'static> {
    let mut s = String::from(prefix);
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let cell =
            portail::sanitize::line(cells.get(i).map(String::as_str).unwrap_or("")).into_owned();
        let cut = truncate(&cell, *w as usize);
        let pad = (*w as usize).saturating_sub(cut.width());
        s.push_str(&cut);
        s.push_str(&" ".repeat(pad));
    }
    Line::styled(s, style)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c)
    }

    #[test]
    fn search_is_accent_and_case_insensitive() {
        let mut l = ListView::new();
        l.set_items(vec![
            "Éric Dupont".into(),
            "Anne Martin".into(),
            "eric Zola".into(),
        ]);
        l.key(&k(KeyCode::Char('/')));
        for c in "ERIC".chars() {
            l.key(&k(KeyCode::Char(c)));
        }
        assert_eq!(l.shown(), &[0, 2]);
        l.key(&k(KeyCode::Down));
        assert_eq!(l.selected(), Some(2));
        l.key(&k(KeyCode::Enter));
        assert!(!l.searching());
        // Esc clears the filter and keeps the selection.
        l.key(&k(KeyCode::Esc));
        assert_eq!(l.shown().len(), 3);
        assert_eq!(l.selected(), Some(2));
    }

    #[test]
    fn columns_drop_on_narrow_screens() {
        let cols = [col("Nom", 12), col("A", 8), col("B", 10)];
        assert_eq!(fit_columns(36, &cols), vec![16, 8, 10]);
        assert_eq!(fit_columns(30, &cols), vec![21, 8]);
        assert_eq!(fit_columns(60, &cols), vec![24, 16, 18]);
        assert_eq!(fit_columns(10, &cols), vec![10]);
    }
}
