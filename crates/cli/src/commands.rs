//! The commands behind `skillbridge`.

use crate::config::Config;
use clap::Subcommand;
use skillbridge_core::access::{Actor, ContactRole, Office, Role};
use skillbridge_store::Store;
use std::io::Read;

type Result<T> = std::result::Result<T, String>;

async fn open(cfg: &Config) -> Result<Store> {
    let store = cfg.open_store().await?;
    tracing::info!(database = %cfg.database_url_redacted(), "database ready");
    Ok(store)
}

/// Creates `admin` when there is no account yet: the password from SKILLBRIDGE_ADMIN_PASSWORD,
/// or a generated one printed once.
pub(crate) async fn ensure_admin(store: &Store) -> Result<()> {
    if !store
        .accounts()
        .list_users(&Actor::system())
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        return Ok(());
    }
    let (password, generated) = match std::env::var("SKILLBRIDGE_ADMIN_PASSWORD") {
        Ok(p) => {
            skillbridge_core::password::check_new_password(&p, "admin")
                .map_err(|m| format!("SKILLBRIDGE_ADMIN_PASSWORD {m}"))?;
            (p, false)
        }
        Err(_) => (
            skillbridge_web::auth::random_token()[..20].to_string(),
            true,
        ),
    };
    let hash = skillbridge_web::auth::hash_password(&password);
    store
        .accounts()
        .create_user(
            &Actor::system(),
            "admin",
            "系统管理员",
            &hash,
            &[Role::Admin],
            "cli",
        )
        .await
        .map_err(|e| e.to_string())?;
    if generated {
        println!("Created the administrator account: username admin, password {password}");
        println!(
            "This password is shown once. Change it with: skillbridge users reset-password admin"
        );
    } else {
        println!("Created the administrator account admin with the password from SKILLBRIDGE_ADMIN_PASSWORD.");
    }
    Ok(())
}

pub async fn serve(cfg: &Config) -> Result<()> {
    let web = cfg.web()?;
    let store = open(cfg).await?;
    if cfg.pii_key_file.is_empty() {
        tracing::warn!(
            "personal data is stored in clear: no personal-data key file is configured; create \
             one with `skillbridge keygen FILE`, set SKILLBRIDGE_PII_KEY_FILE to it and run \
             `skillbridge rotate-pii-key --encrypt-only`"
        );
    }
    ensure_admin(&store).await?;
    let listener = tokio::net::TcpListener::bind(&cfg.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cfg.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("SkillBridge is serving on http://{addr}/");
    // Notification mail, when a relay is configured: a round every notify_interval_seconds.
    let notifier = skillbridge_web::mail::spawn(store.clone(), web.mail.clone());
    if let Some(relay) = &web.mail.smtp {
        println!("Notification mail goes through {relay}");
    }
    // Ctrl-C or SIGTERM: stop accepting, finish what runs, then write the queued refusals
    // and session activity (`store.close`).
    let shutdown = async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = term.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    };
    // Status changes approved for a later date apply when it comes (also at each step of the
    // procedure): at start, then every ten minutes.
    let due_store = store.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            let today = skillbridge_store::status_changes_today();
            if let Err(e) = due_store.status_changes().apply_due(&today).await {
                tracing::error!(error = %e, "could not apply the status changes due");
            }
        }
    });
    // The retention periods, every day at retention_hour (`skillbridge retention` runs it at
    // once).
    let retention = spawn_retention(store.clone(), cfg)?;
    skillbridge_web::serve(listener, skillbridge_web::app(store.clone(), web), shutdown)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(n) = notifier {
        n.abort();
    }
    retention.abort();
    store.close().await;
    Ok(())
}

pub async fn migrate(cfg: &Config) -> Result<()> {
    let (key, created) = cfg.audit_key()?;
    let store = Store::connect_with_key(&cfg.database_url, key.clone())
        .await
        .map_err(|e| e.to_string())?;
    let applied = store.migrate().await.map_err(|e| e.to_string())?;
    if applied.is_empty() {
        println!("The database is up to date.");
    } else {
        println!("Applied migrations: {applied:?}");
    }
    store.close().await;
    let store = Store::open_with(&cfg.database_url, key, created)
        .await
        .map_err(|e| format!("database {}: {e}", cfg.database_url_redacted()))?;
    ensure_admin(&store).await
}

