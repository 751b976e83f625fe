//! Stored text made safe to draw. Whatever a person typed (names, titles, bodies, logins)
//! reaches the screen as a [`Safe`], and the only way to build one runs
//! [`portail::sanitize`]: escape sequences, control characters, C1 codes and bidi
//! overrides are gone before any widget sees the text. Widget helpers ask for `Safe`
//! (list cells, detail values, panel titles of stored names), so a new screen cannot
//! forget to clean what it shows.

use std::fmt;

use ratatui::text::{Line, Span, Text};

/// Cleaned text (see the module). Build it with [`Safe::line`] (one line: line breaks
/// become spaces), [`Safe::text`] (line breaks kept) or `From<&str>` (one line).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Safe(String);

impl Safe {
    /// One line of stored text: control characters and escape sequences removed, line
    /// breaks and tabs as spaces.
    pub(crate) fn line(s: &str) -> Self {
        Self(portail::sanitize::line(s).into_owned())
    }

    /// Stored text of several lines: the same cleaning, line breaks kept.
    pub(crate) fn text(s: &str) -> Self {
        Self(portail::sanitize::multiline(s).into_owned())
    }

    /// The text, without quotes or escaping (it is clean).
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }

    /// A row of cells, each cleaned as one line.
    pub(crate) fn row(cells: Vec<String>) -> Vec<Safe> {
        cells.into_iter().map(Safe::from).collect()
    }
}

impl std::ops::Deref for Safe {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Safe {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Safe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Safe {
    fn from(s: &str) -> Self {
        Self::line(s)
    }
}

impl From<&String> for Safe {
    fn from(s: &String) -> Self {
        Self::line(s)
    }
}

impl From<String> for Safe {
    fn from(s: String) -> Self {
        // Most program text is already clean: keep the allocation then.
        match portail::sanitize::line(&s) {
            std::borrow::Cow::Borrowed(_) => Self(s),
            std::borrow::Cow::Owned(o) => Self(o),
        }
    }
}

impl From<Safe> for Span<'static> {
    fn from(s: Safe) -> Self {
        Span::raw(s.0)
    }
}

impl<'a> From<&'a Safe> for Span<'a> {
    fn from(s: &'a Safe) -> Self {
        Span::raw(s.0.as_str())
    }
}

impl From<Safe> for Line<'static> {
    fn from(s: Safe) -> Self {
        Line::from(s.0)
    }
}

impl From<Safe> for Text<'static> {
    fn from(s: Safe) -> Self {
        Text::from(s.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_constructor_cleans() {
        let bad = "a\u{1b}[31mb\u{1b}]8;;http://x\u{7}c\u{9b}2Jd\u{202e}e\r\nf";
        for s in [
            Safe::line(bad),
            Safe::from(bad),
            Safe::from(bad.to_string()),
            Safe::from(&bad.to_string()),
        ] {
            assert!(!s.chars().any(portail::sanitize::is_dangerous), "{s:?}");
            assert!(!s.contains('\n'));
        }
        let t = Safe::text(bad);
        assert!(
            !t.chars()
                .any(|c| c != '\n' && portail::sanitize::is_dangerous(c))
        );
    }
}
