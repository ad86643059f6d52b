//! Screen 8, the history: the plan's revisions and recorded changes.

use crate::ui::text::word;
use cnrm_engine::records::Snapshot;
use cnrm_engine::Lang;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, lang: Lang, offset: usize) {
    let lines: Vec<Line> = d
        .history
        .iter()
        .skip(offset)
        .take(usize::from(area.height))
        .map(|h| {
            let mut what = crate::history::what(lang, &h.event, h.note.as_deref());
            if h.source.as_deref() == Some("e-mail") {
                what.push_str(&crate::strings::by_email(lang));
            }
            let what = match &h.task {
                Some(task) => format!("{task} · {what}"),
                None => what,
            };
            Line::from(crate::strings::history_line(lang, &h.at, &h.actor, &what))
        })
        .collect();
    // Each event whole, on as many lines as it needs.
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::new().borders(Borders::ALL).title(word(
                lang,
                " Révisions et événements ",
                " Revisions and events ",
            )),
        ),
        area,
    );
}
