//! Internal messaging: trainer ↔ student threads, class announcements, read state,
//! drafts. Every new message is published on the event bus so open sessions update live.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use super::guard::require_trainer;
use super::{Portail, now};
use crate::domain::{Actor, Role};
use crate::events::Event;
use crate::i18n::Key;
use crate::{Error, Result};

/// Longest message body, in characters.
pub const MAX_BODY_CHARS: usize = 10_000;
/// Longest search query.
pub const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThreadKind {
    /// Trainer ↔ one student.
    Direct,
    /// From the trainer to every member of a class.
    Announcement,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreadSummary {
    pub id: i64,
    pub kind: ThreadKind,
    /// The student's name (direct) or "Organisme / Classe" (announcement).
    pub title: String,
    pub student_id: Option<i64>,
    pub class_id: Option<i64>,
    pub last_message_at: DateTime<Utc>,
    pub last_excerpt: String,
    pub unread: i64,
    /// Direct threads: the name of the trainer who last wrote there (else of a trainer
    /// with a name), what a student reads as the thread's title; `None`: no name set.
    pub trainer_name: Option<String>,
}

impl ThreadSummary {
    /// The thread's title as `role` reads it (not cleaned: each door cleans it): for a
    /// student, a direct thread is the trainer, by name once the trainer set one.
    pub fn title_for(&self, role: crate::domain::Role, lang: crate::i18n::Lang) -> String {
        match (self.kind, role) {
            (ThreadKind::Direct, crate::domain::Role::Student) => self
                .trainer_name
                .clone()
                .unwrap_or_else(|| crate::i18n::t(lang, Key::MsgTrainer).to_string()),
            _ => self.title.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Message {
    pub id: i64,
    pub thread_id: i64,
    pub sender_id: Option<i64>,
    pub sender_name: String,
    pub sender_is_trainer: bool,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct ThreadRow {
    id: i64,
    kind: String,
    student_id: Option<i64>,
    class_id: Option<i64>,
    last_message_at: DateTime<Utc>,
    title: String,
    last_excerpt: Option<String>,
    unread: i64,
    trainer_name: Option<String>,
}

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    /// A student's direct thread (trainer side).
    Student(i64),
    /// The trainer (student side: their own direct thread).
    Trainer,
    /// A class announcement (trainer side).
    Class(i64),
}

/// Checks a body: not empty, at most 10,000 characters; control and escape characters
/// (other than newlines) are removed before it is stored.
pub fn clean_body(body: &str) -> Result<String> {
    let cleaned = crate::sanitize::multiline(&body.replace("\r\n", "\n").replace('\r', "\n"))
        .trim_matches(|c: char| c == '\n' || c == ' ')
        .to_string();
    if cleaned.trim().is_empty() {
        return Err(Error::Invalid(Key::MsgEmpty));
    }
    if cleaned.chars().count() > MAX_BODY_CHARS {
        return Err(Error::Invalid(Key::MsgTooLong));
    }
    Ok(cleaned)
}

fn excerpt(body: &str) -> String {
    let line = body.lines().next().unwrap_or("");
    let mut out: String = line.chars().take(80).collect();
    if line.chars().count() > 80 || body.lines().count() > 1 {
        out.push('…');
    }
    out
}

fn require_active(actor: &Actor) -> Result<()> {
    if actor.must_change_password {
        return Err(Error::PasswordChangeRequired);
    }
    Ok(())
}

/// Threads an actor may see: SQL condition on `t`, binding the actor's id as ?1.
const VISIBLE: &str = "(?2 = 'trainer' OR t.student_id = ?1 OR t.class_id IN \
     (SELECT class_id FROM class_members WHERE student_id = ?1))";

impl Portail {
    async fn direct_thread(&self, student: i64) -> Result<i64> {
        let ts = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO threads (kind, student_id, created_at, last_message_at) VALUES ('direct', ?1, ?2, ?2) \
             ON CONFLICT (student_id) WHERE kind = 'direct' DO UPDATE SET student_id = excluded.student_id \
             RETURNING id",
        )
        .bind(student)
        .bind(ts)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    async fn class_thread(&self, class: i64) -> Result<i64> {
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM threads WHERE kind = 'announcement' AND class_id = ?1",
        )
        .bind(class)
        .fetch_optional(self.pool())
        .await?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let ts = now();
        Ok(sqlx::query_scalar(
            "INSERT INTO threads (kind, class_id, created_at, last_message_at) VALUES ('announcement', ?1, ?2, ?2) RETURNING id",
        )
        .bind(class)
        .bind(ts)
        .fetch_one(self.pool())
        .await?)
    }

    /// Who must see a new message in this thread (besides the sender).
    async fn thread_audience(&self, thread: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM users WHERE role = 'trainer' AND disabled = 0 \
             UNION SELECT student_id FROM threads WHERE id = ?1 AND student_id IS NOT NULL \
             UNION SELECT m.student_id FROM threads t JOIN class_members m ON m.class_id = t.class_id WHERE t.id = ?1",
        )
        .bind(thread)
        .fetch_all(self.pool())
        .await?)
    }

    /// Sends a message. Students write to the trainer only (their own thread); trainers
    /// write to a student or to a whole class.
    pub async fn message_send(&self, actor: &Actor, to: Recipient, body: &str) -> Result<Message> {
        require_active(actor)?;
        let body = clean_body(body)?;
        let thread = match (actor.role, to) {
            (Role::Student, Recipient::Trainer) => self.direct_thread(actor.user_id).await?,
            (Role::Student, _) => return Err(Error::Forbidden),
            (Role::Trainer, Recipient::Student(s)) => {
                let is_student: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1 AND role = 'student')",
                )
                .bind(s)
                .fetch_one(self.pool())
                .await?;
                if !is_student {
                    return Err(Error::NotFound);
                }
                self.direct_thread(s).await?
            }
            (Role::Trainer, Recipient::Class(c)) => {
                self.class_get(actor, c).await?;
                self.class_thread(c).await?
            }
            (Role::Trainer, Recipient::Trainer) => return Err(Error::Forbidden),
        };
        let ts = now();
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (thread_id, sender_id, body, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        )
        .bind(thread)
        .bind(actor.user_id)
        .bind(&body)
        .bind(ts)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE threads SET last_message_at = ?1 WHERE id = ?2")
            .bind(ts)
            .bind(thread)
            .execute(&mut *tx)
            .await?;
        // The sender has read their own message.
        sqlx::query(
            "INSERT INTO message_reads (thread_id, user_id, last_read_message_id) VALUES (?1, ?2, ?3) \
             ON CONFLICT (thread_id, user_id) DO UPDATE SET last_read_message_id = excluded.last_read_message_id",
        )
        .bind(thread)
        .bind(actor.user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let audience = self.thread_audience(thread).await?;
        self.bus().publish(Event::MessageCreated {
            thread_id: thread,
            message_id: id,
            recipients: audience
                .into_iter()
                .filter(|u| *u != actor.user_id)
                .collect(),
        });
        self.message_get(thread, id).await
    }

    async fn message_get(&self, thread: i64, id: i64) -> Result<Message> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.thread_id, m.sender_id, \
               coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email, '?') AS sender_name, \
               coalesce(u.role = 'trainer', 0) AS sender_is_trainer, m.body, m.created_at \
             FROM messages m LEFT JOIN users u ON u.id = m.sender_id WHERE m.thread_id = ?1 AND m.id = ?2",
        )
        .bind(thread)
        .bind(id)
        .fetch_one(self.pool())
        .await?)
    }

    /// The threads the actor may read, most recent first, with unread counts.
    pub async fn threads(&self, actor: &Actor) -> Result<Vec<ThreadSummary>> {
        require_active(actor)?;
        let sql = format!(
            "SELECT t.id, t.kind, t.student_id, t.class_id, t.last_message_at, \
               CASE WHEN t.kind = 'direct' THEN coalesce(nullif(trim(s.first_name || ' ' || s.last_name), ''), s.email) \
                    ELSE o.name || ' / ' || c.name END AS title, \
               (SELECT body FROM messages WHERE thread_id = t.id ORDER BY id DESC LIMIT 1) AS last_excerpt, \
               (SELECT count(*) FROM messages m WHERE m.thread_id = t.id AND m.id > coalesce( \
                  (SELECT last_read_message_id FROM message_reads r WHERE r.thread_id = t.id AND r.user_id = ?1), 0) \
                  AND coalesce(m.sender_id, 0) <> ?1) AS unread, \
               CASE WHEN t.kind = 'direct' THEN coalesce( \
                 (SELECT nullif(trim(u.first_name || ' ' || u.last_name), '') FROM messages m \
                    JOIN users u ON u.id = m.sender_id \
                    WHERE m.thread_id = t.id AND u.role = 'trainer' \
                      AND nullif(trim(u.first_name || ' ' || u.last_name), '') IS NOT NULL \
                    ORDER BY m.id DESC LIMIT 1), \
                 (SELECT nullif(trim(u.first_name || ' ' || u.last_name), '') FROM users u \
                    WHERE u.role = 'trainer' AND u.disabled = 0 \
                      AND nullif(trim(u.first_name || ' ' || u.last_name), '') IS NOT NULL \
                    ORDER BY u.id LIMIT 1)) END AS trainer_name \
             FROM threads t LEFT JOIN users s ON s.id = t.student_id \
             LEFT JOIN classes c ON c.id = t.class_id LEFT JOIN organisations o ON o.id = c.organisation_id \
             WHERE {VISIBLE} AND EXISTS (SELECT 1 FROM messages WHERE thread_id = t.id) \
             ORDER BY t.last_message_at DESC, t.id DESC"
        );
        let rows: Vec<ThreadRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(actor.user_id)
            .bind(actor.role.as_str())
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| ThreadSummary {
                id: r.id,
                kind: if r.kind == "direct" {
                    ThreadKind::Direct
                } else {
                    ThreadKind::Announcement
                },
                title: r.title,
                student_id: r.student_id,
                class_id: r.class_id,
                last_message_at: r.last_message_at,
                last_excerpt: excerpt(r.last_excerpt.as_deref().unwrap_or("")),
                unread: r.unread,
                trainer_name: r.trainer_name,
            })
            .collect())
    }

    /// Total unread messages for the status bar badge.
    pub async fn unread_count(&self, actor: &Actor) -> Result<i64> {
        Ok(self.threads(actor).await?.iter().map(|t| t.unread).sum())
    }

    async fn require_thread(&self, actor: &Actor, thread: i64) -> Result<()> {
        require_active(actor)?;
        let sql = format!("SELECT EXISTS (SELECT 1 FROM threads t WHERE t.id = ?3 AND {VISIBLE})");
        let ok: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(actor.user_id)
            .bind(actor.role.as_str())
            .bind(thread)
            .fetch_one(self.pool())
            .await?;
        if ok { Ok(()) } else { Err(Error::NotFound) }
    }

    /// A page of a thread's messages, oldest first: the `limit` messages before `before`
    /// (a message id), or the latest ones. A thread the actor may not read is refused
    /// exactly like a missing one.
    pub async fn thread_messages(
        &self,
        actor: &Actor,
        thread: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Message>> {
        self.require_thread(actor, thread).await?;
        let mut msgs: Vec<Message> = sqlx::query_as(
            "SELECT m.id, m.thread_id, m.sender_id, \
               coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email, '?') AS sender_name, \
               coalesce(u.role = 'trainer', 0) AS sender_is_trainer, m.body, m.created_at \
             FROM messages m LEFT JOIN users u ON u.id = m.sender_id \
             WHERE m.thread_id = ?1 AND (?2 IS NULL OR m.id < ?2) ORDER BY m.id DESC LIMIT ?3",
        )
        .bind(thread)
        .bind(before)
        .bind(limit.clamp(1, 500))
        .fetch_all(self.pool())
        .await?;
        msgs.reverse();
        Ok(msgs)
    }

    /// Marks everything in the thread as read by the actor.
    pub async fn thread_mark_read(&self, actor: &Actor, thread: i64) -> Result<()> {
        self.require_thread(actor, thread).await?;
        sqlx::query(
            "INSERT INTO message_reads (thread_id, user_id, last_read_message_id) \
             SELECT ?1, ?2, coalesce(max(id), 0) FROM messages WHERE thread_id = ?1 \
             ON CONFLICT (thread_id, user_id) DO UPDATE SET last_read_message_id = excluded.last_read_message_id",
        )
        .bind(thread)
        .bind(actor.user_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Searches the actor's readable messages (case-insensitive substring), newest first.
    pub async fn message_search(&self, actor: &Actor, query: &str) -> Result<Vec<Message>> {
        require_active(actor)?;
        let q = query.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::Invalid(Key::MsgTooLong));
        }
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let sql = format!(
            "SELECT m.id, m.thread_id, m.sender_id, \
               coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email, '?') AS sender_name, \
               coalesce(u.role = 'trainer', 0) AS sender_is_trainer, m.body, m.created_at \
             FROM messages m JOIN threads t ON t.id = m.thread_id LEFT JOIN users u ON u.id = m.sender_id \
             WHERE {VISIBLE} AND m.body LIKE ?3 ESCAPE '\\' ORDER BY m.id DESC LIMIT 200"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(actor.user_id)
            .bind(actor.role.as_str())
            .bind(pattern)
            .fetch_all(self.pool())
            .await?)
    }

    /// Saves a draft (empty body deletes it): it survives a dropped connection.
    pub async fn draft_save(&self, actor: &Actor, key: &str, body: &str) -> Result<()> {
        if body.chars().count() > MAX_BODY_CHARS + 1000 {
            return Err(Error::Invalid(Key::MsgTooLong));
        }
        if body.trim().is_empty() {
            sqlx::query("DELETE FROM message_drafts WHERE user_id = ?1 AND thread_key = ?2")
                .bind(actor.user_id)
                .bind(key)
                .execute(self.pool())
                .await?;
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO message_drafts (user_id, thread_key, body, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (user_id, thread_key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(actor.user_id)
        .bind(key)
        .bind(body)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn draft_get(&self, actor: &Actor, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT body FROM message_drafts WHERE user_id = ?1 AND thread_key = ?2",
        )
        .bind(actor.user_id)
        .bind(key)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Trainer: the direct thread of a student, creating it if needed (to write first).
    pub async fn thread_for_student(&self, actor: &Actor, student: i64) -> Result<i64> {
        require_trainer(actor)?;
        self.student_get(actor, student).await?;
        self.direct_thread(student).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::CoreOptions;
    use crate::services::classes::ClassInput;
    use crate::services::orgs::OrgInput;
    use crate::services::students::StudentInput;

    async fn setup() -> (tempfile::TempDir, Portail, Actor, Actor, Actor, i64) {
        let dir = tempfile::tempdir().unwrap();
        let p = Portail::open(dir.path(), CoreOptions::default())
            .await
            .unwrap();
        let t = p
            .add_trainer("prof@example.fr", "une phrase secrète")
            .await
            .unwrap();
        let t = Actor {
            user_id: t.id,
            role: Role::Trainer,
            must_change_password: false,
        };
        let o = p
            .org_create(
                &t,
                &OrgInput {
                    name: "Alpha".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let c = p
            .class_create(
                &t,
                &ClassInput {
                    organisation_id: o.id,
                    name: "K".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let mk = |e: &str| StudentInput {
            email: e.into(),
            first_name: e[..1].to_uppercase(),
            ..Default::default()
        };
        let (a, _) = p
            .student_create(&t, &mk("a@x.fr"), &[c.id], &[])
            .await
            .unwrap();
        let (b, _) = p.student_create(&t, &mk("b@x.fr"), &[], &[]).await.unwrap();
        let sa = Actor {
            user_id: a.id,
            role: Role::Student,
            must_change_password: false,
        };
        let sb = Actor {
            user_id: b.id,
            role: Role::Student,
            must_change_password: false,
        };
        (dir, p, t, sa, sb, c.id)
    }

    #[tokio::test]
    async fn threads_unread_privacy_and_live_events() {
        let (_d, p, t, sa, sb, class) = setup().await;
        let mut bus = p.bus().subscribe();
        let m = p
            .message_send(&sa, Recipient::Trainer, "Bonjour 👋\nune question")
            .await
            .unwrap();
        assert!(m.body.contains('👋') && !m.sender_is_trainer);
        match bus.recv().await.unwrap() {
            Event::MessageCreated { recipients, .. } => assert_eq!(recipients, vec![t.user_id]),
            other => panic!("{other:?}"),
        }
        assert_eq!(p.unread_count(&t).await.unwrap(), 1);
        assert_eq!(p.unread_count(&sa).await.unwrap(), 0);
        // Students write to the trainer only.
        assert!(matches!(
            p.message_send(&sa, Recipient::Student(sb.user_id), "x")
                .await,
            Err(Error::Forbidden)
        ));
        // B cannot read A's thread: refused like a missing one.
        assert!(matches!(
            p.thread_messages(&sb, m.thread_id, None, 50).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            p.thread_messages(&sb, 9999, None, 50).await,
            Err(Error::NotFound)
        ));
        assert!(p.threads(&sb).await.unwrap().is_empty());
        p.thread_mark_read(&t, m.thread_id).await.unwrap();
        assert_eq!(p.unread_count(&t).await.unwrap(), 0);
        p.message_send(&t, Recipient::Student(sa.user_id), "Réponse")
            .await
            .unwrap();
        assert_eq!(p.unread_count(&sa).await.unwrap(), 1);
        // Announcement to the class: A sees it, B (not a member) does not.
        let ann = p
            .message_send(&t, Recipient::Class(class), "Cours annulé demain")
            .await
            .unwrap();
        let a_threads = p.threads(&sa).await.unwrap();
        assert_eq!(a_threads.len(), 2);
        assert!(
            a_threads
                .iter()
                .any(|th| th.id == ann.thread_id && th.kind == ThreadKind::Announcement)
        );
        assert!(p.threads(&sb).await.unwrap().is_empty());
        assert!(matches!(
            p.message_send(&sa, Recipient::Class(class), "x").await,
            Err(Error::Forbidden)
        ));
        // Search only within readable threads.
        assert_eq!(p.message_search(&sa, "annulé").await.unwrap().len(), 1);
        assert!(p.message_search(&sb, "annulé").await.unwrap().is_empty());
        assert_eq!(p.message_search(&t, "QUESTION").await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn bodies_are_checked_and_cleaned() {
        let (_d, p, _t, sa, _sb, _) = setup().await;
        assert!(matches!(
            p.message_send(&sa, Recipient::Trainer, "  \n ").await,
            Err(Error::Invalid(Key::MsgEmpty))
        ));
        let long = "x".repeat(MAX_BODY_CHARS + 1);
        assert!(matches!(
            p.message_send(&sa, Recipient::Trainer, &long).await,
            Err(Error::Invalid(Key::MsgTooLong))
        ));
        assert!(
            p.message_send(&sa, Recipient::Trainer, &"x".repeat(MAX_BODY_CHARS))
                .await
                .is_ok()
        );
        let m = p
            .message_send(
                &sa,
                Recipient::Trainer,
                "a\x1b]52;c;SGVsbG8=\x07b\x1b[2J\u{202E}c\r\nd",
            )
            .await
            .unwrap();
        assert_eq!(m.body, "a]52;c;SGVsbG8=b[2Jc\nd");
        // Paging: the latest first page, then older.
        for i in 0..5 {
            p.message_send(&sa, Recipient::Trainer, &format!("n{i}"))
                .await
                .unwrap();
        }
        let page = p.thread_messages(&sa, m.thread_id, None, 3).await.unwrap();
        assert_eq!(
            page.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
            vec!["n2", "n3", "n4"]
        );
        let older = p
            .thread_messages(&sa, m.thread_id, Some(page[0].id), 2)
            .await
            .unwrap();
        assert_eq!(older.last().unwrap().body, "n1");
        // Drafts survive, empty deletes.
        p.draft_save(&sa, "trainer", "brouillon").await.unwrap();
        assert_eq!(
            p.draft_get(&sa, "trainer").await.unwrap().as_deref(),
            Some("brouillon")
        );
        p.draft_save(&sa, "trainer", " ").await.unwrap();
        assert_eq!(p.draft_get(&sa, "trainer").await.unwrap(), None);
    }
}
