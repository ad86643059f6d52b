//! Real databases for the tests: a temporary SQLite file, and a fresh database on the real
//! PostgreSQL server (`postgres://postgres@127.0.0.1:5432/test`, or `CNRM_TEST_POSTGRES`), dropped
//! afterwards. An unreachable server skips a test's PostgreSQL half with a line on stderr, or fails
//! the test when `CNRM_REQUIRE_POSTGRES=1` (as `.ci/run` sets it): see `require`.

use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct TestDb {
    pub url: String,
    pub label: &'static str,
    drop_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

fn admin_url() -> String {
    std::env::var("CNRM_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn with_db_name(url: &str, name: &str) -> String {
    match url.rfind('/') {
        Some(i) if i > "postgres://".len() => format!("{}/{}", &url[..i], name),
        _ => format!("{url}/{name}"),
    }
}

async fn admin(sql: String) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&admin_url()).await?;
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await?;
    conn.close().await
}

/// Runs `f` to completion on a fresh single-threaded runtime (what a `cnrm` command uses).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = dir.path().join("cnrm.db").display().to_string();
        TestDb {
            url,
            label: "sqlite",
            drop_name: None,
            _dir: Some(dir),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a skip line) when the server is unreachable
    /// and not required.
    pub fn postgres() -> Option<TestDb> {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("cnrm_t_{}_{}_{}", std::process::id(), n, nanos);
        match block_on(admin(format!("CREATE DATABASE {name}"))) {
            Ok(()) => Some(TestDb {
                url: with_db_name(&admin_url(), &name),
                label: "postgres",
                drop_name: Some(name),
                _dir: None,
            }),
            Err(e) => {
                super::require::require(
                    "CNRM_REQUIRE_POSTGRES",
                    Some(&format!(
                        "its PostgreSQL half: PostgreSQL unreachable ({e})"
                    )),
                );
                None
            }
        }
    }

    /// Both databases: every store test runs unchanged on each.
    pub fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite()];
        dbs.extend(TestDb::postgres());
        dbs
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.drop_name.take() {
            let _ = block_on(admin(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )));
        }
    }
}
