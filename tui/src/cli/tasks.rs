//! `cnrm tasks` and `cnrm task show | set | spend`.

use super::args::{CheckFormat, TaskSetArgs, TaskShowArgs, TaskSpendArgs, TasksArgs, TasksFormat};
use super::output::{self, csv_line};
use super::{with_store, CliError};
use crate::context::{parse_day, parse_number, Ctx};
use crate::strings;
use cnrm_engine::records::{Event, TaskRow};
use cnrm_engine::store::{SetRequest, StoreError, TaskDetail, TaskFilter};
use cnrm_engine::text::money;
use cnrm_engine::Lang;
use std::io::Write;

pub fn tasks(ctx: &Ctx, args: &TasksArgs) -> Result<(), CliError> {
    let due_within = match &args.due_within {
        None => None,
        Some(text) => Some(
            cnrm_engine::plan::values::parse_duration(text)
                .map_err(|e| CliError::Misuse(strings::bad_duration(ctx.lang, text, e)))?,
        ),
    };
    let filter = TaskFilter {
        plan: args.plan.clone(),
        priority: args.priority.clone(),
        owner: args.owner.clone(),
        with_children: args.with_children,
        statuses: args.status.clone(),
        overdue: args.overdue,
        due_within,
        search: args.search.clone(),
        archived: args.archived,
    };
    match (args.format, &args.output) {
        (TasksFormat::Xlsx, None) if !args.count => {
            return Err(CliError::Misuse(strings::xlsx_needs_output(
                ctx.lang,
                &cnrm_engine::tr!(ctx.lang, "taches.xlsx", "tasks.xlsx"),
            )))
        }
        (TasksFormat::Table, Some(_)) => {
            return Err(CliError::Misuse(strings::table_not_to_file(ctx.lang)))
        }
        _ => {}
    }
    // Into a file, the whole list is made first, then written whole or not at all.
    let mut file: Vec<u8> = Vec::new();
    let mut stdout = output::stdout();
    let mut out: &mut dyn Write = if args.output.is_some() {
        &mut file
    } else {
        &mut stdout
    };
    with_store(ctx, async |store| {
        if args.count {
            // A bare number (valid in every format).
            writeln!(out, "{}", store.count_tasks(&filter, &ctx.clock).await?)?;
            return Ok(());
        }
        let list = store.task_list(&filter, &ctx.clock).await?;
        match args.format {
            TasksFormat::Json => output::json_rows(&mut out, list.rows())?,
            TasksFormat::Csv => {
                out.write_all(b"id,plan,priority,title,owners,partners,deadline,deadline_label,status,progress,overdue,days_late\n")?;
                for r in list.rows() {
                    let line = csv_line(&[
                        r.id,
                        r.plan,
                        r.priority,
                        r.title,
                        r.owners.join(" "),
                        r.partners.join(" "),
                        r.deadline.unwrap_or_default(),
                        r.deadline_label,
                        r.status.to_string(),
                        r.progress.to_string(),
                        r.overdue.to_string(),
                        r.days_late.to_string(),
                    ]);
                    out.write_all(line.as_bytes())?;
                }
            }
            TasksFormat::Xlsx => {
                let bytes = super::report::workbook(
                    ctx.lang,
                    cnrm_engine::workbook::report::tasks(list.rows(), ctx.lang),
                )?;
                out.write_all(&bytes)?;
            }
            TasksFormat::Table if list.is_empty() => {
                writeln!(out, "{}", strings::no_tasks(ctx.lang))?
            }
            TasksFormat::Table => {
                output::task_table(&mut out, ctx.lang, || list.rows(), output::table_width())?
            }
        }
        Ok(())
    })?;
    match &args.output {
        Some(path) => output::write_file(ctx.lang, path, &file),
        None => Ok(stdout.flush()?),
    }
}

pub fn show(ctx: &Ctx, args: &TaskShowArgs) -> Result<(), CliError> {
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let d = match store
            .task_detail(&args.id, args.plan.as_deref(), &ctx.clock)
            .await
        {
            Err(StoreError::NoTask(id)) => {
                // An id that a revision renamed: say where the task went (exit 1).
                return Err(match store.renamed_to(&id, args.plan.as_deref()).await? {
                    Some((_, new)) => CliError::Refused(strings::task_renamed(ctx.lang, &id, &new)),
                    None => CliError::Store(StoreError::NoTask(id)),
                });
            }
            other => other?,
        };
        if args.format == CheckFormat::Json {
            output::json(&mut out, &d)?;
        } else {
            write_detail(&mut output::terminal(&mut out), ctx.lang, &d)?;
        }
        Ok(())
    })?;
    Ok(out.flush()?)
}

