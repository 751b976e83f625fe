//! Messages: the thread list, a thread with its composer, recipient pickers and search.
//!
//! Every body and name is sanitized before it is drawn; bodies are wrapped by display
//! width (accents, emoji and wide characters never overflow a line). Threads page by 50
//! (PgUp at the top loads older ones). The composer keeps a draft: the session saves it
//! (debounced) under a key per recipient — "student:ID", "class:ID" or "trainer" — which
//! is the same as per thread (one direct thread per student, one announcement thread per
//! class; a student's replies always go to their own thread with the trainer).

use std::cell::Cell;

use portail::Role;
use portail::i18n::{Key, tf};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Screen, View, is_back, report};
use crate::components::list::{ListView, col};
use crate::field::{TextEdit, TextField};
use crate::safe::Safe;
use crate::theme::{dim, panel, title, truncate};
use crate::{
    Action, Command, Ctx, Data, Effect, KeyCode, KeyEvent, KeyModifiers, MessageItem, Nav, Query,
    Recipient, ThreadItem, ThreadKind, ThreadSummary,
};

/// Messages loaded per page.
pub(crate) const PAGE: usize = 50;
/// Longest body the composer takes (the service refuses longer ones with a clear message).
const MAX_COMPOSE: usize = portail::services::messaging::MAX_BODY_CHARS + 500;

/// A thread's title as this user reads it: a student's direct thread is the trainer.
fn thread_title(ctx: &Ctx, t: &ThreadSummary) -> String {
    match t.kind {
        ThreadKind::Direct => Safe::line(&t.title_for(ctx.user.role, ctx.lang)).into_string(),
        ThreadKind::Announcement => format!(
            "{} · {}",
            ctx.t(Key::MsgAnnouncementTag),
            Safe::line(&t.title)
        ),
    }
}

/// Where this user's messages in the thread go: a student always writes to the trainer
/// (privately, even from an announcement).
fn recipient(ctx: &Ctx, t: &ThreadSummary) -> Option<Recipient> {
    match (ctx.user.role, t.kind) {
        (Role::Student, _) => Some(Recipient::Trainer),
        (Role::Trainer, ThreadKind::Direct) => t.student_id.map(Recipient::Student),
        (Role::Trainer, ThreadKind::Announcement) => t.class_id.map(Recipient::Class),
    }
}

/// The draft key of a recipient (see the module comment).
pub(crate) fn draft_key(to: Recipient) -> String {
    match to {
        Recipient::Student(id) => format!("student:{id}"),
        Recipient::Class(id) => format!("class:{id}"),
        Recipient::Trainer => "trainer".into(),
    }
}

/// Wraps text to `width` columns by display width: at spaces when possible, inside a word
/// when it is longer than a line. Newlines are kept; wide characters are never split.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        let mut started = false;
        for word in para.split(' ') {
            let ww = word.width();
            if started && w + 1 + ww <= width {
                line.push(' ');
                line.push_str(word);
                w += 1 + ww;
                continue;
            }
            if started {
                out.push(std::mem::take(&mut line));
                w = 0;
            }
            started = true;
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if w + cw > width {
                    out.push(std::mem::take(&mut line));
                    w = 0;
                }
                line.push(c);
                w += cw;
            }
        }
        out.push(line);
    }
    out
}

/// One line of a body for lists: the first line, sanitized.
fn excerpt(body: &str) -> String {
    let first = body.lines().next().unwrap_or("");
    Safe::line(first).into_string()
}

// ---------------------------------------------------------------------------------------
// The thread list.

#[derive(Default)]
pub(crate) struct MessageList {
    threads: Vec<ThreadItem>,
    list: ListView,
    loaded: bool,
    /// Students have other keys (no classes to write to).
    student: bool,
}

impl MessageList {
    pub(crate) fn new(student: bool) -> Self {
        Self {
            list: ListView::new(),
            student,
            ..Self::default()
        }
    }
}

