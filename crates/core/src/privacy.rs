//! No oracle on personal fields (issue 9, item 3): what a list query may do with a field whose
//! `Pii` is not `None`, and what a uniqueness clash on one may say.
//!
//! The attack this closes: a user who may not reveal a phone number changes a record of their
//! own (a "probe") to a guess, lists sorted by phone, and reads from where the probe lands
//! whether the hidden value is above or below the guess; twenty rounds of bisection give a full
//! ID number. The same works with a range filter, a prefix or substring search, and with a
//! unique field's "already exists". So:
//!
//! - sorting, range filters and prefix or substring searches on a personal field are refused
//!   for everyone ([`PERSONAL_QUERY`], answered `400`), whatever the role: a masked list sorted
//!   by the hidden value leaks the value;
//! - an exact-match filter on a personal field is allowed only to an actor who may reveal that
//!   field ([`may_reveal`]), limited to the rows it may reveal, and is audited (the field, never
//!   the value);
//! - free-text search (`q`) never reaches a personal field ([`search_fields`]);
//! - a clash on a personal unique field tells an actor who may not reveal the holder only that
//!   the value cannot be used ([`UNUSABLE`]); the web layer rate-limits and audits such clashes.
//!
//! Pure functions of the record description and the actor; the store and the web layer apply
//! them on every path that lists, exports or writes.

use crate::access::{actor_scopes, Action, Actor};
use crate::schema::{Field, FieldError, Pii, ResourceDef};

/// The top-level error code of a list or export query refused because it would order, compare or
/// search by a personal field (HTTP 400).
pub const PERSONAL_QUERY: &str = "personal_field_query";

/// The field code of a uniqueness clash on a personal field, for an actor who may not reveal the
/// holder: the value cannot be used, with no word on why or by whom.
pub const UNUSABLE: &str = "unusable";

/// How a list query uses a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// `sort=col` or `sort=-col`.
    Sort,
    /// `col=value`: equality.
    Exact,
    /// `col.gt`, `col.gte`, `col.lt`, `col.lte`: a comparison.
    Range,
    /// `col.prefix`, or an exact filter whose value ends in a wildcard (`138*`, `138%`).
    Prefix,
    /// `col.contains`, `col.like`, or a wildcard elsewhere in the value.
    Substring,
}

impl Use {
    /// The field error code of a refused use of a personal field.
    pub fn refusal_code(self) -> &'static str {
        match self {
            Use::Sort => "personal_sort",
            Use::Range => "personal_range",
            Use::Prefix | Use::Substring => "personal_substring",
            Use::Exact => "personal_exact_needs_reveal",
        }
    }
}

/// Reads a list filter's parameter: `name` or `name.op`, and the value's wildcards. Answers the
/// column and its use; an operator this API does not know is `None`.
pub fn filter_use<'a>(key: &'a str, value: &str) -> Option<(&'a str, Use)> {
    let (col, op) = match key.split_once('.') {
        Some((c, op)) => (c, Some(op)),
        None => (key, None),
    };
    let u = match op {
        None => match wildcard(value) {
            Some(u) => u,
            None => Use::Exact,
        },
        Some("gt" | "gte" | "lt" | "lte" | "from" | "to" | "min" | "max") => Use::Range,
        Some("prefix" | "starts_with" | "startswith") => Use::Prefix,
        Some("contains" | "like" | "ilike" | "search" | "suffix" | "ends_with") => Use::Substring,
        Some(_) => return None,
    };
    Some((col, u))
}

/// Whether a filter value is a pattern rather than a value: a trailing `*` or `%` makes it a
/// prefix, one anywhere else a substring.
fn wildcard(v: &str) -> Option<Use> {
    let v = v.trim();
    let is_wild = |c: char| c == '*' || c == '%';
    if !v.contains(is_wild) {
        return None;
    }
    let body = v.trim_end_matches(is_wild);
    if body.contains(is_wild) || v.starts_with(is_wild) {
        Some(Use::Substring)
    } else {
        Some(Use::Prefix)
    }
}

/// The personal field named `col`, if it is one.
pub fn personal(def: &ResourceDef, col: &str) -> Option<&'static Field> {
    def.field(col).filter(|f| f.pii != Pii::None)
}

