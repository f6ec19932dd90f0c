//! The role table of README.md ("Field groups by role"), read and checked against the code and
//! the API (issue 9 §8): for every role of the table and every record type, the field groups the
//! role reads and writes. What the table allows, the API answers (the fields of those groups, and
//! no other); what it does not, the API refuses (`403`) or leaves out. The table and the tests
//! therefore cannot disagree: the tests are generated from the table.
//!
//! Cell syntax (inside one code span): tokens separated by spaces. `*` is every record type with
//! all its groups; `-name` takes a record type out again; `name` adds it with all its groups;
//! `name[g1,g2]` adds it with those groups only. `—` is nothing.

use super::common::*;
use reqwest::Method;
use serde_json::json;
use skillbridge_core::access::{actor_groups, Action, Actor, ContactRole, Role};
use skillbridge_core::schema::{resource, ResourceDef, RESOURCES};
use std::collections::{BTreeMap, BTreeSet};

/// One row of the README's table.
pub struct TableRole {
    /// As written: `staff:student_affairs:SCHOOL`.
    pub spec: String,
    pub reads: BTreeMap<String, Vec<String>>,
    pub writes: BTreeMap<String, Vec<String>>,
}

fn readme() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    std::fs::read_to_string(path).expect("README.md")
}

const HEADING: &str = "### Field groups by role";

/// The rows of the table under [`HEADING`], with each cell expanded. Unknown record types and
/// groups are returned as written, for [`unknown_names`] to name.
pub fn table() -> Vec<TableRole> {
    let text = readme();
    let start = text
        .find(HEADING)
        .unwrap_or_else(|| panic!("README.md has no section {HEADING:?}"));
    let mut out = Vec::new();
    let mut seen_table = false;
    for line in text[start..].lines().skip(1) {
        let line = line.trim();
        if !line.starts_with('|') {
            if seen_table {
                break;
            }
            continue;
        }
        seen_table = true;
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells[0] == "role" || cells[0].starts_with("---") {
            continue;
        }
        assert!(cells.len() >= 3, "a row of the role table: {line}");
        out.push(TableRole {
            spec: cells[0].trim_matches('`').to_string(),
            reads: expand(cells[1]),
            writes: expand(cells[2]),
        });
    }
    assert!(!out.is_empty(), "the role table under {HEADING:?} is empty");
    out
}

/// Expands one cell (see the module's comment).
fn expand(cell: &str) -> BTreeMap<String, Vec<String>> {
    let mut m = BTreeMap::new();
    let all = |d: &ResourceDef| {
        d.field_groups()
            .iter()
            .map(|g| g.name.to_string())
            .collect()
    };
    for tok in cell.trim_matches('`').split_whitespace() {
        match tok {
            "—" | "-" => {}
            "*" => {
                for d in RESOURCES.iter() {
                    m.insert(d.name.to_string(), all(d));
                }
            }
            t if t.starts_with('-') => {
                m.remove(&t[1..]);
            }
            t => match t.split_once('[') {
                Some((name, groups)) => {
                    let groups = groups.trim_end_matches(']');
                    m.insert(
                        name.to_string(),
                        groups.split(',').map(str::to_string).collect(),
                    );
                }
                None => {
                    let groups = resource(t).map(all).unwrap_or_default();
                    m.insert(t.to_string(), groups);
                }
            },
        }
    }
    m
}

/// The ids a role spec's placeholders stand for.
pub struct Ids {
    pub school: i64,
    pub staff: i64,
    pub org: i64,
    pub contact: i64,
    pub hr_org: i64,
    pub hr_contact: i64,
    pub student: i64,
}

/// The role a spec names: `admin`, `leader`, `staff:OFFICE[:SCHOOL]`, `teacher`,
/// `enterprise:contact|mentor|hr`, `student`.
pub fn role(spec: &str, ids: &Ids) -> Option<Role> {
    let parts: Vec<&str> = spec.split(':').collect();
    Some(match parts.as_slice() {
        ["admin"] => Role::Admin,
        ["leader"] => Role::Leader,
        ["staff", office, rest @ ..] => Role::Staff {
            office: serde_json::from_value(json!(office)).ok()?,
            school_id: match rest {
                [] => None,
                ["SCHOOL"] => Some(ids.school),
                _ => return None,
            },
        },
        ["teacher"] => Role::Teacher {
            staff_id: ids.staff,
        },
        ["enterprise", "hr"] => Role::Enterprise {
            org_id: ids.hr_org,
            contact_id: ids.hr_contact,
            relation: ContactRole::Hr,
        },
        ["enterprise", rel] => Role::Enterprise {
            org_id: ids.org,
            contact_id: ids.contact,
            relation: serde_json::from_value::<ContactRole>(json!(rel)).ok()?,
        },
        ["student"] => Role::Student {
            student_id: ids.student,
        },
        _ => return None,
    })
}

fn actor(r: Role) -> Actor {
    Actor {
        user_id: Some(1),
        username: "t".into(),
        roles: vec![r],
    }
}

