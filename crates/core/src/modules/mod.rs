//! The modules of SkillBridge, each declared once.
//!
//! A module is one folder here (and one of the same name in the store, the web crate and the front
//! end). Its [`Module`] declaration gives the shared machinery everything it needs: the record types
//! (fields, labels of coded values, natural keys, header spellings, cross-field checks), the
//! workflow permissions it decides like record types, and its row-scope rules for every role.
//! The registries ([`RESOURCES`], [`resource`], [`module_of`]) are assembled from [`MODULES`]; no
//! code outside a module matches on that module's record names.
//!
//! Adding a module: see "Adding a module" in `ARCHITECTURE.md`.

pub mod accounts;
pub mod adjuncts;
pub mod attachments;
pub mod audit;
pub mod bases;
pub mod college;
pub mod competitions;
pub mod international;
pub mod order_classes;
pub mod partners;
pub mod plans;
pub mod privacy;
pub mod reference;
pub mod research;
pub mod resources;
pub mod status_changes;
pub mod todos;

use crate::access::{Action, Role, RowScope};
use crate::schema::ResourceDef;
use std::sync::LazyLock;

/// An entry of the navigation menu. The user sees it when they may read what it `needs` and,
/// for an [`MenuEntry::Only`] entry, holds one of the roles it is for (a role that reads a
/// table only to fill in a form, such as a student and the industry codes, keeps the read
/// access but not the menu entry).
#[derive(Debug, Clone, Copy)]
pub enum MenuEntry {
    /// The list page of one of the module's record types (`/students`), labelled with its name.
    List(&'static ResourceDef),
    /// A workflow page of the module's own.
    Page {
        /// The front-end path (`/allocation`).
        path: &'static str,
        zh: &'static str,
        en: &'static str,
        /// The record type or permission whose `Read` the user needs for the entry to be shown.
        needs: &'static str,
    },
    /// `entry`, shown only to the roles `for_role` accepts (who uses it in their work).
    Only {
        for_role: fn(&Role) -> bool,
        entry: &'static MenuEntry,
    },
}

impl MenuEntry {
    pub fn path(&self) -> String {
        match self {
            MenuEntry::List(r) => format!("/{}", r.name),
            MenuEntry::Page { path, .. } => (*path).to_string(),
            MenuEntry::Only { entry, .. } => entry.path(),
        }
    }
    pub fn label(&self, zh: bool) -> &'static str {
        match (self, zh) {
            (MenuEntry::List(r), true) => r.zh,
            (MenuEntry::List(r), false) => r.en,
            (MenuEntry::Page { zh, .. }, true) => zh,
            (MenuEntry::Page { en, .. }, false) => en,
            (MenuEntry::Only { entry, .. }, _) => entry.label(zh),
        }
    }
    pub fn needs(&self) -> &'static str {
        match self {
            MenuEntry::List(r) => r.name,
            MenuEntry::Page { needs, .. } => needs,
            MenuEntry::Only { entry, .. } => entry.needs(),
        }
    }
    /// Whether `role` is one the entry is for (every role, unless the entry says otherwise).
    /// Whether the role may open it is asked separately, of what it [`needs`](Self::needs).
    pub fn for_role(&self, role: &Role) -> bool {
        match self {
            MenuEntry::Only { for_role, entry } => for_role(role) && entry.for_role(role),
            _ => true,
        }
    }
}

/// The college's offices, leaders and administrators: the roles that use reference tables,
/// the institution's calendar and the ledgers as lists of their own.
pub fn office_roles(role: &Role) -> bool {
    matches!(role, Role::Admin | Role::Leader | Role::Staff { .. })
}

/// Everyone but students: a student works from their home page, their own record and their
/// own workflow pages, not from the college's lists.
pub fn not_students(role: &Role) -> bool {
    !matches!(role, Role::Student { .. })
}

/// One module's declaration.
#[derive(Debug)]
pub struct Module {
    /// The folder name, the same in every crate: `bases`.
    pub name: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Its record types, in dependency order (a record type after those it refers to).
    pub records: &'static [&'static ResourceDef],
    /// Permissions that are not record types but are decided like them: workflow steps
    /// (`allocation`, `order_choices`) and guarded areas (`users`, `audit`).
    pub permissions: &'static [&'static str],
    /// Which rows of `resource` (one of its records or permissions) `role` reaches for `action`;
    /// `None` denies. Called only with the module's own names.
    pub scope: fn(&Role, Action, &str) -> Option<RowScope>,
    /// Its entries of the navigation menu.
    pub menu: &'static [MenuEntry],
    /// The privacy registry's entries for its personal fields (purpose, legal basis, retention;
    /// `crate::personal_data`), one per field whose `Pii` is not `None`, declared in the
    /// module's `personal.rs` beside its records.
    pub personal: &'static [crate::personal_data::PersonalField],
    /// Its record types that concern a student through the student's own fields (the bookings
    /// of their class), for subject access; records with a reference to `students` need none.
    pub subject_links: &'static [crate::personal_data::SubjectLink],
}

