//! Taking quizzes (student): "Mes quiz" (availability, attempts, best score), then an
//! attempt: one question per screen on narrow terminals, every question in one scrolling
//! column on wide ones. Each answer is saved at once (one command per answer, sent one at
//! a time so they reach the server in order), so a dropped connection resumes the attempt
//! as it was. The remaining time ticks; a review lists the unanswered questions before the
//! confirmation; then the score, pass / fail and, if the quiz shows them, the corrections.
//! When time runs out the attempt is handed in and the server's grading is shown.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use portail::i18n::{Key, tf};
use portail::quiz::{
    Answer, AttemptResult, AttemptView, MyQuiz, QuestionCorrection, QuestionDraft, QuestionKind,
    QuizAvailability, StudentQuestion,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{Screen, View, is_back, list_move, render_scrolled, report, scroll_key};
use crate::components::dialog::{Answer as Reply, Dialog};
use crate::components::list::{Column, Detail, Keyed, ListScreen, ListSpec, Step, column, loads};
use crate::field::TextField;
use crate::safe::Safe;
use crate::theme::{dim, error, panel, selected, title, truncate};
use crate::{Action, Command, Ctx, Data, Effect, KeyCode, KeyEvent, KeyModifiers, Nav, Query};

/// Width from which every question is shown in one scrolling column.
pub(crate) const WIDE: u16 = 80;
/// Longest typed answer.
pub(crate) const MAX_TEXT_ANSWER: usize = portail::quiz::check::MAX_ANSWER_TEXT;

/// A number as people read it: `7`, `7,5` (French) or `7.5`.
pub(crate) fn num(ctx: &Ctx, x: f64) -> String {
    portail::present::number(ctx.lang, x)
}

/// A percentage, rounded: `75 %`, or "—".
pub(crate) fn pct(ctx: &Ctx, p: Option<f64>) -> String {
    match p {
        Some(p) => portail::present::percent(p),
        None => ctx.t(Key::None_).to_string(),
    }
}

/// A date-time in the user's time zone.
pub(crate) fn when(ctx: &Ctx, t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    match t {
        Some(t) => ctx.minute(t),
        None => ctx.t(Key::None_).to_string(),
    }
}

/// `12:34` (or `1:02:03`) for a number of seconds.
pub(crate) fn clock(secs: i64) -> String {
    let s = secs.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// Words wrapped to `width` columns (long words are cut); sanitized first.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(4);
    let clean = Safe::text(text);
    let mut out = Vec::new();
    for para in clean.split('\n') {
        let mut line = String::new();
        for word in para.split(' ') {
            let mut word = word.to_string();
            loop {
                let sep = usize::from(!line.is_empty());
                if line.width() + sep + word.width() <= width {
                    if sep == 1 {
                        line.push(' ');
                    }
                    line.push_str(&word);
                    break;
                }
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                    continue;
                }
                // A word longer than the line: cut it.
                let mut head = String::new();
                let mut rest = word.chars();
                for c in rest.by_ref() {
                    if head.width() + c.to_string().width() > width {
                        out.push(std::mem::take(&mut head));
                    }
                    head.push(c);
                }
                word = head;
            }
        }
        out.push(line);
    }
    out
}

/// A message in a panel (loading, empty states).
fn message(frame: &mut Frame, area: Rect, heading: &str, text: &str) {
    let block = panel(heading);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = wrap(text, inner.width.saturating_sub(2) as usize)
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), dim()))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "Mes quiz" (all of them, or those of one course; see [`ListSpec`]).
pub(crate) struct MyQuizzes {
    course: Option<(i64, Safe)>,
}

impl MyQuizzes {
    /// Whether `q` is listed (every quiz, or those of the course asked for).
    fn keeps(&self, q: &MyQuiz) -> bool {
        self.course.as_ref().is_none_or(|(c, _)| q.course_id == *c)
    }

    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self { course: None })
    }

    /// The quizzes of one of the student's courses.
    pub(crate) fn of_course(course: i64, title: &str) -> ListScreen<Self> {
        ListScreen::of(Self {
            course: Some((course, Safe::line(title))),
        })
    }
}

fn attempts_text(ctx: &Ctx, q: &MyQuiz) -> String {
    match q.max_attempts {
        Some(m) => format!("{}/{m}", q.attempts_used),
        None => tf(
            ctx.lang,
            Key::QtAttemptsUnlimited,
            &[&q.attempts_used.to_string()],
        ),
    }
}

