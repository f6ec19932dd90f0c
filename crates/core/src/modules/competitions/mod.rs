//! Skills competitions and start-ups (技能竞赛与创新创业, issue 15 §2): competitions at national,
//! provincial, city and college level with the college's teams, their students and advisors and
//! the awards they won (a certificate is attached to its award as a file, `attachments`); the
//! incubator's start-up projects with their stage, funding, founders, mentors and outcome.
//!
//! Who reaches what: every signed-in role reads the list of competitions (public facts), and the
//! college-wide academic affairs, student affairs and employment offices keep it. Teams (and
//! their members, advisors and awards) and start-ups (and their funding, founders and mentors):
//! the offices and leaders read all; a school's staff read their school's, and the three offices
//! of a school write them; a teacher reads the teams they advise and the start-ups they mentor,
//! an enterprise contact the same; a student their own teams and start-ups. No personal fields
//! of its own: students, staff and contacts are named by reference.
//!
//! A start-up will link to its founders' graduate destinations (自主创业, code 75) once the
//! destinations module (issue 14) exists; see `ARCHITECTURE.md`.

mod records;
mod rules;
pub use records::*;
pub use rules::*;

use super::college::own_school;
use super::{not_students, MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};

/// The summary of awards and start-ups (`GET /api/competitions/summary`) is read by whoever
/// reads awards; it counts the rows the reader reaches.
pub static MODULE: Module = Module {
    name: "competitions",
    zh: "技能竞赛与创新创业",
    en: "Competitions and start-ups",
    records: &[
        &COMPETITIONS,
        &COMPETITION_TEAMS,
        &COMPETITION_MEMBERS,
        &COMPETITION_ADVISORS,
        &COMPETITION_AWARDS,
        &STARTUPS,
        &STARTUP_FUNDING,
        &STARTUP_FOUNDERS,
        &STARTUP_MENTORS,
    ],
    permissions: &[],
    scope,
    menu: &[
        MenuEntry::Page {
            path: "/competitions/summary",
            zh: "竞赛与创业统计",
            en: "Competitions and start-ups summary",
            needs: "competition_awards",
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&COMPETITIONS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&COMPETITION_TEAMS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&COMPETITION_MEMBERS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&COMPETITION_ADVISORS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&COMPETITION_AWARDS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&STARTUPS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&STARTUP_FUNDING),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&STARTUP_FOUNDERS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&STARTUP_MENTORS),
        },
    ],
    personal: &[],
    subject_links: &[],
};

/// The offices that keep competitions and start-ups: 教务处 (skills competitions), 学生处 and
/// 招生就业处 (innovation and start-ups); for the whole college or, for a school's staff, their
/// school.
fn writer(role: &Role) -> Option<RowScope> {
    match role {
        Role::Admin => Some(RowScope::All),
        Role::Staff {
            office: Office::AcademicAffairs | Office::StudentAffairs | Office::Employment,
            school_id,
        } => Some(own_school(*school_id)),
        _ => None,
    }
}

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    use Action::*;
    // The administrator reaches every row for every action, as in every module (the access
    // engine's test holds each module to it).
    if *role == Role::Admin {
        return Some(RowScope::All);
    }
    if resource == COMPETITIONS.name {
        // The list of competitions holds no school's data: every role reads it, and only the
        // college-wide offices keep it.
        return match action {
            Read => Some(RowScope::All),
            Reveal => None,
            _ => writer(role).filter(|s| *s == RowScope::All),
        };
    }
    match action {
        Read => Some(match role {
            Role::Admin | Role::Leader => RowScope::All,
            Role::Staff { school_id, .. } => own_school(*school_id),
            Role::Teacher { staff_id } => RowScope::Teacher(*staff_id),
            Role::Enterprise { contact_id, .. } => RowScope::Mentor(*contact_id),
            Role::Student { student_id } => RowScope::Student(*student_id),
        }),
        Create | Update | Delete => writer(role),
        Reveal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::ContactRole;

    #[test]
    fn offices_keep_the_competitions_and_everyone_reads_them() {
        let aa = Role::Staff {
            office: Office::AcademicAffairs,
            school_id: None,
        };
        let aa1 = Role::Staff {
            office: Office::AcademicAffairs,
            school_id: Some(1),
        };
        let student = Role::Student { student_id: 7 };
        assert_eq!(
            scope(&aa, Action::Create, "competitions"),
            Some(RowScope::All)
        );
        assert_eq!(scope(&aa1, Action::Create, "competitions"), None);
        assert_eq!(
            scope(&student, Action::Read, "competitions"),
            Some(RowScope::All)
        );
        assert_eq!(scope(&student, Action::Create, "competitions"), None);
        assert_eq!(
            scope(&Role::Admin, Action::Reveal, "competitions"),
            Some(RowScope::All)
        );
        assert_eq!(scope(&aa, Action::Reveal, "competitions"), None);
    }

    #[test]
    fn teams_and_startups_are_scoped_to_school_advisor_and_student() {
        let sa1 = Role::Staff {
            office: Office::StudentAffairs,
            school_id: Some(1),
        };
        let coop = Role::Staff {
            office: Office::Cooperation,
            school_id: None,
        };
        let mentor = Role::Enterprise {
            org_id: 2,
            contact_id: 9,
            relation: ContactRole::Mentor,
        };
        for r in [
            "competition_teams",
            "competition_awards",
            "startups",
            "startup_funding",
        ] {
            assert_eq!(scope(&sa1, Action::Update, r), Some(RowScope::School(1)));
            assert_eq!(scope(&coop, Action::Read, r), Some(RowScope::All));
            assert_eq!(scope(&coop, Action::Create, r), None);
            assert_eq!(
                scope(&Role::Teacher { staff_id: 4 }, Action::Read, r),
                Some(RowScope::Teacher(4))
            );
            assert_eq!(
                scope(&Role::Teacher { staff_id: 4 }, Action::Delete, r),
                None
            );
            assert_eq!(scope(&mentor, Action::Read, r), Some(RowScope::Mentor(9)));
            assert_eq!(
                scope(&Role::Student { student_id: 3 }, Action::Read, r),
                Some(RowScope::Student(3))
            );
            assert_eq!(scope(&Role::Leader, Action::Update, r), None);
        }
    }
}
