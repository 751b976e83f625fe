//! Accounts: login, identity, password changes, language, trainer bootstrap.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sqlx::FromRow;

pub use super::guard::require_trainer;
use super::{Portail, now, security};
use crate::auth::{self, check_password_policy};
use crate::domain::{Actor, Lang, Role, User};
use crate::events::Event;
use crate::i18n::Key;
use crate::{Error, Result};

/// Login name of the trainer account created on first start.
pub const FIRST_TRAINER_LOGIN: &str = "formateur";
pub const FIRST_TRAINER_EMAIL: &str = "formateur@portail.local";

#[derive(FromRow)]
struct UserRow {
    id: i64,
    role: String,
    email: String,
    login: Option<String>,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    language: String,
    disabled: bool,
    must_change_password: bool,
    created_at: DateTime<Utc>,
    last_login_at: Option<DateTime<Utc>>,
    password_hash: Option<String>,
    activation_code_hash: Option<String>,
    activation_expires_at: Option<DateTime<Utc>>,
}

/// `SELECT <user columns> FROM users ` followed by the given clause, as a static string.
macro_rules! select_users {
    ($clause:literal) => {
        concat!(
            "SELECT id, role, email, login, first_name, last_name, phone, language, disabled, \
             must_change_password, created_at, last_login_at, password_hash, activation_code_hash, \
             activation_expires_at FROM users ",
            $clause
        )
    };
}

impl UserRow {
    /// The activation code's hash while it is still valid.
    fn live_code(&self) -> Option<&str> {
        self.activation_code_hash
            .as_deref()
            .filter(|_| self.activation_expires_at.is_some_and(|exp| exp > now()))
    }

    /// The account is in the "choose a password" state: first password, or a live code.
    fn must_choose_password(&self) -> bool {
        self.must_change_password || self.live_code().is_some()
    }

    fn to_user(&self) -> User {
        User {
            id: self.id,
            role: Role::parse(&self.role).unwrap_or(Role::Student),
            email: self.email.clone(),
            login: self.login.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            phone: self.phone.clone(),
            language: Lang::parse(&self.language).unwrap_or_default(),
            disabled: self.disabled,
            must_change_password: self.must_change_password,
            created_at: self.created_at,
            last_login_at: self.last_login_at,
        }
    }
}

/// A successful login.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub user: User,
    pub actor: Actor,
    /// The secret given was the activation code: a password must be chosen now.
    pub via_activation_code: bool,
}

/// Credentials of an account created by the server, to print once.
#[derive(Debug, Clone)]
pub struct InitialAccount {
    pub login: String,
    pub email: String,
    pub password: String,
}

/// Normalizes and validates an e-mail address (lower-cased, trimmed).
pub fn normalize_email(input: &str) -> Result<String> {
    let email = input.trim().to_lowercase();
    let domain_ok = email
        .rsplit_once('@')
        .is_some_and(|(_, d)| d.contains('.') && !d.starts_with('.') && !d.ends_with('.'));
    if email.len() > 254 || !domain_ok || !email_address::EmailAddress::is_valid(&email) {
        return Err(Error::Invalid(Key::ErrInvalidEmail));
    }
    Ok(email)
}

/// Validates a short login name: 2 to 32 of `[A-Za-z0-9._-]`, starting with a letter or digit.
pub fn validate_login(input: &str) -> Result<String> {
    let login = input.trim();
    let ok = (2..=32).contains(&login.len())
        && login
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !ok {
        return Err(Error::Invalid(Key::ErrInvalidLogin));
    }
    Ok(login.to_string())
}

