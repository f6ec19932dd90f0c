//! Training bases beyond the generic record routes: a base's bookings for its calendar page, its
//! iCalendar feed, and utilisation per base over a term. Creating and changing bookings goes
//! through the generic `/api/bookings` routes, whose store calls check conflicts inside the
//! write transaction (see `skillbridge_store` `bookings.rs`).

use crate::api::{Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Id};
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use skillbridge_core::modules::bases::booking::{self, IcsEvent, OpeningHours};

#[derive(Deserialize)]
struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
}

fn instant_param(name: &str, v: Option<&str>) -> ApiResult<Option<String>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => booking::parse_instant(s)
            .map(|t| Some(booking::format_instant(t)))
            .map_err(|m| ApiError::invalid(name, "invalid_instant", m)),
    }
}

/// The most bookings one answer carries.
const MAX_BOOKINGS: i64 = 5000;

async fn base_bookings(
    c: Caller,
    Id(id): Id,
    q: Result<Query<RangeQuery>, QueryRejection>,
) -> ApiResult<axum::Json<Value>> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let from = instant_param("from", q.from.as_deref())?;
    let to = instant_param("to", q.to.as_deref())?;
    let r = c
        .store()
        .bases()
        .base_bookings(
            c.actor(),
            id,
            from.as_deref(),
            to.as_deref(),
            true,
            MAX_BOOKINGS,
        )
        .await;
    let (base, items) = c
        .guard("read", &format!("training_bases/{id}/bookings"), r)
        .await?;
    Ok(axum::Json(json!({"base": base, "items": items})))
}

#[derive(Deserialize)]
struct FreeQuery {
    from: String,
    to: String,
    exclude: Option<i64>,
}

/// The workstations of a base free throughout `[from, to)`, for the booking form.
async fn free(
    c: Caller,
    Id(id): Id,
    q: Result<Query<FreeQuery>, QueryRejection>,
) -> ApiResult<axum::Json<Value>> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let r = c
        .store()
        .bases()
        .free_workstations(c.actor(), id, &q.from, &q.to, q.exclude)
        .await;
    let v = c
        .guard("read", &format!("training_bases/{id}/free"), r)
        .await?;
    Ok(axum::Json(v))
}

async fn calendar(c: Caller, Id(id): Id) -> ApiResult<Response> {
    let r = c
        .store()
        .bases()
        .base_bookings(c.actor(), id, None, None, false, MAX_BOOKINGS)
        .await;
    let (base, items) = c
        .guard("read", &format!("training_bases/{id}/calendar"), r)
        .await?;
    let name = base["name"].as_str().unwrap_or("").to_string();
    let location = match base["address"].as_str() {
        Some(a) => format!("{name}, {a}"),
        None => name.clone(),
    };
    let events: Vec<IcsEvent> = items
        .iter()
        .filter_map(|v| {
            let r = &v.record;
            let start = booking::parse_instant(r["start_at"].as_str()?).ok()?;
            let end = booking::parse_instant(r["end_at"].as_str()?).ok()?;
            let what = match r["kind"].as_str() {
                Some("workstations") => {
                    format!("{} 个工位", r["workstations"].as_i64().unwrap_or(0))
                }
                Some("equipment") => v.equipment_name.clone().unwrap_or_else(|| "设备".into()),
                _ => "整个基地".into(),
            };
            Some(IcsEvent {
                uid: format!("booking-{}@skillbridge", r["id"]),
                start,
                end,
                summary: format!("{} · {what}", v.who),
                location: location.clone(),
                description: r["purpose"].as_str().unwrap_or("").to_string(),
                cancelled: r["status"] == "cancelled",
            })
        })
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let body = booking::ical(&name, &events, now);
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"training-base-{id}.ics\""))
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    Ok(res)
}

#[derive(Deserialize)]
struct UtilQuery {
    term_id: Option<String>,
    open_from: Option<String>,
    open_to: Option<String>,
    weekends: Option<String>,
}

