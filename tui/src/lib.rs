//! The `cnrm` command: CLI dispatch (and, later, the terminal UI) over the engine.
//!
//! This crate owns everything about terminals and arguments; the engine owns the logic. Human
//! output is French by default and English with `--lang en`; JSON keys are never translated.
#![forbid(unsafe_code)]

/// The value of a `Result<T, u8>`, or returns its exit code: the opening of every command
/// (its context, its plan file).
macro_rules! or_exit {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(code) => return code,
        }
    };
}

pub mod check;
pub mod cli;
pub mod commands;
pub mod reminders;
pub mod reports;
pub mod strings;
pub mod ui;

use clap::Parser;
use std::process::ExitCode;

/// Exit codes of the contract (`../shared/spec/cli.md`).
pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEM: u8 = 1;
pub const EXIT_MISUSE: u8 = 2;

/// Parses the arguments and runs the command; never panics on user input.
pub fn run() -> ExitCode {
    use cli::{Command, IndicatorCommand, PlanCommand, TaskCommand};
    // The configuration file fills in what the environment does not say, before the arguments
    // (whose defaults read the environment) are parsed; no thread runs yet.
    if let Some(path) = cnrm_engine::config::default_path() {
        match cnrm_engine::config::load(&path) {
            Ok(config) => {
                for (key, value) in config.entries() {
                    if std::env::var_os(key).is_none() {
                        std::env::set_var(key, value);
                    }
                }
            }
            Err(e) => {
                eprintln!("erreur: fichier de configuration illisible / unreadable configuration file: {e}");
                return ExitCode::from(EXIT_MISUSE);
            }
        }
    }
    let args = cli::Cli::parse();
    let g = &args.global;
    let code = match &args.command {
        None => commands::tui(g, &cli::TuiArgs::default()),
        Some(Command::Tui(a)) => commands::tui(g, a),
        Some(Command::Open(a)) => commands::open(g, a),
        Some(Command::Plan(PlanCommand::Check(c))) => check::run(c, g.lang),
        Some(Command::Plan(PlanCommand::Diff(a))) => commands::diff(g, a),
        Some(Command::Plan(PlanCommand::Apply(a))) => commands::apply(g, a),
        Some(Command::Plan(PlanCommand::Schema)) => {
            println!("{}", cnrm_engine::plan::schema::SCHEMA.trim_end());
            EXIT_OK
        }
        Some(Command::Plans(a)) => commands::plans(g, a),
        Some(Command::Tasks(a)) => commands::tasks(g, a),
        Some(Command::Task(TaskCommand::Show(a))) => commands::task_show(g, a),
        Some(Command::Task(TaskCommand::Set(a))) => commands::task_set(g, a),
        Some(Command::Task(TaskCommand::Spend(a))) => commands::task_spend(g, a),
        Some(Command::Indicator(IndicatorCommand::Record(a))) => commands::indicator_record(g, a),
        Some(Command::Remind(a)) => reminders::remind(g, a),
        Some(Command::Outbox(a)) => reminders::outbox(g, a),
        Some(Command::Daemon(a)) => reminders::daemon(g, a),
        Some(Command::Report(a)) => reports::report(g, a),
        Some(Command::Export(cli::ExportCommand::Ics(a))) => reports::ics(g, a),
    };
    ExitCode::from(code)
}
