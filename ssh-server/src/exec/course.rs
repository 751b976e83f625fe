//! `course …`: courses (trainer); `course show` of one's own course (student).

use clap::{ArgGroup, Subcommand};
use portail::i18n::Key;
use portail::present::{self, Label};
use portail::services::courses::{CourseInput, CourseStatus, Resource};
use portail::services::enrolment::{Target, VIA_INDIVIDUAL};
use portail::{Error, sanitize};

use super::common::{
    Ctx, Fail, Family, Out, bar, course_body, json, kv, line_out, opt, or_dash, person, quiz_scores,
};

pub const FAMILY: Family = Family::both(
    "course",
    Key::XhCourse,
    Key::ExecHelpCourse,
    Key::ExecHelpCourseShowStudent,
);

#[derive(Debug, Subcommand)]
pub enum CourseCmd {
    #[command(about = Key::XhCourseAdd.name())]
    Add {
        #[arg(long, help = Key::XaCourseTitle.name())]
        title: String,
        #[arg(long, help = Key::XaDescription.name())]
        description: Option<String>,
        #[arg(long = "objective", help = Key::XaObjective.name())]
        objectives: Vec<String>,
        #[arg(long, help = Key::XaDurationHours.name())]
        duration_hours: Option<String>,
        #[arg(long, help = Key::XaLevel.name())]
        level: Option<String>,
        #[arg(long, help = Key::XaPrerequisites.name())]
        prerequisites: Option<String>,
        #[arg(long, help = Key::XaPublished.name())]
        published: bool,
    },
    #[command(about = Key::XhCourseEdit.name())]
    Edit {
        course: String,
        #[arg(long, help = Key::XaCourseTitle.name())]
        title: Option<String>,
        #[arg(long, help = Key::XaDescription.name())]
        description: Option<String>,
        #[arg(long = "objective", help = Key::XaObjective.name())]
        objectives: Vec<String>,
        #[arg(long, help = Key::XaDurationHours.name())]
        duration_hours: Option<String>,
        #[arg(long, help = Key::XaLevel.name())]
        level: Option<String>,
        #[arg(long, help = Key::XaPrerequisites.name())]
        prerequisites: Option<String>,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhCourseRm.name())]
    Rm {
        course: String,
        #[arg(long, help = Key::XaYesDelete.name())]
        yes: bool,
    },
    #[command(about = Key::XhCourseList.name())]
    List {
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhCourseShow.name())]
    Show {
        course: String,
        #[arg(long)]
        json: bool,
    },
    #[command(group(ArgGroup::new("target").required(true).multiple(true).args(["classes", "students"])))]
    #[command(about = Key::XhCourseAssign.name())]
    Assign {
        course: String,
        #[arg(long = "class", help = Key::XaAssignClass.name())]
        classes: Vec<String>,
        #[arg(long = "student", help = Key::XaAssignStudent.name())]
        students: Vec<String>,
        #[arg(long, help = Key::XaAssignStart.name())]
        start: Option<String>,
        #[arg(long, help = Key::XaAssignEnd.name())]
        end: Option<String>,
    },
    #[command(group(ArgGroup::new("target").required(true).multiple(true).args(["classes", "students"])))]
    #[command(about = Key::XhCourseUnassign.name())]
    Unassign {
        course: String,
        #[arg(long = "class", help = Key::XaAssignClass.name())]
        classes: Vec<String>,
        #[arg(long = "student", help = Key::XaAssignStudent.name())]
        students: Vec<String>,
    },
    #[command(about = Key::XhCourseParticipants.name())]
    Participants {
        course: String,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhCourseDuplicate.name())]
    Duplicate { course: String },
    #[command(about = Key::XhCoursePublish.name())]
    Publish { course: String },
    #[command(about = Key::XhCourseUnpublish.name())]
    Unpublish { course: String },
}

