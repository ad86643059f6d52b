//! Reading the store: plans, filtered task lists, one task with its history.
//!
//! The same SQL serves SQLite and PostgreSQL. "Today" is computed per plan in the plan's time
//! zone from the caller's clock; the overdue and due-within filters compare deadlines with it in
//! SQL, on the `tasks_deadline` index of the migrations.

use super::{Store, StoreError};
use crate::clock::Clock;
pub(crate) use crate::records::parse_day;
use crate::records::Event;
pub use crate::records::{
    HistoryEntry, IndicatorDetail, IndicatorInfo, IndicatorValue, PlanInfo, Slip, SpendingEntry,
    TaskDetail, TaskRow,
};
use crate::text::fold;
use crate::workflow::{days_late, is_overdue, Status};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use std::collections::BTreeMap;

/// The filters of `cnrm tasks`.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub plan: Option<String>,
    pub priority: Option<String>,
    /// An owner's id or short name (`menefp`, `MENEFP`); one no plan shown knows is
    /// `UnknownOwner`.
    pub owner: Option<String>,
    /// With `owner`: its agencies too (owners whose `parent` is it, recursively).
    pub with_children: bool,
    pub statuses: Vec<Status>,
    pub overdue: bool,
    pub due_within: Option<u32>,
    pub search: Option<String>,
    pub archived: bool,
}

/// The fields of an aggregated task list and the separators between fields and rows.
const FIELD: char = '\u{1f}';
const ROW: char = '\u{1e}';
/// `ROW_COLUMNS` as non-NULL text (`concat_ws` skips a NULL, shifting the fields after it). A
/// title is the one free text: a separator written in it (a YAML `\x1f` escape) becomes a space.
const LIST_FIELDS: &str = "id, priority_id, replace(replace(title, $2, ' '), $3, ' '), owners, partners, COALESCE(deadline, ''), deadline_label, status, CAST(progress AS TEXT), CAST(milestone AS TEXT), CAST(archived AS TEXT), CAST(position AS TEXT)";

/// The tasks of a list: per plan, its "today", its tasks' text (see [`Store::task_list`]) and
/// where each task is in it, in list order.
pub struct TaskList {
    parts: Vec<(String, NaiveDate, String, Vec<std::ops::Range<usize>>)>,
}

