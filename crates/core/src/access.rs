//! Who may do what, to which rows.
//!
//! A user holds one or more [`Role`]s, each with its scope (a school, an enterprise, a student).
//! [`row_scope`] answers, for one role, one action and one resource, which rows it reaches: all,
//! none, or a relation ([`RowScope`]). The store turns that relation into SQL inside every call,
//! so no handler can forget it; the web layer only asks whether the answer is "none".
//!
//! Everything here is a plain function of its inputs and is tested exhaustively below.

use serde::{Deserialize, Serialize};

/// The offices whose staff maintain records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Office {
    /// 教务处: institution, programs, classes, students, staff records.
    AcademicAffairs,
    /// 学生处: student records and mentors.
    StudentAffairs,
    /// 招生就业处: employment; partner organisations.
    Employment,
    /// 校企合作处: partner organisations, agreements, key industries.
    Cooperation,
    /// 国际交流处: foreign partners and agreements.
    International,
    /// Any other office: reads only.
    Other,
}

pub const OFFICES: &[Office] = &[
    Office::AcademicAffairs,
    Office::StudentAffairs,
    Office::Employment,
    Office::Cooperation,
    Office::International,
    Office::Other,
];

/// An enterprise user's relation to its organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    Contact,
    Mentor,
    Hr,
}

/// A role with its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// Everything, including accounts and reference data.
    Admin,
    /// College leaders: read everything, change nothing.
    Leader,
    /// A staff member of an office, for the whole college or for one secondary school.
    Staff {
        office: Office,
        school_id: Option<i64>,
    },
    /// A teacher: their advised classes and their mentees. `staff_id` is their staff record.
    Teacher { staff_id: i64 },
    /// A user of one partner organisation. `contact_id` is their contact record.
    Enterprise {
        org_id: i64,
        contact_id: i64,
        relation: ContactRole,
    },
    /// A student: themselves.
    Student { student_id: i64 },
}

impl Role {
    /// The short name used in audit records and the UI.
    pub fn name(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Staff { .. } => "staff",
            Role::Teacher { .. } => "teacher",
            Role::Enterprise { .. } => "enterprise",
            Role::Student { .. } => "student",
        }
    }
    /// External users (enterprise) never see personal identifiers of students.
    pub fn is_external(&self) -> bool {
        matches!(self, Role::Enterprise { .. })
    }
}

/// Who is acting: a signed-in user, or the system itself (CLI, migrations, demo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub roles: Vec<Role>,
}

impl Actor {
    /// The command line and background jobs: acts as an administrator.
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            username: "system".into(),
            roles: vec![Role::Admin],
        }
    }
    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }
    /// Role names joined, for the audit trail.
    pub fn role_names(&self) -> String {
        let mut v: Vec<&str> = self.roles.iter().map(Role::name).collect();
        v.dedup();
        v.join(",")
    }
    /// Whether personal identifiers must be left out entirely (any external role and no
    /// internal one).
    pub fn external_only(&self) -> bool {
        !self.roles.is_empty() && self.roles.iter().all(Role::is_external)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Create,
    Update,
    Delete,
    /// Read a personal value in full, with a stated reason.
    Reveal,
}

pub const ACTIONS: &[Action] = &[
    Action::Read,
    Action::Create,
    Action::Update,
    Action::Delete,
    Action::Reveal,
];

/// Which rows of a resource a role reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowScope {
    All,
    /// Rows belonging to one secondary school.
    School(i64),
    /// Rows related to a teacher: classes they advise, students of those classes and their mentees.
    Teacher(i64),
    /// Rows related to an enterprise mentor (a contact): their mentees.
    Mentor(i64),
    /// Rows of one organisation (its record, agreements, contacts, and its mentors' students).
    Org(i64),
    /// One student's own rows.
    Student(i64),
}