impl View for MessageList {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, _out: &mut Vec<Command>) -> Nav {
        let trainer = ctx.user.role == Role::Trainer;
        match key.code {
            KeyCode::Char('/') => return Nav::Push(Screen::view(SearchScreen::new())),
            KeyCode::Char('n') if trainer => {
                return Nav::Push(Screen::view(Picker::new(PickKind::Students, Vec::new())));
            }
            KeyCode::Char('c') if trainer => {
                let known = self
                    .threads
                    .iter()
                    .filter_map(|t| t.summary.class_id.map(|c| (c, t.summary.id)))
                    .collect();
                return Nav::Push(Screen::view(Picker::new(PickKind::Classes, known)));
            }
            KeyCode::Char('n') => {
                let direct = self
                    .threads
                    .iter()
                    .find(|t| t.summary.kind == ThreadKind::Direct)
                    .map(|t| t.summary.id);
                let title = self
                    .threads
                    .iter()
                    .find(|t| t.summary.kind == ThreadKind::Direct)
                    .map(|t| thread_title(ctx, &t.summary))
                    .unwrap_or_else(|| ctx.t(Key::MsgTrainer).to_string());
                return Nav::Push(Screen::view(ThreadView::new(
                    direct,
                    ThreadKind::Direct,
                    title,
                    Some(Recipient::Trainer),
                    true,
                )));
            }
            _ => {}
        }
        if self.list.key(&key) {
            return Nav::Stay;
        }
        let sel = self.list.selected().and_then(|i| self.threads.get(i));
        match key.code {
            KeyCode::Enter | KeyCode::Right if sel.is_some() => {
                let t = &sel.expect("checked").summary;
                Nav::Push(Screen::view(ThreadView::from_summary(ctx, t, false)))
            }
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        if self.threads.is_empty() {
            let text = if self.loaded {
                ctx.t(Key::MsgNoThreads)
            } else {
                ctx.t(Key::SpLoading)
            };
            frame.render_widget(
                Paragraph::new(Line::styled(format!(" {text}"), dim()))
                    .wrap(Wrap { trim: true })
                    .block(panel(ctx.t(Key::MenuMessages))),
                area,
            );
            return;
        }
        let rows: Vec<Vec<Safe>> = self
            .threads
            .iter()
            .map(|t| {
                let s = &t.summary;
                let mark = if s.unread > 0 { "● " } else { "" };
                vec![
                    format!("{mark}{}", thread_title(ctx, s)),
                    if s.unread > 0 {
                        s.unread.to_string()
                    } else {
                        String::new()
                    },
                    t.when.clone(),
                    Safe::line(&s.last_excerpt).into_string(),
                ]
            })
            .map(Safe::row)
            .collect();
        let cols = [
            col(ctx.t(Key::MsgColThread), 16),
            col(ctx.t(Key::MsgColUnread), 7),
            col(ctx.t(Key::MsgColDate), 16).keep(),
            col(ctx.t(Key::MsgColExcerpt), 24).keep(),
        ];
        self.list
            .render(frame, ctx, area, ctx.t(Key::MenuMessages), &cols, &rows);
    }

    fn hints(&self) -> Key {
        if self.student {
            Key::MsgHintListStudent
        } else {
            Key::MsgHintList
        }
    }

    fn help(&self) -> Key {
        if self.student {
            Key::MsgHelpListStudent
        } else {
            Key::MsgHelpList
        }
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::Threads));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::Threads(list, _) = data {
            self.loaded = true;
            self.threads = list.clone();
            self.list.set_items(
                list.iter()
                    .map(|t| format!("{} {}", t.summary.title, t.summary.last_excerpt))
                    .collect(),
            );
        }
    }

    fn message_created(&mut self, _thread: i64, out: &mut Vec<Command>) -> bool {
        out.push(Command::Load(Query::Threads));
        true
    }
}

// ---------------------------------------------------------------------------------------
// A thread and its composer.

struct Composer {
    text: TextEdit,
    key: String,
    /// Changed since the last draft save.
    dirty: bool,
    /// Typed into (a draft arriving late does not replace what was typed).
    touched: bool,
    /// Waiting for the send to finish.
    busy: bool,
}

