//! Replies as people write them (`mail-replies.md`, "Read as people write"): the corpus of
//! `tests/fixtures/replies-corpus.txt` (phones, Outlook, Gmail, French with and without accents,
//! English, HTML), each reply built on a real reminder delivered through the test SMTP server and
//! piped into `cnrm mail receive`, each on a fresh copy of the same database so that every reply
//! is read against the same tasks. Every entry must be read as its author meant.

use crate::common::db::TestDb;
use crate::common::require;
use crate::common::smtp::{Received, SmtpServer};
use crate::common::*;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const PLAN: &str = r#"version: 1
plan:
  id: corpus
  title: Corpus des réponses
  period: { start: 2025-01-01, end: 2026-12-31 }
  secretariat: st
owners:
  - { id: st, name: Secrétariat technique, email: st@example.ml }
  - { id: dgme, name: Délégation générale, email: dgme@example.ml }
  - { id: oim, name: OIM, email: oim@example.org, language: en }
priorities:
  - id: axe-1
    title: Accueil
    tasks:
      - { id: d1, title: Adopter le règlement, owner: dgme, deadline: 2025-10-01 }
      - { id: d2, title: Centre de Kayes, owner: dgme, deadline: 2025-10-01 }
      - { id: d3, title: Guichet unique, owner: dgme, deadline: 2025-10-01 }
      - { id: d4, title: Former les agents, owner: dgme, deadline: 2025-10-01 }
      - { id: d5, title: Atelier régional, owner: dgme, deadline: 2025-10-01 }
      - { id: d6, title: Arrêté interministériel, owner: dgme, deadline: 2025-10-01 }
      - { id: d7, title: Cartographie des acteurs, owner: dgme, deadline: 2025-10-01 }
      - { id: r1, title: Réunion de coordination, owner: dgme, deadline: 2025-09-30, repeat: quarterly }
      - { id: c1, title: Reintegration kits, owner: oim, deadline: 2025-10-01 }
"#;

const DAY: &str = "2025-09-17";
const LATER: &str = "2025-09-18T09:00:00Z";

/// One entry of the corpus.
struct Entry {
    name: String,
    to: String,
    html: bool,
    text: String,
    expected: Vec<String>,
}

fn corpus(name: &str) -> Vec<Entry> {
    // Another corpus in the same format may be tried with `CNRM_REPLY_CORPUS=path`.
    let path = std::env::var_os("CNRM_REPLY_CORPUS")
        .map_or_else(|| fixture(name), std::path::PathBuf::from);
    let text = std::fs::read_to_string(path).expect("corpus");
    let mut out = Vec::new();
    for block in text.split("\n## ").skip(1) {
        let (head, rest) = block.split_once('\n').expect("entry head");
        let parts: Vec<&str> = head.split(';').map(str::trim).collect();
        let (body, expected) = rest.split_once("\n=>\n").expect("=> in entry");
        out.push(Entry {
            name: parts[0].to_string(),
            to: parts[1].to_string(),
            html: parts.get(2) == Some(&"html"),
            text: body.to_string(),
            expected: expected
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
        });
    }
    out
}

/// The reminder's numbered task lines: `n. id — title`, in order.
fn listed(original: &Received) -> Vec<String> {
    let text = original.text();
    (1..)
        .map_while(|n| {
            let prefix = format!("{n}. ");
            text.lines()
                .find_map(|l| l.strip_prefix(&prefix))
                .and_then(|l| l.split(" — ").next())
                .map(str::to_string)
        })
        .collect()
}

/// The member's text with its placeholders filled from the delivered reminder.
fn fill(text: &str, original: &Received, ids: &[String]) -> String {
    let quoted: String = original
        .text()
        .lines()
        .map(|l| format!("> {l}\n"))
        .collect();
    let mut out = text
        .replace(
            "{quote}",
            &format!(
                "\nLe mer. 17 sept. 2025 à 08:00, Secrétariat CNRM <cnrm@example.ml> a écrit :\n{quoted}"
            ),
        )
        .replace(
            "{outlook}",
            &format!(
                "\n________________________________\nDe : Secrétariat CNRM <cnrm@example.ml>\nEnvoyé : mercredi 17 septembre 2025 08:00\nÀ : dgme@example.ml\nObjet : {}\n\n{}",
                original.subject(),
                original.text()
            ),
        );
    for (i, id) in ids.iter().enumerate() {
        let n = i + 1;
        let line = original
            .text()
            .lines()
            .find(|l| l.starts_with(&format!("{n}. ")))
            .unwrap_or_default()
            .to_string();
        out = out
            .replace(&format!("{{#{n}}}"), id)
            .replace(&format!("{{base:{n}}}"), id.split('@').next().unwrap_or(id))
            .replace(&format!("{{q:{n}}}"), &format!("> {line}"));
    }
    out
}

