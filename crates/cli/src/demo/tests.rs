//! Tests of the demo generator: the catalogue, determinism, validity of every row against the
//! same rules the store applies, uniqueness of natural keys, proportions, and the accounts.

use super::data;
use super::gen::{self, Plan, Row, StudentSpec};
use serde_json::Value;
use skillbridge_core::modules::college::{
    ACADEMIC_YEARS, CLASSES, PROGRAMS, SCHOOLS, STAFF, STUDENTS, TERMS,
};
use skillbridge_core::modules::partners::{AGREEMENTS, CONTACTS, MENTORS, ORGANISATIONS};
use skillbridge_core::schema::{self, ResourceDef};
use skillbridge_core::{ids, reference};
use std::collections::HashSet;

fn fake_ids(n: usize) -> Vec<i64> {
    (1..=n as i64).collect()
}

fn students(plan: &Plan) -> Vec<StudentSpec> {
    plan.students().collect()
}

/// All rows of a plan, with ids 1, 2, 3, … standing in for the store's.
fn all_rows(plan: &Plan, specs: &[StudentSpec]) -> Vec<(&'static ResourceDef, Vec<Row>)> {
    let schools = fake_ids(data::SCHOOLS.len());
    let programs = fake_ids(plan.programs.len());
    let years = fake_ids(8);
    let staff = fake_ids(plan.staff.len());
    let classes = fake_ids(plan.classes.len());
    let orgs = fake_ids(plan.orgs.len());
    let contacts = fake_ids(plan.contacts.len());
    let students: Vec<Row> = specs.iter().map(|s| s.row(&programs, &classes)).collect();
    let mentors: Vec<Row> = specs
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.mentor_rows(i as i64 + 1, &staff, &contacts))
        .collect();
    vec![
        (&SCHOOLS, plan.school_rows()),
        (&PROGRAMS, plan.program_rows(&schools)),
        (&ACADEMIC_YEARS, plan.academic_year_rows()),
        (&TERMS, plan.term_rows(&years)),
        (&STAFF, plan.staff_rows(&schools)),
        (&CLASSES, plan.class_rows(&programs, &staff)),
        (&ORGANISATIONS, plan.org_rows()),
        (&AGREEMENTS, plan.agreement_rows(&orgs)),
        (&CONTACTS, plan.contact_rows(&orgs)),
        (&STUDENTS, students),
        (&MENTORS, mentors),
    ]
}

fn dump(plan: &Plan, specs: &[StudentSpec]) -> String {
    all_rows(plan, specs)
        .into_iter()
        .map(|(def, rows)| format!("{}\n{}\n", def.name, serde_json::to_string(&rows).unwrap()))
        .collect()
}

fn unique<'a>(what: &str, values: impl IntoIterator<Item = &'a str>) -> usize {
    let mut seen = HashSet::new();
    for v in values {
        assert!(seen.insert(v), "{what}: {v} is not unique");
    }
    seen.len()
}

fn col<'a>(rows: &'a [Row], k: &str) -> Vec<&'a str> {
    rows.iter()
        .filter_map(|r| r.get(k).and_then(Value::as_str))
        .collect()
}

#[test]
fn chosen_majors_are_in_the_national_catalogue() {
    for p in data::PROGRAMS {
        assert!(
            data::major_name(p.major).is_some(),
            "major {} is not in majors.csv",
            p.major
        );
    }
    assert_eq!(data::major_name("460702"), Some("新能源汽车技术"));
    assert_eq!(data::major_name("460701"), Some("汽车制造与试验技术"));
    assert_eq!(data::major_name("999999"), None);
    assert_eq!(data::PROGRAMS.len(), 40);
    let shorts: Vec<&str> = data::PROGRAMS.iter().map(|p| p.short).collect();
    unique("program short names", shorts);
}

