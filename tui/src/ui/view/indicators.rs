//! Screen 6, the indicators: baseline, latest value over target with the unit
//! (`6 000 / 18 000 personnes`), when it was measured and the achievement (`45,5 %`). The latest
//! value is the latest dated on or before today (the store's rule). Entrée shows an indicator's
//! recorded values, numbered as `cnrm indicator show` lists them; `c` there cancels one.

use super::widgets::{bar, centered, clip, fit, french_date, widest};
use crate::strings::value;
use crate::ui::state::{IndicatorValues, State};
use crate::ui::text::{self, word};
use cnrm_engine::records::Snapshot;
use cnrm_engine::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

/// `45,5 %` / `45.5 %`: a percentage with one decimal when it has one.
pub fn percent(lang: Lang, p: f64) -> String {
    let text = format!("{:.1}", p);
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    let text = match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    };
    format!("{text}\u{a0}%")
}

/// `6 000 / 18 000 personnes`, `45,5 / 80 %`, `— / 12`.
fn measured(lang: Lang, latest: Option<f64>, target: Option<f64>, unit: Option<&str>) -> String {
    let latest = latest.map_or("—".to_string(), |v| value(lang, v));
    let mut text = match target {
        Some(t) => format!("{latest} / {}", value(lang, t)),
        None => latest,
    };
    if let Some(u) = unit.filter(|u| !u.is_empty()) {
        text.push('\u{a0}');
        text.push_str(u);
    }
    text
}

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, state: &State) {
    let lang = state.lang;
    let block =
        Block::new()
            .borders(Borders::ALL)
            .title(word(lang, " Indicateurs ", " Indicators "));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let headers = [
        "ID",
        word(lang, "Indicateur", "Indicator"),
        word(lang, "Réf.", "Base"),
        word(lang, "Valeur / cible", "Value / target"),
        word(lang, "Mesurée le", "Measured on"),
        word(lang, "Atteinte", "Achieved"),
    ];
    let cells: Vec<[String; 5]> = d
        .indicators
        .iter()
        .map(|ind| {
            let unit = ind.unit.as_deref();
            [
                ind.id.clone(),
                ind.baseline.map(|b| value(lang, b)).unwrap_or_default(),
                measured(lang, ind.latest.as_ref().map(|l| l.1), ind.target, unit),
                ind.latest
                    .as_ref()
                    .map(|(day, _)| french_date(day))
                    .unwrap_or_else(|| "—".into()),
                ind.achievement()
                    .map(|a| percent(lang, a))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let col = |c: usize, h: usize| widest(headers[h], cells.iter().map(|r| r[c].as_str()));
    let mut fixed = vec![col(0, 0), col(1, 2), col(2, 3), col(3, 4), col(4, 5)];
    // A bar before the percentage when there is room for it.
    let with_bar = fit(
        inner.width,
        &[fixed[0], fixed[1], fixed[2], fixed[3], fixed[4] + 9],
        20,
    )
    .is_some();
    if with_bar {
        fixed[4] += 9;
    }
    let title_w = fit(inner.width, &fixed, 0).unwrap_or(0);
    let rows: Vec<Row> = d
        .indicators
        .iter()
        .zip(cells)
        .enumerate()
        .map(|(i, (ind, [id, base, measure, day, ach]))| {
            let style = if i == state.indicator_selected {
                Style::new().reversed()
            } else {
                Style::new()
            };
            let ach = match ind.achievement() {
                Some(a) if with_bar => format!("{} {ach}", bar(a / 100.0, 8)),
                _ => ach,
            };
            Row::new(vec![
                Cell::from(id),
                Cell::from(clip(&ind.title, usize::from(title_w))),
                Cell::from(base),
                Cell::from(measure),
                Cell::from(day),
                Cell::from(ach),
            ])
            .style(style)
        })
        .collect();
    let widths = [
        Constraint::Length(fixed[0]),
        Constraint::Min(title_w),
        Constraint::Length(fixed[1]),
        Constraint::Length(fixed[2]),
        Constraint::Length(fixed[3]),
        Constraint::Length(fixed[4]),
    ];
    f.render_widget(
        Table::new(rows, widths)
            .header(Row::new(headers).bold())
            .column_spacing(1),
        inner,
    );
    if let Some(open) = &state.indicator_values {
        values(f, area, d, open, lang);
    }
}

/// An indicator's recorded values, numbered as `cnrm indicator show` lists them (the number
/// `c` cancels), the one under the cursor reversed, cancelled ones dimmed.
fn values(f: &mut Frame, area: Rect, d: &Snapshot, open: &IndicatorValues, lang: Lang) {
    let r = centered(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    f.render_widget(Clear, r);
    let info = d.indicators.iter().find(|i| i.id == open.id);
    let title = match info {
        Some(i) => format!(" {} — {} ", i.id, i.title),
        None => format!(" {} ", open.id),
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::Yellow))
        .title(clip(&title, usize::from(r.width.saturating_sub(2))));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let keys = text::indicator_values_keys(lang);
    let keys_h = crate::ui::view::lines_needed(keys, inner.width).min(inner.height);
    let [list, foot] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(keys_h)]).areas(inner);
    f.render_widget(Paragraph::new(keys.dim()).wrap(Wrap { trim: true }), foot);
    let Some(values) = &open.values else {
        f.render_widget(Paragraph::new(text::loading(lang).dim()), list);
        return;
    };
    if values.is_empty() {
        f.render_widget(Paragraph::new(crate::strings::nothing_recorded(lang)), list);
        return;
    }
    let unit = info.and_then(|i| i.unit.clone()).filter(|u| !u.is_empty());
    let height = usize::from(list.height.max(1));
    let offset = (open.selected + 1).saturating_sub(height);
    let width = usize::from(list.width);
    let lines: Vec<Line> = values
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(k, v)| {
            let mut what = value(lang, v.value);
            if let Some(u) = &unit {
                what.push('\u{a0}');
                what.push_str(u);
            }
            // The number, the day and the value first, then whether it is cancelled (never cut
            // off), who recorded it and when, and its note.
            let mut line = format!(
                "{:<6} {}  {what}",
                crate::strings::entry_no(lang, v.entry),
                crate::strings::day(lang, &v.date)
            );
            if v.cancelled {
                line.push_str(word(lang, " · annulée", " · cancelled"));
            }
            line.push_str(&format!(
                " — {}, {}",
                v.actor,
                crate::strings::when(lang, &v.at)
            ));
            if let Some(note) = v.note.as_deref().filter(|n| !n.trim().is_empty()) {
                line.push_str("  ");
                line.push_str(&crate::strings::quoted(lang, note.trim()));
            }
            let line = Line::from(clip(&line, width));
            match (k == open.selected, v.cancelled) {
                (true, _) => line.reversed(),
                (false, true) => line.dim(),
                (false, false) => line,
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), list);
}
