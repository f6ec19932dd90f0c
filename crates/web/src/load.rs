//! What keeps the server up when it is asked too much at once (issue 9, items 1 and 2).
//!
//! - [`PasswordGate`]: argon2id takes 19 MiB per password check, so the number that run at once
//!   is capped by a memory budget (`password_memory_mib` / 19). A sign-in waits briefly for a
//!   slot (`password_wait_ms`) and is otherwise answered `503` with `Retry-After`: more sign-ins
//!   mean a queue or a refusal, never more memory. Known and unknown usernames take the same
//!   slot and the same cost.
//! - [`HealthCache`]: `GET /api/health` answers from memory plus `SELECT 1`, at most once a
//!   second; concurrent callers share the answer. The checks that read the whole database moved
//!   to `skillbridge check` and the admin-only `GET /api/admin/check`.
//! - [`public_rate_limit`]: the routes that need no session (every `RouteSpec::public()`) have
//!   their own per-address limit, `public_rate_per_minute`, answered `429` with `Retry-After`
//!   before the handler runs.

use crate::auth::{ClientAddr, RateLimiter};
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use argon2::Block;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use skillbridge_store::{Counters, Store};
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The cap on concurrent password checks, and their memory.
///
/// The memory is the gate's own: each slot carries argon2's 19 MiB of blocks, taken from a pool
/// that never holds more than `cap` of them. *Rejected:* letting argon2 allocate per check. The
/// cap then bounds the memory in use but not the memory held: glibc keeps freed 19 MiB chunks
/// in its per-thread arenas, and a burst of 120 sign-ins under a cap of 10 still peaked at
/// 538 MB (bench/login_flood.sh). With the pool, a burst leaves at most `cap` × 19 MiB
/// allocated (190 MiB by default), reused by the next.
pub struct PasswordGate {
    permits: Arc<Semaphore>,
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
    cap: usize,
    wait: Duration,
}

/// A slot of the [`PasswordGate`]: whoever holds one may run one argon2 computation, in the
/// memory it carries. Dropping it returns the memory to the pool and frees the slot.
pub struct Slot {
    memory: Vec<Block>,
    pool: Arc<Mutex<Vec<Vec<Block>>>>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let memory = std::mem::take(&mut self.memory);
        self.pool
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(memory);
    }
}

impl PasswordGate {
    pub fn new(cap: usize, wait: Duration) -> PasswordGate {
        PasswordGate {
            permits: Arc::new(Semaphore::new(cap)),
            memory: Arc::default(),
            cap,
            wait,
        }
    }

    /// How many password checks may run at once.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Waits up to the queue time for a free slot; `Busy` (503) when none frees up. Waiters are
    /// served in arrival order (tokio's semaphore is fair).
    pub async fn enter(&self) -> ApiResult<Slot> {
        let permit =
            match tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await {
                Ok(Ok(permit)) => permit,
                _ => return Err(ApiError::Busy),
            };
        // At most `cap` slots exist at once, so the pool never grows past `cap` memories.
        let pooled = self.memory.lock().unwrap_or_else(|p| p.into_inner()).pop();
        Ok(Slot {
            memory: pooled.unwrap_or_else(crate::auth::argon2_memory),
            pool: self.memory.clone(),
            _permit: permit,
        })
    }
}

/// Runs one argon2 computation on a blocking thread. The slot is held until the computation
/// ends, even when the client has gone away meanwhile (the request's future is dropped, the
/// blocking thread is not), so the memory bound holds. Counted in the store's counters: how many
/// run now and the most that ever ran at once.
pub async fn run_argon2<T: Send + 'static>(
    counters: Arc<Counters>,
    mut slot: Slot,
    f: impl FnOnce(&mut [Block]) -> T + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(move || {
        let now = counters
            .password_checks_in_flight
            .fetch_add(1, Ordering::SeqCst)
            + 1;
        counters
            .password_checks_peak
            .fetch_max(now, Ordering::SeqCst);
        let out = f(&mut slot.memory);
        counters
            .password_checks_in_flight
            .fetch_sub(1, Ordering::SeqCst);
        drop(slot);
        out
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))
}

/// The health answer, cached for a second.
#[derive(Default)]
pub struct HealthCache {
    last: std::sync::Mutex<Option<(Instant, bool)>>,
    /// Held by the one caller that asks the database; the others wait for its answer.
    refresh: tokio::sync::Mutex<()>,
}

impl HealthCache {
    const FRESH: Duration = Duration::from_secs(1);

    fn fresh(&self) -> Option<bool> {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        last.filter(|(at, _)| at.elapsed() < Self::FRESH)
            .map(|(_, ok)| ok)
    }

    /// Whether the database answers, asked at most once a second whatever the number of callers.
    pub async fn database_answers(&self, store: &Store) -> bool {
        if let Some(ok) = self.fresh() {
            return ok;
        }
        let _one = self.refresh.lock().await;
        if let Some(ok) = self.fresh() {
            return ok; // another caller asked while this one waited
        }
        let ok = match store.ping().await {
            Ok(()) => true,
            Err(e) => {
                tracing::error!(error = %e, "health: the database does not answer");
                false
            }
        };
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), ok));
        ok
    }
}

/// The state of [`public_rate_limit`]: the app's state and which routes are public.
#[derive(Clone)]
pub struct PublicRoutes {
    pub state: AppState,
    /// `(method in upper case, path as registered)` of every `RouteSpec::public()`.
    pub routes: Arc<HashSet<(String, String)>>,
    pub limiter: Arc<RateLimiter>,
}

/// Counts each request to a public route against its client address (the peer's, or the
/// forwarded one behind a configured proxy) and answers `429` over the limit. A middleware on
/// the router, so that it sees the matched route; signed-in routes pass untouched.
pub async fn public_rate_limit(
    State(p): State<PublicRoutes>,
    req: Request,
    next: Next,
) -> Response {
    let method = match req.method().as_str() {
        "HEAD" => "GET",
        m => m,
    };
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .filter(|m| p.routes.contains(&(method.to_string(), m.clone())));
    if let Some(route) = route {
        let addr = ClientAddr::of(req.extensions(), req.headers(), &p.state);
        if !p.limiter.allow(addr.0, p.state.cfg.public_rate_per_minute) {
            // Accounted for like every refusal: through the aggregating queue, by address (a
            // flood becomes one entry per drain), never slowing anyone's writes.
            p.state
                .audit_quiet(skillbridge_core::audit::AuditEvent {
                    actor: "anonymous".into(),
                    action: "public_request".into(),
                    object: route.trim_start_matches('/').to_string(),
                    outcome: "rate_limited".into(),
                    source: addr.0.to_string(),
                    ..Default::default()
                })
                .await;
            return ApiError::RateLimited.into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_gate_admits_its_cap_and_refuses_after_the_wait() {
        let gate = PasswordGate::new(2, Duration::from_millis(30));
        let a = gate.enter().await.unwrap();
        let _b = gate.enter().await.unwrap();
        let started = Instant::now();
        assert!(matches!(gate.enter().await, Err(ApiError::Busy)));
        assert!(started.elapsed() >= Duration::from_millis(25), "it waited");
        drop(a);
        let c = gate.enter().await.expect("a freed slot is taken");
        assert_eq!(c.memory.len(), 19 * 1024, "with argon2's 19 MiB of blocks");
        drop(c);
        assert_eq!(
            gate.memory.lock().unwrap().len(),
            1,
            "memory goes back to the pool"
        );
    }
}
