//! `cnrm plan convert`: a plan tree (from YAML or from a workbook) written as the other form.
//!
//! Both directions walk the positioned tree, not the typed model, so that every value keeps the
//! text its author wrote (`T3 2025` stays `T3 2025`): a round trip gives the same plan, and
//! applying the converted file on the original's database changes nothing. Only plans that check
//! without errors are converted (the caller checks first).

use super::columns::{self, Column, Sheet, SheetKind, Value};
use crate::lang::Lang;
use crate::plan::yaml::{Kind, Node};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

fn get<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<&'n Node<'a>> {
    match &node.kind {
        Kind::Map(pairs) => pairs
            .iter()
            .find(|(k, _)| k.as_scalar() == Some(key))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// The node at a dotted path (`reminders.before`).
fn at<'n, 'a>(node: &'n Node<'a>, path: &str) -> Option<&'n Node<'a>> {
    path.split('.').try_fold(node, |n, key| get(n, key))
}

fn items<'n, 'a>(node: Option<&'n Node<'a>>) -> &'n [Node<'a>] {
    match node.map(|n| &n.kind) {
        Some(Kind::Seq(items)) => items,
        _ => &[],
    }
}

/// A YAML plan's whole tree, tasks included (`yaml::parse` hands task items to the validator
/// instead of keeping them; here they are put back under their priorities).
pub fn parse_yaml(src: &str) -> Result<Node<'_>, crate::plan::yaml::SyntaxError> {
    let mut tasks: Vec<(usize, Node<'_>)> = Vec::new();
    let mut root = crate::plan::yaml::parse_streaming(src, &mut |priority, node| {
        tasks.push((priority, node))
    })?;
    if let Kind::Map(pairs) = &mut root.kind {
        if let Some((_, prios)) = pairs
            .iter_mut()
            .find(|(k, _)| k.as_scalar() == Some("priorities"))
        {
            if let Kind::Seq(prios) = &mut prios.kind {
                for (i, task) in tasks {
                    let Some(Kind::Map(fields)) = prios.get_mut(i).map(|p| &mut p.kind) else {
                        continue;
                    };
                    if let Some((_, list)) = fields
                        .iter_mut()
                        .find(|(k, _)| k.as_scalar() == Some("tasks"))
                    {
                        if let Kind::Seq(items) = &mut list.kind {
                            items.push(task);
                        }
                    }
                }
            }
        }
    }
    Ok(root)
}

// ---- tree → YAML --------------------------------------------------------------------------------

/// The tree as a YAML document (block style, texts quoted where YAML would read them otherwise).
pub fn to_yaml(root: &Node<'_>, title: &str) -> String {
    let mut out = format!("# {title}\n");
    if let Kind::Map(pairs) = &root.kind {
        emit_map(pairs, 0, false, &mut out);
    }
    out
}

fn emit_map(pairs: &[(Node<'_>, Node<'_>)], indent: usize, inline_first: bool, out: &mut String) {
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 || !inline_first {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&quote(k.as_scalar().unwrap_or("")));
        out.push(':');
        emit_value(v, indent, out);
    }
}

fn emit_value(v: &Node<'_>, indent: usize, out: &mut String) {
    match &v.kind {
        Kind::Scalar { text, .. } => {
            out.push(' ');
            out.push_str(&quote(text));
            out.push('\n');
        }
        Kind::Seq(items) if items.is_empty() => out.push_str(" []\n"),
        Kind::Map(pairs) if pairs.is_empty() => out.push_str(" {}\n"),
        Kind::Seq(items) if items.iter().all(|i| matches!(i.kind, Kind::Scalar { .. })) => {
            let texts: Vec<String> = items
                .iter()
                .map(|i| quote_flow(i.as_scalar().unwrap_or("")))
                .collect();
            out.push_str(&format!(" [{}]\n", texts.join(", ")));
        }
        Kind::Seq(items) => {
            out.push('\n');
            emit_seq(items, indent + 2, out);
        }
        Kind::Map(pairs) => {
            out.push('\n');
            emit_map(pairs, indent + 2, false, out);
        }
    }
}

fn emit_seq(items: &[Node<'_>], indent: usize, out: &mut String) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match &item.kind {
            Kind::Map(pairs) if !pairs.is_empty() => {
                out.push(' ');
                emit_map(pairs, indent + 2, true, out);
            }
            _ => emit_value(item, indent, out),
        }
    }
}

