//! Create / edit forms of every administration entity: one screen, one `FormKind` each.
//! The form only gathers text; the service validates and names the faulty field.

use portail::i18n::Key;
use portail::services::classes::{Class, ClassInput};
use portail::services::courses::{Course, CourseInput, CourseStatus, Lesson};
use portail::services::orgs::{OrgInput, Organisation};
use portail::services::students::{Student, StudentInput};
use portail::validate::{
    MAX_DESCRIPTION, MAX_LESSON_BODY, MAX_NAME, MAX_NOTES, MAX_OBJECTIVES, MAX_PHONE,
    MAX_PREREQUISITES, MAX_SHORT,
};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{View, report};
use crate::components::form::{Field, Form, FormEvent};
use crate::{Action, Command, Ctx, Data, Effect, KeyEvent, Nav, Query};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormKind {
    Org(Option<i64>),
    Class(Option<i64>),
    Student(Option<i64>),
    Course(Option<i64>),
    Lesson {
        course: i64,
        id: Option<i64>,
    },
    Resource {
        course: i64,
    },
    /// A one-time link to upload a file to the course: title and optional lesson.
    Upload {
        course: i64,
    },
}

pub(crate) struct FormScreen {
    kind: FormKind,
    form: Form,
}

/// Fields get a little room over the service's limit, so "too long" is explained rather
/// than silently cut.
fn text(label: Key, value: Option<&str>, max: usize) -> Field {
    Field::text(label, value.unwrap_or(""), max + 1)
}

fn area(label: Key, value: Option<&str>, max: usize) -> Field {
    Field::area(label, value.unwrap_or(""), max + 1)
}

/// Objectives are typed one per line (or separated by ';').
pub(crate) fn split_objectives(s: &str) -> Vec<String> {
    s.split(['\n', ';'])
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(String::from)
        .collect()
}

impl FormScreen {
    pub(crate) fn org(o: Option<&Organisation>) -> Self {
        let v = o.map(OrgInput::from).unwrap_or_default();
        Self::new(
            FormKind::Org(o.map(|o| o.id)),
            vec![
                text(Key::FieldName, Some(&v.name), MAX_NAME),
                text(Key::FieldSiret, v.siret.as_deref(), 20),
                text(Key::FieldAddress, v.address.as_deref(), MAX_SHORT),
                text(Key::FieldContact, v.contact_name.as_deref(), MAX_NAME),
                text(Key::FieldEmail, v.email.as_deref(), MAX_NAME),
                text(Key::FieldPhone, v.phone.as_deref(), MAX_PHONE),
                text(Key::FieldWebsite, v.website.as_deref(), MAX_SHORT),
                area(Key::FieldNotes, v.notes.as_deref(), MAX_NOTES),
            ],
        )
    }

    pub(crate) fn class(c: Option<&Class>) -> Self {
        let fmt = |d: Option<chrono::NaiveDate>| d.map(portail::present::date);
        Self::new(
            FormKind::Class(c.map(|c| c.id)),
            vec![
                Field::choice(Key::FieldOrganisation, c.map(|c| c.organisation_id)),
                text(Key::FieldName, c.map(|c| c.name.as_str()), MAX_NAME),
                text(
                    Key::UiFieldStartDate,
                    fmt(c.and_then(|c| c.start_date)).as_deref(),
                    20,
                )
                .id(Key::FieldStart),
                text(
                    Key::UiFieldEndDate,
                    fmt(c.and_then(|c| c.end_date)).as_deref(),
                    20,
                )
                .id(Key::FieldEnd),
            ],
        )
    }

    pub(crate) fn student(s: Option<&Student>) -> Self {
        let v = s.map(StudentInput::from).unwrap_or_default();
        Self::new(
            FormKind::Student(s.map(|s| s.id)),
            vec![
                text(Key::FieldEmail, Some(&v.email), MAX_NAME),
                text(Key::FieldFirstName, Some(&v.first_name), MAX_NAME),
                text(Key::FieldLastName, Some(&v.last_name), MAX_NAME),
                text(Key::FieldPhone, v.phone.as_deref(), MAX_PHONE),
                area(Key::FieldNotes, v.notes.as_deref(), MAX_NOTES),
            ],
        )
    }

