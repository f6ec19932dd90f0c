//! The one attachment store through the HTTP API (issue 10 §11): files checked by their magic
//! bytes, their size and their name; stored once per content; served only as attachments, with
//! ranges; read only by users who may read the owning record.

mod common;
use common::*;
use skillbridge_web::WebConfig;

fn upload_path(owner: &str, id: i64, name: &str) -> String {
    format!(
        "/api/attachments?owner={owner}&owner_id={id}&name={}",
        urlencode(name)
    )
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

/// Every file under the store's shard folders.
fn stored_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[tokio::test]
async fn uploads_are_checked_stored_once_and_served_as_attachments_with_ranges() {
    let app = spawn_app().await;
    let aa = app.login_as("aa").await;
    let s1 = app.fx.student[0];

    let r = aa
        .send_file(
            &upload_path("students", s1, "成绩单.pdf"),
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let a = r.json();
    assert_eq!(a["size"], PDF.len());
    assert_eq!(a["media_type"], "application/pdf");
    assert_eq!(a["file_name"], "成绩单.pdf");
    assert_eq!(a["sha256"].as_str().unwrap().len(), 64);
    // The same bytes again, under another name: a second row, one file.
    let r = aa
        .send_file(
            &upload_path("students", s1, "copy.pdf"),
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.json()["sha256"], a["sha256"]);
    let tmp = app.store.files_dir().join("tmp");
    let files: Vec<_> = stored_files(app.store.files_dir())
        .into_iter()
        .filter(|p| !p.starts_with(&tmp))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let hash = a["sha256"].as_str().unwrap();
    assert!(files[0].ends_with(format!("{}/{}/{hash}", &hash[..2], &hash[2..4])));

    let list = aa
        .get(&format!("/api/attachments?owner=students&owner_id={s1}"))
        .await;
    assert_eq!(list.status.as_u16(), 200);
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 2);

    // Served only as an attachment, never inline, with its allow-listed type.
    let id = a["id"].as_i64().unwrap();
    let r = aa.get(&format!("/api/attachments/{id}/file")).await;
    assert_eq!(r.status.as_u16(), 200);
    assert_eq!(r.text.as_bytes(), PDF);
    let h = |name: &str| r.headers[name].to_str().unwrap().to_string();
    assert!(
        h("content-disposition").starts_with("attachment;"),
        "{}",
        h("content-disposition")
    );
    assert!(h("content-disposition").contains("filename*=UTF-8''%E6%88%90%E7%BB%A9%E5%8D%95.pdf"));
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("content-type"), "application/pdf");
    assert_eq!(h("accept-ranges"), "bytes");

    // Ranges: a part (206), the tail, and one past the end (416).
    let part = aa
        .send_with(
            reqwest::Method::GET,
            &format!("/api/attachments/{id}/file"),
            None,
            &[("range", "bytes=0-7")],
        )
        .await;
    assert_eq!(part.status.as_u16(), 206);
    assert_eq!(part.text.as_bytes(), &PDF[..8]);
    assert_eq!(
        part.headers["content-range"].to_str().unwrap(),
        format!("bytes 0-7/{}", PDF.len())
    );
    let tail = aa
        .send_with(
            reqwest::Method::GET,
            &format!("/api/attachments/{id}/file"),
            None,
            &[("range", "bytes=-6")],
        )
        .await;
    assert_eq!(tail.status.as_u16(), 206);
    assert_eq!(tail.text.as_bytes(), &PDF[PDF.len() - 6..]);
    let past = aa
        .send_with(
            reqwest::Method::GET,
            &format!("/api/attachments/{id}/file"),
            None,
            &[("range", &format!("bytes={}-", PDF.len()))],
        )
        .await;
    assert_eq!(past.status.as_u16(), 416);
    assert_eq!(
        past.headers["content-range"].to_str().unwrap(),
        format!("bytes */{}", PDF.len())
    );
}

