//! The outside parts some tests need (PostgreSQL, tmux, Chromium, the test SMTP server,
//! yaml-language-server), found or not. A test whose part is missing is skipped with one line on
//! stderr saying what is missing, unless its `CNRM_REQUIRE_*` variable is `1` (as `.ci/run` sets
//! them all): then a missing part fails the test.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// Whether a test that needs a part runs: `missing` is `None` when the part is here, otherwise
/// what is missing. A missing part skips the test (one line on stderr, returns false), or fails
/// it when `var` is `1`.
pub fn require(var: &str, missing: Option<&str>) -> bool {
    let Some(missing) = missing else {
        return true;
    };
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    if std::env::var(var).is_ok_and(|v| v == "1") {
        panic!("{test}: {missing}, and {var}=1 requires it");
    }
    // Straight to the process's stderr, past the test harness's capture: the line shows in a
    // passing run too.
    let _ = writeln!(
        std::io::stderr().lock(),
        "skipped: {test}: {missing} (set {var}=1 to require it)"
    );
    false
}

/// Why `program args…` cannot be run successfully, if it cannot.
fn fails(program: &str, args: &[&str]) -> Option<String> {
    match Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(format!(
            "`{program} {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!("{program} not found")),
        Err(e) => Some(format!("{program} does not start: {e}")),
    }
}

/// tmux, for the terminal UI tests (`CNRM_REQUIRE_TMUX`).
/// The stock `sqlite3` tool, to read the database as a user would (`CNRM_REQUIRE_SQLITE3`).
pub fn sqlite3() -> bool {
    static MISSING: OnceLock<Option<String>> = OnceLock::new();
    let missing = MISSING.get_or_init(|| fails("sqlite3", &["-version"]));
    require("CNRM_REQUIRE_SQLITE3", missing.as_deref())
}

pub fn tmux() -> bool {
    static MISSING: OnceLock<Option<String>> = OnceLock::new();
    let missing = MISSING.get_or_init(|| fails("tmux", &["-V"]));
    require("CNRM_REQUIRE_TMUX", missing.as_deref())
}

/// Headless Chromium (Debian's `chromium`, or `chromium-browser`), for the HTML report
/// (`CNRM_REQUIRE_CHROMIUM`): the command to run, or `None` to skip.
pub fn chromium() -> Option<&'static str> {
    static FOUND: OnceLock<Result<&'static str, String>> = OnceLock::new();
    let found = FOUND.get_or_init(|| {
        ["chromium", "chromium-browser"]
            .into_iter()
            .find(|c| fails(c, &["--version"]).is_none())
            .ok_or_else(|| "chromium not found (nor chromium-browser)".to_string())
    });
    match found {
        Ok(command) => Some(command),
        Err(missing) => {
            require("CNRM_REQUIRE_CHROMIUM", Some(missing));
            None
        }
    }
}

/// The test SMTP server (`tests/smtp_server.py`: python3 with aiosmtpd), for the reminder tests
/// that send (`CNRM_REQUIRE_SMTP`).
pub fn smtp() -> bool {
    static MISSING: OnceLock<Option<String>> = OnceLock::new();
    let missing = MISSING.get_or_init(|| {
        fails("python3", &["-c", "import aiosmtpd"]).map(|why| {
            if why == "python3 not found" {
                why
            } else {
                "Python's aiosmtpd not importable (python3 -m pip install aiosmtpd)".to_string()
            }
        })
    });
    require("CNRM_REQUIRE_SMTP", missing.as_deref())
}

/// yaml-language-server, the language server of VS Code's YAML extension, for the editor tests of
/// the JSON Schema (`CNRM_REQUIRE_YAMLLS`): the command to run (`CNRM_YAMLLS` if set, else
/// `yaml-language-server` on the PATH), or `None` to skip.
pub fn yamlls() -> Option<String> {
    static FOUND: OnceLock<Result<String, String>> = OnceLock::new();
    let found = FOUND.get_or_init(|| {
        let command =
            std::env::var("CNRM_YAMLLS").unwrap_or_else(|_| "yaml-language-server".to_string());
        match fails(&command, &["--version"]) {
            None => Ok(command),
            Some(why) => Err(format!(
                "{why} (npm install -g yaml-language-server@2.0.0, or set CNRM_YAMLLS)"
            )),
        }
    });
    match found {
        Ok(command) => Some(command.clone()),
        Err(missing) => {
            require("CNRM_REQUIRE_YAMLLS", Some(missing));
            None
        }
    }
}

/// Dovecot (Debian's `dovecot-imapd`, `/usr/sbin/dovecot`) and the `openssl` tool for its
/// self-signed certificate, for `cnrm mail fetch` (`CNRM_REQUIRE_IMAP`).
pub fn imap() -> bool {
    static MISSING: OnceLock<Option<String>> = OnceLock::new();
    let missing = MISSING.get_or_init(|| {
        fails("/usr/sbin/dovecot", &["--version"])
            .map(|why| format!("{why} (apt-get install dovecot-imapd)"))
            .or_else(|| fails("openssl", &["version"]))
    });
    require("CNRM_REQUIRE_IMAP", missing.as_deref())
}

/// LibreOffice (Debian's `libreoffice-calc-nogui`), headless, to open the workbooks cnrm writes
/// and convert them to CSV and PDF (`CNRM_REQUIRE_LIBREOFFICE`).
pub fn libreoffice() -> bool {
    static MISSING: OnceLock<Option<String>> = OnceLock::new();
    let missing = MISSING.get_or_init(|| fails("libreoffice", &["--version"]));
    require("CNRM_REQUIRE_LIBREOFFICE", missing.as_deref())
}

/// Python's openpyxl, which writes workbook fixtures and reads back the workbooks cnrm writes
/// (`CNRM_REQUIRE_OPENPYXL`).
pub fn openpyxl() -> bool {
    static MISSING: OnceLock<Option<String>> = OnceLock::new();
    let missing = MISSING.get_or_init(|| {
        fails("python3", &["-c", "import openpyxl"]).map(|why| {
            if why == "python3 not found" {
                why
            } else {
                "Python's openpyxl not importable (python3 -m pip install openpyxl)".to_string()
            }
        })
    });
    require("CNRM_REQUIRE_OPENPYXL", missing.as_deref())
}
