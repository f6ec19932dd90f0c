//! The store half of joint talent-cultivation plans (issue 12 §2): the plans' row scopes, the
//! freeze (a plan and its courses and signatories are written only while the plan is a draft),
//! and the procedure: submit, co-sign, approve (the checks of `core::modules::plans` block it
//! unless the approver records an exception), copy as the next version or the next cohort's
//! plan, and a new draft from an imported sheet. Every step is audited in its transaction.

use super::{store_view, HookFuture, StoreModule, Tx, WriteHooks};
use crate::records::{Bind, Sql};
use crate::{Result, StoreError};
use serde_json::{json, Map, Value};
use skillbridge_core::access::{actor_scopes, Action, Actor, Role, RowScope};
use skillbridge_core::modules::plans::{
    check_plan_courses, may_approve, Course, PlanRules, APPROVAL, PLANS, PLAN_COURSES,
    PLAN_SIGNATORIES, SIGNING,
};
use skillbridge_core::schema::{self, FieldError, Record, ResourceDef};
use sqlx::Row;

store_view!(
    /// The plans' procedure: submit, co-sign, approve, copy, import; their courses as the
    /// checks and the diff see them.
    Plans,
    plans
);

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::plans::MODULE,
    scope_sql,
    hooks: &PlanHooks,
};

/// The condition over `plans` for one scope.
fn plan_cond(scope: RowScope, sql: &mut Sql) -> Option<String> {
    let int = |sql: &mut Sql, v: i64| sql.bind(Bind::Int(Some(v)));
    match scope {
        RowScope::School(s) => Some(format!(
            "program_id IN (SELECT id FROM programs WHERE school_id = {})",
            int(sql, s)
        )),
        RowScope::Teacher(t) => Some(format!("lead_staff_id = {}", int(sql, t))),
        RowScope::Org(o) => {
            let p = int(sql, o);
            Some(format!(
                "(id IN (SELECT plan_id FROM plan_signatories WHERE contact_id IN \
                 (SELECT id FROM contacts WHERE org_id = {p})) \
                 OR id IN (SELECT plan_id FROM plan_courses WHERE org_id = {p}))"
            ))
        }
        RowScope::Mentor(c) => Some(format!(
            "id IN (SELECT plan_id FROM plan_signatories WHERE contact_id = {})",
            int(sql, c)
        )),
        _ => None,
    }
}

fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    let cond = plan_cond(scope, sql)?;
    if resource == PLAN_COURSES.name || resource == PLAN_SIGNATORIES.name {
        Some(format!("plan_id IN (SELECT id FROM plans WHERE {cond})"))
    } else {
        Some(cond)
    }
}

fn frozen() -> StoreError {
    StoreError::conflict(
        "plan_frozen",
        "方案已提交或已批准，不能修改；需要修改请复制为新版本",
        "the plan has been submitted or approved and is frozen; copy it as a new version to change it",
    )
}

fn wrong_status(zh: &str, en: &str) -> StoreError {
    StoreError::conflict("plan_status", zh.to_string(), en.to_string())
}

async fn plan_status(tx: &mut Tx, plan: i64) -> Result<Option<String>> {
    Ok(sqlx::query("SELECT status FROM plans WHERE id = $1")
        .bind(plan)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get::<String, _>(0))
        .transpose()?)
}

/// Refuses a write of a plan's part unless the plan is a draft.
async fn draft_only(tx: &mut Tx, plan: i64) -> Result<()> {
    match plan_status(tx, plan).await?.as_deref() {
        Some("draft") | None => Ok(()),
        Some(_) => Err(frozen()),
    }
}

/// The plan a part (course or signatory) `id` belongs to.
async fn part_plan(tx: &mut Tx, def: &ResourceDef, id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query(&format!("SELECT plan_id FROM {} WHERE id = $1", def.table))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get::<i64, _>(0))
            .transpose()?,
    )
}

struct PlanHooks;

