//! Screen 5, the funding: planned, secured, pledged and spent, by priority and by funder.
//!
//! Column widths come from the amounts shown: whole when the terminal holds them, else every
//! amount of the table abbreviated (`1,52 Md`), never cut.

use super::widgets::{abbreviated, bar, clip, fit, right, widest};
use crate::ui::state::Figures;
use crate::ui::text::word;
use cnrm_engine::records::{Money, Snapshot};
use cnrm_engine::text::group_thousands;
use cnrm_engine::Lang;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};
use ratatui::Frame;

/// A table of a label column, amount columns and, when `share` has room, a last column.
struct MoneyTable<'a> {
    title: String,
    headers: Vec<&'a str>,
    /// Per row: its label, its amounts, a share in 0-1 (shown as a bar and a percentage), its style.
    rows: Vec<(String, Vec<f64>, Option<f64>, Style)>,
    /// The label column is a name (cut with `…` when needed) rather than an id (never cut).
    label_flexible: bool,
}

impl MoneyTable<'_> {
    fn draw(self, f: &mut Frame, area: Rect, lang: Lang) {
        let block = Block::new().borders(Borders::ALL).title(self.title.clone());
        let inner = block.inner(area);
        f.render_widget(block, area);
        let n = self.headers.len() - 1;
        let has_share = self.rows.iter().any(|r| r.2.is_some());
        let share_header = if has_share { self.headers[n] } else { "" };
        let amount_headers = &self.headers[1..if has_share { n } else { n + 1 }];
        let label_w = widest(self.headers[0], self.rows.iter().map(|r| r.0.as_str()));
        let texts = |abbreviate: bool| -> Vec<Vec<String>> {
            self.rows
                .iter()
                .map(|r| {
                    r.1.iter()
                        .map(|v| {
                            if abbreviate {
                                abbreviated(lang, *v)
                            } else {
                                group_thousands(*v)
                            }
                        })
                        .collect()
                })
                .collect()
        };
        let widths_of = |cells: &[Vec<String>]| -> Vec<u16> {
            amount_headers
                .iter()
                .enumerate()
                .map(|(c, h)| widest(h, cells.iter().map(|r| r[c].as_str())))
                .collect()
        };
        // The label takes its width (an id) or at least 12 (a name, cut when needed).
        let label_min = if self.label_flexible {
            label_w.min(12)
        } else {
            label_w
        };
        let share_full = 8 + 1 + 5;
        let share_min = if has_share { 5 } else { 0 };
        let try_fit = |amount_w: &[u16], share: u16| {
            let mut fixed = vec![label_min];
            fixed.extend_from_slice(amount_w);
            fit(inner.width, &fixed, share)
        };
        let mut cells = texts(false);
        let mut amount_w = widths_of(&cells);
        if try_fit(&amount_w, share_min).is_none() {
            cells = texts(true);
            amount_w = widths_of(&cells);
        }
        let rest = try_fit(&amount_w, share_min).unwrap_or(share_min);
        // What is left goes to the share column (a bar when it has room), then to the label.
        let (share_w, label) = if has_share {
            let share_w = rest.min(share_full);
            (share_w, label_min + (rest - share_w))
        } else {
            (0, label_min + rest)
        };
        let label = if self.label_flexible {
            label.min(label_w.max(label_min))
        } else {
            label
        };
        let mut widths = vec![Constraint::Length(label)];
        widths.extend(amount_w.iter().map(|w| Constraint::Length(*w)));
        if has_share {
            widths.push(Constraint::Min(share_w));
        }
        let mut header: Vec<Cell> = vec![Cell::from(self.headers[0])];
        header.extend(
            amount_headers
                .iter()
                .zip(&amount_w)
                .map(|(h, w)| right(format!("{h:>w$}", w = *w as usize))),
        );
        if has_share {
            header.push(Cell::from(share_header));
        }
        let rows: Vec<Row> = self
            .rows
            .iter()
            .zip(cells)
            .map(|((name, _, share, style), amounts)| {
                let mut row = vec![Cell::from(clip(name, label as usize))];
                row.extend(amounts.into_iter().map(right));
                if let Some(s) = share {
                    let pct = format!("{:.0}\u{a0}%", s * 100.0);
                    let text = if share_w as usize >= 8 + 1 + pct.chars().count() {
                        format!("{} {pct}", bar(*s, 8))
                    } else {
                        pct
                    };
                    row.push(Cell::from(text));
                }
                Row::new(row).style(*style)
            })
            .collect();
        f.render_widget(
            Table::new(rows, widths)
                .header(Row::new(header).style(Style::new().bold()))
                .column_spacing(1),
            inner,
        );
    }
}

pub fn draw(f: &mut Frame, area: Rect, d: &Snapshot, fig: &Figures, lang: Lang) {
    let dash = &fig.dashboard;
    // The priorities' table takes its rows (and the total), the funders the rest.
    let top_h = (dash.priorities.len() as u16 + 4).min(area.height.saturating_sub(5).max(3));
    let [top, bottom] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Min(3)]).areas(area);
    let secured = |m: &Money| (m.planned > 0.0).then(|| m.secured / m.planned);
    let line = |label: String, m: &Money, style: Style| {
        (
            label,
            vec![m.planned, m.secured, m.pledged, m.needed, m.spent],
            secured(m).or(Some(0.0)),
            style,
        )
    };
    let mut rows: Vec<_> = dash
        .priorities
        .iter()
        .map(|p| line(p.id.clone(), &p.money, Style::new()))
        .collect();
    rows.push(line(
        word(lang, "Total", "Total").to_string(),
        &dash.total.money,
        Style::new().bold(),
    ));
    let unit = cnrm_engine::text::unit(&d.currency);
    MoneyTable {
        title: format!(
            " {} ({unit}) ",
            word(lang, "Financement par priorité", "Funding by priority")
        ),
        headers: vec![
            word(lang, "Priorité", "Priority"),
            word(lang, "Prévu", "Planned"),
            word(lang, "Acquis", "Secured"),
            word(lang, "Promis", "Pledged"),
            word(lang, "À chercher", "Gap"),
            word(lang, "Dépensé", "Spent"),
            word(lang, "Acquis %", "Secured %"),
        ],
        rows,
        label_flexible: false,
    }
    .draw(f, top, lang);
    let rows = fig
        .funders
        .iter()
        .map(|fu| {
            let (name, style) = if fu.funder.is_empty() {
                (
                    word(lang, "à rechercher", "to be found").to_string(),
                    Style::new().fg(Color::Red),
                )
            } else {
                let name = d
                    .owners
                    .iter()
                    .find(|o| o.id == fu.funder)
                    .map(|o| o.name.clone())
                    .unwrap_or(fu.funder.clone());
                (name, Style::new())
            };
            (name, vec![fu.planned, fu.secured, fu.pledged], None, style)
        })
        .collect();
    MoneyTable {
        title: format!(" {} ({unit}) ", word(lang, "Par bailleur", "By funder")),
        headers: vec![
            word(lang, "Bailleur", "Funder"),
            word(lang, "Total", "Total"),
            word(lang, "Acquis", "Secured"),
            word(lang, "Promis", "Pledged"),
        ],
        rows,
        label_flexible: true,
    }
    .draw(f, bottom, lang);
}
