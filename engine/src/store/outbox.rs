//! The reminder tables: what a scan reads (open tasks, owners, what was already handled), and the
//! outbox (queue, claim, mark sent or failed, list, retry).
//!
//! A scan queues its messages and records their occurrences in one write transaction, so two
//! scans never queue the same reminder. Sending claims one row at a time with a conditional
//! UPDATE (`... WHERE id = $1 AND status IN (...)`), which both databases make atomic: of two
//! processes, one gets the row and the other finds it taken.

use super::query::{parse_day, tz_of};
use super::{alloc_ids, Store, StoreError};
use crate::clock::Clock;
use crate::lang::Lang;
pub use crate::records::OutboxRow;
use crate::records::{Outgoing, Recipient, RemindTask, StoredCalendar, StoredPolicy};
use crate::workflow::Status;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rustc_hash::FxHashMap as HashMap;
use sqlx::{Any, Row, Transaction};

/// A claim older than this is taken to be abandoned by a process that died mid-send.
const LEASE_MINUTES: i64 = 10;

/// The next attempt of a message that is not retried automatically (a permanent refusal, a scan
/// error): later than any clock.
const NEVER: &str = "9999-12-31T23:59:59Z";

/// Everything a scan of one plan needs.
#[derive(Debug, Clone)]
pub struct ScanInput {
    pub plan_id: String,
    pub title: String,
    pub language: Lang,
    pub today: NaiveDate,
    pub timezone: chrono_tz::Tz,
    pub secretariat: Option<String>,
    pub policy: StoredPolicy,
    pub calendar: StoredCalendar,
    pub tasks: Vec<RemindTask>,
    pub people: Vec<Recipient>,
    /// Latest occurrence date handled per (task, deadline).
    pub handled: HashMap<(String, NaiveDate), NaiveDate>,
    /// Owners whose digest of `today` was already queued.
    pub digested: Vec<String>,
}

impl ScanInput {
    /// An owner's name, or its id when the plan has no such owner.
    pub fn name_of(&self, id: &str) -> String {
        self.people
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| id.to_string())
    }
}

/// A message to write to the outbox, rendered.
#[derive(Debug, Clone)]
pub struct QueuedMessage {
    pub kind: &'static str,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub tasks: Vec<String>,
    pub language: Lang,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub ics: String,
    /// The occurrences it carries: (task, kind, deadline, date).
    pub occurrences: Vec<(String, String, NaiveDate, NaiveDate)>,
    /// The owners whose digest it is (digests only).
    pub digest_owners: Vec<String>,
    /// What a reminder or an escalation was built from (`None` for other kinds).
    pub basis: Option<Basis>,
}

/// What a reminder or an escalation said when it was queued, kept beside it (`outbox.basis`,
/// JSON): sending checks that each task is still open with the same deadline, and rebuilds the
/// message from these items for the tasks that still are.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Basis {
    /// The owners it is addressed to.
    pub owners: Vec<String>,
    pub items: Vec<BasisItem>,
}

/// One task of a [`Basis`]: its deadline when queued and the occurrence it was sent for.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BasisItem {
    pub task: String,
    pub deadline: NaiveDate,
    /// `start`, `before-14`, `deadline`, `overdue` (`remind::Occasion::key`).
    pub occasion: String,
    pub date: NaiveDate,
    pub escalated: bool,
    /// In an escalation: the task's owners its recipient supervises.
    #[serde(default)]
    pub supervises: Vec<String>,
    /// In an escalation: its recipient is the plan's secretariat.
    #[serde(default)]
    pub secretariat: bool,
}

/// A task as it stands now, for the send-time check.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskNow {
    /// Open (`todo`, `in_progress`, `blocked`) and not archived.
    pub open: bool,
    pub deadline: Option<NaiveDate>,
}

