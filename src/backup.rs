//! Full backups, taken while the server runs, and their restore.
//!
//! A full backup is everything the data dir holds that cannot be made again, in one tar
//! archive:
//! - `portail.db`: a consistent snapshot of the database, made by SQLite's `VACUUM INTO`
//!   in one read transaction (in WAL mode readers never block the server, nor it them);
//! - `files/…`: every uploaded file the snapshot refers to (course files, photos, logos),
//!   copied after the snapshot (files are written before their row, so each one the
//!   snapshot names already exists);
//! - `link_secret`: the key of signed download links (links already sent keep working);
//! - `tls/…`: the generated self-signed certificate, when there is one;
//! - `host_keys/ssh_host_ed25519_key`: the SSH host key, so users see the same server.
//!
//! The archive holds secrets (password hashes, the link and host keys): it is written
//! with mode 0600, and every entry in it is stored 0600 (directories 0700), so a plain
//! `tar -xf` leaves nothing readable by others. Restoring unpacks it into a new, empty data
//! dir (and the host key into the host key dir when that one has none), after checking
//! the database; the restored data dir is 0700 and every file in it 0600, whatever the
//! archive says (older backups stored 0644) and whatever the umask.

use std::fs::{self, File, OpenOptions};
use std::io::BufWriter;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use crate::files::{FILES_DIR, SECRET_FILE, valid_storage_name};
use crate::store::DB_FILE;

/// Name of the host key in the archive.
pub const HOST_KEY_ENTRY: &str = "host_keys/ssh_host_ed25519_key";
const HOST_KEY_FILE: &str = "ssh_host_ed25519_key";

/// Why a backup or a restore failed (operator messages, in French like the binary's).
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("aucune base Portail dans {0} (portail.db absent)")]
    NoDatabase(PathBuf),
    #[error(
        "{0} existe déjà : choisissez un autre nom (une sauvegarde n'en écrase jamais une autre)"
    )]
    Exists(PathBuf),
    #[error(
        "le répertoire de données {0} n'est pas vide : la restauration se fait dans un répertoire neuf"
    )]
    NotEmpty(PathBuf),
    #[error("{0} n'est pas une sauvegarde Portail (portail.db manquant dans l'archive)")]
    NotABackup(PathBuf),
    #[error("la base sauvegardée est endommagée : {0}")]
    Corrupt(String),
    #[error("base de données : {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What a backup holds.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub path: PathBuf,
    pub db_bytes: u64,
    /// Uploaded files copied, and their total size.
    pub files: usize,
    pub files_bytes: u64,
    /// Files the snapshot names that were gone from the disk (deleted meanwhile).
    pub missing: Vec<String>,
    pub host_key: bool,
    /// Size of the archive.
    pub bytes: u64,
}

/// What a restore put back.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub data_dir: PathBuf,
    pub users: i64,
    pub files: usize,
    /// The host key was restored (false: the host key dir already had one, kept).
    pub host_key_restored: bool,
}

fn connect_options(db: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(db)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(30))
}

/// `PRAGMA integrity_check` on a database file; `Ok(())` when it says "ok".
pub async fn integrity_check(db: &Path) -> Result<(), BackupError> {
    let mut conn = SqliteConnection::connect_with(&connect_options(db)).await?;
    let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?;
    conn.close().await?;
    if rows == ["ok"] {
        Ok(())
    } else {
        Err(BackupError::Corrupt(rows.join("; ")))
    }
}

/// Writes a full backup of `data_dir` (and the host key in `host_key_dir`) to `dest`, a
/// new file. Safe while the server runs; it never writes into the data dir.
pub async fn create(
    data_dir: &Path,
    host_key_dir: Option<&Path>,
    dest: &Path,
) -> Result<BackupReport, BackupError> {
    let db = data_dir.join(DB_FILE);
    if !db.is_file() {
        return Err(BackupError::NoDatabase(data_dir.to_path_buf()));
    }
    if dest.exists() {
        return Err(BackupError::Exists(dest.to_path_buf()));
    }
    let partial = sibling(dest, ".partial");
    let snapshot = sibling(dest, ".db-partial");
    let result = create_inner(data_dir, host_key_dir, dest, &db, &partial, &snapshot).await;
    let _ = fs::remove_file(&snapshot);
    if result.is_err() {
        let _ = fs::remove_file(&partial);
    }
    result
}

