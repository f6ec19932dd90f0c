//! The store's half of each module: the SQL of its row scopes, its write hooks, and its own
//! queries (workflows, calendars). One folder per module, named as in `skillbridge_core::modules`.
//!
//! The generic record paths (`records.rs`: create, update, delete, bulk insert) never name a
//! record type: they ask [`of`] for the module that owns it and call its [`WriteHooks`] from one
//! place, inside the write's transaction.

pub(crate) mod accounts;
pub(crate) mod adjuncts;
pub(crate) mod attachments;
pub(crate) mod audit;
pub(crate) mod bases;
pub(crate) mod college;
pub(crate) mod competitions;
pub(crate) mod international;
pub(crate) mod order_classes;
pub(crate) mod partners;
pub(crate) mod plans;
pub(crate) mod privacy;
pub(crate) mod reference;
pub(crate) mod research;
pub(crate) mod resources;
pub(crate) mod status_changes;
pub(crate) mod todos;

use crate::records::Sql;
use crate::{Result, Store};
use serde_json::{Map, Value};
use skillbridge_core::access::{Actor, RowScope};
use skillbridge_core::modules::Module;
use skillbridge_core::schema::{Record, ResourceDef};
use std::future::Future;
use std::pin::Pin;

/// The write transaction every audited write runs in.
pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// What a hook returns: a future borrowing its arguments.
pub(crate) type HookFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

fn done<'a>() -> HookFuture<'a, ()> {
    Box::pin(std::future::ready(Ok(())))
}

/// A module's write-time rules that need the database. The generic paths call them, for every
/// record type of the module, in this order:
/// - create: [`create_locks`](Self::create_locks) → [`lock`](Self::lock) → (uniqueness) →
///   [`check_writer`](Self::check_writer) → [`before_write`](Self::before_write) → insert;
/// - update: [`update_locks`](Self::update_locks) (before the transaction) → [`lock`](Self::lock)
///   → (read, validate, uniqueness) → [`check_writer`](Self::check_writer) →
///   [`before_write`](Self::before_write) → update, audited as
///   [`update_action`](Self::update_action);
/// - bulk insert: [`before_bulk_insert`](Self::before_bulk_insert) → insert.
///
/// Every method has a default that does nothing, so a module implements only what it needs.
pub(crate) trait WriteHooks: Sync {
    /// Keys (of the module's choosing) to lock before a new record is checked.
    fn create_locks(&self, _def: &ResourceDef, _rec: &Record) -> Vec<i64> {
        Vec::new()
    }

    /// Keys to lock before record `id` is changed by `patch`; read before the transaction.
    fn update_locks<'a>(
        &'a self,
        _store: &'a Store,
        _def: &'a ResourceDef,
        _id: i64,
        _patch: &'a Map<String, Value>,
    ) -> HookFuture<'a, Vec<i64>> {
        Box::pin(std::future::ready(Ok(Vec::new())))
    }

    /// Takes the locks, first thing in the write transaction.
    fn lock<'a>(
        &'a self,
        _store: &'a Store,
        _tx: &'a mut Tx,
        _keys: &'a [i64],
    ) -> HookFuture<'a, ()> {
        done()
    }

    /// The module's checks against the database before `rec` is written (`id` is the record
    /// changed, `None` for a new one; `locked` the keys taken).
    fn before_write<'a>(
        &'a self,
        _store: &'a Store,
        _tx: &'a mut Tx,
        _def: &'a ResourceDef,
        _rec: &'a Record,
        _id: Option<i64>,
        _locked: &'a [i64],
    ) -> HookFuture<'a, ()> {
        done()
    }

    /// The module's rules on who may write `rec` that need the writer and the stored record
    /// (`old`, `None` for a new one): a booking in the past needs the right to backdate. Runs
    /// in the write transaction, after the record is validated and before
    /// [`before_write`](Self::before_write).
    fn check_writer<'a>(
        &'a self,
        _store: &'a Store,
        _tx: &'a mut Tx,
        _actor: &'a Actor,
        _def: &'a ResourceDef,
        _rec: &'a Record,
        _old: Option<&'a Record>,
    ) -> HookFuture<'a, ()> {
        done()
    }

    /// The same for many new records at once (a bulk load), in order.
    fn before_bulk_insert<'a>(
        &'a self,
        _store: &'a Store,
        _tx: &'a mut Tx,
        _def: &'a ResourceDef,
        _recs: &'a [Record],
    ) -> HookFuture<'a, ()> {
        done()
    }

    /// Whether rows of `def` may be written by a path that cannot run these hooks (unaudited
    /// reference loads, spreadsheet imports). `false` for a record type with write-time checks.
    fn allows_unchecked_insert(&self, _def: &ResourceDef) -> bool {
        true
    }

    /// Whether `actor` may attach files to record `owner_id` of `def`, inside the attachment's
    /// write transaction: `Ok(true)` allowed by the module's own rule, `Denied` / `NotFound` as
    /// for any write, `Ok(false)` (the default) for the rule of `modules/attachments`: whoever
    /// may update the owner row may attach.
    fn attach_check<'a>(
        &'a self,
        _store: &'a Store,
        _tx: &'a mut Tx,
        _actor: &'a skillbridge_core::access::Actor,
        _def: &'a ResourceDef,
        _owner_id: i64,
    ) -> HookFuture<'a, bool> {
        Box::pin(std::future::ready(Ok(false)))
    }

    /// Refuses deleting record `id` of `def` (a record type of another module, usually) while
    /// this module keeps something that must outlive it; called for every module before any
    /// delete, inside its transaction.
    fn before_delete<'a>(
        &'a self,
        _store: &'a Store,
        _tx: &'a mut Tx,
        _def: &'a ResourceDef,
        _id: i64,
    ) -> HookFuture<'a, ()> {
        done()
    }

    /// A file attached to record `owner_id` of `def` was served from its first byte (a
    /// download, not the continuation of one); modules that count usage count it here.
    fn on_download<'a>(
        &'a self,
        _store: &'a Store,
        _def: &'a ResourceDef,
        _owner_id: i64,
    ) -> HookFuture<'a, ()> {
        done()
    }

    /// The audit action of a change (`update` unless the module names it: `cancel`).
    fn update_action(&self, _def: &ResourceDef, _old: &Record, _new: &Record) -> &'static str {
        "update"
    }
}

