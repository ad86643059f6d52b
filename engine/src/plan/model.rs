//! The validated plan: every value parsed, every reference checked, ready to be applied.
//!
//! Nothing here can be wrong any more: the validator built it only after checking the file, so
//! store, scheduling and reports use these types without re-checking. Dates keep the form the
//! author wrote (`label`) beside the day it means.

use crate::lang::Lang;
use crate::plan::values::{add_months, is_month_end};
use crate::schedule::CronSpec;
use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// The EUR to XOF (franc CFA) peg, fixed by treaty.
pub const EUR_XOF: f64 = 655.957;

#[derive(Debug, Clone, PartialEq)]
pub struct DateSpec {
    pub date: NaiveDate,
    /// As written: `T3 2025`, `2025-09`, `2025-09-30`.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Deadline {
    Date(DateSpec),
    /// `continu`: an ongoing activity, never overdue, never reminded.
    Continuous,
}

impl Deadline {
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Deadline::Date(d) => Some(d.date),
            Deadline::Continuous => None,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Deadline::Date(d) => &d.label,
            Deadline::Continuous => "continu",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    Monthly,
    Quarterly,
    /// Every six months (*semestrielle*).
    Semiannual,
    Yearly,
}

impl Repeat {
    pub fn months(self) -> u32 {
        match self {
            Repeat::Monthly => 1,
            Repeat::Quarterly => 3,
            Repeat::Semiannual => 6,
            Repeat::Yearly => 12,
        }
    }

    /// Every repetition, in order of length.
    pub const ALL: [Repeat; 4] = [
        Repeat::Monthly,
        Repeat::Quarterly,
        Repeat::Semiannual,
        Repeat::Yearly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Repeat::Monthly => "monthly",
            Repeat::Quarterly => "quarterly",
            Repeat::Semiannual => "semiannual",
            Repeat::Yearly => "yearly",
        }
    }
}

/// The plan-wide reminder policy (every duration in days).
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderPolicy {
    pub schedule: CronSpec,
    pub before: Vec<u32>,
    pub on_deadline: bool,
    pub overdue_every: u32,
    pub escalate_after: u32,
    /// `None` when the digest is `off`.
    pub digest: Option<CronSpec>,
    pub on_start: bool,
}

/// A task's override of the plan policy; `None` fields inherit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReminderOverride {
    pub off: bool,
    pub before: Option<Vec<u32>>,
    pub on_deadline: Option<bool>,
    pub on_start: Option<bool>,
    pub overdue_every: Option<u32>,
    pub escalate_after: Option<u32>,
}

/// The policy that applies to one task: the plan's, with the task's override on top.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectivePolicy {
    pub before: Vec<u32>,
    pub on_deadline: bool,
    pub on_start: bool,
    pub overdue_every: u32,
    pub escalate_after: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Holiday {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub weekend: Vec<Weekday>,
    pub holidays: Vec<Holiday>,
}

impl Calendar {
    /// False on a weekend day or a listed holiday.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        use chrono::Datelike;
        !self.weekend.contains(&day.weekday())
            && !self.holidays.iter().any(|h| h.from <= day && day <= h.to)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Owner {
    pub id: String,
    pub name: String,
    pub short: Option<String>,
    pub emails: Vec<String>,
    pub language: Option<Lang>,
    pub parent: Option<String>,
    pub renamed_from: Option<String>,
}

impl Owner {
    /// `short` when given, else the full name.
    pub fn display(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}

/// A funder that is not an owner (`funders:`): it funds tasks but owns none, gets no reminder
/// and is not among the responsables.
#[derive(Debug, Clone, PartialEq)]
pub struct Funder {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    Budget,
    Staff,
    Equipment,
    Other,
}

impl ResourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Budget => "budget",
            ResourceKind::Staff => "staff",
            ResourceKind::Equipment => "equipment",
            ResourceKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundingStatus {
    Secured,
    Pledged,
    /// The financing gap (*à rechercher*).
    Needed,
}

impl FundingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FundingStatus::Secured => "secured",
            FundingStatus::Pledged => "pledged",
            FundingStatus::Needed => "needed",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub kind: ResourceKind,
    /// As written, in `currency`.
    pub amount: Option<f64>,
    pub currency: String,
    /// Converted to the plan currency.
    pub amount_in_plan_currency: Option<f64>,
    /// An owner's id, or the name of a funder that is not an owner (one of the plan's
    /// `funders`, or a name written as is: `Budget national`).
    pub funder: Option<String>,
    pub status: FundingStatus,
    pub quantity: Option<f64>,
    pub unit: Option<String>,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub title: String,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub due: Option<DateSpec>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// One owner, or several for a co-led task; never empty.
    pub owners: Vec<String>,
    pub partners: Vec<String>,
    pub start: Option<DateSpec>,
    pub deadline: Deadline,
    pub repeat: Option<Repeat>,
    /// The end of a recurrence: no occurrence after this day.
    pub until: Option<DateSpec>,
    pub depends_on: Vec<String>,
    pub milestone: bool,
    pub renamed_from: Option<String>,
    pub reminders: Option<ReminderOverride>,
    pub resources: Vec<Resource>,
}

/// One dated instance of a task: the task itself, or one occurrence of a recurring task.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// `<task id>` or `<task id>@<YYYY-MM-DD>`.
    pub id: String,
    pub deadline: Option<NaiveDate>,
    pub deadline_label: String,
}

