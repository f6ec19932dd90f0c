//! `skillbridge demo`: fills an empty database with a demo college, 重庆渝新职业技术学院
//! (Chongqing Yuxin Polytechnic), deterministically from a seed: the same `--students` and
//! `--seed` give the same records, byte for byte (except the `created_at`/`updated_at`
//! timestamps the store sets).
//!
//! Demo accounts, all with the password `SkillBridge-Demo-2026` (the `admin` account is the
//! usual one, created by `ensure_admin` with its own password):
//!
//! | username  | role                       | scope                                                        | password              |
//! |-----------|----------------------------|--------------------------------------------------------------|-----------------------|
//! | `leader`  | leader                     | college-wide, read-only                                      | SkillBridge-Demo-2026 |
//! | `jwc`     | staff: academic_affairs    | 教务处, college-wide                                         | SkillBridge-Demo-2026 |
//! | `xsc`     | staff: student_affairs     | 学生处, college-wide                                         | SkillBridge-Demo-2026 |
//! | `zsjy`    | staff: employment          | 招生就业处, college-wide                                     | SkillBridge-Demo-2026 |
//! | `xqhz`    | staff: cooperation         | 校企合作处, college-wide                                     | SkillBridge-Demo-2026 |
//! | `gjjl`    | staff: international       | 国际交流处, college-wide                                     | SkillBridge-Demo-2026 |
//! | `qc.jwc`  | staff: academic_affairs    | 汽车工程学院 only                                            | SkillBridge-Demo-2026 |
//! | `teacher` | teacher                    | class adviser of the `student`'s class (and of a graduated class), their teacher mentor; one mentee 休学 | SkillBridge-Demo-2026 |
//! | `mentor`  | enterprise: mentor         | 重庆渝驰汽车股份有限公司, enterprise mentor of the `student` | SkillBridge-Demo-2026 |
//! | `hr`      | enterprise: hr             | 重庆渝驰汽车股份有限公司                                     | SkillBridge-Demo-2026 |
//! | `media`   | enterprise: contact        | 重庆巴渝数字传媒集团有限公司                                 | SkillBridge-Demo-2026 |
//! | `student` | student                    | a 2025 汽车制造与试验技术 student (汽车工程学院) with both mentors | SkillBridge-Demo-2026 |
//! | `student2`| student                    | a 2025 student with an order class offer still to answer     | SkillBridge-Demo-2026 |
//! | `student3` | student                   | another student with an order-class offer still to answer (a to-do) | SkillBridge-Demo-2026 |
//!
//! Layout: `demo/data.rs` holds the fixed vocabulary (schools, programs with their national major
//! codes, name characters, places, the anchor and foreign partners); `demo/gen.rs` generates every
//! record as pure functions of (students, seed), the students lazily; `demo/rng.rs` holds the
//! PRNG (xoshiro256**, splitmix64) and the keyed permutation that makes identifiers unique. This
//! file does the I/O: it inserts through `Store::bulk_insert` in dependency order, in chunks, and
//! writes one audit record for the whole load.
//!
//! Suspended and withdrawn students are inserted in that status (the lifecycle governs changes,
//! not how existing records are loaded), so the records load with one audit record; the order
//! classes' allocation then runs through the store's workflow (`demo/order_classes.rs`), which
//! audits the run, its publication and the answers to offers like any other.

mod adjuncts;
mod bases;
mod competitions;
mod data;
mod gen;
mod international;
mod order_classes;
mod plans;
mod research;
mod resources;
mod rng;
mod status_changes;

use crate::config::Config;
use gen::{Plan, RoleSpec, Row, StudentSpec};
use skillbridge_core::access::{Actor, Role};
use skillbridge_core::audit::AuditEvent;
use skillbridge_core::modules::adjuncts::ADJUNCT_TEACHING;
use skillbridge_core::modules::bases::{BASE_PROGRAMS, BOOKINGS, EQUIPMENT, TRAINING_BASES};
use skillbridge_core::modules::college::{
    ACADEMIC_YEARS, CLASSES, PROGRAMS, SCHOOLS, STAFF, STUDENTS, TERMS,
};
use skillbridge_core::modules::partners::{AGREEMENTS, CONTACTS, MENTORS, ORGANISATIONS};
use skillbridge_core::schema::ResourceDef;
use skillbridge_store::Store;
use std::time::Instant;

