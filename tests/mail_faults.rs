//! The fault suite of the mailbox path (issue 28): a misbehaving IMAP server written in the
//! tests (`common::fault_imap`) against `cnrm mail fetch` and `cnrm daemon`, run under a 1 GB
//! address-space limit (`ulimit -v`): no abort, a bounded pass, one sentence; no reply lost
//! (`BODY[] NIL` is never marked seen); a valid reply behind a bad one is applied. And poison
//! messages (NUL bytes in a body, a subject, an HTML entity) on SQLite and PostgreSQL, through
//! `cnrm mail receive` and through a real Dovecot.

use crate::common::db::TestDb;
use crate::common::fault_imap::{Fault, FaultImap};
use crate::common::imap::Dovecot;
use crate::common::smtp::SmtpServer;
use crate::common::{exec, require, root};
use crate::mail_fetch::{
    eventually, inbox_json, json, reminder_sent, reply, task_json, terminate, DAY,
};
use std::process::Command;

/// The address-space limit of every command here (kB): 1 GB, as the campaign runs them.
const LIMIT_KB: &str = "1000000";

/// `cnrm` under `ulimit -v`, with the tests' clean environment, against `db` at DAY.
fn limited(db: &TestDb) -> Command {
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(format!("ulimit -v {LIMIT_KB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_cnrm"));
    for var in [
        "CNRM_LANG",
        "CNRM_ACTOR",
        "NO_COLOR",
        "CNRM_IMAP_PASSWORD_FILE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env(
        "CNRM_CONFIG",
        root().join("tests/fixtures/no-such-config.yaml"),
    )
    .env("CNRM_DATABASE_URL", &db.url)
    .env("CNRM_NOW", DAY)
    .env("CNRM_ACTOR", "secretariat")
    // Short steps, so that a silent server costs the suite seconds, not minutes.
    .env("CNRM_IMAP_TIMEOUT", "2")
    .current_dir(root());
    cmd
}

/// `cnrm mail fetch` (JSON on stdout, sentences on stderr) on the fault server.
fn fetch(db: &TestDb, server: &FaultImap) -> (i32, String, String) {
    exec(
        limited(db)
            .env("CNRM_IMAP_URL", server.url())
            .args(["mail", "fetch", "--format", "json"]),
    )
}

/// Nothing of a crash on stderr: no panic, no allocation failure, no signal.
fn no_abort(code: i32, err: &str) {
    assert!((0..=2).contains(&code), "exit {code}: {err}");
    for word in ["panicked", "memory allocation", "RUST_BACKTRACE", "Aborted"] {
        assert!(!err.contains(word), "{err}");
    }
}

/// A database with the plan applied and its reminder sent: the reminder's Message-ID.
fn prepared() -> Option<(TestDb, tempfile::TempDir, String)> {
    if !require::smtp() {
        return None;
    }
    let db = TestDb::sqlite();
    let (dir, reminder) = reminder_sent(&db);
    Some((db, dir, reminder))
}

fn valid_reply(reminder: &str) -> Vec<u8> {
    reply(
        1,
        reminder,
        "dgme@example.ml",
        "1 : fait\r\n2 : avancement 40 %",
        "",
    )
}

fn progress_of(db: &TestDb, task: &str) -> serde_json::Value {
    task_json(db)
        .into_iter()
        .find(|t| t["id"] == task)
        .map(|t| t["progress"].clone())
        .unwrap_or_default()
}