impl Module {
    /// Whether `name` is one of the module's record types or permissions.
    pub fn owns(&self, name: &str) -> bool {
        self.records.iter().any(|r| r.name == name) || self.permissions.contains(&name)
    }
}

/// Every module, in dependency order: a module after those whose records its records refer to.
pub static MODULES: &[&Module] = &[
    &reference::MODULE,
    &college::MODULE,
    &partners::MODULE,
    &bases::MODULE,
    &order_classes::MODULE,
    &adjuncts::MODULE,
    &attachments::MODULE,
    &status_changes::MODULE,
    &competitions::MODULE,
    &international::MODULE,
    &research::MODULE,
    &resources::MODULE,
    &accounts::MODULE,
    &audit::MODULE,
    &todos::MODULE,
    &privacy::MODULE,
    &plans::MODULE,
];

static ALL_RECORDS: LazyLock<Vec<&'static ResourceDef>> = LazyLock::new(|| {
    MODULES
        .iter()
        .flat_map(|m| m.records.iter().copied())
        .collect()
});

/// The list of every record type, assembled from [`MODULES`] on first use: a slice (`Deref`),
/// and iterable as one (`for def in RESOURCES`).
#[derive(Debug, Clone, Copy)]
pub struct Resources;

/// Every record type, in dependency order (referenced first).
pub static RESOURCES: Resources = Resources;

impl std::ops::Deref for Resources {
    type Target = [&'static ResourceDef];
    fn deref(&self) -> &[&'static ResourceDef] {
        &ALL_RECORDS
    }
}

impl IntoIterator for Resources {
    type Item = &'static &'static ResourceDef;
    type IntoIter = std::slice::Iter<'static, &'static ResourceDef>;
    fn into_iter(self) -> Self::IntoIter {
        ALL_RECORDS.iter()
    }
}

/// The record type named `name` (its URL segment).
pub fn resource(name: &str) -> Option<&'static ResourceDef> {
    RESOURCES.iter().copied().find(|r| r.name == name)
}

/// The module that owns a record type or permission.
pub fn module_of(name: &str) -> Option<&'static Module> {
    MODULES.iter().copied().find(|m| m.owns(name))
}

