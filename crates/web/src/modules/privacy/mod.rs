//! The web half of the `privacy` module (issue 11, items 4 and 5):
//! - `GET /api/privacy/registry`: the registry of personal fields (`core::personal_data`), for
//!   administrators;
//! - `GET /api/me/data?format=json|xlsx`: everything held about the signed-in student
//!   (`store.privacy().subject_access`), as a JSON file or a workbook, audited.

use crate::api::{Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use axum::extract::Query;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use skillbridge_core::access::{actor_scopes, Action, Actor};
use skillbridge_core::modules::privacy::PRIVACY_REGISTRY;
use skillbridge_core::personal_data::{entries, RegistryEntry};
use skillbridge_core::schema::{resource, Kind, Record, LABELS};
use skillbridge_io::TextSheet;
use skillbridge_store::SubjectAccess;

fn may_read_registry(a: &Actor) -> bool {
    actor_scopes(a, Action::Read, PRIVACY_REGISTRY).is_some()
}

async fn registry(c: Caller) -> ApiResult<axum::Json<Vec<RegistryEntry>>> {
    c.require(may_read_registry, "read", PRIVACY_REGISTRY)
        .await?;
    Ok(axum::Json(entries()))
}

#[derive(Deserialize)]
struct DataQuery {
    format: Option<String>,
}

async fn my_data(
    c: Caller,
    q: Result<Query<DataQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let format = q.format.unwrap_or_else(|| "json".into());
    if format != "json" && format != "xlsx" {
        return Err(ApiError::invalid(
            "format",
            "not_allowed",
            "must be json or xlsx",
        ));
    }
    let r = c
        .store()
        .privacy()
        .subject_access(c.actor(), &format, &c.source())
        .await;
    let data = c.guard("read", "subject_access", r).await?;
    let (bytes, ctype) = if format == "xlsx" {
        let bytes = skillbridge_io::text_workbook(&sheets(&data))
            .map_err(|e| ApiError::Internal(format!("subject access workbook: {e}")))?;
        (
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    } else {
        let bytes = serde_json::to_vec_pretty(&data)
            .map_err(|e| ApiError::Internal(format!("subject access json: {e}")))?;
        (bytes, "application/json")
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    let disp = format!(
        "attachment; filename=\"my-data-{}.{format}\"",
        data.student_id
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disp).map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    Ok(res)
}

/// A value as a cell's text: a reference by its label (and id), a coded value by its labels.
fn cell(resource_name: &str, rec: &Record, field: &str) -> String {
    let v = rec.get(field).unwrap_or(&Value::Null);
    let kind = resource(resource_name)
        .and_then(|d| d.field(field))
        .map(|f| f.kind);
    let label = rec
        .get(LABELS)
        .and_then(|l| l.get(field))
        .and_then(Value::as_str);
    match (v, kind, label) {
        (Value::Null, _, _) => String::new(),
        (v, Some(Kind::Ref(_)), Some(l)) => format!("{l} (#{v})"),
        (Value::String(s), Some(Kind::Enum(t)), _) => match (t.label(s, true), t.label(s, false)) {
            (Some(zh), Some(en)) => format!("{zh} / {en}"),
            _ => s.clone(),
        },
        (Value::String(s), _, _) => s.clone(),
        (Value::Bool(b), _, _) => if *b { "是 / yes" } else { "否 / no" }.to_string(),
        (v, _, _) => v.to_string(),
    }
}

/// The download as sheets: the student record (one field a row), the account, each record type
/// that refers to the student, attachments and the audit entries.
fn sheets(d: &SubjectAccess) -> Vec<TextSheet> {
    let two = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
    let mut out = Vec::new();
    let students = &skillbridge_core::modules::college::STUDENTS;
    let mut me = TextSheet {
        name: format!("{} {}", students.zh, "Student"),
        header: two("字段 / Field", "值 / Value"),
        rows: vec![two("id", &d.student_id.to_string())],
    };
    for f in students.fields {
        me.rows.push(vec![
            format!("{} / {}", f.zh, f.en),
            cell(students.name, &d.student, f.name),
        ]);
    }
    out.push(me);
    let mut acct = TextSheet {
        name: "账号 Account".into(),
        header: two("字段 / Field", "值 / Value"),
        rows: Vec::new(),
    };
    let flat = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    for (k, v) in d.account.iter().chain(&d.preferences).flat_map(|o| {
        o.as_object()
            .into_iter()
            .flat_map(|m| m.iter())
            .collect::<Vec<_>>()
    }) {
        acct.rows.push(vec![k.clone(), flat(v)]);
    }
    for m in &d.todo_marks {
        acct.rows.push(vec!["todo".into(), flat(m)]);
    }
    out.push(acct);
    for s in &d.sections {
        let Some(def) = resource(s.resource) else {
            continue;
        };
        let mut sheet = TextSheet {
            name: format!("{} {}", s.zh, s.en),
            header: std::iter::once("id".to_string())
                .chain(def.fields.iter().map(|f| format!("{} / {}", f.zh, f.en)))
                .collect(),
            rows: Vec::new(),
        };
        for r in &s.records {
            sheet.rows.push(
                std::iter::once(flat(&r["id"]))
                    .chain(def.fields.iter().map(|f| cell(def.name, r, f.name)))
                    .collect(),
            );
        }
        out.push(sheet);
    }
    let cols = [
        "id",
        "owner",
        "owner_id",
        "file_name",
        "media_type",
        "size",
        "created_at",
    ];
    out.push(TextSheet {
        name: "附件 Attachments".into(),
        header: cols.iter().map(|c| c.to_string()).collect(),
        rows: d
            .attachments
            .iter()
            .map(|a| cols.iter().map(|c| flat(&a[*c])).collect())
            .collect(),
    });
    out.push(audit_sheet(d));
    out
}

/// The audit entries about the student or by their account, one a row.
fn audit_sheet(d: &SubjectAccess) -> TextSheet {
    TextSheet {
        name: "审计 Audit".into(),
        header: [
            "id", "at", "actor", "role", "action", "object", "outcome", "source", "detail",
        ]
        .iter()
        .map(|c| c.to_string())
        .collect(),
        rows: d
            .audit
            .iter()
            .map(|e| {
                vec![
                    e.id.to_string(),
                    e.at.clone(),
                    e.actor.clone(),
                    e.role.clone(),
                    e.action.clone(),
                    e.object.clone(),
                    e.outcome.clone(),
                    e.source.clone(),
                    e.detail.clone(),
                ]
            })
            .collect(),
    }
}

pub fn routes(api: Api) -> Api {
    let tag = "privacy";
    let who = json!({"type": "object", "properties": {
        "role": {"type": "string"}, "zh": {"type": "string"}, "en": {"type": "string"},
        "rows": {"type": "string", "enum": ["all", "school", "teacher", "mentor", "org", "student"]}},
        "required": ["role", "zh", "en", "rows"]});
    let s = json!({"type": "string"});
    let entry = json!({"type": "object", "properties": {
        "module": s, "resource": s, "resource_zh": s, "resource_en": s,
        "field": s, "field_zh": s, "field_en": s,
        "class": {"type": "string", "enum": ["id_number", "phone", "address", "email"]},
        "purpose_zh": s, "purpose_en": s,
        "basis": {"type": "string", "enum": ["consent", "contract", "legal_duty", "public_health", "news_reporting", "published", "other_law"]},
        "basis_zh": s, "basis_en": s,
        "retention": {"type": "string", "enum": ["while_record_exists", "anonymise_after_graduation", "session_lifetime", "audit_then_archive"]},
        "retention_zh": s, "retention_en": s,
        "revealers": {"type": "array", "items": who}},
        "required": ["module", "resource", "field", "class", "purpose_zh", "purpose_en", "basis", "basis_zh", "basis_en", "retention", "retention_zh", "retention_en", "revealers"]});
    api.add(
        RouteSpec::new("get", "/api/privacy/registry", "privacy_registry", "The registry of personal fields: purpose, legal basis (PIPL Art. 13), retention and who may reveal each (administrators)", tag)
            .returns(200, Some(json!({"type": "array", "items": entry}))),
        registry,
    )
    .add(
        RouteSpec::new("get", "/api/me/data", "my_data", "Everything held about the signed-in student, as a JSON file or an .xlsx workbook (audited as subject_access)", tag)
            .query(vec![json!({"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "xlsx"], "default": "json"}})])
            .returns(200, None),
        my_data,
    )
}