impl ListSpec for MyQuizzes {
    type Item = MyQuiz;
    const TITLE: Key = Key::QtMenuMyQuizzes;
    const HINTS: Key = Key::QtHintMyQuizzes;
    const HELP: Key = Key::QtHelpMyQuizzes;
    const COLUMNS: &'static [Column<MyQuiz>] = &[
        column(Key::FieldTitle, 14, |_, q| Safe::line(&q.title)),
        column(Key::QtStatus, 17, |ctx, q| {
            portail::present::quiz_status(ctx.lang, q).into()
        }),
        column(Key::QtBest, 8, |ctx, q| pct(ctx, q.best_percent).into()),
        column(Key::QtAttempts, 10, |ctx, q| attempts_text(ctx, q).into()),
        column(Key::QtKind, 17, |ctx, q| ctx.label(q.kind).into()),
        column(Key::EntCourse, 20, |_, q| Safe::line(&q.course_title)),
    ];

    fn heading(&self, ctx: &Ctx) -> String {
        match &self.course {
            Some((_, t)) => tf(ctx.lang, Key::QtQuizzesOf, &[t]),
            None => ctx.t(Key::QtMenuMyQuizzes).to_string(),
        }
    }

    fn search_text(&self, q: &MyQuiz) -> String {
        format!("{} {}", q.title, q.course_title)
    }

    loads!(Query::MyQuizzes, Data::MyQuizzes, Self::keeps);

    fn key(&mut self, k: Keyed<'_, MyQuiz>) -> Step {
        let Keyed { ctx, key, sel, .. } = k;
        match key.code {
            KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => {
                let Some(q) = sel else {
                    return Nav::Stay.into();
                };
                match q.availability {
                    // A timed quiz asks first: the clock starts with the attempt.
                    QuizAvailability::Open if q.time_limit_minutes.is_some() => {
                        Nav::Push(Screen::view(AttemptScreen::asking(ctx, q)))
                    }
                    QuizAvailability::Open | QuizAvailability::InProgress => {
                        Nav::Push(Screen::view(AttemptScreen::new(q)))
                    }
                    // Nothing more to take: the last result, with the reason.
                    other if q.attempts_used > 0 => {
                        ctx.flash = Some(
                            ctx.t(match other {
                                QuizAvailability::Closed => Key::QtCannotClosed,
                                _ => Key::QtCannotNoAttempts,
                            })
                            .to_string(),
                        );
                        Nav::Push(Screen::view(AttemptScreen::past(q)))
                    }
                    other => {
                        ctx.flash = Some(
                            ctx.t(match other {
                                QuizAvailability::NotYetOpen => Key::QtCannotNotYetOpen,
                                QuizAvailability::Closed => Key::QtCannotClosed,
                                _ => Key::QtCannotNoAttempts,
                            })
                            .to_string(),
                        );
                        Nav::Stay
                    }
                }
            }
            KeyCode::Char('r') => match sel {
                Some(q) if q.attempts_used > 0 => Nav::Push(Screen::view(AttemptScreen::past(q))),
                Some(_) => {
                    ctx.flash = Some(ctx.t(Key::QtNoAttemptYet).to_string());
                    Nav::Stay
                }
                None => Nav::Stay,
            },
            _ => Nav::Stay,
        }
        .into()
    }

    fn empty(&self) -> Option<Key> {
        Some(Key::QtMyQuizzesEmpty)
    }

    fn detail(&self, ctx: &Ctx, q: &MyQuiz) -> Option<Detail> {
        let limit = match q.time_limit_minutes {
            Some(m) => tf(ctx.lang, Key::QtMinutes, &[&m.to_string()]),
            None => ctx.t(Key::QtNoTimeLimit).to_string(),
        };
        let mut lines = vec![
            Line::from(format!(
                " {} · {} · {}",
                ctx.label(q.kind),
                tf(
                    ctx.lang,
                    Key::QtQuestionsN,
                    &[&q.question_count.to_string()]
                ),
                limit
            )),
            Line::from(format!(
                " {} · {} {}",
                tf(ctx.lang, Key::QtPassMark, &[&q.pass_percent.to_string()]),
                ctx.t(Key::QtAttempts),
                attempts_text(ctx, q)
            )),
        ];
        let (o, c) = (when(ctx, q.opens_at), when(ctx, q.closes_at));
        match (q.opens_at, q.closes_at) {
            (Some(_), Some(_)) => lines.push(Line::from(format!(
                " {}",
                tf(ctx.lang, Key::SpFromTo, &[&o, &c])
            ))),
            (Some(_), None) => {
                lines.push(Line::from(format!(" {}", tf(ctx.lang, Key::SpFrom, &[&o]))))
            }
            (None, Some(_)) => lines.push(Line::from(format!(
                " {}",
                tf(ctx.lang, Key::SpUntil, &[&c])
            ))),
            (None, None) => {}
        }
        if q.extra_attempts > 0 || q.extra_minutes > 0 {
            lines.push(Line::from(format!(
                " {}",
                tf(
                    ctx.lang,
                    Key::QtExtraGiven,
                    &[&portail::present::quiz_allowance(
                        ctx.lang,
                        q.extra_attempts,
                        q.extra_minutes
                    )]
                )
            )));
        }
        if q.best_percent.is_some() {
            lines.push(Line::from(vec![
                Span::raw(format!(
                    " {} {} · {} {} · ",
                    ctx.t(Key::QtBest),
                    pct(ctx, q.best_percent),
                    ctx.t(Key::QtLast),
                    pct(ctx, q.last_percent)
                )),
                if q.passed {
                    Span::styled(ctx.t(Key::QtPassed), title())
                } else {
                    Span::styled(ctx.t(Key::QtNotPassed), error())
                },
            ]));
        }
        Some(Detail {
            height: 6,
            title: Safe::line(&q.title),
            lines,
        })
    }
}

/// What the attempt screen waits for (one command at a time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    Start,
    Save(i64),
    Submit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Questions,
    Review,
    Result,
}

/// An attempt, from its start (or resumption) to its result.
pub(crate) struct AttemptScreen {
    quiz: i64,
    title: String,
    pass_percent: u8,
    view: Option<AttemptView>,
    /// The answers as the student gave them, by question id.
    answers: BTreeMap<i64, Answer>,
    /// Typed answers being edited, by question id.
    texts: BTreeMap<i64, TextField>,
    /// Typed answers changed since they were last queued.
    text_dirty: BTreeSet<i64>,
    /// Current question, and option within it.
    q: usize,
    opt: usize,
    mode: Mode,
    review: usize,
    dialog: Option<Dialog<()>>,
    /// Answers to save, the latest per question.
    queue: BTreeMap<i64, Option<Answer>>,
    /// Answers the server refused (shown as not saved).
    unsaved: BTreeSet<i64>,
    waiting: Option<Wait>,
    submit_wanted: bool,
    time_up: bool,
    result: Option<AttemptResult>,
    /// Why the attempt could not start or be handed in.
    failure: Option<String>,
    started: bool,
    /// Shows the last submitted attempt instead of taking the quiz.
    past: bool,
    /// A timed quiz: "start now?" (time limit, attempts left), asked before the clock
    /// starts; no attempt exists until the answer is yes.
    asking: Option<Dialog<()>>,
    scroll: Cell<u16>,
}

