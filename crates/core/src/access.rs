//! Who may do what, to which rows.
//!
//! A user holds one or more [`Role`]s, each with its scope (a school, an enterprise, a student).
//! [`row_scope`] answers, for one role, one action and one resource, which rows it reaches: all,
//! none, or a relation ([`RowScope`]). The store turns that relation into SQL inside every call,
//! so no handler can forget it; the web layer only asks whether the answer is "none".
//!
//! Everything here is a plain function of its inputs and is tested exhaustively below.

use crate::schema::ResourceDef;
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

/// The rows of `resource` (a record type or a module's permission) that `role` reaches for
/// `action`; `None` means denied. Each module decides for its own names (`Module::scope`); a name
/// no module declares is denied.
pub fn row_scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    let module = crate::modules::module_of(resource)?;
    (module.scope)(role, action, resource)
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

/// The field groups of `def` that `role` reaches for `action` (least privilege): those its
/// module's declaration allows, and none when the role does not reach the rows at all. Reveal is
/// a read of one field, so it follows the Read groups; Delete removes the whole row and needs
/// no group.
pub fn field_groups(role: &Role, action: Action, def: &ResourceDef) -> Vec<&'static str> {
    if row_scope(role, action, def.name).is_none() {
        return Vec::new();
    }
    let asked = if action == Action::Reveal {
        Action::Read
    } else {
        action
    };
    def.field_groups()
        .iter()
        .filter(|g| (g.allows)(role, asked))
        .map(|g| g.name)
        .collect()
}

/// The union of an actor's field groups over its roles, in the order the record declares them.
///
/// A union, like [`actor_scopes`]: a user who is both a teacher and a student reads, on the rows
/// either role reaches, the groups either role reaches.
pub fn actor_groups(actor: &Actor, action: Action, def: &ResourceDef) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for role in &actor.roles {
        for g in field_groups(role, action, def) {
            if !out.contains(&g) {
                out.push(g);
            }
        }
    }
    def.field_groups()
        .iter()
        .map(|g| g.name)
        .filter(|g| out.contains(g))
        .collect()
}

/// Whether the actor reaches `field` of `def` for `action` (its group is among the actor's).
pub fn may_field(actor: &Actor, action: Action, def: &ResourceDef, field: &str) -> bool {
    def.group_of(field)
        .is_some_and(|g| actor_groups(actor, action, def).contains(&g.name))
}

/// Whether the actor may manage accounts and roles.
pub fn can_manage_users(actor: &Actor) -> bool {
    actor_scopes(actor, Action::Update, crate::modules::accounts::USERS).is_some()
}

/// Whether the actor may run the database's integrity and foreign-key checks
/// (`GET /api/admin/check`): administrators only, since they read the whole database.
pub fn can_check_database(actor: &Actor) -> bool {
    actor.is_admin()
}

