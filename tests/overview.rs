//! The dashboard read by SQL aggregates (`Store::overview`, what the terminal UI draws first)
//! against the figures computed from the whole snapshot, on SQLite and on PostgreSQL: the same
//! counts, progress, money and next deadlines, and the same dashboard drawn on the screen.

use crate::common::db::{block_on, TestDb};
use cnrm_engine::clock::Clock;
use cnrm_engine::figures::{self, Money};
use cnrm_engine::plan::check_source;
use cnrm_engine::store::{SetRequest, Store};
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use cnrm_tui::ui::state::{update, Action, Screen, State};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn close(a: &Money, b: &Money, what: &str) {
    for (x, y, name) in [
        (a.planned, b.planned, "planned"),
        (a.secured, b.secured, "secured"),
        (a.pledged, b.pledged, "pledged"),
        (a.needed, b.needed, "needed"),
        (a.spent, b.spent, "spent"),
    ] {
        assert!(
            (x - y).abs() <= 1e-6 * x.abs().max(1.0),
            "{what}: {name} {x} (SQL) vs {y} (snapshot)"
        );
    }
}

fn screen(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|f| cnrm_tui::ui::view::draw(f, state))
        .expect("draw");
    format!("{:?}", terminal.backend().buffer())
}

async fn agree(db: &TestDb) {
    let label = db.label;
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/plans/pao-cnrm-2025-2027.yaml"
    ))
    .expect("example plan");
    let plan = check_source(&src, "pao.yaml", Lang::Fr)
        .plan
        .expect("the example plan is valid");
    let store = Store::open(&db.url).await.expect("open");
    let clock = Clock::parse("2026-03-20").expect("clock");
    store
        .apply(&plan, &src, "pao.yaml", "st", None, &clock, &|_, _| {})
        .await
        .expect("apply");
    // Every status, some progress and spending, so each rule of the figures is exercised.
    let set = |status, progress| SetRequest {
        status,
        progress,
        note: None,
        date: None,
    };
    let changes = [
        ("axe-1.a1", Some(Status::Done), None),
        ("axe-1.a2", Some(Status::InProgress), Some(40)),
        ("axe-2.a1", Some(Status::Blocked), Some(10)),
        ("axe-2.a2", Some(Status::Cancelled), None),
        ("axe-3.a1", Some(Status::Suspended), Some(30)),
        ("axe-3.a2", None, Some(75)),
        ("axe-4.a1", Some(Status::Done), None),
    ];
    for (id, status, progress) in changes {
        store
            .set_task(id, None, &set(status, progress), "st", &clock)
            .await
            .unwrap_or_else(|e| panic!("{label}: set {id}: {e}"));
    }
    for (id, amount) in [
        ("axe-1.a2", 1_250_000.0),
        ("axe-2.a1", 333.33),
        ("axe-3.a2", 7e6),
    ] {
        store
            .spend(id, None, amount, None, None, None, "st", &clock)
            .await
            .unwrap_or_else(|e| panic!("{label}: spend {id}: {e}"));
    }

    let overview = store.overview(None, &clock).await.expect("overview");
    let snapshot = store.snapshot(None, &clock).await.expect("snapshot");
    let full = figures::dashboard(&snapshot);
    let quick = &overview.dashboard;
    assert!(
        full.total.counts.overdue > 0,
        "{label}: some tasks are late"
    );
    assert!(full.total.counts.due_soon > 0, "{label}: some are due soon");
    assert!(full.total.money.spent > 0.0, "{label}: money was spent");
    assert_eq!(quick.priorities.len(), full.priorities.len(), "{label}");
    for (q, f) in quick
        .priorities
        .iter()
        .zip(&full.priorities)
        .chain([(&quick.total, &full.total)])
    {
        assert_eq!((&q.id, &q.title), (&f.id, &f.title), "{label}");
        assert_eq!(q.counts, f.counts, "{label}: counts of {}", f.id);
        assert!(
            (q.progress - f.progress).abs() < 1e-9,
            "{label}: progress of {}: {} vs {}",
            f.id,
            q.progress,
            f.progress
        );
        close(&q.money, &f.money, &format!("{label}: {}", f.id));
    }
    let next_full: Vec<_> = full
        .next_deadlines
        .iter()
        .map(|i| &snapshot.tasks[*i])
        .collect();
    let next_quick: Vec<_> = quick
        .next_deadlines
        .iter()
        .map(|i| &overview.snapshot.tasks[*i])
        .collect();
    assert!(!next_full.is_empty(), "{label}");
    assert_eq!(next_quick, next_full, "{label}: next deadlines");

    // Drawn: the dashboard of the overview is the dashboard of the whole plan.
    let mut first = State::new(Lang::Fr);
    update(&mut first, Action::Previewed(Box::new(overview.clone())));
    assert!(first.partial, "{label}");
    let mut loaded = State::new(Lang::Fr);
    update(&mut loaded, Action::Loaded(Box::new(snapshot.clone())));
    assert_eq!(
        screen(&first),
        screen(&loaded),
        "{label}: dashboards differ"
    );
    // Until the whole plan is there, the other screens say so instead of showing a part of it.
    first.screen = Screen::Tasks;
    assert!(screen(&first).contains("Chargement…"), "{label}");
    loaded.screen = Screen::Tasks;
    assert!(!screen(&loaded).contains("Chargement…"), "{label}");
    first.screen = Screen::Dashboard;
    // The whole plan replaces the overview; a late overview never replaces the whole plan.
    update(&mut first, Action::Loaded(Box::new(snapshot.clone())));
    assert!(
        !first.partial && first.visible.len() == snapshot.tasks.len(),
        "{label}"
    );
    update(&mut first, Action::Previewed(Box::new(overview)));
    assert!(
        !first.partial,
        "{label}: a preview after the data is ignored"
    );
    assert_eq!(
        first.data.as_ref().map(|d| d.tasks.len()),
        Some(snapshot.tasks.len())
    );
    store.close().await;
}

