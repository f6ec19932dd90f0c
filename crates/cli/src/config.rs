//! One typed configuration, layered: defaults, then a TOML file, then `SKILLBRIDGE_*`
//! environment variables, then command-line flags. Unknown `SKILLBRIDGE_*` variables are
//! warned about (a typo must not silently fall back to a default). Secrets never print.

use serde::Deserialize;
use skillbridge_core::retention::RetentionPolicy;
use std::net::IpAddr;

/// The settings of a SkillBridge server. Every field can be set in the file
/// (`skillbridge.toml`, or `--config PATH` / `SKILLBRIDGE_CONFIG`), as `SKILLBRIDGE_<FIELD>`
/// in upper case, or (most) as a flag.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite:PATH` or `postgres://USER:PASSWORD@HOST/DB`. Default: `sqlite:./data/skillbridge.db`.
    pub database_url: String,
    /// Address to listen on. Default: 127.0.0.1:8080.
    pub bind: String,
    /// Served over TLS or behind a TLS-terminating proxy (Secure `__Host-` cookies, HSTS).
    pub tls: bool,
    /// Proxies whose `X-Forwarded-For` is believed, comma-separated in the environment.
    pub trusted_proxies: Vec<String>,
    /// Extra origins allowed to send unsafe requests, e.g. the portal's address.
    pub allowed_origins: Vec<String>,
    /// Login attempts per client address per minute.
    pub login_rate_per_minute: u32,
    /// Failed passwords in a row before an account locks.
    pub lockout_failures: i64,
    /// Minutes a locked account stays locked.
    pub lockout_minutes: i64,
    /// Minutes of inactivity that end a session.
    pub session_idle_minutes: i64,
    /// Hours after login that end a session regardless of activity.
    pub session_lifetime_hours: i64,
    /// Uniqueness clashes on personal fields a user may meet per minute before writes get 429.
    pub pii_clash_per_minute: u32,
    /// Requests per client address per minute to the routes that need no session (sign-in,
    /// health, the OpenAPI document, the pages) before `429`.
    pub public_rate_per_minute: u32,
    /// Memory password hashing may take at once, in MiB (argon2id takes 19 MiB per check, so
    /// the default 192 allows 10 checks at once).
    pub password_memory_mib: u32,
    /// Milliseconds a sign-in waits for a free password check before `503`.
    pub password_wait_ms: u64,
    /// The college's name, printed at the head of the print views (e.g. 重庆渝新职业技术学院).
    pub college_name: String,
    /// The attachment store's folder (content-addressed files, `ab/cd/<sha256>`). Default
    /// (empty): beside a SQLite database (`PATH.files`), else `./data/files`.
    pub attachments_dir: String,
    /// The largest attachment accepted, in MiB. Default: 20.
    pub attachment_max_mib: u64,
    /// Least total teaching hours of a talent-cultivation plan (a check that blocks approval without an exception). Default: 2500.
    pub plan_min_total_hours: i64,
    /// Least share of public-foundation hours in a plan, per mille. Default: 250 (one quarter).
    pub plan_min_public_permille: i64,
    /// Least share of elective hours in a plan, per mille. Default: 100 (10%).
    pub plan_min_elective_permille: i64,
    /// Least share of practice hours in a plan, per mille. Default: 500 (50%).
    pub plan_min_practice_permille: i64,
    /// Fewest teaching hours that make one credit. Default: 16.
    pub plan_min_hours_per_credit: i64,
    /// Most teaching hours that make one credit. Default: 18.
    pub plan_max_hours_per_credit: i64,
    /// Log filter (tracing `EnvFilter` syntax). Default: info.
    pub log: String,
    /// The SMTP relay for notification mail, `host:port` (plain SMTP, no TLS, no login: the
    /// college's relay or a local MTA). Empty (the default): no mail is sent.
    pub mail_smtp: String,
    /// The sender address of notification mail.
    pub mail_from: String,
    /// The address users open SkillBridge at, for the links in mails
    /// (`https://skillbridge.college.edu.cn`). Default: `http://` + `bind`.
    pub public_url: String,
    /// Seconds between rounds of the notifier (new to-dos mailed, failed mails retried).
    pub notify_interval_seconds: u64,
    /// Seconds before the first retry of a failed mail (then doubling, at most an hour).
    pub mail_retry_seconds: u64,
    /// The file holding the audit key (64 hex digits), created with mode 0600 on first start when
    /// absent. Keep a copy apart from the database: without it the trail cannot be verified.
    /// Default (empty): next to a SQLite database (`PATH.audit-key`), else `./data/audit.key`.
    pub audit_key_file: String,
    /// The personal-data key file (`skillbridge keygen FILE`, mode 0600): with it, every personal
    /// field is stored encrypted (AES-256-GCM). Empty (the default): personal data is stored in
    /// clear, and `serve` warns so at start. Env: SKILLBRIDGE_PII_KEY_FILE.
    pub pii_key_file: String,
    /// The audit key itself (64 hex digits), instead of a file: only from the environment
    /// (`SKILLBRIDGE_AUDIT_KEY`), never from the file, never printed.
    #[serde(skip)]
    pub audit_key: Option<Secret>,
    /// Days an audit entry stays in the database before the retention job archives it. At least
    /// 180 (Cybersecurity Law Art. 21); a smaller value is refused. Default: 180.
    pub retention_audit_days: u32,
    /// Years after graduation after which the retention job anonymises a graduate's personal
    /// fields. Default: 5.
    pub retention_graduate_years: u32,
    /// The hour of the day (0–23, college time, UTC+8) at which `serve` runs the retention job
    /// each day. Default: 3.
    pub retention_hour: u32,
    /// The folder the retention job writes audit archives to. Default (empty): beside a SQLite
    /// database (`PATH.audit-archive`), else `./data/audit-archive`.
    pub audit_archive_dir: String,
}

