//! The screens. Each is plain state with `key` (input → navigation/commands) and `render`.

pub(crate) mod account;
pub(crate) mod classes;
pub(crate) mod courses;
pub(crate) mod demos;
pub(crate) mod forms;
pub(crate) mod home;
pub(crate) mod import;
pub(crate) mod learning;
pub(crate) mod live;
pub(crate) mod messages;
pub(crate) mod orgs;
pub(crate) mod password;
pub(crate) mod placeholder;
pub(crate) mod profile;
pub(crate) mod progress;
pub(crate) mod quiz_admin;
pub(crate) mod quiz_take;
pub(crate) mod replay;
pub(crate) mod security;
pub(crate) mod share;
pub(crate) mod students;

use portail::i18n::{Key, tf};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::safe::Safe;
use crate::{Command, Ctx, Data, Effect, Hyperlink, KeyEvent, Nav, Query};

pub(crate) enum Screen {
    Home(home::HomeScreen),
    Account(account::AccountScreen),
    Password(password::PasswordScreen),
    Placeholder(placeholder::PlaceholderScreen),
    /// The administration screens.
    View(Box<dyn View>),
}

/// An administration screen: it loads its data when it comes to the top of the stack
/// (`enter`), takes the answers it cares about (`loaded`) and the result of the changes it
/// asked for (`ran`).
pub(crate) trait View: Send {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav;
    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect);
    /// Status bar hints.
    fn hints(&self) -> Key;
    /// The help overlay text.
    fn help(&self) -> Key;
    /// More help shared by a kind of screen (e.g. every list's keys), after `help`.
    fn help_more(&self) -> Option<Key> {
        None
    }
    /// Whether printable keys are text (so `q` and `?` are typed, not commands).
    fn captures_text(&self) -> bool {
        false
    }
    fn paste(&mut self, _text: &str) {}
    /// Called when the screen is shown (pushed, or back on top): ask for fresh data.
    fn enter(&mut self, _out: &mut Vec<Command>) {}
    /// The session ends (the user quit, or the connection dropped) with this screen in
    /// the stack: what it still has to record (a replay: how far it was watched). Called
    /// at most once per ending; a screen that already recorded says nothing more.
    fn leaving(&mut self, _out: &mut Vec<Command>) {}
    /// Data arrived (every screen in the stack sees it; each takes what is its own).
    fn loaded(&mut self, _ctx: &mut Ctx, _data: &Data) {}
    /// After data arrived, the screen on top may ask for more (e.g. record that the lesson
    /// it resumed at was opened).
    fn follow_up(&mut self, _out: &mut Vec<Command>) {}
    /// A student's progress in a course changed: reload if this screen shows it.
    fn progress_changed(
        &mut self,
        _ctx: &Ctx,
        _student: i64,
        _course: i64,
        _out: &mut Vec<Command>,
    ) {
    }
    /// A message was posted in `thread` (for this user): reload what shows it. Returns
    /// whether a load that also refreshes the unread total was asked for.
    fn message_created(&mut self, _thread: i64, _out: &mut Vec<Command>) -> bool {
        false
    }
    /// Whether a composer holds text not yet saved as a draft.
    fn draft_pending(&self) -> bool {
        false
    }
    /// The draft to save (key, body), now counted as saved.
    fn take_draft(&mut self) -> Option<(String, String)> {
        None
    }
    /// Whether the screen shows a running clock (see [`crate::App::tick`]).
    fn ticking(&self) -> bool {
        false
    }
    /// Whether the screen plays something and wants [`View::tick`] several times a
    /// second (see [`crate::App::animating`]).
    fn animating(&self) -> bool {
        false
    }
    /// The clock moved on (`ctx.now`).
    fn tick(&mut self, _ctx: &mut Ctx, _out: &mut Vec<Command>) {}
    /// The live demo this screen shows (the session redraws when it changes).
    fn live(&self) -> Option<std::sync::Arc<portail::live::LiveDemo>> {
        None
    }
    /// Web links drawn by the last render (see [`Hyperlink`]).
    fn hyperlinks(&self) -> Vec<Hyperlink> {
        Vec::new()
    }
    /// An action this screen asked for failed on a field of its input: a form with that
    /// field focuses it, shows the problem beside it and returns true; otherwise
    /// [`View::ran`] gets the message.
    fn invalid_field(&mut self, _ctx: &mut Ctx, _failure: &crate::Failure) -> bool {
        false
    }
    /// An action this screen asked for finished.
    fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        _out: &mut Vec<Command>,
    ) -> Nav {
        report(ctx, result);
        Nav::Stay
    }
}

