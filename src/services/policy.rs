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
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            max_failures: 5,
            window: Duration::minutes(10),
            base_delay: Duration::seconds(30),
            max_delay: Duration::minutes(10),
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
