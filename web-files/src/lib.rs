//! Portail's HTTPS door: axum on rustls, in the same process and runtime as SSH.
//! This crate serves what a terminal cannot carry (course files, avatars, logos) through
//! signed links; authorization is checked before any byte is served.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

mod pages;
mod player;
mod serve;
mod tls;

pub use serve::HttpsLimits;
pub use tls::{
    GENERATED_CN, RELOAD_CHECK, Reloading, TlsSource, certificate_names, ensure_self_signed,
    names_in, tls_config,
};

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path as UrlPath, RawQuery, State};
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
        .route("/assets/{name}", get(player::asset))
        .route("/assets/asciinema-player/{name}", get(player::vendored))
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
    // A file shown in the browser sets its own (stricter) policy.
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'",
        ));
    resp
}

/// The policy of a file shown in the browser: nothing but itself, and for an image, a
/// video or a sound, a sandbox (no script, no form, an opaque origin) on top. Not for a
/// PDF: Chrome's and Safari's PDF viewers do not run in a sandboxed document (they show
/// "blocked"), and their viewers keep a PDF's scripts away from the page's origin.
fn inline_policy(content_type: &str) -> &'static str {
    if content_type.starts_with("application/pdf") {
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; object-src 'self'; form-action 'none'"
    } else {
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; media-src 'self'; form-action 'none'; sandbox"
    }
}

fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

pub(crate) async fn not_found() -> Response {
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

/// `?player=1`: a recording's page with the browser player.
fn player_asked(query: Option<&str>) -> bool {
    query
        .unwrap_or("")
        .split('&')
        .any(|p| matches!(p, "player" | "player=1"))
}

/// `?download=1` (or `?download`): saved even when the browser could show it.
fn download_asked(query: Option<&str>) -> bool {
    query.unwrap_or("").split('&').any(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        k == "download" && !matches!(v, "0" | "false" | "non")
    })
}

async fn download(
    State(st): State<WebState>,
    UrlPath((file, user, expires, sig)): UrlPath<(i64, i64, i64, String)>,
    RawQuery(query): RawQuery,
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
        // A recording with `?player=1`: the page that plays it in the browser.
        Ok(f)
            if player_asked(query.as_deref())
                && f.content_type == portail::asciicast::CONTENT_TYPE =>
        {
            let src = format!("/f/{file}/{user}/{expires}/{sig}");
            player::page("Enregistrement de la démo", &src)
        }
        Ok(f) => {
            let shown =
                !download_asked(query.as_deref()) && portail::files::shown_inline(&f.content_type);
            let how = if shown {
                Disposition::Inline
            } else {
                Disposition::Attachment
            };
            serve(&st, f, &headers, Some(how)).await
        }
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
            Ok(f) => serve(&st, f, &headers, None).await,
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
            (
                header::CONTENT_SECURITY_POLICY,
                inline_policy("image/png").to_string(),
            ),
        ],
        img.body,
    )
        .into_response()
}

/// How a course file is handed to the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Disposition {
    /// Shown by the browser (PDF, video, image: see [`portail::files::shown_inline`]).
    Inline,
    /// Saved.
    Attachment,
}

