//! Batch work on lists (issue 10 §6): what one batch call may change, and how its outcome is
//! told. A batch is one of two operations over a selection of rows of a record type:
//!
//! - **set** one field to one value on every selected row: a record's `status` (a coded field
//!   whose lifecycle the record type's `check` holds, so a batch cannot skip a step that a
//!   single change could not) or a declared assignment (a class's adviser);
//! - **link**: create, for every selected row, a record of another type that refers to it
//!   (a mentor assignment for each selected student).
//!
//! Fields changed only by a recorded procedure (a student's status, changed by 学籍异动; an
//! allocation run's or an offer's, changed by the allocation workflow) are never set in batch.
//! The store applies a batch all or nothing and answers a result per row; see
//! `skillbridge_store::batch`.

use crate::schema::{resource, Field, FieldError, Kind, Pii, ResourceDef};

/// Status fields that only a procedure changes, never a batch (nor, for the workflows, a plain
/// edit): (record type, field).
pub const BY_PROCEDURE: &[(&str, &str)] = &[
    ("students", "status"),
    ("allocation_runs", "status"),
    ("order_offers", "status"),
    ("plans", "status"),
];

/// Reference fields a batch may assign besides the status fields: (record type, field).
pub const ASSIGNABLE: &[(&str, &str)] = &[("classes", "adviser_id")];

/// Records a batch may create for each selected row: (selected record type, created record
/// type). The created type refers to the selected one by exactly one required reference
/// ([`link_field`]).
pub const LINKS: &[(&str, &str)] = &[("students", "mentors")];

/// The fields of `def` a batch may set, in field order.
pub fn settable_fields(def: &ResourceDef) -> Vec<&'static Field> {
    def.fields
        .iter()
        .filter(|f| settable(def, f.name).is_ok())
        .collect()
}

/// The field `name` of `def` if a batch may set it: a coded `status` field not changed by a
/// procedure, or a declared assignment; never a personal or unique field.
pub fn settable(def: &ResourceDef, name: &str) -> Result<&'static Field, FieldError> {
    let refused = || {
        FieldError::new(
            "field",
            "not_batch",
            "this field cannot be changed in batch",
        )
    };
    let f = def.field(name).ok_or_else(refused)?;
    if f.pii != Pii::None || f.unique || BY_PROCEDURE.contains(&(def.name, name)) {
        return Err(refused());
    }
    let status = name == "status" && matches!(f.kind, Kind::Enum(_));
    let assigned = ASSIGNABLE.contains(&(def.name, name)) && matches!(f.kind, Kind::Ref(_));
    match status || assigned {
        true => Ok(f),
        false => Err(refused()),
    }
}

/// The record types a batch may create for rows of `def`, each with its reference to them.
pub fn links(def: &ResourceDef) -> Vec<(&'static ResourceDef, &'static Field)> {
    LINKS
        .iter()
        .filter(|(from, _)| *from == def.name)
        .filter_map(|(_, to)| resource(to))
        .filter_map(|t| link_field(t, def.name).map(|f| (t, f)))
        .collect()
}

/// The one required reference of `target` to `source` (`None` when there is none, or several:
/// which one a selected row fills would be a guess).
pub fn link_field(target: &ResourceDef, source: &str) -> Option<&'static Field> {
    let mut it = target
        .fields
        .iter()
        .filter(|f| f.required && matches!(f.kind, Kind::Ref(r) if r == source));
    match (it.next(), it.next()) {
        (Some(f), None) => Some(f),
        _ => None,
    }
}

/// What became of one selected row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Changed (or created) and committed.
    Applied,
    /// Already as asked; nothing written for it.
    Unchanged,
    /// Refused: out of the user's scope, not found, or the change is not allowed.
    Refused,
    /// Would have been applied, but another row was refused, so nothing was.
    NotApplied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Unchanged => "unchanged",
            Outcome::Refused => "refused",
            Outcome::NotApplied => "not_applied",
        }
    }
}

/// The detail of a batch's audit entry: the operation, then each outcome with its ids (and,
/// for refusals, each id's reason code), e.g.
/// `set status=closed; applied 2: 4,5; refused 1: 9 (not_found)`.
pub fn summary(op: &str, rows: &[(i64, Outcome, Option<&str>)]) -> String {
    let mut parts = vec![op.to_string()];
    for o in [
        Outcome::Applied,
        Outcome::Unchanged,
        Outcome::Refused,
        Outcome::NotApplied,
    ] {
        let ids: Vec<String> = rows
            .iter()
            .filter(|r| r.1 == o)
            .map(|(id, _, code)| match code {
                Some(c) if o == Outcome::Refused => format!("{id} ({c})"),
                _ => id.to_string(),
            })
            .collect();
        if !ids.is_empty() {
            parts.push(format!("{} {}: {}", o.as_str(), ids.len(), ids.join(",")));
        }
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::resource;

    #[test]
    fn status_fields_are_settable_unless_a_procedure_owns_them() {
        let names = |r: &str| -> Vec<&str> {
            settable_fields(resource(r).unwrap())
                .iter()
                .map(|f| f.name)
                .collect()
        };
        assert_eq!(names("agreements"), ["status"]);
        assert_eq!(names("bookings"), ["status"]);
        assert_eq!(names("classes"), ["adviser_id"]);
        assert!(
            names("students").is_empty(),
            "学籍异动 changes a student's status"
        );
        assert!(names("order_offers").is_empty());
        assert!(names("allocation_runs").is_empty());
        let students = resource("students").unwrap();
        for f in [
            "status",
            "gender",
            "id_number",
            "name",
            "class_id",
            "nonsense",
        ] {
            assert_eq!(settable(students, f).unwrap_err().code, "not_batch", "{f}");
        }
    }

    #[test]
    fn students_link_to_mentor_assignments_by_their_one_reference() {
        let l = links(resource("students").unwrap());
        assert_eq!(l.len(), 1);
        assert_eq!((l[0].0.name, l[0].1.name), ("mentors", "student_id"));
        assert!(links(resource("classes").unwrap()).is_empty());
        // No required reference, or an ambiguous one: no link.
        assert!(link_field(resource("mentors").unwrap(), "staff").is_none());
    }

    #[test]
    fn the_summary_lists_every_outcome_with_its_ids() {
        let rows = [
            (4, Outcome::NotApplied, None),
            (9, Outcome::Refused, Some("not_found")),
            (5, Outcome::NotApplied, None),
            (7, Outcome::Unchanged, None),
        ];
        assert_eq!(
            summary("set status=closed", &rows),
            "set status=closed; unchanged 1: 7; refused 1: 9 (not_found); not_applied 2: 4,5"
        );
        assert_eq!(summary("x", &[]), "x");
    }
}
