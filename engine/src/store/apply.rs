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
use crate::records::{
    ChangeByRevision, Event, ItemEvent, RevisionEvent, StoredCalendar, StoredPolicy,
};
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

/// One changed field of an item: its old and new values as the file wrote them (`days`: the
/// slip of a deadline move, when both ends are dates).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    #[serde(skip)]
    pub field: &'static str,
    pub from: serde_json::Value,
    pub to: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
}

/// The changed fields of one item (`kind`: `plan`, `owner`, `priority`, `indicator`, `task`).
/// An added task has its deadline, owners and budget here, each `from` null (`added`).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemChanges {
    pub id: String,
    pub kind: &'static str,
    pub fields: Vec<FieldChange>,
    pub added: bool,
}

/// Field-level changes, in plan order; serialised as `{ID: {FIELD: {"from", "to"}}}`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Changes(pub Vec<ItemChanges>);

impl Changes {
    pub fn get(&self, id: &str) -> Option<&ItemChanges> {
        self.0.iter().find(|c| c.id == id)
    }
}

impl Serialize for Changes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Fields<'a>(&'a [FieldChange]);
        impl Serialize for Fields<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for f in self.0 {
                    m.serialize_entry(f.field, f)?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for item in &self.0 {
            m.serialize_entry(&item.id, &Fields(&item.fields))?;
        }
        m.end()
    }
}

/// Something an apply does that the author may not expect; the plan is applied all the same.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplyWarning {
    /// `renamed-from-unknown`: `renamed_from` names nothing in the database, current or
    /// archived. `archived-with-state`: a task missing from the file is archived while it holds
    /// a status other than `todo`, progress or spending (`held`).
    pub code: &'static str,
    /// `owner`, `priority`, `indicator` or `task`.
    pub kind: &'static str,
    pub id: String,
    /// `renamed-from-unknown`: the former id the file names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// `archived-with-state`: what the archived task holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held: Option<Held>,
    /// `archived-with-state`: an added task with the same title, which may be the same task
    /// under a new id (then `renamed_from` keeps its state).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_title: Option<String>,
}

/// What a task holds beyond its definition: its status, progress and spending (in the plan
/// currency, cancelled entries left out).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Held {
    pub status: crate::workflow::Status,
    pub progress: i64,
    pub spent: f64,
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
    /// Items whose only change is their position in the file (not in `changed`).
    pub reordered: usize,
    /// Field by field, for each changed, restored or renamed item whose definition changed, for
    /// the plan itself (under its id), and for each task added to a plan already applied (its
    /// deadline, owners and budget).
    pub changes: Changes,
    pub warnings: Vec<ApplyWarning>,
    /// The plan currency, in which `changes`' budgets are; shown, not in the JSON.
    #[serde(skip)]
    pub currency: String,
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
            && self.reordered == 0
            && self.changes.0.is_empty()
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
    /// What one row is, for the report: `owner`, `priority`, `indicator`, `task`.
    kind: &'static str,
    columns: &'static [&'static str],
}

