//! Quizzes (trainer): a course's quizzes (or every course's), their settings form, the
//! question editor (kind-specific fields, delete with confirmation, move up / down) and
//! the results (each student's best / last score, per-question success rates, positioning
//! vs final).

use std::cell::Cell;

use chrono::{DateTime, Utc};
use portail::i18n::{Key, tf};
use portail::quiz::check;
use portail::quiz::{
    Choice, Question, QuestionDraft, QuestionKind, QuizDetail, QuizKind, QuizResults, QuizSettings,
    QuizSummary, StudentAttempts, StudentQuizResult,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::quiz_take::{num, pct, when, wrap};
use super::{Screen, View, is_back, render_scrolled, report, scroll_key};
use crate::components::dialog::{Answer as Reply, Dialog};
use crate::components::form::{Field, Form, FormEvent};
use crate::components::list::{
    Col, Column, Keyed, ListScreen, ListSpec, ListView, Step, col, column,
};
use crate::safe::Safe;
use crate::theme::{dim, error, panel, title, truncate};
use crate::{
    Action, Command, Ctx, Data, Effect, Failure, KeyCode, KeyEvent, Nav, ProgressionRow, Query,
};

/// Longest question text typed in the editor (the core's limit).
pub(crate) const MAX_QUESTION_TEXT: usize = check::MAX_QUESTION_TEXT;
/// Longest list of choices (one a line, with its credit mark) or of accepted answers.
pub(crate) const MAX_CHOICES_TEXT: usize = check::MAX_CHOICES * (check::MAX_CHOICE_TEXT + 12);
const MAX_ACCEPTED_TEXT: usize = check::MAX_ACCEPTED * (check::MAX_ANSWER_TEXT + 1);

const KINDS: [QuizKind; 3] = [QuizKind::Positioning, QuizKind::Check, QuizKind::Final];
const QKINDS: [QuestionKind; 4] = [
    QuestionKind::Single,
    QuestionKind::Multiple,
    QuestionKind::TrueFalse,
    QuestionKind::Short,
];

/// The quizzes of a course (or of every course when `course` is `None`; see [`ListSpec`]).
pub(crate) struct QuizList {
    course: Option<(i64, Safe)>,
}

impl QuizList {
    pub(crate) fn new(course: Option<(i64, &str)>) -> ListScreen<Self> {
        ListScreen::of(Self {
            course: course.map(|(id, t)| (id, Safe::line(t))),
        })
    }
}

impl ListSpec for QuizList {
    type Item = QuizSummary;
    const TITLE: Key = Key::QtMenuQuizzes;
    const HINTS: Key = Key::QtHintQuizList;
    const HELP: Key = Key::QtHelpQuizList;

    fn heading(&self, ctx: &Ctx) -> String {
        match &self.course {
            Some((_, t)) => tf(ctx.lang, Key::QtQuizzesOf, &[t]),
            None => ctx.t(Key::QtMenuQuizzes).to_string(),
        }
    }

    fn columns(&self, ctx: &Ctx) -> Vec<Col> {
        let mut cols = vec![
            col(ctx.t(Key::FieldTitle), 14),
            col(ctx.t(Key::QtKind), 12),
            col(ctx.t(Key::QtQuestionsCol), 9),
            col(ctx.t(Key::QtAttemptsCol), 9),
            col(ctx.t(Key::FieldStatus), 9),
        ];
        if self.course.is_none() {
            cols.push(col(ctx.t(Key::EntCourse), 20));
        }
        cols
    }

    fn cells(&self, ctx: &Ctx, q: &QuizSummary) -> Vec<Safe> {
        let mut row = vec![
            Safe::line(&q.settings.title),
            ctx.label(q.settings.kind).into(),
            q.question_count.to_string().into(),
            q.attempt_count.to_string().into(),
            ctx.t(if q.settings.published {
                Key::QtPublished
            } else {
                Key::QtDraft
            })
            .into(),
        ];
        if self.course.is_none() {
            row.push(Safe::line(&q.course_title));
        }
        row
    }

    fn search_text(&self, q: &QuizSummary) -> String {
        format!("{} {}", q.settings.title, q.course_title)
    }

    fn queries(&self) -> Vec<Query> {
        vec![Query::Quizzes(self.course.as_ref().map(|(id, _)| *id))]
    }

    fn items(&self, data: &Data) -> Option<Vec<QuizSummary>> {
        match data {
            Data::Quizzes(c, all) if *c == self.course.as_ref().map(|(id, _)| *id) => {
                Some(all.clone())
            }
            _ => None,
        }
    }

    fn key(&mut self, k: Keyed<'_, QuizSummary>) -> Step {
        let Keyed { ctx, key, sel, .. } = k;
        Step::Nav(match (key.code, sel) {
            (KeyCode::Char('n' | 'a'), _) => Nav::Push(Screen::view(QuizForm::new(
                ctx,
                self.course.as_ref().map(|(id, _)| *id),
                None,
            ))),
            (KeyCode::Char('e' | 's'), Some(q)) => {
                Nav::Push(Screen::view(QuizForm::new(ctx, Some(q.course_id), Some(q))))
            }
            (KeyCode::Enter | KeyCode::Right, Some(q)) => {
                Nav::Push(Screen::view(QuestionList::new(q.id)))
            }
            (KeyCode::Char('r'), Some(q)) => Nav::Push(Screen::view(QuizResultsView::new(q.id))),
            (KeyCode::Char('d') | KeyCode::Delete, Some(q)) => {
                let text = tf(
                    ctx.lang,
                    Key::QtDeleteQuiz,
                    &[
                        &Safe::line(&q.settings.title),
                        &q.question_count.to_string(),
                        &q.attempt_count.to_string(),
                    ],
                );
                return Step::delete(ctx, text, Action::DeleteQuiz(q.id));
            }
            _ => Nav::Stay,
        })
    }
}

/// Field positions of the settings form.
/// The settings form's fields, by name.
mod sf {
    use portail::i18n::Key;
    pub const COURSE: Key = Key::EntCourse;
    pub const TITLE: Key = Key::FieldTitle;
    pub const KIND: Key = Key::QtKind;
    pub const LESSON: Key = Key::FlFieldLesson;
    pub const PASS: Key = Key::QtFieldPass;
    pub const ATTEMPTS: Key = Key::QtFieldAttempts;
    pub const LIMIT: Key = Key::QtFieldTimeLimit;
    pub const CORRECTIONS: Key = Key::QtFieldCorrections;
    pub const OPENS: Key = Key::QtFieldOpens;
    pub const CLOSES: Key = Key::QtFieldCloses;
    pub const PUBLISHED: Key = Key::QtFieldPublished;
}

/// A quiz's settings: new (in a course, chosen when none is given) or existing.
pub(crate) struct QuizForm {
    id: Option<i64>,
    course: Option<i64>,
    /// The course whose lessons are offered.
    lessons_of: Option<i64>,
    form: Form,
}

fn local(ctx: &Ctx, t: Option<DateTime<Utc>>) -> String {
    t.map(|t| ctx.minute(t)).unwrap_or_default()
}

/// `2026-09-01 14:00` or `2026-09-01` (then at `default_time`) in the user's time zone.
pub(crate) fn parse_local(ctx: &Ctx, s: &str, default_time: (u32, u32)) -> Option<DateTime<Utc>> {
    portail::present::parse_local(ctx.tz, s, default_time)
}

impl QuizForm {
    pub(crate) fn new(ctx: &Ctx, course: Option<i64>, q: Option<&QuizSummary>) -> Self {
        let s = q.map(|q| q.settings.clone()).unwrap_or_default();
        let opt_num = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        let course_field = match q {
            Some(q) => Field::fixed(Key::EntCourse, &q.course_title, Key::QtCourseFixed),
            None => Field::choice(Key::EntCourse, course),
        };
        let mut form = Form::new(vec![
            course_field,
            Field::text(Key::FieldTitle, &s.title, check::MAX_TITLE + 1),
            Field::choice(
                Key::QtKind,
                Some(KINDS.iter().position(|k| *k == s.kind).unwrap_or(1) as i64),
            ),
            Field::choice(Key::FlFieldLesson, Some(s.lesson_id.unwrap_or(0))),
            Field::text(Key::QtFieldPass, &s.pass_percent.to_string(), 4),
            Field::text(Key::QtFieldAttempts, &opt_num(s.max_attempts), 4),
            Field::text(Key::QtFieldTimeLimit, &opt_num(s.time_limit_minutes), 5),
            Field::toggle(
                Key::QtFieldCorrections,
                s.show_corrections,
                Key::QtNo,
                Key::QtYes,
            ),
            Field::text(Key::QtFieldOpens, &local(ctx, s.opens_at), 20),
            Field::text(Key::QtFieldCloses, &local(ctx, s.closes_at), 20),
            Field::toggle(
                Key::QtFieldPublished,
                s.published,
                Key::QtDraft,
                Key::QtPublished,
            ),
        ]);
        form.set_options(
            sf::KIND,
            KINDS
                .iter()
                .enumerate()
                .map(|(i, k)| (i as i64, ctx.label(*k).to_string()))
                .collect(),
        );
        form.set_options(sf::LESSON, vec![(0, ctx.t(Key::FlWholeCourse).to_string())]);
        let course = q.map(|q| q.course_id).or(course);
        Self {
            id: q.map(|q| q.id),
            course,
            lessons_of: None,
            form,
        }
    }

    fn course(&self) -> Option<i64> {
        if self.id.is_some() {
            self.course
        } else {
            self.form.choice(sf::COURSE).or(self.course)
        }
    }

    /// The settings typed, or the first problem found.
    fn settings(&self, ctx: &Ctx) -> Result<QuizSettings, Failure> {
        let f = &self.form;
        let bad = |field: Key, value: &str, problem: Key| Failure {
            message: tf(
                ctx.lang,
                Key::ErrFieldFormat,
                &[ctx.t(field), ctx.t(problem), &Safe::line(value)],
            ),
            fields: vec![(field, ctx.t(problem).to_string())],
        };
        let pass_text = f.text(sf::PASS);
        let pass_percent = match pass_text.trim().trim_end_matches('%').trim().parse::<u8>() {
            Ok(p) if p <= 100 => p,
            _ => return Err(bad(sf::PASS, &pass_text, Key::QtErrPercent)),
        };
        let count = |field: Key, max: u32| -> Result<Option<u32>, Failure> {
            let v = f.text(field);
            if v.trim().is_empty() {
                return Ok(None);
            }
            match v.trim().parse::<u32>() {
                Ok(n) if n >= 1 && n <= max => Ok(Some(n)),
                _ => Err(bad(field, &v, Key::QtErrCount)),
            }
        };
        let max_attempts = count(sf::ATTEMPTS, check::MAX_ATTEMPTS)?;
        let time_limit_minutes = count(sf::LIMIT, check::MAX_TIME_LIMIT)?;
        let date = |field: Key, time: (u32, u32)| -> Result<Option<DateTime<Utc>>, Failure> {
            let v = f.text(field);
            if v.trim().is_empty() {
                return Ok(None);
            }
            parse_local(ctx, &v, time)
                .map(Some)
                .ok_or_else(|| bad(field, &v, Key::QtErrDate))
        };
        let opens_at = date(sf::OPENS, (0, 0))?;
        let closes_at = date(sf::CLOSES, (23, 59))?;
        Ok(QuizSettings {
            title: f.text(sf::TITLE).trim().to_string(),
            kind: KINDS[f.choice(sf::KIND).unwrap_or(1).clamp(0, 2) as usize],
            lesson_id: f.choice(sf::LESSON).filter(|l| *l != 0),
            pass_percent,
            max_attempts,
            time_limit_minutes,
            show_corrections: f.on(sf::CORRECTIONS),
            opens_at,
            closes_at,
            published: f.on(sf::PUBLISHED),
        })
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

impl View for QuizForm {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        let nav = match self.form.key(key) {
            FormEvent::None => Nav::Stay,
            FormEvent::Cancel => return Nav::Pop,
            FormEvent::Submit => {
                let Some(course) = self.course() else {
                    self.form.failed(ctx.t(Key::QtNeedCourse).to_string());
                    return Nav::Stay;
                };
                match self.settings(ctx) {
                    Ok(settings) => {
                        self.form.submitting();
                        out.push(Command::Run(Action::SaveQuiz {
                            course,
                            id: self.id,
                            settings,
                        }));
                    }
                    Err(e) => self.form.failed(e),
                }
                Nav::Stay
            }
        };
        // Another course chosen: its lessons.
        self.load_lessons(out);
        nav
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = ctx.t(if self.id.is_some() {
            Key::QtEditQuiz
        } else {
            Key::QtNewQuiz
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
        Key::QtHelpQuizForm
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        if self.id.is_none() && !self.form.has_options(sf::COURSE) {
            out.push(Command::Load(Query::Courses));
        }
        self.load_lessons(out);
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        match data {
            Data::Courses(list) if self.id.is_none() => {
                self.form.set_options(
                    sf::COURSE,
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
                self.form.set_options(sf::LESSON, options);
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

/// A quiz's questions: add, edit, delete, move; `s` its settings, `r` its results.
pub(crate) struct QuestionList {
    quiz: i64,
    detail: Option<QuizDetail>,
    list: ListView,
    dialog: Option<Dialog<i64>>,
    follow: Option<i64>,
}

impl QuestionList {
    pub(crate) fn new(quiz: i64) -> Self {
        Self {
            quiz,
            detail: None,
            list: ListView::new(),
            dialog: None,
            follow: None,
        }
    }
}

/// The choices / answer of a question as the trainer reads them.
fn answer_lines(ctx: &Ctx, d: &QuestionDraft, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match d.kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            for (i, c) in d.choices.iter().enumerate() {
                let mark = if c.credit > 0 { "✓" } else { " " };
                let head = format!(" {mark} {}. ", i + 1);
                let credit = format!(" ({} %)", c.credit);
                let w = width.saturating_sub(head.width() + credit.width());
                let text = truncate(&Safe::line(&c.text), w);
                lines.push(Line::from(vec![
                    Span::styled(head, if c.credit > 0 { title() } else { dim() }),
                    Span::raw(text),
                    Span::styled(credit, dim()),
                ]));
                if let Some(f) = c.feedback.as_deref().filter(|f| !f.is_empty()) {
                    lines.push(Line::styled(
                        format!(
                            "      » {}",
                            truncate(&Safe::line(f), width.saturating_sub(8))
                        ),
                        dim(),
                    ));
                }
            }
        }
        QuestionKind::TrueFalse => lines.push(Line::from(vec![
            Span::styled(format!(" {} ", ctx.t(Key::QtExpected)), dim()),
            Span::styled(
                ctx.t(if d.answer == Some(true) {
                    Key::QtTrue
                } else {
                    Key::QtFalse
                }),
                title(),
            ),
        ])),
        QuestionKind::Short => {
            lines.push(Line::styled(format!(" {}", ctx.t(Key::QtAccepted)), dim()));
            for a in &d.accepted {
                lines.push(Line::from(format!(
                    "   « {} »",
                    truncate(&Safe::line(a), width.saturating_sub(8))
                )));
            }
        }
    }
    if let Some(f) = d.feedback.as_deref().filter(|f| !f.is_empty()) {
        lines.push(Line::styled(
            format!(" » {}", truncate(&Safe::line(f), width.saturating_sub(4))),
            dim(),
        ));
    }
    lines
}

impl View for QuestionList {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if let Some(d) = &self.dialog {
            match d.key(&key) {
                Reply::Yes => {
                    out.push(Command::Run(Action::DeleteQuestion(d.pending)));
                    self.dialog = None;
                }
                Reply::No => self.dialog = None,
                _ => {}
            }
            return Nav::Stay;
        }
        if self.list.key(&key) {
            return Nav::Stay;
        }
        let Some(detail) = &self.detail else {
            return if is_back(&key) { Nav::Pop } else { Nav::Stay };
        };
        let pos = self.list.selected();
        let q = pos.and_then(|i| detail.questions.get(i));
        let n = detail.questions.len();
        match (key.code, q) {
            (KeyCode::Char('n' | 'a'), _) => {
                return Nav::Push(Screen::view(QuestionForm::new(ctx, self.quiz, None)));
            }
            (KeyCode::Char('e') | KeyCode::Enter | KeyCode::Right, Some(q)) => {
                return Nav::Push(Screen::view(QuestionForm::new(ctx, self.quiz, Some(q))));
            }
            (KeyCode::Char('s'), _) => {
                return Nav::Push(Screen::view(QuizForm::new(
                    ctx,
                    Some(detail.summary.course_id),
                    Some(&detail.summary),
                )));
            }
            (KeyCode::Char('r'), _) => {
                return Nav::Push(Screen::view(QuizResultsView::new(self.quiz)));
            }
            (KeyCode::Char('K' | '+'), Some(q)) if pos.is_some_and(|p| p > 0) => {
                self.follow = Some(q.id);
                out.push(Command::Run(Action::MoveQuestion {
                    id: q.id,
                    delta: -1,
                }));
            }
            (KeyCode::Char('J' | '-'), Some(q)) if pos.is_some_and(|p| p + 1 < n) => {
                self.follow = Some(q.id);
                out.push(Command::Run(Action::MoveQuestion { id: q.id, delta: 1 }));
            }
            (KeyCode::Char('d') | KeyCode::Delete, Some(q)) => {
                let text = tf(
                    ctx.lang,
                    Key::QtDeleteQuestion,
                    &[&truncate(&Safe::line(&q.draft.text), 60)],
                );
                self.dialog = Some(Dialog::confirm(ctx, ctx.t(Key::UiDelete), text, q.id));
            }
            _ if is_back(&key) => return Nav::Pop,
            _ => {}
        }
        Nav::Stay
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let Some(d) = &self.detail else {
            frame.render_widget(
                Paragraph::new(Line::styled(format!(" {}", ctx.t(Key::SpLoading)), dim()))
                    .block(panel(ctx.t(Key::QtQuestionsCol))),
                area,
            );
            return;
        };
        let s = &d.summary;
        // `Bases · 5 pts · 4 questions`: the total and the count, each named.
        let heading = portail::present::quiz_size(
            ctx.lang,
            &Safe::line(&s.settings.title),
            s.total_points,
            d.questions.len() as i64,
        );
        let rows: Vec<Vec<Safe>> = d
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                vec![
                    format!("{}. {}", i + 1, q.draft.text.replace('\n', " ")),
                    ctx.label(q.draft.kind).to_string(),
                    num(ctx, q.draft.points),
                ]
            })
            .map(Safe::row)
            .collect();
        let cols = [
            col(ctx.t(Key::QtQuestion), 36),
            col(ctx.t(Key::QtKind), 14),
            col(ctx.t(Key::QtPointsCol), 6),
        ];
        let sel = self.list.selected().and_then(|i| d.questions.get(i));
        if area.width >= 100
            && let Some(q) = sel
        {
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Min(30)]).areas(area);
            self.list
                .render_titled(frame, ctx, left, &heading, &cols, &rows);
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(dim())
                .title(Span::styled(
                    format!(" {} ", ctx.label(q.draft.kind)),
                    title(),
                ));
            let inner = block.inner(right);
            frame.render_widget(block, right);
            let w = inner.width.saturating_sub(1) as usize;
            let mut lines: Vec<Line> = Vec::new();
            if let Some(t) = q.draft.title.as_deref().filter(|t| !t.is_empty()) {
                lines.push(Line::styled(format!(" {}", Safe::line(t)), title()));
            }
            for l in wrap(&q.draft.text, w.saturating_sub(1)) {
                lines.push(Line::from(format!(" {l}")));
            }
            lines.push(Line::from(""));
            lines.extend(answer_lines(ctx, &q.draft, w));
            frame.render_widget(Paragraph::new(lines), inner);
        } else {
            self.list
                .render_titled(frame, ctx, area, &heading, &cols, &rows);
        }
        if let Some(dlg) = &self.dialog {
            dlg.render(frame, area);
        }
    }

    fn hints(&self) -> Key {
        if self.dialog.is_some() {
            Key::UiHintConfirm
        } else if self.list.searching() {
            Key::UiHintSearch
        } else {
            Key::QtHintQuestionList
        }
    }

    fn help(&self) -> Key {
        Key::QtHelpQuestionList
    }

    fn captures_text(&self) -> bool {
        self.list.searching() || self.dialog.is_some()
    }

    fn paste(&mut self, text: &str) {
        self.list.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::Quiz(self.quiz)));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::Quiz(d) = data
            && d.summary.id == self.quiz
        {
            self.list
                .set_items(d.questions.iter().map(|q| q.draft.text.clone()).collect());
            if let Some(id) = self.follow.take()
                && let Some(i) = d.questions.iter().position(|q| q.id == id)
            {
                self.list.select_item(i);
            }
            self.detail = Some((**d).clone());
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

/// Field positions of the question form.
/// The question form's fields, by name.
mod qf {
    use portail::i18n::Key;
    pub const KIND: Key = Key::QtKind;
    pub const TITLE: Key = Key::QtFieldQuestionTitle;
    pub const TEXT: Key = Key::QtQuestion;
    pub const POINTS: Key = Key::QtPointsCol;
    /// Choices, the true/false answer or the accepted answers, by kind.
    pub const ANSWER: Key = Key::QtFieldAnswer;
    pub const FEEDBACK: Key = Key::QtFieldFeedback;
}

/// A question: its kind decides the answer field (choices with their credit, the
/// true/false answer, or the accepted answers).
pub(crate) struct QuestionForm {
    quiz: i64,
    id: Option<i64>,
    kind: QuestionKind,
    /// What each kind's answer field held, kept while switching kinds.
    choices: String,
    truth: bool,
    accepted: String,
    form: Form,
}

/// Choices as typed: one per line, `text | credit | feedback` (credit and feedback
/// optional, credit in percent). In texts, `\|` is a `|`, `\n` a new line, `\\` a `\`.
pub(crate) fn choices_text(choices: &[Choice]) -> String {
    let esc = |t: &str| {
        t.replace('\\', "\\\\")
            .replace('|', "\\|")
            .replace('\n', "\\n")
    };
    choices
        .iter()
        .map(|c| {
            let mut s = format!("{} | {}", esc(&c.text), c.credit);
            if let Some(f) = c.feedback.as_deref().filter(|f| !f.is_empty()) {
                s.push_str(" | ");
                s.push_str(&esc(f));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A line's fields, split at unescaped `|` (at most three: the last takes the rest),
/// escapes resolved.
fn split_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => fields.last_mut().unwrap().push('\n'),
                Some(other) => fields.last_mut().unwrap().push(other),
                None => fields.last_mut().unwrap().push('\\'),
            },
            '|' if fields.len() < 3 => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields.iter().map(|f| f.trim().to_string()).collect()
}

/// Parses the choices typed; errors name the line.
pub(crate) fn parse_choices(ctx: &Ctx, text: &str) -> Result<Vec<Choice>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut parts = split_fields(line).into_iter();
        let text = parts.next().unwrap_or_default();
        let credit_text = parts.next().unwrap_or_else(|| "0".into());
        let feedback = parts.next().filter(|f| !f.is_empty());
        let credit = match credit_text.trim_end_matches('%').trim().parse::<i32>() {
            Ok(c) if (-100..=100).contains(&c) => c,
            _ => {
                return Err(tf(
                    ctx.lang,
                    Key::QtErrCredit,
                    &[&(n + 1).to_string(), &Safe::line(&credit_text)],
                ));
            }
        };
        if text.is_empty() {
            return Err(tf(ctx.lang, Key::QtErrChoiceText, &[&(n + 1).to_string()]));
        }
        out.push(Choice {
            text,
            credit,
            feedback,
        });
    }
    Ok(out)
}

impl QuestionForm {
    pub(crate) fn new(ctx: &Ctx, quiz: i64, q: Option<&Question>) -> Self {
        let d = q.map(|q| q.draft.clone());
        let kind = d.as_ref().map_or(QuestionKind::Single, |d| d.kind);
        let choices = d
            .as_ref()
            .map(|d| choices_text(&d.choices))
            .unwrap_or_default();
        let accepted = d
            .as_ref()
            .map(|d| d.accepted.join("\n"))
            .unwrap_or_default();
        let truth = d.as_ref().and_then(|d| d.answer).unwrap_or(true);
        let mut form = Form::new(vec![
            Field::choice(
                Key::QtKind,
                Some(QKINDS.iter().position(|k| *k == kind).unwrap_or(0) as i64),
            ),
            Field::text(
                Key::QtFieldQuestionTitle,
                d.as_ref().and_then(|d| d.title.as_deref()).unwrap_or(""),
                check::MAX_TITLE + 1,
            ),
            Field::area(
                Key::QtQuestion,
                d.as_ref().map_or("", |d| d.text.as_str()),
                MAX_QUESTION_TEXT + 1,
            ),
            Field::text(
                Key::QtPointsCol,
                &d.as_ref().map_or("1".to_string(), |d| num(ctx, d.points)),
                10,
            ),
            Field::text(Key::QtFieldQuestionTitle, "", 1).id(qf::ANSWER),
            Field::area(
                Key::QtFieldFeedback,
                d.as_ref().and_then(|d| d.feedback.as_deref()).unwrap_or(""),
                check::MAX_FEEDBACK + 1,
            ),
        ]);
        form.set_options(
            qf::KIND,
            QKINDS
                .iter()
                .enumerate()
                .map(|(i, k)| (i as i64, ctx.label(*k).to_string()))
                .collect(),
        );
        let mut s = Self {
            quiz,
            id: q.map(|q| q.id),
            kind,
            choices,
            truth,
            accepted,
            form,
        };
        s.form.replace(qf::ANSWER, s.answer_field());
        s
    }

    fn answer_field(&self) -> Field {
        let field = match self.kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                Field::area(Key::QtFieldChoices, &self.choices, MAX_CHOICES_TEXT + 1)
            }
            QuestionKind::TrueFalse => {
                Field::toggle(Key::QtFieldAnswer, self.truth, Key::QtFalse, Key::QtTrue)
            }
            QuestionKind::Short => {
                Field::area(Key::QtFieldAccepted, &self.accepted, MAX_ACCEPTED_TEXT + 1)
            }
        };
        field.id(qf::ANSWER)
    }

    /// Keeps what the answer field holds, for the current kind.
    fn keep_answer(&mut self) {
        match self.kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                self.choices = self.form.text(qf::ANSWER)
            }
            QuestionKind::TrueFalse => self.truth = self.form.on(qf::ANSWER),
            QuestionKind::Short => self.accepted = self.form.text(qf::ANSWER),
        }
    }

    fn draft(&self, ctx: &Ctx) -> Result<QuestionDraft, String> {
        let f = &self.form;
        let points_text = f.text(qf::POINTS);
        let points = match points_text.trim().replace(',', ".").parse::<f64>() {
            Ok(p) if p > 0.0 && p <= check::MAX_POINTS => p,
            _ => {
                return Err(tf(
                    ctx.lang,
                    Key::ErrFieldFormat,
                    &[
                        ctx.t(Key::QtPointsCol),
                        ctx.t(Key::QtErrPoints),
                        &Safe::line(&points_text),
                    ],
                ));
            }
        };
        let mut draft = QuestionDraft {
            kind: self.kind,
            title: f.opt(qf::TITLE).map(|t| t.trim().to_string()),
            text: f.text(qf::TEXT).trim().to_string(),
            points,
            choices: Vec::new(),
            answer: None,
            accepted: Vec::new(),
            feedback: f.opt(qf::FEEDBACK).map(|t| t.trim().to_string()),
        };
        match self.kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                draft.choices = parse_choices(ctx, &f.text(qf::ANSWER))?;
            }
            QuestionKind::TrueFalse => draft.answer = Some(f.on(qf::ANSWER)),
            QuestionKind::Short => {
                draft.accepted = f
                    .text(qf::ANSWER)
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect();
            }
        }
        Ok(draft)
    }
}

