//! `message …`: conversations with the trainer / one's students.

use clap::{ArgGroup, Subcommand};
use portail::i18n::Key;
use portail::services::messaging::{MAX_BODY_CHARS, Recipient, ThreadKind};
use portail::{Error, sanitize};

use super::common::{Ctx, Fail, Family, Out, Stdin, json, line_out, table};

pub const FAMILY: Family = Family::both(
    "message",
    Key::XhMessage,
    Key::ExecHelpMessage,
    Key::ExecHelpMessageStudent,
);

#[derive(Debug, Subcommand)]
pub enum MessageCmd {
    #[command(group(ArgGroup::new("dest").required(true).args(["to", "class"])))]
    #[command(about = Key::XhMessageSend.name())]
    Send {
        #[arg(long, help = Key::XaTo.name())]
        to: Option<String>,
        #[arg(long, help = Key::XaToClass.name())]
        class: Option<String>,
    },
    #[command(about = Key::XhMessageList.name())]
    List {
        #[arg(long)]
        json: bool,
    },
    #[command(about = Key::XhMessageShow.name())]
    Show {
        #[arg(help = Key::XaThread.name())]
        thread: i64,
        #[arg(long)]
        json: bool,
    },
}

impl Ctx<'_> {
    /// `message send|list|show`.
    pub async fn message(&self, cmd: MessageCmd, stdin: &mut impl Stdin) -> Out {
        let p = self.portail;
        match cmd {
            MessageCmd::Send { to, class } => {
                let recipient = match (to, class) {
                    (_, Some(c)) => Recipient::Class(p.class_resolve(self.actor, &c).await?),
                    (Some(t), None) if !self.actor.is_trainer() => {
                        if !matches!(t.to_lowercase().as_str(), "trainer" | "formateur") {
                            return Err(Fail::Core(Error::Forbidden));
                        }
                        Recipient::Trainer
                    }
                    (Some(t), None) => Recipient::Student(p.student_resolve(self.actor, &t).await?),
                    (None, None) => return Err(Fail::Core(Error::Invalid(Key::MsgEmpty))),
                };
                // Bytes, not characters: 4 bytes per character at most, plus a margin.
                let body = self
                    .read_text(stdin, MAX_BODY_CHARS * 4 + 1024, Key::MsgTooLong)
                    .await?;
                p.message_send(self.actor, recipient, &body).await?;
                line_out(self.t(Key::MsgSent).to_string())
            }
            MessageCmd::List { json: as_json } => {
                let threads = p.threads(self.actor).await?;
                if as_json {
                    return json(&threads);
                }
                let rows: Vec<Vec<String>> = threads
                    .iter()
                    .map(|t| {
                        let title = match t.kind {
                            ThreadKind::Direct => t.title_for(self.actor.role, self.lang),
                            ThreadKind::Announcement => {
                                format!("{} ({})", t.title, self.t(Key::MsgAnnouncement))
                            }
                        };
                        vec![
                            t.id.to_string(),
                            title,
                            p.local_time(t.last_message_at),
                            if t.unread > 0 {
                                t.unread.to_string()
                            } else {
                                String::new()
                            },
                            t.last_excerpt.clone(),
                        ]
                    })
                    .collect();
                if rows.is_empty() {
                    return line_out(self.t(Key::MsgNoThreads).to_string());
                }
                Ok(table(
                    &[
                        self.t(Key::OutId),
                        self.t(Key::MenuMessages),
                        self.t(Key::OutWhen),
                        self.t(Key::MsgUnread),
                        "",
                    ],
                    &rows,
                ))
            }
            MessageCmd::Show {
                thread,
                json: as_json,
            } => {
                let msgs = p.thread_messages(self.actor, thread, None, 500).await?;
                p.thread_mark_read(self.actor, thread).await?;
                if as_json {
                    return json(&msgs);
                }
                let mut out = String::new();
                for m in &msgs {
                    out.push_str(&format!(
                        "── {} · {}\n{}\n\n",
                        sanitize::line(&m.sender_name),
                        p.local_time(m.created_at),
                        sanitize::multiline(&m.body)
                    ));
                }
                Ok(out)
            }
        }
    }
}
