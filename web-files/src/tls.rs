//! The HTTPS certificate: the operator's PEM files, or a self-signed one generated for the
//! names students type (the public URL's host, the listen address); either is reloaded
//! when its files change, without a restart.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

use crate::WebError;

/// The common name of the certificates Portail generates.
pub const GENERATED_CN: &str = "Portail";
/// The common name of those generated before the certificate named the public host
/// (rcgen's default): they are generated too, so they may be replaced.
const OLD_GENERATED_CN: &str = "rcgen self signed cert";
/// Always in a generated certificate (the machine itself).
const LOCAL_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];
/// How often, at most, the certificate files are looked at for a change (on a handshake).
pub const RELOAD_CHECK: Duration = Duration::from_secs(2);

/// Where the TLS certificate comes from.
#[derive(Debug, Clone)]
pub enum TlsSource {
    /// PEM files given by the operator (never rewritten by Portail).
    Files { cert: PathBuf, key: PathBuf },
    /// A self-signed certificate generated in this directory and reused while it names
    /// every one of `names` (see [`certificate_names`]); made again when it does not.
    SelfSigned { dir: PathBuf, names: Vec<String> },
}

/// The names a generated certificate must hold: the host of the public URL (DNS name or
/// IP address) and the address HTTPS listens on when it is a specific one.
pub fn certificate_names(public_url: &str, listen: SocketAddr) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(url) = url::Url::parse(public_url) {
        match url.host() {
            Some(url::Host::Domain(d)) => names.push(d.trim_end_matches('.').to_lowercase()),
            Some(url::Host::Ipv4(ip)) => names.push(ip.to_string()),
            Some(url::Host::Ipv6(ip)) => names.push(ip.to_string()),
            None => {}
        }
    }
    if !listen.ip().is_unspecified() {
        names.push(listen.ip().to_string());
    }
    names.retain(|n| !n.is_empty());
    let mut unique = Vec::new();
    for n in names {
        if !unique.contains(&n) {
            unique.push(n);
        }
    }
    unique
}

/// Loads (or generates) the TLS configuration: its certificate is reloaded from the files
/// when they change (see [`RELOAD_CHECK`]). HTTP/1.1 only (ALPN): the deadlines are per
/// request head, and HTTP/1.1 keeps WebSocket upgrades possible.
pub async fn tls_config(source: &TlsSource) -> Result<Arc<rustls::ServerConfig>, WebError> {
    let (cert, key) = match source {
        TlsSource::Files { cert, key } => (cert.clone(), key.clone()),
        TlsSource::SelfSigned { dir, names } => ensure_self_signed(dir, names)?,
    };
    let resolver = Reloading::load(cert, key, RELOAD_CHECK)?;
    let mut config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(resolver));
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Generates `cert.pem` / `key.pem` (0600, in a 0700 `dir`) unless they exist and name
/// every one of `names`. An existing pair is made again only when Portail generated it
/// (its common name says so) and a name is missing: a certificate put there by hand is
/// kept as it is. An existing key readable by others is narrowed to 0600.
pub fn ensure_self_signed(dir: &Path, names: &[String]) -> Result<(PathBuf, PathBuf), WebError> {
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    let mut wanted: Vec<String> = LOCAL_NAMES.iter().map(|s| s.to_string()).collect();
    for n in names {
        if !wanted.contains(n) {
            wanted.push(n.clone());
        }
    }
    if cert_path.exists() && key_path.exists() {
        portail::private_fs::file(&key_path)?;
        let pem = std::fs::read(&cert_path)?;
        match names_in(&pem) {
            Some((cn, have))
                if (cn == GENERATED_CN || cn == OLD_GENERATED_CN)
                    && !wanted.iter().all(|w| covers(&have, w)) =>
            {
                tracing::info!(
                    "certificat TLS auto-signé refait pour nommer {} (il nommait {})",
                    wanted.join(", "),
                    have.join(", ")
                );
            }
            _ => return Ok((cert_path, key_path)),
        }
    }
    portail::private_fs::dir(dir)?;
    let mut params =
        rcgen::CertificateParams::new(wanted).map_err(|e| WebError::Tls(e.to_string()))?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, GENERATED_CN);
    let key_pair = rcgen::KeyPair::generate().map_err(|e| WebError::Tls(e.to_string()))?;
    let cert = params
        .self_signed(&key_pair)
        .map_err(|e| WebError::Tls(e.to_string()))?;
    portail::private_fs::write(&key_path, key_pair.serialize_pem().as_bytes())?;
    portail::private_fs::write(&cert_path, cert.pem().as_bytes())?;
    Ok((cert_path, key_path))
}