/// What the code answers for one role: record type → groups read; record type → groups written
/// (created or changed).
fn from_code(r: &Role) -> (BTreeMap<String, Vec<String>>, BTreeMap<String, Vec<String>>) {
    let a = actor(r.clone());
    let (mut reads, mut writes) = (BTreeMap::new(), BTreeMap::new());
    for d in RESOURCES.iter() {
        let g = |action| -> Vec<String> {
            actor_groups(&a, action, d)
                .into_iter()
                .map(str::to_string)
                .collect()
        };
        let read = g(Action::Read);
        if !read.is_empty() {
            reads.insert(d.name.to_string(), read);
        }
        let mut w = g(Action::Create);
        for x in g(Action::Update) {
            if !w.contains(&x) {
                w.push(x);
            }
        }
        if !w.is_empty() {
            writes.insert(d.name.to_string(), w);
        }
    }
    (reads, writes)
}

/// A cell as the code would have it, compactly (`*` and exceptions when most record types are
/// read with all groups): printed when the table and the code disagree.
fn render(m: &BTreeMap<String, Vec<String>>) -> String {
    if m.is_empty() {
        return "—".into();
    }
    let full = |d: &ResourceDef| {
        m.get(d.name).is_some_and(|g| {
            g.len() == d.field_groups().len()
                && d.field_groups().iter().all(|x| g.contains(&x.name.into()))
        })
    };
    let mut toks = Vec::new();
    let star = RESOURCES.iter().filter(|d| full(d)).count() * 2 > RESOURCES.len();
    if star {
        toks.push("*".to_string());
    }
    for d in RESOURCES.iter() {
        match m.get(d.name) {
            None if star => toks.push(format!("-{}", d.name)),
            None => {}
            Some(_) if full(d) && star => {}
            Some(_) if full(d) => toks.push(d.name.to_string()),
            Some(g) => toks.push(format!("{}[{}]", d.name, g.join(","))),
        }
    }
    format!("`{}`", toks.join(" "))
}

fn dummy_ids() -> Ids {
    Ids {
        school: 3,
        staff: 7,
        org: 5,
        contact: 9,
        hr_org: 6,
        hr_contact: 10,
        student: 11,
    }
}

/// Record types and groups the table names that the code does not know, and role specs it
/// cannot read.
pub fn unknown_names(rows: &[TableRole]) -> Vec<String> {
    let mut bad = Vec::new();
    for r in rows {
        if role(&r.spec, &dummy_ids()).is_none() {
            bad.push(format!("role {}", r.spec));
        }
        for m in [&r.reads, &r.writes] {
            for (name, groups) in m {
                match resource(name) {
                    None => bad.push(format!("{}: record type {name}", r.spec)),
                    Some(d) => {
                        for g in groups {
                            if !d.field_groups().iter().any(|x| x.name == g) {
                                bad.push(format!("{}: group {name}[{g}]", r.spec));
                            }
                        }
                    }
                }
            }
        }
    }
    bad
}

#[test]
fn the_role_table_names_only_records_groups_and_roles_the_code_knows() {
    let rows = table();
    let bad = unknown_names(&rows);
    assert!(bad.is_empty(), "README.md's role table names {bad:?}");
    // The check itself: a made-up record type and group are caught.
    let made_up = vec![TableRole {
        spec: "teacher".into(),
        reads: expand("`staff[identity,salary] payslips`"),
        writes: expand("—"),
    }];
    assert_eq!(
        unknown_names(&made_up),
        [
            "teacher: record type payslips",
            "teacher: group staff[salary]"
        ]
    );
    // Every kind of role appears, and each spec once.
    let specs: BTreeSet<&str> = rows.iter().map(|r| r.spec.as_str()).collect();
    assert_eq!(specs.len(), rows.len(), "a role twice in the table");
    for must in ["admin", "leader", "teacher", "student", "enterprise:hr"] {
        assert!(specs.contains(must), "the table has no row for {must}");
    }
}

