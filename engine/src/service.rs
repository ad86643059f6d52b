//! The reminder service: scan -> outbox -> send, and the daemon loop around it.
//!
//! A scan reads what it needs from the store, lets `remind` decide and group (pure), renders the
//! messages with `mail`, and queues them with their occurrences in one transaction. Sending then
//! claims each due outbox row, sends it through SMTP and marks it sent or failed; a stop request
//! is only honoured between two messages, so a message is never abandoned half-way. The daemon
//! sleeps until the next cron time of any plan (in the plan's time zone), a retry, a re-read of
//! the plans, or shutdown, whichever comes first.

use crate::clock::Clock;
use crate::imap::{ImapConfig, NotRecorded, Unseen};
use crate::inbox;
use crate::lang::Lang;
use crate::mail::{self, SmtpConfig};
use crate::records::{RemindTask, StoredPolicy};
use crate::remind::{self, Decision, MessageKind, PlannedMessage};
use crate::schedule::CronSpec;
use crate::store::{Basis, BasisItem, QueuedMessage, ScanInput, Sendable, Store, StoreError};
use crate::tr;
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
    /// Plans whose scan failed; the others went on.
    #[serde(skip)]
    pub failed: Vec<PlanFailure>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SendReport {
    pub sent: usize,
    pub failed: usize,
    /// The last error (secrets removed), for the one-sentence summary.
    pub last_error: Option<String>,
    /// Not attempted (stop requested, taken by another process, or circuit open).
    pub skipped: usize,
    /// Left pending because the server was out of reach ([`BREAKER`] failures in a row).
    pub left_pending: usize,
    /// Not sent because no longer true: every task it listed closed, or its deadline moved,
    /// since it was queued (`superseded` in the outbox).
    pub superseded: usize,
    /// Sent rebuilt for those of its tasks that were still open.
    pub rebuilt: usize,
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

/// Renders planned messages for the outbox (for a dry run, only their subjects). `extra` is a
/// block for the message of one owner (the secretariat's postponement requests).
fn render_all(
    input: &ScanInput,
    planned: &[PlannedMessage],
    clock: &Clock,
    bodies: bool,
    extra: Option<(&str, &(String, String))>,
) -> Vec<QueuedMessage> {
    let names = |id: &str| input.name_of(id);
    planned
        .iter()
        .map(|m| {
            let r = if bodies {
                let block = extra
                    .filter(|(owner, _)| m.owners.iter().any(|o| o == owner))
                    .map(|(_, b)| b);
                mail::render_with(
                    m,
                    &input.tasks,
                    &input.plan_id,
                    &input.title,
                    &names,
                    input.today,
                    clock.now(),
                    block,
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
                basis: basis(m, &input.tasks),
            }
        })
        .collect()
}

/// What a reminder or an escalation was built from, kept with it in the outbox so that sending
/// can check it is still true (`refresh`); digests have none.
fn basis(m: &PlannedMessage, tasks: &[RemindTask]) -> Option<Basis> {
    if m.kind == MessageKind::Digest {
        return None;
    }
    Some(Basis {
        owners: m.owners.clone(),
        items: m
            .items
            .iter()
            .map(|i| BasisItem {
                task: tasks[i.task].id.clone(),
                deadline: tasks[i.task].deadline,
                occasion: i.occasion.key(),
                date: i.date,
                escalated: i.escalated,
                supervises: i
                    .role
                    .as_ref()
                    .map(|r| r.supervises.clone())
                    .unwrap_or_default(),
                secretariat: i.role.as_ref().is_some_and(|r| r.secretariat),
            })
            .collect(),
    })
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

/// A plan whose scan failed: its id and why, in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFailure {
    pub plan: String,
    pub sentence: String,
}

/// Runs one plan's part of a scan so that nothing in it reaches the other plans: an error and a
/// panic alike become a [`PlanFailure`].
async fn isolate<T>(
    plan_id: &str,
    lang: Lang,
    work: impl std::future::Future<Output = Result<T, StoreError>>,
) -> Result<T, PlanFailure> {
    use futures_util::FutureExt;
    let why = match std::panic::AssertUnwindSafe(work).catch_unwind().await {
        Ok(Ok(value)) => return Ok(value),
        Ok(Err(StoreError::NoPolicy(_))) => tr!(
            lang,
            "sa politique de rappels enregistrée est illisible (appliquez le plan de nouveau)",
            "its stored reminder policy is unreadable (apply the plan again)"
        ),
        Ok(Err(StoreError::Database(_))) => tr!(
            lang,
            "la base de données a refusé une lecture ou une écriture",
            "the database refused a read or a write"
        ),
        Ok(Err(_)) => tr!(
            lang,
            "ses données enregistrées sont invalides",
            "its stored data is invalid"
        ),
        Err(_) => tr!(
            lang,
            "une erreur interne de cnrm l'a interrompu (signalez-la)",
            "an internal error of cnrm stopped it (please report it)"
        ),
    };
    let sentence = tr!(
        lang,
        "les rappels du plan {plan_id} n'ont pas pu être préparés\u{a0}: {why}",
        "the reminders of the plan {plan_id} could not be prepared: {why}"
    );
    tracing::error!(plan = %plan_id, error = %sentence, "scan failed");
    Err(PlanFailure {
        plan: plan_id.to_string(),
        sentence,
    })
}

/// One scan of every plan (or one): reminders and escalations, or with `digest` the weekly
/// digest. On a weekend day or holiday of a plan's calendar nothing is queued or recorded for it.
/// Plans are isolated: one whose scan fails (bad data, a bug) is reported in `failed` and, unless
/// dry, recorded in the outbox as a `scan-error` row; the others are scanned and queued all the
/// same.
pub async fn scan(
    store: &Store,
    clock: &Clock,
    plan: Option<&str>,
    digest: bool,
    dry_run: bool,
    domain: &str,
    lang: Lang,
) -> Result<ScanReport, StoreError> {
    let mut report = ScanReport::default();
    for plan_id in store.plan_ids(plan).await? {
        let one = scan_plan(store, clock, &plan_id, digest, dry_run, domain);
        match isolate(&plan_id, lang, one).await {
            Ok(Some(part)) => {
                report.messages.extend(part.messages);
                report.superseded += part.superseded;
            }
            Ok(None) => report.resting.push(plan_id),
            Err(failure) => {
                if !dry_run {
                    store
                        .record_scan_error(&failure.plan, &failure.sentence, clock)
                        .await?;
                }
                report.failed.push(failure);
            }
        }
    }
    Ok(report)
}

/// One plan's scan; `None` on a day it rests.
async fn scan_plan(
    store: &Store,
    clock: &Clock,
    plan_id: &str,
    digest: bool,
    dry_run: bool,
    domain: &str,
) -> Result<Option<ScanReport>, StoreError> {
    let mut report = ScanReport::default();
    let input = store.scan_input(plan_id, clock).await?;
    if !input.calendar.is_working_day(input.today) {
        return Ok(None);
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
    let mut planned = planned;
    // Postponement requests received by e-mail go to the secretariat in its digest.
    let requests = if digest && !dry_run {
        store.pending_postponements(plan_id).await?
    } else {
        Vec::new()
    };
    let secretariat = input
        .secretariat
        .as_deref()
        .and_then(|st| input.people.iter().find(|p| p.id == st))
        .filter(|p| !p.emails.is_empty() && !input.digested.contains(&p.id));
    let requests_for = match (requests.is_empty(), secretariat) {
        (false, Some(st)) => {
            if !planned.iter().any(|m| m.owners.contains(&st.id)) {
                planned.push(PlannedMessage {
                    kind: MessageKind::Digest,
                    owners: vec![st.id.clone()],
                    to: st.emails.clone(),
                    cc: Vec::new(),
                    language: st.language,
                    items: Vec::new(),
                });
            }
            Some(st.id.clone())
        }
        _ => None,
    };
    let block = requests_for.as_ref().map(|st| {
        let lang = planned
            .iter()
            .find(|m| m.owners.contains(st))
            .map_or(input.language, |m| m.language);
        let deadlines = |task: &str| {
            input
                .tasks
                .iter()
                .find(|t| t.id == task)
                .map(|t| (t.deadline, t.deadline_label.clone()))
        };
        (st.clone(), mail::postponements(lang, &requests, &deadlines))
    });
    let queued = render_all(
        &input,
        &planned,
        clock,
        !dry_run,
        block.as_ref().map(|(st, b)| (st.as_str(), b)),
    );
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
            plan: plan_id.to_string(),
            subject: q.subject.clone(),
        });
    }
    if !dry_run {
        store
            .queue(plan_id, &queued, &superseded, input.today, clock, domain)
            .await?;
        if requests_for.is_some() {
            let ids: Vec<i64> = requests.iter().map(|r| r.inbox_id).collect();
            store.postponements_listed(&ids).await?;
        }
    }
    Ok(Some(report))
}

