//! Pieces every screen draws with: dates, status colours, bars, clipped text, boxed tables.

use cnrm_engine::workflow::Status;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Row, Table};

pub use cnrm_engine::text::french_date;

pub fn status_style(s: Status, overdue: bool) -> Style {
    if overdue {
        return Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
    }
    match s {
        Status::Done => Style::new().fg(Color::Green),
        Status::Blocked => Style::new().fg(Color::Magenta),
        Status::Cancelled | Status::Suspended => Style::new().fg(Color::DarkGray),
        _ => Style::new(),
    }
}

pub fn bar(ratio: f64, width: usize) -> String {
    let filled = ((ratio.clamp(0.0, 1.0)) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

pub fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A table with a bold header row, in a bordered block with a title.
/// Each column is its header and its width.
pub fn boxed_table<'a, const N: usize>(
    rows: Vec<Row<'a>>,
    columns: [(&'a str, Constraint); N],
    title: impl Into<Line<'a>>,
) -> Table<'a> {
    Table::new(rows, columns.map(|(_, w)| w))
        .header(Row::new(columns.map(|(h, _)| h)).style(Style::new().bold()))
        .block(Block::new().borders(Borders::ALL).title(title))
}
