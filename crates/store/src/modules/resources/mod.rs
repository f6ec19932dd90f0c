//! The store half of the `resources` module: which teaching resources (and their authors and
//! courses) a school and an enterprise user reach, in SQL (an enterprise user: those their
//! organisation co-developed or one of its people co-wrote); and the usage the server counts
//! (`resource_usage`: a view when a reader opens a resource's link through
//! `store.resources().count_view`, a download when one of its files is served from its first
//! byte, through the `on_download` hook).

use super::{store_view, HookFuture, StoreModule, WriteHooks};
use crate::records::{Bind, Sql};
use crate::{Result, Store, StoreError};
use serde_json::{json, Value};
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::modules::resources::TEACHING_RESOURCES;
use skillbridge_core::schema::ResourceDef;
use sqlx::Row;

store_view!(
    /// The teaching resources' usage: views and downloads counted by the server.
    Resources,
    resources
);

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::resources::MODULE,
    scope_sql,
    hooks: &UsageHooks,
};

/// The condition on `teaching_resources` (unqualified columns) for a scope.
fn resource_sql(scope: RowScope, sql: &mut Sql) -> Option<String> {
    let int = |sql: &mut Sql, v: i64| sql.bind(Bind::Int(Some(v)));
    Some(match scope {
        RowScope::School(s) => format!("school_id = {}", int(sql, s)),
        RowScope::Org(o) => format!(
            "(partner_org_id = {} OR id IN (SELECT resource_id FROM resource_authors \
             WHERE contact_id IN (SELECT id FROM contacts WHERE org_id = {})))",
            int(sql, o),
            int(sql, o)
        ),
        _ => return None,
    })
}

fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    let inner = resource_sql(scope, sql)?;
    if resource == TEACHING_RESOURCES.name {
        return Some(inner);
    }
    // Authors and courses belong to a resource.
    Some(format!(
        "resource_id IN (SELECT id FROM teaching_resources WHERE {inner})"
    ))
}

const COUNT_VIEW: &str =
    "INSERT INTO resource_usage (resource_id, views, downloads) VALUES ($1, 1, 0) \
     ON CONFLICT (resource_id) DO UPDATE SET views = resource_usage.views + 1";
const COUNT_DOWNLOAD: &str =
    "INSERT INTO resource_usage (resource_id, views, downloads) VALUES ($1, 0, 1) \
     ON CONFLICT (resource_id) DO UPDATE SET downloads = resource_usage.downloads + 1";

/// Counts a download of a teaching resource's file.
struct UsageHooks;
impl WriteHooks for UsageHooks {
    fn on_download<'a>(
        &'a self,
        store: &'a Store,
        def: &'a ResourceDef,
        owner_id: i64,
    ) -> HookFuture<'a, ()> {
        Box::pin(async move {
            if def.name == TEACHING_RESOURCES.name {
                store.resources().bump(COUNT_DOWNLOAD, owner_id).await?;
            }
            Ok(())
        })
    }
}

impl Resources<'_> {
    async fn bump(&self, sql: &str, id: i64) -> Result<()> {
        let (_guard, mut tx) = self.begin_write().await?;
        sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Counts one view of resource `id` (opened through its link) for an actor who may read it
    /// (`NotFound` otherwise); returns the resource.
    pub async fn count_view(&self, actor: &Actor, id: i64) -> Result<Value> {
        let rec = self.get(actor, &TEACHING_RESOURCES, id).await?;
        self.bump(COUNT_VIEW, id).await?;
        Ok(Value::Object(rec))
    }

    /// Views, downloads and enrolled learners of every resource the actor may read, by id.
    pub async fn usage(&self, actor: &Actor) -> Result<Vec<Value>> {
        let scopes =
            actor_scopes(actor, Action::Read, TEACHING_RESOURCES.name).ok_or(StoreError::Denied)?;
        let mut sql = Sql::default();
        let clause = crate::scope::clause(TEACHING_RESOURCES.name, &scopes, &mut sql);
        sql.text = format!(
            "SELECT t.id, t.learners, COALESCE(u.views, 0) AS views, \
             COALESCE(u.downloads, 0) AS downloads FROM teaching_resources t \
             LEFT JOIN resource_usage u ON u.resource_id = t.id \
             WHERE t.id IN (SELECT id FROM teaching_resources WHERE {clause}) ORDER BY t.id"
        );
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(json!({
                    "resource_id": r.try_get::<i64, _>("id")?,
                    "learners": r.try_get::<Option<i64>, _>("learners")?,
                    "views": r.try_get::<i64, _>("views")?,
                    "downloads": r.try_get::<i64, _>("downloads")?,
                }))
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
            .map_err(Into::into)
    }
}
