//! The HTTPS connection loop: our own accept loop (like the SSH one) so that every
//! connection is bounded in number and in time, whatever state it stalls in.
//!
//! accept → a place among the HTTPS connections (in total and per source, refused at
//! once when full) → TLS handshake under a deadline → HTTP/1.1 (hyper) serving the axum
//! router, watched by deadlines: the request head, the wait for the next request on a
//! kept-alive connection, and no progress at all while a request is being served.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Bytes, HttpBody};
use axum::extract::ConnectInfo;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;

/// Deadlines and caps of the HTTPS door (the defaults are the policy; tests shrink them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsLimits {
    /// From the TCP connection to the end of the TLS handshake.
    pub handshake_timeout: Duration,
    /// From the end of the handshake to the end of the first request's head; and, on a
    /// kept-alive connection, from the first byte of a request to the end of its head.
    pub header_timeout: Duration,
    /// How long a kept-alive connection may wait, silent, for its next request.
    pub keepalive_timeout: Duration,
    /// While a request is being served: the longest time with not one byte read from or
    /// written to the client (a stalled upload, a client that stopped reading).
    pub stall_timeout: Duration,
    /// Open HTTPS connections, in all and per source (IPv4 address or IPv6 /64).
    pub max_connections: usize,
    pub max_connections_per_source: usize,
}

impl Default for HttpsLimits {
    fn default() -> Self {
        Self {
            handshake_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            keepalive_timeout: Duration::from_secs(15),
            stall_timeout: Duration::from_secs(60),
            max_connections: 1024,
            max_connections_per_source: 64,
        }
    }
}

/// Counts open HTTPS connections, in all and per source.
#[derive(Default)]
pub(crate) struct Gate {
    state: Mutex<GateState>,
}

#[derive(Default)]
struct GateState {
    total: usize,
    per_source: HashMap<String, usize>,
}

/// A place among the open HTTPS connections; given back when the connection ends.
pub(crate) struct Place {
    gate: Arc<Gate>,
    source: String,
}

impl Gate {
    pub(crate) fn enter(self: &Arc<Self>, ip: IpAddr, limits: &HttpsLimits) -> Option<Place> {
        let source = portail::services::security::source_group(Some(ip));
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mine = st.per_source.get(&source).copied().unwrap_or(0);
        if st.total >= limits.max_connections || mine >= limits.max_connections_per_source {
            return None;
        }
        st.total += 1;
        *st.per_source.entry(source.clone()).or_default() += 1;
        Some(Place {
            gate: self.clone(),
            source,
        })
    }

    pub(crate) fn open(&self) -> usize {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut st = self.gate.state.lock().unwrap_or_else(|e| e.into_inner());
        st.total = st.total.saturating_sub(1);
        if let Some(n) = st.per_source.get_mut(&self.source) {
            *n -= 1;
            if *n == 0 {
                st.per_source.remove(&self.source);
            }
        }
    }
}

/// Where the server is in its life: connections watch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    Serving,
    /// Stop accepting; connections finish the request in flight, then close.
    Draining,
    /// Close everything now.
    Closing,
}

/// Returns once the server has reached `at` (or is gone).
async fn reached(phase: &mut watch::Receiver<Phase>, at: Phase) {
    let _ = phase.wait_for(|p| *p >= at).await.map(|_| ());
}

/// What a connection is doing, as the deadlines see it.
struct Activity {
    /// Requests dispatched whose response body is not yet fully handed to hyper.
    in_flight: usize,
    /// Responses completed on this connection.
    served: u64,
    /// When the connection became ready for its current (or next) request.
    idle_since: Instant,
    /// First byte read while no request was in flight (the start of the next head).
    head_started: Option<Instant>,
    /// Last byte read or written.
    last_io: Instant,
}

impl Activity {
    fn new(now: Instant) -> Activity {
        Activity {
            in_flight: 0,
            served: 0,
            idle_since: now,
            head_started: None,
            last_io: now,
        }
    }

    /// When this connection is to be cut if nothing changes, and why.
    fn deadline(&self, limits: &HttpsLimits) -> (Instant, &'static str) {
        if self.in_flight > 0 {
            (self.last_io + limits.stall_timeout, "aucun échange")
        } else if self.served == 0 {
            (self.idle_since + limits.header_timeout, "en-tête incomplet")
        } else if let Some(start) = self.head_started {
            (start + limits.header_timeout, "en-tête incomplet")
        } else {
            (self.idle_since + limits.keepalive_timeout, "keep-alive")
        }
    }

    fn read(&mut self, now: Instant) {
        self.last_io = now;
        if self.in_flight == 0 && self.head_started.is_none() {
            self.head_started = Some(now);
        }
    }
}

type Shared = Arc<Mutex<Activity>>;

