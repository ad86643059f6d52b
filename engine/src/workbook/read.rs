//! Reading a plan workbook (`.xlsx`, `.ods`) with `calamine` into the same positioned tree the
//! YAML reader builds, so that one validator (`plan::check_tree`) serves both.
//!
//! Every node's position is its sheet (`Pos::sheet`, 1 = the workbook's first sheet), row
//! (`line`) and column (`col`, 1 = A). What only a workbook can get wrong (a sheet missing, an
//! unknown header, merged header cells, a formula without a value, a label that is no label) is
//! reported here, as located diagnostics handed to the validator with the tree.

use super::columns::{self, Column, Sheet, SheetKind, Value};
use crate::lang::Lang;
use crate::plan::diag::{column_letters, Code};
use crate::plan::yaml::{Kind, Node, Pos};
use crate::plan::{check_tree, Checked, Found};
use crate::tr;
use calamine::{Data, Range, Reader, Sheets};
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
        }
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
}

impl Workbook {
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
    for d in &mut checked.diagnostics {
        at_the_empty_cell(d, &wb);
        headed(d);
    }
    Ok((checked, wb))
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

/// Opens the bytes, or says in one sentence why they are not a workbook.
fn open(bytes: &[u8]) -> Result<Sheets<Cursor<&[u8]>>, Refusal> {
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
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::Damaged)?;
    let is_ods = zip.by_name("content.xml").is_ok();
    if is_ods {
        calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(Cursor::new(bytes))
            .map(Sheets::Ods)
            .map_err(|_| Refusal::Damaged)
    } else if zip.by_name("xl/workbook.xml").is_ok() {
        calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(bytes))
            .map(Sheets::Xlsx)
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

fn cell_text(data: &Data) -> CellText {
    match data {
        Data::Empty => CellText::Empty,
        Data::String(s) if s.trim().is_empty() => CellText::Empty,
        Data::String(s) => CellText::Text(s.clone()),
        Data::Int(i) => CellText::Text(i.to_string()),
        Data::Float(f) => CellText::Text(number_text(*f)),
        Data::Bool(b) => CellText::Text(b.to_string()),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            CellText::Text(format!("{y:04}-{m:02}-{day:02}"))
        }
        Data::DateTimeIso(s) => CellText::Text(s.split('T').next().unwrap_or(s).to_string()),
        Data::DurationIso(s) => CellText::Text(s.clone()),
        Data::Error(e) => CellText::Broken(e.to_string()),
    }
}

/// A number cell as text: whole numbers without a decimal point (`12500000`), others as short as
/// they read back exactly (`605.5`).
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
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
    /// Where each column stands: (sheet, YAML key) → column number.
    columns_at: HashMap<(u16, &'static str), u32>,
}

