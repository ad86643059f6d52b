//! The commands that use the database: apply, diff, open, plans, tasks, task, indicator.
//!
//! Each opens the store (SQLite by default, PostgreSQL by URL), runs one engine call on a
//! single-threaded tokio runtime, and prints the result for people (French by default) or as the
//! contract's JSON. Errors become one sentence on stderr and an exit code.

use crate::check::{read_plan_file, use_color, BackgroundCheck, Loaded};
use crate::cli::{self, CheckFormat, Global, ListFormat};
use crate::{strings, EXIT_MISUSE, EXIT_OK, EXIT_PROBLEM};
use cnrm_engine::clock::Clock;
use cnrm_engine::store::{
    ApplyReport, SetRequest, Store, StoreError, TaskFilter, TaskRow, TaskView,
};
use cnrm_engine::text::group_thousands;
use cnrm_engine::workflow::Status;
use cnrm_engine::Lang;
use crossterm::style::Stylize;
use std::io::{IsTerminal, Write};

/// What every database command needs: language, clock, actor and database URL.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub clock: Clock,
    pub actor: String,
    pub db: String,
}

impl Ctx {
    pub fn from_global(g: &Global) -> Result<Ctx, u8> {
        let clock = match &g.now {
            None => Clock::System,
            Some(text) => Clock::parse(text).ok_or_else(|| {
                eprintln!(
                    "{}: {}",
                    strings::error_word(g.lang),
                    strings::bad_now(g.lang, text)
                );
                EXIT_MISUSE
            })?,
        };
        let actor = g
            .actor
            .clone()
            .filter(|a| !a.trim().is_empty())
            .or_else(|| {
                ["USER", "LOGNAME", "USERNAME"]
                    .iter()
                    .find_map(|v| std::env::var(v).ok())
            })
            .filter(|a| !a.trim().is_empty())
            .or_else(|| {
                // Services often run without USER: the home folder's name is the account's.
                std::env::var_os("HOME")
                    .map(std::path::PathBuf::from)
                    .and_then(|h| h.file_name().map(|n| n.to_string_lossy().into_owned()))
            })
            .unwrap_or_else(|| "inconnu".into());
        let db =
            g.db.clone()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| cnrm_engine::store::default_path().display().to_string());
        Ok(Ctx {
            lang: g.lang,
            clock,
            actor,
            db,
        })
    }

    pub fn fail(&self, e: &StoreError) -> u8 {
        eprintln!(
            "{}: {}",
            strings::error_word(self.lang),
            e.message(self.lang)
        );
        match e {
            StoreError::NoTask(_)
            | StoreError::NoPlan(_)
            | StoreError::NoIndicator(_)
            | StoreError::Ambiguous(..)
            | StoreError::NeedPlan(_)
            | StoreError::Empty
            | StoreError::Invalid(_) => EXIT_MISUSE,
            _ => EXIT_PROBLEM,
        }
    }
}

/// Runs `f` with an open store on a current-thread runtime; errors become an exit code.
pub fn with_store<F>(ctx: &Ctx, f: F) -> u8
where
    F: for<'s> FnOnce(
        &'s Store,
        &'s Ctx,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<u8, StoreError>> + 's>,
    >,
{
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{}: {e}", strings::error_word(ctx.lang));
            return EXIT_PROBLEM;
        }
    };
    runtime.block_on(async {
        let store = match Store::open(&ctx.db).await {
            Ok(s) => s,
            Err(e) => return ctx.fail(&e),
        };
        let code = match f(&store, ctx).await {
            Ok(code) => code,
            Err(e) => ctx.fail(&e),
        };
        store.close().await;
        code
    })
}

fn color() -> bool {
    use_color()
}

// ---- plan diff / apply / open ------------------------------------------------------------------

const SHOWN_IDS: usize = 12;

fn id_list(lang: Lang, ids: &[String]) -> String {
    let mut s = ids
        .iter()
        .take(SHOWN_IDS)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN_IDS {
        s.push(' ');
        s.push_str(&strings::and_more(lang, ids.len() - SHOWN_IDS));
    }
    s
}

