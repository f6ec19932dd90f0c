//! The student status lifecycle as the register's types of change: which type is allowed from
//! which status, what it sets, and what it needs. Pure functions; the store applies them.

use crate::schema::FieldError;

/// What a type of change needs besides the student.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing more.
    None,
    /// A target program (转专业); a class of that program may be named too.
    Program,
    /// A target class (转班: of the same program; 留级/降级: any, the program follows the class).
    Class,
}

/// One type of change: the statuses it may start from, the status it leaves, what it needs.
#[derive(Debug, Clone, Copy)]
pub struct ChangeType {
    pub code: &'static str,
    pub from: &'static [&'static str],
    pub to: &'static str,
    pub target: Target,
}

const fn t(
    code: &'static str,
    from: &'static [&'static str],
    to: &'static str,
    target: Target,
) -> ChangeType {
    ChangeType {
        code,
        from,
        to,
        target,
    }
}

/// The lifecycle. Statuses: enrolled 在读, suspended 休学, reserved 保留学籍, withdrawn 退学,
/// transferred 转出, cancelled 取消学籍, expelled 开除学籍, completed 结业, incomplete 肄业,
/// graduated 毕业 (`college::STUDENT_STATUS`). Graduated, withdrawn, transferred, cancelled,
/// expelled and incomplete are final here; a completed (结业) student may still graduate (换发
/// 毕业证书 after passing the make-up examinations).
pub static CHANGE_TYPES: &[ChangeType] = &[
    t("suspend", &["enrolled"], "suspended", Target::None),
    t(
        "resume",
        &["suspended", "reserved"],
        "enrolled",
        Target::None,
    ),
    t("reserve", &["enrolled"], "reserved", Target::None),
    t(
        "withdraw",
        &["enrolled", "suspended", "reserved"],
        "withdrawn",
        Target::None,
    ),
    t("change_program", &["enrolled"], "enrolled", Target::Program),
    t("change_class", &["enrolled"], "enrolled", Target::Class),
    t(
        "transfer_out",
        &["enrolled", "suspended"],
        "transferred",
        Target::None,
    ),
    t(
        "repeat",
        &["enrolled", "suspended"],
        "enrolled",
        Target::Class,
    ),
    t(
        "cancel",
        &["enrolled", "suspended", "reserved"],
        "cancelled",
        Target::None,
    ),
    t(
        "expel",
        &["enrolled", "suspended", "reserved"],
        "expelled",
        Target::None,
    ),
    t("complete", &["enrolled"], "completed", Target::None),
    t(
        "incomplete",
        &["enrolled", "suspended"],
        "incomplete",
        Target::None,
    ),
    t(
        "graduate",
        &["enrolled", "completed"],
        "graduated",
        Target::None,
    ),
];

/// The type of change with that code.
pub fn change_type(code: &str) -> Option<&'static ChangeType> {
    CHANGE_TYPES.iter().find(|t| t.code == code)
}

/// Whether some type of change leads from `from` to `to` (or nothing changes).
pub fn transition_allowed(from: &str, to: &str) -> bool {
    from == to
        || CHANGE_TYPES
            .iter()
            .any(|t| t.to == to && t.from.contains(&from))
}

/// A student as a change sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentState {
    pub status: String,
    pub program_id: i64,
    pub class_id: Option<i64>,
}

/// The target named by a request, with the target class's program when a class is named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Requested {
    pub program_id: Option<i64>,
    pub class_id: Option<i64>,
    pub class_program_id: Option<i64>,
}

/// What a change does to the student: the new status, program and class.
pub fn plan(
    code: &str,
    student: &StudentState,
    req: Requested,
) -> Result<StudentState, FieldError> {
    let ty = change_type(code).ok_or_else(|| {
        FieldError::new("change_type", "invalid_option", "unknown type of change")
    })?;
    if !ty.from.contains(&student.status.as_str()) {
        return Err(FieldError::new(
            "change_type",
            "invalid_transition",
            format!(
                "a student whose status is {} cannot have this change ({code})",
                student.status
            ),
        ));
    }
    let mut next = StudentState {
        status: ty.to.to_string(),
        ..student.clone()
    };
    let class_of = |field: &str, program: i64| -> Result<(), FieldError> {
        match (req.class_id, req.class_program_id) {
            (Some(_), Some(p)) if p != program => Err(FieldError::new(
                field,
                "mismatch",
                "the class belongs to another program",
            )),
            _ => Ok(()),
        }
    };
    match ty.target {
        Target::None => {}
        Target::Program => {
            let p = req.program_id.ok_or_else(|| {
                FieldError::new(
                    "target_program_id",
                    "required",
                    "name the program to move to",
                )
            })?;
            if p == student.program_id {
                return Err(FieldError::new(
                    "target_program_id",
                    "unchanged",
                    "the student already studies this program",
                ));
            }
            class_of("target_class_id", p)?;
            next.program_id = p;
            next.class_id = req.class_id;
        }
        Target::Class => {
            let c = req.class_id.ok_or_else(|| {
                FieldError::new("target_class_id", "required", "name the class to move to")
            })?;
            if Some(c) == student.class_id {
                return Err(FieldError::new(
                    "target_class_id",
                    "unchanged",
                    "the student is already in this class",
                ));
            }
            if code == "change_class" {
                // 转班 stays in the program; a class of another program is 转专业.
                class_of("target_class_id", student.program_id)?;
            }
            next.class_id = Some(c);
            if let Some(p) = req.class_program_id {
                next.program_id = p;
            }
        }
    }
    Ok(next)
}

