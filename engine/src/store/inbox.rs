//! The inbox tables: what a member's reply is matched with (the outbox), what it may change (the
//! tasks the matched message listed), and the one transaction that records it.
//!
//! [`Store::record_reply`] writes the inbox row first, with `ON CONFLICT (message_id) DO NOTHING`,
//! under the database's write lock: of two processes receiving the same message, the second
//! finds the row and applies nothing (`StoreError::AlreadyReceived`). The changes, their events
//! (source `e-mail`, the sender as actor) and the answer to the member are written in the same
//! transaction: all of a message or nothing.

use super::query::tz_of;
use super::{add_event_from, alloc_ids, Store, StoreError};
use crate::clock::Clock;
use crate::lang::Lang;
use crate::plan::model::rate;
use crate::records::{Event, FromTo};
use crate::workflow::Status;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeMap;

/// The source written on events that came by e-mail.
pub const EMAIL_SOURCE: &str = "e-mail";

/// An outbox message a reply may answer.
#[derive(Debug, Clone, PartialEq)]
pub struct SentMessage {
    pub outbox_id: i64,
    pub plan_id: String,
    pub kind: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// The tasks it listed, in order: task `n` of the message is `tasks[n - 1]`.
    pub tasks: Vec<String>,
    pub language: Lang,
    pub message_id: String,
    pub subject: String,
    /// Its plain text, to recognise it when a reply quotes it without marks.
    pub text: String,
}

/// What a reply may need to know of a task it names.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplyTask {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub progress: i64,
    pub archived: bool,
    /// Its deadline (none for a continuous task) and the label the plan wrote it with.
    pub deadline: Option<chrono::NaiveDate>,
    pub deadline_label: String,
}

/// A plan's money settings and language, to read `dépensé 2 500 000 EUR`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanMoney {
    pub currency: String,
    pub rates: BTreeMap<String, f64>,
    pub language: Lang,
}

/// One change a reply asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeValue {
    /// A status, and the day it took effect when the member gave one (`fait le 12/03`).
    Status(Status, Option<chrono::NaiveDate>),
    Progress(i64),
    Note(String),
    /// An amount, in `currency` (the plan's when `None`).
    Spending {
        amount: f64,
        currency: Option<String>,
    },
    /// A postponement request: recorded as a note (`note`, in the plan's language) and flagged
    /// to the secretariat; the deadline does not move.
    Postpone {
        requested: String,
        note: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub task: String,
    pub value: ChangeValue,
}

/// A change as recorded, and as `cnrm inbox` / `mail receive --format json` show it:
/// `{"task": ID, "kind": "status"|"progress"|"note"|"spending"|"postpone_request", "value": ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedChange {
    pub task: String,
    pub kind: String,
    pub value: serde_json::Value,
}

/// The inbox row of a received message.
#[derive(Debug, Clone, Default)]
pub struct NewInboxRow {
    pub message_id: String,
    pub date_header: Option<String>,
    pub sender: String,
    pub subject: String,
    /// `applied`, `rejected` or `ignored`.
    pub status: String,
    /// A stable code (`not_a_reply`, `sender_not_recipient`, ...), `None` when applied.
    pub reason: Option<String>,
    pub plan_id: Option<String>,
    pub matched_outbox: Option<i64>,
    pub matched_message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub not_understood: Vec<String>,
    /// The member's text (what was read, before quotes were cut), for the secretariat.
    pub body: String,
    /// What was changed to store it (characters replaced), for the secretariat.
    pub notes: Option<String>,
}

/// The answer to queue with a received message.
#[derive(Debug, Clone)]
pub struct NewAnswer {
    pub plan_id: String,
    pub to: Vec<String>,
    pub language: Lang,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The member's Message-ID, with angle brackets.
    pub in_reply_to: String,
    /// The tasks of the matched message (so that a reply to the answer numbers them the same).
    pub tasks: Vec<String>,
    /// The domain of the answer's Message-ID.
    pub domain: String,
}

/// What [`Store::record_reply`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub inbox_id: i64,
    pub answer_outbox: Option<i64>,
    pub changes: Vec<AppliedChange>,
}

