//! Stored files and signed links.
//!
//! Files live under `data/files/` with generated names only (32 hex characters): the
//! user's file name is metadata in the database, never a path. Files are opened with
//! `O_NOFOLLOW`, so a symlink planted in the storage directory is never followed.
//! Download links are HMAC-SHA256 signatures over file, user and expiry, with a secret
//! generated once in the data dir.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::auth::hex_string;
use crate::{Error, Result};

pub const FILES_DIR: &str = "files";
pub const SECRET_FILE: &str = "link_secret";

/// Metadata of a file just written.
#[derive(Debug, Clone)]
pub struct Written {
    pub storage_name: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

/// A generated storage name: exactly 32 lower-case hex characters (and an optional
/// `.png` for images), nothing a path could be made of.
pub fn valid_storage_name(name: &str) -> bool {
    let stem = name.strip_suffix(".png").unwrap_or(name);
    stem.len() == 32
        && stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl FileStore {
    pub fn open(data_dir: &Path) -> Result<FileStore> {
        let dir = data_dir.join(FILES_DIR);
        crate::private_fs::dir(&dir)?;
        Ok(FileStore { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn new_name(suffix: &str) -> String {
        let mut b = [0u8; 16];
        rand::rng().fill_bytes(&mut b);
        format!("{}{suffix}", hex_string(&b))
    }

    /// Writes bytes under a new generated name (temp file, fsync, rename).
    pub fn write(&self, bytes: &[u8], suffix: &str) -> Result<Written> {
        let name = Self::new_name(suffix);
        let tmp = self.dir.join(format!(".tmp-{name}"));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, self.dir.join(&name))?;
        Ok(Written {
            storage_name: name,
            size: bytes.len() as u64,
            sha256: hex_string(&Sha256::digest(bytes)),
        })
    }

    /// Opens a stored file for reading; refuses anything but a generated name and never
    /// follows a symlink.
    pub fn open_file(&self, storage_name: &str) -> Result<std::fs::File> {
        if !valid_storage_name(storage_name) {
            return Err(Error::NotFound);
        }
        let f = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(self.dir.join(storage_name))
            .map_err(|_| Error::NotFound)?;
        if !f.metadata()?.is_file() {
            return Err(Error::NotFound);
        }
        Ok(f)
    }

    pub fn remove(&self, storage_name: &str) {
        if valid_storage_name(storage_name) {
            let _ = std::fs::remove_file(self.dir.join(storage_name));
        }
    }
}

/// Why a signed link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Malformed, tampered, truncated or someone else's: 403.
    BadSignature,
    /// Valid but past its expiry: 410.
    Expired,
}

#[derive(Clone)]
pub struct LinkSigner {
    secret: [u8; 32],
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSigner(..)")
    }
}

impl LinkSigner {
    /// Loads the secret from the data dir, generating it (0600) on first use.
    pub fn load_or_create(data_dir: &Path) -> Result<LinkSigner> {
        let path = data_dir.join(SECRET_FILE);
        if path.exists() {
            // Never silently replace a secret: every link signed with it would break.
            crate::private_fs::file(&path)?;
            let bytes = std::fs::read(&path)?;
            let secret: [u8; 32] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| Error::Internal(format!("{} : 32 octets attendus", path.display())))?;
            return Ok(LinkSigner { secret });
        }
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let mut f = crate::private_fs::create_new(&path)?;
        f.write_all(&secret)?;
        f.sync_all()?;
        Ok(LinkSigner { secret })
    }

    fn mac(&self, purpose: &str, file: i64, user: i64, expires: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        mac.update(format!("{purpose}:{file}:{user}:{expires}").as_bytes());
        mac
    }

    /// `/f/{file}/{user}/{expires}/{signature}`
    pub fn sign_path(&self, file: i64, user: i64, expires: i64) -> String {
        let sig = hex_string(
            &self
                .mac("download", file, user, expires)
                .finalize()
                .into_bytes(),
        );
        format!("/f/{file}/{user}/{expires}/{sig}")
    }

    /// Checks a link's signature (constant time), then its expiry against `now`.
    pub fn verify(
        &self,
        file: i64,
        user: i64,
        expires: i64,
        sig: &str,
        now: i64,
    ) -> std::result::Result<(), LinkError> {
        let Some(bytes) = decode_hex(sig) else {
            return Err(LinkError::BadSignature);
        };
        self.mac("download", file, user, expires)
            .verify_slice(&bytes)
            .map_err(|_| LinkError::BadSignature)?;
        if expires < now {
            return Err(LinkError::Expired);
        }
        Ok(())
    }
}

/// 64 hex digits (either case) → 32 bytes. Nothing else: `from_str_radix` alone would
/// also take a sign (`+a` for `0a`), letting one signature be written several ways
/// (found by the `signed_link` fuzz target).
fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// The content type of a file from its first bytes (magic), or a generic one.
pub fn sniff_content_type(bytes: &[u8]) -> &'static str {
    if let Some(kind) = infer::get(bytes) {
        return kind.mime_type();
    }
    if std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() {
        "text/plain; charset=utf-8"
    } else {
        "application/octet-stream"
    }
}