#[test]
fn same_seed_same_rows_other_seed_other_rows() {
    let a = Plan::new(3_000, 7).unwrap();
    let b = Plan::new(3_000, 7).unwrap();
    let c = Plan::new(3_000, 8).unwrap();
    let (sa, sb, sc) = (students(&a), students(&b), students(&c));
    assert_eq!(sa, sb);
    // Byte for byte: every row of every record type, serialised.
    assert_eq!(dump(&a, &sa), dump(&b, &sb));
    assert_ne!(
        sa.iter().map(|s| &s.id_number).collect::<Vec<_>>(),
        sc.iter().map(|s| &s.id_number).collect::<Vec<_>>()
    );
    assert_ne!(dump(&a, &sa), dump(&c, &sc));
    // Chunking does not change what is generated.
    let mut g = a.students();
    let mut chunked = Vec::new();
    loop {
        let part: Vec<StudentSpec> = g.by_ref().take(777).collect();
        if part.is_empty() {
            break;
        }
        chunked.extend(part);
    }
    assert_eq!(chunked, sa);
}

#[test]
fn every_row_passes_the_store_validation_and_references_exist() {
    let plan = Plan::new(12_000, 2026).unwrap();
    let specs = students(&plan);
    let regions: HashSet<String> = reference::regions()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    let industries: HashSet<String> = reference::industries()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    let countries: HashSet<String> = reference::countries()
        .iter()
        .map(|r| r["alpha2"].as_str().unwrap().to_string())
        .collect();
    for (def, rows) in all_rows(&plan, &specs) {
        assert!(!rows.is_empty(), "{}", def.name);
        for (i, r) in rows.iter().enumerate() {
            if let Err(e) = schema::validate(def, r, None) {
                panic!("{} row {i}: {e:?}\n{r:?}", def.name);
            }
            for f in def.fields {
                let Some(v) = r.get(f.name).and_then(Value::as_str) else {
                    continue;
                };
                if let schema::Kind::RefCode { resource, .. } = f.kind {
                    let known = match resource {
                        "regions" => regions.contains(v),
                        "industries" => industries.contains(v),
                        "countries" => countries.contains(v),
                        _ => false,
                    };
                    assert!(known, "{}.{} = {v} is not a known code", def.name, f.name);
                }
            }
        }
    }
    for s in &specs {
        assert_eq!(ids::parse_id_number(&s.id_number).unwrap(), s.id_number);
        assert!(s.home_region.starts_with("50") || s.home_region.starts_with("51"));
        assert!(s.id_number.starts_with(&s.home_region));
        // The ID number's birth date is about 18 years before entry, its sequence digit odd for men.
        let born: u16 = s.id_number[6..10].parse().unwrap();
        assert!(
            (s.year - 19..=s.year - 18).contains(&born),
            "{}",
            s.id_number
        );
        let odd = (s.id_number.as_bytes()[16] - b'0') % 2 == 1;
        assert_eq!(odd, s.gender == "1");
    }
    for o in &plan.orgs {
        match &o.credit_code {
            Some(code) => {
                assert_eq!(ids::parse_credit_code(code).unwrap(), *code);
                assert!(regions.contains(&code[2..8]), "{code}");
                let prefix = &code[..2];
                match o.kind {
                    "enterprise" => assert_eq!(prefix, "91"),
                    "government" => assert_eq!(prefix, "11"),
                    "school" => assert!(prefix == "12" || prefix == "52"),
                    _ => panic!("{} has a credit code", o.name),
                }
            }
            None => assert!(o.kind == "foreign" || o.kind == "government", "{}", o.name),
        }
    }
}

