//! Reading the store: plans, filtered task lists, one task with its history.
//!
//! "Today" is computed per plan in the plan's time zone from the caller's clock, and the overdue
//! and due-within filters run in SQL on the (plan, archived, status, deadline) index.

use super::{agg, Backend, Store, StoreError, LIST_ROW};
use crate::clock::Clock;
pub(crate) use crate::records::parse_day;
pub use crate::records::{HistoryEntry, PlanInfo, Slip, TaskDetail, TaskRow};
use crate::text::{char_count, fold};
use crate::workflow::{days_late, is_overdue, Status};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// The filters of `cnrm tasks`.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub plan: Option<String>,
    pub priority: Option<String>,
    pub owner: Option<String>,
    pub statuses: Vec<Status>,
    pub overdue: bool,
    pub due_within: Option<u32>,
    pub search: Option<String>,
    pub archived: bool,
}

/// The tasks of `Store::task_list` or `Store::table_list`, as read: per plan, its "today" and
/// the aggregated rows.
pub struct TaskList {
    parts: Vec<ListPart>,
    /// What the list was read for (whole rows, or a table).
    fields: ListFields,
}

/// What a list reads of each task: everything a [`TaskRow`] holds, or only what the table of
/// `cnrm tasks` shows (a third fewer fields for the database to join and for the table to split).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListFields {
    All,
    Table,
}

impl ListFields {
    /// The aggregated fields, as text expressions; the plan position last.
    fn expressions(self) -> Vec<String> {
        let mut fields = match self {
            ListFields::All => row_fields(),
            ListFields::Table => TABLE_FIELDS.iter().map(|f| f.to_string()).collect(),
        };
        fields.push("CAST(position AS TEXT)".into());
        fields
    }

    /// Where the deadline is among a row's fields.
    fn deadline(self) -> usize {
        match self {
            ListFields::All => 5,
            ListFields::Table => 3,
        }
    }

    /// How many fields a row has (the position included).
    fn count(self) -> usize {
        match self {
            ListFields::All => ROW_FIELDS + 1,
            ListFields::Table => TABLE_FIELDS.len() + 1,
        }
    }
}

/// What the table shows: id, title, owners, deadline, label, status, progress.
const TABLE_FIELDS: [&str; 7] = [
    "id",
    "title",
    "owners",
    "COALESCE(deadline, '')",
    "deadline_label",
    "status",
    "CAST(progress AS TEXT)",
];

/// One plan's part of a `TaskList`.
struct ListPart {
    plan: String,
    today: NaiveDate,
    /// The rows holding the aggregated text (one, or two for a long list read in two halves),
    /// borrowed from the rows rather than copied out of them (a list of 100,000 tasks is 13 MB
    /// of text).
    rows: Vec<AnyRow>,
    /// The tasks in list order: which row's text, and their byte range in it.
    spans: Vec<(u32, u32, u32)>,
    /// The fields its texts hold: those asked for, or all of them when read from SQLite's list
    /// index (which holds whole rows).
    fields: ListFields,
}

impl ListPart {
    /// The text of its tasks `from..to` (clamped), in list order.
    fn texts(&self, from: usize, to: usize) -> impl Iterator<Item = &str> + '_ {
        let texts: Vec<&str> = self
            .rows
            .iter()
            .map(|r| aggregated(r).unwrap_or(""))
            .collect();
        let to = to.min(self.spans.len());
        self.spans[from.min(to)..to].iter().map(move |(t, a, b)| {
            texts
                .get(*t as usize)
                .and_then(|text| text.get(*a as usize..*b as usize))
                .unwrap_or("")
        })
    }
}

/// The first `N` fields of an aggregated row, without allocating (`None` if fewer).
fn leading_fields<const N: usize>(row: &str) -> Option<[&str; N]> {
    let mut fields = [""; N];
    // One byte search over the row (the separator is ASCII: every piece is on char boundaries).
    let mut ends = memchr::memchr_iter(agg::FIELD_BYTE, row.as_bytes()).chain([row.len()]);
    let mut start = 0;
    for f in fields.iter_mut() {
        let end = ends.next()?;
        *f = row.get(start..end)?;
        start = end + 1;
    }
    Some(fields)
}

/// The list order, computed here rather than by the database: SQLite sorts an aggregate's
/// rows with their whole text (13 MB for 100,000 tasks), where sorting byte ranges by (dated
/// first, deadline, plan position) takes a few milliseconds. `texts` are the list's texts (one,
/// or two halves read side by side); a long list is read on two threads. Each task is given as
/// (index of its text, byte range). Fails on an unreadable row.
fn list_order<'t>(
    texts: &[&'t str],
    fields: ListFields,
) -> Result<Vec<(u32, u32, u32)>, StoreError> {
    if texts.iter().any(|t| u32::try_from(t.len()).is_err()) {
        return Err(StoreError::Sql("task list larger than 4 GB".into()));
    }
    // The pieces read apart: each text, or the two halves of a long single text (cut after the
    // first row separator past its middle, so that both hold whole rows).
    let mut pieces: Vec<(u32, &'t str, usize, usize)> = Vec::new();
    for (i, text) in (0u32..).zip(texts) {
        let bytes = text.as_bytes();
        let middle = (texts.len() == 1 && bytes.len() >= TWO_THREADS_BYTES)
            .then(|| memchr::memchr(agg::ROW_BYTE, &bytes[bytes.len() / 2..]))
            .flatten()
            .map(|m| bytes.len() / 2 + m);
        match middle {
            Some(m) => pieces.extend([(i, *text, 0, m), (i, *text, m + 1, bytes.len())]),
            None => pieces.push((i, *text, 0, bytes.len())),
        }
    }
    // A stored deadline is a `YYYY-MM-DD` day, whose order is its number's: the keys then
    // compare as integers. Any other text (none is ever stored) sorts as text.
    let packed = keyed_pieces(&pieces, fields, &|deadline: &str, position: i64| {
        let day = if deadline.is_empty() {
            1 << 32
        } else {
            u64::from(day_number(deadline)?)
        };
        Some((u128::from(day) << 64) | u128::from(u64::try_from(position).ok()?))
    })?;
    if let Some(packed) = packed {
        return Ok(sorted(packed));
    }
    let as_text =
        |deadline: &'t str, position: i64| Some((deadline.is_empty(), deadline, position));
    Ok(sorted(
        keyed_pieces(&pieces, fields, &as_text)?.unwrap_or_default(),
    ))
}

/// The rows' places (text index, byte range) in the order of their keys.
fn sorted<K: Ord>(mut keyed: Vec<Keyed<K>>) -> Vec<(u32, u32, u32)> {
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|k| (k.1, k.2, k.3)).collect()
}

