//! Signing in and who is asking.
//!
//! - Passwords: argon2id with 19 MiB, 2 passes, 1 lane (OWASP's minimum for argon2id), hashed
//!   on a blocking thread. An unknown username is checked against a dummy hash, so known and
//!   unknown usernames take the same time and get the same answer.
//! - Sessions: a random 256-bit token in an HttpOnly, SameSite=Lax cookie (`__Host-` and
//!   `Secure` under TLS); the database keeps only its SHA-256. A new token at every login;
//!   logout, idle timeout, absolute lifetime, role change, password reset and disabling end it.
//! - Brute force: 5 failures lock an account for 15 minutes (settings); a per-address limit
//!   answers 429. The address is the peer's, unless the peer is a configured proxy.
//! - Memory: every argon2 computation (verification, and hashing a new password) takes a slot
//!   of the password gate (`load.rs`), whose size follows a memory budget; over it, 503.
//! - [`Auth`] is the extractor every protected handler names in its signature: without a live
//!   session the handler does not run. Its errors fail closed.

use crate::error::{ApiError, ApiResult};
use crate::load::{run_argon2, Slot};
use crate::AppState;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use skillbridge_core::access::{Actor, Role};
use skillbridge_core::audit::{sha256_hex, AuditEvent};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn argon2_params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters")
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, argon2_params())
}

/// The memory one password check fills (argon2's blocks, 19 MiB). The password gate hands one
/// out with each slot and reuses it, so the server never holds more than its cap of them,
/// whatever the allocator would keep after freeing (`load.rs`).
pub fn argon2_memory() -> Vec<Block> {
    vec![Block::new(); argon2_params().block_count()]
}

/// Hashes a password in the given memory (blocking: call from a blocking thread).
pub fn hash_password_with(password: &str, memory: &mut [Block]) -> String {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).expect("system randomness");
    let salt_b64 = SaltString::encode_b64(&salt).expect("salt encodes");
    let a = argon2();
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        a.hash_password_into_with_memory(password.as_bytes(), &salt, out, &mut *memory)
            .map_err(|_| argon2::password_hash::Error::Crypto)
    })
    .expect("argon2 hashes");
    PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&argon2_params()).expect("parameters format"),
        salt: Some(salt_b64.as_salt()),
        hash: Some(output),
    }
    .to_string()
}

/// Hashes a password in memory of its own (blocking). For start-up and tools; the server's
/// routes go through the password gate ([`hash_password_async`]).
pub fn hash_password(password: &str) -> String {
    hash_password_with(password, &mut argon2_memory())
}

/// Verifies a password against a stored PHC hash in the given memory (blocking). The
/// comparison is constant-time (`Output`'s equality). A hash that would need more memory than
/// given (none of SkillBridge's) fails closed.
pub fn verify_password_with(password: &str, hash: &str, memory: &mut [Block]) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Some(expected), Some(salt)) = (
        Algorithm::try_from(parsed.algorithm),
        parsed.hash,
        parsed.salt,
    ) else {
        return false;
    };
    let Ok(version) = parsed.version.map_or(Ok(Version::V0x13), Version::try_from) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    if params.block_count() > memory.len() {
        tracing::error!(
            m_cost = params.m_cost(),
            "a stored password hash needs more memory than a password check may take"
        );
        return false;
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, memory)
        .is_err()
    {
        return false;
    }
    Output::new(&out).is_ok_and(|o| o == expected)
}

/// Verifies a password against a stored hash in memory of its own (blocking).
pub fn verify_password(password: &str, hash: &str) -> bool {
    verify_password_with(password, hash, &mut argon2_memory())
}

/// Hashes a password on a blocking thread, within the cap on concurrent password checks
/// (`503` when no slot frees up in time).
pub async fn hash_password_async(state: &AppState, password: String) -> ApiResult<String> {
    let slot = state.password_gate.enter().await?;
    run_argon2(state.store.counters.clone(), slot, move |memory| {
        hash_password_with(&password, memory)
    })
    .await
}

