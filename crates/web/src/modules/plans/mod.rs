//! The web half of talent-cultivation plans (issue 12 §2): the procedure (submit, co-sign,
//! approve with or without an exception, copy), the checks and the diff, and the plan as a
//! formatted `.xlsx` (export, and import as a new draft). Reading and editing plans, courses
//! and signatories goes through the generic record routes; the store freezes a plan once it
//! leaves the draft status.

use crate::api::{schema_ref, Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Id, Json};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use skillbridge_core::modules::plans::{check_plan_courses, diff_plans, totals, PLANS};
use skillbridge_io::plans::{read_plan, write_plan, PlanSheet};

async fn checks(c: Caller, Id(id): Id) -> ApiResult<axum::Json<Value>> {
    let r = c.store().plans().courses(c.actor(), id).await;
    let (plan, courses) = c.guard("read", &format!("plans/{id}/checks"), r).await?;
    let results = check_plan_courses(&courses, &c.st.cfg.plan_rules);
    Ok(axum::Json(json!({
        "plan": plan,
        "totals": totals(&courses),
        "passed": results.iter().all(|r| r.passed),
        "checks": results,
        "rules": c.st.cfg.plan_rules,
        "courses": courses,
    })))
}

#[derive(Deserialize)]
struct DiffQuery {
    with: Option<String>,
}

async fn diff(
    c: Caller,
    Id(id): Id,
    q: Result<Query<DiffQuery>, QueryRejection>,
) -> ApiResult<axum::Json<Value>> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let (plan, after) = c
        .guard(
            "read",
            &format!("plans/{id}/diff"),
            c.store().plans().courses(c.actor(), id).await,
        )
        .await?;
    let other: i64 = match q.with.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| ApiError::invalid("with", "invalid", "the id of a plan"))?,
        _ => plan["parent_id"]
            .as_i64()
            .ok_or_else(|| ApiError::invalid("with", "required", "the plan to compare with"))?,
    };
    let (base, before) = c
        .guard(
            "read",
            &format!("plans/{other}/diff"),
            c.store().plans().courses(c.actor(), other).await,
        )
        .await?;
    Ok(axum::Json(json!({
        "before": base,
        "after": plan,
        "diff": diff_plans(&before, &after),
    })))
}

#[derive(Deserialize, Default)]
struct Approval {
    exception_reason: Option<String>,
}

async fn submit(c: Caller, Id(id): Id) -> ApiResult<axum::Json<Map<String, Value>>> {
    let r = c.store().plans().submit(c.actor(), id, &c.source()).await;
    c.json("plan_submit", &format!("plans/{id}"), r).await
}

async fn sign(c: Caller, Id(id): Id) -> ApiResult<axum::Json<Map<String, Value>>> {
    let r = c.store().plans().sign(c.actor(), id, &c.source()).await;
    c.json("plan_sign", &format!("plans/{id}"), r).await
}

async fn approve(
    c: Caller,
    Id(id): Id,
    Json(body): Json<Approval>,
) -> ApiResult<axum::Json<Map<String, Value>>> {
    let rules = c.st.cfg.plan_rules;
    let r = c
        .store()
        .plans()
        .approve(
            c.actor(),
            id,
            body.exception_reason.as_deref(),
            &rules,
            &c.source(),
        )
        .await;
    c.json("plan_approve", &format!("plans/{id}"), r).await
}

#[derive(Deserialize, Default)]
struct CopyBody {
    cohort_year: Option<i64>,
}

async fn copy(c: Caller, Id(id): Id, Json(body): Json<CopyBody>) -> ApiResult<Response> {
    if body
        .cohort_year
        .is_some_and(|y| !(2000..=2100).contains(&y))
    {
        return Err(ApiError::invalid(
            "cohort_year",
            "out_of_range",
            "a year from 2000 to 2100",
        ));
    }
    let r = c
        .store()
        .plans()
        .copy(c.actor(), id, body.cohort_year, &c.source())
        .await;
    c.created("plan_copy", &format!("plans/{id}"), r).await
}

async fn export(c: Caller, Id(id): Id) -> ApiResult<Response> {
    let r = c.store().plans().courses(c.actor(), id).await;
    let (plan, courses) = c.guard("read", &format!("plans/{id}/xlsx"), r).await?;
    let sheet = PlanSheet {
        title: plan["title"].as_str().unwrap_or("").to_string(),
        program: plan
            .get(skillbridge_core::schema::LABELS)
            .and_then(|l| l["program_id"].as_str())
            .unwrap_or("")
            .to_string(),
        cohort_year: plan["cohort_year"].as_i64().unwrap_or(0),
        version: plan["version"].as_i64().unwrap_or(1),
        courses,
    };
    let bytes =
        write_plan(&sheet, &c.st.cfg.plan_rules).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"plan-{id}.xlsx\""))
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    Ok(res)
}

