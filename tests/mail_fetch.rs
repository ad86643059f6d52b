//! `mail fetch` against a real Dovecot on 127.0.0.1 (`common::imap`): the IMAP client of the
//! engine on its own (what it reads, what it marks `\Seen`, what it leaves for later, its
//! sentences, TLS with a certificate trusted explicitly).

use crate::common::db::{block_on, TestDb};
use crate::common::imap::{Dovecot, PASSWORD, USER};
use crate::common::require;
use crate::common::smtp::SmtpServer;
use crate::common::{cnrm, cnrm_db, exec, write_plan};
use cnrm_engine::imap::{self, ImapConfig, NotRecorded};
use cnrm_engine::Lang;

fn message(n: usize) -> Vec<u8> {
    format!(
        "From: Membre <membre{n}@example.ml>\r\nTo: cnrm-retours@example.ml\r\nSubject: Re: [CNRM] Rappel {n}\r\nMessage-ID: <reply-{n}@example.ml>\r\nDate: Thu, 03 Dec 2026 08:00:00 +0000\r\n\r\nfait {n}\r\n"
    )
    .into_bytes()
}

fn config(server: &Dovecot, lang: Lang) -> ImapConfig {
    let ca = server.cert();
    let ca = ca.exists().then_some(ca);
    let password = std::fs::read_to_string(server.password_file()).expect("password file");
    assert_eq!(password.trim_end(), PASSWORD);
    ImapConfig::new(&server.url(), Some(password.trim_end().into()), ca, lang).expect("config")
}

/// The `n` of each message's `fait n` line.
fn numbers(raws: &[Vec<u8>]) -> Vec<usize> {
    raws.iter()
        .map(|raw| {
            let text = String::from_utf8_lossy(raw);
            let line = text.lines().find(|l| l.starts_with("fait ")).expect("body");
            line["fait ".len()..].trim().parse().expect("number")
        })
        .collect()
}

#[test]
fn unseen_messages_are_read_whole_and_marked_seen_once_processed() {
    if !require::imap() {
        return;
    }
    let mut server = Dovecot::start();
    for n in 1..=3 {
        server.deliver(&message(n));
    }
    let cfg = config(&server, Lang::Fr);
    let report = block_on(imap::fetch(&cfg, &|_, _| {}, |raw| async move {
        Ok::<_, NotRecorded>(raw)
    }))
    .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(numbers(&report.processed), vec![1, 2, 3]);
    assert_eq!(report.processed[0], message(1), "the bytes as delivered");
    assert_eq!((report.left_unseen, report.stopped), (0, None));
    assert_eq!(server.seen_unseen(), (3, 0));
    // Seen messages are not read again; a new one is.
    server.deliver(&message(4));
    let again = block_on(imap::fetch(&cfg, &|_, _| {}, |raw| async move {
        Ok::<_, NotRecorded>(raw)
    }))
    .expect("second pass");
    assert_eq!(numbers(&again.processed), vec![4]);
    assert_eq!(server.seen_unseen(), (4, 0));
}

#[test]
fn a_message_that_cannot_be_recorded_now_stays_unseen_with_those_after_it() {
    if !require::imap() {
        return;
    }
    let mut server = Dovecot::start();
    for n in 1..=4 {
        server.deliver(&message(n));
    }
    let cfg = config(&server, Lang::En);
    let report = block_on(imap::fetch(&cfg, &|_, _| {}, |raw| async move {
        if numbers(std::slice::from_ref(&raw)) == [3] {
            Err(NotRecorded::TryLater("the database is out of reach".into()))
        } else {
            Ok(raw)
        }
    }))
    .expect("pass");
    assert_eq!(numbers(&report.processed), vec![1, 2]);
    assert_eq!(report.left_unseen, 2);
    assert_eq!(
        report.stopped.as_deref(),
        Some("the database is out of reach")
    );
    assert_eq!(server.seen_unseen(), (2, 2));
    // The next pass takes them.
    let next = block_on(imap::fetch(&cfg, &|_, _| {}, |raw| async move {
        Ok::<_, NotRecorded>(raw)
    }))
    .expect("next pass");
    assert_eq!(numbers(&next.processed), vec![3, 4]);
    assert_eq!(server.seen_unseen(), (4, 0));
}

