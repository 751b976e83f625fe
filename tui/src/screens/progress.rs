//! The trainer's progress views: a class as a students × courses matrix (paged through the
//! courses on narrow screens), and one student's courses with their recent activity.
//! Both reload when a student's progress changes (event bus).

use std::cell::Cell;
use std::collections::HashMap;

use portail::i18n::{Key, tf};
use portail::services::learning::{ActivityEntry, ProgressRow};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::learning::bar_pct;
use super::{Screen, View, is_back, list_move, render_scrolled, scroll_key};
use crate::safe::Safe;
use crate::theme::{dim, panel, selected, title, truncate};
use crate::{Command, Ctx, Data, KeyCode, KeyEvent, Nav, Query};

/// Width of a course column ("100 %" and a few letters of the title).
const COL_W: u16 = 9;

fn person(first: &str, last: &str, email: &str) -> String {
    let n = format!("{} {}", first.trim(), last.trim());
    let n = n.trim();
    if n.is_empty() {
        email.to_string()
    } else {
        n.to_string()
    }
}

/// Fits `s` in `w` columns: cut with an ellipsis, or padded (right-aligned if `right`).
fn cell(s: &str, w: usize, right: bool) -> String {
    let s = truncate(s, w);
    let pad = " ".repeat(w.saturating_sub(s.width()));
    if right {
        format!("{pad}{s}")
    } else {
        format!("{s}{pad}")
    }
}

/// Students × courses of a class.
pub(crate) struct ClassProgress {
    class: i64,
    name: String,
    loaded: bool,
    /// (id, name, e-mail)
    students: Vec<(i64, String)>,
    /// (id, title)
    courses: Vec<(i64, String)>,
    percent: HashMap<(i64, i64), i64>,
    selected: usize,
    offset: Cell<usize>,
    page: usize,
    /// Courses per page at the last render.
    per_page: Cell<usize>,
}

impl ClassProgress {
    pub(crate) fn new(class: i64, name: &str) -> Self {
        Self {
            class,
            name: Safe::line(name).into_string(),
            loaded: false,
            students: Vec::new(),
            courses: Vec::new(),
            percent: HashMap::new(),
            selected: 0,
            offset: Cell::new(0),
            page: 0,
            per_page: Cell::new(1),
        }
    }

    fn pages(&self) -> usize {
        self.courses
            .len()
            .div_ceil(self.per_page.get().max(1))
            .max(1)
    }
}

