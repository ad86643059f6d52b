//! The `cnrm` command. Everything lives in the `cnrm_tui` library so tests can reach it.
#![forbid(unsafe_code)]

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cnrm_tui::run()
}