/// Whether the actor may reveal this field of this record type (somewhere: the rows are the
/// reveal scope's). One function, so that a finer rule per field group changes one place.
pub fn may_reveal(actor: &Actor, def: &ResourceDef, field: &Field) -> bool {
    field.pii != Pii::None
        && !actor.external_only()
        && actor_scopes(actor, Action::Reveal, def.name).is_some()
}

/// Checks every use a list query makes of the record's columns. Sorting, ranges, prefixes and
/// substrings on a personal field are refused for every actor; an exact match on one only for an
/// actor who may reveal it. Answers the personal fields matched exactly (each to be audited, and
/// the rows held to the actor's reveal scope), or the first refusal.
pub fn check_list(
    actor: &Actor,
    def: &ResourceDef,
    uses: &[(&str, Use)],
) -> Result<Vec<&'static Field>, FieldError> {
    let mut exact = Vec::new();
    for (col, u) in uses {
        let Some(f) = personal(def, col) else {
            continue;
        };
        match u {
            Use::Exact if may_reveal(actor, def, f) => {
                if !exact.iter().any(|e: &&Field| e.name == f.name) {
                    exact.push(f);
                }
            }
            u => return Err(refusal(f, *u)),
        }
    }
    Ok(exact)
}

fn refusal(f: &Field, u: Use) -> FieldError {
    let what = match u {
        Use::Sort => "sorted by",
        Use::Range => "compared in a range",
        Use::Prefix | Use::Substring => "searched by part of its value",
        Use::Exact => "matched exactly without the right to reveal it",
    };
    FieldError::new(
        f.name,
        u.refusal_code(),
        format!(
            "个人信息字段不能用于排序、范围或模糊查询 / {} is personal data and cannot be {what}",
            f.name
        ),
    )
}

/// The fields free-text search (`q`) looks in: the record's search fields, never a personal one.
pub fn search_fields(def: &ResourceDef) -> impl Iterator<Item = &'static str> + '_ {
    def.search
        .iter()
        .copied()
        .filter(move |c| personal(def, c).is_none())
}

/// The field error of a uniqueness clash. An actor who may reveal the holder's value learns
/// that it is taken (`duplicate`); anyone else only that the value cannot be used
/// ([`UNUSABLE`]), the same words whatever the holder, with no id and no hint of which record.
/// A clash on a field that is not personal is always `duplicate`.
pub fn clash(field: &Field, holder_revealable: bool) -> FieldError {
    if field.pii == Pii::None || holder_revealable {
        FieldError::new(field.name, "duplicate", "already exists")
    } else {
        FieldError::new(
            field.name,
            UNUSABLE,
            "该值不能使用 / this value cannot be used",
        )
    }
}