async fn utilisation(
    c: Caller,
    q: Result<Query<UtilQuery>, QueryRejection>,
) -> ApiResult<axum::Json<Value>> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let term_id: i64 = q
        .term_id
        .as_deref()
        .and_then(|t| t.trim().parse().ok())
        .filter(|t| *t > 0)
        .ok_or_else(|| ApiError::invalid("term_id", "required", "the id of a term"))?;
    let d = OpeningHours::default();
    let weekends = match q.weekends.as_deref() {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => {
            return Err(ApiError::invalid(
                "weekends",
                "invalid",
                "must be true or false",
            ))
        }
    };
    let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
    let hours = OpeningHours::parse(
        q.open_from.as_deref().unwrap_or(&hm(d.from_min)),
        q.open_to.as_deref().unwrap_or(&hm(d.to_min)),
        weekends,
    )
    .map_err(|m| ApiError::invalid("open_to", "invalid", m))?;
    let r = c
        .store()
        .bases()
        .utilisation(c.actor(), term_id, &hours)
        .await;
    let (term, items) = c.guard("read", "training_bases/utilisation", r).await?;
    Ok(axum::Json(json!({
        "term": term,
        "opening_hours": {"from": hm(hours.from_min), "to": hm(hours.to_min), "weekends": hours.weekends, "time_zone": "Asia/Shanghai (UTC+8)"},
        "items": items,
    })))
}

pub fn routes(api: Api) -> Api {
    let booking_view = json!({"type": "object", "description": "a booking record with `who` (course / class / staff) and `equipment_name`"});
    api.add(
        RouteSpec::new(
            "get",
            "/api/training_bases/utilisation",
            "training_bases_utilisation",
            "Utilisation of every base you may read over a term: occupied hours and workstation-hours against opening hours (default 08:00–22:00 China time, Monday to Friday)",
            "training_bases",
        )
        .query(vec![
            json!({"name": "term_id", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 1}}),
            json!({"name": "open_from", "in": "query", "schema": {"type": "string", "default": "08:00"}, "description": "opening time, HH:MM China time"}),
            json!({"name": "open_to", "in": "query", "schema": {"type": "string", "default": "22:00"}, "description": "closing time, HH:MM China time"}),
            json!({"name": "weekends", "in": "query", "schema": {"type": "boolean", "default": false}, "description": "open on Saturdays and Sundays too"}),
        ])
        .returns(200, Some(json!({"type": "object", "properties": {
            "term": {"type": "object"}, "opening_hours": {"type": "object"},
            "items": {"type": "array", "items": {"type": "object", "properties": {
                "base_id": {"type": "integer"}, "name": {"type": "string"}, "workstations": {"type": "integer"},
                "available_hours": {"type": "number"}, "occupied_hours": {"type": "number"}, "workstation_hours": {"type": "number"},
                "workstation_hours_available": {"type": "number"}, "occupancy": {"type": "number"}, "workstation_rate": {"type": "number"}, "bookings": {"type": "integer"}}}}},
            "required": ["term", "opening_hours", "items"]}))),
        utilisation,
    )
    .add(
        RouteSpec::new(
            "get",
            "/api/training_bases/{id}/bookings",
            "training_base_bookings",
            "The active bookings of a base that you may read, overlapping [from, to)",
            "training_bases",
        )
        .query(vec![
            // Empty is taken as absent, and so documented (found by schemathesis).
            json!({"name": "from", "in": "query", "schema": {"type": "string", "anyOf": [{"format": "date-time"}, {"maxLength": 0}]}, "description": "empty or absent: no lower bound"}),
            json!({"name": "to", "in": "query", "schema": {"type": "string", "anyOf": [{"format": "date-time"}, {"maxLength": 0}]}, "description": "empty or absent: no upper bound"}),
        ])
        .returns(200, Some(json!({"type": "object", "properties": {"base": {"type": "object"}, "items": {"type": "array", "items": booking_view}}, "required": ["base", "items"]}))),
        base_bookings,
    )
    .add(
        RouteSpec::new(
            "get",
            "/api/training_bases/{id}/free",
            "training_base_free_workstations",
            "The workstations of a base free throughout [from, to): its capacity less the peak of its active workstation bookings (none under a whole-base booking); `exclude` leaves out the booking being changed",
            "training_bases",
        )
        .query(vec![
            json!({"name": "from", "in": "query", "required": true, "schema": {"type": "string", "format": "date-time"}}),
            json!({"name": "to", "in": "query", "required": true, "schema": {"type": "string", "format": "date-time"}}),
            json!({"name": "exclude", "in": "query", "schema": {"type": "integer"}}),
        ])
        .returns(200, Some(json!({"type": "object", "properties": {
            "base_id": {"type": "integer"}, "from": {"type": "string"}, "to": {"type": "string"},
            "capacity": {"type": "integer"}, "free": {"type": "integer"}, "booked": {"type": "integer"}},
            "required": ["base_id", "from", "to", "capacity", "free", "booked"]}))),
        free,
    )
    .add(
        RouteSpec::new(
            "get",
            "/api/training_bases/{id}/calendar.ics",
            "training_base_calendar",
            "The base's bookings that you may read as an iCalendar (RFC 5545) file",
            "training_bases",
        )
        .returns(200, None),
        calendar,
    )
}