impl WriteHooks for PlanHooks {
    fn before_write<'a>(
        &'a self,
        _store: &'a crate::Store,
        tx: &'a mut Tx,
        def: &'a ResourceDef,
        rec: &'a Record,
        id: Option<i64>,
        _locked: &'a [i64],
    ) -> HookFuture<'a, ()> {
        Box::pin(async move {
            if def.name == PLANS.name {
                if let Some(id) = id {
                    draft_only(tx, id).await?;
                }
                return Ok(());
            }
            if def.name != PLAN_COURSES.name && def.name != PLAN_SIGNATORIES.name {
                return Ok(());
            }
            if let Some(id) = id {
                if let Some(p) = part_plan(tx, def, id).await? {
                    draft_only(tx, p).await?;
                }
            }
            if let Some(p) = rec.get("plan_id").and_then(Value::as_i64) {
                draft_only(tx, p).await?;
            }
            Ok(())
        })
    }

    fn before_delete<'a>(
        &'a self,
        _store: &'a crate::Store,
        tx: &'a mut Tx,
        def: &'a ResourceDef,
        id: i64,
    ) -> HookFuture<'a, ()> {
        Box::pin(async move {
            if def.name == PLANS.name {
                draft_only(tx, id).await
            } else if def.name == PLAN_COURSES.name || def.name == PLAN_SIGNATORIES.name {
                match part_plan(tx, def, id).await? {
                    Some(p) => draft_only(tx, p).await,
                    None => Ok(()),
                }
            } else {
                Ok(())
            }
        })
    }

    fn allows_unchecked_insert(&self, def: &ResourceDef) -> bool {
        !skillbridge_core::modules::plans::MODULE.owns(def.name)
    }
}

/// The display name of the acting user.
async fn display_name(tx: &mut Tx, actor: &Actor) -> Result<String> {
    let Some(id) = actor.user_id else {
        return Ok(actor.username.clone());
    };
    let name: Option<String> = sqlx::query("SELECT display_name FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    Ok(name.unwrap_or_else(|| actor.username.clone()))
}

/// A plan's courses, in semester and course-code order, as the checks see them.
async fn courses_in<'e, E>(ex: E, plan: i64) -> Result<Vec<Course>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT c.semester, c.course_code, c.course_name, c.theory_hours, c.practice_hours, \
         c.credits, c.course_type, c.nature, o.name, c.frontier_tags, c.skill_tags \
         FROM plan_courses c LEFT JOIN organisations o ON o.id = c.org_id \
         WHERE c.plan_id = $1 ORDER BY c.semester, c.course_code",
    )
    .bind(plan)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Course {
                semester: r.try_get(0)?,
                code: r.try_get(1)?,
                name: r.try_get(2)?,
                theory_hours: r.try_get(3)?,
                practice_hours: r.try_get(4)?,
                credits_tenths: r.try_get(5)?,
                course_type: r.try_get(6)?,
                nature: r.try_get(7)?,
                enterprise: r.try_get(8)?,
                frontier_tags: r.try_get::<Option<String>, _>(9)?.unwrap_or_default(),
                skill_tags: r.try_get::<Option<String>, _>(10)?.unwrap_or_default(),
            })
        })
        .collect()
}

/// Sets some columns of a plan.
async fn set_plan(tx: &mut Tx, id: i64, values: &[(&str, Option<String>)]) -> Result<()> {
    let mut s = Sql::default();
    let mut sets: Vec<String> = values
        .iter()
        .map(|(k, v)| format!("{k} = {}", s.bind(Bind::Text(v.clone()))))
        .collect();
    sets.push(format!(
        "updated_at = {}",
        s.bind(Bind::Text(Some(skillbridge_core::dates::now())))
    ));
    let p = s.bind(Bind::Int(Some(id)));
    s.text = format!("UPDATE plans SET {} WHERE id = {p}", sets.join(", "));
    s.query().execute(&mut **tx).await?;
    Ok(())
}

