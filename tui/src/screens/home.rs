//! Home: the menu, by role.

use portail::Role;
use portail::i18n::{Key, tf};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use super::account::AccountScreen;
use super::classes::ClassList;
use super::courses::CourseList;
use super::demos::{DemoList, MyDemoList};
use super::import::ImportScreen;
use super::learning::MyCourses;
use super::messages::MessageList;
use super::orgs::OrgList;
use super::placeholder::PlaceholderScreen;
use super::quiz_admin::QuizList;
use super::quiz_take::MyQuizzes;
use super::security::SecurityLog;
use super::students::StudentList;
use super::{Screen, list_move};
use crate::safe::Safe;
use crate::theme::{dim, panel, scroll_marks, selected, title};
use crate::{Ctx, ImportKind, KeyCode, KeyEvent, Nav};

const TRAINER_MENU: [Key; 11] = [
    Key::MenuOrganisations,
    Key::MenuClasses,
    Key::MenuStudents,
    Key::MenuCourses,
    Key::MenuMessages,
    Key::MenuAccount,
    Key::MenuImport,
    Key::QtMenuQuizzes,
    Key::DmMenu,
    Key::MenuSecurity,
    Key::MenuQuit,
];
const STUDENT_MENU: [Key; 6] = [
    Key::MenuMyCourses,
    Key::MenuMessages,
    Key::MenuAccount,
    Key::QtMenuMyQuizzes,
    Key::DmMenu,
    Key::MenuQuit,
];

/// Upcoming demos announced on a student's home screen.
const MAX_DEMO_LINES: usize = 2;

pub(crate) struct HomeScreen {
    items: &'static [Key],
    selected: usize,
    /// The first entry drawn (kept between frames so the menu scrolls only when needed).
    offset: std::cell::Cell<usize>,
    /// The logo links drawn by the last render.
    links: std::cell::RefCell<Vec<crate::Hyperlink>>,
    student: bool,
}

