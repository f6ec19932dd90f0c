//! R&D and technology transfer beyond the generic record routes: the technology-service income
//! report (`GET /api/research/income`), per school and year, summed in core
//! (`skillbridge_core::modules::research::income`) over the projects the reader's
//! `tech_income` scope reaches.

use crate::api::{Api, RouteSpec};
use crate::error::ApiResult;
use crate::extract::Caller;
use serde_json::{json, Value};
use skillbridge_core::modules::research::income::totals_by_year;

async fn income(c: Caller) -> ApiResult<axum::Json<Value>> {
    let r = c.store().research().income(c.actor()).await;
    let items = c.guard("read", "research/income", r).await?;
    let rows: Vec<_> = items.iter().map(|l| l.row.clone()).collect();
    let totals: Vec<Value> = totals_by_year(&rows)
        .into_iter()
        .map(|(year, h, v)| json!({"year": year, "horizontal_fen": h, "vertical_fen": v}))
        .collect();
    Ok(axum::Json(json!({"items": items, "totals": totals})))
}

pub fn routes(api: Api) -> Api {
    let fen = json!({"type": "integer", "description": "fen (1/100 yuan)"});
    api.add(
        RouteSpec::new(
            "get",
            "/api/research/income",
            "research_income",
            "Technology-service income (money received on horizontal projects) and vertical funds per school and year, over the schools you may report on",
            "research_projects",
        )
        .returns(200, Some(json!({"type": "object", "properties": {
            "items": {"type": "array", "items": {"type": "object", "properties": {
                "school_id": {"type": "integer"}, "school_name": {"type": "string"}, "year": {"type": "integer"},
                "horizontal_fen": fen, "vertical_fen": fen, "horizontal_projects": {"type": "integer"}},
                "required": ["school_id", "school_name", "year", "horizontal_fen", "vertical_fen", "horizontal_projects"]}},
            "totals": {"type": "array", "items": {"type": "object", "properties": {
                "year": {"type": "integer"}, "horizontal_fen": fen, "vertical_fen": fen},
                "required": ["year", "horizontal_fen", "vertical_fen"]}}},
            "required": ["items", "totals"]}))),
        income,
    )
}
