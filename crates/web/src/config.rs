//! The web server's settings. Filled by the CLI's layered configuration (defaults, file,
//! `SKILLBRIDGE_*` variables, flags); tests build it directly.

use std::net::IpAddr;

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Served over TLS, or behind a TLS-terminating proxy: cookies get `Secure` and the
    /// `__Host-` prefix, and HSTS is sent. A plain-HTTP campus LAN leaves it off.
    pub tls: bool,
    /// Peers whose `X-Forwarded-For` is believed. Any other peer's header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
    /// Extra origins allowed to send unsafe requests (the server's own origin always is).
    pub allowed_origins: Vec<String>,
    /// Login attempts per client address per minute before 429.
    pub login_rate_per_minute: u32,
    /// Failed passwords in a row that lock an account.
    pub lockout_failures: i64,
    /// How long a locked account refuses logins, in seconds.
    pub lockout_secs: i64,
    /// A session unused for this long ends, in seconds.
    pub session_idle_secs: i64,
    /// A session ends this long after login whatever the activity, in seconds.
    pub session_lifetime_secs: i64,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Uniqueness clashes on personal fields ("this value cannot be used") a user may meet per
    /// minute before their writes get 429: each answers whether a value is someone's.
    pub pii_clash_per_minute: u32,
    /// Requests per client address per minute to the routes that need no session (sign-in,
    /// health, the OpenAPI document, the pages) before `429`.
    pub public_rate_per_minute: u32,
    /// Memory that password hashing (argon2id, 19 MiB each) may take at once, in MiB: the
    /// number of concurrent password checks is this divided by 19 (at least one).
    pub password_memory_mib: u32,
    /// How long a sign-in waits for a free password check before `503`, in milliseconds.
    pub password_wait_ms: u64,
    /// Notification mail (off unless a relay is set).
    pub mail: crate::mail::MailConfig,
    /// The college's name, printed at the head of every print view (rosters, offer letters,
    /// booking sheets, record cards). Empty: the print views name the application instead.
    pub college_name: String,
    /// The largest attachment accepted, in bytes (enforced while the upload streams).
    pub max_attachment_bytes: u64,
    /// The thresholds of the talent-cultivation plans' structural checks (defaults: the
    /// national guidance as `DOMAIN.md` quotes it).
    pub plan_rules: skillbridge_core::modules::plans::PlanRules,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            tls: false,
            trusted_proxies: Vec::new(),
            allowed_origins: Vec::new(),
            login_rate_per_minute: 30,
            lockout_failures: 5,
            lockout_secs: 15 * 60,
            session_idle_secs: 30 * 60,
            session_lifetime_secs: 12 * 3600,
            max_body_bytes: 1 << 20,
            pii_clash_per_minute: 5,
            // A campus behind one NAT address: a few hundred people opening the pages in the
            // same minute (each page load is about 15 public requests) stay below it; a flood
            // from one address is cut to 100 requests a second.
            public_rate_per_minute: 6000,
            // 10 checks at once: 190 MiB of argon2 memory at most.
            password_memory_mib: 192,
            password_wait_ms: 2000,
            mail: crate::mail::MailConfig::default(),
            college_name: String::new(),
            max_attachment_bytes: skillbridge_core::modules::attachments::DEFAULT_MAX_BYTES,
            plan_rules: skillbridge_core::modules::plans::PlanRules::default(),
        }
    }
}

/// Memory one argon2id password check takes (`auth::argon2`: m = 19456 KiB).
pub const ARGON2_MIB: u32 = 19;

impl WebConfig {
    /// How many password checks may run at once: `password_memory_mib` / 19 MiB, at least one.
    pub fn password_check_cap(&self) -> usize {
        (self.password_memory_mib / ARGON2_MIB).max(1) as usize
    }

    pub fn cookie_name(&self) -> &'static str {
        if self.tls {
            "__Host-sb_session"
        } else {
            "sb_session"
        }
    }
}
