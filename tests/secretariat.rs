//! The secretariat's commands as issue 27 found them: progress on a `todo` task starts it (command
//! line and e-mail), a status change has its effective date, several plans in one database (a
//! plan column, `cnrm --plan ID`, unknown owners, agencies with `--with-children`), a spending
//! far above its budget warns, amounts keep their cents, `cnrm plans` writes dates the reader's
//! way, and `--help` speaks one language.

use crate::common::db::TestDb;
use crate::common::require;
use crate::common::smtp::SmtpServer;
use crate::common::*;
use serde_json::Value;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

const NOW: &str = "2026-03-18";

/// Two plans with the same task id `a1` (different titles), a ministry and its agencies.
const PLAN_A: &str = r#"version: 1
plan:
  id: plan-a
  title: Premier plan
  period: { start: 2025-01-01, end: 2026-12-31 }
  secretariat: st
owners:
  - { id: st, name: Secrétariat technique, email: st@example.ml }
  - { id: menefp, name: Ministère de l'Emploi, short: MENEFP, email: menefp@example.ml }
  - { id: anpe, name: Agence nationale pour l'emploi, short: ANPE, parent: menefp, email: anpe@example.ml }
  - { id: apej, name: Agence pour la promotion de l'emploi des jeunes, short: APEJ, parent: anpe, email: apej@example.ml }
priorities:
  - id: axe-1
    title: Emploi
    tasks:
      - { id: a1, title: Former les conseillers, owner: menefp, deadline: 2025-12-31 }
      - { id: a2, title: Ouvrir un guichet, owner: anpe, deadline: 2025-12-31, resources: [{ kind: budget, amount: 1000000, status: secured }] }
      - { id: a3, title: Lancer le programme jeunes, owner: apej, deadline: 2025-12-31 }
      - { id: a4, title: Bilan, owner: st, deadline: 2026-12-31 }
"#;

const PLAN_B: &str = r#"version: 1
plan:
  id: plan-b
  title: Second plan
  period: { start: 2025-06-01, end: 2026-12-31 }
  currency: EUR
owners:
  - { id: oim, name: OIM, email: oim@example.org }
priorities:
  - id: axe-1
    title: Retours
    tasks:
      - { id: a1, title: Accueillir les retournés, owner: oim, deadline: 2025-12-31 }
"#;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON expected ({e}): {text}"))
}

/// A database holding both plans, applied on 18/03/2026.
fn two_plans() -> (TestDb, tempfile::TempDir) {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().expect("dir");
    for (name, text) in [("a.yaml", PLAN_A), ("b.yaml", PLAN_B)] {
        let file = write_plan(dir.path(), name, text);
        let (code, _, err) = exec(cnrm_db(&db, NOW).args(["plan", "apply", &file]));
        assert_eq!(code, 0, "{err}");
    }
    (db, dir)
}

fn fr(db: &TestDb, args: &[&str]) -> (i32, String, String) {
    exec(cnrm_db(db, NOW).env("CNRM_LANG", "fr").args(args))
}

