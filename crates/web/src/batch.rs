//! Batch work on lists (issue 10 §6): `POST /api/{R}/batch` for every record type with a field
//! a batch may set or a record a batch may create (`core::batch`). Thin: the selection (ids, or
//! a list's filter for "all N filtered rows") is read here; permissions, the rules of each row,
//! the one transaction and the one audit entry are the store's (`Store::batch_set`,
//! `Store::batch_link`).

use crate::api::{Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use skillbridge_core::batch;
use skillbridge_core::schema::{ResourceDef, RESOURCES};

/// One batch operation over a selection.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchBody {
    /// `set` (a field to a value) or `link` (create a record for each row).
    op: String,
    /// The selected rows; or
    ids: Option<Vec<i64>>,
    /// a list's search and filters (`{"q": "...", "status": "..."}`): every row it shows.
    filter: Option<Map<String, Value>>,
    field: Option<String>,
    /// `set`: the new value (absent or null clears a field that is not required).
    #[serde(default)]
    value: Value,
    target: Option<String>,
    values: Option<Map<String, Value>>,
}

fn missing(field: &str) -> ApiError {
    ApiError::invalid(field, "required", "required for this operation")
}

async fn run(
    def: &'static ResourceDef,
    c: Caller,
    Json(b): Json<BatchBody>,
) -> ApiResult<Response> {
    let ids = match (b.ids, b.filter) {
        (Some(ids), None) => ids,
        (None, Some(filter)) => {
            let params = filter
                .into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => (k, s),
                    other => (k, other.to_string()),
                })
                .collect();
            let mut q = crate::records::parse_list_query(def, params)?;
            q.source = c.source();
            let r = c.store().select_ids(c.actor(), def, &q).await;
            c.guard("batch", def.name, r).await?
        }
        _ => {
            return Err(ApiError::invalid(
                "ids",
                "required",
                "give either the selected ids or a list's filter",
            ))
        }
    };
    let source = c.source();
    let r = match b.op.as_str() {
        "set" => {
            let field = b.field.ok_or_else(|| missing("field"))?;
            c.store()
                .batch_set(c.actor(), def, &ids, &field, &b.value, &source)
                .await
        }
        "link" => {
            let target = b.target.ok_or_else(|| missing("target"))?;
            let values = b.values.ok_or_else(|| missing("values"))?;
            c.store()
                .batch_link(c.actor(), def, &ids, &target, &values, &source)
                .await
        }
        _ => return Err(ApiError::invalid("op", "invalid", "set or link")),
    };
    let report = c.guard("batch", def.name, r).await?;
    if report.applied {
        return Ok((StatusCode::OK, axum::Json(report)).into_response());
    }
    let refused = report
        .rows
        .iter()
        .filter(|r| r.outcome == "refused")
        .count();
    let message = format!(
        "{refused} of {} rows refused; nothing was changed",
        report.rows.len()
    );
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(json!({"code": "batch_refused", "message": message, "report": report})),
    )
        .into_response())
}

/// The record types with a batch route: those with a settable field or a batch link.
pub fn batch_names() -> impl Iterator<Item = &'static ResourceDef> {
    RESOURCES
        .iter()
        .copied()
        .filter(|d| !batch::settable_fields(d).is_empty() || !batch::links(d).is_empty())
}

pub fn routes(mut api: Api) -> Api {
    let row = json!({"type": "object", "properties": {
        "id": {"type": "integer"},
        "outcome": {"type": "string", "enum": ["applied", "unchanged", "refused", "not_applied"]},
        "code": {"type": "string", "description": "why a row was refused: not_found, not_permitted, invalid (see fields), or a conflict's code"},
        "message_zh": {"type": "string"}, "message_en": {"type": "string"},
        "fields": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}}},
        "created": {"type": "integer", "description": "the record created for this row (link)"}},
        "required": ["id", "outcome"]});
    let report = json!({"type": "object", "properties": {"applied": {"type": "boolean"}, "rows": {"type": "array", "items": row}}, "required": ["applied", "rows"]});
    let body = json!({"type": "object", "properties": {
        "op": {"type": "string", "enum": ["set", "link"]},
        "ids": {"type": "array", "items": {"type": "integer"}, "maxItems": skillbridge_store::MAX_SELECTION},
        "filter": {"type": "object", "description": "a list's search and filters, instead of ids: every row the list shows", "additionalProperties": {"type": "string"}},
        "field": {"type": "string", "description": "set: the field (a status, or a declared assignment such as a class's adviser)"},
        "value": {"description": "set: the new value"},
        "target": {"type": "string", "description": "link: the record type to create for each row (mentors for students)"},
        "values": {"type": "object", "description": "link: the created records' fields besides the reference to the row"}},
        "required": ["op"]});
    for def in batch_names() {
        api = api.add(
            RouteSpec::new("post", format!("/api/{}/batch", def.name), format!("batch_{}", def.name), format!("Change or add to many {} at once: all rows or none, a result per row, one audit entry", def.en), def.name)
                .body(body.clone())
                .returns(200, Some(report.clone())),
            move |a, b| run(def, a, b),
        );
    }
    api
}