impl AttemptScreen {
    pub(crate) fn new(q: &MyQuiz) -> Self {
        Self {
            quiz: q.id,
            title: Safe::line(&q.title).into_string(),
            pass_percent: q.pass_percent,
            view: None,
            answers: BTreeMap::new(),
            texts: BTreeMap::new(),
            text_dirty: BTreeSet::new(),
            q: 0,
            opt: 0,
            mode: Mode::Questions,
            review: 0,
            dialog: None,
            queue: BTreeMap::new(),
            unsaved: BTreeSet::new(),
            waiting: None,
            submit_wanted: false,
            time_up: false,
            result: None,
            failure: None,
            started: false,
            past: false,
            asking: None,
            scroll: Cell::new(0),
        }
    }

    /// A timed quiz not started yet: asks before starting the clock, saying the time
    /// limit and the attempts left.
    pub(crate) fn asking(ctx: &Ctx, q: &MyQuiz) -> Self {
        let left = match q.max_attempts {
            None => ctx.t(Key::QtLeftUnlimited).to_string(),
            Some(m) => match (i64::from(m) - q.attempts_used).max(0) {
                1 => ctx.t(Key::QtLeft1).to_string(),
                n => tf(ctx.lang, Key::QtLeftN, &[&n.to_string()]),
            },
        };
        let text = tf(
            ctx.lang,
            Key::QtStartTimed,
            &[&q.time_limit_minutes.unwrap_or(0).to_string(), &left],
        );
        Self {
            asking: Some(Dialog::confirm(ctx, ctx.t(Key::QtStartTitle), text, ())),
            ..Self::new(q)
        }
    }

    /// The last result of a quiz already taken (no new attempt).
    pub(crate) fn past(q: &MyQuiz) -> Self {
        Self {
            started: true,
            past: true,
            ..Self::new(q)
        }
    }

    fn questions(&self) -> &[StudentQuestion] {
        self.view.as_ref().map_or(&[], |v| v.questions.as_slice())
    }

    fn current(&self) -> Option<&StudentQuestion> {
        self.questions().get(self.q)
    }

    fn options(q: &StudentQuestion) -> usize {
        match q.kind {
            QuestionKind::Single | QuestionKind::Multiple => q.choices.len().max(1),
            QuestionKind::TrueFalse => 2,
            QuestionKind::Short => 1,
        }
    }

    fn typing(&self) -> bool {
        self.mode == Mode::Questions
            && self.dialog.is_none()
            && !self.time_up
            && self.result.is_none()
            && self
                .current()
                .is_some_and(|q| q.kind == QuestionKind::Short)
    }

    fn answered(&self, id: i64) -> bool {
        match self.answers.get(&id) {
            Some(Answer::Choices(c)) => !c.is_empty(),
            Some(Answer::Text(t)) => !t.trim().is_empty(),
            Some(Answer::Bool(_)) => true,
            None => false,
        }
    }

    fn unanswered(&self) -> Vec<usize> {
        self.questions()
            .iter()
            .enumerate()
            .filter(|(_, q)| !self.answered(q.id))
            .map(|(i, _)| i + 1)
            .collect()
    }

    /// Seconds left, rounded up: zero only once the deadline has passed.
    fn remaining(&self, ctx: &Ctx) -> Option<i64> {
        let d = self.view.as_ref()?.deadline?;
        let ms = (d - ctx.now).num_milliseconds().max(0);
        Some((ms + 999) / 1000)
    }

    /// Whether the server's deadline has passed (the server grades the attempt as timed
    /// out then, with the answers saved before it).
    fn deadline_passed(&self, ctx: &Ctx) -> bool {
        self.view
            .as_ref()
            .and_then(|v| v.deadline)
            .is_some_and(|d| ctx.now >= d)
    }

    fn attempt_id(&self) -> Option<i64> {
        self.view.as_ref().map(|v| v.attempt_id)
    }

    /// Records an answer and queues its saving.
    fn set(&mut self, id: i64, answer: Option<Answer>, out: &mut Vec<Command>) {
        match &answer {
            Some(a) => self.answers.insert(id, a.clone()),
            None => self.answers.remove(&id),
        };
        self.unsaved.remove(&id);
        self.queue.insert(id, answer);
        self.pump(out);
    }

    /// Queues the typed answers changed since last time.
    fn flush_texts(&mut self, out: &mut Vec<Command>) {
        let dirty = std::mem::take(&mut self.text_dirty);
        for id in dirty {
            let v = self.texts.get(&id).map(|t| t.value()).unwrap_or_default();
            let a = (!v.trim().is_empty()).then_some(Answer::Text(v));
            self.set(id, a, out);
        }
    }

    /// Sends the next save, or the submission once everything is saved.
    fn pump(&mut self, out: &mut Vec<Command>) {
        let Some(attempt) = self.attempt_id() else {
            return;
        };
        if self.waiting.is_some() {
            return;
        }
        if let Some((&id, _)) = self.queue.iter().next() {
            let answer = self.queue.remove(&id).flatten();
            self.waiting = Some(Wait::Save(id));
            out.push(Command::Run(Action::SaveAnswer {
                attempt,
                question: id,
                answer,
            }));
            return;
        }
        if self.submit_wanted {
            self.submit_wanted = false;
            self.waiting = Some(Wait::Submit);
            out.push(Command::Run(Action::SubmitAttempt(attempt)));
        }
    }

    fn goto(&mut self, q: usize, out: &mut Vec<Command>) {
        self.flush_texts(out);
        let n = self.questions().len();
        if n > 0 {
            self.q = q.min(n - 1);
            self.opt = 0;
        }
    }

