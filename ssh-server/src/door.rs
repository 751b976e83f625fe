//! The door before login: how many connections may wait to log in, which one is shed
//! when the door is full, and the two deadlines of a connection that is not logged in.
//!
//! The policy (also in the README's security section):
//!
//! - A connection must send its identification and its first key-exchange packet
//!   (KEXINIT) within `kex_timeout` (10 s; a real client sends both at once), and be
//!   logged in within `auth_timeout` (60 s; a person types a password, or answers the
//!   host-key question, in that time). Either deadline closes the TCP connection itself.
//! - At most `max_unauthenticated` (100) connections wait to log in, and
//!   `max_unauthenticated_per_source` (10) per source (IPv4 address or IPv6 /64).
//! - A source *known* (someone logged in from it within `known_source_days`, 30) may hold
//!   `max_unauthenticated_per_known_source` (40: a classroom behind one NAT address), and
//!   only known sources may take the last `reserved_for_known` (40) places: strangers,
//!   however many addresses they hold, never fill the whole door.
//! - When a limit is reached, the newcomer takes the place of the oldest connection under
//!   that limit that has not sent its first key-exchange packet yet (strangers' first);
//!   when there is none, the newcomer is refused. An idle socket costs an attacker one
//!   place for at most a few seconds, and a client that is talking SSH is never shed.

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::config::SshLimits;

/// Where a connection stands before login. It only moves forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Connected; the client's first key-exchange packet has not arrived.
    Greeting,
    /// The client's KEXINIT arrived: key exchange, then authentication.
    KeyExchange,
    LoggedIn,
    /// Shed or past a deadline: the TCP connection is being closed.
    Cut,
}

/// Why the wait for a login ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    LoggedIn,
    KexTimeout,
    AuthTimeout,
    Shed,
}

/// One connection's phase, shared by the gate, the stream, the handler and the task that
/// watches the deadlines. The transitions are atomic, so a login and a cut cannot both win.
pub(crate) struct Conn {
    phase: watch::Sender<Phase>,
}

impl Conn {
    fn new() -> Arc<Conn> {
        Arc::new(Conn {
            phase: watch::Sender::new(Phase::Greeting),
        })
    }

    fn phase(&self) -> Phase {
        *self.phase.borrow()
    }

    fn advance(&self, from: &[Phase], to: Phase) -> bool {
        self.phase.send_if_modified(|p| {
            let moved = from.contains(p);
            if moved {
                *p = to;
            }
            moved
        })
    }

    fn kex_started(&self) {
        self.advance(&[Phase::Greeting], Phase::KeyExchange);
    }

    /// The password was accepted: false when the connection was cut first (too late).
    pub(crate) fn logged_in(&self) -> bool {
        self.advance(&[Phase::Greeting, Phase::KeyExchange], Phase::LoggedIn);
        self.phase() == Phase::LoggedIn
    }

    /// Cuts the connection unless it is logged in; true when it is (now) cut.
    pub(crate) fn cut(&self) -> bool {
        self.advance(&[Phase::Greeting, Phase::KeyExchange], Phase::Cut);
        self.phase() == Phase::Cut
    }

    fn is_cut(&self) -> bool {
        self.phase() == Phase::Cut
    }

    /// Resolves when the connection is logged in, shed, or past its deadline (then it is
    /// marked cut). `kex` is the deadline of the first key-exchange packet, `auth` of
    /// the login.
    pub(crate) async fn wait_login(&self, kex: Instant, auth: Instant) -> End {
        let mut rx = self.phase.subscribe();
        loop {
            let (deadline, late) = match *rx.borrow_and_update() {
                Phase::Greeting => (kex.min(auth), End::KexTimeout),
                Phase::KeyExchange => (auth, End::AuthTimeout),
                Phase::LoggedIn => return End::LoggedIn,
                Phase::Cut => return End::Shed,
            };
            tokio::select! {
                // Never fails: `self` holds the sender.
                _ = rx.changed() => {}
                () = tokio::time::sleep_until(deadline) => {
                    if self.cut() {
                        return late;
                    }
                }
            }
        }
    }
}

