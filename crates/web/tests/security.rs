//! Security tests (SECURITY goals 7–9, 11, 12, 14–16, 18, 24) and the API contract: each one
//! fails when its guard is removed.

mod common;
use common::*;
#[path = "security/goals.rs"]
mod goals;
#[path = "security/password_change.rs"]
mod password_change;
use reqwest::Method;
use serde_json::{json, Value};
use skillbridge_core::modules::college::SCHOOLS;
use skillbridge_web::api::RouteSpec;
use skillbridge_web::WebConfig;
use std::sync::atomic::Ordering;

#[tokio::test]
async fn openapi_document_lists_every_route_of_the_router() {
    let app = spawn_app().await;
    let doc = app.anon().get("/api/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let specs = skillbridge_web::routes().specs;
    let mut documented = 0;
    for s in &specs {
        assert!(
            doc["paths"][&s.path][s.method].is_object(),
            "{} {} is missing from /api/openapi.json",
            s.method,
            s.path
        );
        documented += 1;
    }
    let ops: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|p| p.as_object().unwrap().len())
        .sum();
    assert_eq!(
        ops, documented,
        "the document has exactly the router's routes"
    );
    // Every $ref resolves.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &part[..part.find('"').unwrap()];
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling $ref {name}"
        );
    }
}

#[tokio::test]
async fn security_headers_on_every_answer() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    for path in ["/", "/api/health", "/api/students", "/api/nonexistent"] {
        let r = admin.get(path).await;
        let h = &r.headers;
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS over plain HTTP"
        );
        if path.starts_with("/api/") {
            assert_eq!(h["cache-control"], "no-store", "{path}");
        }
    }
    let r = admin.get("/api/nonexistent").await;
    assert_eq!(
        (r.status.as_u16(), r.json()["code"].as_str()),
        (404, Some("not_found"))
    );
}

