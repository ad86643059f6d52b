//! The secretariat's terminal UI (ratatui + crossterm).
//!
//! The event loop turns keys into actions, `state::update` turns actions into state and effects,
//! and a worker thread (with its own tokio runtime and the store) runs the effects, so the screen
//! never waits on the database. Every 3 seconds the worker checks a cheap change marker and
//! reloads only when another process (an apply, the daemon sending) changed something. The
//! terminal is restored on exit and on panic (`ratatui::init` installs the hook).

mod inbox;
pub mod state;
pub mod text;
pub mod view;
mod worker;

use crate::context::Ctx;
use crossterm::event::{self, Event, KeyEventKind};
use state::{Action, Effect, State};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const REFRESH: Duration = Duration::from_secs(3);

/// Opens the terminal UI on the database until the user quits; a terminal that cannot be drawn on
/// is the error.
pub fn run(ctx: Ctx, plan: Option<String>) -> std::io::Result<()> {
    let (effect_tx, effect_rx) = mpsc::channel::<Effect>();
    let (action_tx, action_rx) = mpsc::channel::<Action>();
    let lang = ctx.lang;
    let mut state = State::new(lang);
    state.plan = plan.clone();
    let handle = std::thread::spawn(move || worker::run(ctx, plan, effect_rx, action_tx));
    let mut terminal = ratatui::try_init()?;
    // The plans first: none is the empty-database screen, several the picker; then the
    // dashboard's figures (milliseconds), then the whole plan (see `state::on_plans`).
    let _ = effect_tx.send(Effect::Plans);
    if let Ok(size) = terminal.size() {
        state::update(&mut state, Action::Resize(size.width, size.height));
    }
    let mut last_refresh = Instant::now();
    let mut outcome = Ok(());
    loop {
        if let Err(e) = terminal.draw(|f| view::draw(f, &state)) {
            outcome = Err(e);
            break;
        }
        let mut actions: Vec<Action> = action_rx.try_iter().collect();
        match event::poll(Duration::from_millis(50)) {
            Ok(true) => match event::read() {
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => actions.push(Action::Key(k)),
                Ok(Event::Resize(w, h)) => actions.push(Action::Resize(w, h)),
                _ => {}
            },
            Ok(false) => {}
            Err(_) => break,
        }
        if last_refresh.elapsed() >= REFRESH {
            last_refresh = Instant::now();
            actions.push(Action::Tick);
        }
        for a in actions {
            for e in state::update(&mut state, a) {
                let _ = effect_tx.send(e);
            }
        }
        if state.quit {
            break;
        }
    }
    let _ = effect_tx.send(Effect::Quit);
    ratatui::restore();
    let _ = handle.join();
    outcome
}

#[cfg(test)]
mod tests;
