//! `plan diff` and `plan apply`: a checked plan becomes rows, like a reviewed change.
//!
//! Both commands compute the same report from the same code (`compute`), inside the write lock
//! for apply, so what `diff` shows is what `apply` then does. The plan file only defines tasks;
//! execution state (status, progress, notes, spending, history) lives in other columns and tables
//! that an apply never touches, except to carry them along a `renamed_from`. Nothing is deleted:
//! what disappears from the file is archived and comes back if its id does.

use super::{add_event, alloc_ids, Backend, Store, StoreError};
use crate::clock::Clock;
use crate::plan::model::{FundingStatus, Plan, ResourceKind, Task};
use crate::records::{StoredCalendar, StoredPolicy};
use crate::text::fold_into;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

/// Rows per multi-row INSERT: well under both databases' parameter limits.
const BATCH: usize = 400;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    pub from: String,
    pub to: String,
}

/// What an apply does (or, for `diff`, would do). Serialises to the contract's JSON object.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ApplyReport {
    pub plan: String,
    pub revision: Option<i64>,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub archived: Vec<String>,
    pub restored: Vec<String>,
    pub renamed: Vec<Rename>,
    pub unchanged: usize,
    /// Deadline moves of this apply: (task, old label, new label, days); shown, not in the JSON.
    #[serde(skip)]
    pub slips: Vec<(String, String, String, Option<i64>)>,
}

impl ApplyReport {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.archived.is_empty()
            && self.restored.is_empty()
            && self.renamed.is_empty()
    }
}

/// The SHA-256 of a plan file, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// One value of a row to bind.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    Real(f64),
    OptReal(Option<f64>),
}

/// A row of one of the definition tables, as the file defines it.
#[derive(Debug, Clone, PartialEq)]
struct DefRow {
    id: String,
    hash: String,
    values: Vec<Val>,
    /// Tasks only: (deadline, label) to record slips.
    deadline: Option<(Option<String>, String)>,
    /// Its former id (`renamed_from`), already expanded for occurrences.
    renamed_from: Option<String>,
}

struct Table {
    name: &'static str,
    columns: &'static [&'static str],
}

const OWNERS: Table = Table {
    name: "owners",
    columns: &["id", "name", "short", "emails", "language", "parent"],
};
const PRIORITIES: Table = Table {
    name: "priorities",
    columns: &["id", "title", "lead", "aligned_with", "position"],
};
const INDICATORS: Table = Table {
    name: "indicators",
    columns: &[
        "id",
        "priority_id",
        "title",
        "unit",
        "baseline",
        "target",
        "due",
        "due_label",
        "position",
    ],
};
const TASKS: Table = Table {
    name: "tasks",
    columns: &[
        "id",
        "base_id",
        "priority_id",
        "title",
        "description",
        "owners",
        "partners",
        "start_date",
        "deadline",
        "deadline_label",
        "repeat_every",
        "milestone",
        "depends_on",
        "reminders",
        "resources",
        "budget_planned",
        "budget_secured",
        "budget_pledged",
        "budget_needed",
        "search_text",
        "position",
    ],
};

