//! Lists. [`ListView`] is the selectable, scrollable table with incremental search (typed
//! after `/`), paging and an empty state, whose columns are sized by their content and
//! dropped right to left when they do not fit ([`fit_columns`]). [`ListScreen`] is a whole
//! list screen around it: a new one is a [`ListSpec`] (what it loads, its columns as
//! [`Safe`] cells, its search text, its keys) and `ListScreen::of(spec)`; loading, `o`
//! sorting, delete confirmations, back keys, hints and the shared help come with it.
//! Stored text reaches a cell only as [`Safe`], which is built by cleaning it.

use std::cell::Cell;

use portail::i18n::{Key, tf};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::dialog::{Answer, Dialog};
use super::fold;
use crate::field::TextField;
use crate::safe::Safe;
use crate::screens::{View, is_back, report};
use crate::theme::{dim, panel, scroll_marks, selected, title, truncate};
use crate::{Action, Command, Ctx, Data, Effect, KeyCode, KeyEvent, Nav, Query};

/// A column: its header and the width it needs. The first column takes what is left
/// (at least its width); the others are dropped, right to left, when they do not fit.
pub(crate) struct Col {
    pub header: &'static str,
    pub width: u16,
    /// Kept when the first column needs room (it is dropped only when it does not fit).
    pub keep: bool,
}

pub(crate) fn col(header: &'static str, width: u16) -> Col {
    Col {
        header,
        width,
        keep: false,
    }
}

impl Col {
    /// A column the first one does not push out (e.g. a date that says when).
    pub(crate) fn keep(self) -> Self {
        Self { keep: true, ..self }
    }
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
        let (above, below) = self.render_rows(frame, ctx, inner, cols, rows);
        scroll_marks(frame, ctx, area, above, below);
    }

    /// Like `render`, with `heading` as it is: the caller says the count in its own
    /// words (`Quiz · 5 pts · 4 questions`); while a search hides rows, `· 2/4` follows.
    pub(crate) fn render_titled(
        &self,
        frame: &mut Frame,
        ctx: &Ctx,
        area: Rect,
        heading: &str,
        cols: &[Col],
        rows: &[Vec<Safe>],
    ) {
        let suffix = if self.shown.len() == rows.len() {
            String::new()
        } else {
            format!(" · {}/{}", self.shown.len(), rows.len())
        };
        let room = (area.width as usize).saturating_sub(4 + suffix.width());
        let block = panel(&format!("{}{suffix}", truncate(heading, room)));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let (above, below) = self.render_rows(frame, ctx, inner, cols, rows);
        scroll_marks(frame, ctx, area, above, below);
    }

    /// Like `render`, without the panel (for lists inside another screen). Returns how
    /// many items are out of sight above and below, for the caller's panel
    /// ([`scroll_marks`]).
    pub(crate) fn render_rows(
        &self,
        frame: &mut Frame,
        ctx: &Ctx,
        inner: Rect,
        cols: &[Col],
        rows: &[Vec<Safe>],
    ) -> (usize, usize) {
        if inner.height == 0 || inner.width < 4 {
            return (0, 0);
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
            return (0, 0);
        }
        // Keep the selection visible, moving the window as little as possible (and never
        // leaving blank rows under the last item while items are hidden above).
        let mut offset = self
            .offset
            .get()
            .min(self.shown.len().saturating_sub(h.max(1)));
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
        (offset, self.shown.len().saturating_sub(offset + h))
    }
}

/// The widest a column other than the first grows to for its content.
const MAX_COL: u16 = 40;
/// Up to this width, the first column (a title, a name) pushes out other columns to be
/// shown whole.
const FIRST_KEEP: u16 = 64;
/// What the first column leaves to the others when it pushes them out (so a phone
/// still shows a count or a progress beside a name).
const ROOM: u16 = 16;
/// Below this width (a phone) the first column pushes nothing out: the few columns that
/// fit matter more than a whole title.
const NARROW: u16 = 60;

