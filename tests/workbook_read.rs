//! Plan workbooks read, checked, applied and converted (`workbook.md`): workbooks written by real
//! spreadsheet software (Python's openpyxl, LibreOffice headless), not only by cnrm.

use crate::common::db::TestDb;
use crate::common::require::{libreoffice, openpyxl};
use crate::common::{cnrm, cnrm_db, example_plans, exec, root, run, stdout};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const NOW: &str = "2025-01-10T09:00:00Z";

/// Writes a workbook with openpyxl from a description: sheets (name, rows of cells, hidden rows,
/// merged ranges); a cell is a string, a number, null, `{"date": "2025-03-31"}` (a date cell) or
/// `{"f": "=1+1"}` (a formula, which openpyxl saves without a computed value).
const OPENPYXL: &str = r#"
import json, sys, datetime, openpyxl
spec = json.load(open(sys.argv[1], encoding="utf-8"))
wb = openpyxl.Workbook()
wb.remove(wb.active)
for s in spec["sheets"]:
    ws = wb.create_sheet(s["name"])
    for r, row in enumerate(s["rows"], start=1):
        for c, v in enumerate(row, start=1):
            if v is None:
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(v, dict) and "date" in v:
                cell.value = datetime.date.fromisoformat(v["date"])
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(v, dict) and "f" in v:
                cell.value = v["f"]
            else:
                cell.value = v
    for r in s.get("hidden", []):
        ws.row_dimensions[r].hidden = True
    for m in s.get("merge", []):
        ws.merge_cells(m)
wb.save(spec["path"])
"#;

