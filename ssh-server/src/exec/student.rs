//! `student …`: student accounts (trainer).

use clap::Subcommand;
use portail::i18n::Key;
use portail::present::Label;
use portail::sanitize;
use portail::services::students::{NamedRef, StudentInput};

use super::common::{Ctx, Family, Out, kv, line_out, opt, or_dash};

pub const FAMILY: Family = Family::trainer("student", Key::XhStudent, Key::ExecHelpStudent);

#[derive(Debug, Subcommand)]
pub enum StudentCmd {
    #[command(about = Key::XhStudentAdd.name())]
    Add {
        #[arg(long, help = Key::XaStudentEmail.name())]
        email: String,
        #[arg(long, help = Key::XaFirstName.name())]
        first_name: Option<String>,
        #[arg(long, help = Key::XaLastName.name())]
        last_name: Option<String>,
        #[arg(long, help = Key::XaPhone.name())]
        phone: Option<String>,
        #[arg(long = "class", help = Key::XaStudentClasses.name())]
        classes: Vec<String>,
    },
    #[command(about = Key::XhStudentList.name())]
    List {
        #[arg(long, help = Key::XaFilterOrg.name())]
        org: Option<String>,
        #[arg(long, help = Key::XaFilterClass.name())]
        class: Option<String>,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhStudentShow.name())]
    Show {
        email: String,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhStudentDisable.name())]
    Disable { email: String },
    #[command(about = Key::XhStudentEnable.name())]
    Enable { email: String },
    #[command(about = Key::XhStudentResetCode.name())]
    ResetCode { email: String },
}

/// Names of organisations or classes in one cell, or `—`.
fn names(v: &[NamedRef]) -> String {
    if v.is_empty() {
        return "—".to_string();
    }
    v.iter()
        .map(|r| r.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Ctx<'_> {
    pub async fn student(&self, cmd: StudentCmd) -> Out {
        let p = self.portail;
        match cmd {
            StudentCmd::Add {
                email,
                first_name,
                last_name,
                phone,
                classes,
            } => {
                let class_ids = self.classes(&classes).await?;
                let input = StudentInput {
                    email,
                    first_name: first_name.unwrap_or_default(),
                    last_name: last_name.unwrap_or_default(),
                    phone,
                    notes: None,
                };
                let (s, code) = p
                    .student_create(self.actor, &input, &class_ids, &[])
                    .await?;
                let days = p.options().activation_ttl.num_days().to_string();
                Ok(format!(
                    "{}\n{}\n",
                    self.tf(
                        Key::OutStudentCreated,
                        &[&sanitize::line(&s.email), &s.id.to_string()]
                    ),
                    self.tf(Key::OutActivationCode, &[&code, &days])
                ))
            }
            StudentCmd::List {
                org,
                class,
                json: as_json,
            } => {
                let org = self.opt_org(org).await?;
                let class = self.opt_class(class).await?;
                let students = p.student_list(self.actor, org, class).await?;
                self.listing(as_json, &students, Key::OutNone, |s| {
                    vec![
                        (Key::OutId, s.id.to_string()),
                        (Key::FieldName, s.display_name()),
                        (Key::FieldEmail, s.email.clone()),
                        (Key::FieldStatus, self.t(s.status.label()).to_string()),
                        (
                            Key::OutClasses,
                            s.classes
                                .iter()
                                .map(|c| c.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                    ]
                })
            }
            StudentCmd::Show { email, json } => {
                let s = p
                    .student_get(self.actor, p.student_resolve(self.actor, &email).await?)
                    .await?;
                self.json_or(json, &s, |s| {
                    Ok(kv(
                        self.lang,
                        &[
                            (Key::OutId, s.id.to_string()),
                            (Key::FieldEmail, s.email.clone()),
                            (Key::FieldFirstName, s.first_name.clone()),
                            (Key::FieldLastName, s.last_name.clone()),
                            (Key::FieldPhone, opt(&s.phone)),
                            (Key::FieldStatus, self.t(s.status.label()).into()),
                            (Key::FieldOrganisation, names(&s.organisations)),
                            (Key::OutClasses, names(&s.classes)),
                            (Key::OutCreated, self.minute(s.created_at)),
                            (
                                Key::OutLastLogin,
                                or_dash(s.last_login_at.map(|d| self.minute(d))),
                            ),
                            (Key::FieldNotes, opt(&s.notes)),
                        ],
                    ))
                })
            }
            StudentCmd::Disable { email } => self.set_disabled(&email, true).await,
            StudentCmd::Enable { email } => self.set_disabled(&email, false).await,
            StudentCmd::ResetCode { email } => {
                let id = p.student_resolve(self.actor, &email).await?;
                let code = p.student_reset_code(self.actor, id).await?;
                let days = p.options().activation_ttl.num_days().to_string();
                line_out(self.tf(Key::OutActivationCode, &[&code, &days]))
            }
        }
    }

    async fn set_disabled(&self, email: &str, disabled: bool) -> Out {
        let p = self.portail;
        let id = p.student_resolve(self.actor, email).await?;
        let s = p.student_set_disabled(self.actor, id, disabled).await?;
        let key = if disabled {
            Key::OutStudentDisabled
        } else {
            Key::OutStudentEnabled
        };
        line_out(self.tf(key, &[&sanitize::line(&s.email)]))
    }
}
