//! The store: the only module that writes SQL. One code path for SQLite (embedded default) and
//! PostgreSQL (shared installation), through sqlx's `Any` driver and one `migrations/` folder.
//!
//! SQL here is portable: `$N` placeholders (both drivers read them), BIGINT / DOUBLE PRECISION /
//! TEXT columns, `INSERT ... ON CONFLICT`, `UPDATE ... RETURNING`. Writes that must not interleave
//! (an apply, a status change) run in a transaction that holds the database's write lock from its
//! first statement: `BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL.

mod apply;
mod exec;
mod inbox;
mod outbox;
mod query;
mod snapshot;

pub use crate::text::redact;
use crate::url::{Url, UrlError};
pub use apply::{
    sha256_hex, ApplyReport, ApplyWarning, Changes, FieldChange, Held, ItemChanges, Rename,
};
pub use exec::{Cancelled, SetRequest, SetResult, SpendResult};
pub use inbox::{
    AppliedChange, Change, ChangeValue, InboxRow, NewAnswer, NewInboxRow, PlanMoney,
    PostponeRequest, Recorded, ReplyTask, SentMessage, EMAIL_SOURCE,
};
pub use outbox::{Basis, BasisItem, OutboxRow, QueuedMessage, ScanInput, Sendable, TaskNow};
pub use query::{
    IndicatorDetail, IndicatorInfo, IndicatorValue, PlanInfo, SpendingEntry, TaskDetail,
    TaskFilter, TaskList, TaskRow,
};
/// The driver's error type, named for the edge (which does not depend on the driver).
pub use sqlx::Error as DriverError;

use crate::records::Event;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row, Transaction};
use std::path::{Path, PathBuf};
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
    #[error("{0}")]
    Url(DbUrlError),
    #[error("cannot create the folder of database {url}: {source}")]
    Folder { url: String, source: std::io::Error },
    /// A SQLite path whose folder does not exist (a typo is not silently a new database).
    #[error("the folder of database {url} does not exist")]
    NoFolder { url: String },
    /// A folder, a device, a FIFO where a SQLite file is expected.
    #[error("database {url} is not a regular file")]
    NotAFile { url: String },
    #[error("{url} is not a SQLite database")]
    NotSqlite { url: String },
    /// A SQLite file holding another program's tables and no cnrm schema: refused untouched.
    #[error("{url} holds another program's tables, not a cnrm database; it was left untouched")]
    Foreign { url: String },
    /// Another process held the write lock for [`BUSY_LIMIT`]: nothing was written.
    #[error(
        "database {url} stayed locked by another process for {seconds} s; nothing was written"
    )]
    Busy { url: String, seconds: u64 },
    /// The SQLite file cannot be read or created.
    #[error("cannot open database file {url}: {source}")]
    File { url: String, source: std::io::Error },
    #[error("database {url} does not exist on its server")]
    NoDatabase { url: String },
    #[error("the server of database {url} refused the connection")]
    Refused { url: String, host: String },
    #[error("the server of database {url} cannot be reached")]
    Unreachable { url: String, host: String },
    #[error("the server of database {url} did not answer within {seconds} s")]
    TimedOut { url: String, seconds: u64 },
    #[error("authentication failed for database {url}")]
    Auth { url: String },
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
    /// A message of this Message-ID is in the inbox already (received twice).
    #[error("message {0} was already received")]
    AlreadyReceived(String),
    /// `tasks --owner X`: no plan shown has an owner of that id or short name.
    #[error("no owner `{owner}`")]
    UnknownOwner {
        owner: String,
        /// The closest id or short name, if one is close.
        suggestion: Option<String>,
    },
    /// An effective date after today (`task set --date`, the status form).
    #[error("date {date} is after today ({today})")]
    FutureDate {
        date: chrono::NaiveDate,
        today: chrono::NaiveDate,
    },
    /// An effective date before the plan's start.
    #[error("date {date} is before the start of plan `{plan}` ({start})")]
    BeforePlan {
        date: chrono::NaiveDate,
        plan: String,
        start: chrono::NaiveDate,
    },
}

