//! One text-editing component for every text a person types: [`TextEdit`].
//!
//! It wraps words to the width it is drawn in (wide characters count two columns and are
//! never split), keeps the cursor in view by scrolling vertically, undoes and redoes
//! (Ctrl-Z / Ctrl-Y), and takes pastes. Every inserted character goes through
//! [`portail::sanitize::is_dangerous`] (controls, escapes and bidi overrides are dropped),
//! and the text never grows past its `max_chars`.
//!
//! Written here rather than adopting `ratatui-textarea` 0.9: that widget renders itself
//! into its own `Rect` and keeps its viewport inside, while our forms lay out every field
//! as lines of one scrolled paragraph and need the wrapped rows and the cursor as data; it
//! has no length limit nor an input filter hook (each key and paste would be checked
//! twice, outside and in), and it draws its own cursor cell where we place the terminal's.
//!
//! Single-line fields (`TextEdit::new`, `masked`) keep today's paste rule (a newline ends
//! the paste); drawn with [`TextEdit::view`] they wrap like the others, and
//! [`TextEdit::visible`] still gives one scrolled row for search boxes and passwords.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::{KeyCode, KeyEvent, KeyModifiers};

/// Undo steps kept.
const HISTORY: usize = 100;

/// What the last change was, so typing a word is undone as one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Last {
    #[default]
    Other,
    Typing,
    Deleting,
}

#[derive(Debug, Clone, Default)]
pub struct TextEdit {
    chars: Vec<char>,
    cursor: usize,
    masked: bool,
    multiline: bool,
    max_chars: usize,
    undo: Vec<(Vec<char>, usize)>,
    redo: Vec<(Vec<char>, usize)>,
    last: Last,
    /// The width it was last drawn in (↑/↓ move by rows on screen), 0 before.
    width: Cell<usize>,
    /// The first row shown last time (the view only scrolls to keep the cursor in).
    top: Cell<usize>,
}

/// A single-line field (the name used before the component was shared).
pub type TextField = TextEdit;

/// What [`TextEdit::view`] shows: the rows in the window and the cursor within them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub rows: Vec<String>,
    /// (row in `rows`, column) of the cursor, when it is in the window.
    pub cursor: Option<(usize, usize)>,
    /// Rows of the whole text at this width.
    pub total: usize,
}

fn width(c: char) -> usize {
    c.width().unwrap_or(0)
}

impl TextEdit {
    /// A one-line field: a pasted newline ends the paste.
    pub fn new(max_chars: usize) -> Self {
        Self {
            max_chars,
            ..Self::default()
        }
    }

    /// A one-line field drawn as dots (passwords).
    pub fn masked(max_chars: usize) -> Self {
        Self {
            masked: true,
            ..Self::new(max_chars)
        }
    }

    /// A multi-line field: Enter and pasted newlines make new lines.
    pub fn multiline(max_chars: usize) -> Self {
        Self {
            multiline: true,
            ..Self::new(max_chars)
        }
    }

    /// The same field holding `value` (sanitized), the cursor at its start, nothing to undo.
    pub fn with(mut self, value: &str) -> Self {
        self.insert_str(value);
        self.cursor = 0;
        self.undo.clear();
        self.last = Last::Other;
        self
    }

