//! Reading a plan workbook (`.xlsx`, `.ods`) with `calamine` into the same positioned tree the
//! YAML reader builds, so that one validator (`plan::check_tree`) serves both.
//!
//! Every node's position is its sheet (`Pos::sheet`, 1 = the workbook's first sheet), row
//! (`line`) and column (`col`, 1 = A). What only a workbook can get wrong (a sheet missing, an
//! unknown header, merged header cells, a formula without a value, a label that is no label) is
//! reported here, as located diagnostics handed to the validator with the tree.

use super::cells::{self, Budget, Cell, Got, Merge, SheetCells, MAX_CELLS};
use super::columns::{self, Column, Sheet, SheetKind, Value};
use crate::lang::Lang;
use crate::plan::diag::{column_letters, Code};
use crate::plan::yaml::{Kind, Node, Pos};
use crate::plan::{check_tree, Checked, Found};
use crate::tr;
use calamine::{Reader as _, Xlsx};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read as _};

/// Why bytes are not a workbook that can be read: each is one sentence ([`Refusal::message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a zip (`.xlsx`) or OpenDocument (`.ods`) file at all: a renamed CSV, a text file.
    NotWorkbook,
    /// An encrypted OLE container: Excel's password-protected workbook.
    Encrypted,
    /// An OLE container without encryption: an Excel 97-2003 `.xls` workbook.
    Xls,
    /// A zip that is no readable workbook (damaged, or another kind of archive).
    Damaged,
    /// The workbook's XML, uncompressed, is over [`super::MAX_XML_BYTES`] (or its zip holds
    /// more than [`super::MAX_PARTS`] parts): a zip bomb, or far more than a plan.
    TooBig,
    /// A sheet fills a row beyond [`super::MAX_ROWS`]; `cell` is the first such cell.
    TooManyRows { sheet: String, cell: String },
    /// A sheet fills a column beyond [`super::MAX_COLUMNS`].
    TooManyColumns { sheet: String, cell: String },
    /// The workbook fills more cells than its size allows (`limit`: one per 32 bytes of XML, at
    /// least 10,000, at most [`super::MAX_CELLS`]); `sheet` is where the count ran over.
    TooManyCells { sheet: String, limit: usize },
    /// A cell holds more than [`super::MAX_CELL_CHARS`] characters.
    CellTooLong { sheet: String, cell: String },
}

impl Refusal {
    /// One sentence saying what is wrong with `file` and what to do, in `lang`.
    pub fn message(&self, lang: Lang, file: &str) -> String {
        match self {
            Refusal::NotWorkbook => tr!(
                lang,
                "{file} n'est pas un classeur : enregistrez-le au format .xlsx (Excel) ou .ods (LibreOffice)",
                "{file} is not a workbook: save it as .xlsx (Excel) or .ods (LibreOffice)"
            ),
            Refusal::Encrypted => tr!(
                lang,
                "{file} est protégé par un mot de passe : enregistrez-en une copie sans mot de passe",
                "{file} is password-protected: save a copy without a password"
            ),
            Refusal::Xls => tr!(
                lang,
                "{file} est un classeur Excel 97-2003 (.xls) : enregistrez-le au format .xlsx",
                "{file} is an Excel 97-2003 workbook (.xls): save it as .xlsx"
            ),
            Refusal::Damaged => tr!(
                lang,
                "{file} est un classeur illisible (endommagé ou incomplet) : enregistrez-le à nouveau au format .xlsx",
                "{file} is an unreadable workbook (damaged or incomplete): save it again as .xlsx"
            ),
            Refusal::TooBig => tr!(
                lang,
                "{file} dépasse la taille lue par cnrm (100 Mo de contenu une fois décompressé, {} fichiers internes) : ce n'est pas un plan, ou il faut le découper",
                "{file} is over the size cnrm reads (100 MB of content once uncompressed, {} inner files): it is no plan, or it must be split",
                super::MAX_PARTS
            ),
            Refusal::TooManyRows { sheet, cell } => tr!(
                lang,
                "{file} : la feuille « {sheet} » a une cellule remplie en {cell}, au-delà de la limite de {} lignes : supprimez ce qui dépasse, ou découpez le plan",
                "{file}: sheet “{sheet}” has a filled cell at {cell}, beyond the limit of {} rows: delete what lies beyond, or split the plan",
                thousands(lang, super::MAX_ROWS as usize)
            ),
            Refusal::TooManyColumns { sheet, cell } => tr!(
                lang,
                "{file} : la feuille « {sheet} » a une cellule remplie en {cell}, au-delà de la limite de {} colonnes (jusqu'à {}) : supprimez ce qui dépasse",
                "{file}: sheet “{sheet}” has a filled cell at {cell}, beyond the limit of {} columns (up to {}): delete what lies beyond",
                super::MAX_COLUMNS,
                column_letters(super::MAX_COLUMNS)
            ),
            Refusal::TooManyCells { sheet, limit } => tr!(
                lang,
                "{file} : la feuille « {sheet} » porte le classeur au-delà de la limite de {} cellules remplies (une pour 32 octets de contenu, au plus {}) : supprimez ce qui ne fait pas partie du plan, ou découpez-le",
                "{file}: sheet “{sheet}” takes the workbook beyond the limit of {} filled cells (one per 32 bytes of content, at most {}): delete what is not part of the plan, or split it",
                thousands(lang, *limit),
                thousands(lang, super::MAX_CELLS)
            ),
            Refusal::CellTooLong { sheet, cell } => tr!(
                lang,
                "{file} : la cellule {cell} de la feuille « {sheet} » dépasse la limite de {} caractères d'une cellule : raccourcissez-la",
                "{file}: cell {cell} of sheet “{sheet}” is over a cell's limit of {} characters: shorten it",
                thousands(lang, super::MAX_CELL_CHARS)
            ),
        }
    }
}

/// `100 000` in French, `100,000` in English.
fn thousands(lang: Lang, n: usize) -> String {
    let grouped = crate::text::group_thousands(n as f64);
    match lang {
        Lang::Fr => grouped,
        Lang::En => grouped.replace(' ', ","),
    }
}

/// True when `path` names a workbook (`.xlsx`, `.xlsm`, `.ods`, any case): the commands read it
/// with this module instead of as YAML. `.xls` is a workbook too, refused with its sentence.
pub fn is_workbook_path(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .is_some_and(|e| matches!(e.as_str(), "xlsx" | "xlsm" | "ods" | "xls"))
}

