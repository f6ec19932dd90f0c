//! SkillBridge's HTTP layer: the axum router, the signed-in-user extractor, the one error type,
//! and the OpenAPI document generated from the same route list as the router.
//!
//! Where to start reading:
//! - [`app`] (here): which routes exist and which layers wrap them.
//! - `api.rs`: the route registry ([`api::Api::add`]) and the OpenAPI generator.
//! - `assets.rs`: the web pages, embedded from `web/dist` (`GET /`, `GET /assets/{file}`).
//! - `auth.rs`: passwords, sessions, login, the [`auth::Auth`] extractor, rate limiting.
//! - `records.rs`: the record API, generic over the resources described in core.
//! - `meta.rs`: `/api/meta`, the record descriptions and permissions the pages are built from.
//! - `sheets.rs`: spreadsheet templates, imports with a row report, exports.
//! - `modules/<module>/`: each module's own routes (bases: calendars, iCalendar feeds and
//!   utilisation; order_classes: the allocation workflow; accounts; audit) and its rows of the
//!   authorization table (`authz.table`).
//! - `middleware.rs`: security headers, CSRF guard, panic guard.
//! - `load.rs`: bounds under load: the password gate (argon2 memory), the cached health
//!   answer, the per-address limit on public routes.
//! - `error.rs`: [`error::ApiError`] and its JSON shape.
//! - `mail.rs`: notification mail: the SMTP client and the notifier task `serve` runs.
//!
//! Handlers are thin: parse, call the store with the actor, map the result. HTTP never
//! reaches SQL; permissions are decided in core and applied in the store.

pub mod api;
pub mod assets;
pub mod auth;
pub mod batch;
pub mod config;
pub mod error;
pub mod extract;
pub mod load;
pub mod mail;
pub mod meta;
pub mod middleware;
pub mod modules;
pub mod privacy;
pub mod records;
pub mod sheets;

use api::{schema_ref, Api, RouteSpec};
use auth::{Auth, ClientAddr, RateLimiter};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Router;
pub use config::WebConfig;
use error::{ApiError, ApiResult};
use serde_json::{json, Value};
use skillbridge_core::audit::AuditEvent;
use skillbridge_store::{Store, StoreError};
use std::net::SocketAddr;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub cfg: Arc<WebConfig>,
    pub limiter: Arc<RateLimiter>,
    /// Verified against when a username is unknown, so that it costs the same as a known one.
    pub dummy_hash: Arc<str>,
    pub openapi: Arc<Value>,
    /// Uniqueness clashes on personal fields per user (`privacy.rs`).
    pub clashes: Arc<privacy::ClashLimiter>,
    /// The cap on concurrent password checks (argon2's memory).
    pub password_gate: Arc<load::PasswordGate>,
    /// The health answer, asked of the database at most once a second.
    pub health: Arc<load::HealthCache>,
}