async fn create_inner(
    data_dir: &Path,
    host_key_dir: Option<&Path>,
    dest: &Path,
    db: &Path,
    partial: &Path,
    snapshot: &Path,
) -> Result<BackupReport, BackupError> {
    let _ = fs::remove_file(snapshot);
    // Created empty with 0600 first: `VACUUM INTO` fills an empty file and keeps its mode.
    drop(crate::private_fs::create_new(snapshot)?);
    // One read transaction: the snapshot is the database as of one instant.
    let mut conn = SqliteConnection::connect_with(&connect_options(db)).await?;
    sqlx::query("VACUUM INTO ?1")
        .bind(snapshot.to_string_lossy().into_owned())
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    integrity_check(snapshot).await?;
    let names = stored_names(snapshot).await?;

    let out = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(partial)?;
    let mut tar = tar::Builder::new(BufWriter::new(out));
    append_private(&mut tar, snapshot, Path::new(DB_FILE))?;
    let db_bytes = fs::metadata(snapshot)?.len();
    let secret = data_dir.join(SECRET_FILE);
    if secret.is_file() {
        append_private(&mut tar, &secret, Path::new(SECRET_FILE))?;
    }
    let tls = data_dir.join("tls");
    if tls.is_dir() {
        append_private_dir(&mut tar, Path::new("tls"))?;
        for entry in fs::read_dir(&tls)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                let name = Path::new("tls").join(entry.file_name());
                append_private(&mut tar, &entry.path(), &name)?;
            }
        }
    }
    let host_key = host_key_dir
        .map(|d| d.join(HOST_KEY_FILE))
        .filter(|k| k.is_file());
    if let Some(key) = &host_key {
        append_private_dir(&mut tar, Path::new("host_keys"))?;
        append_private(&mut tar, key, Path::new(HOST_KEY_ENTRY))?;
    }
    let (mut files, mut files_bytes, mut missing) = (0, 0, Vec::new());
    let files_dir = data_dir.join(FILES_DIR);
    append_private_dir(&mut tar, Path::new(FILES_DIR))?;
    for name in names {
        // Generated names only; anything else in the table is not a path to follow.
        if !valid_storage_name(&name) {
            missing.push(name);
            continue;
        }
        match open_nofollow(&files_dir.join(&name)) {
            Ok(mut f) => {
                let len = f.metadata()?.len();
                let mut header = private_header(tar::EntryType::Regular, len);
                tar.append_data(&mut header, Path::new(FILES_DIR).join(&name), &mut f)?;
                files += 1;
                files_bytes += len;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => missing.push(name),
            Err(e) => return Err(e.into()),
        }
    }
    let out = tar.into_inner()?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    drop(file);
    fs::rename(partial, dest)?;
    sync_parent(dest);
    Ok(BackupReport {
        path: dest.to_path_buf(),
        db_bytes,
        files,
        files_bytes,
        missing,
        host_key: host_key.is_some(),
        bytes: fs::metadata(dest)?.len(),
    })
}

