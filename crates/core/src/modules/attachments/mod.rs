//! One attachment store for every module (issue 10 §11): evidence, photos, courseware and
//! documents, kept as content-addressed files beside the database. This folder holds the rules
//! without I/O: which media types are accepted and how their bytes must begin
//! ([`MediaType::sniff`]), which file names are accepted ([`check_name`]), where a file lives in
//! the store ([`shard_path`]), how a download names its file ([`content_disposition`]) and how a
//! `Range` header is answered ([`parse_range`]).
//!
//! An attachment belongs to one owning record (`owner`, `owner_id`): whoever may read the owner
//! may read its attachments, and nobody else. The store module applies that rule
//! (`crates/store/src/modules/attachments/`); the module has no record types or permissions of
//! its own to scope.

mod rules;
pub use rules::*;

use super::Module;
use crate::access::{Action, Role, RowScope};

pub static MODULE: Module = Module {
    name: "attachments",
    zh: "附件",
    en: "Attachments",
    records: &[],
    permissions: &[],
    scope,
    menu: &[],
    personal: &[],
    subject_links: &[],
};

/// Owns no names: attachments are read and written under their owner's scope.
fn scope(_role: &Role, _action: Action, _resource: &str) -> Option<RowScope> {
    None
}