/// A random token, hex-encoded.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).expect("system randomness");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The client's address: the peer, or, when the peer is a configured proxy, the nearest
/// address in `X-Forwarded-For` that is not itself a configured proxy.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> ClientAddr {
        if !trusted.contains(&peer) {
            return ClientAddr(peer);
        }
        let chain: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        ClientAddr(
            chain
                .into_iter()
                .rev()
                .find(|a| !trusted.contains(a))
                .unwrap_or(peer),
        )
    }

    /// The client of a request: its peer (from `ConnectInfo`; loopback when served without
    /// it, as in tests) resolved through the trusted proxies' `X-Forwarded-For`.
    pub fn of(extensions: &axum::http::Extensions, headers: &HeaderMap, state: &AppState) -> Self {
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        ClientAddr::resolve(peer, headers, &state.cfg.trusted_proxies)
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr::of(&parts.extensions, &parts.headers, state))
    }
}

/// Fixed-window counters per key, a minute each: per client address for sign-ins and public
/// routes, per user for personal-value clashes (`privacy.rs`).
pub struct RateLimiter<K = IpAddr> {
    windows: Mutex<HashMap<K, (Instant, u32)>>,
}

impl<K> Default for RateLimiter<K> {
    fn default() -> Self {
        RateLimiter {
            windows: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: std::hash::Hash + Eq> RateLimiter<K> {
    /// Adds `n` to the key's count in its current minute and answers the new count.
    pub fn add(&self, key: K, n: u32) -> u32 {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if w.len() > 100_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let e = w.entry(key).or_insert((now, 0));
        if now.duration_since(e.0) >= Duration::from_secs(60) {
            *e = (now, 0);
        }
        e.1 = e.1.saturating_add(n);
        e.1
    }

    /// Counts one attempt; false once `per_minute` attempts were made in the current minute.
    pub fn allow(&self, key: K, per_minute: u32) -> bool {
        self.add(key, 1) <= per_minute
    }
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The signed-in user. Naming it in a handler's arguments is what makes a route protected.
#[derive(Debug, Clone)]
pub struct Auth {
    pub actor: Actor,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie_value(&parts.headers, state.cfg.cookie_name())
            .ok_or(ApiError::Unauthenticated)?;
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ApiError::Unauthenticated);
        }
        let token_hash = sha256_hex(token.as_bytes());
        let session = state
            .store
            .session(&token_hash, state.cfg.session_idle_secs)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let actor = state.store.load_actor(session.user_id).await?;
        Ok(Auth { actor, token_hash })
    }
}

#[derive(Deserialize)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

#[derive(Serialize)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
}

fn session_cookie(state: &AppState, token: &str, max_age: i64) -> HeaderValue {
    let secure = if state.cfg.tls { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        state.cfg.cookie_name()
    ))
    .expect("cookie is ASCII")
}

/// `POST /api/auth/login`.
pub async fn login(
    State(state): State<AppState>,
    addr: ClientAddr,
    headers: HeaderMap,
    crate::extract::Json(input): crate::extract::Json<LoginInput>,
) -> ApiResult<Response> {
    let user = authenticate(&state, &addr, &input).await?;
    state.store.record_login_success(user.id).await?;
    let token = start_session(&state, &headers, &addr, user.id).await?;
    let role = user
        .roles
        .iter()
        .map(Role::name)
        .collect::<Vec<_>>()
        .join(",");
    state
        .store
        .audit(AuditEvent {
            actor: format!("user:{}", user.id),
            role,
            action: "login".into(),
            object: format!("users/{}", user.id),
            outcome: "ok".into(),
            source: addr.0.to_string(),
            detail: String::new(),
        })
        .await?;
    let me = Me {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        roles: user.roles,
    };
    let mut res = (StatusCode::OK, axum::Json(me)).into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&state, &token, state.cfg.session_lifetime_secs),
    );
    Ok(res)
}

/// Verifies a password against a stored hash on a blocking thread, in a slot of the password
/// gate (the caller took it), counted in the store's `password_checks`.
async fn check_password(
    state: &AppState,
    slot: Slot,
    password: &str,
    hash: &str,
) -> ApiResult<bool> {
    state
        .store
        .counters
        .password_checks
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (pw, hash) = (password.to_string(), hash.to_string());
    run_argon2(state.store.counters.clone(), slot, move |memory| {
        verify_password_with(&pw, &hash, memory)
    })
    .await
}

/// A slot of the password gate, or `Busy` (503), which is audited like every refused sign-in.
async fn enter_gate(state: &AppState, busy: AuditEvent) -> ApiResult<crate::load::Slot> {
    match state.password_gate.enter().await {
        Err(e @ ApiError::Busy) => {
            state
                .audit_quiet(AuditEvent {
                    outcome: "busy".into(),
                    ..busy
                })
                .await;
            Err(e)
        }
        r => r,
    }
}

