//! How commands write: one buffered writer on stdout, JSON, CSV, the `cnrm tasks` table, the
//! filter that keeps control characters off the terminal, and the files of `--output`.
//!
//! Everything goes through `std::io::Write` and returns its error: a closed pipe becomes
//! `CliError::Io`, which the edge ends quietly (`println!` would panic instead).

use super::CliError;
use crate::strings;
use cnrm_engine::store::TaskRow;
use cnrm_engine::text::{char_count, json_safe, terminal_line, terminal_text, CONTROL_MARK};
use cnrm_engine::{tr, Lang};
use crossterm::style::Stylize;
use std::fs::{self, File};
use std::io::{BufWriter, ErrorKind, IsTerminal, Stdout, Write};
use std::path::Path;

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

/// `value` as pretty JSON, then a newline; DEL, C1, bidirectional and zero-width characters
/// escaped (`text::json_safe`), which serde_json leaves raw.
pub fn json<T: serde::Serialize + ?Sized>(out: &mut impl Write, value: &T) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    out.write_all(json_safe(&text).as_bytes())?;
    writeln!(out)
}

/// A JSON array with one pretty object per element, each starting its own line (escaped as
/// [`json`] does).
pub fn json_rows<T: serde::Serialize>(
    out: &mut impl Write,
    rows: impl IntoIterator<Item = T>,
) -> std::io::Result<()> {
    out.write_all(b"[")?;
    for (i, r) in rows.into_iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let text = serde_json::to_string_pretty(&r)?;
        out.write_all(json_safe(&text).as_bytes())?;
    }
    out.write_all(b"\n]\n")
}

pub use cnrm_engine::text::csv_line;

/// A writer for human output that shows every control character but the line feed as `�`
/// (U+FFFD), ESC and the C1 controls included, and the bidirectional and zero-width characters
/// too (`text::terminal_text`): text from a plan or a user never reaches the terminal as an
/// escape sequence, nor shows reversed. Wrap the writer where a command prints people's text
/// (`task show`, `plans`, `outbox`); what prints colours of its own cleans its texts with
/// `terminal_line` instead.
pub struct Terminal<W: Write> {
    inner: W,
    /// The start of a UTF-8 sequence whose end has not come yet.
    pending: Vec<u8>,
}

pub fn terminal<W: Write>(inner: W) -> Terminal<W> {
    Terminal {
        inner,
        pending: Vec::new(),
    }
}

impl<W: Write> Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut clean = String::with_capacity(self.pending.len());
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    clean.push_str(&terminal_text(text));
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    clean.push_str(&terminal_text(
                        std::str::from_utf8(good).unwrap_or_default(),
                    ));
                    match e.error_len() {
                        // Bytes that are no UTF-8: shown as the mark, never passed on.
                        Some(n) => {
                            clean.push(CONTROL_MARK);
                            rest = &bad[n..];
                        }
                        // A sequence cut by the buffer's end: kept for the next write.
                        None => {
                            rest = bad;
                            break;
                        }
                    }
                }
            }
        }
        self.pending = rest.to_vec();
        self.inner.write_all(clean.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !std::mem::take(&mut self.pending).is_empty() {
            let mut mark = [0; 4];
            self.inner
                .write_all(CONTROL_MARK.encode_utf8(&mut mark).as_bytes())?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Terminal<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Writes `bytes`, the whole result, where `--output` says: `-` is stdout; a device, FIFO or
/// socket (and anything in `/dev` or `/proc`, such as `/dev/stdout`) is written in place; any
/// other path gets a new file, created exclusively under an unpredictable name in the same
/// folder with the mode of the file it replaces (a new one: the umask's), then renamed over the
/// path. A symbolic link is never followed there: it is itself replaced. Any failure is one
/// sentence naming the file (exit 1), and no temporary file is left behind.
pub fn write_file(lang: Lang, path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    if path.as_os_str() == "-" {
        let mut out = stdout();
        return out
            .write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(|e| match e.kind() {
                ErrorKind::BrokenPipe => CliError::Io(e),
                _ => CliError::Problem(cannot_write(lang, &strings_stdout(lang), &e)),
            });
    }
    let written = match in_place(path) {
        Ok(true) => write_in_place(path, bytes),
        Ok(false) => replace(path, bytes),
        Err(e) => Err(e),
    };
    written.map_err(|e| CliError::Problem(cannot_write(lang, &format!("`{}`", path.display()), &e)))
}

fn strings_stdout(lang: Lang) -> String {
    tr!(lang, "la sortie standard", "standard output")
}

/// Why writing to stdout failed, in one sentence.
pub fn cannot_write_stdout(lang: Lang, e: &std::io::Error) -> String {
    cannot_write(lang, &strings_stdout(lang), e)
}

/// Whether `path` is written in place rather than replaced.
fn in_place(path: &Path) -> std::io::Result<bool> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(folder) = fs::canonicalize(folder) {
        if folder.starts_with("/dev") || folder.starts_with("/proc") {
            return Ok(true);
        }
    }
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
        Ok(m) if m.is_dir() => Err(ErrorKind::IsADirectory.into()),
        Ok(m) => Ok(!m.is_file() && !m.file_type().is_symlink()),
    }
}