/// `skillbridge keygen FILE`: a new key file, 0600, never over an existing file.
pub fn keygen(file: &str) -> Result<()> {
    use skillbridge_store::crypt;
    let text = format!("{}{}", crypt::KEY_FILE_HEADER, crypt::new_key_line());
    crypt::write_key_file(std::path::Path::new(file), &text, false).map_err(|e| e.to_string())?;
    println!(
        "Wrote a new personal-data key to {file} (mode 0600). Set SKILLBRIDGE_PII_KEY_FILE={file} \
         and keep a copy offline: without it the personal fields cannot be read."
    );
    Ok(())
}

/// `skillbridge rotate-pii-key`: see `Command::RotatePiiKey`. The key file holds the new key
/// and the old ones while values are rewritten, so a running server (which rereads the file
/// when it changes) reads both and writes under the new one; the old keys leave the file only
/// once no value is stored under them.
pub async fn rotate_pii_key(cfg: &Config, encrypt_only: bool, batch: i64) -> Result<()> {
    use skillbridge_store::crypt::{self, Keyring};
    if cfg.pii_key_file.is_empty() {
        return Err(
            "no personal-data key file is configured: create one with `skillbridge \
                    keygen FILE` and set SKILLBRIDGE_PII_KEY_FILE to it"
                .into(),
        );
    }
    if !(1..=10_000).contains(&batch) {
        return Err("--batch must be between 1 and 10000".into());
    }
    let path = std::path::Path::new(&cfg.pii_key_file);
    let store = cfg.open_store_unchecked().await?;
    let old = Keyring::load(path).map_err(|e| e.to_string())?;
    let old_text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let old_lines: Vec<&str> = old_text
        .lines()
        .filter(|l| l.trim_start().starts_with("key "))
        .collect();
    let (primary, retired) = if encrypt_only {
        (old.primary_id().to_string(), Vec::new())
    } else {
        let line = crypt::new_key_line();
        let text = format!("{}{line}{}\n", crypt::KEY_FILE_HEADER, old_lines.join("\n"));
        crypt::write_key_file(path, &text, true).map_err(|e| e.to_string())?;
        cfg.install_pii_key()?;
        let ring = crypt::current().ok_or("the key file was not read")?;
        println!(
            "New key {} added to {}; the old key(s) {:?} are read until the values are rewritten.",
            ring.primary_id(),
            cfg.pii_key_file,
            old.ids()
        );
        // A running server looks at the key file at most once a second: from then on it writes
        // under the new key. Rows it wrote under the old one meanwhile are caught by the passes.
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        (
            ring.primary_id().to_string(),
            old.ids().iter().map(|s| s.to_string()).collect(),
        )
    };
    let mut total = 0;
    loop {
        let pass = store
            .reencrypt_pii(batch)
            .await
            .map_err(|e| e.to_string())?;
        total += pass.rows;
        if pass.rows == 0 {
            break;
        }
    }
    let census = store.pii_census().await.map_err(|e| e.to_string())?;
    let left: Vec<String> = census
        .iter()
        .filter(|c| c.clear > 0 || c.by_key.iter().any(|(k, _)| *k != primary))
        .map(|c| format!("{}.{}", c.table, c.column))
        .collect();
    if !left.is_empty() {
        return Err(format!(
            "values not under key {primary} remain in {}; run the command again",
            left.join(", ")
        ));
    }
    // The rewritten rows' old bytes (clear values, or ciphertexts under the old key) leave the
    // database file and its WAL.
    if total > 0 {
        store
            .purge_rewritten_pii()
            .await
            .map_err(|e| e.to_string())?;
    }
    if !retired.is_empty() {
        keep_only_key(path, &primary)?;
    }
    store
        .audit(skillbridge_core::audit::AuditEvent {
            actor: "system".into(),
            role: "system".into(),
            action: "rotate_pii_key".into(),
            object: "personal data".into(),
            outcome: "ok".into(),
            source: "cli".into(),
            detail: format!("{total} rows under key {primary}; retired {retired:?}"),
        })
        .await
        .map_err(|e| e.to_string())?;
    store.close().await;
    println!(
        "{total} rows rewritten; every personal value is under key {primary}{}. Back up the key \
         file now.",
        if retired.is_empty() {
            String::new()
        } else {
            format!("; key(s) {retired:?} removed from {}", cfg.pii_key_file)
        }
    );
    Ok(())
}

