//! The russh host: password authentication through the core, one task per channel.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use portail::events::Event;
use portail::i18n::{Key, t, tf};
use portail::services::CoreOptions;
use portail::services::accounts::{InitialAccount, LoginOutcome};
use portail::services::demo::DemoSeed;
use portail::{Error, Portail};
use portail_web::{TlsSource, WebServer, WebState};
use russh::server::{Auth, Handler, Msg, Session};
use russh::{Channel, ChannelId, Disconnect, MethodKind, MethodSet};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;

use crate::config::{Settings, SshLimits, public_url};
use crate::door::{self, Conn, End, Gate, PreAuth, Watched};
use crate::host_key;
use crate::session::{self, SessionCtx};

/// A running Portail: SSH and HTTPS listening, the core open.
pub struct Running {
    pub ssh_addr: SocketAddr,
    pub https_addr: SocketAddr,
    pub public_url: String,
    pub host_key_fingerprint: String,
    /// Set on the very first start: the trainer account to print once.
    pub initial_account: Option<InitialAccount>,
    /// Set when demo data was seeded by this start.
    pub demo: Option<DemoSeed>,
    pub portail: Portail,
    sessions: Arc<AtomicUsize>,
    ssh_handle: SshHandle,
    ssh_task: tokio::task::JoinHandle<std::io::Result<()>>,
    web: WebServer,
}

impl Running {
    /// Channel tasks alive right now (PTY sessions and exec commands).
    pub fn active_sessions(&self) -> usize {
        self.sessions.load(Ordering::SeqCst)
    }

    /// HTTPS connections open right now (from accept to close, handshake included).
    pub fn https_connections(&self) -> usize {
        self.web.open_connections()
    }

    /// Stops both doors: sessions get a notice and a clean terminal, then connections
    /// close, HTTPS drains, the store closes.
    pub async fn shutdown(self) {
        self.portail.bus().publish(Event::ShuttingDown);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
        while self.sessions.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.ssh_handle
            .shutdown(portail::i18n::t(portail::Lang::Fr, portail::i18n::Key::ShuttingDown).into());
        let _ = tokio::time::timeout(Duration::from_secs(3), self.ssh_task).await;
        self.web.shutdown().await;
        self.portail.store().close().await;
    }
}