/// A reply as a mail client writes it: threaded under the reminder, plain text or HTML only.
fn message(original: &Received, from: &str, n: usize, body: &str, html: bool) -> Vec<u8> {
    let to = original
        .header("Reply-To")
        .or_else(|| original.header("From"))
        .unwrap_or_default();
    let parent = original.header("Message-ID").unwrap_or_default();
    let (kind, body) = if html {
        let mut h = String::from("<html><body><div dir=\"ltr\">");
        let mut in_quote = false;
        for l in body.lines() {
            match (l.strip_prefix('>'), in_quote) {
                (Some(q), false) => {
                    h.push_str("<blockquote>");
                    h.push_str(q);
                    h.push_str("<br>");
                    in_quote = true;
                }
                (Some(q), true) => {
                    h.push_str(q);
                    h.push_str("<br>");
                }
                (None, true) => {
                    h.push_str("</blockquote>");
                    h.push_str(l);
                    h.push_str("<br>");
                    in_quote = false;
                }
                (None, false) => {
                    h.push_str(&l.replace('&', "&amp;").replace('<', "&lt;"));
                    h.push_str("<br>");
                }
            }
        }
        h.push_str("</div></body></html>");
        ("text/html", h)
    } else {
        ("text/plain", body.to_string())
    };
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: RE: {}\r\nDate: Thu, 18 Sep 2025 10:00:00 +0000\r\nMessage-ID: <corpus{n}@client.example>\r\nIn-Reply-To: {parent}\r\nReferences: {parent}\r\nMIME-Version: 1.0\r\nContent-Type: {kind}; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
        original.subject(),
        body.replace('\n', "\r\n")
    )
    .into_bytes()
}

/// What `mail receive --format json` said, in the corpus's words: the status, then each change
/// (`status #1 done`), `questions N` and `problems N` when there are any.
fn reading(r: &Value, ids: &[String]) -> Vec<String> {
    let number = |id: &str| {
        ids.iter()
            .position(|t| t == id)
            .map_or(id.to_string(), |i| format!("#{}", i + 1))
    };
    let mut out = vec![r["status"].as_str().unwrap_or("?").to_string()];
    let mut changes: Vec<String> = r["changes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let task = number(c["task"].as_str().unwrap_or(""));
            let value = &c["value"];
            match c["kind"].as_str().unwrap_or("") {
                "spending" => format!(
                    "spending {task} {} {}",
                    value["amount"].as_f64().unwrap_or(0.0),
                    value["currency"].as_str().unwrap_or("")
                ),
                "postpone_request" => format!("postpone {task} {}", value.as_str().unwrap_or("")),
                kind => match value {
                    Value::String(s) => format!("{kind} {task} {s}"),
                    v => format!("{kind} {task} {v}"),
                },
            }
        })
        .collect();
    changes.sort();
    out.extend(changes);
    let count = |key: &str| r[key].as_array().map_or(0, Vec::len);
    if count("questions") > 0 {
        out.push(format!("questions {}", count("questions")));
    }
    if count("not_understood") > 0 {
        out.push(format!("problems {}", count("not_understood")));
    }
    out
}

fn copy_db(from: &str, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let src = format!("{from}{suffix}");
        if Path::new(&src).exists() {
            std::fs::copy(&src, format!("{}{suffix}", to.display())).expect("copy the database");
        }
    }
}

#[test]
fn replies_as_people_write_them_are_read_as_meant() {
    read_corpus("replies-corpus.txt", 80);
}

/// Replies written by a tester who never saw the grammar (`replies-blind.txt`).
#[test]
fn replies_written_blind_are_read_as_meant() {
    read_corpus("replies-blind.txt", 60);
}

