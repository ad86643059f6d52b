//! `cnrm plan check | diff | apply | schema`, `cnrm open` and `cnrm plans`.
//!
//! `apply`, `diff` and `open` read the file, hash it and ask the database whether it last
//! applied that very file (then the report of applying it again is all there is to say);
//! otherwise they check it, say its problems as `plan check` does, and apply or compare it.

use super::args::{ApplyArgs, CheckArgs, CheckFormat, DiffArgs, FormatArgs, ListFormat, OpenArgs};
use super::output::{self, csv_line, use_color};
use super::{with_store, CliError};
use crate::context::Ctx;
use crate::strings;
use cnrm_engine::plan::yaml::LineIndex;
use cnrm_engine::plan::{check_source, Diagnostic, Plan, Severity};
use cnrm_engine::store::{sha256_hex, ApplyReport, Store, TaskFilter};
use cnrm_engine::Lang;
use crossterm::style::{Color, Stylize};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode, SourceSpan,
};
use std::fmt;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

// ---- plan check, schema ------------------------------------------------------------------------

/// One diagnostic dressed for miette's code-frame renderer.
struct Shown<'a> {
    diag: &'a Diagnostic,
    source: &'a NamedSource<String>,
    span: SourceSpan,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code.as_str()))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(format!("{}:{}", self.diag.line, self.diag.column)),
            self.span,
        ))))
    }
}

/// Renders every diagnostic of one file, compiler-style.
pub fn render_human(src: &str, file: &str, diags: &[Diagnostic], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_context_lines(1)
        .with_width(100);
    let source = NamedSource::new(file, src.to_string()).with_language("yaml");
    let index = LineIndex::new(src);
    let mut out = String::new();
    for diag in diags {
        let pos = cnrm_engine::plan::yaml::Pos {
            line: diag.line,
            col: diag.column,
        };
        let offset = index.offset(src, pos);
        let span = SourceSpan::new(offset.into(), LineIndex::token_len(src, offset));
        let shown = Shown {
            diag,
            source: &source,
            span,
        };
        if handler.render_report(&mut out, &shown).is_err() {
            out.push_str(&format!(
                "{}:{}:{}: {}: {}\n",
                file, diag.line, diag.column, diag.code, diag.message
            ));
        }
    }
    out
}

/// A plan file's text; an unreadable file or one that is not UTF-8 is a misuse.
fn read_text(path: &Path, lang: Lang) -> Result<String, CliError> {
    String::from_utf8(read_bytes(path, lang)?)
        .map_err(|_| CliError::Misuse(strings::not_utf8(lang, &path.display().to_string())))
}

fn read_bytes(path: &Path, lang: Lang) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| {
        CliError::Misuse(strings::unreadable(
            lang,
            &path.display().to_string(),
            &strings::io_reason(lang, &e),
        ))
    })
}

/// Every file's diagnostics, compiler-style or as one JSON array. A file that cannot be read is
/// said and skipped (exit 2); a plan with errors makes the exit 1.
pub fn check(args: &CheckArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut status = 0;
    let color = use_color();
    let mut out = output::stdout();
    for path in &args.files {
        let file = path.display().to_string();
        let src = match read_text(path, lang) {
            Ok(src) => src,
            Err(e) => {
                out.flush()?;
                status = e.report(lang);
                continue;
            }
        };
        let checked = check_source(&src, &file, lang);
        if checked.errors() > 0 && status == 0 {
            status = super::PROBLEM;
        }
        match args.format {
            CheckFormat::Json => all.extend(checked.diagnostics),
            CheckFormat::Human => {
                write!(
                    out,
                    "{}",
                    render_human(&src, &file, &checked.diagnostics, color)
                )?;
                let summary =
                    strings::check_summary(lang, &file, checked.errors(), checked.warnings());
                writeln!(out, "{summary}")?;
            }
        }
    }
    if args.format == CheckFormat::Json {
        output::json(&mut out, &all)?;
    }
    out.flush()?;
    Ok(ExitCode::from(status))
}

pub fn schema() -> Result<(), CliError> {
    let mut out = output::stdout();
    writeln!(out, "{}", cnrm_engine::plan::schema::SCHEMA.trim_end())?;
    Ok(out.flush()?)
}

// ---- plan diff / apply, open -------------------------------------------------------------------

/// What a plan file is to the database.
enum PlanFile {
    /// The file it last applied: the report of applying it again.
    Applied(ApplyReport),
    /// Another file, checked: its plan, text, name as shown, and SHA-256.
    Checked {
        plan: Box<Plan>,
        src: String,
        file: String,
        sha: String,
    },
}