/// Groups of resources that share rules.
fn group(resource: &str) -> Group {
    match resource {
        "regions" | "countries" | "industries" => Group::Reference,
        "key_industries" => Group::KeyIndustries,
        "schools" | "academic_years" | "terms" => Group::Institution,
        "programs" | "classes" => Group::Teaching,
        "students" | "mentors" => Group::Students,
        "staff" => Group::Staff,
        "organisations" | "agreements" | "contacts" => Group::Partners,
        "users" | "audit" => Group::Accounts,
        "training_bases" | "base_programs" | "equipment" => Group::Bases,
        "bookings" => Group::Bookings,
        _ => Group::Unknown,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Reference,
    KeyIndustries,
    Institution,
    Teaching,
    Students,
    Staff,
    Partners,
    Accounts,
    /// Training bases, the programs they serve, their equipment.
    Bases,
    /// Bookings of bases, workstations and equipment.
    Bookings,
    Unknown,
}

/// The rows of `resource` that `role` reaches for `action`; `None` means denied.
pub fn row_scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    use Action::*;
    use Group as G;
    use RowScope as S;
    if let Some(answer) = order_class_scope(role, action, resource) {
        return answer;
    }
    let g = group(resource);
    if g == G::Unknown {
        return None;
    }
    match role {
        Role::Admin => Some(S::All),
        Role::Leader => match (action, g) {
            (Read, _) => Some(S::All),
            _ => None,
        },
        Role::Staff { office, school_id } => staff_scope(*office, *school_id, action, g),
        Role::Teacher { staff_id } => match (action, g) {
            (Read, G::Reference | G::KeyIndustries | G::Institution) => Some(S::All),
            (Read, G::Students) => Some(S::Teacher(*staff_id)),
            (Read, G::Teaching) if resource == "programs" => Some(S::All),
            (Read, G::Teaching) => Some(S::Teacher(*staff_id)),
            (Read, G::Staff | G::Partners) if resource != "agreements" => Some(S::All),
            // Teachers see every base and booking (to find a free slot), and book, change and
            // cancel their own bookings: those naming them as the booking staff member.
            (Read, G::Bases | G::Bookings) => Some(S::All),
            (Create | Update | Delete, G::Bookings) => Some(S::Teacher(*staff_id)),
            _ => None,
        },
        Role::Enterprise {
            org_id,
            contact_id,
            relation,
        } => match (action, g) {
            (Read, G::Reference | G::KeyIndustries) => Some(S::All),
            (Read, G::Institution) => Some(S::All),
            (Read, G::Teaching) if resource == "programs" => Some(S::All),
            (Read, G::Partners) => Some(S::Org(*org_id)),
            (Read, G::Students) => Some(match relation {
                ContactRole::Mentor => S::Mentor(*contact_id),
                ContactRole::Contact | ContactRole::Hr => S::Org(*org_id),
            }),
            // Only the bases their organisation co-builds, their equipment and bookings.
            (Read, G::Bases | G::Bookings) => Some(S::Org(*org_id)),
            _ => None,
        },
        Role::Student { student_id } => match (action, g) {
            (Read, G::Reference | G::KeyIndustries | G::Institution) => Some(S::All),
            (Read, G::Teaching) if resource == "programs" => Some(S::All),
            (Read, G::Teaching | G::Students) => Some(S::Student(*student_id)),
            (Read, G::Partners) if resource == "organisations" => Some(S::All),
            // Every base and its equipment; the bookings of their own class.
            (Read, G::Bases) => Some(S::All),
            (Read, G::Bookings) => Some(S::Student(*student_id)),
            _ => None,
        },
    }
}

/// The rows a staff member of `office` (of one school, or college-wide) reaches; see
/// [`row_scope`].
fn staff_scope(
    office: Office,
    school_id: Option<i64>,
    action: Action,
    g: Group,
) -> Option<RowScope> {
    use Action::*;
    use Group as G;
    use RowScope as S;
    let scoped = |all: bool| match school_id {
        Some(s) if !all => Some(S::School(s)),
        _ => Some(S::All),
    };
    let college_wide = school_id.is_none();
    match (action, g) {
        (_, G::Accounts) => None,
        // Bases and bookings: every office reads them; academic affairs manages them,
        // college-wide or for its school's bases (`School`: bases the school manages).
        (Read, G::Bases | G::Bookings) => Some(S::All),
        (Reveal, G::Bases | G::Bookings) => None,
        (_, G::Bases | G::Bookings) => (office == Office::AcademicAffairs)
            .then(|| scoped(false))
            .flatten(),
        (Read, G::Students | G::Teaching) => scoped(false),
        (Read, _) => Some(S::All),
        (Reveal, G::Students) => matches!(
            office,
            Office::AcademicAffairs
                | Office::StudentAffairs
                | Office::Employment
                | Office::International
        )
        .then(|| scoped(false))
        .flatten(),
        (Reveal, G::Staff | G::Partners) => college_wide.then_some(S::All),
        (Reveal, _) => None,
        (_, G::Reference) => None,
        (_, G::Institution) => {
            (office == Office::AcademicAffairs && college_wide).then_some(S::All)
        }
        (_, G::Teaching) => (office == Office::AcademicAffairs)
            .then(|| scoped(false))
            .flatten(),
        (_, G::Students) => matches!(office, Office::AcademicAffairs | Office::StudentAffairs)
            .then(|| scoped(false))
            .flatten(),
        (_, G::Staff) => (office == Office::AcademicAffairs && college_wide).then_some(S::All),
        (_, G::Partners) => matches!(
            office,
            Office::Cooperation | Office::Employment | Office::International
        )
        .then_some(S::All),
        (_, G::KeyIndustries) => (office == Office::Cooperation).then_some(S::All),
        (_, G::Unknown) => None,
    }
}

