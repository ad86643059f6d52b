//! Terminal UI benchmark: draws the dashboard from the overview, loads the whole plan, then times keystrokes (update + render
//! into ratatui's TestBackend, 160x48) and prints the median and 99th percentile.
//!
//! cargo run --release --example tui_bench -- DATABASE [PLAN]

// The same allocator as the `cnrm` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use cnrm_engine::clock::Clock;
use cnrm_engine::store::Store;
use cnrm_engine::Lang;
use cnrm_tui::ui::state::{update, Action, State};
use cnrm_tui::ui::view;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::{Duration, Instant};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(db) = args.next() else {
        eprintln!("usage: tui_bench DATABASE [PLAN]");
        return;
    };
    let plan = args.next();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let start = Instant::now();
    let mut state = State::new(Lang::Fr);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    // As `cnrm tui` does: the dashboard by SQL aggregates first, then the whole plan.
    let (store, overview) = rt
        .block_on(async {
            let store = Store::open(&db).await?;
            let overview = store.overview(plan.as_deref(), &Clock::System).await?;
            Ok::<_, cnrm_engine::store::StoreError>((store, overview))
        })
        .unwrap_or_else(|e| panic!("{}", e));
    update(&mut state, Action::Previewed(Box::new(overview)));
    terminal.draw(|f| view::draw(f, &state)).expect("draw");
    let dashboard = start.elapsed();
    let snapshot = rt
        .block_on(store.snapshot(plan.as_deref(), &Clock::System))
        .unwrap_or_else(|e| panic!("{}", e));
    let loaded = start.elapsed();
    let tasks = snapshot.tasks.len();
    update(&mut state, Action::Loaded(Box::new(snapshot)));
    terminal.draw(|f| view::draw(f, &state)).expect("draw");
    let first = start.elapsed();

    let keys: Vec<KeyCode> = std::iter::once(KeyCode::Char('2'))
        .chain(std::iter::repeat_n(KeyCode::Down, 200))
        .chain([KeyCode::PageDown; 50])
        .chain([
            KeyCode::Char('s'),
            KeyCode::Char('s'),
            KeyCode::Char('o'),
            KeyCode::Char('o'),
            KeyCode::Char('f'),
            KeyCode::Char('x'),
        ])
        .chain([KeyCode::Char('/')])
        .chain("kayes".chars().map(KeyCode::Char))
        .chain([KeyCode::Backspace, KeyCode::Backspace, KeyCode::Esc])
        .chain((1..=8).map(|n| KeyCode::Char(char::from(b'0' + n))))
        .collect();
    let mut times: Vec<Duration> = Vec::new();
    for code in keys {
        let t = Instant::now();
        update(
            &mut state,
            Action::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
        terminal.draw(|f| view::draw(f, &state)).expect("draw");
        times.push(t.elapsed());
    }
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "{tasks} tasks: dashboard drawn at {:.0} ms (opened, overview read, rendered), whole plan read at {:.0} ms, every screen ready at {:.0} ms; keystroke (update + render 160x48): p50 {:.2} ms, p99 {:.2} ms over {} keys; peak memory {:.0} MB",
        dashboard.as_secs_f64() * 1000.0,
        loaded.as_secs_f64() * 1000.0,
        first.as_secs_f64() * 1000.0,
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        times.len(),
        peak_rss_mb()
    );
}
