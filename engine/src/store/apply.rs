//! `plan diff` and `plan apply`: a checked plan becomes rows, like a reviewed change.
//!
//! Both commands compute the same report from the same code (`compute`), inside the write lock
//! for apply, so what `diff` shows is what `apply` then does. The plan file only defines tasks;
//! execution state (status, progress, notes, spending, history) lives in other columns and tables
//! that an apply never touches, except to carry them along a `renamed_from`. Nothing is deleted:
//! what disappears from the file is archived and comes back if its id does.

use super::{add_event, agg, alloc_ids, Backend, Store, StoreError};
use crate::clock::Clock;
use crate::plan::model::{FundingStatus, Plan, ResourceKind, Task};
use crate::remind::{StoredCalendar, StoredPolicy};
use crate::text::fold_into;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

/// Rows per multi-row INSERT: well under both databases' parameter limits.
const BATCH: usize = 400;

/// Task rows from which a first apply builds its indexes after the rows (see
/// `drop_indexes_for_bulk`): as many as make a first apply write through a rollback journal,
/// whose index builds are sorted on two threads.
const BULK_ROWS: usize = JOURNAL_TASKS;

/// Tasks from which a first apply into a database without tasks writes through a rollback
/// journal (see `Store::first_bulk_journal`).
const JOURNAL_TASKS: usize = 5_000;

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

