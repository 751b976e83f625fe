//! Services: the use cases, shared by the TUI, the exec commands and HTTPS, so each rule
//! (validation, authorization) lives once.

pub mod accounts;
pub mod activity;
pub mod bulk;
pub mod classes;
pub mod courses;
pub mod demo;
pub mod enrolment;
pub mod files;
pub mod guard;
pub mod learning;
pub mod live_demos;
pub mod logos;
pub mod messaging;
pub mod orgs;
pub mod policy;
pub mod previews;
pub mod profile;
pub mod quizzes;
pub mod recordings;
pub mod retention;
pub mod security;
pub mod students;
pub mod tech_demos;

#[cfg(test)]
mod access_tests;
#[cfg(test)]
mod admin_tests;
#[cfg(test)]
mod bulk_tests;
#[cfg(test)]
mod demo_tests;
#[cfg(test)]
mod edit_tests;
#[cfg(test)]
mod quiz_tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Duration;

use crate::Result;
use crate::auth::PasswordHasher;
use crate::events::EventBus;
use crate::store::Store;

/// Settings of the core that the binary may override.
#[derive(Debug, Clone)]
pub struct CoreOptions {
    /// How long a student activation code stays valid.
    pub activation_ttl: Duration,
    /// How long a signed download link stays valid.
    pub link_ttl: Duration,
    /// Base of the links shown to users (`https://host:port`).
    pub public_url: String,
    /// Time zone of the times shown to people (messages, activity).
    pub time_zone: chrono_tz::Tz,
    /// Concurrent argon2 computations (each takes 19 MiB).
    pub max_concurrent_hashes: usize,
    /// Largest import file accepted, in bytes.
    pub import_max_bytes: u64,
    /// Brute-force limits of the login (see [`security`]).
    pub login_limits: policy::LoginLimits,
    /// Retention of the activity log and the download window (see [`activity`]).
    pub activity: policy::ActivityPolicy,
    /// Largest uploaded image decoded, in pixels (width × height), checked before decoding.
    pub image_max_pixels: u64,
}

impl Default for CoreOptions {
    fn default() -> Self {
        Self {
            activation_ttl: Duration::days(14),
            link_ttl: Duration::hours(24),
            public_url: "https://localhost:8443".into(),
            time_zone: chrono_tz::Europe::Paris,
            max_concurrent_hashes: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .clamp(1, 4),
            import_max_bytes: crate::import::MAX_INPUT as u64,
            login_limits: policy::LoginLimits::default(),
            activity: policy::ActivityPolicy::default(),
            image_max_pixels: crate::images::DEFAULT_MAX_PIXELS,
        }
    }
}

/// The application core: cheap to clone, shared by every session and request.
#[derive(Clone)]
pub struct Portail {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    files: crate::files::FileStore,
    signer: crate::files::LinkSigner,
    hasher: PasswordHasher,
    bus: EventBus,
    live: crate::live::LiveHub,
    options: CoreOptions,
    data_dir: PathBuf,
}

impl Portail {
    /// Opens the store in `data_dir` (migrations applied) and prepares the services.
    pub async fn open(data_dir: &Path, options: CoreOptions) -> Result<Portail> {
        let store = Store::open(data_dir).await?;
        let max = options.max_concurrent_hashes;
        let hasher = tokio::task::spawn_blocking(move || PasswordHasher::new(max))
            .await
            .map_err(|e| crate::Error::Internal(e.to_string()))??;
        let files = crate::files::FileStore::open(data_dir)?;
        let signer = crate::files::LinkSigner::load_or_create(data_dir)?;
        // No demo is live yet: a recording in progress left by a crash is of no use.
        crate::live_record::clean_leftovers(data_dir);
        Ok(Portail {
            inner: Arc::new(Inner {
                store,
                files,
                signer,
                hasher,
                bus: EventBus::default(),
                live: crate::live::LiveHub::default(),
                options,
                data_dir: data_dir.to_path_buf(),
            }),
        })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }
    pub fn hasher(&self) -> &PasswordHasher {
        &self.inner.hasher
    }
    pub fn files(&self) -> &crate::files::FileStore {
        &self.inner.files
    }
    pub fn signer(&self) -> &crate::files::LinkSigner {
        &self.inner.signer
    }
    pub fn bus(&self) -> &EventBus {
        &self.inner.bus
    }
    /// The demos on the air (see [`crate::live`]).
    pub fn live(&self) -> &crate::live::LiveHub {
        &self.inner.live
    }
    pub fn options(&self) -> &CoreOptions {
        &self.inner.options
    }
    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }
    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(self.pool()).await?;
        Ok(())
    }

    pub(crate) fn pool(&self) -> &sqlx::SqlitePool {
        self.inner.store.pool()
    }
}

impl Portail {
    /// A time as people read it here: `2026-11-24 14:05` in the configured time zone
    /// (see [`crate::present`]).
    pub fn local_time(&self, t: chrono::DateTime<chrono::Utc>) -> String {
        crate::present::minute(self.options().time_zone, t)
    }

    /// Today, the local day in the configured time zone (what assignment dates mean).
    pub fn today(&self) -> chrono::NaiveDate {
        crate::present::local_date(self.options().time_zone, now())
    }
}

/// Current time as stored (RFC 3339, UTC).
/// Tables whose rows are kept in an explicit order by a `position` column.
#[derive(Clone, Copy)]
pub(crate) enum Ordered {
    Lessons,
    QuizQuestions,
}

/// Writes positions 1..=n in the order of `ids` (after a move), inside the caller's
/// transaction.
pub(crate) async fn renumber(
    tx: &mut sqlx::SqliteConnection,
    table: Ordered,
    ids: &[i64],
) -> Result<()> {
    let sql = match table {
        Ordered::Lessons => "UPDATE lessons SET position = ?1 WHERE id = ?2",
        Ordered::QuizQuestions => "UPDATE quiz_questions SET position = ?1 WHERE id = ?2",
    };
    for (i, id) in ids.iter().enumerate() {
        sqlx::query(sql)
            .bind(i as i64 + 1)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}
