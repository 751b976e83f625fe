//! The activity log (proof of attendance): logins, lessons, quizzes and downloads, with
//! one way in, [`Portail::record_activity`], so every entry follows the same rules:
//!
//! - **Bounded**: the newest [`ActivityPolicy::retention`] rows are kept (default: 1,000,000
//!   rows, none older than 400 days), pruned in the transaction of each insert.
//! - **A download counts once**: a file downloaded by a student is one entry per
//!   [`ActivityPolicy::download_window`] (default 10 minutes), whatever link was used and
//!   however many requests the browser makes. HEAD requests, range requests that do not
//!   start at the first byte (resumes, video seeks) and conditional revalidations never
//!   count (see [`DownloadRequest::starts_a_download`]).
//! - **Who asked**: a download records the client's address and its user agent (controls
//!   and bidi characters removed, at most [`USER_AGENT_MAX_CHARS`] characters).

use std::net::IpAddr;

pub use super::policy::ActivityPolicy;
use super::retention::{self, Log};
use super::{Portail, now};
use crate::{Result, sanitize};

/// Characters of a user agent that are kept.
pub const USER_AGENT_MAX_CHARS: usize = 200;

/// What the web door saw of a request for a signed download link: facts only, the rule
/// is [`DownloadRequest::starts_a_download`].
#[derive(Debug, Clone, Default)]
pub struct DownloadRequest {
    /// A HEAD request (headers only).
    pub head: bool,
    /// The `Range` header, as sent.
    pub range: Option<String>,
    /// A conditional request (`If-None-Match`, `If-Modified-Since`): the client has a copy.
    pub conditional: bool,
    /// The client's address.
    pub source: Option<IpAddr>,
    /// The `User-Agent` header, as sent.
    pub user_agent: Option<String>,
}

impl DownloadRequest {
    /// Whether this request can start a download (then logged once per window): a GET,
    /// not conditional, for the whole file or a range from its first byte.
    pub fn starts_a_download(&self) -> bool {
        if self.head || self.conditional {
            return false;
        }
        match &self.range {
            None => true,
            Some(r) => r
                .trim()
                .strip_prefix("bytes=")
                .and_then(|spec| spec.split(',').next())
                .and_then(|first| first.split_once('-'))
                .is_some_and(|(start, _)| {
                    let start = start.trim();
                    !start.is_empty() && start.bytes().all(|b| b == b'0')
                }),
        }
    }
}

/// A user agent as kept: one line, no controls or bidi characters, bounded.
pub fn clean_user_agent(ua: &str) -> Option<String> {
    let ua: String = sanitize::line(ua)
        .trim()
        .chars()
        .take(USER_AGENT_MAX_CHARS)
        .collect();
    (!ua.is_empty()).then_some(ua)
}

/// One entry to record.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewActivity<'a> {
    pub user_id: i64,
    pub kind: &'a str,
    pub course_id: Option<i64>,
    pub lesson_id: Option<i64>,
    pub detail: &'a str,
    pub source: Option<IpAddr>,
    pub user_agent: Option<&'a str>,
    /// A download: the file (counted once per window, see the module notes).
    pub file_id: Option<i64>,
}

impl Portail {
    /// Records an activity entry and keeps the log within its bounds. `false` when a
    /// download was already logged within the window (nothing written).
    pub(crate) async fn record_activity(&self, a: NewActivity<'_>) -> Result<bool> {
        let policy = self.options().activity;
        let ts = now();
        // Only downloads are deduplicated: one statement, so two parallel requests cannot
        // both pass the check.
        let window_start = a.file_id.map(|_| ts - policy.download_window);
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "INSERT INTO activity_log (user_id, kind, course_id, lesson_id, detail, source_ip, \
               user_agent, file_id, created_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 \
             WHERE ?10 IS NULL OR NOT EXISTS (SELECT 1 FROM activity_log \
               WHERE file_id = ?8 AND user_id = ?1 AND kind = ?2 AND created_at > ?10)",
        )
        .bind(a.user_id)
        .bind(a.kind)
        .bind(a.course_id)
        .bind(a.lesson_id)
        .bind(a.detail)
        .bind(a.source.map(|ip| ip.to_canonical().to_string()))
        .bind(a.user_agent.and_then(clean_user_agent))
        .bind(a.file_id)
        .bind(ts)
        .bind(window_start)
        .execute(&mut *tx)
        .await?;
        let written = done.rows_affected() == 1;
        if written {
            retention::prune(&mut tx, Log::Activity, policy.retention, ts).await?;
        }
        tx.commit().await?;
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(range: Option<&str>) -> DownloadRequest {
        DownloadRequest {
            range: range.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn only_a_get_from_the_first_byte_starts_a_download() {
        assert!(req(None).starts_a_download());
        assert!(req(Some("bytes=0-")).starts_a_download());
        assert!(req(Some("bytes=0-0")).starts_a_download());
        assert!(req(Some(" bytes=00-99,200-300")).starts_a_download());
        for r in [
            "bytes=1-",
            "bytes=500-999",
            "bytes=-500",
            "bytes=",
            "items=0-1",
            "x",
        ] {
            assert!(!req(Some(r)).starts_a_download(), "{r}");
        }
        let head = DownloadRequest {
            head: true,
            ..req(None)
        };
        assert!(!head.starts_a_download());
        let conditional = DownloadRequest {
            conditional: true,
            ..req(None)
        };
        assert!(!conditional.starts_a_download());
    }

    #[test]
    fn user_agents_are_cleaned_and_bounded() {
        assert_eq!(
            clean_user_agent("curl/8.5\x1b]0;pwned\x07\u{202E}").as_deref(),
            Some("curl/8.5]0;pwned")
        );
        assert_eq!(
            clean_user_agent(&"a".repeat(5000)).unwrap().chars().count(),
            USER_AGENT_MAX_CHARS
        );
        assert_eq!(clean_user_agent(" \x07 "), None);
    }
}
