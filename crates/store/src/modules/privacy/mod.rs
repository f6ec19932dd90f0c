//! The store half of the `privacy` module: subject access (issue 11, item 5), everything the
//! database holds about one student, for that student.
//!
//! What it gathers, generically so that a new module's records come along without code here:
//! - their student record, with their own personal fields in full (it is their own data);
//! - their account (username, display name, roles; never the password hash, sessions or
//!   second-factor secrets), notification preferences and to-do read marks;
//! - every record of every record type with a reference to `students` naming them (order-class
//!   choices and offers, status changes, mentor assignments, and whatever a module adds), each
//!   with the labels of the records it points at: another person appears by their label (a
//!   name), never with their personal fields;
//! - every record a module links to them through one of their own fields
//!   (`Module::subject_links`: the training-base bookings of their class);
//! - the metadata of attachments held on any of those records or on the student record;
//! - the audit entries whose object is the student (or one of their fields) or whose actor is
//!   their account.
//!
//! Each download is audited (`subject_access`, object `students/<id>`) before it is gathered.

use super::{no_scope_sql, store_view, NoHooks, StoreModule};
use crate::records::{columns, decode, Bind, Sql};
use crate::{Result, StoreError};
use serde::Serialize;
use serde_json::{json, Value};
use skillbridge_core::access::{Actor, RowScope};
use skillbridge_core::audit::AuditEntry;
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_core::modules::privacy::subject_of;
use skillbridge_core::modules::{resource, MODULES};
use skillbridge_core::schema::{Kind, Record, ResourceDef, RESOURCES};
use sqlx::Row;

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::privacy::MODULE,
    scope_sql: no_scope_sql,
    hooks: &NoHooks,
};

store_view!(
    /// Subject access: a student's own data, for that student.
    Privacy,
    privacy
);

/// The records of one record type that refer to the student.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectSection {
    /// The record type (`mentors`) and its names.
    pub resource: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// The field that names the student (a reference to `students`), or that holds the value
    /// of the student's field `through`.
    pub via: &'static str,
    /// For records linked through one of the student's own fields (`SubjectLink`): that field
    /// (`class_id` for the bookings of their class).
    pub through: Option<&'static str>,
    pub records: Vec<Record>,
}

/// Everything held about one student (see the module's documentation).
#[derive(Debug, Clone, Serialize)]
pub struct SubjectAccess {
    pub generated_at: String,
    pub student_id: i64,
    pub student: Record,
    /// Their account: `id`, `username`, `display_name`, `disabled`, `created_at`, `roles`.
    pub account: Option<Value>,
    /// Notification preferences: `language`, `email_enabled`, `email`, `updated_at`.
    pub preferences: Option<Value>,
    /// To-do read marks: `item_key`, `read_at`, `notified_at`, `created_at`.
    pub todo_marks: Vec<Value>,
    pub sections: Vec<SubjectSection>,
    /// `id`, `owner`, `owner_id`, `file_name`, `media_type`, `size`, `created_at`.
    pub attachments: Vec<Value>,
    pub audit: Vec<AuditEntry>,
}

