//! Names, not ids (issue 10 §1): every record the API sends carries the labels of its references
//! (`_labels`), even where the reader may not open the record referred to, and never a personal
//! value; the labels are read-only (sent back, they are ignored).

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

fn items(v: &Value) -> Vec<Value> {
    v["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn references_come_with_their_labels_even_where_the_reader_may_not_open_them() {
    let app = spawn_app().await;
    let fx = &app.fx;

    // The student's enterprise mentor, by name, on the mentor assignment.
    let student = app.login_as("student").await;
    let mine = items(&student.get("/api/mentors").await.json());
    assert!(!mine.is_empty());
    let m = mine
        .iter()
        .find(|m| m["kind"] == "enterprise")
        .expect("the student's enterprise mentor");
    assert_eq!(m["_labels"]["contact_id"], json!("赵工"), "{m}");
    assert_eq!(m["_labels"]["student_id"], json!("王小明"), "{m}");
    // Their own record: class and program by name, the home region (personal) with no label.
    let me = student
        .get(&format!("/api/students/{}", fx.student[0]))
        .await
        .json();
    assert_eq!(me["_labels"]["class_id"], json!("新能源2401"), "{me}");
    assert_eq!(me["_labels"]["program_id"], json!("新能源汽车技术"), "{me}");
    assert!(me["_labels"].get("home_region").is_none(), "{me}");

    // The enterprise mentor reads their mentee's class by name, though classes are not theirs.
    let mentor = app.login_as("mentor").await;
    let class = mentor.get(&format!("/api/classes/{}", fx.class[0])).await;
    assert_ne!(class.status, 200, "the mentor may not open the class");
    let s = mentor
        .get(&format!("/api/students/{}", fx.student[0]))
        .await;
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(
        s.json()["_labels"]["class_id"],
        json!("新能源2401"),
        "{}",
        s.text
    );

    // The teacher's mentee (of another school): the class named.
    let teacher = app.login_as("teacher").await;
    let list = items(&teacher.get("/api/students?limit=50").await.json());
    for s in &list {
        if !s["class_id"].is_null() {
            assert!(s["_labels"]["class_id"].is_string(), "{s}");
        }
    }

    // A list answers every row's labels (one query per reference field, whatever the page size).
    let admin = app.login_as("admin").await;
    let classes = items(&admin.get("/api/classes").await.json());
    let c1 = classes
        .iter()
        .find(|c| c["id"] == json!(fx.class[0]))
        .unwrap();
    assert_eq!(c1["_labels"]["adviser_id"], json!("李老师"));
    assert_eq!(c1["_labels"]["program_id"], json!("新能源汽车技术"));
    let c2 = classes
        .iter()
        .find(|c| c["id"] == json!(fx.class[1]))
        .unwrap();
    assert!(
        c2["_labels"].get("adviser_id").is_none(),
        "no adviser, no label"
    );
    // A code reference is named too (an organisation's industry).
    let org = admin
        .get(&format!("/api/organisations/{}", fx.org[0]))
        .await
        .json();
    assert!(org["_labels"]["industry_code"].is_string(), "{org}");

    // Labels sent back with a change are ignored, not refused; the answer has them fresh.
    let mut patch = c1.as_object().unwrap().clone();
    patch.retain(|k, _| k == "_labels" || k == "name");
    patch.insert("name".into(), json!("新能源2401班"));
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/classes/{}", fx.class[0]),
            Some(Value::Object(patch)),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["_labels"]["adviser_id"], json!("李老师"));
    let s = mentor
        .get(&format!("/api/students/{}", fx.student[0]))
        .await
        .json();
    assert_eq!(s["_labels"]["class_id"], json!("新能源2401班"));

    // The audit trail names the changed record by its label beside the stored object.
    let trail = admin.get("/api/audit?action=update&limit=5").await.json();
    let e = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["object"] == json!(format!("classes/{}", fx.class[0])))
        .cloned()
        .unwrap_or_else(|| panic!("the change is audited: {trail}"));
    assert_eq!(e["object_label"], json!("新能源2401班"), "{e}");

    // A query parameter of the wrong type is a field error with a code, not the parser's text.
    let r = admin.get("/api/audit?limit=abc").await;
    assert_eq!(r.status, 422, "{}", r.text);
    let f = &r.json()["fields"][0];
    assert_eq!(
        (f["field"].as_str(), f["code"].as_str()),
        (Some("limit"), Some("wrong_type")),
        "{}",
        r.text
    );
    assert!(
        f["message_zh"].is_string() && !r.text.contains("Failed to deserialize"),
        "{}",
        r.text
    );
}