impl Reading {
    fn say(&mut self, code: Code, pos: Pos, message: String, help: Option<String>) {
        self.found.push((code, pos, message, help));
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
            Value::Date => Some(scalar(day_first(text), pos)),
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

/// The cells of a sheet as texts, with formula errors and formulas without a value reported.
fn sheet_rows(
    r: &mut Reading,
    index: u16,
    range: &Range<Data>,
    formulas: Option<&Range<String>>,
) -> Rows {
    let mut rows: Rows = Vec::new();
    let Some((row0, col0)) = range.start() else {
        return rows;
    };
    let lang = r.lang;
    for (i, cells) in range.rows().enumerate() {
        let row = row0 + i as u32 + 1;
        let mut out = Vec::new();
        for (j, data) in cells.iter().enumerate() {
            let col = col0 + j as u32 + 1;
            let pos = Pos {
                line: row,
                col,
                sheet: index,
            };
            let formula = formulas
                .and_then(|f| f.get_value((row - 1, col - 1)))
                .filter(|f| !f.is_empty());
            match cell_text(data) {
                CellText::Text(t) => {
                    r.cells.insert((index, row, col), t.clone());
                    out.push((col, t));
                }
                CellText::Empty => {
                    if let Some(f) = formula {
                        r.cells.insert((index, row, col), format!("={f}"));
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
                        r.say(Code::InvalidValue, pos, msg, Some(help));
                    }
                }
                CellText::Broken(e) => {
                    r.cells.insert((index, row, col), e.clone());
                    let msg = tr!(
                        lang,
                        "la cellule contient l'erreur de formule `{e}`",
                        "the cell holds the formula error `{e}`"
                    );
                    r.say(Code::InvalidValue, pos, msg, None);
                }
            }
        }
        if !out.is_empty() {
            rows.push((row, out));
        }
    }
    // Formulas outside the value range (a formula whose value was never computed at all).
    if let Some(f) = formulas {
        if let Some((fr0, fc0)) = f.start() {
            for (i, cells) in f.rows().enumerate() {
                for (j, text) in cells.iter().enumerate() {
                    let (row, col) = (fr0 + i as u32, fc0 + j as u32);
                    if text.is_empty() || range.get_value((row, col)).is_some() {
                        continue;
                    }
                    let pos = Pos {
                        line: row + 1,
                        col: col + 1,
                        sheet: index,
                    };
                    r.cells
                        .insert((index, row + 1, col + 1), format!("={text}"));
                    let msg = tr!(
                        lang,
                        "la formule `={text}` n'a pas de valeur calculée",
                        "the formula `={text}` has no computed value"
                    );
                    r.say(Code::InvalidValue, pos, msg, None);
                }
            }
        }
    }
    rows
}

/// The rows each hidden, per sheet name, read from the `.xlsx` sheets' XML (calamine does not
/// say); empty for `.ods` and anything unreadable.
fn hidden_rows(bytes: &[u8]) -> HashMap<String, Vec<u32>> {
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
        let Some(xml) = read(&path) else { continue };
        let hidden: Vec<u32> = tags(&xml, "row")
            .filter(|t| attr(t, "hidden").is_some_and(|h| h == "1" || h == "true"))
            .filter_map(|t| attr(t, "r")?.parse().ok())
            .collect();
        if !hidden.is_empty() {
            out.insert(name, hidden);
        }
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

/// Reads a workbook's bytes into the plan tree, or says why they are no workbook.
pub fn read(bytes: &[u8], lang: Lang) -> Result<Workbook, Refusal> {
    let mut book = open(bytes)?;
    let names = book.sheet_names();
    let mut r = Reading {
        lang,
        found: Vec::new(),
        cells: HashMap::new(),
        columns_at: HashMap::new(),
    };
    let hidden = hidden_rows(bytes);

    // Each sheet of the format found in the workbook, first one of a kind only.
    let mut found_sheets: Vec<(&'static Sheet, u16, Rows)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let index = i as u16 + 1;
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
            r.say(
                Code::InvalidValue,
                Pos {
                    line: 1,
                    col: 1,
                    sheet: index,
                },
                msg,
                None,
            );
            continue;
        }
        let Ok(range) = book.worksheet_range(name) else {
            return Err(Refusal::Damaged);
        };
        let formulas = book.worksheet_formula(name).ok();
        let rows = sheet_rows(&mut r, index, &range, formulas.as_ref());
        if let Sheets::Xlsx(x) = &mut book {
            // Merged regions matter in header rows only; a failure to read them leaves them unknown.
            let merged = x.merge_cells_by_sheet_name(name).unwrap_or_default();
            if let (Some((header_row, _)), SheetKindHeader::Yes) =
                (rows.first(), header_kind(sheet))
            {
                for dims in &merged {
                    let (r0, c0) = dims.start;
                    let (r1, c1) = dims.end;
                    if r0 < *header_row && *header_row <= r1 + 1 {
                        let range_text = format!(
                            "{}{}:{}{}",
                            column_letters(c0 + 1),
                            r0 + 1,
                            column_letters(c1 + 1),
                            r1 + 1
                        );
                        let msg = tr!(
                            lang,
                            "cellules d'en-tête fusionnées ({range_text}) : chaque colonne a besoin de son propre en-tête",
                            "merged header cells ({range_text}): every column needs its own header"
                        );
                        let help = tr!(
                            lang,
                            "annulez la fusion et écrivez un en-tête par colonne",
                            "unmerge the cells and write one header per column"
                        );
                        r.say(
                            Code::InvalidValue,
                            Pos {
                                line: r0 + 1,
                                col: c0 + 1,
                                sheet: index,
                            },
                            msg,
                            Some(help),
                        );
                    }
                }
            }
        }
        if let Some(rows_hidden) = hidden.get(name) {
            let shown: Vec<String> = rows_hidden.iter().take(12).map(u32::to_string).collect();
            let more = if rows_hidden.len() > 12 { ", …" } else { "" };
            let msg = tr!(
                lang,
                "{} ligne(s) masquée(s) dans la feuille `{name}` ({}{more}) : elles sont lues comme les autres",
                "{} hidden row(s) in sheet `{name}` ({}{more}): they are read like the others",
                rows_hidden.len(),
                shown.join(", ")
            );
            let help = tr!(
                lang,
                "affichez-les pour relire ce qu'elles contiennent, ou supprimez-les si elles ne font pas partie du plan",
                "unhide them to review what they hold, or delete them if they are not part of the plan"
            );
            r.say(
                Code::HiddenRows,
                Pos {
                    line: rows_hidden[0],
                    col: 1,
                    sheet: index,
                },
                msg,
                Some(help),
            );
        }
        found_sheets.push((sheet, index, rows));
    }

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

    let plan_index = found_sheets
        .iter()
        .find(|(s, ..)| s.kind == SheetKind::Plan)
        .map_or(1, |(_, i, _)| *i);
    let root_pos = Pos {
        line: 1,
        col: 1,
        sheet: plan_index,
    };
    let mut root = map(root_pos);
    insert(&mut root, "version", root_pos, scalar("1", root_pos));
    let mut plan = map(root_pos);
    let mut reminders: Option<Node<'static>> = None;
    let mut calendar: Option<Node<'static>> = None;
    let mut owners: Vec<Node<'static>> = Vec::new();
    let mut priorities: Vec<(Option<String>, Node<'static>)> = Vec::new();
    let mut indicators: Vec<(String, Pos, Node<'static>)> = Vec::new();
    let mut tasks: Vec<(String, Pos, Node<'static>)> = Vec::new();
    let mut resources: Vec<(String, Pos, Node<'static>)> = Vec::new();
    let mut rates: Option<Node<'static>> = None;
    let mut holidays: Option<Node<'static>> = None;
    let mut owners_pos = root_pos;
    let mut priorities_pos = root_pos;

    // Sheets in the format's order, so that references resolve the same whatever the tabs' order.
    found_sheets.sort_by_key(|(s, ..)| s.kind);
    for (sheet, index, rows) in &found_sheets {
        let first = Pos {
            line: 1,
            col: 1,
            sheet: *index,
        };
        if sheet.kind == SheetKind::Plan {
            for (row, cells) in rows {
                let key_cell = cells.iter().find(|(c, _)| *c == 1);
                let value_cell = cells.iter().find(|(c, _)| *c == 2);
                let key_pos = Pos {
                    line: *row,
                    col: 1,
                    sheet: *index,
                };
                let Some((_, key)) = key_cell else {
                    if let Some((col, text)) = value_cell {
                        let msg = tr!(
                            lang,
                            "valeur `{text}` sans clé en colonne A",
                            "value `{text}` without a key in column A"
                        );
                        let pos = Pos {
                            line: *row,
                            col: *col,
                            sheet: *index,
                        };
                        r.say(Code::UnknownField, pos, msg, None);
                    }
                    continue;
                };
                let Some(column) = sheet.columns.iter().find(|c| c.is_named(key)) else {
                    unknown_header(&mut r, sheet, key, key_pos);
                    continue;
                };
                let Some((col, text)) = value_cell else {
                    continue;
                };
                let pos = Pos {
                    line: *row,
                    col: *col,
                    sheet: *index,
                };
                let Some(value) = r.value(column, pos, text) else {
                    continue;
                };
                match column.key.split_once('.') {
                    Some(("plan", rest)) => {
                        if rest.starts_with("period.") && plan_get(&plan, "period").is_none() {
                            insert(&mut plan, "period", key_pos, map(key_pos));
                        }
                        insert(&mut plan, rest, key_pos, value);
                    }
                    Some(("reminders", rest)) => insert(
                        reminders.get_or_insert_with(|| map(key_pos)),
                        rest,
                        key_pos,
                        value,
                    ),
                    Some(("calendar", rest)) => insert(
                        calendar.get_or_insert_with(|| map(key_pos)),
                        rest,
                        key_pos,
                        value,
                    ),
                    _ => {}
                }
            }
            continue;
        }
        // Header row: the first non-empty row.
        let Some(((header_row, header_cells), items)) = rows.split_first() else {
            continue;
        };
        let mut header: HashMap<u32, &'static Column> = HashMap::new();
        for (col, text) in header_cells {
            let pos = Pos {
                line: *header_row,
                col: *col,
                sheet: *index,
            };
            match columns::column(sheet, text) {
                Some(column) => {
                    if header.values().any(|c| c.key == column.key) {
                        let msg = tr!(
                            lang,
                            "la colonne « {} » est en double",
                            "column “{}” is written twice",
                            column.name(lang)
                        );
                        r.say(Code::InvalidValue, pos, msg, None);
                    } else {
                        header.insert(*col, column);
                        r.columns_at.insert((*index, column.key), *col);
                    }
                }
                None => unknown_header(&mut r, sheet, text, pos),
            }
        }
        for (row, cells) in items {
            let row_pos = Pos {
                line: *row,
                col: cells.first().map_or(1, |(c, _)| *c),
                sheet: *index,
            };
            let mut item = map(row_pos);
            let mut parent: Option<(String, Pos)> = None;
            for (col, text) in cells {
                let Some(column) = header.get(col) else {
                    continue;
                };
                let pos = Pos {
                    line: *row,
                    col: *col,
                    sheet: *index,
                };
                let key_pos = Pos {
                    line: *header_row,
                    col: *col,
                    sheet: *index,
                };
                let is_parent = matches!(
                    (sheet.kind, column.key),
                    (SheetKind::Indicators | SheetKind::Tasks, "priority")
                        | (SheetKind::Resources, "task")
                );
                if is_parent {
                    parent = Some((text.trim().to_string(), pos));
                    continue;
                }
                if let Some(value) = r.value(column, pos, text) {
                    insert(&mut item, column.key, key_pos, value);
                }
            }
            match sheet.kind {
                SheetKind::Rates => {
                    let Kind::Map(pairs) = &mut item.kind else {
                        continue;
                    };
                    let currency = pairs
                        .iter()
                        .position(|(k, _)| k.as_scalar() == Some("currency"));
                    let rate = pairs
                        .iter()
                        .position(|(k, _)| k.as_scalar() == Some("rate"));
                    let (Some(c), Some(v)) = (currency, rate) else {
                        let missing = if currency.is_none() {
                            "currency"
                        } else {
                            "rate"
                        };
                        let column = sheet.by_key(missing).map_or(missing, |c| c.name(lang));
                        let msg = tr!(
                            lang,
                            "la colonne « {column} » est vide sur cette ligne",
                            "column “{column}” is empty on this row"
                        );
                        r.say(Code::MissingField, row_pos, msg, None);
                        continue;
                    };
                    let (key, value) = (pairs[c].1.clone(), pairs[v].1.clone());
                    let target = rates.get_or_insert_with(|| map(first));
                    if let Kind::Map(all) = &mut target.kind {
                        all.push((key, value));
                    }
                }
                SheetKind::Holidays => {
                    let Kind::Map(pairs) = &item.kind else {
                        continue;
                    };
                    let only_date = pairs.len() == 1 && pairs[0].0.as_scalar() == Some("from");
                    let node = if only_date { pairs[0].1.clone() } else { item };
                    let list = holidays.get_or_insert_with(|| seq(first, Vec::new()));
                    if let Kind::Seq(all) = &mut list.kind {
                        all.push(node);
                    }
                }
                SheetKind::Owners => {
                    owners_pos = first;
                    owners.push(item);
                }
                SheetKind::Priorities => {
                    priorities_pos = first;
                    let id = plan_get(&item, "id")
                        .and_then(|n| n.as_scalar())
                        .map(|s| s.trim().to_string());
                    priorities.push((id, item));
                }
                SheetKind::Indicators | SheetKind::Tasks | SheetKind::Resources => {
                    let Some((parent, pos)) = parent else {
                        let key = if sheet.kind == SheetKind::Resources {
                            "task"
                        } else {
                            "priority"
                        };
                        let column = sheet.by_key(key).map_or(key, |c| c.name(lang));
                        let msg = tr!(
                            lang,
                            "la colonne « {column} » est vide sur cette ligne",
                            "column “{column}” is empty on this row"
                        );
                        r.say(Code::MissingField, row_pos, msg, None);
                        continue;
                    };
                    let list = match sheet.kind {
                        SheetKind::Indicators => &mut indicators,
                        SheetKind::Tasks => &mut tasks,
                        _ => &mut resources,
                    };
                    list.push((parent, pos, item));
                }
                SheetKind::Plan => {}
            }
        }
    }

    // Resources under their tasks, tasks and indicators under their priorities.
    let mut task_index: HashMap<String, usize> = HashMap::new();
    for (i, (_, _, t)) in tasks.iter().enumerate() {
        if let Some(id) = plan_get(t, "id").and_then(|n| n.as_scalar()) {
            task_index.entry(id.trim().to_string()).or_insert(i);
        }
    }
    for (task, pos, res) in resources {
        match task_index.get(&task) {
            Some(&i) => {
                let t = &mut tasks[i].2;
                if plan_get(t, "resources").is_none() {
                    let p = res.pos;
                    insert(t, "resources", p, seq(p, Vec::new()));
                }
                if let Some(Node {
                    kind: Kind::Seq(list),
                    ..
                }) = plan_get_mut(t, "resources")
                {
                    list.push(res);
                }
            }
            None => unknown_parent(&mut r, &task, pos, SheetKind::Tasks, task_index.keys()),
        }
    }
    let prio_index: HashMap<String, usize> = priorities
        .iter()
        .enumerate()
        .filter_map(|(i, (id, _))| Some((id.clone()?, i)))
        .collect();
    for (key, children) in [("indicators", indicators), ("tasks", tasks)] {
        for (prio, pos, child) in children {
            match prio_index.get(&prio) {
                Some(&i) => {
                    let p = &mut priorities[i].1;
                    if plan_get(p, key).is_none() {
                        let at = child.pos;
                        insert(p, key, at, seq(at, Vec::new()));
                    }
                    if let Some(Node {
                        kind: Kind::Seq(list),
                        ..
                    }) = plan_get_mut(p, key)
                    {
                        list.push(child);
                    }
                }
                None => {
                    unknown_parent(&mut r, &prio, pos, SheetKind::Priorities, prio_index.keys())
                }
            }
        }
    }

    if let Some(rates) = rates {
        insert(&mut plan, "exchange_rates", rates.pos, rates);
    }
    insert(&mut root, "plan", root_pos, plan);
    if let Some(rem) = reminders {
        insert(&mut root, "reminders", rem.pos, rem);
    }
    if let Some(h) = holidays {
        let c = calendar.get_or_insert_with(|| map(h.pos));
        insert(c, "holidays", h.pos, h);
    }
    if let Some(c) = calendar {
        insert(&mut root, "calendar", c.pos, c);
    }
    insert(&mut root, "owners", owners_pos, seq(owners_pos, owners));
    insert(
        &mut root,
        "priorities",
        priorities_pos,
        seq(
            priorities_pos,
            priorities.into_iter().map(|(_, p)| p).collect(),
        ),
    );
    Ok(Workbook {
        root,
        sheets: names,
        found: r.found,
        cells: r.cells,
        columns_at: r.columns_at,
        incomplete,
    })
}

enum SheetKindHeader {
    Yes,
    No,
}

fn header_kind(sheet: &Sheet) -> SheetKindHeader {
    if sheet.kind == SheetKind::Plan {
        SheetKindHeader::No
    } else {
        SheetKindHeader::Yes
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
