//! The steering-committee report and the calendar export.
//!
//! Figures come from `figures` (the same code as the terminal UI's dashboard and money screens,
//! so the two never disagree); this module adds the period, the late tasks with their slips and
//! notes, and renders Markdown, self-contained HTML, CSV and JSON. Pure: the store hands in a
//! `Snapshot` and the extras.

use crate::figures;
use crate::lang::Lang;
use crate::records::{Extras, IndicatorInfo, Money, Snapshot, TaskMoney};
use crate::text::group_thousands;
use crate::tr;
use crate::workflow::Status;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub label: String,
}

impl Period {
    /// The quarter containing `day` (`T4 2025` / `Q4 2025`).
    pub fn quarter_of(day: NaiveDate, lang: Lang) -> Period {
        let q = day.month0() / 3;
        let from = NaiveDate::from_ymd_opt(day.year(), q * 3 + 1, 1).unwrap_or(day);
        let to = crate::plan::values::add_months(from, 3, false)
            .and_then(|d| d.pred_opt())
            .unwrap_or(day);
        let letter = if lang == Lang::Fr { 'T' } else { 'Q' };
        Period {
            from,
            to,
            label: format!("{letter}{} {}", q + 1, day.year()),
        }
    }

    /// `T3 2025`, `S1 2025`, `2025-09`, `2025-09-30` or a year `2025`.
    pub fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            let y: i32 = t.parse().ok()?;
            return Some(Period {
                from: NaiveDate::from_ymd_opt(y, 1, 1)?,
                to: NaiveDate::from_ymd_opt(y, 12, 31)?,
                label: t.to_string(),
            });
        }
        let (end, form) = crate::plan::values::parse_date(t).ok()?;
        let months_back = match form {
            crate::plan::values::DateForm::Day => 0,
            crate::plan::values::DateForm::Month => 0,
            crate::plan::values::DateForm::Quarter => 2,
            crate::plan::values::DateForm::Semester => 5,
        };
        let from = if form == crate::plan::values::DateForm::Day {
            end
        } else {
            NaiveDate::from_ymd_opt(end.year(), end.month() - months_back, 1)?
        };
        Some(Period {
            from,
            to: end,
            label: t.to_string(),
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    /// Tasks due in the period that are done / tasks due in the period, in percent.
    pub physical_period: Option<f64>,
    /// Done / all tasks not cancelled, in percent.
    pub physical_overall: f64,
    /// Spent / planned budget, in percent.
    pub financial: f64,
    pub due_in_period: usize,
    pub done_in_period: usize,
    pub by_status: BTreeMap<String, usize>,
    pub overdue: usize,
    pub tasks: usize,
    pub money: Money,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PriorityLine {
    pub id: String,
    pub title: String,
    pub progress: f64,
    pub done: usize,
    pub late: usize,
    pub upcoming: usize,
    pub money: Money,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FunderLine {
    pub funder: String,
    pub name: String,
    pub planned: f64,
    pub secured: f64,
    pub pledged: f64,
    /// Spending of each task shared among its funders in proportion to their amounts.
    pub spent: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LateLine {
    pub id: String,
    pub title: String,
    pub owners: Vec<String>,
    pub deadline: String,
    pub deadline_label: String,
    pub days_late: i64,
    pub status: Status,
    pub last_note: Option<String>,
    pub slips: usize,
    pub slipped_days: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicatorLine {
    #[serde(flatten)]
    pub indicator: IndicatorInfo,
    pub achievement: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Milestone {
    pub id: String,
    pub title: String,
    pub deadline: String,
    pub status: Status,
}

/// Every figure of the report; the other formats show a subset of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub plan: String,
    pub title: String,
    pub language: Lang,
    pub currency: String,
    pub revision: i64,
    pub today: NaiveDate,
    pub period: Period,
    pub summary: Summary,
    pub priorities: Vec<PriorityLine>,
    pub funders: Vec<FunderLine>,
    /// The total financing gap (*à rechercher*).
    pub gap: f64,
    pub late: Vec<LateLine>,
    pub indicators: Vec<IndicatorLine>,
    pub milestones_reached: Vec<Milestone>,
    pub milestones_upcoming: Vec<Milestone>,
}

fn pct(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole * 100.0
    } else {
        0.0
    }
}

/// Computes the report for `period` from a snapshot.
pub fn build(s: &Snapshot, extras: &Extras, period: Period, lang: Lang) -> Report {
    let dash = figures::dashboard(s);
    let in_period = |d: &Option<String>| {
        d.as_deref().is_some_and(|d| {
            d >= period.from.to_string().as_str() && d <= period.to.to_string().as_str()
        })
    };
    let due: Vec<&TaskMoney> = s
        .tasks
        .iter()
        .filter(|t| in_period(&t.row.deadline) && t.row.status != Status::Cancelled)
        .collect();
    let done_in_period = due.iter().filter(|t| t.row.status == Status::Done).count();
    let counted = s
        .tasks
        .iter()
        .filter(|t| t.row.status != Status::Cancelled)
        .count();
    let done_all = s
        .tasks
        .iter()
        .filter(|t| t.row.status == Status::Done)
        .count();
    let total = &dash.total;
    let summary = Summary {
        physical_period: (!due.is_empty()).then(|| pct(done_in_period as f64, due.len() as f64)),
        physical_overall: pct(done_all as f64, counted as f64),
        financial: total.money.execution(),
        due_in_period: due.len(),
        done_in_period,
        by_status: total.counts.by_status.clone(),
        overdue: total.counts.overdue,
        tasks: total.counts.total,
        money: total.money.clone(),
    };
    let today = s.today.to_string();
    let priorities = dash
        .priorities
        .iter()
        .map(|p| {
            let tasks = s.tasks.iter().filter(|t| t.row.priority == p.id);
            let upcoming = tasks
                .filter(|t| {
                    t.row.status.is_active()
                        && t.row
                            .deadline
                            .as_deref()
                            .is_some_and(|d| d >= today.as_str())
                })
                .count();
            PriorityLine {
                id: p.id.clone(),
                title: p.title.clone(),
                progress: p.progress,
                done: p.counts.done,
                late: p.counts.overdue,
                upcoming,
                money: p.money.clone(),
            }
        })
        .collect();
    // Funders, with spending shared in proportion to each funder's part of the task's money.
    let mut funders: BTreeMap<String, FunderLine> = BTreeMap::new();
    let mut gap = 0.0;
    for t in &s.tasks {
        let funded: f64 = t.funding.iter().map(|(_, _, a)| a).sum();
        for (funder, status, amount) in &t.funding {
            if status == "needed" {
                gap += amount;
                continue;
            }
            let name = s
                .owners
                .iter()
                .find(|o| &o.id == funder)
                .map(|o| o.display().to_string())
                .unwrap_or_else(|| funder.clone());
            let f = funders.entry(funder.clone()).or_insert_with(|| FunderLine {
                funder: funder.clone(),
                name,
                planned: 0.0,
                secured: 0.0,
                pledged: 0.0,
                spent: 0.0,
            });
            f.planned += amount;
            if status == "secured" {
                f.secured += amount;
            } else {
                f.pledged += amount;
            }
            if funded > 0.0 {
                f.spent += t.spent * amount / funded;
            }
        }
    }
    let mut late: Vec<LateLine> = s
        .tasks
        .iter()
        .filter(|t| t.row.overdue)
        .map(|t| {
            let (slips, slipped_days) = extras.slips.get(&t.row.id).copied().unwrap_or((0, 0));
            LateLine {
                id: t.row.id.clone(),
                title: t.row.title.clone(),
                owners: t.row.owners.clone(),
                deadline: t.row.deadline.clone().unwrap_or_default(),
                deadline_label: t.row.deadline_label.clone(),
                days_late: t.row.days_late,
                status: t.row.status,
                last_note: extras.notes.get(&t.row.id).cloned(),
                slips,
                slipped_days,
            }
        })
        .collect();
    late.sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.id.cmp(&b.id)));
    let next_quarter_end = crate::plan::values::add_months(s.today, 3, false)
        .unwrap_or(s.today)
        .to_string();
    let milestone = |t: &TaskMoney| Milestone {
        id: t.row.id.clone(),
        title: t.row.title.clone(),
        deadline: t.row.deadline.clone().unwrap_or_default(),
        status: t.row.status,
    };
    let milestones_reached = s
        .tasks
        .iter()
        .filter(|t| t.row.milestone && t.row.status == Status::Done)
        .map(milestone)
        .collect();
    let milestones_upcoming = s
        .tasks
        .iter()
        .filter(|t| {
            t.row.milestone
                && !t.row.status.is_closed()
                && t.row
                    .deadline
                    .as_deref()
                    .is_some_and(|d| d >= today.as_str() && d <= next_quarter_end.as_str())
        })
        .map(milestone)
        .collect();
    Report {
        plan: s.plan_id.clone(),
        title: s.plan_title.clone(),
        language: lang,
        currency: s.currency.clone(),
        revision: s.revision,
        today: s.today,
        period,
        summary,
        priorities,
        funders: funders.into_values().collect(),
        gap,
        late,
        indicators: s
            .indicators
            .iter()
            .map(|i| IndicatorLine {
                achievement: i.achievement(),
                indicator: i.clone(),
            })
            .collect(),
        milestones_reached,
        milestones_upcoming,
    }
}

pub use crate::text::money;

fn fr_date(d: &str) -> String {
    match d.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, day] => format!("{day}/{m}/{y}"),
        _ => d.to_string(),
    }
}

