//! `cnrm indicators` and `cnrm indicator show | record`.

use super::args::{
    CheckFormat, IndicatorRecordArgs, IndicatorShowArgs, IndicatorsArgs, ListFormat,
};
use super::output::{self, csv_line};
use super::tasks::{day, entry, number};
use super::{with_store, CliError};
use crate::context::Ctx;
use crate::strings;
use cnrm_engine::store::{IndicatorDetail, IndicatorInfo};
use cnrm_engine::text::char_count;
use cnrm_engine::Lang;
use serde_json::json;
use std::io::Write;

/// An indicator as `indicators --format json` writes it: dates ISO, numbers as numbers.
fn indicator_json(plan: &str, i: &IndicatorInfo) -> serde_json::Value {
    json!({
        "id": i.id,
        "plan": plan,
        "priority": i.priority,
        "title": i.title,
        "unit": i.unit,
        "baseline": i.baseline,
        "target": i.target,
        "due": i.due,
        "latest_value": i.latest.as_ref().map(|l| l.1),
        "latest_date": i.latest.as_ref().map(|l| l.0.clone()),
        "achievement": i.achievement(),
    })
}

/// A number for CSV: as stored, without grouping (`1500`, `12.5`), empty for none.
fn plain(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub fn list(ctx: &Ctx, args: &IndicatorsArgs) -> Result<(), CliError> {
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let rows = store.indicators(args.plan.as_deref(), &ctx.clock).await?;
        let lang = ctx.lang;
        match args.format {
            ListFormat::Json => {
                output::json_rows(&mut out, rows.iter().map(|(p, i)| indicator_json(p, i)))?
            }
            ListFormat::Csv => {
                out.write_all(b"id,plan,priority,title,unit,baseline,target,due,latest_value,latest_date,achievement\n")?;
                for (p, i) in &rows {
                    let line = csv_line(&[
                        i.id.clone(),
                        p.clone(),
                        i.priority.clone(),
                        i.title.clone(),
                        i.unit.clone().unwrap_or_default(),
                        plain(i.baseline),
                        plain(i.target),
                        i.due.clone().unwrap_or_default(),
                        plain(i.latest.as_ref().map(|l| l.1)),
                        i.latest.as_ref().map(|l| l.0.clone()).unwrap_or_default(),
                        plain(i.achievement().map(|a| (a * 10.0).round() / 10.0)),
                    ]);
                    out.write_all(line.as_bytes())?;
                }
            }
            ListFormat::Table if rows.is_empty() => {
                writeln!(out, "{}", strings::no_indicators(lang))?
            }
            ListFormat::Table => {
                let headers = strings::indicator_headers(lang);
                let cells: Vec<[String; 8]> = rows
                    .iter()
                    .map(|(p, i)| {
                        [
                            i.id.clone(),
                            p.clone(),
                            opt_value(lang, i.baseline),
                            opt_value(lang, i.target),
                            i.unit.clone().unwrap_or_else(|| "—".into()),
                            strings::latest_value(lang, i.latest.as_ref()),
                            strings::percent(lang, i.achievement()),
                            i.title.clone(),
                        ]
                    })
                    .collect();
                let mut w = headers.map(char_count);
                for row in &cells {
                    for (wi, c) in w.iter_mut().zip(row) {
                        *wi = (*wi).max(char_count(c));
                    }
                }
                let line = |row: [&str; 8]| {
                    let mut s = String::new();
                    for (k, c) in row.iter().enumerate() {
                        let pad = w[k].saturating_sub(char_count(c));
                        // Numbers right-aligned, text left-aligned; the title last, unpadded.
                        match k {
                            2 | 3 | 6 => s.push_str(&format!("{}{c}  ", " ".repeat(pad))),
                            7 => s.push_str(c),
                            _ => s.push_str(&format!("{c}{}  ", " ".repeat(pad))),
                        }
                    }
                    s.trim_end().to_string()
                };
                writeln!(out, "{}", line(headers))?;
                for row in &cells {
                    writeln!(out, "{}", line(row.each_ref().map(String::as_str)))?;
                }
            }
        }
        Ok(())
    })?;
    Ok(out.flush()?)
}

