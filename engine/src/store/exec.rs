//! Recording execution: status and progress, notes, money spent, indicator values.
//!
//! Each command is one short write transaction that updates the task (if needed) and appends one
//! event with its actor and time, so the history is complete and never rewritten.

use super::query::tz_of;
use super::{add_event, alloc_ids, Store, StoreError};
use crate::clock::Clock;
use crate::plan::model::rate;
use crate::records::{Event, FromTo, IndicatorEvent, SpendingEvent};
use crate::workflow::Status;
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;
use sqlx::{Any, Transaction};
use std::collections::BTreeMap;

/// `cnrm task set`.
#[derive(Debug, Clone, Default)]
pub struct SetRequest {
    pub status: Option<Status>,
    pub progress: Option<i64>,
    pub note: Option<String>,
    /// The day the change happened (`--date`, the status form's date field); default today. A
    /// day after today or before the plan's start is refused. Kept in the event's data as
    /// `effective_date`.
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SetResult {
    pub plan: String,
    pub old_status: Status,
    pub status: Status,
    pub old_progress: i64,
    pub progress: i64,
}

impl Store {
    /// Changes a task's status and/or progress and/or adds a note: one event. `done` sets the
    /// progress to 100; progress above 0 on a `todo` task makes it `in_progress` (the same event
    /// says both), unless the request names the status itself.
    pub async fn set_task(
        &self,
        id: &str,
        plan: Option<&str>,
        req: &SetRequest,
        actor: &str,
        clock: &Clock,
    ) -> Result<SetResult, StoreError> {
        if let Some(p) = req.progress.filter(|p| !(0..=100).contains(p)) {
            return Err(StoreError::BadProgress(p));
        }
        if req.status.is_none()
            && req.progress.is_none()
            && req.note.as_deref().is_none_or(|n| n.trim().is_empty())
        {
            return Err(StoreError::NothingToRecord);
        }
        let plan_id = self.locate_task(id, plan).await?;
        if let Some(date) = req.date {
            self.check_effective_date(&plan_id, date, clock).await?;
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT status, progress, archived FROM tasks WHERE plan_id = $1 AND id = $2",
        )
        .bind(&plan_id)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if row.try_get::<i64, _>(2)? != 0 {
            return Err(StoreError::Archived(id.to_string()));
        }
        let old_status: Status = row.try_get::<String, _>(0)?.parse().unwrap_or(Status::Todo);
        let old_progress: i64 = row.try_get(1)?;
        let progress = match (req.progress, req.status.unwrap_or(old_status)) {
            (Some(p), _) => p,
            (None, Status::Done) => 100,
            (None, _) => old_progress,
        };
        let status = req
            .status
            .unwrap_or_else(|| started(old_status, req.progress));
        let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if status == old_status && progress == old_progress && note.is_none() {
            // Nothing changes: no event, so the history only holds what happened.
            tx.rollback().await?;
            return Ok(SetResult {
                plan: plan_id,
                old_status,
                status,
                old_progress,
                progress,
            });
        }
        let at = clock.stamp();
        sqlx::query("UPDATE tasks SET status = $1, progress = $2, updated_at = $3 WHERE plan_id = $4 AND id = $5")
            .bind(status.as_str())
            .bind(progress)
            .bind(&at)
            .bind(&plan_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let event = update_event(old_status, status, old_progress, progress, req.date);
        add_event(&mut tx, &plan_id, Some(id), &event, actor, &at, note).await?;
        tx.commit().await?;
        Ok(SetResult {
            plan: plan_id,
            old_status,
            status,
            old_progress,
            progress,
        })
    }

    /// Refuses an effective date after today (in the plan's time zone) or before the plan's
    /// start.
    async fn check_effective_date(
        &self,
        plan_id: &str,
        date: NaiveDate,
        clock: &Clock,
    ) -> Result<(), StoreError> {
        let p = sqlx::query("SELECT start_date, timezone FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_one(&self.pool)
            .await?;
        let today = clock.today(tz_of(&p.try_get::<String, _>(1)?));
        if date > today {
            return Err(StoreError::FutureDate { date, today });
        }
        let start = crate::records::parse_day(&p.try_get::<String, _>(0)?);
        match start {
            Some(start) if date < start => Err(StoreError::BeforePlan {
                date,
                plan: plan_id.to_string(),
                start,
            }),
            _ => Ok(()),
        }
    }

    /// Records money spent on a task; says what was recorded and where the task's spending now
    /// stands against its budget.
    #[allow(clippy::too_many_arguments)]
    pub async fn spend(
        &self,
        id: &str,
        plan: Option<&str>,
        amount: f64,
        currency: Option<&str>,
        date: Option<NaiveDate>,
        note: Option<&str>,
        actor: &str,
        clock: &Clock,
    ) -> Result<SpendResult, StoreError> {
        if !amount.is_finite() || amount <= 0.0 {
            return Err(StoreError::BadAmount(amount));
        }
        let plan_id = self.locate_task(id, plan).await?;
        let p = sqlx::query("SELECT currency, exchange_rates, timezone FROM plans WHERE id = $1")
            .bind(&plan_id)
            .fetch_one(&self.pool)
            .await?;
        let plan_currency: String = p.try_get(0)?;
        let rates: BTreeMap<String, f64> =
            serde_json::from_str(&p.try_get::<String, _>(1)?).unwrap_or_default();
        let tz = tz_of(&p.try_get::<String, _>(2)?);
        let currency = currency
            .map(|c| c.trim().to_uppercase())
            .unwrap_or_else(|| plan_currency.clone());
        let Some(r) = rate(&plan_currency, &currency, &rates) else {
            return Err(StoreError::UnknownCurrency {
                currency,
                plan: plan_id,
                plan_currency,
            });
        };
        let day = date.unwrap_or_else(|| clock.today(tz));
        let amount_plan = amount * r;
        let at = clock.stamp();
        let mut tx = self.begin_write().await?;
        let task = sqlx::query(
            "SELECT archived, budget_planned FROM tasks WHERE plan_id = $1 AND id = $2",
        )
        .bind(&plan_id)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let (archived, planned): (i64, f64) = (task.try_get(0)?, task.try_get(1)?);
        if archived != 0 {
            return Err(StoreError::Archived(id.to_string()));
        }
        let spent = Spent {
            plan_id: &plan_id,
            task_id: id,
            day,
            amount,
            currency: &currency,
            amount_plan,
        };
        let event = insert_spending(&mut tx, &spent, note, actor, &at).await?;
        add_event(&mut tx, &plan_id, Some(id), &event, actor, &at, note).await?;
        let spent: f64 = sqlx::query(
            "SELECT COALESCE(SUM(amount_plan), 0.0) FROM spendings WHERE plan_id = $1 AND task_id = $2 AND cancelled = 0",
        )
        .bind(&plan_id)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        tx.commit().await?;
        Ok(SpendResult {
            plan: plan_id,
            amount_plan,
            currency: plan_currency,
            entry: match &event {
                Event::Spending(s) => s.entry.unwrap_or(0),
                _ => 0,
            },
            planned,
            spent,
        })
    }

    /// Records a measured indicator value; returns the plan it belongs to.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_indicator(
        &self,
        id: &str,
        plan: Option<&str>,
        value: f64,
        date: Option<NaiveDate>,
        note: Option<&str>,
        actor: &str,
        clock: &Clock,
    ) -> Result<String, StoreError> {
        let (plan_id, tz) = self.locate_indicator(id, plan).await?;
        let day = date.unwrap_or_else(|| clock.today(tz));
        let at = clock.stamp();
        let mut tx = self.begin_write().await?;
        let entry: i64 = sqlx::query(
            "SELECT COUNT(*) FROM indicator_values WHERE plan_id = $1 AND indicator_id = $2",
        )
        .bind(&plan_id)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get::<i64, _>(0)?
            + 1;
        let vid = alloc_ids(&mut tx, "indicator_value", 1).await?;
        sqlx::query("INSERT INTO indicator_values (id, plan_id, indicator_id, measured_on, value, note, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(vid)
            .bind(&plan_id)
            .bind(id)
            .bind(day.to_string())
            .bind(value)
            .bind(note)
            .bind(actor)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        let event = Event::Indicator(IndicatorEvent {
            indicator: id.to_string(),
            value,
            date: day.to_string(),
            entry: Some(entry),
        });
        add_event(&mut tx, &plan_id, None, &event, actor, &at, note).await?;
        tx.commit().await?;
        Ok(plan_id)
    }

    /// `cnrm task spend --cancel`: marks spending entry `entry` of a task (numbered from 1 as
    /// `task show` lists them) cancelled and records a `spending_cancelled` event; the entry stays
    /// in the history and no longer counts in any total.
    pub async fn cancel_spending(
        &self,
        id: &str,
        plan: Option<&str>,
        entry: i64,
        note: Option<&str>,
        actor: &str,
        clock: &Clock,
    ) -> Result<Cancelled, StoreError> {
        let plan_id = self.locate_task(id, plan).await?;
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query("SELECT id, amount, currency, amount_plan, spent_on, cancelled FROM spendings WHERE plan_id = $1 AND task_id = $2 ORDER BY id")
            .bind(&plan_id)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let row = open_entry(&rows, id, entry, 5)?;
        let sid: i64 = row.try_get(0)?;
        let amount: f64 = row.try_get(1)?;
        let currency: String = row.try_get(2)?;
        let amount_plan: f64 = row.try_get(3)?;
        let date: String = row.try_get(4)?;
        let event = CancelEvent {
            plan: &plan_id,
            task: Some(id),
            event: Event::SpendingCancelled(SpendingEvent {
                amount,
                currency: currency.clone(),
                amount_plan,
                date,
                entry: Some(entry),
            }),
        };
        cancel_row(tx, "spendings", sid, &event, note, actor, clock).await?;
        Ok(Cancelled {
            plan: plan_id,
            entry,
            value: amount,
            currency: Some(currency),
        })
    }

    /// `cnrm indicator record --cancel`: marks recorded value `entry` of an indicator (numbered
    /// from 1 as `indicator show` lists them) cancelled and records an `indicator_cancelled`
    /// event; the value stays listed and is no longer a latest value.
    pub async fn cancel_indicator_value(
        &self,
        id: &str,
        plan: Option<&str>,
        entry: i64,
        note: Option<&str>,
        actor: &str,
        clock: &Clock,
    ) -> Result<Cancelled, StoreError> {
        let (plan_id, _) = self.locate_indicator(id, plan).await?;
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query("SELECT id, value, measured_on, cancelled FROM indicator_values WHERE plan_id = $1 AND indicator_id = $2 ORDER BY id")
            .bind(&plan_id)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let row = open_entry(&rows, id, entry, 3)?;
        let vid: i64 = row.try_get(0)?;
        let value: f64 = row.try_get(1)?;
        let date: String = row.try_get(2)?;
        let event = CancelEvent {
            plan: &plan_id,
            task: None,
            event: Event::IndicatorCancelled(IndicatorEvent {
                indicator: id.to_string(),
                value,
                date,
                entry: Some(entry),
            }),
        };
        cancel_row(tx, "indicator_values", vid, &event, note, actor, clock).await?;
        Ok(Cancelled {
            plan: plan_id,
            entry,
            value,
            currency: None,
        })
    }
}

/// The status a task takes when progress is recorded without a status: progress above 0 on a
/// `todo` task means work has started (`in_progress`); any other status stays. The one rule of
/// the command line, the UI and e-mail replies.
pub(super) fn started(status: Status, progress: Option<i64>) -> Status {
    match (status, progress) {
        (Status::Todo, Some(p)) if p > 0 => Status::InProgress,
        (s, _) => s,
    }
}

/// A spending recorded: its plan, its amount in the plan's currency, its entry number, and the
/// task's planned budget and total spent (this entry included, cancelled ones not), both in the
/// plan's currency.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendResult {
    pub plan: String,
    pub amount_plan: f64,
    pub currency: String,
    pub entry: i64,
    pub planned: f64,
    pub spent: f64,
}

impl SpendResult {
    /// How many times its budget the task's spending now is, when that is 10 or more (a likely
    /// typing mistake: a zero too many): the entry is recorded, the user is warned.
    pub fn overspent(&self) -> Option<f64> {
        let times = self.spent / self.planned;
        (self.planned > 0.0 && times >= 10.0).then_some(times)
    }
}

/// The event a cancellation records.
struct CancelEvent<'a> {
    plan: &'a str,
    task: Option<&'a str>,
    event: Event,
}

/// Marks row `row` of `table` (`spendings`, else `indicator_values`) cancelled, records the
/// compensating event with its note, and commits.
async fn cancel_row(
    mut tx: Transaction<'static, Any>,
    table: &str,
    row: i64,
    event: &CancelEvent<'_>,
    note: Option<&str>,
    actor: &str,
    clock: &Clock,
) -> Result<(), StoreError> {
    let sql = match table {
        "spendings" => "UPDATE spendings SET cancelled = 1 WHERE id = $1",
        _ => "UPDATE indicator_values SET cancelled = 1 WHERE id = $1",
    };
    sqlx::query(sql).bind(row).execute(&mut *tx).await?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let at = clock.stamp();
    add_event(
        &mut tx,
        event.plan,
        event.task,
        &event.event,
        actor,
        &at,
        note,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a `--cancel` undid: the entry's plan, number and value (an amount with its currency, or
/// an indicator value).
#[derive(Debug, Clone, PartialEq)]
pub struct Cancelled {
    pub plan: String,
    pub entry: i64,
    pub value: f64,
    pub currency: Option<String>,
}

/// Entry `entry` (numbered from 1) of `rows`, refused when it does not exist or when its
/// `cancelled` column (at `cancelled`) says it is already cancelled.
fn open_entry<'r>(
    rows: &'r [AnyRow],
    id: &str,
    entry: i64,
    cancelled: usize,
) -> Result<&'r AnyRow, StoreError> {
    let Some(row) = usize::try_from(entry - 1).ok().and_then(|i| rows.get(i)) else {
        return Err(StoreError::NoEntry {
            id: id.to_string(),
            entry,
            count: rows.len(),
        });
    };
    if row.try_get::<i64, _>(cancelled)? != 0 {
        return Err(StoreError::AlreadyCancelled {
            id: id.to_string(),
            entry,
        });
    }
    Ok(row)
}

/// A spending entry to record: on which task, when, how much, in which currency and in the
/// plan's currency.
pub(super) struct Spent<'a> {
    pub plan_id: &'a str,
    pub task_id: &'a str,
    pub day: NaiveDate,
    pub amount: f64,
    pub currency: &'a str,
    pub amount_plan: f64,
}

