//! How cnrm writes a table into a worksheet: typed cells (numbers as numbers, dates as dates,
//! rates as percentages), a bold header row that stays frozen and filterable, and column widths
//! that fit what the columns hold. The report, the task list and the template all go through
//! here, so every workbook cnrm writes reads and sorts the same way.

use crate::lang::Lang;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet};

/// A worksheet's row or column index, as `rust_xlsxwriter` numbers them.
pub(crate) type Row = u32;
pub(crate) type Col = u16;

/// The longest text a cell holds (Excel's limit).
const CELL_MAX: usize = 32_767;
/// Column widths, in characters: narrow columns stay readable, long titles wrap instead of
/// pushing the next columns off the screen.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// One cell of a table, by what it holds.
pub(crate) enum Value {
    Text(String),
    /// A whole number (counts, days, revisions).
    Int(i64),
    /// A decimal number as measured (indicator values).
    Number(f64),
    /// An amount in the plan currency, shown grouped by thousands, rounded to the unit.
    Amount(f64),
    /// A rate in percent (0 to 100, as the report model computes it), written as the fraction
    /// a spreadsheet's percent format shows: 25 is the cell 0.25 shown `25.0 %`.
    Percent(f64),
    /// A day, as a date cell.
    Date(NaiveDate),
    Bool(bool),
    Empty,
}

impl Value {
    pub(crate) fn text(s: impl AsRef<str>) -> Value {
        Value::Text(s.as_ref().to_string())
    }

    /// A stored day (`2025-09-30`) as a date cell; any other text (a label, an empty deadline) as
    /// text, and nothing as an empty cell.
    pub(crate) fn day(s: Option<&str>) -> Value {
        match s {
            None | Some("") => Value::Empty,
            Some(s) => match crate::records::parse_day(s) {
                Some(d) => Value::Date(d),
                None => Value::text(s),
            },
        }
    }

    pub(crate) fn opt_number(x: Option<f64>) -> Value {
        x.map(Value::Number).unwrap_or(Value::Empty)
    }

    pub(crate) fn opt_percent(x: Option<f64>) -> Value {
        x.map(Value::Percent).unwrap_or(Value::Empty)
    }

    /// How many characters the cell shows, for its column's width.
    fn width(&self) -> usize {
        match self {
            Value::Text(s) => s.lines().map(|l| l.chars().count()).max().unwrap_or(0),
            Value::Int(n) => n.to_string().len(),
            Value::Number(x) => format!("{x}").len(),
            Value::Amount(x) => crate::text::group_thousands(*x).len(),
            Value::Percent(_) => 7,
            Value::Date(_) => 10,
            Value::Bool(_) => 5,
            Value::Empty => 0,
        }
    }
}

/// The formats of one workbook (a `Format` is copied into each cell that uses it).
pub(crate) struct Styles {
    pub head: Format,
    pub text: Format,
    pub int: Format,
    pub number: Format,
    pub amount: Format,
    pub percent: Format,
    pub date: Format,
}

impl Styles {
    pub(crate) fn new(lang: Lang) -> Styles {
        Styles {
            head: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xD9E2F3))
                .set_border_bottom(FormatBorder::Thin),
            text: Format::new().set_align(FormatAlign::Top),
            int: Format::new()
                .set_num_format("0")
                .set_align(FormatAlign::Top),
            number: Format::new()
                .set_num_format("General")
                .set_align(FormatAlign::Top),
            amount: Format::new()
                .set_num_format("#,##0")
                .set_align(FormatAlign::Top),
            percent: Format::new()
                .set_num_format("0.0%")
                .set_align(FormatAlign::Top),
            date: Format::new()
                .set_num_format(match lang {
                    Lang::Fr => "dd/mm/yyyy",
                    Lang::En => "yyyy-mm-dd",
                })
                .set_align(FormatAlign::Top),
        }
    }
}

/// A day as Excel stores it; `None` outside the years a spreadsheet's dates cover (1900-9999).
pub(crate) fn excel_day(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok().filter(|y| *y >= 1900)?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

/// Text for a cell: control characters but line feeds and tabs as spaces (XML cannot hold
/// them, and a spreadsheet would show them as codes), cut at a cell's limit.
pub(crate) fn cell_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .take(CELL_MAX)
        .collect()
}

/// Writes one cell.
pub(crate) fn write(
    ws: &mut Worksheet,
    st: &Styles,
    row: Row,
    col: Col,
    value: &Value,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match value {
        Value::Text(s) => ws.write_string_with_format(row, col, cell_text(s), &st.text)?,
        Value::Int(n) => ws.write_number_with_format(row, col, *n as f64, &st.int)?,
        Value::Number(x) => ws.write_number_with_format(row, col, *x, &st.number)?,
        Value::Amount(x) => ws.write_number_with_format(row, col, x.round(), &st.amount)?,
        Value::Percent(p) => ws.write_number_with_format(row, col, p / 100.0, &st.percent)?,
        Value::Date(d) => match excel_day(*d) {
            Some(x) => ws.write_datetime_with_format(row, col, x, &st.date)?,
            None => ws.write_string_with_format(row, col, d.to_string(), &st.text)?,
        },
        Value::Bool(b) => ws.write_boolean_with_format(row, col, *b, &st.text)?,
        Value::Empty => ws,
    };
    Ok(())
}

/// A table from the sheet's first row: the header row (bold, frozen, with filter buttons), one
/// row per item, widths that fit. Returns the number of rows written, the header included.
pub(crate) fn table(
    ws: &mut Worksheet,
    st: &Styles,
    heads: &[String],
    rows: &[Vec<Value>],
) -> Result<Row, rust_xlsxwriter::XlsxError> {
    let mut widths: Vec<usize> = heads
        .iter()
        // The whole head on one line (a wrapped head would hide under a row height that
        // spreadsheets do not grow for it), plus room for the filter button.
        .map(|h| h.chars().count() + 3)
        .collect();
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as Col, cell_text(h), &st.head)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r =
            Row::try_from(r + 1).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
        for (c, v) in row.iter().enumerate() {
            write(ws, st, r, c as Col, v)?;
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(v.width() + 1);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as Col, (*w).clamp(MIN_WIDTH, MAX_WIDTH) as f64)?;
    }
    let last_col = heads.len().saturating_sub(1) as Col;
    let last_row = Row::try_from(rows.len().max(1))
        .map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row, last_col)?;
    // Printed (or as PDF): landscape, every column on the page's width, the header on each page.
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(last_row + 1)
}

/// A column head in the reader's language.
pub(crate) fn heads(lang: Lang, pairs: &[(&str, &str)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(fr, en)| if lang == Lang::Fr { fr } else { en }.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_drops_controls_and_keeps_lines() {
        assert_eq!(cell_text("a\rb\0c\nd\te\u{1b}"), "a b c\nd\te ");
        assert_eq!(cell_text(&"x".repeat(40_000)).len(), CELL_MAX);
    }

    #[test]
    fn days_a_spreadsheet_cannot_hold_are_none() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("day");
        assert!(excel_day(d(2025, 9, 30)).is_some());
        assert!(excel_day(d(1, 1, 1)).is_none());
        assert!(excel_day(d(1899, 12, 31)).is_none());
    }
}
