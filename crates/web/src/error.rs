//! The one API error type. Its status mapping and JSON body are written once here:
//! `{"code", "message", "message_zh", "message_en", "fields": [{"field", "code", "message",
//! "message_zh", "message_en"}]}`: every message in both languages, never glued together, so
//! that a page shows the one of its user's language (a conflict's own message, say which booking
//! is in the way, a field's error under its field). `message` is the English one.
//! Internal causes are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use skillbridge_core::schema::FieldError;
use skillbridge_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("sign in first")]
    Unauthenticated,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("not permitted")]
    Forbidden,
    #[error("cross-site request refused")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A list or export query that would sort, compare or search by a personal field
    /// (`core::privacy`): `400 personal_field_query`, the field and its refusal in `fields`.
    #[error("personal field query")]
    PersonalQuery(Vec<FieldError>),
    /// A refusal because of what is stored, with its own stable code (`already_published`,
    /// `booking_conflict`, `in_use`, ...) and its message in both languages, sent unchanged.
    #[error("conflict: {code}")]
    Conflict {
        code: &'static str,
        zh: String,
        en: String,
    },
    #[error("request body too large")]
    TooLarge,
    #[error("too many requests")]
    RateLimited,
    /// Every password check the server's memory allows is in use, and none freed up within the
    /// short queue time: `503` with `Retry-After`, rather than more memory.
    #[error("busy")]
    Busy,
    #[error("internal error")]
    Internal(String),
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    /// The English message (kept for older clients); pages show `message_zh` or `message_en`.
    message: String,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    fields: &'a [FieldError],
    message_zh: String,
    message_en: String,
}

impl ApiError {
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            ApiError::BadCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::PersonalQuery(_) => (
                StatusCode::BAD_REQUEST,
                skillbridge_core::privacy::PERSONAL_QUERY,
            ),
            ApiError::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid(vec![FieldError::new(field, code, message)])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        // Every message in each language, never glued: the page shows the one of its user.
        let (zh, en, fields): (String, String, &[FieldError]) = match &self {
            ApiError::Invalid(f) => ("输入有误".into(), "invalid input".into(), f),
            ApiError::PersonalQuery(f) => (
                "个人信息字段不能用于排序、范围或模糊查询".into(),
                "personal fields cannot be sorted, compared or searched by part".into(),
                f,
            ),
            ApiError::BadRequest(m) => (bad_request_zh(m).into(), m.clone(), &[]),
            ApiError::Conflict { zh, en, .. } => (zh.clone(), en.clone(), &[]),
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                ("服务器内部错误".into(), "internal error".into(), &[])
            }
            ApiError::BadCredentials => (
                "用户名或密码错误".into(),
                "wrong username or password".into(),
                &[],
            ),
            ApiError::Unauthenticated => ("请先登录".into(), "sign in first".into(), &[]),
            ApiError::Forbidden => ("无权访问".into(), "not permitted".into(), &[]),
            ApiError::Csrf => (
                "跨站请求已被拒绝".into(),
                "cross-site request refused".into(),
                &[],
            ),
            ApiError::NotFound => ("未找到".into(), "not found".into(), &[]),
            ApiError::TooLarge => ("请求内容过大".into(), "request body too large".into(), &[]),
            ApiError::RateLimited => (
                "请求过于频繁，请稍后再试".into(),
                "too many requests".into(),
                &[],
            ),
            ApiError::Busy => (
                "服务器繁忙，请稍后重试".into(),
                "server busy, try again shortly".into(),
                &[],
            ),
        };
        let mut res = (
            status,
            axum::Json(Body {
                code,
                message: en.clone(),
                fields,
                message_zh: zh,
                message_en: en,
            }),
        )
            .into_response();
        res.headers_mut().insert(
            "cache-control",
            axum::http::HeaderValue::from_static("no-store"),
        );
        // When to try again: a rate limit's window is one minute; a busy server frees a password
        // check within a second or two.
        let retry_after = match &self {
            ApiError::RateLimited => Some("60"),
            ApiError::Busy => Some("2"),
            _ => None,
        };
        if let Some(secs) = retry_after {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(secs),
            );
        }
        res
    }
}

/// The Chinese of a bad request's English message: the ones the server sends, else a generic one.
fn bad_request_zh(en: &str) -> &'static str {
    match en {
        "the request body is not valid JSON" => "请求内容不是有效的 JSON",
        "expected Content-Type: application/json" => {
            "请求内容须为 JSON（Content-Type: application/json）"
        }
        _ => "请求有误",
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Denied => ApiError::Forbidden,
            StoreError::Invalid(f) => ApiError::Invalid(f),
            StoreError::PersonalQuery(f) => ApiError::PersonalQuery(vec![f]),
            StoreError::Conflict { code, zh, en } => ApiError::Conflict { code, zh, en },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
