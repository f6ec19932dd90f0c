//! The columns of a file that are not simply a field each, as the record type declares them
//! (`ResourceDef::import_columns`, `implied`, and the referenced table's `place_names`):
//! a region written by name, a program written by its code, a class that implies its program,
//! a birth date checked against the ID number.
//!
//! Everything it needs from the database is loaded once per import ([`Store::import_derive`]);
//! each row then costs hash lookups only. Nothing here names a record type: the facts come from
//! the declarations.

use crate::sheets::text_of;
use crate::{Result, Store, StoreError};
use serde_json::{Map, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::places::{ambiguous_message, PlaceIndex, PlaceNames, PlaceRow, Resolved};
use skillbridge_core::schema::{self, Field, Implied, ImportColumn, Kind, Record, ResourceDef};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Reports one problem: row, field (or import-only column), value, code, reason.
pub(crate) type Issue<'a> = dyn FnMut(usize, &str, &str, &str, String) + 'a;

/// A check-only column's value, as read from the row.
type Check = fn(&Value, &Record) -> Option<(&'static str, String)>;

/// One import-only column that names a reference by other keys (a program by its code).
struct RefBy {
    field: &'static Field,
    target: &'static str,
    keys: &'static [&'static str],
    /// Key text to the ids it names (several when two records share the text).
    ids: HashMap<String, Vec<i64>>,
}

struct Places {
    field: &'static str,
    decl: &'static PlaceNames,
    rows: Vec<(String, String, Option<String>)>,
    index: OnceLock<PlaceIndex>,
}

impl Places {
    fn index(&self) -> &PlaceIndex {
        self.index.get_or_init(|| {
            let rows = self.rows.iter().map(|(code, name, parent)| PlaceRow {
                code: code.clone(),
                name: name.clone(),
                parent: parent.clone(),
            });
            PlaceIndex::new(self.decl, rows)
        })
    }
}

/// What an import of one record type derives and cross-checks, loaded once.
pub(crate) struct Derive {
    /// Region-like fields written by name: the field, and its table's rows, indexed by name the
    /// first time a row writes a name rather than a code (a file of codes never pays for it).
    places: Vec<Places>,
    ref_by: Vec<RefBy>,
    /// Implied references, with the referenced record's column by id.
    implied: Vec<(&'static Implied, HashMap<i64, Value>)>,
    checks: Vec<(&'static Field, Check)>,
    /// Stored fields that must agree (`ResourceDef::import_checks`).
    cross: &'static [schema::ImportCheck],
}

/// The values of a row's import-only columns, taken out before the record is validated, and
/// the text written in the references that may be derived (to show it when they disagree).
pub(crate) type Extra = Vec<(&'static Field, String)>;

impl Store {
    /// Loads what [`Derive`] needs for `def`: place names, reference keys, implied columns.
    pub(crate) async fn import_derive(
        &self,
        actor: &Actor,
        def: &'static ResourceDef,
    ) -> Result<Derive> {
        let mut d = Derive {
            places: Vec::new(),
            ref_by: Vec::new(),
            implied: Vec::new(),
            checks: Vec::new(),
            cross: def.import_checks,
        };
        for f in def.fields {
            if let Kind::RefCode { resource, column } = f.kind {
                let target = schema::resource(resource).ok_or(StoreError::NotFound)?;
                if let Some(decl) = target.place_names {
                    let sql = format!(
                        "SELECT {column}, {}, {} FROM {}",
                        decl.name, decl.parent, target.table
                    );
                    let mut rows = Vec::new();
                    for r in sqlx::query(&sql).fetch_all(&self.pool).await? {
                        rows.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
                    }
                    d.places.push(Places {
                        field: f.name,
                        decl,
                        rows,
                        index: OnceLock::new(),
                    });
                }
            }
        }
        for c in def.import_columns {
            match c {
                ImportColumn::Check { field, check } => d.checks.push((field, *check)),
                ImportColumn::RefBy {
                    field,
                    target,
                    keys,
                } => {
                    let ids = self.key_ids(actor, def, target, keys).await?;
                    d.ref_by.push(RefBy {
                        field,
                        target,
                        keys,
                        ids,
                    });
                }
            }
        }
        for i in def.implied {
            let Some(Kind::Ref(r)) = def.field(i.from).map(|f| f.kind) else {
                return Err(StoreError::Config(format!("{}: {}", def.name, i.from)));
            };
            let t = schema::resource(r).ok_or(StoreError::NotFound)?;
            let sql = format!("SELECT id, {} FROM {}", i.column, t.table);
            let mut m = HashMap::new();
            for r in sqlx::query(&sql).fetch_all(&self.pool).await? {
                if let Some(v) = r.try_get::<Option<i64>, _>(1)? {
                    m.insert(r.try_get::<i64, _>(0)?, Value::from(v));
                }
            }
            d.implied.push((i, m));
        }
        Ok(d)
    }

    /// The college's own header spellings for a record type (`header_aliases`): (field,
    /// spelling). Read once per import and handed to header detection.
    pub async fn header_aliases(&self, resource: &str) -> Result<Vec<(String, String)>> {
        let mut s = crate::records::Sql::default();
        let p = s.bind(crate::records::Bind::Text(Some(resource.to_string())));
        s.text =
            format!("SELECT field, alias FROM header_aliases WHERE resource = {p} ORDER BY id");
        let mut out = Vec::new();
        for r in s.query().fetch_all(&self.pool).await? {
            out.push((r.try_get(0)?, r.try_get(1)?));
        }
        Ok(out)
    }

    /// The ids of the records that the reference `target` of `def` may point at, by each text
    /// of `keys`.
    async fn key_ids(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        target: &str,
        keys: &[&str],
    ) -> Result<HashMap<String, Vec<i64>>> {
        let Some(Kind::Ref(r)) = def.field(target).map(|f| f.kind) else {
            return Err(StoreError::Config(format!("{}: {target}", def.name)));
        };
        let t = schema::resource(r).ok_or(StoreError::NotFound)?;
        // Only the rows the reference may name, as for the reference itself.
        let mut s = crate::records::Sql::default();
        let within = crate::records::ref_within(actor, def, target, r, &mut s);
        s.text = format!(
            "SELECT id, {} FROM {} WHERE {within}",
            keys.join(", "),
            t.table
        );
        let mut ids: HashMap<String, Vec<i64>> = HashMap::new();
        for row in s.query().fetch_all(&self.pool).await? {
            let id: i64 = row.try_get(0)?;
            for k in 0..keys.len() {
                if let Some(v) = row.try_get::<Option<String>, _>(k + 1)? {
                    let e = ids.entry(v).or_default();
                    if !e.contains(&id) {
                        e.push(id);
                    }
                }
            }
        }
        Ok(ids)
    }
}

impl Derive {
    /// Before references are resolved: takes the import-only columns out of the row, and
    /// writes region names as their codes (`known` says whether a text is already a code).
    /// Returns false when the row has a problem.
    pub(crate) fn before(
        &self,
        def: &'static ResourceDef,
        row: usize,
        values: &mut Map<String, Value>,
        known: &dyn Fn(&str, &str) -> bool,
        issue: &mut Issue<'_>,
    ) -> (Extra, bool) {
        let mut ok = true;
        let mut extra = Vec::new();
        for c in def.import_columns {
            let f = c.field();
            if let Some(t) = values.remove(f.name).as_ref().and_then(text_of) {
                extra.push((f, t));
            }
        }
        let derived = self.ref_by.iter().map(|r| r.target);
        for name in derived.chain(self.implied.iter().map(|(i, _)| i.field)) {
            if let (Some(f), Some(t)) = (def.field(name), values.get(name).and_then(text_of)) {
                extra.push((f, t));
            }
        }
        for p in &self.places {
            let field = &p.field;
            let Some(t) = values.get(*field).and_then(text_of) else {
                continue;
            };
            if known(field, &t) {
                continue;
            }
            match p.index().resolve(&t) {
                Resolved::One(code) => {
                    values.insert((*field).to_string(), Value::String(code));
                }
                Resolved::Ambiguous(c) => {
                    issue(row, field, &t, "ambiguous", ambiguous_message(&t, &c));
                    values.remove(*field);
                    ok = false;
                }
                // Left as written: the code check reports it.
                Resolved::Unknown => {}
            }
        }
        (extra, ok)
    }

    /// After references are resolved to ids: references written by other keys, and implied
    /// references, each taken when the reference is not written and checked when it is.
    /// `shown` gives a column's header as written in the file.
    pub(crate) fn after_refs(
        &self,
        row: usize,
        values: &mut Map<String, Value>,
        extra: &Extra,
        shown: &dyn Fn(&str) -> String,
        issue: &mut Issue<'_>,
    ) -> bool {
        let mut ok = true;
        let mut found = Vec::new();
        for rb in &self.ref_by {
            let Some((_, t)) = extra.iter().find(|(f, _)| f.name == rb.field.name) else {
                continue;
            };
            match rb.ids.get(t).map(Vec::as_slice) {
                Some([one]) => found.push((rb, *one)),
                some => {
                    let (code, why) = if some.is_some() {
                        ("ambiguous", "names several records; write the other column")
                    } else {
                        ("not_found", "names no record")
                    };
                    let reason = format!("{why} (looked up by {})", rb.keys.join(" and "));
                    issue(row, rb.field.name, t, code, reason);
                    ok = false;
                }
            }
        }
        let mut a = Agree {
            row,
            values,
            extra,
            shown,
            issue,
            by: Vec::new(),
        };
        for (rb, id) in found {
            ok &= a.check(rb.target, Value::from(id), rb.field.name);
        }
        for (i, by_id) in &self.implied {
            let Some(from) = a.values.get(i.from).and_then(Value::as_i64) else {
                continue;
            };
            if let Some(v) = by_id.get(&from) {
                ok &= a.check(i.field, v.clone(), i.from);
            }
        }
        ok
    }

    /// Once the record has parsed: the check-only columns against it. Returns false on a
    /// contradiction, reported on the check column and naming the stored field's column.
    pub(crate) fn checks(
        &self,
        row: usize,
        rec: &Record,
        extra: &Extra,
        shown: &dyn Fn(&str) -> String,
        issue: &mut Issue<'_>,
    ) -> bool {
        let mut ok = true;
        for (field, check) in &self.checks {
            let Some((_, t)) = extra.iter().find(|(f, _)| f.name == field.name) else {
                continue;
            };
            let v = match schema::parse_value(field, &Value::String(t.clone())) {
                Ok(v) => v,
                Err(e) => {
                    issue(row, field.name, t, e.code, e.message);
                    ok = false;
                    continue;
                }
            };
            if let Some((other, why)) = check(&v, rec) {
                let reason = format!("{} and {} disagree: {why}", shown(field.name), shown(other));
                issue(row, field.name, t, "contradicts", reason);
                ok = false;
            }
        }
        for c in self.cross {
            if let Some(why) = (c.check)(rec) {
                let [a, b] = c.fields;
                let value = rec.get(a).and_then(text_of).unwrap_or_default();
                let reason = format!("{} and {} disagree: {why}", shown(a), shown(b));
                issue(row, a, &value, "contradicts", reason);
                ok = false;
            }
        }
        ok
    }
}

/// References derived while checking one row: `field` takes `value` (derived from the column
/// `from`) when it is not written, and must equal it when it is. A value that was itself derived
/// (a program from its code) is reported on the column it came from.
struct Agree<'a, 'i> {
    row: usize,
    values: &'a mut Map<String, Value>,
    extra: &'a Extra,
    shown: &'a dyn Fn(&str) -> String,
    issue: &'a mut Issue<'i>,
    /// (field, the column it was derived from) for the values taken so far.
    by: Vec<(&'static str, &'static str)>,
}

impl Agree<'_, '_> {
    fn check(&mut self, field: &'static str, value: Value, from: &'static str) -> bool {
        match self.values.get(field) {
            None | Some(Value::Null) => {
                self.values.insert(field.to_string(), value);
                self.by.push((field, from));
                true
            }
            Some(v) if *v == value => true,
            Some(v) => {
                // The column the disagreeing value came from, and its text as written.
                let column = self
                    .by
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map_or(field, |(_, c)| *c);
                let written = match self.extra.iter().find(|(f, _)| f.name == column) {
                    Some((_, t)) => t.clone(),
                    None => text_of(v).unwrap_or_default(),
                };
                let (a, b) = ((self.shown)(column), (self.shown)(from));
                let reason = format!("{a} and {b} disagree: the {b} column names another record");
                (self.issue)(self.row, column, &written, "disagrees", reason);
                false
            }
        }
    }
}
