//! Reminders end to end: the real binary, a real SMTP server on 127.0.0.1, real databases. The
//! tests that send need the test SMTP server (python3 with aiosmtpd): see `require::smtp`.

use crate::common::db::{block_on, TestDb};
use crate::common::require;
use crate::common::smtp::{free_port, SmtpServer};
use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;
use std::time::Duration;

const PLAN: &str = r#"version: 1
plan:
  id: rappels
  title: Plan de test des rappels — l'échéance
  period: { start: 2025-01-01, end: 2025-12-31 }
  secretariat: st
calendar:
  holidays:
    - { from: 2025-09-22, to: 2025-09-22, label: Fête de l'indépendance }
owners:
  - { id: st, name: Secrétariat technique, email: st@example.ml }
  - { id: mmeia, name: Ministère, email: cabinet@example.ml }
  - { id: dgme, name: Délégation générale, parent: mmeia, email: [dgme@example.ml, focal@example.ml] }
  - { id: oim, name: OIM, email: oim@example.org, language: en }
priorities:
  - id: axe-1
    title: Accueil
    tasks:
      - { id: a1, title: "Adopter le règlement : l'échéance", owner: dgme, deadline: 2025-09-30 }
      - { id: a2, title: Centre de Kayes, owner: [dgme, oim], deadline: 2025-09-19 }
      - { id: a3, title: Accueil continu, owner: oim, deadline: continu }
      - { id: a4, title: Sans rappel, owner: dgme, deadline: 2025-10-10, reminders: off }
"#;

/// A message of one day's scan: (kind, to, tasks).
type Sent = (String, Vec<String>, Vec<String>);

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON expected ({e}): {text}"))
}

fn setup(db: &TestDb, plan: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let file = write_plan(dir.path(), "rappels.yaml", plan);
    let (code, _, err) = exec(cnrm_db(db, "2025-09-01").args(["plan", "apply", &file]));
    assert_eq!(code, 0, "{err}");
    dir
}

fn remind(
    db: &TestDb,
    smtp: &SmtpServer,
    day: &str,
    extra: &[&str],
) -> (i32, serde_json::Value, String) {
    let (code, out, err) = exec(
        cnrm_db(db, day)
            .env("CNRM_SMTP_URL", smtp.url())
            .env("CNRM_SMTP_FROM", "Secrétariat CNRM <cnrm@example.ml>")
            .args(["remind", "--format", "json"])
            .args(extra),
    );
    (code, json(&out), err)
}

fn day_list(from: &str, to: &str) -> Vec<String> {
    let mut d = chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d").expect("date");
    let end = chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d").expect("date");
    let mut out = Vec::new();
    while d <= end {
        out.push(d.to_string());
        d += chrono::Duration::days(1);
    }
    out
}

