//! Étudiants: list with search, detail, create / edit (forms.rs), disable / enable, new
//! activation code (shown once), delete — a student with a history is disabled instead
//! unless the trainer insists.

use std::cell::Cell;

use portail::i18n::{Key, tf};
use portail::services::students::{AccountStatus, Student};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::forms::FormScreen;
use super::import::ImportScreen;
use super::{Screen, View, detail_lines, is_back, or_none, render_scrolled, report, scroll_key};
use crate::components::dialog::{Answer, Dialog};
use crate::components::list::{Column, Keyed, ListScreen, ListSpec, Step, column, loads};
use crate::safe::Safe;
use crate::{
    Action, Command, Ctx, Data, Effect, ImportKind, KeyCode, KeyEvent, Nav, Picture, Query,
};

#[derive(Debug, Clone, Copy)]
enum Pending {
    SetDisabled(i64, bool),
    Reset(i64),
    Delete {
        id: i64,
        force: bool,
    },
    /// The "has a history" question: d disables, s goes on to the forced deletion.
    History(i64),
}

/// The account actions shared by the list and the detail.
#[derive(Default)]
struct Actions {
    dialog: Option<Dialog<Pending>>,
    /// Waiting for `student_has_history` before asking about a deletion.
    history_of: Option<(i64, String)>,
}

impl Actions {
    /// Handles the action keys on `student`; `None` when the key is not an action.
    fn key(
        &mut self,
        ctx: &Ctx,
        student: Option<&Student>,
        key: &KeyEvent,
        out: &mut Vec<Command>,
    ) -> Option<Nav> {
        if let Some(d) = &self.dialog {
            let pending = d.pending;
            match (d.key(key), pending) {
                (Answer::Yes, Pending::SetDisabled(id, disabled)) => {
                    out.push(Command::Run(Action::SetStudentDisabled { id, disabled }));
                    self.dialog = None;
                }
                (Answer::Yes, Pending::Reset(id)) => {
                    out.push(Command::Run(Action::ResetCode(id)));
                    self.dialog = None;
                }
                (Answer::Yes, Pending::Delete { id, force }) => {
                    out.push(Command::Run(Action::DeleteStudent { id, force }));
                    self.dialog = None;
                }
                (Answer::Choice('d'), Pending::History(id)) => {
                    out.push(Command::Run(Action::SetStudentDisabled {
                        id,
                        disabled: true,
                    }));
                    self.dialog = None;
                }
                (Answer::Choice('s'), Pending::History(id)) => {
                    let who = student
                        .map(|s| Safe::line(&s.display_name()).into_string())
                        .unwrap_or_default();
                    self.dialog = Some(Dialog::confirm(
                        ctx,
                        ctx.t(Key::UiDeleteForever),
                        tf(ctx.lang, Key::UiStudentDeleteForce, &[&who]),
                        Pending::Delete { id, force: true },
                    ));
                }
                (Answer::No, _) => self.dialog = None,
                _ => {}
            }
            return Some(Nav::Stay);
        }
        let s = student?;
        let who = Safe::line(&s.display_name()).into_string();
        match key.code {
            KeyCode::Char('e') => Some(Nav::Push(Screen::view(FormScreen::student(Some(s))))),
            KeyCode::Char('x') => {
                let disable = s.status != AccountStatus::Disabled;
                let (heading, text) = if disable {
                    (Key::UiDisable, tf(ctx.lang, Key::UiStudentDisable, &[&who]))
                } else {
                    (Key::UiEnable, tf(ctx.lang, Key::UiStudentEnable, &[&who]))
                };
                self.dialog = Some(Dialog::confirm(
                    ctx,
                    ctx.t(heading),
                    text,
                    Pending::SetDisabled(s.id, disable),
                ));
                Some(Nav::Stay)
            }
            KeyCode::Char('r') => {
                self.dialog = Some(Dialog::confirm(
                    ctx,
                    ctx.t(Key::UiCodeTitle),
                    tf(ctx.lang, Key::UiStudentReset, &[&who]),
                    Pending::Reset(s.id),
                ));
                Some(Nav::Stay)
            }
            KeyCode::Char('d') | KeyCode::Delete => {
                self.history_of = Some((s.id, who));
                out.push(Command::Load(Query::StudentHistory(s.id)));
                Some(Nav::Stay)
            }
            _ => None,
        }
    }

    fn loaded(&mut self, ctx: &Ctx, data: &Data) {
        let Data::StudentHistory(id, has) = data else {
            return;
        };
        let Some((pending, who)) = self.history_of.take() else {
            return;
        };
        if pending != *id {
            return;
        }
        self.dialog = Some(if *has {
            Dialog::choose(
                ctx.t(Key::UiDelete),
                tf(ctx.lang, Key::UiStudentHasHistory, &[&who]),
                ctx.t(Key::UiHistoryChoices),
                &['d', 's'],
                Pending::History(*id),
            )
        } else {
            Dialog::confirm(
                ctx,
                ctx.t(Key::UiDelete),
                tf(ctx.lang, Key::UiStudentDelete, &[&who]),
                Pending::Delete {
                    id: *id,
                    force: false,
                },
            )
        });
    }

    fn render(&self, frame: &mut Frame, area: Rect) {
        if let Some(d) = &self.dialog {
            d.render(frame, area);
        }
    }
}

/// The students (see [`ListSpec`]); their actions (edit, deactivate, delete…) come with
/// their own dialogs.
#[derive(Default)]
pub(crate) struct StudentList {
    actions: Actions,
}

impl StudentList {
    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self::default())
    }
}