/// The keys of every row of `pieces` (text index, text, byte range), `key(deadline, position)`
/// making each; a piece after the first is read on a thread of its own. `None` when `key` cannot
/// key some row.
fn keyed_pieces<'t, K: Send>(
    pieces: &[(u32, &'t str, usize, usize)],
    fields: ListFields,
    key: &(dyn Fn(&'t str, i64) -> Option<K> + Sync),
) -> Result<Option<Vec<Keyed<K>>>, StoreError> {
    let keys = |&(i, text, from, to): &(u32, &'t str, usize, usize)| {
        row_keys(i, text, from, to, fields, key)
    };
    std::thread::scope(|scope| {
        let later: Vec<_> = pieces[1.min(pieces.len())..]
            .iter()
            .map(|piece| (piece, scope.spawn(move || keys(piece))))
            .collect();
        let mut keyed = match pieces.first() {
            Some(piece) => keys(piece)?,
            None => Some(Vec::new()),
        };
        for (piece, handle) in later {
            let more = handle.join().unwrap_or_else(|_| keys(piece))?;
            keyed = keyed.zip(more).map(|(mut all, more)| {
                all.extend(more);
                all
            });
        }
        Ok(keyed)
    })
}

/// `YYYY-MM-DD` as the number `YYYYMMDD` (`None` for any other text).
fn day_number(day: &str) -> Option<u32> {
    let b = day.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    b.iter()
        .enumerate()
        .filter(|(i, _)| *i != 4 && *i != 7)
        .try_fold(0u32, |n, (_, c)| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
}

/// Lists from this many bytes of text on are ordered on two threads (about 7,000 tasks).
const TWO_THREADS_BYTES: usize = 1 << 20;

/// A row's sort key, its text's index and its byte range in that text.
type Keyed<K> = (K, u32, u32, u32);

/// The sort key and byte range of every row in `text[from..to]` (`from` starts a row, `to` ends
/// one; `text` is under 4 GB), `text` being the list's text number `index`, `key(deadline,
/// position)` making the key (`None` if it cannot: then `Ok(None)`). Every row is checked here to
/// have all its fields, so that reading it later cannot fail; one byte search per row finds its
/// field separators, among them those around the deadline (where `fields` puts it) and before
/// the position (the last field).
fn row_keys<'t, K>(
    index: u32,
    text: &'t str,
    from: usize,
    to: usize,
    fields: ListFields,
    key: &dyn Fn(&'t str, i64) -> Option<K>,
) -> Result<Option<Vec<Keyed<K>>>, StoreError> {
    let (before_deadline, after_deadline) = (fields.deadline(), fields.deadline() + 1);
    let bytes = text.as_bytes().get(from..to).unwrap_or_default();
    let mut keyed = Vec::with_capacity(bytes.len() / 128);
    let mut start = 0usize;
    let ends = memchr::memchr_iter(agg::ROW_BYTE, bytes).chain(std::iter::once(bytes.len()));
    for end in ends {
        let row = &bytes[start..end];
        let row_start = from + start;
        start = end + 1;
        if row.is_empty() {
            continue;
        }
        let (mut count, mut deadline, mut last) = (1usize, (0, 0), 0usize);
        for sep in memchr::memchr_iter(agg::FIELD_BYTE, row) {
            if count == before_deadline {
                deadline.0 = sep + 1;
            } else if count == after_deadline {
                deadline.1 = sep;
            }
            count += 1;
            last = sep + 1;
        }
        if count < fields.count() {
            return Err(unreadable(count));
        }
        // Separators are ASCII bytes: every range between two of them is on char boundaries.
        let at = |a: usize, b: usize| text.get(row_start + a..row_start + b).unwrap_or("");
        let deadline = at(deadline.0, deadline.1);
        let position = at(last, row.len()).parse().unwrap_or(0);
        // `text` is under 4 GB (checked by `list_order`).
        let (a, b) = (row_start as u32, (row_start + row.len()) as u32);
        let Some(k) = key(deadline, position) else {
            return Ok(None);
        };
        keyed.push((k, index, a, b));
    }
    Ok(Some(keyed))
}

impl TaskList {
    /// The rows, built one at a time, in order. Every row was checked readable when the list was
    /// read (see `list_order`), so `rows().filter_map(Result::ok)` loses none.
    /// Only a list read whole (`Store::task_list`) has rows; one read for a table
    /// (`Store::table_list`) yields an error for each task.
    pub fn rows(&self) -> impl Iterator<Item = Result<TaskRow, StoreError>> + '_ {
        let whole = self.fields == ListFields::All;
        self.texts_between(0, usize::MAX).map(move |(p, text)| {
            if !whole {
                return Err(StoreError::Sql(
                    "a task list read for a table has no whole rows".into(),
                ));
            }
            task_row_from_fields(&agg::fields(text), &p.plan, p.today)
        })
    }

    /// The tasks `from..to` of the list (clamped) as views (what a table shows, borrowed from
    /// the list: nothing copied), in the order of [`TaskList::rows`], so that two threads can
    /// each read a part.
    pub fn views_between(&self, from: usize, to: usize) -> impl Iterator<Item = TaskView<'_>> {
        self.texts_between(from, to).filter_map(move |(p, text)| {
            // Id, title, owners, deadline, label, status and progress, wherever its part's
            // fields have them.
            let f = match p.fields {
                ListFields::All => {
                    let f: [&str; ROW_FIELDS] = leading_fields(text)?;
                    [f[0], f[2], f[3], f[5], f[6], f[7], f[8]]
                }
                ListFields::Table => leading_fields(text)?,
            };
            Some(task_view_from_fields(f, p.today))
        })
    }

    /// The text of the tasks `from..to` of the list (clamped), each with its plan's part.
    fn texts_between(&self, from: usize, to: usize) -> impl Iterator<Item = (&ListPart, &str)> {
        let mut first = 0;
        self.parts.iter().flat_map(move |p| {
            let start = first;
            first += p.spans.len();
            p.texts(from.saturating_sub(start), to.saturating_sub(start))
                .map(move |text| (p, text))
        })
    }

    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.spans.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(|p| p.spans.is_empty())
    }
}

impl TaskRow {
    /// The row as a [`TaskView`].
    pub fn view(&self) -> TaskView<'_> {
        TaskView {
            id: &self.id,
            title: &self.title,
            deadline: self.deadline.as_deref(),
            deadline_label: &self.deadline_label,
            status: self.status,
            progress: self.progress,
            overdue: self.overdue,
            days_late: self.days_late,
            owners: Owners::List(&self.owners),
        }
    }
}

