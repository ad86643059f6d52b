//! Steering-committee reports and the calendar export, on a fixed plan, database state and date.

use crate::common::db::TestDb;
use crate::common::require;
use crate::common::*;

const PLAN: &str = r#"version: 1
plan:
  id: copil
  title: Plan d'essai du comité de pilotage
  period: { start: 2025-01-01, end: 2025-12-31 }
  exchange_rates: { CHF: 700 }
owners:
  - { id: mmeia, name: Ministère, short: MMEIA, email: cab@example.ml }
  - { id: dgme, name: Délégation générale, short: DGME, email: dgme@example.ml }
  - { id: ue, name: Union européenne, short: UE }
  - { id: suisse, name: Coopération suisse, short: Suisse }
priorities:
  - id: axe-1
    title: Gouvernance
    indicators:
      - { id: axe-1.i1, title: Sessions tenues, baseline: 0, target: 4 }
    tasks:
      - id: a1
        title: "Adopter le règlement : l'échéance"
        owner: mmeia
        deadline: T2 2025
        milestone: true
        resources:
          - { kind: budget, amount: "10 000 000", funder: ue, status: secured }
      - id: a2
        title: Désigner les points focaux
        owner: dgme
        deadline: 2025-09-15
        resources:
          - { kind: budget, amount: 10000, currency: CHF, funder: suisse, status: pledged }
          - { kind: budget, amount: "3 000 000", status: needed }
  - id: axe-2
    title: Accueil
    tasks:
      - id: b1
        title: Ouvrir le centre de Kayes
        owner: [dgme, mmeia]
        deadline: T4 2025
        milestone: true
        resources:
          - { kind: budget, amount: 20000, currency: EUR, funder: ue, status: secured }
      - { id: b2, title: Accueil continu, owner: dgme, deadline: continu }
"#;

const NOW: &str = "2025-10-01";

fn setup(db: &TestDb) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let v1 = write_plan(
        dir.path(),
        "copil.yaml",
        &PLAN.replace("deadline: 2025-09-15", "deadline: 2025-07-15"),
    );
    assert_eq!(
        exec(cnrm_db(db, "2025-06-01").args(["plan", "apply", &v1])).0,
        0
    );
    let v2 = write_plan(dir.path(), "copil.yaml", PLAN);
    assert_eq!(
        exec(cnrm_db(db, "2025-07-01").args(["plan", "apply", &v2, "-m", "report"])).0,
        0
    );
    for args in [
        vec![
            "task",
            "set",
            "a1",
            "--status",
            "done",
            "--note",
            "Adopté en session",
        ],
        vec!["task", "spend", "a1", "4 000 000"],
        vec![
            "task",
            "set",
            "a2",
            "--status",
            "blocked",
            "--note",
            "En attente du décret",
        ],
        vec!["task", "set", "b1", "--progress", "30"],
        vec!["task", "spend", "b1", "2000", "--currency", "EUR"],
        vec![
            "indicator",
            "record",
            "axe-1.i1",
            "1",
            "--date",
            "2025-09-30",
        ],
    ] {
        let (code, _, err) = exec(cnrm_db(db, NOW).args(&args));
        assert_eq!(code, 0, "{args:?}: {err}");
    }
    dir
}

