//! The order class workflow's routes (issue 4). Thin handlers: each parses, makes one store
//! call with the actor, and maps the answer; permissions are decided in `core::access` and
//! applied in `store/src/allocation.rs`. The records themselves (order classes, target
//! programs, applications, runs, offers) have the generic record routes.
//!
//! - students: `GET`/`PUT /api/order_choices` (their ranked list, the classes open to them, their
//!   offers and the explanation of their result), `POST /api/order_offers/{id}/accept|decline`;
//! - sponsors (HR and contacts of the enterprise) and placement staff:
//!   `GET /api/order_classes/{id}/applicants`, `PUT /api/order_classes/{id}/scores`;
//! - placement staff: `POST /api/allocation/runs` (run), `GET .../{id}/review`,
//!   `GET .../{id}/check` (the stability check, rerun on the stored snapshot by anyone who may
//!   read the run), `POST .../{id}/publish`, `POST .../{id}/refill`, `GET .../{id}/export`.

use crate::api::{Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Id, Json};
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use skillbridge_store::{
    CheckOutcome, ReviewFilter, ScoreInput, ALLOCATION_RESULTS, REVIEW_OUTCOMES,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Choices {
    order_class_ids: Vec<i64>,
}

async fn my_choices(c: Caller) -> ApiResult<axum::Json<Value>> {
    let r = c.store().order_classes().my_choices(c.actor()).await;
    c.json("read", "order_choices", r).await
}

async fn set_my_choices(c: Caller, Json(body): Json<Choices>) -> ApiResult<axum::Json<Value>> {
    let r = c
        .store()
        .order_classes()
        .set_my_choices(c.actor(), &body.order_class_ids, &c.source())
        .await;
    c.json("update", "order_choices", r).await
}

async fn respond(accept: bool, c: Caller, id: i64) -> ApiResult<axum::Json<Map<String, Value>>> {
    let r = c
        .store()
        .order_classes()
        .respond_offer(c.actor(), id, accept, &c.source())
        .await;
    c.json("update", &format!("order_offers/{id}"), r).await
}

async fn accept(c: Caller, Id(id): Id) -> ApiResult<axum::Json<Map<String, Value>>> {
    respond(true, c, id).await
}

async fn decline(c: Caller, Id(id): Id) -> ApiResult<axum::Json<Map<String, Value>>> {
    respond(false, c, id).await
}

async fn applicants(c: Caller, Id(id): Id) -> ApiResult<axum::Json<Value>> {
    let r = c.store().order_classes().applicants(c.actor(), id).await;
    c.json("read", &format!("order_classes/{id}/applicants"), r)
        .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scores {
    scores: Vec<ScoreEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreEntry {
    application_id: i64,
    /// Parsed by the field's parser in the store (range and precision answered per field).
    #[serde(default)]
    interview_score: Value,
    #[serde(default)]
    enterprise_rank: Value,
}

async fn set_scores(
    c: Caller,
    Id(id): Id,
    Json(body): Json<Scores>,
) -> ApiResult<axum::Json<Value>> {
    let entries: Vec<ScoreInput> = body
        .scores
        .into_iter()
        .map(|e| ScoreInput {
            application_id: e.application_id,
            interview_score: e.interview_score,
            enterprise_rank: e.enterprise_rank,
        })
        .collect();
    let r = c
        .store()
        .order_classes()
        .set_scores(c.actor(), id, &entries, &c.source())
        .await;
    c.json("update", &format!("order_classes/{id}/scores"), r)
        .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunInput {
    order_class_ids: Vec<i64>,
    /// Decimal text (a 64-bit unsigned number does not fit every JSON client's numbers).
    seed: Option<String>,
}

async fn run(c: Caller, Json(body): Json<RunInput>) -> ApiResult<Response> {
    let seed = match body
        .seed
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(s.parse::<u64>().map_err(|_| {
            ApiError::invalid(
                "seed",
                "invalid",
                "must be a whole number from 0 to 18446744073709551615",
            )
        })?),
    };
    let r = c
        .store()
        .order_classes()
        .run_allocation(c.actor(), &body.order_class_ids, seed, &c.source())
        .await;
    c.created("create", "allocation", r).await
}

async fn review(
    c: Caller,
    Id(id): Id,
    q: Result<Query<ReviewFilter>, QueryRejection>,
) -> ApiResult<axum::Json<Value>> {
    let Query(f) = q.map_err(|e| crate::extract::query_error(&e))?;
    // Refused, not clamped, as the document says (`minimum: 1, maximum: 500`; found by
    // schemathesis: `limit=0` answered an empty page).
    if f.limit.is_some_and(|l| !(1..=500).contains(&l)) {
        return Err(ApiError::invalid(
            "limit",
            "out_of_range",
            "must be between 1 and 500",
        ));
    }
    let r = c
        .store()
        .order_classes()
        .review_run_filtered(c.actor(), id, &f)
        .await;
    c.json("read", &format!("allocation_runs/{id}"), r).await
}

async fn check(c: Caller, Id(id): Id) -> ApiResult<axum::Json<CheckOutcome>> {
    let r = c.store().order_classes().check_run(c.actor(), id).await;
    c.json("read", &format!("allocation_runs/{id}"), r).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishInput {
    respond_by: String,
}

async fn publish(
    c: Caller,
    Id(id): Id,
    Json(body): Json<PublishInput>,
) -> ApiResult<axum::Json<Map<String, Value>>> {
    let r = c
        .store()
        .order_classes()
        .publish_run(c.actor(), id, &body.respond_by, &c.source())
        .await;
    c.json("publish", &format!("allocation_runs/{id}"), r).await
}

async fn refill(c: Caller, Id(id): Id) -> ApiResult<Response> {
    let r = c
        .store()
        .order_classes()
        .refill_run(c.actor(), id, &c.source())
        .await;
    c.created("refill", &format!("allocation_runs/{id}"), r)
        .await
}

#[derive(Deserialize)]
struct FileQuery {
    format: Option<String>,
    lang: Option<String>,
}

async fn export(
    c: Caller,
    Id(id): Id,
    q: Result<Query<FileQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let format = crate::sheets::format_of(q.format.as_deref())?;
    let lang = crate::sheets::lang_of(q.lang.as_deref())?;
    let r = c
        .store()
        .order_classes()
        .export_run(c.actor(), id, &c.source())
        .await;
    let rows = c
        .guard("export", &format!("allocation_runs/{id}"), r)
        .await?;
    let bytes = tokio::task::spawn_blocking(move || {
        skillbridge_io::write(&ALLOCATION_RESULTS, &rows, format, lang)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(crate::sheets::attachment(
        bytes,
        format,
        &ALLOCATION_RESULTS,
        &format!("-{id}"),
    ))
}

fn obj() -> Value {
    json!({"type": "object"})
}

pub fn routes(api: Api) -> Api {
    let tag = "order_classes";
    let ids =
        json!({"type": "array", "items": {"type": "integer", "format": "int64", "minimum": 1}});
    let fq = vec![
        json!({"name": "format", "in": "query", "schema": {"type": "string", "enum": ["xlsx", "csv"], "default": "xlsx"}}),
        json!({"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["zh", "en"], "default": "zh"}}),
    ];
    let run_schema = crate::api::schema_ref("AllocationRuns");
    let offer_schema = crate::api::schema_ref("OrderOffers");
    api.add(
        RouteSpec::new("get", "/api/order_choices", "my_order_choices", "The signed-in student's ranked order class applications, the classes open to them, their offers and the explanation of their result", tag)
            .returns(200, Some(obj())),
        my_choices,
    )
    .add(
        RouteSpec::new("put", "/api/order_choices", "set_my_order_choices", "Replace the signed-in student's ranked list of order classes (first choice first; at most 5; only while each window is open)", tag)
            .body(json!({"type": "object", "properties": {"order_class_ids": ids}, "required": ["order_class_ids"], "additionalProperties": false}))
            .returns(200, Some(obj())),
        set_my_choices,
    )
    .add(
        RouteSpec::new("post", "/api/order_offers/{id}/accept", "accept_order_offer", "The student accepts their offer (before the deadline)", tag)
            .returns(200, Some(offer_schema.clone())),
        accept,
    )
    .add(
        RouteSpec::new("post", "/api/order_offers/{id}/decline", "decline_order_offer", "The student declines their offer (before the deadline); the seat can be refilled", tag)
            .returns(200, Some(offer_schema)),
        decline,
    )
    .add(
        RouteSpec::new("get", "/api/order_classes/{id}/applicants", "order_class_applicants", "The applicants of an order class for scoring (no personal identifiers)", tag)
            .returns(200, Some(obj())),
        applicants,
    )
    .add(
        RouteSpec::new("put", "/api/order_classes/{id}/scores", "set_order_class_scores", "Enter interview scores (0-100) and enterprise ranks for applicants (null clears)", tag)
            .body(json!({"type": "object", "properties": {"scores": {"type": "array", "items": {"type": "object", "properties": {
                "application_id": {"type": "integer", "format": "int64"},
                "interview_score": {"type": "number", "minimum": 0, "maximum": 100, "nullable": true, "description": "one decimal at most (88.5); 422 precision or out_of_range otherwise"},
                "enterprise_rank": {"type": "integer", "minimum": 1, "nullable": true}}, "required": ["application_id"], "additionalProperties": false}}},
                "required": ["scores"], "additionalProperties": false}))
            .returns(200, Some(obj())),
        set_scores,
    )
    .add(
        RouteSpec::new("post", "/api/allocation/runs", "run_allocation", "Run the allocation (student-proposing deferred acceptance) over order classes; stored as a draft with its seed (audited)", tag)
            .body(json!({"type": "object", "properties": {"order_class_ids": ids, "seed": {"type": "string", "pattern": "^[0-9]{1,20}$", "description": "the tie-break's seed; drawn when absent"}}, "required": ["order_class_ids"], "additionalProperties": false}))
            .returns(201, Some(run_schema.clone())),
        run,
    )
    .add(
        RouteSpec::new("get", "/api/allocation/runs/{id}/review", "review_allocation", "A run's results with each student's explanation (Chinese and English; in the third person for staff, the second for a student), per-class counts and the stability check; students searched, filtered and paged (`total` matching, `students_total` in the run, `programs` of the run's students)", tag)
            .query(vec![
                json!({"name": "q", "in": "query", "schema": {"type": "string"}, "description": "part of a student number or name"}),
                json!({"name": "outcome", "in": "query", "schema": {"type": "string", "enum": REVIEW_OUTCOMES}}),
                json!({"name": "program_id", "in": "query", "schema": {"type": "integer"}}),
                json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}, "description": "without it, every matching student"}),
                json!({"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}}),
            ])
            .returns(200, Some(obj())),
        review,
    )
    .add(
        RouteSpec::new("get", "/api/allocation/runs/{id}/check", "check_allocation", "Rerun the stability check on a run's stored instance and result", tag)
            .returns(200, Some(json!({"type": "object", "properties": {"run_id": {"type": "integer"}, "stable": {"type": "boolean"}, "violations": {"type": "array", "items": {"type": "object"}}, "students": {"type": "integer"}, "placed": {"type": "integer"}}, "required": ["run_id", "stable", "violations"]}))),
        check,
    )
    .add(
        RouteSpec::new("post", "/api/allocation/runs/{id}/publish", "publish_allocation", "Publish a draft run: offers are made; students answer until respond_by (audited)", tag)
            .body(json!({"type": "object", "properties": {"respond_by": {"type": "string", "format": "date"}}, "required": ["respond_by"], "additionalProperties": false}))
            .returns(200, Some(run_schema.clone())),
        publish,
    )
    .add(
        RouteSpec::new("post", "/api/allocation/runs/{id}/refill", "refill_allocation", "Refill declined seats: a new draft run without the decliners; nobody who accepted is placed worse (audited)", tag)
            .returns(201, Some(run_schema)),
        refill,
    )
    .add(
        RouteSpec::new("get", "/api/allocation/runs/{id}/export", "export_allocation", "Download a run's results as a spreadsheet (audited)", tag)
            .query(fq)
            .returns(200, None),
        export,
    )
}
