//! Importer: choose what to import (students, organisations, classes) and optionally a
//! default organisation and class, paste the CSV (bracketed paste, or type it), see the
//! preview the service computes without writing (`dry_run`), confirm, and read the new
//! students' activation codes once.

use std::cell::Cell;

use portail::i18n::{Key, Lang, tf};
use portail::import::MAX_INPUT;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{View, is_back, render_scrolled, scroll_key};
use crate::safe::Safe;
use crate::theme::{dim, error, panel, title, truncate};
use crate::{
    Action, Command, Ctx, Data, Effect, ImportKind, ImportSummary, KeyCode, KeyEvent, KeyModifiers,
    Nav, Query,
};

/// The rows of the options part, then the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Focus {
    Kind,
    Org,
    Class,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Options and the pasted text.
    Edit,
    /// The service's dry run: what would happen.
    Preview(Box<ImportSummary>),
    /// The service refused the file: its message, one problem per line.
    Errors(Vec<String>),
    /// Imported: counts and the new students' codes, shown once.
    Done(Box<ImportSummary>),
}

const KINDS: [ImportKind; 3] = [ImportKind::Students, ImportKind::Orgs, ImportKind::Classes];

fn kind_label(kind: ImportKind) -> Key {
    match kind {
        ImportKind::Students => Key::MenuStudents,
        ImportKind::Orgs => Key::MenuOrganisations,
        ImportKind::Classes => Key::MenuClasses,
    }
}

pub(crate) struct ImportScreen {
    kind: ImportKind,
    org: Option<i64>,
    class: Option<i64>,
    orgs: Vec<(i64, String)>,
    /// (id, organisation id, "Organisation / Class").
    classes: Vec<(i64, i64, String)>,
    focus: Focus,
    text: String,
    newlines: usize,
    /// Lines of the text view scrolled up from its end (0: follow the end).
    text_scroll: Cell<usize>,
    text_page: Cell<usize>,
    pub(crate) stage: Stage,
    /// Waiting for the service.
    busy: bool,
    /// Asking "abandon this import?".
    abandon: bool,
    /// A notice of the edit stage (paste refused as too large, nothing to preview).
    warning: Option<Key>,
    scroll: Cell<usize>,
    page: Cell<usize>,
    /// Scroll of the error list (wrapped text).
    error_scroll: Cell<u16>,
}

impl ImportScreen {
    pub(crate) fn new(kind: ImportKind) -> Self {
        Self {
            kind,
            org: None,
            class: None,
            orgs: Vec::new(),
            classes: Vec::new(),
            focus: Focus::Kind,
            text: String::new(),
            newlines: 0,
            text_scroll: Cell::new(0),
            text_page: Cell::new(5),
            stage: Stage::Edit,
            busy: false,
            abandon: false,
            warning: None,
            scroll: Cell::new(0),
            page: Cell::new(10),
            error_scroll: Cell::new(0),
        }
    }

