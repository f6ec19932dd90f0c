//! `skillbridge match`, the real binary: a small instance from a file and from stdin, `--explain`,
//! and bad inputs (exit code 2, the entry named on stderr; JSON errors with line and column).
//! No database and no configuration file are involved: the command runs in an empty directory.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("SKILLBRIDGE_DATABASE_URL")
        .env_remove("SKILLBRIDGE_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

const SMALL: &str = r#"{
  "students": {
    "s1": ["p1", "p2"], "s2": ["p1", "p2"], "s3": ["p1"], "s4": [], "s5": ["p3", "p2"]
  },
  "positions": {
    "p1": {"capacity": 1, "ranking": ["s2", "s1", "s3"]},
    "p2": {"capacity": 1, "ranking": ["s1", "s4", "s2"]},
    "p3": {"capacity": 0, "ranking": ["s5"]}
  }
}"#;

#[test]
fn solves_a_file_and_stdin_with_every_student_present() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("instance.json");
    std::fs::write(&file, SMALL).unwrap();
    let out = run(&["match", file.to_str().unwrap()], "");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // s2 takes p1 (p1 ranks s2 first); s1 falls to p2; s3 and s5 (not acceptable at p2,
    // p3 has no place) are unplaced; s4 listed nothing.
    assert_eq!(
        v,
        serde_json::json!({"assignments": {
            "s1": "p2", "s2": "p1", "s3": null, "s4": null, "s5": null
        }})
    );
    let from_stdin = run(&["match", "-"], SMALL);
    assert_eq!(from_stdin.status.code(), Some(0));
    assert_eq!(from_stdin.stdout, out.stdout);
    // The same instance with its students and positions written in another order.
    let mut v: serde_json::Value = serde_json::from_str(SMALL).unwrap();
    let shuffled = format!(
        r#"{{"positions": {{"p3": {}, "p1": {}, "p2": {}}}, "students": {{"s5": {}, "s3": {}, "s1": {}, "s4": {}, "s2": {}}}}}"#,
        v["positions"]["p3"].take(),
        v["positions"]["p1"].take(),
        v["positions"]["p2"].take(),
        v["students"]["s5"].take(),
        v["students"]["s3"].take(),
        v["students"]["s1"].take(),
        v["students"]["s4"].take(),
        v["students"]["s2"].take(),
    );
    let reordered = run(&["match", "-"], &shuffled);
    assert_eq!(reordered.status.code(), Some(0));
    assert_eq!(reordered.stdout, out.stdout);
}

#[test]
fn ids_with_escapes_and_chinese_ids_are_the_same_ids() {
    // "\u5b66\u751f1" is 学生1 written with escapes; "p\"1" holds a quote.
    let input = r#"{"students": {"学生1": ["p\"1"], "\u5b66\u751f2": ["p\"1"]},
        "positions": {"p\"1": {"capacity": 1, "ranking": ["学生2", "\u5b66\u751f1"]}}}"#;
    let out = run(&["match", "-"], input);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"assignments": {"学生1": null, "学生2": "p\"1"}})
    );
}

#[test]
fn explain_adds_a_reason_per_better_choice() {
    let out = run(&["match", "--explain", "-"], SMALL);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["assignments"]["s1"], "p2");
    let s1 = v["explanations"]["s1"].as_array().unwrap();
    assert_eq!(s1.len(), 2);
    assert_eq!(s1[0]["kind"], "filled_with_higher_ranked");
    assert_eq!(s1[0]["position"], "p1");
    assert_eq!(s1[0]["your_rank"], 2);
    assert_eq!(s1[0]["last_admitted_rank"], 1);
    assert_eq!(s1[1]["kind"], "placed");
    assert_eq!(s1[1]["choice"], 2);
    assert!(s1[1]["text_zh"].as_str().unwrap().contains("第 2 志愿"));
    let s5 = v["explanations"]["s5"].as_array().unwrap();
    assert_eq!(s5[0]["kind"], "filled_with_higher_ranked");
    assert_eq!(s5[0]["capacity"], 0);
    assert_eq!(s5[1]["kind"], "not_acceptable");
    assert_eq!(v["explanations"]["s4"][0]["kind"], "no_applications");
}

#[test]
fn bad_input_exits_2_naming_the_entry() {
    let cases = [
        (
            r#"{"students": {"s1": ["p1", "p7"]}, "positions": {"p1": {"capacity": 1, "ranking": []}}}"#,
            r#"students.s1[1]: unknown position "p7""#,
        ),
        (
            r#"{"students": {"s1": ["p1", "p1"]}, "positions": {"p1": {"capacity": 1, "ranking": []}}}"#,
            r#"students.s1[1]: position "p1" listed twice"#,
        ),
        (
            r#"{"students": {"s1": ["p1"]}, "positions": {"p1": {"capacity": 1, "ranking": ["s1", "s9"]}}}"#,
            r#"positions.p1.ranking[1]: unknown student "s9""#,
        ),
        (
            r#"{"students": {"s1": ["p1"]}, "positions": {"p1": {"capacity": 1, "ranking": ["s1", "s1"]}}}"#,
            r#"positions.p1.ranking[1]: student "s1" ranked twice"#,
        ),
        (
            r#"{"students": {"s1": ["p1"]}, "positions": {"p1": {"capacity": -3, "ranking": ["s1"]}}}"#,
            "positions.p1.capacity: negative capacity -3",
        ),
        (
            "{\"students\": {\"s1\": [\"p1\"]},\n \"positions\": {\"p1\": {\"capacity\": 1, \"ranking\": [}}}",
            "stdin: expected value at line 2 column 50",
        ),
        (
            r#"{"students": {"s1": [], "s1": ["p1"]}, "positions": {}}"#,
            r#"stdin: duplicate key "s1" at line 1 column"#,
        ),
        (
            r#"{"students": {}, "positions": {"p1": {"capacity": 1, "ranknig": []}}}"#,
            "stdin: unknown field `ranknig`",
        ),
        (
            r#"{"students": {"s2": [], "s1": [], "s2": ["p1"]}, "positions": {}}"#,
            r#"stdin: duplicate key "s2" at line 1 column"#,
        ),
        (r#"{"students": {}}"#, "stdin: missing field `positions`"),
        ("", "stdin: EOF while parsing a value at line 1 column 0"),
    ];
    for (input, message) in cases {
        let out = run(&["match", "-"], input);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{input}: {stderr}");
        assert!(
            stderr.starts_with(&format!("skillbridge match: {message}")),
            "{input}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    let out = run(&["match", "no-such-file.json"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.json"));
}