/// The reviewer's view of a change: one line per kind, with colours on a terminal.
pub fn render_report(lang: Lang, r: &ApplyReport, header: &str) -> String {
    let paint = color();
    let mut out = format!("{header}\n");
    let mut line =
        |sym: &str, kind: &str, n: usize, detail: String, colour: fn(String) -> String| {
            if n == 0 {
                return;
            }
            let text = format!(
                "  {sym} {} : {detail}",
                strings::change_label(lang, kind, n)
            );
            let text = if lang == Lang::En {
                text.replacen(" : ", ": ", 1)
            } else {
                text
            };
            out.push_str(&if paint { colour(text) } else { text });
            out.push('\n');
        };
    line("+", "added", r.added.len(), id_list(lang, &r.added), |t| {
        t.green().to_string()
    });
    line(
        "~",
        "changed",
        r.changed.len(),
        id_list(lang, &r.changed),
        |t| t.yellow().to_string(),
    );
    line(
        "-",
        "archived",
        r.archived.len(),
        id_list(lang, &r.archived),
        |t| t.red().to_string(),
    );
    line(
        "↺",
        "restored",
        r.restored.len(),
        id_list(lang, &r.restored),
        |t| t.cyan().to_string(),
    );
    let renames: Vec<String> = r
        .renamed
        .iter()
        .map(|x| format!("{} → {}", x.from, x.to))
        .collect();
    line(
        "→",
        "renamed",
        r.renamed.len(),
        id_list(lang, &renames),
        |t| t.cyan().to_string(),
    );
    let slips: Vec<String> = r
        .slips
        .iter()
        .map(|(id, from, to, days)| match days {
            Some(d) => format!("{id} {from} → {to} ({})", strings::days_signed(lang, *d)),
            None => format!("{id} {from} → {to}"),
        })
        .collect();
    line("⏱", "slipped", slips.len(), id_list(lang, &slips), |t| {
        t.magenta().to_string()
    });
    out.push_str(&format!(
        "  = {}\n",
        strings::change_label(lang, "unchanged", r.unchanged)
    ));
    out
}

pub fn print_json<T: serde::Serialize>(value: &T) -> u8 {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            println!("{text}");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("{e}");
            EXIT_PROBLEM
        }
    }
}

pub fn diff(g: &Global, args: &cli::DiffArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let bytes = or_exit!(read_plan_file(&args.file, ctx.lang));
    let check = BackgroundCheck::start(bytes, &args.file, ctx.lang);
    let format = args.format;
    with_store(&ctx, move |store, _| {
        Box::pin(async move {
            let report = match plan_file(store, check).await? {
                PlanFile::Held(report) => report,
                PlanFile::Checked(loaded, _) => store.diff(&loaded.0, &loaded.1).await?,
                PlanFile::Refused(code) => return Ok(code),
            };
            if format == CheckFormat::Json {
                return Ok(print_json(&report));
            }
            if report.is_empty() {
                println!("{}", strings::no_change(ctx.lang, &report.plan));
            } else {
                print!(
                    "{}",
                    render_report(
                        ctx.lang,
                        &report,
                        &strings::diff_header(ctx.lang, &report.plan)
                    )
                );
            }
            Ok(EXIT_OK)
        })
    })
}

/// A progress bar on stderr for large applies, only on a terminal.
fn progress_bar() -> impl Fn(u64, u64) {
    let bar = std::cell::RefCell::new(None::<indicatif::ProgressBar>);
    let interactive = std::io::stderr().is_terminal();
    move |done: u64, total: u64| {
        if !interactive || total < 2_000 {
            return;
        }
        let mut slot = bar.borrow_mut();
        let pb = slot.get_or_insert_with(|| {
            let pb = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            {
                pb.set_style(style);
            }
            pb
        });
        pb.set_position(done);
        if done >= total {
            pb.finish_and_clear();
        }
    }
}

/// What a plan file is to the database: the file it last applied (the report of applying it
/// again; the check is stopped), or the checked plan with the file's SHA-256, or a refusal
/// already said (its exit code).
enum PlanFile {
    Held(ApplyReport),
    /// Boxed: the plan's model is large.
    Checked(Box<Loaded>, String),
    Refused(u8),
}

/// Waits for `check`'s hash, asks the database whether it holds that file, then stops the
/// check or waits for it. The file is hashed once: to recognise it, then to record it.
async fn plan_file(store: &Store, check: BackgroundCheck) -> Result<PlanFile, StoreError> {
    let sha = match check.sha() {
        Ok(sha) => sha,
        Err(code) => return Ok(PlanFile::Refused(code)),
    };
    Ok(match store.already_applied(&sha).await? {
        Some(report) => {
            check.stop();
            PlanFile::Held(report)
        }
        None => match check.finish() {
            Ok(loaded) => PlanFile::Checked(Box::new(loaded), sha),
            Err(code) => PlanFile::Refused(code),
        },
    })
}

