//! The web half of the one attachment store (issue 10 §11):
//! - `POST /api/attachments?owner=R&owner_id=N&name=F`: the body is the file itself, its
//!   `Content-Type` the declared type. The name and type are checked first
//!   (`core::modules::attachments::check_upload`), then the body is streamed frame by frame into
//!   the store's temporary file (`skillbridge_store::Upload`) while the size limit
//!   (`WebConfig::max_attachment_bytes`) and the magic bytes are checked: nothing is held whole.
//! - `GET /api/attachments?owner=R&owner_id=N`: the attachments of a record.
//! - `GET /api/attachments/{id}/file`: the bytes, only as an attachment, with single ranges.
//!
//! Who may do what is the owner's business (see the store module): read access to the owner
//! reads its attachments; a record outside it is "not found".

use crate::api::{Api, RouteSpec};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Id};
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use http_body_util::BodyExt;
use serde::Deserialize;
use serde_json::{json, Value};
use skillbridge_core::modules::attachments::{
    check_upload, content_disposition, max_bytes_for, parse_range, text_chunk_ok, MediaType,
    RangeAnswer, Refusal, SNIFF_BYTES,
};
use std::pin::Pin;
use std::task::{Context, Poll};

#[derive(Deserialize)]
struct OwnerQuery {
    owner: String,
    owner_id: i64,
}

#[derive(Deserialize)]
struct UploadQuery {
    owner: String,
    owner_id: i64,
    name: String,
}

fn refused(r: Refusal) -> ApiError {
    match r {
        Refusal::TooLarge => ApiError::TooLarge,
        Refusal::BadName | Refusal::ExtensionMismatch => {
            ApiError::invalid("name", r.code(), r.message())
        }
        _ => ApiError::invalid("file", r.code(), r.message()),
    }
}

fn attachment_schema() -> Value {
    json!({"type": "object", "properties": {
        "id": {"type": "integer"}, "owner": {"type": "string"}, "owner_id": {"type": "integer"},
        "sha256": {"type": "string"}, "size": {"type": "integer"}, "media_type": {"type": "string"},
        "file_name": {"type": "string"}, "uploaded_by": {"type": "integer", "nullable": true},
        "created_at": {"type": "string"}
    }, "required": ["id", "owner", "owner_id", "sha256", "size", "media_type", "file_name", "created_at"]})
}

async fn upload(
    c: Caller,
    q: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = check_upload(&q.name, declared).map_err(refused)?;
    // The configured cap, or the owner record type's own (teaching resources: 200 MiB).
    let max = max_bytes_for(&q.owner, c.st.cfg.max_attachment_bytes);
    let declared_len = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_len.is_some_and(|n| n > max) {
        return Err(ApiError::TooLarge);
    }
    let mut up = c.store().attachments().begin_upload().await?;
    let mut body = body;
    let mut sniffed = false;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ApiError::BadRequest(format!("upload broken: {e}")))?;
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        if up.size() + chunk.len() as u64 > max {
            return Err(ApiError::TooLarge);
        }
        if media == MediaType::Text && !text_chunk_ok(&chunk) {
            return Err(refused(Refusal::TypeMismatch));
        }
        up.write(&chunk).await?;
        if !sniffed && up.head().len() >= SNIFF_BYTES {
            if !media.sniff(up.head()) {
                return Err(refused(Refusal::TypeMismatch));
            }
            sniffed = true;
        }
    }
    if up.size() == 0 {
        return Err(refused(Refusal::Empty));
    }
    if !sniffed && !media.sniff(up.head()) {
        return Err(refused(Refusal::TypeMismatch));
    }
    let object = format!("{}/{}", q.owner, q.owner_id);
    let r = c
        .store()
        .attachments()
        .attach(
            c.actor(),
            &q.owner,
            q.owner_id,
            up,
            media,
            &q.name,
            &c.source(),
        )
        .await;
    c.created("attach", &object, r).await
}

async fn list(
    c: Caller,
    q: Result<Query<OwnerQuery>, QueryRejection>,
) -> ApiResult<axum::Json<Value>> {
    let Query(q) = q.map_err(|e| crate::extract::query_error(&e))?;
    let r = c
        .store()
        .attachments()
        .list(c.actor(), &q.owner, q.owner_id)
        .await;
    let items = c
        .guard(
            "read",
            &format!("{}/{}/attachments", q.owner, q.owner_id),
            r,
        )
        .await?;
    Ok(axum::Json(json!({"items": items})))
}

