//! Cours: list, create / edit (forms.rs), duplicate, delete; a course's detail with its
//! lessons (Markdown, ordered), resources and assignments; the lesson view; assigning to
//! classes and students; the participants.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use portail::i18n::{Key, tf};
use portail::quiz::QuizKind;
use portail::services::courses::{Course, CourseDetail, Lesson, Resource};
use portail::services::enrolment::{Assignment, Participant, Target, VIA_INDIVIDUAL};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::forms::FormScreen;
use super::{Screen, View, date, detail_lines, is_back, render_scrolled, report, scroll_key};
use crate::components::dialog::{Answer, Dialog};
use crate::components::list::{
    Col, Column, Keyed, ListScreen, ListSpec, ListView, Step, col, column, loads,
};
use crate::field::TextField;
use crate::safe::Safe;
use crate::theme::{dim, error, panel, scroll_marks, selected, title};
use crate::{
    Action, Command, Ctx, Data, Effect, Hyperlink, KeyCode, KeyEvent, KeyModifiers, Nav, Query,
};

fn hours(ctx: &Ctx, h: Option<f64>) -> String {
    h.map(|h| portail::present::hours(ctx.lang, h))
        .unwrap_or_default()
}

/// The courses (see [`ListSpec`]).
pub(crate) struct CourseList;

impl CourseList {
    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self)
    }
}

