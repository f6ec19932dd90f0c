//! Competitions and start-ups beyond the generic record routes (issue 15 §2): the summary of
//! awards by year, level and grade and of start-ups by stage, over the rows the reader reaches.
//! The counting is `skillbridge_core::modules::competitions::summary`; the rows come from
//! `store.competitions().summary`, scoped like every read.

use crate::api::{Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct SummaryQuery {
    year: Option<String>,
}

/// The `year` parameter: empty or absent for every year, else a year from 2000 to 2100.
fn year_param(v: Option<&str>) -> ApiResult<Option<i64>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .map(Some)
            .ok_or_else(|| ApiError::invalid("year", "invalid", "a year from 2000 to 2100")),
    }
}

async fn summary(
    c: Caller,
    q: Result<Query<SummaryQuery>, QueryRejection>,
) -> ApiResult<axum::Json<Value>> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let year = year_param(q.year.as_deref())?;
    let r = c.store().competitions().summary(c.actor(), year).await;
    let s = c.guard("read", "competitions/summary", r).await?;
    Ok(axum::Json(json!(s)))
}

pub fn routes(api: Api) -> Api {
    let count = json!({"type": "object", "properties": {
        "code": {"type": "string"}, "zh": {"type": "string"}, "en": {"type": "string"},
        "count": {"type": "integer"}}});
    api.add(
        RouteSpec::new(
            "get",
            "/api/competitions/summary",
            "competitions_summary",
            "Awards by year, competition level and grade, and start-ups by stage, counted over the awards and start-ups you may read",
            "competitions",
        )
        .query(vec![json!({"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
            "description": "the competitions' year; absent: every year (start-ups are counted by their stage now, whatever the year)"})])
        .returns(200, Some(json!({"type": "object", "properties": {
            "year": {"type": "integer", "nullable": true},
            "awards": {"type": "array", "items": {"type": "object", "properties": {
                "year": {"type": "integer"}, "level": {"type": "string"}, "grade": {"type": "string"},
                "count": {"type": "integer"}}}},
            "awards_by_level": {"type": "array", "items": count.clone()},
            "awards_total": {"type": "integer"},
            "startups_by_stage": {"type": "array", "items": count},
            "startups_total": {"type": "integer"}},
            "required": ["year", "awards", "awards_by_level", "awards_total", "startups_by_stage", "startups_total"]}))),
        summary,
    )
}

#[cfg(test)]
mod tests {
    use super::year_param;

    #[test]
    fn the_year_is_absent_or_a_plausible_year() {
        assert_eq!(year_param(None).unwrap(), None);
        assert_eq!(year_param(Some(" ")).unwrap(), None);
        assert_eq!(year_param(Some("2025")).unwrap(), Some(2025));
        assert!(year_param(Some("1999")).is_err());
        assert!(year_param(Some("2025届")).is_err());
    }
}
