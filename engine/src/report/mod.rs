//! The steering-committee report and the calendar export.
//!
//! Figures come from `figures` (the same code as the terminal UI's dashboard and money screens,
//! so the two never disagree); this module adds the period, the late tasks with their slips and
//! notes. Pure: the store hands in a `Snapshot` and the extras. The formats each have their
//! module (JSON is the `Report` serialized); Markdown, HTML and CSV write the tables of `table`.

mod csv;
mod html;
mod ics;
mod markdown;
mod table;

pub use csv::csv;
pub use html::html;
pub use ics::ics;
pub use markdown::markdown;

use crate::chronogram::Chronogram;
use crate::figures;
use crate::lang::Lang;
use crate::records::{Extras, IndicatorInfo, Money, Snapshot, TaskMoney};
use crate::text::french_date;
use crate::tr;
use crate::workflow::Status;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub label: String,
}

impl Period {
    /// The quarter containing `day` (`T4 2025` / `Q4 2025`).
    pub fn quarter_of(day: NaiveDate, lang: Lang) -> Period {
        let q = day.month0() / 3;
        let from = NaiveDate::from_ymd_opt(day.year(), q * 3 + 1, 1).unwrap_or(day);
        let to = crate::plan::values::add_months(from, 3, false)
            .and_then(|d| d.pred_opt())
            .unwrap_or(day);
        let letter = if lang == Lang::Fr { 'T' } else { 'Q' };
        Period {
            from,
            to,
            label: format!("{letter}{} {}", q + 1, day.year()),
        }
    }

