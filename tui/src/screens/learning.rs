//! The student's space: "Mes cours" (courses with progress, dates, "continuer") and a
//! course (overview, lessons in Markdown marked done / not done, resources as links and
//! QR codes). Wide terminals show the list and the content side by side; narrow ones one
//! column at a time.

use std::cell::{Cell, RefCell};

use super::{Screen, View, detail_lines, is_back, list_move, render_scrolled, scroll_key};
use crate::components::list::{
    Column, Detail, Keyed, ListScreen, ListSpec, ListView, Step, col, column, loads,
};
use crate::safe::Safe;
use crate::theme::{ACCENT, dim, panel, selected, title, truncate};
use crate::{Action, Command, Ctx, Data, Hyperlink, KeyCode, KeyEvent, Nav, Query, safe_url};
use chrono::NaiveDate;
use portail::i18n::{Key, tf};
use portail::services::courses::Resource;
use portail::services::enrolment::CourseAccess;
use portail::services::learning::{MyCourse, MyCourseDetail};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Width from which the course shows its list and content side by side.
const WIDE: u16 = 80;

/// `██████░░░░` for a percentage.
pub(crate) fn bar(percent: i64, width: usize) -> String {
    let p = percent.clamp(0, 100) as usize;
    let full = p * width / 100;
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}

/// "█████░░░░░  50 %".
pub(crate) fn bar_pct(percent: i64, width: usize) -> String {
    format!("{} {:>3} %", bar(percent, width), percent)
}

/// The assignment dates of a course, in words.
pub(crate) fn dates(ctx: &Ctx, start: Option<NaiveDate>, end: Option<NaiveDate>) -> String {
    let f = portail::present::date;
    match (start, end) {
        (Some(s), Some(e)) => tf(ctx.lang, Key::SpFromTo, &[&f(s), &f(e)]),
        (Some(s), None) => tf(ctx.lang, Key::SpFrom, &[&f(s)]),
        (None, Some(e)) => tf(ctx.lang, Key::SpUntil, &[&f(e)]),
        (None, None) => ctx.t(Key::SpNoDates).to_string(),
    }
}

/// Today in the user's time zone (assignment dates are local days).
fn today(ctx: &Ctx) -> NaiveDate {
    portail::present::local_date(ctx.tz, ctx.now)
}

/// The dates of a course in the list: what they mean today when it is not open ("à
/// partir du 1er mars", "terminé depuis le 12 janvier"), else the dates.
fn dates_or_note(ctx: &Ctx, c: &MyCourse) -> String {
    c.access
        .note(ctx.lang, c.start_date, c.end_date, today(ctx))
        .unwrap_or_else(|| dates(ctx, c.start_date, c.end_date))
}

/// "leçon 2"; nothing to continue before the course opens.
fn continue_label(ctx: &Ctx, c: &MyCourse) -> String {
    if c.access == CourseAccess::Upcoming {
        return ctx.t(Key::None_).to_string();
    }
    match c.next_lesson {
        Some(p) => tf(ctx.lang, Key::OutContinueAt, &[&p.to_string()]),
        None if c.total_lessons > 0 => ctx.t(Key::OutAllDone).to_string(),
        None => ctx.t(Key::None_).to_string(),
    }
}

/// A message in a panel (loading, empty states).
fn message(frame: &mut Frame, area: Rect, heading: &str, text: &str) {
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {text}"), dim()))
            .wrap(Wrap { trim: true })
            .block(panel(heading)),
        area,
    );
}

/// "Mes cours" (see [`ListSpec`]): the selected course's progress under the list.
pub(crate) struct MyCourses;

impl MyCourses {
    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self)
    }
}