/// A workbook read: the plan tree, the sheets' names (`Pos::sheet` 1 is the first), the problems
/// found while reading, and each non-empty cell's text (shown under its diagnostics).
pub struct Workbook {
    pub root: Node<'static>,
    pub sheets: Vec<String>,
    pub found: Vec<Found>,
    pub cells: HashMap<(u16, u32, u32), String>,
    /// Where each column stands: (sheet, YAML key) → column number.
    pub columns_at: HashMap<(u16, &'static str), u32>,
    /// A required sheet is missing: the tree is not worth validating.
    pub incomplete: bool,
    /// Required columns missing from a sheet's header (sheet, YAML key): said once by the
    /// reader, so the validator's "missing on this row" for each row is dropped.
    absent: Vec<(u16, &'static str)>,
    /// Cells whose date the reader judged itself (a bare serial, a date out of range): the
    /// validator's own `invalid-date` there would say it twice.
    own_dates: Vec<(u16, u32, u32)>,
}

impl Workbook {
    /// True when the reader itself said `message` at this cell.
    fn found_here(&self, sheet: u16, row: u32, col: u32, message: &str) -> bool {
        self.found.iter().any(|(_, pos, m, _)| {
            pos.sheet == sheet && pos.line == row && pos.col == col && m == message
        })
    }

    /// The text of the cell at `pos`, if it holds one.
    pub fn cell_text(&self, pos: Pos) -> Option<&str> {
        self.cells
            .get(&(pos.sheet, pos.line, pos.col))
            .map(String::as_str)
    }

    /// The cell's text for a diagnostic (sheet name, row and column as in its JSON).
    pub fn text_at(&self, sheet: &str, row: u32, col: u32) -> Option<&str> {
        let i = self.sheets.iter().position(|s| s == sheet)?;
        self.cell_text(Pos {
            line: row,
            col,
            sheet: i as u16 + 1,
        })
    }
}

/// Reads and checks a workbook's bytes: every diagnostic of the plan format located by sheet and
/// cell, and the plan when none is an error.
pub fn check(bytes: &[u8], file: &str, lang: Lang) -> Result<(Checked, Workbook), Refusal> {
    let wb = read(bytes, lang)?;
    let mut checked = check_tree(&wb.root, &wb.sheets, wb.found.clone(), file, lang);
    if wb.incomplete {
        // A required sheet is missing: that is the one thing to say (at no cell), not the
        // consequences the validator draws from the empty tree.
        checked.diagnostics.retain(|d| d.line == 0);
        checked.plan = None;
    }
    checked.diagnostics.retain(|d| !said_by_the_reader(d, &wb));
    for d in &mut checked.diagnostics {
        at_the_empty_cell(d, &wb);
        headed(d);
    }
    Ok((checked, wb))
}

/// True for a validator's diagnostic that repeats what the reader said once: a value missing on
/// every row of a column that is missing itself, or a date the reader judged.
fn said_by_the_reader(d: &crate::plan::Diagnostic, wb: &Workbook) -> bool {
    let Some(index) = d
        .sheet
        .as_deref()
        .and_then(|name| wb.sheets.iter().position(|s| s == name))
    else {
        return false;
    };
    let index = index as u16 + 1;
    match d.code {
        Code::MissingField => wb.absent.iter().any(|(sheet, key)| {
            *sheet == index && d.line > 0 && d.message.contains(&format!("`{key}`"))
        }),
        Code::InvalidDate => {
            wb.own_dates.contains(&(index, d.line, d.column))
                && !wb.found_here(index, d.line, d.column, &d.message)
        }
        _ => false,
    }
}

/// A required value missing from a row is said at its empty cell (`Activités!C5` for an empty
/// title), not at the row's first cell, when the sheet has that column: the validator, seeing no
/// key, can only point at the row.
fn at_the_empty_cell(d: &mut crate::plan::Diagnostic, wb: &Workbook) {
    if d.code != Code::MissingField {
        return;
    }
    let (Some(name), Some(sheet)) = (
        d.sheet.as_deref(),
        d.sheet.as_deref().and_then(columns::sheet),
    ) else {
        return;
    };
    if sheet.kind == SheetKind::Plan {
        return;
    }
    let Some(index) = wb.sheets.iter().position(|s| s == name) else {
        return;
    };
    let found = sheet.columns.iter().find_map(|c| {
        let col = wb.columns_at.get(&(index as u16 + 1, c.key))?;
        d.message.contains(&format!("`{}`", c.key)).then_some(*col)
    });
    if let Some(col) = found {
        d.column = col;
        d.cell = Some(format!("{}{}", column_letters(col), d.line));
        // In a sheet, a key is a column and a missing value an empty cell.
        let mut m = d
            .message
            .replacen("clé obligatoire ", "colonne obligatoire ", 1)
            .replacen("required key ", "required column ", 1)
            .replacen(" is missing from ", " is empty for ", 1);
        for (from, to) in [
            (" absente de la ", " vide pour la "),
            (" absente de l'", " vide pour l'"),
            (" absente du ", " vide pour le "),
            (" absente des ", " vide pour les "),
            (" absente de ", " vide pour "),
        ] {
            if m.contains(from) {
                m = m.replacen(from, to, 1);
                break;
            }
        }
        d.message = m;
    }
}

/// A diagnostic located in a sheet names that sheet's columns by their headings, in the
/// language the sheet is named in (`` `échéance` `` in `Activités`, `` `deadline` `` in
/// `Tasks`), not by the YAML keys the validator speaks of. The `Plan` sheet's keys are its
/// column A, written as the plan format's paths: they stay as they are.
fn headed(d: &mut crate::plan::Diagnostic) {
    let Some(sheet) = d.sheet.as_deref().and_then(columns::sheet) else {
        return;
    };
    if sheet.kind == columns::SheetKind::Plan {
        return;
    }
    let lang = if columns::matches(d.sheet.as_deref().unwrap_or_default(), sheet.fr) {
        Lang::Fr
    } else {
        Lang::En
    };
    // The YAML forms of an amount mean nothing in a cell.
    if let Some(h) = &mut d.help {
        *h = h
            .replace(
                "écrivez `12500000`, `12_500_000` ou `\"12 500 000\"`",
                "écrivez le montant seul, en nombre (`12500000`) ou en texte (`12 500 000`), la devise dans sa colonne",
            )
            .replace(
                "write `12500000`, `12_500_000` or `\"12 500 000\"`",
                "write the amount alone, as a number (`12500000`) or as text (`12 500 000`), the currency in its own column",
            );
    }
    for c in sheet.columns {
        let key = format!("`{}`", c.key);
        let heading = format!("`{}`", c.name(lang));
        if key == heading {
            continue;
        }
        d.message = d.message.replace(&key, &heading);
        if let Some(h) = &mut d.help {
            *h = h.replace(&key, &heading);
        }
    }
}

fn scalar(text: impl Into<String>, pos: Pos) -> Node<'static> {
    Node {
        pos,
        kind: Kind::Scalar {
            text: Cow::Owned(text.into()),
            plain: false,
        },
    }
}

fn map(pos: Pos) -> Node<'static> {
    Node {
        pos,
        kind: Kind::Map(Vec::new()),
    }
}

