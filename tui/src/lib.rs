//! The `cnrm` command: CLI dispatch (and, later, the terminal UI) over the engine.
//!
//! This crate owns everything about terminals and arguments; the engine owns the logic. Human
//! output is French by default and English with `--lang en`; JSON keys are never translated.
#![forbid(unsafe_code)]

pub mod check;
pub mod cli;
pub mod strings;

use clap::Parser;
use std::process::ExitCode;

/// Exit codes of the contract (`../shared/spec/cli.md`).
pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEM: u8 = 1;
pub const EXIT_MISUSE: u8 = 2;

/// Parses the arguments and runs the command; never panics on user input.
pub fn run() -> ExitCode {
    let args = cli::Cli::parse();
    let lang = args.global.lang;
    let code = match args.command {
        cli::Command::Plan(cli::PlanCommand::Check(c)) => check::run(&c, lang),
        cli::Command::Plan(cli::PlanCommand::Schema) => {
            println!("{}", cnrm_engine::plan::schema::SCHEMA.trim_end());
            EXIT_OK
        }
    };
    ExitCode::from(code)
}
