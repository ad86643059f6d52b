//! The store: the only module that writes SQL. One code path for SQLite (embedded default) and
//! PostgreSQL (shared installation), through sqlx's `Any` driver and one `migrations/` folder.
//!
//! SQL here is portable: `$N` placeholders (both drivers read them), BIGINT / DOUBLE PRECISION /
//! TEXT columns, `INSERT ... ON CONFLICT`, `UPDATE ... RETURNING`. Writes that must not interleave
//! (an apply, a status change) run in a transaction that holds the database's write lock from its
//! first statement: `BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL.

mod agg;
mod apply;
mod exec;
mod outbox;
mod query;
mod snapshot;

pub use apply::{sha256_hex, ApplyReport, Rename};
pub use exec::{SetRequest, SetResult};
pub use outbox::{OutboxRow, QueuedMessage, ScanInput, Sendable};
pub use query::{PlanInfo, TaskDetail, TaskFilter, TaskList, TaskRow, TaskView};

use crate::lang::Lang;
use crate::tr;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, AssertSqlSafe, Executor, Row, Transaction};
use std::path::PathBuf;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What can go wrong with the database, with enough to say what and where in one sentence.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {url}: {reason}")]
    Open { url: String, reason: String },
    #[error("database {url} has schema version {found}, newer than this cnrm ({known})")]
    Newer { url: String, found: i64, known: i64 },
    #[error("database error: {0}")]
    Sql(String),
    #[error("no task `{0}`")]
    NoTask(String),
    #[error("task `{0}` is in several plans: {1}")]
    Ambiguous(String, String),
    #[error("no plan `{0}`")]
    NoPlan(String),
    #[error("no indicator `{0}`")]
    NoIndicator(String),
    #[error("task `{0}` is archived")]
    Archived(String),
    #[error("several plans in the database: {0}")]
    NeedPlan(String),
    #[error("{0}")]
    Invalid(String),
    #[error("no plan in the database")]
    Empty,
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        StoreError::Sql(redact(&e.to_string()))
    }
}

impl StoreError {
    /// The one sentence a user reads, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StoreError::Open { url, reason } => tr!(
                lang,
                "impossible d'ouvrir la base de données {url} : {reason}",
                "cannot open the database {url}: {reason}"
            ),
            StoreError::Newer { url, found, known } => tr!(
                lang,
                "la base {url} a un schéma plus récent ({found}) que ce cnrm ({known}) : mettez cnrm à jour ; la base n'a pas été modifiée",
                "the database {url} has a newer schema ({found}) than this cnrm ({known}): upgrade cnrm; the database was left untouched"
            ),
            StoreError::Sql(e) => tr!(lang, "erreur de la base de données : {e}", "database error: {e}"),
            StoreError::NoTask(id) => tr!(
                lang,
                "aucune tâche `{id}` dans la base (voir `cnrm tasks`)",
                "no task `{id}` in the database (see `cnrm tasks`)"
            ),
            StoreError::Ambiguous(id, plans) => tr!(
                lang,
                "la tâche `{id}` existe dans plusieurs plans ({plans}) : précisez `--plan`",
                "task `{id}` exists in several plans ({plans}): add `--plan`"
            ),
            StoreError::NoPlan(id) => tr!(
                lang,
                "aucun plan `{id}` dans la base (voir `cnrm plans`)",
                "no plan `{id}` in the database (see `cnrm plans`)"
            ),
            StoreError::NoIndicator(id) => tr!(
                lang,
                "aucun indicateur `{id}` dans la base",
                "no indicator `{id}` in the database"
            ),
            StoreError::Archived(id) => tr!(
                lang,
                "la tâche `{id}` est archivée (retirée du plan) : rien n'a été enregistré",
                "task `{id}` is archived (removed from the plan): nothing was recorded"
            ),
            StoreError::NeedPlan(ids) => tr!(
                lang,
                "plusieurs plans dans la base ({ids}) : précisez `--plan`",
                "several plans in the database ({ids}): add `--plan`"
            ),
            StoreError::Invalid(msg) => msg.clone(),
            StoreError::Empty => tr!(
                lang,
                "aucun plan dans la base : appliquez-en un avec `cnrm plan apply FICHIER` ou `cnrm open FICHIER`",
                "no plan in the database: apply one with `cnrm plan apply FILE` or `cnrm open FILE`"
            ),
        }
    }
}

