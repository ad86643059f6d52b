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

pub(crate) const NOW: &str = "2025-10-01";

pub(crate) fn setup(db: &TestDb) -> tempfile::TempDir {
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

// ---- hostile text and `--output` ----------------------------------------------------------------

/// Titles that try to run a formula in a spreadsheet, to inject iCalendar lines, to colour or
/// rewrite the terminal, and to break Markdown rows; all five tasks late on NOW.
const HOSTILE: &str = r#"version: 1
plan:
  id: hostile
  title: "Plan\r\nX-INJECTED:1"
  period: { start: 2025-01-01, end: 2025-12-31 }
owners:
  - { id: dgme, name: "=cmd|' /C calc'!A0", short: "=cmd|' /C calc'!A0" }
priorities:
  - id: axe-1
    title: Gouvernance
    tasks:
      - { id: h1, title: '=HYPERLINK("http://x")', owner: dgme, deadline: 2025-09-01 }
      - { id: h2, title: "+cmd|' /C calc'!A0", owner: dgme, deadline: 2025-09-02 }
      - { id: h3, title: "-2+3", owner: dgme, deadline: 2025-09-03 }
      - { id: h4, title: "@SUM(A1)", owner: dgme, deadline: 2025-09-04 }
      - id: h5
        title: "a\rCR\0NUL\e[31mESC|pipe\nLF"
        owner: dgme
        deadline: 2025-09-05
        resources:
          - { kind: budget, amount: 1000, funder: dgme, status: secured }
"#;

/// What every hostile title becomes in a CSV text cell.
const NEUTRALISED: [&str; 5] = [
    "'=HYPERLINK(\"http://x\")",
    "'+cmd|' /C calc'!A0",
    "'-2+3",
    "'@SUM(A1)",
    "a CRNUL[31mESC|pipe LF",
];

pub(crate) fn hostile(db: &TestDb) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let plan = write_plan(dir.path(), "hostile.yaml", HOSTILE);
    let (code, _, err) = exec(cnrm_db(db, "2025-06-01").args(["plan", "apply", &plan]));
    assert_eq!(code, 0, "{err}");
    dir
}

/// RFC 4180 records: quoted fields may hold commas, quotes and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "ends with a line end"
    );
    rows
}

fn no_control_but_line_feeds(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:?} in {text:?}");
}