/// A text as a plain YAML scalar when that reads back as the same text, else double-quoted.
pub fn quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text.trim() == text
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() && c != '\u{a0}')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || " .-_/()'+".contains(c))
        && !matches!(
            text,
            "null" | "Null" | "NULL" | "~" | "true" | "false" | "True" | "False"
        );
    if safe {
        return text.to_string();
    }
    let mut s = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            '\r' => s.push_str("\\r"),
            c if c.is_control() => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Like [`quote`], for an item of a flow list (`[a, b]`), where `,` is not allowed plain.
fn quote_flow(text: &str) -> String {
    quote(text)
}

// ---- tree → workbook ----------------------------------------------------------------------------

/// Writes the plan tree of a YAML file that checks clean as a workbook: every sheet of
/// `workbook.md`, French sheet names and headers for a French plan (English for an English one).
pub fn to_xlsx(root: &Node<'_>) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let lang = match at(root, "plan.language").and_then(Node::as_scalar) {
        Some(l) if l.trim() == "en" => Lang::En,
        _ => Lang::Fr,
    };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let thousands = Format::new().set_num_format("#,##0");
    let formats = Formats {
        date: &date,
        thousands: &thousands,
        lang,
    };

    // Plan: key in A, value in B.
    {
        let sheet = columns::sheet_of(SheetKind::Plan);
        let ws = book.add_worksheet();
        ws.set_name(sheet.name(lang))?;
        let mut row = 0u32;
        for column in sheet.columns {
            let Some(value) = at(root, column.key) else {
                continue;
            };
            ws.write_string_with_format(row, 0, column.name(lang), &bold)?;
            write_cell(ws, row, 1, column, value, &formats)?;
            row += 1;
        }
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 60)?;
    }

    let plan = get(root, "plan");
    let mut rows: Vec<(SheetKind, Vec<Row>)> = Vec::new();
    let mut rates = Vec::new();
    if let Some(Kind::Map(pairs)) = plan.and_then(|p| get(p, "exchange_rates")).map(|n| &n.kind) {
        for (k, v) in pairs {
            rates.push(vec![("currency", Cell::Node(k)), ("rate", Cell::Node(v))]);
        }
    }
    rows.push((SheetKind::Rates, rates));
    let mut holidays = Vec::new();
    for h in items(at(root, "calendar.holidays")) {
        holidays.push(match &h.kind {
            Kind::Scalar { .. } => vec![("from", Cell::Node(h))],
            _ => fields(h, &["from", "to", "label"]),
        });
    }
    rows.push((SheetKind::Holidays, holidays));
    let owner_keys = keys(SheetKind::Owners);
    let owners = items(get(root, "owners"))
        .iter()
        .map(|o| fields(o, &owner_keys))
        .collect();
    rows.push((SheetKind::Owners, owners));
    let (mut prios, mut inds, mut tasks, mut res) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (pk, ik, tk, rk) = (
        keys(SheetKind::Priorities),
        keys(SheetKind::Indicators),
        keys(SheetKind::Tasks),
        keys(SheetKind::Resources),
    );
    for p in items(get(root, "priorities")) {
        prios.push(fields(p, &pk));
        let pid = get(p, "id");
        for i in items(get(p, "indicators")) {
            let mut r = fields(i, &ik);
            if let Some(id) = pid {
                r.push(("priority", Cell::Node(id)));
            }
            inds.push(r);
        }
        for t in items(get(p, "tasks")) {
            let mut r = fields(t, &tk);
            if let Some(id) = pid {
                r.push(("priority", Cell::Node(id)));
            }
            if get(t, "reminders")
                .and_then(Node::as_scalar)
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("off"))
            {
                r.retain(|(k, _)| *k != "reminders");
                r.push(("reminders", Cell::Text("false")));
            }
            tasks.push(r);
            let tid = get(t, "id");
            for x in items(get(t, "resources")) {
                let mut r = fields(x, &rk);
                if let Some(id) = tid {
                    r.push(("task", Cell::Node(id)));
                }
                res.push(r);
            }
        }
    }
    rows.push((SheetKind::Priorities, prios));
    rows.push((SheetKind::Indicators, inds));
    rows.push((SheetKind::Tasks, tasks));
    rows.push((SheetKind::Resources, res));

    for (kind, list) in &rows {
        let sheet = columns::sheet_of(*kind);
        let ws = book.add_worksheet();
        ws.set_name(sheet.name(lang))?;
        write_table(ws, sheet, list, &bold, &formats)?;
    }
    book.save_to_buffer()
}

