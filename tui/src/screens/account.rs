//! "Mon compte": who I am, language, password; for students also their details (first
//! name, last name, phone, minus what the trainer locked) and their profile photo.

use portail::i18n::{Key, Lang, tf};
use portail::sanitize;
use portail::services::profile::Profile;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::password::PasswordScreen;
use super::profile::ProfileForm;
use super::{Screen, list_move};
use crate::theme::{dim, panel, selected, title};
use crate::{Command, Ctx, Data, KeyCode, KeyEvent, Nav, Query, role_label};

/// The rows one can act on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Profile,
    Language,
    Password,
}

const ACTIONS: [Action; 2] = [Action::Language, Action::Password];
const STUDENT_ACTIONS: [Action; 3] = [Action::Profile, Action::Language, Action::Password];

pub(crate) struct AccountScreen {
    selected: usize,
    /// Students edit their details; trainers only language and password here.
    student: bool,
    profile: Option<Profile>,
}

impl AccountScreen {
    pub(crate) fn new(student: bool) -> Self {
        Self {
            selected: 0,
            student,
            profile: None,
        }
    }

    fn actions(&self) -> &'static [Action] {
        if self.student {
            &STUDENT_ACTIONS
        } else {
            &ACTIONS
        }
    }

    pub(crate) fn enter(&mut self, out: &mut Vec<Command>) {
        if self.student {
            out.push(Command::Load(Query::Profile));
        }
    }

    pub(crate) fn loaded(&mut self, data: &Data) {
        if let Data::Profile(p) = data {
            self.profile = Some((**p).clone());
        }
    }

    pub(crate) fn help(&self) -> Key {
        if self.student {
            Key::SpHelpAccount
        } else {
            Key::HelpAccount
        }
    }

    pub(crate) fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        let actions = self.actions();
        if let Some(i) = list_move(&key, self.selected, actions.len()) {
            self.selected = i;
            return Nav::Stay;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Backspace | KeyCode::Left => Nav::Pop,
            KeyCode::Enter | KeyCode::Char(' ') => match actions[self.selected] {
                Action::Profile => match &self.profile {
                    Some(p) => Nav::Push(Screen::view(ProfileForm::new(p))),
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
            },
            _ => Nav::Stay,
        }
    }

    pub(crate) fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let u = &ctx.user;
        let none = ctx.t(Key::None_);
        let info = [
            (
                Key::AccountName,
                sanitize::line(&u.display_name()).into_owned(),
            ),
            (Key::AccountEmail, sanitize::line(&u.email).into_owned()),
            (
                Key::AccountLogin,
                u.login
                    .as_deref()
                    .map(|l| sanitize::line(l).into_owned())
                    .unwrap_or_else(|| none.to_string()),
            ),
            (Key::AccountRole, role_label(ctx.lang, u.role).to_string()),
        ];
        let mut info = info.to_vec();
        if self.student {
            info.push((
                Key::FieldPhone,
                u.phone
                    .as_deref()
                    .map(|p| sanitize::line(p).into_owned())
                    .unwrap_or_else(|| none.to_string()),
            ));
        }
        let mut labels: Vec<Key> = vec![Key::AccountLanguage, Key::AccountPassword];
        if self.student {
            labels.extend([Key::SpProfileTitle, Key::SpPhoto]);
        }
        let labels = labels.into_iter().chain(info.iter().map(|(k, _)| *k));
        let label_width = labels.map(|k| ctx.t(k).chars().count()).max().unwrap_or(0) + 2;
        let mut lines = Vec::new();
        for (k, v) in info {
            push_row(&mut lines, ctx.t(k), Span::raw(v), label_width);
        }
        lines.push(Line::from(""));
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
            };
            let style = if i == self.selected {
                selected()
            } else {
                title()
            };
            push_row(&mut lines, label, Span::styled(value, style), label_width);
        }
        if self.student {
            lines.push(Line::from(""));
            let has = self.profile.as_ref().is_some_and(|p| p.has_photo);
            let status = ctx.t(if has {
                Key::SpPhotoSet
            } else {
                Key::SpPhotoAbsent
            });
            push_row(
                &mut lines,
                ctx.t(Key::SpPhoto),
                Span::raw(status.to_string()),
                label_width,
            );
            // The upload page comes with the HTTPS files feature: say so, never fake a link.
            let upload = match self
                .profile
                .as_ref()
                .and_then(|p| p.photo_upload_url.as_deref())
                .and_then(crate::safe_url)
            {
                Some(url) => tf(ctx.lang, Key::SpPhotoLink, &[url]),
                None => ctx.t(Key::SpPhotoLater).to_string(),
            };
            lines.push(Line::styled(format!(" {upload}"), dim()));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(panel(ctx.t(Key::AccountTitle))),
            area,
        );
    }
}

fn push_row(lines: &mut Vec<Line<'static>>, label: &str, value: Span<'static>, width: usize) {
    lines.push(Line::from(vec![
        Span::styled(format!(" {label:<width$}"), dim()),
        value,
    ]));
}