/// Recognises `bytes` by their SHA-256, or checks them; a plan with errors has them printed
/// (to `out`, as `plan check` would) and is refused; warnings are summed up on stderr.
async fn plan_file(
    store: &Store,
    out: &mut impl Write,
    bytes: Vec<u8>,
    path: &Path,
    lang: Lang,
) -> Result<PlanFile, CliError> {
    let sha = sha256_hex(&bytes);
    if let Some(report) = store.already_applied(&sha).await? {
        return Ok(PlanFile::Applied(report));
    }
    let file = path.display().to_string();
    let src =
        String::from_utf8(bytes).map_err(|_| CliError::Misuse(strings::not_utf8(lang, &file)))?;
    let mut checked = check_source(&src, &file, lang);
    let warnings = checked.warnings();
    let Some(plan) = checked.plan.take() else {
        write!(
            out,
            "{}",
            render_human(&src, &file, &checked.diagnostics, use_color())
        )?;
        let summary = strings::check_summary(lang, &file, checked.errors(), warnings);
        writeln!(out, "{summary}")?;
        out.flush()?;
        return Err(CliError::Refused(strings::nothing_written(lang)));
    };
    if warnings > 0 {
        eprintln!("{}", strings::warnings_seen(lang, &file, warnings));
    }
    Ok(PlanFile::Checked {
        plan: Box::new(plan),
        src,
        file,
        sha,
    })
}

const SHOWN_IDS: usize = 12;

fn id_list(lang: Lang, ids: &[String]) -> String {
    let mut s = ids
        .iter()
        .take(SHOWN_IDS)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN_IDS {
        s.push(' ');
        s.push_str(&strings::and_more(lang, ids.len() - SHOWN_IDS));
    }
    s
}

/// The reviewer's view of a change: one line per kind, with colours on a terminal.
pub fn render_report(lang: Lang, r: &ApplyReport, header: &str) -> String {
    let paint = use_color();
    let mut out = format!("{header}\n");
    let renames: Vec<String> = r
        .renamed
        .iter()
        .map(|x| format!("{} → {}", x.from, x.to))
        .collect();
    let slips: Vec<String> = r
        .slips
        .iter()
        .map(|(id, from, to, days)| match days {
            Some(d) => format!("{id} {from} → {to} ({})", strings::days_signed(lang, *d)),
            None => format!("{id} {from} → {to}"),
        })
        .collect();
    let kinds = [
        ("+", "added", &r.added, Color::Green),
        ("~", "changed", &r.changed, Color::Yellow),
        ("-", "archived", &r.archived, Color::Red),
        ("↺", "restored", &r.restored, Color::Cyan),
        ("→", "renamed", &renames, Color::Cyan),
        ("⏱", "slipped", &slips, Color::Magenta),
    ];
    let colon = if lang == Lang::En { ":" } else { " :" };
    for (sym, kind, ids, colour) in kinds {
        if ids.is_empty() {
            continue;
        }
        let label = strings::change_label(lang, kind, ids.len());
        let text = format!("  {sym} {label}{colon} {}", id_list(lang, ids));
        out.push_str(&if paint {
            text.with(colour).to_string()
        } else {
            text
        });
        out.push('\n');
    }
    out.push_str(&format!(
        "  = {}\n",
        strings::change_label(lang, "unchanged", r.unchanged)
    ));
    out
}

pub fn diff(ctx: &Ctx, args: &DiffArgs) -> Result<(), CliError> {
    let bytes = read_bytes(&args.file, ctx.lang)?;
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let report = match plan_file(store, &mut out, bytes, &args.file, ctx.lang).await? {
            PlanFile::Applied(report) => report,
            PlanFile::Checked { plan, src, .. } => store.diff(&plan, &src).await?,
        };
        if args.format == CheckFormat::Json {
            output::json(&mut out, &report)?;
        } else if report.is_empty() {
            writeln!(out, "{}", strings::no_change(ctx.lang, &report.plan))?;
        } else {
            let header = strings::diff_header(ctx.lang, &report.plan);
            write!(out, "{}", render_report(ctx.lang, &report, &header))?;
        }
        Ok(())
    })?;
    Ok(out.flush()?)
}

/// A progress bar on stderr for large applies, only on a terminal.
fn progress_bar() -> impl Fn(u64, u64) {
    let bar = std::cell::RefCell::new(None::<indicatif::ProgressBar>);
    let interactive = std::io::stderr().is_terminal();
    move |done: u64, total: u64| {
        if !interactive || total < 2_000 {
            return;
        }
        let mut slot = bar.borrow_mut();
        let pb = slot.get_or_insert_with(|| {
            let pb = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            {
                pb.set_style(style);
            }
            pb
        });
        pb.set_position(done);
        if done >= total {
            pb.finish_and_clear();
        }
    }
}