    /// `T3 2025`, `S1 2025`, `2025-09`, `2025-09-30` or a year `2025`.
    pub fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            let y: i32 = t.parse().ok()?;
            return Some(Period {
                from: NaiveDate::from_ymd_opt(y, 1, 1)?,
                to: NaiveDate::from_ymd_opt(y, 12, 31)?,
                label: t.to_string(),
            });
        }
        let (end, form) = crate::plan::values::parse_date(t).ok()?;
        let months_back = match form {
            crate::plan::values::DateForm::Day => 0,
            crate::plan::values::DateForm::Month => 0,
            crate::plan::values::DateForm::Quarter => 2,
            crate::plan::values::DateForm::Semester => 5,
        };
        let from = if form == crate::plan::values::DateForm::Day {
            end
        } else {
            NaiveDate::from_ymd_opt(end.year(), end.month() - months_back, 1)?
        };
        Some(Period {
            from,
            to: end,
            label: t.to_string(),
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    /// Tasks due in the period that are done / tasks due in the period, in percent.
    pub physical_period: Option<f64>,
    /// Done / all tasks not cancelled, in percent.
    pub physical_overall: f64,
    /// Spent / planned budget, in percent.
    pub financial: f64,
    pub due_in_period: usize,
    pub done_in_period: usize,
    pub by_status: BTreeMap<String, usize>,
    pub overdue: usize,
    pub tasks: usize,
    pub money: Money,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PriorityLine {
    pub id: String,
    pub title: String,
    pub progress: f64,
    pub done: usize,
    pub late: usize,
    pub upcoming: usize,
    pub money: Money,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FunderLine {
    pub funder: String,
    pub name: String,
    pub planned: f64,
    pub secured: f64,
    pub pledged: f64,
    /// Spending of each task shared among its funders in proportion to their amounts.
    pub spent: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LateLine {
    pub id: String,
    pub title: String,
    pub owners: Vec<String>,
    pub deadline: String,
    pub deadline_label: String,
    pub days_late: i64,
    pub status: Status,
    pub last_note: Option<String>,
    pub slips: usize,
    pub slipped_days: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicatorLine {
    #[serde(flatten)]
    pub indicator: IndicatorInfo,
    pub achievement: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Milestone {
    pub id: String,
    pub title: String,
    pub deadline: String,
    pub status: Status,
}

/// Every figure of the report; the other formats show a subset of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub plan: String,
    pub title: String,
    pub language: Lang,
    pub currency: String,
    pub revision: i64,
    pub today: NaiveDate,
    pub period: Period,
    pub summary: Summary,
    pub priorities: Vec<PriorityLine>,
    pub funders: Vec<FunderLine>,
    /// The total financing gap (*à rechercher*).
    pub gap: f64,
    pub late: Vec<LateLine>,
    pub indicators: Vec<IndicatorLine>,
    pub milestones_reached: Vec<Milestone>,
    pub milestones_upcoming: Vec<Milestone>,
    /// The chronogramme (drawn by the HTML report and the workbook; not part of the JSON).
    #[serde(skip)]
    pub chronogram: Chronogram,
}

fn pct(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole * 100.0
    } else {
        0.0
    }
}

/// Computes the report for `period` from a snapshot.
pub fn build(s: &Snapshot, extras: &Extras, period: Period, lang: Lang) -> Report {
    let dash = figures::dashboard(s);
    let in_period = |d: &Option<String>| {
        d.as_deref().is_some_and(|d| {
            d >= period.from.to_string().as_str() && d <= period.to.to_string().as_str()
        })
    };
    let due: Vec<&TaskMoney> = s
        .tasks
        .iter()
        .filter(|t| in_period(&t.row.deadline) && t.row.status != Status::Cancelled)
        .collect();
    let done_in_period = due.iter().filter(|t| t.row.status == Status::Done).count();
    let counted = s
        .tasks
        .iter()
        .filter(|t| t.row.status != Status::Cancelled)
        .count();
    let done_all = s
        .tasks
        .iter()
        .filter(|t| t.row.status == Status::Done)
        .count();
    let total = &dash.total;
    let summary = Summary {
        physical_period: (!due.is_empty()).then(|| pct(done_in_period as f64, due.len() as f64)),
        physical_overall: pct(done_all as f64, counted as f64),
        financial: total.money.execution(),
        due_in_period: due.len(),
        done_in_period,
        by_status: total.counts.by_status.clone(),
        overdue: total.counts.overdue,
        tasks: total.counts.total,
        money: total.money.clone(),
    };
    let today = s.today.to_string();
    let priorities = dash
        .priorities
        .iter()
        .map(|p| {
            let tasks = s.tasks.iter().filter(|t| t.row.priority == p.id);
            let upcoming = tasks
                .filter(|t| {
                    t.row.status.is_active()
                        && t.row
                            .deadline
                            .as_deref()
                            .is_some_and(|d| d >= today.as_str())
                })
                .count();
            PriorityLine {
                id: p.id.clone(),
                title: p.title.clone(),
                progress: p.progress,
                done: p.counts.done,
                late: p.counts.overdue,
                upcoming,
                money: p.money.clone(),
            }
        })
        .collect();
    // Funders, with spending shared in proportion to each funder's part of the task's money.
    let mut funders: BTreeMap<String, FunderLine> = BTreeMap::new();
    let mut gap = 0.0;
    for t in &s.tasks {
        let funded: f64 = t.funding.iter().map(|(_, _, a)| a).sum();
        for (funder, status, amount) in &t.funding {
            if status == "needed" {
                gap += amount;
                continue;
            }
            let name = s
                .owners
                .iter()
                .find(|o| &o.id == funder)
                .map(|o| o.display().to_string())
                .unwrap_or_else(|| funder.clone());
            let f = funders.entry(funder.clone()).or_insert_with(|| FunderLine {
                funder: funder.clone(),
                name,
                planned: 0.0,
                secured: 0.0,
                pledged: 0.0,
                spent: 0.0,
            });
            f.planned += amount;
            if status == "secured" {
                f.secured += amount;
            } else {
                f.pledged += amount;
            }
            if funded > 0.0 {
                f.spent += t.spent * amount / funded;
            }
        }
    }
    let mut late: Vec<LateLine> = s
        .tasks
        .iter()
        .filter(|t| t.row.overdue)
        .map(|t| {
            let (slips, slipped_days) = extras.slips.get(&t.row.id).copied().unwrap_or((0, 0));
            LateLine {
                id: t.row.id.clone(),
                title: t.row.title.clone(),
                owners: t.row.owners.clone(),
                deadline: t.row.deadline.clone().unwrap_or_default(),
                deadline_label: t.row.deadline_label.clone(),
                days_late: t.row.days_late,
                status: t.row.status,
                last_note: extras.notes.get(&t.row.id).cloned(),
                slips,
                slipped_days,
            }
        })
        .collect();
    late.sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.id.cmp(&b.id)));
    let next_quarter_end = crate::plan::values::add_months(s.today, 3, false)
        .unwrap_or(s.today)
        .to_string();
    let milestone = |t: &TaskMoney| Milestone {
        id: t.row.id.clone(),
        title: t.row.title.clone(),
        deadline: t.row.deadline.clone().unwrap_or_default(),
        status: t.row.status,
    };
    let milestones_reached = s
        .tasks
        .iter()
        .filter(|t| t.row.milestone && t.row.status == Status::Done)
        .map(milestone)
        .collect();
    let milestones_upcoming = s
        .tasks
        .iter()
        .filter(|t| {
            t.row.milestone
                && !t.row.status.is_closed()
                && t.row
                    .deadline
                    .as_deref()
                    .is_some_and(|d| d >= today.as_str() && d <= next_quarter_end.as_str())
        })
        .map(milestone)
        .collect();
    Report {
        plan: s.plan_id.clone(),
        title: s.plan_title.clone(),
        language: lang,
        currency: s.currency.clone(),
        revision: s.revision,
        today: s.today,
        period,
        summary,
        priorities,
        funders: funders.into_values().collect(),
        gap,
        late,
        indicators: s
            .indicators
            .iter()
            .map(|i| IndicatorLine {
                achievement: i.achievement(),
                indicator: i.clone(),
            })
            .collect(),
        milestones_reached,
        milestones_upcoming,
        chronogram: crate::chronogram::build(s),
    }
}

/// `12,3 %` (a non-breaking space before `%`) or `12.3%`.
fn percent(p: f64, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("{}\u{a0}%", format!("{p:.1}").replace('.', ",")),
        Lang::En => format!("{p:.1}%"),
    }
}

/// A label's colon: ` :` with a non-breaking space in French, `:` in English, then a space.
fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "\u{a0}: ",
        Lang::En => ": ",
    }
}