/// Applies a plan file: a file identical to the one last applied is recognised by its SHA-256
/// without being parsed again; anything else is checked, then applied.
async fn apply_and_report(
    store: &Store,
    ctx: &Ctx,
    check: BackgroundCheck,
    message: Option<&str>,
    json: bool,
) -> Result<(u8, Option<String>), StoreError> {
    let report = match plan_file(store, check).await? {
        PlanFile::Held(report) => report,
        PlanFile::Refused(code) => return Ok((code, None)),
        PlanFile::Checked(loaded, sha) => {
            let (plan, src, file) = *loaded;
            let progress = progress_bar();
            let report = store
                .apply_hashed(
                    &plan, &sha, &file, &ctx.actor, message, &ctx.clock, &progress,
                )
                .await?;
            drop((plan, src));
            report
        }
    };
    let plan_id = Some(report.plan.clone());
    if json {
        return Ok((print_json(&report), plan_id));
    }
    match report.revision {
        None => println!("{}", strings::no_change(ctx.lang, &report.plan)),
        Some(rev) => print!(
            "{}",
            render_report(
                ctx.lang,
                &report,
                &strings::revision_applied(ctx.lang, &report.plan, rev, &ctx.actor)
            )
        ),
    }
    Ok((EXIT_OK, plan_id))
}

pub fn apply(g: &Global, args: &cli::ApplyArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let bytes = or_exit!(read_plan_file(&args.file, ctx.lang));
    let check = BackgroundCheck::start(bytes, &args.file, ctx.lang);
    let json = args.format == CheckFormat::Json;
    let message = args.message.clone();
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let (code, _) = apply_and_report(store, ctx, check, message.as_deref(), json).await?;
            Ok(code)
        })
    })
}

/// `cnrm` and `cnrm tui`: the terminal UI.
pub fn tui(g: &Global, args: &cli::TuiArgs) -> u8 {
    match Ctx::from_global(g) {
        Ok(ctx) => crate::ui::run(ctx, args.plan.clone()),
        Err(code) => code,
    }
}

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// `cnrm open FILE`: applies, then opens the terminal UI on that plan; without a terminal
/// (a pipe, a script), it prints where the plan stands instead.
pub fn open(g: &Global, args: &cli::OpenArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let bytes = or_exit!(read_plan_file(&args.file, ctx.lang));
    let check = BackgroundCheck::start(bytes, &args.file, ctx.lang);
    let message = args.message.clone();
    let ui = interactive();
    let applied = std::rc::Rc::new(std::cell::RefCell::new(None::<String>));
    let slot = applied.clone();
    let code = with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let (code, plan_id) =
                apply_and_report(store, ctx, check, message.as_deref(), false).await?;
            if code != EXIT_OK || ui {
                *slot.borrow_mut() = plan_id;
                return Ok(code);
            }
            println!();
            print_plans(store, ctx).await?;
            let filter = TaskFilter {
                plan: plan_id,
                overdue: true,
                ..TaskFilter::default()
            };
            let late = store.tasks(&filter, &ctx.clock).await?;
            if !late.is_empty() {
                println!();
                println!("{}", overdue_title(ctx.lang, late.len()));
                print!("{}", task_table(ctx.lang, &late, table_width()));
            }
            Ok(EXIT_OK)
        })
    });
    let plan = applied.borrow_mut().take();
    match (code, plan) {
        (EXIT_OK, Some(plan)) if ui => crate::ui::run(ctx, Some(plan)),
        (code, _) => code,
    }
}

fn overdue_title(lang: Lang, n: usize) -> String {
    cnrm_engine::tr!(lang, "En retard ({n}) :", "Overdue ({n}):")
}

// ---- plans, tasks --------------------------------------------------------------------------------

async fn print_plans(store: &Store, ctx: &Ctx) -> Result<(), StoreError> {
    let plans = store.plans(&ctx.clock).await?;
    if plans.is_empty() {
        println!("{}", strings::no_plans(ctx.lang));
    }
    for p in plans {
        let line = cnrm_engine::tr!(
            ctx.lang,
            "{} — {}\n  révision {} ({}, {}) · {} tâches, {} ouvertes, {} en retard",
            "{} — {}\n  revision {} ({}, {}) · {} tasks, {} open, {} overdue",
            p.id,
            p.title,
            p.revision,
            p.updated_at,
            p.last_actor.as_deref().unwrap_or("?"),
            p.tasks,
            p.open,
            p.overdue
        );
        println!("{line}");
        if let Some(m) = p.last_message {
            println!("  « {m} »");
        }
    }
    Ok(())
}

pub fn plans(g: &Global, args: &cli::FormatArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let format = args.format;
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            match format {
                ListFormat::Json => Ok(print_json(&store.plans(&ctx.clock).await?)),
                ListFormat::Csv => {
                    let mut out = String::from("id,title,revision,updated_at,tasks,open,overdue\n");
                    for p in store.plans(&ctx.clock).await? {
                        out.push_str(&csv_line(&[
                            p.id,
                            p.title,
                            p.revision.to_string(),
                            p.updated_at,
                            p.tasks.to_string(),
                            p.open.to_string(),
                            p.overdue.to_string(),
                        ]));
                    }
                    print!("{out}");
                    Ok(EXIT_OK)
                }
                ListFormat::Table => {
                    print_plans(store, ctx).await?;
                    Ok(EXIT_OK)
                }
            }
        })
    })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// The terminal's width, or no limit when the output is not a terminal.
