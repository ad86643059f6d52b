//! Sizes that once broke mail, through the real binary and the real SMTP test server: the answer
//! to a reply with a 1 MB subject is sent (its subject cut to one short line), and a reply longer
//! than what is read says so in its answer instead of being cut in silence.

use crate::common::db::TestDb;
use crate::common::require;
use crate::common::smtp::{Received, SmtpServer};
use crate::common::*;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

const PLAN: &str = r#"version: 1
plan:
  id: tailles
  title: Plan de test des tailles
  period: { start: 2025-01-01, end: 2026-12-31 }
owners:
  - { id: dgme, name: Délégation générale, email: dgme@example.ml }
  - { id: oim, name: Organisation internationale pour les migrations }
priorities:
  - id: axe-1
    title: Accueil
    tasks:
      - { id: b1, title: Adopter le règlement, owner: dgme, partners: [oim], deadline: 2025-10-01 }
      - { id: b2, title: Centre de Kayes, owner: dgme, deadline: 2025-10-01 }
"#;

const LATER: &str = "2025-09-18T09:00:00Z";

struct Setup {
    db: TestDb,
    smtp: SmtpServer,
    reminder: Received,
    _dir: tempfile::TempDir,
}

impl Setup {
    fn cnrm(&self, now: &str) -> std::process::Command {
        let mut cmd = cnrm_db(&self.db, now);
        cmd.env("CNRM_SMTP_URL", self.smtp.url())
            .env("CNRM_SMTP_FROM", "Secrétariat CNRM <cnrm@example.ml>")
            .env("CNRM_REPLY_TO", "cnrm-retours@example.ml");
        cmd
    }

    fn receive(&self, raw: &[u8]) -> (i32, String, String) {
        let mut child = self
            .cnrm(LATER)
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
            .write_all(raw)
            .expect("write");
        let out = child.wait_with_output().expect("cnrm ends");
        (out.status.code().unwrap_or(-1), stdout(&out), stderr(&out))
    }

    /// A reply to the reminder, from its recipient.
    fn reply(&self, id: &str, subject: &str, body: &str) -> Vec<u8> {
        let to = self.reminder.header("Reply-To").unwrap_or_default();
        let parent = self.reminder.header("Message-ID").unwrap_or_default();
        format!(
            "From: dgme@example.ml\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Thu, 18 Sep 2025 10:00:00 +0000\r\nMessage-ID: <{id}@client.example>\r\nIn-Reply-To: {parent}\r\nReferences: {parent}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}"
        )
        .into_bytes()
    }
}

fn setup(db: TestDb) -> Setup {
    let dir = tempfile::tempdir().expect("dir");
    let file = write_plan(dir.path(), "p.yaml", PLAN);
    let (code, _, err) = exec(cnrm_db(&db, "2025-09-01").args(["plan", "apply", &file]));
    assert_eq!(code, 0, "{err}");
    let smtp = SmtpServer::start();
    let mut s = Setup {
        db,
        smtp,
        reminder: Received {
            to: vec![],
            data: String::new(),
        },
        _dir: dir,
    };
    let (code, _, err) = exec(s.cnrm("2025-09-17").args(["remind"]));
    assert_eq!(code, 0, "{err}");
    let got = s.smtp.wait_for(1, Duration::from_secs(10));
    s.reminder = got.into_iter().next().expect("the reminder");
    s
}

#[test]
fn the_answer_to_a_reply_with_a_1_mb_subject_is_sent_with_a_short_subject() {
    if !require::smtp() {
        return;
    }
    for db in TestDb::all() {
        let s = setup(db);
        let subject = format!("RE: {}", "très long sujet ".repeat(65_000));
        assert!(subject.len() > 1_000_000);
        let (code, out, err) = s.receive(&s.reply("long-subject", &subject, "1 : fait\r\n"));
        assert_eq!(code, 0, "{out} {err}");
        assert!(out.contains("\"applied\""), "{out}");
        let got = s.smtp.wait_for(2, Duration::from_secs(10));
        assert_eq!(got.len(), 2, "the answer was delivered");
        let answer = &got[1];
        assert_eq!(answer.to, ["dgme@example.ml"]);
        let shown = answer.subject();
        // One `Re: `, whatever prefix the member's client put.
        assert!(shown.starts_with("Re: très long sujet"), "{shown}");
        assert!(
            shown.ends_with('…') && shown.chars().count() <= 200,
            "{shown}"
        );
        assert!(
            answer.data.split("\r\n").all(|l| l.len() <= 998),
            "no line longer than SMTP allows"
        );
        assert!(
            answer.text().len() < 10_000,
            "the body quotes the short subject"
        );
        let (_, rows, _) = exec(s.cnrm(LATER).args(["outbox", "--format", "json"]));
        assert!(
            !rows.contains("\"failed\"") && rows.len() < 20_000,
            "{}",
            &rows[..rows.len().min(2000)]
        );
    }
}

#[test]
fn a_reply_longer_than_what_is_read_is_answered_with_the_bound() {
    if !require::smtp() {
        return;
    }
    let s = setup(TestDb::sqlite());
    // An update, then 150,000 characters of quoted history, then another update.
    let filler = "Lorem ipsum dolor sit amet, texte recopié sans fin. ".repeat(3_000);
    let body = format!("1 : fait\r\n\r\n{filler}\r\n2 : fait\r\n");
    assert!(body.chars().count() > 150_000);
    let (code, out, err) = s.receive(&s.reply("long-body", "RE: rappel", &body));
    assert_eq!(code, 0, "{out} {err}");
    let got = s.smtp.wait_for(2, Duration::from_secs(10));
    assert_eq!(got.len(), 2, "the answer was delivered");
    let text = got[1].text();
    assert!(
        text.contains(
            "Votre message dépasse 100\u{a0}000 caractères\u{a0}: seul son début a été lu"
        ),
        "{text}"
    );
    // The beginning was read: task 1 done.
    assert!(text.contains("1. b1 — Adopter le règlement"), "{text}");
}

#[test]
fn the_html_part_of_a_reminder_fits_a_390_px_phone_and_names_the_partners() {
    if !require::smtp() {
        return;
    }
    let s = setup(TestDb::sqlite());
    let html = s.reminder.html();
    assert!(!html.contains("<pre"), "{html}");
    assert!(
        html.contains("Partenaire\u{a0}: Organisation internationale pour les migrations"),
        "{html}"
    );
    let Some(chromium) = require::chromium() else {
        return;
    };
    // The page measures itself: how far its content reaches past the screen's width.
    let probe = "<script>document.body.insertAdjacentHTML('beforeend', '<p id=\"overflow\">' + (document.documentElement.scrollWidth - document.documentElement.clientWidth) + '</p>');</script>";
    let page = s._dir.path().join("rappel.html");
    std::fs::write(&page, html.replace("</body>", &format!("{probe}</body>"))).expect("write");
    let profile = s._dir.path().join("profile");
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=390,844",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("<p id=\"overflow\">0</p>"),
        "the page is wider than a 390 px screen: {}",
        dom.split("id=\"overflow\"").nth(1).unwrap_or(&dom)
    );
}
