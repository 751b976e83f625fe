//! Organisations' logos as links for the people of those organisations: a student sees
//! the logo of the organisations they belong to (directly or through a class), on their
//! home screen and on their courses' pages.

use serde::Serialize;
use sqlx::FromRow;

use super::Portail;
use crate::domain::{Actor, Role};
use crate::{Error, Result};

/// An organisation's logo as a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct OrgLogo {
    pub organisation_id: i64,
    pub organisation: String,
    /// The logo's path on the HTTPS door (`/i/…`): an unguessable name, served to whoever
    /// holds the link, like every avatar and logo.
    pub path: String,
}

/// The organisations a student belongs to: directly, or through one of their classes.
const STUDENT_ORGS: &str = "SELECT organisation_id FROM organisation_members WHERE student_id = ?1 \
     UNION SELECT c.organisation_id FROM class_members m JOIN classes c ON c.id = m.class_id \
     WHERE m.student_id = ?1";

const SELECT_LOGOS: &str = "SELECT o.id AS organisation_id, o.name AS organisation, \
     '/i/' || f.storage_name AS path FROM organisations o JOIN stored_files f ON f.id = o.logo_file_id ";

impl Portail {
    /// The logos `actor` may be shown. A student: those of their organisations; with
    /// `course` (one of theirs, else not found), those of the organisations of the classes
    /// it is assigned to them through, or all of theirs when it was assigned to them alone.
    /// The trainer: every organisation's; with `course`, those of the classes it is
    /// assigned to.
    pub async fn org_logos(&self, actor: &Actor, course: Option<i64>) -> Result<Vec<OrgLogo>> {
        if actor.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        let order = " ORDER BY o.name COLLATE NOCASE";
        let through_course = "o.id IN (SELECT c.organisation_id FROM assignments a \
             JOIN classes c ON c.id = a.class_id WHERE a.course_id = ?2";
        let rows = match (actor.role, course) {
            (Role::Trainer, None) => self.logos_where("WHERE 1 = ?1", 1, None).await?,
            (Role::Trainer, Some(course)) => {
                let sql = format!("WHERE 1 = ?1 AND {through_course}){order}");
                self.logos_where(&sql, 1, Some(course)).await?
            }
            (Role::Student, None) => {
                let sql = format!("WHERE o.id IN ({STUDENT_ORGS}){order}");
                self.logos_where(&sql, actor.user_id, None).await?
            }
            (Role::Student, Some(course)) => {
                if !self.my_courses(actor).await?.iter().any(|c| c.id == course) {
                    return Err(Error::NotFound);
                }
                let sql = format!(
                    "WHERE o.id IN ({STUDENT_ORGS}) AND {through_course} \
                     AND c.id IN (SELECT class_id FROM class_members WHERE student_id = ?1)){order}"
                );
                let through = self.logos_where(&sql, actor.user_id, Some(course)).await?;
                if through.is_empty() {
                    let sql = format!("WHERE o.id IN ({STUDENT_ORGS}){order}");
                    self.logos_where(&sql, actor.user_id, None).await?
                } else {
                    through
                }
            }
        };
        Ok(rows)
    }

    /// The logos shown on a one-time upload page (the link is its holder's credential,
    /// checked before): a student's organisations' logos; on a trainer's page for a
    /// logo, that organisation's current one.
    pub async fn upload_page_logos(
        &self,
        ticket: &super::files::UploadTicket,
    ) -> Result<Vec<OrgLogo>> {
        let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = ?1")
            .bind(ticket.user_id)
            .fetch_optional(self.pool())
            .await?;
        match (role.as_deref().and_then(Role::parse), &ticket.purpose) {
            (Some(Role::Student), _) => {
                let sql = format!("WHERE o.id IN ({STUDENT_ORGS})");
                self.logos_where(&sql, ticket.user_id, None).await
            }
            (Some(Role::Trainer), super::files::UploadPurpose::Logo { organisation }) => {
                self.logos_where("WHERE o.id = ?1", *organisation, None)
                    .await
            }
            _ => Ok(Vec::new()),
        }
    }