impl ListSpec for MyCourses {
    type Item = MyCourse;
    const HINTS: Key = Key::SpHintMyCourses;
    const HELP: Key = Key::SpHelpMyCourses;
    const TITLE: Key = Key::MenuMyCourses;
    const COLUMNS: &'static [Column<MyCourse>] = &[
        column(Key::FieldTitle, 14, |_, c| Safe::line(&c.title)),
        column(Key::OutProgress, 16, |_, c| {
            bar_pct(c.progress_percent, 10).into()
        }),
        column(Key::SpDates, 27, |ctx, c| dates_or_note(ctx, c).into()),
        column(Key::OutContinue, 10, |ctx, c| {
            Safe::line(&continue_label(ctx, c))
        }),
    ];

    fn search_text(&self, c: &MyCourse) -> String {
        c.title.clone()
    }

    loads!(Query::MyCourses, Data::MyCourses);

    fn key(&mut self, k: Keyed<'_, MyCourse>) -> Step {
        match (k.key.code, k.sel) {
            (KeyCode::Enter | KeyCode::Right | KeyCode::Char('c' | 'l'), Some(c)) => {
                // Before its start day the course cannot be opened: the core's words why.
                if let Some(refused) = c.refuse_opening(today(k.ctx)) {
                    k.ctx.flash = Some(refused.user_message(k.ctx.lang));
                    return Nav::Stay.into();
                }
                Nav::Push(Screen::view(MyCourseScreen::new(
                    c.id,
                    Some((c.start_date, c.end_date)),
                    true,
                )))
            }
            _ => Nav::Stay,
        }
        .into()
    }

    fn empty(&self) -> Option<Key> {
        Some(Key::SpMyCoursesEmpty)
    }

    fn detail(&self, ctx: &Ctx, c: &MyCourse) -> Option<Detail> {
        let lines = vec![
            Line::from(vec![
                Span::styled(format!(" {} ", bar(c.progress_percent, 10)), title()),
                Span::raw(format!(
                    "{} % · {}",
                    c.progress_percent,
                    tf(
                        ctx.lang,
                        Key::SpLessonsDone,
                        &[
                            &c.completed_lessons.to_string(),
                            &c.total_lessons.to_string()
                        ]
                    )
                )),
            ]),
            Line::from(format!(" {}", dates_or_note(ctx, c))),
            Line::from(vec![
                Span::styled(format!(" {} : ", ctx.t(Key::OutContinue)), dim()),
                Safe::line(&continue_label(ctx, c)).into(),
            ]),
        ];
        Some(Detail {
            height: 5,
            title: Safe::line(&c.title),
            lines,
        })
    }

    fn reload_on_progress(&self, ctx: &Ctx, student: i64, _course: i64) -> bool {
        student == ctx.user.id
    }
}

/// An entry of the course's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Overview,
    Lesson(usize),
    Resources,
}

/// One of the student's courses.
pub(crate) struct MyCourseScreen {
    id: i64,
    dates: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    detail: Option<MyCourseDetail>,
    /// Open the first lesson not done once loaded ("continuer").
    resume: bool,
    list: ListView,
    /// What the content pane shows.
    open: Item,
    /// Keys go to the content (else to the list); on narrow screens only that is shown.
    in_content: bool,
    scroll: Cell<u16>,
    resource: usize,
    /// The resource whose QR code is shown over the screen.
    qr: Option<usize>,
    /// A lesson to record as opened (sent after the data arrived).
    to_open: Option<i64>,
    links: RefCell<Vec<Hyperlink>>,
    /// The logos of the organisations this course came through (links above the page).
    logos: Vec<crate::LogoLink>,
}

impl MyCourseScreen {
    pub(crate) fn new(
        id: i64,
        dates: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
        resume: bool,
    ) -> Self {
        Self {
            id,
            dates,
            detail: None,
            resume,
            list: ListView::new(),
            open: Item::Overview,
            in_content: false,
            scroll: Cell::new(0),
            resource: 0,
            qr: None,
            to_open: None,
            links: RefCell::new(Vec::new()),
            logos: Vec::new(),
        }
    }

    fn items(&self) -> Vec<Item> {
        let n = self.detail.as_ref().map_or(0, |d| d.detail.lessons.len());
        std::iter::once(Item::Overview)
            .chain((0..n).map(Item::Lesson))
            .chain(std::iter::once(Item::Resources))
            .collect()
    }