/// The columns that fit in `width` (index, width), sized by their content (`rows`). The
/// columns that fit at their given width are kept (dropped right to left otherwise);
/// the first grows to its longest cell, then the others to theirs. While the first is
/// still cut (up to [`FIRST_KEEP`]), the rightmost other column not marked
/// [`Col::keep`] is dropped for it (leaving at least [`ROOM`] columns). What is left goes to the last column.
pub(crate) fn fit_columns(width: u16, cols: &[Col], rows: &[Vec<Safe>]) -> Vec<(usize, u16)> {
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
            if i == 0 {
                w
            } else {
                w.min(MAX_COL.max(c.width))
            }
        })
        .collect();
    // The columns shown: the first, then the others while they fit at their width.
    let mut shown = vec![0];
    let mut used = cols[0].width.min(width);
    for (i, c) in cols.iter().enumerate().skip(1) {
        if used + 1 + c.width > width {
            break;
        }
        used += 1 + c.width;
        shown.push(i);
    }
    loop {
        let mut widths: Vec<u16> = shown.iter().map(|&i| cols[i].width.min(width)).collect();
        let used: u16 = widths.iter().sum::<u16>() + widths.len() as u16 - 1;
        let mut extra = width.saturating_sub(used);
        for (k, w) in widths.iter_mut().enumerate() {
            let grow = extra.min(want[shown[k]].saturating_sub(*w));
            *w += grow;
            extra -= grow;
        }
        let claim = if width < NARROW {
            0
        } else {
            want[0].min(FIRST_KEEP).min(width - ROOM)
        };
        let first_cut = widths[0] < claim;
        let droppable = shown.iter().rposition(|&i| i > 0 && !cols[i].keep);
        match droppable {
            Some(k) if first_cut => {
                shown.remove(k);
            }
            _ => {
                if let Some(last) = widths.last_mut() {
                    *last += extra;
                }
                return shown.into_iter().zip(widths).collect();
            }
        }
    }
}

/// One row: cells cut or padded to their column widths.
pub(crate) fn row_line(
    cells: &[Safe],
    widths: &[(usize, u16)],
    prefix: &str,
    style: Style,
) -> Line<'static> {
    let mut s = String::from(prefix);
    for (k, (i, w)) in widths.iter().enumerate() {
        if k > 0 {
            s.push(' ');
        }
        let cell = cells.get(*i).map(Safe::as_str).unwrap_or("");
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
    /// The spec's order changed: arrange the items again (see [`ListSpec::arrange`]).
    Rearrange,
}

impl Step {
    /// "Delete …?" with `text`; yes runs `action`.
    pub(crate) fn delete(ctx: &Ctx, text: String, action: Action) -> Self {
        Step::Confirm(Dialog::confirm(ctx, ctx.t(Key::UiDelete), text, action))
    }
}

impl From<Nav> for Step {
    fn from(nav: Nav) -> Self {
        Step::Nav(nav)
    }
}

/// A key the list did not use, with what a spec needs to answer it.
pub(crate) struct Keyed<'a, T> {
    pub ctx: &'a mut Ctx,
    pub key: KeyEvent,
    /// The selected item (`None` when nothing is shown).
    pub sel: Option<&'a T>,
    pub all: &'a [T],
    pub out: &'a mut Vec<Command>,
}

/// A panel under the list about the selected item (`height` rows with its border),
/// drawn when the screen has room for twice that.
pub(crate) struct Detail {
    pub height: u16,
    pub title: Safe,
    pub lines: Vec<Line<'static>>,
}

/// A column of a [`ListSpec`]: its header, its width and how an item fills its cell
/// (stored text only as [`Safe`]).
pub(crate) struct Column<T> {
    header: Key,
    width: u16,
    cell: fn(&Ctx, &T) -> Safe,
}

/// A [`Column`]: `column(Key::FieldName, 14, |_, o| Safe::line(&o.name))`.
pub(crate) const fn column<T>(header: Key, width: u16, cell: fn(&Ctx, &T) -> Safe) -> Column<T> {
    Column {
        header,
        width,
        cell,
    }
}

