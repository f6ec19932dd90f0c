//! `GET /api/meta`: the record types, their fields and labels in both languages, and what the
//! signed-in user may do with each. The web pages are built from it, so a field added in core
//! appears in the interface without front-end changes.

use crate::api::{Api, RouteSpec};
use crate::auth::{Auth, Me};
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use serde_json::{json, Value};
use skillbridge_core::access::{actor_groups, actor_scopes, row_scope, Action, Actor};
use skillbridge_core::import::importable;
use skillbridge_core::modules::MODULES;
use skillbridge_core::schema::{Field, Kind, Pii, ResourceDef, RESOURCES};

/// The field shown when a record is referred to from another (declared with the record).
pub fn label_field(def: &ResourceDef) -> &'static str {
    def.label_field()
}

fn field_meta(f: &Field) -> Value {
    let (kind, reference) = match f.kind {
        Kind::Text { .. } => ("text", None),
        Kind::Int { .. } => ("int", None),
        Kind::Fen => ("fen", None),
        Kind::Date => ("date", None),
        Kind::Flag => ("flag", None),
        Kind::Enum(_) => ("enum", None),
        Kind::Ref(r) => ("ref", Some(r)),
        Kind::RefCode { resource, .. } => ("refcode", Some(resource)),
        Kind::IdNumber => ("id_number", None),
        Kind::CreditCode => ("credit_code", None),
        Kind::Phone => ("phone", None),
        Kind::MajorCode => ("major_code", None),
        Kind::Email => ("email", None),
        Kind::Instant => ("instant", None),
        Kind::Decimal { .. } => ("decimal", None),
    };
    let (min, max) = match f.kind {
        Kind::Int { min, max } => (Some(json!(min)), Some(json!(max))),
        Kind::Fen => (Some(json!(0)), None),
        Kind::Decimal { scale, min, max } => (
            Some(skillbridge_core::schema::decimal_value(min, scale)),
            Some(skillbridge_core::schema::decimal_value(max, scale)),
        ),
        _ => (None, None),
    };
    let scale = match f.kind {
        Kind::Decimal { scale, .. } => Some(scale),
        _ => None,
    };
    let options = match f.kind {
        Kind::Enum(table) => Value::Array(
            table
                .labels
                .iter()
                .map(|l| json!({"value": l.code, "zh": l.zh, "en": l.en}))
                .collect(),
        ),
        _ => Value::Null,
    };
    let pii = match f.pii {
        Pii::None => "none",
        Pii::IdNumber => "id_number",
        Pii::Phone => "phone",
        Pii::Address => "address",
        Pii::Email => "email",
    };
    let ref_column = match f.kind {
        Kind::RefCode { column, .. } => Some(column),
        _ => None,
    };
    json!({
        "name": f.name, "zh": f.zh, "en": f.en, "kind": kind, "required": f.required, "unique": f.unique, "pii": pii,
        "max_len": match f.kind { Kind::Text { max } => Some(max), _ => None },
        "min": min, "max": max, "scale": scale, "options": options, "ref": reference, "ref_column": ref_column,
    })
}