fn python(script: &str, args: &[&str]) {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 starts");
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write_xlsx(dir: &Path, name: &str, sheets: Value) -> PathBuf {
    let path = dir.join(name);
    let spec = dir.join(format!("{name}.json"));
    std::fs::write(
        &spec,
        json!({ "path": path.display().to_string(), "sheets": sheets }).to_string(),
    )
    .expect("spec");
    python(OPENPYXL, &[&spec.display().to_string()]);
    path
}

/// A small plan that is none of the examples, in French sheets, the way a ministry types it:
/// date cells and dates as text, amounts as numbers and as grouped text, French labels, lists
/// separated by `;`, `,` and line breaks.
fn plan_sheets() -> Value {
    json!([
        { "name": "Plan", "rows": [
            ["id", "pao-test-xlsx"],
            ["Titre", "Plan d'actions de l'atelier régional"],
            ["Début", {"date": "2025-01-01"}],
            ["Fin", "31/12/2025"],
            ["Devise", "XOF"],
            ["Langue", "fr"],
            ["Secrétariat", "st"],
            ["Rappels : avant", "14j; 3j"],
            ["Rappels : à l'échéance", "oui"],
            ["Week-end", "SAM, DIM"]
        ]},
        { "name": "Taux de change", "rows": [["Devise", "Taux"], ["USD", 605.5]] },
        { "name": "Jours fériés", "rows": [
            ["Date", "Au", "Libellé"],
            [{"date": "2025-09-22"}, null, "Fête de l'indépendance"],
            ["2025-06-06", "2025-06-07", "Tabaski"]
        ]},
        { "name": "Responsables", "rows": [
            ["ID", "Nom", "Sigle", "E-mail", "Parent", "Langue"],
            ["st", "Secrétariat technique", "ST", "st@example.ml", null, null],
            ["dgme", "Délégation générale des Maliens de l'extérieur", "DGME", "a@example.ml; b@example.ml", "st", null],
            ["oim", "Organisation internationale pour les migrations", "OIM", "oim@example.org", null, "en"]
        ]},
        { "name": "Axes", "rows": [
            ["id", "Titre", "Responsable", "Alignement"],
            ["axe-1", "Accueil et orientation", "dgme", "PONAM; GCM-21"]
        ]},
        { "name": "Indicateurs", "rows": [
            ["id", "Axe", "Titre", "Unité", "Référence", "Cible", "Échéance"],
            ["axe-1.i1", "axe-1", "Migrants orientés", "personnes", 0, 500, "T4 2025"]
        ]},
        { "name": "Activités", "rows": [
            ["ID", "Axe", "Titre", "Responsable", "Partenaires", "Début", "Échéance", "Répétition", "Dépend de", "Jalon", "Rappels"],
            ["axe-1.a1", "axe-1", "Ouvrir le guichet d'accueil", "dgme", "oim", {"date": "2025-01-15"}, {"date": "2025-03-31"}, null, null, "oui", null],
            ["axe-1.a2", "axe-1", "Former les agents d'accueil", "dgme\noim", null, null, "T2 2025", null, "axe-1.a1", null, null],
            ["axe-1.a3", "axe-1", "Rapport mensuel d'activité", "st", null, null, "2025-01-31", "mensuelle", null, "non", "non"]
        ]},
        { "name": "Ressources", "rows": [
            ["Activité", "Type", "Montant", "Devise", "Bailleur", "Statut", "Quantité", "Unité", "Libellé"],
            ["axe-1.a1", "budget", 2500000, null, "oim", "acquis", null, null, null],
            ["axe-1.a2", "budget", "1 200 000", "USD", null, "à rechercher", null, null, null],
            ["axe-1.a2", "personnel", null, null, null, null, 3, "personne-mois", "Formateurs"]
        ]}
    ])
}

const PLAN_TWIN: &str = r#"version: 1
plan:
  id: pao-test-xlsx
  title: Plan d'actions de l'atelier régional
  period: { start: 2025-01-01, end: 2025-12-31 }
  currency: XOF
  language: fr
  secretariat: st
  exchange_rates: { USD: 605.5 }
reminders:
  before: [14d, 3d]
  on_deadline: true
calendar:
  weekend: [SAT, SUN]
  holidays:
    - { from: 2025-09-22, label: "Fête de l'indépendance" }
    - { from: 2025-06-06, to: 2025-06-07, label: Tabaski }
owners:
  - { id: st, name: Secrétariat technique, short: ST, email: st@example.ml }
  - id: dgme
    name: Délégation générale des Maliens de l'extérieur
    short: DGME
    email: [a@example.ml, b@example.ml]
    parent: st
  - { id: oim, name: Organisation internationale pour les migrations, short: OIM, email: oim@example.org, language: en }
priorities:
  - id: axe-1
    title: Accueil et orientation
    lead: dgme
    aligned_with: [PONAM, GCM-21]
    indicators:
      - { id: axe-1.i1, title: Migrants orientés, unit: personnes, baseline: 0, target: 500, due: T4 2025 }
    tasks:
      - id: axe-1.a1
        title: Ouvrir le guichet d'accueil
        owner: dgme
        partners: [oim]
        start: 2025-01-15
        deadline: 2025-03-31
        milestone: true
        resources:
          - { kind: budget, amount: 2500000, funder: oim, status: secured }
      - id: axe-1.a2
        title: Former les agents d'accueil
        owner: [dgme, oim]
        deadline: T2 2025
        depends_on: [axe-1.a1]
        resources:
          - { kind: budget, amount: "1 200 000", currency: USD, status: needed }
          - { kind: staff, quantity: 3, unit: personne-mois, label: Formateurs }
      - id: axe-1.a3
        title: Rapport mensuel d'activité
        owner: st
        deadline: 2025-01-31
        repeat: monthly
        milestone: false
        reminders: off
"#;

fn check(path: &Path, lang: &str) -> (i32, Vec<Value>, String) {
    let p = path.display().to_string();
    let (code, out, _) =
        exec(cnrm().args(["plan", "check", "--format", "json", "--lang", lang, &p]));
    let diags: Vec<Value> =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON for {p}: {e}\n{out}"));
    let (_, human, _) = exec(cnrm().args(["plan", "check", "--lang", lang, &p]));
    (code, diags, human)
}

/// `plan diff FILE --format json` on a database: the report's added, changed, archived ids.
fn diff_is_empty(db: &TestDb, path: &Path) -> bool {
    let p = path.display().to_string();
    let (code, out, err) = exec(cnrm_db(db, NOW).args(["plan", "diff", "--format", "json", &p]));
    assert_eq!(code, 0, "diff {p}: {out}{err}");
    let report: Value = serde_json::from_str(&out).expect("diff JSON");
    let empty = [
        "added", "changed", "archived", "restored", "renamed", "changes",
    ]
    .iter()
    .all(|k| match &report[k] {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Null => true,
        _ => false,
    });
    if !empty {
        eprintln!("{p}: {report:#}");
    }
    empty
}

fn apply(db: &TestDb, path: &Path) {
    let p = path.display().to_string();
    let (code, out, err) = exec(cnrm_db(db, NOW).args(["plan", "apply", &p]));
    assert_eq!(code, 0, "apply {p}: {out}{err}");
}

#[test]
fn an_openpyxl_workbook_checks_clean_and_applies_the_same_tasks_as_its_yaml_twin() {
    if !openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = write_xlsx(dir.path(), "plan.xlsx", plan_sheets());
    let (code, diags, human) = check(&xlsx, "fr");
    assert_eq!(code, 0, "{diags:#?}");
    assert!(diags.iter().all(|d| d["severity"] != "error"), "{diags:#?}");
    assert!(human.contains("valide"), "{human}");
    let twin = dir.path().join("plan.yaml");
    std::fs::write(&twin, PLAN_TWIN).expect("twin");
    let (code, diags, _) = check(&twin, "fr");
    assert_eq!(code, 0, "{diags:#?}");

    let db = TestDb::sqlite();
    apply(&db, &xlsx);
    // The YAML twin, on the database the workbook filled: nothing to change.
    assert!(
        diff_is_empty(&db, &twin),
        "the twin differs from the workbook"
    );
    // And the workbook again: recognised by its SHA-256, nothing to apply.
    let (code, _, _) = exec(cnrm_db(&db, NOW).args(["plan", "apply", &xlsx.display().to_string()]));
    assert_eq!(code, 0);
    let (_, tasks, _) = exec(cnrm_db(&db, NOW).args(["tasks", "--format", "json"]));
    let tasks: Value = serde_json::from_str(&tasks).expect("tasks JSON");
    let ids: Vec<&str> = tasks
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"axe-1.a1") && ids.contains(&"axe-1.a2"),
        "{ids:?}"
    );
    assert!(
        ids.iter().filter(|i| i.starts_with("axe-1.a3")).count() >= 12,
        "{ids:?}"
    );
}