#[test]
fn overview_agrees_with_the_snapshot_on_sqlite_and_postgres() {
    for db in TestDb::all() {
        block_on(agree(&db));
    }
}

// History in words, corrections, archive and rename markers, indicators: the real binary on
// SQLite and PostgreSQL.

mod history {
    use crate::common::db::{block_on, TestDb};
    use crate::common::{cnrm_db, exec, write_plan};
    use cnrm_engine::clock::Clock;
    use cnrm_engine::store::Store;

    const NOW: &str = "2025-10-15T08:00:00Z";

    fn plan(tasks: &str) -> String {
        format!(
            "version: 1\nplan:\n  id: suivi\n  title: Plan de suivi\n  period: {{ start: 2025-01-01, end: 2026-12-31 }}\nowners:\n  - {{ id: st, name: Secrétariat, email: st@example.ml }}\npriorities:\n  - id: axe-1\n    title: Axe unique\n    indicators:\n      - {{ id: axe-1.i1, title: Sessions tenues, unit: sessions, baseline: 0, target: 6, due: 2026-12-31 }}\n    tasks:\n{tasks}"
        )
    }

    const V1: &str = "      - { id: axe-1.a01, title: Adopter le règlement, owner: st, start: 2025-02-13, deadline: T3 2025 }\n      - { id: axe-1.a2, title: Désigner les points focaux, owner: st, deadline: 2025-12-15 }\n";
    const V2: &str = "      - { id: axe-1.a1, renamed_from: axe-1.a01, title: Adopter le règlement, owner: st, start: 2025-02-13, deadline: T3 2025 }\n";

    /// Runs `cnrm ARGS` on `db` as the secretariat at NOW: (exit code, stdout, stderr).
    fn run(db: &TestDb, args: &[&str]) -> (i32, String, String) {
        exec(cnrm_db(db, NOW).args(args))
    }

    fn ok(db: &TestDb, args: &[&str]) -> String {
        let (code, out, err) = run(db, args);
        assert_eq!(code, 0, "{}: {args:?}: {err}", db.label);
        out
    }

    fn applied(db: &TestDb, dir: &std::path::Path, tasks: &str) {
        let file = write_plan(dir, "suivi.yaml", &plan(tasks));
        ok(db, &["plan", "apply", &file]);
    }