async fn meta(State(st): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Value>> {
    let id = auth
        .actor
        .user_id
        .ok_or(crate::error::ApiError::Unauthenticated)?;
    let u = st.store.user_by_id(id).await?;
    let can = |def: &ResourceDef, a: Action| actor_scopes(&auth.actor, a, def.name).is_some();
    let resources: Vec<Value> = RESOURCES
        .iter()
        .map(|def| {
            // Least privilege: the fields of the groups the user may read are sent (or, for a
            // record type they cannot read, those they may write); the others are named in
            // `hidden`, so the pages leave them out of lists, details and forms.
            let read = actor_groups(&auth.actor, Action::Read, def);
            let mut write = actor_groups(&auth.actor, Action::Create, def);
            for g in actor_groups(&auth.actor, Action::Update, def) {
                if !write.contains(&g) {
                    write.push(g);
                }
            }
            let shown = |g: &str| {
                if can(def, Action::Read) {
                    read.contains(&g)
                } else {
                    write.is_empty() || write.contains(&g)
                }
            };
            let group_of = |f: &Field| def.group_of(f.name).map_or("", |g| g.name);
            let (fields, hidden): (Vec<&Field>, Vec<&Field>) =
                def.fields.iter().partition(|f| shown(group_of(f)));
            let fields: Vec<Value> = fields
                .into_iter()
                .map(|f| {
                    let mut m = field_meta(f);
                    m["group"] = json!(group_of(f));
                    m["writable"] = json!(write.contains(&group_of(f)));
                    m
                })
                .collect();
            let groups: Vec<Value> = def
                .field_groups()
                .iter()
                .map(|g| json!({"name": g.name, "zh": g.zh, "en": g.en, "read": read.contains(&g.name), "write": write.contains(&g.name)}))
                .collect();
            json!({
                "name": def.name, "zh": def.zh, "en": def.en, "search": def.search, "order": def.order,
                "label_field": label_field(def), "importable": importable(def),
                "can": {
                    "read": can(def, Action::Read), "create": can(def, Action::Create), "update": can(def, Action::Update),
                    "delete": can(def, Action::Delete), "reveal": can(def, Action::Reveal),
                },
                "fields": fields,
                "groups": groups,
                "hidden": hidden.iter().map(|f| f.name).collect::<Vec<_>>(),
                // Batch work (issue 10 §6): the fields a batch may set (when the user may change
                // the records) and the records it may create per row (when the user may create them).
                "batch": {
                    "fields": match can(def, Action::Update) {
                        true => skillbridge_core::batch::settable_fields(def).iter().map(|f| f.name).collect::<Vec<_>>(),
                        false => Vec::new(),
                    },
                    "links": skillbridge_core::batch::links(def).iter()
                        .filter(|(t, _)| can(t, Action::Create))
                        .map(|(t, f)| json!({"target": t.name, "field": f.name}))
                        .collect::<Vec<_>>(),
                },
            })
        })
        .collect();
    let me = Me {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        roles: u.roles,
    };
    Ok(axum::Json(json!({
        "user": me,
        // The college's name for the print views' heading (`college_name` setting; null when unset).
        "college": {"name": (!st.cfg.college_name.is_empty()).then(|| st.cfg.college_name.clone())},
        "resources": resources,
        "modules": modules_meta(&auth.actor),
        "permissions": permissions_meta(&auth.actor),
    })))
}

pub fn routes(api: Api) -> Api {
    api.add(
        RouteSpec::new("get", "/api/meta", "meta", "Record types, fields, labels and the user's permissions", "system").returns(
            200,
            Some(json!({"type": "object", "properties": {"user": crate::api::schema_ref("Me"), "resources": {"type": "array", "items": {"type": "object"}}}, "required": ["user", "resources"]})),
        ),
        meta,
    )
}

/// Each module with the menu entries the actor may open (an entry is shown when one of the
/// actor's roles is among those the entry is for, `MenuEntry::for_role`, and that role may read
/// what it needs); modules with none are left out. Read access itself is unchanged: a student
/// still reads the industry codes a form offers, without a menu entry for them.
fn modules_meta(actor: &Actor) -> Vec<Value> {
    MODULES
        .iter()
        .filter_map(|m| {
            let menu: Vec<Value> = m
                .menu
                .iter()
                .filter(|e| {
                    actor
                        .roles
                        .iter()
                        .any(|r| e.for_role(r) && row_scope(r, Action::Read, e.needs()).is_some())
                })
                .map(|e| json!({"path": e.path(), "zh": e.label(true), "en": e.label(false), "needs": e.needs()}))
                .collect();
            (!menu.is_empty()).then(|| json!({"name": m.name, "zh": m.zh, "en": m.en, "menu": menu}))
        })
        .collect()
}

/// What the actor may do with each workflow permission of every module (`allocation`,
/// `order_choices`, `users`...), decided by the same rules as the server applies, so that no rule
/// is copied into the front end.
fn permissions_meta(actor: &Actor) -> Value {
    let can = |p: &str, a: Action| actor_scopes(actor, a, p).is_some();
    Value::Object(
        skillbridge_core::modules::permissions()
            .map(|p| {
                (
                    p.to_string(),
                    json!({"read": can(p, Action::Read), "create": can(p, Action::Create), "update": can(p, Action::Update), "delete": can(p, Action::Delete)}),
                )
            })
            .collect(),
    )
}
