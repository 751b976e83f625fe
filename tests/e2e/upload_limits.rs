//! Upload limits through the one-time upload pages (issue 13, item 7): each 413 names its
//! own kind and size; an image over the pixel limit is refused before it is decoded.

use crate::harness::*;

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap()
}

async fn link(server: &TestServer, tr: &str, cmd: &str) -> String {
    let r = exec(server.addr(), tr, TRAINER_PASSWORD, cmd, Some(b"")).await;
    assert_eq!(r.status, Some(0), "{cmd}: {}", r.stderr);
    let start = r.stdout.find("https://").expect("a link");
    r.stdout[start..]
        .split(['>', ' ', '\n'])
        .next()
        .unwrap()
        .to_string()
}

async fn post(page: &str, bytes: Vec<u8>, name: &'static str) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
    let r = client()
        .post(page)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A tiny valid PNG whose header claims `w`×`h` pixels (no pixel data follows).
fn bomb(w: u32, h: u32) -> Vec<u8> {
    let mut p = Vec::new();
    image::RgbImage::new(1, 1)
        .write_to(&mut std::io::Cursor::new(&mut p), image::ImageFormat::Png)
        .unwrap();
    p[16..20].copy_from_slice(&w.to_be_bytes());
    p[20..24].copy_from_slice(&h.to_be_bytes());
    let mut c = 0xffff_ffffu32;
    for &b in &p[12..29] {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    p[29..33].copy_from_slice(&(!c).to_be_bytes());
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_upload_limit_names_its_own_kind_and_size() {
    let server = TestServer::start().await;
    let tr = server.trainer("prof@example.fr").await;
    let r = exec(
        server.addr(),
        &tr,
        TRAINER_PASSWORD,
        "course add --title Shell --published",
        Some(b""),
    )
    .await;
    assert_eq!(r.status, Some(0), "{}", r.stderr);

    // A course file over 100 MB.
    let page = link(&server, &tr, "resource upload-link Shell --title Support").await;
    let (status, body) = post(&page, vec![b'a'; 101 * 1024 * 1024], "gros.pdf").await;
    assert_eq!(status, 413);
    assert!(body.contains("100 Mo au plus"), "{body}");
    assert!(body.contains("Fichier du cours"), "{body}");
    assert!(!body.contains("photo") && !body.contains("10 Mo"), "{body}");

    // A photo over 10 MB.
    let page = link(&server, &tr, "avatar link").await;
    let (status, body) = post(&page, vec![0u8; 11 * 1024 * 1024], "moi.png").await;
    assert_eq!(status, 413);
    assert!(
        body.contains("10 Mo au plus") && body.contains("photo"),
        "{body}"
    );

    // 8000 × 8000 (64 megapixels, 256 MB decoded): over the 40-megapixel limit, refused
    // from its header, before decoding.
    let (status, body) = post(&page, bomb(8_000, 8_000), "grande.png").await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("trop grande"), "{body}");
    // The link was not spent: a good photo still goes through.
    let mut ok = Vec::new();
    image::RgbImage::new(64, 64)
        .write_to(&mut std::io::Cursor::new(&mut ok), image::ImageFormat::Png)
        .unwrap();
    assert_eq!(post(&page, ok, "moi.png").await.0, 200);
}
