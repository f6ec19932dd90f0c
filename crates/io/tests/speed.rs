//! How long reading a large file takes. Ignored by default (the numbers only mean something in a
//! release build): `cargo test -p skillbridge-io --release --test speed -- --ignored --nocapture`.

use serde_json::{json, Map, Value};
use skillbridge_core::ids::make_id_number;
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_io::{read, write, Format, Lang, Limits};
use std::time::{Duration, Instant};

/// CPU time of this thread so far (Linux), which the load of other processes does not inflate.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn students(n: usize) -> Vec<Map<String, Value>> {
    let names = [
        "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇",
    ];
    (0..n)
        .map(|i| {
            let birth = format!("2005{:02}{:02}", i % 12 + 1, i % 28 + 1);
            let rec = json!({
                "student_no": format!("2024{i:06}"),
                "name": names[i % names.len()],
                "gender": if i % 2 == 0 { "1" } else { "2" },
                "id_number": make_id_number("500106", &birth, (i % 1000) as u32),
                "phone": format!("138{:08}", i),
                "home_region": "500106",
                "address": format!("重庆市沙坪坝区大学城东路{}号", i % 500),
                "program_id": "计算机应用技术",
                "class_id": format!("计应24{:02}", i % 40),
                "entry_year": 2024,
                "status": "enrolled",
            });
            rec.as_object().unwrap().clone()
        })
        .collect()
}

#[test]
#[ignore]
fn read_100k_rows() {
    let recs = students(100_000);
    for format in [Format::Csv, Format::Xlsx] {
        let bytes = write(&STUDENTS, &recs, format, Lang::Zh).unwrap();
        let mut calls = 0;
        let cpu = thread_cpu();
        let start = Instant::now();
        let p = read(&STUDENTS, &bytes, &Limits::default(), &mut |_| calls += 1).unwrap();
        let took = start.elapsed();
        let cpu = thread_cpu().zip(cpu).map(|(b, a)| b - a);
        assert_eq!(p.rows.len(), 100_000);
        assert!(p.issues.is_empty());
        assert_eq!(calls, 11);
        println!(
            "read 100,000 student rows from {format:?} ({} bytes) in {took:?} (CPU time {cpu:?})",
            bytes.len()
        );
    }
}
