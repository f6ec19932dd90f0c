//! To-dos and preferences (issue 10, item 5). Thin handlers over `store.todos()`, always for the
//! signed-in user (no route names another user):
//! - `GET /api/todos`: the open items (from every module's sources) with their read state, and
//!   the unread count the header shows;
//! - `POST /api/todos/read`: marks the given open items read (all when `keys` is absent);
//! - `GET`/`PUT /api/me/preferences`: language of notifications, e-mail on or off, the address;
//!   the answer also says whether the server sends mail at all (`mail_available`).

use crate::api::{Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use skillbridge_core::modules::todos::{parse_preferences, Preferences};
use skillbridge_store::TodoList;

async fn list(c: Caller) -> ApiResult<axum::Json<TodoList>> {
    let r = c.store().todos().list(c.actor()).await;
    c.json("read", "todos", r).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadInput {
    keys: Option<Vec<String>>,
}

async fn mark_read(c: Caller, Json(body): Json<ReadInput>) -> ApiResult<axum::Json<TodoList>> {
    if body.keys.as_ref().is_some_and(|k| k.len() > 1000) {
        return Err(ApiError::invalid("keys", "too_many", "at most 1000 keys"));
    }
    let r = c
        .store()
        .todos()
        .mark_read(c.actor(), body.keys.as_deref())
        .await;
    c.json("update", "todos", r).await
}

fn prefs_json(c: &Caller, p: Preferences) -> Value {
    json!({
        "language": p.language.code(),
        "email_enabled": p.email_enabled,
        "email": p.email,
        "mail_available": c.st.cfg.mail.enabled(),
    })
}

async fn preferences(c: Caller) -> ApiResult<axum::Json<Value>> {
    let r = c.store().todos().preferences(c.actor()).await;
    let p = c.guard("read", "preferences", r).await?;
    Ok(axum::Json(prefs_json(&c, p)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrefsInput {
    language: String,
    email_enabled: bool,
    email: Option<String>,
}

async fn set_preferences(c: Caller, Json(body): Json<PrefsInput>) -> ApiResult<axum::Json<Value>> {
    let p = parse_preferences(&body.language, body.email_enabled, body.email.as_deref())
        .map_err(ApiError::Invalid)?;
    let r = c
        .store()
        .todos()
        .set_preferences(c.actor(), &p, &c.source())
        .await;
    let p = c.guard("update", "preferences", r).await?;
    Ok(axum::Json(prefs_json(&c, p)))
}

pub fn routes(api: Api) -> Api {
    let tag = "todos";
    let item = json!({"type": "object", "properties": {
        "key": {"type": "string"}, "source": {"type": "string"},
        "title_zh": {"type": "string"}, "title_en": {"type": "string"},
        "due": {"type": "string", "format": "date", "nullable": true},
        "link": {"type": "string", "description": "a page route of the app"},
        "read": {"type": "boolean"}}, "required": ["key", "source", "title_zh", "title_en", "link", "read"]});
    let list_schema = json!({"type": "object", "properties": {
        "items": {"type": "array", "items": item}, "unread": {"type": "integer"}}, "required": ["items", "unread"]});
    let prefs = json!({"type": "object", "properties": {
        "language": {"type": "string", "enum": ["zh", "en"]},
        "email_enabled": {"type": "boolean"},
        "email": {"type": "string", "format": "email", "nullable": true},
        "mail_available": {"type": "boolean", "description": "whether this server sends mail"}},
        "required": ["language", "email_enabled", "mail_available"]});
    api.add(
        RouteSpec::new("get", "/api/todos", "my_todos", "The signed-in user's open to-dos (computed by each module's sources) and the unread count", tag)
            .returns(200, Some(list_schema.clone())),
        list,
    )
    .add(
        RouteSpec::new("post", "/api/todos/read", "mark_todos_read", "Mark open to-dos read (all of them when keys is absent)", tag)
            .body(json!({"type": "object", "properties": {"keys": {"type": "array", "items": {"type": "string"}, "maxItems": 1000, "nullable": true, "description": "absent or null: every open item"}}, "additionalProperties": false}))
            .returns(200, Some(list_schema)),
        mark_read,
    )
    .add(
        RouteSpec::new("get", "/api/me/preferences", "my_preferences", "The signed-in user's notification preferences", tag)
            .returns(200, Some(prefs.clone())),
        preferences,
    )
    .add(
        RouteSpec::new("put", "/api/me/preferences", "set_my_preferences", "Change the signed-in user's notification preferences (audited)", tag)
            .body(json!({"type": "object", "properties": {
                "language": {"type": "string", "enum": ["zh", "en"]},
                "email_enabled": {"type": "boolean"},
                // Empty or null clears the address (the page sends the empty string), and so
                // documented (found by schemathesis).
                "email": {"type": "string", "nullable": true, "anyOf": [{"format": "email"}, {"maxLength": 0}], "description": "empty or null: no address"}},
                "required": ["language", "email_enabled"], "additionalProperties": false}))
            .returns(200, Some(prefs)),
        set_preferences,
    )
}