#[tokio::test]
async fn tls_deployments_get_host_prefixed_secure_cookies_and_hsts() {
    let app = spawn_with(
        WebConfig {
            tls: true,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let s = app.anon();
    let r = s
        .send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "admin", "password": PASSWORD})),
        )
        .await;
    // The server believes it is behind TLS, so the Origin it expects is https.
    assert_eq!(r.status, 403, "http origin refused under tls");
    let origin = app.base.replace("http://", "https://");
    let r = s
        .send_with(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "admin", "password": PASSWORD})),
            &[("origin", &origin)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cookie = r.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("__Host-sb_session=")
            && cookie.contains("; Secure")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(r.headers["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
}

#[tokio::test]
async fn csrf_unsafe_requests_need_own_origin() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let body = || Some(json!({"code": "09", "name": "测试学院"}));
    let r = admin
        .send_with(Method::POST, "/api/schools", body(), &[])
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["code"].as_str()),
        (403, Some("csrf")),
        "missing Origin"
    );
    let r = admin
        .send_with(
            Method::POST,
            "/api/schools",
            body(),
            &[("origin", "http://evil.example")],
        )
        .await;
    assert_eq!(r.status, 403, "foreign Origin");
    let r = admin
        .send_with(
            Method::POST,
            "/api/schools",
            body(),
            &[
                ("origin", &app.base.clone()),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(r.status, 403, "cross-site fetch");
    let r = admin.send(Method::DELETE, "/api/schools/1", None).await;
    assert_ne!(r.status, 403);
    let r = admin
        .send_with(
            Method::POST,
            "/api/schools",
            body(),
            &[
                ("origin", &app.base.clone()),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    // No GET changes state: the unsafe routes have no GET.
    assert_eq!(admin.get("/api/auth/logout").await.status, 405);
    assert_eq!(
        app.store
            .audit_trail()
            .list(
                &skillbridge_core::access::Actor::system(),
                Some("create"),
                100,
                0
            )
            .await
            .unwrap()
            .iter()
            .filter(|e| e.object.starts_with("schools/"))
            .count(),
        3
    );
}

#[tokio::test]
async fn lockout_after_five_failures_with_the_same_answer() {
    let app = spawn_app().await;
    let s = app.anon();
    let login = |u: &'static str, p: &'static str| {
        let s = s.clone();
        async move {
            s.send(
                Method::POST,
                "/api/auth/login",
                Some(json!({"username": u, "password": p})),
            )
            .await
        }
    };
    let unknown = login("nobody", "whatever it is").await;
    let wrong = login("leader", "wrong password").await;
    assert_eq!(unknown.status, 401);
    assert_eq!(
        unknown.text, wrong.text,
        "known and unknown usernames look the same"
    );
    for _ in 0..4 {
        assert_eq!(login("leader", "wrong password").await.status, 401);
    }
    let right = login("leader", PASSWORD).await;
    assert_eq!(
        right.status, 401,
        "locked: even the right password is refused"
    );
    assert_eq!(right.text, wrong.text, "with the same generic message");
    assert!(app
        .store
        .user_by_username("leader")
        .await
        .unwrap()
        .unwrap()
        .locked_until
        .is_some());
    let failed = app
        .store
        .audit_trail()
        .list(
            &skillbridge_core::access::Actor::system(),
            Some("login_failed"),
            100,
            0,
        )
        .await
        .unwrap();
    // Refusals may be aggregated (several in one entry): count what the entries stand for.
    assert!(
        failed.iter().map(|e| e.refusals()).sum::<u64>() >= 7
            && failed.iter().any(|e| e.detail.contains("locked"))
    );
    // Another account is unaffected.
    assert_eq!(login("admin", PASSWORD).await.status, 200);
}

/// 24 wrong guesses at once: the attempts are counted before any password is checked, so at
/// most five are verified and the rest are refused as locked; the right password, sent
/// afterwards, is refused too, without being checked.
#[tokio::test]
async fn parallel_guesses_get_at_most_five_verifications() {
    let app = spawn_app().await;
    let checks = || {
        app.store
            .counters
            .password_checks
            .load(std::sync::atomic::Ordering::Relaxed)
    };
    let before = checks();
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let s = app.anon();
        let password = "wrong password";
        tasks.push(tokio::spawn(async move {
            s.send(
                Method::POST,
                "/api/auth/login",
                Some(json!({"username": "teacher", "password": password})),
            )
            .await
            .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let verified = checks() - before;
    assert!(
        verified <= 5,
        "{verified} passwords verified for one account"
    );
    assert!(statuses.iter().all(|s| s.as_u16() == 401), "{statuses:?}");
    let after_burst = checks();
    let later = app
        .anon()
        .send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "teacher", "password": PASSWORD})),
        )
        .await;
    assert_eq!(later.status, 401, "locked: the right password is refused");
    assert_eq!(
        checks(),
        after_burst,
        "a locked account's password is not checked"
    );
    // The lock holds on the simulated clock until it expires (15 minutes by default), then
    // the right password gets in.
    let right = || async {
        app.anon()
            .send(
                Method::POST,
                "/api/auth/login",
                Some(json!({"username": "teacher", "password": PASSWORD})),
            )
            .await
            .status
    };
    let lock = WebConfig::default().lockout_secs;
    skillbridge_store::testing::advance_clock(&app.store, lock - 120);
    assert_eq!(
        right().await,
        401,
        "two minutes before expiry: still locked"
    );
    assert_eq!(checks(), after_burst, "and still not checked");
    skillbridge_store::testing::advance_clock(&app.store, 121);
    assert_eq!(
        right().await,
        200,
        "past expiry: the right password gets in"
    );
    assert_eq!(checks(), after_burst + 1);
}

#[tokio::test]
async fn login_rate_limit_per_address_ignores_spoofed_forwarded_for() {
    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 3,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let s = app.anon();
    for i in 0..3 {
        let r = s
            .send(
                Method::POST,
                "/api/auth/login",
                Some(json!({"username": "x", "password": format!("p{i}")})),
            )
            .await;
        assert_eq!(r.status, 401);
    }
    let origin = app.base.clone();
    let r = s
        .send_with(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "x", "password": "p"})),
            &[("origin", &origin), ("x-forwarded-for", "203.0.113.77")],
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["code"].as_str()),
        (429, Some("rate_limited")),
        "a spoofed header does not change the key"
    );
    // Behind a configured proxy, the forwarded address is the key.
    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 1,
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let s = app.anon();
    let origin = app.base.clone();
    for ip in ["198.51.100.1", "198.51.100.2"] {
        let r = s
            .send_with(
                Method::POST,
                "/api/auth/login",
                Some(json!({"username": "admin", "password": PASSWORD})),
                &[("origin", &origin), ("x-forwarded-for", ip)],
            )
            .await;
        assert_eq!(r.status, 200, "{ip}");
    }
    let r = s
        .send_with(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "admin", "password": PASSWORD})),
            &[("origin", &origin), ("x-forwarded-for", "198.51.100.1")],
        )
        .await;
    assert_eq!(r.status, 429);
    let src: Vec<String> = app
        .store
        .audit_trail()
        .list(
            &skillbridge_core::access::Actor::system(),
            Some("login"),
            10,
            0,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.source)
        .collect();
    assert!(
        src.contains(&"198.51.100.2".to_string()),
        "the audit records the client, not the proxy: {src:?}"
    );
}

