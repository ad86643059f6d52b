//! Files, secrets and terminals: a SQLite file of another program refused untouched, a path
//! with control characters refused, a malformed URL never echoed with its password, text from
//! outside neutralised for each output (terminal, JSON, CSV, HTML, ICS), and a write waiting for
//! another process's lock said at once and given up after the stated time.

use crate::common::db::TestDb;
use crate::common::require;
use crate::common::*;
use std::io::Write;
use std::process::{Command, Stdio};

const NOW: &str = "2026-03-15";

/// The bytes of a file, `-wal` and `-shm` companions included (what "untouched" means).
fn file_state(path: &std::path::Path) -> Vec<Option<Vec<u8>>> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| std::fs::read(format!("{}{suffix}", path.display())).ok())
        .collect()
}

#[test]
fn a_sqlite_file_of_another_program_is_refused_untouched() {
    if !require::sqlite3() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let foreign = dir.path().join("foreign.db");
    let out = Command::new("sqlite3")
        .arg(&foreign)
        .arg("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Awa');")
        .output()
        .expect("sqlite3 runs");
    assert!(out.status.success());
    let before = file_state(&foreign);
    let shown = foreign.display().to_string();
    let nb = '\u{a0}';
    for (lang, want) in [
        ("fr", format!("erreur{nb}: {shown} est la base de données d'un autre programme (elle contient des tables, mais pas celles de cnrm){nb}: elle n'a pas été modifiée{nb}; donnez le chemin d'une base cnrm ou d'un fichier à créer")),
        ("en", format!("error: {shown} is another program's database (it holds tables, but not cnrm's): it was left untouched; give the path of a cnrm database or of a file to create")),
    ] {
        let (code, out, err) = exec(cnrm().args(["--lang", lang, "--db", &shown, "tasks"]));
        assert_eq!((code, out.as_str(), err.trim_end()), (2, "", want.as_str()));
    }
    assert_eq!(file_state(&foreign), before, "the file was changed");
    // A new file and an empty one are still databases to create.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").expect("write");
    for db in [empty, dir.path().join("new.db")] {
        let (code, _, err) = exec(cnrm().args(["--db", &db.display().to_string(), "plans"]));
        assert_eq!(code, 0, "{err}");
    }
}

