//! Joint R&D and technology transfer (issue 12 §3): research projects, horizontal (contracted with
//! enterprises) and vertical (government-funded), with their partner organisations, the money
//! received each year, the staff and student participants, and the outcomes (patents, software
//! copyrights, standards, products, papers). Technology-service income per year and school is
//! summed in `income`. The cooperation office keeps the records (a school's for its school);
//! offices and leaders read all, a school's staff their school's, a teacher the projects they lead
//! or take part in, an enterprise user the projects their organisation is a partner of.

pub mod income;
mod records;
pub use records::*;

use super::college::own_school;
use super::{not_students, office_roles, MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};
use crate::schema::{has, text, FieldError, Record};

/// Permission of the technology-service income report (`GET /api/research/income`).
pub const TECH_INCOME: &str = "tech_income";

pub static MODULE: Module = Module {
    name: "research",
    zh: "科研与技术服务",
    en: "R&D and technology transfer",
    records: &[
        &RESEARCH_PROJECTS,
        &RESEARCH_PARTNERS,
        &RESEARCH_RECEIPTS,
        &RESEARCH_PARTICIPANTS,
        &RESEARCH_OUTCOMES,
    ],
    permissions: &[TECH_INCOME],
    scope,
    menu: &[
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&RESEARCH_PROJECTS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&RESEARCH_OUTCOMES),
        },
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::Page {
                path: "/research/income",
                zh: "技术服务到款",
                en: "Technology-service income",
                needs: TECH_INCOME,
            },
        },
    ],
    personal: &[],
    subject_links: &[],
};

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    use Action::*;
    if resource == TECH_INCOME {
        // A report: read only, by the college (all schools) or one school's staff.
        return match (role, action) {
            (Role::Admin | Role::Leader, Read) => Some(RowScope::All),
            (Role::Staff { school_id, .. }, Read) => Some(own_school(*school_id)),
            _ => None,
        };
    }
    match role {
        Role::Admin => Some(RowScope::All),
        Role::Leader => (action == Read).then_some(RowScope::All),
        Role::Staff { office, school_id } => match action {
            Read => Some(own_school(*school_id)),
            Reveal => None,
            _ => (*office == Office::Cooperation).then(|| own_school(*school_id)),
        },
        // The projects they lead or take part in (see the store's SQL).
        Role::Teacher { staff_id } => (action == Read).then_some(RowScope::Teacher(*staff_id)),
        // The projects their organisation is a partner of.
        Role::Enterprise { org_id, .. } => (action == Read).then_some(RowScope::Org(*org_id)),
        Role::Student { .. } => None,
    }
}

/// A staff participant names a staff member and no student; a student participant the reverse.
fn check_participant(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    let mut e = Vec::new();
    let kind = text(rec, "kind").unwrap_or("");
    let (staff, student) = (has(rec, "staff_id"), has(rec, "student_id"));
    if kind == "staff" && (!staff || student) {
        e.push(FieldError::new(
            "staff_id",
            "required",
            "a staff participant names a staff member and no student",
        ));
    }
    if kind == "student" && (!student || staff) {
        e.push(FieldError::new(
            "student_id",
            "required",
            "a student participant names a student and no staff member",
        ));
    }
    e
}

/// The fields of each kind of outcome: a patent has its number (checked by `patent_number`),
/// type and status, and the type agrees with the number's type digit; a software copyright and
/// a standard have their registration or standard number, a standard its level; a paper its
/// journal. Fields of another kind are refused.
fn check_outcome(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    let mut e = Vec::new();
    let kind = text(rec, "kind").unwrap_or("");
    let need = |e: &mut Vec<FieldError>, field: &'static str, what: &str| {
        if !has(rec, field) {
            e.push(FieldError::new(field, "required", what));
        }
    };
    let refuse = |e: &mut Vec<FieldError>, field: &'static str, what: &str| {
        if has(rec, field) {
            e.push(FieldError::new(field, "not_allowed", what));
        }
    };
    if kind == "patent" {
        need(&mut e, "number", "a patent has its number");
        need(&mut e, "patent_type", "a patent has its type");
        need(&mut e, "patent_status", "a patent has its status");
        if let Some(n) = text(rec, "number") {
            match patent_number(n) {
                None => e.push(FieldError::new(
                    "number",
                    "invalid",
                    "a patent number is ZL or CN, 12 digits, a dot and a check character",
                )),
                Some(t) => {
                    if let Some(pt) = text(rec, "patent_type") {
                        if pt != t {
                            e.push(FieldError::new(
                                "patent_type",
                                "mismatch",
                                "the patent type disagrees with the number's type digit",
                            ));
                        }
                    }
                }
            }
        }
    } else {
        refuse(&mut e, "patent_type", "only a patent has a patent type");
        refuse(&mut e, "patent_status", "only a patent has a patent status");
    }
    if kind == "software" || kind == "standard" {
        need(
            &mut e,
            "number",
            "the registration or standard number is required",
        );
    }
    if kind == "standard" {
        need(&mut e, "standard_level", "a standard has its level");
    } else {
        refuse(&mut e, "standard_level", "only a standard has a level");
    }
    if kind == "paper" {
        need(&mut e, "venue", "a paper names its journal");
    } else {
        refuse(&mut e, "venue", "only a paper has a journal");
    }
    e
}