/// Rewrites the key file with only key `primary` (the end of a rotation).
fn keep_only_key(path: &std::path::Path, primary: &str) -> Result<()> {
    use skillbridge_store::crypt;
    let new_line = std::fs::read_to_string(path)
        .map_err(|e| e.to_string())?
        .lines()
        .find(|l| l.starts_with(&format!("key {primary} ")))
        .map(str::to_string)
        .ok_or("the new key vanished from the key file")?;
    let text = format!("{}{new_line}\n", crypt::KEY_FILE_HEADER);
    crypt::write_key_file(path, &text, true).map_err(|e| e.to_string())
}

pub async fn backup(cfg: &Config, dest: &str) -> Result<()> {
    let store = open(cfg).await?;
    store.backup(dest).await.map_err(|e| e.to_string())?;
    println!("Wrote a consistent copy to {dest} and the attachments to {dest}.files");
    Ok(())
}

pub fn openapi() -> Result<()> {
    let doc = skillbridge_web::api::openapi(&skillbridge_web::routes().specs);
    println!(
        "{}",
        serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// Prints the registry of personal fields: JSON, or the Markdown table `SECURITY.md` holds
/// between its `privacy-registry` markers (a test in core compares the two).
pub fn privacy_registry(markdown: bool) -> Result<()> {
    if markdown {
        print!("{}", skillbridge_core::personal_data::markdown());
    } else {
        let v = skillbridge_core::personal_data::entries();
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?
        );
    }
    Ok(())
}

/// Verifies the audit trail under the audit key, and against each checkpoint file given (as
/// printed by `audit-anchor`; a file may hold several, one a line).
pub async fn audit_verify(cfg: &Config, checkpoint_files: &[String]) -> Result<()> {
    let checkpoints = read_checkpoints(checkpoint_files)?;
    let store = open(cfg).await?;
    let archives = store.audit_archives().await.map_err(|e| e.to_string());
    let verdict = store
        .audit_trail()
        .verify(&Actor::system(), &checkpoints)
        .await
        .map_err(|e| e.to_string());
    store.close().await;
    let archives = archives?;
    match verdict? {
        Ok(r) => {
            println!(
                "The audit trail verifies under the audit key: {} entries ({} written before the key, covered by it), {} checkpoints matched.",
                r.entries, r.legacy, r.checkpoints
            );
            if let Some(a) = archives.last() {
                println!(
                    "It continues from the archive of entries {} to {} ({}); verify archives with --archive FILE.",
                    a.first_id, a.last_id, a.file
                );
            }
            Ok(())
        }
        Err(b) => Err(b.to_string()),
    }
}

/// Verifies an archive file of the retention job: on its own (its chain and MACs under the audit
/// key, and the checkpoints within its range), then against the database: the first entry left
/// links to its last hash, or, for an older archive, the database records an archive with the
/// same range and last hash (whose successor links on).
pub async fn audit_verify_archive(
    cfg: &Config,
    file: &str,
    checkpoint_files: &[String],
) -> Result<()> {
    let checkpoints = read_checkpoints(checkpoint_files)?;
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let entries =
        skillbridge_core::audit::parse_archive(&text).map_err(|e| format!("{file}: {e}"))?;
    let (key, _) = cfg.audit_key()?;
    let report = skillbridge_core::audit::verify_archive(&entries, &key, &checkpoints)
        .map_err(|b| format!("{file}: {b}"))?;
    println!(
        "The archive verifies on its own under the audit key: entries {} to {} ({} entries, {} written before the key), {} checkpoints matched.",
        report.first_id, report.last_id, report.entries, report.legacy, report.checkpoints
    );
    let store = open(cfg).await?;
    let first = store.audit_first_remaining().await;
    let archives = store.audit_archives().await;
    store.close().await;
    let (first, archives) = (
        first.map_err(|e| e.to_string())?,
        archives.map_err(|e| e.to_string())?,
    );
    let recorded = archives
        .iter()
        .position(|a| a.last_id == report.last_id && a.last_hash == report.last_hash);
    let Some(i) = recorded else {
        return Err(format!(
            "{file}: the database records no archive that ends at entry {} with this hash",
            report.last_id
        ));
    };
    if archives[i].sha256 != skillbridge_core::audit::sha256_hex(text.as_bytes()) {
        return Err(format!(
            "{file}: the entries verify, but the file differs from the one recorded (sha256)"
        ));
    }
    match (archives.get(i + 1), first) {
        (Some(next), _) => {
            if next.first_prev_hash != report.last_hash {
                return Err(format!(
                    "{file}: the next archive ({}) does not link to this one",
                    next.file
                ));
            }
            println!(
                "It links to the next archive recorded, entries {} to {} ({}).",
                next.first_id, next.last_id, next.file
            );
        }
        (None, Some((id, prev))) => {
            if prev != report.last_hash {
                return Err(format!(
                    "{file}: the first entry left in the database ({id}) does not link to the archive's last entry"
                ));
            }
            println!("The first entry left in the database ({id}) links to its last entry.");
        }
        (None, None) => println!("The database holds no entry after it."),
    }
    Ok(())
}

/// `skillbridge retention [--dry-run]`: one run of the retention job, its counts printed.
pub async fn retention(cfg: &Config, dry_run: bool) -> Result<()> {
    let run = cfg.retention(dry_run)?;
    let store = open(cfg).await?;
    let report = store.retention(&run).await.map_err(|e| e.to_string());
    store.close().await;
    let report = report?;
    let verb = if dry_run { "would be" } else { "were" };
    println!(
        "Expired sessions that {verb} removed: {}",
        report.sessions_removed
    );
    println!(
        "Audit entries older than {} days that {verb} archived: {}",
        run.policy.audit_days, report.audit_archived
    );
    if let Some(f) = &report.archive_file {
        println!("Archive written: {f}");
    }
    println!(
        "Graduates of more than {} years whose personal fields {verb} anonymised: {}",
        run.policy.graduate_years, report.graduates_anonymised
    );
    if dry_run {
        println!("Dry run: nothing was changed.");
    }
    Ok(())
}

/// Runs the retention job every day at `retention_hour` (college time, UTC+8), in `serve`.
pub(crate) fn spawn_retention(store: Store, cfg: &Config) -> Result<tokio::task::JoinHandle<()>> {
    let run = cfg.retention(false)?;
    let hour = cfg.retention_hour;
    Ok(tokio::spawn(async move {
        loop {
            let wait = secs_until_hour(time::OffsetDateTime::now_utc(), hour);
            tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
            match store.retention(&run).await {
                Ok(r) => tracing::info!(summary = %r.summary(), "daily retention job"),
                Err(e) => tracing::error!(error = %e, "the daily retention job failed"),
            }
            // Past the hour before looking for the next one.
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        }
    }))
}

/// Seconds from `now` until the next `hour`:00 in college time (UTC+8).
fn secs_until_hour(now: time::OffsetDateTime, hour: u32) -> u64 {
    let local = now.to_offset(time::UtcOffset::from_hms(8, 0, 0).expect("UTC+8"));
    let since_midnight =
        i64::from(local.hour()) * 3600 + i64::from(local.minute()) * 60 + i64::from(local.second());
    let target = i64::from(hour) * 3600;
    let wait = (target - since_midnight).rem_euclid(86_400);
    wait as u64
}

fn read_checkpoints(
    checkpoint_files: &[String],
) -> Result<Vec<skillbridge_core::audit::Checkpoint>> {
    let mut checkpoints = Vec::new();
    for path in checkpoint_files {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            checkpoints.push(
                skillbridge_core::audit::Checkpoint::parse(line)
                    .map_err(|e| format!("{path}: {e}"))?,
            );
        }
    }
    Ok(checkpoints)
}