/// The usual way to tell how an action went: a flash in the status bar.
pub(crate) fn report(ctx: &mut Ctx, result: Result<Effect, String>) {
    ctx.flash = Some(match result {
        Ok(Effect::Saved) => ctx.t(Key::UiSaved).to_string(),
        Ok(Effect::Assigned(done)) => {
            // A draft course: say it in a box, students will not see it yet.
            if let Some(warning) = done.warning(ctx.lang) {
                ctx.notice = Some((ctx.t(Key::UiDraftTitle).to_string(), warning.to_string()));
            }
            ctx.t(Key::UiSaved).to_string()
        }
        Ok(Effect::Deleted) => ctx.t(Key::UiDeleted).to_string(),
        Ok(Effect::Code { .. }) => ctx.t(Key::UiCodeIssued).to_string(),
        Ok(Effect::Opened) | Ok(Effect::Imported(_)) | Ok(Effect::Link(_)) => return,
        Ok(Effect::Thread(_)) => return,
        Ok(Effect::Attempt(_)) | Ok(Effect::Answered(_)) | Ok(Effect::Graded(_)) => return,
        Ok(Effect::MessageSent { .. }) => ctx.t(Key::MsgSent).to_string(),
        Ok(Effect::Unblocked(source)) => tf(ctx.lang, Key::SecUnblockDone, &[&source]),
        Ok(Effect::Progress { done, percent }) => tf(
            ctx.lang,
            if done {
                Key::SpLessonDoneFlash
            } else {
                Key::SpLessonUndoneFlash
            },
            &[&percent.to_string()],
        ),
        Err(e) => e,
    });
}

/// "x, y and z go with it" texts: counts with their labels, only the non-zero ones.
/// A deletion asked for in a list, waiting for its impact to load before the question.
#[derive(Debug, Default)]
pub(crate) struct PendingDelete(Option<i64>);

impl PendingDelete {
    /// Asks for the impact of deleting `id` (`query` loads it).
    pub(crate) fn ask(&mut self, id: i64, query: Query, out: &mut Vec<Command>) -> Nav {
        self.0 = Some(id);
        out.push(Command::Load(query));
        Nav::Stay
    }

    /// When the impact loaded for `id` is the one asked for (it then waits no longer):
    /// the item's name among `items` (`id_name` gives an item's id and name).
    pub(crate) fn answered<T>(
        &mut self,
        id: i64,
        items: &[T],
        id_name: impl Fn(&T) -> (i64, &str),
    ) -> Option<Safe> {
        if self.0 != Some(id) {
            return None;
        }
        self.0 = None;
        Some(
            items
                .iter()
                .map(id_name)
                .find(|(i, _)| *i == id)
                .map(|(_, n)| Safe::line(n))
                .unwrap_or_default(),
        )
    }
}

pub(crate) fn impact(ctx: &Ctx, what: &str, counts: &[(i64, Key)]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, k)| format!("{n} {}", ctx.t(*k)))
        .collect();
    if parts.is_empty() {
        tf(ctx.lang, Key::UiDeleteNothingElse, &[what])
    } else {
        tf(ctx.lang, Key::UiDeleteWith, &[what, &parts.join(", ")])
    }
}

impl Screen {
    pub(crate) fn view(v: impl View + 'static) -> Screen {
        Screen::View(Box::new(v))
    }

    pub(crate) fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        match self {
            Screen::Home(s) => s.key(ctx, key),
            Screen::Account(s) => s.key(ctx, key, out),
            Screen::Password(s) => s.key(ctx, key, out),
            Screen::Placeholder(s) => s.key(key),
            Screen::View(v) => v.key(ctx, key, out),
        }
    }

    pub(crate) fn paste(&mut self, text: &str) {
        match self {
            Screen::Password(s) => s.paste(text),
            Screen::View(v) => v.paste(text),
            _ => {}
        }
    }

    /// Whether printable keys are text (so `q` and `?` are typed, not commands).
    pub(crate) fn captures_text(&self) -> bool {
        match self {
            Screen::Password(_) => true,
            Screen::View(v) => v.captures_text(),
            _ => false,
        }
    }

    pub(crate) fn enter(&mut self, out: &mut Vec<Command>) {
        match self {
            Screen::Home(h) => h.enter(out),
            Screen::View(v) => v.enter(out),
            Screen::Account(a) => a.enter(out),
            _ => {}
        }
    }

    pub(crate) fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        match self {
            Screen::View(v) => v.loaded(ctx, data),
            Screen::Account(a) => a.loaded(data),
            _ => {}
        }
    }

    pub(crate) fn follow_up(&mut self, out: &mut Vec<Command>) {
        if let Screen::View(v) = self {
            v.follow_up(out);
        }
    }

    pub(crate) fn invalid_field(&mut self, ctx: &mut Ctx, failure: &crate::Failure) -> bool {
        match self {
            Screen::View(v) => !failure.fields.is_empty() && v.invalid_field(ctx, failure),
            _ => false,
        }
    }

    pub(crate) fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        out: &mut Vec<Command>,
    ) -> Nav {
        match self {
            Screen::View(v) => v.ran(ctx, result, out),
            _ => {
                report(ctx, result);
                Nav::Stay
            }
        }
    }

    pub(crate) fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        match self {
            Screen::Home(s) => s.render(frame, ctx, area),
            Screen::Account(s) => s.render(frame, ctx, area),
            Screen::Password(s) => s.render(frame, ctx, area),
            Screen::Placeholder(s) => s.render(frame, ctx, area),
            Screen::View(v) => v.render(frame, ctx, area),
        }
    }

    pub(crate) fn hints(&self, ctx: &Ctx) -> &'static str {
        ctx.t(match self {
            Screen::Home(_) => Key::HintHome,
            Screen::Account(a) => a.hints(),
            Screen::Password(p) if p.forced() => Key::HintForcedForm,
            Screen::Password(_) => Key::HintForm,
            Screen::Placeholder(_) => Key::HintBack,
            Screen::View(v) => v.hints(),
        })
    }

    pub(crate) fn help(&self) -> Key {
        match self {
            Screen::Home(_) | Screen::Placeholder(_) => Key::HelpHome,
            Screen::Account(a) => a.help(),
            Screen::Password(_) => Key::HelpPassword,
            Screen::View(v) => v.help(),
        }
    }

    pub(crate) fn help_more(&self) -> Option<Key> {
        match self {
            Screen::View(v) => v.help_more(),
            _ => None,
        }
    }
}