pub(crate) struct ThreadView {
    thread: Option<i64>,
    kind: ThreadKind,
    title: String,
    to: Option<Recipient>,
    messages: Vec<MessageItem>,
    loaded: bool,
    /// Older messages may exist (the first page was full).
    more: bool,
    /// Waiting for an older page.
    loading_older: bool,
    /// Lines scrolled up from the bottom.
    scroll: Cell<usize>,
    max_scroll: Cell<usize>,
    page: Cell<usize>,
    /// Lines drawn last time, and whether messages were added at the bottom since: a
    /// reader scrolled up keeps their place when new messages arrive.
    last_total: Cell<usize>,
    grew_at_bottom: Cell<bool>,
    composer: Option<Composer>,
    composing: bool,
    /// Open the composer when the screen is first shown.
    compose_on_enter: bool,
}

impl ThreadView {
    pub(crate) fn new(
        thread: Option<i64>,
        kind: ThreadKind,
        title: String,
        to: Option<Recipient>,
        compose: bool,
    ) -> Self {
        Self {
            thread,
            kind,
            title,
            to,
            messages: Vec::new(),
            loaded: thread.is_none(),
            more: false,
            loading_older: false,
            scroll: Cell::new(0),
            max_scroll: Cell::new(0),
            page: Cell::new(10),
            last_total: Cell::new(0),
            grew_at_bottom: Cell::new(false),
            composer: None,
            composing: false,
            compose_on_enter: compose,
        }
    }

    pub(crate) fn from_summary(ctx: &Ctx, t: &ThreadSummary, compose: bool) -> Self {
        Self::new(
            Some(t.id),
            t.kind,
            thread_title(ctx, t),
            recipient(ctx, t),
            compose,
        )
    }

    fn open_composer(&mut self, out: &mut Vec<Command>) {
        let Some(to) = self.to else {
            return;
        };
        self.composing = true;
        if self.composer.is_none() {
            let key = draft_key(to);
            out.push(Command::Load(Query::Draft(key.clone())));
            self.composer = Some(Composer {
                text: TextEdit::multiline(MAX_COMPOSE),
                key,
                dirty: false,
                touched: false,
                busy: false,
            });
        }
    }

    /// Leaving the composer (or the screen): its text is saved as the draft.
    fn save_draft(&mut self, out: &mut Vec<Command>) {
        if let Some((key, body)) = self.take_draft() {
            out.push(Command::SaveDraft { key, body });
        }
    }