#[test]
fn natural_keys_are_unique() {
    let plan = Plan::new(40_000, 11).unwrap();
    let specs = students(&plan);
    assert_eq!(specs.len(), 40_000);
    unique("student_no", specs.iter().map(|s| s.student_no.as_str()));
    unique("id_number", specs.iter().map(|s| s.id_number.as_str()));
    let phones = specs
        .iter()
        .map(|s| s.phone.as_str())
        .chain(plan.staff.iter().map(|s| s.phone.as_str()))
        .chain(plan.contacts.iter().filter_map(|c| c.phone.as_deref()));
    unique("phone", phones);
    unique("class name", plan.classes.iter().map(|c| c.name.as_str()));
    unique("staff_no", plan.staff.iter().map(|s| s.staff_no.as_str()));
    unique("staff e-mail", plan.staff.iter().map(|s| s.email.as_str()));
    unique("organisation", plan.orgs.iter().map(|o| o.name.as_str()));
    unique(
        "credit code",
        plan.orgs.iter().filter_map(|o| o.credit_code.as_deref()),
    );
    unique(
        "agreement_no",
        plan.agreements.iter().map(|a| a.no.as_str()),
    );
    unique(
        "program code",
        plan.programs.iter().map(|p| p.code.as_str()),
    );
    let terms = plan.term_rows(&fake_ids(8));
    assert_eq!(unique("term", col(&terms, "name")), 16);
    assert!(col(&terms, "name").contains(&"2025-2026-1"));
    assert!(plan.agreements.iter().all(|a| a.no.starts_with("XQ-20")));
}

#[test]
fn sizes_and_proportions() {
    let n = 32_000;
    let plan = Plan::new(n, 2026).unwrap();
    let specs = students(&plan);
    let current = specs.iter().filter(|s| s.year >= 2024).count();
    assert_eq!(current, n * 12 / 32);
    assert!(specs
        .iter()
        .all(|s| (s.year >= 2024) != (s.status == "graduated")));
    let suspended = specs.iter().filter(|s| s.status == "suspended").count() as f64;
    let withdrawn = specs.iter().filter(|s| s.status == "withdrawn").count() as f64;
    assert!(
        (suspended / current as f64 - 0.01).abs() < 0.004,
        "{suspended}"
    );
    assert!(
        (withdrawn / current as f64 - 0.005).abs() < 0.003,
        "{withdrawn}"
    );
    for y in data::COHORTS {
        let k = specs.iter().filter(|s| s.year == y).count();
        assert!(k == n / 8, "cohort {y}: {k}");
    }
    // Classes of about 40 with an adviser from the program's school.
    for c in &plan.classes {
        assert!((20..=45).contains(&c.size), "{} has {}", c.name, c.size);
        let school = plan.programs[c.program].def.school;
        assert_eq!(plan.staff[c.adviser].school, Some(school));
        assert!(
            plan.staff[c.adviser].office.is_none(),
            "advisers are teachers"
        );
    }
    let avg = n as f64 / plan.classes.len() as f64;
    assert!((36.0..=45.0).contains(&avg), "{avg}");
    // About 600 staff, 300 partners; teachers are ~60% dual-qualified.
    assert!(
        (570..=630).contains(&plan.staff.len()),
        "{}",
        plan.staff.len()
    );
    assert_eq!(plan.orgs.len(), 300);
    let teachers: Vec<_> = plan.staff.iter().filter(|s| s.office.is_none()).collect();
    let dual = teachers.iter().filter(|s| s.dual).count() as f64 / teachers.len() as f64;
    assert!((0.5..0.7).contains(&dual), "{dual}");
    let kinds = |k: &str| plan.orgs.iter().filter(|o| o.kind == k).count();
    assert!(kinds("enterprise") > 200 && kinds("foreign") >= 20 && kinds("government") >= 15);
    assert!(plan
        .orgs
        .iter()
        .any(|o| o.kind == "foreign" && o.country == Some("SA")));
    assert!(plan.orgs.iter().filter(|o| o.country == Some("LK")).count() >= 3);
    // Mentors: every current automotive student who has not withdrawn has both, from the carmaker;
    // about 30% of the others.
    let car = plan.anchors.carmaker;
    let (mut others, mut others_with) = (0, 0);
    for s in specs
        .iter()
        .filter(|s| s.year >= 2024 && s.status != "withdrawn")
    {
        let school = plan.programs[s.program].def.school;
        if data::SCHOOLS[school].automotive {
            let t = s.teacher_mentor.expect("teacher mentor");
            assert_eq!(plan.staff[t].school, Some(school));
            let c = s.enterprise_mentor.expect("enterprise mentor");
            assert_eq!(plan.contacts[c].org, car);
            assert_eq!(plan.contacts[c].kind, "mentor");
        } else {
            others += 1;
            if let Some(c) = s.enterprise_mentor {
                others_with += 1;
                assert_eq!(plan.contacts[c].kind, "mentor");
                assert!(s.teacher_mentor.is_some());
            }
        }
    }
    let share = f64::from(others_with) / f64::from(others);
    assert!((0.25..0.35).contains(&share), "{share}");
    assert!(specs
        .iter()
        .filter(|s| s.year < 2024 || s.status == "withdrawn")
        .all(|s| s.teacher_mentor.is_none() && s.enterprise_mentor.is_none()));
}