    /// The option rows shown for this kind of import.
    fn rows(&self) -> &'static [Focus] {
        match self.kind {
            ImportKind::Students => &[Focus::Kind, Focus::Org, Focus::Class, Focus::Text],
            ImportKind::Classes => &[Focus::Kind, Focus::Org, Focus::Text],
            ImportKind::Orgs => &[Focus::Kind, Focus::Text],
        }
    }

    /// Lines of the text as the service will count them.
    fn line_count(&self) -> usize {
        self.newlines + usize::from(!self.text.is_empty() && !self.text.ends_with('\n'))
    }

    /// The classes offered: those of the chosen organisation, or all.
    fn class_options(&self) -> Vec<(i64, String)> {
        self.classes
            .iter()
            .filter(|(_, org, _)| self.org.is_none_or(|o| o == *org))
            .map(|(id, _, label)| (*id, label.clone()))
            .collect()
    }

    fn append(&mut self, text: &str) -> bool {
        // Terminals send Enter as CR (also inside pastes); CSV wants lines.
        let clean: String = text
            .replace("\r\n", "\n")
            .chars()
            .map(|c| if c == '\r' { '\n' } else { c })
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .collect();
        if self.text.len() + clean.len() > MAX_INPUT {
            self.warning = Some(Key::ImtTooLarge);
            return false;
        }
        self.newlines += clean.matches('\n').count();
        self.text.push_str(&clean);
        self.text_scroll.set(0);
        true
    }

    fn clear_text(&mut self) {
        self.text.clear();
        self.newlines = 0;
        self.text_scroll.set(0);
    }

    fn run(&mut self, dry_run: bool, out: &mut Vec<Command>) {
        let (default_org, default_class) = match self.kind {
            ImportKind::Students => (self.org, self.class),
            ImportKind::Classes => (self.org, None),
            ImportKind::Orgs => (None, None),
        };
        self.busy = true;
        self.warning = None;
        out.push(Command::Run(Action::Import {
            kind: self.kind,
            text: self.text.clone(),
            dry_run,
            default_org,
            default_class,
        }));
    }

    /// ←/→ (or Space) on an option row.
    fn cycle(&mut self, forward: bool) {
        fn step<T: Copy + PartialEq>(list: &[T], cur: Option<T>, forward: bool) -> Option<T> {
            // `None` ("—") is the first choice of the optional rows.
            let all: Vec<Option<T>> = std::iter::once(None)
                .chain(list.iter().copied().map(Some))
                .collect();
            let pos = all.iter().position(|x| *x == cur).unwrap_or(0);
            let len = all.len();
            let next = if forward {
                (pos + 1) % len
            } else {
                (pos + len - 1) % len
            };
            all[next]
        }
        match self.focus {
            Focus::Kind => {
                let pos = KINDS.iter().position(|k| *k == self.kind).unwrap_or(0);
                let len = KINDS.len();
                self.kind = KINDS[if forward {
                    (pos + 1) % len
                } else {
                    (pos + len - 1) % len
                }];
            }
            Focus::Org => {
                let ids: Vec<i64> = self.orgs.iter().map(|(id, _)| *id).collect();
                self.org = step(&ids, self.org, forward);
                // A class of another organisation no longer fits.
                if let (Some(o), Some(c)) = (self.org, self.class)
                    && !self
                        .classes
                        .iter()
                        .any(|(id, org, _)| *id == c && *org == o)
                {
                    self.class = None;
                }
            }
            Focus::Class => {
                let ids: Vec<i64> = self.class_options().iter().map(|(id, _)| *id).collect();
                self.class = step(&ids, self.class, forward);
            }
            Focus::Text => {}
        }
    }

    fn move_focus(&mut self, forward: bool) {
        let rows = self.rows();
        let pos = rows.iter().position(|f| *f == self.focus).unwrap_or(0);
        let len = rows.len();
        self.focus = rows[if forward {
            (pos + 1) % len
        } else {
            (pos + len - 1) % len
        }];
    }

    fn edit_key(&mut self, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
        if self.abandon {
            match key.code {
                KeyCode::Char('o' | 'O' | 'y' | 'Y') => return Nav::Pop,
                KeyCode::Char('n' | 'N') | KeyCode::Esc => self.abandon = false,
                _ => {}
            }
            return Nav::Stay;
        }
        self.warning = None;
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        match key.code {
            KeyCode::Esc => return self.leave(),
            KeyCode::Char('s') if ctrl => {
                self.preview(out);
                return Nav::Stay;
            }
            KeyCode::F(5) => {
                self.preview(out);
                return Nav::Stay;
            }
            KeyCode::Tab => {
                self.move_focus(!shift);
                return Nav::Stay;
            }
            _ => {}
        }
        if self.focus == Focus::Text {
            let page = self.text_page.get().max(1);
            let s = self.text_scroll.get();
            match key.code {
                KeyCode::Char('u') if ctrl => self.clear_text(),
                KeyCode::Char(c) if !ctrl => {
                    self.append(&c.to_string());
                }
                KeyCode::Enter => {
                    self.append("\n");
                }
                KeyCode::Backspace => {
                    if self.text.pop() == Some('\n') {
                        self.newlines -= 1;
                    }
                    self.text_scroll.set(0);
                }
                KeyCode::Up => self.text_scroll.set(s.saturating_add(1)),
                KeyCode::Down => self.text_scroll.set(s.saturating_sub(1)),
                KeyCode::PageUp => self.text_scroll.set(s.saturating_add(page)),
                KeyCode::PageDown => self.text_scroll.set(s.saturating_sub(page)),
                KeyCode::Home => self.text_scroll.set(usize::MAX),
                KeyCode::End => self.text_scroll.set(0),
                _ => {}
            }
            return Nav::Stay;
        }
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.move_focus(false),
            KeyCode::Down | KeyCode::Char('j') | KeyCode::Enter => self.move_focus(true),
            KeyCode::Left | KeyCode::Char('h') => self.cycle(false),
            KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => self.cycle(true),
            _ if is_back(&key) => return self.leave(),
            _ => {}
        }
        Nav::Stay
    }

    /// Esc: leave, asking first when something was pasted.
    fn leave(&mut self) -> Nav {
        if self.text.is_empty() {
            Nav::Pop
        } else {
            self.abandon = true;
            Nav::Stay
        }
    }

    fn preview(&mut self, out: &mut Vec<Command>) {
        if self.text.trim().is_empty() {
            self.warning = Some(Key::ImtNothing);
        } else {
            self.run(true, out);
        }
    }

    fn list_scroll_key(&self, key: &KeyEvent) -> bool {
        let s = self.scroll.get();
        let page = self.page.get().max(1);
        self.scroll.set(match key.code {
            KeyCode::Up | KeyCode::Char('k') => s.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => s.saturating_add(1),
            KeyCode::PageUp => s.saturating_sub(page),
            KeyCode::PageDown | KeyCode::Char(' ') => s.saturating_add(page),
            KeyCode::Home | KeyCode::Char('g') => 0,
            KeyCode::End | KeyCode::Char('G') => usize::MAX,
            _ => return false,
        });
        true
    }

    fn render_edit(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let block = panel(ctx.t(Key::ImtTitle));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 3 || inner.width < 8 {
            return;
        }
        let none = ctx.t(Key::None_).to_string();
        let org_label = self
            .org
            .and_then(|o| self.orgs.iter().find(|(id, _)| *id == o))
            .map_or(none.clone(), |(_, n)| n.clone());
        let class_label = self
            .class
            .and_then(|c| self.classes.iter().find(|(id, _, _)| *id == c))
            .map_or(none.clone(), |(_, _, n)| n.clone());
        let options: Vec<(Focus, Key, String)> = self
            .rows()
            .iter()
            .filter_map(|f| match f {
                Focus::Kind => Some((*f, Key::ImtWhat, ctx.t(kind_label(self.kind)).into())),
                Focus::Org => Some((*f, Key::ImtDefaultOrg, org_label.clone())),
                Focus::Class => Some((*f, Key::ImtDefaultClass, class_label.clone())),
                Focus::Text => None,
            })
            .collect();
        let label_w = options
            .iter()
            .map(|(_, k, _)| ctx.t(*k).width())
            .max()
            .unwrap_or(0);
        // Narrow screens: labels are cut so the value stays readable.
        let label_w = label_w.min((inner.width as usize).saturating_sub(4) / 2);
        let value_w = (inner.width as usize).saturating_sub(label_w + 6);
        let mut lines: Vec<Line> = Vec::new();
        for (f, k, v) in &options {
            let focused = *f == self.focus && !self.busy;
            let label = truncate(ctx.t(*k), label_w);
            let pad = " ".repeat(label_w.saturating_sub(label.width()));
            let value = truncate(&Safe::line(v), value_w.saturating_sub(4));
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {label}{pad} "),
                    if focused { title() } else { dim() },
                ),
                Span::styled(if focused { "› " } else { "  " }, title()),
                Span::raw(format!("‹ {value} ›")),
            ]));
        }
        // The text's heading: lines and size, or the notice.
        let info = if self.abandon {
            Line::styled(ctx.t(Key::ImtAbandon).to_string(), error())
        } else if self.busy {
            Line::styled(ctx.t(Key::ImtChecking).to_string(), dim())
        } else if let Some(w) = self.warning {
            Line::styled(ctx.t(w).to_string(), error())
        } else {
            let n = self.line_count().to_string();
            let focused = self.focus == Focus::Text;
            Line::styled(
                format!(
                    " {} {}",
                    if focused { "›" } else { " " },
                    tf(
                        ctx.lang,
                        // The service detects the format the same way.
                        if self.text.trim_start().starts_with(['[', '{']) {
                            Key::ImtTextInfoJson
                        } else {
                            Key::ImtTextInfo
                        },
                        &[&n, &human_size(ctx.lang, self.text.len())]
                    )
                ),
                if focused { title() } else { dim() },
            )
        };
        lines.push(info);
        let head_h = (lines.len() as u16).min(inner.height);
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                height: head_h,
                ..inner
            },
        );
        let text_area = Rect {
            y: inner.y + head_h,
            height: inner.height - head_h,
            ..inner
        };
        if text_area.height == 0 {
            return;
        }
        self.text_page.set(text_area.height as usize);
        if self.text.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled(ctx.t(Key::ImtPlaceholder).to_string(), dim()))
                    .wrap(Wrap { trim: true }),
                text_area.inner(ratatui::layout::Margin::new(1, 0)),
            );
            if self.focus == Focus::Text && !self.busy && !self.abandon {
                frame.set_cursor_position(Position::new(text_area.x + 1, text_area.y));
            }
            return;
        }
        // The window ends `text_scroll` lines before the end (read backwards: cheap even
        // for a 20 MiB paste).
        let h = text_area.height as usize;
        let total = self.newlines + 1;
        let scroll = self.text_scroll.get().min(total.saturating_sub(h));
        self.text_scroll.set(scroll);
        let mut window: Vec<&str> = self.text.rsplit('\n').skip(scroll).take(h).collect();
        window.reverse();
        let width = (text_area.width as usize).saturating_sub(2);
        let shown: Vec<Line> = window
            .iter()
            .map(|l| {
                let l = l.replace('\t', "→");
                Line::from(format!(" {}", truncate(&Safe::line(&l), width)))
            })
            .collect();
        let last_w = shown.last().map_or(0, |l| l.width());
        let rows = shown.len() as u16;
        frame.render_widget(Paragraph::new(shown), text_area);
        if self.focus == Focus::Text && scroll == 0 && !self.busy && !self.abandon {
            let x = (text_area.x + last_w as u16).min(text_area.right().saturating_sub(1));
            frame.set_cursor_position(Position::new(x, text_area.y + rows.saturating_sub(1)));
        }
    }

    fn render_preview(&self, frame: &mut Frame, ctx: &Ctx, area: Rect, s: &ImportSummary) {
        let mut head = vec![Line::styled(
            ctx.t(Key::ImtPreviewNote).to_string(),
            title(),
        )];
        head.extend(summary_lines(ctx, s));
        head.push(Line::from(""));
        let items = s.lines.len();
        let item = |i: usize, width: usize| {
            let (mark, entity, label) = &s.lines[i];
            let style = match mark {
                '+' => Style::default().fg(Color::Green),
                '~' => Style::default().fg(Color::Yellow),
                _ => dim(),
            };
            let text = format!(" {mark} {} {}", ctx.t(*entity), Safe::line(label));
            Line::styled(truncate(&text, width), style)
        };
        let foot = if self.busy {
            Line::styled(ctx.t(Key::ImtImporting).to_string(), dim())
        } else {
            Line::styled(ctx.t(Key::ImtConfirm).to_string(), title())
        };
        self.render_long(
            frame,
            area,
            ctx.t(Key::ImtPreviewTitle),
            head,
            items,
            &item,
            Vec::new(),
            Some(foot),
        );
    }

    fn render_done(&self, frame: &mut Frame, ctx: &Ctx, area: Rect, s: &ImportSummary) {
        // The codes first: on a phone-sized window they are what matters.
        let mut head = vec![Line::styled(ctx.t(Key::ImtDoneNote).to_string(), title())];
        let mut tail = vec![Line::from("")];
        if s.codes.is_empty() {
            head.push(Line::from(ctx.t(Key::ImtNoCodes).to_string()));
        } else {
            head.push(Line::from(ctx.t(Key::ImtCodesOnce).to_string()));
            tail.push(Line::styled(ctx.t(Key::ImtCodesCsv).to_string(), dim()));
            tail.push(Line::from(""));
        }
        tail.extend(summary_lines(ctx, s));
        let width = (area.width as usize).saturating_sub(2);
        let email_w = s
            .codes
            .iter()
            .map(|(e, _)| Safe::line(e).width())
            .max()
            .unwrap_or(0);
        let code_w = s.codes.iter().map(|(_, c)| c.width()).max().unwrap_or(0);
        // Side by side when both fit, else the code under the e-mail.
        let side = 1 + email_w + 2 + code_w <= width;
        let per = if side { 1 } else { 2 };
        let item = |i: usize, width: usize| {
            let (email, code) = &s.codes[i / per];
            let email = Safe::line(email);
            let code = Safe::line(code).into_string();
            if side {
                let pad = " ".repeat(email_w - email.width());
                Line::from(vec![
                    Span::raw(format!(" {email}{pad}  ")),
                    Span::styled(code, title()),
                ])
            } else if i.is_multiple_of(2) {
                Line::from(format!(" {}", truncate(&email, width.saturating_sub(1))))
            } else {
                Line::from(vec![Span::raw("   "), Span::styled(code, title())])
            }
        };
        self.render_long(
            frame,
            area,
            ctx.t(Key::ImtDoneTitle),
            head,
            s.codes.len() * per,
            &item,
            tail,
            None,
        );
    }

    /// A panel with a wrapped head (a few lines), `items` one-line rows built on demand
    /// (only the visible ones: an import may list 100,000 rows) and a wrapped tail, scrolled
    /// together; `foot` stays at the bottom.
    #[allow(clippy::too_many_arguments)]
    fn render_long(
        &self,
        frame: &mut Frame,
        area: Rect,
        heading: &str,
        head: Vec<Line<'static>>,
        items: usize,
        item: &dyn Fn(usize, usize) -> Line<'static>,
        tail: Vec<Line<'static>>,
        foot: Option<Line<'static>>,
    ) {
        let block = panel(heading);
        let mut inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height == 0 || inner.width < 4 {
            return;
        }
        if let Some(foot) = foot {
            let p = Paragraph::new(foot).wrap(Wrap { trim: true });
            let fh = (p.line_count(inner.width) as u16).min(inner.height.saturating_sub(1));
            inner.height -= fh;
            frame.render_widget(
                p,
                Rect {
                    y: inner.y + inner.height,
                    height: fh,
                    ..inner
                },
            );
        }
        let h = inner.height as usize;
        self.page.set(h.max(1));
        let head_p = Paragraph::new(head).wrap(Wrap { trim: false });
        let head_h = head_p.line_count(inner.width);
        let tail_p = Paragraph::new(tail).wrap(Wrap { trim: false });
        let tail_h = tail_p.line_count(inner.width);
        let total = head_h + items + tail_h;
        let scroll = self.scroll.get().min(total.saturating_sub(h));
        self.scroll.set(scroll);
        let mut y = inner.y;
        let mut room = h;
        if scroll < head_h {
            let shown = (head_h - scroll).min(room);
            frame.render_widget(
                head_p.scroll((scroll as u16, 0)),
                Rect {
                    y,
                    height: shown as u16,
                    ..inner
                },
            );
            y += shown as u16;
            room -= shown;
        }
        let first = scroll.saturating_sub(head_h);
        let width = inner.width as usize;
        let lines: Vec<Line> = (first..items).take(room).map(|i| item(i, width)).collect();
        let shown = lines.len();
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                y,
                height: shown as u16,
                ..inner
            },
        );
        y += shown as u16;
        room -= shown;
        if room > 0 && tail_h > 0 {
            let skip = scroll.saturating_sub(head_h + items);
            frame.render_widget(
                tail_p.scroll((skip as u16, 0)),
                Rect {
                    y,
                    height: room as u16,
                    ..inner
                },
            );
        }
    }
}

