//! Classes: list, create / edit (forms.rs), delete, members (add from a searchable
//! multi-select list of students, remove).

use std::collections::BTreeSet;

use portail::i18n::{Key, tf};
use portail::sanitize;
use portail::services::classes::{Class, ClassMember};
use portail::services::students::Student;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::forms::FormScreen;
use super::{Screen, View, date, impact, is_back, report};
use crate::components::dialog::{Answer, Dialog};
use crate::components::list::{ListView, col};
use crate::{Action, Command, Ctx, Data, Effect, KeyCode, KeyEvent, Nav, Query};

#[derive(Default)]
pub(crate) struct ClassList {
    classes: Vec<Class>,
    list: ListView,
    pending_delete: Option<i64>,
    dialog: Option<Dialog<i64>>,
}

impl ClassList {
    pub(crate) fn new() -> Self {
        Self {
            list: ListView::new(),
            ..Self::default()
        }
    }

    fn selected(&self) -> Option<&Class> {
        self.list.selected().and_then(|i| self.classes.get(i))
    }
}

impl View for ClassList {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if let Some(d) = &self.dialog {
            match d.key(&key) {
                Answer::Yes => {
                    out.push(Command::Run(Action::DeleteClass(d.pending)));
                    self.dialog = None;
                }
                Answer::No => self.dialog = None,
                _ => {}
            }
            return Nav::Stay;
        }
        if self.list.key(&key) {
            return Nav::Stay;
        }
        let sel = self.selected();
        match key.code {
            KeyCode::Char('n') => Nav::Push(Screen::view(FormScreen::class(None))),
            KeyCode::Char('e') if sel.is_some() => Nav::Push(Screen::view(FormScreen::class(sel))),
            KeyCode::Enter | KeyCode::Right | KeyCode::Char('m') if sel.is_some() => {
                Nav::Push(Screen::view(ClassMembers::new(sel.cloned())))
            }
            KeyCode::Char('d') | KeyCode::Delete if sel.is_some() => {
                let id = sel.map_or(0, |c| c.id);
                self.pending_delete = Some(id);
                out.push(Command::Load(Query::ClassDeletion(id)));
                Nav::Stay
            }
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let rows: Vec<Vec<String>> = self
            .classes
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    c.organisation_name.clone(),
                    date(ctx, c.start_date),
                    date(ctx, c.end_date),
                    c.member_count.to_string(),
                ]
            })
            .collect();
        let cols = [
            col(ctx.t(Key::FieldName), 12),
            col(ctx.t(Key::FieldOrganisation), 14),
            col(ctx.t(Key::FieldStart), 10),
            col(ctx.t(Key::FieldEnd), 10),
            col(ctx.t(Key::UiMembers), 7),
        ];
        self.list
            .render(frame, ctx, area, ctx.t(Key::MenuClasses), &cols, &rows);
        if let Some(d) = &self.dialog {
            d.render(frame, area);
        }
    }

    fn hints(&self) -> Key {
        if self.dialog.is_some() {
            Key::UiHintConfirm
        } else if self.list.searching() {
            Key::UiHintSearch
        } else {
            Key::UiHintClassList
        }
    }

    fn help(&self) -> Key {
        Key::UiHelpClassList
    }

    fn captures_text(&self) -> bool {
        self.list.searching() || self.dialog.is_some()
    }

    fn paste(&mut self, text: &str) {
        self.list.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::Classes));
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data) {
        match data {
            Data::Classes(classes) => {
                self.classes = classes.clone();
                self.list.set_items(
                    classes
                        .iter()
                        .map(|c| format!("{} {}", c.name, c.organisation_name))
                        .collect(),
                );
            }
            Data::ClassDeletion(id, imp) if self.pending_delete == Some(*id) => {
                self.pending_delete = None;
                let name = self
                    .classes
                    .iter()
                    .find(|c| c.id == *id)
                    .map(|c| sanitize::line(&c.name).into_owned())
                    .unwrap_or_default();
                let what = tf(ctx.lang, Key::UiTheClass, &[&name]);
                let text = impact(
                    ctx,
                    &what,
                    &[
                        (imp.memberships, Key::UiNMemberships),
                        (imp.assignments, Key::UiNAssignments),
                    ],
                );
                self.dialog = Some(Dialog::confirm(ctx, ctx.t(Key::UiDelete), text, *id));
            }
            _ => {}
        }
    }
}

