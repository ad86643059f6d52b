//! The report's tables as data: a title, column heads, which columns are numbers, rows of
//! cells. Markdown and HTML write the same four tables (`tables`); CSV builds its own, with the
//! contract's column keys and plain numbers, of the same cells.

use super::{day, days, percent, Report};
use crate::lang::Lang;
use crate::tr;

pub(super) enum Cell {
    /// Text as it reads (each format escapes it).
    Text(String),
    /// A number we wrote, as text: escaped like text, but never taken for a formula in CSV.
    Number(String),
    /// Text that HTML shows as late (in red).
    Late(String),
    /// An amount: with its currency in Markdown, bare in HTML (whose table title names the
    /// currency), rounded to the unit in CSV.
    Amount(f64),
    /// A percentage as written, which HTML also draws as a bar.
    Bar(String, f64),
}

pub(super) struct Table {
    pub title: String,
    /// The currency of the table's amounts, if it holds any.
    pub currency: Option<String>,
    pub heads: Vec<String>,
    /// The columns that hold numbers (aligned right).
    pub numeric: &'static [usize],
    pub rows: Vec<Vec<Cell>>,
    /// A last line with a label and an amount in the second column (the funders' gap).
    pub total: Option<(String, f64)>,
    /// What Markdown writes instead of a table without rows.
    pub none: Option<String>,
}

impl Table {
    fn new(title: String, heads: &[(&str, &str)], numeric: &'static [usize], l: Lang) -> Table {
        Table {
            title,
            currency: None,
            heads: heads
                .iter()
                .map(|(fr, en)| if l == Lang::Fr { fr } else { en }.to_string())
                .collect(),
            numeric,
            rows: Vec::new(),
            total: None,
            none: None,
        }
    }
}

fn text(s: impl ToString) -> Cell {
    Cell::Text(s.to_string())
}

/// The tables of the Markdown and HTML reports: per priority, per funder, late tasks and
/// indicators.
pub(super) fn tables(r: &Report) -> [Table; 4] {
    let l = r.language;
    let mut priorities = Table::new(
        tr!(l, "Par priorité", "By priority"),
        &[
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
        ],
        &[1, 2, 3, 4, 5, 6, 7, 8, 9],
        l,
    );
    priorities.currency = Some(r.currency.clone());
    for p in &r.priorities {
        let m = &p.money;
        priorities.rows.push(vec![
            text(format!("{} {}", p.id, p.title)),
            Cell::Bar(percent(p.progress, l), p.progress),
            text(p.done),
            if p.late > 0 {
                Cell::Late(p.late.to_string())
            } else {
                text(p.late)
            },
            text(p.upcoming),
            Cell::Amount(m.planned),
            Cell::Amount(m.secured),
            Cell::Amount(m.pledged),
            Cell::Amount(m.needed),
            Cell::Amount(m.spent),
        ]);
    }

    let mut funders = Table::new(
        tr!(l, "Par bailleur", "By funder"),
        &[
            ("Bailleur", "Funder"),
            ("Prévu", "Planned"),
            ("Acquis", "Secured"),
            ("Promis", "Pledged"),
            ("Dépensé", "Spent"),
        ],
        &[1, 2, 3, 4],
        l,
    );
    funders.currency = Some(r.currency.clone());
    for f in &r.funders {
        funders.rows.push(vec![
            text(&f.name),
            Cell::Amount(f.planned),
            Cell::Amount(f.secured),
            Cell::Amount(f.pledged),
            Cell::Amount(f.spent),
        ]);
    }
    funders.total = Some((tr!(l, "À rechercher", "Gap"), r.gap));

    let mut late = Table::new(
        tr!(
            l,
            "Tâches en retard ({})",
            "Overdue tasks ({})",
            r.late.len()
        ),
        &[
            ("Tâche", "Task"),
            ("Responsables", "Owners"),
            ("Échéance", "Deadline"),
            ("Retard", "Late"),
            ("Statut", "Status"),
            ("Reports", "Slips"),
            ("Dernière note", "Last note"),
        ],
        &[3],
        l,
    );
    late.none = Some(tr!(l, "Aucune.", "None."));
    for t in &r.late {
        let slips = if t.slips == 0 {
            "—".to_string()
        } else {
            format!("{} (+{})", t.slips, days(l, t.slipped_days))
        };
        late.rows.push(vec![
            text(format!("{} — {}", t.id, t.title)),
            text(t.owners.join(", ")),
            text(if t.deadline_label == t.deadline {
                day(l, &t.deadline)
            } else {
                format!("{} ({})", t.deadline_label, day(l, &t.deadline))
            }),
            Cell::Late(days(l, t.days_late)),
            text(t.status.label(l)),
            text(slips),
            text(t.last_note.as_deref().unwrap_or("—")),
        ]);
    }

    let mut indicators = Table::new(
        tr!(l, "Indicateurs", "Indicators"),
        &[
            ("Indicateur", "Indicator"),
            ("Référence", "Baseline"),
            ("Cible", "Target"),
            ("Dernière valeur", "Latest value"),
            ("Atteinte", "Achieved"),
        ],
        &[1, 2, 4],
        l,
    );
    // A value as written: a decimal comma in French.
    let value = |x: f64| match l {
        Lang::Fr => x.to_string().replace('.', ","),
        Lang::En => x.to_string(),
    };
    let num = |v: Option<f64>| text(v.map(value).as_deref().unwrap_or("—"));
    for i in &r.indicators {
        let latest = i
            .indicator
            .latest
            .as_ref()
            .map(|(d, v)| format!("{} ({})", value(*v), day(l, d)))
            .unwrap_or_else(|| "—".into());
        indicators.rows.push(vec![
            text(format!("{} — {}", i.indicator.id, i.indicator.title)),
            num(i.indicator.baseline),
            num(i.indicator.target),
            text(latest),
            match i.achievement {
                Some(a) => Cell::Bar(percent(a, l), a),
                None => text("—"),
            },
        ]);
    }
    [priorities, funders, late, indicators]
}
