//! The store half of the `bases` module: row scopes of bases and what belongs to them, and the
//! bookings' write hook: every path that writes a booking takes the base's lock and checks for
//! conflicts inside the write transaction (`bookings.rs`).

mod bookings;
pub use bookings::{BaseUtilisation, BookingView};

use super::{store_view, HookFuture, StoreModule, Tx, WriteHooks};
use crate::records::{Bind, Sql};
use crate::{Store, StoreError};
use serde_json::{Map, Value};
use skillbridge_core::access::{Actor, RowScope};
use skillbridge_core::modules::bases::{BOOKINGS, TRAINING_BASES};
use skillbridge_core::schema::{Record, ResourceDef};

store_view!(
    /// The training bases' own queries: a base's bookings and the utilisation report.
    Bases,
    bases
);

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::bases::MODULE,
    scope_sql,
    hooks: &BookingHooks,
};

fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    use RowScope::*;
    let int = |sql: &mut Sql, v: i64| sql.bind(Bind::Int(Some(v)));
    let base = resource == TRAINING_BASES.name;
    let bookings = resource == BOOKINGS.name;
    Some(match scope {
        School(s) if base => format!("school_id = {}", int(sql, s)),
        Org(o) if base => format!("partner_org_id = {}", int(sql, o)),
        // Programs served, equipment and bookings belong to a base.
        School(s) => format!(
            "base_id IN (SELECT id FROM training_bases WHERE school_id = {})",
            int(sql, s)
        ),
        Org(o) => format!(
            "base_id IN (SELECT id FROM training_bases WHERE partner_org_id = {})",
            int(sql, o)
        ),
        Teacher(t) if bookings => format!("staff_id = {}", int(sql, t)),
        Student(s) if bookings => format!(
            "class_id IN (SELECT class_id FROM students WHERE id = {} AND class_id IS NOT NULL)",
            int(sql, s)
        ),
        _ => return None,
    })
}

/// The bookings' lock and conflict check (other record types of the module have none).
struct BookingHooks;

fn is_booking(def: &ResourceDef) -> bool {
    def.name == BOOKINGS.name
}

fn base_of(rec: &Record) -> i64 {
    rec["base_id"].as_i64().unwrap_or(0)
}

impl WriteHooks for BookingHooks {
    fn create_locks(&self, def: &ResourceDef, rec: &Record) -> Vec<i64> {
        if is_booking(def) {
            vec![base_of(rec)]
        } else {
            Vec::new()
        }
    }

    fn update_locks<'a>(
        &'a self,
        store: &'a Store,
        def: &'a ResourceDef,
        id: i64,
        patch: &'a Map<String, Value>,
    ) -> HookFuture<'a, Vec<i64>> {
        Box::pin(async move {
            if !is_booking(def) {
                return Ok(Vec::new());
            }
            store.bases().booking_bases_for_update(id, patch).await
        })
    }

    fn lock<'a>(&'a self, store: &'a Store, tx: &'a mut Tx, keys: &'a [i64]) -> HookFuture<'a, ()> {
        Box::pin(async move {
            if keys.is_empty() {
                return Ok(());
            }
            store.bases().booking_lock(tx, keys).await
        })
    }

    fn before_write<'a>(
        &'a self,
        store: &'a Store,
        tx: &'a mut Tx,
        def: &'a ResourceDef,
        rec: &'a Record,
        id: Option<i64>,
        locked: &'a [i64],
    ) -> HookFuture<'a, ()> {
        Box::pin(async move {
            if !is_booking(def) {
                return Ok(());
            }
            if id.is_some() && !locked.contains(&base_of(rec)) {
                // The booking moved to another base since it was first read: try again.
                return Err(StoreError::changed_concurrently());
            }
            // A new booking, and a change of time or target or a reactivation, is checked.
            if id.is_none() || rec["status"] == "active" {
                store.bases().booking_check(tx, rec, id).await?;
            }
            Ok(())
        })
    }

    fn check_writer<'a>(
        &'a self,
        store: &'a Store,
        tx: &'a mut Tx,
        actor: &'a Actor,
        def: &'a ResourceDef,
        rec: &'a Record,
        old: Option<&'a Record>,
    ) -> HookFuture<'a, ()> {
        Box::pin(async move {
            if !is_booking(def) {
                return Ok(());
            }
            store
                .bases()
                .booking_backdate_check(tx, actor, rec, old)
                .await
        })
    }

    fn before_bulk_insert<'a>(
        &'a self,
        store: &'a Store,
        tx: &'a mut Tx,
        def: &'a ResourceDef,
        recs: &'a [Record],
    ) -> HookFuture<'a, ()> {
        Box::pin(async move {
            if !is_booking(def) {
                return Ok(());
            }
            // No booking is inserted without the conflict check, bulk loads included.
            store.bases().booking_check_many(tx, recs).await
        })
    }

    fn allows_unchecked_insert(&self, def: &ResourceDef) -> bool {
        !is_booking(def)
    }

    fn update_action(&self, def: &ResourceDef, old: &Record, new: &Record) -> &'static str {
        if is_booking(def) && old["status"] == "active" && new["status"] == "cancelled" {
            "cancel"
        } else {
            "update"
        }
    }
}
