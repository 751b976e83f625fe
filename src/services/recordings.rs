//! Recordings of technical demos: an asciicast v2 file (see [`crate::asciicast`]) stored
//! like other course files (`stored_files`, content type [`asciicast::CONTENT_TYPE`]) and
//! referred to by `demos.recording_file_id`.
//!
//! Rules kept here, whatever the door:
//! - only a trainer stores a recording; it is checked by [`asciicast::parse`] first (bad
//!   JSON, wrong version, huge dimensions, time going backwards are refused naming the
//!   line; [`crate::validate::MAX_CAST_BYTES`]) and nothing is written on a refusal;
//!   replacing an existing recording needs a confirmation;
//! - replaying and downloading go through [`Portail::visible_demo`]: a student outside the
//!   demo's audience gets [`Error::NotFound`], as for a demo without a recording;
//! - the recording is not listed among the course's resources (the demo's audience may be
//!   some classes only): its signed link is given with the demo, and the download checks
//!   the demo's audience again ([`Portail::recording_download_course`]);
//! - a student's replay is written to the activity log (how far they watched).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Portail;
use super::activity::NewActivity;
use super::guard::require_trainer;
use super::tech_demos::Demo;
use crate::asciicast::{self, Cast};
use crate::domain::{Actor, Role};
use crate::i18n::Key;
use crate::validate::MAX_CAST_BYTES;
use crate::{Error, Result};

/// A demo's recording as a download: its signed link (`…/f/…`), when the link expires,
/// and the browser player's page (the same link with `?player=1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordingLink {
    pub file_id: i64,
    pub size_bytes: i64,
    pub url: String,
    pub player_url: String,
    pub expires_at: DateTime<Utc>,
}

/// What an upload stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub file_id: i64,
    pub size_bytes: usize,
    pub events: usize,
    pub width: u16,
    pub height: u16,
}

impl Portail {
    /// Trainer: stores `bytes` (an asciicast v2 recording) as demo `demo_id`'s recording.
    /// An existing recording is replaced only with `replace`; the old file is removed.
    /// This is also how the live broadcast stores what it recorded.
    pub async fn demo_recording_store(
        &self,
        actor: &Actor,
        demo_id: i64,
        bytes: &[u8],
        replace: bool,
    ) -> Result<Stored> {
        require_trainer(actor)?;
        let demo = self.visible_demo(actor, demo_id).await?;
        let cast = parse_off_runtime(bytes.to_vec()).await?;
        if demo.recording_file_id.is_some() && !replace {
            return Err(Error::NeedsConfirmation(Key::DmErrConfirmReplace));
        }
        let name = format!("demo-{demo_id}.cast");
        let (file_id, _) = self
            .insert_file(bytes, &name, asciicast::CONTENT_TYPE, "", actor.user_id)
            .await?;
        let mut tx = self.pool().begin().await?;
        let previous: Option<Option<i64>> =
            sqlx::query_scalar("SELECT recording_file_id FROM demos WHERE id = ?1")
                .bind(demo_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(previous) = previous else {
            // The demo was deleted meanwhile: keep no orphan file.
            drop(tx);
            self.drop_old_file(Some(file_id)).await?;
            return Err(Error::NotFound);
        };
        sqlx::query("UPDATE demos SET recording_file_id = ?1, updated_at = ?2 WHERE id = ?3")
            .bind(file_id)
            .bind(super::now())
            .bind(demo_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.drop_old_file(previous).await?;
        Ok(Stored {
            file_id,
            size_bytes: bytes.len(),
            events: cast.events.len(),
            width: cast.header.width,
            height: cast.header.height,
        })
    }

    /// The demo (if `actor` may see it) and its recording, read and checked; `None` when
    /// the demo has no recording.
    pub async fn demo_recording(
        &self,
        actor: &Actor,
        demo_id: i64,
    ) -> Result<(Demo, Option<Cast>)> {
        let demo = self.visible_demo(actor, demo_id).await?;
        let Some(file) = demo.recording_file_id else {
            return Ok((demo, None));
        };
        let name: Option<String> =
            sqlx::query_scalar("SELECT storage_name FROM stored_files WHERE id = ?1")
                .bind(file)
                .fetch_optional(self.pool())
                .await?;
        let Some(name) = name else {
            return Ok((demo, None));
        };
        let store = self.files().clone();
        let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>> {
            use std::io::Read;
            let f = store.open_file(&name)?;
            let mut bytes = Vec::new();
            f.take(MAX_CAST_BYTES as u64 + 1).read_to_end(&mut bytes)?;
            Ok(bytes)
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
        let cast = parse_off_runtime(bytes).await?;
        Ok((demo, Some(cast)))
    }

    /// The signed link of a demo's recording for `actor` (who may see the demo), if any.
    pub async fn demo_recording_link(
        &self,
        actor: &Actor,
        demo: &Demo,
    ) -> Result<Option<RecordingLink>> {
        let Some(file) = demo.recording_file_id else {
            return Ok(None);
        };
        // The one visibility check (a caller may hold a stale `Demo`).
        self.visible_demo(actor, demo.id).await?;
        let size: Option<i64> =
            sqlx::query_scalar("SELECT size_bytes FROM stored_files WHERE id = ?1")
                .bind(file)
                .fetch_optional(self.pool())
                .await?;
        let Some(size_bytes) = size else {
            return Ok(None);
        };
        let (path, expires_at) = self.sign_file(file, actor.user_id, self.options().link_ttl);
        let url = format!("{}{path}", self.options().public_url);
        Ok(Some(RecordingLink {
            file_id: file,
            size_bytes,
            player_url: format!("{url}?player=1"),
            url,
            expires_at,
        }))
    }

    /// The course through which `user` may download `file` as a demo's recording: the
    /// demo's course, when the user may see the demo (see [`Portail::visible_demo`]).
    pub(crate) async fn recording_download_course(
        &self,
        user_id: i64,
        role: Role,
        file: i64,
    ) -> Result<Option<i64>> {
        let demos: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM demos WHERE recording_file_id = ?1")
                .bind(file)
                .fetch_all(self.pool())
                .await?;
        let actor = Actor {
            user_id,
            role,
            must_change_password: false,
        };
        for id in demos {
            match self.visible_demo(&actor, id).await {
                Ok(d) => return Ok(Some(d.course_id)),
                Err(Error::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    /// A student replayed demo `demo_id`'s recording up to `reached` of `total` seconds:
    /// one entry in the activity log (nothing for a trainer).
    pub async fn demo_replay_log(
        &self,
        actor: &Actor,
        demo_id: i64,
        reached: f64,
        total: f64,
    ) -> Result<()> {
        let demo = self.visible_demo(actor, demo_id).await?;
        if actor.role != Role::Student {
            return Ok(());
        }
        let total = if total.is_finite() {
            total.max(0.0)
        } else {
            0.0
        };
        let reached = if reached.is_finite() {
            reached.clamp(0.0, total)
        } else {
            0.0
        };
        let detail = format!(
            "{} — {} / {}",
            demo.title,
            crate::present::clock(reached),
            crate::present::clock(total)
        );
        self.record_activity(NewActivity {
            user_id: actor.user_id,
            kind: "demo_replayed",
            course_id: Some(demo.course_id),
            lesson_id: demo.lesson_id,
            detail: &detail,
            ..Default::default()
        })
        .await?;
        Ok(())
    }
}

/// Parses a recording on a blocking thread (a large file takes a while).
async fn parse_off_runtime(bytes: Vec<u8>) -> Result<Cast> {
    tokio::task::spawn_blocking(move || asciicast::parse(&bytes))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(Error::from)
}