fn find<'d>(diags: &'d [Value], code: &str, sheet: &str, cell: &str) -> Option<&'d Value> {
    diags
        .iter()
        .find(|d| d["code"] == code && d["sheet"] == sheet && d["cell"] == cell)
}

#[test]
fn errors_are_located_by_sheet_and_cell_in_human_and_json() {
    if !openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sheets = plan_sheets();
    let tasks = &mut sheets[6]["rows"];
    tasks[2][6] = json!("32/13/2025"); // G3: deadline
    tasks[3][3] = json!("personne"); // D4: unknown owner
    tasks[1][2] = Value::Null; // C2: an empty title
    if let Some(header) = tasks[0].as_array_mut() {
        header.push(json!("Couleur")); // L1: unknown column
    }
    sheets[6]["hidden"] = json!([3]);
    let res = &mut sheets[7]["rows"];
    res[1][5] = json!("versé"); // F2: unknown status label
    res[1][2] = json!("1 000 000 FCFA"); // C2: an amount with its currency
    res[2][2] = json!({"f": "=SUM(1,2)"}); // C3: formula without computed value
    sheets[4]["merge"] = json!(["B1:C1"]);
    let xlsx = write_xlsx(dir.path(), "plan.xlsx", sheets);
    let (code, diags, human) = check(&xlsx, "fr");
    assert_eq!(code, 1, "{diags:#?}");
    let date =
        find(&diags, "invalid-date", "Activités", "G3").unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(
        (date["line"].as_u64(), date["column"].as_u64()),
        (Some(3), Some(7))
    );
    assert!(date["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("plan.xlsx")));
    assert!(
        find(&diags, "unknown-reference", "Activités", "D4").is_some(),
        "{diags:#?}"
    );
    assert!(
        find(&diags, "unknown-field", "Activités", "L1").is_some(),
        "{diags:#?}"
    );
    assert!(
        find(&diags, "invalid-value", "Ressources", "F2").is_some(),
        "{diags:#?}"
    );
    assert!(
        find(&diags, "invalid-value", "Ressources", "C3").is_some(),
        "{diags:#?}"
    );
    assert!(
        find(&diags, "invalid-value", "Axes", "B1").is_some(),
        "{diags:#?}"
    );
    let hidden =
        find(&diags, "hidden-rows", "Activités", "A3").unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(hidden["severity"], "warning");
    // Human: where, then the cell's content under it.
    let at = human
        .find("plan.xlsx › Activités!G3")
        .unwrap_or_else(|| panic!("{human}"));
    assert!(
        human[at..]
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains("32/13/2025")),
        "{human}"
    );
    assert!(human.contains("plan.xlsx › Ressources!F2"), "{human}");
    assert!(human.contains("versé"), "{human}");
    // The hint of an amount speaks of cells, not of YAML.
    let amount =
        find(&diags, "invalid-amount", "Ressources", "C2").unwrap_or_else(|| panic!("{diags:#?}"));
    assert!(
        amount["help"]
            .as_str()
            .is_some_and(|h| h.contains("la devise dans sa colonne") && !h.contains("12_500_000")),
        "{amount}"
    );
    // An empty required cell is said at that cell, as a column.
    let title =
        find(&diags, "missing-field", "Activités", "C2").unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(
        title["message"], "colonne obligatoire `titre` vide pour la tâche `axe-1.a1`",
        "{title}"
    );
    // The sheet's columns are named by their headings, not by the YAML keys they fill.
    let date =
        find(&diags, "invalid-date", "Activités", "G3").unwrap_or_else(|| panic!("{diags:#?}"));
    let message = date["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`échéance`") && !message.contains("`deadline`"),
        "{message}"
    );
    // English too.
    let (_, diags_en, human_en) = check(&xlsx, "en");
    assert!(find(&diags_en, "invalid-date", "Activités", "G3").is_some());
    assert!(
        human_en.contains("impossible date `32/13/2025`"),
        "{human_en}"
    );
    // Nothing is applied.
    let db = TestDb::sqlite();
    let (code, _, _) = exec(cnrm_db(&db, NOW).args(["plan", "apply", &xlsx.display().to_string()]));
    assert_eq!(code, 1);
    let (_, plans, _) = exec(cnrm_db(&db, NOW).args(["plans", "--format", "json"]));
    assert_eq!(plans.trim(), "[]", "{plans}");
}