/// Up/down movement shared by list screens (arrows in both cursor modes, j/k).
pub(crate) fn list_move(key: &KeyEvent, selected: usize, len: usize) -> Option<usize> {
    use crate::KeyCode::*;
    if len == 0 {
        return None;
    }
    match key.code {
        Up | Char('k') => Some(selected.checked_sub(1).unwrap_or(len - 1)),
        Down | Char('j') => Some((selected + 1) % len),
        Home | PageUp => Some(0),
        End | PageDown => Some(len - 1),
        _ => None,
    }
}

/// A date for lists: `2026-09-01` or "—".
pub(crate) fn date(ctx: &Ctx, d: Option<chrono::NaiveDate>) -> String {
    d.map(portail::present::date)
        .unwrap_or_else(|| ctx.t(Key::None_).to_string())
}

/// An optional text for detail views.
pub(crate) fn or_none(ctx: &Ctx, s: Option<&str>) -> String {
    match s {
        Some(v) if !v.trim().is_empty() => Safe::line(v).into_string(),
        _ => ctx.t(Key::None_).to_string(),
    }
}

/// Label / value rows of a detail view (values already sanitized by the caller or here).
pub(crate) fn detail_lines(ctx: &Ctx, rows: &[(Key, String)]) -> Vec<ratatui::text::Line<'static>> {
    use ratatui::text::{Line, Span};
    use unicode_width::UnicodeWidthStr;
    let w = rows
        .iter()
        .map(|(k, _)| ctx.t(*k).width())
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for (k, v) in rows {
        let label = ctx.t(*k);
        let pad = " ".repeat(w - label.width());
        let clean = Safe::text(v);
        let mut parts = clean.split('\n');
        let first = parts.next().unwrap_or("").to_string();
        lines.push(Line::from(vec![
            Span::styled(format!(" {label}{pad}  "), crate::theme::dim()),
            Span::raw(first),
        ]));
        for more in parts {
            lines.push(Line::from(format!(" {}  {more}", " ".repeat(w))));
        }
    }
    lines
}

/// A scrolling text panel; the offset is clamped to the text here.
pub(crate) fn render_scrolled(
    frame: &mut Frame,
    area: Rect,
    heading: &str,
    lines: Vec<ratatui::text::Line<'static>>,
    scroll: &std::cell::Cell<u16>,
) {
    use ratatui::widgets::{Paragraph, Wrap};
    let block = crate::theme::panel(heading);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let p = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = p.line_count(inner.width) as u16;
    let max = total.saturating_sub(inner.height);
    scroll.set(scroll.get().min(max));
    frame.render_widget(p.scroll((scroll.get(), 0)), inner);
}

/// Scrolling keys of a text panel; returns whether the key was used.
pub(crate) fn scroll_key(key: &KeyEvent, scroll: &std::cell::Cell<u16>) -> bool {
    use crate::KeyCode::*;
    let s = scroll.get();
    scroll.set(match key.code {
        Up | Char('k') => s.saturating_sub(1),
        Down | Char('j') => s.saturating_add(1),
        PageUp => s.saturating_sub(10),
        PageDown | Char(' ') => s.saturating_add(10),
        Home | Char('g') => 0,
        _ => return false,
    });
    true
}

/// Keys that leave a screen.
pub(crate) fn is_back(key: &KeyEvent) -> bool {
    matches!(
        key.code,
        crate::KeyCode::Esc | crate::KeyCode::Backspace | crate::KeyCode::Left
    )
}
