//! The to-do source of status changes (学籍异动): requests waiting for the office's decision.
//! Listed in `crate::modules::todos::SOURCES`; computed from the requests themselves, so the item
//! is gone once every request the user may decide has been approved or rejected.

use crate::modules::todos::TodoSource;
use crate::modules::HookFuture;
use crate::{ListQuery, Store};
use skillbridge_core::access::{actor_scopes, Action, Actor};
use skillbridge_core::modules::status_changes::{DECISION, STATUS_CHANGES};
use skillbridge_core::modules::todos::Todo;

/// The pending requests the user reads, for a user who may decide requests: one item, keyed by
/// the newest pending request, so a request filed later makes a new item (and a new mail).
pub(crate) static REQUESTS_TO_DECIDE: TodoSource = TodoSource {
    name: "status_change",
    items: requests_to_decide,
};

fn requests_to_decide<'a>(store: &'a Store, actor: &'a Actor) -> HookFuture<'a, Vec<Todo>> {
    Box::pin(async move {
        let may_decide =
            actor_scopes(actor, Action::Update, DECISION).is_some_and(|scopes| !scopes.is_empty());
        if !may_decide {
            return Ok(Vec::new());
        }
        let q = ListQuery {
            filters: vec![("state".into(), "pending".into())],
            sort: Some("-id".into()),
            limit: 1,
            source: "todos".into(),
            ..ListQuery::default()
        };
        let page = store.list(actor, &STATUS_CHANGES, &q).await?;
        let Some(newest) = page.items.first().and_then(|r| r["id"].as_i64()) else {
            return Ok(Vec::new());
        };
        let n = page.total;
        Ok(vec![Todo {
            key: format!("status_change:{newest}"),
            source: REQUESTS_TO_DECIDE.name.into(),
            title_zh: format!("审批学籍异动申请（{n} 条待审批）"),
            title_en: format!("Decide student status changes ({n} pending)"),
            due: None,
            link: "/status_changes?state=pending".into(),
        }])
    })
}