fn seq(pos: Pos, items: Vec<Node<'static>>) -> Node<'static> {
    Node {
        pos,
        kind: Kind::Seq(items),
    }
}

/// Puts `value` at `path` (dotted keys) in a mapping node, creating the mappings on the way.
fn insert(target: &mut Node<'static>, path: &str, key_pos: Pos, value: Node<'static>) {
    let Kind::Map(pairs) = &mut target.kind else {
        return;
    };
    match path.split_once('.') {
        None => pairs.push((scalar(path, key_pos), value)),
        Some((first, rest)) => {
            let i = match pairs.iter().position(|(k, _)| k.as_scalar() == Some(first)) {
                Some(i) => i,
                None => {
                    pairs.push((scalar(first, key_pos), map(value.pos)));
                    pairs.len() - 1
                }
            };
            insert(&mut pairs[i].1, rest, key_pos, value);
        }
    }
}

/// A workbook opened: an `.xlsx` streamed sheet by sheet, or an `.ods` read whole (sparse).
enum Book<'b> {
    Xlsx(Box<Xlsx<Cursor<&'b [u8]>>>),
    Ods(Vec<(String, SheetCells)>),
}

impl Book<'_> {
    fn names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(x) => x.sheet_names(),
            Book::Ods(sheets) => sheets.iter().map(|(n, _)| n.clone()).collect(),
        }
    }

    /// A sheet's filled cells, merged ranges and hidden rows.
    fn sheet(
        &mut self,
        bytes: &[u8],
        name: &str,
        budget: &mut Budget,
    ) -> Result<SheetCells, Refusal> {
        match self {
            Book::Xlsx(x) => {
                let hidden = match sheet_paths(bytes).get(name) {
                    Some(path) => cells::xlsx_hidden_rows(bytes, path, name)?,
                    None => Vec::new(),
                };
                let mut cells = cells::xlsx_sheet(x, name, budget)?;
                cells.hidden = hidden;
                Ok(cells)
            }
            Book::Ods(sheets) => Ok(sheets
                .iter_mut()
                .find(|(n, _)| n == name)
                .map(|(_, c)| std::mem::take(c))
                .unwrap_or_default()),
        }
    }
}

/// Opens the bytes, or says in one sentence why they are not a workbook (or one too large to
/// read: the zip is measured before anything is decompressed into memory).
fn open(bytes: &[u8]) -> Result<(Book<'_>, Budget), Refusal> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(OLE) {
        // Excel encrypts a workbook into an OLE container with these streams.
        let utf16: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let encrypted = bytes.windows(utf16.len()).any(|w| w == utf16.as_slice());
        return Err(if encrypted {
            Refusal::Encrypted
        } else {
            Refusal::Xls
        });
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(Refusal::NotWorkbook);
    }
    if bytes.len() as u64 > cells::MAX_XML_BYTES {
        return Err(Refusal::TooBig);
    }
    let size = cells::measure(bytes)?;
    let budget = Budget::new(size);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::Damaged)?;
    let is_ods = zip.by_name("content.xml").is_ok();
    if is_ods {
        cells::ods_sheets(bytes, budget).map(|s| (Book::Ods(s), Budget::new(size)))
    } else if zip.by_name("xl/workbook.xml").is_ok() {
        cells::shared_strings_claim_fits(bytes)?;
        calamine::open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes))
            .map(|x| (Book::Xlsx(Box::new(x)), budget))
            .map_err(|_| Refusal::Damaged)
    } else {
        Err(Refusal::NotWorkbook)
    }
}

/// A cell's value as the text a YAML author would have written, or why it has none.
enum CellText {
    Text(String),
    Empty,
    /// A formula error (`#DIV/0!`) or a formula whose value was never computed.
    Broken(String),
}

fn cell_text(got: &Got) -> CellText {
    match got {
        Got::Empty => CellText::Empty,
        Got::Text(s) if s.trim().is_empty() => CellText::Empty,
        Got::Text(s) => CellText::Text(s.clone()),
        Got::Number(f) => CellText::Text(number_text(*f)),
        Got::Bool(b) => CellText::Text(b.to_string()),
        Got::Date(d) => CellText::Text(d.format("%Y-%m-%d").to_string()),
        Got::BadDate(s) => CellText::Text(s.clone()),
        Got::Error(e) => CellText::Broken(e.clone()),
    }
}

/// What a cell was, beyond its text: the reader's date rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Typed {
    /// A number cell (in a date column: a date serial that lost its format).
    Number,
    /// A date cell.
    Date,
    /// A date cell that holds no day (`1e308`).
    BadDate,
}

/// A number cell as text: whole numbers without a decimal point (`12500000`), others as short as
/// they read back exactly (`605.5`), huge ones in scientific notation (`1e308`).
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else if f.abs() >= 1e21 {
        format!("{f:e}")
    } else {
        format!("{f}")
    }
}

/// `30/09/2025` as `2025-09-30`; any other text unchanged.
fn day_first(text: &str) -> String {
    let t = text.trim();
    let parts: Vec<&str> = t.split('/').collect();
    if let [d, m, y] = parts.as_slice() {
        let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
        };
        if digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4) {
            let iso = format!("{y}-{m:0>2}-{d:0>2}");
            // An impossible day (32/13/2025) stays as written, for the diagnostic to quote it.
            if chrono::NaiveDate::parse_from_str(&iso, "%Y-%m-%d").is_ok() {
                return iso;
            }
        }
    }
    text.to_string()
}

