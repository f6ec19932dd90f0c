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
        }
    }
}

impl WebConfig {
    pub fn cookie_name(&self) -> &'static str {
        if self.tls {
            "__Host-sb_session"
        } else {
            "sb_session"
        }
    }
}
