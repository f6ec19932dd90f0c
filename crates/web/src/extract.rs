//! Extractors whose rejections come back in the API's error shape, and [`Caller`], the common
//! prologue of a handler for a signed-in user.

use crate::auth::{Auth, ClientAddr};
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use skillbridge_core::access::Actor;
use skillbridge_store::{Store, StoreError};

/// `axum::Json`, with rejections as [`ApiError`].
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::TooLarge),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::BadRequest(
                "expected Content-Type: application/json".into(),
            )),
            Err(r) => Err(ApiError::BadRequest(format!(
                "the request body is not valid JSON for this request: {}",
                r.body_text()
            ))),
        }
    }
}

/// The `{id}` path segment as a positive integer.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| {
                    ApiError::invalid("id", "invalid", "must be a positive whole number")
                })?;
        match raw.parse::<i64>() {
            Ok(n) if n > 0 => Ok(Id(n)),
            _ => Err(ApiError::invalid(
                "id",
                "invalid",
                "must be a positive whole number",
            )),
        }
    }
}

/// The common prologue and epilogue of a handler for a signed-in user. Extracting it takes the
/// application state, the signed-in user (401 without a live session, before anything else of
/// the request is looked at) and the client's address; its methods turn a store call's answer
/// into the API's: a denial is audited and answered 403 (`AppState::guard`), a value is sent as
/// JSON. Handlers then hold only what differs: the body or query, the store call, the object
/// named in the audit trail.
pub struct Caller {
    pub st: AppState,
    pub auth: Auth,
    pub addr: ClientAddr,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let auth = Auth::from_request_parts(parts, state).await?;
        let addr = ClientAddr::from_request_parts(parts, state).await?;
        Ok(Caller {
            st: state.clone(),
            auth,
            addr,
        })
    }
}

impl Caller {
    pub fn actor(&self) -> &Actor {
        &self.auth.actor
    }

    pub fn store(&self) -> &Store {
        &self.st.store
    }

    /// Where the request came from, as the audit trail records it.
    pub fn source(&self) -> String {
        self.addr.0.to_string()
    }

    /// A store call's answer; a denial of `action` on `object` is audited first.
    pub async fn guard<T>(
        &self,
        action: &str,
        object: &str,
        r: Result<T, StoreError>,
    ) -> ApiResult<T> {
        self.st
            .guard(&self.auth, &self.addr, action, object, r)
            .await
    }

    /// Goes on when `allowed` says the user may; otherwise the denial of `action` on `object` is
    /// audited and answered 403. For the routes whose permission is one predicate of
    /// `core::access` rather than a store call's scope (accounts, the audit trail).
    pub async fn require(
        &self,
        allowed: fn(&Actor) -> bool,
        action: &str,
        object: &str,
    ) -> ApiResult<()> {
        if allowed(self.actor()) {
            return Ok(());
        }
        self.guard(action, object, Err(StoreError::Denied)).await
    }

    /// A write's answer with its uniqueness clashes on personal fields counted (see
    /// `privacy.rs`): `429` once the user has met too many this minute.
    pub async fn clashes<T>(
        &self,
        object: &str,
        r: Result<T, StoreError>,
    ) -> ApiResult<Result<T, StoreError>> {
        if let Err(StoreError::Invalid(errors)) = &r {
            let fields = crate::privacy::unusable_fields(errors);
            self.st
                .clash_count(&self.auth, &self.addr, object, fields.len(), &fields)
                .await?;
        }
        Ok(r)
    }

    /// [`Caller::guard`], answered as JSON with 200.
    pub async fn json<T>(
        &self,
        action: &str,
        object: &str,
        r: Result<T, StoreError>,
    ) -> ApiResult<axum::Json<T>> {
        self.guard(action, object, r).await.map(axum::Json)
    }

    /// [`Caller::guard`], answered as JSON with 201 Created.
    pub async fn created<T: Serialize>(
        &self,
        action: &str,
        object: &str,
        r: Result<T, StoreError>,
    ) -> ApiResult<Response> {
        let v = self.guard(action, object, r).await?;
        Ok((StatusCode::CREATED, axum::Json(v)).into_response())
    }
}
