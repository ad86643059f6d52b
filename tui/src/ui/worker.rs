//! The worker: a thread with its own tokio runtime and the store, which runs the effects `update`
//! asks for, in order, and sends their results back as actions; the screen never waits on the
//! database.

use super::state::{Action, Effect};
use crate::context::Ctx;
use cnrm_engine::mail::SmtpConfig;
use cnrm_engine::service;
use cnrm_engine::store::{SetRequest, Store};
use cnrm_engine::tr;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;

/// Runs one effect against the store; the result comes back as an action.
async fn run_effect(
    store: &Store,
    ctx: &Ctx,
    plan: &mut Option<String>,
    effect: Effect,
    marker: &mut String,
) -> Option<Action> {
    if let Effect::UsePlan(id) = effect {
        *plan = Some(id);
        marker.clear();
        return None;
    }
    let plan = plan.as_deref();
    let lang = ctx.lang;
    let done = |r: Result<String, cnrm_engine::store::StoreError>| {
        Some(Action::Done(
            r.map_err(|e| crate::strings::store_error(lang, &e)),
        ))
    };
    let set = async |task: &str, req: SetRequest| {
        let r = store.set_task(task, plan, &req, &ctx.actor, &ctx.clock);
        r.await
    };
    match effect {
        Effect::Plans => match store.plans(&ctx.clock).await {
            Ok(p) => Some(Action::Plans(p)),
            Err(e) => Some(Action::Done(Err(crate::strings::store_error(lang, &e)))),
        },
        Effect::UsePlan(_) => None,
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
                Err(e) => Some(Action::Done(Err(crate::strings::store_error(lang, &e)))),
            }
        }
        Effect::Detail(id) => match store.task_detail(&id, plan, &ctx.clock).await {
            Ok(d) => Some(Action::DetailLoaded(Box::new(d))),
            Err(e) => Some(Action::Done(Err(crate::strings::store_error(lang, &e)))),
        },
        Effect::SetStatus {
            task,
            status,
            note,
            date,
        } => {
            let req = SetRequest {
                status: Some(status),
                note,
                date,
                ..SetRequest::default()
            };
            done(set(&task, req).await.map(|r| {
                let (from, to) = (r.old_status.label(lang), r.status.label(lang));
                format!("{task}{}{from} → {to}", crate::strings::colon(lang))
            }))
        }
        Effect::SetProgress { task, progress } => {
            let req = SetRequest {
                progress: Some(progress),
                ..SetRequest::default()
            };
            let r = set(&task, req).await;
            let colon = crate::strings::colon(lang);
            done(r.map(|r| {
                let mut line = format!("{task}{colon}{} → {}\u{a0}%", r.old_progress, r.progress);
                if r.status != r.old_status {
                    let (from, to) = (r.old_status.label(lang), r.status.label(lang));
                    line.push_str(&format!(" · {from} → {to}"));
                }
                line
            }))
        }
        Effect::Note { task, note } => {
            let req = SetRequest {
                note: Some(note),
                ..SetRequest::default()
            };
            let r = set(&task, req).await;
            done(r.map(|_| {
                tr!(
                    lang,
                    "{task}\u{a0}: note enregistrée",
                    "{task}: note recorded"
                )
            }))
        }
        Effect::Spend {
            task,
            amount,
            date,
            currency,
            note,
        } => {
            let r = store
                .spend(
                    &task,
                    plan,
                    amount,
                    currency.as_deref(),
                    date,
                    note.as_deref(),
                    &ctx.actor,
                    &ctx.clock,
                )
                .await;
            done(r.map(|r| {
                let line = crate::strings::spent(
                    lang,
                    &task,
                    &cnrm_engine::text::money(r.amount_plan, &r.currency),
                );
                match r.overspent() {
                    Some(times) => format!(
                        "{line} · {}",
                        crate::strings::overspent(lang, &task, &r, times, true)
                    ),
                    None => line,
                }
            }))
        }
        Effect::RecordIndicator {
            id,
            value,
            date,
            note,
        } => {
            let r = store
                .record_indicator(
                    &id,
                    plan,
                    value,
                    date,
                    note.as_deref(),
                    &ctx.actor,
                    &ctx.clock,
                )
                .await;
            let value = crate::strings::value(lang, value);
            done(r.map(|_| {
                tr!(
                    lang,
                    "{id}\u{a0}: valeur {value} enregistrée",
                    "{id}: value {value} recorded"
                )
            }))
        }
        Effect::CancelSpending { task, entry, note } => {
            let r = store
                .cancel_spending(&task, plan, entry, note.as_deref(), &ctx.actor, &ctx.clock)
                .await;
            done(r.map(|c| {
                let amount = cnrm_engine::text::money(c.value, c.currency.as_deref().unwrap_or(""));
                crate::strings::spending_cancelled(lang, &task, c.entry, &amount)
            }))
        }
        Effect::CancelIndicator { id, entry, note } => {
            let r = store
                .cancel_indicator_value(&id, plan, entry, note.as_deref(), &ctx.actor, &ctx.clock)
                .await;
            done(r.map(|c| {
                let v = crate::strings::value(lang, c.value);
                crate::strings::value_cancelled(lang, &id, c.entry, &v)
            }))
        }
        Effect::RetryOutbox(id) => {
            let config = match SmtpConfig::from_env(lang) {
                Ok(Some(c)) => c,
                Ok(None) => {
                    return Some(Action::Done(Err(tr!(
                        lang,
                        "CNRM_SMTP_URL n'est pas défini\u{a0}: rien ne peut être envoyé",
                        "CNRM_SMTP_URL is not set: nothing can be sent"
                    ))))
                }
                Err(e) => return Some(Action::Done(Err(e))),
            };
            if let Err(e) = store.retry_now(id, &ctx.clock).await {
                return Some(Action::Done(Err(crate::strings::store_error(lang, &e))));
            }
            let stop = AtomicBool::new(false);
            let me = format!("tui:{}", std::process::id());
            let r = service::send_due(store, &config, &ctx.clock, &me, id, &stop).await;
            done(r.map(|r| {
                let mut line = tr!(
                    lang,
                    "envoyés\u{a0}: {}, en échec\u{a0}: {}",
                    "sent: {}, failed: {}",
                    r.sent,
                    r.failed
                );
                if r.superseded > 0 {
                    line.push_str(&tr!(
                        lang,
                        ", caducs (plus d'actualité, non envoyés)\u{a0}: {}",
                        ", superseded (no longer true, not sent): {}",
                        r.superseded
                    ));
                }
                line
            }))
        }
        Effect::LoadInbox => Some(match store.inbox(None).await {
            Ok(rows) => Action::InboxLoaded(rows),
            Err(e) => Action::Done(Err(crate::strings::store_error(lang, &e))),
        }),
        Effect::OutboxText(id) => match store.outbox_text(id).await {
            Ok(text) => Some(Action::OutboxText(id, text.unwrap_or_default())),
            Err(e) => Some(Action::Done(Err(crate::strings::store_error(lang, &e)))),
        },
        Effect::IndicatorValues(id) => match store.indicator_detail(&id, plan, &ctx.clock).await {
            Ok(d) => Some(Action::IndicatorValues(id, d.values)),
            Err(e) => Some(Action::Done(Err(crate::strings::store_error(lang, &e)))),
        },
        Effect::Quit => None,
    }
}

/// The worker: owns the store, runs effects in order, sends back actions.
pub fn run(
    ctx: Ctx,
    mut plan: Option<String>,
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
        let store = match Store::connect(&ctx.db).await {
            Ok(s) => s,
            Err(e) => {
                let _ = actions.send(Action::Done(Err(crate::strings::store_error(ctx.lang, &e))));
                return;
            }
        };
        let mut marker = String::new();
        while let Ok(effect) = effects.recv() {
            if effect == Effect::Quit {
                break;
            }
            if let Some(action) = run_effect(&store, &ctx, &mut plan, effect, &mut marker).await {
                if actions.send(action).is_err() {
                    break;
                }
            }
        }
        store.close().await;
    });
}
