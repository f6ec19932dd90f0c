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

use crate::records::{columns, decode, event, stored_sets, Bind, Sql};
use crate::sheets_derive::{Derive, Issue};
use crate::{Result, Store, StoreError};
use serde_json::{Map, Value};
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::import::{import_key, import_key_also, ImportReport, RowIssue};
use skillbridge_core::privacy;
use skillbridge_core::schema::{self, Kind, Pii, Record, ResourceDef};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// The columns by which a referenced record is written in files, preferred first (declared by
/// its module: `ResourceDef::ref_keys`).
fn ref_keys(resource: &str) -> &'static [&'static str] {
    schema::resource(resource).map_or(&["id"], |d| d.ref_keys)
}

/// One row of a file: its row number as the user sees it, field name to cell text, and the
/// problems the reader found in its cells (those cells are left out of `values`).
pub struct SheetRow {
    pub row: usize,
    pub values: Map<String, Value>,
    pub issues: Vec<RowIssue>,
}

/// What a reader hands to [`Store::import_stream`], in file order.
pub enum SheetBatch {
    Rows(Vec<SheetRow>),
    /// The file was read to its end. A stream that closes without it was cut short (the reader
    /// failed), and the import is abandoned.
    End,
}

/// Texts already seen in a file, each with the first row it was on. One arena holds the text
/// and a table its (start, length, row): about 13 bytes per text besides the text itself,
/// where a `HashMap<String, usize>` costs about 90, which for the million keys and unique
/// values of a file at the upload limit is the difference between 20 and 200 MB.
#[derive(Default)]
struct SeenTexts {
    text: String,
    table: hashbrown::HashTable<(u32, u32, u32)>,
    state: std::hash::RandomState,
}

impl SeenTexts {
    /// Notes `t` on `row`; returns the first row it was on if it was seen before.
    fn insert(&mut self, t: &str, row: usize) -> Option<usize> {
        use std::hash::BuildHasher;
        let text = &self.text;
        let at = |&(s, l, _): &(u32, u32, u32)| &text[s as usize..(s + l) as usize];
        let h = self.state.hash_one(t);
        if let Some(e) = self.table.find(h, |e| at(e) == t) {
            return Some(e.2 as usize);
        }
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(t);
        let (text, state) = (&self.text, &self.state);
        let entry = (
            start,
            t.len() as u32,
            u32::try_from(row).unwrap_or(u32::MAX),
        );
        self.table.insert_unique(h, entry, |&(s, l, _)| {
            state.hash_one(&text[s as usize..(s + l) as usize])
        });
        None
    }
}

const BATCH: usize = 400;

