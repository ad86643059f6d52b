//! Members' replies end to end (`mail-replies.md`): a real reminder run delivers its messages to
//! the test SMTP server; replies are built from the delivered bytes the way real clients build
//! them (Outlook, Gmail, Thunderbird, HTML only, Windows-1252), piped into `cnrm mail receive`;
//! the tasks, `cnrm inbox --format json` and the confirmations delivered through SMTP are checked.
//! On SQLite and PostgreSQL.

use crate::common::db::TestDb;
use crate::common::require;
use crate::common::smtp::{Received, SmtpServer};
use crate::common::*;
use serde_json::Value;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

const PLAN: &str = r#"version: 1
plan:
  id: retours
  title: Plan de test des réponses
  period: { start: 2025-01-01, end: 2026-12-31 }
  secretariat: st
owners:
  - { id: st, name: Secrétariat technique, email: st@example.ml }
  - { id: dgme, name: Délégation générale, email: [dgme@example.ml, focal@example.ml] }
  - { id: oim, name: OIM, email: oim@example.org, language: en }
priorities:
  - id: axe-1
    title: Accueil
    tasks:
      - { id: b1, title: Adopter le règlement, owner: dgme, deadline: 2025-10-01 }
      - { id: b2, title: Centre de Kayes, owner: dgme, deadline: 2025-10-01 }
      - { id: b3, title: Guichet unique, owner: dgme, deadline: 2025-10-01 }
      - { id: b4, title: Plus tard, owner: dgme, deadline: 2026-06-30 }
      - { id: c1, title: Reintegration kits, owner: oim, deadline: 2025-10-01 }
"#;

/// The scan day: 14 days before the deadlines, every task of the plan but b4 is due.
const DAY: &str = "2025-09-17";
const LATER: &str = "2025-09-18T09:00:00Z";

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON expected ({e}): {text}"))
}

struct Story {
    db: TestDb,
    smtp: SmtpServer,
    _dir: tempfile::TempDir,
}

impl Story {
    fn cnrm(&self, now: &str) -> std::process::Command {
        let mut cmd = cnrm_db(&self.db, now);
        cmd.env("CNRM_SMTP_URL", self.smtp.url())
            .env("CNRM_SMTP_FROM", "Secrétariat CNRM <cnrm@example.ml>")
            .env("CNRM_REPLY_TO", "cnrm-retours@example.ml");
        cmd
    }

    /// `cnrm mail receive --format json` with `raw` on standard input.
    fn receive(&self, raw: &[u8]) -> (i32, Value, String) {
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
            .expect("write the message");
        let out = child.wait_with_output().expect("cnrm ends");
        let code = out.status.code().unwrap_or(-1);
        (code, json(&stdout(&out)), stderr(&out))
    }

    fn task(&self, id: &str) -> Value {
        let (code, out, err) = exec(
            self.cnrm(LATER)
                .args(["task", "show", id, "--format", "json"]),
        );
        assert_eq!(code, 0, "{err}");
        json(&out)
    }

    fn inbox(&self) -> Vec<Value> {
        let (code, out, err) = exec(self.cnrm(LATER).args(["inbox", "--format", "json"]));
        assert_eq!(code, 0, "{err}");
        json(&out).as_array().cloned().unwrap_or_default()
    }
}

/// A plan applied, a reminder run on [`DAY`], its messages delivered: the story's start.
fn story(db: TestDb) -> (Story, Vec<Received>) {
    let dir = tempfile::tempdir().expect("dir");
    let file = write_plan(dir.path(), "retours.yaml", PLAN);
    let (code, _, err) = exec(cnrm_db(&db, "2025-09-01").args(["plan", "apply", &file]));
    assert_eq!(code, 0, "{err}");
    let s = Story {
        db,
        smtp: SmtpServer::start(),
        _dir: dir,
    };
    let (code, _, err) = exec(s.cnrm(DAY).args(["remind"]));
    assert_eq!(code, 0, "{err}");
    let delivered = s.smtp.wait_for(2, Duration::from_secs(10));
    assert_eq!(delivered.len(), 2, "one message to DGME, one to the IOM");
    (s, delivered)
}

/// The delivered message sent to `address`.
fn sent_to<'a>(delivered: &'a [Received], address: &str) -> &'a Received {
    delivered
        .iter()
        .find(|m| m.to.iter().any(|t| t == address))
        .unwrap_or_else(|| panic!("a message to {address}"))
}