/// Declares a module's view of the store (`store.bases()`), in the manner of per-domain handler
/// traits: the module's own queries and workflows are methods of the view, and the shared
/// machinery (transactions, the audit, the generic record paths) is reached through `Deref`.
macro_rules! store_view {
    ($(#[$doc:meta])* $view:ident, $method:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $view<'a>(&'a crate::Store);

        impl std::ops::Deref for $view<'_> {
            type Target = crate::Store;
            fn deref(&self) -> &crate::Store {
                self.0
            }
        }

        impl crate::Store {
            $(#[$doc])*
            pub fn $method(&self) -> $view<'_> {
                $view(self)
            }
        }
    };
}
pub(crate) use store_view;

/// A module that has no write-time rules of its own.
pub(crate) struct NoHooks;
impl WriteHooks for NoHooks {}

/// The store's half of a module.
pub(crate) struct StoreModule {
    /// The module's declaration in core.
    pub core: &'static Module,
    /// The SQL condition (over the record type's table, unqualified columns) for one scope that
    /// is not `All`; `None` for a pair the module does not grant, which becomes `1 = 0`.
    pub scope_sql: fn(&str, RowScope, &mut Sql) -> Option<String>,
    pub hooks: &'static dyn WriteHooks,
}

/// Every module's store half, in the order of `skillbridge_core::modules::MODULES`.
pub(crate) static MODULES: &[&StoreModule] = &[
    &reference::MODULE,
    &college::MODULE,
    &partners::MODULE,
    &bases::MODULE,
    &order_classes::MODULE,
    &adjuncts::MODULE,
    &attachments::MODULE,
    &status_changes::MODULE,
    &competitions::MODULE,
    &international::MODULE,
    &research::MODULE,
    &resources::MODULE,
    &accounts::MODULE,
    &audit::MODULE,
    &todos::MODULE,
    &privacy::MODULE,
    &plans::MODULE,
];

/// The store half of the module that owns `name` (a record type or permission).
pub(crate) fn of(name: &str) -> Option<&'static StoreModule> {
    MODULES.iter().copied().find(|m| m.core.owns(name))
}

/// The write hooks for a record type (none for an unknown one).
pub(crate) fn hooks(def: &ResourceDef) -> &'static dyn WriteHooks {
    of(def.name).map_or(&NoHooks, |m| m.hooks)
}

/// No scope beyond `All`: reference data and accounts.
pub(crate) fn no_scope_sql(_: &str, _: RowScope, _: &mut Sql) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_module_has_its_store_half_in_the_same_order() {
        let core: Vec<&str> = skillbridge_core::modules::MODULES
            .iter()
            .map(|m| m.name)
            .collect();
        let store: Vec<&str> = MODULES.iter().map(|m| m.core.name).collect();
        assert_eq!(core, store);
    }
}