    fn choose(&mut self, opt: usize, out: &mut Vec<Command>) {
        let Some(q) = self.current() else { return };
        let id = q.id;
        let answer = match q.kind {
            QuestionKind::Single => {
                let Some(c) = q.choices.get(opt) else { return };
                Some(Answer::Choices(vec![c.index]))
            }
            QuestionKind::Multiple => {
                let Some(c) = q.choices.get(opt) else { return };
                let mut set: BTreeSet<usize> = match self.answers.get(&id) {
                    Some(Answer::Choices(v)) => v.iter().copied().collect(),
                    _ => BTreeSet::new(),
                };
                if !set.remove(&c.index) {
                    set.insert(c.index);
                }
                (!set.is_empty()).then(|| Answer::Choices(set.into_iter().collect()))
            }
            QuestionKind::TrueFalse => Some(Answer::Bool(opt == 0)),
            QuestionKind::Short => return,
        };
        self.opt = opt;
        self.set(id, answer, out);
    }

    /// Moves the cursor by one option, flowing into the next / previous question.
    fn step(&mut self, down: bool, out: &mut Vec<Command>) {
        let n = self.questions().len();
        let Some(q) = self.current() else { return };
        let len = Self::options(q);
        if down {
            if self.opt + 1 < len {
                self.opt += 1;
            } else if self.q + 1 < n {
                self.goto(self.q + 1, out);
            }
        } else if self.opt > 0 {
            self.opt -= 1;
        } else if self.q > 0 {
            self.goto(self.q - 1, out);
            self.opt = self.current().map_or(0, |q| Self::options(q) - 1);
        }
    }

    fn leave(&mut self, out: &mut Vec<Command>) -> Nav {
        self.flush_texts(out);
        // Whatever is still queued goes now: the screen will not see the answers.
        if let Some(attempt) = self.attempt_id()
            && !self.time_up
        {
            for (id, answer) in std::mem::take(&mut self.queue) {
                out.push(Command::Run(Action::SaveAnswer {
                    attempt,
                    question: id,
                    answer,
                }));
            }
        }
        Nav::Pop
    }

    fn review_or_confirm(&mut self, ctx: &Ctx, out: &mut Vec<Command>) {
        self.flush_texts(out);
        if self.mode == Mode::Review {
            let missing = self.unanswered();
            let text = if missing.is_empty() {
                ctx.t(Key::QtConfirmAll).to_string()
            } else {
                tf(
                    ctx.lang,
                    Key::QtConfirmMissing,
                    &[&missing.len().to_string()],
                )
            };
            self.dialog = Some(Dialog::confirm(ctx, ctx.t(Key::QtSubmit), text, ()));
        } else {
            self.mode = Mode::Review;
            self.review = self.unanswered().first().map_or(0, |n| n - 1);
        }
    }

