//! Configuration: flags > `PORTAIL_*` environment variables > `portail.toml` > defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

#[derive(Debug, Parser)]
#[command(
    name = "portail",
    version,
    about = "Portail — le portail des formateurs indépendants et de leurs étudiants (SSH + HTTPS)"
)]
pub struct Cli {
    #[command(flatten)]
    pub opts: ServeArgs,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Start the SSH and HTTPS servers (the default).
    Serve {
        /// Seed demo data (one organisation, a class, three students, a course) first.
        #[arg(long)]
        demo: bool,
    },
    /// Seed demo data, then serve.
    Demo,
    /// Manage trainer accounts (works while the server runs).
    Trainer {
        #[command(subcommand)]
        command: TrainerCmd,
    },
    /// Write a full backup (database snapshot, uploaded files, keys) to a new FILE (a tar
    /// archive); safe while the server runs.
    Backup { file: PathBuf },
    /// Restore a backup FILE into the data dir, which must be new or empty (and the host
    /// key into the host key dir when it has none). Then start the server on it.
    Restore { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum TrainerCmd {
    /// Create a trainer, or reset an existing trainer's password.
    Add {
        email: String,
        /// Read the password from standard input (first line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Configuration file [default: ./portail.toml when present]
    #[arg(long, global = true, env = "PORTAIL_CONFIG")]
    pub config: Option<PathBuf>,
    /// Data directory (database, TLS certificate, files) [default: ./data]
    #[arg(long, global = true, env = "PORTAIL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// SSH listen address [default: 0.0.0.0:2222]
    #[arg(long, global = true, env = "PORTAIL_SSH_ADDR")]
    pub ssh_addr: Option<SocketAddr>,
    /// HTTPS listen address [default: 0.0.0.0:8443]
    #[arg(long, global = true, env = "PORTAIL_HTTPS_ADDR")]
    pub https_addr: Option<SocketAddr>,
    /// Base of the links shown to users [default: derived from the HTTPS address]
    #[arg(long, global = true, env = "PORTAIL_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Directory of the SSH host key [default: ./host_keys]
    #[arg(long, global = true, env = "PORTAIL_HOST_KEY_DIR")]
    pub host_key_dir: Option<PathBuf>,
    /// TLS certificate (PEM, reloaded when the file changes); a self-signed one naming the public host is generated when absent
    #[arg(long, global = true, env = "PORTAIL_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM)
    #[arg(long, global = true, env = "PORTAIL_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

/// `portail.toml`: the same settings, all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    ssh_addr: Option<SocketAddr>,
    https_addr: Option<SocketAddr>,
    public_url: Option<String>,
    host_key_dir: Option<PathBuf>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    activation_days: Option<u32>,
    link_hours: Option<u32>,
    timezone: Option<String>,
    import_max_mib: Option<u32>,
    max_sessions_per_user: Option<usize>,
    idle_minutes: Option<u64>,
    kex_timeout_secs: Option<u64>,
    max_unauthenticated_per_known_source: Option<usize>,
    reserved_for_known_sources: Option<usize>,
    known_source_days: Option<u32>,
    https_handshake_secs: Option<u64>,
    https_header_secs: Option<u64>,
    https_keepalive_secs: Option<u64>,
    https_stall_secs: Option<u64>,
    https_max_connections: Option<usize>,
    https_max_connections_per_source: Option<usize>,
    activity_days: Option<u32>,
    activity_max_rows: Option<u32>,
    image_max_megapixels: Option<u32>,
}

/// Connection and session limits of the SSH door (the defaults are the policy; tests
/// shrink them).
#[derive(Debug, Clone)]
pub struct SshLimits {
    /// Password attempts per connection.
    pub max_auth_attempts: usize,
    /// Time from the TCP connection to a successful login (banner and key exchange
    /// included); then the TCP connection is closed.
    pub auth_timeout: Duration,
    /// Time from the TCP connection to the client's identification and first
    /// key-exchange packet (KEXINIT), which a client sends at once: only idle sockets
    /// wait that long. Then the TCP connection is closed.
    pub kex_timeout: Duration,
    /// Connections not yet logged in, in all and per source (IPv4 address or IPv6 /64).
    /// See `door` for the whole policy.
    pub max_unauthenticated: usize,
    pub max_unauthenticated_per_source: usize,
    /// The same per source for a *known* source (someone logged in from it within
    /// `known_source_days`): a classroom behind one NAT address.
    pub max_unauthenticated_per_known_source: usize,
    /// Places among `max_unauthenticated` that only known sources may take.
    pub reserved_for_known: usize,
    pub known_source_days: u32,
    /// Open sessions (interactive or commands) per account.
    pub max_sessions_per_user: usize,
    /// An interactive session with no keystroke for this long is closed, with a notice.
    pub idle_timeout: Duration,
}

impl Default for SshLimits {
    fn default() -> Self {
        Self {
            max_auth_attempts: 6,
            auth_timeout: Duration::from_secs(60),
            kex_timeout: Duration::from_secs(10),
            max_unauthenticated: 100,
            max_unauthenticated_per_source: 10,
            max_unauthenticated_per_known_source: 40,
            reserved_for_known: 40,
            known_source_days: 30,
            max_sessions_per_user: 5,
            idle_timeout: Duration::from_secs(30 * 60),
        }
    }
}

/// The resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub ssh_addr: SocketAddr,
    pub https_addr: SocketAddr,
    pub public_url: Option<String>,
    pub host_key_dir: PathBuf,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub activation_days: u32,
    /// Lifetime of signed download links, in hours.
    pub link_hours: u32,
    /// IANA time zone of displayed times (default Europe/Paris).
    pub timezone: chrono_tz::Tz,
    /// Largest import file accepted, in MiB (default 20).
    pub import_max_mib: u32,
    /// Connection and session limits.
    pub limits: SshLimits,
    /// Brute-force limits of the login.
    pub login_limits: portail::services::security::LoginLimits,
    /// Deadlines and caps of the HTTPS door (the connection caps are lowered at start to
    /// fit the file descriptor limit).
    pub https_limits: portail_web::HttpsLimits,
    /// Retention of the activity log and the download window.
    pub activity: portail::services::activity::ActivityPolicy,
    /// Largest uploaded image decoded, in megapixels (default 40).
    pub image_max_megapixels: u32,
}

impl Settings {
    /// Defaults, relative to the current directory.
    pub fn defaults() -> Settings {
        Settings {
            data_dir: PathBuf::from("data"),
            ssh_addr: "0.0.0.0:2222".parse().expect("valid"),
            https_addr: "0.0.0.0:8443".parse().expect("valid"),
            public_url: None,
            host_key_dir: PathBuf::from("host_keys"),
            tls_cert: None,
            tls_key: None,
            activation_days: 14,
            link_hours: 24,
            timezone: chrono_tz::Europe::Paris,
            import_max_mib: 20,
            limits: SshLimits::default(),
            login_limits: Default::default(),
            https_limits: Default::default(),
            activity: Default::default(),
            image_max_megapixels: 40,
        }
    }

    /// For tests and embedding: everything under `root`, ports chosen by the OS.
    pub fn ephemeral(root: &Path) -> Settings {
        Settings {
            data_dir: root.join("data"),
            ssh_addr: "127.0.0.1:0".parse().expect("valid"),
            https_addr: "127.0.0.1:0".parse().expect("valid"),
            host_key_dir: root.join("host_keys"),
            ..Settings::defaults()
        }
    }

    pub fn resolve(args: &ServeArgs) -> anyhow::Result<Settings> {
        let (path, explicit) = match &args.config {
            Some(p) => (p.clone(), true),
            None => (PathBuf::from("portail.toml"), false),
        };
        let file = if path.exists() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("lecture de {}", path.display()))?;
            toml::from_str::<FileConfig>(&text)
                .with_context(|| format!("fichier de configuration {} invalide", path.display()))?
        } else if explicit {
            bail!("fichier de configuration introuvable : {}", path.display());
        } else {
            FileConfig::default()
        };
        let d = Settings::defaults();
        let tls_cert = args.tls_cert.clone().or(file.tls_cert);
        let tls_key = args.tls_key.clone().or(file.tls_key);
        if tls_cert.is_some() != tls_key.is_some() {
            bail!("tls_cert et tls_key vont ensemble : indiquez les deux ou aucun");
        }
        Ok(Settings {
            data_dir: args
                .data_dir
                .clone()
                .or(file.data_dir)
                .unwrap_or(d.data_dir),
            ssh_addr: args.ssh_addr.or(file.ssh_addr).unwrap_or(d.ssh_addr),
            https_addr: args.https_addr.or(file.https_addr).unwrap_or(d.https_addr),
            public_url: args.public_url.clone().or(file.public_url),
            host_key_dir: args
                .host_key_dir
                .clone()
                .or(file.host_key_dir)
                .unwrap_or(d.host_key_dir),
            tls_cert,
            tls_key,
            activation_days: file
                .activation_days
                .unwrap_or(d.activation_days)
                .clamp(1, 365),
            link_hours: file.link_hours.unwrap_or(d.link_hours).clamp(1, 24 * 90),
            timezone: match file.timezone {
                Some(tz) => tz.parse().map_err(|_| {
                    anyhow::anyhow!("fuseau horaire inconnu : {tz} (ex. Europe/Paris)")
                })?,
                None => d.timezone,
            },
            import_max_mib: file
                .import_max_mib
                .unwrap_or(d.import_max_mib)
                .clamp(1, 4096),
            limits: SshLimits {
                max_sessions_per_user: file
                    .max_sessions_per_user
                    .unwrap_or(d.limits.max_sessions_per_user)
                    .clamp(1, 100),
                idle_timeout: file
                    .idle_minutes
                    .map(|m| Duration::from_secs(m.clamp(1, 24 * 60) * 60))
                    .unwrap_or(d.limits.idle_timeout),
                kex_timeout: file
                    .kex_timeout_secs
                    .map(|s| Duration::from_secs(s.clamp(1, 60)))
                    .unwrap_or(d.limits.kex_timeout),
                max_unauthenticated_per_known_source: file
                    .max_unauthenticated_per_known_source
                    .unwrap_or(d.limits.max_unauthenticated_per_known_source)
                    .clamp(1, d.limits.max_unauthenticated),
                reserved_for_known: file
                    .reserved_for_known_sources
                    .unwrap_or(d.limits.reserved_for_known)
                    .min(d.limits.max_unauthenticated - 1),
                known_source_days: file
                    .known_source_days
                    .unwrap_or(d.limits.known_source_days)
                    .clamp(1, 365),
                ..d.limits
            },
            login_limits: d.login_limits,
            https_limits: {
                let h = d.https_limits;
                let secs = |v: Option<u64>, default: Duration| {
                    v.map(|s| Duration::from_secs(s.clamp(1, 3600)))
                        .unwrap_or(default)
                };
                portail_web::HttpsLimits {
                    handshake_timeout: secs(file.https_handshake_secs, h.handshake_timeout),
                    header_timeout: secs(file.https_header_secs, h.header_timeout),
                    keepalive_timeout: secs(file.https_keepalive_secs, h.keepalive_timeout),
                    stall_timeout: secs(file.https_stall_secs, h.stall_timeout),
                    max_connections: file
                        .https_max_connections
                        .unwrap_or(h.max_connections)
                        .clamp(1, 1_000_000),
                    max_connections_per_source: file
                        .https_max_connections_per_source
                        .unwrap_or(h.max_connections_per_source)
                        .clamp(1, 1_000_000),
                }
            },
            activity: portail::services::activity::ActivityPolicy {
                retention: portail::services::retention::Retention {
                    max_days: file
                        .activity_days
                        .map_or(d.activity.retention.max_days, i64::from)
                        .clamp(1, 20 * 366),
                    max_rows: file
                        .activity_max_rows
                        .map_or(d.activity.retention.max_rows, i64::from)
                        .clamp(1_000, 100_000_000),
                },
                ..d.activity
            },
            // 8000 × 8000 is 64 megapixels: more could never pass the side limit.
            image_max_megapixels: file
                .image_max_megapixels
                .unwrap_or(d.image_max_megapixels)
                .clamp(1, 64),
        })
    }
}

