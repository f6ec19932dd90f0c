//! The one API error type. Its status mapping and JSON body are written once here:
//! `{"code": "...", "message": "...", "fields": [{"field", "code", "message"}]}`, and for a
//! conflict also `message_zh` and `message_en`, so that a page can show the conflict's own
//! message (say, which booking is in the way) in its user's language.
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
    message: String,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    fields: &'a [FieldError],
    #[serde(skip_serializing_if = "Option::is_none")]
    message_zh: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_en: Option<&'a str>,
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
        let (code, message, fields): (&str, String, &[FieldError]) = match &self {
            ApiError::Invalid(f) => (code, "输入有误 / invalid input".into(), f),
            ApiError::PersonalQuery(f) => (
                code,
                "个人信息字段不能用于排序、范围或模糊查询 / personal fields cannot be sorted, \
                 compared or searched by part"
                    .into(),
                f,
            ),
            ApiError::BadRequest(m) => (code, m.clone(), &[]),
            ApiError::Conflict { zh, en, .. } => (code, format!("{zh} / {en}"), &[]),
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (code, "服务器内部错误 / internal error".into(), &[])
            }
            ApiError::BadCredentials => (
                code,
                "用户名或密码错误 / wrong username or password".into(),
                &[],
            ),
            ApiError::Unauthenticated => (code, "请先登录 / sign in first".into(), &[]),
            ApiError::Forbidden => (code, "无权访问 / not permitted".into(), &[]),
            ApiError::RateLimited => (
                code,
                "请求过于频繁，请稍后再试 / too many requests".into(),
                &[],
            ),
            ApiError::Busy => (
                code,
                "服务器繁忙，请稍后重试 / server busy, try again shortly".into(),
                &[],
            ),
            other => (code, other.to_string(), &[]),
        };
        let (message_zh, message_en) = match &self {
            ApiError::Conflict { zh, en, .. } => (Some(zh.as_str()), Some(en.as_str())),
            _ => (None, None),
        };
        let mut res = (
            status,
            axum::Json(Body {
                code,
                message,
                fields,
                message_zh,
                message_en,
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