    #[test]
    fn spending_is_corrected_by_a_compensating_event_that_the_history_keeps() {
        for db in TestDb::all() {
            let dir = tempfile::tempdir().expect("dir");
            applied(&db, dir.path(), V1);
            ok(
                &db,
                &[
                    "task",
                    "set",
                    "axe-1.a2",
                    "--status",
                    "in_progress",
                    "--progress",
                    "40",
                    "--note",
                    "Lettre envoyée",
                ],
            );
            ok(&db, &["task", "set", "axe-1.a2", "--progress", "60"]);
            ok(
                &db,
                &[
                    "task",
                    "spend",
                    "axe-1.a2",
                    "450000",
                    "--date",
                    "2025-10-01",
                ],
            );
            ok(
                &db,
                &["task", "spend", "axe-1.a2", "100 000", "--note", "Atelier"],
            );
            assert_eq!(
                ok(&db, &["task", "spend", "axe-1.a2", "--cancel", "1", "--note", "saisie en double"]),
                "axe-1.a2\u{a0}: dépense n°\u{a0}1 (450 000 FCFA) annulée\u{a0}; l'historique la garde\n",
                "{}", db.label
            );
            // Cancelling twice, an entry that does not exist, a spending of 0: one sentence each.
            let refusals: [(&[&str], i32, &str); 5] = [
                (&["task", "spend", "axe-1.a2", "--cancel", "1"], 1,
                 "erreur\u{a0}: l'entrée n°\u{a0}1 de `axe-1.a2` est déjà annulée\u{a0}: rien n'a été enregistré\n"),
                (&["task", "spend", "axe-1.a2", "--cancel", "5"], 2,
                 "erreur\u{a0}: `axe-1.a2` n'a pas d'entrée n°\u{a0}5\u{a0}: 2 sont enregistrées (n°\u{a0}1 à 2)\n"),
                (&["task", "spend", "axe-1.a2", "--cancel", "premier"], 2,
                 "erreur\u{a0}: --cancel `premier` n'est pas un numéro d'entrée\u{a0}: un entier à partir de 1, comme `cnrm task show` les numérote\n"),
                (&["task", "spend", "axe-1.a2", "0"], 2,
                 "erreur\u{a0}: montant invalide 0\u{a0}: un nombre supérieur à 0 est attendu\n"),
                (&["--lang", "en", "task", "spend", "axe-1.a2", "--cancel", "1"], 1,
                 "error: entry #1 of `axe-1.a2` is already cancelled: nothing was recorded\n"),
            ];
            for (args, code, message) in refusals {
                let (got, out, err) = run(&db, args);
                assert_eq!(
                    (got, out.as_str(), err.as_str()),
                    (code, "", message),
                    "{}: {args:?}",
                    db.label
                );
            }

            let shown = ok(&db, &["task", "show", "axe-1.a2"]);
            let want = "axe-1.a2 — Désigner les points focaux\n\
\x20 Plan          suivi · axe-1\n\
\x20 Statut        en cours · 60\u{a0}%\n\
\x20 Échéance      15/12/2025\n\
\x20 Début         —\n\
\x20 Responsables  st\n\
\x20 Partenaires   —\n\
\x20 Dépend de     —\n\
\x20 Budget        prévu 0 FCFA · acquis 0 FCFA · promis 0 FCFA · à rechercher 0 FCFA · dépensé 100 000 FCFA\n\
\n\
Dépenses\u{a0}:\n\
\x20 n°\u{a0}1   01/10/2025  450 000 FCFA  (annulée)\n\
\x20 n°\u{a0}2   15/10/2025  100 000 FCFA  «\u{a0}Atelier\u{a0}»\n\
\n\
Historique\u{a0}:\n\
\x20 15/10/2025 08:00 — secretariat — statut\u{a0}: à faire → en cours · avancement\u{a0}: 0\u{a0}% → 40\u{a0}% · note\u{a0}: «\u{a0}Lettre envoyée\u{a0}»\n\
\x20 15/10/2025 08:00 — secretariat — avancement\u{a0}: 40\u{a0}% → 60\u{a0}%\n\
\x20 15/10/2025 08:00 — secretariat — dépense\u{a0}: 450 000 FCFA (n°\u{a0}1)\n\
\x20 15/10/2025 08:00 — secretariat — dépense\u{a0}: 100 000 FCFA (n°\u{a0}2) · note\u{a0}: «\u{a0}Atelier\u{a0}»\n\
\x20 15/10/2025 08:00 — secretariat — dépense n°\u{a0}1 annulée (450 000 FCFA) · motif\u{a0}: «\u{a0}saisie en double\u{a0}»\n";
            assert_eq!(shown, want, "{}", db.label);
            let english = ok(&db, &["--lang", "en", "task", "show", "axe-1.a2"]);
            for line in [
                "  Status        in progress · 60%\n",
                "  Deadline      2025-12-15\n",
                "  #1     2025-10-01  450 000 FCFA  (cancelled)\n",
                "  2025-10-15 08:00 — secretariat — status: to do → in progress · progress: 0% → 40% · note: \"Lettre envoyée\"\n",
                "  2025-10-15 08:00 — secretariat — spending: 450 000 FCFA (#1)\n",
                "  2025-10-15 08:00 — secretariat — spending #1 cancelled (450 000 FCFA) · reason: \"saisie en double\"\n",
            ] {
                assert!(english.contains(line), "{}: {line:?} in\n{english}", db.label);
            }
            let json: serde_json::Value =
                serde_json::from_str(&ok(&db, &["task", "show", "axe-1.a2", "--format", "json"]))
                    .expect("JSON");
            assert_eq!(json["spent"], 100000.0, "{}", db.label);
            assert_eq!(json["spendings"][0]["cancelled"], true, "{}", db.label);
            assert_eq!(
                json["spendings"][0]["date"], "2025-10-01",
                "{}: JSON keeps ISO days",
                db.label
            );

            // Nowhere else does the cancelled entry count: the screens' snapshot and dashboard.
            block_on(async {
                let store = Store::open(&db.url).await.expect("open");
                let clock = Clock::parse(NOW).expect("clock");
                let snapshot = store.snapshot(None, &clock).await.expect("snapshot");
                let task = snapshot
                    .tasks
                    .iter()
                    .find(|t| t.row.id == "axe-1.a2")
                    .expect("task");
                assert_eq!(task.spent, 100000.0, "{}", db.label);
                let overview = store.overview(None, &clock).await.expect("overview");
                assert_eq!(
                    overview.dashboard.total.money.spent, 100000.0,
                    "{}",
                    db.label
                );
                assert_eq!(
                    cnrm_engine::figures::dashboard(&snapshot).total.money.spent,
                    100000.0
                );
                // The history screen says the same words.
                let item = snapshot
                    .history
                    .iter()
                    .find(|h| matches!(h.event, cnrm_engine::records::Event::SpendingCancelled(_)))
                    .expect("event");
                let what = cnrm_tui::history::what(
                    cnrm_engine::Lang::Fr,
                    &item.event,
                    item.note.as_deref(),
                );
                // The reason given is the cancellation's, not a note.
                assert_eq!(what, "dépense n°\u{a0}1 annulée (450 000 FCFA) · motif\u{a0}: «\u{a0}saisie en double\u{a0}»");
                store.close().await;
            });
        }
    }