/// The common name and the subject alternative names (DNS names lower-cased, IP addresses
/// as text) of the first certificate of a PEM file; `None` when it does not parse.
pub fn names_in(pem: &[u8]) -> Option<(String, Vec<String>)> {
    use x509_parser::extensions::GeneralName;
    let (_, pem) = x509_parser::pem::parse_x509_pem(pem).ok()?;
    let cert = pem.parse_x509().ok()?;
    let cn = cert
        .subject()
        .iter_common_name()
        .next()
        .and_then(|a| a.as_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                GeneralName::DNSName(d) => names.push(d.to_lowercase()),
                GeneralName::IPAddress(b) => match b.len() {
                    4 => names.push(IpAddr::from(<[u8; 4]>::try_from(*b).ok()?).to_string()),
                    16 => names.push(IpAddr::from(<[u8; 16]>::try_from(*b).ok()?).to_string()),
                    _ => {}
                },
                _ => {}
            }
        }
    }
    Some((cn, names))
}

/// Whether `have` names `wanted` (IP addresses compared as addresses).
fn covers(have: &[String], wanted: &str) -> bool {
    match wanted.parse::<IpAddr>() {
        Ok(ip) => have.iter().any(|h| h.parse::<IpAddr>().ok() == Some(ip)),
        Err(_) => have.iter().any(|h| h.eq_ignore_ascii_case(wanted)),
    }
}

/// What identifies a version of the two files: their inode, size and modification time.
type Stamp = Option<[(u64, u64, Option<SystemTime>); 2]>;

fn stamp(cert: &Path, key: &Path) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    let one = |p: &Path| {
        std::fs::metadata(p)
            .ok()
            .map(|m| (m.ino(), m.len(), m.modified().ok()))
    };
    Some([one(cert)?, one(key)?])
}

/// Reads a certificate chain and its private key, checking that they belong together.
fn load_pair(cert: &Path, key: &Path) -> Result<CertifiedKey, WebError> {
    let what = format!("{} / {}", cert.display(), key.display());
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| WebError::Tls(format!("{what} : {e}")))?;
    if certs.is_empty() {
        return Err(WebError::Tls(format!("{what} : aucun certificat")));
    }
    let key =
        PrivateKeyDer::from_pem_file(key).map_err(|e| WebError::Tls(format!("{what} : {e}")))?;
    let provider: &CryptoProvider = &rustls::crypto::ring::default_provider();
    CertifiedKey::from_der(certs, key, provider).map_err(|e| WebError::Tls(format!("{what} : {e}")))
}

/// The certificate served, read again from its files when they change: looked at on a
/// handshake, at most every `every`. A new pair that does not load (half written, a key
/// that does not match) is logged once and the previous certificate kept.
#[derive(Debug)]
pub struct Reloading {
    cert: PathBuf,
    key: PathBuf,
    every: Duration,
    current: RwLock<Arc<CertifiedKey>>,
    check: Mutex<Check>,
}

#[derive(Debug)]
struct Check {
    at: Instant,
    /// The files' stamp when `current` was loaded.
    loaded: Stamp,
    /// The stamp of files that failed to load (not tried again until they change).
    failed: Option<Stamp>,
}

impl Reloading {
    pub fn load(cert: PathBuf, key: PathBuf, every: Duration) -> Result<Reloading, WebError> {
        let loaded = stamp(&cert, &key);
        let current = Arc::new(load_pair(&cert, &key)?);
        Ok(Reloading {
            cert,
            key,
            every,
            current: RwLock::new(current),
            check: Mutex::new(Check {
                at: Instant::now(),
                loaded,
                failed: None,
            }),
        })
    }

    /// Looks at the files if the last look is old enough; loads them if they changed.
    fn refresh(&self) {
        // One handshake looks; the others meanwhile serve what is loaded.
        let Ok(mut check) = self.check.try_lock() else {
            return;
        };
        if check.at.elapsed() < self.every {
            return;
        }
        check.at = Instant::now();
        let now = stamp(&self.cert, &self.key);
        if now == check.loaded || check.failed.as_ref() == Some(&now) {
            return;
        }
        match load_pair(&self.cert, &self.key) {
            Ok(pair) => {
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(pair);
                check.loaded = now;
                check.failed = None;
                tracing::info!("certificat TLS rechargé depuis {}", self.cert.display());
            }
            Err(e) => {
                check.failed = Some(now);
                tracing::warn!("nouveau certificat TLS refusé, l'ancien reste servi : {e}");
            }
        }
    }

