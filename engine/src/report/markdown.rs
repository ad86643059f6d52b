//! The report in Markdown, readable as plain text. Every text from the plan or the database
//! goes through `markdown_text` (no `|` or line break can end a table row or a heading early).

use super::table::{tables, Cell, Table};
use super::{colon, heading, milestones, percent, period_line, period_rate, status_count, Report};
use crate::text::{markdown_text as md, money_nbsp as money};
use crate::tr;
use crate::workflow::Status;

pub fn markdown(r: &Report) -> String {
    let l = r.language;
    let c = &r.currency;
    let m = &r.summary.money;
    let k = colon(l);
    let mut out = format!("# {}\n\n{}\n\n", md(&heading(r)), md(&period_line(r)));
    out.push_str(&format!("## {}\n\n", tr!(l, "Synthèse", "Summary")));
    out.push_str(&format!(
        "- {}{k}**{}** ({} / {})\n",
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
        "- {}{k}**{}**\n",
        tr!(
            l,
            "Taux d'exécution physique global",
            "Overall physical execution"
        ),
        percent(r.summary.physical_overall, l)
    ));
    out.push_str(&format!(
        "- {}{k}**{}** ({} / {})\n",
        tr!(l, "Taux d'exécution financière", "Financial execution"),
        percent(r.summary.financial, l),
        money(m.spent, c),
        money(m.planned, c)
    ));
    out.push_str(&format!(
        "- {}{k}{} · {}{k}**{}**\n",
        tr!(l, "Tâches", "Tasks"),
        r.summary.tasks,
        tr!(l, "en retard", "overdue"),
        r.summary.overdue
    ));
    let statuses: Vec<String> = Status::ALL
        .iter()
        .map(|s| {
            let n = r.summary.by_status.get(s.as_str()).copied().unwrap_or(0);
            status_count(*s, n, l)
        })
        .collect();
    out.push_str(&format!("- {}\n", statuses.join(" · ")));
    out.push_str(&format!(
        "- {}{k}**{}**\n",
        tr!(l, "Financement à rechercher", "Financing gap"),
        money(r.gap, c)
    ));
    for t in tables(r) {
        out.push_str(&format!("\n## {}\n\n", md(&t.title)));
        match &t.none {
            Some(none) if t.rows.is_empty() => out.push_str(&format!("{none}\n")),
            _ => table(&mut out, &t),
        }
    }
    out.push_str(&format!("\n## {}\n\n", tr!(l, "Jalons", "Milestones")));
    for (title, items) in milestones(r) {
        out.push_str(&format!("**{title}**{k}"));
        if items.is_empty() {
            out.push_str(&format!("{}\n\n", tr!(l, "aucun", "none")));
        } else {
            let items: Vec<String> = items.iter().map(|i| md(i)).collect();
            let semicolon = tr!(l, "\u{a0}; ", "; ");
            out.push_str(&format!("{}\n\n", items.join(&semicolon)));
        }
    }
    out
}

/// A table: its header row, alignment row (`---:` for numbers), rows and total.
fn table(out: &mut String, t: &Table) {
    let heads: Vec<String> = t.heads.iter().map(|h| md(h)).collect();
    out.push_str(&format!("| {} |\n|", heads.join(" | ")));
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
                Cell::Text(s) | Cell::Number(s) | Cell::Late(s) | Cell::Bar(s, _) => md(s),
                Cell::Amount(x) => money(*x, currency),
            };
            out.push_str(&format!(" {text} |"));
        }
        out.push('\n');
    }
    if let Some((label, amount)) = &t.total {
        out.push_str(&format!(
            "| **{}** | {} |",
            md(label),
            money(*amount, currency)
        ));
        out.push_str(&" |".repeat(t.heads.len().saturating_sub(2)));
        out.push('\n');
    }
}