    async fn logos_where(
        &self,
        filter: &str,
        first: i64,
        course: Option<i64>,
    ) -> Result<Vec<OrgLogo>> {
        let sql = format!("{SELECT_LOGOS}{filter}");
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(first);
        if let Some(course) = course {
            q = q.bind(course);
        }
        let mut rows: Vec<OrgLogo> = q.fetch_all(self.pool()).await?;
        crate::present::sort_by_texts(&mut rows, |l| [l.organisation.as_str()]);
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::CoreOptions;
    use crate::services::classes::ClassInput;
    use crate::services::courses::{CourseInput, CourseStatus};
    use crate::services::enrolment::Target;
    use crate::services::orgs::OrgInput;
    use crate::services::students::StudentInput;

    fn png() -> Vec<u8> {
        let img = image::RgbImage::from_fn(20, 10, |x, _| image::Rgb([x as u8 * 10, 40, 90]));
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[tokio::test]
    async fn a_student_gets_the_logos_of_their_organisations_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = Portail::open(dir.path(), CoreOptions::default())
            .await
            .unwrap();
        let t = p
            .add_trainer("prof@example.fr", "une phrase secrète")
            .await
            .unwrap();
        let t = Actor {
            user_id: t.id,
            role: Role::Trainer,
            must_change_password: false,
        };
        let mut classes = Vec::new();
        for name in ["Alpha", "Beta", "Gamma"] {
            let o = p
                .org_create(
                    &t,
                    &OrgInput {
                        name: name.into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            if name != "Gamma" {
                p.set_org_logo(&t, o.id, png()).await.unwrap();
            }
            let c = p
                .class_create(
                    &t,
                    &ClassInput {
                        organisation_id: o.id,
                        name: "K".into(),
                        start_date: None,
                        end_date: None,
                    },
                )
                .await
                .unwrap();
            classes.push(c.id);
        }
        let student = |email: &str| StudentInput {
            email: email.into(),
            first_name: "Jean".into(),
            last_name: "Dupont".into(),
            ..Default::default()
        };
        let (ana, _) = p
            .student_create(&t, &student("ana@example.fr"), &[classes[0]], &[])
            .await
            .unwrap();
        let (bob, _) = p
            .student_create(&t, &student("bob@example.fr"), &[classes[1]], &[])
            .await
            .unwrap();
        let (cid, _) = p
            .student_create(&t, &student("cid@example.fr"), &[classes[2]], &[])
            .await
            .unwrap();
        let actor = |id| Actor {
            user_id: id,
            role: Role::Student,
            must_change_password: false,
        };
        let (ana, bob, cid) = (actor(ana.id), actor(bob.id), actor(cid.id));
        let names =
            |l: Vec<OrgLogo>| -> Vec<String> { l.into_iter().map(|l| l.organisation).collect() };
        let mine = p.org_logos(&ana, None).await.unwrap();
        assert_eq!(names(mine.clone()), ["Alpha"]);
        assert!(mine[0].path.starts_with("/i/"));
        assert!(p.public_image(&mine[0].path[3..]).await.is_ok());
        assert_eq!(names(p.org_logos(&bob, None).await.unwrap()), ["Beta"]);
        assert!(p.org_logos(&cid, None).await.unwrap().is_empty(), "no logo");
        assert_eq!(p.org_logos(&t, None).await.unwrap().len(), 2);

        // A course: the logo of the class it came through; not someone else's course.
        let course = p
            .course_create(
                &t,
                &CourseInput {
                    title: "Rust".into(),
                    status: CourseStatus::Published,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        p.course_assign(&t, course.id, &[Target::Class(classes[0])], None, None)
            .await
            .unwrap();
        assert_eq!(
            names(p.org_logos(&ana, Some(course.id)).await.unwrap()),
            ["Alpha"]
        );
        assert!(matches!(
            p.org_logos(&bob, Some(course.id)).await,
            Err(Error::NotFound)
        ));
        assert_eq!(
            names(p.org_logos(&t, Some(course.id)).await.unwrap()),
            ["Alpha"]
        );
        // Assigned to Bob alone: his organisation's logo.
        p.course_assign(&t, course.id, &[Target::Student(bob.user_id)], None, None)
            .await
            .unwrap();
        assert_eq!(
            names(p.org_logos(&bob, Some(course.id)).await.unwrap()),
            ["Beta"]
        );
        let forced = Actor {
            must_change_password: true,
            ..ana
        };
        assert!(p.org_logos(&forced, None).await.is_err());
    }
}
