//! A form of labelled fields: Tab / Shift-Tab (or ↑↓) between fields, Ctrl-S saves, Enter on
//! the last field saves, Esc cancels (asking first when something changed). The service's
//! error is shown on an error line; the form stays filled in so it can be corrected.
//!
//! Fields are addressed by name: a [`Key`] (the core's field key, which is also the label
//! unless [`Field::id`] says otherwise). When a service names a field
//! ([`crate::Failure::field`]), [`Form::failed`] moves the focus there and shows the
//! message under it. Text fields are [`TextEdit`]s: they wrap and grow downwards.

use std::cell::Cell;

use portail::i18n::Key;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::field::TextEdit;
use crate::theme::{dim, error, panel, title};
use crate::{Ctx, Failure, KeyCode, KeyEvent, KeyModifiers};

pub(crate) enum Input {
    /// One line or several ([`TextEdit::is_multiline`]); both wrap.
    Text(TextEdit),
    /// One of a list (id, label), changed with ←/→ or Space.
    Choice {
        options: Vec<(i64, String)>,
        selected: Option<i64>,
    },
    /// Two states, changed with ←/→ or Space.
    Toggle { on: bool, off: Key, on_label: Key },
    /// Shown, not editable (e.g. a field the trainer locked); `note` says why.
    Fixed { value: String, note: Key },
}

pub(crate) struct Field {
    /// The field's name: the key the core names it by in `InvalidField`.
    pub(crate) id: Key,
    pub(crate) label: Key,
    pub(crate) input: Input,
    initial: String,
    /// The service's message about this field, shown under it.
    problem: Option<String>,
}

impl Field {
    /// A one-line text (it wraps when long); the cursor starts at its beginning.
    pub(crate) fn text(label: Key, value: &str, max: usize) -> Self {
        Self::with(label, Input::Text(TextEdit::new(max).with(value)))
    }

    /// A multi-line text; the form opens on its beginning.
    pub(crate) fn area(label: Key, value: &str, max: usize) -> Self {
        Self::with(label, Input::Text(TextEdit::multiline(max).with(value)))
    }

    /// Names the field `id` when the core's key differs from its label.
    pub(crate) fn id(mut self, id: Key) -> Self {
        self.id = id;
        self
    }

    pub(crate) fn choice(label: Key, selected: Option<i64>) -> Self {
        Self::with(
            label,
            Input::Choice {
                options: Vec::new(),
                selected,
            },
        )
    }

    pub(crate) fn toggle(label: Key, on: bool, off: Key, on_label: Key) -> Self {
        Self::with(label, Input::Toggle { on, off, on_label })
    }

    pub(crate) fn fixed(label: Key, value: &str, note: Key) -> Self {
        Self::with(
            label,
            Input::Fixed {
                value: value.to_string(),
                note,
            },
        )
    }

    fn with(label: Key, input: Input) -> Self {
        let mut f = Self {
            id: label,
            label,
            input,
            initial: String::new(),
            problem: None,
        };
        f.initial = f.current();
        f
    }

    fn current(&self) -> String {
        match &self.input {
            Input::Text(t) => t.value(),
            Input::Choice { selected, .. } => format!("{selected:?}"),
            Input::Toggle { on, .. } => on.to_string(),
            Input::Fixed { value, .. } => value.clone(),
        }
    }

