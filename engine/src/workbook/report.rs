//! The report as a workbook (`cnrm report --format xlsx`) and the task list as one
//! (`cnrm tasks --format xlsx`): the figures of `report::Report`, the same as every other format,
//! one sheet a table, in cells a reader sorts and sums without retyping (`sheet`). Pure: the
//! bytes of the file are returned; the command line writes them whole or not at all.

use super::sheet::{self, Styles, Value};
use super::WorkbookError;
use crate::lang::Lang;
use crate::records::TaskRow;
use crate::report::Report;
use crate::text::unit;
use crate::tr;
use crate::workflow::Status;
use rust_xlsxwriter::{Workbook, Worksheet};

/// The sheets' names, in the report's language.
pub fn sheet_names(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Fr => [
            "Synthèse",
            "Axes",
            "Bailleurs",
            "Retards",
            "Indicateurs",
            "Jalons",
            "Chronogramme",
        ],
        Lang::En => [
            "Summary",
            "Priorities",
            "Funders",
            "Late",
            "Indicators",
            "Milestones",
            "Timeline",
        ],
    }
}

fn sheet<'a>(wb: &'a mut Workbook, name: &str) -> Result<&'a mut Worksheet, WorkbookError> {
    Ok(wb.add_worksheet().set_name(name)?)
}

/// `Prévu (FCFA)`: an amount column's head names the plan currency, so that its cells stay bare
/// numbers.
fn money_head(fr: &str, en: &str, currency: &str) -> (String, String) {
    (
        format!("{fr} ({})", unit(currency)),
        format!("{en} ({})", unit(currency)),
    )
}

fn owned_heads(lang: Lang, pairs: &[(String, String)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(fr, en)| if lang == Lang::Fr { fr } else { en }.clone())
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(f, e)| (f.to_string(), e.to_string()))
        .collect()
}

/// The report workbook: `Synthèse`, `Axes`, `Bailleurs`, `Retards`, `Indicateurs`, `Jalons` and
/// `Chronogramme` (English names in an English report).
pub fn report(r: &Report) -> Result<Vec<u8>, WorkbookError> {
    let l = r.language;
    let st = Styles::new(l);
    let names = sheet_names(l);
    let mut wb = Workbook::new();
    summary(sheet(&mut wb, names[0])?, &st, r)?;
    priorities(sheet(&mut wb, names[1])?, &st, r)?;
    funders(sheet(&mut wb, names[2])?, &st, r)?;
    late(sheet(&mut wb, names[3])?, &st, r)?;
    indicators(sheet(&mut wb, names[4])?, &st, r)?;
    milestones(sheet(&mut wb, names[5])?, &st, r)?;
    super::chronogram::sheet(sheet(&mut wb, names[6])?, &st, l, &r.chronogram)?;
    wb.set_properties(&properties(&r.title));
    Ok(wb.save_to_buffer()?)
}

fn properties(title: &str) -> rust_xlsxwriter::DocProperties {
    rust_xlsxwriter::DocProperties::new()
        .set_title(sheet::cell_text(title))
        .set_author("cnrm")
}

fn summary(ws: &mut Worksheet, st: &Styles, r: &Report) -> Result<(), WorkbookError> {
    let l = r.language;
    let s = &r.summary;
    let c = &r.currency;
    let name = |fr: &str, en: &str| if l == Lang::Fr { fr } else { en }.to_string();
    let amount = |fr: &str, en: &str, x: f64| {
        let (f, e) = money_head(fr, en, c);
        (name(&f, &e), Value::Amount(x))
    };
    let mut rows: Vec<(String, Value)> = vec![
        (name("Plan", "Plan"), Value::text(&r.title)),
        (name("Identifiant du plan", "Plan id"), Value::text(&r.plan)),
        (
            name("Révision du plan", "Plan revision"),
            Value::Int(r.revision),
        ),
        (name("Situation au", "As of"), Value::Date(r.today)),
        (name("Période", "Period"), Value::text(&r.period.label)),
        (
            name("Début de la période", "Period start"),
            Value::Date(r.period.from),
        ),
        (
            name("Fin de la période", "Period end"),
            Value::Date(r.period.to),
        ),
        (
            name(
                "Exécution physique de la période",
                "Physical execution (period)",
            ),
            Value::opt_percent(s.physical_period),
        ),
        (
            name("Tâches dues dans la période", "Tasks due in the period"),
            Value::Int(s.due_in_period as i64),
        ),
        (
            name("Tâches faites dans la période", "Tasks done in the period"),
            Value::Int(s.done_in_period as i64),
        ),
        (
            name("Exécution physique globale", "Physical execution (overall)"),
            Value::Percent(s.physical_overall),
        ),
        (
            name("Exécution financière", "Financial execution"),
            Value::Percent(s.financial),
        ),
        (name("Tâches", "Tasks"), Value::Int(s.tasks as i64)),
        (
            name("Tâches en retard", "Overdue tasks"),
            Value::Int(s.overdue as i64),
        ),
    ];
    for status in Status::ALL {
        let n = s.by_status.get(status.as_str()).copied().unwrap_or(0);
        rows.push((
            tr!(l, "Tâches ({})", "Tasks ({})", status.label(l)),
            Value::Int(n as i64),
        ));
    }
    rows.extend([
        amount("Prévu", "Planned", s.money.planned),
        amount("Acquis", "Secured", s.money.secured),
        amount("Promis", "Pledged", s.money.pledged),
        amount("À rechercher", "Gap", r.gap),
        amount("Dépensé", "Spent", s.money.spent),
    ]);
    let heads = sheet::heads(l, &[("Mesure", "Measure"), ("Valeur", "Value")]);
    let rows: Vec<Vec<Value>> = rows
        .into_iter()
        .map(|(k, v)| vec![Value::Text(k), v])
        .collect();
    sheet::table(ws, st, &heads, &rows)?;
    Ok(())
}