#[test]
fn a_simulated_month_follows_the_rules_date_by_date() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let _dir = setup(&db, PLAN);
    let smtp = SmtpServer::start();
    let mut log: BTreeMap<String, Vec<Sent>> = BTreeMap::new();
    let mut expected_total = 0;
    for day in day_list("2025-09-01", "2025-10-31") {
        let (code, report, err) = remind(&db, &smtp, &day, &[]);
        assert_eq!(code, 0, "{day}: {err}");
        let msgs = report["messages"].as_array().cloned().unwrap_or_default();
        expected_total += msgs.len();
        for m in msgs {
            let strings = |v: &serde_json::Value| -> Vec<String> {
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            log.entry(day.clone()).or_default().push((
                m["kind"].as_str().unwrap_or("").to_string(),
                strings(&m["to"]),
                strings(&m["tasks"]),
            ));
        }
        // A second scan the same day sends nothing.
        let (_, again, _) = remind(&db, &smtp, &day, &[]);
        assert_eq!(
            again["messages"],
            serde_json::json!([]),
            "{day}: nothing twice"
        );
    }
    let dgme = vec![
        "dgme@example.ml".to_string(),
        "focal@example.ml".to_string(),
    ];
    let days_for = |task: &str, to: &[String], kind: &str| -> Vec<String> {
        log.iter()
            .filter(|(_, ms)| {
                ms.iter()
                    .any(|(k, t, ids)| k == kind && t == to && ids.iter().any(|i| i == task))
            })
            .map(|(d, _)| d.clone())
            .collect()
    };
    // a1, due Tuesday 30 September: 14 days before (16th), 3 days before (Saturday 27th, held to
    // Monday 29th), on the day, then weekly while overdue.
    assert_eq!(
        days_for("a1", &dgme, "reminder"),
        [
            "2025-09-16",
            "2025-09-29",
            "2025-09-30",
            "2025-10-07",
            "2025-10-14",
            "2025-10-21",
            "2025-10-28"
        ]
    );
    // From 14 days late the parent (MMEIA) and the secretariat get an escalation.
    assert_eq!(
        days_for("a1", &["cabinet@example.ml".to_string()], "escalation"),
        ["2025-10-14", "2025-10-21", "2025-10-28"]
    );
    assert_eq!(
        days_for("a1", &["st@example.ml".to_string()], "escalation"),
        ["2025-10-14", "2025-10-21", "2025-10-28"]
    );
    // a2 (co-led, due Friday 19th): both owners; the overdue reminder of Friday 26th comes on time,
    // the one of 3 October too; escalated from the 3rd (14 days late).
    assert_eq!(
        days_for("a2", &dgme, "reminder"),
        [
            "2025-09-05",
            "2025-09-16",
            "2025-09-19",
            "2025-09-26",
            "2025-10-03",
            "2025-10-10",
            "2025-10-17",
            "2025-10-24",
            "2025-10-31"
        ]
    );
    assert_eq!(
        days_for("a2", &["oim@example.org".to_string()], "reminder"),
        days_for("a2", &dgme, "reminder")
    );
    assert!(
        days_for("a2", &["oim@example.org".to_string()], "escalation").is_empty(),
        "owners are not escalated to"
    );
    // Nothing for the ongoing task, nor for the task whose reminders are off.
    assert!(log
        .values()
        .flatten()
        .all(|(_, _, ids)| !ids.contains(&"a3".to_string()) && !ids.contains(&"a4".to_string())));
    // Nothing on weekends or the holiday.
    for day in log.keys() {
        let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("date");
        use chrono::Datelike;
        assert!(
            d.weekday().num_days_from_monday() < 5 && day != "2025-09-22",
            "{day}"
        );
    }
    // One reminder message per address per scan: dgme's a1 and a2 of the 16th come together.
    let sixteenth = &log["2025-09-16"];
    assert_eq!(
        sixteenth
            .iter()
            .filter(|(k, t, _)| k == "reminder" && *t == dgme)
            .count(),
        1
    );
    // Everything queued was delivered, exactly once.
    let got = smtp.wait_for(expected_total, Duration::from_secs(10));
    assert_eq!(got.len(), expected_total);
    let ids: BTreeSet<String> = got.iter().filter_map(|m| m.header("Message-ID")).collect();
    assert_eq!(ids.len(), expected_total, "every Message-ID once");
}

#[test]
fn messages_arrive_in_french_with_accents_and_an_ics() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let _dir = setup(&db, PLAN);
    let smtp = SmtpServer::start();
    let (code, report, err) = remind(&db, &smtp, "2025-09-16", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        report["superseded"], 1,
        "a2's 14-day reminder of the 5th was never sent: superseded"
    );
    let got = smtp.wait_for(2, Duration::from_secs(10));
    let fr = got
        .iter()
        .find(|m| m.to.contains(&"dgme@example.ml".to_string()))
        .expect("DGME's message");
    assert_eq!(fr.to, ["dgme@example.ml", "focal@example.ml"]);
    assert_eq!(
        fr.subject(),
        "[CNRM] Rappel\u{a0}: 2 tâches à échéance prochaine"
    );
    let text = fr.text();
    assert!(text.contains("Adopter le règlement : l'échéance"), "{text}");
    assert!(
        text.contains("Échéance\u{a0}: 30/09/2025 — dans 14 jours"),
        "{text}"
    );
    assert!(
        text.contains("Plan de test des rappels — l'échéance"),
        "{text}"
    );
    assert!(fr.header("Date").is_some_and(|d| d.contains("2025")));
    assert!(fr
        .header("From")
        .is_some_and(|f| f.contains("cnrm@example.ml")));
    let ics = fr.ics();
    assert!(
        ics.contains("BEGIN:VCALENDAR")
            && ics.contains("DTSTART;VALUE=DATE:20250930")
            && ics.contains("UID:a1@rappels.cnrm"),
        "{ics}"
    );
    let en = got
        .iter()
        .find(|m| m.to == ["oim@example.org"])
        .expect("IOM's message");
    assert!(
        en.subject().starts_with("[CNRM] Reminder:"),
        "{}",
        en.subject()
    );
    assert!(en.text().contains("Deadline: 19 Sep 2025"), "{}", en.text());
}

