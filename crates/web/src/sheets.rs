//! Spreadsheet upload and download for the record types in `core::import::importable`:
//! templates, imports with a row-level report, masked exports, and full exports (an audited
//! reveal). [`import_bytes`] is also what `skillbridge import` runs.

use crate::api::{Api, RouteSpec};
use crate::auth::{Auth, ClientAddr};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use skillbridge_core::access::{Action, Actor};
use skillbridge_core::import::{importable_names, ImportReport};
use skillbridge_core::schema::{self, ResourceDef};
use skillbridge_io::{Format, IoError, Lang, Limits};
use skillbridge_store::{
    ImportTo, ListQuery, SheetBatch, SheetRow, Store, StoreError, STREAM_BATCH,
};
use std::collections::HashMap;

/// Receives an import's phases and row counts: `read`, `checked`, `written`, `committing`.
pub type Progress = std::sync::Arc<dyn Fn(&'static str, usize) + Send + Sync>;

/// Why an import could not even be checked.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error("{0}")]
    File(#[from] IoError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Reads a file and checks (and, unless `dry_run`, commits) its rows. The report lists the
/// first problems and counts every one: those found while reading the file and those found
/// against the database.
///
/// The file streams: a blocking thread reads it (`skillbridge_io::read_rows`) and hands rows
/// over in batches of [`STREAM_BATCH`] through a channel of two, and the store checks and
/// writes each batch as it comes (`Store::import_stream`), so that no more than a few batches
/// of rows are in memory at once, whatever the file holds. A file refused while it is read
/// (too many rows, damaged) stops the store's half, which commits nothing; that refusal is the
/// answer.
pub async fn import_bytes(
    store: &Store,
    actor: &Actor,
    def: &'static ResourceDef,
    bytes: impl AsRef<[u8]> + Send + 'static,
    source: &str,
    dry_run: bool,
    progress: Progress,
) -> Result<ImportReport, ImportFailure> {
    let p = progress.clone();
    let college = store.header_aliases(def.name).await?;
    let (head_send, head_recv) = tokio::sync::oneshot::channel();
    let (send, mut recv) = tokio::sync::mpsc::channel(2);
    let reader = tokio::task::spawn_blocking(move || {
        let mut sink = Forward {
            head: Some(head_send),
            send,
            batch: Vec::with_capacity(STREAM_BATCH),
        };
        let mut read = |n| p("read", n);
        skillbridge_io::read_rows(
            def,
            bytes.as_ref(),
            &Limits::default(),
            &college,
            &mut read,
            &mut sink,
        )?;
        sink.flush()?;
        sink.send
            .blocking_send(SheetBatch::End)
            .map_err(|_| IoError::Stopped)
    });
    let stopped = |e: tokio::task::JoinError| StoreError::Config(format!("reader stopped: {e}"));
    // The header comes first; without one the reader has failed, and says why.
    let Ok(header) = head_recv.await else {
        reader.await.map_err(stopped)??;
        return Err(StoreError::Config("the reader gave no header".into()).into());
    };
    let headers: HashMap<String, String> = header
        .columns
        .iter()
        .filter_map(|(h, f)| f.map(|f| (f.to_string(), h.clone())))
        .collect();
    let to = ImportTo {
        actor,
        def,
        headers: &headers,
        source,
        dry_run,
    };
    let checked = store
        .import_stream(&to, header.issues, &mut recv, &*progress)
        .await;
    // A reader still sending (the store gave up first) stops at its next batch.
    drop(recv);
    match (checked, reader.await.map_err(stopped)?) {
        (_, Err(e)) if !matches!(e, IoError::Stopped) => Err(e.into()),
        (Ok(mut report), Ok(())) => {
            report.warnings = header.warnings;
            Ok(report)
        }
        (Err(e), _) => Err(e.into()),
        (Ok(_), Err(e)) => Err(e.into()),
    }
}

/// Hands the reader's rows to the store's channel in batches.
struct Forward {
    head: Option<tokio::sync::oneshot::Sender<skillbridge_io::SheetHeader>>,
    send: tokio::sync::mpsc::Sender<SheetBatch>,
    batch: Vec<SheetRow>,
}

impl Forward {
    fn flush(&mut self) -> Result<(), IoError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(STREAM_BATCH));
        self.send
            .blocking_send(SheetBatch::Rows(batch))
            .map_err(|_| IoError::Stopped)
    }
}

