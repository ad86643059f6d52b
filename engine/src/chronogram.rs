//! The chronogramme: the plan's Gantt chart as data, drawn by the HTML report (SVG), the terminal
//! UI's timeline screen (characters) and the report workbook (cells).
//!
//! Pure: built from a `Snapshot` (its task rows, and `Snapshot::dates` for the plan period and
//! the starts). The rules, in one place:
//!
//! - **Months**: every month from the first of the plan period to its last; the range grows to
//!   take in a bar that starts before the period or a deadline after it, so that no bar is cut.
//!   Without a period (an old snapshot), the months of the bars; without any dated bar, the month
//!   of today.
//! - **Rows**: one per task, grouped by priority in the plan's order (a task whose priority is not
//!   listed goes in a group of its own at the end), tasks in the plan's order. A cancelled task
//!   is not drawn (it is no longer planned); each group counts them in `cancelled`.
//! - **Start** of a bar, in this order: for an occurrence of a recurring task (`id@date`), the day
//!   after the same date one repeat earlier (a quarterly report due 31/03 runs from 01/01, a
//!   monthly one due on the 15th from the 16th of the month before), but not before the task's
//!   start; otherwise the task's `start`; otherwise the first day of the
//!   period its deadline names: `T3 2025` from 01/07/2025, `S1 2026` from 01/01/2026, `2025-09`
//!   or `2025-09-15` from 01/09/2025. A start is never after its deadline.
//! - **End**: the deadline; an ongoing task (`continu`) runs from its start (or the first month)
//!   to the last month, and is never late.
//! - **Phase**, the bar's colour: *done* (status done), *late* (the overdue rule of the plan
//!   format: open, not suspended, not ongoing, deadline passed), *under way* (open and started on
//!   or before today), *upcoming* (open, starting after today).
//! - **Milestone**: a ◆ on the deadline of a task marked `milestone`.
//! - **Rating** of a priority (red / amber / green, [`Group::rating`]): red when a task is more
//!   than [`RED_DAYS`] days late or more than a quarter of its tasks are late; amber when a task is
//!   late or blocked; green otherwise. [`rating_rule`] says it in words under the charts.

use crate::lang::Lang;
use crate::records::{Snapshot, TaskMoney};
use crate::tr;
use crate::workflow::Status;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// A task more than this many days late makes its priority red.
pub const RED_DAYS: i64 = 30;

/// One month of the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Month {
    pub year: i32,
    /// 1-12.
    pub month: u32,
}

const FR_MONTHS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Month {
    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// How many days the month has.
    pub fn days(self) -> u32 {
        let next = self.next().first_day();
        (next - self.first_day()).num_days().clamp(28, 31) as u32
    }

    /// `janv.`, `févr.`, `août` / `Jan`, `Feb`.
    pub fn name(self, lang: Lang) -> &'static str {
        let i = (self.month.clamp(1, 12) - 1) as usize;
        match lang {
            Lang::Fr => FR_MONTHS[i],
            Lang::En => EN_MONTHS[i],
        }
    }

    /// `janv. 2026` / `Jan 2026`.
    pub fn label(self, lang: Lang) -> String {
        format!("{} {}", self.name(lang), self.year)
    }

    /// Months from `self` to `other` (negative when `other` is earlier).
    fn until(self, other: Month) -> i64 {
        i64::from(other.year - self.year) * 12 + i64::from(other.month) - i64::from(self.month)
    }
}

/// Where a bar's start comes from (the rules of the module's comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartFrom {
    /// The task's `start` in the plan.
    Plan,
    /// The day after the previous occurrence of a recurring task.
    Recurrence,
    /// The first day of the period the deadline names (quarter, semester, month).
    Deadline,
    /// The chart's first month (an ongoing task without a start).
    Chart,
}

