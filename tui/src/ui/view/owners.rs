//! Screen 3, the owners: each organisation's workload and money.

use super::widgets::boxed_table;
use crate::ui::state::Figures;
use crate::ui::text::word;
use cnrm_engine::records::Snapshot;
use cnrm_engine::text::money;
use cnrm_engine::Lang;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::Row;
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, fig: &Figures, lang: Lang) {
    let rows: Vec<Row> = fig
        .owners
        .iter()
        .cloned()
        .map(|o| {
            let style = if o.overdue > 0 {
                Style::new().fg(Color::Red)
            } else {
                Style::new()
            };
            Row::new(vec![
                o.name,
                o.open.to_string(),
                o.overdue.to_string(),
                o.done.to_string(),
                money(o.money.planned, &d.currency),
                money(o.money.spent, &d.currency),
            ])
            .style(style)
        })
        .collect();
    f.render_widget(
        boxed_table(
            rows,
            [
                (
                    word(lang, "Organisation", "Organisation"),
                    Constraint::Min(14),
                ),
                (word(lang, "Ouvertes", "Open"), Constraint::Length(8)),
                (word(lang, "Retard", "Late"), Constraint::Length(7)),
                (word(lang, "Faites", "Done"), Constraint::Length(7)),
                (
                    word(lang, "Budget prévu", "Planned budget"),
                    Constraint::Length(20),
                ),
                (word(lang, "Dépensé", "Spent"), Constraint::Length(18)),
            ],
            word(
                lang,
                " Charge par organisation ",
                " Workload per organisation ",
            ),
        ),
        area,
    );
}