/// The account whose username and password were given, if it may sign in now. Every refusal
/// is audited and answers the same `BadCredentials` (or `RateLimited`), so that the answer does
/// not tell an unknown user from a wrong password; an unknown user's password is checked
/// against a dummy hash, so that it costs the same time. Every attempt on a known account counts
/// towards the lockout before its password is checked (`Store::claim_login_attempt`); a success
/// clears the count.
async fn authenticate(
    state: &AppState,
    addr: &ClientAddr,
    input: &LoginInput,
) -> ApiResult<skillbridge_store::UserInfo> {
    if !state.limiter.allow(addr.0, state.cfg.login_rate_per_minute) {
        // Not looked at: named by nobody, so that a flood from one address with ever new
        // usernames is still aggregated into one entry per drain (by source).
        state
            .audit_quiet(AuditEvent {
                actor: "anonymous".into(),
                action: "login_failed".into(),
                object: "auth/login".into(),
                outcome: "rate_limited".into(),
                source: addr.0.to_string(),
                ..Default::default()
            })
            .await;
        return Err(ApiError::RateLimited);
    }
    if input.username.is_empty()
        || input.username.chars().count() > 64
        || input.password.len() > 4096
    {
        return Err(ApiError::BadCredentials);
    }
    let user = state.store.user_by_username(&input.username).await?;
    // The trail names an account by its id, and an unknown username by a keyed tag of it (it
    // may be a password typed into the wrong field): never the text. Failures go through the
    // refusal queue, so that a flood of guesses is aggregated and slows nobody's writes.
    let who = match &user {
        Some(u) => format!("user:{}", u.id),
        None => state.store.username_tag(&input.username),
    };
    let fail = |detail: &str| AuditEvent {
        actor: who.clone(),
        role: String::new(),
        action: "login_failed".into(),
        object: format!("users/{}", who.trim_start_matches("user:")),
        outcome: "failed".into(),
        source: addr.0.to_string(),
        detail: detail.into(),
    };
    let Some(user) = user else {
        // An unknown user's password is checked against a dummy hash: the same cost, in the
        // same gate.
        let slot = enter_gate(state, fail("busy")).await?;
        check_password(state, slot, &input.password, &state.dummy_hash).await?;
        state.audit_quiet(fail("unknown user")).await;
        return Err(ApiError::BadCredentials);
    };
    if user.disabled {
        state.audit_quiet(fail("disabled")).await;
        return Err(ApiError::BadCredentials);
    }
    // A slot of the password gate first: a sign-in refused as busy (503) has not used one of
    // the account's attempts. Then the attempt is counted and the lock decided before the
    // password is verified, so a burst of parallel guesses gets at most `lockout_failures`
    // verifications.
    let slot = enter_gate(state, fail("busy")).await?;
    let attempt = state
        .store
        .claim_login_attempt(user.id, state.cfg.lockout_failures, state.cfg.lockout_secs)
        .await?;
    if attempt == skillbridge_store::LoginState::Locked {
        state.audit_quiet(fail("locked")).await;
        return Err(ApiError::BadCredentials);
    }
    if !check_password(state, slot, &input.password, &user.password_hash).await? {
        state
            .audit_quiet(fail(
                if attempt == skillbridge_store::LoginState::LastAttempt {
                    "wrong password; account locked"
                } else {
                    "wrong password"
                },
            ))
            .await;
        return Err(ApiError::BadCredentials);
    }
    Ok(user)
}

/// Opens a session for the user and returns its token. A fresh token at every login; any
/// session the browser still presented ends.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    addr: &ClientAddr,
    user_id: i64,
) -> ApiResult<String> {
    if let Some(old) = cookie_value(headers, state.cfg.cookie_name()) {
        state
            .store
            .delete_session(&sha256_hex(old.as_bytes()))
            .await?;
    }
    let token = random_token();
    state
        .store
        .create_session(
            &sha256_hex(token.as_bytes()),
            user_id,
            state.cfg.session_lifetime_secs,
            &addr.0.to_string(),
        )
        .await?;
    Ok(token)
}

