//! Screen 9, the inbox: members' replies received by e-mail (`cnrm mail receive`, `cnrm mail
//! fetch`), their status and what they changed; Enter opens the original text beneath.

use super::widgets::{boxed_table, clip};
use crate::ui::inbox::Inbox;
use crate::ui::text::word;
use cnrm_engine::store::InboxRow;
use cnrm_engine::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Wrap};
use ratatui::Frame;

fn status_label(lang: Lang, status: &str) -> String {
    crate::strings::inbox_status(lang, status).to_string()
}

/// What a message changed, in one cell: the changes, or why nothing changed.
fn changes_cell(lang: Lang, r: &InboxRow) -> String {
    if !r.changes.is_empty() {
        return change_lines(lang, r).join(" · ");
    }
    match &r.reason {
        Some(reason) => cnrm_engine::inbox::reason_text(lang, reason),
        None => String::new(),
    }
}

/// Each change as a line: `axe-1.a1 : statut fait`.
fn change_lines(lang: Lang, r: &InboxRow) -> Vec<String> {
    r.changes
        .iter()
        .map(|c| crate::strings::inbox_change(lang, c))
        .collect()
}

pub fn draw(f: &mut Frame, area: Rect, inbox: &Inbox, lang: Lang) {
    let title = word(lang, " Boîte de réception ", " Inbox ");
    if !inbox.loaded || inbox.rows.is_empty() {
        let text = if inbox.loaded {
            word(
                lang,
                "Aucune réponse reçue. Les réponses des membres arrivent par `cnrm mail receive` ou `cnrm mail fetch` (CNRM_IMAP_URL).",
                "No reply received. Members' replies come in through `cnrm mail receive` or `cnrm mail fetch` (CNRM_IMAP_URL).",
            )
        } else {
            crate::ui::text::loading(lang)
        };
        f.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::new().borders(Borders::ALL).title(title)),
            area,
        );
        return;
    }
    let (list, detail) = if inbox.open {
        let [a, b] = Layout::vertical([Constraint::Length(7), Constraint::Min(3)]).areas(area);
        (a, Some(b))
    } else {
        (area, None)
    };
    // With the text open, the list keeps the selected row in its few lines.
    let skip = if inbox.open {
        inbox.selected.saturating_sub(3)
    } else {
        inbox
            .selected
            .saturating_sub(list.height.saturating_sub(4) as usize)
    };
    let rows: Vec<Row> = inbox
        .rows
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(i, r)| {
            let color = match r.status.as_str() {
                "applied" => Color::Green,
                "rejected" => Color::Red,
                _ => Color::DarkGray,
            };
            let style = if i == inbox.selected {
                Style::new().reversed()
            } else {
                Style::new().fg(color)
            };
            Row::new(vec![
                crate::strings::when(lang, &r.received_at),
                status_label(lang, &r.status),
                r.from.clone(),
                r.subject.clone(),
                changes_cell(lang, r),
            ])
            .style(style)
        })
        .collect();
    f.render_widget(
        boxed_table(
            rows,
            [
                (word(lang, "Reçu le", "Received"), Constraint::Length(16)),
                (word(lang, "État", "Status"), Constraint::Length(9)),
                (word(lang, "De", "From"), Constraint::Length(18)),
                (word(lang, "Objet", "Subject"), Constraint::Fill(1)),
                (word(lang, "Changements", "Changes"), Constraint::Fill(1)),
            ],
            title,
        ),
        list,
    );
    let (Some(area), Some(r)) = (detail, inbox.selected_row()) else {
        return;
    };
    let colon = crate::strings::colon(lang);
    let mut lines: Vec<Line> = vec![
        Line::from(format!("{}{colon}{}", word(lang, "De", "From"), r.from)),
        Line::from(format!(
            "{}{colon}{}",
            word(lang, "Objet", "Subject"),
            r.subject
        )),
        Line::from(format!(
            "{}{colon}{}",
            word(lang, "État", "Status"),
            status_label(lang, &r.status)
        )),
    ];
    if let Some(reason) = &r.reason {
        let why = cnrm_engine::inbox::reason_text(lang, reason);
        lines.push(Line::from(format!(
            "{}{colon}{why}",
            word(lang, "Motif", "Reason")
        )));
    }
    let changes = change_lines(lang, r);
    if !changes.is_empty() {
        lines.push(Line::from(
            format!("{}{colon}", word(lang, "Changements", "Changes")).bold(),
        ));
        lines.extend(changes.into_iter().map(|c| Line::from(format!("  {c}"))));
    }
    if !r.not_understood.is_empty() {
        lines.push(Line::from(
            format!("{}{colon}", word(lang, "Non compris", "Not understood")).bold(),
        ));
        lines.extend(
            r.not_understood
                .iter()
                .map(|l| Line::from(format!("  {}", clip(l, 200)))),
        );
    }
    lines.push(Line::from(
        format!("{}{colon}", word(lang, "Texte d'origine", "Original text")).bold(),
    ));
    lines.extend(r.text.lines().map(|l| Line::from(format!("  {l}"))));
    let title = word(
        lang,
        " Message (Entrée ou Échap pour fermer) ",
        " Message (Enter or Esc to close) ",
    );
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((inbox.scroll, 0))
            .block(Block::new().borders(Borders::ALL).title(title)),
        area,
    );
}