/// Removes a password from anything that may quote a URL (`postgres://user:secret@host`).
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail.find(['/', ' ', '?', '"', '\'']).unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => match authority[..at].find(':') {
                Some(colon) => {
                    out.push_str(&authority[..colon]);
                    out.push_str(":***");
                    out.push_str(&authority[at..]);
                }
                None => out.push_str(authority),
            },
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The default database: `cnrm.db` in the user's data directory.
pub fn default_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("cnrm").join("cnrm.db")
}

/// Turns `--db` into a URL sqlx reads: a bare path or `sqlite://path` becomes a SQLite URL that
/// creates the file; `postgres://` passes through.
fn normalise(url: &str) -> Result<(String, Backend, Option<PathBuf>), String> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((url.to_string(), Backend::Postgres, None));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || url.contains("://") && !url.starts_with("sqlite://") {
        return Err(format!("`{url}` (sqlite://FILE, FILE or postgres://…)"));
    }
    let file = PathBuf::from(path);
    Ok((
        format!("sqlite://{path}?mode=rwc"),
        Backend::Sqlite,
        Some(file),
    ))
}

/// SQLite databases up to this size are read through a memory map of this size (see
/// `Store::open`).
const MAP_BYTES: u64 = 24 << 20;

/// A task as SQLite's list index holds it: the text of one aggregated list row with every field a
/// whole list reads (`ROW_COLUMNS`, then the position), separated by U+001F (`agg::FIELD`).
macro_rules! list_row {
    () => {
        "concat_ws(char(31), id, priority_id, title, owners, partners, COALESCE(deadline, ''), deadline_label, status, CAST(progress AS TEXT), CAST(milestone AS TEXT), CAST(archived AS TEXT), CAST(position AS TEXT))"
    };
}

/// The expression of `LIST_INDEX` that a list reads (see `Store::list_statements`): SQLite takes
/// its value from the index when a query's expression is the indexed one.
pub(super) const LIST_ROW: &str = list_row!();

/// SQLite's `tasks_deadline`: migration 3's columns (plan, archived, deadline, position, status),
/// then each task's list row made once, when the index is written (see
/// `Store::sqlite_list_index`).
const LIST_INDEX: &str = concat!(
    "CREATE INDEX tasks_deadline ON tasks (plan_id, archived, deadline, position, status, ",
    list_row!(),
    ")"
);

/// The settings of each SQLite connection, for a database file of `file_len` bytes (`None`: a
/// new file).
///
/// A small database is read through a memory map: its pages are read where the operating
/// system caches them, not copied into SQLite's cache first (10,000 tasks: `cnrm tasks
/// --overdue` a fifth faster). A large one is read through SQLite's 4 MB cache: mapped pages
/// count as the process's resident memory, and a list of 100,000 tasks would hold the whole
/// 60 MB file. 8 KiB pages (a new file only; an existing one keeps its own): a first apply of
/// 100,000 tasks measured 6 % faster than with 4 KiB.
fn sqlite_pragmas(file_len: Option<u64>) -> String {
    let mut pragmas = String::from("PRAGMA page_size = 8192; PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -4000;");
    if maps_file(file_len) {
        pragmas.push_str(&format!(" PRAGMA mmap_size = {MAP_BYTES};"));
    }
    pragmas
}

/// Whether every read of a database file of `file_len` bytes (`None`: a new file) goes through a
/// memory map (see `sqlite_pragmas`).
fn maps_file(file_len: Option<u64>) -> bool {
    file_len.is_none_or(|len| len <= MAP_BYTES)
}

/// Whether SQLite refused a statement because another connection holds the lock it needs.
pub(super) fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "5" || code == "517")
}

/// An open database, migrated to the current schema.
pub struct Store {
    pool: AnyPool,
    /// The second connection of a list read in two halves, opened at its first use.
    side: AnyPool,
    backend: Backend,
    shown: String,
    /// SQLite: whether its connections read the file through a memory map (a small file);
    /// a large one is mapped only while a list is read from its list index.
    maps_file: bool,
}

