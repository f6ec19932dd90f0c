//! The store half of student status changes (学籍异动, issue 10 §8): the requests' row scope
//! (whoever reads the student reads its requests), the procedure (file, approve or reject,
//! apply), and its two write hooks: a request's evidence is attached by whoever may file for the
//! student while the request is pending, and a student with any request is never deleted.
//!
//! **When a change applies.** An approval whose effective date has come applies at once, in the
//! approval's transaction. One approved for a later date waits; [`StatusChanges::apply_due`]
//! applies every approved request whose date has come, and runs at the start of each step of the
//! procedure and from `skillbridge serve` every ten minutes (and at start). At apply time the
//! lifecycle is checked again against the student as they are then: a change another change has
//! made impossible becomes `void`, and nothing is changed.

pub(crate) mod todos;

use super::{store_view, HookFuture, StoreModule, Tx, WriteHooks};
use crate::records::{Bind, Sql};
use crate::{Result, StoreError};
use serde_json::{json, Map, Value};
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_core::modules::status_changes::{
    self as sc, plan, Requested, StudentState, DECISION, FILING, STATUS_CHANGES,
};
use skillbridge_core::schema::{self, FieldError, Record, ResourceDef};
use sqlx::Row;

store_view!(
    /// The status-change procedure: file, approve, reject, apply.
    StatusChanges,
    status_changes
);

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::status_changes::MODULE,
    scope_sql,
    hooks: &StatusHooks,
};

/// A request is reached through its student: the students' own scope SQL, applied to them.
fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    if resource != STATUS_CHANGES.name {
        return None;
    }
    let cond = (super::college::MODULE.scope_sql)(STUDENTS.name, scope, sql)?;
    Some(format!(
        "student_id IN (SELECT id FROM students WHERE {cond})"
    ))
}

/// The fields a filer sends; everything else of a request is the procedure's.
const FILED_FIELDS: &[&str] = &[
    "student_id",
    "change_type",
    "reason",
    "effective_date",
    "target_program_id",
    "target_class_id",
];

fn has_history_conflict() -> StoreError {
    StoreError::conflict(
        "has_status_history",
        "该学生有学籍异动记录，不能删除；请通过学籍异动办理",
        "this student has status-change history and cannot be deleted; use a status change instead",
    )
}

fn open_request_conflict() -> StoreError {
    StoreError::conflict(
        "open_request",
        "该学生已有待审批或待生效的学籍异动申请",
        "this student already has a status change pending or approved and not yet applied",
    )
}

fn already_decided() -> StoreError {
    StoreError::conflict(
        "already_decided",
        "该申请已审批，不能再修改",
        "this request has already been decided",
    )
}

fn invalid(e: FieldError) -> StoreError {
    StoreError::Invalid(vec![e])
}

struct StatusHooks;

impl WriteHooks for StatusHooks {
    fn attach_check<'a>(
        &'a self,
        store: &'a crate::Store,
        tx: &'a mut Tx,
        actor: &'a Actor,
        def: &'a ResourceDef,
        owner_id: i64,
    ) -> HookFuture<'a, bool> {
        Box::pin(async move {
            if def.name != STATUS_CHANGES.name {
                return Ok(false);
            }
            let req = store
                .status_changes()
                .request_for(&mut *tx, actor, owner_id)
                .await?;
            let student = req["student_id"].as_i64().unwrap_or(0);
            let may = store
                .status_changes()
                .student_within(&mut **tx, actor, FILING, Action::Create, student)
                .await?
                || store
                    .status_changes()
                    .student_within(&mut **tx, actor, DECISION, Action::Update, student)
                    .await?;
            if !may {
                return Err(StoreError::Denied);
            }
            if req["state"] != "pending" {
                return Err(already_decided());
            }
            Ok(true)
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
            if def.name != STUDENTS.name {
                return Ok(());
            }
            let n: i64 = sqlx::query("SELECT COUNT(*) FROM status_changes WHERE student_id = $1")
                .bind(id)
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?;
            if n > 0 {
                Err(has_history_conflict())
            } else {
                Ok(())
            }
        })
    }
}

/// The student as a change sees them, and the program of a class.
async fn student_state(tx: &mut Tx, id: i64) -> Result<StudentState> {
    let row = sqlx::query("SELECT status, program_id, class_id FROM students WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(StudentState {
        status: row.try_get(0)?,
        program_id: row.try_get(1)?,
        class_id: row.try_get(2)?,
    })
}

async fn requested(tx: &mut Tx, rec: &Record) -> Result<Requested> {
    let class_id = rec.get("target_class_id").and_then(Value::as_i64);
    let class_program_id = match class_id {
        Some(c) => sqlx::query("SELECT program_id FROM classes WHERE id = $1")
            .bind(c)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get::<i64, _>(0))
            .transpose()?,
        None => None,
    };
    Ok(Requested {
        program_id: rec.get("target_program_id").and_then(Value::as_i64),
        class_id,
        class_program_id,
    })
}

/// The display name of the acting user, for the request's record.
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

