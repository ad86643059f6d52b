//! `cnrm plan check`: compiler-style diagnostics (through miette) or the contract's JSON array.

use crate::cli::{CheckArgs, CheckFormat};
use crate::{strings, EXIT_MISUSE, EXIT_OK, EXIT_PROBLEM};
use cnrm_engine::plan::yaml::LineIndex;
use cnrm_engine::plan::{check_source, Checked, Diagnostic, Severity};
use cnrm_engine::store::sha256_hex;
use cnrm_engine::Lang;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode, SourceSpan,
};
use std::fmt;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// One diagnostic dressed for miette's code-frame renderer.
struct Shown<'a> {
    diag: &'a Diagnostic,
    source: &'a NamedSource<String>,
    span: SourceSpan,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code.as_str()))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(format!("{}:{}", self.diag.line, self.diag.column)),
            self.span,
        ))))
    }
}

pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

/// Renders every diagnostic of one file, compiler-style.
pub fn render_human(src: &str, file: &str, diags: &[Diagnostic], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_context_lines(1)
        .with_width(100);
    let source = NamedSource::new(file, src.to_string()).with_language("yaml");
    let index = LineIndex::new(src);
    let mut out = String::new();
    for diag in diags {
        let pos = cnrm_engine::plan::yaml::Pos {
            line: diag.line,
            col: diag.column,
        };
        let offset = index.offset(src, pos);
        let span = SourceSpan::new(offset.into(), LineIndex::token_len(src, offset));
        let shown = Shown {
            diag,
            source: &source,
            span,
        };
        if handler.render_report(&mut out, &shown).is_err() {
            out.push_str(&format!(
                "{}:{}:{}: {}: {}\n",
                file, diag.line, diag.column, diag.code, diag.message
            ));
        }
    }
    out
}

/// Reads a plan file's bytes; an unreadable file is reported (exit 2).
pub fn read_plan_file(path: &std::path::Path, lang: Lang) -> Result<Vec<u8>, u8> {
    std::fs::read(path).map_err(|e| {
        let file = path.display().to_string();
        eprintln!(
            "{}: {}",
            strings::error_word(lang),
            strings::unreadable(lang, &file, &e.to_string())
        );
        EXIT_MISUSE
    })
}

/// A checked plan: the model, its source text and the file's name as shown.
pub type Loaded = (cnrm_engine::plan::Plan, String, String);

/// A plan file's check, not yet reported.
struct Checking {
    file: String,
    /// The text and its check; `None`: the file is not UTF-8.
    outcome: Option<(String, Checked)>,
}

fn check_bytes(bytes: Vec<u8>, file: String, lang: Lang, stop: Option<&AtomicBool>) -> Checking {
    let outcome = String::from_utf8(bytes).ok().map(|src| {
        let _ = stop;
        let checked = check_source(&src, &file, lang);
        (src, checked)
    });
    Checking { file, outcome }
}

impl Checking {
    /// The plan, or its errors printed (as `plan check` would) and the exit code; warnings are
    /// summed up on stderr.
    fn report(self, lang: Lang) -> Result<Loaded, u8> {
        let Checking { file, outcome } = self;
        let Some((src, mut checked)) = outcome else {
            eprintln!(
                "{}: {}",
                strings::error_word(lang),
                strings::not_utf8(lang, &file)
            );
            return Err(EXIT_MISUSE);
        };
        let warnings = checked.warnings();
        match checked.plan.take() {
            Some(plan) => {
                if warnings > 0 {
                    eprintln!("{}", strings::warnings_seen(lang, &file, warnings));
                }
                Ok((plan, src, file))
            }
            None => {
                let text = render_human(&src, &file, &checked.diagnostics, use_color());
                print!("{text}");
                println!(
                    "{}",
                    strings::check_summary(lang, &file, checked.errors(), checked.warnings())
                );
                eprintln!("{}", strings::nothing_written(lang));
                Err(EXIT_PROBLEM)
            }
        }
    }
}

/// A plan file hashed, then checked, on a thread of its own while `apply`, `diff` and `open`
/// open the database: the database is opened (and a new one made) meanwhile, instead of
/// before. When the database already holds that file (its SHA-256, which comes first), the
/// check is stopped: re-applying an unchanged file reads nothing more of it.
pub struct BackgroundCheck {
    lang: Lang,
    inner: Background,
}