fn write_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// A new file next to `path`, renamed over it once it holds every byte.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = fs::symlink_metadata(path).ok().filter(|m| m.is_file());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".cnrm-tmp")
        .permissions(fs::Permissions::from_mode(0o666))
        .tempfile_in(folder)?;
    if let Some(old) = &old {
        // The replaced file's owner (when allowed) and exact mode, whatever the umask.
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(old.uid()), Some(old.gid()));
        tmp.as_file().set_permissions(old.permissions())?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// `impossible d'écrire `x` : disque plein`: what went wrong, in words, without the OS's text.
fn cannot_write(lang: Lang, what: &str, e: &std::io::Error) -> String {
    let reason = match e.kind() {
        ErrorKind::NotFound => tr!(
            lang,
            "son dossier n'existe pas",
            "its folder does not exist"
        ),
        ErrorKind::PermissionDenied => tr!(lang, "permission refusée", "permission denied"),
        ErrorKind::StorageFull => tr!(lang, "le disque est plein", "the disk is full"),
        ErrorKind::QuotaExceeded => tr!(
            lang,
            "le quota de disque est dépassé",
            "the disk quota is exceeded"
        ),
        ErrorKind::IsADirectory => tr!(lang, "c'est un dossier", "it is a folder"),
        ErrorKind::NotADirectory => tr!(
            lang,
            "un élément du chemin n'est pas un dossier",
            "a part of the path is not a folder"
        ),
        ErrorKind::ReadOnlyFilesystem => tr!(
            lang,
            "le système de fichiers est en lecture seule",
            "the file system is read-only"
        ),
        ErrorKind::FileTooLarge => tr!(
            lang,
            "le fichier serait trop grand",
            "the file would be too large"
        ),
        ErrorKind::InvalidFilename => tr!(
            lang,
            "le nom de fichier n'est pas valable",
            "the file name is not valid"
        ),
        _ => tr!(lang, "erreur d'entrée-sortie", "input/output error"),
    };
    tr!(
        lang,
        "impossible d'écrire {what}\u{a0}: {reason}",
        "cannot write {what}: {reason}"
    )
}

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
        terminal_line(&r.id),
        terminal_line(&deadline),
        status,
        r.progress.to_string(),
        terminal_line(&r.owners.join(", ")),
    ]
}

/// The `cnrm tasks` table: it fits `width` (the title column gives way), the header in bold and
/// overdue rows in red on a terminal; every cell through `terminal_line` (one line, no control
/// character). Tasks of several plans have a first column naming each one's plan (the same id
/// may be in two plans).
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
    let plan_header = strings::plan_header(lang);
    let mut w = headers.map(char_count);
    let mut first_plan: Option<String> = None;
    let mut plan_w = char_count(plan_header);
    let mut several_plans = false;
    for r in rows() {
        for (wi, cell) in w.iter_mut().zip(task_cells(lang, &r)) {
            *wi = (*wi).max(char_count(&cell));
        }
        plan_w = plan_w.max(char_count(&r.plan));
        match &first_plan {
            None => first_plan = Some(r.plan.clone()),
            Some(p) if *p != r.plan => several_plans = true,
            Some(_) => {}
        }
    }
    let plan_w = several_plans.then_some(plan_w);
    w[4] = w[4].min(28);
    let fixed: usize = w[..5].iter().sum::<usize>() + 2 * 5 + plan_w.map_or(0, |p| p + 2);
    let title_width = width.map(|total| total.saturating_sub(fixed).max(12));
    let line = |plan: &str, cells: [&str; 5], title: &str| {
        let mut line = String::new();
        if let Some(pw) = plan_w {
            line.push_str(&fit(plan, pw));
            line.push_str("  ");
        }
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
        plan_header,
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
        let text = line(
            &terminal_line(&r.plan),
            [&c[0], &c[1], &c[2], &c[3], &c[4]],
            &terminal_line(&r.title),
        );
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
    fn tasks_of_several_plans_name_their_plan() {
        let mut other = row("t1");
        other.plan = "autre-plan".into();
        other.title = "Autre titre".into();
        let text = table(&[row("t1"), other], None);
        assert_eq!(
            text,
            "PLAN        ID  ÉCHÉANCE              STATUT   %  RESPONSABLES  TITRE\n\
             p           t1  T3 2026 (30/09/2026)  à faire  0  dgme          Former les conseillers d'accueil\n\
             autre-plan  t1  T3 2026 (30/09/2026)  à faire  0  dgme          Autre titre\n"
        );
        // One plan: no plan column.
        assert!(table(&[row("t1")], None).starts_with("ID "));
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
