//! `cnrm plan template`: the plan workbook a ministry fills in. Every sheet of `columns::SHEETS`
//! with its headers in the reader's language and one example row (together the example rows
//! are a valid plan: `plan check` passes on the template as written), a `Lisez-moi` (`Read me`)
//! sheet first that explains every column, drop-down lists for every enumeration and for the
//! ids a column refers to (owners, priorities, tasks), frozen header rows and widths that fit.
//! Names, descriptions and enumerations all come from `columns`, the table the reader reads by.

use super::columns::{self, Column, Label, SheetKind, Value as Kind, SHEETS, YES_NO};
use super::sheet::{self, Col, Row, Styles, Value};
use super::WorkbookError;
use crate::lang::Lang;
use chrono::NaiveDate;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, Formula, Workbook, Worksheet,
};

/// The rows the drop-down lists and reference lists cover, below the header.
const LAST_ROW: Row = 2_000;

/// The name of the explaining sheet.
pub fn read_me(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Lisez-moi",
        Lang::En => "Read me",
    }
}

fn day(y: i32, m: u32, d: u32) -> Value {
    NaiveDate::from_ymd_opt(y, m, d)
        .map(Value::Date)
        .unwrap_or(Value::Empty)
}

fn t(lang: Lang, fr: &str, en: &str) -> Value {
    Value::text(if lang == Lang::Fr { fr } else { en })
}

fn label(labels: &[Label], yaml: &str, lang: Lang) -> Value {
    columns::yaml_to_label(labels, yaml, lang)
        .map(Value::text)
        .unwrap_or(Value::Empty)
}

/// The example value of a column (`key`) of a sheet: together, a small valid plan.
fn example(kind: SheetKind, key: &str, lang: Lang) -> Value {
    use SheetKind::*;
    match (kind, key) {
        (Plan, "plan.id") => Value::text("pao-2026"),
        (Plan, "plan.title") => t(lang, "Plan d'actions 2026 du CNRM", "CNRM action plan 2026"),
        (Plan, "plan.period.start") => day(2026, 1, 1),
        (Plan, "plan.period.end") => day(2026, 12, 31),
        (Plan, "plan.timezone") => Value::text("Africa/Bamako"),
        (Plan, "plan.currency") => Value::text("XOF"),
        (Plan, "plan.language") => Value::text(lang.code()),
        (Plan, "plan.secretariat") => Value::text("st-cnrm"),
        (Plan, "reminders.schedule") => Value::text("0 8 * * MON-FRI"),
        (Plan, "reminders.before") => t(lang, "14j; 3j", "14d; 3d"),
        (Plan, "reminders.on_deadline") => label(YES_NO, "true", lang),
        (Plan, "reminders.on_start") => label(YES_NO, "false", lang),
        (Plan, "reminders.overdue_every") => t(lang, "7j", "7d"),
        (Plan, "reminders.escalate_after") => t(lang, "14j", "14d"),
        (Plan, "reminders.digest") => Value::text("0 8 * * MON"),
        (Plan, "calendar.weekend") => Value::text("SAT; SUN"),
        (Rates, "currency") => Value::text("USD"),
        (Rates, "rate") => Value::Number(600.0),
        (Holidays, "from") => day(2026, 5, 1),
        (Holidays, "label") => t(lang, "Fête du Travail", "Labour Day"),
        (Owners, "id") => Value::text("st-cnrm"),
        (Owners, "name") => t(
            lang,
            "Secrétariat technique du CNRM",
            "CNRM technical secretariat",
        ),
        (Owners, "short") => Value::text("ST-CNRM"),
        (Owners, "email") => Value::text("st-cnrm@example.ml"),
        (Owners, "language") => Value::text(lang.code()),
        (Priorities, "id") => Value::text("axe-1"),
        (Priorities, "title") => t(
            lang,
            "Gouvernance et coordination du CNRM",
            "Governance and coordination of the CNRM",
        ),
        (Priorities, "lead") => Value::text("st-cnrm"),
        (Priorities, "aligned_with") => Value::text("PONAM; ODD-10.7"),
        (Indicators, "id") => Value::text("axe-1.i1"),
        (Indicators, "priority") => Value::text("axe-1"),
        (Indicators, "title") => t(
            lang,
            "Sessions ordinaires du CNRM tenues",
            "Ordinary CNRM sessions held",
        ),
        (Indicators, "unit") => t(lang, "sessions", "sessions"),
        (Indicators, "baseline") => Value::Number(0.0),
        (Indicators, "target") => Value::Number(2.0),
        (Indicators, "due") => day(2026, 12, 31),
        (Tasks, "id") => Value::text("axe-1.a1"),
        (Tasks, "priority") => Value::text("axe-1"),
        (Tasks, "title") => t(
            lang,
            "Tenir la première session ordinaire du CNRM",
            "Hold the first ordinary session of the CNRM",
        ),
        (Tasks, "description") => t(
            lang,
            "Convocation, ordre du jour et compte rendu de la session.",
            "Invitation, agenda and minutes of the session.",
        ),
        (Tasks, "owner") => Value::text("st-cnrm"),
        (Tasks, "start") => day(2026, 1, 5),
        (Tasks, "deadline") => Value::text("T1 2026"),
        (Tasks, "milestone") => label(YES_NO, "true", lang),
        (Resources, "task") => Value::text("axe-1.a1"),
        (Resources, "kind") => label(columns::KINDS, "budget", lang),
        (Resources, "amount") => Value::Amount(2_500_000.0),
        (Resources, "currency") => Value::text("XOF"),
        (Resources, "funder") => Value::text("st-cnrm"),
        (Resources, "status") => label(columns::STATUSES, "secured", lang),
        (Resources, "label") => t(
            lang,
            "Location de salle et restauration",
            "Room hire and catering",
        ),
        _ => Value::Empty,
    }
}

