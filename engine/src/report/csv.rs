//! One table of the report as CSV, for spreadsheets: the contract's column keys, plain numbers
//! with dot decimals, amounts rounded to the unit. Text cells (ids, titles, names, notes) go
//! through `csv_text`, so none reads as a formula; the numbers we write are left as numbers.

use super::table::{Cell, Table};
use super::Report;
use crate::text::{csv_field, csv_line, csv_text};

/// The table `name` (`summary`, `priorities`, `funders`, `late`, `indicators`); `None` for any
/// other name.
pub fn csv(r: &Report, name: &str) -> Option<String> {
    let t = table(r, name)?;
    let mut out = csv_line(&t.heads);
    for row in &t.rows {
        let fields: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) | Cell::Late(s) | Cell::Bar(s, _) => csv_text(s),
                Cell::Number(s) => csv_field(s),
                Cell::Amount(x) => format!("{x:.0}"),
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    Some(out)
}

fn table(r: &Report, name: &str) -> Option<Table> {
    let text = |s: &dyn ToString| Cell::Text(s.to_string());
    let n = |s: &dyn ToString| Cell::Number(s.to_string());
    let one = |x: f64| Cell::Number(format!("{x:.1}"));
    let opt = |x: Option<f64>, f: fn(f64) -> String| Cell::Number(x.map(f).unwrap_or_default());
    let (heads, rows): (&[&str], Vec<Vec<Cell>>) = match name {
        "summary" => {
            let s = &r.summary;
            let measures: [(&str, Cell); 8] = [
                (
                    "physical_execution_period",
                    opt(s.physical_period, |p| format!("{p:.1}")),
                ),
                ("physical_execution_overall", one(s.physical_overall)),
                ("financial_execution", one(s.financial)),
                ("tasks", n(&s.tasks)),
                ("overdue", n(&s.overdue)),
                ("planned", Cell::Amount(s.money.planned)),
                ("spent", Cell::Amount(s.money.spent)),
                ("gap", Cell::Amount(r.gap)),
            ];
            let rows = measures
                .into_iter()
                .map(|(k, v)| vec![text(&k), v])
                .collect();
            (&["measure", "value"], rows)
        }
        "priorities" => (
            &[
                "priority", "title", "progress", "done", "late", "upcoming", "planned", "secured",
                "pledged", "gap", "spent",
            ],
            r.priorities
                .iter()
                .map(|p| {
                    vec![
                        text(&p.id),
                        text(&p.title),
                        one(p.progress),
                        n(&p.done),
                        n(&p.late),
                        n(&p.upcoming),
                        Cell::Amount(p.money.planned),
                        Cell::Amount(p.money.secured),
                        Cell::Amount(p.money.pledged),
                        Cell::Amount(p.money.needed),
                        Cell::Amount(p.money.spent),
                    ]
                })
                .collect(),
        ),
        "funders" => {
            let mut rows: Vec<Vec<Cell>> = r
                .funders
                .iter()
                .map(|f| {
                    vec![
                        text(&f.funder),
                        text(&f.name),
                        Cell::Amount(f.planned),
                        Cell::Amount(f.secured),
                        Cell::Amount(f.pledged),
                        Cell::Amount(f.spent),
                    ]
                })
                .collect();
            rows.push(vec![
                text(&""),
                text(&"gap"),
                Cell::Amount(r.gap),
                text(&""),
                text(&""),
                text(&""),
            ]);
            (
                &["funder", "name", "planned", "secured", "pledged", "spent"],
                rows,
            )
        }
        "late" => (
            &[
                "task",
                "title",
                "owners",
                "deadline",
                "days_late",
                "status",
                "slips",
                "slipped_days",
                "last_note",
            ],
            r.late
                .iter()
                .map(|t| {
                    vec![
                        text(&t.id),
                        text(&t.title),
                        text(&t.owners.join(" ")),
                        text(&t.deadline),
                        n(&t.days_late),
                        text(&t.status),
                        n(&t.slips),
                        n(&t.slipped_days),
                        text(&t.last_note.as_deref().unwrap_or_default()),
                    ]
                })
                .collect(),
        ),
        "indicators" => (
            &[
                "indicator",
                "title",
                "baseline",
                "target",
                "latest",
                "latest_date",
                "achievement",
            ],
            r.indicators
                .iter()
                .map(|i| {
                    let (date, value) = i
                        .indicator
                        .latest
                        .clone()
                        .map(|(d, v)| (d, v.to_string()))
                        .unwrap_or_default();
                    vec![
                        text(&i.indicator.id),
                        text(&i.indicator.title),
                        opt(i.indicator.baseline, |b| b.to_string()),
                        opt(i.indicator.target, |b| b.to_string()),
                        n(&value),
                        text(&date),
                        opt(i.achievement, |a| format!("{a:.1}")),
                    ]
                })
                .collect(),
        ),
        _ => return None,
    };
    Some(Table {
        title: name.to_string(),
        currency: None,
        heads: heads.iter().map(|h| h.to_string()).collect(),
        numeric: &[],
        rows,
        total: None,
        none: None,
    })
}
