//! The web half of student status changes (学籍异动, issue 10 §8): filing a request, approving
//! and rejecting it. Reading requests (a student's history: `GET /api/status_changes?student_id=N`)
//! goes through the generic record routes, which refuse every generic write of them; evidence is
//! attached through `/api/attachments` with `owner=status_changes`.

use crate::api::{schema_ref, Api, RouteSpec};
use crate::extract::{Caller, Id, Json};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Map, Value};

async fn file(
    c: Caller,
    Json(body): Json<Map<String, Value>>,
) -> crate::error::ApiResult<Response> {
    let r = c
        .store()
        .status_changes()
        .file(c.actor(), &body, &c.source())
        .await;
    c.created("status_file", "status_changes", r).await
}

#[derive(Deserialize)]
struct Decision {
    note: Option<String>,
}

async fn decide(
    c: Caller,
    id: i64,
    approve: bool,
    note: Option<String>,
) -> crate::error::ApiResult<axum::Json<Map<String, Value>>> {
    let r = c
        .store()
        .status_changes()
        .decide(c.actor(), id, approve, note.as_deref(), &c.source())
        .await;
    let action = if approve {
        "status_approve"
    } else {
        "status_reject"
    };
    c.json(action, &format!("status_changes/{id}"), r).await
}

async fn approve(
    c: Caller,
    Id(id): Id,
    Json(body): Json<Decision>,
) -> crate::error::ApiResult<axum::Json<Map<String, Value>>> {
    decide(c, id, true, body.note).await
}

async fn reject(
    c: Caller,
    Id(id): Id,
    Json(body): Json<Decision>,
) -> crate::error::ApiResult<axum::Json<Map<String, Value>>> {
    decide(c, id, false, body.note).await
}

pub fn routes(api: Api) -> Api {
    let tag = "status_changes";
    let request = schema_ref("StatusChanges");
    let note =
        json!({"type": "object", "properties": {"note": {"type": "string", "maxLength": 500}}});
    api.add(
        RouteSpec::new("post", "/api/status_changes/file", "file_status_change", "File a status change (学籍异动) for a student: type, reason, effective date, and the target program or class of a move; pending until academic affairs decides", tag)
            .body(json!({"type": "object", "properties": {
                "student_id": {"type": "integer"},
                "change_type": {"type": "string", "enum": skillbridge_core::modules::status_changes::CHANGE_TYPES.iter().map(|t| t.code).collect::<Vec<_>>()},
                "reason": {"type": "string", "maxLength": 500},
                "effective_date": {"type": "string", "format": "date"},
                "target_program_id": {"type": "integer", "nullable": true},
                "target_class_id": {"type": "integer", "nullable": true}
            }, "required": ["student_id", "change_type", "reason", "effective_date"]}))
            .returns(201, Some(request.clone())),
        file,
    )
    .add(
        RouteSpec::new("post", "/api/status_changes/{id}/approve", "approve_status_change", "Approve a pending status change (academic affairs); applied at once when its effective date has come", tag)
            .body(note.clone())
            .returns(200, Some(request.clone())),
        approve,
    )
    .add(
        RouteSpec::new("post", "/api/status_changes/{id}/reject", "reject_status_change", "Reject a pending status change with a note (academic affairs)", tag)
            .body(note)
            .returns(200, Some(request)),
        reject,
    )
}