/// Unpacks a backup into `data_dir`, which must be absent or empty, and the host key into
/// `host_key_dir` unless one is already there. The database is checked before anything
/// appears at `data_dir`.
pub async fn restore(
    archive: &Path,
    data_dir: &Path,
    host_key_dir: Option<&Path>,
) -> Result<RestoreReport, BackupError> {
    if data_dir.exists() && fs::read_dir(data_dir)?.next().is_some() {
        return Err(BackupError::NotEmpty(data_dir.to_path_buf()));
    }
    let staging = sibling(data_dir, ".restore-partial");
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    let result = restore_inner(archive, data_dir, host_key_dir, &staging).await;
    if staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

async fn restore_inner(
    archive: &Path,
    data_dir: &Path,
    host_key_dir: Option<&Path>,
    staging: &Path,
) -> Result<RestoreReport, BackupError> {
    crate::private_fs::dir(staging)?;
    // `unpack` refuses entries that would land outside the directory (`..`, absolute).
    // Nothing is unpacked readable by others (the mask), then every mode is set: 0700 /
    // 0600 whatever the archive holds (backups made before this rule stored 0644).
    let mut unpacker = tar::Archive::new(File::open(archive)?);
    unpacker.set_mask(0o077);
    unpacker.unpack(staging)?;
    crate::private_fs::tree(staging)?;
    let db = staging.join(DB_FILE);
    if !db.is_file() {
        return Err(BackupError::NotABackup(archive.to_path_buf()));
    }
    integrity_check(&db).await?;
    let users = {
        let mut conn = SqliteConnection::connect_with(&connect_options(&db)).await?;
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
            .fetch_one(&mut conn)
            .await?;
        conn.close().await?;
        n
    };
    let files = match fs::read_dir(staging.join(FILES_DIR)) {
        Ok(dir) => dir.count(),
        Err(_) => 0,
    };
    let key = staging.join(HOST_KEY_ENTRY);
    let mut host_key_restored = false;
    if key.is_file() {
        if let Some(dir) = host_key_dir
            && !dir.join(HOST_KEY_FILE).exists()
        {
            if !dir.exists() {
                crate::private_fs::dir(dir)?;
            }
            let target = dir.join(HOST_KEY_FILE);
            crate::private_fs::write(&target, &fs::read(&key)?)?;
            host_key_restored = true;
        }
        fs::remove_dir_all(staging.join("host_keys"))?;
    }
    if data_dir.exists() {
        fs::remove_dir(data_dir)?; // empty, checked above
    }
    fs::rename(staging, data_dir)?;
    sync_parent(data_dir);
    Ok(RestoreReport {
        data_dir: data_dir.to_path_buf(),
        users,
        files,
        host_key_restored,
    })
}

/// A tar header readable by its owner only (0600 files, 0700 directories).
fn private_header(kind: tar::EntryType, size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(kind);
    header.set_size(size);
    header.set_mode(if kind.is_dir() {
        crate::private_fs::DIR_MODE
    } else {
        crate::private_fs::FILE_MODE
    });
    header.set_mtime(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    );
    header
}

/// A directory entry (0700), so `tar -xf` creates it private rather than by the umask.
fn append_private_dir<W: std::io::Write>(
    tar: &mut tar::Builder<W>,
    name: &Path,
) -> std::io::Result<()> {
    let mut header = private_header(tar::EntryType::Directory, 0);
    tar.append_data(&mut header, name, std::io::empty())
}

/// A file entry stored 0600, whatever the file's own mode.
fn append_private<W: std::io::Write>(
    tar: &mut tar::Builder<W>,
    path: &Path,
    name: &Path,
) -> std::io::Result<()> {
    let mut f = open_nofollow(path)?;
    let mut header = private_header(tar::EntryType::Regular, f.metadata()?.len());
    tar.append_data(&mut header, name, &mut f)
}

async fn stored_names(db: &Path) -> Result<Vec<String>, BackupError> {
    let mut conn = SqliteConnection::connect_with(&connect_options(db)).await?;
    let names = sqlx::query_scalar("SELECT storage_name FROM stored_files ORDER BY id")
        .fetch_all(&mut conn)
        .await?;
    conn.close().await?;
    Ok(names)
}

fn open_nofollow(path: &Path) -> std::io::Result<File> {
    let f = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)?;
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "not a regular file",
        ));
    }
    Ok(f)
}

/// `path` with `suffix` appended to its file name, in the same directory.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "portail".into());
    name.push(suffix);
    path.with_file_name(name)
}