    fn composer_key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        let Some(c) = self.composer.as_mut() else {
            return Nav::Stay;
        };
        if c.busy {
            return Nav::Stay;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char('s') if ctrl => self.send(ctx, out),
            KeyCode::Enter if alt || ctrl => self.send(ctx, out),
            KeyCode::Esc => {
                self.composing = false;
                self.save_draft(out);
            }
            _ => {
                if c.text.key(key) {
                    c.dirty = true;
                    c.touched = true;
                }
            }
        }
        Nav::Stay
    }

    fn send(&mut self, ctx: &mut Ctx, out: &mut Vec<Command>) {
        let (Some(to), Some(c)) = (self.to, self.composer.as_mut()) else {
            return;
        };
        let body = c.text.value();
        if body.trim().is_empty() {
            ctx.flash = Some(ctx.t(Key::MsgEmpty).to_string());
            return;
        }
        c.busy = true;
        ctx.flash = Some(ctx.t(Key::MsgSending).to_string());
        out.push(Command::Run(Action::SendMessage {
            to,
            body,
            draft: c.key.clone(),
        }));
    }

    fn composer_title(&self, ctx: &Ctx) -> &'static str {
        match (ctx.user.role, self.kind) {
            (Role::Student, ThreadKind::Announcement) => ctx.t(Key::MsgComposePrivate),
            (Role::Trainer, ThreadKind::Announcement) => ctx.t(Key::MsgComposeClass),
            _ => ctx.t(Key::MsgComposeTitle),
        }
    }

    /// All the thread's lines at `width` (sender and time, then the wrapped body).
    fn lines(&self, ctx: &Ctx, width: usize) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if self.kind == ThreadKind::Announcement {
            let note = match ctx.user.role {
                Role::Student => ctx.t(Key::MsgPrivateNote),
                Role::Trainer => ctx.t(Key::MsgClassNote),
            };
            for l in wrap(note, width) {
                lines.push(Line::styled(l, dim().add_modifier(Modifier::ITALIC)));
            }
            lines.push(Line::from(""));
        }
        if self.more {
            lines.push(Line::styled(ctx.t(Key::MsgOlder).to_string(), dim()));
            lines.push(Line::from(""));
        }
        if self.loaded && self.messages.is_empty() {
            lines.push(Line::styled(ctx.t(Key::MsgThreadEmpty).to_string(), dim()));
        }
        for (i, m) in self.messages.iter().enumerate() {
            if i > 0 {
                lines.push(Line::from(""));
            }
            let msg = &m.message;
            let who = if msg.sender_id == Some(ctx.user.id) {
                ctx.t(Key::MsgYou).to_string()
            } else {
                Safe::line(&msg.sender_name).into_string()
            };
            let style = if msg.sender_is_trainer {
                title()
            } else {
                Style::default().add_modifier(Modifier::BOLD)
            };
            let when = format!(" · {}", m.when);
            let who = truncate(&who, width.saturating_sub(when.width()).max(4));
            lines.push(Line::from(vec![
                Span::styled(who, style),
                Span::styled(when, dim()),
            ]));
            let body = Safe::text(&msg.body);
            for l in wrap(&body, width.saturating_sub(2)) {
                lines.push(Line::from(format!("  {l}")));
            }
        }
        lines
    }

    fn render_composer(&self, frame: &mut Frame, ctx: &Ctx, area: Rect, c: &Composer) {
        let block = panel(self.composer_title(ctx));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height == 0 || inner.width < 4 {
            return;
        }
        // The keys, under the text when there is room (always in the status bar).
        let rows = c.text.row_count(inner.width.saturating_sub(1) as usize) as u16;
        let show_keys = inner.height >= 5 && inner.height >= rows + 2;
        let keys = Paragraph::new(Line::styled(ctx.t(Key::MsgHintCompose), dim()))
            .wrap(Wrap { trim: true });
        let keys_h = if show_keys {
            (keys.line_count(inner.width) as u16).min(2)
        } else {
            0
        };
        let text_area = Rect {
            height: inner.height - keys_h,
            ..inner
        };
        if show_keys {
            frame.render_widget(
                keys,
                Rect {
                    y: inner.y + text_area.height,
                    height: keys_h,
                    ..inner
                },
            );
        }
        // The text wraps at words and scrolls down: every word typed stays readable,
        // even on a phone.
        c.text.render(frame, text_area, !c.busy && self.composing);
    }
}

impl View for ThreadView {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.composing {
            return self.composer_key(ctx, key, out);
        }
        let s = self.scroll.get();
        let page = self.page.get().max(1);
        match key.code {
            KeyCode::Char('r') | KeyCode::Char('i') | KeyCode::Enter => self.open_composer(out),
            KeyCode::Up | KeyCode::Char('k') => self.scroll.set(s + 1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll.set(s.saturating_sub(1)),
            KeyCode::PageUp => {
                if s >= self.max_scroll.get()
                    && self.more
                    && !self.loading_older
                    && let (Some(id), Some(first)) = (self.thread, self.messages.first())
                {
                    self.loading_older = true;
                    out.push(Command::Load(Query::Thread {
                        id,
                        before: Some(first.message.id),
                    }));
                }
                self.scroll.set(s + page);
            }
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll.set(s.saturating_sub(page)),
            KeyCode::Home | KeyCode::Char('g') => self.scroll.set(usize::MAX / 2),
            KeyCode::End | KeyCode::Char('G') => self.scroll.set(0),
            _ if is_back(&key) => {
                self.save_draft(out);
                return Nav::Pop;
            }
            _ => {}
        }
        Nav::Stay
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let (thread_area, composer_area) = match &self.composer {
            Some(c) if self.composing => {
                // Half the screen, more when the text needs it (up to all of it on a
                // phone): what is being written stays readable whole.
                let rows = c.text.row_count(area.width.saturating_sub(3) as usize) as u16;
                let h = (area.height / 2)
                    .clamp(4, 12)
                    .max(rows + 2)
                    .min(area.height);
                let [a, b] =
                    Layout::vertical([Constraint::Min(0), Constraint::Length(h)]).areas(area);
                (a, Some(b))
            }
            _ => (area, None),
        };
        let block = panel(&self.title);
        let inner = block.inner(thread_area);
        if thread_area.height >= 3 {
            frame.render_widget(block, thread_area);
        }
        if inner.width >= 4 && inner.height > 0 {
            let inner = Rect {
                x: inner.x + 1,
                width: inner.width - 2,
                ..inner
            };
            let lines = self.lines(ctx, inner.width as usize);
            let h = inner.height as usize;
            if self.grew_at_bottom.replace(false) && self.scroll.get() > 0 {
                let added = lines.len().saturating_sub(self.last_total.get());
                self.scroll.set(self.scroll.get() + added);
            }
            self.last_total.set(lines.len());
            let max = lines.len().saturating_sub(h);
            self.max_scroll.set(max);
            self.page.set(h.saturating_sub(1).max(1));
            let scroll = self.scroll.get().min(max);
            self.scroll.set(scroll);
            let start = lines.len().saturating_sub(h + scroll);
            let shown: Vec<Line> = lines.into_iter().skip(start).take(h).collect();
            frame.render_widget(Paragraph::new(shown), inner);
        }
        if let (Some(area), Some(c)) = (composer_area, &self.composer) {
            self.render_composer(frame, ctx, area, c);
        }
    }