/// What the table of `cnrm tasks` shows of a task, its text borrowed (from a `TaskList` as read,
/// or from a `TaskRow`): a table of 100,000 tasks reads every task twice (widths, then lines)
/// and copies none.
#[derive(Debug, Clone, Copy)]
pub struct TaskView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub deadline: Option<&'a str>,
    pub deadline_label: &'a str,
    pub status: Status,
    pub progress: i64,
    pub overdue: bool,
    pub days_late: i64,
    owners: Owners<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Owners<'a> {
    /// As stored: a JSON array of ids.
    Json(&'a str),
    List(&'a [String]),
}

impl TaskView<'_> {
    /// How many characters `push_owners(sep, ..)` pushes, counted without pushing them.
    pub fn owners_width(&self, sep: &str) -> usize {
        let sep = char_count(sep);
        let joined = |(n, chars): (usize, usize), id: &str| (n + 1, chars + char_count(id));
        let (n, chars) = match self.owners {
            Owners::List(list) => list.iter().map(String::as_str).fold((0, 0), joined),
            Owners::Json("[]") => (0, 0),
            Owners::Json(json) => match plain_ids(json) {
                Some(inner) => inner.split('"').step_by(2).fold((0, 0), joined),
                None => json_vec(json)
                    .iter()
                    .map(String::as_str)
                    .fold((0, 0), joined),
            },
        };
        chars + sep * n.saturating_sub(1)
    }

    /// Pushes the owners' ids into `out`, separated by `sep`.
    pub fn push_owners(&self, sep: &str, out: &mut String) {
        let mut push = |i: usize, id: &str| {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(id);
        };
        match self.owners {
            Owners::List(list) => list.iter().enumerate().for_each(|(i, o)| push(i, o)),
            Owners::Json("[]") => {}
            Owners::Json(json) => match plain_ids(json) {
                Some(inner) => inner
                    .split('"')
                    .step_by(2)
                    .enumerate()
                    .for_each(|(i, o)| push(i, o)),
                None => json_vec(json)
                    .iter()
                    .enumerate()
                    .for_each(|(i, o)| push(i, o)),
            },
        }
    }
}

/// The inside of a stored JSON array of ids without escapes (`dgme","oim` of
/// `["dgme","oim"]`), which splits directly; `None` for an empty array or one with escapes.
fn plain_ids(s: &str) -> Option<&str> {
    s.strip_prefix("[\"")
        .and_then(|r| r.strip_suffix("\"]"))
        .filter(|inner| !inner.contains('\\'))
}

/// A stored JSON array of ids (`["dgme","oim"]`); ids without escapes are split directly.
fn json_vec(s: &str) -> Vec<String> {
    match plain_ids(s) {
        // `a","b`: the items are every other piece between quotes (a split on a `char` is a
        // memchr; on `","` a substring search set up for each list).
        Some(inner) => inner.split('"').step_by(2).map(str::to_string).collect(),
        None => serde_json::from_str(s).unwrap_or_default(),
    }
}

pub(super) fn tz_of(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::Africa::Bamako)
}

/// `ROW_COLUMNS` as text expressions for `agg::aggregate`.
pub(super) fn row_fields() -> Vec<String> {
    ROW_COLUMNS
        .split(", ")
        .map(|c| match c {
            "deadline" => "COALESCE(deadline, '')".to_string(),
            "progress" | "milestone" | "archived" => format!("CAST({c} AS TEXT)"),
            other => other.to_string(),
        })
        .collect()
}

pub(super) const ROW_COLUMNS: &str = "id, priority_id, title, owners, partners, deadline, deadline_label, status, progress, milestone, archived";

/// The aggregated text of a `task_list` row (checked readable when it was fetched).
fn aggregated(row: &AnyRow) -> Option<&str> {
    row.try_get::<Option<&str>, _>(0).ok().flatten()
}

/// How a list is read on SQLite: as the planner chooses, by a scan of the table, or from
/// `tasks_deadline` alone (which holds every column a list reads there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Planner,
    Scan,
    Deadlines,
}

/// How `Store::task_list` reads one plan's list on SQLite: the access, and how a long list is
/// cut in two halves read side by side (each half's extra condition).
struct Reading {
    access: Access,
    halves: Option<[String; 2]>,
}

/// How `Store::read_list` reads one plan's part of a list (see `Store::list_statements`).
struct ListReads {
    statements: Vec<String>,
    args: Vec<String>,
    /// The fields the statements' texts hold.
    fields: ListFields,
    /// Whether each statement's connection reads the file through a memory map meanwhile: a
    /// large file is read through SQLite's page cache (see `sqlite_pragmas`), but a range of
    /// its list index is read faster mapped, its pages read where the operating system caches
    /// them instead of copied by one `pread` each (the overdue list of 100,000 tasks: 65-70 →
    /// 56-59 ms, alternated runs; 3 MB more resident, 36 MB). Lists that scan the table keep
    /// the page cache: mapped, the whole table would count as resident (`tasks`: 55 → 91 MB).
    mapped: bool,
}

/// The memory map of a large file while a list is read from its list index: its address space
/// only (the pages are resident once read), as much of the file as SQLite maps by default at
/// most.
const LIST_MAP_BYTES: u64 = 1 << 30;

/// Lists scanning at least this many rows are read in two halves (see `Store::sqlite_reading`).
const HALVES_ROWS: i64 = 4_096;

/// How many fields `ROW_COLUMNS` are.
const ROW_FIELDS: usize = 11;

fn unreadable(fields: usize) -> StoreError {
    StoreError::Sql(format!("unreadable task row ({fields} fields)"))
}

/// One task from its aggregated fields (those of `ROW_COLUMNS`, in order, then possibly more).
pub(super) fn task_row_from_fields(
    f: &[&str],
    plan: &str,
    today: NaiveDate,
) -> Result<TaskRow, StoreError> {
    if f.len() < ROW_FIELDS {
        return Err(unreadable(f.len()));
    }
    let status: Status = f[7].parse().unwrap_or(Status::Todo);
    let deadline = (!f[5].is_empty()).then(|| f[5].to_string());
    let due = deadline.as_deref().and_then(parse_day);
    Ok(TaskRow {
        id: f[0].to_string(),
        plan: plan.to_string(),
        priority: f[1].to_string(),
        title: f[2].to_string(),
        owners: json_vec(f[3]),
        partners: json_vec(f[4]),
        deadline,
        deadline_label: f[6].to_string(),
        status,
        progress: f[8].parse().unwrap_or(0),
        overdue: is_overdue(status, due, today),
        days_late: days_late(status, due, today),
        milestone: f[9] == "1",
        archived: f[10] == "1",
    })
}

/// One task's view from its id, title, owners, deadline, label, status and progress as
/// aggregated (the fields of `TABLE_FIELDS`, in order).
fn task_view_from_fields(f: [&str; 7], today: NaiveDate) -> TaskView<'_> {
    let status: Status = f[5].parse().unwrap_or(Status::Todo);
    let deadline = (!f[3].is_empty()).then_some(f[3]);
    let due = deadline.and_then(parse_day);
    TaskView {
        id: f[0],
        title: f[1],
        deadline,
        deadline_label: f[4],
        status,
        progress: f[6].parse().unwrap_or(0),
        overdue: is_overdue(status, due, today),
        days_late: days_late(status, due, today),
        owners: Owners::Json(f[2]),
    }
}