    /// The certificate served now.
    pub fn current(&self) -> Arc<CertifiedKey> {
        self.refresh();
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl ResolvesServerCert for Reloading {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_public_url_and_a_specific_listen_address() {
        let any: SocketAddr = "0.0.0.0:8443".parse().unwrap();
        assert_eq!(
            certificate_names("https://Portail.Example.fr:8443/x", any),
            ["portail.example.fr"]
        );
        assert_eq!(
            certificate_names("https://203.0.113.7", "192.0.2.1:443".parse().unwrap()),
            ["203.0.113.7", "192.0.2.1"]
        );
        assert_eq!(
            certificate_names("https://[2001:db8::1]:8443", "[::]:8443".parse().unwrap()),
            ["2001:db8::1"]
        );
        assert_eq!(
            certificate_names("https://192.0.2.1", "192.0.2.1:443".parse().unwrap()),
            ["192.0.2.1"]
        );
        assert!(certificate_names("pas une url", any).is_empty());
    }

    #[test]
    fn generated_certificate_names_the_host_and_is_made_again_only_when_ours() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join("tls");
        let (cert, key) = ensure_self_signed(&tls, &["portail.test".into()]).unwrap();
        let (cn, names) = names_in(&std::fs::read(&cert).unwrap()).unwrap();
        assert_eq!(cn, "Portail");
        assert_eq!(names, ["localhost", "127.0.0.1", "::1", "portail.test"]);
        let first = std::fs::read(&cert).unwrap();
        // Same names: reused.
        ensure_self_signed(&tls, &["portail.test".into()]).unwrap();
        assert_eq!(std::fs::read(&cert).unwrap(), first);
        // Another public host: made again, naming it.
        ensure_self_signed(&tls, &["10.1.2.3".into()]).unwrap();
        let (_, names) = names_in(&std::fs::read(&cert).unwrap()).unwrap();
        assert!(names.contains(&"10.1.2.3".to_string()), "{names:?}");
        assert!(Reloading::load(cert.clone(), key.clone(), RELOAD_CHECK).is_ok());
        // A certificate put there by hand is never replaced, whatever it names.
        let mut p = rcgen::CertificateParams::new(vec!["ailleurs.example".to_string()]).unwrap();
        p.distinguished_name
            .push(rcgen::DnType::CommonName, "ailleurs.example");
        let kp = rcgen::KeyPair::generate().unwrap();
        let mine = p.self_signed(&kp).unwrap().pem();
        std::fs::write(&cert, &mine).unwrap();
        std::fs::write(&key, kp.serialize_pem()).unwrap();
        ensure_self_signed(&tls, &["portail.test".into()]).unwrap();
        assert_eq!(std::fs::read_to_string(&cert).unwrap(), mine);
    }

    #[test]
    fn a_changed_pair_is_reloaded_and_a_broken_one_keeps_the_old() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = ensure_self_signed(dir.path(), &["a.test".into()]).unwrap();
        let r = Reloading::load(cert.clone(), key.clone(), Duration::ZERO).unwrap();
        let first = r.current().cert[0].clone();
        assert_eq!(
            r.current().cert[0],
            first,
            "unchanged files: same certificate"
        );
        // A new pair (written as an operator would: certificate, then key).
        let mut p = rcgen::CertificateParams::new(vec!["b.test".to_string()]).unwrap();
        p.distinguished_name.push(rcgen::DnType::CommonName, "b");
        let kp = rcgen::KeyPair::generate().unwrap();
        let new_pem = p.self_signed(&kp).unwrap().pem();
        std::fs::write(&cert, &new_pem).unwrap();
        // Half done (the old key does not match the new certificate): the old one stays.
        assert_eq!(r.current().cert[0], first);
        std::fs::write(&key, kp.serialize_pem()).unwrap();
        let second = r.current().cert[0].clone();
        assert_ne!(second, first);
        assert_eq!(names_in(&std::fs::read(&cert).unwrap()).unwrap().0, "b");
        // A broken file: the second one stays served.
        std::fs::write(&cert, "-----BEGIN CERTIFICATE-----\nabc\n").unwrap();
        assert_eq!(r.current().cert[0], second);
        std::fs::remove_file(&key).unwrap();
        assert_eq!(r.current().cert[0], second);
    }
}
