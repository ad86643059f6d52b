//! The store's story, run unchanged on a temporary SQLite file and on the real PostgreSQL server:
//! a plan is applied, work is recorded, the plan is reshuffled (renames, removals, moved
//! deadlines, a split task, a shorter period, a renamed organisation) and applied again, and
//! nothing recorded is lost.

use crate::common::db::{block_on, TestDb};
use cnrm_engine::clock::Clock;
use cnrm_engine::plan::{check_source, Plan};
use cnrm_engine::store::{ApplyReport, Rename, SetRequest, Store, TaskFilter};
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;

const V1: &str = r#"version: 1
plan:
  id: story
  title: Plan d'essai de l'histoire
  period: { start: 2025-01-01, end: 2025-12-31 }
  secretariat: st
owners:
  - { id: st, name: Secrétariat technique, email: st@example.ml }
  - { id: dgme, name: "Délégation générale des Maliens de l'extérieur", email: dgme@example.ml }
priorities:
  - id: axe-1
    title: Accueil et réintégration
    indicators:
      - { id: axe-1.i1, title: Migrants accueillis, baseline: 0, target: 100 }
    tasks:
      - { id: a1, title: "Règlement intérieur : l'échéance", owner: st, deadline: T2 2025 }
      - { id: a2, title: Centre de Kayes, owner: dgme, deadline: 2025-06-16, resources: [{ kind: budget, amount: 1000, currency: EUR, funder: dgme }] }
      - { id: a3, title: Grande tâche à scinder, owner: [st, dgme], deadline: T3 2025 }
      - { id: a4, title: Tâche retirée puis rendue, owner: st, deadline: T4 2025 }
      - { id: rapport, title: Rapport trimestriel, owner: st, deadline: T1 2025, repeat: quarterly }
"#;

/// The reshuffle: a1 renamed and moved, a2 moved, a3 split in two, a4 removed, the period ends
/// in September (the December report goes), and the DGME gets a new id.
const V2: &str = r#"version: 1
plan:
  id: story
  title: Plan d'essai de l'histoire
  period: { start: 2025-01-01, end: 2025-09-30 }
  secretariat: st
owners:
  - { id: st, name: Secrétariat technique, email: st@example.ml }
  - { id: dgme-mali, renamed_from: dgme, name: "Délégation générale des Maliens de l'extérieur", email: dgme@example.ml }
priorities:
  - id: axe-1
    title: Accueil et réintégration
    indicators:
      - { id: axe-1.i1, title: Migrants accueillis, baseline: 0, target: 100 }
    tasks:
      - { id: a1-bis, renamed_from: a1, title: "Règlement intérieur : l'échéance", owner: st, deadline: T3 2025 }
      - { id: a2, title: Centre de Kayes, owner: dgme-mali, deadline: 2025-07-15, resources: [{ kind: budget, amount: 1000, currency: EUR, funder: dgme-mali }] }
      - { id: a3a, renamed_from: a3, title: Première moitié, owner: st, deadline: T3 2025 }
      - { id: a3b, title: Seconde moitié, owner: dgme-mali, deadline: T3 2025 }
      - { id: rapport, title: Rapport trimestriel, owner: st, deadline: T1 2025, repeat: quarterly }
"#;

fn plan(src: &str) -> Plan {
    let checked = check_source(src, "story.yaml", Lang::Fr);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    checked.plan.expect("valid plan")
}

