//! International exchange beyond the generic record routes: the yearly totals of persons,
//! person-days and countries (`GET /api/international/totals?year=`), computed in core
//! (`skillbridge_core::modules::international::totals`) over the records the caller may read.

use crate::api::{Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use serde::Deserialize;
use serde_json::{json, Value};
use skillbridge_core::modules::international::totals::CATEGORIES;

#[derive(Deserialize)]
struct TotalsQuery {
    year: Option<String>,
}

/// The year asked for: 2000–2100; absent or empty means the current year (China time).
fn year_param(v: Option<&str>) -> ApiResult<i32> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(skillbridge_store::college_today()[..4]
            .parse()
            .unwrap_or(2026)),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| ApiError::invalid("year", "out_of_range", "a year from 2000 to 2100")),
    }
}

async fn totals(
    c: Caller,
    q: Result<Query<TotalsQuery>, QueryRejection>,
) -> ApiResult<axum::Json<Value>> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let year = year_param(q.year.as_deref())?;
    let r = c.store().international().totals(c.actor(), year).await;
    let (t, years) = c.guard("read", "international/totals", r).await?;
    let by_category: Vec<Value> = CATEGORIES
        .iter()
        .map(|k| {
            let n = t.by_category.get(k).cloned().unwrap_or_default();
            json!({"category": k, "label_zh": k.label(true), "label_en": k.label(false),
                   "persons": n.persons, "person_days": n.person_days})
        })
        .collect();
    Ok(axum::Json(json!({
        "year": t.year,
        "persons": t.persons,
        "person_days": t.person_days,
        "countries": t.countries,
        "country_count": t.countries.len(),
        "by_category": by_category,
        "years": years,
    })))
}

pub fn routes(api: Api) -> Api {
    api.add(
        RouteSpec::new(
            "get",
            "/api/international/totals",
            "international_totals",
            "Yearly totals of international exchange over the records you may read: persons (each counted once), person-days (inclusive days; a stay crossing a year boundary split between the years; training abroad by its recorded person-days, shared by days) and countries, with the same per kind of record",
            "international",
        )
        .query(vec![json!({"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}, "description": "calendar year; absent: the current year"})])
        .returns(200, Some(json!({"type": "object", "properties": {
            "year": {"type": "integer"}, "persons": {"type": "integer"}, "person_days": {"type": "integer"},
            "countries": {"type": "array", "items": {"type": "string"}}, "country_count": {"type": "integer"},
            "by_category": {"type": "array", "items": {"type": "object", "properties": {
                "category": {"type": "string", "enum": ["exchange", "placement", "expert", "international_student", "training_abroad"]},
                "label_zh": {"type": "string"}, "label_en": {"type": "string"},
                "persons": {"type": "integer"}, "person_days": {"type": "integer"}},
                "required": ["category", "label_zh", "label_en", "persons", "person_days"]}},
            "years": {"type": "array", "items": {"type": "integer"}}},
            "required": ["year", "persons", "person_days", "countries", "country_count", "by_category", "years"]}))),
        totals,
    )
}
