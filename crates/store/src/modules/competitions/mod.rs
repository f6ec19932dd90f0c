//! The store half of competitions and start-ups (issue 15 §2): which teams and start-ups (and
//! their members, advisors, awards, funding, founders and mentors) a school's staff, a teacher,
//! an enterprise contact and a student reach, in SQL; and the summary of awards and start-ups
//! over the rows the reader reaches. No write hooks: the generic paths suffice.

use super::{store_view, NoHooks, StoreModule};
use crate::records::{Bind, Sql};
use crate::{Result, StoreError};
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::modules::competitions::{
    self as comp, AwardRow, Summary, COMPETITION_AWARDS, STARTUPS,
};
use sqlx::Row;

store_view!(
    /// Competitions and start-ups: the summary.
    Competitions,
    competitions
);

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::competitions::MODULE,
    scope_sql,
    hooks: &NoHooks,
};

/// The teams a scope reaches, as a condition over `competition_teams`.
fn team_sql(scope: RowScope, sql: &mut Sql) -> Option<String> {
    let mut int = |v: i64| sql.bind(Bind::Int(Some(v)));
    match scope {
        RowScope::School(s) => Some(format!("school_id = {}", int(s))),
        RowScope::Teacher(t) => Some(format!(
            "id IN (SELECT team_id FROM competition_advisors WHERE staff_id = {})",
            int(t)
        )),
        RowScope::Mentor(c) => Some(format!(
            "id IN (SELECT team_id FROM competition_advisors WHERE contact_id = {})",
            int(c)
        )),
        RowScope::Student(s) => Some(format!(
            "id IN (SELECT team_id FROM competition_members WHERE student_id = {})",
            int(s)
        )),
        _ => None,
    }
}

/// The start-ups a scope reaches, as a condition over `startups`.
fn startup_sql(scope: RowScope, sql: &mut Sql) -> Option<String> {
    let mut int = |v: i64| sql.bind(Bind::Int(Some(v)));
    match scope {
        RowScope::School(s) => Some(format!("school_id = {}", int(s))),
        RowScope::Teacher(t) => Some(format!(
            "id IN (SELECT startup_id FROM startup_mentors WHERE staff_id = {})",
            int(t)
        )),
        RowScope::Mentor(c) => Some(format!(
            "id IN (SELECT startup_id FROM startup_mentors WHERE contact_id = {})",
            int(c)
        )),
        RowScope::Student(s) => Some(format!(
            "id IN (SELECT startup_id FROM startup_founders WHERE student_id = {})",
            int(s)
        )),
        _ => None,
    }
}

fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    match resource {
        "competition_teams" => team_sql(scope, sql),
        "competition_members" | "competition_advisors" | "competition_awards" => {
            let cond = team_sql(scope, sql)?;
            Some(format!(
                "team_id IN (SELECT id FROM competition_teams WHERE {cond})"
            ))
        }
        "startups" => startup_sql(scope, sql),
        "startup_funding" | "startup_founders" | "startup_mentors" => {
            let cond = startup_sql(scope, sql)?;
            Some(format!(
                "startup_id IN (SELECT id FROM startups WHERE {cond})"
            ))
        }
        // The list of competitions is read by all and written college-wide only (`All`).
        _ => None,
    }
}

impl Competitions<'_> {
    /// Awards by year, level and grade (of `year`, or every year) and start-ups by stage, over
    /// the awards and start-ups `actor` may read. Denied when the actor reads no awards.
    pub async fn summary(&self, actor: &Actor, year: Option<i64>) -> Result<Summary> {
        let scopes =
            actor_scopes(actor, Action::Read, COMPETITION_AWARDS.name).ok_or(StoreError::Denied)?;
        let mut sql = Sql::default();
        let clause = crate::scope::clause(COMPETITION_AWARDS.name, &scopes, &mut sql);
        let mut conds = vec![format!(
            "a.id IN (SELECT id FROM competition_awards WHERE {clause})"
        )];
        if let Some(y) = year {
            let p = sql.bind(Bind::Int(Some(y)));
            conds.push(format!("c.year = {p}"));
        }
        sql.text = format!(
            "SELECT c.year, c.level, a.grade FROM competition_awards a \
             JOIN competition_teams t ON t.id = a.team_id \
             JOIN competitions c ON c.id = t.competition_id WHERE {}",
            conds.join(" AND ")
        );
        let awards = sql
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(AwardRow {
                    year: r.try_get(0)?,
                    level: r.try_get(1)?,
                    grade: r.try_get(2)?,
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
        let stages: Vec<String> = match actor_scopes(actor, Action::Read, STARTUPS.name) {
            None => Vec::new(),
            Some(scopes) => {
                let mut sql = Sql::default();
                let clause = crate::scope::clause(STARTUPS.name, &scopes, &mut sql);
                sql.text = format!("SELECT stage FROM startups WHERE {clause}");
                sql.query()
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(|r| r.try_get(0))
                    .collect::<std::result::Result<_, sqlx::Error>>()?
            }
        };
        Ok(comp::summary(
            &awards,
            year,
            stages.iter().map(String::as_str),
        ))
    }
}