/// Starts Portail with these settings. Ports may be 0 (tests): the bound addresses are
/// in the result.
pub async fn start(settings: &Settings, demo: bool) -> anyhow::Result<Running> {
    // Safe to call more than once; the first provider installed wins.
    let _ = rustls::crypto::ring::default_provider().install_default();

    // Every connection is a descriptor: take all the process may have, and size the
    // HTTPS cap so that SSH and HTTPS cannot starve each other of them.
    let soft = match crate::fdlimit::raise_nofile() {
        Ok(n) => {
            tracing::info!(
                "descripteurs de fichiers : limite souple {} → {} (limite dure {})",
                n.before,
                n.soft,
                n.hard
            );
            n.soft
        }
        Err(e) => {
            tracing::warn!("limite de descripteurs de fichiers illisible : {e}");
            1024
        }
    };
    let https_limits =
        crate::fdlimit::size_https(settings.https_limits.clone(), soft, &settings.limits);
    if https_limits.max_connections < settings.https_limits.max_connections {
        tracing::warn!(
            "connexions HTTPS limitées à {} (au lieu de {}) pour tenir sous la limite de \
             {soft} descripteurs",
            https_limits.max_connections,
            settings.https_limits.max_connections
        );
    }

    // The public URL needs the bound port, so bind first, then build the router.
    let std_listener = std::net::TcpListener::bind(settings.https_addr)
        .with_context(|| format!("écoute HTTPS sur {}", settings.https_addr))?;
    let https_addr = std_listener.local_addr()?;
    let public_url = public_url(settings.public_url.as_deref(), https_addr);
    let options = CoreOptions {
        activation_ttl: chrono::Duration::days(settings.activation_days.into()),
        link_ttl: chrono::Duration::hours(settings.link_hours.into()),
        public_url: public_url.clone(),
        time_zone: settings.timezone,
        import_max_bytes: u64::from(settings.import_max_mib) * 1024 * 1024,
        login_limits: settings.login_limits,
        activity: settings.activity,
        image_max_pixels: u64::from(settings.image_max_megapixels) * 1_000_000,
        ..CoreOptions::default()
    };
    let portail = Portail::open(&settings.data_dir, options)
        .await
        .with_context(|| format!("ouverture de la base dans {}", settings.data_dir.display()))?;
    let key = host_key::load_or_generate(&settings.host_key_dir)?;
    let host_key_fingerprint = host_key::fingerprint(&key);
    let config = Arc::new(ssh_config(key, &settings.limits));

    let ssh_listener = TcpListener::bind(settings.ssh_addr)
        .await
        .with_context(|| format!("écoute SSH sur {}", settings.ssh_addr))?;
    let ssh_addr = ssh_listener.local_addr()?;

    let tls_source = match (&settings.tls_cert, &settings.tls_key) {
        (Some(cert), Some(key)) => TlsSource::Files {
            cert: cert.clone(),
            key: key.clone(),
        },
        _ => TlsSource::SelfSigned {
            dir: settings.data_dir.join("tls"),
            names: portail_web::certificate_names(&public_url, https_addr),
        },
    };
    let tls = portail_web::tls_config(&tls_source).await?;
    let app = portail_web::router(WebState::new(portail.clone(), public_url.clone()));
    let web = WebServer::start_on(std_listener, tls, app, https_limits).await?;

    // Only now that every port is bound and every key loaded: the first trainer's password
    // is printed by the caller, so it must not be created by a start that then fails.
    let initial_account = portail.ensure_first_trainer().await?;
    let demo = if demo {
        Some(portail.seed_demo().await?)
    } else {
        None
    };

    let sessions = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(Gate::default());
    // Known sources survive a restart: they come from the logins of the activity log.
    let since =
        chrono::Utc::now() - chrono::Duration::days(settings.limits.known_source_days.into());
    for (source, at) in portail.login_sources_since(since).await? {
        gate.known
            .record(&source, at, settings.limits.known_source_days);
    }
    let server = SshServer {
        portail: portail.clone(),
        sessions: sessions.clone(),
        limits: settings.limits.clone(),
        gate,
        per_user: Arc::new(Mutex::new(HashMap::new())),
    };
    let (shutdown_tx, _) = broadcast::channel(1);
    let ssh_handle = SshHandle(shutdown_tx.clone());
    let ssh_task = tokio::spawn(server.serve(config, ssh_listener, shutdown_tx));

    Ok(Running {
        ssh_addr,
        https_addr,
        public_url,
        host_key_fingerprint,
        initial_account,
        demo,
        portail,
        sessions,
        ssh_handle,
        ssh_task,
        web,
    })
}

/// The russh configuration: password only, no compression, our own attempt counter.
fn ssh_config(key: russh::keys::PrivateKey, limits: &SshLimits) -> russh::server::Config {
    russh::server::Config {
        server_id: russh::SshId::Standard("SSH-2.0-Portail".into()),
        methods: MethodSet::from(&[MethodKind::Password][..]),
        // The argon2 verification is the delay: a wrong password is answered after the
        // same time as a right one, and unknown users cost the same.
        auth_rejection_time: Duration::ZERO,
        auth_rejection_time_initial: Some(Duration::ZERO),
        // Our own counter enforces `max_auth_attempts` password tries (the client's
        // initial "none" probe must not eat one); this is only a backstop.
        max_auth_attempts: limits.max_auth_attempts + 2,
        keys: vec![key],
        // Never compress: no zlib code on the input path (decompression bombs), and the
        // frames are small. (russh is built without its `flate2` feature as well.)
        preferred: russh::Preferred {
            compression: std::borrow::Cow::Borrowed(&[russh::compression::NONE]),
            ..Default::default()
        },
        // Connection-level silence: well above the session idle timeout (the client
        // answers keepalives, so this only reaps dead peers).
        inactivity_timeout: Some(limits.idle_timeout + Duration::from_secs(15 * 60)),
        keepalive_interval: Some(Duration::from_secs(60)),
        nodelay: true,
        ..Default::default()
    }
}

/// Stops the SSH accept loop and disconnects every connection with a reason.
#[derive(Clone)]
struct SshHandle(broadcast::Sender<String>);

impl SshHandle {
    fn shutdown(&self, reason: String) {
        let _ = self.0.send(reason);
    }
}

/// Open sessions per account.
type PerUser = Arc<Mutex<HashMap<i64, usize>>>;

/// One session of an account; given back when the session task ends.
pub(crate) struct UserSession {
    per_user: PerUser,
    user: i64,
}

impl UserSession {
    fn try_new(per_user: &PerUser, user: i64, max: usize) -> Option<UserSession> {
        let mut map = per_user.lock().unwrap_or_else(|e| e.into_inner());
        let n = map.entry(user).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(UserSession {
            per_user: per_user.clone(),
            user,
        })
    }
}