/// The sheet whose id column a column refers to, for its drop-down list.
fn refers_to(kind: SheetKind, key: &str) -> Option<SheetKind> {
    use SheetKind::*;
    match (kind, key) {
        (_, "owner" | "lead" | "partners" | "parent" | "funder" | "plan.secretariat") => {
            Some(Owners)
        }
        (Tasks | Indicators, "priority") => Some(Priorities),
        (Resources, "task") | (Tasks, "depends_on") => Some(Tasks),
        _ => None,
    }
}

/// `'Responsables'!$A$2:$A$2000`: the ids of a sheet, for a list.
fn id_range(kind: SheetKind, lang: Lang) -> String {
    format!(
        "='{}'!$A$2:$A${}",
        columns::sheet_of(kind).name(lang),
        LAST_ROW + 1
    )
}

/// The drop-down list of a column, if it has one: the labels of an enumeration, yes/no, or the
/// ids of the sheet it refers to. A column that holds several values (`partenaires`, `dépend
/// de`) offers the list but warns instead of refusing, so that `dgme; oim` can still be typed.
fn validation(
    kind: SheetKind,
    c: &Column,
    lang: Lang,
) -> Result<Option<DataValidation>, WorkbookError> {
    let names = |labels: &[Label]| -> Vec<String> {
        labels.iter().map(|l| l.name(lang).to_string()).collect()
    };
    let several = matches!(c.value, Kind::List);
    let list = match (c.value, refers_to(kind, c.key)) {
        (Kind::Choice(labels), _) => DataValidation::new().allow_list_strings(&names(labels))?,
        (Kind::YesNo, _) => DataValidation::new().allow_list_strings(&names(YES_NO))?,
        (_, Some(target)) => {
            DataValidation::new().allow_list_formula(Formula::new(id_range(target, lang)))
        }
        _ => return Ok(None),
    };
    let (title, message) = match (lang, several) {
        (Lang::Fr, false) => (
            "Valeur hors liste",
            "Choisissez une valeur de la liste déroulante.",
        ),
        (Lang::En, false) => ("Not in the list", "Choose a value from the drop-down list."),
        (Lang::Fr, true) => (
            "Valeur hors liste",
            "Cette colonne prend une ou plusieurs valeurs de la liste, séparées par « ; ».",
        ),
        (Lang::En, true) => (
            "Not in the list",
            "This column takes one or more values of the list, separated by `;`.",
        ),
    };
    let style = if several {
        DataValidationErrorStyle::Warning
    } else {
        DataValidationErrorStyle::Stop
    };
    Ok(Some(
        list.ignore_blank(true)
            .set_error_title(title)?
            .set_error_message(crate::text::french_typography(message))?
            .set_error_style(style),
    ))
}

/// The `Plan` sheet: keys in column A, values in column B, no header row.
fn plan_sheet(ws: &mut Worksheet, st: &Styles, lang: Lang) -> Result<(), WorkbookError> {
    let sheet = columns::sheet_of(SheetKind::Plan);
    let key_format = Format::new().set_bold().set_align(FormatAlign::Top);
    let mut widths = (6, 10);
    for (r, c) in sheet.columns.iter().enumerate() {
        let row = r as Row;
        ws.write_string_with_format(row, 0, c.name(lang), &key_format)?;
        let value = example(SheetKind::Plan, c.key, lang);
        sheet::write(ws, st, row, 1, &value)?;
        if let Some(v) = validation(SheetKind::Plan, c, lang)? {
            ws.add_data_validation(row, 1, row, 1, &v)?;
        }
        widths.0 = widths.0.max(c.name(lang).chars().count() + 2);
        if let Value::Text(s) = &value {
            widths.1 = widths.1.max(s.chars().count() + 2);
        }
    }
    ws.set_column_width(0, widths.0 as f64)?;
    ws.set_column_width(1, widths.1.min(60) as f64)?;
    Ok(())
}