fn hash_values(values: &[Val]) -> String {
    let mut h = Sha256::new();
    for v in values {
        match v {
            Val::Text(s) => h.update(s.as_bytes()),
            Val::OptText(Some(s)) => h.update(s.as_bytes()),
            Val::OptText(None) => h.update([0xfe]),
            Val::Int(i) => h.update(i.to_le_bytes()),
            Val::Real(f) => h.update(f.to_le_bytes()),
            Val::OptReal(Some(f)) => h.update(f.to_le_bytes()),
            Val::OptReal(None) => h.update([0xfd]),
        }
        h.update([0xff]);
    }
    hex(&h.finalize()[..12])
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

fn row(values: Vec<Val>, renamed_from: Option<String>) -> DefRow {
    let id = match &values[0] {
        Val::Text(s) => s.clone(),
        _ => String::new(),
    };
    DefRow {
        id,
        hash: hash_values(&values),
        values,
        deadline: None,
        renamed_from,
    }
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

fn owner_rows(plan: &Plan) -> Vec<DefRow> {
    plan.owners
        .iter()
        .map(|o| {
            row(
                vec![
                    Val::Text(o.id.clone()),
                    Val::Text(o.name.clone()),
                    Val::OptText(o.short.clone()),
                    Val::Text(json_list(&o.emails)),
                    Val::OptText(o.language.map(|l| l.code().to_string())),
                    Val::OptText(o.parent.clone()),
                ],
                o.renamed_from.clone(),
            )
        })
        .collect()
}

fn priority_rows(plan: &Plan) -> Vec<DefRow> {
    plan.priorities
        .iter()
        .enumerate()
        .map(|(i, p)| {
            row(
                vec![
                    Val::Text(p.id.clone()),
                    Val::Text(p.title.clone()),
                    Val::OptText(p.lead.clone()),
                    Val::Text(json_list(&p.aligned_with)),
                    Val::Int(i as i64),
                ],
                p.renamed_from.clone(),
            )
        })
        .collect()
}

fn indicator_rows(plan: &Plan) -> Vec<DefRow> {
    let mut out = Vec::new();
    for p in &plan.priorities {
        for ind in &p.indicators {
            out.push(row(
                vec![
                    Val::Text(ind.id.clone()),
                    Val::Text(p.id.clone()),
                    Val::Text(ind.title.clone()),
                    Val::OptText(ind.unit.clone()),
                    Val::OptReal(ind.baseline),
                    Val::OptReal(ind.target),
                    Val::OptText(ind.due.as_ref().map(|d| d.date.to_string())),
                    Val::OptText(ind.due.as_ref().map(|d| d.label.clone())),
                    Val::Int(out.len() as i64),
                ],
                ind.renamed_from.clone(),
            ));
        }
    }
    out
}

/// One resource as stored (JSON) for the detail views and reports.
#[derive(Serialize)]
struct ResourceJson<'r> {
    kind: &'static str,
    amount: Option<f64>,
    currency: &'r str,
    amount_plan: Option<f64>,
    funder: Option<&'r str>,
    status: &'static str,
    quantity: Option<f64>,
    unit: Option<&'r str>,
    label: Option<&'r str>,
}

/// The JSON of a task's resources, and its budget totals (planned, secured, pledged, needed).
fn resources_json(task: &Task) -> (String, [f64; 4]) {
    let mut budgets = [0.0; 4];
    let items: Vec<ResourceJson<'_>> = task
        .resources
        .iter()
        .map(|r| {
            if r.kind == ResourceKind::Budget {
                let a = r.amount_in_plan_currency.unwrap_or(0.0);
                budgets[0] += a;
                match r.status {
                    FundingStatus::Secured => budgets[1] += a,
                    FundingStatus::Pledged => budgets[2] += a,
                    FundingStatus::Needed => budgets[3] += a,
                }
            }
            ResourceJson {
                kind: r.kind.as_str(),
                amount: r.amount,
                currency: &r.currency,
                amount_plan: r.amount_in_plan_currency,
                funder: r.funder.as_deref(),
                status: r.status.as_str(),
                quantity: r.quantity,
                unit: r.unit.as_deref(),
                label: r.label.as_deref(),
            }
        })
        .collect();
    (
        serde_json::to_string(&items).unwrap_or_else(|_| "[]".into()),
        budgets,
    )
}

fn reminders_json(task: &Task) -> Option<String> {
    let o = task.reminders.as_ref()?;
    if o.off {
        return Some("\"off\"".into());
    }
    Some(
        json!({
            "before": o.before,
            "on_deadline": o.on_deadline,
            "on_start": o.on_start,
            "overdue_every": o.overdue_every,
            "escalate_after": o.escalate_after,
        })
        .to_string(),
    )
}

/// The task rows of a plan (occurrences expanded), in plan order.
fn task_rows(plan: &Plan) -> Vec<DefRow> {
    task_rows_of(plan, &plan_tasks(plan), 0)
}

/// Every task of the plan with its priority's id, in plan order.
fn plan_tasks(plan: &Plan) -> Vec<(&str, &Task)> {
    plan.priorities
        .iter()
        .flat_map(|p| p.tasks.iter().map(move |t| (p.id.as_str(), t)))
        .collect()
}

/// The rows of `tasks` (priority id, task), positions numbered from `first_position`.
fn task_rows_of(plan: &Plan, tasks: &[(&str, &Task)], first_position: usize) -> Vec<DefRow> {
    let mut out = Vec::new();
    for (priority, t) in tasks {
        let (resources, budgets) = resources_json(t);
        let owners = json_list(&t.owners);
        let partners = json_list(&t.partners);
        let depends = json_list(&t.depends_on);
        let reminders = reminders_json(t);
        // `fold("{id} {title} {description} {owners joined by spaces}")`, folded piece by piece.
        let mut search = String::with_capacity(
            t.id.len() + t.title.len() + t.description.as_ref().map_or(0, String::len) + 32,
        );
        for piece in [
            t.id.as_str(),
            t.title.as_str(),
            t.description.as_deref().unwrap_or(""),
        ] {
            fold_into(&mut search, piece);
            search.push(' ');
        }
        for (i, owner) in t.owners.iter().enumerate() {
            if i > 0 {
                search.push(' ');
            }
            fold_into(&mut search, owner);
        }
        for occ in t.occurrences(plan.start, plan.end) {
            let deadline = occ.deadline.map(|d| d.to_string());
            let renamed_from = t
                .renamed_from
                .as_ref()
                .map(|old| match occ.id.split_once('@') {
                    Some((_, date)) => format!("{old}@{date}"),
                    None => old.clone(),
                });
            let mut r = row(
                vec![
                    Val::Text(occ.id.clone()),
                    Val::Text(t.id.clone()),
                    Val::Text(priority.to_string()),
                    Val::Text(t.title.clone()),
                    Val::OptText(t.description.clone()),
                    Val::Text(owners.clone()),
                    Val::Text(partners.clone()),
                    Val::OptText(t.start.as_ref().map(|d| d.date.to_string())),
                    Val::OptText(deadline.clone()),
                    Val::Text(occ.deadline_label.clone()),
                    Val::OptText(t.repeat.map(|r| r.as_str().to_string())),
                    Val::Int(i64::from(t.milestone)),
                    Val::Text(depends.clone()),
                    Val::OptText(reminders.clone()),
                    Val::Text(resources.clone()),
                    Val::Real(budgets[0]),
                    Val::Real(budgets[1]),
                    Val::Real(budgets[2]),
                    Val::Real(budgets[3]),
                    Val::Text(search.clone()),
                    Val::Int((first_position + out.len()) as i64),
                ],
                renamed_from,
            );
            r.deadline = Some((deadline, occ.deadline_label));
            out.push(r);
        }
    }
    out
}

/// The state of one definition row in the database.
#[derive(Debug, Clone)]
struct Current {
    hash: String,
    archived: bool,
    deadline: Option<String>,
    label: String,
}

/// A deadline move: (task, old deadline, new deadline, old label, new label).
type SlipRow = (String, Option<String>, Option<String>, String, String);

/// What to do with one table.
#[derive(Default)]
struct TablePlan {
    /// Rows to insert or update (added, changed, restored).
    upserts: Vec<usize>,
    archive: Vec<String>,
    renames: Vec<Rename>,
    /// Tasks only: deadline moves (id, old deadline, new deadline, old label, new label).
    slips: Vec<SlipRow>,
}

async fn load_current(
    tx: &mut Transaction<'static, Any>,
    table: &Table,
    plan_id: &str,
) -> Result<HashMap<String, Current>, StoreError> {
    let tasks = table.name == "tasks";
    let columns = if tasks {
        "id, def_hash, archived, deadline, deadline_label"
    } else {
        "id, def_hash, archived"
    };
    let sql = format!("SELECT {columns} FROM {} WHERE plan_id = $1", table.name);
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(plan_id)
        .fetch_all(&mut **tx)
        .await?;
    let mut map = HashMap::default();
    for r in rows {
        let current = Current {
            hash: r.try_get(1)?,
            archived: r.try_get::<i64, _>(2)? != 0,
            deadline: if tasks { r.try_get(3)? } else { None },
            label: if tasks { r.try_get(4)? } else { String::new() },
        };
        map.insert(r.try_get(0)?, current);
    }
    Ok(map)
}

/// Classifies the desired rows of one table against the database, into the report.
fn classify(
    rows: &[DefRow],
    mut current: HashMap<String, Current>,
    report: &mut ApplyReport,
) -> TablePlan {
    let mut plan = TablePlan::default();
    // Renames first: the old id's row becomes the new id's, state and all.
    for r in rows {
        let Some(old) = &r.renamed_from else { continue };
        if current.contains_key(&r.id) {
            continue;
        }
        if let Some(state) = current.remove(old) {
            plan.renames.push(Rename {
                from: old.clone(),
                to: r.id.clone(),
            });
            current.insert(r.id.clone(), state);
        }
    }
    let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
    for (i, r) in rows.iter().enumerate() {
        seen.insert(&r.id);
        let renamed = plan.renames.iter().any(|x| x.to == r.id);
        match current.get(&r.id) {
            None => {
                report.added.push(r.id.clone());
                plan.upserts.push(i);
            }
            Some(c) => {
                let moved = r.deadline.as_ref().is_some_and(|(d, label)| {
                    (d != &c.deadline || label != &c.label) && !c.label.is_empty()
                });
                if c.archived {
                    report.restored.push(r.id.clone());
                } else if c.hash != r.hash {
                    if !renamed {
                        report.changed.push(r.id.clone());
                    }
                } else {
                    if !renamed {
                        report.unchanged += 1;
                    }
                    continue;
                }
                if moved {
                    if let Some((d, label)) = &r.deadline {
                        plan.slips.push((
                            r.id.clone(),
                            c.deadline.clone(),
                            d.clone(),
                            c.label.clone(),
                            label.clone(),
                        ));
                    }
                }
                plan.upserts.push(i);
            }
        }
    }
    for (id, c) in current.iter() {
        if !c.archived && !seen.contains(id.as_str()) {
            plan.archive.push(id.clone());
        }
    }
    plan.archive.sort();
    report.archived.extend(plan.archive.iter().cloned());
    report.renamed.extend(plan.renames.iter().cloned());
    plan
}

fn days_between(old: &Option<String>, new: &Option<String>) -> Option<i64> {
    let parse = |s: &Option<String>| s.as_deref().and_then(super::query::parse_day);
    Some((parse(new)? - parse(old)?).num_days())
}

/// Everything an apply will write, computed from the database inside the caller's transaction.
struct Computed {
    report: ApplyReport,
    tables: Vec<(&'static Table, Vec<DefRow>, TablePlan)>,
    previous_revision: i64,
}

async fn compute(
    tx: &mut Transaction<'static, Any>,
    plan: &Plan,
    sha: &str,
) -> Result<Option<Computed>, StoreError> {
    let existing = sqlx::query("SELECT sha256, revision FROM plans WHERE id = $1")
        .bind(&plan.id)
        .fetch_optional(&mut **tx)
        .await?;
    let previous_revision = match &existing {
        Some(r) => {
            let old_sha: String = r.try_get(0)?;
            if old_sha == sha {
                return Ok(None);
            }
            r.try_get::<i64, _>(1)?
        }
        None => 0,
    };
    let mut report = ApplyReport {
        plan: plan.id.clone(),
        ..ApplyReport::default()
    };
    let mut tables = Vec::new();
    for (table, rows) in [
        (&OWNERS, owner_rows(plan)),
        (&PRIORITIES, priority_rows(plan)),
        (&INDICATORS, indicator_rows(plan)),
        (&TASKS, task_rows(plan)),
    ] {
        let current = if existing.is_some() {
            load_current(tx, table, &plan.id).await?
        } else {
            HashMap::default()
        };
        let table_plan = classify(&rows, current, &mut report);
        tables.push((table, rows, table_plan));
    }
    for (_, _, tp) in &tables {
        for (id, old, new, old_label, new_label) in &tp.slips {
            report.slips.push((
                id.clone(),
                old_label.clone(),
                new_label.clone(),
                days_between(old, new),
            ));
        }
    }
    Ok(Some(Computed {
        report,
        tables,
        previous_revision,
    }))
}

fn bind_val(
    q: sqlx::query::Query<'static, Any, sqlx::any::AnyArguments>,
    v: Val,
) -> sqlx::query::Query<'static, Any, sqlx::any::AnyArguments> {
    match v {
        Val::Text(s) => q.bind(s),
        Val::OptText(s) => q.bind(s),
        Val::Int(i) => q.bind(i),
        Val::Real(f) => q.bind(f),
        Val::OptReal(f) => q.bind(f),
    }
}

/// `($1, $2), ($3, $4)` for PostgreSQL; `(?, ?), (?, ?)` for SQLite, whose lookup of numbered
/// parameters is linear per parameter (quadratic over a 10,000-parameter statement), while
/// anonymous ones are bound by position for free. `first` is the number of the first one.
fn placeholders(backend: Backend, first: usize, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    let mut n = first - 1;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            n += 1;
            match backend {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => {
                    s.push('$');
                    s.push_str(&n.to_string());
                }
            }
        }
        s.push(')');
    }
    s
}

