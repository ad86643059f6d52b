//! The command line: parse the arguments, run one command, and, here only, turn what went wrong
//! into one sentence on stderr and an exit code (0 ok, 1 a problem, 2 a misuse, as
//! `../shared/spec/cli.md` says).
//!
//! Each command group has its file; they print through `output`'s writer, so a reader that stops
//! early (`cnrm tasks | head -1`) ends the command quietly instead of panicking.

pub mod args;
mod indicators;
mod mail;
mod output;
mod plan;
mod report;
mod tasks;

use crate::context::Ctx;
use crate::strings;
use args::{Cli, Command, ExportCommand, IndicatorCommand, PlanCommand, TaskCommand};
use clap::Parser;
use cnrm_engine::store::{Store, StoreError};
use cnrm_engine::Lang;
use std::process::ExitCode;

const PROBLEM: u8 = 1;
const MISUSE: u8 = 2;

/// Why a command stopped short.
#[derive(Debug)]
pub enum CliError {
    /// The user's mistake (exit 2): what to say after `erreur: `.
    Misuse(String),
    /// Anything else that went wrong (exit 1).
    Problem(String),
    /// A plan file was refused, its diagnostics printed: the line saying nothing was written.
    Refused(String),
    Store(StoreError),
    /// Writing the output failed; a closed pipe is not an error.
    Io(std::io::Error),
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> CliError {
        CliError::Store(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        CliError::Io(e)
    }
}

impl CliError {
    /// Says the error on stderr, in `lang`, and gives its exit code.
    pub fn report(&self, lang: Lang) -> u8 {
        let word = strings::error_word(lang);
        let (code, text) = match self {
            CliError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return 0,
            CliError::Misuse(text) => (MISUSE, text.clone()),
            CliError::Problem(text) => (PROBLEM, text.clone()),
            CliError::Io(e) => (PROBLEM, output::cannot_write_stdout(lang, e)),
            CliError::Refused(line) => {
                eprintln!("{line}");
                return PROBLEM;
            }
            CliError::Store(e) => {
                let code = match e {
                    StoreError::NoTask(_)
                    | StoreError::NoPlan(_)
                    | StoreError::NoIndicator(_)
                    | StoreError::Ambiguous { .. }
                    | StoreError::NeedPlan(_)
                    | StoreError::Empty
                    | StoreError::Url { .. }
                    | StoreError::BadProgress(_)
                    | StoreError::NothingToRecord
                    | StoreError::BadAmount(_)
                    | StoreError::UnknownCurrency { .. }
                    | StoreError::NoMessage(_)
                    | StoreError::NoEntry { .. } => MISUSE,
                    _ => PROBLEM,
                };
                (code, strings::store_error(lang, e))
            }
        };
        eprintln!("{word}: {text}");
        code
    }
}

/// Parses the arguments and runs the command; never panics on user input.
pub fn run() -> ExitCode {
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
                let e = CliError::Misuse(format!(
                    "fichier de configuration illisible / unreadable configuration file: {e}"
                ));
                return ExitCode::from(e.report(Lang::Fr));
            }
        }
    }
    let cli = Cli::parse();
    match dispatch(&cli) {
        Ok(code) => code,
        Err(e) => ExitCode::from(e.report(cli.global.lang)),
    }
}

fn dispatch(cli: &Cli) -> Result<ExitCode, CliError> {
    let g = &cli.global;
    let ctx = || Ctx::from_global(g).map_err(CliError::Misuse);
    match &cli.command {
        None => ui(ctx()?, None),
        Some(Command::Tui(a)) => ui(ctx()?, a.plan.clone()),
        Some(Command::Open(a)) => plan::open(&ctx()?, a),
        Some(Command::Plan(PlanCommand::Check(a))) => return plan::check(a, g.lang),
        Some(Command::Plan(PlanCommand::Diff(a))) => plan::diff(&ctx()?, a),
        Some(Command::Plan(PlanCommand::Apply(a))) => plan::apply(&ctx()?, a),
        Some(Command::Plan(PlanCommand::Schema)) => plan::schema(),
        Some(Command::Plans(a)) => plan::plans(&ctx()?, a),
        Some(Command::Tasks(a)) => tasks::tasks(&ctx()?, a),
        Some(Command::Task(TaskCommand::Show(a))) => tasks::show(&ctx()?, a),
        Some(Command::Task(TaskCommand::Set(a))) => tasks::set(&ctx()?, a),
        Some(Command::Task(TaskCommand::Spend(a))) => tasks::spend(&ctx()?, a),
        Some(Command::Indicators(a)) => indicators::list(&ctx()?, a),
        Some(Command::Indicator(IndicatorCommand::Show(a))) => indicators::show(&ctx()?, a),
        Some(Command::Indicator(IndicatorCommand::Record(a))) => indicators::record(&ctx()?, a),
        Some(Command::Remind(a)) => mail::remind(&ctx()?, a),
        Some(Command::Outbox(a)) => mail::outbox(&ctx()?, a),
        Some(Command::Daemon(a)) => mail::daemon(&ctx()?, a),
        Some(Command::Report(a)) => report::report(&ctx()?, a),
        Some(Command::Export(ExportCommand::Ics(a))) => report::ics(&ctx()?, a),
    }?;
    Ok(ExitCode::SUCCESS)
}

/// `cnrm` and `cnrm tui`: the terminal UI.
fn ui(ctx: Ctx, plan: Option<String>) -> Result<(), CliError> {
    Ok(crate::ui::run(ctx, plan)?)
}

/// Runs `f` with an open store on a current-thread runtime, then closes the store.
fn with_store<T>(
    ctx: &Ctx,
    f: impl AsyncFnOnce(&Store) -> Result<T, CliError>,
) -> Result<T, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Problem(e.to_string()))?;
    runtime.block_on(async {
        let store = Store::open(&ctx.db).await?;
        let result = f(&store).await;
        store.close().await;
        result
    })
}
