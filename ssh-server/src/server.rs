//! The russh host: password authentication through the core, one task per channel.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Context;
use portail::events::Event;
use portail::services::CoreOptions;
use portail::services::accounts::{InitialAccount, LoginOutcome};
use portail::services::demo::DemoSeed;
use portail::{Error, Portail};
use portail_web::{TlsSource, WebServer, WebState};
use russh::server::{Auth, Handler, Msg, RunningServerHandle, Server as _, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet};
use tokio::net::TcpListener;

use crate::config::{Settings, public_url};
use crate::host_key;
use crate::session::{self, SessionCtx};

/// Most password attempts on one connection.
pub const MAX_AUTH_ATTEMPTS: usize = 6;

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
    ssh_handle: RunningServerHandle,
    ssh_task: tokio::task::JoinHandle<std::io::Result<()>>,
    web: WebServer,
}

impl Running {
    /// Channel tasks alive right now (PTY sessions and exec commands).
    pub fn active_sessions(&self) -> usize {
        self.sessions.load(Ordering::SeqCst)
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
        ..CoreOptions::default()
    };
    let portail = Portail::open(&settings.data_dir, options)
        .await
        .with_context(|| format!("ouverture de la base dans {}", settings.data_dir.display()))?;
    let key = host_key::load_or_generate(&settings.host_key_dir)?;
    let host_key_fingerprint = host_key::fingerprint(&key);
    let config = Arc::new(russh::server::Config {
        server_id: russh::SshId::Standard("SSH-2.0-Portail".into()),
        methods: MethodSet::from(&[MethodKind::Password][..]),
        // The argon2 verification is the delay: a wrong password is answered after the
        // same time as a right one, and unknown users cost the same.
        auth_rejection_time: Duration::ZERO,
        auth_rejection_time_initial: Some(Duration::ZERO),
        // Our own counter enforces MAX_AUTH_ATTEMPTS password tries (the client's initial
        // "none" probe must not eat one); this is only a backstop.
        max_auth_attempts: MAX_AUTH_ATTEMPTS + 2,
        keys: vec![key],
        inactivity_timeout: Some(Duration::from_secs(3600)),
        keepalive_interval: Some(Duration::from_secs(60)),
        nodelay: true,
        ..Default::default()
    });

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
        },
    };
    let tls = portail_web::tls_config(&tls_source).await?;
    let app = portail_web::router(WebState::new(portail.clone(), public_url.clone()));
    let web = WebServer::start_on(std_listener, tls, app).await?;

    // Only now that every port is bound and every key loaded: the first trainer's password
    // is printed by the caller, so it must not be created by a start that then fails.
    let initial_account = portail.ensure_first_trainer().await?;
    let demo = if demo {
        Some(portail.seed_demo().await?)
    } else {
        None
    };

    let sessions = Arc::new(AtomicUsize::new(0));
    let mut server = SshServer {
        portail: portail.clone(),
        sessions: sessions.clone(),
    };
    let (handle_tx, handle_rx) = tokio::sync::oneshot::channel();
    let ssh_task = tokio::spawn(async move {
        let running = server.run_on_socket(config, &ssh_listener);
        let _ = handle_tx.send(running.handle());
        running.await
    });
    let ssh_handle = handle_rx.await.context("démarrage du serveur SSH")?;

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

struct SshServer {
    portail: Portail,
    sessions: Arc<AtomicUsize>,
}

impl russh::server::Server for SshServer {
    type Handler = Connection;

    fn new_client(&mut self, peer: Option<SocketAddr>) -> Connection {
        Connection {
            portail: self.portail.clone(),
            sessions: self.sessions.clone(),
            peer,
            login: None,
            password_attempts: 0,
        }
    }

    fn handle_session_error(&mut self, error: anyhow::Error) {
        tracing::debug!("session SSH terminée : {error:#}");
    }
}

/// One SSH connection.
struct Connection {
    portail: Portail,
    sessions: Arc<AtomicUsize>,
    peer: Option<SocketAddr>,
    login: Option<LoginOutcome>,
    password_attempts: usize,
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

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(reject_password())
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        self.password_attempts += 1;
        if self.password_attempts > MAX_AUTH_ATTEMPTS {
            tracing::info!(peer = ?self.peer, "trop d'essais : connexion coupée");
            anyhow::bail!("too many authentication attempts");
        }
        match self
            .portail
            .login(user, password, self.peer.map(|p| p.ip()))
            .await
        {
            Ok(outcome) => {
                tracing::info!(user = %outcome.user.email, peer = ?self.peer, "connexion");
                self.login = Some(outcome);
                Ok(Auth::Accept)
            }
            Err(Error::InvalidCredentials) => {
                tracing::info!(peer = ?self.peer, "échec d'authentification");
                Ok(reject_password())
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
        let ctx = SessionCtx {
            portail: self.portail.clone(),
            login,
        };
        let guard = session::SessionGuard::new(self.sessions.clone());
        tokio::spawn(async move {
            let _guard = guard;
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
        session.channel_success(channel)?;
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
