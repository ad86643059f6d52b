//! `cnrm plan check`: compiler-style diagnostics (through miette) or the contract's JSON array.

use crate::cli::{CheckArgs, CheckFormat};
use crate::{strings, EXIT_MISUSE, EXIT_OK, EXIT_PROBLEM};
use cnrm_engine::plan::yaml::LineIndex;
use cnrm_engine::plan::{check_source, Diagnostic, Severity};
use cnrm_engine::Lang;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode, SourceSpan,
};
use std::fmt;
use std::io::{IsTerminal, Write};

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

/// Reads and checks one plan file for `apply`, `diff` and `open`. On errors, prints them (as
/// `plan check` would) and returns the exit code; warnings are summed up on stderr.
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

pub fn load_plan(
    path: &std::path::Path,
    lang: Lang,
) -> Result<(cnrm_engine::plan::Plan, String, String), u8> {
    plan_from_bytes(read_plan_file(path, lang)?, path, lang)
}

/// Checks a plan file's bytes as `load_plan` does.
pub fn plan_from_bytes(
    bytes: Vec<u8>,
    path: &std::path::Path,
    lang: Lang,
) -> Result<(cnrm_engine::plan::Plan, String, String), u8> {
    let file = path.display().to_string();
    let src = String::from_utf8(bytes).map_err(|_| {
        eprintln!(
            "{}: {}",
            strings::error_word(lang),
            strings::not_utf8(lang, &file)
        );
        EXIT_MISUSE
    })?;
    let mut checked = check_source(&src, &file, lang);
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
