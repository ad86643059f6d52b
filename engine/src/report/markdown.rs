//! The report in Markdown, readable as plain text.

use super::table::{tables, Cell, Table};
use super::{heading, milestones, percent, period_line, period_rate, Report};
use crate::text::money;
use crate::tr;
use crate::workflow::Status;

pub fn markdown(r: &Report) -> String {
    let l = r.language;
    let c = &r.currency;
    let m = &r.summary.money;
    let mut out = format!("# {}\n\n{}\n\n", heading(r), period_line(r));
    out.push_str(&format!("## {}\n\n", tr!(l, "Synthèse", "Summary")));
    out.push_str(&format!(
        "- {} : **{}** ({} / {})\n",
        tr!(
            l,
            "Taux d'exécution physique de la période",
            "Physical execution in the period"
        ),
        period_rate(r),
        r.summary.done_in_period,
        r.summary.due_in_period
    ));
    out.push_str(&format!(
        "- {} : **{}**\n",
        tr!(
            l,
            "Taux d'exécution physique global",
            "Overall physical execution"
        ),
        percent(r.summary.physical_overall, l)
    ));
    out.push_str(&format!(
        "- {} : **{}** ({} / {})\n",
        tr!(l, "Taux d'exécution financière", "Financial execution"),
        percent(r.summary.financial, l),
        money(m.spent, c),
        money(m.planned, c)
    ));
    out.push_str(&format!(
        "- {} : {} · {} : **{}**\n",
        tr!(l, "Tâches", "Tasks"),
        r.summary.tasks,
        tr!(l, "en retard", "overdue"),
        r.summary.overdue
    ));
    let statuses: Vec<String> = Status::ALL
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                r.summary.by_status.get(s.as_str()).copied().unwrap_or(0),
                s.label(l)
            )
        })
        .collect();
    out.push_str(&format!("- {}\n", statuses.join(" · ")));
    out.push_str(&format!(
        "- {} : **{}**\n",
        tr!(l, "Financement à rechercher", "Financing gap"),
        money(r.gap, c)
    ));
    for t in tables(r) {
        out.push_str(&format!("\n## {}\n\n", t.title));
        match &t.none {
            Some(none) if t.rows.is_empty() => out.push_str(&format!("{none}\n")),
            _ => table(&mut out, &t),
        }
    }
    out.push_str(&format!("\n## {}\n\n", tr!(l, "Jalons", "Milestones")));
    for (title, items) in milestones(r) {
        out.push_str(&format!("**{title}** : "));
        if items.is_empty() {
            out.push_str(&format!("{}\n\n", tr!(l, "aucun", "none")));
        } else {
            out.push_str(&format!("{}\n\n", items.join(" ; ")));
        }
    }
    out
}

/// A table: its header row, alignment row (`---:` for numbers), rows and total.
fn table(out: &mut String, t: &Table) {
    out.push_str(&format!("| {} |\n|", t.heads.join(" | ")));
    for i in 0..t.heads.len() {
        out.push_str(if t.numeric.contains(&i) {
            " ---: |"
        } else {
            " --- |"
        });
    }
    out.push('\n');
    let currency = t.currency.as_deref().unwrap_or("");
    for row in &t.rows {
        out.push('|');
        for cell in row {
            let text = match cell {
                Cell::Text(s) | Cell::Late(s) | Cell::Bar(s, _) => s.clone(),
                Cell::Amount(x) => money(*x, currency),
            };
            out.push_str(&format!(" {text} |"));
        }
        out.push('\n');
    }
    if let Some((label, amount)) = &t.total {
        out.push_str(&format!("| **{label}** | {} |", money(*amount, currency)));
        out.push_str(&" |".repeat(t.heads.len().saturating_sub(2)));
        out.push('\n');
    }
}
