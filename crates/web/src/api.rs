//! The route registry. Every route is added through [`Api::add`], which puts it in the router
//! and in the list the OpenAPI document is generated from, so the two cannot drift apart; the
//! authorization-table test walks the same list.

use crate::AppState;
use axum::handler::Handler;
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post, put};
use axum::Router;
use serde_json::{json, Map, Value};
use skillbridge_core::schema::{Field, Kind, Pii, ResourceDef, RESOURCES};

/// One documented route.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    /// `get`, `post`, `put`, `patch` or `delete`.
    pub method: &'static str,
    /// In OpenAPI form, which is also axum's: `/api/students/{id}`.
    pub path: String,
    pub operation_id: String,
    pub summary: String,
    pub tag: String,
    /// Reachable without a session.
    pub public: bool,
    pub request: Option<Value>,
    /// Success status and body schema (none for 204 and HTML).
    pub response: (u16, Option<Value>),
    pub query: Vec<Value>,
    /// The request body is a file (sent as is), not JSON.
    pub raw_body: bool,
}

impl RouteSpec {
    pub fn new(
        method: &'static str,
        path: impl Into<String>,
        op: impl Into<String>,
        summary: impl Into<String>,
        tag: &str,
    ) -> Self {
        RouteSpec {
            method,
            path: path.into(),
            operation_id: op.into(),
            summary: summary.into(),
            tag: tag.into(),
            public: false,
            request: None,
            response: (200, None),
            query: Vec::new(),
            raw_body: false,
        }
    }
    pub fn public(mut self) -> Self {
        self.public = true;
        self
    }
    pub fn body(mut self, schema: Value) -> Self {
        self.request = Some(schema);
        self
    }
    pub fn returns(mut self, status: u16, schema: Option<Value>) -> Self {
        self.response = (status, schema);
        self
    }
    pub fn raw_body(mut self) -> Self {
        self.raw_body = true;
        self
    }
    pub fn query(mut self, params: Vec<Value>) -> Self {
        self.query = params;
        self
    }
}

/// Builds the router and the route list together.
pub struct Api {
    /// Only [`Api::add`] adds to it (crate-private), so that every route served is a route
    /// documented: `tests/contract.rs` checks the two agree, method by method.
    pub(crate) router: Router<AppState>,
    pub specs: Vec<RouteSpec>,
}

impl Api {
    pub fn new() -> Api {
        Api {
            router: Router::new(),
            specs: Vec::new(),
        }
    }

    pub fn add<H, T>(self, spec: RouteSpec, handler: H) -> Api
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add_inner(spec, handler, None)
    }

    /// As [`Api::add`], with a request body limit of its own (file uploads).
    pub fn add_with_limit<H, T>(self, spec: RouteSpec, handler: H, limit: usize) -> Api
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add_inner(spec, handler, Some(limit))
    }

    fn add_inner<H, T>(mut self, spec: RouteSpec, handler: H, limit: Option<usize>) -> Api
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let mr = match spec.method {
            "get" => get(handler),
            "post" => post(handler),
            "patch" => patch(handler),
            "put" => put(handler),
            "delete" => delete(handler),
            m => panic!("unsupported method {m}"),
        };
        // A route with its own limit (the uploads) refuses a body whose declared length is over
        // it at once, before reading a byte of it; a body without a declared length (chunked) is
        // cut off by `DefaultBodyLimit` as it streams.
        let mr = match limit {
            Some(n) => mr.layer(axum::extract::DefaultBodyLimit::max(n)).layer(
                axum::middleware::from_fn(
                    move |req: axum::extract::Request, next: axum::middleware::Next| async move {
                        if declared_length_over(req.headers(), n) {
                            return crate::error::ApiError::TooLarge.into_response();
                        }
                        next.run(req).await
                    },
                ),
            ),
            None => mr,
        };
        self.router = self.router.route(&spec.path, mr);
        self.specs.push(spec);
        self
    }
}

/// Whether a request declares a body longer than `limit` bytes (`Content-Length`).
fn declared_length_over(headers: &axum::http::HeaderMap, limit: usize) -> bool {
    headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > limit as u64)
}

impl Default for Api {
    fn default() -> Self {
        Self::new()
    }
}

