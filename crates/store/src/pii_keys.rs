//! The personal columns as stored: what is in clear and under which key (`Store::pii_census`),
//! and the online re-encryption that `skillbridge rotate-pii-key` runs (`Store::reencrypt_pii`).
//! The cipher and the key ring are in `crypt.rs`; the values are read and written through the
//! record paths of `records.rs` (`decode`, `stored_sets`), like every other write.

use crate::crypt::{self, PREFIX};
use crate::records::{columns, decode, pii_fields, stored_sets, Bind, Sql};
use crate::{map_db_err, Result, Store, StoreError};
use skillbridge_core::schema::{self, ResourceDef};
use sqlx::Row;

/// How the values of one personal column are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiiColumn {
    pub table: &'static str,
    pub column: &'static str,
    /// Values in clear.
    pub clear: i64,
    /// Values encrypted, by key id.
    pub by_key: Vec<(String, i64)>,
}

/// What a pass of [`Store::reencrypt_pii`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reencrypted {
    /// Rows rewritten (every personal value of each, under the primary key).
    pub rows: u64,
    /// Short transactions used.
    pub batches: u64,
}

/// Personal values kept outside the record descriptions, by the accounts' own tables: a user's
/// notification e-mail address and the recipient of each queued mail. Encrypted like record
/// fields; the associated data's row id is the account's (`aad`), so that a mail's recipient can
/// be sealed before its row has an id. (table, column, the column rows are paged by, the column
/// that is the associated data's id).
pub(crate) const ACCOUNT_PII: &[AccountPii] = &[
    AccountPii {
        table: "user_preferences",
        column: "email",
        page: "user_id",
        aad: "user_id",
    },
    AccountPii {
        table: "mail_outbox",
        column: "recipient",
        page: "id",
        aad: "user_id",
    },
];

/// One personal column of [`ACCOUNT_PII`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccountPii {
    pub table: &'static str,
    pub column: &'static str,
    pub page: &'static str,
    pub aad: &'static str,
}

/// A stored account value as the application sees it (see [`ACCOUNT_PII`]).
pub(crate) fn reveal_account(
    table: &str,
    column: &str,
    aad: i64,
    stored: String,
) -> Result<String> {
    crypt::reveal_stored(table, column, aad, stored).map_err(|e| StoreError::Config(e.to_string()))
}

/// What to store for an account value (see [`ACCOUNT_PII`]).
pub(crate) fn conceal_account(table: &str, column: &str, aad: i64, plain: &str) -> String {
    crypt::conceal(table, column, aad, plain)
}

/// The SQL that splits a column's values into clear (`''`) and each key id.
fn census_sql(table: &str, c: &str) -> String {
    // The key id sits between the prefix and the next colon.
    let start = PREFIX.len() + 1;
    format!(
        "SELECT CASE WHEN {c} LIKE '{PREFIX}%' THEN \
         SUBSTR({c}, {start}, {len}) ELSE '' END AS k, COUNT(*) \
         FROM {table} WHERE {c} IS NOT NULL AND {c} <> '' GROUP BY 1 ORDER BY 1",
        len = 8,
    )
}

/// The record types that have personal fields.
fn personal_defs() -> impl Iterator<Item = &'static ResourceDef> {
    schema::RESOURCES
        .iter()
        .copied()
        .filter(|d| pii_fields(d).next().is_some())
}

impl Store {
    /// Every personal column: how many values are in clear and how many under each key.
    pub async fn pii_census(&self) -> Result<Vec<PiiColumn>> {
        let mut columns: Vec<(&'static str, &'static str)> = Vec::new();
        for def in personal_defs() {
            columns.extend(pii_fields(def).map(|f| (def.table, f.name)));
        }
        columns.extend(ACCOUNT_PII.iter().map(|a| (a.table, a.column)));
        let mut out = Vec::new();
        for (table, column) in columns {
            let mut col = PiiColumn {
                table,
                column,
                clear: 0,
                by_key: Vec::new(),
            };
            for r in sqlx::query(&census_sql(table, column))
                .fetch_all(&self.pool)
                .await?
            {
                let k: String = r.try_get(0)?;
                let n: i64 = r.try_get(1)?;
                if k.is_empty() {
                    col.clear += n;
                } else {
                    col.by_key.push((k, n));
                }
            }
            out.push(col);
        }
        Ok(out)
    }

