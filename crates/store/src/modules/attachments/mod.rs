//! The store half of the one attachment store (issue 10 §11): files kept under their SHA-256 in
//! the store's folder (`Store::files_dir`, laid out `ab/cd/<hash>`), one `attachments` row per
//! file attached to an owning record, and the rule that decides who reaches them: the owner's.
//!
//! An upload is written to a temporary file in the folder's `tmp/` while it is hashed
//! ([`Upload::write`], chunk by chunk: never held whole in memory), then renamed into place
//! inside the write transaction that records it ([`Attachments::attach`]); the same bytes
//! attached again keep the one file. Reading an attachment's list or its bytes needs read access
//! to the owner row (a row outside it is "not found"); attaching needs the owner module's rule
//! (`WriteHooks::attach_check`) or, by default, update access to the owner row.

use super::{store_view, NoHooks, StoreModule};
use crate::records::{Bind, Sql};
use crate::{Result, StoreError};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::modules::attachments::{shard_path, MediaType};
use skillbridge_core::schema::{self, ResourceDef};
use sqlx::Row;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

store_view!(
    /// The attachment store: uploads, lists and downloads under the owner's scope, backups.
    Attachments,
    attachments
);

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::attachments::MODULE,
    scope_sql: super::no_scope_sql,
    hooks: &NoHooks,
};

/// An upload on its way to the store: a temporary file being written and hashed. Dropped
/// without [`Attachments::attach`], its temporary file is removed.
pub struct Upload {
    file: Option<tokio::fs::File>,
    tmp: PathBuf,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
}

/// How many leading bytes an upload keeps for the magic-byte check.
const HEAD: usize = skillbridge_core::modules::attachments::SNIFF_BYTES;

impl Upload {
    /// Appends a chunk: written to the temporary file and hashed; only the first bytes are kept.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        if self.head.len() < HEAD {
            let n = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..n]);
        }
        self.hasher.update(chunk);
        self.size += chunk.len() as u64;
        let file = self.file.as_mut().ok_or_else(|| io_err("upload closed"))?;
        file.write_all(chunk).await.map_err(io)?;
        Ok(())
    }

    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The first bytes (up to 16), for the magic-byte check.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Flushes the file to disk and returns the hash in lower-case hex.
    async fn finish(&mut self) -> Result<String> {
        if let Some(mut f) = self.file.take() {
            f.flush().await.map_err(io)?;
            f.sync_all().await.map_err(io)?;
        }
        let digest = std::mem::take(&mut self.hasher).finalize();
        Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        // Gone already when it was renamed into place.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// A stored file to send: its row and where its bytes are.
#[derive(Debug, Clone)]
pub struct AttachmentFile {
    pub id: i64,
    pub size: u64,
    pub media_type: MediaType,
    pub file_name: String,
    pub path: PathBuf,
    /// The owning record type and id.
    pub owner: String,
    pub owner_id: i64,
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Config(format!("attachment store: {e}"))
}

fn io_err(what: &str) -> StoreError {
    StoreError::Config(format!("attachment store: {what}"))
}

const COLUMNS: &str =
    "id, owner, owner_id, sha256, size, media_type, file_name, uploaded_by, created_at";

fn decode(row: &sqlx::any::AnyRow) -> Result<Value> {
    Ok(json!({
        "id": row.try_get::<i64, _>(0)?,
        "owner": row.try_get::<String, _>(1)?,
        "owner_id": row.try_get::<i64, _>(2)?,
        "sha256": row.try_get::<String, _>(3)?,
        "size": row.try_get::<i64, _>(4)?,
        "media_type": row.try_get::<String, _>(5)?,
        "file_name": row.try_get::<String, _>(6)?,
        "uploaded_by": row.try_get::<Option<i64>, _>(7)?,
        "created_at": row.try_get::<String, _>(8)?,
    }))
}

fn owner_def(owner: &str) -> Result<&'static ResourceDef> {
    schema::resource(owner).ok_or(StoreError::NotFound)
}