impl ListSpec for CourseList {
    type Item = Course;
    const HINTS: Key = Key::UiHintCourseList;
    const HELP: Key = Key::UiHelpCourseList;
    const TITLE: Key = Key::MenuCourses;
    const COLUMNS: &'static [Column<Course>] = &[
        column(Key::FieldTitle, 14, |_, c| Safe::line(&c.title)),
        column(Key::FieldStatus, 9, |ctx, c| ctx.label(c.status).into()),
        column(Key::UiLessons, 7, |_, c| c.lesson_count.to_string().into()),
        column(Key::UiDuration, 7, |ctx, c| {
            hours(ctx, c.duration_hours).into()
        }),
    ];

    fn search_text(&self, c: &Course) -> String {
        c.title.clone()
    }

    loads!(Query::Courses, Data::Courses);

    fn key(&mut self, k: Keyed<'_, Course>) -> Step {
        let Keyed {
            ctx, key, sel, out, ..
        } = k;
        Step::Nav(match (key.code, sel) {
            (KeyCode::Char('n'), _) => Nav::Push(Screen::view(FormScreen::course(None))),
            (KeyCode::Char('e'), Some(c)) => Nav::Push(Screen::view(FormScreen::course(Some(c)))),
            (KeyCode::Enter | KeyCode::Right, Some(c)) => {
                Nav::Push(Screen::view(CourseScreen::new(c.id)))
            }
            (KeyCode::Char('p'), Some(c)) => {
                Nav::Push(Screen::view(Participants::new(c.id, &c.title)))
            }
            (KeyCode::Char('z'), Some(c)) => Nav::Push(Screen::view(
                super::quiz_admin::QuizList::new(Some((c.id, &c.title))),
            )),
            (KeyCode::Char('c'), Some(c)) => {
                out.push(Command::Run(Action::DuplicateCourse(c.id)));
                Nav::Stay
            }
            (KeyCode::Char('d') | KeyCode::Delete, Some(c)) => {
                let text = tf(
                    ctx.lang,
                    Key::UiCourseDelete,
                    &[&Safe::line(&c.title), &c.lesson_count.to_string()],
                );
                return Step::delete(ctx, text, Action::DeleteCourse(c.id));
            }
            _ => Nav::Stay,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Lessons,
    Resources,
    Assignments,
    Info,
}

const TABS: [Tab; 4] = [Tab::Lessons, Tab::Resources, Tab::Assignments, Tab::Info];

#[derive(Debug, Clone, Copy)]
enum Pending {
    Lesson(i64),
    Resource(i64),
    Unassign(Target),
}

/// A course: tabs for its lessons, resources, assignments and description.
pub(crate) struct CourseScreen {
    id: i64,
    detail: Option<CourseDetail>,
    assignments: Vec<Assignment>,
    tab: Tab,
    lessons: ListView,
    resources: ListView,
    assigns: ListView,
    info_scroll: Cell<u16>,
    dialog: Option<Dialog<Pending>>,
    /// A moved lesson, to keep it selected once the list is reloaded.
    follow: Option<i64>,
}

impl CourseScreen {
    pub(crate) fn new(id: i64) -> Self {
        Self {
            id,
            detail: None,
            assignments: Vec::new(),
            tab: Tab::Lessons,
            lessons: ListView::new(),
            resources: ListView::new(),
            assigns: ListView::new(),
            info_scroll: Cell::new(0),
            dialog: None,
            follow: None,
        }
    }

    fn list(&mut self) -> Option<&mut ListView> {
        match self.tab {
            Tab::Lessons => Some(&mut self.lessons),
            Tab::Resources => Some(&mut self.resources),
            Tab::Assignments => Some(&mut self.assigns),
            Tab::Info => None,
        }
    }

    fn tab_label(&self, ctx: &Ctx, tab: Tab) -> String {
        let (key, count) = match tab {
            Tab::Lessons => (
                Key::UiLessons,
                self.detail.as_ref().map(|d| d.lessons.len()),
            ),
            Tab::Resources => (
                Key::UiResources,
                self.detail.as_ref().map(|d| d.resources.len()),
            ),
            Tab::Assignments => (
                Key::UiAssignments,
                self.detail.as_ref().map(|_| self.assignments.len()),
            ),
            Tab::Info => (Key::UiInfo, None),
        };
        // Counts only once the course is loaded (no misleading "(0)" meanwhile).
        match count {
            Some(n) => format!("{} ({n})", ctx.t(key)),
            None => ctx.t(key).to_string(),
        }
    }

    fn answer(&mut self, key: &KeyEvent, out: &mut Vec<Command>) {
        let Some(d) = &self.dialog else { return };
        match d.key(key) {
            Answer::Yes => {
                out.push(Command::Run(match d.pending {
                    Pending::Lesson(id) => Action::DeleteLesson(id),
                    Pending::Resource(id) => Action::DeleteResource(id),
                    Pending::Unassign(t) => Action::Unassign {
                        course: self.id,
                        targets: vec![t],
                    },
                }));
                self.dialog = None;
            }
            Answer::No => self.dialog = None,
            _ => {}
        }
    }

    fn tab_key(&mut self, ctx: &Ctx, key: &KeyEvent, out: &mut Vec<Command>) -> Option<Nav> {
        let d = self.detail.as_ref()?;
        let confirm = |heading: Key, text: String, p: Pending| {
            Some(Dialog::confirm(ctx, ctx.t(heading), text, p))
        };
        match self.tab {
            Tab::Lessons => {
                let pos = self.lessons.selected();
                let lesson = pos.and_then(|i| d.lessons.get(i));
                match (key.code, lesson) {
                    (KeyCode::Char('n' | 'a'), _) => {
                        return Some(Nav::Push(Screen::view(FormScreen::lesson(self.id, None))));
                    }
                    (KeyCode::Char('e'), Some(l)) => {
                        return Some(Nav::Push(Screen::view(FormScreen::lesson(
                            self.id,
                            Some(l),
                        ))));
                    }
                    (KeyCode::Enter | KeyCode::Right, Some(l)) => {
                        return Some(Nav::Push(Screen::view(LessonView::new(self.id, l.clone()))));
                    }
                    (KeyCode::Char('K' | '+'), Some(l)) if l.position > 1 => {
                        self.follow = Some(l.id);
                        out.push(Command::Run(Action::MoveLesson {
                            id: l.id,
                            position: l.position - 1,
                        }));
                    }
                    (KeyCode::Char('J' | '-'), Some(l))
                        if (l.position as usize) < d.lessons.len() =>
                    {
                        self.follow = Some(l.id);
                        out.push(Command::Run(Action::MoveLesson {
                            id: l.id,
                            position: l.position + 1,
                        }));
                    }
                    (KeyCode::Char('d') | KeyCode::Delete, Some(l)) => {
                        let name = Safe::line(&l.title).into_string();
                        self.dialog = confirm(
                            Key::UiDelete,
                            tf(ctx.lang, Key::UiLessonDelete, &[&name]),
                            Pending::Lesson(l.id),
                        );
                    }
                    _ => return None,
                }
            }
            Tab::Resources => {
                let r = self.resources.selected().and_then(|i| d.resources.get(i));
                match (key.code, r) {
                    (KeyCode::Char('n' | 'a'), _) => {
                        return Some(Nav::Push(Screen::view(FormScreen::resource(self.id))));
                    }
                    (KeyCode::Char('u'), _) => {
                        return Some(Nav::Push(Screen::view(FormScreen::upload(
                            self.id, &d.lessons, ctx,
                        ))));
                    }
                    (KeyCode::Char('d') | KeyCode::Delete, Some(r)) => {
                        let name = Safe::line(&r.title).into_string();
                        self.dialog = confirm(
                            Key::UiDelete,
                            tf(ctx.lang, Key::UiResourceDelete, &[&name]),
                            Pending::Resource(r.id),
                        );
                    }
                    _ => return None,
                }
            }
            Tab::Assignments => {
                let a = self
                    .assigns
                    .selected()
                    .and_then(|i| self.assignments.get(i));
                match (key.code, a) {
                    (KeyCode::Char('n' | 'a'), _) => {
                        return Some(Nav::Push(Screen::view(AssignScreen::new(
                            self.id,
                            &d.course.title,
                        ))));
                    }
                    (KeyCode::Char('d') | KeyCode::Delete, Some(a)) => {
                        let target = match (a.class_id, a.student_id) {
                            (Some(c), _) => Target::Class(c),
                            (None, Some(s)) => Target::Student(s),
                            _ => return None,
                        };
                        let name = Safe::line(&assignment_target(a)).into_string();
                        self.dialog = confirm(
                            Key::UiUnassign,
                            tf(ctx.lang, Key::UiUnassignText, &[&name]),
                            Pending::Unassign(target),
                        );
                    }
                    _ => return None,
                }
            }
            Tab::Info => {
                if key.code == KeyCode::Char('e') {
                    return Some(Nav::Push(Screen::view(FormScreen::course(Some(&d.course)))));
                }
                if scroll_key(key, &self.info_scroll) {
                    return Some(Nav::Stay);
                }
                return None;
            }
        }
        Some(Nav::Stay)
    }

    fn info_lines(&self, ctx: &Ctx, d: &CourseDetail) -> Vec<Line<'static>> {
        let c = &d.course;
        let none = ctx.t(Key::None_).to_string();
        let objectives = if c.objectives.is_empty() {
            none.clone()
        } else {
            c.objectives
                .iter()
                .map(|o| format!("• {o}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        detail_lines(
            ctx,
            &[
                (Key::FieldTitle, c.title.clone()),
                (Key::FieldStatus, ctx.label(c.status).to_string()),
                (
                    Key::OutDuration,
                    if c.duration_hours.is_some() {
                        hours(ctx, c.duration_hours)
                    } else {
                        none.clone()
                    },
                ),
                (
                    Key::FieldLevel,
                    c.level.clone().unwrap_or_else(|| none.clone()),
                ),
                (
                    Key::FieldPrerequisites,
                    c.prerequisites.clone().unwrap_or_else(|| none.clone()),
                ),
                (Key::FieldObjectives, objectives),
                (
                    Key::FieldDescription,
                    if c.description.is_empty() {
                        none.clone()
                    } else {
                        c.description.clone()
                    },
                ),
            ],
        )
    }
}

fn assignment_target(a: &Assignment) -> String {
    match (&a.class_name, &a.student_email) {
        (Some(c), _) => format!("{c} ({})", a.organisation_name.as_deref().unwrap_or("")),
        (None, Some(e)) => e.clone(),
        _ => String::new(),
    }
}

impl View for CourseScreen {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.dialog.is_some() {
            self.answer(&key, out);
            return Nav::Stay;
        }
        let searching = self.list().is_some_and(|l| l.searching());
        if !searching {
            let shift = key.modifiers.contains(KeyModifiers::SHIFT);
            let i = TABS.iter().position(|t| *t == self.tab).unwrap_or(0);
            match key.code {
                KeyCode::Tab if shift => {
                    self.tab = TABS[(i + TABS.len() - 1) % TABS.len()];
                    return Nav::Stay;
                }
                KeyCode::Tab => {
                    self.tab = TABS[(i + 1) % TABS.len()];
                    return Nav::Stay;
                }
                KeyCode::Char(c @ '1'..='4') => {
                    self.tab = TABS[c as usize - '1' as usize];
                    return Nav::Stay;
                }
                KeyCode::Char('p') => {
                    let title = self
                        .detail
                        .as_ref()
                        .map(|d| d.course.title.clone())
                        .unwrap_or_default();
                    return Nav::Push(Screen::view(Participants::new(self.id, &title)));
                }
                KeyCode::Char('c') => {
                    out.push(Command::Run(Action::DuplicateCourse(self.id)));
                    return Nav::Stay;
                }
                KeyCode::Char('z') => {
                    let title = self
                        .detail
                        .as_ref()
                        .map(|d| d.course.title.clone())
                        .unwrap_or_default();
                    return Nav::Push(Screen::view(super::quiz_admin::QuizList::new(Some((
                        self.id, &title,
                    )))));
                }
                _ => {}
            }
        }
        if let Some(l) = self.list()
            && l.key(&key)
        {
            return Nav::Stay;
        }
        if let Some(nav) = self.tab_key(ctx, &key, out) {
            return nav;
        }
        if is_back(&key) { Nav::Pop } else { Nav::Stay }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = self
            .detail
            .as_ref()
            .map(|d| Safe::line(&d.course.title).into_string())
            .unwrap_or_else(|| ctx.t(Key::EntCourse).to_string());
        let block = panel(&heading);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 3 {
            return;
        }
        let [tabs, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        // Tabs: all of them when they fit, else the current one with its number.
        let labels: Vec<String> = TABS.iter().map(|t| self.tab_label(ctx, *t)).collect();
        let full: usize = labels.iter().map(|l| l.chars().count() + 3).sum();
        let line = if full <= tabs.width as usize {
            let mut spans = Vec::new();
            for (t, l) in TABS.iter().zip(&labels) {
                let st = if *t == self.tab { selected() } else { dim() };
                spans.push(Span::styled(format!(" {l} "), st));
                spans.push(Span::raw(" "));
            }
            Line::from(spans)
        } else {
            let i = TABS.iter().position(|t| *t == self.tab).unwrap_or(0);
            Line::from(vec![
                Span::styled(format!(" ‹ {} › ", labels[i]), selected()),
                Span::styled(format!(" {}/{}", i + 1, TABS.len()), dim()),
            ])
        };
        frame.render_widget(Paragraph::new(line), tabs);
        let Some(d) = &self.detail else { return };
        match self.tab {
            Tab::Lessons => {
                let rows: Vec<Vec<Safe>> = d
                    .lessons
                    .iter()
                    .map(|l| vec![format!("{}. {}", l.position, l.title)])
                    .map(Safe::row)
                    .collect();
                let cols = [col(ctx.t(Key::FieldTitle), 10)];
                // Wide screens show the selected lesson beside the list.
                let preview = self.lessons.selected().and_then(|i| d.lessons.get(i));
                if body.width >= 100
                    && let Some(l) = preview
                {
                    let [left, right] =
                        Layout::horizontal([Constraint::Percentage(35), Constraint::Min(20)])
                            .areas(body);
                    let (above, below) = self.lessons.render_rows(frame, ctx, left, &cols, &rows);
                    let under_list = Rect {
                        width: left.right() + 1 - area.x,
                        ..area
                    };
                    scroll_marks(frame, ctx, under_list, above, below);
                    let block = ratatui::widgets::Block::default()
                        .borders(ratatui::widgets::Borders::LEFT)
                        .border_style(dim());
                    let inner = block.inner(right);
                    frame.render_widget(block, right);
                    frame.render_widget(
                        Paragraph::new(crate::markdown::render(&l.body)).wrap(Wrap { trim: false }),
                        Rect {
                            x: inner.x + 1,
                            width: inner.width.saturating_sub(1),
                            ..inner
                        },
                    );
                } else {
                    let (above, below) = self.lessons.render_rows(frame, ctx, body, &cols, &rows);
                    scroll_marks(frame, ctx, area, above, below);
                }
            }
            Tab::Resources => {
                let rows: Vec<Vec<Safe>> = d
                    .resources
                    .iter()
                    .map(|r| {
                        let url = match (&r.url, r.kind.as_str()) {
                            (Some(u), _) => u.clone(),
                            (None, "file") => format!("[{}]", ctx.t(Key::FlFile)),
                            (None, _) => String::new(),
                        };
                        vec![r.title.clone(), url]
                    })
                    .map(Safe::row)
                    .collect();
                let cols = [
                    col(ctx.t(Key::FieldTitle), 14),
                    col(ctx.t(Key::FieldUrl), 40),
                ];
                let (above, below) = self.resources.render_rows(frame, ctx, body, &cols, &rows);
                scroll_marks(frame, ctx, area, above, below);
            }
            Tab::Assignments => {
                let rows: Vec<Vec<Safe>> = self
                    .assignments
                    .iter()
                    .map(|a| {
                        let kind = if a.class_id.is_some() {
                            Key::EntClass
                        } else {
                            Key::EntStudent
                        };
                        vec![
                            assignment_target(a),
                            ctx.t(kind).to_string(),
                            date(ctx, a.start_date),
                            date(ctx, a.end_date),
                        ]
                    })
                    .map(Safe::row)
                    .collect();
                let cols = [
                    col(ctx.t(Key::FieldTarget), 14),
                    col("", 9),
                    col(ctx.t(Key::FieldStart), 10),
                    col(ctx.t(Key::FieldEnd), 10),
                ];
                let (above, below) = self.assigns.render_rows(frame, ctx, body, &cols, &rows);
                scroll_marks(frame, ctx, area, above, below);
            }
            Tab::Info => {
                let p = Paragraph::new(self.info_lines(ctx, d)).wrap(Wrap { trim: false });
                let total = p.line_count(body.width) as u16;
                self.info_scroll.set(
                    self.info_scroll
                        .get()
                        .min(total.saturating_sub(body.height)),
                );
                frame.render_widget(p.scroll((self.info_scroll.get(), 0)), body);
            }
        }
        if let Some(dlg) = &self.dialog {
            dlg.render(frame, area);
        }
    }

    fn hints(&self) -> Key {
        if self.dialog.is_some() {
            return Key::UiHintConfirm;
        }
        match self.tab {
            Tab::Lessons if self.lessons.searching() => Key::UiHintSearch,
            Tab::Lessons => Key::UiHintLessons,
            Tab::Resources => Key::FlHintResources,
            Tab::Assignments => Key::UiHintAssignments,
            Tab::Info => Key::UiHintCourseInfo,
        }
    }

    fn help(&self) -> Key {
        Key::FlHelpCourse
    }

    fn captures_text(&self) -> bool {
        self.dialog.is_some()
            || match self.tab {
                Tab::Lessons => self.lessons.searching(),
                Tab::Resources => self.resources.searching(),
                Tab::Assignments => self.assigns.searching(),
                Tab::Info => false,
            }
    }

    fn paste(&mut self, text: &str) {
        if let Some(l) = self.list() {
            l.paste(text);
        }
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::Course(self.id)));
        out.push(Command::Load(Query::Assignments(self.id)));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        match data {
            Data::Course(d) if d.course.id == self.id => {
                self.lessons
                    .set_items(d.lessons.iter().map(|l| l.title.clone()).collect());
                self.resources.set_items(
                    d.resources
                        .iter()
                        .map(|r| format!("{} {}", r.title, r.url.as_deref().unwrap_or("")))
                        .collect(),
                );
                if let Some(id) = self.follow.take()
                    && let Some(i) = d.lessons.iter().position(|l| l.id == id)
                {
                    self.lessons.select_item(i);
                }
                self.detail = Some((**d).clone());
            }
            Data::Assignments(id, list) if *id == self.id => {
                self.assignments = list.clone();
                self.assigns
                    .set_items(list.iter().map(assignment_target).collect());
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
        if result.is_err() {
            self.follow = None;
        }
        report(ctx, result);
        Nav::Stay
    }
}

/// A lesson's Markdown, rendered, with the files and links attached to it.
pub(crate) struct LessonView {
    course: i64,
    lesson: Lesson,
    /// The course's resources attached to this lesson (files carry a signed link).
    files: Vec<Resource>,
    scroll: Cell<u16>,
    links: RefCell<Vec<Hyperlink>>,
}

impl LessonView {
    pub(crate) fn new(course: i64, lesson: Lesson) -> Self {
        Self {
            course,
            lesson,
            files: Vec::new(),
            scroll: Cell::new(0),
            links: RefCell::new(Vec::new()),
        }
    }
}

impl View for LessonView {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, _out: &mut Vec<Command>) -> Nav {
        if scroll_key(&key, &self.scroll) {
            return Nav::Stay;
        }
        match key.code {
            KeyCode::Char('e') => Nav::Push(Screen::view(FormScreen::lesson(
                self.course,
                Some(&self.lesson),
            ))),
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = format!(
            "{}. {}",
            self.lesson.position,
            Safe::line(&self.lesson.title)
        );
        let mut links = self.links.borrow_mut();
        links.clear();
        let files: Vec<&Resource> = self.files.iter().collect();
        let body = super::learning::lesson_files(frame, ctx, area, &files, &mut links);
        render_scrolled(
            frame,
            body,
            &heading,
            crate::markdown::render(&self.lesson.body),
            &self.scroll,
        );
    }

    fn hints(&self) -> Key {
        Key::UiHintLesson
    }

    fn help(&self) -> Key {
        Key::UiHelpLesson
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::Course(self.course)));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::Course(d) = data
            && let Some(l) = d.lessons.iter().find(|l| l.id == self.lesson.id)
        {
            self.lesson = l.clone();
            self.files = d
                .resources
                .iter()
                .filter(|r| r.lesson_id == Some(l.id))
                .cloned()
                .collect();
        }
    }

    fn hyperlinks(&self) -> Vec<Hyperlink> {
        self.links.borrow().clone()
    }
}

/// Assigning a course: optional dates, then classes and students ticked in one list.
pub(crate) struct AssignScreen {
    course: i64,
    title: String,
    start: TextField,
    end: TextField,
    /// 0: the list, 1: start, 2: end.
    focus: usize,
    classes: Vec<(Target, String)>,
    students: Vec<(Target, String)>,
    list: ListView,
    checked: BTreeSet<usize>,
    error: Option<String>,
    busy: bool,
}

impl AssignScreen {
    pub(crate) fn new(course: i64, title: &str) -> Self {
        Self {
            course,
            title: Safe::line(title).into_string(),
            start: TextField::new(20),
            end: TextField::new(20),
            focus: 0,
            classes: Vec::new(),
            students: Vec::new(),
            list: ListView::new(),
            checked: BTreeSet::new(),
            error: None,
            busy: false,
        }
    }

    fn items(&self) -> impl Iterator<Item = &(Target, String)> {
        self.classes.iter().chain(&self.students)
    }

    fn refresh(&mut self) {
        let keys = self.items().map(|(_, l)| l.clone()).collect();
        self.list.set_items(keys);
    }

    fn submit(&mut self, out: &mut Vec<Command>) {
        let items: Vec<Target> = self.items().map(|(t, _)| *t).collect();
        let targets: Vec<Target> = if self.checked.is_empty() {
            self.list
                .selected()
                .and_then(|i| items.get(i).copied())
                .into_iter()
                .collect()
        } else {
            self.checked
                .iter()
                .filter_map(|i| items.get(*i).copied())
                .collect()
        };
        if targets.is_empty() {
            return;
        }
        let opt = |f: &TextField| Some(f.value()).filter(|v| !v.trim().is_empty());
        self.error = None;
        self.busy = true;
        out.push(Command::Run(Action::Assign {
            course: self.course,
            targets,
            start: opt(&self.start),
            end: opt(&self.end),
        }));
    }
}

impl View for AssignScreen {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.busy {
            return Nav::Stay;
        }
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
        if self.focus == 0 && self.list.searching() {
            self.list.key(&key);
            return Nav::Stay;
        }
        match key.code {
            KeyCode::Tab if shift => self.focus = (self.focus + 2) % 3,
            KeyCode::Tab => self.focus = (self.focus + 1) % 3,
            KeyCode::Char('s') if ctrl => self.submit(out),
            KeyCode::Enter => self.submit(out),
            KeyCode::Esc => return Nav::Pop,
            _ if self.focus == 1 => {
                self.start.key(key);
            }
            _ if self.focus == 2 => {
                self.end.key(key);
            }
            KeyCode::Char(' ' | 'x') => {
                if let Some(i) = self.list.selected()
                    && !self.checked.remove(&i)
                {
                    self.checked.insert(i);
                }
            }
            _ if self.list.key(&key) => {}
            _ if is_back(&key) => return Nav::Pop,
            _ => {}
        }
        Nav::Stay
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = tf(
            ctx.lang,
            Key::UiAssignTitle,
            &[&self.title, &self.checked.len().to_string()],
        );
        let block = panel(&heading);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 4 {
            return;
        }
        let msg = if self.busy {
            Some(Line::styled(ctx.t(Key::UiSaving), dim()))
        } else {
            self.error
                .as_ref()
                .map(|e| Line::styled(e.clone(), error()))
        };
        let msg_h = msg.as_ref().map_or(0, |m| {
            Paragraph::new(m.clone())
                .wrap(Wrap { trim: true })
                .line_count(inner.width) as u16
        });
        let [dates, list, message] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(1),
            Constraint::Length(msg_h.min(3)),
        ])
        .areas(inner);
        let half = dates.width / 2;
        for (i, (label, field)) in [(Key::FieldStart, &self.start), (Key::FieldEnd, &self.end)]
            .into_iter()
            .enumerate()
        {
            let focused = self.focus == i + 1;
            let x = dates.x + half * i as u16;
            let w = if i == 0 { half } else { dates.width - half };
            let (text, cur) = field.visible(w.saturating_sub(4) as usize);
            let lines = vec![
                Line::styled(
                    format!(" {}", ctx.t(label)),
                    if focused { title() } else { dim() },
                ),
                Line::from(vec![
                    Span::styled(if focused { " › " } else { "   " }, title()),
                    Span::raw(if text.is_empty() && !focused {
                        ctx.t(Key::UiDateHint).to_string()
                    } else {
                        text
                    }),
                ]),
            ];
            let r = Rect {
                x,
                width: w,
                ..dates
            };
            frame.render_widget(Paragraph::new(lines), r);
            if focused {
                frame.set_cursor_position(Position::new(x + 3 + cur as u16, dates.y + 1));
            }
        }
        let rows: Vec<Vec<Safe>> = self
            .items()
            .enumerate()
            .map(|(i, (t, l))| {
                let mark = if self.checked.contains(&i) {
                    "[x]"
                } else {
                    "[ ]"
                };
                let kind = match t {
                    Target::Class(_) => ctx.t(Key::EntClass),
                    Target::Student(_) => ctx.t(Key::EntStudent),
                };
                vec![format!("{mark} {l}"), kind.to_string()]
            })
            .map(Safe::row)
            .collect();
        let cols = [col(ctx.t(Key::FieldTarget), 20), col("", 9)];
        let list_area = Rect {
            y: list.y,
            height: list.height,
            ..list
        };
        let (above, below) = self.list.render_rows(frame, ctx, list_area, &cols, &rows);
        scroll_marks(frame, ctx, area, above, below);
        if let Some(m) = msg {
            frame.render_widget(Paragraph::new(m).wrap(Wrap { trim: true }), message);
        }
    }

    fn hints(&self) -> Key {
        if self.focus == 0 && self.list.searching() {
            Key::UiHintSearch
        } else {
            Key::UiHintAssign
        }
    }

    fn help(&self) -> Key {
        Key::UiHelpAssign
    }

    fn captures_text(&self) -> bool {
        self.focus != 0 || self.list.searching()
    }

    fn paste(&mut self, text: &str) {
        match self.focus {
            1 => self.start.insert_str(text),
            2 => self.end.insert_str(text),
            _ => self.list.paste(text),
        }
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        if self.classes.is_empty() && self.students.is_empty() {
            out.push(Command::Load(Query::Classes));
            out.push(Command::Load(Query::Students));
        }
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        match data {
            Data::Classes(c) => {
                self.checked.clear();
                self.classes = c
                    .iter()
                    .map(|c| {
                        (
                            Target::Class(c.id),
                            format!("{} / {}", c.organisation_name, c.name),
                        )
                    })
                    .collect();
                self.refresh();
            }
            Data::Students(s) => {
                self.checked.clear();
                self.students = s
                    .iter()
                    .map(|s| {
                        (
                            Target::Student(s.id),
                            format!("{} <{}>", s.display_name(), s.email),
                        )
                    })
                    .collect();
                self.refresh();
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
        match result {
            Ok(e) => {
                report(ctx, Ok(e));
                Nav::Pop
            }
            Err(e) => {
                self.error = Some(e);
                Nav::Stay
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Name,
    Progress,
    Activity,
}

/// Everyone enrolled in a course, sortable (`s`) and filterable (`/`; see [`ListSpec`]).
pub(crate) struct Participants {
    course: i64,
    title: Safe,
    sort: Sort,
    /// Quiz columns when the course has quizzes (the core's scores per participant).
    quiz: bool,
}

impl Participants {
    pub(crate) fn new(course: i64, title: &str) -> ListScreen<Self> {
        ListScreen::of(Self {
            course,
            title: Safe::line(title),
            sort: Sort::Name,
            quiz: false,
        })
    }
}

fn via(ctx: &Ctx, v: &str) -> String {
    v.split(", ")
        .map(|p| {
            if p == VIA_INDIVIDUAL {
                ctx.t(Key::ViaIndividual)
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl ListSpec for Participants {
    type Item = Participant;
    const TITLE: Key = Key::MenuStudents;
    const HINTS: Key = Key::UiHintParticipants;
    const HELP: Key = Key::UiHelpParticipants;

    fn heading(&self, ctx: &Ctx) -> String {
        let sort = ctx.t(match self.sort {
            Sort::Name => Key::UiSortName,
            Sort::Progress => Key::UiSortProgress,
            Sort::Activity => Key::UiSortActivity,
        });
        tf(ctx.lang, Key::UiParticipantsOf, &[&self.title, sort])
    }

    fn columns(&self, ctx: &Ctx) -> Vec<Col> {
        let mut cols = vec![
            col(ctx.t(Key::FieldName), 14),
            col(ctx.t(Key::UiProgress), 6),
        ];
        if self.quiz {
            cols.push(col(ctx.t(Key::QtKindPositioningShort), 6));
            cols.push(col(ctx.t(Key::QtKindFinalShort), 6));
            cols.push(col(ctx.t(Key::QtPassedCol), 7));
        }
        cols.extend([
            col(ctx.t(Key::UiVia), 16),
            col(ctx.t(Key::FieldStatus), 12),
            col(ctx.t(Key::UiLastActivity), 16),
        ]);
        cols
    }

    fn cells(&self, ctx: &Ctx, p: &Participant) -> Vec<Safe> {
        let name = format!("{} {}", p.first_name, p.last_name);
        let name = if name.trim().is_empty() {
            p.email.as_str()
        } else {
            name.trim()
        };
        let mut row = vec![
            Safe::line(name),
            format!("{:>3} %", p.progress_percent).into(),
        ];
        if self.quiz {
            let best = |kind| {
                p.quiz_scores
                    .iter()
                    .filter(|s| s.kind == kind)
                    .filter_map(|s| s.best_percent)
                    .reduce(f64::max)
            };
            row.push(super::quiz_take::pct(ctx, best(QuizKind::Positioning)).into());
            row.push(super::quiz_take::pct(ctx, best(QuizKind::Final)).into());
            let passed = p.quiz_scores.iter().filter(|s| s.passed).count();
            row.push(format!("{passed}/{}", p.quiz_scores.len()).into());
        }
        row.extend([
            Safe::line(&via(ctx, &p.via)),
            ctx.label(p.status).into(),
            p.last_activity
                .map_or_else(|| ctx.t(Key::None_).into(), |d| ctx.minute(d).into()),
        ]);
        row
    }

    fn search_text(&self, p: &Participant) -> String {
        format!("{} {} {} {}", p.first_name, p.last_name, p.email, p.via)
    }

    fn queries(&self) -> Vec<Query> {
        vec![Query::Participants(self.course)]
    }

    fn items(&self, data: &Data) -> Option<Vec<Participant>> {
        match data {
            Data::Participants(id, rows) if *id == self.course => Some(rows.clone()),
            _ => None,
        }
    }

    fn arrange(&self, rows: &mut [Participant]) {
        match self.sort {
            Sort::Name => portail::present::sort_by_texts(rows, |p| {
                [
                    p.last_name.as_str(),
                    p.first_name.as_str(),
                    p.email.as_str(),
                ]
            }),
            Sort::Progress => rows.sort_by_key(|p| std::cmp::Reverse(p.progress_percent)),
            Sort::Activity => rows.sort_by_key(|p| std::cmp::Reverse(p.last_activity)),
        }
    }

    fn key(&mut self, k: Keyed<'_, Participant>) -> Step {
        match k.key.code {
            KeyCode::Char('s') => {
                self.sort = match self.sort {
                    Sort::Name => Sort::Progress,
                    Sort::Progress => Sort::Activity,
                    Sort::Activity => Sort::Name,
                };
                Step::Rearrange
            }
            _ => Nav::Stay.into(),
        }
    }

    fn loaded(&mut self, _ctx: &mut Ctx, _data: &Data, rows: &[Participant]) -> Option<Step> {
        self.quiz = rows.iter().any(|p| !p.quiz_scores.is_empty());
        None
    }

    fn reload_on_progress(&self, _ctx: &Ctx, _student: i64, course: i64) -> bool {
        course == self.course
    }
}