impl View for QuestionForm {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        let event = self.form.key(key);
        let kind = QKINDS[self.form.choice(qf::KIND).unwrap_or(0).clamp(0, 3) as usize];
        if kind != self.kind {
            self.keep_answer();
            self.kind = kind;
            self.form.replace(qf::ANSWER, self.answer_field());
        }
        match event {
            FormEvent::None => Nav::Stay,
            FormEvent::Cancel => Nav::Pop,
            FormEvent::Submit => {
                match self.draft(ctx) {
                    Ok(draft) => {
                        self.form.submitting();
                        out.push(Command::Run(Action::SaveQuestion {
                            quiz: self.quiz,
                            id: self.id,
                            draft,
                        }));
                    }
                    Err(e) => self.form.failed(e),
                }
                Nav::Stay
            }
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = ctx.t(if self.id.is_some() {
            Key::QtEditQuestion
        } else {
            Key::QtNewQuestion
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
        Key::QtHelpQuestionForm
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
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

/// A quiz's results: students, questions, positioning vs final.
pub(crate) struct QuizResultsView {
    quiz: i64,
    results: Option<(QuizResults, Vec<ProgressionRow>)>,
    scroll: Cell<u16>,
}

impl QuizResultsView {
    pub(crate) fn new(quiz: i64) -> Self {
        Self {
            quiz,
            results: None,
            scroll: Cell::new(0),
        }
    }
}

/// Cells cut or padded to their widths, joined by a space.
fn cells(values: &[String], widths: &[usize]) -> String {
    let mut s = String::from(" ");
    for (i, (v, w)) in values.iter().zip(widths).enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let cut = truncate(&Safe::line(v), *w);
        let pad = w.saturating_sub(cut.width());
        // Numbers are right-aligned, the first column left-aligned.
        if i == 0 {
            s.push_str(&cut);
            s.push_str(&" ".repeat(pad));
        } else {
            s.push_str(&" ".repeat(pad));
            s.push_str(&cut);
        }
    }
    s
}

fn display_name(name: &str, email: &str) -> String {
    if name.trim().is_empty() {
        email.to_string()
    } else {
        name.to_string()
    }
}

pub(crate) fn results_lines(
    ctx: &Ctx,
    r: &QuizResults,
    progression: &[ProgressionRow],
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let s = &r.quiz.settings;
    lines.push(Line::styled(
        format!(
            " {} · {} · {} · {}",
            ctx.label(s.kind),
            tf(
                ctx.lang,
                Key::QtQuestionsN,
                &[&r.quiz.question_count.to_string()]
            ),
            tf(ctx.lang, Key::QtPassMark, &[&s.pass_percent.to_string()]),
            tf(
                ctx.lang,
                Key::QtAttemptsN,
                &[&r.quiz.attempt_count.to_string()]
            ),
        ),
        dim(),
    ));
    lines.push(Line::from(""));
    // Students.
    lines.push(Line::styled(
        format!(" {}", ctx.t(Key::MenuStudents)),
        title(),
    ));
    let wide = width >= 60;
    let fixed: Vec<usize> = if wide {
        vec![9, 7, 7, 10, 16]
    } else {
        vec![4, 6, 9]
    };
    let name_w = width
        .saturating_sub(2 + fixed.iter().sum::<usize>() + fixed.len())
        .max(8);
    let mut widths = vec![name_w];
    widths.extend(&fixed);
    let header: Vec<String> = if wide {
        vec![
            ctx.t(Key::FieldName).into(),
            ctx.t(Key::QtAttemptsCol).into(),
            ctx.t(Key::QtBest).into(),
            ctx.t(Key::QtLast).into(),
            ctx.t(Key::QtResult).into(),
            ctx.t(Key::QtLastSubmitted).into(),
        ]
    } else {
        vec![
            ctx.t(Key::FieldName).into(),
            "#".into(),
            ctx.t(Key::QtBest).into(),
            ctx.t(Key::QtResult).into(),
        ]
    };
    lines.push(Line::styled(cells(&header, &widths), dim()));
    if r.students.is_empty() {
        lines.push(Line::styled(format!("  {}", ctx.t(Key::UiEmpty)), dim()));
    }
    for st in &r.students {
        let result = if st.attempts == 0 {
            ctx.t(Key::None_).to_string()
        } else if st.passed {
            ctx.t(Key::QtPassed).to_string()
        } else {
            ctx.t(Key::QtNotPassed).to_string()
        };
        let row: Vec<String> = if wide {
            vec![
                display_name(&st.name, &st.email),
                st.attempts.to_string(),
                pct(ctx, st.best_percent),
                pct(ctx, st.last_percent),
                result,
                when(ctx, st.last_submitted_at),
            ]
        } else {
            vec![
                display_name(&st.name, &st.email),
                st.attempts.to_string(),
                pct(ctx, st.best_percent),
                result,
            ]
        };
        let style = if st.attempts > 0 && !st.passed {
            error()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(cells(&row, &widths), style));
    }
    lines.push(Line::from(""));
    // Questions.
    lines.push(Line::styled(
        format!(" {}", ctx.t(Key::QtSuccessRates)),
        title(),
    ));
    let qw = [width.saturating_sub(2 + 8 + 8 + 2).max(8), 8, 8];
    lines.push(Line::styled(
        cells(
            &[
                ctx.t(Key::QtQuestion).into(),
                ctx.t(Key::QtAnsweredCol).into(),
                ctx.t(Key::QtSuccess).into(),
            ],
            &qw,
        ),
        dim(),
    ));
    for q in &r.questions {
        lines.push(Line::from(cells(
            &[
                format!("{}. {}", q.position, q.text.replace('\n', " ")),
                q.answered.to_string(),
                pct(ctx, q.success_percent),
            ],
            &qw,
        )));
    }
    // Positioning vs final.
    if progression
        .iter()
        .any(|p| p.positioning_percent.is_some() || p.final_percent.is_some())
    {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!(" {}", ctx.t(Key::QtProgression)),
            title(),
        ));
        let pw = [width.saturating_sub(2 + 7 * 3 + 3).max(8), 7, 7, 7];
        lines.push(Line::styled(
            cells(
                &[
                    ctx.t(Key::FieldName).into(),
                    ctx.t(Key::QtKindPositioningShort).into(),
                    ctx.t(Key::QtKindFinalShort).into(),
                    "Δ".into(),
                ],
                &pw,
            ),
            dim(),
        ));
        for p in progression {
            let delta = match (p.positioning_percent, p.final_percent) {
                (Some(a), Some(b)) => format!("{:+.0}", b - a),
                _ => ctx.t(Key::None_).to_string(),
            };
            lines.push(Line::from(cells(
                &[
                    display_name(&p.name, &p.email),
                    pct(ctx, p.positioning_percent),
                    pct(ctx, p.final_percent),
                    delta,
                ],
                &pw,
            )));
        }
    }
    lines
}

impl View for QuizResultsView {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, _out: &mut Vec<Command>) -> Nav {
        if let (KeyCode::Char('e') | KeyCode::Enter, Some((r, _))) = (key.code, &self.results) {
            return Nav::Push(Screen::view(QuizStudents::new(
                self.quiz,
                &r.quiz.settings.title,
            )));
        }
        if scroll_key(&key, &self.scroll) {
            return Nav::Stay;
        }
        if is_back(&key) { Nav::Pop } else { Nav::Stay }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let Some((r, p)) = &self.results else {
            frame.render_widget(
                Paragraph::new(Line::styled(format!(" {}", ctx.t(Key::SpLoading)), dim()))
                    .block(panel(ctx.t(Key::QtResults))),
                area,
            );
            return;
        };
        let heading = tf(
            ctx.lang,
            Key::QtResultsOf,
            &[&Safe::line(&r.quiz.settings.title)],
        );
        let lines = results_lines(ctx, r, p, area.width.saturating_sub(2) as usize);
        render_scrolled(frame, area, &heading, lines, &self.scroll);
    }

