//! Démos techniques: the trainer's list (plan, edit, delete with confirmation), the
//! student's list (their demos, upcoming first), the detail both open, and the form.
//! Times are typed and shown in the configured zone; the service checks every field.

use std::cell::Cell;

use portail::i18n::{Key, tf};
use portail::services::tech_demos::{Demo, DemoInput, DemoStatus};
use portail::validate::{MAX_DEMO_CLASSES, MAX_DEMO_DESCRIPTION, MAX_NAME, MAX_SHORT};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::live::LiveWatch;
use super::replay::ReplayScreen;
use super::{Screen, View, detail_lines, is_back, or_none, render_scrolled, report, scroll_key};
use crate::components::dialog::{Answer, Dialog};
use crate::components::form::{Field, Form, FormEvent};
use crate::components::list::{Col, Keyed, ListScreen, ListSpec, Step, col};
use crate::safe::Safe;
use crate::{Action, Command, Ctx, Data, Effect, Failure, KeyCode, KeyEvent, Nav, Query};

/// The form's fields, by name.
mod df {
    use portail::i18n::Key;
    pub const COURSE: Key = Key::EntCourse;
    pub const LESSON: Key = Key::FlFieldLesson;
    pub const TITLE: Key = Key::FieldTitle;
    pub const DESCRIPTION: Key = Key::FieldDescription;
    pub const STARTS: Key = Key::DmFieldStarts;
    pub const DURATION: Key = Key::DmFieldDuration;
    pub const CLASSES: Key = Key::DmFieldClasses;
    pub const REPO: Key = Key::DmFieldRepo;
    pub const SLIDES: Key = Key::DmFieldSlides;
}

fn when(ctx: &Ctx, d: &Demo) -> Safe {
    ctx.minute(d.starts_at).into()
}

fn columns(ctx: &Ctx, trainer: bool) -> Vec<Col> {
    let mut cols = vec![
        col(ctx.t(Key::FieldTitle), 14),
        col(ctx.t(Key::DmColWhen), 16).keep(),
        col(ctx.t(Key::FieldStatus), 9),
        col(ctx.t(Key::EntCourse), 12),
    ];
    if trainer {
        cols.push(col(ctx.t(Key::DmColAudience), 14));
    }
    cols
}

fn cells(ctx: &Ctx, d: &Demo, trainer: bool) -> Vec<Safe> {
    // A live demo is marked in its first column, seen even on a phone.
    let title = if d.status == DemoStatus::Live {
        Safe::line(&format!("● {}", d.title))
    } else {
        Safe::line(&d.title)
    };
    let mut row = vec![
        title,
        when(ctx, d),
        ctx.label(d.status).into(),
        Safe::line(&d.course_title),
    ];
    if trainer {
        row.push(Safe::line(&portail::present::demo_audience(ctx.lang, d)));
    }
    row
}

fn search_text(d: &Demo) -> String {
    format!("{} {} {}", d.title, d.course_title, d.description)
}

/// The trainer's demos (see [`ListSpec`]).
#[derive(Default)]
pub(crate) struct DemoList;

impl DemoList {
    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self)
    }
}

/// "Delete the demo …?" (saying so when it went live).
fn delete_step(ctx: &Ctx, d: &Demo) -> Step {
    let key = if d.status == DemoStatus::Planned {
        Key::DmDeleteConfirm
    } else {
        Key::DmDeleteLiveConfirm
    };
    let text = tf(ctx.lang, key, &[&Safe::line(&d.title)]);
    Step::delete(ctx, text, Action::DeleteDemo(d.id))
}

impl ListSpec for DemoList {
    type Item = Demo;
    const TITLE: Key = Key::DmTitle;
    const HINTS: Key = Key::DmHintList;
    const HELP: Key = Key::DmHelpList;

    fn columns(&self, ctx: &Ctx) -> Vec<Col> {
        columns(ctx, true)
    }

    fn cells(&self, ctx: &Ctx, d: &Demo) -> Vec<Safe> {
        cells(ctx, d, true)
    }

    fn search_text(&self, d: &Demo) -> String {
        search_text(d)
    }

    fn queries(&self) -> Vec<Query> {
        vec![Query::Demos]
    }

