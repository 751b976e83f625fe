//! The HTTPS certificate as a browser checks it: the generated one names the public
//! URL's host, and a replaced certificate file is served without a restart (a broken one
//! keeps the old).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::harness::*;

/// The certificates of a PEM file, in DER.
fn ders(pem: &Path) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(pem)
        .unwrap()
        .map(|c| c.unwrap())
        .collect()
}

/// A TLS handshake to `addr` for the host `name`, trusting only `trusted` (as a browser
/// that was told to trust that certificate): the certificate served, or the error.
async fn served_for(
    addr: SocketAddr,
    name: &str,
    trusted: &[CertificateDer<'static>],
) -> Result<CertificateDer<'static>, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
    for c in trusted {
        roots.add(c.clone()).unwrap();
    }
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(addr).await.unwrap();
    let tls = TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from(name.to_string()).unwrap(), tcp)
        .await
        .map_err(|e| e.to_string())?;
    Ok(tls.get_ref().1.peer_certificates().unwrap()[0].clone())
}

/// Another certificate/key pair naming `names`, made in a directory of its own.
fn other_pair(dir: &Path, names: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let (cert, key) = portail_web::ensure_self_signed(dir, &names).unwrap();
    (std::fs::read(cert).unwrap(), std::fs::read(key).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_names_the_public_host_and_is_reloaded_when_replaced() {
    let server = TestServer::start_configured(false, |s| {
        s.public_url = Some("https://portail.test:8443".into());
    })
    .await;
    let addr = server.running.https_addr;
    let tls_dir = server.dir.path().join("data/tls");
    let cert_path = tls_dir.join("cert.pem");
    let key_path = tls_dir.join("key.pem");
    let generated = ders(&cert_path);
    let (cn, names) = portail_web::names_in(&std::fs::read(&cert_path).unwrap()).unwrap();
    assert_eq!(cn, "Portail");
    assert!(names.contains(&"portail.test".to_string()), "{names:?}");

    // A browser that trusts it accepts it for portail.test (and localhost), not elsewhere.
    let served = served_for(addr, "portail.test", &generated).await.unwrap();
    assert_eq!(served, generated[0]);
    served_for(addr, "localhost", &generated).await.unwrap();
    let elsewhere = served_for(addr, "autre.test", &generated).await;
    assert!(elsewhere.is_err(), "a name it does not hold: {elsewhere:?}");

    // Replaced on disk (key first, then certificate), served without a restart.
    let spare = tempfile::tempdir().unwrap();
    let (new_cert, new_key) = other_pair(spare.path(), &["portail.test"]);
    std::fs::write(&key_path, &new_key).unwrap();
    std::fs::write(&cert_path, &new_cert).unwrap();
    let replacement = ders(&cert_path);
    assert_ne!(replacement, generated);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now = served_for(addr, "portail.test", &replacement).await;
        if now.as_ref() == Ok(&replacement[0]) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the replaced certificate is not served: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // A broken file: logged, and the last good certificate stays served.
    std::fs::write(
        &cert_path,
        "-----BEGIN CERTIFICATE-----\npas un certificat\n",
    )
    .unwrap();
    tokio::time::sleep(portail_web::RELOAD_CHECK + Duration::from_millis(500)).await;
    for _ in 0..3 {
        let now = served_for(addr, "portail.test", &replacement).await;
        assert_eq!(now.as_ref(), Ok(&replacement[0]));
    }
    // HTTPS still answers.
    let health = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap()
        .get(format!("https://{addr}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_given_by_the_operator_is_served_as_is() {
    let mine = tempfile::tempdir().unwrap();
    let (cert, _) = other_pair(mine.path(), &["prof.example"]);
    let cert_path = mine.path().join("cert.pem");
    let key_path = mine.path().join("key.pem");
    let (c, k) = (cert_path.clone(), key_path.clone());
    let server = TestServer::start_configured(false, move |s| {
        s.public_url = Some("https://portail.test".into());
        s.tls_cert = Some(c);
        s.tls_key = Some(k);
    })
    .await;
    let trusted = ders(&cert_path);
    let served = served_for(server.running.https_addr, "prof.example", &trusted)
        .await
        .unwrap();
    assert_eq!(served, trusted[0]);
    // Never rewritten for the public host, nothing generated beside it.
    assert_eq!(std::fs::read(&cert_path).unwrap(), cert);
    assert!(!server.dir.path().join("data/tls/cert.pem").exists());
}
