//! `class …`: classes and their members (trainer).

use clap::Subcommand;
use portail::i18n::Key;
use portail::sanitize;
use portail::services::classes::ClassInput;

use super::common::{Ctx, Fail, Family, Out, line_out, or_dash};

pub const FAMILY: Family = Family::trainer("class", Key::XhClass, Key::ExecHelpClass);

#[derive(Debug, Subcommand)]
pub enum ClassCmd {
    #[command(about = Key::XhClassAdd.name())]
    Add {
        #[arg(long, help = Key::XaOrgOfClass.name())]
        org: String,
        #[arg(long, help = Key::XaClassName.name())]
        name: String,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
    },
    #[command(about = Key::XhClassList.name())]
    List {
        #[arg(long, help = Key::XaFilterOrg.name())]
        org: Option<String>,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhClassEdit.name())]
    Edit {
        class: String,
        #[arg(long, help = Key::XaClassName.name())]
        name: Option<String>,
        #[arg(long, help = Key::XaNewOrgOfClass.name())]
        org: Option<String>,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhClassRm.name())]
    Rm {
        class: String,
        #[arg(long, help = Key::XaYesDelete.name())]
        yes: bool,
    },
    #[command(about = Key::XhClassMembers.name())]
    Members {
        #[command(subcommand)]
        command: MembersCmd,
    },
}

#[derive(Debug, Subcommand)]
pub enum MembersCmd {
    #[command(about = Key::XhClassMembersAdd.name())]
    Add {
        class: String,
        #[arg(required = true, help = Key::XaEmails.name())]
        emails: Vec<String>,
    },
    #[command(about = Key::XhClassMembersRm.name())]
    Rm {
        class: String,
        #[arg(required = true, help = Key::XaEmails.name())]
        emails: Vec<String>,
    },
}

impl Ctx<'_> {
    pub async fn class(&self, cmd: ClassCmd) -> Out {
        let p = self.portail;
        match cmd {
            ClassCmd::Add {
                org,
                name,
                start,
                end,
            } => {
                let organisation_id = p.org_resolve(self.actor, &org).await?;
                let c = p
                    .class_create(
                        self.actor,
                        &ClassInput {
                            organisation_id,
                            name,
                            start_date: start,
                            end_date: end,
                        },
                    )
                    .await?;
                line_out(self.tf(
                    Key::OutClassCreated,
                    &[
                        &sanitize::line(&c.organisation_name),
                        &sanitize::line(&c.name),
                        &c.id.to_string(),
                    ],
                ))
            }
            ClassCmd::List { org, json: as_json } => {
                let org = self.opt_org(org).await?;
                let classes = p.class_list(self.actor, org).await?;
                self.listing(as_json, &classes, Key::OutNone, |c| {
                    vec![
                        (Key::OutId, c.id.to_string()),
                        (Key::FieldOrganisation, c.organisation_name.clone()),
                        (Key::FieldName, c.name.clone()),
                        (Key::FieldStart, or_dash(c.start_date)),
                        (Key::FieldEnd, or_dash(c.end_date)),
                        (Key::OutMembers, c.member_count.to_string()),
                    ]
                })
            }
            ClassCmd::Edit {
                class,
                name,
                org,
                start,
                end,
                json: as_json,
            } => {
                let id = p.class_resolve(self.actor, &class).await?;
                let c = p.class_get(self.actor, id).await?;
                let organisation_id = match org {
                    Some(o) => p.org_resolve(self.actor, &o).await?,
                    None => c.organisation_id,
                };
                let input = ClassInput {
                    organisation_id,
                    name: name.unwrap_or(c.name),
                    start_date: start.or(c.start_date.map(|d| d.to_string())),
                    end_date: end.or(c.end_date.map(|d| d.to_string())),
                };
                let c = p.class_update(self.actor, id, &input).await?;
                self.json_or(as_json, &c, |c| {
                    line_out(self.tf(
                        Key::OutClassUpdated,
                        &[
                            &sanitize::line(&c.organisation_name),
                            &sanitize::line(&c.name),
                            &c.id.to_string(),
                        ],
                    ))
                })
            }
            ClassCmd::Rm { class, yes } => {
                let id = p.class_resolve(self.actor, &class).await?;
                let name = sanitize::line(&p.class_get(self.actor, id).await?.name).into_owned();
                let i = if yes {
                    p.class_delete(self.actor, id).await?
                } else {
                    p.class_deletion_impact(self.actor, id).await?
                };
                let counts = [i.memberships.to_string(), i.assignments.to_string()];
                let args = [name.as_str(), &counts[0], &counts[1]];
                if yes {
                    line_out(self.tf(Key::OutClassDeleted, &args))
                } else {
                    Err(Fail::Message(self.tf(Key::OutClassDeleteConfirm, &args)))
                }
            }
            ClassCmd::Members { command } => {
                let (class, emails, add) = match command {
                    MembersCmd::Add { class, emails } => (class, emails, true),
                    MembersCmd::Rm { class, emails } => (class, emails, false),
                };
                let class_id = p.class_resolve(self.actor, &class).await?;
                let name =
                    sanitize::line(&p.class_get(self.actor, class_id).await?.name).into_owned();
                let ids = self.students(&emails).await?;
                if add {
                    let n = p.class_add_members(self.actor, class_id, &ids).await?;
                    line_out(self.tf(Key::OutMembersAdded, &[&n.to_string(), &name]))
                } else {
                    let n = p.class_remove_members(self.actor, class_id, &ids).await?;
                    line_out(self.tf(Key::OutMembersRemoved, &[&n.to_string(), &name]))
                }
            }
        }
    }
}