/// `POST /api/auth/logout`.
pub async fn logout(
    State(state): State<AppState>,
    auth: Auth,
    addr: ClientAddr,
) -> ApiResult<Response> {
    state.store.delete_session(&auth.token_hash).await?;
    state
        .store
        .audit(AuditEvent {
            actor: skillbridge_core::audit::actor_name(&auth.actor),
            role: auth.actor.role_names(),
            action: "logout".into(),
            object: String::new(),
            outcome: "ok".into(),
            source: addr.0.to_string(),
            detail: String::new(),
        })
        .await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state, "", 0));
    Ok(res)
}

/// The body of `POST /api/auth/password`.
#[derive(Deserialize)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/auth/password`: the signed-in user changes their own password. The current one is
/// checked as a sign-in checks it (the per-address limit, the account's lockout, the password
/// gate), so a session left open cannot be used to guess it; a wrong one is a field error, not a
/// 401, since the session itself is fine. The new one meets the password policy. Every session
/// of the account ends, and the caller gets a new one (a new id at a change of credentials).
pub async fn change_password(
    State(state): State<AppState>,
    auth: Auth,
    addr: ClientAddr,
    headers: HeaderMap,
    crate::extract::Json(p): crate::extract::Json<PasswordChange>,
) -> ApiResult<Response> {
    let id = auth.actor.user_id.ok_or(ApiError::Unauthenticated)?;
    let me = state.store.user_by_id(id).await?;
    let input = LoginInput {
        username: me.username.clone(),
        password: p.current_password,
    };
    match authenticate(&state, &addr, &input).await {
        Ok(_) => {}
        Err(ApiError::BadCredentials) => {
            return Err(ApiError::invalid(
                "current_password",
                "wrong_password",
                "is not the current password",
            ))
        }
        Err(e) => return Err(e),
    }
    if p.new_password == input.password {
        return Err(ApiError::invalid(
            "new_password",
            "same_password",
            "is the current password",
        ));
    }
    skillbridge_core::password::check_new_password(&p.new_password, &me.username)
        .map_err(|m| ApiError::invalid("new_password", "weak_password", m))?;
    let hash = hash_password_async(&state, p.new_password).await?;
    state
        .store
        .accounts()
        .change_own_password(&auth.actor, &hash, &addr.0.to_string())
        .await?;
    let token = start_session(&state, &headers, &addr, id).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&state, &token, state.cfg.session_lifetime_secs),
    );
    Ok(res)
}

/// `GET /api/me`.
pub async fn me(State(state): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Me>> {
    let id = auth.actor.user_id.ok_or(ApiError::Unauthenticated)?;
    let u = state.store.user_by_id(id).await?;
    Ok(axum::Json(Me {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        roles: u.roles,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_long_unicode_passwords_are_not_truncated() {
        let long = "重庆职业技术学院校企合作".repeat(8);
        let h = hash_password(&long);
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password(&long, &h));
        let mut almost = long.clone();
        almost.pop();
        assert!(!verify_password(&almost, &h), "the last character counts");
        assert!(!verify_password(&long, "not a hash"));
    }

    #[test]
    fn hashes_agree_with_the_argon2_crates_own_hasher_and_verifier() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let salt = SaltString::encode_b64(b"sixteen byte salt").unwrap();
        let theirs = argon2()
            .hash_password(b"mentor-2026", &salt)
            .unwrap()
            .to_string();
        assert!(verify_password("mentor-2026", &theirs));
        assert!(!verify_password("mentor-2027", &theirs));
        let ours = hash_password("mentor-2026");
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(argon2().verify_password(b"mentor-2026", &parsed).is_ok());
        let mut small = vec![Block::new(); 8];
        assert!(
            !verify_password_with("mentor-2026", &ours, &mut small),
            "too little memory fails closed"
        );
    }

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.9, 10.0.0.2".parse().unwrap());
        let peer: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(
            ClientAddr::resolve(peer, &h, &[]).0,
            peer,
            "untrusted peer: header ignored"
        );
        assert_eq!(
            ClientAddr::resolve(peer, &h, &[peer]).0,
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn limiter_counts_per_address() {
        let l = RateLimiter::default();
        let a: IpAddr = "127.0.0.2".parse().unwrap();
        let b: IpAddr = "127.0.0.3".parse().unwrap();
        assert!((0..3).all(|_| l.allow(a, 3)));
        assert!(!l.allow(a, 3));
        assert!(l.allow(b, 3));
    }
}