/// The multi-row upsert of `rows` into `table`, bound and ready to execute. The rows' values
/// are moved into the statement, not copied.
fn upsert_query(
    backend: Backend,
    table: &Table,
    plan_id: &str,
    revision: i64,
    rows: Vec<DefRow>,
) -> sqlx::query::Query<'static, Any, sqlx::any::AnyArguments> {
    let is_tasks = table.name == "tasks";
    let mut cols: Vec<&str> = vec!["plan_id"];
    cols.extend(table.columns.iter().copied());
    cols.push("def_hash");
    cols.push("archived");
    if is_tasks {
        cols.push("created_revision");
    }
    let updates: Vec<String> = cols
        .iter()
        .filter(|c| !matches!(**c, "plan_id" | "id" | "created_revision"))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES {} ON CONFLICT (plan_id, id) DO UPDATE SET {}",
        table.name,
        cols.join(", "),
        placeholders(backend, 1, rows.len(), cols.len()),
        updates.join(", ")
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for r in rows {
        q = q.bind(plan_id.to_string());
        for v in r.values {
            q = bind_val(q, v);
        }
        q = q.bind(r.hash).bind(0i64);
        if is_tasks {
            q = q.bind(revision);
        }
    }
    q
}

/// Upserts `rows` into `table`, one multi-row statement per `BATCH` rows; `done(n)` after each.
async fn upsert_all(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    table: &Table,
    plan_id: &str,
    revision: i64,
    rows: Vec<DefRow>,
    done: &mut dyn FnMut(usize),
) -> Result<(), StoreError> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<DefRow> = rows.by_ref().take(BATCH).collect();
        let n = chunk.len();
        upsert_query(backend, table, plan_id, revision, chunk)
            .execute(&mut **tx)
            .await?;
        done(n);
    }
    Ok(())
}