    pub fn value(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    /// Empties the field (undoable).
    pub fn clear(&mut self) {
        if !self.chars.is_empty() {
            self.checkpoint(Last::Other);
            self.chars.clear();
        }
        self.cursor = 0;
    }

    /// Saves the state before a change; consecutive typing (or deleting) is one step,
    /// cut at spaces and new lines.
    fn checkpoint(&mut self, kind: Last) {
        if kind == Last::Other || kind != self.last {
            self.undo.push((self.chars.clone(), self.cursor));
            if self.undo.len() > HISTORY {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last = kind;
    }

    pub fn undo(&mut self) -> bool {
        let Some((chars, cursor)) = self.undo.pop() else {
            return false;
        };
        self.redo
            .push((std::mem::replace(&mut self.chars, chars), self.cursor));
        self.cursor = cursor;
        self.last = Last::Other;
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some((chars, cursor)) = self.redo.pop() else {
            return false;
        };
        self.undo
            .push((std::mem::replace(&mut self.chars, chars), self.cursor));
        self.cursor = cursor;
        self.last = Last::Other;
        true
    }

    /// Inserts text at the cursor (a paste: one undo step). Dangerous characters are
    /// dropped; in a multi-line field CRLF and CR become new lines and a tab four spaces,
    /// in a one-line field a new line ends the text. Stops at the length limit.
    pub fn insert_str(&mut self, text: &str) {
        let mut clean: Vec<char> = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' | '\n' if !self.multiline => break,
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    clean.push('\n');
                }
                '\n' => clean.push('\n'),
                '\t' => clean.extend([' '; 4]),
                c if portail::sanitize::is_dangerous(c) => {}
                c => clean.push(c),
            }
        }
        let room = self.max_chars.saturating_sub(self.chars.len());
        clean.truncate(room);
        if clean.is_empty() {
            return;
        }
        self.checkpoint(Last::Other);
        let n = clean.len();
        self.chars.splice(self.cursor..self.cursor, clean);
        self.cursor += n;
        self.last = Last::Other;
    }

    /// Types one character; returns whether it was taken.
    fn type_char(&mut self, c: char) -> bool {
        let allowed = (c == '\n' && self.multiline) || !portail::sanitize::is_dangerous(c);
        if !allowed || self.chars.len() >= self.max_chars {
            return false;
        }
        // A space or new line closes the word being typed: the next word is a new step.
        self.checkpoint(Last::Typing);
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
        if c == ' ' || c == '\n' {
            self.last = Last::Other;
        }
        true
    }

    fn delete(&mut self, at: usize) {
        self.checkpoint(Last::Deleting);
        self.chars.remove(at);
    }

    fn line_start(&self, pos: usize) -> usize {
        self.chars[..pos]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(0, |i| i + 1)
    }