#[test]
fn imaps_with_the_servers_own_certificate_trusted_explicitly() {
    if !require::imap() {
        return;
    }
    let mut server = Dovecot::start_tls();
    server.deliver(&message(7));
    let cfg = config(&server, Lang::Fr);
    assert!(cfg.url.tls);
    let report = block_on(imap::fetch(&cfg, &|_, _| {}, |raw| async move {
        Ok::<_, NotRecorded>(raw)
    }))
    .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(numbers(&report.processed), vec![7]);
    assert_eq!(server.seen_unseen(), (1, 0));
    // Without the certificate, the usual authorities do not know it: one sentence, nothing read.
    server.deliver(&message(8));
    let untrusted =
        ImapConfig::new(&server.url(), Some(PASSWORD.into()), None, Lang::Fr).expect("config");
    let e = block_on(imap::fetch(&untrusted, &|_, _| {}, |raw| async move {
        Ok::<_, NotRecorded>(raw)
    }))
    .expect_err("untrusted certificate");
    assert_eq!(
        e,
        format!(
            "la connexion chiffrée (TLS) au serveur IMAP 127.0.0.1:{} a échoué\u{a0}: son certificat n'est pas reconnu (autorité inconnue, nom ou date qui ne conviennent pas\u{a0}; un certificat à faire confiance peut être donné par CNRM_IMAP_CA_FILE)",
            server.port
        )
    );
    assert_eq!(server.seen_unseen(), (1, 1));
}

#[test]
fn a_wrong_password_a_missing_mailbox_and_no_server_are_one_sentence_each() {
    if !require::imap() {
        return;
    }
    let mut server = Dovecot::start();
    server.deliver(&message(1));
    let port = server.port;
    let wrong = ImapConfig::new(
        &server.url(),
        Some("n0t-the-password".into()),
        None,
        Lang::Fr,
    )
    .expect("config");
    let e = block_on(imap::fetch(&wrong, &|_, _| {}, |raw| async move {
        Ok::<_, NotRecorded>(raw)
    }))
    .expect_err("wrong password");
    assert_eq!(
        e,
        format!("le serveur IMAP 127.0.0.1:{port} refuse l'utilisateur {USER} ou son mot de passe")
    );
    assert!(!e.contains("n0t-the-password"));
    let url = format!("imap://{USER}@127.0.0.1:{port}/Archives");
    let missing = ImapConfig::new(&url, Some(PASSWORD.into()), None, Lang::En).expect("config");
    let e = block_on(imap::fetch(&missing, &|_, _| {}, |raw| async move {
        Ok::<_, NotRecorded>(raw)
    }))
    .expect_err("missing mailbox");
    assert_eq!(
        e,
        format!("the IMAP server 127.0.0.1:{port} has no mailbox Archives (the name comes from CNRM_IMAP_URL, after the /)")
    );
    assert_eq!(server.seen_unseen(), (0, 1));
    drop(server);
    let gone = ImapConfig::new(
        &format!("imap://{USER}@127.0.0.1:{port}/INBOX"),
        Some(PASSWORD.into()),
        None,
        Lang::En,
    )
    .expect("config");
    let e = block_on(imap::fetch(&gone, &|_, _| {}, |raw| async move {
        Ok::<_, NotRecorded>(raw)
    }))
    .expect_err("no server");
    assert_eq!(
        e,
        format!("the IMAP server 127.0.0.1:{port} does not answer (check CNRM_IMAP_URL and the network)")
    );
}

// ---- `cnrm mail fetch`, the whole path: a real reminder, replies in Dovecot, the inbox ----

const PLAN: &str = r#"version: 1
plan:
  id: retours
  title: Plan de test des retours
  period: { start: 2025-01-01, end: 2025-12-31 }
  secretariat: st