    pub(crate) fn course(c: Option<&Course>) -> Self {
        let v = c.map(CourseInput::from).unwrap_or_default();
        Self::new(
            FormKind::Course(c.map(|c| c.id)),
            vec![
                text(Key::FieldTitle, Some(&v.title), MAX_NAME),
                area(
                    Key::FieldDescription,
                    v.description.as_deref(),
                    MAX_DESCRIPTION,
                ),
                area(
                    Key::FieldObjectives,
                    Some(&v.objectives.join("\n")),
                    MAX_OBJECTIVES * (MAX_SHORT + 1),
                ),
                text(Key::FieldDuration, v.duration_hours.as_deref(), 20),
                text(Key::FieldLevel, v.level.as_deref(), MAX_SHORT),
                area(
                    Key::FieldPrerequisites,
                    v.prerequisites.as_deref(),
                    MAX_PREREQUISITES,
                ),
                Field::toggle(
                    Key::FieldStatus,
                    v.status == CourseStatus::Published,
                    Key::CourseDraft,
                    Key::CoursePublished,
                ),
            ],
        )
    }

    pub(crate) fn lesson(course: i64, l: Option<&Lesson>) -> Self {
        Self::new(
            FormKind::Lesson {
                course,
                id: l.map(|l| l.id),
            },
            vec![
                text(Key::FieldTitle, l.map(|l| l.title.as_str()), MAX_NAME),
                area(Key::FieldBody, l.map(|l| l.body.as_str()), MAX_LESSON_BODY),
            ],
        )
    }

    pub(crate) fn resource(course: i64) -> Self {
        Self::new(
            FormKind::Resource { course },
            vec![
                text(Key::FieldTitle, None, MAX_NAME),
                text(Key::FieldUrl, None, MAX_SHORT),
            ],
        )
    }

    /// Title and lesson ("Tout le cours" or one of `lessons`) of a file to upload through a
    /// one-time link.
    pub(crate) fn upload(course: i64, lessons: &[Lesson], ctx: &Ctx) -> Self {
        let mut s = Self::new(
            FormKind::Upload { course },
            vec![
                text(Key::FieldTitle, None, MAX_NAME),
                Field::choice(Key::FlFieldLesson, Some(0)),
            ],
        );
        let options = std::iter::once((0, ctx.t(Key::FlWholeCourse).to_string()))
            .chain(
                lessons
                    .iter()
                    .map(|l| (l.id, format!("{}. {}", l.position, l.title))),
            )
            .collect();
        s.form.set_options(Key::FlFieldLesson, options);
        s
    }

    fn new(kind: FormKind, fields: Vec<Field>) -> Self {
        Self {
            kind,
            form: Form::new(fields),
        }
    }

    fn heading(&self) -> Key {
        match self.kind {
            FormKind::Org(None) => Key::UiNewOrg,
            FormKind::Org(Some(_)) => Key::UiEditOrg,
            FormKind::Class(None) => Key::UiNewClass,
            FormKind::Class(Some(_)) => Key::UiEditClass,
            FormKind::Student(None) => Key::UiNewStudent,
            FormKind::Student(Some(_)) => Key::UiEditStudent,
            FormKind::Course(None) => Key::UiNewCourse,
            FormKind::Course(Some(_)) => Key::UiEditCourse,
            FormKind::Lesson { id: None, .. } => Key::UiNewLesson,
            FormKind::Lesson { id: Some(_), .. } => Key::UiEditLesson,
            FormKind::Resource { .. } => Key::UiNewResource,
            FormKind::Upload { .. } => Key::FlUploadForm,
        }
    }

