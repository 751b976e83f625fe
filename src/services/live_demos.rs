//! The live broadcast of a technical demo: going on the air, pause/resume/resize/stop,
//! watching, and students' questions. The virtual screen itself is [`crate::live`].
//!
//! Rules kept here, whatever the door:
//! - only a trainer streams, pauses, resumes, resizes and stops; one stream per demo;
//! - going live moves the demo `planned → live` ([`Portail::demo_start_live`]); a demo
//!   left `live` by a stream that broke (server restart) can be streamed again; ending
//!   moves it `live → done` ([`Portail::demo_finish`]);
//! - every broadcast is recorded ([`crate::live_record`]: a temporary file in the data
//!   directory, pauses cut out, 20 MiB at most); when it ends, the recording becomes the
//!   demo's recording, stored as an upload is ([`Portail::demo_recording_store`]) and
//!   replacing the previous one — except a broadcast that showed nothing, which stores
//!   nothing and keeps the previous recording;
//! - watching and asking go through [`Portail::visible_demo`] first: for a student outside
//!   the audience, a live demo is exactly a demo that does not exist.

use std::sync::Arc;

use super::Portail;
use super::guard::require_trainer;
use super::messaging::{Message, Recipient};
use super::tech_demos::{Demo, DemoStatus};
use crate::domain::Actor;
use crate::events::Event;
use crate::i18n::{Key, tf};
use crate::live::LiveDemo;
use crate::live_record::Recorder;
use crate::validate::{self, MAX_CAST_BYTES, MAX_DEMO_MARKER, MAX_DEMO_QUESTION};
use crate::{Error, Result};

/// A stream on the air, as its door holds it: feed it, then [`Portail::demo_live_end`].
pub struct LiveStream {
    pub demo: Demo,
    pub live: Arc<LiveDemo>,
}

impl Portail {
    /// Trainer: puts a demo on the air at `cols × rows` (clamped).
    pub async fn demo_live_start(
        &self,
        actor: &Actor,
        id: i64,
        cols: u32,
        rows: u32,
    ) -> Result<LiveStream> {
        require_trainer(actor)?;
        let current = self.visible_demo(actor, id).await?;
        if current.status == DemoStatus::Done {
            return Err(Error::Invalid(Key::DmErrNotPlanned));
        }
        // The hub first: of two streams started at once, one only goes on the air.
        let live = self
            .live()
            .open(id, cols, rows)
            .ok_or(Error::Invalid(Key::DmErrAlreadyStreaming))?;
        let demo = if current.status == DemoStatus::Planned {
            match self.demo_start_live(actor, id).await {
                Ok(d) => d,
                // Another door changed it meanwhile: stay off the air.
                Err(e) => {
                    self.live().close(&live);
                    return Err(e);
                }
            }
        } else {
            current
        };
        let (cols, rows) = live.size();
        match Recorder::create(self.data_dir(), id, cols, rows, &demo.title, MAX_CAST_BYTES) {
            Ok(rec) => live.record(rec),
            // The broadcast matters more than its recording: it goes on without one.
            Err(e) => tracing::warn!("démo {id} : enregistrement impossible à démarrer : {e}"),
        }
        self.bus().publish(Event::DemoChanged { demo_id: id });
        Ok(LiveStream { demo, live })
    }

    /// Trainer: the stream `live` is over (its input closed, or `demo stop`): off the air,
    /// and the demo is done. Ending one already done is not an error.
    pub async fn demo_live_end(&self, actor: &Actor, live: &Arc<LiveDemo>) -> Result<Demo> {
        require_trainer(actor)?;
        self.live().close(live);
        if let Some(rec) = live.take_recorder() {
            self.store_live_recording(actor, live.demo_id, rec).await;
        }
        let d = match self.demo_finish(actor, live.demo_id).await {
            Err(Error::Invalid(Key::DmErrNotLive)) => self.visible_demo(actor, live.demo_id).await,
            other => other,
        };
        self.bus().publish(Event::DemoChanged {
            demo_id: live.demo_id,
        });
        d
    }

    /// Stores what `rec` recorded as demo `id`'s recording (replacing the previous one).
    /// A failure is logged, never in the way of ending the demo.
    async fn store_live_recording(&self, actor: &Actor, id: i64, rec: Recorder) {
        let bytes = match tokio::task::spawn_blocking(move || rec.finish()).await {
            Ok(Ok(Some(bytes))) => bytes,
            Ok(Ok(None)) => return,
            Ok(Err(e)) => {
                tracing::warn!("démo {id} : enregistrement illisible : {e}");
                return;
            }
            Err(e) => {
                tracing::warn!("démo {id} : enregistrement perdu : {e}");
                return;
            }
        };
        if let Err(e) = self.demo_recording_store(actor, id, &bytes, true).await {
            tracing::warn!("démo {id} : enregistrement non conservé : {e}");
        }
    }

