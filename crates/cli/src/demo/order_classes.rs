//! The demo college's order classes (订单班, issue 4): three sponsored classes with real
//! competition for their seats, allocated and published, with a few offers accepted and
//! declined; and one class still open for applications.
//!
//! - 渝驰新能源汽车订单班 (the carmaker): up to 40 seats, interview, minimum grade 65; about three
//!   applicants per seat;
//! - 巴渝传媒数字媒体订单班 (the media group): up to 25 seats, portfolio scores, no interview;
//! - 渝驰沙特海外汽车售后订单班 (the carmaker's international sales company): up to 12 seats,
//!   interview, English or Arabic required;
//! - 渝驰智能网联汽车订单班: open for applications (the `student` account can apply).
//!
//! Applicants come from the 2025 cohort only, at most [`CAP_PER_PROGRAM`] per program, so a
//! demo of a million students is as quick here as one of a thousand. Everything is a function of
//! the demo seed and the students inserted ([`Candidate`]s, collected while inserting): [`plan`]
//! is pure; [`load`] writes through the store's workflow (the same calls as the API), so the
//! allocation, its snapshot, its offers and their audit entries are real.

use super::gen::{Plan, Row};
use super::rng::{mix, Rng};
use serde_json::{json, Value};
use skillbridge_core::access::{Actor, Role};
use skillbridge_core::modules::order_classes::{
    ORDER_APPLICATIONS, ORDER_CLASSES, ORDER_CLASS_PROGRAMS, ORDER_OFFERS,
};
use skillbridge_store::Store;

/// Applicants come from this cohort (second-year students choose their order class).
pub const COHORT: u16 = 2025;
/// At most this many candidates per program.
pub const CAP_PER_PROGRAM: usize = 60;
const S_ORDER: u64 = 0x4f52_4445_5243;

/// A student who may apply: collected while the students are inserted.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub major: &'static str,
    /// The student of the `student` demo account.
    pub pick: bool,
}

/// One order class of the demo.
pub struct ClassSpec {
    pub name: &'static str,
    /// Position of the sponsor in the plan's organisations.
    pub org: usize,
    pub max_seats: i64,
    /// One seat per this many applicants, up to `max_seats` (so small demos compete too).
    pub per_seat: usize,
    pub majors: &'static [&'static str],
    pub requirements: &'static str,
    pub min_grade: Option<i64>,
    pub interview: bool,
    pub open: bool,
}

/// The demo's order classes (the majors they recruit from are checked against
/// `data::PROGRAMS` by the demo tests).
pub fn classes(plan: &Plan) -> Vec<ClassSpec> {
    let a = plan.anchors;
    vec![
        ClassSpec {
            name: "渝驰新能源汽车订单班",
            org: a.carmaker,
            max_seats: 40,
            per_seat: 3,
            majors: &["460702", "460703", "460701", "460704"],
            // Traction batteries and BMS, drive motors, vehicle control; a low-voltage electrician certificate preferred
            requirements: "动力电池及管理系统、驱动电机与控制、新能源汽车整车控制；持低压电工证优先",
            min_grade: Some(65),
            interview: true,
            open: false,
        },
        ClassSpec {
            name: "巴渝传媒数字媒体订单班",
            org: a.media,
            max_seats: 25,
            per_seat: 3,
            majors: &["510204", "550103", "560213", "560214"],
            // Short-video planning and shooting, converged-media editing, live streaming; a portfolio is required
            requirements: "短视频策划与拍摄、融媒体编辑、直播运营；提交作品集",
            min_grade: Some(60),
            interview: false,
            open: false,
        },
        ClassSpec {
            name: "渝驰沙特海外汽车售后订单班",
            org: a.intl_sales,
            max_seats: 12,
            per_seat: 4,
            majors: &["500211", "500210", "570216", "460701"],
            // Vehicle diagnosis and repair, after-sales processes; English (CET-4 or equivalent) or basic Arabic; able to work two years in Jeddah, Saudi Arabia
            requirements: "汽车检测与维修、售后服务流程；英语（CET-4 或同等）或阿拉伯语基础；可赴沙特吉达工作两年",
            min_grade: Some(70),
            interview: true,
            open: false,
        },
        ClassSpec {
            name: "渝驰智能网联汽车订单班",
            org: a.carmaker,
            max_seats: 30,
            per_seat: 3,
            majors: &["460701", "460703", "460704"],
            // Assembly and testing of connected vehicles, in-vehicle networks
            requirements: "智能网联汽车装调与测试、车载网络",
            min_grade: None,
            interview: true,
            open: true,
        },
    ]
}

