//! `cnrm tasks` and `cnrm task show | set | spend`.

use super::args::{CheckFormat, ListFormat, TaskSetArgs, TaskShowArgs, TaskSpendArgs, TasksArgs};
use super::output::{self, csv_line};
use super::{with_store, CliError};
use crate::context::{parse_day, parse_number, Ctx};
use crate::strings;
use cnrm_engine::store::{SetRequest, TaskDetail, TaskFilter};
use cnrm_engine::text::{group_thousands, money};
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use std::io::Write;

pub fn tasks(ctx: &Ctx, args: &TasksArgs) -> Result<(), CliError> {
    let due_within = match &args.due_within {
        None => None,
        Some(text) => Some(
            cnrm_engine::plan::values::parse_duration(text)
                .ok_or_else(|| CliError::Misuse(strings::bad_duration(ctx.lang, text)))?,
        ),
    };
    let filter = TaskFilter {
        plan: args.plan.clone(),
        priority: args.priority.clone(),
        owner: args.owner.clone(),
        statuses: args.status.clone(),
        overdue: args.overdue,
        due_within,
        search: args.search.clone(),
        archived: args.archived,
    };
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        if args.count {
            // A bare number (valid in every format).
            writeln!(out, "{}", store.count_tasks(&filter, &ctx.clock).await?)?;
            return Ok(());
        }
        let list = store.task_list(&filter, &ctx.clock).await?;
        match args.format {
            ListFormat::Json => output::json_rows(&mut out, list.rows())?,
            ListFormat::Csv => {
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
            ListFormat::Table if list.is_empty() => {
                writeln!(out, "{}", strings::no_tasks(ctx.lang))?
            }
            ListFormat::Table => {
                output::task_table(&mut out, ctx.lang, || list.rows(), output::table_width())?
            }
        }
        Ok(())
    })?;
    Ok(out.flush()?)
}

pub fn show(ctx: &Ctx, args: &TaskShowArgs) -> Result<(), CliError> {
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let d = store
            .task_detail(&args.id, args.plan.as_deref(), &ctx.clock)
            .await?;
        if args.format == CheckFormat::Json {
            output::json(&mut out, &d)?;
        } else {
            write_detail(&mut output::terminal(&mut out), ctx.lang, &d)?;
        }
        Ok(())
    })?;
    Ok(out.flush()?)
}

/// A task for people: its fields, description, deadline moves and history.
fn write_detail(out: &mut impl Write, lang: Lang, d: &TaskDetail) -> std::io::Result<()> {
    let t = &d.row;
    let title = cnrm_engine::text::terminal_line(&t.title);
    writeln!(out, "{} — {title}", t.id)?;
    let label = |fr: &'static str, en: &'static str| if lang == Lang::Fr { fr } else { en };
    let status = if t.overdue {
        format!(
            "{} ({})",
            t.status.label(lang),
            strings::late_by(lang, t.days_late)
        )
    } else {
        t.status.label(lang).to_string()
    };
    let deadline = match &t.deadline {
        None => strings::continuous(lang).to_string(),
        Some(day) if *day != t.deadline_label => format!("{} ({day})", t.deadline_label),
        Some(day) => day.clone(),
    };
    let rows = [
        (
            label("Plan", "Plan"),
            format!("{} · {}", t.plan, t.priority),
        ),
        (
            label("Statut", "Status"),
            format!("{status} · {} %", t.progress),
        ),
        (label("Échéance", "Deadline"), deadline),
        (
            label("Début", "Start"),
            d.start.clone().unwrap_or_else(|| "—".into()),
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
        writeln!(out, "\n{}", label("Échéance déplacée :", "Deadline moved:"))?;
        for s in &d.slips {
            let days = s
                .days
                .map(|x| format!(" ({})", strings::days_signed(lang, x)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {} {} : {} → {}{days}",
                label("révision", "revision"),
                s.revision,
                s.from,
                s.to
            )?;
        }
        writeln!(
            out,
            "  {}",
            cnrm_engine::tr!(
                lang,
                "{} report(s) au total",
                "{} move(s) in all",
                d.slips.len()
            )
        )?;
    }
    writeln!(out, "\n{}", label("Historique :", "History:"))?;
    if d.history.is_empty() {
        writeln!(out, "  {}", label("rien d'enregistré", "nothing recorded"))?;
    }
    for h in &d.history {
        let mut what = h.kind.clone();
        if let Some(s) = h.data.get("status") {
            let parse = |v: &serde_json::Value| {
                v.as_str()
                    .and_then(|x| x.parse::<Status>().ok())
                    .map(|x| x.label(lang))
            };
            what = format!(
                "{} → {}",
                parse(&s["from"]).unwrap_or("?"),
                parse(&s["to"]).unwrap_or("?")
            );
        }
        if let Some(p) = h.data.get("progress") {
            what.push_str(&format!(" · {} → {} %", p["from"], p["to"]));
        }
        if h.kind == "spending" {
            what = format!(
                "{} {} {}",
                label("dépense", "spending"),
                group_thousands(h.data["amount"].as_f64().unwrap_or(0.0)),
                h.data["currency"].as_str().unwrap_or("")
            );
        }
        if h.kind == "renamed" {
            what = format!(
                "{} {} → {}",
                label("renommée", "renamed"),
                h.data["from"].as_str().unwrap_or(""),
                h.data["to"].as_str().unwrap_or("")
            );
        }
        if h.kind == "note" {
            what = label("note", "note").to_string();
        }
        let note = h
            .note
            .as_ref()
            .map(|n| format!(" — « {n} »"))
            .unwrap_or_default();
        writeln!(out, "  {} {}: {what}{note}", h.at, h.actor)?;
    }
    Ok(())
}

pub fn set(ctx: &Ctx, args: &TaskSetArgs) -> Result<(), CliError> {
    let req = SetRequest {
        status: args.status,
        progress: args.progress,
        note: args.note.clone(),
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

pub fn spend(ctx: &Ctx, args: &TaskSpendArgs) -> Result<(), CliError> {
    let what = cnrm_engine::tr!(ctx.lang, "montant", "amount");
    let amount = number(ctx.lang, &what, &args.amount, false)?;
    let date = day(ctx.lang, &args.date)?;
    let currency = args.currency.as_deref();
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let (_, amount_plan, plan_currency) = store
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
            Some(c) if c.to_uppercase() != plan_currency => format!(
                "{} {} (= {})",
                group_thousands(amount),
                c.to_uppercase(),
                money(amount_plan, &plan_currency)
            ),
            _ => money(amount_plan, &plan_currency),
        };
        Ok(writeln!(
            out,
            "{}",
            strings::spent(ctx.lang, &args.id, &shown)
        )?)
    })?;
    Ok(out.flush()?)
}
