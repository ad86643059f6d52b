//! The reminder service: scan -> outbox -> send, and the daemon loop around it.
//!
//! A scan reads what it needs from the store, lets `remind` decide and group (pure), renders the
//! messages with `mail`, and queues them with their occurrences in one transaction. Sending then
//! claims each due outbox row, sends it through SMTP and marks it sent or failed; a stop request
//! is only honoured between two messages, so a message is never abandoned half-way. The daemon
//! sleeps until the next cron time of any plan (in the plan's time zone), a retry, a re-read of
//! the plans, or shutdown, whichever comes first.

use crate::clock::Clock;
use crate::lang::Lang;
use crate::mail::{self, SmtpConfig};
use crate::records::{RemindTask, StoredPolicy};
use crate::remind::{self, Decision, MessageKind, PlannedMessage};
use crate::schedule::CronSpec;
use crate::store::{QueuedMessage, ScanInput, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Messages sent at the same time by one process.
const SEND_CONCURRENCY: usize = 8;

/// One message of a scan, as `cnrm remind --format json` shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MessageSummary {
    pub kind: MessageKind,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub tasks: Vec<String>,
    #[serde(skip)]
    pub plan: String,
    #[serde(skip)]
    pub subject: String,
}

/// What a scan queued (or, dry, would queue).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ScanReport {
    pub messages: Vec<MessageSummary>,
    pub superseded: usize,
    /// Plans skipped because today is a weekend day or holiday in their calendar.
    #[serde(skip)]
    pub resting: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SendReport {
    pub sent: usize,
    pub failed: usize,
    /// The last error (secrets removed), for the one-sentence summary.
    pub last_error: Option<String>,
}

fn occurrences(
    m: &PlannedMessage,
    tasks: &[RemindTask],
) -> Vec<(String, String, chrono::NaiveDate, chrono::NaiveDate)> {
    if m.kind == MessageKind::Digest {
        return Vec::new();
    }
    m.items
        .iter()
        .map(|i| {
            (
                tasks[i.task].id.clone(),
                i.occasion.key(),
                tasks[i.task].deadline,
                i.date,
            )
        })
        .collect()
}

