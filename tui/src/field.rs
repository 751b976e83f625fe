//! A one-line text field with a cursor, optionally masked (passwords).

use unicode_width::UnicodeWidthStr;

use crate::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default)]
pub struct TextField {
    chars: Vec<char>,
    cursor: usize,
    masked: bool,
    max_chars: usize,
}

impl TextField {
    pub fn new(max_chars: usize) -> Self {
        Self {
            max_chars,
            ..Self::default()
        }
    }

    pub fn masked(max_chars: usize) -> Self {
        Self {
            masked: true,
            ..Self::new(max_chars)
        }
    }

    pub fn value(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub fn clear(&mut self) {
        self.chars.clear();
        self.cursor = 0;
    }

    /// Inserts text at the cursor; control characters are dropped, newlines end the paste.
    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            if c == '\n' || c == '\r' {
                break;
            }
            self.insert(c);
        }
    }

    fn insert(&mut self, c: char) {
        if c.is_control() || self.chars.len() >= self.max_chars {
            return;
        }
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
    }

    /// Handles editing keys; returns whether the key was used.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
        match key.code {
            KeyCode::Char('u') if ctrl => self.clear(),
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.chars.len(),
            KeyCode::Char(c) if !ctrl => self.insert(c),
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.chars.remove(self.cursor);
            }
            KeyCode::Delete if self.cursor < self.chars.len() => {
                self.chars.remove(self.cursor);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.chars.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.chars.len(),
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    /// The text to draw in `width` columns and the cursor column within it. Long values
    /// scroll so the cursor stays visible.
    pub fn visible(&self, width: usize) -> (String, usize) {
        let shown: Vec<char> = if self.masked {
            vec!['•'; self.chars.len()]
        } else {
            self.chars
                .iter()
                .map(|c| {
                    portail::sanitize::line(&c.to_string())
                        .chars()
                        .next()
                        .unwrap_or(' ')
                })
                .collect()
        };
        let width = width.max(1);
        // Start so that the text from `start` to the cursor fits in width - 1 columns.
        let mut start = 0;
        loop {
            let before: String = shown[start..self.cursor].iter().collect();
            if before.width() < width || start >= self.cursor {
                break;
            }
            start += 1;
        }
        let mut out = String::new();
        for c in &shown[start..] {
            let mut next = out.clone();
            next.push(*c);
            if next.width() > width {
                break;
            }
            out = next;
        }
        let col = shown[start..self.cursor].iter().collect::<String>().width();
        (out, col)
    }
}

/// A multi-line text field (lesson bodies, notes). Enter inserts a new line.
#[derive(Debug, Clone, Default)]
pub struct TextArea {
    chars: Vec<char>,
    cursor: usize,
    max_chars: usize,
}

impl TextArea {
    pub fn new(max_chars: usize) -> Self {
        Self {
            max_chars,
            ..Self::default()
        }
    }

    pub fn value(&self) -> String {
        self.chars.iter().collect()
    }

    /// Inserts text at the cursor; keeps newlines, drops other control characters.
    pub fn insert_str(&mut self, text: &str) {
        for c in text.replace("\r\n", "\n").chars() {
            let c = if c == '\r' { '\n' } else { c };
            if c == '\t' {
                for _ in 0..4 {
                    self.insert(' ');
                }
            } else {
                self.insert(c);
            }
        }
    }

    fn insert(&mut self, c: char) {
        if (c.is_control() && c != '\n') || self.chars.len() >= self.max_chars {
            return;
        }
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
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

    /// Handles editing keys; returns whether the key was used.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
        match key.code {
            KeyCode::Char(c) if !ctrl => self.insert(c),
            KeyCode::Enter => self.insert('\n'),
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.chars.remove(self.cursor);
            }
            KeyCode::Delete if self.cursor < self.chars.len() => {
                self.chars.remove(self.cursor);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.chars.len()),
            KeyCode::Home => self.cursor = self.line_start(self.cursor),
            KeyCode::End => self.cursor = self.line_end(self.cursor),
            KeyCode::Up => {
                let start = self.line_start(self.cursor);
                if start == 0 {
                    return false;
                }
                let col = self.cursor - start;
                let prev = self.line_start(start - 1);
                self.cursor = (prev + col).min(start - 1);
            }
            KeyCode::Down => {
                let end = self.line_end(self.cursor);
                if end == self.chars.len() {
                    return false;
                }
                let col = self.cursor - self.line_start(self.cursor);
                let next_end = self.line_end(end + 1);
                self.cursor = (end + 1 + col).min(next_end);
            }
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    /// The lines (sanitized) and the cursor as (row, column in characters).
    pub fn lines(&self) -> (Vec<String>, (usize, usize)) {
        let text: String = self.chars.iter().collect();
        let lines: Vec<String> = text
            .split('\n')
            .map(|l| portail::sanitize::line(l).into_owned())
            .collect();
        let row = self.chars[..self.cursor]
            .iter()
            .filter(|&&c| c == '\n')
            .count();
        let col = self.cursor - self.line_start(self.cursor);
        (lines, (row, col))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code)
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
        f.key(KeyEvent::new(KeyCode::Char('u')).modifiers(KeyModifiers::CTRL));
        assert!(f.is_empty());
    }

    #[test]
    fn masked_and_scrolling() {
        let mut f = TextField::masked(100);
        f.insert_str("secret");
        assert_eq!(f.visible(20), ("••••••".to_string(), 6));
        let mut f = TextField::new(100);
        f.insert_str("abcdefghij");
        let (text, col) = f.visible(5);
        assert_eq!(text, "ghij");
        assert_eq!(col, 4);
    }

    #[test]
    fn text_area_moves_between_lines() {
        let mut a = TextArea::new(100);
        a.insert_str("abc\r\nde\u{1b}f");
        assert_eq!(a.value(), "abc\ndef");
        a.key(k(KeyCode::Up));
        assert_eq!(a.lines().1, (0, 3));
        a.key(k(KeyCode::Home));
        a.key(k(KeyCode::Down));
        a.key(k(KeyCode::Enter));
        assert_eq!(a.value(), "abc\n\ndef");
        assert_eq!(a.lines().1, (2, 0));
    }
}