fn report(db: &TestDb, args: &[&str]) -> String {
    let (code, out, err) = exec(cnrm_db(db, NOW).arg("report").args(args));
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn every_format_on_a_fixed_state() {
    let db = TestDb::sqlite();
    let _dir = setup(&db);
    insta::assert_snapshot!("report_md_fr", report(&db, &["--period", "T3 2025"]));
    insta::assert_snapshot!(
        "report_md_en",
        report(&db, &["--period", "T3 2025", "--lang", "en"])
    );
    insta::assert_snapshot!("report_csv_priorities", report(&db, &["--format", "csv"]));
    insta::assert_snapshot!(
        "report_csv_late",
        report(&db, &["--format", "csv", "--table", "late"])
    );
    insta::assert_snapshot!(
        "report_json",
        report(&db, &["--format", "json", "--period", "T3 2025"])
    );
    insta::assert_snapshot!(
        "report_html",
        report(&db, &["--format", "html", "--period", "T3 2025"])
    );
}

#[test]
fn figures_match_an_independent_computation() {
    for db in TestDb::all() {
        let _dir = setup(&db);
        let r: serde_json::Value =
            serde_json::from_str(&report(&db, &["--format", "json", "--period", "T3 2025"]))
                .expect("json");
        // From the plan: planned = 10 M + 10,000 CHF x 700 + 3 M + 20,000 EUR x 655.957.
        let eur = 655.957;
        let planned = 10_000_000.0 + 10_000.0 * 700.0 + 3_000_000.0 + 20_000.0 * eur;
        let spent = 4_000_000.0 + 2_000.0 * eur;
        let close =
            |a: &serde_json::Value, b: f64| (a.as_f64().unwrap_or(f64::NAN) - b).abs() < 0.01;
        assert!(
            close(&r["summary"]["money"]["planned"], planned),
            "{}: {}",
            db.label,
            r["summary"]
        );
        assert!(close(&r["summary"]["money"]["spent"], spent));
        assert!(close(&r["summary"]["financial"], spent / planned * 100.0));
        assert!(close(&r["gap"], 3_000_000.0), "the gap is what is `needed`");
        // Physical execution of T3 2025: a2 (15 September) is due and not done: 0 of 1.
        assert!(close(&r["summary"]["physical_period"], 0.0) && r["summary"]["due_in_period"] == 1);
        // Overall: 1 done (a1) of 4 tasks.
        assert!(close(&r["summary"]["physical_overall"], 25.0));
        let axe1 = &r["priorities"][0];
        assert!(close(&axe1["progress"], 50.0), "(100 + 0) / 2: {axe1}");
        let ue = r["funders"]
            .as_array()
            .and_then(|f| f.iter().find(|x| x["funder"] == "ue"))
            .expect("UE");
        assert!(
            close(&ue["planned"], 10_000_000.0 + 20_000.0 * eur) && close(&ue["spent"], spent),
            "{ue}"
        );
        let late = &r["late"][0];
        assert_eq!(
            (
                late["id"].as_str(),
                late["days_late"].as_i64(),
                late["slips"].as_i64(),
                late["slipped_days"].as_i64()
            ),
            (Some("a2"), Some(16), Some(1), Some(62))
        );
        assert_eq!(late["last_note"], "En attente du décret");
        assert!(close(&r["indicators"][0]["achievement"], 25.0));
        assert_eq!(r["milestones_reached"][0]["id"], "a1");
        assert_eq!(r["milestones_upcoming"][0]["id"], "b1");
    }
}

#[test]
fn the_html_report_renders_in_headless_chromium() {
    let db = TestDb::sqlite();
    let dir = setup(&db);
    let html = dir.path().join("rapport.html");
    let (code, _, err) = exec(
        cnrm_db(&db, NOW)
            .args(["report", "--format", "html", "--output"])
            .arg(&html),
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&html).expect("written");
    assert!(
        !text.contains("http://")
            && !text.contains("https://")
            && !text.contains("<link")
            && !text.contains("<script"),
        "self-contained"
    );
    // The rendering needs Chromium: see `require::chromium`.
    let Some(chromium) = require::chromium() else {
        return;
    };
    let png = dir.path().join("rapport.png");
    let profile = dir.path().join("profile");
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1200,1700",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(size > 20_000, "a real page was rendered ({size} bytes)");
}

#[test]
fn the_calendar_parses_back_with_every_open_deadline_and_stable_uids() {
    use icalendar::{Calendar, CalendarComponent, Component};
    let db = TestDb::sqlite();
    let _dir = setup(&db);
    let (code, first, err) = exec(cnrm_db(&db, NOW).args(["export", "ics"]));
    assert_eq!(code, 0, "{err}");
    let cal: Calendar = first.parse().expect("a valid iCalendar");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter_map(|c| {
            if let CalendarComponent::Event(e) = c {
                Some(e)
            } else {
                None
            }
        })
        .collect();
    let uids: Vec<String> = events
        .iter()
        .filter_map(|e| e.get_uid().map(str::to_string))
        .collect();
    assert_eq!(
        uids,
        ["a1@copil.cnrm", "a2@copil.cnrm", "b1@copil.cnrm"],
        "every dated task; continu has no date"
    );
    let a1 = events
        .iter()
        .find(|e| e.get_uid() == Some("a1@copil.cnrm"))
        .expect("a1");
    assert!(
        a1.get_summary()
            .is_some_and(|s| s.starts_with("✓ a1 — Adopter le règlement : l'échéance")),
        "{:?}",
        a1.get_summary()
    );
    let a2 = events
        .iter()
        .find(|e| e.get_uid() == Some("a2@copil.cnrm"))
        .expect("a2");
    assert!(
        a2.get_summary().is_some_and(|s| s.starts_with("⚠")),
        "overdue marked"
    );
    let (_, second, _) = exec(cnrm_db(&db, "2025-10-02").args(["export", "ics"]));
    let again: Calendar = second.parse().expect("valid");
    let uids_again: Vec<String> = again
        .components
        .iter()
        .filter_map(|c| {
            if let CalendarComponent::Event(e) = c {
                e.get_uid().map(str::to_string)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(uids, uids_again, "UIDs are stable across exports");
    let (_, mine, _) = exec(cnrm_db(&db, NOW).args(["export", "ics", "--owner", "dgme"]));
    assert!(
        mine.contains("UID:a2@copil.cnrm")
            && mine.contains("UID:b1@copil.cnrm")
            && !mine.contains("UID:a1@"),
        "{mine}"
    );
    let (code, _, err) = exec(cnrm_db(&db, NOW).args(["export", "ics", "--owner", "personne"]));
    assert_eq!(code, 2, "{err}");
}