/// Whether a change approved for `effective_date` applies on `today` (both `YYYY-MM-DD`).
pub fn due(effective_date: &str, today: &str) -> bool {
    effective_date <= today
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(status: &str) -> StudentState {
        StudentState {
            status: status.into(),
            program_id: 1,
            class_id: Some(10),
        }
    }

    #[test]
    fn every_type_of_the_register_is_coded_once_with_a_label() {
        let table = &super::super::STATUS_CHANGE_TYPES;
        assert_eq!(CHANGE_TYPES.len(), 13);
        for ty in CHANGE_TYPES {
            assert!(table.label(ty.code, true).is_some(), "{}", ty.code);
            assert!(table.label(ty.code, false).is_some(), "{}", ty.code);
            for s in ty.from.iter().chain([&ty.to]) {
                assert!(
                    crate::modules::college::STUDENT_STATUS
                        .label(s, true)
                        .is_some(),
                    "{s}"
                );
            }
        }
        let codes: std::collections::BTreeSet<_> = CHANGE_TYPES.iter().map(|t| t.code).collect();
        assert_eq!(codes.len(), CHANGE_TYPES.len());
        assert_eq!(table.labels.len(), CHANGE_TYPES.len());
    }

    #[test]
    fn status_types_set_their_status_from_the_statuses_they_allow() {
        let none = Requested::default();
        for (code, from, to) in [
            ("suspend", "enrolled", "suspended"),
            ("resume", "suspended", "enrolled"),
            ("resume", "reserved", "enrolled"),
            ("reserve", "enrolled", "reserved"),
            ("withdraw", "suspended", "withdrawn"),
            ("transfer_out", "enrolled", "transferred"),
            ("cancel", "reserved", "cancelled"),
            ("expel", "enrolled", "expelled"),
            ("complete", "enrolled", "completed"),
            ("incomplete", "suspended", "incomplete"),
            ("graduate", "enrolled", "graduated"),
            ("graduate", "completed", "graduated"),
        ] {
            let next = plan(code, &st(from), none).unwrap();
            assert_eq!(next.status, to, "{code} from {from}");
            assert_eq!((next.program_id, next.class_id), (1, Some(10)));
        }
        for (code, from) in [
            ("suspend", "suspended"),
            ("resume", "enrolled"),
            ("graduate", "suspended"),
            ("graduate", "graduated"),
            ("withdraw", "graduated"),
            ("change_class", "suspended"),
            ("resume", "withdrawn"),
            ("complete", "completed"),
        ] {
            let e = plan(code, &st(from), none).unwrap_err();
            assert_eq!(e.code, "invalid_transition", "{code} from {from}");
        }
        assert_eq!(
            plan("nope", &st("enrolled"), none).unwrap_err().code,
            "invalid_option"
        );
    }

    #[test]
    fn moves_need_their_target_and_set_program_and_class() {
        let s = st("enrolled");
        let e = plan("change_program", &s, Requested::default()).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("target_program_id", "required")
        );
        let same = Requested {
            program_id: Some(1),
            ..Default::default()
        };
        assert_eq!(
            plan("change_program", &s, same).unwrap_err().code,
            "unchanged"
        );
        let to2 = Requested {
            program_id: Some(2),
            class_id: Some(20),
            class_program_id: Some(2),
        };
        let next = plan("change_program", &s, to2).unwrap();
        assert_eq!(
            (next.status.as_str(), next.program_id, next.class_id),
            ("enrolled", 2, Some(20))
        );
        let wrong = Requested {
            program_id: Some(2),
            class_id: Some(30),
            class_program_id: Some(3),
        };
        assert_eq!(
            plan("change_program", &s, wrong).unwrap_err().code,
            "mismatch"
        );

        let e = plan("change_class", &s, Requested::default()).unwrap_err();
        assert_eq!(e.code, "required");
        let c11 = Requested {
            class_id: Some(11),
            class_program_id: Some(1),
            ..Default::default()
        };
        assert_eq!(plan("change_class", &s, c11).unwrap().class_id, Some(11));
        let other = Requested {
            class_id: Some(21),
            class_program_id: Some(2),
            ..Default::default()
        };
        assert_eq!(
            plan("change_class", &s, other).unwrap_err().code,
            "mismatch"
        );
        let here = Requested {
            class_id: Some(10),
            class_program_id: Some(1),
            ..Default::default()
        };
        assert_eq!(
            plan("change_class", &s, here).unwrap_err().code,
            "unchanged"
        );
        // 留级/降级: into a class of a later cohort, possibly of another program.
        let next = plan("repeat", &st("suspended"), other).unwrap();
        assert_eq!(
            (next.status.as_str(), next.program_id, next.class_id),
            ("enrolled", 2, Some(21))
        );
    }

    #[test]
    fn due_on_or_after_the_date_and_the_lifecycle_follows_the_types() {
        assert!(due("2026-09-01", "2026-09-01"));
        assert!(due("2026-08-31", "2026-09-01"));
        assert!(!due("2026-09-02", "2026-09-01"));
        assert!(transition_allowed("enrolled", "suspended"));
        assert!(transition_allowed("suspended", "enrolled"));
        assert!(transition_allowed("completed", "graduated"));
        assert!(!transition_allowed("graduated", "enrolled"));
        assert!(!transition_allowed("suspended", "graduated"));
        assert!(!transition_allowed("withdrawn", "enrolled"));
    }
}
