//! A user's own profile ("Mon compte"): the personal fields they may edit themselves,
//! minus those their trainer locked (`users.locked_fields`, comma-separated field names).

use serde::Serialize;

use super::{Portail, now};
use crate::domain::{Actor, User};
use crate::events::Event;
use crate::i18n::Key;
use crate::validate::{self, MAX_NAME};
use crate::{Error, Result};

/// The personal fields a user may edit, by their `locked_fields` name.
pub const PROFILE_FIELDS: [&str; 3] = ["first_name", "last_name", "phone"];

/// The profile as its owner sees it in "Mon compte".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// The e-mail (also a login); a trainer changes it here, a student's is the trainer's.
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    /// Fields the trainer locked (names from [`PROFILE_FIELDS`]): shown read-only.
    pub locked: Vec<String>,
    /// Whether a profile photo is set.
    pub has_photo: bool,
    /// A one-time link to the photo upload page (HTTPS), `None` if it could not be made.
    pub photo_upload_url: Option<String>,
}

impl Profile {
    pub fn is_locked(&self, field: &str) -> bool {
        self.locked.iter().any(|f| f == field)
    }
}

fn parse_locked(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(|f| f.trim().to_ascii_lowercase())
        .filter(|f| PROFILE_FIELDS.contains(&f.as_str()))
        .collect()
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    email: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    locked_fields: String,
    has_photo: bool,
    disabled: bool,
}

impl Portail {
    /// The actor's own profile.
    pub async fn my_profile(&self, actor: &Actor) -> Result<Profile> {
        if actor.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        let row: Option<ProfileRow> = sqlx::query_as(
            "SELECT email, first_name, last_name, phone, locked_fields, \
             avatar_file_id IS NOT NULL AS has_photo, disabled FROM users WHERE id = ?1",
        )
        .bind(actor.user_id)
        .fetch_optional(self.pool())
        .await?;
        let ProfileRow {
            email,
            first_name,
            last_name,
            phone,
            locked_fields,
            has_photo,
            disabled,
        } = row.ok_or(Error::NotFound)?;
        if disabled {
            return Err(Error::Forbidden);
        }
        Ok(Profile {
            email,
            first_name,
            last_name,
            phone,
            locked: parse_locked(&locked_fields),
            has_photo,
            photo_upload_url: self.photo_upload_url(actor).await,
        })
    }

    /// A fresh one-time link to the photo upload page (valid 30 minutes), for a browser
    /// or a phone.
    pub async fn photo_upload_url(&self, actor: &Actor) -> Option<String> {
        let token = self
            .upload_link_create(
                actor,
                super::files::UploadPurpose::Avatar,
                chrono::Duration::minutes(30),
            )
            .await
            .ok()?;
        Some(format!("{}/u/{token}", self.options().public_url))
    }

