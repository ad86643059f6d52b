//! The command line: parse the arguments, run one command, and, here only, turn what went wrong
//! into one sentence on stderr and an exit code (0 ok, 1 a problem, 2 a misuse, as
//! `../shared/spec/cli.md` says).
//!
//! Argument errors are said here too, from clap's error kinds and context, in the language that
//! `--lang`/`CNRM_LANG` name before the arguments are parsed: clap's own English never shows.
//!
//! Each command group has its file; they print through `output`'s writer, so a reader that stops
//! early (`cnrm tasks | head -1`) ends the command quietly instead of panicking.

pub mod args;
mod fetch;
mod inbox;
mod indicators;
mod mail;
mod output;
mod plan;
mod report;
mod tasks;

use crate::context::Ctx;
use crate::strings;
use args::{Cli, Command, ExportCommand, IndicatorCommand, PlanCommand, TaskCommand};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};
use cnrm_engine::store::{Store, StoreError};
use cnrm_engine::Lang;
use std::ffi::OsString;
use std::process::ExitCode;

const PROBLEM: u8 = 1;
const MISUSE: u8 = 2;
/// EX_TEMPFAIL (sysexits.h): what a mail server's delivery pipe reads as "try again later".
const TEMPFAIL: u8 = 75;

/// Why a command stopped short.
#[derive(Debug)]
pub enum CliError {
    /// The user's mistake (exit 2): what to say after `erreur : `.
    Misuse(String),
    /// Anything else that went wrong (exit 1).
    Problem(String),
    /// A plan file was refused, its diagnostics printed: the line saying nothing was written.
    Refused(String),
    Store(StoreError),
    /// Writing the output failed; a closed pipe is not an error.
    Io(std::io::Error),
    /// `mail receive`: the message cannot be taken now (exit 75, the mail server retries).
    Temporary(String),
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

/// A French sentence with its non-breaking spaces (before `:` `;` `?` `!`), whichever
/// string it was built from; English text as it is.
fn french(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Fr => cnrm_engine::text::french_typography(text),
        Lang::En => text.to_string(),
    }
}

/// A sentence for stderr: in French typography, and whatever it quotes (an argument, an id, a
/// file name) neutralised for the terminal (`text::terminal_text`): no escape sequence, no
/// bidirectional or zero-width character reaches it.
fn said(lang: Lang, text: &str) -> String {
    cnrm_engine::text::terminal_text(&french(lang, text))
}

impl CliError {
    /// Says the error on stderr, in `lang`, and gives its exit code.
    pub fn report(&self, lang: Lang) -> u8 {
        let word = strings::error_word(lang);
        let (code, text) = match self {
            CliError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return 0,
            CliError::Misuse(text) => (MISUSE, text.clone()),
            CliError::Problem(text) => (PROBLEM, text.clone()),
            CliError::Temporary(text) => (TEMPFAIL, text.clone()),
            CliError::Io(e) => (PROBLEM, output::cannot_write_stdout(lang, e)),
            CliError::Refused(line) => {
                eprintln!("{}", said(lang, line));
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
                    | StoreError::Url(_)
                    | StoreError::NoFolder { .. }
                    | StoreError::NotAFile { .. }
                    | StoreError::NotSqlite { .. }
                    | StoreError::Foreign { .. }
                    | StoreError::NoDatabase { .. }
                    | StoreError::Auth { .. }
                    | StoreError::BadProgress(_)
                    | StoreError::NothingToRecord
                    | StoreError::BadAmount(_)
                    | StoreError::UnknownCurrency { .. }
                    | StoreError::NoMessage(_)
                    | StoreError::NoEntry { .. }
                    | StoreError::UnknownOwner { .. }
                    | StoreError::FutureDate { .. }
                    | StoreError::BeforePlan { .. } => MISUSE,
                    _ => PROBLEM,
                };
                (code, strings::store_error(lang, e))
            }
        };
        eprintln!("{word}{}", said(lang, &text));
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
                let args: Vec<OsString> = std::env::args_os().collect();
                let env_lang = std::env::var("CNRM_LANG").ok();
                let lang = crate::context::early_lang(&args, env_lang.as_deref());
                let e = CliError::Misuse(strings::config_error(lang, &e));
                return ExitCode::from(e.report(lang));
            }
        }
    }
    let args: Vec<OsString> = std::env::args_os().collect();
    let lang = crate::context::early_lang(&args, std::env::var("CNRM_LANG").ok().as_deref());
    let cli = match args::command(lang)
        .try_get_matches_from(&args)
        .and_then(|mut m| Cli::from_arg_matches_mut(&mut m))
    {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(argument_error(&e, &args, lang)),
    };
    match dispatch(&cli) {
        Ok(code) => code,
        Err(e) => ExitCode::from(e.report(cli.global.lang)),
    }
}