/// A task's status as `task show` says it: `à faire (12 j de retard)`, `archivée (à faire)`.
fn status_shown(lang: Lang, t: &TaskRow) -> String {
    if t.archived {
        strings::archived_status(lang, t.status.label(lang))
    } else if t.overdue {
        let late = strings::late_by(lang, t.days_late);
        format!("{} ({late})", t.status.label(lang))
    } else {
        t.status.label(lang).to_string()
    }
}

/// A task for people: its fields, description, deadline moves, spending entries and history.
fn write_detail(out: &mut impl Write, lang: Lang, d: &TaskDetail) -> std::io::Result<()> {
    let t = &d.row;
    let title = cnrm_engine::text::terminal_line(&t.title);
    if !d.occurrences.is_empty() {
        let base = t.id.split('@').next().unwrap_or(&t.id);
        let line = strings::recurring_task(lang, base, d.occurrences.len(), &t.id);
        writeln!(out, "{line}\n")?;
    }
    writeln!(out, "{} — {title}", t.id)?;
    if t.archived {
        writeln!(
            out,
            "  {}",
            strings::archived_since(lang, d.archived_revision)
        )?;
    }
    let label = |fr: &'static str, en: &'static str| if lang == Lang::Fr { fr } else { en };
    let status = status_shown(lang, t);
    let deadline = strings::deadline(lang, &t.deadline_label, t.deadline.as_deref());
    let percent = strings::percent(lang, Some(t.progress as f64));
    let rows = [
        (
            label("Plan", "Plan"),
            format!("{} · {}", t.plan, t.priority),
        ),
        (label("Statut", "Status"), format!("{status} · {percent}")),
        (label("Échéance", "Deadline"), deadline),
        (
            label("Début", "Start"),
            d.start
                .as_deref()
                .map(|s| strings::day(lang, s))
                .unwrap_or_else(|| "—".into()),
        ),
        (label("Responsables", "Owners"), t.owners.join(", ")),
        (
            label("Partenaires", "Partners"),
            if t.partners.is_empty() {
                "—".into()
            } else {
                t.partners.join(", ")
            },
        ),
        (
            label("Dépend de", "Depends on"),
            if d.depends_on.is_empty() {
                "—".into()
            } else {
                d.depends_on.join(", ")
            },
        ),
        (
            label("Budget", "Budget"),
            format!(
                "{} {} · {} {} · {} {} · {} {} · {} {}",
                label("prévu", "planned"),
                money(d.budget_planned, &d.currency),
                label("acquis", "secured"),
                money(d.budget_secured, &d.currency),
                label("promis", "pledged"),
                money(d.budget_pledged, &d.currency),
                label("à rechercher", "gap"),
                money(d.budget_needed, &d.currency),
                label("dépensé", "spent"),
                money(d.spent, &d.currency)
            ),
        ),
    ];
    for (k, v) in rows {
        writeln!(out, "  {k:<13} {v}")?;
    }
    if let Some(desc) = &d.description {
        writeln!(out, "\n  {}", desc.trim().replace('\n', "\n  "))?;
    }
    if !d.slips.is_empty() {
        writeln!(
            out,
            "\n{}",
            label("Échéance déplacée\u{a0}:", "Deadline moved:")
        )?;
        for s in &d.slips {
            let days = s
                .days
                .map(|x| format!(" ({})", strings::days_signed(lang, x)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {}",
                cnrm_engine::tr!(
                    lang,
                    "révision {}\u{a0}: {} → {}{days}",
                    "revision {}: {} → {}{days}",
                    s.revision,
                    s.from,
                    s.to
                )
            )?;
        }
    }
    if !d.spendings.is_empty() {
        writeln!(out, "\n{}", strings::spendings_heading(lang))?;
        for s in &d.spendings {
            let mut what = money(s.amount, &s.currency);
            if s.currency != d.currency {
                what.push_str(&format!(" (= {})", money(s.amount_plan, &d.currency)));
            }
            let line = strings::entry_line(
                lang,
                s.entry,
                &s.date,
                &what,
                s.note.as_deref(),
                s.cancelled,
            );
            writeln!(out, "  {line}")?;
        }
    }
    if !d.occurrences.is_empty() {
        writeln!(out, "\n{}", label("Occurrences\u{a0}:", "Occurrences:"))?;
        let width = d.occurrences.iter().map(|o| o.id.len()).max().unwrap_or(0);
        for o in &d.occurrences {
            let status = status_shown(lang, o);
            let deadline = strings::deadline(lang, &o.deadline_label, o.deadline.as_deref());
            writeln!(out, "  {:<width$}  {deadline} · {status}", o.id)?;
        }
    }
    writeln!(out, "\n{}", label("Historique\u{a0}:", "History:"))?;
    if d.history.is_empty() {
        writeln!(out, "  {}", strings::nothing_recorded(lang))?;
    }
    let mut spendings = 0;
    for h in &d.history {
        let mut event = h.event.clone();
        if let Event::Spending(s) = &mut event {
            // Events recorded before entries were numbered: the n-th spending event is entry n.
            spendings += 1;
            s.entry.get_or_insert(spendings);
        }
        let mut what = crate::history::what(lang, &event, h.note.as_deref());
        if h.source.as_deref() == Some(cnrm_engine::store::EMAIL_SOURCE) {
            what.push_str(&strings::by_email(lang));
        }
        writeln!(
            out,
            "  {}",
            strings::history_line(lang, &h.at, &h.actor, &what)
        )?;
    }
    Ok(())
}

pub fn set(ctx: &Ctx, args: &TaskSetArgs) -> Result<(), CliError> {
    let req = SetRequest {
        status: args.status,
        progress: args.progress,
        note: args.note.clone(),
        date: day(ctx.lang, &args.date)?,
    };
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let r = store
            .set_task(&args.id, args.plan.as_deref(), &req, &ctx.actor, &ctx.clock)
            .await?;
        let (from, to) = (r.old_status.label(ctx.lang), r.status.label(ctx.lang));
        let line = strings::task_set_done(ctx.lang, &args.id, from, to, r.progress);
        Ok(writeln!(out, "{line}")?)
    })?;
    Ok(out.flush()?)
}

