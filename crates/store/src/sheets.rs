//! Bulk import and export of records (the spreadsheet crate reads and writes the files; this
//! module matches rows to the database).
//!
//! An import is an upsert on the record type's natural key (`core::import::import_key`), checked
//! in full before anything is written: every bad cell of every row is reported (row, column,
//! value, reason), and if there is any, nothing is committed. Otherwise all rows are written in
//! one transaction with one audit record, so a crash at any point leaves the table as it was
//! or as it will be, never in between. Importing the same file again changes nothing and says so.
//!
//! In files, references are written by their human key (a program's code, a class's name, an
//! organisation's credit code or name), never by internal id: [`ref_keys`] names those keys.

use crate::records::{bind_of, columns, decode, event, Bind, Sql};
use crate::sheets_derive::{Derive, Issue};
use crate::{Result, Store, StoreError};
use serde_json::{Map, Value};
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::import::{import_key, import_key_also, ImportReport, RowIssue};
use skillbridge_core::schema::{self, Kind, Pii, Record, ResourceDef};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// The columns by which a referenced record is written in files, preferred first (declared by
/// its module: `ResourceDef::ref_keys`).
fn ref_keys(resource: &str) -> &'static [&'static str] {
    schema::resource(resource).map_or(&["id"], |d| d.ref_keys)
}

/// One row of a file: its row number as the user sees it, and field name to cell text.
pub struct SheetRow {
    pub row: usize,
    pub values: Map<String, Value>,
}

const BATCH: usize = 400;

pub(crate) fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => {
            let t = skillbridge_core::ids::normalize_text(s);
            (!t.is_empty()).then_some(t)
        }
        other => Some(other.to_string()),
    }
}

fn shown(field: Option<&schema::Field>, v: &str) -> String {
    match field {
        Some(f) if f.pii != Pii::None && !v.contains('*') => schema::mask(f.pii, v),
        _ => v.to_string(),
    }
}

impl Store {
    /// Maps each key text of a referenced table to its id (all key columns).
    async fn ref_map(&self, resource: &str) -> Result<HashMap<String, i64>> {
        let def = schema::resource(resource).ok_or(StoreError::NotFound)?;
        let keys = ref_keys(resource);
        let sql = format!("SELECT id, {} FROM {}", keys.join(", "), def.table);
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let mut m = HashMap::with_capacity(rows.len() * keys.len());
        // Later key columns never override earlier ones (a code wins over a same-text name).
        for k in (0..keys.len()).rev() {
            for r in &rows {
                let id: i64 = r.try_get(0)?;
                if let Ok(Some(t)) = r.try_get::<Option<String>, _>(k + 1) {
                    m.insert(t, id);
                }
            }
        }
        Ok(m)
    }

    /// Maps ids of a referenced table to the text of its first reference key that is set (for
    /// exports): an organisation's credit code, or its name when it has none.
    async fn ref_names(&self, resource: &str) -> Result<HashMap<i64, String>> {
        let def = schema::resource(resource).ok_or(StoreError::NotFound)?;
        let keys = ref_keys(resource);
        let sql = format!("SELECT id, {} FROM {}", keys.join(", "), def.table);
        let mut m = HashMap::new();
        for r in sqlx::query(&sql).fetch_all(&self.pool).await? {
            for k in 0..keys.len() {
                if let Ok(Some(t)) = r.try_get::<Option<String>, _>(k + 1) {
                    m.insert(r.try_get::<i64, _>(0)?, t);
                    break;
                }
            }
        }
        Ok(m)
    }