    fn hints(&self) -> Key {
        Key::QtHintResults
    }

    fn help(&self) -> Key {
        Key::QtHelpResults
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::QuizResults(self.quiz)));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::QuizResults(r, p) = data
            && r.quiz.id == self.quiz
        {
            self.results = Some(((**r).clone(), p.clone()));
        }
    }

    fn progress_changed(&mut self, _ctx: &Ctx, _student: i64, course: i64, out: &mut Vec<Command>) {
        // A student handed an attempt in: fresh results (cheap, only while shown).
        if let Some((r, _)) = &self.results
            && r.quiz.course_id == course
        {
            out.push(Command::Load(Query::QuizResults(self.quiz)));
        }
    }
}

/// The students of a quiz's course with their result (see [`ListSpec`]): Enter opens a
/// student's attempts and answers, `a` grants them an extra attempt or more time.
pub(crate) struct QuizStudents {
    quiz: i64,
    title: Safe,
}

impl QuizStudents {
    pub(crate) fn new(quiz: i64, title: &str) -> ListScreen<Self> {
        ListScreen::of(Self {
            quiz,
            title: Safe::line(title),
        })
    }
}

/// `Réussi`, `Non réussi`, or "—" before any attempt.
fn outcome(ctx: &Ctx, st: &StudentQuizResult) -> String {
    if st.attempts == 0 {
        ctx.t(Key::None_).to_string()
    } else if st.passed {
        ctx.t(Key::QtPassed).to_string()
    } else {
        ctx.t(Key::QtNotPassed).to_string()
    }
}