/// The union of an actor's scopes: `None` if no role allows the action; `Some(vec![All])` if any
/// role reaches every row.
pub fn actor_scopes(actor: &Actor, action: Action, resource: &str) -> Option<Vec<RowScope>> {
    let mut scopes: Vec<RowScope> = actor
        .roles
        .iter()
        .filter_map(|r| row_scope(r, action, resource))
        .collect();
    if scopes.is_empty() {
        return None;
    }
    if scopes.contains(&RowScope::All) {
        return Some(vec![RowScope::All]);
    }
    scopes.dedup();
    Some(scopes)
}

/// Whether the actor may manage accounts and roles.
pub fn can_manage_users(actor: &Actor) -> bool {
    actor.is_admin()
}

/// Whether the actor may read the audit trail.
pub fn can_read_audit(actor: &Actor) -> bool {
    actor
        .roles
        .iter()
        .any(|r| matches!(r, Role::Admin | Role::Leader))
}

// ---- Order classes (issue 4) ----------------------------------------------------------------

/// The resources of order classes and their allocation, and the workflow permissions named like
/// resources so that they are decided here like every other one:
/// - `order_classes`, `order_class_programs`: the classes and their target programs;
/// - `order_applications`: the applications (staff write them generically, for corrections and
///   imports; students and enterprises change theirs only through the workflow routes below);
/// - `allocation_runs`, `order_offers`: the ledger, written only by the allocation workflow, so
///   no generic create/update/delete for anyone, administrators included: a published
///   allocation cannot be edited behind the mechanism's back;
/// - `order_choices`: a student's own ranked list (read and replace, while windows are open);
/// - `order_scores`: entering interview scores and ranks for applicants, and reading the
///   applicant list that needs (HR and contacts of the sponsor, and staff);
/// - `allocation`: running, publishing and refilling allocations (`Create`), and reviewing them
///   (`Read`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OcRes {
    Classes,
    Applications,
    Ledger,
    Runs,
    Choices,
    Scores,
    Allocation,
}

/// The resources (and workflow permissions) of order classes, for tests and the ledger rule.
pub const ORDER_CLASS_RESOURCES: &[&str] = &[
    "order_classes",
    "order_class_programs",
    "order_applications",
    "allocation_runs",
    "order_offers",
    "order_choices",
    "order_scores",
    "allocation",
];

/// Whether a resource is written only by the allocation workflow (no generic writes).
pub fn is_ledger(resource: &str) -> bool {
    matches!(resource, "allocation_runs" | "order_offers")
}

