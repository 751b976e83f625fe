//! Portail's terminal interface: an `App` state machine with no I/O.
//!
//! The session task feeds it [`Input`]s, executes the [`Command`]s it returns through the
//! core services, feeds the results back as [`Outcome`]s and calls [`App::render`] into a
//! ratatui frame. Nothing here knows about SSH or SQL, so every screen is testable with
//! ratatui's `TestBackend`.

mod components;
mod field;
mod markdown;
mod qr;
mod safe;
mod screens;
mod theme;

use portail::User;
use portail::i18n::{Key, Lang, t};
use portail::services::classes::{Class, ClassDeletion, ClassInput, ClassMember};
use portail::services::courses::{Course, CourseDetail, CourseInput};
use portail::services::enrolment::{Assignment, Participant, Target};
use portail::services::learning::{ActivityEntry, MyCourse, MyCourseDetail, ProgressRow};
use portail::services::orgs::{OrgDeletion, OrgInput, Organisation};
use portail::services::profile::Profile;
use portail::services::students::{Student, StudentInput};
use ratatui::Frame;
pub use terminput::{KeyCode, KeyEvent, KeyModifiers};

pub use field::{TextEdit, TextField};
use screens::{Screen, home::HomeScreen, password::PasswordScreen};

/// Messages loaded per page of a thread.
pub const MESSAGE_PAGE: usize = screens::messages::PAGE;

/// Smallest usable terminal (a phone in portrait).
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 15;

/// What the session feeds the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Paste(String),
}

/// Work the app asks the session to do (through the core services).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    ChangePassword {
        current: Option<String>,
        new: String,
    },
    SetLanguage(Lang),
    /// Save a message draft (an empty body deletes it); no answer comes back.
    SaveDraft {
        key: String,
        body: String,
    },
    /// Read something; answered by [`Outcome::Loaded`].
    Load(Query),
    /// Change something; answered by [`Outcome::Ran`].
    Run(Action),
    Quit,
}

/// What a screen reads. Each maps to one service call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Orgs,
    OrgDeletion(i64),
    Classes,
    ClassDeletion(i64),
    ClassMembers(i64),
    Students,
    Student(i64),
    StudentHistory(i64),
    Courses,
    Course(i64),
    Assignments(i64),
    Participants(i64),
    /// The student's own courses ("Mes cours").
    MyCourses,
    /// One of the student's courses, with their progress.
    MyCourse(i64),
    /// Trainer: progress of a class's students × courses.
    ClassProgress(i64),
    /// Trainer: one student's courses with progress, and their recent activity.
    StudentProgress(i64),
    /// The user's own profile (editable fields, locks, photo).
    Profile,
    /// A user's photo as a small preview (the user's own; a trainer: any student's).
    Photo(i64),
    /// Trainer: an organisation's logo as a small preview.
    OrgLogo(i64),
    /// The user's message threads, newest first (with the unread total).
    Threads,
    /// A page of a thread's messages (the latest, or those before a message id); loading
    /// the latest page marks the thread read.
    Thread {
        id: i64,
        before: Option<i64>,
    },
    /// The unread total (the badge).
    Unread,
    /// Messages containing a text.
    SearchMessages(String),
    /// A saved draft by its key.
    Draft(String),
    /// Trainer: the security log (failed and refused logins), newest first.
    SecurityLog,
    /// Trainer: the refusals in force (blocked sources), the longest first.
    BlockedSources,
    /// Trainer: the quizzes of a course (`None`: of every course).
    Quizzes(Option<i64>),
    /// Trainer: a quiz with its questions (and answers).
    Quiz(i64),
    /// Trainer: a quiz's results, with the positioning / final comparison of its course.
    QuizResults(i64),
    /// Trainer: one student's attempts at a quiz, with their answers and allowance.
    QuizStudentAttempts {
        quiz: i64,
        student: i64,
    },
    /// Student: their quizzes ("Mes quiz").
    MyQuizzes,
    /// Student: their submitted attempts at a quiz.
    MyQuizResults(i64),
    /// The organisations' logos the user may be shown, as links: a student's own
    /// organisations (`Some(course)`: those that course came through).
    Logos(Option<i64>),
    /// Trainer: every technical demo.
    Demos,
    /// Student: their technical demos (also what the home screen announces).
    MyDemos,
    /// A technical demo the user may see (the trainer: any; a student: theirs).
    Demo(i64),
    /// A demo on the air, to watch (same visibility as [`Query::Demo`]).
    LiveDemo(i64),
    /// A technical demo's recording, ready to replay (the demo must be visible).
    DemoRecording(i64),
}

