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
use skillbridge_core::schema::FieldError;
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
        // The body is read once here so that its outer shape can be checked below; the limits
        // still apply (the bytes are read under the same `DefaultBodyLimit`).
        let (parts, body) = req.into_parts();
        let bytes =
            match axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state)
                .await
            {
                Ok(b) => b,
                Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(ApiError::TooLarge)
                }
                Err(_) => {
                    return Err(ApiError::BadRequest(
                        "the request body could not be read".into(),
                    ))
                }
            };
        let outer_array = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum::Json::<T>::from_request(req, state).await {
            // Every body the API documents is a JSON object; serde would also take a struct
            // from an array of its fields in order (`[null, null]`), which no document allows
            // (found by schemathesis).
            Ok(_) if outer_array => Err(ApiError::Invalid(vec![{
                let (zh, en) = skillbridge_core::schema::code_message("wrong_type");
                FieldError::bilingual("", "wrong_type", zh, en)
            }])),
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::TooLarge),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::BadRequest(
                "expected Content-Type: application/json".into(),
            )),
            // Well-formed JSON of the wrong shape (a decimal where a whole number is wanted, a
            // missing or unknown member): a field error with a code, like any bad value; the
            // parser's own wording is never sent.
            Err(JsonRejection::JsonDataError(e)) => {
                Err(ApiError::Invalid(vec![data_error(&e.body_text())]))
            }
            // Not JSON at all: a malformed request (400), still without the parser's words.
            Err(_) => Err(ApiError::BadRequest(
                "the request body is not valid JSON".into(),
            )),
        }
    }
}

/// A query string of the wrong shape (`?limit=abc`): a `422` field error with a code on the
/// parameter at fault, like a bad value in a body; never the parser's words.
pub fn query_error(e: &axum::extract::rejection::QueryRejection) -> ApiError {
    let text = e.body_text();
    let rest = text
        .split_once("query string: ")
        .map_or(text.as_str(), |(_, r)| r);
    let (field, code) = match rest.split_once(": ") {
        Some((f, _)) if !f.contains(' ') => (f.to_string(), "wrong_type"),
        _ if rest.starts_with("unknown field") || rest.starts_with("missing field") => (
            rest.split('`').nth(1).unwrap_or_default().to_string(),
            if rest.starts_with("unknown") {
                "unknown_field"
            } else {
                "required"
            },
        ),
        _ => (String::new(), "wrong_type"),
    };
    let (zh, en) = skillbridge_core::schema::code_message(code);
    ApiError::Invalid(vec![FieldError::bilingual(&field, code, zh, en)])
}

/// The field error of a JSON body of the wrong shape, from the rejection's text (`Failed to
/// deserialize the JSON body into the target type: scores[0].interview_score: invalid type:
/// ...`): the path names the field, the kind of problem gives the code; the rest is dropped.
fn data_error(text: &str) -> FieldError {
    let rest = text.split_once("target type: ").map_or(text, |(_, r)| r);
    let (path, problem) = rest.split_once(": ").unwrap_or((".", rest));
    let path = if path == "." { "" } else { path };
    let named = |p: &str| {
        problem
            .split('`')
            .nth(1)
            .map(|name| {
                if path.is_empty() {
                    name.to_string()
                } else {
                    format!("{path}.{name}")
                }
            })
            .unwrap_or_else(|| p.to_string())
    };
    let (field, code) = if problem.starts_with("missing field") {
        (named(path), "required")
    } else if problem.starts_with("unknown field") {
        (named(path), "unknown_field")
    } else {
        (path.to_string(), "wrong_type")
    };
    let (zh, en) = skillbridge_core::schema::code_message(code);
    FieldError::bilingual(&field, code, zh, en)
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

#[cfg(test)]
mod tests {
    use super::data_error;

    #[test]
    fn a_json_shape_error_becomes_a_field_error_without_the_parsers_words() {
        let e = data_error("Failed to deserialize the JSON body into the target type: scores[0].application_id: invalid type: floating point `88.5`, expected i64 at line 1 column 50");
        assert_eq!(
            (e.field.as_str(), e.code),
            ("scores[0].application_id", "wrong_type")
        );
        assert!(!e.message_en.contains("i64") && !e.message_zh.is_empty());
        let e = data_error("Failed to deserialize the JSON body into the target type: scores[0]: unknown field `x`, expected one of `a`");
        assert_eq!((e.field.as_str(), e.code), ("scores[0].x", "unknown_field"));
        let e = data_error("Failed to deserialize the JSON body into the target type: missing field `reason` at line 1 column 2");
        assert_eq!((e.field.as_str(), e.code), ("reason", "required"));
    }
}
