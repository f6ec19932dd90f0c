//! A user changes their own password (`POST /api/auth/password`): the current one is checked as a
//! sign-in checks it, the new one meets the policy, every other session ends, the caller gets a
//! new session id, and the change is audited; the per-address limit (SECURITY goal 12) applies to
//! it and to an administrator's reset.

use crate::common::*;
use reqwest::cookie::CookieStore;
use reqwest::Method;
use serde_json::json;
use skillbridge_web::WebConfig;

const NEW: &str = "换一个更长的密码-Yuzhong-2027";

fn cookie(s: &Session) -> String {
    let url: reqwest::Url = s.base.parse().unwrap();
    s.jar
        .cookies(&url)
        .map(|c| c.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_user_changes_their_own_password_and_every_other_session_ends() {
    let app = spawn_app().await;
    let student = app.login_as("student").await;
    let other = app.login_as("student").await; // the same account on another device
    let before = cookie(&student);

    // A wrong current password: a field error, not a sign-out.
    let r = student
        .send(
            Method::POST,
            "/api/auth/password",
            Some(json!({"current_password": "猜一个", "new_password": NEW})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(
        r.json()["fields"][0]["field"],
        "current_password",
        "{}",
        r.text
    );
    assert_eq!(
        r.json()["fields"][0]["code"],
        "wrong_password",
        "{}",
        r.text
    );
    assert_eq!(student.get("/api/me").await.status, 200);
    // A weak new one, and the same one, are refused on the new password's field.
    for (new, code) in [("12345678", "weak_password"), (PASSWORD, "same_password")] {
        let r = student
            .send(
                Method::POST,
                "/api/auth/password",
                Some(json!({"current_password": PASSWORD, "new_password": new})),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.text);
        assert_eq!(r.json()["fields"][0]["field"], "new_password", "{}", r.text);
        assert_eq!(r.json()["fields"][0]["code"], code, "{}", r.text);
    }

    let r = student
        .send(
            Method::POST,
            "/api/auth/password",
            Some(json!({"current_password": PASSWORD, "new_password": NEW})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    // The caller goes on with a new session id; the other device is signed out.
    let after = cookie(&student);
    assert_ne!(before, after, "a new session id after the change");
    assert_eq!(student.get("/api/me").await.status, 200);
    assert_eq!(other.get("/api/me").await.status, 401);
    // The old password no longer signs in; the new one does.
    let anon = app.anon();
    let r = anon
        .send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "student", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, 401);
    let r = anon
        .send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "student", "password": NEW})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Audited, with no password in the entry.
    let admin = app.login_as("admin").await;
    let trail = admin.get("/api/audit?limit=500").await;
    let changes: Vec<_> = trail.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "password_change")
        .cloned()
        .collect();
    assert_eq!(changes.len(), 1, "{}", trail.text);
    assert!(!trail.text.contains(NEW) && !trail.text.contains(PASSWORD));
}

#[tokio::test]
async fn changing_and_resetting_passwords_are_limited_per_address() {
    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 3,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    // Signing in takes from the same budget: one sign-in each, then two attempts are left.
    let student = app.login_as("student").await;
    let mut statuses = Vec::new();
    for n in 0..3 {
        let r = student
            .send(
                Method::POST,
                "/api/auth/password",
                Some(json!({"current_password": format!("guess-{n}"), "new_password": NEW})),
            )
            .await;
        statuses.push(r.status.as_u16());
    }
    assert_eq!(statuses, [422, 422, 429], "guesses of the current password");

    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 3,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let admin = app.login_as("admin").await;
    let users = admin.get("/api/users").await.json();
    let student = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "student")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let r = admin
            .send(
                Method::POST,
                &format!("/api/users/{student}/password"),
                Some(json!({"password": NEW})),
            )
            .await;
        statuses.push(r.status.as_u16());
    }
    assert_eq!(statuses, [204, 204, 429], "an administrator's resets");
}
