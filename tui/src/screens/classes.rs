//! Classes: list, create / edit (forms.rs), delete, members (add from a searchable
//! multi-select list of students, remove).

use std::collections::BTreeSet;

use portail::i18n::{Key, tf};
use portail::services::classes::{Class, ClassMember};
use portail::services::students::Student;

use super::forms::FormScreen;
use super::{PendingDelete, Screen, date, impact, report};
use crate::components::dialog::Dialog;
use crate::components::list::{Col, Column, Keyed, ListScreen, ListSpec, Step, col, column, loads};
use crate::safe::Safe;
use crate::{Action, Command, Ctx, Data, Effect, KeyCode, Nav, Query};

/// The classes (see [`ListSpec`]).
#[derive(Default)]
pub(crate) struct ClassList {
    pending_delete: PendingDelete,
}

impl ClassList {
    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self::default())
    }
}

impl ListSpec for ClassList {
    type Item = Class;
    const HINTS: Key = Key::UiHintClassList;
    const HELP: Key = Key::UiHelpClassList;
    const TITLE: Key = Key::MenuClasses;
    const COLUMNS: &'static [Column<Class>] = &[
        column(Key::FieldName, 12, |_, c| Safe::line(&c.name)),
        column(Key::FieldOrganisation, 14, |_, c| {
            Safe::line(&c.organisation_name)
        }),
        column(Key::FieldStart, 10, |ctx, c| date(ctx, c.start_date).into()),
        column(Key::FieldEnd, 10, |ctx, c| date(ctx, c.end_date).into()),
        column(Key::UiMembers, 7, |_, c| c.member_count.to_string().into()),
    ];

    fn search_text(&self, c: &Class) -> String {
        format!("{} {}", c.name, c.organisation_name)
    }

    loads!(Query::Classes, Data::Classes);

    fn key(&mut self, k: Keyed<'_, Class>) -> Step {
        let Keyed { key, sel, out, .. } = k;
        Step::Nav(match (key.code, sel) {
            (KeyCode::Char('n'), _) => Nav::Push(Screen::view(FormScreen::class(None))),
            (KeyCode::Char('e'), Some(c)) => Nav::Push(Screen::view(FormScreen::class(Some(c)))),
            (KeyCode::Enter | KeyCode::Right | KeyCode::Char('m'), Some(c)) => {
                Nav::Push(Screen::view(ClassMembers::new(Some(c.clone()))))
            }
            (KeyCode::Char('d') | KeyCode::Delete, Some(c)) => {
                self.pending_delete
                    .ask(c.id, Query::ClassDeletion(c.id), out)
            }
            _ => Nav::Stay,
        })
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data, classes: &[Class]) -> Option<Step> {
        let Data::ClassDeletion(id, imp) = data else {
            return None;
        };
        let name = self
            .pending_delete
            .answered(*id, classes, |c| (c.id, &c.name))?;
        let what = tf(ctx.lang, Key::UiTheClass, &[&name]);
        let text = impact(
            ctx,
            &what,
            &[
                (imp.memberships, Key::UiNMemberships),
                (imp.assignments, Key::UiNAssignments),
            ],
        );
        Some(Step::delete(ctx, text, Action::DeleteClass(*id)))
    }
}

/// The members of a class, with their account status (see [`ListSpec`]).
pub(crate) struct ClassMembers {
    class: Option<Class>,
    id: i64,
}

impl ClassMembers {
    pub(crate) fn new(class: Option<Class>) -> ListScreen<Self> {
        ListScreen::of(Self {
            id: class.as_ref().map_or(0, |c| c.id),
            class,
        })
    }

    fn name(&self) -> Safe {
        self.class
            .as_ref()
            .map(|c| Safe::line(&format!("{} / {}", c.organisation_name, c.name)))
            .unwrap_or_default()
    }
}

fn person(first: &str, last: &str, email: &str) -> Safe {
    let n = format!("{first} {last}");
    let n = n.trim();
    Safe::line(if n.is_empty() { email } else { n })
}