/// What the sender needs of an outbox row.
#[derive(Debug, Clone)]
pub struct Sendable {
    pub id: i64,
    pub attempts: i64,
    pub mail: Outgoing,
    pub plan_id: String,
    /// `reminder`, `escalation`, `digest`, `answer`.
    pub kind: String,
    pub language: Lang,
    /// The task ids it lists.
    pub tasks: Vec<String>,
    /// `None` for digests, answers and reminders queued before the basis was kept.
    pub basis: Option<Basis>,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Store {
    /// The plans' ids, optionally only one (an unknown id is an error).
    pub async fn plan_ids(&self, only: Option<&str>) -> Result<Vec<String>, StoreError> {
        Ok(self
            .plan_zones(only)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect())
    }

    /// A plan's reminder policy and time zone, as last applied.
    pub async fn plan_policy(
        &self,
        plan_id: &str,
    ) -> Result<(StoredPolicy, chrono_tz::Tz), StoreError> {
        let p = sqlx::query("SELECT policy, timezone FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NoPlan(plan_id.to_string()))?;
        let policy = serde_json::from_str(&p.try_get::<String, _>(0)?)
            .map_err(|_| StoreError::NoPolicy(plan_id.to_string()))?;
        Ok((policy, tz_of(&p.try_get::<String, _>(1)?)))
    }

    /// Reads what a scan of `plan_id` needs, at the clock's "today" in the plan's time zone.
    pub async fn scan_input(&self, plan_id: &str, clock: &Clock) -> Result<ScanInput, StoreError> {
        let p = sqlx::query("SELECT title, timezone, language, secretariat, policy, calendar FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NoPlan(plan_id.to_string()))?;
        let timezone = tz_of(&p.try_get::<String, _>(1)?);
        let language: Lang = p.try_get::<String, _>(2)?.parse().unwrap_or_default();
        let policy: StoredPolicy = serde_json::from_str(&p.try_get::<String, _>(4)?)
            .map_err(|_| StoreError::NoPolicy(plan_id.to_string()))?;
        let calendar: StoredCalendar =
            serde_json::from_str(&p.try_get::<String, _>(5)?).unwrap_or_default();
        let today = clock.today(timezone);

        let mut tasks = Vec::new();
        for r in sqlx::query(
            "SELECT id, title, priority_id, deadline, deadline_label, start_date, status, owners, partners, reminders FROM tasks
             WHERE plan_id = $1 AND archived = 0 AND deadline IS NOT NULL AND status IN ('todo', 'in_progress', 'blocked')
             ORDER BY deadline, position",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?
        {
            let Some(deadline) = parse_day(&r.try_get::<String, _>(3)?) else {
                continue;
            };
            tasks.push(RemindTask {
                id: r.try_get(0)?,
                title: r.try_get(1)?,
                priority: r.try_get(2)?,
                deadline,
                deadline_label: r.try_get(4)?,
                start: r.try_get::<Option<String>, _>(5)?.as_deref().and_then(parse_day),
                status: r.try_get::<String, _>(6)?.parse().unwrap_or(Status::Todo),
                owners: serde_json::from_str(&r.try_get::<String, _>(7)?).unwrap_or_default(),
                partners: serde_json::from_str(&r.try_get::<String, _>(8)?).unwrap_or_default(),
                policy: policy.effective(r.try_get::<Option<String>, _>(9)?.as_deref()),
                note: None,
            });
        }
        // The latest note of each blocked task, for the e-mail.
        let blocked: Vec<usize> = (0..tasks.len())
            .filter(|i| tasks[*i].status == Status::Blocked)
            .collect();
        if !blocked.is_empty() {
            let rows = sqlx::query("SELECT task_id, note FROM events WHERE plan_id = $1 AND note IS NOT NULL AND kind IN ('note', 'update') ORDER BY id")
                .bind(plan_id)
                .fetch_all(&self.pool)
                .await?;
            let mut notes: HashMap<String, String> = HashMap::default();
            for r in rows {
                if let (Ok(Some(task)), Ok(Some(note))) = (
                    r.try_get::<Option<String>, _>(0),
                    r.try_get::<Option<String>, _>(1),
                ) {
                    notes.insert(task, note);
                }
            }
            for i in blocked {
                tasks[i].note = notes.get(&tasks[i].id).cloned();
            }
        }

        let people = sqlx::query("SELECT id, name, short, emails, language, parent FROM owners WHERE plan_id = $1 AND archived = 0 ORDER BY id")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let short: Option<String> = r.try_get(2)?;
                let name: String = r.try_get(1)?;
                Ok(Recipient {
                    id: r.try_get(0)?,
                    name: short.unwrap_or(name),
                    emails: serde_json::from_str(&r.try_get::<String, _>(3)?).unwrap_or_default(),
                    language: r
                        .try_get::<Option<String>, _>(4)?
                        .and_then(|l| l.parse().ok())
                        .unwrap_or(language),
                    parent: r.try_get(5)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;

        let mut handled = HashMap::default();
        for r in sqlx::query(
            "SELECT task_id, deadline, MAX(on_date) FROM reminder_log WHERE plan_id = $1 GROUP BY task_id, deadline",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?
        {
            let day = |i: usize| -> Result<_, StoreError> {
                Ok(parse_day(&r.try_get::<String, _>(i)?))
            };
            if let (Some(deadline), Some(last)) = (day(1)?, day(2)?) {
                handled.insert((r.try_get(0)?, deadline), last);
            }
        }
        let digested =
            sqlx::query("SELECT owner_id FROM digest_log WHERE plan_id = $1 AND on_date = $2")
                .bind(plan_id)
                .bind(today.to_string())
                .fetch_all(&self.pool)
                .await?
                .iter()
                .filter_map(|r| r.try_get::<String, _>(0).ok())
                .collect();
        Ok(ScanInput {
            plan_id: plan_id.to_string(),
            title: p.try_get(0)?,
            language,
            today,
            timezone,
            secretariat: p.try_get(3)?,
            policy,
            calendar,
            tasks,
            people,
            handled,
            digested,
        })
    }

    /// Queues a scan's messages and records its occurrences, in one transaction that first checks
    /// (under the write lock) that no other scan recorded them meanwhile. Returns the outbox ids.
    pub async fn queue(
        &self,
        plan_id: &str,
        messages: &[QueuedMessage],
        superseded: &[(String, String, NaiveDate, NaiveDate)],
        today: NaiveDate,
        clock: &Clock,
        domain: &str,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = clock.stamp();
        // Another scan may have queued the same occurrences between our read and this lock.
        let mut fresh: Vec<&QueuedMessage> = Vec::new();
        for m in messages {
            if m.occurrences.is_empty() && m.digest_owners.is_empty() {
                continue;
            }
            let mut taken = false;
            for (task, _, deadline, date) in &m.occurrences {
                taken |= logged(&mut tx, plan_id, task, *deadline, *date).await?;
            }
            for owner in &m.digest_owners {
                let row = sqlx::query("SELECT 1 FROM digest_log WHERE plan_id = $1 AND owner_id = $2 AND on_date = $3")
                    .bind(plan_id)
                    .bind(owner)
                    .bind(today.to_string())
                    .fetch_optional(&mut *tx)
                    .await?;
                taken |= row.is_some();
            }
            if !taken {
                fresh.push(m);
            }
        }
        let mut ids = Vec::new();
        if !fresh.is_empty() {
            let first = alloc_ids(&mut tx, "outbox", fresh.len() as i64).await?;
            for (k, m) in fresh.iter().enumerate() {
                let id = first + k as i64;
                // 128 random bits: a reply is matched by them, so they must not be guessable.
                let token = crate::token::new_token();
                let message_id = crate::token::message_id(&token, domain);
                sqlx::query(
                    "INSERT INTO outbox (id, plan_id, kind, recipients, cc, tasks, language, subject, body_text, body_html, ics, message_id, status, attempts, next_attempt_at, created_at, token, basis)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending', 0, $13, $13, $14, $15)",
                )
                .bind(id)
                .bind(plan_id)
                .bind(m.kind)
                .bind(serde_json::to_string(&m.to).unwrap_or_default())
                .bind(serde_json::to_string(&m.cc).unwrap_or_default())
                .bind(serde_json::to_string(&m.tasks).unwrap_or_default())
                .bind(m.language.code())
                .bind(&m.subject)
                .bind(&m.text)
                .bind(&m.html)
                .bind(&m.ics)
                .bind(message_id)
                .bind(&now)
                .bind(&token)
                .bind(
                    m.basis
                        .as_ref()
                        .and_then(|b| serde_json::to_string(b).ok()),
                )
                .execute(&mut *tx)
                .await?;
                for (task, kind, deadline, date) in &m.occurrences {
                    log(
                        &mut tx,
                        plan_id,
                        task,
                        kind,
                        *deadline,
                        *date,
                        "sent",
                        Some(id),
                        &now,
                    )
                    .await?;
                }
                for owner in &m.digest_owners {
                    sqlx::query("INSERT INTO digest_log (plan_id, owner_id, on_date, outbox_id, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                        .bind(plan_id)
                        .bind(owner)
                        .bind(today.to_string())
                        .bind(id)
                        .bind(&now)
                        .execute(&mut *tx)
                        .await?;
                }
                ids.push(id);
            }
        }
        for (task, kind, deadline, date) in superseded {
            log(
                &mut tx,
                plan_id,
                task,
                kind,
                *deadline,
                *date,
                "superseded",
                None,
                &now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The outbox rows ready to send now: pending, failed whose retry time has come, or claimed
    /// by a process whose lease ran out.
    pub async fn due_outbox(
        &self,
        clock: &Clock,
        only: Option<i64>,
    ) -> Result<Vec<i64>, StoreError> {
        let now = clock.now();
        let stale = stamp(now - Duration::minutes(LEASE_MINUTES));
        let rows = sqlx::query(
            "SELECT id FROM outbox WHERE kind <> 'scan-error' AND ((status IN ('pending', 'failed') AND next_attempt_at <= $1) OR (status = 'sending' AND claimed_at <= $2)) ORDER BY id",
        )
        .bind(stamp(now))
        .bind(stale)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| r.try_get::<i64, _>(0).ok())
            .filter(|id| only.is_none_or(|o| o == *id))
            .collect())
    }

    /// Claims one row for sending; `None` when another process took it first.
    pub async fn claim(
        &self,
        id: i64,
        me: &str,
        clock: &Clock,
    ) -> Result<Option<Sendable>, StoreError> {
        let now = clock.now();
        let done = sqlx::query(
            "UPDATE outbox SET status = 'sending', claimed_by = $1, claimed_at = $2
             WHERE id = $3 AND kind <> 'scan-error' AND ((status IN ('pending', 'failed') AND next_attempt_at <= $2) OR (status = 'sending' AND claimed_at <= $4))",
        )
        .bind(me)
        .bind(stamp(now))
        .bind(id)
        .bind(stamp(now - Duration::minutes(LEASE_MINUTES)))
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        let r = sqlx::query("SELECT recipients, cc, subject, body_text, body_html, ics, message_id, attempts, in_reply_to, plan_id, kind, language, tasks, basis FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(Some(Sendable {
            id,
            attempts: r.try_get(7)?,
            plan_id: r.try_get(9)?,
            kind: r.try_get(10)?,
            language: r.try_get::<String, _>(11)?.parse().unwrap_or_default(),
            tasks: serde_json::from_str(&r.try_get::<String, _>(12)?).unwrap_or_default(),
            basis: r
                .try_get::<Option<String>, _>(13)?
                .and_then(|b| serde_json::from_str(&b).ok()),
            mail: Outgoing {
                to: serde_json::from_str(&r.try_get::<String, _>(0)?).unwrap_or_default(),
                cc: serde_json::from_str(&r.try_get::<String, _>(1)?).unwrap_or_default(),
                subject: r.try_get(2)?,
                text: r.try_get(3)?,
                html: r.try_get(4)?,
                ics: r.try_get(5)?,
                message_id: r.try_get(6)?,
                in_reply_to: r.try_get(8)?,
            },
        }))
    }

    /// The tasks of `ids` in a plan as they stand now (a task that is not there is absent).
    pub async fn tasks_now(
        &self,
        plan_id: &str,
        ids: &[String],
    ) -> Result<HashMap<String, TaskNow>, StoreError> {
        let mut out = HashMap::default();
        for id in ids {
            let row = sqlx::query(
                "SELECT status, archived, deadline FROM tasks WHERE plan_id = $1 AND id = $2",
            )
            .bind(plan_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(r) = row {
                let status: String = r.try_get(0)?;
                let archived: i64 = r.try_get(1)?;
                out.insert(
                    id.clone(),
                    TaskNow {
                        open: archived == 0
                            && matches!(status.as_str(), "todo" | "in_progress" | "blocked"),
                        deadline: r
                            .try_get::<Option<String>, _>(2)?
                            .as_deref()
                            .and_then(parse_day),
                    },
                );
            }
        }
        Ok(out)
    }

    /// A claimed message that is no longer true is not sent: `superseded`, with why in
    /// `last_error`. False when the claim was lost meanwhile.
    pub async fn mark_superseded(
        &self,
        id: i64,
        me: &str,
        why: &str,
        clock: &Clock,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE outbox SET status = 'superseded', last_error = $1, next_attempt_at = $2, sent_at = NULL, claimed_by = NULL, claimed_at = $3 WHERE id = $4 AND status = 'sending' AND claimed_by = $5")
            .bind(why)
            .bind(NEVER)
            .bind(clock.stamp())
            .bind(id)
            .bind(me)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A claimed message rebuilt for the tasks that are still true: its new words and tasks
    /// replace the old ones before it is sent (same Message-ID). False when the claim was lost.
    #[allow(clippy::too_many_arguments)]
    pub async fn rebuild(
        &self,
        id: i64,
        me: &str,
        subject: &str,
        text: &str,
        html: &str,
        ics: &str,
        tasks: &[String],
        basis: &Basis,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE outbox SET subject = $1, body_text = $2, body_html = $3, ics = $4, tasks = $5, basis = $6 WHERE id = $7 AND status = 'sending' AND claimed_by = $8")
            .bind(subject)
            .bind(text)
            .bind(html)
            .bind(ics)
            .bind(serde_json::to_string(tasks).unwrap_or_default())
            .bind(serde_json::to_string(basis).unwrap_or_default())
            .bind(id)
            .bind(me)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn mark_sent(&self, id: i64, clock: &Clock) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, last_error = NULL, claimed_by = NULL WHERE id = $2")
            .bind(clock.stamp())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed attempt; the next one waits 1, 2, 4 … minutes (at most 6 hours), or,
    /// for a permanent refusal, never comes by itself (`cnrm outbox retry` makes it due).
    pub async fn mark_failed(
        &self,
        id: i64,
        attempts_before: i64,
        error: &str,
        permanent: bool,
        clock: &Clock,
    ) -> Result<(), StoreError> {
        let wait = Duration::minutes(1i64 << attempts_before.clamp(0, 9)).min(Duration::hours(6));
        let next = if permanent {
            NEVER.to_string()
        } else {
            stamp(clock.now() + wait)
        };
        sqlx::query("UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $1, next_attempt_at = $2, claimed_by = NULL WHERE id = $3")
            .bind(error)
            .bind(next)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records that a plan's scan failed, where the secretariat sees it: an outbox row of kind
    /// `scan-error`, `failed`, whose subject and last error are the sentence. It is never sent;
    /// the same failure again for the same plan updates the row (attempts counts them).
    pub async fn record_scan_error(
        &self,
        plan_id: &str,
        sentence: &str,
        clock: &Clock,
    ) -> Result<(), StoreError> {
        let now = clock.stamp();
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE outbox SET attempts = attempts + 1, created_at = $1 WHERE kind = 'scan-error' AND plan_id = $2 AND subject = $3")
            .bind(&now)
            .bind(plan_id)
            .bind(sentence)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            let id = alloc_ids(&mut tx, "outbox", 1).await?;
            sqlx::query(
                "INSERT INTO outbox (id, plan_id, kind, recipients, cc, tasks, language, subject, body_text, body_html, ics, message_id, status, attempts, last_error, next_attempt_at, created_at)
                 VALUES ($1, $2, 'scan-error', '[]', '[]', '[]', 'fr', $3, '', '', '', '', 'failed', 1, $3, $4, $5)",
            )
            .bind(id)
            .bind(plan_id)
            .bind(sentence)
            .bind(NEVER)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// `cnrm outbox retry [ID]`: failed messages become due now. Returns how many.
    pub async fn retry_now(&self, id: Option<i64>, clock: &Clock) -> Result<u64, StoreError> {
        let now = clock.stamp();
        let done = match id {
            Some(id) => {
                let exists = sqlx::query("SELECT status FROM outbox WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                if exists.is_none() {
                    return Err(StoreError::NoMessage(id));
                }
                sqlx::query("UPDATE outbox SET next_attempt_at = $1 WHERE id = $2 AND kind <> 'scan-error' AND status IN ('failed', 'pending')")
                    .bind(&now)
                    .bind(id)
                    .execute(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("UPDATE outbox SET next_attempt_at = $1 WHERE kind <> 'scan-error' AND status = 'failed'")
                    .bind(&now)
                    .execute(&self.pool)
                    .await?
            }
        };
        Ok(done.rows_affected())
    }

    /// The text of one message of the outbox (the terminal UI shows it whole); `None` when
    /// there is no such message.
    pub async fn outbox_text(&self, id: i64) -> Result<Option<String>, StoreError> {
        let r = sqlx::query("SELECT body_text FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.map(|r| r.try_get(0)).transpose()?)
    }

    /// `cnrm outbox`: messages, newest first, optionally of one status.
    pub async fn outbox(&self, status: Option<&str>) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, recipients, subject, status, attempts, last_error, created_at, sent_at, plan_id, next_attempt_at FROM outbox ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let row = OutboxRow {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                to: serde_json::from_str(&r.try_get::<String, _>(2)?).unwrap_or_default(),
                subject: r.try_get(3)?,
                // A message being sent is still pending for the contract (pending|sent|failed).
                status: match r.try_get::<String, _>(4)? {
                    s if s == "sending" => "pending".to_string(),
                    s => s,
                },
                attempts: r.try_get(5)?,
                last_error: r.try_get(6)?,
                created_at: r.try_get(7)?,
                sent_at: r.try_get(8)?,
                plan: r.try_get(9)?,
                next_attempt_at: r.try_get(10)?,
            };
            if status.is_none_or(|s| s == row.status) {
                out.push(row);
            }
        }
        Ok(out)
    }
}

/// True when an occurrence of `task` for this deadline, on or after `date`, was handled already.
async fn logged(
    tx: &mut Transaction<'static, Any>,
    plan: &str,
    task: &str,
    deadline: NaiveDate,
    date: NaiveDate,
) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT 1 FROM reminder_log WHERE plan_id = $1 AND task_id = $2 AND deadline = $3 AND on_date >= $4")
        .bind(plan)
        .bind(task)
        .bind(deadline.to_string())
        .bind(date.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

#[allow(clippy::too_many_arguments)]
async fn log(
    tx: &mut Transaction<'static, Any>,
    plan: &str,
    task: &str,
    kind: &str,
    deadline: NaiveDate,
    date: NaiveDate,
    state: &str,
    outbox: Option<i64>,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO reminder_log (plan_id, task_id, kind, deadline, on_date, state, outbox_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
    )
    .bind(plan)
    .bind(task)
    .bind(kind)
    .bind(deadline.to_string())
    .bind(date.to_string())
    .bind(state)
    .bind(outbox)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
