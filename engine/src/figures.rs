//! The figures the secretariat follows and the steering-committee report shows: physical and
//! financial execution per priority, workload per owner, money per funder, the timeline.
//!
//! Pure: computed from a `Snapshot` the store reads, so the terminal UI and the report can never
//! disagree. Progress of a priority is the mean progress of its tasks that are neither cancelled
//! nor suspended (the spec's rule); money is in the plan currency.

use crate::records::{Counts, IndicatorInfo, PriorityFigures, Snapshot, TaskRow};
use crate::workflow::Status;

// The records the figures are made of, also under the names the terminal UI uses.
pub use crate::records::{Dashboard, Money, Overview, TaskMoney};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

impl IndicatorInfo {
    /// Achievement from baseline to target, 0-100 (can exceed 100), when measurable.
    pub fn achievement(&self) -> Option<f64> {
        let (base, target, (_, value)) = (
            self.baseline.unwrap_or(0.0),
            self.target?,
            self.latest.as_ref()?,
        );
        if (target - base).abs() < f64::EPSILON {
            return Some(if *value >= target { 100.0 } else { 0.0 });
        }
        Some(((value - base) / (target - base) * 100.0).max(0.0))
    }
}

impl Money {
    /// Financial execution: spent / planned, in percent.
    pub fn execution(&self) -> f64 {
        if self.planned > 0.0 {
            self.spent / self.planned * 100.0
        } else {
            0.0
        }
    }
}