/// One received message, as `cnrm inbox` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InboxRow {
    pub id: i64,
    pub message_id: String,
    pub received_at: String,
    pub date: Option<String>,
    pub from: String,
    pub subject: String,
    pub status: String,
    pub reason: Option<String>,
    pub plan: Option<String>,
    pub matched_message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub changes: Vec<AppliedChange>,
    pub not_understood: Vec<String>,
    /// The outbox message that answered it.
    pub answer: Option<i64>,
    /// A postponement request the secretariat has not yet seen in a digest.
    pub postpone_pending: bool,
    /// What the member wrote, as read.
    pub text: String,
    /// What was changed to store it (characters replaced), if anything.
    pub notes: Option<String>,
}

/// A postponement request for the secretariat's digest.
#[derive(Debug, Clone, PartialEq)]
pub struct PostponeRequest {
    pub inbox_id: i64,
    pub from: String,
    pub received_at: String,
    pub task: String,
    pub requested: String,
}

const SENT_COLUMNS: &str =
    "id, plan_id, kind, recipients, cc, tasks, language, message_id, subject, body_text";

fn sent_message(r: &sqlx::any::AnyRow) -> Result<SentMessage, StoreError> {
    let list = |i: usize| -> Result<Vec<String>, StoreError> {
        Ok(serde_json::from_str(&r.try_get::<String, _>(i)?).unwrap_or_default())
    };
    Ok(SentMessage {
        outbox_id: r.try_get(0)?,
        plan_id: r.try_get(1)?,
        kind: r.try_get(2)?,
        to: list(3)?,
        cc: list(4)?,
        tasks: list(5)?,
        language: r.try_get::<String, _>(6)?.parse().unwrap_or_default(),
        message_id: r.try_get(7)?,
        subject: r.try_get(8)?,
        text: r.try_get(9)?,
    })
}