/// Sources that logged in recently (see the module doc), by source group.
#[derive(Default)]
pub(crate) struct KnownSources {
    last_login: Mutex<HashMap<String, DateTime<Utc>>>,
}

/// Known sources kept at most before the expired ones are dropped.
const KNOWN_MAX: usize = 10_000;

impl KnownSources {
    pub(crate) fn record(&self, source: &str, at: DateTime<Utc>, days: u32) {
        let mut map = self.last_login.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(source.to_string()).or_insert(at);
        *entry = (*entry).max(at);
        if map.len() > KNOWN_MAX {
            let since = Utc::now() - chrono::Duration::days(days.into());
            map.retain(|_, at| *at > since);
        }
    }

    fn contains(&self, source: &str, days: u32) -> bool {
        let since = Utc::now() - chrono::Duration::days(days.into());
        let map = self.last_login.lock().unwrap_or_else(|e| e.into_inner());
        map.get(source).is_some_and(|at| *at > since)
    }
}

/// The connections not logged in yet, oldest first.
#[derive(Default)]
pub(crate) struct Gate {
    waiting: Mutex<Waiting>,
    pub(crate) known: KnownSources,
}

#[derive(Default)]
struct Waiting {
    next_id: u64,
    list: Vec<Entry>,
}

struct Entry {
    id: u64,
    source: String,
    known: bool,
    conn: Arc<Conn>,
}

impl Waiting {
    /// Whether one more fits among the entries `mine` (at most `cap`). When full, the
    /// oldest of them still greeting is shed (strangers first) and its place given.
    fn make_room(&mut self, mine: impl Fn(&Entry) -> bool, cap: usize) -> bool {
        // A connection whose password was accepted (or that is being cut) holds no place
        // any more, even before its task has given the entry back: the client may open
        // the next connection the moment it reads the acceptance.
        let waiting =
            |e: &&Entry| mine(e) && matches!(e.conn.phase(), Phase::Greeting | Phase::KeyExchange);
        if self.list.iter().filter(waiting).count() < cap {
            return true;
        }
        // Shedding only succeeds while the connection is greeting, and `position` stops
        // at the first success: exactly one connection is shed.
        let mine = &mine;
        let shed = |known: bool| {
            move |e: &Entry| {
                mine(e) && e.known == known && e.conn.advance(&[Phase::Greeting], Phase::Cut)
            }
        };
        let victim = self.list.iter().position(shed(false));
        let victim = victim.or_else(|| self.list.iter().position(shed(true)));
        match victim {
            Some(i) => {
                self.list.remove(i);
                true
            }
            None => false,
        }
    }
}

/// A place among the connections not yet logged in; given back on login, when the
/// connection is cut, or when it ends, however it ends.
pub(crate) struct PreAuth {
    gate: Arc<Gate>,
    id: u64,
    pub(crate) source: String,
    pub(crate) conn: Arc<Conn>,
}

impl Gate {
    /// A place for a new connection from `ip`, or `None` when it is refused.
    pub(crate) fn enter(self: &Arc<Self>, ip: IpAddr, limits: &SshLimits) -> Option<PreAuth> {
        let source = portail::services::security::source_group(Some(ip));
        let known = self.known.contains(&source, limits.known_source_days);
        let (per_source, pool) = if known {
            (
                limits.max_unauthenticated_per_known_source,
                limits.max_unauthenticated,
            )
        } else {
            (
                limits.max_unauthenticated_per_source,
                // Strangers keep one place at least, whatever the reserve.
                limits
                    .max_unauthenticated
                    .saturating_sub(limits.reserved_for_known)
                    .max(1),
            )
        };
        let mut w = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        if !w.make_room(|e| e.source == source, per_source) {
            return None;
        }
        // Strangers count among themselves; a known source among all.
        if !w.make_room(|e| known || !e.known, pool) {
            return None;
        }
        w.next_id += 1;
        let conn = Conn::new();
        let id = w.next_id;
        w.list.push(Entry {
            id,
            source: source.clone(),
            known,
            conn: conn.clone(),
        });
        Some(PreAuth {
            gate: self.clone(),
            id,
            source,
            conn,
        })
    }
}