fn v3() -> String {
    V2.replace(
        "      - { id: rapport,",
        "      - { id: a4, title: Tâche retirée puis rendue, owner: st, deadline: T4 2025 }\n      - { id: rapport,",
    )
    .replace("end: 2025-09-30", "end: 2025-12-31")
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

async fn story(db: &TestDb) {
    let label = db.label;
    let store = Store::open(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{label}: open: {e}"));
    let clock = Clock::parse("2025-08-01").expect("clock");
    let none = |_: u64, _: u64| {};

    // First apply: everything is new; applying the same file again records nothing.
    let p1 = plan(V1);
    let diff = store.diff(&p1, V1).await.expect("diff v1");
    let r1 = store
        .apply(
            &p1,
            V1,
            "story.yaml",
            "alice",
            Some("première version"),
            &clock,
            &none,
        )
        .await
        .expect("apply v1");
    assert_eq!(r1.revision, Some(1), "{label}");
    assert_eq!(
        ApplyReport {
            revision: None,
            ..r1.clone()
        },
        diff,
        "{label}: diff shows what apply does"
    );
    assert!(
        r1.added.contains(&"rapport@2025-12-31".to_string()),
        "{label}: occurrences materialised"
    );
    assert_eq!(
        r1.added.len(),
        2 + 1 + 1 + 4 + 4,
        "{label}: owners, priority, indicator, tasks, occurrences"
    );
    let again = store
        .apply(&p1, V1, "story.yaml", "alice", None, &clock, &none)
        .await
        .expect("re-apply");
    assert_eq!(again.revision, None, "{label}: same file, no new revision");
    assert!(again.is_empty());
    assert_eq!(again.unchanged, 12);

    // Work is recorded.
    let note = "Réunion à Kayes — d'accord, « priorité »";
    let set = |status: Option<Status>, progress: Option<i64>, note: Option<&str>| SetRequest {
        status,
        progress,
        note: note.map(str::to_string),
        date: None,
    };
    store
        .set_task(
            "a1",
            None,
            &set(Some(Status::InProgress), Some(40), Some(note)),
            "bob",
            &clock,
        )
        .await
        .expect("set a1");
    store
        .set_task(
            "a3",
            None,
            &set(
                Some(Status::Blocked),
                None,
                Some("En attente du financement"),
            ),
            "bob",
            &clock,
        )
        .await
        .expect("set a3");
    let done = store
        .set_task(
            "a4",
            None,
            &set(Some(Status::Done), None, None),
            "bob",
            &clock,
        )
        .await
        .expect("set a4");
    assert_eq!(done.progress, 100, "{label}: done sets progress to 100");
    store
        .set_task(
            "rapport@2025-03-31",
            None,
            &set(Some(Status::Done), None, None),
            "bob",
            &clock,
        )
        .await
        .expect("set occurrence");
    let spent = store
        .spend(
            "a2",
            None,
            100.0,
            Some("EUR"),
            None,
            Some("Acompte"),
            "bob",
            &clock,
        )
        .await
        .expect("spend");
    assert_eq!(
        (spent.amount_plan, spent.currency.as_str()),
        (65_595.7, "XOF")
    );
    store
        .record_indicator(
            "axe-1.i1",
            None,
            42.0,
            None,
            Some("Premier trimestre"),
            "bob",
            &clock,
        )
        .await
        .expect("indicator");

    let late = store
        .tasks(
            &TaskFilter {
                overdue: true,
                ..TaskFilter::default()
            },
            &clock,
        )
        .await
        .expect("overdue");
    let late_ids: Vec<&str> = late.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        late_ids,
        ["a2", "a1", "rapport@2025-06-30"],
        "{label}: in progress or not, past the deadline is late"
    );

    // The reshuffle: diff, then apply, must agree, and every piece of state must survive.
    let p2 = plan(V2);
    let diff2 = store.diff(&p2, V2).await.expect("diff v2");
    let r2 = store
        .apply(
            &p2,
            V2,
            "story.yaml",
            "alice",
            Some("report suite au remaniement"),
            &clock,
            &none,
        )
        .await
        .expect("apply v2");
    assert_eq!(
        ApplyReport {
            revision: None,
            ..r2.clone()
        },
        diff2,
        "{label}: diff shows what apply does"
    );
    assert_eq!(r2.revision, Some(2));
    assert_eq!(r2.added, ids(&["a3b"]), "{label}");
    assert_eq!(
        sorted(r2.archived.clone()),
        ids(&["a4", "rapport@2025-12-31"]),
        "{label}"
    );
    let mut renamed = r2.renamed.clone();
    renamed.sort_by(|a, b| a.from.cmp(&b.from));
    let rename = |f: &str, t: &str| Rename {
        from: f.into(),
        to: t.into(),
    };
    assert_eq!(
        renamed,
        [
            rename("a1", "a1-bis"),
            rename("a3", "a3a"),
            rename("dgme", "dgme-mali")
        ],
        "{label}"
    );
    assert_eq!(r2.changed, ids(&["a2"]), "{label}");
    let slipped: Vec<(&str, Option<i64>)> = r2.slips.iter().map(|s| (s.0.as_str(), s.3)).collect();
    assert_eq!(slipped, [("a1-bis", Some(92)), ("a2", Some(29))], "{label}");

    let a1 = store
        .task_detail("a1-bis", None, &clock)
        .await
        .expect("renamed task");
    assert_eq!(
        (a1.row.status, a1.row.progress),
        (Status::InProgress, 40),
        "{label}: state moved with the rename"
    );
    assert_eq!(
        a1.row.title, "Règlement intérieur : l'échéance",
        "{label}: accents and apostrophes"
    );
    assert!(
        a1.history.iter().any(|h| h.note.as_deref() == Some(note)),
        "{label}: the note survived: {:?}",
        a1.history
    );
    assert!(
        a1.history
            .iter()
            .any(|h| matches!(h.event, cnrm_engine::records::Event::Renamed { .. })),
        "{label}"
    );
    assert_eq!(a1.slips.len(), 1);
    assert!(
        store.task_detail("a1", None, &clock).await.is_err(),
        "{label}: the old id is gone, not duplicated"
    );
    let a3a = store.task_detail("a3a", None, &clock).await.expect("split");
    assert_eq!(a3a.row.status, Status::Blocked, "{label}");
    let a2 = store.task_detail("a2", None, &clock).await.expect("a2");
    assert_eq!(a2.spent, 65_595.7, "{label}: spending survived");
    assert_eq!(a2.row.owners, ids(&["dgme-mali"]));
    assert_eq!(a2.row.deadline.as_deref(), Some("2025-07-15"));
    let by_owner = store
        .tasks(
            &TaskFilter {
                owner: Some("dgme-mali".into()),
                ..TaskFilter::default()
            },
            &clock,
        )
        .await
        .expect("owner");
    assert_eq!(
        by_owner.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["a2", "a3b"],
        "{label}"
    );
    let visible = store
        .tasks(&TaskFilter::default(), &clock)
        .await
        .expect("tasks");
    assert!(
        !visible.iter().any(|t| t.id == "a4"),
        "{label}: archived tasks are hidden"
    );
    let with_archived = TaskFilter {
        archived: true,
        ..TaskFilter::default()
    };
    let all = store.tasks(&with_archived, &clock).await.expect("tasks");
    // By deadline (the same SQL on both databases), ongoing tasks last.
    let keys: Vec<(bool, Option<&str>)> = all
        .iter()
        .map(|t| (t.deadline.is_none(), t.deadline.as_deref()))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{label}: {keys:?}");
    let a4 = all
        .iter()
        .find(|t| t.id == "a4")
        .expect("archived, not deleted");
    assert!(a4.archived && a4.status == Status::Done, "{label}");
    let err = store
        .set_task(
            "a4",
            None,
            &set(Some(Status::Todo), None, None),
            "bob",
            &clock,
        )
        .await;
    assert!(err.is_err(), "{label}: archived tasks are read-only");

    // The removed task comes back with its state.
    let v3 = v3();
    let p3 = plan(&v3);
    let r3 = store
        .apply(&p3, &v3, "story.yaml", "alice", None, &clock, &none)
        .await
        .expect("apply v3");
    assert_eq!(
        sorted(r3.restored.clone()),
        ids(&["a4", "rapport@2025-12-31"]),
        "{label}"
    );
    let a4 = store
        .task_detail("a4", None, &clock)
        .await
        .expect("restored");
    assert_eq!(
        (a4.row.status, a4.row.archived),
        (Status::Done, false),
        "{label}"
    );
    let plans = store.plans(&clock).await.expect("plans");
    assert_eq!(plans[0].revision, 3);
    assert_eq!(plans[0].last_message, None);

    // Search ignores accents and case; due-within follows the clock.
    let found = store
        .tasks(
            &TaskFilter {
                search: Some("ECHEANCE".into()),
                ..TaskFilter::default()
            },
            &clock,
        )
        .await
        .expect("search");
    assert_eq!(
        found.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["a1-bis"],
        "{label}"
    );
    let soon = store
        .tasks(
            &TaskFilter {
                due_within: Some(14),
                ..TaskFilter::default()
            },
            &clock,
        )
        .await
        .expect("due");
    assert!(
        soon.iter()
            .all(|t| t.deadline.as_deref() <= Some("2025-08-15")),
        "{label}"
    );
    store.close().await;
}

#[test]
fn store_story_on_sqlite_and_postgres() {
    for db in TestDb::all() {
        block_on(story(&db));
    }
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    for db in TestDb::all() {
        block_on(async {
            let store = Store::open(&db.url).await.expect("open");
            store.close().await;
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
            sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101000000, 'from the future', TRUE, x'00', 0)")
                .execute(&mut conn)
                .await
                .or(sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101000000, 'from the future', TRUE, '\\x00'::bytea, 0)").execute(&mut conn).await)
                .expect("pretend a newer cnrm migrated it");
            conn.close().await.ok();
            let err = Store::open(&db.url).await.err().expect("refused");
            let msg = cnrm_tui::strings::store_error(Lang::Fr, &err);
            assert!(
                msg.contains("schéma plus récent") && msg.contains("n'a pas été modifiée"),
                "{}: {msg}",
                db.label
            );
        });
    }
}