/// Says an argument error in one sentence ending with the `--help` to read, and gives exit 2;
/// `--help` and `--version` print as clap writes them, exit 0.
fn argument_error(e: &clap::Error, args: &[OsString], lang: Lang) -> u8 {
    if e.kind() == ErrorKind::DisplayVersion {
        let _ = e.print();
        return 0;
    }
    if e.kind() == ErrorKind::DisplayHelp {
        use std::io::{IsTerminal, Write};
        let page = e.render();
        let page = if std::io::stdout().is_terminal() {
            page.ansi().to_string()
        } else {
            page.to_string()
        };
        let mut out = std::io::stdout().lock();
        return match out.write_all(strings::help_page(lang, &page).as_bytes()) {
            Ok(()) => 0,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(_) => PROBLEM,
        };
    }
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let list = |kind| match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let name = strings::arg_name(lang, &arg);
    // The database address may hold a password: it is never repeated.
    let secret = name == "--db";
    let value = text(ContextKind::InvalidValue).filter(|_| !secret);
    let path = command_path(args);
    let sentence = match e.kind() {
        ErrorKind::UnknownArgument if arg.starts_with('-') => strings::arg_unknown_option(
            lang,
            arg.split('=').next().unwrap_or(&arg),
            text(ContextKind::SuggestedArg).as_deref(),
        ),
        ErrorKind::UnknownArgument => strings::arg_unexpected(lang, &arg),
        ErrorKind::InvalidSubcommand => strings::arg_unknown_command(
            lang,
            &text(ContextKind::InvalidSubcommand).unwrap_or_default(),
            text(ContextKind::SuggestedSubcommand).as_deref(),
        ),
        ErrorKind::InvalidValue => strings::arg_invalid_value(
            lang,
            value.as_deref().unwrap_or(""),
            &name,
            &list(ContextKind::ValidValue),
        ),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .and_then(|s| s.downcast_ref::<crate::context::BadValue>())
                .map(|b| b.say(lang).to_string());
            match why {
                Some(why) => strings::arg_bad_value(lang, value.as_deref(), &name, &why),
                None => {
                    strings::arg_invalid_value(lang, value.as_deref().unwrap_or("?"), &name, &[])
                }
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<String> = list(ContextKind::InvalidArg)
                .iter()
                .map(|a| strings::arg_name(lang, a))
                .collect();
            strings::arg_missing(lang, &missing)
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let mut available = list(ContextKind::ValidSubcommand);
            available.retain(|c| c != "help");
            strings::arg_missing_command(lang, &path, &available)
        }
        ErrorKind::ArgumentConflict => {
            let other = text(ContextKind::PriorArg).map(|o| strings::arg_name(lang, &o));
            match other {
                Some(other) if other != name => strings::arg_conflict(lang, &name, &other),
                _ => strings::arg_twice(lang, &name),
            }
        }
        ErrorKind::TooManyValues => {
            strings::arg_too_many(lang, &name, value.as_deref().unwrap_or("?"))
        }
        ErrorKind::InvalidUtf8 => strings::arg_not_utf8(lang),
        _ => strings::arg_other(lang),
    };
    let line = format!(
        "{}{sentence} {}",
        strings::error_word(lang),
        strings::see_help(lang, &path)
    );
    eprintln!("{}", said(lang, &line));
    MISUSE
}

/// The command the arguments name (`cnrm task set`), for the `--help` to read: the words that
/// name subcommands, skipping options and the values they take.
fn command_path(args: &[OsString]) -> String {
    let mut cmd = Cli::command();
    cmd.build();
    let mut path = vec![cmd.get_name().to_string()];
    let mut words = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if let Some(option) = word.strip_prefix("--") {
            let takes_value = !option.contains('=')
                && cmd
                    .get_arguments()
                    .find(|a| a.get_long() == Some(option))
                    .is_some_and(|a| a.get_action().takes_values());
            if takes_value {
                words.next();
            }
            continue;
        }
        if let Some(short) = word.strip_prefix('-') {
            let mut chars = short.chars();
            let takes_value = matches!((chars.next(), chars.next()), (Some(c), None) if cmd
                .get_arguments()
                .find(|a| a.get_short() == Some(c))
                .is_some_and(|a| a.get_action().takes_values()));
            if takes_value {
                words.next();
            }
            continue;
        }
        let Some(sub) = cmd.find_subcommand(&word).cloned() else {
            continue;
        };
        path.push(sub.get_name().to_string());
        cmd = sub;
    }
    path.join(" ")
}