impl Store {
    /// The outbox message whose token is `token`.
    pub async fn sent_by_token(&self, token: &str) -> Result<Option<SentMessage>, StoreError> {
        let sql = format!(
            "SELECT {SENT_COLUMNS} FROM outbox WHERE token = $1 AND kind <> 'scan-error' ORDER BY id LIMIT 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token.to_ascii_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(sent_message).transpose()
    }

    /// The outbox message whose Message-ID is `id` (angle brackets optional, case ignored).
    pub async fn sent_by_message_id(&self, id: &str) -> Result<Option<SentMessage>, StoreError> {
        let bare = id.trim().trim_start_matches('<').trim_end_matches('>');
        if bare.is_empty() {
            return Ok(None);
        }
        let sql = format!(
            "SELECT {SENT_COLUMNS} FROM outbox WHERE message_id = $1 AND kind <> 'scan-error' ORDER BY id LIMIT 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(format!("<{bare}>"))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(sent_message).transpose()
    }

    /// True when a message of this Message-ID is already in the inbox.
    pub async fn received(&self, message_id: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM inbox WHERE message_id = $1")
            .bind(message_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// The tasks of a plan, by id, as a reply needs them (unknown ids are left out).
    pub async fn reply_tasks(
        &self,
        plan_id: &str,
        ids: &[String],
    ) -> Result<Vec<ReplyTask>, StoreError> {
        let mut out = Vec::new();
        for id in ids {
            let row = sqlx::query(
                "SELECT title, status, progress, archived, deadline, deadline_label FROM tasks WHERE plan_id = $1 AND id = $2",
            )
            .bind(plan_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(r) = row {
                out.push(ReplyTask {
                    id: id.clone(),
                    title: r.try_get(0)?,
                    status: r.try_get::<String, _>(1)?.parse().unwrap_or(Status::Todo),
                    progress: r.try_get(2)?,
                    archived: r.try_get::<i64, _>(3)? != 0,
                    deadline: r
                        .try_get::<Option<String>, _>(4)?
                        .and_then(|d| d.parse().ok()),
                    deadline_label: r.try_get(5)?,
                });
            }
        }
        Ok(out)
    }

    /// A plan's currency, exchange rates and language.
    pub async fn plan_money(&self, plan_id: &str) -> Result<PlanMoney, StoreError> {
        let p = sqlx::query("SELECT currency, exchange_rates, language FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NoPlan(plan_id.to_string()))?;
        Ok(PlanMoney {
            currency: p.try_get(0)?,
            rates: serde_json::from_str(&p.try_get::<String, _>(1)?).unwrap_or_default(),
            language: p.try_get::<String, _>(2)?.parse().unwrap_or_default(),
        })
    }

    /// Whether a spending of `amount` in `currency` on this task, not cancelled, was dated on or
    /// after `since`: a member sending the same line again is asked before it counts twice.
    pub async fn recent_spending(
        &self,
        plan_id: &str,
        task_id: &str,
        amount: f64,
        currency: &str,
        since: chrono::NaiveDate,
    ) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) FROM spendings WHERE plan_id = $1 AND task_id = $2 AND cancelled = 0 AND currency = $3 AND ABS(amount - $4) < 0.005 AND spent_on >= $5",
        )
        .bind(plan_id)
        .bind(task_id)
        .bind(currency.trim().to_uppercase())
        .bind(amount)
        .bind(since.to_string())
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        Ok(n > 0)
    }

    /// The plan and language of the owner whose address this is (case ignored), if any: who may
    /// be told that a message was refused.
    pub async fn owner_by_address(
        &self,
        address: &str,
    ) -> Result<Option<(String, Lang)>, StoreError> {
        let wanted = address.trim().to_lowercase();
        if wanted.is_empty() {
            return Ok(None);
        }
        let rows = sqlx::query(
            "SELECT o.plan_id, o.emails, o.language, p.language FROM owners o JOIN plans p ON p.id = o.plan_id WHERE o.archived = 0 ORDER BY o.plan_id, o.id",
        )
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let emails: Vec<String> =
                serde_json::from_str(&r.try_get::<String, _>(1)?).unwrap_or_default();
            if emails.iter().any(|e| e.trim().to_lowercase() == wanted) {
                let lang = r
                    .try_get::<Option<String>, _>(2)?
                    .and_then(|l| l.parse().ok())
                    .or_else(|| r.try_get::<String, _>(3).ok()?.parse().ok())
                    .unwrap_or_default();
                return Ok(Some((r.try_get(0)?, lang)));
            }
        }
        Ok(None)
    }

    /// Records a received message in one transaction: its inbox row (refused with
    /// `AlreadyReceived` when its Message-ID is there already), its changes as events by
    /// `actor` with the source `e-mail`, and the answer in the outbox. A task that is archived
    /// (or gone) by now fails the whole transaction with `Archived`/`NoTask`, nothing written.
    pub async fn record_reply(
        &self,
        row: &NewInboxRow,
        changes: &[Change],
        answer: Option<&NewAnswer>,
        clock: &Clock,
    ) -> Result<Recorded, StoreError> {
        let mut tx = self.begin_write().await?;
        let at = clock.stamp();
        let inbox_id = alloc_ids(&mut tx, "inbox", 1).await?;
        let flagged = changes
            .iter()
            .any(|c| matches!(c.value, ChangeValue::Postpone { .. }));
        let inserted = sqlx::query(
            "INSERT INTO inbox (id, message_id, received_at, date_header, sender, subject, status, reason, plan_id, matched_outbox, matched_message_id, in_reply_to, changes, not_understood, body, flagged)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '[]', $13, $14, $15) ON CONFLICT (message_id) DO NOTHING",
        )
        .bind(inbox_id)
        .bind(&row.message_id)
        .bind(&at)
        .bind(&row.date_header)
        .bind(&row.sender)
        .bind(&row.subject)
        .bind(&row.status)
        .bind(&row.reason)
        .bind(&row.plan_id)
        .bind(row.matched_outbox)
        .bind(&row.matched_message_id)
        .bind(&row.in_reply_to)
        .bind(serde_json::to_string(&row.not_understood).unwrap_or_else(|_| "[]".into()))
        .bind(&row.body)
        .bind(i64::from(flagged))
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() != 1 {
            tx.rollback().await?;
            return Err(StoreError::AlreadyReceived(row.message_id.clone()));
        }
        let mut applied = Vec::new();
        if let (Some(plan_id), false) = (&row.plan_id, changes.is_empty()) {
            let p =
                sqlx::query("SELECT currency, exchange_rates, timezone FROM plans WHERE id = $1")
                    .bind(plan_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let plan_currency: String = p.try_get(0)?;
            let rates: BTreeMap<String, f64> =
                serde_json::from_str(&p.try_get::<String, _>(1)?).unwrap_or_default();
            let today = clock.today(tz_of(&p.try_get::<String, _>(2)?));
            for c in changes {
                let t = sqlx::query(
                    "SELECT status, progress, archived FROM tasks WHERE plan_id = $1 AND id = $2",
                )
                .bind(plan_id)
                .bind(&c.task)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NoTask(c.task.clone()))?;
                if t.try_get::<i64, _>(2)? != 0 {
                    return Err(StoreError::Archived(c.task.clone()));
                }
                let old_status: Status = t.try_get::<String, _>(0)?.parse().unwrap_or(Status::Todo);
                let old_progress: i64 = t.try_get(1)?;
                let (event, note, change) = match &c.value {
                    ChangeValue::Status(s, effective_date) => {
                        let progress = if *s == Status::Done {
                            100
                        } else {
                            old_progress
                        };
                        set_state(&mut tx, plan_id, &c.task, *s, progress, &at).await?;
                        let event = Event::Update {
                            status: Some(FromTo {
                                from: old_status,
                                to: *s,
                            }),
                            progress: (progress != old_progress).then_some(FromTo {
                                from: old_progress,
                                to: progress,
                            }),
                            effective_date: *effective_date,
                        };
                        (event, None, ("status", json!(s.as_str())))
                    }
                    ChangeValue::Progress(p) => {
                        if !(0..=100).contains(p) {
                            return Err(StoreError::BadProgress(*p));
                        }
                        let status = super::exec::started(old_status, Some(*p));
                        set_state(&mut tx, plan_id, &c.task, status, *p, &at).await?;
                        let event =
                            super::exec::update_event(old_status, status, old_progress, *p, None);
                        (event, None, ("progress", json!(p)))
                    }
                    ChangeValue::Note(text) => {
                        let event = Event::Note {
                            postpone_request: None,
                        };
                        (event, Some(text.clone()), ("note", json!(text)))
                    }
                    ChangeValue::Postpone { requested, note } => {
                        let event = Event::Note {
                            postpone_request: Some(requested.clone()),
                        };
                        (
                            event,
                            Some(note.clone()),
                            ("postpone_request", json!(requested)),
                        )
                    }
                    ChangeValue::Spending { amount, currency } => {
                        let currency = currency
                            .as_deref()
                            .map(|c| c.trim().to_uppercase())
                            .unwrap_or_else(|| plan_currency.clone());
                        let Some(r) = rate(&plan_currency, &currency, &rates) else {
                            return Err(StoreError::UnknownCurrency {
                                currency,
                                plan: plan_id.clone(),
                                plan_currency,
                            });
                        };
                        if !amount.is_finite() || *amount <= 0.0 {
                            return Err(StoreError::BadAmount(*amount));
                        }
                        let amount_plan = amount * r;
                        let spent = super::exec::Spent {
                            plan_id,
                            task_id: &c.task,
                            day: today,
                            amount: *amount,
                            currency: &currency,
                            amount_plan,
                        };
                        let event =
                            super::exec::insert_spending(&mut tx, &spent, None, &row.sender, &at)
                                .await?;
                        let value = json!({ "amount": amount, "currency": currency, "amount_plan": amount_plan });
                        (event, None, ("spending", value))
                    }
                };
                add_event_from(
                    &mut tx,
                    plan_id,
                    Some(&c.task),
                    &event,
                    &row.sender,
                    &at,
                    note.as_deref(),
                    Some(EMAIL_SOURCE),
                )
                .await?;
                applied.push(AppliedChange {
                    task: c.task.clone(),
                    kind: change.0.to_string(),
                    value: change.1,
                });
            }
        }
        let mut answer_outbox = None;
        if let Some(a) = answer {
            let id = alloc_ids(&mut tx, "outbox", 1).await?;
            let token = crate::token::new_token();
            sqlx::query(
                "INSERT INTO outbox (id, plan_id, kind, recipients, cc, tasks, language, subject, body_text, body_html, ics, message_id, status, attempts, next_attempt_at, created_at, token, in_reply_to)
                 VALUES ($1, $2, 'answer', $3, '[]', $4, $5, $6, $7, $8, '', $9, 'pending', 0, $10, $10, $11, $12)",
            )
            .bind(id)
            .bind(&a.plan_id)
            .bind(serde_json::to_string(&a.to).unwrap_or_else(|_| "[]".into()))
            .bind(serde_json::to_string(&a.tasks).unwrap_or_else(|_| "[]".into()))
            .bind(a.language.code())
            .bind(&a.subject)
            .bind(&a.text)
            .bind(&a.html)
            .bind(crate::token::message_id(&token, &a.domain))
            .bind(&at)
            .bind(&token)
            .bind(&a.in_reply_to)
            .execute(&mut *tx)
            .await?;
            answer_outbox = Some(id);
        }
        sqlx::query("UPDATE inbox SET changes = $1, answer_outbox = $2 WHERE id = $3")
            .bind(serde_json::to_string(&applied).unwrap_or_else(|_| "[]".into()))
            .bind(answer_outbox)
            .bind(inbox_id)
            .execute(&mut *tx)
            .await?;
        if let Some(notes) = &row.notes {
            sqlx::query("UPDATE inbox SET notes = $1 WHERE id = $2")
                .bind(notes)
                .bind(inbox_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Recorded {
            inbox_id,
            answer_outbox,
            changes: applied,
        })
    }

    /// `cnrm inbox`: received messages, newest first, optionally of one status.
    pub async fn inbox(&self, status: Option<&str>) -> Result<Vec<InboxRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, message_id, received_at, date_header, sender, subject, status, reason, plan_id, matched_message_id, in_reply_to, changes, not_understood, answer_outbox, flagged, body, notes FROM inbox ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let row = InboxRow {
                id: r.try_get(0)?,
                message_id: r.try_get(1)?,
                received_at: r.try_get(2)?,
                date: r.try_get(3)?,
                from: r.try_get(4)?,
                subject: r.try_get(5)?,
                status: r.try_get(6)?,
                reason: r.try_get(7)?,
                plan: r.try_get(8)?,
                matched_message_id: r.try_get(9)?,
                in_reply_to: r.try_get(10)?,
                changes: serde_json::from_str(&r.try_get::<String, _>(11)?).unwrap_or_default(),
                not_understood: serde_json::from_str(&r.try_get::<String, _>(12)?)
                    .unwrap_or_default(),
                answer: r.try_get(13)?,
                postpone_pending: r.try_get::<i64, _>(14)? != 0,
                text: r.try_get(15)?,
                notes: r.try_get(16)?,
            };
            if status.is_none_or(|s| s == row.status) {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// The postponement requests of a plan not yet listed in a secretariat digest.
    pub async fn pending_postponements(
        &self,
        plan_id: &str,
    ) -> Result<Vec<PostponeRequest>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, sender, received_at, changes FROM inbox WHERE plan_id = $1 AND flagged = 1 ORDER BY id",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let changes: Vec<AppliedChange> =
                serde_json::from_str(&r.try_get::<String, _>(3)?).unwrap_or_default();
            for c in changes.into_iter().filter(|c| c.kind == "postpone_request") {
                out.push(PostponeRequest {
                    inbox_id: r.try_get(0)?,
                    from: r.try_get(1)?,
                    received_at: r.try_get(2)?,
                    task: c.task,
                    requested: c.value.as_str().unwrap_or_default().to_string(),
                });
            }
        }
        Ok(out)
    }

    /// Marks postponement requests as listed to the secretariat.
    pub async fn postponements_listed(&self, inbox_ids: &[i64]) -> Result<(), StoreError> {
        for id in inbox_ids {
            sqlx::query("UPDATE inbox SET flagged = 0 WHERE id = $1")
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}

async fn set_state(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    plan_id: &str,
    task: &str,
    status: Status,
    progress: i64,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE tasks SET status = $1, progress = $2, updated_at = $3 WHERE plan_id = $4 AND id = $5",
    )
    .bind(status.as_str())
    .bind(progress)
    .bind(at)
    .bind(plan_id)
    .bind(task)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
