//! Login and health under load (issue 9, items 1 and 2): the cap on concurrent password
//! checks, the cached health answer, the per-address limit on public routes, and the
//! admin-only database check. Each test fails when its guard is removed.

mod common;
use common::*;
use reqwest::Method;
use serde_json::json;
use skillbridge_web::WebConfig;
use std::sync::atomic::Ordering;

/// Many parallel sign-ins for unknown usernames with room for two password checks: the excess
/// is answered 503 with `Retry-After` and the code `busy`, nothing is a 500, every unknown user
/// that got an answer cost one verification (the dummy hash, in the same gate), and no more
/// than two checks ever ran at once.
#[tokio::test]
async fn unknown_user_flood_is_capped_by_the_password_gate() {
    let cfg = WebConfig {
        login_rate_per_minute: 100_000,
        // 38 MiB: two checks of 19 MiB.
        password_memory_mib: 38,
        password_wait_ms: 50,
        ..WebConfig::default()
    };
    assert_eq!(cfg.password_check_cap(), 2);
    let app = spawn_with(cfg, |a| a).await;
    let counters = app.store.counters.clone();
    let before = counters.password_checks.load(Ordering::SeqCst);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let s = app.anon();
        tasks.push(tokio::spawn(async move {
            s.send(
                Method::POST,
                "/api/auth/login",
                Some(
                    json!({"username": format!("nobody{i}"), "password": "a guess of some length"}),
                ),
            )
            .await
        }));
    }
    let mut replies = Vec::new();
    for t in tasks {
        replies.push(t.await.unwrap());
    }
    let count = |code: u16| replies.iter().filter(|r| r.status == code).count();
    let (refused, busy) = (count(401), count(503));
    assert_eq!(
        refused + busy,
        40,
        "only 401 and 503: {:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(busy > 0, "with room for two checks, some of 40 are busy");
    assert!(refused > 0, "and some are checked");
    for r in replies.iter().filter(|r| r.status == 503) {
        assert_eq!(r.json()["code"], "busy", "{}", r.text);
        assert_eq!(r.headers["retry-after"], "2");
    }
    let checked = counters.password_checks.load(Ordering::SeqCst) - before;
    assert_eq!(
        checked as usize, refused,
        "each answered unknown user cost one verification; a busy one none"
    );
    let peak = counters.password_checks_peak.load(Ordering::SeqCst);
    assert!(
        (1..=2).contains(&peak),
        "{peak} password checks ran at once"
    );
    assert_eq!(counters.password_checks_in_flight.load(Ordering::SeqCst), 0);
    // Every busy answer is a refusal in the trail, singly or aggregated.
    assert_eq!(refusals(&app, "login_failed", "busy").await, busy as u64);
}

/// The refusals in the trail with this action and outcome, aggregated entries counted by their
/// number (reading the trail writes the queued refusals first).
async fn refusals(app: &App, action: &str, outcome: &str) -> u64 {
    app.store
        .audit_trail()
        .list(
            &skillbridge_core::access::Actor::system(),
            Some(action),
            10_000,
            0,
        )
        .await
        .unwrap()
        .iter()
        .filter(|e| e.outcome == outcome)
        .map(skillbridge_core::audit::AuditEntry::refusals)
        .sum()
}

/// A sign-in refused as busy has not used one of the account's attempts: the gate is passed
/// before the attempt is counted.
#[tokio::test]
async fn a_busy_answer_does_not_count_towards_the_lockout() {
    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 100_000,
            password_memory_mib: 19,
            password_wait_ms: 1,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let s = app.anon();
        tasks.push(tokio::spawn(async move {
            s.send(
                Method::POST,
                "/api/auth/login",
                Some(json!({"username": "leader", "password": "wrong password"})),
            )
            .await
            .status
            .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let wrong = statuses.iter().filter(|s| **s == 401).count();
    assert!(statuses.contains(&503), "{statuses:?}");
    let user = app.store.user_by_username("leader").await.unwrap().unwrap();
    // Fewer than five checked wrong guesses leave the account open with that many failures;
    // five or more lock it. Busy answers are not among them.
    if wrong < 5 {
        assert_eq!(user.failed_logins as usize, wrong, "{statuses:?}");
        assert!(user.locked_until.is_none());
    } else {
        assert!(user.locked_until.is_some());
    }
}

/// `GET /api/health` answers from memory plus `SELECT 1`, at most once a second: a hundred
/// concurrent calls share one query.
#[tokio::test]
async fn health_is_one_trivial_query_a_second_shared_by_concurrent_callers() {
    let app = spawn_app().await;
    let pings = || app.store.counters.pings.load(Ordering::SeqCst);
    let before = pings();
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let s = app.anon();
        tasks.push(tokio::spawn(async move { s.get("/api/health").await }));
    }
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["status"], "ok");
    }
    let asked = pings() - before;
    assert!(
        (1..=2).contains(&asked),
        "100 concurrent health calls asked the database {asked} times"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let before = pings();
    assert_eq!(app.anon().get("/api/health").await.status, 200);
    assert_eq!(
        pings() - before,
        1,
        "a second later the answer is asked again"
    );
}

/// The routes that need no session have their own per-address limit, answered 429 with
/// `Retry-After`; a spoofed `X-Forwarded-For` does not change the key; signed-in routes are
/// not counted.
#[tokio::test]
async fn public_routes_have_their_own_rate_limit() {
    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 1000,
            public_rate_per_minute: 6,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let admin = app.login_as("admin").await; // public request 1
    for path in ["/api/health", "/api/openapi.json", "/", "/api/health"] {
        assert_eq!(admin.get(path).await.status, 200, "{path}"); // 2..=5
    }
    for _ in 0..20 {
        assert_eq!(
            admin.get("/api/me").await.status,
            200,
            "signed-in routes are not counted"
        );
    }
    assert_eq!(app.anon().get("/api/health").await.status, 200); // 6
    let r = app.anon().get("/api/health").await;
    assert_eq!(
        (r.status.as_u16(), r.json()["code"].as_str()),
        (429, Some("rate_limited"))
    );
    assert_eq!(r.headers["retry-after"], "60");
    assert!(
        r.headers.contains_key("x-content-type-options"),
        "a 429 has the security headers too"
    );
    let origin = app.base.clone();
    let r = app
        .anon()
        .send_with(
            Method::POST,
            "/api/auth/login",
            Some(json!({"username": "admin", "password": PASSWORD})),
            &[("origin", &origin), ("x-forwarded-for", "203.0.113.77")],
        )
        .await;
    assert_eq!(
        r.status, 429,
        "sign-in is public; a spoofed header does not help"
    );
    assert_eq!(
        admin.get("/api/meta").await.status,
        200,
        "the session still works"
    );
    // Both refusals are in the trail, by address, never silently dropped.
    assert_eq!(refusals(&app, "public_request", "rate_limited").await, 2);
}

/// The integrity and foreign-key checks are an admin-only route (their rows of the
/// authorization table are in `authz.rs`); health no longer runs them.
#[tokio::test]
async fn the_database_check_is_for_administrators() {
    let app = spawn_app().await;
    let r = app.login_as("admin").await.get("/api/admin/check").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["integrity"], json!([]));
    assert_eq!(v["foreign_keys"], json!([]));
    assert_eq!(
        app.login_as("leader")
            .await
            .get("/api/admin/check")
            .await
            .status,
        403
    );
    assert_eq!(app.anon().get("/api/admin/check").await.status, 401);
}
