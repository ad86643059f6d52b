//! The records the store reads and writes, and the figures, reports, reminders and e-mails are
//! computed from: beneath all of them, so that the store needs none of them and they need none
//! of the store's internals. Plain data, and the few conversions of what a plan stores.

use crate::lang::Lang;
use crate::plan::model::{Calendar, EffectivePolicy, ReminderOverride, ReminderPolicy};
use crate::workflow::Status;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One task as `cnrm tasks --format json` shows it (the contract's keys, and a few more).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskRow {
    pub id: String,
    pub plan: String,
    pub priority: String,
    pub title: String,
    pub owners: Vec<String>,
    pub partners: Vec<String>,
    pub deadline: Option<String>,
    pub deadline_label: String,
    pub status: Status,
    pub progress: i64,
    pub overdue: bool,
    pub days_late: i64,
    pub milestone: bool,
    pub archived: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanInfo {
    pub id: String,
    pub title: String,
    pub revision: i64,
    pub updated_at: String,
    pub source: String,
    pub timezone: String,
    pub currency: String,
    pub language: String,
    pub tasks: i64,
    pub open: i64,
    pub overdue: i64,
    pub last_actor: Option<String>,
    pub last_message: Option<String>,
}

/// One entry of a task's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub at: String,
    pub actor: String,
    /// What happened: `kind` and `data` in JSON, as the `events` table stores them.
    #[serde(flatten)]
    pub event: Event,
    pub note: Option<String>,
    /// Where it came from: `e-mail` for a member's reply; `None` for the command line and the UI.
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Slip {
    pub revision: i64,
    pub from: String,
    pub to: String,
    pub days: Option<i64>,
}

/// `cnrm task show`: the task, its definition details and everything recorded about it.
#[derive(Debug, Clone, Serialize)]
pub struct TaskDetail {
    #[serde(flatten)]
    pub row: TaskRow,
    pub description: Option<String>,
    pub start: Option<String>,
    pub depends_on: Vec<String>,
    pub resources: serde_json::Value,
    pub currency: String,
    pub budget_planned: f64,
    pub budget_secured: f64,
    pub budget_pledged: f64,
    pub budget_needed: f64,
    pub spent: f64,
    pub slips: Vec<Slip>,
    pub history: Vec<HistoryEntry>,
    /// The revision that archived the task (`None` while it is in the plan).
    pub archived_revision: Option<i64>,
    /// Its spending entries, numbered as `task spend --cancel` takes them.
    pub spendings: Vec<SpendingEntry>,
    /// Asked by a recurring task's own id: its occurrences, in deadline order (the detail is
    /// then its next open occurrence's, else its last's). Empty for an occurrence's id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub occurrences: Vec<TaskRow>,
}

/// One spending entry of a task; `entry` counts from 1 in the order they were recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpendingEntry {
    pub entry: i64,
    pub date: String,
    pub amount: f64,
    pub currency: String,
    pub amount_plan: f64,
    pub note: Option<String>,
    pub actor: String,
    pub at: String,
    pub cancelled: bool,
}

/// One recorded value of an indicator; `entry` counts from 1 in the order they were recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorValue {
    pub entry: i64,
    pub date: String,
    pub value: f64,
    pub note: Option<String>,
    pub actor: String,
    pub at: String,
    pub cancelled: bool,
}

/// `cnrm indicator show`: an indicator, its plan and every value recorded for it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDetail {
    pub plan: String,
    pub info: IndicatorInfo,
    pub values: Vec<IndicatorValue>,
}

impl TaskRow {
    /// The deadline as a day (`None` for an ongoing task).
    pub fn deadline_day(&self) -> Option<NaiveDate> {
        self.deadline.as_deref().and_then(parse_day)
    }
}

/// A stored `YYYY-MM-DD` day (`None` for any other text); read for every listed task, so
/// without a format string to interpret.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// One outbox row, as `cnrm outbox --format json` shows it (the contract's keys).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub to: Vec<String>,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
    #[serde(skip)]
    pub plan: String,
    #[serde(skip)]
    pub next_attempt_at: String,
}

