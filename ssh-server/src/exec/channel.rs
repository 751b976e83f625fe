//! The channel side of an exec request: standard input read from the channel, and the
//! one way output reaches the client ([`finish`]).

use portail::sanitize;
use russh::server::Msg;
use russh::{ChannelMsg, ChannelReadHalf, ChannelWriteHalf};

use super::common::{Output, Stdin};

pub struct ChannelStdin<'a>(pub &'a mut ChannelReadHalf);

impl Stdin for ChannelStdin<'_> {
    async fn read_all(&mut self, limit: usize) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        loop {
            match self.0.wait().await {
                Some(ChannelMsg::Data { data }) => {
                    if buf.len() + data.len() > limit {
                        return None;
                    }
                    buf.extend_from_slice(&data);
                }
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => return Some(buf),
                Some(_) => {}
            }
        }
    }

    async fn spool(
        &mut self,
        limit: u64,
        file: std::fs::File,
    ) -> std::io::Result<Option<std::fs::File>> {
        use tokio::io::AsyncWriteExt;
        let mut out =
            tokio::io::BufWriter::with_capacity(256 * 1024, tokio::fs::File::from_std(file));
        let mut total = 0u64;
        loop {
            match self.0.wait().await {
                Some(ChannelMsg::Data { data }) => {
                    total += data.len() as u64;
                    if total > limit {
                        return Ok(None);
                    }
                    out.write_all(&data).await?;
                }
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => break,
                Some(_) => {}
            }
        }
        out.flush().await?;
        Ok(Some(out.into_inner().into_std().await))
    }

    async fn next_chunk(&mut self) -> Option<Vec<u8>> {
        loop {
            match self.0.wait().await {
                Some(ChannelMsg::Data { data }) => return Some(data.to_vec()),
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => return None,
                Some(_) => {}
            }
        }
    }
}

/// Resolves when the server announces it is stopping (never, if the bus closes first
/// without saying so).
pub async fn shutting_down(events: &mut tokio::sync::broadcast::Receiver<portail::events::Event>) {
    use tokio::sync::broadcast::error::RecvError;
    loop {
        match events.recv().await {
            Ok(portail::events::Event::ShuttingDown) => return,
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => std::future::pending::<()>().await,
        }
    }
}

/// The one way an exec command's output reaches the client: every byte of stdout and
/// stderr, spooled files included, goes through a [`Terminal`], which cleans it with
/// [`sanitize::OutputStream`]. So no control or bidi character from stored data reaches a
/// terminal, whatever a command forgot: JSON is already escaped by `json_pretty`, text
/// already cleaned by `table`/`kv`; this is the floor under them. No exec command sends
/// binary; one that must (a file download) needs its own explicit path here.
pub async fn finish(writer: ChannelWriteHalf<Msg>, out: Output, pty: bool) {
    let mut stdout = Terminal::new(&writer, pty, false);
    stdout.send(out.stdout.as_bytes()).await;
    if let Some(file) = out.stdout_file {
        stdout.send_file(file).await;
    }
    stdout.end().await;
    let mut stderr = Terminal::new(&writer, pty, true);
    stderr.send(out.stderr.as_bytes()).await;
    if let Some(file) = out.stderr_file {
        stderr.send_file(file).await;
    }
    stderr.end().await;
    let _ = writer.exit_status(out.status).await;
    let _ = writer.eof().await;
    let _ = writer.close().await;
}

/// One output stream (stdout or stderr) of an exec channel, cleaned on its way out; with a
/// PTY, `\n` becomes `\r\n` after cleaning.
struct Terminal<'a> {
    writer: &'a ChannelWriteHalf<Msg>,
    pty: bool,
    stderr: bool,
    clean: sanitize::OutputStream,
    /// False once the client stopped listening: nothing more is sent.
    open: bool,
}

impl<'a> Terminal<'a> {
    fn new(writer: &'a ChannelWriteHalf<Msg>, pty: bool, stderr: bool) -> Self {
        Terminal {
            writer,
            pty,
            stderr,
            clean: sanitize::OutputStream::default(),
            open: true,
        }
    }

    async fn send(&mut self, bytes: &[u8]) {
        if !bytes.is_empty() {
            let text = self.clean.push(bytes);
            self.write(text).await;
        }
    }

    async fn end(&mut self) {
        let text = self.clean.finish();
        self.write(text).await;
    }

    async fn write(&mut self, text: String) {
        if text.is_empty() || !self.open {
            return;
        }
        let bytes = if self.pty {
            text.replace('\n', "\r\n")
        } else {
            text
        }
        .into_bytes();
        let sent = if self.stderr {
            self.writer.extended_data_bytes(1, bytes).await
        } else {
            self.writer.data_bytes(bytes).await
        };
        self.open = sent.is_ok();
    }

    /// Streams a spooled output piece by piece (the client's window applies backpressure;
    /// memory stays flat).
    async fn send_file(&mut self, file: std::fs::File) {
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        let mut file = tokio::fs::File::from_std(file);
        if file.seek(std::io::SeekFrom::Start(0)).await.is_err() {
            return;
        }
        let mut buf = vec![0u8; 32 * 1024];
        while self.open {
            match file.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => self.send(&buf[..n]).await,
            }
        }
    }
}