/// Consecutive time-outs or connection failures after which a batch stops sending: the rest is
/// left pending, untouched, for the next pass, instead of each waiting for its own time-out.
const BREAKER: usize = 3;

/// What happened to one message of a batch.
enum Outcome {
    Sent,
    /// No longer true: not sent, marked `superseded`.
    Superseded,
    Failed(mail::SendError),
    /// Not sent, not touched: stop requested, circuit open, or taken by another process.
    Skipped,
}

/// Sends every due outbox message (or only `only`), one claim at a time. Stops between two
/// messages when `stop` is set. The first messages go one at a time until the server answers
/// (so that a server out of reach costs [`BREAKER`] time-outs, not one per message), then up to
/// [`SEND_CONCURRENCY`] at once.
pub async fn send_due(
    store: &Store,
    smtp: &SmtpConfig,
    clock: &Clock,
    me: &str,
    only: Option<i64>,
    stop: &AtomicBool,
) -> Result<SendReport, StoreError> {
    use std::sync::atomic::AtomicUsize;
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
    let unreachable_in_a_row = AtomicUsize::new(0);
    let rebuilt = AtomicUsize::new(0);
    let one = |id: i64| {
        let (transport, unreachable_in_a_row, rebuilt) =
            (&transport, &unreachable_in_a_row, &rebuilt);
        async move {
            if stop.load(Ordering::SeqCst) || unreachable_in_a_row.load(Ordering::SeqCst) >= BREAKER
            {
                return Ok(Outcome::Skipped);
            }
            let Some(msg) = store.claim(id, me, clock).await? else {
                return Ok(Outcome::Skipped);
            };
            // Under the claim: what it says must still be true.
            let msg = match refresh(store, clock, me, smtp.lang, msg).await? {
                Fresh::Same(msg) => msg,
                Fresh::Rebuilt(msg) => {
                    rebuilt.fetch_add(1, Ordering::SeqCst);
                    msg
                }
                Fresh::Superseded => return Ok(Outcome::Superseded),
                Fresh::Lost => return Ok(Outcome::Skipped),
            };
            match mail::send(transport, smtp, &msg.mail, clock.now()).await {
                Ok(()) => {
                    unreachable_in_a_row.store(0, Ordering::SeqCst);
                    store.mark_sent(id, clock).await?;
                    tracing::info!(outbox = id, "sent");
                    Ok(Outcome::Sent)
                }
                Err(e) => {
                    if e.kind == mail::Failure::Unreachable {
                        unreachable_in_a_row.fetch_add(1, Ordering::SeqCst);
                    } else {
                        unreachable_in_a_row.store(0, Ordering::SeqCst);
                    }
                    tracing::warn!(outbox = id, error = %e.text, "send failed");
                    let permanent = e.kind == mail::Failure::Permanent;
                    store
                        .mark_failed(id, msg.attempts, &e.text, permanent, clock)
                        .await?;
                    Ok::<_, StoreError>(Outcome::Failed(e))
                }
            }
        }
    };
    let mut outcomes = Vec::new();
    let mut rest = ids.into_iter();
    // One at a time until the server has answered once (sent or refused).
    for id in rest.by_ref() {
        let outcome = one(id).await?;
        let answered = match &outcome {
            Outcome::Sent => true,
            Outcome::Superseded => false,
            Outcome::Failed(e) => e.kind != mail::Failure::Unreachable,
            Outcome::Skipped => false,
        };
        outcomes.push(outcome);
        if answered || unreachable_in_a_row.load(Ordering::SeqCst) >= BREAKER {
            break;
        }
    }
    // Then a few at once over the pooled connections: each exchange waits on the network.
    use futures_util::StreamExt;
    let parallel: Vec<Result<Outcome, StoreError>> = futures_util::stream::iter(rest)
        .map(one)
        .buffer_unordered(SEND_CONCURRENCY)
        .collect()
        .await;
    for outcome in parallel {
        outcomes.push(outcome?);
    }
    for outcome in outcomes {
        match outcome {
            Outcome::Sent => report.sent += 1,
            Outcome::Superseded => report.superseded += 1,
            Outcome::Failed(e) => {
                report.failed += 1;
                report.last_error = Some(e.text);
            }
            Outcome::Skipped => report.skipped += 1,
        }
    }
    if unreachable_in_a_row.load(Ordering::SeqCst) >= BREAKER {
        report.left_pending = report.skipped;
    }
    report.rebuilt = rebuilt.load(Ordering::SeqCst);
    Ok(report)
}