/// An organisation's logo as a web link (full URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoLink {
    pub organisation: String,
    pub url: String,
}

pub use portail::services::messaging::{Message, Recipient, ThreadKind, ThreadSummary};

/// A thread with its last message time as shown (in the configured time zone).
#[derive(Debug, Clone)]
pub struct ThreadItem {
    pub summary: ThreadSummary,
    pub when: String,
}

/// A row of the security log with its time as shown (in the configured time zone).
#[derive(Debug, Clone)]
pub struct SecurityItem {
    pub entry: portail::services::security::LoginFailure,
    pub when: String,
}

/// A refusal in force with its end as shown (in the configured time zone).
#[derive(Debug, Clone)]
pub struct BlockedItem {
    pub block: portail::services::security::Block,
    pub until: String,
}

/// Rows of the security log the screen asks for.
pub const SECURITY_ROWS: i64 = screens::security::ROWS;

/// A message with its time as shown (in the configured time zone).
#[derive(Debug, Clone)]
pub struct MessageItem {
    pub message: Message,
    pub when: String,
}

/// The answer to a [`Query`] (ids say which record it is about).
#[derive(Debug, Clone)]
pub enum Data {
    Orgs(Vec<Organisation>),
    OrgDeletion(i64, OrgDeletion),
    Classes(Vec<Class>),
    ClassDeletion(i64, ClassDeletion),
    ClassMembers(i64, Vec<ClassMember>),
    Students(Vec<Student>),
    Student(Box<Student>),
    StudentHistory(i64, bool),
    Courses(Vec<Course>),
    Course(Box<CourseDetail>),
    Assignments(i64, Vec<Assignment>),
    Participants(i64, Vec<Participant>),
    MyCourses(Vec<MyCourse>),
    MyCourse(Box<MyCourseDetail>),
    ClassProgress(i64, Vec<ProgressRow>),
    StudentProgress(i64, Vec<ProgressRow>, Vec<ActivityEntry>),
    Profile(Box<Profile>),
    /// The user's photo preview, `None` when no photo is set.
    Photo(i64, Option<Picture>),
    /// The organisation's logo preview, `None` when no logo is set.
    OrgLogo(i64, Option<Picture>),
    /// The threads and the unread total.
    Threads(Vec<ThreadItem>, i64),
    /// A page of a thread (`before` as asked) and the unread total after reading it.
    Thread {
        id: i64,
        before: Option<i64>,
        messages: Vec<MessageItem>,
        unread: i64,
    },
    Unread(i64),
    /// Search results (query, hits newest first, with their thread when readable).
    SearchResults(String, Vec<(MessageItem, Option<ThreadSummary>)>),
    Draft(String, Option<String>),
    SecurityLog(Vec<SecurityItem>),
    BlockedSources(Vec<BlockedItem>),
    Quizzes(Option<i64>, Vec<QuizSummary>),
    Quiz(Box<QuizDetail>),
    QuizResults(Box<QuizResults>, Vec<ProgressionRow>),
    MyQuizzes(Vec<MyQuiz>),
    MyQuizResults(i64, Vec<AttemptResult>),
    QuizStudentAttempts(Box<StudentAttempts>),
    /// The logos of [`Query::Logos`] (the course asked, if any).
    Logos(Option<i64>, Vec<LogoLink>),
    Demos(Vec<Demo>),
    MyDemos(Vec<Demo>),
    Demo(Box<Demo>),
    /// A demo on the air and its live screen.
    LiveDemo(Box<Demo>, std::sync::Arc<portail::live::LiveDemo>),
    /// The recording of demo `.0` ready to replay; `None`: the demo has none.
    DemoRecording(i64, Option<std::sync::Arc<Timeline>>),
}

pub use portail::asciicast::Timeline;
pub use portail::services::tech_demos::{Demo, DemoInput};

pub use portail::quiz::{
    Answer, AttemptResult, AttemptView, MyQuiz, ProgressionRow, QuestionDraft, QuizDetail,
    QuizResults, QuizSettings, QuizSummary, StudentAttempts, StudentQuizResult,
};
pub use portail::services::previews::Picture;

