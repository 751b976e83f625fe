//! The configurable policies of the login and the activity log (their defaults are the
//! policy), below the services that apply them so that [`super::CoreOptions`] can hold
//! them without importing those services.

use chrono::Duration;

use super::retention::Retention;

/// The brute-force limits (configurable for tests; the defaults are the policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failures allowed per source, and per login before slowing down, in `window`.
    pub max_failures: usize,
    pub window: Duration,
    /// First refusal delay; doubles with each further attempt.
    pub base_delay: Duration,
    /// Longest refusal delay.
    pub max_delay: Duration,
    /// A source from which at least this many distinct accounts logged in (within
    /// `shared_source_window`) is *shared*: a classroom or an office behind one address.
    pub shared_source_accounts: usize,
    pub shared_source_window: Duration,
    /// Failures allowed in `window` from a shared source before the whole source is
    /// refused (instead of `max_failures`). The per-account rule is the same everywhere.
    pub shared_source_max_failures: usize,
}

impl LoginLimits {
    /// Failures a source may make in `window` before it is refused: more for a shared
    /// source (never fewer than for any other source).
    pub fn source_max_failures(&self, shared: bool) -> usize {
        if shared {
            self.shared_source_max_failures.max(self.max_failures)
        } else {
            self.max_failures
        }
    }

    /// How long attempts stay relevant: a refusal never outlasts the newest attempt by more.
    pub fn memory(&self) -> Duration {
        self.window.max(self.max_delay)
    }
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            max_failures: 5,
            window: Duration::minutes(10),
            base_delay: Duration::seconds(30),
            max_delay: Duration::minutes(10),
            shared_source_accounts: 3,
            shared_source_window: Duration::days(30),
            shared_source_max_failures: 30,
        }
    }
}

/// The rules of the activity log (configurable; the defaults are the policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityPolicy {
    pub retention: Retention,
    /// A download of the same file by the same user within this time is not logged again.
    pub download_window: Duration,
}

impl Default for ActivityPolicy {
    fn default() -> Self {
        Self {
            retention: Retention {
                max_rows: 1_000_000,
                max_days: 400,
            },
            download_window: Duration::minutes(10),
        }
    }
}
