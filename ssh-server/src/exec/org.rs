//! `org …`: organisations (trainer).

use clap::Subcommand;
use portail::i18n::Key;
use portail::sanitize;
use portail::services::files::{MAX_IMAGE_BYTES, UploadPurpose};
use portail::services::orgs::OrgInput;

use super::common::{Ctx, Fail, Family, Out, Stdin, json, kv, line_out, opt};

pub const FAMILY: Family = Family::trainer("org", Key::XhOrg, Key::ExecHelpOrg);

#[derive(Debug, Subcommand)]
pub enum OrgCmd {
    #[command(about = Key::XhOrgAdd.name())]
    Add {
        #[arg(long, help = Key::XaOrgName.name())]
        name: String,
        #[arg(long, help = Key::XaSiret.name())]
        siret: Option<String>,
        #[arg(long, help = Key::XaOrgEmail.name())]
        email: Option<String>,
        #[arg(long, help = Key::XaPhone.name())]
        phone: Option<String>,
        #[arg(long, help = Key::XaAddress.name())]
        address: Option<String>,
        #[arg(long, help = Key::XaWebsite.name())]
        website: Option<String>,
        #[arg(long, help = Key::XaContact.name())]
        contact: Option<String>,
        #[arg(long, help = Key::XaNotes.name())]
        notes: Option<String>,
    },
    #[command(about = Key::XhOrgList.name())]
    List {
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhOrgShow.name())]
    Show {
        org: String,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhOrgLogo.name())]
    Logo { org: String },
    #[command(about = Key::XhOrgLogoLink.name())]
    LogoLink { org: String },
    #[command(about = Key::XhOrgEdit.name())]
    Edit {
        org: String,
        #[arg(long, help = Key::XaOrgName.name())]
        name: Option<String>,
        #[arg(long, help = Key::XaSiret.name())]
        siret: Option<String>,
        #[arg(long, help = Key::XaOrgEmail.name())]
        email: Option<String>,
        #[arg(long, help = Key::XaPhone.name())]
        phone: Option<String>,
        #[arg(long, help = Key::XaAddress.name())]
        address: Option<String>,
        #[arg(long, help = Key::XaWebsite.name())]
        website: Option<String>,
        #[arg(long, help = Key::XaContact.name())]
        contact: Option<String>,
        #[arg(long, help = Key::XaNotes.name())]
        notes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhOrgRm.name())]
    Rm {
        org: String,
        #[arg(long, help = Key::XaYesDelete.name())]
        yes: bool,
    },
}

impl Ctx<'_> {
    pub async fn org(&self, cmd: OrgCmd, stdin: &mut impl Stdin) -> Out {
        let p = self.portail;
        match cmd {
            OrgCmd::Add {
                name,
                siret,
                email,
                phone,
                address,
                website,
                contact,
                notes,
            } => {
                let input = OrgInput {
                    name,
                    siret,
                    address,
                    contact_name: contact,
                    email,
                    phone,
                    website,
                    notes,
                };
                let o = p.org_create(self.actor, &input).await?;
                line_out(self.tf(
                    Key::OutOrgCreated,
                    &[&sanitize::line(&o.name), &o.id.to_string()],
                ))
            }
            OrgCmd::List { json: true } => json(&p.org_list(self.actor).await?),
            OrgCmd::List { json: false } => {
                let rows: Vec<Vec<String>> = p
                    .org_list(self.actor)
                    .await?
                    .iter()
                    .map(|o| {
                        vec![
                            o.id.to_string(),
                            o.name.clone(),
                            opt(&o.siret),
                            o.class_count.to_string(),
                            o.student_count.to_string(),
                        ]
                    })
                    .collect();
                Ok(self.none_or(
                    &rows,
                    &[
                        Key::OutId,
                        Key::FieldName,
                        Key::FieldSiret,
                        Key::OutClasses,
                        Key::OutStudents,
                    ],
                ))
            }
            OrgCmd::Show { org, json: as_json } => {
                let o = p
                    .org_get(self.actor, p.org_resolve(self.actor, &org).await?)
                    .await?;
                self.json_or(as_json, &o, |o| {
                    let logo = if o.has_logo {
                        Key::OutLogoSet
                    } else {
                        Key::OutLogoAbsent
                    };
                    Ok(kv(
                        self.lang,
                        &[
                            (Key::OutId, o.id.to_string()),
                            (Key::FieldName, o.name.clone()),
                            (Key::FieldSiret, opt(&o.siret)),
                            (Key::FieldAddress, opt(&o.address)),
                            (Key::FieldContact, opt(&o.contact_name)),
                            (Key::FieldEmail, opt(&o.email)),
                            (Key::FieldPhone, opt(&o.phone)),
                            (Key::FieldWebsite, opt(&o.website)),
                            (Key::OutLogo, self.t(logo).into()),
                            (Key::OutClasses, o.class_count.to_string()),
                            (Key::OutStudents, o.student_count.to_string()),
                            (Key::FieldNotes, opt(&o.notes)),
                        ],
                    ))
                })
            }
            OrgCmd::LogoLink { org } => {
                let id = p.org_resolve(self.actor, &org).await?;
                self.upload_link(UploadPurpose::Logo { organisation: id })
                    .await
            }
            OrgCmd::Logo { org } => {
                let id = p.org_resolve(self.actor, &org).await?;
                let bytes = self
                    .read_bytes(stdin, MAX_IMAGE_BYTES, Key::FileTooLarge)
                    .await?;
                let name = p.set_org_logo(self.actor, id, bytes).await?;
                self.image_set(Key::OutLogoSetDone, &name)
            }
            OrgCmd::Edit {
                org,
                name,
                siret,
                email,
                phone,
                address,
                website,
                contact,
                notes,
                json: as_json,
            } => {
                let id = p.org_resolve(self.actor, &org).await?;
                let mut input = OrgInput::from(&p.org_get(self.actor, id).await?);
                // An option given replaces the field (empty clears it); the others stay.
                let set = |field: &mut Option<String>, v: Option<String>| {
                    if let Some(v) = v {
                        *field = Some(v);
                    }
                };
                if let Some(name) = name {
                    input.name = name;
                }
                set(&mut input.siret, siret);
                set(&mut input.email, email);
                set(&mut input.phone, phone);
                set(&mut input.address, address);
                set(&mut input.website, website);
                set(&mut input.contact_name, contact);
                set(&mut input.notes, notes);
                let o = p.org_update(self.actor, id, &input).await?;
                self.json_or(as_json, &o, |o| {
                    line_out(self.tf(
                        Key::OutOrgUpdated,
                        &[&sanitize::line(&o.name), &o.id.to_string()],
                    ))
                })
            }
            OrgCmd::Rm { org, yes } => {
                let id = p.org_resolve(self.actor, &org).await?;
                let name = sanitize::line(&p.org_get(self.actor, id).await?.name).into_owned();
                let i = if yes {
                    p.org_delete(self.actor, id).await?
                } else {
                    p.org_deletion_impact(self.actor, id).await?
                };
                let counts = [
                    i.classes.to_string(),
                    i.class_memberships.to_string(),
                    i.assignments.to_string(),
                ];
                let args = [name.as_str(), &counts[0], &counts[1], &counts[2]];
                if yes {
                    line_out(self.tf(Key::OutOrgDeleted, &args))
                } else {
                    Err(Fail::Message(self.tf(Key::OutOrgDeleteConfirm, &args)))
                }
            }
        }
    }
}