/// A change. Each maps to one service call (the same one the exec commands use).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SaveOrg {
        id: Option<i64>,
        input: OrgInput,
    },
    DeleteOrg(i64),
    SaveClass {
        id: Option<i64>,
        input: ClassInput,
    },
    DeleteClass(i64),
    AddMembers {
        class: i64,
        students: Vec<i64>,
    },
    RemoveMembers {
        class: i64,
        students: Vec<i64>,
    },
    SaveStudent {
        id: Option<i64>,
        input: StudentInput,
    },
    SetStudentDisabled {
        id: i64,
        disabled: bool,
    },
    ResetCode(i64),
    DeleteStudent {
        id: i64,
        force: bool,
    },
    SaveCourse {
        id: Option<i64>,
        input: CourseInput,
    },
    DeleteCourse(i64),
    DuplicateCourse(i64),
    SaveLesson {
        course: i64,
        id: Option<i64>,
        title: String,
        body: String,
    },
    MoveLesson {
        id: i64,
        position: i64,
    },
    DeleteLesson(i64),
    AddResource {
        course: i64,
        title: String,
        url: String,
    },
    DeleteResource(i64),
    Assign {
        course: i64,
        targets: Vec<Target>,
        start: Option<String>,
        end: Option<String>,
    },
    Unassign {
        course: i64,
        targets: Vec<Target>,
    },
    /// The student opens a lesson (recorded in the activity log).
    OpenLesson(i64),
    /// The student marks a lesson done or not done.
    SetLessonDone {
        lesson: i64,
        done: bool,
    },
    /// The user edits their own profile (locked fields are refused by the service).
    SaveProfile {
        first_name: String,
        last_name: String,
        phone: Option<String>,
        /// A trainer's new e-mail (`None`: unchanged).
        email: Option<String>,
    },
    /// Trainer: lifts the refusals of a source (as listed). Answered by
    /// [`Effect::Unblocked`].
    UnblockSource(String),
    /// Trainer: a one-time link to the page that uploads a file to a course (optionally
    /// for one lesson), with its title. Answered by [`Effect::Link`].
    ResourceUploadLink {
        course: i64,
        lesson: Option<i64>,
        title: String,
    },
    /// Trainer: a one-time link to the page that uploads an organisation's logo.
    LogoUploadLink(i64),
    /// Trainer: the direct thread of a student (created if needed), to write first.
    /// Answered by [`Effect::Thread`].
    OpenStudentThread(i64),
    /// Sends a message; the draft under `draft` is deleted once it is sent. Answered by
    /// [`Effect::MessageSent`].
    SendMessage {
        to: Recipient,
        body: String,
        draft: String,
    },
    /// A bulk import of pasted CSV (the service of `ssh … import`): a preview when
    /// `dry_run`, else for real. Answered by [`Effect::Imported`].
    Import {
        kind: ImportKind,
        text: String,
        dry_run: bool,
        default_org: Option<i64>,
        default_class: Option<i64>,
    },
    /// Trainer: creates a quiz in `course` (no question yet) or changes its settings.
    SaveQuiz {
        course: i64,
        id: Option<i64>,
        settings: QuizSettings,
    },
    /// Trainer: deletes a quiz (the screen asked first, naming its attempts).
    DeleteQuiz(i64),
    /// Trainer: adds a question to `quiz` or changes one.
    SaveQuestion {
        quiz: i64,
        id: Option<i64>,
        draft: QuestionDraft,
    },
    DeleteQuestion(i64),
    /// Trainer: moves a question up (-1) or down (+1).
    MoveQuestion {
        id: i64,
        delta: i64,
    },
    /// Trainer: gives one student extra attempts and/or minutes on a quiz (recorded).
    GrantQuiz {
        quiz: i64,
        student: i64,
        attempts: u32,
        minutes: u32,
    },
    /// Student: starts a quiz, or resumes the attempt in progress. Answered by
    /// [`Effect::Attempt`].
    StartAttempt(i64),
    /// Student: saves one answer at once (`None` clears it). Answered by
    /// [`Effect::Answered`].
    SaveAnswer {
        attempt: i64,
        question: i64,
        answer: Option<Answer>,
    },
    /// Student: hands the attempt in. Answered by [`Effect::Graded`].
    SubmitAttempt(i64),
    /// Trainer: plans a technical demo or changes one.
    SaveDemo {
        id: Option<i64>,
        input: DemoInput,
    },
    /// Trainer: deletes a technical demo (the screen asked first).
    DeleteDemo(i64),
    /// Student: a question to the trainer during a live demo. Answered by
    /// [`Effect::MessageSent`].
    AskDemo {
        demo: i64,
        text: String,
    },
    /// A replay of demo `demo`'s recording ended: how far it went (seconds of replay).
    /// Answered by [`Effect::Opened`] (written to the activity log for a student).
    LogReplay {
        demo: i64,
        reached: u32,
        total: u32,
    },
}

