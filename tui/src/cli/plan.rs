//! `cnrm plan check | diff | apply | schema`, `cnrm open` and `cnrm plans`.
//!
//! `apply`, `diff` and `open` read the file, hash it and ask the database whether it last
//! applied that very file (then the report of applying it again is all there is to say);
//! otherwise they check it, say its problems as `plan check` does, and apply or compare it.

use super::args::{
    ApplyArgs, CheckArgs, CheckFormat, ConvertArgs, DiffArgs, FormatArgs, ListFormat, OpenArgs,
};
use super::output::{self, csv_line, use_color};
use super::{with_store, CliError};
use crate::context::Ctx;
use crate::strings;
use cnrm_engine::plan::yaml::LineIndex;
use cnrm_engine::plan::{check_source, Checked, Diagnostic, Plan, Severity};
use cnrm_engine::store::{
    sha256_hex, ApplyReport, ApplyWarning, FieldChange, ItemChanges, Store, TaskFilter,
};
use cnrm_engine::workbook::{self, Workbook};
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use crossterm::style::{Color, Stylize};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan};
use std::fmt;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

// ---- plan check, schema ------------------------------------------------------------------------

/// One diagnostic dressed for miette's code-frame renderer.
struct Shown<'a> {
    diag: &'a Diagnostic,
    source: &'a Excerpt<'a>,
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

/// The source lines around a diagnostic, found through the line index: miette's own reader of a
/// `str` counts lines from the start of the file for each diagnostic, which made 40,000 of them
/// take half a minute.
struct Excerpt<'a> {
    name: &'a str,
    src: &'a str,
    index: &'a LineIndex,
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let (offset, len) = (span.offset(), span.len());
        if offset + len > self.src.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let line = self.index.line_of(offset);
        let first = line.saturating_sub(before);
        let last = (self
            .index
            .line_of((offset + len).saturating_sub(1).max(offset))
            + after)
            .min(self.index.lines().saturating_sub(1));
        // Without context lines, miette wants the span itself and its column (for the
        // `file:line:column` header), as its own reader gives them.
        let (start, end, column) = if before == 0 && after == 0 {
            let line_start = self.index.line_start(self.src, line);
            let column = self
                .src
                .get(line_start..offset)
                .map_or(0, |t| t.chars().count());
            (offset, offset + len, column)
        } else {
            let start = self.index.line_start(self.src, first);
            (start, self.index.line_start(self.src, last + 1), 0)
        };
        let contents = miette::MietteSpanContents::new_named(
            self.name.to_string(),
            &self.src.as_bytes()[start..end],
            SourceSpan::new(start.into(), end - start),
            if before == 0 && after == 0 {
                line
            } else {
                first
            },
            column,
            last + 1,
        )
        .with_language("yaml");
        Ok(Box::new(contents))
    }
}