impl Attachments<'_> {
    /// Starts an upload: a new temporary file in the store's `tmp/` folder (on the same file
    /// system as the files, so the rename into place is atomic).
    pub async fn begin_upload(&self) -> Result<Upload> {
        let dir = self.files_dir().join("tmp");
        tokio::fs::create_dir_all(&dir).await.map_err(io)?;
        let mut r = [0u8; 12];
        getrandom::getrandom(&mut r).map_err(|e| io_err(&e.to_string()))?;
        let name: String = r.iter().map(|b| format!("{b:02x}")).collect();
        let tmp = dir.join(format!("{name}.part"));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .await
            .map_err(io)?;
        Ok(Upload {
            file: Some(file),
            tmp,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::with_capacity(HEAD),
        })
    }

    /// Records a finished upload as an attachment of record `owner_id` of type `owner`, with its
    /// checked type and plain file name (both checked by the caller with
    /// `core::modules::attachments`). The file is moved into place and the row and its audit
    /// entry are written in one transaction; the answer is the row.
    #[allow(clippy::too_many_arguments)]
    pub async fn attach(
        &self,
        actor: &Actor,
        owner: &str,
        owner_id: i64,
        mut upload: Upload,
        media: MediaType,
        file_name: &str,
        source: &str,
    ) -> Result<Value> {
        let def = owner_def(owner)?;
        skillbridge_core::modules::attachments::check_name(file_name).map_err(|r| {
            StoreError::Invalid(vec![schema::FieldError::new("name", r.code(), r.message())])
        })?;
        let hash = upload.finish().await?;
        let rel = shard_path(&hash).ok_or_else(|| io_err("bad hash"))?;
        let (_g, mut tx) = self.begin_write_pub().await?;
        let hooks = super::hooks(def);
        if !hooks
            .attach_check(self, &mut tx, actor, def, owner_id)
            .await?
        {
            let scopes = self
                .write_scopes(actor, Action::Update, def, owner_id)
                .await?;
            self.fetch_scoped(&mut *tx, def, owner_id, &scopes)
                .await?
                .ok_or(StoreError::NotFound)?;
        }
        let dest = self.files_dir().join(&rel);
        if !dest.exists() {
            if let Some(parent) = dest.parent() {
                tokio::fs::create_dir_all(parent).await.map_err(io)?;
            }
            tokio::fs::rename(&upload.tmp, &dest).await.map_err(io)?;
        }
        let mut s = Sql::default();
        let ps = [
            s.bind(Bind::Text(Some(owner.to_string()))),
            s.bind(Bind::Int(Some(owner_id))),
            s.bind(Bind::Text(Some(hash))),
            s.bind(Bind::Int(Some(upload.size as i64))),
            s.bind(Bind::Text(Some(media.mime().to_string()))),
            s.bind(Bind::Text(Some(file_name.to_string()))),
            s.bind(Bind::Int(actor.user_id)),
            s.bind(Bind::Text(Some(skillbridge_core::dates::now()))),
        ];
        s.text = format!(
            "INSERT INTO attachments (owner, owner_id, sha256, size, media_type, file_name, uploaded_by, created_at) \
             VALUES ({}) RETURNING {COLUMNS}",
            ps.join(", ")
        );
        let row = decode(&s.query().fetch_one(&mut *tx).await?)?;
        let id = row["id"].as_i64().unwrap_or(0);
        self.audit_in(
            &mut tx,
            actor,
            "attach",
            &format!("attachments/{id}"),
            source,
            &format!("{owner}/{owner_id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Whether the actor may read record `owner_id` of `owner`: `NotFound` otherwise.
    async fn check_owner_readable(&self, actor: &Actor, owner: &str, owner_id: i64) -> Result<()> {
        let def = owner_def(owner)?;
        let scopes: Vec<RowScope> =
            actor_scopes(actor, Action::Read, def.name).ok_or(StoreError::NotFound)?;
        self.fetch_scoped(&self.pool, def, owner_id, &scopes)
            .await?
            .map(|_| ())
            .ok_or(StoreError::NotFound)
    }

    /// The attachments of one record, oldest first, for an actor who may read the record.
    pub async fn list(&self, actor: &Actor, owner: &str, owner_id: i64) -> Result<Vec<Value>> {
        self.check_owner_readable(actor, owner, owner_id).await?;
        self.list_unchecked(owner, owner_id).await
    }

    /// The attachments of one record, without a permission check (for the owning module's own
    /// answers, after it checked).
    pub(crate) async fn list_unchecked(&self, owner: &str, owner_id: i64) -> Result<Vec<Value>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM attachments WHERE owner = $1 AND owner_id = $2 ORDER BY id"
        ))
        .bind(owner.to_string())
        .bind(owner_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode).collect()
    }

    /// One attachment's file, for an actor who may read its owner; `NotFound` otherwise (an
    /// attachment of a record outside the actor's scope does not exist for them).
    pub async fn open(&self, actor: &Actor, id: i64) -> Result<AttachmentFile> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM attachments WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let v = decode(&row)?;
        let owner = v["owner"].as_str().unwrap_or("");
        self.check_owner_readable(actor, owner, v["owner_id"].as_i64().unwrap_or(0))
            .await?;
        let media = MediaType::from_mime(v["media_type"].as_str().unwrap_or(""))
            .ok_or_else(|| io_err("stored type not on the allow-list"))?;
        let rel =
            shard_path(v["sha256"].as_str().unwrap_or("")).ok_or_else(|| io_err("bad hash"))?;
        Ok(AttachmentFile {
            id,
            size: v["size"].as_u64().unwrap_or(0),
            media_type: media,
            file_name: v["file_name"].as_str().unwrap_or("").to_string(),
            path: self.files_dir().join(rel),
            owner: owner.to_string(),
            owner_id: v["owner_id"].as_i64().unwrap_or(0),
        })
    }

    /// Tells the owner's module that `f` was served from its first byte (usage counts).
    pub async fn served(&self, f: &AttachmentFile) -> Result<()> {
        let def = owner_def(&f.owner)?;
        crate::modules::hooks(def)
            .on_download(self, def, f.owner_id)
            .await
    }

    /// Copies every stored file (not the temporary ones) to `dest`, in the same layout; files
    /// already there are kept (they are the same bytes by their name).
    pub(crate) async fn copy_files_to(&self, dest: &Path) -> Result<()> {
        let src = self.files_dir().to_path_buf();
        let dest = dest.to_path_buf();
        tokio::task::spawn_blocking(move || copy_tree(&src, &dest))
            .await
            .map_err(|e| io_err(&e.to_string()))?
            .map_err(io)
    }
}

/// Copies the `ab/cd/<hash>` files of `src` to `dest`.
fn copy_tree(src: &Path, dest: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dest)?;
    if !src.exists() {
        return Ok(());
    }
    for a in std::fs::read_dir(src)? {
        let a = a?;
        let name = a.file_name();
        // Only the two-hex-digit shard folders: `tmp/` holds uploads in progress.
        if name.len() != 2 || !a.file_type()?.is_dir() {
            continue;
        }
        for b in std::fs::read_dir(a.path())? {
            let b = b?;
            if !b.file_type()?.is_dir() {
                continue;
            }
            let to = dest.join(&name).join(b.file_name());
            std::fs::create_dir_all(&to)?;
            for f in std::fs::read_dir(b.path())? {
                let f = f?;
                let target = to.join(f.file_name());
                if f.file_type()?.is_file() && !target.exists() {
                    std::fs::copy(f.path(), &target)?;
                }
            }
        }
    }
    Ok(())
}
