//! The HTTPS door, through real TLS requests.

use crate::harness::*;

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_over_https_with_the_generated_certificate() {
    let server = TestServer::start().await;
    let url = format!("https://{}/health", server.running.https_addr);
    let resp = client().get(&url).send().await.expect("HTTPS request");
    assert_eq!(resp.status(), 200);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["status"], "ok");
    // Plain HTTP on the TLS port is not served.
    let plain = reqwest::Client::new()
        .get(format!("http://{}/health", server.running.https_addr))
        .send()
        .await;
    assert!(plain.map(|r| r.status() != 200).unwrap_or(true));
    // The certificate persists in the data dir for the next start.
    assert!(server.dir.path().join("data/tls/cert.pem").exists());
    let unknown = client()
        .get(format!("https://{}/nope", server.running.https_addr))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}