#[test]
fn csv_cells_from_the_plan_never_read_as_formulas() {
    let db = TestDb::sqlite();
    let _dir = hostile(&db);
    let (code, out, err) = exec(cnrm_db(&db, NOW).args(["tasks", "--format", "csv"]));
    assert_eq!(code, 0, "{err}");
    no_control_but_line_feeds("tasks csv", &out);
    let rows = parse_csv(&out);
    assert_eq!(
        rows.len(),
        out.lines().count(),
        "one line per record: {out}"
    );
    assert!(rows.iter().all(|r| r.len() == 12), "{rows:?}");
    let titles: Vec<&str> = rows[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(titles, NEUTRALISED);
    let (code, out, err) =
        exec(cnrm_db(&db, NOW).args(["report", "--format", "csv", "--table", "late"]));
    assert_eq!(code, 0, "{err}");
    no_control_but_line_feeds("report csv", &out);
    let rows = parse_csv(&out);
    assert_eq!(
        rows.len(),
        out.lines().count(),
        "one line per record: {out}"
    );
    assert!(rows.iter().all(|r| r.len() == 9), "{rows:?}");
    let titles: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(titles, NEUTRALISED, "the latest first");
    assert_eq!(rows[1][4], "30", "a number stays a number");
    let (_, out, _) =
        exec(cnrm_db(&db, NOW).args(["report", "--format", "csv", "--table", "funders"]));
    assert_eq!(parse_csv(&out)[1][1], "'=cmd|' /C calc'!A0", "{out}");
}

#[test]
fn markdown_and_html_rows_hold_whatever_a_title_says() {
    let db = TestDb::sqlite();
    let _dir = hostile(&db);
    let md = report(&db, &["--format", "md"]);
    no_control_but_line_feeds("markdown", &md);
    assert!(
        md.starts_with("# Rapport au comité de pilotage — Plan X-INJECTED:1\n"),
        "{md}"
    );
    let row = md
        .lines()
        .find(|l| l.starts_with("| h5 — "))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(
        row.starts_with("| h5 — a CRNUL[31mESC\\|pipe LF | dgme | 05/09/2025 | 26\u{a0}j |"),
        "{row}"
    );
    // Every row of the late table has as many cells as its head.
    let cells = |l: &str| l.replace(r"\|", "").matches('|').count();
    let table: Vec<&str> = md
        .split("## Tâches en retard (5)\n\n")
        .nth(1)
        .map(|t| t.lines().take_while(|l| l.starts_with('|')).collect())
        .unwrap_or_default();
    assert_eq!(table.len(), 7, "{md}");
    assert!(
        table.iter().all(|l| cells(l) == cells(table[0])),
        "{table:?}"
    );
    let html = report(&db, &["--format", "html"]);
    no_control_but_line_feeds("html", &html);
    assert!(
        html.contains("<td>h5 — aCRNUL[31mESC|pipe\nLF</td><td>dgme</td>")
            && html.contains("<td>=cmd|&#39; /C calc&#39;!A0</td>"),
        "{html}"
    );
}

#[test]
fn the_calendar_keeps_hostile_titles_inside_their_event() {
    use icalendar::{Calendar, CalendarComponent, Component};
    let db = TestDb::sqlite();
    let _dir = hostile(&db);
    let (code, text, err) = exec(cnrm_db(&db, NOW).args(["export", "ics"]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines.last(), Some(&""), "ends with CRLF");
    for l in &lines {
        assert!(l.len() <= 75, "folded: {l:?}");
        assert!(!l.chars().any(char::is_control), "{l:?}");
        assert!(!l.starts_with("X-INJECTED"), "{text}");
    }
    assert!(
        text.contains("X-WR-CALNAME:Plan\\nX-INJECTED:1\r\n"),
        "{text}"
    );
    assert!(
        text.contains("SUMMARY:⚠ h5 — a\\nCRNUL[31mESC|pipe\\nLF\r\n"),
        "{text}"
    );
    let cal: Calendar = text.parse().expect("a valid iCalendar");
    let summaries: Vec<String> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => e.get_summary().map(str::to_string),
            _ => None,
        })
        .collect();
    assert_eq!(summaries.len(), 5, "{summaries:?}");
    assert!(
        summaries[0].starts_with("⚠ h1 — =HYPERLINK"),
        "{summaries:?}"
    );
}