impl ListSpec for ClassMembers {
    type Item = ClassMember;
    const TITLE: Key = Key::UiMembers;
    const HINTS: Key = Key::SpHintMembers;
    const HELP: Key = Key::SpHelpMembers;
    const COLUMNS: &'static [Column<ClassMember>] = &[
        column(Key::FieldName, 14, |_, m| {
            person(&m.first_name, &m.last_name, &m.email)
        }),
        column(Key::FieldStatus, 12, |ctx, m| ctx.label(m.status).into()),
        column(Key::FieldEmail, 24, |_, m| Safe::line(&m.email)),
    ];

    fn heading(&self, ctx: &Ctx) -> String {
        tf(ctx.lang, Key::UiMembersOf, &[&self.name()])
    }

    fn search_text(&self, m: &ClassMember) -> String {
        format!("{} {} {}", m.first_name, m.last_name, m.email)
    }

    fn queries(&self) -> Vec<Query> {
        vec![Query::ClassMembers(self.id), Query::Classes]
    }

    fn items(&self, data: &Data) -> Option<Vec<ClassMember>> {
        match data {
            Data::ClassMembers(id, members) if *id == self.id => Some(members.clone()),
            _ => None,
        }
    }

    fn key(&mut self, k: Keyed<'_, ClassMember>) -> Step {
        let Keyed {
            ctx, key, sel, all, ..
        } = k;
        match (key.code, sel) {
            (KeyCode::Char('p'), _) => Step::Nav(Nav::Push(Screen::view(
                super::progress::ClassProgress::new(self.id, &self.name()),
            ))),
            (KeyCode::Char('a' | 'n'), _) => Step::Nav(Nav::Push(Screen::view(MemberPicker::new(
                self.id,
                self.name().into_string(),
                all.iter().map(|m| m.student_id).collect(),
            )))),
            (KeyCode::Char('d' | 'x') | KeyCode::Delete, Some(m)) => {
                let who = person(&m.first_name, &m.last_name, &m.email);
                let text = tf(ctx.lang, Key::UiRemoveMember, &[&who, &self.name()]);
                Step::Confirm(Dialog::confirm(
                    ctx,
                    ctx.t(Key::UiRemove),
                    text,
                    Action::RemoveMembers {
                        class: self.id,
                        students: vec![m.student_id],
                    },
                ))
            }
            _ => Step::Nav(Nav::Stay),
        }
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data, _: &[ClassMember]) -> Option<Step> {
        if let Data::Classes(classes) = data
            && let Some(c) = classes.iter().find(|c| c.id == self.id)
        {
            self.class = Some(c.clone());
        }
        None
    }
}

/// Picks students to add to a class: Space ticks, Enter adds the ticked ones (or the
/// highlighted one when none is ticked; see [`ListSpec`]).
pub(crate) struct MemberPicker {
    class: i64,
    class_name: String,
    exclude: Vec<i64>,
    checked: BTreeSet<i64>,
    busy: bool,
}

impl MemberPicker {
    /// Whether the picker offers `s` (not already a member).
    fn keeps(&self, s: &Student) -> bool {
        !self.exclude.contains(&s.id)
    }

    pub(crate) fn new(class: i64, class_name: String, exclude: Vec<i64>) -> ListScreen<Self> {
        ListScreen::of(Self {
            class,
            class_name,
            exclude,
            checked: BTreeSet::new(),
            busy: false,
        })
    }
}

impl ListSpec for MemberPicker {
    type Item = Student;
    const TITLE: Key = Key::MenuStudents;
    const HINTS: Key = Key::UiHintPicker;
    const HELP: Key = Key::UiHelpPicker;

    fn heading(&self, ctx: &Ctx) -> String {
        tf(
            ctx.lang,
            Key::UiAddTo,
            &[&self.class_name, &self.checked.len().to_string()],
        )
    }

    fn columns(&self, ctx: &Ctx) -> Vec<Col> {
        vec![
            col(ctx.t(Key::FieldName), 18),
            col(ctx.t(Key::FieldEmail), 26),
        ]
    }

    fn cells(&self, _ctx: &Ctx, s: &Student) -> Vec<Safe> {
        let mark = if self.checked.contains(&s.id) {
            "[x] "
        } else {
            "[ ] "
        };
        vec![
            Safe::line(&format!("{mark}{}", s.display_name())),
            Safe::line(&s.email),
        ]
    }

    fn search_text(&self, s: &Student) -> String {
        format!("{} {}", s.display_name(), s.email)
    }

    loads!(Query::Students, Data::Students, Self::keeps);

    fn key(&mut self, k: Keyed<'_, Student>) -> Step {
        let Keyed { key, sel, out, .. } = k;
        if self.busy {
            return Nav::Stay.into();
        }
        let sel = sel.map(|s| s.id);
        match key.code {
            KeyCode::Char(' ' | 'x') => {
                if let Some(id) = sel
                    && !self.checked.remove(&id)
                {
                    self.checked.insert(id);
                }
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
            }
            _ => {}
        }
        Nav::Stay.into()
    }

    fn ran(&mut self, ctx: &mut Ctx, result: Result<Effect, String>) -> Nav {
        self.busy = false;
        let ok = result.is_ok();
        report(ctx, result);
        if ok { Nav::Pop } else { Nav::Stay }
    }
}