/// Encoding and delimiter, counts per entity, ignored columns: as `ssh … import` says them.
fn summary_lines(ctx: &Ctx, s: &ImportSummary) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if !s.encoding.is_empty() {
        let delim = match s.delimiter {
            Some('\t') => "tab".to_string(),
            Some(c) => format!("« {} »", Safe::line(&c.to_string())),
            None => "JSON".to_string(),
        };
        out.push(Line::from(tf(
            ctx.lang,
            Key::ImpEncoding,
            &[&Safe::line(&s.encoding), &delim],
        )));
    }
    for (key, c) in &s.counts {
        if c.created + c.updated + c.unchanged > 0 {
            out.push(Line::from(tf(
                ctx.lang,
                Key::ImpCounts,
                &[
                    ctx.t(*key),
                    &c.created.to_string(),
                    &c.updated.to_string(),
                    &c.unchanged.to_string(),
                ],
            )));
        }
    }
    if !s.unknown_columns.is_empty() {
        let cols: Vec<String> = s
            .unknown_columns
            .iter()
            .map(|c| format!("« {} »", Safe::line(c)))
            .collect();
        out.push(Line::styled(
            tf(ctx.lang, Key::ImpIgnoredColumns, &[&cols.join(", ")]),
            Style::default().fg(Color::Yellow),
        ));
    }
    out
}