#[test]
fn a_huge_literal_claim_is_never_allocated_and_the_reply_behind_it_is_applied() {
    let Some((db, _dir, reminder)) = prepared() else {
        return;
    };
    let server = FaultImap::start(Fault::HugeClaim, vec![valid_reply(&reminder)]);
    let (code, out, err) = fetch(&db, &server);
    no_abort(code, &err);
    assert_eq!(code, 1, "{err}");
    let summary = json(&out);
    assert_eq!(summary["applied"], 1, "{out}");
    assert_eq!(summary["unseen"][0]["uid"], 1, "{out}");
    let port = server.port;
    assert!(
        err.contains(&format!("le message UID 1 reste non lu\u{a0}: le serveur IMAP 127.0.0.1:{port} n'a pas répondu à temps (lecture d'un message, 2\u{a0}s au plus par étape")),
        "{err}"
    );
    // Message 1 was never marked seen; the valid reply was.
    assert_eq!(server.seen().into_iter().collect::<Vec<_>>(), [2]);
    assert_eq!(progress_of(&db, "a2"), 40);
}

#[test]
fn literals_too_large_are_read_through_not_kept() {
    let Some((db, _dir, reminder)) = prepared() else {
        return;
    };
    // 16 literals of 64 MiB in one answer: 1 GiB, over the address-space limit if kept.
    let server = FaultImap::start(
        Fault::Oversized {
            count: 16,
            size: 64 << 20,
        },
        vec![valid_reply(&reminder)],
    );
    let (code, out, err) = fetch(&db, &server);
    no_abort(code, &err);
    assert_eq!(code, 1, "{err}");
    let summary = json(&out);
    assert_eq!(summary["applied"], 1, "{out}");
    assert_eq!(
        summary["unseen"][0]["reason"],
        "le serveur en a envoyé 64\u{a0}Mio, plus que la limite de 25\u{a0}Mio par message",
        "{out}"
    );
    assert_eq!(server.seen().into_iter().collect::<Vec<_>>(), [2]);
    assert!(
        err.ends_with("1 message reste non lu, pour la raison dite ci-dessus\n"),
        "{err}"
    );
}

#[test]
fn an_endless_stream_of_untagged_lines_ends_the_pass_in_one_sentence() {
    let db = TestDb::sqlite();
    let server = FaultImap::start(Fault::EndlessUntagged, Vec::new());
    let (code, out, err) = fetch(&db, &server);
    no_abort(code, &err);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    let port = server.port;
    assert_eq!(
        err,
        format!("erreur\u{a0}: le serveur IMAP 127.0.0.1:{port} a envoyé plus de 10\u{202f}000 lignes de réponse à une seule commande (recherche), l'échange est abandonné\n")
    );
}

#[test]
fn a_server_that_never_answers_is_left_after_the_step_time_out() {
    let db = TestDb::sqlite();
    let server = FaultImap::start(Fault::Silent, Vec::new());
    let (code, _, err) = fetch(&db, &server);
    no_abort(code, &err);
    assert_eq!(code, 1, "{err}");
    let port = server.port;
    assert_eq!(
        err,
        format!("erreur\u{a0}: le serveur IMAP 127.0.0.1:{port} n'a pas répondu à temps (accueil, 2\u{a0}s au plus par étape et 10\u{a0}min par passage)\n")
    );
}

#[test]
fn nil_bodies_stay_unseen_with_their_reason_and_no_reply_is_lost() {
    let Some((db, _dir, reminder)) = prepared() else {
        return;
    };
    let server = FaultImap::start(Fault::NilBodies { nil: 5 }, vec![valid_reply(&reminder)]);
    let (code, out, err) = fetch(&db, &server);
    no_abort(code, &err);
    assert_eq!(code, 1, "{err}");
    let summary = json(&out);
    assert_eq!(
        (summary["applied"].as_u64(), summary["duplicate"].as_u64()),
        (Some(1), Some(0)),
        "{out}"
    );
    let unseen: Vec<u64> = summary["unseen"]
        .as_array()
        .expect("unseen")
        .iter()
        .filter_map(|u| u["uid"].as_u64())
        .collect();
    assert_eq!(unseen, [1, 2, 3, 4, 5], "{out}");
    // Only the reply whose content was recorded is marked seen; the five wait, not "en double".
    assert_eq!(server.seen().into_iter().collect::<Vec<_>>(), [6]);
    assert!(
        err.contains("le message UID 3 reste non lu\u{a0}: le serveur n'a pas donné son contenu (BODY[] vide ou NIL)"),
        "{err}"
    );
    assert!(
        err.ends_with("5 messages restent non lus, pour les raisons dites ci-dessus\n"),
        "{err}"
    );
    assert_eq!(inbox_json(&db).len(), 1);
}