/// At most this many diagnostics of one file are shown in human output; the rest are counted
/// (the JSON output keeps them all).
pub const SHOWN_DIAGNOSTICS: usize = 200;

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
    let index = LineIndex::new(src);
    let source = Excerpt {
        name: file,
        src,
        index: &index,
    };
    let mut out = String::new();
    for diag in diags {
        let pos = cnrm_engine::plan::yaml::Pos {
            line: diag.line,
            col: diag.column,
            sheet: 0,
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

/// What a plan file was read from: YAML text, or a workbook's sheets (with each cell's text).
pub enum Source {
    Yaml(String),
    Workbook(Box<Workbook>),
}

/// Reads and checks a plan file's bytes, YAML or workbook by its extension; a file that is not
/// UTF-8 (YAML) or no workbook is a misuse, said in one sentence.
pub fn check_bytes(bytes: Vec<u8>, path: &Path, lang: Lang) -> Result<(Checked, Source), CliError> {
    let file = path.display().to_string();
    if workbook::is_workbook_path(path) {
        let (checked, wb) = workbook::check(&bytes, &file, lang)
            .map_err(|refusal| CliError::Misuse(refusal.message(lang, &file)))?;
        return Ok((checked, Source::Workbook(Box::new(wb))));
    }
    let src =
        String::from_utf8(bytes).map_err(|_| CliError::Misuse(strings::not_utf8(lang, &file)))?;
    let checked = check_source(&src, &file, lang);
    Ok((checked, Source::Yaml(src)))
}

/// Renders a file's diagnostics: compiler-style with the source line for YAML, located by sheet
/// and cell with the cell's content for a workbook; the first [`SHOWN_DIAGNOSTICS`], then how
/// many more there are.
pub fn render(
    source: &Source,
    file: &str,
    diags: &[Diagnostic],
    color: bool,
    lang: Lang,
) -> String {
    let shown = &diags[..diags.len().min(SHOWN_DIAGNOSTICS)];
    let mut out = match source {
        Source::Yaml(src) => render_human(src, file, shown, color),
        Source::Workbook(wb) => render_workbook(wb, file, shown, color, lang),
    };
    if diags.len() > shown.len() {
        out.push_str(&strings::more_diagnostics(
            lang,
            diags.len() - shown.len(),
            SHOWN_DIAGNOSTICS,
        ));
        out.push_str("\n\n");
    }
    out
}

/// `error[invalid-date]: …`, then `  ┌─ plan.xlsx › Activités!H12`, the cell's content, the help.
pub fn render_workbook(
    wb: &Workbook,
    file: &str,
    diags: &[Diagnostic],
    color: bool,
    lang: Lang,
) -> String {
    let mut out = String::new();
    for d in diags {
        let head = format!(
            "{}[{}]: {}",
            strings::severity_word(lang, d.is_error()),
            d.code,
            d.message
        );
        let head = if !color {
            head
        } else if d.is_error() {
            head.with(Color::Red).to_string()
        } else {
            head.with(Color::Yellow).to_string()
        };
        out.push_str(&cnrm_engine::text::terminal_line(&head));
        out.push('\n');
        match (&d.sheet, &d.cell) {
            (Some(sheet), Some(cell)) => {
                out.push_str(&format!("  ┌─ {file} › {sheet}!{cell}\n"));
                if let Some(text) = wb.text_at(sheet, d.line, d.column) {
                    for line in text.lines().take(5) {
                        out.push_str(&format!("  │ {}\n", cnrm_engine::text::terminal_line(line)));
                    }
                }
            }
            _ => out.push_str(&format!("  ┌─ {file}\n")),
        }
        if let Some(help) = &d.help {
            out.push_str(&format!(
                "  = {}{}{}\n",
                strings::help_word(lang),
                strings::colon(lang),
                cnrm_engine::text::terminal_line(help)
            ));
        }
        out.push('\n');
    }
    out
}

/// For a plan with recurring tasks that have resources: that those resources count once per
/// occurrence, with the first such task as an example.
fn recurring_note(plan: &cnrm_engine::plan::Plan, lang: Lang) -> Option<String> {
    let recurring: Vec<&cnrm_engine::plan::model::Task> = plan
        .tasks()
        .map(|(_, t)| t)
        .filter(|t| t.repeat.is_some() && !t.resources.is_empty())
        .collect();
    let first = recurring.first()?;
    let occurrences = first.occurrences(plan.start, plan.end).len();
    Some(strings::recurring_resources(
        lang,
        recurring.len(),
        &first.id,
        occurrences,
    ))
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
        let read = read_bytes(path, lang).and_then(|bytes| check_bytes(bytes, path, lang));
        let (checked, source) = match read {
            Ok(read) => read,
            Err(e) => {
                out.flush()?;
                status = e.report(lang);
                continue;
            }
        };
        if checked.errors() > 0 && status == 0 {
            status = super::PROBLEM;
        }
        match args.format {
            CheckFormat::Json => all.extend(checked.diagnostics),
            CheckFormat::Human => {
                write!(
                    out,
                    "{}",
                    render(&source, &file, &checked.diagnostics, color, lang)
                )?;
                let summary =
                    strings::check_summary(lang, &file, checked.errors(), checked.warnings());
                writeln!(out, "{summary}")?;
                if let Some(note) = checked.plan.as_ref().and_then(|p| recurring_note(p, lang)) {
                    writeln!(out, "{note}")?;
                }
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
    Applied(Box<ApplyReport>),
    /// Another file, checked: its plan, name as shown, and SHA-256.
    Checked {
        plan: Box<Plan>,
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
        return Ok(PlanFile::Applied(Box::new(report)));
    }
    let file = path.display().to_string();
    let (mut checked, source) = check_bytes(bytes, path, lang)?;
    let warnings = checked.warnings();
    let Some(plan) = checked.plan.take() else {
        write!(
            out,
            "{}",
            render(&source, &file, &checked.diagnostics, use_color(), lang)
        )?;
        let summary = strings::check_summary(lang, &file, checked.errors(), warnings);
        writeln!(out, "{summary}")?;
        out.flush()?;
        return Err(CliError::Refused(strings::nothing_written(lang)));
    };
    if warnings > 0 {
        eprintln!(
            "{}",
            cnrm_engine::text::terminal_text(&strings::warnings_seen(lang, &file, warnings))
        );
    }
    Ok(PlanFile::Checked {
        plan: Box::new(plan),
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

/// How many changed items the human output details, field by field.
const SHOWN_CHANGES: usize = 50;

/// The reviewer's view of a change: one line per kind, with colours on a terminal, then each
/// changed item with its fields (old → new), then the warnings.
pub fn render_report(lang: Lang, r: &ApplyReport, header: &str) -> String {
    let paint = use_color();
    let mut out = format!("{header}\n");
    let renames: Vec<String> = r
        .renamed
        .iter()
        .map(|x| format!("{} → {}", x.from, x.to))
        .collect();
    let kinds = [
        ("+", "added", &r.added, Color::Green),
        ("~", "changed", &r.changed, Color::Yellow),
        ("-", "archived", &r.archived, Color::Red),
        ("↺", "restored", &r.restored, Color::Cyan),
        ("→", "renamed", &renames, Color::Cyan),
    ];
    let colon = if lang == Lang::En { ":" } else { "\u{a0}:" };
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
    if r.reordered > 0 {
        out.push_str(&format!("  ⇅ {}\n", strings::reordered(lang, r.reordered)));
    }
    out.push_str(&format!(
        "  = {}\n",
        strings::change_label(lang, "unchanged", r.unchanged)
    ));
    for line in period_lines(lang, r) {
        out.push_str(&format!("  {line}\n"));
    }
    let (added, changed): (Vec<&ItemChanges>, Vec<&ItemChanges>) =
        r.changes.0.iter().partition(|c| c.added);
    for (title, items) in [
        (strings::changes_title(lang), changed),
        (strings::added_title(lang), added),
    ] {
        if items.is_empty() {
            continue;
        }
        out.push_str(&title);
        out.push('\n');
        for item in items.iter().take(SHOWN_CHANGES) {
            out.push_str(&format!(
                "  {}\n",
                strings::item_kind(lang, item.kind, &item.id)
            ));
            for f in &item.fields {
                for line in field_lines(lang, f, &r.currency, item.added) {
                    out.push_str(&format!("    {line}\n"));
                }
            }
        }
        if items.len() > SHOWN_CHANGES {
            out.push_str(&format!(
                "  {}\n",
                strings::and_more(lang, items.len() - SHOWN_CHANGES)
            ));
        }
    }
    for w in &r.warnings {
        out.push_str(&warning_line(lang, w, &r.currency));
        out.push('\n');
    }
    out
}

/// One warning of an apply in words.
fn warning_line(lang: Lang, w: &ApplyWarning, currency: &str) -> String {
    match (&w.renamed_from, &w.held) {
        (_, Some(held)) => {
            let mut parts = Vec::new();
            if held.status != Status::Todo {
                parts.push(strings::held_status(lang, held.status.label(lang)));
            }
            if held.progress > 0 {
                parts.push(strings::held_progress(lang, held.progress));
            }
            if held.spent > 0.0 {
                parts.push(strings::held_spent(
                    lang,
                    &money_shown(held.spent, currency),
                ));
            }
            strings::archived_with_state(lang, &w.id, &parts, w.same_title.as_deref())
        }
        (old, None) => {
            strings::renamed_from_unknown(lang, w.kind, &w.id, old.as_deref().unwrap_or(""))
        }
    }
}

/// Why occurrences come and go when the plan's period ends elsewhere: one line per kind.
fn period_lines(lang: Lang, r: &ApplyReport) -> Vec<String> {
    let Some(period) = r
        .changes
        .get(&r.plan)
        .and_then(|c| c.fields.iter().find(|f| f.field == "period"))
    else {
        return Vec::new();
    };
    let (Some(old_end), Some(new_end)) = (period.from["end"].as_str(), period.to["end"].as_str())
    else {
        return Vec::new();
    };
    // Occurrence ids end with their deadline: `rapport@2025-12-31`.
    let beyond = |ids: &[String], end: &str| {
        ids.iter()
            .filter(|id| id.split_once('@').is_some_and(|(_, day)| day > end))
            .count()
    };
    let mut lines = Vec::new();
    let end = date_shown(lang, new_end);
    for (kind, n) in [
        ("archived", beyond(&r.archived, new_end)),
        ("added", beyond(&r.added, old_end)),
        ("restored", beyond(&r.restored, old_end)),
    ] {
        if n > 0 {
            lines.push(strings::period_occurrences(lang, kind, n, &end));
        }
    }
    lines
}

/// A date as the reader writes it (`30/09/2025` in French); any other form (`T3 2025`,
/// `continu`) as the file wrote it.
fn date_shown(lang: Lang, day: &str) -> String {
    let iso = day.len() == 10
        && day.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if iso && lang == Lang::Fr {
        cnrm_engine::text::french_date(day)
    } else {
        day.to_string()
    }
}

/// A number as the reader writes it: `1 500 000`, `12,5` in French.
fn number_shown(lang: Lang, n: f64) -> String {
    if n.fract() == 0.0 {
        cnrm_engine::text::group_thousands(n).replace(' ', "\u{a0}")
    } else if lang == Lang::Fr {
        n.to_string().replace('.', ",")
    } else {
        n.to_string()
    }
}

/// `1 500 000 FCFA`, with non-breaking spaces.
fn money_shown(amount: f64, currency: &str) -> String {
    cnrm_engine::text::money(amount, currency).replace(' ', "\u{a0}")
}

/// One value of `field` as the reader reads it.
fn value_shown(lang: Lang, field: &str, v: &serde_json::Value, currency: &str) -> String {
    use serde_json::Value;
    match v {
        Value::Null => strings::nothing().to_string(),
        Value::Bool(b) => strings::value_word(lang, if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let n = n.as_f64().unwrap_or(0.0);
            match field {
                "budget" => money_shown(n, currency),
                _ => number_shown(lang, n),
            }
        }
        Value::String(s) => match field {
            "deadline" | "due" | "start" => date_shown(lang, s),
            "title" | "name" | "short" | "unit" | "label" => match lang {
                Lang::Fr => format!("«\u{a0}{s}\u{a0}»"),
                Lang::En => format!("\"{s}\""),
            },
            "repeat" | "language" | "status" | "kind" => strings::value_word(lang, s),
            "currency" => cnrm_engine::text::unit(s).to_string(),
            _ => s.clone(),
        },
        Value::Array(items) if items.is_empty() => strings::nothing().to_string(),
        Value::Array(items) => items
            .iter()
            .map(|i| value_shown(lang, field, i, currency))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(o) if field == "period" => strings::period(
            lang,
            &date_shown(lang, o.get("start").and_then(Value::as_str).unwrap_or("")),
            &date_shown(lang, o.get("end").and_then(Value::as_str).unwrap_or("")),
        ),
        Value::Object(_) => v.to_string(),
    }
}

/// The lines of one changed field: `échéance : T3 2025 → T4 2025 (+92 jours)`; long texts and
/// structures said changed; resources line by line.
fn field_lines(lang: Lang, f: &FieldChange, currency: &str, added: bool) -> Vec<String> {
    let label = strings::field_label(lang, f.field);
    if added {
        // A new item: its values, nothing before them.
        return vec![strings::field_value(
            lang,
            &label,
            &value_shown(lang, f.field, &f.to, currency),
        )];
    }
    match f.field {
        "description" | "reminders" | "calendar" | "exchange_rates" => {
            vec![strings::field_changed(lang, f.field)]
        }
        "resources" => resource_lines(lang, f),
        _ => {
            let mut line = strings::field_change(
                lang,
                &label,
                &value_shown(lang, f.field, &f.from, currency),
                &value_shown(lang, f.field, &f.to, currency),
            );
            if let Some(days) = f.days.filter(|d| *d != 0) {
                line.push(' ');
                line.push_str(&strings::slip_days(lang, days));
            }
            vec![line]
        }
    }
}

/// A task's resources: the changed keys of each line when the lines are as many as before, or
/// how many lines there were and are.
fn resource_lines(lang: Lang, f: &FieldChange) -> Vec<String> {
    let empty = Vec::new();
    let from = f.from.as_array().unwrap_or(&empty);
    let to = f.to.as_array().unwrap_or(&empty);
    let label = strings::field_label(lang, "resources");
    if from.len() != to.len() {
        return vec![strings::field_change(
            lang,
            &label,
            &strings::resource_lines(lang, from.len()),
            &strings::resource_lines(lang, to.len()),
        )];
    }
    let mut lines = Vec::new();
    for (n, (a, b)) in from.iter().zip(to).enumerate() {
        if a == b {
            continue;
        }
        let funder = b["funder"].as_str().or(a["funder"].as_str());
        let line = strings::resource_line(lang, n + 1, funder);
        for key in [
            "kind", "amount", "currency", "funder", "status", "quantity", "unit", "label",
        ] {
            let (old, new) = (&a[key], &b[key]);
            if old == new {
                continue;
            }
            let shown = |v: &serde_json::Value, line: &serde_json::Value| match (key, v) {
                ("amount", serde_json::Value::Number(x)) => money_shown(
                    x.as_f64().unwrap_or(0.0),
                    line["currency"].as_str().unwrap_or(""),
                ),
                _ => value_shown(lang, key, v, ""),
            };
            lines.push(strings::field_change(
                lang,
                &format!("{line}, {}", strings::field_label(lang, key)),
                &shown(old, a),
                &shown(new, b),
            ));
        }
    }
    lines
}

pub fn diff(ctx: &Ctx, args: &DiffArgs) -> Result<(), CliError> {
    let bytes = read_bytes(&args.file, ctx.lang)?;
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let report = match plan_file(store, &mut out, bytes, &args.file, ctx.lang).await? {
            PlanFile::Applied(report) => *report,
            PlanFile::Checked { plan, sha, .. } => store.diff_hashed(&plan, &sha).await?,
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
        PlanFile::Applied(report) => *report,
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
    cnrm_engine::tr!(lang, "En retard ({n})\u{a0}:", "Overdue ({n}):")
}

// ---- plans -------------------------------------------------------------------------------------

async fn print_plans(store: &Store, ctx: &Ctx, out: &mut impl Write) -> Result<(), CliError> {
    let out = &mut output::terminal(out);
    let plans = store.plans(&ctx.clock).await?;
    if plans.is_empty() {
        writeln!(out, "{}", strings::no_plans(ctx.lang))?;
    }
    for p in plans {
        let line = strings::plan_line(ctx.lang, &p);
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

// ---- plan convert ------------------------------------------------------------------------------

/// `cnrm plan convert FILE --output OUT`: a YAML plan as a workbook, or a workbook as YAML, by
/// the files' extensions. The plan must check without errors (they are printed, nothing is
/// written); the output is written whole or not at all.
pub fn convert(args: &ConvertArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let file = args.file.display().to_string();
    let from_workbook = workbook::is_workbook_path(&args.file);
    let out_ext = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let to_workbook = out_ext == "xlsx";
    let to_yaml = matches!(out_ext.as_str(), "yaml" | "yml");
    if (from_workbook && !to_yaml) || (!from_workbook && !to_workbook) {
        return Err(CliError::Misuse(strings::convert_extensions(
            lang,
            &file,
            &args.output.display().to_string(),
        )));
    }
    let bytes = read_bytes(&args.file, lang)?;
    let (checked, source) = check_bytes(bytes, &args.file, lang)?;
    let mut out = output::stdout();
    if checked.errors() > 0 {
        write!(
            out,
            "{}",
            render(&source, &file, &checked.diagnostics, use_color(), lang)
        )?;
        writeln!(
            out,
            "{}",
            strings::check_summary(lang, &file, checked.errors(), checked.warnings())
        )?;
        out.flush()?;
        eprintln!("{}", strings::nothing_converted(lang));
        return Ok(ExitCode::from(super::PROBLEM));
    }
    let bytes = match &source {
        Source::Workbook(wb) => {
            workbook::convert::to_yaml(&wb.root, &strings::converted_from(lang, &file)).into_bytes()
        }
        Source::Yaml(src) => {
            let root = workbook::convert::parse_yaml(src)
                .map_err(|e| CliError::Misuse(e.message(lang)))?;
            workbook::convert::to_xlsx(&root)
                .map_err(|_| CliError::Misuse(strings::workbook_not_written(lang)))?
        }
    };
    output::write_file(lang, &args.output, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

// ---- plan template -------------------------------------------------------------------------------

/// `cnrm plan template`: the empty plan workbook (`workbook::template`), in the user's language,
/// written whole or not at all.
pub fn template(args: &super::args::TemplateArgs, lang: Lang) -> Result<(), CliError> {
    let bytes = super::report::workbook(lang, cnrm_engine::workbook::template::template(lang))?;
    output::write_file(lang, &args.output, &bytes)?;
    if args.output.as_os_str() != "-" {
        let mut out = output::stdout();
        let file = args.output.display().to_string();
        writeln!(out, "{}", strings::template_written(lang, &file))?;
        out.flush()?;
    }
    Ok(())
}
