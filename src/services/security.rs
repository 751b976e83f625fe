//! Brute-force protection of the login, and the security log trainers read.
//!
//! The rules (also in the README's security section):
//!
//! - **Per source** (an IPv4 address, or an IPv6 /64 network, so one host cannot rotate
//!   through its own addresses): at most `max_failures` (5) failed logins in any
//!   `window` (10 minutes). At the 5th failure the source is refused until the oldest of
//!   those 5 failures leaves the window. An attempt made while refused is refused
//!   *unchecked* (its password is never verified, so a refusal says nothing about it),
//!   recorded, and pushes the end of the refusal further: the k-th refused attempt within
//!   the window blocks until `base_delay × 2^(k−1)` after it (30 s, 1 min, 2 min …),
//!   capped at `max_delay` (10 minutes).
//! - **Per account** (the login tried, whether or not such an account exists, so the rule
//!   says nothing about which accounts exist): once a login has `max_failures` failures
//!   in the window from all sources together, a source that itself failed (or was refused)
//!   on that login within the window is refused until `base_delay × 2^(k−1)` after its
//!   last attempt on it (k = its attempts on that login in the window), capped at
//!   `max_delay`. A source with no failure on that login is checked normally: an attacker
//!   slows down only themselves, and the real user, from their own address, still logs in
//!   with the right password.
//! - **Shared sources** (a classroom or an office behind one address): a source from which
//!   at least `shared_source_accounts` (3) distinct accounts logged in within
//!   `shared_source_window` (30 days) may make `shared_source_max_failures` (30) failures in
//!   the window before the whole source is refused. The per-account rule is unchanged, so
//!   one student's typos lock only that student's login from there.
//! - **Unblocking**: a trainer may lift every refusal of a source at once; it is recorded in
//!   the security log (`unblocked`), and the source's earlier attempts no longer count.
//!   All the numbers are in [`LoginLimits`] (`policy.rs`).
//!
//! Refusals depend only on the source and the login tried (both chosen by the client),
//! never on the account or the password, so they are no oracle; every checked attempt
//! still costs exactly one argon2 verification.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::guard::require_trainer;
pub use super::policy::LoginLimits;
use super::{Portail, now};
use crate::domain::Actor;
use crate::i18n::Key;
use crate::{Result, sanitize};

/// Rows of the security log kept at most (the oldest go first).
pub const LOG_MAX_ROWS: i64 = 10_000;
/// Days a security log row is kept at most.
pub const LOG_MAX_DAYS: i64 = 90;
const LOG_RETENTION: super::retention::Retention = super::retention::Retention {
    max_rows: LOG_MAX_ROWS,
    max_days: LOG_MAX_DAYS,
};
/// Characters of the login tried that are kept.
pub const LOGIN_MAX_CHARS: usize = 64;
/// Rows listed by default, and at most.
pub const LIST_DEFAULT: i64 = 100;
pub const LIST_MAX: i64 = 1_000;
/// Recent rows read per key to decide (far more than the rules ever need).
const RECENT_ROWS: i64 = 200;

/// Whether a login attempt was checked and failed, or refused unchecked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Checked: wrong login or password.
    Failed,
    /// Refused unchecked: the source had too many failures.
    Refused,
    /// Refused unchecked: this source is slowed down on this login.
    Slowed,
    /// Not an attempt: a trainer lifted this source's refusals (the login column holds
    /// the trainer's e-mail).
    Unblocked,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Failed => "failed",
            Outcome::Refused => "refused",
            Outcome::Slowed => "slowed",
            Outcome::Unblocked => "unblocked",
        }
    }
    fn parse(s: &str) -> Outcome {
        match s {
            "refused" => Outcome::Refused,
            "slowed" => Outcome::Slowed,
            "unblocked" => Outcome::Unblocked,
            _ => Outcome::Failed,
        }
    }
}

/// One row of the security log.
#[derive(Debug, Clone, Serialize)]
pub struct LoginFailure {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The client's address ("-" when unknown).
    pub source: String,
    /// The login tried (lower-cased, sanitized, truncated).
    pub login: String,
    pub outcome: Outcome,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    created_at: DateTime<Utc>,
    source: String,
    source_group: String,
    login: String,
    outcome: String,
}