/// Splits a list cell on `;`, `,` and line breaks.
fn split_list(text: &str) -> Vec<&str> {
    text.split([';', ',', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

struct Reading {
    lang: Lang,
    found: Vec<Found>,
    cells: HashMap<(u16, u32, u32), String>,
    /// The number and date cells (the others are text).
    typed: HashMap<(u16, u32, u32), Typed>,
    /// Where each column stands: (sheet, YAML key) → column number.
    columns_at: HashMap<(u16, &'static str), u32>,
    /// Required columns missing from a sheet's header: (sheet, YAML key).
    absent: Vec<(u16, &'static str)>,
    /// Cells whose date the reader judged.
    own_dates: Vec<(u16, u32, u32)>,
}

impl Reading {
    fn say(&mut self, code: Code, pos: Pos, message: String, help: Option<String>) {
        self.found.push((code, pos, message, help));
    }

    /// What the cell's type says about a date: a number where a date belongs is a date cell that
    /// lost its format (`46402`), a date cell out of the calendar is no day (`1e308`), and a date
    /// cell on the 1st in a deadline column is most likely a month that Excel turned into its
    /// first day (`2025-12` typed, 1 Dec 2025 stored).
    fn date_cell(&mut self, column: &Column, pos: Pos, text: &str) {
        let lang = self.lang;
        let name = column.name(lang);
        let key = (pos.sheet, pos.line, pos.col);
        match self.typed.get(&key) {
            Some(Typed::Number) => {
                let day = text
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.fract() == 0.0 && (1.0..2_958_466.0).contains(n))
                    .and_then(|n| {
                        chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?
                            .checked_add_days(chrono::Days::new(n as u64))
                    });
                let msg = tr!(
                    lang,
                    "`{text}` est un nombre, pas une date, dans la colonne `{name}`",
                    "`{text}` is a number, not a date, in column `{name}`"
                );
                let help = match day {
                    Some(d) => tr!(
                        lang,
                        "mettez la cellule au format date (Format de cellule › Date) : ce nombre y devient le {}, ou écrivez la date en texte",
                        "format the cell as a date (Format Cells › Date): the number then shows as {}, or write the date as text",
                        match lang {
                            Lang::Fr => d.format("%d/%m/%Y").to_string(),
                            Lang::En => d.format("%Y-%m-%d").to_string(),
                        }
                    ),
                    None => tr!(
                        lang,
                        "mettez la cellule au format date (Format de cellule › Date), ou écrivez la date en texte (`30/09/2025`, `T3 2025`)",
                        "format the cell as a date (Format Cells › Date), or write the date as text (`2025-09-30`, `Q3 2025`)"
                    ),
                };
                self.own_dates.push(key);
                self.say(Code::InvalidDate, pos, msg, Some(help));
            }
            Some(Typed::BadDate) => {
                let msg = tr!(
                    lang,
                    "la cellule date vaut `{text}`, qui n'est aucun jour (une date va de 1900 à 9999)",
                    "the date cell holds `{text}`, which is no day (a date runs from 1900 to 9999)"
                );
                let help = tr!(
                    lang,
                    "écrivez la date elle-même (`30/09/2025`)",
                    "write the date itself (`2025-09-30`)"
                );
                self.own_dates.push(key);
                self.say(Code::InvalidDate, pos, msg, Some(help));
            }
            Some(Typed::Date) if matches!(column.key, "deadline" | "due") => {
                self.first_of_month(name, pos, text);
            }
            _ => {}
        }
    }

    /// A deadline date cell on the 1st of a month: a warning that suggests the month's last day.
    fn first_of_month(&mut self, name: &str, pos: Pos, text: &str) {
        use chrono::Datelike;
        let Ok(d) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") else {
            return;
        };
        if d.day() != 1 {
            return;
        }
        let last = d
            .checked_add_months(chrono::Months::new(1))
            .and_then(|n| n.pred_opt())
            .unwrap_or(d);
        let lang = self.lang;
        let (shown, last_shown, month) = match lang {
            Lang::Fr => (
                d.format("%d/%m/%Y").to_string(),
                last.format("%d/%m/%Y").to_string(),
                d.format("%Y-%m").to_string(),
            ),
            Lang::En => (
                d.format("%Y-%m-%d").to_string(),
                last.format("%Y-%m-%d").to_string(),
                d.format("%Y-%m").to_string(),
            ),
        };
        let msg = tr!(
            lang,
            "`{name}` est le {shown}, premier jour du mois : un tableur transforme `{month}` tapé dans une cellule en cette date",
            "`{name}` is {shown}, the first day of the month: a spreadsheet turns `{month}` typed in a cell into that date"
        );
        let help = tr!(
            lang,
            "si l'échéance est la fin du mois, écrivez {last_shown}, ou `{month}` dans une cellule au format texte",
            "if the deadline is the month's end, write {last_shown}, or `{month}` in a cell formatted as text"
        );
        self.say(Code::MonthAsDate, pos, msg, Some(help));
    }

    /// A cell's value as the node its column calls for; `None` when empty or already reported.
    fn value(&mut self, column: &Column, pos: Pos, text: &str) -> Option<Node<'static>> {
        let lang = self.lang;
        let name = column.name(lang);
        match column.value {
            Value::List | Value::Durations => {
                let items = split_list(text)
                    .into_iter()
                    .map(|t| scalar(t, pos))
                    .collect();
                Some(seq(pos, items))
            }
            Value::Date => {
                self.date_cell(column, pos, text);
                Some(scalar(day_first(text), pos))
            }
            Value::YesNo if column.key == "reminders" => {
                let t = columns::normalize(text);
                if matches!(t.as_str(), "off" | "non" | "no" | "false" | "faux") {
                    Some(scalar("off", pos))
                } else if matches!(t.as_str(), "oui" | "yes" | "true" | "vrai" | "x" | "on") {
                    None
                } else {
                    let msg = tr!(
                        lang,
                        "valeur `{text}` inconnue pour `{name}`",
                        "unknown value `{text}` for `{name}`"
                    );
                    let help = tr!(
                        lang,
                        "écrivez `non` pour ne jamais envoyer de rappel, ou laissez la cellule vide",
                        "write `no` (or `off`) to send no reminders, or leave the cell empty"
                    );
                    self.say(Code::InvalidValue, pos, msg, Some(help));
                    None
                }
            }
            Value::YesNo => match columns::yes_no(text) {
                Some(b) => Some(scalar(b.to_string(), pos)),
                None => {
                    let msg = tr!(
                        lang,
                        "`{name}` doit valoir oui ou non, pas `{text}`",
                        "`{name}` must be yes or no, not `{text}`"
                    );
                    let help = tr!(
                        lang,
                        "oui, non, x ou une cellule vide",
                        "yes, no, x or an empty cell"
                    );
                    self.say(Code::InvalidValue, pos, msg, Some(help));
                    None
                }
            },
            Value::Choice(labels) => match columns::label_to_yaml(labels, text) {
                Some(word) => Some(scalar(word, pos)),
                None if labels == columns::LANGUAGES => Some(scalar(text.trim(), pos)),
                None => {
                    let msg = tr!(
                        lang,
                        "valeur `{text}` inconnue pour `{name}`",
                        "unknown value `{text}` for `{name}`"
                    );
                    let names: Vec<&str> = labels.iter().map(|l| l.name(lang)).collect();
                    let help = tr!(
                        lang,
                        "valeurs possibles : {}",
                        "allowed values: {}",
                        names.join(", ")
                    );
                    self.say(Code::InvalidValue, pos, msg, Some(help));
                    None
                }
            },
            _ => Some(scalar(text, pos)),
        }
    }
}

/// One sheet's non-empty rows: (row number, [(column number, text)]).
type Rows = Vec<(u32, Vec<(u32, String)>)>;

/// The cells of a sheet as texts, row by row; formula errors and formulas without a value are
/// reported.
fn sheet_rows(r: &mut Reading, index: u16, sheet: &SheetCells) -> Rows {
    let mut rows: Rows = Vec::new();
    for cell in &sheet.cells {
        let pos = Pos {
            line: cell.row,
            col: cell.col,
            sheet: index,
        };
        let Some(text) = r.cell(pos, cell) else {
            continue;
        };
        match rows.last_mut() {
            Some((row, cells)) if *row == cell.row => cells.push((cell.col, text)),
            _ => rows.push((cell.row, vec![(cell.col, text)])),
        }
    }
    rows
}

impl Reading {
    /// A cell's text, kept for its diagnostics; `None` when it has no value (a formula without
    /// one, or an error, each reported).
    fn cell(&mut self, pos: Pos, cell: &Cell) -> Option<String> {
        let lang = self.lang;
        let key = (pos.sheet, pos.line, pos.col);
        match cell_text(&cell.got) {
            CellText::Text(t) => {
                let typed = match cell.got {
                    Got::Number(_) => Some(Typed::Number),
                    Got::Date(_) => Some(Typed::Date),
                    Got::BadDate(_) => Some(Typed::BadDate),
                    _ => None,
                };
                if let Some(typed) = typed {
                    self.typed.insert(key, typed);
                }
                self.cells.insert(key, t.clone());
                Some(t)
            }
            CellText::Empty => {
                let f = cell.formula.as_ref()?;
                self.cells.insert(key, format!("={f}"));
                let msg = tr!(
                    lang,
                    "la formule `={f}` n'a pas de valeur calculée",
                    "the formula `={f}` has no computed value"
                );
                let help = tr!(
                    lang,
                    "ouvrez le classeur dans Excel ou LibreOffice et enregistrez-le (les valeurs des formules sont alors calculées), ou écrivez la valeur elle-même",
                    "open the workbook in Excel or LibreOffice and save it (formula values are then computed), or write the value itself"
                );
                self.say(Code::InvalidValue, pos, msg, Some(help));
                None
            }
            CellText::Broken(e) => {
                self.cells.insert(key, e.clone());
                let msg = tr!(
                    lang,
                    "la cellule contient l'erreur de formule `{e}`",
                    "the cell holds the formula error `{e}`"
                );
                self.say(Code::InvalidValue, pos, msg, None);
                None
            }
        }
    }
}

/// `B2:B6`.
fn range_text(m: &Merge) -> String {
    format!(
        "{}{}:{}{}",
        column_letters(m.c0),
        m.r0,
        column_letters(m.c1),
        m.r1
    )
}

/// Merged cells over the header row: every column needs its own header.
fn merged_headers(r: &mut Reading, index: u16, header_row: u32, merged: &[Merge]) {
    let lang = r.lang;
    for m in merged
        .iter()
        .filter(|m| m.r0 <= header_row && header_row <= m.r1)
    {
        let range = range_text(m);
        let msg = tr!(
            lang,
            "cellules d'en-tête fusionnées ({range}) : chaque colonne a besoin de son propre en-tête",
            "merged header cells ({range}): every column needs its own header"
        );
        let help = tr!(
            lang,
            "annulez la fusion et écrivez un en-tête par colonne",
            "unmerge the cells and write one header per column"
        );
        let pos = Pos {
            line: m.r0,
            col: m.c0,
            sheet: index,
        };
        r.say(Code::InvalidValue, pos, msg, Some(help));
    }
}

/// Merged cells below the header (an `axe` merged over its five tasks, `B2:B6`): the value is
/// read on every row the range covers that holds something else, and the merge is said once for
/// the sheet. The filling is bounded like the cells themselves.
fn fill_merged(r: &mut Reading, index: u16, name: &str, merged: &[Merge], rows: &mut Rows) {
    let Some(&(header_row, _)) = rows.first() else {
        return;
    };
    let mut ranges: Vec<Merge> = Vec::new();
    let mut budget = MAX_CELLS;
    for m in merged.iter().filter(|m| m.r0 > header_row && m.r1 > m.r0) {
        let Ok(top) = rows.binary_search_by_key(&m.r0, |(row, _)| *row) else {
            continue;
        };
        let Some(text) = rows[top]
            .1
            .iter()
            .find(|(c, _)| *c == m.c0)
            .map(|(_, t)| t.clone())
        else {
            continue;
        };
        for (row, cells) in rows[top + 1..]
            .iter_mut()
            .take_while(|(row, _)| *row <= m.r1)
        {
            if budget == 0 {
                break;
            }
            budget -= 1;
            let at = cells.partition_point(|(c, _)| *c < m.c0);
            if cells.get(at).is_some_and(|(c, _)| *c == m.c0) {
                continue;
            }
            cells.insert(at, (m.c0, text.clone()));
            r.cells.insert((index, *row, m.c0), text.clone());
        }
        ranges.push(*m);
    }
    let Some(first) = ranges.first() else {
        return;
    };
    let lang = r.lang;
    let shown: Vec<String> = ranges.iter().take(6).map(range_text).collect();
    let more = if ranges.len() > 6 { ", …" } else { "" };
    let msg = tr!(
        lang,
        "cellules fusionnées dans la feuille `{name}` ({}{more}) : la valeur de chaque fusion est lue sur toutes les lignes qu'elle couvre",
        "merged cells in sheet `{name}` ({}{more}): each merged value is read on every row it covers",
        shown.join(", ")
    );
    let help = tr!(
        lang,
        "pour lever toute ambiguïté, annulez la fusion et écrivez la valeur sur chaque ligne",
        "to leave no doubt, unmerge the cells and write the value on every row"
    );
    let pos = Pos {
        line: first.r0,
        col: first.c0,
        sheet: index,
    };
    r.say(Code::MergedCells, pos, msg, Some(help));
}

/// Rows hidden in the spreadsheet are read like the others, and said.
fn hidden_said(r: &mut Reading, index: u16, name: &str, hidden: &[u32]) {
    let Some(first) = hidden.first() else {
        return;
    };
    let lang = r.lang;
    let shown: Vec<String> = hidden.iter().take(12).map(u32::to_string).collect();
    let more = if hidden.len() > 12 { ", …" } else { "" };
    let msg = tr!(
        lang,
        "{} ligne(s) masquée(s) dans la feuille `{name}` ({}{more}) : elles sont lues comme les autres",
        "{} hidden row(s) in sheet `{name}` ({}{more}): they are read like the others",
        hidden.len(),
        shown.join(", ")
    );
    let help = tr!(
        lang,
        "affichez-les pour relire ce qu'elles contiennent, ou supprimez-les si elles ne font pas partie du plan",
        "unhide them to review what they hold, or delete them if they are not part of the plan"
    );
    let pos = Pos {
        line: *first,
        col: 1,
        sheet: index,
    };
    r.say(Code::HiddenRows, pos, msg, Some(help));
}

/// Each sheet's XML part in an `.xlsx`, by sheet name (from `xl/workbook.xml` and its
/// relationships); empty when unreadable.
fn sheet_paths(bytes: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let mut read = |name: &str| -> Option<String> {
        let mut f = zip.by_name(name).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let (Some(book), Some(rels)) = (read("xl/workbook.xml"), read("xl/_rels/workbook.xml.rels"))
    else {
        return out;
    };
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[at..].find('"')? + at;
        Some(unescape(&tag[at..end]))
    };
    let targets: HashMap<String, String> = tags(&rels, "Relationship")
        .filter_map(|t| Some((attr(t, "Id")?, attr(t, "Target")?)))
        .collect();
    for tag in tags(&book, "sheet") {
        let (Some(name), Some(id)) = (attr(tag, "name"), attr(tag, "r:id")) else {
            continue;
        };
        let Some(target) = targets.get(&id) else {
            continue;
        };
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        out.insert(name, path);
    }
    out
}

/// The opening tags `<name ...>` of an XML text (attributes included).
fn tags<'x>(xml: &'x str, name: &'x str) -> impl Iterator<Item = &'x str> + 'x {
    let open = format!("<{name} ");
    let mut rest = xml;
    std::iter::from_fn(move || {
        let at = rest.find(&open)?;
        let end = rest[at..].find('>')? + at;
        let tag = &rest[at..end];
        rest = &rest[end..];
        Some(tag)
    })
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A sheet of the format found in the workbook: which, where (1 = the first tab), its rows.
type FoundSheet = (&'static Sheet, u16, Rows);

/// Reads a workbook's bytes into the plan tree, or says why they are no workbook (or one over
/// the limits).
pub fn read(bytes: &[u8], lang: Lang) -> Result<Workbook, Refusal> {
    let (mut book, mut budget) = open(bytes)?;
    let names = book.names();
    let mut r = Reading {
        lang,
        found: Vec::new(),
        cells: HashMap::new(),
        typed: HashMap::new(),
        columns_at: HashMap::new(),
        absent: Vec::new(),
        own_dates: Vec::new(),
    };
    let mut found_sheets = read_sheets(&mut r, &mut book, bytes, &names, &mut budget)?;
    drop(book);
    let incomplete = missing_sheets(&mut r, &found_sheets, &names);
    // Sheets in the format's order, so that references resolve the same whatever the tabs' order.
    found_sheets.sort_by_key(|(s, ..)| s.kind);
    let plan_index = found_sheets
        .iter()
        .find(|(s, ..)| s.kind == SheetKind::Plan)
        .map_or(1, |(_, i, _)| *i);
    let mut parts = Parts::new(Pos {
        line: 1,
        col: 1,
        sheet: plan_index,
    });
    for (sheet, index, rows) in &found_sheets {
        if sheet.kind == SheetKind::Plan {
            for (row, cells) in rows {
                plan_row(&mut r, &mut parts, sheet, *index, *row, cells);
            }
        } else if let Some(((header_row, header_cells), items)) = rows.split_first() {
            let header = header(&mut r, sheet, *index, *header_row, header_cells);
            for (row, cells) in items {
                table_row(
                    &mut r,
                    &mut parts,
                    sheet,
                    *index,
                    (*header_row, &header),
                    *row,
                    cells,
                );
            }
        }
    }
    attach(&mut r, &mut parts);
    Ok(Workbook {
        root: parts.assemble(),
        sheets: names,
        found: r.found,
        cells: r.cells,
        columns_at: r.columns_at,
        incomplete,
        absent: r.absent,
        own_dates: r.own_dates,
    })
}

/// Each sheet of the format, first one of a kind only, read into rows with what only a
/// workbook can get wrong (merged headers, merged cells, hidden rows) said.
fn read_sheets(
    r: &mut Reading,
    book: &mut Book,
    bytes: &[u8],
    names: &[String],
    budget: &mut Budget,
) -> Result<Vec<FoundSheet>, Refusal> {
    let lang = r.lang;
    let mut found_sheets: Vec<FoundSheet> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let index = u16::try_from(i + 1).unwrap_or(u16::MAX);
        let Some(sheet) = columns::sheet(name) else {
            continue;
        };
        if found_sheets.iter().any(|(s, ..)| s.kind == sheet.kind) {
            let msg = tr!(
                lang,
                "la feuille `{name}` est en double : une seule feuille « {} » est lue",
                "sheet `{name}` is a duplicate: only one “{}” sheet is read",
                sheet.name(lang)
            );
            let pos = Pos {
                line: 1,
                col: 1,
                sheet: index,
            };
            r.say(Code::InvalidValue, pos, msg, None);
            continue;
        }
        let cells = book.sheet(bytes, name, budget)?;
        let mut rows = sheet_rows(r, index, &cells);
        if let (Some(&(header_row, _)), true) = (rows.first(), sheet.kind != SheetKind::Plan) {
            merged_headers(r, index, header_row, &cells.merged);
            fill_merged(r, index, name, &cells.merged, &mut rows);
        }
        hidden_said(r, index, name, &cells.hidden);
        found_sheets.push((sheet, index, rows));
    }
    Ok(found_sheets)
}

/// A required sheet missing is one diagnostic (at no cell); true when one is.
fn missing_sheets(r: &mut Reading, found_sheets: &[FoundSheet], names: &[String]) -> bool {
    let lang = r.lang;
    let mut incomplete = false;
    for sheet in columns::SHEETS.iter().filter(|s| s.required) {
        if !found_sheets.iter().any(|(s, ..)| s.kind == sheet.kind) {
            let msg = tr!(
                lang,
                "le classeur n'a pas de feuille « {} » ({})",
                "the workbook has no “{}” sheet ({})",
                sheet.name(lang),
                sheet.row(lang)
            );
            let help = tr!(
                lang,
                "feuilles trouvées : {} ; `cnrm plan template` écrit un classeur avec toutes les feuilles",
                "sheets found: {}; `cnrm plan template` writes a workbook with every sheet",
                if names.is_empty() { "-".to_string() } else { names.join(", ") }
            );
            r.say(Code::MissingField, Pos::default(), msg, Some(help));
            incomplete = true;
        }
    }
    incomplete
}

/// A task, an indicator or a resource line: the id of the row it hangs under, where that id
/// was written, the item.
type Child = (String, Pos, Node<'static>);

/// The plan tree's parts, gathered sheet by sheet, then put together.
struct Parts {
    root_pos: Pos,
    plan: Node<'static>,
    reminders: Option<Node<'static>>,
    calendar: Option<Node<'static>>,
    owners: Vec<Node<'static>>,
    owners_pos: Pos,
    priorities: Vec<(Option<String>, Node<'static>)>,
    priorities_pos: Pos,
    indicators: Vec<Child>,
    tasks: Vec<Child>,
    resources: Vec<Child>,
    rates: Option<Node<'static>>,
    holidays: Option<Node<'static>>,
}

impl Parts {
    fn new(root_pos: Pos) -> Parts {
        Parts {
            root_pos,
            plan: map(root_pos),
            reminders: None,
            calendar: None,
            owners: Vec::new(),
            owners_pos: root_pos,
            priorities: Vec::new(),
            priorities_pos: root_pos,
            indicators: Vec::new(),
            tasks: Vec::new(),
            resources: Vec::new(),
            rates: None,
            holidays: None,
        }
    }

    /// The tree as the YAML reader would have built it.
    fn assemble(self) -> Node<'static> {
        let root_pos = self.root_pos;
        let mut root = map(root_pos);
        insert(&mut root, "version", root_pos, scalar("1", root_pos));
        let mut plan = self.plan;
        if let Some(rates) = self.rates {
            insert(&mut plan, "exchange_rates", rates.pos, rates);
        }
        insert(&mut root, "plan", root_pos, plan);
        if let Some(rem) = self.reminders {
            insert(&mut root, "reminders", rem.pos, rem);
        }
        let mut calendar = self.calendar;
        if let Some(h) = self.holidays {
            let c = calendar.get_or_insert_with(|| map(h.pos));
            insert(c, "holidays", h.pos, h);
        }
        if let Some(c) = calendar {
            insert(&mut root, "calendar", c.pos, c);
        }
        let owners_pos = self.owners_pos;
        insert(
            &mut root,
            "owners",
            owners_pos,
            seq(owners_pos, self.owners),
        );
        let at = self.priorities_pos;
        let priorities = self.priorities.into_iter().map(|(_, p)| p).collect();
        insert(&mut root, "priorities", at, seq(at, priorities));
        root
    }
}

/// One row of the `Plan` sheet: column A a key, column B its value.
fn plan_row(
    r: &mut Reading,
    parts: &mut Parts,
    sheet: &'static Sheet,
    index: u16,
    row: u32,
    cells: &[(u32, String)],
) {
    let lang = r.lang;
    let key_cell = cells.iter().find(|(c, _)| *c == 1);
    let value_cell = cells.iter().find(|(c, _)| *c == 2);
    let key_pos = Pos {
        line: row,
        col: 1,
        sheet: index,
    };
    let Some((_, key)) = key_cell else {
        if let Some((col, text)) = value_cell {
            let msg = tr!(
                lang,
                "valeur `{text}` sans clé en colonne A",
                "value `{text}` without a key in column A"
            );
            let pos = Pos {
                line: row,
                col: *col,
                sheet: index,
            };
            r.say(Code::UnknownField, pos, msg, None);
        }
        return;
    };
    let Some(column) = sheet.columns.iter().find(|c| c.is_named(key)) else {
        unknown_header(r, sheet, key, key_pos);
        return;
    };
    let Some((col, text)) = value_cell else {
        return;
    };
    let pos = Pos {
        line: row,
        col: *col,
        sheet: index,
    };
    let Some(value) = r.value(column, pos, text) else {
        return;
    };
    match column.key.split_once('.') {
        Some(("plan", rest)) => {
            if rest.starts_with("period.") && plan_get(&parts.plan, "period").is_none() {
                insert(&mut parts.plan, "period", key_pos, map(key_pos));
            }
            insert(&mut parts.plan, rest, key_pos, value);
        }
        Some(("reminders", rest)) => {
            let target = parts.reminders.get_or_insert_with(|| map(key_pos));
            insert(target, rest, key_pos, value);
        }
        Some(("calendar", rest)) => {
            let target = parts.calendar.get_or_insert_with(|| map(key_pos));
            insert(target, rest, key_pos, value);
        }
        _ => {}
    }
}

/// The key of the column a sheet's rows hang under (`axe`, `activité`), if any.
fn parent_key(kind: SheetKind) -> Option<&'static str> {
    match kind {
        SheetKind::Indicators | SheetKind::Tasks => Some("priority"),
        SheetKind::Resources => Some("task"),
        _ => None,
    }
}

/// A sheet's header row: each column by its number. A heading written twice or unknown is
/// said where it is; a required column missing (deleted, or renamed) is said once, at the header
/// row, instead of once per row.
fn header(
    r: &mut Reading,
    sheet: &'static Sheet,
    index: u16,
    header_row: u32,
    cells: &[(u32, String)],
) -> HashMap<u32, &'static Column> {
    let lang = r.lang;
    let mut header: HashMap<u32, &'static Column> = HashMap::new();
    let mut unknown = Vec::new();
    for (col, text) in cells {
        let pos = Pos {
            line: header_row,
            col: *col,
            sheet: index,
        };
        match columns::column(sheet, text) {
            Some(column) if header.values().any(|c| c.key == column.key) => {
                let msg = tr!(
                    lang,
                    "la colonne « {} » est en double",
                    "column “{}” is written twice",
                    column.name(lang)
                );
                r.say(Code::InvalidValue, pos, msg, None);
            }
            Some(column) => {
                header.insert(*col, column);
                r.columns_at.insert((index, column.key), *col);
            }
            None => {
                unknown_header(r, sheet, text, pos);
                unknown.push(text.as_str());
            }
        }
    }
    let needed = sheet
        .columns
        .iter()
        .filter(|c| c.required || Some(c.key) == parent_key(sheet.kind));
    for column in needed {
        if header.values().any(|c| c.key == column.key) {
            continue;
        }
        r.absent.push((index, column.key));
        let name = column.name(lang);
        let msg = tr!(
            lang,
            "la colonne obligatoire « {name} » manque dans la feuille « {} »",
            "required column “{name}” is missing from sheet “{}”",
            sheet.name(lang)
        );
        let help = if unknown.is_empty() {
            tr!(
                lang,
                "ajoutez une colonne d'en-tête « {name} » en ligne {header_row} (`cnrm plan template` montre toutes les colonnes)",
                "add a column headed “{name}” in row {header_row} (`cnrm plan template` shows every column)"
            )
        } else {
            tr!(
                lang,
                "ajoutez une colonne d'en-tête « {name} » en ligne {header_row}, ou renommez l'en-tête inconnu ({}) si c'est elle",
                "add a column headed “{name}” in row {header_row}, or rename the unknown heading ({}) if it is that one",
                unknown.join(", ")
            )
        };
        let pos = Pos {
            line: header_row,
            col: cells.first().map_or(1, |(c, _)| *c),
            sheet: index,
        };
        r.say(Code::MissingField, pos, msg, Some(help));
    }
    header
}

/// One item row of a sheet with a header: its values under their keys, then filed where the
/// plan puts it.
fn table_row(
    r: &mut Reading,
    parts: &mut Parts,
    sheet: &'static Sheet,
    index: u16,
    (header_row, header): (u32, &HashMap<u32, &'static Column>),
    row: u32,
    cells: &[(u32, String)],
) {
    let row_pos = Pos {
        line: row,
        col: cells.first().map_or(1, |(c, _)| *c),
        sheet: index,
    };
    let mut item = map(row_pos);
    let mut parent: Option<(String, Pos)> = None;
    for (col, text) in cells {
        let Some(column) = header.get(col) else {
            continue;
        };
        let pos = Pos {
            line: row,
            col: *col,
            sheet: index,
        };
        let key_pos = Pos {
            line: header_row,
            col: *col,
            sheet: index,
        };
        if Some(column.key) == parent_key(sheet.kind) {
            parent = Some((text.trim().to_string(), pos));
            continue;
        }
        if let Some(value) = r.value(column, pos, text) {
            insert(&mut item, column.key, key_pos, value);
        }
    }
    file_item(r, parts, sheet, index, row_pos, item, parent);
}

/// "column … is empty on this row", unless the whole column is missing (said once already).
fn empty_on_row(r: &mut Reading, sheet: &Sheet, index: u16, key: &str, row_pos: Pos) {
    if r.absent.contains(&(index, key)) {
        return;
    }
    let lang = r.lang;
    let column = sheet.by_key(key).map_or(key, |c| c.name(lang));
    let msg = tr!(
        lang,
        "la colonne « {column} » est vide sur cette ligne",
        "column “{column}” is empty on this row"
    );
    r.say(Code::MissingField, row_pos, msg, None);
}

/// Puts a row's item where the plan holds it: a rate, a holiday, an owner, a priority, or a
/// child waiting for its parent.
fn file_item(
    r: &mut Reading,
    parts: &mut Parts,
    sheet: &'static Sheet,
    index: u16,
    row_pos: Pos,
    item: Node<'static>,
    parent: Option<(String, Pos)>,
) {
    let first = Pos {
        line: 1,
        col: 1,
        sheet: index,
    };
    match sheet.kind {
        SheetKind::Rates => {
            let Kind::Map(pairs) = &item.kind else {
                return;
            };
            let at = |key| pairs.iter().position(|(k, _)| k.as_scalar() == Some(key));
            let (Some(c), Some(v)) = (at("currency"), at("rate")) else {
                let missing = if at("currency").is_none() {
                    "currency"
                } else {
                    "rate"
                };
                empty_on_row(r, sheet, index, missing, row_pos);
                return;
            };
            let (key, value) = (pairs[c].1.clone(), pairs[v].1.clone());
            let target = parts.rates.get_or_insert_with(|| map(first));
            if let Kind::Map(all) = &mut target.kind {
                all.push((key, value));
            }
        }
        SheetKind::Holidays => {
            let Kind::Map(pairs) = &item.kind else {
                return;
            };
            let only_date = pairs.len() == 1 && pairs[0].0.as_scalar() == Some("from");
            let node = if only_date { pairs[0].1.clone() } else { item };
            let list = parts.holidays.get_or_insert_with(|| seq(first, Vec::new()));
            if let Kind::Seq(all) = &mut list.kind {
                all.push(node);
            }
        }
        SheetKind::Owners => {
            parts.owners_pos = first;
            parts.owners.push(item);
        }
        SheetKind::Priorities => {
            parts.priorities_pos = first;
            let id = plan_get(&item, "id")
                .and_then(|n| n.as_scalar())
                .map(|s| s.trim().to_string());
            parts.priorities.push((id, item));
        }
        SheetKind::Indicators | SheetKind::Tasks | SheetKind::Resources => {
            let Some((parent, pos)) = parent else {
                let key = parent_key(sheet.kind).unwrap_or("priority");
                empty_on_row(r, sheet, index, key, row_pos);
                return;
            };
            let list = match sheet.kind {
                SheetKind::Indicators => &mut parts.indicators,
                SheetKind::Tasks => &mut parts.tasks,
                _ => &mut parts.resources,
            };
            list.push((parent, pos, item));
        }
        SheetKind::Plan => {}
    }
}

/// Appends `child` to the list `key` of `parent`, creating the list.
fn push_child(parent: &mut Node<'static>, key: &str, child: Node<'static>) {
    if plan_get(parent, key).is_none() {
        let at = child.pos;
        insert(parent, key, at, seq(at, Vec::new()));
    }
    if let Some(Node {
        kind: Kind::Seq(list),
        ..
    }) = plan_get_mut(parent, key)
    {
        list.push(child);
    }
}

/// Resources under their tasks, tasks and indicators under their priorities; an unknown parent
/// is said at the cell that names it.
fn attach(r: &mut Reading, parts: &mut Parts) {
    let mut task_index: HashMap<String, usize> = HashMap::new();
    for (i, (_, _, t)) in parts.tasks.iter().enumerate() {
        if let Some(id) = plan_get(t, "id").and_then(|n| n.as_scalar()) {
            task_index.entry(id.trim().to_string()).or_insert(i);
        }
    }
    for (task, pos, res) in std::mem::take(&mut parts.resources) {
        match task_index.get(&task) {
            Some(&i) => push_child(&mut parts.tasks[i].2, "resources", res),
            None => unknown_parent(r, &task, pos, SheetKind::Tasks, task_index.keys()),
        }
    }
    let prio_index: HashMap<String, usize> = parts
        .priorities
        .iter()
        .enumerate()
        .filter_map(|(i, (id, _))| Some((id.clone()?, i)))
        .collect();
    let indicators = std::mem::take(&mut parts.indicators);
    let tasks = std::mem::take(&mut parts.tasks);
    for (key, children) in [("indicators", indicators), ("tasks", tasks)] {
        for (prio, pos, child) in children {
            match prio_index.get(&prio) {
                Some(&i) => push_child(&mut parts.priorities[i].1, key, child),
                None => unknown_parent(r, &prio, pos, SheetKind::Priorities, prio_index.keys()),
            }
        }
    }
}

fn plan_get<'n>(node: &'n Node<'static>, key: &str) -> Option<&'n Node<'static>> {
    match &node.kind {
        Kind::Map(pairs) => pairs
            .iter()
            .find(|(k, _)| k.as_scalar() == Some(key))
            .map(|(_, v)| v),
        _ => None,
    }
}

fn plan_get_mut<'n>(node: &'n mut Node<'static>, key: &str) -> Option<&'n mut Node<'static>> {
    match &mut node.kind {
        Kind::Map(pairs) => pairs
            .iter_mut()
            .find(|(k, _)| k.as_scalar() == Some(key))
            .map(|(_, v)| v),
        _ => None,
    }
}