    #[test]
    fn an_indicators_rename_is_not_a_tasks() {
        for db in TestDb::all() {
            let dir = tempfile::tempdir().expect("dir");
            applied(&db, dir.path(), V1);
            let renamed = plan(V1).replace(
                "{ id: axe-1.i1, title",
                "{ id: axe-1.i2, renamed_from: axe-1.i1, title",
            );
            let file = write_plan(dir.path(), "suivi.yaml", &renamed);
            ok(&db, &["plan", "apply", &file]);
            // `task show` follows tasks' renames only: axe-1.i1 was never a task.
            let (code, _, err) = run(&db, &["task", "show", "axe-1.i1"]);
            assert_eq!(
                (code, err.as_str()),
                (
                    2,
                    "erreur\u{a0}: aucune tâche `axe-1.i1` dans la base (voir `cnrm tasks`)\n"
                ),
                "{}",
                db.label
            );
        }
    }

    #[test]
    fn archived_and_renamed_tasks_say_so() {
        for db in TestDb::all() {
            let dir = tempfile::tempdir().expect("dir");
            applied(&db, dir.path(), V1);
            applied(&db, dir.path(), V2);
            let (code, out, err) = run(&db, &["task", "show", "axe-1.a01"]);
            assert_eq!(
                (code, out.as_str(), err.as_str()),
                (1, "", "la tâche axe-1.a01 a été renommée axe-1.a1\u{a0}; voir `cnrm task show axe-1.a1`\n"),
                "{}", db.label
            );
            let (code, _, err) = run(&db, &["--lang", "en", "task", "show", "axe-1.a01"]);
            assert_eq!(
                (code, err.as_str()),
                (
                    1,
                    "task axe-1.a01 was renamed axe-1.a1; see `cnrm task show axe-1.a1`\n"
                )
            );
            let (code, _, err) = run(&db, &["task", "show", "axe-1.zz"]);
            assert_eq!(
                (code, err.as_str()),
                (
                    2,
                    "erreur\u{a0}: aucune tâche `axe-1.zz` dans la base (voir `cnrm tasks`)\n"
                )
            );

            let renamed = ok(&db, &["task", "show", "axe-1.a1"]);
            assert!(
                renamed.contains(" — renommée\u{a0}: axe-1.a01 → axe-1.a1\n"),
                "{}: {renamed}",
                db.label
            );
            assert!(
                renamed
                    .contains("  Échéance      T3 2025 (30/09/2025)\n  Début         13/02/2025\n"),
                "{}: {renamed}",
                db.label
            );

            let archived = ok(&db, &["task", "show", "axe-1.a2"]);
            assert!(
                archived.starts_with("axe-1.a2 — Désigner les points focaux\n  Archivée depuis la révision 2 (retirée du plan)\n"),
                "{}: {archived}", db.label
            );
            let english = ok(&db, &["--lang", "en", "task", "show", "axe-1.a2"]);
            assert!(
                english.contains("\n  Archived since revision 2 (removed from the plan)\n"),
                "{english}"
            );

            let list = ok(&db, &["tasks", "--archived"]);
            let line = list
                .lines()
                .find(|l| l.starts_with("axe-1.a2 "))
                .expect("listed");
            assert!(
                line.contains("15/12/2025") && line.contains("à faire · archivée"),
                "{}: {list}",
                db.label
            );
            let line = list
                .lines()
                .find(|l| l.starts_with("axe-1.a1 "))
                .expect("listed");
            assert!(
                !line.contains("archivée") && line.contains("T3 2025 (30/09/2025)"),
                "{}: {list}",
                db.label
            );
            let list = ok(&db, &["--lang", "en", "tasks", "--archived"]);
            assert!(
                list.lines()
                    .any(|l| l.starts_with("axe-1.a2 ") && l.contains("to do · archived")),
                "{list}"
            );
        }
    }