/// A reply as a mail client writes it: to the Reply-To address, threaded, its own Message-ID.
fn reply(original: &Received, from: &str, id: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    let to = original
        .header("Reply-To")
        .or_else(|| original.header("From"))
        .unwrap_or_default();
    let parent = original.header("Message-ID").unwrap_or_default();
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: RE: {}\r\nDate: Thu, 18 Sep 2025 10:00:00 +0000\r\nMessage-ID: <{id}@client.example>\r\nIn-Reply-To: {parent}\r\nReferences: {parent}\r\nMIME-Version: 1.0\r\n{extra_headers}\r\n{body}",
        original.subject()
    )
    .into_bytes()
}

fn plain() -> &'static str {
    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
}

/// The original's text as clients quote it with `> `.
fn quote(text: &str) -> String {
    text.lines().map(|l| format!("> {l}\r\n")).collect()
}

/// The task numbered `n` in a delivered message's text (`n. id — title`).
fn numbered(original: &Received, n: usize) -> String {
    let prefix = format!("{n}. ");
    original
        .text()
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|l| l.split(" — ").next())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("task {n} in:\n{}", original.text()))
}

fn statuses(s: &Story, ids: &[&str]) -> Vec<(String, String, i64)> {
    ids.iter()
        .map(|id| {
            let t = s.task(id);
            (
                id.to_string(),
                t["status"].as_str().unwrap_or("").to_string(),
                t["progress"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

#[test]
fn outgoing_messages_carry_a_token_the_headers_and_numbered_tasks() {
    if !require::smtp() {
        return;
    }
    let (_s, delivered) = story(TestDb::sqlite());
    let dgme = sent_to(&delivered, "dgme@example.ml");
    let id = dgme.header("Message-ID").expect("Message-ID");
    let token = id
        .trim_start_matches('<')
        .split('@')
        .next()
        .unwrap_or("")
        .to_string();
    assert!(
        token.len() >= 26 && token.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{id}"
    );
    assert_eq!(
        dgme.header("Reply-To").as_deref(),
        Some(format!("cnrm-retours+{token}@example.ml").as_str())
    );
    assert_eq!(
        dgme.header("Auto-Submitted").as_deref(),
        Some("auto-generated")
    );
    assert_eq!(
        dgme.header("X-Auto-Response-Suppress").as_deref(),
        Some("All")
    );
    let text = dgme.text();
    for n in 1..=3 {
        assert!(
            ["b1", "b2", "b3"].contains(&numbered(dgme, n).as_str()),
            "{text}"
        );
    }
    assert!(
        text.contains("Pour mettre à jour, répondez à ce message, une ligne par tâche"),
        "{text}"
    );
    let oim = sent_to(&delivered, "oim@example.org");
    assert!(
        oim.text().contains("To update, answer this message"),
        "{}",
        oim.text()
    );
    assert_ne!(oim.header("Message-ID"), dgme.header("Message-ID"));
}

/// The main story, on both databases: replies from real clients' layouts are applied, quoted
/// text never is, and each applied message is answered once through SMTP.
#[test]
fn replies_from_real_clients_update_the_tasks_and_are_answered() {
    if !require::smtp() {
        return;
    }
    for db in TestDb::all() {
        let label = db.label;
        let (s, delivered) = story(db);
        let dgme = sent_to(&delivered, "dgme@example.ml");
        let (one, two, three) = (numbered(dgme, 1), numbered(dgme, 2), numbered(dgme, 3));

        // Outlook, French: the answer above the underscore line and the `De :` block; the
        // original below it, unquoted, with its own examples (`1 : fait`) that must not count.
        let body = format!(
            "Bonjour,\r\n\r\n1 : fait\r\n2 : en cours ; avancement 60 %\r\n\r\nCordialement,\r\nAmadou\r\n\r\n________________________________\r\nDe : Secrétariat CNRM <cnrm@example.ml>\r\nEnvoyé : mercredi 17 septembre 2025 08:00\r\nÀ : dgme@example.ml\r\nObjet : {}\r\n\r\n{}",
            dgme.subject(),
            dgme.text().replace('\n', "\r\n")
        );
        let raw = reply(dgme, "DGME <DGME@example.ml>", "outlook1", plain(), &body);
        let (code, r, err) = s.receive(&raw);
        assert_eq!(code, 0, "{label}: {err}");
        assert_eq!(r["status"], "applied", "{label}: {r}");
        assert_eq!(r["from"], "dgme@example.ml");
        assert_eq!(r["reply_queued"], true);
        assert_eq!(r["not_understood"], serde_json::json!([]), "{label}: {r}");
        assert_eq!(
            statuses(&s, &[&one, &two, &three]),
            [
                (one.clone(), "done".to_string(), 100),
                (two.clone(), "in_progress".to_string(), 60),
                (three.clone(), "todo".to_string(), 0)
            ],
            "{label}"
        );
        // The confirmation, threaded, in French, to the member.
        let got = s.smtp.wait_for(3, Duration::from_secs(10));
        let answer = &got[2];
        assert_eq!(answer.to, ["dgme@example.ml"], "{label}");
        assert_eq!(
            answer.header("In-Reply-To").as_deref(),
            Some("<outlook1@client.example>")
        );
        assert_eq!(
            answer.header("Auto-Submitted").as_deref(),
            Some("auto-replied")
        );
        let text = answer.text();
        assert!(
            text.contains("Voici ce que nous avons compris") && text.contains(&one),
            "{label}: {text}"
        );
        // Each task's state after the change, its deadline included, in cnrm's words.
        for state in [
            "désormais\u{a0}: terminée · avancement 100\u{a0}% · échéance\u{a0}: 01/10/2025",
            "désormais\u{a0}: en cours · avancement 60\u{a0}% · échéance\u{a0}: 01/10/2025",
        ] {
            assert!(text.contains(state), "{label}: {state:?} in {text}");
        }
        // The events: the sender as actor, by e-mail.
        let history = s.task(&one)["history"].clone();
        let last = history
            .as_array()
            .and_then(|h| h.last())
            .cloned()
            .unwrap_or_default();
        assert_eq!(last["actor"], "dgme@example.ml", "{label}: {history}");
        assert_eq!(last["source"], "e-mail", "{label}");

        // Gmail, French: `Le … a écrit :` wrapped over two lines, then the quoted original.
        let body = format!(
            "3 : bloqué, en attente des fonds\r\n{two} : dépensé 2 500 000 FCFA\r\n\r\nLe mer. 17 sept. 2025 à 08:00, Secrétariat CNRM <\r\ncnrm@example.ml> a écrit :\r\n{}",
            quote(&dgme.text())
        );
        let raw = reply(dgme, "focal@example.ml", "gmail1", plain(), &body);
        let (code, r, err) = s.receive(&raw);
        assert_eq!(
            (code, r["status"].as_str()),
            (0, Some("applied")),
            "{label}: {err} {r}"
        );
        let t3 = s.task(&three);
        assert_eq!(t3["status"], "blocked", "{label}");
        let t2 = s.task(&two);
        let spent: f64 = t2["spendings"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["amount"].as_f64()).sum())
            .unwrap_or(0.0);
        assert_eq!(spent, 2_500_000.0, "{label}: {t2}");
        let notes: Vec<String> = t3["history"]
            .as_array()
            .map(|h| {
                h.iter()
                    .filter_map(|e| e["note"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            notes.contains(&"en attente des fonds".to_string()),
            "{label}: {notes:?}"
        );

        // Thunderbird, English, from the IOM: one task, a line without its number.
        let oim = sent_to(&delivered, "oim@example.org");
        let body = format!(
            "Progress 45%\r\nnote: kits ordered\r\n\r\nOn 17/09/2025 08:00, Secrétariat CNRM wrote:\r\n{}",
            quote(&oim.text())
        );
        let raw = reply(oim, "oim@example.org", "tb1", plain(), &body);
        let (code, r, err) = s.receive(&raw);
        assert_eq!(
            (code, r["status"].as_str()),
            (0, Some("applied")),
            "{label}: {err} {r}"
        );
        assert_eq!(statuses(&s, &["c1"])[0].2, 45, "{label}");
        let got = s.smtp.wait_for(5, Duration::from_secs(10));
        let english = got
            .iter()
            .find(|m| m.header("In-Reply-To").as_deref() == Some("<tb1@client.example>"))
            .expect("the IOM's confirmation");
        assert!(
            english.text().contains("Here is what we understood"),
            "{}",
            english.text()
        );

        // HTML only: the quoted original in a <blockquote>.
        let body = "<html><body><div>3&nbsp;: fait</div><blockquote type=\"cite\"><p>1 : annulé</p><p>2 : annulé</p></blockquote></body></html>\r\n";
        let raw = reply(
            dgme,
            "dgme@example.ml",
            "html1",
            "Content-Type: text/html; charset=utf-8\r\n",
            body,
        );
        let (_, r, _) = s.receive(&raw);
        assert_eq!(r["status"], "applied", "{label}: {r}");
        assert_eq!(
            statuses(&s, &[&one, &two, &three])
                .iter()
                .map(|t| t.1.as_str())
                .collect::<Vec<_>>(),
            ["done", "in_progress", "done"],
            "{label}: nothing from the blockquote"
        );

        // The inbox tells each outcome.
        let inbox = s.inbox();
        assert_eq!(inbox.len(), 4, "{label}");
        assert!(inbox.iter().all(|m| m["status"] == "applied"), "{label}");
        assert_eq!(inbox[0]["message_id"], "<html1@client.example>");
        assert_eq!(s.smtp.received().len(), 6, "{label}: one answer per reply");
    }
}

#[test]
fn a_windows_1252_reply_is_read_in_its_charset() {
    if !require::smtp() {
        return;
    }
    let (s, delivered) = story(TestDb::sqlite());
    let dgme = sent_to(&delivered, "dgme@example.ml");
    let one = numbered(dgme, 1);
    let mut raw = reply(
        dgme,
        "dgme@example.ml",
        "cp1252",
        "Content-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n",
        "",
    );
    // `1 : terminé` and a note with accents, in Windows-1252 bytes.
    raw.extend_from_slice(b"1 : termin\xe9\r\n2 : note : r\xe9union report\xe9e\r\n");
    let (code, r, err) = s.receive(&raw);
    assert_eq!(
        (code, r["status"].as_str()),
        (0, Some("applied")),
        "{err} {r}"
    );
    assert_eq!(s.task(&one)["status"], "done");
    let two = numbered(dgme, 2);
    let history = s.task(&two)["history"].to_string();
    assert!(history.contains("réunion reportée"), "{history}");
}

#[test]
fn forged_senders_robots_duplicates_and_strangers_change_nothing() {
    if !require::smtp() {
        return;
    }
    let (s, delivered) = story(TestDb::sqlite());
    let dgme = sent_to(&delivered, "dgme@example.ml");
    let ids = [numbered(dgme, 1), numbered(dgme, 2), numbered(dgme, 3)];
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let before = statuses(&s, &ids);

    // A forged From: refused; the reminder's recipients are told, not the sender.
    let raw = reply(
        dgme,
        "intrus@evil.example",
        "forged",
        plain(),
        "1 : fait\r\n",
    );
    let (code, r, _) = s.receive(&raw);
    assert_eq!(code, 0);
    assert_eq!(r["status"], "rejected", "{r}");
    assert_eq!(r["reason"], "sender_not_recipient");
    assert_eq!(statuses(&s, &ids), before);
    let got = s.smtp.wait_for(3, Duration::from_secs(10));
    assert_eq!(got.len(), 3);
    let warning = &got[2];
    assert!(
        warning.to.contains(&"dgme@example.ml".to_string())
            && !warning.to.contains(&"intrus@evil.example".to_string()),
        "{:?}",
        warning.to
    );
    assert!(
        warning.text().contains("intrus@evil.example"),
        "{}",
        warning.text()
    );

    // An out-of-office robot: ignored, nothing sent back.
    let raw = reply(
        dgme,
        "dgme@example.ml",
        "ooo",
        &format!("Auto-Submitted: auto-replied\r\n{}", plain()),
        "Je suis absent jusqu'au 30. 1 : fait\r\n",
    );
    let (_, r, _) = s.receive(&raw);
    assert_eq!(
        (r["status"].as_str(), r["reply_queued"].as_bool()),
        (Some("ignored"), Some(false))
    );
    let raw = reply(dgme, "dgme@example.ml", "ooo2", plain(), "1 : fait\r\n");
    let raw = String::from_utf8(raw)
        .expect("utf8")
        .replace("Subject: RE: ", "Subject: Réponse automatique : ")
        .into_bytes();
    let (_, r, _) = s.receive(&raw);
    assert_eq!(r["status"], "ignored", "{r}");
    assert_eq!(statuses(&s, &ids), before);

    // The same reply twice: applied once, answered once.
    let raw = reply(
        dgme,
        "dgme@example.ml",
        "twice",
        plain(),
        "2 : avancement 30\r\n",
    );
    let (_, first, _) = s.receive(&raw);
    let (code, second, _) = s.receive(&raw);
    assert_eq!(first["status"], "applied");
    assert_eq!((code, second["status"].as_str()), (0, Some("duplicate")));
    assert_eq!(second["reply_queued"], false);
    let history = s.task(ids[1])["history"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        history
            .iter()
            .filter(|e| e["actor"] == "dgme@example.ml")
            .count(),
        1
    );

    // Two receivers at once with the same message: one applies it.
    let raw = reply(
        dgme,
        "dgme@example.ml",
        "race",
        plain(),
        "3 : note : en parallèle\r\n",
    );
    let spawn = || {
        let mut child = s
            .cnrm(LATER)
            .args(["mail", "receive", "--format", "json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&raw)
            .expect("write");
        child
    };
    let (a, b) = (spawn(), spawn());
    let outcomes: Vec<String> = [a, b]
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().expect("ends");
            json(&stdout(&out))["status"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let mut sorted = outcomes.clone();
    sorted.sort();
    assert_eq!(sorted, ["applied", "duplicate"], "{outcomes:?}");

    // A stranger's message that answers nothing: rejected, no answer (no backscatter).
    let stranger = b"From: someone@elsewhere.example\r\nTo: cnrm-retours@example.ml\r\nSubject: Bonjour\r\nMessage-ID: <stranger@elsewhere.example>\r\n\r\n1 : fait\r\n";
    let (_, r, _) = s.receive(stranger);
    assert_eq!(
        (r["status"].as_str(), r["reason"].as_str()),
        (Some("rejected"), Some("not_a_reply"))
    );
    assert_eq!(r["reply_queued"], false);
    // An owner's message that answers nothing: rejected, and told so.
    let lost = b"From: dgme@example.ml\r\nTo: cnrm-retours@example.ml\r\nSubject: Point\r\nMessage-ID: <lost@example.ml>\r\n\r\n1 : fait\r\n";
    let (_, r, _) = s.receive(lost);
    assert_eq!(
        (r["status"].as_str(), r["reply_queued"].as_bool()),
        (Some("rejected"), Some(true))
    );

    // Not a message at all: rejected with its reason, never a panic.
    let (code, r, err) = s.receive(b"\x00\x01garbage without headers");
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["status"], "rejected", "{r}");
    // Told in words: no empty sender (`message de  refusé`).
    let garbage = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(garbage.path(), b"\x00\x01garbage without headers").expect("write");
    let (code, out, err) = exec(
        s.cnrm(LATER)
            .args(["mail", "receive", "--file"])
            .arg(garbage.path()),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("message sans expéditeur lisible "), "{out}");

    // Every message has its row, duplicates excepted; the inbox filters by status.
    let inbox = s.inbox();
    assert_eq!(inbox.len(), 8, "{inbox:?}");
    let (code, out, _) = exec(
        s.cnrm(LATER)
            .args(["inbox", "--status", "ignoré", "--format", "json"]),
    );
    assert_eq!(code, 0);
    assert_eq!(json(&out).as_array().map(Vec::len), Some(2));
    // Delivered: the 2 reminders, then the forged warning and the answers to "twice", "race"
    // and the owner's lost message.
    assert_eq!(s.smtp.wait_for(6, Duration::from_secs(10)).len(), 6);
    assert_eq!(statuses(&s, &[ids[0]]), [before[0].clone()]);
}

#[test]
fn bad_instructions_and_archived_tasks_are_said_and_change_nothing_of_theirs() {
    if !require::smtp() {
        return;
    }
    let (s, delivered) = story(TestDb::sqlite());
    let dgme = sent_to(&delivered, "dgme@example.ml");
    let (one, two, three) = (numbered(dgme, 1), numbered(dgme, 2), numbered(dgme, 3));

    // `avancement 150` alone: nothing applied, the member is told why.
    let raw = reply(
        dgme,
        "dgme@example.ml",
        "range",
        plain(),
        "1 : avancement 150\r\n",
    );
    let (_, r, _) = s.receive(&raw);
    assert_eq!(r["status"], "rejected", "{r}");
    assert_eq!(r["reason"], "nothing_understood");
    assert_eq!(
        r["not_understood"],
        serde_json::json!(["1 : avancement 150"])
    );
    assert_eq!(s.task(&one)["progress"], 0);
    let got = s.smtp.wait_for(3, Duration::from_secs(10));
    assert!(got[2].text().contains("de 0 à 100"), "{}", got[2].text());

    // The plan without the third task: a reply about it is refused for that line only.
    let without: String = PLAN
        .lines()
        .filter(|l| !l.contains(&format!("id: {three},")))
        .map(|l| format!("{l}\n"))
        .collect();
    let file = write_plan(s._dir.path(), "sans.yaml", &without);
    let (code, _, err) = exec(cnrm_db(&s.db, LATER).args(["plan", "apply", &file]));
    assert_eq!(code, 0, "{err}");
    let body =
        format!("3 : fait\r\n{two} : fait\r\nMerci pour le suivi et bonne journée à vous\r\n");
    let raw = reply(dgme, "dgme@example.ml", "archived", plain(), &body);
    let (_, r, _) = s.receive(&raw);
    assert_eq!(r["status"], "applied", "{r}");
    assert_eq!(
        r["not_understood"],
        serde_json::json!(["3 : fait", "Merci pour le suivi et bonne journée à vous"])
    );
    assert_eq!(s.task(&two)["status"], "done");
    assert_eq!(s.task(&three)["status"], "todo");
    // A task the message did not list cannot be changed by it.
    let raw = reply(dgme, "dgme@example.ml", "other", plain(), "b4 : fait\r\n");
    let (_, r, _) = s.receive(&raw);
    assert_eq!(r["status"], "rejected", "{r}");
    assert_eq!(s.task("b4")["status"], "todo");
}

#[test]
fn without_a_reply_address_replies_are_matched_by_in_reply_to() {
    if !require::smtp() {
        return;
    }
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().expect("dir");
    let file = write_plan(dir.path(), "retours.yaml", PLAN);
    let (code, _, err) = exec(cnrm_db(&db, "2025-09-01").args(["plan", "apply", &file]));
    assert_eq!(code, 0, "{err}");
    // No SMTP at all: the reminders wait in the outbox; the reply is matched by its thread.
    let (_, _, _) = exec(cnrm_db(&db, DAY).args(["remind"]));
    let (code, out, err) = exec(cnrm_db(&db, DAY).args(["outbox", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let outbox = json(&out);
    assert_eq!(outbox.as_array().map(Vec::len), Some(2), "{outbox}");
    let conn = format!("sqlite://{}", db.url);
    let message_id: String = crate::common::db::block_on(async {
        use sqlx::{Connection, Row};
        let mut c = sqlx::SqliteConnection::connect(&conn).await.expect("db");
        sqlx::query("SELECT message_id FROM outbox WHERE recipients LIKE '%oim@%'")
            .fetch_one(&mut c)
            .await
            .expect("row")
            .try_get(0)
            .expect("id")
    });
    let raw = format!("From: oim@example.org\r\nTo: cnrm@cnrm.local\r\nSubject: Re: Reminder\r\nMessage-ID: <noreplyto@x>\r\nIn-Reply-To: {message_id}\r\n\r\ndone\r\n");
    let mut child = cnrm_db(&db, LATER)
        .args(["mail", "receive", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(raw.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("ends");
    let r = json(&stdout(&out));
    assert_eq!(
        (r["status"].as_str(), r["reply_queued"].as_bool()),
        (Some("applied"), Some(true)),
        "{r}"
    );
    let (_, out, _) = exec(cnrm_db(&db, LATER).args(["task", "show", "c1", "--format", "json"]));
    assert_eq!(json(&out)["status"], "done");
    // The answer waits in the outbox, threaded.
    let (_, out, _) = exec(cnrm_db(&db, LATER).args(["outbox", "--format", "json"]));
    let answers: Vec<Value> = json(&out)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m["kind"] == "answer")
        .collect();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0]["status"], "pending");
    assert_eq!(answers[0]["to"], serde_json::json!(["oim@example.org"]));
}

#[test]
fn an_unreachable_database_exits_75_and_a_missing_file_is_misuse() {
    let mut child = cnrm()
        .env("CNRM_DATABASE_URL", "postgres://postgres@127.0.0.1:1/cnrm")
        .args(["mail", "receive"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"From: a@b.ml\r\nMessage-ID: <x@y>\r\n\r\nfait\r\n")
        .expect("write");
    let out = child.wait_with_output().expect("ends");
    assert_eq!(out.status.code(), Some(75), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("code 75") && err.lines().count() == 1, "{err}");
    let out = run(&[
        "mail",
        "receive",
        "--file",
        "/no/such/message.eml",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: cannot read the message /no/such/message.eml: no such file or folder\n"
    );
}

#[test]
fn postponement_requests_are_notes_for_the_secretariat_and_never_move_a_deadline() {
    if !require::smtp() {
        return;
    }
    let (s, delivered) = story(TestDb::sqlite());
    let dgme = sent_to(&delivered, "dgme@example.ml");
    let two = numbered(dgme, 2);
    let raw = reply(
        dgme,
        "dgme@example.ml",
        "postpone",
        plain(),
        "2 : report : T1 2026\r\n",
    );
    let (_, r, _) = s.receive(&raw);
    assert_eq!(r["status"], "applied", "{r}");
    assert_eq!(
        r["changes"],
        serde_json::json!([{"task": two, "kind": "postpone_request", "value": "T1 2026"}])
    );
    let t = s.task(&two);
    assert_eq!(t["deadline"], "2025-10-01", "{t}");
    assert!(t["history"].to_string().contains("T1 2026"), "{t}");
    let inbox = s.inbox();
    assert_eq!(inbox[0]["postpone_pending"], true);
    let answer = s.smtp.wait_for(3, Duration::from_secs(10));
    assert!(
        answer[2].text().contains("transmise au secrétariat"),
        "{}",
        answer[2].text()
    );
    // The secretariat's next digest lists it, once.
    let (code, _, err) = exec(s.cnrm(LATER).args(["remind", "--digest"]));
    assert_eq!(code, 0, "{err}");
    let got = s.smtp.wait_for(5, Duration::from_secs(10));
    let digest = got
        .iter()
        .find(|m| m.to.iter().any(|t| t == "st@example.ml"))
        .expect("a digest to the secretariat");
    let text = digest.text();
    assert!(
        text.contains("Demandes de report reçues par courriel") && text.contains("T1 2026"),
        "{text}"
    );
    assert_eq!(s.inbox()[0]["postpone_pending"], false);
}

#[test]
fn a_reply_with_a_20_mb_attachment_is_read_from_a_file() {
    if !require::smtp() {
        return;
    }
    let (s, delivered) = story(TestDb::sqlite());
    let dgme = sent_to(&delivered, "dgme@example.ml");
    let one = numbered(dgme, 1);
    // 20 MB of zero bytes in base64, as a client attaches a scanned report.
    let line = "A".repeat(76) + "\r\n";
    let attachment = line.repeat(20 * 1024 * 1024 / 57);
    let body = format!(
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n1 : fait, rapport joint\r\n--b1\r\nContent-Type: application/pdf; name=rapport.pdf\r\nContent-Disposition: attachment; filename=rapport.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n{attachment}--b1--\r\n"
    );
    let raw = reply(
        dgme,
        "dgme@example.ml",
        "big",
        "Content-Type: multipart/mixed; boundary=b1\r\n",
        &body,
    );
    let path = s._dir.path().join("big.eml");
    std::fs::write(&path, &raw).expect("write");
    let (code, out, err) = exec(s.cnrm(LATER).args([
        "mail",
        "receive",
        "--format",
        "json",
        "--file",
        &path.to_string_lossy(),
    ]));
    assert_eq!(code, 0, "{err}");
    let r = json(&out);
    assert_eq!(r["status"], "applied", "{r}");
    assert_eq!(s.task(&one)["status"], "done");
    // The inbox keeps the text, not the attachment.
    let inbox = s.inbox();
    assert!(inbox[0]["text"].as_str().map_or(0, str::len) < 1000);
}