const OWNERS: Table = Table {
    name: "owners",
    kind: "owner",
    columns: &["id", "name", "short", "emails", "language", "parent"],
};
const PRIORITIES: Table = Table {
    name: "priorities",
    kind: "priority",
    columns: &["id", "title", "lead", "aligned_with", "position"],
};
const INDICATORS: Table = Table {
    name: "indicators",
    kind: "indicator",
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
    kind: "task",
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
    restored: Vec<String>,
    renames: Vec<Rename>,
    /// Tasks only: deadline moves (id, old deadline, new deadline, old label, new label).
    slips: Vec<SlipRow>,
    /// Rows whose definition differs from the database's: (row index, id in the database).
    compare: Vec<(usize, String)>,
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
    table: &Table,
    rows: &[DefRow],
    mut current: HashMap<String, Current>,
    report: &mut ApplyReport,
) -> TablePlan {
    let mut plan = TablePlan::default();
    // Renames first: the old id's row becomes the new id's, state and all.
    let mut unmatched: Vec<&DefRow> = Vec::new();
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
        } else {
            unmatched.push(r);
        }
    }
    if !unmatched.is_empty() {
        // An occurrence's former id may be missing while its task's is there (other dates):
        // `renamed_from` names nothing only when no row of that former task exists.
        let base = |id: &str| id.split('@').next().unwrap_or(id).to_string();
        let mut known: rustc_hash::FxHashSet<String> = current.keys().map(|k| base(k)).collect();
        known.extend(plan.renames.iter().map(|x| base(&x.from)));
        let mut warned: rustc_hash::FxHashSet<String> = Default::default();
        for r in unmatched {
            let (id, old) = (base(&r.id), base(r.renamed_from.as_deref().unwrap_or("")));
            if !known.contains(&old) && warned.insert(id.clone()) {
                report.warnings.push(ApplyWarning {
                    code: "renamed-from-unknown",
                    kind: table.kind,
                    id,
                    renamed_from: Some(old),
                    held: None,
                    same_title: None,
                });
            }
        }
    }
    let renamed_from: HashMap<&str, &str> = plan
        .renames
        .iter()
        .map(|x| (x.to.as_str(), x.from.as_str()))
        .collect();
    let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
    for (i, r) in rows.iter().enumerate() {
        seen.insert(&r.id);
        let renamed = renamed_from.get(r.id.as_str()).copied();
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
                    plan.restored.push(r.id.clone());
                } else if c.hash != r.hash {
                    if renamed.is_none() {
                        report.changed.push(r.id.clone());
                    }
                } else {
                    if renamed.is_none() {
                        report.unchanged += 1;
                    }
                    continue;
                }
                if c.hash != r.hash {
                    plan.compare
                        .push((i, renamed.unwrap_or(r.id.as_str()).to_string()));
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

/// The definition columns of the rows `ids` as the database holds them, read with the types of
/// `template` (a row of the same table).
async fn load_definitions(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    table: &Table,
    plan_id: &str,
    template: &DefRow,
    ids: &[String],
) -> Result<HashMap<String, Vec<Val>>, StoreError> {
    let mut out = HashMap::default();
    for chunk in ids.chunks(BATCH) {
        let sql = format!(
            "SELECT {} FROM {} WHERE plan_id = {} AND id IN {}",
            table.columns.join(", "),
            table.name,
            first_placeholder(backend),
            placeholders(backend, 2, 1, chunk.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(plan_id.to_string());
        for id in chunk {
            q = q.bind(id.clone());
        }
        for r in q.fetch_all(&mut **tx).await? {
            let mut values = Vec::with_capacity(template.values.len());
            for (k, v) in template.values.iter().enumerate() {
                values.push(match v {
                    Val::Text(_) => Val::Text(r.try_get(k)?),
                    Val::OptText(_) => Val::OptText(r.try_get(k)?),
                    Val::Int(_) => Val::Int(r.try_get(k)?),
                    Val::Real(_) => Val::Real(r.try_get(k)?),
                    Val::OptReal(_) => Val::OptReal(r.try_get(k)?),
                });
            }
            out.insert(r.try_get(0)?, values);
        }
    }
    Ok(out)
}

/// The field of the file a definition column holds, if the author wrote it.
fn field_of(column: &str) -> Option<&'static str> {
    Some(match column {
        "priority_id" => "priority",
        "title" => "title",
        "description" => "description",
        "owners" => "owners",
        "partners" => "partners",
        "start_date" => "start",
        "deadline_label" => "deadline",
        "due_label" => "due",
        "repeat_every" => "repeat",
        "milestone" => "milestone",
        "depends_on" => "depends_on",
        "reminders" => "reminders",
        "resources" => "resources",
        "budget_planned" => "budget",
        "position" => "position",
        "name" => "name",
        "short" => "short",
        "emails" => "email",
        "language" => "language",
        "parent" => "parent",
        "lead" => "lead",
        "aligned_with" => "aligned_with",
        "unit" => "unit",
        "baseline" => "baseline",
        "target" => "target",
        _ => return None,
    })
}

/// A stored value as the report shows it: lists and structures as JSON, milestones as booleans,
/// positions counted from 1, resources without their converted amounts.
fn shown(column: &str, v: &Val) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Val::Text(s) | Val::OptText(Some(s)) => match column {
            "owners" | "partners" | "depends_on" | "emails" | "aligned_with" | "reminders" => {
                serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone()))
            }
            "resources" => {
                let mut items: Value = serde_json::from_str(s).unwrap_or_default();
                if let Some(list) = items.as_array_mut() {
                    for item in list {
                        if let Some(o) = item.as_object_mut() {
                            o.remove("amount_plan");
                            o.retain(|_, v| !v.is_null());
                            for v in o.values_mut() {
                                if let Some(f) = v.as_f64() {
                                    *v = number(f);
                                }
                            }
                        }
                    }
                }
                items
            }
            _ => Value::String(s.clone()),
        },
        Val::OptText(None) | Val::OptReal(None) => Value::Null,
        Val::Int(i) => match column {
            "milestone" => Value::Bool(*i != 0),
            "position" => Value::from(i + 1),
            _ => Value::from(*i),
        },
        Val::Real(f) | Val::OptReal(Some(f)) => number(*f),
    }
}