    fn items(&self, data: &Data) -> Option<Vec<Demo>> {
        match data {
            Data::Demos(all) => Some(all.clone()),
            _ => None,
        }
    }

    fn empty(&self) -> Option<Key> {
        Some(Key::DmEmpty)
    }

    fn key(&mut self, k: Keyed<'_, Demo>) -> Step {
        let Keyed { ctx, key, sel, .. } = k;
        Step::Nav(match (key.code, sel) {
            (KeyCode::Char('n' | 'a'), _) => Nav::Push(Screen::view(DemoForm::new(ctx, None))),
            (KeyCode::Char('e'), Some(d)) => Nav::Push(Screen::view(DemoForm::new(ctx, Some(d)))),
            (KeyCode::Enter | KeyCode::Right, Some(d)) => {
                Nav::Push(Screen::view(DemoDetail::new(d.id, true)))
            }
            (KeyCode::Char('d') | KeyCode::Delete, Some(d)) => return delete_step(ctx, d),
            _ => Nav::Stay,
        })
    }
}

/// A student's demos: upcoming first, then past ones (see [`ListSpec`]).
#[derive(Default)]
pub(crate) struct MyDemoList;

impl MyDemoList {
    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self)
    }
}

impl ListSpec for MyDemoList {
    type Item = Demo;
    const TITLE: Key = Key::DmMyTitle;
    const HINTS: Key = Key::DmHintMyList;
    const HELP: Key = Key::DmHelpMyList;

    fn columns(&self, ctx: &Ctx) -> Vec<Col> {
        columns(ctx, false)
    }

    fn cells(&self, ctx: &Ctx, d: &Demo) -> Vec<Safe> {
        cells(ctx, d, false)
    }

    fn search_text(&self, d: &Demo) -> String {
        search_text(d)
    }

    fn queries(&self) -> Vec<Query> {
        vec![Query::MyDemos]
    }

    fn items(&self, data: &Data) -> Option<Vec<Demo>> {
        match data {
            Data::MyDemos(all) => Some(all.clone()),
            _ => None,
        }
    }

    fn empty(&self) -> Option<Key> {
        Some(Key::DmMyEmpty)
    }

    fn key(&mut self, k: Keyed<'_, Demo>) -> Step {
        match (k.key.code, k.sel) {
            // A live demo opens straight on its screen.
            (KeyCode::Enter, Some(d)) if d.status == DemoStatus::Live => {
                Step::Nav(Nav::Push(Screen::view(LiveWatch::new(d.id, &d.title))))
            }
            (KeyCode::Enter | KeyCode::Right, Some(d)) => {
                Step::Nav(Nav::Push(Screen::view(DemoDetail::new(d.id, false))))
            }
            _ => Step::Nav(Nav::Stay),
        }
    }
}

/// One demo: every field; the trainer edits (`e`) and deletes (`d`) it from here.
pub(crate) struct DemoDetail {
    id: i64,
    trainer: bool,
    demo: Option<Demo>,
    scroll: Cell<u16>,
    dialog: Option<Dialog<Action>>,
}

impl DemoDetail {
    pub(crate) fn new(id: i64, trainer: bool) -> Self {
        Self {
            id,
            trainer,
            demo: None,
            scroll: Cell::new(0),
            dialog: None,
        }
    }
}