/// One task with its money.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskMoney {
    #[serde(flatten)]
    pub row: TaskRow,
    pub planned: f64,
    pub secured: f64,
    pub pledged: f64,
    pub needed: f64,
    pub spent: f64,
    /// (funder or empty for the gap, status, amount in plan currency).
    pub funding: Vec<(String, String, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityInfo {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerInfo {
    pub id: String,
    pub name: String,
    pub short: Option<String>,
    pub emails: Vec<String>,
}

impl OwnerInfo {
    pub fn display(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorInfo {
    pub id: String,
    pub priority: String,
    pub title: String,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub due: Option<String>,
    /// Latest measured value (not cancelled, not dated after today) and its date.
    pub latest: Option<(String, f64)>,
}

/// One history line: a revision or a recorded change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryItem {
    pub at: String,
    pub actor: String,
    pub task: Option<String>,
    /// What happened: `kind` and `data` in JSON, as the `events` table stores them.
    #[serde(flatten)]
    pub event: Event,
    pub note: Option<String>,
    /// Where it came from: `e-mail` for a member's reply; `None` for the command line and the UI.
    pub source: Option<String>,
}

/// Everything the secretariat's screens show, for one plan, at one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub plan_id: String,
    pub plan_title: String,
    pub currency: String,
    pub revision: i64,
    pub today: NaiveDate,
    pub priorities: Vec<PriorityInfo>,
    pub owners: Vec<OwnerInfo>,
    pub tasks: Vec<TaskMoney>,
    pub indicators: Vec<IndicatorInfo>,
    pub outbox: Vec<OutboxRow>,
    pub history: Vec<HistoryItem>,
    /// Changes whenever anything recorded changes (for cheap refreshes).
    pub marker: String,
    /// The plan's period and the tasks' starts, for the chronogramme.
    pub dates: PlanDates,
}

/// What the chronogramme (`crate::chronogram`) needs beyond the task rows: the plan's period and,
/// for the tasks that have them, the start the plan gives and the months between the occurrences
/// of a recurring task.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlanDates {
    /// The plan's `period` (first and last day); `None` when unknown.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Per task id, only for tasks with a start or a repeat.
    pub tasks: BTreeMap<String, TaskDates>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TaskDates {
    pub start: Option<NaiveDate>,
    /// 1, 3 or 12 for an occurrence of a monthly, quarterly or yearly task.
    pub repeat_months: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Money {
    pub planned: f64,
    pub secured: f64,
    pub pledged: f64,
    pub needed: f64,
    pub spent: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub total: usize,
    pub by_status: BTreeMap<String, usize>,
    pub overdue: usize,
    pub due_soon: usize,
    pub done: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct PriorityFigures {
    pub id: String,
    pub title: String,
    /// Mean progress of tasks neither cancelled nor suspended.
    pub progress: f64,
    pub counts: Counts,
    pub money: Money,
}

/// The dashboard: one line per priority, the plan's total, and the next open deadlines.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Dashboard {
    pub priorities: Vec<PriorityFigures>,
    pub total: PriorityFigures,
    pub next_deadlines: Vec<usize>,
}

/// The dashboard, read by SQL aggregates before the whole plan: its figures and a snapshot that
/// holds only the next deadlines' tasks (no indicators, outbox or history). The terminal UI
/// draws it at once with 100,000 tasks, then the whole snapshot replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub snapshot: Snapshot,
    pub dashboard: Dashboard,
}

/// What the store knows for the report beyond the snapshot: per task, deadline slips (count,
/// days) and the latest note.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub slips: HashMap<String, (usize, i64)>,
    pub notes: HashMap<String, String>,
}

/// An open task as a reminder scan sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemindTask {
    pub id: String,
    pub title: String,
    pub priority: String,
    pub deadline: NaiveDate,
    pub deadline_label: String,
    pub start: Option<NaiveDate>,
    pub status: Status,
    pub owners: Vec<String>,
    pub partners: Vec<String>,
    /// `None` when the task's reminders are `off`.
    pub policy: Option<EffectivePolicy>,
    /// The latest note, shown for blocked tasks.
    pub note: Option<String>,
}

/// An owner as a reminder scan needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub id: String,
    pub name: String,
    pub emails: Vec<String>,
    pub language: Lang,
    pub parent: Option<String>,
}

/// A message as stored in the outbox, ready to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub ics: String,
    pub message_id: String,
    /// For an answer to a member: the member's Message-ID (threading).
    pub in_reply_to: Option<String>,
}

/// The policy and calendar as stored with a plan (JSON), so scans need not re-read the file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredPolicy {
    pub schedule: String,
    pub before: Vec<u32>,
    pub on_deadline: bool,
    pub overdue_every: u32,
    pub escalate_after: u32,
    pub digest: Option<String>,
    pub on_start: bool,
}

impl StoredPolicy {
    pub fn from_policy(p: &ReminderPolicy) -> StoredPolicy {
        StoredPolicy {
            schedule: p.schedule.text.clone(),
            before: p.before.clone(),
            on_deadline: p.on_deadline,
            overdue_every: p.overdue_every,
            escalate_after: p.escalate_after,
            digest: p.digest.as_ref().map(|c| c.text.clone()),
            on_start: p.on_start,
        }
    }

