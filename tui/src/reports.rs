//! `cnrm report` and `cnrm export ics`.

use crate::cli::{Global, IcsArgs, ReportArgs, ReportFormat};
use crate::commands::{with_store, Ctx};
use crate::{strings, EXIT_MISUSE, EXIT_OK, EXIT_PROBLEM};
use cnrm_engine::report::{self, Period};
use cnrm_engine::store::StoreError;
use cnrm_engine::{tr, Lang};

fn write_out(lang: Lang, output: &Option<std::path::PathBuf>, text: &str) -> u8 {
    match output {
        None => {
            print!("{text}");
            EXIT_OK
        }
        Some(path) => {
            // Written next to the target then renamed: a reader never sees half a report.
            let tmp = path.with_extension("cnrm-tmp");
            match std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, path)) {
                Ok(()) => EXIT_OK,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    eprintln!(
                        "{}: {}",
                        strings::error_word(lang),
                        tr!(
                            lang,
                            "impossible d'écrire `{}` : {e}",
                            "cannot write `{}`: {e}",
                            path.display()
                        )
                    );
                    EXIT_PROBLEM
                }
            }
        }
    }
}

pub fn report(g: &Global, args: &ReportArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let lang_given = std::env::args().any(|a| a == "--lang" || a.starts_with("--lang="))
        || std::env::var_os("CNRM_LANG").is_some();
    let explicit = match (&args.period, &args.from, &args.to) {
        (Some(p), _, _) => match Period::parse(p) {
            Some(p) => Some(p),
            None => {
                eprintln!(
                    "{}: {}",
                    strings::error_word(ctx.lang),
                    tr!(
                        ctx.lang,
                        "période `{p}` illisible : T3 2025, S1 2026, 2025-09 ou 2025",
                        "unreadable period `{p}`: T3 2025, S1 2026, 2025-09 or 2025"
                    )
                );
                return EXIT_MISUSE;
            }
        },
        (None, Some(from), Some(to)) => {
            let parse = |d: &str| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok();
            match (parse(from), parse(to)) {
                (Some(f), Some(t)) if f <= t => Some(Period {
                    from: f,
                    to: t,
                    label: format!("{f} – {t}"),
                }),
                _ => {
                    eprintln!(
                        "{}: {}",
                        strings::error_word(ctx.lang),
                        tr!(
                            ctx.lang,
                            "--from/--to : deux dates YYYY-MM-DD, la première avant la seconde",
                            "--from/--to: two YYYY-MM-DD dates, the first before the second"
                        )
                    );
                    return EXIT_MISUSE;
                }
            }
        }
        _ => None,
    };
    let (plan, format, table, output) = (
        args.plan.clone(),
        args.format,
        args.table.clone(),
        args.output.clone(),
    );
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let snapshot = store.snapshot(plan.as_deref(), &ctx.clock).await?;
            // In the plan's language unless --lang (or CNRM_LANG) says otherwise.
            let lang = if lang_given {
                ctx.lang
            } else {
                store
                    .plan_language(&snapshot.plan_id)
                    .await
                    .unwrap_or(ctx.lang)
            };
            let extras = store.report_extras(&snapshot.plan_id).await?;
            let period = explicit.unwrap_or_else(|| Period::quarter_of(snapshot.today, lang));
            let r = report::build(&snapshot, &extras, period, lang);
            let text = match format {
                ReportFormat::Md => report::markdown(&r),
                ReportFormat::Html => report::html(&r),
                ReportFormat::Json => serde_json::to_string_pretty(&r).unwrap_or_default() + "\n",
                ReportFormat::Csv => report::csv(&r, &table).unwrap_or_default(),
            };
            Ok::<u8, StoreError>(write_out(ctx.lang, &output, &text))
        })
    })
}

pub fn ics(g: &Global, args: &IcsArgs) -> u8 {
    let ctx = or_exit!(Ctx::from_global(g));
    let (plan, owner, output) = (args.plan.clone(), args.owner.clone(), args.output.clone());
    with_store(&ctx, move |store, ctx| {
        Box::pin(async move {
            let snapshot = store.snapshot(plan.as_deref(), &ctx.clock).await?;
            if let Some(o) = &owner {
                if !snapshot.owners.iter().any(|x| &x.id == o) {
                    return Err(StoreError::Invalid(tr!(
                        ctx.lang,
                        "responsable `{o}` inconnu dans le plan `{}`",
                        "unknown owner `{o}` in plan `{}`",
                        snapshot.plan_id
                    )));
                }
            }
            let stamp = ctx.clock.now().format("%Y%m%dT%H%M%SZ").to_string();
            Ok(write_out(
                ctx.lang,
                &output,
                &report::ics(&snapshot, owner.as_deref(), &stamp),
            ))
        })
    })
}