/// Every workflow permission of every module (not record types).
pub fn permissions() -> impl Iterator<Item = &'static str> {
    MODULES.iter().flat_map(|m| m.permissions.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Office, ACTIONS};
    use crate::schema::Kind;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_across_modules() {
        let mut seen = HashSet::new();
        for m in MODULES {
            for n in m
                .records
                .iter()
                .map(|r| r.name)
                .chain(m.permissions.iter().copied())
            {
                assert!(seen.insert(n), "{n} is declared twice (module {})", m.name);
            }
        }
        let names: HashSet<_> = MODULES.iter().map(|m| m.name).collect();
        assert_eq!(names.len(), MODULES.len());
    }

    #[test]
    fn every_name_shown_to_users_has_both_languages() {
        let both = |what: String, zh: &str, en: &str| {
            assert!(!zh.trim().is_empty(), "{what}: no Chinese label");
            assert!(!en.trim().is_empty(), "{what}: no English label");
            assert!(
                !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{what}: the English label is Chinese: {en}"
            );
        };
        for m in MODULES {
            both(format!("module {}", m.name), m.zh, m.en);
            for r in m.records {
                both(format!("record {}", r.name), r.zh, r.en);
                for f in r.fields {
                    both(format!("{}.{}", r.name, f.name), f.zh, f.en);
                }
            }
            for e in m.menu {
                both(format!("menu {}", e.path()), e.label(true), e.label(false));
            }
        }
    }

    #[test]
    fn declared_keys_name_fields_of_their_record() {
        for r in RESOURCES.iter() {
            let keys = r
                .import_key
                .iter()
                .chain(r.ref_keys.iter().filter(|k| **k != "id"))
                .chain(r.unique_together.iter().flat_map(|k| k.iter()))
                .chain(r.search.iter())
                .chain(std::iter::once(&r.label).filter(|l| !l.is_empty()));
            for k in keys {
                assert!(r.field(k).is_some(), "{}: {k} is not a field", r.name);
            }
            for k in r.unique_together {
                assert!(
                    k.len() > 1,
                    "{}: a one-field key is `unique` on the field",
                    r.name
                );
            }
        }
    }

    #[test]
    fn records_come_after_what_they_refer_to() {
        let mut seen = HashSet::new();
        for r in RESOURCES.iter() {
            for f in r.fields {
                if let Kind::Ref(t) | Kind::RefCode { resource: t, .. } = f.kind {
                    assert!(
                        t == r.name || seen.contains(t),
                        "{}.{} refers to {t}, declared later or nowhere",
                        r.name,
                        f.name
                    );
                }
            }
            seen.insert(r.name);
        }
    }

    #[test]
    fn every_module_answers_for_every_role_and_the_admin_reaches_its_records() {
        let roles = [
            Role::Admin,
            Role::Leader,
            Role::Staff {
                office: Office::AcademicAffairs,
                school_id: Some(1),
            },
            Role::Teacher { staff_id: 1 },
            Role::Student { student_id: 1 },
        ];
        for m in MODULES {
            for r in m.records {
                assert!(
                    (m.scope)(&Role::Admin, Action::Read, r.name).is_some(),
                    "{}: an administrator cannot read {}",
                    m.name,
                    r.name
                );
                for role in &roles {
                    for a in ACTIONS {
                        // Answers for every role and action without panicking.
                        let _ = (m.scope)(role, *a, r.name);
                    }
                }
            }
        }
    }

    #[test]
    fn menu_groups_are_named_apart_from_their_entries() {
        // A group whose entry has the group's own name reads as a stutter (实训基地 › 实训基地).
        for m in MODULES {
            for e in m.menu {
                assert_ne!(
                    m.zh,
                    e.label(true),
                    "{}: group and entry {}",
                    m.name,
                    e.path()
                );
                assert_ne!(
                    m.en,
                    e.label(false),
                    "{}: group and entry {}",
                    m.name,
                    e.path()
                );
            }
        }
    }

    #[test]
    fn students_see_no_reference_tables_in_their_menu() {
        let student = Role::Student { student_id: 1 };
        let staff = Role::Staff {
            office: crate::access::Office::AcademicAffairs,
            school_id: None,
        };
        for e in reference::MODULE.menu {
            assert!(!e.for_role(&student), "{}", e.path());
            assert!(e.for_role(&staff), "{}", e.path());
            assert!(e.for_role(&Role::Admin), "{}", e.path());
        }
        let shown: Vec<String> = MODULES
            .iter()
            .flat_map(|m| m.menu.iter())
            .filter(|e| e.for_role(&student))
            .map(|e| e.path())
            .collect();
        for p in [
            "/regions",
            "/industries",
            "/schools",
            "/terms",
            "/organisations",
        ] {
            assert!(!shown.contains(&p.to_string()), "{p} in {shown:?}");
        }
        for p in ["/order-choices", "/students", "/mentors"] {
            assert!(shown.contains(&p.to_string()), "{p} missing from {shown:?}");
        }
    }

    #[test]
    fn menu_entries_need_something_the_module_owns() {
        for m in MODULES {
            for e in m.menu {
                assert!(
                    m.owns(e.needs()),
                    "{}: menu {} needs {}",
                    m.name,
                    e.path(),
                    e.needs()
                );
                assert!(!e.label(true).is_empty() && !e.label(false).is_empty());
            }
        }
    }

    #[test]
    fn field_groups_partition_the_fields_and_ref_sets_name_references() {
        use crate::schema::{Kind, RECORD_GROUP};
        for r in RESOURCES.iter() {
            let groups = r.field_groups();
            let mut names = HashSet::new();
            for g in groups {
                assert!(names.insert(g.name), "{}: group {} twice", r.name, g.name);
                assert!(
                    !g.zh.is_empty() && !g.en.is_empty(),
                    "{}.{}",
                    r.name,
                    g.name
                );
                assert!(
                    !g.fields.is_empty() || g.name == RECORD_GROUP.name,
                    "{}: declared group {} has no field",
                    r.name,
                    g.name
                );
                for f in g.fields {
                    assert!(
                        r.field(f).is_some(),
                        "{}: group {} names {f}",
                        r.name,
                        g.name
                    );
                }
            }
            for f in r.fields {
                let n = groups
                    .iter()
                    .filter(|g| g.fields.is_empty() || g.fields.contains(&f.name))
                    .count();
                assert_eq!(n, 1, "{}.{} is in {n} groups", r.name, f.name);
            }
            for (f, _) in r.ref_sets {
                assert!(
                    matches!(r.field(f).map(|f| f.kind), Some(Kind::Ref(_))),
                    "{}: ref set for {f}, which is not a reference",
                    r.name
                );
            }
        }
    }
}