/// `skillbridge check`: the integrity and foreign-key checks that `GET /api/health` no longer
/// runs. Every problem is printed; any problem is an error (non-zero exit).
pub async fn check(cfg: &Config) -> Result<()> {
    let store = Store::connect(&cfg.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let report = store.check().await.map_err(|e| e.to_string())?;
    store.close().await;
    for line in &report.integrity {
        println!("integrity: {line}");
    }
    for p in &report.foreign_keys {
        let row = p.rowid.map_or_else(|| "?".to_string(), |r| r.to_string());
        println!(
            "foreign key: {} row {row} refers to a missing row of {}",
            p.table, p.parent
        );
    }
    if report.ok() {
        println!("The database passes the integrity and foreign-key checks.");
        Ok(())
    } else {
        Err(format!(
            "the database has {} integrity and {} foreign key problems",
            report.integrity.len(),
            report.foreign_keys.len()
        ))
    }
}

/// Puts a trail written before the keyed audit chain under the audit key, once: for a database
/// of an older version whose key came from `SKILLBRIDGE_AUDIT_KEY` or an existing key file (a key
/// file created at first start does this by itself).
pub async fn audit_rekey(cfg: &Config) -> Result<()> {
    let (key, _) = cfg.audit_key()?;
    let store = Store::connect_with_key(&cfg.database_url, key)
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let n = store.rekey_legacy_chain().await.map_err(|e| e.to_string());
    store.close().await;
    match n? {
        0 => println!("The audit trail is already under the audit key."),
        n => println!("Put the {n} audit entries written without a key under the audit key."),
    }
    Ok(())
}

/// Prints a checkpoint of the audit trail's newest entry, signed with the audit key: one line
/// to keep away from the database and give to `audit-verify --checkpoint` later.
pub async fn audit_anchor(cfg: &Config) -> Result<()> {
    let store = open(cfg).await?;
    let cp = store
        .audit_trail()
        .checkpoint(&Actor::system())
        .await
        .map_err(|e| e.to_string());
    store.close().await;
    println!("{}", cp?.to_line());
    Ok(())
}

#[derive(Subcommand)]
pub enum UsersCmd {
    /// Create an account. The password is read from standard input with --password-stdin,
    /// otherwise generated and printed once.
    Create {
        username: String,
        /// The name shown in the interface.
        #[arg(long)]
        display_name: String,
        /// A role, repeatable: admin | leader | staff:OFFICE[:SCHOOL_ID] | teacher:STAFF_ID |
        /// enterprise:ORG_ID:CONTACT_ID:contact|mentor|hr | student:STUDENT_ID.
        /// OFFICE: academic_affairs, student_affairs, employment, cooperation, international, other.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (ends the user's sessions and lifts a lockout).
    ResetPassword {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account (ends its sessions).
    Disable { username: String },
    /// Enable an account.
    Enable { username: String },
    /// List accounts and their roles.
    List,
}

pub fn parse_role(s: &str) -> Result<Role> {
    let parts: Vec<&str> = s.split(':').collect();
    let num = |i: usize| -> Result<i64> {
        parts
            .get(i)
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| format!("role {s:?}: expected a number in part {}", i + 1))
    };
    Ok(match parts[0] {
        "admin" => Role::Admin,
        "leader" => Role::Leader,
        "staff" => {
            let office: Office = serde_json::from_value(serde_json::Value::String(
                parts.get(1).unwrap_or(&"").to_string(),
            ))
            .map_err(|_| format!("role {s:?}: unknown office"))?;
            let school_id = if parts.len() > 2 { Some(num(2)?) } else { None };
            Role::Staff { office, school_id }
        }
        "teacher" => Role::Teacher { staff_id: num(1)? },
        "enterprise" => {
            let relation: ContactRole = serde_json::from_value(serde_json::Value::String(
                parts.get(3).unwrap_or(&"").to_string(),
            ))
            .map_err(|_| format!("role {s:?}: relation must be contact, mentor or hr"))?;
            Role::Enterprise {
                org_id: num(1)?,
                contact_id: num(2)?,
                relation,
            }
        }
        "student" => Role::Student {
            student_id: num(1)?,
        },
        other => return Err(format!("unknown role {other:?}")),
    })
}

fn read_password(stdin: bool, username: &str) -> Result<(String, bool)> {
    if stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| e.to_string())?;
        let p = s.trim_end_matches(['\n', '\r']).to_string();
        skillbridge_core::password::check_new_password(&p, username)
            .map_err(|m| format!("password {m}"))?;
        Ok((p, false))
    } else {
        Ok((
            skillbridge_web::auth::random_token()[..20].to_string(),
            true,
        ))
    }
}

