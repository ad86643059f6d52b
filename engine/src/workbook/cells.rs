//! A workbook's sheets as sparse cells, read within stated bounds.
//!
//! A spreadsheet file is small for what it can claim: one cell at `XFD1048576`, a row repeated a
//! million times, a row number of eleven digits, a gigabyte of text compressed into a megabyte.
//! Nothing here allocates by such a claim: the zip's parts are measured (by decompressing them
//! into nothing) before any is read, only the cells that hold something are kept, each checked
//! against the limits below as it is met, and a workbook over a limit is refused in one sentence
//! that names the sheet and the limit ([`Refusal`]), before its memory grows.
//!
//! `.xlsx` sheets are streamed by calamine's cell reader (no dense range); `.ods` sheets by the
//! reader in this module (calamine expands repeated rows and columns densely).

use super::read::Refusal;
use calamine::{DataRef, Xlsx};
use chrono::NaiveDate;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufRead, BufReader, Cursor, Read};

/// The last row a plan sheet may fill.
pub const MAX_ROWS: u32 = 100_000;
/// The last column a plan sheet may fill (`GR`).
pub const MAX_COLUMNS: u32 = 200;
/// The longest text of one cell, in characters (Excel's own limit).
pub const MAX_CELL_CHARS: usize = 32_767;
/// Filled cells in a whole workbook.
pub const MAX_CELLS: usize = 500_000;
/// The workbook's XML parts together, uncompressed, in bytes (100 MiB).
pub const MAX_XML_BYTES: u64 = 100 * 1024 * 1024;
/// Parts (files) in the workbook's zip.
pub const MAX_PARTS: usize = 10_000;

/// What a cell holds, as the file typed it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Got {
    Text(String),
    Number(f64),
    /// A date cell.
    Date(NaiveDate),
    /// A date cell whose value is no day a spreadsheet can show (`1e308`), as written.
    BadDate(String),
    Bool(bool),
    /// A formula error (`#DIV/0!`).
    Error(String),
    /// Nothing (a formula without a computed value, when `formula` is set).
    Empty,
}

/// One filled cell; rows and columns count from 1.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    pub row: u32,
    pub col: u32,
    pub got: Got,
    /// The formula, without its `=`, when the cell has one.
    pub formula: Option<String>,
}

/// A merged range, rows and columns from 1, bounds included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Merge {
    pub r0: u32,
    pub c0: u32,
    pub r1: u32,
    pub c1: u32,
}

/// A sheet's filled cells in reading order (rows down, then columns right), its merged ranges
/// and its hidden rows.
#[derive(Debug, Default)]
pub(crate) struct SheetCells {
    pub cells: Vec<Cell>,
    pub merged: Vec<Merge>,
    pub hidden: Vec<u32>,
}

/// Filled cells a workbook may hold for its size: one per [`XML_BYTES_PER_CELL`] bytes of its
/// XML, at least [`MIN_CELLS`], at most [`MAX_CELLS`]. A real cell takes 40 to 60 bytes of XML;
/// a cell in memory (its text, its place, its node) about 300 bytes: so memory stays within ten
/// times the XML even when a row repeated by `.ods` claims many cells in few bytes.
pub const XML_BYTES_PER_CELL: u64 = 32;
/// The cells any workbook may fill, however small its XML.
pub const MIN_CELLS: usize = 10_000;

/// The limits met so far in one workbook: every filled cell passes [`Budget::admit`].
pub(crate) struct Budget {
    cells: usize,
    limit: usize,
}

impl Budget {
    /// The budget of a workbook whose XML is `xml_bytes` long, uncompressed.
    pub(crate) fn new(xml_bytes: u64) -> Budget {
        let by_size = usize::try_from(xml_bytes / XML_BYTES_PER_CELL).unwrap_or(MAX_CELLS);
        Budget {
            cells: 0,
            limit: by_size.clamp(MIN_CELLS, MAX_CELLS),
        }
    }