    /// Trainer: a marker in the recording of the live demo `id` (« Étape 2 »); returns
    /// the label kept (one line, cleaned, [`MAX_DEMO_MARKER`] characters at most).
    pub async fn demo_mark(&self, actor: &Actor, id: i64, label: &str) -> Result<String> {
        self.visible_demo(actor, id).await?;
        let live = self.demo_on_air(actor, id)?;
        let label = validate::required(Key::DmFieldMarker, label, MAX_DEMO_MARKER)?;
        match live.mark(&label) {
            Some(true) => Ok(label),
            Some(false) | None => Err(Error::Invalid(Key::DmErrNotRecording)),
        }
    }

    /// Trainer: the stream of demo `id`, which must be on the air.
    fn demo_on_air(&self, actor: &Actor, id: i64) -> Result<Arc<LiveDemo>> {
        require_trainer(actor)?;
        self.live()
            .get(id)
            .ok_or(Error::Invalid(Key::DmErrNotStreaming))
    }

    /// Trainer: ends demo `id`. A demo left `live` with no stream (the server restarted
    /// while it was on the air) is ended too.
    pub async fn demo_stop(&self, actor: &Actor, id: i64) -> Result<Demo> {
        require_trainer(actor)?;
        match self.live().get(id) {
            Some(live) => self.demo_live_end(actor, &live).await,
            None => {
                let d = self.demo_finish(actor, id).await?;
                self.bus().publish(Event::DemoChanged { demo_id: id });
                Ok(d)
            }
        }
    }

    /// Trainer: freezes what watchers see (the stream goes on being read).
    pub async fn demo_pause(&self, actor: &Actor, id: i64) -> Result<()> {
        self.visible_demo(actor, id).await?;
        if !self.demo_on_air(actor, id)?.pause() {
            return Err(Error::Invalid(Key::DmErrAlreadyPaused));
        }
        self.bus().publish(Event::DemoChanged { demo_id: id });
        Ok(())
    }

    /// Trainer: watchers see the trainer's screen again.
    pub async fn demo_resume(&self, actor: &Actor, id: i64) -> Result<()> {
        self.visible_demo(actor, id).await?;
        if !self.demo_on_air(actor, id)?.resume() {
            return Err(Error::Invalid(Key::DmErrNotPaused));
        }
        self.bus().publish(Event::DemoChanged { demo_id: id });
        Ok(())
    }

    /// Trainer: the trainer's terminal changed size; returns the size kept (clamped).
    pub async fn demo_resize(
        &self,
        actor: &Actor,
        id: i64,
        cols: u32,
        rows: u32,
    ) -> Result<(u16, u16)> {
        self.visible_demo(actor, id).await?;
        Ok(self.demo_on_air(actor, id)?.resize(cols, rows))
    }

    /// Whether demo `id` is on the air (for its list's badge), without authorization:
    /// callers already hold the demo.
    pub fn demo_on_air_now(&self, id: i64) -> bool {
        self.live().get(id).is_some()
    }

    /// The live screen of demo `id` for `actor` (a trainer, or a student of its audience;
    /// anyone else: [`Error::NotFound`]).
    pub async fn demo_watch(&self, actor: &Actor, id: i64) -> Result<(Demo, Arc<LiveDemo>)> {
        let d = self.visible_demo(actor, id).await?;
        let live = self
            .live()
            .get(id)
            .ok_or(Error::Invalid(Key::DmErrNotStreaming))?;
        Ok((d, live))
    }

    /// Student: a question during the live demo `id`, sent to the trainer as a message
    /// (« Question pendant la démo « … » : … ») and shown in the trainers' sessions.
    pub async fn demo_question(&self, actor: &Actor, id: i64, text: &str) -> Result<Message> {
        super::learning::require_student(actor)?;
        let d = self.visible_demo(actor, id).await?;
        if d.status != DemoStatus::Live {
            return Err(Error::Invalid(Key::DmErrNotLive));
        }
        let text = validate::required(Key::DmFieldQuestion, text, MAX_DEMO_QUESTION)?;
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let me = self.whoami(actor).await?;
        let body = tf(me.language, Key::DmQuestionBody, &[&d.title, &text]);
        let message = self.message_send(actor, Recipient::Trainer, &body).await?;
        self.bus().publish(Event::DemoQuestion {
            demo_id: id,
            demo_title: d.title.clone(),
            student: me.display_name(),
            text,
        });
        Ok(message)
    }
}
