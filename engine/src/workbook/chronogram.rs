//! The report workbook's `Chronogramme` sheet (`Timeline` in English): the chronogram model
//! (`crate::chronogram`: months, one bar per task, its phase and milestone) laid out in cells.
//! One row per task, one column per month, the months of each bar filled in the colour of its
//! phase (done, late, under way, upcoming), milestones marked ◆ on their deadline's month, and
//! a legend under the grid. What fills which month is the model's decision, not this module's.

use super::sheet::{self, Col, Row, Styles, Value};
use super::WorkbookError;
use crate::chronogram::{Chronogram, Month, Phase};
use crate::lang::Lang;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet};

/// The fill of a phase's months: green, red, amber, light blue (told apart by their lightness
/// too, when printed in grey).
pub fn color(phase: Phase) -> u32 {
    match phase {
        Phase::Done => 0x70AD47,
        Phase::Late => 0xC00000,
        Phase::UnderWay => 0xFFC000,
        Phase::Upcoming => 0xBDD7EE,
    }
}

/// The month's column, counted from the chart's first month (`None` outside the chart).
fn column_of(months: &[Month], m: Month) -> Option<usize> {
    let first = months.first()?;
    let n = i64::from(m.year - first.year) * 12 + i64::from(m.month) - i64::from(first.month);
    usize::try_from(n).ok().filter(|i| *i < months.len())
}

/// The columns before the months: id, priority, title, start, deadline.
const FIXED: Col = 5;

pub(super) fn sheet(
    ws: &mut Worksheet,
    st: &Styles,
    lang: Lang,
    chart: &Chronogram,
) -> Result<(), WorkbookError> {
    let months = Col::try_from(chart.months.len())
        .ok()
        .filter(|n| u32::from(*n) + u32::from(FIXED) <= 16_384)
        .ok_or(WorkbookError::TooLarge)?;
    // The task columns as a table (frozen head, filter, widths), then the months beside them.
    let heads = sheet::heads(
        lang,
        &[
            ("Tâche", "Task"),
            ("Axe", "Priority"),
            ("Titre", "Title"),
            ("Début", "Start"),
            ("Échéance", "Deadline"),
        ],
    );
    let tasks: Vec<(&str, &crate::chronogram::Row)> = chart
        .groups
        .iter()
        .flat_map(|g| g.rows.iter().map(move |r| (g.priority.as_str(), r)))
        .collect();
    let rows: Vec<Vec<Value>> = tasks
        .iter()
        .map(|(priority, r)| {
            vec![
                Value::text(&r.id),
                Value::text(priority),
                Value::text(&r.title),
                Value::Date(r.start),
                r.deadline
                    .map(Value::Date)
                    .unwrap_or_else(|| Value::text(&r.deadline_label)),
            ]
        })
        .collect();
    let end = sheet::table(ws, st, &heads, &rows)?;
    let month_head = st
        .head
        .clone()
        .set_rotation(90)
        .set_align(FormatAlign::Center);
    // Indexed by the order of `Phase::ALL`.
    let fills = Phase::ALL.map(|p| {
        Format::new()
            .set_background_color(Color::RGB(color(p)))
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Hair)
            .set_border_color(Color::White)
            .set_bold()
    });
    let fill = |p: Phase| {
        let i = Phase::ALL.iter().position(|q| *q == p).unwrap_or(0);
        &fills[i]
    };
    let plain_mark = Format::new().set_bold().set_align(FormatAlign::Center);
    for (i, m) in chart.months.iter().enumerate() {
        let col = FIXED + i as Col;
        ws.write_string_with_format(0, col, m.label(lang), &month_head)?;
        ws.set_column_width(col, 3.6)?;
    }
    for (r, (_, task)) in tasks.iter().enumerate() {
        let row = r as Row + 1;
        let format = fill(task.phase);
        let first = column_of(&chart.months, Month::of(task.start)).unwrap_or(0);
        let last = column_of(&chart.months, Month::of(task.end))
            .unwrap_or(chart.months.len().saturating_sub(1));
        let mark = task
            .deadline
            .filter(|_| task.milestone)
            .and_then(|d| column_of(&chart.months, Month::of(d)));
        for m in first..=last {
            let col = FIXED + m as Col;
            if mark == Some(m) {
                ws.write_string_with_format(row, col, "◆", format)?;
            } else {
                ws.write_blank(row, col, format)?;
            }
        }
        if let Some(m) = mark.filter(|m| !(first..=last).contains(m)) {
            ws.write_string_with_format(row, FIXED + m as Col, "◆", &plain_mark)?;
        }
    }
    ws.set_row_height(0, 48)?;
    ws.set_freeze_panes(1, FIXED)?;
    ws.autofilter(
        0,
        0,
        end.saturating_sub(1).max(1),
        FIXED + months.max(1) - 1,
    )?;
    // The legend, under the grid and outside the filter's range.
    let mut row = end + 1;
    ws.write_string_with_format(row, 0, legend_title(lang), &st.head)?;
    for p in Phase::ALL {
        row += 1;
        ws.write_blank(row, 0, fill(p))?;
        ws.write_string(row, 1, p.label(lang))?;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "◆", &plain_mark)?;
    ws.write_string(
        row,
        1,
        if lang == Lang::Fr {
            "jalon"
        } else {
            "milestone"
        },
    )?;
    ws.set_landscape();
    Ok(())
}

fn legend_title(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Légende",
        Lang::En => "Legend",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_counted_from_the_charts_first() {
        let m = |year, month| Month { year, month };
        let months = [m(2025, 11), m(2025, 12), m(2026, 1)];
        assert_eq!(column_of(&months, m(2025, 11)), Some(0));
        assert_eq!(column_of(&months, m(2026, 1)), Some(2));
        assert_eq!(column_of(&months, m(2025, 10)), None);
        assert_eq!(column_of(&months, m(2026, 2)), None);
    }

    #[test]
    fn every_phase_has_its_own_colour() {
        let mut c: Vec<u32> = Phase::ALL.iter().map(|p| color(*p)).collect();
        c.dedup();
        assert_eq!(c.len(), 4);
    }
}