fn table_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w).max(40))
}

/// The `cnrm tasks` table: fits `width` (the title column gives way), overdue rows in red.
pub fn task_table(lang: Lang, rows: &[TaskRow], width: Option<usize>) -> String {
    let mut out = Vec::new();
    let _ = write_task_table(
        &mut out,
        lang,
        |from, to| {
            rows[from.min(rows.len())..to.min(rows.len())]
                .iter()
                .map(TaskRow::view)
        },
        rows.len(),
        width,
    );
    String::from_utf8(out).unwrap_or_default()
}

/// Pushes `n` spaces into `out`.
fn push_spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// Pushes `s` into `out` fitted to `width` characters: padded, or cut with `…`.
fn push_clipped(out: &mut String, s: &str, width: usize) {
    let count = char_count(s);
    if count <= width {
        out.push_str(s);
        push_spaces(out, width - count);
    } else {
        out.extend(s.chars().take(width.saturating_sub(1)));
        out.push('…');
    }
}

/// The cells of a task's line that need composing (deadline, status, owners), written into
/// buffers reused from line to line: a list of 100,000 tasks allocates nothing per line.
#[derive(Default)]
struct Cells {
    deadline: String,
    status: String,
    owners: String,
}

impl Cells {
    fn fill(&mut self, lang: Lang, r: &TaskView<'_>) {
        self.deadline.clear();
        match r.deadline {
            None => self.deadline.push_str(strings::continuous(lang)),
            Some(d) if r.deadline_label != d => {
                for piece in [r.deadline_label, " (", d, ")"] {
                    self.deadline.push_str(piece);
                }
            }
            Some(d) => self.deadline.push_str(d),
        }
        self.status.clear();
        self.status.push_str(r.status.label(lang));
        if r.overdue {
            self.status.push_str(" · ");
            strings::push_late_by(&mut self.status, lang, r.days_late);
        }
        self.owners.clear();
        r.push_owners(", ", &mut self.owners);
    }
}

/// Character widths of a task's five first cells (id, deadline, status, progress, owners), as
/// `Cells::fill` and the progress would write them, counted without writing them: the widths
/// pass reads every row of a long list before the first line (37,000 overdue rows: 12-22 ms
/// when it composed the cells, 8-11 ms counting them; the same table).
fn cell_widths(lang: Lang, r: &TaskView<'_>) -> [usize; 5] {
    let deadline = match r.deadline {
        None => char_count(strings::continuous(lang)),
        // `label (day)`
        Some(d) if r.deadline_label != d => char_count(r.deadline_label) + char_count(d) + 3,
        Some(d) => char_count(d),
    };
    let mut status = char_count(r.status.label(lang));
    if r.overdue {
        // ` · ` then the delay.
        status += 3 + strings::late_by_width(lang, r.days_late);
    }
    let progress = cnrm_engine::text::decimal_width(r.progress);
    [
        char_count(r.id),
        deadline,
        status,
        progress,
        r.owners_width(", "),
    ]
}

/// The widest cells (id, deadline, status, progress, owners) of `rows`.
fn widest_cells<'a>(lang: Lang, rows: impl Iterator<Item = TaskView<'a>>) -> [usize; 5] {
    let mut w = [0usize; 5];
    for r in rows {
        for (wi, ci) in w.iter_mut().zip(cell_widths(lang, &r)) {
            *wi = (*wi).max(ci);
        }
    }
    w
}