    fn hints(&self) -> Key {
        if self.composing {
            Key::MsgHintCompose
        } else {
            Key::MsgHintThread
        }
    }

    fn help(&self) -> Key {
        Key::MsgHelpThread
    }

    fn captures_text(&self) -> bool {
        self.composing
    }

    fn paste(&mut self, text: &str) {
        if !self.composing {
            return;
        }
        if let Some(c) = self.composer.as_mut().filter(|c| !c.busy) {
            c.text.insert_str(text);
            c.dirty = true;
            c.touched = true;
        }
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        if let Some(id) = self.thread {
            out.push(Command::Load(Query::Thread { id, before: None }));
        }
        if std::mem::take(&mut self.compose_on_enter) {
            self.open_composer(out);
        }
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        match data {
            Data::Thread {
                id,
                before,
                messages,
                ..
            } if Some(*id) == self.thread => match before {
                None => {
                    // The latest page: older pages already loaded stay above it.
                    let first = messages.first().map(|m| m.message.id);
                    self.messages
                        .retain(|m| first.is_some_and(|f| m.message.id < f));
                    self.messages.extend(messages.iter().cloned());
                    self.grew_at_bottom.set(true);
                    if !self.loaded {
                        self.more = messages.len() >= PAGE;
                    }
                    self.loaded = true;
                }
                Some(_) => {
                    self.loading_older = false;
                    let first = self.messages.first().map(|m| m.message.id);
                    let older: Vec<MessageItem> = messages
                        .iter()
                        .filter(|m| first.is_none_or(|f| m.message.id < f))
                        .cloned()
                        .collect();
                    self.more = messages.len() >= PAGE;
                    self.messages.splice(0..0, older);
                }
            },
            Data::Draft(key, Some(body)) => {
                if let Some(c) = self.composer.as_mut()
                    && c.key == *key
                    && !c.touched
                {
                    c.text.insert_str(body);
                    c.touched = true;
                    ctx.flash = Some(ctx.t(Key::MsgDraftRestored).to_string());
                }
            }
            _ => {}
        }
    }

    fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        _out: &mut Vec<Command>,
    ) -> Nav {
        if let Some(c) = self.composer.as_mut() {
            c.busy = false;
            if let Ok(Effect::MessageSent { thread }) = &result {
                c.text = TextEdit::multiline(MAX_COMPOSE);
                c.dirty = false;
                self.composing = false;
                self.scroll.set(0);
                if self.thread.is_none() {
                    self.thread = Some(*thread);
                }
            }
        }
        report(ctx, result);
        Nav::Stay
    }

    fn message_created(&mut self, thread: i64, out: &mut Vec<Command>) -> bool {
        if self.thread != Some(thread) {
            return false;
        }
        out.push(Command::Load(Query::Thread {
            id: thread,
            before: None,
        }));
        true
    }

    fn draft_pending(&self) -> bool {
        self.composer.as_ref().is_some_and(|c| c.dirty && !c.busy)
    }

    fn take_draft(&mut self) -> Option<(String, String)> {
        let c = self.composer.as_mut().filter(|c| c.dirty)?;
        c.dirty = false;
        Some((c.key.clone(), c.text.value()))
    }
}