impl Privacy<'_> {
    /// Everything held about the student `actor` is (their own data only; anyone else is
    /// refused). Audited first as `subject_access` on `students/<id>`, with the format in the
    /// detail.
    pub async fn subject_access(
        &self,
        actor: &Actor,
        format: &str,
        source: &str,
    ) -> Result<SubjectAccess> {
        let id = subject_of(actor).ok_or(StoreError::Denied)?;
        let object = format!("students/{id}");
        {
            let (_g, mut tx) = self.begin_write().await?;
            self.audit_in(&mut tx, actor, "subject_access", &object, source, format)
                .await?;
            tx.commit().await?;
        }
        let student = self
            .fetch_scoped(&self.0.pool, &STUDENTS, id, &[RowScope::All])
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut one = [student];
        self.attach_labels(&STUDENTS, &mut one).await?;
        let [student] = one;
        let sections = self.referring(id, &student).await?;
        let attachments = self.attachments_of(id, &sections).await?;
        let (account, preferences, todo_marks) = match actor.user_id {
            Some(uid) => self.account_of(uid).await?,
            None => (None, None, Vec::new()),
        };
        let audit = self.audit_about(actor, &object).await?;
        Ok(SubjectAccess {
            generated_at: self.clock.now_text(),
            student_id: id,
            student,
            account,
            preferences,
            todo_marks,
            sections,
            attachments,
            audit,
        })
    }

    /// Every record of every record type with a reference to `students` naming the student,
    /// and of every record type a module links through one of the student's own fields
    /// (`Module::subject_links`), with the labels of the records they point at.
    async fn referring(&self, id: i64, student: &Record) -> Result<Vec<SubjectSection>> {
        let mut wanted: Vec<(
            &'static ResourceDef,
            &'static str,
            Option<&'static str>,
            i64,
        )> = Vec::new();
        for def in RESOURCES.iter().copied() {
            for f in def.fields {
                if f.kind == Kind::Ref(STUDENTS.name) {
                    wanted.push((def, f.name, None, id));
                }
            }
        }
        for m in MODULES {
            for l in m.subject_links {
                let value = student.get(l.student_field).and_then(Value::as_i64);
                if let (Some(def), Some(v)) = (resource(l.resource), value) {
                    wanted.push((def, l.field, Some(l.student_field), v));
                }
            }
        }
        let mut sections = Vec::new();
        for (def, via, through, value) in wanted {
            let mut s = Sql::default();
            let p = s.bind(Bind::Int(Some(value)));
            s.text = format!(
                "SELECT {} FROM {} WHERE {via} = {p} ORDER BY id",
                columns(def),
                def.table
            );
            let mut recs = Vec::new();
            for row in s.query().fetch_all(&self.0.pool).await? {
                recs.push(decode(def, &row)?);
            }
            if recs.is_empty() {
                continue;
            }
            self.attach_labels(def, &mut recs).await?;
            sections.push(SubjectSection {
                resource: def.name,
                zh: def.zh,
                en: def.en,
                via,
                through,
                records: recs,
            });
        }
        Ok(sections)
    }

    /// The metadata (never the content's hash path) of the attachments held on the student
    /// record or on any record of `sections`.
    async fn attachments_of(&self, id: i64, sections: &[SubjectSection]) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut owners: Vec<(&str, Vec<i64>)> = vec![(STUDENTS.name, vec![id])];
        for s in sections {
            let ids = s.records.iter().filter_map(|r| r["id"].as_i64()).collect();
            owners.push((s.resource, ids));
        }
        for (owner, ids) in owners {
            for chunk in ids.chunks(500) {
                let mut s = Sql::default();
                let o = s.bind(Bind::Text(Some(owner.to_string())));
                let ps: Vec<String> = chunk.iter().map(|i| s.bind(Bind::Int(Some(*i)))).collect();
                s.text = format!(
                    "SELECT id, owner, owner_id, file_name, media_type, size, created_at \
                     FROM attachments WHERE owner = {o} AND owner_id IN ({}) ORDER BY id",
                    ps.join(", ")
                );
                for r in s.query().fetch_all(&self.0.pool).await? {
                    out.push(json!({
                        "id": r.try_get::<i64, _>(0)?,
                        "owner": r.try_get::<String, _>(1)?,
                        "owner_id": r.try_get::<i64, _>(2)?,
                        "file_name": r.try_get::<String, _>(3)?,
                        "media_type": r.try_get::<String, _>(4)?,
                        "size": r.try_get::<i64, _>(5)?,
                        "created_at": r.try_get::<String, _>(6)?,
                    }));
                }
            }
        }
        Ok(out)
    }

    /// The account (no password hash, no sessions, no second-factor secret), its notification
    /// preferences and its to-do read marks.
    async fn account_of(&self, uid: i64) -> Result<(Option<Value>, Option<Value>, Vec<Value>)> {
        let pool = &self.0.pool;
        let mut account = None;
        let r = sqlx::query(
            "SELECT id, username, display_name, disabled, created_at FROM users WHERE id = $1",
        )
        .bind(uid)
        .fetch_optional(pool)
        .await?;
        if let Some(r) = r {
            let mut roles = Vec::new();
            for row in sqlx::query("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY id")
                .bind(uid)
                .fetch_all(pool)
                .await?
            {
                let t: String = row.try_get(0)?;
                roles.push(serde_json::from_str(&t).unwrap_or(Value::String(t)));
            }
            account = Some(json!({
                "id": r.try_get::<i64, _>(0)?,
                "username": r.try_get::<String, _>(1)?,
                "display_name": r.try_get::<String, _>(2)?,
                "disabled": r.try_get::<i64, _>(3)? != 0,
                "created_at": r.try_get::<String, _>(4)?,
                "roles": roles,
            }));
        }
        let r = sqlx::query(
            "SELECT language, email_enabled, email, updated_at FROM user_preferences \
             WHERE user_id = $1",
        )
        .bind(uid)
        .fetch_optional(pool)
        .await?;
        let preferences = match r {
            Some(r) => Some(json!({
                "language": r.try_get::<String, _>(0)?,
                "email_enabled": r.try_get::<i64, _>(1)? != 0,
                "email": r
                    .try_get::<Option<String>, _>(2)?
                    .map(|e| crate::pii_keys::reveal_account("user_preferences", "email", uid, e))
                    .transpose()?,
                "updated_at": r.try_get::<String, _>(3)?,
            })),
            None => None,
        };
        let mut marks = Vec::new();
        for r in sqlx::query(
            "SELECT item_key, read_at, notified_at, created_at FROM todo_state \
             WHERE user_id = $1 ORDER BY item_key",
        )
        .bind(uid)
        .fetch_all(pool)
        .await?
        {
            marks.push(json!({
                "item_key": r.try_get::<String, _>(0)?,
                "read_at": r.try_get::<Option<String>, _>(1)?,
                "notified_at": r.try_get::<Option<String>, _>(2)?,
                "created_at": r.try_get::<String, _>(3)?,
            }));
        }
        Ok((account, preferences, marks))
    }

    /// The audit entries whose object is the student or one of their fields
    /// (`students/7`, `students/7.id_number`), or whose actor is their account.
    async fn audit_about(&self, actor: &Actor, object: &str) -> Result<Vec<AuditEntry>> {
        let mut s = Sql::default();
        let o = s.bind(Bind::Text(Some(object.to_string())));
        let like = s.bind(Bind::Text(Some(format!("{object}.%"))));
        let who = s.bind(Bind::Text(Some(skillbridge_core::audit::actor_name(actor))));
        s.text = format!(
            "SELECT {} FROM audit_log WHERE object = {o} OR object LIKE {like} OR actor = {who} \
             ORDER BY id",
            crate::audit::COLS
        );
        let mut audit = Vec::new();
        for r in s.query().fetch_all(&self.0.pool).await? {
            audit.push(crate::audit::decode(&r)?);
        }
        Ok(audit)
    }
}
