//! Digital teaching resources beyond the generic record routes: opening a resource's link
//! (`POST /api/teaching_resources/{id}/view`, counted as a view) and the usage of the resources
//! one may read (`GET /api/teaching_resources/usage`: views, downloads, enrolled learners).
//! Downloads of a resource's files are counted by the attachment download itself (the store's
//! `on_download` hook).

use crate::api::{Api, RouteSpec};
use crate::error::ApiResult;
use crate::extract::{Caller, Id};
use serde_json::{json, Value};

async fn view(c: Caller, Id(id): Id) -> ApiResult<axum::Json<Value>> {
    let r = c.store().resources().count_view(c.actor(), id).await;
    let rec = c
        .guard("read", &format!("teaching_resources/{id}/view"), r)
        .await?;
    Ok(axum::Json(
        json!({"id": id, "link": rec.get("link").cloned().unwrap_or(Value::Null)}),
    ))
}

async fn usage(c: Caller) -> ApiResult<axum::Json<Value>> {
    let r = c.store().resources().usage(c.actor()).await;
    let items = c.guard("read", "teaching_resources/usage", r).await?;
    Ok(axum::Json(json!({"items": items})))
}

pub fn routes(api: Api) -> Api {
    api.add(
        RouteSpec::new(
            "post",
            "/api/teaching_resources/{id}/view",
            "teaching_resource_view",
            "Opens a teaching resource you may read: counts a view and answers its link",
            "teaching_resources",
        )
        .returns(200, Some(json!({"type": "object", "properties": {
            "id": {"type": "integer"}, "link": {"type": "string", "nullable": true}},
            "required": ["id", "link"]}))),
        view,
    )
    .add(
        RouteSpec::new(
            "get",
            "/api/teaching_resources/usage",
            "teaching_resources_usage",
            "Views and downloads counted by the server, and enrolled learners, of every teaching resource you may read",
            "teaching_resources",
        )
        .returns(200, Some(json!({"type": "object", "properties": {
            "items": {"type": "array", "items": {"type": "object", "properties": {
                "resource_id": {"type": "integer"}, "learners": {"type": "integer", "nullable": true},
                "views": {"type": "integer"}, "downloads": {"type": "integer"}},
                "required": ["resource_id", "learners", "views", "downloads"]}}},
            "required": ["items"]}))),
        usage,
    )
}