/// The colour of a bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Done,
    Late,
    UnderWay,
    Upcoming,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::Done, Phase::Late, Phase::UnderWay, Phase::Upcoming];

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Phase::Done, Lang::Fr) => "fait",
            (Phase::Late, Lang::Fr) => "en retard",
            (Phase::UnderWay, Lang::Fr) => "en cours",
            (Phase::Upcoming, Lang::Fr) => "à venir",
            (Phase::Done, Lang::En) => "done",
            (Phase::Late, Lang::En) => "late",
            (Phase::UnderWay, Lang::En) => "under way",
            (Phase::Upcoming, Lang::En) => "upcoming",
        }
    }

    /// A word for styles and data attributes: `done`, `late`, `under-way`, `upcoming`.
    pub fn key(self) -> &'static str {
        match self {
            Phase::Done => "done",
            Phase::Late => "late",
            Phase::UnderWay => "under-way",
            Phase::Upcoming => "upcoming",
        }
    }
}

/// One bar: a task from its start to its deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub progress: i64,
    pub start: NaiveDate,
    pub start_from: StartFrom,
    /// `None` for an ongoing task (`continu`).
    pub deadline: Option<NaiveDate>,
    pub deadline_label: String,
    /// The bar's last day: the deadline, or the chart's last day for an ongoing task.
    pub end: NaiveDate,
    pub milestone: bool,
    pub phase: Phase,
    pub days_late: i64,
}

/// The tasks of one priority.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub priority: String,
    pub title: String,
    pub rows: Vec<Row>,
    /// Cancelled tasks of the priority, not drawn.
    pub cancelled: usize,
}

/// A priority's red / amber / green status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Red,
    Amber,
    Green,
}

impl Level {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Level::Red, Lang::Fr) => "rouge",
            (Level::Amber, Lang::Fr) => "orange",
            (Level::Green, Lang::Fr) => "vert",
            (Level::Red, Lang::En) => "red",
            (Level::Amber, Lang::En) => "amber",
            (Level::Green, Lang::En) => "green",
        }
    }
}

/// A priority's rating and the counts it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub level: Level,
    /// Tasks drawn (not cancelled).
    pub tasks: usize,
    pub late: usize,
    /// Late by more than [`RED_DAYS`] days.
    pub long_late: usize,
    pub blocked: usize,
}

impl Rating {
    /// Why, in a few words: `2 tâches en retard sur 5, dont 1 de plus de 30 jours · 1 bloquée`.
    pub fn reason(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let s = |n: usize| if n > 1 { "s" } else { "" };
        let mut parts = Vec::new();
        if self.late > 0 {
            let mut late = if fr {
                format!(
                    "{} tâche{} en retard sur {}",
                    self.late,
                    s(self.late),
                    self.tasks
                )
            } else {
                format!(
                    "{} task{} late out of {}",
                    self.late,
                    s(self.late),
                    self.tasks
                )
            };
            if self.long_late > 0 {
                late.push_str(&tr!(
                    lang,
                    ", dont {} de plus de {} jours",
                    ", {} of them by more than {} days",
                    self.long_late,
                    RED_DAYS
                ));
            }
            parts.push(late);
        }
        if self.blocked > 0 {
            parts.push(if fr {
                format!("{} bloquée{}", self.blocked, s(self.blocked))
            } else {
                format!("{} blocked", self.blocked)
            });
        }
        if parts.is_empty() {
            return if self.tasks == 0 {
                tr!(lang, "aucune tâche", "no task")
            } else {
                tr!(
                    lang,
                    "aucune tâche en retard ni bloquée",
                    "no task late or blocked"
                )
            };
        }
        parts.join(" · ")
    }
}

/// The rating rule, as written under the charts.
pub fn rating_rule(lang: Lang) -> String {
    tr!(
        lang,
        "Rouge\u{a0}: une tâche en retard de plus de {}\u{a0}jours, ou plus d'un quart des tâches en retard. Orange\u{a0}: au moins une tâche en retard ou bloquée. Vert\u{a0}: aucune tâche en retard ni bloquée. Les tâches annulées ne comptent pas.",
        "Red: a task more than {} days late, or more than a quarter of the tasks late. Amber: at least one task late or blocked. Green: no task late or blocked. Cancelled tasks do not count.",
        RED_DAYS
    )
}

