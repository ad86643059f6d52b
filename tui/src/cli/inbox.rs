//! `cnrm mail receive` and `cnrm inbox`: members' replies, taken from a mail server's delivery
//! pipe (or a file) and listed for the secretariat. The work is `cnrm_engine::inbox::receive`,
//! the one path that `mail fetch` takes too.

use super::args::{CheckFormat, InboxArgs, ListFormat, MailReceiveArgs};
use super::output::{self, csv_line};
use super::CliError;
use crate::context::Ctx;
use crate::strings;
use cnrm_engine::inbox::{self, InboxError, Options};
use cnrm_engine::mail::SmtpConfig;
use cnrm_engine::service;
use cnrm_engine::store::{Store, StoreError};
use cnrm_engine::Lang;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

/// Who claims outbox rows: this host and process.
fn me() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "cnrm".into());
    format!("{host}:{}", std::process::id())
}

/// The message's bytes, from `--file` or standard input.
fn read_message(lang: Lang, file: Option<&std::path::Path>) -> Result<Vec<u8>, CliError> {
    let mut raw = Vec::new();
    match file {
        Some(path) => {
            raw = std::fs::read(path).map_err(|e| {
                CliError::Misuse(strings::cannot_read_message(
                    lang,
                    &path.display().to_string(),
                    &e,
                ))
            })?;
        }
        None => {
            std::io::stdin().lock().read_to_end(&mut raw).map_err(|e| {
                let what = match lang {
                    Lang::Fr => "sur l'entrée standard",
                    Lang::En => "on standard input",
                };
                CliError::Misuse(strings::cannot_read_message(lang, what, &e))
            })?;
        }
    }
    Ok(raw)
}

/// `cnrm mail receive`: exit 0 once the message is recorded (whatever became of it), 75 when
/// the database cannot take it now.
pub fn receive(ctx: &Ctx, args: &MailReceiveArgs) -> Result<ExitCode, CliError> {
    let lang = ctx.lang;
    let raw = read_message(lang, args.file.as_deref())?;
    // A wrong SMTP or reply address is said after the message is safe, not instead of taking it.
    let smtp = SmtpConfig::from_env(lang);
    let options = Options::new(
        service::message_domain(smtp.as_ref().ok().and_then(|c| c.as_ref())),
        lang,
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Temporary(strings::io_reason(lang, &e)))?;
    let mut out = output::stdout();
    let received = runtime.block_on(async {
        let mut store = match Store::connect(&ctx.db).await {
            Ok(s) => s,
            Err(
                e @ (StoreError::Url(_)
                | StoreError::Foreign { .. }
                | StoreError::NotSqlite { .. }
                | StoreError::NotAFile { .. }),
            ) => return Err(CliError::Store(e)),
            Err(e) => {
                let why = strings::store_error(lang, &e);
                return Err(CliError::Temporary(strings::try_again_later(lang, &why)));
            }
        };
        super::say_when_busy(&mut store, lang);
        let result = inbox::receive(&store, &raw, &ctx.clock, &options).await;
        let received = match result {
            Ok(r) => r,
            Err(InboxError::Temporary(e)) => {
                store.close().await;
                let why = strings::store_error(lang, &e);
                return Err(CliError::Temporary(strings::try_again_later(lang, &why)));
            }
            Err(InboxError::Store(e)) => {
                store.close().await;
                return Err(CliError::Store(e));
            }
        };
        // The answer goes at once when SMTP is configured; otherwise it waits in the outbox.
        let mut send_error = None;
        if let (Some(id), Ok(Some(config))) = (received.answer_outbox, &smtp) {
            let stop = AtomicBool::new(false);
            match service::send_due(&store, config, &ctx.clock, &me(), Some(id), &stop).await {
                Ok(r) => send_error = r.last_error,
                Err(e) => send_error = Some(strings::store_error(lang, &e)),
            }
        }
        store.close().await;
        Ok((received, send_error))
    });
    let (received, send_error) = received?;
    if args.format == CheckFormat::Json {
        output::json(&mut out, &received)?;
    } else {
        let status = received.status.as_str();
        let line = strings::received_line(lang, status, &received.from, received.reason.as_deref());
        writeln!(out, "{line}")?;
        if let Some(notes) = &received.notes {
            writeln!(out, "  {notes}")?;
        }
        for c in &received.changes {
            writeln!(out, "  {}", strings::inbox_change(lang, c))?;
        }
        for l in &received.not_understood {
            let label = strings::not_understood_label(lang);
            writeln!(out, "  {label}{}« {l} »", strings::colon(lang))?;
        }
        writeln!(
            out,
            "{}",
            strings::answer_queued(lang, received.reply_queued)
        )?;
    }
    out.flush()?;
    if let Some(e) = send_error {
        eprintln!("{}", cnrm_engine::text::terminal_text(&e));
    }
    if let Err(e) = smtp {
        eprintln!(
            "{}{}",
            strings::error_word(lang),
            cnrm_engine::text::terminal_text(&e)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `cnrm inbox`: the replies received, newest first.
pub fn inbox(ctx: &Ctx, args: &InboxArgs) -> Result<(), CliError> {
    let lang = ctx.lang;
    let rows = super::with_store(ctx, async |store| Ok(store.inbox(args.status).await?))?;
    let mut out = output::stdout();
    match args.format {
        ListFormat::Json => output::json(&mut out, &rows)?,
        ListFormat::Csv => {
            out.write_all(
                b"id,received_at,from,subject,status,reason,changes,not_understood,message_id\n",
            )?;
            for r in &rows {
                let changes: Vec<String> = r
                    .changes
                    .iter()
                    .map(|c| strings::inbox_change(lang, c))
                    .collect();
                let line = csv_line(&[
                    r.id.to_string(),
                    r.received_at.clone(),
                    r.from.clone(),
                    r.subject.clone(),
                    r.status.clone(),
                    r.reason.clone().unwrap_or_default(),
                    changes.join(" ; "),
                    r.not_understood.join(" ; "),
                    r.message_id.clone(),
                ]);
                out.write_all(line.as_bytes())?;
            }
        }
        ListFormat::Table => {
            let out = &mut output::terminal(&mut out);
            if rows.is_empty() {
                writeln!(out, "{}", strings::inbox_empty(lang))?;
            }
            let colon = strings::colon(lang);
            // Replies about several plans say each one's plan.
            let several = rows
                .iter()
                .any(|r| r.plan.is_some() && r.plan != rows[0].plan);
            for r in &rows {
                let status = strings::inbox_status(lang, &r.status);
                let from = if r.from.is_empty() { "?" } else { &r.from };
                let plan = match (&r.plan, several) {
                    (Some(p), true) => format!("{p} · "),
                    _ => String::new(),
                };
                writeln!(
                    out,
                    "#{:<5} {status:<10} {plan}{} ← {from}",
                    r.id,
                    strings::when(lang, &r.received_at)
                )?;
                writeln!(out, "       « {} »", r.subject)?;
                for c in &r.changes {
                    writeln!(out, "       {}", strings::inbox_change(lang, c))?;
                }
                for l in &r.not_understood {
                    let label = strings::not_understood_label(lang);
                    writeln!(out, "       {label}{colon}« {l} »")?;
                }
                if let Some(code) = &r.reason {
                    let label = strings::reason_label(lang);
                    let why = inbox::reason_text(lang, code);
                    writeln!(out, "       {label}{colon}{why}")?;
                }
                if let Some(notes) = &r.notes {
                    writeln!(out, "       {notes}")?;
                }
            }
        }
    }
    Ok(out.flush()?)
}