/// A file's bytes `left` long from where the file stands, read 64 KiB at a time.
struct FileBody {
    file: tokio::fs::File,
    left: u64,
    buf: Vec<u8>,
}

impl axum::body::HttpBody for FileBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        use tokio::io::AsyncRead;
        let this = &mut *self;
        if this.left == 0 {
            return Poll::Ready(None);
        }
        let n = this.left.min(64 * 1024) as usize;
        this.buf.resize(n, 0);
        let mut rb = tokio::io::ReadBuf::new(&mut this.buf[..n]);
        match Pin::new(&mut this.file).poll_read(cx, &mut rb) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) => {
                let got = rb.filled();
                if got.is_empty() {
                    return Poll::Ready(Some(Err(std::io::ErrorKind::UnexpectedEof.into())));
                }
                this.left -= got.len() as u64;
                Poll::Ready(Some(Ok(Frame::data(Bytes::copy_from_slice(got)))))
            }
        }
    }
}

async fn download(c: Caller, Id(id): Id, headers: HeaderMap) -> ApiResult<Response> {
    let r = c.store().attachments().open(c.actor(), id).await;
    let f = c.guard("read", &format!("attachments/{id}"), r).await?;
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, start, len) = match parse_range(range, f.size) {
        RangeAnswer::Full => (StatusCode::OK, 0, f.size),
        RangeAnswer::Part { start, end } => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        RangeAnswer::Unsatisfiable => {
            let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            res.headers_mut().insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes */{}", f.size))
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            );
            return Ok(res);
        }
    };
    if start == 0 {
        // A download from its first byte: the owner's module may count it (teaching resources).
        c.store().attachments().served(&f).await?;
    }
    let mut file = tokio::fs::File::open(&f.path)
        .await
        .map_err(|e| ApiError::Internal(format!("attachment {id}: {e}")))?;
    if start > 0 {
        use tokio::io::AsyncSeekExt;
        file.seek(std::io::SeekFrom::Start(start))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let body = Body::new(FileBody {
        file,
        left: len,
        buf: Vec::new(),
    });
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    let val = |s: String| HeaderValue::from_str(&s).map_err(|e| ApiError::Internal(e.to_string()));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(f.media_type.served_as()),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        val(content_disposition(&f.file_name))?,
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_LENGTH, val(len.to_string())?);
    if status == StatusCode::PARTIAL_CONTENT {
        h.insert(
            header::CONTENT_RANGE,
            val(format!("bytes {start}-{}/{}", start + len - 1, f.size))?,
        );
    }
    Ok(res)
}

pub fn routes(api: Api) -> Api {
    let owner_params = || {
        vec![
            json!({"name": "owner", "in": "query", "required": true, "schema": {"type": "string"}, "description": "the owning record's type (students, status_changes, ...)"}),
            json!({"name": "owner_id", "in": "query", "required": true, "schema": {"type": "integer"}}),
        ]
    };
    let mut upload_params = owner_params();
    upload_params.push(json!({"name": "name", "in": "query", "required": true, "schema": {"type": "string"}, "description": "the original file name, without a path"}));
    api.add(
        RouteSpec::new("post", "/api/attachments", "attach_file", "Attach a file to a record: the body is the file, its Content-Type the declared type (PDF, JPEG, PNG, WebP, xlsx, docx, txt), checked by its magic bytes and size while it streams", "attachments")
            .query(upload_params)
            .raw_body()
            .returns(201, Some(attachment_schema())),
        upload,
    )
    .add(
        RouteSpec::new("get", "/api/attachments", "list_attachments", "The attachments of a record the user may read", "attachments")
            .query(owner_params())
            .returns(200, Some(json!({"type": "object", "properties": {"items": {"type": "array", "items": attachment_schema()}}, "required": ["items"]}))),
        list,
    )
    .add(
        RouteSpec::new("get", "/api/attachments/{id}/file", "download_attachment", "An attachment's bytes, always as an attachment (never inline), with single byte ranges (206, 416)", "attachments")
            .returns(200, None),
        download,
    )
}