/// The members of a class, with their account status.
pub(crate) struct ClassMembers {
    class: Option<Class>,
    id: i64,
    members: Vec<ClassMember>,
    list: ListView,
    dialog: Option<Dialog<i64>>,
}

impl ClassMembers {
    pub(crate) fn new(class: Option<Class>) -> Self {
        Self {
            id: class.as_ref().map_or(0, |c| c.id),
            class,
            members: Vec::new(),
            list: ListView::new(),
            dialog: None,
        }
    }

    fn name(&self) -> String {
        self.class
            .as_ref()
            .map(|c| sanitize::line(&format!("{} / {}", c.organisation_name, c.name)).into_owned())
            .unwrap_or_default()
    }
}

fn person(first: &str, last: &str, email: &str) -> String {
    let n = format!("{first} {last}");
    let n = n.trim();
    if n.is_empty() {
        email.to_string()
    } else {
        n.to_string()
    }
}

impl View for ClassMembers {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if let Some(d) = &self.dialog {
            match d.key(&key) {
                Answer::Yes => {
                    out.push(Command::Run(Action::RemoveMembers {
                        class: self.id,
                        students: vec![d.pending],
                    }));
                    self.dialog = None;
                }
                Answer::No => self.dialog = None,
                _ => {}
            }
            return Nav::Stay;
        }
        if self.list.key(&key) {
            return Nav::Stay;
        }
        let sel = self.list.selected().and_then(|i| self.members.get(i));
        match key.code {
            KeyCode::Char('p') => Nav::Push(Screen::view(super::progress::ClassProgress::new(
                self.id,
                &self.name(),
            ))),
            KeyCode::Char('a' | 'n') => Nav::Push(Screen::view(MemberPicker::new(
                self.id,
                self.name(),
                self.members.iter().map(|m| m.student_id).collect(),
            ))),
            KeyCode::Char('d' | 'x') | KeyCode::Delete if sel.is_some() => {
                let m = sel.expect("checked");
                let who =
                    sanitize::line(&person(&m.first_name, &m.last_name, &m.email)).into_owned();
                let text = tf(ctx.lang, Key::UiRemoveMember, &[&who, &self.name()]);
                self.dialog = Some(Dialog::confirm(
                    ctx,
                    ctx.t(Key::UiRemove),
                    text,
                    m.student_id,
                ));
                Nav::Stay
            }
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let rows: Vec<Vec<String>> = self
            .members
            .iter()
            .map(|m| {
                vec![
                    person(&m.first_name, &m.last_name, &m.email),
                    ctx.label(m.status).to_string(),
                    m.email.clone(),
                ]
            })
            .collect();
        let cols = [
            col(ctx.t(Key::FieldName), 14),
            col(ctx.t(Key::FieldStatus), 12),
            col(ctx.t(Key::FieldEmail), 24),
        ];
        let heading = tf(ctx.lang, Key::UiMembersOf, &[&self.name()]);
        self.list.render(frame, ctx, area, &heading, &cols, &rows);
        if let Some(d) = &self.dialog {
            d.render(frame, area);
        }
    }

    fn hints(&self) -> Key {
        if self.dialog.is_some() {
            Key::UiHintConfirm
        } else if self.list.searching() {
            Key::UiHintSearch
        } else {
            Key::SpHintMembers
        }
    }

    fn help(&self) -> Key {
        Key::SpHelpMembers
    }