pub(super) fn task_row(r: &AnyRow, plan: &str, today: NaiveDate) -> Result<TaskRow, StoreError> {
    let deadline: Option<String> = r.try_get(5)?;
    let status: String = r.try_get(7)?;
    let status: Status = status.parse().unwrap_or(Status::Todo);
    let due = deadline.as_deref().and_then(parse_day);
    Ok(TaskRow {
        id: r.try_get(0)?,
        plan: plan.to_string(),
        priority: r.try_get(1)?,
        title: r.try_get(2)?,
        owners: json_vec(&r.try_get::<String, _>(3)?),
        partners: json_vec(&r.try_get::<String, _>(4)?),
        deadline,
        deadline_label: r.try_get(6)?,
        status,
        progress: r.try_get(8)?,
        overdue: is_overdue(status, due, today),
        days_late: days_late(status, due, today),
        milestone: r.try_get::<i64, _>(9)? != 0,
        archived: r.try_get::<i64, _>(10)? != 0,
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
fn where_clause(filter: &TaskFilter, today: NaiveDate, args: &mut Vec<String>) -> String {
    // In the order a scan tests them best: SQLite tests a row's conditions in the order written
    // and finds a column by walking the row's header up to it, so conditions on columns early in
    // the row come first (a deadline before `status` and `archived`, near its end: an overdue
    // list of 100,000 tasks is scanned in 17 ms per half instead of 24). No index choice changes.
    let mut sql = String::new();
    let mut arg = |v: String| {
        args.push(v);
        format!("${}", args.len())
    };
    if let Some(p) = &filter.priority {
        let ph = arg(p.clone());
        sql.push_str(&format!(" AND priority_id = {ph}"));
    }
    if let Some(o) = &filter.owner {
        // `owners` holds a JSON array of ids; quoted, an id cannot match part of another.
        let ph = arg(format!("%\"{}\"%", like_escape(o)));
        sql.push_str(&format!(" AND owners LIKE {ph} ESCAPE '\\'"));
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

    /// `cnrm tasks`: the tasks matching every filter, ordered by deadline (ongoing ones last).
    pub async fn tasks(
        &self,
        filter: &TaskFilter,
        clock: &Clock,
    ) -> Result<Vec<TaskRow>, StoreError> {
        self.task_list(filter, clock).await?.rows().collect()
    }

    /// `cnrm tasks` for long lists: the matching tasks as read (one text per plan), turned into
    /// rows one at a time by `TaskList::rows`, so 100,000 tasks are never all held as rows.
    pub async fn task_list(
        &self,
        filter: &TaskFilter,
        clock: &Clock,
    ) -> Result<TaskList, StoreError> {
        self.read_list(filter, clock, ListFields::All).await
    }

    /// `cnrm tasks` as a table: the list of [`Store::task_list`] with only what the table shows
    /// (`TaskList::views_between`; it has no whole rows). An overdue or due-within list on
    /// SQLite is read as its list index holds it, all fields (see `Store::list_statements`).
    pub async fn table_list(
        &self,
        filter: &TaskFilter,
        clock: &Clock,
    ) -> Result<TaskList, StoreError> {
        self.read_list(filter, clock, ListFields::Table).await
    }

    async fn read_list(
        &self,
        filter: &TaskFilter,
        clock: &Clock,
        fields: ListFields,
    ) -> Result<TaskList, StoreError> {
        let mut parts = Vec::new();
        for (plan, tz) in self.plan_zones(filter.plan.as_deref()).await? {
            let today = clock.today(tz);
            let ListReads {
                statements,
                args,
                fields: read,
                mapped,
            } = self.list_statements(filter, &plan, today, fields).await?;
            // The first half on the store's connection, the second on its side connection.
            let reads = statements
                .into_iter()
                .zip([&self.pool, &self.side])
                .map(|(sql, pool)| {
                    let mut q = sqlx::query(AssertSqlSafe(sql));
                    for a in &args {
                        q = q.bind(a.clone());
                    }
                    async move {
                        if mapped {
                            sqlx::query(AssertSqlSafe(format!(
                                "PRAGMA mmap_size = {LIST_MAP_BYTES}"
                            )))
                            .execute(pool)
                            .await?;
                        }
                        let row = q.fetch_one(pool).await;
                        if mapped {
                            // Back to reading through the page cache, read or not.
                            sqlx::query("PRAGMA mmap_size = 0").execute(pool).await?;
                        }
                        row
                    }
                });
            let rows = futures_util::future::try_join_all(reads).await?;
            let mut texts = Vec::with_capacity(rows.len());
            for row in &rows {
                texts.push(row.try_get::<Option<&str>, _>(0)?.unwrap_or(""));
            }
            let spans = list_order(&texts, read)?;
            parts.push(ListPart {
                plan,
                today,
                rows,
                spans,
                fields: read,
            });
        }
        Ok(TaskList { parts, fields })
    }

    /// The statements reading `plan`'s part of a list (one, or two halves read side by side),
    /// the arguments they all take, the fields they read (`fields`, or all of them from
    /// SQLite's list index) and whether they read a large file through a memory map; each
    /// returns one aggregated text (see `agg`).
    async fn list_statements(
        &self,
        filter: &TaskFilter,
        plan: &str,
        today: NaiveDate,
        fields: ListFields,
    ) -> Result<ListReads, StoreError> {
        let mut args: Vec<String> = vec![
            plan.to_string(),
            agg::FIELD.to_string(),
            agg::ROW.to_string(),
        ];
        let conditions = where_clause(filter, today, &mut args);
        let Reading { access, halves } = self.sqlite_reading(filter, plan, today).await?;
        let hint = match access {
            Access::Scan => " NOT INDEXED",
            Access::Deadlines => " INDEXED BY tasks_deadline",
            Access::Planner => "",
        };
        // From the list index, the rows as it holds them: all their fields, joined by U+001F
        // written as `char(31)` (the separator other statements bind as `$2`). `LIST_ROW` must
        // be the indexed expression to the letter for SQLite to read it from the index rather
        // than join the columns again.
        let (aggregate, fields) = if access == Access::Deadlines {
            (
                format!("string_agg({LIST_ROW}, CAST($3 AS TEXT))"),
                ListFields::All,
            )
        } else {
            (agg::aggregate(&fields.expressions(), None), fields)
        };
        let statement = |half: &str| {
            format!("SELECT {aggregate} FROM tasks{hint} WHERE plan_id = $1{conditions}{half}")
        };
        let statements = match halves {
            None => vec![statement("")],
            Some(halves) => halves.iter().map(|h| statement(h)).collect(),
        };
        Ok(ListReads {
            statements,
            args,
            fields,
            mapped: access == Access::Deadlines && !self.maps_file,
        })
    }

    /// How SQLite should read a list's rows, where its planner guesses wrong (PostgreSQL's
    /// planner knows the data's distribution: nothing to say there), and whether in two halves.
    ///
    /// A deadline range (overdue, due within) is read from `tasks_deadline` alone, which holds
    /// every column a list reads on SQLite (not the search text: with `--search`, as before, it
    /// is read through that index when it holds under a fifth of the table's rows, one row
    /// lookup costing about five rows of a plain scan, and by a scan otherwise). The table's rows
    /// are counted from its rowids (tasks are archived, never deleted: the rowids are dense),
    /// and the range's rows only up to what the choice needs, from the index.
    ///
    /// A list of enough rows is read in two halves side by side on two connections, each
    /// aggregated by its own SQLite thread: a scan cut at its middle rowid, a range of the index
    /// at the day halfway between its first and last deadline.
    async fn sqlite_reading(
        &self,
        filter: &TaskFilter,
        plan: &str,
        today: NaiveDate,
    ) -> Result<Reading, StoreError> {
        let planner = Reading {
            access: Access::Planner,
            halves: None,
        };
        if self.backend != Backend::Sqlite {
            return Ok(planner);
        }
        let ranged = filter.overdue || filter.due_within.is_some();
        let in_range = TaskFilter {
            overdue: filter.overdue,
            due_within: filter.due_within,
            archived: filter.archived,
            ..TaskFilter::default()
        };
        if ranged && filter.search.is_none() {
            let matched = self
                .count_in_plan(&in_range, plan, today, Some(HALVES_ROWS))
                .await?;
            let middle = if matched < HALVES_ROWS {
                Ok(None)
            } else {
                // The side connection is opened meanwhile.
                let warm = async {
                    let _ = self.side.acquire().await;
                };
                let middle = self.middle_deadline(&in_range, plan, today);
                futures_util::future::join(middle, warm).await.0
            };
            let halves = middle?.map(|day| {
                [
                    format!(" AND deadline < '{day}'"),
                    format!(" AND deadline >= '{day}'"),
                ]
            });
            return Ok(Reading {
                access: Access::Deadlines,
                halves,
            });
        }
        // The table's size, for the choices below (a deadline range read from the index needs
        // none). Two subqueries: each is one b-tree descent (`MIN(rowid), MAX(rowid)` together
        // scan).
        let row =
            sqlx::query("SELECT (SELECT MIN(rowid) FROM tasks), (SELECT MAX(rowid) FROM tasks)")
                .fetch_one(&self.pool)
                .await?;
        let (Some(first), Some(last)) = (
            row.try_get::<Option<i64>, _>(0)?,
            row.try_get::<Option<i64>, _>(1)?,
        ) else {
            return Ok(planner);
        };
        let rows = last.saturating_sub(first).saturating_add(1);
        let access = if filter.owner.is_some() && filter.priority.is_none() {
            Access::Scan
        } else if ranged {
            let cap = rows / 5 + 1;
            let matched = self
                .count_in_plan(&in_range, plan, today, Some(cap))
                .await?;
            if matched >= cap {
                Access::Scan
            } else {
                Access::Planner
            }
        } else {
            Access::Planner
        };
        // Scanned: by the hint, or by the planner when no index serves the filters.
        let scanned = access == Access::Scan || !(ranged || filter.priority.is_some());
        let middle = first + rows / 2;
        let halves = (scanned && rows >= HALVES_ROWS).then(|| {
            [
                format!(" AND rowid < {middle}"),
                format!(" AND rowid >= {middle}"),
            ]
        });
        Ok(Reading { access, halves })
    }

    /// The day halfway between the first and the last deadline of `range` (a deadline range of
    /// `plan`, at `today`), where a long list read from `tasks_deadline` is cut in two halves
    /// that each walk their own part of the index; two seeks of the index. `None` when the
    /// range's deadlines are one day, or for a list that includes archived tasks (whose
    /// deadlines are not in one run of the index).
    async fn middle_deadline(
        &self,
        range: &TaskFilter,
        plan: &str,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, StoreError> {
        if range.archived {
            return Ok(None);
        }
        let mut args: Vec<String> = vec![plan.to_string()];
        let conditions = where_clause(range, today, &mut args);
        let end = |order: &str| {
            format!("(SELECT deadline FROM tasks INDEXED BY tasks_deadline WHERE plan_id = $1{conditions} ORDER BY deadline {order} LIMIT 1)")
        };
        let sql = format!("SELECT {}, {}", end("ASC"), end("DESC"));
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for a in args {
            q = q.bind(a);
        }
        let row = q.fetch_one(&self.pool).await?;
        let day = |i: usize| -> Result<Option<NaiveDate>, StoreError> {
            Ok(row.try_get::<Option<&str>, _>(i)?.and_then(parse_day))
        };
        Ok(match (day(0)?, day(1)?) {
            (Some(first), Some(last)) if last > first => {
                Some(first + chrono::Duration::days(((last - first).num_days() + 1) / 2))
            }
            _ => None,
        })
    }

    /// `cnrm tasks --count`: how many tasks match every filter (read from the indexes alone when
    /// the filters allow, as `--overdue` does).
    pub async fn count_tasks(&self, filter: &TaskFilter, clock: &Clock) -> Result<i64, StoreError> {
        let mut total = 0;
        for (plan, tz) in self.plan_zones(filter.plan.as_deref()).await? {
            total += self
                .count_in_plan(filter, &plan, clock.today(tz), None)
                .await?;
        }
        Ok(total)
    }

    /// How many tasks of `plan` match `filter` (its `plan` field aside), at `today`.
    /// With `cap`, counting stops there (the result is at most `cap`).
    async fn count_in_plan(
        &self,
        filter: &TaskFilter,
        plan: &str,
        today: NaiveDate,
        cap: Option<i64>,
    ) -> Result<i64, StoreError> {
        let mut args: Vec<String> = vec![plan.to_string()];
        let conditions = where_clause(filter, today, &mut args);
        let sql = match cap {
            None => format!("SELECT COUNT(*) FROM tasks WHERE plan_id = $1{conditions}"),
            Some(cap) => format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM tasks WHERE plan_id = $1{conditions} LIMIT {cap})"
            ),
        };
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for a in args {
            q = q.bind(a);
        }
        Ok(q.fetch_one(&self.pool).await?.try_get(0)?)
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
                many => Err(StoreError::Ambiguous(id.to_string(), many.join(", "))),
            },
        }
    }

    /// `cnrm task show`: one task with its history, deadline slips and spending.
    pub async fn task_detail(
        &self,
        id: &str,
        plan: Option<&str>,
        clock: &Clock,
    ) -> Result<TaskDetail, StoreError> {
        let plan_id = self.locate_task(id, plan).await?;
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
        let history = sqlx::query("SELECT at, actor, kind, data, note FROM events WHERE plan_id = $1 AND task_id = $2 ORDER BY id")
            .bind(&plan_id)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|e| {
                Ok(HistoryEntry {
                    at: e.try_get(0)?,
                    actor: e.try_get(1)?,
                    kind: e.try_get(2)?,
                    data: serde_json::from_str(&e.try_get::<String, _>(3)?).unwrap_or_default(),
                    note: e.try_get(4)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let spent = sqlx::query("SELECT COALESCE(SUM(amount_plan), 0.0) FROM spendings WHERE plan_id = $1 AND task_id = $2")
            .bind(&plan_id)
            .bind(id)
            .fetch_one(&self.pool)
            .await?
            .try_get::<f64, _>(0)?;
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
    /// One aggregated task row: id, priority, title, owners, partners, deadline, label,
    /// status, progress, milestone, archived, position.
    fn task(id: &str, deadline: &str, position: u32) -> String {
        format!("{id}\u{1f}p\u{1f}t\u{1f}[]\u{1f}[]\u{1f}{deadline}\u{1f}l\u{1f}todo\u{1f}0\u{1f}0\u{1f}0\u{1f}{position}")
    }

    /// The ids of `texts`' tasks in list order (rows of all fields, as `task` makes them).
    fn ordered_ids(texts: &[&str]) -> Vec<String> {
        ids_in_order(texts, super::ListFields::All)
    }

    fn ids_in_order(texts: &[&str], fields: super::ListFields) -> Vec<String> {
        super::list_order(texts, fields)
            .expect("readable")
            .iter()
            .map(|(t, a, b)| {
                texts[*t as usize][*a as usize..*b as usize]
                    .split('\u{1f}')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn lists_are_ordered_by_deadline_then_plan_position_ongoing_last() {
        let tasks = [
            task("c", "", 1),
            task("b", "2025-06-30", 5),
            task("a", "2025-06-30", 2),
            task("d", "", 0),
            task("e", "2025-01-15", 9),
        ];
        let text = tasks.join("\u{1e}");
        assert_eq!(ordered_ids(&[&text]), ["e", "a", "b", "d", "c"]);
        // Read in two halves (two texts), the list keeps the same order.
        let (first, second) = (tasks[..2].join("\u{1e}"), tasks[2..].join("\u{1e}"));
        assert_eq!(ordered_ids(&[&first, &second]), ["e", "a", "b", "d", "c"]);
        // A deadline that is not a day (never stored) sorts as text, the order unchanged.
        let odd = [task("x", "2025-06-3O", 0), task("y", "2025-06-30", 1)].join("\u{1e}");
        assert_eq!(ordered_ids(&[&odd]), ["y", "x"]);
        let all = super::ListFields::All;
        assert!(
            super::list_order(&["x\u{1f}y"], all).is_err(),
            "a short row is an error"
        );
        assert!(
            super::list_order(&[&text, "x\u{1f}y"], all).is_err(),
            "in either half"
        );
        assert!(super::list_order(&[""], all).expect("empty").is_empty());
        assert!(super::list_order(&[], all).expect("nothing").is_empty());
    }

    #[test]
    fn a_list_read_for_a_table_is_ordered_by_its_own_deadline_field() {
        // id, title, owners, deadline, label, status, progress, position.
        let row = |id: &str, deadline: &str, position: u32| {
            format!("{id}\u{1f}t\u{1f}[]\u{1f}{deadline}\u{1f}l\u{1f}todo\u{1f}0\u{1f}{position}")
        };
        let table = super::ListFields::Table;
        let text = [
            row("c", "", 1),
            row("b", "2025-06-30", 5),
            row("a", "2025-06-30", 2),
            row("e", "2025-01-15", 9),
        ]
        .join("\u{1e}");
        assert_eq!(ids_in_order(&[&text], table), ["e", "a", "b", "c"]);
        // A row of the whole layout's first fields only is too short for it, and the reverse.
        assert!(super::list_order(
            &["a\u{1f}t\u{1f}[]\u{1f}2025-01-01\u{1f}l\u{1f}todo\u{1f}0"],
            table
        )
        .is_err());
        assert!(super::list_order(&[&text], super::ListFields::All).is_err());
        assert_eq!(table.expressions().len(), table.count());
        let all = super::ListFields::All;
        assert_eq!(all.expressions().len(), all.count());
        assert_eq!(
            table.expressions()[table.deadline()],
            "COALESCE(deadline, '')"
        );
        assert_eq!(all.expressions()[all.deadline()], "COALESCE(deadline, '')");
    }

    #[test]
    fn a_long_list_ordered_on_two_threads_is_ordered_as_on_one() {
        // Over `TWO_THREADS_BYTES`: the text is cut in two pieces read on two threads.
        let tasks: Vec<String> = (0..40_000u32)
            .map(|i| {
                let deadline = match i % 7 {
                    0 => String::new(),
                    k => format!("2025-{:02}-{:02}", k, 1 + (i * 13) % 28),
                };
                task(&format!("t{i}"), &deadline, (i * 7_919) % 40_000)
            })
            .collect();
        let text = tasks.join("\u{1e}");
        assert!(
            text.len() >= super::TWO_THREADS_BYTES,
            "long enough to be cut"
        );
        let mut expected: Vec<(bool, String, u32, String)> = (0..40_000u32)
            .map(|i| {
                let fields: Vec<&str> = tasks[i as usize].split('\u{1f}').collect();
                let position = fields[11].parse().expect("position");
                (
                    fields[5].is_empty(),
                    fields[5].to_string(),
                    position,
                    fields[0].to_string(),
                )
            })
            .collect();
        expected.sort();
        let expected: Vec<String> = expected.into_iter().map(|e| e.3).collect();
        assert_eq!(ordered_ids(&[&text]), expected);
    }

    #[test]
    fn stored_id_lists_are_read() {
        assert_eq!(super::json_vec(r#"["dgme","oim"]"#), ["dgme", "oim"]);
        assert_eq!(super::json_vec(r#"["dgme"]"#), ["dgme"]);
        assert!(super::json_vec("[]").is_empty());
        assert_eq!(super::json_vec(r#"["a\"b", "c"]"#), ["a\"b", "c"]);
    }

    #[test]
    fn a_view_joins_its_owners_as_stored_or_as_a_list() {
        use chrono::NaiveDate;
        let today = NaiveDate::from_ymd_opt(2025, 10, 1).expect("day");
        let joined = |owners: &str| {
            let fields = ["a1", "Titre", owners, "2025-09-30", "T3 2025", "todo", "40"];
            let view = super::task_view_from_fields(fields, today);
            assert!(view.overdue && view.days_late == 1 && view.progress == 40);
            let mut out = String::new();
            view.push_owners(", ", &mut out);
            // Its width counted without joining them is the joined text's.
            assert_eq!(view.owners_width(", "), out.chars().count(), "{owners}");
            out
        };
        assert_eq!(joined(r#"["dgme","oim"]"#), "dgme, oim");
        assert_eq!(joined(r#"["cellule-ponam"]"#), "cellule-ponam");
        assert_eq!(
            joined(r#"["société-civile","oim","état"]"#),
            "société-civile, oim, état"
        );
        assert_eq!(joined("[]"), "");
        assert_eq!(joined(r#"["a\"b", "c"]"#), "a\"b, c");
        let listed = vec!["dgme".to_string(), "cigem".to_string()];
        let row = super::TaskRow {
            id: "a1".into(),
            plan: "p".into(),
            priority: "p".into(),
            title: "t".into(),
            owners: listed,
            partners: Vec::new(),
            deadline: None,
            deadline_label: "continu".into(),
            status: crate::workflow::Status::Done,
            progress: 100,
            overdue: false,
            days_late: 0,
            milestone: false,
            archived: false,
        };
        let mut out = String::new();
        row.view().push_owners(" ", &mut out);
        assert_eq!(out, "dgme cigem");
        assert_eq!(row.view().owners_width(" "), 10);
        assert_eq!(
            row.view().owners_width(" · "),
            "dgme · cigem".chars().count()
        );
        assert_eq!(row.view().deadline, None);
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

/// How SQLite reads deadline ranges: from `tasks_deadline` alone, long ones in two halves.
#[cfg(test)]
mod sqlite_reading_tests {
    use super::*;
    use crate::store::{LIST_INDEX, LIST_ROW};

    /// 6,000 tasks, task `i` due on day `i % 365` of 2025 (every tenth `continu`).
    fn plan_source() -> (String, Vec<(String, Option<NaiveDate>)>) {
        let mut src = String::from(
            "version: 1\nplan:\n  id: longue\n  title: Liste longue\n  period: { start: 2025-01-01, end: 2025-12-31 }\n  secretariat: st\ncalendar: { weekend: [] }\nowners:\n  - { id: st, name: Secrétariat, email: st@example.ml }\npriorities:\n  - id: axe-1\n    title: Axe\n    tasks:\n",
        );
        let first = NaiveDate::from_ymd_opt(2025, 1, 1).expect("day");
        let mut tasks = Vec::new();
        for i in 0..6_000u32 {
            let day = (i % 10 != 0).then(|| first + chrono::Duration::days(i64::from(i % 365)));
            let due = day.map_or("continu".to_string(), |d| d.to_string());
            src.push_str(&format!(
                "      - {{ id: t{i}, title: \"Tâche n° {i} : l'été\", owner: st, deadline: {due} }}\n"
            ));
            tasks.push((format!("t{i}"), day));
        }
        (src, tasks)
    }

    /// Applies the plan of [`plan_source`] to `store` at `clock`; its tasks (id, deadline).
    async fn apply_long_plan(store: &Store, clock: &Clock) -> Vec<(String, Option<NaiveDate>)> {
        let (src, tasks) = plan_source();
        let checked = crate::plan::check_source(&src, "longue.yaml", crate::Lang::Fr);
        let plan = checked.plan.expect("valid plan");
        store
            .apply(&plan, &src, "longue.yaml", "alice", None, clock, &|_, _| {})
            .await
            .expect("apply");
        // A first apply of this size ran with its own settings (rollback journal, temporary
        // store on file, sorter threads); the connection is given back with its own.
        let setting = |sql: &'static str| async move {
            let row = sqlx::query(sql).fetch_one(&store.pool).await.expect(sql);
            match row.try_get::<i64, _>(0) {
                Ok(n) => n.to_string(),
                Err(_) => row.try_get::<String, _>(0).expect(sql),
            }
        };
        assert_eq!(setting("PRAGMA journal_mode").await, "wal");
        assert_eq!(setting("PRAGMA temp_store").await, "2", "in memory");
        assert_eq!(setting("PRAGMA threads").await, "0");
        tasks
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    /// The `detail` lines of SQLite's plan for `sql` with `args`.
    async fn query_plan(store: &Store, sql: &str, args: &[String]) -> Vec<String> {
        let mut q = sqlx::query(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")));
        for a in args {
            q = q.bind(a.clone());
        }
        let rows = q.fetch_all(&store.pool).await.expect("query plan");
        rows.iter()
            .map(|r| r.try_get::<String, _>(3).expect("detail"))
            .collect()
    }

    #[test]
    fn the_sqlite_deadline_index_holds_every_column_a_list_reads() {
        // Migration 3's columns first, in its order (what the deadline questions walk), then
        // the list row: every field a whole list reads, joined by the field separator.
        assert_eq!(
            LIST_INDEX,
            format!(
                "CREATE INDEX tasks_deadline ON tasks (plan_id, archived, deadline, position, status, {LIST_ROW})"
            )
        );
        assert_eq!(
            LIST_ROW,
            format!(
                "concat_ws(char({}), {})",
                u32::from(agg::FIELD_BYTE),
                ListFields::All.expressions().join(", ")
            )
        );
    }

    #[test]
    fn deadline_ranges_are_read_from_the_index_alone_long_ones_in_halves_at_the_middle_day() {
        let dir = tempfile::tempdir().expect("dir");
        let url = dir.path().join("cnrm.db").to_string_lossy().to_string();
        block_on(async {
            let store = Store::open(&url).await.expect("open");
            let clock = Clock::parse("2025-12-01").expect("clock");
            let tasks = apply_long_plan(&store, &clock).await;
            let today = NaiveDate::from_ymd_opt(2025, 12, 1).expect("day");
            let overdue = TaskFilter {
                overdue: true,
                ..TaskFilter::default()
            };
            // What each list should hold, in list order (by deadline, then plan position).
            let expected = |keep: &dyn Fn(NaiveDate) -> bool| -> Vec<String> {
                let mut kept: Vec<(NaiveDate, usize, String)> = (0..tasks.len())
                    .filter_map(|i| {
                        let (id, day) = &tasks[i];
                        day.filter(|d| keep(*d)).map(|d| (d, i, id.clone()))
                    })
                    .collect();
                kept.sort();
                kept.into_iter().map(|k| k.2).collect()
            };
            let ids =
                |rows: Vec<TaskRow>| -> Vec<String> { rows.into_iter().map(|r| r.id).collect() };

            // 4,900 overdue tasks: two halves, cut at the day halfway between the first
            // deadline (1 January) and the last overdue one (30 November): 17 June.
            let ListReads {
                statements,
                args,
                fields: read,
                ..
            } = store
                .list_statements(&overdue, "longue", today, ListFields::All)
                .await
                .expect("statements");
            assert_eq!(statements.len(), 2, "{statements:?}");
            assert_eq!(read, ListFields::All);
            assert!(
                statements[0].ends_with(" AND deadline < '2025-06-17'"),
                "{}",
                statements[0]
            );
            assert!(
                statements[1].ends_with(" AND deadline >= '2025-06-17'"),
                "{}",
                statements[1]
            );
            // Read for a table, the rows are read as the index holds them: whole.
            let ListReads {
                statements: table_statements,
                fields: read,
                ..
            } = store
                .list_statements(&overdue, "longue", today, ListFields::Table)
                .await
                .expect("statements");
            assert_eq!(table_statements, statements);
            assert_eq!(read, ListFields::All);
            for sql in statements.iter().chain(&table_statements) {
                assert!(sql.contains(LIST_ROW), "the indexed expression: {sql}");
                let plan = query_plan(&store, sql, &args).await;
                assert!(
                    plan.iter()
                        .any(|d| d.contains("USING COVERING INDEX tasks_deadline")),
                    "read from the index alone: {plan:?}"
                );
            }
            let want = expected(&|d| d < today);
            assert!(want.len() >= HALVES_ROWS as usize, "{}", want.len());
            let got = store.tasks(&overdue, &clock).await.expect("overdue");
            assert!(got.iter().all(|r| r.overdue && r.title.ends_with("l'été")));
            assert_eq!(ids(got), want, "every overdue task once, in order");
            let table = store.table_list(&overdue, &clock).await.expect("table");
            let shown: Vec<&str> = table.views_between(0, usize::MAX).map(|v| v.id).collect();
            assert_eq!(
                shown, want,
                "the table's list: the same tasks, in the same order"
            );

            // A week ahead: one statement, from the index alone.
            let soon = TaskFilter {
                due_within: Some(7),
                ..TaskFilter::default()
            };
            let ListReads {
                statements, args, ..
            } = store
                .list_statements(&soon, "longue", today, ListFields::Table)
                .await
                .expect("statements");
            assert_eq!(statements.len(), 1);
            let plan = query_plan(&store, &statements[0], &args).await;
            assert!(
                plan.iter()
                    .any(|d| d.contains("USING COVERING INDEX tasks_deadline")),
                "{plan:?}"
            );
            let got = store.tasks(&soon, &clock).await.expect("due within");
            let week = today + chrono::Duration::days(7);
            assert_eq!(ids(got), expected(&|d| d >= today && d <= week));

            // Overdue tasks of one day only (the clock on 2 January): no middle day, one read.
            let early = Clock::parse("2025-01-02").expect("clock");
            let jan2 = NaiveDate::from_ymd_opt(2025, 1, 2).expect("day");
            assert_eq!(
                store
                    .middle_deadline(&overdue, "longue", jan2)
                    .await
                    .expect("middle"),
                None
            );
            let got = store.tasks(&overdue, &early).await.expect("overdue early");
            assert_eq!(ids(got), expected(&|d| d < jan2));

            // A search is not in the index: not read from it alone.
            let searched = TaskFilter {
                overdue: true,
                search: Some("ete".into()),
                ..TaskFilter::default()
            };
            let ListReads {
                statements,
                fields: read,
                ..
            } = store
                .list_statements(&searched, "longue", today, ListFields::Table)
                .await
                .expect("statements");
            assert_eq!(read, ListFields::Table, "read as asked");
            assert!(
                statements.iter().all(|s| !s.contains("INDEXED BY")),
                "{statements:?}"
            );
            let got = store.tasks(&searched, &clock).await.expect("searched");
            assert_eq!(ids(got), want);
            store.close().await;
        });
    }

    #[test]
    fn a_large_file_is_mapped_while_a_range_is_read_from_the_list_index_and_only_then() {
        let dir = tempfile::tempdir().expect("dir");
        let url = dir.path().join("cnrm.db").to_string_lossy().to_string();
        block_on(async {
            let mut store = Store::open(&url).await.expect("open");
            assert!(store.maps_file, "a small file is always mapped");
            let clock = Clock::parse("2025-12-01").expect("clock");
            apply_long_plan(&store, &clock).await;
            let today = NaiveDate::from_ymd_opt(2025, 12, 1).expect("day");
            let overdue = TaskFilter {
                overdue: true,
                ..TaskFilter::default()
            };
            let expected = store.tasks(&overdue, &clock).await.expect("overdue");
            async fn mapped(store: &Store, filter: &TaskFilter, today: NaiveDate) -> bool {
                store
                    .list_statements(filter, "longue", today, ListFields::Table)
                    .await
                    .expect("statements")
                    .mapped
            }
            assert!(!mapped(&store, &overdue, today).await, "already mapped");

            // As if the file were large: read through the page cache, but mapped for a range
            // of the list index, in two halves, each connection set back afterwards.
            store.maps_file = false;
            assert!(mapped(&store, &overdue, today).await);
            let searched = TaskFilter {
                search: Some("ete".into()),
                ..overdue.clone()
            };
            assert!(
                !mapped(&store, &searched, today).await,
                "not from the list index"
            );
            assert!(
                !mapped(&store, &TaskFilter::default(), today).await,
                "a scan"
            );
            assert_eq!(
                store.tasks(&overdue, &clock).await.expect("mapped"),
                expected
            );
            for pool in [&store.pool, &store.side] {
                let size: i64 = sqlx::query("PRAGMA mmap_size")
                    .fetch_one(pool)
                    .await
                    .expect("mmap_size")
                    .try_get(0)
                    .expect("size");
                assert_eq!(size, 0, "read through the page cache again");
            }
            store.close().await;
        });
    }

    #[test]
    fn a_database_with_the_narrow_deadline_index_gets_the_list_index_at_its_next_open() {
        let dir = tempfile::tempdir().expect("dir");
        let url = dir.path().join("cnrm.db").to_string_lossy().to_string();
        let definition = |store: &Store| {
            let pool = store.pool.clone();
            async move {
                sqlx::query("SELECT sql FROM sqlite_master WHERE name = 'tasks_deadline'")
                    .fetch_one(&pool)
                    .await
                    .expect("index")
                    .try_get::<String, _>(0)
                    .expect("sql")
            }
        };
        let overdue = TaskFilter {
            overdue: true,
            ..TaskFilter::default()
        };
        // Runs `statements` (an older cnrm's schema), closes, opens again.
        async fn reopened_after(store: Store, url: &str, statements: &[&str]) -> Store {
            for sql in statements {
                sqlx::query(AssertSqlSafe(sql.to_string()))
                    .execute(&store.pool)
                    .await
                    .expect("old schema");
            }
            store.close().await;
            Store::open(url).await.expect("reopen")
        }
        block_on(async {
            let store = Store::open(&url).await.expect("open");
            assert_eq!(definition(&store).await, LIST_INDEX);
            let clock = Clock::parse("2025-12-01").expect("clock");
            apply_long_plan(&store, &clock).await;
            let before = store.tasks(&overdue, &clock).await.expect("list");
            // As the previous cnrm left it: migration 3's index, analysed.
            let store = reopened_after(
                store,
                &url,
                &[
                    "DROP INDEX tasks_deadline",
                    "CREATE INDEX tasks_deadline ON tasks (plan_id, archived, deadline, position, status)",
                    "ANALYZE tasks",
                ],
            )
            .await;
            assert_eq!(definition(&store).await, LIST_INDEX);
            let stat: i64 =
                sqlx::query("SELECT COUNT(*) FROM sqlite_stat1 WHERE idx = 'tasks_deadline'")
                    .fetch_one(&store.pool)
                    .await
                    .expect("stat")
                    .try_get(0)
                    .expect("count");
            assert_eq!(stat, 1, "the new index is analysed");
            assert_eq!(store.tasks(&overdue, &clock).await.expect("list"), before);
            // Opened again: nothing more to do, the same index.
            let store = reopened_after(store, &url, &[]).await;
            assert_eq!(definition(&store).await, LIST_INDEX);
            // As the seventh session's cnrm left it: the columns of a list one by one.
            let store = reopened_after(
                store,
                &url,
                &[
                    "DROP INDEX tasks_deadline",
                    "CREATE INDEX tasks_deadline ON tasks (plan_id, archived, deadline, position, status, id, priority_id, title, owners, partners, deadline_label, progress, milestone)",
                ],
            )
            .await;
            assert_eq!(definition(&store).await, LIST_INDEX);
            assert_eq!(store.tasks(&overdue, &clock).await.expect("list"), before);
            store.close().await;
        });
    }
}
