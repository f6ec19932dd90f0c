//! Training bases (on campus, school-in-factory, factory-in-school, in an enterprise, overseas),
//! the programs they serve, their equipment register and bookings of a base, workstations or a
//! piece of equipment. Everyone finds a free slot; academic affairs keeps the bases; teachers book
//! for themselves; conflicts are refused inside the write transaction (the store's write hook).

pub mod booking;
mod records;
pub use records::*;

use super::college::own_school;
use super::{not_students, office_roles, MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};
use crate::schema::{has, text, FieldError, Record};

pub static MODULE: Module = Module {
    name: "bases",
    zh: "实训教学",
    en: "Practical training",
    records: &[&TRAINING_BASES, &BASE_PROGRAMS, &EQUIPMENT, &BOOKINGS],
    permissions: &[],
    scope,
    menu: &[
        MenuEntry::List(&TRAINING_BASES),
        MenuEntry::List(&BOOKINGS),
        MenuEntry::Page {
            path: "/utilisation",
            zh: "基地利用率",
            en: "Utilisation",
            needs: "training_bases",
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&EQUIPMENT),
        },
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::List(&BASE_PROGRAMS),
        },
    ],
    personal: &[],
    subject_links: &[crate::personal_data::SubjectLink {
        resource: "bookings",
        field: "class_id",
        student_field: "class_id",
    }],
};

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    let bookings = resource == BOOKINGS.name;
    use Action::*;
    match role {
        Role::Admin => Some(RowScope::All),
        Role::Leader => (action == Read).then_some(RowScope::All),
        Role::Staff { office, school_id } => match action {
            Read => Some(RowScope::All),
            Reveal => None,
            // Academic affairs manages them, college-wide or for its school's bases.
            _ => (*office == Office::AcademicAffairs).then(|| own_school(*school_id)),
        },
        // Teachers see every base and booking (to find a free slot), and book, change and
        // cancel their own bookings: those naming them as the booking staff member.
        Role::Teacher { staff_id } => match action {
            Read => Some(RowScope::All),
            Create | Update | Delete if bookings => Some(RowScope::Teacher(*staff_id)),
            _ => None,
        },
        // Only the bases their organisation co-builds, their equipment and bookings.
        Role::Enterprise { org_id, .. } => (action == Read).then_some(RowScope::Org(*org_id)),
        // Every base and its equipment; the bookings of their own class.
        Role::Student { student_id } => match action {
            Read if bookings => Some(RowScope::Student(*student_id)),
            Read => Some(RowScope::All),
            _ => None,
        },
    }
}

/// Whether `roles` may book a base in the past (record a session that already took place, or
/// move a booking to a past time): the administrator, and academic affairs, which manages the
/// bases (college-wide, or of its school: `base_school` is the base's school). Teachers book
/// from now on. A booking whose time is not changed (a cancellation, a new purpose) needs no
/// such right.
pub fn may_backdate(roles: &[Role], base_school: Option<i64>) -> bool {
    roles.iter().any(|r| match r {
        Role::Admin => true,
        Role::Staff {
            office: Office::AcademicAffairs,
            school_id: None,
        } => true,
        Role::Staff {
            office: Office::AcademicAffairs,
            school_id: Some(s),
        } => base_school == Some(*s),
        _ => false,
    })
}

/// An overseas base names its country.
fn check_base(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    if text(rec, "kind") == Some("overseas") && !has(rec, "country_code") {
        return vec![FieldError::new(
            "country_code",
            "required",
            "is required for an overseas base",
        )];
    }
    Vec::new()
}