owners:
  - { id: st, name: Secrétariat technique, email: st@example.ml }
  - { id: dgme, name: Délégation générale, email: dgme@example.ml }
priorities:
  - id: axe-1
    title: Accueil
    tasks:
      - { id: a1, title: Adopter le règlement, owner: dgme, deadline: 2025-09-30 }
      - { id: a2, title: Centre de Kayes, owner: dgme, deadline: 2025-09-30 }
"#;

pub(crate) const DAY: &str = "2025-09-30";

pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON expected ({e}): {text}"))
}

/// The plan applied and its reminder sent through the test SMTP server: the reminder's
/// Message-ID.
pub(crate) fn reminder_sent(db: &TestDb) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("dir");
    let file = write_plan(dir.path(), "retours.yaml", PLAN);
    let (code, _, err) = exec(cnrm_db(db, DAY).args(["plan", "apply", &file]));
    assert_eq!(code, 0, "{err}");
    let smtp = SmtpServer::start();
    let (code, _, err) = exec(
        cnrm_db(db, DAY)
            .env("CNRM_SMTP_URL", smtp.url())
            .env("CNRM_SMTP_FROM", "Secrétariat CNRM <cnrm@example.ml>")
            .args(["remind"]),
    );
    assert_eq!(code, 0, "{err}");
    let sent = smtp.wait_for(1, std::time::Duration::from_secs(30));
    let reminder = sent
        .iter()
        .find(|m| m.to.iter().any(|t| t == "dgme@example.ml"))
        .expect("the reminder to dgme");
    let id = reminder.header("Message-ID").expect("a Message-ID");
    (dir, id)
}

/// A member's reply to `reminder`, as a mail client builds it (quoted original below).
pub(crate) fn reply(n: usize, reminder: &str, from: &str, body: &str, extra: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: cnrm@example.ml\r\nSubject: RE: [CNRM] Rappel\r\nMessage-ID: <reply-{n}@mail.example.ml>\r\nIn-Reply-To: {reminder}\r\nReferences: {reminder}\r\nDate: Tue, 30 Sep 2025 10:{:02}:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n{extra}\r\n{body}\r\n\r\nLe mar. 30 sept. 2025 à 08:00, Secrétariat CNRM <cnrm@example.ml> a écrit :\r\n> 1. a1 — Adopter le règlement\r\n> 2. a2 — Centre de Kayes\r\n",
        n % 60
    )
    .into_bytes()
}

/// `cnrm mail fetch` on the server's mailbox (password from a file), at DAY.
fn fetch(db: &TestDb, server: &Dovecot, args: &[&str]) -> (i32, String, String) {
    exec(
        cnrm_db(db, DAY)
            .env("CNRM_IMAP_URL", server.url())
            .env("CNRM_IMAP_PASSWORD_FILE", server.password_file())
            .args(["mail", "fetch"])
            .args(args),
    )
}