    #[test]
    fn indicators_show_their_latest_value_and_their_values_numbered() {
        for db in TestDb::all() {
            let dir = tempfile::tempdir().expect("dir");
            applied(&db, dir.path(), V1);
            ok(
                &db,
                &[
                    "indicator",
                    "record",
                    "axe-1.i1",
                    "2",
                    "--date",
                    "2025-06-30",
                ],
            );
            ok(
                &db,
                &[
                    "indicator",
                    "record",
                    "axe-1.i1",
                    "3",
                    "--date",
                    "2025-09-30",
                    "--note",
                    "session de septembre",
                ],
            );
            // Dated after today: recorded, listed, but not yet the latest value.
            ok(
                &db,
                &[
                    "indicator",
                    "record",
                    "axe-1.i1",
                    "5",
                    "--date",
                    "2025-12-31",
                ],
            );
            let table = ok(&db, &["indicators"]);
            assert_eq!(
                table,
                "ID        PLAN   RÉFÉRENCE  CIBLE  UNITÉ     DERNIÈRE VALEUR  ATTEINTE  TITRE\n\
                 axe-1.i1  suivi          0      6  sessions  3 au 30/09/2025      50\u{a0}%  Sessions tenues\n",
                "{}", db.label
            );
            let json: serde_json::Value =
                serde_json::from_str(&ok(&db, &["indicators", "--format", "json"])).expect("JSON");
            assert_eq!(json[0]["latest_value"], 3.0);
            assert_eq!(json[0]["latest_date"], "2025-09-30");
            assert_eq!(json[0]["achievement"], 50.0);
            assert_eq!(
                ok(&db, &["indicators", "--format", "csv"]),
                "id,plan,priority,title,unit,baseline,target,due,latest_value,latest_date,achievement\n\
                 axe-1.i1,suivi,axe-1,Sessions tenues,sessions,0,6,2026-12-31,3,2025-09-30,50\n"
            );

            assert_eq!(
                ok(
                    &db,
                    &[
                        "indicator",
                        "record",
                        "axe-1.i1",
                        "--cancel",
                        "2",
                        "--note",
                        "session reportée"
                    ]
                ),
                "axe-1.i1\u{a0}: valeur n°\u{a0}2 (3) annulée\u{a0}; l'historique la garde\n"
            );
            let (code, _, err) = run(&db, &["indicator", "record", "axe-1.i1", "--cancel", "2"]);
            assert_eq!((code, err.as_str()), (1, "erreur\u{a0}: l'entrée n°\u{a0}2 de `axe-1.i1` est déjà annulée\u{a0}: rien n'a été enregistré\n"));
            let (code, _, err) = run(
                &db,
                &[
                    "--lang",
                    "en",
                    "indicator",
                    "record",
                    "axe-1.i1",
                    "--cancel",
                    "4",
                ],
            );
            assert_eq!(
                (code, err.as_str()),
                (
                    2,
                    "error: `axe-1.i1` has no entry #4: 3 are recorded (#1 to #3)\n"
                )
            );
            let (code, _, err) = run(&db, &["indicator", "show", "axe-1.i9"]);
            assert_eq!(
                (code, err.as_str()),
                (
                    2,
                    "erreur\u{a0}: aucun indicateur `axe-1.i9` dans la base\n"
                )
            );

            let shown = ok(&db, &["indicator", "show", "axe-1.i1"]);
            assert_eq!(
                shown,
                "axe-1.i1 — Sessions tenues\n\
\x20 Plan             suivi\n\
\x20 Priorité         axe-1\n\
\x20 Référence        0 sessions\n\
\x20 Cible            6 sessions\n\
\x20 Échéance         2026-12-31\n\
\x20 Dernière valeur  2 au 30/06/2025\n\
\x20 Atteinte         33,3\u{a0}%\n\
\n\
Valeurs enregistrées\u{a0}:\n\
\x20 n°\u{a0}1   30/06/2025  2 sessions — secretariat, 15/10/2025 08:00\n\
\x20 n°\u{a0}2   30/09/2025  3 sessions — secretariat, 15/10/2025 08:00  «\u{a0}session de septembre\u{a0}»  (annulée)\n\
\x20 n°\u{a0}3   31/12/2025  5 sessions — secretariat, 15/10/2025 08:00\n",
                "{}", db.label
            );
            let english = ok(&db, &["--lang", "en", "indicator", "show", "axe-1.i1"]);
            assert!(
                english.contains("  Latest value     2 on 2025-06-30\n  Achieved         33.3%\n"),
                "{english}"
            );
            assert!(english.contains("  #2     2025-09-30  3 sessions — secretariat, 2025-10-15 08:00  \"session de septembre\"  (cancelled)\n"), "{english}");
            let json: serde_json::Value = serde_json::from_str(&ok(
                &db,
                &["indicator", "show", "axe-1.i1", "--format", "json"],
            ))
            .expect("JSON");
            assert_eq!(json["values"][1]["entry"], 2);
            assert_eq!(json["values"][1]["cancelled"], true);
            assert_eq!(json["latest_date"], "2025-06-30");
            // Once its day has come, the value dated 31/12/2025 is the latest.
            let (_, later, _) =
                exec(cnrm_db(&db, "2026-01-05").args(["indicators", "--format", "json"]));
            let later: serde_json::Value = serde_json::from_str(&later).expect("JSON");
            assert_eq!(later[0]["latest_value"], 5.0, "{}", db.label);
        }
    }
}