impl HomeScreen {
    pub(crate) fn new(ctx: &Ctx) -> Self {
        let items: &'static [Key] = match ctx.user.role {
            Role::Trainer => &TRAINER_MENU,
            Role::Student => &STUDENT_MENU,
        };
        Self {
            items,
            selected: 0,
            offset: std::cell::Cell::new(0),
            links: Default::default(),
            student: ctx.user.role == Role::Student,
        }
    }

    pub(crate) fn selected(&self) -> usize {
        self.selected
    }

    pub(crate) fn select(&mut self, i: usize) {
        self.selected = i.min(self.items.len() - 1);
    }

    pub(crate) fn key(&mut self, ctx: &mut Ctx, key: KeyEvent) -> Nav {
        if let Some(i) = list_move(&key, self.selected, self.items.len()) {
            self.selected = i;
            return Nav::Stay;
        }
        // Digits jump straight to an entry.
        if let KeyCode::Char(c @ '1'..='9') = key.code {
            let i = c as usize - '1' as usize;
            if i < self.items.len() {
                self.selected = i;
                return self.open(ctx);
            }
        }
        match key.code {
            KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => self.open(ctx),
            _ => Nav::Stay,
        }
    }

    fn open(&self, ctx: &Ctx) -> Nav {
        match self.items[self.selected] {
            Key::MenuAccount => Nav::Push(Screen::Account(AccountScreen::new(
                ctx.user.role == Role::Student,
                ctx.user.id,
            ))),
            Key::MenuMyCourses => Nav::Push(Screen::view(MyCourses::new())),
            Key::MenuQuit => Nav::Quit,
            Key::MenuSecurity => Nav::Push(Screen::view(SecurityLog::new())),
            Key::MenuOrganisations => Nav::Push(Screen::view(OrgList::new())),
            Key::MenuClasses => Nav::Push(Screen::view(ClassList::new())),
            Key::MenuStudents => Nav::Push(Screen::view(StudentList::new())),
            Key::MenuCourses => Nav::Push(Screen::view(CourseList::new())),
            Key::QtMenuQuizzes => Nav::Push(Screen::view(QuizList::new(None))),
            Key::QtMenuMyQuizzes => Nav::Push(Screen::view(MyQuizzes::new())),
            Key::DmMenu if ctx.user.role == Role::Student => {
                Nav::Push(Screen::view(MyDemoList::new()))
            }
            Key::DmMenu => Nav::Push(Screen::view(DemoList::new())),
            Key::MenuImport => Nav::Push(Screen::view(ImportScreen::new(ImportKind::Students))),
            Key::MenuMessages => Nav::Push(Screen::view(MessageList::new(
                ctx.user.role == Role::Student,
            ))),
            other => Nav::Push(Screen::Placeholder(PlaceholderScreen::new(other))),
        }
    }

    pub(crate) fn hyperlinks(&self) -> Vec<crate::Hyperlink> {
        self.links.borrow().clone()
    }

    /// Back on the home screen: a student's demos again (the announcement stays fresh).
    pub(crate) fn enter(&self, out: &mut Vec<crate::Command>) {
        if self.student {
            out.push(crate::Command::Load(crate::Query::MyDemos));
        }
    }

    /// The lines announcing a student's upcoming demos (at most two), live ones marked.
    fn demo_lines(ctx: &Ctx, max: usize) -> Vec<Line<'static>> {
        ctx.demos
            .iter()
            .filter(|d| d.is_upcoming(ctx.now))
            .take(max)
            .map(|d| {
                let text = Safe::line(&portail::present::demo_line(ctx.lang, ctx.tz, ctx.now, d))
                    .into_string();
                if d.status == portail::services::tech_demos::DemoStatus::Live {
                    Line::styled(text, title())
                } else {
                    Line::from(text)
                }
            })
            .collect()
    }

    pub(crate) fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        let name = Safe::line(&ctx.user.display_name()).into_string();
        let mut lines = vec![Line::from(tf(ctx.lang, Key::Welcome, &[&name]))];
        // A phone shows the next demo only, so the whole menu stays in sight.
        let max = if area.height < 18 { 1 } else { MAX_DEMO_LINES };
        lines.extend(Self::demo_lines(ctx, max));
        // A student's organisation logos (at most 3) take the blank line's place.
        let logos = &ctx.logos[..ctx.logos.len().min(3)];
        if logos.is_empty() {
            lines.push(Line::from(""));
        }
        // The announcements wrap; the menu keeps at least five rows.
        let text = Paragraph::new(lines).wrap(Wrap { trim: true });
        let text_rows = text.line_count(area.width.saturating_sub(2)) as u16;
        let height = (text_rows + logos.len() as u16)
            .min(area.height.saturating_sub(5))
            .max(2);
        let [greeting, menu] =
            Layout::vertical([Constraint::Length(height), Constraint::Min(3)]).areas(area);
        let inner = greeting.inner(ratatui::layout::Margin::new(1, 0));
        let [text_area, logo_area] = Layout::vertical([
            Constraint::Length(text_rows.min(inner.height)),
            Constraint::Min(0),
        ])
        .areas(inner);
        frame.render_widget(text, text_area);
        let mut links = self.links.borrow_mut();
        links.clear();
        if !logos.is_empty() {
            crate::components::link::draw_logos(frame, ctx, logo_area, logos, &mut links);
        }
        // The menu keeps a readable width on wide screens.
        let width = menu.width.min(48);
        let menu = Rect { width, ..menu };
        let items: Vec<ListItem> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let mut spans = vec![
                    Span::styled(format!("{} ", i + 1), dim()),
                    Span::raw(ctx.t(*k)),
                ];
                if *k == Key::MenuMessages && ctx.unread > 0 {
                    spans.push(Span::styled(
                        format!(
                            "  {}",
                            tf(ctx.lang, Key::MsgBadge, &[&ctx.unread.to_string()])
                        ),
                        title(),
                    ));
                }
                ListItem::new(Line::from(spans))
            })
            .collect();
        // ratatui's list keeps the selected entry in sight; the marks say what is not.
        // A taller window than last time shows more entries rather than blank lines.
        let shown = menu.height.saturating_sub(2) as usize;
        let offset = self
            .offset
            .get()
            .min(self.items.len().saturating_sub(shown));
        let mut state = ListState::default()
            .with_offset(offset)
            .with_selected(Some(self.selected));
        frame.render_stateful_widget(
            List::new(items)
                .block(panel(ctx.t(Key::AppName)))
                .highlight_style(selected())
                .highlight_symbol("› "),
            menu,
            &mut state,
        );
        self.offset.set(state.offset());
        let below = self.items.len().saturating_sub(state.offset() + shown);
        scroll_marks(frame, ctx, menu, state.offset(), below);
    }
}