fn lock(a: &Shared) -> std::sync::MutexGuard<'_, Activity> {
    a.lock().unwrap_or_else(|e| e.into_inner())
}

/// The TLS stream, noting when bytes go through.
struct Tracked<S> {
    inner: S,
    activity: Shared,
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let res = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(res, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            lock(&self.activity).read(Instant::now());
        }
        res
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let res = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(res, Poll::Ready(Ok(n)) if n > 0) {
            lock(&self.activity).last_io = Instant::now();
        }
        res
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let res = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(res, Poll::Ready(Ok(n)) if n > 0) {
            lock(&self.activity).last_io = Instant::now();
        }
        res
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A request in flight; over when its response body has been handed over (or dropped).
struct InFlight(Shared);

impl InFlight {
    fn start(activity: &Shared) -> InFlight {
        let mut a = lock(activity);
        a.in_flight += 1;
        a.head_started = None;
        InFlight(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut a = lock(&self.0);
        a.in_flight = a.in_flight.saturating_sub(1);
        if a.in_flight == 0 {
            let now = Instant::now();
            a.served += 1;
            a.idle_since = now;
            a.head_started = None;
        }
    }
}

/// The router's response body, ending the request's in-flight time when it is dropped.
pub(crate) struct Guarded {
    inner: axum::body::Body,
    _in_flight: InFlight,
}

impl HttpBody for Guarded {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Rate-limited warnings (a flood must not flood the log too).
struct Quiet {
    last: Option<Instant>,
    skipped: u64,
}

impl Quiet {
    fn new() -> Quiet {
        Quiet {
            last: None,
            skipped: 0,
        }
    }