#[test]
fn dry_run_writes_nothing_and_shows_the_example_batch() {
    let db = TestDb::sqlite();
    assert_eq!(
        exec(cnrm_db(&db, "2026-03-16").args(["plan", "apply", "plans/pao-cnrm-2025-2027.yaml"])).0,
        0
    );
    let (code, out, err) =
        exec(cnrm_db(&db, "2026-03-16").args(["remind", "--dry-run", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let report = json(&out);
    let msgs = report["messages"].as_array().cloned().unwrap_or_default();
    assert!(msgs.len() >= 5, "{report}");
    for m in &msgs {
        let keys: BTreeSet<&str> = m
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(keys, BTreeSet::from(["kind", "to", "cc", "tasks"]));
    }
    assert!(
        msgs.iter().any(|m| m["kind"] == "escalation"),
        "late tasks escalate: {report}"
    );
    let (_, outbox, _) = exec(cnrm_db(&db, "2026-03-16").args(["outbox", "--format", "json"]));
    assert_eq!(
        json(&outbox),
        serde_json::json!([]),
        "a dry run queues nothing"
    );
    let (_, again, _) =
        exec(cnrm_db(&db, "2026-03-16").args(["remind", "--dry-run", "--format", "json"]));
    assert_eq!(
        json(&again)["messages"],
        report["messages"],
        "and records nothing"
    );
    let (_, human, _) = exec(cnrm_db(&db, "2026-03-16").args(["remind", "--dry-run"]));
    assert!(
        human.contains("seraient envoyés (rien n'est écrit)"),
        "{human}"
    );
}

#[test]
fn smtp_down_then_up_delivers_exactly_once() {
    if !require::smtp() {
        return;
    }
    for db in TestDb::all() {
        let _dir = setup(&db, PLAN);
        let port = free_port();
        let run = |args: &[&str]| {
            exec(
                cnrm_db(&db, "2025-09-16")
                    .env("CNRM_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
                    .env("CNRM_SMTP_FROM", "cnrm@example.ml")
                    .args(args),
            )
        };
        let (code, out, err) = run(&["remind"]);
        assert_eq!(code, 1, "{}: failed sends exit 1: {out} {err}", db.label);
        let (_, failed, _) = run(&["outbox", "--status", "failed", "--format", "json"]);
        let failed = json(&failed);
        assert_eq!(failed.as_array().map(Vec::len), Some(2), "{}", db.label);
        assert!(
            failed[0]["last_error"]
                .as_str()
                .is_some_and(|e| !e.is_empty()),
            "{failed}"
        );

        let smtp = SmtpServer::start_on(port, Duration::ZERO);
        let (code, out, err) = run(&["outbox", "retry"]);
        assert_eq!(code, 0, "{}: {out} {err}", db.label);
        assert!(out.contains("envoyés\u{a0}: 2, en échec\u{a0}: 0"), "{out}");
        assert_eq!(smtp.wait_for(2, Duration::from_secs(10)).len(), 2);
        let (code, _, _) = run(&["remind"]);
        assert_eq!(code, 0);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(smtp.received().len(), 2, "{}: nothing twice", db.label);
        let (_, sent, _) = run(&["outbox", "--status", "sent", "--format", "json"]);
        let sent = json(&sent);
        assert!(
            sent.as_array().is_some_and(|a| a.len() == 2
                && a.iter()
                    .all(|m| m["attempts"] == 2 && m["last_error"].is_null())),
            "{sent}"
        );
        let (_, envoyes, _) = run(&["outbox", "--status", "envoyés", "--format", "json"]);
        assert_eq!(
            json(&envoyes),
            sent,
            "{}: French words filter the same",
            db.label
        );
    }
}

#[test]
fn the_smtp_password_never_shows() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let _dir = setup(&db, PLAN);
    let secret = "s3cr3t-Pa55";
    let pwfile = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(pwfile.path(), format!("{secret}\n")).expect("write");
    // A server that offers no authentication, then none at all: both failures are reported.
    let smtp = SmtpServer::start();
    for url in [
        format!("smtp://cnrm:{secret}@127.0.0.1:{}", smtp.port),
        format!("smtp://cnrm:{secret}@127.0.0.1:{}", free_port()),
    ] {
        let run = |args: &[&str]| {
            exec(
                cnrm_db(&db, "2025-09-16")
                    .env("CNRM_SMTP_URL", &url)
                    .env("CNRM_SMTP_PASSWORD_FILE", pwfile.path())
                    .args(args),
            )
        };
        let (_, out, err) = run(&["remind"]);
        assert!(!out.contains(secret) && !err.contains(secret), "{err}");
        let (code, out, err) = run(&["outbox", "retry"]);
        assert_eq!(code, 1, "{out} {err}");
        assert!(!out.contains(secret) && !err.contains(secret), "{err}");
        assert!(err.contains("échec"), "{err}");
        let (_, rows, _) = run(&["outbox", "--format", "json"]);
        assert!(
            !rows.contains(secret) && rows.contains("last_error"),
            "{rows}"
        );
        let (_, csv, _) = run(&["outbox", "--format", "csv"]);
        assert!(!csv.contains(secret));
    }
    assert!(smtp.received().is_empty());
}

/// A plan with many owners, so a batch takes long enough to be interrupted.
fn many_owners(n: usize, weekend: bool) -> String {
    let mut s = String::from("version: 1\nplan:\n  id: lot\n  title: Lot\n  period: { start: 2025-01-01, end: 2027-12-31 }\n");
    s.push_str(if weekend {
        "calendar:\n  weekend: []\nreminders:\n  schedule: \"*/2 * * * * *\"\n  digest: \"off\"\n"
    } else {
        ""
    });
    s.push_str("owners:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  - {{ id: o{i}, name: Organisation {i}, email: o{i}@example.ml }}\n"
        ));
    }
    s.push_str("priorities:\n  - id: p\n    title: P\n    tasks:\n");
    for i in 0..n {
        s.push_str(&format!(
            "      - {{ id: t{i}, title: Tâche {i}, owner: o{i}, deadline: 2025-09-30 }}\n"
        ));
    }
    s
}

#[test]
fn kill_during_a_batch_then_rerun_delivers_everything_once() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let _dir = setup(&db, &many_owners(40, false));
    let smtp = SmtpServer::start_on(free_port(), Duration::from_millis(60));
    let mut child = cnrm_db(&db, "2025-09-30")
        .env("CNRM_SMTP_URL", smtp.url())
        .args(["remind"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill once a few messages went out, mid-batch.
    smtp.wait_for(5, Duration::from_secs(20));
    let _ = child.kill();
    let _ = child.wait();
    let before = smtp.received().len();
    assert!(before < 40, "the kill came mid-batch ({before} sent)");
    // The claim of the message in flight is abandoned; the rerun (after the lease) sends the rest.
    let later = "2025-09-30T12:00:00Z";
    let (code, _, err) = exec(
        cnrm_db(&db, later)
            .env("CNRM_SMTP_URL", smtp.url())
            .args(["remind"]),
    );
    assert_eq!(code, 0, "{err}");
    let got = smtp.wait_for(40, Duration::from_secs(20));
    let mut per_address: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut copies: BTreeMap<String, usize> = BTreeMap::new();
    for m in &got {
        for to in &m.to {
            per_address
                .entry(to.clone())
                .or_default()
                .insert(m.header("Message-ID").unwrap_or_default());
            *copies.entry(to.clone()).or_default() += 1;
        }
    }
    assert_eq!(per_address.len(), 40, "every message delivered");
    assert!(
        per_address.values().all(|ids| ids.len() == 1),
        "one Message-ID per message: {per_address:?}"
    );
    // SMTP cannot be exactly-once: a message whose content the server already had when the
    // sender was killed is stored without the sender knowing, and sent again by the rerun with
    // the same Message-ID (which mail clients use to drop copies). Only the messages in flight
    // at the kill (at most 8 per process) can be affected; every other message arrives once.
    let repeated: Vec<_> = copies.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.len() <= 8, "{repeated:?}");
    assert!(copies.values().all(|n| *n <= 2), "{copies:?}");
}

#[test]
fn two_remind_processes_at_once_send_nothing_twice() {
    if !require::smtp() {
        return;
    }
    for db in TestDb::all() {
        let _dir = setup(&db, &many_owners(30, false));
        let smtp = SmtpServer::start_on(free_port(), Duration::from_millis(20));
        both_succeed(db.label, || {
            let mut c = cnrm_db(&db, "2025-09-30");
            c.env("CNRM_SMTP_URL", smtp.url()).args(["remind"]);
            c
        });
        let got = smtp.wait_for(30, Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(300));
        let got = if got.len() >= 30 {
            smtp.received()
        } else {
            got
        };
        let mut seen = BTreeMap::new();
        for m in &got {
            *seen.entry(m.to.join(",")).or_insert(0) += 1;
        }
        assert_eq!(seen.len(), 30, "{}", db.label);
        assert!(seen.values().all(|n| *n == 1), "{}: {seen:?}", db.label);
    }
}

#[test]
fn daemon_picks_up_a_new_plan_fires_on_its_schedule_and_stops_on_sigterm() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let smtp = SmtpServer::start();
    // The daemon starts on an empty database; the plan (a scan every 2 seconds, no weekend) is
    // applied while it runs.
    let child = cnrm()
        .env("CNRM_DATABASE_URL", &db.url)
        .env("CNRM_SMTP_URL", smtp.url())
        .args(["daemon"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(500));
    let _dir = setup(&db, &many_owners(2, true));
    let got = smtp.wait_for(2, Duration::from_secs(30));
    assert_eq!(
        got.len(),
        2,
        "the daemon picked up the plan, its scan fired and sent"
    );
    let (code, out, _) = exec(cnrm_db(&db, "2025-09-30T10:00:00Z").args(["daemon", "--next", "3"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("lot scan 2025-09-30T10:00:02+00:00")
            && out.contains("lot scan 2025-09-30T10:00:06+00:00"),
        "{out}"
    );
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("exit");
    let log = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{log}");
    assert!(log.contains("arrêt du service"), "{log}");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        smtp.received().len(),
        2,
        "nothing twice after the restart-free run"
    );
}

#[test]
fn settings_can_come_from_the_configuration_file() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = setup(&db, PLAN);
    let smtp = SmtpServer::start();
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, format!("CNRM_DATABASE_URL: {}\nCNRM_SMTP_URL: {}\nCNRM_SMTP_FROM: \"Secrétariat CNRM <cnrm@example.ml>\"\n", db.url, smtp.url())).expect("write");
    let (code, out, err) = exec(
        cnrm()
            .env("CNRM_CONFIG", &config)
            .env("CNRM_NOW", "2025-09-16")
            .args(["remind"]),
    );
    assert_eq!(code, 0, "{out} {err}");
    assert_eq!(smtp.wait_for(2, Duration::from_secs(10)).len(), 2);
    std::fs::write(&config, "CNRM_SMTP_ULR: smtp://x\n").expect("write");
    let (code, _, err) = exec(cnrm().env("CNRM_CONFIG", &config).args(["outbox"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("config.yaml:1:") && err.contains("CNRM_SMTP_ULR"),
        "{err}"
    );
}

/// Runs SQL on a test database directly, as an older cnrm or a hand edit could have left it.
fn poison(db: &TestDb, sql: &str) {
    block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let url = if db.label == "sqlite" {
            format!("sqlite://{}", db.url)
        } else {
            db.url.clone()
        };
        let mut conn = sqlx::AnyConnection::connect(&url)
            .await
            .expect("raw connection");
        sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut conn)
            .await
            .expect("poisoned");
        conn.close().await.ok();
    });
}

