//! One task per channel: waits for the pty/shell/exec requests, then runs the full-screen
//! interface or an exec command.
//!
//! The TUI loop `select!`s over channel input, command results, the event bus and frame
//! delivery. Frames go through a bounded queue of two to a writer task that awaits
//! `channel.data`: a slow client slows drawing (backpressure) without ever blocking input
//! handling, and no queue grows without bound.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use portail::Portail;
use portail::events::Event;
use portail::i18n::Lang;
use portail::i18n::{Key, t, tf};
use portail::services::accounts::LoginOutcome;
use portail_tui::{App, Command, Hyperlink, Input, Outcome};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use russh::ChannelMsg;
use russh::server::Msg;
use russh::{Channel, ChannelId, ChannelReadHalf, ChannelWriteHalf};
use tokio::sync::{broadcast, mpsc};
use tokio::time::Instant;

use crate::dispatch::{load, run_action};
use crate::exec;
use crate::input::InputDecoder;
use crate::stats;

/// How long a lone ESC waits for the rest of a sequence before it counts as the Esc key.
const ESC_TIMEOUT: Duration = Duration::from_millis(40);
/// A composer's text is saved as a draft at most this often while typing.
const DRAFT_EVERY: Duration = Duration::from_secs(2);
/// How often a screen with a running clock (a timed quiz) is told the time.
const CLOCK_EVERY: Duration = Duration::from_secs(1);
/// A live demo's screen is redrawn at most this often (~30 frames a second).
const LIVE_FRAME: Duration = Duration::from_millis(33);
/// The clock of screens that play something (a demo's replay): 10 frames a second.
const ANIMATE_EVERY: Duration = Duration::from_millis(100);
/// PTY sizes are clamped to this (a 65535×65535 buffer would be gigabytes).
pub const MAX_COLS: u16 = 500;
pub const MAX_ROWS: u16 = 200;

/// Enter the alternate screen, clear, enable bracketed paste.
const ENTER: &[u8] = b"\x1b[?1049h\x1b[H\x1b[2J\x1b[?2004h";
/// Disable bracketed paste, reset colours, show the cursor, leave the alternate screen.
const LEAVE: &[u8] = b"\x1b[?2004l\x1b[0m\x1b[?25h\x1b[?1049l";

pub(crate) struct SessionCtx {
    pub portail: Portail,
    pub login: LoginOutcome,
    /// An interactive session with no keystroke for this long is closed, with a notice.
    pub idle_timeout: Duration,
    /// The channel holding the connection's one PTY (see the server's `pty_request`).
    pub pty_owner: Arc<Mutex<Option<ChannelId>>>,
}

/// Frees the connection's PTY when the channel that held it ends.
struct PtyRelease(Arc<Mutex<Option<ChannelId>>>, ChannelId);

impl Drop for PtyRelease {
    fn drop(&mut self) {
        let mut owner = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if *owner == Some(self.1) {
            *owner = None;
        }
    }
}

/// A channel refused after it was opened (too many sessions): the first request gets
/// `message` on stderr, exit status 1, and the channel closes.
pub(crate) async fn refuse(channel: Channel<Msg>, message: String) {
    let (mut reader, writer) = channel.split();
    loop {
        match reader.wait().await {
            Some(ChannelMsg::RequestShell { .. } | ChannelMsg::Exec { .. }) => break,
            Some(ChannelMsg::Eof | ChannelMsg::Close) | None => break,
            Some(_) => {}
        }
    }
    drop(reader);
    let _ = writer
        .extended_data_bytes(1, format!("{message}\r\n").into_bytes())
        .await;
    let _ = writer.exit_status(1).await;
    let _ = writer.eof().await;
    let _ = writer.close().await;
}

/// Counts live channel tasks; decrements when the task ends, however it ends.
pub(crate) struct SessionGuard(Arc<AtomicUsize>);

impl SessionGuard {
    pub(crate) fn new(counter: Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::SeqCst);
        Self(counter)
    }
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Clamps a PTY size; 0 (unknown) becomes the classic 80×24.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let c = if cols == 0 {
        80
    } else {
        cols.min(MAX_COLS as u32) as u16
    };
    let r = if rows == 0 {
        24
    } else {
        rows.min(MAX_ROWS as u32) as u16
    };
    (c, r)
}

