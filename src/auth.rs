//! Password hashing (argon2id, OWASP parameters), password policy, activation codes.
//!
//! Hashing runs on the blocking pool, bounded by a semaphore, so a burst of logins
//! neither stalls the async runtime nor exhausts memory (19 MiB per hash).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::Rng;
use tokio::sync::Semaphore;

use crate::i18n::Key;
use crate::{Error, Result};

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Anything longer than this is not even hashed (it cannot be a valid password or code).
pub const MAX_SECRET_BYTES: usize = 1024;

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common_passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
});

/// Checks a new password against the rules: length 8..=128 characters, not a common
/// password, not the user's own login or e-mail. No composition rules (NIST 800-63B).
pub fn check_password_policy(password: &str, identifiers: &[&str]) -> Result<(), Key> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(Key::PwTooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(Key::PwTooLong);
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(lower.as_str()) {
        return Err(Key::PwCommon);
    }
    for id in identifiers {
        let id = id.trim().to_lowercase();
        if !id.is_empty() && (lower == id || id.split('@').next() == Some(lower.as_str())) {
            return Err(Key::PwSameAsLogin);
        }
    }
    Ok(())
}

fn argon2() -> Argon2<'static> {
    // OWASP: argon2id, m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The first `count` blocks of `memory`, grown if needed.
fn blocks(memory: &mut Vec<Block>, count: usize) -> &mut [Block] {
    if memory.len() < count {
        memory.resize(count, Block::default());
    }
    &mut memory[..count]
}

/// Hashes into a PHC string, with `memory` as argon2's working memory (see [`MemoryPool`]).
fn hash_blocking(secret: &str, memory: &mut Vec<Block>) -> Result<String> {
    let internal = |e: &dyn std::fmt::Display| Error::Internal(format!("argon2: {e}"));
    let a = argon2();
    let params = a.params().clone();
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| internal(&e))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    a.hash_password_into_with_memory(
        secret.as_bytes(),
        salt_raw,
        &mut out,
        blocks(memory, params.block_count()),
    )
    .map_err(|e| internal(&e))?;
    let phc = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().map_err(|e| internal(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| internal(&e))?),
    };
    Ok(phc.to_string())
}

/// Verifies `secret` against a PHC string (its own algorithm, version and parameters),
/// with `memory` as argon2's working memory. The comparison is constant-time.
fn verify_blocking(secret: &str, phc: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) = (
        Params::try_from(&parsed),
        Algorithm::try_from(parsed.algorithm),
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::V0x13,
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_raw) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let count = params.block_count();
    let a = Argon2::new(algorithm, version, params);
    let computed = Output::init_with(expected.len(), |out| {
        a.hash_password_into_with_memory(secret.as_bytes(), salt_raw, out, blocks(memory, count))
            .map_err(|_| argon2::password_hash::Error::Crypto)
    });
    // `Output`'s equality is constant-time.
    computed.is_ok_and(|c| c == expected)
}

/// argon2's working memory (19 MiB per hash), kept and reused. Allocated afresh for every
/// hash on the blocking pool, the allocator kept a copy in each of its per-thread arenas:
/// the server grew by hundreds of MiB after a burst of logins (load benchmark). The
/// semaphore bounds how many are in use, hence how many are kept.
#[derive(Default)]
struct MemoryPool(Mutex<Vec<Vec<Block>>>);

impl MemoryPool {
    fn with<T>(&self, f: impl FnOnce(&mut Vec<Block>) -> T) -> T {
        let mut memory = self
            .0
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_default();
        let result = f(&mut memory);
        if let Ok(mut pool) = self.0.lock() {
            pool.push(memory);
        }
        result
    }
}

/// Bounded, off-runtime argon2id hashing and verification.
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    memory: Arc<MemoryPool>,
    /// Verified when the user is unknown, so unknown users cost the same time.
    dummy_hash: String,
    verifications: AtomicU64,
}

impl PasswordHasher {
    pub fn new(max_concurrent: usize) -> Result<Self> {
        Ok(Self {
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            memory: Arc::default(),
            dummy_hash: hash_blocking("portail-dummy-password-for-timing", &mut Vec::new())?,
            verifications: AtomicU64::new(0),
        })
    }

    pub async fn hash(&self, secret: &str) -> Result<String> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        let secret = secret.to_owned();
        let memory = self.memory.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            memory.with(|m| hash_blocking(&secret, m))
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
    }

    /// Verifies `secret` against `phc`. With `None` (unknown user, no password set) the dummy
    /// hash is verified instead and the answer is `false`: same cost, same answer.
    pub async fn verify(&self, secret: &str, phc: Option<&str>) -> bool {
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let Ok(permit) = self.permits.clone().acquire_owned().await else {
            return false;
        };
        let real = phc.is_some();
        let phc = phc.unwrap_or(&self.dummy_hash).to_owned();
        // Oversized input is compared against nothing real, but still costs one hash.
        let oversized = secret.len() > MAX_SECRET_BYTES;
        let secret = if oversized {
            String::new()
        } else {
            secret.to_owned()
        };
        let memory = self.memory.clone();
        let ok = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            memory.with(|m| verify_blocking(&secret, &phc, m))
        })
        .await
        .unwrap_or(false);
        ok && real && !oversized
    }

    /// How many verifications ran (unknown users included): lets tests prove that the
    /// unknown-user path really pays for a hash.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }
}