#[test]
fn accounts_cover_every_role_with_the_right_relations() {
    let plan = Plan::new(5_000, 2026).unwrap();
    let specs = students(&plan);
    let picked: Vec<&StudentSpec> = specs.iter().filter(|s| s.pick).collect();
    assert_eq!(picked.len(), 1);
    let s = picked[0];
    assert_eq!(s.status, "enrolled");
    assert_eq!(s.year, 2025);
    let pick = gen::Pick {
        student_no: s.student_no.clone(),
        name: s.name.clone(),
        class: s.class,
        enterprise_mentor: s.enterprise_mentor.unwrap(),
    };
    let accounts = plan.accounts(&pick);
    let names: Vec<&str> = accounts.iter().map(|a| a.username).collect();
    assert_eq!(
        names,
        [
            "leader", "jwc", "xsc", "zsjy", "xqhz", "gjjl", "qc.jwc", "teacher", "mentor", "hr",
            "media", "student"
        ]
    );
    for a in &accounts {
        skillbridge_core::password::check_new_password(data::PASSWORD, a.username).unwrap();
        assert!(!a.display_name.is_empty(), "{}", a.username);
    }
    let find = |u: &str| accounts.iter().find(|a| a.username == u).unwrap();
    // The teacher advises the student's class and is their teacher mentor, and has mentees.
    let gen::RoleSpec::Teacher { staff } = find("teacher").role else {
        panic!()
    };
    assert_eq!(plan.classes[s.class].adviser, staff);
    assert_eq!(s.teacher_mentor, Some(staff));
    // The mentor is the student's enterprise mentor at the carmaker.
    let gen::RoleSpec::Enterprise { org, contact, .. } = find("mentor").role else {
        panic!()
    };
    assert_eq!(org, plan.anchors.carmaker);
    assert_eq!(plan.contacts[contact].org, org);
    assert_eq!(Some(contact), s.enterprise_mentor);
    for (u, kind, org) in [
        ("hr", "hr", plan.anchors.carmaker),
        ("media", "contact", plan.anchors.media),
    ] {
        let gen::RoleSpec::Enterprise {
            org: o, contact, ..
        } = find(u).role
        else {
            panic!()
        };
        assert_eq!(o, org);
        assert_eq!(plan.contacts[contact].org, org);
        assert_eq!(plan.contacts[contact].kind, kind);
    }
    // qc.jwc is scoped to the automotive school, which the student belongs to.
    assert_eq!(
        find("qc.jwc").role,
        gen::RoleSpec::Staff {
            office: skillbridge_core::access::Office::AcademicAffairs,
            school: Some(0)
        }
    );
    assert_eq!(plan.programs[s.program].def.school, 0);
    let table = super::account_table(&accounts);
    assert!(table.contains("qc.jwc") && table.contains(data::PASSWORD));
}