#[test]
fn a_database_path_with_a_control_character_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    for path in ["x\ny.db", "x\ty.db", "x\u{1b}[31my.db", "sqlite://a\rb.db"] {
        let (code, out, err) = exec(cnrm().current_dir(dir.path()).args(["--db", path, "plans"]));
        assert_eq!(code, 2, "{path:?}: {out} {err}");
        assert!(
            err.contains("l'adresse de la base de données contient un caractère de contrôle"),
            "{err}"
        );
        assert!(!err.contains('\u{1b}'), "{err:?}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(left.is_empty(), "files created: {left:?}");
}

#[test]
fn a_malformed_database_url_is_said_without_its_password() {
    let nb = '\u{a0}';
    for (url, fr) in [
        (
            "postgres://postgres:TopS3cret",
            format!("erreur{nb}: valeur invalide pour --db{nb}; le port de l'adresse postgres:// n'est pas un nombre de 1 à 65535 (par exemple postgres://utilisateur:motdepasse@serveur:5432/base) (voir `cnrm plans --help`)"),
        ),
        (
            "postgresql://cnrm:TopS3cret%G1@127.0.0.1/cnrm",
            format!("erreur{nb}: valeur invalide pour --db{nb}; l'adresse postgres:// contient un encodage %XX invalide (écrivez % lui-même %25) (voir `cnrm plans --help`)"),
        ),
        (
            "postgres://cnrm:TopS3cret@[::1/cnrm",
            format!("erreur{nb}: valeur invalide pour --db{nb}; le nom du serveur de l'adresse postgres:// n'est pas valide (par exemple postgres://utilisateur:motdepasse@serveur:5432/base) (voir `cnrm plans --help`)"),
        ),
    ] {
        for via_env in [false, true] {
            let mut c = cnrm();
            if via_env {
                c.env("CNRM_DATABASE_URL", url).arg("plans");
            } else {
                c.args(["--db", url, "plans"]);
            }
            let (code, out, err) = exec(&mut c);
            assert_eq!((code, out.as_str(), err.trim_end()), (2, "", fr.as_str()), "{url}");
            assert!(!err.contains("TopS3cret"), "{err}");
        }
    }
}

/// A plan whose texts carry every kind of character that acts on a terminal or a viewer.
const HOSTILE: &str = "version: 1\nplan:\n  id: ctl\n  title: \"Plan \\u202Eesrever\\u202C \\u2066iso\\u2069\"\n  period: { start: 2025-01-01, end: 2026-12-31 }\nowners:\n  - { id: st, name: \"S\\u200BT\\u2060\", email: st@example.ml }\npriorities:\n  - id: p\n    title: P\n    tasks:\n      - { id: t1, title: \"Former \\u202Esreyalp\\u202C\\u200D\\uFEFF \\x7F\\x9B31m \\u200E\\u200F\\u061C fin\", owner: st, deadline: 2025-06-30 }\n";

/// Characters no output of cnrm may carry raw.
fn acting(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\r'
        || cnrm_engine::text::is_invisible(c)
        || matches!(c, '\u{7f}'..='\u{9f}')
}

#[test]
fn text_from_outside_is_neutralised_for_every_output() {
    let dir = tempfile::tempdir().expect("dir");
    let plan = write_plan(dir.path(), "ctl.yaml", HOSTILE);
    for db in TestDb::all() {
        let (code, _, err) = exec(cnrm_db(&db, NOW).args(["plan", "apply", &plan]));
        assert_eq!(code, 0, "{}: {err}", db.label);
        let ics = dir.path().join(format!("{}.ics", db.label));
        let ics_path = ics.display().to_string();
        let outputs: Vec<(&str, Vec<&str>)> = vec![
            ("table", vec!["tasks"]),
            ("show", vec!["task", "show", "t1"]),
            ("plans", vec!["plans"]),
            ("json", vec!["tasks", "--format", "json"]),
            ("csv", vec!["tasks", "--format", "csv"]),
            (
                "report csv",
                vec!["report", "--format", "csv", "--table", "late"],
            ),
            ("report html", vec!["report", "--format", "html"]),
            ("report md", vec!["report"]),
            ("report json", vec!["report", "--format", "json"]),
            ("ics", vec!["export", "ics", "-o", &ics_path]),
        ];
        for (what, args) in outputs {
            let (code, out, err) = exec(cnrm_db(&db, NOW).args(&args));
            assert_eq!(code, 0, "{} {what}: {err}", db.label);
            let out = if what == "ics" {
                std::fs::read_to_string(&ics).expect("ics")
            } else {
                out
            };
            let raw: Vec<char> = out.chars().filter(|&c| acting(c)).collect();
            assert!(raw.is_empty(), "{} {what}: {raw:?} in {out}", db.label);
            // The text itself is there (the task's title, or the plan's in `plans`).
            assert!(
                out.contains("Former") || out.contains("esrever"),
                "{} {what}: {out}",
                db.label
            );
        }
        // JSON keeps the data, escaped: a reader gets the title back as the plan wrote it.
        let (_, out, _) = exec(cnrm_db(&db, NOW).args(["tasks", "--format", "json"]));
        assert!(out.contains("\\u202e") && out.contains("\\u009b"), "{out}");
        let rows: serde_json::Value = serde_json::from_str(&out).expect("json");
        let title = rows[0]["title"].as_str().expect("title");
        assert!(
            title.contains('\u{202E}') && title.contains('\u{9b}'),
            "{title:?}"
        );
    }
}

#[test]
fn an_argument_is_never_echoed_raw_to_the_terminal() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().expect("dir");
    let plan = write_plan(dir.path(), "ctl.yaml", HOSTILE);
    assert_eq!(exec(cnrm_db(&db, NOW).args(["plan", "apply", &plan])).0, 0);
    for id in [
        "axe\u{1b}[31m",
        "a\u{202E}b",
        "a\u{9b}31mb",
        "a\u{200B}b\u{7f}",
    ] {
        for args in [
            vec!["task", "show", id],
            vec!["task", "set", id, "--progress", "5"],
            vec!["tasks", "--owner", id],
            vec!["tasks", "--stauts", id],
        ] {
            // Refused, or (an unknown owner) an empty list: either way nothing raw on stderr.
            let (_, _, err) = exec(cnrm_db(&db, NOW).args(&args));
            let raw: Vec<char> = err.chars().filter(|&c| acting(c)).collect();
            assert!(raw.is_empty(), "{args:?}: {raw:?} in {err:?}");
        }
    }
    let (_, _, err) = exec(cnrm_db(&db, NOW).args(["task", "show", "axe\u{1b}[31m"]));
    assert!(err.contains("axe\u{fffd}[31m"), "{err}");
}