/// A sheet with a header row: the example row, the lists, the frozen head and the widths.
fn item_sheet(
    ws: &mut Worksheet,
    st: &Styles,
    kind: SheetKind,
    lang: Lang,
) -> Result<(), WorkbookError> {
    let sheet = columns::sheet_of(kind);
    let heads: Vec<String> = sheet
        .columns
        .iter()
        .map(|c| c.name(lang).to_string())
        .collect();
    let row: Vec<Value> = sheet
        .columns
        .iter()
        .map(|c| example(kind, c.key, lang))
        .collect();
    sheet::table(ws, st, &heads, &[row])?;
    let required = st
        .head
        .clone()
        .set_font_color(rust_xlsxwriter::Color::RGB(0x9C0006));
    // Date columns are text columns: `2025-12` or `T1 2026` typed there stays what was typed,
    // where a spreadsheet would turn `2025-12` into the date 1 Dec 2025. The example is text too.
    let text = st.text.clone().set_num_format("@");
    for (i, c) in sheet.columns.iter().enumerate() {
        let col = i as Col;
        if c.value == Kind::Date {
            ws.set_column_format(col, &text)?;
            let shown = match example(kind, c.key, lang) {
                Value::Date(d) => Some(match lang {
                    Lang::Fr => d.format("%d/%m/%Y").to_string(),
                    Lang::En => d.format("%Y-%m-%d").to_string(),
                }),
                Value::Text(s) => Some(s),
                _ => None,
            };
            match shown {
                Some(s) => ws.write_string_with_format(1, col, s, &text)?,
                None => ws.write_blank(1, col, &text)?,
            };
        }
        if c.required {
            ws.write_string_with_format(0, col, c.name(lang), &required)?;
        }
        if let Some(v) = validation(kind, c, lang)? {
            ws.add_data_validation(1, col, LAST_ROW, col, &v)?;
        }
    }
    Ok(())
}

/// The `Lisez-moi` sheet: what a row of each sheet is, then each column: its name, whether it
/// is required, what it holds, and the values of its list.
fn read_me_sheet(ws: &mut Worksheet, st: &Styles, lang: Lang) -> Result<(), WorkbookError> {
    let heads = sheet::heads(
        lang,
        &[
            ("Feuille", "Sheet"),
            ("Colonne", "Column"),
            ("Obligatoire", "Required"),
            ("Description", "Description"),
            ("Valeurs possibles", "Possible values"),
        ],
    );
    let yes_no = |b: bool| label(YES_NO, if b { "true" } else { "false" }, lang);
    let mut rows: Vec<Vec<Value>> = Vec::new();
    for s in SHEETS {
        let what = match lang {
            Lang::Fr => format!("Une ligne\u{a0}: {}.", s.row(lang)),
            Lang::En => format!("One row: {}.", s.row(lang)),
        };
        rows.push(vec![
            Value::text(s.name(lang)),
            Value::Empty,
            yes_no(s.required),
            Value::Text(what),
            Value::Empty,
        ]);
        for c in s.columns {
            let values = match (c.value, refers_to(s.kind, c.key)) {
                (Kind::Choice(_) | Kind::YesNo, _) => {
                    let labels = if let Kind::Choice(l) = c.value {
                        l
                    } else {
                        YES_NO
                    };
                    Value::Text(
                        labels
                            .iter()
                            .map(|l| l.name(lang))
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                }
                (_, Some(target)) => Value::Text(match lang {
                    Lang::Fr => format!(
                        "un id de la feuille {}",
                        columns::sheet_of(target).name(lang)
                    ),
                    Lang::En => format!(
                        "an id of the {} sheet",
                        columns::sheet_of(target).name(lang)
                    ),
                }),
                _ => Value::Empty,
            };
            rows.push(vec![
                Value::text(s.name(lang)),
                Value::text(c.name(lang)),
                yes_no(c.required),
                Value::Text(c.about(lang)),
                values,
            ]);
        }
    }
    sheet::table(ws, st, &heads, &rows)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.set_column_format(3, &wrap)?;
    ws.set_column_width(3, 70)?;
    Ok(())
}

/// The template workbook in `lang`.
pub fn template(lang: Lang) -> Result<Vec<u8>, WorkbookError> {
    let st = Styles::new(lang);
    let mut wb = Workbook::new();
    read_me_sheet(wb.add_worksheet().set_name(read_me(lang))?, &st, lang)?;
    for s in SHEETS {
        let ws = wb.add_worksheet().set_name(s.name(lang))?;
        if s.kind == SheetKind::Plan {
            plan_sheet(ws, &st, lang)?;
        } else {
            item_sheet(ws, &st, s.kind, lang)?;
        }
    }
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(match lang {
                Lang::Fr => "Modèle de plan d'actions cnrm",
                Lang::En => "cnrm action plan template",
            })
            .set_author("cnrm"),
    );
    Ok(wb.save_to_buffer()?)
}