impl StoreError {
    /// Whether trying again later may succeed: the database out of reach, busy or locked, short
    /// of resources. Anything else (a value it refuses, stored data it cannot read) would fail
    /// the same way at every try.
    pub fn is_temporary(&self) -> bool {
        match self {
            StoreError::Unreachable { .. }
            | StoreError::Refused { .. }
            | StoreError::TimedOut { .. }
            | StoreError::Busy { .. }
            | StoreError::Connect { .. } => true,
            StoreError::Database(e) => temporary_sqlx(e),
            _ => false,
        }
    }
}

/// A driver error that may not recur: the connection (I/O, TLS, pool), and the codes of a busy
/// or short database. PostgreSQL's SQLSTATEs have five characters; SQLite's codes are numbers
/// whose low byte is the primary code.
fn temporary_sqlx(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(d) => d.code().is_some_and(|code| temporary_code(&code)),
        _ => false,
    }
}

/// Whether a database error code says "not now" (see [`temporary_sqlx`]).
fn temporary_code(code: &str) -> bool {
    if code.len() == 5 {
        // Connection exception, serialization failure, deadlock, insufficient resources,
        // lock not available, operator intervention (shutdown, cannot connect now).
        return code.starts_with("08")
            || code.starts_with("53")
            || matches!(
                code,
                "40001" | "40P01" | "55P03" | "57P01" | "57P02" | "57P03"
            );
    }
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
    // and their extended codes.
    code.parse::<u32>()
        .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 8 | 10 | 13 | 14))
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

/// A database address, parsed once from what the user wrote (`--db`, `CNRM_DATABASE_URL`).
/// `Display` and `Debug` show the password as `***` whatever characters it holds, so the value
/// can go into any message; only [`DbUrl::connect_url`] (for the driver) holds the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// A SQLite file; `create_folder` only for the default data folder.
    Sqlite { path: PathBuf, create_folder: bool },
    /// A PostgreSQL server, its URL read by the one URL parser ([`crate::url::Url`]).
    Postgres(Url),
}

/// Why a text is not a database address; no variant holds the text (it may hold a password).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DbUrlError {
    #[error("the database URL is empty")]
    Empty,
    /// `mysql://...`: only the scheme is kept.
    #[error("unsupported database URL scheme `{0}` (sqlite:// or postgres://)")]
    Scheme(String),
    /// A line break, a tab or another control character: never part of a file name one means.
    #[error("the database address holds a control character")]
    Control,
    /// A `postgres://` URL that the URL parser refuses (a port that is no number, an invalid
    /// `%XX`...).
    #[error("invalid database URL: {0}")]
    Malformed(UrlError),
}

impl DbUrl {
    /// Reads `--db`: a bare path or `sqlite://path` (or `sqlite:path`) is a SQLite file,
    /// `postgres://` or `postgresql://` a server, read by [`Url::parse`] (the credentials end at
    /// the last `@`, `%XX` decoded, a malformed `%` refused); any other `scheme://` is refused,
    /// and so is any control character (a line break in a file name is a mistake).
    pub fn parse(text: &str) -> Result<DbUrl, DbUrlError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DbUrlError::Empty);
        }
        if text.chars().any(char::is_control) {
            return Err(DbUrlError::Control);
        }
        let server = ["postgres://", "postgresql://"]
            .iter()
            .find_map(|p| strip_prefix_ignore_case(text, p));
        if let Some(rest) = server {
            return Url::parse(&format!("postgres://{rest}"))
                .map(DbUrl::Postgres)
                .map_err(DbUrlError::Malformed);
        }
        if let Some(i) = text.find("://") {
            let scheme = &text[..i];
            let is_scheme = !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if is_scheme && !scheme.eq_ignore_ascii_case("sqlite") {
                return Err(DbUrlError::Scheme(scheme.to_ascii_lowercase()));
            }
        }
        let path = strip_prefix_ignore_case(text, "sqlite://")
            .or_else(|| strip_prefix_ignore_case(text, "sqlite:"))
            .unwrap_or(text);
        // `sqlite://x.db?mode=ro`: the parameters are the driver's, the path is before them.
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() {
            return Err(DbUrlError::Empty);
        }
        Ok(DbUrl::Sqlite {
            path: PathBuf::from(path),
            create_folder: false,
        })
    }

    /// The default database, whose folder is created on first use.
    pub fn default_sqlite() -> DbUrl {
        DbUrl::Sqlite {
            path: default_path(),
            create_folder: true,
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbUrl::Sqlite { .. } => Backend::Sqlite,
            DbUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL the driver reads, secret included: never for a message.
    fn connect_url(&self) -> String {
        match self {
            DbUrl::Sqlite { path, .. } => format!("sqlite://{}?mode=rwc", path.display()),
            DbUrl::Postgres(url) => url.with_password(),
        }
    }

    /// The server's host (and port) as written, for messages.
    fn host(&self) -> String {
        match self {
            DbUrl::Sqlite { path, .. } => path.display().to_string(),
            DbUrl::Postgres(url) => match (url.host(), url.port()) {
                ("", _) => "localhost".to_string(),
                (_, Some(port)) => url.server(port),
                (host, None) => host.to_string(),
            },
        }
    }
}

impl std::str::FromStr for DbUrl {
    type Err = DbUrlError;
    fn from_str(s: &str) -> Result<DbUrl, DbUrlError> {
        DbUrl::parse(s)
    }
}

impl std::fmt::Display for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbUrl::Sqlite { path, .. } => write!(f, "{}", path.display()),
            DbUrl::Postgres(url) => write!(f, "{url}"),
        }
    }
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DbUrl({self})")
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// An open database, migrated to the current schema.
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    shown: String,
    /// Called once when a write waits for another process's lock (see [`Store::on_busy`]).
    busy_notice: Option<std::sync::Arc<dyn Fn() + Send + Sync>>,
}