#[test]
fn apportion_and_cohorts_add_up() {
    assert_eq!(
        gen::apportion(10, &[0.5, 0.25, 0.25, 0.0]),
        vec![5, 3, 2, 0]
    );
    assert_eq!(gen::apportion(7, &[1.0 / 3.0; 3]).iter().sum::<usize>(), 7);
    let c = gen::cohort_sizes(1_000_003);
    assert_eq!(c.iter().sum::<usize>(), 1_000_003);
    assert_eq!(c[7], 125_001);
    assert!(Plan::new(10, 1).is_err());
}

// ---- Order classes (issue 4) ----

fn candidates(plan: &Plan, specs: &[StudentSpec]) -> Vec<super::order_classes::Candidate> {
    specs
        .iter()
        .enumerate()
        .filter(|(_, s)| s.year == super::order_classes::COHORT && s.status == "enrolled")
        .map(|(i, s)| super::order_classes::Candidate {
            id: i as i64 + 1,
            major: plan.programs[s.program].def.major,
            pick: s.pick,
        })
        .collect()
}

#[test]
fn order_classes_recruit_from_real_programs_with_competition_and_are_deterministic() {
    use super::order_classes::{applications, classes, seats};
    let plan = Plan::new(8000, 2026).unwrap();
    let specs = students(&plan);
    let cands = candidates(&plan, &specs);
    let oc = classes(&plan);
    for c in &oc {
        for m in c.majors {
            assert!(
                plan.programs.iter().any(|p| p.def.major == *m),
                "{} {m}",
                c.name
            );
        }
    }
    let apps = applications(&plan, &oc, &cands);
    assert_eq!(
        apps,
        applications(&plan, &oc, &cands),
        "same seed, same applications"
    );
    let other = Plan::new(8000, 7).unwrap();
    assert_ne!(
        apps,
        applications(&other, &oc, &candidates(&other, &students(&other)))
    );
    let n = seats(&oc, &apps);
    for (k, c) in oc.iter().enumerate().filter(|(_, c)| !c.open) {
        let applicants = apps.iter().filter(|a| a.class == k).count() as i64;
        assert!(
            applicants > 2 * n[k],
            "{}: {applicants} applicants for {} seats",
            c.name,
            n[k]
        );
    }
    // Lists are ranked 1, 2, ... without gaps, to classes open to the student's program.
    let mut by_student: std::collections::BTreeMap<usize, Vec<i64>> = Default::default();
    for a in &apps {
        assert!(oc[a.class].majors.contains(&cands[a.candidate].major));
        assert!(!oc[a.class].open);
        by_student.entry(a.candidate).or_default().push(a.rank);
    }
    for ranks in by_student.values() {
        assert_eq!(*ranks, (1..=ranks.len() as i64).collect::<Vec<_>>());
    }
    // The `student` account applies, first to the new-energy class.
    let pick = cands
        .iter()
        .position(|c| c.pick)
        .expect("the student account is a candidate");
    let first = apps
        .iter()
        .find(|a| a.candidate == pick && a.rank == 1)
        .unwrap();
    assert_eq!(oc[first.class].name, "渝驰新能源汽车订单班");
}

#[test]
fn open_classes_have_unscored_applicants_other_than_the_student_account() {
    use super::order_classes::{applications, classes, open_applications};
    let plan = Plan::new(8000, 2026).unwrap();
    let specs = students(&plan);
    let cands = candidates(&plan, &specs);
    let oc = classes(&plan);
    let apps = applications(&plan, &oc, &cands);
    let early = open_applications(&plan, &oc, &cands, &apps);
    assert_eq!(early, open_applications(&plan, &oc, &cands, &apps));
    assert!(early.len() >= 5, "{} early applications", early.len());
    for a in &early {
        assert!(oc[a.class].open && a.score.is_none());
        assert!(!cands[a.candidate].pick);
        let before: Vec<_> = apps.iter().filter(|b| b.candidate == a.candidate).collect();
        assert_eq!(a.rank, before.len() as i64 + 1);
        if let Some(b) = before.first() {
            assert_eq!(a.grade, b.grade, "one grade average per student");
        }
    }
}