#[test]
fn a_long_pass_says_its_progress_on_stderr() {
    let db = TestDb::sqlite();
    let n = 1100;
    let server = FaultImap::start(Fault::Many { n }, Vec::new());
    let (code, out, err) = fetch(&db, &server);
    no_abort(code, &err);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["rejected"], n, "{err}");
    assert!(
        err.contains("lecture de la boîte\u{a0}: 1000 messages sur 1100\n"),
        "{err}"
    );
    assert_eq!(server.seen().len(), n as usize);
}

#[test]
fn the_daemon_survives_a_hostile_mailbox_and_logs_each_failure_once_in_french() {
    let dir = tempfile::tempdir().expect("dir");
    let db = TestDb::sqlite();
    for (fault, sentence) in [
        (
            Fault::Oversized {
                count: 16,
                size: 64 << 20,
            },
            "le message UID 1 reste non lu\u{a0}: le serveur en a envoyé 64\u{a0}Mio",
        ),
        (
            Fault::EndlessUntagged,
            "la boîte aux lettres n'a pas pu être lue\u{a0}: le serveur IMAP",
        ),
        (
            Fault::HugeClaim,
            "le message UID 1 reste non lu\u{a0}: le serveur IMAP",
        ),
    ] {
        let server = FaultImap::start(fault.clone(), vec![b"not a message".to_vec()]);
        let log = dir.path().join("daemon.log");
        let child = limited(&db)
            .env("CNRM_IMAP_URL", server.url())
            .env("CNRM_LANG", "fr")
            .env("CNRM_LOG", "info")
            .env_remove("CNRM_NOW")
            .args(["daemon"])
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("spawn");
        let read = || std::fs::read_to_string(&log).unwrap_or_default();
        assert!(
            eventually(|| read().contains(sentence)),
            "{fault:?}: {}",
            read()
        );
        let status = terminate(child);
        assert_eq!(status.code(), Some(0), "{fault:?}: {}", read());
        let text = read();
        assert_eq!(text.matches(sentence).count(), 1, "{fault:?}: {text}");
        for english in [
            "mail fetch",
            "daemon started",
            "shutting down",
            "stays unseen",
        ] {
            assert!(!text.contains(english), "{fault:?}: {text}");
        }
        assert!(text.contains("service démarré"), "{text}");
        no_abort(0, &text);
    }
}

// ---- Poison messages: NUL anywhere, on both databases ----

/// A reply to `reminder` whose text holds NUL in every way a message can carry it: a raw byte
/// in the body, an encoded word in the subject, `&#0;` in its HTML part.
fn poisoned(n: usize, reminder: &str) -> Vec<u8> {
    let mut raw = format!(
        "From: dgme@example.ml\r\nTo: cnrm@example.ml\r\nSubject: =?utf-8?Q?RE=00_Rappel?=\r\nMessage-ID: <poison-{n}@mail.example.ml>\r\nIn-Reply-To: {reminder}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n1 : fait\r\n2 : note : reçu"
    )
    .into_bytes();
    raw.push(0);
    raw.extend_from_slice(b" le devis\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>1 : fait&#0;</p>\r\n--b--\r\n");
    raw
}