/// `queries` and `items` of a [`ListSpec`] that loads one query and lists its data as it
/// comes: `loads!(Query::Courses, Data::Courses);` in the `impl`; or only the items a
/// method of the spec keeps: `loads!(Query::Students, Data::Students, Self::keeps);`.
macro_rules! loads {
    ($query:expr, $data:path, $keep:path) => {
        fn queries(&self) -> Vec<Query> {
            vec![$query]
        }

        fn items(&self, data: &Data) -> Option<Vec<Self::Item>> {
            match data {
                $data(all) => Some(all.iter().filter(|i| $keep(self, i)).cloned().collect()),
                _ => None,
            }
        }
    };
    ($query:expr, $data:path) => {
        fn queries(&self) -> Vec<Query> {
            vec![$query]
        }

        fn items(&self, data: &Data) -> Option<Vec<Self::Item>> {
            match data {
                $data(all) => Some(all.clone()),
                _ => None,
            }
        }
    };
}
pub(crate) use loads;

/// One kind of list screen (organisations, classes, courses, quizzes, students…): what it
/// lists, how each item is drawn and searched, and what its keys do. [`ListScreen`] does
/// the rest: loading, search (`/`), sorting (`o`: by column, numbers by value, text by the
/// core's collation), columns sized by content and dropped by width, paging, the empty
/// state, confirmation dialogs, hints and help.
pub(crate) trait ListSpec: Send + 'static {
    type Item: Clone + Send + 'static;
    /// The panel's title, unless [`ListSpec::heading`] says more.
    const TITLE: Key;
    /// The columns (header, width, cell), unless [`ListSpec::columns`] and
    /// [`ListSpec::cells`] say otherwise.
    const COLUMNS: &'static [Column<Self::Item>] = &[];
    /// The status bar hints.
    const HINTS: Key;
    /// The help overlay.
    const HELP: Key;
    /// The panel's title (stored text in it goes through [`Safe`]).
    fn heading(&self, ctx: &Ctx) -> String {
        ctx.t(Self::TITLE).to_string()
    }
    fn columns(&self, ctx: &Ctx) -> Vec<Col> {
        Self::COLUMNS
            .iter()
            .map(|c| col(ctx.t(c.header), c.width))
            .collect()
    }
    /// An item's cells, one per column: stored text only as [`Safe`].
    fn cells(&self, ctx: &Ctx, item: &Self::Item) -> Vec<Safe> {
        Self::COLUMNS.iter().map(|c| (c.cell)(ctx, item)).collect()
    }
    /// The text `/` searches in (accents and case ignored).
    fn search_text(&self, item: &Self::Item) -> String;
    /// What to load when the screen is shown.
    fn queries(&self) -> Vec<Query>;
    /// The items in `data`, when they are this list's.
    fn items(&self, data: &Data) -> Option<Vec<Self::Item>>;
    /// A key the list did not use (Esc, Backspace and ← go back before it is asked).
    fn key(&mut self, k: Keyed<'_, Self::Item>) -> Step;
    /// The spec's own order of the items (they come in the service's order).
    fn arrange(&self, _items: &mut [Self::Item]) {}
    /// Other data (e.g. the impact of a deletion asked for): may ask a question.
    fn loaded(&mut self, _ctx: &mut Ctx, _data: &Data, _items: &[Self::Item]) -> Option<Step> {
        None
    }
    /// An action the screen asked for finished.
    fn ran(&mut self, ctx: &mut Ctx, result: Result<Effect, String>) -> Nav {
        report(ctx, result);
        Nav::Stay
    }
    /// The text shown in place of an empty list (and "loading" before the first data);
    /// `None`: a dim line inside the list.
    fn empty(&self) -> Option<Key> {
        None
    }
    /// The selected item's panel under the list.
    fn detail(&self, _ctx: &Ctx, _item: &Self::Item) -> Option<Detail> {
        None
    }
    /// Whether a change in `student`'s progress in `course` should reload the list.
    fn reload_on_progress(&self, _ctx: &Ctx, _student: i64, _course: i64) -> bool {
        false
    }
    /// Whether the spec shows a modal of its own (then it gets every key).
    fn modal(&self) -> bool {
        false
    }
    /// Draws the spec's own modal over the list.
    fn render_over(&self, _frame: &mut Frame, _area: Rect) {}
}

/// How a cell sorts: numbers (`12`, `7 h`, `80 %`) by value before text, text by the
/// core's collation (`Bénard` before `Boyer`); dates written `YYYY-MM-DD` sort as text.
#[derive(PartialEq, PartialOrd)]
enum SortCell {
    Number(f64),
    Text(portail::present::SortKey),
}

