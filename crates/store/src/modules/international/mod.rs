//! The store half of the `international` module: which rows a school's staff reach (their own
//! school's people, in SQL), and the yearly totals (`store.international().totals`), gathered
//! through the generic scoped list so that each reader's totals are over the rows they may read.
//! No write hooks: the generic paths suffice.

use super::{store_view, NoHooks, StoreModule};
use crate::records::{Bind, ListQuery, Sql, MAX_LIMIT};
use crate::{Result, StoreError};
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::modules::international::totals::{self, Category, Stay, Who, YearTotals};
use skillbridge_core::modules::international::{
    EXCHANGE_PARTICIPANTS, EXCHANGE_PROGRAMS, FOREIGN_EXPERTS, INTERNATIONAL_STUDENTS,
    INTL_PROJECTS, OVERSEAS_PLACEMENTS, STANDARDS_ABROAD, TOTALS, TRAINING_ABROAD,
};
use skillbridge_core::schema::{Record, ResourceDef};
use std::collections::HashMap;
use time::Date;

store_view!(
    /// International exchange: the yearly totals.
    International,
    international
);

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::international::MODULE,
    scope_sql,
    hooks: &NoHooks,
};

/// A school's rows: by the record's school, its student's (through the program) or staff
/// member's school, or an international student's program.
fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    let RowScope::School(s) = scope else {
        return None;
    };
    let p = sql.bind(Bind::Int(Some(s)));
    let students = format!(
        "SELECT id FROM students WHERE program_id IN (SELECT id FROM programs WHERE school_id = {p})"
    );
    let participants = format!(
        "(student_id IN ({students}) OR staff_id IN (SELECT id FROM staff WHERE school_id = {p}) \
         OR (student_id IS NULL AND staff_id IS NULL AND program_id IN \
         (SELECT id FROM exchange_programs WHERE school_id = {p})))"
    );
    Some(match resource {
        r if r == INTL_PROJECTS.name
            || r == FOREIGN_EXPERTS.name
            || r == TRAINING_ABROAD.name
            || r == STANDARDS_ABROAD.name =>
        {
            format!("school_id = {p}")
        }
        // A school reads its own programs and those its people take part in.
        r if r == EXCHANGE_PROGRAMS.name => format!(
            "(school_id = {p} OR id IN (SELECT program_id FROM exchange_participants WHERE {participants}))"
        ),
        r if r == EXCHANGE_PARTICIPANTS.name => participants,
        r if r == OVERSEAS_PLACEMENTS.name => format!("student_id IN ({students})"),
        r if r == INTERNATIONAL_STUDENTS.name => {
            format!("program_id IN (SELECT id FROM programs WHERE school_id = {p})")
        }
        _ => return None,
    })
}

/// The key that names the person of a record (the same on all of that person's records).
type PersonKey = fn(&Record) -> Option<String>;

fn date(r: &Record, k: &str) -> Option<Date> {
    r.get(k)
        .and_then(|v| v.as_str())
        .and_then(|t| skillbridge_core::dates::parse_date(t).ok())
}

fn text(r: &Record, k: &str) -> Option<String> {
    r.get(k).and_then(|v| v.as_str()).map(str::to_string)
}

fn int(r: &Record, k: &str) -> Option<i64> {
    r.get(k).and_then(|v| v.as_i64())
}