pub fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn pascal(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The component name of a resource's schemas: `Students`, `StudentsInput`, `StudentsPage`.
pub fn resource_schema_name(def: &ResourceDef) -> String {
    pascal(def.name)
}

fn field_schema(f: &Field, input: bool) -> Value {
    let mut s = match f.kind {
        Kind::Text { max } => json!({"type": "string", "maxLength": max}),
        Kind::Int { min, max } => {
            json!({"type": "integer", "format": "int64", "minimum": min, "maximum": max})
        }
        Kind::Fen => {
            json!({"type": "integer", "format": "int64", "minimum": 0, "description": "fen (1 yuan = 100 fen)"})
        }
        Kind::Ref(r) => {
            json!({"type": "integer", "format": "int64", "minimum": 1, "description": format!("id of a {r} record")})
        }
        Kind::Flag => json!({"type": "boolean"}),
        Kind::Date => json!({"type": "string", "format": "date"}),
        Kind::Enum(t) => {
            // The labels too (an extension): files and pages speak in labels, the API in codes.
            let labels: Map<String, Value> = t
                .labels
                .iter()
                .map(|l| (l.code.to_string(), json!({"zh": l.zh, "en": l.en})))
                .collect();
            json!({"type": "string", "enum": t.codes().collect::<Vec<_>>(), "x-labels": labels})
        }
        Kind::RefCode { resource, column } => {
            json!({"type": "string", "description": format!("a {column} of {resource}")})
        }
        Kind::IdNumber => {
            json!({"type": "string", "description": "18-character resident ID number (masked in responses)"})
        }
        Kind::CreditCode => {
            json!({"type": "string", "description": "18-character unified social credit code"})
        }
        Kind::Phone => {
            json!({"type": "string", "description": "mobile or landline (masked in responses)"})
        }
        Kind::MajorCode => {
            json!({"type": "string", "description": "six-digit national major code"})
        }
        Kind::Email => json!({"type": "string", "format": "email"}),
        Kind::Instant => {
            json!({"type": "string", "format": "date-time", "description": "an instant; stored and answered in UTC (2026-03-02T00:00:00.000Z); without an offset, China time"})
        }
        Kind::Decimal { scale, min, max } => {
            // No `multipleOf`: validators test it in binary floating point, where 0.3 is no
            // multiple of 0.1; the precision is stated and enforced by the server instead.
            let unit = 10f64.powi(-i32::from(scale));
            let d = 10f64.powi(i32::from(scale));
            json!({"type": "number", "minimum": min as f64 / d, "maximum": max as f64 / d,
                   "description": format!("a decimal with at most {scale} digit(s) after the point (stored as integer units of {unit}); more digits: 422 precision; outside the range: 422 out_of_range, never clamped")})
        }
    };
    let o = s.as_object_mut().expect("object");
    o.insert("title".into(), json!(format!("{} / {}", f.zh, f.en)));
    if !input && f.pii != Pii::None {
        // Responses carry the masked form, which no input pattern matches.
        o.insert("type".into(), json!("string"));
        o.remove("format");
    }
    if !f.required {
        o.insert("nullable".into(), json!(true));
    }
    s
}

fn resource_schemas(def: &ResourceDef, out: &mut Map<String, Value>) {
    let name = resource_schema_name(def);
    let mut props = Map::new();
    props.insert("id".into(), json!({"type": "integer", "format": "int64"}));
    for f in def.fields {
        props.insert(f.name.into(), field_schema(f, false));
    }
    props.insert(
        "created_at".into(),
        json!({"type": "string", "description": "UTC, RFC 3339"}),
    );
    props.insert(
        "updated_at".into(),
        json!({"type": "string", "description": "UTC, RFC 3339"}),
    );
    let refs: Map<String, Value> = def
        .fields
        .iter()
        .filter(|f| f.pii == Pii::None && matches!(f.kind, Kind::Ref(_) | Kind::RefCode { .. }))
        .map(|f| (f.name.to_string(), json!({"type": "string"})))
        .collect();
    if !refs.is_empty() {
        props.insert(skillbridge_core::schema::LABELS.into(), json!({
            "type": "object", "properties": refs.clone(), "additionalProperties": false, "readOnly": true,
            "description": "per reference field, the label of the record it points at (its declared label field, never personal data), sent even when the reader may not open that record; absent for a null reference or one without a label; ignored when sent back"
        }));
        props.insert(skillbridge_core::schema::LABELS_EN.into(), json!({
            "type": "object", "properties": refs, "additionalProperties": false, "readOnly": true,
            "description": "the English labels, for references whose label has an English column (countries, industries)"
        }));
    }
    let mut required: Vec<&str> = vec!["id", "created_at", "updated_at"];
    required.extend(
        def.fields
            .iter()
            .filter(|f| f.required && f.pii == Pii::None)
            .map(|f| f.name),
    );
    out.insert(name.clone(), json!({"type": "object", "title": format!("{} / {}", def.zh, def.en), "properties": props, "required": required}));

    let input_props: Map<String, Value> = def
        .fields
        .iter()
        .map(|f| (f.name.to_string(), field_schema(f, true)))
        .collect();
    let req: Vec<&str> = def
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    out.insert(format!("{name}Input"), json!({"type": "object", "properties": input_props, "required": req, "additionalProperties": false}));
    out.insert(
        format!("{name}Patch"),
        json!({"type": "object", "properties": input_props, "additionalProperties": false}),
    );
    out.insert(format!("{name}Page"), json!({
        "type": "object",
        "properties": {"items": {"type": "array", "items": schema_ref(&name)}, "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"}},
        "required": ["items", "total", "limit", "offset"]
    }));
}

