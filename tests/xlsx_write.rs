//! The workbooks cnrm writes (`report --format xlsx`, `tasks --format xlsx`, `plan template`),
//! read back by two other programs: Python's openpyxl (`tests/xlsx_inspect.py`: values, types,
//! number formats, freeze panes, filters, validations, fills) and LibreOffice headless
//! (converted to CSV and PDF). Both are outside parts: see `require::openpyxl` and
//! `require::libreoffice`.

use crate::common::db::TestDb;
use crate::common::*;
use crate::report::{setup, NOW};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What openpyxl reads in `file` (see `tests/xlsx_inspect.py`).
fn inspect(file: &Path) -> Value {
    let out = Command::new("python3")
        .arg(root().join("tests/xlsx_inspect.py"))
        .arg(file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "openpyxl reads {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from xlsx_inspect.py")
}

/// LibreOffice converts `file` into `dir`: `csv` gives one file per sheet (`NAME-SHEET.csv`,
/// UTF-8), `pdf` one file. Returns the files made.
fn libreoffice(file: &Path, to: &str, dir: &Path) -> Vec<PathBuf> {
    let profile = dir.join("lo-profile");
    let filter = match to {
        // Comma, double quote, UTF-8, from row 1, …, every sheet (-1) in its own file.
        "csv" => "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        other => other,
    };
    let out = Command::new("libreoffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .expect("libreoffice runs");
    assert!(
        out.status.success(),
        "libreoffice: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stem = file
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .to_string();
    let mut made: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == to)
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&stem))
        })
        .collect();
    made.sort();
    assert!(!made.is_empty(), "LibreOffice wrote no {to} for {stem}");
    made
}

fn sheet<'a>(book: &'a Value, name: &str) -> &'a Value {
    let s = &book["sheet"][name];
    assert!(s.is_object(), "sheet {name} in {:?}", book["sheets"]);
    s
}

fn cell<'a>(sheet: &'a Value, at: &str) -> &'a Value {
    &sheet["cells"][at]
}

fn number(sheet: &Value, at: &str) -> f64 {
    let c = cell(sheet, at);
    assert_eq!(c["type"], "n", "{at} is a number cell: {c}");
    c["value"].as_f64().unwrap_or(f64::NAN)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.01
}

/// The column letter(s) of a 0-based index.
fn letter(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (i % 26) as u8) as char);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s
}

/// The row (1-based) whose column A holds `text`.
fn row_of(sheet: &Value, text: &str) -> usize {
    (1..=sheet["max_row"].as_u64().unwrap_or(0) as usize)
        .find(|r| cell(sheet, &format!("A{r}"))["value"] == text)
        .unwrap_or_else(|| panic!("no row with {text} in column A"))
}

fn report_xlsx(db: &TestDb, dir: &Path, lang: &str) -> PathBuf {
    let file = dir.join(format!("rapport-{lang}.xlsx"));
    let (code, out, err) = exec(
        cnrm_db(db, NOW)
            .args([
                "report", "--format", "xlsx", "--period", "T3 2025", "--lang", lang,
            ])
            .arg("--output")
            .arg(&file),
    );
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    file
}

fn report_json(db: &TestDb) -> Value {
    let (code, out, err) = exec(cnrm_db(db, NOW).args([
        "report", "--format", "json", "--period", "T3 2025", "--lang", "fr",
    ]));
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("json")
}