/// Writes the `cnrm tasks` table line by line (a list of 100,000 tasks is never held as text):
/// it fits `width` (the title column gives way), overdue rows in red. `rows(from, to)` gives
/// the rows `from..to` of the `count` rows, clamped.
pub fn write_task_table<'a, I: Iterator<Item = TaskView<'a>>>(
    out: &mut dyn Write,
    lang: Lang,
    rows: impl Fn(usize, usize) -> I + Sync,
    count: usize,
    width: Option<usize>,
) -> std::io::Result<()> {
    let paint = color();
    let headers = strings::task_headers(lang);
    let mut w = [0usize; 5];
    for (i, h) in headers.iter().take(5).enumerate() {
        w[i] = h.chars().count();
    }
    // The columns' widths need every row before the first line: a long list is read for them
    // in two halves on two threads (a third of `cnrm tasks` on 100,000 tasks on one).
    let half = if count >= 4_000 { count / 2 } else { count };
    let widest = std::thread::scope(|scope| {
        let second = (half < count).then(|| scope.spawn(|| widest_cells(lang, rows(half, count))));
        let mut widest = widest_cells(lang, rows(0, half));
        if let Some(second) = second {
            let more = second
                .join()
                .unwrap_or_else(|_| widest_cells(lang, rows(half, count)));
            for (a, b) in widest.iter_mut().zip(more) {
                *a = (*a).max(b);
            }
        }
        widest
    });
    for (wi, ci) in w.iter_mut().zip(widest) {
        *wi = (*wi).max(ci);
    }
    w[4] = w[4].min(28);
    let fixed: usize = w.iter().sum::<usize>() + 2 * 5;
    let title_width = match width {
        Some(total) => total.saturating_sub(fixed).max(12),
        None => usize::MAX,
    };
    let mut line = String::new();
    let write_line = |line: &mut String,
                      c: [&str; 5],
                      title: &str,
                      red: bool,
                      out: &mut dyn Write|
     -> std::io::Result<()> {
        line.clear();
        for (i, cell) in c.iter().enumerate() {
            if i == 3 {
                // Progress, right-aligned.
                push_spaces(line, w[3].saturating_sub(char_count(cell)));
                line.push_str(cell);
            } else {
                push_clipped(line, cell, w[i]);
            }
            line.push_str("  ");
        }
        if title_width == usize::MAX {
            line.push_str(title);
        } else {
            push_clipped(line, title, title_width);
        }
        let trimmed = line.trim_end();
        if paint && red {
            writeln!(out, "{}", trimmed.red())
        } else {
            // Written as it is: `writeln!` would pass each line through the formatter.
            out.write_all(trimmed.as_bytes())?;
            out.write_all(b"\n")
        }
    };
    let head = [headers[0], headers[1], headers[2], headers[3], headers[4]];
    if paint {
        // The header in bold: composed, then painted as one piece.
        let mut plain = Vec::new();
        write_line(&mut line, head, headers[5], false, &mut plain)?;
        let text = String::from_utf8_lossy(&plain);
        writeln!(out, "{}", text.trim_end().bold())?;
    } else {
        write_line(&mut line, head, headers[5], false, out)?;
    }
    // The lines of a long list are made on two threads, chunk by chunk: this thread writes the
    // even chunks, the other makes the odd ones into buffers that this one writes in turn (at
    // most two waiting: the text of a long list is never all held).
    let lines = |from: usize, to: usize, out: &mut dyn Write| -> std::io::Result<()> {
        let (mut cells, mut line, mut progress) = (Cells::default(), String::new(), String::new());
        for r in rows(from, to) {
            cells.fill(lang, &r);
            progress.clear();
            push_decimal(&mut progress, r.progress);
            write_line(
                &mut line,
                [
                    r.id,
                    &cells.deadline,
                    &cells.status,
                    &progress,
                    &cells.owners,
                ],
                r.title,
                r.overdue,
                out,
            )?;
        }
        Ok(())
    };
    if half == count {
        return lines(0, count, out);
    }
    let chunks = count.div_ceil(LINES_CHUNK);
    let chunk = |c: usize| (c * LINES_CHUNK, (c + 1) * LINES_CHUNK);
    std::thread::scope(|scope| {
        let (sender, made) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(1);
        scope.spawn(move || {
            for c in (1..chunks).step_by(2) {
                let (from, to) = chunk(c);
                let mut buffer = Vec::new();
                // A closed channel: this thread's writing has failed; stop.
                if sender
                    .send(lines(from, to, &mut buffer).map(|_| buffer))
                    .is_err()
                {
                    return;
                }
            }
        });
        for c in (0..chunks).step_by(2) {
            let (from, to) = chunk(c);
            lines(from, to, out)?;
            if c + 1 < chunks {
                match made.recv() {
                    Ok(buffer) => out.write_all(&buffer?)?,
                    // The other thread has stopped: its chunk is made here.
                    Err(_) => {
                        let (from, to) = chunk(c + 1);
                        lines(from, to, out)?;
                    }
                }
            }
        }
        Ok(())
    })
}

/// Lines per chunk of a long `cnrm tasks` table (see `write_task_table`).
const LINES_CHUNK: usize = 2_048;