async fn user_id(store: &Store, username: &str) -> Result<i64> {
    store
        .user_by_username(username)
        .await
        .map_err(|e| e.to_string())?
        .map(|u| u.id)
        .ok_or_else(|| format!("no account named {username}"))
}

pub async fn users(cfg: &Config, cmd: UsersCmd) -> Result<()> {
    let store = open(cfg).await?;
    let sys = Actor::system();
    match cmd {
        UsersCmd::Create {
            username,
            display_name,
            roles,
            password_stdin,
        } => {
            let roles = roles
                .iter()
                .map(|r| parse_role(r))
                .collect::<Result<Vec<_>>>()?;
            let (password, generated) = read_password(password_stdin, &username)?;
            let hash = skillbridge_web::auth::hash_password(&password);
            store
                .accounts()
                .create_user(&sys, &username, &display_name, &hash, &roles, "cli")
                .await
                .map_err(|e| e.to_string())?;
            println!("Created {username}.");
            if generated {
                println!("Password (shown once): {password}");
            }
        }
        UsersCmd::ResetPassword {
            username,
            password_stdin,
        } => {
            let id = user_id(&store, &username).await?;
            let (password, generated) = read_password(password_stdin, &username)?;
            store
                .accounts()
                .set_password(
                    &sys,
                    id,
                    &skillbridge_web::auth::hash_password(&password),
                    "cli",
                )
                .await
                .map_err(|e| e.to_string())?;
            println!("Set a new password for {username}.");
            if generated {
                println!("Password (shown once): {password}");
            }
        }
        UsersCmd::Disable { username } => {
            let id = user_id(&store, &username).await?;
            store
                .accounts()
                .set_disabled(&sys, id, true, "cli")
                .await
                .map_err(|e| e.to_string())?;
            println!("Disabled {username}.");
        }
        UsersCmd::Enable { username } => {
            let id = user_id(&store, &username).await?;
            store
                .accounts()
                .set_disabled(&sys, id, false, "cli")
                .await
                .map_err(|e| e.to_string())?;
            println!("Enabled {username}.");
        }
        UsersCmd::List => {
            for u in store
                .accounts()
                .list_users(&Actor::system())
                .await
                .map_err(|e| e.to_string())?
            {
                let roles: Vec<String> = u
                    .roles
                    .iter()
                    .map(|r| serde_json::to_string(r).unwrap_or_default())
                    .collect();
                println!(
                    "{}\t{}\t{}\t{}",
                    u.username,
                    u.display_name,
                    if u.disabled { "disabled" } else { "active" },
                    roles.join(" ")
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_job_waits_for_the_next_hour_in_college_time() {
        use time::macros::datetime;
        // 02:30 in Chongqing is 18:30 UTC the day before.
        assert_eq!(
            super::secs_until_hour(datetime!(2026-12-06 18:30 UTC), 3),
            1800
        );
        // Just past the hour: the next day.
        assert_eq!(
            super::secs_until_hour(datetime!(2026-12-06 19:00:01 UTC), 3),
            86_399
        );
        assert_eq!(
            super::secs_until_hour(datetime!(2026-12-06 19:00 UTC), 3),
            0
        );
    }

    #[test]
    fn roles_parse() {
        assert_eq!(parse_role("admin").unwrap(), Role::Admin);
        assert_eq!(
            parse_role("staff:cooperation").unwrap(),
            Role::Staff {
                office: Office::Cooperation,
                school_id: None
            }
        );
        assert_eq!(
            parse_role("staff:academic_affairs:3").unwrap(),
            Role::Staff {
                office: Office::AcademicAffairs,
                school_id: Some(3)
            }
        );
        assert_eq!(
            parse_role("enterprise:4:9:mentor").unwrap(),
            Role::Enterprise {
                org_id: 4,
                contact_id: 9,
                relation: ContactRole::Mentor
            }
        );
        assert!(parse_role("staff:dean").is_err());
        assert!(parse_role("teacher:x").is_err());
        assert!(parse_role("root").is_err());
    }
}