/// Makes a rename durable (best effort).
fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(d) = File::open(parent) {
            let _ = d.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Uploads a course file; returns its storage name.
    async fn upload(p: &crate::Portail, bytes: &[u8]) -> String {
        let actor = p
            .login("prof@example.fr", "une phrase de sauvegarde", None)
            .await
            .unwrap()
            .actor;
        let course = p
            .course_create(
                &actor,
                &crate::services::courses::CourseInput {
                    title: format!("Cours {}", bytes.len()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        p.resource_upload(&actor, course.id, None, "Support", "support.txt", bytes)
            .await
            .unwrap();
        sqlx::query_scalar("SELECT storage_name FROM stored_files ORDER BY id DESC LIMIT 1")
            .fetch_one(p.store().pool())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn backup_then_restore_round_trips_database_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let keys = dir.path().join("keys");
        fs::create_dir_all(&keys).unwrap();
        fs::write(keys.join(HOST_KEY_FILE), b"host key").unwrap();
        let p = crate::Portail::open(&data, Default::default())
            .await
            .unwrap();
        p.add_trainer("prof@example.fr", "une phrase de sauvegarde")
            .await
            .unwrap();
        let stored = upload(&p, b"contenu du fichier").await;
        let gone = upload(&p, b"supprime ensuite").await;
        fs::remove_file(data.join(FILES_DIR).join(&gone)).unwrap();

        let dest = dir.path().join("sauvegarde.tar");
        let report = create(&data, Some(&keys), &dest).await.unwrap();
        assert_eq!(report.files, 1);
        assert_eq!(report.missing, vec![gone.clone()]);
        assert!(report.host_key);
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&dest).unwrap().permissions().mode() & 0o777,
            0o600
        );
        // Every entry of the archive is private (a plain `tar -xf` keeps it so).
        let mut archive = tar::Archive::new(File::open(&dest).unwrap());
        for entry in archive.entries().unwrap() {
            let entry = entry.unwrap();
            let mode = entry.header().mode().unwrap();
            let name = entry.path().unwrap().display().to_string();
            let want = if entry.header().entry_type().is_dir() {
                0o700
            } else {
                0o600
            };
            assert_eq!(mode & 0o777, want, "{name}");
        }
        // Never overwrites.
        assert!(matches!(
            create(&data, Some(&keys), &dest).await,
            Err(BackupError::Exists(_))
        ));
        p.store().close().await;

        // Restore refuses a data dir in use, then fills a new one.
        assert!(matches!(
            restore(&dest, &data, None).await,
            Err(BackupError::NotEmpty(_))
        ));
        let new_data = dir.path().join("restored");
        let new_keys = dir.path().join("new_keys");
        let r = restore(&dest, &new_data, Some(&new_keys)).await.unwrap();
        assert_eq!(r.users, 1);
        assert_eq!(r.files, 1);
        assert!(r.host_key_restored);
        assert_eq!(fs::read(new_keys.join(HOST_KEY_FILE)).unwrap(), b"host key");
        assert!(!new_data.join("host_keys").exists());
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&new_data), 0o700);
        assert_eq!(mode(&new_data.join(FILES_DIR)), 0o700);
        for f in [DB_FILE, SECRET_FILE] {
            assert_eq!(mode(&new_data.join(f)), 0o600, "{f}");
        }
        assert_eq!(mode(&new_keys.join(HOST_KEY_FILE)), 0o600);
        assert_eq!(
            fs::read(new_data.join(FILES_DIR).join(&stored)).unwrap(),
            b"contenu du fichier"
        );
        assert_eq!(
            fs::read(new_data.join(SECRET_FILE)).unwrap(),
            fs::read(data.join(SECRET_FILE)).unwrap()
        );
        let q = crate::Portail::open(&new_data, Default::default())
            .await
            .unwrap();
        assert!(
            q.login("prof@example.fr", "une phrase de sauvegarde", None)
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn a_damaged_archive_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.tar");
        fs::write(&bad, b"not a tar archive at all").unwrap();
        let target = dir.path().join("data");
        assert!(restore(&bad, &target, None).await.is_err());
        assert!(!target.exists());
        // A tar without a database is not a backup.
        let empty = dir.path().join("empty.tar");
        tar::Builder::new(File::create(&empty).unwrap())
            .into_inner()
            .unwrap();
        assert!(matches!(
            restore(&empty, &target, None).await,
            Err(BackupError::NotABackup(_))
        ));
        assert!(!target.exists());
        assert!(matches!(
            create(dir.path(), None, &dir.path().join("x.tar")).await,
            Err(BackupError::NoDatabase(_))
        ));
    }
}