/// One application of the demo: candidate, class, the candidate's rank of it, grade and score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSpec {
    pub candidate: usize,
    pub class: usize,
    pub rank: i64,
    pub grade: i64,
    pub score: Option<i64>,
}

/// The applications: three in four candidates apply to the allocated classes open to their
/// program, in a random order of preference; grades 55–98; interview or portfolio scores for
/// nine in ten. The `student` account's student puts the new-energy class first, with a score
/// that places them, and leaves their offer for the visitor to answer.
pub fn applications(plan: &Plan, specs: &[ClassSpec], candidates: &[Candidate]) -> Vec<AppSpec> {
    let mut rng = Rng::new(mix(plan.seed, S_ORDER), 1);
    let mut out = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let mut eligible: Vec<usize> = specs
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.open && s.majors.contains(&c.major))
            .map(|(k, _)| k)
            .collect();
        if !c.pick && (eligible.is_empty() || !rng.chance(0.75)) {
            continue;
        }
        // A random order of preference (Fisher–Yates), then a random length.
        for k in (1..eligible.len()).rev() {
            eligible.swap(k, rng.below(k + 1));
        }
        if c.pick {
            eligible.sort_by_key(|k| usize::from(specs[*k].name != "渝驰新能源汽车订单班"));
        } else {
            eligible.truncate(1 + rng.below(eligible.len()));
        }
        let grade = if c.pick { 88 } else { rng.range(55, 98) };
        for (r, k) in eligible.iter().enumerate() {
            let score = if c.pick {
                Some(96)
            } else if rng.chance(0.9) {
                Some(rng.range(50, 100))
            } else {
                None
            };
            out.push(AppSpec {
                candidate: i,
                class: *k,
                rank: r as i64 + 1,
                grade,
                score,
            });
        }
    }
    out
}

/// Early applications to the classes still open (issue 10: the sponsor's HR has applicants to
/// score on its home page): about one eligible candidate in ten, never the `student` account's
/// (who applies in the browser tests), ranked after their other choices, without a score. Drawn
/// from a stream of its own, so the allocated classes' applications stay as they were.
pub fn open_applications(
    plan: &Plan,
    specs: &[ClassSpec],
    candidates: &[Candidate],
    earlier: &[AppSpec],
) -> Vec<AppSpec> {
    let mut rng = Rng::new(mix(plan.seed, S_ORDER), 3);
    let mut out = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        for (k, s) in specs.iter().enumerate() {
            if !s.open || c.pick || !s.majors.contains(&c.major) || !rng.chance(0.1) {
                continue;
            }
            let mine: Vec<&AppSpec> = earlier.iter().filter(|a| a.candidate == i).collect();
            let grade = mine.first().map_or_else(|| rng.range(55, 98), |a| a.grade);
            out.push(AppSpec {
                candidate: i,
                class: k,
                rank: mine.len() as i64 + 1,
                grade,
                score: None,
            });
        }
    }
    out
}

/// Seats of each allocated class: one per `per_seat` applicants, at least 2, at most the class's
/// maximum; a class still open has its maximum.
pub fn seats(specs: &[ClassSpec], apps: &[AppSpec]) -> Vec<i64> {
    specs
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let n = apps.iter().filter(|a| a.class == k).count();
            if s.open {
                s.max_seats
            } else {
                ((n / s.per_seat) as i64).clamp(2, s.max_seats)
            }
        })
        .collect()
}

