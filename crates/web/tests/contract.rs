//! The router and the OpenAPI document agree, method by method (SECURITY goal 25).
//!
//! Routes enter the router only through `Api::add` (the router field is crate-private), which
//! also puts them in the document; `security.rs` checks that the document lists each of them.
//! This test asks the running server itself: on every documented path, each documented method
//! is served (not 405; a route that needs a session answers an anonymous caller 401, so its
//! handler was reached) and each undocumented one of GET, POST, PUT, PATCH and DELETE is answered
//! 405 (a path the router does not have would answer the fallback's 404 instead).
//! `.ci/schemathesis.sh` asks the same of the other methods (`unsupported_method`).

mod common;
use common::*;
use reqwest::Method;
use std::collections::{BTreeMap, BTreeSet};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// A concrete path for a documented one: `{id}` becomes an id no row has, other parameters a word.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|seg| match seg {
            "{id}" => "999999999",
            s if s.starts_with('{') => "x",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_documented_operation_is_served_and_no_other_method_is() {
    let app = spawn_app().await;
    let anon = app.anon();
    let doc = anon.get("/api/openapi.json").await.json();
    let mut documented: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            assert!(
                METHODS.contains(&method.as_str()),
                "{method} {path}: a method the router cannot serve"
            );
            let public = op["security"].as_array().is_some_and(Vec::is_empty);
            documented
                .entry(path.clone())
                .or_default()
                .insert(format!("{method}{}", if public { " public" } else { "" }));
        }
    }
    assert!(documented.len() > 50, "too few paths: {}", documented.len());
    let mut problems = Vec::new();
    for (path, ops) in &documented {
        let url = concrete(path);
        for m in METHODS {
            let public = ops.contains(&format!("{m} public"));
            let listed = public || ops.contains(m);
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let status = anon.send(method, &url, None).await.status.as_u16();
            match (listed, public) {
                (true, true) if status == 405 => {
                    problems.push(format!("{m} {path} is documented but answered 405"));
                }
                (true, false) if status != 401 => problems.push(format!(
                    "{m} {path} is documented as needing a session but answered {status} without one"
                )),
                (false, _) if status != 405 => problems.push(format!(
                    "{m} {path} is not documented but answered {status}, not 405"
                )),
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn a_path_the_router_lacks_is_not_taken_for_a_served_one() {
    // The control for the test above: an undocumented path answers the fallback's 404 to every
    // method, never 405, so "405 on an undocumented method" does show the path is routed.
    let app = spawn_app().await;
    let anon = app.anon();
    for m in METHODS {
        let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
        let r = anon.send(method, "/api/no_such_resource/1/x", None).await;
        assert_eq!(r.status.as_u16(), 404, "{m}");
    }
}

/// The field codes of a 422 answer.
fn field_codes(r: &Reply) -> Vec<(String, String)> {
    assert_eq!(r.status.as_u16(), 422, "{}", r.text);
    r.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(f: &str, c: &str) -> (String, String) {
    (f.to_string(), c.to_string())
}

// Regression tests of what schemathesis found (`.ci/schemathesis.sh`): requests the document
// forbids were accepted. Each is now refused with a field error.

#[tokio::test]
async fn a_number_or_boolean_for_a_text_field_is_refused() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let r = admin
        .send(
            Method::POST,
            "/api/schools",
            Some(serde_json::json!({"name": 0})),
        )
        .await;
    assert!(field_codes(&r).contains(&pair("name", "wrong_type")));
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/schools/{}", app.fx.school[0]),
            Some(serde_json::json!({"name": false})),
        )
        .await;
    assert_eq!(field_codes(&r), [pair("name", "wrong_type")]);
    // The school kept its name.
    let s = admin
        .get(&format!("/api/schools/{}", app.fx.school[0]))
        .await
        .json();
    assert_ne!(s["name"], "false");
}

#[tokio::test]
async fn a_body_that_is_an_array_is_refused() {
    // serde takes a struct from an array of its fields in order: `[null, null]` was a valid
    // change of an account.
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/users/{}", app.fx.spare_user),
            Some(serde_json::json!([null, null])),
        )
        .await;
    assert_eq!(field_codes(&r), [pair("", "wrong_type")]);
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/users/{}", app.fx.spare_user),
            Some(serde_json::json!({"disabled": false})),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
}

#[tokio::test]
async fn paging_out_of_the_documented_range_is_refused_not_clamped() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let r = admin.get("/api/audit?offset=-1").await;
    assert_eq!(field_codes(&r), [pair("offset", "out_of_range")]);
    assert_eq!(admin.get("/api/audit?offset=0").await.status.as_u16(), 200);
    let r = admin.get("/api/allocation/runs/1/review?limit=0").await;
    assert_eq!(field_codes(&r), [pair("limit", "out_of_range")]);
}
