//! Fuzzes signed download links: `LinkSigner::verify` (the `/f/{file}/{user}/{exp}/{sig}`
//! check) and the HTTPS door that parses such paths (`portail_web::router`, over a real
//! store in a temp dir holding one real file and its real link).
//!
//! Properties: nothing panics and nothing answers 5xx; a signature is accepted only when
//! it is the link's own (hex, any case); the real link downloads (200) and any path that
//! downloads names the real file, user and expiry with the real signature.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use portail::Portail;
use portail::files::LinkError;
use tower::ServiceExt;

struct World {
    rt: tokio::runtime::Runtime,
    portail: Portail,
    router: axum::Router,
    /// The real link: file, user, expiry, signature.
    link: (i64, i64, i64, String),
    _dir: tempfile::TempDir,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (portail, link) = rt.block_on(async {
            let p = Portail::open(dir.path(), Default::default()).await.unwrap();
            let password = "une phrase de fuzzing assez longue";
            p.add_trainer("fuzz@example.fr", password).await.unwrap();
            let actor = p.login("fuzz@example.fr", password, None).await.unwrap().actor;
            let course = p
                .course_create(
                    &actor,
                    &portail::services::courses::CourseInput {
                        title: "Cours".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            let resource = p
                .resource_upload(&actor, course.id, None, "Support", "support.txt", b"bonjour")
                .await
                .unwrap();
            let path = p
                .resource_link(&actor, resource.id, chrono::Duration::days(30))
                .await
                .unwrap();
            let parts: Vec<&str> = path.split('/').collect();
            let link = (
                parts[2].parse().unwrap(),
                parts[3].parse().unwrap(),
                parts[4].parse().unwrap(),
                parts[5].to_string(),
            );
            (p, link)
        });
        let router = portail_web::router(portail_web::WebState::new(
            portail.clone(),
            "https://localhost".into(),
        ));
        World {
            rt,
            portail,
            router,
            link,
            _dir: dir,
        }
    })
}

#[derive(Arbitrary, Debug)]
enum Sig {
    Real,
    Upper,
    /// The real signature with one byte replaced.
    Changed(u8, u8),
    Text(String),
}

#[derive(Arbitrary, Debug)]
enum Seg {
    Real,
    Text(String),
}

#[derive(Arbitrary, Debug)]
struct Case {
    file: i64,
    user: i64,
    expires: i64,
    now: i64,
    sig: Sig,
    /// A request path: `/f/` then these four segments, then `tail`.
    path: [Seg; 4],
    tail: String,
}

fn signature(sig: &Sig, real: &str) -> String {
    match sig {
        Sig::Real => real.to_string(),
        Sig::Upper => real.to_ascii_uppercase(),
        Sig::Changed(at, byte) => {
            let mut b = real.as_bytes().to_vec();
            let i = *at as usize % b.len();
            b[i] = *byte;
            String::from_utf8_lossy(&b).into_owned()
        }
        Sig::Text(s) => s.clone(),
    }
}

/// Percent-decodes a path segment, as the router does; `None` when not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fuzz_target!(|case: Case| {
    let w = world();
    let signer = w.portail.signer();

    // verify(): only the canonical signature (in either case) passes the MAC check.
    let own = signer.sign_path(case.file, case.user, case.expires);
    let own_sig = own.rsplit('/').next().unwrap();
    let sig = signature(&case.sig, own_sig);
    let result = signer.verify(case.file, case.user, case.expires, &sig, case.now);
    let same = sig.eq_ignore_ascii_case(own_sig);
    match result {
        Ok(()) => assert!(same && case.expires >= case.now, "accepted {sig:?}"),
        Err(LinkError::Expired) => assert!(same && case.expires < case.now, "{sig:?}"),
        Err(LinkError::BadSignature) => assert!(!same, "own signature refused"),
    }

    // The HTTPS door.
    let (file, user, expires, real_sig) = &w.link;
    let reals = [
        file.to_string(),
        user.to_string(),
        expires.to_string(),
        real_sig.clone(),
    ];
    let segs: Vec<String> = case
        .path
        .iter()
        .zip(&reals)
        .map(|(s, r)| match s {
            Seg::Real => r.clone(),
            Seg::Text(t) => t.clone(),
        })
        .collect();
    let uri = format!("/f/{}{}", segs.join("/"), case.tail);
    let Ok(request) = Request::get(uri.as_str()).body(Body::empty()) else {
        return;
    };
    let status = w
        .rt
        .block_on(w.router.clone().oneshot(request))
        .unwrap()
        .status();
    assert!(!status.is_server_error(), "{uri:?} → {status}");
    // What the path designates, decoded the way the router does.
    let path = request_path(&uri);
    let designates_real = path.as_deref().and_then(|p| p.strip_prefix("/f/")).is_some_and(|rest| {
        let parts: Vec<Option<String>> = rest.split('/').map(percent_decode).collect();
        parts.len() == 4
            && parts[0].as_deref().and_then(|s| s.parse::<i64>().ok()) == Some(*file)
            && parts[1].as_deref().and_then(|s| s.parse::<i64>().ok()) == Some(*user)
            && parts[2].as_deref().and_then(|s| s.parse::<i64>().ok()) == Some(*expires)
            && parts[3].as_deref().is_some_and(|s| s.eq_ignore_ascii_case(real_sig))
    });
    if status == StatusCode::OK {
        assert!(designates_real, "{uri:?} downloaded the file");
    }
    if segs == reals && case.tail.is_empty() {
        assert_eq!(status, StatusCode::OK, "the real link must download");
    }
});

/// The path part of a request target (before `?` or `#`).
fn request_path(uri: &str) -> Option<String> {
    let end = uri.find(['?', '#']).unwrap_or(uri.len());
    Some(uri[..end].to_string())
}