/// Schemas shared by routes outside the record API.
fn common_schemas(out: &mut Map<String, Value>) {
    let codes = format!(
        "stable machine code: unauthenticated, invalid_credentials, forbidden, csrf, not_found, \
         invalid, bad_request, personal_field_query (400: a list or export sorted, compared or \
         searched by part of a personal field), too_large, rate_limited (429, with Retry-After), \
         busy (503, with Retry-After: every password check the memory allows is in use), \
         internal; on 409 the conflict's own code: {}",
        skillbridge_store::CONFLICT_CODES.join(", ")
    );
    out.insert("Error".into(), json!({
        "type": "object",
        "properties": {
            "code": {"type": "string", "description": codes},
            "message": {"type": "string", "description": "the English message (kept for older clients)"},
            "message_zh": {"type": "string", "description": "the message in Chinese"},
            "message_en": {"type": "string", "description": "the message in English"},
            "fields": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string", "description": "the field (a path such as scores[0].interview_score in a nested body; empty for the body as a whole)"}, "code": {"type": "string", "description": "the field's problem, e.g. required, invalid, too_long, out_of_range, precision (too many decimal places), wrong_type (a JSON value of the wrong type), unknown_field, malformed (the body is not JSON), duplicate (a unique key is taken), unusable (a personal value that cannot be used, said to whoever may not reveal its holder), personal_sort, personal_range, personal_substring, personal_exact_needs_reveal"}, "message": {"type": "string", "description": "English"}, "message_zh": {"type": "string"}, "message_en": {"type": "string"}}, "required": ["field", "code", "message", "message_zh", "message_en"]}}
        },
        "required": ["code", "message", "message_zh", "message_en"]
    }));
    out.insert("Role".into(), json!({
        "type": "object",
        "description": "A role with its scope. admin; leader; staff {office, school_id}; teacher {staff_id}; enterprise {org_id, contact_id, relation}; student {student_id}.",
        "properties": {
            "role": {"type": "string", "enum": ["admin", "leader", "staff", "teacher", "enterprise", "student"]},
            "office": {"type": "string", "enum": ["academic_affairs", "student_affairs", "employment", "cooperation", "international", "other"]},
            "school_id": {"type": "integer", "nullable": true},
            "staff_id": {"type": "integer"},
            "org_id": {"type": "integer"},
            "contact_id": {"type": "integer"},
            "relation": {"type": "string", "enum": ["contact", "mentor", "hr"]},
            "student_id": {"type": "integer"}
        },
        "required": ["role"]
    }));
    out.insert("Me".into(), json!({
        "type": "object",
        "properties": {"id": {"type": "integer"}, "username": {"type": "string"}, "display_name": {"type": "string"}, "roles": {"type": "array", "items": schema_ref("Role")}},
        "required": ["id", "username", "display_name", "roles"]
    }));
    out.insert("User".into(), json!({
        "type": "object",
        "properties": {"id": {"type": "integer"}, "username": {"type": "string"}, "display_name": {"type": "string"}, "disabled": {"type": "boolean"},
            "failed_logins": {"type": "integer"}, "locked_until": {"type": "string", "nullable": true}, "roles": {"type": "array", "items": schema_ref("Role")}},
        "required": ["id", "username", "display_name", "disabled", "failed_logins", "roles"]
    }));
    out.insert("Login".into(), json!({"type": "object", "properties": {"username": {"type": "string"}, "password": {"type": "string"}}, "required": ["username", "password"]}));
    out.insert("Reveal".into(), json!({"type": "object", "properties": {"field": {"type": "string"}, "reason": {"type": "string", "minLength": 4, "maxLength": 500}}, "required": ["field", "reason"]}));
    out.insert("Revealed".into(), json!({"type": "object", "properties": {"field": {"type": "string"}, "value": {"type": "string", "nullable": true}}, "required": ["field", "value"]}));
    out.insert("AuditEntry".into(), json!({"type": "object", "properties": {
        "id": {"type": "integer"}, "at": {"type": "string"}, "actor": {"type": "string"}, "role": {"type": "string"}, "action": {"type": "string"},
        "object": {"type": "string"}, "outcome": {"type": "string"}, "source": {"type": "string"}, "detail": {"type": "string"},
        "prev_hash": {"type": "string"}, "hash": {"type": "string"},
        "actor_name": {"type": "string", "nullable": true, "description": "The display name of the account the actor `user:ID` names, resolved when read (never stored)"},
        "object_label": {"type": "string", "nullable": true, "description": "The label of the record the object names (`students/163` -> the student's name; never personal data), resolved when read (never stored)"},
        "count": {"type": "integer", "minimum": 1, "description": "How many refusals the entry stands for (more than 1 when aggregated)"}}}));
}