/// The fields of a course record in the form the generic paths take.
pub fn course_input(plan: i64, c: &Course, org_id: Option<i64>) -> Map<String, Value> {
    let credits = schema::decimal_value(c.credits_tenths, 1);
    let mut m = Map::new();
    m.insert("plan_id".into(), json!(plan));
    m.insert("semester".into(), json!(c.semester));
    m.insert("course_code".into(), json!(c.code));
    m.insert("course_name".into(), json!(c.name));
    m.insert("theory_hours".into(), json!(c.theory_hours));
    m.insert("practice_hours".into(), json!(c.practice_hours));
    m.insert("credits".into(), credits);
    m.insert("course_type".into(), json!(c.course_type));
    m.insert("nature".into(), json!(c.nature));
    m.insert("org_id".into(), json!(org_id));
    let opt = |t: &str| (!t.is_empty()).then(|| t.to_string());
    m.insert("frontier_tags".into(), json!(opt(&c.frontier_tags)));
    m.insert("skill_tags".into(), json!(opt(&c.skill_tags)));
    m
}

impl Plans<'_> {
    /// A plan the actor reaches for `action` of `permission` (unmasked), else `NotFound` (not
    /// readable) or `Denied` (readable, not permitted).
    async fn plan_for(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        permission: &str,
        action: Action,
        id: i64,
    ) -> Result<Record> {
        let read = actor_scopes(actor, Action::Read, PLANS.name).ok_or(StoreError::Denied)?;
        let plan = self
            .fetch_scoped(&mut **tx, &PLANS, id, &read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let scopes = actor_scopes(actor, action, permission).ok_or(StoreError::Denied)?;
        self.fetch_scoped(&mut **tx, &PLANS, id, &scopes)
            .await?
            .ok_or(StoreError::Denied)?;
        Ok(plan)
    }

    /// The courses of a plan the actor may read.
    pub async fn courses(&self, actor: &Actor, id: i64) -> Result<(Record, Vec<Course>)> {
        let plan = self.get(actor, &PLANS, id).await?;
        let courses = courses_in(&self.pool, id).await?;
        Ok((plan, courses))
    }

    /// Draft → in review, by whoever may edit the plan; it needs at least one signatory.
    pub async fn submit(&self, actor: &Actor, id: i64, source: &str) -> Result<Record> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        let plan = self
            .plan_for(&mut tx, actor, PLANS.name, Action::Update, id)
            .await?;
        if plan["status"] != "draft" {
            return Err(wrong_status(
                "只有草稿可以提交会签",
                "only a draft can be submitted for co-signing",
            ));
        }
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM plan_signatories WHERE plan_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if n == 0 {
            return Err(StoreError::Invalid(vec![FieldError::bilingual(
                "signatories",
                "required",
                "请先添加企业会签人",
                "add the enterprise signatories first",
            )]));
        }
        set_plan(&mut tx, id, &[("status", Some("in_review".into()))]).await?;
        self.audit_in(
            &mut tx,
            actor,
            "plan_submit",
            &format!("plans/{id}"),
            source,
            "",
        )
        .await?;
        tx.commit().await?;
        self.get(actor, &PLANS, id).await
    }

    /// An enterprise signatory co-signs a plan in review through their own account; when every
    /// signatory has signed, the plan is co-signed.
    pub async fn sign(&self, actor: &Actor, id: i64, source: &str) -> Result<Record> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        let plan = self
            .plan_for(&mut tx, actor, SIGNING, Action::Update, id)
            .await?;
        if plan["status"] != "in_review" {
            return Err(wrong_status(
                "方案不在会签阶段",
                "the plan is not awaiting signatures",
            ));
        }
        let contacts: Vec<i64> = actor
            .roles
            .iter()
            .filter_map(|r| match r {
                Role::Enterprise { contact_id, .. } => Some(*contact_id),
                _ => None,
            })
            .collect();
        let now = skillbridge_core::dates::now();
        let mut signed = 0u64;
        for c in &contacts {
            signed += sqlx::query(
                "UPDATE plan_signatories SET signed_at = $1, updated_at = $1 \
                 WHERE plan_id = $2 AND contact_id = $3 AND signed_at IS NULL",
            )
            .bind(&now)
            .bind(id)
            .bind(*c)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        if signed == 0 {
            return Err(wrong_status("您已会签", "you have already signed"));
        }
        let open: i64 = sqlx::query(
            "SELECT COUNT(*) FROM plan_signatories WHERE plan_id = $1 AND signed_at IS NULL",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        if open == 0 {
            set_plan(&mut tx, id, &[("status", Some("co_signed".into()))]).await?;
        }
        self.audit_in(
            &mut tx,
            actor,
            "plan_sign",
            &format!("plans/{id}"),
            source,
            "",
        )
        .await?;
        tx.commit().await?;
        self.get(actor, &PLANS, id).await
    }

    /// Academic affairs approve a co-signed plan. A failed check blocks approval unless
    /// `exception` gives the reason, which is kept on the plan. The approved plan is frozen.
    pub async fn approve(
        &self,
        actor: &Actor,
        id: i64,
        exception: Option<&str>,
        rules: &PlanRules,
        source: &str,
    ) -> Result<Record> {
        let exception = exception.map(str::trim).filter(|e| !e.is_empty());
        if exception.is_some_and(|e| e.chars().count() > 1000) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "exception_reason",
                "too_long",
                "at most 1000 characters",
            )]));
        }
        let (_g, mut tx) = self.begin_write_pub().await?;
        let plan = self
            .plan_for(&mut tx, actor, APPROVAL, Action::Update, id)
            .await?;
        if plan["status"] != "co_signed" {
            return Err(wrong_status(
                "只有企业会签完成的方案可以批准",
                "only a plan co-signed by every signatory can be approved",
            ));
        }
        let results = check_plan_courses(&courses_in(&mut *tx, id).await?, rules);
        if !may_approve(&results, exception) {
            let failed: Vec<&str> = results
                .iter()
                .filter(|r| !r.passed)
                .map(|r| r.code)
                .collect();
            return Err(StoreError::Invalid(vec![FieldError::bilingual(
                "exception_reason",
                "required",
                format!(
                    "方案未通过检查（{}），批准须填写例外说明",
                    failed.join("、")
                ),
                format!(
                    "the plan fails checks ({}): approving it needs an exception reason",
                    failed.join(", ")
                ),
            )]));
        }
        let who = display_name(&mut tx, actor).await?;
        set_plan(
            &mut tx,
            id,
            &[
                ("status", Some("approved".into())),
                ("approved_by", Some(who)),
                ("approved_at", Some(skillbridge_core::dates::now())),
                ("exception_reason", exception.map(str::to_string)),
            ],
        )
        .await?;
        self.audit_in(
            &mut tx,
            actor,
            "plan_approve",
            &format!("plans/{id}"),
            source,
            exception.map_or("", |_| "with exception"),
        )
        .await?;
        tx.commit().await?;
        self.get(actor, &PLANS, id).await
    }

    /// A draft copy of plan `id` with its courses and signatories (unsigned): the next version
    /// of the same cohort (`cohort_year` `None`), or the first version of another cohort's plan.
    /// Whoever may edit the source plan's program may copy it.
    pub async fn copy(
        &self,
        actor: &Actor,
        id: i64,
        cohort_year: Option<i64>,
        source: &str,
    ) -> Result<Record> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        let plan = self
            .plan_for(&mut tx, actor, PLANS.name, Action::Update, id)
            .await?;
        let program = plan["program_id"].as_i64().unwrap_or(0);
        let cohort = cohort_year.unwrap_or_else(|| plan["cohort_year"].as_i64().unwrap_or(0));
        let version: i64 = if cohort_year.is_some() {
            1
        } else {
            sqlx::query(
                "SELECT COALESCE(MAX(version), 0) FROM plans WHERE program_id = $1 AND cohort_year = $2",
            )
            .bind(program)
            .bind(cohort)
            .fetch_one(&mut *tx)
            .await?
            .try_get::<i64, _>(0)?
                + 1
        };
        let title = plan["title"]
            .as_str()
            .unwrap_or("")
            .replace(&plan["cohort_year"].to_string(), &cohort.to_string());
        let input = json!({
            "program_id": program, "cohort_year": cohort, "version": version, "title": title,
            "lead_staff_id": plan["lead_staff_id"], "status": "draft", "parent_id": id,
            "remarks": plan["remarks"],
        });
        let rec = schema::validate(&PLANS, input.as_object().unwrap(), None)
            .map_err(StoreError::Invalid)?;
        self.check_against_db(&mut tx, actor, &PLANS, &rec, None)
            .await?;
        let new_id = crate::Store::insert_row(&mut tx, &PLANS, &rec).await?;
        for (def, cols) in [
            (
                &PLAN_COURSES,
                "semester, course_code, course_name, theory_hours, practice_hours, credits, \
                 course_type, nature, org_id, frontier_tags, skill_tags",
            ),
            (&PLAN_SIGNATORIES, "contact_id"),
        ] {
            sqlx::query(&format!(
                "INSERT INTO {t} (plan_id, {cols}, created_at, updated_at) \
                 SELECT $1, {cols}, $2, $2 FROM {t} WHERE plan_id = $3",
                t = def.table
            ))
            .bind(new_id)
            .bind(skillbridge_core::dates::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        self.audit_in(
            &mut tx,
            actor,
            "plan_copy",
            &format!("plans/{new_id}"),
            source,
            &format!("from plans/{id}"),
        )
        .await?;
        tx.commit().await?;
        self.get(actor, &PLANS, new_id).await
    }

    /// A new draft plan from an imported sheet: `plan` holds the plan's own fields (program,
    /// cohort, version, title, lead), `courses` the sheet's courses; a course's enterprise is
    /// found by its name among the partner organisations. All or nothing.
    pub async fn import(
        &self,
        actor: &Actor,
        plan: &Map<String, Value>,
        courses: &[Course],
        source: &str,
    ) -> Result<Record> {
        let mut input = plan.clone();
        input.insert("status".into(), json!("draft"));
        let rec = schema::validate(&PLANS, &input, None).map_err(StoreError::Invalid)?;
        let (_g, mut tx) = self.begin_write_pub().await?;
        let scopes = actor_scopes(actor, Action::Create, PLANS.name).ok_or(StoreError::Denied)?;
        self.check_against_db(&mut tx, actor, &PLANS, &rec, None)
            .await?;
        let id = crate::Store::insert_row(&mut tx, &PLANS, &rec).await?;
        if self
            .fetch_scoped(&mut *tx, &PLANS, id, &scopes)
            .await?
            .is_none()
        {
            return Err(StoreError::Denied);
        }
        let mut errors = Vec::new();
        for (i, c) in courses.iter().enumerate() {
            let org = match &c.enterprise {
                Some(name) => {
                    let found: Option<i64> =
                        sqlx::query("SELECT id FROM organisations WHERE name = $1")
                            .bind(name)
                            .fetch_optional(&mut *tx)
                            .await?
                            .map(|r| r.try_get(0))
                            .transpose()?;
                    if found.is_none() {
                        errors.push(FieldError::bilingual(
                            &format!("courses[{i}].org_id"),
                            "not_found",
                            format!("{}：没有名为“{name}”的合作单位", c.code),
                            format!("{}: no partner named {name}", c.code),
                        ));
                        continue;
                    }
                    found
                }
                None => None,
            };
            match schema::validate(&PLAN_COURSES, &course_input(id, c, org), None) {
                Ok(r) => {
                    crate::Store::insert_row(&mut tx, &PLAN_COURSES, &r).await?;
                }
                Err(es) => errors.extend(es.into_iter().map(|mut e| {
                    e.field = format!("courses[{i}].{}", e.field);
                    e
                })),
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        self.audit_in(
            &mut tx,
            actor,
            "plan_import",
            &format!("plans/{id}"),
            source,
            &format!("{} courses", courses.len()),
        )
        .await?;
        tx.commit().await?;
        self.get(actor, &PLANS, id).await
    }
}