fn percent(p: f64, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("{} %", format!("{p:.1}").replace('.', ",")),
        Lang::En => format!("{p:.1}%"),
    }
}

/// Markdown, readable as plain text.
/// The column headers of the report's tables (French, English), shared by the Markdown and
/// HTML renderers.
const PRIORITY_HEADS: &[(&str, &str)] = &[
    ("Priorité", "Priority"),
    ("Avancement", "Progress"),
    ("Faites", "Done"),
    ("En retard", "Late"),
    ("À venir", "Upcoming"),
    ("Prévu", "Planned"),
    ("Acquis", "Secured"),
    ("Promis", "Pledged"),
    ("À rechercher", "Gap"),
    ("Dépensé", "Spent"),
];
const FUNDER_HEADS: &[(&str, &str)] = &[
    ("Bailleur", "Funder"),
    ("Prévu", "Planned"),
    ("Acquis", "Secured"),
    ("Promis", "Pledged"),
    ("Dépensé", "Spent"),
];
const LATE_HEADS: &[(&str, &str)] = &[
    ("Tâche", "Task"),
    ("Responsables", "Owners"),
    ("Échéance", "Deadline"),
    ("Retard", "Late"),
    ("Statut", "Status"),
    ("Reports", "Slips"),
    ("Dernière note", "Last note"),
];
const INDICATOR_HEADS: &[(&str, &str)] = &[
    ("Indicateur", "Indicator"),
    ("Référence", "Baseline"),
    ("Cible", "Target"),
    ("Dernière valeur", "Latest value"),
    ("Atteinte", "Achieved"),
];