async fn execute_in(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    sql_head: &str,
    plan_id: &str,
    ids: &[String],
) -> Result<(), StoreError> {
    for chunk in ids.chunks(BATCH) {
        let list = placeholders(backend, 2, 1, chunk.len());
        let sql = format!(
            "{sql_head} WHERE plan_id = {} AND id IN {list}",
            first_placeholder(backend)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(plan_id.to_string());
        for id in chunk {
            q = q.bind(id.clone());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

fn first_placeholder(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "?",
        Backend::Postgres => "$1",
    }
}

/// The SQL statements that move one id's state to another, per kind of definition.
fn rename_statements(table: &str) -> &'static [&'static str] {
    match table {
        "tasks" => &[
            "UPDATE tasks SET id = $1 WHERE plan_id = $3 AND id = $2",
            "UPDATE events SET task_id = $1 WHERE plan_id = $3 AND task_id = $2",
            "UPDATE spendings SET task_id = $1 WHERE plan_id = $3 AND task_id = $2",
            "UPDATE deadline_slips SET task_id = $1 WHERE plan_id = $3 AND task_id = $2",
        ],
        "owners" => &[
            "UPDATE owners SET id = $1 WHERE plan_id = $3 AND id = $2",
        ],
        "priorities" => &[
            "UPDATE priorities SET id = $1 WHERE plan_id = $3 AND id = $2",
            "UPDATE tasks SET priority_id = $1 WHERE plan_id = $3 AND priority_id = $2",
            "UPDATE indicators SET priority_id = $1 WHERE plan_id = $3 AND priority_id = $2",
        ],
        _ => &[
            "UPDATE indicators SET id = $1 WHERE plan_id = $3 AND id = $2",
            "UPDATE indicator_values SET indicator_id = $1 WHERE plan_id = $3 AND indicator_id = $2",
        ],
    }
}

impl Store {
    /// What `apply` would do; writes nothing.
    pub async fn diff(&self, plan: &Plan, source: &str) -> Result<ApplyReport, StoreError> {
        let sha = sha256_hex(source.as_bytes());
        let mut tx = self.pool.begin().await?;
        let computed = compute(&mut tx, plan, &sha).await?;
        tx.rollback().await?;
        Ok(match computed {
            Some(c) => c.report,
            None => unchanged_report(self, plan).await?,
        })
    }

    /// Applies a checked plan in one transaction. `progress(done, total)` is called as rows are
    /// written. The same file applied twice records nothing the second time.
    #[allow(clippy::too_many_arguments)]
    pub async fn apply(
        &self,
        plan: &Plan,
        source: &str,
        source_name: &str,
        actor: &str,
        message: Option<&str>,
        clock: &Clock,
        progress: &dyn Fn(u64, u64),
    ) -> Result<ApplyReport, StoreError> {
        let sha = sha256_hex(source.as_bytes());
        self.apply_hashed(plan, &sha, source_name, actor, message, clock, progress)
            .await
    }

    /// [`Store::apply`], given the SHA-256 of the plan's file (`sha256_hex`) instead of its text:
    /// a caller that has hashed the file already (to recognise it unchanged) does not hash its
    /// 26 MB again.
    #[allow(clippy::too_many_arguments)]
    pub async fn apply_hashed(
        &self,
        plan: &Plan,
        sha: &str,
        source_name: &str,
        actor: &str,
        message: Option<&str>,
        clock: &Clock,
        progress: &dyn Fn(u64, u64),
    ) -> Result<ApplyReport, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(computed) = compute(&mut tx, plan, sha).await? else {
            tx.rollback().await?;
            return unchanged_report(self, plan).await;
        };
        let Computed {
            mut report,
            tables,
            previous_revision,
        } = computed;
        let revision = previous_revision + 1;
        let at = clock.stamp();

        // The plan row first: the other tables refer to it.
        sqlx::query(
            "INSERT INTO plans (id, title, start_date, end_date, timezone, currency, language, secretariat, exchange_rates, source_name, sha256, revision, updated_at, policy, calendar)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, start_date = excluded.start_date, end_date = excluded.end_date,
             timezone = excluded.timezone, currency = excluded.currency, language = excluded.language, secretariat = excluded.secretariat,
             exchange_rates = excluded.exchange_rates, source_name = excluded.source_name,
             sha256 = excluded.sha256, revision = excluded.revision, updated_at = excluded.updated_at,
             policy = excluded.policy, calendar = excluded.calendar",
        )
        .bind(&plan.id)
        .bind(&plan.title)
        .bind(plan.start.to_string())
        .bind(plan.end.to_string())
        .bind(plan.timezone.name())
        .bind(&plan.currency)
        .bind(plan.language.code())
        .bind(plan.secretariat.clone())
        .bind(serde_json::to_string(&plan.exchange_rates).unwrap_or_else(|_| "{}".into()))
        .bind(source_name)
        .bind(sha)
        .bind(revision)
        .bind(&at)
        .bind(serde_json::to_string(&StoredPolicy::from_policy(&plan.reminders)).unwrap_or_default())
        .bind(serde_json::to_string(&StoredCalendar::from_calendar(&plan.calendar)).unwrap_or_default())
        .execute(&mut *tx)
        .await?;

        let total: u64 = tables
            .iter()
            .map(|(_, _, tp)| (tp.upserts.len() + tp.archive.len()) as u64)
            .sum::<u64>();
        let mut done = 0u64;
        progress(0, total);
        for (table, rows, tp) in &tables {
            for r in &tp.renames {
                for sql in rename_statements(table.name) {
                    sqlx::query(*sql)
                        .bind(&r.to)
                        .bind(&r.from)
                        .bind(&plan.id)
                        .execute(&mut *tx)
                        .await?;
                }
                if table.name == "tasks" {
                    let base = r.to.split('@').next().unwrap_or(&r.to).to_string();
                    sqlx::query("UPDATE tasks SET base_id = $1 WHERE plan_id = $2 AND id = $3")
                        .bind(base)
                        .bind(&plan.id)
                        .bind(&r.to)
                        .execute(&mut *tx)
                        .await?;
                    let data = json!({ "from": r.from, "to": r.to, "revision": revision });
                    add_event(
                        &mut tx,
                        &plan.id,
                        Some(&r.to),
                        "renamed",
                        actor,
                        &at,
                        &data,
                        None,
                    )
                    .await?;
                }
            }
            let is_tasks = table.name == "tasks";
            let upserts = tp.upserts.iter().map(|i| rows[*i].clone()).collect();
            upsert_all(
                &mut tx,
                self.backend,
                table,
                &plan.id,
                revision,
                upserts,
                &mut |n| {
                    done += n as u64;
                    progress(done, total);
                },
            )
            .await?;
            if is_tasks && !tp.slips.is_empty() {
                let first = alloc_ids(&mut tx, "slip", tp.slips.len() as i64).await?;
                for (k, (id, old, new, old_label, new_label)) in tp.slips.iter().enumerate() {
                    sqlx::query("INSERT INTO deadline_slips (id, plan_id, task_id, revision, old_deadline, new_deadline, old_label, new_label, days) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                        .bind(first + k as i64)
                        .bind(&plan.id)
                        .bind(id)
                        .bind(revision)
                        .bind(old.clone())
                        .bind(new.clone())
                        .bind(old_label)
                        .bind(new_label)
                        .bind(days_between(old, new))
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let head = format!("UPDATE {} SET archived = 1", table.name);
            execute_in(&mut tx, self.backend, &head, &plan.id, &tp.archive).await?;
            done += tp.archive.len() as u64;
            progress(done, total);
        }

        report.revision = Some(revision);
        let changes = serde_json::to_string(&report).unwrap_or_else(|_| "{}".into());
        let rev_id = alloc_ids(&mut tx, "revision", 1).await?;
        sqlx::query("INSERT INTO revisions (id, plan_id, number, actor, at, sha256, message, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(rev_id)
            .bind(&plan.id)
            .bind(revision)
            .bind(actor)
            .bind(&at)
            .bind(sha)
            .bind(message)
            .bind(changes)
            .execute(&mut *tx)
            .await?;
        let data = json!({
            "revision": revision,
            "sha256": sha,
            "source": source_name,
            "added": report.added.len(),
            "changed": report.changed.len(),
            "archived": report.archived.len(),
            "restored": report.restored.len(),
            "renamed": report.renamed.len(),
        });
        add_event(
            &mut tx, &plan.id, None, "revision", actor, &at, &data, message,
        )
        .await?;
        tx.commit().await?;
        // The query planner's statistics follow the number of tasks: without them SQLite takes
        // `plan_id = ?` for a selective condition and reads a whole plan through an index, one
        // row lookup at a time, instead of scanning the table. Recorded work is already safe.
        if !(report.added.is_empty() && report.archived.is_empty() && report.restored.is_empty()) {
            sqlx::query("ANALYZE tasks").execute(&self.pool).await?;
        }
        Ok(report)
    }
}

impl Store {
    /// When a file with this SHA-256 is the one last applied to some plan, the report of applying
    /// it again (nothing to do), without reading the file: re-applying is then instant.
    pub async fn already_applied(&self, sha: &str) -> Result<Option<ApplyReport>, StoreError> {
        let row = sqlx::query("SELECT id FROM plans WHERE sha256 = $1")
            .bind(sha)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let id: String = r.try_get(0)?;
                Ok(Some(unchanged_report_for(self, &id).await?))
            }
        }
    }
}

/// The report of an apply that changes nothing: every definition row is unchanged.
async fn unchanged_report(store: &Store, plan: &Plan) -> Result<ApplyReport, StoreError> {
    unchanged_report_for(store, &plan.id).await
}

async fn unchanged_report_for(store: &Store, plan_id: &str) -> Result<ApplyReport, StoreError> {
    let mut unchanged = 0usize;
    for table in ["owners", "priorities", "indicators", "tasks"] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE plan_id = $1 AND archived = 0");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(plan_id)
            .fetch_one(&store.pool)
            .await?;
        unchanged += row.try_get::<i64, _>(0)? as usize;
    }
    Ok(ApplyReport {
        plan: plan_id.to_string(),
        unchanged,
        ..ApplyReport::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_rows_hold_every_occurrence_with_its_tasks_texts() {
        let mut src = String::from(
            "version: 1\nplan:\n  id: p\n  title: P\n  period: { start: 2025-01-01, end: 2027-12-31 }\nowners:\n  - { id: st, name: ST, email: st@example.ml }\n  - { id: dgme, name: DGME, email: dgme@example.ml }\npriorities:\n",
        );
        for p in 0..3 {
            src.push_str(&format!(
                "  - id: axe-{p}\n    title: Axe {p}\n    tasks:\n"
            ));
            for i in 0..1_500 {
                // Every seventh task recurs.
                let when = if i % 7 == 0 {
                    "deadline: 2025-03-31, repeat: quarterly".to_string()
                } else {
                    format!("deadline: T{} 2026", i % 4 + 1)
                };
                // Some co-led, some described (capitals and accents: the search text folds them).
                let more = match i % 3 {
                    0 => "owner: [st, dgme], description: \"Élaborer l'ÉTAT des lieux à Kayes\"",
                    1 => "owner: st",
                    _ => "owner: dgme, description: Former LES agents",
                };
                src.push_str(&format!(
                    "      - {{ id: t{p}-{i}, title: Tâche {i}, {more}, {when} }}\n"
                ));
            }
        }
        let checked = crate::plan::check_source(&src, "p.yaml", crate::Lang::Fr);
        let plan = checked.plan.expect("valid plan");
        let all = plan_tasks(&plan);
        let sequential = task_rows(&plan);
        assert!(sequential.len() > all.len(), "occurrences expanded");
        let base = |r: &DefRow| match &r.values[1] {
            Val::Text(base) => base.clone(),
            other => panic!("base id expected, found {other:?}"),
        };
        let positions: Vec<i64> = sequential
            .iter()
            .map(|r| match r.values[20] {
                Val::Int(p) => p,
                _ => panic!("position expected"),
            })
            .collect();
        assert!(
            positions.iter().copied().eq(0..positions.len() as i64),
            "in plan order"
        );
        // The search text is folded piece by piece as it was folded whole (the rows' hashes,
        // and so what a re-apply finds changed, depend on it).
        let expected: std::collections::HashMap<&str, String> = all
            .iter()
            .map(|(_, t)| {
                let text = format!(
                    "{} {} {} {}",
                    t.id,
                    t.title,
                    t.description.as_deref().unwrap_or(""),
                    t.owners.join(" ")
                );
                (t.id.as_str(), crate::text::fold(&text))
            })
            .collect();
        let owners: std::collections::HashMap<&str, String> = all
            .iter()
            .map(|(_, t)| (t.id.as_str(), json_list(&t.owners)))
            .collect();
        for r in &sequential {
            let Val::Text(search) = &r.values[19] else {
                panic!("search text expected");
            };
            assert_eq!(Some(search), expected.get(base(r).as_str()), "{}", r.id);
            // Every row of a recurring task holds the task's texts, not only its last one.
            let Val::Text(listed) = &r.values[5] else {
                panic!("owners expected");
            };
            assert_eq!(Some(listed), owners.get(base(r).as_str()), "{}", r.id);
        }
    }
}