    fn selected_item(&self) -> Option<Item> {
        self.list
            .selected()
            .and_then(|i| self.items().get(i).copied())
    }

    fn is_done(&self, i: usize) -> bool {
        self.detail
            .as_ref()
            .and_then(|d| d.progress.get(i))
            .is_some_and(|p| p.completed_at.is_some())
    }

    /// Shows `item` in the content pane; a lesson is recorded as opened.
    fn show(&mut self, item: Item, out: &mut Vec<Command>) {
        if self.open != item {
            self.scroll.set(0);
        }
        self.open = item;
        self.in_content = true;
        if let Some(pos) = self.items().iter().position(|i| *i == item) {
            self.list.select_item(pos);
        }
        if let (Item::Lesson(i), Some(d)) = (item, &self.detail)
            && let Some(l) = d.detail.lessons.get(i)
        {
            out.push(Command::Run(Action::OpenLesson(l.id)));
        }
    }

    /// The lesson `d`/Space and `n`/`p` act on: the open one, or the one selected in the list.
    fn current_lesson(&self) -> Option<usize> {
        match (self.in_content, self.open, self.selected_item()) {
            (true, Item::Lesson(i), _) => Some(i),
            (false, _, Some(Item::Lesson(i))) => Some(i),
            (_, Item::Lesson(i), _) => Some(i),
            _ => None,
        }
    }

    fn lesson_count(&self) -> usize {
        self.detail.as_ref().map_or(0, |d| d.detail.lessons.len())
    }

    fn resource_count(&self) -> usize {
        self.detail.as_ref().map_or(0, |d| d.detail.resources.len())
    }