pub fn tasks(g: &Global, args: &cli::TasksArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let due_within = match &args.due_within {
        None => None,
        Some(text) => match cnrm_engine::plan::values::parse_duration(text) {
            Some(d) => Some(d),
            None => {
                eprintln!(
                    "{}: {}",
                    strings::error_word(ctx.lang),
                    strings::bad_duration(ctx.lang, text)
                );
                return EXIT_MISUSE;
            }
        },
    };
    let filter = TaskFilter {
        plan: args.plan.clone(),
        priority: args.priority.clone(),
        owner: args.owner.clone(),
        statuses: args.status.clone(),
        overdue: args.overdue,
        due_within,
        search: args.search.clone(),
        archived: args.archived,
    };
    let format = args.format;
    let count = args.count;
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            if count {
                // A bare number (valid in every format), as `task count` prints it.
                println!("{}", store.count_tasks(&filter, &ctx.clock).await?);
                return Ok(EXIT_OK);
            }
            let list = store.tasks(&filter, &ctx.clock).await?;
            let rows = || list.iter();
            // Written as it is formatted, through a buffer: a long list is never held as text.
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = match format {
                ListFormat::Json => {
                    let mut result = stdout.write_all(b"[");
                    for (i, r) in rows().enumerate() {
                        if result.is_err() {
                            break;
                        }
                        result = stdout
                            .write_all(if i == 0 { b"\n" } else { b",\n" })
                            .and_then(|_| {
                                serde_json::to_writer_pretty(&mut stdout, &r)
                                    .map_err(std::io::Error::other)
                            });
                    }
                    result.and_then(|_| stdout.write_all(b"\n]\n"))
                }
                ListFormat::Csv => {
                    let mut result = stdout.write_all(b"id,plan,priority,title,owners,partners,deadline,deadline_label,status,progress,overdue,days_late\n");
                    for r in rows() {
                        if result.is_err() {
                            break;
                        }
                        result = stdout.write_all(
                            csv_line(&[
                                r.id.clone(),
                                r.plan.clone(),
                                r.priority.clone(),
                                r.title.clone(),
                                r.owners.join(" "),
                                r.partners.join(" "),
                                r.deadline.clone().unwrap_or_default(),
                                r.deadline_label.clone(),
                                r.status.to_string(),
                                r.progress.to_string(),
                                r.overdue.to_string(),
                                r.days_late.to_string(),
                            ])
                            .as_bytes(),
                        );
                    }
                    result
                }
                ListFormat::Table if list.is_empty() => {
                    writeln!(stdout, "{}", strings::no_tasks(ctx.lang))
                }
                ListFormat::Table => write_task_table(
                    &mut stdout,
                    ctx.lang,
                    |from, to| {
                        list[from.min(list.len())..to.min(list.len())]
                            .iter()
                            .map(|r| r.view())
                    },
                    list.len(),
                    table_width(),
                ),
            };
            let _ = stdout.flush();
            Ok(EXIT_OK)
        })
    })
}

// ---- task show / set / spend, indicator record ---------------------------------------------------

use cnrm_engine::text::{char_count, money, push_decimal};