/// How long a write waits for another process that holds the database's write lock before it
/// gives up ([`StoreError::Busy`]); said in the error and in `docs/database.md`.
pub const BUSY_LIMIT: Duration = Duration::from_secs(30);
// Written out in `SQLITE_PRAGMAS` (busy_timeout) and in `begin_write` (lock_timeout).
const _: () = assert!(BUSY_LIMIT.as_secs() == 30);

/// After how long a write still waiting for the lock is said ([`Store::on_busy`]).
const BUSY_NOTICE_AFTER: Duration = Duration::from_millis(1500);

/// The settings of each SQLite connection: readers never wait for a writer (WAL), a writer
/// waits its turn for up to [`BUSY_LIMIT`], foreign keys are enforced.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

impl Store {
    /// Opens `url` as `--db` reads it (see [`DbUrl::parse`]).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::connect(&DbUrl::parse(url).map_err(StoreError::Url)?).await
    }

    /// Opens (creating a SQLite file, and the default data folder if needed) and migrates. A
    /// database whose schema is newer than this binary is refused before anything is written.
    ///
    /// One connection is made directly first, so that what prevents any connection (no such
    /// database, refused, wrong password, not a SQLite file) is said at once: the pool would
    /// retry some of these until its time-out and then only say that it timed out.
    pub async fn connect(db: &DbUrl) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let shown = db.to_string();
        let backend = db.backend();
        if let DbUrl::Sqlite {
            path,
            create_folder,
        } = db
        {
            if check_sqlite_file(path, *create_folder, &shown)? {
                let foreign = is_foreign_sqlite(path)
                    .await
                    .map_err(|e| connect_error(db, &shown, e))?;
                if foreign {
                    return Err(StoreError::Foreign { url: shown });
                }
            }
        }
        let url = db.connect_url();
        first_connection(db, &url, &shown).await?;
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
            .connect(&url)
            .await
            .map_err(|e| connect_error(db, &shown, e))?;
        let store = Store {
            pool,
            backend,
            shown,
            busy_notice: None,
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

    /// `notice` is called (once per write) when a write has waited [`BUSY_NOTICE_AFTER`] for
    /// the lock another process holds, so that a person is told why nothing happens; the write
    /// goes on waiting, up to [`BUSY_LIMIT`].
    pub fn on_busy(&mut self, notice: impl Fn() + Send + Sync + 'static) {
        self.busy_notice = Some(std::sync::Arc::new(notice));
    }

    /// A transaction holding the write lock from its start, so two writers never interleave.
    /// A lock held by another process is waited for up to [`BUSY_LIMIT`] (said after
    /// [`BUSY_NOTICE_AFTER`] through [`Store::on_busy`]), then [`StoreError::Busy`].
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        let begin = async {
            match self.backend {
                // SQLite takes its write lock at BEGIN IMMEDIATE, waiting up to its busy_timeout
                // (BUSY_LIMIT); PostgreSQL locks rows, not the database, so one advisory lock
                // stands for it, waited for up to lock_timeout.
                Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
                Backend::Postgres => {
                    let mut tx = self.pool.begin().await?;
                    // BUSY_LIMIT's 30 s, written out: SET takes no bound parameter.
                    sqlx::query("SET LOCAL lock_timeout = '30s'")
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("SELECT pg_advisory_xact_lock(7262696)")
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("SET LOCAL lock_timeout = 0")
                        .execute(&mut *tx)
                        .await?;
                    Ok(tx)
                }
            }
        };
        tokio::pin!(begin);
        let result = tokio::select! {
            r = &mut begin => r,
            () = tokio::time::sleep(BUSY_NOTICE_AFTER) => {
                if let Some(notice) = &self.busy_notice {
                    notice();
                }
                begin.await
            }
        };
        result.map_err(|e| {
            if is_busy(&e) {
                StoreError::Busy {
                    url: self.shown.clone(),
                    seconds: BUSY_LIMIT.as_secs(),
                }
            } else {
                StoreError::Database(e)
            }
        })
    }
}