/// "512 o", "1,5 Kio", "20,0 Mio" (French) / "512 B", "1.5 KiB" (English).
pub(crate) fn human_size(lang: Lang, bytes: usize) -> String {
    let (key, value) = if bytes < 1024 {
        return tf(lang, Key::ImtBytes, &[&bytes.to_string()]);
    } else if bytes < 1024 * 1024 {
        (Key::ImtKib, bytes as f64 / 1024.0)
    } else {
        (Key::ImtMib, bytes as f64 / (1024.0 * 1024.0))
    };
    let mut n = format!("{value:.1}");
    if lang == Lang::Fr {
        n = n.replace('.', ",");
    }
    tf(lang, key, &[&n])
}

impl View for ImportScreen {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.busy {
            return Nav::Stay;
        }
        match &self.stage {
            Stage::Edit => self.edit_key(key, out),
            Stage::Preview(_) => {
                if self.list_scroll_key(&key) {
                    return Nav::Stay;
                }
                match key.code {
                    KeyCode::Char('o' | 'O' | 'y' | 'Y') => self.run(false, out),
                    KeyCode::Char('n' | 'N') => self.stage = Stage::Edit,
                    _ if is_back(&key) => self.stage = Stage::Edit,
                    _ => {}
                }
                Nav::Stay
            }
            Stage::Errors(_) => {
                if scroll_key(&key, &self.error_scroll) {
                    return Nav::Stay;
                }
                if is_back(&key) || matches!(key.code, KeyCode::Enter | KeyCode::Char('n')) {
                    self.stage = Stage::Edit;
                    self.focus = Focus::Text;
                }
                Nav::Stay
            }
            Stage::Done(_) => {
                if self.list_scroll_key(&key) {
                    return Nav::Stay;
                }
                if is_back(&key) || key.code == KeyCode::Enter {
                    Nav::Pop
                } else {
                    Nav::Stay
                }
            }
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        match &self.stage {
            Stage::Edit => self.render_edit(frame, ctx, area),
            Stage::Preview(s) => self.render_preview(frame, ctx, area, s),
            Stage::Done(s) => self.render_done(frame, ctx, area, s),
            Stage::Errors(lines) => {
                let text: Vec<Line<'static>> = lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let l = Safe::line(l).into_string();
                        if i == 0 {
                            Line::styled(l, error())
                        } else {
                            Line::from(l)
                        }
                    })
                    .collect();
                render_scrolled(
                    frame,
                    area,
                    ctx.t(Key::ImtErrorsTitle),
                    text,
                    &self.error_scroll,
                );
            }
        }
    }

    fn hints(&self) -> Key {
        if self.busy {
            return Key::ImtHintBusy;
        }
        match &self.stage {
            Stage::Edit if self.abandon => Key::UiHintConfirm,
            Stage::Edit if self.focus == Focus::Text => Key::ImtHintText,
            Stage::Edit => Key::ImtHintOptions,
            Stage::Preview(_) => Key::ImtHintPreview,
            Stage::Errors(_) => Key::ImtHintErrors,
            Stage::Done(_) => Key::ImtHintDone,
        }
    }

    fn help(&self) -> Key {
        Key::ImtHelp
    }

    fn captures_text(&self) -> bool {
        // While typing the file, `q` and `?` are text (F1 still opens help); once something
        // is pasted `q` does not drop it, nor the codes shown once.
        match self.stage {
            Stage::Edit => self.focus == Focus::Text || self.abandon || !self.text.is_empty(),
            Stage::Done(_) => true,
            _ => false,
        }
    }

    fn paste(&mut self, text: &str) {
        if self.busy || self.abandon || self.stage != Stage::Edit {
            return;
        }
        self.warning = None;
        self.focus = Focus::Text;
        self.append(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::Orgs));
        out.push(Command::Load(Query::Classes));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        match data {
            Data::Orgs(list) => {
                self.orgs = list.iter().map(|o| (o.id, o.name.clone())).collect();
                if self
                    .org
                    .is_some_and(|o| !self.orgs.iter().any(|(id, _)| *id == o))
                {
                    self.org = None;
                }
            }
            Data::Classes(list) => {
                self.classes = list
                    .iter()
                    .map(|c| {
                        (
                            c.id,
                            c.organisation_id,
                            format!("{} / {}", c.organisation_name, c.name),
                        )
                    })
                    .collect();
                if self
                    .class
                    .is_some_and(|c| !self.classes.iter().any(|(id, _, _)| *id == c))
                {
                    self.class = None;
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
        self.busy = false;
        self.scroll.set(0);
        self.error_scroll.set(0);
        match result {
            Ok(Effect::Imported(s)) if s.dry_run => self.stage = Stage::Preview(s),
            Ok(Effect::Imported(s)) => {
                // Done: the pasted file is not needed any more.
                self.clear_text();
                self.stage = Stage::Done(s);
            }
            Ok(other) => super::report(ctx, Ok(other)),
            Err(msg) => self.stage = Stage::Errors(msg.lines().map(String::from).collect()),
        }
        Nav::Stay
    }
}
