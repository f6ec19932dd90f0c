//! Thin handlers for the record API: `/api/{resource}` and `/api/{resource}/{id}` for every
//! resource in `skillbridge_core::schema::RESOURCES`, plus `/reveal` where a record holds
//! personal data. Permissions and scoping happen inside the store calls.

use crate::api::{resource_schema_name, schema_ref, Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Id, Json};
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use skillbridge_core::schema::{Pii, ResourceDef, RESOURCES};
use skillbridge_store::{ListQuery, Page};

pub(crate) fn parse_list_query(
    def: &ResourceDef,
    params: Vec<(String, String)>,
) -> ApiResult<ListQuery> {
    let mut q = ListQuery {
        limit: 50,
        ..Default::default()
    };
    for (k, v) in params {
        match k.as_str() {
            "q" => q.q = Some(v),
            "sort" => q.sort = Some(v),
            // A selection (`1,2,3`): the rows of a batch, an export or a print of a selection.
            "ids" => q.ids = Some(crate::sheets::parse_ids(&v)?),
            "limit" => {
                q.limit = v
                    .parse()
                    .map_err(|_| ApiError::invalid("limit", "invalid", "must be a whole number"))?
            }
            "offset" => {
                q.offset = v
                    .parse()
                    .map_err(|_| ApiError::invalid("offset", "invalid", "must be a whole number"))?
            }
            // `name` or `name.op`: the store reads the operator and refuses any sort, range or
            // partial match on a personal field (`core::privacy`), and an unknown operator.
            _ if def.has_column(k.split('.').next().unwrap_or_default()) => q.filters.push((k, v)),
            _ => {
                return Err(ApiError::invalid(
                    &k,
                    "unknown_field",
                    "is not a filter of this list",
                ))
            }
        }
    }
    Ok(q)
}

