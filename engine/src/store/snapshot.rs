//! Reading one plan whole for the secretariat's screens (and the report): tasks with their money,
//! owners, indicators with their latest value, the outbox and recent history.

use super::query::{task_row, ROW_COLUMNS};
use super::{Store, StoreError};
use crate::clock::Clock;
use crate::plan::model::Repeat;
use crate::records::{parse_day, Event, PlanDates, TaskDates};
use crate::records::{
    Counts, Dashboard, Extras, HistoryItem, Money, Overview, OwnerInfo, PriorityFigures,
    PriorityInfo, Snapshot, TaskMoney,
};
use crate::workflow::Status;
use rustc_hash::FxHashMap as HashMap;
use sqlx::{AssertSqlSafe, Row};
use std::collections::BTreeMap;

impl Store {
    /// A cheap value that changes whenever anything recorded changes: revisions, events, outbox.
    pub async fn change_marker(&self) -> Result<String, StoreError> {
        let r = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(next_id), 0) FROM id_seq), (SELECT COUNT(*) FROM outbox WHERE status = 'sent'), (SELECT COUNT(*) FROM outbox WHERE status = 'failed')",
        )
        .fetch_one(&self.pool)
        .await?;
        let ids: i64 = r.try_get(0)?;
        let sent: i64 = r.try_get(1)?;
        let failed: i64 = r.try_get(2)?;
        let seqs: Vec<i64> = sqlx::query("SELECT next_id FROM id_seq ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .filter_map(|r| r.try_get(0).ok())
            .collect();
        Ok(format!("{ids}/{sent}/{failed}/{seqs:?}"))
    }

    /// The plan the screens show: the only one in the database, or `plan`.
    async fn the_plan(&self, plan: Option<&str>) -> Result<(String, chrono_tz::Tz), StoreError> {
        let plans = self.plan_zones(plan).await?;
        match plans.as_slice() {
            [] => Err(StoreError::Empty),
            [one] => Ok(one.clone()),
            many => Err(StoreError::NeedPlan(
                many.iter()
                    .map(|(p, _)| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )),
        }
    }

    /// Money spent per task of a plan, in the plan currency.
    async fn spent_per_task(&self, plan_id: &str) -> Result<HashMap<String, f64>, StoreError> {
        let mut spent: HashMap<String, f64> = HashMap::default();
        for r in sqlx::query(
            "SELECT task_id, SUM(amount_plan) FROM spendings WHERE plan_id = $1 AND cancelled = 0 GROUP BY task_id",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?
        {
            spent.insert(r.try_get(0)?, r.try_get(1)?);
        }
        Ok(spent)
    }

    /// Tasks with their money, from `source`: `tasks` or a sub-query of it with the same
    /// columns, where `$1` is the plan id and `binds` are `$2`, ...; in the order of `order`.
    async fn task_money(
        &self,
        plan_id: &str,
        today: chrono::NaiveDate,
        source: &str,
        binds: &[String],
        order: &str,
        spent: &HashMap<String, f64>,
    ) -> Result<Vec<TaskMoney>, StoreError> {
        let sql = format!(
            "SELECT {ROW_COLUMNS}, budget_planned, budget_secured, budget_pledged, budget_needed, resources FROM {source} ORDER BY {order}"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(plan_id);
        for b in binds {
            q = q.bind(b);
        }
        let mut tasks = Vec::new();
        for r in q.fetch_all(&self.pool).await? {
            let row = task_row(&r, plan_id, today)?;
            let resources: serde_json::Value =
                serde_json::from_str(&r.try_get::<String, _>(15)?).unwrap_or_default();
            let funding = resources
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter(|r| r["kind"] == "budget")
                        .map(|r| {
                            (
                                r["funder"].as_str().unwrap_or("").to_string(),
                                r["status"].as_str().unwrap_or("needed").to_string(),
                                r["amount_plan"].as_f64().unwrap_or(0.0),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            tasks.push(TaskMoney {
                spent: spent.get(&row.id).copied().unwrap_or(0.0),
                row,
                planned: r.try_get(11)?,
                secured: r.try_get(12)?,
                pledged: r.try_get(13)?,
                needed: r.try_get(14)?,
                funding,
            });
        }
        Ok(tasks)
    }

    /// The plan (the only one, or `plan`) as the screens' headers need it: its row, active
    /// priorities and owners, today in its time zone and the change marker; tasks, indicators,
    /// outbox and history empty, for the caller to fill.
    async fn head(&self, plan: Option<&str>, clock: &Clock) -> Result<Snapshot, StoreError> {
        let (plan_id, tz) = self.the_plan(plan).await?;
        let plan_id = plan_id.as_str();
        let p = sqlx::query(
            "SELECT title, currency, revision, timezone, start_date, end_date FROM plans WHERE id = $1",
        )
            .bind(plan_id)
            .fetch_one(&self.pool)
            .await?;
        let priorities = sqlx::query("SELECT id, title FROM priorities WHERE plan_id = $1 AND archived = 0 ORDER BY position")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(PriorityInfo { id: r.try_get(0)?, title: r.try_get(1)? }))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let owners = sqlx::query("SELECT id, name, short, emails FROM owners WHERE plan_id = $1 AND archived = 0 ORDER BY id")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(OwnerInfo {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    short: r.try_get(2)?,
                    emails: serde_json::from_str(&r.try_get::<String, _>(3)?).unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Snapshot {
            plan_id: plan_id.to_string(),
            plan_title: p.try_get(0)?,
            currency: p.try_get(1)?,
            revision: p.try_get(2)?,
            today: clock.today(tz),
            priorities,
            owners,
            tasks: Vec::new(),
            indicators: Vec::new(),
            outbox: Vec::new(),
            history: Vec::new(),
            marker: self.change_marker().await?,
            dates: PlanDates {
                period: parse_day(&p.try_get::<String, _>(4)?)
                    .zip(parse_day(&p.try_get::<String, _>(5)?)),
                tasks: Default::default(),
            },
        })
    }

    /// The start the plan gives each task that has one, and the repeat of recurring tasks'
    /// occurrences, for the chronogramme.
    async fn task_dates(&self, plan_id: &str) -> Result<BTreeMap<String, TaskDates>, StoreError> {
        let mut dates = BTreeMap::new();
        for r in sqlx::query("SELECT id, start_date, repeat_every FROM tasks WHERE plan_id = $1 AND archived = 0 AND (start_date IS NOT NULL OR repeat_every IS NOT NULL)")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?
        {
            let start: Option<String> = r.try_get(1)?;
            let repeat: Option<String> = r.try_get(2)?;
            let repeat_months = repeat.and_then(|text| {
                Repeat::ALL
                    .into_iter()
                    .find(|k| k.as_str() == text)
                    .map(Repeat::months)
            });
            let id: String = r.try_get(0)?;
            // Only an occurrence (`id@date`) repeats; a recurring task kept whole does not.
            dates.insert(
                id.clone(),
                TaskDates {
                    start: start.as_deref().and_then(parse_day),
                    repeat_months: repeat_months.filter(|_| id.contains('@')),
                },
            );
        }
        Ok(dates)
    }

    /// Everything about one plan (the only one, or `plan`), at the clock's today.
    pub async fn snapshot(
        &self,
        plan: Option<&str>,
        clock: &Clock,
    ) -> Result<Snapshot, StoreError> {
        let mut snapshot = self.head(plan, clock).await?;
        let (plan_id, today) = (snapshot.plan_id.clone(), snapshot.today);
        let spent = self.spent_per_task(&plan_id).await?;
        let tasks = self
            .task_money(
                &plan_id,
                today,
                "tasks WHERE plan_id = $1 AND archived = 0",
                &[],
                "position",
                &spent,
            )
            .await?;

        let indicators = self.plan_indicators(&plan_id, today).await?;
        snapshot.dates.tasks = self.task_dates(&plan_id).await?;

        let outbox = self
            .outbox(None)
            .await?
            .into_iter()
            .filter(|o| o.plan == plan_id)
            .collect();
        let history = sqlx::query("SELECT at, actor, kind, task_id, data, note, source FROM events WHERE plan_id = $1 ORDER BY id DESC LIMIT 300")
            .bind(&plan_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(HistoryItem {
                    at: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    event: Event::from_stored(
                        &r.try_get::<String, _>(2)?,
                        &r.try_get::<String, _>(4)?,
                    ),
                    task: r.try_get(3)?,
                    note: r.try_get(5)?,
                    source: r.try_get(6)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        snapshot.tasks = tasks;
        snapshot.indicators = indicators;
        snapshot.outbox = outbox;
        snapshot.history = history;
        Ok(snapshot)
    }
}

/// How many next deadlines the dashboard lists.
const NEXT_DEADLINES: usize = 8;

impl Store {
    /// The dashboard by SQL aggregates (a few milliseconds where the snapshot of 100,000 tasks
    /// takes half a second): the same figures as `figures::dashboard` of the whole snapshot.
    pub async fn overview(
        &self,
        plan: Option<&str>,
        clock: &Clock,
    ) -> Result<Overview, StoreError> {
        let mut snapshot = self.head(plan, clock).await?;
        let (plan_id, today) = (snapshot.plan_id.clone(), snapshot.today);
        let soon = today + chrono::Duration::days(14);
        let mut spent: HashMap<(String, String), f64> = HashMap::default();
        for r in sqlx::query(
            "SELECT t.priority_id, t.status, SUM(s.amount_plan) FROM spendings s JOIN tasks t ON t.plan_id = s.plan_id AND t.id = s.task_id WHERE s.plan_id = $1 AND s.cancelled = 0 AND t.archived = 0 GROUP BY t.priority_id, t.status",
        )
        .bind(&plan_id)
        .fetch_all(&self.pool)
        .await?
        {
            spent.insert((r.try_get(0)?, r.try_get(1)?), r.try_get(2)?);
        }
        let mut groups = Vec::new();
        for r in sqlx::query(
            "SELECT priority_id, status, COUNT(*),
                    CAST(SUM(CASE WHEN deadline < $2 THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN deadline >= $2 AND deadline <= $3 THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(SUM(progress) AS BIGINT),
                    CAST(SUM(budget_planned) AS DOUBLE PRECISION), CAST(SUM(budget_secured) AS DOUBLE PRECISION),
                    CAST(SUM(budget_pledged) AS DOUBLE PRECISION), CAST(SUM(budget_needed) AS DOUBLE PRECISION)
             FROM tasks WHERE plan_id = $1 AND archived = 0 GROUP BY priority_id, status",
        )
        .bind(&plan_id)
        .bind(today.to_string())
        .bind(soon.to_string())
        .fetch_all(&self.pool)
        .await?
        {
            let priority: String = r.try_get(0)?;
            let status: String = r.try_get(1)?;
            let count = |i: usize| -> Result<usize, StoreError> {
                Ok(usize::try_from(r.try_get::<i64, _>(i)?).unwrap_or(0))
            };
            groups.push(Group {
                money: Money {
                    planned: r.try_get(6)?,
                    secured: r.try_get(7)?,
                    pledged: r.try_get(8)?,
                    needed: r.try_get(9)?,
                    spent: spent
                        .get(&(priority.clone(), status.clone()))
                        .copied()
                        .unwrap_or(0.0),
                },
                status: status.parse().unwrap_or(Status::Todo),
                priority,
                count: count(2)?,
                past: count(3)?,
                soon: count(4)?,
                progress_sum: r.try_get(5)?,
            });
        }
        let all_spent = self.spent_per_task(&plan_id).await?;
        let next = format!(
            "(SELECT * FROM tasks WHERE plan_id = $1 AND archived = 0 AND status IN ('todo', 'in_progress', 'blocked') AND deadline >= $2 ORDER BY deadline, position LIMIT {NEXT_DEADLINES}) AS t"
        );
        snapshot.tasks = self
            .task_money(
                &plan_id,
                today,
                &next,
                &[today.to_string()],
                "deadline, position",
                &all_spent,
            )
            .await?;
        let dashboard = dashboard_of_groups(&snapshot, &groups, snapshot.tasks.len());
        Ok(Overview {
            snapshot,
            dashboard,
        })
    }
}

/// The tasks of one priority with one status, summed by the database (see `overview`).
struct Group {
    priority: String,
    status: Status,
    count: usize,
    /// Tasks whose deadline is before today.
    past: usize,
    /// Tasks whose deadline is today or within the next 14 days.
    soon: usize,
    progress_sum: i64,
    money: Money,
}

/// `figures::dashboard`'s figures from per-(priority, status) sums, by the same rules: overdue
/// and due soon count active tasks only, progress is the mean over tasks neither cancelled nor
/// suspended (`tests/overview.rs` checks that the two agree). `next` is the number of
/// next-deadline tasks, in order, at the start of `s.tasks`.
fn dashboard_of_groups(s: &Snapshot, groups: &[Group], next: usize) -> Dashboard {
    let figures = |id: &str, title: &str, only: Option<&str>| {
        let mut counts = Counts::default();
        let mut money = Money::default();
        let (mut sum, mut n) = (0i64, 0usize);
        for g in groups
            .iter()
            .filter(|g| only.is_none_or(|p| g.priority == p))
        {
            counts.total += g.count;
            *counts
                .by_status
                .entry(g.status.as_str().to_string())
                .or_default() += g.count;
            if g.status.is_active() {
                counts.overdue += g.past;
                counts.due_soon += g.soon;
            }
            if g.status == Status::Done {
                counts.done += g.count;
            }
            if !matches!(g.status, Status::Cancelled | Status::Suspended) {
                sum += g.progress_sum;
                n += g.count;
            }
            money.planned += g.money.planned;
            money.secured += g.money.secured;
            money.pledged += g.money.pledged;
            money.needed += g.money.needed;
            money.spent += g.money.spent;
        }
        PriorityFigures {
            id: id.to_string(),
            title: title.to_string(),
            progress: if n > 0 { sum as f64 / n as f64 } else { 0.0 },
            counts,
            money,
        }
    };
    Dashboard {
        priorities: s
            .priorities
            .iter()
            .map(|p| figures(&p.id, &p.title, Some(&p.id)))
            .collect(),
        total: figures(&s.plan_id, &s.plan_title, None),
        next_deadlines: (0..next).collect(),
    }
}

impl Store {
    /// For the report: deadline slips (count, total days) and the latest note of each task.
    pub async fn report_extras(&self, plan_id: &str) -> Result<Extras, StoreError> {
        let mut extras = Extras::default();
        for r in sqlx::query("SELECT task_id, COUNT(*), CAST(COALESCE(SUM(days), 0) AS BIGINT) FROM deadline_slips WHERE plan_id = $1 GROUP BY task_id")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?
        {
            let count: i64 = r.try_get(1)?;
            extras.slips.insert(r.try_get(0)?, (count as usize, r.try_get(2)?));
        }
        for r in sqlx::query("SELECT task_id, note FROM events WHERE plan_id = $1 AND task_id IS NOT NULL AND note IS NOT NULL AND kind IN ('note', 'update') ORDER BY id")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?
        {
            extras.notes.insert(r.try_get(0)?, r.try_get(1)?);
        }
        Ok(extras)
    }
}

impl Store {
    /// The language a plan's reports and e-mails are written in.
    pub async fn plan_language(&self, plan_id: &str) -> Result<crate::lang::Lang, StoreError> {
        let r = sqlx::query("SELECT language FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get::<String, _>(0)?.parse().unwrap_or_default())
    }
}
