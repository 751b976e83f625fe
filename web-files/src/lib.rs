//! Portail's HTTPS door: axum on rustls, in the same process and runtime as SSH.
//! This crate serves what a terminal cannot carry (course files, avatars, logos) through
//! signed links; authorization is checked before any byte is served.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

mod pages;
mod serve;

pub use serve::HttpsLimits;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path as UrlPath, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use portail::Portail;
use portail::services::activity::DownloadRequest;
use portail::services::files::{Access, MAX_RESOURCE_BYTES, StoredFile, UploadPurpose};
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// State shared by the handlers.
#[derive(Clone)]
pub struct WebState {
    pub portail: Portail,
    /// Base URL of links shown to users (e.g. `https://portail.example.fr`).
    pub public_url: String,
    images: std::sync::Arc<ImageCache>,
}

impl WebState {
    pub fn new(portail: Portail, public_url: String) -> WebState {
        WebState {
            portail,
            public_url,
            images: Default::default(),
        }
    }
}

/// Avatars and logos are small and immutable under their name: keep the hot ones in
/// memory (bounded), re-checked against the database after `IMAGE_TTL`, so a replaced
/// photo stops being served within that time.
#[derive(Default)]
struct ImageCache {
    map: std::sync::Mutex<std::collections::HashMap<String, CachedImage>>,
}

#[derive(Clone)]
struct CachedImage {
    at: std::time::Instant,
    body: axum::body::Bytes,
    etag: String,
    last_modified: String,
}

const IMAGE_TTL: Duration = Duration::from_secs(60);
const IMAGE_CACHE_ENTRIES: usize = 4096;
const IMAGE_CACHE_MAX_BYTES: usize = 512 * 1024;
const IMAGE_CACHE_TOTAL_BYTES: usize = 32 * 1024 * 1024;

pub fn router(state: WebState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/f/{file}/{user}/{expires}/{sig}", get(download))
        .route("/i/{name}", get(image))
        .route(
            "/u/{token}",
            get(upload_page)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_RESOURCE_BYTES + 64 * 1024)),
        )
        .fallback(not_found)
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Links carry tokens: never leak them through Referer.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'",
        ),
    );
    resp
}

fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

async fn not_found() -> Response {
    html(
        StatusCode::NOT_FOUND,
        pages::message(
            "Introuvable",
            "err",
            "Cette adresse ne correspond à rien sur Portail.",
        ),
    )
}

fn refused(access: Access) -> Response {
    match access {
        Access::NotFound => html(
            StatusCode::NOT_FOUND,
            pages::message(
                "Introuvable",
                "err",
                "Ce lien ne correspond à aucun fichier.",
            ),
        ),
        Access::Forbidden => html(
            StatusCode::FORBIDDEN,
            pages::message(
                "Accès refusé",
                "err",
                "Ce lien n'est pas valide pour vous. Ouvrez le cours dans Portail pour obtenir un nouveau lien.",
            ),
        ),
        Access::Gone => html(
            StatusCode::GONE,
            pages::message(
                "Lien expiré",
                "err",
                "Ce lien a expiré ou a déjà servi. Demandez-en un nouveau dans Portail.",
            ),
        ),
    }
}