impl TaskList {
    /// The tasks in list order, each made when it is read (again at each call).
    pub fn rows(&self) -> impl Iterator<Item = TaskRow> + '_ {
        self.parts.iter().flat_map(|(plan, today, text, order)| {
            order
                .iter()
                .filter_map(move |range| listed_task(&text[range.clone()], plan, *today))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(|part| part.3.is_empty())
    }
}

/// Where each task of `text` is, in list order: by deadline (ongoing last), then plan position.
/// The order is made here: asked of the database, SQLite sorts the whole text of every row.
/// Fails on a row without every field of `LIST_FIELDS`.
fn list_order(text: &str) -> Result<Vec<std::ops::Range<usize>>, StoreError> {
    let mut keyed = Vec::new();
    let mut start = 0;
    for row in text.split(ROW) {
        let range = start..start + row.len();
        start = range.end + ROW.len_utf8();
        let f: Vec<&str> = row.split(FIELD).collect();
        let (Some(deadline), Some(Ok(position)), 12) =
            (f.get(5), f.get(11).map(|p| p.parse::<i64>()), f.len())
        else {
            return Err(StoreError::Corrupt(format!("task row `{}`", f[0])));
        };
        keyed.push(((deadline.is_empty(), *deadline, position), range));
    }
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(keyed.into_iter().map(|(_, range)| range).collect())
}

/// One task of an aggregated list (the fields of `LIST_FIELDS`; `None` for a row of others).
fn listed_task(row: &str, plan: &str, today: NaiveDate) -> Option<TaskRow> {
    let f: Vec<&str> = row.split(FIELD).collect();
    let [id, priority, title, owners, partners, deadline, label, status, progress, milestone, archived, _] =
        f[..]
    else {
        return None;
    };
    let status: Status = status.parse().unwrap_or(Status::Todo);
    let deadline = (!deadline.is_empty()).then(|| deadline.to_string());
    let due = deadline.as_deref().and_then(parse_day);
    Some(TaskRow {
        id: id.to_string(),
        plan: plan.to_string(),
        priority: priority.to_string(),
        title: title.to_string(),
        owners: json_vec(owners),
        partners: json_vec(partners),
        deadline,
        deadline_label: label.to_string(),
        status,
        progress: progress.parse().unwrap_or(0),
        overdue: is_overdue(status, due, today),
        days_late: days_late(status, due, today),
        milestone: milestone == "1",
        archived: archived == "1",
    })
}

/// A stored JSON array of ids (`["dgme","oim"]`).
fn json_vec(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

pub(super) fn tz_of(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::Africa::Bamako)
}

pub(super) const ROW_COLUMNS: &str = "id, priority_id, title, owners, partners, deadline, deadline_label, status, progress, milestone, archived";

/// One task from a row of `ROW_COLUMNS`, in order.
pub(super) fn task_row(r: &AnyRow, plan: &str, today: NaiveDate) -> Result<TaskRow, StoreError> {
    task_row_at(r, 0, plan, today)
}

/// One task from the columns `ROW_COLUMNS` of a row, the first at `at`.
fn task_row_at(r: &AnyRow, at: usize, plan: &str, today: NaiveDate) -> Result<TaskRow, StoreError> {
    let deadline: Option<String> = r.try_get(at + 5)?;
    let status: String = r.try_get(at + 7)?;
    let status: Status = status.parse().unwrap_or(Status::Todo);
    let archived = r.try_get::<i64, _>(at + 10)? != 0;
    // An archived task is out of the plan: no longer due, so never late.
    let due = deadline
        .as_deref()
        .and_then(parse_day)
        .filter(|_| !archived);
    Ok(TaskRow {
        id: r.try_get(at)?,
        plan: plan.to_string(),
        priority: r.try_get(at + 1)?,
        title: r.try_get(at + 2)?,
        owners: json_vec(&r.try_get::<String, _>(at + 3)?),
        partners: json_vec(&r.try_get::<String, _>(at + 4)?),
        deadline,
        deadline_label: r.try_get(at + 6)?,
        status,
        progress: r.try_get(at + 8)?,
        overdue: is_overdue(status, due, today),
        days_late: days_late(status, due, today),
        milestone: r.try_get::<i64, _>(at + 9)? != 0,
        archived,
    })
}

/// Escapes LIKE's wildcards (`%`, `_`) and the escape character itself, so `st_cnrm` is literal.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The SQL conditions of `filter` (each starting with ` AND `), appending their values to
/// `args` (whose `$N` they use).
/// `owners`: the owner filter resolved for this plan (`owner_ids`), the tasks of any of them.
fn where_clause(
    filter: &TaskFilter,
    owners: Option<&[String]>,
    today: NaiveDate,
    args: &mut Vec<String>,
) -> String {
    let mut sql = String::new();
    let mut arg = |v: String| {
        args.push(v);
        format!("${}", args.len())
    };
    if let Some(p) = &filter.priority {
        let ph = arg(p.clone());
        sql.push_str(&format!(" AND priority_id = {ph}"));
    }
    match owners {
        None => {}
        Some([]) => sql.push_str(" AND 1 = 0"),
        Some(ids) => {
            // `owners` holds a JSON array of ids; quoted, an id cannot match part of another.
            let tests: Vec<String> = ids
                .iter()
                .map(|o| {
                    let ph = arg(format!("%\"{}\"%", like_escape(o)));
                    format!("owners LIKE {ph} ESCAPE '\\'")
                })
                .collect();
            sql.push_str(&format!(" AND ({})", tests.join(" OR ")));
        }
    }
    // A NULL deadline (`continu`) fails every comparison: never overdue, never due.
    if filter.overdue {
        let ph = arg(today.to_string());
        sql.push_str(&format!(" AND deadline < {ph}"));
    }
    if let Some(days) = filter.due_within {
        let limit = today + chrono::Duration::days(i64::from(days));
        let from = arg(today.to_string());
        let to = arg(limit.to_string());
        sql.push_str(&format!(" AND deadline >= {from} AND deadline <= {to}"));
    }
    if let Some(text) = &filter.search {
        let pattern = format!("%{}%", like_escape(&fold(text)));
        let ph = arg(pattern);
        sql.push_str(&format!(" AND search_text LIKE {ph} ESCAPE '\\'"));
    }
    if filter.overdue || filter.due_within.is_some() {
        sql.push_str(&format!(" AND status IN {ACTIVE}"));
    }
    if !filter.statuses.is_empty() {
        let list: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| arg(s.as_str().to_string()))
            .collect();
        sql.push_str(&format!(" AND status IN ({})", list.join(", ")));
    }
    if !filter.archived {
        sql.push_str(" AND archived = 0");
    }
    sql
}

