//! The web pages: `web/dist` (built by `npm run build` in `web/`), embedded into the binary.
//!
//! - `GET /` serves `index.html` (`no-cache`: it names the current hashed files), or, when the
//!   pages were not built before compiling, `home.html`, which says how to build them.
//! - `GET /assets/{file}` serves the hashed files, cached for a year (a new build has new names).
//!   Only flat file names are served: a name with `/`, `\` or `..` is refused.
//!
//! rust-embed reads the folder at compile time in release builds and from disk in debug builds;
//! `allow_missing` lets the crate compile on a clean clone without Node. `build.rs` makes cargo
//! re-embed when `web/dist` changes.

use crate::api::{Api, RouteSpec};
use crate::error::ApiError;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use rust_embed::RustEmbed;
use std::borrow::Cow;

#[derive(RustEmbed)]
// Relative to crates/web/Cargo.toml (without rust-embed's interpolate-folder-path feature, a
// `$CARGO_MANIFEST_DIR` here would not be expanded, and allow_missing would hide that).
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Dist;

/// How a file is served, from its extension.
pub fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether the pages were built into this binary.
pub fn built() -> bool {
    Dist::get("index.html").is_some()
}

/// The files served under `/assets/`, by name.
pub fn asset_names() -> Vec<String> {
    Dist::iter()
        .filter_map(|p| p.strip_prefix("assets/").map(str::to_string))
        .filter(|n| !n.contains('/'))
        .collect()
}

async fn index() -> Response {
    let no_cache = [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))];
    match Dist::get("index.html") {
        Some(f) => (
            no_cache,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            f.data,
        )
            .into_response(),
        None => (no_cache, Html(include_str!("home.html"))).into_response(),
    }
}

async fn asset(Path(file): Path<String>) -> Response {
    if file.is_empty() || file.contains(['/', '\\']) || file.contains("..") || file.starts_with('.')
    {
        return ApiError::NotFound.into_response();
    }
    let Some(f) = Dist::get(&format!("assets/{file}")) else {
        return ApiError::NotFound.into_response();
    };
    let body: Cow<'static, [u8]> = f.data;
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&file)),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /` and `GET /assets/{file}`.
pub fn routes(api: Api) -> Api {
    api.add(
        RouteSpec::new("get", "/", "home", "The web pages (index.html)", "pages").public(),
        index,
    )
    .add(
        RouteSpec::new(
            "get",
            "/assets/{file}",
            "asset",
            "A file of the web pages (scripts, styles, images)",
            "pages",
        )
        .public(),
        asset,
    )
}

#[cfg(test)]
mod tests {
    use super::content_type;

    #[test]
    fn content_types_by_extension() {
        assert_eq!(
            content_type("index-AbC1.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("index-AbC1.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("x.map"), "application/json");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