/// The deadlines of a recurring task that lie within the plan period, in order: the first one
/// on or after `start` (skipped to directly, so a first deadline years before the period costs
/// nothing), then one every `repeat` until `end`.
pub fn recurrence(
    first: NaiveDate,
    repeat: Repeat,
    start: NaiveDate,
    end: NaiveDate,
) -> impl Iterator<Item = NaiveDate> {
    use chrono::Datelike;
    let step = repeat.months();
    let month_end = is_month_end(first);
    let months_before =
        (start.year() - first.year()) * 12 + start.month0() as i32 - first.month0() as i32;
    // One step short of the period, then forward to its first day.
    let mut k = (months_before.max(0) as u32 / step).saturating_sub(1);
    while add_months(first, k * step, month_end).is_some_and(|d| d < start) {
        k += 1;
    }
    (k..)
        .map_while(move |k| add_months(first, k.checked_mul(step)?, month_end))
        .take_while(move |d| *d <= end)
}

/// An occurrence's label in the form of its task's first deadline (`form`): `T2 2025` when a
/// quarter's task falls on a quarter's last day, `S1 2026`, `2025-06` likewise; else the day.
/// The letter of a quarter (`T` or `Q`) is the one the first was written with.
fn period_label(date: NaiveDate, form: Option<super::values::DateForm>, first: &str) -> String {
    use super::values::DateForm;
    use chrono::Datelike;
    let (y, m) = (date.year(), date.month());
    match form {
        Some(DateForm::Quarter) if m % 3 == 0 && is_month_end(date) => {
            let letter = if first.trim_start().starts_with(['Q', 'q']) {
                'Q'
            } else {
                'T'
            };
            format!("{letter}{} {y}", m / 3)
        }
        Some(DateForm::Semester) if m % 6 == 0 && is_month_end(date) => {
            format!("S{} {y}", m / 6)
        }
        Some(DateForm::Month) if is_month_end(date) => date.format("%Y-%m").to_string(),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

impl Task {
    /// The task's dated instances: itself, or for a recurring task one occurrence per period
    /// within the plan period (`recurrence`), none after `until`. A recurring task none of whose occurrences falls
    /// inside the period keeps one, on its written deadline, as a task that does not repeat.
    pub fn occurrences(&self, period_start: NaiveDate, period_end: NaiveDate) -> Vec<Occurrence> {
        let single = || Occurrence {
            id: self.id.clone(),
            deadline: self.deadline.date(),
            deadline_label: self.deadline.label().to_string(),
        };
        let (Some(repeat), Deadline::Date(first)) = (self.repeat, &self.deadline) else {
            return vec![single()];
        };
        let occurrence = |date: NaiveDate, label: String| Occurrence {
            id: format!("{}@{}", self.id, date.format("%Y-%m-%d")),
            deadline: Some(date),
            deadline_label: label,
        };
        // Each occurrence is labelled as the first was written: a quarter (`T2 2025`), a
        // semester or a month keeps its form when the occurrence ends one; else the day.
        let form = super::values::parse_date(&first.label).ok().map(|(_, f)| f);
        let end = self
            .until
            .as_ref()
            .map_or(period_end, |u| u.date.min(period_end));
        let out: Vec<Occurrence> = recurrence(first.date, repeat, period_start, end)
            .map(|date| {
                let label = if date == first.date {
                    first.label.clone()
                } else {
                    period_label(date, form, &first.label)
                };
                occurrence(date, label)
            })
            .collect();
        if out.is_empty() {
            return vec![occurrence(first.date, first.label.clone())];
        }
        out
    }

    /// The plan policy with this task's override applied; `None` when reminders are off.
    pub fn effective_policy(&self, plan: &ReminderPolicy) -> Option<EffectivePolicy> {
        let o = self.reminders.clone().unwrap_or_default();
        if o.off {
            return None;
        }
        Some(EffectivePolicy {
            before: o.before.unwrap_or_else(|| plan.before.clone()),
            on_deadline: o.on_deadline.unwrap_or(plan.on_deadline),
            on_start: o.on_start.unwrap_or(plan.on_start),
            overdue_every: o.overdue_every.unwrap_or(plan.overdue_every),
            escalate_after: o.escalate_after.unwrap_or(plan.escalate_after),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    pub id: String,
    pub title: String,
    pub lead: Option<String>,
    pub aligned_with: Vec<String>,
    pub indicators: Vec<Indicator>,
    pub tasks: Vec<Task>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: String,
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub timezone: Tz,
    pub currency: String,
    pub language: Lang,
    pub secretariat: Option<String>,
    /// Units of plan currency per unit of the key currency (EUR->XOF is built in).
    pub exchange_rates: BTreeMap<String, f64>,
    pub reminders: ReminderPolicy,
    pub calendar: Calendar,
    pub owners: Vec<Owner>,
    /// Funders that are not owners.
    pub funders: Vec<Funder>,
    pub priorities: Vec<Priority>,
}

impl Plan {
    pub fn tasks(&self) -> impl Iterator<Item = (&Priority, &Task)> {
        self.priorities
            .iter()
            .flat_map(|p| p.tasks.iter().map(move |t| (p, t)))
    }

    pub fn owner(&self, id: &str) -> Option<&Owner> {
        self.owners.iter().find(|o| o.id == id)
    }
}

/// Units of `plan_currency` for one unit of `currency`, from the peg or the plan's rates.
pub fn rate(plan_currency: &str, currency: &str, rates: &BTreeMap<String, f64>) -> Option<f64> {
    if currency == plan_currency {
        return Some(1.0);
    }
    if let Some(r) = rates.get(currency) {
        return Some(*r);
    }
    match (currency, plan_currency) {
        ("EUR", "XOF") => Some(EUR_XOF),
        ("XOF", "EUR") => Some(1.0 / EUR_XOF),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(deadline: &str, repeat: Option<Repeat>) -> Task {
        let (date, _) = crate::plan::values::parse_date(deadline).expect("date");
        Task {
            id: "axe-6.a2".into(),
            title: "Rapport trimestriel".into(),
            description: None,
            owners: vec!["st-cnrm".into()],
            partners: vec![],
            start: None,
            deadline: Deadline::Date(DateSpec {
                date,
                label: deadline.into(),
            }),
            repeat,
            until: None,
            depends_on: vec![],
            milestone: false,
            renamed_from: None,
            reminders: None,
            resources: vec![],
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn quarterly_occurrences_keep_month_ends() {
        let end = NaiveDate::from_ymd_opt(2025, 12, 31).expect("date");
        let ids: Vec<String> = task("T1 2025", Some(Repeat::Quarterly))
            .occurrences(day(2025, 1, 1), end)
            .into_iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(
            ids,
            [
                "axe-6.a2@2025-03-31",
                "axe-6.a2@2025-06-30",
                "axe-6.a2@2025-09-30",
                "axe-6.a2@2025-12-31"
            ]
        );
    }

    #[test]
    fn every_occurrence_keeps_the_form_of_its_first_deadline() {
        let labels = |first: &str, repeat, from: NaiveDate| -> Vec<String> {
            task(first, Some(repeat))
                .occurrences(from, day(2025, 12, 31))
                .into_iter()
                .map(|o| o.deadline_label)
                .collect()
        };
        assert_eq!(
            labels("T1 2025", Repeat::Quarterly, day(2025, 1, 1)),
            ["T1 2025", "T2 2025", "T3 2025", "T4 2025"]
        );
        // The first deadline before the period: every occurrence still a quarter.
        assert_eq!(
            labels("Q4 2020", Repeat::Quarterly, day(2025, 7, 1)),
            ["Q3 2025", "Q4 2025"]
        );
        assert_eq!(
            labels("S1 2024", Repeat::Yearly, day(2025, 1, 1)),
            ["S1 2025"]
        );
        assert_eq!(
            labels("2025-10", Repeat::Monthly, day(2025, 10, 1)),
            ["2025-10", "2025-11", "2025-12"]
        );
    }

    #[test]
    fn monthly_occurrences_clamp_the_day() {
        let end = NaiveDate::from_ymd_opt(2025, 4, 30).expect("date");
        let dates: Vec<String> = task("2025-01-30", Some(Repeat::Monthly))
            .occurrences(day(2025, 1, 1), end)
            .into_iter()
            .map(|o| o.deadline_label)
            .collect();
        assert_eq!(
            dates,
            ["2025-01-30", "2025-02-28", "2025-03-30", "2025-04-30"]
        );
        assert_eq!(
            task("T4 2025", None).occurrences(day(2025, 1, 1), end)[0].id,
            "axe-6.a2"
        );
    }

    #[test]
    fn occurrences_begin_at_the_first_one_inside_the_period() {
        // A monthly task whose first deadline is in 1900: the twelve of 2025, nothing before.
        let occ = task("1900-01-31", Some(Repeat::Monthly))
            .occurrences(day(2025, 1, 1), day(2025, 12, 31));
        assert_eq!(occ.len(), 12);
        assert_eq!(occ[0].id, "axe-6.a2@2025-01-31");
        assert_eq!(occ[0].deadline_label, "2025-01-31");
        assert_eq!(occ[11].id, "axe-6.a2@2025-12-31");
        // A day of the month that is not its end keeps its number, clamped.
        let occ = task("2020-01-30", Some(Repeat::Quarterly))
            .occurrences(day(2025, 2, 1), day(2025, 12, 31));
        let dates: Vec<String> = occ.into_iter().map(|o| o.deadline_label).collect();
        assert_eq!(dates, ["2025-04-30", "2025-07-30", "2025-10-30"]);
        // None inside the period: the written deadline stays, as for a task that does not repeat.
        let occ = task("2020-03-31", Some(Repeat::Yearly))
            .occurrences(day(2025, 4, 1), day(2025, 12, 31));
        assert_eq!(occ.len(), 1);
        assert_eq!(occ[0].id, "axe-6.a2@2020-03-31");
        assert_eq!(occ[0].deadline_label, "2020-03-31");
    }

    #[test]
    fn semiannual_occurrences_stop_at_until() {
        let mut t = task("S1 2025", Some(Repeat::Semiannual));
        let all: Vec<String> = t
            .occurrences(day(2025, 1, 1), day(2027, 12, 31))
            .into_iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(
            all,
            [
                "axe-6.a2@2025-06-30",
                "axe-6.a2@2025-12-31",
                "axe-6.a2@2026-06-30",
                "axe-6.a2@2026-12-31",
                "axe-6.a2@2027-06-30",
                "axe-6.a2@2027-12-31"
            ]
        );
        t.until = Some(DateSpec {
            date: day(2026, 6, 30),
            label: "S1 2026".into(),
        });
        let until: Vec<String> = t
            .occurrences(day(2025, 1, 1), day(2027, 12, 31))
            .into_iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(
            until,
            [
                "axe-6.a2@2025-06-30",
                "axe-6.a2@2025-12-31",
                "axe-6.a2@2026-06-30"
            ]
        );
    }

    #[test]
    fn currency_rates() {
        let mut rates = BTreeMap::new();
        assert_eq!(rate("XOF", "EUR", &rates), Some(EUR_XOF));
        assert_eq!(rate("XOF", "CHF", &rates), None);
        rates.insert("CHF".to_string(), 700.0);
        assert_eq!(rate("XOF", "CHF", &rates), Some(700.0));
    }
}