    /// Rewrites, in short write transactions of `batch` rows, every row holding a personal
    /// value that is in clear or under a key other than the key ring's primary: each of its
    /// personal values encrypted under the primary key and its blind index recomputed. The
    /// server keeps serving meanwhile (each batch holds the write lock only briefly, and values
    /// under either key stay readable while the key file holds both). Runs until a pass finds
    /// nothing left, so rows written under the old key during the rotation are caught too.
    pub async fn reencrypt_pii(&self, batch: i64) -> Result<Reencrypted> {
        let ring = crypt::current()
            .ok_or_else(|| StoreError::Config("no personal-data key file is configured".into()))?;
        let primary = format!("{PREFIX}{}:%", ring.primary_id());
        let mut done = Reencrypted::default();
        for def in personal_defs() {
            let fields: Vec<&schema::Field> = pii_fields(def).collect();
            let mut after = 0i64;
            loop {
                let mut s = Sql::default();
                let p = s.bind(Bind::Text(Some(primary.clone())));
                let a = s.bind(Bind::Int(Some(after)));
                let lim = s.bind(Bind::Int(Some(batch)));
                let stale: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        format!(
                            "({c} IS NOT NULL AND {c} <> '' AND {c} NOT LIKE {p})",
                            c = f.name
                        )
                    })
                    .collect();
                s.text = format!(
                    "SELECT {} FROM {} WHERE id > {a} AND ({}) ORDER BY id LIMIT {lim}",
                    columns(def),
                    def.table,
                    stale.join(" OR ")
                );
                let (_g, mut tx) = self.begin_write().await?;
                let rows = s.query().fetch_all(&mut *tx).await?;
                if rows.is_empty() {
                    break;
                }
                for r in &rows {
                    let rec = decode(def, r)?;
                    let id: i64 = r.try_get(0)?;
                    let mut u = Sql::default();
                    let sets = stored_sets(def, &fields, &rec, id, &mut u);
                    let pid = u.bind(Bind::Int(Some(id)));
                    u.text = format!(
                        "UPDATE {} SET {} WHERE id = {pid}",
                        def.table,
                        sets.join(", ")
                    );
                    u.query().execute(&mut *tx).await.map_err(map_db_err)?;
                    after = id;
                    done.rows += 1;
                }
                tx.commit().await?;
                done.batches += 1;
                // Let the server's writers in between batches.
                tokio::task::yield_now().await;
            }
        }
        for a in ACCOUNT_PII {
            self.reencrypt_account(a, &primary, batch, &mut done)
                .await?;
        }
        Ok(done)
    }

    /// [`Store::reencrypt_pii`] for one column of [`ACCOUNT_PII`].
    async fn reencrypt_account(
        &self,
        a: &AccountPii,
        primary: &str,
        batch: i64,
        done: &mut Reencrypted,
    ) -> Result<()> {
        let mut after = i64::MIN;
        loop {
            let mut s = Sql::default();
            let p = s.bind(Bind::Text(Some(primary.to_string())));
            let at = s.bind(Bind::Int(Some(after)));
            let lim = s.bind(Bind::Int(Some(batch)));
            s.text = format!(
                "SELECT {page}, {aad}, {c} FROM {t} WHERE {page} > {at} AND {c} IS NOT NULL \
                 AND {c} <> '' AND {c} NOT LIKE {p} ORDER BY {page} LIMIT {lim}",
                page = a.page,
                aad = a.aad,
                c = a.column,
                t = a.table,
            );
            let (_g, mut tx) = self.begin_write().await?;
            let rows = s.query().fetch_all(&mut *tx).await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let page: i64 = r.try_get(0)?;
                let aad: i64 = r.try_get(1)?;
                let plain = reveal_account(a.table, a.column, aad, r.try_get(2)?)?;
                let sealed = conceal_account(a.table, a.column, aad, &plain);
                sqlx::query(&format!(
                    "UPDATE {t} SET {c} = $1 WHERE {page} = $2",
                    t = a.table,
                    c = a.column,
                    page = a.page
                ))
                .bind(sealed)
                .bind(page)
                .execute(&mut *tx)
                .await
                .map_err(map_db_err)?;
                after = page;
                done.rows += 1;
            }
            tx.commit().await?;
            done.batches += 1;
            tokio::task::yield_now().await;
        }
        Ok(())
    }

    /// After a rotation or the encryption of values that were in clear, the old bytes of the
    /// rewritten rows are still in free pages and the WAL (SQLite) or in dead tuples
    /// (PostgreSQL). SQLite: checkpoint, `VACUUM` (rewrites the file without free pages),
    /// checkpoint with `TRUNCATE`. PostgreSQL: `VACUUM FULL` of the tables with personal fields
    /// (each rewritten, briefly locked); the server's WAL keeps the old tuples until it recycles
    /// its segments (see "Deleted means gone").
    pub async fn purge_rewritten_pii(&self) -> Result<()> {
        match self.backend {
            crate::Backend::Sqlite => {
                for sql in [
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                    "VACUUM",
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                ] {
                    sqlx::query(sql).execute(&self.pool).await?;
                }
            }
            crate::Backend::Postgres => {
                let mut tables: Vec<&str> = personal_defs().map(|d| d.table).collect();
                tables.extend(ACCOUNT_PII.iter().map(|a| a.table));
                sqlx::raw_sql(&format!("VACUUM FULL {}", tables.join(", ")))
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Every stored personal value with where it is (table, column, row id), as stored: for the
    /// at-rest test, which checks that each decrypts under the new key and under no old one.
    #[cfg(feature = "test-helpers")]
    #[inline(never)]
    pub async fn raw_pii_values_for_tests(&self) -> Result<Vec<(String, String, i64, String)>> {
        let mut out = Vec::new();
        for def in personal_defs() {
            for f in pii_fields(def) {
                let sql = format!(
                    "SELECT id, {c} FROM {t} WHERE {c} IS NOT NULL",
                    c = f.name,
                    t = def.table
                );
                for r in sqlx::query(&sql).fetch_all(&self.pool).await? {
                    out.push((
                        def.table.to_string(),
                        f.name.to_string(),
                        r.try_get(0)?,
                        r.try_get(1)?,
                    ));
                }
            }
        }
        for a in ACCOUNT_PII {
            let sql = format!(
                "SELECT {aad}, {c} FROM {t} WHERE {c} IS NOT NULL",
                aad = a.aad,
                c = a.column,
                t = a.table
            );
            for r in sqlx::query(&sql).fetch_all(&self.pool).await? {
                out.push((
                    a.table.to_string(),
                    a.column.to_string(),
                    r.try_get(0)?,
                    r.try_get(1)?,
                ));
            }
        }
        Ok(out)
    }
}
