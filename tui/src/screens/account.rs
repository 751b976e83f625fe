//! "Mon compte": who I am, my details (first name, last name, phone, minus what the
//! trainer locked for a student; a trainer also their e-mail), language, password, photo.

use std::cell::RefCell;

use portail::i18n::{Key, Lang, tf};
use portail::services::profile::Profile;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::password::PasswordScreen;
use super::profile::ProfileForm;
use super::{Screen, list_move};
use crate::safe::Safe;
use crate::theme::{dim, panel, selected, title, truncate};
use crate::{Command, Ctx, Data, Hyperlink, KeyCode, KeyEvent, Nav, Picture, Query};

/// The rows one can act on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Profile,
    Language,
    Password,
    Photo,
}

const ACTIONS: [Action; 4] = [
    Action::Profile,
    Action::Language,
    Action::Password,
    Action::Photo,
];

/// Width from which the photo preview sits on the right of the text.
const WIDE: u16 = 64;

pub(crate) struct AccountScreen {
    selected: usize,
    /// Students' details may be locked, and their e-mail is their trainer's to change.
    student: bool,
    user: i64,
    profile: Option<Profile>,
    /// The photo's preview (loaded with the profile), `None` while absent or loading.
    photo: Option<Picture>,
    /// The upload link's QR code is shown over the screen.
    qr: bool,
    links: RefCell<Vec<Hyperlink>>,
}

impl AccountScreen {
    pub(crate) fn new(student: bool, user: i64) -> Self {
        Self {
            selected: 0,
            student,
            user,
            profile: None,
            photo: None,
            qr: false,
            links: RefCell::new(Vec::new()),
        }
    }