impl View for DemoDetail {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if let Some(d) = self.dialog.take() {
            match d.key(&key) {
                Answer::Yes => out.push(Command::Run(d.pending)),
                Answer::No => {}
                _ => self.dialog = Some(d),
            }
            return Nav::Stay;
        }
        if scroll_key(&key, &self.scroll) {
            return Nav::Stay;
        }
        match (key.code, &self.demo) {
            (KeyCode::Enter | KeyCode::Char('w'), Some(d)) if d.status == DemoStatus::Live => {
                Nav::Push(Screen::view(LiveWatch::new(d.id, &d.title)))
            }
            (KeyCode::Char('r') | KeyCode::Char('p'), Some(d)) if d.recording_file_id.is_some() => {
                Nav::Push(Screen::view(ReplayScreen::new(d.id, &d.title)))
            }
            (KeyCode::Char('e'), Some(d)) if self.trainer => {
                Nav::Push(Screen::view(DemoForm::new(ctx, Some(d))))
            }
            (KeyCode::Char('d') | KeyCode::Delete, Some(d)) if self.trainer => {
                if let Step::Confirm(dialog) = delete_step(ctx, d) {
                    self.dialog = Some(dialog);
                }
                Nav::Stay
            }
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let Some(d) = &self.demo else {
            render_scrolled(frame, area, ctx.t(Key::EntDemo), Vec::new(), &self.scroll);
            return;
        };
        let recording = match d.recording_file_id {
            Some(_) => ctx.t(Key::DmRecordingReplay).to_string(),
            None => ctx.t(Key::DmRecordingNone).to_string(),
        };
        let mut rows = vec![
            (
                Key::DmColWhen,
                format!(
                    "{} ({})",
                    ctx.minute(d.starts_at),
                    portail::present::day_time(ctx.lang, ctx.tz, ctx.now, d.starts_at)
                ),
            ),
            (Key::DmFieldDuration, d.duration_minutes.to_string()),
            (Key::FieldStatus, ctx.label(d.status).to_string()),
            (Key::EntCourse, d.course_title.clone()),
            (Key::EntLesson, or_none(ctx, d.lesson_title.as_deref())),
            (
                Key::DmColAudience,
                portail::present::demo_audience(ctx.lang, d),
            ),
            (Key::DmFieldRepo, or_none(ctx, d.repo_url.as_deref())),
            (Key::DmFieldSlides, or_none(ctx, d.slides_url.as_deref())),
        ];
        if self.trainer || d.recording_file_id.is_some() {
            rows.push((Key::DmRecording, recording));
        }
        if !d.description.trim().is_empty() {
            rows.push((Key::FieldDescription, d.description.clone()));
        }
        let lines = detail_lines(ctx, &rows);
        render_scrolled(frame, area, &Safe::line(&d.title), lines, &self.scroll);
        if let Some(dialog) = &self.dialog {
            dialog.render(frame, area);
        }
    }

    fn hints(&self) -> Key {
        if self.dialog.is_some() {
            Key::UiHintConfirm
        } else if !self.trainer
            && self
                .demo
                .as_ref()
                .is_some_and(|d| d.status == DemoStatus::Live)
        {
            Key::DmHintMyDetailLive
        } else {
            let rec = self
                .demo
                .as_ref()
                .is_some_and(|d| d.recording_file_id.is_some());
            match (self.trainer, rec) {
                (true, true) => Key::DmHintDetailRec,
                (true, false) => Key::DmHintDetail,
                (false, true) => Key::DmHintMyDetailRec,
                (false, false) => Key::DmHintMyDetail,
            }
        }
    }

    fn help(&self) -> Key {
        if self.trainer {
            Key::DmHelpDetail
        } else {
            Key::DmHelpMyDetail
        }
    }

    fn captures_text(&self) -> bool {
        self.dialog.is_some()
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::Demo(self.id)));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::Demo(d) = data
            && d.id == self.id
        {
            self.demo = Some((**d).clone());
        }
    }

    fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        _out: &mut Vec<Command>,
    ) -> Nav {
        let deleted = matches!(result, Ok(Effect::Deleted));
        report(ctx, result);
        if deleted { Nav::Pop } else { Nav::Stay }
    }
}

/// A demo to plan (course chosen among the courses) or to edit (its course stays).
pub(crate) struct DemoForm {
    id: Option<i64>,
    course: Option<i64>,
    /// The course whose lessons are offered.
    lessons_of: Option<i64>,
    form: Form,
}