impl ListSpec for QuizStudents {
    type Item = StudentQuizResult;
    const TITLE: Key = Key::MenuStudents;
    const HINTS: Key = Key::QtHintQuizStudents;
    const HELP: Key = Key::QtHelpQuizStudents;
    const COLUMNS: &'static [Column<StudentQuizResult>] = &[
        column(Key::FieldName, 16, |_, s| {
            Safe::line(&display_name(&s.name, &s.email))
        }),
        column(Key::QtResult, 10, |ctx, s| outcome(ctx, s).into()),
        column(Key::QtBest, 8, |ctx, s| pct(ctx, s.best_percent).into()),
        column(Key::QtAttemptsCol, 10, |_, s| s.attempts.to_string().into()),
        column(Key::QzAllowance, 14, |ctx, s| {
            if s.extra_attempts == 0 && s.extra_minutes == 0 {
                ctx.t(Key::None_).into()
            } else {
                portail::present::quiz_allowance(ctx.lang, s.extra_attempts, s.extra_minutes).into()
            }
        }),
    ];

    fn heading(&self, ctx: &Ctx) -> String {
        tf(ctx.lang, Key::QtStudentsOf, &[&self.title])
    }

    fn search_text(&self, s: &StudentQuizResult) -> String {
        format!("{} {}", s.name, s.email)
    }

    fn queries(&self) -> Vec<Query> {
        vec![Query::QuizResults(self.quiz)]
    }

    fn items(&self, data: &Data) -> Option<Vec<StudentQuizResult>> {
        match data {
            Data::QuizResults(r, _) if r.quiz.id == self.quiz => Some(r.students.clone()),
            _ => None,
        }
    }

    fn key(&mut self, k: Keyed<'_, StudentQuizResult>) -> Step {
        let Keyed { key, sel, .. } = k;
        let Some(st) = sel else {
            return Nav::Stay.into();
        };
        let name = display_name(&st.name, &st.email);
        match key.code {
            KeyCode::Enter | KeyCode::Right => Nav::Push(Screen::view(StudentAttemptsView::new(
                self.quiz,
                st.student_id,
                &name,
            ))),
            KeyCode::Char('a') => Nav::Push(Screen::view(GrantForm::new(
                self.quiz,
                st.student_id,
                &name,
            ))),
            _ => Nav::Stay,
        }
        .into()
    }

    fn reload_on_progress(&self, _ctx: &Ctx, _student: i64, _course: i64) -> bool {
        true
    }
}