impl International<'_> {
    /// Every row of `def` the actor may read.
    async fn all(&self, actor: &Actor, def: &ResourceDef) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        loop {
            let q = ListQuery {
                limit: MAX_LIMIT,
                offset: out.len() as i64,
                source: "international totals".into(),
                ..ListQuery::default()
            };
            let page = self.list(actor, def, &q).await?;
            let done = page.items.len() < MAX_LIMIT as usize;
            out.extend(page.items);
            if done {
                return Ok(out);
            }
        }
    }

    /// The stays behind the totals, over the records the actor may read.
    pub async fn stays(&self, actor: &Actor) -> Result<Vec<Stay>> {
        actor_scopes(actor, Action::Read, TOTALS).ok_or(StoreError::Denied)?;
        let mut stays = Vec::new();
        let programs: HashMap<i64, Record> = self
            .all(actor, &EXCHANGE_PROGRAMS)
            .await?
            .into_iter()
            .filter_map(|r| Some((int(&r, "id")?, r)))
            .collect();
        for p in self.all(actor, &EXCHANGE_PARTICIPANTS).await? {
            let program = int(&p, "program_id").and_then(|id| programs.get(&id));
            let who = match text(&p, "kind").as_deref() {
                Some("student") => int(&p, "student_id").map(|i| format!("student:{i}")),
                Some("staff") => int(&p, "staff_id").map(|i| format!("staff:{i}")),
                _ => text(&p, "visitor_name").map(|n| format!("visitor:{}", n.trim())),
            };
            let start =
                date(&p, "start_date").or_else(|| program.and_then(|r| date(r, "start_date")));
            let end = date(&p, "end_date").or_else(|| program.and_then(|r| date(r, "end_date")));
            if let (Some(who), Some(start)) = (who, start) {
                stays.push(Stay {
                    category: Category::Exchange,
                    who: Who::Person(who),
                    country: program.and_then(|r| text(r, "country_code")),
                    start,
                    end,
                });
            }
        }
        let people: [(&ResourceDef, Category, PersonKey); 3] = [
            (&OVERSEAS_PLACEMENTS, Category::Placement, |r| {
                int(r, "student_id").map(|i| format!("student:{i}"))
            }),
            (&FOREIGN_EXPERTS, Category::Expert, |r| {
                int(r, "id").map(|i| format!("expert:{i}"))
            }),
            (
                &INTERNATIONAL_STUDENTS,
                Category::InternationalStudent,
                |r| int(r, "id").map(|i| format!("international_student:{i}")),
            ),
        ];
        for (def, category, key) in people {
            for r in self.all(actor, def).await? {
                if let (Some(who), Some(start)) = (key(&r), date(&r, "start_date")) {
                    stays.push(Stay {
                        category,
                        who: Who::Person(who),
                        country: text(&r, "country_code"),
                        start,
                        end: date(&r, "end_date"),
                    });
                }
            }
        }
        for r in self.all(actor, &TRAINING_ABROAD).await? {
            if let (Some(start), Some(trainees), Some(person_days)) = (
                date(&r, "start_date"),
                int(&r, "trainees"),
                int(&r, "person_days"),
            ) {
                stays.push(Stay {
                    category: Category::TrainingAbroad,
                    who: Who::Group {
                        trainees,
                        person_days,
                    },
                    country: text(&r, "country_code"),
                    start,
                    end: date(&r, "end_date"),
                });
            }
        }
        Ok(stays)
    }

    /// The totals of `year` (open stays counted to today, China time), and the years that
    /// have any.
    pub async fn totals(&self, actor: &Actor, year: i32) -> Result<(YearTotals, Vec<i32>)> {
        let stays = self.stays(actor).await?;
        let today = crate::college_today();
        let as_of = skillbridge_core::dates::parse_date(&today)
            .map_err(|_| StoreError::Config(format!("today is not a date: {today}")))?;
        Ok((
            totals::year_totals(&stays, year, as_of),
            totals::years(&stays, as_of),
        ))
    }
}

#[cfg(test)]
mod tests {
    /// Migration 0014 sets the Belt and Road flag of existing databases from the same list that
    /// seeds new ones.
    #[test]
    fn the_migrations_belt_and_road_list_is_the_shipped_one() {
        let want = skillbridge_core::reference::belt_and_road_codes();
        for text in [
            include_str!("../../../migrations/sqlite/0014_international.sql"),
            include_str!("../../../migrations/postgres/0014_international.sql"),
        ] {
            let list = text
                .split("WHEN alpha2 IN (")
                .nth(1)
                .and_then(|t| t.split(')').next())
                .unwrap();
            let mut got: Vec<String> = list
                .split(',')
                .map(|c| c.trim().trim_matches('\'').to_string())
                .collect();
            got.sort();
            assert_eq!(got, want);
        }
    }
}