    fn overview_lines(&self, ctx: &Ctx, d: &MyCourseDetail) -> Vec<Line<'static>> {
        let c = &d.detail.course;
        let done = d
            .progress
            .iter()
            .filter(|p| p.completed_at.is_some())
            .count();
        let mut lines = vec![
            Line::from(vec![
                Span::styled(format!(" {} ", bar(d.progress_percent, 12)), title()),
                Span::raw(format!(
                    "{} % · {}",
                    d.progress_percent,
                    tf(
                        ctx.lang,
                        Key::SpLessonsDone,
                        &[&done.to_string(), &d.detail.lessons.len().to_string()]
                    )
                )),
            ]),
            Line::from(""),
        ];
        let none = ctx.t(Key::None_).to_string();
        let mut rows = vec![(
            Key::OutDuration,
            match c.duration_hours {
                Some(h) => portail::present::hours(ctx.lang, h),
                None => none.clone(),
            },
        )];
        if let Some((s, e)) = self.dates {
            let mut text = dates(ctx, s, e);
            if let Some(note) = d.access.note(ctx.lang, s, e, today(ctx)) {
                text = format!("{text} ({note})");
            }
            rows.push((Key::SpDates, text));
        }
        rows.push((
            Key::FieldLevel,
            c.level.clone().unwrap_or_else(|| none.clone()),
        ));
        rows.push((
            Key::FieldPrerequisites,
            c.prerequisites.clone().unwrap_or_else(|| none.clone()),
        ));
        lines.extend(detail_lines(ctx, &rows));
        if !c.objectives.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::styled(
                format!(" {}", ctx.t(Key::FieldObjectives)),
                title(),
            ));
            for o in &c.objectives {
                lines.push(Line::from(format!("  • {}", Safe::line(o))));
            }
        }
        if !c.description.trim().is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::styled(
                format!(" {}", ctx.t(Key::FieldDescription)),
                title(),
            ));
            lines.extend(crate::markdown::render(&c.description));
        }
        lines
    }

    fn render_list(&self, frame: &mut Frame, ctx: &Ctx, area: Rect, d: &MyCourseDetail) {
        let block = panel(&truncate(
            &Safe::line(&d.detail.course.title),
            area.width.saturating_sub(4) as usize,
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height == 0 {
            return;
        }
        let pct = format!(" {}", bar_pct(d.progress_percent, 10));
        frame.render_widget(
            Paragraph::new(Line::styled(pct, title())),
            Rect { height: 1, ..inner },
        );
        let rows: Vec<Vec<Safe>> = self
            .items()
            .iter()
            .map(|item| {
                vec![match item {
                    Item::Overview => format!("≡ {}", ctx.t(Key::SpOverview)),
                    Item::Lesson(i) => {
                        let l = &d.detail.lessons[*i];
                        let mark = if self.is_done(*i) { "✓" } else { "·" };
                        format!("{mark} {}. {}", l.position, l.title)
                    }
                    Item::Resources => format!(
                        "↗ {} ({})",
                        ctx.t(Key::UiResources),
                        d.detail.resources.len()
                    ),
                }]
            })
            .map(Safe::row)
            .collect();
        let rest = Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        };
        let (above, below) = self
            .list
            .render_rows(frame, ctx, rest, &[col("", 10)], &rows);
        crate::theme::scroll_marks(frame, ctx, area, above, below);
    }

    fn render_content(&self, frame: &mut Frame, ctx: &Ctx, area: Rect, d: &MyCourseDetail) {
        match self.open {
            Item::Overview => render_scrolled(
                frame,
                area,
                ctx.t(Key::SpOverview),
                self.overview_lines(ctx, d),
                &self.scroll,
            ),
            Item::Lesson(i) => {
                let Some(l) = d.detail.lessons.get(i) else {
                    return;
                };
                let heading = format!("{}. {}", l.position, Safe::line(&l.title));
                let heading = truncate(&heading, area.width.saturating_sub(4) as usize);
                let (mark, style) = if self.is_done(i) {
                    (
                        format!("✓ {}", ctx.t(Key::SpDone)),
                        Style::default().fg(Color::Green),
                    )
                } else {
                    (format!("· {}", ctx.t(Key::SpToDo)), dim())
                };
                let mut lines = vec![
                    Line::from(vec![
                        Span::styled(format!(" {mark}"), style.add_modifier(Modifier::BOLD)),
                        Span::styled(
                            format!(
                                " · {}",
                                tf(
                                    ctx.lang,
                                    Key::SpLessonOf,
                                    &[&(i + 1).to_string(), &d.detail.lessons.len().to_string()]
                                )
                            ),
                            dim(),
                        ),
                    ]),
                    Line::from(""),
                ];
                lines.extend(crate::markdown::render(&l.body));
                let files: Vec<&Resource> = d
                    .detail
                    .resources
                    .iter()
                    .filter(|r| r.lesson_id == Some(l.id))
                    .collect();
                let body = lesson_files(frame, ctx, area, &files, &mut self.links.borrow_mut());
                render_scrolled(frame, body, &heading, lines, &self.scroll);
            }
            Item::Resources => self.render_resources(frame, ctx, area, d),
        }
    }

    fn render_resources(&self, frame: &mut Frame, ctx: &Ctx, area: Rect, d: &MyCourseDetail) {
        let heading = format!("{} ({})", ctx.t(Key::UiResources), d.detail.resources.len());
        let block = panel(&heading);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if d.detail.resources.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    format!(" {}", ctx.t(Key::SpNoResources)),
                    dim(),
                ))
                .wrap(Wrap { trim: true }),
                inner,
            );
            return;
        }
        // Three lines per resource (title, link, blank); the selected one stays in view.
        let per = 3usize;
        let fit = (inner.height as usize / per).max(1);
        let first = self.resource.saturating_sub(fit - 1);
        let total = d.detail.resources.len();
        crate::theme::scroll_marks(frame, ctx, area, first, total.saturating_sub(first + fit));
        let text_w = inner.width.saturating_sub(4) as usize;
        let mut links = self.links.borrow_mut();
        for (n, (i, r)) in d
            .detail
            .resources
            .iter()
            .enumerate()
            .skip(first)
            .take(fit)
            .enumerate()
        {
            let y = inner.y + (n * per) as u16;
            let here = i == self.resource && self.in_content;
            let name = truncate(&Safe::line(&r.title), text_w);
            let line = if here {
                Line::from(vec![
                    Span::styled("› ", title()),
                    Span::styled(name, selected()),
                ])
            } else {
                Line::from(vec![Span::raw("  "), Span::styled(name, title())])
            };
            frame.render_widget(
                Paragraph::new(line),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
            if y + 1 >= inner.bottom() {
                break;
            }
            let url_area = Rect {
                x: inner.x + 2,
                y: y + 1,
                width: inner.width.saturating_sub(2),
                height: 1,
            };
            match r.url.as_deref().map(|u| (u, safe_url(u))) {
                Some((_, Some(url))) => {
                    let text = truncate(url, text_w);
                    frame.render_widget(
                        Paragraph::new(Span::styled(text.clone(), link())),
                        url_area,
                    );
                    links.push(Hyperlink {
                        x: url_area.x,
                        y: url_area.y,
                        url: url.to_string(),
                        text,
                    });
                }
                Some((raw, None)) => {
                    let shown = format!("{} — {}", Safe::line(raw), ctx.t(Key::SpLinkRefused));
                    frame.render_widget(
                        Paragraph::new(Span::styled(truncate(&shown, text_w), dim())),
                        url_area,
                    );
                }
                None => frame.render_widget(
                    Paragraph::new(Span::styled(ctx.t(Key::None_), dim())),
                    url_area,
                ),
            }
        }
    }

    fn render_qr(&self, frame: &mut Frame, ctx: &Ctx, area: Rect, d: &MyCourseDetail) {
        let Some(r) = self.qr.and_then(|i| d.detail.resources.get(i)) else {
            return;
        };
        let mut links = self.links.borrow_mut();
        crate::qr::render_overlay(frame, ctx, area, r.url.as_deref(), &mut links);
    }
}

