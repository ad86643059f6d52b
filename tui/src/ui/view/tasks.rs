//! Screen 2, the tasks: the filtered, sorted table and the selected task's detail.

use super::widgets::{clip, french_date, status_style};
use crate::ui::state::{Column, State};
use crate::ui::text::{self, word};
use cnrm_engine::records::Snapshot;
use cnrm_engine::text::money;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, state: &State) {
    let lang = state.lang;
    let (list_area, detail_area) = if state.detail_open {
        if area.width >= 120 {
            let [a, b] =
                Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                    .areas(area);
            (a, Some(b))
        } else {
            let [a, b] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
            (a, Some(b))
        }
    } else {
        (area, None)
    };
    let fl = &state.filters;
    let mut filters = Vec::new();
    if fl.overdue {
        filters.push(word(lang, "en retard", "overdue").to_string());
    }
    if let Some(s) = fl.status {
        filters.push(s.label(lang).to_string());
    }
    if let Some(p) = &fl.priority {
        filters.push(p.clone());
    }
    if let Some(o) = &fl.owner {
        filters.push(o.clone());
    }
    if !fl.search.is_empty() {
        filters.push(format!("« {} »", fl.search));
    }
    let title = format!(
        " {} {}/{} · {} {}{} ",
        word(lang, "Tâches", "Tasks"),
        state.visible.len(),
        d.tasks.len(),
        word(lang, "tri :", "sort:"),
        text::column(lang, state.sort),
        if filters.is_empty() {
            String::new()
        } else {
            format!(
                " · {} {}",
                word(lang, "filtres :", "filters:"),
                filters.join(", ")
            )
        }
    );
    let block = Block::new()
        .borders(Borders::ALL)
        .title(clip(&title, list_area.width.saturating_sub(2) as usize));
    let inner = block.inner(list_area);
    f.render_widget(block, list_area);
    let height = inner.height.saturating_sub(1) as usize;
    // Only the rows on screen are built: 100,000 tasks cost nothing to scroll.
    let offset = if state.selected >= height {
        state.selected + 1 - height
    } else {
        0
    };
    let rows: Vec<Row> = state
        .visible
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(pos, i)| {
            let t = &d.tasks[*i].row;
            let deadline = match &t.deadline {
                Some(day) if t.deadline_label != *day => t.deadline_label.clone(),
                Some(day) => french_date(day),
                None => "continu".to_string(),
            };
            let status = if t.overdue {
                format!("{} +{}j", t.status.label(lang), t.days_late)
            } else {
                t.status.label(lang).to_string()
            };
            let style = if pos == state.selected {
                Style::new().reversed()
            } else {
                status_style(t.status, t.overdue)
            };
            Row::new(vec![
                Cell::from(t.id.clone()),
                Cell::from(deadline),
                Cell::from(status),
                Cell::from(format!("{:>3}", t.progress)),
                Cell::from(t.owners.join(",")),
                Cell::from(t.title.clone()),
            ])
            .style(style)
        })
        .collect();
    let header = Row::new(Column::ALL.iter().map(|c| {
        let mut label = text::column(lang, *c).to_string();
        if *c == state.sort {
            label.push(if state.descending { '▼' } else { '▲' });
        }
        Cell::from(label)
    }))
    .style(Style::new().bold());
    let widths = [
        Constraint::Length(12),
        Constraint::Length(10),
        Constraint::Length(14),
        Constraint::Length(4),
        Constraint::Length(12),
        Constraint::Min(10),
    ];
    f.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        inner,
    );
    if let Some(area) = detail_area {
        detail(f, area, state);
    }
}

fn detail(f: &mut Frame, area: Rect, state: &State) {
    let lang = state.lang;
    let block = Block::new()
        .borders(Borders::ALL)
        .title(word(lang, " Détail ", " Detail "));
    let Some(t) = state.selected_task() else {
        f.render_widget(block, area);
        return;
    };
    let currency = state
        .data
        .as_ref()
        .map(|d| d.currency.clone())
        .unwrap_or_default();
    let mut lines = vec![
        Line::from(format!("{} — {}", t.row.id, t.row.title).bold()),
        Line::from(format!(
            "{} : {} · {} %",
            word(lang, "Statut", "Status"),
            t.row.status.label(lang),
            t.row.progress
        )),
        Line::from(format!(
            "{} : {}",
            word(lang, "Responsables", "Owners"),
            t.row.owners.join(", ")
        )),
        Line::from(format!(
            "{} : {}",
            word(lang, "Partenaires", "Partners"),
            t.row.partners.join(", ")
        )),
        Line::from(format!(
            "{} : {} · {} {} · {} {}",
            word(lang, "Budget", "Budget"),
            money(t.planned, &currency),
            word(lang, "à chercher", "gap"),
            money(t.needed, &currency),
            word(lang, "dépensé", "spent"),
            money(t.spent, &currency)
        )),
    ];
    match state.detail.as_ref().filter(|d| d.row.id == t.row.id) {
        None => lines.push(Line::from(text::loading(lang).dim())),
        Some(dt) => {
            if let Some(desc) = &dt.description {
                for line in desc.trim().lines() {
                    lines.push(Line::from(line.to_string().italic()));
                }
            }
            if !dt.depends_on.is_empty() {
                lines.push(Line::from(format!(
                    "{} : {}",
                    word(lang, "Dépend de", "Depends on"),
                    dt.depends_on.join(", ")
                )));
            }
            for s in &dt.slips {
                lines.push(
                    Line::from(format!(
                        "⏱ r{} : {} → {} ({:+} j)",
                        s.revision,
                        s.from,
                        s.to,
                        s.days.unwrap_or(0)
                    ))
                    .fg(Color::Magenta),
                );
            }
            lines.push(Line::from(word(lang, "Historique", "History").bold()));
            for h in dt.history.iter().rev().take(8) {
                let note = h
                    .note
                    .as_ref()
                    .map(|n| format!(" « {n} »"))
                    .unwrap_or_default();
                lines.push(Line::from(format!(
                    "{} {} {}{note}",
                    &h.at[..10.min(h.at.len())],
                    h.actor,
                    h.kind
                )));
            }
        }
    }
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        area,
    );
}