#[test]
fn the_report_workbook_holds_the_reports_figures_as_numbers_and_dates() {
    if !require::openpyxl() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = setup(&db);
    let book = inspect(&report_xlsx(&db, dir.path(), "fr"));
    let json = report_json(&db);
    assert_eq!(
        book["sheets"],
        serde_json::json!([
            "Synthèse",
            "Axes",
            "Bailleurs",
            "Retards",
            "Indicateurs",
            "Jalons",
            "Chronogramme"
        ])
    );
    for name in [
        "Synthèse",
        "Axes",
        "Bailleurs",
        "Retards",
        "Indicateurs",
        "Jalons",
    ] {
        let s = sheet(&book, name);
        assert_eq!(s["freeze"], "A2", "{name}: header row frozen");
        let filter = s["filter"].as_str().unwrap_or_default();
        assert!(
            filter.starts_with("A1:"),
            "{name}: filter on the header: {filter}"
        );
        assert_eq!(cell(s, "A1")["bold"], true, "{name}: bold header");
        let widths = s["widths"].as_object().expect("widths");
        assert!(
            widths
                .values()
                .all(|w| (5.0..=62.0).contains(&w.as_f64().unwrap_or(0.0))),
            "{name}: widths that fit: {widths:?}"
        );
    }

    // Synthèse: the same figures as the JSON report, as numbers.
    let s = sheet(&book, "Synthèse");
    let at = |label: &str| format!("B{}", row_of(s, label));
    let money = &json["summary"]["money"];
    let planned = number(s, &at("Prévu (FCFA)"));
    assert!(close(
        planned,
        money["planned"].as_f64().expect("planned").round()
    ));
    assert_eq!(cell(s, &at("Prévu (FCFA)"))["format"], "#,##0");
    assert!(close(
        number(s, &at("Dépensé (FCFA)")),
        money["spent"].as_f64().expect("spent").round()
    ));
    assert!(close(number(s, &at("À rechercher (FCFA)")), 3_000_000.0));
    let financial = number(s, &at("Exécution financière"));
    assert!(close(
        financial * 100.0,
        json["summary"]["financial"].as_f64().expect("rate")
    ));
    assert_eq!(cell(s, &at("Exécution financière"))["format"], "0.0%");
    assert!(close(number(s, &at("Exécution physique globale")), 0.25));
    assert!(close(number(s, &at("Tâches en retard")), 1.0));
    let asof = cell(s, &at("Situation au"));
    assert_eq!(
        (asof["date"].as_bool(), asof["value"].as_str()),
        (Some(true), Some("2025-10-01"))
    );
    assert_eq!(asof["format"], "dd/mm/yyyy");

    // Axes: one row per priority, progress as a percentage, amounts with thousands.
    let axes = sheet(&book, "Axes");
    assert_eq!(cell(axes, "G1")["value"], "Prévu (FCFA)");
    for (i, p) in json["priorities"]
        .as_array()
        .expect("priorities")
        .iter()
        .enumerate()
    {
        let r = i + 2;
        assert_eq!(cell(axes, &format!("A{r}"))["value"], p["id"]);
        assert!(close(
            number(axes, &format!("C{r}")) * 100.0,
            p["progress"].as_f64().expect("progress")
        ));
        assert_eq!(cell(axes, &format!("C{r}"))["format"], "0.0%");
        assert!(close(
            number(axes, &format!("G{r}")),
            p["money"]["planned"].as_f64().expect("planned").round()
        ));
        assert_eq!(cell(axes, &format!("G{r}"))["format"], "#,##0");
    }
    assert_eq!(axes["filter"], "A1:K3");

    // Bailleurs: the funders, then the gap.
    let f = sheet(&book, "Bailleurs");
    let ue = row_of(f, "ue");
    let json_ue = json["funders"]
        .as_array()
        .and_then(|l| l.iter().find(|x| x["funder"] == "ue"))
        .expect("ue");
    assert!(close(
        number(f, &format!("C{ue}")),
        json_ue["planned"].as_f64().expect("planned").round()
    ));
    assert!(close(
        number(f, &format!("F{ue}")),
        json_ue["spent"].as_f64().expect("spent").round()
    ));

    // Retards: a2, 16 days late, its deadline a date cell.
    let late = sheet(&book, "Retards");
    assert_eq!(cell(late, "A2")["value"], "a2");
    let deadline = cell(late, "D2");
    assert_eq!(
        (deadline["date"].as_bool(), deadline["value"].as_str()),
        (Some(true), Some("2025-09-15"))
    );
    assert!(close(number(late, "F2"), 16.0));
    assert_eq!(cell(late, "G2")["value"], "bloquée");
    assert!(close(number(late, "H2"), 1.0) && close(number(late, "I2"), 62.0));
    assert_eq!(cell(late, "J2")["value"], "En attente du décret");

    // Indicateurs: baseline, target, latest value as numbers; achievement as a percentage.
    let ind = sheet(&book, "Indicateurs");
    assert_eq!(cell(ind, "A2")["value"], "axe-1.i1");
    assert!(close(number(ind, "E2"), 0.0) && close(number(ind, "F2"), 4.0));
    assert!(close(number(ind, "G2"), 1.0));
    assert_eq!(cell(ind, "H2")["value"], "2025-09-30");
    assert!(close(number(ind, "I2"), 0.25));

    // Jalons: a1 reached, b1 due next quarter.
    let j = sheet(&book, "Jalons");
    assert_eq!(cell(j, "A2")["value"], "a1");
    assert_eq!(cell(j, "E2")["value"], "atteint");
    assert_eq!(cell(j, "A3")["value"], "b1");
    assert_eq!(cell(j, "C3")["value"], "2025-12-31");
}