impl Drop for UserSession {
    fn drop(&mut self) {
        let mut map = self.per_user.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.user) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.user);
            }
        }
    }
}

struct SshServer {
    portail: Portail,
    sessions: Arc<AtomicUsize>,
    limits: SshLimits,
    gate: Arc<Gate>,
    per_user: PerUser,
}

impl SshServer {
    /// Our accept loop (instead of russh's): it refuses connections over the
    /// not-logged-in limits before any SSH byte, and cuts those that are not logged in
    /// within the authentication deadline.
    async fn serve(
        self,
        config: Arc<russh::server::Config>,
        listener: TcpListener,
        shutdown: broadcast::Sender<String>,
    ) -> std::io::Result<()> {
        let mut stop = shutdown.subscribe();
        loop {
            let (socket, peer) = tokio::select! {
                _ = stop.recv() => return Ok(()),
                accepted = listener.accept() => match accepted {
                    Ok(pair) => pair,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, do not spin.
                        tracing::warn!("accept SSH : {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
            };
            let Some(pre_auth) = self.gate.enter(peer.ip(), &self.limits) else {
                tracing::info!(%peer, "trop de connexions non authentifiées : refusée");
                drop(socket);
                continue;
            };
            let _ = socket.set_nodelay(true);
            let handler = Connection {
                portail: self.portail.clone(),
                sessions: self.sessions.clone(),
                per_user: self.per_user.clone(),
                limits: self.limits.clone(),
                peer: Some(peer),
                login: None,
                password_attempts: 0,
                conn: pre_auth.conn.clone(),
                gate: self.gate.clone(),
                source: pre_auth.source.clone(),
                pty_owner: Arc::new(Mutex::new(None)),
            };
            tokio::spawn(run_connection(
                config.clone(),
                socket,
                peer,
                handler,
                pre_auth,
                self.limits.clone(),
                shutdown.subscribe(),
            ));
        }
    }
}

/// One connection, from accept to close.
///
/// Russh's `run_stream` spawns the session task, which owns the socket; dropping its
/// handle does not stop that task. So the deadlines, the shedding and the shutdown do not
/// ask the SSH layer: they shut down the TCP socket itself through a duplicate of it
/// (whatever the handshake state, the task's next read sees EOF and it ends, closing its
/// copy), and give the place back at once.
async fn run_connection(
    config: Arc<russh::server::Config>,
    socket: TcpStream,
    peer: SocketAddr,
    handler: Connection,
    pre_auth: PreAuth,
    limits: SshLimits,
    mut stop: broadcast::Receiver<String>,
) {
    let (socket, cutter) = match with_cutter(socket) {
        Ok(pair) => pair,
        Err(e) => {
            tracing::warn!(%peer, "connexion SSH : {e}");
            return;
        }
    };
    let conn = pre_auth.conn.clone();
    let start = tokio::time::Instant::now();
    let waiting = conn.wait_login(start + limits.kex_timeout, start + limits.auth_timeout);
    tokio::pin!(waiting);
    // Until the client's identification is read the socket is ours: returning closes it.
    let stream = Watched::new(socket, conn.clone());
    let session = tokio::select! {
        session = russh::server::run_stream(config, stream, handler) => match session {
            Ok(session) => session,
            Err(e) => {
                tracing::debug!(%peer, "connexion SSH avortée : {e:#}");
                return;
            }
        },
        end = &mut waiting => {
            log_end(peer, end);
            return;
        }
        _ = stop.recv() => return,
    };
    let handle = session.handle();
    let mut session = session;
    let reason = tokio::select! {
        result = &mut session => return log_session_end(peer, result),
        reason = stop.recv() => reason.unwrap_or_default(),
        end = &mut waiting => {
            log_end(peer, end);
            match end {
                End::LoggedIn => {
                    pre_auth.logged_in(limits.known_source_days);
                    drop(cutter);
                    return logged_in(session, handle, stop, peer).await;
                }
                // Still in the clear: no message could reach the person.
                End::KexTimeout | End::Shed => {
                    drop(pre_auth);
                    return cut(&cutter, session, Duration::ZERO).await;
                }
                End::AuthTimeout => t(portail::Lang::Fr, Key::AuthTimeout).to_string(),
            }
        }
    };
    conn.cut();
    drop(pre_auth);
    // Past the key exchange russh can still say why; then the socket is cut anyway.
    disconnect(&handle, reason).await;
    cut(&cutter, session, door::CUT_GRACE).await;
}

/// A logged-in connection: it lives until the session ends or the server stops.
async fn logged_in(
    mut session: russh::server::RunningSession<Connection>,
    handle: russh::server::Handle,
    mut stop: broadcast::Receiver<String>,
    peer: SocketAddr,
) {
    tokio::select! {
        result = &mut session => log_session_end(peer, result),
        reason = stop.recv() => {
            disconnect(&handle, reason.unwrap_or_default()).await;
            let _ = tokio::time::timeout(Duration::from_secs(3), session).await;
        }
    }
}

async fn disconnect(handle: &russh::server::Handle, reason: String) {
    let _ = tokio::time::timeout(
        door::CUT_GRACE,
        handle.disconnect(Disconnect::ByApplication, reason, "fr".into()),
    )
    .await;
}

fn log_session_end(peer: SocketAddr, result: anyhow::Result<()>) {
    if let Err(e) = result {
        tracing::debug!(%peer, "session SSH terminée : {e:#}");
    }
}

/// The stream for russh, and a duplicate of the same socket to shut it down from outside.
fn with_cutter(socket: TcpStream) -> std::io::Result<(TcpStream, std::net::TcpStream)> {
    let socket = socket.into_std()?;
    let cutter = socket.try_clone()?;
    Ok((TcpStream::from_std(socket)?, cutter))
}

/// Lets the session end by itself for `grace`, then shuts the socket down (the peer
/// sees the connection closed at once) and waits a little for the task to end.
async fn cut<F: std::future::Future + Unpin>(
    cutter: &std::net::TcpStream,
    mut session: F,
    grace: Duration,
) {
    if tokio::time::timeout(grace, &mut session).await.is_ok() {
        return;
    }
    let _ = cutter.shutdown(std::net::Shutdown::Both);
    let _ = tokio::time::timeout(Duration::from_secs(3), session).await;
}

fn log_end(peer: SocketAddr, end: End) {
    match end {
        End::LoggedIn => {}
        End::KexTimeout => tracing::info!(%peer, "délai d'échange de clés dépassé : coupée"),
        End::AuthTimeout => tracing::info!(%peer, "délai d'authentification dépassé"),
        End::Shed => tracing::info!(
            %peer,
            "trop de connexions non authentifiées : la plus ancienne inactive est coupée"
        ),
    }
}

/// One SSH connection.
struct Connection {
    portail: Portail,
    sessions: Arc<AtomicUsize>,
    per_user: PerUser,
    limits: SshLimits,
    peer: Option<SocketAddr>,
    login: Option<LoginOutcome>,
    password_attempts: usize,
    /// Where the connection stands before login (deadlines, shedding).
    conn: Arc<Conn>,
    /// The door and this connection's source group: a login makes the source known.
    gate: Arc<Gate>,
    source: String,
    /// The channel that holds this connection's one PTY, if any.
    pty_owner: Arc<Mutex<Option<ChannelId>>>,
}

/// The SSH banner of a refused source: in French, like everything said before login (the
/// person's language is not known yet). `None` when nothing is refused there.
async fn block_banner(portail: &Portail, ip: Option<std::net::IpAddr>) -> Option<String> {
    let notice = match portail.block_notice(ip).await {
        Ok(n) => n?,
        Err(e) => {
            tracing::error!("bannière de blocage : {e}");
            return None;
        }
    };
    let key = if notice.whole_source {
        Key::SecBannerSource
    } else {
        Key::SecBannerAccount
    };
    let minutes = portail::present::minutes_left(chrono::Utc::now(), notice.until);
    Some(format!(
        "{}\n",
        tf(portail::Lang::Fr, key, &[&minutes.to_string()])
    ))
}

/// A rejection that keeps offering password authentication (OpenSSH retries only then).
fn reject_password() -> Auth {
    Auth::Reject {
        proceed_with_methods: Some(MethodSet::from(&[MethodKind::Password][..])),
        partial_success: false,
    }
}

impl Handler for Connection {
    type Error = anyhow::Error;

    /// Sent before the password prompt (the user name is not known yet): when this source
    /// is refused, why and for how long. Nothing otherwise.
    async fn authentication_banner(&mut self) -> Result<Option<String>, Self::Error> {
        Ok(block_banner(&self.portail, self.peer.map(|p| p.ip())).await)
    }

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(reject_password())
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        self.password_attempts += 1;
        if self.password_attempts > self.limits.max_auth_attempts {
            tracing::info!(peer = ?self.peer, "trop d'essais : connexion coupée");
            anyhow::bail!("too many authentication attempts");
        }
        match self
            .portail
            .login(user, password, self.peer.map(|p| p.ip()))
            .await
        {
            Ok(outcome) => {
                // Cut meanwhile (deadline, shedding, shutdown): too late to log in.
                if !self.conn.logged_in() {
                    anyhow::bail!("connection cut before the login");
                }
                // Known at once, before the client can open its next connection (the
                // connection's own task records it too, later).
                self.gate.known.record(
                    &self.source,
                    chrono::Utc::now(),
                    self.limits.known_source_days,
                );
                tracing::info!(user = %outcome.user.email, peer = ?self.peer, "connexion");
                self.login = Some(outcome);
                Ok(Auth::Accept)
            }
            Err(Error::InvalidCredentials) => {
                tracing::info!(peer = ?self.peer, "échec d'authentification");
                Ok(reject_password())
            }
            // Refused unchecked (brute-force protection): nothing more to try here.
            Err(Error::TooManyAttempts) => {
                tracing::info!(peer = ?self.peer, "trop d'échecs : connexion coupée");
                anyhow::bail!("too many failed logins from this source");
            }
            Err(e) => {
                tracing::error!("authentification : {e}");
                Ok(reject_password())
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // The account as it is now, not as it was at login: a connection kept open
        // (ControlMaster) must not keep the rights of a since-disabled account.
        let current = match &self.login {
            Some(login) => self.portail.whoami(&login.actor).await.ok(),
            None => None,
        };
        let (Some(mut login), Some(user)) = (self.login.clone(), current) else {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        };
        login.actor.role = user.role;
        login.user = user;
        reply.accept().await;
        let guard = session::SessionGuard::new(self.sessions.clone());
        let Some(slot) = UserSession::try_new(
            &self.per_user,
            login.user.id,
            self.limits.max_sessions_per_user,
        ) else {
            let lang = login.user.language;
            let max = self.limits.max_sessions_per_user.to_string();
            tokio::spawn(async move {
                let _guard = guard;
                session::refuse(channel, tf(lang, Key::TooManySessions, &[&max])).await;
            });
            return Ok(());
        };
        let ctx = SessionCtx {
            portail: self.portail.clone(),
            login,
            idle_timeout: self.limits.idle_timeout,
            pty_owner: self.pty_owner.clone(),
        };
        tokio::spawn(async move {
            let _guard = guard;
            let _slot = slot;
            session::run(channel, ctx).await;
        });
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _col_width: u32,
        _row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One PTY per connection: a second one (ControlMaster, a hand-made client) is
        // refused; its session task then refuses the shell with a message.
        let mut owner = self.pty_owner.lock().unwrap_or_else(|e| e.into_inner());
        match *owner {
            Some(other) if other != channel => session.channel_failure(channel)?,
            _ => {
                *owner = Some(channel);
                session.channel_success(channel)?;
            }
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let mut owner = self.pty_owner.lock().unwrap_or_else(|e| e.into_inner());
        if *owner == Some(channel) {
            *owner = None;
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_is_never_offered() {
        let dir = tempfile::tempdir().unwrap();
        let key = host_key::load_or_generate(dir.path()).unwrap();
        let config = ssh_config(key, &SshLimits::default());
        let offered: Vec<&str> = config
            .preferred
            .compression
            .iter()
            .map(|c| c.as_ref())
            .collect();
        assert_eq!(offered, vec!["none"]);
        assert_eq!(
            config.max_auth_attempts,
            SshLimits::default().max_auth_attempts + 2
        );
    }

    /// The SSH library stays above every published advisory (see the README's security
    /// section): Terrapin < 0.40.2, window-adjust overflow < 0.54.1, pre-banner input and
    /// allocation-first parsing < 0.61.0, zlib bomb < 0.61.1, channel lifecycle < 0.62.5,
    /// zero maximum packet size < 0.65.0.
    #[test]
    fn russh_in_the_lockfile_has_the_known_advisories_fixed() {
        let lock = include_str!("../../Cargo.lock");
        let mut versions = lock
            .split("[[package]]")
            .filter(|p| p.contains("\nname = \"russh\"\n"))
            .filter_map(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
            .map(|v| {
                v.trim_end_matches('"')
                    .split('.')
                    .map(|n| n.parse::<u32>().unwrap_or(0))
                    .collect::<Vec<u32>>()
            })
            .peekable();
        assert!(versions.peek().is_some(), "russh not found in Cargo.lock");
        for v in versions {
            assert!(v >= vec![0, 65, 0], "russh {v:?} has known advisories");
        }
    }
}
