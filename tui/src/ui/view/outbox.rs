//! Screen 7, the outbox: messages waiting, sent or failed; Entrée shows one whole (its error
//! and its text).

use super::widgets::{centered, clip, fit, widest, wrap};
use crate::ui::state::State;
use crate::ui::text::word;
use cnrm_engine::records::{OutboxRow, Snapshot};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, state: &State) {
    let lang = state.lang;
    let block = Block::new()
        .borders(Borders::ALL)
        .title(word(lang, " Boîte d'envoi ", " Outbox "));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let headers = [
        "#",
        word(lang, "État", "State"),
        word(lang, "Destinataires", "To"),
        word(lang, "Objet", "Subject"),
        word(lang, "Dernière erreur", "Last error"),
    ];
    let cells: Vec<[String; 3]> = d
        .outbox
        .iter()
        .map(|o| {
            [
                format!("#{}", o.id),
                crate::strings::outbox_status(lang, &o.status).to_string(),
                o.to.join(", "),
            ]
        })
        .collect();
    let col = |c: usize| widest(headers[c], cells.iter().map(|r| r[c].as_str()));
    let to_w = col(2).min((inner.width / 4).max(14));
    let fixed = [col(0), col(1), to_w];
    // The subject and the error share the rest; Entrée shows both whole.
    let rest = fit(inner.width, &[fixed[0], fixed[1], fixed[2], 0], 0).unwrap_or(0);
    let subject_w = rest / 2;
    let error_w = rest - subject_w;
    let rows: Vec<Row> = d
        .outbox
        .iter()
        .zip(cells)
        .enumerate()
        .map(|(i, (o, [id, label, to]))| {
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
                Cell::from(id),
                Cell::from(label),
                Cell::from(clip(&to, usize::from(to_w))),
                Cell::from(clip(&o.subject, usize::from(subject_w))),
                Cell::from(clip(
                    o.last_error.as_deref().unwrap_or(""),
                    usize::from(error_w),
                )),
            ])
            .style(style)
        })
        .collect();
    let widths = [
        Constraint::Length(fixed[0]),
        Constraint::Length(fixed[1]),
        Constraint::Length(fixed[2]),
        Constraint::Length(subject_w),
        Constraint::Min(error_w),
    ];
    if d.outbox.is_empty() {
        f.render_widget(
            Paragraph::new(word(
                lang,
                "aucun message : les rappels apparaissent ici quand ils sont préparés",
                "no message: reminders show here once queued",
            )),
            inner,
        );
    } else {
        f.render_widget(
            Table::new(rows, widths)
                .header(Row::new(headers).bold())
                .column_spacing(1),
            inner,
        );
    }
    if let Some((id, text)) = &state.outbox_open {
        if let Some(o) = d.outbox.iter().find(|o| o.id == *id) {
            message(f, area, o, text.as_deref(), state);
        }
    }
}

/// Where the open message's pop-up goes in `area` (the screen's body).
fn popup(area: Rect) -> Rect {
    centered(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    )
}

/// The open message's lines wrapped at `width`: its state, recipients, subject, error and text.
fn message_lines(
    o: &OutboxRow,
    text: Option<&str>,
    state: &State,
    width: usize,
) -> Vec<Line<'static>> {
    let lang = state.lang;
    let colon = crate::strings::colon(lang);
    let mut lines = Vec::new();
    let mut push = |text: String, style: Style| {
        for part in wrap(&text, width) {
            lines.push(Line::from(part).style(style));
        }
    };
    push(
        format!(
            "{}{colon}{} · {} · {}{colon}{}",
            word(lang, "État", "State"),
            crate::strings::outbox_status(lang, &o.status),
            crate::strings::outbox_kind(lang, &o.kind),
            word(lang, "tentatives", "attempts"),
            o.attempts
        ),
        Style::new(),
    );
    push(
        format!("{}{colon}{}", word(lang, "À", "To"), o.to.join(", ")),
        Style::new(),
    );
    push(
        format!("{}{colon}{}", word(lang, "Objet", "Subject"), o.subject),
        Style::new().bold(),
    );
    if let Some(e) = &o.last_error {
        push(
            format!("{}{colon}{e}", word(lang, "Dernière erreur", "Last error")),
            Style::new().fg(Color::Red),
        );
    }
    push(String::new(), Style::new());
    match text {
        Some(t) => {
            for l in t.lines() {
                push(l.to_string(), Style::new());
            }
        }
        None => push(
            crate::ui::text::loading(lang).to_string(),
            Style::new().dim(),
        ),
    }
    lines
}

/// How far the open message scrolls in `area`: its lines beyond the pop-up.
pub fn max_scroll(state: &State, area: Rect) -> usize {
    let Some((id, text)) = &state.outbox_open else {
        return 0;
    };
    let Some(o) = state
        .data
        .as_ref()
        .and_then(|d| d.outbox.iter().find(|o| o.id == *id))
    else {
        return 0;
    };
    let r = popup(area);
    let lines = message_lines(
        o,
        text.as_deref(),
        state,
        usize::from(r.width.saturating_sub(2)),
    );
    lines
        .len()
        .saturating_sub(usize::from(r.height.saturating_sub(2)))
}

/// One message whole, scrolled to `state.outbox_scroll`; its title says which lines show and
/// the keys.
fn message(f: &mut Frame, area: Rect, o: &OutboxRow, text: Option<&str>, state: &State) {
    let lang = state.lang;
    let r = popup(area);
    f.render_widget(Clear, r);
    let lines = message_lines(o, text, state, usize::from(r.width.saturating_sub(2)));
    let shown = usize::from(r.height.saturating_sub(2));
    let total = lines.len();
    let offset = state.outbox_scroll.min(total.saturating_sub(shown));
    let keys = if total > shown {
        format!(
            "{}–{}/{total} · {}",
            offset + 1,
            (offset + shown).min(total),
            word(
                lang,
                "↑↓ PgUp PgDn défiler · Échap fermer",
                "↑↓ PgUp PgDn scroll · Esc close"
            )
        )
    } else {
        word(lang, "Échap fermer", "Esc close").to_string()
    };
    let lines: Vec<Line> = lines.into_iter().skip(offset).take(shown).collect();
    f.render_widget(
        Paragraph::new(lines).block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(Style::new().fg(Color::Yellow))
                .title(format!(" #{} · {keys} ", o.id)),
        ),
        r,
    );
}