impl Store {
    /// Opens (creating a SQLite file and its folder if needed) and migrates. A database whose
    /// schema is newer than this binary is refused before anything is written.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let shown = redact(url);
        let (sqlx_url, backend, file) = normalise(url).map_err(|reason| StoreError::Open {
            url: shown.clone(),
            reason,
        })?;
        if let Some(parent) = file
            .as_ref()
            .and_then(|f| f.parent())
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                url: shown.clone(),
                reason: e.to_string(),
            })?;
        }
        let file_len = file
            .as_ref()
            .and_then(|f| std::fs::metadata(f).ok())
            .map(|m| m.len());
        let pragmas: std::sync::Arc<str> = sqlite_pragmas(file_len).into();
        // One connection serves every statement of a command, one after the other; a second
        // one is opened only to read the second half of a long list side by side with the first
        // (`Store::sqlite_reading`). A pool of two opened its second connection for a statement
        // that followed another before the first's connection was back (about 1 ms, on every
        // command).
        let options = || {
            let pragmas = pragmas.clone();
            AnyPoolOptions::new()
                .max_connections(1)
                // A SQLite connection has no server to lose: no round trip to test it before
                // each statement. PostgreSQL's are tested (a server may have dropped one).
                .test_before_acquire(backend == Backend::Postgres)
                .acquire_timeout(Duration::from_secs(5))
                .after_connect(move |conn, _| {
                    let pragmas = pragmas.clone();
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            conn.execute(AssertSqlSafe(pragmas.to_string())).await?;
                        }
                        Ok(())
                    })
                })
        };
        let open_error = |e: sqlx::Error| StoreError::Open {
            url: shown.clone(),
            reason: redact(&e.to_string()),
        };
        let pool = options().connect(&sqlx_url).await.map_err(open_error)?;
        let side = options().connect_lazy(&sqlx_url).map_err(open_error)?;
        let store = Store {
            pool,
            side,
            backend,
            shown,
            maps_file: maps_file(file_len),
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let mut attempt = 0;
        loop {
            match MIGRATOR.run(&self.pool).await {
                Ok(()) => return self.sqlite_list_index().await,
                Err(sqlx::migrate::MigrateError::VersionMissing(found)) => {
                    return Err(StoreError::Newer {
                        url: self.shown.clone(),
                        found,
                        known,
                    })
                }
                // Two processes opening a new SQLite file at once: the loser finds the tables
                // half a second later and succeeds.
                Err(_) if attempt < 10 => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                }
                Err(e) => {
                    return Err(StoreError::Open {
                        url: self.shown.clone(),
                        reason: redact(&e.to_string()),
                    })
                }
            }
        }
    }

    /// On SQLite, `tasks_deadline` also holds what a task list shows (`LIST_INDEX`), so that an
    /// overdue or due-within list is read from the index alone, in order, without reading the
    /// task rows: at 100,000 tasks an overdue list of 37,000 is read in 28 ms instead of 44 by a
    /// scan (C harness on the bundled SQLite). It holds each task's list row as one text made
    /// when the index is written (`LIST_ROW`), not its columns one by one: a list then appends
    /// each row as it is stored instead of reading eight or twelve columns and joining them
    /// (the whole overdue list read in 96 M instructions instead of 236 M, C harness), for an
    /// index 2.3 MB larger at 100,000 tasks. PostgreSQL keeps migration 3's narrow index: its
    /// index entries are limited to about 2.7 KB, which a long title would exceed.
    ///
    /// Done here, after the migrations, since a migration is the same SQL for both databases:
    /// one read of the schema on every open; the first open after an upgrade rebuilds the index
    /// (0.2 s at 100,000 tasks), under the write lock, checking again once it holds it (two
    /// processes opening at once rebuild it once).
    async fn sqlite_list_index(&self) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        // Migration 3's narrow index, or an earlier list index.
        let narrow = || {
            sqlx::query(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'tasks_deadline' AND sql <> $1",
            )
            .bind(LIST_INDEX)
        };
        let count = |row: AnyRow| row.try_get::<i64, _>(0);
        if count(narrow().fetch_one(&self.pool).await?)? == 0 {
            return Ok(());
        }
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if count(narrow().fetch_one(&mut *tx).await?)? == 1 {
            sqlx::query("DROP INDEX tasks_deadline")
                .execute(&mut *tx)
                .await?;
            sqlx::query(LIST_INDEX).execute(&mut *tx).await?;
            // The dropped index's statistics went with it.
            let analyzed =
                sqlx::query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
                    .fetch_one(&mut *tx)
                    .await?;
            if count(analyzed)? == 1 {
                sqlx::query("ANALYZE tasks").execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database's address as it may be shown (password removed).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub async fn close(self) {
        self.side.close().await;
        self.pool.close().await;
    }

    /// SQLite's page cache: small for reading (a list reads each page once; 4 MB), large while
    /// an apply writes (64 MB: pages written twice stay in memory instead of spilling). Set on
    /// the pool's one connection, through `conn` (the open transaction, or the pool); an apply
    /// that fails keeps the large cache until the store closes.
    async fn write_cache<'c, E>(&self, conn: E, large: bool) -> Result<(), StoreError>
    where
        E: Executor<'c, Database = Any>,
    {
        if self.backend == Backend::Sqlite {
            let kib = if large { -64000 } else { -4000 };
            sqlx::query(AssertSqlSafe(format!("PRAGMA cache_size = {kib}")))
                .execute(conn)
                .await?;
        }
        Ok(())
    }

    /// A transaction holding the write lock from its start, so two writers never interleave.
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        match self.backend {
            Backend::Sqlite => Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock(7262696)")
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }
}