/// One student's attempts at a quiz: each question with the answer given, the answer
/// expected and the points (✓ right, ≈ partly, ✗ wrong); and what they were granted.
pub(crate) struct StudentAttemptsView {
    quiz: i64,
    student: i64,
    name: Safe,
    data: Option<StudentAttempts>,
    scroll: Cell<u16>,
}

impl StudentAttemptsView {
    pub(crate) fn new(quiz: i64, student: i64, name: &str) -> Self {
        Self {
            quiz,
            student,
            name: Safe::line(name),
            data: None,
            scroll: Cell::new(0),
        }
    }
}

/// The lines of a student's attempts (trainer), wrapped to `width`.
pub(crate) fn attempts_lines(ctx: &Ctx, r: &StudentAttempts, width: usize) -> Vec<Line<'static>> {
    use portail::present;
    let lang = ctx.lang;
    let mut lines = vec![
        Line::styled(
            format!(
                " {} · {}",
                Safe::line(&r.email),
                Safe::line(&r.quiz.settings.title)
            ),
            dim(),
        ),
        Line::from(format!(
            " {} : {}",
            ctx.t(Key::QzAllowance),
            present::quiz_allowance(lang, r.extra_attempts, r.extra_minutes)
        )),
    ];
    if r.attempts.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled(format!(" {}", ctx.t(Key::QzNoAttempt)), dim()));
    }
    for (n, at) in r.attempts.iter().enumerate() {
        lines.push(Line::from(""));
        let (state, style) = match (at.submitted_at, at.score, at.max_score) {
            (Some(done), Some(s), Some(m)) => {
                let passed = at.passed == Some(true);
                let mut st = format!(
                    "{} · {} ({}) · {}",
                    ctx.minute(done),
                    present::score(lang, s, m),
                    pct(ctx, at.percent),
                    ctx.t(if passed {
                        Key::QzStPassed
                    } else {
                        Key::QzStFailed
                    }),
                );
                if at.timed_out {
                    st.push_str(&format!(" · {}", ctx.t(Key::QzTimedOut)));
                }
                (st, if passed { title() } else { error() })
            }
            _ => (
                tf(
                    lang,
                    Key::QzAttemptInProgress,
                    &[&ctx.minute(at.started_at)],
                ),
                dim(),
            ),
        };
        lines.push(Line::styled(
            format!(
                " {}",
                tf(lang, Key::QzAttemptN, &[&(n + 1).to_string(), &state])
            ),
            style,
        ));
        for (i, c) in at.answers.iter().enumerate() {
            let Some(q) = &c.expected else { continue };
            let mark = present::quiz_mark(c.earned, c.points);
            let full = mark == "✓";
            let head = format!(
                "{}. {} — {}",
                i + 1,
                q.text.replace('\n', " "),
                present::score(lang, c.earned, c.points)
            );
            for (j, l) in wrap(&head, width.saturating_sub(5)).into_iter().enumerate() {
                let prefix = if j == 0 {
                    format!("  {mark} ")
                } else {
                    "    ".to_string()
                };
                lines.push(Line::styled(
                    format!("{prefix}{l}"),
                    if full {
                        ratatui::style::Style::default()
                    } else {
                        error()
                    },
                ));
            }
            for (label, text) in [
                (
                    Key::QzGivenAnswer,
                    present::quiz_answer(lang, c.given.as_ref(), q),
                ),
                (Key::QzRightAnswer, present::quiz_expected(lang, q)),
            ] {
                let label = ctx.t(label);
                let text = format!("{label} {text}");
                for l in wrap(&text, width.saturating_sub(6)) {
                    lines.push(Line::styled(format!("      {l}"), dim()));
                }
            }
        }
    }
    lines
}

