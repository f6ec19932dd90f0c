//! The record API over every resource described in `skillbridge_core::schema`: list (filter, search,
//! sort, page), get, create, update, delete, reveal. One generated SQL text serves both databases.
//!
//! Every method takes the [`Actor`]: permissions and row scopes are applied here, inside the call.
//! Reads return records already masked for that actor ([`skillbridge_core::schema::present`]);
//! the full value of a personal field leaves only through [`Store::reveal`], which is audited.

use crate::{map_db_err, Result, Store, StoreError};
use serde_json::{Map, Value};
use skillbridge_core::access::{actor_scopes, may_field, Action, Actor, RowScope};
use skillbridge_core::audit::AuditEvent;
use skillbridge_core::privacy::{self, Use};
use skillbridge_core::schema::{self, FieldError, Kind, Pii, Record, RefSet, ResourceDef};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};

/// A bound value, typed so that NULLs have the column's type on PostgreSQL.
#[derive(Debug, Clone)]
pub enum Bind {
    Int(Option<i64>),
    Text(Option<String>),
}

/// SQL text with its bound values; `$n` placeholders are numbered as values are bound.
#[derive(Debug, Default)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<Bind>,
    /// Plain `?` placeholders, each bound once in order. SQLite looks a numbered placeholder up by
    /// name with a linear scan, so a statement with thousands of `$n` costs quadratic time.
    pub positional: bool,
}

impl Sql {
    /// Adds a value and returns its placeholder.
    pub fn bind(&mut self, b: Bind) -> String {
        self.binds.push(b);
        if self.positional {
            "?".to_string()
        } else {
            format!("${}", self.binds.len())
        }
    }
    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for b in &self.binds {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }
}

/// How a list is filtered, sorted and paged.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Substring searched in the resource's search fields.
    pub q: Option<String>,
    /// Equality filters: column name and value as text. A name with an operator (`phone.gte`,
    /// `name.prefix`) or a value with a wildcard is read by `core::privacy::filter_use`: on a
    /// personal field it is refused, on any other it is not a filter of this API.
    pub filters: Vec<(String, String)>,
    /// Column to sort by; `-column` sorts descending.
    pub sort: Option<String>,
    pub limit: i64,
    pub offset: i64,
    /// Where the request came from, for the audit entry of an exact match on a personal field.
    pub source: String,
    /// A selection: only these ids (within every other condition). `None`: no selection;
    /// `Some(empty)`: nothing selected, so no rows. At most [`MAX_SELECTION`] ids.
    pub ids: Option<Vec<i64>>,
}

/// The most ids a selection may name (a batch operation, an export or a print of a selection);
/// more is refused (`too_many`) rather than cut short. Larger sets are chosen by filter.
pub const MAX_SELECTION: usize = 5000;

/// Adds the selection condition of a query (`id IN (...)`), refusing one over [`MAX_SELECTION`].
pub(crate) fn selection_condition(
    ids: Option<&[i64]>,
    w: &mut Sql,
    conds: &mut Vec<String>,
    errors: &mut Vec<FieldError>,
) {
    let Some(ids) = ids else { return };
    if ids.len() > MAX_SELECTION {
        errors.push(FieldError::new(
            "ids",
            "too_many",
            format!("select at most {MAX_SELECTION} rows"),
        ));
        return;
    }
    if ids.is_empty() {
        conds.push("1 = 0".to_string());
        return;
    }
    let ps: Vec<String> = ids.iter().map(|i| w.bind(Bind::Int(Some(*i)))).collect();
    conds.push(format!("id IN ({})", ps.join(", ")));
}

/// A query's conditions as text for an audit entry: the search, each filter (the value of a
/// personal field is never written, only that it was matched exactly) and the selection's size.
pub fn describe_query(def: &ResourceDef, q: &ListQuery) -> String {
    let mut parts = Vec::new();
    if let Some(t) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        parts.push(format!("q={t}"));
    }
    for (c, v) in &q.filters {
        let personal = def
            .field(c.split('.').next().unwrap_or_default())
            .is_some_and(|f| f.pii != Pii::None);
        parts.push(match personal {
            true => format!("{c}=(exact match)"),
            false => format!("{c}={v}"),
        });
    }
    if let Some(ids) = &q.ids {
        parts.push(format!("selected {} ids", ids.len()));
    }
    match parts.is_empty() {
        true => "no filter".to_string(),
        false => format!("filter {}", parts.join(", ")),
    }
}

impl ListQuery {
    /// Every use the query makes of a column (sort and filters), as `core::privacy` reads them.
    pub(crate) fn uses(&self) -> Vec<(&str, Use)> {
        let mut v: Vec<(&str, Use)> = self
            .filters
            .iter()
            .filter_map(|(k, val)| privacy::filter_use(k, val))
            .collect();
        if let Some(s) = self.sort.as_deref().filter(|s| !s.is_empty()) {
            v.push((s.strip_prefix('-').unwrap_or(s), Use::Sort));
        }
        v
    }
}

/// The personal fields a list or export query matches exactly (allowed by
/// `core::privacy::check_list`), or its refusal: sorting, a range, a prefix or a substring on a
/// personal field, or an exact match without the reveal right.
pub(crate) fn personal_uses(
    actor: &Actor,
    def: &ResourceDef,
    q: &ListQuery,
) -> Result<Vec<&'static schema::Field>> {
    privacy::check_list(actor, def, &q.uses()).map_err(StoreError::PersonalQuery)
}

/// One page of a list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page {
    pub items: Vec<Record>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

pub const MAX_LIMIT: i64 = 500;

fn column_kind(def: &ResourceDef, col: &str) -> Option<Kind> {
    match col {
        "id" => Some(Kind::Int {
            min: 1,
            max: i64::MAX,
        }),
        "created_at" | "updated_at" => Some(Kind::Text { max: 30 }),
        _ => def.field(col).map(|f| f.kind),
    }
}

/// The fields of `def` whose value in `rec` differs from `old`, and the `UPDATE` of row `id` that
/// writes them (with `updated_at`); `None` when nothing changed. Shared by the single change and
/// the batch.
pub(crate) fn update_changed<'d>(
    def: &'d ResourceDef,
    rec: &Record,
    old: &Record,
    id: i64,
) -> (Vec<&'d schema::Field>, Option<Sql>) {
    let changed: Vec<&schema::Field> = def
        .fields
        .iter()
        .filter(|f| rec[f.name] != old[f.name])
        .collect();
    if changed.is_empty() {
        return (changed, None);
    }
    let mut s = Sql::default();
    let sets = stored_sets(def, &changed, rec, id, &mut s);
    let now = s.bind(Bind::Text(Some(skillbridge_core::dates::now())));
    let pid = s.bind(Bind::Int(Some(id)));
    s.text = format!(
        "UPDATE {} SET {}, updated_at = {now} WHERE id = {pid}",
        def.table,
        sets.join(", ")
    );
    (changed, Some(s))
}

