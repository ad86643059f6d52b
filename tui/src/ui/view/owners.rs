//! Screen 3, the owners: each organisation (its full name and short name), its workload and
//! money; Entrée opens its tasks.

use super::widgets::{abbreviated, clip, fit, right, widest};
use crate::ui::state::State;
use crate::ui::text::word;
use cnrm_engine::records::Snapshot;
use cnrm_engine::text::group_thousands;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, state: &State) {
    let lang = state.lang;
    let owners = &state.figures.owners;
    let unit = cnrm_engine::text::unit(&d.currency);
    let block = Block::new().borders(Borders::ALL).title(format!(
        " {} ({unit}) ",
        word(lang, "Charge par organisation", "Workload per organisation")
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let names: Vec<String> = owners
        .iter()
        .map(|o| {
            let info = d.owners.iter().find(|x| x.id == o.id);
            match info {
                Some(x) => match &x.short {
                    Some(short) if *short != x.name => format!("{short} — {}", x.name),
                    _ => x.name.clone(),
                },
                None => o.name.clone(),
            }
        })
        .collect();
    let headers = [
        word(lang, "Organisation", "Organisation"),
        word(lang, "Ouvertes", "Open"),
        word(lang, "Retard", "Late"),
        word(lang, "Faites", "Done"),
        word(lang, "Budget prévu", "Planned budget"),
        word(lang, "Dépensé", "Spent"),
    ];
    let counts: Vec<[String; 3]> = owners
        .iter()
        .map(|o| {
            [
                o.open.to_string(),
                o.overdue.to_string(),
                o.done.to_string(),
            ]
        })
        .collect();
    let amounts = |abbreviate: bool| -> Vec<[String; 2]> {
        owners
            .iter()
            .map(|o| {
                [o.money.planned, o.money.spent].map(|v| {
                    if abbreviate {
                        abbreviated(lang, v)
                    } else {
                        group_thousands(v)
                    }
                })
            })
            .collect()
    };
    let widths = |amounts: &[[String; 2]]| -> Vec<u16> {
        let mut w: Vec<u16> = (0..3)
            .map(|c| widest(headers[c + 1], counts.iter().map(|r| r[c].as_str())))
            .collect();
        w.extend((0..2).map(|c| widest(headers[c + 4], amounts.iter().map(|r| r[c].as_str()))));
        w
    };
    let mut cells = amounts(false);
    let mut fixed = widths(&cells);
    if fit(inner.width, &fixed, 16).is_none() {
        cells = amounts(true);
        fixed = widths(&cells);
    }
    // The name takes what it needs, up to what is left: the figures stay next to it.
    let widest_name = widest(headers[0], names.iter().map(String::as_str));
    let name_w = fit(inner.width, &fixed, 0).unwrap_or(0).min(widest_name);
    let rows: Vec<Row> = owners
        .iter()
        .zip(names)
        .zip(counts.into_iter().zip(cells))
        .enumerate()
        .map(|(i, ((o, name), (counts, money)))| {
            let style = if i == state.owner_selected {
                Style::new().reversed()
            } else if o.overdue > 0 {
                Style::new().fg(Color::Red)
            } else {
                Style::new()
            };
            let mut row = vec![Cell::from(clip(&name, usize::from(name_w)))];
            row.extend(counts.into_iter().map(right));
            row.extend(money.into_iter().map(right));
            Row::new(row).style(style)
        })
        .collect();
    let mut constraints = vec![Constraint::Length(name_w)];
    constraints.extend(fixed.iter().map(|w| Constraint::Length(*w)));
    let header: Vec<Cell> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i == 0 {
                Cell::from(*h)
            } else {
                right(format!("{h:>w$}", w = usize::from(fixed[i - 1])))
            }
        })
        .collect();
    let height = usize::from(inner.height.saturating_sub(1));
    let offset = (state.owner_selected + 1).saturating_sub(height);
    f.render_widget(
        Table::new(rows.into_iter().skip(offset), constraints)
            .header(Row::new(header).bold())
            .column_spacing(1),
        inner,
    );
}