/// A `sqlite3` holding the write lock of `db` until [`Holder::release`].
struct Holder(std::process::Child);

impl Holder {
    // The child is waited for in `release`; a failing probe panics the test anyway.
    #[allow(clippy::zombie_processes)]
    fn take(db: &str) -> Holder {
        let mut child = Command::new("sqlite3")
            .arg(db)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("sqlite3 runs");
        let stdin = child.stdin.as_mut().expect("stdin");
        stdin
            .write_all(b"BEGIN EXCLUSIVE;\nUPDATE tasks SET progress = progress;\n")
            .expect("write");
        stdin.flush().expect("flush");
        // Held once another writer is refused at once.
        loop {
            let probe = Command::new("sqlite3")
                .args(["-cmd", ".timeout 0", db, "BEGIN IMMEDIATE; ROLLBACK;"])
                .output()
                .expect("sqlite3 runs");
            if !probe.status.success() {
                return Holder(child);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    fn release(mut self) {
        let mut stdin = self.0.stdin.take().expect("stdin");
        stdin.write_all(b"ROLLBACK;\n.quit\n").expect("write");
        drop(stdin);
        self.0.wait().expect("sqlite3 ends");
    }
}

#[test]
fn a_lock_held_by_another_process_is_said_then_waited_for_then_given_up() {
    if !require::sqlite3() {
        return;
    }
    let db = TestDb::sqlite();
    assert_eq!(
        exec(cnrm_db(&db, NOW).args(["plan", "apply", "plans/exemple.yaml"])).0,
        0
    );
    let (_, ids, _) = exec(cnrm_db(&db, NOW).args(["tasks", "--format", "json"]));
    let ids: serde_json::Value = serde_json::from_str(&ids).expect("json");
    let id = ids[0]["id"].as_str().expect("id").to_string();
    let set = |progress: &str| {
        cnrm_db(&db, NOW)
            .args(["task", "set", &id, "--progress", progress])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cnrm starts")
    };
    let nb = '\u{a0}';
    let waiting =
        format!("la base est occupée par un autre processus{nb}; j'attends… (au plus 30{nb}s)");

    // Released after a few seconds: said, then done.
    let holder = Holder::take(&db.url);
    let child = set("40");
    std::thread::sleep(std::time::Duration::from_secs(4));
    holder.release();
    let out = child.wait_with_output().expect("cnrm ends");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.trim_end(), waiting);

    // Held throughout: given up after the stated time, nothing written.
    let holder = Holder::take(&db.url);
    let out = set("60").wait_with_output().expect("cnrm ends");
    holder.release();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.trim_end(),
        format!("{waiting}\nerreur{nb}: la base {} est restée occupée par un autre processus pendant 30{nb}s{nb}: rien n'a été enregistré{nb}; réessayez quand il aura fini", db.url)
    );
    let (_, rows, _) = exec(cnrm_db(&db, NOW).args(["tasks", "--format", "json"]));
    let rows: serde_json::Value = serde_json::from_str(&rows).expect("json");
    assert_eq!(rows[0]["progress"], 40, "{rows}");
}

/// An outbox row written before the scrub caught every form (here, a space-padded password
/// repeated by the server without its padding) is scrubbed again when listed.
#[test]
fn an_old_outbox_error_is_scrubbed_again_when_listed() {
    if !require::sqlite3() {
        return;
    }
    let db = TestDb::sqlite();
    let monday = "2026-03-16";
    assert_eq!(
        exec(cnrm_db(&db, monday).args(["plan", "apply", "plans/exemple.yaml"])).0,
        0
    );
    exec(cnrm_db(&db, monday).arg("remind"));
    let out = Command::new("sqlite3")
        .arg(&db.url)
        .arg("UPDATE outbox SET last_error = '535 no for  Vieux5ecret  ' WHERE id = (SELECT min(id) FROM outbox); SELECT changes();")
        .output()
        .expect("sqlite3 runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
    for format in ["json", "csv", "table"] {
        let (code, out, err) = exec(
            cnrm_db(&db, monday)
                .env("CNRM_SMTP_URL", "smtp://cnrm:%20Vieux5ecret%20@127.0.0.1:1")
                .args(["outbox", "--format", format]),
        );
        assert_eq!(code, 0, "{err}");
        assert!(!out.contains("Vieux5ecret"), "{format}: {out}");
        assert!(out.contains("535 no for ***"), "{format}: {out}");
    }
}
