//! `demo …` (trainer): plan, list, show, edit and delete technical demos; `demos`
//! (student): one's own demos. Thin calls into `services::tech_demos`, which authorizes
//! every call and checks every field (the live part adds its subcommands here).

use clap::{Args, Subcommand};
use portail::i18n::Key;
use portail::present;
use portail::sanitize;
use portail::services::recordings::RecordingLink;
use portail::services::tech_demos::{Demo, DemoInput};
use portail::validate::MAX_CAST_BYTES;

use super::common::{Ctx, Family, Out, Stdin, json, kv, line_out, or_dash};

/// A demo with its recording's signed link, as `demo show --json` prints it.
#[derive(serde::Serialize)]
struct DemoWithRecording<'a> {
    #[serde(flatten)]
    demo: &'a Demo,
    recording: Option<RecordingLink>,
}

pub const FAMILY: Family = Family::trainer("demo", Key::XhDemo, Key::ExecHelpDemo);
pub const MINE: Family = Family::student("demos", Key::XhDemos, Key::ExecHelpDemos);

/// The fields `demo add` and `demo edit` share (absent: unchanged on edit).
#[derive(Debug, Args)]
pub struct DemoFields {
    #[arg(long, help = Key::XaDemoAt.name())]
    at: Option<String>,
    #[arg(long, help = Key::XaDemoDuration.name())]
    duration: Option<String>,
    #[arg(long, help = Key::XaDemoLesson.name())]
    lesson: Option<String>,
    #[arg(long, help = Key::XaDemoDescription.name())]
    description: Option<String>,
    #[arg(long, help = Key::XaDemoClass.name())]
    class: Vec<String>,
    #[arg(long, help = Key::XaDemoRepo.name())]
    repo: Option<String>,
    #[arg(long, help = Key::XaDemoSlides.name())]
    slides: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DemoCmd {
    #[command(about = Key::XhDemoAdd.name())]
    Add {
        course: String,
        #[arg(long)]
        title: String,
        #[command(flatten)]
        fields: DemoFields,
    },
    #[command(about = Key::XhDemoList.name())]
    List {
        #[arg(long, help = Key::XaFilterCourse.name())]
        course: Option<String>,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhDemoShow.name())]
    Show {
        #[arg(help = Key::XaDemo.name())]
        demo: String,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhDemoEdit.name())]
    Edit {
        #[arg(help = Key::XaDemo.name())]
        demo: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, help = Key::XaDemoWholeCourse.name(), conflicts_with = "class")]
        whole_course: bool,
        #[command(flatten)]
        fields: DemoFields,
    },
    #[command(about = Key::XhDemoUpload.name())]
    Upload {
        #[arg(help = Key::XaDemo.name())]
        demo: String,
        #[arg(long, help = Key::XaDemoReplace.name())]
        yes: bool,
    },
    #[command(about = Key::XhDemoRm.name())]
    Rm {
        #[arg(help = Key::XaDemo.name())]
        demo: String,
        #[arg(long, help = Key::XaDemoYes.name())]
        yes: bool,
    },
    /// `demo live|pause|resume|stop|resize|mark` (the broadcast, in `demo_live.rs`).
    #[command(flatten)]
    Live(super::demo_live::LiveCmd),
}

/// `demos [N°] [--json]`.
#[derive(Debug, Args)]
pub struct MyDemosArgs {
    #[arg(help = Key::XaDemoId.name())]
    demo: Option<i64>,
    #[arg(long)]
    json: bool,
}