pub fn task_show(g: &Global, args: &cli::TaskShowArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let (id, plan, format) = (args.id.clone(), args.plan.clone(), args.format);
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let d = store.task_detail(&id, plan.as_deref(), &ctx.clock).await?;
            if format == CheckFormat::Json {
                return Ok(print_json(&d));
            }
            let lang = ctx.lang;
            let t = &d.row;
            let mut out = format!("{} — {}\n", t.id, t.title);
            let label = |fr: &str, en: &str| {
                if lang == Lang::Fr {
                    fr.to_string()
                } else {
                    en.to_string()
                }
            };
            let status = if t.overdue {
                format!(
                    "{} ({})",
                    t.status.label(lang),
                    strings::late_by(lang, t.days_late)
                )
            } else {
                t.status.label(lang).to_string()
            };
            let deadline = match &t.deadline {
                None => strings::continuous(lang).to_string(),
                Some(day) if *day != t.deadline_label => format!("{} ({day})", t.deadline_label),
                Some(day) => day.clone(),
            };
            let rows: Vec<(String, String)> = vec![
                (
                    label("Plan", "Plan"),
                    format!("{} · {}", t.plan, t.priority),
                ),
                (
                    label("Statut", "Status"),
                    format!("{status} · {} %", t.progress),
                ),
                (label("Échéance", "Deadline"), deadline),
                (
                    label("Début", "Start"),
                    d.start.clone().unwrap_or_else(|| "—".into()),
                ),
                (label("Responsables", "Owners"), t.owners.join(", ")),
                (
                    label("Partenaires", "Partners"),
                    if t.partners.is_empty() {
                        "—".into()
                    } else {
                        t.partners.join(", ")
                    },
                ),
                (
                    label("Dépend de", "Depends on"),
                    if d.depends_on.is_empty() {
                        "—".into()
                    } else {
                        d.depends_on.join(", ")
                    },
                ),
                (
                    label("Budget", "Budget"),
                    format!(
                        "{} {} · {} {} · {} {} · {} {} · {} {}",
                        label("prévu", "planned"),
                        money(d.budget_planned, &d.currency),
                        label("acquis", "secured"),
                        money(d.budget_secured, &d.currency),
                        label("promis", "pledged"),
                        money(d.budget_pledged, &d.currency),
                        label("à rechercher", "gap"),
                        money(d.budget_needed, &d.currency),
                        label("dépensé", "spent"),
                        money(d.spent, &d.currency)
                    ),
                ),
            ];
            for (k, v) in rows {
                out.push_str(&format!("  {k:<13} {v}\n"));
            }
            if let Some(desc) = &d.description {
                out.push_str(&format!("\n  {}\n", desc.trim().replace('\n', "\n  ")));
            }
            if !d.slips.is_empty() {
                out.push_str(&format!(
                    "\n{}\n",
                    label("Échéance déplacée :", "Deadline moved:")
                ));
                for s in &d.slips {
                    let days = s
                        .days
                        .map(|x| format!(" ({})", strings::days_signed(lang, x)))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "  {} {} : {} → {}{days}\n",
                        label("révision", "revision"),
                        s.revision,
                        s.from,
                        s.to
                    ));
                }
                out.push_str(&format!(
                    "  {}\n",
                    cnrm_engine::tr!(
                        lang,
                        "{} report(s) au total",
                        "{} move(s) in all",
                        d.slips.len()
                    )
                ));
            }
            out.push_str(&format!("\n{}\n", label("Historique :", "History:")));
            if d.history.is_empty() {
                out.push_str(&format!(
                    "  {}\n",
                    label("rien d'enregistré", "nothing recorded")
                ));
            }
            for h in &d.history {
                let mut what = h.kind.clone();
                if let Some(s) = h.data.get("status") {
                    let parse = |v: &serde_json::Value| {
                        v.as_str()
                            .and_then(|x| x.parse::<Status>().ok())
                            .map(|x| x.label(lang))
                    };
                    what = format!(
                        "{} → {}",
                        parse(&s["from"]).unwrap_or("?"),
                        parse(&s["to"]).unwrap_or("?")
                    );
                }
                if let Some(p) = h.data.get("progress") {
                    what.push_str(&format!(" · {} → {} %", p["from"], p["to"]));
                }
                if h.kind == "spending" {
                    what = format!(
                        "{} {} {}",
                        label("dépense", "spending"),
                        group_thousands(h.data["amount"].as_f64().unwrap_or(0.0)),
                        h.data["currency"].as_str().unwrap_or("")
                    );
                }
                if h.kind == "renamed" {
                    what = format!(
                        "{} {} → {}",
                        label("renommée", "renamed"),
                        h.data["from"].as_str().unwrap_or(""),
                        h.data["to"].as_str().unwrap_or("")
                    );
                }
                if h.kind == "note" {
                    what = label("note", "note");
                }
                let note = h
                    .note
                    .as_ref()
                    .map(|n| format!(" — « {n} »"))
                    .unwrap_or_default();
                out.push_str(&format!("  {} {}: {what}{note}\n", h.at, h.actor));
            }
            print!("{out}");
            Ok(EXIT_OK)
        })
    })
}

pub fn task_set(g: &Global, args: &cli::TaskSetArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let req = SetRequest {
        status: args.status,
        progress: args.progress,
        note: args.note.clone(),
    };
    let (id, plan) = (args.id.clone(), args.plan.clone());
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let r = store
                .set_task(&id, plan.as_deref(), &req, &ctx.actor, &ctx.clock, ctx.lang)
                .await?;
            println!(
                "{}",
                strings::task_set_done(
                    ctx.lang,
                    &id,
                    r.old_status.label(ctx.lang),
                    r.status.label(ctx.lang),
                    r.progress
                )
            );
            Ok(EXIT_OK)
        })
    })
}

fn parse_day(lang: Lang, text: &Option<String>) -> Result<Option<chrono::NaiveDate>, u8> {
    match text {
        None => Ok(None),
        Some(t) => chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                eprintln!(
                    "{}: {}",
                    strings::error_word(lang),
                    strings::bad_date(lang, t)
                );
                EXIT_MISUSE
            }),
    }
}

fn parse_number(lang: Lang, what: &str, text: &str, signed: bool) -> Result<f64, u8> {
    match crate::ui::state::parse_number(text) {
        Some(v) if signed || v >= 0.0 => Ok(v),
        _ => {
            eprintln!(
                "{}: {}",
                strings::error_word(lang),
                strings::bad_number(lang, what, text)
            );
            Err(EXIT_MISUSE)
        }
    }
}

pub fn task_spend(g: &Global, args: &cli::TaskSpendArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let what = if ctx.lang == Lang::Fr {
        "montant"
    } else {
        "amount"
    };
    let amount = match parse_number(ctx.lang, what, &args.amount, false) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let date = match parse_day(ctx.lang, &args.date) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let (id, plan, currency, note) = (
        args.id.clone(),
        args.plan.clone(),
        args.currency.clone(),
        args.note.clone(),
    );
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let (_, amount_plan, plan_currency) = store
                .spend(
                    &id,
                    plan.as_deref(),
                    amount,
                    currency.as_deref(),
                    date,
                    note.as_deref(),
                    &ctx.actor,
                    &ctx.clock,
                    ctx.lang,
                )
                .await?;
            let shown = match currency.as_deref() {
                Some(c) if c.to_uppercase() != plan_currency => {
                    format!(
                        "{} {} (= {})",
                        group_thousands(amount),
                        c.to_uppercase(),
                        money(amount_plan, &plan_currency)
                    )
                }
                _ => money(amount_plan, &plan_currency),
            };
            println!("{}", strings::spent(ctx.lang, &id, &shown));
            Ok(EXIT_OK)
        })
    })
}