    /// The set of codes of a reference table column.
    async fn code_set(&self, resource: &str, column: &str) -> Result<HashSet<String>> {
        let def = schema::resource(resource).ok_or(StoreError::NotFound)?;
        let rows = sqlx::query(&format!("SELECT {column} FROM {}", def.table))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).map_err(Into::into))
            .collect()
    }

    /// Existing rows whose `col` is one of `values`, unmasked, keyed by that column's text.
    async fn rows_by(
        &self,
        def: &ResourceDef,
        col: &str,
        values: &[String],
    ) -> Result<HashMap<String, Record>> {
        let mut out = HashMap::new();
        let select = format!("SELECT {} FROM {} WHERE {col} IN", columns(def), def.table);
        for r in self.select_in(&select, values).await? {
            let rec = decode(def, &r)?;
            if let Some(k) = rec.get(col).and_then(Value::as_str) {
                out.insert(k.to_string(), rec);
            }
        }
        Ok(out)
    }

    /// The rows of `select` (a query ending in `... IN`) for every text in `values`, in
    /// batches of [`BATCH`] bound values.
    async fn select_in(&self, select: &str, values: &[String]) -> Result<Vec<sqlx::any::AnyRow>> {
        let mut out = Vec::new();
        for chunk in values.chunks(BATCH) {
            let mut s = Sql {
                positional: self.backend.positional_placeholders(),
                ..Default::default()
            };
            let ps: Vec<String> = chunk
                .iter()
                .map(|v| s.bind(Bind::Text(Some(v.clone()))))
                .collect();
            s.text = format!("{select} ({})", ps.join(", "));
            out.extend(s.query().fetch_all(&self.pool).await?);
        }
        Ok(out)
    }

    /// Existing rows whose integer column `col` is one of `ids`, unmasked.
    async fn rows_by_ids(&self, def: &ResourceDef, col: &str, ids: &[i64]) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        for chunk in ids.chunks(BATCH) {
            let mut s = Sql::default();
            let ps: Vec<String> = chunk.iter().map(|v| s.bind(Bind::Int(Some(*v)))).collect();
            s.text = format!(
                "SELECT {} FROM {} WHERE {col} IN ({})",
                columns(def),
                def.table,
                ps.join(", ")
            );
            for r in s.query().fetch_all(&self.pool).await? {
                out.push(decode(def, &r)?);
            }
        }
        Ok(out)
    }

    /// Checks and, when every row is valid, upserts the rows of a file in one transaction.
    /// `headers` maps field names to the column headers as written in the file, for the report.
    /// With `dry_run`, checks only.
    #[tracing::instrument(skip_all, fields(resource = def.name, rows = rows.len()))]
    pub async fn import(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        rows: Vec<SheetRow>,
        headers: &HashMap<String, String>,
        source: &str,
        dry_run: bool,
    ) -> Result<ImportReport> {
        self.import_with_progress(actor, def, rows, headers, source, dry_run, &|_, _| {})
            .await
    }

    /// [`Store::import`], reporting its phases: `("checked", rows)`, `("written", rows)`,
    /// `("committing", rows)`.
    ///
    /// The steps: [`Store::import_run`] (key, scopes, references and codes, loaded once),
    /// [`Store::import_existing`] (the stored rows the file's keys name, and the holders of
    /// unique values), [`Store::import_writer`] (new rows are written while the rest is
    /// checked), [`ImportRun::check_row`] for each row, and [`Store::import_finish`].
    #[allow(clippy::too_many_arguments)]
    pub async fn import_with_progress(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        rows: Vec<SheetRow>,
        headers: &HashMap<String, String>,
        source: &str,
        dry_run: bool,
        progress: &(dyn Fn(&'static str, usize) + Send + Sync),
    ) -> Result<ImportReport> {
        let run = self.import_run(actor, def, headers, source).await?;
        let mut report = ImportReport {
            rows: rows.len(),
            ..Default::default()
        };
        let existing = self.import_existing(&run, &rows).await?;
        let mut writer = self.import_writer(dry_run, run.def_static).await?;
        let mut tally = Tally::default();
        for (n, r) in rows.into_iter().enumerate() {
            if n > 0 && n % 10_000 == 0 {
                progress("checked", n);
                if let Some(w) = writer.as_mut().and_then(|(_, w)| w.written()) {
                    progress("written", w);
                }
            }
            let w = writer.as_mut().map(|(_, w)| w);
            run.check_row(r, &existing, &mut tally, &mut report, w);
        }
        self.import_finish(&run, progress, report, tally, writer)
            .await
    }

    /// The first step of an import: its key, the actor's scopes, and, loaded once, the maps from
    /// human keys to ids of every referenced table, the sets of reference codes and the
    /// module's derived columns.
    async fn import_run<'a>(
        &self,
        actor: &'a Actor,
        def: &'a ResourceDef,
        headers: &'a HashMap<String, String>,
        source: &'a str,
    ) -> Result<ImportRun<'a>> {
        let key = import_key(def)
            .ok_or_else(|| StoreError::Config(format!("{} cannot be imported", def.name)))?;
        let create_scopes =
            actor_scopes(actor, Action::Create, def.name).ok_or(StoreError::Denied)?;
        let update_scopes =
            actor_scopes(actor, Action::Update, def.name).ok_or(StoreError::Denied)?;
        let def_static = schema::resource(def.name).ok_or(StoreError::NotFound)?;
        let derive = self.import_derive(def_static).await?;
        // References by human key, and reference codes, loaded once.
        let mut refs: HashMap<&'static str, HashMap<String, i64>> = HashMap::new();
        let mut codes: HashMap<&'static str, HashSet<String>> = HashMap::new();
        for f in def.fields {
            match f.kind {
                Kind::Ref(r) => {
                    refs.insert(f.name, self.ref_map(r).await?);
                }
                Kind::RefCode { resource, column } => {
                    codes.insert(f.name, self.code_set(resource, column).await?);
                }
                _ => {}
            }
        }
        Ok(ImportRun {
            actor,
            def,
            def_static,
            headers,
            source,
            key,
            also: import_key_also(def),
            create_scopes,
            update_scopes,
            uniques: def
                .fields
                .iter()
                .filter(|f| f.unique && f.name != key)
                .collect(),
            derive,
            refs,
            codes,
        })
    }

    /// Existing rows and unique values: none to look up in an empty table; one scan when the
    /// table is not much larger than the file; otherwise batched lookups of the file's values.
    async fn import_existing(&self, run: &ImportRun<'_>, rows: &[SheetRow]) -> Result<Existing> {
        let by_key = run.keys_by_column(rows);
        let table_rows: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {}", run.def.table))
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let scan_all = table_rows <= 2 * rows.len() as i64 + 1000;
        let mut existing = Existing::default();
        if table_rows > 0 && scan_all {
            self.scan_existing(run, &by_key, &mut existing).await?;
        } else if table_rows > 0 {
            self.lookup_existing(run, &by_key, &mut existing).await?;
            self.lookup_holders(run, rows, &mut existing.holders)
                .await?;
        }
        Ok(existing)
    }

    /// Reads the whole table once: every record under each key column the file uses (under its
    /// composite key when it has one), and the holder of each unique value.
    async fn scan_existing(
        &self,
        run: &ImportRun<'_>,
        by_key: &HashMap<&'static str, Vec<String>>,
        out: &mut Existing,
    ) -> Result<()> {
        let def = run.def;
        let sql = format!("SELECT {} FROM {}", columns(def), def.table);
        for r in sqlx::query(&sql).fetch_all(&self.pool).await? {
            let rec = decode(def, &r)?;
            let id = rec["id"].as_i64().unwrap_or(0);
            for f in &run.uniques {
                if let Some(v) = rec[f.name].as_str() {
                    out.holders.insert((f.name, v.to_string()), id);
                }
            }
            if !run.also.is_empty() {
                out.rows.insert((run.key, run.composite(&rec)), rec);
                continue;
            }
            for c in by_key.keys() {
                if let Some(k) = rec.get(*c).and_then(Value::as_str) {
                    out.rows.insert((*c, k.to_string()), rec.clone());
                }
            }
        }
        Ok(())
    }

    /// Looks up, in batches, the stored records the file's keys name (under a composite key,
    /// those whose first key column is one of the file's).
    async fn lookup_existing(
        &self,
        run: &ImportRun<'_>,
        by_key: &HashMap<&'static str, Vec<String>>,
        out: &mut Existing,
    ) -> Result<()> {
        if run.also.is_empty() {
            for (c, ks) in by_key {
                for (k, rec) in self.rows_by(run.def, c, ks).await? {
                    out.rows.insert((*c, k), rec);
                }
            }
        } else {
            let firsts: Vec<i64> = by_key
                .get(run.key)
                .into_iter()
                .flatten()
                .filter_map(|k| k.split('\u{1f}').next()?.parse().ok())
                .collect();
            for rec in self.rows_by_ids(run.def, run.key, &firsts).await? {
                out.rows.insert((run.key, run.composite(&rec)), rec);
            }
        }
        Ok(())
    }

    /// Looks up, in batches, which stored records hold the unique values the file contains.
    async fn lookup_holders(
        &self,
        run: &ImportRun<'_>,
        rows: &[SheetRow],
        holders: &mut HashMap<(&'static str, String), i64>,
    ) -> Result<()> {
        for f in &run.uniques {
            let vals: Vec<String> = rows
                .iter()
                .filter_map(|r| r.values.get(f.name).and_then(text_of))
                .filter(|v| !v.contains('*'))
                .map(|v| v.to_ascii_uppercase())
                .collect();
            let select = format!(
                "SELECT id, {} FROM {} WHERE {} IN",
                f.name, run.def.table, f.name
            );
            for r in self.select_in(&select, &vals).await? {
                holders.insert(
                    (f.name, r.try_get::<String, _>(1)?),
                    r.try_get::<i64, _>(0)?,
                );
            }
        }
        Ok(())
    }

    /// New rows are written while the rest of the file is checked (see [`Writer`]); the
    /// transaction commits only if no row has a problem. A dry run has no writer.
    async fn import_writer(&self, dry_run: bool, def: &'static ResourceDef) -> Result<OpenWriter> {
        if dry_run {
            return Ok(None);
        }
        let (g, mut tx) = self.begin_write_pub().await?;
        for p in self.backend.bulk_pragmas().0 {
            sqlx::query(p).execute(&mut *tx).await?;
        }
        Ok(Some((g, Writer::start(tx, self.backend, def))))
    }

    /// The last step of an import. When a row had a problem, the writer is stopped (its
    /// transaction rolls back) and the report lists the problems by row. Otherwise the updates
    /// are written, every written row is checked against the actor's scopes, and the import's
    /// audit record is appended and committed with the rows.
    async fn import_finish(
        &self,
        run: &ImportRun<'_>,
        progress: &(dyn Fn(&'static str, usize) + Send + Sync),
        mut report: ImportReport,
        tally: Tally,
        writer: OpenWriter,
    ) -> Result<ImportReport> {
        let bulk_off = self.backend.bulk_pragmas().1;
        let written = match writer {
            Some((g, mut w)) if tally.bad => {
                // Nothing is committed: the writer's transaction rolls back when dropped.
                w.stop();
                drop(w.finish(progress).await);
                drop(g);
                None
            }
            Some((g, w)) => Some((g, w.finish(progress).await?)),
            None => None,
        };
        if !report.issues.is_empty() {
            report.issues.sort_by_key(|i| i.row);
            return Ok(report);
        }
        let Tally {
            created,
            unchanged,
            updates,
            ..
        } = tally;
        report.created = created;
        report.updated = updates.len();
        report.unchanged = unchanged;
        let Some((_g, (mut tx, created_ids))) = written else {
            report.already_imported = created == 0 && updates.is_empty();
            report.committed = report.already_imported;
            return Ok(report); // a dry run
        };
        if created == 0 && updates.is_empty() {
            for p in bulk_off {
                sqlx::query(p).execute(&mut *tx).await?;
            }
            tx.rollback().await?;
            report.already_imported = true;
            report.committed = true;
            return Ok(report);
        }
        let updated_ids = write_updates(&mut tx, run.def, &updates).await?;
        self.check_written_scopes(&mut tx, run, &created_ids, &updated_ids, &mut report)
            .await?;
        if !report.issues.is_empty() {
            tx.rollback().await?;
            report.created = 0;
            report.updated = 0;
            report.unchanged = 0;
            return Ok(report);
        }
        let detail = format!(
            "rows {}, created {}, updated {}, unchanged {}",
            report.rows, report.created, report.updated, report.unchanged
        );
        crate::audit::append(
            &mut tx,
            &self.faults,
            &self.audit_key,
            event(run.actor, "import", run.def.name, run.source, &detail),
        )
        .await?;
        progress("committing", report.created + report.updated);
        for p in bulk_off {
            sqlx::query(p).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        report.committed = true;
        Ok(report)
    }

    /// Every written row must fall within the actor's scopes (a school's staff import only
    /// into their school): checked inside the transaction, so a refusal leaves nothing.
    async fn check_written_scopes(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        run: &ImportRun<'_>,
        created_ids: &[(usize, i64)],
        updated_ids: &[(usize, i64)],
        report: &mut ImportReport,
    ) -> Result<()> {
        for (scopes, touched) in [
            (&run.create_scopes, created_ids),
            (&run.update_scopes, updated_ids),
        ] {
            if scopes.as_slice() != [RowScope::All] {
                for (row, id) in touched {
                    if self
                        .fetch_scoped(&mut **tx, run.def, *id, scopes)
                        .await?
                        .is_none()
                    {
                        report.issues.push(RowIssue {
                            row: *row,
                            column: String::new(),
                            field: String::new(),
                            value: String::new(),
                            code: "out_of_scope".into(),
                            reason: "outside the records you may change".into(),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// Every row the actor may read that matches the query, masked for the actor, with
    /// references written by their human key. Audited as an export.
    pub async fn export(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        q: &crate::ListQuery,
        source: &str,
    ) -> Result<Vec<Record>> {
        let (rows, cur) = self.export_rows(actor, def, q, false).await?;
        self.export_finish(&cur, source, None).await?;
        Ok(rows)
    }

    /// As [`Store::export`] but with personal fields in full: a reveal, needing the reveal
    /// permission and a reason, audited before anything is returned.
    pub async fn export_full(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        q: &crate::ListQuery,
        reason: &str,
        source: &str,
    ) -> Result<Vec<Record>> {
        Self::check_reason(reason)?;
        let (rows, cur) = self.export_rows(actor, def, q, true).await?;
        self.export_finish(&cur, source, Some(reason)).await?;
        Ok(rows)
    }

    async fn export_rows(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        q: &crate::ListQuery,
        full: bool,
    ) -> Result<(Vec<Record>, ExportCursor)> {
        let mut cur = self.export_begin(actor, def, q, full).await?;
        let mut out = Vec::new();
        loop {
            let page = self.export_next(&mut cur).await?;
            if page.is_empty() {
                return Ok((out, cur));
            }
            out.extend(page);
        }
    }

    /// Starts an export read page by page (so that its memory does not grow with the table):
    /// checks the permission (`full`: the reveal permission) and loads the key text of each
    /// referenced record. Pages come from [`Store::export_next`]; [`Store::export_finish`]
    /// records the audit entry, which must happen before the file is handed out.
    pub async fn export_begin(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        q: &crate::ListQuery,
        full: bool,
    ) -> Result<ExportCursor> {
        let action = if full { Action::Reveal } else { Action::Read };
        let scopes = actor_scopes(actor, action, def.name).ok_or(StoreError::Denied)?;
        let def = schema::resource(def.name).ok_or(StoreError::NotFound)?;
        let mut filters = Vec::new();
        for (c, v) in &q.filters {
            let f = def.field(c).filter(|f| f.pii == Pii::None).ok_or_else(|| {
                StoreError::Invalid(vec![schema::FieldError::new(
                    c,
                    "unknown_field",
                    "cannot filter on this field",
                )])
            })?;
            let parsed = schema::parse_value(
                &schema::Field {
                    required: true,
                    ..*f
                },
                &Value::String(v.clone()),
            )
            .map_err(|e| StoreError::Invalid(vec![e]))?;
            filters.push((f.name, bind_of(f.kind, &parsed)));
        }
        let mut names: Vec<(&'static str, HashMap<i64, String>)> = Vec::new();
        for f in def.fields {
            if let Kind::Ref(r) = f.kind {
                names.push((f.name, self.ref_names(r).await?));
            }
        }
        Ok(ExportCursor {
            actor: actor.clone(),
            def,
            scopes,
            filters,
            names,
            full,
            after: 0,
            rows: 0,
            done: false,
        })
    }

    /// The next page of an export (empty when there is no more), masked for the actor unless
    /// the export is full, references written by their key.
    pub async fn export_next(&self, cur: &mut ExportCursor) -> Result<Vec<Record>> {
        if cur.done {
            return Ok(Vec::new());
        }
        let def = cur.def;
        let mut w = Sql::default();
        let mut conds = vec![crate::scope::clause(def.name, &cur.scopes, &mut w)];
        conds.push(format!("id > {}", w.bind(Bind::Int(Some(cur.after)))));
        for (c, b) in &cur.filters {
            conds.push(format!("{c} = {}", w.bind(b.clone())));
        }
        w.text = format!(
            "SELECT {} FROM {} WHERE {} ORDER BY id LIMIT {EXPORT_PAGE}",
            columns(def),
            def.table,
            conds.join(" AND ")
        );
        let rows = w.query().fetch_all(&self.pool).await?;
        cur.done = rows.len() < EXPORT_PAGE;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut rec = decode(def, r)?;
            cur.after = rec["id"].as_i64().unwrap_or(cur.after);
            for (f, m) in &cur.names {
                if let Some(id) = rec.get(*f).and_then(Value::as_i64) {
                    rec.insert(
                        f.to_string(),
                        m.get(&id)
                            .map(|s| Value::String(s.clone()))
                            .unwrap_or(Value::Null),
                    );
                }
            }
            out.push(if cur.full {
                rec
            } else {
                schema::present(&cur.actor, def, rec)
            });
        }
        cur.rows += out.len();
        Ok(out)
    }

    /// Records the audit entry of a finished export: `export`, or `export_full` with the
    /// reason (4 to 500 characters, checked by [`Store::check_reason`] before it starts).
    pub async fn export_finish(
        &self,
        cur: &ExportCursor,
        source: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        let (action, detail) = match reason {
            Some(r) => ("export_full", format!("{} rows; {}", cur.rows, r.trim())),
            None => ("export", format!("{} rows", cur.rows)),
        };
        self.audit(event(&cur.actor, action, cur.def.name, source, &detail))
            .await
    }

    /// A reveal's stated reason: 4 to 500 characters.
    pub fn check_reason(reason: &str) -> Result<()> {
        let n = reason.trim().chars().count();
        if !(4..=500).contains(&n) {
            return Err(StoreError::Invalid(vec![schema::FieldError::new(
                "reason",
                "required",
                "state why (4 to 500 characters)",
            )]));
        }
        Ok(())
    }
}

/// Rows per page of an export.
const EXPORT_PAGE: usize = 1000;

/// Where an export is: see [`Store::export_begin`].
pub struct ExportCursor {
    actor: Actor,
    def: &'static ResourceDef,
    scopes: Vec<RowScope>,
    filters: Vec<(&'static str, Bind)>,
    names: Vec<(&'static str, HashMap<i64, String>)>,
    full: bool,
    after: i64,
    rows: usize,
    done: bool,
}

impl ExportCursor {
    /// Rows returned so far.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

trait UpperIfCode {
    fn to_ascii_uppercase_if(self, f: Option<&schema::Field>) -> String;
}

impl UpperIfCode for String {
    /// Keys that are codes (credit codes) compare in upper case, as stored.
    fn to_ascii_uppercase_if(self, f: Option<&schema::Field>) -> String {
        match f.map(|f| f.kind) {
            Some(Kind::CreditCode) => self.to_ascii_uppercase(),
            _ => self,
        }
    }
}

impl Store {
    /// A table's signature: its row count and a SHA-256 over every row's field values in natural
    /// key order (ids and timestamps left out, so that two databases holding the same records
    /// have the same signature). Crash and backup tests compare states with it.
    pub async fn table_signature(&self, def: &ResourceDef) -> Result<(i64, String)> {
        let key = import_key(def)
            .or_else(|| def.fields.iter().find(|f| f.unique).map(|f| f.name))
            .unwrap_or("id");
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {key}, id",
            columns(def),
            def.table
        );
        let mut text = String::new();
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        for r in &rows {
            let rec = decode(def, r)?;
            for f in def.fields {
                text.push_str(&rec[f.name].to_string());
                text.push('\u{1f}');
            }
            text.push('\n');
        }
        Ok((
            rows.len() as i64,
            skillbridge_core::audit::sha256_hex(text.as_bytes()),
        ))
    }
}

/// The write lock and the writer of an import that is not a dry run.
type OpenWriter = Option<(tokio::sync::OwnedMutexGuard<()>, Writer)>;

/// One import's fixed state, set up by [`Store::import_run`]: who imports what, the natural key,
/// the actor's scopes, the report's column names, and what is loaded once before the rows are
/// checked (references by human key, reference codes, the module's derived columns).
struct ImportRun<'a> {
    actor: &'a Actor,
    def: &'a ResourceDef,
    def_static: &'static ResourceDef,
    headers: &'a HashMap<String, String>,
    source: &'a str,
    key: &'static str,
    also: &'static [&'static str],
    create_scopes: Vec<RowScope>,
    update_scopes: Vec<RowScope>,
    /// The unique fields other than the key.
    uniques: Vec<&'static schema::Field>,
    derive: Derive,
    refs: HashMap<&'static str, HashMap<String, i64>>,
    codes: HashMap<&'static str, HashSet<String>>,
}

/// The stored records an import's keys name, by (key column, key text), and the holders of
/// unique values, by (field, value).
#[derive(Default)]
struct Existing {
    rows: HashMap<(&'static str, String), Record>,
    holders: HashMap<(&'static str, String), i64>,
}

/// What checking an import's rows has found so far.
#[derive(Default)]
struct Tally {
    /// Key text to the first file row that has it.
    seen_keys: HashMap<String, usize>,
    /// (field, value) to the first file row that has it.
    seen_unique: HashMap<(&'static str, String), usize>,
    created: usize,
    unchanged: usize,
    /// File row, id and new record of each changed row.
    updates: Vec<(usize, i64, Record)>,
    /// Some row has a problem.
    bad: bool,
}

impl Tally {
    /// Counts a valid row as changed, unchanged or new; a new row goes to the writer, unless an
    /// earlier row was bad (then nothing more is written).
    fn classify(
        &mut self,
        def: &ResourceDef,
        row: usize,
        rec: Record,
        old: Option<&Record>,
        old_id: Option<i64>,
        writer: Option<&mut Writer>,
    ) {
        if let Some(old) = old {
            if def.fields.iter().any(|f| rec[f.name] != old[f.name]) {
                self.updates.push((row, old_id.unwrap_or(0), rec));
            } else {
                self.unchanged += 1;
            }
        } else {
            self.created += 1;
            if let Some(w) = writer {
                if self.bad {
                    w.stop();
                } else {
                    w.push(row, rec);
                }
            }
        }
    }
}

impl ImportRun<'_> {
    /// A field's column as the file names it, for the report.
    fn col(&self, f: &str) -> String {
        self.headers.get(f).cloned().unwrap_or_else(|| {
            self.def
                .field(f)
                .map(|x| x.zh.to_string())
                .unwrap_or_else(|| f.to_string())
        })
    }

    /// Adds a problem to the report: row, column, the value as the actor may see it, reason.
    fn issue(
        &self,
        report: &mut ImportReport,
        row: usize,
        field: &str,
        value: &str,
        code: &str,
        reason: String,
    ) {
        report.issues.push(RowIssue {
            row,
            column: self.col(field),
            field: field.to_string(),
            value: shown(self.def.field(field), value),
            code: code.to_string(),
            reason,
        });
    }

    /// A reference's text as the id it names, when it names one.
    fn resolve(&self, f: &str, t: String) -> String {
        match self.refs.get(f).and_then(|m| m.get(&t)) {
            Some(id) => id.to_string(),
            None => t,
        }
    }

    /// The key of a row and the column it is in: organisations without a credit code are
    /// matched by name. A composite key (`import_key_also`) of references is matched on the
    /// ids its texts name.
    fn row_key(&self, v: &Map<String, Value>) -> Option<(&'static str, String)> {
        let key = self.key;
        if !self.also.is_empty() {
            let mut parts = Vec::new();
            for f in std::iter::once(&key).chain(self.also) {
                parts.push(self.resolve(f, v.get(*f).and_then(text_of)?));
            }
            return Some((key, parts.join("\u{1f}")));
        }
        match v.get(key).and_then(text_of) {
            Some(k) => Some((key, k.to_ascii_uppercase_if(self.def.field(key)))),
            // A row without its key is known by the next of the record type's reference
            // keys: a foreign institution, which has no credit code, by its name.
            None => self
                .def
                .ref_keys
                .iter()
                .skip_while(|k| **k != key)
                .skip(1)
                .find_map(|k| v.get(*k).and_then(text_of).map(|n| (*k, n))),
        }
    }

    /// The keys of the file's rows, by the column they are in.
    fn keys_by_column(&self, rows: &[SheetRow]) -> HashMap<&'static str, Vec<String>> {
        let mut by_key: HashMap<&'static str, Vec<String>> = HashMap::new();
        for r in rows {
            if let Some((c, k)) = self.row_key(&r.values) {
                by_key.entry(c).or_default().push(k);
            }
        }
        by_key
    }

    /// The key of a stored record under a composite key: the ids, as `row_key` gives them.
    fn composite(&self, rec: &Record) -> String {
        std::iter::once(&self.key)
            .chain(self.also)
            .map(|f| rec[*f].to_string())
            .collect::<Vec<_>>()
            .join("\u{1f}")
    }

    /// Checks one row: its key, the module's derived columns, references, defaults of a new
    /// record, validation, the module's checks, reference codes and unique values; then counts
    /// it (see [`Tally::classify`]). Every problem goes to the report, in this order.
    fn check_row(
        &self,
        r: SheetRow,
        existing: &Existing,
        tally: &mut Tally,
        report: &mut ImportReport,
        writer: Option<&mut Writer>,
    ) {
        let mut issue = |row: usize, field: &str, value: &str, code: &str, reason: String| {
            self.issue(report, row, field, value, code, reason);
        };
        let col = |f: &str| self.col(f);
        let row = r.row;
        let mut values = r.values;
        let rk = self.row_key(&values);
        let mut row_ok = self.check_key(row, rk.as_ref(), &mut tally.seen_keys, &mut issue);
        // Import-only columns out, places by name to codes.
        let known = |f: &str, t: &str| self.codes.get(f).is_some_and(|c| c.contains(t));
        let (extra, ok) = self
            .derive
            .before(self.def_static, row, &mut values, &known, &mut issue);
        row_ok &= ok;
        row_ok &= self.resolve_refs(row, &mut values, &mut issue);
        row_ok &= self
            .derive
            .after_refs(row, &mut values, &extra, &col, &mut issue);
        let old = rk
            .as_ref()
            .and_then(|(c, k)| existing.rows.get(&(*c, k.clone())));
        if old.is_none() {
            self.fill_defaults(&mut values);
        }
        let Some(rec) = self.validate(row, &values, old, row_ok, &mut issue) else {
            tally.bad = true;
            return;
        };
        row_ok &= self.derive.checks(row, &rec, &extra, &col, &mut issue);
        if !row_ok {
            tally.bad = true;
            return;
        }
        // Reference codes exist; unique values are not held by another record or row.
        let old_id = old.and_then(|o| o["id"].as_i64());
        row_ok &= self.check_codes(row, &rec, &mut issue);
        row_ok &= self.check_uniques(
            row,
            &rec,
            old_id,
            &existing.holders,
            &mut tally.seen_unique,
            &mut issue,
        );
        if row_ok {
            tally.classify(self.def, row, rec, old, old_id, writer);
        } else {
            tally.bad = true;
        }
    }

    /// The key is present, and appears once in the file.
    fn check_key(
        &self,
        row: usize,
        rk: Option<&(&'static str, String)>,
        seen_keys: &mut HashMap<String, usize>,
        issue: &mut Issue<'_>,
    ) -> bool {
        match rk {
            None => {
                issue(
                    row,
                    self.key,
                    "",
                    "required",
                    "is required: it identifies the row".into(),
                );
                false
            }
            Some((_, k)) => match seen_keys.insert(k.clone(), row) {
                Some(first) => {
                    issue(
                        row,
                        self.key,
                        k,
                        "duplicate_in_file",
                        format!("appears again (first on row {first})"),
                    );
                    false
                }
                None => true,
            },
        }
    }

    /// References written by their key become ids; an unknown key is a problem (and the value
    /// is left out).
    fn resolve_refs(
        &self,
        row: usize,
        values: &mut Map<String, Value>,
        issue: &mut Issue<'_>,
    ) -> bool {
        let mut ok = true;
        for f in self.def.fields {
            if let Kind::Ref(target) = f.kind {
                if let Some(t) = values.get(f.name).and_then(text_of) {
                    match self.refs[f.name].get(&t) {
                        Some(id) => {
                            values.insert(f.name.into(), Value::from(*id));
                        }
                        None => {
                            issue(
                                row,
                                f.name,
                                &t,
                                "not_found",
                                format!(
                                    "no {target} record has this {}",
                                    ref_keys(target).join(" or ")
                                ),
                            );
                            values.remove(f.name);
                            ok = false;
                        }
                    }
                }
            }
        }
        ok
    }

    /// A new record's empty fields take the record type's import defaults.
    fn fill_defaults(&self, values: &mut Map<String, Value>) {
        for f in self.def.fields {
            if let Some(d) = skillbridge_core::import::default_for_new(self.def, f.name) {
                if values.get(f.name).and_then(text_of).is_none() {
                    values.insert(f.name.into(), Value::String(d.into()));
                }
            }
        }
    }

    /// Validates a row against the stored record it updates, if any. When the row already has
    /// a problem, "required" is not reported for a field an earlier check left out.
    fn validate(
        &self,
        row: usize,
        values: &Map<String, Value>,
        old: Option<&Record>,
        row_ok: bool,
        issue: &mut Issue<'_>,
    ) -> Option<Record> {
        match schema::validate(self.def, values, old) {
            Ok(rec) => Some(rec),
            Err(errs) => {
                for e in errs {
                    if row_ok || !matches!(e.code, "required") || values.contains_key(&e.field) {
                        let v = values.get(&e.field).and_then(text_of).unwrap_or_default();
                        issue(row, &e.field, &v, e.code, e.message);
                    }
                }
                None
            }
        }
    }

    /// Every reference code is a known code.
    fn check_codes(&self, row: usize, rec: &Record, issue: &mut Issue<'_>) -> bool {
        let mut ok = true;
        for f in self.def.fields {
            if let (Kind::RefCode { .. }, Some(v)) = (f.kind, rec[f.name].as_str()) {
                if !self.codes[f.name].contains(v) {
                    issue(row, f.name, v, "not_found", "is not a known code".into());
                    ok = false;
                }
            }
        }
        ok
    }

    /// Unique values are not held by another stored record, nor by an earlier row of the file.
    fn check_uniques(
        &self,
        row: usize,
        rec: &Record,
        old_id: Option<i64>,
        holders: &HashMap<(&'static str, String), i64>,
        seen_unique: &mut HashMap<(&'static str, String), usize>,
        issue: &mut Issue<'_>,
    ) -> bool {
        let mut ok = true;
        for f in &self.uniques {
            if let Some(v) = rec[f.name].as_str() {
                if let Some(holder) = holders.get(&(f.name, v.to_string())) {
                    if Some(*holder) != old_id {
                        issue(
                            row,
                            f.name,
                            v,
                            "duplicate",
                            "already belongs to another record".into(),
                        );
                        ok = false;
                    }
                }
                if let Some(first) = seen_unique.insert((f.name, v.to_string()), row) {
                    issue(
                        row,
                        f.name,
                        v,
                        "duplicate_in_file",
                        format!("appears again (first on row {first})"),
                    );
                    ok = false;
                }
            }
        }
        ok
    }
}

/// Writes an import's changed rows, one UPDATE of every field each; returns (file row, id) of
/// each.
async fn write_updates(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    def: &ResourceDef,
    updates: &[(usize, i64, Record)],
) -> Result<Vec<(usize, i64)>> {
    let now = skillbridge_core::dates::now();
    let mut updated_ids: Vec<(usize, i64)> = Vec::with_capacity(updates.len());
    for (row, id, rec) in updates {
        let mut s = Sql::default();
        let sets: Vec<String> = def
            .fields
            .iter()
            .map(|f| format!("{} = {}", f.name, s.bind(bind_of(f.kind, &rec[f.name]))))
            .collect();
        let p_now = s.bind(Bind::Text(Some(now.clone())));
        let p_id = s.bind(Bind::Int(Some(*id)));
        s.text = format!(
            "UPDATE {} SET {}, updated_at = {p_now} WHERE id = {p_id}",
            def.table,
            sets.join(", ")
        );
        s.query()
            .execute(&mut **tx)
            .await
            .map_err(crate::map_db_err)?;
        updated_ids.push((*row, *id));
    }
    Ok(updated_ids)
}

type WriterResult = Result<(sqlx::Transaction<'static, sqlx::Any>, Vec<(usize, i64)>)>;

/// Writes an import's new rows on the import's transaction, in a task of its own, while the
/// rest of the file is still being checked: checking runs on this thread and the inserts on the
/// database's, so the two overlap. Nothing is visible to others before the commit, and the
/// commit happens only after every row has been checked; when a bad row turns up the writer is
/// stopped and its transaction dropped, which rolls back what it wrote.
struct Writer {
    send: Option<tokio::sync::mpsc::UnboundedSender<Vec<(usize, Record)>>>,
    buf: Vec<(usize, Record)>,
    done: tokio::sync::mpsc::UnboundedReceiver<usize>,
    task: tokio::task::JoinHandle<WriterResult>,
}

impl Writer {
    const CHUNK: usize = 2_000;

    fn start(
        mut tx: sqlx::Transaction<'static, sqlx::Any>,
        backend: crate::Backend,
        def: &'static ResourceDef,
    ) -> Self {
        let (send, mut recv) = tokio::sync::mpsc::unbounded_channel::<Vec<(usize, Record)>>();
        let (done_send, done) = tokio::sync::mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let mut ids: Vec<(usize, i64)> = Vec::new();
            while let Some(chunk) = recv.recv().await {
                let recs: Vec<&Record> = chunk.iter().map(|(_, r)| r).collect();
                let got = Store::insert_rows(&mut tx, backend, def, &recs).await?;
                ids.extend(chunk.iter().map(|(row, _)| *row).zip(got));
                let _ = done_send.send(ids.len());
            }
            Ok((tx, ids))
        });
        Writer {
            send: Some(send),
            buf: Vec::with_capacity(Self::CHUNK),
            done,
            task,
        }
    }

    fn push(&mut self, row: usize, rec: Record) {
        if self.send.is_none() {
            return;
        }
        self.buf.push((row, rec));
        if self.buf.len() >= Self::CHUNK {
            let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(Self::CHUNK));
            if let Some(s) = &self.send {
                // A send fails only when the task has ended with an error, which finish() returns.
                let _ = s.send(chunk);
            }
        }
    }

    /// A bad row was found: nothing more is written.
    fn stop(&mut self) {
        self.send = None;
        self.buf.clear();
    }

    /// The number of rows written so far, if it changed since the last call.
    fn written(&mut self) -> Option<usize> {
        let mut last = None;
        while let Ok(n) = self.done.try_recv() {
            last = Some(n);
        }
        last
    }

    /// Writes what is buffered, waits for the task and returns its transaction and the ids of
    /// the rows it created (file row, id).
    async fn finish(
        mut self,
        progress: &(dyn Fn(&'static str, usize) + Send + Sync),
    ) -> WriterResult {
        if let Some(s) = self.send.take() {
            if !self.buf.is_empty() {
                let _ = s.send(std::mem::take(&mut self.buf));
            }
        }
        while let Some(n) = self.done.recv().await {
            progress("written", n);
        }
        self.task
            .await
            .map_err(|e| StoreError::Config(format!("import writer failed: {e}")))?
    }
}