    fn question_key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        let n = self.questions().len();
        let Some(q) = self.current() else {
            return if is_back(&key) { Nav::Pop } else { Nav::Stay };
        };
        let id = q.id;
        let kind = q.kind;
        match key.code {
            KeyCode::Char('s') if ctrl => self.review_or_confirm(ctx, out),
            KeyCode::Tab if shift => self.goto(self.q.saturating_sub(1), out),
            KeyCode::Tab | KeyCode::PageDown => {
                if self.q + 1 < n {
                    self.goto(self.q + 1, out);
                } else {
                    self.review_or_confirm(ctx, out);
                }
            }
            KeyCode::PageUp => self.goto(self.q.saturating_sub(1), out),
            KeyCode::Esc => return self.leave(out),
            KeyCode::Up if kind == QuestionKind::Short => self.step(false, out),
            KeyCode::Down if kind == QuestionKind::Short => self.step(true, out),
            KeyCode::Enter if kind == QuestionKind::Short => {
                if self.q + 1 < n {
                    self.goto(self.q + 1, out);
                } else {
                    self.review_or_confirm(ctx, out);
                }
            }
            _ if kind == QuestionKind::Short => {
                let field = self
                    .texts
                    .entry(id)
                    .or_insert_with(|| TextField::new(MAX_TEXT_ANSWER));
                if field.key(key) {
                    self.text_dirty.insert(id);
                }
            }
            KeyCode::Up | KeyCode::Char('k') => self.step(false, out),
            KeyCode::Down | KeyCode::Char('j') => self.step(true, out),
            KeyCode::Right | KeyCode::Char('l' | 'n') if self.q + 1 < n => {
                self.goto(self.q + 1, out)
            }
            KeyCode::Left | KeyCode::Char('h' | 'p') => self.goto(self.q.saturating_sub(1), out),
            KeyCode::Char(' ' | 'x') | KeyCode::Enter => self.choose(self.opt, out),
            KeyCode::Char(c @ '1'..='9') => {
                let i = c as usize - '1' as usize;
                if i < Self::options(q) {
                    self.choose(i, out);
                }
            }
            KeyCode::Char('v' | 'r') => self.review_or_confirm(ctx, out),
            KeyCode::Backspace | KeyCode::Delete => self.set(id, None, out),
            _ => {}
        }
        Nav::Stay
    }

    // --- rendering ---

    fn status_line(&self, ctx: &Ctx, width: u16) -> Line<'static> {
        let n = self.questions().len();
        let done = n - self.unanswered().len();
        let mut spans = vec![Span::styled(
            format!(
                " {} · {}",
                tf(
                    ctx.lang,
                    Key::QtQuestionOf,
                    &[&(self.q + 1).to_string(), &n.to_string()]
                ),
                tf(ctx.lang, Key::QtAnsweredN, &[&done.to_string()])
            ),
            dim(),
        )];
        if let Some(left) = self.remaining(ctx) {
            let style = if left < 60 { error() } else { title() };
            let text = format!(" · ⏱ {}", clock(left));
            let used: usize = spans.iter().map(|s| s.content.width()).sum();
            if used + text.width() > width as usize {
                // Narrow: the clock wins over the counts.
                spans = vec![Span::styled(format!(" {}/{n}", self.q + 1), dim())];
            }
            spans.push(Span::styled(text, style));
        }
        let saving =
            self.waiting.is_some() || !self.queue.is_empty() || !self.text_dirty.is_empty();
        let (mark, style) = if !self.unsaved.is_empty() {
            (ctx.t(Key::QtNotSaved), error())
        } else if saving {
            (ctx.t(Key::QtSaving), dim())
        } else {
            (ctx.t(Key::QtSaved), dim())
        };
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        if used + mark.width() + 3 <= width as usize {
            spans.push(Span::styled(format!(" · {mark}"), style));
        }
        Line::from(spans)
    }

    /// The lines of one question; returns them with the line of the focused option.
    fn question_lines(
        &self,
        ctx: &Ctx,
        index: usize,
        width: usize,
        lines: &mut Vec<Line<'static>>,
    ) -> Option<(usize, u16)> {
        let q = &self.questions()[index];
        let focused = index == self.q;
        let points = tf(
            ctx.lang,
            if q.points > 1.0 {
                Key::QtPoints
            } else {
                Key::QtPoint
            },
            &[&num(ctx, q.points)],
        );
        let mark = if self.answered(q.id) { "✓" } else { "•" };
        let mut head = format!("{mark} {}. ", index + 1);
        if let Some(t) = q.title.as_deref().filter(|t| !t.trim().is_empty()) {
            head.push_str(&Safe::line(t));
            head.push_str(" · ");
        }
        head.push_str(&points);
        let kind_hint = ctx.t(match q.kind {
            QuestionKind::Single => Key::QtOneAnswer,
            QuestionKind::Multiple => Key::QtSeveralAnswers,
            QuestionKind::TrueFalse => Key::QtTrueOrFalse,
            QuestionKind::Short => Key::QtTypeAnswer,
        });
        lines.push(Line::styled(
            truncate(&head, width),
            if focused { title() } else { dim() },
        ));
        for l in wrap(&q.text, width.saturating_sub(2)) {
            lines.push(Line::from(format!("  {l}")));
        }
        lines.push(Line::styled(format!("  {kind_hint}"), dim()));
        let mut focus = None;
        let mut option = |i: usize, label: String, chosen: bool, multi: bool| {
            let boxed = match (multi, chosen) {
                (true, true) => "[x]",
                (true, false) => "[ ]",
                (false, true) => "(•)",
                (false, false) => "( )",
            };
            let here = focused && i == self.opt && self.mode == Mode::Questions;
            let prefix = format!("{} {boxed} ", if here { "›" } else { " " });
            let pw = prefix.width();
            let style = if here {
                selected()
            } else if chosen {
                title()
            } else {
                Style::default()
            };
            if here {
                focus = Some((lines.len(), 0));
            }
            for (j, l) in wrap(&label, width.saturating_sub(pw))
                .into_iter()
                .enumerate()
            {
                let p = if j == 0 {
                    prefix.clone()
                } else {
                    " ".repeat(pw)
                };
                lines.push(Line::styled(format!("{p}{l}"), style));
            }
        };
        let given = self.answers.get(&q.id);
        match q.kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                let multi = q.kind == QuestionKind::Multiple;
                for (i, c) in q.choices.iter().enumerate() {
                    let chosen = matches!(given, Some(Answer::Choices(v)) if v.contains(&c.index));
                    option(i, format!("{}. {}", i + 1, c.text), chosen, multi);
                }
            }
            QuestionKind::TrueFalse => {
                option(
                    0,
                    ctx.t(Key::QtTrue).to_string(),
                    given == Some(&Answer::Bool(true)),
                    false,
                );
                option(
                    1,
                    ctx.t(Key::QtFalse).to_string(),
                    given == Some(&Answer::Bool(false)),
                    false,
                );
            }
            QuestionKind::Short => {
                let field = self.texts.get(&q.id);
                let w = width.saturating_sub(4);
                let (text, cur) = match field {
                    Some(f) => f.visible(w),
                    None => (String::new(), 0),
                };
                let shown = if text.is_empty() && !focused {
                    ctx.t(Key::QtNoAnswerYet).to_string()
                } else {
                    text
                };
                if focused {
                    focus = Some((lines.len(), 4 + cur as u16));
                }
                lines.push(Line::from(vec![
                    Span::styled(if focused { "  › " } else { "    " }, title()),
                    Span::styled(
                        shown,
                        if focused {
                            Style::default().add_modifier(ratatui::style::Modifier::UNDERLINED)
                        } else {
                            dim()
                        },
                    ),
                ]));
            }
        }
        if self.unsaved.contains(&q.id) {
            lines.push(Line::styled(
                format!("  ⚠ {}", ctx.t(Key::QtNotSaved)),
                error(),
            ));
        }
        focus
    }

    fn render_questions(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let block = panel(&self.title);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 3 || self.questions().is_empty() {
            if self.questions().is_empty() && inner.height > 0 {
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        format!(" {}", ctx.t(Key::QtNoQuestion)),
                        dim(),
                    )),
                    inner,
                );
            }
            return;
        }
        let [status, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        frame.render_widget(Paragraph::new(self.status_line(ctx, status.width)), status);
        let width = body.width.saturating_sub(1) as usize;
        let mut lines: Vec<Line<'static>> = Vec::new();
        let mut focus = None;
        let mut head = 0;
        if body.width + 2 >= WIDE {
            for i in 0..self.questions().len() {
                if i == self.q {
                    head = lines.len();
                }
                let f = self.question_lines(ctx, i, width, &mut lines);
                if i == self.q {
                    focus = f;
                }
                lines.push(Line::from(""));
            }
        } else {
            focus = self.question_lines(ctx, self.q, width, &mut lines);
            lines.push(Line::from(""));
            for l in wrap(ctx.t(Key::QtNarrowNav), width.saturating_sub(1)) {
                lines.push(Line::styled(format!(" {l}"), dim()));
            }
        }
        // Keep the focused option in view, with its question's heading when it fits.
        let h = body.height as usize;
        let mut top = self.scroll.get() as usize;
        if let Some((line, _)) = focus {
            if line < top {
                top = line;
            }
            if line >= top + h {
                top = line + 1 - h;
            }
            if head < top && line - head < h {
                top = head;
            }
        }
        top = top.min(lines.len().saturating_sub(h));
        self.scroll.set(top as u16);
        let visible: Vec<Line> = lines.into_iter().skip(top).take(h).collect();
        frame.render_widget(Paragraph::new(visible), body);
        if self.typing()
            && let Some((line, col)) = focus
            && line >= top
            && line < top + h
        {
            frame.set_cursor_position(Position::new(
                body.x + col.min(body.width.saturating_sub(1)),
                body.y + (line - top) as u16,
            ));
        }
        if self.time_up {
            crate::components::dialog::render_popup(
                frame,
                area,
                ctx.t(Key::QtTimeUpTitle),
                ctx.t(Key::QtTimeUpText),
                ctx.t(Key::QtGrading),
            );
        } else if self.waiting == Some(Wait::Submit) {
            crate::components::dialog::render_popup(
                frame,
                area,
                ctx.t(Key::QtSubmit),
                ctx.t(Key::QtGrading),
                "",
            );
        }
    }

    fn render_review(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let heading = tf(ctx.lang, Key::QtReviewTitle, &[&self.title]);
        let block = panel(&heading);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 3 {
            return;
        }
        let missing = self.unanswered();
        let summary = if missing.is_empty() {
            ctx.t(Key::QtAllAnswered).to_string()
        } else {
            tf(
                ctx.lang,
                Key::QtUnansweredList,
                &[&missing
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")],
            )
        };
        let mut top_lines: Vec<Line> = wrap(&summary, inner.width.saturating_sub(2) as usize)
            .into_iter()
            .map(|l| {
                Line::styled(
                    format!(" {l}"),
                    if missing.is_empty() { title() } else { error() },
                )
            })
            .collect();
        if let Some(left) = self.remaining(ctx) {
            top_lines.push(Line::styled(
                format!(" ⏱ {}", clock(left)),
                if left < 60 { error() } else { title() },
            ));
        }
        let top_h = (top_lines.len() as u16).min(inner.height / 2);
        let [top, list] =
            Layout::vertical([Constraint::Length(top_h), Constraint::Min(1)]).areas(inner);
        frame.render_widget(Paragraph::new(top_lines), top);
        let width = list.width.saturating_sub(2) as usize;
        let h = list.height as usize;
        let qs = self.questions();
        let start = if self.review >= h {
            self.review + 1 - h
        } else {
            0
        };
        let rows: Vec<Line> = qs
            .iter()
            .enumerate()
            .skip(start)
            .take(h)
            .map(|(i, q)| {
                let state = if self.answered(q.id) {
                    format!("✓ {}", self.given_text(ctx, q))
                } else {
                    format!("— {}", ctx.t(Key::QtUnanswered))
                };
                let text = Safe::line(&q.text).into_string();
                let line = format!("{}. {}", i + 1, text);
                let state_w = state.width().min(width / 2);
                let text_w = width.saturating_sub(state_w + 1);
                let left = truncate(&line, text_w);
                let pad = " ".repeat(text_w.saturating_sub(left.width()));
                let s = format!("{left}{pad} {}", truncate(&state, state_w));
                if i == self.review {
                    Line::styled(format!("› {s}"), selected())
                } else if self.answered(q.id) {
                    Line::from(format!("  {s}"))
                } else {
                    Line::styled(format!("  {s}"), error())
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(rows), list);
        let below = qs.len().saturating_sub(start + h);
        crate::theme::scroll_marks(frame, ctx, area, start, below);
        if let Some(d) = &self.dialog {
            d.render(frame, area);
        } else if self.waiting == Some(Wait::Submit) || self.time_up {
            crate::components::dialog::render_popup(
                frame,
                area,
                ctx.t(if self.time_up {
                    Key::QtTimeUpTitle
                } else {
                    Key::QtSubmit
                }),
                ctx.t(Key::QtGrading),
                "",
            );
        }
    }

    /// A short description of the answer given to a question (student side).
    fn given_text(&self, ctx: &Ctx, q: &StudentQuestion) -> String {
        match self.answers.get(&q.id) {
            Some(Answer::Choices(v)) => v
                .iter()
                .map(|i| {
                    q.choices
                        .iter()
                        .position(|c| c.index == *i)
                        .map_or_else(|| "?".to_string(), |p| (p + 1).to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
            Some(Answer::Bool(b)) => ctx.t(if *b { Key::QtTrue } else { Key::QtFalse }).into(),
            Some(Answer::Text(t)) => format!("« {} »", Safe::line(t)),
            None => String::new(),
        }
    }

    fn result_lines(&self, ctx: &Ctx, r: &AttemptResult) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if r.timed_out {
            lines.push(Line::styled(
                format!(" {}", ctx.t(Key::QtTimedOut)),
                error(),
            ));
        }
        lines.push(Line::from(vec![
            Span::raw(format!(" {} ", ctx.t(Key::QtScore))),
            Span::styled(
                format!(
                    "{} / {} ({})",
                    num(ctx, r.score),
                    num(ctx, r.max_score),
                    pct(ctx, Some(r.percent))
                ),
                title(),
            ),
        ]));
        lines.push(if r.passed {
            Line::styled(
                format!(
                    " ✓ {} ({})",
                    ctx.t(Key::QtPassed),
                    tf(ctx.lang, Key::QtPassMark, &[&self.pass_percent.to_string()])
                ),
                title(),
            )
        } else {
            Line::styled(
                format!(
                    " ✗ {} ({})",
                    ctx.t(Key::QtNotPassed),
                    tf(ctx.lang, Key::QtPassMark, &[&self.pass_percent.to_string()])
                ),
                error(),
            )
        });
        lines.push(Line::from(""));
        if r.corrections.is_empty() {
            lines.push(Line::styled(
                format!(" {}", ctx.t(Key::QtNoCorrections)),
                dim(),
            ));
            return lines;
        }
        lines.push(Line::styled(
            format!(" {}", ctx.t(Key::QtCorrections)),
            title(),
        ));
        for (i, c) in r.corrections.iter().enumerate() {
            self.correction_lines(ctx, i, c, &mut lines);
        }
        lines
    }

    fn correction_lines(
        &self,
        ctx: &Ctx,
        i: usize,
        c: &QuestionCorrection,
        lines: &mut Vec<Line<'static>>,
    ) {
        let q = self.questions().iter().find(|q| q.id == c.question_id);
        let text = c
            .expected
            .as_ref()
            .map(|e| e.text.clone())
            .or_else(|| q.map(|q| q.text.clone()))
            .unwrap_or_default();
        let full = c.earned >= c.points && c.points > 0.0;
        let mark = if full {
            "✓"
        } else if c.earned > 0.0 {
            "≈"
        } else {
            "✗"
        };
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {mark} {}. ", i + 1),
                if full { title() } else { error() },
            ),
            Span::raw(Safe::line(&text).into_string()),
            Span::styled(
                format!(" — {} / {}", num(ctx, c.earned), num(ctx, c.points)),
                dim(),
            ),
        ]));
        let given = answer_text(ctx, c.given.as_ref(), c.expected.as_ref(), q);
        lines.push(Line::from(vec![
            Span::styled(format!("   {} ", ctx.t(Key::QtYourAnswer)), dim()),
            Span::raw(given),
        ]));
        if let Some(e) = &c.expected {
            lines.push(Line::from(vec![
                Span::styled(format!("   {} ", ctx.t(Key::QtExpected)), dim()),
                Span::raw(expected_text(ctx, e)),
            ]));
            // Feedback of the choices the student picked, then the question's.
            if let Some(Answer::Choices(v)) = &c.given {
                for idx in v {
                    if let Some(f) = e.choices.get(*idx).and_then(|ch| ch.feedback.as_deref()) {
                        lines.push(Line::styled(format!("   » {}", Safe::line(f)), dim()));
                    }
                }
            }
            if let Some(f) = e.feedback.as_deref().filter(|f| !f.trim().is_empty()) {
                lines.push(Line::styled(format!("   » {}", Safe::line(f)), dim()));
            }
        }
    }
}