    /// The policy of one task, given its stored override (`"off"` or an object, or none).
    pub fn effective(&self, override_json: Option<&str>) -> Option<EffectivePolicy> {
        let o: ReminderOverride = match override_json {
            None | Some("") => ReminderOverride::default(),
            Some("\"off\"") => return None,
            Some(json) => {
                let v: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
                let days = |k: &str| {
                    v.get(k)
                        .and_then(serde_json::Value::as_u64)
                        .map(|d| d as u32)
                };
                ReminderOverride {
                    off: false,
                    before: v.get("before").and_then(|b| b.as_array()).map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_u64().map(|d| d as u32))
                            .collect()
                    }),
                    on_deadline: v.get("on_deadline").and_then(serde_json::Value::as_bool),
                    on_start: v.get("on_start").and_then(serde_json::Value::as_bool),
                    overdue_every: days("overdue_every"),
                    escalate_after: days("escalate_after"),
                }
            }
        };
        Some(EffectivePolicy {
            before: o.before.unwrap_or_else(|| self.before.clone()),
            on_deadline: o.on_deadline.unwrap_or(self.on_deadline),
            on_start: o.on_start.unwrap_or(self.on_start),
            overdue_every: o.overdue_every.unwrap_or(self.overdue_every),
            escalate_after: o.escalate_after.unwrap_or(self.escalate_after),
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct StoredCalendar {
    /// Weekdays off, numbered from Monday = 0.
    pub weekend: Vec<u32>,
    /// (first day, last day) of each holiday, `YYYY-MM-DD`.
    pub holidays: Vec<(String, String)>,
}

impl StoredCalendar {
    pub fn from_calendar(c: &Calendar) -> StoredCalendar {
        StoredCalendar {
            weekend: c.weekend.iter().map(|d| d.num_days_from_monday()).collect(),
            holidays: c
                .holidays
                .iter()
                .map(|h| (h.from.to_string(), h.to.to_string()))
                .collect(),
        }
    }

    /// False on a weekend day or a holiday.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        let d = day.to_string();
        !self.weekend.contains(&day.weekday().num_days_from_monday())
            && !self
                .holidays
                .iter()
                .any(|(from, to)| from.as_str() <= d.as_str() && d.as_str() <= to.as_str())
    }
}

/// One thing recorded in a history: the `events` table's `kind` column and `data` JSON, typed.
///
/// Serialised as `{"kind": …, "data": {…}}` (adjacently tagged), which is both the JSON of
/// `task show --format json` and, split in two, what the store writes: the `kind` values and
/// field names are the ones databases already hold, so an older database reads as it is. A kind
/// this version does not know (written by a newer one), or data it cannot read, is `Unknown` and
/// kept as stored. Adding a kind is adding a variant: the compiler then points at the one place
/// per language that tells events in words (`tui/src/history.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Event {
    /// A status and/or progress change (`task set`, the UI's forms, a member's reply); the
    /// event's note, if any, is the note written with it.
    Update {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<FromTo<Status>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        progress: Option<FromTo<i64>>,
        /// The day the change happened when it is not the day it was recorded (`task set
        /// --date`, the UI's status form, `fait le 12/10` by e-mail).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        effective_date: Option<chrono::NaiveDate>,
    },
    /// A note alone (in the event's note); `postpone_request` when a member asked, by e-mail,
    /// to move the deadline (as they wrote it: `T1 2026`).
    Note {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        postpone_request: Option<String>,
    },
    /// Money spent; the event's note is the spending's note.
    Spending(SpendingEvent),
    /// A spending entry cancelled by `task spend --cancel`; the event's note is the reason given.
    SpendingCancelled(SpendingEvent),
    /// A measured indicator value; the event's note is the value's note.
    Indicator(IndicatorEvent),
    /// A recorded indicator value cancelled; the event's note is the reason given.
    IndicatorCancelled(IndicatorEvent),
    /// A plan revision (`plan apply`); the event's note is its `--message`.
    Revision(RevisionEvent),
    /// A task or indicator removed from the plan by a revision (an indicator names itself).
    Archived(ItemEvent),
    /// A task or indicator back in the plan.
    Restored(ItemEvent),
    /// A task or indicator whose id a revision changed (`renamed_from`).
    Renamed {
        from: String,
        to: String,
        #[serde(default)]
        revision: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        indicator: Option<String>,
    },
    /// A task's deadline moved by a revision: the deadlines as the file wrote them, the slip in
    /// days when both are dates, and the revision's message.
    DeadlineMoved(ChangeByRevision),
    /// A task's title changed by a revision.
    Retitled(ChangeByRevision),
    /// A kind this version does not know, or data it cannot read: kept as stored.
    #[serde(untagged)]
    Unknown {
        kind: String,
        data: serde_json::Value,
    },
}

/// A value before and after a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FromTo<T> {
    pub from: T,
    pub to: T,
}