/// Rows per batch handed from the reader to [`Store::import_stream`].
pub const STREAM_BATCH: usize = 2_000;

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
    /// Maps each key text of a referenced table to its id (all key columns), among the rows
    /// the import's reference `field` may name (`records::ref_within`): a row outside is "not
    /// found", as in a single write.
    async fn ref_map(
        &self,
        actor: &Actor,
        of: &ResourceDef,
        field: &str,
        resource: &str,
    ) -> Result<HashMap<String, i64>> {
        let def = schema::resource(resource).ok_or(StoreError::NotFound)?;
        let keys = ref_keys(resource);
        let mut s = Sql::default();
        let within = crate::records::ref_within(actor, of, field, resource, &mut s);
        s.text = format!(
            "SELECT id, {} FROM {} WHERE {within}",
            keys.join(", "),
            def.table
        );
        let rows = s.query().fetch_all(&self.pool).await?;
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

    /// For a template's drop-downs: per reference field of `def`, the texts by which a file
    /// names the records that field may point at for `actor` (the first reference key that is
    /// set, as exports write it, sorted), when there are at most `max` of them; a reference
    /// with more gets no list.
    pub async fn template_choices(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        max: usize,
    ) -> Result<HashMap<String, Vec<String>>> {
        let mut out = HashMap::new();
        for f in def.fields {
            let Kind::Ref(target) = f.kind else { continue };
            let Some(tdef) = schema::resource(target) else {
                continue;
            };
            let keys = ref_keys(target);
            let mut s = Sql::default();
            let within = crate::records::ref_within(actor, def, f.name, target, &mut s);
            s.text = format!(
                "SELECT {} FROM {} WHERE {within} ORDER BY id LIMIT {}",
                keys.join(", "),
                tdef.table,
                max + 1
            );
            let rows = s.query().fetch_all(&self.pool).await?;
            if rows.len() > max {
                continue;
            }
            let mut list: Vec<String> = rows
                .iter()
                .filter_map(|r| {
                    (0..keys.len()).find_map(|k| r.try_get::<Option<String>, _>(k).ok().flatten())
                })
                .collect();
            list.sort();
            list.dedup();
            out.insert(f.name.to_string(), list);
        }
        Ok(out)
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
        // A personal column is matched by its blind index (under every key of the ring).
        let personal = def.field(col).is_some_and(|f| f.pii != Pii::None);
        let (select, values) = if personal {
            let blinds: Vec<String> = values
                .iter()
                .flat_map(|v| crate::crypt::blinds(v))
                .collect();
            let bidx = crate::crypt::bidx_column(col);
            (
                format!("SELECT {} FROM {} WHERE {bidx} IN", columns(def), def.table),
                blinds,
            )
        } else {
            let select = format!("SELECT {} FROM {} WHERE {col} IN", columns(def), def.table);
            (select, values.to_vec())
        };
        for r in self.select_in(&select, &values).await? {
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

    /// [`Store::import`] of rows already in memory, reporting its phases (see
    /// [`Store::import_stream`]).
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
        let (send, mut recv) = tokio::sync::mpsc::channel(rows.len() / STREAM_BATCH + 2);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let batch = rows.by_ref().take(STREAM_BATCH).collect();
            send.try_send(SheetBatch::Rows(batch))
                .map_err(|_| StoreError::Config("import queue".into()))?;
        }
        send.try_send(SheetBatch::End)
            .map_err(|_| StoreError::Config("import queue".into()))?;
        let to = ImportTo {
            actor,
            def,
            headers,
            source,
            dry_run,
        };
        self.import_stream(&to, Vec::new(), &mut recv, progress)
            .await
    }

    /// Checks and, when every row is valid, upserts the rows of a file in one transaction, taking
    /// the rows in batches as a reader hands them over (`rows`), so that neither the file's
    /// rows nor its records are ever all in memory: each batch's stored records and unique
    /// holders are looked up, its rows checked, and new and changed rows go to the writer; what
    /// stays for the whole file is its keys and unique values ([`SeenTexts`]), the ids written
    /// and the report, which keeps the first problems only. `header_issues` are the problems of
    /// the header row. Reports its phases: `("checked", rows)`, `("written", rows)`,
    /// `("committing", rows)`. When the stream closes without [`SheetBatch::End`] nothing is
    /// committed and the import fails.
    ///
    /// The steps: [`Store::import_run`] (key, scopes, references and codes, loaded once),
    /// [`Store::import_writer`] (rows are written while the rest is checked); per batch
    /// [`Store::import_existing`] (the stored rows the batch's keys name, and the holders of
    /// its unique values) and [`ImportRun::check_row`]; then [`Store::import_finish`]. At the
    /// first bad row the writer is stopped and the write lock released: what follows is
    /// checked for the report only.
    pub async fn import_stream(
        &self,
        to: &ImportTo<'_>,
        header_issues: Vec<RowIssue>,
        rows: &mut tokio::sync::mpsc::Receiver<SheetBatch>,
        progress: &(dyn Fn(&'static str, usize) + Send + Sync),
    ) -> Result<ImportReport> {
        let run = self
            .import_run(to.actor, to.def, to.headers, to.source)
            .await?;
        let mut report = ImportReport::default();
        let mut tally = Tally::default();
        for i in header_issues {
            report.add_issue(i);
            tally.bad = true;
        }
        let table_rows: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {}", run.def.table))
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let mut writer = if tally.bad {
            None
        } else {
            self.import_writer(to.dry_run, &run).await?
        };
        let mut n = 0usize;
        loop {
            let batch = match rows.recv().await {
                Some(SheetBatch::Rows(b)) => b,
                Some(SheetBatch::End) => break,
                None => {
                    release(writer, progress).await;
                    return Err(StoreError::Config(
                        "the file was not read to its end; nothing was imported".into(),
                    ));
                }
            };
            let existing = if table_rows > 0 {
                self.import_existing(&run, &batch).await?
            } else {
                Existing::default()
            };
            for r in batch {
                if n > 0 && n.is_multiple_of(10_000) {
                    progress("checked", n);
                    if let Some(w) = writer.as_mut().and_then(|(_, w)| w.written()) {
                        progress("written", w);
                    }
                }
                n += 1;
                let w = writer.as_mut().map(|(_, w)| w);
                run.check_row(r, &existing, &mut tally, &mut report, w);
                if tally.bad && writer.is_some() {
                    // Nothing will be committed: roll back now and let other writers in.
                    release(writer.take(), progress).await;
                }
                if let Some((_, w)) = writer.as_mut() {
                    w.flush_full().await;
                }
            }
        }
        report.rows = n;
        let mut report = self
            .import_finish(&run, progress, report, tally, writer)
            .await?;
        report.finish();
        Ok(report)
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
        // A file may fill only the field groups the importer may both create and change.
        let mut columns = Map::new();
        for f in headers.keys().filter(|f| def.field(f).is_some()) {
            columns.insert(f.clone(), Value::Bool(true));
        }
        Self::check_writable(actor, Action::Create, def, &columns)?;
        Self::check_writable(actor, Action::Update, def, &columns)?;
        let derive = self.import_derive(actor, def_static).await?;
        // References by human key, and reference codes, loaded once.
        let mut refs: HashMap<&'static str, HashMap<String, i64>> = HashMap::new();
        let mut codes: HashMap<&'static str, HashSet<String>> = HashMap::new();
        for f in def.fields {
            match f.kind {
                Kind::Ref(r) => {
                    refs.insert(f.name, self.ref_map(actor, def, f.name, r).await?);
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

    /// The stored records a batch's keys name and the holders of its unique values, looked up
    /// in batches of [`BATCH`] values (never the whole table, whose size is not bounded by the
    /// file's).
    async fn import_existing(&self, run: &ImportRun<'_>, rows: &[SheetRow]) -> Result<Existing> {
        let by_key = run.keys_by_column(rows);
        let mut existing = Existing::default();
        self.lookup_existing(run, &by_key, &mut existing).await?;
        self.lookup_holders(run, rows, &mut existing.holders)
            .await?;
        existing.revealable = self.revealable_holders(run, &existing.holders).await?;
        Ok(existing)
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

    /// Which holders of personal unique values the actor may reveal: all when its reveal scope
    /// is every row, none without the right, else those its reveal scope reaches (one query per
    /// thousand holders).
    async fn revealable_holders(
        &self,
        run: &ImportRun<'_>,
        holders: &HashMap<(&'static str, String), i64>,
    ) -> Result<Option<HashSet<i64>>> {
        let personal: Vec<&schema::Field> = run
            .uniques
            .iter()
            .copied()
            .filter(|f| privacy::may_reveal(run.actor, run.def, f))
            .collect();
        let reveal = actor_scopes(run.actor, Action::Reveal, run.def.name);
        if personal.is_empty() || reveal.is_none() {
            return Ok(Some(HashSet::new()));
        }
        let reveal = reveal.unwrap_or_default();
        if reveal.contains(&RowScope::All) {
            return Ok(None);
        }
        let ids: Vec<i64> = holders
            .iter()
            .filter(|((f, _), _)| personal.iter().any(|p| p.name == *f))
            .map(|(_, id)| *id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut out = HashSet::new();
        for chunk in ids.chunks(1000) {
            let mut w = Sql::default();
            let list: Vec<String> = chunk.iter().map(|i| w.bind(Bind::Int(Some(*i)))).collect();
            let c = crate::scope::clause(run.def.name, &reveal, &mut w);
            w.text = format!(
                "SELECT id FROM {} WHERE id IN ({}) AND {c}",
                run.def.table,
                list.join(", ")
            );
            for r in w.query().fetch_all(&self.pool).await? {
                out.insert(r.try_get::<i64, _>(0)?);
            }
        }
        Ok(Some(out))
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
            if f.pii != Pii::None {
                // Stored encrypted: matched by blind index (under every key of the ring).
                let mut by_blind: HashMap<String, String> = HashMap::new();
                for v in &vals {
                    for b in crate::crypt::blinds(v) {
                        by_blind.insert(b, v.clone());
                    }
                }
                let bidx = crate::crypt::bidx_column(f.name);
                let select = format!("SELECT id, {bidx} FROM {} WHERE {bidx} IN", run.def.table);
                let blinds: Vec<String> = by_blind.keys().cloned().collect();
                for r in self.select_in(&select, &blinds).await? {
                    let b: String = r.try_get(1)?;
                    if let Some(v) = by_blind.get(&b) {
                        holders.insert((f.name, v.clone()), r.try_get::<i64, _>(0)?);
                    }
                }
                continue;
            }
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
    /// The ids of written rows are kept only when the actor's scopes will be checked on them.
    async fn import_writer(&self, dry_run: bool, run: &ImportRun<'_>) -> Result<OpenWriter> {
        if dry_run {
            return Ok(None);
        }
        let (g, mut tx) = self.begin_write_pub().await?;
        for p in self.backend.bulk_pragmas().0 {
            sqlx::query(p).execute(&mut *tx).await?;
        }
        let keep_ids = [&run.create_scopes, &run.update_scopes]
            .iter()
            .any(|s| s.as_slice() != [RowScope::All]);
        let w = Writer::start(tx, self.backend, run.def_static, keep_ids);
        Ok(Some((g, w)))
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
            Some(w) if tally.bad => {
                release(Some(w), progress).await;
                None
            }
            Some((g, w)) => Some((g, w.finish(progress).await?)),
            None => None,
        };
        if report.has_issues() {
            return Ok(report);
        }
        let Tally {
            created,
            unchanged,
            updated,
            ..
        } = tally;
        report.created = created;
        report.updated = updated;
        report.unchanged = unchanged;
        let Some((_g, (mut tx, created_ids, updated_ids))) = written else {
            report.already_imported = created == 0 && updated == 0;
            report.committed = report.already_imported;
            return Ok(report); // a dry run
        };
        if created == 0 && updated == 0 {
            for p in bulk_off {
                sqlx::query(p).execute(&mut *tx).await?;
            }
            tx.rollback().await?;
            report.already_imported = true;
            report.committed = true;
            return Ok(report);
        }
        self.check_written_scopes(&mut tx, run, &created_ids, &updated_ids, &mut report)
            .await?;
        if report.has_issues() {
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
            self,
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
                        report.add_issue(RowIssue {
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
        let exact = crate::records::personal_uses(actor, def, q)?;
        let action = if full { Action::Reveal } else { Action::Read };
        let scopes = actor_scopes(actor, action, def.name).ok_or(StoreError::Denied)?;
        // An exact match on a personal field holds the export to the rows the actor may reveal.
        let reveal = match exact.is_empty() {
            true => None,
            false => Some(actor_scopes(actor, Action::Reveal, def.name).ok_or(StoreError::Denied)?),
        };
        let def = schema::resource(def.name).ok_or(StoreError::NotFound)?;
        Self::check_hidden_columns(actor, def, &q.filters, None)?;
        // The list's own conditions, checked once here (a bad filter is refused before any
        // row is read) and written again for each page.
        let mut errors = Vec::new();
        let mut conds = Vec::new();
        let mut w = Sql::default();
        crate::records::filter_conditions(def, &q.filters, &mut w, &mut conds, &mut errors);
        crate::records::selection_condition(q.ids.as_deref(), &mut w, &mut conds, &mut errors);
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mut names: Vec<(&'static str, HashMap<i64, String>)> = Vec::new();
        for f in def.fields {
            if let Kind::Ref(r) = f.kind {
                names.push((f.name, self.ref_names(r).await?));
            }
        }
        self.audit_personal_search(actor, def, &exact, "export", &q.source)
            .await?;
        Ok(ExportCursor {
            actor: actor.clone(),
            def,
            scopes,
            reveal,
            search: q.q.clone(),
            filters: q.filters.clone(),
            ids: q.ids.clone(),
            described: crate::records::describe_query(def, q),
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
        let mut conds = cur.conditions(&mut w);
        conds.push(format!("id > {}", w.bind(Bind::Int(Some(cur.after)))));
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
                schema::keep_readable(&cur.actor, def, rec)
            } else {
                schema::present(&cur.actor, def, rec)
            });
        }
        cur.rows += out.len();
        Ok(out)
    }

    /// How many rows an export begun with [`Store::export_begin`] would write: what the export
    /// dialog states before it asks for a reason. Reads no row and writes no audit entry of
    /// its own (the export does, with the count it wrote).
    pub async fn export_count(&self, cur: &ExportCursor) -> Result<i64> {
        let mut w = Sql::default();
        let conds = cur.conditions(&mut w);
        w.text = format!(
            "SELECT COUNT(*) FROM {} WHERE {}",
            cur.def.table,
            conds.join(" AND ")
        );
        Ok(w.query().fetch_one(&self.pool).await?.try_get(0)?)
    }

    /// Records the audit entry of a finished export: `export`, or `export_full` with the
    /// reason (4 to 500 characters, checked by [`Store::check_reason`] before it starts); both
    /// with the rows written and the list's filter and selection.
    pub async fn export_finish(
        &self,
        cur: &ExportCursor,
        source: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        let (action, detail) = match reason {
            Some(r) => (
                "export_full",
                format!("{} rows; {}; {}", cur.rows, cur.described, r.trim()),
            ),
            None => ("export", format!("{} rows; {}", cur.rows, cur.described)),
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
    /// The reveal scope, when an exact match on a personal field holds the export to it.
    reveal: Option<Vec<RowScope>>,
    /// The list's free-text search (never in a personal field).
    search: Option<String>,
    /// The list's filters (checked by `export_begin`).
    filters: Vec<(String, String)>,
    /// The selection, if any.
    ids: Option<Vec<i64>>,
    /// The filter and selection as the audit entry states them.
    described: String,
    names: Vec<(&'static str, HashMap<i64, String>)>,
    full: bool,
    after: i64,
    rows: usize,
    done: bool,
}

impl ExportCursor {
    /// The export's conditions: the scopes, then the list's filters, search and selection
    /// (the same functions the list uses, so an export writes exactly the rows of the list).
    fn conditions(&self, w: &mut Sql) -> Vec<String> {
        let def = self.def;
        let mut conds = vec![crate::scope::clause(def.name, &self.scopes, w)];
        if let Some(reveal) = &self.reveal {
            conds.push(crate::scope::clause(def.name, reveal, w));
        }
        let mut errors = Vec::new();
        crate::records::filter_conditions(def, &self.filters, w, &mut conds, &mut errors);
        crate::records::search_condition(def, self.search.as_deref(), w, &mut conds);
        crate::records::selection_condition(self.ids.as_deref(), w, &mut conds, &mut errors);
        // Checked by `export_begin`; should one still fail, nothing is exported.
        if !errors.is_empty() {
            conds.push("1 = 0".to_string());
        }
        conds
    }

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

/// What an import is: who imports which record type, the file's column headers by field name
/// (for the report), where from, and whether it only checks.
pub struct ImportTo<'a> {
    pub actor: &'a Actor,
    pub def: &'a ResourceDef,
    pub headers: &'a HashMap<String, String>,
    pub source: &'a str,
    pub dry_run: bool,
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
    /// The holders of personal unique values that the actor may reveal (`None`: all of them),
    /// to whom a clash is `duplicate`; for any other it is only `unusable`.
    revealable: Option<HashSet<i64>>,
}

/// What checking an import's rows has found so far.
#[derive(Default)]
struct Tally {
    /// Key texts, each with the first file row that has it.
    seen_keys: SeenTexts,
    /// Per unique field, its values, each with the first file row that has it.
    seen_unique: HashMap<&'static str, SeenTexts>,
    created: usize,
    unchanged: usize,
    updated: usize,
    /// Some row has a problem.
    bad: bool,
}

impl Tally {
    /// Counts a valid row as changed, unchanged or new; a new or changed row goes to the
    /// writer, unless an earlier row was bad (then nothing more is written).
    fn classify(
        &mut self,
        def: &ResourceDef,
        row: usize,
        rec: Record,
        old: Option<&Record>,
        old_id: Option<i64>,
        writer: Option<&mut Writer>,
    ) {
        let id = match old {
            Some(old) if def.fields.iter().all(|f| rec[f.name] == old[f.name]) => {
                self.unchanged += 1;
                return;
            }
            Some(_) => {
                self.updated += 1;
                Some(old_id.unwrap_or(0))
            }
            None => {
                self.created += 1;
                None
            }
        };
        if let Some(w) = writer {
            if self.bad {
                w.stop();
            } else {
                w.push(row, id, rec);
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
        found: &mut Vec<RowIssue>,
        row: usize,
        field: &str,
        value: &str,
        code: &str,
        reason: String,
    ) {
        found.push(RowIssue {
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
    ///
    /// A row the reader found problems in is checked all the same, for the report, but never
    /// written; a problem the reader found in a cell replaces what the checks say of the same
    /// cell, and the row's problems are then in the order of their fields.
    fn check_row(
        &self,
        r: SheetRow,
        existing: &Existing,
        tally: &mut Tally,
        report: &mut ImportReport,
        writer: Option<&mut Writer>,
    ) {
        let SheetRow {
            row,
            values,
            issues: file_issues,
        } = r;
        let mut found = Vec::new();
        self.check_values(
            row,
            values,
            file_issues.is_empty(),
            existing,
            tally,
            &mut found,
            writer,
        );
        if !file_issues.is_empty() {
            tally.bad = true;
            found.retain(|i| !file_issues.iter().any(|f| f.field == i.field));
            found.extend(file_issues);
            found.sort_by(|a, b| a.field.cmp(&b.field));
        }
        for i in found {
            report.add_issue(i);
        }
    }

    /// The checks of [`ImportRun::check_row`] on the values the reader took (`file_ok`: it
    /// found no problem in the row's cells); the problems go to `found`.
    #[allow(clippy::too_many_arguments)]
    fn check_values(
        &self,
        row: usize,
        mut values: Map<String, Value>,
        file_ok: bool,
        existing: &Existing,
        tally: &mut Tally,
        found: &mut Vec<RowIssue>,
        writer: Option<&mut Writer>,
    ) {
        let mut issue = |row: usize, field: &str, value: &str, code: &str, reason: String| {
            self.issue(found, row, field, value, code, reason);
        };
        let col = |f: &str| self.col(f);
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
            existing,
            &mut tally.seen_unique,
            &mut issue,
        );
        if row_ok && file_ok {
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
        seen_keys: &mut SeenTexts,
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
            Some((_, k)) => match seen_keys.insert(k, row) {
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
        existing: &Existing,
        seen_unique: &mut HashMap<&'static str, SeenTexts>,
        issue: &mut Issue<'_>,
    ) -> bool {
        let mut ok = true;
        for f in &self.uniques {
            if let Some(v) = rec[f.name].as_str() {
                if let Some(holder) = existing.holders.get(&(f.name, v.to_string())) {
                    if Some(*holder) != old_id {
                        // A personal value held elsewhere: only "cannot be used" unless the
                        // actor may reveal the holder (`core::privacy::clash`).
                        let revealable = existing
                            .revealable
                            .as_ref()
                            .is_none_or(|r| r.contains(holder));
                        let e = privacy::clash(f, revealable);
                        let reason = match e.code {
                            "duplicate" => "already belongs to another record".to_string(),
                            _ => e.message,
                        };
                        issue(row, f.name, v, e.code, reason);
                        ok = false;
                    }
                }
                if let Some(first) = seen_unique.entry(f.name).or_default().insert(v, row) {
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
    updates: &[WriterRow],
) -> Result<Vec<(usize, i64)>> {
    let now = skillbridge_core::dates::now();
    let mut updated_ids: Vec<(usize, i64)> = Vec::with_capacity(updates.len());
    for (row, id, rec) in updates {
        let id = id.unwrap_or(0);
        let mut s = Sql::default();
        let all: Vec<&skillbridge_core::schema::Field> = def.fields.iter().collect();
        let sets = stored_sets(def, &all, rec, id, &mut s);
        let p_now = s.bind(Bind::Text(Some(now.clone())));
        let p_id = s.bind(Bind::Int(Some(id)));
        s.text = format!(
            "UPDATE {} SET {}, updated_at = {p_now} WHERE id = {p_id}",
            def.table,
            sets.join(", ")
        );
        s.query()
            .execute(&mut **tx)
            .await
            .map_err(crate::map_db_err)?;
        updated_ids.push((*row, id));
    }
    Ok(updated_ids)
}

/// The writer's transaction and the (file row, id) of the rows it created and of those it
/// updated.
type WriterResult = Result<(
    sqlx::Transaction<'static, sqlx::Any>,
    Vec<(usize, i64)>,
    Vec<(usize, i64)>,
)>;

/// A row for the writer: file row, the id of the stored record it changes (none: a new
/// record), and the record.
type WriterRow = (usize, Option<i64>, Record);

/// Releases an import's write lock without committing: the writer is stopped and its
/// transaction rolled back.
async fn release(writer: OpenWriter, progress: &(dyn Fn(&'static str, usize) + Send + Sync)) {
    if let Some((g, mut w)) = writer {
        w.stop();
        drop(w.finish(progress).await);
        drop(g);
    }
}

/// Writes an import's new and changed rows on the import's transaction, in a task of its own,
/// while the rest of the file is still being checked: checking runs on this thread and the
/// writes on the database's, so the two overlap. Chunks go through a channel of two, so that
/// checking never runs more than two chunks ahead of writing (the records waiting are bounded
/// whatever the size of the file). Nothing is visible to others before the commit, and the
/// commit happens only after every row has been checked; when a bad row turns up the writer is
/// stopped and its transaction dropped, which rolls back what it wrote.
struct Writer {
    send: Option<tokio::sync::mpsc::Sender<Vec<WriterRow>>>,
    buf: Vec<WriterRow>,
    done: tokio::sync::mpsc::UnboundedReceiver<usize>,
    task: tokio::task::JoinHandle<WriterResult>,
}

impl Writer {
    const CHUNK: usize = 2_000;

    /// `keep_ids`: return the (file row, id) of every written row (for the scope check).
    fn start(
        mut tx: sqlx::Transaction<'static, sqlx::Any>,
        backend: crate::Backend,
        def: &'static ResourceDef,
        keep_ids: bool,
    ) -> Self {
        let (send, mut recv) = tokio::sync::mpsc::channel::<Vec<WriterRow>>(2);
        let (done_send, done) = tokio::sync::mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let mut created: Vec<(usize, i64)> = Vec::new();
            let mut updated: Vec<(usize, i64)> = Vec::new();
            let mut written = 0;
            while let Some(chunk) = recv.recv().await {
                written += chunk.len();
                let (new, changed): (Vec<WriterRow>, Vec<WriterRow>) =
                    chunk.into_iter().partition(|(_, id, _)| id.is_none());
                if !new.is_empty() {
                    let recs: Vec<&Record> = new.iter().map(|(_, _, r)| r).collect();
                    let got = Store::insert_rows(&mut tx, backend, def, &recs).await?;
                    if keep_ids {
                        created.extend(new.iter().map(|(row, _, _)| *row).zip(got));
                    }
                }
                let ids = write_updates(&mut tx, def, &changed).await?;
                if keep_ids {
                    updated.extend(ids);
                }
                let _ = done_send.send(written);
            }
            Ok((tx, created, updated))
        });
        Writer {
            send: Some(send),
            buf: Vec::with_capacity(Self::CHUNK),
            done,
            task,
        }
    }

    fn push(&mut self, row: usize, id: Option<i64>, rec: Record) {
        if self.send.is_some() {
            self.buf.push((row, id, rec));
        }
    }

    /// Hands a full chunk to the task, waiting while two are already waiting.
    async fn flush_full(&mut self) {
        if self.buf.len() >= Self::CHUNK {
            let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(Self::CHUNK));
            if let Some(s) = &self.send {
                // A send fails only when the task has ended with an error, which finish() returns.
                let _ = s.send(chunk).await;
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
    /// the rows it created and updated (file row, id; empty unless `keep_ids`).
    async fn finish(
        mut self,
        progress: &(dyn Fn(&'static str, usize) + Send + Sync),
    ) -> WriterResult {
        if let Some(s) = self.send.take() {
            if !self.buf.is_empty() {
                let _ = s.send(std::mem::take(&mut self.buf)).await;
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