#[test]
fn the_chronogramme_fills_each_task_from_start_to_deadline_in_its_phases_colour() {
    if !require::openpyxl() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = setup(&db);
    let book = inspect(&report_xlsx(&db, dir.path(), "fr"));
    let c = sheet(&book, "Chronogramme");
    assert_eq!(c["freeze"], "F2", "header row and task columns frozen");
    // Months of the plan period (2025) as columns F to Q.
    assert_eq!(cell(c, "F1")["value"], "janv. 2025");
    assert_eq!(cell(c, "Q1")["value"], "déc. 2025");
    let filled = |row: usize| -> Vec<(String, Option<String>, Value)> {
        (5..17)
            .map(|i| {
                let x = cell(c, &format!("{}{row}", letter(i)));
                (
                    letter(i),
                    x["fill"].as_str().map(str::to_string),
                    x["value"].clone(),
                )
            })
            .filter(|(_, fill, _)| fill.is_some())
            .collect()
    };
    let colours = |row: usize| -> Vec<String> {
        let mut f: Vec<String> = filled(row).into_iter().filter_map(|(_, f, _)| f).collect();
        f.dedup();
        f
    };
    // a1: done (green), T2 2025 from April to June, a milestone on June.
    let a1 = row_of(c, "a1");
    let months: Vec<String> = filled(a1).into_iter().map(|(m, _, _)| m).collect();
    assert_eq!(months, ["I", "J", "K"], "April to June");
    assert_eq!(colours(a1), ["70AD47"]);
    assert_eq!(cell(c, &format!("K{a1}"))["value"], "◆");
    // a2: late (red) up to September.
    let a2 = row_of(c, "a2");
    let a2_months = filled(a2);
    assert_eq!(
        a2_months.last().map(|m| m.0.as_str()),
        Some("N"),
        "to September"
    );
    assert_eq!(colours(a2), ["C00000"]);
    // b1: in progress, T4 2025 (October to December), not late: not red nor green.
    let b1 = row_of(c, "b1");
    let b1_colours = colours(b1);
    assert_eq!(b1_colours.len(), 1, "{b1_colours:?}");
    assert!(b1_colours[0] != "C00000" && b1_colours[0] != "70AD47");
    assert_eq!(cell(c, &format!("Q{b1}"))["value"], "◆");
    // The legend names the colours.
    let legend = row_of(c, "Légende");
    let labels: Vec<Value> = (legend + 1..legend + 6)
        .map(|r| cell(c, &format!("B{r}"))["value"].clone())
        .collect();
    assert!(labels.contains(&Value::from("en retard")) && labels.contains(&Value::from("jalon")));
    assert_eq!(cell(c, &format!("A{}", legend + 1))["fill"], "70AD47");
}