impl skillbridge_io::RowSink for Forward {
    fn header(&mut self, header: skillbridge_io::SheetHeader) -> Result<(), IoError> {
        let head = self.head.take().ok_or(IoError::Stopped)?;
        head.send(header).map_err(|_| IoError::Stopped)
    }

    fn row(
        &mut self,
        row: skillbridge_io::ParsedRow,
        issues: Vec<skillbridge_core::import::RowIssue>,
    ) -> Result<(), IoError> {
        self.batch.push(SheetRow {
            row: row.row,
            values: row.values,
            issues,
        });
        if self.batch.len() >= STREAM_BATCH {
            self.flush()?;
        }
        Ok(())
    }
}

fn def_of(name: &str) -> &'static ResourceDef {
    schema::resource(name).expect("importable resource")
}

#[derive(Deserialize)]
struct FileQuery {
    format: Option<String>,
    lang: Option<String>,
}

pub(crate) fn format_of(q: Option<&str>) -> ApiResult<Format> {
    match q.unwrap_or("xlsx") {
        "xlsx" => Ok(Format::Xlsx),
        "csv" => Ok(Format::Csv),
        _ => Err(ApiError::invalid(
            "format",
            "not_allowed",
            "must be xlsx or csv",
        )),
    }
}

pub(crate) fn lang_of(q: Option<&str>) -> ApiResult<Lang> {
    match q.unwrap_or("zh") {
        "zh" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        _ => Err(ApiError::invalid("lang", "not_allowed", "must be zh or en")),
    }
}

/// A download: the right type, and always an attachment.
pub(crate) fn attachment(
    bytes: Vec<u8>,
    format: Format,
    def: &ResourceDef,
    suffix: &str,
) -> Response {
    let (ctype, ext) = match format {
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    let disp = format!("attachment; filename=\"{}{suffix}.{ext}\"", def.name);
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disp).expect("ASCII file name"),
    );
    res
}

/// The parameters of an export (and of its count): the list's own (`q`, `sort` and field
/// filters), the selection (`ids`, comma-separated), and the file's `format` and `lang`. Paging
/// (`limit`, `offset`) is ignored: an export has every row of the list.
fn export_query(
    params: Vec<(String, String)>,
    source: String,
) -> ApiResult<(HashMap<String, String>, ListQuery)> {
    let mut opts = HashMap::new();
    let mut lq = ListQuery {
        source,
        ..Default::default()
    };
    for (k, v) in params {
        match k.as_str() {
            "format" | "lang" | "full" => {
                opts.insert(k, v);
            }
            "limit" | "offset" => {}
            "q" => lq.q = Some(v),
            "sort" => lq.sort = Some(v),
            "ids" => lq.ids = Some(parse_ids(&v)?),
            _ => lq.filters.push((k, v)),
        }
    }
    Ok((opts, lq))
}

/// A selection's ids: `1,2,3` (blank: nothing selected).
pub(crate) fn parse_ids(v: &str) -> ApiResult<Vec<i64>> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>().ok().filter(|i| *i > 0).ok_or_else(|| {
                ApiError::invalid(
                    "ids",
                    "invalid",
                    "ids are whole numbers separated by commas",
                )
            })
        })
        .collect()
}

async fn template(
    def: &'static ResourceDef,
    State(st): State<AppState>,
    auth: Auth,
    q: Result<Query<FileQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let format = format_of(q.format.as_deref())?;
    let lists = template_lists(&st.store, &auth.actor, def).await?;
    let bytes = skillbridge_io::template_with(def, format, lang_of(q.lang.as_deref())?, &lists);
    Ok(attachment(bytes, format, def, "-template"))
}

/// What a template offers from the database: the records each reference column may name (as
/// the import accepts them, within the user's reach) and the college's header spellings.
/// `skillbridge template` writes the same.
pub async fn template_lists(
    store: &Store,
    actor: &Actor,
    def: &'static ResourceDef,
) -> Result<skillbridge_io::TemplateLists, StoreError> {
    Ok(skillbridge_io::TemplateLists {
        choices: store
            .template_choices(actor, def, skillbridge_io::MAX_CHOICES)
            .await?,
        college: store.header_aliases(def.name).await?,
    })
}

/// The columns of a record type's files, each with every header spelling accepted (built in and
/// the college's own): the import help.
async fn import_columns(
    def: &'static ResourceDef,
    State(st): State<AppState>,
    _auth: Auth,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let college = st.store.header_aliases(def.name).await?;
    let list: Vec<serde_json::Value> = skillbridge_io::accepted_spellings(def, &college)
        .into_iter()
        .map(|(f, spellings)| {
            json!({"field": f.name, "zh": f.zh, "en": f.en, "required": f.required, "spellings": spellings})
        })
        .collect();
    Ok(axum::Json(json!(list)))
}

