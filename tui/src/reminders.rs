//! `cnrm remind`, `cnrm outbox` and `cnrm daemon`: the reminder service from the command line.

use crate::cli::{self, CheckFormat, Global, ListFormat, OutboxAction};
use crate::commands::{csv_line, print_json, with_store, Ctx};
use crate::{strings, EXIT_MISUSE, EXIT_OK, EXIT_PROBLEM};
use cnrm_engine::mail::SmtpConfig;
use cnrm_engine::remind::MessageKind;
use cnrm_engine::service::{self, ScanReport};
use cnrm_engine::{tr, Lang};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Who claims outbox rows: this host and process.
fn me() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "cnrm".into());
    format!("{host}:{}", std::process::id())
}

fn smtp(lang: Lang) -> Result<Option<SmtpConfig>, u8> {
    SmtpConfig::from_env(lang).map_err(|e| {
        eprintln!("{}: {e}", strings::error_word(lang));
        EXIT_MISUSE
    })
}

fn kind_label(lang: Lang, k: MessageKind) -> &'static str {
    match (k, lang) {
        (MessageKind::Reminder, Lang::Fr) => "rappel",
        (MessageKind::Escalation, Lang::Fr) => "escalade",
        (MessageKind::Digest, Lang::Fr) => "récapitulatif",
        (MessageKind::Reminder, Lang::En) => "reminder",
        (MessageKind::Escalation, Lang::En) => "escalation",
        (MessageKind::Digest, Lang::En) => "digest",
    }
}

fn print_scan(lang: Lang, r: &ScanReport, dry: bool) {
    for plan in &r.resting {
        println!(
            "{}",
            tr!(
                lang,
                "plan {plan} : jour non ouvré (week-end ou férié), aucun rappel aujourd'hui",
                "plan {plan}: non-working day (weekend or holiday), no reminders today"
            )
        );
    }
    let n = r.messages.len();
    let head = if dry {
        tr!(
            lang,
            "{n} message(s) seraient envoyés (rien n'est écrit) :",
            "{n} message(s) would be sent (nothing is written):"
        )
    } else {
        tr!(
            lang,
            "{n} message(s) mis dans la boîte d'envoi :",
            "{n} message(s) queued in the outbox:"
        )
    };
    println!("{head}");
    for m in &r.messages {
        let tasks = m.tasks.join(", ");
        println!(
            "  {} → {} : {}",
            kind_label(lang, m.kind),
            m.to.join(", "),
            tasks
        );
        println!("    « {} »", m.subject);
    }
    if r.superseded > 0 {
        let s = r.superseded;
        println!(
            "{}",
            tr!(
                lang,
                "{s} rappel(s) plus ancien(s) remplacé(s) par le plus récent (jamais envoyés en retard)",
                "{s} older reminder(s) superseded by the latest (never sent late)"
            )
        );
    }
}

pub fn remind(g: &Global, args: &cli::RemindArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let config = match smtp(ctx.lang) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (dry, digest, plan, json) = (
        args.dry_run,
        args.digest,
        args.plan.clone(),
        args.format == CheckFormat::Json,
    );
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let domain = service::message_domain(config.as_ref());
            let report =
                service::scan(store, &ctx.clock, plan.as_deref(), digest, dry, &domain).await?;
            if json {
                print_json(&report);
            } else {
                print_scan(ctx.lang, &report, dry);
            }
            if dry {
                return Ok(EXIT_OK);
            }
            let Some(cfg) = config else {
                let pending = store.outbox(Some("pending")).await?.len();
                eprintln!(
                    "{}: {}",
                    strings::error_word(ctx.lang),
                    tr!(
                        ctx.lang,
                        "CNRM_SMTP_URL n'est pas défini : {pending} message(s) attendent dans la boîte d'envoi",
                        "CNRM_SMTP_URL is not set: {pending} message(s) wait in the outbox"
                    )
                );
                return Ok(EXIT_PROBLEM);
            };
            let stop = AtomicBool::new(false);
            let sent = service::send_due(store, &cfg, &ctx.clock, &me(), None, &stop).await?;
            report_sent(ctx.lang, &sent, json)
        })
    })
}