pub(crate) fn bind_of(kind: Kind, v: &Value) -> Bind {
    if kind.is_integer() {
        Bind::Int(kind.stored_int(v))
    } else {
        Bind::Text(v.as_str().map(str::to_string))
    }
}

/// The `SET` clauses that store `fields` of `rec` in row `id`, each value as stored: a personal
/// one encrypted for that table, column and row when a key is configured (`crate::crypt`), with
/// its blind index beside it. Every UPDATE of record fields goes through here (the single change,
/// the batch, an import's updates) and every INSERT ends here too (`Store::seal_inserted`).
pub(crate) fn stored_sets(
    def: &ResourceDef,
    fields: &[&schema::Field],
    rec: &Record,
    id: i64,
    s: &mut Sql,
) -> Vec<String> {
    let mut sets = Vec::with_capacity(fields.len());
    for f in fields {
        let v = &rec[f.name];
        if f.pii == Pii::None {
            sets.push(format!("{} = {}", f.name, s.bind(bind_of(f.kind, v))));
            continue;
        }
        let plain = pii_text(v);
        let stored = plain
            .as_deref()
            .map(|t| crate::crypt::conceal(def.table, f.name, id, t));
        let index = plain.as_deref().map(crate::crypt::blind);
        sets.push(format!("{} = {}", f.name, s.bind(Bind::Text(stored))));
        sets.push(format!(
            "{} = {}",
            crate::crypt::bidx_column(f.name),
            s.bind(Bind::Text(index))
        ));
    }
    sets
}

/// The text of a personal field's value (every personal kind is text), `None` for null.
fn pii_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(t) => Some(t.clone()),
        other => Some(other.to_string()),
    }
}

/// The condition that field `f` of a row holds `v`. On a personal field it compares the blind
/// index (one per key of the key ring, so that a lookup during a rotation finds rows under
/// either key); ciphertexts are never compared.
pub(crate) fn equals(f: &schema::Field, v: &Value, s: &mut Sql) -> String {
    if f.pii == Pii::None {
        let p = s.bind(bind_of(f.kind, v));
        return format!("{} = {p}", f.name);
    }
    let plain = pii_text(v).unwrap_or_default();
    let ps: Vec<String> = crate::crypt::blinds(&plain)
        .into_iter()
        .map(|b| s.bind(Bind::Text(Some(b))))
        .collect();
    format!(
        "{} IN ({})",
        crate::crypt::bidx_column(f.name),
        ps.join(", ")
    )
}

pub(crate) fn columns(def: &ResourceDef) -> String {
    let mut c = vec!["id"];
    c.extend(def.fields.iter().map(|f| f.name));
    c.extend(["created_at", "updated_at"]);
    c.join(", ")
}

/// A record's field values in the order of `def.fields`, read in one pass over the record (a
/// map sorted by name) merged with the field names sorted (`by_name`: name and field index),
/// instead of one map lookup per field. A field the merge did not meet is looked up (so the
/// result is right whatever the map's order); missing fields read as null.
fn values_in_order<'a>(
    def: &ResourceDef,
    by_name: &[(&str, usize)],
    rec: &'a Record,
) -> Vec<&'a Value> {
    static NULL: Value = Value::Null;
    let mut slots: Vec<Option<&Value>> = vec![None; def.fields.len()];
    let mut names = by_name.iter().peekable();
    for (k, v) in rec {
        while let Some((name, i)) = names.peek() {
            match (*name).cmp(k.as_str()) {
                std::cmp::Ordering::Less => {
                    names.next();
                }
                std::cmp::Ordering::Equal => {
                    slots[*i] = Some(v);
                    names.next();
                    break;
                }
                std::cmp::Ordering::Greater => break,
            }
        }
    }
    def.fields
        .iter()
        .zip(slots)
        .map(|(f, s)| s.or_else(|| rec.get(f.name)).unwrap_or(&NULL))
        .collect()
}

/// Decodes a row selected with [`columns`].
pub(crate) fn decode(def: &ResourceDef, row: &AnyRow) -> Result<Record> {
    let mut rec = Map::new();
    let id = row.try_get::<i64, _>(0)?;
    rec.insert("id".into(), Value::from(id));
    for (i, f) in def.fields.iter().enumerate() {
        let v = if f.kind.is_integer() {
            match row.try_get::<Option<i64>, _>(i + 1)? {
                None => Value::Null,
                Some(n) => f.kind.from_stored_int(n),
            }
        } else if f.pii != Pii::None {
            // The one place a personal value is read back: decrypted here, so nothing above the
            // store sees a ciphertext.
            match row.try_get::<Option<String>, _>(i + 1)? {
                None => Value::Null,
                Some(t) => Value::String(
                    crate::crypt::reveal_stored(def.table, f.name, id, t)
                        .map_err(|e| StoreError::Config(e.to_string()))?,
                ),
            }
        } else {
            row.try_get::<Option<String>, _>(i + 1)?
                .map(Value::String)
                .unwrap_or(Value::Null)
        };
        rec.insert(f.name.into(), v);
    }
    let n = def.fields.len();
    rec.insert("created_at".into(), Value::String(row.try_get(n + 1)?));
    rec.insert("updated_at".into(), Value::String(row.try_get(n + 2)?));
    Ok(rec)
}

/// Adds one `col = value` condition per equality filter of a list; a filter on an unknown or
/// personal column, or with a value the column cannot hold, is an error instead.
pub(crate) fn filter_conditions(
    def: &ResourceDef,
    filters: &[(String, String)],
    w: &mut Sql,
    conds: &mut Vec<String>,
    errors: &mut Vec<FieldError>,
) {
    for (col, val) in filters {
        // A personal field is filtered only by exact match, and only once `personal_uses` has
        // allowed it (the actor may reveal it; the rows are held to the reveal scope).
        match column_kind(def, col) {
            Some(kind) => {
                let field = def.field(col);
                let parsed = match field {
                    Some(f) => schema::parse_value(
                        &schema::Field {
                            required: true,
                            ..*f
                        },
                        &Value::String(val.clone()),
                    ),
                    None => val
                        .parse::<i64>()
                        .map(Value::from)
                        .map_err(|_| FieldError::new(col, "invalid", "must be a number")),
                };
                match parsed {
                    Ok(v) => match field {
                        Some(f) => conds.push(equals(f, &v, w)),
                        None => {
                            let p = w.bind(bind_of(kind, &v));
                            conds.push(format!("{col} = {p}"));
                        }
                    },
                    Err(e) => errors.push(e),
                }
            }
            None => errors.push(FieldError::new(
                col,
                "unknown_field",
                "cannot filter on this field",
            )),
        }
    }
}

/// Adds the search condition of a list: the text, case-insensitive, in any search field.
/// Never in a personal field (`core::privacy::search_fields`): a substring search would be an
/// oracle for its full value.
pub(crate) fn search_condition(
    def: &ResourceDef,
    q: Option<&str>,
    w: &mut Sql,
    conds: &mut Vec<String>,
) {
    if let Some(text) = q.map(str::trim).filter(|t| !t.is_empty()) {
        let fields: Vec<&str> = privacy::search_fields(def).collect();
        if !fields.is_empty() {
            let p = w.bind(Bind::Text(Some(format!(
                "%{}%",
                escape_like(&text.to_lowercase())
            ))));
            let ors: Vec<String> = fields
                .iter()
                .map(|c| format!("LOWER({c}) LIKE {p} ESCAPE '\\'"))
                .collect();
            conds.push(format!("({})", ors.join(" OR ")));
        }
    }
}