/// The task rows of a plan (occurrences expanded), in plan order. A large plan is computed in
/// two halves on two threads (a first apply of 100,000 tasks spends 0.37 s here); the second
/// half's positions start after the first half's occurrences.
fn task_rows(plan: &Plan) -> Vec<DefRow> {
    let tasks = plan_tasks(plan);
    if tasks.len() < 4_000 {
        return task_rows_of(plan, &tasks, 0);
    }
    let (first, second) = tasks.split_at(tasks.len() / 2);
    let offset: usize = first
        .iter()
        .map(|(_, t)| {
            if t.repeat.is_none() {
                1
            } else {
                t.occurrences(plan.end).len()
            }
        })
        .sum();
    std::thread::scope(|scope| {
        let later = scope.spawn(|| task_rows_of(plan, second, offset));
        let mut rows = task_rows_of(plan, first, 0);
        match later.join() {
            Ok(more) => rows.extend(more),
            Err(_) => rows.extend(task_rows_of(plan, second, offset)),
        }
        rows
    })
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
        for occ in t.occurrences(plan.end) {
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
    // One aggregated value instead of one row per task (see `agg`).
    let mut fields = vec!["id", "def_hash", "CAST(archived AS TEXT)"];
    if table.name == "tasks" {
        fields.extend(["COALESCE(deadline, '')", "deadline_label"]);
    }
    let columns = fields.len();
    let sql = format!(
        "SELECT {} FROM {} WHERE plan_id = $1",
        agg::aggregate(&fields, None),
        table.name
    );
    let all: Option<String> = sqlx::query(AssertSqlSafe(sql))
        .bind(plan_id)
        .bind(agg::FIELD)
        .bind(agg::ROW)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    let mut map = HashMap::default();
    for f in agg::rows(all.as_deref()) {
        if f.len() != columns {
            return Err(StoreError::Sql(format!("unreadable {} row", table.name)));
        }
        let current = Current {
            hash: f[1].to_string(),
            archived: f[2] == "1",
            deadline: f.get(3).filter(|d| !d.is_empty()).map(|d| d.to_string()),
            label: f.get(4).map(|l| l.to_string()).unwrap_or_default(),
        };
        map.insert(f[0].to_string(), current);
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
    /// A new plan's task rows, left to `NewTaskRows` (none in `tables`).
    new_task_rows: usize,
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
    let new_plan = existing.is_none();
    for (table, rows) in [
        (&OWNERS, owner_rows(plan)),
        (&PRIORITIES, priority_rows(plan)),
        (&INDICATORS, indicator_rows(plan)),
        // A new plan's task rows are all added: made later, while the upserts write them.
        (
            &TASKS,
            if new_plan {
                Vec::new()
            } else {
                task_rows(plan)
            },
        ),
    ] {
        let current = if existing.is_some() {
            load_current(tx, table, &plan.id).await?
        } else {
            HashMap::default()
        };
        let table_plan = classify(&rows, current, &mut report);
        tables.push((table, rows, table_plan));
    }
    let before = report.added.len();
    if new_plan {
        for (_, t) in plan_tasks(plan) {
            report
                .added
                .extend(t.occurrences(plan.end).into_iter().map(|o| o.id));
        }
    }
    let new_task_rows = report.added.len() - before;
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
        new_task_rows,
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

/// Upserts the rows that `chunks` yields (at most `BATCH` each), one multi-row statement per
/// chunk; each chunk is made and bound while the database executes the one before (the two run
/// on different threads). `done(n)` after each.
#[allow(clippy::too_many_arguments)]
async fn upsert_all(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    table: &Table,
    plan_id: &str,
    revision: i64,
    mut chunks: impl Iterator<Item = Vec<DefRow>>,
    done: &mut dyn FnMut(usize),
) -> Result<(), StoreError> {
    let mut bound = |chunk: Vec<DefRow>| {
        (
            chunk.len(),
            upsert_query(backend, table, plan_id, revision, chunk),
        )
    };
    let mut next = chunks.next().map(&mut bound);
    while let Some((n, q)) = next.take() {
        let build = async { chunks.next().map(&mut bound) };
        // Polled in order: the statement goes to the database, then the next one is made.
        let (result, built) = futures_util::future::join(q.execute(&mut **tx), build).await;
        result?;
        done(n);
        next = built;
    }
    Ok(())
}

/// The task rows of a new plan, made `BATCH` at a time as the upserts ask for them (the same
/// rows as [`task_rows`]): a first apply computes them while the database writes the previous
/// ones, instead of all of them before the first write.
///
/// They come in the order of their tasks' ids, each with its position in the plan: the table's
/// key `(plan_id, id)` then grows at its end, where rows in plan order (`a1`, `a2`, ... `a10`
/// sorts between `a1` and `a2`) were inserted all over it (SQLite, 100,000 tasks: 270-300 ms of
/// inserts became 143 ms in a C harness on the bundled SQLite; the whole apply's CPU time,
/// three alternated runs, 2.26-2.40 s → 2.10-2.29 s). Nothing reads the rows in the order they
/// were written: lists are ordered by deadline and position.
struct NewTaskRows<'p> {
    plan: &'p Plan,
    /// The plan's tasks in id order, each with the position of its first row.
    tasks: Vec<(&'p str, &'p Task, usize)>,
    next_task: usize,
    pending: std::collections::VecDeque<DefRow>,
}

impl<'p> NewTaskRows<'p> {
    fn new(plan: &'p Plan) -> Self {
        let mut position = 0;
        let mut tasks: Vec<(&str, &Task, usize)> = plan_tasks(plan)
            .into_iter()
            .map(|(priority, t)| {
                let first = position;
                position += if t.repeat.is_none() {
                    1
                } else {
                    t.occurrences(plan.end).len()
                };
                (priority, t, first)
            })
            .collect();
        tasks.sort_unstable_by(|a, b| a.1.id.cmp(&b.1.id));
        NewTaskRows {
            plan,
            tasks,
            next_task: 0,
            pending: Default::default(),
        }
    }
}

impl Iterator for NewTaskRows<'_> {
    type Item = Vec<DefRow>;

    fn next(&mut self) -> Option<Vec<DefRow>> {
        while self.pending.len() < BATCH && self.next_task < self.tasks.len() {
            let (priority, task, position) = self.tasks[self.next_task];
            self.pending
                .extend(task_rows_of(self.plan, &[(priority, task)], position));
            self.next_task += 1;
        }
        let n = self.pending.len().min(BATCH);
        (n > 0).then(|| self.pending.drain(..n).collect())
    }
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

/// On SQLite, when an apply writes more task rows than the table holds and at least
/// `BULK_ROWS` of them (a first apply of a large plan), the secondary indexes of `tasks` are
/// dropped inside the transaction and returned as their `CREATE INDEX` statements, run once the
/// rows are in: building an index from sorted keys beats inserting 100,000 keys at random places
/// (measured at 100,000 tasks: 1.72 s of inserts become 0.78 s plus 0.40 s of index builds;
/// at 10,000 tasks, since the builds are sorted on two threads, the whole apply 420 → 370 ms,
/// at 6,000 240 → 226 ms, medians of 9 interleaved runs; no difference at 3,000 and below).
/// Readers (WAL) keep the last commit's indexes; a failure rolls the drop back. PostgreSQL keeps
/// its indexes: dropping one there would lock readers out for the whole apply.
async fn drop_indexes_for_bulk(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    writes: usize,
) -> Result<Vec<String>, StoreError> {
    if backend != Backend::Sqlite || writes < BULK_ROWS {
        return Ok(Vec::new());
    }
    let existing: i64 = sqlx::query("SELECT COUNT(*) FROM tasks")
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    if usize::try_from(existing).unwrap_or(usize::MAX) >= writes {
        return Ok(Vec::new());
    }
    let indexes = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' AND sql IS NOT NULL ORDER BY name",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut rebuild = Vec::new();
    for r in indexes {
        let name: String = r.try_get(0)?;
        rebuild.push(r.try_get::<String, _>(1)?);
        sqlx::query(AssertSqlSafe(format!("DROP INDEX \"{name}\"")))
            .execute(&mut **tx)
            .await?;
    }
    Ok(rebuild)
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
        let journal = self.first_bulk_journal(plan).await?;
        if journal {
            // Its indexes are built after its rows (see `drop_indexes_for_bulk`) by SQLite's
            // sorter, on two threads in runs spilled to temporary files: with the temporary
            // store in memory it sorts each index whole on one thread (100,000 tasks: 370 ms of
            // index builds became 285 ms, alternated runs). Set before the transaction: SQLite
            // refuses to change it inside one. Should it refuse here, the indexes are built as
            // before, only slower.
            if let Err(e) = sqlx::query("PRAGMA temp_store = FILE; PRAGMA threads = 2")
                .execute(&self.pool)
                .await
            {
                tracing::warn!(error = %e, "index builds on one thread");
            }
        }
        let result = self
            .apply_transaction(plan, sha, source_name, actor, message, clock, progress)
            .await;
        if journal {
            // Back to the connection's settings (see `Store::open`).
            if let Err(e) = sqlx::query("PRAGMA temp_store = MEMORY; PRAGMA threads = 0")
                .execute(&self.pool)
                .await
            {
                tracing::warn!(error = %e, "temporary store left on file");
            }
            // Back to WAL, whether the apply succeeded or not. Should another process have
            // opened the file meanwhile, the switch waits for it or fails; the file then stays
            // in rollback mode, as safe, until the next connection sets WAL (every connection
            // does, see `Store::open`).
            if let Err(e) = sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&self.pool)
                .await
            {
                tracing::warn!(error = %e, "journal mode left as it was");
            }
        }
        result
    }

    /// On SQLite, a first apply of a large plan (at least `JOURNAL_TASKS` tasks) into a database
    /// that holds no task yet is written through a rollback journal instead of the WAL: the new
    /// pages are written once into the file, where WAL wrote them into the log, copied them into
    /// the file at the checkpoint and then deleted a log as large as the database (100,000
    /// tasks: commit 180 → 75 ms, the log's deletion at close 23 ms; the whole apply 1.78 → 1.64
    /// s, and at 10,000 tasks 183 → 172 ms, interleaved medians). The journal only holds
    /// the few pages the database had, and a kill rolls them back like the WAL would. Readers
    /// read the previous state meanwhile, as with WAL, but wait while the commit writes (a
    /// rollback journal's commit excludes them): a new database has nothing worth reading yet.
    /// Returns whether the mode was switched (SQLite refuses while another connection has the
    /// file open: the apply then runs in WAL as usual).
    async fn first_bulk_journal(&self, plan: &Plan) -> Result<bool, StoreError> {
        let tasks: usize = plan.priorities.iter().map(|p| p.tasks.len()).sum();
        if self.backend != Backend::Sqlite || tasks < JOURNAL_TASKS {
            return Ok(false);
        }
        let any: i64 = sqlx::query("SELECT EXISTS (SELECT 1 FROM tasks)")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        if any != 0 {
            return Ok(false);
        }
        // Another connection on the file: SQLite refuses at once, "database is locked".
        match sqlx::query("PRAGMA journal_mode = DELETE")
            .fetch_one(&self.pool)
            .await
        {
            Ok(row) => Ok(row.try_get::<String, _>(0)?.eq_ignore_ascii_case("delete")),
            Err(e) if super::is_busy(&e) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The transaction of [`Store::apply_hashed`].
    #[allow(clippy::too_many_arguments)]
    async fn apply_transaction(
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
        // A large page cache while this apply writes (pages written twice stay in memory);
        // back to the reading size before it commits.
        self.write_cache(&mut *tx, true).await?;
        let Computed {
            mut report,
            tables,
            new_task_rows,
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
            .sum::<u64>()
            + new_task_rows as u64;
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
            let rebuilt = if is_tasks {
                let writes = tp.upserts.len() + new_task_rows;
                drop_indexes_for_bulk(&mut tx, self.backend, writes).await?
            } else {
                Vec::new()
            };
            let chunks: Box<dyn Iterator<Item = Vec<DefRow>>> = if is_tasks && new_task_rows > 0 {
                Box::new(NewTaskRows::new(plan))
            } else {
                Box::new(
                    tp.upserts
                        .chunks(BATCH)
                        .map(|c| c.iter().map(|i| rows[*i].clone()).collect()),
                )
            };
            upsert_all(
                &mut tx,
                self.backend,
                table,
                &plan.id,
                revision,
                chunks,
                &mut |n| {
                    done += n as u64;
                    progress(done, total);
                },
            )
            .await?;
            if !rebuilt.is_empty() {
                // The sorter's runs are as large as the page cache: 2 MB runs, sorted on the
                // threads set by `apply_hashed` (with the 64 MB write cache, each index was one
                // run sorted on one thread). Pages beyond the smaller cache are written to the
                // file before the commit instead of at it; a failure still rolls them back.
                sqlx::query("PRAGMA cache_size = -2000")
                    .execute(&mut *tx)
                    .await?;
                for sql in rebuilt {
                    sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
                }
                self.write_cache(&mut *tx, true).await?;
            }
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
        // The reading size again, on this transaction's connection (the one the pool lends):
        // shrinking drops clean pages only; the commit then writes the dirty ones.
        self.write_cache(&mut *tx, false).await?;
        tx.commit().await?;
        crate::drop_later(tables);
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
    fn rows_computed_on_two_threads_are_the_rows_computed_on_one() {
        let mut src = String::from(
            "version: 1\nplan:\n  id: p\n  title: P\n  period: { start: 2025-01-01, end: 2027-12-31 }\nowners:\n  - { id: st, name: ST, email: st@example.ml }\n  - { id: dgme, name: DGME, email: dgme@example.ml }\npriorities:\n",
        );
        for p in 0..3 {
            src.push_str(&format!(
                "  - id: axe-{p}\n    title: Axe {p}\n    tasks:\n"
            ));
            for i in 0..1_500 {
                // Every seventh task recurs, so the halves hold different numbers of rows.
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
        assert!(all.len() >= 4_000, "large enough for two threads");
        let parallel = task_rows(&plan);
        let sequential = task_rows_of(&plan, &all, 0);
        assert!(parallel.len() > all.len(), "occurrences expanded");
        assert_eq!(parallel, sequential);
        // A new plan's rows, made a statement at a time: the same rows, none over `BATCH`.
        // In the order of their tasks' ids (a task's occurrences together), with their positions
        // in the plan.
        let chunks: Vec<Vec<DefRow>> = NewTaskRows::new(&plan).collect();
        assert!(chunks.iter().all(|c| !c.is_empty() && c.len() <= BATCH));
        let mut made = chunks.concat();
        let base = |r: &DefRow| match &r.values[1] {
            Val::Text(base) => base.clone(),
            other => panic!("base id expected, found {other:?}"),
        };
        let bases: Vec<String> = made.iter().map(base).collect();
        assert!(bases.windows(2).all(|w| w[0] <= w[1]), "in task id order");
        assert_ne!(bases, sequential.iter().map(base).collect::<Vec<_>>());
        let position = |r: &DefRow| match r.values[20] {
            Val::Int(p) => p,
            _ => panic!("position expected"),
        };
        made.sort_by_key(position);
        assert_eq!(made, sequential);
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