/// True when `e` says another process holds the lock: SQLite's SQLITE_BUSY (5, and its
/// extended codes), PostgreSQL's lock_not_available (55P03).
pub fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => matches!(
            d.code().as_deref(),
            Some("5" | "261" | "517" | "773" | "55P03")
        ),
        _ => false,
    }
}

/// Whether the SQLite file at `path` (which exists and is not empty) holds tables but not
/// cnrm's: read through a read-only connection, so the file of another program is never
/// touched (not even switched to WAL).
async fn is_foreign_sqlite(path: &Path) -> Result<bool, sqlx::Error> {
    // Another cnrm may be creating or migrating this very file: its lock is waited for, as a
    // write would wait ([`BUSY_LIMIT`]).
    let until = tokio::time::Instant::now() + BUSY_LIMIT;
    loop {
        match probe_tables(path).await {
            Err(sqlx::Error::Database(d))
                if sqlite_busy(d.code().as_deref()) && tokio::time::Instant::now() < until =>
            {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => return other,
        }
    }
}

/// SQLite's "busy" and "locked" codes, extended ones included.
fn sqlite_busy(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// [`is_foreign_sqlite`]'s one look at the file.
async fn probe_tables(path: &Path) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    let url = format!("sqlite://{}?mode=ro", path.display());
    let mut conn = sqlx::AnyConnection::connect(&url).await?;
    // Another cnrm may be creating or migrating this very file: wait for it as a write would.
    sqlx::query("PRAGMA busy_timeout = 30000")
        .execute(&mut conn)
        .await?;
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut conn)
            .await?;
    conn.close().await?;
    Ok(!names.is_empty() && !names.iter().any(|n| n == "_sqlx_migrations"))
}

/// How long the first connection may take (a server that accepts and never answers).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// What can be said of a SQLite path before the driver opens it: its folder exists (or is the
/// default one, then created), and an existing file is a regular file holding a SQLite database
/// (or nothing yet). True when the file holds a database (is not empty).
fn check_sqlite_file(path: &Path, create_folder: bool, shown: &str) -> Result<bool, StoreError> {
    use std::io::Read;
    let url = || shown.to_string();
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(StoreError::NotAFile { url: url() }),
        Ok(_) => {
            let mut head = Vec::with_capacity(16);
            std::fs::File::open(path)
                .and_then(|f| f.take(16).read_to_end(&mut head))
                .map_err(|source| StoreError::File { url: url(), source })?;
            if head.is_empty() {
                Ok(false)
            } else if head.as_slice() == SQLITE_HEADER {
                Ok(true)
            } else {
                Err(StoreError::NotSqlite { url: url() })
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            match parent {
                Some(folder) if !folder.is_dir() => {
                    if create_folder {
                        std::fs::create_dir_all(folder)
                            .map(|()| false)
                            .map_err(|source| StoreError::Folder { url: url(), source })
                    } else {
                        Err(StoreError::NoFolder { url: url() })
                    }
                }
                _ => Ok(false),
            }
        }
        Err(source) => Err(StoreError::File { url: url(), source }),
    }
}