/// The base URL of links: the configured one, or `https://HOST:PORT` from the bound address.
pub fn public_url(configured: Option<&str>, bound: SocketAddr) -> String {
    if let Some(url) = configured {
        return url.trim_end_matches('/').to_string();
    }
    let host = if bound.ip().is_unspecified() {
        "localhost".to_string()
    } else if bound.is_ipv6() {
        format!("[{}]", bound.ip())
    } else {
        bound.ip().to_string()
    };
    format!("https://{host}:{}", bound.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_beats_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("p.toml");
        std::fs::write(
            &cfg,
            "ssh_addr = \"127.0.0.1:3333\"\ndata_dir = \"/tmp/x\"\nimport_max_mib = 64\nactivity_days = 1100\n",
        )
        .unwrap();
        let args = ServeArgs {
            config: Some(cfg.clone()),
            data_dir: Some("/srv/portail".into()),
            ..Default::default()
        };
        let s = Settings::resolve(&args).unwrap();
        assert_eq!(s.data_dir, PathBuf::from("/srv/portail"));
        assert_eq!(s.ssh_addr.port(), 3333);
        assert_eq!(s.https_addr.port(), 8443);
        assert_eq!(s.import_max_mib, 64);
        assert_eq!(Settings::defaults().import_max_mib, 20);
        assert_eq!(s.activity.retention.max_days, 1100);
        assert_eq!(s.activity.retention.max_rows, 1_000_000);
        assert_eq!(s.limits.kex_timeout, Duration::from_secs(10));
        std::fs::write(
            &cfg,
            "kex_timeout_secs = 5\nreserved_for_known_sources = 500\nknown_source_days = 7\n",
        )
        .unwrap();
        let s = Settings::resolve(&args).unwrap();
        assert_eq!(s.limits.kex_timeout, Duration::from_secs(5));
        assert_eq!(s.limits.reserved_for_known, 99, "strangers keep a place");
        assert_eq!(s.limits.known_source_days, 7);
        assert_eq!(s.https_limits, portail_web::HttpsLimits::default());
        std::fs::write(
            &cfg,
            "https_header_secs = 3\nhttps_keepalive_secs = 0\nhttps_max_connections_per_source = 8\n",
        )
        .unwrap();
        let s = Settings::resolve(&args).unwrap();
        assert_eq!(s.https_limits.header_timeout, Duration::from_secs(3));
        assert_eq!(s.https_limits.keepalive_timeout, Duration::from_secs(1));
        assert_eq!(s.https_limits.max_connections_per_source, 8);
        assert_eq!(s.https_limits.max_connections, 1024);
        std::fs::write(&cfg, "nope = 1\n").unwrap();
        assert!(Settings::resolve(&args).is_err());
        let missing = ServeArgs {
            config: Some(dir.path().join("absent.toml")),
            ..Default::default()
        };
        assert!(Settings::resolve(&missing).is_err());
    }

    #[test]
    fn cli_parses_the_documented_forms() {
        let cli = Cli::try_parse_from(["portail", "--ssh-addr", "127.0.0.1:2200"]).unwrap();
        assert!(cli.command.is_none());
        let cli = Cli::try_parse_from([
            "portail",
            "trainer",
            "add",
            "a@b.fr",
            "--password-stdin",
            "--data-dir",
            "/d",
        ])
        .unwrap();
        assert!(matches!(cli.command, Some(Cmd::Trainer { .. })));
        assert_eq!(cli.opts.data_dir, Some(PathBuf::from("/d")));
        assert!(Cli::try_parse_from(["portail", "serve", "--demo"]).is_ok());
        assert!(Cli::try_parse_from(["portail", "demo"]).is_ok());
        let cli =
            Cli::try_parse_from(["portail", "backup", "/b/s.tar", "--data-dir", "/d"]).unwrap();
        assert!(matches!(cli.command, Some(Cmd::Backup { file }) if file == Path::new("/b/s.tar")));
        assert!(Cli::try_parse_from(["portail", "backup"]).is_err());
        assert!(matches!(
            Cli::try_parse_from(["portail", "restore", "s.tar"])
                .unwrap()
                .command,
            Some(Cmd::Restore { .. })
        ));
    }

    #[test]
    fn public_url_derivation() {
        assert_eq!(
            public_url(None, "0.0.0.0:8443".parse().unwrap()),
            "https://localhost:8443"
        );
        assert_eq!(
            public_url(
                Some("https://portail.example.fr/"),
                "0.0.0.0:8443".parse().unwrap()
            ),
            "https://portail.example.fr"
        );
    }
}