/// `inline|attachment; filename="ascii"; filename*=UTF-8''percent-encoded`
fn disposition(how: Disposition, name: &str) -> String {
    let how = match how {
        Disposition::Inline => "inline",
        Disposition::Attachment => "attachment",
    };
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
    format!("{how}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
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

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Ranged {
    /// The whole file (no range, another unit, or several ranges: we do not send
    /// multipart answers, and RFC 9110 lets a server ignore `Range`).
    Whole,
    /// One satisfiable range, first and last byte.
    Part(u64, u64),
    /// Bytes asked that the file does not have (or nonsense after `bytes=`): 416.
    Unsatisfiable,
}

/// Parses and checks `Range` with `http-range-header` (the parser tower-http's file
/// service uses) rather than by hand.
fn ranged(value: Option<&str>, size: u64) -> Ranged {
    let Some(value) = value.map(str::trim) else {
        return Ranged::Whole;
    };
    if !value.starts_with("bytes=") {
        return Ranged::Whole;
    }
    if size == 0 {
        return Ranged::Unsatisfiable;
    }
    match http_range_header::parse_range_header(value).and_then(|r| r.validate(size)) {
        Ok(ranges) if ranges.len() == 1 => {
            let r = &ranges[0];
            if *r.start() < size {
                Ranged::Part(*r.start(), *r.end())
            } else {
                Ranged::Unsatisfiable
            }
        }
        Ok(_) => Ranged::Whole,
        Err(_) if value.contains(',') => Ranged::Whole,
        // A suffix longer than the file is the whole file (RFC 9110, 14.1.2).
        Err(http_range_header::RangeUnsatisfiableError::FileSuffixOutOfBounds) => {
            Ranged::Part(0, size - 1)
        }
        Err(_) => Ranged::Unsatisfiable,
    }
}

/// `If-Range`: the range holds only while the file is still the one the client has
/// (its tag, or its date).
fn if_range_holds(headers: &HeaderMap, etag: &str, last_modified: &str) -> bool {
    match headers.get(header::IF_RANGE).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(v) => {
            let v = v.trim();
            v == etag || v == last_modified
        }
    }
}

/// Serves a stored file: a course file with its `Content-Disposition` (`how`), or an
/// avatar / logo (`None`: public, cached). Conditional requests and one byte range.
async fn serve(
    st: &WebState,
    f: StoredFile,
    headers: &HeaderMap,
    how: Option<Disposition>,
) -> Response {
    let Ok(std_file) = st.portail.files().open_file(&f.storage_name) else {
        return refused(Access::NotFound);
    };
    let size = f.size_bytes.max(0) as u64;
    let etag = format!("\"{}\"", f.sha256);
    let last_modified = f.created_at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let cache = if how.is_some() {
        "private, max-age=0"
    } else {
        "public, max-age=86400, immutable"
    };
    if etag_matches(headers, &etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| if_range_holds(headers, &etag, &last_modified));
    let (status, start, len) = match ranged(range, size) {
        Ranged::Whole => (StatusCode::OK, 0, size),
        Ranged::Part(s, e) => (StatusCode::PARTIAL_CONTENT, s, e - s + 1),
        Ranged::Unsatisfiable => {
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
            )
                .into_response();
        }
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
    match how {
        Some(how) => {
            resp = resp.header(
                header::CONTENT_DISPOSITION,
                disposition(how, &f.original_name),
            );
            // A saved file gets the sandbox too, should a browser show it anyway.
            let policy = match how {
                Disposition::Inline => inline_policy(&f.content_type),
                Disposition::Attachment => inline_policy("application/octet-stream"),
            };
            resp = resp.header(header::CONTENT_SECURITY_POLICY, policy);
        }
        None => {
            resp = resp.header(header::CONTENT_SECURITY_POLICY, inline_policy("image/png"));
        }
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
            // The student's organisation shows itself (a missing logo is no error).
            let logos: Vec<(String, String)> = st
                .portail
                .upload_page_logos(&t)
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|l| (l.organisation, l.path))
                .collect();
            html(
                StatusCode::OK,
                pages::upload_form(title, intro, accept, &logos),
            )
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

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("certificat TLS : {0}")]
    Tls(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_one_part_whole_or_unsatisfiable() {
        assert_eq!(ranged(None, 100), Ranged::Whole);
        assert_eq!(ranged(Some("bytes=0-3"), 100), Ranged::Part(0, 3));
        assert_eq!(ranged(Some("bytes=90-"), 100), Ranged::Part(90, 99));
        assert_eq!(ranged(Some("bytes=-10"), 100), Ranged::Part(90, 99));
        assert_eq!(ranged(Some("bytes=-500"), 100), Ranged::Part(0, 99));
        assert_eq!(ranged(Some("bytes=50-500"), 100), Ranged::Part(50, 99));
        assert_eq!(ranged(Some("bytes=0-1,5-6"), 100), Ranged::Whole);
        assert_eq!(ranged(Some("items=0-1"), 100), Ranged::Whole);
        assert_eq!(ranged(Some("bytes=100-"), 100), Ranged::Unsatisfiable);
        assert_eq!(ranged(Some("bytes=999999-"), 100), Ranged::Unsatisfiable);
        assert_eq!(ranged(Some("bytes=5-2"), 100), Ranged::Unsatisfiable);
        assert_eq!(ranged(Some("bytes=abc"), 100), Ranged::Unsatisfiable);
        assert_eq!(ranged(Some("bytes=0-"), 0), Ranged::Unsatisfiable);
    }

    #[test]
    fn download_on_request_and_dispositions() {
        assert!(!download_asked(None));
        assert!(download_asked(Some("download=1")));
        assert!(download_asked(Some("x=2&download")));
        assert!(!download_asked(Some("download=0")));
        assert!(!download_asked(Some("downloads=1")));
        assert_eq!(
            disposition(Disposition::Inline, "Été.pdf"),
            "inline; filename=\"_t_.pdf\"; filename*=UTF-8''%C3%89t%C3%A9.pdf"
        );
        assert!(disposition(Disposition::Attachment, "a b.mp4").starts_with("attachment; "));
        assert!(inline_policy("video/mp4").ends_with("; sandbox"));
        assert!(!inline_policy("application/pdf").contains("sandbox"));
    }
}