/// Sets some columns of a request.
async fn set_request(tx: &mut Tx, id: i64, values: &[(&str, Option<String>)]) -> Result<()> {
    let mut s = Sql::default();
    let mut sets: Vec<String> = values
        .iter()
        .map(|(c, v)| format!("{c} = {}", s.bind(Bind::Text(v.clone()))))
        .collect();
    sets.push(format!(
        "updated_at = {}",
        s.bind(Bind::Text(Some(skillbridge_core::dates::now())))
    ));
    let p = s.bind(Bind::Int(Some(id)));
    s.text = format!(
        "UPDATE status_changes SET {} WHERE id = {p}",
        sets.join(", ")
    );
    s.query().execute(&mut **tx).await?;
    Ok(())
}

/// Today in China time (`YYYY-MM-DD`), the date effective dates are compared with.
pub fn today() -> String {
    crate::college_today()
}

impl StatusChanges<'_> {
    /// Whether student `student` lies within the actor's scope of `permission` for `action`.
    async fn student_within<'e, E>(
        &self,
        ex: E,
        actor: &Actor,
        permission: &str,
        action: Action,
        student: i64,
    ) -> Result<bool>
    where
        E: sqlx::Executor<'e, Database = sqlx::Any>,
    {
        let Some(scopes) = actor_scopes(actor, action, permission) else {
            return Ok(false);
        };
        Ok(self
            .fetch_scoped(ex, &STUDENTS, student, &scopes)
            .await?
            .is_some())
    }

    /// A request the actor may read (unmasked), else `NotFound`.
    async fn request_for(&self, tx: &mut Tx, actor: &Actor, id: i64) -> Result<Record> {
        let scopes =
            actor_scopes(actor, Action::Read, STATUS_CHANGES.name).ok_or(StoreError::NotFound)?;
        self.fetch_scoped(&mut **tx, &STATUS_CHANGES, id, &scopes)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Files a request (state `pending`) for a student the actor may file for: a teacher or
    /// class adviser for their own students, academic or student affairs for their school's.
    /// The change must be allowed from the student's current status and name its target; a
    /// student with a request pending or approved and not yet applied gets `open_request`.
    pub async fn file(
        &self,
        actor: &Actor,
        input: &Map<String, Value>,
        source: &str,
    ) -> Result<Record> {
        self.apply_due(&today()).await?;
        let def = &STATUS_CHANGES;
        if actor_scopes(actor, Action::Create, FILING).is_none() {
            return Err(StoreError::Denied);
        }
        let mut fields: Map<String, Value> = FILED_FIELDS
            .iter()
            .filter_map(|f| input.get(*f).map(|v| (f.to_string(), v.clone())))
            .collect();
        fields.insert("state".into(), json!("pending"));
        let mut rec = schema::validate(def, &fields, None).map_err(StoreError::Invalid)?;
        let student = rec["student_id"].as_i64().unwrap_or(0);
        let (_g, mut tx) = self.begin_write_pub().await?;
        if !self
            .student_within(&mut *tx, actor, FILING, Action::Create, student)
            .await?
        {
            let readable = self
                .student_within(&mut *tx, actor, STUDENTS.name, Action::Read, student)
                .await?;
            return Err(if readable {
                StoreError::Denied
            } else {
                invalid(FieldError::new(
                    "student_id",
                    "not_found",
                    "no such student",
                ))
            });
        }
        self.check_against_db(&mut tx, actor, def, &rec, None)
            .await?;
        let now = student_state(&mut tx, student).await?;
        let want = requested(&mut tx, &rec).await?;
        let code = rec["change_type"].as_str().unwrap_or("").to_string();
        plan(&code, &now, want).map_err(invalid)?;
        let open: i64 = sqlx::query(
            "SELECT COUNT(*) FROM status_changes WHERE student_id = $1 AND state IN ('pending', 'approved')",
        )
        .bind(student)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        if open > 0 {
            return Err(open_request_conflict());
        }
        rec.insert("from_status".into(), json!(now.status));
        rec.insert(
            "filed_by".into(),
            json!(display_name(&mut tx, actor).await?),
        );
        rec.insert("filed_at".into(), json!(skillbridge_core::dates::now()));
        let id = crate::Store::insert_row(&mut tx, def, &rec).await?;
        self.audit_in(
            &mut tx,
            actor,
            "status_file",
            &format!("status_changes/{id}"),
            source,
            &format!("students/{student} {code}"),
        )
        .await?;
        tx.commit().await?;
        self.get(actor, def, id).await
    }

    /// Approves (`approve`) or rejects a pending request, with a note; academic affairs for the
    /// student's school. An approval is checked against the student's current status (a refused
    /// transition is `invalid_transition` and nothing changes) and applied at once when its date
    /// has come.
    pub async fn decide(
        &self,
        actor: &Actor,
        id: i64,
        approve: bool,
        note: Option<&str>,
        source: &str,
    ) -> Result<Record> {
        let today = today();
        self.apply_due(&today).await?;
        let def = &STATUS_CHANGES;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > 500) {
            return Err(invalid(FieldError::new(
                "decision_note",
                "too_long",
                "at most 500 characters",
            )));
        }
        if !approve && note.is_none() {
            return Err(invalid(FieldError::new(
                "decision_note",
                "required",
                "say why the request is rejected",
            )));
        }
        let (_g, mut tx) = self.begin_write_pub().await?;
        let req = self.request_for(&mut tx, actor, id).await?;
        let student = req["student_id"].as_i64().unwrap_or(0);
        if !self
            .student_within(&mut *tx, actor, DECISION, Action::Update, student)
            .await?
        {
            return Err(StoreError::Denied);
        }
        if req["state"] != "pending" {
            return Err(already_decided());
        }
        let who = display_name(&mut tx, actor).await?;
        let now = skillbridge_core::dates::now();
        let decided = |state: &str| {
            vec![
                ("state", Some(state.to_string())),
                ("decided_by", Some(who.clone())),
                ("decided_at", Some(now.clone())),
                ("decision_note", note.map(str::to_string)),
            ]
        };
        if approve {
            let state = student_state(&mut tx, student).await?;
            let want = requested(&mut tx, &req).await?;
            plan(req["change_type"].as_str().unwrap_or(""), &state, want).map_err(invalid)?;
            set_request(&mut tx, id, &decided("approved")).await?;
            self.audit_in(
                &mut tx,
                actor,
                "status_approve",
                &format!("status_changes/{id}"),
                source,
                &format!("students/{student}"),
            )
            .await?;
            if sc::due(req["effective_date"].as_str().unwrap_or(""), &today) {
                self.apply_in(&mut tx, actor, id, source).await?;
            }
        } else {
            set_request(&mut tx, id, &decided("rejected")).await?;
            self.audit_in(
                &mut tx,
                actor,
                "status_reject",
                &format!("status_changes/{id}"),
                source,
                &format!("students/{student}"),
            )
            .await?;
        }
        tx.commit().await?;
        self.get(actor, def, id).await
    }

    /// Applies approved request `id` inside `tx`: the student's status (and program and class)
    /// as the lifecycle says, or `void` when the student's status no longer allows it.
    async fn apply_in(&self, tx: &mut Tx, actor: &Actor, id: i64, source: &str) -> Result<()> {
        let req = self
            .fetch_scoped(&mut **tx, &STATUS_CHANGES, id, &[RowScope::All])
            .await?
            .ok_or(StoreError::NotFound)?;
        let student = req["student_id"].as_i64().unwrap_or(0);
        let now_state = student_state(tx, student).await?;
        let want = requested(tx, &req).await?;
        let at = skillbridge_core::dates::now();
        match plan(req["change_type"].as_str().unwrap_or(""), &now_state, want) {
            Ok(next) => {
                sqlx::query(
                    "UPDATE students SET status = $1, program_id = $2, class_id = $3, updated_at = $4 WHERE id = $5",
                )
                .bind(next.status.clone())
                .bind(next.program_id)
                .bind(next.class_id)
                .bind(at.clone())
                .bind(student)
                .execute(&mut **tx)
                .await
                .map_err(crate::map_db_err)?;
                set_request(
                    tx,
                    id,
                    &[
                        ("state", Some("applied".into())),
                        ("from_status", Some(now_state.status.clone())),
                        ("to_status", Some(next.status.clone())),
                        ("applied_at", Some(at)),
                    ],
                )
                .await?;
                self.audit_in(
                    tx,
                    actor,
                    "status_apply",
                    &format!("students/{student}"),
                    source,
                    &format!(
                        "status_changes/{id}: {} -> {}",
                        now_state.status, next.status
                    ),
                )
                .await
            }
            Err(e) => {
                set_request(
                    tx,
                    id,
                    &[
                        ("state", Some("void".into())),
                        ("from_status", Some(now_state.status.clone())),
                        ("applied_at", Some(at)),
                    ],
                )
                .await?;
                self.audit_in(
                    tx,
                    actor,
                    "status_void",
                    &format!("status_changes/{id}"),
                    source,
                    &e.message,
                )
                .await
            }
        }
    }

    /// Applies every approved request whose effective date is on or before `today`, as the
    /// system, in one transaction; returns how many were applied or made void.
    pub async fn apply_due(&self, today: &str) -> Result<usize> {
        let due: Vec<i64> = sqlx::query(
            "SELECT id FROM status_changes WHERE state = 'approved' AND effective_date <= $1 ORDER BY effective_date, id",
        )
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
        if due.is_empty() {
            return Ok(0);
        }
        let (_g, mut tx) = self.begin_write_pub().await?;
        let system = Actor::system();
        let mut n = 0;
        for id in due {
            // Another writer may have applied it since the read above.
            let state: Option<String> =
                sqlx::query("SELECT state FROM status_changes WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()?;
            if state.as_deref() == Some("approved") {
                self.apply_in(&mut tx, &system, id, "due-date").await?;
                n += 1;
            }
        }
        tx.commit().await?;
        Ok(n)
    }
}