#[test]
fn the_role_table_is_what_the_code_decides() {
    let mut wrong = Vec::new();
    for r in table() {
        let role = role(&r.spec, &dummy_ids()).expect("a known role");
        let (reads, writes) = from_code(&role);
        if reads != r.reads {
            wrong.push(format!(
                "{} reads: the code says {}",
                r.spec,
                render(&reads)
            ));
        }
        if writes != r.writes {
            wrong.push(format!(
                "{} writes: the code says {}",
                r.spec,
                render(&writes)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "README.md's role table:\n{}",
        wrong.join("\n")
    );
}

/// The table says "deleting follows creating and changing": a role deletes exactly the record
/// types it creates or changes.
#[test]
fn deleting_follows_creating_and_changing() {
    use skillbridge_core::access::row_scope;
    for r in table() {
        let role = role(&r.spec, &dummy_ids()).expect("a known role");
        for d in RESOURCES.iter() {
            let deletes = row_scope(&role, Action::Delete, d.name).is_some();
            assert_eq!(
                deletes,
                r.writes.contains_key(d.name),
                "{} on {}: deletes {deletes}",
                r.spec,
                d.name
            );
        }
    }
}

/// Every role of the table, signed in on a real server, against every record type: meta's
/// fields and groups, the list's fields, and whether a creation is refused.
#[tokio::test]
async fn the_api_answers_what_the_role_table_allows() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    let system = Actor::system();
    // s1's college mentor, in school 2: a student sees their own mentors' work contact.
    super::s1_college_mentor(&app).await;
    let ids = Ids {
        school: fx.school[0],
        staff: fx.teacher,
        org: fx.org[0],
        contact: fx.mentor_contact,
        hr_org: fx.org[1],
        hr_contact: fx.hr_contact,
        student: fx.student[0],
    };
    let mut failures = Vec::new();
    for (n, r) in table().iter().enumerate() {
        let role = role(&r.spec, &ids).expect("a known role");
        let username = format!("table{n}");
        let is_student = matches!(role, Role::Student { .. });
        app.store
            .accounts()
            .create_user(&system, &username, &r.spec, password_hash(), &[role], "t")
            .await
            .unwrap();
        let mut s = app.login_as(&username).await;
        if is_student {
            // The fixture's student s1 reads its own mentors' work contact in full.
            s.may_see = seen_in_full_by("student");
        }
        let meta = s.send(Method::GET, "/api/meta", None).await.json();
        for d in RESOURCES.iter() {
            failures.extend(check_record(&s, &meta, r, d).await);
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements with README.md's role table:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// One role of the table against one record type, through the API: meta, the list and an empty
/// creation. Returns the disagreements.
async fn check_record(
    s: &Session,
    meta: &serde_json::Value,
    r: &TableRole,
    d: &ResourceDef,
) -> Vec<String> {
    let mut failures = Vec::new();
    let who = format!("{} on {}", r.spec, d.name);
    let read: Vec<&str> = r
        .reads
        .get(d.name)
        .map(|g| g.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let write = r.writes.get(d.name).cloned().unwrap_or_default();
    let fields_of = |groups: &[&str]| -> BTreeSet<String> {
        d.fields
            .iter()
            .filter(|f| d.group_of(f.name).is_some_and(|g| groups.contains(&g.name)))
            .map(|f| f.name.to_string())
            .collect()
    };
    let allowed = fields_of(&read);
    // Meta: the groups the user reads and writes, and the fields shown.
    let m = meta["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == d.name)
        .unwrap();
    if m["can"]["read"] != json!(!read.is_empty()) {
        failures.push(format!("{who}: meta can.read is {}", m["can"]["read"]));
    }
    for g in m["groups"].as_array().unwrap() {
        let name = g["name"].as_str().unwrap();
        if g["read"] != json!(read.contains(&name)) {
            failures.push(format!("{who}: meta says read {name} = {}", g["read"]));
        }
        if g["write"] != json!(write.iter().any(|w| w == name)) {
            failures.push(format!("{who}: meta says write {name} = {}", g["write"]));
        }
    }
    if !read.is_empty() {
        let shown: BTreeSet<String> = m["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        if shown != allowed {
            failures.push(format!("{who}: meta shows {shown:?}, table {allowed:?}"));
        }
    }
    // The list: refused without a read; else only (and, on each row, all) the fields
    // of the groups read.
    let list = s
        .send(Method::GET, &format!("/api/{}?limit=200", d.name), None)
        .await;
    match (read.is_empty(), list.status.as_u16()) {
        (true, 403) => {}
        (false, 200) => {
            for item in list.json()["items"].as_array().unwrap() {
                let keys: BTreeSet<String> = item
                    .as_object()
                    .unwrap()
                    .keys()
                    .filter(|k| {
                        !matches!(
                            k.as_str(),
                            "id" | "created_at" | "updated_at" | "_labels" | "_labels_en"
                        )
                    })
                    .cloned()
                    .collect();
                if keys != allowed {
                    failures.push(format!(
                        "{who}: a row has {keys:?}, the table allows {allowed:?}"
                    ));
                    break;
                }
                // The labels of references (issue 10): only of fields the row may show.
                for labels in ["_labels", "_labels_en"] {
                    let named: BTreeSet<String> = item[labels]
                        .as_object()
                        .map(|o| o.keys().cloned().collect())
                        .unwrap_or_default();
                    if !named.is_subset(&allowed) {
                        failures.push(format!(
                            "{who}: {labels} names {named:?}, the table allows {allowed:?}"
                        ));
                    }
                }
            }
        }
        (_, st) => failures.push(format!("{who}: list answered {st}")),
    }
    // A creation: refused without a write; else judged on its content (an empty
    // record is invalid, 422), never refused for the role.
    let post = s
        .send(Method::POST, &format!("/api/{}", d.name), Some(json!({})))
        .await;
    let want = if write.is_empty() { 403 } else { 422 };
    if post.status.as_u16() != want {
        failures.push(format!(
            "{who}: an empty creation answered {}, want {want}: {}",
            post.status.as_u16(),
            post.text
        ));
    }
    failures
}