/// A booking's own rules: what is booked names what it needs and nothing else, someone booked
/// it, and its interval is valid (`booking::check_interval`). Conflicts with other bookings are
/// checked by the store, against the database, inside the write transaction.
fn check_booking(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    let mut e = Vec::new();
    let kind = text(rec, "kind").unwrap_or("");
    if kind == "workstations" && !has(rec, "workstations") {
        e.push(FieldError::new(
            "workstations",
            "required",
            "is required when booking workstations",
        ));
    }
    if kind == "equipment" && !has(rec, "equipment_id") {
        e.push(FieldError::new(
            "equipment_id",
            "required",
            "is required when booking equipment",
        ));
    }
    if kind != "workstations" && has(rec, "workstations") {
        e.push(FieldError::new(
            "workstations",
            "not_allowed",
            "only a workstation booking names a number of workstations",
        ));
    }
    if kind != "equipment" && has(rec, "equipment_id") {
        e.push(FieldError::new(
            "equipment_id",
            "not_allowed",
            "only an equipment booking names equipment",
        ));
    }
    // What the time is for: the course taught, or the purpose (a contest's training, an
    // enterprise course, research). An empty form names neither.
    if !has(rec, "course_name") && !has(rec, "purpose") {
        for field in ["course_name", "purpose"] {
            e.push(FieldError::new(
                field,
                "required",
                "state the course or the purpose of the booking",
            ));
        }
    }
    if !has(rec, "course_name") && !has(rec, "class_id") && !has(rec, "staff_id") {
        e.push(FieldError::new(
            "staff_id",
            "required",
            "name who books: a course, a class or a person",
        ));
    }
    if let (Some(a), Some(b)) = (text(rec, "start_at"), text(rec, "end_at")) {
        if let (Ok(a), Ok(b)) = (booking::parse_instant(a), booking::parse_instant(b)) {
            if let Err(m) = booking::check_interval(a, b) {
                e.push(FieldError::new("end_at", "invalid_interval", m));
            }
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::validate;
    use serde_json::json;

    fn input(v: serde_json::Value) -> Record {
        v.as_object().unwrap().clone()
    }

    fn codes(errs: &[FieldError]) -> Vec<(String, &'static str)> {
        let mut v: Vec<_> = errs.iter().map(|e| (e.field.clone(), e.code)).collect();
        v.sort();
        v
    }

    #[test]
    fn a_booking_states_its_course_or_purpose() {
        let base = json!({"base_id": 1, "kind": "base", "staff_id": 3,
            "start_at": "2030-01-07T08:00", "end_at": "2030-01-07T10:00", "status": "active"});
        // Neither: both fields are marked.
        let errs = validate(&BOOKINGS, &input(base.clone()), None).unwrap_err();
        assert_eq!(
            codes(&errs),
            vec![
                ("course_name".to_string(), "required"),
                ("purpose".to_string(), "required")
            ]
        );
        // Either one will do.
        for (k, v) in [("course_name", "汽车电气实训"), ("purpose", "技能大赛集训")] {
            let mut b = base.clone();
            b[k] = json!(v);
            assert!(validate(&BOOKINGS, &input(b), None).is_ok(), "{k}");
        }
        // Nothing at all: every required field (the rules across fields come once they parse).
        let errs = validate(&BOOKINGS, &input(json!({})), None).unwrap_err();
        let fields: Vec<String> = codes(&errs).into_iter().map(|(f, _)| f).collect();
        for f in ["base_id", "kind", "start_at", "end_at", "status"] {
            assert!(fields.iter().any(|x| x == f), "{f}: {fields:?}");
        }
    }

    #[test]
    fn only_the_bases_office_may_backdate() {
        let aa = |school_id| Role::Staff {
            office: Office::AcademicAffairs,
            school_id,
        };
        assert!(may_backdate(&[Role::Admin], Some(1)));
        assert!(may_backdate(&[aa(None)], Some(1)));
        assert!(may_backdate(&[aa(Some(1))], Some(1)));
        assert!(!may_backdate(&[aa(Some(2))], Some(1)));
        assert!(!may_backdate(&[aa(Some(2))], None));
        assert!(!may_backdate(&[Role::Teacher { staff_id: 5 }], Some(1)));
        assert!(!may_backdate(&[Role::Leader], Some(1)));
        let sa = Role::Staff {
            office: Office::StudentAffairs,
            school_id: None,
        };
        assert!(!may_backdate(&[sa], Some(1)));
        // Any of the user's roles.
        assert!(may_backdate(
            &[Role::Teacher { staff_id: 5 }, aa(Some(1))],
            Some(1)
        ));
        assert!(!may_backdate(&[], Some(1)));
    }
}
