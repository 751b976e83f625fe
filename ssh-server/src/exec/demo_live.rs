//! `demo live|pause|resume|stop|resize|mark` (trainer): the live broadcast of a technical demo.
//! Thin calls into `services::live_demos`; `demo live` reads its standard input as a
//! stream (each SSH packet as it arrives, never waiting for the end) and feeds the demo's
//! virtual screen (`portail::live`) until the input ends or `demo stop`.

use clap::Subcommand;
use portail::i18n::Key;
use portail::validate::LIVE_READ_CHUNK;

use super::common::{Ctx, Out, Stdin, line_out};

#[derive(Debug, Subcommand)]
pub enum LiveCmd {
    #[command(about = Key::XhDemoLive.name())]
    Live {
        #[arg(help = Key::XaDemo.name())]
        demo: String,
        #[arg(long, help = Key::XaLiveCols.name())]
        cols: Option<u32>,
        #[arg(long, help = Key::XaLiveRows.name())]
        rows: Option<u32>,
    },
    #[command(about = Key::XhDemoPause.name())]
    Pause {
        #[arg(help = Key::XaDemo.name())]
        demo: String,
    },
    #[command(about = Key::XhDemoResume.name())]
    Resume {
        #[arg(help = Key::XaDemo.name())]
        demo: String,
    },
    #[command(about = Key::XhDemoStop.name())]
    Stop {
        #[arg(help = Key::XaDemo.name())]
        demo: String,
    },
    #[command(about = Key::XhDemoMark.name())]
    Mark {
        #[arg(help = Key::XaDemo.name())]
        demo: String,
        #[arg(help = Key::XaMarkLabel.name())]
        label: String,
    },
    #[command(about = Key::XhDemoResize.name())]
    Resize {
        #[arg(help = Key::XaDemo.name())]
        demo: String,
        #[arg(long, help = Key::XaLiveCols.name())]
        cols: u32,
        #[arg(long, help = Key::XaLiveRows.name())]
        rows: u32,
    },
}

impl Ctx<'_> {
    /// `demo live|pause|resume|stop|resize|mark`.
    pub async fn demo_live(&self, cmd: LiveCmd, stdin: &mut impl Stdin) -> Out {
        let (p, a) = (self.portail, self.actor);
        match cmd {
            LiveCmd::Live { demo, cols, rows } => {
                let id = p.demo_resolve(a, &demo).await?;
                let stream = p
                    .demo_live_start(a, id, cols.unwrap_or(0), rows.unwrap_or(0))
                    .await?;
                let live = stream.live;
                let mut received = 0u64;
                loop {
                    tokio::select! {
                        chunk = stdin.next_chunk() => match chunk {
                            Some(bytes) => {
                                received += bytes.len() as u64;
                                for piece in bytes.chunks(LIVE_READ_CHUNK) {
                                    live.feed(piece);
                                }
                            }
                            None => break,
                        },
                        () = live.stopped() => break,
                    }
                }
                p.demo_live_end(a, &live).await?;
                line_out(self.tf(Key::DmLiveOver, &[&id.to_string(), &received.to_string()]))
            }
            LiveCmd::Pause { demo } => {
                let id = p.demo_resolve(a, &demo).await?;
                p.demo_pause(a, id).await?;
                line_out(self.tf(Key::DmLivePausedDone, &[&id.to_string()]))
            }
            LiveCmd::Resume { demo } => {
                let id = p.demo_resolve(a, &demo).await?;
                p.demo_resume(a, id).await?;
                line_out(self.t(Key::DmLiveResumedDone).to_string())
            }
            LiveCmd::Stop { demo } => {
                let id = p.demo_resolve(a, &demo).await?;
                p.demo_stop(a, id).await?;
                line_out(self.tf(Key::DmLiveStopped, &[&id.to_string()]))
            }
            LiveCmd::Mark { demo, label } => {
                let id = p.demo_resolve(a, &demo).await?;
                let label = p.demo_mark(a, id, &label).await?;
                line_out(self.tf(Key::DmLiveMarked, &[&label]))
            }
            LiveCmd::Resize { demo, cols, rows } => {
                let id = p.demo_resolve(a, &demo).await?;
                let (c, r) = p.demo_resize(a, id, cols, rows).await?;
                line_out(self.tf(Key::DmLiveResized, &[&c.to_string(), &r.to_string()]))
            }
        }
    }
}
