//! Screen 7, the outbox: messages waiting, sent or failed.

use super::widgets::boxed_table;
use crate::ui::state::State;
use crate::ui::text::word;
use cnrm_engine::records::Snapshot;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::Row;
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, state: &State) {
    let lang = state.lang;
    let rows: Vec<Row> = d
        .outbox
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let label = crate::strings::outbox_status(lang, &o.status);
            let color = match o.status.as_str() {
                "sent" => Color::Green,
                "failed" => Color::Red,
                "superseded" => Color::DarkGray,
                _ => Color::Yellow,
            };
            let style = if i == state.outbox_selected {
                Style::new().reversed()
            } else {
                Style::new().fg(color)
            };
            Row::new(vec![
                format!("#{}", o.id),
                label.to_string(),
                o.to.join(", "),
                o.subject.clone(),
                o.last_error.clone().unwrap_or_default(),
            ])
            .style(style)
        })
        .collect();
    f.render_widget(
        boxed_table(
            rows,
            [
                ("#", Constraint::Length(5)),
                (word(lang, "État", "State"), Constraint::Length(10)),
                (word(lang, "Destinataires", "To"), Constraint::Length(22)),
                (word(lang, "Objet", "Subject"), Constraint::Min(20)),
                (
                    word(lang, "Dernière erreur", "Last error"),
                    Constraint::Length(20),
                ),
            ],
            word(lang, " Boîte d'envoi ", " Outbox "),
        ),
        area,
    );
}