/// A whole number as an integer (`45000000`, not `45000000.0`), any other as it is.
fn number(f: f64) -> serde_json::Value {
    if f.fract() == 0.0 && f.abs() < 9e15 {
        serde_json::Value::from(f as i64)
    } else {
        serde_json::Value::from(f)
    }
}

/// The fields of one row that differ between the database (`old`) and the file (`new`).
fn field_changes(table: &Table, old: &[Val], new: &DefRow) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (k, column) in table.columns.iter().enumerate() {
        let (Some(field), Some(before), Some(after)) =
            (field_of(column), old.get(k), new.values.get(k))
        else {
            continue;
        };
        // A deadline is its date and its label: either moving is a change, shown as written.
        let dated = matches!(*column, "deadline_label" | "due_label");
        let date_moved = dated && k > 0 && old.get(k - 1) != new.values.get(k - 1);
        if before == after && !date_moved {
            continue;
        }
        let days = if dated {
            let day = |v: Option<&Val>| match v {
                Some(Val::OptText(d)) => d.clone(),
                _ => None,
            };
            days_between(&day(old.get(k - 1)), &day(new.values.get(k - 1)))
        } else {
            None
        };
        out.push(FieldChange {
            field,
            from: shown(column, before),
            to: shown(column, after),
            days,
        });
    }
    out
}

fn days_between(old: &Option<String>, new: &Option<String>) -> Option<i64> {
    let parse = |s: &Option<String>| s.as_deref().and_then(super::query::parse_day);
    Some((parse(new)? - parse(old)?).num_days())
}

/// The deadline, owners and budget of each task `rows` adds, as `changes` from nothing.
fn added_changes(rows: &[DefRow], report: &mut ApplyReport) {
    let added: rustc_hash::FxHashSet<&str> = report.added.iter().map(String::as_str).collect();
    let column = |name: &str| TASKS.columns.iter().position(|c| *c == name);
    let shown_columns: Vec<(usize, &'static str, &'static str)> =
        ["deadline_label", "owners", "budget_planned"]
            .into_iter()
            .filter_map(|c| Some((column(c)?, c, field_of(c)?)))
            .collect();
    let mut items = Vec::new();
    for r in rows.iter().filter(|r| added.contains(r.id.as_str())) {
        let fields = shown_columns
            .iter()
            .filter_map(|(k, column, field)| {
                Some(FieldChange {
                    field,
                    from: serde_json::Value::Null,
                    to: shown(column, r.values.get(*k)?),
                    days: None,
                })
            })
            .collect();
        items.push(ItemChanges {
            id: r.id.clone(),
            kind: "task",
            fields,
            added: true,
        });
    }
    report.changes.0.extend(items);
}

