//! The records the store reads and the figures, reports and reminders compute from: beneath
//! both, so that neither reaches into the other.

use crate::workflow::Status;
use chrono::NaiveDate;
use serde::Serialize;

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
    pub kind: String,
    pub data: serde_json::Value,
    pub note: Option<String>,
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
}

impl TaskRow {
    /// The deadline as a day (`None` for an ongoing task).
    pub fn deadline_day(&self) -> Option<NaiveDate> {
        self.deadline.as_deref().and_then(parse_day)
    }
}

/// A stored `YYYY-MM-DD` day (`None` for any other text).
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
}