enum Background {
    Thread {
        sha: std::sync::mpsc::Receiver<String>,
        stop: Arc<AtomicBool>,
        thread: std::thread::JoinHandle<Checking>,
    },
    /// No thread could be started: hashed and checked on the caller's, when asked.
    Here { bytes: Vec<u8>, file: String },
}

impl BackgroundCheck {
    pub fn start(bytes: Vec<u8>, path: &std::path::Path, lang: Lang) -> BackgroundCheck {
        let file = path.display().to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, sha) = std::sync::mpsc::channel();
        // The bytes and name move to the thread, and come back if it cannot be started.
        let slot = Arc::new(std::sync::Mutex::new(Some((bytes, file))));
        let (work, stopped) = (slot.clone(), stop.clone());
        let spawned = std::thread::Builder::new()
            .name("cnrm-check".into())
            .spawn(move || {
                let taken = work.lock().ok().and_then(|mut w| w.take());
                let (bytes, file) = taken.unwrap_or_default();
                let _ = tx.send(sha256_hex(&bytes));
                check_bytes(bytes, file, lang, Some(&stopped))
            });
        let inner = match spawned {
            Ok(thread) => Background::Thread { sha, stop, thread },
            Err(_) => {
                let (bytes, file) = slot
                    .lock()
                    .ok()
                    .and_then(|mut w| w.take())
                    .unwrap_or_default();
                Background::Here { bytes, file }
            }
        };
        BackgroundCheck { lang, inner }
    }

    /// The file's SHA-256 (lowercase hex).
    pub fn sha(&self) -> Result<String, u8> {
        match &self.inner {
            Background::Thread { sha, .. } => sha.recv().map_err(|_| failed(self.lang)),
            Background::Here { bytes, .. } => Ok(sha256_hex(bytes)),
        }
    }

    /// The check's outcome: the plan, or its errors printed (as `plan check` would) and the
    /// exit code; warnings are summed up on stderr.
    pub fn finish(self) -> Result<Loaded, u8> {
        let lang = self.lang;
        match self.inner {
            Background::Thread { thread, .. } => match thread.join() {
                Ok(checking) => checking.report(lang),
                Err(_) => Err(failed(lang)),
            },
            Background::Here { bytes, file } => check_bytes(bytes, file, lang, None).report(lang),
        }
    }

    /// Stops the check, whose outcome is no longer wanted (it ends on its own thread).
    pub fn stop(self) {
        if let Background::Thread { stop, .. } = &self.inner {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

/// The check's thread ended without an outcome (it cannot, short of a bug): said, exit 1.
fn failed(lang: Lang) -> u8 {
    eprintln!(
        "{}: {}",
        strings::error_word(lang),
        cnrm_engine::tr!(
            lang,
            "la vérification du plan s'est interrompue ; rien n'a été écrit",
            "the plan check stopped unexpectedly; nothing was written"
        )
    );
    EXIT_PROBLEM
}

pub fn run(args: &CheckArgs, lang: Lang) -> u8 {
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut status = EXIT_OK;
    let color = use_color();
    let mut stdout = std::io::stdout().lock();
    for path in &args.files {
        let file = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!(
                    "{}: {}",
                    strings::error_word(lang),
                    strings::unreadable(lang, &file, &e.to_string())
                );
                status = EXIT_MISUSE;
                continue;
            }
        };
        let Ok(src) = String::from_utf8(bytes) else {
            eprintln!(
                "{}: {}",
                strings::error_word(lang),
                strings::not_utf8(lang, &file)
            );
            status = EXIT_MISUSE;
            continue;
        };
        let checked = check_source(&src, &file, lang);
        if checked.errors() > 0 && status == EXIT_OK {
            status = EXIT_PROBLEM;
        }
        match args.format {
            CheckFormat::Json => all.extend(checked.diagnostics),
            CheckFormat::Human => {
                let text = render_human(&src, &file, &checked.diagnostics, color);
                let summary =
                    strings::check_summary(lang, &file, checked.errors(), checked.warnings());
                let _ = write!(stdout, "{text}");
                let _ = writeln!(stdout, "{summary}");
            }
        }
    }
    if args.format == CheckFormat::Json {
        match serde_json::to_string_pretty(&all) {
            Ok(json) => {
                let _ = writeln!(stdout, "{json}");
            }
            Err(e) => {
                eprintln!("{}: {e}", strings::error_word(lang));
                return EXIT_MISUSE;
            }
        }
    }
    status
}
