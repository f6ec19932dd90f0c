//! The record descriptions (`skillbridge_core::schema::RESOURCES`) against the tables that the
//! migrations build, on whichever backend `SKILLBRIDGE_TEST_DATABASE_URL` names (SQLite when
//! unset; `.ci/run` runs it on PostgreSQL too). The migrations are a third copy of every table's
//! shape; this test keeps them in step with the descriptions. For each resource, read from the
//! database's catalog (`Store::table_shape`):
//!
//! - columns: exactly `id`, the fields and `created_at`, `updated_at`;
//! - types: integer columns exactly for the fields whose `Kind::is_integer`;
//! - nullability: `NOT NULL` exactly for the `required` fields (and the implicit columns);
//! - uniqueness: a one-column unique key exactly for the `unique` fields;
//! - references: a foreign key to the referenced table exactly for `Kind::Ref` (to its `id`) and
//!   `Kind::RefCode` (to its code column).
//!
//! And every unique key of the database is one that `unique_keys()` lists (on PostgreSQL under
//! its constraint name), so that a unique violation always maps to its fields.
//!
//! It iterates over `RESOURCES`, so a new record type is covered without touching this file.

use skillbridge_core::modules::college::STUDENTS;
use skillbridge_core::schema::{self, Kind};
use skillbridge_store::testing::{backend_name, TestDb};
use skillbridge_store::{unique_keys, Backend, TableShape};

fn table_of(resource: &str) -> &str {
    schema::resource(resource)
        .map(|d| d.table)
        .unwrap_or(resource)
}

/// Every mismatch between one description and its table, each naming table, column and what
/// differs.
fn compare(def: &schema::ResourceDef, shape: &TableShape, out: &mut Vec<String>) {
    let t = def.table;
    if shape.columns.is_empty() {
        out.push(format!("{t}: no such table in the migrations"));
        return;
    }
    let column = |name: &str| shape.columns.iter().find(|c| c.0 == name);
    // The implicit columns.
    for (name, integer) in [("id", true), ("created_at", false), ("updated_at", false)] {
        match column(name) {
            None => out.push(format!("{t}.{name}: column missing")),
            Some((_, int, not_null)) => {
                if *int != integer {
                    out.push(format!(
                        "{t}.{name}: stored as {}, expected {}",
                        kind_text(*int),
                        kind_text(integer)
                    ));
                }
                if !not_null {
                    out.push(format!("{t}.{name}: nullable, expected NOT NULL"));
                }
            }
        }
    }
    if shape.primary_key != ["id"] {
        out.push(format!(
            "{t}: primary key {:?}, expected [\"id\"]",
            shape.primary_key
        ));
    }
    // The fields.
    for f in def.fields {
        let Some((_, int, not_null)) = column(f.name) else {
            out.push(format!(
                "{t}.{}: described, but no such column in the migrations",
                f.name
            ));
            continue;
        };
        if *int != f.kind.is_integer() {
            out.push(format!(
                "{t}.{}: stored as {}, but the description's kind {:?} is {}",
                f.name,
                kind_text(*int),
                f.kind,
                kind_text(f.kind.is_integer())
            ));
        }
        if *not_null != f.required {
            out.push(format!(
                "{t}.{}: {} in the migrations, but the description says required = {}",
                f.name,
                if *not_null { "NOT NULL" } else { "nullable" },
                f.required
            ));
        }
        // A personal field is stored encrypted (`compare_personal`).
        let personal = f.pii != schema::Pii::None;
        let bidx = format!("{}_bidx", f.name);
        if personal {
            compare_personal(t, f, &bidx, shape, out);
        }
        let unique_col = if personal { bidx.as_str() } else { f.name };
        let unique_alone = shape
            .unique
            .iter()
            .any(|(_, cols)| cols.len() == 1 && cols[0] == unique_col);

        if unique_alone != f.unique {
            out.push(format!(
                "{t}.{}: {} in the migrations, but the description says unique = {}",
                f.name,
                if unique_alone { "UNIQUE" } else { "not unique" },
                f.unique
            ));
        }
        let expected = match f.kind {
            _ if personal => None,
            Kind::Ref(r) => Some((table_of(r), "id")),
            Kind::RefCode { resource, column } => Some((table_of(resource), column)),
            _ => None,
        };
        let found: Vec<(&str, &str)> = shape
            .references
            .iter()
            .filter(|(c, _, _)| c == f.name)
            .map(|(_, rt, rc)| (rt.as_str(), rc.as_str()))
            .collect();
        match (expected, found.as_slice()) {
            (None, []) => {}
            (Some(e), [one]) if e == *one => {}
            (e, found) => out.push(format!(
                "{t}.{}: references {found:?} in the migrations, but the description's kind {:?} \
                 expects {}",
                f.name,
                f.kind,
                e.map_or("none".to_string(), |(rt, rc)| format!("{rt}({rc})"))
            )),
        }
    }
    compare_extra_columns(def, shape, out);
}

/// Columns of the table that the description does not have (a personal field's blind index
/// column excepted).
fn compare_extra_columns(def: &schema::ResourceDef, shape: &TableShape, out: &mut Vec<String>) {
    let t = def.table;
    for (name, _, _) in &shape.columns {
        let is_bidx = name
            .strip_suffix("_bidx")
            .and_then(|base| def.field(base))
            .is_some_and(|f| f.pii != schema::Pii::None);
        if !def.has_column(name) && !is_bidx {
            out.push(format!(
                "{t}.{name}: column in the migrations, but not in the description"
            ));
        }
    }
}