/// What the send-time check made of a claimed message.
enum Fresh {
    /// Still true: sent as queued.
    Same(Sendable),
    /// Some of its tasks closed or moved: rebuilt for the others (stored, then sent).
    Rebuilt(Sendable),
    /// None of its tasks is still open with the same deadline: marked `superseded`.
    Superseded,
    /// The claim was lost meanwhile (another process took the row over).
    Lost,
}

/// Why a message is superseded, in the configuration's language (the outbox's `last_error`).
fn superseded_why(lang: Lang, tasks: &str) -> String {
    tr!(
        lang,
        "non envoyé, plus d'actualité\u{a0}: depuis sa mise en file, ses tâches ont été closes ou leur échéance a changé ({tasks})",
        "not sent, no longer true: since it was queued, its tasks were closed or their deadline moved ({tasks})"
    )
}

/// The send-time check of a reminder or an escalation, under its claim: a task closed (done,
/// cancelled, suspended, archived) or whose deadline moved since the message was queued is no
/// longer its business. With none left, the message is `superseded`; with some, it is rendered
/// afresh from the current state for those, and the outbox row takes the new words (same
/// Message-ID). Digests and answers are sent as queued. A message queued before the basis was
/// kept (no `basis`) cannot be rebuilt: it is superseded when every task it lists is closed,
/// else sent as queued.
async fn refresh(
    store: &Store,
    clock: &Clock,
    me: &str,
    lang: Lang,
    mut msg: Sendable,
) -> Result<Fresh, StoreError> {
    if !matches!(msg.kind.as_str(), "reminder" | "escalation") {
        return Ok(Fresh::Same(msg));
    }
    let now = store.tasks_now(&msg.plan_id, &msg.tasks).await?;
    let holds = |task: &str, deadline: Option<chrono::NaiveDate>| {
        now.get(task)
            .is_some_and(|t| t.open && deadline.is_none_or(|d| t.deadline == Some(d)))
    };
    let (kept, dropped): (Vec<BasisItem>, Vec<String>) = match &msg.basis {
        Some(basis) => {
            let (kept, dropped): (Vec<&BasisItem>, Vec<&BasisItem>) = basis
                .items
                .iter()
                .partition(|i| holds(&i.task, Some(i.deadline)));
            (
                kept.into_iter().cloned().collect(),
                dropped.into_iter().map(|i| i.task.clone()).collect(),
            )
        }
        None => {
            let dropped: Vec<String> = msg
                .tasks
                .iter()
                .filter(|t| !holds(t, None))
                .cloned()
                .collect();
            if dropped.len() < msg.tasks.len() {
                return Ok(Fresh::Same(msg));
            }
            (Vec::new(), dropped)
        }
    };
    if dropped.is_empty() {
        return Ok(Fresh::Same(msg));
    }
    let list = dropped.join(", ");
    let supersede = async |msg: &Sendable| -> Result<Fresh, StoreError> {
        let done = store
            .mark_superseded(msg.id, me, &superseded_why(lang, &list), clock)
            .await?;
        tracing::info!(outbox = msg.id, tasks = %list, "superseded");
        Ok(if done { Fresh::Superseded } else { Fresh::Lost })
    };
    if kept.is_empty() {
        return supersede(&msg).await;
    }
    // Rebuilt from the current state of the plan, for the tasks still concerned.
    let input = store.scan_input(&msg.plan_id, clock).await?;
    let kind = if msg.kind == "escalation" {
        MessageKind::Escalation
    } else {
        MessageKind::Reminder
    };
    let mut items = Vec::new();
    let mut basis_items = Vec::new();
    for k in kept {
        let Some(index) = input.tasks.iter().position(|t| t.id == k.task) else {
            continue;
        };
        items.push(remind::DueItem {
            task: index,
            occasion: remind::Occasion::from_key(&k.occasion).unwrap_or(remind::Occasion::Overdue),
            date: k.date,
            escalated: k.escalated,
            role: (kind == MessageKind::Escalation).then(|| remind::Role {
                supervises: k.supervises.clone(),
                secretariat: k.secretariat,
            }),
        });
        basis_items.push(k);
    }
    if items.is_empty() {
        return supersede(&msg).await;
    }
    remind::sort_items(&mut items, &input.tasks);
    let owners = msg
        .basis
        .as_ref()
        .map(|b| b.owners.clone())
        .unwrap_or_default();
    let planned = PlannedMessage {
        kind,
        owners: owners.clone(),
        to: msg.mail.to.clone(),
        cc: msg.mail.cc.clone(),
        language: msg.language,
        items,
    };
    let names = |id: &str| input.name_of(id);
    let r = mail::render(
        &planned,
        &input.tasks,
        &input.plan_id,
        &input.title,
        &names,
        input.today,
        clock.now(),
    );
    let tasks: Vec<String> = planned
        .items
        .iter()
        .map(|i| input.tasks[i.task].id.clone())
        .collect();
    let basis = Basis {
        owners,
        items: tasks
            .iter()
            .filter_map(|t| basis_items.iter().find(|b| &b.task == t).cloned())
            .collect(),
    };
    if !store
        .rebuild(
            msg.id, me, &r.subject, &r.text, &r.html, &r.ics, &tasks, &basis,
        )
        .await?
    {
        return Ok(Fresh::Lost);
    }
    tracing::info!(outbox = msg.id, dropped = %list, "rebuilt");
    msg.mail.subject = r.subject;
    msg.mail.text = r.text;
    msg.mail.html = r.html;
    msg.mail.ics = r.ics;
    msg.tasks = tasks;
    msg.basis = Some(basis);
    Ok(Fresh::Rebuilt(msg))
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

/// How often the daemon reads the IMAP mailbox (`CNRM_IMAP_URL`).
pub const FETCH_EVERY: Duration = Duration::from_secs(60);

/// `cnrm daemon`: runs until `shutdown` resolves (SIGINT/SIGTERM), then returns after the
/// message in flight. Plans applied while it runs are picked up within `reread`. With `imap`,
/// the mailbox is read every [`FETCH_EVERY`] (first at start); a failed pass is logged and tried
/// again at the next one.
#[allow(clippy::too_many_arguments)]
pub async fn daemon(
    store: &Store,
    smtp: Option<&SmtpConfig>,
    imap: Option<&ImapConfig>,
    me: &str,
    lang: Lang,
    stop: &AtomicBool,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<(), StoreError> {
    let clock = Clock::System;
    let domain = message_domain(smtp);
    let retry_every = Duration::from_secs(60);
    let reread = Duration::from_secs(5);
    tracing::info!("{}", tr!(lang, "service démarré", "daemon started"));
    let options = inbox::Options::new(domain.clone(), lang);
    let mut next_fetch = tokio::time::Instant::now();
    let mut fetch_log = FetchLog::default();
    loop {
        if let Some(cfg) = imap.filter(|_| tokio::time::Instant::now() >= next_fetch) {
            // A pass that panicked is a failure like another: the daemon goes on.
            let pass = std::panic::AssertUnwindSafe(fetch_replies(
                store,
                cfg,
                &clock,
                &options,
                &|_, _| {},
            ));
            let result = futures_util::FutureExt::catch_unwind(pass)
                .await
                .unwrap_or_else(|_| {
                    Err(tr!(
                        lang,
                        "une erreur interne de cnrm a interrompu la lecture (signalez-la)",
                        "an internal error of cnrm stopped the reading (please report it)"
                    ))
                });
            fetch_log.pass(lang, cfg, result);
            next_fetch = tokio::time::Instant::now() + FETCH_EVERY;
        }
        // The next job of every plan, from the policies as they are now in the database.
        let now = clock.now();
        let mut next: Option<(DateTime<Utc>, Vec<Job>)> = None;
        for plan_id in store.plan_ids(None).await? {
            // A plan whose policy cannot be read is logged and left out; the others go on.
            let (policy, tz) = match store.plan_policy(&plan_id).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(plan = %plan_id, error = %e, "unreadable reminder policy");
                    continue;
                }
            };
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
                tracing::info!("{}", tr!(lang, "arrêt du service", "shutting down"));
                return Ok(());
            }
        }
        for job in &due_jobs {
            let (plan, digest) = match job {
                Job::Scan(p) => (p.as_str(), false),
                Job::Digest(p) => (p.as_str(), true),
            };
            match scan(store, &clock, Some(plan), digest, false, &domain, lang).await {
                Ok(r) if r.failed.is_empty() => tracing::info!(
                    plan,
                    digest,
                    messages = r.messages.len(),
                    superseded = r.superseded,
                    "{}",
                    tr!(lang, "rappels préparés", "scan")
                ),
                // Logged with the plan's id and recorded in the outbox by `scan`.
                Ok(_) => {}
                Err(e) => tracing::warn!(
                    plan,
                    error = %e,
                    "{}",
                    tr!(lang, "les rappels n'ont pas pu être préparés", "scan failed")
                ),
            }
        }
        if let Some(cfg) = smtp {
            match send_due(store, cfg, &clock, me, None, stop).await {
                Ok(r) if r.sent + r.failed + r.superseded > 0 => tracing::info!(
                    sent = r.sent,
                    failed = r.failed,
                    superseded = r.superseded,
                    rebuilt = r.rebuilt,
                    "{}",
                    tr!(lang, "envois", "outbox")
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(
                    error = %e,
                    "{}",
                    tr!(lang, "les envois ont échoué", "outbox failed")
                ),
            }
        }
        if *shutdown.borrow() {
            tracing::info!("{}", tr!(lang, "arrêt du service", "shutting down"));
            return Ok(());
        }
    }
}

