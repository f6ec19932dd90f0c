//! Digital teaching resources (issue 12 §4): courseware, online courses, virtual simulation
//! resources and new-form textbooks (活页式 / 工作手册式) co-written with enterprises, with their
//! authors (college staff and enterprise co-authors), the courses of the plans that use them
//! (program + course code), licence and link. Files go in the attachment store, up to
//! [`MAX_FILE_BYTES`] each; views and downloads are counted by the server, enrolled learners are
//! entered. Academic affairs and the cooperation office keep them (a school's for its school);
//! teachers and students read them; an enterprise user reads those their organisation co-wrote.

mod records;
pub use records::*;

use super::college::own_school;
use super::{MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};
use crate::schema::{has, text, FieldError, Record};

/// The largest file attached to a teaching resource (200 MiB): courseware videos and simulation
/// packages are larger than the configured default for other attachments.
pub const MAX_FILE_BYTES: u64 = 200 << 20;

pub static MODULE: Module = Module {
    name: "resources",
    zh: "数字化教学资源",
    en: "Digital teaching resources",
    records: &[&TEACHING_RESOURCES, &RESOURCE_AUTHORS, &RESOURCE_COURSES],
    permissions: &[],
    scope,
    menu: &[MenuEntry::List(&TEACHING_RESOURCES)],
    personal: &[],
    subject_links: &[],
};

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    use Action::*;
    match role {
        Role::Admin => Some(RowScope::All),
        Role::Leader | Role::Teacher { .. } => (action == Read).then_some(RowScope::All),
        Role::Staff { office, school_id } => match action {
            Read => Some(RowScope::All),
            Reveal => None,
            _ => matches!(office, Office::AcademicAffairs | Office::Cooperation)
                .then(|| own_school(*school_id)),
        },
        // What their organisation co-developed or co-wrote (see the store's SQL).
        Role::Enterprise { org_id, .. } => (action == Read).then_some(RowScope::Org(*org_id)),
        // Learners: the resources themselves, not who wrote them.
        Role::Student { .. } => {
            (action == Read && resource == TEACHING_RESOURCES.name).then_some(RowScope::All)
        }
    }
}

/// Whether `link` is an absolute `http` or `https` address with a host and no spaces.
pub fn link_ok(link: &str) -> bool {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !link.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// The link, when given, is a web address; an online course and a virtual simulation resource,
/// which are used on line, have one.
fn check_resource(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    let mut e = Vec::new();
    match text(rec, "link") {
        Some(l) if !link_ok(l) => e.push(FieldError::new(
            "link",
            "invalid",
            "a link is an http:// or https:// address",
        )),
        None if matches!(text(rec, "kind"), Some("online_course" | "simulation")) => {
            e.push(FieldError::new(
                "link",
                "required",
                "an online course or simulation resource has its link",
            ))
        }
        _ => {}
    }
    e
}

/// A staff author names a staff member and no contact; an enterprise co-author the reverse.
fn check_author(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    let mut e = Vec::new();
    let kind = text(rec, "kind").unwrap_or("");
    let (staff, contact) = (has(rec, "staff_id"), has(rec, "contact_id"));
    if kind == "staff" && (!staff || contact) {
        e.push(FieldError::new(
            "staff_id",
            "required",
            "a staff author names a staff member and no contact",
        ));
    }
    if kind == "enterprise" && (!contact || staff) {
        e.push(FieldError::new(
            "contact_id",
            "required",
            "an enterprise co-author names a contact and no staff member",
        ));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(v: serde_json::Value) -> Record {
        v.as_object().cloned().unwrap()
    }
    fn codes(e: &[FieldError]) -> Vec<(&str, &str)> {
        e.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn links_are_web_addresses_and_online_resources_have_one() {
        assert!(link_ok("https://mooc.example.edu.cn/course/123"));
        assert!(link_ok("http://10.0.0.5:8080/sim"));
        assert!(!link_ok("ftp://example.org/x"));
        assert!(!link_ok("https://"));
        assert!(!link_ok("https://a b.cn"));
        assert!(!link_ok("javascript:alert(1)"));
        let online = rec(json!({"kind": "online_course", "title": "x"}));
        assert_eq!(
            codes(&check_resource(&online, None)),
            [("link", "required")]
        );
        let bad = rec(json!({"kind": "courseware", "link": "file:///etc/passwd"}));
        assert_eq!(codes(&check_resource(&bad, None)), [("link", "invalid")]);
        assert!(check_resource(&rec(json!({"kind": "workbook"})), None).is_empty());
    }

    #[test]
    fn an_author_is_a_staff_member_or_an_enterprise_contact() {
        let ok = rec(json!({"kind": "enterprise", "contact_id": 2, "role": "author"}));
        assert!(check_author(&ok, None).is_empty());
        let wrong = rec(json!({"kind": "enterprise", "staff_id": 2}));
        assert_eq!(
            codes(&check_author(&wrong, None)),
            [("contact_id", "required")]
        );
        let staff = rec(json!({"kind": "staff"}));
        assert_eq!(
            codes(&check_author(&staff, None)),
            [("staff_id", "required")]
        );
    }

    #[test]
    fn writers_are_the_schools_offices_and_students_read_only_the_resources() {
        let aa2 = Role::Staff {
            office: Office::AcademicAffairs,
            school_id: Some(2),
        };
        assert_eq!(
            scope(&aa2, Action::Create, "teaching_resources"),
            Some(RowScope::School(2))
        );
        let emp = Role::Staff {
            office: Office::Employment,
            school_id: None,
        };
        assert_eq!(scope(&emp, Action::Update, "teaching_resources"), None);
        let s = Role::Student { student_id: 1 };
        assert_eq!(
            scope(&s, Action::Read, "teaching_resources"),
            Some(RowScope::All)
        );
        assert_eq!(scope(&s, Action::Read, "resource_authors"), None);
        let e = Role::Enterprise {
            org_id: 3,
            contact_id: 1,
            relation: crate::access::ContactRole::Mentor,
        };
        assert_eq!(
            scope(&e, Action::Read, "resource_courses"),
            Some(RowScope::Org(3))
        );
        assert_eq!(scope(&e, Action::Create, "resource_courses"), None);
    }
}