async fn export(
    def: &'static ResourceDef,
    State(st): State<AppState>,
    auth: Auth,
    addr: ClientAddr,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(params) = q.map_err(|e| crate::extract::query_error(&e))?;
    let (opts, lq) = export_query(params, addr.0.to_string())?;
    let format = format_of(opts.get("format").map(String::as_str))?;
    let lang = lang_of(opts.get("lang").map(String::as_str))?;
    let bytes = export_file(&st, &auth, &addr, def, lq, None, format, lang).await?;
    Ok(attachment(bytes, format, def, ""))
}

/// Writes an export file page by page: records are read a page at a time and written as they
/// arrive (on a blocking thread, the page reads handed back to the runtime), so the server holds
/// one page and the compressed file, whatever the size of the table. A full export (`reason`
/// given) needs the reveal permission; either kind is audited before the file is handed out.
#[allow(clippy::too_many_arguments)]
async fn export_file(
    st: &AppState,
    auth: &Auth,
    addr: &ClientAddr,
    def: &'static ResourceDef,
    lq: ListQuery,
    reason: Option<String>,
    format: Format,
    lang: Lang,
) -> ApiResult<Vec<u8>> {
    let action = if reason.is_some() {
        "export_full"
    } else {
        "export"
    };
    if let Some(r) = &reason {
        Store::check_reason(r)?;
    }
    let r = st
        .store
        .export_begin(&auth.actor, def, &lq, reason.is_some())
        .await;
    let mut cur = st.guard(auth, addr, action, def.name, r).await?;
    let store = st.store.clone();
    let source = addr.0.to_string();
    let rt = tokio::runtime::Handle::current();
    let internal = |e: IoError| ApiError::Internal(e.to_string());
    let actor = auth.actor.clone();
    tokio::task::spawn_blocking(move || -> ApiResult<Vec<u8>> {
        let readable = move |f: &skillbridge_core::schema::Field| {
            skillbridge_core::access::may_field(&actor, Action::Read, def, f.name)
        };
        let mut w =
            skillbridge_io::SheetWriter::new_only(def, format, lang, readable).map_err(internal)?;
        loop {
            let page = rt.block_on(store.export_next(&mut cur))?;
            if page.is_empty() {
                break;
            }
            for rec in &page {
                w.push(rec).map_err(internal)?;
            }
        }
        let bytes = w.finish().map_err(internal)?;
        rt.block_on(store.export_finish(&cur, &source, reason.as_deref()))?;
        Ok(bytes)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
}

#[derive(Deserialize)]
struct FullExport {
    format: Option<String>,
    lang: Option<String>,
    reason: String,
}

/// How many rows an export with these parameters would write (`full=true`: a full export,
/// which needs the reveal permission): what the export dialog states before it asks for a
/// reason.
async fn export_count(
    def: &'static ResourceDef,
    State(st): State<AppState>,
    auth: Auth,
    addr: ClientAddr,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let Query(params) = q.map_err(|e| crate::extract::query_error(&e))?;
    let (opts, lq) = export_query(params, addr.0.to_string())?;
    let full = match opts.get("full").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid("full", "invalid", "true or false")),
    };
    let action = if full { "export_full" } else { "export" };
    let r = match st.store.export_begin(&auth.actor, def, &lq, full).await {
        Ok(cur) => st.store.export_count(&cur).await,
        Err(e) => Err(e),
    };
    let rows = st.guard(&auth, &addr, action, def.name, r).await?;
    Ok(axum::Json(json!({ "rows": rows })))
}

/// A full export: the list's parameters in the query (as for [`export`]), the reason and the
/// file's format in the body.
async fn export_full(
    def: &'static ResourceDef,
    State(st): State<AppState>,
    auth: Auth,
    addr: ClientAddr,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
    Json(body): Json<FullExport>,
) -> ApiResult<Response> {
    let Query(params) = q.map_err(|e| crate::extract::query_error(&e))?;
    let (_, lq) = export_query(params, addr.0.to_string())?;
    let format = format_of(body.format.as_deref())?;
    let lang = lang_of(body.lang.as_deref())?;
    let bytes = export_file(&st, &auth, &addr, def, lq, Some(body.reason), format, lang).await?;
    Ok(attachment(bytes, format, def, "-full"))
}

#[derive(Deserialize)]
struct ImportQuery {
    dry_run: Option<bool>,
}