    /// Updates the actor's own first name, last name, phone and (`Some`) e-mail. A locked
    /// field may be sent back unchanged (forms send every field) but not changed: that is
    /// refused, naming it. Only a trainer changes their e-mail (a student's is managed by
    /// their trainer, as if locked); it must be free. Nothing is written unless all is valid.
    pub async fn update_my_profile(
        &self,
        actor: &Actor,
        first_name: &str,
        last_name: &str,
        phone: Option<&str>,
        email: Option<&str>,
    ) -> Result<User> {
        let current = self.my_profile(actor).await?;
        // Every invalid field at once (the person fixes them in one go).
        let mut f = validate::Fields::default();
        let first = f
            .check(validate::optional(
                Key::FieldFirstName,
                Some(first_name),
                MAX_NAME,
            ))
            .unwrap_or_default();
        let last = f
            .check(validate::optional(
                Key::FieldLastName,
                Some(last_name),
                MAX_NAME,
            ))
            .unwrap_or_default();
        let phone = f.check(validate::phone(phone));
        let typed_email = email.map(str::trim).filter(|e| !e.is_empty());
        let checked_email = typed_email.map(|e| f.check(validate::email(Key::FieldEmail, e)));
        f.done()?;
        let phone_shown = phone.clone().unwrap_or_default();
        let changes = [
            (
                "first_name",
                Key::FieldFirstName,
                first != current.first_name,
                &first,
            ),
            (
                "last_name",
                Key::FieldLastName,
                last != current.last_name,
                &last,
            ),
            (
                "phone",
                Key::FieldPhone,
                phone != current.phone,
                &phone_shown,
            ),
        ];
        for (name, key, changed, value) in changes {
            if changed && current.is_locked(name) {
                return Err(validate::invalid(key, Key::SpProbLocked, value));
            }
        }
        let email = match checked_email {
            None => current.email.clone(),
            Some(e) => {
                if e != current.email && !actor.is_trainer() {
                    return Err(validate::invalid(Key::FieldEmail, Key::SpProbLocked, &e));
                }
                e
            }
        };
        sqlx::query(
            "UPDATE users SET first_name = ?1, last_name = ?2, phone = ?3, email = ?4, updated_at = ?5 \
             WHERE id = ?6",
        )
        .bind(&first)
        .bind(&last)
        .bind(&phone)
        .bind(&email)
        .bind(now())
        .bind(actor.user_id)
        .execute(self.pool())
        .await
        .map_err(|e| match super::accounts::unique_to_conflict(e) {
            Error::Conflict => validate::invalid(Key::FieldEmail, Key::ProbDuplicateEmail, &email),
            other => other,
        })?;
        self.bus().publish(Event::UserUpdated {
            user_id: actor.user_id,
        });
        self.whoami(actor).await
    }
}

#[cfg(test)]
mod tests {
    use super::super::CoreOptions;
    use super::super::students::StudentInput;
    use super::*;
    use crate::Role;

    async fn setup() -> (tempfile::TempDir, Portail, Actor) {
        let dir = tempfile::tempdir().unwrap();
        let p = Portail::open(dir.path(), CoreOptions::default())
            .await
            .unwrap();
        let t = p
            .add_trainer("prof@example.fr", "une phrase secrète")
            .await
            .unwrap();
        let trainer = Actor {
            user_id: t.id,
            role: Role::Trainer,
            must_change_password: false,
        };
        let input = StudentInput {
            email: "lea@example.fr".into(),
            first_name: "Léa".into(),
            last_name: "Bernard".into(),
            ..Default::default()
        };
        let (s, _code) = p.student_create(&trainer, &input, &[], &[]).await.unwrap();
        let student = Actor {
            user_id: s.id,
            role: Role::Student,
            must_change_password: false,
        };
        (dir, p, student)
    }