    fn actions(&self) -> &'static [Action] {
        &ACTIONS
    }

    /// The one-time photo upload link, when there is one.
    fn upload_url(&self) -> Option<&str> {
        self.profile.as_ref()?.photo_upload_url.as_deref()
    }

    /// Loads the profile (a fresh one-time upload link comes with it) and the photo.
    pub(crate) fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::Profile));
        out.push(Command::Load(Query::Photo(self.user)));
    }

    pub(crate) fn loaded(&mut self, data: &Data) {
        match data {
            Data::Profile(p) => self.profile = Some((**p).clone()),
            Data::Photo(id, pic) if *id == self.user => self.photo = pic.clone(),
            _ => {}
        }
    }

    pub(crate) fn help(&self) -> Key {
        if self.student {
            Key::FlHelpAccountStudent
        } else {
            Key::FlHelpAccount
        }
    }

    pub(crate) fn hints(&self) -> Key {
        if self.qr {
            Key::SpQrClose
        } else {
            Key::FlHintAccount
        }
    }

    /// Under the QR code, only the link shown instead of a code too big for the window.
    pub(crate) fn hyperlinks(&self) -> Vec<Hyperlink> {
        self.links.borrow().clone()
    }

    pub(crate) fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.qr {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('Q') | KeyCode::Backspace
            ) {
                self.qr = false;
            }
            return Nav::Stay;
        }
        let actions = self.actions();
        if let Some(i) = list_move(&key, self.selected, actions.len()) {
            self.selected = i;
            return Nav::Stay;
        }
        match key.code {
            KeyCode::Char('Q') => {
                self.qr = self.profile.is_some();
                Nav::Stay
            }
            KeyCode::Esc | KeyCode::Backspace | KeyCode::Left => Nav::Pop,
            KeyCode::Enter | KeyCode::Char(' ') => match actions[self.selected] {
                Action::Profile => match &self.profile {
                    Some(p) => Nav::Push(Screen::view(ProfileForm::new(p, !self.student))),
                    None => Nav::Stay,
                },
                Action::Language => {
                    let next = match ctx.lang {
                        Lang::Fr => Lang::En,
                        Lang::En => Lang::Fr,
                    };
                    out.push(Command::SetLanguage(next));
                    Nav::Stay
                }
                Action::Password => Nav::Push(Screen::Password(PasswordScreen::new(false))),
                Action::Photo => {
                    self.qr = self.profile.is_some();
                    Nav::Stay
                }
            },
            _ => Nav::Stay,
        }
    }

    pub(crate) fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let mut links = self.links.borrow_mut();
        links.clear();
        let u = &ctx.user;
        let none = ctx.t(Key::None_);
        let info = [
            (
                Key::AccountName,
                Safe::line(&u.display_name()).into_string(),
            ),
            (Key::AccountEmail, Safe::line(&u.email).into_string()),
            (
                Key::AccountLogin,
                u.login
                    .as_deref()
                    .map(|l| Safe::line(l).into_string())
                    .unwrap_or_else(|| none.to_string()),
            ),
            (Key::AccountRole, ctx.label(u.role).to_string()),
        ];
        let mut info = info.to_vec();
        if self.student {
            info.push((
                Key::FieldPhone,
                u.phone
                    .as_deref()
                    .map(|p| Safe::line(p).into_string())
                    .unwrap_or_else(|| none.to_string()),
            ));
        }
        let labels: Vec<Key> = vec![
            Key::AccountLanguage,
            Key::AccountPassword,
            Key::SpPhoto,
            Key::SpProfileTitle,
        ];
        let labels = labels.into_iter().chain(info.iter().map(|(k, _)| *k));
        let label_width = labels.map(|k| ctx.t(k).chars().count()).max().unwrap_or(0) + 2;
        let block = panel(ctx.t(Key::AccountTitle));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height == 0 {
            return;
        }
        let wide = self.photo.is_some() && inner.width >= WIDE;
        let (text_area, side) = if wide {
            let side_w = self.photo.as_ref().map_or(0, |p| p.width) + 3;
            (
                Rect {
                    width: inner.width - side_w,
                    ..inner
                },
                Some(Rect {
                    x: inner.right() - side_w,
                    width: side_w,
                    ..inner
                }),
            )
        } else {
            (inner, None)
        };
        let mut lines = Vec::new();
        let mut info_lines = Vec::new();
        for (k, v) in info {
            push_row(&mut info_lines, ctx.t(k), Span::raw(v), label_width);
        }
        for (i, action) in self.actions().iter().enumerate() {
            let (label, value) = match action {
                Action::Profile => {
                    let locked = self.profile.as_ref().map_or(0, |p| p.locked.len());
                    let v = ctx.t(Key::SpProfileAction).to_string();
                    (
                        ctx.t(Key::SpProfileTitle),
                        if locked > 0 {
                            format!("{v} ({locked} {})", ctx.t(Key::SpLocked))
                        } else {
                            v
                        },
                    )
                }
                Action::Language => (
                    ctx.t(Key::AccountLanguage),
                    format!("‹ {} ›", ctx.lang.native_name()),
                ),
                Action::Password => (
                    ctx.t(Key::AccountPassword),
                    ctx.t(Key::AccountPasswordAction).to_string(),
                ),
                Action::Photo => {
                    let status = match &self.profile {
                        None => ctx.t(Key::SpLoading),
                        Some(p) if p.has_photo => ctx.t(Key::SpPhotoSet),
                        Some(_) => ctx.t(Key::SpPhotoAbsent),
                    };
                    (
                        ctx.t(Key::SpPhoto),
                        tf(ctx.lang, Key::FlPhotoRow, &[status]),
                    )
                }
            };
            let style = if i == self.selected {
                selected()
            } else {
                title()
            };
            push_row(&mut lines, label, Span::styled(value, style), label_width);
        }
        // Actions and the upload link matter most: on a short window the blank line
        // before the link goes first, then the identity rows.
        let h = text_area.height as usize;
        let full = info_lines.len() + 1 + lines.len() + 1 + 2;
        if full - 1 <= h {
            info_lines.push(Line::from(""));
            info_lines.append(&mut lines);
            lines = info_lines;
        }
        if full <= h || full - 1 > h {
            lines.push(Line::from(""));
        }
        let section_y = text_area.y + lines.len() as u16;
        frame.render_widget(Paragraph::new(lines), text_area);
        let room = text_area.bottom().saturating_sub(section_y);
        // Below the preview, the link takes the whole width.
        let below =
            side.is_some() && section_y > inner.y + self.photo.as_ref().map_or(0, |p| p.rows());
        let section = Rect {
            x: text_area.x + 1,
            y: section_y,
            width: if below { inner.width } else { text_area.width }.saturating_sub(1),
            height: room,
        };
        let mut used = 0;
        if room > 0 {
            match self.upload_url().filter(|u| crate::safe_url(u).is_some()) {
                Some(url) => {
                    frame.render_widget(
                        Paragraph::new(Line::styled(
                            truncate(ctx.t(Key::FlPhotoSend), section.width as usize),
                            dim(),
                        )),
                        Rect {
                            height: 1,
                            ..section
                        },
                    );
                    if room > 1 {
                        crate::components::link::draw(
                            frame,
                            ctx,
                            Rect {
                                y: section.y + 1,
                                height: 1,
                                ..section
                            },
                            url,
                            &mut links,
                        );
                    }
                    used = 2;
                }
                None if self.profile.is_some() => {
                    let p = Paragraph::new(Line::styled(ctx.t(Key::FlPhotoNoLink), dim()))
                        .wrap(Wrap { trim: true });
                    used = p.line_count(section.width) as u16;
                    frame.render_widget(p, section);
                }
                None => {}
            }
        }
        if let Some(pic) = &self.photo {
            let plines = crate::components::preview::lines(pic, 1);
            match side {
                Some(side) => frame.render_widget(
                    Paragraph::new(plines),
                    Rect {
                        y: side.y + 1,
                        height: side.height.saturating_sub(1),
                        ..side
                    },
                ),
                // Below the link, only when it fits whole.
                None if room >= used + 1 + pic.rows() => frame.render_widget(
                    Paragraph::new(plines),
                    Rect {
                        x: text_area.x,
                        y: section.y + used + 1,
                        width: text_area.width,
                        height: pic.rows(),
                    },
                ),
                None => {}
            }
        }
        drop(links);
        if self.qr {
            let mut links = self.links.borrow_mut();
            links.clear();
            crate::qr::render_overlay(frame, ctx, area, self.upload_url(), &mut links);
        }
    }
}

fn push_row(lines: &mut Vec<Line<'static>>, label: &str, value: Span<'static>, width: usize) {
    lines.push(Line::from(vec![
        Span::styled(format!(" {label:<width$}"), dim()),
        value,
    ]));
}
