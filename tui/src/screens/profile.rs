//! "Mes informations": the user edits their first name, last name and phone (a trainer
//! also their e-mail: their name and e-mail are what students see); the fields a trainer
//! locked are shown read-only (the service refuses changing them anyway).

use portail::i18n::Key;
use portail::services::profile::Profile;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::View;
use crate::components::form::{Field, Form, FormEvent};
use crate::{Action, Command, Ctx, Effect, KeyEvent, Nav};

pub(crate) struct ProfileForm {
    form: Form,
    /// A trainer: the e-mail is a field too.
    trainer: bool,
}

impl ProfileForm {
    pub(crate) fn new(p: &Profile, trainer: bool) -> Self {
        let field = |label: Key, name: &str, value: &str| {
            if p.is_locked(name) {
                Field::fixed(label, value, Key::SpLocked)
            } else {
                Field::text(label, value, portail::validate::MAX_NAME + 1)
            }
        };
        let mut fields = vec![
            field(Key::FieldFirstName, "first_name", &p.first_name),
            field(Key::FieldLastName, "last_name", &p.last_name),
        ];
        if trainer {
            fields.push(Field::text(
                Key::FieldEmail,
                &p.email,
                portail::validate::MAX_NAME,
            ));
        }
        fields.push(field(
            Key::FieldPhone,
            "phone",
            p.phone.as_deref().unwrap_or(""),
        ));
        Self {
            form: Form::new(fields),
            trainer,
        }
    }
}

impl View for ProfileForm {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        match self.form.key(key) {
            FormEvent::None => Nav::Stay,
            FormEvent::Cancel => Nav::Pop,
            FormEvent::Submit => {
                self.form.submitting();
                out.push(Command::Run(Action::SaveProfile {
                    first_name: self.form.text(Key::FieldFirstName),
                    last_name: self.form.text(Key::FieldLastName),
                    phone: self.form.opt(Key::FieldPhone),
                    email: self.trainer.then(|| self.form.text(Key::FieldEmail)),
                }));
                Nav::Stay
            }
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        self.form
            .render(frame, ctx, area, ctx.t(Key::SpProfileTitle));
    }

    fn hints(&self) -> Key {
        if self.form.asking() {
            Key::UiHintConfirm
        } else {
            Key::UiHintForm
        }
    }

    fn help(&self) -> Key {
        Key::SpHelpProfile
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    fn invalid_field(&mut self, _ctx: &mut Ctx, failure: &crate::Failure) -> bool {
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
                super::report(ctx, Ok(effect));
                Nav::Pop
            }
            Err(msg) => {
                self.form.failed(msg);
                Nav::Stay
            }
        }
    }
}