#[test]
fn an_english_report_workbook_has_english_sheets_and_dates() {
    if !require::openpyxl() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = setup(&db);
    let book = inspect(&report_xlsx(&db, dir.path(), "en"));
    assert_eq!(
        book["sheets"],
        serde_json::json!([
            "Summary",
            "Priorities",
            "Funders",
            "Late",
            "Indicators",
            "Milestones",
            "Timeline"
        ])
    );
    let late = sheet(&book, "Late");
    assert_eq!(cell(late, "D1")["value"], "Deadline");
    assert_eq!(cell(late, "D2")["format"], "yyyy-mm-dd");
    assert_eq!(cell(sheet(&book, "Timeline"), "F1")["value"], "Jan 2025");
}

#[test]
fn libreoffice_opens_the_report_workbook_to_csv_and_pdf() {
    if !require::libreoffice() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = setup(&db);
    let file = report_xlsx(&db, dir.path(), "fr");
    let out = dir.path().join("lo");
    std::fs::create_dir_all(&out).expect("dir");
    let csvs = libreoffice(&file, "csv", &out);
    let names: Vec<String> = csvs
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().to_string())
        .collect();
    for sheet in [
        "Synthèse",
        "Axes",
        "Bailleurs",
        "Retards",
        "Indicateurs",
        "Jalons",
        "Chronogramme",
    ] {
        assert!(
            names.iter().any(|n| n.contains(sheet)),
            "a CSV of {sheet} in {names:?}"
        );
    }
    let axes = csvs
        .iter()
        .find(|p| p.to_string_lossy().contains("-Axes"))
        .expect("Axes");
    let text = std::fs::read_to_string(axes).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Axe,Titre,Avancement"), "{text}");
    // Amounts come out as numbers (cell contents, not as shown): 10 M + 7 M + 3 M planned.
    assert!(lines[1].starts_with("axe-1,Gouvernance,50"), "{text}");
    assert!(
        lines[1].contains(",1,1,0,20000000,10000000,7000000,3000000,4000000"),
        "{text}"
    );
    assert_eq!(lines.len(), 3, "{text}");
    let pdf = libreoffice(&file, "pdf", &out);
    let bytes = std::fs::read(&pdf[0]).expect("pdf");
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() > 5_000,
        "a real PDF"
    );
}

#[test]
fn the_task_workbook_is_the_filtered_list_with_dates_and_percentages() {
    if !require::openpyxl() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = setup(&db);
    let file = dir.path().join("taches.xlsx");
    let (code, out, err) = exec(
        cnrm_db(&db, NOW)
            .args([
                "tasks",
                "--priority",
                "axe-1",
                "--format",
                "xlsx",
                "--output",
            ])
            .arg(&file),
    );
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let (_, json, _) =
        exec(cnrm_db(&db, NOW).args(["tasks", "--priority", "axe-1", "--format", "json"]));
    let json: Vec<Value> = serde_json::from_str(&json).expect("json");
    let book = inspect(&file);
    assert_eq!(book["sheets"], serde_json::json!(["Tâches"]));
    let t = sheet(&book, "Tâches");
    assert_eq!(t["freeze"], "A2");
    assert_eq!(t["filter"], "A1:L3");
    assert_eq!(
        t["max_row"],
        json.len() as u64 + 1,
        "the filtered list, one row a task"
    );
    for (i, task) in json.iter().enumerate() {
        let r = i + 2;
        assert_eq!(cell(t, &format!("A{r}"))["value"], task["id"]);
        let deadline = cell(t, &format!("G{r}"));
        assert_eq!(deadline["value"], task["deadline"]);
        assert_eq!(deadline["date"], true);
        assert_eq!(cell(t, &format!("H{r}"))["value"], task["deadline_label"]);
        let progress = cell(t, &format!("J{r}"));
        assert_eq!(progress["format"], "0.0%");
        assert!(close(
            number(t, &format!("J{r}")) * 100.0,
            task["progress"].as_f64().expect("progress")
        ));
        assert_eq!(cell(t, &format!("K{r}"))["value"], task["overdue"]);
        assert!(close(
            number(t, &format!("L{r}")),
            task["days_late"].as_f64().expect("days")
        ));
    }
    assert_eq!(cell(t, "I2")["value"], "terminée");
}