/// The student's answer in words.
fn answer_text(
    ctx: &Ctx,
    given: Option<&Answer>,
    expected: Option<&QuestionDraft>,
    q: Option<&StudentQuestion>,
) -> String {
    match given {
        None => ctx.t(Key::QtUnanswered).to_string(),
        Some(Answer::Bool(b)) => ctx.t(if *b { Key::QtTrue } else { Key::QtFalse }).into(),
        Some(Answer::Text(t)) => format!("« {} »", Safe::line(t)),
        Some(Answer::Choices(v)) if v.is_empty() => ctx.t(Key::QtUnanswered).to_string(),
        Some(Answer::Choices(v)) => v
            .iter()
            .map(|i| {
                let text = expected
                    .and_then(|e| e.choices.get(*i).map(|c| c.text.clone()))
                    .or_else(|| {
                        q.and_then(|q| q.choices.iter().find(|c| c.index == *i))
                            .map(|c| c.text.clone())
                    })
                    .unwrap_or_else(|| "?".into());
                Safe::line(&text).into_string()
            })
            .collect::<Vec<_>>()
            .join(" ; "),
    }
}

/// The right answer in words.
fn expected_text(ctx: &Ctx, e: &QuestionDraft) -> String {
    match e.kind {
        QuestionKind::TrueFalse => ctx
            .t(if e.answer == Some(true) {
                Key::QtTrue
            } else {
                Key::QtFalse
            })
            .into(),
        QuestionKind::Short => e
            .accepted
            .iter()
            .map(|a| format!("« {} »", Safe::line(a)))
            .collect::<Vec<_>>()
            .join(" / "),
        QuestionKind::Single | QuestionKind::Multiple => e
            .choices
            .iter()
            .filter(|c| c.credit > 0)
            .map(|c| {
                if e.kind == QuestionKind::Multiple || c.credit < 100 {
                    format!("{} ({} %)", Safe::line(&c.text), c.credit)
                } else {
                    Safe::line(&c.text).into_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ; "),
    }
}

impl View for AttemptScreen {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if let Some(d) = &self.asking {
            return match d.key(&key) {
                Reply::Yes => {
                    self.asking = None;
                    self.enter(out);
                    Nav::Stay
                }
                Reply::No => Nav::Pop,
                _ => Nav::Stay,
            };
        }
        if self.result.is_some() {
            if scroll_key(&key, &self.scroll) {
                return Nav::Stay;
            }
            return if is_back(&key) || key.code == KeyCode::Enter {
                Nav::Pop
            } else {
                Nav::Stay
            };
        }
        if self.view.is_none() || self.failure.is_some() && self.mode != Mode::Questions {
            return if is_back(&key) { Nav::Pop } else { Nav::Stay };
        }
        // Handing in (or time up): wait for the grading.
        if self.time_up || self.waiting == Some(Wait::Submit) || self.submit_wanted {
            return Nav::Stay;
        }
        if let Some(d) = &self.dialog {
            match d.key(&key) {
                Reply::Yes => {
                    self.dialog = None;
                    self.submit_wanted = true;
                    self.flush_texts(out);
                    self.pump(out);
                }
                Reply::No => self.dialog = None,
                _ => {}
            }
            return Nav::Stay;
        }
        match self.mode {
            Mode::Questions => self.question_key(ctx, key, out),
            Mode::Review => {
                let n = self.questions().len();
                if let Some(i) = list_move(&key, self.review, n) {
                    self.review = i;
                    return Nav::Stay;
                }
                let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
                match key.code {
                    KeyCode::Enter => {
                        self.mode = Mode::Questions;
                        self.goto(self.review, out);
                    }
                    KeyCode::Char('s') if ctrl => self.review_or_confirm(ctx, out),
                    KeyCode::Char('s' | 'v' | 'r') => self.review_or_confirm(ctx, out),
                    _ if is_back(&key) => self.mode = Mode::Questions,
                    _ => {}
                }
                Nav::Stay
            }
            Mode::Result => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        if let Some(r) = &self.result {
            let heading = tf(ctx.lang, Key::QtResultTitle, &[&self.title]);
            render_scrolled(
                frame,
                area,
                &heading,
                self.result_lines(ctx, r),
                &self.scroll,
            );
            return;
        }
        if let Some(d) = &self.asking {
            message(frame, area, &self.title, "");
            d.render(frame, area);
            return;
        }
        if self.view.is_none() {
            let text = self
                .failure
                .clone()
                .unwrap_or_else(|| ctx.t(Key::SpLoading).to_string());
            return message(frame, area, &self.title, &text);
        }
        match self.mode {
            Mode::Review => self.render_review(frame, ctx, area),
            _ => self.render_questions(frame, ctx, area),
        }
        if self.mode == Mode::Questions
            && let Some(d) = &self.dialog
        {
            d.render(frame, area);
        }
    }

    fn hints(&self) -> Key {
        if self.result.is_some() {
            Key::QtHintResult
        } else if self.dialog.is_some() || self.asking.is_some() {
            Key::UiHintConfirm
        } else if self.time_up || self.waiting == Some(Wait::Submit) {
            Key::QtGrading
        } else if self.view.is_none() {
            Key::HintBack
        } else if self.mode == Mode::Review {
            Key::QtHintReview
        } else if self.typing() {
            Key::QtHintTyping
        } else {
            Key::QtHintQuestions
        }
    }

    fn help(&self) -> Key {
        if self.result.is_some() {
            Key::QtHelpResult
        } else if self.mode == Mode::Review {
            Key::QtHelpReview
        } else {
            Key::QtHelpAttempt
        }
    }

    fn captures_text(&self) -> bool {
        self.typing() || self.dialog.is_some() || self.asking.is_some()
    }

    fn paste(&mut self, text: &str) {
        if !self.typing() {
            return;
        }
        if let Some(id) = self.current().map(|q| q.id) {
            self.texts
                .entry(id)
                .or_insert_with(|| TextField::new(MAX_TEXT_ANSWER))
                .insert_str(text);
            self.text_dirty.insert(id);
        }
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        if let Data::MyQuizResults(id, list) = data
            && *id == self.quiz
            && self.past
        {
            match list.iter().max_by_key(|r| (r.submitted_at, r.attempt_id)) {
                Some(r) => {
                    self.result = Some(r.clone());
                    self.mode = Mode::Result;
                }
                None => self.failure = Some(ctx.t(Key::QtNoAttemptYet).to_string()),
            }
        }
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        if self.asking.is_some() {
            return;
        }
        if self.past && self.result.is_none() {
            out.push(Command::Load(Query::MyQuizResults(self.quiz)));
        }
        if !self.started {
            self.started = true;
            self.waiting = Some(Wait::Start);
            out.push(Command::Run(Action::StartAttempt(self.quiz)));
        }
    }

    fn ticking(&self) -> bool {
        self.view.is_some() && self.result.is_none()
    }

    fn tick(&mut self, ctx: &mut Ctx, out: &mut Vec<Command>) {
        if self.result.is_some() || self.view.is_none() {
            return;
        }
        if self.deadline_passed(ctx) && !self.time_up {
            self.time_up = true;
            self.dialog = None;
            // The server refuses answers after the deadline: what is saved is graded.
            self.text_dirty.clear();
            self.queue.clear();
            self.submit_wanted = true;
            self.pump(out);
            return;
        }
        if self.waiting.is_none() {
            self.flush_texts(out);
        }
    }

    fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        out: &mut Vec<Command>,
    ) -> Nav {
        let waited = self.waiting.take();
        match result {
            Ok(Effect::Attempt(v)) => {
                self.answers = v.answers.iter().cloned().collect();
                for (id, a) in &v.answers {
                    if let Answer::Text(t) = a {
                        let mut f = TextField::new(MAX_TEXT_ANSWER);
                        f.insert_str(t);
                        self.texts.insert(*id, f);
                    }
                }
                // Resume at the first unanswered question.
                self.q = v
                    .questions
                    .iter()
                    .position(|q| !self.answers.contains_key(&q.id))
                    .unwrap_or(0);
                self.opt = 0;
                self.view = Some(*v);
                if !self.answers.is_empty() {
                    ctx.flash = Some(ctx.t(Key::QtResumed).to_string());
                }
                self.tick(ctx, out);
            }
            Ok(Effect::Answered(_)) => self.pump(out),
            Ok(Effect::Graded(r)) => {
                self.result = Some(*r);
                self.mode = Mode::Result;
                self.dialog = None;
                self.scroll.set(0);
            }
            Ok(other) => report(ctx, Ok(other)),
            Err(msg) => match waited {
                Some(Wait::Start) | None if self.view.is_none() => {
                    self.failure = Some(msg);
                }
                Some(Wait::Save(id)) => {
                    self.unsaved.insert(id);
                    ctx.flash = Some(msg);
                    // The deadline may have passed: hand in what the server has.
                    if self.deadline_passed(ctx) {
                        self.time_up = true;
                        self.queue.clear();
                        self.submit_wanted = true;
                    }
                    self.pump(out);
                }
                _ => {
                    self.submit_wanted = false;
                    self.time_up = false;
                    ctx.flash = Some(msg);
                }
            },
        }
        Nav::Stay
    }
}
