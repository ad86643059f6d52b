//! Screen 2, the tasks: the filtered, sorted table and the selected task's detail.

use super::widgets::{clip, fit, french_date, status_style, widest};
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
            let [a, b] =
                Layout::vertical([Constraint::Percentage(35), Constraint::Fill(1)]).areas(area);
            (a, Some(b))
        }
    } else {
        (area, None)
    };
    let fl = &state.filters;
    let colon = crate::strings::colon(lang);
    // Each filter named: `statut : bloqué · axe : axe-2 · responsable : DGME`.
    let mut filters = Vec::new();
    if fl.overdue {
        filters.push(word(lang, "en retard", "overdue").to_string());
    }
    if !fl.status.is_empty() {
        let labels: Vec<&str> = fl.status.iter().map(|s| s.label(lang)).collect();
        filters.push(format!(
            "{}{colon}{}",
            word(lang, "statut", "status"),
            labels.join(", ")
        ));
    }
    if let Some(p) = &fl.priority {
        filters.push(format!("{}{colon}{p}", word(lang, "axe", "priority")));
    }
    if let Some(o) = &fl.owner {
        let name = d
            .owners
            .iter()
            .find(|x| x.id == *o)
            .map_or(o.as_str(), |x| x.display());
        filters.push(format!(
            "{}{colon}{name}",
            word(lang, "responsable", "owner")
        ));
    }
    if !fl.search.is_empty() {
        filters.push(format!(
            "{}{colon}« {} »",
            word(lang, "recherche", "search"),
            fl.search
        ));
    }
    let title = format!(
        " {} {}/{} · {}{colon}{} ",
        word(lang, "Tâches", "Tasks"),
        state.visible.len(),
        d.tasks.len(),
        word(lang, "tri", "sort"),
        text::column(lang, state.sort),
    );
    let block = Block::new()
        .borders(Borders::ALL)
        .title(clip(&title, list_area.width.saturating_sub(2) as usize));
    let mut inner = block.inner(list_area);
    f.render_widget(block, list_area);
    if !filters.is_empty() && inner.height > 2 {
        let line = format!(
            "{}{colon}{}",
            word(lang, "filtres", "filters"),
            filters.join(" · ")
        );
        let used = crate::ui::view::lines_needed(&line, inner.width).min(inner.height - 2);
        f.render_widget(
            Paragraph::new(line)
                .style(Style::new().fg(Color::Yellow))
                .wrap(Wrap { trim: true }),
            inner,
        );
        inner.y += used;
        inner.height -= used;
    }
    let height = inner.height.saturating_sub(1) as usize;
    // Only the rows on screen are built: 100,000 tasks cost nothing to scroll.
    let offset = if state.selected >= height {
        state.selected + 1 - height
    } else {
        0
    };
    let page: Vec<(usize, &cnrm_engine::records::TaskRow)> = state
        .visible
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(pos, i)| (pos, &d.tasks[*i].row))
        .collect();
    let cells: Vec<[String; 5]> = page
        .iter()
        .map(|(_, t)| {
            let deadline = match &t.deadline {
                Some(day) if t.deadline_label != *day => t.deadline_label.clone(),
                Some(day) => french_date(day),
                None => word(lang, "continu", "ongoing").to_string(),
            };
            let status = if t.overdue {
                format!(
                    "{} +{}{}",
                    t.status.label(lang),
                    t.days_late,
                    word(lang, "j", "d")
                )
            } else {
                t.status.label(lang).to_string()
            };
            [
                t.id.clone(),
                deadline,
                status,
                format!("{:>3}", t.progress),
                t.owners.join(", "),
            ]
        })
        .collect();
    let header_label = |c: Column| {
        let mut label = text::column(lang, c).to_string();
        if c == state.sort {
            label.push(if state.descending { '▼' } else { '▲' });
        }
        label
    };
    // Widths from content: the id, deadline, status and progress whole (the ids on screen: a
    // page without an occurrence `…@2026-03-31` gives its room to the title), the owners up to
    // a fifth of the width, the title the rest, cut with `…`.
    let col = |c: usize, h: Column| widest(&header_label(h), cells.iter().map(|r| r[c].as_str()));
    let id_w = col(0, Column::Id);
    let fixed = [
        id_w,
        col(1, Column::Deadline),
        col(2, Column::Status),
        col(3, Column::Progress),
    ];
    let owners_all = col(4, Column::Owners);
    let owners_w = owners_all.min((inner.width / 5).max(12));
    let mut widths: Vec<u16> = fixed.to_vec();
    let show_owners = fit(inner.width, &[&fixed[..], &[owners_w]].concat(), 10).is_some();
    if show_owners {
        widths.push(owners_w);
    }
    let title_w = fit(inner.width, &widths, 0).unwrap_or(0);
    // Room left over goes to the owners before it goes to the title's blank end.
    let rows: Vec<Row> = page
        .iter()
        .zip(cells)
        .map(|((pos, t), [id, deadline, status, progress, owners])| {
            let style = if *pos == state.selected {
                Style::new().reversed()
            } else {
                status_style(t.status, t.overdue)
            };
            let mut row = vec![
                Cell::from(id),
                Cell::from(deadline),
                Cell::from(status),
                Cell::from(progress),
            ];
            if show_owners {
                row.push(Cell::from(clip(&owners, owners_w as usize)));
            }
            row.push(Cell::from(clip(&t.title, title_w as usize)));
            Row::new(row).style(style)
        })
        .collect();
    let header = Row::new(
        Column::ALL
            .iter()
            .filter(|c| show_owners || **c != Column::Owners)
            .map(|c| Cell::from(header_label(*c))),
    )
    .style(Style::new().bold());
    let mut constraints: Vec<Constraint> = widths.iter().map(|w| Constraint::Length(*w)).collect();
    constraints.push(Constraint::Min(title_w));
    if state.visible.is_empty() {
        let mut lines = vec![Line::from(word(lang, "aucune tâche", "no task").bold())];
        if !filters.is_empty() {
            lines.push(Line::from(word(
                lang,
                "x retire les filtres et la recherche",
                "x clears the filters and the search",
            )));
        }
        f.render_widget(Paragraph::new(lines), inner);
    } else {
        f.render_widget(
            Table::new(rows, constraints)
                .header(header)
                .column_spacing(1),
            inner,
        );
    }
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
    let colon = crate::strings::colon(lang);
    let mut lines = vec![
        Line::from(format!("{} — {}", t.row.id, t.row.title).bold()),
        Line::from(format!(
            "{}{colon}{} · {}\u{a0}% · {}{colon}{}",
            word(lang, "Statut", "Status"),
            t.row.status.label(lang),
            t.row.progress,
            word(lang, "axe", "priority"),
            t.row.priority
        )),
        Line::from(format!(
            "{}{colon}{}{} · {}{colon}{}",
            word(lang, "Échéance", "Deadline"),
            t.row
                .deadline
                .as_deref()
                .map_or(t.row.deadline_label.clone(), french_date),
            if t.row.overdue {
                format!(
                    " (+{}{})",
                    t.row.days_late,
                    word(lang, " j de retard", " d late")
                )
            } else {
                String::new()
            },
            word(lang, "début", "start"),
            state
                .detail
                .as_ref()
                .filter(|d| d.row.id == t.row.id)
                .and_then(|d| d.start.as_deref())
                .map_or("—".to_string(), french_date)
        )),
        Line::from(format!(
            "{}{colon}{}",
            word(lang, "Responsables", "Owners"),
            t.row.owners.join(", ")
        )),
        Line::from(format!(
            "{}{colon}{}",
            word(lang, "Partenaires", "Partners"),
            t.row.partners.join(", ")
        )),
        Line::from(format!(
            "{}{colon}{} · {} {} · {} {}",
            word(lang, "Budget", "Budget"),
            money(t.planned, &currency),
            word(lang, "acquis", "secured"),
            money(t.secured, &currency),
            word(lang, "promis", "pledged"),
            money(t.pledged, &currency),
        )),
        Line::from(format!(
            "{} {} · {} {}",
            word(lang, "à chercher", "gap"),
            money(t.needed, &currency),
            word(lang, "dépensé", "spent"),
            money(t.spent, &currency)
        )),
    ];
    match state.detail.as_ref().filter(|d| d.row.id == t.row.id) {
        None => lines.push(Line::from(text::loading(lang).dim())),
        Some(dt) => {
            if !dt.depends_on.is_empty() {
                lines.push(Line::from(format!(
                    "{}{colon}{}",
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
            if !dt.spendings.is_empty() {
                lines.push(Line::from(
                    word(
                        lang,
                        "Dépenses (c pour en annuler une)",
                        "Spendings (c cancels one)",
                    )
                    .bold(),
                ));
                for sp in &dt.spendings {
                    let note = sp
                        .note
                        .as_ref()
                        .map(|n| format!(" « {n} »"))
                        .unwrap_or_default();
                    let line = Line::from(format!(
                        "n° {} · {} · {}{note}{}",
                        sp.entry,
                        french_date(&sp.date),
                        money(sp.amount, &sp.currency),
                        if sp.cancelled {
                            word(lang, " · annulée", " · cancelled")
                        } else {
                            ""
                        }
                    ));
                    lines.push(if sp.cancelled { line.dim() } else { line });
                }
            }
            let notes: Vec<_> = dt
                .history
                .iter()
                .filter(|h| h.note.is_some() && crate::history::is_note(&h.event))
                .collect();
            if !notes.is_empty() {
                lines.push(Line::from(word(lang, "Notes", "Notes").bold()));
                for h in notes.iter().rev() {
                    lines.push(Line::from(format!(
                        "{} {} « {} »",
                        french_date(&h.at[..10.min(h.at.len())]),
                        h.actor,
                        h.note.as_deref().unwrap_or("")
                    )));
                }
            }
            // The description after what the secretariat corrects (spendings, notes).
            if let Some(desc) = &dt.description {
                for line in desc.trim().lines() {
                    lines.push(Line::from(line.to_string().italic()));
                }
            }
            lines.push(Line::from(word(lang, "Historique", "History").bold()));
            for h in dt.history.iter().rev().take(8) {
                let mut what = crate::history::what(lang, &h.event, h.note.as_deref());
                if h.source.as_deref() == Some("e-mail") {
                    what.push_str(&crate::strings::by_email(lang));
                }
                lines.push(Line::from(crate::strings::history_line(
                    lang, &h.at, &h.actor, &what,
                )));
            }
        }
    }
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        area,
    );
}