/// Inserts a spending entry in `tx`, numbered after the task's earlier ones (from 1), and returns
/// its `spending` event. The one insert of the command line, the UI and e-mail.
pub(super) async fn insert_spending(
    tx: &mut Transaction<'static, Any>,
    s: &Spent<'_>,
    note: Option<&str>,
    actor: &str,
    at: &str,
) -> Result<Event, StoreError> {
    let entry: i64 =
        sqlx::query("SELECT COUNT(*) FROM spendings WHERE plan_id = $1 AND task_id = $2")
            .bind(s.plan_id)
            .bind(s.task_id)
            .fetch_one(&mut **tx)
            .await?
            .try_get::<i64, _>(0)?
            + 1;
    let sid = alloc_ids(tx, "spending", 1).await?;
    sqlx::query("INSERT INTO spendings (id, plan_id, task_id, spent_on, amount, currency, amount_plan, note, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(sid)
        .bind(s.plan_id)
        .bind(s.task_id)
        .bind(s.day.to_string())
        .bind(s.amount)
        .bind(s.currency)
        .bind(s.amount_plan)
        .bind(note)
        .bind(actor)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(Event::Spending(SpendingEvent {
        amount: s.amount,
        currency: s.currency.to_string(),
        amount_plan: s.amount_plan,
        date: s.day.to_string(),
        entry: Some(entry),
    }))
}

/// The event of a state change: `update` with what changed, or `note` when nothing did (the
/// note alone). The one rule of the command line, the UI and e-mail.
pub(super) fn update_event(
    old_status: Status,
    status: Status,
    old_progress: i64,
    progress: i64,
    effective_date: Option<chrono::NaiveDate>,
) -> Event {
    let status = (status != old_status).then_some(FromTo {
        from: old_status,
        to: status,
    });
    let progress = (progress != old_progress).then_some(FromTo {
        from: old_progress,
        to: progress,
    });
    if status.is_none() && progress.is_none() {
        Event::Note {
            postpone_request: None,
        }
    } else {
        Event::Update {
            status,
            progress,
            effective_date,
        }
    }
}
