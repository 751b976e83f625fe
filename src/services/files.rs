//! Course files, avatars and logos: storage, signed download links, one-time upload links.

use chrono::{DateTime, Duration, Utc};
use sqlx::FromRow;

use super::courses::Resource;
use super::guard::require_trainer;
use super::{Portail, now};
use crate::domain::{Actor, Role};
use crate::files::{LinkError, sniff_content_type};
use crate::i18n::Key;
use crate::images::{self, ImageKind};
use crate::validate::{self, MAX_NAME};
use crate::{Error, Result, auth};

/// Largest course file accepted.
pub const MAX_RESOURCE_BYTES: usize = 100 * 1024 * 1024;
/// Largest image upload accepted (before normalization).
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// Why a web request for a file or an upload page is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    NotFound,
    Forbidden,
    Gone,
}

/// What a download serves.
#[derive(Debug, Clone, FromRow)]
pub struct StoredFile {
    pub id: i64,
    pub storage_name: String,
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadPurpose {
    Avatar,
    Logo {
        organisation: i64,
    },
    /// A course file (trainer), optionally for one lesson, with its title.
    Resource {
        course: i64,
        lesson: Option<i64>,
        title: String,
    },
}

impl UploadPurpose {
    /// The largest upload accepted for this purpose, in bytes.
    pub fn max_bytes(&self) -> usize {
        match self {
            UploadPurpose::Resource { .. } => MAX_RESOURCE_BYTES,
            UploadPurpose::Avatar | UploadPurpose::Logo { .. } => MAX_IMAGE_BYTES,
        }
    }

    /// What to say when an upload is over [`Self::max_bytes`]: its own kind and size.
    pub fn too_large_message(&self, lang: crate::Lang) -> String {
        let key = match self {
            UploadPurpose::Avatar => Key::UpTooLargeAvatar,
            UploadPurpose::Logo { .. } => Key::UpTooLargeLogo,
            UploadPurpose::Resource { .. } => Key::UpTooLargeResource,
        };
        let mib = (self.max_bytes() / (1024 * 1024)).to_string();
        crate::i18n::tf(lang, key, &[&mib])
    }
}

/// A valid, unused upload link.
#[derive(Debug, Clone)]
pub struct UploadTicket {
    pub id: i64,
    pub purpose: UploadPurpose,
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
}

/// Keeps a file name as harmless metadata: no path, no controls, bounded.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = crate::sanitize::line(base)
        .chars()
        .filter(|c| !matches!(c, '"' | ';'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "fichier".into()
    } else {
        cleaned
    }
}

#[derive(FromRow)]
struct TicketRow {
    id: i64,
    purpose: String,
    user_id: i64,
    organisation_id: Option<i64>,
    course_id: Option<i64>,
    lesson_id: Option<i64>,
    title: Option<String>,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
}

fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    auth::hex_string(&Sha256::digest(
        format!("portail-upload-v1:{token}").as_bytes(),
    ))
}

impl Portail {
    pub(crate) async fn insert_file(
        &self,
        bytes: &[u8],
        original: &str,
        content_type: &str,
        suffix: &str,
        by: i64,
    ) -> Result<(i64, String)> {
        let store = self.files().clone();
        let data = bytes.to_vec();
        let suffix = suffix.to_string();
        let written = tokio::task::spawn_blocking(move || store.write(&data, &suffix))
            .await
            .map_err(|e| Error::Internal(e.to_string()))??;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO stored_files (storage_name, original_name, content_type, size_bytes, sha256, uploaded_by, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        )
        .bind(&written.storage_name)
        .bind(clean_file_name(original))
        .bind(content_type)
        .bind(written.size as i64)
        .bind(&written.sha256)
        .bind(by)
        .bind(now())
        .fetch_one(self.pool())
        .await?;
        Ok((id, written.storage_name))
    }