impl AppState {
    /// Maps a store result to the API: a denial is recorded in the audit trail, then answered 403.
    pub async fn guard<T>(
        &self,
        auth: &Auth,
        addr: &ClientAddr,
        action: &str,
        object: &str,
        r: Result<T, StoreError>,
    ) -> ApiResult<T> {
        match r {
            Ok(v) => Ok(v),
            Err(StoreError::Denied) => {
                self.audit_quiet(AuditEvent {
                    actor: skillbridge_core::audit::actor_name(&auth.actor),
                    role: auth.actor.role_names(),
                    action: "denied".into(),
                    object: object.into(),
                    outcome: "denied".into(),
                    source: addr.0.to_string(),
                    detail: action.into(),
                })
                .await;
                Err(ApiError::Forbidden)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Records a refusal (a denial, a rate-limited or failed sign-in) through the store's
    /// refusal queue: aggregated with others like it, bounded, never dropped, written in one
    /// batch with the others (`store/src/pending.rs`), so that a flood of refusals does not take
    /// a write-lock turn per request from everyone else's writes.
    pub async fn audit_quiet(&self, e: AuditEvent) {
        self.store.refuse(e).await;
    }
}

/// `GET /api/health`: from memory plus one trivial query, at most once a second (see
/// `load::HealthCache`). Public and cheap: a flood of it cannot slow signed-in users.
async fn health(State(st): State<AppState>) -> ApiResult<axum::Json<Value>> {
    if !st.health.database_answers(&st.store).await {
        return Err(ApiError::Internal("the database does not answer".into()));
    }
    Ok(axum::Json(
        json!({"status": "ok", "database": format!("{:?}", st.store.backend()).to_lowercase()}),
    ))
}

/// `GET /api/admin/check`: the integrity and foreign-key checks (administrators only; they
/// read the whole database). `ok` is false when a problem was found.
async fn admin_check(c: extract::Caller) -> ApiResult<axum::Json<Value>> {
    c.require(
        skillbridge_core::access::can_check_database,
        "check",
        "database",
    )
    .await?;
    let report = c.store().check().await?;
    Ok(axum::Json(json!({
        "ok": report.ok(),
        "database": format!("{:?}", c.store().backend()).to_lowercase(),
        "integrity": report.integrity,
        "foreign_keys": report.foreign_keys,
    })))
}

async fn openapi_doc(State(st): State<AppState>) -> axum::Json<Value> {
    axum::Json((*st.openapi).clone())
}

async fn not_found(uri: Uri) -> Response {
    let _ = uri;
    ApiError::NotFound.into_response()
}

/// Every route of SkillBridge, in the registry.
pub fn routes() -> Api {
    let api = assets::routes(Api::new())
        .add(
            RouteSpec::new("get", "/api/health", "health", "Liveness: the server runs and the database answers (cached for a second)", "system").public().returns(
                200,
                Some(json!({"type": "object", "properties": {"status": {"type": "string"}, "database": {"type": "string"}}, "required": ["status"]})),
            ),
            health,
        )
        .add(
            RouteSpec::new("get", "/api/admin/check", "check_database", "The database's integrity and foreign-key checks (administrators)", "system").returns(
                200,
                Some(json!({"type": "object", "properties": {
                    "ok": {"type": "boolean"},
                    "database": {"type": "string"},
                    "integrity": {"type": "array", "items": {"type": "string"}},
                    "foreign_keys": {"type": "array", "items": {"type": "object", "properties": {"table": {"type": "string"}, "rowid": {"type": "integer", "nullable": true}, "parent": {"type": "string"}}, "required": ["table", "rowid", "parent"]}}
                }, "required": ["ok", "database", "integrity", "foreign_keys"]})),
            ),
            admin_check,
        )
        .add(RouteSpec::new("get", "/api/openapi.json", "openapi", "This document", "system").public().returns(200, Some(json!({"type": "object"}))), openapi_doc)
        .add(RouteSpec::new("post", "/api/auth/login", "login", "Sign in; sets the session cookie", "auth").public().body(schema_ref("Login")).returns(200, Some(schema_ref("Me"))), auth::login)
        .add(RouteSpec::new("post", "/api/auth/logout", "logout", "Sign out; ends the session", "auth").returns(204, None), auth::logout)
        .add(RouteSpec::new("post", "/api/auth/password", "change_password", "Change the signed-in user's own password (the current one is checked like a sign-in; every session ends and the caller gets a new one; audited)", "auth").body(json!({"type": "object", "properties": {"current_password": {"type": "string"}, "new_password": {"type": "string", "minLength": 8}}, "required": ["current_password", "new_password"], "additionalProperties": false})).returns(204, None), auth::change_password)
        .add(RouteSpec::new("get", "/api/me", "me", "The signed-in user and roles", "auth").returns(200, Some(schema_ref("Me"))), auth::me);
    // Axum prefers a module's static paths (`/api/training_bases/utilisation`) over the generic
    // `/api/{resource}/{id}` whatever the order.
    let api = batch::routes(sheets::routes(meta::routes(records::routes(api))));
    modules::routes(api)
}

/// Wraps a route set in SkillBridge's layers and state.
pub fn finish(api: Api, store: Store, cfg: WebConfig) -> Router {
    let openapi = Arc::new(api::openapi(&api.specs));
    let cfg = Arc::new(cfg);
    let state = AppState {
        store,
        dummy_hash: Arc::from(auth::hash_password("a password nobody has: skillbridge").as_str()),
        limiter: Arc::default(),
        clashes: Arc::default(),
        openapi,
        password_gate: Arc::new(load::PasswordGate::new(
            cfg.password_check_cap(),
            std::time::Duration::from_millis(cfg.password_wait_ms),
        )),
        health: Arc::default(),
        cfg: cfg.clone(),
    };
    let public = load::PublicRoutes {
        state: state.clone(),
        routes: Arc::new(
            api.specs
                .iter()
                .filter(|s| s.public)
                .map(|s| (s.method.to_uppercase(), s.path.clone()))
                .collect(),
        ),
        limiter: Arc::default(),
    };
    api.router
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::csrf_guard))
        .layer(DefaultBodyLimit::max(cfg.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(public, load::public_rate_limit))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
        }))
        .with_state(state)
}

/// The router of SkillBridge with its state.
pub fn app(store: Store, cfg: WebConfig) -> Router {
    finish(routes(), store, cfg)
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