/// One connection made and closed, its failure said precisely.
async fn first_connection(db: &DbUrl, url: &str, shown: &str) -> Result<(), StoreError> {
    use sqlx::Connection;
    let once = || async {
        let mut conn = sqlx::AnyConnection::connect(url).await?;
        if db.backend() == Backend::Sqlite {
            conn.execute(SQLITE_PRAGMAS).await?;
        }
        conn.close().await
    };
    // A SQLite file another cnrm is creating or migrating may answer "busy" before any busy
    // handler is set (switching to WAL): tried again, as a write waits.
    let attempt = async {
        let until = tokio::time::Instant::now() + BUSY_LIMIT;
        loop {
            match once().await {
                Err(sqlx::Error::Database(d))
                    if sqlite_busy(d.code().as_deref()) && tokio::time::Instant::now() < until =>
                {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                other => return other,
            }
        }
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, attempt).await {
        Ok(result) => result.map_err(|e| connect_error(db, shown, e)),
        Err(_) => Err(StoreError::TimedOut {
            url: shown.to_string(),
            seconds: CONNECT_TIMEOUT.as_secs(),
        }),
    }
}

/// A connection's failure as the error saying it: the SQLSTATE or SQLite code and the kind of
/// I/O error tell the cases apart, never the driver's text.
fn connect_error(db: &DbUrl, shown: &str, e: sqlx::Error) -> StoreError {
    let url = shown.to_string();
    let code = match &e {
        sqlx::Error::Database(d) => d.code().map(|c| c.into_owned()),
        _ => None,
    };
    match (&e, code.as_deref()) {
        // invalid_catalog_name; invalid_password, invalid_authorization_specification.
        (_, Some("3D000")) => StoreError::NoDatabase { url },
        (_, Some("28P01" | "28000")) => StoreError::Auth { url },
        // SQLITE_NOTADB.
        (_, Some("26")) => StoreError::NotSqlite { url },
        (sqlx::Error::Io(io), _) if db.backend() == Backend::Postgres => {
            let host = db.host();
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound => {
                    StoreError::Refused { url, host }
                }
                _ => StoreError::Unreachable { url, host },
            }
        }
        (sqlx::Error::PoolTimedOut, _) => StoreError::TimedOut { url, seconds: 5 },
        _ => StoreError::Connect { url, source: e },
    }
}

/// What a driver error was, so that the edge can say it without quoting the driver's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    Io(std::io::ErrorKind),
    Tls,
    /// No connection came in time, or the pool was closed.
    NoAnswer,
    /// The address could not be read by the driver.
    BadAddress,
    /// The database refused a statement, with its SQLSTATE or SQLite code when it gave one.
    Refused(Option<String>),
    Other,
}