// ---------------------------------------------------------------------------------------
// Recipient pickers (trainer).

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum PickKind {
    Students,
    Classes,
}

pub(crate) struct Picker {
    kind: PickKind,
    /// (id, name, detail)
    items: Vec<(i64, String, String)>,
    list: ListView,
    /// Classes that already have an announcement thread: (class, thread).
    known: Vec<(i64, i64)>,
    /// The student whose thread was asked for.
    pending: Option<(i64, String)>,
}

impl Picker {
    pub(crate) fn new(kind: PickKind, known: Vec<(i64, i64)>) -> Self {
        Self {
            kind,
            items: Vec::new(),
            list: ListView::new(),
            known,
            pending: None,
        }
    }
}

impl View for Picker {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.list.key(&key) {
            return Nav::Stay;
        }
        let sel = self
            .list
            .selected()
            .and_then(|i| self.items.get(i))
            .cloned();
        match (key.code, sel) {
            (KeyCode::Enter | KeyCode::Right, Some((id, name, _))) => match self.kind {
                PickKind::Students => {
                    self.pending = Some((id, name));
                    out.push(Command::Run(Action::OpenStudentThread(id)));
                    Nav::Stay
                }
                PickKind::Classes => {
                    let thread = self.known.iter().find(|(c, _)| *c == id).map(|k| k.1);
                    Nav::Replace(Screen::view(ThreadView::new(
                        thread,
                        ThreadKind::Announcement,
                        name,
                        Some(Recipient::Class(id)),
                        true,
                    )))
                }
            },
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = match self.kind {
            PickKind::Students => ctx.t(Key::MsgPickStudent),
            PickKind::Classes => ctx.t(Key::MsgPickClass),
        };
        let rows: Vec<Vec<Safe>> = self
            .items
            .iter()
            .map(|(_, n, d)| vec![n.clone(), d.clone()])
            .map(Safe::row)
            .collect();
        let detail = match self.kind {
            PickKind::Students => ctx.t(Key::FieldEmail),
            PickKind::Classes => ctx.t(Key::MenuOrganisations),
        };
        let cols = [col(ctx.t(Key::FieldName), 16), col(detail, 24)];
        self.list.render(frame, ctx, area, heading, &cols, &rows);
    }

    fn hints(&self) -> Key {
        if self.list.searching() {
            Key::UiHintSearch
        } else {
            Key::MsgHintPick
        }
    }

    fn help(&self) -> Key {
        Key::MsgHelpPick
    }

    fn captures_text(&self) -> bool {
        self.list.searching()
    }