fn cookie_of(r: &Reply) -> String {
    r.headers["set-cookie"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn session_lifecycle() {
    let app = spawn_app().await;
    let s = app.anon();
    let r1 = s
        .send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "aa", "password": PASSWORD})),
        )
        .await;
    let c1 = cookie_of(&r1);
    assert!(
        c1.starts_with("sb_session=")
            && c1.contains("HttpOnly")
            && c1.contains("SameSite=Lax")
            && !c1.contains("Secure"),
        "{c1}"
    );
    let r2 = s
        .send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "aa", "password": PASSWORD})),
        )
        .await;
    assert_ne!(cookie_of(&r2), c1, "a new session id at every login");
    let old = c1.split(';').next().unwrap().to_string();
    let stale = app.anon();
    let r = stale
        .send_with(Method::GET, "/api/me", None, &[("cookie", &old)])
        .await;
    assert_eq!(r.status, 401, "the session presented at login was ended");
    assert_eq!(s.get("/api/me").await.status, 200);
    assert_eq!(
        s.send(Method::POST, "/api/auth/logout", None).await.status,
        204
    );
    assert_eq!(s.get("/api/me").await.status, 401, "logout ends it");

    let uid = app.store.user_by_username("aa").await.unwrap().unwrap().id;
    let s = app.login_as("aa").await;
    app.store
        .age_sessions_for_tests(uid, 31 * 60)
        .await
        .unwrap();
    assert_eq!(s.get("/api/me").await.status, 401, "idle timeout");

    let s = app.login_as("aa").await;
    let admin = app.login_as("admin").await;
    assert_eq!(
        admin
            .send(
                Method::PATCH,
                &format!("/api/users/{uid}"),
                Some(json!({"roles": [{"role": "leader"}]}))
            )
            .await
            .status,
        200
    );
    assert_eq!(
        s.get("/api/me").await.status,
        401,
        "a privilege change ends the session"
    );
    let s = app.login_as("aa").await;
    assert_eq!(
        s.get("/api/me").await.json()["roles"],
        json!([{"role": "leader"}])
    );
    assert_eq!(
        admin
            .send(
                Method::PATCH,
                &format!("/api/users/{uid}"),
                Some(json!({"disabled": true}))
            )
            .await
            .status,
        200
    );
    assert_eq!(
        s.get("/api/me").await.status,
        401,
        "disabling ends the session"
    );
    let r = app
        .anon()
        .send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "aa", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, 401, "a disabled account cannot sign in");
    session_ends_at_its_absolute_lifetime().await;
}

async fn session_ends_at_its_absolute_lifetime() {
    let app = spawn_with(
        WebConfig {
            session_lifetime_secs: 0,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let s = app.login_as("admin").await;
    assert_eq!(s.get("/api/me").await.status, 401, "absolute lifetime");
}

#[tokio::test]
async fn password_policy_and_long_unicode_passwords() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let r = admin
        .send(
            Method::POST,
            "/api/users",
            Some(json!({"username": "weak", "display_name": "弱", "password": "password123"})),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["fields"][0]["code"].as_str()),
        (422, Some("weak_password"))
    );
    let long = "校企合作产教融合".repeat(10);
    let r = admin.send(Method::POST, "/api/users", Some(json!({"username": "long.pw", "display_name": "长密码", "password": long, "roles": [{"role": "leader"}]}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    // The same username again breaks the unique key users_username_key: a field error, by the
    // key's name (PostgreSQL) or its table and column (SQLite).
    let r = admin.send(Method::POST, "/api/users", Some(json!({"username": "long.pw", "display_name": "又一个", "password": "another fine passphrase", "roles": [{"role": "leader"}]}))).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "username", "{}", r.text);
    assert_eq!(r.json()["fields"][0]["code"], "duplicate", "{}", r.text);
    let s = app.anon();
    let ok = s
        .send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "long.pw", "password": long})),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let cut: String = long.chars().take(79).collect();
    let bad = app
        .anon()
        .send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "long.pw", "password": cut})),
        )
        .await;
    assert_eq!(bad.status, 401, "not truncated");
    let stored = app
        .store
        .user_by_username("long.pw")
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    let r = admin.send(Method::POST, "/api/users", Some(json!({"username": "x", "display_name": "x", "password": "a fine passphrase", "roles": [{"role": "teacher", "staff_id": 999}]}))).await;
    assert_eq!(r.status, 422, "roles must point at real records");
}

