//! `cnrm plan check`: every diagnostic code at its exact place, the example plans clean, all
//! problems of a file in one run, both languages, and the exit codes of the contract.

use crate::common::*;
use cnrm_engine::plan::Code;

/// The `# expect: CODE LINE:COL` lines at the top of a fixture.
fn expectations(path: &std::path::Path) -> Vec<(String, u64, u64)> {
    let text = std::fs::read_to_string(path).expect("fixture readable");
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|rest| {
            let (code, at) = rest.split_once(' ').expect("`CODE LINE:COL`");
            let (line, col) = at.trim().split_once(':').expect("LINE:COL");
            (
                code.to_string(),
                line.parse().expect("line"),
                col.parse().expect("col"),
            )
        })
        .collect()
}

#[test]
fn every_diagnostic_code_has_a_fixture_reported_at_its_place() {
    for code in Code::ALL {
        let path = fixture(&format!("{}.yaml", code.as_str()));
        let expected = expectations(&path);
        assert!(
            !expected.is_empty(),
            "{} has an expectation",
            path.display()
        );
        let (status, diags) = check_json(&path, "fr");
        for (want, line, col) in &expected {
            let found = diags
                .iter()
                .any(|d| d["code"] == want.as_str() && d["line"] == *line && d["column"] == *col);
            assert!(
                found,
                "{}: expected {want} at {line}:{col}, got {diags:#?}",
                path.display()
            );
        }
        let has_error = diags.iter().any(|d| d["severity"] == "error");
        assert_eq!(
            has_error,
            code.severity() == cnrm_engine::plan::Severity::Error,
            "{}",
            path.display()
        );
        assert_eq!(
            status,
            if has_error { 1 } else { 0 },
            "{}: exit code",
            path.display()
        );
        for d in &diags {
            for key in ["code", "severity", "message", "file", "line", "column"] {
                assert!(!d[key].is_null(), "{}: key {key} in {d}", path.display());
            }
        }
    }
}

#[test]
fn example_plans_check_clean() {
    for plan in example_plans() {
        let (status, diags) = check_json(&plan, "fr");
        assert_eq!(status, 0, "{}: {diags:#?}", plan.display());
        assert!(
            diags.is_empty(),
            "{} should have no diagnostic: {diags:#?}",
            plan.display()
        );
    }
    let out = run(&[
        "plan",
        "check",
        "plans/exemple.yaml",
        "plans/pao-cnrm-2025-2027.yaml",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("plans/exemple.yaml\u{a0}: valide, aucun problème"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn five_mistakes_are_all_reported_with_their_lines() {
    let (status, diags) = check_json(&fixture("five-mistakes.yaml"), "fr");
    assert_eq!(status, 1);
    let got: Vec<(String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let want = [
        ("invalid-email", 13),
        ("unknown-field", 21),
        ("unknown-reference", 25),
        ("invalid-date", 26),
        ("dependency-cycle", 33),
    ];
    for (code, line) in want {
        assert!(
            got.contains(&(code.to_string(), line)),
            "missing {code} at line {line}: {got:?}"
        );
    }
    assert_eq!(
        diags.iter().filter(|d| d["severity"] == "error").count(),
        5,
        "{got:?}"
    );
}

#[test]
fn human_output_shows_the_line_a_marker_and_a_hint() {
    let out = run(&["plan", "check", "tests/fixtures/unknown-field.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("unknown-field"), "{text}");
    assert!(text.contains("clé inconnue `deadlin`"), "{text}");
    assert!(
        text.contains("deadlin: T3 2025"),
        "source line shown: {text}"
    );
    assert!(
        text.contains("vouliez-vous dire `deadline`\u{a0}?"),
        "{text}"
    );
    assert!(
        text.contains("tests/fixtures/unknown-field.yaml:24:9"),
        "{text}"
    );
    assert!(text.contains("1 erreur"), "{text}");

    let out = run(&[
        "--lang",
        "en",
        "plan",
        "check",
        "tests/fixtures/unknown-reference.yaml",
    ]);
    let text = stdout(&out);
    assert!(text.contains("did you mean `dgme`?"), "{text}");
    assert!(text.contains("known owners: st, dgme"), "{text}");
}

#[test]
fn cycle_message_names_the_whole_loop() {
    let (_, diags) = check_json(&fixture("dependency-cycle.yaml"), "en");
    let cycle = diags
        .iter()
        .find(|d| d["code"] == "dependency-cycle")
        .expect("a cycle");
    let msg = cycle["message"].as_str().unwrap_or("");
    assert!(msg.contains("axe-1.a1 → axe-1.a2 → axe-1.a1"), "{msg}");
}

#[test]
fn english_and_french_messages_differ_and_keep_accents() {
    let (_, fr) = check_json(&fixture("missing-field.yaml"), "fr");
    let (_, en) = check_json(&fixture("missing-field.yaml"), "en");
    assert!(fr[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("clé obligatoire `title` absente de la tâche"));
    assert!(en[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("required key `title` is missing from task"));
    let out = cnrm()
        .args(["plan", "check", "tests/fixtures/missing-field.yaml"])
        .env("CNRM_LANG", "en")
        .output()
        .expect("runs");
    assert!(
        stdout(&out).contains("the plan is rejected"),
        "CNRM_LANG is honoured"
    );
}

#[test]
fn exit_code_two_for_unreadable_files_and_misuse() {
    let out = run(&["plan", "check", "tests/fixtures/does-not-exist.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("impossible de lire `tests/fixtures/does-not-exist.yaml`"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");

    let bad = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(bad.path(), b"version: 1\nplan: \xff\xfe\n").expect("write");
    let out = run(&["plan", "check", &bad.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("UTF-8"), "{}", stderr(&out));

    assert_eq!(
        run(&["plan", "check"]).status.code(),
        Some(2),
        "no file is misuse"
    );
    assert_eq!(
        run(&["plan", "check", "--format", "xml", "plans/exemple.yaml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["--lang", "wo", "plan", "check", "plans/exemple.yaml"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn several_files_give_one_json_array() {
    let out = run(&[
        "plan",
        "check",
        "--format",
        "json",
        "tests/fixtures/invalid-date.yaml",
        "tests/fixtures/invalid-email.yaml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let diags: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).expect("one array");
    let files: std::collections::BTreeSet<&str> =
        diags.iter().filter_map(|d| d["file"].as_str()).collect();
    assert_eq!(files.len(), 2, "{diags:#?}");
}
