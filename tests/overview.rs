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
