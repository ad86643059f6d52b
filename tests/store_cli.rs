//! The store through the real binary: the contract's JSON shapes, filters, the user's first
//! session, refusals that write nothing, concurrent applies and a kill -9 in the middle of one.

use crate::common::db::TestDb;
use crate::common::*;
use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Instant;

const EXAMPLE: &str = "plans/pao-cnrm-2025-2027.yaml";
const NOW: &str = "2026-03-15";

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON expected ({e}): {text}"))
}

fn keys(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// A synthetic plan of `n` tasks (and its id), to make applies long enough to interrupt.
fn big_plan(n: usize, title_suffix: &str) -> String {
    let mut s = String::from(
        "version: 1\nplan:\n  id: grand-plan\n  title: Grand plan\n  period: { start: 2025-01-01, end: 2027-12-31 }\nowners:\n  - { id: st, name: Secrétariat, email: st@example.ml }\n  - { id: dgme, name: DGME, email: dgme@example.ml }\npriorities:\n  - id: axe-1\n    title: Axe unique\n    tasks:\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "      - {{ id: t{i}, title: \"Activité n° {i} à Kayes{title_suffix}\", owner: {}, deadline: T{} 2026 }}\n",
            if i % 2 == 0 { "st" } else { "dgme" },
            i % 4 + 1
        ));
    }
    s
}

#[test]
fn json_shapes_of_apply_diff_and_tasks() {
    for db in TestDb::all() {
        let (code, out, err) =
            exec(cnrm_db(&db, NOW).args(["plan", "diff", "--format", "json", EXAMPLE]));
        assert_eq!(code, 0, "{}: {err}", db.label);
        let diff = json(&out);
        let want: BTreeSet<String> = [
            "plan",
            "revision",
            "added",
            "changed",
            "archived",
            "restored",
            "renamed",
            "unchanged",
            "reordered",
            "changes",
            "warnings",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(keys(&diff), want, "{}", db.label);
        assert!(diff["revision"].is_null());

        let (code, out, _) = exec(cnrm_db(&db, NOW).args([
            "plan",
            "apply",
            "--format",
            "json",
            "--message",
            "première",
            EXAMPLE,
        ]));
        assert_eq!(code, 0);
        let applied = json(&out);
        assert_eq!(keys(&applied), want);
        assert_eq!(applied["revision"], 1);
        assert_eq!(
            applied["added"], diff["added"],
            "{}: diff announced what apply did",
            db.label
        );

        let (_, out, _) =
            exec(cnrm_db(&db, NOW).args(["plan", "apply", "--format", "json", EXAMPLE]));
        let again = json(&out);
        assert!(
            again["revision"].is_null() && again["added"].as_array().is_some_and(|a| a.is_empty()),
            "{}",
            db.label
        );

        let (code, out, _) = exec(cnrm_db(&db, NOW).args(["tasks", "--format", "json"]));
        assert_eq!(code, 0);
        let tasks = json(&out);
        let first = &tasks[0];
        for k in [
            "id",
            "plan",
            "priority",
            "title",
            "owners",
            "partners",
            "deadline",
            "deadline_label",
            "status",
            "progress",
            "overdue",
            "days_late",
        ] {
            assert!(first.get(k).is_some(), "{}: key {k} in {first}", db.label);
        }
        assert!(first["owners"].is_array());
        let continu = tasks
            .as_array()
            .and_then(|a| a.iter().find(|t| t["deadline_label"] == "continu"))
            .expect("a continu task");
        assert!(
            continu["deadline"].is_null()
                && continu["overdue"] == false
                && continu["days_late"] == 0
        );
        let late = tasks
            .as_array()
            .and_then(|a| a.iter().find(|t| t["id"] == "axe-1.a1"))
            .expect("axe-1.a1");
        assert_eq!(
            (late["overdue"].clone(), late["days_late"].clone()),
            (serde_json::json!(true), serde_json::json!(258))
        );
    }
}

#[test]
fn filters_and_formats_of_tasks() {
    let db = TestDb::sqlite();
    assert_eq!(
        exec(cnrm_db(&db, NOW).args(["plan", "apply", EXAMPLE])).0,
        0
    );
    let list = |args: &[&str]| -> Vec<String> {
        let (code, out, err) = exec(
            cnrm_db(&db, NOW)
                .args(["tasks", "--format", "json"])
                .args(args),
        );
        assert_eq!(code, 0, "{args:?}: {err}");
        json(&out)
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t["id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let overdue = list(&["--overdue"]);
    assert_eq!(overdue.len(), 11, "{overdue:?}");
    assert!(overdue.contains(&"axe-6.a2@2025-03-31".to_string()));
    // `--count` says how many tasks the same filters list.
    let count = |args: &[&str]| -> String {
        let (code, out, err) = exec(cnrm_db(&db, NOW).args(["tasks", "--count"]).args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        out.trim().to_string()
    };
    assert_eq!(count(&["--overdue"]), overdue.len().to_string());
    assert_eq!(count(&[]), list(&[]).len().to_string());
    assert_eq!(
        count(&["--owner", "msds", "--priority", "axe-4"]),
        list(&["--owner", "msds", "--priority", "axe-4"])
            .len()
            .to_string()
    );
    // Overdue tasks come by deadline (then plan order), as the full list shows them.
    let all = list(&[]);
    let in_list_order: Vec<&String> = all.iter().filter(|id| overdue.contains(id)).collect();
    assert_eq!(overdue.iter().collect::<Vec<_>>(), in_list_order);
    assert!(list(&["--owner", "msds"])
        .iter()
        .all(|id| ["axe-2.a6", "axe-4.a1", "axe-4.a2", "axe-4.a3"].contains(&id.as_str())));
    assert_eq!(
        list(&["--priority", "axe-5"]),
        ["axe-5.a1", "axe-5.a2", "axe-5.a3"]
    );
    assert_eq!(
        list(&["--search", "CENTRE D'ACCUEIL"]),
        ["axe-2.a3", "axe-2.a4"]
    );
    assert_eq!(
        list(&["--search", "evaluation a mi-parcours"]),
        ["axe-6.a4"],
        "accent-insensitive"
    );
    let soon = list(&["--due-within", "30d"]);
    assert_eq!(
        soon,
        ["axe-1.a4", "axe-3.a5", "axe-6.a1", "axe-6.a2@2026-03-31"]
    );
    assert_eq!(
        exec(cnrm_db(&db, NOW).args(["task", "set", "axe-1.a4", "--status", "suspended"])).0,
        0
    );
    assert!(
        !list(&["--due-within", "30d"]).contains(&"axe-1.a4".to_string()),
        "suspended tasks are not due"
    );
    assert_eq!(list(&["--status", "suspended"]), ["axe-1.a4"]);
    assert_eq!(
        list(&["--status", "suspended", "--status", "done"]),
        ["axe-1.a4"]
    );

    let (_, csv, _) =
        exec(cnrm_db(&db, NOW).args(["tasks", "--format", "csv", "--priority", "axe-1"]));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("id,plan,priority,title,owners,partners,deadline,deadline_label,status,progress,overdue,days_late"));
    assert!(
        csv.contains("\"Adopter les termes de référence et le règlement intérieur du CNRM\"")
            || csv.contains(",Adopter les termes de référence et le règlement intérieur du CNRM,"),
        "{csv}"
    );

    let (_, table, _) = exec(cnrm_db(&db, NOW).args(["tasks", "--overdue", "--lang", "en"]));
    assert!(table.starts_with("ID"), "{table}");
    assert!(table.contains("258 d late"), "{table}");
    let (code, _, err) = exec(cnrm_db(&db, NOW).args(["tasks", "--due-within", "bientôt"]));
    assert_eq!(code, 2);
    assert!(err.contains("bientôt"), "{err}");
}

#[test]
fn first_session_from_the_readme_loses_nothing() {
    for db in TestDb::all() {
        let dir = tempfile::tempdir().expect("dir");
        let original = std::fs::read_to_string(root().join(EXAMPLE)).expect("example");
        let file = write_plan(dir.path(), "plan.yaml", &original);
        let (code, out, err) = exec(cnrm_db(&db, NOW).args(["open", &file]));
        assert_eq!(code, 0, "{}: {err}", db.label);
        assert!(
            out.contains("révision 1 appliquée par secretariat"),
            "{out}"
        );
        assert!(out.contains("En retard (11)"), "{out}");

        let (code, out, _) = exec(cnrm_db(&db, NOW).args([
            "task",
            "set",
            "axe-1.a1",
            "--status",
            "done",
            "--note",
            "Adopté en session le 12 mars",
        ]));
        assert_eq!(code, 0);
        assert_eq!(
            out.trim(),
            "axe-1.a1\u{a0}: à faire → terminée (100\u{a0}%)"
        );
        assert_eq!(
            exec(cnrm_db(&db, NOW).args([
                "task",
                "spend",
                "axe-1.a1",
                "1 250 000",
                "--note",
                "Salle et pauses"
            ]))
            .0,
            0
        );
        assert_eq!(
            exec(cnrm_db(&db, NOW).args(["indicator", "record", "axe-1.i1", "1"])).0,
            0
        );

        // The author moves a deadline and renames a task, as after a reshuffle.
        let edited = original
            .replace(
                "      - id: axe-1.a2\n",
                "      - id: axe-1.a2-bis\n        renamed_from: axe-1.a2\n",
            )
            .replace(
                "        deadline: T2 2025\n        milestone: true",
                "        deadline: T3 2025\n        milestone: true",
            );
        write_plan(dir.path(), "plan.yaml", &edited);
        let (_, diff, _) = exec(cnrm_db(&db, NOW).args(["plan", "diff", &file]));
        assert!(diff.contains("axe-1.a2 → axe-1.a2-bis"), "{diff}");
        assert!(
            diff.contains("échéance\u{a0}: T2 2025 → T3 2025 (+92 jours)"),
            "{diff}"
        );
        let (code, out, _) = exec(cnrm_db(&db, NOW).args([
            "plan",
            "apply",
            &file,
            "--message",
            "report suite au remaniement",
        ]));
        assert_eq!(code, 0);
        assert!(out.contains("révision 2"), "{out}");

        let (_, show, _) = exec(cnrm_db(&db, NOW).args(["task", "show", "axe-1.a1"]));
        let show = show.replace('\u{a0}', " ");
        assert!(show.contains("terminée · 100 %"), "{show}");
        assert!(show.contains("« Adopté en session le 12 mars »"), "{show}");
        assert!(show.contains("dépensé 1 250 000 FCFA"), "{show}");
        assert!(
            show.contains("révision 2 : T2 2025 → T3 2025 (+92 j)"),
            "{show}"
        );
        let (code, show, _) =
            exec(cnrm_db(&db, NOW).args(["task", "show", "axe-1.a2-bis", "--format", "json"]));
        assert_eq!(code, 0);
        assert!(json(&show)["history"]
            .as_array()
            .is_some_and(|h| h.iter().any(|e| e["kind"] == "renamed")));
        let (_, plans, _) = exec(cnrm_db(&db, NOW).args(["plans"]));
        assert!(plans.contains("« report suite au remaniement »"), "{plans}");
    }
}

#[test]
fn refusals_write_nothing_and_say_what_and_where() {
    let db = TestDb::sqlite();
    let (code, out, err) =
        exec(cnrm_db(&db, NOW).args(["plan", "apply", "tests/fixtures/five-mistakes.yaml"]));
    assert_eq!(code, 1);
    assert!(out.contains("5 erreurs"), "{out}");
    assert!(err.contains("rien n'a été écrit"), "{err}");
    let (code, out, _) =
        exec(cnrm_db(&db, NOW).args(["plan", "diff", "tests/fixtures/five-mistakes.yaml"]));
    assert_eq!((code, out.contains("5 erreurs")), (1, true), "{out}");
    // A file in Latin-1, not UTF-8: one sentence, exit 2, for apply as for diff.
    let dir = tempfile::tempdir().expect("dir");
    let latin1 = dir.path().join("latin1.yaml");
    std::fs::write(
        &latin1,
        b"version: 1\nplan: { id: p, title: \"\xe9ch\xe9ance\" }\n",
    )
    .expect("write");
    for verb in ["apply", "diff"] {
        let (code, _, err) =
            exec(cnrm_db(&db, NOW).args(["plan", verb, &latin1.to_string_lossy()]));
        assert_eq!(code, 2, "{verb}: {err}");
        assert!(
            err.contains("UTF-8") && err.lines().count() == 1,
            "{verb}: {err}"
        );
    }
    let (_, plans, _) = exec(cnrm_db(&db, NOW).args(["plans", "--format", "json"]));
    assert_eq!(json(&plans), serde_json::json!([]));

    assert_eq!(
        exec(cnrm_db(&db, NOW).args(["plan", "apply", EXAMPLE])).0,
        0
    );
    let (code, _, err) =
        exec(cnrm_db(&db, NOW).args(["task", "set", "axe-9.a9", "--status", "done"]));
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("aucune tâche `axe-9.a9`"), "{err}");
    let (code, _, err) =
        exec(cnrm_db(&db, NOW).args(["task", "set", "axe-1.a1", "--progress", "140"]));
    assert_eq!(code, 2);
    assert!(err.contains("140"), "{err}");
    let (code, _, err) =
        exec(cnrm_db(&db, NOW).args(["task", "set", "axe-1.a1", "--status", "fini"]));
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = exec(cnrm_db(&db, "hier").args(["tasks"]));
    assert_eq!(code, 2);
    assert!(err.contains("valeur `hier` invalide pour --now"), "{err}");
    let (code, _, err) =
        exec(cnrm_db(&db, NOW).args(["task", "spend", "axe-1.a1", "100", "--currency", "GBP"]));
    assert_eq!(code, 2);
    assert!(err.contains("GBP"), "{err}");
    let (code, _, err) =
        exec(cnrm().args(["--db", "postgres://cnrm:s3cret@127.0.0.1:1/nulle", "tasks"]));
    assert_eq!(code, 1);
    assert!(
        !err.contains("s3cret") && err.contains("cnrm:***@"),
        "{err}"
    );
}

#[test]
fn two_applies_at_the_same_moment_are_serialised() {
    for db in TestDb::all() {
        let dir = tempfile::tempdir().expect("dir");
        let file = write_plan(dir.path(), "big.yaml", &big_plan(3_000, ""));
        let (a, b) = both_succeed(db.label, || {
            let mut c = cnrm_db(&db, NOW);
            c.args(["plan", "apply", "--format", "json", &file]);
            c
        });
        let revisions: Vec<serde_json::Value> = [&a, &b]
            .iter()
            .map(|o| json(&stdout(o))["revision"].clone())
            .collect();
        assert!(
            revisions.contains(&serde_json::json!(1))
                && revisions.contains(&serde_json::Value::Null),
            "{}: one applies, the other finds nothing to do: {revisions:?}",
            db.label
        );
        let (_, out, _) =
            exec(cnrm_db(&db, NOW).args(["tasks", "--format", "json", "--plan", "grand-plan"]));
        assert_eq!(
            json(&out).as_array().map(Vec::len),
            Some(3_000),
            "{}",
            db.label
        );
    }
}

/// The indexes of `tasks` in a SQLite database.
fn sqlite_task_indexes(path: &str) -> Vec<String> {
    sqlite_strings(
        path,
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' ORDER BY name",
    )
}

/// The text column of every row `sql` returns from the SQLite file at `path`.
fn sqlite_strings(path: &str, sql: &'static str) -> Vec<String> {
    use sqlx::Connection;
    crate::common::db::block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{path}"))
            .await
            .expect("open");
        sqlx::query_scalar::<_, String>(sql)
            .fetch_all(&mut conn)
            .await
            .expect("query")
    })
}

#[test]
fn kill_during_a_large_apply_leaves_the_previous_state() {
    for db in TestDb::all() {
        let dir = tempfile::tempdir().expect("dir");
        let small = write_plan(dir.path(), "v1.yaml", &big_plan(50, ""));
        assert_eq!(exec(cnrm_db(&db, NOW).args(["plan", "apply", &small])).0, 0);
        let large = write_plan(dir.path(), "v2.yaml", &big_plan(20_000, " (révisée)"));

        // How long a whole apply of the large plan takes here, on a scratch database of the same kind.
        let scratch = if db.label == "sqlite" {
            TestDb::sqlite()
        } else {
            TestDb::postgres().expect("postgres scratch")
        };
        let start = Instant::now();
        assert_eq!(
            exec(cnrm_db(&scratch, NOW).args(["plan", "apply", &large])).0,
            0
        );
        let full = start.elapsed();
        let all_indexes = [
            "sqlite_autoindex_tasks_1",
            "tasks_deadline",
            "tasks_figures",
        ];
        if scratch.label == "sqlite" {
            assert_eq!(
                sqlite_task_indexes(&scratch.url),
                all_indexes,
                "the indexes of the migrations, whole"
            );
            // The planner's statistics say what they are for: the plan's tasks are the whole
            // table (a sampled ANALYZE wrote 1,001 rows per plan here).
            let stat = sqlite_strings(
                &scratch.url,
                "SELECT stat FROM sqlite_stat1 WHERE idx = 'sqlite_autoindex_tasks_1'",
            );
            let tasks = stat[0].split(' ').next().expect("row count").to_string();
            assert!(tasks.parse::<u64>().expect("count") >= 20_000, "{stat:?}");
            assert_eq!(stat, [format!("{tasks} {tasks} 1")]);
        }

        let mut child = cnrm_db(&db, NOW)
            .args(["plan", "apply", &large])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(full.mul_f64(0.6));
        let killed = child.try_wait().ok().flatten().is_none();
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();

        let (code, out, err) = exec(cnrm_db(&db, NOW).args(["plans", "--format", "json"]));
        assert_eq!(
            code, 0,
            "{}: the database opens after the kill: {err}",
            db.label
        );
        if db.label == "sqlite" {
            assert_eq!(
                sqlite_task_indexes(&db.url),
                all_indexes,
                "killed mid-way, the apply leaves the indexes as they were"
            );
        }
        let plan = &json(&out)[0];
        let (_, tasks, _) = exec(cnrm_db(&db, NOW).args(["tasks", "--format", "json"]));
        let tasks = json(&tasks);
        let count = tasks.as_array().map(Vec::len).unwrap_or(0);
        if killed && plan["revision"] == 1 {
            assert_eq!(
                count, 50,
                "{}: all of the previous state, nothing of the new",
                db.label
            );
            assert!(!tasks[0]["title"].as_str().unwrap_or("").contains("révisée"));
        } else {
            // The apply had committed before the kill: then all of it is there.
            assert_eq!(
                (plan["revision"].clone(), count),
                (serde_json::json!(2), 20_000),
                "{}",
                db.label
            );
        }
        // And the interrupted apply can simply be run again.
        assert_eq!(exec(cnrm_db(&db, NOW).args(["plan", "apply", &large])).0, 0);
        let (_, out, _) = exec(cnrm_db(&db, NOW).args(["plans", "--format", "json"]));
        assert_eq!(json(&out)[0]["tasks"], 20_000, "{}", db.label);
        eprintln!(
            "{}: full apply {:?}, killed mid-way: {killed}",
            db.label, full
        );
    }
}

/// What the system's `sqlite3` tool (Debian 12's 3.40, older than the bundled SQLite) says of
/// the SQLite file at `path` for `command`.
fn system_sqlite3(path: &str, command: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .args([path, command])
        .output()
        .expect("sqlite3 runs");
    assert!(
        out.status.success(),
        "sqlite3 {command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Two first applies of a large plan at once into a new SQLite file: one applies, the other
/// finds nothing to do; the file is whole, in WAL mode, and readable by the stock `sqlite3`.
#[test]
fn first_large_applies_on_sqlite_leave_a_whole_file_any_sqlite3_reads() {
    let dir = tempfile::tempdir().expect("dir");
    let large = write_plan(dir.path(), "grand.yaml", &big_plan(20_000, " (première)"));
    let db = TestDb::sqlite();
    let (a, b) = both_succeed("sqlite", || {
        let mut c = cnrm_db(&db, NOW);
        c.args(["plan", "apply", "--format", "json", &large]);
        c
    });
    let revisions: Vec<serde_json::Value> = [&a, &b]
        .iter()
        .map(|o| json(&stdout(o))["revision"].clone())
        .collect();
    assert!(
        revisions.contains(&serde_json::json!(1)) && revisions.contains(&serde_json::Value::Null),
        "one applies, the other finds nothing to do: {revisions:?}"
    );
    assert_eq!(sqlite_strings(&db.url, "PRAGMA journal_mode"), ["wal"]);
    assert_eq!(sqlite_strings(&db.url, "PRAGMA integrity_check"), ["ok"]);
    let (_, out, _) = exec(cnrm_db(&db, NOW).args(["plans", "--format", "json"]));
    assert_eq!(json(&out)[0]["tasks"], 20_000);
    if crate::common::require::sqlite3() {
        {
            let check = system_sqlite3(&db.url, "PRAGMA integrity_check");
            assert_eq!(check.trim(), "ok");
            let dump = system_sqlite3(&db.url, ".dump");
            assert!(
                dump.contains("CREATE INDEX tasks_deadline"),
                "the dump holds the indexes"
            );
            assert!(
                dump.contains("Activité n° 19999 à Kayes (première)"),
                "and the tasks"
            );
        }
    }
}

/// The `cnrm` binary is a position-independent executable, as a distribution builds it.
#[test]
fn the_binary_is_a_position_independent_executable() {
    let bin = std::fs::read(env!("CARGO_BIN_EXE_cnrm")).expect("the cnrm binary is readable");
    assert_eq!(&bin[..4], b"\x7fELF", "an ELF executable");
    // e_type, little-endian: 2 is ET_EXEC (position-dependent), 3 is ET_DYN (PIE).
    assert_eq!(u16::from_le_bytes([bin[16], bin[17]]), 3, "e_type");
}

/// A title holding the list's separators (written as YAML `\x1e` and `\x1f` escapes) is listed
/// with spaces in their place, and the other tasks with it, on both databases.
#[test]
fn a_title_holding_control_characters_does_not_break_the_list() {
    let dir = tempfile::tempdir().expect("dir");
    let plan = write_plan(
        dir.path(),
        "ctl.yaml",
        "version: 1\nplan:\n  id: ctl\n  title: Contrôle\n  period: { start: 2025-01-01, end: 2025-12-31 }\nowners:\n  - { id: st, name: ST, email: st@example.ml }\npriorities:\n  - id: p\n    title: P\n    tasks:\n      - { id: t1, title: \"a\\x1fb\\x1ec\", owner: st, deadline: 2025-06-30 }\n      - { id: t2, title: \"Tâche sûre\", owner: st, deadline: 2025-07-31 }\n",
    );
    for db in TestDb::all() {
        assert_eq!(exec(cnrm_db(&db, NOW).args(["plan", "apply", &plan])).0, 0);
        let (code, out, err) = exec(cnrm_db(&db, NOW).args(["tasks", "--format", "json"]));
        assert_eq!(code, 0, "{}: {err}", db.label);
        let titles: Vec<String> = json(&out)
            .as_array()
            .expect("a list")
            .iter()
            .map(|t| t["title"].as_str().unwrap_or("").to_string())
            .collect();
        assert_eq!(titles, ["a b c", "Tâche sûre"], "{}", db.label);
    }
}

/// `cnrm` with `args` in a clean environment whose database is `db`: (exit code, stdout, stderr).
fn at(db: &str, args: &[&str]) -> (i32, String, String) {
    exec(
        cnrm()
            .env("CNRM_DATABASE_URL", db)
            .args(args)
            .stdin(Stdio::null()),
    )
}

#[test]
fn argument_errors_are_one_sentence_in_the_users_language() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("cnrm.db").display().to_string();
    let nb = '\u{a0}';
    for (args, want) in [
        (
            vec!["tasks", "--status", "fini"],
            format!("erreur{nb}: valeur `fini` invalide pour --status{nb}; valeurs possibles{nb}: à faire, en cours, bloqué, suspendu, fait, annulé (voir `cnrm tasks --help`)"),
        ),
        (
            vec!["--lang", "en", "tasks", "--status", "fini"],
            "error: invalid value `fini` for --status; possible values: todo, in_progress, blocked, suspended, done, cancelled (see `cnrm tasks --help`)".to_string(),
        ),
        (
            vec!["tasks", "--stauts", "x"],
            format!("erreur{nb}: option `--stauts` inconnue{nb}; vouliez-vous dire `--status`{nb}? (voir `cnrm tasks --help`)"),
        ),
        (
            vec!["task", "set", "axe-1.a1", "--progress", "-5"],
            format!("erreur{nb}: valeur `-5` invalide pour --progress{nb}; l'avancement doit être un nombre entier compris entre 0 et 100 (voir `cnrm task set --help`)"),
        ),
        (
            vec!["--lang", "en", "tasks", "--due-within", "100000000d"],
            "error: invalid value `100000000d` for --due-within; a duration is at most 3650 days (10 years) (see `cnrm tasks --help`)".to_string(),
        ),
        (
            vec!["tasks", "--due-within", "3é"],
            format!("erreur{nb}: valeur `3é` invalide pour --due-within{nb}; une durée s'écrit en jours ou en semaines, comme 14j, 14d ou 2w (voir `cnrm tasks --help`)"),
        ),
        (
            vec!["task", "spend", "axe-1.a1", "10", "--date", "30/02/2026"],
            format!("erreur{nb}: valeur `30/02/2026` invalide pour --date{nb}; cette date n'existe pas (voir `cnrm task spend --help`)"),
        ),
        (
            vec!["task", "spend", "axe-1.a1", "-5"],
            format!("erreur{nb}: valeur `-5` invalide pour le montant{nb}; une dépense est un montant positif (voir `cnrm task spend --help`)"),
        ),
        (
            vec!["plan"],
            format!("erreur{nb}: il manque une commande après `cnrm plan`{nb}: check, diff, apply, template, schema ou convert (voir `cnrm plan --help`)"),
        ),
        (
            vec!["--lang", "en", "plan", "diff"],
            "error: missing the file (see `cnrm plan diff --help`)".to_string(),
        ),
        (
            vec!["taks"],
            format!("erreur{nb}: commande `taks` inconnue{nb}; vouliez-vous dire `tasks`{nb}? (voir `cnrm --help`)"),
        ),
    ] {
        let (code, out, err) = at(&db, &args);
        assert_eq!((code, out.as_str(), err.trim_end()), (2, "", want.as_str()), "{args:?}");
    }
    let (code, out, err) = at(&db, &["outbox", "--status", "fini"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(err.trim_end(), format!("erreur{nb}: valeur `fini` invalide pour --status{nb}; valeurs possibles{nb}: en attente, envoyé, en échec, caduc (voir `cnrm outbox --help`)"));
    for flag in ["--help", "--version"] {
        let (code, out, _) = at(&db, &[flag]);
        assert_eq!(code, 0, "{flag}");
        assert!(out.contains("cnrm"), "{flag}: {out}");
    }
    // Help pages speak the user's language, clap's own words included.
    for args in [
        vec!["--help"],
        vec!["task", "set", "--help"],
        vec!["help", "plan"],
    ] {
        let (code, out, _) = at(&db, &args);
        assert_eq!(code, 0, "{args:?}");
        assert!(out.contains(&format!("Utilisation{nb}: cnrm")), "{out}");
        assert!(out.contains(&format!("Options{nb}:")), "{out}");
        assert!(out.contains("Afficher l'aide"), "{out}");
        for english in ["Usage:", "Print help", "[default:", "[env:", "Commands:"] {
            assert!(!out.contains(english), "{args:?}: {english} in {out}");
        }
    }
    let (_, out, _) = at(&db, &["--lang", "en", "task", "set", "--help"]);
    assert!(out.contains("Usage: cnrm task set"), "{out}");
}

#[test]
fn values_people_type_are_taken() {
    let db = TestDb::sqlite();
    assert_eq!(
        exec(cnrm_db(&db, NOW).args(["plan", "apply", EXAMPLE])).0,
        0
    );
    for (status, label) in [
        ("en cours", "en cours"),
        ("Terminée", "terminée"),
        ("a faire", "à faire"),
    ] {
        let (code, out, err) =
            exec(cnrm_db(&db, NOW).args(["task", "set", "axe-1.a1", "--status", status]));
        assert_eq!(code, 0, "{status}: {err}");
        assert!(out.contains(&format!("→ {label}")), "{status}: {out}");
    }
    let (code, out, err) = exec(cnrm_db(&db, NOW).args([
        "task",
        "spend",
        "axe-1.a1",
        "2\u{a0}500\u{a0}000,50",
        "--date",
        "31/12/2025",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 500 001 FCFA"), "{out}");
    let (code, out, _) = exec(cnrm_db(&db, NOW).args(["tasks", "--status", "en cours", "--count"]));
    assert_eq!((code, out.trim()), (0, "0"));
}

#[test]
fn unusable_databases_are_said_at_once_without_their_password() {
    let dir = tempfile::tempdir().expect("dir");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "bonjour\n").expect("write");
    let text = text.display().to_string();
    let missing = dir.path().join("no/such/cnrm.db").display().to_string();
    let folder = dir.path().display().to_string();
    let nb = '\u{a0}';
    for (db, code, fr, en) in [
        (
            text.clone(),
            2,
            format!("erreur{nb}: {text} n'est pas une base de données SQLite{nb}: donnez le chemin d'une base cnrm ou d'un fichier à créer"),
            format!("error: {text} is not a SQLite database: give the path of a cnrm database or of a file to create"),
        ),
        (
            "/dev/null".to_string(),
            2,
            format!("erreur{nb}: impossible d'ouvrir la base de données /dev/null{nb}: ce n'est pas un fichier ordinaire"),
            "error: cannot open the database /dev/null: it is not a regular file".to_string(),
        ),
        (
            folder.clone(),
            2,
            format!("erreur{nb}: impossible d'ouvrir la base de données {folder}{nb}: ce n'est pas un fichier ordinaire"),
            format!("error: cannot open the database {folder}: it is not a regular file"),
        ),
        (
            missing.clone(),
            2,
            format!("erreur{nb}: le dossier de la base de données {missing} n'existe pas{nb}: créez-le ou corrigez le chemin"),
            format!("error: the folder of the database {missing} does not exist: create it or correct the path"),
        ),
        (
            "mysql://root:S3cret@h/x".to_string(),
            2,
            format!("erreur{nb}: valeur invalide pour --db{nb}; les bases de données `mysql://` ne sont pas prises en charge{nb}: donnez le chemin d'un fichier SQLite, sqlite://FICHIER ou postgres://… (voir `cnrm plans --help`)"),
            "error: invalid value for --db; `mysql://` databases are not supported: give the path of a SQLite file, sqlite://FILE or postgres://… (see `cnrm plans --help`)".to_string(),
        ),
        (
            "postgres://cnrm:a/b?c d@e@127.0.0.1:1/nulle".to_string(),
            1,
            format!("erreur{nb}: le serveur 127.0.0.1:1 refuse la connexion à la base de données postgres://cnrm:***@127.0.0.1:1/nulle{nb}: PostgreSQL est-il démarré et à l'écoute sur ce port{nb}?"),
            "error: the server 127.0.0.1:1 refuses the connection to the database postgres://cnrm:***@127.0.0.1:1/nulle: is PostgreSQL running and listening on that port?".to_string(),
        ),
    ] {
        let (c, _, err) = exec(cnrm().args(["--db", &db, "plans"]));
        assert_eq!((c, err.trim_end()), (code, fr.as_str()), "{db}");
        let (c, _, err) = exec(cnrm().args(["--lang", "en", "--db", &db, "plans"]));
        assert_eq!((c, err.trim_end()), (code, en.as_str()), "{db}");
    }
    assert!(!std::path::Path::new(&missing).exists());
    let (code, _, err) = exec(cnrm().args(["--db", "", "plans"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("l'adresse de la base de données est vide"),
        "{err}"
    );

    // PostgreSQL: a database that does not exist, a wrong password.
    if let Some(pg) = TestDb::postgres() {
        let base = pg
            .url
            .rsplit_once('/')
            .map(|(b, _)| b.to_string())
            .expect("url");
        let nope = format!("{base}/cnrm_no_such_db_xyz");
        let (code, _, err) = exec(cnrm().args(["--db", &nope, "plans"]));
        assert_eq!(code, 2, "{err}");
        assert_eq!(
            err.trim_end(),
            format!("erreur{nb}: la base de données {nope} n'existe pas sur son serveur{nb}: créez-la (createdb) ou corrigez son nom")
        );
        let (code, _, _) = exec(cnrm().args(["--db", &pg.url, "plans"]));
        assert_eq!(code, 0);
    }
}

#[test]
fn without_a_terminal_cnrm_prints_the_plans() {
    let db = TestDb::sqlite();
    assert_eq!(
        exec(cnrm_db(&db, NOW).args(["plan", "apply", EXAMPLE])).0,
        0
    );
    let (_, plans, _) = exec(cnrm_db(&db, NOW).args(["plans"]));
    for args in [vec![], vec!["tui"]] {
        let (code, out, err) = exec(cnrm_db(&db, NOW).args(&args).stdin(Stdio::null()));
        assert_eq!((code, out.as_str()), (0, plans.as_str()), "{args:?}: {err}");
    }
    let (code, _, err) = exec(
        cnrm_db(&db, NOW)
            .args(["tui", "--plan", "nope"])
            .stdin(Stdio::null()),
    );
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "erreur\u{a0}: aucun plan `nope` dans la base (voir `cnrm plans`)"
    );
}