impl Ctx<'_> {
    /// The lesson option: a number or title of the course's lessons; empty for none.
    async fn demo_lesson(&self, course: i64, lesson: &str) -> Result<Option<i64>, portail::Error> {
        if lesson.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(self.portail.lesson_resolve(course, lesson).await?))
    }

    /// `input` with the options given.
    async fn demo_apply(
        &self,
        mut input: DemoInput,
        f: DemoFields,
    ) -> Result<DemoInput, portail::Error> {
        if let Some(at) = f.at {
            input.starts_at = at;
        }
        if let Some(d) = f.duration {
            input.duration_minutes = d;
        }
        if let Some(l) = f.lesson {
            input.lesson_id = self.demo_lesson(input.course_id, &l).await?;
        }
        if let Some(d) = f.description {
            input.description = Some(d);
        }
        if !f.class.is_empty() {
            input.classes = f.class;
        }
        if let Some(r) = f.repo {
            input.repo_url = Some(r);
        }
        if let Some(s) = f.slides {
            input.slides_url = Some(s);
        }
        Ok(input)
    }

    /// A demo's rows, the same for the trainer and the student.
    fn demo_text(&self, d: &Demo, trainer: bool, link: Option<&RecordingLink>) -> String {
        let tz = self.portail.options().time_zone;
        let now = chrono::Utc::now();
        let mut rows = vec![
            (Key::OutId, d.id.to_string()),
            (Key::FieldTitle, d.title.clone()),
            (
                Key::DmColWhen,
                format!(
                    "{} ({})",
                    self.minute(d.starts_at),
                    present::day_time(self.lang, tz, now, d.starts_at)
                ),
            ),
            (Key::DmFieldDuration, d.duration_minutes.to_string()),
            (Key::FieldStatus, present::label(self.lang, d.status).into()),
            (Key::EntCourse, d.course_title.clone()),
            (Key::EntLesson, or_dash(d.lesson_title.clone())),
            (Key::DmColAudience, present::demo_audience(self.lang, d)),
            (Key::DmFieldRepo, or_dash(d.repo_url.clone())),
            (Key::DmFieldSlides, or_dash(d.slides_url.clone())),
        ];
        match link {
            Some(l) => {
                rows.push((
                    Key::DmRecording,
                    self.tf(
                        Key::DmRecordingOf,
                        &[
                            &format!("demo-{}.cast", d.id),
                            &present::number(self.lang, l.size_bytes as f64),
                            &self.minute(l.expires_at),
                        ],
                    ),
                ));
                rows.push((Key::DmRecordingLink, l.url.clone()));
                rows.push((Key::DmRecordingPlayer, l.player_url.clone()));
            }
            None if trainer => {
                rows.push((Key::DmRecording, self.t(Key::DmRecordingNone).into()));
            }
            None => {}
        }
        let mut out = kv(self.lang, &rows);
        if !d.description.is_empty() {
            out.push_str(&format!("\n{}\n", sanitize::multiline(&d.description)));
        }
        out
    }

    fn demo_rows(&self, list: &[Demo], trainer: bool, as_json: bool) -> Out {
        self.listing(as_json, list, Key::DmNone, |d| {
            let mut row = vec![
                (Key::OutId, d.id.to_string()),
                (Key::DmColWhen, self.minute(d.starts_at)),
                (Key::FieldStatus, present::label(self.lang, d.status).into()),
                (Key::FieldTitle, d.title.clone()),
                (Key::EntCourse, d.course_title.clone()),
            ];
            if trainer {
                row.push((Key::DmColAudience, present::demo_audience(self.lang, d)));
            }
            row
        })
    }

    /// `demo add|list|show|edit|rm`.
    pub async fn demo(&self, cmd: DemoCmd, stdin: &mut impl Stdin) -> Out {
        let (p, a) = (self.portail, self.actor);
        match cmd {
            DemoCmd::Live(cmd) => self.demo_live(cmd, stdin).await,
            DemoCmd::Add {
                course,
                title,
                fields,
            } => {
                let course_id = p.course_resolve(a, &course).await?;
                let input = DemoInput {
                    course_id,
                    title,
                    ..Default::default()
                };
                let input = self.demo_apply(input, fields).await?;
                let d = p.demo_create(a, &input).await?;
                line_out(self.tf(
                    Key::DmCreated,
                    &[
                        &d.id.to_string(),
                        &present::demo_line(
                            self.lang,
                            p.options().time_zone,
                            chrono::Utc::now(),
                            &d,
                        ),
                    ],
                ))
            }
            DemoCmd::List {
                course,
                json: as_json,
            } => {
                let course = self.opt_course(course).await?;
                let list = p.demo_list(a, course).await?;
                self.demo_rows(&list, true, as_json)
            }
            DemoCmd::Show {
                demo,
                json: as_json,
            } => {
                let d = p.visible_demo(a, p.demo_resolve(a, &demo).await?).await?;
                self.demo_out(&d, true, as_json).await
            }
            DemoCmd::Edit {
                demo,
                title,
                whole_course,
                fields,
            } => {
                let id = p.demo_resolve(a, &demo).await?;
                let current = p.visible_demo(a, id).await?;
                let mut input = DemoInput::from_demo(&current, p.options().time_zone);
                if let Some(t) = title {
                    input.title = t;
                }
                if whole_course {
                    input.classes.clear();
                }
                let input = self.demo_apply(input, fields).await?;
                let d = p.demo_update(a, id, &input).await?;
                line_out(self.tf(Key::DmUpdated, &[&d.id.to_string()]))
            }
            DemoCmd::Upload { demo, yes } => {
                let id = p.demo_resolve(a, &demo).await?;
                let bytes = self
                    .read_bytes(stdin, MAX_CAST_BYTES, Key::CastTooLarge)
                    .await?;
                let s = p.demo_recording_store(a, id, &bytes, yes).await?;
                line_out(self.tf(
                    Key::DmUploaded,
                    &[
                        &id.to_string(),
                        &format!("demo-{id}.cast"),
                        &s.events.to_string(),
                        &s.width.to_string(),
                        &s.height.to_string(),
                    ],
                ))
            }
            DemoCmd::Rm { demo, yes } => {
                let id = p.demo_resolve(a, &demo).await?;
                p.demo_delete(a, id, yes).await?;
                line_out(self.t(Key::DmDeleted).to_string())
            }
        }
    }

    /// One demo with its recording's signed link, as text or JSON.
    async fn demo_out(&self, d: &Demo, trainer: bool, as_json: bool) -> Out {
        let link = self.portail.demo_recording_link(self.actor, d).await?;
        if as_json {
            return json(&DemoWithRecording {
                demo: d,
                recording: link,
            });
        }
        Ok(self.demo_text(d, trainer, link.as_ref()))
    }

    /// `demos [N°] [--json]`: the student's demos, or one of them.
    pub async fn my_demos(&self, args: MyDemosArgs) -> Out {
        let (p, a) = (self.portail, self.actor);
        match args.demo {
            Some(id) => {
                let d = p.visible_demo(a, id).await?;
                self.demo_out(&d, false, args.json).await
            }
            None => {
                let list = p.my_demos(a).await?;
                self.demo_rows(&list, false, args.json)
            }
        }
    }
}
