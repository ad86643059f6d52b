//! Screen 6, the indicators: baseline, target and last measured value.

use super::widgets::{bar, boxed_table, french_date};
use crate::ui::state::State;
use crate::ui::text::word;
use cnrm_engine::records::Snapshot;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::widgets::Row;
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, state: &State) {
    let lang = state.lang;
    let rows: Vec<Row> = d
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let latest = ind
                .latest
                .as_ref()
                .map(|(date, v)| format!("{v} ({})", french_date(date)))
                .unwrap_or_else(|| "—".into());
            let ach = ind.achievement();
            let style = if i == state.indicator_selected {
                Style::new().reversed()
            } else {
                Style::new()
            };
            Row::new(vec![
                ind.id.clone(),
                ind.title.clone(),
                ind.baseline.map(|b| b.to_string()).unwrap_or_default(),
                ind.target.map(|b| b.to_string()).unwrap_or_default(),
                latest,
                ach.map(|a| format!("{} {:.0} %", bar(a / 100.0, 6), a))
                    .unwrap_or_default(),
            ])
            .style(style)
        })
        .collect();
    f.render_widget(
        boxed_table(
            rows,
            [
                ("ID", Constraint::Length(9)),
                (word(lang, "Indicateur", "Indicator"), Constraint::Min(16)),
                (word(lang, "Réf.", "Base"), Constraint::Length(6)),
                (word(lang, "Cible", "Target"), Constraint::Length(6)),
                (
                    word(lang, "Dernière valeur", "Latest"),
                    Constraint::Length(18),
                ),
                (word(lang, "Atteinte", "Achieved"), Constraint::Length(13)),
            ],
            word(lang, " Indicateurs ", " Indicators "),
        ),
        area,
    );
}