pub(crate) async fn run(channel: Channel<Msg>, ctx: SessionCtx) {
    let _release = PtyRelease(ctx.pty_owner.clone(), channel.id());
    let my_id = channel.id();
    let (mut reader, writer) = channel.split();
    let mut pty: Option<(u16, u16)> = None;
    loop {
        match reader.wait().await {
            Some(ChannelMsg::RequestPty {
                col_width,
                row_height,
                ..
            }) => pty = Some(clamp_size(col_width, row_height)),
            Some(ChannelMsg::WindowChange {
                col_width,
                row_height,
                ..
            }) if pty.is_some() => pty = Some(clamp_size(col_width, row_height)),
            Some(ChannelMsg::RequestShell { .. }) => {
                let owns_pty =
                    *ctx.pty_owner.lock().unwrap_or_else(|e| e.into_inner()) == Some(my_id);
                match pty {
                    // A second PTY on one connection was refused: so is its shell.
                    Some(_) if !owns_pty => {
                        drop(reader);
                        let lang = ctx.login.user.language;
                        let _ = writer
                            .extended_data_bytes(
                                1,
                                format!("{}\r\n", t(lang, Key::OnePtyPerConnection)).into_bytes(),
                            )
                            .await;
                        let _ = writer.exit_status(1).await;
                        let _ = writer.eof().await;
                        let _ = writer.close().await;
                    }
                    Some(size) => run_tui(reader, writer, ctx, size).await,
                    None => {
                        // Nobody reads input from here on: drop the reader so russh never
                        // blocks on a full channel queue while we write.
                        drop(reader);
                        exec::shell_without_pty(
                            writer,
                            ctx.login.user.language,
                            ctx.login.actor.role,
                        )
                        .await
                    }
                }
                return;
            }
            Some(ChannelMsg::Exec { command, .. }) => {
                exec::run(
                    reader,
                    writer,
                    &ctx.portail,
                    &ctx.login.actor,
                    ctx.login.user.language,
                    &command,
                    pty.is_some(),
                )
                .await;
                return;
            }
            Some(ChannelMsg::Eof) => {
                // Input ended before anything was asked: close our side too.
                let _ = writer.close().await;
                return;
            }
            Some(ChannelMsg::Close) | None => return,
            Some(_) => {}
        }
    }
}

/// A command's result, applied by the session loop.
struct Done {
    outcome: Outcome,
    actor: Option<portail::Actor>,
}

/// What background jobs send back to the session loop.
enum Back {
    Done(Done),
    /// The session's own account was disabled (or deleted) meanwhile: the session ends.
    AccountGone,
}

/// A frame's bytes, with when the oldest input it answers arrived (for [`stats`]).
type Outgoing = (Vec<u8>, Option<Instant>);

async fn write_frames(
    writer: ChannelWriteHalf<Msg>,
    mut frames: mpsc::Receiver<Outgoing>,
) -> Option<ChannelWriteHalf<Msg>> {
    while let Some((bytes, input_at)) = frames.recv().await {
        let len = bytes.len();
        if writer.data_bytes(bytes).await.is_err() {
            return None;
        }
        stats::frame_written(len, input_at);
    }
    Some(writer)
}