#[test]
fn a_missing_sheet_is_one_diagnostic() {
    if !openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sheets = plan_sheets();
    if let Some(list) = sheets.as_array_mut() {
        list.retain(|s| s["name"] != "Activités");
    }
    let xlsx = write_xlsx(dir.path(), "plan.xlsx", sheets);
    let (code, diags, human) = check(&xlsx, "fr");
    assert_eq!(code, 1);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["code"], "missing-field");
    assert!(human.contains("Activités"), "{human}");
}

#[test]
fn files_that_are_no_workbook_are_one_sentence_each_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("plan.xlsx");
    std::fs::write(&csv, "id,titre\naxe-1.a1,Ouvrir\n").expect("csv");
    // An encrypted OLE container, as Excel writes a password-protected workbook: the compound
    // file's signature and its `EncryptedPackage` stream name.
    let locked = dir.path().join("protege.xlsx");
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&locked, bytes).expect("ole");
    for (path, words) in [(&csv, "n'est pas un classeur"), (&locked, "mot de passe")] {
        let out = run(&["plan", "check", "--lang", "fr", &path.display().to_string()]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(err.contains(words), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        let db = TestDb::sqlite();
        let (code, _, _) =
            exec(cnrm_db(&db, NOW).args(["plan", "apply", &path.display().to_string()]));
        assert_eq!(code, 2);
    }
}

/// Converts, with `libreoffice --headless`, `file` to `ext` in `dir`; the converted file.
fn lo_convert(file: &Path, ext: &str, dir: &Path) -> PathBuf {
    let profile = dir.join("lo-profile");
    let out = std::process::Command::new("libreoffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", ext, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .expect("libreoffice starts");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("plan");
    let path = dir.join(format!("{stem}.{ext}"));
    assert!(path.exists(), "libreoffice wrote {}", path.display());
    path
}

#[test]
fn example_plans_round_trip_through_workbooks_without_a_change() {
    for plan in example_plans() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = TestDb::sqlite();
        apply(&db, &plan);
        let xlsx = dir.path().join("plan.xlsx");
        let (code, out, err) = exec(cnrm().args([
            "plan",
            "convert",
            &plan.display().to_string(),
            "--output",
            &xlsx.display().to_string(),
        ]));
        assert_eq!(code, 0, "{out}{err}");
        let (code, diags, _) = check(&xlsx, "fr");
        assert_eq!(code, 0, "{}: {diags:#?}", plan.display());
        assert!(
            diff_is_empty(&db, &xlsx),
            "{}: xlsx differs",
            plan.display()
        );
        let back = dir.path().join("back.yaml");
        let (code, out, err) = exec(cnrm().args([
            "plan",
            "convert",
            &xlsx.display().to_string(),
            "--output",
            &back.display().to_string(),
        ]));
        assert_eq!(code, 0, "{out}{err}");
        assert!(
            diff_is_empty(&db, &back),
            "{}: yaml differs",
            plan.display()
        );
        // Applying the converted YAML writes nothing new.
        apply(&db, &back);
        assert!(diff_is_empty(&db, &plan));
        if openpyxl() {
            let names = dir.path().join("names.txt");
            python(
                "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nopen(sys.argv[2], 'w', encoding='utf-8').write('|'.join(wb.sheetnames))",
                &[&xlsx.display().to_string(), &names.display().to_string()],
            );
            let names = std::fs::read_to_string(&names).expect("names");
            assert!(
                names.contains("Activités") && names.contains("Responsables"),
                "{names}"
            );
        }
        if libreoffice() {
            // Saved again by LibreOffice, as .xlsx and .ods: still the same plan.
            let lo = dir.path().join("lo");
            std::fs::create_dir_all(&lo).expect("lo dir");
            for ext in ["ods", "xlsx"] {
                let saved = lo_convert(&xlsx, ext, &lo);
                let (code, diags, _) = check(&saved, "fr");
                assert_eq!(code, 0, "{}: {diags:#?}", saved.display());
                assert!(diff_is_empty(&db, &saved), "{} differs", saved.display());
            }
            let xls = lo_convert(&xlsx, "xls", &lo);
            let out = run(&["plan", "check", "--lang", "fr", &xls.display().to_string()]);
            assert_eq!(out.status.code(), Some(2));
            assert!(String::from_utf8_lossy(&out.stderr).contains("97-2003"));
        }
    }
    let _ = root();
}

#[test]
fn fifty_thousand_rows_are_read() {
    if !openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("grand.xlsx");
    let script = r#"
import sys, openpyxl
wb = openpyxl.Workbook(write_only=True)
p = wb.create_sheet("Plan")
for row in [["id", "grand"], ["titre", "Grand plan"], ["début", "2025-01-01"], ["fin", "2025-12-31"]]:
    p.append(row)
o = wb.create_sheet("Responsables"); o.append(["id", "nom", "e-mail"]); o.append(["st", "Secrétariat", "st@example.ml"])
a = wb.create_sheet("Axes"); a.append(["id", "titre"]); a.append(["axe-1", "Axe"])
t = wb.create_sheet("Activités"); t.append(["id", "axe", "titre", "responsable", "échéance"])
for i in range(50000):
    t.append([f"t{i}", "axe-1", f"Activité {i}", "st", "2025-06-30"])
wb.save(sys.argv[1])
"#;
    python(script, &[&path.display().to_string()]);
    let out = run(&["plan", "check", "--lang", "fr", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// `plan_sheets()` with the `Activités` sheet's rows replaced.
fn with_tasks(rows: Value) -> Value {
    let mut sheets = plan_sheets();
    for s in sheets.as_array_mut().expect("sheets") {
        if s["name"] == "Activités" {
            s["rows"] = rows.clone();
        }
    }
    sheets
}

const TASK_HEAD: [&str; 7] = [
    "ID",
    "Axe",
    "Titre",
    "Responsable",
    "Début",
    "Échéance",
    "Dépend de",
];

#[test]
fn merged_axe_cells_are_read_on_every_row_they_cover_with_one_warning() {
    if !openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sheets = with_tasks(json!([
        TASK_HEAD,
        [
            "axe-1.a1",
            "axe-1",
            "Ouvrir le guichet",
            "dgme",
            null,
            "T1 2025",
            null
        ],
        [
            "axe-1.a2",
            null,
            "Former les agents",
            "dgme",
            null,
            "T2 2025",
            null
        ],
        [
            "axe-1.a3",
            null,
            "Équiper le guichet",
            "dgme",
            null,
            "T3 2025",
            null
        ],
        [
            "axe-1.a4",
            null,
            "Évaluer le guichet",
            "dgme",
            null,
            "T4 2025",
            null
        ]
    ]));
    for s in sheets.as_array_mut().expect("sheets") {
        if s["name"] == "Activités" {
            s["merge"] = json!(["B2:B5"]);
        }
        if s["name"] == "Ressources" {
            s["rows"] = json!([["Activité", "Type", "Montant"]]);
        }
    }
    let path = write_xlsx(dir.path(), "fusion.xlsx", sheets);
    let (code, diags, human) = check(&path, "fr");
    assert_eq!(code, 0, "{diags:#?}");
    let merged: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "merged-cells")
        .collect();
    assert_eq!(merged.len(), 1, "{diags:#?}");
    assert_eq!(merged[0]["severity"], "warning");
    assert!(merged[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("B2:B5"));
    assert!(human.contains("fusionnées"), "{human}");
    assert!(diags.iter().all(|d| d["severity"] != "error"), "{diags:#?}");
}

#[test]
fn a_deleted_or_renamed_column_is_one_diagnostic_naming_it() {
    if !openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // `Titre` renamed `Intitulé de l'activité`: each row lacks its title.
    let path = write_xlsx(
        dir.path(),
        "colonne.xlsx",
        with_tasks(json!([
            [
                "ID",
                "Axe",
                "Intitulé de l'activité",
                "Responsable",
                "Échéance"
            ],
            ["axe-1.a1", "axe-1", "Ouvrir le guichet", "dgme", "T1 2025"],
            ["axe-1.a2", "axe-1", "Former les agents", "dgme", "T2 2025"],
            ["axe-1.a3", "axe-1", "Équiper le guichet", "dgme", "T3 2025"]
        ])),
    );
    let (code, diags, _) = check(&path, "fr");
    assert_eq!(code, 1);
    let missing: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "missing-field" && d["sheet"] == "Activités")
        .collect();
    assert_eq!(missing.len(), 1, "{diags:#?}");
    let m = missing[0]["message"].as_str().unwrap_or("");
    assert!(m.contains("titre") && m.contains("manque"), "{m}");
    assert_eq!(missing[0]["cell"], "A1");
    // The deleted `Axe` column, likewise: one diagnostic, not one per row.
    let path = write_xlsx(
        dir.path(),
        "sans-axe.xlsx",
        with_tasks(json!([
            ["ID", "Titre", "Responsable", "Échéance"],
            ["axe-1.a1", "Ouvrir le guichet", "dgme", "T1 2025"],
            ["axe-1.a2", "Former les agents", "dgme", "T2 2025"]
        ])),
    );
    let (_, diags, _) = check(&path, "fr");
    let about_axe: Vec<&Value> = diags
        .iter()
        .filter(|d| {
            d["sheet"] == "Activités" && d["message"].as_str().unwrap_or("").contains("axe")
        })
        .collect();
    assert_eq!(about_axe.len(), 1, "{diags:#?}");
}

#[test]
fn excel_dates_a_month_as_its_first_day_a_bare_serial_and_1e308_are_each_said() {
    if !openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_xlsx(
        dir.path(),
        "dates.xlsx",
        with_tasks(json!([
            TASK_HEAD,
            ["axe-1.a1", "axe-1", "Ouvrir le guichet", "dgme", null, {"date": "2025-12-01"}, null],
            ["axe-1.a2", "axe-1", "Former les agents", "dgme", null, 46402, null],
            ["axe-1.a3", "axe-1", "Équiper le guichet", "dgme", {"date": "2025-02-14"}, {"date": "2025-06-30"}, null]
        ])),
    );
    let (_, diags, _) = check(&path, "fr");
    let first =
        find(&diags, "month-as-date", "Activités", "F2").unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(first["severity"], "warning");
    assert!(
        first["help"].as_str().unwrap_or("").contains("31/12/2025"),
        "{first:#?}"
    );
    // A start date on the 1st, or a deadline on another day, is no such case.
    assert!(find(&diags, "month-as-date", "Activités", "F4").is_none());
    let serial: Vec<&Value> = diags
        .iter()
        .filter(|d| d["sheet"] == "Activités" && d["cell"] == "F3")
        .collect();
    assert_eq!(serial.len(), 1, "{diags:#?}");
    assert_eq!(serial[0]["code"], "invalid-date");
    let help = serial[0]["help"].as_str().unwrap_or("");
    assert!(
        help.contains("format date") && help.contains("15/01/2027"),
        "{help}"
    );

    // A number no calendar holds, styled as a date.
    let path = dir.path().join("1e308.xlsx");
    let script = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
c = wb["Activités"]["F3"]
c.value = 1e308
c.number_format = "DD/MM/YYYY"
wb.save(sys.argv[2])
"#;
    let dates = dir.path().join("dates.xlsx");
    python(
        script,
        &[&dates.display().to_string(), &path.display().to_string()],
    );
    let (_, diags, human) = check(&path, "fr");
    assert!(!human.contains("9999-12-31"), "{human}");
    let bad =
        find(&diags, "invalid-date", "Activités", "F3").unwrap_or_else(|| panic!("{diags:#?}"));
    assert!(
        bad["message"].as_str().unwrap_or("").contains("aucun jour"),
        "{bad:#?}"
    );
}

#[test]
fn the_templates_date_columns_are_text_so_a_typed_month_stays_text() {
    if !openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("modele.xlsx");
    let (code, out, err) = exec(cnrm().args([
        "plan",
        "template",
        "--lang",
        "fr",
        "--output",
        &path.display().to_string(),
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let script = r#"
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for name in ["Activités", "Indicateurs"]:
    ws = wb[name]
    for cell in ws[1]:
        head = str(cell.value).lower()
        if head in ("échéance", "début"):
            letter = cell.column_letter
            # openpyxl keeps a run of columns of one style under its first letter.
            col = [d.number_format for d in ws.column_dimensions.values() if d.min <= cell.column <= d.max]
            out[name + "!" + head] = [ws[letter + "2"].number_format, col[0] if col else None, ws[letter + "2"].data_type]
print(json.dumps(out))
"#;
    let got = std::process::Command::new("python3")
        .args(["-c", script, &path.display().to_string()])
        .output()
        .expect("python3");
    let got: Value = serde_json::from_slice(&got.stdout).expect("JSON");
    for key in [
        "Activités!échéance",
        "Activités!début",
        "Indicateurs!échéance",
    ] {
        assert_eq!(got[key][0], "@", "{key}: {got}");
        assert_eq!(got[key][1], "@", "{key}: {got}");
        assert_eq!(got[key][2], "s", "{key}: {got}");
    }
}
