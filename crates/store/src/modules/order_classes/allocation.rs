//! The order class workflow: students' ranked lists, enterprises' scores, allocation runs,
//! publication, offers and refills. The rules are in `skillbridge_core::modules::order_classes::rules` (no I/O);
//! this module gathers the facts, calls them, and writes what they decide, each change with its
//! audit entry in the same transaction.
//!
//! Permissions come from `core::access` like everywhere else: the workflow asks for the scopes of
//! the workflow permissions `order_choices` (a student's own list), `order_scores` (applicants
//! and their scores) and `allocation` (run, publish, refill), and of the records it reads, and
//! `scope.rs` turns them into SQL. A row outside the actor's read scope is "not found".
//!
//! Allocation runs and offers are written only here (no generic writes, see
//! `core::access::is_ledger`). A run stores the matching instance and its result as JSON, so the
//! stability check reruns on exactly what was decided, and the seed of its tie-break.

use crate::records::{columns, decode, event, Bind, Sql};
use crate::{Result, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::matching::{self, Matching, Violation};
use skillbridge_core::modules::order_classes::rules::{
    self as oc, AppFacts, Built, ClassFacts, OfferChange, StudentFacts,
};
use skillbridge_core::modules::order_classes::{
    ALLOCATION_RUNS, ORDER_APPLICATIONS, ORDER_CLASSES, ORDER_CLASS_PROGRAMS, ORDER_OFFERS,
};
use skillbridge_core::schema::{self, FieldError, Record, ResourceDef};
use sqlx::{Any, Row};
use std::collections::{BTreeMap, BTreeSet};

type Tx = sqlx::Transaction<'static, Any>;

/// Today's date at the college (China Standard Time, UTC+8), as stored: application windows and
/// response deadlines are calendar days in Chongqing.
pub fn college_today() -> String {
    skillbridge_core::dates::now_plus(8 * 3600)[..10].to_string()
}

/// What a run stores besides its instance: the matching, who was not acceptable where and why,
/// the class names at the time, and for a refill whom it removed and whom it kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunResult {
    pub matching: Matching,
    pub not_acceptable: Vec<oc::Exclusion>,
    pub names: BTreeMap<String, String>,
    #[serde(default)]
    pub declined: BTreeSet<String>,
    #[serde(default)]
    pub accepted: BTreeMap<String, String>,
}

/// The outcomes a run's review filters by: placed or not, or an offer's status.
pub const REVIEW_OUTCOMES: &[&str] = &[
    "placed",
    "unplaced",
    "offered",
    "accepted",
    "declined",
    "superseded",
];

/// Search, filter and page of a run's review ([`Store::review_run_filtered`]).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReviewFilter {
    /// Part of a student number or name.
    pub q: Option<String>,
    /// One of [`REVIEW_OUTCOMES`].
    pub outcome: Option<String>,
    pub program_id: Option<i64>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// One score entry from the sponsor (or staff): `null` clears a value.
#[derive(Debug, Clone, Deserialize)]
pub struct ScoreInput {
    pub application_id: i64,
    /// As sent (a number such as 88.5, text, or null), parsed by the field's own parser.
    pub interview_score: Value,
    pub enterprise_rank: Value,
}

/// The stability check's answer.
#[derive(Debug, Clone, Serialize)]
pub struct CheckOutcome {
    pub run_id: i64,
    pub stable: bool,
    pub violations: Vec<Violation>,
    pub students: usize,
    pub placed: usize,
}

fn in_list(sql: &mut Sql, ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    ids.iter()
        .map(|id| sql.bind(Bind::Int(Some(*id))))
        .collect::<Vec<_>>()
        .join(", ")
}

fn invalid(field: &str, code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, code, msg)])
}

/// A run that is no longer a draft, or whose classes already have a published allocation.
fn already_published() -> StoreError {
    StoreError::conflict(
        "already_published",
        "该分配已发布，不能再次发布",
        "this allocation has already been published",
    )
}

fn int(r: &Record, k: &str) -> Option<i64> {
    r.get(k).and_then(Value::as_i64)
}

fn text<'a>(r: &'a Record, k: &str) -> &'a str {
    r.get(k).and_then(Value::as_str).unwrap_or("")
}

/// The first student id the actor acts for through `resource` (`order_choices`).
fn own_student(actor: &Actor, action: Action) -> Result<i64> {
    actor_scopes(actor, action, "order_choices")
        .into_iter()
        .flatten()
        .find_map(|s| match s {
            RowScope::Student(id) => Some(id),
            _ => None,
        })
        .ok_or(StoreError::Denied)
}

fn scopes(actor: &Actor, action: Action, resource: &str) -> Result<Vec<RowScope>> {
    actor_scopes(actor, action, resource).ok_or(StoreError::Denied)
}

/// The kind of `order_applications.interview_score` (a decimal held in tenths).
fn score_kind() -> schema::Kind {
    ORDER_APPLICATIONS
        .field("interview_score")
        .expect("interview_score is declared")
        .kind
}

fn app_facts(r: &Record) -> AppFacts {
    AppFacts {
        student_id: int(r, "student_id").unwrap_or(0),
        order_class_id: int(r, "order_class_id").unwrap_or(0),
        student_rank: int(r, "student_rank").unwrap_or(0),
        grade_average: int(r, "grade_average"),
        // In tenths, as stored: 88.5 ranks above 88.
        interview_score: r
            .get("interview_score")
            .and_then(|v| score_kind().stored_int(v)),
        enterprise_rank: int(r, "enterprise_rank"),
        withdrawn: text(r, "status") == "withdrawn",
    }
}