pub use portail::import::Kind as ImportKind;

/// What an import did or would do: the parts of the service's report the screen shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub dry_run: bool,
    /// Organisations, classes, students: created / updated / unchanged.
    pub counts: Vec<(Key, Counts)>,
    /// One per record: `+` created, `~` updated, `=` unchanged; the entity; its label.
    pub lines: Vec<(char, Key, String)>,
    /// New students' e-mails and activation codes (empty in a preview).
    pub codes: Vec<(String, String)>,
    pub unknown_columns: Vec<String>,
    pub encoding: String,
    pub delimiter: Option<char>,
}

pub use portail::services::bulk::Counts;

impl From<&portail::services::bulk::ImportReport> for ImportSummary {
    fn from(r: &portail::services::bulk::ImportReport) -> Self {
        use portail::services::bulk::Action as A;
        ImportSummary {
            dry_run: r.dry_run,
            counts: vec![
                (Key::MenuOrganisations, r.organisations),
                (Key::MenuClasses, r.classes),
                (Key::MenuStudents, r.students),
            ],
            lines: r
                .lines
                .iter()
                .map(|l| {
                    let mark = match l.action {
                        A::Created => '+',
                        A::Updated => '~',
                        A::Unchanged => '=',
                    };
                    (mark, l.entity, l.label.clone())
                })
                .collect(),
            codes: r.codes.clone(),
            unknown_columns: r.unknown_columns.clone(),
            encoding: r.encoding.clone(),
            delimiter: r.delimiter,
        }
    }
}

/// What a successful [`Action`] produced.
#[derive(Debug, Clone)]
pub enum Effect {
    Saved,
    /// A course was assigned (saved); its warning, if any, is shown in a box
    /// ([`portail::services::enrolment::Assigned::warning`]).
    Assigned(portail::services::enrolment::Assigned),
    Deleted,
    /// A new activation code for `who`: shown once, to hand to the student.
    Code {
        who: String,
        code: String,
    },
    /// A lesson was opened.
    Opened,
    /// A lesson's state changed: the course's new percentage.
    Progress {
        done: bool,
        percent: i64,
    },
    /// An import's report (a preview when `dry_run`).
    Imported(Box<ImportSummary>),
    /// A one-time upload link (full URL), to show as text, hyperlink and QR code.
    Link(String),
    /// A thread to open.
    Thread(i64),
    /// A message was sent in this thread.
    MessageSent {
        thread: i64,
    },
    /// The attempt started or resumed.
    Attempt(Box<AttemptView>),
    /// The answer to this question is saved.
    Answered(i64),
    /// The attempt was graded.
    Graded(Box<AttemptResult>),
    /// A source was unblocked (as listed).
    Unblocked(String),
}

/// A web link drawn on screen, to be emitted as an OSC 8 hyperlink over its text once the
/// frame is drawn (ratatui's cell diffing would cut the escape sequence otherwise).
/// `x`/`y` are 0-based cells; `text` is exactly what the frame shows there; `url` passed
/// [`safe_url`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hyperlink {
    pub x: u16,
    pub y: u16,
    pub url: String,
    pub text: String,
}

/// `text` in lines of at most `width` columns, broken at spaces (a word longer than a
/// line is cut): for what is written on the plain terminal once the interface has closed
/// (the server's shutdown notice), which the terminal would otherwise break mid-word.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    screens::messages::wrap(text, width)
}

/// The URL if it may go inside an OSC 8 sequence and a QR code: `http(s)://`, printable
/// ASCII only (no ESC, BEL, other controls or spaces), at most 2000 bytes. Users type
/// these URLs: anything else is refused (the plain text is still shown, sanitized).
pub fn safe_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    // A host must follow the scheme.
    let host = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'));
    let printable = u.bytes().all(|b| b.is_ascii_graphic());
    (host && printable && u.len() <= 2000).then_some(u)
}

/// Results of commands, and outside events, fed back to the app.
#[derive(Debug, Clone)]
pub enum Outcome {
    PasswordChanged(Result<(), String>),
    LanguageSet(Result<Lang, String>),
    /// The user's record changed (here or in another session).
    UserRefreshed(User),
    Loaded(Result<Data, String>),
    Ran(Result<Effect, Failure>),
}

