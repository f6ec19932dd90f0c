//! The web half of the `audit` module: the audit trail and its chain check, for administrators
//! and college leaders.

use crate::api::{schema_ref, Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use axum::extract::Query;
use serde::Deserialize;
use serde_json::{json, Value};
use skillbridge_core::access;

#[derive(Deserialize)]
struct AuditQuery {
    action: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn audit_list(
    c: Caller,
    q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<Value>> {
    c.require(access::can_read_audit, "read", "audit").await?;
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "out_of_range",
            "must be between 1 and 1000",
        ));
    }
    // Refused, not clamped, as the document says (`minimum: 0`; found by schemathesis).
    let offset = q.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::invalid(
            "offset",
            "out_of_range",
            "must be 0 or more",
        ));
    }
    let entries = c
        .store()
        .audit_trail()
        .list(c.actor(), q.action.as_deref(), limit, offset)
        .await?;
    // The trail names people by internal id (`user:17`); those who may read it see the display
    // name beside it, resolved now and never stored in the trail.
    let mut ids: Vec<i64> = entries
        .iter()
        .filter_map(|e| e.actor.strip_prefix("user:")?.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names = c.store().audit_trail().actor_names(c.actor(), &ids).await?;
    let objects: Vec<&str> = entries.iter().map(|e| e.object.as_str()).collect();
    let labels = c
        .store()
        .audit_trail()
        .object_labels(c.actor(), &objects)
        .await?;
    let items: Vec<Value> = entries
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap_or_default();
            let name = e
                .actor
                .strip_prefix("user:")
                .and_then(|id| id.parse::<i64>().ok())
                .and_then(|id| names.get(&id));
            v["actor_name"] = json!(name);
            // The record the object names, by its label (`students/163` -> its name).
            let label = skillbridge_core::audit::object_record(&e.object)
                .and_then(|(r, id)| labels.get(&format!("{r}/{id}")));
            v["object_label"] = json!(label);
            v["count"] = json!(e.refusals());
            v
        })
        .collect();
    Ok(axum::Json(json!({"items": items})))
}

async fn audit_verify(c: Caller) -> ApiResult<axum::Json<Value>> {
    c.require(access::can_read_audit, "read", "audit").await?;
    Ok(axum::Json(
        match c.store().audit_trail().verify(c.actor(), &[]).await? {
            Ok(r) => json!({"ok": true, "entries": r.entries}),
            Err(b) => match b.entry() {
                Some(id) => json!({"ok": false, "first_bad_entry": id, "problem": b.to_string()}),
                None => json!({"ok": false, "problem": b.to_string()}),
            },
        },
    ))
}

pub fn routes(api: Api) -> Api {
    let audit_q = vec![
        json!({"name": "action", "in": "query", "schema": {"type": "string"}}),
        json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}),
        json!({"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}}),
    ];
    api
        .add(RouteSpec::new("get", "/api/audit", "list_audit", "The audit trail, newest first", "audit").query(audit_q).returns(200, Some(json!({"type": "object", "properties": {"items": {"type": "array", "items": schema_ref("AuditEntry")}}, "required": ["items"]}))), audit_list)
        .add(RouteSpec::new("get", "/api/audit/verify", "verify_audit", "Verify the audit hash chain", "audit").returns(200, Some(json!({"type": "object", "properties": {"ok": {"type": "boolean"}, "entries": {"type": "integer"}, "first_bad_entry": {"type": "integer"}, "problem": {"type": "string"}}, "required": ["ok"]}))), audit_verify)
}
