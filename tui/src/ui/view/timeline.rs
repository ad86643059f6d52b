//! Screen 4, the timeline: deadlines month by month (`juin 2026`), each task with its day, id
//! and title. It opens on the earliest open deadline (the overdue tasks, marked, come first)
//! and scrolls with ↑↓ PgUp PgDn g G.

use super::widgets::clip;
use crate::ui::state::{State, TimelineRow};
use crate::ui::text::word;
use cnrm_engine::records::Snapshot;
use cnrm_engine::Lang;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// `juin 2026` / `June 2026` for `2026-06`.
pub fn month_name(lang: Lang, month: &str) -> String {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let Some((y, m)) = month.split_once('-') else {
        return month.to_string();
    };
    let names = match lang {
        Lang::Fr => FR,
        Lang::En => EN,
    };
    match m
        .parse::<usize>()
        .ok()
        .and_then(|m| names.get(m.wrapping_sub(1)))
    {
        Some(name) => format!("{name} {y}"),
        None => month.to_string(),
    }
}

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, state: &State) {
    let lang = state.lang;
    let fig = &state.figures;
    let block = Block::new().borders(Borders::ALL).title(word(
        lang,
        " Échéances par mois (◆ jalon · ⚠ en retard) ",
        " Deadlines by month (◆ milestone · ⚠ overdue) ",
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let today = d.today.format("%Y-%m").to_string();
    let width = usize::from(inner.width);
    let id_w = usize::from(fig.id_width);
    let offset = state
        .timeline_offset
        .min(fig.timeline_rows.len().saturating_sub(1));
    // Only the lines on screen are built.
    let lines: Vec<Line> = fig
        .timeline_rows
        .iter()
        .skip(offset)
        .take(usize::from(inner.height))
        .map(|row| match row {
            TimelineRow::Month(month, n, late) => {
                let mut text = format!("{} · {}", month_name(lang, month), deadlines(lang, *n));
                if *late > 0 {
                    text.push_str(&format!(
                        " · {}",
                        crate::strings::overdue_count(lang, *late as i64)
                    ));
                }
                let style = if *late > 0 {
                    Style::new().fg(Color::Red).bold()
                } else if *month == today {
                    Style::new().fg(Color::Yellow).bold()
                } else {
                    Style::new().bold()
                };
                Line::from(Span::styled(clip(&text, width), style))
            }
            TimelineRow::Task(i) => {
                let t = &d.tasks[*i].row;
                let day = t
                    .deadline
                    .as_deref()
                    .map(|s| s.get(8..10).unwrap_or(s).to_string())
                    .unwrap_or_default();
                let mark = if t.overdue {
                    "⚠"
                } else if t.milestone {
                    "◆"
                } else {
                    " "
                };
                let late = if t.overdue {
                    format!(" +{}{}", t.days_late, word(lang, "j", "d"))
                } else if !t.status.is_active() {
                    format!(" {}", t.status.label(lang))
                } else {
                    String::new()
                };
                let head = format!("  {mark} {day} {:<id_w$}{late} ", t.id);
                let room = width.saturating_sub(head.chars().count());
                let style = if t.overdue {
                    Style::new().fg(Color::Red)
                } else if !t.status.is_active() {
                    Style::new().fg(Color::DarkGray)
                } else {
                    Style::new()
                };
                let title = if room >= 4 {
                    clip(&t.title, room)
                } else {
                    String::new()
                };
                Line::from(vec![Span::styled(head, style), Span::raw(title)])
            }
        })
        .collect();
    if lines.is_empty() {
        f.render_widget(
            Paragraph::new(word(
                lang,
                "aucune échéance datée ouverte",
                "no open dated deadline",
            )),
            inner,
        );
        return;
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// `5 échéances` / `1 deadline`.
fn deadlines(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Fr, 0 | 1) => format!("{n} échéance"),
        (Lang::Fr, _) => format!("{n} échéances"),
        (Lang::En, 1) => format!("{n} deadline"),
        (Lang::En, _) => format!("{n} deadlines"),
    }
}