impl PreAuth {
    /// Logged in: the source becomes known, and the place is given back.
    pub(crate) fn logged_in(self, known_days: u32) {
        self.gate.known.record(&self.source, Utc::now(), known_days);
    }
}

impl Drop for PreAuth {
    fn drop(&mut self) {
        let mut w = self.gate.waiting.lock().unwrap_or_else(|e| e.into_inner());
        w.list.retain(|e| e.id != self.id);
    }
}

/// The server side of the TCP stream as russh sees it: notes when the client's first
/// key-exchange packet has arrived, and reads EOF once the connection is cut (the socket
/// itself is shut down as well, see `server::run_connection`).
pub(crate) struct Watched<S> {
    inner: S,
    conn: Arc<Conn>,
    scan: KexScan,
}

impl<S> Watched<S> {
    pub(crate) fn new(inner: S, conn: Arc<Conn>) -> Self {
        Watched {
            inner,
            conn,
            scan: KexScan::Line { col: 0, ssh: true },
        }
    }
}

/// Finds the end of the client's first binary packet (its KEXINIT, in clear): after the
/// line starting with `SSH-`, a 4-byte length then that many bytes. Only timing depends on
/// it: russh parses and checks the packet itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KexScan {
    Line { col: usize, ssh: bool },
    Length { got: usize, len: u32 },
    Packet { left: u32 },
    Done,
}

impl KexScan {
    /// Takes bytes received, in order; true once the packet is complete.
    fn feed(&mut self, data: &[u8]) -> bool {
        let mut rest = data;
        while let Some((&b, tail)) = rest.split_first() {
            match *self {
                KexScan::Line { col, ssh } => {
                    *self = match b {
                        b'\n' if ssh && col >= 4 => KexScan::Length { got: 0, len: 0 },
                        b'\n' => KexScan::Line { col: 0, ssh: true },
                        _ => KexScan::Line {
                            col: col.saturating_add(1),
                            ssh: ssh && (col >= 4 || b"SSH-"[col] == b),
                        },
                    };
                    rest = tail;
                }
                KexScan::Length { got, len } => {
                    let len = len << 8 | u32::from(b);
                    *self = if got == 3 {
                        KexScan::Packet { left: len }
                    } else {
                        KexScan::Length { got: got + 1, len }
                    };
                    rest = tail;
                }
                KexScan::Packet { left } => {
                    let take = rest.len().min(left as usize);
                    rest = &rest[take..];
                    *self = KexScan::Packet {
                        left: left - take as u32,
                    };
                }
                KexScan::Done => break,
            }
            if *self == (KexScan::Packet { left: 0 }) {
                *self = KexScan::Done;
            }
        }
        *self == KexScan::Done
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.conn.is_cut() {
            return Poll::Ready(Ok(()));
        }
        let before = buf.filled().len();
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if this.scan != KexScan::Done
            && matches!(polled, Poll::Ready(Ok(())))
            && this.scan.feed(&buf.filled()[before..])
        {
            this.conn.kex_started();
        }
        polled
    }
}

// Writes are not stopped: past the key exchange russh may still send the reason of a
// cut; then the socket itself is shut down.
impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Time left to a cut connection's session task to end by itself before we stop waiting
/// (its socket is shut down, so it ends at its next read or write).
pub(crate) const CUT_GRACE: Duration = Duration::from_secs(1);

#[cfg(test)]
mod tests {
    use super::*;

    fn kexinit_bytes() -> Vec<u8> {
        let mut v = b"SSH-2.0-x\r\n".to_vec();
        v.extend_from_slice(&[0, 0, 0, 5, 1, 20, 0, 0, 0]);
        v
    }

