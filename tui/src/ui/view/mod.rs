//! Drawing: reads the state, draws, changes nothing. One module per screen; the title bar, the
//! tabs, the status line and the overlays (a form, the help) are drawn here.

pub mod chronogram;
mod dashboard;
mod history;
mod inbox;
mod indicators;
mod money;
mod outbox;
mod owners;
mod tasks;
mod timeline;
mod widgets;

use super::state::{Form, FormKind, Screen, State};
use super::text::{self, word};
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Tabs, Wrap};
use ratatui::Frame;
use widgets::{centered, clip, french_date};

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
            Screen::Dashboard => dashboard::draw(f, body, d, &state.figures, lang),
            Screen::Tasks => tasks::draw(f, body, d, state),
            Screen::Owners => owners::draw(f, body, d, &state.figures, lang),
            Screen::Timeline => match &state.chronogram {
                Some(c) => chronogram::draw(f, body, c, lang),
                None => timeline::draw(f, body, d, &state.figures, lang),
            },
            Screen::Money => money::draw(f, body, d, &state.figures, lang),
            Screen::Indicators => indicators::draw(f, body, d, state),
            Screen::Outbox => outbox::draw(f, body, d, state),
            Screen::History => history::draw(f, body, d, lang),
            Screen::Inbox => inbox::draw(f, body, &state.inbox, lang),
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

fn draw_form(f: &mut Frame, area: Rect, form: &Form, lang: Lang) {
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
    if let Some(why) = form.error {
        lines.push(Line::from(Span::styled(
            format!("✗ {}", text::form_error(lang, why)),
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