    fn paste(&mut self, text: &str) {
        self.list.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(match self.kind {
            PickKind::Students => Query::Students,
            PickKind::Classes => Query::Classes,
        }));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        let items: Vec<(i64, String, String)> = match (self.kind, data) {
            (PickKind::Students, Data::Students(all)) => all
                .iter()
                .map(|s| (s.id, s.display_name(), s.email.clone()))
                .collect(),
            (PickKind::Classes, Data::Classes(all)) => all
                .iter()
                .map(|c| (c.id, c.name.clone(), c.organisation_name.clone()))
                .collect(),
            _ => return,
        };
        self.list
            .set_items(items.iter().map(|(_, n, d)| format!("{n} {d}")).collect());
        self.items = items;
    }

    fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        _out: &mut Vec<Command>,
    ) -> Nav {
        match (result, self.pending.take()) {
            (Ok(Effect::Thread(thread)), Some((student, name))) => {
                Nav::Replace(Screen::view(ThreadView::new(
                    Some(thread),
                    ThreadKind::Direct,
                    Safe::line(&name).into_string(),
                    Some(Recipient::Student(student)),
                    true,
                )))
            }
            (result, _) => {
                report(ctx, result);
                Nav::Stay
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Search.

pub(crate) struct SearchScreen {
    field: TextField,
    editing: bool,
    query: String,
    hits: Vec<(MessageItem, Option<ThreadSummary>)>,
    searched: bool,
    list: ListView,
}

impl SearchScreen {
    pub(crate) fn new() -> Self {
        Self {
            field: TextField::new(portail::services::messaging::MAX_QUERY_CHARS),
            editing: true,
            query: String::new(),
            hits: Vec::new(),
            searched: false,
            list: ListView::new(),
        }
    }
}

impl View for SearchScreen {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.editing {
            match key.code {
                KeyCode::Enter => {
                    let q = self.field.value().trim().to_string();
                    if !q.is_empty() {
                        self.query = q.clone();
                        self.editing = false;
                        out.push(Command::Load(Query::SearchMessages(q)));
                    }
                }
                KeyCode::Esc => return Nav::Pop,
                KeyCode::Down | KeyCode::Tab if !self.hits.is_empty() => self.editing = false,
                _ => {
                    self.field.key(key);
                }
            }
            return Nav::Stay;
        }
        if key.code == KeyCode::Char('/') {
            self.editing = true;
            return Nav::Stay;
        }
        if self.list.key(&key) {
            return Nav::Stay;
        }
        let sel = self.list.selected().and_then(|i| self.hits.get(i));
        match key.code {
            KeyCode::Enter | KeyCode::Right => match sel.and_then(|h| h.1.as_ref()) {
                Some(t) => Nav::Push(Screen::view(ThreadView::from_summary(ctx, t, false))),
                None => Nav::Stay,
            },
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let block = panel(ctx.t(Key::MsgSearchTitle));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 2 || inner.width < 6 {
            return;
        }
        let (text, at) = self.field.visible(inner.width.saturating_sub(3) as usize);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("/ ", title()),
                Span::raw(text),
            ])),
            Rect { height: 1, ..inner },
        );
        if self.editing {
            frame.set_cursor_position(Position::new(inner.x + 2 + at as u16, inner.y));
        }
        let rest = Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        };
        if self.hits.is_empty() {
            if self.searched {
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        tf(ctx.lang, Key::MsgSearchNone, &[&Safe::line(&self.query)]),
                        dim(),
                    ))
                    .wrap(Wrap { trim: true }),
                    rest,
                );
            }
            return;
        }
        let rows: Vec<Vec<Safe>> = self
            .hits
            .iter()
            .map(|(m, t)| {
                vec![
                    excerpt(&m.message.body),
                    t.as_ref().map(|t| thread_title(ctx, t)).unwrap_or_default(),
                    m.when.clone(),
                ]
            })
            .map(Safe::row)
            .collect();
        let cols = [
            col(ctx.t(Key::MsgColExcerpt), 20),
            col(ctx.t(Key::MsgColThread), 16),
            col(ctx.t(Key::MsgColDate), 16).keep(),
        ];
        let (above, below) = self.list.render_rows(frame, ctx, rest, &cols, &rows);
        crate::theme::scroll_marks(frame, ctx, area, above, below);
    }

    fn hints(&self) -> Key {
        if self.editing {
            Key::MsgHintSearch
        } else {
            Key::MsgHintSearchResults
        }
    }

    fn help(&self) -> Key {
        Key::MsgHelpSearch
    }

    fn captures_text(&self) -> bool {
        self.editing
    }

    fn paste(&mut self, text: &str) {
        if self.editing {
            self.field.insert_str(text);
        }
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::SearchResults(q, hits) = data
            && *q == self.query
        {
            self.searched = true;
            self.hits = hits.clone();
            self.list
                .set_items(hits.iter().map(|(m, _)| m.message.body.clone()).collect());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_respects_display_width() {
        assert_eq!(wrap("abc def ghi", 7), vec!["abc def", "ghi"]);
        assert_eq!(wrap("漢字漢字漢字", 5), vec!["漢字", "漢字", "漢字"]);
        assert_eq!(wrap("a\n\nb", 10), vec!["a", "", "b"]);
        for l in wrap("Bonjour 😀😀😀 à tous, 漢字 et émojis 👋", 9) {
            assert!(l.width() <= 9, "{l:?}");
        }
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }

    #[test]
    fn draft_keys_are_per_recipient() {
        assert_eq!(draft_key(Recipient::Student(4)), "student:4");
        assert_eq!(draft_key(Recipient::Class(2)), "class:2");
        assert_eq!(draft_key(Recipient::Trainer), "trainer");
    }
}