impl Group {
    /// The priority's red / amber / green status (the module's rule).
    pub fn rating(&self) -> Rating {
        let tasks = self.rows.len();
        let late = self.rows.iter().filter(|r| r.phase == Phase::Late).count();
        let long_late = self
            .rows
            .iter()
            .filter(|r| r.phase == Phase::Late && r.days_late > RED_DAYS)
            .count();
        let blocked = self
            .rows
            .iter()
            .filter(|r| r.status == Status::Blocked)
            .count();
        let level = if long_late > 0 || late * 4 > tasks {
            Level::Red
        } else if late > 0 || blocked > 0 {
            Level::Amber
        } else {
            Level::Green
        };
        Rating {
            level,
            tasks,
            late,
            long_late,
            blocked,
        }
    }
}

/// The whole chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chronogram {
    pub today: NaiveDate,
    /// Consecutive months, at least one.
    pub months: Vec<Month>,
    pub groups: Vec<Group>,
}

impl Chronogram {
    /// The chart's first day.
    pub fn first_day(&self) -> NaiveDate {
        self.months.first().map_or(self.today, |m| m.first_day())
    }

    /// The chart's last day.
    pub fn last_day(&self) -> NaiveDate {
        self.months
            .last()
            .and_then(|m| m.next().first_day().pred_opt())
            .unwrap_or(self.today)
    }

    /// Where the start of `day` falls, in months from the start of the chart (`1.5` is the middle
    /// of the second month); clamped to the chart.
    pub fn offset(&self, day: NaiveDate) -> f64 {
        let Some(first) = self.months.first() else {
            return 0.0;
        };
        let m = Month::of(day);
        let whole = first.until(m);
        if whole < 0 {
            return 0.0;
        }
        let n = self.months.len() as f64;
        let x = whole as f64 + f64::from(day.day0()) / f64::from(m.days());
        x.min(n)
    }

    /// Where a row's bar begins and ends, in months from the start of the chart (the end is the
    /// end of its last day).
    pub fn span(&self, row: &Row) -> (f64, f64) {
        let end = row
            .end
            .succ_opt()
            .map_or(self.months.len() as f64, |d| self.offset(d));
        (self.offset(row.start), end)
    }

    /// Where today falls, when it is within the chart.
    pub fn today_offset(&self) -> Option<f64> {
        (self.first_day() <= self.today && self.today <= self.last_day())
            .then(|| self.offset(self.today))
    }

    /// Every row, in order.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.groups.iter().flat_map(|g| g.rows.iter())
    }
}

/// The first day of the period a deadline's label names (`T3 2025` → 01/07/2025); for a day or a
/// text that is no period, the first day of the deadline's month.
fn period_start(label: &str, deadline: NaiveDate) -> NaiveDate {
    use crate::plan::values::{parse_date, DateForm};
    let months_back = match parse_date(label) {
        Ok((end, DateForm::Quarter)) if end == deadline => 2,
        Ok((end, DateForm::Semester)) if end == deadline => 5,
        _ => 0,
    };
    Month::of(deadline)
        .first_day()
        .checked_sub_months(Months::new(months_back))
        .unwrap_or(deadline)
}

/// A bar's start before the chart is known (`None` for an ongoing task without a start).
fn start_of(t: &TaskMoney, s: &Snapshot) -> Option<(NaiveDate, StartFrom)> {
    let row = &t.row;
    let dates = s.dates.tasks.get(&row.id).copied().unwrap_or_default();
    let deadline = row.deadline_day();
    let start = match (deadline, dates.repeat_months) {
        (Some(d), Some(n)) => {
            // A deadline on a month's last day recurs on the last day of each month concerned.
            let month_end = d.succ_opt().is_none_or(|next| next.day() == 1);
            let previous = if month_end {
                Month::of(d)
                    .first_day()
                    .checked_sub_months(Months::new(n - 1))
            } else {
                d.checked_sub_months(Months::new(n))
                    .and_then(|p| p.succ_opt())
            }
            .unwrap_or(d);
            match dates.start {
                Some(plan) if plan > previous => (plan, StartFrom::Plan),
                _ => (previous, StartFrom::Recurrence),
            }
        }
        _ => match (dates.start, deadline) {
            (Some(plan), _) => (plan, StartFrom::Plan),
            (None, Some(d)) => (period_start(&row.deadline_label, d), StartFrom::Deadline),
            (None, None) => return None,
        },
    };
    Some(match deadline {
        Some(d) if start.0 > d => (d, start.1),
        _ => start,
    })
}

