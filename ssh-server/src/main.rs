//! `portail`: the server binary (SSH + HTTPS), and a few administration subcommands.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use portail::Portail;
use portail::i18n::Lang;
use portail::services::CoreOptions;
use portail_ssh::config::{Cli, Cmd, Settings, TrainerCmd};

fn main() -> ExitCode {
    let _ = rustls::crypto::ring::default_provider().install_default();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,portail_ssh=info,portail_web=info".into()),
        )
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, never into a log file or a journal.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("portail : impossible de démarrer le moteur asynchrone : {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portail : {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::resolve(&cli.opts)?;
    match cli.command {
        Some(Cmd::Trainer {
            command: TrainerCmd::Add { email, .. },
        }) => trainer_add(&settings, &email).await,
        Some(Cmd::Backup { file }) => backup(&settings, &file).await,
        Some(Cmd::Restore { file }) => restore(&settings, &file).await,
        Some(Cmd::Demo) | Some(Cmd::Serve { demo: true }) => serve(&settings, true).await,
        None | Some(Cmd::Serve { demo: false }) => serve(&settings, false).await,
    }
}

async fn trainer_add(settings: &Settings, email: &str) -> anyhow::Result<()> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("lecture du mot de passe sur l'entrée standard")?;
    let password = line.trim_end_matches(['\r', '\n']);
    let portail = Portail::open(&settings.data_dir, CoreOptions::default()).await?;
    let user = portail
        .add_trainer(email, password)
        .await
        .map_err(|e| anyhow::anyhow!(e.user_message(Lang::Fr)))?;
    portail.store().close().await;
    println!(
        "Compte formateur prêt : {} (connexion : ssh -p PORT {}@HÔTE)",
        user.email, user.email
    );
    Ok(())
}

async fn backup(settings: &Settings, file: &std::path::Path) -> anyhow::Result<()> {
    let r = portail::backup::create(&settings.data_dir, Some(&settings.host_key_dir), file).await?;
    println!("Sauvegarde écrite : {}", r.path.display());
    println!(
        "  base : {} Kio, fichiers : {} ({} Kio), clé d'hôte SSH : {}, archive : {} Kio",
        r.db_bytes / 1024,
        r.files,
        r.files_bytes / 1024,
        if r.host_key { "oui" } else { "non" },
        r.bytes / 1024
    );
    if !r.missing.is_empty() {
        eprintln!(
            "Attention : {} fichier(s) supprimé(s) pendant la sauvegarde n'y sont pas : {}",
            r.missing.len(),
            r.missing.join(", ")
        );
    }
    println!("Elle contient des secrets (mots de passe chiffrés, clés) : gardez-la à l'abri.");
    Ok(())
}

async fn restore(settings: &Settings, file: &std::path::Path) -> anyhow::Result<()> {
    let r =
        portail::backup::restore(file, &settings.data_dir, Some(&settings.host_key_dir)).await?;
    println!(
        "Sauvegarde restaurée dans {} : {} compte(s), {} fichier(s).",
        r.data_dir.display(),
        r.users,
        r.files
    );
    if r.host_key_restored {
        println!(
            "Clé d'hôte SSH restaurée dans {}.",
            settings.host_key_dir.display()
        );
    } else {
        println!(
            "Clé d'hôte SSH de {} conservée (celle de la sauvegarde n'a pas été utilisée).",
            settings.host_key_dir.display()
        );
    }
    println!("Démarrez le serveur avec le même --data-dir.");
    Ok(())
}

/// Where the first trainer's password goes when standard output is not a terminal.
const INITIAL_PASSWORD_FILE: &str = "premier-mot-de-passe.txt";

async fn serve(settings: &Settings, demo: bool) -> anyhow::Result<()> {
    let running = portail_ssh::start(settings, demo).await?;
    let ssh_port = running.ssh_addr.port();
    println!("Portail {} démarré.", env!("CARGO_PKG_VERSION"));
    println!(
        "  SSH     : {}   → ssh -p {ssh_port} formateur@localhost",
        running.ssh_addr
    );
    println!(
        "  HTTPS   : {}   → {}/health",
        running.https_addr, running.public_url
    );
    println!("  Données : {}", running.portail.store().path().display());
    println!("  Clé d'hôte SSH : {}", running.host_key_fingerprint);
    tracing::info!(ssh = %running.ssh_addr, https = %running.https_addr, "Portail démarré");
    if let Some(account) = &running.initial_account {
        println!();
        println!("Premier démarrage : compte formateur créé.");
        println!("  identifiant  : {}  (ou {})", account.login, account.email);
        if std::io::stdout().is_terminal() {
            println!("  mot de passe : {}", account.password);
            println!(
                "  Notez-le : il n'est affiché qu'une fois, et vous en choisirez un nouveau à la première connexion."
            );
        } else {
            // Standard output is a service's log: never write a password there.
            let path = std::path::absolute(settings.data_dir.join(INITIAL_PASSWORD_FILE))?;
            let text = format!(
                "identifiant  : {}  (ou {})\nmot de passe : {}\n\nVous en choisirez un nouveau à la première connexion ; supprimez ensuite ce fichier.\n",
                account.login, account.email, account.password
            );
            portail::private_fs::write(&path, text.as_bytes())
                .with_context(|| format!("écriture de {}", path.display()))?;
            println!(
                "  mot de passe : dans {} (lisible par vous seul)",
                path.display()
            );
            println!(
                "  Vous en choisirez un nouveau à la première connexion ; supprimez ensuite ce fichier."
            );
        }
    }
    if let Some(seed) = &running.demo {
        println!();
        if seed.created {
            println!("Données de démonstration créées. Codes d'activation des étudiants :");
            for (email, code) in &seed.students {
                println!("  {email:<36} {code}");
            }
        } else {
            println!("Données de démonstration déjà présentes.");
        }
    }
    println!();
    println!("Ctrl-C pour arrêter.");
    wait_for_signal().await;
    println!("Arrêt en cours…");
    running.shutdown().await;
    Ok(())
}

async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