fn priorities(ws: &mut Worksheet, st: &Styles, r: &Report) -> Result<(), WorkbookError> {
    let l = r.language;
    let c = &r.currency;
    let mut heads = pairs(&[
        ("Axe", "Priority"),
        ("Titre", "Title"),
        ("Avancement", "Progress"),
        ("Faites", "Done"),
        ("En retard", "Late"),
        ("À venir", "Upcoming"),
    ]);
    heads.extend([
        money_head("Prévu", "Planned", c),
        money_head("Acquis", "Secured", c),
        money_head("Promis", "Pledged", c),
        money_head("À rechercher", "Gap", c),
        money_head("Dépensé", "Spent", c),
    ]);
    let rows: Vec<Vec<Value>> = r
        .priorities
        .iter()
        .map(|p| {
            vec![
                Value::text(&p.id),
                Value::text(&p.title),
                Value::Percent(p.progress),
                Value::Int(p.done as i64),
                Value::Int(p.late as i64),
                Value::Int(p.upcoming as i64),
                Value::Amount(p.money.planned),
                Value::Amount(p.money.secured),
                Value::Amount(p.money.pledged),
                Value::Amount(p.money.needed),
                Value::Amount(p.money.spent),
            ]
        })
        .collect();
    sheet::table(ws, st, &owned_heads(l, &heads), &rows)?;
    Ok(())
}

fn funders(ws: &mut Worksheet, st: &Styles, r: &Report) -> Result<(), WorkbookError> {
    let l = r.language;
    let c = &r.currency;
    let mut heads = pairs(&[("Bailleur", "Funder"), ("Nom", "Name")]);
    heads.extend([
        money_head("Prévu", "Planned", c),
        money_head("Acquis", "Secured", c),
        money_head("Promis", "Pledged", c),
        money_head("Dépensé", "Spent", c),
    ]);
    let mut rows: Vec<Vec<Value>> = r
        .funders
        .iter()
        .map(|f| {
            vec![
                Value::text(&f.funder),
                Value::text(&f.name),
                Value::Amount(f.planned),
                Value::Amount(f.secured),
                Value::Amount(f.pledged),
                Value::Amount(f.spent),
            ]
        })
        .collect();
    // The financing gap as the line of the money nobody has put up, as in the CSV table.
    rows.push(vec![
        Value::Empty,
        Value::Text(tr!(l, "À rechercher", "Gap")),
        Value::Amount(r.gap),
        Value::Empty,
        Value::Empty,
        Value::Empty,
    ]);
    sheet::table(ws, st, &owned_heads(l, &heads), &rows)?;
    Ok(())
}

fn late(ws: &mut Worksheet, st: &Styles, r: &Report) -> Result<(), WorkbookError> {
    let l = r.language;
    let heads = sheet::heads(
        l,
        &[
            ("Tâche", "Task"),
            ("Titre", "Title"),
            ("Responsables", "Owners"),
            ("Échéance", "Deadline"),
            ("Échéance écrite", "Deadline as written"),
            ("Jours de retard", "Days late"),
            ("Statut", "Status"),
            ("Reports", "Slips"),
            ("Jours reportés", "Days slipped"),
            ("Dernière note", "Last note"),
        ],
    );
    let rows: Vec<Vec<Value>> = r
        .late
        .iter()
        .map(|t| {
            vec![
                Value::text(&t.id),
                Value::text(&t.title),
                Value::Text(t.owners.join(", ")),
                Value::day(Some(&t.deadline)),
                Value::text(&t.deadline_label),
                Value::Int(t.days_late),
                Value::text(t.status.label(l)),
                Value::Int(t.slips as i64),
                Value::Int(t.slipped_days),
                t.last_note
                    .as_deref()
                    .map(Value::text)
                    .unwrap_or(Value::Empty),
            ]
        })
        .collect();
    sheet::table(ws, st, &heads, &rows)?;
    Ok(())
}