/// The body of an import refused for its rows: the report, and what happened in each language.
fn rejected(report: &ImportReport) -> serde_json::Value {
    let listed = if report.issues_truncated {
        format!(" (the first {} are listed)", report.issues.len())
    } else {
        String::new()
    };
    let message = format!(
        "{} problems found{listed}; nothing was imported",
        report.issues_total
    );
    let listed_zh = if report.issues_truncated {
        format!("（列出前 {} 个）", report.issues.len())
    } else {
        String::new()
    };
    let message_zh = format!(
        "发现 {} 个问题{listed_zh}，未导入任何数据",
        report.issues_total
    );
    json!({"code": "import_rejected", "message": message, "message_en": message,
           "message_zh": message_zh, "report": report})
}

async fn import(
    def: &'static ResourceDef,
    State(st): State<AppState>,
    auth: Auth,
    addr: ClientAddr,
    q: Result<Query<ImportQuery>, QueryRejection>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Response> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })?;
    // Permission before reading a byte of the file.
    if skillbridge_core::access::actor_scopes(
        &auth.actor,
        skillbridge_core::access::Action::Create,
        def.name,
    )
    .is_none()
    {
        let r: Result<(), StoreError> = Err(StoreError::Denied);
        st.guard(&auth, &addr, "import", def.name, r).await?;
    }
    if body.is_empty() {
        return Err(ApiError::invalid(
            "file",
            "required",
            "send the spreadsheet as the request body",
        ));
    }
    st.clash_gate(&auth, &addr, def.name).await?;
    let result = import_bytes(
        &st.store,
        &auth.actor,
        def,
        body,
        &addr.0.to_string(),
        q.dry_run.unwrap_or(false),
        std::sync::Arc::new(|_, _| {}),
    )
    .await;
    if let Ok(report) = &result {
        // Every row that clashed on a personal value counts (see privacy.rs), listed or not.
        let n = report
            .issue_counts
            .get(skillbridge_core::privacy::UNUSABLE)
            .copied()
            .unwrap_or(0);
        let fields: Vec<&str> = report
            .issues
            .iter()
            .filter(|i| i.code == skillbridge_core::privacy::UNUSABLE)
            .map(|i| i.field.as_str())
            .collect();
        st.clash_count(&auth, &addr, def.name, n, &fields).await?;
    }
    match result {
        Ok(report) if !report.has_issues() => {
            Ok((StatusCode::OK, axum::Json(report)).into_response())
        }
        Ok(report) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(rejected(&report)),
        )
            .into_response()),
        Err(ImportFailure::File(e)) => {
            // Refused for its size (including zip bombs): 413; otherwise not a usable spreadsheet: 422.
            let status = if e.is_too_large() {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((
                status,
                axum::Json(json!({"code": e.code(), "message": e.to_string(),
                                  "message_en": e.to_string(), "message_zh": e.message_zh()})),
            )
                .into_response())
        }
        Err(ImportFailure::Store(e)) => {
            let r: Result<(), StoreError> = Err(e);
            st.guard(&auth, &addr, "import", def.name, r).await?;
            unreachable!("guard returns the error")
        }
    }
}

/// Largest spreadsheet accepted by the upload endpoint (bigger ones get 413 unread).
pub const MAX_UPLOAD: usize = 64 << 20;