/// Renders planned messages for the outbox (for a dry run, only their subjects).
fn render_all(
    input: &ScanInput,
    planned: &[PlannedMessage],
    clock: &Clock,
    bodies: bool,
) -> Vec<QueuedMessage> {
    let names = |id: &str| {
        input
            .people
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    planned
        .iter()
        .map(|m| {
            let r = if bodies {
                mail::render(
                    m,
                    &input.tasks,
                    &input.plan_id,
                    &input.title,
                    &names,
                    input.today,
                    clock.now(),
                )
            } else {
                mail::Rendered {
                    subject: mail::subject(m, &input.tasks, input.today),
                    text: String::new(),
                    html: String::new(),
                    ics: String::new(),
                }
            };
            QueuedMessage {
                kind: m.kind.as_str(),
                to: m.to.clone(),
                cc: m.cc.clone(),
                tasks: m
                    .items
                    .iter()
                    .map(|i| input.tasks[i.task].id.clone())
                    .collect(),
                language: m.language,
                subject: r.subject,
                text: r.text,
                html: r.html,
                ics: r.ics,
                occurrences: occurrences(m, &input.tasks),
                digest_owners: if m.kind == MessageKind::Digest {
                    m.owners.clone()
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

/// The domain for Message-IDs: the sender's, or `cnrm.local`.
pub fn message_domain(smtp: Option<&SmtpConfig>) -> String {
    smtp.and_then(|c| {
        c.from
            .rsplit_once('@')
            .map(|(_, d)| d.trim_end_matches('>').to_string())
    })
    .filter(|d| !d.is_empty())
    .unwrap_or_else(|| "cnrm.local".into())
}

/// One scan of every plan (or one): reminders and escalations, or with `digest` the weekly
/// digest. On a weekend day or holiday of a plan's calendar nothing is queued or recorded for it.
pub async fn scan(
    store: &Store,
    clock: &Clock,
    plan: Option<&str>,
    digest: bool,
    dry_run: bool,
    domain: &str,
) -> Result<ScanReport, StoreError> {
    let mut report = ScanReport::default();
    for plan_id in store.plan_ids(plan).await? {
        let input = store.scan_input(&plan_id, clock).await?;
        if !input.calendar.is_working_day(input.today) {
            report.resting.push(plan_id);
            continue;
        }
        let mut superseded = Vec::new();
        let planned = if digest {
            remind::plan_digest(&input.tasks, &input.people, input.today)
                .into_iter()
                .filter(|m| !m.owners.iter().all(|o| input.digested.contains(o)))
                .collect()
        } else {
            let decisions: Vec<Decision> = input
                .tasks
                .iter()
                .enumerate()
                .filter_map(|(i, t)| {
                    let handled = input.handled.get(&(t.id.clone(), t.deadline)).copied();
                    remind::decide(t, input.today, handled, i)
                })
                .collect();
            for d in &decisions {
                report.superseded += d.superseded;
                let t = &input.tasks[d.item.task];
                for (date, occ) in &d.superseded_items {
                    superseded.push((t.id.clone(), occ.key(), t.deadline, *date));
                }
            }
            remind::plan_scan(
                &input.tasks,
                &decisions,
                &input.people,
                input.secretariat.as_deref(),
            )
        };
        let queued = render_all(&input, &planned, clock, !dry_run);
        for q in &queued {
            report.messages.push(MessageSummary {
                kind: match q.kind {
                    "reminder" => MessageKind::Reminder,
                    "escalation" => MessageKind::Escalation,
                    _ => MessageKind::Digest,
                },
                to: q.to.clone(),
                cc: q.cc.clone(),
                tasks: q.tasks.clone(),
                plan: plan_id.clone(),
                subject: q.subject.clone(),
            });
        }
        if !dry_run {
            store
                .queue(&plan_id, &queued, &superseded, input.today, clock, domain)
                .await?;
        }
    }
    Ok(report)
}

/// Sends every due outbox message (or only `only`), one claim at a time. Stops between two
/// messages when `stop` is set.
pub async fn send_due(
    store: &Store,
    smtp: &SmtpConfig,
    clock: &Clock,
    me: &str,
    only: Option<i64>,
    stop: &AtomicBool,
) -> Result<SendReport, StoreError> {
    let mut report = SendReport::default();
    let ids = store.due_outbox(clock, only).await?;
    if ids.is_empty() {
        return Ok(report);
    }
    let transport = match smtp.transport() {
        Ok(t) => t,
        Err(e) => {
            report.last_error = Some(e);
            report.failed = ids.len();
            return Ok(report);
        }
    };
    // A few messages in flight at once over the pooled connections: each SMTP exchange waits on
    // the network, not on us.
    use futures_util::StreamExt;
    let outcomes: Vec<Result<Option<Result<(), String>>, StoreError>> =
        futures_util::stream::iter(ids)
            .map(|id| {
                let transport = &transport;
                async move {
                    if stop.load(Ordering::SeqCst) {
                        return Ok(None);
                    }
                    let Some(msg) = store.claim(id, me, clock).await? else {
                        return Ok(None);
                    };
                    match mail::send(transport, smtp, &msg.mail, clock.now()).await {
                        Ok(()) => {
                            store.mark_sent(id, clock).await?;
                            tracing::info!(outbox = id, "sent");
                            Ok(Some(Ok(())))
                        }
                        Err(e) => {
                            tracing::warn!(outbox = id, error = %e, "send failed");
                            store.mark_failed(id, msg.attempts, &e, clock).await?;
                            Ok(Some(Err(e)))
                        }
                    }
                }
            })
            .buffer_unordered(SEND_CONCURRENCY)
            .collect()
            .await;
    for outcome in outcomes {
        match outcome? {
            Some(Ok(())) => report.sent += 1,
            Some(Err(e)) => {
                report.failed += 1;
                report.last_error = Some(e);
            }
            None => {}
        }
    }
    Ok(report)
}

/// An instant in a plan's time zone.
pub type LocalTime = DateTime<chrono_tz::Tz>;

/// The next `n` scan and digest times of one plan, in its time zone.
pub fn next_times(
    policy: &StoredPolicy,
    tz: chrono_tz::Tz,
    after: DateTime<Utc>,
    n: usize,
) -> Result<(Vec<LocalTime>, Vec<LocalTime>), String> {
    let local = after.with_timezone(&tz);
    let scan = CronSpec::parse(&policy.schedule)?.next_after(&local, n);
    let digest = match &policy.digest {
        Some(d) => CronSpec::parse(d)?.next_after(&local, n),
        None => Vec::new(),
    };
    Ok((scan, digest))
}

/// What the daemon does at a given moment.
#[derive(Debug, Clone, PartialEq)]
enum Job {
    Scan(String),
    Digest(String),
}

/// `cnrm daemon`: runs until `shutdown` resolves (SIGINT/SIGTERM), then returns after the
/// message in flight. Plans applied while it runs are picked up within `reread`.
pub async fn daemon(
    store: &Store,
    smtp: Option<&SmtpConfig>,
    me: &str,
    lang: Lang,
    stop: &AtomicBool,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<(), StoreError> {
    let clock = Clock::System;
    let domain = message_domain(smtp);
    let retry_every = Duration::from_secs(60);
    let reread = Duration::from_secs(5);
    tracing::info!(lang = %lang, "daemon started");
    loop {
        // The next job of every plan, from the policies as they are now in the database.
        let now = clock.now();
        let mut next: Option<(DateTime<Utc>, Vec<Job>)> = None;
        for plan_id in store.plan_ids(None).await? {
            let (policy, tz) = store.plan_policy(&plan_id).await?;
            let Ok((scan, digest)) = next_times(&policy, tz, now, 1) else {
                tracing::warn!(plan = %plan_id, "unreadable schedule");
                continue;
            };
            let candidates = scan
                .first()
                .map(|t| (t.with_timezone(&Utc), Job::Scan(plan_id.clone())))
                .into_iter()
                .chain(
                    digest
                        .first()
                        .map(|t| (t.with_timezone(&Utc), Job::Digest(plan_id.clone()))),
                );
            for (t, job) in candidates {
                match &mut next {
                    Some((at, jobs)) if *at == t => jobs.push(job),
                    Some((at, _)) if *at < t => {}
                    _ => next = Some((t, vec![job])),
                }
            }
        }
        let wait = next
            .as_ref()
            .map(|(t, _)| (*t - now).to_std().unwrap_or(Duration::ZERO))
            .unwrap_or(reread)
            .min(retry_every)
            .min(reread);
        let due_jobs = next
            .filter(|(t, _)| (*t - now).to_std().unwrap_or(Duration::ZERO) <= wait)
            .map(|(_, jobs)| jobs)
            .unwrap_or_default();
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.changed() => {
                tracing::info!("shutting down");
                return Ok(());
            }
        }
        for job in &due_jobs {
            let (plan, digest) = match job {
                Job::Scan(p) => (p.as_str(), false),
                Job::Digest(p) => (p.as_str(), true),
            };
            match scan(store, &clock, Some(plan), digest, false, &domain).await {
                Ok(r) => tracing::info!(
                    plan,
                    digest,
                    messages = r.messages.len(),
                    superseded = r.superseded,
                    "scan"
                ),
                Err(e) => tracing::warn!(plan, error = %e, "scan failed"),
            }
        }
        if let Some(cfg) = smtp {
            match send_due(store, cfg, &clock, me, None, stop).await {
                Ok(r) if r.sent + r.failed > 0 => {
                    tracing::info!(sent = r.sent, failed = r.failed, "outbox")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox failed"),
            }
        }
        if *shutdown.borrow() {
            tracing::info!("shutting down");
            return Ok(());
        }
    }
}
