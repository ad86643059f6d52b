//! The value forms at their edges through the real binary: the inputs as fixtures
//! (`tests/fixtures/edge-*.yaml`), each one diagnostic on its line in both languages, and
//! `tasks --due-within` refusing what the plan format refuses, in one sentence.

use crate::common::*;

/// The `# expect: CODE LINE:COL` lines of a fixture.
fn expected(name: &str) -> Vec<(String, u64, u64)> {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture readable");
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .filter_map(|rest| {
            let (code, at) = rest.split_once(' ')?;
            let (line, col) = at.trim().split_once(':')?;
            Some((code.to_string(), line.parse().ok()?, col.parse().ok()?))
        })
        .collect()
}

/// The message of the only error of a fixture, checked at its expected place.
fn only_error(name: &str, lang: &str) -> String {
    let (status, diags) = check_json(&fixture(name), lang);
    assert_eq!(status, 1, "{name}: {diags:#?}");
    let want = expected(name);
    let errors: Vec<&serde_json::Value> =
        diags.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), want.len(), "{name}: {diags:#?}");
    for (code, line, col) in &want {
        assert!(
            errors
                .iter()
                .any(|d| d["code"] == code.as_str() && d["line"] == *line && d["column"] == *col),
            "{name}: {code} at {line}:{col} in {diags:#?}"
        );
    }
    errors[0]["message"].as_str().unwrap_or("").to_string()
}

#[test]
fn durations_with_an_accent_or_too_long_are_diagnostics() {
    assert_eq!(
        only_error("edge-duration-accent.yaml", "fr"),
        "durée illisible `1é` dans `overdue_every`"
    );
    assert_eq!(
        only_error("edge-duration-huge.yaml", "fr"),
        "durée trop longue `100000000d` dans `before`\u{a0}: au plus 3650 jours (10 ans)"
    );
    assert_eq!(
        only_error("edge-duration-huge.yaml", "en"),
        "duration too long `100000000d` in `before`: at most 3650 days (10 years)"
    );
}

#[test]
fn a_cron_error_names_the_field_as_written() {
    assert_eq!(
        only_error("edge-cron-hour.yaml", "fr"),
        "expression cron illisible `0 61 9 * *` dans `schedule`\u{a0}: heure 61 hors limites (0 à 23)"
    );
    let en = only_error("edge-cron-hour.yaml", "en");
    assert_eq!(
        en,
        "unreadable cron expression `0 61 9 * *` in `schedule`: hour 61 out of range (0 to 23)"
    );
}

#[test]
fn a_tab_in_the_indentation_is_reported_on_its_line() {
    assert_eq!(
        only_error("edge-tab-indent.yaml", "fr"),
        "tabulation dans l'indentation ligne 16, colonne 1"
    );
    assert_eq!(
        only_error("edge-tab-indent.yaml", "en"),
        "tab used for indentation at line 16, column 1"
    );
}

#[test]
fn dates_in_year_one_are_out_of_range() {
    let fr = only_error("edge-year-one.yaml", "fr");
    assert_eq!(
        fr,
        "date `0001-01-01` hors limites dans `start`\u{a0}: l'année doit être comprise entre 1900 et 2200"
    );
}

#[test]
fn yaml_syntax_errors_are_sentences_in_the_users_language() {
    let dir = tempfile::tempdir().expect("dir");
    let cases: &[(&str, &str, u64, u64, &str)] = &[
        (
            "version: 1\nlist:\n  - a\n  b: c\n",
            "fr",
            4,
            3,
            "élément de liste sans `-` ligne 4, colonne 3",
        ),
        (
            "version: 1\ntitle: Axe 1: coordination\n",
            "en",
            2,
            13,
            "`:` in an unquoted value at line 2, column 13",
        ),
        (
            "version: 1\ntitle: \"Axe 1\nx: y\n",
            "fr",
            2,
            8,
            "le guillemet \" ouvert ligne 2, colonne 8 n'est jamais refermé",
        ),
        (
            "version: 1\nbefore: [14d, 3d\nx: y\n",
            "en",
            2,
            9,
            "the `[` opened at line 2, column 9 is never closed",
        ),
        (
            "version: 1\nversion: 2\n",
            "fr",
            2,
            1,
            "clé `version` en double ligne 2, colonne 1 (déjà écrite ligne 1)",
        ),
    ];
    for (i, (text, lang, line, col, message)) in cases.iter().enumerate() {
        let path = write_plan(dir.path(), &format!("p{i}.yaml"), text);
        let (status, diags) = check_json(std::path::Path::new(&path), lang);
        assert_eq!(status, 1, "{text}: {diags:#?}");
        assert_eq!(diags.len(), 1, "{text}: {diags:#?}");
        let d = &diags[0];
        assert_eq!(d["code"], "yaml-syntax", "{text}");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(*line), Some(*col)),
            "{text}: {d}"
        );
        assert_eq!(d["message"].as_str(), Some(*message), "{text}");
    }
}

