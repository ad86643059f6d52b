//! The secretariat's terminal UI (ratatui + crossterm).
//!
//! The event loop turns keys into actions, `state::update` turns actions into state and effects,
//! and a worker thread (with its own tokio runtime and the store) runs the effects, so the screen
//! never waits on the database. Every 3 seconds the worker checks a cheap change marker and
//! reloads only when another process (an apply, the daemon sending) changed something. The
//! terminal is restored on exit and on panic (`ratatui::init` installs the hook).

pub mod state;
pub mod text;
pub mod view;

use crate::commands::Ctx;
use cnrm_engine::mail::SmtpConfig;
use cnrm_engine::service;
use cnrm_engine::store::{SetRequest, Store};
use cnrm_engine::tr;
use crossterm::event::{self, Event, KeyEventKind};
use state::{Action, Effect, State};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const REFRESH: Duration = Duration::from_secs(3);

/// Runs one effect against the store; the result comes back as an action.
async fn run_effect(
    store: &Store,
    ctx: &Ctx,
    plan: Option<&str>,
    effect: Effect,
    marker: &mut String,
) -> Option<Action> {
    let lang = ctx.lang;
    let done = |r: Result<String, cnrm_engine::store::StoreError>| {
        Some(Action::Done(r.map_err(|e| e.message(lang))))
    };
    let set = |status, progress, note| SetRequest {
        status,
        progress,
        note,
    };
    match effect {
        Effect::Preview => store
            .overview(plan, &ctx.clock)
            .await
            .ok()
            .map(|o| Action::Previewed(Box::new(o))),
        Effect::Load { force } => {
            let now = store.change_marker().await.unwrap_or_default();
            if !force && now == *marker {
                return None;
            }
            match store.snapshot(plan, &ctx.clock).await {
                Ok(s) => {
                    *marker = s.marker.clone();
                    Some(Action::Loaded(Box::new(s)))
                }
                Err(e) => Some(Action::Done(Err(e.message(lang)))),
            }
        }
        Effect::Detail(id) => match store.task_detail(&id, plan, &ctx.clock).await {
            Ok(d) => Some(Action::DetailLoaded(Box::new(d))),
            Err(e) => Some(Action::Done(Err(e.message(lang)))),
        },
        Effect::SetStatus { task, status } => {
            let r = store
                .set_task(
                    &task,
                    plan,
                    &set(Some(status), None, None),
                    &ctx.actor,
                    &ctx.clock,
                    lang,
                )
                .await;
            done(r.map(|r| {
                format!(
                    "{task} : {} → {}",
                    r.old_status.label(lang),
                    r.status.label(lang)
                )
            }))
        }
        Effect::SetProgress { task, progress } => {
            let r = store
                .set_task(
                    &task,
                    plan,
                    &set(None, Some(progress), None),
                    &ctx.actor,
                    &ctx.clock,
                    lang,
                )
                .await;
            done(r.map(|r| format!("{task} : {} → {} %", r.old_progress, r.progress)))
        }
        Effect::Note { task, note } => {
            let r = store
                .set_task(
                    &task,
                    plan,
                    &set(None, None, Some(note)),
                    &ctx.actor,
                    &ctx.clock,
                    lang,
                )
                .await;
            done(r.map(|_| tr!(lang, "{task} : note enregistrée", "{task}: note recorded")))
        }
        Effect::Spend { task, amount } => {
            let r = store
                .spend(
                    &task, plan, amount, None, None, None, &ctx.actor, &ctx.clock, lang,
                )
                .await;
            done(r.map(|(_, a, c)| {
                crate::strings::spent(lang, &task, &cnrm_engine::text::money(a, &c))
            }))
        }
        Effect::RecordIndicator { id, value } => {
            let r = store
                .record_indicator(&id, plan, value, None, None, &ctx.actor, &ctx.clock)
                .await;
            done(r.map(|_| {
                tr!(
                    lang,
                    "{id} : valeur {value} enregistrée",
                    "{id}: value {value} recorded"
                )
            }))
        }
        Effect::RetryOutbox(id) => {
            let config = match SmtpConfig::from_env(lang) {
                Ok(Some(c)) => c,
                Ok(None) => {
                    return Some(Action::Done(Err(tr!(
                        lang,
                        "CNRM_SMTP_URL n'est pas défini : rien ne peut être envoyé",
                        "CNRM_SMTP_URL is not set: nothing can be sent"
                    ))))
                }
                Err(e) => return Some(Action::Done(Err(e))),
            };
            if let Err(e) = store.retry_now(id, &ctx.clock).await {
                return Some(Action::Done(Err(e.message(lang))));
            }
            let stop = AtomicBool::new(false);
            let me = format!("tui:{}", std::process::id());
            let r = service::send_due(store, &config, &ctx.clock, &me, id, &stop).await;
            done(r.map(|r| {
                tr!(
                    lang,
                    "envoyés : {}, en échec : {}",
                    "sent: {}, failed: {}",
                    r.sent,
                    r.failed
                )
            }))
        }
        Effect::Quit => None,
    }
}

/// The worker: owns the store, runs effects in order, sends back actions.
fn worker(
    ctx: Ctx,
    plan: Option<String>,
    effects: mpsc::Receiver<Effect>,
    actions: mpsc::Sender<Action>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = actions.send(Action::Done(Err(e.to_string())));
            return;
        }
    };
    runtime.block_on(async move {
        let store = match Store::open(&ctx.db).await {
            Ok(s) => s,
            Err(e) => {
                let _ = actions.send(Action::Done(Err(e.message(ctx.lang))));
                return;
            }
        };
        let mut marker = String::new();
        while let Ok(effect) = effects.recv() {
            if effect == Effect::Quit {
                break;
            }
            // Coalesce queued refreshes: only the last one matters.
            if let Some(action) =
                run_effect(&store, &ctx, plan.as_deref(), effect, &mut marker).await
            {
                if actions.send(action).is_err() {
                    break;
                }
            }
        }
        store.close().await;
    });
}

/// Opens the terminal UI on the database until the user quits.
pub fn run(ctx: Ctx, plan: Option<String>) -> u8 {
    let (effect_tx, effect_rx) = mpsc::channel::<Effect>();
    let (action_tx, action_rx) = mpsc::channel::<Action>();
    let lang = ctx.lang;
    let handle = std::thread::spawn(move || worker(ctx, plan, effect_rx, action_tx));
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", crate::strings::error_word(lang));
            return crate::EXIT_PROBLEM;
        }
    };
    let mut state = State::new(lang);
    // The dashboard's figures first (milliseconds), then the whole plan.
    let _ = effect_tx.send(Effect::Preview);
    let _ = effect_tx.send(Effect::Load { force: true });
    let mut last_refresh = Instant::now();
    let mut code = crate::EXIT_OK;
    loop {
        if let Err(e) = terminal.draw(|f| view::draw(f, &state)) {
            eprintln!("{e}");
            code = crate::EXIT_PROBLEM;
            break;
        }
        let mut actions: Vec<Action> = action_rx.try_iter().collect();
        match event::poll(Duration::from_millis(50)) {
            Ok(true) => match event::read() {
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => actions.push(Action::Key(k)),
                Ok(Event::Resize(..)) => actions.push(Action::Resize),
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
    code
}

#[cfg(test)]
mod tests;