/// Reserves `n` consecutive row ids of sequence `name` and returns the first.
async fn alloc_ids(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    n: i64,
) -> Result<i64, StoreError> {
    let row: AnyRow =
        sqlx::query("UPDATE id_seq SET next_id = next_id + $1 WHERE name = $2 RETURNING next_id")
            .bind(n)
            .bind(name)
            .fetch_one(&mut **tx)
            .await?;
    let next: i64 = row.try_get(0)?;
    Ok(next - n)
}

/// Appends one event to the history.
#[allow(clippy::too_many_arguments)]
async fn add_event(
    tx: &mut Transaction<'static, Any>,
    plan: &str,
    task: Option<&str>,
    kind: &str,
    actor: &str,
    at: &str,
    data: &serde_json::Value,
    note: Option<&str>,
) -> Result<(), StoreError> {
    let id = alloc_ids(tx, "event", 1).await?;
    sqlx::query("INSERT INTO events (id, plan_id, task_id, kind, actor, at, data, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(id)
        .bind(plan)
        .bind(task)
        .bind(kind)
        .bind(actor)
        .bind(at)
        .bind(data.to_string())
        .bind(note)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_small_databases_are_read_through_a_memory_map() {
        let map = format!("PRAGMA mmap_size = {MAP_BYTES};");
        assert!(sqlite_pragmas(None).contains(&map), "a new file");
        assert!(sqlite_pragmas(Some(6 << 20)).contains(&map));
        assert!(sqlite_pragmas(Some(MAP_BYTES)).contains(&map));
        let large = sqlite_pragmas(Some(MAP_BYTES + 1));
        assert!(!large.contains("mmap_size"), "{large}");
        assert!(large.contains("journal_mode = WAL") && large.contains("cache_size = -4000"));
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://cnrm:s3cret@db.example.ml/cnrm"),
            "postgres://cnrm:***@db.example.ml/cnrm"
        );
        assert_eq!(
            redact("error at smtp://u:p@h:25 now"),
            "error at smtp://u:***@h:25 now"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
    }

    #[test]
    fn urls_are_normalised() {
        assert_eq!(
            normalise("/tmp/a.db").map(|x| x.0),
            Ok("sqlite:///tmp/a.db?mode=rwc".to_string())
        );
        assert_eq!(normalise("sqlite://x.db").map(|x| x.1), Ok(Backend::Sqlite));
        assert_eq!(
            normalise("postgres://h/db").map(|x| x.1),
            Ok(Backend::Postgres)
        );
        assert!(normalise("mysql://h/db").is_err());
    }
}
