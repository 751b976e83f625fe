//! The browser player of demo recordings: asciinema-player (vendored from the npm
//! registry, version 3.18.0, Apache-2.0, see `assets/asciinema-player/`) embedded in the
//! binary and served from `/assets/`, and the page `…/f/…?player=1` that plays a signed
//! recording link. The page runs no inline script: its policy allows scripts from this
//! origin only (plus `wasm-unsafe-eval`, the player's terminal is WebAssembly), and the
//! start-up code is our own file, `assets/portail-player.js`.

use axum::extract::Path as UrlPath;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::pages::esc;

const PLAYER_JS: &str = include_str!("../assets/asciinema-player/asciinema-player.min.js");
const PLAYER_CSS: &str = include_str!("../assets/asciinema-player/asciinema-player.css");
const PLAYER_LICENSE: &str = include_str!("../assets/asciinema-player/LICENSE");
const START_JS: &str = include_str!("../assets/portail-player.js");

/// The policy of the player's page.
pub(crate) const PAGE_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; font-src 'self' data:; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `/assets/{name}` and `/assets/asciinema-player/{name}`.
pub(crate) async fn asset(UrlPath(name): UrlPath<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "portail-player.js" => (START_JS, "text/javascript; charset=utf-8"),
        _ => return crate::not_found().await,
    };
    cached(body, kind)
}

pub(crate) async fn vendored(UrlPath(name): UrlPath<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "asciinema-player.min.js" => (PLAYER_JS, "text/javascript; charset=utf-8"),
        "asciinema-player.css" => (PLAYER_CSS, "text/css; charset=utf-8"),
        "LICENSE" => (PLAYER_LICENSE, "text/plain; charset=utf-8"),
        _ => return crate::not_found().await,
    };
    cached(body, kind)
}

fn cached(body: &'static str, kind: &'static str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// The page playing the recording at `src` (a signed path on this server).
pub(crate) fn page(title: &str, src: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} — Portail</title>\
         <link rel=\"stylesheet\" href=\"/assets/asciinema-player/asciinema-player.css\">\
         <style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}}\
         h1{{font-size:1.3rem}}</style></head><body><h1>{t}</h1>\
         <div id=\"player\" data-src=\"{src}\"></div>\
         <p><a href=\"{src}?download=1\">Télécharger l'enregistrement (.cast)</a> · \
         lecteur <a href=\"/assets/asciinema-player/LICENSE\">asciinema-player</a> (Apache-2.0)</p>\
         <noscript><p>Le lecteur a besoin de JavaScript ; téléchargez l'enregistrement et lisez-le avec \
         <code>asciinema play</code>.</p></noscript>\
         <script src=\"/assets/asciinema-player/asciinema-player.min.js\"></script>\
         <script src=\"/assets/portail-player.js\"></script></body></html>\n",
        t = esc(title),
        src = esc(src),
    );
    let mut resp = (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        axum::response::Html(body),
    )
        .into_response();
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_POLICY),
    );
    resp
}