/// A spending entry, recorded or cancelled. `entry` is its number among the task's entries
/// (events recorded before entries were numbered have none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendingEvent {
    pub amount: f64,
    pub currency: String,
    #[serde(default)]
    pub amount_plan: f64,
    #[serde(default)]
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<i64>,
}

/// An indicator value, recorded or cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorEvent {
    pub indicator: String,
    pub value: f64,
    #[serde(default)]
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<i64>,
}

/// A plan revision: its number, the file's SHA-256 and name, and how many items it changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RevisionEvent {
    pub revision: i64,
    pub sha256: String,
    pub source: String,
    pub added: usize,
    pub changed: usize,
    pub archived: usize,
    pub restored: usize,
    pub renamed: usize,
}

/// A task or indicator archived or restored by a revision (`indicator`: its id, for an
/// indicator; a task's events are under its id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemEvent {
    #[serde(default)]
    pub revision: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
}

/// A field of a task changed by a revision: the values as the file wrote them, the slip in
/// days for a deadline whose both ends are dates, and the revision's `--message`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeByRevision {
    pub revision: i64,
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Event {
    /// The event as the `events` table holds it: (kind, data as JSON text).
    pub fn to_stored(&self) -> (String, String) {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        let kind = match v.get_mut("kind").map(serde_json::Value::take) {
            Some(serde_json::Value::String(k)) => k,
            _ => String::new(),
        };
        let data = match v.get_mut("data").map(serde_json::Value::take) {
            Some(d) if !d.is_null() => d,
            _ => serde_json::json!({}),
        };
        (kind, data.to_string())
    }

    /// The event of a stored `kind` and `data`; `Unknown` for what this version cannot read.
    pub fn from_stored(kind: &str, data: &str) -> Event {
        let data: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
        let whole = serde_json::json!({ "kind": kind, "data": data });
        match serde_json::from_value(whole) {
            Ok(Event::Unknown { .. }) | Err(_) => Event::Unknown {
                kind: kind.to_string(),
                data,
            },
            Ok(e) => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What databases already hold reads as typed events and is written back the same.
    #[test]
    fn stored_events_read_typed_and_write_back_unchanged() {
        let stored = [
            (
                "update",
                r#"{"status":{"from":"todo","to":"in_progress"},"progress":{"from":0,"to":40}}"#,
            ),
            ("note", r#"{}"#),
            ("note", r#"{"postpone_request":"T1 2026"}"#),
            (
                "spending",
                r#"{"amount":450000.0,"amount_plan":450000.0,"currency":"XOF","date":"2025-10-01","entry":1}"#,
            ),
            (
                "spending_cancelled",
                r#"{"amount":450000.0,"amount_plan":450000.0,"currency":"XOF","date":"2025-10-01","entry":1}"#,
            ),
            (
                "indicator",
                r#"{"date":"2025-10-01","entry":2,"indicator":"axe-1.i1","value":12.5}"#,
            ),
            (
                "revision",
                r#"{"added":1,"archived":0,"changed":2,"renamed":0,"restored":0,"revision":2,"sha256":"ab","source":"pao.yaml"}"#,
            ),
            ("archived", r#"{"revision":4}"#),
            ("restored", r#"{"indicator":"axe-1.i1","revision":5}"#),
            ("renamed", r#"{"from":"a1","revision":3,"to":"a2"}"#),
            (
                "deadline_moved",
                r#"{"days":91,"from":"T1 2026","message":"m","revision":2,"to":"T2 2026"}"#,
            ),
        ];
        for (kind, data) in stored {
            let event = Event::from_stored(kind, data);
            assert!(!matches!(event, Event::Unknown { .. }), "{kind}: {data}");
            let (k, d) = event.to_stored();
            let (d, data): (serde_json::Value, serde_json::Value) = (
                serde_json::from_str(&d).expect("JSON"),
                serde_json::from_str(data).expect("JSON"),
            );
            assert_eq!((k.as_str(), d), (kind, data));
        }
        // Before entries were numbered, a spending had no `entry`.
        let old = Event::from_stored("spending", r#"{"amount":5,"currency":"XOF"}"#);
        assert!(matches!(
            old,
            Event::Spending(SpendingEvent { entry: None, .. })
        ));
    }

    /// A kind from a newer version, or data this one cannot read, is kept as stored.
    #[test]
    fn unknown_events_are_kept_as_they_are() {
        for (kind, data) in [
            ("round_closed", r#"{"round":3}"#),
            ("update", r#"{"status":{"from":"todo","to":"someday"}}"#),
        ] {
            let event = Event::from_stored(kind, data);
            assert!(matches!(&event, Event::Unknown { kind: k, .. } if k == kind));
            let json = serde_json::to_value(&event).expect("JSON");
            assert_eq!(json["kind"], kind);
            assert_eq!(
                json["data"],
                serde_json::from_str::<serde_json::Value>(data).expect("JSON")
            );
        }
    }
}
