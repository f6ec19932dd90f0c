//! Bookings of training bases, workstations and equipment, free of conflicts under concurrency.
//!
//! Every path that writes a booking ([`Store::create`], [`Store::update`], [`Store::bulk_insert`])
//! does, inside one write transaction: take the base's lock ([`Store::booking_lock`]: a
//! transaction-scoped advisory lock keyed on the base on PostgreSQL, the database write lock on
//! SQLite), read the active bookings of that base that overlap, decide with
//! `core::modules::bases::booking::find_conflict`, and only then write. Two requests for the same slot therefore
//! run one after the other, and the second sees the first's booking: never check-then-insert
//! across transactions. (The store's audit lock also serialises writers; the base lock keeps the
//! guarantee local to bookings should that ever change.) Importing bookings from a file is not
//! offered, and `insert_many_unaudited` refuses them.
//!
//! Also here: the bookings of one base for a calendar or an iCalendar feed, and utilisation per
//! base over a term.

use crate::records::{columns, decode, Bind, Sql};
use crate::{Result, StoreError};
use serde_json::{Map, Value};
use skillbridge_core::access::{actor_scopes, Action, Actor};
use skillbridge_core::modules::bases::booking::{
    check_interval, find_conflict, format_instant, free_workstations, parse_instant, utilisation,
    OpeningHours, Slot, Target, Utilisation,
};
use skillbridge_core::modules::bases::{may_backdate, BOOKINGS, TRAINING_BASES};
use skillbridge_core::modules::college::TERMS;
use skillbridge_core::schema::{self, FieldError, Record};
use sqlx::{Any, Row};

/// A booking as shown in a calendar: the record (as the actor may see it) with who booked it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BookingView {
    #[serde(flatten)]
    pub record: Record,
    /// The course, class and staff member, joined with ` / `.
    pub who: String,
    pub equipment_name: Option<String>,
}

/// One base's utilisation over a term.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BaseUtilisation {
    pub base_id: i64,
    pub name: String,
    pub workstations: i64,
    #[serde(flatten)]
    pub utilisation: Utilisation,
}

fn invalid(field: &str, code: &'static str, msg: impl Into<String>) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, code, msg)])
}

/// The SELECT of bookings with who booked them: `b.*` columns, then `who` parts and equipment.
fn booking_select() -> String {
    let cols: Vec<String> = columns(&BOOKINGS)
        .split(", ")
        .map(|c| format!("b.{c}"))
        .collect();
    format!(
        "SELECT {}, c.name, s.name, e.name FROM bookings b \
         LEFT JOIN classes c ON c.id = b.class_id \
         LEFT JOIN staff s ON s.id = b.staff_id \
         LEFT JOIN equipment e ON e.id = b.equipment_id",
        cols.join(", ")
    )
}

fn who_of(rec: &Record, class: Option<String>, staff: Option<String>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = rec.get("course_name").and_then(Value::as_str) {
        parts.push(c.to_string());
    }
    parts.extend(class);
    parts.extend(staff);
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(" / ")
    }
}

fn decode_view(row: &sqlx::any::AnyRow) -> Result<BookingView> {
    let rec = decode(&BOOKINGS, row)?;
    let n = BOOKINGS.fields.len() + 3;
    let class: Option<String> = row.try_get(n)?;
    let staff: Option<String> = row.try_get(n + 1)?;
    let equipment_name: Option<String> = row.try_get(n + 2)?;
    Ok(BookingView {
        who: who_of(&rec, class, staff),
        record: rec,
        equipment_name,
    })
}