#[test]
fn a_reply_holding_nul_is_recorded_on_both_databases_never_refused_for_ever() {
    if !require::smtp() {
        return;
    }
    for db in TestDb::all() {
        let (dir, reminder) = reminder_sent(&db);
        let file = dir.path().join("poison.eml");
        std::fs::write(&file, poisoned(1, &reminder)).expect("write");
        let (code, out, err) = exec(
            limited(&db)
                .args(["mail", "receive", "--format", "json", "--file"])
                .arg(&file),
        );
        assert_eq!(code, 0, "{}: {err}", db.label);
        let received = json(&out);
        assert_eq!(received["status"], "applied", "{}: {out}", db.label);
        assert!(
            received["notes"]
                .as_str()
                .is_some_and(|n| n.contains("remplacé")),
            "{}: {out}",
            db.label
        );
        let inbox = inbox_json(&db);
        assert_eq!(inbox.len(), 1, "{}", db.label);
        assert!(!inbox[0]["text"].as_str().unwrap_or("\0").contains('\0'));
        assert!(inbox[0]["notes"].as_str().is_some(), "{:?}", inbox[0]);
        let (code, listed, err) = exec(limited(&db).args(["inbox"]));
        assert_eq!(code, 0, "{err}");
        assert!(
            listed.contains("caractères interdits (NUL ou contrôle) remplacés par \u{fffd}"),
            "{listed}"
        );
        assert_eq!(progress_of(&db, "a1"), 100, "{}", db.label);
        // Again: a duplicate, exit 0 (never 75, never applied twice).
        let (code, out, err) = exec(
            limited(&db)
                .args(["mail", "receive", "--format", "json", "--file"])
                .arg(&file),
        );
        assert_eq!(code, 0, "{}: {err}", db.label);
        assert_eq!(json(&out)["status"], "duplicate", "{}", db.label);
    }
}

#[test]
fn mail_fetch_records_a_poisoned_reply_and_the_valid_one_behind_it() {
    if !(require::imap() && require::smtp()) {
        return;
    }
    for db in TestDb::all() {
        let (_dir, reminder) = reminder_sent(&db);
        let mut server = Dovecot::start();
        server.deliver(&poisoned(1, &reminder));
        server.deliver(&reply(
            2,
            &reminder,
            "dgme@example.ml",
            "2 : avancement 60 %",
            "",
        ));
        let (code, out, err) = exec(
            limited(&db)
                .env("CNRM_IMAP_URL", server.url())
                .env("CNRM_IMAP_PASSWORD_FILE", server.password_file())
                .args(["mail", "fetch", "--format", "json"]),
        );
        assert_eq!(code, 0, "{}: {err}\n{}", db.label, server.log());
        assert_eq!(json(&out)["applied"], 2, "{}: {out}", db.label);
        assert_eq!(server.seen_unseen(), (2, 0), "{}", db.label);
        assert_eq!(progress_of(&db, "a2"), 60, "{}", db.label);
    }
}

#[test]
fn a_minus_sign_is_never_dropped_from_a_reply() {
    let Some((db, dir, reminder)) = prepared() else {
        return;
    };
    let file = dir.path().join("minus.eml");
    std::fs::write(
        &file,
        reply(
            9,
            &reminder,
            "dgme@example.ml",
            "1 : avancement -5 %\r\n2 : dépensé -2 500 000 FCFA",
            "",
        ),
    )
    .expect("write");
    let smtp = SmtpServer::start();
    let (code, out, err) = exec(
        limited(&db)
            .env("CNRM_SMTP_URL", smtp.url())
            .env("CNRM_SMTP_FROM", "Secrétariat CNRM <cnrm@example.ml>")
            .args(["mail", "receive", "--format", "json", "--file"])
            .arg(&file),
    );
    assert_eq!(code, 0, "{err}");
    let received = json(&out);
    assert_eq!(received["status"], "rejected", "{out}");
    assert_eq!(received["changes"].as_array().map(Vec::len), Some(0));
    assert_eq!(progress_of(&db, "a1"), 0);
    // The answer says why, line by line.
    let answer = smtp.wait_for(1, std::time::Duration::from_secs(30));
    let text = answer[0].text();
    // Each line quoted, each refused for its minus sign.
    assert!(
        text.contains("1 : avancement -5 %")
            && text.contains("2 : dépensé -2 500 000 FCFA")
            && text.matches("ne peut pas être négatif").count() == 2,
        "{text}"
    );
}