/// A number typed by the user (`what` names it in the error); `signed` allows it below 0.
pub(super) fn number(lang: Lang, what: &str, text: &str, signed: bool) -> Result<f64, CliError> {
    parse_number(text)
        .filter(|v| signed || *v >= 0.0)
        .ok_or_else(|| CliError::Misuse(strings::bad_number(lang, what, text)))
}

/// An optional `YYYY-MM-DD` typed by the user.
pub(super) fn day(
    lang: Lang,
    text: &Option<String>,
) -> Result<Option<chrono::NaiveDate>, CliError> {
    text.as_deref()
        .map(|t| parse_day(t).ok_or_else(|| CliError::Misuse(strings::bad_date(lang, t))))
        .transpose()
}

/// A `--cancel ENTRY` typed by the user: `3`, `n°3`, `n° 3` or `#3`.
pub(super) fn entry(lang: Lang, text: &str, listed_by: &str) -> Result<i64, CliError> {
    let t = text.trim();
    let t = t
        .strip_prefix("n°")
        .or_else(|| t.strip_prefix('#'))
        .unwrap_or(t)
        .trim_start_matches([' ', '\u{a0}']);
    t.parse::<i64>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| CliError::Misuse(strings::bad_entry(lang, text, listed_by)))
}

pub fn spend(ctx: &Ctx, args: &TaskSpendArgs) -> Result<(), CliError> {
    let mut out = output::stdout();
    let amount_text = match (&args.amount, &args.cancel) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(CliError::Misuse(strings::amount_or_cancel(ctx.lang)))
        }
        (None, Some(cancel)) => {
            for (given, option) in [(&args.currency, "--currency"), (&args.date, "--date")] {
                if given.is_some() {
                    return Err(CliError::Misuse(strings::cancel_takes_no(ctx.lang, option)));
                }
            }
            let n = entry(ctx.lang, cancel, "cnrm task show")?;
            with_store(ctx, async |store| {
                let c = store
                    .cancel_spending(
                        &args.id,
                        args.plan.as_deref(),
                        n,
                        args.note.as_deref(),
                        &ctx.actor,
                        &ctx.clock,
                    )
                    .await?;
                let amount = money(c.value, c.currency.as_deref().unwrap_or(""));
                let line = strings::spending_cancelled(ctx.lang, &args.id, c.entry, &amount);
                Ok(writeln!(out, "{line}")?)
            })?;
            return Ok(out.flush()?);
        }
        (Some(a), None) => a,
    };
    let what = cnrm_engine::tr!(ctx.lang, "montant", "amount");
    let amount = number(ctx.lang, &what, amount_text, false)?;
    let date = day(ctx.lang, &args.date)?;
    let currency = args.currency.as_deref();
    with_store(ctx, async |store| {
        let r = store
            .spend(
                &args.id,
                args.plan.as_deref(),
                amount,
                currency,
                date,
                args.note.as_deref(),
                &ctx.actor,
                &ctx.clock,
            )
            .await?;
        let shown = match currency {
            Some(c) if c.to_uppercase() != r.currency => format!(
                "{} {} (= {})",
                cnrm_engine::text::amount_in(amount, &c.to_uppercase()),
                c.to_uppercase(),
                money(r.amount_plan, &r.currency)
            ),
            _ => money(r.amount_plan, &r.currency),
        };
        writeln!(out, "{}", strings::spent(ctx.lang, &args.id, &shown))?;
        if let Some(times) = r.overspent() {
            out.flush()?;
            let line = strings::overspent(ctx.lang, &args.id, &r, times, false);
            eprintln!("{}", super::french(ctx.lang, &line));
        }
        Ok(())
    })?;
    Ok(out.flush()?)
}