#[test]
fn titles_that_look_like_formulas_stay_text_in_a_workbook() {
    if !require::openpyxl() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = crate::report::hostile(&db);
    let file = dir.path().join("hostile.xlsx");
    let (code, _, err) = exec(
        cnrm_db(&db, NOW)
            .args(["tasks", "--format", "xlsx", "-o"])
            .arg(&file),
    );
    assert_eq!(code, 0, "{err}");
    let t = inspect(&file);
    let t = sheet(&t, "Tâches");
    for r in 2..=6 {
        let title = cell(t, &format!("D{r}"));
        assert_eq!(title["type"], "s", "text, never a formula: {title}");
    }
    assert_eq!(cell(t, "D2")["value"], "=HYPERLINK(\"http://x\")");
    let h5 = cell(t, "D6")["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!h5.chars().any(|c| c.is_control() && c != '\n'), "{h5:?}");
    let file = dir.path().join("rapport.xlsx");
    let (code, _, err) = exec(
        cnrm_db(&db, NOW)
            .args(["report", "--format", "xlsx", "-o"])
            .arg(&file),
    );
    assert_eq!(code, 0, "{err}");
    let book = inspect(&file);
    assert_eq!(cell(sheet(&book, "Retards"), "B2")["type"], "s");
}

#[test]
fn a_workbook_without_a_file_or_to_an_unwritable_one_is_one_sentence_and_nothing_written() {
    let db = TestDb::sqlite();
    let dir = setup(&db);
    for (args, example) in [
        (vec!["report", "--format", "xlsx"], "rapport.xlsx"),
        (vec!["tasks", "--format", "xlsx"], "taches.xlsx"),
    ] {
        let (code, out, err) = exec(cnrm_db(&db, NOW).args(&args));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("--output") && err.contains(example) && err.contains("classeur"),
            "{err}"
        );
        let (_, _, err) = exec(cnrm_db(&db, NOW).args(&args).args(["--lang", "en"]));
        assert!(
            err.contains("workbook") && err.contains("--output"),
            "{err}"
        );
    }
    let missing = dir.path().join("absent/rapport.xlsx");
    let (code, _, err) = exec(
        cnrm_db(&db, NOW)
            .args(["report", "--format", "xlsx", "--output"])
            .arg(&missing),
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("absent/rapport.xlsx") && !err.contains("os error"),
        "{err}"
    );
    assert!(!dir.path().join("absent").exists());
    // A read-only folder: nothing left behind, the old file untouched.
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).expect("dir");
    std::fs::write(ro.join("taches.xlsx"), b"old").expect("old");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("ro");
    let writable = std::fs::write(ro.join("probe"), b"x").is_ok();
    if !writable {
        let (code, _, err) = exec(
            cnrm_db(&db, NOW)
                .args(["tasks", "--format", "xlsx", "--output"])
                .arg(ro.join("taches.xlsx")),
        );
        assert_eq!(code, 1, "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(std::fs::read(ro.join("taches.xlsx")).expect("old"), b"old");
        let left: Vec<_> = std::fs::read_dir(&ro).expect("dir").collect();
        assert_eq!(left.len(), 1, "no temporary file left");
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("rw");
    let (code, _, err) = exec(cnrm_db(&db, NOW).args(["tasks", "--output", "t.txt"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("csv, json ou xlsx"), "{err}");
}

// ---- the plan template ---------------------------------------------------------------------------

fn template(dir: &Path, lang: &str) -> PathBuf {
    let file = dir.join(format!("modele-{lang}.xlsx"));
    let (code, out, err) = exec(
        cnrm()
            .args(["plan", "template", "--lang", lang, "--output"])
            .arg(&file),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&file.display().to_string()), "{out}");
    file
}

/// The validation of `sheet` that covers cell `at` (`B2`), as openpyxl reads it.
fn validation<'a>(sheet: &'a Value, column: &str) -> &'a Value {
    sheet["validations"]
        .as_array()
        .and_then(|l| {
            l.iter().find(|v| {
                v["sqref"]
                    .as_str()
                    .is_some_and(|r| r.starts_with(&format!("{column}2:{column}")))
            })
        })
        .unwrap_or_else(|| panic!("a validation on column {column}: {}", sheet["validations"]))
}