    /// Admits `count` filled cells at (`row`, `col`) in `sheet`, or refuses the workbook.
    fn admit(&mut self, sheet: &str, row: u64, col: u64, count: u64) -> Result<(), Refusal> {
        let cell = || format!("{}{row}", crate::plan::diag::column_letters(clamp(col)));
        if row > u64::from(MAX_ROWS) {
            return Err(Refusal::TooManyRows {
                sheet: sheet.to_string(),
                cell: cell(),
            });
        }
        if col > u64::from(MAX_COLUMNS) {
            return Err(Refusal::TooManyColumns {
                sheet: sheet.to_string(),
                cell: cell(),
            });
        }
        self.cells = self
            .cells
            .saturating_add(count.min(u64::from(u32::MAX)) as usize);
        if self.cells > self.limit {
            return Err(Refusal::TooManyCells {
                sheet: sheet.to_string(),
                limit: self.limit,
            });
        }
        Ok(())
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn text_fits(sheet: &str, row: u64, col: u64, text: &str) -> Result<(), Refusal> {
    // Bytes first: a text is at least as many bytes as characters.
    if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
        return Err(Refusal::CellTooLong {
            sheet: sheet.to_string(),
            cell: format!("{}{row}", crate::plan::diag::column_letters(clamp(col))),
        });
    }
    Ok(())
}

/// Measures the zip before anything reads it: not too many parts, and the XML parts (the ones
/// a reader opens) at most [`MAX_XML_BYTES`] together, counted by decompressing them into
/// nothing, since a zip's declared sizes may lie.
pub(crate) fn measure(bytes: &[u8]) -> Result<u64, Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::Damaged)?;
    if zip.len() > MAX_PARTS {
        return Err(Refusal::TooBig);
    }
    let mut declared: u64 = 0;
    let mut xml = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|_| Refusal::Damaged)?;
        let name = f.name().map_err(|_| Refusal::Damaged)?.to_ascii_lowercase();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            declared = declared.saturating_add(f.size());
            xml.push(i);
        }
    }
    if declared > MAX_XML_BYTES {
        return Err(Refusal::TooBig);
    }
    let mut left = MAX_XML_BYTES;
    for i in xml {
        let f = zip.by_index(i).map_err(|_| Refusal::Damaged)?;
        let got = std::io::copy(&mut f.take(left + 1), &mut std::io::sink())
            .map_err(|_| Refusal::Damaged)?;
        if got > left {
            return Err(Refusal::TooBig);
        }
        left -= got;
    }
    Ok(MAX_XML_BYTES - left)
}

/// calamine reserves room for as many shared strings as the file claims: a claim the part's size
/// cannot hold (each string takes at least `<si></si>`) is a forged file.
pub(crate) fn shared_strings_claim_fits(bytes: &[u8]) -> Result<(), Refusal> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Err(Refusal::Damaged);
    };
    let Ok(f) = zip.by_name("xl/sharedStrings.xml") else {
        return Ok(());
    };
    let size = f.size();
    let mut reader = xml_reader(BufReader::new(f));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                let claim = attr(&e, "uniqueCount")
                    .map(|c| c.trim().parse::<u64>().ok())
                    .unwrap_or(Some(0));
                return match claim {
                    Some(n) if n <= size / 9 + 1 => Ok(()),
                    _ => Err(Refusal::Damaged),
                };
            }
            Ok(Event::Eof) | Err(_) => return Err(Refusal::Damaged),
            _ => {}
        }
        if buf.capacity() > 1 << 20 {
            return Err(Refusal::Damaged);
        }
    }
}

fn xml_reader<R: BufRead>(r: R) -> quick_xml::Reader<R> {
    let mut reader = quick_xml::Reader::from_reader(r);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    reader
}

/// An attribute's value, unescaped.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

// ---- .xlsx -------------------------------------------------------------------------------------