/// A warning for each task the file no longer has that holds something (a status other than
/// `todo`, progress, spending), with an added task of the same title if there is one (then the
/// author probably meant `renamed_from`).
async fn archive_warnings(
    tx: &mut Transaction<'static, Any>,
    plan_id: &str,
    rows: &[DefRow],
    tp: &TablePlan,
    report: &ApplyReport,
) -> Result<Vec<ApplyWarning>, StoreError> {
    let archived: rustc_hash::FxHashSet<&str> = tp.archive.iter().map(String::as_str).collect();
    let mut spent: HashMap<String, f64> = HashMap::default();
    for r in sqlx::query("SELECT task_id, CAST(SUM(amount_plan) AS DOUBLE PRECISION) FROM spendings WHERE plan_id = $1 AND cancelled = 0 GROUP BY task_id")
        .bind(plan_id)
        .fetch_all(&mut **tx)
        .await?
    {
        let id: String = r.try_get(0)?;
        if archived.contains(id.as_str()) {
            spent.insert(id, r.try_get::<Option<f64>, _>(1)?.unwrap_or(0.0));
        }
    }
    let mut holding = Vec::new();
    for r in sqlx::query("SELECT id, status, progress, title FROM tasks WHERE plan_id = $1 AND archived = 0 AND (status <> 'todo' OR progress > 0) ORDER BY id")
        .bind(plan_id)
        .fetch_all(&mut **tx)
        .await?
    {
        let id: String = r.try_get(0)?;
        if archived.contains(id.as_str()) {
            let status = r.try_get::<String, _>(1)?.parse().unwrap_or(crate::workflow::Status::Todo);
            holding.push((id, status, r.try_get::<i64, _>(2)?, r.try_get::<String, _>(3)?));
        }
    }
    let only_spent: Vec<String> = spent
        .keys()
        .filter(|id| !holding.iter().any(|(h, ..)| h == *id))
        .cloned()
        .collect();
    for id in only_spent {
        let r = sqlx::query("SELECT title FROM tasks WHERE plan_id = $1 AND id = $2")
            .bind(plan_id)
            .bind(&id)
            .fetch_one(&mut **tx)
            .await?;
        holding.push((id, crate::workflow::Status::Todo, 0, r.try_get(0)?));
    }
    holding.sort_by(|a, b| a.0.cmp(&b.0));
    // Added tasks by folded title, occurrences under their task's id.
    let base = |id: &str| id.split('@').next().unwrap_or(id).to_string();
    let title_at = TASKS.columns.iter().position(|c| *c == "title");
    let added: rustc_hash::FxHashSet<&str> = report.added.iter().map(String::as_str).collect();
    let mut by_title: HashMap<String, String> = HashMap::default();
    for r in rows.iter().filter(|r| added.contains(r.id.as_str())) {
        if let Some(Val::Text(title)) = title_at.and_then(|k| r.values.get(k)) {
            by_title
                .entry(crate::text::fold(title.trim()))
                .or_insert_with(|| base(&r.id));
        }
    }
    Ok(holding
        .into_iter()
        .map(|(id, status, progress, title)| ApplyWarning {
            code: "archived-with-state",
            kind: "task",
            held: Some(Held {
                status,
                progress,
                spent: spent.get(&id).copied().unwrap_or(0.0),
            }),
            same_title: by_title.get(&crate::text::fold(title.trim())).cloned(),
            renamed_from: None,
            id,
        })
        .collect())
}

