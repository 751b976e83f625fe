//! File descriptors: the process raises its soft limit to the hard one at start, and the
//! HTTPS connection cap is sized so that SSH and HTTPS together stay below it.

use nix::sys::resource::{Resource, getrlimit, setrlimit};
use portail_web::HttpsLimits;

use crate::config::SshLimits;

/// The descriptor limits seen at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoFile {
    /// The soft limit found at start.
    pub before: u64,
    /// The soft limit now (the hard one when raising it worked).
    pub soft: u64,
    pub hard: u64,
}

/// Raises the soft `RLIMIT_NOFILE` to the hard limit (a no-op when they are equal).
pub fn raise_nofile() -> std::io::Result<NoFile> {
    let (before, hard) = getrlimit(Resource::RLIMIT_NOFILE).map_err(std::io::Error::from)?;
    if before >= hard {
        return Ok(NoFile {
            before,
            soft: before,
            hard,
        });
    }
    // An unlimited hard limit is not a valid soft one for descriptors (Linux caps it at
    // fs.nr_open): try it, then a large finite value.
    let candidates = [hard, 1 << 20, 1 << 16];
    for soft in candidates.into_iter().filter(|&s| s > before && s <= hard) {
        if setrlimit(Resource::RLIMIT_NOFILE, soft, hard).is_ok() {
            return Ok(NoFile { before, soft, hard });
        }
    }
    Ok(NoFile {
        before,
        soft: before,
        hard,
    })
}

/// Descriptors kept for everything but connections: the database and its WAL, logs, the
/// listeners, host keys, certificate reloads, imports, backups.
pub const RESERVED_FDS: u64 = 256;

/// The HTTPS caps that fit under the soft limit: HTTPS gets at most half of what the
/// reserve and the SSH connections not logged in leave, at two descriptors per HTTPS
/// connection (its socket and the file it is sending), so a flood of HTTPS connections
/// can never take the descriptors SSH needs to accept and log people in, nor the reverse.
pub fn size_https(mut limits: HttpsLimits, soft: u64, ssh: &SshLimits) -> HttpsLimits {
    let left = soft.saturating_sub(RESERVED_FDS + ssh.max_unauthenticated as u64);
    let fit = usize::try_from(left / 2 / 2).unwrap_or(usize::MAX).max(1);
    limits.max_connections = limits.max_connections.clamp(1, fit);
    limits.max_connections_per_source = limits
        .max_connections_per_source
        .clamp(1, limits.max_connections);
    limits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soft_limit_is_raised_to_the_hard_one() {
        let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
        // Lower it first (allowed without privilege), then raise it back.
        let low = soft.min(hard).min(512);
        setrlimit(Resource::RLIMIT_NOFILE, low, hard).unwrap();
        let n = raise_nofile().unwrap();
        assert_eq!(n.before, low);
        assert_eq!(n.hard, hard);
        if hard != nix::sys::resource::RLIM_INFINITY {
            assert_eq!(n.soft, hard);
        }
        assert_eq!(getrlimit(Resource::RLIMIT_NOFILE).unwrap().0, n.soft);
        // Once raised, again is a no-op.
        assert_eq!(raise_nofile().unwrap().before, n.soft);
    }

    #[test]
    fn https_cap_leaves_room_for_ssh() {
        let ssh = SshLimits::default();
        let d = HttpsLimits::default();
        // Plenty of descriptors: the configured caps stand.
        assert_eq!(size_https(d.clone(), 1 << 20, &ssh), d);
        // 1024: (1024 - 256 - 100) / 4 = 167 connections, at most 334 descriptors.
        let s = size_https(d.clone(), 1024, &ssh);
        assert_eq!(s.max_connections, 167);
        assert_eq!(s.max_connections_per_source, 64);
        assert!(
            2 * s.max_connections as u64 + RESERVED_FDS + ssh.max_unauthenticated as u64 <= 1024
        );
        // Tiny limits still serve one connection; per source never above the total.
        let s = size_https(d, 100, &ssh);
        assert_eq!((s.max_connections, s.max_connections_per_source), (1, 1));
    }
}