async fn download(
    State(st): State<WebState>,
    UrlPath((file, user, expires, sig)): UrlPath<(i64, i64, i64, String)>,
    method: Method,
    extensions: Extensions,
    headers: HeaderMap,
) -> Response {
    // Facts only: whether this counts as a download is the core's rule.
    let text = |name| {
        headers
            .get(name)
            .map(|v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let request = DownloadRequest {
        head: method == Method::HEAD,
        range: text(header::RANGE),
        conditional: headers.contains_key(header::IF_NONE_MATCH)
            || headers.contains_key(header::IF_MODIFIED_SINCE),
        source: extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip()),
        user_agent: text(header::USER_AGENT),
    };
    match st
        .portail
        .download(file, user, expires, &sig, &request)
        .await
    {
        Ok(f) => serve(&st, f, &headers, true).await,
        Err(a) => refused(a),
    }
}

async fn image(
    State(st): State<WebState>,
    UrlPath(name): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    if headers.contains_key(header::RANGE) {
        return match st.portail.public_image(&name).await {
            Ok(f) => serve(&st, f, &headers, false).await,
            Err(a) => refused(a),
        };
    }
    let cached = st
        .images
        .map
        .lock()
        .ok()
        .and_then(|m| m.get(&name).filter(|c| c.at.elapsed() < IMAGE_TTL).cloned());
    let img = match cached {
        Some(c) => c,
        None => {
            let f = match st.portail.public_image(&name).await {
                Ok(f) => f,
                Err(a) => return refused(a),
            };
            let Ok(mut file) = st.portail.files().open_file(&f.storage_name) else {
                return refused(Access::NotFound);
            };
            let mut buf = Vec::with_capacity(f.size_bytes.max(0) as usize);
            if std::io::Read::read_to_end(&mut file, &mut buf).is_err() {
                return refused(Access::NotFound);
            }
            let img = CachedImage {
                at: std::time::Instant::now(),
                body: buf.into(),
                etag: format!("\"{}\"", f.sha256),
                last_modified: f.created_at.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
            };
            if img.body.len() <= IMAGE_CACHE_MAX_BYTES
                && let Ok(mut m) = st.images.map.lock()
            {
                let bytes: usize = m.values().map(|c| c.body.len()).sum();
                if m.len() >= IMAGE_CACHE_ENTRIES
                    || bytes + img.body.len() > IMAGE_CACHE_TOTAL_BYTES
                {
                    m.retain(|_, c| c.at.elapsed() < IMAGE_TTL);
                    let bytes: usize = m.values().map(|c| c.body.len()).sum();
                    if m.len() >= IMAGE_CACHE_ENTRIES
                        || bytes + img.body.len() > IMAGE_CACHE_TOTAL_BYTES
                    {
                        m.clear();
                    }
                }
                m.insert(name, img.clone());
            }
            img
        }
    };
    if etag_matches(&headers, &img.etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, img.etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "image/png".to_string()),
            (header::ETAG, img.etag),
            (header::LAST_MODIFIED, img.last_modified),
            (
                header::CACHE_CONTROL,
                "public, max-age=86400, immutable".to_string(),
            ),
            (header::ACCEPT_RANGES, "bytes".to_string()),
        ],
        img.body,
    )
        .into_response()
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded`
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// `If-None-Match`: a list of tags (weak comparison) or `*`.
fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

/// One `bytes=a-b` range (or suffix / open-ended) within `size`.
fn parse_range(value: &str, size: u64) -> Option<(u64, u64)> {
    let spec = value.strip_prefix("bytes=")?;
    if spec.contains(',') || size == 0 {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (size.saturating_sub(n), size - 1)
        }
        (s, "") => (s.parse().ok()?, size - 1),
        (s, e) => (s.parse().ok()?, e.parse::<u64>().ok()?.min(size - 1)),
    };
    (start <= end && start < size).then_some((start, end))
}

async fn serve(st: &WebState, f: StoredFile, headers: &HeaderMap, attachment: bool) -> Response {
    let Ok(std_file) = st.portail.files().open_file(&f.storage_name) else {
        return refused(Access::NotFound);
    };
    let size = f.size_bytes.max(0) as u64;
    let etag = format!("\"{}\"", f.sha256);
    let last_modified = f.created_at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let cache = if attachment {
        "private, max-age=0"
    } else {
        "public, max-age=86400, immutable"
    };
    if etag_matches(headers, &etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, start, len) = match range {
        None => (StatusCode::OK, 0, size),
        Some(r) if !r.trim().starts_with("bytes=") || r.contains(',') => (StatusCode::OK, 0, size),
        Some(r) => match parse_range(r, size) {
            Some((s, e)) => (StatusCode::PARTIAL_CONTENT, s, e - s + 1),
            None => {
                return (
                    StatusCode::RANGE_NOT_SATISFIABLE,
                    [(header::CONTENT_RANGE, format!("bytes */{size}"))],
                )
                    .into_response();
            }
        },
    };
    let mut file = tokio::fs::File::from_std(std_file);
    if start > 0 && file.seek(std::io::SeekFrom::Start(start)).await.is_err() {
        return refused(Access::NotFound);
    }
    let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
        file.take(len),
        64 * 1024,
    ));
    let mut resp = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, f.content_type.as_str())
        .header(header::CONTENT_LENGTH, len)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::ETAG, etag)
        .header(header::LAST_MODIFIED, last_modified)
        .header(header::CACHE_CONTROL, cache);
    if attachment {
        resp = resp.header(header::CONTENT_DISPOSITION, disposition(&f.original_name));
    }
    if status == StatusCode::PARTIAL_CONTENT {
        resp = resp.header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{size}", start + len - 1),
        );
    }
    resp.body(body)
        .unwrap_or_else(|_| refused(Access::NotFound))
}

fn upload_texts(purpose: &UploadPurpose) -> (&'static str, &'static str) {
    match purpose {
        UploadPurpose::Avatar => (
            "Votre photo de profil",
            "Choisissez une photo (PNG, JPEG, GIF ou WebP, 10 Mo au plus). Elle sera recadrée en carré.",
        ),
        UploadPurpose::Logo { .. } => (
            "Logo de l'organisme",
            "Choisissez le logo (PNG, JPEG, GIF ou WebP, 10 Mo au plus).",
        ),
        UploadPurpose::Resource { .. } => (
            "Fichier du cours",
            "Choisissez le fichier à joindre au cours (100 Mo au plus). Les étudiants le téléchargeront par un lien signé.",
        ),
    }
}

async fn upload_page(State(st): State<WebState>, UrlPath(token): UrlPath<String>) -> Response {
    match st.portail.upload_ticket(&token).await {
        Ok(t) => {
            let (title, intro) = upload_texts(&t.purpose);
            let accept = if matches!(t.purpose, UploadPurpose::Resource { .. }) {
                "*/*"
            } else {
                "image/*"
            };
            html(StatusCode::OK, pages::upload_form(title, intro, accept))
        }
        Err(a) => refused(a),
    }
}

async fn upload(
    State(st): State<WebState>,
    UrlPath(token): UrlPath<String>,
    mut form: Multipart,
) -> Response {
    let ticket = match st.portail.upload_ticket(&token).await {
        Ok(t) => t,
        Err(a) => return refused(a),
    };
    let (title, _) = upload_texts(&ticket.purpose);
    // Spend the link first (a parallel upload with the same link is refused at once),
    // then read the file under the limit of its purpose.
    if !matches!(st.portail.claim_ticket(&ticket).await, Ok(true)) {
        return refused(Access::Gone);
    }
    let limit = ticket.purpose.max_bytes();
    let mut bytes: Option<Vec<u8>> = None;
    let mut file_name = String::from("fichier");
    let mut too_big = false;
    while let Ok(Some(mut field)) = form.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        if let Some(n) = field.file_name() {
            file_name = n.to_string();
        }
        let mut buf = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if buf.len() + chunk.len() > limit {
                        too_big = true;
                        break;
                    }
                    buf.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    too_big = e.status() == StatusCode::PAYLOAD_TOO_LARGE;
                    break;
                }
            }
        }
        bytes = Some(buf);
        break;
    }
    if too_big {
        let _ = st.portail.release_ticket(&ticket).await;
        return too_large(title, &ticket.purpose);
    }
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        let _ = st.portail.release_ticket(&ticket).await;
        return html(
            StatusCode::BAD_REQUEST,
            pages::message(
                title,
                "err",
                "Aucun fichier reçu : choisissez un fichier puis Envoyer.",
            ),
        );
    };
    match st.portail.upload_claimed(&ticket, &file_name, bytes).await {
        Ok(_) => html(
            StatusCode::OK,
            pages::message(
                title,
                "ok",
                "C'est enregistré. Vous pouvez revenir à Portail.",
            ),
        ),
        Err(e) => {
            let _ = st.portail.release_ticket(&ticket).await;
            let status = match &e {
                portail::Error::Invalid(portail::i18n::Key::ImgNotAnImage) => {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE
                }
                portail::Error::Invalid(
                    portail::i18n::Key::ImgTooLarge | portail::i18n::Key::FileTooLarge,
                ) => StatusCode::PAYLOAD_TOO_LARGE,
                portail::Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let msg = e.user_message(portail::Lang::Fr);
            html(
                status,
                pages::message(
                    title,
                    "err",
                    &format!("Refusé : {msg}. Vous pouvez réessayer avec un autre fichier."),
                ),
            )
        }
    }
}

fn too_large(title: &str, purpose: &UploadPurpose) -> Response {
    html(
        StatusCode::PAYLOAD_TOO_LARGE,
        pages::message(title, "err", &purpose.too_large_message(portail::Lang::Fr)),
    )
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
}

async fn health(State(state): State<WebState>) -> impl IntoResponse {
    // The database answering is part of being healthy.
    let db_ok = state.portail.ping().await.is_ok();
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

/// Loads (or generates) the TLS configuration. HTTP/1.1 only (ALPN): the deadlines are
/// per request head, and HTTP/1.1 keeps WebSocket upgrades possible.
pub async fn tls_config(source: &TlsSource) -> Result<Arc<rustls::ServerConfig>, WebError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let (cert, key) = match source {
        TlsSource::Files { cert, key } => (cert.clone(), key.clone()),
        TlsSource::SelfSigned { dir } => ensure_self_signed(dir)?,
    };
    let what = format!("{} / {}", cert.display(), key.display());
    let certs = CertificateDer::pem_file_iter(&cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| WebError::Tls(format!("{what} : {e}")))?;
    if certs.is_empty() {
        return Err(WebError::Tls(format!("{what} : aucun certificat")));
    }
    let key =
        PrivateKeyDer::from_pem_file(&key).map_err(|e| WebError::Tls(format!("{what} : {e}")))?;
    let mut config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| WebError::Tls(format!("{what} : {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Generates `cert.pem` / `key.pem` (0600, in a 0700 `dir`) unless they exist; an existing
/// key readable by others is narrowed to 0600 (e.g. restored from an old backup).
pub fn ensure_self_signed(dir: &Path) -> Result<(PathBuf, PathBuf), WebError> {
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    if cert_path.exists() && key_path.exists() {
        portail::private_fs::file(&key_path)?;
        return Ok((cert_path, key_path));
    }
    portail::private_fs::dir(dir)?;
    let names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    let certified =
        rcgen::generate_simple_self_signed(names).map_err(|e| WebError::Tls(e.to_string()))?;
    portail::private_fs::write(&key_path, certified.signing_key.serialize_pem().as_bytes())?;
    portail::private_fs::write(&cert_path, certified.cert.pem().as_bytes())?;
    Ok((cert_path, key_path))
}

/// A running HTTPS server.
pub struct WebServer {
    pub addr: SocketAddr,
    phase: tokio::sync::watch::Sender<serve::Phase>,
    gate: Arc<serve::Gate>,
    task: tokio::task::JoinHandle<()>,
}

impl WebServer {
    /// Serves `app` over TLS on an already bound listener, within `limits`.
    pub async fn start_on(
        listener: std::net::TcpListener,
        tls: Arc<rustls::ServerConfig>,
        app: Router,
        limits: HttpsLimits,
    ) -> Result<WebServer, WebError> {
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let (phase, watch) = tokio::sync::watch::channel(serve::Phase::Serving);
        let gate = Arc::new(serve::Gate::default());
        let task = tokio::spawn(serve::accept_loop(
            listener,
            tokio_rustls::TlsAcceptor::from(tls),
            app,
            limits,
            gate.clone(),
            watch,
        ));
        Ok(WebServer {
            addr,
            phase,
            gate,
            task,
        })
    }

    /// HTTPS connections open right now.
    pub fn open_connections(&self) -> usize {
        self.gate.open()
    }

    /// Stops accepting, lets requests in flight finish (bounded), then returns.
    pub async fn shutdown(self) {
        let _ = self.phase.send(serve::Phase::Draining);
        let _ = self.task.await;
        let drained = tokio::time::Instant::now() + Duration::from_secs(5);
        while self.gate.open() > 0 && tokio::time::Instant::now() < drained {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = self.phase.send(serve::Phase::Closing);
        let closed = tokio::time::Instant::now() + Duration::from_secs(1);
        while self.gate.open() > 0 && tokio::time::Instant::now() < closed {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}