/// One `.xlsx` sheet's filled cells, streamed (no dense range), with its merged ranges.
pub(crate) fn xlsx_sheet<RS: Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
    budget: &mut Budget,
) -> Result<SheetCells, Refusal> {
    let mut out = SheetCells::default();
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(r) => r,
        // A chart sheet holds no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(out),
        Err(_) => return Err(Refusal::Damaged),
    };
    while let Some(c) = reader
        .next_cell_with_formula()
        .map_err(|_| Refusal::Damaged)?
    {
        let formula = c.formula.filter(|f| !f.trim().is_empty());
        let got = xlsx_got(&c.value);
        if got == Got::Empty && formula.is_none() {
            continue;
        }
        let (row, col) = (u64::from(c.pos.0) + 1, u64::from(c.pos.1) + 1);
        budget.admit(name, row, col, 1)?;
        if let Got::Text(t) = &got {
            text_fits(name, row, col, t)?;
        }
        out.cells.push(Cell {
            row: row as u32,
            col: col as u32,
            got,
            formula,
        });
    }
    drop(reader);
    // Cells come in the file's order, which is the sheet's for every known writer.
    out.cells.sort_by_key(|c| (c.row, c.col));
    out.merged = book
        .merge_cells_by_sheet_name(name)
        .unwrap_or_default()
        .iter()
        .map(|d| Merge {
            r0: d.start.0.saturating_add(1),
            c0: d.start.1.saturating_add(1),
            r1: d.end.0.saturating_add(1),
            c1: d.end.1.saturating_add(1),
        })
        .collect();
    Ok(out)
}

fn xlsx_got(v: &DataRef) -> Got {
    match v {
        DataRef::Empty => Got::Empty,
        DataRef::String(s) if s.trim().is_empty() => Got::Empty,
        DataRef::SharedString(s) if s.trim().is_empty() => Got::Empty,
        DataRef::String(s) => Got::Text(s.clone()),
        DataRef::SharedString(s) => Got::Text(s.to_string()),
        DataRef::Int(i) => Got::Number(*i as f64),
        DataRef::Float(f) => Got::Number(*f),
        DataRef::Bool(b) => Got::Bool(*b),
        DataRef::DateTime(d) if d.is_duration() => Got::Number(d.as_f64()),
        DataRef::DateTime(d) => {
            let serial = d.as_f64();
            // 1 is 1900-01-01, 2958465 is 9999-12-31: beyond, no day (and calamine would say
            // 9999-12-31 for any larger number).
            if !(1.0..2_958_466.0).contains(&serial) {
                return Got::BadDate(super::read::number_text(serial));
            }
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            match NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day)) {
                Some(date) => Got::Date(date),
                None => Got::BadDate(super::read::number_text(serial)),
            }
        }
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => Got::Text(s.clone()),
        DataRef::Error(e) => Got::Error(e.to_string()),
    }
}

fn iso_date(s: &str) -> Got {
    let day = s.split('T').next().unwrap_or(s);
    match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        Ok(d) => Got::Date(d),
        Err(_) => Got::BadDate(s.to_string()),
    }
}

/// The rows marked hidden in an `.xlsx` sheet's XML (calamine does not say), streamed; and a
/// cell reference whose row number no spreadsheet has (over 4 billion: calamine's count would
/// wrap to a row that looks real) refused as it is written.
pub(crate) fn xlsx_hidden_rows(bytes: &[u8], path: &str, sheet: &str) -> Result<Vec<u32>, Refusal> {
    let mut out = Vec::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(out);
    };
    let Ok(f) = zip.by_name(path) else {
        return Ok(out);
    };
    let mut reader = xml_reader(BufReader::new(f));
    let mut buf = Vec::new();
    let too_far = |r: &str| {
        let digits = r.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        !digits.is_empty() && digits.parse::<u32>().is_err()
    };
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                let hidden = attr(&e, "hidden").is_some_and(|h| h == "1" || h == "true");
                if let (true, Some(r)) = (hidden, attr(&e, "r").and_then(|r| r.parse().ok())) {
                    if out.len() < MAX_ROWS as usize {
                        out.push(r);
                    }
                }
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "c" => {
                if let Some(r) = attr(&e, "r").filter(|r| too_far(r)) {
                    return Err(Refusal::TooManyRows {
                        sheet: sheet.to_string(),
                        cell: r.chars().take(24).collect(),
                    });
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "sheetData" => break,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    Ok(out)
}

// ---- .ods --------------------------------------------------------------------------------------

/// Every sheet of an `.ods` workbook (its `content.xml`), by name, as sparse cells. Repeated rows
/// and columns are expanded only where they hold something, and only within the limits.
pub(crate) fn ods_sheets(
    bytes: &[u8],
    budget: Budget,
) -> Result<Vec<(String, SheetCells)>, Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::Damaged)?;
    let f = zip.by_name("content.xml").map_err(|_| Refusal::Damaged)?;
    let mut ods = Ods {
        reader: xml_reader(BufReader::new(f)),
        buf: Vec::new(),
        budget,
        sheets: Vec::new(),
    };
    ods.document()?;
    Ok(ods.sheets)
}