    fn shown(&self, ctx: &Ctx) -> String {
        match &self.input {
            Input::Choice { options, selected } => {
                let label = options
                    .iter()
                    .find(|(id, _)| Some(*id) == *selected)
                    .map(|(_, l)| l.as_str())
                    .unwrap_or(ctx.t(Key::None_));
                format!("‹ {} ›", portail::sanitize::line(label))
            }
            Input::Toggle { on, off, on_label } => {
                format!("‹ {} ›", ctx.t(if *on { *on_label } else { *off }))
            }
            Input::Fixed { value, note } => {
                let v = portail::sanitize::line(value);
                let v = if v.trim().is_empty() {
                    ctx.t(Key::None_).into()
                } else {
                    v
                };
                format!("{v} ({})", ctx.t(*note))
            }
            _ => String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormEvent {
    None,
    Submit,
    Cancel,
}

pub(crate) struct Form {
    pub(crate) fields: Vec<Field>,
    focus: usize,
    pub(crate) error: Option<String>,
    pub(crate) busy: bool,
    abandon: bool,
    scroll: Cell<usize>,
}

impl Form {
    pub(crate) fn new(fields: Vec<Field>) -> Self {
        Self {
            fields,
            focus: 0,
            error: None,
            busy: false,
            abandon: false,
            scroll: Cell::new(0),
        }
    }

    pub(crate) fn dirty(&self) -> bool {
        self.fields.iter().any(|f| f.current() != f.initial)
    }

    /// Whether the "abandon changes?" question is showing.
    pub(crate) fn asking(&self) -> bool {
        self.abandon
    }

    #[cfg(test)]
    pub(crate) fn focus(&self) -> usize {
        self.focus
    }

    /// The name of the focused field.
    #[cfg(test)]
    pub(crate) fn focused(&self) -> Key {
        self.fields[self.focus].id
    }

    /// The service's message shown under the field `id`.
    #[cfg(test)]
    pub(crate) fn problem(&self, id: Key) -> Option<&str> {
        self.fields.iter().find(|f| f.id == id)?.problem.as_deref()
    }

    fn index(&self, id: Key) -> Option<usize> {
        self.fields.iter().position(|f| f.id == id)
    }

    fn field(&self, id: Key) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The text of field `id` (empty when there is no such text field).
    pub(crate) fn text(&self, id: Key) -> String {
        match self.field(id).map(|f| &f.input) {
            Some(Input::Text(t)) => t.value(),
            Some(Input::Fixed { value, .. }) => value.clone(),
            _ => String::new(),
        }
    }

    /// The text, or `None` when blank.
    pub(crate) fn opt(&self, id: Key) -> Option<String> {
        let v = self.text(id);
        (!v.trim().is_empty()).then_some(v)
    }

    pub(crate) fn choice(&self, id: Key) -> Option<i64> {
        match self.field(id).map(|f| &f.input) {
            Some(Input::Choice { selected, .. }) => *selected,
            _ => None,
        }
    }

    pub(crate) fn has_options(&self, id: Key) -> bool {
        matches!(self.field(id).map(|f| &f.input), Some(Input::Choice { options, .. }) if !options.is_empty())
    }

    pub(crate) fn on(&self, id: Key) -> bool {
        matches!(
            self.field(id).map(|f| &f.input),
            Some(Input::Toggle { on: true, .. })
        )
    }

    /// Fills the options of a choice field; selects the first one when none is.
    pub(crate) fn set_options(&mut self, id: Key, list: Vec<(i64, String)>) {
        let Some(i) = self.index(id) else {
            return;
        };
        let field = &mut self.fields[i];
        if let Input::Choice { options, selected } = &mut field.input {
            if selected.is_none_or(|s| !list.iter().any(|(id, _)| *id == s)) {
                *selected = list.first().map(|(id, _)| *id);
                if field.initial == "None" {
                    field.initial = format!("{selected:?}");
                }
            }
            *options = list;
        }
    }

    /// Puts `field` in place of the field named `id` (its name stays `id`).
    pub(crate) fn replace(&mut self, id: Key, field: Field) {
        if let Some(i) = self.index(id) {
            self.fields[i] = field.id(id);
        }
    }

    /// The form is sent: busy, earlier messages gone.
    pub(crate) fn submitting(&mut self) {
        self.error = None;
        for f in &mut self.fields {
            f.problem = None;
        }
        self.busy = true;
    }

    /// The service refused: its message on the error line, and, when it names fields of
    /// the form, each one's problem under it and the focus on the first of them.
    pub(crate) fn failed(&mut self, failure: impl Into<Failure>) {
        let failure = failure.into();
        self.busy = false;
        let mut first = None;
        for (id, problem) in &failure.fields {
            if let Some(i) = self.index(*id) {
                first = first.or(Some(i));
                self.fields[i].problem = Some(problem.clone());
            }
        }
        if let Some(i) = first {
            self.focus = i;
        }
        self.error = Some(failure.message);
    }

    pub(crate) fn paste(&mut self, text: &str) {
        if self.busy || self.abandon {
            return;
        }
        if let Input::Text(t) = &mut self.fields[self.focus].input {
            t.insert_str(text);
        }
        self.edited();
    }

    /// The focused field's value changed: the refusal of the last attempt (the error line
    /// and this field's problem) no longer applies to what is on screen.
    fn edited(&mut self) {
        self.error = None;
        self.fields[self.focus].problem = None;
    }

    pub(crate) fn key(&mut self, key: KeyEvent) -> FormEvent {
        if self.busy {
            return FormEvent::None;
        }
        if self.abandon {
            match key.code {
                KeyCode::Char('o' | 'O' | 'y' | 'Y') => return FormEvent::Cancel,
                KeyCode::Char('n' | 'N') | KeyCode::Esc => self.abandon = false,
                _ => {}
            }
            return FormEvent::None;
        }
        let n = self.fields.len();
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
        let last = self.focus + 1 == n;
        let is_area = matches!(&self.fields[self.focus].input, Input::Text(t) if t.is_multiline());
        match key.code {
            KeyCode::Esc if self.dirty() => self.abandon = true,
            KeyCode::Esc => return FormEvent::Cancel,
            KeyCode::Char('s') if ctrl => return FormEvent::Submit,
            KeyCode::Tab if shift => self.focus = (self.focus + n - 1) % n,
            KeyCode::Tab => self.focus = (self.focus + 1) % n,
            KeyCode::Up if !is_area || !self.text_key(key) => {
                self.focus = (self.focus + n - 1) % n;
            }
            KeyCode::Down if !is_area || !self.text_key(key) => self.focus = (self.focus + 1) % n,
            KeyCode::Up | KeyCode::Down => {}
            KeyCode::Enter if is_area => {
                self.text_key(key);
            }
            KeyCode::Enter if last => return FormEvent::Submit,
            KeyCode::Enter => self.focus += 1,
            _ => {
                let before = self.fields[self.focus].current();
                self.edit(key);
                if self.fields[self.focus].current() != before {
                    self.edited();
                }
            }
        }
        FormEvent::None
    }

    fn text_key(&mut self, key: KeyEvent) -> bool {
        match &mut self.fields[self.focus].input {
            Input::Text(t) => t.key(key),
            _ => false,
        }
    }

    fn edit(&mut self, key: KeyEvent) {
        match &mut self.fields[self.focus].input {
            Input::Text(t) => {
                t.key(key);
            }
            Input::Choice { options, selected } => {
                if options.is_empty() {
                    return;
                }
                let pos = options
                    .iter()
                    .position(|(id, _)| Some(*id) == *selected)
                    .unwrap_or(0);
                let len = options.len();
                let next = match key.code {
                    KeyCode::Left => (pos + len - 1) % len,
                    KeyCode::Right | KeyCode::Char(' ') => (pos + 1) % len,
                    // A letter jumps to the next option starting with it.
                    KeyCode::Char(c) => {
                        let c = super::fold(&c.to_string());
                        (1..=len)
                            .map(|d| (pos + d) % len)
                            .find(|&i| super::fold(&options[i].1).starts_with(&c))
                            .unwrap_or(pos)
                    }
                    _ => pos,
                };
                *selected = Some(options[next].0);
            }
            Input::Fixed { .. } => {}
            Input::Toggle { on, .. } => {
                if matches!(
                    key.code,
                    KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
                ) {
                    *on = !*on;
                }
            }
        }
    }

    /// Draws the form in a panel titled `heading`. Wide screens put labels beside values,
    /// narrow ones above; the focused field is kept in view.
    pub(crate) fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect, heading: &str) {
        let block = panel(heading);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 2 || inner.width < 8 {
            return;
        }
        // The message line (error, busy or the abandon question) is at the bottom.
        let message: Option<(String, ratatui::style::Style)> = if self.abandon {
            Some((ctx.t(Key::UiAbandon).to_string(), error()))
        } else if self.busy {
            Some((ctx.t(Key::UiSaving).to_string(), dim()))
        } else {
            self.error.clone().map(|e| (e, error()))
        };
        let msg_par = message
            .as_ref()
            .map(|(m, st)| Paragraph::new(Line::styled(m.clone(), *st)).wrap(Wrap { trim: true }));
        let msg_h = msg_par.as_ref().map_or(0, |p| {
            (p.line_count(inner.width) as u16).min(inner.height / 2)
        });
        let body = Rect {
            height: inner.height - msg_h,
            ..inner
        };
        if let Some(p) = msg_par {
            frame.render_widget(
                p,
                Rect {
                    y: inner.y + body.height,
                    height: msg_h,
                    ..inner
                },
            );
        }

        let label_w = self
            .fields
            .iter()
            .map(|f| ctx.t(f.label).width())
            .max()
            .unwrap_or(0)
            + 2;
        let wide = inner.width as usize >= label_w + 30;
        let value_x = if wide { label_w as u16 + 3 } else { 3 };
        let value_w = (inner.width.saturating_sub(value_x + 1)) as usize;
        let area_h = (body.height as usize)
            .saturating_sub(if wide { 2 } else { 3 })
            .clamp(3, 12);

        let mut lines: Vec<Line> = Vec::new();
        let mut focus_span = (0, 0);
        let mut cursor: Option<(usize, usize)> = None;
        for (i, f) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            let start = lines.len();
            let label = ctx.t(f.label);
            let lstyle = if focused { title() } else { dim() };
            let marker = if focused { "›" } else { " " };
            let value_lines: Vec<(String, Option<usize>)> = match &f.input {
                Input::Text(t) => {
                    // A one-line text shows all its rows (up to the window's height); a
                    // multi-line one at least three.
                    let v = t.view(value_w, area_h);
                    let mut rows: Vec<(String, Option<usize>)> = v
                        .rows
                        .into_iter()
                        .enumerate()
                        .map(|(r, s)| {
                            let c = v.cursor.filter(|(cr, _)| *cr == r).map(|(_, c)| c);
                            (s, c)
                        })
                        .collect();
                    if t.is_multiline() {
                        while rows.len() < area_h.min(3) {
                            rows.push((String::new(), None));
                        }
                    }
                    rows
                }
                _ => vec![(f.shown(ctx), None)],
            };
            let problem: Vec<String> = f
                .problem
                .as_deref()
                .map(|p| crate::screens::messages::wrap(&format!("⚠ {p}"), value_w))
                .unwrap_or_default();
            if wide {
                let pad = label_w - label.width();
                for (j, (v, c)) in value_lines.into_iter().enumerate() {
                    let l = if j == 0 {
                        format!(" {label}{}", " ".repeat(pad))
                    } else {
                        " ".repeat(label_w + 1)
                    };
                    if focused && let Some(c) = c {
                        cursor = Some((lines.len(), value_x as usize + c));
                    }
                    lines.push(Line::from(vec![
                        Span::styled(l, lstyle),
                        Span::styled(format!("{marker} "), title()),
                        Span::raw(v),
                    ]));
                }
                for p in &problem {
                    lines.push(Line::from(vec![
                        Span::raw(" ".repeat(value_x as usize)),
                        Span::styled(p.clone(), error()),
                    ]));
                }
            } else {
                lines.push(Line::styled(format!(" {label}"), lstyle));
                for (v, c) in value_lines {
                    if focused && let Some(c) = c {
                        cursor = Some((lines.len(), value_x as usize + c));
                    }
                    lines.push(Line::from(vec![
                        Span::styled(format!(" {marker} "), title()),
                        Span::raw(v),
                    ]));
                }
                for p in &problem {
                    lines.push(Line::from(vec![
                        Span::raw(" ".repeat(value_x as usize)),
                        Span::styled(p.clone(), error()),
                    ]));
                }
            }
            if focused {
                focus_span = (start, lines.len());
            }
        }
        let h = body.height as usize;
        // Never scrolled past the end (the window may have grown since).
        let mut scroll = self.scroll.get().min(lines.len().saturating_sub(h));
        if focus_span.0 < scroll {
            scroll = focus_span.0;
        } else if focus_span.1 > scroll + h {
            scroll = focus_span.1.saturating_sub(h);
        }
        self.scroll.set(scroll);
        let visible: Vec<Line> = lines.into_iter().skip(scroll).take(h).collect();
        frame.render_widget(Paragraph::new(visible), body);
        if let Some((row, col)) = cursor
            && !self.busy
            && !self.abandon
            && row >= scroll
            && row < scroll + h
        {
            let x = body.x + col as u16;
            if x < body.right() {
                frame.set_cursor_position(Position::new(x, body.y + (row - scroll) as u16));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c)
    }

    fn form() -> Form {
        Form::new(vec![
            Field::text(Key::FieldName, "Acme", 100),
            Field::area(Key::FieldBody, "", 100),
            Field::toggle(
                Key::FieldStatus,
                false,
                Key::CourseDraft,
                Key::CoursePublished,
            ),
        ])
    }

    #[test]
    fn navigation_submit_and_abandon() {
        let mut f = form();
        assert_eq!(f.key(k(KeyCode::Esc)), FormEvent::Cancel);
        // A field opens with the cursor at its start.
        f.key(k(KeyCode::End));
        f.key(k(KeyCode::Char('!')));
        assert!(f.dirty());
        assert_eq!(f.key(k(KeyCode::Esc)), FormEvent::None);
        assert!(f.asking());
        assert_eq!(f.key(k(KeyCode::Char('n'))), FormEvent::None);
        assert!(!f.asking());
        assert_eq!(f.text(Key::FieldName), "Acme!");
        // Enter moves on; in the multi-line field it is a new line.
        f.key(k(KeyCode::Enter));
        f.key(k(KeyCode::Char('a')));
        f.key(k(KeyCode::Enter));
        f.key(k(KeyCode::Char('b')));
        assert_eq!(f.text(Key::FieldBody), "a\nb");
        f.key(k(KeyCode::Tab));
        f.key(k(KeyCode::Char(' ')));
        assert!(f.on(Key::FieldStatus));
        assert_eq!(f.key(k(KeyCode::Enter)), FormEvent::Submit);
        f.key(KeyEvent::new(KeyCode::Tab).modifiers(KeyModifiers::SHIFT));
        assert_eq!(f.focus(), 1);
        assert_eq!(
            f.key(KeyEvent::new(KeyCode::Char('s')).modifiers(KeyModifiers::CTRL)),
            FormEvent::Submit
        );
        f.key(k(KeyCode::Esc));
        assert_eq!(f.key(k(KeyCode::Char('o'))), FormEvent::Cancel);
    }

    #[test]
    fn a_failure_naming_a_field_focuses_it() {
        let mut f = form();
        f.submitting();
        f.failed(Failure {
            message: "Corps : trop long".into(),
            fields: vec![(Key::FieldBody, "trop long".into())],
        });
        assert_eq!(f.focused(), Key::FieldBody);
        assert_eq!(f.problem(Key::FieldBody), Some("trop long"));
        assert_eq!(f.error.as_deref(), Some("Corps : trop long"));
        assert!(!f.busy);
        // A field the form does not have: the message only.
        f.submitting();
        assert_eq!(f.problem(Key::FieldBody), None);
        f.failed(Failure {
            message: "x".into(),
            fields: vec![(Key::FieldEmail, "y".into())],
        });
        assert_eq!(f.focused(), Key::FieldBody);
        f.failed("plain");
        assert_eq!(f.error.as_deref(), Some("plain"));
    }
}