/// One row to write: the YAML key of each column, and what goes in it.
type Row<'n, 'a> = Vec<(&'static str, Cell<'n, 'a>)>;

/// A cell to write: a tree node, or a fixed text (`false` for `reminders: off`).
enum Cell<'n, 'a> {
    Node(&'n Node<'a>),
    Text(&'static str),
}

struct Formats<'f> {
    date: &'f Format,
    thousands: &'f Format,
    lang: Lang,
}

fn keys(kind: SheetKind) -> Vec<&'static str> {
    columns::sheet_of(kind)
        .columns
        .iter()
        .map(|c| c.key)
        .collect()
}

fn fields<'n, 'a>(node: &'n Node<'a>, keys: &[&'static str]) -> Vec<(&'static str, Cell<'n, 'a>)> {
    keys.iter()
        .filter_map(|k| at(node, k).map(|n| (*k, Cell::Node(n))))
        .filter(|(_, c)| !matches!(c, Cell::Node(n) if matches!(n.kind, Kind::Map(_))))
        .collect()
}

fn write_table(
    ws: &mut Worksheet,
    sheet: &Sheet,
    rows: &[Vec<(&'static str, Cell<'_, '_>)>],
    bold: &Format,
    f: &Formats<'_>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (c, column) in sheet.columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, column.name(f.lang), bold)?;
        let width = match column.value {
            Value::Text => 40.0,
            Value::Date | Value::Amount | Value::Number => 14.0,
            _ => 18.0,
        };
        ws.set_column_width(c, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (key, cell) in row {
            let Some(c) = sheet.columns.iter().position(|c| c.key == *key) else {
                continue;
            };
            let column = &sheet.columns[c];
            match cell {
                Cell::Node(n) => write_cell(ws, r, c as u16, column, n, f)?,
                Cell::Text(t) => {
                    let shown = text_for(column, t, f.lang);
                    ws.write_string(r, c as u16, shown)?;
                }
            }
        }
    }
    Ok(())
}

fn text_for(column: &Column, text: &str, lang: Lang) -> String {
    match column.value {
        Value::YesNo => {
            let yes = text.trim().eq_ignore_ascii_case("true");
            columns::YES_NO[usize::from(!yes)].name(lang).to_string()
        }
        Value::Choice(labels) => columns::yaml_to_label(labels, text.trim(), lang)
            .unwrap_or(text)
            .to_string(),
        _ => text.to_string(),
    }
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    column: &Column,
    node: &Node<'_>,
    f: &Formats<'_>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let text = match &node.kind {
        Kind::Seq(items) => items
            .iter()
            .filter_map(Node::as_scalar)
            .collect::<Vec<_>>()
            .join("; "),
        Kind::Scalar { text, .. } => text.to_string(),
        Kind::Map(_) => return Ok(()),
    };
    match column.value {
        Value::Date => {
            if let Some(d) = iso_day(&text) {
                ws.write_datetime_with_format(row, col, &d, f.date)?;
                return Ok(());
            }
        }
        Value::Amount => {
            if let Ok(v) = crate::plan::values::parse_amount(&text) {
                if v.fract() == 0.0 {
                    ws.write_number_with_format(row, col, v, f.thousands)?;
                } else {
                    ws.write_number(row, col, v)?;
                }
                return Ok(());
            }
        }
        Value::Number => {
            let cleaned: String = text
                .chars()
                .filter(|c| !matches!(c, ' ' | '_' | '\u{a0}'))
                .collect();
            if let Ok(v) = cleaned.parse::<f64>() {
                if v.is_finite() {
                    ws.write_number(row, col, v)?;
                    return Ok(());
                }
            }
        }
        _ => {}
    }
    ws.write_string(row, col, text_for(column, &text, f.lang))?;
    Ok(())
}

/// `2025-09-30` exactly (the form a date cell reads back as), as a date.
fn iso_day(text: &str) -> Option<ExcelDateTime> {
    let t = text.trim();
    if t.len() != 10 || t.as_bytes()[4] != b'-' || t.as_bytes()[7] != b'-' {
        return None;
    }
    let d = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
}