async fn run_tui(
    mut reader: ChannelReadHalf,
    writer: ChannelWriteHalf<Msg>,
    ctx: SessionCtx,
    (cols, rows): (u16, u16),
) {
    let mut actor = ctx.login.actor.clone();
    let mut app = App::new(ctx.login.user.clone(), actor.must_change_password);
    app.set_time_zone(ctx.portail.options().time_zone);
    app.set_now(chrono::Utc::now());
    let backend = CrosstermBackend::new(Vec::with_capacity(16 * 1024));
    // The width the notices after the interface are wrapped to (see `farewell`).
    let mut width = cols;
    let Ok(mut term) = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
        },
    ) else {
        return;
    };
    let (frame_tx, frame_rx) = mpsc::channel::<Outgoing>(2);
    let writer_task = tokio::spawn(write_frames(writer, frame_rx));
    if frame_tx.send((ENTER.to_vec(), None)).await.is_err() {
        return;
    }
    let (done_tx, mut done_rx) = mpsc::channel::<Back>(8);
    let mut events = ctx.portail.bus().subscribe();
    let mut decoder = InputDecoder::new();
    let mut esc_deadline: Option<Instant> = None;
    let mut dirty = true;
    // When the oldest input not yet drawn arrived (keystroke→frame latency, see `stats`).
    let mut input_at: Option<Instant> = None;
    let mut farewell: Option<&'static str> = None;
    let mut idle_notice: Option<String> = None;
    let mut client_gone = false;
    // When the composer's text is next saved as a draft (armed by typing).
    let mut draft_deadline: Option<Instant> = None;
    // The clock of timed screens (a quiz's remaining time), while one is shown.
    let mut clock = tokio::time::interval(CLOCK_EVERY);
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut animation = tokio::time::interval(ANIMATE_EVERY);
    animation.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // The session closes when nobody typed for this long.
    let mut idle_deadline = Instant::now() + ctx.idle_timeout;
    // A warning in the status bar shortly before (a minute, or half the timeout).
    let warn_before = (ctx.idle_timeout / 2).min(Duration::from_secs(60));
    let mut idle_warned = false;
    run_commands(app.start(), app.lang(), &ctx, &actor, &done_tx);
    // The live demo the screen shows: its generation counter, armed at most every
    // LIVE_FRAME (intermediate screens are skipped, never queued).
    let mut live: Option<(
        Arc<portail::live::LiveDemo>,
        tokio::sync::watch::Receiver<u64>,
    )> = None;
    let mut live_armed = true;
    let mut live_rearm = Instant::now();

    loop {
        let want = app.live_watch();
        let same = match (&live, &want) {
            (Some((a, _)), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            live = want.map(|l| {
                let rx = l.subscribe();
                (l, rx)
            });
            live_armed = true;
            dirty = true;
        }
        let watching = live.is_some();
        let live_changed = async {
            match live.as_mut() {
                Some((_, rx)) => rx.changed().await.is_ok(),
                None => std::future::pending().await,
            }
        };
        if draft_deadline.is_none() && app.draft_pending() {
            draft_deadline = Some(Instant::now() + DRAFT_EVERY);
        }
        let esc_sleep = async {
            match esc_deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        let draft_sleep = async {
            match draft_deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = tokio::time::sleep_until(idle_deadline - warn_before), if !idle_warned => {
                idle_warned = true;
                let secs = warn_before.as_secs().max(1).to_string();
                app.flash(tf(app.lang(), Key::IdleWarning, &[&secs]));
                dirty = true;
            }
            () = tokio::time::sleep_until(idle_deadline) => {
                let minutes = (ctx.idle_timeout.as_secs() / 60).max(1).to_string();
                idle_notice = Some(tf(app.lang(), Key::IdleNotice, &[&minutes]));
                break;
            }
            msg = reader.wait() => match msg {
                Some(ChannelMsg::Data { data }) => {
                    idle_deadline = Instant::now() + ctx.idle_timeout;
                    idle_warned = false;
                    input_at.get_or_insert_with(Instant::now);
                    let mut inputs = Vec::new();
                    decoder.feed(&data, &mut inputs);
                    esc_deadline = decoder.has_pending_escape().then(|| Instant::now() + ESC_TIMEOUT);
                    for input in inputs {
                        handle_input(&mut app, input, &ctx, &actor, &done_tx);
                    }
                    dirty = true;
                }
                Some(ChannelMsg::WindowChange { col_width, row_height, .. }) => {
                    let (c, r) = clamp_size(col_width, row_height);
                    width = c;
                    if term.resize(Rect::new(0, 0, c, r)).is_err() {
                        break;
                    }
                    dirty = true;
                }
                // Input ended (e.g. `ssh -tt host </dev/null`): end the session cleanly.
                Some(ChannelMsg::Eof) => break,
                Some(ChannelMsg::Close) | None => {
                    client_gone = true;
                    break;
                }
                Some(_) => {}
            },
            _ = draft_sleep => {
                draft_deadline = None;
                if let Some((key, body)) = app.take_draft() {
                    run_commands(vec![Command::SaveDraft { key, body }], app.lang(), &ctx, &actor, &done_tx);
                }
            }
            alive = live_changed, if live_armed => {
                // Drawn at the next frame; listened to again after LIVE_FRAME.
                live_armed = false;
                live_rearm = Instant::now() + LIVE_FRAME;
                dirty |= alive;
            }
            () = tokio::time::sleep_until(live_rearm), if !live_armed && watching => {
                live_armed = true;
            }
            // A replay plays on while the frame writer keeps up (`dirty` is cleared by
            // the frame arm): a slow client skips frames, never queues them.
            _ = animation.tick(), if app.animating() && !dirty => {
                let next = app.tick(chrono::Utc::now());
                run_commands(next, app.lang(), &ctx, &actor, &done_tx);
                dirty = true;
            }
            _ = clock.tick(), if app.ticking() => {
                let next = app.tick(chrono::Utc::now());
                run_commands(next, app.lang(), &ctx, &actor, &done_tx);
                dirty = true;
            }
            _ = esc_sleep => {
                esc_deadline = None;
                if let Some(input) = decoder.flush_escape() {
                    input_at.get_or_insert_with(Instant::now);
                    handle_input(&mut app, input, &ctx, &actor, &done_tx);
                    dirty = true;
                }
            }
            Some(back) = done_rx.recv() => match back {
                Back::Done(done) => {
                    if let Some(a) = done.actor {
                        actor = a;
                    }
                    app.set_now(chrono::Utc::now());
                    let next = app.apply(done.outcome);
                    run_commands(next, app.lang(), &ctx, &actor, &done_tx);
                    dirty = true;
                }
                // Leave the same way as on shutdown: notice, exit status, EOF, close.
                Back::AccountGone => {
                    farewell = Some(t(app.lang(), Key::AccountDisabledNotice));
                    break;
                }
            },
            event = events.recv() => match event {
                Ok(Event::ShuttingDown) => {
                    farewell = Some(t(app.lang(), Key::ShuttingDown));
                    break;
                }
                Ok(Event::UserUpdated { user_id }) if user_id == actor.user_id => {
                    refresh_user(&ctx.portail, &actor, &done_tx);
                }
                // Only the visible screen reloads, and only if it shows that progress.
                Ok(Event::ProgressChanged { student_id, course_id }) if !actor.must_change_password => {
                    let next = app.progress_changed(student_id, course_id);
                    if !next.is_empty() {
                        run_commands(next, app.lang(), &ctx, &actor, &done_tx);
                    }
                }
                // A message for this user (or in a thread this session shows, sent from
                // another of the user's sessions): the open thread or the list reloads,
                // else the unread badge.
                Ok(Event::MessageCreated { thread_id, recipients, .. }) => {
                    let mine = recipients.contains(&actor.user_id);
                    let next = app.message_created(thread_id, mine);
                    if !next.is_empty() {
                        run_commands(next, app.lang(), &ctx, &actor, &done_tx);
                        dirty = true;
                    }
                }
                Ok(Event::DemoChanged { .. }) => {
                    let next = app.demos_changed();
                    run_commands(next, app.lang(), &ctx, &actor, &done_tx);
                }
                // A student's question during a live demo: trainers see it at once.
                Ok(Event::DemoQuestion { demo_title, student, text, .. }) if actor.role == portail::Role::Trainer => {
                    app.flash(tf(app.lang(), Key::DmQuestionFlash, &[
                        &portail::sanitize::line(&student),
                        &portail::sanitize::line(&demo_title),
                        &portail::sanitize::line(&text),
                    ]));
                    dirty = true;
                }
                Ok(_) => {}
                // Events were lost: the badge (and what shows messages) may be stale.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let next = app.message_created(-1, true);
                    run_commands(next, app.lang(), &ctx, &actor, &done_tx);
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            permit = frame_tx.reserve(), if dirty => {
                let Ok(permit) = permit else {
                    client_gone = true;
                    break;
                };
                if term.draw(|f| app.render(f)).is_err() {
                    break;
                }
                let mut bytes = std::mem::take(term.backend_mut().writer_mut());
                write_hyperlinks(&mut bytes, &app.hyperlinks());
                permit.send((bytes, input_at.take()));
                dirty = false;
            }
        }
        if app.should_quit() {
            farewell = Some(t(app.lang(), Key::Goodbye));
            break;
        }
    }

    drop(reader); // from here on nothing reads: never let russh block on our queue
    // Whatever the composer holds survives the end of the session (even a dropped link).
    if let Some((key, body)) = app.take_draft() {
        let _ = ctx.portail.draft_save(&actor, &key, &body).await;
    }
    // What the screens still have to record (a replay watched, even when the link drops).
    run_commands(app.closing(), app.lang(), &ctx, &actor, &done_tx);
    if client_gone {
        writer_task.abort();
        return;
    }
    let mut last = LEAVE.to_vec();
    for text in farewell.into_iter().map(str::to_string).chain(idle_notice) {
        last.extend_from_slice(notice_lines(&text, width).as_bytes());
    }
    let _ = frame_tx.send((last, None)).await;
    drop(frame_tx);
    if let Ok(Some(writer)) = writer_task.await {
        let _ = writer.exit_status(0).await;
        let _ = writer.eof().await;
        let _ = writer.close().await;
    }
}

/// A notice for the plain terminal after the interface closed: broken between words at
/// the terminal's width (the terminal itself would cut "session" in two), each line ended
/// by CR LF.
pub(crate) fn notice_lines(text: &str, width: u16) -> String {
    portail_tui::wrap_words(text, width as usize)
        .into_iter()
        .map(|l| format!("{}\r\n", l.trim_end()))
        .collect()
}

/// Rewrites each link's text, already drawn by the frame, as an OSC 8 hyperlink (so it is
/// clickable in terminals that support it), with the same look (underlined, cyan). Done
/// after the frame because ratatui's cell diffing would split the escape sequence. The
/// cursor and attributes are saved and restored around it. URLs were checked by
/// [`portail_tui::safe_url`]; they are checked again here, as this is where bytes go out.
pub(crate) fn write_hyperlinks(out: &mut Vec<u8>, links: &[Hyperlink]) {
    use std::io::Write;
    let links: Vec<&Hyperlink> = links
        .iter()
        .filter(|l| {
            portail_tui::safe_url(&l.url) == Some(l.url.as_str())
                && !l.text.chars().any(char::is_control)
        })
        .collect();
    if links.is_empty() {
        return;
    }
    out.extend_from_slice(b"\x1b7");
    for l in links {
        let _ = write!(
            out,
            "\x1b[{};{}H\x1b[0;4;36m\x1b]8;;{}\x1b\\{}\x1b]8;;\x1b\\\x1b[0m",
            l.y as u32 + 1,
            l.x as u32 + 1,
            l.url,
            l.text
        );
    }
    out.extend_from_slice(b"\x1b8");
}

fn handle_input(
    app: &mut App,
    input: Input,
    ctx: &SessionCtx,
    actor: &portail::Actor,
    done: &mpsc::Sender<Back>,
) {
    let commands = app.handle(input);
    run_commands(commands, app.lang(), ctx, actor, done);
}

/// Runs each command in its own task; its outcome comes back through `done`.
fn run_commands(
    commands: Vec<Command>,
    lang: Lang,
    ctx: &SessionCtx,
    actor: &portail::Actor,
    done: &mpsc::Sender<Back>,
) {
    for command in commands {
        let portail = ctx.portail.clone();
        let actor = actor.clone();
        match command {
            Command::Quit => {}
            Command::ChangePassword { current, new } => {
                let done = done.clone();
                tokio::spawn(async move {
                    let result = portail
                        .change_password(&actor, current.as_deref(), &new)
                        .await;
                    let (outcome, actor) = match result {
                        Ok(a) => (Outcome::PasswordChanged(Ok(())), Some(a)),
                        Err(e) => (Outcome::PasswordChanged(Err(e.user_message(lang))), None),
                    };
                    let _ = done.send(Back::Done(Done { outcome, actor })).await;
                });
            }
            Command::SetLanguage(new_lang) => {
                spawn_job(done, lang, Outcome::LanguageSet, async move {
                    portail
                        .set_language(&actor, new_lang)
                        .await
                        .map(|()| new_lang)
                })
            }
            // Best effort: a draft that cannot be saved is still in the composer.
            Command::SaveDraft { key, body } => {
                tokio::spawn(async move {
                    if let Err(e) = portail.draft_save(&actor, &key, &body).await {
                        tracing::debug!("draft not saved: {e}");
                    }
                });
            }
            Command::Load(query) => spawn_job(done, lang, Outcome::Loaded, async move {
                load(&portail, &actor, query).await
            }),
            Command::Run(action) => spawn_job(done, lang, Outcome::Ran, async move {
                run_action(&portail, &actor, action).await
            }),
        }
    }
}

/// Spawns one service call; its result, with errors in the user's language, goes back to
/// the session loop as an outcome.
fn spawn_job<T, E, F>(
    done: &mpsc::Sender<Back>,
    lang: Lang,
    outcome: fn(Result<T, E>) -> Outcome,
    job: F,
) where
    T: Send + 'static,
    E: AppError,
    F: Future<Output = portail::Result<T>> + Send + 'static,
{
    let done = done.clone();
    tokio::spawn(async move {
        let result = job.await.map_err(|e| E::from_core(&e, lang));
        let _ = done
            .send(Back::Done(Done {
                outcome: outcome(result),
                actor: None,
            }))
            .await;
    });
}

/// An error as the app takes it: a message, or for actions a [`portail_tui::Failure`]
/// that still names the field at fault.
trait AppError: Send + 'static {
    fn from_core(e: &portail::Error, lang: Lang) -> Self;
}

impl AppError for String {
    fn from_core(e: &portail::Error, lang: Lang) -> Self {
        e.user_message(lang)
    }
}

impl AppError for portail_tui::Failure {
    fn from_core(e: &portail::Error, lang: Lang) -> Self {
        Self::from_error(e, lang)
    }
}

fn refresh_user(portail: &Portail, actor: &portail::Actor, done: &mpsc::Sender<Back>) {
    let portail = portail.clone();
    let actor = actor.clone();
    let done = done.clone();
    tokio::spawn(async move {
        let back = match portail.whoami(&actor).await {
            Ok(user) => Back::Done(Done {
                outcome: Outcome::UserRefreshed(user),
                actor: None,
            }),
            // Disabled (Forbidden) or deleted (NotFound): this session must end.
            Err(portail::Error::Forbidden | portail::Error::NotFound) => Back::AccountGone,
            // A passing failure (database busy): keep the session as it is.
            Err(_) => return,
        };
        let _ = done.send(back).await;
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperlinks_are_osc8_and_unsafe_urls_are_dropped() {
        let mut out = Vec::new();
        write_hyperlinks(
            &mut out,
            &[
                Hyperlink {
                    x: 4,
                    y: 2,
                    url: "https://example.fr/a?b=c".into(),
                    text: "https://example.fr/a?b=c".into(),
                },
                Hyperlink {
                    x: 0,
                    y: 0,
                    url: "https://evil.fr/\x1b]52;c;SGVsbG8=\x07".into(),
                    text: "x".into(),
                },
                Hyperlink {
                    x: 0,
                    y: 0,
                    url: "javascript:alert(1)".into(),
                    text: "x".into(),
                },
            ],
        );
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "\x1b7\x1b[3;5H\x1b[0;4;36m\x1b]8;;https://example.fr/a?b=c\x1b\\https://example.fr/a?b=c\x1b]8;;\x1b\\\x1b[0m\x1b8"
        );
        let mut none = Vec::new();
        write_hyperlinks(&mut none, &[]);
        assert!(none.is_empty());
    }

    #[test]
    fn notices_after_the_interface_break_between_words() {
        let text = t(Lang::Fr, Key::ShuttingDown);
        let out = notice_lines(text, 40);
        let lines: Vec<&str> = out.split_terminator("\r\n").collect();
        assert!(lines.len() > 1, "{out:?}");
        assert!(
            lines
                .iter()
                .all(|l| unicode_width::UnicodeWidthStr::width(*l) <= 40)
        );
        // Every word is whole on a line.
        for word in text.split(' ') {
            assert!(
                lines.iter().any(|l| l.split(' ').any(|w| w == word)),
                "{word}: {out:?}"
            );
        }
        assert_eq!(notice_lines("Au revoir.", 80), "Au revoir.\r\n");
    }

    #[test]
    fn sizes_are_clamped() {
        assert_eq!(clamp_size(0, 0), (80, 24));
        assert_eq!(clamp_size(65535, 65535), (MAX_COLS, MAX_ROWS));
        assert_eq!(clamp_size(40, 15), (40, 15));
    }
}
