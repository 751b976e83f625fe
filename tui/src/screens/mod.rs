//! The screens. Each is plain state with `key` (input → navigation/commands) and `render`.

pub(crate) mod account;
pub(crate) mod home;
pub(crate) mod password;
pub(crate) mod placeholder;

use portail::i18n::Key;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::{Command, Ctx, KeyEvent, Nav};

pub(crate) enum Screen {
    Home(home::HomeScreen),
    Account(account::AccountScreen),
    Password(password::PasswordScreen),
    Placeholder(placeholder::PlaceholderScreen),
}

impl Screen {
    pub(crate) fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        match self {
            Screen::Home(s) => s.key(ctx, key),
            Screen::Account(s) => s.key(ctx, key, out),
            Screen::Password(s) => s.key(ctx, key, out),
            Screen::Placeholder(s) => s.key(key),
        }
    }

    pub(crate) fn paste(&mut self, text: &str) {
        if let Screen::Password(s) = self {
            s.paste(text);
        }
    }

    /// Whether printable keys are text (so `q` and `?` are typed, not commands).
    pub(crate) fn captures_text(&self) -> bool {
        matches!(self, Screen::Password(_))
    }

    pub(crate) fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        match self {
            Screen::Home(s) => s.render(frame, ctx, area),
            Screen::Account(s) => s.render(frame, ctx, area),
            Screen::Password(s) => s.render(frame, ctx, area),
            Screen::Placeholder(s) => s.render(frame, ctx, area),
        }
    }

    pub(crate) fn hints(&self, ctx: &Ctx) -> &'static str {
        ctx.t(match self {
            Screen::Home(_) => Key::HintHome,
            Screen::Account(_) => Key::HintAccount,
            Screen::Password(p) if p.forced() => Key::HintForcedForm,
            Screen::Password(_) => Key::HintForm,
            Screen::Placeholder(_) => Key::HintBack,
        })
    }

    pub(crate) fn help(&self) -> Key {
        match self {
            Screen::Home(_) | Screen::Placeholder(_) => Key::HelpHome,
            Screen::Account(_) => Key::HelpAccount,
            Screen::Password(_) => Key::HelpPassword,
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