#[tokio::test]
async fn audit_records_logins_denials_reveals_and_role_changes_in_a_chain() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let _ = app
        .anon()
        .send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "admin", "password": "nope nope"})),
        )
        .await;
    let student = app.login_as("student").await;
    // A student reads only their own mentors among staff (issue 9); agreements not at all.
    assert_eq!(student.get("/api/agreements").await.status, 403);
    let r = admin
        .send(
            Method::POST,
            &format!("/api/students/{}/reveal", app.fx.student[0]),
            Some(json!({"field": "id_number", "reason": "办理实习责任保险"})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["value"], secrets()[0]);
    assert_eq!(
        admin
            .send(
                Method::PATCH,
                &format!("/api/users/{}", app.fx.spare_user),
                Some(json!({"roles": [{"role": "leader"}]}))
            )
            .await
            .status,
        200
    );
    let log = admin.get("/api/audit?limit=200").await.json();
    let items = log["items"].as_array().unwrap();
    let has = |action: &str, outcome: &str| {
        items
            .iter()
            .any(|e| e["action"] == action && e["outcome"] == outcome)
    };
    assert!(
        has("login", "ok")
            && has("login_failed", "failed")
            && has("denied", "denied")
            && has("reveal", "ok")
            && has("role_change", "ok")
    );
    let e = items.iter().find(|e| e["action"] == "denied").unwrap();
    // People are named by internal id in the trail; the page shows the display name beside it.
    let student_id = app
        .store
        .user_by_username("student")
        .await
        .unwrap()
        .unwrap()
        .id;
    let actor = format!("user:{student_id}");
    assert_eq!(
        (
            e["actor"].as_str(),
            e["actor_name"].as_str(),
            e["role"].as_str(),
            e["object"].as_str()
        ),
        (
            Some(actor.as_str()),
            Some("用户student"),
            Some("student"),
            Some("agreements")
        )
    );
    assert!(e["at"].as_str().unwrap().ends_with('Z') && e["source"] == "127.0.0.1");
    assert_eq!(admin.get("/api/audit/verify").await.json()["ok"], true);
}

#[tokio::test]
async fn bad_input_gets_a_4xx_naming_the_field_never_a_500() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let origin = app.base.clone();
    let raw = admin
        .http
        .post(format!("{}/api/schools", app.base))
        .header("origin", &origin)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let v: Value = raw.json().await.unwrap();
    assert_eq!(v["code"], "bad_request");
    let r = admin
        .send(
            Method::POST,
            "/api/students",
            Some(json!({"student_no": 1, "gender": "7", "entry_year": "x"})),
        )
        .await;
    assert_eq!(r.status, 422);
    let body = r.json();
    let names: Vec<String> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    for f in [
        "name",
        "gender",
        "id_number",
        "program_id",
        "entry_year",
        "status",
    ] {
        assert!(names.iter().any(|n| n == f), "{f} named in {names:?}");
    }
    assert_eq!(admin.get("/api/students/abc").await.status, 422);
    assert_eq!(admin.get("/api/students?limit=100000").await.status, 422);
    assert_eq!(admin.get("/api/students?bogus=1").await.status, 422);
    assert_eq!(
        admin
            .get("/api/students?id_number=50010620060301011X")
            .await
            .status,
        422,
        "no oracle on personal fields"
    );
    let r = admin
        .send(
            Method::POST,
            "/api/schools",
            Some(json!({"code": "01", "name": "重复"})),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["fields"][0]["code"].as_str()),
        (422, Some("duplicate"))
    );
    let r = admin
        .send(
            Method::DELETE,
            &format!("/api/schools/{}", app.fx.school[0]),
            None,
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["code"].as_str()),
        (409, Some("in_use"))
    );
    let big = "x".repeat(2 << 20);
    let r = admin
        .send(
            Method::POST,
            "/api/schools",
            Some(json!({"code": "02", "name": big})),
        )
        .await;
    assert_eq!(r.status, 413);
}