impl View for StudentAttemptsView {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, _out: &mut Vec<Command>) -> Nav {
        if key.code == KeyCode::Char('a') {
            return Nav::Push(Screen::view(GrantForm::new(
                self.quiz,
                self.student,
                &self.name,
            )));
        }
        if scroll_key(&key, &self.scroll) {
            return Nav::Stay;
        }
        if is_back(&key) { Nav::Pop } else { Nav::Stay }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = self.name.to_string();
        let Some(r) = &self.data else {
            frame.render_widget(
                Paragraph::new(Line::styled(format!(" {}", ctx.t(Key::SpLoading)), dim()))
                    .block(panel(&heading)),
                area,
            );
            return;
        };
        let heading = tf(
            ctx.lang,
            Key::QtAttemptsOf,
            &[&self.name, ctx.t(Key::QtAttemptsCol)],
        );
        let lines = attempts_lines(ctx, r, area.width.saturating_sub(2) as usize);
        render_scrolled(frame, area, &heading, lines, &self.scroll);
    }

    fn hints(&self) -> Key {
        Key::QtHintAttempts
    }

    fn help(&self) -> Key {
        Key::QtHelpAttempts
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::QuizStudentAttempts {
            quiz: self.quiz,
            student: self.student,
        }));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::QuizStudentAttempts(r) = data
            && r.quiz.id == self.quiz
            && r.student_id == self.student
        {
            self.data = Some((**r).clone());
        }
    }

    fn progress_changed(&mut self, _ctx: &Ctx, student: i64, _course: i64, out: &mut Vec<Command>) {
        if student == self.student {
            self.enter(out);
        }
    }
}