const ACTIVE: &str = "('todo', 'in_progress', 'blocked')";

impl Store {
    /// The plans in the database: (id, time zone), optionally only one.
    pub(super) async fn plan_zones(
        &self,
        only: Option<&str>,
    ) -> Result<Vec<(String, chrono_tz::Tz)>, StoreError> {
        let rows = sqlx::query("SELECT id, timezone FROM plans ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: String = r.try_get(0)?;
            let tz: String = r.try_get(1)?;
            if only.is_none_or(|p| p == id) {
                out.push((id, tz_of(&tz)));
            }
        }
        if let (Some(p), true) = (only, out.is_empty()) {
            return Err(StoreError::NoPlan(p.to_string()));
        }
        Ok(out)
    }

    /// The owner filter resolved, plan by plan (`None`: no owner filter): the owner whose id is
    /// `filter.owner` (else whose id or short name is, case ignored), and with `with_children`
    /// the owners whose `parent` is one of those, recursively. An owner no plan of `zones` knows
    /// is `UnknownOwner`, with the closest id or short name.
    async fn owner_ids(
        &self,
        filter: &TaskFilter,
        zones: &[(String, chrono_tz::Tz)],
    ) -> Result<Option<BTreeMap<String, Vec<String>>>, StoreError> {
        let Some(wanted) = filter.owner.as_deref().map(str::trim) else {
            return Ok(None);
        };
        let rows =
            sqlx::query("SELECT plan_id, id, short, parent FROM owners ORDER BY plan_id, id")
                .fetch_all(&self.pool)
                .await?;
        // Per plan: (id, short name, parent) of each owner.
        type Owner = (String, Option<String>, Option<String>);
        let mut by_plan: BTreeMap<String, Vec<Owner>> = BTreeMap::new();
        for r in rows {
            let plan: String = r.try_get(0)?;
            if zones.iter().any(|(p, _)| *p == plan) {
                by_plan.entry(plan).or_default().push((
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                ));
            }
        }
        let lower = wanted.to_lowercase();
        let mut out = BTreeMap::new();
        for (plan, owners) in &by_plan {
            let exact = owners.iter().find(|o| o.0 == wanted);
            let found = exact.or_else(|| {
                owners.iter().find(|o| {
                    o.0.to_lowercase() == lower
                        || o.1
                            .as_deref()
                            .is_some_and(|s| s.trim().to_lowercase() == lower)
                })
            });
            let Some(found) = found else { continue };
            let mut ids = vec![found.0.clone()];
            if filter.with_children {
                // Breadth first; a loop in `parent` (refused by the plan check) cannot spin.
                let mut i = 0;
                while i < ids.len() {
                    for o in owners {
                        if o.2.as_deref() == Some(ids[i].as_str()) && !ids.contains(&o.0) {
                            ids.push(o.0.clone());
                        }
                    }
                    i += 1;
                }
            }
            out.insert(plan.clone(), ids);
        }
        if out.is_empty() {
            let names: Vec<&str> = by_plan
                .values()
                .flatten()
                .flat_map(|o| std::iter::once(o.0.as_str()).chain(o.1.as_deref()))
                .collect();
            let suggestion = names
                .iter()
                .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), *c))
                .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
                .min_by_key(|(d, _)| *d)
                .map(|(_, c)| c.to_string());
            return Err(StoreError::UnknownOwner {
                owner: wanted.to_string(),
                suggestion,
            });
        }
        Ok(Some(out))
    }

    /// `cnrm tasks`: the tasks matching every filter, ordered by deadline (ongoing ones last),
    /// then plan order; plan after plan.
    pub async fn tasks(
        &self,
        filter: &TaskFilter,
        clock: &Clock,
    ) -> Result<Vec<TaskRow>, StoreError> {
        Ok(self.task_list(filter, clock).await?.rows().collect())
    }

    /// The list of [`Store::tasks`] as the database wrote it, turned into rows as they are
    /// read: a long list is never held as rows.
    ///
    /// Each plan's tasks come as one text, their fields joined by U+001F and the tasks by U+001E
    /// (control characters; in a title they become spaces), since sqlx hands each row over from
    /// SQLite's thread with a wake-up of its own: a long list would cost more in wake-ups than in
    /// reading. `string_agg` and `concat_ws` read the same on SQLite and PostgreSQL; the order is
    /// made by `list_order`.
    pub async fn task_list(
        &self,
        filter: &TaskFilter,
        clock: &Clock,
    ) -> Result<TaskList, StoreError> {
        let mut parts = Vec::new();
        let zones = self.plan_zones(filter.plan.as_deref()).await?;
        let owners = self.owner_ids(filter, &zones).await?;
        for (plan, tz) in zones {
            let today = clock.today(tz);
            let mut args = vec![plan.clone(), FIELD.to_string(), ROW.to_string()];
            let ids = owners
                .as_ref()
                .map(|o| o.get(&plan).map_or(&[][..], Vec::as_slice));
            let conditions = where_clause(filter, ids, today, &mut args);
            let sql = format!(
                "SELECT string_agg(concat_ws(CAST($2 AS TEXT), {LIST_FIELDS}), CAST($3 AS TEXT)) FROM tasks WHERE plan_id = $1{conditions}"
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for a in args {
                q = q.bind(a);
            }
            let text: String = q
                .fetch_one(&self.pool)
                .await?
                .try_get::<Option<String>, _>(0)?
                .unwrap_or_default();
            // Every row is checked whole here, so that reading it later cannot fail.
            let order = if text.is_empty() {
                Vec::new()
            } else {
                list_order(&text)?
            };
            parts.push((plan, today, text, order));
        }
        Ok(TaskList { parts })
    }

    /// `cnrm tasks --count`: how many tasks match every filter.
    pub async fn count_tasks(&self, filter: &TaskFilter, clock: &Clock) -> Result<i64, StoreError> {
        let mut total = 0;
        let zones = self.plan_zones(filter.plan.as_deref()).await?;
        let owners = self.owner_ids(filter, &zones).await?;
        for (plan, tz) in zones {
            let ids = owners
                .as_ref()
                .map(|o| o.get(&plan).map_or(&[][..], Vec::as_slice));
            let mut args = vec![plan.clone()];
            let conditions = where_clause(filter, ids, clock.today(tz), &mut args);
            let sql = format!("SELECT COUNT(*) FROM tasks WHERE plan_id = $1{conditions}");
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for a in args {
                q = q.bind(a);
            }
            total += q.fetch_one(&self.pool).await?.try_get::<i64, _>(0)?;
        }
        Ok(total)
    }

    /// Finds which plan holds task `id` (several plans may use the same ids).
    pub(super) async fn locate_task(
        &self,
        id: &str,
        plan: Option<&str>,
    ) -> Result<String, StoreError> {
        let rows = sqlx::query("SELECT plan_id FROM tasks WHERE id = $1 ORDER BY plan_id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let plans: Vec<String> = rows
            .iter()
            .filter_map(|r| r.try_get::<String, _>(0).ok())
            .collect();
        match plan {
            Some(p) if plans.iter().any(|x| x == p) => Ok(p.to_string()),
            Some(_) => Err(StoreError::NoTask(id.to_string())),
            None => match plans.as_slice() {
                [] => Err(StoreError::NoTask(id.to_string())),
                [one] => Ok(one.clone()),
                many => Err(StoreError::Ambiguous {
                    id: id.to_string(),
                    plans: many.join(", "),
                }),
            },
        }
    }

    /// `cnrm task show`: one task with its history, deadline slips and spending. The id of a
    /// recurring task (`axe-3.a6`, whose rows are its occurrences `axe-3.a6@2026-03-31`) gives
    /// its next open occurrence (else its last), with every occurrence in `occurrences`.
    pub async fn task_detail(
        &self,
        id: &str,
        plan: Option<&str>,
        clock: &Clock,
    ) -> Result<TaskDetail, StoreError> {
        match self.locate_task(id, plan).await {
            Err(StoreError::NoTask(_)) => {}
            Ok(plan_id) => return self.one_task_detail(id, plan_id, clock).await,
            Err(e) => return Err(e),
        }
        let sql = format!("SELECT plan_id, {ROW_COLUMNS} FROM tasks WHERE base_id = $1 AND id <> base_id ORDER BY plan_id, deadline, position");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let mut plans: Vec<String> = Vec::new();
        for r in &rows {
            let p: String = r.try_get(0)?;
            if plan.is_none_or(|want| want == p) && !plans.contains(&p) {
                plans.push(p);
            }
        }
        let plan_id = match plans.as_slice() {
            [] => return Err(StoreError::NoTask(id.to_string())),
            [one] => one.clone(),
            many => {
                return Err(StoreError::Ambiguous {
                    id: id.to_string(),
                    plans: many.join(", "),
                })
            }
        };
        let tz = sqlx::query("SELECT timezone FROM plans WHERE id = $1")
            .bind(&plan_id)
            .fetch_one(&self.pool)
            .await?
            .try_get::<String, _>(0)?;
        let today = clock.today(tz_of(&tz));
        let mut occurrences = Vec::new();
        for r in rows
            .iter()
            .filter(|r| r.try_get::<String, _>(0).is_ok_and(|p| p == plan_id))
        {
            occurrences.push(task_row_at(r, 1, &plan_id, today)?);
        }
        let current = occurrences
            .iter()
            .find(|o| !o.archived && !o.status.is_closed())
            .or_else(|| occurrences.iter().rev().find(|o| !o.archived))
            .or(occurrences.last())
            .map(|o| o.id.clone())
            .unwrap_or_default();
        let mut detail = self.one_task_detail(&current, plan_id, clock).await?;
        detail.occurrences = occurrences;
        Ok(detail)
    }

    /// `task_detail` of one task row.
    async fn one_task_detail(
        &self,
        id: &str,
        plan_id: String,
        clock: &Clock,
    ) -> Result<TaskDetail, StoreError> {
        let p = sqlx::query("SELECT timezone, currency FROM plans WHERE id = $1")
            .bind(&plan_id)
            .fetch_one(&self.pool)
            .await?;
        let tz = tz_of(&p.try_get::<String, _>(0)?);
        let currency: String = p.try_get(1)?;
        let sql = format!(
            "SELECT {ROW_COLUMNS}, description, start_date, depends_on, resources, budget_planned, budget_secured, budget_pledged, budget_needed FROM tasks WHERE plan_id = $1 AND id = $2"
        );
        let r = sqlx::query(AssertSqlSafe(sql))
            .bind(&plan_id)
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let row = task_row(&r, &plan_id, clock.today(tz))?;
        let slips = sqlx::query("SELECT revision, old_label, new_label, days FROM deadline_slips WHERE plan_id = $1 AND task_id = $2 ORDER BY id")
            .bind(&plan_id)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|s| {
                Ok(Slip {
                    revision: s.try_get(0)?,
                    from: s.try_get(1)?,
                    to: s.try_get(2)?,
                    days: s.try_get(3)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let history = sqlx::query("SELECT at, actor, kind, data, note, source FROM events WHERE plan_id = $1 AND task_id = $2 ORDER BY id")
            .bind(&plan_id)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|e| {
                Ok(HistoryEntry {
                    at: e.try_get(0)?,
                    actor: e.try_get(1)?,
                    event: Event::from_stored(
                        &e.try_get::<String, _>(2)?,
                        &e.try_get::<String, _>(3)?,
                    ),
                    note: e.try_get(4)?,
                    source: e.try_get(5)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let spendings = sqlx::query("SELECT spent_on, amount, currency, amount_plan, note, actor, at, cancelled FROM spendings WHERE plan_id = $1 AND task_id = $2 ORDER BY id")
            .bind(&plan_id)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .zip(1..)
            .map(|(s, entry)| {
                Ok(SpendingEntry {
                    entry,
                    date: s.try_get(0)?,
                    amount: s.try_get(1)?,
                    currency: s.try_get(2)?,
                    amount_plan: s.try_get(3)?,
                    note: s.try_get(4)?,
                    actor: s.try_get(5)?,
                    at: s.try_get(6)?,
                    cancelled: s.try_get::<i64, _>(7)? != 0,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let spent = spendings
            .iter()
            .filter(|s| !s.cancelled)
            .map(|s| s.amount_plan)
            .sum();
        let archived_revision = if row.archived {
            self.archiving_revision(&plan_id, id).await?
        } else {
            None
        };
        Ok(TaskDetail {
            row,
            description: r.try_get(11)?,
            start: r.try_get(12)?,
            depends_on: json_vec(&r.try_get::<String, _>(13)?),
            resources: serde_json::from_str(&r.try_get::<String, _>(14)?).unwrap_or_default(),
            currency,
            budget_planned: r.try_get(15)?,
            budget_secured: r.try_get(16)?,
            budget_pledged: r.try_get(17)?,
            budget_needed: r.try_get(18)?,
            spent,
            slips,
            history,
            archived_revision,
            spendings,
            occurrences: Vec::new(),
        })
    }

    /// The latest revision whose changes archived task `id` (as `revisions.changes` lists them).
    async fn archiving_revision(&self, plan_id: &str, id: &str) -> Result<Option<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, changes FROM revisions WHERE plan_id = $1 ORDER BY number DESC",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let changes: serde_json::Value =
                serde_json::from_str(&r.try_get::<String, _>(1)?).unwrap_or_default();
            let archived = changes["archived"].as_array();
            if archived.is_some_and(|a| a.iter().any(|x| x.as_str() == Some(id))) {
                return Ok(Some(r.try_get(0)?));
            }
        }
        Ok(None)
    }

    /// Where task `id` went when a revision renamed it: (plan, its id now), `None` when no
    /// task was renamed from `id`. The latest rename of `id` counts (an id can be reused, then
    /// renamed again), then each later rename of where it went (`a` → `b` → `c` gives `c`).
    /// Indicators' renames are not followed: their events name no task.
    pub async fn renamed_to(
        &self,
        id: &str,
        plan: Option<&str>,
    ) -> Result<Option<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT plan_id, data FROM events WHERE kind = 'renamed' AND task_id IS NOT NULL ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let mut moves = Vec::new();
        for r in rows {
            let plan_id: String = r.try_get(0)?;
            if plan.is_some_and(|p| p != plan_id) {
                continue;
            }
            if let Event::Renamed {
                from,
                to,
                indicator: None,
                ..
            } = Event::from_stored("renamed", &r.try_get::<String, _>(1)?)
            {
                moves.push((plan_id, from, to));
            }
        }
        let Some(first) = moves.iter().rposition(|(_, from, _)| from == id) else {
            return Ok(None);
        };
        let (plan_id, mut current) = (moves[first].0.clone(), moves[first].2.clone());
        for (p, from, to) in &moves[first + 1..] {
            if *p == plan_id && *from == current {
                current = to.clone();
            }
        }
        Ok((current != id).then_some((plan_id, current)))
    }

    /// Which plan holds indicator `id` (not archived), and its time zone.
    pub(super) async fn locate_indicator(
        &self,
        id: &str,
        plan: Option<&str>,
    ) -> Result<(String, chrono_tz::Tz), StoreError> {
        let rows = sqlx::query("SELECT i.plan_id, p.timezone FROM indicators i JOIN plans p ON p.id = i.plan_id WHERE i.id = $1 AND i.archived = 0 ORDER BY i.plan_id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let found: Vec<(String, String)> = rows
            .iter()
            .filter_map(|r| Some((r.try_get(0).ok()?, r.try_get(1).ok()?)))
            .filter(|(p, _): &(String, String)| plan.is_none_or(|want| want == p))
            .collect();
        match found.as_slice() {
            [] => Err(StoreError::NoIndicator(id.to_string())),
            [(p, tz)] => Ok((p.clone(), tz_of(tz))),
            many => {
                let ids: Vec<&str> = many.iter().map(|(p, _)| p.as_str()).collect();
                Err(StoreError::Ambiguous {
                    id: id.to_string(),
                    plans: ids.join(", "),
                })
            }
        }
    }

    /// The indicators of a plan in plan order, each with its latest value: the one measured
    /// latest, not after `today` and not cancelled (a value dated in the future is not yet one).
    pub(super) async fn plan_indicators(
        &self,
        plan_id: &str,
        today: NaiveDate,
    ) -> Result<Vec<IndicatorInfo>, StoreError> {
        let mut latest: std::collections::HashMap<String, (String, f64)> = Default::default();
        for r in sqlx::query("SELECT indicator_id, measured_on, value FROM indicator_values WHERE plan_id = $1 AND cancelled = 0 AND measured_on <= $2 ORDER BY measured_on, id")
            .bind(plan_id)
            .bind(today.to_string())
            .fetch_all(&self.pool)
            .await?
        {
            latest.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
        }
        sqlx::query("SELECT id, priority_id, title, unit, baseline, target, due_label FROM indicators WHERE plan_id = $1 AND archived = 0 ORDER BY position")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let id: String = r.try_get(0)?;
                Ok(IndicatorInfo {
                    latest: latest.remove(&id),
                    id,
                    priority: r.try_get(1)?,
                    title: r.try_get(2)?,
                    unit: r.try_get(3)?,
                    baseline: r.try_get(4)?,
                    target: r.try_get(5)?,
                    due: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// `cnrm indicators`: (plan, indicator) for every plan, or `plan`, at the clock's today.
    pub async fn indicators(
        &self,
        plan: Option<&str>,
        clock: &Clock,
    ) -> Result<Vec<(String, IndicatorInfo)>, StoreError> {
        let mut out = Vec::new();
        for (plan_id, tz) in self.plan_zones(plan).await? {
            for i in self.plan_indicators(&plan_id, clock.today(tz)).await? {
                out.push((plan_id.clone(), i));
            }
        }
        Ok(out)
    }

    /// `cnrm indicator show`: one indicator with every value recorded, numbered from 1.
    pub async fn indicator_detail(
        &self,
        id: &str,
        plan: Option<&str>,
        clock: &Clock,
    ) -> Result<IndicatorDetail, StoreError> {
        let (plan_id, tz) = self.locate_indicator(id, plan).await?;
        let info = self
            .plan_indicators(&plan_id, clock.today(tz))
            .await?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or_else(|| StoreError::NoIndicator(id.to_string()))?;
        let values = sqlx::query("SELECT measured_on, value, note, actor, at, cancelled FROM indicator_values WHERE plan_id = $1 AND indicator_id = $2 ORDER BY id")
            .bind(&plan_id)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .zip(1..)
            .map(|(v, entry)| {
                Ok(IndicatorValue {
                    entry,
                    date: v.try_get(0)?,
                    value: v.try_get(1)?,
                    note: v.try_get(2)?,
                    actor: v.try_get(3)?,
                    at: v.try_get(4)?,
                    cancelled: v.try_get::<i64, _>(5)? != 0,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(IndicatorDetail {
            plan: plan_id,
            info,
            values,
        })
    }

    /// `cnrm plans`: every plan with its latest revision and task counts.
    pub async fn plans(&self, clock: &Clock) -> Result<Vec<PlanInfo>, StoreError> {
        let rows = sqlx::query("SELECT id, title, revision, updated_at, source_name, timezone, currency, language FROM plans ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: String = r.try_get(0)?;
            let timezone: String = r.try_get(5)?;
            let today = clock.today(tz_of(&timezone));
            let counts = sqlx::query(AssertSqlSafe(format!(
                "SELECT COUNT(*),
                        COALESCE(SUM(CASE WHEN status NOT IN ('done', 'cancelled') THEN 1 ELSE 0 END), 0),
                        COALESCE(SUM(CASE WHEN status IN {ACTIVE} AND deadline IS NOT NULL AND deadline < $2 THEN 1 ELSE 0 END), 0)
                 FROM tasks WHERE plan_id = $1 AND archived = 0"
            )))
            .bind(&id)
            .bind(today.to_string())
            .fetch_one(&self.pool)
            .await?;
            let last = sqlx::query("SELECT actor, message FROM revisions WHERE plan_id = $1 ORDER BY number DESC LIMIT 1")
                .bind(&id)
                .fetch_optional(&self.pool)
                .await?;
            out.push(PlanInfo {
                title: r.try_get(1)?,
                revision: r.try_get(2)?,
                updated_at: r.try_get(3)?,
                source: r.try_get(4)?,
                timezone,
                currency: r.try_get(6)?,
                language: r.try_get(7)?,
                tasks: counts.try_get(0)?,
                open: counts.try_get(1)?,
                overdue: counts.try_get(2)?,
                last_actor: last.as_ref().map(|l| l.try_get(0)).transpose()?,
                last_message: last
                    .as_ref()
                    .map(|l| l.try_get::<Option<String>, _>(1))
                    .transpose()?
                    .flatten(),
                id,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    /// An aggregated task row: id, then deadline (field 6) and position (field 12).
    fn task(id: &str, deadline: &str, position: u32) -> String {
        format!("{id}\u{1f}p\u{1f}t\u{1f}[]\u{1f}[]\u{1f}{deadline}\u{1f}l\u{1f}todo\u{1f}0\u{1f}0\u{1f}0\u{1f}{position}")
    }

    #[test]
    fn lists_are_ordered_by_deadline_then_plan_position_ongoing_last() {
        let text = [
            task("c", "", 1),
            task("b", "2025-06-30", 5),
            task("a", "2025-06-30", 2),
            task("d", "", 0),
            task("e", "2025-01-15", 9),
        ]
        .join("\u{1e}");
        let ids: Vec<&str> = super::list_order(&text)
            .expect("readable")
            .into_iter()
            .map(|r| text[r].split('\u{1f}').next().unwrap_or(""))
            .collect();
        assert_eq!(ids, ["e", "a", "b", "d", "c"]);
        assert!(super::list_order("x\u{1f}y").is_err(), "a short row");
        let odd = task("x", "2025-06-30", 1).replace("\u{1f}1", "\u{1f}un");
        assert!(
            super::list_order(&odd).is_err(),
            "a position that is no number"
        );
    }

    #[test]
    fn stored_id_lists_are_read() {
        assert_eq!(super::json_vec(r#"["dgme","oim"]"#), ["dgme", "oim"]);
        assert_eq!(super::json_vec(r#"["dgme"]"#), ["dgme"]);
        assert!(super::json_vec("[]").is_empty());
        assert_eq!(super::json_vec(r#"["a\"b", "c"]"#), ["a\"b", "c"]);
        assert!(super::json_vec("not json").is_empty());
    }

    #[test]
    fn stored_days_are_read() {
        use chrono::NaiveDate;
        assert_eq!(
            super::parse_day("2025-09-30"),
            NaiveDate::from_ymd_opt(2025, 9, 30)
        );
        assert_eq!(super::parse_day("2025-02-30"), None);
        assert_eq!(super::parse_day("2025-9-30"), None);
        assert_eq!(super::parse_day("2025-09-3x"), None);
        assert_eq!(super::parse_day(""), None);
    }

    #[test]
    fn like_wildcards_are_literal() {
        assert_eq!(super::like_escape("st_cnrm 100%"), "st\\_cnrm 100\\%");
        assert_eq!(super::like_escape("a\\b"), "a\\\\b");
    }
}