type Result<T> = std::result::Result<T, String>;

/// Rows per `bulk_insert` call.
const CHUNK: usize = 20_000;

pub async fn run(cfg: &Config, students: usize, seed: u64) -> Result<()> {
    let started = Instant::now();
    // Validate the arguments and build the plan before touching the database.
    let plan = Plan::new(students, seed)?;
    skillbridge_core::password::check_new_password(data::PASSWORD, "demo")
        .map_err(|m| format!("the demo password {m}"))?;
    let store = open_empty(cfg).await?;
    crate::commands::ensure_admin(&store).await?;

    eprintln!(
        "demo: {} for {students} students, seed {seed}",
        data::COLLEGE
    );
    let ids = insert_college(&store, &plan).await?;
    let loaded = insert_students(&store, &plan, &ids, students).await?;
    let (mut accounts, actors) = create_accounts(&store, &plan, &ids, &loaded).await?;
    give_teacher_a_past_class(&store, &plan, &ids, &loaded).await?;
    // Talent-cultivation plans (issue 12 §2): every program's 2026 plan, approved; a second
    // version for the automotive programs.
    let pl = plans::load(
        &store,
        &plan,
        &ids.programs,
        &ids.staff,
        &ids.orgs,
        &ids.contacts,
    )
    .await?;
    eprintln!(
        "plans {} (approved {}), plan courses {}",
        pl.plans, pl.approved, pl.courses
    );
    // Order classes (issue 4): classes, applications, a published allocation, some answers.
    let oc =
        order_classes::load(&store, &plan, &ids.orgs, &ids.programs, &loaded.candidates).await?;
    if let Some(student_id) = oc.pending {
        accounts.push(create_student2(&store, student_id).await?);
    }
    // Issue 10 (to-dos): `student3`, another student whose offer is still to answer.
    let mut student3 = None;
    if let Some((student_id, name)) =
        order_classes::pending_offer_student(&store, &loaded.candidates, oc.pending).await?
    {
        let role = Role::Student { student_id };
        create_account(&store, "student3", &name, role).await?;
        accounts.push(gen::Account {
            username: "student3",
            display_name: name,
            role: RoleSpec::Student,
            scope: "a student with an offer to answer 有待答复的订单班录取".into(),
        });
        student3 = Some(student_id);
    }
    let keep: Vec<i64> = oc.pending.into_iter().chain(student3).collect();
    let actor = |name: &str| {
        actors
            .iter()
            .find(|a| a.username == name)
            .cloned()
            .ok_or(format!("no demo account {name}"))
    };
    let (teacher, office) = (actor("teacher")?, actor("jwc")?);
    suspend_a_mentee(&store, &plan, &ids, &loaded, &keep, &teacher, &office).await?;
    eprintln!(
        "order classes {}, applications {}, offers {} ({} accepted, {} declined)",
        oc.classes, oc.applications, oc.offers, oc.accepted, oc.declined
    );

    // Status changes (issue 10 §8): a few requests in each state, filed by `teacher`, decided
    // by `jwc`.
    let skip: Vec<i64> = keep.iter().copied().chain([loaded.student_id]).collect();
    let sc = status_changes::load(&store, &teacher, &office, &skip).await?;
    eprintln!(
        "status changes: {} pending, {} approved, {} applied, {} rejected",
        sc.pending, sc.approved, sc.applied, sc.rejected
    );

    load_competitions_and_international(&store, &plan, &ids, &loaded, &skip).await?;
    // Joint R&D and digital teaching resources (issue 12 §3, §4).
    load_rd_and_resources(&store, &plan, &ids, loaded.student_id).await?;
    let detail = summary(seed, &ids, &loaded, accounts.len(), &oc);
    store
        .audit(AuditEvent {
            actor: "system".into(),
            role: "admin".into(),
            action: "demo".into(),
            object: "database".into(),
            outcome: "ok".into(),
            source: "cli".into(),
            detail: detail.clone(),
        })
        .await
        .map_err(|e| e.to_string())?;
    store.close().await;

    println!(
        "Filled the database with the demo college {} ({}) in {:.1} s:",
        data::COLLEGE,
        data::COLLEGE_EN,
        started.elapsed().as_secs_f64()
    );
    println!("  {}", detail.replace(' ', ", "));
    println!();
    print!("{}", account_table(&accounts));
    Ok(())
}

