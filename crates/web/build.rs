//! Tells cargo when to re-embed the web pages. The pages are built by `npm run build` in `web/`
//! (never from here: no Node is needed to compile) and embedded from `web/dist` by rust-embed in
//! release builds (`assets.rs`); a proc macro cannot watch a folder, so this script does. When
//! `web/dist` does not exist yet, watching `web/` notices it being created.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    let dist = root.join("dist");
    if dist.is_dir() {
        println!("cargo:rerun-if-changed={}", dist.display());
    } else if root.is_dir() {
        println!("cargo:rerun-if-changed={}", root.display());
    }
    println!("cargo:rerun-if-changed=build.rs");
}
