//! Portail's HTTPS door: axum on rustls, in the same process and runtime as SSH.
//! This crate serves what a terminal cannot carry (course files, avatars, logos) through
//! signed links; authorization is checked before any byte is served.

use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;
use portail::Portail;
use serde::Serialize;

/// State shared by the handlers.
#[derive(Clone)]
pub struct WebState {
    pub portail: Portail,
    /// Base URL of links shown to users (e.g. `https://portail.example.fr`).
    pub public_url: String,
}

pub fn router(state: WebState) -> Router {
    Router::new()
        .route("/health", get(health))
        .with_state(state)
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
}

async fn health(State(state): State<WebState>) -> impl IntoResponse {
    // The database answering is part of being healthy.
    let db_ok = sqlx_ping(&state.portail).await;
    let status = if db_ok {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(Health {
            status: if db_ok { "ok" } else { "degraded" },
            version: env!("CARGO_PKG_VERSION"),
        }),
    )
}

async fn sqlx_ping(portail: &Portail) -> bool {
    portail.ping().await.is_ok()
}

/// Where the TLS certificate comes from.
#[derive(Debug, Clone)]
pub enum TlsSource {
    /// PEM files given by the operator.
    Files { cert: PathBuf, key: PathBuf },
    /// A self-signed certificate generated once in this directory and reused.
    SelfSigned { dir: PathBuf },
}

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("certificat TLS : {0}")]
    Tls(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Loads (or generates) the TLS configuration.
pub async fn tls_config(source: &TlsSource) -> Result<RustlsConfig, WebError> {
    let (cert, key) = match source {
        TlsSource::Files { cert, key } => (cert.clone(), key.clone()),
        TlsSource::SelfSigned { dir } => ensure_self_signed(dir)?,
    };
    RustlsConfig::from_pem_file(&cert, &key)
        .await
        .map_err(|e| WebError::Tls(format!("{} / {} : {e}", cert.display(), key.display())))
}

/// Generates `cert.pem` / `key.pem` (0600) under `dir` unless they exist.
pub fn ensure_self_signed(dir: &Path) -> Result<(PathBuf, PathBuf), WebError> {
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    if cert_path.exists() && key_path.exists() {
        return Ok((cert_path, key_path));
    }
    std::fs::create_dir_all(dir)?;
    let names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    let certified =
        rcgen::generate_simple_self_signed(names).map_err(|e| WebError::Tls(e.to_string()))?;
    let mut key_file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&key_path)?;
    std::io::Write::write_all(
        &mut key_file,
        certified.signing_key.serialize_pem().as_bytes(),
    )?;
    std::fs::write(&cert_path, certified.cert.pem())?;
    Ok((cert_path, key_path))
}

/// A running HTTPS server.
pub struct WebServer {
    pub addr: SocketAddr,
    handle: Handle<SocketAddr>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl WebServer {
    /// Binds `addr` (port 0 allowed) and serves `app` over TLS.
    pub async fn start(
        addr: SocketAddr,
        tls: RustlsConfig,
        app: Router,
    ) -> Result<WebServer, WebError> {
        Self::start_on(std::net::TcpListener::bind(addr)?, tls, app).await
    }

    /// Serves `app` over TLS on an already bound listener.
    pub async fn start_on(
        listener: std::net::TcpListener,
        tls: RustlsConfig,
        app: Router,
    ) -> Result<WebServer, WebError> {
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let handle = Handle::new();
        let server = axum_server::from_tcp_rustls(listener, tls)?.handle(handle.clone());
        let task = tokio::spawn(async move { server.serve(app.into_make_service()).await });
        Ok(WebServer { addr, handle, task })
    }

    /// Stops accepting, lets requests in flight finish (bounded), then returns.
    pub async fn shutdown(self) {
        self.handle.graceful_shutdown(Some(Duration::from_secs(5)));
        let _ = self.task.await;
    }
}
