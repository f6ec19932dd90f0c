//! The web half of the `accounts` module: account and role administration, administrators only.

use crate::api::{schema_ref, Api, RouteSpec};
use crate::auth::hash_password_async;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Id, Json};
use crate::AppState;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use skillbridge_core::access::{self, Actor, Role};
use skillbridge_core::modules::college::{SCHOOLS, STAFF, STUDENTS};
use skillbridge_core::modules::partners::{CONTACTS, ORGANISATIONS};
use skillbridge_core::schema;
use skillbridge_store::UserInfo;

fn check_username(u: &str) -> ApiResult<()> {
    let ok = (2..=64).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "username",
            "invalid",
            "2 to 64 characters: lowercase letters, digits, . _ -",
        ))
    }
}

async fn check_password(p: &str, username: &str) -> ApiResult<()> {
    skillbridge_core::password::check_new_password(p, username)
        .map_err(|m| ApiError::invalid("password", "weak_password", m))
}

/// Checks that the records a role points at exist (and that a contact belongs to its organisation).
async fn check_roles(st: &AppState, roles: &[Role]) -> ApiResult<()> {
    let sys = Actor::system();
    let exists = |def: &'static schema::ResourceDef, id: i64, field: &'static str| {
        let st = st.clone();
        let sys = sys.clone();
        async move {
            st.store.get(&sys, def, id).await.map_err(|e| match e {
                skillbridge_store::StoreError::NotFound => {
                    ApiError::invalid("roles", "not_found", format!("{field} {id} does not exist"))
                }
                other => other.into(),
            })
        }
    };
    for r in roles {
        match r {
            Role::Admin | Role::Leader => {}
            Role::Staff { school_id, .. } => {
                if let Some(s) = school_id {
                    exists(&SCHOOLS, *s, "school_id").await?;
                }
            }
            Role::Teacher { staff_id } => {
                exists(&STAFF, *staff_id, "staff_id").await?;
            }
            Role::Enterprise {
                org_id, contact_id, ..
            } => {
                exists(&ORGANISATIONS, *org_id, "org_id").await?;
                let c = exists(&CONTACTS, *contact_id, "contact_id").await?;
                if c["org_id"].as_i64() != Some(*org_id) {
                    return Err(ApiError::invalid(
                        "roles",
                        "mismatch",
                        "the contact does not belong to that organisation",
                    ));
                }
            }
            Role::Student { student_id } => {
                exists(&STUDENTS, *student_id, "student_id").await?;
            }
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct NewUser {
    username: String,
    display_name: String,
    password: String,
    #[serde(default)]
    roles: Vec<Role>,
}

async fn create_user(
    c: Caller,
    Json(u): Json<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<UserInfo>)> {
    c.require(access::can_manage_users, "create", "users")
        .await?;
    check_username(&u.username)?;
    if u.display_name.trim().is_empty() || u.display_name.chars().count() > 100 {
        return Err(ApiError::invalid(
            "display_name",
            "required",
            "1 to 100 characters",
        ));
    }
    check_password(&u.password, &u.username).await?;
    check_roles(&c.st, &u.roles).await?;
    let hash = hash_password_async(&c.st, u.password).await?;
    let id = c
        .store()
        .accounts()
        .create_user(
            c.actor(),
            &u.username,
            u.display_name.trim(),
            &hash,
            &u.roles,
            &c.source(),
        )
        .await?; // a taken username: the unique key answers `duplicate` on `username`
    Ok((
        StatusCode::CREATED,
        axum::Json(c.store().accounts().user(c.actor(), id).await?),
    ))
}

async fn list_users(c: Caller) -> ApiResult<axum::Json<Vec<UserInfo>>> {
    c.require(access::can_manage_users, "read", "users").await?;
    Ok(axum::Json(
        c.store().accounts().list_users(c.actor()).await?,
    ))
}

async fn get_user(c: Caller, Id(id): Id) -> ApiResult<axum::Json<UserInfo>> {
    c.require(access::can_manage_users, "read", &format!("users/{id}"))
        .await?;
    Ok(axum::Json(c.store().accounts().user(c.actor(), id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserPatch {
    disabled: Option<bool>,
    roles: Option<Vec<Role>>,
}

async fn update_user(
    c: Caller,
    Id(id): Id,
    Json(p): Json<UserPatch>,
) -> ApiResult<axum::Json<UserInfo>> {
    c.require(access::can_manage_users, "update", &format!("users/{id}"))
        .await?;
    c.store().accounts().user(c.actor(), id).await?;
    let src = c.source();
    if let Some(roles) = &p.roles {
        check_roles(&c.st, roles).await?;
        c.store()
            .accounts()
            .set_roles(c.actor(), id, roles, &src)
            .await?;
    }
    if let Some(d) = p.disabled {
        if d && c.actor().user_id == Some(id) {
            return Err(ApiError::invalid(
                "disabled",
                "not_allowed",
                "you cannot disable your own account",
            ));
        }
        c.store()
            .accounts()
            .set_disabled(c.actor(), id, d, &src)
            .await?;
    }
    Ok(axum::Json(c.store().accounts().user(c.actor(), id).await?))
}

#[derive(Deserialize)]
struct NewPassword {
    password: String,
}

async fn reset_password(
    c: Caller,
    Id(id): Id,
    Json(p): Json<NewPassword>,
) -> ApiResult<StatusCode> {
    c.require(
        access::can_manage_users,
        "password_reset",
        &format!("users/{id}"),
    )
    .await?;
    // Setting a password is limited per address like signing in (SECURITY goal 12).
    if !c.st.limiter.allow(c.addr.0, c.st.cfg.login_rate_per_minute) {
        return Err(ApiError::RateLimited);
    }
    let u = c.store().accounts().user(c.actor(), id).await?;
    check_password(&p.password, &u.username).await?;
    let hash = hash_password_async(&c.st, p.password).await?;
    c.store()
        .accounts()
        .set_password(c.actor(), id, &hash, &c.source())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes(api: Api) -> Api {
    let user_array = json!({"type": "array", "items": schema_ref("User")});
    let new_user = json!({"type": "object", "properties": {"username": {"type": "string"}, "display_name": {"type": "string"}, "password": {"type": "string", "minLength": 8}, "roles": {"type": "array", "items": schema_ref("Role")}}, "required": ["username", "display_name", "password"]});
    let patch = json!({"type": "object", "properties": {"disabled": {"type": "boolean", "nullable": true, "description": "absent or null: unchanged"}, "roles": {"type": "array", "items": schema_ref("Role"), "nullable": true, "description": "absent or null: unchanged"}}, "additionalProperties": false});
    let pw = json!({"type": "object", "properties": {"password": {"type": "string", "minLength": 8}}, "required": ["password"]});
    api.add(
        RouteSpec::new(
            "get",
            "/api/users",
            "list_users",
            "List accounts",
            "accounts",
        )
        .returns(200, Some(user_array)),
        list_users,
    )
    .add(
        RouteSpec::new(
            "post",
            "/api/users",
            "create_user",
            "Create an account with roles",
            "accounts",
        )
        .body(new_user)
        .returns(201, Some(schema_ref("User"))),
        create_user,
    )
    .add(
        RouteSpec::new(
            "get",
            "/api/users/{id}",
            "get_user",
            "Get an account",
            "accounts",
        )
        .returns(200, Some(schema_ref("User"))),
        get_user,
    )
    .add(
        RouteSpec::new(
            "patch",
            "/api/users/{id}",
            "update_user",
            "Disable or enable an account, or replace its roles",
            "accounts",
        )
        .body(patch)
        .returns(200, Some(schema_ref("User"))),
        update_user,
    )
    .add(
        RouteSpec::new(
            "post",
            "/api/users/{id}/password",
            "reset_password",
            "Set a new password (ends the user's sessions)",
            "accounts",
        )
        .body(pw)
        .returns(204, None),
        reset_password,
    )
}