#[test]
fn progress_on_a_todo_task_starts_it_and_the_history_says_so() {
    let (db, _dir) = two_plans();
    let (code, out, err) = fr(
        &db,
        &["task", "set", "a2", "--plan", "plan-a", "--progress", "60"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("à faire → en cours"), "{out}");
    let (_, show, _) = fr(
        &db,
        &["task", "show", "a2", "--plan", "plan-a", "--format", "json"],
    );
    let t = json(&show);
    assert_eq!(
        (t["status"].as_str(), t["progress"].as_i64()),
        (Some("in_progress"), Some(60))
    );
    let last = t["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["data"]["status"]["to"], "in_progress", "{last}");
    assert_eq!(last["data"]["progress"]["to"], 60, "{last}");
    // Progress 0 leaves it to do; a blocked task stays blocked.
    let (code, _, err) = fr(
        &db,
        &["task", "set", "a3", "--plan", "plan-a", "--progress", "0"],
    );
    assert_eq!(code, 0, "{err}");
    fr(
        &db,
        &[
            "task", "set", "a1", "--plan", "plan-a", "--status", "bloqué",
        ],
    );
    fr(
        &db,
        &["task", "set", "a1", "--plan", "plan-a", "--progress", "30"],
    );
    let (_, list, _) = fr(&db, &["tasks", "--plan", "plan-a", "--format", "json"]);
    let status = |id: &str| -> String {
        json(&list)
            .as_array()
            .and_then(|a| a.iter().find(|t| t["id"] == id).cloned())
            .map(|t| t["status"].as_str().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        (status("a3"), status("a1")),
        ("todo".into(), "blocked".into())
    );
}

#[test]
fn a_status_change_has_its_effective_date_within_the_plan_and_today() {
    let (db, _dir) = two_plans();
    let (code, _, err) = fr(
        &db,
        &[
            "task",
            "set",
            "a1",
            "--plan",
            "plan-a",
            "--status",
            "fait",
            "--date",
            "19/03/2026",
        ],
    );
    assert_eq!(code, 2, "after today: {err}");
    assert!(
        err.contains("19/03/2026") && err.contains("après aujourd'hui"),
        "{err}"
    );
    let (code, _, err) = fr(
        &db,
        &[
            "task",
            "set",
            "a1",
            "--plan",
            "plan-b",
            "--status",
            "fait",
            "--date",
            "2025-05-31",
        ],
    );
    assert_eq!(code, 2, "before the plan: {err}");
    assert!(
        err.contains("avant le début du plan `plan-b` (01/06/2025)"),
        "{err}"
    );
    let (code, _, err) = fr(
        &db,
        &[
            "task",
            "set",
            "a1",
            "--plan",
            "plan-a",
            "--status",
            "fait",
            "--date",
            "12/10/2025",
            "--note",
            "PV signé",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, show, _) = fr(
        &db,
        &["task", "show", "a1", "--plan", "plan-a", "--format", "json"],
    );
    let t = json(&show);
    let last = t["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["data"]["effective_date"], "2025-10-12", "{last}");
    assert_eq!(last["note"], "PV signé", "{last}");
}

#[test]
fn several_plans_are_told_apart_and_owners_are_checked() {
    let (db, _dir) = two_plans();
    let (code, out, err) = fr(&db, &["tasks", "--overdue"]);
    assert_eq!(code, 0, "{err}");
    let header = out.lines().next().unwrap_or_default();
    assert!(header.starts_with("PLAN"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("plan-a") && l.contains("Former les conseillers"))
            && out
                .lines()
                .any(|l| l.starts_with("plan-b") && l.contains("Accueillir les retournés")),
        "{out}"
    );
    // One plan shown: no plan column.
    let (_, out, _) = fr(&db, &["tasks", "--overdue", "--plan", "plan-b"]);
    assert!(out.starts_with("ID"), "{out}");

    // An unknown owner is a misuse with a suggestion.
    let (code, out, err) = fr(&db, &["tasks", "--owner", "menfp"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("aucun responsable `menfp`") && err.contains("`menefp`"),
        "{err}"
    );
    let (code, _, err) = exec(
        cnrm_db(&db, NOW)
            .env("CNRM_LANG", "en")
            .args(["tasks", "--owner", "nope"]),
    );
    assert_eq!(code, 2);
    assert!(err.contains("no owner `nope`"), "{err}");

    // A ministry with its agencies, and its agencies' agencies; a short name works too.
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["tasks", "--format", "json"];
        all.extend_from_slice(args);
        let (code, out, err) = fr(&db, &all);
        assert_eq!(code, 0, "{err}");
        json(&out)
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|t| t["id"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(ids(&["--owner", "menefp"]), ["a1"]);
    assert_eq!(
        ids(&["--owner", "MENEFP", "--with-children"]),
        ["a1", "a2", "a3"]
    );
    assert_eq!(ids(&["--owner", "anpe", "--with-children"]), ["a2", "a3"]);
    assert_eq!(
        exec(cnrm_db(&db, NOW).args(["tasks", "--owner", "menefp", "--with-children", "--count"]))
            .1
            .trim(),
        "3"
    );

    // The outbox of both plans says each message's plan.
    exec(
        cnrm_db(&db, NOW)
            .env("CNRM_SMTP_URL", "smtp://127.0.0.1:1")
            .env("CNRM_SMTP_FROM", "CNRM <cnrm@example.ml>")
            .args(["remind"]),
    );
    let (code, out, err) = fr(&db, &["outbox"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(" plan-a · ") && out.contains(" plan-b · "),
        "{out}"
    );

    // `cnrm --plan ID` alone opens the UI on that plan (here without a terminal: the plans).
    let (code, out, err) = fr(&db, &["--plan", "plan-b"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("plan-b"), "{out}");
    let (code, _, err) = fr(&db, &["--plan", "nope"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nope"), "{err}");
    let (code, _, err) = fr(&db, &["--plan", "plan-a", "tasks"]);
    assert_eq!(code, 2);
    assert!(err.contains("cnrm tasks --plan ID"), "{err}");
}

#[test]
fn a_spending_ten_times_the_budget_warns_and_amounts_keep_their_cents() {
    let (db, _dir) = two_plans();
    let (code, out, err) = fr(
        &db,
        &["task", "spend", "a2", "--plan", "plan-a", "10 000 000"],
    );
    assert_eq!(code, 0, "recorded: {err}");
    assert!(
        out.contains("dépense de 10 000 000 FCFA enregistrée"),
        "{out}"
    );
    assert!(
        err.contains("10 fois son budget prévu (1 000 000 FCFA)")
            && err.contains("cnrm task spend a2 --cancel 1"),
        "{err}"
    );
    let (_, show, _) = fr(
        &db,
        &["task", "show", "a2", "--plan", "plan-a", "--format", "json"],
    );
    assert_eq!(json(&show)["spendings"].as_array().map(Vec::len), Some(1));
    // Within the budget: no warning.
    let (code, _, err) = fr(
        &db,
        &["task", "spend", "a2", "--plan", "plan-a", "--cancel", "1"],
    );
    assert_eq!(code, 0, "{err}");
    let (_, _, err) = fr(&db, &["task", "spend", "a2", "--plan", "plan-a", "900 000"]);
    assert!(!err.contains("attention"), "{err}");

    // Cents in euros.
    let (code, out, err) = fr(
        &db,
        &["task", "spend", "a1", "--plan", "plan-b", "2 000,50"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 000,50 EUR"), "{out}");
    let (_, show, _) = fr(&db, &["task", "show", "a1", "--plan", "plan-b"]);
    assert!(show.contains("2 000,50 EUR"), "{show}");
    let (_, out, _) = fr(
        &db,
        &[
            "task",
            "spend",
            "a2",
            "--plan",
            "plan-a",
            "100,50",
            "--currency",
            "EUR",
        ],
    );
    assert!(out.contains("100,50 EUR (= 65 924 FCFA)"), "{out}");
}

#[test]
fn plans_and_help_speak_the_users_language() {
    let (db, _dir) = two_plans();
    let (code, out, err) = fr(&db, &["plans"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("18/03/2026") && !out.contains("T00:00:00"),
        "{out}"
    );
    assert!(
        out.contains("4 tâches") && out.contains("1 tâche,"),
        "{out}"
    );
    let (_, out, _) = exec(cnrm_db(&db, NOW).env("CNRM_LANG", "en").args(["plans"]));
    assert!(
        out.contains("2026-03-18") && !out.contains("T00:00:00"),
        "{out}"
    );

    for args in [
        &["--help"][..],
        &["tasks", "--help"],
        &["task", "set", "--help"],
        &["report", "-h"],
    ] {
        let (code, fr_page, _) = fr(&db, args);
        assert_eq!(code, 0);
        for english in [
            "Print",
            " only ",
            " the ",
            "Usage",
            "[env",
            "[default",
            "[possible",
        ] {
            assert!(
                !fr_page.contains(english),
                "`{english}` in {args:?}:\n{fr_page}"
            );
        }
        let (_, en_page, _) = exec(cnrm_db(&db, NOW).env("CNRM_LANG", "en").args(args));
        for french in [
            "Afficher",
            " sortie",
            " fichier",
            " les ",
            "Utilisation",
            "[variable",
        ] {
            assert!(
                !en_page.contains(french),
                "`{french}` in {args:?}:\n{en_page}"
            );
        }
    }
}

/// A member answers a reminder with a progress only: the task is started, by e-mail too.
#[test]
fn progress_by_e_mail_starts_a_todo_task() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let _dir = apply_plan(&db, "2025-12-01", "a.yaml", PLAN_A);
    let smtp = SmtpServer::start();
    let cnrm = |now: &str| {
        let mut cmd = cnrm_db(&db, now);
        cmd.env("CNRM_SMTP_URL", smtp.url())
            .env("CNRM_SMTP_FROM", "Secrétariat CNRM <cnrm@example.ml>")
            .env("CNRM_REPLY_TO", "cnrm-retours@example.ml");
        cmd
    };
    let (code, _, err) = exec(cnrm("2025-12-17").args(["remind"]));
    assert_eq!(code, 0, "{err}");
    let delivered = smtp.wait_for(1, Duration::from_secs(10));
    let to_anpe = delivered
        .iter()
        .find(|m| m.to.iter().any(|t| t == "anpe@example.ml"))
        .expect("a reminder to the ANPE");
    let parent = to_anpe.header("Message-ID").unwrap_or_default();
    let raw = format!(
        "From: anpe@example.ml\r\nTo: cnrm-retours@example.ml\r\nSubject: RE: {}\r\nDate: Thu, 18 Dec 2025 10:00:00 +0000\r\nMessage-ID: <progress1@client.example>\r\nIn-Reply-To: {parent}\r\nReferences: {parent}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n1 : avancement 60 %\r\n",
        to_anpe.subject()
    );
    let mut child = cnrm("2025-12-18T10:05:00Z")
        .args(["mail", "receive", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cnrm starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(raw.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("cnrm ends");
    let r = json(&stdout(&out));
    assert_eq!(r["status"], "applied", "{r} {}", stderr(&out));
    let (_, show, _) =
        exec(cnrm("2025-12-18T11:00:00Z").args(["task", "show", "a2", "--format", "json"]));
    let t = json(&show);
    assert_eq!(
        (t["status"].as_str(), t["progress"].as_i64()),
        (Some("in_progress"), Some(60)),
        "{t}"
    );
}