fn report_sent(
    lang: Lang,
    r: &service::SendReport,
    json: bool,
) -> Result<u8, cnrm_engine::store::StoreError> {
    let (sent, failed) = (r.sent, r.failed);
    let line = tr!(
        lang,
        "envoyés : {sent}, en échec : {failed}",
        "sent: {sent}, failed: {failed}"
    );
    if json {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
    if failed > 0 {
        let why = r.last_error.clone().unwrap_or_default();
        eprintln!(
            "{}: {}",
            strings::error_word(lang),
            tr!(
                lang,
                "{failed} envoi(s) en échec, réessayés plus tard (voir `cnrm outbox --status failed`) : {why}",
                "{failed} message(s) failed and will be retried (see `cnrm outbox --status failed`): {why}"
            )
        );
        return Ok(EXIT_PROBLEM);
    }
    Ok(EXIT_OK)
}

pub fn outbox(g: &Global, args: &cli::OutboxArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    if let Some(OutboxAction::Retry { id }) = args.action {
        let config = match smtp(ctx.lang) {
            Ok(Some(c)) => c,
            Ok(None) => {
                eprintln!(
                    "{}: {}",
                    strings::error_word(ctx.lang),
                    tr!(
                        ctx.lang,
                        "CNRM_SMTP_URL n'est pas défini : rien ne peut être envoyé",
                        "CNRM_SMTP_URL is not set: nothing can be sent"
                    )
                );
                return EXIT_MISUSE;
            }
            Err(code) => return code,
        };
        return with_store(&ctx, move |store, ctx| {
            Box::pin(async move {
                store.retry_now(id, &ctx.clock).await?;
                let stop = AtomicBool::new(false);
                let sent = service::send_due(store, &config, &ctx.clock, &me(), id, &stop).await?;
                report_sent(ctx.lang, &sent, false)
            })
        });
    }
    let (status, format) = (args.status.clone(), args.format);
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let rows = store.outbox(status.as_deref()).await?;
            match format {
                ListFormat::Json => {
                    print_json(&rows);
                }
                ListFormat::Csv => {
                    let mut out = String::from(
                        "id,kind,to,subject,status,attempts,last_error,created_at,sent_at\n",
                    );
                    for r in &rows {
                        out.push_str(&csv_line(&[
                            r.id.to_string(),
                            r.kind.clone(),
                            r.to.join(" "),
                            r.subject.clone(),
                            r.status.clone(),
                            r.attempts.to_string(),
                            r.last_error.clone().unwrap_or_default(),
                            r.created_at.clone(),
                            r.sent_at.clone().unwrap_or_default(),
                        ]));
                    }
                    print!("{out}");
                }
                ListFormat::Table => {
                    if rows.is_empty() {
                        println!(
                            "{}",
                            tr!(ctx.lang, "boîte d'envoi vide", "the outbox is empty")
                        );
                    }
                    for r in &rows {
                        let status = match (r.status.as_str(), ctx.lang) {
                            ("sent", Lang::Fr) => "envoyé",
                            ("failed", Lang::Fr) => "en échec",
                            ("pending" | "sending", Lang::Fr) => "en attente",
                            (s, _) => s,
                        };
                        println!(
                            "#{:<5} {:<10} {:<13} {} → {}",
                            r.id,
                            status,
                            r.kind,
                            r.created_at,
                            r.to.join(", ")
                        );
                        println!("       « {} »", r.subject);
                        if let Some(e) = &r.last_error {
                            println!(
                                "       {} ({}) : {e}",
                                tr!(ctx.lang, "dernière erreur", "last error"),
                                r.attempts
                            );
                        }
                    }
                }
            }
            Ok(EXIT_OK)
        })
    })
}

pub fn daemon(g: &Global, args: &cli::DaemonArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    if let Some(n) = args.next {
        return with_store(&ctx, move |store, ctx| {
            Box::pin(async move {
                for plan in store.plan_ids(None).await? {
                    let (policy, tz) = store.plan_policy(&plan).await?;
                    match service::next_times(&policy, tz, ctx.clock.now(), n) {
                        Ok((scans, digests)) => {
                            for t in scans {
                                println!("{plan} scan {}", t.to_rfc3339());
                            }
                            for t in digests {
                                println!("{plan} digest {}", t.to_rfc3339());
                            }
                        }
                        Err(e) => eprintln!("{plan}: {e}"),
                    }
                }
                Ok(EXIT_OK)
            })
        });
    }
    let config = match smtp(ctx.lang) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("CNRM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    if config.is_none() {
        tracing::warn!("CNRM_SMTP_URL is not set: messages are queued in the outbox, not sent");
    }
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let stop = Arc::new(AtomicBool::new(false));
            let (tx, rx) = tokio::sync::watch::channel(false);
            let flag = stop.clone();
            tokio::spawn(async move {
                wait_for_signal().await;
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
                let _ = tx.send(true);
            });
            service::daemon(store, config.as_ref(), &me(), ctx.lang, &stop, rx).await?;
            Ok(EXIT_OK)
        })
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