impl View for ClassProgress {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, _out: &mut Vec<Command>) -> Nav {
        if let Some(i) = list_move(&key, self.selected, self.students.len()) {
            self.selected = i;
            return Nav::Stay;
        }
        match key.code {
            KeyCode::Right | KeyCode::Char('l') | KeyCode::Tab => {
                if self.page + 1 < self.pages() {
                    self.page += 1;
                }
                Nav::Stay
            }
            KeyCode::Left | KeyCode::Char('h') if self.page > 0 => {
                self.page -= 1;
                Nav::Stay
            }
            KeyCode::Enter => match self.students.get(self.selected) {
                Some((id, name)) => Nav::Push(Screen::view(StudentProgress::new(*id, name))),
                None => Nav::Stay,
            },
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = tf(ctx.lang, Key::SpClassProgressOf, &[&self.name]);
        let block = panel(&truncate(&heading, area.width.saturating_sub(4) as usize));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 3 || inner.width < 10 {
            return;
        }
        let say = |frame: &mut Frame, k: Key| {
            frame.render_widget(
                Paragraph::new(Line::styled(format!(" {}", ctx.t(k)), dim())),
                inner,
            );
        };
        if !self.loaded {
            return say(frame, Key::SpLoading);
        }
        if self.students.is_empty() || self.courses.is_empty() {
            return say(frame, Key::SpNoProgress);
        }
        // Name column, then as many course columns as fit; the rest are on other pages.
        let name_w = (inner.width / 3).clamp(12, 28);
        let per_page = ((inner.width.saturating_sub(2 + name_w)) / (COL_W + 1)).max(1) as usize;
        self.per_page.set(per_page);
        let pages = self.courses.len().div_ceil(per_page);
        let page = self.page.min(pages - 1);
        let shown: Vec<&(i64, String)> = self
            .courses
            .iter()
            .skip(page * per_page)
            .take(per_page)
            .collect();
        let mut header = format!("  {}", cell(ctx.t(Key::FieldName), name_w as usize, false));
        for (_, t) in &shown {
            header.push(' ');
            header.push_str(&cell(&Safe::line(t), COL_W as usize, true));
        }
        let mut y = inner.y;
        frame.render_widget(
            Paragraph::new(Line::styled(header, dim())),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
        y += 1;
        // Footer: the page and the full titles of the courses shown.
        let footer_h: u16 = if inner.height >= 6 { 2 } else { 1 };
        let rows_h = inner.height.saturating_sub(1 + footer_h) as usize;
        let mut offset = self.offset.get();
        if self.selected < offset {
            offset = self.selected;
        } else if rows_h > 0 && self.selected >= offset + rows_h {
            offset = self.selected + 1 - rows_h;
        }
        self.offset.set(offset);
        for (i, (sid, name)) in self.students.iter().enumerate().skip(offset).take(rows_h) {
            let here = i == self.selected;
            let mut spans = vec![Span::styled(
                format!(
                    "{}{}",
                    if here { "› " } else { "  " },
                    cell(&Safe::line(name), name_w as usize, false)
                ),
                if here { selected() } else { Style::default() },
            )];
            for (cid, _) in &shown {
                let v = match self.percent.get(&(*sid, *cid)) {
                    Some(p) => format!("{p} %"),
                    None => "·".to_string(),
                };
                let style = match self.percent.get(&(*sid, *cid)) {
                    Some(100) => Style::default().fg(ratatui::style::Color::Green),
                    Some(_) => Style::default(),
                    None => dim(),
                };
                spans.push(Span::styled(
                    format!(" {}", cell(&v, COL_W as usize, true)),
                    style,
                ));
            }
            frame.render_widget(
                Paragraph::new(Line::from(spans)),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
            y += 1;
        }
        let below = self.students.len().saturating_sub(offset + rows_h);
        crate::theme::scroll_marks(frame, ctx, area, offset, below);
        let first = page * per_page + 1;
        let last = page * per_page + shown.len();
        let mut foot = vec![Line::styled(
            format!(
                " {}{}",
                tf(
                    ctx.lang,
                    Key::SpCoursePage,
                    &[
                        &first.to_string(),
                        &last.to_string(),
                        &self.courses.len().to_string()
                    ]
                ),
                if pages > 1 { " · ←→" } else { "" }
            ),
            title(),
        )];
        if footer_h > 1 {
            let names: Vec<String> = shown
                .iter()
                .map(|(_, t)| Safe::line(t).into_string())
                .collect();
            foot.push(Line::styled(
                truncate(&format!(" {}", names.join(" · ")), inner.width as usize),
                dim(),
            ));
        }
        frame.render_widget(
            Paragraph::new(foot),
            Rect {
                y: inner.bottom() - footer_h,
                height: footer_h,
                ..inner
            },
        );
    }

    fn hints(&self) -> Key {
        Key::SpHintClassProgress
    }

    fn help(&self) -> Key {
        Key::SpHelpClassProgress
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::ClassProgress(self.class)));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        let Data::ClassProgress(id, rows) = data else {
            return;
        };
        if *id != self.class {
            return;
        }
        self.loaded = true;
        self.students.clear();
        self.courses.clear();
        self.percent.clear();
        for r in rows {
            if !self.students.iter().any(|(id, _)| *id == r.student_id) {
                self.students
                    .push((r.student_id, person(&r.first_name, &r.last_name, &r.email)));
            }
            if !self.courses.iter().any(|(id, _)| *id == r.course_id) {
                self.courses.push((r.course_id, r.course_title.clone()));
            }
            self.percent
                .insert((r.student_id, r.course_id), r.progress_percent);
        }
        self.courses
            .sort_by_cached_key(|(id, t)| (portail::present::sort_key(t), *id));
        self.selected = self.selected.min(self.students.len().saturating_sub(1));
    }

    fn progress_changed(&mut self, _ctx: &Ctx, student: i64, course: i64, out: &mut Vec<Command>) {
        let shown = self.students.iter().any(|(id, _)| *id == student)
            || self.courses.iter().any(|(id, _)| *id == course);
        if shown {
            out.push(Command::Load(Query::ClassProgress(self.class)));
        }
    }
}

/// Activity kinds in words.
pub(crate) fn activity_kind(ctx: &Ctx, kind: &str) -> String {
    match kind {
        "login" => ctx.t(Key::ActLogin).to_string(),
        "password_changed" => ctx.t(Key::ActPasswordChanged).to_string(),
        "lesson_opened" => ctx.t(Key::ActLessonOpened).to_string(),
        "lesson_completed" => ctx.t(Key::ActLessonCompleted).to_string(),
        "lesson_reopened" => ctx.t(Key::ActLessonReopened).to_string(),
        "file_downloaded" => ctx.t(Key::ActFileDownloaded).to_string(),
        "quiz_submitted" => ctx.t(Key::QtActSubmitted).to_string(),
        "quiz_timed_out" => ctx.t(Key::QtActTimedOut).to_string(),
        other => Safe::line(other).into_string(),
    }
}