/// Competitions and start-ups, and international exchange (issue 15).
async fn load_competitions_and_international(
    store: &Store,
    plan: &Plan,
    ids: &Ids,
    loaded: &Loaded,
    skip: &[i64],
) -> Result<()> {
    // Competitions and start-ups (issue 15 §2): awards at each level, start-ups at each stage;
    // the `student` account on a team the `teacher` and `mentor` accounts advise.
    let people = competitions::People::new(
        plan,
        &ids.schools,
        &loaded.candidates,
        &ids.staff,
        ids.staff[plan.classes[loaded.pick.class].adviser],
        ids.contacts[loaded.pick.enterprise_mentor],
    );
    let comp = competitions::load(store, &people).await?;
    eprintln!(
        "competition awards {}, start-ups {}",
        comp.awards, comp.startups
    );
    // International exchange (issue 15 §1).
    let intl = international::Ctx {
        schools: &ids.schools,
        orgs: &ids.orgs,
        programs_by_school: (0..ids.schools.len())
            .map(|s| {
                plan.programs
                    .iter()
                    .zip(&ids.programs)
                    .filter(|(p, _)| p.def.school == s)
                    .map(|(_, id)| *id)
                    .collect()
            })
            .collect(),
        skip,
    };
    let ic = international::load(store, &intl).await?;
    eprintln!("international: {ic:?}");
    Ok(())
}

/// Joint R&D projects and digital teaching resources (issue 12 §3, §4); `student` assists on
/// the diagnostic system.
async fn load_rd_and_resources(store: &Store, plan: &Plan, ids: &Ids, student: i64) -> Result<()> {
    let rd = research::load(store, plan, &ids.schools, &ids.staff, &ids.orgs, student).await?;
    let res = resources::load(
        store,
        plan,
        &ids.schools,
        &ids.programs,
        &ids.staff,
        &ids.orgs,
        &ids.contacts,
    )
    .await?;
    eprintln!(
        "R&D projects {} (received {} yuan), teaching resources {res}",
        rd.projects,
        rd.received_fen / 100
    );
    Ok(())
}

/// Opens the database, which must hold no schools, students or demo accounts yet.
async fn open_empty(cfg: &Config) -> Result<Store> {
    let store = cfg.open_store().await?;
    let schools = store.count(&SCHOOLS).await.map_err(|e| e.to_string())?;
    let existing = store.count(&STUDENTS).await.map_err(|e| e.to_string())?;
    if schools > 0 || existing > 0 {
        return Err(format!(
            "the database {} already has {schools} schools and {existing} students; \
             `skillbridge demo` only fills an empty database (use a new --database-url)",
            cfg.database_url_redacted()
        ));
    }
    for a in ["leader", "jwc", "student"] {
        if store
            .user_by_username(a)
            .await
            .map_err(|e| e.to_string())?
            .is_some()
        {
            return Err(format!(
                "the database already has an account named {a}; `skillbridge demo` only fills an empty database"
            ));
        }
    }
    Ok(store)
}

/// The ids the store gave the records of the plan, in the plan's order.
struct Ids {
    schools: Vec<i64>,
    programs: Vec<i64>,
    years: Vec<i64>,
    terms: Vec<i64>,
    staff: Vec<i64>,
    classes: Vec<i64>,
    orgs: Vec<i64>,
    agreements: Vec<i64>,
    contacts: Vec<i64>,
    bases: Vec<i64>,
    base_programs: Vec<i64>,
    equipment: Vec<i64>,
    bookings: Vec<i64>,
    adjunct_teaching: Vec<i64>,
}