/// A value that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl Default for Config {
    fn default() -> Self {
        let web = skillbridge_web::WebConfig::default();
        let plans_default = web.plan_rules;
        Config {
            database_url: "sqlite:./data/skillbridge.db".into(),
            bind: "127.0.0.1:8080".into(),
            tls: false,
            trusted_proxies: Vec::new(),
            allowed_origins: Vec::new(),
            login_rate_per_minute: web.login_rate_per_minute,
            lockout_failures: web.lockout_failures,
            lockout_minutes: web.lockout_secs / 60,
            session_idle_minutes: web.session_idle_secs / 60,
            session_lifetime_hours: web.session_lifetime_secs / 3600,
            pii_clash_per_minute: web.pii_clash_per_minute,
            public_rate_per_minute: web.public_rate_per_minute,
            password_memory_mib: web.password_memory_mib,
            password_wait_ms: web.password_wait_ms,
            college_name: String::new(),
            attachments_dir: String::new(),
            attachment_max_mib: web.max_attachment_bytes >> 20,
            plan_min_total_hours: plans_default.min_total_hours,
            plan_min_public_permille: plans_default.min_public_permille,
            plan_min_elective_permille: plans_default.min_elective_permille,
            plan_min_practice_permille: plans_default.min_practice_permille,
            plan_min_hours_per_credit: plans_default.min_hours_per_credit,
            plan_max_hours_per_credit: plans_default.max_hours_per_credit,
            log: "info".into(),
            mail_smtp: String::new(),
            mail_from: web.mail.from.clone(),
            public_url: String::new(),
            notify_interval_seconds: web.mail.interval_secs,
            mail_retry_seconds: web.mail.retry_base_secs,
            audit_key_file: String::new(),
            pii_key_file: String::new(),
            audit_key: None,
            retention_audit_days: RetentionPolicy::default().audit_days,
            retention_graduate_years: RetentionPolicy::default().graduate_years,
            retention_hour: 3,
            audit_archive_dir: String::new(),
        }
    }
}

/// Environment variables that are not settings but are still SkillBridge's.
const OTHER_VARS: &[&str] = &[
    "SKILLBRIDGE_CONFIG",
    "SKILLBRIDGE_ADMIN_PASSWORD",
    "SKILLBRIDGE_TEST_DATABASE_URL",
    "SKILLBRIDGE_TEST_SMTP_SINK",
];