pub fn indicator_record(g: &Global, args: &cli::IndicatorRecordArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let what = if ctx.lang == Lang::Fr {
        "valeur"
    } else {
        "value"
    };
    let value = match parse_number(ctx.lang, what, &args.value, true) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let date = match parse_day(ctx.lang, &args.date) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let (id, plan, note) = (args.id.clone(), args.plan.clone(), args.note.clone());
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let plan_id = store
                .record_indicator(
                    &id,
                    plan.as_deref(),
                    value,
                    date,
                    note.as_deref(),
                    &ctx.actor,
                    &ctx.clock,
                )
                .await?;
            println!(
                "{}",
                strings::indicator_recorded(ctx.lang, &id, value, &plan_id)
            );
            Ok(EXIT_OK)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cnrm_engine::workflow::Status;

    fn row(id: String) -> TaskRow {
        TaskRow {
            id,
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

    #[test]
    fn cell_widths_are_those_of_the_cells_written() {
        let mut rows = Vec::new();
        for (i, status) in Status::ALL.into_iter().enumerate() {
            for (j, days) in [0, 1, 9, 10, 99, 100, 696, 1_000].into_iter().enumerate() {
                let mut r = row(format!("axe-{i}.é{j}"));
                r.status = status;
                r.overdue = days > 0;
                r.days_late = days;
                r.progress = [0, 5, 10, 99, 100][(i + j) % 5];
                r.owners = [
                    vec![],
                    vec!["dgme".to_string()],
                    vec!["société-civile".into(), "oim".into(), "état".into()],
                ][j % 3]
                    .clone();
                (r.deadline, r.deadline_label) = match j % 4 {
                    0 => (None, "continu".into()),
                    1 => (Some("2026-09-30".into()), "2026-09-30".into()),
                    2 => (Some("2026-09-30".into()), "T3 2026".into()),
                    _ => (Some("2026-12-31".into()), "décembre 2026".into()),
                };
                rows.push(r);
            }
        }
        let mut cells = Cells::default();
        for lang in [Lang::Fr, Lang::En] {
            for r in &rows {
                let view = r.view();
                cells.fill(lang, &view);
                let written = [
                    r.id.chars().count(),
                    cells.deadline.chars().count(),
                    cells.status.chars().count(),
                    r.progress.to_string().len(),
                    cells.owners.chars().count(),
                ];
                assert_eq!(cell_widths(lang, &view), written, "{lang:?} {r:?}");
            }
        }
    }

    #[test]
    fn a_long_table_is_as_wide_as_its_widest_row_in_either_half() {
        // 5,000 rows: their widths are read in two halves on two threads.
        let mut rows: Vec<TaskRow> = (0..5_000).map(|i| row(format!("t{i}"))).collect();
        let long = "une-tâche-à-l-identifiant-très-long";
        rows[4_999].id = long.to_string();
        let table = task_table(Lang::Fr, &rows, None);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 5_001);
        // The deadline column starts at the same character in the header, the first row and
        // the last (widest) one: after the long id and two spaces.
        let at = long.chars().count() + 2;
        let deadline = |line: &str| line.chars().skip(at).take(7).collect::<String>();
        assert_eq!(deadline(lines[5_000]), "T3 2026");
        assert_eq!(deadline(lines[1]), "T3 2026");
        assert_eq!(deadline(lines[0]), "ÉCHÉANC", "{}", lines[0]);
    }

    #[test]
    fn a_long_table_made_on_two_threads_keeps_every_line_in_order() {
        // 9,000 rows: five chunks of lines, made alternately by the two threads.
        let rows: Vec<TaskRow> = (0..9_000)
            .map(|i| {
                let mut r = row(format!("t{i:05}"));
                r.title = format!("Tâche n° {i} : l'accueil");
                r.overdue = i % 3 == 0;
                r.days_late = i % 40;
                r
            })
            .collect();
        assert!(rows.len() > 4 * LINES_CHUNK);
        let table = task_table(Lang::Fr, &rows, None);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 9_001);
        for (i, line) in lines[1..].iter().enumerate() {
            assert!(line.starts_with(&format!("t{i:05} ")), "line {i}: {line}");
            assert!(
                line.ends_with(&format!("Tâche n° {i} : l'accueil")),
                "line {i}: {line}"
            );
        }
    }
}
