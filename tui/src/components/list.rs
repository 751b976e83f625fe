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

use super::dialog::{Answer, Dialog};
use super::fold;
use crate::field::TextField;
use crate::safe::Safe;
use crate::screens::View;
use crate::theme::{dim, panel, selected, title, truncate};
use crate::{Action, Command, Ctx, Data, KeyCode, KeyEvent, Nav, Query};

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
        rows: &[Vec<Safe>],
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
        rows: &[Vec<Safe>],
    ) {
        if inner.height == 0 || inner.width < 4 {
            return;
        }
        let widths = fit_columns(inner.width.saturating_sub(2), cols, rows);
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
            let cells: Vec<Safe> = cols.iter().map(|c| Safe::from(c.header)).collect();
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

/// The widest a column other than the first grows to for its content.
const MAX_COL: u16 = 40;
/// The width the first column keeps before others are dropped for it (a longer title is
/// cut only when it does not fit beside nothing else).
const FIRST_KEEP: u16 = 64;

/// Widths of the columns that fit in `width`, sized by their content (`rows`): the first
/// column gets its longest cell whole when it can (up to [`FIRST_KEEP`]), the others
/// follow at least at their given width while they fit (dropped right to left), then
/// grow to their content; what is left goes to the last one.
pub(crate) fn fit_columns(width: u16, cols: &[Col], rows: &[Vec<Safe>]) -> Vec<u16> {
    if cols.is_empty() {
        return Vec::new();
    }
    let want: Vec<u16> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let content = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
                .min(u16::MAX as usize) as u16;
            let w = content.max(c.header.width() as u16).max(c.width);
            if i == 0 { w } else { w.min(MAX_COL.max(c.width)) }
        })
        .collect();
    let first_min = cols[0].width.min(width);
    let first = want[0].min(FIRST_KEEP.max(first_min)).min(width).max(first_min);
    let mut widths = vec![first];
    let mut used = first;
    for c in &cols[1..] {
        if used + 1 + c.width > width {
            break;
        }
        used += 1 + c.width;
        widths.push(c.width);
    }
    let mut extra = width - used;
    for (i, w) in widths.iter_mut().enumerate() {
        let grow = extra.min(want[i].saturating_sub(*w));
        *w += grow;
        extra -= grow;
    }
    if let Some(last) = widths.last_mut() {
        *last += extra;
    }
    widths
}

/// One row: cells cut or padded to their column widths.
pub(crate) fn row_line(cells: &[Safe], widths: &[u16], prefix: &str, style: Style) -> Line<'static> {
    let mut s = String::from(prefix);
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let cell = cells.get(i).map(Safe::as_str).unwrap_or("");
        let cut = truncate(cell, *w as usize);
        let pad = (*w as usize).saturating_sub(cut.width());
        s.push_str(&cut);
        s.push_str(&" ".repeat(pad));
    }
    Line::styled(s, style)
}

/// What a list step of a [`ListSpec`] asks for.
pub(crate) enum Step {
    /// Move in the screen stack (or stay).
    Nav(Nav),
    /// Ask a yes/no question; "yes" runs the action.
    Confirm(Dialog<Action>),
}

/// One kind of list screen (organisations, classes, courses…): what it lists, how each
/// item is drawn and searched, and what its keys do. [`ListScreen`] does the rest:
/// loading, search (`/`), sorting by the core's collation, columns sized by content and
/// dropped by width, paging, the empty state, confirmation dialogs, hints and help.
pub(crate) trait ListSpec: Send + 'static {
    type Item: Clone + Send;
    /// The panel's title (stored text in it is cleaned by the caller with [`Safe`]).
    fn heading(&self, ctx: &Ctx) -> String;
    fn columns(&self, ctx: &Ctx) -> Vec<Col>;
    /// An item's cells, one per column: stored text only as [`Safe`].
    fn cells(&self, ctx: &Ctx, item: &Self::Item) -> Vec<Safe>;
    /// The text `/` searches in (accents and case ignored).
    fn search_text(&self, item: &Self::Item) -> String;
    /// The text items are sorted by (core collation); `None` keeps the order given.
    fn order(&self, _item: &Self::Item) -> Option<String> {
        None
    }
    /// What to load when the screen is shown.
    fn queries(&self) -> Vec<Query>;
    /// The items in `data`, when they are this list's.
    fn items(&self, data: &Data) -> Option<Vec<Self::Item>>;
    /// A key the list did not use, with the selected item (`None` when the list is
    /// empty) and every item.
    fn key(
        &mut self,
        ctx: &mut Ctx,
        key: &KeyEvent,
        sel: Option<&Self::Item>,
        all: &[Self::Item],
        out: &mut Vec<Command>,
    ) -> Step;
    fn hints(&self) -> Key;
    fn help(&self) -> Key;
    /// Other data (e.g. the impact of a deletion asked for): may ask a question.
    fn loaded(&mut self, _ctx: &mut Ctx, _data: &Data, _items: &[Self::Item]) -> Option<Step> {
        None
    }
    /// Whether the spec shows a modal of its own (then it gets every key).
    fn modal(&self) -> bool {
        false
    }
    /// Draws the spec's own modal over the list.
    fn render_over(&self, _frame: &mut Frame, _area: Rect) {}
}

