//! Drawing: reads the state, draws, changes nothing. One function per screen.

use super::state::Figures;
use super::state::{Column, FormKind, Screen, State};
use super::text::{self, word};
use cnrm_engine::records::Snapshot;
use cnrm_engine::text::group_thousands;
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Gauge, Paragraph, Row, Table, Tabs, Wrap};
use ratatui::Frame;

use cnrm_engine::text::money;

fn french_date(d: &str) -> String {
    match d.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, day] => format!("{day}/{m}/{y}"),
        _ => d.to_string(),
    }
}

fn status_style(s: Status, overdue: bool) -> Style {
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

fn bar(ratio: f64, width: usize) -> String {
    let filled = ((ratio.clamp(0.0, 1.0)) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Draws the whole screen.
pub fn draw(f: &mut Frame, state: &State) {
    let area = f.area();
    let [title, tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    let lang = state.lang;
    let header = match &state.data {
        Some(d) => {
            let counts = &state.figures.dashboard.total.counts;
            format!(
                " cnrm · {} · {} · {} {} · {} {}",
                d.plan_title,
                french_date(&d.today.to_string()),
                counts.total,
                word(lang, "tâches", "tasks"),
                counts.overdue,
                word(lang, "en retard", "overdue")
            )
        }
        None => format!(" cnrm · {}", text::loading(lang)),
    };
    f.render_widget(
        Paragraph::new(clip(&header, area.width as usize)).style(Style::new().bold().reversed()),
        title,
    );
    let titles: Vec<Line> = Screen::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| Line::from(format!("{} {}", i + 1, text::screen(lang, *s))))
        .collect();
    f.render_widget(
        Tabs::new(titles)
            .select(state.screen.index())
            .highlight_style(Style::new().bold().fg(Color::Yellow))
            .divider("│"),
        tabs,
    );
    match &state.data {
        None => f.render_widget(Paragraph::new(text::loading(lang)), body),
        // An overview holds the dashboard only; the other screens wait for the whole plan.
        Some(_) if state.partial && state.screen != Screen::Dashboard => {
            f.render_widget(Paragraph::new(text::loading(lang)), body)
        }
        Some(d) => match state.screen {
            Screen::Dashboard => dashboard(f, body, d, &state.figures, lang),
            Screen::Tasks => tasks(f, body, d, state),
            Screen::Owners => owners(f, body, d, &state.figures, lang),
            Screen::Timeline => timeline(f, body, d, &state.figures, lang),
            Screen::Money => funding(f, body, d, &state.figures, lang),
            Screen::Indicators => indicators(f, body, d, state),
            Screen::Outbox => outbox(f, body, d, state),
            Screen::History => history(f, body, d, lang),
        },
    }
    let line = match &state.status_line {
        Some((true, e)) => Line::from(Span::styled(
            format!(" ✗ {e}"),
            Style::new().fg(Color::Red).bold(),
        )),
        Some((false, m)) => Line::from(Span::styled(
            format!(" ✓ {m}"),
            Style::new().fg(Color::Green),
        )),
        None if state.searching => Line::from(format!(
            " / {}▏  ({})",
            state.filters.search,
            word(
                lang,
                "Entrée garder · Échap effacer",
                "Enter keep · Esc clear"
            )
        )),
        None => Line::from(Span::styled(
            format!(" {}", text::keys(lang, state.screen)),
            Style::new().dim(),
        )),
    };
    f.render_widget(Paragraph::new(line), status);
    if let Some(form) = &state.form {
        draw_form(f, area, form, lang);
    }
    if state.help {
        draw_help(f, area, state);
    }
}

fn dashboard(f: &mut Frame, area: Rect, d: &Snapshot, fig: &Figures, lang: Lang) {
    let dash = &fig.dashboard;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let block = Block::new().borders(Borders::ALL).title(word(
        lang,
        " Exécution physique par priorité ",
        " Physical execution by priority ",
    ));
    let inner = block.inner(left);
    f.render_widget(block, left);
    let rows =
        Layout::vertical(vec![Constraint::Length(2); dash.priorities.len().max(1)]).split(inner);
    for (p, r) in dash.priorities.iter().zip(rows.iter()) {
        let label = format!(
            "{} {} · {}/{} {} · {} {}",
            p.id,
            clip(&p.title, 24),
            p.counts.done,
            p.counts.total,
            word(lang, "faites", "done"),
            p.counts.overdue,
            word(lang, "en retard", "late")
        );
        let [l1, l2] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(*r);
        f.render_widget(Paragraph::new(clip(&label, l1.width as usize)), l1);
        let color = if p.counts.overdue > 0 {
            Color::Red
        } else {
            Color::Green
        };
        f.render_widget(
            Gauge::default()
                .gauge_style(Style::new().fg(color))
                .ratio((p.progress / 100.0).clamp(0.0, 1.0))
                .label(format!("{:.0} %", p.progress)),
            l2,
        );
    }
    let t = &dash.total;
    let c = &t.counts;
    let status_count = |s: Status| c.by_status.get(s.as_str()).copied().unwrap_or(0);
    let mut lines = vec![
        Line::from(
            format!(
                "{} : {:.0} %",
                word(lang, "Avancement moyen", "Mean progress"),
                t.progress
            )
            .bold(),
        ),
        Line::from(format!(
            "{} {} · {} {} · {} {}",
            status_count(Status::Todo),
            Status::Todo.label(lang),
            status_count(Status::InProgress),
            Status::InProgress.label(lang),
            status_count(Status::Done),
            Status::Done.label(lang)
        )),
        Line::from(format!(
            "{} {} · {} {} · {} {}",
            status_count(Status::Blocked),
            Status::Blocked.label(lang),
            status_count(Status::Suspended),
            Status::Suspended.label(lang),
            status_count(Status::Cancelled),
            Status::Cancelled.label(lang)
        )),
        Line::from(vec![
            Span::styled(
                format!("{} {}", c.overdue, word(lang, "en retard", "overdue")),
                Style::new().fg(Color::Red).bold(),
            ),
            Span::raw(format!(
                " · {} {}",
                c.due_soon,
                word(lang, "à échéance sous 14 j", "due within 14 days")
            )),
        ]),
        Line::from(""),
        Line::from(
            format!(
                "{} ({:.0} %)",
                word(lang, "Exécution financière", "Financial execution"),
                t.money.execution()
            )
            .bold(),
        ),
        Line::from(format!(
            "{} {}",
            word(lang, "prévu     ", "planned   "),
            money(t.money.planned, &d.currency)
        )),
        Line::from(format!(
            "{} {}",
            word(lang, "acquis    ", "secured   "),
            money(t.money.secured, &d.currency)
        )),
        Line::from(format!(
            "{} {}",
            word(lang, "à chercher", "gap       "),
            money(t.money.needed, &d.currency)
        )),
        Line::from(format!(
            "{} {}",
            word(lang, "dépensé   ", "spent     "),
            money(t.money.spent, &d.currency)
        )),
        Line::from(""),
        Line::from(word(lang, "Prochaines échéances", "Next deadlines").bold()),
    ];
    for i in &dash.next_deadlines {
        let task = &d.tasks[*i].row;
        lines.push(Line::from(format!(
            "{} {} {}",
            french_date(task.deadline.as_deref().unwrap_or("")),
            task.id,
            task.title
        )));
    }
    f.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(word(
            lang,
            " Ensemble du plan ",
            " Whole plan ",
        ))),
        right,
    );
}

fn tasks(f: &mut Frame, area: Rect, d: &Snapshot, state: &State) {
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
                lines.push(Line::from(desc.trim().to_string().italic()));
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

fn owners(f: &mut Frame, area: Rect, d: &Snapshot, fig: &Figures, lang: Lang) {
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

fn timeline(f: &mut Frame, area: Rect, d: &Snapshot, fig: &Figures, lang: Lang) {
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

fn funding(f: &mut Frame, area: Rect, d: &Snapshot, fig: &Figures, lang: Lang) {
    let dash = &fig.dashboard;
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let mut rows: Vec<Row> = dash
        .priorities
        .iter()
        .map(|p| {
            let m = &p.money;
            Row::new(vec![
                p.id.clone(),
                group_thousands(m.planned),
                group_thousands(m.secured),
                group_thousands(m.pledged),
                group_thousands(m.needed),
                group_thousands(m.spent),
                bar(
                    if m.planned > 0.0 {
                        m.secured / m.planned
                    } else {
                        0.0
                    },
                    8,
                ),
            ])
        })
        .collect();
    let m = &dash.total.money;
    rows.push(
        Row::new(vec![
            word(lang, "Total", "Total").to_string(),
            group_thousands(m.planned),
            group_thousands(m.secured),
            group_thousands(m.pledged),
            group_thousands(m.needed),
            group_thousands(m.spent),
            bar(
                if m.planned > 0.0 {
                    m.secured / m.planned
                } else {
                    0.0
                },
                8,
            ),
        ])
        .style(Style::new().bold()),
    );
    let unit = if d.currency == "XOF" {
        "FCFA"
    } else {
        d.currency.as_str()
    };
    f.render_widget(
        boxed_table(
            rows,
            [
                (word(lang, "Priorité", "Priority"), Constraint::Length(8)),
                (word(lang, "Prévu", "Planned"), Constraint::Length(13)),
                (word(lang, "Acquis", "Secured"), Constraint::Length(13)),
                (word(lang, "Promis", "Pledged"), Constraint::Length(13)),
                (word(lang, "À chercher", "Gap"), Constraint::Length(13)),
                (word(lang, "Dépensé", "Spent"), Constraint::Length(12)),
                (word(lang, "Acquis %", "Secured %"), Constraint::Min(8)),
            ],
            format!(
                " {} ({unit}) ",
                word(lang, "Financement par priorité", "Funding by priority")
            ),
        ),
        top,
    );
    let rows: Vec<Row> = fig
        .funders
        .iter()
        .map(|fu| {
            let name = if fu.funder.is_empty() {
                word(lang, "à rechercher", "to be found").to_string()
            } else {
                d.owners
                    .iter()
                    .find(|o| o.id == fu.funder)
                    .map(|o| o.display().to_string())
                    .unwrap_or(fu.funder.clone())
            };
            let style = if fu.funder.is_empty() {
                Style::new().fg(Color::Red)
            } else {
                Style::new()
            };
            Row::new(vec![
                name,
                group_thousands(fu.planned),
                group_thousands(fu.secured),
                group_thousands(fu.pledged),
            ])
            .style(style)
        })
        .collect();
    f.render_widget(
        boxed_table(
            rows,
            [
                (word(lang, "Bailleur", "Funder"), Constraint::Min(14)),
                (word(lang, "Total", "Total"), Constraint::Length(15)),
                (word(lang, "Acquis", "Secured"), Constraint::Length(15)),
                (word(lang, "Promis", "Pledged"), Constraint::Length(15)),
            ],
            word(lang, " Par bailleur ", " By funder "),
        ),
        bottom,
    );
}

fn indicators(f: &mut Frame, area: Rect, d: &Snapshot, state: &State) {
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

fn outbox(f: &mut Frame, area: Rect, d: &Snapshot, state: &State) {
    let lang = state.lang;
    let rows: Vec<Row> = d
        .outbox
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let (label, color) = match o.status.as_str() {
                "sent" => (word(lang, "envoyé", "sent"), Color::Green),
                "failed" => (word(lang, "en échec", "failed"), Color::Red),
                _ => (word(lang, "en attente", "pending"), Color::Yellow),
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

fn history(f: &mut Frame, area: Rect, d: &Snapshot, lang: Lang) {
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

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn draw_form(f: &mut Frame, area: Rect, form: &super::state::Form, lang: Lang) {
    let r = centered(area, 64, 7);
    f.render_widget(Clear, r);
    let block = Block::new()
        .borders(Borders::ALL)
        .title(text::form_title(lang, form.kind, &form.target))
        .border_style(Style::new().fg(Color::Yellow));
    let value = if form.kind == FormKind::Status {
        let parts: Vec<Span> = Status::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let label = format!(" {} ", s.label(lang));
                if i == form.choice {
                    Span::styled(label, Style::new().reversed().bold())
                } else {
                    Span::raw(label)
                }
            })
            .collect();
        Line::from(parts)
    } else {
        Line::from(format!("> {}▏", form.input))
    };
    let mut lines = vec![value, Line::from("")];
    if let Some(e) = &form.error {
        lines.push(Line::from(Span::styled(
            format!("✗ {e}"),
            Style::new().fg(Color::Red),
        )));
    }
    lines.push(Line::from(text::form_keys(lang).dim()));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        r,
    );
}

fn draw_help(f: &mut Frame, area: Rect, state: &State) {
    let entries = text::help(state.lang, state.screen);
    let r = centered(area, 70, entries.len() as u16 + 2);
    f.render_widget(Clear, r);
    let lines: Vec<Line> = entries
        .iter()
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(format!("{k:<20}"), Style::new().bold()),
                Span::raw(*v),
            ])
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(
            Block::new()
                .borders(Borders::ALL)
                .title(format!(" ? {} ", text::screen(state.lang, state.screen))),
        ),
        r,
    );
}

/// A table with a bold header row, in a bordered block with a title.
/// Each column is its header and its width.
fn boxed_table<'a, const N: usize>(
    rows: Vec<Row<'a>>,
    columns: [(&'a str, Constraint); N],
    title: impl Into<Line<'a>>,
) -> Table<'a> {
    Table::new(rows, columns.map(|(_, w)| w))
        .header(Row::new(columns.map(|(h, _)| h)).style(Style::new().bold()))
        .block(Block::new().borders(Borders::ALL).title(title))
}
