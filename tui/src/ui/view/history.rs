//! Screen 8, the history: the plan's revisions and recorded changes.

use crate::ui::text::word;
use cnrm_engine::records::Snapshot;
use cnrm_engine::Lang;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, lang: Lang) {
    let lines: Vec<Line> = d
        .history
        .iter()
        .map(|h| {
            let note = h
                .note
                .as_ref()
                .map(|n| format!(" « {n} »"))
                .unwrap_or_default();
            Line::from(format!(
                "{} {} {} {} {}{note}",
                h.at.get(..16).unwrap_or(&h.at).replace('T', " "),
                h.actor,
                h.kind,
                h.task.as_deref().unwrap_or(""),
                h.summary
            ))
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(word(
            lang,
            " Révisions et événements ",
            " Revisions and events ",
        ))),
        area,
    );
}