/// Applies a plan file, its bytes read from `path` (or recognises it applied already), and
/// reports the change; gives the plan's id.
async fn apply_file(
    store: &Store,
    ctx: &Ctx,
    out: &mut impl Write,
    (bytes, path): (Vec<u8>, &Path),
    message: Option<&str>,
    json: bool,
) -> Result<String, CliError> {
    let report = match plan_file(store, out, bytes, path, ctx.lang).await? {
        PlanFile::Applied(report) => report,
        PlanFile::Checked {
            plan, file, sha, ..
        } => {
            let progress = progress_bar();
            store
                .apply_hashed(
                    &plan, &sha, &file, &ctx.actor, message, &ctx.clock, &progress,
                )
                .await?
        }
    };
    if json {
        output::json(out, &report)?;
    } else {
        match report.revision {
            None => writeln!(out, "{}", strings::no_change(ctx.lang, &report.plan))?,
            Some(rev) => {
                let header = strings::revision_applied(ctx.lang, &report.plan, rev, &ctx.actor);
                write!(out, "{}", render_report(ctx.lang, &report, &header))?
            }
        }
    }
    Ok(report.plan)
}

pub fn apply(ctx: &Ctx, args: &ApplyArgs) -> Result<(), CliError> {
    let json = args.format == CheckFormat::Json;
    let file = (read_bytes(&args.file, ctx.lang)?, args.file.as_path());
    let mut out = output::stdout();
    let message = args.message.as_deref();
    with_store(ctx, async |store| {
        apply_file(store, ctx, &mut out, file, message, json).await
    })?;
    Ok(out.flush()?)
}

/// `cnrm open FILE`: applies, then opens the terminal UI on that plan; without a terminal
/// (a pipe, a script), it prints where the plan stands instead.
pub fn open(ctx: &Ctx, args: &OpenArgs) -> Result<(), CliError> {
    let file = (read_bytes(&args.file, ctx.lang)?, args.file.as_path());
    let ui = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let mut out = output::stdout();
    let message = args.message.as_deref();
    let plan = with_store(ctx, async |store| {
        let plan = apply_file(store, ctx, &mut out, file, message, false).await?;
        if ui {
            return Ok(plan);
        }
        writeln!(out)?;
        print_plans(store, ctx, &mut out).await?;
        let filter = TaskFilter {
            plan: Some(plan.clone()),
            overdue: true,
            ..TaskFilter::default()
        };
        let late = store.tasks(&filter, &ctx.clock).await?;
        if !late.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", overdue_title(ctx.lang, late.len()))?;
            output::task_table(
                &mut out,
                ctx.lang,
                || late.iter().cloned(),
                output::table_width(),
            )?;
        }
        Ok(plan)
    })?;
    out.flush()?;
    drop(out);
    if ui {
        super::ui(ctx.clone(), Some(plan))?;
    }
    Ok(())
}

fn overdue_title(lang: Lang, n: usize) -> String {
    cnrm_engine::tr!(lang, "En retard ({n}) :", "Overdue ({n}):")
}

// ---- plans -------------------------------------------------------------------------------------

async fn print_plans(store: &Store, ctx: &Ctx, out: &mut impl Write) -> Result<(), CliError> {
    let plans = store.plans(&ctx.clock).await?;
    if plans.is_empty() {
        writeln!(out, "{}", strings::no_plans(ctx.lang))?;
    }
    for p in plans {
        let line = cnrm_engine::tr!(
            ctx.lang,
            "{} — {}\n  révision {} ({}, {}) · {} tâches, {} ouvertes, {} en retard",
            "{} — {}\n  revision {} ({}, {}) · {} tasks, {} open, {} overdue",
            p.id,
            p.title,
            p.revision,
            p.updated_at,
            p.last_actor.as_deref().unwrap_or("?"),
            p.tasks,
            p.open,
            p.overdue
        );
        writeln!(out, "{line}")?;
        if let Some(m) = p.last_message {
            writeln!(out, "  « {m} »")?;
        }
    }
    Ok(())
}

pub fn plans(ctx: &Ctx, args: &FormatArgs) -> Result<(), CliError> {
    let mut out = output::stdout();
    with_store(ctx, async |store| match args.format {
        ListFormat::Json => Ok(output::json(&mut out, &store.plans(&ctx.clock).await?)?),
        ListFormat::Csv => {
            writeln!(out, "id,title,revision,updated_at,tasks,open,overdue")?;
            for p in store.plans(&ctx.clock).await? {
                let line = csv_line(&[
                    p.id,
                    p.title,
                    p.revision.to_string(),
                    p.updated_at,
                    p.tasks.to_string(),
                    p.open.to_string(),
                    p.overdue.to_string(),
                ]);
                out.write_all(line.as_bytes())?;
            }
            Ok(())
        }
        ListFormat::Table => print_plans(store, ctx, &mut out).await,
    })?;
    Ok(out.flush()?)
}