async fn list(
    def: &'static ResourceDef,
    c: Caller,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult<axum::Json<Page>> {
    let Query(params) = params.map_err(|e| crate::extract::query_error(&e))?;
    let mut q = parse_list_query(def, params)?;
    q.source = c.source();
    let r = c.store().list(c.actor(), def, &q).await;
    c.json("read", def.name, r).await
}

async fn get_one(
    def: &'static ResourceDef,
    c: Caller,
    Id(id): Id,
) -> ApiResult<axum::Json<Map<String, Value>>> {
    let r = c.store().get(c.actor(), def, id).await;
    c.json("read", &format!("{}/{id}", def.name), r).await
}

/// A number or boolean sent for a field documented as a string: `422 wrong_type` at the edge,
/// with every other bad member of the body reported beside it, as the write itself would (for
/// a change, the members it gives; a new record is checked whole).
fn json_types(def: &ResourceDef, body: &Map<String, Value>, creating: bool) -> ApiResult<()> {
    let mut errs = skillbridge_core::schema::json_type_errors(def, body);
    if errs.is_empty() {
        return Ok(());
    }
    if let Err(others) = skillbridge_core::schema::validate(def, body, None) {
        let flagged: Vec<String> = errs.iter().map(|e| e.field.clone()).collect();
        errs.extend(
            others.into_iter().filter(|e| {
                !flagged.contains(&e.field) && (creating || body.contains_key(&e.field))
            }),
        );
    }
    Err(ApiError::Invalid(errs))
}

async fn create(
    def: &'static ResourceDef,
    c: Caller,
    Json(input): Json<Map<String, Value>>,
) -> ApiResult<Response> {
    json_types(def, &input, true)?;
    c.st.clash_gate(&c.auth, &c.addr, def.name).await?;
    let r = c.store().create(c.actor(), def, &input, &c.source()).await;
    let r = c.clashes(def.name, r).await?;
    c.created("create", def.name, r).await
}

async fn update(
    def: &'static ResourceDef,
    c: Caller,
    Id(id): Id,
    Json(patch): Json<Map<String, Value>>,
) -> ApiResult<axum::Json<Map<String, Value>>> {
    json_types(def, &patch, false)?;
    let object = format!("{}/{id}", def.name);
    c.st.clash_gate(&c.auth, &c.addr, &object).await?;
    let r = c
        .store()
        .update(c.actor(), def, id, &patch, &c.source())
        .await;
    let r = c.clashes(&object, r).await?;
    c.json("update", &object, r).await
}

async fn remove(def: &'static ResourceDef, c: Caller, Id(id): Id) -> ApiResult<StatusCode> {
    let r = c.store().delete(c.actor(), def, id, &c.source()).await;
    c.guard("delete", &format!("{}/{id}", def.name), r).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct RevealInput {
    field: String,
    reason: String,
}

async fn reveal(
    def: &'static ResourceDef,
    c: Caller,
    Id(id): Id,
    Json(input): Json<RevealInput>,
) -> ApiResult<axum::Json<Value>> {
    let r = c
        .store()
        .reveal(c.actor(), def, id, &input.field, &input.reason, &c.source())
        .await;
    let object = format!("{}/{id}.{}", def.name, input.field);
    let v = c.guard("reveal", &object, r).await?;
    Ok(axum::Json(json!({"field": input.field, "value": v})))
}

fn list_params(def: &ResourceDef) -> Vec<Value> {
    let mut v = vec![
        json!({"name": "q", "in": "query", "schema": {"type": "string"}, "description": format!("search in: {}", def.search.join(", "))}),
        json!({"name": "sort", "in": "query", "schema": {"type": "string"}, "description": "a field name; prefix - for descending; never a personal field (400 personal_field_query)"}),
        json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}}),
        json!({"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}),
        json!({"name": "ids", "in": "query", "schema": {"type": "string"}, "description": "a selection: only these ids, separated by commas (at most 5,000)"}),
    ];
    for f in def.fields {
        let description = match f.pii {
            Pii::None => format!("equals ({})", f.zh),
            _ => format!("equals ({}); a personal field: exact match only, for whoever may reveal it, audited; no sort, range (.gte, .lt...), prefix or substring (400 personal_field_query)", f.zh),
        };
        v.push(json!({"name": f.name, "in": "query", "schema": {"type": "string"}, "description": description}));
    }
    v
}

/// Adds the five record routes for every resource, and reveal where personal fields exist.
pub fn routes(mut api: Api) -> Api {
    for def in RESOURCES.iter().copied() {
        let n = resource_schema_name(def);
        let base = format!("/api/{}", def.name);
        let item = format!("/api/{}/{{id}}", def.name);
        let tag = def.name;
        api = api
            .add(
                RouteSpec::new(
                    "get",
                    &base,
                    format!("list_{}", def.name),
                    format!("List {} ({})", def.en, def.zh),
                    tag,
                )
                .query(list_params(def))
                .returns(200, Some(schema_ref(&format!("{n}Page")))),
                move |a, b| list(def, a, b),
            )
            .add(
                RouteSpec::new(
                    "post",
                    &base,
                    format!("create_{}", def.name),
                    format!("Create one of {}", def.en),
                    tag,
                )
                .body(schema_ref(&format!("{n}Input")))
                .returns(201, Some(schema_ref(&n))),
                move |a, b| create(def, a, b),
            )
            .add(
                RouteSpec::new(
                    "get",
                    &item,
                    format!("get_{}", def.name),
                    format!("Get one of {}", def.en),
                    tag,
                )
                .returns(200, Some(schema_ref(&n))),
                move |a, b| get_one(def, a, b),
            )
            .add(
                RouteSpec::new(
                    "patch",
                    &item,
                    format!("update_{}", def.name),
                    format!("Change fields of one of {}", def.en),
                    tag,
                )
                .body(schema_ref(&format!("{n}Patch")))
                .returns(200, Some(schema_ref(&n))),
                move |a, b, c| update(def, a, b, c),
            )
            .add(
                RouteSpec::new(
                    "delete",
                    &item,
                    format!("delete_{}", def.name),
                    format!("Delete one of {}", def.en),
                    tag,
                )
                .returns(204, None),
                move |a, b| remove(def, a, b),
            );
        if def.fields.iter().any(|f| f.pii != Pii::None) {
            api = api.add(
                RouteSpec::new(
                    "post",
                    format!("/api/{}/{{id}}/reveal", def.name),
                    format!("reveal_{}", def.name),
                    format!(
                        "Reveal a personal field of one of {} (audited, needs a reason)",
                        def.en
                    ),
                    tag,
                )
                .body(schema_ref("Reveal"))
                .returns(200, Some(schema_ref("Revealed"))),
                move |a, b, c| reveal(def, a, b, c),
            );
        }
    }
    api
}
