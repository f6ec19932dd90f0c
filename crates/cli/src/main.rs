//! The `skillbridge` command. `main` parses, loads the configuration, dispatches; the commands
//! live in `commands.rs`.

mod commands;
mod config;
mod demo;
mod matching;
mod sheets;

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
    /// Print the registry of personal fields (purpose, PIPL legal basis, retention, who may
    /// reveal each), as JSON or, with --markdown, as the table SECURITY.md holds.
    PrivacyRegistry {
        /// Print a Markdown table instead of JSON.
        #[arg(long)]
        markdown: bool,
    },
    /// Run the database's integrity and foreign-key checks; exits non-zero on any problem
    /// (they read the whole database: run them off-peak).
    Check,
    /// Verify the audit trail's chain under the audit key, and against checkpoints kept elsewhere.
    AuditVerify {
        /// A file with checkpoints printed by `audit-anchor` (one a line); repeatable. A
        /// checkpoint whose entry is missing or has another hash fails the check.
        #[arg(long = "checkpoint")]
        checkpoints: Vec<String>,
        /// Verify an archive file written by `skillbridge retention` instead: its own chain and
        /// MACs under the audit key, then its link to what follows it (the first entry left in
        /// the database, or the next archive recorded).
        #[arg(long)]
        archive: Option<String>,
    },
    /// Apply the retention periods once: remove expired sessions, archive audit entries older
    /// than retention_audit_days (to audit_archive_dir), anonymise graduates after
    /// retention_graduate_years. `serve` runs it daily at retention_hour.
    Retention {
        /// Print what would be done (counts per kind) and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print a checkpoint of the audit trail (sequence, hash, time and a MAC over them with the
    /// audit key), to be kept elsewhere and given to `audit-verify --checkpoint`.
    AuditAnchor,
    /// Once, for a database of a version before the keyed audit chain: put its trail under the
    /// audit key (an `audit_rekey` entry). A key file created at first start does this itself.
    AuditRekey,
    /// Write a new personal-data key file (mode 0600; an existing file is never overwritten).
    /// Set SKILLBRIDGE_PII_KEY_FILE to it to store personal fields encrypted. Keep a copy
    /// offline: without it the personal fields cannot be read.
    Keygen {
        /// The new key file.
        file: String,
    },
    /// Re-encrypt every personal field under a new key while the server keeps serving: a new
    /// key is added to the configured key file (first, so it encrypts; the old one is still
    /// read), every value and blind index is rewritten under it in short transactions, then
    /// the old key is removed from the file.
    RotatePiiKey {
        /// No new key: encrypt the values still in clear (and any under a key other than the
        /// file's first) with the key file as it is. For a database filled before the key.
        #[arg(long)]
        encrypt_only: bool,
        /// Rows per transaction.
        #[arg(long, default_value_t = 500)]
        batch: i64,
    },
    /// Fill an empty database with a demo college (重庆渝新职业技术学院), deterministically from
    /// the seed, with demo accounts for every role (password SkillBridge-Demo-2026).
    Demo {
        /// Number of students, spread over eight entry cohorts (2019–2026).
        #[arg(long, default_value_t = 32000)]
        students: usize,
        /// Seed: the same seed and student count give the same records.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Import a spreadsheet (.xlsx or .csv) of students, staff, organisations or agreements:
    /// every row is checked; if any is bad nothing is imported and each bad cell is listed.
    Import {
        /// students, staff, organisations or agreements.
        resource: String,
        /// The file to read (not needed with --columns).
        #[arg(required_unless_present = "columns")]
        file: Option<String>,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// List the columns of RESOURCE with every header spelling accepted for each (built in
        /// and the college's own), then exit.
        #[arg(long)]
        columns: bool,
    },
    /// Export every record of a type to .xlsx or .csv (by the file's extension), personal
    /// fields masked unless --full-reason is given (an audited reveal).
    Export {
        /// students, staff, organisations or agreements.
        resource: String,
        /// The file to write (.xlsx or .csv).
        file: String,
        /// Header language: zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
        /// Write personal fields in full, for this stated reason (audited).
        #[arg(long)]
        full_reason: Option<String>,
    },
    /// Write the spreadsheet template of a record type (.xlsx or .csv, by the file's extension):
    /// the header row, an example row, a note with the accepted spellings on each header, and
    /// drop-down lists of codes and of the records a reference may name.
    Template {
        /// students, staff, organisations, agreements, ...
        resource: String,
        /// The file to write (.xlsx or .csv).
        file: String,
        /// Header language: zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
    },
    /// Solve a stable matching instance (JSON; `-` for stdin): the student-optimal stable
    /// matching, as JSON on stdout. Needs no database or configuration.
    Match {
        /// {"students": {ID: [POSITION, ...]}, "positions": {ID: {"capacity": N, "ranking": [ID, ...]}}}
        instance: String,
        /// Add, for each student, why they did not get each position they listed higher.
        #[arg(long)]
        explain: bool,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Command::Match { instance, explain } = &cli.command {
        return matching::run(instance, *explain);
    }
    if let Command::Keygen { file } = &cli.command {
        return match commands::keygen(file) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("skillbridge: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
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
            Command::PrivacyRegistry { markdown } => commands::privacy_registry(markdown),
            Command::Check => commands::check(&cfg).await,
            Command::AuditVerify {
                checkpoints,
                archive: None,
            } => commands::audit_verify(&cfg, &checkpoints).await,
            Command::AuditVerify {
                checkpoints,
                archive: Some(file),
            } => commands::audit_verify_archive(&cfg, &file, &checkpoints).await,
            Command::Retention { dry_run } => commands::retention(&cfg, dry_run).await,
            Command::AuditAnchor => commands::audit_anchor(&cfg).await,
            Command::AuditRekey => commands::audit_rekey(&cfg).await,
            Command::RotatePiiKey {
                encrypt_only,
                batch,
            } => commands::rotate_pii_key(&cfg, encrypt_only, batch).await,
            Command::Demo { students, seed } => demo::run(&cfg, students, seed).await,
            Command::Import {
                resource,
                file,
                dry_run,
                columns,
            } => match (columns, file) {
                (false, Some(file)) => sheets::import(&cfg, &resource, &file, dry_run).await,
                _ => sheets::columns(&cfg, &resource).await,
            },
            Command::Export {
                resource,
                file,
                lang,
                full_reason,
            } => sheets::export(&cfg, &resource, &file, &lang, full_reason.as_deref()).await,
            Command::Template {
                resource,
                file,
                lang,
            } => sheets::template(&cfg, &resource, &file, &lang).await,
            Command::Match { .. } | Command::Keygen { .. } => {
                unreachable!("handled before the configuration")
            }
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