    /// Attaches a file to a course (optionally to one of its lessons). Trainer only.
    pub async fn resource_upload(
        &self,
        actor: &Actor,
        course_id: i64,
        lesson_id: Option<i64>,
        title: &str,
        original_name: &str,
        bytes: &[u8],
    ) -> Result<Resource> {
        require_trainer(actor)?;
        let title = validate::required(Key::FieldTitle, title, MAX_NAME)?;
        if bytes.is_empty() {
            return Err(Error::Invalid(Key::FileEmpty));
        }
        if bytes.len() > MAX_RESOURCE_BYTES {
            return Err(Error::Invalid(Key::FileTooLarge));
        }
        self.course_row(course_id).await?;
        if let Some(l) = lesson_id {
            let ok: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM lessons WHERE id = ?1 AND course_id = ?2)",
            )
            .bind(l)
            .bind(course_id)
            .fetch_one(self.pool())
            .await?;
            if !ok {
                return Err(Error::NotFound);
            }
        }
        let (file_id, _) = self
            .insert_file(
                bytes,
                original_name,
                sniff_content_type(bytes),
                "",
                actor.user_id,
            )
            .await?;
        Ok(sqlx::query_as(
            "INSERT INTO resources (course_id, lesson_id, kind, title, file_id, position, created_at) \
             VALUES (?1, ?2, 'file', ?3, ?4, (SELECT coalesce(max(position), 0) + 1 FROM resources WHERE course_id = ?1), ?5) \
             RETURNING id, course_id, lesson_id, kind, title, url",
        )
        .bind(course_id)
        .bind(lesson_id)
        .bind(&title)
        .bind(file_id)
        .bind(now())
        .fetch_one(self.pool())
        .await?)
    }

    /// Whether this user may download this stored file right now: trainers any course
    /// file; students only files of published courses assigned to them.
    /// The course through which this user may download this stored file right now
    /// (a duplicated course shares files: any of the user's courses holding it counts).
    /// Trainers: any course file; students: files of published courses assigned to them
    /// that they may open today (not before the start day).
    async fn download_course(&self, user_id: i64, role: Role, file_id: i64) -> Result<Option<i64>> {
        let courses: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT course_id FROM resources WHERE file_id = ?1")
                .bind(file_id)
                .fetch_all(self.pool())
                .await?;
        if role == Role::Trainer && !courses.is_empty() {
            return Ok(courses.first().copied());
        }
        if courses.is_empty() {
            // Not a course resource: perhaps a demo's recording (its audience decides).
            return self.recording_download_course(user_id, role, file_id).await;
        }
        let actor = Actor {
            user_id,
            role,
            must_change_password: false,
        };
        // Not before the course's start day (see `CourseAccess`).
        let mine = self.openable_course_ids(&actor).await?;
        Ok(courses.into_iter().find(|c| mine.contains(c)))
    }

    async fn may_download(&self, user_id: i64, role: Role, file_id: i64) -> Result<bool> {
        Ok(self
            .download_course(user_id, role, file_id)
            .await?
            .is_some())
    }

    /// The one place a download link is made: `/f/{file}/{user}/{expires}/{signature}`
    /// valid for `ttl`, and when it expires (to the second). Callers have checked that the
    /// user may download the file; the download checks it again.
    pub(crate) fn sign_file(&self, file: i64, user: i64, ttl: Duration) -> (String, DateTime<Utc>) {
        let expires = (now() + ttl).timestamp();
        let at = DateTime::from_timestamp(expires, 0).unwrap_or_else(now);
        (self.signer().sign_path(file, user, expires), at)
    }

    /// A signed, expiring download path (`/f/…`) for a file resource.
    pub async fn resource_link(
        &self,
        actor: &Actor,
        resource_id: i64,
        ttl: Duration,
    ) -> Result<String> {
        if actor.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        let file: Option<Option<i64>> =
            sqlx::query_scalar("SELECT file_id FROM resources WHERE id = ?1")
                .bind(resource_id)
                .fetch_optional(self.pool())
                .await?;
        let Some(Some(file)) = file else {
            return Err(Error::NotFound);
        };
        if !self.may_download(actor.user_id, actor.role, file).await? {
            return Err(Error::NotFound);
        }
        Ok(self.sign_file(file, actor.user_id, ttl).0)
    }

    /// Gives each file resource of a course the actor may open (checked by the caller:
    /// the trainer's `course_get`, the student's `my_course`) its signed download URL
    /// (`public_url` + path, valid `link_ttl`) and that URL's expiry.
    pub(crate) fn sign_resources(&self, actor: &Actor, resources: &mut [Resource]) {
        let ttl = self.options().link_ttl;
        for r in resources.iter_mut() {
            if let (Some(file), "file") = (r.file_id, r.kind.as_str()) {
                let (path, expires) = self.sign_file(file, actor.user_id, ttl);
                r.url = Some(format!("{}{path}", self.options().public_url));
                r.url_expires_at = Some(expires);
            }
        }
    }

    /// Checks a download link and returns the file to serve. A request that starts a
    /// download is written to the activity log, once per file, user and window, with the
    /// client's address and user agent (see [`super::activity`]).
    pub async fn download(
        &self,
        file: i64,
        user: i64,
        expires: i64,
        sig: &str,
        request: &super::activity::DownloadRequest,
    ) -> std::result::Result<StoredFile, Access> {
        match self
            .signer()
            .verify(file, user, expires, sig, now().timestamp())
        {
            Err(LinkError::BadSignature) => return Err(Access::Forbidden),
            Err(LinkError::Expired) => return Err(Access::Gone),
            Ok(()) => {}
        }
        let account: Option<(String, bool)> =
            sqlx::query_as("SELECT role, disabled FROM users WHERE id = ?1")
                .bind(user)
                .fetch_optional(self.pool())
                .await
                .map_err(|_| Access::NotFound)?;
        let Some((role, false)) = account else {
            return Err(Access::Forbidden);
        };
        let role = Role::parse(&role).ok_or(Access::Forbidden)?;
        let Some(course) = self
            .download_course(user, role, file)
            .await
            .map_err(|_| Access::NotFound)?
        else {
            return Err(Access::Forbidden);
        };
        let stored: StoredFile = sqlx::query_as(
            "SELECT id, storage_name, original_name, content_type, size_bytes, sha256, created_at FROM stored_files WHERE id = ?1",
        )
        .bind(file)
        .fetch_optional(self.pool())
        .await
        .map_err(|_| Access::NotFound)?
        .ok_or(Access::NotFound)?;
        if request.starts_a_download() {
            let logged = self
                .record_activity(super::activity::NewActivity {
                    user_id: user,
                    kind: "file_downloaded",
                    course_id: Some(course),
                    detail: &stored.original_name,
                    source: request.source,
                    user_agent: request.user_agent.as_deref(),
                    file_id: Some(stored.id),
                    ..Default::default()
                })
                .await;
            if let Err(e) = logged {
                tracing::warn!("journal d'activité : téléchargement non enregistré : {e}");
            }
        }
        Ok(stored)
    }

    /// An avatar or logo by its public (unguessable) name.
    pub async fn public_image(&self, name: &str) -> std::result::Result<StoredFile, Access> {
        if !crate::files::valid_storage_name(name) {
            return Err(Access::NotFound);
        }
        sqlx::query_as(
            "SELECT f.id, f.storage_name, f.original_name, f.content_type, f.size_bytes, f.sha256, f.created_at \
             FROM stored_files f WHERE f.storage_name = ?1 AND (EXISTS (SELECT 1 FROM users WHERE avatar_file_id = f.id) \
             OR EXISTS (SELECT 1 FROM organisations WHERE logo_file_id = f.id))",
        )
        .bind(name)
        .fetch_optional(self.pool())
        .await
        .map_err(|_| Access::NotFound)?
        .ok_or(Access::NotFound)
    }

    async fn store_image(&self, by: i64, bytes: Vec<u8>, kind: ImageKind) -> Result<(i64, String)> {
        if bytes.len() > MAX_IMAGE_BYTES {
            return Err(Error::Invalid(Key::FileTooLarge));
        }
        let png = images::normalize(bytes, kind, self.options().image_max_pixels)
            .await
            .map_err(|e| Error::Invalid(e.key()))?;
        self.insert_file(&png, "image.png", "image/png", ".png", by)
            .await
    }

    pub(crate) async fn drop_old_file(&self, old: Option<i64>) -> Result<()> {
        if let Some(old) = old {
            let name: Option<String> =
                sqlx::query_scalar("DELETE FROM stored_files WHERE id = ?1 RETURNING storage_name")
                    .bind(old)
                    .fetch_optional(self.pool())
                    .await?;
            if let Some(n) = name {
                self.files().remove(&n);
            }
        }
        Ok(())
    }

    /// Sets the actor's own profile photo (normalized square PNG). Returns its public name.
    pub async fn set_avatar(&self, actor: &Actor, bytes: Vec<u8>) -> Result<String> {
        if actor.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        self.set_avatar_of(actor.user_id, bytes).await
    }

    async fn set_avatar_of(&self, user: i64, bytes: Vec<u8>) -> Result<String> {
        let (id, name) = self.store_image(user, bytes, ImageKind::Avatar).await?;
        let old: Option<i64> = sqlx::query_scalar("SELECT avatar_file_id FROM users WHERE id = ?1")
            .bind(user)
            .fetch_one(self.pool())
            .await?;
        sqlx::query("UPDATE users SET avatar_file_id = ?1, updated_at = ?2 WHERE id = ?3")
            .bind(id)
            .bind(now())
            .bind(user)
            .execute(self.pool())
            .await?;
        self.drop_old_file(old).await?;
        self.bus()
            .publish(crate::events::Event::UserUpdated { user_id: user });
        Ok(name)
    }

    /// Sets an organisation's logo (normalized PNG in a bounding box). Trainer only.
    pub async fn set_org_logo(
        &self,
        actor: &Actor,
        organisation: i64,
        bytes: Vec<u8>,
    ) -> Result<String> {
        require_trainer(actor)?;
        self.org_get(actor, organisation).await?;
        self.set_logo_of(actor.user_id, organisation, bytes).await
    }

    async fn set_logo_of(&self, by: i64, organisation: i64, bytes: Vec<u8>) -> Result<String> {
        let (id, name) = self.store_image(by, bytes, ImageKind::Logo).await?;
        let old: Option<i64> =
            sqlx::query_scalar("SELECT logo_file_id FROM organisations WHERE id = ?1")
                .bind(organisation)
                .fetch_one(self.pool())
                .await?;
        sqlx::query("UPDATE organisations SET logo_file_id = ?1, updated_at = ?2 WHERE id = ?3")
            .bind(id)
            .bind(now())
            .bind(organisation)
            .execute(self.pool())
            .await?;
        self.drop_old_file(old).await?;
        Ok(name)
    }

    /// The public name of a user's avatar, if set.
    pub async fn avatar_name(&self, user: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT f.storage_name FROM users u JOIN stored_files f ON f.id = u.avatar_file_id WHERE u.id = ?1",
        )
        .bind(user)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Creates a one-time upload link token (to show as `/u/{token}` link and QR code).
    pub async fn upload_link_create(
        &self,
        actor: &Actor,
        purpose: UploadPurpose,
        ttl: Duration,
    ) -> Result<String> {
        if actor.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        let (kind, org, course, lesson, title) = match &purpose {
            UploadPurpose::Avatar => ("avatar", None, None, None, None),
            UploadPurpose::Logo { organisation } => {
                require_trainer(actor)?;
                self.org_get(actor, *organisation).await?;
                ("logo", Some(*organisation), None, None, None)
            }
            UploadPurpose::Resource {
                course,
                lesson,
                title,
            } => {
                require_trainer(actor)?;
                self.course_row(*course).await?;
                let title = validate::required(Key::FieldTitle, title, MAX_NAME)?;
                ("resource", None, Some(*course), *lesson, Some(title))
            }
        };
        let token = {
            use rand::RngCore;
            let mut b = [0u8; 24];
            rand::rng().fill_bytes(&mut b);
            auth::hex_string(&b)
        };
        // One live link per user and purpose; expired links are purged.
        let ts = now();
        sqlx::query("DELETE FROM upload_tokens WHERE expires_at < ?1")
            .bind(ts - Duration::days(1))
            .execute(self.pool())
            .await?;
        sqlx::query(
            "UPDATE upload_tokens SET used_at = ?1 WHERE user_id = ?2 AND purpose = ?3 AND used_at IS NULL",
        )
        .bind(ts)
        .bind(actor.user_id)
        .bind(kind)
        .execute(self.pool())
        .await?;
        sqlx::query(
            "INSERT INTO upload_tokens (token_hash, purpose, user_id, organisation_id, course_id, lesson_id, \
             title, expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(token_hash(&token))
        .bind(kind)
        .bind(actor.user_id)
        .bind(org)
        .bind(course)
        .bind(lesson)
        .bind(title)
        .bind(now() + ttl)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(token)
    }

    /// Checks an upload link: unknown → NotFound, used or expired → Gone.
    pub async fn upload_ticket(&self, token: &str) -> std::result::Result<UploadTicket, Access> {
        if token.len() != 48 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Access::NotFound);
        }
        let row: Option<TicketRow> = sqlx::query_as(
            "SELECT id, purpose, user_id, organisation_id, course_id, lesson_id, title, expires_at, used_at \
             FROM upload_tokens WHERE token_hash = ?1",
        )
        .bind(token_hash(token))
        .fetch_optional(self.pool())
        .await
        .map_err(|_| Access::NotFound)?;
        let Some(t) = row else {
            return Err(Access::NotFound);
        };
        if t.used_at.is_some() || t.expires_at < now() {
            return Err(Access::Gone);
        }
        let purpose = match (t.purpose.as_str(), t.organisation_id, t.course_id) {
            ("logo", Some(organisation), _) => UploadPurpose::Logo { organisation },
            ("resource", _, Some(course)) => UploadPurpose::Resource {
                course,
                lesson: t.lesson_id,
                title: t.title.unwrap_or_default(),
            },
            ("avatar", _, _) => UploadPurpose::Avatar,
            _ => return Err(Access::NotFound),
        };
        Ok(UploadTicket {
            id: t.id,
            purpose,
            user_id: t.user_id,
            expires_at: t.expires_at,
        })
    }

    /// Spends a ticket atomically before a slow upload; false if it was already used.
    pub async fn claim_ticket(&self, ticket: &UploadTicket) -> Result<bool> {
        let done =
            sqlx::query("UPDATE upload_tokens SET used_at = ?1 WHERE id = ?2 AND used_at IS NULL")
                .bind(now())
                .bind(ticket.id)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives a claimed ticket back (the upload failed on bad input).
    pub async fn release_ticket(&self, ticket: &UploadTicket) -> Result<()> {
        sqlx::query("UPDATE upload_tokens SET used_at = NULL WHERE id = ?1")
            .bind(ticket.id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Applies an upload for a ticket already claimed. `file_name` is the browser's name
    /// of the file (metadata only).
    pub async fn upload_claimed(
        &self,
        ticket: &UploadTicket,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<String> {
        // The link's owner as they are now: still active (and still a trainer for a logo).
        let owner = Actor {
            user_id: ticket.user_id,
            role: Role::Student,
            must_change_password: false,
        };
        let current = self.whoami(&owner).await?;
        match &ticket.purpose {
            UploadPurpose::Avatar => self.set_avatar_of(ticket.user_id, bytes).await,
            UploadPurpose::Logo { organisation } => {
                if current.role != Role::Trainer {
                    return Err(Error::Forbidden);
                }
                self.set_logo_of(ticket.user_id, *organisation, bytes).await
            }
            UploadPurpose::Resource {
                course,
                lesson,
                title,
            } => {
                // The trainer who made the link, as they are now (still a trainer, active).
                let actor = Actor {
                    user_id: ticket.user_id,
                    role: Role::Trainer,
                    must_change_password: false,
                };
                if current.role != Role::Trainer {
                    return Err(Error::Forbidden);
                }
                let r = self
                    .resource_upload(&actor, *course, *lesson, title, file_name, &bytes)
                    .await?;
                Ok(r.title)
            }
        }
    }
}
