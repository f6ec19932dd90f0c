//! To-dos, preferences and notification mail through the API (issue 10, item 5), on SQLite or,
//! with `SKILLBRIDGE_TEST_DATABASE_URL`, PostgreSQL.
//!
//! - The student's published offer is a to-do with its due date and link; the unread count
//!   drops when it is read, and the item is gone once the student answers.
//! - Preferences are checked at their fields.
//! - With the relay down the request that made the item succeeded and the mail waits; once the
//!   relay is up it is delivered (a small SMTP server written here, so `./test.sh` needs no
//!   Python), to the recipient, in their language, with the absolute link.
//! - With `SKILLBRIDGE_TEST_SMTP_SINK` naming a Python that has `aiosmtpd` (`.ci/run`), the same
//!   through the real sink `tools/smtp_sink.py`, which decodes the message as a mail client would.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::modules::order_classes::{ORDER_CLASSES, ORDER_CLASS_PROGRAMS};
use skillbridge_store::testing::advance_clock;
use skillbridge_web::mail::{round, MailConfig};
use skillbridge_web::WebConfig;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A port on loopback where nothing listens (yet).
async fn free_port() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port()
}

fn mail_cfg(port: u16) -> MailConfig {
    MailConfig {
        smtp: Some(format!("127.0.0.1:{port}")),
        from: "noreply@example.edu.cn".into(),
        public_url: "http://sb.example.edu.cn/".into(),
        interval_secs: 1,
        retry_base_secs: 5,
        timeout_secs: 5,
    }
}

async fn app_with_mail(port: u16) -> App {
    spawn_with(
        WebConfig {
            login_rate_per_minute: 1000,
            mail: mail_cfg(port),
            ..WebConfig::default()
        },
        |a| a,
    )
    .await
}