fn class_row(s: &ClassSpec, org_id: i64, seats: i64) -> Row {
    let (opens, closes, status) = if s.open {
        ("2026-11-01", "2027-06-30", "open")
    } else {
        ("2026-09-01", "2026-10-15", "closed")
    };
    let v = json!({
        "name": s.name, "org_id": org_id, "seats": seats, "entry_years": COHORT.to_string(),
        "requirements": s.requirements, "opens_on": opens, "closes_on": closes,
        "min_grade": s.min_grade, "interview_required": s.interview, "status": status,
    });
    v.as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// What the load did, for the summary line.
pub struct Loaded {
    pub classes: usize,
    pub applications: usize,
    pub offers: usize,
    pub accepted: usize,
    pub declined: usize,
    /// A student other than the `student` account's whose offer is left to answer (the first
    /// by offer id): the `student2` demo account, for pages that need an offer still pending.
    pub pending: Option<i64>,
}

/// Inserts the order classes and applications, runs and publishes the allocation, and answers a
/// few offers (one in five accepted, one in twelve declined; never the `student` account's).
pub async fn load(
    store: &Store,
    plan: &Plan,
    org_ids: &[i64],
    program_ids: &[i64],
    candidates: &[Candidate],
) -> Result<Loaded, String> {
    let specs = classes(plan);
    let mut apps = applications(plan, &specs, candidates);
    apps.extend(open_applications(plan, &specs, candidates, &apps));
    let seats = seats(&specs, &apps);
    let class_ids = insert_classes(store, plan, &specs, &seats, org_ids, program_ids).await?;
    insert_applications(store, &apps, candidates, &class_ids).await?;
    let run_id = allocate_and_publish(store, plan, &specs, &class_ids).await?;
    let (offers, accepted, declined, pending) =
        answer_offers(store, plan, run_id, candidates).await?;
    Ok(Loaded {
        classes: specs.len(),
        applications: apps.len(),
        offers,
        accepted,
        declined,
        pending,
    })
}

/// The order classes with their seats, and the programs each recruits from; returns the
/// classes' ids.
async fn insert_classes(
    store: &Store,
    plan: &Plan,
    specs: &[ClassSpec],
    seats: &[i64],
    org_ids: &[i64],
    program_ids: &[i64],
) -> Result<Vec<i64>, String> {
    let rows: Vec<Row> = specs
        .iter()
        .zip(seats)
        .map(|(s, n)| class_row(s, org_ids[s.org], *n))
        .collect();
    let class_ids = store
        .bulk_insert(&ORDER_CLASSES, rows)
        .await
        .map_err(|e| format!("order classes: {e:?}"))?;
    let mut links = Vec::new();
    for (s, id) in specs.iter().zip(&class_ids) {
        for m in s.majors {
            let p = plan
                .programs
                .iter()
                .position(|p| p.def.major == *m)
                .ok_or_else(|| format!("order class {}: no program {m}", s.name))?;
            links.push(
                json!({"order_class_id": id, "program_id": program_ids[p]})
                    .as_object()
                    .unwrap()
                    .clone(),
            );
        }
    }
    store
        .bulk_insert(&ORDER_CLASS_PROGRAMS, links)
        .await
        .map_err(|e| format!("order class programs: {e:?}"))?;
    Ok(class_ids)
}

async fn insert_applications(
    store: &Store,
    apps: &[AppSpec],
    candidates: &[Candidate],
    class_ids: &[i64],
) -> Result<(), String> {
    let app_rows: Vec<Row> = apps
        .iter()
        .map(|a| {
            let mut r: Row = json!({
                "student_id": candidates[a.candidate].id, "order_class_id": class_ids[a.class],
                "student_rank": a.rank, "grade_average": a.grade, "status": "submitted",
            })
            .as_object()
            .unwrap()
            .clone();
            if let Some(s) = a.score {
                r.insert("interview_score".into(), Value::from(s));
            }
            r
        })
        .collect();
    store
        .bulk_insert(&ORDER_APPLICATIONS, app_rows)
        .await
        .map_err(|e| format!("order applications: {e:?}"))?;
    Ok(())
}

/// The allocation of the closed classes, with a seed drawn from the demo's, published; returns
/// the run's id.
async fn allocate_and_publish(
    store: &Store,
    plan: &Plan,
    specs: &[ClassSpec],
    class_ids: &[i64],
) -> Result<i64, String> {
    let sys = Actor::system();
    let allocated: Vec<i64> = specs
        .iter()
        .zip(class_ids)
        .filter(|(s, _)| !s.open)
        .map(|(_, id)| *id)
        .collect();
    let seed = mix(plan.seed, S_ORDER + 1);
    let run = store
        .order_classes()
        .run_allocation(&sys, &allocated, Some(seed), "cli")
        .await
        .map_err(|e| format!("allocation: {e:?}"))?;
    let run_id = run["id"].as_i64().unwrap_or(0);
    // The deadline is fixed for determinism, unless the clock has passed it.
    let today = skillbridge_store::college_today();
    let respond_by = if today.as_str() < "2026-12-31" {
        "2026-12-31".to_string()
    } else {
        today
    };
    store
        .order_classes()
        .publish_run(&sys, run_id, &respond_by, "cli")
        .await
        .map_err(|e| format!("publish: {e:?}"))?;
    Ok(run_id)
}

/// Students answer some of the run's offers, each as themselves; returns how many offers
/// there were, how many were accepted and declined, and the first student (by offer id) other
/// than the `student` account's whose offer is left unanswered.
async fn answer_offers(
    store: &Store,
    plan: &Plan,
    run_id: i64,
    candidates: &[Candidate],
) -> Result<(usize, usize, usize, Option<i64>), String> {
    let offers = store
        .list(
            &Actor::system(),
            &ORDER_OFFERS,
            &skillbridge_store::ListQuery {
                filters: vec![("allocation_run_id".into(), run_id.to_string())],
                limit: 500,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| e.to_string())?
        .items;
    let pick = candidates.iter().find(|c| c.pick).map(|c| c.id);
    let mut rng = Rng::new(mix(plan.seed, S_ORDER), 2);
    let (mut accepted, mut declined) = (0, 0);
    let mut pending = None;
    for o in &offers {
        let student = o["student_id"].as_i64().unwrap_or(0);
        let roll = rng.unit();
        if Some(student) == pick || roll >= 0.2 + 1.0 / 12.0 {
            if Some(student) != pick && o["status"] == "offered" {
                let id = o["id"].as_i64().unwrap_or(0);
                if pending.is_none_or(|(first, _)| id < first) {
                    pending = Some((id, student));
                }
            }
            continue;
        }
        let accept = roll < 0.2;
        let actor = Actor {
            user_id: None,
            username: format!("demo-student-{student}"),
            roles: vec![Role::Student {
                student_id: student,
            }],
        };
        store
            .order_classes()
            .respond_offer(&actor, o["id"].as_i64().unwrap_or(0), accept, "cli")
            .await
            .map_err(|e| format!("offer answer: {e:?}"))?;
        if accept {
            accepted += 1;
        } else {
            declined += 1;
        }
    }
    Ok((offers.len(), accepted, declined, pending.map(|(_, s)| s)))
}

/// The student of the `student3` demo account (issue 10, to-dos): the first student, other than
/// the `student` and `student2` (`avoid`) accounts', whose offer is still unanswered, so that the to-do centre has a
/// pending offer to show whatever was done with `student`'s. Returns (student id, name).
pub async fn pending_offer_student(
    store: &Store,
    candidates: &[Candidate],
    avoid: Option<i64>,
) -> Result<Option<(i64, String)>, String> {
    let sys = Actor::system();
    let pick = candidates.iter().find(|c| c.pick).map(|c| c.id);
    let offers = store
        .list(
            &sys,
            &ORDER_OFFERS,
            &skillbridge_store::ListQuery {
                filters: vec![("status".into(), "offered".into())],
                limit: 50,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| e.to_string())?
        .items;
    let Some(student) = offers
        .iter()
        .filter_map(|o| o["student_id"].as_i64())
        .find(|s| Some(*s) != pick && Some(*s) != avoid)
    else {
        return Ok(None);
    };
    let rec = store
        .get(&sys, &skillbridge_core::modules::college::STUDENTS, student)
        .await
        .map_err(|e| e.to_string())?;
    let name = rec["name"].as_str().unwrap_or_default().to_string();
    Ok(Some((student, name)))
}