fn sort_cell(cell: &Safe) -> SortCellKey {
    let lead: String = cell
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    let rest = cell.trim()[lead.len()..].trim();
    let numeric = !lead.is_empty() && rest.chars().all(|c| !c.is_alphanumeric() || c == 'h');
    SortCellKey(match lead.replace(',', ".").parse::<f64>() {
        Ok(n) if numeric => SortCell::Number(n),
        _ => SortCell::Text(portail::present::sort_key(cell)),
    })
}

/// A total order over [`SortCell`] (numbers are never NaN here).
#[derive(PartialEq)]
struct SortCellKey(SortCell);

impl Eq for SortCellKey {}

impl PartialOrd for SortCellKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SortCellKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0
            .partial_cmp(&other.0)
            .unwrap_or(std::cmp::Ordering::Equal)
    }
}

/// A message in a panel (loading, empty states).
pub(crate) fn message(frame: &mut Frame, area: Rect, heading: &str, text: &str) {
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {text}"), dim()))
            .wrap(Wrap { trim: true })
            .block(panel(heading)),
        area,
    );
}

/// The list screen of a [`ListSpec`].
pub(crate) struct ListScreen<S: ListSpec> {
    spec: S,
    /// The items in the order loaded (the service's, already collated).
    loaded: Vec<S::Item>,
    /// The items as shown: `loaded`, sorted by column `sort` when one is chosen (`o`).
    items: Vec<S::Item>,
    sort: Option<usize>,
    /// Whether the items came at least once.
    ready: bool,
    list: ListView,
    dialog: Option<Dialog<Action>>,
}

impl<S: ListSpec> ListScreen<S> {
    pub(crate) fn of(spec: S) -> Self {
        Self {
            spec,
            loaded: Vec::new(),
            items: Vec::new(),
            sort: None,
            ready: false,
            list: ListView::new(),
            dialog: None,
        }
    }

    /// Shows `loaded` in the chosen order, keeping the selected item selected.
    fn arrange(&mut self, ctx: &Ctx) {
        let before = self
            .list
            .selected()
            .and_then(|i| self.items.get(i))
            .map(|i| self.spec.search_text(i));
        let mut items = self.loaded.clone();
        self.spec.arrange(&mut items);
        if let Some(c) = self.sort {
            items.sort_by_cached_key(|i| {
                let cell = self
                    .spec
                    .cells(ctx, i)
                    .into_iter()
                    .nth(c)
                    .unwrap_or_default();
                sort_cell(&cell)
            });
        }
        let keys = items.iter().map(|i| self.spec.search_text(i)).collect();
        self.items = items;
        self.list.set_items(keys);
        if let Some(b) = before
            && let Some(at) = self
                .items
                .iter()
                .position(|i| self.spec.search_text(i) == b)
        {
            self.list.select_item(at);
        }
    }