    #[tokio::test]
    async fn own_profile_is_edited_and_validated() {
        let (_d, p, me) = setup().await;
        let prof = p.my_profile(&me).await.unwrap();
        assert_eq!(prof.first_name, "Léa");
        assert!(prof.locked.is_empty() && !prof.has_photo);
        let link = prof.photo_upload_url.expect("a one-time upload link");
        assert!(
            link.starts_with("https://") && link.contains("/u/"),
            "{link}"
        );
        let mut events = p.bus().subscribe();
        let u = p
            .update_my_profile(
                &me,
                " Léa\x1b[2J ",
                "Bernard-Martin",
                Some("06 12 34 56 78"),
                None,
            )
            .await
            .unwrap();
        assert_eq!(u.first_name, "Léa[2J");
        assert_eq!(u.last_name, "Bernard-Martin");
        assert_eq!(u.phone.as_deref(), Some("06 12 34 56 78"));
        assert_eq!(
            events.try_recv().unwrap(),
            Event::UserUpdated {
                user_id: me.user_id
            }
        );
        let err = p
            .update_my_profile(&me, "Léa", "B", Some("abc"), None)
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidField {
                field: Key::FieldPhone,
                ..
            }
        ));
        // Blank phone clears it.
        let u = p
            .update_my_profile(&me, "Léa", "B", Some(" "), None)
            .await
            .unwrap();
        assert_eq!(u.phone, None);
    }

    #[tokio::test]
    async fn locked_fields_cannot_change() {
        let (_d, p, me) = setup().await;
        sqlx::query("UPDATE users SET locked_fields = 'last_name, PHONE,unknown' WHERE id = ?1")
            .bind(me.user_id)
            .execute(p.pool())
            .await
            .unwrap();
        let prof = p.my_profile(&me).await.unwrap();
        assert_eq!(prof.locked, vec!["last_name", "phone"]);
        // Unchanged locked values are accepted with a change elsewhere.
        let u = p
            .update_my_profile(&me, "Lea", "Bernard", None, None)
            .await
            .unwrap();
        assert_eq!(u.first_name, "Lea");
        let err = p
            .update_my_profile(&me, "Lea", "Autre", None, None)
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidField {
                field: Key::FieldLastName,
                problem: Key::SpProbLocked,
                ..
            }
        ));
        let err = p
            .update_my_profile(&me, "Lea", "Bernard", Some("0612345678"), None)
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidField {
                field: Key::FieldPhone,
                ..
            }
        ));
        assert_eq!(p.whoami(&me).await.unwrap().last_name, "Bernard");
    }

    #[tokio::test]
    async fn activation_session_cannot_edit() {
        let (_d, p, me) = setup().await;
        let forced = Actor {
            must_change_password: true,
            ..me
        };
        assert!(matches!(
            p.update_my_profile(&forced, "a", "b", None, None).await,
            Err(Error::PasswordChangeRequired)
        ));
    }

    #[tokio::test]
    async fn every_invalid_field_of_mes_informations_is_named_at_once() {
        let (_d, p, _student) = setup().await;
        let me = p
            .login("prof@example.fr", "une phrase secrète", None)
            .await
            .unwrap()
            .actor;
        let e = p
            .update_my_profile(&me, "Claire", "Martin", Some("12"), Some("claire@"))
            .await
            .unwrap_err();
        let fields: Vec<Key> = e.field_problems().iter().map(|f| f.field).collect();
        assert_eq!(fields, [Key::FieldPhone, Key::FieldEmail], "{e:?}");
        // Nothing written.
        assert_eq!(p.my_profile(&me).await.unwrap().email, "prof@example.fr");
    }

    #[tokio::test]
    async fn trainer_sets_name_and_email_student_cannot_change_email() {
        let (_d, p, student) = setup().await;
        let t = p
            .login("prof@example.fr", "une phrase secrète", None)
            .await
            .unwrap();
        let me = t.actor;
        let prof = p.my_profile(&me).await.unwrap();
        assert_eq!(prof.email, "prof@example.fr");
        let u = p
            .update_my_profile(
                &me,
                "Claire",
                "Martin\x1b[31m",
                None,
                Some(" Claire@Example.FR "),
            )
            .await
            .unwrap();
        assert_eq!(u.display_name(), "Claire Martin[31m");
        assert_eq!(u.email, "claire@example.fr");
        // The new e-mail logs in; the old one no longer does.
        p.login("claire@example.fr", "une phrase secrète", None)
            .await
            .unwrap();
        assert!(
            p.login("prof@example.fr", "une phrase secrète", None)
                .await
                .is_err()
        );
        // An e-mail another account uses is refused, naming the field; nothing changes.
        let err = p
            .update_my_profile(&me, "Autre", "Nom", None, Some("lea@example.fr"))
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidField {
                field: Key::FieldEmail,
                problem: Key::ProbDuplicateEmail,
                ..
            }
        ));
        let invalid = p
            .update_my_profile(&me, "Autre", "Nom", None, Some("pas-un-courriel"))
            .await
            .unwrap_err();
        assert!(matches!(
            invalid,
            Error::InvalidField {
                field: Key::FieldEmail,
                ..
            }
        ));
        assert_eq!(p.whoami(&me).await.unwrap().first_name, "Claire");
        // A student's e-mail is their trainer's to change; the same one is accepted.
        let err = p
            .update_my_profile(&student, "Léa", "Bernard", None, Some("moi@example.fr"))
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidField {
                field: Key::FieldEmail,
                problem: Key::SpProbLocked,
                ..
            }
        ));
        p.update_my_profile(&student, "Léa", "B", None, Some("LEA@example.fr"))
            .await
            .unwrap();
    }
}