fn opt_value(lang: Lang, v: Option<f64>) -> String {
    v.map(|v| strings::value(lang, v))
        .unwrap_or_else(|| "—".into())
}

pub fn show(ctx: &Ctx, args: &IndicatorShowArgs) -> Result<(), CliError> {
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let d = store
            .indicator_detail(&args.id, args.plan.as_deref(), &ctx.clock)
            .await?;
        if args.format == CheckFormat::Json {
            let mut v = indicator_json(&d.plan, &d.info);
            v["values"] = serde_json::to_value(&d.values).unwrap_or_default();
            output::json(&mut out, &v)?;
        } else {
            write_detail(&mut out, ctx.lang, &d)?;
        }
        Ok(())
    })?;
    Ok(out.flush()?)
}

/// An indicator for people: its definition, latest value and every recorded value, numbered.
fn write_detail(out: &mut impl Write, lang: Lang, d: &IndicatorDetail) -> std::io::Result<()> {
    let i = &d.info;
    writeln!(out, "{} — {}", i.id, i.title)?;
    let unit = |v: String| match &i.unit {
        Some(u) if v != "—" => format!("{v} {u}"),
        _ => v,
    };
    let [plan, priority, baseline, target, due, latest, achieved] = strings::indicator_labels(lang);
    let rows = [
        (plan, d.plan.clone()),
        (priority, i.priority.clone()),
        (baseline, unit(opt_value(lang, i.baseline))),
        (target, unit(opt_value(lang, i.target))),
        (due, i.due.clone().unwrap_or_else(|| "—".into())),
        (latest, strings::latest_value(lang, i.latest.as_ref())),
        (achieved, strings::percent(lang, i.achievement())),
    ];
    for (k, v) in rows {
        writeln!(out, "  {k:<16} {v}")?;
    }
    writeln!(out, "\n{}", strings::values_heading(lang))?;
    if d.values.is_empty() {
        writeln!(out, "  {}", strings::nothing_recorded(lang))?;
    }
    for v in &d.values {
        let what = format!(
            "{} — {}, {}",
            unit(strings::value(lang, v.value)),
            v.actor,
            strings::when(lang, &v.at)
        );
        let line = strings::entry_line(
            lang,
            v.entry,
            &v.date,
            &what,
            v.note.as_deref(),
            v.cancelled,
        );
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

pub fn record(ctx: &Ctx, args: &IndicatorRecordArgs) -> Result<(), CliError> {
    let mut out = output::stdout();
    let value_text = match (&args.value, &args.cancel) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(CliError::Misuse(strings::value_or_cancel(ctx.lang)))
        }
        (None, Some(cancel)) => {
            if args.date.is_some() {
                return Err(CliError::Misuse(strings::cancel_takes_no(
                    ctx.lang, "--date",
                )));
            }
            let n = entry(ctx.lang, cancel, "cnrm indicator show")?;
            with_store(ctx, async |store| {
                let c = store
                    .cancel_indicator_value(
                        &args.id,
                        args.plan.as_deref(),
                        n,
                        args.note.as_deref(),
                        &ctx.actor,
                        &ctx.clock,
                    )
                    .await?;
                let v = strings::value(ctx.lang, c.value);
                let line = strings::value_cancelled(ctx.lang, &args.id, c.entry, &v);
                Ok(writeln!(out, "{line}")?)
            })?;
            return Ok(out.flush()?);
        }
        (Some(v), None) => v,
    };
    let what = cnrm_engine::tr!(ctx.lang, "valeur", "value");
    let value = number(ctx.lang, &what, value_text, true)?;
    let date = day(ctx.lang, &args.date)?;
    with_store(ctx, async |store| {
        let plan = store
            .record_indicator(
                &args.id,
                args.plan.as_deref(),
                value,
                date,
                args.note.as_deref(),
                &ctx.actor,
                &ctx.clock,
            )
            .await?;
        let line = strings::indicator_recorded(ctx.lang, &args.id, value, &plan);
        Ok(writeln!(out, "{line}")?)
    })?;
    Ok(out.flush()?)
}