/// Everything an apply will write, computed from the database inside the caller's transaction.
struct Computed {
    report: ApplyReport,
    tables: Vec<(&'static Table, Vec<DefRow>, TablePlan)>,
    previous_revision: i64,
}

/// The plan's own fields as stored (`plans` row): title, period, time zone, currency, language,
/// secretariat, exchange rates, reminder policy and calendar, as JSON values.
fn plan_fields(plan: &Plan) -> Vec<(&'static str, serde_json::Value)> {
    vec![
        ("title", json!(plan.title)),
        (
            "period",
            json!({ "start": plan.start.to_string(), "end": plan.end.to_string() }),
        ),
        ("timezone", json!(plan.timezone.name())),
        ("currency", json!(plan.currency)),
        ("language", json!(plan.language.code())),
        ("secretariat", json!(plan.secretariat)),
        ("exchange_rates", json!(plan.exchange_rates)),
        (
            "reminders",
            json!(StoredPolicy::from_policy(&plan.reminders)),
        ),
        (
            "calendar",
            json!(StoredCalendar::from_calendar(&plan.calendar)),
        ),
    ]
}

/// The plan's fields that differ from its row in the database.
fn plan_changes(plan: &Plan, row: &sqlx::any::AnyRow) -> Result<Vec<FieldChange>, StoreError> {
    let text = |i: usize| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(i)?) };
    let parsed = |i: usize| -> Result<serde_json::Value, StoreError> {
        Ok(serde_json::from_str(&text(i)?).unwrap_or_default())
    };
    let stored = [
        json!(text(2)?),
        json!({ "start": text(3)?, "end": text(4)? }),
        json!(text(5)?),
        json!(text(6)?),
        json!(text(7)?),
        json!(row.try_get::<Option<String>, _>(8)?),
        parsed(9)?,
        parsed(10)?,
        parsed(11)?,
    ];
    Ok(plan_fields(plan)
        .into_iter()
        .zip(stored)
        .filter(|((_, new), old)| new != old)
        .map(|((field, to), from)| FieldChange {
            field,
            from,
            to,
            days: None,
        })
        .collect())
}