impl Ctx<'_> {
    pub async fn course(&self, cmd: CourseCmd) -> Out {
        let p = self.portail;
        match cmd {
            CourseCmd::Add {
                title,
                description,
                objectives,
                duration_hours,
                level,
                prerequisites,
                published,
            } => {
                let input = CourseInput {
                    title,
                    description,
                    objectives,
                    duration_hours,
                    level,
                    prerequisites,
                    status: if published {
                        CourseStatus::Published
                    } else {
                        CourseStatus::Draft
                    },
                };
                let c = p.course_create(self.actor, &input).await?;
                line_out(self.tf(
                    Key::OutCourseCreated,
                    &[&sanitize::line(&c.title), &c.id.to_string()],
                ))
            }
            CourseCmd::Edit {
                course,
                title,
                description,
                objectives,
                duration_hours,
                level,
                prerequisites,
                json: as_json,
            } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let mut input = CourseInput::from(&p.course_get(self.actor, id).await?.course);
                // An option given replaces the field (empty clears it); the others stay.
                if let Some(t) = title {
                    input.title = t;
                }
                if !objectives.is_empty() {
                    input.objectives = objectives;
                }
                for (field, v) in [
                    (&mut input.description, description),
                    (&mut input.duration_hours, duration_hours),
                    (&mut input.level, level),
                    (&mut input.prerequisites, prerequisites),
                ] {
                    if let Some(v) = v {
                        *field = Some(v);
                    }
                }
                let c = p.course_update(self.actor, id, &input).await?;
                self.json_or(as_json, &c, |c| {
                    line_out(self.tf(
                        Key::OutCourseUpdated,
                        &[&sanitize::line(&c.title), &c.id.to_string()],
                    ))
                })
            }
            CourseCmd::Rm { course, yes } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let title =
                    sanitize::line(&p.course_get(self.actor, id).await?.course.title).into_owned();
                let i = if yes {
                    p.course_delete(self.actor, id).await?
                } else {
                    p.course_deletion_impact(self.actor, id).await?
                };
                let counts = [
                    i.lessons,
                    i.resources,
                    i.assignments,
                    i.quizzes,
                    i.students_with_progress,
                ]
                .map(|n| n.to_string());
                let mut args = vec![title.as_str()];
                args.extend(counts.iter().map(String::as_str));
                if yes {
                    line_out(self.tf(Key::OutCourseDeleted, &args))
                } else {
                    Err(Fail::Message(self.tf(Key::OutCourseDeleteConfirm, &args)))
                }
            }
            // A student's `course list` is their `courses`.
            CourseCmd::List { json } if !self.actor.is_trainer() => {
                self.my_courses(super::progress::CoursesArgs { json }).await
            }
            CourseCmd::List { json: as_json } => {
                let courses = p.course_list(self.actor).await?;
                self.listing(as_json, &courses, Key::OutNone, |c| {
                    vec![
                        (Key::OutId, c.id.to_string()),
                        (Key::FieldTitle, c.title.clone()),
                        (Key::FieldStatus, self.t(c.status.label()).into()),
                        (Key::OutLessons, c.lesson_count.to_string()),
                        (Key::OutDuration, self.hours(c.duration_hours)),
                    ]
                })
            }
            CourseCmd::Show { course, json } if !self.actor.is_trainer() => {
                self.my_course_show(&course, json).await
            }
            CourseCmd::Show { course, json } => {
                let d = p
                    .course_get(self.actor, p.course_resolve(self.actor, &course).await?)
                    .await?;
                self.json_or(json, &d, |d| {
                    let c = &d.course;
                    let mut out = kv(
                        self.lang,
                        &[
                            (Key::OutId, c.id.to_string()),
                            (Key::FieldTitle, c.title.clone()),
                            (Key::FieldStatus, self.t(c.status.label()).into()),
                            (Key::OutDuration, self.hours(c.duration_hours)),
                            (Key::FieldLevel, opt(&c.level)),
                            (Key::FieldPrerequisites, opt(&c.prerequisites)),
                        ],
                    );
                    out.push_str(&course_body(self.lang, &c.description, &c.objectives));
                    for l in &d.lessons {
                        out.push_str(&format!("  {}. {}\n", l.position, sanitize::line(&l.title)));
                    }
                    out.push_str(&self.resource_lines(&d.resources));
                    Ok(out)
                })
            }
            CourseCmd::Assign {
                course,
                classes,
                students,
                start,
                end,
            } => {
                let (id, targets) = self.assignment(&course, &classes, &students).await?;
                let done = p
                    .course_assign(self.actor, id, &targets, start.as_deref(), end.as_deref())
                    .await?;
                let course = p.course_get(self.actor, id).await?.course;
                let mut out = self.tf(
                    Key::OutAssigned,
                    &[&sanitize::line(&course.title), &done.count.to_string()],
                );
                if let Some(warning) = done.warning(self.lang) {
                    out = format!("{out}\n{warning}");
                }
                line_out(out)
            }
            CourseCmd::Unassign {
                course,
                classes,
                students,
            } => {
                let (id, targets) = self.assignment(&course, &classes, &students).await?;
                let n = p.course_unassign(self.actor, id, &targets).await?;
                let title = p.course_get(self.actor, id).await?.course.title;
                line_out(self.tf(
                    Key::OutUnassigned,
                    &[&sanitize::line(&title), &n.to_string()],
                ))
            }
            CourseCmd::Participants { course, json } => {
                let list = p
                    .course_participants(self.actor, p.course_resolve(self.actor, &course).await?)
                    .await?;
                self.listing(json, &list, Key::OutNone, |s| {
                    vec![
                        (
                            Key::FieldName,
                            person(&s.first_name, &s.last_name, &s.email),
                        ),
                        (Key::FieldEmail, s.email.clone()),
                        (
                            Key::OutVia,
                            s.via.replace(VIA_INDIVIDUAL, self.t(Key::ViaIndividual)),
                        ),
                        (Key::FieldStatus, self.t(s.status.label()).into()),
                        (Key::OutProgress, format!("{} %", s.progress_percent)),
                        (
                            Key::OutLastActivity,
                            or_dash(s.last_activity.map(|d| self.minute(d))),
                        ),
                        (Key::QzColQuiz, quiz_scores(&s.quiz_scores)),
                    ]
                })
            }
            CourseCmd::Publish { course } => {
                self.set_status(&course, CourseStatus::Published).await
            }
            CourseCmd::Unpublish { course } => self.set_status(&course, CourseStatus::Draft).await,
            CourseCmd::Duplicate { course } => {
                let id = p.course_resolve(self.actor, &course).await?;
                let c = p.course_duplicate(self.actor, id).await?;
                line_out(self.tf(
                    Key::OutCourseDuplicated,
                    &[&sanitize::line(&c.title), &c.id.to_string()],
                ))
            }
        }
    }

    fn hours(&self, h: Option<f64>) -> String {
        or_dash(h.map(|h| present::hours(self.lang, h)))
    }

    /// The course an `assign`/`unassign` names, and its classes and students.
    async fn assignment(
        &self,
        course: &str,
        classes: &[String],
        students: &[String],
    ) -> Result<(i64, Vec<Target>), Error> {
        let id = self.portail.course_resolve(self.actor, course).await?;
        let mut t: Vec<Target> = self
            .classes(classes)
            .await?
            .into_iter()
            .map(Target::Class)
            .collect();
        t.extend(
            self.students(students)
                .await?
                .into_iter()
                .map(Target::Student),
        );
        Ok((id, t))
    }

    async fn set_status(&self, course: &str, status: CourseStatus) -> Out {
        let p = self.portail;
        let id = p.course_resolve(self.actor, course).await?;
        let mut input = CourseInput::from(&p.course_get(self.actor, id).await?.course);
        input.status = status;
        let c = p.course_update(self.actor, id, &input).await?;
        let key = match status {
            CourseStatus::Published => Key::OutCoursePublished,
            CourseStatus::Draft => Key::OutCourseUnpublished,
        };
        line_out(self.tf(key, &[&sanitize::line(&c.title)]))
    }

    /// Resources as `• title <url>`, a file's signed link with its expiry in local time.
    fn resource_lines(&self, resources: &[Resource]) -> String {
        if resources.is_empty() {
            return String::new();
        }
        let mut out = format!("\n{} :\n", self.t(Key::OutResources));
        for r in resources {
            out.push_str(&format!(
                "  • {} <{}>",
                sanitize::line(&r.title),
                sanitize::line(r.url.as_deref().unwrap_or(""))
            ));
            if let Some(at) = r.url_expires_at {
                out.push_str(&format!(
                    " ({})",
                    self.tf(Key::OutLinkValidUntil, &[&self.minute(at)])
                ));
            }
            out.push('\n');
        }
        out
    }

    /// A student's own course: lessons with their state, resources with fresh links.
    async fn my_course_show(&self, course: &str, as_json: bool) -> Out {
        let p = self.portail;
        let id = p.my_course_resolve(self.actor, course).await?;
        let d = p.my_course(self.actor, id).await?;
        if as_json {
            return json(&d);
        }
        let c = &d.detail.course;
        let today = p.today();
        let f = present::date;
        let dates = match (d.start_date, d.end_date) {
            (Some(s), Some(e)) => self.tf(Key::SpFromTo, &[&f(s), &f(e)]),
            (Some(s), None) => self.tf(Key::SpFrom, &[&f(s)]),
            (None, Some(e)) => self.tf(Key::SpUntil, &[&f(e)]),
            (None, None) => self.t(Key::SpNoDates).to_string(),
        };
        let dates = match d.access.note(self.lang, d.start_date, d.end_date, today) {
            Some(note) => format!("{dates} ({note})"),
            None => dates,
        };
        let mut out = kv(
            self.lang,
            &[
                (Key::FieldTitle, c.title.clone()),
                (Key::OutDuration, self.hours(c.duration_hours)),
                (Key::FieldLevel, opt(&c.level)),
                (Key::SpDates, dates),
                (Key::OutProgress, bar(d.progress_percent, 10)),
            ],
        );
        out.push_str(&course_body(self.lang, &c.description, &c.objectives));
        for (l, st) in d.detail.lessons.iter().zip(&d.progress) {
            let mark = if st.completed_at.is_some() {
                "[x]"
            } else {
                "[ ]"
            };
            out.push_str(&format!(
                "  {mark} {}. {}\n",
                l.position,
                sanitize::line(&l.title)
            ));
        }
        out.push_str(&self.resource_lines(&d.detail.resources));
        Ok(out)
    }
}
