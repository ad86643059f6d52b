//! Screen 1, the dashboard: execution by priority, the whole plan's figures, next deadlines.

use super::widgets::{clip, french_date, wrap};
use crate::ui::state::Figures;
use crate::ui::text::word;
use cnrm_engine::records::Snapshot;
use cnrm_engine::text::money;
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, fig: &Figures, lang: Lang) {
    let dash = &fig.dashboard;
    // The whole plan's figures hold their lines (39 columns) at 80 columns; the priorities the rest.
    let right_w = (area.width * 45 / 100).max(39).min(area.width);
    let [left, right] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_w)]).areas(area);
    let block = Block::new().borders(Borders::ALL).title(word(
        lang,
        " Exécution physique par priorité ",
        " Physical execution by priority ",
    ));
    let inner = block.inner(left);
    f.render_widget(block, left);
    // Each priority: its id and title (on two lines when the title is long and the box has the
    // height for it; cut only beyond), then the gauge and the counts.
    let width = usize::from(inner.width);
    let labels: Vec<Vec<String>> = dash
        .priorities
        .iter()
        .map(|p| wrap(&format!("{} {}", p.id, p.title), width))
        .collect();
    let two_lines =
        labels.iter().map(|l| l.len().min(2) + 1).sum::<usize>() <= usize::from(inner.height);
    let heights: Vec<Constraint> = labels
        .iter()
        .map(|l| {
            Constraint::Length(if two_lines {
                l.len().min(2) as u16 + 1
            } else {
                2
            })
        })
        .collect();
    let rows = Layout::vertical(heights).split(inner);
    for ((p, label), r) in dash.priorities.iter().zip(&labels).zip(rows.iter()) {
        let [l1, l2] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(*r);
        let shown: Vec<Line> = if usize::from(l1.height) >= label.len() {
            label.iter().map(|l| Line::from(l.clone())).collect()
        } else {
            // No room for every line: what fits, the last one ending with `…`.
            let mut text = label[..usize::from(l1.height).max(1) - 1].to_vec();
            let rest = label[text.len()..].join(" ");
            text.push(clip(&rest, width));
            text.into_iter().map(Line::from).collect()
        };
        f.render_widget(Paragraph::new(shown).bold(), l1);
        let counts = format!(
            " {}/{} {} · {} {}",
            p.counts.done,
            p.counts.total,
            word(lang, "faites", "done"),
            p.counts.overdue,
            word(lang, "en retard", "late")
        );
        let counts_w = (counts.chars().count() as u16).min(l2.width.saturating_sub(10));
        let [gauge, tail] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(counts_w)]).areas(l2);
        let color = if p.counts.overdue > 0 {
            Color::Red
        } else {
            Color::Green
        };
        f.render_widget(
            Gauge::default()
                .gauge_style(Style::new().fg(color))
                .ratio((p.progress / 100.0).clamp(0.0, 1.0))
                .label(format!("{:.0}\u{a0}%", p.progress)),
            gauge,
        );
        f.render_widget(Paragraph::new(clip(&counts, tail.width as usize)), tail);
    }
    let t = &dash.total;
    let c = &t.counts;
    let status_count = |s: Status| {
        let n = c.by_status.get(s.as_str()).copied().unwrap_or(0);
        crate::strings::status_count(lang, s, n as i64)
    };
    let mut lines = vec![
        Line::from(
            format!(
                "{}{}{:.0}\u{a0}%",
                word(lang, "Avancement moyen", "Mean progress"),
                crate::strings::colon(lang),
                t.progress
            )
            .bold(),
        ),
        Line::from(format!(
            "{} · {} · {}",
            status_count(Status::Todo),
            status_count(Status::InProgress),
            status_count(Status::Done)
        )),
        Line::from(format!(
            "{} · {} · {}",
            status_count(Status::Blocked),
            status_count(Status::Suspended),
            status_count(Status::Cancelled)
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
                "{} ({:.0}\u{a0}%)",
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
            word(lang, "promis    ", "pledged   "),
            money(t.money.pledged, &d.currency)
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
    let width = usize::from(right.width.saturating_sub(2));
    for i in &dash.next_deadlines {
        let task = &d.tasks[*i].row;
        let head = format!(
            "{} {} ",
            french_date(task.deadline.as_deref().unwrap_or("")),
            task.id
        );
        let room = width.saturating_sub(head.chars().count());
        lines.push(Line::from(format!("{head}{}", clip(&task.title, room))));
    }
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::new().borders(Borders::ALL).title(word(
                lang,
                " Ensemble du plan ",
                " Whole plan ",
            )),
        ),
        right,
    );
}