    fn line_end(&self, pos: usize) -> usize {
        self.chars[pos..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(self.chars.len(), |i| pos + i)
    }

    fn word_left(&self) -> usize {
        let mut i = self.cursor;
        while i > 0 && self.chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !self.chars[i - 1].is_whitespace() {
            i -= 1;
        }
        i
    }

    fn word_right(&self) -> usize {
        let n = self.chars.len();
        let mut i = self.cursor;
        while i < n && !self.chars[i].is_whitespace() {
            i += 1;
        }
        while i < n && self.chars[i].is_whitespace() {
            i += 1;
        }
        i
    }

    /// Moves the cursor one row up (`-1`) or down (`1`) on screen, keeping its column;
    /// false at the first / last row.
    fn vertical(&mut self, dir: isize) -> bool {
        let rows = self.rows(self.width.get());
        let (row, col) = self.locate(&rows, self.width.get());
        let Some(target) = row.checked_add_signed(dir).filter(|r| *r < rows.len()) else {
            return false;
        };
        let (s, e) = rows[target];
        let mut pos = s;
        let mut w = 0;
        while pos < e {
            let cw = width(self.chars[pos]);
            if w + cw > col {
                break;
            }
            w += cw;
            pos += 1;
        }
        self.cursor = pos;
        true
    }

    /// Handles editing keys; returns whether the key was used. ↑/↓ and Enter are only
    /// used by a multi-line field (↑ on its first row and ↓ on its last are not).
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        match key.code {
            KeyCode::Char('z' | 'Z') if ctrl && shift => {
                self.redo();
            }
            KeyCode::Char('z') if ctrl => {
                self.undo();
            }
            KeyCode::Char('y') if ctrl => {
                self.redo();
            }
            KeyCode::Char('u') if ctrl => self.clear(),
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.chars.len(),
            KeyCode::Char('w') if ctrl => {
                let from = self.word_left();
                if from < self.cursor {
                    self.checkpoint(Last::Other);
                    self.chars.drain(from..self.cursor);
                    self.cursor = from;
                }
            }
            KeyCode::Char(_) if ctrl => return false,
            KeyCode::Char(c) => {
                self.type_char(c);
            }
            KeyCode::Enter if self.multiline => {
                self.type_char('\n');
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.delete(self.cursor);
            }
            KeyCode::Delete if self.cursor < self.chars.len() => self.delete(self.cursor),
            KeyCode::Backspace | KeyCode::Delete => {}
            KeyCode::Left if ctrl => self.cursor = self.word_left(),
            KeyCode::Right if ctrl => self.cursor = self.word_right(),
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.chars.len()),
            KeyCode::Home if ctrl || !self.multiline => self.cursor = 0,
            KeyCode::End if ctrl || !self.multiline => self.cursor = self.chars.len(),
            KeyCode::Home => self.cursor = self.line_start(self.cursor),
            KeyCode::End => self.cursor = self.line_end(self.cursor),
            KeyCode::Up if self.multiline => return self.vertical(-1),
            KeyCode::Down if self.multiline => return self.vertical(1),
            _ => return false,
        }
        true
    }

    /// The character shown for `c` (dots when masked).
    fn shown(&self, c: char) -> char {
        if self.masked { '•' } else { c }
    }

    /// The text cut into rows of at most `width` columns: (start, end) character ranges,
    /// new lines excluded. Words move to the next row whole when they fit in one; spaces
    /// at a break stay at the end of the row (they may pass the width). `width` 0: no wrap.
    fn rows(&self, width_cols: usize) -> Vec<(usize, usize)> {
        let w = if width_cols == 0 {
            usize::MAX
        } else {
            width_cols
        };
        let mut rows = Vec::new();
        let n = self.chars.len();
        let mut line = 0;
        loop {
            let end_line = self.line_end(line);
            let mut start = line;
            loop {
                let mut col = 0;
                let mut end = start;
                let mut last_break = None;
                while end < end_line {
                    let cw = width(self.shown(self.chars[end]));
                    if col + cw > w {
                        break;
                    }
                    col += cw;
                    end += 1;
                    if self.chars[end - 1] == ' ' {
                        last_break = Some(end);
                    }
                }
                if end == end_line {
                    rows.push((start, end));
                    break;
                }
                if self.chars[end] == ' ' {
                    while end < end_line && self.chars[end] == ' ' {
                        end += 1;
                    }
                } else if let Some(b) = last_break {
                    end = b;
                } else if end == start {
                    end += 1;
                }
                rows.push((start, end));
                start = end;
                if start == end_line {
                    // Trailing spaces filled the row: the cursor goes on an empty one.
                    rows.push((start, start));
                    break;
                }
            }
            if end_line >= n {
                break;
            }
            line = end_line + 1;
        }
        rows
    }

    /// (row, column) of the cursor among `rows`. At a soft break the cursor is at the
    /// start of the next row.
    fn locate(&self, rows: &[(usize, usize)], width_cols: usize) -> (usize, usize) {
        for (r, &(s, e)) in rows.iter().enumerate() {
            let soft_next = rows.get(r + 1).is_some_and(|&(ns, _)| ns == e);
            if self.cursor >= s && (self.cursor < e || (self.cursor == e && !soft_next)) {
                let col: usize = self.chars[s..self.cursor]
                    .iter()
                    .map(|&c| width(self.shown(c)))
                    .sum();
                let col = if width_cols == 0 {
                    col
                } else {
                    col.min(width_cols)
                };
                return (r, col);
            }
        }
        (rows.len().saturating_sub(1), 0)
    }

    fn row_text(&self, (s, e): (usize, usize), width_cols: usize) -> String {
        let mut out = String::new();
        let mut w = 0;
        for &c in &self.chars[s..e] {
            let c = self.shown(c);
            let cw = width(c);
            if width_cols > 0 && w + cw > width_cols {
                break;
            }
            w += cw;
            out.push(c);
        }
        out
    }

    /// The rows of the text wrapped to `width` columns, at most `height` of them: the
    /// window scrolls only as far as needed to show the cursor. The cursor's column may
    /// be `width` (after a full row): leave one column free for it.
    pub fn view(&self, width_cols: usize, height: usize) -> View {
        let width_cols = width_cols.max(1);
        self.width.set(width_cols);
        let rows = self.rows(width_cols);
        let (row, col) = self.locate(&rows, width_cols);
        let height = height.max(1);
        let mut top = self.top.get().min(rows.len().saturating_sub(height));
        if row < top {
            top = row;
        } else if row >= top + height {
            top = row + 1 - height;
        }
        self.top.set(top);
        View {
            rows: rows
                .iter()
                .skip(top)
                .take(height)
                .map(|&r| self.row_text(r, width_cols))
                .collect(),
            cursor: Some((row - top, col)),
            total: rows.len(),
        }
    }

    /// Rows of the text at `width` columns (to size a box before drawing it).
    pub fn row_count(&self, width_cols: usize) -> usize {
        self.rows(width_cols.max(1)).len()
    }

    /// Draws the wrapped text in `area` (the last column is kept for the cursor), and
    /// places the terminal's cursor when `cursor` is true.
    pub fn render(&self, frame: &mut Frame, area: Rect, cursor: bool) {
        if area.width < 2 || area.height == 0 {
            return;
        }
        let v = self.view(area.width as usize - 1, area.height as usize);
        let lines: Vec<Line> = v.rows.into_iter().map(Line::from).collect();
        frame.render_widget(Paragraph::new(lines), area);
        if cursor && let Some((r, c)) = v.cursor {
            frame.set_cursor_position(Position::new(area.x + c as u16, area.y + r as u16));
        }
    }

    /// One row of `width` columns scrolled sideways so the cursor stays visible (search
    /// boxes, passwords, one-line answers) and the cursor column within it.
    pub fn visible(&self, width_cols: usize) -> (String, usize) {
        let shown: Vec<char> = self
            .chars
            .iter()
            .map(|&c| if c == '\n' { ' ' } else { self.shown(c) })
            .collect();
        let width_cols = width_cols.max(1);
        let mut start = 0;
        while start < self.cursor
            && shown[start..self.cursor].iter().collect::<String>().width() >= width_cols
        {
            start += 1;
        }
        let mut out = String::new();
        let mut w = 0;
        for &c in &shown[start..] {
            if w + width(c) > width_cols {
                break;
            }
            w += width(c);
            out.push(c);
        }
        let col = shown[start..self.cursor].iter().collect::<String>().width();
        (out, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c)).modifiers(KeyModifiers::CTRL)
    }

    fn typed(f: &mut TextEdit, s: &str) {
        for c in s.chars() {
            f.key(k(if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            }));
        }
    }

    #[test]
    fn edits_at_cursor_and_respects_limit() {
        let mut f = TextField::new(5);
        f.insert_str("abd");
        f.key(k(KeyCode::Left));
        f.key(k(KeyCode::Char('c')));
        assert_eq!(f.value(), "abcd");
        f.insert_str("xyz\nignored");
        assert_eq!(f.value(), "abcxd");
        f.key(k(KeyCode::Home));
        f.key(k(KeyCode::Delete));
        assert_eq!(f.value(), "bcxd");
        f.key(ctrl('u'));
        assert!(f.is_empty());
    }

    #[test]
    fn masked_and_scrolling() {
        let mut f = TextField::masked(100);
        f.insert_str("secret");
        assert_eq!(f.visible(20), ("••••••".to_string(), 6));
        assert_eq!(f.view(20, 1).rows, vec!["••••••"]);
        let mut f = TextField::new(100);
        f.insert_str("abcdefghij");
        let (text, col) = f.visible(5);
        assert_eq!(text, "ghij");
        assert_eq!(col, 4);
    }

    #[test]
    fn multiline_moves_between_lines() {
        let mut a = TextEdit::multiline(100);
        a.insert_str("abc\r\nde\u{1b}f");
        assert_eq!(a.value(), "abc\ndef");
        a.key(k(KeyCode::Up));
        assert_eq!(a.view(20, 5).cursor, Some((0, 3)));
        a.key(k(KeyCode::Home));
        a.key(k(KeyCode::Down));
        a.key(k(KeyCode::Enter));
        assert_eq!(a.value(), "abc\n\ndef");
        assert_eq!(a.view(20, 5).cursor, Some((2, 0)));
    }

    #[test]
    fn wraps_words_and_wide_characters() {
        let a = TextEdit::multiline(500).with("le petit chat dort\nsur le canapé");
        assert_eq!(
            a.view(9, 10).rows,
            vec!["le petit ", "chat dort", "sur le ", "canapé"]
        );
        // A word longer than the row is cut; a wide character is never split.
        let a = TextEdit::multiline(500).with("abcdefghijkl 日本語です");
        assert_eq!(
            a.view(5, 10).rows,
            vec!["abcde", "fghij", "kl ", "日本", "語で", "す"]
        );
        // The cursor after a soft break is at the start of the next row.
        let mut a = TextEdit::multiline(500).with("aaaa bbbb");
        a.key(k(KeyCode::Right));
        for _ in 0..4 {
            a.key(k(KeyCode::Right));
        }
        assert_eq!(a.view(5, 10).cursor, Some((1, 0)));
        // ↑/↓ move by rows on screen.
        a.key(k(KeyCode::Right));
        a.key(k(KeyCode::Up));
        assert_eq!(a.view(5, 10).cursor, Some((0, 1)));
        // Emoji count two columns.
        let mut e = TextEdit::multiline(50);
        e.insert_str("🙂🙂");
        assert_eq!(e.view(10, 1).cursor, Some((0, 4)));
    }

    #[test]
    fn scrolls_vertically_to_the_cursor() {
        let mut a = TextEdit::multiline(500).with("1\n2\n3\n4\n5\n6");
        let v = a.view(10, 3);
        assert_eq!(
            (v.rows.clone(), v.cursor, v.total),
            (vec!["1".into(), "2".into(), "3".into()], Some((0, 0)), 6)
        );
        a.key(ctrl('e'));
        a.key(KeyEvent::new(KeyCode::End).modifiers(KeyModifiers::CTRL));
        let v = a.view(10, 3);
        assert_eq!(v.rows, vec!["4", "5", "6"]);
        assert_eq!(v.cursor, Some((2, 1)));
        // Going up one row does not jump the window.
        a.key(k(KeyCode::Up));
        assert_eq!(a.view(10, 3).rows, vec!["4", "5", "6"]);
    }

    #[test]
    fn undo_and_redo() {
        let mut a = TextEdit::multiline(500);
        typed(&mut a, "bonjour à tous");
        a.insert_str("\ncollé");
        a.key(k(KeyCode::Backspace));
        a.key(k(KeyCode::Backspace));
        assert_eq!(a.value(), "bonjour à tous\ncol");
        a.key(ctrl('z'));
        assert_eq!(a.value(), "bonjour à tous\ncollé");
        a.key(ctrl('z'));
        assert_eq!(a.value(), "bonjour à tous");
        a.key(ctrl('z'));
        assert_eq!(a.value(), "bonjour à ");
        a.key(ctrl('y'));
        assert_eq!(a.value(), "bonjour à tous");
        for _ in 0..10 {
            a.key(ctrl('z'));
        }
        assert_eq!(a.value(), "");
        a.key(ctrl('y'));
        a.key(k(KeyCode::Char('!')));
        // A new change forgets what could be redone.
        assert!(!a.redo());
        // The initial value of a form is not undone.
        let mut b = TextEdit::new(50).with("titre");
        assert!(!b.undo());
        b.key(k(KeyCode::Char('x')));
        b.key(ctrl('z'));
        assert_eq!(b.value(), "titre");
    }

    #[test]
    fn paste_keeps_lines_only_where_they_belong() {
        let mut a = TextEdit::multiline(12);
        a.insert_str("un\r\ndeux\rtrois\u{9b}31m\u{202e}quatre");
        assert_eq!(a.value(), "un\ndeux\ntroi");
        let mut f = TextEdit::new(100);
        f.insert_str("titre\u{1b}[2J\nsuite");
        assert_eq!(f.value(), "titre[2J");
        // Typed control characters are refused too.
        f.key(k(KeyCode::Char('\u{7}')));
        assert_eq!(f.value(), "titre[2J");
    }
}