/// Why an action failed, as the app needs it: the message in the user's language and,
/// when the service named fields of the input (`Error::InvalidField` / `InvalidFields`),
/// each of them with what is wrong with it, so a form can mark them all and focus the
/// first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    /// The fields (the core's keys) and their problems, in the user's language.
    pub fields: Vec<(Key, String)>,
}

impl Failure {
    /// The failure of a service call, in `lang`.
    pub fn from_error(e: &portail::Error, lang: Lang) -> Self {
        let problems = e.field_problems();
        // Several fields: each says its problem beside it, the error line names them.
        let message = if problems.len() > 1 {
            let names: Vec<&str> = problems.iter().map(|p| t(lang, p.field)).collect();
            portail::i18n::tf(
                lang,
                Key::UiFieldsToFix,
                &[&problems.len().to_string(), &names.join(", ")],
            )
        } else {
            e.user_message(lang)
        };
        Self {
            message,
            fields: problems
                .into_iter()
                .map(|p| (p.field, p.beside_field(lang)))
                .collect(),
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self {
            message,
            fields: Vec::new(),
        }
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        message.to_string().into()
    }
}

/// State shared by every screen.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub user: User,
    /// The session may only choose a password (activation code / initial password).
    pub must_change_password: bool,
    /// A one-line notice shown in the status bar until the next key.
    pub flash: Option<String>,
    /// A message box over everything (title, text) until Enter or Esc: activation codes.
    pub notice: Option<(String, String)>,
    /// Unread messages (the badge in the header and the home menu).
    pub unread: i64,
    /// A student's organisations' logos (shown as links on the home screen).
    pub logos: Vec<LogoLink>,
    /// Threads this session has seen (a message in one of them concerns this user even
    /// when they sent it from another session).
    pub known_threads: std::collections::BTreeSet<i64>,
    /// The time zone dates are shown and typed in.
    pub tz: chrono_tz::Tz,
    /// The current time, as last given by [`App::tick`] (quiz time limits).
    pub now: chrono::DateTime<chrono::Utc>,
    /// A student's technical demos as last loaded (the home screen announces the
    /// upcoming ones).
    pub demos: Vec<Demo>,
}

impl Ctx {
    pub fn t(&self, key: Key) -> &'static str {
        t(self.lang, key)
    }
    /// The label of an enum in the user's language ([`portail::present::Label`]).
    pub fn label<L: portail::present::Label>(&self, v: L) -> &'static str {
        portail::present::label(self.lang, v)
    }
    /// A moment in the user's time zone, to the minute: `2026-01-15 10:34`.
    pub fn minute(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        portail::present::minute(self.tz, at)
    }
    /// A moment in the user's time zone, to the second.
    pub fn second(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        portail::present::second(self.tz, at)
    }
    /// The local day of a moment: `2026-01-15`.
    pub fn day(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        portail::present::day(self.tz, at)
    }
}

/// What a screen's key handler wants.
pub(crate) enum Nav {
    Stay,
    Push(Screen),
    Pop,
    /// Replace the top screen (a form by what it produced).
    Replace(Screen),
    /// Replace the whole stack by the home screen.
    Home,
    Quit,
}

pub struct App {
    ctx: Ctx,
    stack: Vec<Screen>,
    help_open: bool,
    /// First line of the help text shown (long helps scroll on small windows).
    help_scroll: std::cell::Cell<u16>,
    quit: bool,
    /// Whether the last render drew the screen (not the "too small" notice).
    drew_screen: std::cell::Cell<bool>,
}

impl App {
    pub fn new(user: User, must_change_password: bool) -> App {
        let ctx = Ctx {
            lang: user.language,
            user,
            must_change_password,
            flash: None,
            notice: None,
            unread: 0,
            logos: Vec::new(),
            known_threads: Default::default(),
            tz: chrono_tz::Europe::Paris,
            now: chrono::Utc::now(),
            demos: Vec::new(),
        };
        let first = if must_change_password {
            Screen::Password(PasswordScreen::new(true))
        } else {
            Screen::Home(HomeScreen::new(&ctx))
        };
        App {
            ctx,
            stack: vec![first],
            help_open: false,
            help_scroll: std::cell::Cell::new(0),
            quit: false,
            drew_screen: std::cell::Cell::new(false),
        }
    }

    pub fn lang(&self) -> Lang {
        self.ctx.lang
    }

    /// The time zone dates are shown and typed in (Europe/Paris by default).
    pub fn set_time_zone(&mut self, tz: chrono_tz::Tz) {
        self.ctx.tz = tz;
    }