    #[test]
    fn kex_scan_finds_the_end_of_the_first_packet_in_any_split() {
        let bytes = kexinit_bytes();
        for cut in 0..=bytes.len() {
            let mut scan = KexScan::Line { col: 0, ssh: true };
            let first = scan.feed(&bytes[..cut]);
            assert_eq!(first, cut == bytes.len(), "split at {cut}");
            assert!(scan.feed(&bytes[cut..]), "split at {cut}");
        }
        // One byte short: not yet; a line before the identification is skipped.
        let mut scan = KexScan::Line { col: 0, ssh: true };
        assert!(!scan.feed(&bytes[..bytes.len() - 1]));
        let mut scan = KexScan::Line { col: 0, ssh: true };
        assert!(!scan.feed(b"hello\r\nSSH-2.0-x\r\n\0\0\0"));
        assert!(!scan.feed(b"\x05\x01\x14"));
        assert!(scan.feed(b"\0\0\0"));
        // The identification alone is not enough.
        let mut scan = KexScan::Line { col: 0, ssh: true };
        assert!(!scan.feed(b"SSH-2.0-x\r\n"));
    }

    fn limits() -> SshLimits {
        SshLimits {
            max_unauthenticated: 4,
            max_unauthenticated_per_source: 2,
            max_unauthenticated_per_known_source: 3,
            reserved_for_known: 2,
            ..SshLimits::default()
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn full_door_sheds_the_oldest_greeting_stranger_and_keeps_the_reserve() {
        let gate = Arc::new(Gate::default());
        let l = limits();
        gate.known
            .record("10.0.0.9", Utc::now(), l.known_source_days);
        let a = gate.enter(ip("10.0.0.1"), &l).unwrap();
        let b = gate.enter(ip("10.0.0.2"), &l).unwrap();
        b.conn.kex_started();
        // Strangers' share (2) full: the oldest greeting one (a) is shed for c.
        let c = gate.enter(ip("10.0.0.3"), &l).unwrap();
        assert!(a.conn.is_cut() && !b.conn.is_cut());
        c.conn.kex_started();
        // Nothing left to shed among strangers: refused.
        assert!(gate.enter(ip("10.0.0.4"), &l).is_none());
        // A known source uses the reserve, up to its own allowance (3) then the total.
        let k1 = gate.enter(ip("10.0.0.9"), &l).unwrap();
        let k2 = gate.enter(ip("10.0.0.9"), &l).unwrap();
        k1.conn.kex_started();
        k2.conn.kex_started();
        assert!(gate.enter(ip("10.0.0.9"), &l).is_none(), "total reached");
        drop(b);
        assert!(gate.enter(ip("10.0.0.9"), &l).is_some(), "place given back");
        // A logged-in connection is never shed.
        assert!(c.conn.logged_in() && !c.conn.cut());
    }

    #[test]
    fn per_source_limit_sheds_that_source_s_own_idle_connection() {
        let gate = Arc::new(Gate::default());
        let l = limits();
        let a = gate.enter(ip("10.0.0.1"), &l).unwrap();
        let b = gate.enter(ip("10.0.0.1"), &l).unwrap();
        b.conn.kex_started();
        let _c = gate.enter(ip("10.0.0.1"), &l).unwrap();
        assert!(a.conn.is_cut() && !b.conn.is_cut());
        // A cut connection cannot log in any more.
        assert!(!a.conn.logged_in());
    }

    #[test]
    fn an_accepted_login_frees_its_place_before_its_task_gives_it_back() {
        let gate = Arc::new(Gate::default());
        let l = limits();
        let a = gate.enter(ip("10.0.0.1"), &l).unwrap();
        let b = gate.enter(ip("10.0.0.1"), &l).unwrap();
        a.conn.kex_started();
        b.conn.kex_started();
        // The source's two places are taken by clients talking SSH: nothing to shed.
        assert!(gate.enter(ip("10.0.0.1"), &l).is_none());
        // a's password is accepted; its PreAuth is still alive (its task has not run yet).
        assert!(a.conn.logged_in());
        let c = gate.enter(ip("10.0.0.1"), &l);
        assert!(c.is_some(), "a logged-in connection still held a place");
        assert!(!b.conn.is_cut());
        drop(a);
    }
}