#[test]
fn no_escape_sequence_reaches_the_terminal() {
    let db = TestDb::sqlite();
    let _dir = hostile(&db);
    let out = cnrm_db(&db, NOW).args(["tasks"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    no_control_but_line_feeds("tasks", &text);
    assert_eq!(text.lines().count(), 6, "one line a task: {text}");
    assert!(
        text.contains("  a⏎CR\u{fffd}NUL\u{fffd}[31mESC|pipe⏎LF\n"),
        "{text}"
    );
    let out = cnrm_db(&db, NOW)
        .args(["task", "show", "h5"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    no_control_but_line_feeds("task show", &text);
    assert!(
        text.starts_with("h5 — a⏎CR\u{fffd}NUL\u{fffd}[31mESC|pipe⏎LF\n"),
        "{text}"
    );
    let (code, _, err) = exec(cnrm_db(&db, NOW).args([
        "task",
        "set",
        "h5",
        "--note",
        "vu\u{1b}]0;titre\u{7}\u{9b}2J",
    ]));
    assert_eq!(code, 0, "{err}");
    let out = cnrm_db(&db, NOW)
        .args(["task", "show", "h5"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    no_control_but_line_feeds("task show", &text);
    assert!(
        text.contains("vu\u{fffd}]0;titre\u{fffd}\u{fffd}2J\u{a0}»"),
        "{text}"
    );
    let out = cnrm_db(&db, NOW).args(["plans"]).output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    no_control_but_line_feeds("plans", &text);
    assert!(text.starts_with("hostile — Plan\u{fffd}\n"), "{text}");
}

/// The mode bits of a file.
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o7777
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

#[test]
fn output_replaces_a_file_whole_keeping_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::sqlite();
    let _plan = setup(&db);
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("rapport.md");
    let expected = report(&db, &["--period", "T3 2025"]);
    // A new file: the mode any new file of this process gets (the umask's).
    let (code, stdout, err) = exec(
        cnrm_db(&db, NOW)
            .args(["report", "--period", "T3 2025", "-o"])
            .arg(&out),
    );
    assert_eq!((code, stdout.as_str(), err.as_str()), (0, "", ""));
    assert_eq!(std::fs::read_to_string(&out).expect("written"), expected);
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "").expect("probe");
    assert_eq!(mode(&out), mode(&probe));
    std::fs::remove_file(&probe).expect("rm");
    // An existing file of mode 600 stays 600; nothing else is left in the folder.
    std::fs::write(&out, "ancien").expect("old");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let (code, _, err) = exec(
        cnrm_db(&db, NOW)
            .args(["report", "--period", "T3 2025", "--output"])
            .arg(&out),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&out).expect("written"), expected);
    assert_eq!(mode(&out), 0o600);
    assert_eq!(names(dir.path()), ["rapport.md"]);
    // `-` is standard output.
    let (code, stdout, _) =
        exec(cnrm_db(&db, NOW).args(["report", "--period", "T3 2025", "-o", "-"]));
    assert_eq!((code, stdout), (0, expected));
}

#[test]
fn output_never_writes_through_a_planted_link() {
    let db = TestDb::sqlite();
    let _plan = setup(&db);
    let dir = tempfile::tempdir().expect("dir");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "secret").expect("victim");
    let link = dir.path().join("cal.ics");
    std::os::unix::fs::symlink(&victim, &link).expect("link");
    let (code, _, err) = exec(
        cnrm_db(&db, NOW)
            .args(["export", "ics", "--output"])
            .arg(&link),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "secret");
    let meta = std::fs::symlink_metadata(&link).expect("target");
    assert!(meta.is_file(), "the link itself is replaced by the file");
    assert!(std::fs::read_to_string(&link)
        .expect("ics")
        .starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(names(dir.path()), ["cal.ics", "victim.txt"]);
}

#[test]
fn output_writes_fifos_and_devices_in_place() {
    let db = TestDb::sqlite();
    let _plan = setup(&db);
    let dir = tempfile::tempdir().expect("dir");
    let fifo = dir.path().join("tube");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read"))
    };
    let (code, _, err) = exec(
        cnrm_db(&db, NOW)
            .args(["export", "ics", "--output"])
            .arg(&fifo),
    );
    assert_eq!(code, 0, "{err}");
    let text = reader.join().expect("reader");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo)
        .expect("fifo")
        .file_type()
        .is_fifo());
    assert_eq!(names(dir.path()), ["tube"]);
    let (code, stdout, err) = exec(cnrm_db(&db, NOW).args(["export", "ics", "-o", "/dev/stdout"]));
    assert_eq!(code, 0, "{err}");
    assert!(stdout.starts_with("BEGIN:VCALENDAR\r\n"), "{stdout}");
    assert!(std::fs::symlink_metadata("/dev/stdout")
        .expect("dev")
        .file_type()
        .is_symlink());
    let (code, _, err) = exec(cnrm_db(&db, NOW).args(["export", "ics", "-o", "/dev/null"]));
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn output_errors_are_one_sentence_and_leave_nothing_behind() {
    let db = TestDb::sqlite();
    let _plan = setup(&db);
    let dir = tempfile::tempdir().expect("dir");
    let (code, out, err) = exec(cnrm_db(&db, NOW).args(["report", "-o", "/dev/full"]));
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            1,
            "",
            "erreur\u{a0}: impossible d'écrire `/dev/full`\u{a0}: le disque est plein\n"
        )
    );
    let (code, _, err) =
        exec(cnrm_db(&db, NOW).args(["report", "--lang", "en", "-o", "/dev/full"]));
    assert_eq!(
        (code, err.as_str()),
        (1, "error: cannot write `/dev/full`: the disk is full\n")
    );
    let missing = dir.path().join("pas-ici").join("rapport.md");
    let (code, _, err) = exec(cnrm_db(&db, NOW).arg("report").arg("-o").arg(&missing));
    assert_eq!(
        (code, err),
        (
            1,
            format!(
                "erreur\u{a0}: impossible d'écrire `{}`\u{a0}: son dossier n'existe pas\n",
                missing.display()
            )
        )
    );
    let (code, _, err) = exec(
        cnrm_db(&db, NOW)
            .args(["export", "ics", "--output"])
            .arg(dir.path()),
    );
    assert_eq!(
        (code, err),
        (
            1,
            format!(
                "erreur\u{a0}: impossible d'écrire `{}`\u{a0}: c'est un dossier\n",
                dir.path().display()
            )
        )
    );
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    // Standard output on a full disk: the same sentence, no OS text.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = cnrm_db(&db, NOW)
        .args(["report"])
        .stdout(full)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "erreur\u{a0}: impossible d'écrire la sortie standard\u{a0}: le disque est plein\n"
    );
}