/// Everything but the students, in dependency order: the institution, the partners, the
/// training bases with their equipment and one term of bookings (checked for conflicts on
/// insert).
async fn insert_college(store: &Store, plan: &Plan) -> Result<Ids> {
    let ins = move |def: &'static ResourceDef, rows: Vec<Row>| insert(store, def, rows);
    let schools = ins(&SCHOOLS, plan.school_rows()).await?;
    let programs = ins(&PROGRAMS, plan.program_rows(&schools)).await?;
    let years = ins(&ACADEMIC_YEARS, plan.academic_year_rows()).await?;
    let terms = ins(&TERMS, plan.term_rows(&years)).await?;
    let staff = ins(&STAFF, plan.staff_rows(&schools)).await?;
    let classes = ins(&CLASSES, plan.class_rows(&programs, &staff)).await?;
    let orgs = ins(&ORGANISATIONS, plan.org_rows()).await?;
    let agreements = ins(&AGREEMENTS, plan.agreement_rows(&orgs)).await?;
    let contacts = ins(&CONTACTS, plan.contact_rows(&orgs)).await?;
    let bases = ins(&TRAINING_BASES, bases::base_rows(plan, &schools, &orgs)).await?;
    let base_programs = ins(
        &BASE_PROGRAMS,
        bases::base_program_rows(plan, &bases, &programs),
    )
    .await?;
    let equipment_rows = bases::equipment_rows(plan, &bases);
    let equipment = ins(&EQUIPMENT, equipment_rows.clone()).await?;
    let with_ids: Vec<(i64, Row)> = equipment.iter().copied().zip(equipment_rows).collect();
    let bookings = ins(
        &BOOKINGS,
        bases::booking_rows(plan, &bases, &with_ids, &classes, &staff),
    )
    .await?;
    let adjunct_teaching = ins(
        &ADJUNCT_TEACHING,
        adjuncts::adjunct_rows(plan, &contacts, &terms, &schools),
    )
    .await?;
    Ok(Ids {
        schools,
        programs,
        years,
        terms,
        staff,
        classes,
        orgs,
        agreements,
        contacts,
        bases,
        base_programs,
        equipment,
        bookings,
        adjunct_teaching,
    })
}

/// What loading the students gave: how many students and mentor assignments, the students who
/// may apply to order classes, and the student of the `student` account with its id.
struct Loaded {
    students: usize,
    mentors: usize,
    candidates: Vec<order_classes::Candidate>,
    pick: gen::Pick,
    student_id: i64,
}

/// Students, a chunk at a time, each chunk followed by its mentor assignments; on the way,
/// the order class candidates (issue 4) and the student of the `student` account.
async fn insert_students(store: &Store, plan: &Plan, ids: &Ids, students: usize) -> Result<Loaded> {
    let mut gen = plan.students();
    let (mut done, mut mentors) = (0usize, 0usize);
    let mut pick: Option<(gen::Pick, i64)> = None;
    let mut candidates: Vec<order_classes::Candidate> = Vec::new();
    let mut per_program = vec![0usize; plan.programs.len()];
    let t0 = Instant::now();
    loop {
        let specs: Vec<StudentSpec> = gen.by_ref().take(CHUNK).collect();
        if specs.is_empty() {
            break;
        }
        let rows = specs
            .iter()
            .map(|s| s.row(&ids.programs, &ids.classes))
            .collect();
        let student_ids = store
            .bulk_insert(&STUDENTS, rows)
            .await
            .map_err(|e| describe("students", e))?;
        let mrows: Vec<Row> = specs
            .iter()
            .zip(&student_ids)
            .flat_map(|(s, id)| s.mentor_rows(*id, &ids.staff, &ids.contacts))
            .collect();
        mentors += mrows.len();
        if !mrows.is_empty() {
            store
                .bulk_insert(&MENTORS, mrows)
                .await
                .map_err(|e| describe("mentors", e))?;
        }
        for (s, id) in specs.iter().zip(&student_ids) {
            if s.year == order_classes::COHORT
                && s.status == "enrolled"
                && (per_program[s.program] < order_classes::CAP_PER_PROGRAM || s.pick)
            {
                per_program[s.program] += 1;
                candidates.push(order_classes::Candidate {
                    id: *id,
                    major: plan.programs[s.program].def.major,
                    pick: s.pick,
                });
            }
            if s.pick {
                pick = Some((
                    gen::Pick {
                        student_no: s.student_no.clone(),
                        name: s.name.clone(),
                        class: s.class,
                        enterprise_mentor: s.enterprise_mentor.unwrap_or_default(),
                    },
                    *id,
                ));
            }
        }
        done += specs.len();
        let secs = t0.elapsed().as_secs_f64();
        eprintln!(
            "students {done}/{students} (mentors {mentors}, {:.0} students/s)",
            done as f64 / secs.max(0.001)
        );
    }
    let (pick, student_id) =
        pick.ok_or("no student qualified for the `student` account (too few students?)")?;
    Ok(Loaded {
        students: done,
        mentors,
        candidates,
        pick,
        student_id,
    })
}