impl super::OrderClasses<'_> {
    async fn select<'c, E>(&self, ex: E, def: &ResourceDef, mut sql: Sql) -> Result<Vec<Record>>
    where
        E: sqlx::Executor<'c, Database = Any>,
    {
        sql.text = format!(
            "SELECT {} FROM {} WHERE {}",
            columns(def),
            def.table,
            sql.text
        );
        let rows = sql.query().fetch_all(ex).await?;
        rows.iter().map(|r| decode(def, r)).collect()
    }

    /// The facts of order classes (with their programs), by id.
    async fn class_facts(&self, tx: &mut Tx, ids: &[i64]) -> Result<BTreeMap<i64, ClassFacts>> {
        let mut s = Sql::default();
        let list = in_list(&mut s, ids);
        s.text = format!("id IN ({list}) ORDER BY id");
        let recs = self.select(&mut **tx, &ORDER_CLASSES, s).await?;
        let mut p = Sql::default();
        let list = in_list(&mut p, ids);
        p.text = format!("order_class_id IN ({list}) ORDER BY id");
        let progs = self.select(&mut **tx, &ORDER_CLASS_PROGRAMS, p).await?;
        Ok(recs
            .iter()
            .map(|r| {
                let id = int(r, "id").unwrap_or(0);
                let facts = ClassFacts {
                    id,
                    name: text(r, "name").to_string(),
                    status: text(r, "status").to_string(),
                    seats: int(r, "seats").unwrap_or(0),
                    opens_on: text(r, "opens_on").to_string(),
                    closes_on: text(r, "closes_on").to_string(),
                    programs: progs
                        .iter()
                        .filter(|p| int(p, "order_class_id") == Some(id))
                        .filter_map(|p| int(p, "program_id"))
                        .collect(),
                    entry_years: oc::parse_entry_years(text(r, "entry_years")).unwrap_or_default(),
                    min_grade: int(r, "min_grade"),
                    interview_required: r
                        .get("interview_required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                };
                (id, facts)
            })
            .collect())
    }

    /// The facts of one student, or not found.
    async fn one_student_facts(&self, tx: &mut Tx, student: i64) -> Result<StudentFacts> {
        let mut q = Sql::default();
        let p = q.bind(Bind::Int(Some(student)));
        q.text = format!("id = {p}");
        self.student_facts(tx, q)
            .await?
            .remove(&student)
            .ok_or(StoreError::NotFound)
    }

    async fn student_facts(&self, tx: &mut Tx, sql: Sql) -> Result<BTreeMap<i64, StudentFacts>> {
        let mut s = sql;
        s.text = format!(
            "SELECT id, program_id, entry_year, status FROM students WHERE {}",
            s.text
        );
        let mut out = BTreeMap::new();
        for r in s.query().fetch_all(&mut **tx).await? {
            let id: i64 = r.try_get(0)?;
            out.insert(
                id,
                StudentFacts {
                    id,
                    program_id: r.try_get(1)?,
                    entry_year: r.try_get(2)?,
                    enrolled: r.try_get::<String, _>(3)? == "enrolled",
                },
            );
        }
        Ok(out)
    }

    /// Number, name and program id of students, by id (for reviews and exports; no personal
    /// fields).
    async fn student_rows(&self, ids: &[i64]) -> Result<BTreeMap<i64, (String, String, i64)>> {
        let mut out = BTreeMap::new();
        for chunk in ids.chunks(500) {
            let mut s = Sql::default();
            let list = in_list(&mut s, chunk);
            s.text = format!(
                "SELECT id, student_no, name, program_id FROM students WHERE id IN ({list})"
            );
            for r in s.query().fetch_all(&self.pool).await? {
                out.insert(
                    r.try_get::<i64, _>(0)?,
                    (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?),
                );
            }
        }
        Ok(out)
    }

    // ---- Students ------------------------------------------------------------------------

    /// The signed-in student's applications, the classes they may apply to now (with the reason
    /// when not), and their offers with the explanation of their result.
    pub async fn my_choices(&self, actor: &Actor) -> Result<Value> {
        let student = own_student(actor, Action::Read)?;
        let today = college_today();
        let mut tx = self.pool.begin().await?;
        let mut s = Sql::default();
        let p = s.bind(Bind::Int(Some(student)));
        s.text = format!("student_id = {p} ORDER BY student_rank, id");
        let apps = self.select(&mut *tx, &ORDER_APPLICATIONS, s).await?;
        let s = Sql {
            text: "status IN ('open', 'closed', 'allocated', 'published') ORDER BY name".into(),
            ..Default::default()
        };
        let visible = self.select(&mut *tx, &ORDER_CLASSES, s).await?;
        let mut ids: Vec<i64> = visible.iter().filter_map(|r| int(r, "id")).collect();
        ids.extend(apps.iter().filter_map(|a| int(a, "order_class_id")));
        ids.sort_unstable();
        ids.dedup();
        let facts = self.class_facts(&mut tx, &ids).await?;
        let me = self.one_student_facts(&mut tx, student).await?;
        let grade = apps.iter().rev().find_map(|a| int(a, "grade_average"));
        let org_names = self.org_names(&mut tx).await?;
        let class_json = |r: &Record| {
            let id = int(r, "id").unwrap_or(0);
            let f = &facts[&id];
            let why = oc::window_open(f, &today).and_then(|_| oc::eligibility(f, &me, grade));
            let mut o = r.clone();
            o.insert(
                "sponsor".into(),
                json!(org_names.get(&int(r, "org_id").unwrap_or(0))),
            );
            o.insert("can_apply".into(), json!(why.is_ok()));
            o.insert(
                "reason".into(),
                why.err()
                    .map(|e| json!({"code": e.code(), "zh": e.text_zh(), "en": e.text_en()}))
                    .unwrap_or(Value::Null),
            );
            Value::Object(o)
        };
        let classes: Vec<Value> = visible.iter().map(class_json).collect();
        let applications: Vec<Value> = apps
            .iter()
            .map(|a| {
                let cid = int(a, "order_class_id").unwrap_or(0);
                let f = facts.get(&cid);
                let mut o = a.clone();
                o.insert("order_class_name".into(), json!(f.map(|f| &f.name)));
                o.insert(
                    "frozen".into(),
                    json!(f.is_some_and(|f| oc::window_open(f, &today).is_err())),
                );
                Value::Object(o)
            })
            .collect();
        let offer_json = self.my_offers(&mut tx, student, &facts, &today).await?;
        let explanation = self.my_explanation(&mut tx, student).await?;
        tx.commit().await?;
        Ok(json!({
            "student_id": student,
            "today": today,
            "max": oc::MAX_APPLICATIONS,
            "applications": applications,
            "classes": classes,
            "offers": offer_json,
            "explanation": explanation,
        }))
    }

    async fn org_names(&self, tx: &mut Tx) -> Result<BTreeMap<i64, String>> {
        let rows = sqlx::query(
            "SELECT id, name FROM organisations WHERE id IN (SELECT org_id FROM order_classes)",
        )
        .fetch_all(&mut **tx)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?)))
            .collect()
    }

    async fn run_record(&self, tx: &mut Tx, id: i64) -> Result<Record> {
        let mut s = Sql::default();
        let p = s.bind(Bind::Int(Some(id)));
        s.text = format!("id = {p}");
        self.select(&mut **tx, &ALLOCATION_RUNS, s)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// A student's offers, newest first, each with its run's answer-by date and whether it can
    /// still be answered.
    async fn my_offers(
        &self,
        tx: &mut Tx,
        student: i64,
        facts: &BTreeMap<i64, ClassFacts>,
        today: &str,
    ) -> Result<Vec<Value>> {
        let mut s = Sql::default();
        let p = s.bind(Bind::Int(Some(student)));
        s.text = format!("student_id = {p} ORDER BY id DESC");
        let offers = self.select(&mut **tx, &ORDER_OFFERS, s).await?;
        let mut offer_json = Vec::new();
        for o in &offers {
            let run = self
                .run_record(tx, int(o, "allocation_run_id").unwrap_or(0))
                .await?;
            let mut v = o.clone();
            v.insert(
                "order_class_name".into(),
                json!(facts
                    .get(&int(o, "order_class_id").unwrap_or(0))
                    .map(|f| f.name.clone())),
            );
            v.insert("respond_by".into(), run["respond_by"].clone());
            v.insert(
                "can_respond".into(),
                json!(
                    text(o, "status") == "offered"
                        && run["respond_by"].as_str().is_some_and(|d| today <= d)
                ),
            );
            offer_json.push(Value::Object(v));
        }
        Ok(offer_json)
    }

    /// The explanation of the latest published run that included the student, or null.
    async fn my_explanation(&self, tx: &mut Tx, student: i64) -> Result<Value> {
        let s = Sql {
            text: "status = 'published' ORDER BY id DESC".into(),
            ..Default::default()
        };
        let runs = self.select(&mut **tx, &ALLOCATION_RUNS, s).await?;
        let me_id = oc::sid(student);
        let mut explanation = Value::Null;
        for r in &runs {
            let (built, result) = parse_run(r)?;
            if built.instance.students.contains_key(&me_id) {
                let ex = oc::explanations(&built, &result.matching, &result.names);
                explanation = json!({
                    "run_id": int(r, "id"),
                    "reasons": ex.get(&me_id).cloned().unwrap_or_default(),
                });
                break;
            }
        }
        Ok(explanation)
    }

    /// Replaces the signed-in student's ranked list (`ids[0]` first). Applications to classes
    /// whose window has closed stay where they are (see `order_class::check_choices`).
    pub async fn set_my_choices(&self, actor: &Actor, ids: &[i64], source: &str) -> Result<Value> {
        let student = own_student(actor, Action::Update)?;
        let today = college_today();
        {
            let (_g, mut tx) = self.begin_write_pub().await?;
            let mut s = Sql::default();
            let p = s.bind(Bind::Int(Some(student)));
            s.text = format!("student_id = {p} ORDER BY student_rank, id");
            let apps = self.select(&mut *tx, &ORDER_APPLICATIONS, s).await?;
            let existing: Vec<(i64, i64)> = apps
                .iter()
                .map(|a| {
                    (
                        int(a, "order_class_id").unwrap_or(0),
                        int(a, "student_rank").unwrap_or(0),
                    )
                })
                .collect();
            let mut all: Vec<i64> = ids.to_vec();
            all.extend(existing.iter().map(|(c, _)| *c));
            all.sort_unstable();
            all.dedup();
            let facts = self.class_facts(&mut tx, &all).await?;
            let me = self.one_student_facts(&mut tx, student).await?;
            let grade = apps.iter().rev().find_map(|a| int(a, "grade_average"));
            oc::check_choices(
                ids,
                &existing,
                &facts,
                &me,
                grade,
                &today,
                oc::MAX_APPLICATIONS,
            )
            .map_err(StoreError::Invalid)?;
            let now = skillbridge_core::dates::now();
            for a in &apps {
                let c = int(a, "order_class_id").unwrap_or(0);
                let id = int(a, "id").unwrap_or(0);
                let mut s = Sql::default();
                match ids.iter().position(|x| *x == c) {
                    None => {
                        let p = s.bind(Bind::Int(Some(id)));
                        s.text = format!("DELETE FROM order_applications WHERE id = {p}");
                    }
                    // Kept: only its rank changes (a status set by staff, such as withdrawn, stays).
                    Some(i) => {
                        let r = s.bind(Bind::Int(Some(i as i64 + 1)));
                        let t = s.bind(Bind::Text(Some(now.clone())));
                        let p = s.bind(Bind::Int(Some(id)));
                        s.text = format!(
                            "UPDATE order_applications SET student_rank = {r}, updated_at = {t} WHERE id = {p}"
                        );
                    }
                }
                s.query()
                    .execute(&mut *tx)
                    .await
                    .map_err(crate::map_db_err)?;
            }
            for (i, c) in ids.iter().enumerate() {
                if existing.iter().any(|(e, _)| e == c) {
                    continue;
                }
                let mut rec = Map::new();
                rec.insert("student_id".into(), json!(student));
                rec.insert("order_class_id".into(), json!(c));
                rec.insert("student_rank".into(), json!(i + 1));
                rec.insert("grade_average".into(), json!(grade));
                rec.insert("status".into(), json!("submitted"));
                let rec = schema::validate(&ORDER_APPLICATIONS, &rec, None)
                    .map_err(StoreError::Invalid)?;
                crate::Store::insert_row(&mut tx, &ORDER_APPLICATIONS, &rec).await?;
            }
            let detail = ids
                .iter()
                .map(|c| format!("order_classes/{c}"))
                .collect::<Vec<_>>()
                .join(",");
            self.audit_in(
                &mut tx,
                actor,
                "apply",
                &format!("students/{student}/order_applications"),
                source,
                &detail,
            )
            .await?;
            tx.commit().await?;
        }
        self.my_choices(actor).await
    }

    /// The student accepts or declines their offer, before the run's deadline.
    pub async fn respond_offer(
        &self,
        actor: &Actor,
        offer_id: i64,
        accept: bool,
        source: &str,
    ) -> Result<Record> {
        let read = scopes(actor, Action::Read, "order_offers")?;
        let (_g, mut tx) = self.begin_write_pub().await?;
        let offer = self
            .fetch_scoped(&mut *tx, &ORDER_OFFERS, offer_id, &read)
            .await?
            .ok_or(StoreError::NotFound)?;
        // Only the student the offer is for may answer it.
        let student = own_student(actor, Action::Update)?;
        if int(&offer, "student_id") != Some(student) {
            return Err(StoreError::Denied);
        }
        if text(&offer, "status") != "offered" {
            return Err(StoreError::conflict(
                "already_decided",
                "该录取已答复过，不能再次确认或放弃",
                "this offer has already been answered",
            ));
        }
        let run = self
            .run_record(&mut tx, int(&offer, "allocation_run_id").unwrap_or(0))
            .await?;
        let today = college_today();
        if run["respond_by"]
            .as_str()
            .is_none_or(|d| today.as_str() > d)
        {
            return Err(invalid(
                "respond_by",
                "deadline_passed",
                "回复期限已过 / the deadline to respond has passed",
            ));
        }
        let status = if accept { "accepted" } else { "declined" };
        let mut s = Sql::default();
        let st = s.bind(Bind::Text(Some(status.into())));
        let now = s.bind(Bind::Text(Some(skillbridge_core::dates::now())));
        let p = s.bind(Bind::Int(Some(offer_id)));
        s.text = format!(
            "UPDATE order_offers SET status = {st}, decided_at = {now}, updated_at = {now} WHERE id = {p} AND status = 'offered'"
        );
        s.query().execute(&mut *tx).await?;
        self.audit_in(
            &mut tx,
            actor,
            if accept {
                "offer_accept"
            } else {
                "offer_decline"
            },
            &format!("order_offers/{offer_id}"),
            source,
            "",
        )
        .await?;
        let rec = self
            .fetch_scoped(&mut *tx, &ORDER_OFFERS, offer_id, &read)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(rec)
    }

    // ---- Sponsors ------------------------------------------------------------------------

    /// The applicants of one order class, for scoring: number, name, program and cohort of each
    /// student with their application; no personal identifiers.
    pub async fn applicants(&self, actor: &Actor, class_id: i64) -> Result<Value> {
        let class_scopes = scopes(actor, Action::Read, "order_classes")?;
        let class = self
            .fetch_scoped(&self.pool, &ORDER_CLASSES, class_id, &class_scopes)
            .await?
            .ok_or(StoreError::NotFound)?;
        let score_scopes = scopes(actor, Action::Read, "order_scores")?;
        let mut s = Sql::default();
        let c = crate::scope::clause("order_scores", &score_scopes, &mut s);
        let p = s.bind(Bind::Int(Some(class_id)));
        s.text = format!(
            "SELECT a.id, a.student_id, a.student_rank, a.grade_average, a.interview_score, a.enterprise_rank, a.status, \
             st.student_no, st.name, st.entry_year, pr.name \
             FROM order_applications a JOIN students st ON st.id = a.student_id JOIN programs pr ON pr.id = st.program_id \
             WHERE a.order_class_id = {p} AND a.id IN (SELECT id FROM order_applications WHERE {c}) \
             ORDER BY a.enterprise_rank IS NULL, a.enterprise_rank, a.interview_score DESC, st.student_no"
        );
        let mut items = Vec::new();
        for r in s.query().fetch_all(&self.pool).await? {
            items.push(json!({
                "id": r.try_get::<i64, _>(0)?,
                "student_id": r.try_get::<i64, _>(1)?,
                "student_rank": r.try_get::<i64, _>(2)?,
                "grade_average": r.try_get::<Option<i64>, _>(3)?,
                "interview_score": r
                    .try_get::<Option<i64>, _>(4)?
                    .map_or(Value::Null, |n| score_kind().from_stored_int(n)),
                "enterprise_rank": r.try_get::<Option<i64>, _>(5)?,
                "status": r.try_get::<String, _>(6)?,
                "student_no": r.try_get::<String, _>(7)?,
                "student_name": r.try_get::<String, _>(8)?,
                "entry_year": r.try_get::<i64, _>(9)?,
                "program_name": r.try_get::<String, _>(10)?,
            }));
        }
        Ok(json!({"order_class": class, "applicants": items}))
    }

    /// Enters interview scores and enterprise ranks for applicants of one class (not after the
    /// class's allocation is published).
    pub async fn set_scores(
        &self,
        actor: &Actor,
        class_id: i64,
        entries: &[ScoreInput],
        source: &str,
    ) -> Result<Value> {
        let class_scopes = scopes(actor, Action::Read, "order_classes")?;
        let class = self
            .fetch_scoped(&self.pool, &ORDER_CLASSES, class_id, &class_scopes)
            .await?
            .ok_or(StoreError::NotFound)?;
        let update = scopes(actor, Action::Update, "order_scores")?;
        if text(&class, "status") == "published" {
            return Err(invalid(
                "order_class_id",
                "published",
                "该订单班的录取结果已发布 / the allocation of this order class is published",
            ));
        }
        let score_field = ORDER_APPLICATIONS.field("interview_score").expect("field");
        let rank_field = ORDER_APPLICATIONS.field("enterprise_rank").expect("field");
        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let sc = schema::parse_value(score_field, &e.interview_score);
            let rk = schema::parse_value(rank_field, &e.enterprise_rank);
            match (sc, rk) {
                (Ok(sc), Ok(rk)) => parsed.push((
                    e.application_id,
                    score_field.kind.stored_int(&sc),
                    rk.as_i64(),
                )),
                (a, b) => {
                    for err in [a.err(), b.err()].into_iter().flatten() {
                        let field = format!("scores[{i}].{}", err.field);
                        errors.push(err.on(field));
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let (_g, mut tx) = self.begin_write_pub().await?;
        let now = skillbridge_core::dates::now();
        for (i, (app_id, score, rank)) in parsed.iter().enumerate() {
            let mut s = Sql::default();
            let sc = s.bind(Bind::Int(*score));
            let rk = s.bind(Bind::Int(*rank));
            let t = s.bind(Bind::Text(Some(now.clone())));
            let id = s.bind(Bind::Int(Some(*app_id)));
            let c = s.bind(Bind::Int(Some(class_id)));
            let w = crate::scope::clause("order_scores", &update, &mut s);
            s.text = format!(
                "UPDATE order_applications SET interview_score = {sc}, enterprise_rank = {rk}, updated_at = {t} \
                 WHERE id = {id} AND order_class_id = {c} AND id IN (SELECT id FROM order_applications WHERE {w})"
            );
            let n = s.query().execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                // Not an applicant of this class that the actor may score: nothing is written.
                return Err(StoreError::Invalid(vec![FieldError::new(
                    &format!("scores[{i}].application_id"),
                    "not_found",
                    "no such application of this order class",
                )]));
            }
        }
        self.audit_in(
            &mut tx,
            actor,
            "score",
            &format!("order_classes/{class_id}"),
            source,
            &format!("{} applicants", parsed.len()),
        )
        .await?;
        tx.commit().await?;
        self.applicants(actor, class_id).await
    }

    // ---- Staff: runs -----------------------------------------------------------------------

    /// Runs the mechanism over the given order classes and stores the run as a draft. `seed`
    /// is the college-wide tie-break's seed; a fresh one is drawn when not given. Audited with
    /// the seed.
    pub async fn run_allocation(
        &self,
        actor: &Actor,
        class_ids: &[i64],
        seed: Option<u64>,
        source: &str,
    ) -> Result<Record> {
        scopes(actor, Action::Create, "allocation")?;
        if class_ids.is_empty() {
            return Err(invalid(
                "order_class_ids",
                "required",
                "name at least one order class",
            ));
        }
        let mut ids = class_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let seed = seed.unwrap_or_else(fresh_seed);
        let (_g, mut tx) = self.begin_write_pub().await?;
        let facts = self.class_facts(&mut tx, &ids).await?;
        check_allocatable(&ids, &facts)?;
        let (apps, students) = self.applications_of(&mut tx, &ids).await?;
        let classes: Vec<ClassFacts> = facts.values().cloned().collect();
        let built = oc::build_instance(&classes, &students, &apps, seed);
        let m = matching::solve(&built.instance).map_err(|e| StoreError::Config(e.to_string()))?;
        if let Err(v) = matching::check_stability(&built.instance, &m) {
            return Err(StoreError::Config(format!(
                "the engine returned an unstable matching: {v:?}"
            )));
        }
        let names = classes
            .iter()
            .map(|c| (oc::cid(c.id), c.name.clone()))
            .collect();
        let result = RunResult {
            matching: m,
            not_acceptable: built.not_acceptable.clone(),
            names,
            declined: BTreeSet::new(),
            accepted: BTreeMap::new(),
        };
        let id = self
            .insert_run(&mut tx, actor, &ids, seed, &built, &result, 0, None)
            .await?;
        let now = skillbridge_core::dates::now();
        set_class_status(
            &mut tx,
            &ids,
            "allocated",
            " AND status IN ('open', 'closed')",
            &now,
        )
        .await?;
        let placed = result.matching.assignments.values().flatten().count();
        let detail = format!(
            "seed {seed}; order classes {}; placed {placed} of {}",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
            result.matching.assignments.len()
        );
        self.finish_run_change(tx, actor, "allocate", id, source, &detail)
            .await
    }

    /// The applications to the given order classes and the facts of their applicants.
    async fn applications_of(
        &self,
        tx: &mut Tx,
        ids: &[i64],
    ) -> Result<(Vec<AppFacts>, BTreeMap<i64, StudentFacts>)> {
        let mut s = Sql::default();
        let list = in_list(&mut s, ids);
        s.text = format!("order_class_id IN ({list}) ORDER BY id");
        let apps: Vec<AppFacts> = self
            .select(&mut **tx, &ORDER_APPLICATIONS, s)
            .await?
            .iter()
            .map(app_facts)
            .collect();
        let mut s = Sql::default();
        let list = in_list(&mut s, ids);
        s.text = format!(
            "id IN (SELECT student_id FROM order_applications WHERE order_class_id IN ({list}))"
        );
        let students = self.student_facts(tx, s).await?;
        Ok((apps, students))
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_run(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        ids: &[i64],
        seed: u64,
        built: &Built,
        result: &RunResult,
        round: i64,
        refills: Option<i64>,
    ) -> Result<i64> {
        let mut rec = Map::new();
        rec.insert("run_by".into(), json!(actor.username));
        rec.insert("seed".into(), json!(seed.to_string()));
        rec.insert(
            "order_class_ids".into(),
            json!(ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")),
        );
        rec.insert(
            "instance_json".into(),
            json!(serde_json::to_string(&built.instance)
                .map_err(|e| StoreError::Config(e.to_string()))?),
        );
        rec.insert(
            "result_json".into(),
            json!(serde_json::to_string(result).map_err(|e| StoreError::Config(e.to_string()))?),
        );
        rec.insert("status".into(), json!("draft"));
        rec.insert("refill_round".into(), json!(round));
        rec.insert("refills_id".into(), json!(refills));
        let rec = schema::validate(&ALLOCATION_RUNS, &rec, None).map_err(StoreError::Invalid)?;
        crate::Store::insert_row(tx, &ALLOCATION_RUNS, &rec).await
    }

    async fn readable_run(&self, actor: &Actor, run_id: i64) -> Result<Record> {
        let read = scopes(actor, Action::Read, "allocation_runs")?;
        self.fetch_scoped(&self.pool, &ALLOCATION_RUNS, run_id, &read)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Reruns the stability check on the stored snapshot of a run.
    pub async fn check_run(&self, actor: &Actor, run_id: i64) -> Result<CheckOutcome> {
        let run = self.readable_run(actor, run_id).await?;
        let (built, result) = parse_run(&run)?;
        let verdict = matching::check_stability(&built.instance, &result.matching);
        Ok(CheckOutcome {
            run_id,
            stable: verdict.is_ok(),
            violations: verdict.err().unwrap_or_default(),
            students: result.matching.assignments.len(),
            placed: result.matching.assignments.values().flatten().count(),
        })
    }

    /// A run for review: each student with their result and its explanation (Chinese and
    /// English), each class with its seats and how many were placed, the offers once published,
    /// and the stability check rerun on the snapshot.
    pub async fn review_run(&self, actor: &Actor, run_id: i64) -> Result<Value> {
        let run = self.readable_run(actor, run_id).await?;
        let (built, result) = parse_run(&run)?;
        let voice = oc::Voice::for_viewer(actor);
        let ex = oc::explanations_in(&built, &result.matching, &result.names, voice);
        let ids: Vec<i64> = built
            .instance
            .students
            .keys()
            .filter_map(|s| oc::record_id(s))
            .collect();
        let names = self.student_rows(&ids).await?;
        let mut s = Sql::default();
        let p = s.bind(Bind::Int(Some(run_id)));
        s.text = format!("allocation_run_id = {p} ORDER BY id");
        let offers = self.select(&self.pool, &ORDER_OFFERS, s).await?;
        let offer_of: BTreeMap<i64, &Record> = offers
            .iter()
            .filter_map(|o| int(o, "student_id").map(|s| (s, o)))
            .collect();
        let mut students = Vec::new();
        for (sid, list) in &built.instance.students {
            let id = oc::record_id(sid).unwrap_or(0);
            let assigned = result.matching.assignments.get(sid).cloned().flatten();
            let choice = assigned
                .as_ref()
                .and_then(|p| list.iter().position(|x| x == p))
                .map(|i| i + 1);
            let (no, name, program) = names.get(&id).cloned().unwrap_or_default();
            let offer = offer_of.get(&id);
            students.push(json!({
                "student_id": id,
                "student_no": no,
                "name": name,
                "program_id": program,
                "choices": list.iter().map(|p| json!({"order_class_id": oc::record_id(p), "name": result.names.get(p)})).collect::<Vec<_>>(),
                "order_class_id": assigned.as_deref().and_then(oc::record_id),
                "order_class_name": assigned.as_ref().and_then(|p| result.names.get(p)),
                "choice": choice,
                "offer_status": offer.map(|o| text(o, "status")),
                "offer_id": offer.and_then(|o| int(o, "id")),
                "reasons": ex.get(sid).cloned().unwrap_or_default(),
            }));
        }
        let classes: Vec<Value> = built
            .instance
            .positions
            .iter()
            .map(|(p, pos)| {
                let placed = result
                    .matching
                    .assignments
                    .values()
                    .filter(|a| a.as_deref() == Some(p.as_str()))
                    .count();
                json!({
                    "order_class_id": oc::record_id(p),
                    "name": result.names.get(p),
                    "seats": pos.capacity,
                    "ranked": pos.ranking.len(),
                    "placed": placed,
                })
            })
            .collect();
        let verdict = matching::check_stability(&built.instance, &result.matching);
        let mut head = run.clone();
        head.remove("instance_json");
        head.remove("result_json");
        Ok(json!({
            "run": head,
            "classes": classes,
            "students": students,
            "not_acceptable": built.not_acceptable.iter().map(|e| json!({
                "student_id": oc::record_id(&e.student), "order_class_id": oc::record_id(&e.position),
                "code": e.reason.code(), "zh": e.reason.text_zh(), "en": e.reason.text_en(),
            })).collect::<Vec<_>>(),
            "check": {"stable": verdict.is_ok(), "violations": verdict.err().unwrap_or_default()},
        }))
    }

    /// A run's review with its students searched (`q`: student number or name), filtered by
    /// outcome and program, and paged; `total` counts the students that match, `students_total`
    /// all of the run's, and `programs` lists the programs of the run's students (for the
    /// filter). Without a `limit` every matching student is listed.
    pub async fn review_run_filtered(
        &self,
        actor: &Actor,
        run_id: i64,
        f: &ReviewFilter,
    ) -> Result<Value> {
        let outcome = f.outcome.as_deref().filter(|o| !o.is_empty());
        if let Some(o) = outcome {
            if !REVIEW_OUTCOMES.contains(&o) {
                return Err(StoreError::Invalid(vec![FieldError::new(
                    "outcome",
                    "invalid",
                    format!("must be one of {}", REVIEW_OUTCOMES.join(", ")),
                )]));
            }
        }
        let mut review = self.review_run(actor, run_id).await?;
        let all = match review["students"].take() {
            Value::Array(a) => a,
            _ => Vec::new(),
        };
        let mut program_ids: Vec<i64> = all
            .iter()
            .filter_map(|s| s["program_id"].as_i64())
            .collect();
        program_ids.sort_unstable();
        program_ids.dedup();
        let mut programs = Vec::new();
        for chunk in program_ids.chunks(500) {
            let mut s = Sql::default();
            let list = in_list(&mut s, chunk);
            s.text = format!("SELECT id, name FROM programs WHERE id IN ({list}) ORDER BY name");
            for r in s.query().fetch_all(&self.pool).await? {
                programs.push(
                    json!({"id": r.try_get::<i64, _>(0)?, "name": r.try_get::<String, _>(1)?}),
                );
            }
        }
        let q =
            f.q.as_deref()
                .map(|q| skillbridge_core::ids::normalize_text(q).to_lowercase())
                .filter(|q| !q.is_empty());
        let total_all = all.len();
        let matching: Vec<Value> = all
            .into_iter()
            .filter(|s| {
                let text = |k: &str| s[k].as_str().unwrap_or("").to_lowercase();
                q.as_ref()
                    .is_none_or(|q| text("student_no").contains(q) || text("name").contains(q))
            })
            .filter(|s| {
                f.program_id
                    .is_none_or(|p| s["program_id"].as_i64() == Some(p))
            })
            .filter(|s| match outcome {
                None => true,
                Some("placed") => !s["order_class_id"].is_null(),
                Some("unplaced") => s["order_class_id"].is_null(),
                Some(status) => s["offer_status"].as_str() == Some(status),
            })
            .collect();
        let total = matching.len();
        let offset = f.offset.unwrap_or(0);
        let page: Vec<Value> = match f.limit {
            Some(limit) => matching
                .into_iter()
                .skip(offset)
                .take(limit.min(500))
                .collect(),
            None => matching.into_iter().skip(offset).collect(),
        };
        review["students"] = Value::Array(page);
        review["total"] = json!(total);
        review["students_total"] = json!(total_all);
        review["programs"] = Value::Array(programs);
        Ok(review)
    }

    /// Publishes a draft run: offers are made (for a refill: changed where the refill moved
    /// someone, see `order_class::offer_changes`), the classes become published, and students
    /// may answer until `respond_by`.
    pub async fn publish_run(
        &self,
        actor: &Actor,
        run_id: i64,
        respond_by: &str,
        source: &str,
    ) -> Result<Record> {
        scopes(actor, Action::Create, "allocation")?;
        let respond_by = parse_respond_by(respond_by)?;
        let (_g, mut tx) = self.begin_write_pub().await?;
        let run = self.run_record(&mut tx, run_id).await?;
        if text(&run, "status") != "draft" {
            return Err(already_published());
        }
        let (built, result) = parse_run(&run)?;
        let ids = run_class_ids(&run);
        // The live offers of these classes: none for a first run, the chain's for a refill.
        let live = self
            .class_offers(&mut tx, &ids, "'offered', 'accepted'")
            .await?;
        self.check_publishable(&mut tx, &run, run_id, &live).await?;
        let now = skillbridge_core::dates::now();
        let (made, superseded) = self
            .apply_offer_changes(&mut tx, run_id, &built, &result.matching, &live, &now)
            .await?;
        let mut s = Sql::default();
        let t = s.bind(Bind::Text(Some(now.clone())));
        let rb = s.bind(Bind::Text(Some(respond_by.clone())));
        let p = s.bind(Bind::Int(Some(run_id)));
        s.text = format!(
            "UPDATE allocation_runs SET status = 'published', published_at = {t}, respond_by = {rb}, updated_at = {t} WHERE id = {p}"
        );
        s.query().execute(&mut *tx).await?;
        set_class_status(&mut tx, &ids, "published", "", &now).await?;
        let detail =
            format!("offers made {made}, superseded {superseded}; respond by {respond_by}");
        self.finish_run_change(tx, actor, "publish", run_id, source, &detail)
            .await
    }

    /// A first run is published once; a refill only while it is the newest published run of
    /// its chain (no other refill of the same parent has been published).
    async fn check_publishable(
        &self,
        tx: &mut Tx,
        run: &Record,
        run_id: i64,
        live: &[Record],
    ) -> Result<()> {
        let taken = match int(run, "refills_id") {
            None => !live.is_empty(),
            Some(parent) => {
                self.published_refill_exists(tx, parent, Some(run_id))
                    .await?
            }
        };
        if taken {
            return Err(already_published());
        }
        Ok(())
    }

    /// Writes what `offer_changes` decides between the live offers and a run's matching:
    /// superseded offers are closed, new ones made. Returns how many were made and superseded.
    async fn apply_offer_changes(
        &self,
        tx: &mut Tx,
        run_id: i64,
        built: &Built,
        matching: &Matching,
        live: &[Record],
        now: &str,
    ) -> Result<(usize, usize)> {
        let current = offer_places(live);
        let live_id: BTreeMap<String, i64> = live
            .iter()
            .map(|o| {
                (
                    oc::sid(int(o, "student_id").unwrap_or(0)),
                    int(o, "id").unwrap_or(0),
                )
            })
            .collect();
        let (mut made, mut superseded) = (0usize, 0usize);
        for change in oc::offer_changes(&current, matching) {
            let (student, position, old) = match change {
                OfferChange::Keep { .. } => continue,
                OfferChange::New {
                    student,
                    position,
                    supersedes,
                } => (student, Some(position), supersedes.map(|_| ())),
                OfferChange::Withdraw { student, .. } => (student, None, Some(())),
            };
            if old.is_some() {
                let mut s = Sql::default();
                let t = s.bind(Bind::Text(Some(now.to_string())));
                let p = s.bind(Bind::Int(live_id.get(&student).copied()));
                s.text = format!(
                    "UPDATE order_offers SET status = 'superseded', decided_at = {t}, updated_at = {t} WHERE id = {p}"
                );
                s.query().execute(&mut **tx).await?;
                superseded += 1;
            }
            if let Some(position) = position {
                insert_offer(tx, run_id, built, &student, &position).await?;
                made += 1;
            }
        }
        Ok((made, superseded))
    }

    /// Refills a published run after offers were declined: a new draft run over the same
    /// instance without the decliners, in which nobody who accepted is placed worse.
    pub async fn refill_run(&self, actor: &Actor, run_id: i64, source: &str) -> Result<Record> {
        scopes(actor, Action::Create, "allocation")?;
        let (_g, mut tx) = self.begin_write_pub().await?;
        let run = self.run_record(&mut tx, run_id).await?;
        if text(&run, "status") != "published" {
            return Err(invalid(
                "run",
                "not_published",
                "only a published allocation can be refilled",
            ));
        }
        if self.published_refill_exists(&mut tx, run_id, None).await? {
            return Err(StoreError::conflict(
                "already_refilled",
                "该分配已补录过，请在最新一轮补录结果上继续",
                "this allocation has already been refilled; refill the newest round instead",
            ));
        }
        let (built, parent_result) = parse_run(&run)?;
        let ids = run_class_ids(&run);
        let decided = self
            .class_offers(&mut tx, &ids, "'declined', 'accepted'")
            .await?;
        let in_run = |s: &String| built.instance.students.contains_key(s);
        let declined: BTreeSet<String> = decided
            .iter()
            .filter(|o| text(o, "status") == "declined")
            .map(|o| oc::sid(int(o, "student_id").unwrap_or(0)))
            .filter(in_run)
            .collect();
        if declined.is_empty() {
            return Err(invalid(
                "run",
                "nothing_to_refill",
                "no offer of this allocation has been declined",
            ));
        }
        let accepted: Vec<Record> = decided
            .into_iter()
            .filter(|o| text(o, "status") == "accepted")
            .collect();
        let mut accepted = offer_places(&accepted);
        accepted.retain(|s, _| in_run(s));
        let refilled = oc::refill(&built, &declined, &accepted)
            .map_err(|e| StoreError::Config(e.to_string()))?;
        if let Err(v) = matching::check_stability(&refilled.built.instance, &refilled.matching) {
            return Err(StoreError::Config(format!(
                "the refill is not stable: {v:?}"
            )));
        }
        let round = int(&run, "refill_round").unwrap_or(0) + 1;
        let detail = format!(
            "refills allocation_runs/{run_id}; round {round}; without {} decliners",
            declined.len()
        );
        let result = RunResult {
            matching: refilled.matching,
            not_acceptable: refilled.built.not_acceptable.clone(),
            names: parent_result.names,
            declined,
            accepted,
        };
        let id = self
            .insert_run(
                &mut tx,
                actor,
                &ids,
                oc::parse_seed(text(&run, "seed")).unwrap_or(0),
                &refilled.built,
                &result,
                round,
                Some(run_id),
            )
            .await?;
        self.finish_run_change(tx, actor, "refill", id, source, &detail)
            .await
    }

    /// The offers of the given order classes whose status is one of `statuses` (an SQL list of
    /// literals written in this file), oldest first.
    async fn class_offers(
        &self,
        tx: &mut Tx,
        ids: &[i64],
        statuses: &'static str,
    ) -> Result<Vec<Record>> {
        let mut s = Sql::default();
        let list = in_list(&mut s, ids);
        s.text = format!("order_class_id IN ({list}) AND status IN ({statuses}) ORDER BY id");
        self.select(&mut **tx, &ORDER_OFFERS, s).await
    }

    /// Whether a refill of `parent` (other than `except`) has been published.
    async fn published_refill_exists(
        &self,
        tx: &mut Tx,
        parent: i64,
        except: Option<i64>,
    ) -> Result<bool> {
        let mut s = Sql::default();
        let p = s.bind(Bind::Int(Some(parent)));
        s.text = format!("refills_id = {p} AND status = 'published'");
        if let Some(me) = except {
            let me = s.bind(Bind::Int(Some(me)));
            s.text.push_str(&format!(" AND id <> {me}"));
        }
        Ok(!self
            .select(&mut **tx, &ALLOCATION_RUNS, s)
            .await?
            .is_empty())
    }

    /// The last step of every change to a run: its audit entry, then the run as it now stands,
    /// read inside the transaction, which then commits.
    async fn finish_run_change(
        &self,
        mut tx: Tx,
        actor: &Actor,
        action: &str,
        run_id: i64,
        source: &str,
        detail: &str,
    ) -> Result<Record> {
        self.audit_in(
            &mut tx,
            actor,
            action,
            &format!("allocation_runs/{run_id}"),
            source,
            detail,
        )
        .await?;
        let rec = self.run_record(&mut tx, run_id).await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// The rows of a run's results for a spreadsheet: student number and name, the class placed
    /// in, the choice, the offer's status and the explanation in both languages. Audited as an
    /// export.
    pub async fn export_run(
        &self,
        actor: &Actor,
        run_id: i64,
        source: &str,
    ) -> Result<Vec<Record>> {
        let review = self.review_run(actor, run_id).await?;
        let mut rows = Vec::new();
        for s in review["students"].as_array().into_iter().flatten() {
            let reasons = s["reasons"].as_array().cloned().unwrap_or_default();
            let join = |k: &str| {
                reasons
                    .iter()
                    .filter_map(|r| r[k].as_str())
                    .collect::<Vec<_>>()
                    .join("；")
            };
            let mut r = Map::new();
            r.insert("student_no".into(), s["student_no"].clone());
            r.insert("name".into(), s["name"].clone());
            r.insert("order_class".into(), s["order_class_name"].clone());
            r.insert(
                "choice".into(),
                s["choice"]
                    .as_i64()
                    .map(|c| json!(c.to_string()))
                    .unwrap_or(Value::Null),
            );
            r.insert("offer_status".into(), s["offer_status"].clone());
            r.insert("explanation_zh".into(), json!(join("zh")));
            r.insert("explanation_en".into(), json!(join("en")));
            rows.push(r);
        }
        self.audit(event(
            actor,
            "export",
            &format!("allocation_runs/{run_id}"),
            source,
            &format!("{} rows", rows.len()),
        ))
        .await?;
        Ok(rows)
    }
}

/// Only open, closed or allocated (not yet published) order classes are allocated; every id
/// must name one.
fn check_allocatable(ids: &[i64], facts: &BTreeMap<i64, ClassFacts>) -> Result<()> {
    let mut errors = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        match facts.get(id) {
            None => errors.push(FieldError::new(
                &format!("order_class_ids[{i}]"),
                "not_found",
                "no such order class",
            )),
            Some(f) if !matches!(f.status.as_str(), "open" | "closed" | "allocated") => {
                errors.push(FieldError::new(
                    &format!("order_class_ids[{i}]"),
                    "not_allowed",
                    format!(
                        "{} is {}: only open, closed or allocated (not yet published) order classes are allocated",
                        f.name, f.status
                    ),
                ))
            }
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    Ok(())
}

/// The answer-by date of a publication: a valid date, not in the past.
fn parse_respond_by(respond_by: &str) -> Result<String> {
    let date_field = ALLOCATION_RUNS.field("respond_by").expect("field");
    let respond_by = schema::parse_value(
        &schema::Field {
            required: true,
            ..*date_field
        },
        &json!(respond_by),
    )
    .map_err(|e| StoreError::Invalid(vec![e]))?;
    let respond_by = respond_by.as_str().unwrap_or_default().to_string();
    if respond_by < college_today() {
        return Err(invalid(
            "respond_by",
            "in_the_past",
            "must not be in the past",
        ));
    }
    Ok(respond_by)
}

/// The ids of the order classes a run covers.
fn run_class_ids(run: &Record) -> Vec<i64> {
    text(run, "order_class_ids")
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// Where each offer places its student: matching ids of the student and the order class.
fn offer_places(offers: &[Record]) -> BTreeMap<String, String> {
    offers
        .iter()
        .map(|o| {
            (
                oc::sid(int(o, "student_id").unwrap_or(0)),
                oc::cid(int(o, "order_class_id").unwrap_or(0)),
            )
        })
        .collect()
}

/// Makes a run's offer of `position` to `student`, with the rank of that choice on the
/// student's list.
async fn insert_offer(
    tx: &mut Tx,
    run_id: i64,
    built: &Built,
    student: &str,
    position: &str,
) -> Result<()> {
    let choice = built
        .instance
        .students
        .get(student)
        .and_then(|l| l.iter().position(|p| p.as_str() == position))
        .map(|i| i as i64 + 1);
    let mut rec = Map::new();
    rec.insert("allocation_run_id".into(), json!(run_id));
    rec.insert("student_id".into(), json!(oc::record_id(student)));
    rec.insert("order_class_id".into(), json!(oc::record_id(position)));
    rec.insert("choice".into(), json!(choice));
    rec.insert("status".into(), json!("offered"));
    let rec = schema::validate(&ORDER_OFFERS, &rec, None).map_err(StoreError::Invalid)?;
    Store::insert_row(tx, &ORDER_OFFERS, &rec).await?;
    Ok(())
}

/// Moves the given order classes to `status` (a literal of this file), where `condition` (SQL
/// written in this file, or empty) holds.
async fn set_class_status(
    tx: &mut Tx,
    ids: &[i64],
    status: &'static str,
    condition: &'static str,
    at: &str,
) -> Result<()> {
    let mut s = Sql::default();
    let t = s.bind(Bind::Text(Some(at.to_string())));
    let list = in_list(&mut s, ids);
    s.text = format!(
        "UPDATE order_classes SET status = '{status}', updated_at = {t} WHERE id IN ({list}){condition}"
    );
    s.query().execute(&mut **tx).await?;
    Ok(())
}

/// The instance and result stored with a run.
fn parse_run(run: &Record) -> Result<(Built, RunResult)> {
    let instance = serde_json::from_str(text(run, "instance_json"))
        .map_err(|e| StoreError::Config(format!("stored instance: {e}")))?;
    let result: RunResult = serde_json::from_str(text(run, "result_json"))
        .map_err(|e| StoreError::Config(format!("stored result: {e}")))?;
    Ok((
        Built {
            instance,
            not_acceptable: result.not_acceptable.clone(),
        },
        result,
    ))
}

/// A fresh seed for a run's tie-break, from the clock and the process (recorded with the run;
/// its only job is to be unpredictable before the run, and it is published after).
fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let h =
        skillbridge_core::audit::sha256_hex(format!("{nanos}:{}", std::process::id()).as_bytes());
    u64::from_str_radix(&h[..16], 16).unwrap_or(nanos as u64)
}

/// The columns of a results export, as a record description so that the spreadsheet writer can
/// write it like any export (not a table: it is never stored or imported).
pub static ALLOCATION_RESULTS: ResourceDef = ResourceDef {
    name: "allocation_results",
    table: "",
    zh: "订单班录取结果",
    en: "Order class allocation results",
    fields: &[
        schema::Field {
            name: "student_no",
            zh: "学号",
            en: "Student number",
            kind: schema::Kind::Text { max: 20 },
            required: true,
            unique: false,
            pii: schema::Pii::None,
            aliases: &[],
            cohort: schema::Cohort::None,
        },
        schema::Field {
            name: "name",
            zh: "姓名",
            en: "Name",
            kind: schema::Kind::Text { max: 50 },
            required: true,
            unique: false,
            pii: schema::Pii::None,
            aliases: &[],
            cohort: schema::Cohort::None,
        },
        schema::Field {
            name: "order_class",
            zh: "录取订单班",
            en: "Order class placed in",
            kind: schema::Kind::Text { max: 100 },
            required: false,
            unique: false,
            pii: schema::Pii::None,
            aliases: &[],
            cohort: schema::Cohort::None,
        },
        schema::Field {
            name: "choice",
            zh: "志愿序号",
            en: "Choice",
            kind: schema::Kind::Text { max: 4 },
            required: false,
            unique: false,
            pii: schema::Pii::None,
            aliases: &[],
            cohort: schema::Cohort::None,
        },
        schema::Field {
            name: "offer_status",
            zh: "录取状态",
            en: "Offer status",
            kind: schema::Kind::Text { max: 20 },
            required: false,
            unique: false,
            pii: schema::Pii::None,
            aliases: &[],
            cohort: schema::Cohort::None,
        },
        schema::Field {
            name: "explanation_zh",
            zh: "说明",
            en: "Explanation (Chinese)",
            kind: schema::Kind::Text { max: 4000 },
            required: false,
            unique: false,
            pii: schema::Pii::None,
            aliases: &[],
            cohort: schema::Cohort::None,
        },
        schema::Field {
            name: "explanation_en",
            zh: "说明（英文）",
            en: "Explanation",
            kind: schema::Kind::Text { max: 4000 },
            required: false,
            unique: false,
            pii: schema::Pii::None,
            aliases: &[],
            cohort: schema::Cohort::None,
        },
    ],
    search: &[],
    order: "student_no",
    ..ResourceDef::NEW
};
