//! How commands write to stdout: one buffered writer, JSON, CSV and the `cnrm tasks` table.
//!
//! Everything goes through `std::io::Write` and returns its error: a closed pipe becomes
//! `CliError::Io`, which the edge ends quietly (`println!` would panic instead).

use crate::strings;
use cnrm_engine::store::TaskRow;
use cnrm_engine::text::char_count;
use cnrm_engine::Lang;
use crossterm::style::Stylize;
use std::io::{BufWriter, IsTerminal, Stdout, Write};

/// Stdout, buffered: flush it before waiting on anything slow, and at the end.
pub fn stdout() -> BufWriter<Stdout> {
    BufWriter::new(std::io::stdout())
}

pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

/// The terminal's width, or no limit when the output is not a terminal.
pub fn table_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w).max(40))
}

/// `value` as pretty JSON, then a newline.
pub fn json<T: serde::Serialize + ?Sized>(out: &mut impl Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// A JSON array with one pretty object per element, each starting its own line.
pub fn json_rows<T: serde::Serialize>(
    out: &mut impl Write,
    rows: impl IntoIterator<Item = T>,
) -> std::io::Result<()> {
    out.write_all(b"[")?;
    for (i, r) in rows.into_iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer_pretty(&mut *out, &r)?;
    }
    out.write_all(b"\n]\n")
}

pub use cnrm_engine::text::csv_line;

/// `s` fitted to `width` characters: padded, or cut with `…`.
fn fit(s: &str, width: usize) -> String {
    if char_count(s) <= width {
        format!("{s:<width$}")
    } else {
        let mut cut: String = s.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The first five cells of a task's line: id, deadline, status, progress, owners.
fn task_cells(lang: Lang, r: &TaskRow) -> [String; 5] {
    let deadline = strings::deadline(lang, &r.deadline_label, r.deadline.as_deref());
    let mut status = r.status.label(lang).to_string();
    if r.overdue {
        status.push_str(" · ");
        status.push_str(&strings::late_by(lang, r.days_late));
    }
    if r.archived {
        status.push_str(" · ");
        status.push_str(strings::archived_marker(lang));
    }
    [
        r.id.clone(),
        deadline,
        status,
        r.progress.to_string(),
        r.owners.join(", "),
    ]
}

/// The `cnrm tasks` table: it fits `width` (the title column gives way), the header in bold and
/// overdue rows in red on a terminal.
/// `rows` gives the tasks, twice: for the columns' widths, then for the lines (a long list is
/// never held whole).
pub fn task_table<I: Iterator<Item = TaskRow>>(
    out: &mut impl Write,
    lang: Lang,
    rows: impl Fn() -> I,
    width: Option<usize>,
) -> std::io::Result<()> {
    let paint = use_color();
    let headers = strings::task_headers(lang);
    let mut w = headers.map(char_count);
    for r in rows() {
        for (wi, cell) in w.iter_mut().zip(task_cells(lang, &r)) {
            *wi = (*wi).max(char_count(&cell));
        }
    }
    w[4] = w[4].min(28);
    let fixed: usize = w[..5].iter().sum::<usize>() + 2 * 5;
    let title_width = width.map(|total| total.saturating_sub(fixed).max(12));
    let line = |cells: [&str; 5], title: &str| {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i == 3 {
                // Progress, right-aligned.
                line.push_str(&format!("{cell:>width$}", width = w[3]));
            } else {
                line.push_str(&fit(cell, w[i]));
            }
            line.push_str("  ");
        }
        match title_width {
            Some(width) => line.push_str(&fit(title, width)),
            None => line.push_str(title),
        }
        line.trim_end().to_string()
    };
    let head = line(
        [headers[0], headers[1], headers[2], headers[3], headers[4]],
        headers[5],
    );
    if paint {
        writeln!(out, "{}", head.bold())?;
    } else {
        writeln!(out, "{head}")?;
    }
    for r in rows() {
        let c = task_cells(lang, &r);
        let text = line([&c[0], &c[1], &c[2], &c[3], &c[4]], &r.title);
        if paint && r.overdue {
            writeln!(out, "{}", text.red())?;
        } else {
            writeln!(out, "{text}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cnrm_engine::workflow::Status;

    fn row(id: &str) -> TaskRow {
        TaskRow {
            id: id.into(),
            plan: "p".into(),
            priority: "axe-1".into(),
            title: "Former les conseillers d'accueil".into(),
            owners: vec!["dgme".into()],
            partners: Vec::new(),
            deadline: Some("2026-09-30".into()),
            deadline_label: "T3 2026".into(),
            status: Status::Todo,
            progress: 0,
            overdue: false,
            days_late: 0,
            milestone: false,
            archived: false,
        }
    }

    fn table(rows: &[TaskRow], width: Option<usize>) -> String {
        let mut out = Vec::new();
        task_table(&mut out, Lang::Fr, || rows.iter().cloned(), width).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell() {
        let mut late = row("une-tâche-à-l-identifiant-long");
        (late.overdue, late.days_late, late.progress) = (true, 12, 40);
        let rows = [row("t1"), late];
        assert_eq!(
            table(&rows, None),
            "ID                              ÉCHÉANCE              STATUT                     %  RESPONSABLES  TITRE\n\
             t1                              T3 2026 (30/09/2026)  à faire                    0  dgme          Former les conseillers d'accueil\n\
             une-tâche-à-l-identifiant-long  T3 2026 (30/09/2026)  à faire · 12 j de retard  40  dgme          Former les conseillers d'accueil\n"
        );
    }

    #[test]
    fn the_title_gives_way_to_fit_the_width() {
        let text = table(&[row("t1")], Some(80));
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{line}");
        }
        assert!(text.lines().nth(1).unwrap().ends_with('…'), "{text}");
    }
}