/// The OpenAPI 3 document of the routes.
pub fn openapi(specs: &[RouteSpec]) -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for s in specs {
        let mut op = Map::new();
        op.insert("operationId".into(), json!(s.operation_id));
        op.insert("summary".into(), json!(s.summary));
        op.insert("tags".into(), json!([s.tag]));
        let mut params: Vec<Value> = Vec::new();
        for seg in s.path.split('/').filter(|p| p.starts_with('{')) {
            let name = seg.trim_matches(|c| c == '{' || c == '}');
            let schema = if name == "id" {
                json!({"type": "integer", "format": "int64", "minimum": 1})
            } else {
                json!({"type": "string"})
            };
            params.push(json!({"name": name, "in": "path", "required": true, "schema": schema}));
        }
        params.extend(s.query.iter().cloned());
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        if s.raw_body {
            op.insert("requestBody".into(), json!({"required": true, "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
                "text/csv": {"schema": {"type": "string", "format": "binary"}}}}));
        } else if let Some(body) = &s.request {
            op.insert(
                "requestBody".into(),
                json!({"required": true, "content": {"application/json": {"schema": body}}}),
            );
        }
        let mut responses = Map::new();
        let (status, schema) = &s.response;
        let ok = match (schema, s.path.as_str()) {
            (_, "/") => {
                json!({"description": "HTML page", "content": {"text/html": {"schema": {"type": "string"}}}})
            }
            (Some(sc), _) => {
                json!({"description": "success", "content": {"application/json": {"schema": sc}}})
            }
            (None, _) => json!({"description": "success"}),
        };
        responses.insert(status.to_string(), ok);
        responses.insert("default".into(), json!({"description": "error", "content": {"application/json": {"schema": schema_ref("Error")}}}));
        op.insert("responses".into(), Value::Object(responses));
        if s.public {
            op.insert("security".into(), json!([]));
        }
        paths
            .entry(s.path.clone())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("object")
            .insert(s.method.into(), Value::Object(op));
    }
    let mut schemas = Map::new();
    common_schemas(&mut schemas);
    for def in RESOURCES {
        resource_schemas(def, &mut schemas);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "SkillBridge API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The HTTP JSON API of SkillBridge, a platform for school–enterprise cooperation at a vocational college. \
    Sign in with POST /api/auth/login; the session cookie authorises the rest. Unsafe methods need an Origin header of the server's own origin.",
            "license": {"name": "AGPL-3.0-or-later"}
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "sb_session", "description": "`__Host-sb_session` when served over TLS"}}
        },
        "security": [{"session": []}]
    })
}
