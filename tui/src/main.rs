//! The `cnrm` command. Everything lives in the `cnrm_tui` library so tests can reach it.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    cnrm_tui::run()
}