fn outbox_rows(db: &TestDb) -> Vec<serde_json::Value> {
    let (code, out, err) = exec(cnrm_db(db, "2025-09-30").args(["outbox", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    json(&out).as_array().cloned().unwrap_or_default()
}

#[test]
fn a_server_that_never_answers_costs_three_time_outs_and_the_rest_stays_pending() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let _dir = setup(&db, &many_owners(12, false));
    let smtp = SmtpServer::start_mode("silent");
    let url = format!("smtp://127.0.0.1:{}?timeout=1", smtp.port);
    let (code, _, err) = exec(
        cnrm_db(&db, "2025-09-30")
            .env("CNRM_SMTP_URL", &url)
            .args(["remind"]),
    );
    assert_eq!(code, 1, "{err}");
    let server = format!("127.0.0.1:{}", smtp.port);
    assert!(
        err.contains(&format!(
            "le serveur SMTP {server} n'a pas répondu en 1 s\u{a0}: envoi interrompu, 9 messages restent en attente pour la prochaine tentative"
        )),
        "{err}"
    );
    let rows = outbox_rows(&db);
    assert_eq!(rows.len(), 12);
    let failed: Vec<_> = rows.iter().filter(|r| r["status"] == "failed").collect();
    let pending: Vec<_> = rows.iter().filter(|r| r["status"] == "pending").collect();
    assert_eq!((failed.len(), pending.len()), (3, 9), "{rows:?}");
    for r in &failed {
        assert_eq!(r["attempts"], 1);
        assert_eq!(
            r["last_error"],
            format!("le serveur SMTP {server} n'a pas répondu en 1 s")
        );
    }
    for r in &pending {
        assert_eq!(r["attempts"], 0, "untouched: {r}");
        assert!(r["last_error"].is_null(), "{r}");
    }
    assert!(smtp.received().is_empty());
}

#[test]
fn a_permanent_refusal_fails_at_once_and_is_not_retried_but_a_temporary_one_is() {
    if !require::smtp() {
        return;
    }
    for (mode, reply, permanent) in [
        (
            "reject-rcpt",
            "550 5.1.1 <oim@example.org>: Recipient address rejected: User unknown",
            true,
        ),
        (
            "reject-data",
            "554 5.7.1 Message refused: looks like spam",
            true,
        ),
        (
            "defer-rcpt",
            "451 4.3.0 Mailbox temporarily unavailable",
            false,
        ),
    ] {
        let db = TestDb::sqlite();
        let _dir = setup(&db, PLAN);
        let smtp = SmtpServer::start_mode(mode);
        let run = |now: &str, args: &[&str]| {
            exec(
                cnrm_db(&db, now)
                    .env("CNRM_SMTP_URL", smtp.url())
                    .env("CNRM_LANG", "fr")
                    .args(args),
            )
        };
        let (code, _, err) = run("2025-09-16", &["remind"]);
        assert_eq!(code, 1, "{mode}: {err}");
        let rows = outbox_rows(&db);
        assert_eq!(rows.len(), 2, "{mode}");
        assert!(rows
            .iter()
            .all(|r| r["status"] == "failed" && r["attempts"] == 1));
        let oim = rows
            .iter()
            .find(|r| r["to"] == serde_json::json!(["oim@example.org"]))
            .expect("IOM's message");
        let server = format!("127.0.0.1:{}", smtp.port);
        let expected = if permanent {
            format!("le serveur SMTP {server} a refusé le message définitivement ({reply}) ; il n'est pas réessayé automatiquement")
        } else {
            format!("le serveur SMTP {server} a refusé le message pour l'instant ({reply}) ; il sera réessayé")
        }
        .replace(" ; ", "\u{a0}; ");
        assert_eq!(oim["last_error"], expected, "{mode}");
        // Hours later: a temporary refusal is tried again, a permanent one is not.
        let (_, _, _) = run("2025-09-16T15:00:00Z", &["remind"]);
        let attempts = if permanent { 1 } else { 2 };
        assert!(
            outbox_rows(&db)
                .iter()
                .all(|r| r["status"] == "failed" && r["attempts"] == attempts),
            "{mode}: {:?}",
            outbox_rows(&db)
        );
        // `outbox retry ID` still sends a permanently refused one on request.
        let id = oim["id"].to_string();
        let (code, _, _) = run("2025-09-16T15:01:00Z", &["outbox", "retry", &id]);
        assert_eq!(code, 1, "{mode}: refused again");
        let again = outbox_rows(&db);
        let oim = again.iter().find(|r| r["id"] == oim["id"]).expect("row");
        assert_eq!(oim["attempts"], attempts + 1, "{mode}");
    }
}

#[test]
fn the_password_never_shows_even_when_the_server_repeats_it_decoded() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let _dir = setup(&db, PLAN);
    let smtp = SmtpServer::start_mode("auth-echo");
    // Percent-encoded in the URL (`p@ss/w rd?`), repeated decoded by the server in its 535.
    let url = format!("smtp://cnrm:p%40ss%2Fw%20rd%3F@127.0.0.1:{}", smtp.port);
    let run = |args: &[&str]| {
        exec(
            cnrm_db(&db, "2025-09-16")
                .env("CNRM_SMTP_URL", &url)
                .args(args),
        )
    };
    let (code, out, err) = run(&["remind"]);
    assert_eq!(code, 1, "{out} {err}");
    let (_, rows, _) = run(&["outbox", "--format", "json"]);
    let (_, table, _) = run(&["outbox"]);
    let (_, csv, _) = run(&["outbox", "--format", "csv"]);
    for text in [&out, &err, &rows, &table, &csv] {
        for secret in ["p@ss", "p%40ss", "w rd", "rd?"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    assert!(
        rows.contains("refusé le message définitivement (535 5.7.8 Authentication failed for cnrm with password ***)"),
        "{rows}"
    );
}

/// A password file of two lines sends its first line only (its trailing spaces trimmed), and
/// the server's echo of a space-padded URL password or of a file's password is scrubbed from
/// the outbox and every listing, whatever its padding.
#[test]
fn a_password_files_first_line_is_sent_and_no_echo_of_it_is_kept() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = setup(&db, PLAN);
    let smtp = SmtpServer::start_mode("auth-echo");
    let file = dir.path().join("smtp-password");
    std::fs::write(&file, "Tr0ub4dor&3   \nligne-deux-secrete\n").expect("write");
    let run = |url: &str, file: Option<&std::path::Path>, args: &[&str]| {
        let mut c = cnrm_db(&db, "2025-09-16");
        c.env("CNRM_SMTP_URL", url);
        if let Some(f) = file {
            c.env("CNRM_SMTP_PASSWORD_FILE", f);
        }
        exec(c.args(args))
    };
    let url = format!("smtp://cnrm@127.0.0.1:{}", smtp.port);
    let (code, out, err) = run(&url, Some(&file), &["remind"]);
    assert_eq!(code, 1, "{out} {err}");
    let (_, rows, _) = run(&url, Some(&file), &["outbox", "--format", "json"]);
    let (_, table, _) = run(&url, Some(&file), &["outbox"]);
    for text in [&out, &err, &rows, &table] {
        for secret in ["Tr0ub4dor", "ligne-deux"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    // The first line alone went: the echo is the whole password, scrubbed in one piece.
    assert!(
        rows.contains("(535 5.7.8 Authentication failed for cnrm with password ***)"),
        "{rows}"
    );
    // A URL password padded with spaces, repeated by the server without them.
    let padded = format!("smtp://cnrm:%20%20Pad5ecret%20%20@127.0.0.1:{}", smtp.port);
    let (_, out, err) = run(&padded, None, &["outbox", "retry"]);
    let (_, rows, _) = run(&padded, None, &["outbox", "--format", "json"]);
    for text in [&out, &err, &rows] {
        assert!(!text.contains("Pad5ecret"), "in {text}");
    }
}

#[test]
fn a_password_file_must_say_something_and_goes_in_clear_only_to_this_machine() {
    let db = TestDb::sqlite();
    let dir = setup(&db, PLAN);
    let empty = dir.path().join("empty-password");
    std::fs::write(&empty, "\n").expect("write");
    let (code, out, err) = exec(
        cnrm_db(&db, "2025-09-16")
            .env("CNRM_SMTP_URL", "smtp://cnrm:fromurl@127.0.0.1:2525")
            .env("CNRM_SMTP_PASSWORD_FILE", &empty)
            .args(["remind"]),
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains(&format!(
            "le fichier de mot de passe SMTP {} (CNRM_SMTP_PASSWORD_FILE) est vide",
            empty.display()
        )),
        "{err}"
    );
    let missing = dir.path().join("missing");
    let (code, _, err) = exec(
        cnrm_db(&db, "2025-09-16")
            .env("CNRM_SMTP_URL", "smtp://127.0.0.1:2525")
            .env("CNRM_SMTP_PASSWORD_FILE", &missing)
            .args(["--lang", "en", "remind"]),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "the SMTP password file {} (CNRM_SMTP_PASSWORD_FILE) is unreadable: it does not exist",
            missing.display()
        )) && !err.contains("os error"),
        "{err}"
    );
    let (code, _, err) = exec(
        cnrm_db(&db, "2025-09-16")
            .env("CNRM_SMTP_URL", "smtp://cnrm:S3cret@mail.example.ml:587")
            .args(["remind"]),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("le mot de passe serait envoyé en clair au serveur mail.example.ml:587")
            && !err.contains("S3cret"),
        "{err}"
    );
    assert!(
        outbox_rows(&db).is_empty(),
        "refused before anything is queued"
    );
}

#[test]
fn a_plan_whose_scan_fails_is_reported_and_the_other_plans_go_on() {
    if !require::smtp() {
        return;
    }
    for db in TestDb::all() {
        let dir = setup(&db, PLAN);
        let lot = write_plan(dir.path(), "lot.yaml", &many_owners(2, false));
        assert_eq!(
            exec(cnrm_db(&db, "2025-09-01").args(["plan", "apply", &lot])).0,
            0
        );
        poison(
            &db,
            "UPDATE plans SET policy = '{not json' WHERE id = 'lot'",
        );
        let smtp = SmtpServer::start();
        let (code, report, err) = remind(&db, &smtp, "2025-09-16", &[]);
        assert_eq!(code, 1, "{}: {err}", db.label);
        let sentence = "les rappels du plan lot n'ont pas pu être préparés\u{a0}: sa politique de rappels enregistrée est illisible (appliquez le plan de nouveau)";
        assert!(
            err.contains(&format!(
                "{sentence}\u{a0}; les autres plans ont été traités (voir `cnrm outbox --status failed`)"
            )),
            "{}: {err}",
            db.label
        );
        // The other plan's two reminders went out.
        assert_eq!(report["messages"].as_array().map(Vec::len), Some(2));
        assert_eq!(smtp.wait_for(2, Duration::from_secs(10)).len(), 2);
        // The secretariat sees the failure in the outbox, once however many scans met it.
        let (code, _, _) = remind(&db, &smtp, "2025-09-16T12:00:00Z", &[]);
        assert_eq!(code, 1);
        let rows = outbox_rows(&db);
        let errors: Vec<_> = rows.iter().filter(|r| r["kind"] == "scan-error").collect();
        assert_eq!(errors.len(), 1, "{}: {rows:?}", db.label);
        assert_eq!(errors[0]["status"], "failed");
        assert_eq!(errors[0]["subject"], sentence);
        assert_eq!(errors[0]["last_error"], sentence);
        assert_eq!(errors[0]["attempts"], 2);
        let (_, table, _) = exec(cnrm_db(&db, "2025-09-16").args(["outbox", "--status", "failed"]));
        assert!(
            table.contains("erreur d'analyse")
                && table.contains(sentence)
                && table.contains("16/09/2025 12:00"),
            "{table}"
        );
        // Never sent, even on request.
        let (_, _, _) = exec(
            cnrm_db(&db, "2025-09-16T12:05:00Z")
                .env("CNRM_SMTP_URL", smtp.url())
                .args(["outbox", "retry"]),
        );
        assert_eq!(smtp.received().len(), 2, "{}", db.label);
    }
}

#[test]
fn absurd_stored_dates_and_delays_neither_panic_nor_crawl() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = setup(&db, PLAN);
    let lot = write_plan(dir.path(), "lot.yaml", &many_owners(2, false));
    assert_eq!(
        exec(cnrm_db(&db, "2025-09-01").args(["plan", "apply", &lot])).0,
        0
    );
    // As an older cnrm could store them: a deadline in year 1, reminders 100 million days
    // before it, an overdue reminder every day, and one escalation delay beyond the calendar.
    poison(
        &db,
        r#"UPDATE tasks SET deadline = '0001-01-01', reminders = '{"before":[100000000,3],"overdue_every":1,"escalate_after":4000000000}' WHERE plan_id = 'lot' AND id = 't0'"#,
    );
    poison(
        &db,
        "UPDATE tasks SET deadline = '9999-12-31' WHERE plan_id = 'lot' AND id = 't1'",
    );
    let smtp = SmtpServer::start();
    let (code, report, err) = remind(&db, &smtp, "2025-09-16", &[]);
    assert_eq!(code, 0, "{err}");
    let to: BTreeSet<String> = report["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["to"][0].as_str().map(String::from))
        .collect();
    // t0 gets its latest overdue reminder (today's), t1 nothing yet; the other plan as usual.
    assert_eq!(
        to,
        BTreeSet::from([
            "dgme@example.ml".to_string(),
            "o0@example.ml".to_string(),
            "oim@example.org".to_string()
        ])
    );
    let got = smtp.wait_for(3, Duration::from_secs(10));
    let o0 = got
        .iter()
        .find(|m| m.to == ["o0@example.ml"])
        .expect("o0's reminder");
    assert_eq!(o0.subject(), "[CNRM] Rappel\u{a0}: 1 tâche en retard");
    // Every day since year 1 but today's was superseded (computed, not stepped through).
    let days = (chrono::NaiveDate::from_ymd_opt(2025, 9, 16).expect("day")
        - chrono::NaiveDate::from_ymd_opt(1, 1, 1).expect("day"))
    .num_days();
    // rappels supersedes 1 on that day (see above); t0 every overdue day but the last, its
    // deadline and its `before: 3d` occurrence (100 million days before year 1 is no date).
    assert_eq!(report["superseded"], days + 2, "{report}");
}
