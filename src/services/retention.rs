//! Bounded logs: each append-only log keeps at most its newest `max_rows` rows, none older
//! than `max_days`. Pruned in the same transaction as each insert, so a log can never
//! outgrow its bound, whatever writes to it.

use chrono::{DateTime, Duration, Utc};

use crate::Result;

/// How much of a log is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Newest rows kept at most (the oldest go first).
    pub max_rows: i64,
    /// Days a row is kept at most.
    pub max_days: i64,
}

/// The logs that are pruned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Log {
    /// Failed and refused logins (see [`super::security`]).
    LoginFailures,
    /// Logins, lessons, quizzes and downloads (see [`super::activity`]).
    Activity,
}

impl Log {
    fn table(self) -> &'static str {
        match self {
            Log::LoginFailures => "login_failures",
            Log::Activity => "activity_log",
        }
    }
}

/// Deletes what `keep` no longer allows (call in the inserting transaction).
pub(crate) async fn prune(
    conn: &mut sqlx::SqliteConnection,
    log: Log,
    keep: Retention,
    now: DateTime<Utc>,
) -> Result<()> {
    let table = log.table();
    // Row ids only grow (INTEGER PRIMARY KEY, rows appended): the newest `max_rows` rows
    // are the ids above max(id) − max_rows.
    let by_count = format!("DELETE FROM {table} WHERE id <= (SELECT max(id) FROM {table}) - ?1");
    sqlx::query(sqlx::AssertSqlSafe(by_count))
        .bind(keep.max_rows.max(1))
        .execute(&mut *conn)
        .await?;
    let by_age = format!("DELETE FROM {table} WHERE created_at < ?1");
    sqlx::query(sqlx::AssertSqlSafe(by_age))
        .bind(now - Duration::days(keep.max_days.max(1)))
        .execute(&mut *conn)
        .await?;
    Ok(())
}