/// The `teacher` account advises the `student`'s class; advisers take classes in turn, so in a
/// small demo they may have advised no class that has since graduated. The home page lists
/// current classes only (issue 10), so the teacher is made adviser of a graduated class of the
/// same program too, when they are not one already (an audited change, like any other).
async fn give_teacher_a_past_class(
    store: &Store,
    plan: &Plan,
    ids: &Ids,
    loaded: &Loaded,
) -> Result<()> {
    let current = &plan.classes[loaded.pick.class];
    let adviser = current.adviser;
    let past = |c: &&gen::Class| c.program == current.program && c.year < data::FIRST_CURRENT;
    if plan
        .classes
        .iter()
        .filter(past)
        .any(|c| c.adviser == adviser)
    {
        return Ok(());
    }
    // The most recent cohort that has graduated.
    let Some(k) = plan.classes.iter().rposition(|c| past(&c)) else {
        return Ok(());
    };
    let patch = serde_json::json!({"adviser_id": ids.staff[adviser]});
    store
        .update(
            &Actor::system(),
            &CLASSES,
            ids.classes[k],
            patch.as_object().expect("an object"),
            "cli",
        )
        .await
        .map_err(|e| format!("a past class for the teacher: {e}"))?;
    Ok(())
}

/// One of the `teacher` account's mentees takes a leave of absence (休学), so the teacher's home
/// page has a mentee needing attention (issue 10): the last by id, never the `student`,
/// `student2` or `student3` account's. Filed and approved through the status-change procedure (学籍异动), like any other.
async fn suspend_a_mentee(
    store: &Store,
    plan: &Plan,
    ids: &Ids,
    loaded: &Loaded,
    keep: &[i64],
    filer: &Actor,
    office: &Actor,
) -> Result<()> {
    let sys = Actor::system();
    let teacher = ids.staff[plan.classes[loaded.pick.class].adviser];
    let mentees = store
        .list(
            &sys,
            &MENTORS,
            &skillbridge_store::ListQuery {
                filters: vec![("staff_id".into(), teacher.to_string())],
                limit: 500,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| e.to_string())?
        .items;
    let Some(student) = mentees
        .iter()
        .filter_map(|m| m["student_id"].as_i64())
        .filter(|id| *id != loaded.student_id && !keep.contains(id))
        .max()
    else {
        return Ok(());
    };
    // Through the procedure (学籍异动), as the status may only change: filed by the teacher,
    // approved by the office, effective today.
    let today = skillbridge_core::dates::now_plus(8 * 3600)[..10].to_string();
    let input = serde_json::json!({"student_id": student, "change_type": "suspend",
        "reason": "因病需休养，申请休学一学期", "effective_date": today});
    let sc = store.status_changes();
    let req = sc
        .file(filer, input.as_object().expect("an object"), "cli")
        .await
        .map_err(|e| format!("a suspended mentee: {e}"))?;
    let id = req["id"].as_i64().unwrap_or(0);
    sc.decide(office, id, true, Some("同意休学"), "cli")
        .await
        .map_err(|e| format!("a suspended mentee, approval: {e}"))?;
    Ok(())
}

/// `student2` (issue 10): a student whose order class offer is still to be answered, for the
/// pages that show a pending offer (the `student` account's offer is accepted by the browser
/// tests early on).
async fn create_student2(store: &Store, student_id: i64) -> Result<gen::Account> {
    let sys = Actor::system();
    let rec = store
        .get(&sys, &STUDENTS, student_id)
        .await
        .map_err(|e| format!("student2: {e}"))?;
    let text = |k: &str| rec.get(k).and_then(|v| v.as_str()).unwrap_or_default();
    let (name, no) = (text("name").to_string(), text("student_no").to_string());
    let hash = tokio::task::spawn_blocking(|| skillbridge_web::auth::hash_password(data::PASSWORD))
        .await
        .map_err(|e| e.to_string())?;
    store
        .accounts()
        .create_user(
            &sys,
            "student2",
            &name,
            &hash,
            &[Role::Student { student_id }],
            "cli",
        )
        .await
        .map_err(|e| format!("account student2: {e}"))?;
    Ok(gen::Account {
        username: "student2",
        display_name: name.clone(),
        role: RoleSpec::Student,
        scope: format!("{no} {name}, an order class offer to answer"),
    })
}

/// The demo accounts, all with the same password, hashed once.
async fn create_accounts(
    store: &Store,
    plan: &Plan,
    ids: &Ids,
    loaded: &Loaded,
) -> Result<(Vec<gen::Account>, Vec<Actor>)> {
    let sys = Actor::system();
    let mut actors = Vec::new();
    let hash = tokio::task::spawn_blocking(|| skillbridge_web::auth::hash_password(data::PASSWORD))
        .await
        .map_err(|e| e.to_string())?;
    let accounts = plan.accounts(&loaded.pick);
    for a in &accounts {
        skillbridge_core::password::check_new_password(data::PASSWORD, a.username)
            .map_err(|m| format!("the demo password for {} {m}", a.username))?;
        let role = match &a.role {
            RoleSpec::Leader => Role::Leader,
            RoleSpec::Staff { office, school } => Role::Staff {
                office: *office,
                school_id: school.map(|s| ids.schools[s]),
            },
            RoleSpec::Teacher { staff } => Role::Teacher {
                staff_id: ids.staff[*staff],
            },
            RoleSpec::Enterprise {
                org,
                contact,
                relation,
            } => Role::Enterprise {
                org_id: ids.orgs[*org],
                contact_id: ids.contacts[*contact],
                relation: *relation,
            },
            RoleSpec::Student => Role::Student {
                student_id: loaded.student_id,
            },
        };
        let id = store
            .accounts()
            .create_user(
                &sys,
                a.username,
                &a.display_name,
                &hash,
                std::slice::from_ref(&role),
                "cli",
            )
            .await
            .map_err(|e| format!("account {}: {e}", a.username))?;
        demo_preferences(store, id, a.username).await?;
        actors.push(Actor {
            user_id: Some(id),
            username: a.username.to_string(),
            roles: vec![role],
        });
    }
    Ok((accounts, actors))
}

/// One more demo account with the demo password.
async fn create_account(store: &Store, username: &str, name: &str, role: Role) -> Result<()> {
    skillbridge_core::password::check_new_password(data::PASSWORD, username)
        .map_err(|m| format!("the demo password for {username} {m}"))?;
    let hash = tokio::task::spawn_blocking(|| skillbridge_web::auth::hash_password(data::PASSWORD))
        .await
        .map_err(|e| e.to_string())?;
    let id = store
        .accounts()
        .create_user(&Actor::system(), username, name, &hash, &[role], "cli")
        .await
        .map_err(|e| format!("account {username}: {e}"))?;
    demo_preferences(store, id, username).await
}

/// A demo account's notification address, in the reserved demo domain (issue 10): e-mail stays
/// off until the user turns it on (and the server has a relay).
async fn demo_preferences(store: &Store, user_id: i64, username: &str) -> Result<()> {
    let actor = store.load_actor(user_id).await.map_err(|e| e.to_string())?;
    let prefs = skillbridge_core::modules::todos::parse_preferences(
        "zh",
        false,
        Some(&format!("{username}@example.edu.cn")),
    )
    .map_err(|e| format!("{e:?}"))?;
    store
        .todos()
        .set_preferences(&actor, &prefs, "cli")
        .await
        .map_err(|e| format!("preferences of {username}: {e}"))?;
    Ok(())
}

/// The counts of what was loaded, as the demo's audit entry and its last message give them.
fn summary(
    seed: u64,
    ids: &Ids,
    loaded: &Loaded,
    accounts: usize,
    oc: &order_classes::Loaded,
) -> String {
    format!(
        "seed={seed} schools={} programs={} academic_years={} terms={} staff={} classes={} \
         students={} organisations={} agreements={} contacts={} mentors={} \
         training_bases={} base_programs={} equipment={} bookings={} accounts={accounts} \
         order_classes={} order_applications={} order_offers={} adjunct_teaching={}",
        ids.schools.len(),
        ids.programs.len(),
        ids.years.len(),
        ids.terms.len(),
        ids.staff.len(),
        ids.classes.len(),
        loaded.students,
        ids.orgs.len(),
        ids.agreements.len(),
        ids.contacts.len(),
        loaded.mentors,
        ids.bases.len(),
        ids.base_programs.len(),
        ids.equipment.len(),
        ids.bookings.len(),
        oc.classes,
        oc.applications,
        oc.offers,
        ids.adjunct_teaching.len(),
    )
}

/// Inserts small record sets (chunked all the same) and reports them on stderr.
async fn insert(store: &Store, def: &'static ResourceDef, rows: Vec<Row>) -> Result<Vec<i64>> {
    let total = rows.len();
    let mut ids = Vec::with_capacity(total);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Row> = rows.by_ref().take(CHUNK).collect();
        ids.extend(
            store
                .bulk_insert(def, chunk)
                .await
                .map_err(|e| describe(def.name, e))?,
        );
        eprintln!("{} {}/{total}", def.name, ids.len());
    }
    Ok(ids)
}

