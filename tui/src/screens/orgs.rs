//! Organismes: list with search, detail, create / edit (forms.rs), delete with its impact.

use std::cell::Cell;

use portail::i18n::{Key, tf};
use portail::services::orgs::Organisation;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::forms::FormScreen;
use super::share::LinkScreen;
use super::{
    PendingDelete, Screen, View, detail_lines, impact, is_back, or_none, render_scrolled,
    scroll_key,
};
use crate::components::list::{Column, Keyed, ListScreen, ListSpec, Step, column, loads};
use crate::safe::Safe;
use crate::{Action, Command, Ctx, Data, Effect, KeyCode, KeyEvent, Nav, Picture, Query};

/// The organisations (see [`ListSpec`]).
#[derive(Default)]
pub(crate) struct OrgList {
    pending_delete: PendingDelete,
}

impl OrgList {
    pub(crate) fn new() -> ListScreen<Self> {
        ListScreen::of(Self::default())
    }
}

impl ListSpec for OrgList {
    type Item = Organisation;
    const HINTS: Key = Key::UiHintOrgList;
    const HELP: Key = Key::UiHelpOrgList;
    const TITLE: Key = Key::MenuOrganisations;
    const COLUMNS: &'static [Column<Organisation>] = &[
        column(Key::FieldName, 14, |_, o| Safe::line(&o.name)),
        column(Key::MenuClasses, 8, |_, o| o.class_count.to_string().into()),
        column(Key::MenuStudents, 9, |_, o| {
            o.student_count.to_string().into()
        }),
    ];

    fn search_text(&self, o: &Organisation) -> String {
        format!(
            "{} {} {}",
            o.name,
            o.siret.as_deref().unwrap_or(""),
            o.email.as_deref().unwrap_or("")
        )
    }

    loads!(Query::Orgs, Data::Orgs);

    fn key(&mut self, k: Keyed<'_, Organisation>) -> Step {
        let Keyed { key, sel, out, .. } = k;
        Step::Nav(match (key.code, sel) {
            (KeyCode::Char('n'), _) => Nav::Push(Screen::view(FormScreen::org(None))),
            (KeyCode::Char('e'), Some(o)) => Nav::Push(Screen::view(FormScreen::org(Some(o)))),
            (KeyCode::Enter | KeyCode::Right, Some(o)) => {
                Nav::Push(Screen::view(OrgDetail::new(o.id)))
            }
            (KeyCode::Char('d') | KeyCode::Delete, Some(o)) => {
                self.pending_delete.ask(o.id, Query::OrgDeletion(o.id), out)
            }
            _ => Nav::Stay,
        })
    }

    fn loaded(&mut self, ctx: &mut Ctx, data: &Data, orgs: &[Organisation]) -> Option<Step> {
        let Data::OrgDeletion(id, imp) = data else {
            return None;
        };
        let name = self
            .pending_delete
            .answered(*id, orgs, |o| (o.id, &o.name))?;
        let what = tf(ctx.lang, Key::UiTheOrg, &[&name]);
        let text = impact(
            ctx,
            &what,
            &[
                (imp.classes, Key::UiNClasses),
                (imp.class_memberships, Key::UiNMemberships),
                (imp.assignments, Key::UiNAssignments),
            ],
        );
        let text = format!("{text}\n{}", ctx.t(Key::UiOrgDeleteKeeps));
        Some(Step::delete(ctx, text, Action::DeleteOrg(*id)))
    }
}

pub(crate) struct OrgDetail {
    id: i64,
    org: Option<Organisation>,
    /// The logo's preview, `None` while absent or loading.
    logo: Option<Picture>,
    scroll: Cell<u16>,
}

impl OrgDetail {
    pub(crate) fn new(id: i64) -> Self {
        Self {
            id,
            org: None,
            logo: None,
            scroll: Cell::new(0),
        }
    }
}

impl View for OrgDetail {
    fn key(&mut self, _ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        if scroll_key(&key, &self.scroll) {
            return Nav::Stay;
        }
        match key.code {
            KeyCode::Char('e') if self.org.is_some() => {
                Nav::Push(Screen::view(FormScreen::org(self.org.as_ref())))
            }
            KeyCode::Char('u') if self.org.is_some() => {
                out.push(Command::Run(Action::LogoUploadLink(self.id)));
                Nav::Stay
            }
            _ if is_back(&key) => Nav::Pop,
            _ => Nav::Stay,
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let Some(o) = &self.org else {
            render_scrolled(
                frame,
                area,
                ctx.t(Key::EntOrganisation),
                Vec::new(),
                &self.scroll,
            );
            return;
        };
        let logo = if o.has_logo {
            Key::UiLogoSet
        } else {
            Key::UiLogoAbsent
        };
        let rows = [
            (Key::FieldName, o.name.clone()),
            (Key::FieldSiret, or_none(ctx, o.siret.as_deref())),
            (Key::FieldAddress, or_none(ctx, o.address.as_deref())),
            (Key::FieldContact, or_none(ctx, o.contact_name.as_deref())),
            (Key::FieldEmail, or_none(ctx, o.email.as_deref())),
            (Key::FieldPhone, or_none(ctx, o.phone.as_deref())),
            (Key::FieldWebsite, or_none(ctx, o.website.as_deref())),
            (Key::UiLogo, ctx.t(logo).to_string()),
            (Key::MenuClasses, o.class_count.to_string()),
            (Key::MenuStudents, o.student_count.to_string()),
            (
                Key::FieldNotes,
                o.notes
                    .clone()
                    .unwrap_or_else(|| ctx.t(Key::None_).to_string()),
            ),
        ];
        let logo_at = detail_lines(ctx, &rows[..8]).len();
        let mut lines = detail_lines(ctx, &rows);
        // The logo itself right under its row (aspect kept), scrolling with the rest.
        if let Some(pic) = &self.logo {
            let at = logo_at.min(lines.len());
            lines.splice(at..at, crate::components::preview::lines(pic, 2));
        }
        render_scrolled(frame, area, &Safe::line(&o.name), lines, &self.scroll);
    }

    fn hints(&self) -> Key {
        Key::FlHintOrgDetail
    }

    fn help(&self) -> Key {
        Key::FlHelpOrgDetail
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        out.push(Command::Load(Query::Orgs));
        out.push(Command::Load(Query::OrgLogo(self.id)));
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        match data {
            Data::Orgs(orgs) => self.org = orgs.iter().find(|o| o.id == self.id).cloned(),
            Data::OrgLogo(id, pic) if *id == self.id => self.logo = pic.clone(),
            _ => {}
        }
    }

    fn ran(
        &mut self,
        ctx: &mut Ctx,
        result: Result<Effect, String>,
        _out: &mut Vec<Command>,
    ) -> Nav {
        match result {
            Ok(Effect::Link(url)) => {
                let name = self
                    .org
                    .as_ref()
                    .map(|o| Safe::line(&o.name))
                    .unwrap_or_default();
                Nav::Push(Screen::view(LinkScreen::new(
                    tf(ctx.lang, Key::FlLinkLogoTitle, &[&name]),
                    url,
                    Key::FlLinkExecLogo,
                )))
            }
            other => {
                super::report(ctx, other);
                Nav::Stay
            }
        }
    }
}