impl Cause {
    pub fn of(e: &sqlx::Error) -> Cause {
        match e {
            sqlx::Error::Io(io) => Cause::Io(io.kind()),
            sqlx::Error::Tls(_) => Cause::Tls,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => Cause::NoAnswer,
            sqlx::Error::Configuration(_) => Cause::BadAddress,
            sqlx::Error::Database(d) => Cause::Refused(d.code().map(|c| c.into_owned())),
            _ => Cause::Other,
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
    event: &Event,
    actor: &str,
    at: &str,
    note: Option<&str>,
) -> Result<(), StoreError> {
    add_event_from(tx, plan, task, event, actor, at, note, None).await
}

/// Appends one event to the history, with where it came from (`e-mail`; `None` for the command
/// line and the terminal UI).
#[allow(clippy::too_many_arguments)]
async fn add_event_from(
    tx: &mut Transaction<'static, Any>,
    plan: &str,
    task: Option<&str>,
    event: &Event,
    actor: &str,
    at: &str,
    note: Option<&str>,
    source: Option<&str>,
) -> Result<(), StoreError> {
    let id = alloc_ids(tx, "event", 1).await?;
    let (kind, data) = event.to_stored();
    sqlx::query("INSERT INTO events (id, plan_id, task_id, kind, actor, at, data, note, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(id)
        .bind(plan)
        .bind(task)
        .bind(kind)
        .bind(actor)
        .bind(at)
        .bind(data)
        .bind(note)
        .bind(source)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_a_busy_or_unreachable_database_is_temporary() {
        // PostgreSQL: 22021 (a NUL byte) and 23505 would recur; 40001, 08006, 53100 may not.
        for code in ["22021", "23505", "42P01", "19", "2067", "1"] {
            assert!(!temporary_code(code), "{code}");
        }
        for code in [
            "40001", "40P01", "08006", "53100", "57P01", "5", "517", "6", "13",
        ] {
            assert!(temporary_code(code), "{code}");
        }
        assert!(StoreError::TimedOut {
            url: "x".into(),
            seconds: 5
        }
        .is_temporary());
        assert!(!StoreError::Corrupt("x".into()).is_temporary());
        assert!(StoreError::Database(sqlx::Error::PoolTimedOut).is_temporary());
        assert!(!StoreError::Database(sqlx::Error::RowNotFound).is_temporary());
    }

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
    fn urls_are_parsed_once() {
        let sqlite = |url: &str| match DbUrl::parse(url) {
            Ok(DbUrl::Sqlite { path, .. }) => Some(path.display().to_string()),
            _ => None,
        };
        assert_eq!(sqlite("/tmp/a.db").as_deref(), Some("/tmp/a.db"));
        assert_eq!(sqlite("sqlite://x.db?mode=rwc").as_deref(), Some("x.db"));
        assert_eq!(sqlite("sqlite:x.db").as_deref(), Some("x.db"));
        assert_eq!(
            DbUrl::parse("/tmp/a.db").map(|d| d.connect_url()),
            Ok("sqlite:///tmp/a.db?mode=rwc".to_string())
        );
        assert_eq!(
            DbUrl::parse("postgres://h/db").map(|d| d.backend()),
            Ok(Backend::Postgres)
        );
        assert_eq!(
            DbUrl::parse("mysql://root:S3cret@h/x"),
            Err(DbUrlError::Scheme("mysql".into()))
        );
        assert_eq!(DbUrl::parse(" "), Err(DbUrlError::Empty));
        assert_eq!(DbUrl::parse("sqlite://"), Err(DbUrlError::Empty));
    }

    #[test]
    fn control_characters_and_malformed_urls_are_refused_without_a_word_of_them() {
        for path in ["x\ny.db", "a\tb", "sqlite://a\u{1b}b.db", "x\u{7f}"] {
            assert_eq!(DbUrl::parse(path), Err(DbUrlError::Control), "{path:?}");
        }
        for (url, why) in [
            ("postgres://postgres:TopS3cret", UrlError::BadPort),
            ("postgres://u:TopS3cret%zz@h/db", UrlError::BadEncoding),
            ("postgresql://u:TopS3cret@[::1/db", UrlError::BadHost),
        ] {
            let e = DbUrl::parse(url).expect_err(url);
            assert_eq!(e, DbUrlError::Malformed(why), "{url}");
            assert!(!e.to_string().contains("TopS3cret"), "{e}");
        }
    }

    #[test]
    fn a_password_is_hidden_whatever_it_holds() {
        for (url, shown, driver) in [
            (
                "postgres://cnrm:s3cret@db.example.ml/cnrm",
                "postgres://cnrm:***@db.example.ml/cnrm",
                "postgres://cnrm:s3cret@db.example.ml/cnrm",
            ),
            (
                "postgresql://cnrm:a/b?c d@e@db:5432/cnrm?sslmode=require",
                "postgres://cnrm:***@db:5432/cnrm?sslmode=require",
                "postgres://cnrm:a%2Fb%3Fc%20d%40e@db:5432/cnrm?sslmode=require",
            ),
            (
                "postgres://cnrm:p%40ss@db/cnrm",
                "postgres://cnrm:***@db/cnrm",
                "postgres://cnrm:p%40ss@db/cnrm",
            ),
            (
                "postgres://db/cnrm?user=u&password=top",
                "postgres://db/cnrm?user=u&password=***",
                "postgres://db/cnrm?user=u&password=top",
            ),
            (
                "postgres://postgres@127.0.0.1/test",
                "postgres://postgres@127.0.0.1/test",
                "postgres://postgres@127.0.0.1/test",
            ),
        ] {
            let db = DbUrl::parse(url).expect(url);
            assert_eq!(db.to_string(), shown, "{url}");
            assert_eq!(format!("{db:?}"), format!("DbUrl({shown})"), "{url}");
            assert_eq!(db.connect_url(), driver, "{url}");
        }
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