fn dispatch(cli: &Cli) -> Result<ExitCode, CliError> {
    let g = &cli.global;
    let ctx = || -> Result<Ctx, CliError> { Ok(Ctx::from_global(g)) };
    match (&cli.command, &cli.plan) {
        // `cnrm --plan ID` is `cnrm tui --plan ID`; before another command, `--plan` is that
        // command's own option.
        (None | Some(Command::Tui(_)), _) | (_, None) => {}
        (Some(_), Some(_)) => {
            return Err(CliError::Misuse(strings::plan_before_command(
                g.lang,
                &command_path(&std::env::args_os().collect::<Vec<_>>()),
            )))
        }
    }
    match &cli.command {
        None => ui(ctx()?, cli.plan.clone()),
        Some(Command::Tui(a)) => ui(ctx()?, a.plan.clone().or_else(|| cli.plan.clone())),
        Some(Command::Open(a)) => plan::open(&ctx()?, a),
        Some(Command::Plan(PlanCommand::Check(a))) => return plan::check(a, g.lang),
        Some(Command::Plan(PlanCommand::Diff(a))) => plan::diff(&ctx()?, a),
        Some(Command::Plan(PlanCommand::Apply(a))) => plan::apply(&ctx()?, a),
        Some(Command::Plan(PlanCommand::Schema)) => plan::schema(),
        Some(Command::Plan(PlanCommand::Convert(a))) => return plan::convert(a, g.lang),
        Some(Command::Plan(PlanCommand::Template(a))) => plan::template(a, g.lang),
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
        Some(Command::Mail(args::MailCommand::Receive(a))) => {
            return inbox::receive(&ctx()?, a);
        }
        Some(Command::Mail(args::MailCommand::Fetch(a))) => fetch::fetch(&ctx()?, a),
        Some(Command::Inbox(a)) => inbox::inbox(&ctx()?, a),
        Some(Command::Report(a)) => report::report(&ctx()?, a),
        Some(Command::Export(ExportCommand::Ics(a))) => report::ics(&ctx()?, a),
    }?;
    Ok(ExitCode::SUCCESS)
}

/// `cnrm` and `cnrm tui`: the terminal UI. The database and `--plan` are checked before the
/// screen takes the terminal over, so a refusal is a sentence on a normal terminal; without a
/// terminal (a pipe, a service), it prints where each plan stands, as `cnrm plans` does.
fn ui(ctx: Ctx, plan: Option<String>) -> Result<(), CliError> {
    use std::io::IsTerminal;
    with_store(&ctx, async |store| {
        if let Some(p) = &plan {
            store.plan_ids(Some(p)).await?;
        }
        Ok(())
    })?;
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        eprintln!("{}", strings::no_terminal(ctx.lang));
        let table = args::FormatArgs {
            format: args::ListFormat::Table,
        };
        return plan::plans(&ctx, &table);
    }
    let lang = ctx.lang;
    crate::ui::run(ctx, plan).map_err(|e| CliError::Problem(strings::tui_failed(lang, &e)))
}

/// Runs `f` with an open store on a current-thread runtime, then closes the store.
fn with_store<T>(
    ctx: &Ctx,
    f: impl AsyncFnOnce(&Store) -> Result<T, CliError>,
) -> Result<T, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Problem(strings::io_reason(ctx.lang, &e)))?;
    runtime.block_on(async {
        let mut store = Store::connect(&ctx.db).await?;
        say_when_busy(&mut store, ctx.lang);
        let result = f(&store).await;
        store.close().await;
        result
    })
}

/// A write waiting for another process's lock is said on stderr (once per write), so a person
/// is not left before a silent terminal.
pub(crate) fn say_when_busy(store: &mut Store, lang: Lang) {
    let line = said(
        lang,
        &strings::busy_waiting(lang, cnrm_engine::store::BUSY_LIMIT.as_secs()),
    );
    store.on_busy(move || eprintln!("{line}"));
}
