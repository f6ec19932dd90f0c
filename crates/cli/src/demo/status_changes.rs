//! The demo college's status changes (学籍异动, issue 10 §8): a few requests in each state, filed
//! by the `teacher` account for students of the class they advise and decided by `jwc`, through
//! the procedure itself (so they are audited and applied like real ones). One pending request
//! carries a text file as evidence. The `student` account's own record is left alone.

use skillbridge_core::access::Actor;
use skillbridge_core::modules::attachments::MediaType;
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_store::{ListQuery, Store};

type Result<T> = std::result::Result<T, String>;

/// How many requests ended in each state.
#[derive(Debug, Default)]
pub struct Counts {
    pub pending: usize,
    pub approved: usize,
    pub applied: usize,
    pub rejected: usize,
}

/// A decision: approve or reject, with its note; `None` leaves the request pending.
type Decision = Option<(bool, &'static str)>;

/// (type, reason, days from today, decision).
const REQUESTS: &[(&str, &str, i64, Decision)] = &[
    ("suspend", "因病需住院治疗，申请休学一学期", 0, None),
    ("reserve", "应征入伍，申请保留学籍两年", 14, None),
    (
        "suspend",
        "家庭变故，申请休学一年",
        30,
        Some((true, "同意，下学期开学前办理复学")),
    ),
    ("withdraw", "本人及家长申请退学", 0, Some((true, "同意"))),
    (
        "transfer_out",
        "随家庭迁居，申请转学",
        0,
        Some((false, "缺少转入学校的接收函，请补齐后重新申请")),
    ),
    (
        "incomplete",
        "学习一年以上后申请退学，发给肄业证书",
        0,
        Some((true, "同意，发给肄业证书")),
    ),
];

fn day(offset: i64) -> String {
    skillbridge_core::dates::now_plus(8 * 3600 + offset * 86_400)[..10].to_string()
}

/// Files and decides the demo requests; `skip` holds the demo accounts' own records (`student`,
/// `student2`, `student3`), left alone for the pages and tests that use them.
pub async fn load(store: &Store, teacher: &Actor, office: &Actor, skip: &[i64]) -> Result<Counts> {
    let q = ListQuery {
        filters: vec![("status".into(), "enrolled".into())],
        sort: Some("student_no".into()),
        limit: 50,
        source: "cli".into(),
        ..ListQuery::default()
    };
    let students: Vec<i64> = store
        .list(teacher, &STUDENTS, &q)
        .await
        .map_err(|e| format!("status changes: {e}"))?
        .items
        .iter()
        .filter_map(|s| s["id"].as_i64())
        .filter(|id| !skip.contains(id))
        .collect();
    let mut counts = Counts::default();
    let sc = store.status_changes();
    for ((ty, reason, offset, decision), student) in REQUESTS.iter().zip(students) {
        let input = serde_json::json!({"student_id": student, "change_type": ty, "reason": reason, "effective_date": day(*offset)});
        let req = sc
            .file(
                teacher,
                input.as_object().unwrap_or(&Default::default()),
                "cli",
            )
            .await
            .map_err(|e| format!("status change {ty}: {e}"))?;
        let id = req["id"].as_i64().unwrap_or(0);
        if counts.pending == 0 && decision.is_none() {
            let mut up = store
                .attachments()
                .begin_upload()
                .await
                .map_err(|e| e.to_string())?;
            up.write("诊断证明（演示材料）：建议休息治疗三个月。".as_bytes())
                .await
                .map_err(|e| e.to_string())?;
            store
                .attachments()
                .attach(
                    teacher,
                    "status_changes",
                    id,
                    up,
                    MediaType::Text,
                    "诊断证明.txt",
                    "cli",
                )
                .await
                .map_err(|e| format!("evidence: {e}"))?;
        }
        match decision {
            None => counts.pending += 1,
            Some((approve, note)) => {
                let r = sc
                    .decide(office, id, *approve, Some(note), "cli")
                    .await
                    .map_err(|e| format!("decision on {ty}: {e}"))?;
                match r["state"].as_str() {
                    Some("applied") => counts.applied += 1,
                    Some("approved") => counts.approved += 1,
                    _ => counts.rejected += 1,
                }
            }
        }
    }
    Ok(counts)
}
