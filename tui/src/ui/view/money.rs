//! Screen 5, the funding: planned, secured, pledged and spent, by funder.

use super::widgets::{bar, boxed_table};
use crate::ui::state::Figures;
use crate::ui::text::word;
use cnrm_engine::records::{Money, Snapshot};
use cnrm_engine::text::group_thousands;
use cnrm_engine::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::Row;
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, fig: &Figures, lang: Lang) {
    let dash = &fig.dashboard;
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    // One line of money: its label, the five amounts and how much of the planned is secured.
    let line = |label: String, m: &Money| {
        let secured = if m.planned > 0.0 {
            m.secured / m.planned
        } else {
            0.0
        };
        Row::new(vec![
            label,
            group_thousands(m.planned),
            group_thousands(m.secured),
            group_thousands(m.pledged),
            group_thousands(m.needed),
            group_thousands(m.spent),
            bar(secured, 8),
        ])
    };
    let mut rows: Vec<Row> = dash
        .priorities
        .iter()
        .map(|p| line(p.id.clone(), &p.money))
        .collect();
    rows.push(
        line(word(lang, "Total", "Total").to_string(), &dash.total.money)
            .style(Style::new().bold()),
    );
    let unit = cnrm_engine::text::unit(&d.currency);
    f.render_widget(
        boxed_table(
            rows,
            [
                (word(lang, "Priorité", "Priority"), Constraint::Length(8)),
                (word(lang, "Prévu", "Planned"), Constraint::Length(13)),
                (word(lang, "Acquis", "Secured"), Constraint::Length(13)),
                (word(lang, "Promis", "Pledged"), Constraint::Length(13)),
                (word(lang, "À chercher", "Gap"), Constraint::Length(13)),
                (word(lang, "Dépensé", "Spent"), Constraint::Length(12)),
                (word(lang, "Acquis %", "Secured %"), Constraint::Min(8)),
            ],
            format!(
                " {} ({unit}) ",
                word(lang, "Financement par priorité", "Funding by priority")
            ),
        ),
        top,
    );
    let rows: Vec<Row> = fig
        .funders
        .iter()
        .map(|fu| {
            let name = if fu.funder.is_empty() {
                word(lang, "à rechercher", "to be found").to_string()
            } else {
                d.owners
                    .iter()
                    .find(|o| o.id == fu.funder)
                    .map(|o| o.display().to_string())
                    .unwrap_or(fu.funder.clone())
            };
            let style = if fu.funder.is_empty() {
                Style::new().fg(Color::Red)
            } else {
                Style::new()
            };
            Row::new(vec![
                name,
                group_thousands(fu.planned),
                group_thousands(fu.secured),
                group_thousands(fu.pledged),
            ])
            .style(style)
        })
        .collect();
    f.render_widget(
        boxed_table(
            rows,
            [
                (word(lang, "Bailleur", "Funder"), Constraint::Min(14)),
                (word(lang, "Total", "Total"), Constraint::Length(15)),
                (word(lang, "Acquis", "Secured"), Constraint::Length(15)),
                (word(lang, "Promis", "Pledged"), Constraint::Length(15)),
            ],
            word(lang, " Par bailleur ", " By funder "),
        ),
        bottom,
    );
}