/// The list screen of a [`ListSpec`].
pub(crate) struct ListScreen<S: ListSpec> {
    spec: S,
    items: Vec<S::Item>,
    list: ListView,
    dialog: Option<Dialog<Action>>,
}

impl<S: ListSpec> ListScreen<S> {
    pub(crate) fn of(spec: S) -> Self {
        Self {
            spec,
            items: Vec::new(),
            list: ListView::new(),
            dialog: None,
        }
    }

    fn step(&mut self, step: Step) -> Nav {
        match step {
            Step::Nav(nav) => nav,
            Step::Confirm(d) => {
                self.dialog = Some(d);
                Nav::Stay
            }
        }
    }
}

impl<S: ListSpec> View for ListScreen<S> {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if let Some(d) = self.dialog.take() {
            match d.key(&key) {
                Answer::Yes => out.push(Command::Run(d.pending)),
                Answer::No => {}
                _ => self.dialog = Some(d),
            }
            return Nav::Stay;
        }
        if !self.spec.modal() && self.list.key(&key) {
            return Nav::Stay;
        }
        let sel = self.list.selected().and_then(|i| self.items.get(i));
        let step = self.spec.key(ctx, &key, sel, &self.items, out);
        self.step(step)
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let rows: Vec<Vec<Safe>> = self
            .items
            .iter()
            .map(|i| self.spec.cells(ctx, i))
            .collect();
        let cols = self.spec.columns(ctx);
        let heading = self.spec.heading(ctx);
        self.list.render(frame, ctx, area, &heading, &cols, &rows);
        if let Some(d) = &self.dialog {
            d.render(frame, area);
        }
        self.spec.render_over(frame, area);
    }

    fn hints(&self) -> Key {
        if self.dialog.is_some() || self.spec.modal() {
            Key::UiHintConfirm
        } else if self.list.searching() {
            Key::UiHintSearch
        } else {
            self.spec.hints()
        }
    }

    fn help(&self) -> Key {
        self.spec.help()
    }

    fn captures_text(&self) -> bool {
        self.list.searching() || self.dialog.is_some() || self.spec.modal()
    }

    fn paste(&mut self, text: &str) {
        self.list.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.extend(self.spec.queries().into_iter().map(Command::Load));
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        if let Some(mut items) = self.spec.items(data) {
            if items.iter().any(|i| self.spec.order(i).is_some()) {
                items.sort_by_cached_key(|i| {
                    portail::present::sort_key(&self.spec.order(i).unwrap_or_default())
                });
            }
            // Keep the selection on the same item when it is still there.
            let keys = items.iter().map(|i| self.spec.search_text(i)).collect();
            let before = self
                .list
                .selected()
                .and_then(|i| self.items.get(i))
                .map(|i| self.spec.search_text(i));
            self.items = items;
            self.list.set_items(keys);
            if let Some(b) = before
                && let Some(at) = self.items.iter().position(|i| self.spec.search_text(i) == b)
            {
                self.list.select_item(at);
            }
        }
        let items = std::mem::take(&mut self.items);
        if let Some(step) = self.spec.loaded(ctx, data, &items) {
            let _ = self.step(step);
        }
        self.items = items;
    }
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
        let rows = vec![vec![Safe::from("Anne"), Safe::from("x"), Safe::from("y")]];
        assert_eq!(fit_columns(36, &cols, &rows), vec![12, 8, 14]);
        assert_eq!(fit_columns(30, &cols, &rows), vec![12, 17]);
        assert_eq!(fit_columns(25, &cols, &rows), vec![12, 12]);
        assert_eq!(fit_columns(10, &cols, &rows), vec![10]);
    }

    #[test]
    fn the_first_column_takes_its_content_before_other_columns() {
        let cols = [col("Titre", 14), col("Statut", 9), col("Leçons", 7)];
        // Sixty characters: shown whole at 80 columns.
        let title = "Excel avancé : tableaux croisés dynamiques, niveau 2 (copie)";
        assert_eq!(title.chars().count(), 60);
        let rows = vec![vec![Safe::from(title), Safe::from("Publié"), Safe::from("3")]];
        let w = title.width() as u16;
        // 80 columns: the title whole, the status beside it, the lessons dropped.
        assert_eq!(fit_columns(76, &cols, &rows), vec![w, 76 - w - 1]);
        // Wide: everything, the title whole.
        assert_eq!(fit_columns(156, &cols, &rows)[0], w);
        assert_eq!(fit_columns(156, &cols, &rows).len(), 3);
        // Phone: only the title, cut.
        assert_eq!(fit_columns(36, &cols, &rows), vec![36]);
    }
}