/// The headers `pairs` in language `l`.
fn heads(l: Lang, pairs: &[(&str, &str)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(fr, en)| match l {
            Lang::Fr => fr.to_string(),
            Lang::En => en.to_string(),
        })
        .collect()
}

/// A Markdown table's header row and alignment row (`---:` for the columns in `numeric`).
fn md_table_head(out: &mut String, heads: &[String], numeric: &[usize]) {
    out.push_str(&format!("| {} |\n|", heads.join(" | ")));
    for i in 0..heads.len() {
        out.push_str(if numeric.contains(&i) {
            " ---: |"
        } else {
            " --- |"
        });
    }
    out.push('\n');
}

pub fn markdown(r: &Report) -> String {
    let l = r.language;
    let c = &r.currency;
    let m = &r.summary.money;
    let mut out = String::new();
    out.push_str(&format!(
        "# {}\n\n",
        tr!(
            l,
            "Rapport au comité de pilotage — {}",
            "Steering committee report — {}",
            r.title
        )
    ));
    out.push_str(&format!(
        "{}\n\n",
        tr!(
            l,
            "Période : {} (du {} au {}) · situation au {} · révision {} du plan",
            "Period: {} ({} to {}) · as of {} · plan revision {}",
            r.period.label,
            fr_date(&r.period.from.to_string()),
            fr_date(&r.period.to.to_string()),
            fr_date(&r.today.to_string()),
            r.revision
        )
    ));
    out.push_str(&format!("## {}\n\n", tr!(l, "Synthèse", "Summary")));
    let period_rate = r
        .summary
        .physical_period
        .map(|p| percent(p, l))
        .unwrap_or_else(|| "—".into());
    out.push_str(&format!(
        "- {} : **{}** ({} / {})\n",
        tr!(
            l,
            "Taux d'exécution physique de la période",
            "Physical execution in the period"
        ),
        period_rate,
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
        "- {} : **{}**\n\n",
        tr!(l, "Financement à rechercher", "Financing gap"),
        money(r.gap, c)
    ));

    out.push_str(&format!("## {}\n\n", tr!(l, "Par priorité", "By priority")));
    md_table_head(
        &mut out,
        &heads(l, PRIORITY_HEADS),
        &[1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    for p in &r.priorities {
        out.push_str(&format!(
            "| {} {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            p.id,
            p.title,
            percent(p.progress, l),
            p.done,
            p.late,
            p.upcoming,
            money(p.money.planned, c),
            money(p.money.secured, c),
            money(p.money.pledged, c),
            money(p.money.needed, c),
            money(p.money.spent, c)
        ));
    }
    out.push_str(&format!("\n## {}\n\n", tr!(l, "Par bailleur", "By funder")));
    md_table_head(&mut out, &heads(l, FUNDER_HEADS), &[1, 2, 3, 4]);
    for f in &r.funders {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            f.name,
            money(f.planned, c),
            money(f.secured, c),
            money(f.pledged, c),
            money(f.spent, c)
        ));
    }
    out.push_str(&format!(
        "| **{}** | {} | | | |\n",
        tr!(l, "À rechercher", "Gap"),
        money(r.gap, c)
    ));

    out.push_str(&format!(
        "\n## {} ({})\n\n",
        tr!(l, "Tâches en retard", "Overdue tasks"),
        r.late.len()
    ));
    if r.late.is_empty() {
        out.push_str(&format!("{}\n", tr!(l, "Aucune.", "None.")));
    } else {
        md_table_head(&mut out, &heads(l, LATE_HEADS), &[3]);
        for t in &r.late {
            let slips = if t.slips == 0 {
                "—".to_string()
            } else {
                tr!(l, "{} (+{} j)", "{} (+{} d)", t.slips, t.slipped_days)
            };
            out.push_str(&format!(
                "| {} — {} | {} | {} ({}) | {} {} | {} | {} | {} |\n",
                t.id,
                t.title,
                t.owners.join(", "),
                t.deadline_label,
                fr_date(&t.deadline),
                t.days_late,
                tr!(l, "j", "d"),
                t.status.label(l),
                slips,
                t.last_note.clone().unwrap_or_else(|| "—".into())
            ));
        }
    }
    out.push_str(&format!("\n## {}\n\n", tr!(l, "Indicateurs", "Indicators")));
    md_table_head(&mut out, &heads(l, INDICATOR_HEADS), &[1, 2, 4]);
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_else(|| "—".into());
    for i in &r.indicators {
        let latest = i
            .indicator
            .latest
            .as_ref()
            .map(|(d, v)| format!("{v} ({})", fr_date(d)))
            .unwrap_or_else(|| "—".into());
        out.push_str(&format!(
            "| {} — {} | {} | {} | {} | {} |\n",
            i.indicator.id,
            i.indicator.title,
            num(i.indicator.baseline),
            num(i.indicator.target),
            latest,
            i.achievement
                .map(|a| percent(a, l))
                .unwrap_or_else(|| "—".into())
        ));
    }
    out.push_str(&format!("\n## {}\n\n", tr!(l, "Jalons", "Milestones")));
    for (title, list) in [
        (tr!(l, "Atteints", "Reached"), &r.milestones_reached),
        (
            tr!(l, "Prévus au prochain trimestre", "Due next quarter"),
            &r.milestones_upcoming,
        ),
    ] {
        out.push_str(&format!("**{title}** : "));
        if list.is_empty() {
            out.push_str(&format!("{}\n\n", tr!(l, "aucun", "none")));
        } else {
            let items: Vec<String> = list
                .iter()
                .map(|m| format!("{} — {} ({})", m.id, m.title, fr_date(&m.deadline)))
                .collect();
            out.push_str(&format!("{}\n\n", items.join(" ; ")));
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A heading, then a table opened with its header row.
fn html_table_head(h: &mut String, title: &str, heads: &[String]) {
    h.push_str(&format!("<h2>{}</h2><table><tr>", esc(title)));
    for head in heads {
        h.push_str(&format!("<th>{}</th>", esc(head)));
    }
    h.push_str("</tr>\n");
}

fn html_bar(p: f64) -> String {
    format!(
        "<span class=\"bar\"><span style=\"width:{:.0}%\"></span></span>",
        p.clamp(0.0, 100.0)
    )
}

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
@media print{{body{{margin:0;max-width:none}}h2{{page-break-after:avoid}}tr{{page-break-inside:avoid}}}}</style></head><body>\n",
        l.code(),
        esc(&r.title)
    ));
    h.push_str(&format!(
        "<h1>{}</h1>\n",
        esc(&tr!(
            l,
            "Rapport au comité de pilotage — {}",
            "Steering committee report — {}",
            r.title
        ))
    ));
    h.push_str(&format!(
        "<p>{}</p>\n",
        esc(&tr!(
            l,
            "Période : {} (du {} au {}) · situation au {} · révision {} du plan",
            "Period: {} ({} to {}) · as of {} · plan revision {}",
            r.period.label,
            fr_date(&r.period.from.to_string()),
            fr_date(&r.period.to.to_string()),
            fr_date(&r.today.to_string()),
            r.revision
        ))
    ));
    let period_rate = r
        .summary
        .physical_period
        .map(|p| percent(p, l))
        .unwrap_or_else(|| "—".into());
    h.push_str("<div>");
    for (label, value) in [
        (
            tr!(
                l,
                "Exécution physique (période)",
                "Physical execution (period)"
            ),
            period_rate,
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
        "</div>\n<p>{} : {} · {} : {} · {} : {}</p>\n",
        esc(&tr!(l, "Prévu", "Planned")),
        money(m.planned, c),
        esc(&tr!(l, "Acquis", "Secured")),
        money(m.secured, c),
        esc(&tr!(l, "Dépensé", "Spent")),
        money(m.spent, c)
    ));
    let unit = if c == "XOF" { "FCFA" } else { c.as_str() };
    let amount = |x: f64| group_thousands(x);
    html_table_head(
        &mut h,
        &format!("{} ({unit})", tr!(l, "Par priorité", "By priority")),
        &heads(l, PRIORITY_HEADS),
    );
    for p in &r.priorities {
        h.push_str(&format!(
            "<tr><td>{} {}</td><td class=\"n\">{}{}</td><td class=\"n\">{}</td><td class=\"n{}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(&p.id), esc(&p.title), percent(p.progress, l), html_bar(p.progress), p.done, if p.late > 0 { " late" } else { "" }, p.late, p.upcoming,
            amount(p.money.planned), amount(p.money.secured), amount(p.money.pledged), amount(p.money.needed), amount(p.money.spent)
        ));
    }
    h.push_str("</table>\n");
    html_table_head(
        &mut h,
        &format!("{} ({unit})", tr!(l, "Par bailleur", "By funder")),
        &heads(l, FUNDER_HEADS),
    );
    for f in &r.funders {
        h.push_str(&format!("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n", esc(&f.name), amount(f.planned), amount(f.secured), amount(f.pledged), amount(f.spent)));
    }
    h.push_str(&format!(
        "<tr><th>{}</th><td class=\"n late\">{}</td><td></td><td></td><td></td></tr></table>\n",
        esc(&tr!(l, "À rechercher", "Gap")),
        amount(r.gap)
    ));
    html_table_head(
        &mut h,
        &format!(
            "{} ({})",
            tr!(l, "Tâches en retard", "Overdue tasks"),
            r.late.len()
        ),
        &heads(l, LATE_HEADS),
    );
    for t in &r.late {
        let slips = if t.slips == 0 {
            "—".to_string()
        } else {
            tr!(l, "{} (+{} j)", "{} (+{} d)", t.slips, t.slipped_days)
        };
        h.push_str(&format!(
            "<tr><td>{} — {}</td><td>{}</td><td>{} ({})</td><td class=\"n late\">{} {}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&t.id), esc(&t.title), esc(&t.owners.join(", ")), esc(&t.deadline_label), fr_date(&t.deadline), t.days_late, tr!(l, "j", "d"),
            esc(t.status.label(l)), esc(&slips), esc(t.last_note.as_deref().unwrap_or("—"))
        ));
    }
    h.push_str("</table>\n");
    html_table_head(
        &mut h,
        &tr!(l, "Indicateurs", "Indicators"),
        &heads(l, INDICATOR_HEADS),
    );
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_else(|| "—".into());
    for i in &r.indicators {
        let latest = i
            .indicator
            .latest
            .as_ref()
            .map(|(d, v)| format!("{v} ({})", fr_date(d)))
            .unwrap_or_else(|| "—".into());
        let ach = i
            .achievement
            .map(|a| format!("{}{}", percent(a, l), html_bar(a)))
            .unwrap_or_else(|| "—".into());
        h.push_str(&format!("<tr><td>{} — {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td></tr>\n", esc(&i.indicator.id), esc(&i.indicator.title), num(i.indicator.baseline), num(i.indicator.target), esc(&latest), ach));
    }
    h.push_str("</table>\n");
    h.push_str(&format!(
        "<h2>{}</h2>\n",
        esc(&tr!(l, "Jalons", "Milestones"))
    ));
    for (title, list) in [
        (tr!(l, "Atteints", "Reached"), &r.milestones_reached),
        (
            tr!(l, "Prévus au prochain trimestre", "Due next quarter"),
            &r.milestones_upcoming,
        ),
    ] {
        let items: Vec<String> = list
            .iter()
            .map(|m| {
                format!(
                    "<li>{} — {} ({})</li>",
                    esc(&m.id),
                    esc(&m.title),
                    fr_date(&m.deadline)
                )
            })
            .collect();
        let body = if items.is_empty() {
            format!("<li>{}</li>", esc(&tr!(l, "aucun", "none")))
        } else {
            items.join("")
        };
        h.push_str(&format!("<p><b>{}</b></p><ul>{}</ul>\n", esc(&title), body));
    }
    h.push_str("</body></html>\n");
    h
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The CSV tables of the report.
pub const CSV_TABLES: [&str; 5] = ["summary", "priorities", "funders", "late", "indicators"];

/// One table as CSV (plain numbers, dot decimals, for spreadsheets).
pub fn csv(r: &Report, table: &str) -> Option<String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let f = |x: f64| format!("{x:.0}");
    match table {
        "summary" => {
            rows.push(vec!["measure".into(), "value".into()]);
            rows.push(vec![
                "physical_execution_period".into(),
                r.summary
                    .physical_period
                    .map(|p| format!("{p:.1}"))
                    .unwrap_or_default(),
            ]);
            rows.push(vec![
                "physical_execution_overall".into(),
                format!("{:.1}", r.summary.physical_overall),
            ]);
            rows.push(vec![
                "financial_execution".into(),
                format!("{:.1}", r.summary.financial),
            ]);
            rows.push(vec!["tasks".into(), r.summary.tasks.to_string()]);
            rows.push(vec!["overdue".into(), r.summary.overdue.to_string()]);
            rows.push(vec!["planned".into(), f(r.summary.money.planned)]);
            rows.push(vec!["spent".into(), f(r.summary.money.spent)]);
            rows.push(vec!["gap".into(), f(r.gap)]);
        }
        "priorities" => {
            rows.push(
                [
                    "priority", "title", "progress", "done", "late", "upcoming", "planned",
                    "secured", "pledged", "gap", "spent",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            );
            for p in &r.priorities {
                rows.push(vec![
                    p.id.clone(),
                    p.title.clone(),
                    format!("{:.1}", p.progress),
                    p.done.to_string(),
                    p.late.to_string(),
                    p.upcoming.to_string(),
                    f(p.money.planned),
                    f(p.money.secured),
                    f(p.money.pledged),
                    f(p.money.needed),
                    f(p.money.spent),
                ]);
            }
        }
        "funders" => {
            rows.push(
                ["funder", "name", "planned", "secured", "pledged", "spent"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            );
            for x in &r.funders {
                rows.push(vec![
                    x.funder.clone(),
                    x.name.clone(),
                    f(x.planned),
                    f(x.secured),
                    f(x.pledged),
                    f(x.spent),
                ]);
            }
            rows.push(vec![
                "".into(),
                "gap".into(),
                f(r.gap),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        "late" => {
            rows.push(
                [
                    "task",
                    "title",
                    "owners",
                    "deadline",
                    "days_late",
                    "status",
                    "slips",
                    "slipped_days",
                    "last_note",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            );
            for t in &r.late {
                rows.push(vec![
                    t.id.clone(),
                    t.title.clone(),
                    t.owners.join(" "),
                    t.deadline.clone(),
                    t.days_late.to_string(),
                    t.status.to_string(),
                    t.slips.to_string(),
                    t.slipped_days.to_string(),
                    t.last_note.clone().unwrap_or_default(),
                ]);
            }
        }
        "indicators" => {
            rows.push(
                [
                    "indicator",
                    "title",
                    "baseline",
                    "target",
                    "latest",
                    "latest_date",
                    "achievement",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            );
            for i in &r.indicators {
                let (date, value) = i
                    .indicator
                    .latest
                    .clone()
                    .map(|(d, v)| (d, v.to_string()))
                    .unwrap_or_default();
                rows.push(vec![
                    i.indicator.id.clone(),
                    i.indicator.title.clone(),
                    i.indicator
                        .baseline
                        .map(|b| b.to_string())
                        .unwrap_or_default(),
                    i.indicator
                        .target
                        .map(|b| b.to_string())
                        .unwrap_or_default(),
                    value,
                    date,
                    i.achievement.map(|a| format!("{a:.1}")).unwrap_or_default(),
                ]);
            }
        }
        _ => return None,
    }
    Some(
        rows.iter()
            .map(|r| r.iter().map(|x| csv_field(x)).collect::<Vec<_>>().join(",") + "\n")
            .collect(),
    )
}

/// An iCalendar file of deadlines and milestones: one all-day event per task or occurrence, with a
/// UID stable across exports (a calendar that re-imports it updates rather than duplicates).
pub fn ics(s: &Snapshot, owner: Option<&str>, stamp: &str) -> String {
    let mut out = String::new();
    let mut line = |l: &str| {
        let mut count = 0;
        for ch in l.chars() {
            if count + ch.len_utf8() > 75 {
                out.push_str("\r\n ");
                count = 1;
            }
            out.push(ch);
            count += ch.len_utf8();
        }
        out.push_str("\r\n");
    };
    let text = |t: &str| {
        t.replace('\\', "\\\\")
            .replace(';', "\\;")
            .replace(',', "\\,")
            .replace('\n', "\\n")
    };
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//CNRM//cnrm//FR");
    line("CALSCALE:GREGORIAN");
    line(&format!("X-WR-CALNAME:{}", text(&s.plan_title)));
    for t in &s.tasks {
        let Some(day) = t.row.deadline_day() else {
            continue;
        };
        if owner.is_some_and(|o| !t.row.owners.iter().any(|x| x == o))
            || t.row.status == Status::Cancelled
        {
            continue;
        }
        let done = t.row.status == Status::Done;
        let prefix = match (done, t.row.overdue, t.row.milestone) {
            (true, _, _) => "✓ ",
            (_, true, _) => "⚠ ",
            (_, _, true) => "◆ ",
            _ => "",
        };
        line("BEGIN:VEVENT");
        line(&format!("UID:{}@{}.cnrm", t.row.id, s.plan_id));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
        line(&format!(
            "DTEND;VALUE=DATE:{}",
            (day + chrono::Duration::days(1)).format("%Y%m%d")
        ));
        line(&format!(
            "SUMMARY:{}",
            text(&format!("{prefix}{} — {}", t.row.id, t.row.title))
        ));
        line(&format!(
            "DESCRIPTION:{}",
            text(&format!(
                "{} · {} · {} %",
                t.row.owners.join(", "),
                t.row.status,
                t.row.progress
            ))
        ));
        line(&format!(
            "STATUS:{}",
            if done { "CONFIRMED" } else { "TENTATIVE" }
        ));
        if done {
            line("X-CNRM-DONE:TRUE");
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let p = Period::parse("T3 2025").expect("quarter");
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2025-07-01".into(), "2025-09-30".into())
        );
        let s = Period::parse("S1 2026").expect("semester");
        assert_eq!(
            (s.from.to_string(), s.to.to_string()),
            ("2026-01-01".into(), "2026-06-30".into())
        );
        let y = Period::parse("2025").expect("year");
        assert_eq!(y.to.to_string(), "2025-12-31");
        let q = Period::quarter_of(NaiveDate::from_ymd_opt(2025, 11, 5).expect("d"), Lang::Fr);
        assert_eq!(
            (q.label.as_str(), q.from.to_string(), q.to.to_string()),
            ("T4 2025", "2025-10-01".into(), "2025-12-31".into())
        );
        assert!(Period::parse("bientôt").is_none());
    }

    #[test]
    fn french_percent_and_money() {
        assert_eq!(percent(12.345, Lang::Fr), "12,3 %");
        assert_eq!(money(12_500_000.0, "XOF"), "12 500 000 FCFA");
    }
}
