//! `cnrm remind`, `cnrm outbox` and `cnrm daemon`: the reminder service from the command line.

use super::args::{CheckFormat, DaemonArgs, ListFormat, OutboxAction, OutboxArgs, RemindArgs};
use super::output::{self, csv_line};
use super::{with_store, CliError};
use crate::context::Ctx;
use crate::strings;
use cnrm_engine::mail::SmtpConfig;
use cnrm_engine::remind::MessageKind;
use cnrm_engine::service::{self, ScanReport};
use cnrm_engine::{tr, Lang};
use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Who claims outbox rows: this host and process.
pub(super) fn me() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "cnrm".into());
    format!("{host}:{}", std::process::id())
}

fn smtp(lang: Lang) -> Result<Option<SmtpConfig>, CliError> {
    SmtpConfig::from_env(lang).map_err(CliError::Misuse)
}

fn kind_label(lang: Lang, k: MessageKind) -> &'static str {
    strings::outbox_kind(lang, k.as_str())
}

fn print_scan(out: &mut impl Write, lang: Lang, r: &ScanReport, dry: bool) -> std::io::Result<()> {
    for plan in &r.resting {
        let line = tr!(
            lang,
            "plan {plan}\u{a0}: jour non ouvré (week-end ou férié), aucun rappel aujourd'hui",
            "plan {plan}: non-working day (weekend or holiday), no reminders today"
        );
        writeln!(out, "{line}")?;
    }
    let n = r.messages.len();
    let head = match (dry, n, lang) {
        (true, 0, Lang::Fr) => "aucun message ne serait envoyé (rien n'est écrit)".to_string(),
        (true, 1, Lang::Fr) => "1 message serait envoyé (rien n'est écrit)\u{a0}:".to_string(),
        (true, _, Lang::Fr) => format!("{n} messages seraient envoyés (rien n'est écrit)\u{a0}:"),
        (true, 0, Lang::En) => "no message would be sent (nothing is written)".to_string(),
        (true, 1, Lang::En) => "1 message would be sent (nothing is written):".to_string(),
        (true, _, Lang::En) => format!("{n} messages would be sent (nothing is written):"),
        (false, 0, Lang::Fr) => "aucun message mis dans la boîte d'envoi".to_string(),
        (false, 1, Lang::Fr) => "1 message mis dans la boîte d'envoi\u{a0}:".to_string(),
        (false, _, Lang::Fr) => format!("{n} messages mis dans la boîte d'envoi\u{a0}:"),
        (false, 0, Lang::En) => "no message queued in the outbox".to_string(),
        (false, 1, Lang::En) => "1 message queued in the outbox:".to_string(),
        (false, _, Lang::En) => format!("{n} messages queued in the outbox:"),
    };
    let head = match lang {
        Lang::Fr => cnrm_engine::text::french_typography(&head),
        Lang::En => head,
    };
    writeln!(out, "{head}")?;
    for m in &r.messages {
        let (kind, to) = (kind_label(lang, m.kind), m.to.join(", "));
        let colon = strings::colon(lang);
        writeln!(out, "  {kind} → {to}{colon}{}", m.tasks.join(", "))?;
        writeln!(out, "    « {} »", m.subject)?;
    }
    if r.superseded > 0 {
        let s = r.superseded;
        let line = match (s, lang) {
            (1, Lang::Fr) => {
                "1 rappel plus ancien remplacé par le plus récent (jamais envoyé en retard)"
                    .to_string()
            }
            (_, Lang::Fr) => format!(
                "{s} rappels plus anciens remplacés par le plus récent (jamais envoyés en retard)"
            ),
            (1, Lang::En) => {
                "1 older reminder superseded by the latest (never sent late)".to_string()
            }
            (_, Lang::En) => {
                format!("{s} older reminders superseded by the latest (never sent late)")
            }
        };
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// A panic in a plan's scan is caught at the plan boundary (`service::scan`) and reported as a
/// sentence; the hook only logs it (the daemon's log), instead of printing Rust's dump.
fn log_panics() {
    std::panic::set_hook(Box::new(
        |info| tracing::error!(panic = %info, "internal error"),
    ));
}

pub fn remind(ctx: &Ctx, args: &RemindArgs) -> Result<(), CliError> {
    let config = smtp(ctx.lang)?;
    log_panics();
    let (dry, json) = (args.dry_run, args.format == CheckFormat::Json);
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let domain = service::message_domain(config.as_ref());
        let plan = args.plan.as_deref();
        let report =
            service::scan(store, &ctx.clock, plan, args.digest, dry, &domain, ctx.lang).await?;
        if json {
            output::json(&mut out, &report)?;
        } else {
            print_scan(&mut out, ctx.lang, &report, dry)?;
        }
        out.flush()?;
        // A plan whose scan failed is an error (exit 1) once the other plans' messages are out.
        let failed_plan = report.failed.first().map(|f| {
            let more = report.failed.len() - 1;
            let also = match (more, ctx.lang) {
                (0, _) => String::new(),
                (1, Lang::Fr) => " (et 1 autre plan)".into(),
                (n, Lang::Fr) => format!(" (et {n} autres plans)"),
                (1, Lang::En) => " (and 1 other plan)".into(),
                (n, Lang::En) => format!(" (and {n} other plans)"),
            };
            CliError::Problem(tr!(
                ctx.lang,
                "{}{also}\u{a0}; les autres plans ont été traités (voir `cnrm outbox --status failed`)",
                "{}{also}; the other plans were processed (see `cnrm outbox --status failed`)",
                f.sentence
            ))
        });
        if dry {
            return failed_plan.map_or(Ok(()), Err);
        }
        let Some(cfg) = config else {
            let pending = store.outbox(Some("pending")).await?.len();
            // Nothing waits: there is nothing to send, and nothing wrong.
            if pending == 0 {
                return failed_plan.map_or(Ok(()), Err);
            }
            return Err(CliError::Problem(match (pending, ctx.lang) {
                (1, Lang::Fr) => "CNRM_SMTP_URL n'est pas défini\u{a0}: 1 message attend dans la boîte d'envoi".to_string(),
                (_, Lang::Fr) => format!("CNRM_SMTP_URL n'est pas défini\u{a0}: {pending} messages attendent dans la boîte d'envoi"),
                (1, Lang::En) => "CNRM_SMTP_URL is not set: 1 message waits in the outbox".to_string(),
                (_, Lang::En) => format!("CNRM_SMTP_URL is not set: {pending} messages wait in the outbox"),
            }));
        };
        let stop = AtomicBool::new(false);
        let sent = service::send_due(store, &cfg, &ctx.clock, &me(), None, &stop).await?;
        report_sent(&mut out, ctx.lang, &sent, json)?;
        failed_plan.map_or(Ok(()), Err)
    })
}

