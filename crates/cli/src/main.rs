//! The `skillbridge` command. `main` parses, loads the configuration, dispatches; the commands
//! live in `commands.rs`.

mod commands;
mod config;

use clap::{Parser, Subcommand};

/// SkillBridge: school–enterprise cooperation for a vocational college.
#[derive(Parser)]
#[command(name = "skillbridge", version, about)]
struct Cli {
    /// Configuration file (TOML). Default: ./skillbridge.toml when present. Env: SKILLBRIDGE_CONFIG.
    #[arg(long, global = true)]
    config: Option<String>,
    /// Database URL: sqlite:PATH or postgres://USER@HOST/DB. Env: SKILLBRIDGE_DATABASE_URL.
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrates first; creates the admin account on first start).
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080. Env: SKILLBRIDGE_BIND.
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    Users {
        #[command(subcommand)]
        action: commands::UsersCmd,
    },
    /// Write a consistent copy of the SQLite database while the server runs (PostgreSQL: use pg_dump).
    Backup {
        /// The new file to write.
        dest: String,
    },
    /// Print the OpenAPI document of the HTTP API.
    Openapi,
    /// Verify the audit trail's hash chain.
    AuditVerify,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let file = cli
        .config
        .clone()
        .or_else(|| std::env::var("SKILLBRIDGE_CONFIG").ok());
    let (mut cfg, warnings) = match config::Config::load(file.as_deref(), std::env::vars()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("skillbridge: configuration: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if let Some(u) = cli.database_url {
        cfg.database_url = u;
    }
    if let Command::Serve { bind: Some(b) } = &cli.command {
        cfg.bind = b.clone();
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&cfg.log).unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    for w in warnings {
        tracing::warn!("{w}");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = rt.block_on(async {
        match cli.command {
            Command::Serve { .. } => commands::serve(&cfg).await,
            Command::Migrate => commands::migrate(&cfg).await,
            Command::Users { action } => commands::users(&cfg, action).await,
            Command::Backup { dest } => commands::backup(&cfg, &dest).await,
            Command::Openapi => commands::openapi(),
            Command::AuditVerify => commands::audit_verify(&cfg).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("skillbridge: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