fn phase(t: &TaskMoney, start: NaiveDate, today: NaiveDate) -> Phase {
    if t.row.status == Status::Done {
        Phase::Done
    } else if t.row.overdue {
        Phase::Late
    } else if start <= today {
        Phase::UnderWay
    } else {
        Phase::Upcoming
    }
}

/// The chronogramme of a snapshot (the module's rules).
pub fn build(s: &Snapshot) -> Chronogram {
    let today = s.today;
    // Starts first: the chart's months depend on them.
    let drawn: Vec<(&TaskMoney, Option<(NaiveDate, StartFrom)>)> = s
        .tasks
        .iter()
        .filter(|t| t.row.status != Status::Cancelled)
        .map(|t| (t, start_of(t, s)))
        .collect();
    let mut first: Option<NaiveDate> = s.dates.period.map(|p| p.0);
    let mut last: Option<NaiveDate> = s.dates.period.map(|p| p.1);
    for (t, start) in &drawn {
        for day in [start.map(|s| s.0), t.row.deadline_day()]
            .into_iter()
            .flatten()
        {
            first = Some(first.map_or(day, |f| f.min(day)));
            last = Some(last.map_or(day, |l| l.max(day)));
        }
    }
    let (from, to) = match (first, last) {
        (Some(f), Some(l)) if f <= l => (Month::of(f), Month::of(l)),
        _ => (Month::of(today), Month::of(today)),
    };
    let mut months = vec![from];
    while let Some(m) = months.last().copied().filter(|m| *m < to) {
        months.push(m.next());
    }
    let chart_first = from.first_day();
    let chart_last = to.next().first_day().pred_opt().unwrap_or(chart_first);

    let mut groups: Vec<Group> = s
        .priorities
        .iter()
        .map(|p| Group {
            priority: p.id.clone(),
            title: p.title.clone(),
            rows: Vec::new(),
            cancelled: 0,
        })
        .collect();
    let mut group_of = |priority: &str| -> usize {
        match groups.iter().position(|g| g.priority == priority) {
            Some(i) => i,
            None => {
                groups.push(Group {
                    priority: priority.to_string(),
                    title: priority.to_string(),
                    rows: Vec::new(),
                    cancelled: 0,
                });
                groups.len() - 1
            }
        }
    };
    let mut placed: Vec<(usize, Row)> = Vec::with_capacity(drawn.len());
    for (t, start) in drawn {
        let (start, start_from) = start.unwrap_or((chart_first, StartFrom::Chart));
        let deadline = t.row.deadline_day();
        placed.push((
            group_of(&t.row.priority),
            Row {
                id: t.row.id.clone(),
                title: t.row.title.clone(),
                status: t.row.status,
                progress: t.row.progress,
                start,
                start_from,
                deadline,
                deadline_label: t.row.deadline_label.clone(),
                end: deadline.unwrap_or(chart_last),
                milestone: t.row.milestone,
                phase: phase(t, start, today),
                days_late: t.row.days_late,
            },
        ));
    }
    let cancelled: Vec<usize> = s
        .tasks
        .iter()
        .filter(|t| t.row.status == Status::Cancelled)
        .map(|t| group_of(&t.row.priority))
        .collect();
    for (g, row) in placed {
        groups[g].rows.push(row);
    }
    for g in cancelled {
        groups[g].cancelled += 1;
    }
    Chronogram {
        today,
        months,
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{PlanDates, PriorityInfo, TaskDates, TaskRow};

    fn day(s: &str) -> NaiveDate {
        crate::records::parse_day(s).expect("a day")
    }

    fn task(id: &str, prio: &str, label: &str, status: Status, days_late: i64) -> TaskMoney {
        let deadline = crate::plan::values::parse_date(label)
            .ok()
            .map(|(d, _)| d.to_string());
        TaskMoney {
            row: TaskRow {
                id: id.into(),
                plan: "p".into(),
                priority: prio.into(),
                title: format!("Titre {id}"),
                owners: vec![],
                partners: vec![],
                deadline,
                deadline_label: label.into(),
                status,
                progress: 0,
                overdue: days_late > 0,
                days_late,
                milestone: id.ends_with('m'),
                archived: false,
            },
            planned: 0.0,
            secured: 0.0,
            pledged: 0.0,
            needed: 0.0,
            spent: 0.0,
            funding: vec![],
        }
    }

    fn snapshot(tasks: Vec<TaskMoney>, period: Option<(&str, &str)>) -> Snapshot {
        Snapshot {
            plan_id: "p".into(),
            plan_title: "Plan".into(),
            currency: "XOF".into(),
            revision: 1,
            today: day("2025-10-01"),
            priorities: vec![
                PriorityInfo {
                    id: "a".into(),
                    title: "Axe A".into(),
                },
                PriorityInfo {
                    id: "b".into(),
                    title: "Axe B".into(),
                },
            ],
            owners: vec![],
            tasks,
            indicators: vec![],
            outbox: vec![],
            history: vec![],
            marker: String::new(),
            dates: PlanDates {
                period: period.map(|(f, t)| (day(f), day(t))),
                tasks: Default::default(),
            },
        }
    }

    #[test]
    fn months_cover_the_period_and_every_bar() {
        let s = snapshot(
            vec![task("a1", "a", "2025-03-15", Status::Todo, 0)],
            Some(("2025-01-01", "2025-12-31")),
        );
        let c = build(&s);
        assert_eq!(c.months.len(), 12);
        assert_eq!(c.months[0].label(Lang::Fr), "janv. 2025");
        assert_eq!(c.months[7].label(Lang::Fr), "août 2025");
        assert_eq!(c.months[1].label(Lang::En), "Feb 2025");
        // A deadline after the period and a start before it widen the chart.
        let mut s = snapshot(
            vec![task("a1", "a", "2026-02-10", Status::Todo, 0)],
            Some(("2025-01-01", "2025-12-31")),
        );
        s.dates.tasks.insert(
            "a1".into(),
            TaskDates {
                start: Some(day("2024-11-20")),
                repeat_months: None,
            },
        );
        let c = build(&s);
        assert_eq!(
            (c.months[0], *c.months.last().expect("months")),
            (
                Month {
                    year: 2024,
                    month: 11
                },
                Month {
                    year: 2026,
                    month: 2
                }
            )
        );
        assert_eq!(c.months.len(), 16);
        // Without a period: the months of the bars; without any bar: today's month.
        let c = build(&snapshot(
            vec![task("a1", "a", "T2 2025", Status::Todo, 0)],
            None,
        ));
        assert_eq!(
            c.months.iter().map(|m| m.month).collect::<Vec<_>>(),
            [4, 5, 6]
        );
        let c = build(&snapshot(vec![], None));
        assert_eq!(c.months, [Month::of(day("2025-10-01"))]);
    }

    #[test]
    fn starts_follow_the_documented_rules() {
        let mut s = snapshot(
            vec![
                task("q", "a", "T3 2025", Status::Todo, 0),
                task("h", "a", "S1 2026", Status::Todo, 0),
                task("m", "a", "2025-09", Status::Todo, 0),
                task("d", "a", "2025-09-15", Status::Todo, 0),
                task("given", "a", "2025-09-15", Status::Todo, 0),
                task("r@2025-06-30", "a", "2025-06-30", Status::Todo, 0),
                task("r@2025-03-31", "a", "T1 2025", Status::Todo, 0),
                task("s@2025-08-15", "a", "2025-08-15", Status::Todo, 0),
                task("c", "b", "continu", Status::InProgress, 0),
                task("late-start", "b", "2025-05-10", Status::Todo, 0),
            ],
            Some(("2025-01-01", "2026-06-30")),
        );
        let dates = |start: Option<&str>, repeat: Option<u32>| TaskDates {
            start: start.map(day),
            repeat_months: repeat,
        };
        for (id, d) in [
            ("given", dates(Some("2025-08-04"), None)),
            ("r@2025-06-30", dates(Some("2025-02-15"), Some(3))),
            ("r@2025-03-31", dates(Some("2025-02-15"), Some(3))),
            ("late-start", dates(Some("2025-06-01"), None)),
            ("s@2025-08-15", dates(None, Some(1))),
        ] {
            s.dates.tasks.insert(id.into(), d);
        }
        let c = build(&s);
        let start = |id: &str| {
            let r = c.rows().find(|r| r.id == id).expect("row");
            (r.start.to_string(), r.start_from)
        };
        assert_eq!(start("q"), ("2025-07-01".into(), StartFrom::Deadline));
        assert_eq!(start("h"), ("2026-01-01".into(), StartFrom::Deadline));
        assert_eq!(start("m"), ("2025-09-01".into(), StartFrom::Deadline));
        assert_eq!(start("d"), ("2025-09-01".into(), StartFrom::Deadline));
        assert_eq!(start("given"), ("2025-08-04".into(), StartFrom::Plan));
        assert_eq!(
            start("r@2025-06-30"),
            ("2025-04-01".into(), StartFrom::Recurrence)
        );
        assert_eq!(
            start("r@2025-03-31"),
            ("2025-02-15".into(), StartFrom::Plan),
            "not before the task's start"
        );
        assert_eq!(
            start("s@2025-08-15"),
            ("2025-07-16".into(), StartFrom::Recurrence)
        );
        assert_eq!(start("c"), ("2025-01-01".into(), StartFrom::Chart));
        assert_eq!(
            start("late-start"),
            ("2025-05-10".into(), StartFrom::Plan),
            "never after the deadline"
        );
        let ongoing = c.rows().find(|r| r.id == "c").expect("continu");
        assert_eq!(
            (ongoing.deadline, ongoing.end.to_string()),
            (None, "2026-06-30".into())
        );
        assert_eq!(c.span(ongoing), (0.0, 18.0));
    }

    #[test]
    fn phases_groups_milestones_and_cancelled_tasks() {
        let s = snapshot(
            vec![
                task("b1", "b", "2025-06-30", Status::Done, 0),
                task("a1", "a", "2025-09-15", Status::InProgress, 16),
                task("a2m", "a", "2025-12-31", Status::Todo, 0),
                task("a3", "a", "T1 2026", Status::Todo, 0),
                task("a4", "a", "2025-05-31", Status::Cancelled, 0),
                task("a5", "a", "T4 2025", Status::Todo, 0),
                task("z1", "zz", "2025-11-30", Status::Blocked, 0),
            ],
            Some(("2025-01-01", "2026-03-31")),
        );
        let c = build(&s);
        let groups: Vec<(&str, Vec<&str>, usize)> = c
            .groups
            .iter()
            .map(|g| {
                (
                    g.priority.as_str(),
                    g.rows.iter().map(|r| r.id.as_str()).collect(),
                    g.cancelled,
                )
            })
            .collect();
        assert_eq!(
            groups,
            [
                ("a", vec!["a1", "a2m", "a3", "a5"], 1),
                ("b", vec!["b1"], 0),
                ("zz", vec!["z1"], 0)
            ]
        );
        let phase = |id: &str| c.rows().find(|r| r.id == id).map(|r| r.phase);
        assert_eq!(phase("b1"), Some(Phase::Done));
        assert_eq!(phase("a1"), Some(Phase::Late));
        assert_eq!(phase("a2m"), Some(Phase::Upcoming), "from 01/12/2025");
        assert_eq!(phase("a3"), Some(Phase::Upcoming));
        assert_eq!(phase("a5"), Some(Phase::UnderWay), "from 01/10/2025, today");
        assert!(c
            .rows()
            .find(|r| r.id == "a2m")
            .is_some_and(|r| r.milestone));
        assert_eq!(phase("a4"), None, "a cancelled task is not drawn");
    }

    #[test]
    fn offsets_place_days_within_their_month() {
        let s = snapshot(
            vec![task("a1", "a", "2025-09-15", Status::Todo, 0)],
            Some(("2025-01-01", "2025-12-31")),
        );
        let c = build(&s);
        assert_eq!(c.offset(day("2025-01-01")), 0.0);
        assert_eq!(c.offset(day("2025-03-01")), 2.0);
        assert_eq!(c.offset(day("2025-02-15")), 1.0 + 14.0 / 28.0);
        assert_eq!(c.offset(day("2024-06-01")), 0.0, "clamped before");
        assert_eq!(c.offset(day("2027-06-01")), 12.0, "clamped after");
        assert_eq!(c.today_offset(), Some(9.0));
        let row = c.rows().next().expect("row");
        assert_eq!(c.span(row), (8.0, 8.0 + 15.0 / 30.0));
        let mut outside = s.clone();
        outside.today = day("2027-01-01");
        assert_eq!(build(&outside).today_offset(), None);
    }

    #[test]
    fn ratings_follow_the_rule() {
        let group = |rows: Vec<(Status, i64)>| {
            let tasks = rows
                .iter()
                .enumerate()
                .map(|(i, (st, late))| task(&format!("t{i}"), "a", "2025-09-30", *st, *late))
                .collect();
            build(&snapshot(tasks, Some(("2025-01-01", "2025-12-31")))).groups[0].clone()
        };
        let green = group(vec![(Status::Done, 0), (Status::Todo, 0)]).rating();
        assert_eq!(green.level, Level::Green);
        assert_eq!(green.reason(Lang::Fr), "aucune tâche en retard ni bloquée");
        let amber = group(vec![
            (Status::Todo, 5),
            (Status::Todo, 0),
            (Status::Todo, 0),
            (Status::Todo, 0),
        ])
        .rating();
        assert_eq!(amber.level, Level::Amber, "one late of four is a quarter");
        assert_eq!(amber.reason(Lang::Fr), "1 tâche en retard sur 4");
        assert_eq!(
            group(vec![(Status::Blocked, 0), (Status::Todo, 0)])
                .rating()
                .level,
            Level::Amber
        );
        let red = group(vec![
            (Status::Todo, 31),
            (Status::Blocked, 0),
            (Status::Todo, 0),
        ])
        .rating();
        assert_eq!(red.level, Level::Red, "a task more than 30 days late");
        assert_eq!(
            red.reason(Lang::Fr),
            "1 tâche en retard sur 3, dont 1 de plus de 30 jours · 1 bloquée"
        );
        assert_eq!(
            red.reason(Lang::En),
            "1 task late out of 3, 1 of them by more than 30 days · 1 blocked"
        );
        let share = group(vec![
            (Status::Todo, 3),
            (Status::Todo, 2),
            (Status::Todo, 0),
        ])
        .rating();
        assert_eq!(share.level, Level::Red, "two late of three");
        assert_eq!(
            group(vec![
                (Status::Todo, 30),
                (Status::Todo, 0),
                (Status::Todo, 0),
                (Status::Todo, 0)
            ])
            .rating()
            .level,
            Level::Amber,
            "30 days is not more than 30"
        );
        let empty = build(&snapshot(vec![], None)).groups[0].rating();
        assert_eq!(
            (empty.level, empty.reason(Lang::En)),
            (Level::Green, "no task".into())
        );
        assert!(rating_rule(Lang::Fr)
            .starts_with("Rouge\u{a0}: une tâche en retard de plus de 30\u{a0}jours"));
    }
}
