//! The send path sends nothing that is no longer true: a reminder or an escalation queued during
//! an SMTP outage, whose tasks were closed (or whose deadline moved) before it could go, is
//! `superseded`; one that still concerns some of its tasks is rebuilt for those. Through the real
//! binary, a real SMTP server on 127.0.0.1 (down, then up), SQLite and PostgreSQL; and a
//! `kill -9` in the middle of `outbox retry`.

use crate::common::db::TestDb;
use crate::common::require;
use crate::common::smtp::{free_port, Received, SmtpServer};
use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;
use std::time::Duration;

/// dgme has a1 and a2 due on 30/09/2025 (a1 written as a quarter), oim a3, mmeia a4; every one
/// gets its 14-day reminder on 16/09/2025. a5, 29 days late on 30/09, is escalated.
fn plan(a3_deadline: &str) -> String {
    format!(
        r#"version: 1
plan:
  id: verite
  title: Plan de test
  period: {{ start: 2025-01-01, end: 2025-12-31 }}
  secretariat: st
owners:
  - {{ id: st, name: Secrétariat technique, email: st@example.ml }}
  - {{ id: mmeia, name: Ministère, short: MMEIA, email: cabinet@example.ml }}
  - {{ id: dgme, name: Délégation générale, short: DGME, parent: mmeia, email: dgme@example.ml }}
  - {{ id: oim, name: OIM, email: oim@example.org, language: en }}
priorities:
  - id: axe-5
    title: Suivi
    tasks:
      - {{ id: a1, title: Tâche annulée, owner: dgme, deadline: T3 2025 }}
      - {{ id: a2, title: Tâche ouverte, owner: dgme, deadline: 2025-09-30 }}
      - {{ id: a3, title: Task moved, owner: oim, deadline: {a3_deadline} }}
      - {{ id: a4, title: Tâche faite, owner: mmeia, deadline: 2025-09-30 }}
"#
    )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON expected ({e}): {text}"))
}

fn mentions(m: &Received, task: &str) -> bool {
    let text = m.text();
    text.contains(&format!(". {task} —")) || m.ics().contains(&format!("UID:{task}@"))
}