pub(crate) fn task_json(db: &TestDb) -> Vec<serde_json::Value> {
    let (code, out, err) = exec(cnrm_db(db, DAY).args(["tasks", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    json(&out).as_array().cloned().expect("array")
}

pub(crate) fn inbox_json(db: &TestDb) -> Vec<serde_json::Value> {
    let (code, out, err) = exec(cnrm_db(db, DAY).args(["inbox", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    json(&out).as_array().cloned().expect("array")
}

#[test]
fn mail_fetch_applies_the_unseen_replies_marks_them_seen_and_a_second_run_applies_nothing() {
    if !(require::imap() && require::smtp()) {
        return;
    }
    for db in TestDb::all() {
        let (_dir, reminder) = reminder_sent(&db);
        let mut server = Dovecot::start();
        let member = "Awa Traoré <dgme@example.ml>";
        server.deliver(&reply(
            1,
            &reminder,
            member,
            "1 : fait\r\n2 : avancement 40 %",
            "",
        ));
        server.deliver(&reply(
            2,
            &reminder,
            "Intrus <intrus@example.net>",
            "1 : annulé",
            "",
        ));
        server.deliver(&reply(
            3,
            &reminder,
            member,
            "Je suis absente jusqu'au 15 octobre.",
            "Auto-Submitted: auto-replied\r\n",
        ));
        // The same message delivered twice (a server retrying).
        server.deliver(&reply(
            1,
            &reminder,
            member,
            "1 : fait\r\n2 : avancement 40 %",
            "",
        ));
        let (code, out, err) = fetch(&db, &server, &["--format", "json"]);
        assert_eq!(code, 0, "{}: {err}\n{}", db.label, server.log());
        let summary = json(&out);
        let counts: Vec<u64> = ["applied", "rejected", "ignored", "duplicate", "left_unseen"]
            .iter()
            .map(|k| summary[k].as_u64().unwrap_or(99))
            .collect();
        assert_eq!(counts, [1, 1, 1, 1, 0], "{}: {out}", db.label);
        assert_eq!(summary["messages"].as_array().map(Vec::len), Some(4));
        assert_eq!(
            err.trim(),
            "4 messages lus\u{a0}: 1 appliqué, 1 refusé, 1 ignoré, 1 en double",
            "{}",
            db.label
        );
        assert_eq!(server.seen_unseen(), (4, 0), "{}", db.label);
        let tasks = task_json(&db);
        let by_id = |id: &str| tasks.iter().find(|t| t["id"] == id).cloned().expect(id);
        assert_eq!(by_id("a1")["status"], "done", "{}", db.label);
        assert_eq!(by_id("a2")["progress"], 40, "{}", db.label);
        let inbox = inbox_json(&db);
        let mut statuses: Vec<&str> = inbox.iter().filter_map(|r| r["status"].as_str()).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, ["applied", "ignored", "rejected"], "{}", db.label);
        for text in [&out, &err] {
            assert!(
                !text.contains(PASSWORD),
                "{}: the password leaked: {text}",
                db.label
            );
        }

        // Nothing unseen: nothing read, nothing changed.
        let (code, out, err) = fetch(&db, &server, &["--lang", "en"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.trim(), "no unseen message in the mailbox INBOX");
        assert_eq!(inbox_json(&db).len(), 3, "{}", db.label);
        // A new reply is read, the seen ones are not.
        server.deliver(&reply(5, &reminder, member, "2 : avancement 70", ""));
        let (code, out, err) = fetch(&db, &server, &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            out.trim(),
            "1 message lu\u{a0}: 1 appliqué, 0 refusé, 0 ignoré, 0 en double"
        );
        assert_eq!(
            task_json(&db).iter().find(|t| t["id"] == "a2").expect("a2")["progress"],
            70
        );
        assert_eq!(server.seen_unseen(), (5, 0));
    }
}

#[test]
fn two_fetches_at_once_on_one_mailbox_apply_each_reply_once() {
    if !(require::imap() && require::smtp()) {
        return;
    }
    for db in TestDb::all() {
        let (_dir, reminder) = reminder_sent(&db);
        let mut server = Dovecot::start();
        let n = 30;
        for i in 1..=n {
            let body = format!("1 : note : relance {i}");
            server.deliver(&reply(100 + i, &reminder, "dgme@example.ml", &body, ""));
        }
        let command = || {
            let mut c = cnrm_db(&db, DAY);
            c.env("CNRM_IMAP_URL", server.url())
                .env("CNRM_IMAP_PASSWORD_FILE", server.password_file())
                .args(["mail", "fetch", "--format", "json"]);
            c
        };
        let spawn = |mut c: std::process::Command| {
            c.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let (a, b) = (spawn(command()), spawn(command()));
        let (a, b) = (
            a.wait_with_output().expect("a"),
            b.wait_with_output().expect("b"),
        );
        // A run whose database was busy for a moment leaves the rest unseen (exit 1); a third
        // run takes what is left.
        let (code, _, err) = exec(&mut command());
        assert_eq!(code, 0, "{}: {err}", db.label);
        let applied: u64 = [&a, &b]
            .iter()
            .filter_map(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok())
            .map(|s| s["applied"].as_u64().unwrap_or(0))
            .sum();
        let inbox = inbox_json(&db);
        assert_eq!(inbox.len(), n, "{}: one inbox row per reply", db.label);
        assert!(
            inbox.iter().all(|r| r["status"] == "applied"),
            "{}: {inbox:?}",
            db.label
        );
        assert!(applied <= n as u64, "{}: {applied} applied", db.label);
        // One note event per reply, never two.
        let (code, out, err) =
            exec(cnrm_db(&db, DAY).args(["task", "show", "a1", "--format", "json"]));
        assert_eq!(code, 0, "{err}");
        let notes = out.matches("relance ").count();
        assert_eq!(notes, n, "{}: each note once: {out}", db.label);
        assert_eq!(server.seen_unseen(), (n, 0), "{}", db.label);
    }
}

#[test]
fn a_database_out_of_reach_leaves_every_message_unseen() {
    if !require::imap() {
        return;
    }
    let mut server = Dovecot::start();
    server.deliver(&reply(1, "<x@example.ml>", "dgme@example.ml", "fait", ""));
    let (code, _, err) = exec(
        cnrm()
            .env("CNRM_DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")
            .env("CNRM_IMAP_URL", server.url())
            .env("CNRM_IMAP_PASSWORD_FILE", server.password_file())
            .args(["mail", "fetch"]),
    );
    assert_ne!(code, 0, "{err}");
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
    assert_eq!(server.seen_unseen(), (0, 1));
}

#[test]
fn mail_fetch_refuses_a_missing_or_bad_url_in_one_sentence() {
    let db = TestDb::sqlite();
    let (code, _, err) = exec(cnrm_db(&db, DAY).args(["mail", "fetch"]));
    assert_eq!(code, 2);
    assert!(err.contains("CNRM_IMAP_URL n'est pas défini"), "{err}");
    let (code, _, err) = exec(
        cnrm_db(&db, DAY)
            .env("CNRM_IMAP_URL", "imap://u:Secr3t@mail.example.ml/INBOX")
            .args(["mail", "fetch", "--lang", "en"]),
    );
    assert_eq!(code, 2);
    assert!(!err.contains("Secr3t"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("use imaps://"), "{err}");
}

/// Waits (at most a minute) until `done` holds; false if it never did.
pub(crate) fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(60) {
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

pub(crate) fn terminate(child: std::process::Child) -> std::process::ExitStatus {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut child = child;
    child.wait().expect("exit")
}

#[test]
fn the_daemon_reads_the_mailbox_and_a_failing_server_does_not_stop_it() {
    if !(require::imap() && require::smtp()) {
        return;
    }
    let db = TestDb::sqlite();
    let (dir, reminder) = reminder_sent(&db);
    let daemon = |url: &str, password: &std::path::Path, log: &std::path::Path| {
        cnrm()
            .env("CNRM_DATABASE_URL", &db.url)
            .env("CNRM_IMAP_URL", url)
            .env("CNRM_IMAP_PASSWORD_FILE", password)
            .env("CNRM_LOG", "info")
            .env("CNRM_LANG", "en")
            .args(["daemon"])
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(log).expect("log file"))
            .spawn()
            .expect("spawn")
    };
    // A server out of reach: the failure is logged, and the daemon goes on.
    let password = dir.path().join("imap-password");
    std::fs::write(&password, format!("{PASSWORD}\n")).expect("password file");
    let port = crate::common::smtp::free_port();
    let log = dir.path().join("daemon-1.log");
    let mut child = daemon(
        &format!("imap://{USER}@127.0.0.1:{port}/INBOX"),
        &password,
        &log,
    );
    let read = || std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        eventually(|| read().contains("the mailbox could not be read")),
        "{}",
        read()
    );
    assert!(
        child.try_wait().expect("wait").is_none(),
        "still running: {}",
        read()
    );
    let status = terminate(child);
    assert_eq!(status.code(), Some(0), "{}", read());
    assert!(
        read().contains(&format!("the IMAP server 127.0.0.1:{port} does not answer")),
        "{}",
        read()
    );
    assert!(!read().contains(PASSWORD), "{}", read());

    // A server with a reply waiting: read at once, applied, marked seen.
    let mut server = Dovecot::start();
    server.deliver(&reply(
        1,
        &reminder,
        "dgme@example.ml",
        "1 : en cours\r\n2 : avancement 25",
        "",
    ));
    let log = dir.path().join("daemon-2.log");
    let child = daemon(&server.url(), &server.password_file(), &log);
    let read = || std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        eventually(|| server.seen_unseen() == (1, 0)),
        "{}\n{}",
        read(),
        server.log()
    );
    assert!(eventually(|| read().contains("mailbox read")), "{}", read());
    let status = terminate(child);
    assert_eq!(status.code(), Some(0), "{}", read());
    let inbox = inbox_json(&db);
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0]["status"], "applied");
    let tasks = task_json(&db);
    assert_eq!(
        tasks.iter().find(|t| t["id"] == "a2").expect("a2")["progress"],
        25
    );
    assert!(!read().contains(PASSWORD), "{}", read());
}

/// The figure of `docs/performance.md`: `mail fetch` on a mailbox of 1,000 replies. Run by hand
/// (`CNRM_BENCH_BIN=target/release/cnrm cargo test --test e2e mail_fetch::measure -- --ignored
/// --nocapture`); it checks
/// that every reply was applied once and prints messages per second.
#[test]
#[ignore]
fn measure_mail_fetch_on_1000_messages() {
    if !(require::imap() && require::smtp()) {
        return;
    }
    let n = 1000;
    // The IMAP exchange alone (read, mark seen; nothing recorded), for comparison.
    let mut alone = Dovecot::start();
    for i in 0..n {
        alone.deliver(&reply(
            1000 + i,
            "<m@example.ml>",
            "dgme@example.ml",
            "fait",
            "",
        ));
    }
    let cfg = config(&alone, Lang::Fr);
    let start = std::time::Instant::now();
    let report = block_on(imap::fetch(&cfg, &|_, _| {}, |raw| async move {
        Ok::<_, NotRecorded>(raw.len())
    }))
    .expect("pass");
    let elapsed = start.elapsed().as_secs_f64();
    assert_eq!(report.processed.len(), n);
    println!(
        "IMAP alone, {n} messages: {elapsed:.2} s, {:.0} messages/s",
        n as f64 / elapsed
    );
    let mut dbs = vec![TestDb::sqlite()];
    dbs.extend(TestDb::postgres());
    for db in dbs {
        let (_dir, reminder) = reminder_sent(&db);
        let mut server = Dovecot::start();
        for i in 0..n {
            let body = format!("1 : avancement {}\r\n2 : note : relance {i}", i % 100);
            server.deliver(&reply(1000 + i, &reminder, "dgme@example.ml", &body, ""));
        }
        // The binary measured: CNRM_BENCH_BIN (a release build), else the tests' own.
        let mut command = match std::env::var_os("CNRM_BENCH_BIN") {
            Some(bin) => {
                let mut c = std::process::Command::new(bin);
                c.env("CNRM_CONFIG", crate::common::fixture("no-such-config.yaml"))
                    .env("CNRM_DATABASE_URL", &db.url)
                    .env("CNRM_NOW", DAY);
                c
            }
            None => cnrm_db(&db, DAY),
        };
        command
            .env("CNRM_IMAP_URL", server.url())
            .env("CNRM_IMAP_PASSWORD_FILE", server.password_file())
            .args(["mail", "fetch", "--format", "json"]);
        let start = std::time::Instant::now();
        let (code, out, err) = exec(&mut command);
        let elapsed = start.elapsed().as_secs_f64();
        assert_eq!(code, 0, "{err}");
        assert_eq!(json(&out)["applied"], n, "{err}");
        assert_eq!(server.seen_unseen(), (n, 0));
        println!(
            "mail fetch, {n} messages, {}: {elapsed:.2} s, {:.0} messages/s",
            db.label,
            n as f64 / elapsed
        );
    }
}