const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const PASSWORD_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn random_groups(alphabet: &[u8], groups: usize, len: usize) -> String {
    let mut rng = rand::rng();
    (0..groups)
        .map(|_| {
            (0..len)
                .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A random initial password (about 95 bits), e.g. `k3Tq-Zm9P-…`.
pub fn generate_password() -> String {
    random_groups(PASSWORD_ALPHABET, 4, 4)
}

/// A student activation code: 12 characters without ambiguous ones (0/O, 1/I), ~60 bits,
/// shown as `ABCD-EFGH-JKLM`.
pub fn generate_activation_code() -> String {
    random_groups(CODE_ALPHABET, 3, 4)
}

/// Stores an activation code as a fast salted hash (`s256$salt$digest`). Codes are random
/// (~60 bits) and expire, so a slow hash adds nothing but cost; bulk imports stay fast.
pub fn hash_activation_code(code: &str) -> String {
    use rand::RngCore;
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = hex_string(&salt);
    format!(
        "s256${salt}${}",
        code_digest(&salt, &normalize_activation_code(code))
    )
}

/// Checks a typed code against a stored hash (constant time). `None` still costs a digest.
pub fn verify_activation_code(input: &str, stored: Option<&str>) -> bool {
    use subtle::ConstantTimeEq;
    let normalized = normalize_activation_code(input);
    let (salt, expected, real) = match stored.and_then(|s| s.strip_prefix("s256$")?.split_once('$'))
    {
        Some((salt, digest)) => (salt, digest, true),
        None => ("00000000000000000000000000000000", "", false),
    };
    let actual = code_digest(salt, &normalized);
    let same: bool = actual.as_bytes().ct_eq(expected.as_bytes()).into();
    same && real && !normalized.is_empty()
}

fn code_digest(salt: &str, normalized: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"portail-activation-v1\0");
    h.update(salt.as_bytes());
    h.update(b"\0");
    h.update(normalized.as_bytes());
    hex_string(&h.finalize())
}

pub fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a person may type for a code: any case, with or without dashes or spaces.
pub fn normalize_activation_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_length_common_and_identity() {
        assert_eq!(check_password_policy("short", &[]), Err(Key::PwTooShort));
        assert_eq!(
            check_password_policy(&"x".repeat(129), &[]),
            Err(Key::PwTooLong)
        );
        assert!(check_password_policy(&"é".repeat(64), &[]).is_ok());
        assert_eq!(check_password_policy("password", &[]), Err(Key::PwCommon));
        assert_eq!(check_password_policy("Azertyuiop", &[]), Err(Key::PwCommon));
        assert_eq!(
            check_password_policy("marie.curie", &["marie.curie@example.fr"]),
            Err(Key::PwSameAsLogin)
        );
        assert!(check_password_policy("cheval agrafe pile", &["marie@x.fr"]).is_ok());
    }

    #[tokio::test]
    async fn hash_verify_and_dummy() {
        let h = PasswordHasher::new(2).unwrap();
        let phc = h.hash("cheval agrafe pile").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(h.verify("cheval agrafe pile", Some(&phc)).await);
        assert!(!h.verify("cheval agrafe pilE", Some(&phc)).await);
        // The dummy hash is never a valid answer, even for its own password.
        assert!(!h.verify("portail-dummy-password-for-timing", None).await);
        assert_eq!(h.verifications(), 3);
    }

    /// The pooled-memory hashing is argon2's own: hashes stored by the library's hasher
    /// verify, and ours verify with the library's verifier.
    #[test]
    fn pooled_hashing_matches_the_library() {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let mut memory = Vec::new();
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let theirs = argon2()
            .hash_password(b"cheval agrafe pile", &salt)
            .unwrap()
            .to_string();
        assert!(verify_blocking("cheval agrafe pile", &theirs, &mut memory));
        assert!(!verify_blocking("cheval agrafe pilE", &theirs, &mut memory));
        let ours = hash_blocking("cheval agrafe pile", &mut memory).unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            argon2()
                .verify_password(b"cheval agrafe pile", &parsed)
                .is_ok()
        );
        assert!(!verify_blocking("x", "not a phc string", &mut memory));
        // One working memory, reused: 19 MiB of blocks.
        assert_eq!(memory.len(), 19 * 1024);
    }

    #[test]
    fn activation_codes_use_a_salted_fast_hash() {
        let code = generate_activation_code();
        let stored = hash_activation_code(&code);
        assert!(stored.starts_with("s256$"));
        assert_ne!(stored, hash_activation_code(&code), "salted");
        assert!(verify_activation_code(
            &code.to_lowercase().replace('-', " "),
            Some(&stored)
        ));
        assert!(!verify_activation_code("AAAA-BBBB-CCCC", Some(&stored)));
        assert!(!verify_activation_code(&code, None));
        assert!(!verify_activation_code("", Some(&stored)));
        assert!(!verify_activation_code(&code, Some("garbage")));
    }

    #[test]
    fn codes_are_normalized() {
        let code = generate_activation_code();
        assert_eq!(code.len(), 14);
        assert_eq!(
            normalize_activation_code(&code.to_lowercase()),
            code.replace('-', "")
        );
        assert_ne!(generate_password(), generate_password());
    }
}