    fn action(&self) -> Action {
        let f = &self.form;
        match self.kind {
            FormKind::Org(id) => Action::SaveOrg {
                id,
                input: OrgInput {
                    name: f.text(Key::FieldName),
                    siret: f.opt(Key::FieldSiret),
                    address: f.opt(Key::FieldAddress),
                    contact_name: f.opt(Key::FieldContact),
                    email: f.opt(Key::FieldEmail),
                    phone: f.opt(Key::FieldPhone),
                    website: f.opt(Key::FieldWebsite),
                    notes: f.opt(Key::FieldNotes),
                },
            },
            FormKind::Class(id) => Action::SaveClass {
                id,
                input: ClassInput {
                    organisation_id: f.choice(Key::FieldOrganisation).unwrap_or(0),
                    name: f.text(Key::FieldName),
                    start_date: f.opt(Key::FieldStart),
                    end_date: f.opt(Key::FieldEnd),
                },
            },
            FormKind::Student(id) => Action::SaveStudent {
                id,
                input: StudentInput {
                    email: f.text(Key::FieldEmail),
                    first_name: f.text(Key::FieldFirstName),
                    last_name: f.text(Key::FieldLastName),
                    phone: f.opt(Key::FieldPhone),
                    notes: f.opt(Key::FieldNotes),
                },
            },
            FormKind::Course(id) => Action::SaveCourse {
                id,
                input: CourseInput {
                    title: f.text(Key::FieldTitle),
                    description: f.opt(Key::FieldDescription),
                    objectives: split_objectives(&f.text(Key::FieldObjectives)),
                    duration_hours: f.opt(Key::FieldDuration),
                    level: f.opt(Key::FieldLevel),
                    prerequisites: f.opt(Key::FieldPrerequisites),
                    status: if f.on(Key::FieldStatus) {
                        CourseStatus::Published
                    } else {
                        CourseStatus::Draft
                    },
                },
            },
            FormKind::Lesson { course, id } => Action::SaveLesson {
                course,
                id,
                title: f.text(Key::FieldTitle),
                body: f.text(Key::FieldBody),
            },
            FormKind::Resource { course } => Action::AddResource {
                course,
                title: f.text(Key::FieldTitle),
                url: f.text(Key::FieldUrl),
            },
            FormKind::Upload { course } => Action::ResourceUploadLink {
                course,
                lesson: f.choice(Key::FlFieldLesson).filter(|l| *l != 0),
                title: f.text(Key::FieldTitle),
            },
        }
    }
}

impl View for FormScreen {
    fn key(&mut self, ctx: &mut Ctx, key: KeyEvent, out: &mut Vec<Command>) -> Nav {
        match self.form.key(key) {
            FormEvent::None => Nav::Stay,
            FormEvent::Cancel => Nav::Pop,
            FormEvent::Submit => {
                if let FormKind::Class(_) = self.kind
                    && self.form.choice(Key::FieldOrganisation).is_none()
                {
                    self.form.failed(ctx.t(Key::UiNeedOrgFirst).to_string());
                    return Nav::Stay;
                }
                self.form.submitting();
                out.push(Command::Run(self.action()));
                Nav::Stay
            }
        }
    }

    fn render(&self, frame: &mut Frame, ctx: &Ctx, area: Rect) {
        self.form.render(frame, ctx, area, ctx.t(self.heading()));
    }

    fn hints(&self) -> Key {
        if self.form.asking() {
            Key::UiHintConfirm
        } else {
            Key::UiHintForm
        }
    }

    fn help(&self) -> Key {
        match self.kind {
            FormKind::Course(_) => Key::UiHelpCourseForm,
            FormKind::Lesson { .. } => Key::UiHelpLessonForm,
            FormKind::Upload { .. } => Key::FlHelpUploadForm,
            _ => Key::UiHelpForm,
        }
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    fn enter(&mut self, out: &mut Vec<Command>) {
        if let FormKind::Class(_) = self.kind
            && self
                .form
                .choice(Key::FieldOrganisation)
                .is_none_or(|_| !self.form.has_options(Key::FieldOrganisation))
        {
            out.push(Command::Load(Query::Orgs));
        }
    }

    fn loaded(&mut self, _ctx: &mut Ctx, data: &Data) {
        if let (FormKind::Class(_), Data::Orgs(orgs)) = (self.kind, data) {
            self.form.set_options(
                Key::FieldOrganisation,
                orgs.iter().map(|o| (o.id, o.name.clone())).collect(),
            );
        }
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
            // The upload link replaces the form: Esc then goes back to the course.
            Ok(Effect::Link(url)) => {
                let title = portail::sanitize::line(&self.form.text(Key::FieldTitle)).into_owned();
                Nav::Replace(super::Screen::view(super::share::LinkScreen::new(
                    portail::i18n::tf(ctx.lang, Key::FlLinkResourceTitle, &[&title]),
                    url,
                    Key::FlLinkExecResource,
                )))
            }
            Ok(effect) => {
                report(ctx, Ok(effect));
                Nav::Pop
            }
            Err(msg) => {
                self.form.failed(msg);
                Nav::Stay
            }
        }
    }
}