    /// `Some(n skipped since the last one)` when a line may be written now.
    fn allow(&mut self) -> Option<u64> {
        let now = Instant::now();
        if self
            .last
            .is_some_and(|t| now.duration_since(t) < Duration::from_secs(10))
        {
            self.skipped += 1;
            return None;
        }
        self.last = Some(now);
        Some(std::mem::take(&mut self.skipped))
    }
}

/// The accept loop; returns when the phase leaves `Serving` (the listener is dropped then,
/// so new connections are refused by the kernel).
pub(crate) async fn accept_loop(
    listener: TcpListener,
    tls: TlsAcceptor,
    app: Router,
    limits: HttpsLimits,
    gate: Arc<Gate>,
    mut phase: watch::Receiver<Phase>,
) {
    let mut accept_errors = Quiet::new();
    let mut refusals = Quiet::new();
    loop {
        let (socket, peer) = tokio::select! {
            () = reached(&mut phase, Phase::Draining) => return,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    if let Some(skipped) = accept_errors.allow() {
                        tracing::warn!(skipped, "accept HTTPS : {e}");
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Some(place) = gate.enter(peer.ip(), &limits) else {
            tracing::debug!(%peer, "trop de connexions HTTPS : refusée");
            if let Some(skipped) = refusals.allow() {
                tracing::warn!(
                    %peer,
                    skipped,
                    "trop de connexions HTTPS (limite totale {} ou par source {}) : refusée",
                    limits.max_connections,
                    limits.max_connections_per_source
                );
            }
            drop(socket);
            continue;
        };
        let _ = socket.set_nodelay(true);
        tokio::spawn(connection(
            socket,
            peer,
            place,
            tls.clone(),
            app.clone(),
            limits.clone(),
            phase.clone(),
        ));
    }
}

async fn connection(
    socket: TcpStream,
    peer: SocketAddr,
    place: Place,
    tls: TlsAcceptor,
    app: Router,
    limits: HttpsLimits,
    mut phase: watch::Receiver<Phase>,
) {
    let _place = place;
    let stream = tokio::select! {
        () = reached(&mut phase, Phase::Draining) => return,
        r = tokio::time::timeout(limits.handshake_timeout, tls.accept(socket)) => match r {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => {
                tracing::debug!(%peer, "poignée de main TLS : {e}");
                return;
            }
            Err(_) => {
                tracing::debug!(%peer, "poignée de main TLS trop lente : coupée");
                return;
            }
        },
    };
    let activity: Shared = Arc::new(Mutex::new(Activity::new(Instant::now())));
    let io = TokioIo::new(Tracked {
        inner: stream,
        activity: activity.clone(),
    });
    let service = {
        let activity = activity.clone();
        hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            // Handlers may take `ConnectInfo<SocketAddr>`, as with axum's own server.
            req.extensions_mut().insert(ConnectInfo(peer));
            let in_flight = InFlight::start(&activity);
            let mut router = app.clone();
            async move {
                let resp = tower_service::Service::call(&mut router, req).await?;
                Ok::<_, Infallible>(resp.map(|inner| Guarded {
                    inner,
                    _in_flight: in_flight,
                }))
            }
        })
    };
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        // Our watchdog enforces the head and keep-alive deadlines precisely; hyper's own
        // head timer is a backstop behind them.
        .header_read_timeout(limits.header_timeout + limits.keepalive_timeout)
        .keep_alive(true)
        .max_buf_size(64 * 1024);
    // Upgrades (WebSocket) stay possible.
    let conn = http.serve_connection(io, service).with_upgrades();
    tokio::pin!(conn);
    let watchdog = async {
        loop {
            let (at, why) = lock(&activity).deadline(&limits);
            if Instant::now() >= at {
                return why;
            }
            tokio::time::sleep_until(at).await;
        }
    };
    tokio::select! {
        r = conn.as_mut() => {
            if let Err(e) = r {
                tracing::debug!(%peer, "connexion HTTPS : {e}");
            }
        }
        why = watchdog => {
            tracing::debug!(%peer, "connexion HTTPS coupée : délai dépassé ({why})");
        }
        () = reached(&mut phase, Phase::Draining) => {
            // Finish the request in flight (bounded by the watchdog and by `Closing`).
            conn.as_mut().graceful_shutdown();
            let watchdog = async {
                loop {
                    let (at, _) = lock(&activity).deadline(&limits);
                    if Instant::now() >= at {
                        return;
                    }
                    tokio::time::sleep_until(at).await;
                }
            };
            tokio::select! {
                _ = conn.as_mut() => {}
                () = watchdog => {}
                () = reached(&mut phase, Phase::Closing) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> HttpsLimits {
        HttpsLimits {
            handshake_timeout: Duration::from_secs(1),
            header_timeout: Duration::from_secs(10),
            keepalive_timeout: Duration::from_secs(5),
            stall_timeout: Duration::from_secs(60),
            max_connections: 3,
            max_connections_per_source: 2,
        }
    }

    #[test]
    fn gate_caps_in_total_and_per_source_and_gives_places_back() {
        let gate = Arc::new(Gate::default());
        let l = limits();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let a1 = gate.enter(a, &l).unwrap();
        let _a2 = gate.enter(a, &l).unwrap();
        assert!(gate.enter(a, &l).is_none(), "per source");
        let _b1 = gate.enter(b, &l).unwrap();
        assert!(gate.enter(b, &l).is_none(), "in total");
        drop(a1);
        assert_eq!(gate.open(), 2);
        assert!(gate.enter(b, &l).is_some());
        // One IPv6 /64 is one source.
        let gate = Arc::new(Gate::default());
        let _x = gate.enter("2001:db8::1".parse().unwrap(), &l).unwrap();
        let _y = gate.enter("2001:db8::2".parse().unwrap(), &l).unwrap();
        assert!(gate.enter("2001:db8::3".parse().unwrap(), &l).is_none());
        assert!(gate.enter("2001:db8:0:1::3".parse().unwrap(), &l).is_some());
    }

    #[test]
    fn deadlines_follow_the_connection_state() {
        let l = limits();
        let s = Duration::from_secs;
        let t0 = Instant::now();
        let shared: Shared = Arc::new(Mutex::new(Activity::new(t0)));
        // First request: the head deadline from the handshake on, bytes or not.
        assert_eq!(
            lock(&shared).deadline(&l),
            (t0 + s(10), "en-tête incomplet")
        );
        lock(&shared).read(t0 + s(3));
        assert_eq!(lock(&shared).deadline(&l).0, t0 + s(10));
        // Serving: the stall deadline moves with every byte.
        let req = InFlight::start(&shared);
        lock(&shared).read(t0 + s(4));
        assert_eq!(lock(&shared).deadline(&l), (t0 + s(64), "aucun échange"));
        lock(&shared).last_io = t0 + s(5);
        assert_eq!(lock(&shared).deadline(&l).0, t0 + s(65));
        // Done: waiting silently for the next request is the keep-alive deadline…
        drop(req);
        let idle = lock(&shared).idle_since;
        assert!(idle >= t0);
        assert_eq!(lock(&shared).deadline(&l), (idle + s(5), "keep-alive"));
        // …and once its first byte came, the head deadline from that byte.
        lock(&shared).read(idle + s(1));
        lock(&shared).read(idle + s(2));
        assert_eq!(
            lock(&shared).deadline(&l),
            (idle + s(11), "en-tête incomplet")
        );
        // The next request is served: the stall deadline again, then keep-alive.
        let req = InFlight::start(&shared);
        assert_eq!(lock(&shared).deadline(&l).1, "aucun échange");
        drop(req);
        assert_eq!(lock(&shared).deadline(&l).1, "keep-alive");
        assert_eq!(lock(&shared).served, 2);
    }
}