/// The rules' view of a stored or new booking.
pub(crate) fn slot_of(rec: &Record, id: i64, who: String) -> Result<Slot> {
    let t = |k: &str| {
        rec.get(k)
            .and_then(Value::as_str)
            .and_then(|v| parse_instant(v).ok())
            .ok_or_else(|| invalid(k, "invalid_instant", "is not an instant"))
    };
    let target = match rec.get("kind").and_then(Value::as_str) {
        Some("workstations") => Target::Workstations(rec["workstations"].as_i64().unwrap_or(0)),
        Some("equipment") => Target::Equipment(rec["equipment_id"].as_i64().unwrap_or(0)),
        _ => Target::Base,
    };
    Ok(Slot {
        id,
        target,
        start: t("start_at")?,
        end: t("end_at")?,
        who,
    })
}

impl super::Bases<'_> {
    /// Takes the booking lock of each base, in ascending order (so two transactions that lock
    /// the same two bases cannot deadlock).
    pub(crate) async fn booking_lock(
        &self,
        tx: &mut sqlx::Transaction<'_, Any>,
        bases: &[i64],
    ) -> Result<()> {
        let mut ids: Vec<i64> = bases.to_vec();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            sqlx::query(self.backend.booking_lock_sql())
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// The bases an update of booking `id` touches: where it is now, and where the patch moves it.
    pub(crate) async fn booking_bases_for_update(
        &self,
        id: i64,
        patch: &Map<String, Value>,
    ) -> Result<Vec<i64>> {
        let mut v = Vec::new();
        if let Some(row) = sqlx::query("SELECT base_id FROM bookings WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        {
            v.push(row.try_get::<i64, _>(0)?);
        }
        if let Some(b) = patch.get("base_id").and_then(|b| {
            b.as_i64()
                .or_else(|| b.as_str().and_then(|s| s.trim().parse().ok()))
        }) {
            v.push(b);
        }
        Ok(v)
    }

    /// The base's workstations, checking that it can be booked, and that booked equipment
    /// belongs to it and is usable.
    async fn booking_target_ok(
        &self,
        tx: &mut sqlx::Transaction<'_, Any>,
        rec: &Record,
    ) -> Result<i64> {
        let base = rec["base_id"].as_i64().unwrap_or(0);
        let row = sqlx::query("SELECT workstations, status FROM training_bases WHERE id = $1")
            .bind(base)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| invalid("base_id", "not_found", "no such training base"))?;
        let (capacity, status): (i64, String) = (row.try_get(0)?, row.try_get(1)?);
        if status != "active" {
            return Err(invalid(
                "base_id",
                "not_bookable",
                "只能预约运行中的基地 / only a base in use can be booked",
            ));
        }
        if let Some(eq) = rec["equipment_id"].as_i64() {
            let row = sqlx::query("SELECT base_id, status FROM equipment WHERE id = $1")
                .bind(eq)
                .fetch_optional(&mut **tx)
                .await?
                .ok_or_else(|| invalid("equipment_id", "not_found", "no such equipment"))?;
            let (eq_base, eq_status): (i64, String) = (row.try_get(0)?, row.try_get(1)?);
            if eq_base != base {
                return Err(invalid(
                    "equipment_id",
                    "wrong_base",
                    "该设备不属于此基地 / this equipment belongs to another base",
                ));
            }
            if !matches!(eq_status.as_str(), "in_service" | "idle") {
                return Err(invalid(
                    "equipment_id",
                    "not_bookable",
                    "设备维修中或已报废 / the equipment is under repair or scrapped",
                ));
            }
        }
        if let Some(n) = rec["workstations"].as_i64() {
            if n > capacity {
                return Err(invalid(
                    "workstations",
                    "too_many",
                    format!("基地只有 {capacity} 个工位 / the base has {capacity} workstations"),
                ));
            }
        }
        Ok(capacity)
    }

    /// The active bookings of `base` overlapping `[from, to)` (stored instants), except `skip`.
    async fn active_slots(
        &self,
        tx: &mut sqlx::Transaction<'_, Any>,
        base: i64,
        from: &str,
        to: &str,
        skip: i64,
    ) -> Result<Vec<Slot>> {
        let sql = format!(
            "{} WHERE b.base_id = $1 AND b.status = 'active' AND b.start_at < $2 AND b.end_at > $3 AND b.id <> $4",
            booking_select()
        );
        let rows = sqlx::query(&sql)
            .bind(base)
            .bind(to.to_string())
            .bind(from.to_string())
            .bind(skip)
            .fetch_all(&mut **tx)
            .await?;
        rows.iter()
            .map(|r| {
                let v = decode_view(r)?;
                let id = v.record["id"].as_i64().unwrap_or(0);
                slot_of(&v.record, id, v.who)
            })
            .collect()
    }

    /// Refuses a booking that starts in the past, new or moved there (its start or end changed),
    /// unless the writer may backdate at its base (`core::modules::bases::may_backdate`): a
    /// field error on `start_at`, code `in_past`. A booking whose times stay as they were (a
    /// cancellation) is not held to it.
    pub(crate) async fn booking_backdate_check(
        &self,
        tx: &mut sqlx::Transaction<'_, Any>,
        actor: &Actor,
        rec: &Record,
        old: Option<&Record>,
    ) -> Result<()> {
        let moved =
            old.is_none_or(|o| o["start_at"] != rec["start_at"] || o["end_at"] != rec["end_at"]);
        let Some(start) = rec["start_at"].as_str().and_then(|s| parse_instant(s).ok()) else {
            return Ok(()); // validation has refused it already
        };
        let now = self.clock.now().unix_timestamp();
        if !moved || start >= now {
            return Ok(());
        }
        let base = rec["base_id"].as_i64().unwrap_or(0);
        let school: Option<i64> = sqlx::query("SELECT school_id FROM training_bases WHERE id = $1")
            .bind(base)
            .fetch_optional(&mut **tx)
            .await?
            .and_then(|r| r.try_get::<Option<i64>, _>(0).ok().flatten());
        if may_backdate(&actor.roles, school) {
            return Ok(());
        }
        let (zh, en) = skillbridge_core::schema::code_message("in_past");
        Err(StoreError::Invalid(vec![FieldError::bilingual(
            "start_at", "in_past", zh, en,
        )]))
    }

    /// The workstations of a base the actor may read that are free throughout `[from, to)`
    /// (stored instants): its capacity less the peak of its active workstation bookings, none
    /// under a whole-base booking (`booking::free_workstations`). `exclude` leaves a booking
    /// out (the one being changed). Counts only: no booking is named.
    pub async fn free_workstations(
        &self,
        actor: &Actor,
        base_id: i64,
        from: &str,
        to: &str,
        exclude: Option<i64>,
    ) -> Result<Value> {
        let base = self.get(actor, &TRAINING_BASES, base_id).await?;
        let bad = |field: &str, m: &str| invalid(field, "invalid_instant", m.to_string());
        let a = parse_instant(from).map_err(|m| bad("from", m))?;
        let b = parse_instant(to).map_err(|m| bad("to", m))?;
        check_interval(a, b).map_err(|m| invalid("to", "invalid_interval", m.to_string()))?;
        let capacity = base["workstations"].as_i64().unwrap_or(0);
        let mut tx = self.pool.begin().await?;
        let active = self
            .active_slots(
                &mut tx,
                base_id,
                &format_instant(a),
                &format_instant(b),
                exclude.unwrap_or(0),
            )
            .await?;
        tx.commit().await?;
        let free = free_workstations(&active, capacity, a, b);
        Ok(serde_json::json!({
            "base_id": base_id,
            "from": format_instant(a),
            "to": format_instant(b),
            "capacity": capacity,
            "free": free,
            "booked": capacity - free,
        }))
    }

    /// Refuses a booking (new: `self_id` `None`) that conflicts with the active bookings of its
    /// base. Runs inside the caller's write transaction, after [`Store::booking_lock`].
    pub(crate) async fn booking_check(
        &self,
        tx: &mut sqlx::Transaction<'_, Any>,
        rec: &Record,
        self_id: Option<i64>,
    ) -> Result<()> {
        let capacity = self.booking_target_ok(tx, rec).await?;
        let slot = slot_of(rec, self_id.unwrap_or(0), String::new())?;
        let existing = self
            .active_slots(
                tx,
                rec["base_id"].as_i64().unwrap_or(0),
                rec["start_at"].as_str().unwrap_or(""),
                rec["end_at"].as_str().unwrap_or(""),
                self_id.unwrap_or(0),
            )
            .await?;
        match find_conflict(&slot, &existing, capacity) {
            None => Ok(()),
            Some(c) => Err(booking_conflict(&c, "", "")),
        }
    }

    /// Checks many new bookings (a bulk load) against the stored ones and against each other,
    /// in order, inside the caller's write transaction.
    pub(crate) async fn booking_check_many(
        &self,
        tx: &mut sqlx::Transaction<'_, Any>,
        recs: &[Record],
    ) -> Result<()> {
        let bases: Vec<i64> = recs.iter().filter_map(|r| r["base_id"].as_i64()).collect();
        self.booking_lock(tx, &bases).await?;
        let mut by_base: std::collections::BTreeMap<i64, Vec<(usize, &Record)>> =
            Default::default();
        for (i, r) in recs.iter().enumerate() {
            by_base
                .entry(r["base_id"].as_i64().unwrap_or(0))
                .or_default()
                .push((i, r));
        }
        for (base, list) in by_base {
            let first = list
                .iter()
                .filter_map(|(_, r)| r["start_at"].as_str())
                .min()
                .unwrap_or("")
                .to_string();
            let last = list
                .iter()
                .filter_map(|(_, r)| r["end_at"].as_str())
                .max()
                .unwrap_or("")
                .to_string();
            let mut existing = self.active_slots(tx, base, &first, &last, 0).await?;
            let mut capacity = None;
            for (i, r) in list {
                let cap = match capacity {
                    Some(c) => c,
                    None => {
                        let c = self.booking_target_ok(tx, r).await?;
                        capacity = Some(c);
                        c
                    }
                };
                if r["equipment_id"].is_i64() {
                    self.booking_target_ok(tx, r).await?;
                }
                // New rows get negative ids so that they never match a stored one.
                let slot = slot_of(r, -(i as i64) - 1, format!("row {}", i + 1))?;
                if r["status"] != "active" {
                    continue;
                }
                if let Some(c) = find_conflict(&slot, &existing, cap) {
                    return Err(booking_conflict(
                        &c,
                        &format!("第 {} 行：", i + 1),
                        &format!("row {}: ", i + 1),
                    ));
                }
                existing.push(slot);
            }
        }
        Ok(())
    }

    /// A base the actor may read, and the bookings of it the actor may read that overlap
    /// `[from, to)` (stored instants; `None` for no bound), oldest first; when there are more than
    /// `limit`, the latest `limit` of them (a calendar feed keeps what is current).
    pub async fn base_bookings(
        &self,
        actor: &Actor,
        base_id: i64,
        from: Option<&str>,
        to: Option<&str>,
        active_only: bool,
        limit: i64,
    ) -> Result<(Record, Vec<BookingView>)> {
        let base = self.get(actor, &TRAINING_BASES, base_id).await?;
        let scopes = actor_scopes(actor, Action::Read, "bookings").ok_or(StoreError::Denied)?;
        let mut sql = Sql::default();
        // The scope clause names unqualified columns of bookings: applied through the id.
        let clause = crate::scope::clause("bookings", &scopes, &mut sql);
        let pb = sql.bind(Bind::Int(Some(base_id)));
        let mut conds = vec![
            format!("b.base_id = {pb}"),
            format!("b.id IN (SELECT id FROM bookings WHERE {clause})"),
        ];
        if let Some(f) = from {
            let p = sql.bind(Bind::Text(Some(f.to_string())));
            conds.push(format!("b.end_at > {p}"));
        }
        if let Some(t) = to {
            let p = sql.bind(Bind::Text(Some(t.to_string())));
            conds.push(format!("b.start_at < {p}"));
        }
        if active_only {
            conds.push("b.status = 'active'".into());
        }
        let pl = sql.bind(Bind::Int(Some(limit)));
        sql.text = format!(
            "{} WHERE {} ORDER BY b.start_at DESC, b.id DESC LIMIT {pl}",
            booking_select(),
            conds.join(" AND ")
        );
        let rows = sql.query().fetch_all(&self.pool).await?;
        let views = rows
            .iter()
            .rev()
            .map(|r| {
                let mut v = decode_view(r)?;
                v.record = schema::present(actor, &BOOKINGS, v.record);
                Ok(v)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((base, views))
    }

    /// Utilisation of every base the actor may read over a term (its dates, local time),
    /// from the active bookings.
    pub async fn utilisation(
        &self,
        actor: &Actor,
        term_id: i64,
        hours: &OpeningHours,
    ) -> Result<(Record, Vec<BaseUtilisation>)> {
        let term = self.get(actor, &TERMS, term_id).await?;
        let date = |k: &str| {
            term.get(k)
                .and_then(Value::as_str)
                .and_then(|d| skillbridge_core::dates::parse_date(d).ok())
                .ok_or_else(|| StoreError::Config(format!("term {term_id} has no {k}")))
        };
        let (first, last) = (date("start_date")?, date("end_date")?);
        let lo = skillbridge_core::modules::bases::booking::format_instant(
            skillbridge_core::modules::bases::booking::local_midnight(first),
        );
        let hi = skillbridge_core::modules::bases::booking::format_instant(
            skillbridge_core::modules::bases::booking::local_midnight(
                skillbridge_core::modules::bases::booking::add_days(last, 1),
            ),
        );
        let scopes =
            actor_scopes(actor, Action::Read, "training_bases").ok_or(StoreError::Denied)?;
        let mut sql = Sql::default();
        let clause = crate::scope::clause("training_bases", &scopes, &mut sql);
        sql.text = format!(
            "SELECT {} FROM training_bases WHERE {clause} ORDER BY name, id",
            columns(&TRAINING_BASES)
        );
        let bases: Vec<Record> = sql
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| decode(&TRAINING_BASES, r))
            .collect::<Result<_>>()?;
        let mut out = Vec::with_capacity(bases.len());
        for b in bases {
            let id = b["id"].as_i64().unwrap_or(0);
            let mut s = Sql::default();
            let p1 = s.bind(Bind::Int(Some(id)));
            let p2 = s.bind(Bind::Text(Some(hi.clone())));
            let p3 = s.bind(Bind::Text(Some(lo.clone())));
            s.text = format!(
                "SELECT {} FROM bookings WHERE base_id = {p1} AND status = 'active' AND start_at < {p2} AND end_at > {p3}",
                columns(&BOOKINGS)
            );
            let slots = s
                .query()
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    let rec = decode(&BOOKINGS, r)?;
                    slot_of(&rec, rec["id"].as_i64().unwrap_or(0), String::new())
                })
                .collect::<Result<Vec<_>>>()?;
            let ws = b["workstations"].as_i64().unwrap_or(0);
            out.push(BaseUtilisation {
                base_id: id,
                name: b["name"].as_str().unwrap_or("").to_string(),
                workstations: ws,
                utilisation: utilisation(&slots, ws, first, last, hours),
            });
        }
        Ok((schema::present(actor, &TERMS, term), out))
    }
}

/// The `booking_conflict` refusal, naming the bookings in the way, each message after its prefix.
fn booking_conflict(
    c: &skillbridge_core::modules::bases::booking::Conflict,
    zh: &str,
    en: &str,
) -> StoreError {
    StoreError::conflict(
        "booking_conflict",
        format!("{zh}{}", c.message_zh()),
        format!("{en}{}", c.message_en()),
    )
}