/// A task of [`long_plan`]: id, deadline (`None` for `continu`), owner.
type LongTask = (String, Option<String>, &'static str);

/// A plan of `n` tasks: deadlines spread over 2025 (every tenth task `continu`), owners
/// alternating, titles with accents; task `i` is at plan position `i`.
fn long_plan(n: usize) -> (String, Vec<LongTask>) {
    let mut src = String::from(
        "version: 1\nplan:\n  id: longue\n  title: Liste longue\n  period: { start: 2025-01-01, end: 2025-12-31 }\n  secretariat: st\ncalendar: { weekend: [] }\nowners:\n  - { id: st, name: Secrétariat, email: st@example.ml }\n  - { id: dgme, name: DGME, email: dgme@example.ml }\npriorities:\n  - id: axe-1\n    title: Axe\n    tasks:\n",
    );
    let mut tasks = Vec::new();
    for i in 0..n {
        let id = format!("t{i}");
        let owner = if i % 3 == 0 { "dgme" } else { "st" };
        let deadline =
            (i % 10 != 0).then(|| format!("2025-{:02}-{:02}", 1 + (i * 7) % 12, 1 + (i * 11) % 28));
        let due = deadline.as_deref().unwrap_or("continu");
        src.push_str(&format!(
            "      - {{ id: {id}, title: \"Tâche n° {i} : l'été\", owner: {owner}, deadline: {due} }}\n"
        ));
        tasks.push((id, deadline, owner));
    }
    (src, tasks)
}

async fn long_lists(db: &TestDb) {
    let label = db.label;
    let store = Store::open(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{label}: open: {e}"));
    let clock = Clock::parse("2025-08-01").expect("clock");
    // Long lists, in order, on both databases.
    let (src, tasks) = long_plan(6_000);
    let p = plan(&src);
    store
        .apply(&p, &src, "longue.yaml", "alice", None, &clock, &|_, _| {})
        .await
        .expect("apply");
    // What each filter should list, in list order: by deadline (ongoing last), then position.
    let expected = |keep: &dyn Fn(&Option<String>, &str) -> bool| -> Vec<String> {
        let mut kept: Vec<(bool, Option<String>, usize, String)> = tasks
            .iter()
            .enumerate()
            .filter(|(_, (_, d, o))| keep(d, o))
            .map(|(i, (id, d, _))| (d.is_none(), d.clone(), i, id.clone()))
            .collect();
        kept.sort();
        kept.into_iter().map(|k| k.3).collect()
    };
    let listed = |rows: Vec<cnrm_engine::store::TaskRow>| -> Vec<String> {
        rows.into_iter().map(|r| r.id).collect()
    };
    let all = store
        .tasks(&TaskFilter::default(), &clock)
        .await
        .expect("all");
    assert!(
        all.iter().all(|r| r.title.contains("l'été")),
        "{label}: accents and apostrophes survive"
    );
    assert_eq!(
        listed(all),
        expected(&|_, _| true),
        "{label}: every task once, in order"
    );
    // A long overdue list (on SQLite, read from the deadline index alone).
    let overdue_filter = TaskFilter {
        overdue: true,
        ..TaskFilter::default()
    };
    let overdue = expected(&|d, _| d.as_deref().is_some_and(|d| d < "2025-08-01"));
    assert!(overdue.len() * 5 > tasks.len(), "{label}: a long range");
    let got = store.tasks(&overdue_filter, &clock).await.expect("overdue");
    assert_eq!(listed(got), overdue, "{label}: overdue");
    assert_eq!(
        store
            .count_tasks(&overdue_filter, &clock)
            .await
            .expect("count"),
        overdue.len() as i64,
        "{label}"
    );
    // A narrow range.
    let soon = TaskFilter {
        due_within: Some(3),
        ..TaskFilter::default()
    };
    let got = store.tasks(&soon, &clock).await.expect("due within");
    let want = expected(&|d, _| {
        d.as_deref()
            .is_some_and(|d| ("2025-08-01"..="2025-08-04").contains(&d))
    });
    assert!(!want.is_empty(), "{label}");
    assert_eq!(listed(got), want, "{label}: due within");
    // An owner: a scan of the whole table.
    let dgme = TaskFilter {
        owner: Some("dgme".into()),
        ..TaskFilter::default()
    };
    let got = store.tasks(&dgme, &clock).await.expect("owner");
    assert_eq!(listed(got), expected(&|_, o| o == "dgme"), "{label}: owner");
    store.close().await;
}

#[test]
fn long_lists_are_read_whole_and_in_order() {
    for db in TestDb::all() {
        block_on(long_lists(&db));
    }
}

// ---- plan diff and apply, field by field, through the binary ---------------------------------

const REVIEW_V1: &str = r#"version: 1
plan:
  id: revue
  title: Plan de revue
  period: { start: 2025-01-01, end: 2025-12-31 }
  secretariat: st
owners:
  - { id: st, name: Secrétariat technique, email: st@example.ml }
  - { id: ue, name: Union européenne, email: ue@example.ml }
priorities:
  - id: p3
    title: Financement
    tasks:
      - { id: p3.t1, title: Étude de faisabilité, owner: st, deadline: T3 2025 }
      - { id: p3.t3, title: Centre d'accueil, owner: st, deadline: 2025-06-30, resources: [{ kind: budget, amount: 45_000_000, funder: ue, status: secured }] }
      - { id: p3.t4, title: Tâche retirée puis rendue, owner: st, deadline: T4 2025 }
      - { id: rapport, title: Rapport trimestriel, owner: st, deadline: T1 2025, repeat: quarterly }
"#;

/// The review: p3.t1 retitled and moved a quarter, p3.t3's budget from 45 to 50 million and
/// its funding only pledged, p3.t4 removed, a new task claiming a former id that never existed,
/// and the period ending in September (the December report goes).
fn review_v2() -> String {
    REVIEW_V1
        .replace(
            "title: Étude de faisabilité, owner: st, deadline: T3 2025",
            "title: Étude de faisabilité révisée, owner: st, deadline: T4 2025",
        )
        .replace(
            "amount: 45_000_000, funder: ue, status: secured",
            "amount: 50_000_000, funder: ue, status: pledged",
        )
        .replace(
            "      - { id: p3.t4, title: Tâche retirée puis rendue, owner: st, deadline: T4 2025 }\n",
            "      - { id: p3.t5, renamed_from: p3.t9, title: Nouvelle tâche, owner: st, deadline: T4 2025 }\n",
        )
        .replace("end: 2025-12-31", "end: 2025-09-30")
}

fn review(db: &TestDb) {
    use crate::common::{cnrm_db, exec, write_plan};
    let label = db.label;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| exec(cnrm_db(db, "2025-08-01").args(args));
    let v1 = write_plan(dir.path(), "revue.yaml", REVIEW_V1);
    let (code, _, err) = run(&["plan", "apply", &v1]);
    assert_eq!(code, 0, "{label}: {err}");

    // What the review changes, field by field: the same object from diff and from apply.
    let v2 = write_plan(dir.path(), "revue-2.yaml", &review_v2());
    let (code, out, err) = run(&["plan", "diff", &v2, "--format", "json"]);
    assert_eq!(code, 0, "{label}: {err}");
    let diff: serde_json::Value = serde_json::from_str(&out).expect("diff JSON");
    let changes = &diff["changes"];
    assert_eq!(
        changes["p3.t1"],
        serde_json::json!({
            "title": { "from": "Étude de faisabilité", "to": "Étude de faisabilité révisée" },
            "deadline": { "from": "T3 2025", "to": "T4 2025", "days": 92 },
        }),
        "{label}: {out}"
    );
    assert_eq!(
        changes["p3.t3"]["budget"],
        serde_json::json!({ "from": 45_000_000, "to": 50_000_000 }),
        "{label}"
    );
    assert_eq!(
        changes["p3.t3"]["resources"]["to"],
        serde_json::json!([{ "kind": "budget", "amount": 50_000_000, "currency": "XOF", "funder": "ue", "status": "pledged" }]),
        "{label}"
    );
    assert_eq!(
        changes["revue"]["period"],
        serde_json::json!({
            "from": { "start": "2025-01-01", "end": "2025-12-31" },
            "to": { "start": "2025-01-01", "end": "2025-09-30" },
        }),
        "{label}"
    );
    assert_eq!(
        diff["changed"],
        serde_json::json!(["p3.t1", "p3.t3"]),
        "{label}"
    );
    assert_eq!(
        diff["archived"],
        serde_json::json!(["p3.t4", "rapport@2025-12-31"]),
        "{label}"
    );
    assert_eq!(
        diff["warnings"],
        serde_json::json!([{ "code": "renamed-from-unknown", "kind": "task", "id": "p3.t5", "renamed_from": "p3.t9" }]),
        "{label}"
    );
    assert_eq!(diff["revision"], serde_json::Value::Null, "{label}");

    let (code, human, err) = run(&["plan", "diff", &v2]);
    assert_eq!(code, 0, "{label}: {err}");
    let nb = '\u{a0}';
    for line in [
        format!("  - 2 archivés{nb}: p3.t4, rapport@2025-12-31"),
        format!("  1 occurrence archivée{nb}: la période se termine désormais le 30/09/2025"),
        "  plan revue".to_string(),
        format!("    période{nb}: du 01/01/2025 au 31/12/2025 → du 01/01/2025 au 30/09/2025"),
        "  tâche p3.t1".to_string(),
        format!("    titre{nb}: «{nb}Étude de faisabilité{nb}» → «{nb}Étude de faisabilité révisée{nb}»"),
        format!("    échéance{nb}: T3 2025 → T4 2025 (+92 jours)"),
        "  tâche p3.t3".to_string(),
        format!("    ressource 1 (ue), statut{nb}: acquis → promis"),
        format!("    budget prévu{nb}: 45{nb}000{nb}000{nb}FCFA → 50{nb}000{nb}000{nb}FCFA"),
        format!("avertissement{nb}: `renamed_from: p3.t9` ne désigne rien dans la base{nb}: la tâche p3.t5 est ajoutée comme nouvelle"),
    ] {
        assert!(
            human.lines().any(|l| l == line),
            "{label}: missing {line:?} in\n{human}"
        );
    }
    let (_, english, _) = run(&["plan", "diff", &v2, "--lang", "en"]);
    for line in [
        "  1 occurrence archived: the period now ends on 2025-09-30",
        "    deadline: T3 2025 → T4 2025 (+92 days)",
        "    planned budget: 45\u{a0}000\u{a0}000\u{a0}FCFA → 50\u{a0}000\u{a0}000\u{a0}FCFA",
        "    resource 1 (ue), status: secured → pledged",
        "warning: `renamed_from: p3.t9` names nothing in the database: task p3.t5 is added as new",
    ] {
        assert!(
            english.lines().any(|l| l == line),
            "{label}: missing {line:?} in\n{english}"
        );
    }

    let (code, out, err) = run(&["plan", "apply", &v2, "--format", "json"]);
    assert_eq!(code, 0, "{label}: {err}");
    let applied: serde_json::Value = serde_json::from_str(&out).expect("apply JSON");
    assert_eq!(applied["revision"], 2, "{label}");
    assert_eq!(
        applied["changes"], diff["changes"],
        "{label}: diff said what apply did"
    );
    assert_eq!(applied["warnings"], diff["warnings"], "{label}");

    // Comments and layout only: nothing to apply, for diff and apply alike; no revision.
    let relaid = format!(
        "# Relu le 2 août\n{}",
        review_v2().replace("  - id: p3\n", "\n  - id: p3   # l'axe 3\n")
    );
    let v2b = write_plan(dir.path(), "revue-2b.yaml", &relaid);
    let nothing = "plan revue\u{a0}: rien à appliquer, la base est à jour\n";
    let (code, out, err) = run(&["plan", "diff", &v2b]);
    assert_eq!((code, out.as_str()), (0, nothing), "{label}: {err}");
    let (code, out, err) = run(&["plan", "apply", &v2b]);
    assert_eq!((code, out.as_str()), (0, nothing), "{label}: {err}");
    let (_, out, _) = run(&["plan", "apply", &v2b, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        (json["revision"].clone(), json["changes"].clone()),
        (serde_json::Value::Null, serde_json::json!({})),
        "{label}"
    );
    let (_, plans, _) = run(&["plans", "--format", "json"]);
    let plans: serde_json::Value = serde_json::from_str(&plans).expect("plans JSON");
    assert_eq!(plans[0]["revision"], 2, "{label}: no revision recorded");

    // p3.t4 comes back, p3.t1 is renamed: archive, restore and rename are in the history.
    let v3 = review_v2()
        .replace(
            "      - { id: rapport,",
            "      - { id: p3.t4, title: Tâche retirée puis rendue, owner: st, deadline: T4 2025 }\n      - { id: rapport,",
        )
        .replace("id: p3.t1, title", "id: p3.t2, renamed_from: p3.t1, title");
    let v3 = write_plan(dir.path(), "revue-3.yaml", &v3);
    let (code, out, err) = run(&["plan", "apply", &v3, "--format", "json"]);
    assert_eq!(code, 0, "{label}: {err}");
    let r3: serde_json::Value = serde_json::from_str(&out).expect("apply JSON");
    assert_eq!(r3["restored"], serde_json::json!(["p3.t4"]), "{label}");
    // p3.t4 is back before the report: the report's occurrences only move down a place.
    assert!(
        r3["changes"].get("rapport@2025-03-31").is_none(),
        "{label}: a move alone is no change: {out}"
    );
    assert_eq!(r3["reordered"], 3, "{label}: {out}");
    assert!(
        r3["changes"].get("p3.t2").is_none(),
        "{label}: a rename alone changes no field: {out}"
    );
    let history = |id: &str| -> Vec<(String, serde_json::Value)> {
        let (code, out, err) = run(&["task", "show", id, "--format", "json"]);
        assert_eq!(code, 0, "{label}: {err}");
        let detail: serde_json::Value = serde_json::from_str(&out).expect("task JSON");
        detail["history"]
            .as_array()
            .expect("history")
            .iter()
            .map(|h| {
                (
                    h["kind"].as_str().unwrap_or("").to_string(),
                    h["data"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        history("p3.t4"),
        [
            ("archived".to_string(), serde_json::json!({ "revision": 2 })),
            ("restored".to_string(), serde_json::json!({ "revision": 3 })),
        ],
        "{label}"
    );
    assert_eq!(
        history("p3.t2"),
        [
            (
                "deadline_moved".to_string(),
                serde_json::json!({ "from": "T3 2025", "to": "T4 2025", "days": 92, "revision": 2 })
            ),
            (
                "retitled".to_string(),
                serde_json::json!({ "from": "Étude de faisabilité", "to": "Étude de faisabilité révisée", "revision": 2 })
            ),
            (
                "renamed".to_string(),
                serde_json::json!({ "from": "p3.t1", "to": "p3.t2", "revision": 3 })
            )
        ],
        "{label}: revision 2's changes, then the rename"
    );
    let occurrence = history("rapport@2025-12-31");
    assert_eq!(
        occurrence,
        [("archived".to_string(), serde_json::json!({ "revision": 2 }))],
        "{label}: each archived occurrence has its entry"
    );
    // The old id says where the task went, as users reach it: `task show`.
    let (code, _, err) = run(&["task", "show", "p3.t1"]);
    assert_eq!(
        (code, err.trim_end()),
        (
            1,
            "la tâche p3.t1 a été renommée p3.t2\u{a0}; voir `cnrm task show p3.t2`"
        ),
        "{label}"
    );
    let (code, _, err) = run(&["task", "show", "p3.t4", "--plan", "revue"]);
    assert_eq!(code, 0, "{label}: p3.t4 is back, never renamed: {err}");
    // Applying the same file again records nothing, not even history entries.
    let (code, out, _) = run(&["plan", "apply", &v3]);
    assert_eq!((code, out.as_str()), (0, nothing), "{label}");
    assert_eq!(history("p3.t4").len(), 2, "{label}");
}

#[test]
fn diff_and_apply_say_each_changed_field_on_sqlite_and_postgres() {
    for db in TestDb::all() {
        review(&db);
    }
}

// ---- reviewing a plan change: what a reviewer needs, and the task's history after it -------

const CONTEXT_V1: &str = r#"version: 1
plan:
  id: contexte
  title: Plan de contexte
  period: { start: 2026-01-01, end: 2026-12-31 }
  secretariat: st
owners:
  - { id: st, name: Secrétariat technique, email: st@example.ml }
  - { id: ue, name: Union européenne, email: ue@example.ml }
priorities:
  - id: axe-3
    title: Suivi
    tasks:
      - { id: axe-3.a1, title: Atelier de lancement, owner: st, deadline: T1 2026 }
      - { id: axe-3.a2, title: Centre d'écoute de Kayes, owner: st, deadline: 2026-06-30 }
      - { id: axe-3.a3, title: Guide d'accueil, owner: st, deadline: T2 2026 }
      - { id: axe-3.a6, title: Rapport trimestriel, owner: st, deadline: T1 2026, repeat: quarterly }
"#;

/// A task inserted at the top (every other one moves down a place, nothing else changes),
/// axe-3.a1 retitled and moved a quarter, axe-3.a2 gone while in progress with money spent and
/// added back as axe-3.a7 under the same title, a new funded task, and the period ending in
/// September (the December report goes).
fn context_v2() -> String {
    CONTEXT_V1
        .replace(
            "    tasks:\n",
            "    tasks:\n      - { id: axe-3.a0, title: Cadrage, owner: [st, ue], deadline: 2026-02-15, resources: [{ kind: budget, amount: 2_000_000, funder: ue, status: secured }] }\n",
        )
        .replace(
            "title: Atelier de lancement, owner: st, deadline: T1 2026",
            "title: Atelier national de lancement, owner: st, deadline: T2 2026",
        )
        .replace(
            "      - { id: axe-3.a2, title: Centre d'écoute de Kayes, owner: st, deadline: 2026-06-30 }\n",
            "",
        )
        .replace(
            "      - { id: axe-3.a6,",
            "      - { id: axe-3.a7, title: Centre d'écoute de Kayes, owner: st, deadline: 2026-06-30 }\n      - { id: axe-3.a6,",
        )
        .replace("end: 2026-12-31", "end: 2026-09-30")
}

fn context(db: &TestDb) {
    use crate::common::{cnrm_db, exec, write_plan};
    let label = db.label;
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| exec(cnrm_db(db, "2026-03-01").args(args));
    let ok = |args: &[&str]| {
        let (code, out, err) = run(args);
        assert_eq!(code, 0, "{label}: {args:?}: {err}");
        out
    };
    let v1 = write_plan(dir.path(), "contexte.yaml", CONTEXT_V1);
    ok(&["plan", "apply", &v1]);
    ok(&[
        "task",
        "set",
        "axe-3.a2",
        "--status",
        "in_progress",
        "--progress",
        "40",
    ]);
    ok(&["task", "spend", "axe-3.a2", "150000"]);
    ok(&["task", "set", "axe-3.a3", "--note", "Relire avec la DGME"]);

    let v2 = write_plan(dir.path(), "contexte-2.yaml", &context_v2());
    let diff: serde_json::Value =
        serde_json::from_str(&ok(&["plan", "diff", &v2, "--format", "json"])).expect("JSON");
    // A move in the file alone is counted once, not listed as a change.
    assert_eq!(
        diff["changed"],
        serde_json::json!(["axe-3.a1"]),
        "{label}: {diff}"
    );
    assert_eq!(diff["reordered"], 3, "{label}: {diff}");
    assert!(diff["changes"].get("axe-3.a3").is_none(), "{label}: {diff}");
    // An added task says what it is.
    assert_eq!(
        diff["changes"]["axe-3.a0"],
        serde_json::json!({
            "deadline": { "from": null, "to": "2026-02-15" },
            "owners": { "from": null, "to": ["st", "ue"] },
            "budget": { "from": null, "to": 2_000_000 },
        }),
        "{label}: {diff}"
    );
    // A task that goes while it holds work: said, with the added task of the same title.
    assert_eq!(
        diff["warnings"],
        serde_json::json!([{
            "code": "archived-with-state", "kind": "task", "id": "axe-3.a2",
            "held": { "status": "in_progress", "progress": 40, "spent": 150000.0 },
            "same_title": "axe-3.a7",
        }]),
        "{label}: {diff}"
    );
    let nb = '\u{a0}';
    let warning = format!(
        "avertissement{nb}: la tâche axe-3.a2 n'est plus dans le fichier et est archivée avec le statut «{nb}en cours{nb}», 40{nb}% d'avancement, 150{nb}000{nb}FCFA dépensés{nb}; la tâche ajoutée axe-3.a7 a le même titre{nb}: si c'est la même, écrivez `renamed_from: axe-3.a2` dans axe-3.a7 pour qu'elle garde son état"
    );
    let human = ok(&["plan", "diff", &v2]);
    for line in [
        "  ⇅ 3 déplacés dans le fichier (rang seul, rien d'autre ne change)".to_string(),
        format!("Ajouts{nb}:"),
        "  tâche axe-3.a0".to_string(),
        format!("    échéance{nb}: 15/02/2026"),
        format!("    responsables{nb}: st, ue"),
        format!("    budget prévu{nb}: 2{nb}000{nb}000{nb}FCFA"),
        warning.clone(),
    ] {
        assert!(
            human.lines().any(|l| l == line),
            "{label}: missing {line:?} in\n{human}"
        );
    }
    assert!(!human.contains("rang dans le plan"), "{label}:\n{human}");
    let english = ok(&["plan", "diff", &v2, "--lang", "en"]);
    assert!(
        english.contains("warning: task axe-3.a2 is no longer in the file and is archived with status \"in progress\", 40% progress, 150\u{a0}000\u{a0}FCFA spent; added task axe-3.a7 has the same title"),
        "{label}:\n{english}"
    );

    let applied = ok(&["plan", "apply", &v2, "-m", "report suite au remaniement"]);
    assert!(applied.lines().any(|l| l == warning), "{label}:\n{applied}");

    // The revision's changes are in the task's history, with its author and message.
    let a1 = ok(&["task", "show", "axe-3.a1"]);
    for line in [
        format!(" — secretariat — échéance déplacée{nb}: T1 2026 → T2 2026 (+91 jours) · révision 2 «{nb}report suite au remaniement{nb}»"),
        format!(" — secretariat — titre{nb}: «{nb}Atelier de lancement{nb}» → «{nb}Atelier national de lancement{nb}» · révision 2 «{nb}report suite au remaniement{nb}»"),
    ] {
        assert!(
            a1.lines().any(|l| l.ends_with(&line)),
            "{label}: missing {line:?} in\n{a1}"
        );
    }
    assert!(!a1.contains("rien d'enregistré"), "{label}:\n{a1}");

    // An archived occurrence is not late.
    let gone = ok(&["task", "show", "axe-3.a6@2026-12-31"]);
    assert!(
        gone.contains(&format!("  Statut        archivée (à faire) · 0{nb}%\n")),
        "{label}:\n{gone}"
    );
    assert!(!gone.contains("retard"), "{label}:\n{gone}");

    // A recurring task's own id shows the task and its occurrences.
    let recurring = ok(&["task", "show", "axe-3.a6"]);
    assert!(
        recurring.starts_with(&format!("axe-3.a6{nb}: tâche récurrente, 4 occurrences{nb}; ci-dessous axe-3.a6@2026-03-31, listées à la fin\n\naxe-3.a6@2026-03-31 — Rapport trimestriel\n")),
        "{label}:\n{recurring}"
    );
    for line in [
        format!("Occurrences{nb}:"),
        "  axe-3.a6@2026-03-31  T1 2026 (31/03/2026) · à faire".to_string(),
        "  axe-3.a6@2026-12-31  T4 2026 (31/12/2026) · archivée (à faire)".to_string(),
    ] {
        assert!(
            recurring.lines().any(|l| l == line),
            "{label}: missing {line:?} in\n{recurring}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["task", "show", "axe-3.a6", "--format", "json"])).expect("JSON");
    assert_eq!(json["id"], "axe-3.a6@2026-03-31", "{label}");
    assert_eq!(
        json["occurrences"].as_array().map(Vec::len),
        Some(4),
        "{label}"
    );
}

#[test]
fn a_plan_change_is_reviewed_with_its_context_and_kept_in_the_tasks_history() {
    for db in TestDb::all() {
        context(&db);
    }
}

/// A recurring task whose id changed without `renamed_from`: the warning names the task's id
/// to write, not one of its occurrences'.
#[test]
fn a_recurring_task_that_leaves_with_work_suggests_its_own_id() {
    use crate::common::{cnrm_db, exec, write_plan};
    for db in TestDb::all() {
        let label = db.label;
        let dir = tempfile::tempdir().expect("temp dir");
        let run = |args: &[&str]| exec(cnrm_db(&db, "2026-03-01").args(args));
        let v1 = CONTEXT_V1.replace("axe-3.a6", "axe-3.r1");
        let v1 = write_plan(dir.path(), "r1.yaml", &v1);
        assert_eq!(run(&["plan", "apply", &v1]).0, 0, "{label}");
        let (code, _, err) = run(&["task", "spend", "axe-3.r1@2026-03-31", "50000"]);
        assert_eq!(code, 0, "{label}: {err}");
        let v2 = CONTEXT_V1.replace("axe-3.a6", "axe-3.r2");
        let v2 = write_plan(dir.path(), "r2.yaml", &v2);
        let (code, out, err) = run(&["plan", "diff", &v2]);
        assert_eq!(code, 0, "{label}: {err}");
        assert!(
            out.contains("la tâche axe-3.r1@2026-03-31 n'est plus dans le fichier et est archivée avec 50\u{a0}000\u{a0}FCFA dépensés\u{a0}; la tâche ajoutée axe-3.r2 a le même titre\u{a0}: si c'est la même, écrivez `renamed_from: axe-3.r1` dans axe-3.r2"),
            "{label}:\n{out}"
        );
    }
}