/// The column a list is sorted by (a known column name, never the caller's text) and whether
/// the order is descending; an unknown column is an error.
fn sort_order(
    def: &ResourceDef,
    sort: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> (&'static str, bool) {
    match sort {
        None | Some("") => (def.order, false),
        Some(s) => {
            let (c, d) = s.strip_prefix('-').map(|c| (c, true)).unwrap_or((s, false));
            if !def.has_column(c) {
                errors.push(FieldError::new(
                    "sort",
                    "unknown_field",
                    format!("cannot sort by {c}"),
                ));
            }
            (
                def.fields
                    .iter()
                    .map(|f| f.name)
                    .chain(["id", "created_at", "updated_at"])
                    .find(|n| *n == c)
                    .unwrap_or("id"),
                d,
            )
        }
    }
}

/// Checks a list's limit and offset.
fn check_page(q: &ListQuery, errors: &mut Vec<FieldError>) {
    if !(1..=MAX_LIMIT).contains(&q.limit) {
        errors.push(FieldError::new(
            "limit",
            "out_of_range",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    if q.offset < 0 {
        errors.push(FieldError::new(
            "offset",
            "out_of_range",
            "must not be negative",
        ));
    }
}

/// The text of a multi-row INSERT of `rows` rows of `def` (all fields, then the timestamps),
/// with the backend's RETURNING clause when it has one.
fn insert_text(backend: crate::Backend, def: &ResourceDef, returning: &str, rows: usize) -> String {
    let mut names: Vec<String> = def.fields.iter().map(|f| f.name.to_string()).collect();
    names.extend(pii_fields(def).map(|f| crate::crypt::bidx_column(f.name)));
    let cols = names.len() + 2;
    let mut text = format!(
        "INSERT INTO {} ({}, created_at, updated_at) VALUES ",
        def.table,
        names.join(", ")
    );
    let mut n = 0usize;
    for i in 0..rows {
        text.push_str(if i == 0 { "(" } else { ", (" });
        for j in 0..cols {
            if j > 0 {
                text.push_str(", ");
            }
            n += 1;
            backend.push_placeholder(&mut text, n);
        }
        text.push(')');
    }
    if let Some(clause) = backend.insert_returning(returning) {
        text.push_str(&clause);
    }
    text
}

/// The personal fields of a record type.
pub(crate) fn pii_fields(def: &ResourceDef) -> impl Iterator<Item = &schema::Field> {
    def.fields.iter().filter(|f| f.pii != Pii::None)
}

/// Binds the values of a chunk of records to its INSERT, by reference, in field order, then the
/// blind indexes of the personal fields, each row followed by its two timestamps. With a key,
/// a personal value is bound as an empty placeholder: its ciphertext is bound to the row's id,
/// known only after the INSERT, and written by `Store::seal_inserted` in the same transaction.
fn bind_chunk<'q>(
    mut q: Query<'q, Any, AnyArguments<'q>>,
    def: &ResourceDef,
    by_name: &[(&str, usize)],
    chunk: &[&'q Record],
    now: &'q str,
) -> Query<'q, Any, AnyArguments<'q>> {
    let keyed = crate::crypt::keyed();
    for rec in chunk {
        let vals = values_in_order(def, by_name, rec);
        for (f, v) in def.fields.iter().zip(&vals) {
            q = if f.kind.is_integer() {
                q.bind(f.kind.stored_int(v))
            } else if keyed && f.pii != Pii::None {
                q.bind(v.as_str().map(|_| ""))
            } else {
                q.bind(v.as_str())
            };
        }
        for (f, v) in def.fields.iter().zip(&vals) {
            if f.pii != Pii::None {
                q = q.bind(pii_text(v).as_deref().map(crate::crypt::blind));
            }
        }
        q = q.bind(now).bind(now);
    }
    q
}

/// Runs a chunk's INSERT on a backend without RETURNING: the ids are consecutive in VALUES order
/// (see `Backend::consecutive_insert_ids`); the first row's key is read back to confirm it.
async fn insert_consecutive<'q>(
    tx: &mut sqlx::Transaction<'_, Any>,
    backend: crate::Backend,
    def: &ResourceDef,
    key: Option<&schema::Field>,
    chunk: &[&Record],
    q: Query<'q, Any, AnyArguments<'q>>,
    out: &mut Vec<i64>,
) -> Result<()> {
    let done = q.execute(&mut **tx).await.map_err(map_db_err)?;
    let (first, last) = backend.consecutive_insert_ids(tx, chunk.len()).await?;
    if let Some(k) = key {
        let got: Option<String> = sqlx::query(&format!(
            "SELECT CAST({} AS TEXT) FROM {} WHERE id = $1",
            k.name, def.table
        ))
        .bind(first)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
        let want = match &chunk[0][k.name] {
            Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        if got.as_deref() != Some(want.as_str()) || done.rows_affected() != chunk.len() as u64 {
            return Err(StoreError::Config(format!(
                "inserted {} rows did not get consecutive ids",
                def.name
            )));
        }
    }
    out.extend(first..=last);
    Ok(())
}

/// Matches the rows an INSERT returned (id, key) back to the chunk's records by key and appends
/// their ids in input order.
fn ids_by_key(
    def: &ResourceDef,
    k: &schema::Field,
    chunk: &[&Record],
    rows: &[AnyRow],
    out: &mut Vec<i64>,
) -> Result<()> {
    let mut by_key = std::collections::HashMap::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get(0)?;
        let v = if k.kind.is_integer() {
            r.try_get::<i64, _>(1)?.to_string()
        } else {
            r.try_get::<String, _>(1)?
        };
        by_key.insert(v, id);
    }
    for rec in chunk {
        let v = match &rec[k.name] {
            Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        out.push(*by_key.get(&v).ok_or_else(|| {
            StoreError::Config(format!("inserted {} row not returned", def.name))
        })?);
    }
    Ok(())
}

/// The condition on the rows of `target` that the reference `field` of `def`, written by `actor`,
/// may name: the actor's read scope of the target, unless the record type declares another set
/// (`ResourceDef::ref_sets`). Used by every write: create, update and import.
pub(crate) fn ref_within(
    actor: &Actor,
    def: &ResourceDef,
    field: &str,
    target: &str,
    s: &mut Sql,
) -> String {
    match def.ref_set(field) {
        RefSet::Any => "(1 = 1)".to_string(),
        RefSet::Readable => match actor_scopes(actor, Action::Read, target) {
            Some(sc) => crate::scope::clause(target, &sc, s),
            None => "(1 = 0)".to_string(),
        },
    }
}

pub(crate) fn scopes(actor: &Actor, action: Action, def: &ResourceDef) -> Result<Vec<RowScope>> {
    actor_scopes(actor, action, def.name).ok_or(StoreError::Denied)
}

impl Store {
    /// Counts all rows (no scoping: for internal use, seeding and tests).
    pub async fn count(&self, def: &ResourceDef) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {}", def.table);
        Ok(sqlx::query(&sql).fetch_one(&self.pool).await?.try_get(0)?)
    }

    /// Lists the rows the actor may read, masked for the actor.
    ///
    /// Sorting, ranges, prefixes and substrings on a personal field are refused
    /// ([`StoreError::PersonalQuery`]); an exact match on one is for an actor who may reveal it,
    /// over the rows it may reveal, and is audited (`search_personal`: the field, never the
    /// value) before the page is returned.
    #[tracing::instrument(skip(self, actor, q), fields(resource = def.name))]
    pub async fn list(&self, actor: &Actor, def: &ResourceDef, q: &ListQuery) -> Result<Page> {
        let exact = personal_uses(actor, def, q)?;
        let scopes = scopes(actor, Action::Read, def)?;
        Self::check_hidden_columns(actor, def, &q.filters, q.sort.as_deref())?;
        let mut w = Sql::default();
        let mut conds = vec![crate::scope::clause(def.name, &scopes, &mut w)];
        if !exact.is_empty() {
            let reveal = actor_scopes(actor, Action::Reveal, def.name).ok_or(StoreError::Denied)?;
            conds.push(crate::scope::clause(def.name, &reveal, &mut w));
        }
        let mut errors = Vec::new();
        filter_conditions(def, &q.filters, &mut w, &mut conds, &mut errors);
        search_condition(def, q.q.as_deref(), &mut w, &mut conds);
        selection_condition(q.ids.as_deref(), &mut w, &mut conds, &mut errors);
        let (order, desc) = sort_order(def, q.sort.as_deref(), &mut errors);
        check_page(q, &mut errors);
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let where_ = conds.join(" AND ");
        let count_sql = Sql {
            text: format!("SELECT COUNT(*) FROM {} WHERE {where_}", def.table),
            binds: w.binds.clone(),
            positional: false,
        };
        let total: i64 = count_sql.query().fetch_one(&self.pool).await?.try_get(0)?;
        let mut list_sql = Sql {
            text: String::new(),
            binds: w.binds,
            positional: false,
        };
        let lim = list_sql.bind(Bind::Int(Some(q.limit)));
        let off = list_sql.bind(Bind::Int(Some(q.offset)));
        list_sql.text = format!(
            "SELECT {} FROM {} WHERE {where_} ORDER BY {order} {}, id LIMIT {lim} OFFSET {off}",
            columns(def),
            def.table,
            if desc { "DESC" } else { "ASC" }
        );
        let rows = list_sql.query().fetch_all(&self.pool).await?;
        self.audit_personal_search(actor, def, &exact, &format!("{total} rows"), &q.source)
            .await?;
        let mut items = rows
            .iter()
            .map(|r| decode(def, r).map(|rec| schema::present(actor, def, rec)))
            .collect::<Result<Vec<_>>>()?;
        self.attach_labels(def, &mut items).await?;
        Ok(Page {
            items,
            total,
            limit: q.limit,
            offset: q.offset,
        })
    }

    /// The audit entry of each exact match on a personal field: who (the actor, and the user id
    /// in the detail), which record type and field, how many rows matched; never the value.
    /// Written before anything is returned: no entry, no answer.
    pub(crate) async fn audit_personal_search(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        exact: &[&'static schema::Field],
        what: &str,
        source: &str,
    ) -> Result<()> {
        for f in exact {
            let detail = format!(
                "user {}; exact match; {what}",
                actor
                    .user_id
                    .map_or("system".to_string(), |i| i.to_string())
            );
            self.audit(event(
                actor,
                "search_personal",
                &format!("{}.{}", def.name, f.name),
                source,
                &detail,
            ))
            .await?;
        }
        Ok(())
    }

    /// Reads one row within the given scopes, unmasked (internal).
    pub(crate) async fn fetch_scoped<'c, E>(
        &self,
        ex: E,
        def: &ResourceDef,
        id: i64,
        scopes: &[RowScope],
    ) -> Result<Option<Record>>
    where
        E: sqlx::Executor<'c, Database = Any>,
    {
        let mut sql = Sql::default();
        let p = sql.bind(Bind::Int(Some(id)));
        let c = crate::scope::clause(def.name, scopes, &mut sql);
        sql.text = format!(
            "SELECT {} FROM {} WHERE id = {p} AND {c}",
            columns(def),
            def.table
        );
        match sql.query().fetch_optional(ex).await? {
            Some(row) => Ok(Some(decode(def, &row)?)),
            None => Ok(None),
        }
    }

    /// Reads one row the actor may read, masked for the actor. A row outside the actor's scope
    /// is "not found", so that ids cannot be probed.
    #[tracing::instrument(skip(self, actor), fields(resource = def.name))]
    pub async fn get(&self, actor: &Actor, def: &ResourceDef, id: i64) -> Result<Record> {
        let scopes = scopes(actor, Action::Read, def)?;
        let rec = self
            .fetch_scoped(&self.pool, def, id, &scopes)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut recs = [schema::present(actor, def, rec)];
        self.attach_labels(def, &mut recs).await?;
        let [rec] = recs;
        Ok(rec)
    }

    /// The labels of records of one type by id (its declared label column, never personal data;
    /// none for a type named by its id alone), in one query per 500 ids.
    pub async fn record_labels(
        &self,
        def: &ResourceDef,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        let mut out = std::collections::HashMap::new();
        let Some((label, _)) = def.ref_label_columns() else {
            return Ok(out);
        };
        let integer = def.field(label).is_some_and(|f| f.kind.is_integer());
        for chunk in ids.chunks(500) {
            let mut s = Sql::default();
            let ps: Vec<String> = chunk.iter().map(|i| s.bind(Bind::Int(Some(*i)))).collect();
            s.text = format!(
                "SELECT id, {label} FROM {} WHERE id IN ({})",
                def.table,
                ps.join(", ")
            );
            for row in s.query().fetch_all(&self.pool).await? {
                let v = if integer {
                    row.try_get::<Option<i64>, _>(1)?.map(|n| n.to_string())
                } else {
                    row.try_get::<Option<String>, _>(1)?
                };
                if let Some(v) = v.filter(|v| !v.is_empty()) {
                    out.insert(row.try_get::<i64, _>(0)?, v);
                }
            }
        }
        Ok(out)
    }

    /// Adds to each record (already presented to its reader) the labels of the records its
    /// reference fields point at: `_labels` (and `_labels_en` where the label has an English
    /// column), field name to label, from one query per reference field over the whole page
    /// (never one per row). Labels are read without the reader's scope on the referenced type:
    /// a student is shown their mentor's name, a teacher their mentee's class, though neither
    /// may open that record; what is read is only the label column, which is never personal
    /// (`ResourceDef::ref_label_columns`). References that are themselves personal data (a home
    /// region), or that the reader's view left out or masked, get no label.
    pub async fn attach_labels(&self, def: &ResourceDef, recs: &mut [Record]) -> Result<()> {
        /// Values per query, well under either database's parameter limit.
        const CHUNK: usize = 500;
        for f in def.fields.iter().filter(|f| f.pii == Pii::None) {
            let (target, column) = match f.kind {
                Kind::Ref(t) => (t, "id"),
                Kind::RefCode { resource, column } => (resource, column),
                _ => continue,
            };
            let Some(tdef) = schema::resource(target) else {
                continue;
            };
            let Some((label, label_en)) = tdef.ref_label_columns() else {
                continue;
            };
            let key = |v: &Value| -> Option<String> {
                match v {
                    Value::Number(n) => n.as_i64().map(|n| n.to_string()),
                    Value::String(t) if !t.contains('*') => Some(t.clone()),
                    _ => None,
                }
            };
            let mut wanted: Vec<&Value> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for r in recs.iter() {
                if let Some(v) = r.get(f.name) {
                    if key(v).is_some_and(|k| seen.insert(k)) {
                        wanted.push(v);
                    }
                }
            }
            let mut found: std::collections::HashMap<String, (String, Option<String>)> =
                std::collections::HashMap::new();
            for chunk in wanted.chunks(CHUNK) {
                let mut s = Sql::default();
                let ps: Vec<String> = chunk
                    .iter()
                    .map(|v| {
                        s.bind(if column == "id" {
                            Bind::Int(v.as_i64())
                        } else {
                            Bind::Text(v.as_str().map(str::to_string))
                        })
                    })
                    .collect();
                s.text = format!(
                    "SELECT {column}, {label}, {} FROM {} WHERE {column} IN ({})",
                    label_en.unwrap_or(label),
                    tdef.table,
                    ps.join(", ")
                );
                for row in s.query().fetch_all(&self.pool).await? {
                    let k = if column == "id" {
                        row.try_get::<i64, _>(0)?.to_string()
                    } else {
                        row.try_get::<String, _>(0)?
                    };
                    let text = |i: usize| -> Result<Option<String>> {
                        Ok(if tdef.field(label).is_some_and(|l| l.kind.is_integer()) {
                            row.try_get::<Option<i64>, _>(i)?.map(|n| n.to_string())
                        } else {
                            row.try_get::<Option<String>, _>(i)?
                        })
                    };
                    let (zh, en) = (text(1)?, text(2)?);
                    if let Some(zh) = zh.filter(|t| !t.is_empty()) {
                        found.insert(k, (zh, en.filter(|_| label_en.is_some())));
                    }
                }
            }
            for r in recs.iter_mut() {
                let Some((zh, en)) = r.get(f.name).and_then(key).and_then(|k| found.get(&k)) else {
                    continue;
                };
                let (zh, en) = (zh.clone(), en.clone());
                let labels = r
                    .entry(schema::LABELS)
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(m) = labels {
                    m.insert(f.name.to_string(), Value::String(zh));
                }
                if let Some(en) = en.filter(|t| !t.is_empty()) {
                    let labels = r
                        .entry(schema::LABELS_EN)
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(m) = labels {
                        m.insert(f.name.to_string(), Value::String(en));
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks references and uniqueness of a validated record inside the write transaction,
    /// so that the answer names the field instead of a constraint. A clash on a personal field
    /// is `duplicate` only for an actor who may reveal the holder's value; anyone else is told
    /// only that the value cannot be used (`core::privacy::clash`).
    ///
    /// A reference must name a record the writer may read, or one of the set its record type
    /// declares for it (`ResourceDef::ref_sets`); one outside is answered exactly like one that
    /// does not exist (`not_found`), so a write cannot probe what lies outside the writer's
    /// scope. A reference a change leaves as it was (`old`) is only checked to exist: keeping a
    /// pointer is not pointing anew (a school's office may change the dates of a mentor
    /// assignment whose teacher works in another school). A reference implied by another
    /// (`ResourceDef::implied`: a student's program is their class's) must agree with it
    /// (`mismatch`).
    pub(crate) async fn check_against_db(
        &self,
        tx: &mut sqlx::Transaction<'_, Any>,
        actor: &Actor,
        def: &ResourceDef,
        rec: &Record,
        old: Option<(i64, &Record)>,
    ) -> Result<()> {
        let self_id = old.map(|(id, _)| id);
        let mut errors = Vec::new();
        for f in def.fields {
            let v = &rec[f.name];
            if v.is_null() {
                continue;
            }
            let (table, col) = match f.kind {
                Kind::Ref(r) => (schema::resource(r).map(|d| d.table).unwrap_or(r), "id"),
                Kind::RefCode { resource, column } => (
                    schema::resource(resource)
                        .map(|d| d.table)
                        .unwrap_or(resource),
                    column,
                ),
                _ => ("", ""),
            };
            if !table.is_empty() {
                let mut s = Sql::default();
                let p = s.bind(bind_of(f.kind, v));
                let kept = old.is_some_and(|(_, o)| o.get(f.name) == Some(v));
                let within = match f.kind {
                    Kind::Ref(target) if !kept => ref_within(actor, def, f.name, target, &mut s),
                    _ => "(1 = 1)".to_string(),
                };
                s.text = format!("SELECT COUNT(*) FROM {table} WHERE {col} = {p} AND {within}");
                let n: i64 = s.query().fetch_one(&mut **tx).await?.try_get(0)?;
                if n == 0 {
                    errors.push(FieldError::new(
                        f.name,
                        "not_found",
                        format!("refers to a {table} record that does not exist"),
                    ));
                }
            }
            if f.unique {
                let mut s = Sql::default();
                let eq = equals(f, v, &mut s);
                let q = s.bind(Bind::Int(Some(self_id.unwrap_or(0))));
                s.text = format!(
                    "SELECT COUNT(*) FROM {} WHERE {eq} AND id <> {q}",
                    def.table
                );
                let n: i64 = s.query().fetch_one(&mut **tx).await?.try_get(0)?;
                if n > 0 {
                    let revealable = f.pii != Pii::None
                        && self
                            .holder_revealable(tx, actor, def, f, v, self_id)
                            .await?;
                    errors.push(privacy::clash(f, revealable));
                }
            }
        }
        for imp in def.implied {
            let from = def.field(imp.from).map(|f| f.kind);
            let (Some(Kind::Ref(target)), Some(want), Some(given)) = (
                from,
                rec.get(imp.from).and_then(Value::as_i64),
                rec.get(imp.field).and_then(Value::as_i64),
            ) else {
                continue;
            };
            if errors
                .iter()
                .any(|e| e.field == imp.from || e.field == imp.field)
            {
                continue;
            }
            let table = schema::resource(target).map_or(target, |d| d.table);
            let mut s = Sql::default();
            let p = s.bind(Bind::Int(Some(want)));
            s.text = format!("SELECT {} FROM {table} WHERE id = {p}", imp.column);
            let row = s.query().fetch_optional(&mut **tx).await?;
            let held: Option<i64> = row.map(|r| r.try_get(0)).transpose()?;
            if held.is_some_and(|h| h != given) {
                errors.push(FieldError::new(
                    imp.field,
                    "mismatch",
                    format!(
                        "must be the {} of the record named by {} ({})",
                        imp.column,
                        imp.from,
                        held.unwrap_or_default()
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(errors))
        }
    }

    /// Refuses a write that names a field of a group the actor may not write (least privilege:
    /// `ResourceDef::groups`). On a new record a hidden field may be left empty.
    pub(crate) fn check_writable(
        actor: &Actor,
        action: Action,
        def: &ResourceDef,
        input: &Map<String, Value>,
    ) -> Result<()> {
        let errors: Vec<FieldError> = input
            .iter()
            .filter(|(k, v)| {
                def.field(k).is_some()
                    && !(action == Action::Create && v.is_null())
                    && !may_field(actor, action, def, k)
            })
            .map(|(k, _)| {
                FieldError::new(k, "not_permitted", "this field may not be written by you")
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(errors))
        }
    }

    /// Refuses a filter or sort on a field the actor may not read: it would be an oracle for the
    /// hidden values. Answered like an unknown field.
    pub(crate) fn check_hidden_columns(
        actor: &Actor,
        def: &ResourceDef,
        filters: &[(String, String)],
        sort: Option<&str>,
    ) -> Result<()> {
        let hidden = |c: &str| def.field(c).is_some() && !may_field(actor, Action::Read, def, c);
        let mut errors: Vec<FieldError> = filters
            .iter()
            .filter(|(c, _)| hidden(c))
            .map(|(c, _)| FieldError::new(c, "unknown_field", "cannot filter on this field"))
            .collect();
        if let Some(c) = sort
            .map(|s| s.trim_start_matches('-'))
            .filter(|c| hidden(c))
        {
            errors.push(FieldError::new(
                "sort",
                "unknown_field",
                format!("cannot sort by {c}"),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(errors))
        }
    }

    /// Whether the record holding `v` in the personal unique field `f` lies within the actor's
    /// reveal scope (so that telling them it is taken tells them nothing they could not read).
    async fn holder_revealable(
        &self,
        tx: &mut sqlx::Transaction<'_, Any>,
        actor: &Actor,
        def: &ResourceDef,
        f: &schema::Field,
        v: &Value,
        self_id: Option<i64>,
    ) -> Result<bool> {
        if !privacy::may_reveal(actor, def, f) {
            return Ok(false);
        }
        let Some(reveal) = actor_scopes(actor, Action::Reveal, def.name) else {
            return Ok(false);
        };
        let mut s = Sql::default();
        let eq = equals(f, v, &mut s);
        let q = s.bind(Bind::Int(Some(self_id.unwrap_or(0))));
        let c = crate::scope::clause(def.name, &reveal, &mut s);
        s.text = format!(
            "SELECT COUNT(*) FROM {} WHERE {eq} AND id <> {q} AND {c}",
            def.table
        );
        let n: i64 = s.query().fetch_one(&mut **tx).await?.try_get(0)?;
        Ok(n > 0)
    }

    pub(crate) async fn insert_row(
        tx: &mut sqlx::Transaction<'_, Any>,
        def: &ResourceDef,
        rec: &Record,
    ) -> Result<i64> {
        let mut s = Sql::default();
        let now = skillbridge_core::dates::now();
        let keyed = crate::crypt::keyed();
        let mut names = Vec::new();
        let mut ps = Vec::new();
        for f in def.fields {
            names.push(f.name.to_string());
            let v = &rec[f.name];
            ps.push(s.bind(if f.pii == Pii::None {
                bind_of(f.kind, v)
            } else {
                // With a key, an empty placeholder until the ciphertext bound to the new id is
                // written below.
                let plain = pii_text(v);
                Bind::Text(if keyed {
                    plain.map(|_| String::new())
                } else {
                    plain
                })
            }));
        }
        for f in pii_fields(def) {
            names.push(crate::crypt::bidx_column(f.name));
            let index = pii_text(&rec[f.name]).as_deref().map(crate::crypt::blind);
            ps.push(s.bind(Bind::Text(index)));
        }
        let p1 = s.bind(Bind::Text(Some(now.clone())));
        let p2 = s.bind(Bind::Text(Some(now)));
        s.text = format!(
            "INSERT INTO {} ({}, created_at, updated_at) VALUES ({}, {p1}, {p2}) RETURNING id",
            def.table,
            names.join(", "),
            ps.join(", ")
        );
        let id: i64 = s
            .query()
            .fetch_one(&mut **tx)
            .await
            .map_err(map_db_err)?
            .try_get(0)?;
        if keyed {
            Self::seal_inserted(tx, def, &[(id, rec)]).await?;
        }
        Ok(id)
    }

    /// Writes the encrypted personal values of rows just inserted with placeholders (their
    /// ciphertexts are bound to the row id, which the INSERT assigned).
    pub(crate) async fn seal_inserted(
        tx: &mut sqlx::Transaction<'_, Any>,
        def: &ResourceDef,
        rows: &[(i64, &Record)],
    ) -> Result<()> {
        let fields: Vec<&schema::Field> = pii_fields(def).collect();
        if fields.is_empty() {
            return Ok(());
        }
        for (id, rec) in rows {
            let set: Vec<&schema::Field> = fields
                .iter()
                .copied()
                .filter(|f| !rec[f.name].is_null())
                .collect();
            if set.is_empty() {
                continue;
            }
            let mut s = Sql::default();
            let sets = stored_sets(def, &set, rec, *id, &mut s);
            let p = s.bind(Bind::Int(Some(*id)));
            s.text = format!(
                "UPDATE {} SET {} WHERE id = {p}",
                def.table,
                sets.join(", ")
            );
            s.query().execute(&mut **tx).await.map_err(map_db_err)?;
        }
        Ok(())
    }

    /// Inserts many validated records with multi-row INSERTs (a few hundred rows per statement:
    /// one round trip to the database instead of one per row) and returns their ids in input
    /// order. Ids are matched back through the first unique field when there is one; otherwise
    /// through the order in which the database assigned them, which is the VALUES order.
    pub(crate) async fn insert_rows(
        tx: &mut sqlx::Transaction<'_, Any>,
        backend: crate::Backend,
        def: &ResourceDef,
        recs: &[&Record],
    ) -> Result<Vec<i64>> {
        let key = def
            .fields
            .iter()
            .find(|f| f.unique && f.required && f.pii == Pii::None);
        let per = (8000 / (def.fields.len() + pii_fields(def).count() + 2)).clamp(1, 500);
        let now = skillbridge_core::dates::now();
        let returning = match key {
            Some(k) => format!("id, {}", k.name),
            None => "id".to_string(),
        };
        // The statement text depends only on the number of rows, so it is built once per size;
        // values are bound by reference (no copy of each text value before the driver's own).
        let mut text_for: Option<(usize, String)> = None;
        let mut by_name: Vec<(&str, usize)> = def
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name, i))
            .collect();
        by_name.sort_unstable();
        let mut out = Vec::with_capacity(recs.len());
        for chunk in recs.chunks(per) {
            if text_for.as_ref().map(|(n, _)| *n) != Some(chunk.len()) {
                let text = insert_text(backend, def, &returning, chunk.len());
                text_for = Some((chunk.len(), text));
            }
            let text = &text_for.as_ref().expect("built above").1;
            let q = bind_chunk(sqlx::query(text), def, &by_name, chunk, &now);
            if backend.insert_returning(&returning).is_none() {
                insert_consecutive(tx, backend, def, key, chunk, q, &mut out).await?;
                continue;
            }
            let rows = q.fetch_all(&mut **tx).await.map_err(map_db_err)?;
            match key {
                Some(k) => ids_by_key(def, k, chunk, &rows, &mut out)?,
                None => {
                    let mut ids: Vec<i64> = rows
                        .iter()
                        .map(|r| r.try_get::<i64, _>(0))
                        .collect::<std::result::Result<_, _>>()?;
                    ids.sort_unstable();
                    out.extend(ids);
                }
            }
        }
        if crate::crypt::keyed() {
            let rows: Vec<(i64, &Record)> = out.iter().copied().zip(recs.iter().copied()).collect();
            Self::seal_inserted(tx, def, &rows).await?;
        }
        Ok(out)
    }

    /// Begins a write: takes the in-process write lock, begins the transaction as the backend
    /// begins writes (`BEGIN IMMEDIATE` on SQLite) and takes the backend's audit lock. Every write
    /// of the store goes through here, session activity and queued refusals included
    /// (`pending.rs`), so writers queue instead of failing with "database is locked".
    pub(crate) async fn begin_write_pub(
        &self,
    ) -> Result<(
        tokio::sync::OwnedMutexGuard<()>,
        sqlx::Transaction<'static, Any>,
    )> {
        self.begin_write().await
    }

    pub(crate) async fn begin_write(
        &self,
    ) -> Result<(
        tokio::sync::OwnedMutexGuard<()>,
        sqlx::Transaction<'static, Any>,
    )> {
        let guard = self.audit_lock.clone().lock_owned().await;
        let mut tx = self.pool.begin_with(self.backend.begin_write_sql()).await?;
        if let Some(lock) = self.backend.audit_lock_sql() {
            sqlx::query(lock).execute(&mut *tx).await?;
        }
        Ok((guard, tx))
    }

    /// Creates a record. Validation, references, uniqueness and the actor's scope are checked;
    /// the change and its audit entry commit together or not at all.
    #[tracing::instrument(skip(self, actor, input), fields(resource = def.name))]
    pub async fn create(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        input: &Map<String, Value>,
        source: &str,
    ) -> Result<Record> {
        let scopes = scopes(actor, Action::Create, def)?;
        Self::check_writable(actor, Action::Create, def, input)?;
        let rec = schema::validate(def, input, None).map_err(StoreError::Invalid)?;
        let (_g, mut tx) = self.begin_write().await?;
        let hooks = crate::modules::hooks(def);
        let locked = hooks.create_locks(def, &rec);
        hooks.lock(self, &mut tx, &locked).await?;
        self.check_against_db(&mut tx, actor, def, &rec, None)
            .await?;
        hooks
            .check_writer(self, &mut tx, actor, def, &rec, None)
            .await?;
        hooks
            .before_write(self, &mut tx, def, &rec, None, &locked)
            .await?;
        let id = Self::insert_row(&mut tx, def, &rec)
            .await
            .map_err(|e| vague_race(actor, def, e))?;
        if self
            .fetch_scoped(&mut *tx, def, id, &scopes)
            .await?
            .is_none()
        {
            return Err(StoreError::Denied);
        }
        self.audit_in(
            &mut tx,
            actor,
            "create",
            &format!("{}/{id}", def.name),
            source,
            "",
        )
        .await?;
        tx.commit().await?;
        self.get(actor, def, id).await
    }

    /// Changes some fields of a record (a masked value sent back leaves the field unchanged).
    #[tracing::instrument(skip(self, actor, patch), fields(resource = def.name))]
    pub async fn update(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        id: i64,
        patch: &Map<String, Value>,
        source: &str,
    ) -> Result<Record> {
        let scopes = self.write_scopes(actor, Action::Update, def, id).await?;
        Self::check_writable(actor, Action::Update, def, patch)?;
        let hooks = crate::modules::hooks(def);
        let locked = hooks.update_locks(self, def, id, patch).await?;
        let (_g, mut tx) = self.begin_write().await?;
        hooks.lock(self, &mut tx, &locked).await?;
        let old = self
            .fetch_scoped(&mut *tx, def, id, &scopes)
            .await?
            .ok_or(StoreError::NotFound)?;
        let rec = schema::validate(def, patch, Some(&old)).map_err(StoreError::Invalid)?;
        self.check_against_db(&mut tx, actor, def, &rec, Some((id, &old)))
            .await?;
        hooks
            .check_writer(self, &mut tx, actor, def, &rec, Some(&old))
            .await?;
        hooks
            .before_write(self, &mut tx, def, &rec, Some(id), &locked)
            .await?;
        let (changed, update) = update_changed(def, &rec, &old, id);
        if let Some(s) = update {
            s.query()
                .execute(&mut *tx)
                .await
                .map_err(|e| vague_race(actor, def, map_db_err(e)))?;
            if self
                .fetch_scoped(&mut *tx, def, id, &scopes)
                .await?
                .is_none()
            {
                return Err(StoreError::Denied);
            }
            let names: Vec<&str> = changed.iter().map(|f| f.name).collect();
            self.audit_in(
                &mut tx,
                actor,
                hooks.update_action(def, &old, &rec),
                &format!("{}/{id}", def.name),
                source,
                &names.join(","),
            )
            .await?;
            tx.commit().await?;
            if changed.iter().any(|f| f.pii != Pii::None) {
                self.personal_data_removed();
            }
        }
        self.get(actor, def, id).await
    }

    /// Deletes a record; one that others refer to is a conflict (`in_use`), not an error.
    #[tracing::instrument(skip(self, actor), fields(resource = def.name))]
    pub async fn delete(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        id: i64,
        source: &str,
    ) -> Result<()> {
        let scopes = self.write_scopes(actor, Action::Delete, def, id).await?;
        let (_g, mut tx) = self.begin_write().await?;
        self.fetch_scoped(&mut *tx, def, id, &scopes)
            .await?
            .ok_or(StoreError::NotFound)?;
        for m in crate::modules::MODULES {
            m.hooks.before_delete(self, &mut tx, def, id).await?;
        }
        let mut s = Sql::default();
        let p = s.bind(Bind::Int(Some(id)));
        s.text = format!("DELETE FROM {} WHERE id = {p}", def.table);
        s.query().execute(&mut *tx).await.map_err(map_db_err)?;
        self.audit_in(
            &mut tx,
            actor,
            "delete",
            &format!("{}/{id}", def.name),
            source,
            "",
        )
        .await?;
        tx.commit().await?;
        if def.fields.iter().any(|f| f.pii != Pii::None) {
            self.personal_data_removed();
        }
        Ok(())
    }

    /// Scopes for a write to an existing row: a row the actor cannot read is "not found"; one it
    /// can read but not change is "not permitted".
    pub(crate) async fn write_scopes(
        &self,
        actor: &Actor,
        action: Action,
        def: &ResourceDef,
        id: i64,
    ) -> Result<Vec<RowScope>> {
        match actor_scopes(actor, action, def.name) {
            Some(s) => Ok(s),
            None => {
                let read = actor_scopes(actor, Action::Read, def.name).ok_or(StoreError::Denied)?;
                match self.fetch_scoped(&self.pool, def, id, &read).await? {
                    Some(_) => Err(StoreError::Denied),
                    None => Err(StoreError::NotFound),
                }
            }
        }
    }

    /// Returns the full value of one personal field, for a stated reason. The audit entry is
    /// committed before the value is returned; if it cannot be written, nothing is revealed.
    #[tracing::instrument(skip(self, actor, reason), fields(resource = def.name))]
    pub async fn reveal(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        id: i64,
        field: &str,
        reason: &str,
        source: &str,
    ) -> Result<Option<String>> {
        let f = def
            .field(field)
            .filter(|f| f.pii != Pii::None)
            .ok_or_else(|| {
                StoreError::Invalid(vec![FieldError::new(
                    "field",
                    "not_allowed",
                    "is not a personal field of this record",
                )])
            })?;
        let reason = reason.trim();
        if reason.chars().count() < 4 || reason.chars().count() > 500 {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "reason",
                "required",
                "state why (4 to 500 characters)",
            )]));
        }
        let scopes = self.write_scopes(actor, Action::Reveal, def, id).await?;
        if !may_field(actor, Action::Reveal, def, f.name) {
            return Err(StoreError::Denied);
        }
        let (_g, mut tx) = self.begin_write().await?;
        let rec = self
            .fetch_scoped(&mut *tx, def, id, &scopes)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.audit_in(
            &mut tx,
            actor,
            "reveal",
            &format!("{}/{id}.{}", def.name, f.name),
            source,
            reason,
        )
        .await?;
        tx.commit().await?;
        Ok(rec[f.name].as_str().map(str::to_string))
    }

    /// Validates and inserts rows in one transaction, all-or-nothing, without a per-row audit
    /// entry (the caller writes one audit record for the whole bulk operation). Returns the new
    /// ids in input order. Used by the demo generator and other bulk loads.
    pub async fn bulk_insert(
        &self,
        def: &ResourceDef,
        rows: Vec<Map<String, Value>>,
    ) -> Result<Vec<i64>> {
        let mut recs = Vec::with_capacity(rows.len());
        for (i, row) in rows.into_iter().enumerate() {
            recs.push(schema::validate(def, &row, None).map_err(|errs| {
                StoreError::Invalid(
                    errs.into_iter()
                        .map(|e| FieldError {
                            field: format!("row {}: {}", i + 1, e.field),
                            ..e
                        })
                        .collect(),
                )
            })?);
        }
        let (_g, mut tx) = self.begin_write().await?;
        crate::modules::hooks(def)
            .before_bulk_insert(self, &mut tx, def, &recs)
            .await?;
        let refs: Vec<&Record> = recs.iter().collect();
        let ids = Self::insert_rows(&mut tx, self.backend, def, &refs).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Inserts validated rows in one transaction without per-row audit (reference data, bulk
    /// loads that write their own single audit record). All-or-nothing.
    pub async fn insert_many_unaudited(
        &self,
        def: &ResourceDef,
        rows: Vec<Map<String, Value>>,
    ) -> Result<usize> {
        if !crate::modules::hooks(def).allows_unchecked_insert(def) {
            return Err(StoreError::Config(format!(
                "{} are written only through their module's checked paths",
                def.name
            )));
        }
        let (_g, mut tx) = self.begin_write().await?;
        let n = rows.len();
        for (i, row) in rows.into_iter().enumerate() {
            let rec = schema::validate(def, &row, None).map_err(|errs| {
                StoreError::Invalid(
                    errs.into_iter()
                        .map(|e| FieldError {
                            field: format!("row {}: {}", i + 1, e.field),
                            ..e
                        })
                        .collect(),
                )
            })?;
            Self::insert_row(&mut tx, def, &rec).await?;
        }
        tx.commit().await?;
        Ok(n)
    }
}

/// A unique violation that reached the database (a race after the store's own check) names no
/// holder either: on a personal field, an actor who may not reveal it everywhere hears only that
/// the value cannot be used.
pub(crate) fn vague_race(actor: &Actor, def: &ResourceDef, e: StoreError) -> StoreError {
    let all = matches!(
        actor_scopes(actor, Action::Reveal, def.name).as_deref(),
        Some([RowScope::All])
    );
    match e {
        StoreError::Invalid(errs) if !all => StoreError::Invalid(
            errs.into_iter()
                .map(|e| match privacy::personal(def, &e.field) {
                    Some(f) if e.code == "duplicate" => privacy::clash(f, false),
                    _ => e,
                })
                .collect(),
        ),
        other => other,
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub(crate) fn event(
    actor: &Actor,
    action: &str,
    object: &str,
    source: &str,
    detail: &str,
) -> AuditEvent {
    AuditEvent {
        actor: skillbridge_core::audit::actor_name(actor),
        role: actor.role_names(),
        action: action.into(),
        object: object.into(),
        outcome: "ok".into(),
        source: source.into(),
        detail: detail.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillbridge_core::access::{Office, Role};
    use skillbridge_core::modules::college::STUDENTS;

    fn raced() -> StoreError {
        StoreError::Invalid(vec![
            FieldError::new("id_number", "duplicate", "already exists"),
            FieldError::new("student_no", "duplicate", "already exists"),
        ])
    }

    fn codes(e: StoreError) -> Vec<&'static str> {
        match e {
            StoreError::Invalid(errs) => errs.iter().map(|e| e.code).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_raced_clash_on_a_personal_field_names_no_holder_unless_every_row_may_be_revealed() {
        let school = Actor {
            user_id: Some(3),
            username: "sa1".into(),
            roles: vec![Role::Staff {
                office: Office::StudentAffairs,
                school_id: Some(1),
            }],
        };
        // Revealing only one school's students: the holder may be elsewhere.
        assert_eq!(
            codes(vague_race(&school, &STUDENTS, raced())),
            ["unusable", "duplicate"]
        );
        let leader = Actor {
            roles: vec![Role::Leader],
            ..school.clone()
        };
        assert_eq!(
            codes(vague_race(&leader, &STUDENTS, raced())),
            ["unusable", "duplicate"]
        );
        assert_eq!(
            codes(vague_race(&Actor::system(), &STUDENTS, raced())),
            ["duplicate", "duplicate"]
        );
        assert!(matches!(
            vague_race(&school, &STUDENTS, StoreError::NotFound),
            StoreError::NotFound
        ));
    }
}