/// The files and links attached to one lesson, in a strip under it: one line each, the
/// title then the link (clickable; the full URL goes in the hyperlink even when the text
/// is cut). At most a third of `area` (3 lines at least): the rest is counted, to be found
/// under Ressources. Returns the area left for the lesson itself.
pub(crate) fn lesson_files(
    frame: &mut Frame,
    ctx: &Ctx,
    area: Rect,
    files: &[&Resource],
    links: &mut Vec<Hyperlink>,
) -> Rect {
    if files.is_empty() || area.height < 8 {
        return area;
    }
    let room = (area.height / 3).max(3) - 1;
    let shown = if files.len() as u16 <= room {
        files.len()
    } else {
        room.saturating_sub(1) as usize
    };
    let more = files.len() - shown;
    let h = 1 + shown as u16 + u16::from(more > 0);
    let [body, strip] = Layout::vertical([Constraint::Min(3), Constraint::Length(h)]).areas(area);
    let heading = format!(" {} ({}) ", ctx.t(Key::SpLessonFiles), files.len());
    let block = ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::TOP)
        .title(Span::styled(
            truncate(&heading, area.width as usize),
            title(),
        ));
    let inner = block.inner(strip);
    frame.render_widget(block, strip);
    for (n, r) in files.iter().take(shown).enumerate() {
        let y = inner.y + n as u16;
        if y >= inner.bottom() {
            break;
        }
        let name = truncate(&Safe::line(&r.title), (inner.width as usize / 3).max(8));
        let name_w = unicode_width::UnicodeWidthStr::width(name.as_str()) as u16 + 3;
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw(" "),
                Span::styled(name, title()),
                Span::raw(" "),
            ])),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
        let url_area = Rect {
            x: inner.x + name_w,
            y,
            width: inner.width.saturating_sub(name_w),
            height: 1,
        };
        let room = url_area.width as usize;
        match r.url.as_deref().map(|u| (u, safe_url(u))) {
            Some((_, Some(url))) if room > 0 => {
                let text = truncate(url, room);
                frame.render_widget(Paragraph::new(Span::styled(text.clone(), link())), url_area);
                links.push(Hyperlink {
                    x: url_area.x,
                    y,
                    url: url.to_string(),
                    text,
                });
            }
            Some((raw, None)) => frame.render_widget(
                Paragraph::new(Span::styled(
                    truncate(
                        &format!("{} — {}", Safe::line(raw), ctx.t(Key::SpLinkRefused)),
                        room,
                    ),
                    dim(),
                )),
                url_area,
            ),
            _ => frame.render_widget(
                Paragraph::new(Span::styled(ctx.t(Key::None_), dim())),
                url_area,
            ),
        }
    }
    if more > 0 {
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!(
                    " {}",
                    tf(ctx.lang, Key::SpMoreResources, &[&more.to_string()])
                ),
                dim(),
            )),
            Rect {
                y: inner.y + shown as u16,
                height: 1,
                ..inner
            },
        );
    }
    body
}