/// `Some(answer)` for the order class resources, `None` for any other resource.
fn order_class_scope(role: &Role, action: Action, resource: &str) -> Option<Option<RowScope>> {
    use Action::*;
    use OcRes as R;
    use RowScope as S;
    let res = match resource {
        "order_classes" | "order_class_programs" => R::Classes,
        "order_applications" => R::Applications,
        "order_offers" => R::Ledger,
        "allocation_runs" => R::Runs,
        "order_choices" => R::Choices,
        "order_scores" => R::Scores,
        "allocation" => R::Allocation,
        _ => return None,
    };
    if matches!(res, R::Ledger | R::Runs) && action != Read {
        return Some(None);
    }
    Some(match role {
        Role::Admin => match res {
            R::Choices => None,
            _ if action == Reveal => None,
            _ => Some(S::All),
        },
        Role::Leader => match (action, res) {
            (Read, R::Classes | R::Applications | R::Ledger | R::Runs | R::Allocation) => {
                Some(S::All)
            }
            _ => None,
        },
        Role::Staff { office, school_id } => {
            let placement = matches!(office, Office::Employment | Office::AcademicAffairs);
            let own = match school_id {
                Some(s) => S::School(*s),
                None => S::All,
            };
            match (action, res) {
                (Reveal, _) | (_, R::Choices) => None,
                (Read, R::Classes) => Some(S::All),
                (_, R::Classes) => (school_id.is_none()
                    && matches!(
                        office,
                        Office::Employment | Office::AcademicAffairs | Office::Cooperation
                    ))
                .then_some(S::All),
                (Read, R::Applications | R::Ledger) => Some(own),
                (_, R::Applications | R::Scores) => placement.then_some(own),
                (Read, R::Runs) => school_id.is_none().then_some(S::All),
                (_, R::Allocation) => (placement && school_id.is_none()).then_some(S::All),
                (_, R::Ledger | R::Runs) => None,
            }
        }
        Role::Teacher { staff_id } => match (action, res) {
            (Read, R::Classes) => Some(S::All),
            (Read, R::Applications | R::Ledger) => Some(S::Teacher(*staff_id)),
            _ => None,
        },
        Role::Enterprise {
            org_id, relation, ..
        } => {
            // HR and contacts recruit for their organisation; an enterprise mentor supervises
            // students already placed and sees no applicants.
            let recruits = matches!(relation, ContactRole::Hr | ContactRole::Contact);
            match (action, res) {
                (Read, R::Classes) => Some(S::Org(*org_id)),
                (Read | Update, R::Scores) if recruits => Some(S::Org(*org_id)),
                (Read, R::Applications | R::Ledger) if recruits => Some(S::Org(*org_id)),
                _ => None,
            }
        }
        Role::Student { student_id } => match (action, res) {
            (Read, R::Classes) => Some(S::All),
            (Read, R::Applications | R::Ledger) => Some(S::Student(*student_id)),
            (Read | Update, R::Choices) => Some(S::Student(*student_id)),
            _ => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::RESOURCES;

    fn all_roles() -> Vec<Role> {
        let mut v = vec![Role::Admin, Role::Leader];
        for o in OFFICES {
            v.push(Role::Staff {
                office: *o,
                school_id: None,
            });
            v.push(Role::Staff {
                office: *o,
                school_id: Some(3),
            });
        }
        v.push(Role::Teacher { staff_id: 7 });
        for r in [ContactRole::Contact, ContactRole::Mentor, ContactRole::Hr] {
            v.push(Role::Enterprise {
                org_id: 5,
                contact_id: 9,
                relation: r,
            });
        }
        v.push(Role::Student { student_id: 11 });
        v
    }

    #[test]
    fn admin_reaches_everything_and_unknown_resources_are_denied() {
        for role in all_roles() {
            for a in ACTIONS {
                assert_eq!(row_scope(&role, *a, "nonexistent"), None);
            }
        }
        for r in RESOURCES {
            for a in ACTIONS {
                // The allocation ledger is written only by its workflow (see `is_ledger`);
                // resources without personal fields have nothing to reveal.
                if is_ledger(r.name) && *a != Action::Read
                    || ORDER_CLASS_RESOURCES.contains(&r.name) && *a == Action::Reveal
                {
                    assert_eq!(row_scope(&Role::Admin, *a, r.name), None);
                    continue;
                }
                assert_eq!(row_scope(&Role::Admin, *a, r.name), Some(RowScope::All));
            }
        }
    }

    #[test]
    fn only_admin_and_staff_write_and_reveal() {
        for role in all_roles() {
            for r in RESOURCES {
                for a in [
                    Action::Create,
                    Action::Update,
                    Action::Delete,
                    Action::Reveal,
                ] {
                    let allowed = row_scope(&role, a, r.name).is_some();
                    if r.name == "bookings" && matches!(role, Role::Teacher { .. }) {
                        // Teachers book: their own bookings only.
                        assert_eq!(
                            row_scope(&role, a, r.name),
                            (a != Action::Reveal).then_some(RowScope::Teacher(7))
                        );
                        continue;
                    }
                    if matches!(
                        role,
                        Role::Leader
                            | Role::Teacher { .. }
                            | Role::Enterprise { .. }
                            | Role::Student { .. }
                    ) {
                        assert!(!allowed, "{role:?} {a:?} {}", r.name);
                    }
                }
            }
        }
    }

    #[test]
    fn reference_data_is_admin_only_to_change() {
        for role in all_roles() {
            for r in ["regions", "countries", "industries"] {
                assert_eq!(
                    row_scope(&role, Action::Update, r).is_some(),
                    role == Role::Admin,
                    "{role:?}"
                );
            }
        }
    }

    #[test]
    fn school_staff_are_held_to_their_school() {
        let role = Role::Staff {
            office: Office::AcademicAffairs,
            school_id: Some(3),
        };
        assert_eq!(
            row_scope(&role, Action::Read, "students"),
            Some(RowScope::School(3))
        );
        assert_eq!(
            row_scope(&role, Action::Update, "students"),
            Some(RowScope::School(3))
        );
        assert_eq!(
            row_scope(&role, Action::Update, "classes"),
            Some(RowScope::School(3))
        );
        assert_eq!(row_scope(&role, Action::Create, "schools"), None);
        assert_eq!(row_scope(&role, Action::Update, "staff"), None);
        let coop = Role::Staff {
            office: Office::Cooperation,
            school_id: None,
        };
        assert_eq!(row_scope(&coop, Action::Update, "students"), None);
        assert_eq!(
            row_scope(&coop, Action::Create, "agreements"),
            Some(RowScope::All)
        );
    }

    #[test]
    fn external_and_personal_scopes() {
        let mentor = Role::Enterprise {
            org_id: 5,
            contact_id: 9,
            relation: ContactRole::Mentor,
        };
        assert_eq!(
            row_scope(&mentor, Action::Read, "students"),
            Some(RowScope::Mentor(9))
        );
        assert_eq!(
            row_scope(&mentor, Action::Read, "agreements"),
            Some(RowScope::Org(5))
        );
        assert_eq!(row_scope(&mentor, Action::Read, "staff"), None);
        assert_eq!(row_scope(&mentor, Action::Read, "classes"), None);
        let hr = Role::Enterprise {
            org_id: 5,
            contact_id: 9,
            relation: ContactRole::Hr,
        };
        assert_eq!(
            row_scope(&hr, Action::Read, "students"),
            Some(RowScope::Org(5))
        );
        let st = Role::Student { student_id: 11 };
        assert_eq!(
            row_scope(&st, Action::Read, "students"),
            Some(RowScope::Student(11))
        );
        assert_eq!(row_scope(&st, Action::Read, "contacts"), None);
        let t = Role::Teacher { staff_id: 7 };
        assert_eq!(
            row_scope(&t, Action::Read, "students"),
            Some(RowScope::Teacher(7))
        );
        assert_eq!(row_scope(&t, Action::Read, "agreements"), None);
    }

    #[test]
    fn bases_and_bookings() {
        use Action::*;
        let aa = |school_id| Role::Staff {
            office: Office::AcademicAffairs,
            school_id,
        };
        assert_eq!(
            row_scope(&aa(None), Create, "training_bases"),
            Some(RowScope::All)
        );
        assert_eq!(
            row_scope(&aa(Some(3)), Update, "equipment"),
            Some(RowScope::School(3))
        );
        assert_eq!(
            row_scope(&aa(Some(3)), Create, "bookings"),
            Some(RowScope::School(3))
        );
        let coop = Role::Staff {
            office: Office::Cooperation,
            school_id: None,
        };
        assert_eq!(
            row_scope(&coop, Read, "training_bases"),
            Some(RowScope::All)
        );
        assert_eq!(row_scope(&coop, Create, "training_bases"), None);
        assert_eq!(row_scope(&coop, Create, "bookings"), None);
        let t = Role::Teacher { staff_id: 7 };
        assert_eq!(row_scope(&t, Read, "bookings"), Some(RowScope::All));
        assert_eq!(
            row_scope(&t, Update, "bookings"),
            Some(RowScope::Teacher(7))
        );
        assert_eq!(row_scope(&t, Create, "equipment"), None);
        let hr = Role::Enterprise {
            org_id: 5,
            contact_id: 9,
            relation: ContactRole::Hr,
        };
        for r in ["training_bases", "base_programs", "equipment", "bookings"] {
            assert_eq!(row_scope(&hr, Read, r), Some(RowScope::Org(5)));
            assert_eq!(row_scope(&hr, Create, r), None);
        }
        let st = Role::Student { student_id: 11 };
        assert_eq!(row_scope(&st, Read, "training_bases"), Some(RowScope::All));
        assert_eq!(
            row_scope(&st, Read, "bookings"),
            Some(RowScope::Student(11))
        );
        assert_eq!(row_scope(&st, Create, "bookings"), None);
        for role in [Role::Leader, t, st, hr] {
            for r in ["training_bases", "equipment", "bookings"] {
                assert_eq!(row_scope(&role, Reveal, r), None);
            }
        }
    }

    #[test]
    fn union_of_roles() {
        let a = Actor {
            user_id: Some(1),
            username: "x".into(),
            roles: vec![
                Role::Teacher { staff_id: 7 },
                Role::Student { student_id: 2 },
            ],
        };
        assert_eq!(
            actor_scopes(&a, Action::Read, "students"),
            Some(vec![RowScope::Teacher(7), RowScope::Student(2)])
        );
        assert_eq!(actor_scopes(&a, Action::Update, "students"), None);
        assert!(!can_manage_users(&a));
        assert!(can_manage_users(&Actor::system()));
    }

    #[test]
    fn order_class_permissions() {
        let hr = Role::Enterprise {
            org_id: 5,
            contact_id: 9,
            relation: ContactRole::Hr,
        };
        let mentor = Role::Enterprise {
            org_id: 5,
            contact_id: 9,
            relation: ContactRole::Mentor,
        };
        let st = Role::Student { student_id: 11 };
        let emp = Role::Staff {
            office: Office::Employment,
            school_id: None,
        };
        let emp3 = Role::Staff {
            office: Office::Employment,
            school_id: Some(3),
        };
        let coop = Role::Staff {
            office: Office::Cooperation,
            school_id: None,
        };
        use Action::*;
        use RowScope as S;
        assert_eq!(row_scope(&hr, Read, "order_classes"), Some(S::Org(5)));
        assert_eq!(row_scope(&hr, Update, "order_classes"), None);
        assert_eq!(row_scope(&hr, Read, "order_applications"), Some(S::Org(5)));
        assert_eq!(row_scope(&hr, Update, "order_applications"), None);
        assert_eq!(row_scope(&hr, Update, "order_scores"), Some(S::Org(5)));
        assert_eq!(row_scope(&hr, Read, "allocation_runs"), None);
        assert_eq!(row_scope(&hr, Create, "allocation"), None);
        assert_eq!(row_scope(&mentor, Read, "order_applications"), None);
        assert_eq!(row_scope(&mentor, Update, "order_scores"), None);
        assert_eq!(
            row_scope(&st, Read, "order_applications"),
            Some(S::Student(11))
        );
        assert_eq!(
            row_scope(&st, Update, "order_choices"),
            Some(S::Student(11))
        );
        assert_eq!(row_scope(&st, Update, "order_scores"), None);
        assert_eq!(row_scope(&st, Read, "order_offers"), Some(S::Student(11)));
        assert_eq!(row_scope(&emp, Create, "allocation"), Some(S::All));
        assert_eq!(row_scope(&emp3, Create, "allocation"), None);
        assert_eq!(
            row_scope(&emp3, Update, "order_applications"),
            Some(S::School(3))
        );
        assert_eq!(row_scope(&coop, Create, "order_classes"), Some(S::All));
        assert_eq!(row_scope(&coop, Create, "allocation"), None);
        assert_eq!(row_scope(&coop, Update, "order_applications"), None);
        assert_eq!(row_scope(&Role::Admin, Update, "order_choices"), None);
        for role in [Role::Admin, emp, hr, st] {
            for r in ["allocation_runs", "order_offers"] {
                for a in [Create, Update, Delete] {
                    assert_eq!(row_scope(&role, a, r), None, "{role:?} {a:?} {r}");
                }
            }
        }
    }
}
