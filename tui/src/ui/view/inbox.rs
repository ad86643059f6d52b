//! Screen 9, the inbox: members' replies received by e-mail (`cnrm mail receive`, `cnrm mail
//! fetch`), their status and what they changed; Enter opens the original text beneath.

use super::widgets::{clip, fit, widest};
use crate::ui::inbox::Inbox;
use crate::ui::text::word;
use cnrm_engine::store::InboxRow;
use cnrm_engine::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};
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
    let headers = [
        word(lang, "Reçu le", "Received"),
        word(lang, "État", "Status"),
        word(lang, "De", "From"),
        word(lang, "Objet", "Subject"),
        word(lang, "Changements", "Changes"),
    ];
    let cells: Vec<[String; 5]> = inbox
        .rows
        .iter()
        .map(|r| {
            [
                crate::strings::when(lang, &r.received_at),
                status_label(lang, &r.status),
                r.from.clone(),
                r.subject.clone(),
                changes_cell(lang, r),
            ]
        })
        .collect();
    // Widths from what is shown: the date and the status whole, the sender up to a quarter of
    // the width, the subject and the changes share the rest (Entrée shows them whole).
    let inner_w = list.width.saturating_sub(2);
    let col = |c: usize| widest(headers[c], cells.iter().map(|r| r[c].as_str()));
    let from_w = col(2).min((inner_w / 4).max(12));
    let fixed = [col(0), col(1), from_w];
    let rest = fit(inner_w, &[fixed[0], fixed[1], fixed[2], 0], 0).unwrap_or(0);
    let subject_w = (rest / 3).min(col(3));
    let changes_w = rest - subject_w;
    let rows: Vec<Row> = inbox
        .rows
        .iter()
        .zip(cells)
        .enumerate()
        .skip(skip)
        .map(|(i, (r, [when, status, from, subject, changes]))| {
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
                when,
                status,
                clip(&from, usize::from(from_w)),
                clip(&subject, usize::from(subject_w)),
                clip(&changes, usize::from(changes_w)),
            ])
            .style(style)
        })
        .collect();
    let widths = [
        Constraint::Length(fixed[0]),
        Constraint::Length(fixed[1]),
        Constraint::Length(fixed[2]),
        Constraint::Length(subject_w),
        Constraint::Length(changes_w),
    ];
    f.render_widget(
        Table::new(rows, widths)
            .header(Row::new(headers).style(Style::new().bold()))
            .block(Block::new().borders(Borders::ALL).title(title)),
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