/// What one `mail fetch` pass did: each message's outcome, and what was left for later.
#[derive(Debug, Clone, Serialize, Default)]
pub struct FetchSummary {
    pub applied: usize,
    pub rejected: usize,
    pub ignored: usize,
    pub duplicate: usize,
    /// Messages left unseen because the pass stopped (the database could not take them now,
    /// the server stopped answering).
    pub left_unseen: usize,
    /// Messages left unseen, each with its reason, while the pass went on (`BODY[] NIL`, too
    /// large, refused by the database).
    pub unseen: Vec<Unseen>,
    pub messages: Vec<inbox::Received>,
    /// Why the pass stopped early (a sentence), if it did.
    #[serde(skip)]
    pub stopped: Option<String>,
}

/// One pass over the unseen messages of the IMAP mailbox: each goes through
/// [`inbox::receive`] as `mail receive` would take it, and is marked `\Seen` once recorded; a
/// message the database cannot take now stays unseen with those after it, one it can never take
/// stays unseen with its reason and the pass goes on. `progress(done, total)` is told of each
/// message. The error is a sentence (server, login, mailbox).
pub async fn fetch_replies(
    store: &Store,
    imap: &ImapConfig,
    clock: &Clock,
    options: &inbox::Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<FetchSummary, String> {
    let lang = imap.lang;
    let report = crate::imap::fetch(imap, progress, |raw| async move {
        match inbox::receive(store, &raw, clock, options).await {
            Ok(received) => Ok(received),
            Err(inbox::InboxError::Temporary(_)) => Err(NotRecorded::TryLater(tr!(
                lang,
                "la base de données ne peut pas enregistrer les réponses maintenant",
                "the database cannot record replies now"
            ))),
            Err(inbox::InboxError::Store(_)) => Err(NotRecorded::Skip(tr!(
                lang,
                "la base de données a refusé de l'enregistrer",
                "the database refused to record it"
            ))),
        }
    })
    .await?;
    let mut summary = FetchSummary {
        left_unseen: report.left_unseen,
        unseen: report.unseen,
        stopped: report.stopped,
        ..FetchSummary::default()
    };
    for r in &report.processed {
        match r.status {
            inbox::Outcome::Applied => summary.applied += 1,
            inbox::Outcome::Rejected => summary.rejected += 1,
            inbox::Outcome::Ignored => summary.ignored += 1,
            inbox::Outcome::Duplicate => summary.duplicate += 1,
        }
    }
    summary.messages = report.processed;
    Ok(summary)
}

/// One sentence for a message left unseen: `le message UID 17 reste non lu : why`.
pub fn unseen_sentence(lang: Lang, u: &Unseen) -> String {
    let (uid, why) = (u.uid, &u.why);
    tr!(
        lang,
        "le message UID {uid} reste non lu\u{a0}: {why}",
        "the message UID {uid} stays unseen: {why}"
    )
}

/// What the daemon has said of the mailbox, so that a failure that lasts is logged once.
#[derive(Default)]
struct FetchLog {
    /// The failure of the last pass (it stopped or could not start), logged already.
    failure: Option<String>,
    /// The messages left unseen whose reason was logged already.
    unseen: std::collections::HashSet<(u32, String)>,
}

impl FetchLog {
    /// Logs one pass of the daemon, in the operator's language: what it read, and each failure
    /// once (not again at every pass while it lasts).
    fn pass(&mut self, lang: Lang, cfg: &ImapConfig, result: Result<FetchSummary, String>) {
        let failure = match result {
            Ok(s) => {
                let read = s.applied + s.rejected + s.ignored + s.duplicate;
                if read > 0 {
                    let (a, r, i, d) = (s.applied, s.rejected, s.ignored, s.duplicate);
                    tracing::info!(
                        "{}",
                        tr!(
                            lang,
                            "boîte aux lettres lue\u{a0}: messages lus {read}, appliqués {a}, refusés {r}, ignorés {i}, en double {d}",
                            "mailbox read: messages read {read}, applied {a}, rejected {r}, ignored {i}, duplicates {d}"
                        )
                    );
                }
                for u in &s.unseen {
                    if self.unseen.insert((u.uid, u.why.clone())) {
                        tracing::warn!("{}", unseen_sentence(lang, u));
                    }
                }
                s.stopped.map(|why| {
                    let n = s.left_unseen;
                    tr!(
                        lang,
                        "lecture de la boîte interrompue\u{a0}: {why} (messages laissés non lus pour le prochain passage\u{a0}: {n})",
                        "mailbox reading stopped: {why} (messages left unseen for the next pass: {n})"
                    )
                })
            }
            Err(e) => {
                let e = cfg.scrub(&e);
                Some(tr!(
                    lang,
                    "la boîte aux lettres n'a pas pu être lue\u{a0}: {e} (nouvel essai chaque minute)",
                    "the mailbox could not be read: {e} (tried again every minute)"
                ))
            }
        };
        match failure {
            Some(f) if self.failure.as_ref() != Some(&f) => {
                tracing::warn!("{f}");
                self.failure = Some(f);
            }
            Some(_) => {}
            None => {
                if self.failure.take().is_some() {
                    tracing::info!(
                        "{}",
                        tr!(
                            lang,
                            "la boîte aux lettres est de nouveau lue normalement",
                            "the mailbox is read normally again"
                        )
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<T>(f: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn a_panic_or_an_error_in_one_plan_becomes_a_sentence_about_that_plan() {
        let panicked = run(isolate("pao", Lang::Fr, async {
            let stored: Vec<u32> = Vec::new();
            if stored.is_empty() {
                panic!("a defect in a scan");
            }
            Ok::<_, StoreError>(1)
        }));
        assert_eq!(
            panicked,
            Err(PlanFailure {
                plan: "pao".into(),
                sentence: "les rappels du plan pao n'ont pas pu être préparés\u{a0}: une erreur interne de cnrm l'a interrompu (signalez-la)".into(),
            })
        );
        let failed = run(isolate("pao", Lang::En, async {
            Err::<(), _>(StoreError::NoPolicy("pao".into()))
        }));
        assert_eq!(
            failed.map_err(|f| f.sentence),
            Err("the reminders of the plan pao could not be prepared: its stored reminder policy is unreadable (apply the plan again)".into())
        );
        assert_eq!(run(isolate("pao", Lang::Fr, async { Ok(7) })), Ok(7));
    }
}