/// An order class of o1 for the fixture's student s1 (account `student`), applied to, run and
/// published by the system; returns the class.
async fn offer_for_student(app: &App, student: &Session) -> i64 {
    let sys = Actor::system();
    let class = app
        .store
        .create(&sys, &ORDER_CLASSES, json!({"name": "长安新能源订单班", "org_id": app.fx.org[0], "seats": 2,
            "entry_years": "2024", "opens_on": "2025-01-01", "closes_on": "2099-12-31", "interview_required": false, "status": "open"})
            .as_object().unwrap(), "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.store
        .create(
            &sys,
            &ORDER_CLASS_PROGRAMS,
            json!({"order_class_id": class, "program_id": app.fx.program[0]})
                .as_object()
                .unwrap(),
            "t",
        )
        .await
        .unwrap();
    let r = student
        .send(
            Method::PUT,
            "/api/order_choices",
            Some(json!({"order_class_ids": [class]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let run = app
        .store
        .order_classes()
        .run_allocation(&sys, &[class], Some(3), "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.store
        .order_classes()
        .publish_run(&sys, run, "2099-12-30", "t")
        .await
        .unwrap();
    class
}

/// What a small SMTP server received: (recipients, the DATA text).
type Inbox = Arc<Mutex<Vec<(Vec<String>, String)>>>;

/// A minimal SMTP server on `port` that accepts everything and records it.
async fn fake_relay(port: u16) -> Inbox {
    let inbox: Inbox = Arc::default();
    let l = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let keep = inbox.clone();
    tokio::spawn(async move {
        loop {
            let (sock, _) = l.accept().await.unwrap();
            let inbox = keep.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                w.write_all(b"220 fake relay\r\n").await.unwrap();
                let (mut rcpt, mut data, mut in_data) = (Vec::new(), String::new(), false);
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if in_data {
                        if line == ".\r\n" {
                            in_data = false;
                            inbox
                                .lock()
                                .unwrap()
                                .push((std::mem::take(&mut rcpt), std::mem::take(&mut data)));
                            w.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                        }
                        continue;
                    }
                    let up = line.to_ascii_uppercase();
                    let answer: &[u8] = if up.starts_with("EHLO") {
                        b"250-fake\r\n250 8BITMIME\r\n"
                    } else if up.starts_with("RCPT TO:<") {
                        rcpt.push(line[9..line.len() - 3].to_string());
                        b"250 ok\r\n"
                    } else if up.starts_with("DATA") {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if up.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    w.write_all(answer).await.unwrap();
                }
            });
        }
    });
    inbox
}

fn b64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::new();
    for q in clean.chunks(4) {
        let n = q.iter().enumerate().fold(0u32, |n, (i, c)| {
            n | u32::from(if *c == b'=' { 0 } else { val(*c) }) << (18 - 6 * i)
        });
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let pad = q.iter().filter(|c| **c == b'=').count();
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    out
}

/// Preferences: checked at their fields; saved; e-mail is available on this server.
async fn preferences_are_checked_and_saved(student: &Session) {
    let r = student
        .send(
            Method::PUT,
            "/api/me/preferences",
            Some(json!({"language": "fr", "email_enabled": true, "email": "not an address"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let body = r.json();
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["language", "email"]);
    let r = student
        .send(
            Method::PUT,
            "/api/me/preferences",
            Some(
                json!({"language": "en", "email_enabled": true, "email": "student@example.edu.cn"}),
            ),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let prefs = student.get("/api/me/preferences").await.json();
    assert_eq!(
        prefs,
        json!({"language": "en", "email_enabled": true, "email": "student@example.edu.cn", "mail_available": true})
    );
}

#[tokio::test]
async fn the_offer_is_a_todo_until_answered_and_its_mail_is_retried_until_delivered() {
    let port = free_port().await;
    let app = app_with_mail(port).await;
    let student = app.login_as("student").await;
    let empty = student.get("/api/todos").await.json();
    assert_eq!(empty, json!({"items": [], "unread": 0}));

    preferences_are_checked_and_saved(&student).await;

    // The relay is down: publishing (the request that makes the item) is done all the same.
    offer_for_student(&app, &student).await;
    let list = student.get("/api/todos").await.json();
    assert_eq!(list["unread"], 1, "{list}");
    let item = &list["items"][0];
    assert_eq!(item["due"], "2099-12-30");
    assert_eq!(item["link"], "/order-choices");
    assert_eq!(item["read"], false);
    assert!(item["title_zh"]
        .as_str()
        .unwrap()
        .contains("长安新能源订单班"));
    let cfg = mail_cfg(port);
    assert_eq!(round(&app.store, &cfg).await.unwrap(), (1, 0, 1));
    // Not due again before its back-off...
    assert_eq!(round(&app.store, &cfg).await.unwrap(), (0, 0, 0));
    // ...and delivered once the relay is up and the wait is over; only once.
    let inbox = fake_relay(port).await;
    advance_clock(&app.store, 6);
    assert_eq!(round(&app.store, &cfg).await.unwrap(), (0, 1, 0));
    assert_eq!(round(&app.store, &cfg).await.unwrap(), (0, 0, 0));
    let got = inbox.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let (rcpt, data) = &got[0];
    assert_eq!(rcpt, &["student@example.edu.cn"]);
    let (head, body) = data.split_once("\r\n\r\n").unwrap();
    let subject: Vec<u8> = head
        .split("=?UTF-8?B?")
        .skip(1)
        .flat_map(|w| b64_decode(w.split("?=").next().unwrap()))
        .collect();
    let subject = String::from_utf8(subject).unwrap();
    assert_eq!(
        subject,
        "[SkillBridge] New to-do: Answer your offer from the order class 长安新能源订单班"
    );
    let body = String::from_utf8(b64_decode(body)).unwrap();
    assert!(
        body.contains("http://sb.example.edu.cn/#/order-choices"),
        "{body}"
    );
    assert!(body.contains("2099-12-30"));

    // Read: the count drops, the item stays. Another user's view is untouched.
    let r = student
        .send(Method::POST, "/api/todos/read", Some(json!({})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["unread"], 0);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
    let other = app.login_as("hr2").await;
    assert_eq!(other.get("/api/todos").await.json()["unread"], 0);

    // Answered: done.
    let offers = student.get("/api/order_choices").await.json();
    let offer = offers["offers"][0]["id"].as_i64().unwrap();
    let r = student
        .send(
            Method::POST,
            &format!("/api/order_offers/{offer}/accept"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        student.get("/api/todos").await.json(),
        json!({"items": [], "unread": 0})
    );
    // Unsafe routes need the own origin, as every other.
    let r = student
        .send_with(
            Method::POST,
            "/api/todos/read",
            Some(json!({})),
            &[("origin", "http://evil.example")],
        )
        .await;
    assert_eq!(r.status, 403);
}

/// The real sink (`.ci/run`): aiosmtpd on loopback, brought up only after the first attempt
/// failed. The recipient chose Chinese: the subject, decoded by Python's mail parser, is Chinese.
#[tokio::test]
async fn a_real_smtp_sink_receives_the_mail_after_it_comes_up() {
    let Ok(python) = std::env::var("SKILLBRIDGE_TEST_SMTP_SINK") else {
        eprintln!("SKILLBRIDGE_TEST_SMTP_SINK is not set: the aiosmtpd sink test is skipped (.ci/run runs it)");
        return;
    };
    let port = free_port().await;
    let app = app_with_mail(port).await;
    let student = app.login_as("student").await;
    let r = student
        .send(
            Method::PUT,
            "/api/me/preferences",
            Some(
                json!({"language": "zh", "email_enabled": true, "email": "wangxm@example.edu.cn"}),
            ),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    offer_for_student(&app, &student).await;
    let cfg = mail_cfg(port);
    assert_eq!(
        round(&app.store, &cfg).await.unwrap(),
        (1, 0, 1),
        "sink down"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mails.jsonl");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tools/smtp_sink.py");
    let mut sink = std::process::Command::new(&python)
        .args([script, "--port", &port.to_string(), "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the sink");
    // Wait for it to listen.
    let mut up = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "the sink did not come up");
    advance_clock(&app.store, 6);
    let delivered = round(&app.store, &cfg).await;
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    let _ = sink.kill();
    let _ = sink.wait();
    assert_eq!(delivered.unwrap(), (0, 1, 0));
    let mails: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(mails.len(), 1, "{text}");
    let m = &mails[0];
    assert_eq!(m["rcpt"], json!(["wangxm@example.edu.cn"]));
    assert_eq!(m["mail_from"], "noreply@example.edu.cn");
    let subject = m["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("【校企通】新的待办：答复订单班录取通知：长安新能源订单班"),
        "{subject}"
    );
    let body = m["body"].as_str().unwrap();
    assert!(
        body.contains("http://sb.example.edu.cn/#/order-choices"),
        "{body}"
    );
    assert!(body.contains("截止日期：2099-12-30"), "{body}");
}