impl Config {
    /// Loads defaults, then the file, then the environment (`vars`, usually `std::env::vars()`).
    pub fn load(
        file: Option<&str>,
        vars: impl Iterator<Item = (String, String)>,
    ) -> Result<(Config, Vec<String>), String> {
        let mut cfg = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {path}: {e}"))?;
                toml::from_str(&text).map_err(|e| format!("{path}: {e}"))?
            }
            None if std::path::Path::new("skillbridge.toml").exists() => {
                let text = std::fs::read_to_string("skillbridge.toml")
                    .map_err(|e| format!("skillbridge.toml: {e}"))?;
                toml::from_str(&text).map_err(|e| format!("skillbridge.toml: {e}"))?
            }
            None => Config::default(),
        };
        let mut warnings = Vec::new();
        for (k, v) in vars {
            let Some(name) = k.strip_prefix("SKILLBRIDGE_") else {
                continue;
            };
            let bad = |what: &str| format!("{k}: {what}");
            if let Some(slot) = cfg.plan_setting(name) {
                *slot = v.parse().map_err(|_| bad("expected a number"))?;
                continue;
            }
            match name {
                "DATABASE_URL" => cfg.database_url = v,
                "BIND" => cfg.bind = v,
                "MAIL_SMTP" => cfg.mail_smtp = v,
                "MAIL_FROM" => cfg.mail_from = v,
                "PUBLIC_URL" => cfg.public_url = v,
                "NOTIFY_INTERVAL_SECONDS" => {
                    cfg.notify_interval_seconds = v.parse().map_err(|_| bad("expected a number"))?
                }
                "MAIL_RETRY_SECONDS" => {
                    cfg.mail_retry_seconds = v.parse().map_err(|_| bad("expected a number"))?
                }
                "TLS" => cfg.tls = parse_bool(&v).ok_or_else(|| bad("expected true or false"))?,
                "TRUSTED_PROXIES" => cfg.trusted_proxies = split_list(&v),
                "ALLOWED_ORIGINS" => cfg.allowed_origins = split_list(&v),
                "LOGIN_RATE_PER_MINUTE" => {
                    cfg.login_rate_per_minute = v.parse().map_err(|_| bad("expected a number"))?
                }
                "LOCKOUT_FAILURES" => {
                    cfg.lockout_failures = v.parse().map_err(|_| bad("expected a number"))?
                }
                "LOCKOUT_MINUTES" => {
                    cfg.lockout_minutes = v.parse().map_err(|_| bad("expected a number"))?
                }
                "SESSION_IDLE_MINUTES" => {
                    cfg.session_idle_minutes = v.parse().map_err(|_| bad("expected a number"))?
                }
                "SESSION_LIFETIME_HOURS" => {
                    cfg.session_lifetime_hours = v.parse().map_err(|_| bad("expected a number"))?
                }
                "PII_CLASH_PER_MINUTE" => {
                    cfg.pii_clash_per_minute = v.parse().map_err(|_| bad("expected a number"))?
                }
                "PUBLIC_RATE_PER_MINUTE" => {
                    cfg.public_rate_per_minute = v.parse().map_err(|_| bad("expected a number"))?
                }
                "PASSWORD_MEMORY_MIB" => {
                    cfg.password_memory_mib = v.parse().map_err(|_| bad("expected a number"))?
                }
                "PASSWORD_WAIT_MS" => {
                    cfg.password_wait_ms = v.parse().map_err(|_| bad("expected a number"))?
                }
                "COLLEGE_NAME" => cfg.college_name = v,
                "ATTACHMENTS_DIR" => cfg.attachments_dir = v,
                "ATTACHMENT_MAX_MIB" => {
                    cfg.attachment_max_mib = v.parse().map_err(|_| bad("expected a number"))?
                }
                "LOG" => cfg.log = v,
                "AUDIT_KEY_FILE" => cfg.audit_key_file = v,
                "PII_KEY_FILE" => cfg.pii_key_file = v,
                "AUDIT_KEY" => cfg.audit_key = Some(Secret(v)),
                "RETENTION_AUDIT_DAYS" => {
                    cfg.retention_audit_days = v.parse().map_err(|_| bad("expected a number"))?
                }
                "RETENTION_GRADUATE_YEARS" => {
                    cfg.retention_graduate_years =
                        v.parse().map_err(|_| bad("expected a number"))?
                }
                "RETENTION_HOUR" => {
                    cfg.retention_hour = v.parse().map_err(|_| bad("expected a number"))?
                }
                "AUDIT_ARCHIVE_DIR" => cfg.audit_archive_dir = v,
                _ if OTHER_VARS.contains(&k.as_str()) => {}
                _ => warnings.push(format!("unknown setting {k} is ignored")),
            }
        }
        Ok((cfg, warnings))
    }

    /// The talent-cultivation plan threshold named by an environment variable's suffix.
    fn plan_setting(&mut self, name: &str) -> Option<&mut i64> {
        Some(match name {
            "PLAN_MIN_TOTAL_HOURS" => &mut self.plan_min_total_hours,
            "PLAN_MIN_PUBLIC_PERMILLE" => &mut self.plan_min_public_permille,
            "PLAN_MIN_ELECTIVE_PERMILLE" => &mut self.plan_min_elective_permille,
            "PLAN_MIN_PRACTICE_PERMILLE" => &mut self.plan_min_practice_permille,
            "PLAN_MIN_HOURS_PER_CREDIT" => &mut self.plan_min_hours_per_credit,
            "PLAN_MAX_HOURS_PER_CREDIT" => &mut self.plan_max_hours_per_credit,
            _ => return None,
        })
    }

    /// The web layer's view of these settings.
    pub fn web(&self) -> Result<skillbridge_web::WebConfig, String> {
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .map(|s| {
                s.parse::<IpAddr>()
                    .map_err(|_| format!("trusted_proxies: {s:?} is not an IP address"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if self.lockout_failures < 1
            || self.session_idle_minutes < 1
            || self.session_lifetime_hours < 1
            || self.login_rate_per_minute < 1
            || self.pii_clash_per_minute < 1
            || self.public_rate_per_minute < 1
        {
            return Err("lockout_failures, session_idle_minutes, session_lifetime_hours, login_rate_per_minute, public_rate_per_minute and pii_clash_per_minute must be at least 1".into());
        }
        if self.password_memory_mib < skillbridge_web::config::ARGON2_MIB {
            return Err(format!(
                "password_memory_mib must be at least {} (one password check)",
                skillbridge_web::config::ARGON2_MIB
            ));
        }
        Ok(skillbridge_web::WebConfig {
            tls: self.tls,
            trusted_proxies,
            allowed_origins: self.allowed_origins.clone(),
            login_rate_per_minute: self.login_rate_per_minute,
            lockout_failures: self.lockout_failures,
            lockout_secs: self.lockout_minutes * 60,
            session_idle_secs: self.session_idle_minutes * 60,
            session_lifetime_secs: self.session_lifetime_hours * 3600,
            pii_clash_per_minute: self.pii_clash_per_minute,
            public_rate_per_minute: self.public_rate_per_minute,
            password_memory_mib: self.password_memory_mib,
            password_wait_ms: self.password_wait_ms,
            mail: self.mail()?,
            college_name: self.college_name.trim().to_string(),
            max_attachment_bytes: self.attachment_max_mib.max(1) << 20,
            plan_rules: skillbridge_core::modules::plans::PlanRules {
                min_total_hours: self.plan_min_total_hours,
                min_public_permille: self.plan_min_public_permille,
                min_elective_permille: self.plan_min_elective_permille,
                min_practice_permille: self.plan_min_practice_permille,
                min_hours_per_credit: self.plan_min_hours_per_credit,
                max_hours_per_credit: self.plan_max_hours_per_credit,
            },
            ..skillbridge_web::WebConfig::default()
        })
    }

    /// The mail settings: off without `mail_smtp`; with it, a valid sender and interval.
    fn mail(&self) -> Result<skillbridge_web::mail::MailConfig, String> {
        let smtp = self.mail_smtp.trim();
        if !smtp.is_empty() {
            if smtp
                .rsplit_once(':')
                .is_none_or(|(h, p)| h.is_empty() || p.parse::<u16>().is_err())
            {
                return Err(format!("mail_smtp: expected host:port, got {smtp}"));
            }
            if !skillbridge_core::modules::todos::is_email(&self.mail_from) {
                return Err("mail_from: expected an e-mail address".into());
            }
            if self.notify_interval_seconds < 1 || self.mail_retry_seconds < 1 {
                return Err(
                    "notify_interval_seconds and mail_retry_seconds must be at least 1".into(),
                );
            }
        }
        let public_url = if self.public_url.trim().is_empty() {
            format!("http://{}", self.bind)
        } else {
            self.public_url.trim().to_string()
        };
        Ok(skillbridge_web::mail::MailConfig {
            smtp: (!smtp.is_empty()).then(|| smtp.to_string()),
            from: self.mail_from.clone(),
            public_url,
            interval_secs: self.notify_interval_seconds,
            retry_base_secs: self.mail_retry_seconds,
            ..Default::default()
        })
    }

    /// The audit key: from `SKILLBRIDGE_AUDIT_KEY`, else from `audit_key_file` (or its default
    /// place), created there on first start; and whether it was created now.
    pub fn audit_key(&self) -> Result<(skillbridge_core::audit::AuditKey, bool), String> {
        if let Some(Secret(hex)) = &self.audit_key {
            return skillbridge_core::audit::AuditKey::from_hex(hex)
                .map(|k| (k, false))
                .map_err(|e| format!("SKILLBRIDGE_AUDIT_KEY: {e}"));
        }
        let path = if self.audit_key_file.is_empty() {
            skillbridge_store::Backend::default_audit_key_path(&self.database_url)
        } else {
            std::path::PathBuf::from(&self.audit_key_file)
        };
        skillbridge_store::load_or_create_key(&path).map_err(|e| e.to_string())
    }

    /// Opens the database with the audit key (migrations applied). A key created just now puts
    /// an older version's trail under it.
    pub async fn open_store(&self) -> Result<skillbridge_store::Store, String> {
        let store = self.open_store_unchecked().await?;
        check_pii_storage(&store, !self.pii_key_file.is_empty()).await?;
        Ok(store)
    }

    /// [`Config::open_store`] without the check that personal data is stored as the key file
    /// says: for `rotate-pii-key`, which is what repairs a mixture.
    pub async fn open_store_unchecked(&self) -> Result<skillbridge_store::Store, String> {
        self.install_pii_key()?;
        let (key, created) = self.audit_key()?;
        let store = skillbridge_store::Store::open_with(&self.database_url, key, created)
            .await
            .map_err(|e| format!("database {}: {e}", self.database_url_redacted()))?;
        Ok(if self.attachments_dir.is_empty() {
            store
        } else {
            store.with_files_dir(&self.attachments_dir)
        })
    }

    /// The retention job's settings, checked: an audit period below the legal minimum, zero
    /// years or an hour outside 0–23 is an error naming the setting.
    pub fn retention(&self, dry_run: bool) -> Result<skillbridge_store::RetentionRun, String> {
        let policy =
            RetentionPolicy::new(self.retention_graduate_years, self.retention_audit_days)?;
        if self.retention_hour > 23 {
            return Err(format!(
                "retention_hour: {} is not an hour of the day (0 to 23)",
                self.retention_hour
            ));
        }
        let archive_dir = if self.audit_archive_dir.is_empty() {
            match self.database_url.strip_prefix("sqlite:") {
                Some(rest) => {
                    let path = rest.strip_prefix("//").unwrap_or(rest);
                    let path = path.split_once('?').map_or(path, |(p, _)| p);
                    std::path::PathBuf::from(format!("{path}.audit-archive"))
                }
                None => std::path::PathBuf::from("./data/audit-archive"),
            }
        } else {
            std::path::PathBuf::from(&self.audit_archive_dir)
        };
        Ok(skillbridge_store::RetentionRun {
            policy,
            archive_dir,
            session_idle_secs: self.session_idle_minutes * 60,
            dry_run,
        })
    }

    /// Sets this process's personal-data key ring from `pii_key_file` (none when it is empty).
    pub fn install_pii_key(&self) -> Result<(), String> {
        let path =
            (!self.pii_key_file.is_empty()).then(|| std::path::Path::new(&self.pii_key_file));
        skillbridge_store::crypt::install(path).map_err(|e| e.to_string())
    }

    /// The database URL with any password hidden, for logs.
    pub fn database_url_redacted(&self) -> String {
        redact(&self.database_url)
    }
}

/// Refuses a database whose personal data is not stored as the configuration says: encrypted
/// values without a key file (they could not be read), or, with a key file, values in clear or
/// under a key the file does not hold (a silent mixture). Both name the way out. (Without a key
/// file and nothing encrypted, `serve` warns that personal data is stored in clear.)
pub async fn check_pii_storage(
    store: &skillbridge_store::Store,
    keyed: bool,
) -> Result<(), String> {
    let census = store.pii_census().await.map_err(|e| e.to_string())?;
    let clear: i64 = census.iter().map(|c| c.clear).sum();
    let ring = skillbridge_store::crypt::current();
    let known: Vec<String> = ring
        .as_ref()
        .map(|r| r.ids().iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    let mut encrypted = 0i64;
    let mut unknown = Vec::new();
    for c in &census {
        for (k, n) in &c.by_key {
            encrypted += n;
            if !known.contains(k) {
                unknown.push(format!("{}.{} ({n} under key {k})", c.table, c.column));
            }
        }
    }
    if !keyed {
        if encrypted > 0 {
            return Err(format!(
                "{encrypted} personal values in the database are encrypted, but no key file is \
                 configured: set SKILLBRIDGE_PII_KEY_FILE (pii_key_file) to the key file"
            ));
        }
        return Ok(());
    }
    if !unknown.is_empty() {
        return Err(format!(
            "personal values are encrypted under a key that the key file does not hold: {}",
            unknown.join(", ")
        ));
    }
    if clear > 0 {
        return Err(format!(
            "{clear} personal values in the database are in clear although a key file is \
             configured; encrypt them first with `skillbridge rotate-pii-key --encrypt-only`"
        ));
    }
    Ok(())
}

pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_settings_are_checked_and_the_archive_sits_beside_the_database() {
        let (cfg, _) = Config::load(
            None,
            [
                ("SKILLBRIDGE_DATABASE_URL", "sqlite:/srv/sb/db.sqlite"),
                ("SKILLBRIDGE_RETENTION_AUDIT_DAYS", "365"),
                ("SKILLBRIDGE_RETENTION_GRADUATE_YEARS", "3"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string())),
        )
        .unwrap();
        let run = cfg.retention(true).unwrap();
        assert_eq!((run.policy.audit_days, run.policy.graduate_years), (365, 3));
        assert_eq!(
            run.archive_dir,
            std::path::PathBuf::from("/srv/sb/db.sqlite.audit-archive")
        );
        assert_eq!(run.session_idle_secs, cfg.session_idle_minutes * 60);
        let short = Config {
            retention_audit_days: 90,
            ..Config::default()
        };
        let e = short.retention(false).unwrap_err();
        assert!(
            e.starts_with("retention_audit_days: 90") && e.contains("180"),
            "{e}"
        );
        let hour = Config {
            retention_hour: 24,
            ..Config::default()
        };
        assert!(hour
            .retention(false)
            .unwrap_err()
            .starts_with("retention_hour"));
        let pg = Config {
            database_url: "postgres://u@127.0.0.1/db".into(),
            audit_archive_dir: String::new(),
            ..Config::default()
        };
        assert_eq!(
            pg.retention(false).unwrap().archive_dir,
            std::path::PathBuf::from("./data/audit-archive")
        );
    }

    #[test]
    fn layers_and_warnings() {
        let vars = vec![
            ("SKILLBRIDGE_BIND".to_string(), "127.0.0.1:9000".to_string()),
            (
                "SKILLBRIDGE_TRUSTED_PROXIES".to_string(),
                "127.0.0.1, ::1".to_string(),
            ),
            ("SKILLBRIDGE_DATABSE_URL".to_string(), "typo".to_string()),
            ("PATH".to_string(), "/bin".to_string()),
        ];
        let (cfg, warnings) = Config::load(None, vars.into_iter()).unwrap();
        assert_eq!(cfg.bind, "127.0.0.1:9000");
        assert_eq!(cfg.database_url, "sqlite:./data/skillbridge.db");
        assert_eq!(cfg.web().unwrap().trusted_proxies.len(), 2);
        let (cfg, _) = Config::load(
            None,
            [
                ("SKILLBRIDGE_PUBLIC_RATE_PER_MINUTE", "120"),
                ("SKILLBRIDGE_PASSWORD_MEMORY_MIB", "40"),
                ("SKILLBRIDGE_PASSWORD_WAIT_MS", "250"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string())),
        )
        .unwrap();
        let web = cfg.web().unwrap();
        assert_eq!(web.public_rate_per_minute, 120);
        assert_eq!(web.password_check_cap(), 2, "40 MiB: two checks of 19 MiB");
        assert_eq!(web.password_wait_ms, 250);
        assert_eq!(Config::default().web().unwrap().password_check_cap(), 10);
        let small = Config {
            password_memory_mib: 18,
            ..Config::default()
        };
        assert!(small.web().is_err(), "less than one password check");
        assert_eq!(
            warnings,
            vec!["unknown setting SKILLBRIDGE_DATABSE_URL is ignored"]
        );
        assert!(Config::load(
            None,
            [("SKILLBRIDGE_TLS".to_string(), "maybe".to_string())].into_iter()
        )
        .is_err());
    }

    #[test]
    fn file_layer_and_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.toml");
        std::fs::write(&p, "bind = \"0.0.0.0:80\"\ntls = true\n").unwrap();
        let (cfg, _) = Config::load(
            Some(p.to_str().unwrap()),
            [("SKILLBRIDGE_BIND".to_string(), "127.0.0.1:1".to_string())].into_iter(),
        )
        .unwrap();
        assert!(cfg.tls);
        assert_eq!(cfg.bind, "127.0.0.1:1", "environment over file");
        std::fs::write(&p, "bnid = 1\n").unwrap();
        assert!(Config::load(Some(p.to_str().unwrap()), std::iter::empty()).is_err());
    }

    #[test]
    fn the_audit_key_comes_from_the_variable_or_a_file_created_0600_and_never_prints() {
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("k").join("audit.key");
        let vars = [(
            "SKILLBRIDGE_AUDIT_KEY_FILE".to_string(),
            key_file.display().to_string(),
        )];
        let (cfg, warnings) = Config::load(None, vars.into_iter()).unwrap();
        assert!(warnings.is_empty());
        let (k, created) = cfg.audit_key().unwrap();
        assert!(created);
        assert_eq!(
            cfg.audit_key().unwrap(),
            (k, false),
            "read back, not made again"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let hex = "ab".repeat(32);
        let (cfg, _) = Config::load(
            None,
            [("SKILLBRIDGE_AUDIT_KEY".to_string(), hex.clone())].into_iter(),
        )
        .unwrap();
        assert_eq!(cfg.audit_key().unwrap().0.to_hex(), hex);
        assert!(!format!("{cfg:?}").contains(&hex), "the key never prints");
        std::fs::write(&key_file, "not a key").unwrap();
        let (cfg, _) = Config::load(
            None,
            [(
                "SKILLBRIDGE_AUDIT_KEY_FILE".to_string(),
                key_file.display().to_string(),
            )]
            .into_iter(),
        )
        .unwrap();
        assert!(
            cfg.audit_key().is_err(),
            "a bad key file is an error, never replaced"
        );
    }

    #[test]
    fn passwords_in_urls_are_redacted() {
        assert_eq!(
            redact("postgres://sb:secret@127.0.0.1/sb"),
            "postgres://sb:***@127.0.0.1/sb"
        );
        assert_eq!(redact("sqlite:./data/x.db"), "sqlite:./data/x.db");
    }
}
