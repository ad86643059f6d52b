//! Helpers shared by the end-to-end tests.

pub mod db;
pub mod fault_imap;
pub mod imap;
pub mod require;
pub mod smtp;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where `plans/` and `tests/fixtures/` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The `cnrm` binary built by cargo for these tests, with a clean environment of our own.
pub fn cnrm() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cnrm"));
    for var in [
        "CNRM_DATABASE_URL",
        "CNRM_LANG",
        "CNRM_ACTOR",
        "CNRM_NOW",
        "NO_COLOR",
    ] {
        cmd.env_remove(var);
    }
    // No configuration file of the machine's user leaks into the tests.
    cmd.env(
        "CNRM_CONFIG",
        root().join("tests/fixtures/no-such-config.yaml"),
    );
    cmd.current_dir(root());
    cmd
}

/// Runs `cnrm` with `args` and returns its output (the test fails if it cannot start).
pub fn run(args: &[&str]) -> Output {
    cnrm().args(args).output().expect("the cnrm binary starts")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// Starts two `cnrm` processes at the same moment (stdout and stderr captured), waits for both
/// and asserts that both succeeded; returns their outputs.
pub fn both_succeed(label: &str, mut command: impl FnMut() -> Command) -> (Output, Output) {
    let spawn = |mut c: Command| {
        c.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(command()), spawn(command()));
    let (a, b) = (
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    );
    assert!(
        a.status.success() && b.status.success(),
        "{label}: {} / {}",
        stderr(&a),
        stderr(&b)
    );
    (a, b)
}

/// `cnrm plan check --format json` on a file: exit code and parsed diagnostics.
pub fn check_json(path: &Path, lang: &str) -> (i32, Vec<serde_json::Value>) {
    let out = run(&[
        "plan",
        "check",
        "--format",
        "json",
        "--lang",
        lang,
        &path.to_string_lossy(),
    ]);
    let diags: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("JSON output for {}: {e}\n{}", path.display(), stdout(&out)));
    (out.status.code().unwrap_or(-1), diags)
}

/// Every example plan in `plans/`.
pub fn example_plans() -> Vec<PathBuf> {
    let mut plans: Vec<PathBuf> = std::fs::read_dir(root().join("plans"))
        .expect("plans/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    plans.sort();
    assert!(plans.len() >= 2, "plans/ holds the example plans");
    plans
}

/// `cnrm` against the database `db`, at a fixed time, as a fixed actor.
pub fn cnrm_db(db: &db::TestDb, now: &str) -> Command {
    let mut cmd = cnrm();
    cmd.env("CNRM_DATABASE_URL", &db.url)
        .env("CNRM_NOW", now)
        .env("CNRM_ACTOR", "secretariat");
    cmd
}

/// Runs a prepared command and returns (exit code, stdout, stderr).
pub fn exec(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("cnrm starts");
    (out.status.code().unwrap_or(-1), stdout(&out), stderr(&out))
}

/// Writes `text` to a file named `name` in `dir` and returns its path as a string.
pub fn write_plan(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write plan");
    path.display().to_string()
}

/// `text` written as `name` in a new folder and applied to `db` at `now` (the test fails if it
/// is refused); the folder, which the test may keep using.
pub fn apply_plan(db: &db::TestDb, now: &str, name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let file = write_plan(dir.path(), name, text);
    let (code, _, err) = exec(cnrm_db(db, now).args(["plan", "apply", &file]));
    assert_eq!(code, 0, "{err}");
    dir
}