async fn compute(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    plan: &Plan,
    sha: &str,
) -> Result<Option<Computed>, StoreError> {
    let existing = sqlx::query("SELECT sha256, revision, title, start_date, end_date, timezone, currency, language, secretariat, exchange_rates, policy, calendar FROM plans WHERE id = $1")
        .bind(&plan.id)
        .fetch_optional(&mut **tx)
        .await?;
    let mut report = ApplyReport {
        plan: plan.id.clone(),
        currency: plan.currency.clone(),
        ..ApplyReport::default()
    };
    let previous_revision = match &existing {
        Some(r) => {
            let old_sha: String = r.try_get(0)?;
            if old_sha == sha {
                return Ok(None);
            }
            let fields = plan_changes(plan, r)?;
            if !fields.is_empty() {
                report.changes.0.push(ItemChanges {
                    id: plan.id.clone(),
                    kind: "plan",
                    fields,
                    added: false,
                });
            }
            r.try_get::<i64, _>(1)?
        }
        None => 0,
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
        let table_plan = classify(table, &rows, current, &mut report);
        if let Some((first, _)) = table_plan.compare.first() {
            let ids: Vec<String> = table_plan
                .compare
                .iter()
                .map(|(_, id)| id.clone())
                .collect();
            let old = load_definitions(tx, backend, table, &plan.id, &rows[*first], &ids).await?;
            // A move in the file alone is no change to review: counted, not listed.
            let mut reordered: rustc_hash::FxHashSet<&str> = Default::default();
            for (i, db_id) in &table_plan.compare {
                let Some(before) = old.get(db_id) else {
                    continue;
                };
                let mut fields = field_changes(table, before, &rows[*i]);
                if !fields.is_empty() && fields.iter().all(|f| f.field == "position") {
                    reordered.insert(&rows[*i].id);
                }
                fields.retain(|f| f.field != "position");
                if !fields.is_empty() {
                    report.changes.0.push(ItemChanges {
                        id: rows[*i].id.clone(),
                        kind: table.kind,
                        fields,
                        added: false,
                    });
                }
            }
            if !reordered.is_empty() {
                let before = report.changed.len();
                report.changed.retain(|id| !reordered.contains(id.as_str()));
                report.reordered += before - report.changed.len();
            }
        }
        if existing.is_some() && table.name == "tasks" {
            added_changes(&rows, &mut report);
            if !table_plan.archive.is_empty() {
                let warnings = archive_warnings(tx, &plan.id, &rows, &table_plan, &report).await?;
                report.warnings.extend(warnings);
            }
        }
        tables.push((table, rows, table_plan));
    }
    // A file whose plan is the database's (comments or layout edited): nothing to apply.
    if report.is_empty() {
        return Ok(None);
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
        self.diff_hashed(plan, &sha256_hex(source.as_bytes())).await
    }

    /// [`Store::diff`], given the SHA-256 of the plan's file (a workbook's bytes, which are no
    /// text).
    pub async fn diff_hashed(&self, plan: &Plan, sha: &str) -> Result<ApplyReport, StoreError> {
        let sha = sha.to_string();
        let mut tx = self.pool.begin().await?;
        let computed = compute(&mut tx, self.backend, plan, &sha).await?;
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
        let Some(computed) = compute(&mut tx, self.backend, plan, sha).await? else {
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

        let events = item_events(&tables, &report, revision, message);
        add_events(&mut tx, self.backend, &plan.id, actor, &at, &events).await?;

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
        let event = Event::Revision(RevisionEvent {
            revision,
            sha256: sha.to_string(),
            source: source_name.to_string(),
            added: report.added.len(),
            changed: report.changed.len(),
            archived: report.archived.len(),
            restored: report.restored.len(),
            renamed: report.renamed.len(),
        });
        add_event(&mut tx, &plan.id, None, &event, actor, &at, message).await?;
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

/// One history entry an apply records: (task id, event).
type ItemEntry = (Option<String>, Event);

/// The history entries of an apply, one per task or indicator archived, restored or renamed,
/// and one per task whose deadline or title the revision changed (with the revision's
/// `message`). A task's entries are under its id; an indicator's name it in `indicator`, as its
/// recorded values do.
fn item_events(
    tables: &[(&'static Table, Vec<DefRow>, TablePlan)],
    report: &ApplyReport,
    revision: i64,
    message: Option<&str>,
) -> Vec<ItemEntry> {
    let mut events = Vec::new();
    for (table, _, tp) in tables {
        let task = table.name == "tasks";
        if !task && table.name != "indicators" {
            continue;
        }
        let under = |id: &str| task.then(|| id.to_string());
        let indicator = |id: &str| (!task).then(|| id.to_string());
        for r in &tp.renames {
            let event = Event::Renamed {
                from: r.from.clone(),
                to: r.to.clone(),
                revision: Some(revision),
                indicator: indicator(&r.to),
            };
            events.push((under(&r.to), event));
        }
        for id in &tp.archive {
            let item = ItemEvent {
                revision: Some(revision),
                indicator: indicator(id),
            };
            events.push((under(id), Event::Archived(item)));
        }
        for id in &tp.restored {
            let item = ItemEvent {
                revision: Some(revision),
                indicator: indicator(id),
            };
            events.push((under(id), Event::Restored(item)));
        }
    }
    let message = message.map(str::trim).filter(|m| !m.is_empty());
    let change = |from: String, to: String, days: Option<i64>| ChangeByRevision {
        revision,
        from,
        to,
        days,
        message: message.map(str::to_string),
    };
    for (id, from, to, days) in &report.slips {
        let event = Event::DeadlineMoved(change(from.clone(), to.clone(), *days));
        events.push((Some(id.clone()), event));
    }
    for item in report.changes.0.iter().filter(|c| c.kind == "task") {
        for f in item.fields.iter().filter(|f| f.field == "title") {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
            let event = Event::Retitled(change(text(&f.from), text(&f.to), None));
            events.push((Some(item.id.clone()), event));
        }
    }
    events
}

/// Appends `events` to the history, one multi-row INSERT per `BATCH`.
async fn add_events(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    plan_id: &str,
    actor: &str,
    at: &str,
    events: &[ItemEntry],
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut next = alloc_ids(tx, "event", events.len() as i64).await?;
    for chunk in events.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO events (id, plan_id, task_id, kind, actor, at, data) VALUES {}",
            placeholders(backend, 1, chunk.len(), 7)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (task, event) in chunk {
            let (kind, data) = event.to_stored();
            q = q
                .bind(next)
                .bind(plan_id.to_string())
                .bind(task.clone())
                .bind(kind)
                .bind(actor.to_string())
                .bind(at.to_string())
                .bind(data);
            next += 1;
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
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
