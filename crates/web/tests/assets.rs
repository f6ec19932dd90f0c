//! The embedded web pages: `/` and every file under `/assets/` serve 200 with the right content
//! type and caching; missing or malformed names answer the API's JSON 404. Without a built
//! `web/dist` (a clean clone without Node), `/` serves the page that explains how to build it.

mod common;
use common::*;
use skillbridge_web::assets::{asset_names, built, content_type};

#[tokio::test]
async fn every_embedded_asset_is_served_with_its_content_type() {
    let app = spawn_app().await;
    let anon = app.anon();

    let home = anon.get("/").await;
    assert_eq!(home.status, 200);
    assert_eq!(home.headers["cache-control"], "no-cache");
    assert!(home.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(home.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));

    let names = asset_names();
    if built() {
        assert!(
            home.text.contains("<div id=\"app\">"),
            "index.html is served: {}",
            home.text
        );
        assert!(!names.is_empty());
        // Every file index.html names is there.
        for part in home.text.split("/assets/").skip(1) {
            let name = &part[..part.find('"').unwrap()];
            assert!(
                names.iter().any(|n| n == name),
                "index.html names a missing asset {name}"
            );
        }
    } else {
        assert!(
            home.text.contains("npm run build"),
            "the how-to-build page: {}",
            home.text
        );
        assert!(names.is_empty());
        eprintln!("web/dist is not built: only the fallback page was checked");
    }

    for name in &names {
        let r = anon.get(&format!("/assets/{name}")).await;
        assert_eq!(r.status, 200, "{name}");
        assert_eq!(r.headers["content-type"], content_type(name), "{name}");
        assert_ne!(
            r.headers["content-type"], "application/octet-stream",
            "{name} has a known type"
        );
        assert_eq!(
            r.headers["cache-control"], "public, max-age=31536000, immutable",
            "{name}"
        );
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert!(!r.text.is_empty(), "{name}");
    }
}

#[tokio::test]
async fn missing_and_malformed_asset_names_are_json_404s() {
    let app = spawn_app().await;
    let anon = app.anon();
    for path in [
        "/assets/no-such-file.js",
        "/assets/..%2Findex.html",
        "/assets/a..b.js",
        "/assets/a%2Fb.js",
        "/assets/..%5Cindex.html",
        "/assets/.hidden",
        "/assets/sub/dir.js",
        "/index.html",
        "/api/no-such-route",
    ] {
        let r = anon.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.json()["code"], "not_found", "{path}: {}", r.text);
        assert!(
            r.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{path}"
        );
    }
}