pub fn routes(mut api: Api) -> Api {
    let fq = vec![
        json!({"name": "format", "in": "query", "schema": {"type": "string", "enum": ["xlsx", "csv"], "default": "xlsx"}}),
        json!({"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["zh", "en"], "default": "zh"}}),
    ];
    // The list's parameters an export takes (field filters are any of the record's fields, as
    // on the list), and the selection.
    let sel = vec![
        json!({"name": "q", "in": "query", "schema": {"type": "string"}, "description": "the list's search"}),
        json!({"name": "ids", "in": "query", "schema": {"type": "string"}, "description": "a selection: ids separated by commas (at most 5,000)"}),
    ];
    let eq: Vec<serde_json::Value> = fq.iter().chain(&sel).cloned().collect();
    let mut cq = sel.clone();
    cq.push(json!({"name": "full", "in": "query", "schema": {"type": "boolean"}, "description": "count for a full export (needs the reveal permission)"}));
    let report = json!({"type": "object", "properties": {
        "committed": {"type": "boolean"}, "already_imported": {"type": "boolean"}, "rows": {"type": "integer"},
        "created": {"type": "integer"}, "updated": {"type": "integer"}, "unchanged": {"type": "integer"},
        "issues": {"type": "array", "description": "the first 1,000 problems, in row order", "items": {"type": "object", "properties": {"row": {"type": "integer"}, "column": {"type": "string"}, "field": {"type": "string"}, "value": {"type": "string"}, "code": {"type": "string"}, "reason": {"type": "string"}}}},
        "issues_total": {"type": "integer", "description": "every problem found, listed in `issues` or not"},
        "issues_truncated": {"type": "boolean", "description": "`issues` stops before the last problem"},
        "issue_counts": {"type": "object", "description": "every problem found, counted by its code", "additionalProperties": {"type": "integer"}},
        "groups": {"type": "array", "description": "problems repeated on several rows, each once, over the whole file (the first 1,000 distinct ones; `rows` ends with … after 100 ranges)", "items": {"type": "object", "properties": {"column": {"type": "string"}, "field": {"type": "string"}, "value": {"type": "string"}, "code": {"type": "string"}, "reason": {"type": "string"}, "count": {"type": "integer"}, "rows": {"type": "string", "description": "row ranges, e.g. 3–1002, 1005"}}}},
        "warnings": {"type": "array", "description": "what was read but not used (an unknown column); does not block the import", "items": {"type": "object", "properties": {"column": {"type": "string"}, "code": {"type": "string"}, "reason": {"type": "string"}, "suggestion": {"type": "string", "nullable": true}}}}},
        "required": ["committed", "already_imported", "rows", "created", "updated", "unchanged", "issues", "issues_total", "issues_truncated", "issue_counts", "groups", "warnings"]});
    for name in importable_names() {
        let def = def_of(name);
        let base = format!("/api/{name}");
        api = api
            .add(
                RouteSpec::new("get", format!("{base}/template"), format!("template_{name}"), format!("Download an empty {} spreadsheet", def.en), name).query(fq.clone()).returns(200, None),
                move |a, b, c| template(def, a, b, c),
            )
            .add(
                RouteSpec::new("get", format!("{base}/import/columns"), format!("import_columns_{name}"), format!("The columns of a {} spreadsheet with every accepted header spelling", def.en), name)
                    .returns(200, Some(json!({"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "zh": {"type": "string"}, "en": {"type": "string"}, "required": {"type": "boolean"}, "spellings": {"type": "array", "items": {"type": "string"}}}}}))),
                move |a, b| import_columns(def, a, b),
            )
            .add(
                RouteSpec::new("get", format!("{base}/export"), format!("export_{name}"), format!("Download {} as a spreadsheet (personal fields masked; the list's filters, search and selection apply)", def.en), name)
                    .query(eq.clone())
                    .returns(200, None),
                move |a, b, c, d| export(def, a, b, c, d),
            )
            .add(
                RouteSpec::new("get", format!("{base}/export/count"), format!("export_count_{name}"), format!("How many rows of {} an export with these filters would write", def.en), name)
                    .query(cq.clone())
                    .returns(200, Some(json!({"type": "object", "properties": {"rows": {"type": "integer"}}, "required": ["rows"]}))),
                move |a, b, c, d| export_count(def, a, b, c, d),
            )
            .add(
                RouteSpec::new("post", format!("{base}/export/full"), format!("export_full_{name}"), format!("Download {} with personal fields in full (audited with the row count and filter; needs a reason; the list's filters, search and selection apply)", def.en), name)
                    .query(sel.clone())
                    .body(json!({"type": "object", "properties": {
                        // null is taken as absent (the default), and so documented (found by schemathesis).
                        "format": {"type": "string", "enum": ["xlsx", "csv", null], "nullable": true, "description": "absent or null: xlsx"},
                        "lang": {"type": "string", "enum": ["zh", "en", null], "nullable": true, "description": "absent or null: Chinese headers"},
                        "reason": {"type": "string", "minLength": 4}}, "required": ["reason"]}))
                    .returns(200, None),
                move |a, b, c, d, e| export_full(def, a, b, c, d, e),
            )
            .add_with_limit(
                RouteSpec::new("post", format!("{base}/import"), format!("import_{name}"), format!("Import a spreadsheet of {}: all rows or none, with a report of every bad cell", def.en), name)
                    .query(vec![json!({"name": "dry_run", "in": "query", "schema": {"type": "boolean"}})])
                    .raw_body()
                    .returns(200, Some(report.clone())),
                move |a, b, c, d, e| import(def, a, b, c, d, e),
                MAX_UPLOAD,
            );
    }
    api
}