/// The patent type a Chinese patent (application) number names, if it is well formed: an
/// optional `ZL` or `CN` prefix, the year (4 digits), the type digit (1 or 8 invention, 2 or 9
/// utility model, 3 design), a 7-digit serial, a dot and a check character (a digit or `X`).
/// The format of numbers filed since 2003 (CNIPA); earlier 8- and 9-digit numbers are refused.
pub fn patent_number(n: &str) -> Option<&'static str> {
    let n = n.trim();
    let n = n
        .strip_prefix("ZL")
        .or_else(|| n.strip_prefix("CN"))
        .unwrap_or(n);
    let (digits, check) = n.split_once('.')?;
    if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if check.len() != 1 || !check.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
        return None;
    }
    let year: u32 = digits[..4].parse().ok()?;
    if !(1985..=2100).contains(&year) {
        return None;
    }
    match digits.as_bytes()[4] {
        b'1' | b'8' => Some("invention"),
        b'2' | b'9' => Some("utility"),
        b'3' => Some("design"),
        _ => None,
    }
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
    fn patent_numbers_name_their_type() {
        assert_eq!(patent_number("ZL202310123456.7"), Some("invention"));
        assert_eq!(patent_number("CN202220987654.X"), Some("utility"));
        assert_eq!(patent_number("202430001234.5"), Some("design"));
        assert_eq!(patent_number("202410123456"), None, "no check character");
        assert_eq!(patent_number("20241012345.6"), None, "11 digits");
        assert_eq!(patent_number("202450123456.1"), None, "type digit 5");
        assert_eq!(patent_number("ZL2023101234567"), None, "no dot");
    }

    #[test]
    fn each_kind_of_outcome_has_its_fields() {
        let ok = rec(
            json!({"kind": "patent", "title": "诊断方法", "number": "ZL202310123456.7", "patent_type": "invention", "patent_status": "granted"}),
        );
        assert!(check_outcome(&ok, None).is_empty());
        let wrong_type = rec(
            json!({"kind": "patent", "title": "诊断方法", "number": "ZL202320123456.7", "patent_type": "invention", "patent_status": "filed"}),
        );
        assert_eq!(
            codes(&check_outcome(&wrong_type, None)),
            [("patent_type", "mismatch")]
        );
        let bare = rec(json!({"kind": "patent", "title": "x"}));
        assert_eq!(
            codes(&check_outcome(&bare, None)),
            [
                ("number", "required"),
                ("patent_type", "required"),
                ("patent_status", "required")
            ]
        );
        let paper = rec(json!({"kind": "paper", "title": "x", "patent_type": "design"}));
        assert_eq!(
            codes(&check_outcome(&paper, None)),
            [("patent_type", "not_allowed"), ("venue", "required")]
        );
        let standard = rec(json!({"kind": "standard", "title": "x", "number": "T/CSAE 123-2024"}));
        assert_eq!(
            codes(&check_outcome(&standard, None)),
            [("standard_level", "required")]
        );
        let software = rec(json!({"kind": "software", "title": "x", "number": "2024SR0123456"}));
        assert!(check_outcome(&software, None).is_empty());
        assert!(check_outcome(&rec(json!({"kind": "product", "title": "x"})), None).is_empty());
    }

    #[test]
    fn a_participant_is_a_staff_member_or_a_student() {
        let staff = rec(json!({"kind": "staff", "staff_id": 3, "role": "lead"}));
        assert!(check_participant(&staff, None).is_empty());
        let both = rec(json!({"kind": "staff", "staff_id": 3, "student_id": 4}));
        assert_eq!(
            codes(&check_participant(&both, None)),
            [("staff_id", "required")]
        );
        let student = rec(json!({"kind": "student", "staff_id": 3}));
        assert_eq!(
            codes(&check_participant(&student, None)),
            [("student_id", "required")]
        );
    }

    #[test]
    fn scopes_follow_the_office_the_school_the_team_and_the_partner() {
        let coop1 = Role::Staff {
            office: Office::Cooperation,
            school_id: Some(1),
        };
        let aa = Role::Staff {
            office: Office::AcademicAffairs,
            school_id: None,
        };
        assert_eq!(
            scope(&coop1, Action::Create, "research_projects"),
            Some(RowScope::School(1))
        );
        assert_eq!(
            scope(&coop1, Action::Read, "research_receipts"),
            Some(RowScope::School(1))
        );
        assert_eq!(
            scope(&aa, Action::Read, "research_projects"),
            Some(RowScope::All)
        );
        assert_eq!(scope(&aa, Action::Update, "research_projects"), None);
        let t = Role::Teacher { staff_id: 9 };
        assert_eq!(
            scope(&t, Action::Read, "research_outcomes"),
            Some(RowScope::Teacher(9))
        );
        assert_eq!(scope(&t, Action::Update, "research_outcomes"), None);
        let e = Role::Enterprise {
            org_id: 4,
            contact_id: 2,
            relation: crate::access::ContactRole::Hr,
        };
        assert_eq!(
            scope(&e, Action::Read, "research_projects"),
            Some(RowScope::Org(4))
        );
        assert_eq!(scope(&e, Action::Read, TECH_INCOME), None);
        assert_eq!(
            scope(&coop1, Action::Read, TECH_INCOME),
            Some(RowScope::School(1))
        );
        assert_eq!(
            scope(
                &Role::Student { student_id: 1 },
                Action::Read,
                "research_projects"
            ),
            None
        );
    }
}
