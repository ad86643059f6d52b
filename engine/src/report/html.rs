//! The report as one self-contained HTML file.

use super::table::{tables, Cell, Table};
use super::{colon, heading, milestones, percent, period_line, period_rate, svg, Report};
use crate::chronogram::rating_rule;
use crate::text::{group_thousands, html_escape as esc, money_nbsp as money, unit};
use crate::tr;

/// One self-contained HTML file: inline CSS, bars in CSS, print-friendly, no external resource.
pub fn html(r: &Report) -> String {
    let l = r.language;
    let c = &r.currency;
    let m = &r.summary.money;
    let mut h = String::new();
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
body{{font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;margin:2em auto;max-width:64em;font-size:11pt}}\
h1{{font-size:16pt;border-bottom:2px solid #14532d;padding-bottom:.3em}}h2{{font-size:13pt;color:#14532d;margin-top:1.5em}}\
table{{border-collapse:collapse;width:100%;margin:.5em 0;font-size:9.5pt}}th,td{{border:1px solid #bbb;padding:.25em .4em;vertical-align:top}}\
th{{background:#eef3ee;text-align:left}}td.n{{text-align:right;white-space:nowrap}}.late{{color:#b91c1c;font-weight:bold}}\
.bar{{display:inline-block;width:6em;height:.7em;background:#e5e7eb;margin-left:.4em}}.bar span{{display:block;height:100%;background:#15803d}}\
.kpi{{display:inline-block;border:1px solid #bbb;padding:.5em 1em;margin:.2em;min-width:12em}}.kpi b{{font-size:14pt;display:block}}\
figure.chart{{margin:1em 0}}figure.chart svg{{display:block;width:100%;height:auto}}figcaption{{font-size:9pt;color:#374151;margin-top:.3em}}\
.badge{{display:inline-block;border-radius:.8em;padding:0 .6em;color:#fff;font-size:10pt;font-weight:bold;text-shadow:0 0 2px #000}}\
@page{{size:A4;margin:15mm}}\
@media print{{body{{margin:0;max-width:none;-webkit-print-color-adjust:exact;print-color-adjust:exact}}h2{{page-break-after:avoid}}tr{{page-break-inside:avoid}}\
figure.chart{{break-inside:avoid;page-break-inside:avoid}}figure.page{{break-before:page;page-break-before:always}}}}</style></head><body>\n",
        l.code(),
        esc(&r.title)
    ));
    h.push_str(&format!(
        "<h1>{}</h1>\n<p>{}</p>\n",
        esc(&heading(r)),
        esc(&period_line(r))
    ));
    h.push_str("<div>");
    for (label, value) in [
        (
            tr!(
                l,
                "Exécution physique (période)",
                "Physical execution (period)"
            ),
            period_rate(r),
        ),
        (
            tr!(
                l,
                "Exécution physique (globale)",
                "Physical execution (overall)"
            ),
            percent(r.summary.physical_overall, l),
        ),
        (
            tr!(l, "Exécution financière", "Financial execution"),
            percent(r.summary.financial, l),
        ),
        (
            tr!(l, "Tâches en retard", "Overdue tasks"),
            r.summary.overdue.to_string(),
        ),
        (tr!(l, "À rechercher", "Financing gap"), money(r.gap, c)),
    ] {
        h.push_str(&format!(
            "<div class=\"kpi\">{}<b>{}</b></div>",
            esc(&label),
            esc(&value)
        ));
    }
    h.push_str(&format!(
        "</div>\n<p>{}{k}{} · {}{k}{} · {}{k}{}</p>\n",
        esc(&tr!(l, "Prévu", "Planned")),
        esc(&money(m.planned, c)),
        esc(&tr!(l, "Acquis", "Secured")),
        esc(&money(m.secured, c)),
        esc(&tr!(l, "Dépensé", "Spent")),
        esc(&money(m.spent, c)),
        k = colon(l)
    ));
    pictures_head(&mut h, r);
    let [priorities, funders, late, indicators] = tables(r);
    table(&mut h, &priorities);
    table(&mut h, &funders);
    budget_pictures(&mut h, r);
    table(&mut h, &late);
    table(&mut h, &indicators);
    h.push_str(&format!(
        "<h2>{}</h2>\n",
        esc(&tr!(l, "Jalons", "Milestones"))
    ));
    for (title, items) in milestones(r) {
        let body = if items.is_empty() {
            format!("<li>{}</li>", esc(&tr!(l, "aucun", "none")))
        } else {
            items
                .iter()
                .map(|i| format!("<li>{}</li>", esc(i)))
                .collect()
        };
        h.push_str(&format!("<p><b>{}</b></p><ul>{}</ul>\n", esc(&title), body));
    }
    chronogram_pictures(&mut h, r);
    h.push_str("</body></html>\n");
    h
}

/// The red / amber / green status of each priority, its rule written under it.
fn pictures_head(h: &mut String, r: &Report) {
    let l = r.language;
    h.push_str(&format!(
        "<figure class=\"chart\"><h2>{}</h2>{}<figcaption class=\"rule\">{}</figcaption></figure>\n",
        esc(&tr!(l, "Situation par priorité", "Status by priority")),
        svg::ratings(&r.chronogram, l),
        esc(&rating_rule(l))
    ));
}

/// Budget bars per priority and per funder (the figures of the two tables above).
fn budget_pictures(h: &mut String, r: &Report) {
    let l = r.language;
    h.push_str(&format!(
        "<figure class=\"chart page\"><h2>{}</h2>{}</figure>\n<figure class=\"chart\"><h2>{}</h2>{}</figure>\n",
        esc(&tr!(
            l,
            "Budget par priorité ({})",
            "Budget by priority ({})",
            unit(&r.currency)
        )),
        svg::budget_by_priority(r),
        esc(&tr!(
            l,
            "Budget par bailleur ({})",
            "Budget by funder ({})",
            unit(&r.currency)
        )),
        svg::budget_by_funder(r)
    ));
}

/// One chronogramme per priority (a long priority in several pictures), each on its own page
/// when printed.
fn chronogram_pictures(h: &mut String, r: &Report) {
    let l = r.language;
    let c = &r.chronogram;
    for g in &c.groups {
        let rating = g.rating();
        let chunks: Vec<&[crate::chronogram::Row]> = if g.rows.is_empty() {
            vec![&[]]
        } else {
            g.rows.chunks(svg::ROWS_PER_CHART).collect()
        };
        for (i, rows) in chunks.iter().enumerate() {
            let mut title = tr!(
                l,
                "Chronogramme — {} {}",
                "Chronogramme — {} {}",
                g.priority,
                g.title
            );
            if chunks.len() > 1 {
                title.push_str(&format!(" ({}/{})", i + 1, chunks.len()));
            }
            h.push_str(&format!(
                "<figure class=\"chart page\"><h2>{} <span class=\"badge\" style=\"background:{}\">{}</span></h2>{}",
                esc(&title),
                svg::level_colour(rating.level),
                esc(rating.level.label(l)),
                svg::chronogram(c, g, rows, (i + 1, chunks.len()), l)
            ));
            if g.cancelled > 0 && i + 1 == chunks.len() {
                h.push_str(&format!(
                    "<figcaption>{}</figcaption>",
                    esc(&if g.cancelled == 1 {
                        tr!(
                            l,
                            "1 tâche annulée n'est pas représentée.",
                            "1 cancelled task is not drawn."
                        )
                    } else {
                        tr!(
                            l,
                            "{} tâches annulées ne sont pas représentées.",
                            "{} cancelled tasks are not drawn.",
                            g.cancelled
                        )
                    })
                ));
            }
            h.push_str("</figure>\n");
        }
    }
}

/// A heading (naming the currency of a table of amounts), then the table.
fn table(h: &mut String, t: &Table) {
    let title = match &t.currency {
        Some(c) => format!("{} ({})", t.title, unit(c)),
        None => t.title.clone(),
    };
    h.push_str(&format!("<h2>{}</h2><table><tr>", esc(&title)));
    for head in &t.heads {
        h.push_str(&format!("<th>{}</th>", esc(head)));
    }
    h.push_str("</tr>\n");
    for row in &t.rows {
        h.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = match (t.numeric.contains(&i), matches!(cell, Cell::Late(_))) {
                (true, true) => " class=\"n late\"",
                (true, false) => " class=\"n\"",
                (false, true) => " class=\"late\"",
                (false, false) => "",
            };
            let text = match cell {
                Cell::Text(s) | Cell::Number(s) | Cell::Late(s) => esc(s),
                Cell::Amount(x) => amount(*x),
                Cell::Bar(s, p) => format!("{}{}", esc(s), bar(*p)),
            };
            h.push_str(&format!("<td{class}>{text}</td>"));
        }
        h.push_str("</tr>\n");
    }
    if let Some((label, amount)) = &t.total {
        h.push_str(&format!(
            "<tr><th>{}</th><td class=\"n late\">{}</td>",
            esc(label),
            self::amount(*amount)
        ));
        h.push_str(&"<td></td>".repeat(t.heads.len().saturating_sub(2)));
        h.push_str("</tr>");
    }
    h.push_str("</table>\n");
}

/// An amount in a table (whose title names the currency), its groups held by non-breaking
/// spaces.
fn amount(x: f64) -> String {
    group_thousands(x).replace(' ', "\u{a0}")
}

fn bar(p: f64) -> String {
    format!(
        "<span class=\"bar\"><span style=\"width:{:.0}%\"></span></span>",
        p.clamp(0.0, 100.0)
    )
}