    fn step(&mut self, ctx: &Ctx, step: Step) -> Nav {
        match step {
            Step::Nav(nav) => nav,
            Step::Confirm(d) => {
                self.dialog = Some(d);
                Nav::Stay
            }
            Step::Rearrange => {
                self.arrange(ctx);
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
        if key.code == KeyCode::Char('o') && !self.spec.modal() {
            // Sort by the next column (numbers by value, text by the core's collation),
            // then back to the order loaded.
            let n = self.spec.columns(ctx).len();
            self.sort = match self.sort {
                None if n > 0 => Some(0),
                Some(c) if c + 1 < n => Some(c + 1),
                _ => None,
            };
            self.arrange(ctx);
            return Nav::Stay;
        }
        if !self.spec.modal() && is_back(&key) {
            return Nav::Pop;
        }
        let sel = self.list.selected().and_then(|i| self.items.get(i));
        let step = self.spec.key(Keyed {
            ctx,
            key,
            sel,
            all: &self.items,
            out,
        });
        self.step(ctx, step)
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = self.spec.heading(ctx);
        if let Some(empty) = self.spec.empty()
            && self.items.is_empty()
        {
            let text = ctx.t(if self.ready { empty } else { Key::SpLoading });
            return message(frame, area, &heading, text);
        }
        let rows: Vec<Vec<Safe>> = self.items.iter().map(|i| self.spec.cells(ctx, i)).collect();
        let cols = self.spec.columns(ctx);
        let sel = self.list.selected().and_then(|i| self.items.get(i));
        let detail = sel
            .and_then(|i| self.spec.detail(ctx, i))
            .filter(|d| area.height >= 2 * d.height + 2);
        let detail_h = detail.as_ref().map_or(0, |d| d.height);
        // With a detail panel, the list takes the rows it needs and the panel follows.
        let list_h = if detail.is_some() {
            (self.items.len() as u16 + 3)
                .max(5)
                .min(area.height.saturating_sub(detail_h))
        } else {
            area.height
        };
        let [list_area, detail_area, _] = Layout::vertical([
            Constraint::Length(list_h),
            Constraint::Length(detail_h),
            Constraint::Min(0),
        ])
        .areas(area);
        self.list
            .render(frame, ctx, list_area, &heading, &cols, &rows);
        if let Some(d) = detail {
            let block = panel(&truncate(
                &d.title,
                detail_area.width.saturating_sub(4) as usize,
            ));
            let inner = block.inner(detail_area);
            frame.render_widget(block, detail_area);
            frame.render_widget(Paragraph::new(d.lines), inner);
        }
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
            S::HINTS
        }
    }

    fn help(&self) -> Key {
        S::HELP
    }

    fn help_more(&self) -> Option<Key> {
        Some(Key::UiHelpList)
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

    fn progress_changed(&mut self, ctx: &Ctx, student: i64, course: i64, out: &mut Vec<Command>) {
        if self.spec.reload_on_progress(ctx, student, course) {
            out.extend(self.spec.queries().into_iter().map(Command::Load));
        }
    }

    fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        _out: &mut Vec<Command>,
    ) -> Nav {
        self.spec.ran(ctx, result)
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        if let Some(items) = self.spec.items(data) {
            self.loaded = items;
            self.ready = true;
            self.arrange(ctx);
        }
        let items = std::mem::take(&mut self.items);
        if let Some(step) = self.spec.loaded(ctx, data, &items) {
            let _ = self.step(ctx, step);
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

    fn w_of(width: u16, cols: &[Col], rows: &[Vec<Safe>]) -> Vec<u16> {
        fit_columns(width, cols, rows)
            .into_iter()
            .map(|(_, w)| w)
            .collect()
    }

    #[test]
    fn columns_drop_on_narrow_screens() {
        let cols = [col("Nom", 12), col("A", 8), col("B", 10)];
        let rows = vec![vec![Safe::from("Anne"), Safe::from("x"), Safe::from("y")]];
        assert_eq!(w_of(36, &cols, &rows), vec![12, 8, 14]);
        assert_eq!(w_of(30, &cols, &rows), vec![12, 17]);
        assert_eq!(w_of(25, &cols, &rows), vec![12, 12]);
        assert_eq!(w_of(10, &cols, &rows), vec![10]);
    }

    #[test]
    fn the_first_column_takes_its_content_before_other_columns() {
        let cols = [col("Titre", 14), col("Statut", 9), col("Leçons", 7)];
        // Sixty characters: shown whole at 80 columns.
        let title = "Excel avancé : tableaux croisés dynamiques, niveau 2 (copie)";
        assert_eq!(title.chars().count(), 60);
        let rows = vec![vec![
            Safe::from(title),
            Safe::from("Publié"),
            Safe::from("3"),
        ]];
        let w = title.width() as u16;
        // 80 columns: the title whole, the status beside it, the lessons dropped.
        assert_eq!(w_of(76, &cols, &rows), vec![w, 76 - w - 1]);
        // Wide: everything, the title whole.
        assert_eq!(w_of(156, &cols, &rows)[0], w);
        assert_eq!(w_of(156, &cols, &rows).len(), 3);
        // A column marked `keep` (a date) stays; the title is then cut if need be.
        let kept = [col("Titre", 14), col("Statut", 9), col("Date", 16).keep()];
        let dated = vec![vec![
            Safe::from(title),
            Safe::from("Publié"),
            Safe::from("2026-11-24 14:03"),
        ]];
        assert_eq!(fit_columns(76, &kept, &dated), vec![(0, 59), (2, 16)]);
        // Phone: the columns that fit stay, the title is cut.
        assert_eq!(w_of(36, &cols, &rows), vec![18, 9, 7]);
    }
}