impl Portail {
    async fn user_row_by_login(&self, login: &str) -> Result<Option<UserRow>> {
        // E-mails are stored lower-cased (full Unicode); NOCASE only folds ASCII.
        let login = login.trim().to_lowercase();
        if login.is_empty() || login.len() > 254 {
            return Ok(None);
        }
        Ok(
            sqlx::query_as::<_, UserRow>(select_users!("WHERE email = ?1 OR login = ?1"))
                .bind(login)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    async fn user_row(&self, id: i64) -> Result<UserRow> {
        sqlx::query_as::<_, UserRow>(select_users!("WHERE id = ?1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(Error::NotFound)
    }

    /// Checks a login (e-mail or short login name) and a secret (password or activation
    /// code). Unknown user, disabled account and wrong secret all cost one argon2
    /// verification and give the same error.
    pub async fn login(
        &self,
        login: &str,
        secret: &str,
        source_ip: Option<IpAddr>,
    ) -> Result<LoginOutcome> {
        // Brute-force protection first (see `security`): a refusal depends only on the
        // source and the login tried, never on the account or the secret.
        let tried = security::clean_login(login);
        let group = security::source_group(source_ip);
        if let Some(refusal) = self.login_refusal(&tried, &group).await? {
            self.record_login_failure(source_ip, &tried, refusal)
                .await?;
            return Err(Error::TooManyAttempts);
        }
        let row = self.user_row_by_login(login).await?;
        let hasher = self.hasher();
        // Every checked path costs exactly one argon2 verification (real or dummy) and one
        // activation-code digest, so timing says nothing about the account or its state.
        let Some(row) = row else {
            hasher.verify(secret, None).await;
            auth::verify_activation_code(secret, None);
            self.record_login_failure(source_ip, &tried, security::Outcome::Failed)
                .await?;
            return Err(Error::InvalidCredentials);
        };
        let pw_ok = hasher.verify(secret, row.password_hash.as_deref()).await;
        let code_ok = auth::verify_activation_code(secret, row.live_code());
        let (ok, via_code) = (pw_ok || code_ok, !pw_ok && code_ok);
        if !ok || row.disabled {
            self.record_login_failure(source_ip, &tried, security::Outcome::Failed)
                .await?;
            return Err(Error::InvalidCredentials);
        }
        let ts = now();
        sqlx::query("UPDATE users SET last_login_at = ?1 WHERE id = ?2")
            .bind(ts)
            .bind(row.id)
            .execute(self.pool())
            .await?;
        self.log_activity(row.id, "login", source_ip).await?;
        self.record_login_source(source_ip, row.id).await?;
        let user = row.to_user();
        let actor = Actor {
            user_id: user.id,
            role: user.role,
            must_change_password: via_code || user.must_change_password,
        };
        Ok(LoginOutcome {
            user,
            actor,
            via_activation_code: via_code,
        })
    }

    /// The acting user's own account. Fails if the account was disabled meanwhile.
    pub async fn whoami(&self, actor: &Actor) -> Result<User> {
        let user = self.user_row(actor.user_id).await?.to_user();
        if user.disabled {
            return Err(Error::Forbidden);
        }
        Ok(user)
    }

    /// Changes the actor's password. `current` is required unless the session must choose
    /// a password (activation code or initial password just used to log in). Clears any
    /// activation code. Returns the actor, now free to work.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: Option<&str>,
        new: &str,
    ) -> Result<Actor> {
        let row = self.user_row(actor.user_id).await?;
        if row.disabled {
            return Err(Error::Forbidden);
        }
        // The session's flag alone is not enough: the account itself must still be in the
        // "choose a password" state (another session may have chosen one meanwhile).
        let forced = actor.must_change_password && row.must_choose_password();
        // A forced change needs no current password, but one given is checked all the same.
        if !forced || current.is_some() {
            let current = current.ok_or(Error::Invalid(Key::PwRequired))?;
            if !self
                .hasher()
                .verify(current, row.password_hash.as_deref())
                .await
            {
                return Err(Error::Invalid(Key::PwCurrentWrong));
            }
        }
        let mut ids = vec![row.email.as_str()];
        if let Some(l) = row.login.as_deref() {
            ids.push(l);
        }
        check_password_policy(new, &ids).map_err(Error::Invalid)?;
        // Keeping the password one has (the first-run one someone else may have read, or
        // a leaked one) is no change: refuse it rather than say "changed".
        if row.password_hash.is_some()
            && self
                .hasher()
                .verify(new, row.password_hash.as_deref())
                .await
        {
            return Err(Error::Invalid(Key::PwSameAsCurrent));
        }
        let phc = self.hasher().hash(new).await?;
        sqlx::query(
            "UPDATE users SET password_hash = ?1, must_change_password = 0, \
             activation_code_hash = NULL, activation_expires_at = NULL, updated_at = ?2 \
             WHERE id = ?3",
        )
        .bind(phc)
        .bind(now())
        .bind(row.id)
        .execute(self.pool())
        .await?;
        self.log_activity(row.id, "password_changed", None).await?;
        self.bus().publish(Event::UserUpdated { user_id: row.id });
        Ok(Actor {
            must_change_password: false,
            ..actor.clone()
        })
    }

    /// Sets the actor's interface language.
    pub async fn set_language(&self, actor: &Actor, lang: Lang) -> Result<()> {
        if actor.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        sqlx::query("UPDATE users SET language = ?1, updated_at = ?2 WHERE id = ?3")
            .bind(lang.code())
            .bind(now())
            .bind(actor.user_id)
            .execute(self.pool())
            .await?;
        self.bus().publish(Event::UserUpdated {
            user_id: actor.user_id,
        });
        Ok(())
    }

    /// Creates the first trainer account when the database has none. Returns its
    /// credentials (to print once), or `None` when a trainer already exists.
    pub async fn ensure_first_trainer(&self) -> Result<Option<InitialAccount>> {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'trainer')")
                .fetch_one(self.pool())
                .await?;
        if exists {
            return Ok(None);
        }
        // Hash before writing (slow), then insert only if still no trainer: one statement.
        let password = auth::generate_password();
        let phc = self.hasher().hash(&password).await?;
        let inserted = sqlx::query(
            "INSERT INTO users (role, email, login, password_hash, must_change_password, created_at, updated_at) \
             SELECT 'trainer', ?1, ?2, ?3, 1, ?4, ?4 \
             WHERE NOT EXISTS (SELECT 1 FROM users WHERE role = 'trainer')",
        )
        .bind(FIRST_TRAINER_EMAIL)
        .bind(FIRST_TRAINER_LOGIN)
        .bind(phc)
        .bind(now())
        .execute(self.pool())
        .await?;
        if inserted.rows_affected() == 0 {
            return Ok(None);
        }
        Ok(Some(InitialAccount {
            login: FIRST_TRAINER_LOGIN.into(),
            email: FIRST_TRAINER_EMAIL.into(),
            password,
        }))
    }

    /// Creates a trainer with this e-mail, or resets an existing trainer's password.
    /// The password is the one given (no forced change). Used by `portail trainer add`.
    pub async fn add_trainer(&self, email: &str, password: &str) -> Result<User> {
        let email = normalize_email(email)?;
        check_password_policy(password, &[&email]).map_err(Error::Invalid)?;
        let phc = self.hasher().hash(password).await?;
        let ts = now();
        let existing: Option<(i64, String)> =
            sqlx::query_as("SELECT id, role FROM users WHERE email = ?1")
                .bind(&email)
                .fetch_optional(self.pool())
                .await?;
        let id = match existing {
            Some((_, role)) if role != "trainer" => return Err(Error::Conflict),
            Some((id, _)) => {
                sqlx::query(
                    "UPDATE users SET password_hash = ?1, must_change_password = 0, disabled = 0, \
                     updated_at = ?2 WHERE id = ?3",
                )
                .bind(phc)
                .bind(ts)
                .bind(id)
                .execute(self.pool())
                .await?;
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO users (role, email, password_hash, created_at, updated_at) \
                 VALUES ('trainer', ?1, ?2, ?3, ?3) RETURNING id",
                )
                .bind(&email)
                .bind(phc)
                .bind(ts)
                .fetch_one(self.pool())
                .await?
            }
        };
        Ok(self.user_row(id).await?.to_user())
    }

    pub(crate) async fn log_activity(
        &self,
        user_id: i64,
        kind: &str,
        source_ip: Option<IpAddr>,
    ) -> Result<()> {
        self.record_activity(super::activity::NewActivity {
            user_id,
            kind,
            source: source_ip,
            ..Default::default()
        })
        .await?;
        Ok(())
    }
}

pub(crate) fn unique_to_conflict(e: sqlx::Error) -> Error {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => Error::Conflict,
        _ => Error::Db(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::CoreOptions;

    async fn portail() -> (tempfile::TempDir, Portail) {
        let dir = tempfile::tempdir().unwrap();
        let p = Portail::open(dir.path(), CoreOptions::default())
            .await
            .unwrap();
        (dir, p)
    }

    #[tokio::test]
    async fn first_trainer_is_created_once_and_must_change_password() {
        let (_d, p) = portail().await;
        let first = p.ensure_first_trainer().await.unwrap().expect("created");
        assert!(p.ensure_first_trainer().await.unwrap().is_none());
        // Login by short name and by e-mail, any case.
        let out = p.login("Formateur", &first.password, None).await.unwrap();
        assert!(out.actor.must_change_password);
        assert!(out.actor.is_trainer());
        p.login("FORMATEUR@portail.local", &first.password, None)
            .await
            .unwrap();
        let actor = p
            .change_password(&out.actor, None, "un cheval rouge au galop")
            .await
            .unwrap();
        assert!(!actor.must_change_password);
        assert!(matches!(
            p.login("formateur", &first.password, None).await,
            Err(Error::InvalidCredentials)
        ));
        let again = p
            .login("formateur", "un cheval rouge au galop", None)
            .await
            .unwrap();
        assert!(!again.actor.must_change_password);
        // Now the current password is required.
        assert!(matches!(
            p.change_password(
                &again.actor,
                Some("faux mot de passe"),
                "autre phrase longue"
            )
            .await,
            Err(Error::Invalid(Key::PwCurrentWrong))
        ));
    }

    #[tokio::test]
    async fn unknown_user_costs_a_verification_and_same_error() {
        let (_d, p) = portail().await;
        let before = p.hasher().verifications();
        let err = p.login("nobody@example.fr", "whatever123", None).await;
        assert!(matches!(err, Err(Error::InvalidCredentials)));
        assert_eq!(p.hasher().verifications(), before + 1);
    }

    #[tokio::test]
    async fn student_activation_code_is_single_use_and_forces_password() {
        let (_d, p) = portail().await;
        let trainer = p
            .add_trainer("prof@example.fr", "une phrase secrète")
            .await
            .unwrap();
        let t = Actor {
            user_id: trainer.id,
            role: Role::Trainer,
            must_change_password: false,
        };
        let input = crate::services::students::StudentInput {
            email: "Marie.Curie@Example.fr".into(),
            first_name: "Marie".into(),
            last_name: "Curie".into(),
            ..Default::default()
        };
        let (student, code) = p.student_create(&t, &input, &[], &[]).await.unwrap();
        assert_eq!(student.email, "marie.curie@example.fr");
        // A student cannot create students.
        let s = Actor {
            user_id: student.id,
            role: Role::Student,
            must_change_password: false,
        };
        assert!(matches!(
            p.student_create(&s, &input, &[], &[]).await,
            Err(Error::Forbidden)
        ));
        let out = p
            .login("marie.curie@example.fr", &code.to_lowercase(), None)
            .await
            .unwrap();
        assert!(out.via_activation_code && out.actor.must_change_password);
        assert!(matches!(
            p.set_language(&out.actor, Lang::En).await,
            Err(Error::PasswordChangeRequired)
        ));
        // Every login path costs the same two verifications (pending student included).
        let before = p.hasher().verifications();
        let second = p
            .login("marie.curie@example.fr", &code, None)
            .await
            .unwrap();
        assert!(
            p.login("marie.curie@example.fr", "wrong guess", None)
                .await
                .is_err()
        );
        assert_eq!(p.hasher().verifications(), before + 2);
        p.change_password(&out.actor, None, "radium polonium 1898")
            .await
            .unwrap();
        // The other session opened with the code may no longer skip the current password.
        assert!(matches!(
            p.change_password(&second.actor, None, "volé par une autre session")
                .await,
            Err(Error::Invalid(Key::PwRequired))
        ));
        // The code is void once a password is chosen.
        assert!(
            p.login("marie.curie@example.fr", &code, None)
                .await
                .is_err()
        );
        // Duplicate e-mail, any case: refused, naming the field.
        let dup = crate::services::students::StudentInput {
            email: "MARIE.CURIE@example.fr".into(),
            ..Default::default()
        };
        assert!(matches!(
            p.student_create(&t, &dup, &[], &[]).await,
            Err(Error::InvalidField {
                field: Key::FieldEmail,
                ..
            })
        ));
    }

    #[tokio::test]
    async fn disabled_account_is_refused_like_a_wrong_password() {
        let (_d, p) = portail().await;
        let u = p
            .add_trainer("prof@example.fr", "une phrase secrète")
            .await
            .unwrap();
        sqlx::query("UPDATE users SET disabled = 1 WHERE id = ?1")
            .bind(u.id)
            .execute(p.pool())
            .await
            .unwrap();
        assert!(matches!(
            p.login("prof@example.fr", "une phrase secrète", None).await,
            Err(Error::InvalidCredentials)
        ));
    }

    #[test]
    fn email_and_login_validation() {
        assert_eq!(normalize_email(" A@B.fr ").unwrap(), "a@b.fr");
        for bad in ["jean.dupont@", "@x.fr", "a b@x.fr", "a@x", "a@.fr"] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
        assert!(validate_login("marie").is_ok());
        assert!(validate_login("m").is_err());
        assert!(validate_login("marie@x").is_err());
    }
}