/// How links look (the OSC 8 rewrite uses the same attributes: underlined, accent colour).
pub(crate) fn link() -> Style {
    Style::default()
        .fg(ACCENT)
        .add_modifier(Modifier::UNDERLINED)
}

impl View for MyCourseScreen {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.qr.is_some() {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('Q') | KeyCode::Backspace
            ) {
                self.qr = None;
            }
            return Nav::Stay;
        }
        if self.detail.is_none() {
            return if is_back(&key) { Nav::Pop } else { Nav::Stay };
        }
        let n = self.lesson_count();
        match key.code {
            KeyCode::Char('n') => {
                let next = match self.current_lesson() {
                    Some(i) if i + 1 < n => Some(i + 1),
                    Some(_) => None,
                    None if n > 0 => Some(0),
                    None => None,
                };
                if let Some(i) = next {
                    self.show(Item::Lesson(i), out);
                }
                return Nav::Stay;
            }
            KeyCode::Char('p') => {
                if let Some(i) = self.current_lesson()
                    && i > 0
                {
                    self.show(Item::Lesson(i - 1), out);
                }
                return Nav::Stay;
            }
            KeyCode::Char('d') | KeyCode::Char(' ')
                if !(self.in_content && self.open == Item::Resources) =>
            {
                if let Some(i) = self.current_lesson()
                    && let Some(l) = self.detail.as_ref().and_then(|d| d.detail.lessons.get(i))
                {
                    out.push(Command::Run(Action::SetLessonDone {
                        lesson: l.id,
                        done: !self.is_done(i),
                    }));
                }
                return Nav::Stay;
            }
            KeyCode::Char('Q') if self.open == Item::Resources && self.resource_count() > 0 => {
                self.qr = Some(self.resource);
                return Nav::Stay;
            }
            KeyCode::Char('z') => {
                let title = self
                    .detail
                    .as_ref()
                    .map(|d| d.detail.course.title.clone())
                    .unwrap_or_default();
                return Nav::Push(Screen::view(super::quiz_take::MyQuizzes::of_course(
                    self.id, &title,
                )));
            }
            _ => {}
        }
        if self.in_content {
            if is_back(&key) {
                self.in_content = false;
                return Nav::Stay;
            }
            if self.open == Item::Resources {
                if let Some(i) = list_move(&key, self.resource, self.resource_count()) {
                    self.resource = i;
                } else if key.code == KeyCode::Enter && self.resource_count() > 0 {
                    self.qr = Some(self.resource);
                }
            } else {
                scroll_key(&key, &self.scroll);
            }
            return Nav::Stay;
        }
        if self.list.key(&key) {
            return Nav::Stay;
        }
        match key.code {
            KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => {
                if let Some(item) = self.selected_item() {
                    self.show(item, out);
                }
                Nav::Stay
            }
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        self.links.borrow_mut().clear();
        let Some(d) = &self.detail else {
            return message(frame, area, ctx.t(Key::EntCourse), ctx.t(Key::SpLoading));
        };
        // The organisation's logo as a link on the first line (two organisations at most).
        let area = if self.logos.is_empty() {
            area
        } else {
            let n = (self.logos.len() as u16).min(2);
            let [top, rest] =
                Layout::vertical([Constraint::Length(n), Constraint::Min(0)]).areas(area);
            let top = top.inner(ratatui::layout::Margin::new(1, 0));
            crate::components::link::draw_logos(
                frame,
                ctx,
                top,
                &self.logos[..n as usize],
                &mut self.links.borrow_mut(),
            );
            rest
        };
        if area.width >= WIDE {
            let list_w = (area.width / 3).clamp(28, 44);
            let [left, right] =
                Layout::horizontal([Constraint::Length(list_w), Constraint::Min(20)]).areas(area);
            self.render_list(frame, ctx, left, d);
            self.render_content(frame, ctx, right, d);
        } else if self.in_content {
            self.render_content(frame, ctx, area, d);
        } else {
            self.render_list(frame, ctx, area, d);
        }
        if self.qr.is_some() {
            self.links.borrow_mut().clear();
            self.render_qr(frame, ctx, area, d);
        }
    }

    fn hints(&self) -> Key {
        if self.qr.is_some() {
            Key::SpQrClose
        } else if self.list.searching() {
            Key::UiHintSearch
        } else if !self.in_content {
            Key::SpHintMyCourse
        } else {
            match self.open {
                Item::Overview => Key::SpHintMyOverview,
                Item::Lesson(_) => Key::SpHintMyLesson,
                Item::Resources => Key::SpHintMyResources,
            }
        }
    }

    fn help(&self) -> Key {
        Key::SpHelpMyCourse
    }

    fn captures_text(&self) -> bool {
        self.list.searching()
    }

    fn paste(&mut self, text: &str) {
        self.list.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::MyCourse(self.id)));
        if self.detail.is_none() {
            out.push(Command::Load(Query::Logos(Some(self.id))));
        }
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        if let Data::Logos(Some(id), logos) = data
            && *id == self.id
        {
            self.logos = logos.clone();
        }
        let Data::MyCourse(d) = data else { return };
        if d.detail.course.id != self.id {
            return;
        }
        let first_load = self.detail.is_none();
        // Keep what is open by lesson id (lessons may have moved meanwhile).
        let open_id = match (self.open, &self.detail) {
            (Item::Lesson(i), Some(old)) => old.detail.lessons.get(i).map(|l| l.id),
            _ => None,
        };
        self.detail = Some((**d).clone());
        let keys = self
            .items()
            .iter()
            .map(|item| match item {
                Item::Overview => ctx.t(Key::SpOverview).to_string(),
                Item::Lesson(i) => d.detail.lessons[*i].title.clone(),
                Item::Resources => ctx.t(Key::UiResources).to_string(),
            })
            .collect();
        self.list.set_items(keys);
        if let Some(id) = open_id {
            self.open = match d.detail.lessons.iter().position(|l| l.id == id) {
                Some(i) => Item::Lesson(i),
                None => Item::Overview,
            };
        }
        self.resource = self
            .resource
            .min(d.detail.resources.len().saturating_sub(1));
        if first_load {
            let next = d.progress.iter().position(|p| p.completed_at.is_none());
            match next {
                Some(i) if self.resume => {
                    self.open = Item::Lesson(i);
                    self.in_content = true;
                    self.to_open = Some(d.detail.lessons[i].id);
                    self.list.select_item(i + 1);
                }
                _ => {
                    self.list.select_item(0);
                }
            }
            self.resume = false;
        }
    }

    fn follow_up(&mut self, out: &mut Vec<Command>) {
        if let Some(id) = self.to_open.take() {
            out.push(Command::Run(Action::OpenLesson(id)));
        }
    }

    fn progress_changed(&mut self, ctx: &Ctx, student: i64, course: i64, out: &mut Vec<Command>) {
        if student == ctx.user.id && course == self.id {
            out.push(Command::Load(Query::MyCourse(self.id)));
        }
    }

    /// Under the QR code, only the link shown instead of a code too big for the window.
    fn hyperlinks(&self) -> Vec<Hyperlink> {
        self.links.borrow().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn bars() {
        assert_eq!(bar(0, 4), "░░░░");
        assert_eq!(bar(50, 4), "██░░");
        assert_eq!(bar(100, 4), "████");
        assert_eq!(bar(150, 4), "████");
        assert_eq!(bar_pct(5, 4).width(), 10);
    }
}
