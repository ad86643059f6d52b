//! Screen 4, the timeline: deadlines month by month.

use super::widgets::{bar, clip};
use crate::ui::state::Figures;
use crate::ui::text::word;
use cnrm_engine::records::Snapshot;
use cnrm_engine::Lang;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, fig: &Figures, lang: Lang) {
    let months = &fig.timeline;
    let today = d.today.format("%Y-%m").to_string();
    let mut lines = Vec::new();
    for (month, items) in months.iter() {
        let late = items.iter().filter(|i| d.tasks[**i].row.overdue).count();
        let style = if month < &today && late > 0 {
            Style::new().fg(Color::Red)
        } else if *month == today {
            Style::new().bold()
        } else {
            Style::new()
        };
        let ids: Vec<String> = items
            .iter()
            .map(|i| {
                let t = &d.tasks[*i].row;
                if t.milestone {
                    format!("◆{}", t.id)
                } else {
                    t.id.clone()
                }
            })
            .collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{month} {:>3} ", items.len()), style),
            Span::styled(bar(items.len() as f64 / 20.0, 10), style),
            Span::raw(format!(
                " {}",
                clip(&ids.join(" "), area.width.saturating_sub(24) as usize)
            )),
        ]));
    }
    let skip = months
        .keys()
        .position(|m| m.as_str() >= today.as_str())
        .unwrap_or(0)
        .saturating_sub(2);
    f.render_widget(
        Paragraph::new(lines).scroll((skip as u16, 0)).block(
            Block::new().borders(Borders::ALL).title(word(
                lang,
                " Échéances par mois (◆ jalon) ",
                " Deadlines by month (◆ milestone) ",
            )),
        ),
        area,
    );
}