fn unknown_header(r: &mut Reading, sheet: &Sheet, text: &str, pos: Pos) {
    let lang = r.lang;
    let msg = tr!(
        lang,
        "colonne inconnue « {text} » dans la feuille « {} »",
        "unknown column “{text}” in sheet “{}”",
        sheet.name(lang)
    );
    let names: Vec<&str> = sheet.columns.iter().map(|c| c.name(lang)).collect();
    let closest = sheet
        .columns
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&columns::normalize(text), &columns::normalize(c.name(lang))),
                c.name(lang),
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n);
    let help = match closest {
        Some(n) => tr!(
            lang,
            "vouliez-vous dire « {n} » ? colonnes possibles : {}",
            "did you mean “{n}”? known columns: {}",
            names.join(", ")
        ),
        None => tr!(
            lang,
            "colonnes possibles : {}",
            "known columns: {}",
            names.join(", ")
        ),
    };
    r.say(Code::UnknownField, pos, msg, Some(help));
}

fn unknown_parent<'k>(
    r: &mut Reading,
    id: &str,
    pos: Pos,
    kind: SheetKind,
    known: impl Iterator<Item = &'k String>,
) {
    let lang = r.lang;
    let sheet = columns::sheet_of(kind).name(lang);
    let msg = match kind {
        SheetKind::Tasks => tr!(
            lang,
            "activité inconnue `{id}` : aucune ligne de la feuille « {sheet} » n'a cet id",
            "unknown task `{id}`: no row of the “{sheet}” sheet has that id"
        ),
        _ => tr!(
            lang,
            "axe inconnu `{id}` : aucune ligne de la feuille « {sheet} » n'a cet id",
            "unknown priority `{id}`: no row of the “{sheet}” sheet has that id"
        ),
    };
    let mut known: Vec<&String> = known.collect();
    known.sort();
    let shown: Vec<&str> = known.iter().take(12).map(|s| s.as_str()).collect();
    let help = tr!(
        lang,
        "identifiants connus : {}",
        "known ids: {}",
        shown.join(", ")
    );
    r.say(Code::UnknownReference, pos, msg, Some(help));
}