#[test]
fn due_within_refuses_in_one_sentence() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("cnrm.db").display());
    for (arg, lang, want) in [
        ("3é", "fr", "valeur `3é` invalide pour --due-within"),
        ("100000000d", "fr", "3650 jours (10 ans)"),
        (
            "99999999999999999999999w",
            "en",
            "at most 3650 days (10 years)",
        ),
    ] {
        let out = cnrm()
            .env("CNRM_DATABASE_URL", &db)
            .args(["--lang", lang, "tasks", "--due-within", arg])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{arg}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "one sentence: {err}");
        assert!(err.contains(want), "{arg}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A small plan for the French and spreadsheet habits: `{TASK}` is replaced by the
/// task's own keys.
const HABITS: &str = "version: 1
plan:
  id: habitudes
  title: Habitudes
  period: { start: 2025-01-01, end: 2026-12-31 }
owners:
  - { id: anpe, name: Agence nationale pour l'emploi, short: ANPE, email: anpe@example.ml }
funders:
  - { id: bn, name: Budget national }
priorities:
  - id: axe-1
    title: Emploi
    tasks:
      - id: axe-1.a1
        title: Foires à l'emploi
        owner: anpe
{TASK}
";

fn habits(task: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_plan(dir.path(), "plan.yaml", &HABITS.replace("{TASK}", task));
    (dir, path)
}

#[test]
fn yaml_reads_the_values_a_workbook_takes() {
    let (_dir, path) = habits(
        "        deadline: 31/03/2026\n        milestone: oui\n        repeat: trimestrielle\n        until: S2 2026\n        resources:\n          - { kind: budget, amount: 1,5 million, status: acquis, funder: bn }\n          - { kind: budget, amount: \"350 000,50\", funder: Banque mondiale, status: promis }\n          - { kind: personnel, quantity: 2 }",
    );
    let (status, diags) = check_json(std::path::Path::new(&path), "fr");
    assert_eq!((status, diags.len()), (0, 0), "{diags:#?}");
    // The human summary says that a recurring task's resources count once per occurrence.
    let out = run(&["plan", "check", &path]);
    let text = stdout(&out);
    assert!(
        text.contains("Les ressources d'une tâche récurrente comptent pour chaque occurrence\u{a0}: 1 tâche récurrente a des ressources (par exemple `axe-1.a1`\u{a0}: 4 occurrences, donc 4 fois ses ressources)."),
        "{text}"
    );
    let out = run(&["--lang", "en", "plan", "check", &path]);
    assert!(
        stdout(&out).contains("The resources of a recurring task count for each occurrence"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_date_with_an_invisible_character_names_it() {
    let (_dir, path) = habits("        deadline: \"T4\u{a0}2025\"");
    let (status, diags) = check_json(std::path::Path::new(&path), "fr");
    assert_eq!((status, diags.len()), (0, 0), "{diags:#?}");
    let (_dir, path) = habits("        deadline: \"T4\u{200b}2025\"");
    let (status, diags) = check_json(std::path::Path::new(&path), "en");
    assert_eq!(status, 1);
    assert_eq!(
        diags[0]["message"],
        "unreadable date `T4\u{200b}2025` in `deadline`: it contains a zero-width space (U+200B)"
    );
}

#[test]
fn an_owner_written_as_its_sigle_gets_a_suggestion() {
    let (_dir, path) = habits("        deadline: T4 2025\n      - { id: axe-1.a2, title: Deux, owner: ANPE, deadline: T4 2025 }");
    let (status, diags) = check_json(std::path::Path::new(&path), "fr");
    assert_eq!(status, 1);
    assert_eq!(diags[0]["code"], "unknown-reference");
    assert!(
        diags[0]["help"]
            .as_str()
            .is_some_and(|h| h.starts_with("vouliez-vous dire `anpe`\u{a0}?")),
        "{diags:#?}"
    );
}

#[test]
fn a_key_one_space_too_far_is_an_indentation_diagnostic() {
    let (_dir, path) = habits("         deadline: T4 2025");
    let out = run(&["plan", "check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("la clé `deadline` est indentée de 1 espace de trop ligne 17, colonne 10"),
        "{text}"
    );
    assert!(
        text.contains("alignez `deadline:` sur `owner:` (colonne 9)"),
        "{text}"
    );
    assert!(!text.contains("valeur sans guillemets"), "{text}");
}

#[test]
fn human_output_stops_after_200_diagnostics_and_json_keeps_them_all() {
    let mut task = String::from("        deadline: T4 2025\n");
    for i in 0..250 {
        task.push_str(&format!("        cle{i}: x\n"));
    }
    let (_dir, path) = habits(&task);
    let (status, diags) = check_json(std::path::Path::new(&path), "fr");
    assert_eq!((status, diags.len()), (1, 250));
    let out = run(&["plan", "check", &path]);
    let text = stdout(&out);
    assert_eq!(text.matches("unknown-field").count(), 200, "{text}");
    assert!(
        text.contains("… et 50 autres diagnostics non affichés (seuls les 200 premiers le sont)\u{a0}; `--format json` les donne tous"),
        "{text}"
    );
    assert!(text.contains("250 erreurs"), "{text}");
    // The source line of the last diagnostic shown is still quoted from its place.
    assert!(text.contains("cle199: x"), "{text}");
}
