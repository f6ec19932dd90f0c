//! The store half of the `research` module: which projects (and which of their partners,
//! receipts, participants and outcomes) a school, a teacher and an enterprise user reach, in SQL;
//! and the technology-service income report (`store.research().income`), summed by
//! `skillbridge_core::modules::research::income`.

use super::{store_view, NoHooks, StoreModule};
use crate::records::{Bind, Sql};
use crate::{Result, StoreError};
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::modules::research::income::{
    income_by_school_and_year, IncomeRow, ProjectFacts, Receipt,
};
use skillbridge_core::modules::research::{RESEARCH_PROJECTS, TECH_INCOME};
use sqlx::Row;

store_view!(
    /// The research module's own queries: the technology-service income report.
    Research,
    research
);

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::research::MODULE,
    scope_sql,
    hooks: &NoHooks,
};

/// The condition on `research_projects` (unqualified columns) for a scope.
fn project_sql(scope: RowScope, sql: &mut Sql) -> Option<String> {
    let int = |sql: &mut Sql, v: i64| sql.bind(Bind::Int(Some(v)));
    Some(match scope {
        RowScope::School(s) => format!("school_id = {}", int(sql, s)),
        // The projects a teacher leads or takes part in.
        RowScope::Teacher(t) => format!(
            "(lead_id = {} OR id IN (SELECT project_id FROM research_participants WHERE staff_id = {}))",
            int(sql, t),
            int(sql, t)
        ),
        // The projects an organisation is a partner of.
        RowScope::Org(o) => format!(
            "id IN (SELECT project_id FROM research_partners WHERE org_id = {})",
            int(sql, o)
        ),
        _ => return None,
    })
}

fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    if resource == RESEARCH_PROJECTS.name || resource == TECH_INCOME {
        if resource == TECH_INCOME && !matches!(scope, RowScope::School(_)) {
            return None;
        }
        return project_sql(scope, sql);
    }
    // Partners, receipts, participants and outcomes belong to a project.
    let inner = project_sql(scope, sql)?;
    Some(format!(
        "project_id IN (SELECT id FROM research_projects WHERE {inner})"
    ))
}

/// One row of the income report, with its school's name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IncomeLine {
    #[serde(flatten)]
    pub row: IncomeRow,
    pub school_name: String,
}

impl Research<'_> {
    /// Technology-service income (and vertical funds) per school and year, over the projects of
    /// the schools the actor's `tech_income` scope reaches; `Denied` without it.
    pub async fn income(&self, actor: &Actor) -> Result<Vec<IncomeLine>> {
        let scopes = actor_scopes(actor, Action::Read, TECH_INCOME).ok_or(StoreError::Denied)?;
        let mut sql = Sql::default();
        let clause = crate::scope::clause(TECH_INCOME, &scopes, &mut sql);
        sql.text = format!("SELECT id, school_id, kind FROM research_projects WHERE {clause}");
        let projects = sql
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(ProjectFacts {
                    id: r.try_get("id")?,
                    school_id: r.try_get("school_id")?,
                    horizontal: r.try_get::<String, _>("kind")? == "horizontal",
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
        sql.text = format!(
            "SELECT project_id, year, amount_fen FROM research_receipts \
             WHERE project_id IN (SELECT id FROM research_projects WHERE {clause})"
        );
        let receipts = sql
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Receipt {
                    project_id: r.try_get("project_id")?,
                    year: r.try_get("year")?,
                    amount_fen: r.try_get("amount_fen")?,
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
        let names: std::collections::HashMap<i64, String> =
            sqlx::query("SELECT id, name FROM schools")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
                .collect::<std::result::Result<_, sqlx::Error>>()?;
        Ok(income_by_school_and_year(&projects, &receipts)
            .into_iter()
            .map(|row| IncomeLine {
                school_name: names.get(&row.school_id).cloned().unwrap_or_default(),
                row,
            })
            .collect())
    }
}
