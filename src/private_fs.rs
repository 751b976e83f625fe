//! Files only the server's user may read: the data dir and everything secret in it (the
//! database and its `-wal`/`-shm`, the link secret, the TLS key, the SSH host key, the
//! first-run password, backups).
//!
//! The rule: directories 0700, files 0600, set explicitly, whatever the umask (a umask
//! only removes bits, and a file that already exists keeps its mode, so existing ones
//! are tightened too).

use std::fs::{File, OpenOptions, Permissions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

pub const DIR_MODE: u32 = 0o700;
pub const FILE_MODE: u32 = 0o600;

/// Creates `dir` (and missing parents) with mode 0700; an existing one open to group or
/// others is narrowed to 0700.
pub fn dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)?;
    tighten(dir, DIR_MODE)
}

/// Narrows `path` to `mode` when group or others have any right on it; nothing when it
/// does not exist.
pub fn tighten(path: &Path, mode: u32) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Ok(()),
        Ok(m) if m.permissions().mode() & 0o077 != 0 => {
            std::fs::set_permissions(path, Permissions::from_mode(mode))
        }
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Narrows a file to 0600 (see [`tighten`]).
pub fn file(path: &Path) -> std::io::Result<()> {
    tighten(path, FILE_MODE)
}

/// Creates a new file with mode 0600 (never follows a symlink, never replaces a file).
pub fn create_new(path: &Path) -> std::io::Result<File> {
    let f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)?;
    f.set_permissions(Permissions::from_mode(FILE_MODE))?;
    Ok(f)
}

/// Writes `bytes` to `path` (replaced if present) as a 0600 file, durably.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut f = create_new(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Sets 0700 on `root` and every directory under it, 0600 on every file (symlinks are
/// left alone, never followed).
pub fn tree(root: &Path) -> std::io::Result<()> {
    std::fs::set_permissions(root, Permissions::from_mode(DIR_MODE))?;
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            tree(&entry.path())?;
        } else if kind.is_file() {
            std::fs::set_permissions(entry.path(), Permissions::from_mode(FILE_MODE))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn dirs_and_files_are_private_and_lax_ones_are_narrowed() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("a/b");
        dir(&d).unwrap();
        assert_eq!(mode(&d), 0o700);
        std::fs::set_permissions(&d, Permissions::from_mode(0o755)).unwrap();
        dir(&d).unwrap();
        assert_eq!(mode(&d), 0o700);
        let f = d.join("secret");
        write(&f, b"x").unwrap();
        assert_eq!(mode(&f), 0o600);
        std::fs::set_permissions(&f, Permissions::from_mode(0o644)).unwrap();
        file(&f).unwrap();
        assert_eq!(mode(&f), 0o600);
        assert!(create_new(&f).is_err(), "never replaces");
        std::fs::set_permissions(&f, Permissions::from_mode(0o666)).unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::set_permissions(d.join("sub"), Permissions::from_mode(0o777)).unwrap();
        tree(t.path()).unwrap();
        assert_eq!(mode(&f), 0o600);
        assert_eq!(mode(&d.join("sub")), 0o700);
    }
}