/// A stored day (`2025-09-30`) as a reader writes it: `30/09/2025` in French, ISO in English.
fn day(lang: Lang, iso: &str) -> String {
    match lang {
        Lang::Fr => french_date(iso),
        Lang::En => iso.to_string(),
    }
}

/// `16 j` / `16 d`, with a non-breaking space.
fn days(lang: Lang, n: impl std::fmt::Display) -> String {
    tr!(lang, "{n}\u{a0}j", "{n}\u{a0}d")
}

/// `2 bloquées`, `1 terminée`, `0 suspendue`: a count of tasks with a status, agreed in number
/// (French: plural from 2).
fn status_count(status: Status, n: usize, lang: Lang) -> String {
    let label = status.label(lang);
    // `à faire` and `en cours` do not change; the participles agree.
    let plural = lang == Lang::Fr
        && n > 1
        && matches!(
            status,
            Status::Blocked | Status::Suspended | Status::Done | Status::Cancelled
        );
    format!("{n} {label}{}", if plural { "s" } else { "" })
}

/// The report's title line, before any markup.
fn heading(r: &Report) -> String {
    tr!(
        r.language,
        "Rapport au comité de pilotage — {}",
        "Steering committee report — {}",
        r.title
    )
}

/// The line under the title: period, date of the figures, plan revision.
fn period_line(r: &Report) -> String {
    let l = r.language;
    tr!(
        l,
        "Période{}{} (du {} au {}) · situation au {} · révision {} du plan",
        "Period{}{} ({} to {}) · as of {} · plan revision {}",
        colon(l),
        r.period.label,
        day(l, &r.period.from.to_string()),
        day(l, &r.period.to.to_string()),
        day(l, &r.today.to_string()),
        r.revision
    )
}

/// The physical execution of the period, or a dash when nothing was due in it.
fn period_rate(r: &Report) -> String {
    r.summary
        .physical_period
        .map(|p| percent(p, r.language))
        .unwrap_or_else(|| "—".into())
}

/// The milestones reached and those due next quarter: a title and `id — title (date)` items.
fn milestones(r: &Report) -> [(String, Vec<String>); 2] {
    let l = r.language;
    let items = |list: &[Milestone]| {
        list.iter()
            .map(|m| format!("{} — {} ({})", m.id, m.title, day(l, &m.deadline)))
            .collect()
    };
    [
        (tr!(l, "Atteints", "Reached"), items(&r.milestones_reached)),
        (
            tr!(l, "Prévus au prochain trimestre", "Due next quarter"),
            items(&r.milestones_upcoming),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let p = Period::parse("T3 2025").expect("quarter");
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2025-07-01".into(), "2025-09-30".into())
        );
        let s = Period::parse("S1 2026").expect("semester");
        assert_eq!(
            (s.from.to_string(), s.to.to_string()),
            ("2026-01-01".into(), "2026-06-30".into())
        );
        let y = Period::parse("2025").expect("year");
        assert_eq!(y.to.to_string(), "2025-12-31");
        let q = Period::quarter_of(NaiveDate::from_ymd_opt(2025, 11, 5).expect("d"), Lang::Fr);
        assert_eq!(
            (q.label.as_str(), q.from.to_string(), q.to.to_string()),
            ("T4 2025", "2025-10-01".into(), "2025-12-31".into())
        );
        assert!(Period::parse("bientôt").is_none());
    }

    #[test]
    fn french_percent_and_money() {
        assert_eq!(percent(12.345, Lang::Fr), "12,3\u{a0}%");
        assert_eq!(status_count(Status::Blocked, 2, Lang::Fr), "2 bloquées");
        assert_eq!(status_count(Status::Done, 1, Lang::Fr), "1 terminée");
        assert_eq!(status_count(Status::Todo, 3, Lang::Fr), "3 à faire");
        assert_eq!(status_count(Status::InProgress, 3, Lang::Fr), "3 en cours");
        assert_eq!(status_count(Status::Cancelled, 0, Lang::Fr), "0 annulée");
        assert_eq!(status_count(Status::Done, 2, Lang::En), "2 done");
        assert_eq!(crate::text::money(12_500_000.0, "XOF"), "12 500 000 FCFA");
    }
}