/// A personal field is stored encrypted: its blind index column (`<name>_bidx`) must exist and
/// carry its uniqueness, never the column of ciphertexts; and a personal code refers to nothing
/// (an encrypted code matches no row; the store checks it before writing, see `compare`).
fn compare_personal(
    t: &str,
    f: &schema::Field,
    bidx: &str,
    shape: &TableShape,
    out: &mut Vec<String>,
) {
    if !shape.columns.iter().any(|c| c.0 == bidx) {
        out.push(format!(
            "{t}.{}: personal, but no blind index column {bidx} in the migrations",
            f.name
        ));
    }
    if shape
        .unique
        .iter()
        .any(|(_, cols)| cols.len() == 1 && cols[0] == f.name)
    {
        out.push(format!(
            "{t}.{}: personal, so its values are ciphertexts; unique must be on {bidx}",
            f.name
        ));
    }
}

fn kind_text(integer: bool) -> &'static str {
    if integer {
        "integer"
    } else {
        "text"
    }
}

/// Every unique key of `table` in the database is listed by `unique_keys()` (and, on PostgreSQL,
/// under the name the mapping expects), and every listed key of `table` exists.
fn compare_unique_keys(table: &str, shape: &TableShape, backend: Backend, out: &mut Vec<String>) {
    let listed: Vec<_> = unique_keys()
        .into_iter()
        .filter(|k| k.table == table)
        .collect();
    for (name, cols) in &shape.unique {
        match listed.iter().find(|k| k.stored_columns() == *cols) {
            None => out.push(format!(
                "{table}: unique key {name:?} on {cols:?} is not listed in backend::unique_keys, \
                 so its violation would not name its fields"
            )),
            Some(k) if backend == Backend::Postgres && k.postgres_name() != *name => {
                out.push(format!(
                    "{table}: unique key on {cols:?} is named {name:?}, but backend::unique_keys \
                     expects {:?}",
                    k.postgres_name()
                ))
            }
            Some(_) => {}
        }
    }
    for k in &listed {
        if !shape
            .unique
            .iter()
            .any(|(_, cols)| *cols == k.stored_columns())
        {
            out.push(format!(
                "{table}: backend::unique_keys lists a unique key on {:?} that the migrations \
                 do not have",
                k.columns
            ));
        }
    }
}

#[tokio::test]
async fn every_record_description_matches_both_migration_schemas() {
    let db = TestDb::new().await.expect("test database");
    let store = db.open().await.expect("open store");
    eprintln!(
        "schema against migrations on {} ({} record types)",
        backend_name(),
        schema::RESOURCES.len()
    );
    let mut problems = Vec::new();
    let mut tables: Vec<&str> = Vec::new();
    for def in schema::RESOURCES {
        let shape = store.table_shape(def.table).await.expect("catalog");
        compare(def, &shape, &mut problems);
        compare_unique_keys(def.table, &shape, store.backend(), &mut problems);
        tables.push(def.table);
    }
    // Tables outside the descriptions that hold a listed unique key (users).
    for k in unique_keys() {
        if !tables.contains(&k.table) {
            let shape = store.table_shape(k.table).await.expect("catalog");
            compare_unique_keys(k.table, &shape, store.backend(), &mut problems);
            tables.push(k.table);
        }
    }
    assert!(
        problems.is_empty(),
        "{} mismatches between the record descriptions and the migrations on {}:\n  {}",
        problems.len(),
        backend_name(),
        problems.join("\n  ")
    );
}

/// The comparison itself fails on a mismatch: a description that differs from its table in each
/// way is reported, naming table, column and the difference.
#[tokio::test]
async fn a_mismatch_is_reported_by_table_and_column() {
    let db = TestDb::new().await.expect("test database");
    let store = db.open().await.expect("open store");
    let def = &STUDENTS;
    let mut shape = store.table_shape(def.table).await.expect("catalog");
    let mut problems = Vec::new();
    compare(def, &shape, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    // Break the shape read from the database in each way the test checks.
    let col = |shape: &mut TableShape, name: &str| {
        shape.columns.iter().position(|c| c.0 == name).unwrap()
    };
    let i = col(&mut shape, "student_no");
    shape.columns[i].2 = false; // nullable
    let i = col(&mut shape, "name");
    shape.columns[i].1 = true; // integer
    shape.columns.push(("nickname".into(), false, false));
    shape.unique.retain(|(_, c)| c != &["id_number_bidx"]);
    shape
        .unique
        .push(("students_phone_key".into(), vec!["phone".into()]));
    let gone = col(&mut shape, "address_bidx");
    shape.columns.remove(gone);
    shape.references.retain(|(c, _, _)| c != "class_id");
    let gone = col(&mut shape, "gender");
    shape.columns.remove(gone);
    compare(def, &shape, &mut problems);
    let joined = problems.join("\n");
    for want in [
        "students.student_no: nullable in the migrations, but the description says required = true",
        "students.name: stored as integer",
        "students.nickname: column in the migrations, but not in the description",
        "students.id_number: not unique in the migrations, but the description says unique = true",
        "students.class_id: references []",
        "students.gender: described, but no such column",
        "students.phone: personal, so its values are ciphertexts; unique must be on phone_bidx",
        "students.address: personal, but no blind index column address_bidx",
    ] {
        assert!(joined.contains(want), "missing {want:?} in:\n{joined}");
    }
    assert_eq!(problems.len(), 8, "{joined}");
}