/// What a sending pass did; a message that failed is an error (exit 1).
pub(super) fn report_sent(
    out: &mut impl Write,
    lang: Lang,
    r: &service::SendReport,
    json: bool,
) -> Result<(), CliError> {
    let (sent, failed) = (r.sent, r.failed);
    let line = tr!(
        lang,
        "envoyés\u{a0}: {sent}, en échec\u{a0}: {failed}",
        "sent: {sent}, failed: {failed}"
    );
    let mut lines = vec![line];
    if r.superseded > 0 {
        let n = r.superseded;
        lines.push(match (n, lang) {
            (1, Lang::Fr) => "1 message non envoyé, plus d'actualité (ses tâches ont été closes ou leur échéance a changé depuis sa mise en file)\u{a0}: caduc".to_string(),
            (_, Lang::Fr) => format!("{n} messages non envoyés, plus d'actualité (leurs tâches ont été closes ou leur échéance a changé depuis leur mise en file)\u{a0}: caducs"),
            (1, Lang::En) => "1 message not sent, no longer true (its tasks were closed or their deadline moved since it was queued): superseded".to_string(),
            (_, Lang::En) => format!("{n} messages not sent, no longer true (their tasks were closed or their deadline moved since they were queued): superseded"),
        });
    }
    if r.rebuilt > 0 {
        let n = r.rebuilt;
        lines.push(match (n, lang) {
            (1, Lang::Fr) => {
                "1 message refait avant l'envoi pour ses seules tâches encore ouvertes".to_string()
            }
            (_, Lang::Fr) => format!(
                "{n} messages refaits avant l'envoi pour leurs seules tâches encore ouvertes"
            ),
            (1, Lang::En) => {
                "1 message rebuilt before sending for those of its tasks still open".to_string()
            }
            (_, Lang::En) => {
                format!("{n} messages rebuilt before sending for those of their tasks still open")
            }
        });
    }
    for line in lines {
        if json {
            eprintln!("{line}");
        } else {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    if r.left_pending > 0 {
        let (n, why) = (r.left_pending, r.last_error.clone().unwrap_or_default());
        return Err(CliError::Problem(match (n, lang) {
            (1, Lang::Fr) => format!("{why}\u{a0}: envoi interrompu, 1 message reste en attente pour la prochaine tentative"),
            (_, Lang::Fr) => format!("{why}\u{a0}: envoi interrompu, {n} messages restent en attente pour la prochaine tentative"),
            (1, Lang::En) => format!("{why}: sending stopped, 1 message stays pending for the next attempt"),
            (_, Lang::En) => format!("{why}: sending stopped, {n} messages stay pending for the next attempt"),
        }));
    }
    if failed > 0 {
        let why = r.last_error.clone().unwrap_or_default();
        return Err(CliError::Problem(match (failed, lang) {
            (1, Lang::Fr) => format!("1 envoi en échec, réessayé plus tard (voir `cnrm outbox --status failed`)\u{a0}: {why}"),
            (_, Lang::Fr) => format!("{failed} envois en échec, réessayés plus tard (voir `cnrm outbox --status failed`)\u{a0}: {why}"),
            (1, Lang::En) => format!("1 message failed and will be retried (see `cnrm outbox --status failed`): {why}"),
            (_, Lang::En) => format!("{failed} messages failed and will be retried (see `cnrm outbox --status failed`): {why}"),
        }));
    }
    Ok(())
}

pub fn outbox(ctx: &Ctx, args: &OutboxArgs) -> Result<(), CliError> {
    let mut out = output::stdout();
    if let Some(OutboxAction::Retry { id }) = args.action {
        let Some(config) = smtp(ctx.lang)? else {
            return Err(CliError::Misuse(tr!(
                ctx.lang,
                "CNRM_SMTP_URL n'est pas défini\u{a0}: rien ne peut être envoyé",
                "CNRM_SMTP_URL is not set: nothing can be sent"
            )));
        };
        return with_store(ctx, async |store| {
            store.retry_now(id, &ctx.clock).await?;
            let stop = AtomicBool::new(false);
            let sent = service::send_due(store, &config, &ctx.clock, &me(), id, &stop).await?;
            report_sent(&mut out, ctx.lang, &sent, false)
        });
    }
    let mut rows = with_store(ctx, async |store| Ok(store.outbox(args.status).await?))?;
    // A row recorded by an earlier cnrm, whose scrub missed some forms, may still hold what the
    // server said of the password: scrubbed again with today's secrets before it is printed.
    let smtp = SmtpConfig::from_env(ctx.lang).ok().flatten();
    for r in &mut rows {
        if let Some(e) = &mut r.last_error {
            *e = match &smtp {
                Some(config) => config.scrub(e),
                None => cnrm_engine::text::redact(e),
            };
        }
    }
    match args.format {
        ListFormat::Json => output::json(&mut out, &rows)?,
        ListFormat::Csv => {
            out.write_all(b"id,kind,to,subject,status,attempts,last_error,created_at,sent_at\n")?;
            for r in &rows {
                let line = csv_line(&[
                    r.id.to_string(),
                    r.kind.clone(),
                    r.to.join(" "),
                    r.subject.clone(),
                    r.status.clone(),
                    r.attempts.to_string(),
                    r.last_error.clone().unwrap_or_default(),
                    r.created_at.clone(),
                    r.sent_at.clone().unwrap_or_default(),
                ]);
                out.write_all(line.as_bytes())?;
            }
        }
        ListFormat::Table => {
            let out = &mut output::terminal(&mut out);
            if rows.is_empty() {
                let empty = tr!(ctx.lang, "boîte d'envoi vide", "the outbox is empty");
                writeln!(out, "{empty}")?;
            }
            // Messages of several plans say each one's plan.
            let several = rows.iter().any(|r| r.plan != rows[0].plan);
            for r in &rows {
                let status = strings::outbox_status(ctx.lang, &r.status);
                let kind = strings::outbox_kind(ctx.lang, &r.kind);
                let to = match r.to.join(", ") {
                    to if to.is_empty() => String::new(),
                    to => format!(" → {to}"),
                };
                let plan = if several {
                    format!("{} · ", r.plan)
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "#{:<5} {status:<10} {kind:<16} {plan}{}{to}",
                    r.id,
                    strings::when(ctx.lang, &r.created_at)
                )?;
                writeln!(out, "       « {} »", r.subject)?;
                if let Some(e) = &r.last_error {
                    let last = tr!(ctx.lang, "dernière erreur", "last error");
                    let colon = strings::colon(ctx.lang);
                    writeln!(out, "       {last} ({}){colon}{e}", r.attempts)?;
                }
            }
        }
    }
    Ok(out.flush()?)
}

pub fn daemon(ctx: &Ctx, args: &DaemonArgs) -> Result<(), CliError> {
    if let Some(n) = args.next {
        let mut out = output::stdout();
        with_store(ctx, async |store| {
            for plan in store.plan_ids(None).await? {
                let (policy, tz) = store.plan_policy(&plan).await?;
                match service::next_times(&policy, tz, ctx.clock.now(), n) {
                    Ok((scans, digests)) => {
                        for t in scans {
                            writeln!(out, "{plan} scan {}", t.to_rfc3339())?;
                        }
                        for t in digests {
                            writeln!(out, "{plan} digest {}", t.to_rfc3339())?;
                        }
                    }
                    Err(e) => {
                        out.flush()?;
                        eprintln!(
                            "{}",
                            cnrm_engine::text::terminal_text(&format!("{plan}: {e}"))
                        );
                    }
                }
            }
            Ok(())
        })?;
        return Ok(out.flush()?);
    }
    let config = smtp(ctx.lang)?;
    let imap = cnrm_engine::imap::ImapConfig::from_env(ctx.lang).map_err(CliError::Misuse)?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("CNRM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    log_panics();
    let lang = ctx.lang;
    if config.is_none() {
        tracing::warn!(
            "{}",
            cnrm_engine::tr!(
                lang,
                "CNRM_SMTP_URL n'est pas défini\u{a0}: les messages restent dans la file d'envoi, non envoyés",
                "CNRM_SMTP_URL is not set: messages are queued in the outbox, not sent"
            )
        );
    }
    if let Some(i) = &imap {
        tracing::info!(
            mailbox = %i.url,
            "{}",
            cnrm_engine::tr!(
                lang,
                "réponses des membres lues dans la boîte chaque minute",
                "members' replies read from the mailbox every minute"
            )
        );
    }
    with_store(ctx, async |store| {
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = tokio::sync::watch::channel(false);
        let flag = stop.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
            let _ = tx.send(true);
        });
        service::daemon(
            store,
            config.as_ref(),
            imap.as_ref(),
            &me(),
            ctx.lang,
            &stop,
            rx,
        )
        .await?;
        Ok(())
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