struct Ods<R: BufRead> {
    reader: quick_xml::Reader<R>,
    buf: Vec<u8>,
    budget: Budget,
    sheets: Vec<(String, SheetCells)>,
}

/// A cell as read, before it is repeated.
struct OdsCell {
    got: Got,
    formula: Option<String>,
    repeat: u64,
    rows_spanned: u64,
    cols_spanned: u64,
}

/// The position inside a sheet.
struct At {
    row: u64,
    col: u64,
}

enum Tag {
    Table(String),
    Row { repeat: u64, hidden: bool },
    Cell(OdsCell),
    EndTable,
    EndRow,
    Other,
    Eof,
}

fn count(e: &BytesStart, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

impl<R: BufRead> Ods<R> {
    fn next(&mut self) -> Result<(Tag, bool), Refusal> {
        self.buf.clear();
        let event = self
            .reader
            .read_event_into(&mut self.buf)
            .map_err(|_| Refusal::Damaged)?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                return Ok((
                    match e.name().as_ref() {
                        "table:table" => Tag::EndTable,
                        "table:table-row" => Tag::EndRow,
                        _ => Tag::Other,
                    },
                    false,
                ))
            }
            Event::Eof => return Ok((Tag::Eof, true)),
            _ => return Ok((Tag::Other, true)),
        };
        let tag = match e.name().as_ref() {
            "table:table" => Tag::Table(attr(&e, "table:name").unwrap_or_default()),
            "table:table-row" => Tag::Row {
                repeat: count(&e, "table:number-rows-repeated"),
                hidden: attr(&e, "table:visibility").is_some_and(|v| v != "visible"),
            },
            "table:table-cell" | "table:covered-table-cell" => Tag::Cell(ods_cell_head(&e)),
            _ => Tag::Other,
        };
        Ok((tag, empty))
    }

    fn document(&mut self) -> Result<(), Refusal> {
        loop {
            match self.next()? {
                (Tag::Table(name), false) => {
                    let cells = self.table(&name)?;
                    self.sheets.push((name, cells));
                }
                (Tag::Table(name), true) => self.sheets.push((name, SheetCells::default())),
                (Tag::Eof, _) => return Ok(()),
                _ => {}
            }
        }
    }

    fn table(&mut self, name: &str) -> Result<SheetCells, Refusal> {
        let mut out = SheetCells::default();
        let mut row: u64 = 1;
        loop {
            match self.next()? {
                (Tag::Row { repeat, hidden }, empty) => {
                    let cells = if empty {
                        Vec::new()
                    } else {
                        self.row(name, row)?
                    };
                    self.place(name, &mut out, row, repeat, cells)?;
                    if hidden && out.hidden.len() < MAX_ROWS as usize && row <= u64::from(MAX_ROWS)
                    {
                        out.hidden.push(row as u32);
                    }
                    row = row.saturating_add(repeat);
                }
                (Tag::EndTable, _) => return Ok(out),
                (Tag::Eof, _) => return Err(Refusal::Damaged),
                _ => {}
            }
        }
    }

    /// Puts a row's filled cells on each of the rows it repeats on, within the limits.
    fn place(
        &mut self,
        name: &str,
        out: &mut SheetCells,
        row: u64,
        repeat: u64,
        cells: Vec<(u64, OdsCell)>,
    ) -> Result<(), Refusal> {
        if cells.is_empty() {
            return Ok(());
        }
        let last_row = row.saturating_add(repeat - 1);
        for (col, c) in &cells {
            let last_col = col.saturating_add(c.repeat - 1);
            let n = repeat.saturating_mul(c.repeat);
            self.budget.admit(name, last_row, last_col, n)?;
            if c.rows_spanned > 1 || c.cols_spanned > 1 {
                out.merged.push(Merge {
                    r0: row as u32,
                    c0: *col as u32,
                    r1: clamp(row.saturating_add(c.rows_spanned - 1)),
                    c1: clamp(col.saturating_add(c.cols_spanned - 1)),
                });
            }
        }
        for r in row..=last_row {
            for (col, c) in &cells {
                for k in 0..c.repeat {
                    out.cells.push(Cell {
                        row: r as u32,
                        col: (col + k) as u32,
                        got: c.got.clone(),
                        formula: c.formula.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// A row's filled cells with their columns.
    fn row(&mut self, name: &str, row: u64) -> Result<Vec<(u64, OdsCell)>, Refusal> {
        let mut cells = Vec::new();
        let mut at = At { row, col: 1 };
        loop {
            match self.next()? {
                (Tag::Cell(mut c), empty) => {
                    if !empty {
                        self.cell_text(name, &at, &mut c)?;
                    }
                    let repeat = c.repeat;
                    if c.got != Got::Empty || c.formula.is_some() {
                        cells.push((at.col, c));
                    }
                    at.col = at.col.saturating_add(repeat);
                }
                (Tag::EndRow, _) => return Ok(cells),
                (Tag::Eof, _) => return Err(Refusal::Damaged),
                _ => {}
            }
        }
    }

    /// A cell's paragraphs, for a text cell; other cells' text (a number as shown) is skipped.
    fn cell_text(&mut self, name: &str, at: &At, c: &mut OdsCell) -> Result<(), Refusal> {
        let mut text = String::new();
        let mut paragraphs = 0;
        let mut depth = 1u32;
        let mut in_note = 0u32;
        loop {
            self.buf.clear();
            let event = self
                .reader
                .read_event_into(&mut self.buf)
                .map_err(|_| Refusal::Damaged)?;
            match event {
                Event::Start(e) => {
                    depth += 1;
                    match e.name().as_ref() {
                        "office:annotation" => in_note += 1,
                        "text:p" if in_note == 0 => {
                            if paragraphs > 0 {
                                text.push('\n');
                            }
                            paragraphs += 1;
                        }
                        _ => {}
                    }
                }
                Event::Empty(e) if in_note == 0 => match e.name().as_ref() {
                    "text:s" => {
                        let n = count(&e, "text:c").min(MAX_CELL_CHARS as u64 + 1);
                        text.extend(std::iter::repeat_n(' ', n as usize));
                    }
                    "text:tab" => text.push('\t'),
                    "text:line-break" => text.push('\n'),
                    "text:p" => {
                        if paragraphs > 0 {
                            text.push('\n');
                        }
                        paragraphs += 1;
                    }
                    _ => {}
                },
                Event::End(e) => {
                    depth -= 1;
                    if e.name().as_ref() == "office:annotation" {
                        in_note = in_note.saturating_sub(1);
                    }
                    if depth == 0 {
                        break;
                    }
                }
                Event::Text(t) if in_note == 0 => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) if in_note == 0 => match &*r {
                    "lt" => text.push('<'),
                    "gt" => text.push('>'),
                    "amp" => text.push('&'),
                    "apos" => text.push('\''),
                    "quot" => text.push('"'),
                    _ => {
                        if let Ok(Some(ch)) = r.resolve_char_ref() {
                            text.push(ch);
                        }
                    }
                },
                Event::Eof => return Err(Refusal::Damaged),
                _ => {}
            }
            text_fits(name, at.row, at.col, &text)?;
        }
        if c.got == Got::Empty && c.formula.is_none() && !text.trim().is_empty() {
            // A cell without a value type but with text (older writers).
            c.got = Got::Text(text);
        } else if let Got::Text(t) = &mut c.got {
            if t.is_empty() {
                *t = text;
            }
        }
        if matches!(&c.got, Got::Text(t) if t.trim().is_empty()) {
            c.got = Got::Empty;
        }
        Ok(())
    }
}

/// A cell's attributes: its value (but for text, in its paragraphs), formula, repeat and span.
fn ods_cell_head(e: &BytesStart) -> OdsCell {
    let number = |name: &str| attr(e, name).and_then(|v| v.trim().parse::<f64>().ok());
    let got = match attr(e, "office:value-type").as_deref() {
        Some("float" | "percentage" | "currency") => {
            number("office:value").map_or(Got::Empty, Got::Number)
        }
        Some("date") => attr(e, "office:date-value").map_or(Got::Empty, |d| iso_date(&d)),
        Some("boolean") => Got::Bool(attr(e, "office:boolean-value").as_deref() == Some("true")),
        Some("time") => attr(e, "office:time-value").map_or(Got::Empty, Got::Text),
        Some("string") => Got::Text(attr(e, "office:string-value").unwrap_or_default()),
        _ => Got::Empty,
    };
    let formula = attr(e, "table:formula").map(|f| {
        let f = f.strip_prefix("of:").unwrap_or(&f);
        f.strip_prefix('=').unwrap_or(f).to_string()
    });
    OdsCell {
        got,
        formula: formula.filter(|f| !f.trim().is_empty()),
        repeat: count(e, "table:number-columns-repeated"),
        rows_spanned: count(e, "table:number-rows-spanned"),
        cols_spanned: count(e, "table:number-columns-spanned"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn ods(rows: &str) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("content.xml", o).expect("part");
        let xml = format!(
            r#"<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table table:name="Feuille &amp; 1">{rows}</table:table><table:table table:name="Vide"/></office:spreadsheet></office:body></office:document-content>"#
        );
        z.write_all(xml.as_bytes()).expect("write");
        z.finish().expect("zip").into_inner()
    }

    #[test]
    fn ods_cells_are_sparse_typed_and_merged_ranges_kept() {
        let bytes = ods(concat!(
            r#"<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="9"/></table:table-row>"#,
            r#"<table:table-row><table:table-cell table:number-rows-spanned="2" office:value-type="string"><text:p>a &lt;b&gt;<text:s text:c="2"/>c</text:p><text:p/><text:p>d</text:p></table:table-cell>"#,
            r#"<table:table-cell office:value-type="float" office:value="12.5"><text:p>12,5</text:p></table:table-cell>"#,
            r#"<table:table-cell office:value-type="date" office:date-value="2025-12-01"/>"#,
            r#"<table:table-cell table:formula="of:=1/0"/>"#,
            r#"<table:table-cell><office:annotation><text:p>note</text:p></office:annotation></table:table-cell></table:table-row>"#,
        ));
        let size = measure(&bytes).expect("small");
        let sheets = ods_sheets(&bytes, Budget::new(size)).expect("read");
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].0, "Feuille & 1");
        assert_eq!(sheets[1].0, "Vide");
        let cells = &sheets[0].1.cells;
        let at = |c: u32| {
            cells
                .iter()
                .find(|x| x.row == 4 && x.col == c)
                .map(|x| &x.got)
        };
        assert_eq!(at(1), Some(&Got::Text("a <b>  c\n\nd".into())));
        assert_eq!(at(2), Some(&Got::Number(12.5)));
        assert_eq!(
            at(3),
            Some(&Got::Date(
                NaiveDate::from_ymd_opt(2025, 12, 1).expect("day")
            ))
        );
        assert_eq!(at(4), Some(&Got::Empty));
        assert_eq!(cells.len(), 4, "{cells:?}");
        assert_eq!(
            sheets[0].1.merged,
            vec![Merge {
                r0: 4,
                c0: 1,
                r1: 5,
                c1: 1
            }]
        );
    }

    #[test]
    fn a_zip_whose_xml_inflates_past_the_limit_is_refused_before_it_is_read() {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        z.start_file("content.xml", o).expect("part");
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..=(MAX_XML_BYTES >> 20) {
            z.write_all(&chunk).expect("write");
        }
        let bytes = z.finish().expect("zip").into_inner();
        assert_eq!(measure(&bytes), Err(Refusal::TooBig));
        // Cells a small file may claim: a floor, then in proportion to its XML.
        assert_eq!(Budget::new(100).limit, MIN_CELLS);
        assert_eq!(Budget::new(3_200_000).limit, 100_000);
        assert_eq!(Budget::new(MAX_XML_BYTES).limit, MAX_CELLS);
    }
}