/// What the limits count by: the IPv4 address, or the /64 network of an IPv6 address
/// (an IPv4-mapped IPv6 address counts as its IPv4 address). `-` when unknown.
pub fn source_group(ip: Option<IpAddr>) -> String {
    match ip {
        None => "-".into(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
    }
}

/// The login tried, as recorded and counted: trimmed, lower-cased, control and escape
/// characters removed, at most [`LOGIN_MAX_CHARS`] characters.
pub fn clean_login(login: &str) -> String {
    sanitize::line(login.trim())
        .to_lowercase()
        .chars()
        .take(LOGIN_MAX_CHARS)
        .collect()
}

/// `base × 2^(k−1)`, capped at `max`.
fn escalated(limits: &LoginLimits, k: usize) -> Duration {
    let factor = 1i32 << (k.saturating_sub(1).min(20) as u32);
    (limits.base_delay * factor).min(limits.max_delay)
}

/// A source's attempts (newest first, since its last unblocking) and the failures it may
/// make ([`LoginLimits::source_max_failures`]): until when it is refused, if it is now.
fn source_refused_until(
    attempts: &[(DateTime<Utc>, Outcome)],
    now: DateTime<Utc>,
    limits: &LoginLimits,
    max_failures: usize,
) -> Option<DateTime<Utc>> {
    let since = now - limits.window;
    let recent = attempts.iter().filter(|(at, _)| *at > since);
    let failures: Vec<DateTime<Utc>> = recent
        .clone()
        .filter(|(_, o)| *o == Outcome::Failed)
        .map(|(at, _)| *at)
        .collect();
    let refusals: Vec<DateTime<Utc>> = recent
        .filter(|(_, o)| *o == Outcome::Refused)
        .map(|(at, _)| *at)
        .collect();
    let mut until = None;
    if max_failures > 0 && failures.len() >= max_failures {
        until = Some(failures[max_failures - 1] + limits.window);
    }
    if let Some(last) = refusals.first() {
        let more = *last + escalated(limits, refusals.len());
        until = until.max(Some(more));
    }
    until.filter(|u| *u > now)
}

/// A login's attempts from all sources (newest first) and the group asking: until when
/// this source is refused on this login, if it is now.
fn account_refused_until(
    attempts: &[(DateTime<Utc>, Outcome, &str)],
    group: &str,
    now: DateTime<Utc>,
    limits: &LoginLimits,
) -> Option<DateTime<Utc>> {
    let since = now - limits.window;
    let recent: Vec<_> = attempts.iter().filter(|(at, _, _)| *at > since).collect();
    let failures = recent
        .iter()
        .filter(|(_, o, _)| *o == Outcome::Failed)
        .count();
    if limits.max_failures == 0 || failures < limits.max_failures {
        return None;
    }
    let mine: Vec<_> = recent.iter().filter(|(_, _, g)| *g == group).collect();
    let last = mine.first()?.0;
    Some(last + escalated(limits, mine.len())).filter(|u| *u > now)
}

/// A refusal in force: a whole source, or one login from one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// The source group (an IPv4 address, or an IPv6 network written `…/64`).
    pub source: String,
    /// `None`: every login from the source is refused; `Some`: only this login (as typed,
    /// cleaned) is refused from it.
    pub login: Option<String>,
    /// When the refusal ends (if nobody tries meanwhile).
    pub until: DateTime<Utc>,
    /// Failures counted against it in the window.
    pub failures: usize,
    /// Whether the source is shared (several accounts log in from it): the higher limit.
    pub shared: bool,
}

/// What a person connecting from a refused source is told before the password prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockNotice {
    /// The latest end of the refusals in force for this source.
    pub until: DateTime<Utc>,
    /// `true`: the whole source is refused; `false`: only some login(s) from it.
    pub whole_source: bool,
}

/// A source group's attempts since its last unblocking.
struct SourceHistory {
    /// Newest first.
    attempts: Vec<(DateTime<Utc>, Outcome)>,
    /// The id of its last `unblocked` row (0: never): its older rows do not count.
    unblocked: i64,
    shared: bool,
}

/// Distinct logins looked at per source when listing its refusals.
const LOGINS_PER_SOURCE: usize = 10;
/// Sources looked at when listing refusals.
const SOURCES_LISTED: i64 = 200;