fn add_money(m: &mut Money, t: &TaskMoney) {
    m.planned += t.planned;
    m.secured += t.secured;
    m.pledged += t.pledged;
    m.needed += t.needed;
    m.spent += t.spent;
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerFigures {
    pub id: String,
    pub name: String,
    pub open: usize,
    pub overdue: usize,
    pub done: usize,
    pub money: Money,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FunderFigures {
    pub funder: String,
    pub planned: f64,
    pub secured: f64,
    pub pledged: f64,
}

fn counts_add(c: &mut Counts, t: &TaskRow, today: NaiveDate) {
    c.total += 1;
    *c.by_status
        .entry(t.status.as_str().to_string())
        .or_default() += 1;
    if t.overdue {
        c.overdue += 1;
    }
    if t.status == Status::Done {
        c.done += 1;
    }
    let soon = t
        .deadline_day()
        .is_some_and(|d| d >= today && (d - today).num_days() <= 14);
    if soon && t.status.is_active() {
        c.due_soon += 1;
    }
}

fn figures_of<'a>(
    id: &str,
    title: &str,
    tasks: impl Iterator<Item = &'a TaskMoney>,
    today: NaiveDate,
) -> PriorityFigures {
    let (mut sum, mut n) = (0.0, 0usize);
    let mut counts = Counts::default();
    let mut money = Money::default();
    for t in tasks {
        counts_add(&mut counts, &t.row, today);
        add_money(&mut money, t);
        if !matches!(t.row.status, Status::Cancelled | Status::Suspended) {
            sum += t.row.progress as f64;
            n += 1;
        }
    }
    PriorityFigures {
        id: id.to_string(),
        title: title.to_string(),
        progress: if n > 0 { sum / n as f64 } else { 0.0 },
        counts,
        money,
    }
}

/// The dashboard: one line per priority, the plan's total, and the next open deadlines.
pub fn dashboard(s: &Snapshot) -> Dashboard {
    let priorities = s
        .priorities
        .iter()
        .map(|p| {
            figures_of(
                &p.id,
                &p.title,
                s.tasks.iter().filter(|t| t.row.priority == p.id),
                s.today,
            )
        })
        .collect();
    let total = figures_of(&s.plan_id, &s.plan_title, s.tasks.iter(), s.today);
    let today = s.today.to_string();
    let mut next: Vec<usize> = (0..s.tasks.len())
        .filter(|i| {
            let t = &s.tasks[*i].row;
            t.status.is_active() && t.deadline.as_deref().is_some_and(|d| d >= today.as_str())
        })
        .collect();
    next.sort_by(|a, b| s.tasks[*a].row.deadline.cmp(&s.tasks[*b].row.deadline));
    next.truncate(8);
    Dashboard {
        priorities,
        total,
        next_deadlines: next,
    }
}

/// Workload per owner (tasks they lead; a co-led task counts for each).
pub fn owners(s: &Snapshot) -> Vec<OwnerFigures> {
    s.owners
        .iter()
        .map(|o| {
            let mut f = OwnerFigures {
                id: o.id.clone(),
                name: o.display().to_string(),
                open: 0,
                overdue: 0,
                done: 0,
                money: Money::default(),
            };
            for t in s.tasks.iter().filter(|t| t.row.owners.contains(&o.id)) {
                if t.row.status.is_closed() {
                    f.done += usize::from(t.row.status == Status::Done);
                } else {
                    f.open += 1;
                }
                f.overdue += usize::from(t.row.overdue);
                add_money(&mut f.money, t);
            }
            f
        })
        .filter(|f| f.open + f.done > 0 || f.money.planned > 0.0)
        .collect()
}

/// Money per funder; the financing gap (`needed`) is the funder "".
pub fn funders(s: &Snapshot) -> Vec<FunderFigures> {
    let mut by: BTreeMap<String, FunderFigures> = BTreeMap::new();
    for t in &s.tasks {
        for (funder, status, amount) in &t.funding {
            let key = if status == "needed" {
                String::new()
            } else {
                funder.clone()
            };
            let f = by.entry(key.clone()).or_insert_with(|| FunderFigures {
                funder: key,
                ..Default::default()
            });
            f.planned += amount;
            match status.as_str() {
                "secured" => f.secured += amount,
                "pledged" => f.pledged += amount,
                _ => {}
            }
        }
    }
    by.into_values().collect()
}

/// Open dated tasks per month of deadline, `YYYY-MM` (overdue ones in their own month).
pub fn timeline(s: &Snapshot) -> BTreeMap<String, Vec<usize>> {
    let mut by: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in s.tasks.iter().enumerate() {
        let Some(d) = t.row.deadline_day() else {
            continue;
        };
        if t.row.status.is_active() || t.row.milestone {
            by.entry(format!("{}-{:02}", d.year(), d.month()))
                .or_default()
                .push(i);
        }
    }
    by
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{OwnerInfo, PriorityInfo};

    fn task(
        id: &str,
        prio: &str,
        status: Status,
        progress: i64,
        planned: f64,
        spent: f64,
    ) -> TaskMoney {
        TaskMoney {
            row: TaskRow {
                id: id.into(),
                plan: "p".into(),
                priority: prio.into(),
                title: id.into(),
                owners: vec!["dgme".into()],
                partners: vec![],
                deadline: Some("2025-10-10".into()),
                deadline_label: "2025-10-10".into(),
                status,
                progress,
                overdue: false,
                days_late: 0,
                milestone: false,
                archived: false,
            },
            planned,
            secured: planned / 2.0,
            pledged: 0.0,
            needed: planned / 2.0,
            spent,
            funding: vec![
                ("ue".into(), "secured".into(), planned / 2.0),
                ("".into(), "needed".into(), planned / 2.0),
            ],
        }
    }

    #[test]
    fn progress_ignores_cancelled_and_suspended() {
        let s = Snapshot {
            plan_id: "p".into(),
            plan_title: "Plan".into(),
            currency: "XOF".into(),
            revision: 1,
            today: NaiveDate::from_ymd_opt(2025, 10, 1).expect("date"),
            priorities: vec![PriorityInfo {
                id: "a".into(),
                title: "A".into(),
            }],
            owners: vec![OwnerInfo {
                id: "dgme".into(),
                name: "DGME".into(),
                short: None,
                emails: vec![],
            }],
            tasks: vec![
                task("t1", "a", Status::Done, 100, 1000.0, 800.0),
                task("t2", "a", Status::InProgress, 50, 1000.0, 0.0),
                task("t3", "a", Status::Cancelled, 0, 500.0, 0.0),
                task("t4", "a", Status::Suspended, 10, 0.0, 0.0),
            ],
            indicators: vec![],
            outbox: vec![],
            history: vec![],
            marker: String::new(),
            dates: Default::default(),
        };
        let d = dashboard(&s);
        assert_eq!(d.priorities[0].progress, 75.0);
        assert_eq!(d.total.money.planned, 2500.0);
        assert_eq!(d.total.money.execution(), 800.0 / 2500.0 * 100.0);
        assert_eq!(
            d.priorities[0].counts.due_soon, 1,
            "only the active task due within 14 days"
        );
        let f = funders(&s);
        assert_eq!(
            f.iter()
                .map(|x| (x.funder.as_str(), x.planned))
                .collect::<Vec<_>>(),
            [("", 1250.0), ("ue", 1250.0)]
        );
        let o = owners(&s);
        assert_eq!((o[0].open, o[0].done), (2, 1));
    }

    #[test]
    fn indicator_achievement() {
        let i = IndicatorInfo {
            id: "i".into(),
            priority: "a".into(),
            title: "I".into(),
            unit: None,
            baseline: Some(10.0),
            target: Some(110.0),
            due: None,
            latest: Some(("2025-09-01".into(), 60.0)),
        };
        assert_eq!(i.achievement(), Some(50.0));
    }
}