/// One student: their courses with progress and last activity, then recent activity.
pub(crate) struct StudentProgress {
    id: i64,
    name: String,
    data: Option<(Vec<ProgressRow>, Vec<ActivityEntry>)>,
    scroll: Cell<u16>,
}

impl StudentProgress {
    pub(crate) fn new(id: i64, name: &str) -> Self {
        Self {
            id,
            name: Safe::line(name).into_string(),
            data: None,
            scroll: Cell::new(0),
        }
    }

    fn lines(&self, ctx: &Ctx) -> Vec<Line<'static>> {
        let Some((courses, activity)) = &self.data else {
            return vec![Line::styled(format!(" {}", ctx.t(Key::SpLoading)), dim())];
        };
        let none = ctx.t(Key::None_);
        let when = |d: Option<chrono::DateTime<chrono::Utc>>| {
            d.map(|d| ctx.minute(d)).unwrap_or_else(|| none.to_string())
        };
        let mut lines = vec![Line::styled(format!(" {}", ctx.t(Key::OutCourse)), title())];
        if courses.is_empty() {
            lines.push(Line::styled(
                format!("  {}", ctx.t(Key::SpNoCourses)),
                dim(),
            ));
        }
        for c in courses {
            lines.push(Line::from(format!("  {}", Safe::line(&c.course_title))));
            lines.push(Line::from(vec![
                Span::styled(format!("    {}", bar_pct(c.progress_percent, 10)), title()),
                Span::raw(format!(" · {}/{} · ", c.completed_lessons, c.total_lessons)),
                Span::styled(
                    format!("{} : {}", ctx.t(Key::UiLastActivity), when(c.last_activity)),
                    dim(),
                ),
            ]));
            // The course's quizzes: best score, passed or not.
            for q in &c.quiz_scores {
                let (mark, style) = match (q.best_percent, q.passed) {
                    (Some(_), true) => ("✓", title()),
                    (Some(_), false) => ("✗", crate::theme::error()),
                    (None, _) => ("·", dim()),
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("    {mark} "), style),
                    Span::raw(format!("{} ({}) ", Safe::line(&q.title), ctx.label(q.kind))),
                    Span::styled(super::quiz_take::pct(ctx, q.best_percent), style),
                ]));
            }
        }
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!(" {}", ctx.t(Key::SpRecentActivity)),
            title(),
        ));
        if activity.is_empty() {
            lines.push(Line::styled(
                format!("  {}", ctx.t(Key::SpNoActivity)),
                dim(),
            ));
        }
        for a in activity {
            let mut what = activity_kind(ctx, &a.kind);
            // What it concerns: course, lesson, or (a download) the file's name.
            let detail = Some(a.detail.clone()).filter(|d| !d.is_empty());
            let place: Vec<String> = [&a.course_title, &a.lesson_title, &detail]
                .into_iter()
                .flatten()
                .map(|s| Safe::line(s).into_string())
                .collect();
            if !place.is_empty() {
                what = format!("{what} — {}", place.join(" / "));
            }
            lines.push(Line::from(vec![
                Span::styled(format!("  {} ", ctx.minute(a.at)), dim()),
                Span::raw(what),
            ]));
        }
        lines
    }
}

impl View for StudentProgress {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, _out: &mut Vec<Command>) -> Nav {
        if scroll_key(&key, &self.scroll) {
            return Nav::Stay;
        }
        if is_back(&key) { Nav::Pop } else { Nav::Stay }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = tf(ctx.lang, Key::SpStudentProgressOf, &[&self.name]);
        let heading = truncate(&heading, area.width.saturating_sub(4) as usize);
        render_scrolled(frame, area, &heading, self.lines(ctx), &self.scroll);
    }

    fn hints(&self) -> Key {
        Key::SpHintStudentProgress
    }

    fn help(&self) -> Key {
        Key::SpHelpStudentProgress
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::StudentProgress(self.id)));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::StudentProgress(id, rows, activity) = data
            && *id == self.id
        {
            self.data = Some((rows.clone(), activity.clone()));
        }
    }

    fn progress_changed(&mut self, _ctx: &Ctx, student: i64, _course: i64, out: &mut Vec<Command>) {
        if student == self.id {
            out.push(Command::Load(Query::StudentProgress(self.id)));
        }
    }
}