/// Every entry of the corpus `name` (at least `least` of them) read as its author meant.
fn read_corpus(name: &str, least: usize) {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = apply_plan(&db, "2025-09-01", "corpus.yaml", PLAN);
    let smtp = SmtpServer::start();
    let with_smtp = |cmd: &mut std::process::Command| {
        cmd.env("CNRM_SMTP_URL", smtp.url())
            .env("CNRM_SMTP_FROM", "Secrétariat CNRM <cnrm@example.ml>")
            .env("CNRM_REPLY_TO", "cnrm-retours@example.ml");
    };
    let mut remind = cnrm_db(&db, DAY);
    with_smtp(&mut remind);
    let (code, _, err) = exec(remind.arg("remind"));
    assert_eq!(code, 0, "{err}");
    let delivered = smtp.wait_for(2, Duration::from_secs(10));
    let to = |address: &str| {
        delivered
            .iter()
            .find(|m| m.to.iter().any(|t| t == address))
            .unwrap_or_else(|| panic!("a reminder to {address}"))
    };
    let (dgme, oim) = (to("dgme@example.ml"), to("oim@example.org"));
    let (dgme_ids, oim_ids) = (listed(dgme), listed(oim));
    assert_eq!(dgme_ids.len(), 8, "{}", dgme.text());
    assert_eq!(oim_ids, ["c1"], "{}", oim.text());

    let entries = corpus(name);
    if std::env::var_os("CNRM_REPLY_CORPUS").is_none() {
        assert!(entries.len() >= least, "{} entries", entries.len());
    }
    let mut wrong = Vec::new();
    for (n, e) in entries.iter().enumerate() {
        let (original, from, ids) = match e.to.as_str() {
            "oim" => (oim, "OIM Mali <oim@example.org>", &oim_ids),
            _ => (dgme, "DGME <dgme@example.ml>", &dgme_ids),
        };
        let fresh = dir.path().join(format!("copy{n}.db"));
        copy_db(&db.url, &fresh);
        let body = fill(&e.text, original, ids);
        let raw = message(original, from, n, &body, e.html);
        let mut cmd = cnrm();
        cmd.env("CNRM_DATABASE_URL", &fresh)
            .env("CNRM_NOW", LATER)
            .args(["mail", "receive", "--format", "json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("cnrm starts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&raw)
            .expect("write");
        let out = child.wait_with_output().expect("cnrm ends");
        let r: Value = serde_json::from_str(&stdout(&out))
            .unwrap_or_else(|_| panic!("{}: {}", e.name, stderr(&out)));
        let got = reading(&r, ids);
        let mut expected = e.expected.clone();
        expected[1..].sort_by_key(|l| {
            (
                l.starts_with("questions") || l.starts_with("problems"),
                l.clone(),
            )
        });
        if got != expected {
            wrong.push(format!(
                "{}:\n  expected {:?}\n  read     {:?}",
                e.name, expected, got
            ));
        }
    }
    eprintln!(
        "reply corpus {name}: {} of {} replies read as meant",
        entries.len() - wrong.len(),
        entries.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A spending line sent again in a new message (a member re-sending) is asked about, not counted
/// twice; `nouvelle dépense` says it is another one.
#[test]
fn the_same_spending_sent_again_is_asked_about_not_counted_twice() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let _dir = apply_plan(&db, "2025-09-01", "corpus.yaml", PLAN);
    let smtp = SmtpServer::start();
    let (code, _, err) = exec(
        cnrm_db(&db, DAY)
            .env("CNRM_SMTP_URL", smtp.url())
            .env("CNRM_SMTP_FROM", "Secrétariat CNRM <cnrm@example.ml>")
            .arg("remind"),
    );
    assert_eq!(code, 0, "{err}");
    let delivered = smtp.wait_for(2, Duration::from_secs(10));
    let dgme = delivered
        .iter()
        .find(|m| m.to.iter().any(|t| t == "dgme@example.ml"))
        .expect("a reminder to the DGME");
    let first = listed(dgme)[0].clone();
    let receive = |n: usize, body: &str| -> Value {
        let mut child = cnrm_db(&db, LATER)
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
            .write_all(&message(
                dgme,
                "DGME <dgme@example.ml>",
                900 + n,
                body,
                false,
            ))
            .expect("write");
        let out = child.wait_with_output().expect("cnrm ends");
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|_| panic!("{}", stderr(&out)))
    };
    let spent = |expected: usize| {
        let (code, out, err) =
            exec(cnrm_db(&db, LATER).args(["task", "show", &first, "--format", "json"]));
        assert_eq!(code, 0, "{err}");
        let t: Value = serde_json::from_str(&out).expect("json");
        let entries = t["spendings"].as_array().map_or(0, Vec::len);
        assert_eq!(entries, expected, "{out}");
    };
    let r = receive(1, "1 : dépensé 2 500 000 FCFA\n");
    assert_eq!(r["changes"].as_array().map(Vec::len), Some(1), "{r}");
    spent(1);
    // Sent again: nothing recorded, one question.
    let r = receive(2, "1 : dépensé 2 500 000 FCFA\n");
    assert_eq!(r["status"], "applied", "{r}");
    assert_eq!(r["changes"], serde_json::json!([]), "{r}");
    assert_eq!(r["questions"].as_array().map(Vec::len), Some(1), "{r}");
    assert_eq!(r["questions"][0]["task"], first.as_str(), "{r}");
    spent(1);
    // Confirmed as another one: recorded.
    let r = receive(3, "1 : dépensé 2 500 000 FCFA, nouvelle dépense\n");
    assert!(
        r["changes"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["kind"] == "spending")),
        "{r}"
    );
    spent(2);
}
