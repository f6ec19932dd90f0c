//! The one API error type. Its status mapping and JSON body are written once here:
//! `{"code": "...", "message": "...", "fields": [{"field", "code", "message"}]}`.
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
    #[error("conflict")]
    Conflict(String),
    /// A booking overlaps another; the message names it.
    #[error("booking conflict")]
    BookingConflict(String),
    #[error("request body too large")]
    TooLarge,
    #[error("too many requests")]
    RateLimited,
    #[error("internal error")]
    Internal(String),
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    fields: &'a [FieldError],
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
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::BookingConflict(_) => (StatusCode::CONFLICT, "booking_conflict"),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
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
            ApiError::BadRequest(m) => (code, m.clone(), &[]),
            ApiError::Conflict(k) if k == "in_use" => (
                "in_use",
                "仍被其他记录引用 / still referred to by other records".into(),
                &[],
            ),
            ApiError::Conflict(k) if k == "changed_concurrently" => (
                "changed_concurrently",
                "记录已被他人修改，请重试 / changed by someone else meanwhile; try again".into(),
                &[],
            ),
            ApiError::Conflict(_) => ("duplicate", "记录已存在 / already exists".into(), &[]),
            ApiError::BookingConflict(m) => (code, m.clone(), &[]),
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
            other => (code, other.to_string(), &[]),
        };
        let mut res = (
            status,
            axum::Json(Body {
                code,
                message,
                fields,
            }),
        )
            .into_response();
        res.headers_mut().insert(
            "cache-control",
            axum::http::HeaderValue::from_static("no-store"),
        );
        res
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Denied => ApiError::Forbidden,
            StoreError::Invalid(f) => ApiError::Invalid(f),
            StoreError::Conflict(k) => ApiError::Conflict(k),
            StoreError::BookingConflict { message, .. } => ApiError::BookingConflict(message),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