#[test]
fn the_template_has_every_sheet_an_example_row_and_drop_down_lists() {
    if !require::openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let book = inspect(&template(dir.path(), "fr"));
    assert_eq!(
        book["sheets"],
        serde_json::json!([
            "Lisez-moi",
            "Plan",
            "Taux de change",
            "Jours fériés",
            "Responsables",
            "Axes",
            "Indicateurs",
            "Activités",
            "Ressources"
        ])
    );
    // The Plan sheet: keys in A, values in B, no header row; dates as dates.
    let plan = sheet(&book, "Plan");
    assert_eq!(cell(plan, "A1")["value"], "id");
    assert_eq!(cell(plan, "B1")["value"], "pao-2026");
    let start = cell(plan, &format!("B{}", row_of(plan, "début")));
    assert_eq!(
        (start["date"].as_bool(), start["value"].as_str()),
        (Some(true), Some("2026-01-01"))
    );
    for name in [
        "Taux de change",
        "Jours fériés",
        "Responsables",
        "Axes",
        "Indicateurs",
        "Activités",
        "Ressources",
    ] {
        let s = sheet(&book, name);
        assert_eq!(s["freeze"], "A2", "{name}: header row frozen");
        assert_eq!(s["max_row"], 2, "{name}: one example row");
        assert!(
            cell(s, "A2")["value"].is_string() || cell(s, "A2")["value"].is_number(),
            "{name}"
        );
        let widths = s["widths"].as_object().expect("widths");
        assert!(!widths.is_empty(), "{name}: widths set");
    }
    let tasks = sheet(&book, "Activités");
    assert_eq!(cell(tasks, "A1")["value"], "id");
    assert_eq!(cell(tasks, "B1")["value"], "axe");
    let owners_list = "'Responsables'!$A$2:$A$2001";
    let heads: Vec<String> = (0..tasks["max_column"].as_u64().unwrap_or(0) as usize)
        .map(|i| {
            cell(tasks, &format!("{}1", letter(i)))["value"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let col = |head: &str| {
        letter(
            heads
                .iter()
                .position(|h| h == head)
                .unwrap_or_else(|| panic!("{head} in {heads:?}")),
        )
    };
    assert_eq!(
        validation(tasks, &col("responsable"))["formula1"],
        owners_list
    );
    assert_eq!(
        validation(tasks, &col("partenaires"))["formula1"],
        owners_list
    );
    assert_eq!(
        validation(tasks, &col("axe"))["formula1"],
        "'Axes'!$A$2:$A$2001"
    );
    assert_eq!(
        validation(tasks, &col("répétition"))["formula1"],
        "\"mensuelle,trimestrielle,semestrielle,annuelle\""
    );
    assert_eq!(validation(tasks, &col("jalon"))["formula1"], "\"oui,non\"");
    let resources = sheet(&book, "Ressources");
    assert_eq!(
        validation(resources, "B")["formula1"],
        "\"budget,personnel,équipement,autre\""
    );
    assert_eq!(
        validation(resources, "F")["formula1"],
        "\"acquis,promis,à rechercher\""
    );
    assert_eq!(validation(resources, "E")["formula1"], owners_list);
    assert_eq!(number(resources, "C2"), 2_500_000.0);
    assert_eq!(cell(resources, "C2")["format"], "#,##0");
    assert_eq!(
        validation(sheet(&book, "Axes"), "C")["formula1"],
        owners_list
    );
    // Lisez-moi: one row per sheet and one per column, each described in French.
    let read_me = sheet(&book, "Lisez-moi");
    assert_eq!(read_me["freeze"], "A2");
    let rows = read_me["max_row"].as_u64().unwrap_or(0) as usize;
    assert!(rows > 70, "{rows} rows");
    for r in 2..=rows {
        let about = cell(read_me, &format!("D{r}"))["value"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(about.len() > 8, "row {r} described: {about:?}");
    }
    let described: Vec<(String, String)> = (2..=rows)
        .map(|r| {
            (
                cell(read_me, &format!("A{r}"))["value"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                cell(read_me, &format!("B{r}"))["value"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    for head in &heads {
        assert!(
            described.contains(&("Activités".to_string(), head.clone())),
            "Activités › {head} explained"
        );
    }
}

#[test]
fn an_english_template_has_english_sheets_headers_and_lists() {
    if !require::openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let book = inspect(&template(dir.path(), "en"));
    let names: Vec<&str> = book["sheets"]
        .as_array()
        .expect("sheets")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(names[0], "Read me");
    assert!(names.contains(&"Tasks") && names.contains(&"Owners") && names.contains(&"Resources"));
    let resources = sheet(&book, "Resources");
    assert_eq!(cell(resources, "B1")["value"], "kind");
    assert_eq!(
        validation(resources, "F")["formula1"],
        "\"secured,pledged,needed\""
    );
    assert_eq!(
        validation(resources, "E")["formula1"],
        "'Owners'!$A$2:$A$2001"
    );
}

#[test]
fn the_template_goes_to_modele_plan_xlsx_by_default_and_libreoffice_opens_it() {
    let dir = tempfile::tempdir().expect("dir");
    let (code, out, err) = exec(cnrm().current_dir(dir.path()).args(["plan", "template"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("modele-plan.xlsx") && out.contains("cnrm plan check"),
        "{out}"
    );
    let file = dir.path().join("modele-plan.xlsx");
    assert!(std::fs::read(&file).expect("written").starts_with(b"PK"));
    let (code, _, err) = exec(cnrm().args(["plan", "template", "--output", "/nonexistent/m.xlsx"]));
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    if !require::libreoffice() {
        return;
    }
    let out = dir.path().join("lo");
    std::fs::create_dir_all(&out).expect("dir");
    let csvs = libreoffice(&file, "csv", &out);
    let read_me = csvs
        .iter()
        .find(|p| p.to_string_lossy().contains("Lisez-moi"))
        .expect("Lisez-moi as CSV");
    let text = std::fs::read_to_string(read_me).expect("utf-8");
    assert!(
        text.starts_with("Feuille,Colonne,Obligatoire,Description"),
        "{text}"
    );
    assert!(text.contains("Activités,échéance,oui,"), "{text}");
    let resources = csvs
        .iter()
        .find(|p| p.to_string_lossy().contains("Ressources"))
        .expect("Ressources");
    let text = std::fs::read_to_string(resources).expect("utf-8");
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("axe-1.a1,budget,2500000,XOF")),
        "{text}"
    );
}

#[test]
fn the_template_as_written_is_a_valid_plan_that_applies() {
    // The example rows form a small plan: the reader takes the template back clean, in both
    // languages, and it applies like any plan.
    let dir = tempfile::tempdir().expect("dir");
    for lang in ["fr", "en"] {
        let file = template(dir.path(), lang);
        let (code, out, err) = exec(
            cnrm()
                .args(["--lang", lang, "plan", "check", "--format", "json"])
                .arg(&file),
        );
        assert_eq!(code, 0, "{out}{err}");
        let diagnostics: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(diagnostics, serde_json::json!([]), "{out}");
        let db = TestDb::sqlite();
        let (code, out, err) = exec(cnrm_db(&db, NOW).args(["plan", "apply"]).arg(&file));
        assert_eq!(code, 0, "{out}{err}");
        let (code, out, err) = exec(cnrm_db(&db, NOW).args(["tasks", "--format", "json"]));
        assert_eq!(code, 0, "{err}");
        let tasks: Value = serde_json::from_str(&out).expect("json");
        assert!(
            tasks.as_array().is_some_and(|t| !t.is_empty()),
            "the example rows hold at least one task: {out}"
        );
    }
}
