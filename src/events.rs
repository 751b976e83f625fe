//! In-process event bus: services publish, every open session subscribes and redraws.
//! Bounded (tokio broadcast): a lagging session loses old events, never blocks a publisher.

use tokio::sync::broadcast;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A user's profile or settings changed (e.g. language chosen in another session).
    UserUpdated { user_id: i64 },
    /// A student's progress in a course changed (lesson done or undone).
    ProgressChanged { student_id: i64, course_id: i64 },
    /// A message was posted; `recipients` are the users who should see it (not the sender).
    MessageCreated {
        thread_id: i64,
        message_id: i64,
        recipients: Vec<i64>,
    },
    /// A technical demo went live, was paused, resumed or ended: students' announcements
    /// and demo lists reload.
    DemoChanged { demo_id: i64 },
    /// A student asked a question during a live demo (also a message to the trainers):
    /// the trainers' sessions show it as it arrives.
    DemoQuestion {
        demo_id: i64,
        demo_title: String,
        student: String,
        text: String,
    },
    /// The server is stopping: sessions say so and close cleanly.
    ShuttingDown,
}

#[derive(Debug, Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Event>,
}

impl EventBus {
    pub fn new(capacity: usize) -> Self {
        let (tx, _) = broadcast::channel(capacity);
        Self { tx }
    }

    pub fn publish(&self, event: Event) {
        // No subscriber is not an error: nobody is connected.
        let _ = self.tx.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new(1024)
    }
}