    fn captures_text(&self) -> bool {
        self.list.searching() || self.dialog.is_some()
    }

    fn paste(&mut self, text: &str) {
        self.list.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::ClassMembers(self.id)));
        out.push(Command::Load(Query::Classes));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        match data {
            Data::ClassMembers(id, members) if *id == self.id => {
                self.members = members.clone();
                self.list.set_items(
                    members
                        .iter()
                        .map(|m| format!("{} {} {}", m.first_name, m.last_name, m.email))
                        .collect(),
                );
            }
            Data::Classes(classes) => {
                if let Some(c) = classes.iter().find(|c| c.id == self.id) {
                    self.class = Some(c.clone());
                }
            }
            _ => {}
        }
    }
}

/// Picks students to add to a class: Space ticks, Enter adds the ticked ones (or the
/// highlighted one when none is ticked).
pub(crate) struct MemberPicker {
    class: i64,
    class_name: String,
    exclude: Vec<i64>,
    students: Vec<Student>,
    list: ListView,
    checked: BTreeSet<i64>,
    busy: bool,
}

impl MemberPicker {
    pub(crate) fn new(class: i64, class_name: String, exclude: Vec<i64>) -> Self {
        Self {
            class,
            class_name,
            exclude,
            students: Vec::new(),
            list: ListView::new(),
            checked: BTreeSet::new(),
            busy: false,
        }
    }
}

impl View for MemberPicker {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if self.busy || self.list.key(&key) {
            return Nav::Stay;
        }
        let sel = self
            .list
            .selected()
            .and_then(|i| self.students.get(i))
            .map(|s| s.id);
        match key.code {
            KeyCode::Char(' ' | 'x') => {
                if let Some(id) = sel
                    && !self.checked.remove(&id)
                {
                    self.checked.insert(id);
                }
                Nav::Stay
            }
            KeyCode::Enter => {
                let students: Vec<i64> = if self.checked.is_empty() {
                    sel.into_iter().collect()
                } else {
                    self.checked.iter().copied().collect()
                };
                if !students.is_empty() {
                    self.busy = true;
                    out.push(Command::Run(Action::AddMembers {
                        class: self.class,
                        students,
                    }));
                }
                Nav::Stay
            }
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let rows: Vec<Vec<String>> = self
            .students
            .iter()
            .map(|s| {
                let mark = if self.checked.contains(&s.id) {
                    "[x] "
                } else {
                    "[ ] "
                };
                vec![format!("{mark}{}", s.display_name()), s.email.clone()]
            })
            .collect();
        let cols = [
            col(ctx.t(Key::FieldName), 18),
            col(ctx.t(Key::FieldEmail), 26),
        ];
        let heading = tf(
            ctx.lang,
            Key::UiAddTo,
            &[&self.class_name, &self.checked.len().to_string()],
        );
        self.list.render(frame, ctx, area, &heading, &cols, &rows);
    }

    fn hints(&self) -> Key {
        if self.list.searching() {
            Key::UiHintSearch
        } else {
            Key::UiHintPicker
        }
    }

    fn help(&self) -> Key {
        Key::UiHelpPicker
    }

    fn captures_text(&self) -> bool {
        self.list.searching()
    }

    fn paste(&mut self, text: &str) {
        self.list.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        if self.students.is_empty() {
            out.push(Command::Load(Query::Students));
        }
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let Data::Students(all) = data {
            self.students = all
                .iter()
                .filter(|s| !self.exclude.contains(&s.id))
                .cloned()
                .collect();
            self.list.set_items(
                self.students
                    .iter()
                    .map(|s| format!("{} {}", s.display_name(), s.email))
                    .collect(),
            );
        }
    }

    fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        _out: &mut Vec<Command>,
    ) -> Nav {
        self.busy = false;
        let ok = result.is_ok();
        report(ctx, result);
        if ok { Nav::Pop } else { Nav::Stay }
    }
}