/// Whether a browser may show a file of this content type itself (PDF, video, audio,
/// raster images) rather than save it. The content type is the one sniffed at upload,
/// never the uploader's claim. Anything that could run script on the file server's
/// origin (HTML, SVG, XML…) or is unknown is saved, never shown.
pub fn shown_inline(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/pdf"
            | "video/mp4"
            | "video/webm"
            | "video/ogg"
            | "audio/mpeg"
            | "audio/ogg"
            | "audio/wav"
            | "audio/x-wav"
            | "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_passive_types_are_shown_inline() {
        for shown in [
            "application/pdf",
            "video/mp4",
            "video/webm",
            "image/png",
            "IMAGE/JPEG",
            "audio/mpeg",
        ] {
            assert!(shown_inline(shown), "{shown}");
        }
        for saved in [
            "text/html",
            "text/html; charset=utf-8",
            "image/svg+xml",
            "application/xhtml+xml",
            "text/xml",
            "application/javascript",
            "text/plain; charset=utf-8",
            "application/octet-stream",
            "application/zip",
            "",
        ] {
            assert!(!shown_inline(saved), "{saved}");
        }
        // What the sniffer gives for these files.
        assert!(shown_inline(sniff_content_type(b"%PDF-1.7\n")));
        assert!(!shown_inline(sniff_content_type(
            b"<!DOCTYPE html><html><script>alert(1)</script>"
        )));
        assert!(!shown_inline(sniff_content_type(
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
        )));
    }

    #[test]
    fn signed_links_refuse_tampering_other_users_and_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let s = LinkSigner::load_or_create(dir.path()).unwrap();
        let again = LinkSigner::load_or_create(dir.path()).unwrap();
        let path = s.sign_path(7, 3, 2_000);
        let parts: Vec<&str> = path.split('/').collect();
        let sig = parts[5];
        assert_eq!(
            again.verify(7, 3, 2_000, sig, 1_000),
            Ok(()),
            "secret persisted"
        );
        assert_eq!(
            s.verify(7, 4, 2_000, sig, 1_000),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            s.verify(8, 3, 2_000, sig, 1_000),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            s.verify(7, 3, 2_001, sig, 1_000),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            s.verify(7, 3, 2_000, &sig[..63], 1_000),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            s.verify(7, 3, 2_000, "zz", 1_000),
            Err(LinkError::BadSignature)
        );
        assert_eq!(s.verify(7, 3, 2_000, sig, 3_000), Err(LinkError::Expired));
        // One signature, one spelling (case aside): no sign in place of a leading 0.
        let upper = sig.to_ascii_uppercase();
        assert_eq!(s.verify(7, 3, 2_000, &upper, 1_000), Ok(()));
        let mut b = [0u8; 32];
        b[0] = 0x0a;
        let mac = hex_string(&b);
        assert!(decode_hex(&mac).is_some());
        assert_eq!(decode_hex(&mac.replacen("0a", "+a", 1)), None);
        assert_eq!(decode_hex(&format!("-{}", &mac[1..])), None);
        for at in (0..64).step_by(2) {
            if sig.as_bytes()[at] == b'0' {
                let mut signed = sig.to_string();
                signed.replace_range(at..at + 1, "+");
                assert_eq!(
                    s.verify(7, 3, 2_000, &signed, 1_000),
                    Err(LinkError::BadSignature)
                );
            }
        }
    }

    #[test]
    fn store_writes_generated_names_and_never_follows_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        let w = store.write(b"hello", "").unwrap();
        assert!(valid_storage_name(&w.storage_name));
        assert_eq!(
            w.sha256,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        assert!(store.open_file(&w.storage_name).is_ok());
        for bad in ["../etc/passwd", "/etc/passwd", "..", "%2e%2e", "abc"] {
            assert!(store.open_file(bad).is_err(), "{bad}");
        }
        let secret = dir.path().join("secret.txt");
        std::fs::write(&secret, "top secret").unwrap();
        let planted = "0123456789abcdef0123456789abcdef";
        std::os::unix::fs::symlink(&secret, store.dir().join(planted)).unwrap();
        assert!(store.open_file(planted).is_err(), "symlink followed");
    }

    #[test]
    fn content_types_come_from_magic_bytes() {
        assert_eq!(sniff_content_type(b"%PDF-1.7\n"), "application/pdf");
        assert_eq!(
            sniff_content_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            "image/png"
        );
        assert_eq!(sniff_content_type(b"bonjour"), "text/plain; charset=utf-8");
    }
}