    /// The current time, without telling the screens (see [`App::tick`]).
    pub fn set_now(&mut self, now: chrono::DateTime<chrono::Utc>) {
        self.ctx.now = now;
    }

    /// Whether a screen plays something (a demo's replay): the session then calls
    /// [`App::tick`] often (see `ANIMATE_EVERY` in the session).
    pub fn animating(&self) -> bool {
        match self.stack.last() {
            Some(Screen::View(v)) => v.animating(),
            _ => false,
        }
    }

    /// Whether a screen shows a running clock (a timed quiz): the session then calls
    /// [`App::tick`] every second.
    pub fn ticking(&self) -> bool {
        match self.stack.last() {
            Some(Screen::View(v)) => v.ticking(),
            _ => false,
        }
    }

    /// The clock moved on: returns the commands that follow (a quiz whose time is up is
    /// handed in and the server's grading shown; pending answers are saved).
    pub fn tick(&mut self, now: chrono::DateTime<chrono::Utc>) -> Vec<Command> {
        self.ctx.now = now;
        let mut out = Vec::new();
        if let Some(Screen::View(v)) = self.stack.last_mut() {
            v.tick(&mut self.ctx, &mut out);
        }
        out
    }

    /// The first loads of a session (the unread badge; a student's logos and demos).
    pub fn start(&mut self) -> Vec<Command> {
        if self.ctx.must_change_password {
            Vec::new()
        } else {
            self.home_loads()
        }
    }

    fn home_loads(&self) -> Vec<Command> {
        let mut out = vec![Command::Load(Query::Unread)];
        if self.ctx.user.role == portail::Role::Student {
            out.push(Command::Load(Query::Logos(None)));
            out.push(Command::Load(Query::MyDemos));
        }
        out
    }

    /// Unread messages as last loaded.
    pub fn unread(&self) -> i64 {
        self.ctx.unread
    }

    /// A message was posted (event bus). `mine`: this user is among its recipients.
    /// The open thread or the thread list reloads, otherwise the unread badge. Returns the
    /// loads to run (none when the message does not concern this user).
    pub fn message_created(&mut self, thread: i64, mine: bool) -> Vec<Command> {
        let mut out = Vec::new();
        if self.ctx.must_change_password || !(mine || self.ctx.known_threads.contains(&thread)) {
            return out;
        }
        let reloaded = match self.stack.last_mut() {
            Some(Screen::View(v)) => v.message_created(thread, &mut out),
            _ => false,
        };
        if !reloaded {
            out.push(Command::Load(Query::Unread));
        }
        out
    }

    /// Whether a composer holds text not saved as a draft yet.
    pub fn draft_pending(&self) -> bool {
        self.stack.iter().any(|s| match s {
            Screen::View(v) => v.draft_pending(),
            _ => false,
        })
    }

    /// The unsaved draft (key, body), now counted as saved.
    pub fn take_draft(&mut self) -> Option<(String, String)> {
        self.stack.iter_mut().rev().find_map(|s| match s {
            Screen::View(v) => v.take_draft(),
            _ => None,
        })
    }

