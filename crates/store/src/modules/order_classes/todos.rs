//! The to-do sources of order classes (issue 10, item 5): each computes a user's open items from
//! the workflow's own tables, so an item is gone as soon as its condition is met. Listed in
//! `crate::modules::todos::SOURCES`.

use super::allocation::college_today;
use crate::modules::todos::TodoSource;
use crate::modules::HookFuture;
use crate::records::{Bind, Sql};
use crate::Store;
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::modules::order_classes::{ALLOCATION, ORDER_CHOICES, ORDER_SCORES};
use skillbridge_core::modules::todos::Todo;
use sqlx::Row;

/// A student's offer still to answer, due on the run's answer deadline; done when the student
/// accepts or declines (or the deadline passes, or a refill supersedes it).
pub(crate) static PENDING_OFFER: TodoSource = TodoSource {
    name: "order_offer",
    items: pending_offers,
};

/// A sponsor's applicants still without an interview score, one item per order class that
/// requires an interview and is still open or closed (not yet allocated); done when every
/// applicant is scored. Only for sponsors (users whose `order_scores` scope is their
/// organisation): the offices may score too, but the task is the sponsor's.
pub(crate) static APPLICANTS_TO_SCORE: TodoSource = TodoSource {
    name: "order_scores",
    items: applicants_to_score,
};

/// A draft allocation run newer than every published one, for whoever may publish it; done
/// when a run is published.
pub(crate) static RUN_TO_PUBLISH: TodoSource = TodoSource {
    name: "allocation_run",
    items: run_to_publish,
};

fn pending_offers<'a>(store: &'a Store, actor: &'a Actor) -> HookFuture<'a, Vec<Todo>> {
    Box::pin(async move {
        let students: Vec<i64> = actor_scopes(actor, Action::Read, ORDER_CHOICES)
            .into_iter()
            .flatten()
            .filter_map(|s| match s {
                RowScope::Student(id) => Some(id),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        for student in students {
            let mut s = Sql::default();
            let p = s.bind(Bind::Int(Some(student)));
            let today = s.bind(Bind::Text(Some(college_today())));
            s.text = format!(
                "SELECT o.id, oc.name, r.respond_by FROM order_offers o \
                 JOIN order_classes oc ON oc.id = o.order_class_id \
                 JOIN allocation_runs r ON r.id = o.allocation_run_id \
                 WHERE o.student_id = {p} AND o.status = 'offered' AND r.status = 'published' \
                 AND r.respond_by >= {today} ORDER BY o.id"
            );
            for r in s.query().fetch_all(&store.pool).await? {
                let id: i64 = r.try_get(0)?;
                let name: String = r.try_get(1)?;
                out.push(Todo {
                    key: format!("order_offer:{id}"),
                    source: PENDING_OFFER.name.into(),
                    title_zh: format!("答复订单班录取通知：{name}"),
                    title_en: format!("Answer your offer from the order class {name}"),
                    due: r.try_get(2)?,
                    link: "/order-choices".into(),
                });
            }
        }
        Ok(out)
    })
}

fn applicants_to_score<'a>(store: &'a Store, actor: &'a Actor) -> HookFuture<'a, Vec<Todo>> {
    Box::pin(async move {
        let orgs: Vec<i64> = actor_scopes(actor, Action::Update, ORDER_SCORES)
            .into_iter()
            .flatten()
            .filter_map(|s| match s {
                RowScope::Org(id) => Some(id),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        for org in orgs {
            let mut s = Sql::default();
            let p = s.bind(Bind::Int(Some(org)));
            s.text = format!(
                "SELECT oc.id, oc.name, oc.closes_on, COUNT(*) FROM order_applications a \
                 JOIN order_classes oc ON oc.id = a.order_class_id \
                 WHERE oc.org_id = {p} AND oc.interview_required = 1 AND oc.status IN ('open', 'closed') \
                 AND a.status = 'submitted' AND a.interview_score IS NULL \
                 GROUP BY oc.id, oc.name, oc.closes_on ORDER BY oc.id"
            );
            for r in s.query().fetch_all(&store.pool).await? {
                let id: i64 = r.try_get(0)?;
                let name: String = r.try_get(1)?;
                let n: i64 = r.try_get(3)?;
                out.push(Todo {
                    key: format!("order_scores:{id}"),
                    source: APPLICANTS_TO_SCORE.name.into(),
                    title_zh: format!("为订单班 {name} 的 {n} 名申请人评分"),
                    title_en: format!(
                        "Score {n} applicant{} of the order class {name}",
                        if n == 1 { "" } else { "s" }
                    ),
                    due: r.try_get(2)?,
                    link: "/order-scoring".into(),
                });
            }
        }
        Ok(out)
    })
}

fn run_to_publish<'a>(store: &'a Store, actor: &'a Actor) -> HookFuture<'a, Vec<Todo>> {
    Box::pin(async move {
        if actor_scopes(actor, Action::Create, ALLOCATION).is_none() {
            return Ok(Vec::new());
        }
        let s = Sql {
            text: "SELECT id, created_at FROM allocation_runs WHERE status = 'draft' \
                   AND id > COALESCE((SELECT MAX(id) FROM allocation_runs WHERE status = 'published'), 0) \
                   ORDER BY id DESC LIMIT 1"
                .into(),
            ..Default::default()
        };
        let mut out = Vec::new();
        if let Some(r) = s.query().fetch_optional(&store.pool).await? {
            let id: i64 = r.try_get(0)?;
            out.push(Todo {
                key: format!("allocation_run:{id}"),
                source: RUN_TO_PUBLISH.name.into(),
                title_zh: "审核并发布订单班录取分配".into(),
                title_en: "Review and publish the order class allocation".into(),
                due: None,
                link: "/allocation".into(),
            });
        }
        Ok(out)
    })
}