/// Whether the actor may read the audit trail.
pub fn can_read_audit(actor: &Actor) -> bool {
    actor_scopes(actor, Action::Read, crate::modules::audit::AUDIT).is_some()
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
        for r in RESOURCES.iter() {
            for a in ACTIONS {
                // The allocation ledger is written only by its workflow (see `is_ledger`);
                // resources without personal fields have nothing to reveal.
                use crate::modules::order_classes as oc;
                let ledger = [oc::ALLOCATION_RUNS.name, oc::ORDER_OFFERS.name];
                // Status-change requests likewise (issue 10 §8): only the procedure writes them.
                let procedure = r.name == crate::modules::status_changes::STATUS_CHANGES.name;
                if (ledger.contains(&r.name) || procedure) && *a != Action::Read
                    || oc::MODULE.owns(r.name) && *a == Action::Reveal
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
            for r in RESOURCES.iter() {
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
                    if r.name.starts_with("plan") && matches!(role, Role::Teacher { .. }) {
                        // Program leads draft plans: the plans they lead only.
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
        // Only their own enterprise mentor's contact record (least privilege, issue 9).
        assert_eq!(
            row_scope(&st, Action::Read, "contacts"),
            Some(RowScope::Student(11))
        );
        assert_eq!(row_scope(&st, Action::Read, "agreements"), None);
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
    fn only_administrators_check_the_database() {
        for role in all_roles() {
            let a = Actor {
                user_id: Some(1),
                username: "x".into(),
                roles: vec![role.clone()],
            };
            assert_eq!(can_check_database(&a), role == Role::Admin, "{role:?}");
        }
        let none = Actor {
            user_id: Some(1),
            username: "x".into(),
            roles: vec![],
        };
        assert!(!can_check_database(&none));
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

    #[test]
    fn field_groups_by_role() {
        use crate::modules::college::{STAFF, STUDENTS};
        use crate::modules::partners::CONTACTS;
        use Action::*;
        let t = Role::Teacher { staff_id: 7 };
        assert_eq!(field_groups(&t, Read, &STAFF), ["identity"]);
        assert_eq!(field_groups(&t, Read, &CONTACTS), ["identity", "contact"]);
        assert_eq!(field_groups(&t, Update, &STAFF), Vec::<&str>::new());
        let st = Role::Student { student_id: 11 };
        assert_eq!(field_groups(&st, Read, &STAFF), ["identity", "contact"]);
        assert_eq!(row_scope(&st, Read, "staff"), Some(RowScope::Student(11)));
        assert_eq!(
            row_scope(&st, Read, "contacts"),
            Some(RowScope::Student(11))
        );
        let school = Role::Staff {
            office: Office::StudentAffairs,
            school_id: Some(3),
        };
        assert_eq!(row_scope(&school, Read, "staff"), Some(RowScope::School(3)));
        assert_eq!(field_groups(&school, Read, &STAFF), ["identity", "contact"]);
        let hr = Role::Enterprise {
            org_id: 5,
            contact_id: 9,
            relation: ContactRole::Hr,
        };
        assert_eq!(field_groups(&hr, Read, &STUDENTS), ["study"]);
        assert_eq!(field_groups(&hr, Read, &CONTACTS), ["identity"]);
        assert_eq!(field_groups(&hr, Read, &STAFF), Vec::<&str>::new());
        assert_eq!(
            field_groups(&Role::Admin, Update, &STUDENTS),
            ["study", "personal"]
        );
        // Reveal follows the read groups; a record type without groups has the one group.
        assert_eq!(field_groups(&t, Reveal, &STAFF), Vec::<&str>::new());
        let both = Actor {
            user_id: Some(1),
            username: "x".into(),
            roles: vec![t.clone(), hr.clone()],
        };
        assert_eq!(
            actor_groups(&both, Read, &CONTACTS),
            ["identity", "contact"]
        );
        assert!(may_field(&both, Read, &STAFF, "name"));
        assert!(!may_field(&both, Read, &STAFF, "phone"));
        let schools = crate::schema::resource("schools").unwrap();
        assert_eq!(field_groups(&t, Read, schools), ["record"]);
    }

    #[test]
    fn search_and_label_fields_are_readable_wherever_the_rows_are() {
        // The `q` search and the labels that name a record elsewhere run over these fields for
        // every reader, so they must not lie in a group a reader of the rows cannot see.
        for role in all_roles() {
            for def in RESOURCES.iter() {
                if row_scope(&role, Action::Read, def.name).is_none() {
                    continue;
                }
                let groups = field_groups(&role, Action::Read, def);
                let label = def.label_field();
                for f in def
                    .search
                    .iter()
                    .chain(std::iter::once(&label).filter(|l| def.field(l).is_some()))
                {
                    let g = def.group_of(f).unwrap().name;
                    assert!(groups.contains(&g), "{role:?} on {}: {f} in {g}", def.name);
                }
            }
        }
    }
}