fn describe(what: &str, e: skillbridge_store::StoreError) -> String {
    match e {
        skillbridge_store::StoreError::Invalid(errs) => {
            let list: Vec<String> = errs
                .iter()
                .take(5)
                .map(|e| format!("{} {}", e.field, e.message))
                .collect();
            format!("{what}: invalid demo data: {}", list.join("; "))
        }
        other => format!("{what}: {other}"),
    }
}

/// The account table printed at the end (the same as at the top of this file, with names).
fn account_table(accounts: &[gen::Account]) -> String {
    let role = |r: &RoleSpec| match r {
        RoleSpec::Leader => "leader".to_string(),
        RoleSpec::Staff { office, .. } => format!(
            "staff: {}",
            serde_json::to_value(office)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ),
        RoleSpec::Teacher { .. } => "teacher".into(),
        RoleSpec::Enterprise { relation, .. } => format!(
            "enterprise: {}",
            serde_json::to_value(relation)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ),
        RoleSpec::Student => "student".into(),
    };
    let rows: Vec<[String; 5]> = accounts
        .iter()
        .map(|a| {
            [
                a.username.to_string(),
                a.display_name.clone(),
                role(&a.role),
                a.scope.clone(),
                data::PASSWORD.to_string(),
            ]
        })
        .collect();
    let header = ["username", "name", "role", "scope", "password"].map(String::from);
    // Width in terminal columns: CJK characters take two.
    let width = |s: &str| -> usize {
        s.chars()
            .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
            .sum()
    };
    let mut w = [0usize; 5];
    for r in std::iter::once(&header).chain(rows.iter()) {
        for (i, cell) in r.iter().enumerate() {
            w[i] = w[i].max(width(cell));
        }
    }
    let line = |r: &[String; 5]| {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c}{}", " ".repeat(w[i] - width(c))))
            .collect();
        format!("{}\n", cells.join("  ").trim_end())
    };
    let mut out = line(&header);
    out.push_str(&format!(
        "{}\n",
        w.iter()
            .map(|n| "-".repeat(*n))
            .collect::<Vec<_>>()
            .join("  ")
    ));
    for r in &rows {
        out.push_str(&line(r));
    }
    out
}

#[cfg(test)]
mod tests;
