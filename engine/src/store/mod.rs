//! The store: the only module that writes SQL. One code path for SQLite (embedded default) and
//! PostgreSQL (shared installation), through sqlx's `Any` driver and one `migrations/` folder.
//!
//! SQL here is portable: `$N` placeholders (both drivers read them), BIGINT / DOUBLE PRECISION /
//! TEXT columns, `INSERT ... ON CONFLICT`, `UPDATE ... RETURNING`. Writes that must not interleave
//! (an apply, a status change) run in a transaction that holds the database's write lock from its
//! first statement: `BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL.

mod apply;
mod exec;
mod outbox;
mod query;
mod snapshot;

pub use crate::text::redact;
pub use apply::{sha256_hex, ApplyReport, ApplyWarning, Changes, FieldChange, ItemChanges, Rename};
pub use exec::{Cancelled, SetRequest, SetResult};
pub use outbox::{OutboxRow, QueuedMessage, ScanInput, Sendable};
pub use query::{
    IndicatorDetail, IndicatorInfo, IndicatorValue, PlanInfo, SpendingEntry, TaskDetail,
    TaskFilter, TaskList, TaskRow,
};

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row, Transaction};
use std::path::PathBuf;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What can go wrong with the database, with enough to say what and where in one sentence.
/// The sentence itself, in the user's language, is made at the edge (the command line, the
/// terminal UI); `Display` is the English line for logs. URLs are kept with their password
/// replaced by `***`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("`{url}` is neither a SQLite path nor a postgres:// URL")]
    Url { url: String },
    #[error("cannot create the folder of database {url}: {source}")]
    Folder { url: String, source: std::io::Error },
    #[error("cannot open database {url}: {}", redact(&.source.to_string()))]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot migrate database {url}: {}", redact(&.source.to_string()))]
    Migrate {
        url: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error("database {url} has schema version {found}, newer than this cnrm ({known})")]
    Newer { url: String, found: i64, known: i64 },
    #[error("database error: {}", redact(&.0.to_string()))]
    Database(#[from] sqlx::Error),
    /// A stored value this version cannot read (what, where).
    #[error("unreadable stored data: {0}")]
    Corrupt(String),
    #[error("no task `{0}`")]
    NoTask(String),
    #[error("task `{id}` is in several plans: {plans}")]
    Ambiguous { id: String, plans: String },
    #[error("no plan `{0}`")]
    NoPlan(String),
    #[error("no indicator `{0}`")]
    NoIndicator(String),
    #[error("task `{0}` is archived")]
    Archived(String),
    #[error("several plans in the database: {0}")]
    NeedPlan(String),
    #[error("no plan in the database")]
    Empty,
    #[error("invalid progress {0}")]
    BadProgress(i64),
    #[error("nothing to record")]
    NothingToRecord,
    #[error("invalid amount {0}")]
    BadAmount(f64),
    #[error("unknown currency `{currency}` for plan `{plan}`")]
    UnknownCurrency {
        currency: String,
        plan: String,
        plan_currency: String,
    },
    /// A plan applied by a cnrm that did not record reminder policies.
    #[error("plan `{0}` has no recorded reminder policy")]
    NoPolicy(String),
    #[error("no outbox message #{0}")]
    NoMessage(i64),
    /// `--cancel ENTRY` names no entry: (task or indicator id, entry, how many there are).
    #[error("`{id}` has no entry #{entry} ({count} recorded)")]
    NoEntry {
        id: String,
        entry: i64,
        count: usize,
    },
    #[error("entry #{entry} of `{id}` is already cancelled")]
    AlreadyCancelled { id: String, entry: i64 },
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
fn normalise(url: &str) -> Option<(String, Backend, Option<PathBuf>)> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Some((url.to_string(), Backend::Postgres, None));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || url.contains("://") && !url.starts_with("sqlite://") {
        return None;
    }
    let file = PathBuf::from(path);
    Some((
        format!("sqlite://{path}?mode=rwc"),
        Backend::Sqlite,
        Some(file),
    ))
}

/// An open database, migrated to the current schema.
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    shown: String,
}

/// The settings of each SQLite connection: readers never wait for a writer (WAL), a writer
/// waits its turn for up to a minute, foreign keys are enforced.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

impl Store {
    /// Opens (creating a SQLite file and its folder if needed) and migrates. A database whose
    /// schema is newer than this binary is refused before anything is written.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let shown = redact(url);
        let (sqlx_url, backend, file) =
            normalise(url).ok_or_else(|| StoreError::Url { url: shown.clone() })?;
        if let Some(parent) = file
            .as_ref()
            .and_then(|f| f.parent())
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Folder {
                url: shown.clone(),
                source,
            })?;
        }
        // One connection: a command's statements run one after the other.
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            // A SQLite connection has no server to lose; PostgreSQL's are tested (a server may
            // have dropped one).
            .test_before_acquire(backend == Backend::Postgres)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    // PRAGMAs are SQLite's; PostgreSQL needs no setting per connection.
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
            .connect(&sqlx_url)
            .await
            .map_err(|source| StoreError::Connect {
                url: shown.clone(),
                source,
            })?;
        let store = Store {
            pool,
            backend,
            shown,
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let mut attempt = 0;
        loop {
            match MIGRATOR.run(&self.pool).await {
                Ok(()) => return Ok(()),
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
                Err(source) => {
                    return Err(StoreError::Migrate {
                        url: self.shown.clone(),
                        source,
                    })
                }
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database's address as it may be shown (password removed).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub async fn close(self) {
        self.pool.close().await;
    }

    /// A transaction holding the write lock from its start, so two writers never interleave.
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        match self.backend {
            // SQLite takes its write lock at BEGIN IMMEDIATE; PostgreSQL locks rows, not the
            // database, so one advisory lock stands for it.
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
            Some("sqlite:///tmp/a.db?mode=rwc".to_string())
        );
        assert_eq!(
            normalise("sqlite://x.db").map(|x| x.1),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            normalise("postgres://h/db").map(|x| x.1),
            Some(Backend::Postgres)
        );
        assert!(normalise("mysql://h/db").is_none());
    }

    #[test]
    fn the_list_index_of_earlier_versions_is_replaced_by_the_migrations_one() {
        let dir = tempfile::tempdir().expect("dir");
        let url = dir.path().join("cnrm.db").to_string_lossy().to_string();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
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
            let plain =
                "CREATE INDEX tasks_deadline ON tasks (plan_id, archived, deadline, position, status)";
            let store = Store::open(&url).await.expect("open");
            assert_eq!(definition(&store).await, plain);
            // As the previous version left it: an index on an expression, migration 5 not run.
            for sql in [
                "DROP INDEX tasks_deadline",
                "CREATE INDEX tasks_deadline ON tasks (plan_id, archived, deadline, position, status, concat_ws(char(31), id, title))",
                "DELETE FROM _sqlx_migrations WHERE version = 20261202000005",
            ] {
                sqlx::query(sql).execute(&store.pool).await.expect(sql);
            }
            store.close().await;
            let store = Store::open(&url).await.expect("reopen");
            assert_eq!(definition(&store).await, plain);
            store.close().await;
        });
    }
}