#[derive(Deserialize)]
struct ImportQuery {
    program_id: Option<i64>,
    lead_staff_id: Option<i64>,
}

async fn import(
    c: Caller,
    q: Result<Query<ImportQuery>, QueryRejection>,
    body: Bytes,
) -> ApiResult<Response> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    // Who may not create plans is refused before the file is read.
    if skillbridge_core::access::actor_scopes(
        c.actor(),
        skillbridge_core::access::Action::Create,
        PLANS.name,
    )
    .is_none()
    {
        c.guard(
            "plan_import",
            "plans",
            Err::<(), _>(skillbridge_store::StoreError::Denied),
        )
        .await?;
    }
    let sheet = read_plan(&body, &skillbridge_io::Limits::default())
        .map_err(|e| ApiError::invalid("file", e.code(), e.to_string()))?;
    let mut plan = Map::new();
    plan.insert("program_id".into(), json!(q.program_id));
    plan.insert("lead_staff_id".into(), json!(q.lead_staff_id));
    plan.insert("cohort_year".into(), json!(sheet.cohort_year));
    plan.insert("version".into(), json!(sheet.version));
    plan.insert("title".into(), json!(sheet.title));
    let r = c
        .store()
        .plans()
        .import(c.actor(), &plan, &sheet.courses, &c.source())
        .await;
    c.created("plan_import", "plans", r).await
}

pub fn routes(api: Api) -> Api {
    let tag = "plans";
    let plan = schema_ref(&crate::api::resource_schema_name(&PLANS));
    let object = json!({"type": "object"});
    api.add(
        RouteSpec::new("get", "/api/plans/{id}/checks", "plan_checks", "The structural checks of a plan (total hours, public-foundation, elective and practice shares, hours per credit, courses without hours) with its numbers and totals", tag)
            .returns(200, Some(json!({"type": "object", "properties": {
                "plan": {"type": "object"}, "totals": {"type": "object"}, "passed": {"type": "boolean"},
                "checks": {"type": "array", "items": {"type": "object"}}, "rules": {"type": "object"},
                "courses": {"type": "array", "items": {"type": "object"}}},
                "required": ["plan", "totals", "passed", "checks", "rules", "courses"]}))),
        checks,
    )
    .add(
        RouteSpec::new("get", "/api/plans/{id}/diff", "plan_diff", "What changed from another version (`with`, default the previous version) to this plan: courses added, removed, moved, hours and credits changed, totals before and after", tag)
            .query(vec![json!({"name": "with", "in": "query", "schema": {"type": "integer", "minimum": 1}, "description": "the plan to compare with; absent: the previous version"})])
            .returns(200, Some(json!({"type": "object", "properties": {
                "before": {"type": "object"}, "after": {"type": "object"}, "diff": {"type": "object"}},
                "required": ["before", "after", "diff"]}))),
        diff,
    )
    .add(
        RouteSpec::new("post", "/api/plans/{id}/submit", "submit_plan", "Submit a draft plan for co-signing by its enterprise signatories (the plan is frozen from now on)", tag)
            .returns(200, Some(plan.clone())),
        submit,
    )
    .add(
        RouteSpec::new("post", "/api/plans/{id}/sign", "sign_plan", "Co-sign a plan in review, as one of its enterprise signatories; the last signature makes it co-signed", tag)
            .returns(200, Some(plan.clone())),
        sign,
    )
    .add(
        RouteSpec::new("post", "/api/plans/{id}/approve", "approve_plan", "Approve a co-signed plan (academic affairs); a plan failing a check needs an exception reason", tag)
            .body(json!({"type": "object", "properties": {"exception_reason": {"type": "string", "maxLength": 1000}}}))
            .returns(200, Some(plan.clone())),
        approve,
    )
    .add(
        RouteSpec::new("post", "/api/plans/{id}/copy", "copy_plan", "A draft copy of a plan with its courses and signatories: the next version, or (with `cohort_year`) the first version of that cohort's plan", tag)
            .body(json!({"type": "object", "properties": {"cohort_year": {"type": "integer", "minimum": 2000, "maximum": 2100}}}))
            .returns(201, Some(plan.clone())),
        copy,
    )
    .add(
        RouteSpec::new("get", "/api/plans/{id}/xlsx", "export_plan", "The plan as a formatted .xlsx in the layout colleges file: the course table by semester with subtotals, then the structure summary and checks", tag)
            .returns(200, None),
        export,
    )
    .add_with_limit(
        RouteSpec::new("post", "/api/plans/import", "import_plan", "A new draft plan from a plan sheet (.xlsx, the layout of the export) for a program and its lead", tag)
            .query(vec![
                json!({"name": "program_id", "in": "query", "required": true, "schema": {"type": "integer"}}),
                json!({"name": "lead_staff_id", "in": "query", "required": true, "schema": {"type": "integer"}}),
            ])
            .raw_body()
            .returns(201, Some(object)),
        import,
        10 << 20,
    )
}