async fn boom() -> &'static str {
    panic!("handler bug")
}

#[tokio::test]
async fn fail_closed_under_faults_and_panics() {
    let app = spawn_with(WebConfig::default(), |api| {
        api.add(
            RouteSpec::new("get", "/api/test/boom", "boom", "panics", "test"),
            boom,
        )
    })
    .await;
    let admin = app.login_as("admin").await;
    let leaks = |t: &str| {
        ["sqlx", "SELECT", "/work", "panicked", "src/", "injected"]
            .iter()
            .any(|w| t.contains(w))
    };

    let r = admin.get("/api/test/boom").await;
    assert_eq!(
        (r.status.as_u16(), r.json()["code"].as_str()),
        (500, Some("internal"))
    );
    assert!(!leaks(&r.text), "{}", r.text);
    assert_eq!(
        admin.get("/api/health").await.status,
        200,
        "the server keeps serving"
    );

    app.store
        .faults
        .permission_lookup
        .store(true, Ordering::Relaxed);
    let r = admin.get("/api/students").await;
    assert_eq!(r.status, 500);
    assert!(!leaks(&r.text) && !r.text.contains("items"));
    app.store
        .faults
        .permission_lookup
        .store(false, Ordering::Relaxed);

    app.store
        .faults
        .session_store
        .store(true, Ordering::Relaxed);
    let r = admin.get("/api/students").await;
    assert!(!r.status.is_success() && !r.text.contains("items"));
    app.store
        .faults
        .session_store
        .store(false, Ordering::Relaxed);

    app.store.faults.audit_write.store(true, Ordering::Relaxed);
    let before = app.store.count(&SCHOOLS).await.unwrap();
    let r = admin
        .send(
            Method::POST,
            "/api/schools",
            Some(json!({"code": "77", "name": "故障学院"})),
        )
        .await;
    assert_eq!(r.status, 500);
    assert_eq!(
        app.store.count(&SCHOOLS).await.unwrap(),
        before,
        "no change without its audit entry"
    );
    let r = admin
        .send(
            Method::POST,
            &format!("/api/students/{}/reveal", app.fx.student[0]),
            Some(json!({"field": "id_number", "reason": "办理实习责任保险"})),
        )
        .await;
    assert_eq!(r.status, 500);
    assert!(
        !r.text.contains(&secrets()[0]),
        "nothing revealed without its audit entry"
    );
    app.store.faults.audit_write.store(false, Ordering::Relaxed);
}

#[tokio::test]
async fn enterprise_mentor_walking_every_student_id_sees_only_their_own_without_identifiers() {
    let app = spawn_app().await;
    let mentor = app.login_as("mentor").await;
    let max = app.fx.student[1] + 5;
    let mut seen = Vec::new();
    for id in 1..=max {
        let r = mentor.get(&format!("/api/students/{id}")).await;
        if r.status == 200 {
            let v = r.json();
            for f in ["id_number", "phone", "home_region", "address"] {
                assert!(v.get(f).is_none(), "{f} shown to an enterprise user");
            }
            seen.push(id);
        } else {
            assert_eq!(r.status, 404);
        }
    }
    assert_eq!(seen, vec![app.fx.student[0]]);
    let list = mentor.get("/api/students").await.json();
    assert_eq!(list["total"], 1);
    // Staff see masked values, never the full ones (the scan in every request checks that too).
    let staff = app.login_as("aa").await;
    let v = staff
        .get(&format!("/api/students/{}", app.fx.student[0]))
        .await
        .json();
    assert_eq!(v["phone"], "138****5678");
    assert_eq!(v["id_number"].as_str().unwrap().len(), 18);
    assert!(v["id_number"]
        .as_str()
        .unwrap()
        .starts_with("5001**********"));
}

#[tokio::test]
async fn every_read_route_as_every_role_leaks_nothing() {
    let app = spawn_app().await;
    for role in ROLES {
        let s = app.login_as(role).await;
        for spec in skillbridge_web::routes()
            .specs
            .iter()
            .filter(|s| s.method == "get")
        {
            for id in [
                1,
                app.fx.student[0],
                app.fx.student[1],
                app.fx.teacher,
                app.fx.mentor_contact,
            ] {
                let path = spec.path.replace("{id}", &id.to_string());
                let r = s.get(&path).await;
                assert!(r.status.as_u16() < 500, "{role} {path}: {}", r.status);
            }
        }
    }
    scan_new_logs();
}