fn classes_of(s: &Student) -> String {
    s.classes
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl ListSpec for StudentList {
    type Item = Student;
    const HINTS: Key = Key::ImtHintStudentList;
    const HELP: Key = Key::ImtHelpStudentList;
    const TITLE: Key = Key::MenuStudents;
    const COLUMNS: &'static [Column<Student>] = &[
        column(Key::FieldName, 14, |_, s| Safe::line(&s.display_name())),
        column(Key::FieldStatus, 12, |ctx, s| ctx.label(s.status).into()),
        column(Key::FieldEmail, 26, |_, s| Safe::line(&s.email)),
        column(Key::MenuClasses, 24, |_, s| Safe::line(&classes_of(s))),
    ];

    fn search_text(&self, s: &Student) -> String {
        format!("{} {} {}", s.display_name(), s.email, classes_of(s))
    }

    loads!(Query::Students, Data::Students);

    fn key(&mut self, k: Keyed<'_, Student>) -> Step {
        let Keyed {
            ctx, key, sel, out, ..
        } = k;
        if let Some(nav) = self.actions.key(ctx, sel, &key, out) {
            return Step::Nav(nav);
        }
        Step::Nav(match (key.code, sel) {
            (KeyCode::Char('n'), _) => Nav::Push(Screen::view(FormScreen::student(None))),
            (KeyCode::Char('i'), _) => {
                Nav::Push(Screen::view(ImportScreen::new(ImportKind::Students)))
            }
            (KeyCode::Enter | KeyCode::Right, Some(s)) => {
                Nav::Push(Screen::view(StudentDetail::new(s.id)))
            }
            _ => Nav::Stay,
        })
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data, _: &[Student]) -> Option<Step> {
        self.actions.loaded(ctx, data);
        None
    }

    fn modal(&self) -> bool {
        self.actions.dialog.is_some()
    }

    fn render_over(&self, frame: &mut Frame, area: Rect) {
        self.actions.render(frame, area);
    }
}

pub(crate) struct StudentDetail {
    id: i64,
    student: Option<Student>,
    /// The photo's preview: `None` while loading, `Some(None)` when there is none.
    photo: Option<Option<Picture>>,
    actions: Actions,
    scroll: Cell<u16>,
}

impl StudentDetail {
    pub(crate) fn new(id: i64) -> Self {
        Self {
            id,
            student: None,
            photo: None,
            actions: Actions::default(),
            scroll: Cell::new(0),
        }
    }
}

impl View for StudentDetail {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if let Some(nav) = self.actions.key(ctx, self.student.as_ref(), &key, out) {
            return nav;
        }
        if scroll_key(&key, &self.scroll) {
            return Nav::Stay;
        }
        if let (KeyCode::Char('p'), Some(s)) = (key.code, &self.student) {
            return Nav::Push(Screen::view(super::progress::StudentProgress::new(
                s.id,
                &s.display_name(),
            )));
        }
        if is_back(&key) { Nav::Pop } else { Nav::Stay }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let Some(s) = &self.student else {
            render_scrolled(
                frame,
                area,
                ctx.t(Key::EntStudent),
                Vec::new(),
                &self.scroll,
            );
            return;
        };
        let none = ctx.t(Key::None_).to_string();
        let join = |v: &[portail::services::students::NamedRef]| {
            if v.is_empty() {
                none.clone()
            } else {
                v.iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        };
        let rows = [
            (Key::FieldEmail, s.email.clone()),
            (Key::FieldFirstName, or_none(ctx, Some(&s.first_name))),
            (Key::FieldLastName, or_none(ctx, Some(&s.last_name))),
            (Key::FieldPhone, or_none(ctx, s.phone.as_deref())),
            (Key::FieldStatus, ctx.label(s.status).to_string()),
            (Key::MenuOrganisations, join(&s.organisations)),
            (Key::MenuClasses, join(&s.classes)),
            (Key::UiCreated, ctx.day(s.created_at)),
            (
                Key::UiLastLogin,
                s.last_login_at
                    .map(|d| ctx.minute(d))
                    .unwrap_or_else(|| none.clone()),
            ),
            (
                Key::FieldNotes,
                s.notes.clone().unwrap_or_else(|| none.clone()),
            ),
        ];
        let photo = match &self.photo {
            None => ctx.t(Key::SpLoading),
            Some(Some(_)) => ctx.t(Key::SpPhotoSet),
            Some(None) => ctx.t(Key::SpPhotoAbsent),
        };
        let mut rows = rows.to_vec();
        rows.push((Key::SpPhoto, photo.to_string()));
        let mut lines = detail_lines(ctx, &rows);
        // The photo right under its row, scrolling with the rest.
        if let Some(Some(pic)) = &self.photo {
            lines.extend(crate::components::preview::lines(pic, 2));
        }
        let title = Safe::line(&s.display_name()).into_string();
        render_scrolled(frame, area, &title, lines, &self.scroll);
        self.actions.render(frame, area);
    }

    fn hints(&self) -> Key {
        if self.actions.dialog.is_some() {
            Key::UiHintConfirm
        } else {
            Key::SpHintStudentDetail
        }
    }

    fn help(&self) -> Key {
        Key::SpHelpStudentDetail
    }

    fn captures_text(&self) -> bool {
        self.actions.dialog.is_some()
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::Student(self.id)));
        out.push(Command::Load(Query::Photo(self.id)));
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        match data {
            Data::Student(s) if s.id == self.id => self.student = Some((**s).clone()),
            Data::Photo(id, pic) if *id == self.id => self.photo = Some(pic.clone()),
            _ => {}
        }
        self.actions.loaded(ctx, data);
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