fn indicators(ws: &mut Worksheet, st: &Styles, r: &Report) -> Result<(), WorkbookError> {
    let l = r.language;
    let heads = sheet::heads(
        l,
        &[
            ("Indicateur", "Indicator"),
            ("Axe", "Priority"),
            ("Titre", "Title"),
            ("Unité", "Unit"),
            ("Référence", "Baseline"),
            ("Cible", "Target"),
            ("Dernière valeur", "Latest value"),
            ("Date de la valeur", "Date of the value"),
            ("Atteinte", "Achieved"),
            ("Échéance", "Due"),
        ],
    );
    let rows: Vec<Vec<Value>> = r
        .indicators
        .iter()
        .map(|i| {
            let x = &i.indicator;
            vec![
                Value::text(&x.id),
                Value::text(&x.priority),
                Value::text(&x.title),
                x.unit.as_deref().map(Value::text).unwrap_or(Value::Empty),
                Value::opt_number(x.baseline),
                Value::opt_number(x.target),
                Value::opt_number(x.latest.as_ref().map(|(_, v)| *v)),
                Value::day(x.latest.as_ref().map(|(d, _)| d.as_str())),
                Value::opt_percent(i.achievement),
                Value::day(x.due.as_deref()),
            ]
        })
        .collect();
    sheet::table(ws, st, &heads, &rows)?;
    Ok(())
}

fn milestones(ws: &mut Worksheet, st: &Styles, r: &Report) -> Result<(), WorkbookError> {
    let l = r.language;
    let heads = sheet::heads(
        l,
        &[
            ("Jalon", "Milestone"),
            ("Titre", "Title"),
            ("Échéance", "Deadline"),
            ("Statut", "Status"),
            ("Où il en est", "Where it stands"),
        ],
    );
    let reached = tr!(l, "atteint", "reached");
    let next = tr!(l, "prévu au prochain trimestre", "due next quarter");
    let rows: Vec<Vec<Value>> = r
        .milestones_reached
        .iter()
        .map(|m| (m, &reached))
        .chain(r.milestones_upcoming.iter().map(|m| (m, &next)))
        .map(|(m, stands)| {
            vec![
                Value::text(&m.id),
                Value::text(&m.title),
                Value::day(Some(&m.deadline)),
                Value::text(m.status.label(l)),
                Value::text(stands),
            ]
        })
        .collect();
    sheet::table(ws, st, &heads, &rows)?;
    Ok(())
}

/// The task list (`cnrm tasks --format xlsx`): the CSV's columns, heads in the reader's language,
/// deadlines as dates, progress as a percentage, overdue as a yes/no cell.
pub fn tasks(rows: impl Iterator<Item = TaskRow>, lang: Lang) -> Result<Vec<u8>, WorkbookError> {
    let st = Styles::new(lang);
    let heads = sheet::heads(
        lang,
        &[
            ("Id", "Id"),
            ("Plan", "Plan"),
            ("Axe", "Priority"),
            ("Titre", "Title"),
            ("Responsables", "Owners"),
            ("Partenaires", "Partners"),
            ("Échéance", "Deadline"),
            ("Échéance écrite", "Deadline as written"),
            ("Statut", "Status"),
            ("Avancement", "Progress"),
            ("En retard", "Overdue"),
            ("Jours de retard", "Days late"),
        ],
    );
    let rows: Vec<Vec<Value>> = rows
        .map(|t| {
            vec![
                Value::Text(t.id),
                Value::Text(t.plan),
                Value::Text(t.priority),
                Value::Text(t.title),
                Value::Text(t.owners.join(", ")),
                Value::Text(t.partners.join(", ")),
                Value::day(t.deadline.as_deref()),
                Value::Text(t.deadline_label),
                Value::text(t.status.label(lang)),
                Value::Percent(t.progress as f64),
                Value::Bool(t.overdue),
                Value::Int(t.days_late),
            ]
        })
        .collect();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, if lang == Lang::Fr { "Tâches" } else { "Tasks" })?;
    sheet::table(ws, &st, &heads, &rows)?;
    Ok(wb.save_to_buffer()?)
}