#[tokio::test]
async fn wrong_bytes_paths_in_names_and_files_over_the_limit_are_refused() {
    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 1000,
            max_attachment_bytes: 64 * 1024,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let aa = app.login_as("aa").await;
    let s1 = app.fx.student[0];
    let code = |r: &Reply| {
        let v = r.json();
        v["fields"][0]["code"].as_str().unwrap_or("").to_string()
    };

    // An HTML page declared as a PDF, a program declared as text, a PNG declared as JPEG.
    for (name, ty, body, want) in [
        (
            "a.pdf",
            "application/pdf",
            b"<html><script>alert(1)</script></html>".to_vec(),
            "type_mismatch",
        ),
        (
            "a.txt",
            "text/plain",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec(),
            "type_mismatch",
        ),
        (
            "a.jpg",
            "image/jpeg",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "type_mismatch",
        ),
        (
            "a.html",
            "text/html",
            b"<html></html>".to_vec(),
            "unsupported_type",
        ),
        (
            "a.exe",
            "application/pdf",
            PDF.to_vec(),
            "extension_mismatch",
        ),
        ("a.pdf", "application/pdf", Vec::new(), "empty_file"),
    ] {
        let r = aa
            .send_file(&upload_path("students", s1, name), ty, body)
            .await;
        assert_eq!(r.status.as_u16(), 422, "{name} {ty}: {}", r.text);
        assert_eq!(code(&r), want, "{name} {ty}");
    }

    // A path in the name.
    for name in ["../x.txt", "a/b.txt", "a\\b.txt", "..", "a..txt"] {
        let r = aa
            .send_file(
                &upload_path("students", s1, name),
                "text/plain",
                b"hello".to_vec(),
            )
            .await;
        assert_eq!(r.status.as_u16(), 422, "{name}: {}", r.text);
        assert_eq!(code(&r), "bad_file_name", "{name}");
    }

    // Over the limit: refused with 413, nothing stored, no temporary file left.
    let mut big = PDF.to_vec();
    big.resize(64 * 1024 + 1, b' ');
    let r = aa
        .send_file(
            &upload_path("students", s1, "big.pdf"),
            "application/pdf",
            big,
        )
        .await;
    assert_eq!(r.status.as_u16(), 413, "{}", r.text);
    let mut exact = PDF.to_vec();
    exact.resize(64 * 1024, b' ');
    let r = aa
        .send_file(
            &upload_path("students", s1, "exact.pdf"),
            "application/pdf",
            exact,
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let list = aa
        .get(&format!("/api/attachments?owner=students&owner_id={s1}"))
        .await;
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 1);
    let leftovers: Vec<_> = stored_files(&app.store.files_dir().join("tmp"));
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test]
async fn only_readers_of_the_owner_reach_its_attachments() {
    let app = spawn_app().await;
    let aa = app.login_as("aa").await;
    let s2 = app.fx.student[1];
    let r = aa
        .send_file(
            &upload_path("students", s2, "s2.txt"),
            "text/plain",
            "学生二的材料".as_bytes().to_vec(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let id = r.json()["id"].as_i64().unwrap();
    // Student s1, school 1's student affairs and HR of o2 do not read s2: not found.
    for role in ["student", "sa1", "hr2"] {
        let s = app.login_as(role).await;
        let r = s.get(&format!("/api/attachments/{id}/file")).await;
        assert_eq!(r.status.as_u16(), 404, "{role}: {}", r.text);
        let r = s
            .get(&format!("/api/attachments?owner=students&owner_id={s2}"))
            .await;
        assert_eq!(r.status.as_u16(), 404, "{role}: {}", r.text);
        let r = s
            .send_file(
                &upload_path("students", s2, "x.txt"),
                "text/plain",
                b"x".to_vec(),
            )
            .await;
        assert_eq!(r.status.as_u16(), 404, "{role}: {}", r.text);
    }
    // The leader reads s2 but may not change it: reads the file, may not attach.
    let leader = app.login_as("leader").await;
    assert_eq!(
        leader
            .get(&format!("/api/attachments/{id}/file"))
            .await
            .status
            .as_u16(),
        200
    );
    let r = leader
        .send_file(
            &upload_path("students", s2, "x.txt"),
            "text/plain",
            b"x".to_vec(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.text);
    // An owner type that does not exist is not found.
    let r = aa
        .send_file(
            &upload_path("nothing", 1, "x.txt"),
            "text/plain",
            b"x".to_vec(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 404, "{}", r.text);
}

/// A body without a declared length (chunked) is cut off as it streams, once it passes the
/// limit: the server never reads it whole, and nothing of it is kept.
#[tokio::test]
async fn a_chunked_upload_is_refused_while_it_streams_once_it_passes_the_limit() {
    use reqwest::cookie::CookieStore;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 1000,
            max_attachment_bytes: 64 * 1024,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let aa = app.login_as("aa").await;
    let url: reqwest::Url = aa.base.parse().unwrap();
    let cookie = aa.jar.cookies(&url).unwrap().to_str().unwrap().to_string();
    let addr = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    let path = upload_path("students", app.fx.student[0], "big.txt");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nOrigin: {}\r\n\
         Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        aa.base
    );
    // 1 MiB in 8 KiB chunks, then the body stays open (no last chunk for a minute): a server
    // that waited for the whole body before checking its size would not answer in time.
    let writer = tokio::spawn(async move {
        wr.write_all(head.as_bytes()).await?;
        let chunk = vec![b'a'; 8192];
        for _ in 0..128 {
            wr.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            wr.write_all(&chunk).await?;
            wr.write_all(b"\r\n").await?;
        }
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        wr.write_all(b"0\r\n\r\n").await
    });
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(20),
        rd.read_to_end(&mut answer),
    )
    .await
    .expect("the server answers before the body ends")
    .ok();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    writer.abort();
    let list = aa
        .get(&format!(
            "/api/attachments?owner=students&owner_id={}",
            app.fx.student[0]
        ))
        .await;
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 0);
    let leftovers = stored_files(app.store.files_dir());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