/// Extra attempts and minutes for one student (see [`portail::quiz::check::check_grant`]).
pub(crate) struct GrantForm {
    quiz: i64,
    student: i64,
    name: Safe,
    form: Form,
}

impl GrantForm {
    pub(crate) fn new(quiz: i64, student: i64, name: &str) -> Self {
        Self {
            quiz,
            student,
            name: Safe::line(name),
            form: Form::new(vec![
                Field::text(Key::QzFieldExtraAttempts, "1", 4),
                Field::text(Key::QzFieldExtraMinutes, "0", 5),
            ]),
        }
    }

    /// The numbers typed (empty = 0), or the field that is not one.
    fn amounts(&self, ctx: &Ctx) -> Result<(u32, u32), Failure> {
        let read = |field: Key| -> Result<u32, Failure> {
            let v = self.form.text(field);
            if v.trim().is_empty() {
                return Ok(0);
            }
            v.trim().parse::<u32>().map_err(|_| Failure {
                message: tf(
                    ctx.lang,
                    Key::ErrFieldFormat,
                    &[ctx.t(field), ctx.t(Key::QtErrCount), &Safe::line(&v)],
                ),
                fields: vec![(field, ctx.t(Key::QtErrCount).to_string())],
            })
        };
        Ok((
            read(Key::QzFieldExtraAttempts)?,
            read(Key::QzFieldExtraMinutes)?,
        ))
    }
}

impl View for GrantForm {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        match self.form.key(key) {
            FormEvent::None => Nav::Stay,
            FormEvent::Cancel => Nav::Pop,
            FormEvent::Submit => {
                match self.amounts(ctx) {
                    Ok((attempts, minutes)) => {
                        self.form.submitting();
                        out.push(Command::Run(Action::GrantQuiz {
                            quiz: self.quiz,
                            student: self.student,
                            attempts,
                            minutes,
                        }));
                    }
                    Err(e) => self.form.failed(e),
                }
                Nav::Stay
            }
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = tf(ctx.lang, Key::QtGrantTitle, &[&self.name]);
        self.form.render(frame, ctx, area, &heading);
    }

    fn hints(&self) -> Key {
        if self.form.asking() {
            Key::UiHintConfirm
        } else {
            Key::UiHintForm
        }
    }

    fn help(&self) -> Key {
        Key::QtHelpGrant
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
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