#[test]
fn a_reminder_queued_in_an_outage_says_nothing_about_tasks_closed_since() {
    if !require::smtp() {
        return;
    }
    for db in TestDb::all() {
        let dir = tempfile::tempdir().expect("dir");
        let file = write_plan(dir.path(), "p.yaml", &plan("2025-09-30"));
        let (code, _, err) = exec(cnrm_db(&db, "2025-09-01").args(["plan", "apply", &file]));
        assert_eq!(code, 0, "{err}");
        let port = free_port();
        let at = |now: &str, args: &[&str]| {
            exec(
                cnrm_db(&db, now)
                    .env("CNRM_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
                    .env("CNRM_SMTP_FROM", "cnrm@example.ml")
                    .args(args),
            )
        };
        // 16/09: the scan queues three reminders; the server is down.
        let (code, out, err) = at("2025-09-16T08:00:00Z", &["remind"]);
        assert_eq!(code, 1, "{}: {out} {err}", db.label);
        let (_, failed, _) = at(
            "2025-09-16T08:00:00Z",
            &["outbox", "--status", "failed", "--format", "json"],
        );
        assert_eq!(json(&failed).as_array().map(Vec::len), Some(3), "{failed}");

        // 18/09: a1 cancelled, a4 done, a3's deadline moved by a new revision of the plan.
        for (task, status) in [("a1", "cancelled"), ("a4", "done")] {
            let (code, _, err) = at(
                "2025-09-18T09:00:00Z",
                &["task", "set", task, "--status", status],
            );
            assert_eq!(code, 0, "{}: {err}", db.label);
        }
        let file = write_plan(dir.path(), "p.yaml", &plan("2025-12-31"));
        let (code, _, err) = at("2025-09-18T09:00:00Z", &["plan", "apply", &file]);
        assert_eq!(code, 0, "{}: {err}", db.label);

        // 19/09: the server is back; `outbox retry`.
        let smtp = SmtpServer::start_on(port, Duration::ZERO);
        let (code, out, err) = at("2025-09-19T08:00:00Z", &["outbox", "retry"]);
        assert_eq!(code, 0, "{}: {out} {err}", db.label);
        assert!(out.contains("envoyés\u{a0}: 1, en échec\u{a0}: 0"), "{out}");
        assert!(
            out.contains("2 messages non envoyés, plus d'actualité"),
            "{out}"
        );
        assert!(out.contains("1 message refait avant l'envoi"), "{out}");
        std::thread::sleep(Duration::from_millis(300));
        let got = smtp.received();
        assert_eq!(got.len(), 1, "{}: only dgme's message goes", db.label);
        let m = &got[0];
        assert_eq!(m.to, ["dgme@example.ml"]);
        assert!(mentions(m, "a2"), "{}", m.text());
        assert!(
            !mentions(m, "a1"),
            "{}: a cancelled task: {}",
            db.label,
            m.text()
        );
        assert!(!m.text().contains("Tâche annulée") && !m.ics().contains("Tâche annulée"));
        // Rebuilt from the current state: one task, numbered 1, counted as one.
        assert!(m.text().contains("1. a2 — Tâche ouverte"), "{}", m.text());
        assert!(m.subject().contains("1 tâche"), "{}", m.subject());

        // The outbox says what happened, in words and in JSON.
        let (_, rows, _) = at("2025-09-19T08:00:00Z", &["outbox", "--format", "json"]);
        let rows = json(&rows);
        let status_of = |to: &str| {
            rows.as_array()
                .and_then(|a| a.iter().find(|r| r["to"][0] == to))
                .map(|r| (r["status"].clone(), r["last_error"].clone()))
                .expect("row")
        };
        assert_eq!(status_of("dgme@example.ml").0, "sent");
        for to in ["oim@example.org", "cabinet@example.ml"] {
            let (status, why) = status_of(to);
            assert_eq!(status, "superseded", "{}: {to}: {rows}", db.label);
            assert!(
                why.as_str().is_some_and(|w| w.contains("plus d'actualité")),
                "{why}"
            );
        }
        let (_, words, _) = at("2025-09-19T08:00:00Z", &["outbox", "--status", "caduc"]);
        assert!(
            words.contains("caduc") && words.contains("cabinet@example.ml"),
            "{words}"
        );
        let (_, words, _) = at(
            "2025-09-19T08:00:00Z",
            &["--lang", "en", "outbox", "--status", "superseded"],
        );
        assert!(
            words.contains("superseded") && words.contains("oim@example.org"),
            "{words}"
        );
        // A second retry sends nothing more, and never the superseded ones.
        let (code, _, _) = at("2025-09-19T09:00:00Z", &["outbox", "retry"]);
        assert_eq!(code, 0);
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(smtp.received().len(), 1, "{}", db.label);
    }
}

/// Many owners, a task each, due on 30/09/2025.
fn many(n: usize) -> String {
    let mut s = String::from(
        "version: 1\nplan:\n  id: lot\n  title: Lot\n  period: { start: 2025-01-01, end: 2025-12-31 }\nowners:\n",
    );
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
fn a_retry_killed_midway_then_rerun_sends_nothing_twice_and_nothing_about_closed_tasks() {
    if !require::smtp() {
        return;
    }
    let n = 30;
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().expect("dir");
    let file = write_plan(dir.path(), "lot.yaml", &many(n));
    let (code, _, err) = exec(cnrm_db(&db, "2025-09-01").args(["plan", "apply", &file]));
    assert_eq!(code, 0, "{err}");
    let port = free_port();
    let cmd = |now: &str| {
        let mut c = cnrm_db(&db, now);
        c.env("CNRM_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
            .env("CNRM_SMTP_FROM", "cnrm@example.ml");
        c
    };
    // The outage: every reminder queued and failed.
    let (code, _, _) = exec(cmd("2025-09-16T08:00:00Z").args(["remind"]));
    assert_eq!(code, 1);
    // Every third task closed before the retry.
    let closed = |i: usize| i.is_multiple_of(3);
    for i in (0..n).filter(|i| closed(*i)) {
        let (code, _, err) = exec(cmd("2025-09-17T08:00:00Z").args([
            "task",
            "set",
            &format!("t{i}"),
            "--status",
            "cancelled",
        ]));
        assert_eq!(code, 0, "{err}");
    }
    let smtp = SmtpServer::start_on(port, Duration::from_millis(60));
    let mut child = cmd("2025-09-18T08:00:00Z")
        .args(["outbox", "retry"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    smtp.wait_for(4, Duration::from_secs(20));
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    let before = smtp.received().len();
    assert!(
        before < n - n / 3,
        "the kill came mid-batch ({before} sent)"
    );
    // Between the kill and the rerun, more tasks close, some of them perhaps in flight.
    let closed_later = |i: usize| i % 3 == 1 && i > n / 2;
    for i in (0..n).filter(|i| closed_later(*i)) {
        let (code, _, err) = exec(cmd("2025-09-18T08:05:00Z").args([
            "task",
            "set",
            &format!("t{i}"),
            "--status",
            "done",
        ]));
        assert_eq!(code, 0, "{err}");
    }
    // After the claim's lease: the rerun.
    let (code, out, err) = exec(cmd("2025-09-18T09:00:00Z").args(["outbox", "retry"]));
    assert_eq!(code, 0, "{out} {err}");
    std::thread::sleep(Duration::from_millis(500));
    let got = smtp.received();
    let mut per_address: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut copies: BTreeMap<String, usize> = BTreeMap::new();
    for m in &got {
        let to = m.to[0].clone();
        let i: usize = to
            .trim_start_matches('o')
            .trim_end_matches("@example.ml")
            .parse()
            .expect("owner number");
        assert!(
            !closed(i),
            "a message about a task closed before the retry: {to}"
        );
        per_address
            .entry(to.clone())
            .or_default()
            .insert(m.header("Message-ID").unwrap_or_default());
        *copies.entry(to).or_default() += 1;
    }
    // Every open task's owner got its reminder, with one Message-ID; a task closed after the
    // kill got none unless it went before the kill.
    for i in (0..n).filter(|i| !closed(*i) && !closed_later(*i)) {
        assert!(
            per_address.contains_key(&format!("o{i}@example.ml")),
            "o{i}: {per_address:?}"
        );
    }
    assert!(
        per_address.values().all(|ids| ids.len() == 1),
        "{per_address:?}"
    );
    // SMTP is not exactly-once: only a message whose content the server had when the sender
    // was killed can arrive again (same Message-ID, dropped by mail clients); at most the 8 in
    // flight.
    let repeated: Vec<_> = copies.iter().filter(|(_, c)| **c > 1).collect();
    assert!(repeated.len() <= 8, "{repeated:?}");
    let rows = json(&exec(cmd("2025-09-18T09:00:00Z").args(["outbox", "--format", "json"])).1);
    let superseded = rows
        .as_array()
        .map(|a| a.iter().filter(|r| r["status"] == "superseded").count())
        .unwrap_or(0);
    assert!(superseded >= n / 3, "{rows}");
    assert!(
        rows.as_array().is_some_and(|a| a
            .iter()
            .all(|r| r["status"] != "failed" && r["status"] != "pending")),
        "{rows}"
    );
}
