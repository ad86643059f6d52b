//! `cnrm report` and `cnrm export ics`.

use super::args::{IcsArgs, ReportArgs, ReportFormat};
use super::{with_store, CliError};
use crate::context::{parse_day, Ctx};
use crate::strings;
use cnrm_engine::report::{self, Period};
use cnrm_engine::workbook;
use cnrm_engine::{tr, Lang};
use std::io::Write;
use std::path::Path;

/// `bytes` on stdout, or in `output` as `output::write_file` writes it (whole or not at all).
pub(super) fn write_out(lang: Lang, output: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    match output {
        Some(path) => super::output::write_file(lang, path, bytes),
        None => {
            let mut out = super::output::stdout();
            out.write_all(bytes)?;
            Ok(out.flush()?)
        }
    }
}

/// A workbook's bytes, or the one sentence of why it could not be made.
pub(super) fn workbook(
    lang: Lang,
    made: Result<Vec<u8>, cnrm_engine::workbook::WorkbookError>,
) -> Result<Vec<u8>, CliError> {
    made.map_err(|e| CliError::Problem(strings::workbook_failed(lang, &e)))
}

/// The period `--period`, or `--from`/`--to`, asked for; none: the current quarter.
fn period(lang: Lang, args: &ReportArgs) -> Result<Option<Period>, CliError> {
    match (&args.period, &args.from, &args.to) {
        (Some(p), _, _) => Period::parse(p).map(Some).ok_or_else(|| {
            CliError::Misuse(tr!(
                lang,
                "période `{p}` illisible\u{a0}: T3 2025, S1 2026, 2025-09 ou 2025",
                "unreadable period `{p}`: T3 2025, S1 2026, 2025-09 or 2025"
            ))
        }),
        (None, Some(from), Some(to)) => match (parse_day(from), parse_day(to)) {
            (Some(f), Some(t)) if f <= t => Ok(Some(Period {
                from: f,
                to: t,
                label: format!("{f} – {t}"),
            })),
            _ => Err(CliError::Misuse(tr!(
                lang,
                "--from/--to\u{a0}: deux dates AAAA-MM-JJ, la première avant la seconde",
                "--from/--to: two YYYY-MM-DD dates, the first before the second"
            ))),
        },
        _ => Ok(None),
    }
}

pub fn report(ctx: &Ctx, args: &ReportArgs) -> Result<(), CliError> {
    let lang_given = std::env::args().any(|a| a == "--lang" || a.starts_with("--lang="))
        || std::env::var_os("CNRM_LANG").is_some();
    let explicit = period(ctx.lang, args)?;
    if args.format == ReportFormat::Xlsx && args.output.is_none() {
        return Err(CliError::Misuse(strings::xlsx_needs_output(
            ctx.lang,
            "rapport.xlsx",
        )));
    }
    let text = with_store(ctx, async |store| {
        let snapshot = store.snapshot(args.plan.as_deref(), &ctx.clock).await?;
        // In the plan's language unless --lang (or CNRM_LANG) says otherwise.
        let lang = if lang_given {
            ctx.lang
        } else {
            store
                .plan_language(&snapshot.plan_id)
                .await
                .unwrap_or(ctx.lang)
        };
        let extras = store.report_extras(&snapshot.plan_id).await?;
        let period = explicit.unwrap_or_else(|| Period::quarter_of(snapshot.today, lang));
        let r = report::build(&snapshot, &extras, period, lang);
        Ok(match args.format {
            ReportFormat::Md => report::markdown(&r).into_bytes(),
            ReportFormat::Html => report::html(&r).into_bytes(),
            ReportFormat::Json => (cnrm_engine::text::json_safe(
                &serde_json::to_string_pretty(&r).unwrap_or_default(),
            ) + "\n")
                .into_bytes(),
            ReportFormat::Csv => report::csv(&r, &args.table)
                .unwrap_or_default()
                .into_bytes(),
            ReportFormat::Xlsx => workbook(lang, workbook::report::report(&r))?,
        })
    })?;
    write_out(ctx.lang, args.output.as_deref(), &text)
}

pub fn ics(ctx: &Ctx, args: &IcsArgs) -> Result<(), CliError> {
    let text = with_store(ctx, async |store| {
        let snapshot = store.snapshot(args.plan.as_deref(), &ctx.clock).await?;
        if let Some(o) = &args.owner {
            if !snapshot.owners.iter().any(|x| &x.id == o) {
                return Err(CliError::Misuse(tr!(
                    ctx.lang,
                    "responsable `{o}` inconnu dans le plan `{}`",
                    "unknown owner `{o}` in plan `{}`",
                    snapshot.plan_id
                )));
            }
        }
        let stamp = ctx.clock.now().format("%Y%m%dT%H%M%SZ").to_string();
        Ok(report::ics(
            &snapshot,
            args.owner.as_deref(),
            &stamp,
            ctx.lang,
        ))
    })?;
    write_out(ctx.lang, args.output.as_deref(), text.as_bytes())
}