impl Portail {
    async fn source_history(&self, group: &str, ts: DateTime<Utc>) -> Result<SourceHistory> {
        let limits = self.options().login_limits;
        let unblocked: i64 = sqlx::query_scalar(
            "SELECT coalesce(max(id), 0) FROM login_failures \
             WHERE source_group = ?1 AND outcome = 'unblocked'",
        )
        .bind(group)
        .fetch_one(self.pool())
        .await?;
        let rows: Vec<(DateTime<Utc>, String)> = sqlx::query_as(
            "SELECT created_at, outcome FROM login_failures WHERE source_group = ?1 AND id > ?2 \
             ORDER BY id DESC LIMIT ?3",
        )
        .bind(group)
        .bind(unblocked)
        .bind(RECENT_ROWS)
        .fetch_all(self.pool())
        .await?;
        let accounts: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM login_sources WHERE source_group = ?1 AND last_at > ?2",
        )
        .bind(group)
        .bind(ts - limits.shared_source_window)
        .fetch_one(self.pool())
        .await?;
        Ok(SourceHistory {
            attempts: rows
                .into_iter()
                .map(|(at, o)| (at, Outcome::parse(&o)))
                .collect(),
            unblocked,
            shared: limits.shared_source_accounts > 0
                && accounts >= limits.shared_source_accounts as i64,
        })
    }

    /// Until when `group` is refused on `login` by the per-account rule, if it is now.
    async fn account_refusal(
        &self,
        login: &str,
        group: &str,
        history: &SourceHistory,
        ts: DateTime<Utc>,
    ) -> Result<Option<(DateTime<Utc>, usize)>> {
        let limits = self.options().login_limits;
        let rows: Vec<(i64, DateTime<Utc>, String, String)> = sqlx::query_as(
            "SELECT id, created_at, outcome, source_group FROM login_failures \
             WHERE login = ?1 AND outcome <> 'unblocked' ORDER BY id DESC LIMIT ?2",
        )
        .bind(login)
        .bind(RECENT_ROWS)
        .fetch_all(self.pool())
        .await?;
        // This source's attempts before its unblocking no longer count against it.
        let attempts: Vec<_> = rows
            .iter()
            .filter(|(id, _, _, g)| g != group || *id > history.unblocked)
            .map(|(_, at, o, g)| (*at, Outcome::parse(o), g.as_str()))
            .collect();
        let failures = attempts
            .iter()
            .filter(|(at, o, g)| *g == group && *o == Outcome::Failed && *at > ts - limits.window)
            .count();
        Ok(account_refused_until(&attempts, group, ts, &limits).map(|u| (u, failures)))
    }

    /// Whether a login attempt of `login` (already cleaned) from `group` is refused
    /// unchecked now, and by which rule (`Refused`: the source; `Slowed`: the account).
    pub(crate) async fn login_refusal(&self, login: &str, group: &str) -> Result<Option<Outcome>> {
        let limits = self.options().login_limits;
        let ts = now();
        let history = self.source_history(group, ts).await?;
        let max = limits.source_max_failures(history.shared);
        // A refused source still lets in the accounts that logged in from it lately (the
        // trainer in the classroom a student's typos shut): the refusal of a source is
        // against spraying many accounts from it; theirs keep the per-account rule below.
        if source_refused_until(&history.attempts, ts, &limits, max).is_some()
            && !self.logged_in_from(login, group, ts).await?
        {
            return Ok(Some(Outcome::Refused));
        }
        if self
            .account_refusal(login, group, &history, ts)
            .await?
            .is_some()
        {
            return Ok(Some(Outcome::Slowed));
        }
        Ok(None)
    }

    /// The refusals in force for one source group: the whole source, then the logins
    /// it is refused on (at most [`LOGINS_PER_SOURCE`] looked at, the newest tried).
    async fn blocks_of(&self, group: &str, ts: DateTime<Utc>) -> Result<Vec<Block>> {
        let limits = self.options().login_limits;
        let history = self.source_history(group, ts).await?;
        let mut blocks = Vec::new();
        let max = limits.source_max_failures(history.shared);
        let failures = history
            .attempts
            .iter()
            .filter(|(at, o)| *o == Outcome::Failed && *at > ts - limits.window)
            .count();
        if let Some(until) = source_refused_until(&history.attempts, ts, &limits, max) {
            blocks.push(Block {
                source: group.to_string(),
                login: None,
                until,
                failures,
                shared: history.shared,
            });
        }
        let logins: Vec<String> = sqlx::query_scalar(
            "SELECT login FROM login_failures WHERE source_group = ?1 AND id > ?2 \
             AND outcome <> 'unblocked' AND created_at > ?3 \
             GROUP BY login ORDER BY max(id) DESC LIMIT ?4",
        )
        .bind(group)
        .bind(history.unblocked)
        .bind(ts - limits.memory())
        .bind(LOGINS_PER_SOURCE as i64)
        .fetch_all(self.pool())
        .await?;
        for login in logins {
            if let Some((until, failures)) =
                self.account_refusal(&login, group, &history, ts).await?
            {
                blocks.push(Block {
                    source: group.to_string(),
                    login: Some(sanitize::line(&login).into_owned()),
                    until,
                    failures,
                    shared: history.shared,
                });
            }
        }
        Ok(blocks)
    }

    /// What to tell someone connecting from `source` before they type a password, when
    /// refusals are in force there (the SSH banner). Says nothing about accounts: neither
    /// which logins are refused nor whether they exist.
    pub async fn block_notice(&self, source: Option<IpAddr>) -> Result<Option<BlockNotice>> {
        let group = source_group(source);
        let blocks = self.blocks_of(&group, now()).await?;
        let until = blocks.iter().map(|b| b.until).max();
        Ok(until.map(|until| BlockNotice {
            until,
            whole_source: blocks.iter().any(|b| b.login.is_none()),
        }))
    }

    /// Trainer: the refusals in force (sources refused, logins refused from a source),
    /// the longest first.
    pub async fn blocked_sources(&self, actor: &Actor) -> Result<Vec<Block>> {
        require_trainer(actor)?;
        let ts = now();
        let limits = self.options().login_limits;
        let groups: Vec<String> = sqlx::query_scalar(
            "SELECT source_group FROM login_failures WHERE created_at > ?1 \
             AND outcome <> 'unblocked' GROUP BY source_group ORDER BY max(id) DESC LIMIT ?2",
        )
        .bind(ts - limits.memory())
        .bind(SOURCES_LISTED)
        .fetch_all(self.pool())
        .await?;
        let mut all = Vec::new();
        for g in groups {
            all.extend(self.blocks_of(&g, ts).await?);
        }
        all.sort_by_key(|b| std::cmp::Reverse(b.until));
        for b in &mut all {
            b.source = sanitize::line(&b.source).into_owned();
        }
        Ok(all)
    }

    /// Trainer: lifts every refusal of the source `address` (an IP address, or an IPv6
    /// network as listed, `…/64`) at once, and records it in the security log. Refused,
    /// naming the field, when the address is invalid or nothing is refused there.
    pub async fn unblock_source(&self, actor: &Actor, address: &str) -> Result<Block> {
        require_trainer(actor)?;
        let typed = sanitize::line(address.trim()).into_owned();
        let bare = typed.strip_suffix("/64").unwrap_or(&typed);
        let ip: IpAddr = bare
            .parse()
            .map_err(|_| crate::validate::invalid(Key::OutSource, Key::SecProbAddress, &typed))?;
        let group = source_group(Some(ip));
        let ts = now();
        let blocks = self.blocks_of(&group, ts).await?;
        let Some(longest) = blocks.iter().max_by_key(|b| b.until).cloned() else {
            return Err(crate::validate::invalid(
                Key::OutSource,
                Key::SecProbNotBlocked,
                &group,
            ));
        };
        let me = self.whoami(actor).await?;
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO login_failures (created_at, source, source_group, login, outcome) \
             VALUES (?1, ?2, ?2, ?3, 'unblocked')",
        )
        .bind(ts)
        .bind(&group)
        .bind(clean_login(&me.email))
        .execute(&mut *tx)
        .await?;
        super::retention::prune(
            &mut tx,
            super::retention::Log::LoginFailures,
            LOG_RETENTION,
            ts,
        )
        .await?;
        tx.commit().await?;
        Ok(longest)
    }

    /// Remembers that `user_id` logged in from `source` (what makes a source shared), and
    /// forgets what is older than the policy's window.
    /// Whether the account `login` (cleaned: e-mail or short login) logged in from
    /// `group` within [`LoginLimits::shared_source_window`].
    async fn logged_in_from(&self, login: &str, group: &str, ts: DateTime<Utc>) -> Result<bool> {
        let window = self.options().login_limits.shared_source_window;
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM login_sources s JOIN users u ON u.id = s.user_id \
             WHERE s.source_group = ?1 AND (u.email = ?2 OR u.login = ?2) AND s.last_at > ?3 \
             AND u.disabled = 0 LIMIT 1",
        )
        .bind(group)
        .bind(login)
        .bind(ts - window)
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    pub(crate) async fn record_login_source(
        &self,
        source: Option<IpAddr>,
        user_id: i64,
    ) -> Result<()> {
        if source.is_none() {
            return Ok(());
        }
        let ts = now();
        let window = self.options().login_limits.shared_source_window;
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO login_sources (source_group, user_id, last_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (source_group, user_id) DO UPDATE SET last_at = excluded.last_at",
        )
        .bind(source_group(source))
        .bind(user_id)
        .bind(ts)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM login_sources WHERE last_at < ?1")
            .bind(ts - window)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed or refused login, then keeps the log within its bounds.
    pub(crate) async fn record_login_failure(
        &self,
        source: Option<IpAddr>,
        login: &str,
        outcome: Outcome,
    ) -> Result<()> {
        let ts = now();
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO login_failures (created_at, source, source_group, login, outcome) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(ts)
        .bind(source.map_or_else(|| "-".to_string(), |ip| ip.to_string()))
        .bind(source_group(source))
        .bind(login)
        .bind(outcome.code())
        .execute(&mut *tx)
        .await?;
        super::retention::prune(
            &mut tx,
            super::retention::Log::LoginFailures,
            LOG_RETENTION,
            ts,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The source groups (see [`source_group`]) someone logged in from since `since`, each
    /// with its last login: the SSH door trusts them a little more (see `portail-ssh`).
    pub async fn login_sources_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>> {
        let rows: Vec<(String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT source_ip, max(created_at) FROM activity_log \
             WHERE kind = 'login' AND created_at > ?1 AND source_ip IS NOT NULL \
             GROUP BY source_ip",
        )
        .bind(since)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(ip, at)| Some((source_group(Some(ip.parse().ok()?)), at)))
            .collect())
    }

    /// Trainer: the security log, newest first (`limit` rows, 1 to [`LIST_MAX`]).
    pub async fn security_log(&self, actor: &Actor, limit: i64) -> Result<Vec<LoginFailure>> {
        require_trainer(actor)?;
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, created_at, source, source_group, login, outcome FROM login_failures \
             ORDER BY id DESC LIMIT ?1",
        )
        .bind(limit.clamp(1, LIST_MAX))
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let _ = &r.source_group;
                LoginFailure {
                    id: r.id,
                    at: r.created_at,
                    source: sanitize::line(&r.source).into_owned(),
                    login: sanitize::line(&r.login).into_owned(),
                    outcome: Outcome::parse(&r.outcome),
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        "2026-11-30T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn ipv6_counts_by_its_64_network_and_mapped_v4_as_v4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(source_group(Some(a)), "2001:db8:1:2::/64");
        assert_eq!(source_group(Some(a)), source_group(Some(b)));
        assert_ne!(source_group(Some(a)), source_group(Some(c)));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(source_group(Some(mapped)), "192.0.2.7");
        assert_eq!(
            source_group(Some("192.0.2.7".parse().unwrap())),
            "192.0.2.7"
        );
        assert_eq!(source_group(None), "-");
    }

    #[test]
    fn login_is_sanitized_lowercased_and_truncated() {
        assert_eq!(clean_login("  Marie\x1b[2J@X.fr\u{202E} "), "marie[2j@x.fr");
        assert_eq!(
            clean_login(&"a".repeat(500)).chars().count(),
            LOGIN_MAX_CHARS
        );
    }

    #[test]
    fn source_is_refused_at_the_fifth_failure_until_the_window_frees() {
        let l = LoginLimits::default();
        let m = Duration::minutes;
        // Four failures: still allowed.
        let mut a: Vec<_> = (0..4).map(|i| (t0() + m(i), Outcome::Failed)).collect();
        a.reverse();
        assert_eq!(source_refused_until(&a, t0() + m(4), &l, 5), None);
        // The fifth: refused until the first of the five is 10 minutes old.
        a.insert(0, (t0() + m(4), Outcome::Failed));
        assert_eq!(
            source_refused_until(&a, t0() + m(5), &l, 5),
            Some(t0() + m(10))
        );
        assert_eq!(source_refused_until(&a, t0() + m(10), &l, 5), None);
    }

    #[test]
    fn refusals_escalate_and_are_capped() {
        let l = LoginLimits::default();
        let s = Duration::seconds;
        let delays: Vec<i64> = (1..=8).map(|k| escalated(&l, k).num_seconds()).collect();
        assert_eq!(delays, vec![30, 60, 120, 240, 480, 600, 600, 600]);
        // Five failures long ago (out of the window), then refused attempts: the k-th
        // refusal blocks until 30 s × 2^(k−1) after it, never more than 10 minutes.
        let late = t0() + Duration::minutes(11);
        for k in 1..=8i64 {
            let mut a: Vec<_> = (0..k)
                .map(|i| (late + s(i), Outcome::Refused))
                .rev()
                .collect();
            a.extend((0..5).map(|_| (t0(), Outcome::Failed)));
            let last = late + s(k - 1);
            let until = source_refused_until(&a, last, &l, 5).unwrap();
            assert_eq!(
                (until - last).num_seconds(),
                delays[k as usize - 1],
                "k = {k}"
            );
        }
        // Once the delay has passed, the source may try again.
        let a = vec![(late, Outcome::Refused)];
        assert_eq!(source_refused_until(&a, late + s(30), &l, 5), None);
    }

    #[test]
    fn account_slowdown_only_hits_sources_that_failed_on_it() {
        let l = LoginLimits::default();
        let s = Duration::seconds;
        // Five failures on the login, from five different sources.
        let attempts: Vec<(DateTime<Utc>, Outcome, &str)> = ["a", "b", "c", "d", "e"]
            .iter()
            .enumerate()
            .map(|(i, g)| (t0() + s(i as i64), Outcome::Failed, *g))
            .rev()
            .collect();
        let now = t0() + s(5);
        // A source that failed once waits 30 s after its failure.
        assert_eq!(
            account_refused_until(&attempts, "e", now, &l),
            Some(t0() + s(4) + s(30))
        );
        // A source with no failure on this login is not slowed down.
        assert_eq!(account_refused_until(&attempts, "home", now, &l), None);
        // Four failures only: nobody is slowed down.
        assert_eq!(account_refused_until(&attempts[1..], "e", now, &l), None);
    }
    async fn portail() -> (tempfile::TempDir, Portail) {
        let dir = tempfile::tempdir().unwrap();
        let p = Portail::open(dir.path(), crate::services::CoreOptions::default())
            .await
            .unwrap();
        (dir, p)
    }

    const PW: &str = "une phrase secrète";

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[tokio::test]
    async fn security_source_is_refused_after_five_failures_even_with_the_right_password() {
        let (_d, p) = portail().await;
        p.add_trainer("prof@example.fr", PW).await.unwrap();
        for _ in 0..5 {
            let e = p
                .login("prof@example.fr", "mauvais essai", ip("203.0.113.9"))
                .await;
            assert!(matches!(e, Err(crate::Error::InvalidCredentials)));
        }
        // Sixth attempt from the same source: refused unchecked, right password or not.
        let before = p.hasher().verifications();
        let e = p.login("prof@example.fr", PW, ip("203.0.113.9")).await;
        assert!(matches!(e, Err(crate::Error::TooManyAttempts)));
        assert_eq!(
            p.hasher().verifications(),
            before,
            "a refusal checks nothing"
        );
        // Another login from that source: refused too (the source is out).
        let e = p.login("autre@example.fr", "x", ip("203.0.113.9")).await;
        assert!(matches!(e, Err(crate::Error::TooManyAttempts)));
        // Another address of the same IPv6 /64 shares the count; another /64 does not.
        for _ in 0..5 {
            let _ = p.login("x@example.fr", "bad", ip("2001:db8:5:6::1")).await;
        }
        let e = p
            .login("prof@example.fr", PW, ip("2001:db8:5:6::beef"))
            .await;
        assert!(matches!(e, Err(crate::Error::TooManyAttempts)));
        // The real user elsewhere: the account is under pressure (≥ 5 failures) but this
        // source never failed on it, so the right password works.
        p.login("prof@example.fr", PW, ip("198.51.100.7"))
            .await
            .unwrap();
        p.login("prof@example.fr", PW, ip("2001:db8:5:7::1"))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn security_account_slowdown_does_not_lock_out_the_real_user() {
        let (_d, p) = portail().await;
        p.add_trainer("prof@example.fr", PW).await.unwrap();
        // A distributed attack: one failure from each of five sources.
        for i in 1..=5 {
            let src = format!("203.0.113.{i}");
            let e = p.login("PROF@example.fr", "devinette", ip(&src)).await;
            assert!(matches!(e, Err(crate::Error::InvalidCredentials)));
        }
        // Those sources are now slowed down on this account (right password or not) …
        let e = p.login("prof@example.fr", PW, ip("203.0.113.3")).await;
        assert!(matches!(e, Err(crate::Error::TooManyAttempts)));
        // … but not on another account, where they have no failure.
        p.add_trainer("autre@example.fr", PW).await.unwrap();
        p.login("autre@example.fr", PW, ip("203.0.113.3"))
            .await
            .unwrap();
        // And the real user, from a source with no failure, logs in.
        p.login("prof@example.fr", PW, ip("192.0.2.50"))
            .await
            .unwrap();
        // An unknown login is treated exactly the same way (no oracle).
        for i in 1..=5 {
            let src = format!("198.51.100.{i}");
            let _ = p.login("personne@example.fr", "devinette", ip(&src)).await;
        }
        let e = p
            .login("personne@example.fr", "x", ip("198.51.100.2"))
            .await;
        assert!(matches!(e, Err(crate::Error::TooManyAttempts)));
    }

    #[tokio::test]
    async fn security_log_is_for_trainers_sanitized_and_bounded() {
        use crate::domain::{Actor, Role};
        let (_d, p) = portail().await;
        let t = p.add_trainer("prof@example.fr", PW).await.unwrap();
        let trainer = Actor {
            user_id: t.id,
            role: Role::Trainer,
            must_change_password: false,
        };
        let evil = format!("\x1b]52;c;SGVsbG8=\x07Ev\x1b[2Jil{}", "z".repeat(300));
        let _ = p.login(&evil, "x", ip("192.0.2.1")).await;
        let log = p.security_log(&trainer, 10).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].source, "192.0.2.1");
        assert_eq!(log[0].outcome, Outcome::Failed);
        assert!(log[0].login.starts_with("]52;c;sgvsbg8=ev[2jilzz"));
        assert!(!log[0].login.chars().any(char::is_control));
        assert_eq!(log[0].login.chars().count(), LOGIN_MAX_CHARS);
        // Students may not read it.
        let student = Actor {
            user_id: t.id,
            role: Role::Student,
            must_change_password: false,
        };
        assert!(matches!(
            p.security_log(&student, 10).await,
            Err(crate::Error::Forbidden)
        ));
        // Retention: the newest 10,000 rows, none older than 90 days.
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050) \
             INSERT INTO login_failures (created_at, source, source_group, login, outcome) \
             SELECT ?1, '192.0.2.2', '192.0.2.2', 'bulk', 'failed' FROM n",
        )
        .bind(now() - Duration::days(1))
        .execute(p.pool())
        .await
        .unwrap();
        let _ = p
            .login("avant-dernier@example.fr", "x", ip("192.0.2.4"))
            .await;
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM login_failures")
                .fetch_one(p.pool())
                .await
                .unwrap()
        };
        assert_eq!(count().await, LOG_MAX_ROWS);
        // A row older than 90 days goes at the next record.
        sqlx::query(
            "INSERT INTO login_failures (created_at, source, source_group, login, outcome) \
             VALUES (?1, '192.0.2.3', '192.0.2.3', 'ancient', 'failed')",
        )
        .bind(now() - Duration::days(91))
        .execute(p.pool())
        .await
        .unwrap();
        let _ = p.login("dernier@example.fr", "x", ip("192.0.2.4")).await;
        let ancient: i64 =
            sqlx::query_scalar("SELECT count(*) FROM login_failures WHERE login = 'ancient'")
                .fetch_one(p.pool())
                .await
                .unwrap();
        assert_eq!(ancient, 0);
        assert_eq!(count().await, LOG_MAX_ROWS - 1);
        let newest = p.security_log(&trainer, 5000).await.unwrap();
        assert_eq!(newest.len(), LIST_MAX as usize);
        assert_eq!(newest[0].login, "dernier@example.fr");
    }

    fn trainer_actor(id: i64) -> Actor {
        Actor {
            user_id: id,
            role: crate::domain::Role::Trainer,
            must_change_password: false,
        }
    }

    #[test]
    fn a_shared_source_gets_more_failures_never_fewer() {
        let l = LoginLimits::default();
        assert_eq!(l.source_max_failures(false), 5);
        assert_eq!(l.source_max_failures(true), 30);
        let strict = LoginLimits {
            max_failures: 1000,
            ..l
        };
        assert_eq!(strict.source_max_failures(true), 1000);
        // Twenty-nine failures in the window: a shared source is still in, another is out.
        let m = Duration::minutes;
        let a: Vec<_> = (0..29)
            .map(|i| (t0() + Duration::seconds(i), Outcome::Failed))
            .rev()
            .collect();
        let now = t0() + m(1);
        assert_eq!(
            source_refused_until(&a, now, &l, l.source_max_failures(true)),
            None
        );
        assert!(source_refused_until(&a, now, &l, l.source_max_failures(false)).is_some());
    }

    #[tokio::test]
    async fn security_classroom_typos_lock_one_account_not_the_others() {
        let (_d, p) = portail().await;
        let room = ip("192.0.2.10");
        for who in ["a@example.fr", "b@example.fr", "c@example.fr"] {
            p.add_trainer(who, PW).await.unwrap();
        }
        // Two accounts logged in from here: not shared yet, five failures lock it all.
        p.login("a@example.fr", PW, room).await.unwrap();
        p.login("b@example.fr", PW, room).await.unwrap();
        for _ in 0..5 {
            let _ = p.login("x@example.fr", "faute", ip("192.0.2.11")).await;
        }
        assert!(matches!(
            p.login("a@example.fr", PW, ip("192.0.2.11")).await,
            Err(crate::Error::TooManyAttempts)
        ));
        // A third account logs in from the room: it is shared now.
        p.login("c@example.fr", PW, room).await.unwrap();
        // One student's typos: that account is locked from the room …
        for _ in 0..5 {
            let e = p.login("c@example.fr", "faute de frappe", room).await;
            assert!(matches!(e, Err(crate::Error::InvalidCredentials)));
        }
        assert!(matches!(
            p.login("c@example.fr", PW, room).await,
            Err(crate::Error::TooManyAttempts)
        ));
        // … the others are not.
        p.login("a@example.fr", PW, room).await.unwrap();
        p.login("b@example.fr", PW, room).await.unwrap();
        // The banner tells the room about an account, not about the whole address.
        let notice = p.block_notice(room).await.unwrap().expect("a notice");
        assert!(!notice.whole_source);
        // Twenty-nine failures from the room (on various logins): still in; thirty: the
        // whole room is refused.
        for i in 0..24 {
            let _ = p.login(&format!("n{i}@example.fr"), "x", room).await;
        }
        p.login("a@example.fr", PW, room).await.unwrap();
        let _ = p.login("n24@example.fr", "x", room).await;
        p.add_trainer("d@example.fr", PW).await.unwrap();
        assert!(matches!(
            p.login("d@example.fr", PW, room).await,
            Err(crate::Error::TooManyAttempts)
        ));
        assert!(p.block_notice(room).await.unwrap().unwrap().whole_source);
        // An account that logged in from the room lately still gets in from it.
        p.login("a@example.fr", PW, room).await.unwrap();
    }

    #[tokio::test]
    async fn security_trainer_unblocks_a_source_and_it_is_logged() {
        let (_d, p) = portail().await;
        let t = p.add_trainer("prof@example.fr", PW).await.unwrap();
        let trainer = trainer_actor(t.id);
        let src = ip("203.0.113.20");
        assert_eq!(p.block_notice(src).await.unwrap(), None);
        assert!(p.blocked_sources(&trainer).await.unwrap().is_empty());
        for _ in 0..5 {
            let _ = p.login("prof@example.fr", "mauvais", src).await;
        }
        assert!(matches!(
            p.login("prof@example.fr", PW, src).await,
            Err(crate::Error::TooManyAttempts)
        ));
        // The banner: the whole source, for about ten minutes.
        let notice = p.block_notice(src).await.unwrap().expect("a notice");
        assert!(notice.whole_source);
        let left = crate::present::minutes_left(now(), notice.until);
        assert!((9..=10).contains(&left), "{left}");
        // The trainer sees it: the whole source, and the login it failed on.
        let blocked = p.blocked_sources(&trainer).await.unwrap();
        assert!(
            blocked
                .iter()
                .any(|b| b.source == "203.0.113.20" && b.login.is_none())
        );
        assert!(
            blocked
                .iter()
                .any(|b| b.login.as_deref() == Some("prof@example.fr") && b.failures == 5),
            "{blocked:?}"
        );
        // A student may neither list nor unblock.
        let student = Actor {
            role: crate::domain::Role::Student,
            ..trainer.clone()
        };
        assert!(matches!(
            p.blocked_sources(&student).await,
            Err(crate::Error::Forbidden)
        ));
        assert!(matches!(
            p.unblock_source(&student, "203.0.113.20").await,
            Err(crate::Error::Forbidden)
        ));
        // Invalid or not blocked: refused naming the field, nothing written.
        for (addr, problem) in [
            ("pas une adresse", Key::SecProbAddress),
            ("198.51.100.1", Key::SecProbNotBlocked),
        ] {
            let e = p.unblock_source(&trainer, addr).await.unwrap_err();
            assert!(
                matches!(e, crate::Error::InvalidField { field: Key::OutSource, problem: p, .. } if p == problem),
                "{e:?}"
            );
        }
        // Unblocked: the right password works at once, and the log says who did it.
        let lifted = p.unblock_source(&trainer, " 203.0.113.20 ").await.unwrap();
        assert_eq!(lifted.source, "203.0.113.20");
        assert_eq!(p.block_notice(src).await.unwrap(), None);
        p.login("prof@example.fr", PW, src).await.unwrap();
        let log = p.security_log(&trainer, 10).await.unwrap();
        assert!(
            log.iter()
                .any(|r| r.outcome == Outcome::Unblocked && r.login == "prof@example.fr")
        );
        // Its earlier failures no longer count: five fresh tries before the next refusal.
        for _ in 0..4 {
            let e = p.login("prof@example.fr", "mauvais", src).await;
            assert!(matches!(e, Err(crate::Error::InvalidCredentials)));
        }
        p.login("prof@example.fr", PW, src).await.unwrap();
        // An IPv6 network is unblocked by any of its addresses or as listed.
        for _ in 0..5 {
            let _ = p.login("x@example.fr", "bad", ip("2001:db8:9:9::1")).await;
        }
        let listed = p.blocked_sources(&trainer).await.unwrap();
        assert!(listed.iter().any(|b| b.source == "2001:db8:9:9::/64"));
        p.unblock_source(&trainer, "2001:db8:9:9::/64")
            .await
            .unwrap();
        assert_eq!(p.block_notice(ip("2001:db8:9:9::77")).await.unwrap(), None);
    }
}