impl DemoForm {
    pub(crate) fn new(ctx: &Ctx, d: Option<&Demo>) -> Self {
        let v = d
            .map(|d| DemoInput::from_demo(d, ctx.tz))
            .unwrap_or_default();
        let course_field = match d {
            Some(d) => Field::fixed(df::COURSE, &d.course_title, Key::QtCourseFixed),
            None => Field::choice(df::COURSE, None),
        };
        // Classes are shown by name, as typed (the service also takes numbers).
        let classes = d
            .map(|d| {
                d.classes
                    .iter()
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        let mut form = Form::new(vec![
            course_field,
            Field::choice(df::LESSON, Some(v.lesson_id.unwrap_or(0))),
            Field::text(df::TITLE, &v.title, MAX_NAME + 1),
            Field::text(df::STARTS, &v.starts_at, 20),
            Field::text(df::DURATION, &v.duration_minutes, 6),
            Field::area(df::CLASSES, &classes, MAX_DEMO_CLASSES * (MAX_NAME + 1)),
            Field::text(df::REPO, v.repo_url.as_deref().unwrap_or(""), MAX_SHORT * 4),
            Field::text(
                df::SLIDES,
                v.slides_url.as_deref().unwrap_or(""),
                MAX_SHORT * 4,
            ),
            Field::area(
                df::DESCRIPTION,
                v.description.as_deref().unwrap_or(""),
                MAX_DEMO_DESCRIPTION + 1,
            ),
        ]);
        form.set_options(df::LESSON, vec![(0, ctx.t(Key::FlWholeCourse).to_string())]);
        Self {
            id: d.map(|d| d.id),
            course: d.map(|d| d.course_id),
            lessons_of: None,
            form,
        }
    }

    fn course(&self) -> Option<i64> {
        if self.id.is_some() {
            self.course
        } else {
            self.form.choice(df::COURSE)
        }
    }

    fn input(&self, course: i64) -> DemoInput {
        let f = &self.form;
        DemoInput {
            course_id: course,
            lesson_id: f.choice(df::LESSON).filter(|l| *l != 0),
            title: f.text(df::TITLE),
            description: f.opt(df::DESCRIPTION),
            starts_at: f.text(df::STARTS),
            duration_minutes: f.text(df::DURATION),
            classes: f
                .text(df::CLASSES)
                .lines()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect(),
            repo_url: f.opt(df::REPO),
            slides_url: f.opt(df::SLIDES),
        }
    }

    fn load_lessons(&mut self, out: &mut Vec<Command>) {
        if let Some(c) = self.course()
            && self.lessons_of != Some(c)
        {
            self.lessons_of = Some(c);
            out.push(Command::Load(Query::Course(c)));
        }
    }
}

impl View for DemoForm {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        let nav = match self.form.key(key) {
            FormEvent::None => Nav::Stay,
            FormEvent::Cancel => return Nav::Pop,
            FormEvent::Submit => {
                let Some(course) = self.course() else {
                    self.form.failed(ctx.t(Key::DmNeedCourse).to_string());
                    return Nav::Stay;
                };
                self.form.submitting();
                out.push(Command::Run(Action::SaveDemo {
                    id: self.id,
                    input: self.input(course),
                }));
                Nav::Stay
            }
        };
        // Another course chosen: its lessons.
        self.load_lessons(out);
        nav
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = ctx.t(if self.id.is_some() {
            Key::DmEditDemo
        } else {
            Key::DmNewDemo
        });
        self.form.render(frame, ctx, area, heading);
    }

    fn hints(&self) -> Key {
        if self.form.asking() {
            Key::UiHintConfirm
        } else {
            Key::UiHintForm
        }
    }

    fn help(&self) -> Key {
        Key::DmHelpForm
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        if self.id.is_none() && !self.form.has_options(df::COURSE) {
            out.push(Command::Load(Query::Courses));
        }
        self.load_lessons(out);
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        match data {
            Data::Courses(list) if self.id.is_none() => {
                self.form.set_options(
                    df::COURSE,
                    list.iter().map(|c| (c.id, c.title.clone())).collect(),
                );
            }
            Data::Course(d) if Some(d.course.id) == self.lessons_of => {
                let options = std::iter::once((0, ctx.t(Key::FlWholeCourse).to_string()))
                    .chain(
                        d.lessons
                            .iter()
                            .map(|l| (l.id, format!("{}. {}", l.position, l.title))),
                    )
                    .collect();
                self.form.set_options(df::LESSON, options);
            }
            _ => {}
        }
    }

    fn follow_up(&mut self, out: &mut Vec<Command>) {
        self.load_lessons(out);
    }

    fn invalid_field(&mut self, _ctx: &mut Ctx, failure: &Failure) -> bool {
        self.form.failed(failure.clone());
        true
    }

    fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        _out: &mut Vec<Command>,
    ) -> Nav {
        match result {
            Ok(effect) => {
                report(ctx, Ok(effect));
                Nav::Pop
            }
            Err(msg) => {
                self.form.failed(msg);
                Nav::Stay
            }
        }
    }
}