/// Whether an error list holds a clash that said only [`UNUSABLE`] (what the web layer counts).
pub fn unusable_count(errors: &[FieldError]) -> usize {
    errors.iter().filter(|e| e.code == UNUSABLE).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{ContactRole, Office, Role};
    use crate::schema::RESOURCES;

    fn actor(roles: Vec<Role>) -> Actor {
        Actor {
            user_id: Some(7),
            username: "u".into(),
            roles,
        }
    }

    fn every_role() -> Vec<Role> {
        let mut v = vec![
            Role::Admin,
            Role::Leader,
            Role::Teacher { staff_id: 1 },
            Role::Student { student_id: 1 },
        ];
        for office in crate::access::OFFICES {
            v.push(Role::Staff {
                office: *office,
                school_id: None,
            });
            v.push(Role::Staff {
                office: *office,
                school_id: Some(1),
            });
        }
        for relation in [ContactRole::Contact, ContactRole::Mentor, ContactRole::Hr] {
            v.push(Role::Enterprise {
                org_id: 1,
                contact_id: 1,
                relation,
            });
        }
        v
    }

    #[test]
    fn filter_parameters_are_read_with_their_operator_and_wildcards() {
        assert_eq!(
            filter_use("phone", "13812345678"),
            Some(("phone", Use::Exact))
        );
        assert_eq!(filter_use("phone.gte", "138"), Some(("phone", Use::Range)));
        assert_eq!(filter_use("phone.lt", "138"), Some(("phone", Use::Range)));
        assert_eq!(
            filter_use("id_number.prefix", "5001"),
            Some(("id_number", Use::Prefix))
        );
        assert_eq!(
            filter_use("id_number", "5001*"),
            Some(("id_number", Use::Prefix))
        );
        assert_eq!(
            filter_use("id_number", "5001%"),
            Some(("id_number", Use::Prefix))
        );
        assert_eq!(
            filter_use("phone", "*5678"),
            Some(("phone", Use::Substring))
        );
        assert_eq!(
            filter_use("phone", "13*78"),
            Some(("phone", Use::Substring))
        );
        assert_eq!(
            filter_use("address.contains", "沙坪坝"),
            Some(("address", Use::Substring))
        );
        assert_eq!(filter_use("phone.regex", "x"), None);
    }

    #[test]
    fn sort_range_and_substring_on_every_personal_field_are_refused_for_every_role() {
        let mut cases = 0;
        for def in RESOURCES {
            for f in def.fields.iter().filter(|f| f.pii != Pii::None) {
                for role in every_role() {
                    let a = actor(vec![role.clone()]);
                    for u in [Use::Sort, Use::Range, Use::Prefix, Use::Substring] {
                        let e = check_list(&a, def, &[(f.name, u)]).unwrap_err();
                        assert_eq!(e.field, f.name);
                        assert_eq!(e.code, u.refusal_code(), "{}.{} {u:?}", def.name, f.name);
                        cases += 1;
                    }
                }
            }
        }
        assert!(cases > 100, "only {cases} cases: no personal fields?");
        // The system actor (command line) too.
        let e = check_list(
            &Actor::system(),
            &crate::modules::college::STUDENTS,
            &[("id_number", Use::Sort)],
        );
        assert!(e.is_err());
    }

    #[test]
    fn exact_match_needs_the_reveal_right() {
        use crate::modules::college::STUDENTS;
        use crate::modules::partners::CONTACTS;
        let admin = actor(vec![Role::Admin]);
        let got = check_list(
            &admin,
            &STUDENTS,
            &[("id_number", Use::Exact), ("name", Use::Sort)],
        )
        .unwrap();
        assert_eq!(
            got.iter().map(|f| f.name).collect::<Vec<_>>(),
            ["id_number"]
        );
        for role in [
            Role::Leader,
            Role::Teacher { staff_id: 1 },
            Role::Student { student_id: 1 },
            Role::Enterprise {
                org_id: 1,
                contact_id: 1,
                relation: ContactRole::Hr,
            },
            Role::Staff {
                office: Office::Cooperation,
                school_id: Some(1),
            },
            Role::Staff {
                office: Office::Other,
                school_id: None,
            },
        ] {
            let a = actor(vec![role.clone()]);
            for (def, field) in [(&STUDENTS, "id_number"), (&CONTACTS, "phone")] {
                let may = may_reveal(&a, def, def.field(field).unwrap());
                let r = check_list(&a, def, &[(field, Use::Exact)]);
                assert_eq!(r.is_ok(), may, "{role:?} {field}");
                if let Err(e) = r {
                    assert_eq!(e.code, "personal_exact_needs_reveal");
                }
            }
        }
        // Non-personal columns are not this function's business.
        assert!(check_list(
            &actor(vec![Role::Leader]),
            &STUDENTS,
            &[("name", Use::Sort), ("student_no", Use::Range)]
        )
        .unwrap()
        .is_empty());
    }

    #[test]
    fn search_never_reaches_a_personal_field() {
        for def in RESOURCES {
            for c in search_fields(def) {
                assert!(personal(def, c).is_none(), "{}.{c}", def.name);
            }
        }
    }

    #[test]
    fn a_clash_says_only_unusable_to_whoever_may_not_reveal() {
        use crate::modules::college::STUDENTS;
        let id = STUDENTS.field("id_number").unwrap();
        let no = STUDENTS.field("student_no").unwrap();
        let vague = clash(id, false);
        assert_eq!(vague.code, UNUSABLE);
        assert!(!vague.message.contains("exist"));
        assert_eq!(clash(id, true).code, "duplicate");
        assert_eq!(clash(no, false).code, "duplicate");
        assert_eq!(unusable_count(&[vague.clone(), clash(no, false), vague]), 2);
    }
}