    pub fn user(&self) -> &User {
        &self.ctx.user
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// A one-line notice in the status bar until the next key (e.g. the session is about
    /// to close for inactivity).
    pub fn flash(&mut self, text: String) {
        self.ctx.flash = Some(text);
    }

    fn top(&mut self) -> &mut Screen {
        self.stack.last_mut().expect("the stack is never empty")
    }

    /// Handles one input; returns the commands to run.
    pub fn handle(&mut self, input: Input) -> Vec<Command> {
        let key = match input {
            Input::Key(k) => k,
            Input::Paste(text) => {
                self.top().paste(&text);
                return Vec::new();
            }
        };
        self.ctx.flash = None;
        let ctrl = key.modifiers.contains(KeyModifiers::CTRL);
        if ctrl && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('d')) {
            return self.quit();
        }
        if self.help_open {
            let s = self.help_scroll.get();
            match key.code {
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::F(1) | KeyCode::Enter => {
                    self.help_open = false;
                }
                KeyCode::Up | KeyCode::Char('k') => self.help_scroll.set(s.saturating_sub(1)),
                KeyCode::Down | KeyCode::Char('j') => self.help_scroll.set(s.saturating_add(1)),
                KeyCode::PageUp => self.help_scroll.set(s.saturating_sub(10)),
                KeyCode::PageDown | KeyCode::Char(' ') => {
                    self.help_scroll.set(s.saturating_add(10))
                }
                _ => {}
            }
            return Vec::new();
        }
        if self.ctx.notice.is_some() {
            if matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char(' ')) {
                self.ctx.notice = None;
            }
            return Vec::new();
        }
        let typing = self.stack.last().is_some_and(Screen::captures_text);
        if key.code == KeyCode::F(1) || (!typing && key.code == KeyCode::Char('?')) {
            self.help_open = true;
            self.help_scroll.set(0);
            return Vec::new();
        }
        if !typing && key.code == KeyCode::Char('q') && !ctrl {
            return self.quit();
        }
        let mut commands = Vec::new();
        let nav = {
            let ctx = &mut self.ctx;
            let screen = self.stack.last_mut().expect("the stack is never empty");
            screen.key(ctx, key, &mut commands)
        };
        self.navigate(nav, &mut commands);
        commands
    }

    fn quit(&mut self) -> Vec<Command> {
        self.quit = true;
        let mut out = self.closing();
        out.push(Command::Quit);
        out
    }

    /// The session is ending (quit, or the connection dropped): what the screens in the
    /// stack still have to record, to run before the session goes.
    pub fn closing(&mut self) -> Vec<Command> {
        let mut out = Vec::new();
        for screen in self.stack.iter_mut().rev() {
            if let Screen::View(v) = screen {
                v.leaving(&mut out);
            }
        }
        out
    }

    fn navigate(&mut self, nav: Nav, commands: &mut Vec<Command>) {
        match nav {
            Nav::Stay => {}
            Nav::Push(s) => {
                self.stack.push(s);
                self.top().enter(commands);
            }
            Nav::Pop => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                    self.top().enter(commands);
                }
            }
            Nav::Replace(s) => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
                self.stack.push(s);
                self.top().enter(commands);
            }
            Nav::Home => self.stack = vec![Screen::Home(HomeScreen::new(&self.ctx))],
            Nav::Quit => commands.extend(self.quit()),
        }
    }

    /// Applies the result of a command or an outside change; returns the commands that
    /// follow (a list reloads after a change, for instance).
    pub fn apply(&mut self, outcome: Outcome) -> Vec<Command> {
        let mut commands = Vec::new();
        match outcome {
            Outcome::Loaded(Ok(data)) => {
                match &data {
                    Data::Unread(n) | Data::Threads(_, n) | Data::Thread { unread: n, .. } => {
                        self.ctx.unread = *n;
                    }
                    _ => {}
                }
                if let Data::Logos(None, logos) = &data {
                    self.ctx.logos = logos.clone();
                }
                if let Data::MyDemos(list) = &data {
                    self.ctx.demos = list.clone();
                }
                match &data {
                    Data::Threads(list, _) => {
                        self.ctx.known_threads = list.iter().map(|t| t.summary.id).collect();
                    }
                    Data::Thread { id, .. } => {
                        self.ctx.known_threads.insert(*id);
                    }
                    _ => {}
                }
                for screen in &mut self.stack {
                    screen.loaded(&mut self.ctx, &data);
                }
                self.top().follow_up(&mut commands);
            }
            Outcome::Loaded(Err(msg)) => self.ctx.flash = Some(msg),
            Outcome::Ran(result) => {
                if let Ok(Effect::Code { who, code }) = &result {
                    self.ctx.notice = Some((
                        self.ctx.t(Key::UiCodeTitle).to_string(),
                        portail::i18n::tf(self.ctx.lang, Key::UiCodeBody, &[who, code]),
                    ));
                }
                let nav = {
                    let ctx = &mut self.ctx;
                    let screen = self.stack.last_mut().expect("the stack is never empty");
                    match result {
                        // A form showing the field the service named takes it there.
                        Err(failure) if screen.invalid_field(ctx, &failure) => Nav::Stay,
                        result => screen.ran(ctx, result.map_err(|f| f.message), &mut commands),
                    }
                };
                if matches!(nav, Nav::Stay) {
                    self.top().enter(&mut commands);
                } else {
                    self.navigate(nav, &mut commands);
                }
            }
            Outcome::PasswordChanged(Ok(())) => {
                let was_forced = self.ctx.must_change_password;
                self.ctx.must_change_password = false;
                self.ctx.user.must_change_password = false;
                self.ctx.flash = Some(self.ctx.t(Key::PwChanged).to_string());
                if was_forced {
                    self.navigate(Nav::Home, &mut Vec::new());
                    commands.extend(self.home_loads());
                } else if matches!(self.stack.last(), Some(Screen::Password(_))) {
                    self.stack.pop();
                }
            }
            Outcome::PasswordChanged(Err(msg)) => {
                if let Some(Screen::Password(p)) = self.stack.last_mut() {
                    p.failed(msg);
                }
            }
            Outcome::LanguageSet(Ok(lang)) => {
                self.ctx.lang = lang;
                self.ctx.user.language = lang;
                self.ctx.flash = Some(self.ctx.t(Key::AccountLanguageChanged).to_string());
                self.rebuild_home();
            }
            Outcome::LanguageSet(Err(msg)) => self.ctx.flash = Some(msg),
            Outcome::UserRefreshed(user) => {
                self.ctx.lang = user.language;
                self.ctx.user = user;
                self.rebuild_home();
                // "Mon compte" shows the photo: a new one (sent from a phone) appears.
                if let Some(Screen::Account(a)) = self.stack.last_mut() {
                    a.enter(&mut commands);
                }
            }
        }
        commands
    }

    /// Menu labels depend on the language: rebuild the home screen, keeping the selection.
    fn rebuild_home(&mut self) {
        for screen in &mut self.stack {
            if let Screen::Home(h) = screen {
                let selected = h.selected();
                *h = HomeScreen::new(&self.ctx);
                h.select(selected);
            }
        }
    }

    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        let fits = area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT;
        self.drew_screen.set(fits);
        if !fits {
            theme::too_small(frame, &self.ctx, area);
            return;
        }
        let [_header, body, _footer] = theme::chrome(frame, &self.ctx, area, self.hints());
        let screen = self.stack.last().expect("the stack is never empty");
        screen.render(frame, &self.ctx, body);
        if let Some((heading, text)) = &self.ctx.notice {
            components::dialog::render_popup(
                frame,
                area,
                heading,
                text,
                self.ctx.t(Key::UiNoticeClose),
            );
        }
        if self.help_open {
            let mut body = self.ctx.t(screen.help()).to_string();
            if let Some(more) = screen.help_more() {
                body = format!("{body}\n\n{}", self.ctx.t(more));
            }
            theme::help_overlay(frame, &self.ctx, area, &body, &self.help_scroll);
        }
    }

    /// The links the last [`App::render`] drew, to emit as OSC 8 hyperlinks after the
    /// frame; none while an overlay covers the screen.
    pub fn hyperlinks(&self) -> Vec<Hyperlink> {
        if self.help_open || self.ctx.notice.is_some() || !self.drew_screen.get() {
            return Vec::new();
        }
        match self.stack.last() {
            Some(Screen::View(v)) => v.hyperlinks(),
            Some(Screen::Account(a)) => a.hyperlinks(),
            Some(Screen::Home(h)) => h.hyperlinks(),
            _ => Vec::new(),
        }
    }

    /// The live demo the screen on top shows, if any: the session waits on its changes
    /// (see [`portail::live`]) and redraws, at most ~30 times a second.
    pub fn live_watch(&self) -> Option<std::sync::Arc<portail::live::LiveDemo>> {
        if self.ctx.must_change_password {
            return None;
        }
        match self.stack.last() {
            Some(Screen::View(v)) => v.live(),
            _ => None,
        }
    }

    /// A technical demo went live, paused or ended (event bus): the demo lists and a
    /// student's announcements reload. Returns the loads to run.
    pub fn demos_changed(&mut self) -> Vec<Command> {
        if self.ctx.must_change_password {
            return Vec::new();
        }
        match self.ctx.user.role {
            portail::Role::Student => vec![Command::Load(Query::MyDemos)],
            portail::Role::Trainer => vec![Command::Load(Query::Demos)],
        }
    }

    /// A student's progress changed (event bus): the visible screen reloads its data if
    /// it shows that progress. Returns the loads to run.
    pub fn progress_changed(&mut self, student: i64, course: i64) -> Vec<Command> {
        let mut out = Vec::new();
        if let Some(Screen::View(v)) = self.stack.last_mut() {
            v.progress_changed(&self.ctx, student, course, &mut out);
        }
        out
    }

    fn hints(&self) -> &'static str {
        if self.help_open {
            return self.ctx.t(Key::HintHelp);
        }
        if self.ctx.notice.is_some() {
            return self.ctx.t(Key::UiNoticeClose);
        }
        self.stack
            .last()
            .map(|s| s.hints(&self.ctx))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
