//! `cnrm mail fetch`: the unseen messages of the IMAP mailbox `CNRM_IMAP_URL`, each processed as
//! `cnrm mail receive` does (`engine/src/imap.rs`, `service::fetch_replies`), the answers sent at
//! once when SMTP is configured.

use super::args::{CheckFormat, MailFetchArgs};
use super::mail::{me, report_sent};
use super::{output, with_store, CliError};
use crate::context::Ctx;
use cnrm_engine::imap::ImapConfig;
use cnrm_engine::mail::SmtpConfig;
use cnrm_engine::service::{self, FetchSummary};
use cnrm_engine::{inbox, tr, Lang};
use std::io::Write;
use std::sync::atomic::AtomicBool;

/// `1 appliqué`, `2 appliqués`; French counts 0 and 1 as singular.
fn counted(
    lang: Lang,
    n: usize,
    (fr_one, fr_many): (&str, &str),
    (en_one, en_many): (&str, &str),
) -> String {
    let word = match (lang, n) {
        (Lang::Fr, 0 | 1) => fr_one,
        (Lang::Fr, _) => fr_many,
        (Lang::En, 1) => en_one,
        (Lang::En, _) => en_many,
    };
    format!("{n} {word}")
}

/// The summary line: how many messages were read and what became of them.
pub fn summary_line(lang: Lang, mailbox: &str, s: &FetchSummary) -> String {
    let read = s.applied + s.rejected + s.ignored + s.duplicate;
    if read == 0 {
        return tr!(
            lang,
            "aucun message non lu dans la boîte {mailbox}",
            "no unseen message in the mailbox {mailbox}"
        );
    }
    let colon = crate::strings::colon(lang);
    let parts = [
        counted(
            lang,
            s.applied,
            ("appliqué", "appliqués"),
            ("applied", "applied"),
        ),
        counted(
            lang,
            s.rejected,
            ("refusé", "refusés"),
            ("rejected", "rejected"),
        ),
        counted(
            lang,
            s.ignored,
            ("ignoré", "ignorés"),
            ("ignored", "ignored"),
        ),
        counted(
            lang,
            s.duplicate,
            ("en double", "en double"),
            ("duplicate", "duplicates"),
        ),
    ]
    .join(", ");
    let head = counted(
        lang,
        read,
        ("message lu", "messages lus"),
        ("message read", "messages read"),
    );
    format!("{head}{colon}{parts}")
}

/// How many messages left unseen are said one by one.
const MAX_SAID: usize = 20;

/// A pass of at least this many messages shows its progress on standard error.
const LONG_PASS: usize = 100;

/// Without a terminal, a line every this many messages.
const EVERY: usize = 1000;

/// The progress of a long pass on standard error: a bar on a terminal, else a line every
/// [`EVERY`] messages.
struct Progress {
    lang: Lang,
    bar: std::sync::OnceLock<Option<indicatif::ProgressBar>>,
}

impl Progress {
    fn new(lang: Lang) -> Progress {
        Progress {
            lang,
            bar: std::sync::OnceLock::new(),
        }
    }

    fn tell(&self, done: usize, total: usize) {
        use std::io::IsTerminal;
        if total < LONG_PASS {
            return;
        }
        let bar = self.bar.get_or_init(|| {
            std::io::stderr().is_terminal().then(|| {
                let pb = indicatif::ProgressBar::new(total as u64);
                if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len}") {
                    pb.set_style(style);
                }
                pb
            })
        });
        match bar {
            Some(pb) => pb.set_position(done as u64),
            None if done > 0 && done.is_multiple_of(EVERY) && done < total => {
                let lang = self.lang;
                eprintln!(
                    "{}",
                    tr!(
                        lang,
                        "lecture de la boîte\u{a0}: {done} messages sur {total}",
                        "reading the mailbox: {done} messages of {total}"
                    )
                );
            }
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(Some(pb)) = self.bar.get() {
            pb.finish_and_clear();
        }
    }
}

pub fn fetch(ctx: &Ctx, args: &MailFetchArgs) -> Result<(), CliError> {
    let lang = ctx.lang;
    let Some(imap) = ImapConfig::from_env(lang).map_err(CliError::Misuse)? else {
        return Err(CliError::Misuse(tr!(
            lang,
            "CNRM_IMAP_URL n'est pas défini\u{a0}: aucune boîte à lire (par exemple CNRM_IMAP_URL=imaps://cnrm-retours@mail.example.ml/INBOX)",
            "CNRM_IMAP_URL is not set: no mailbox to read (for example CNRM_IMAP_URL=imaps://cnrm-retours@mail.example.ml/INBOX)"
        )));
    };
    let smtp = SmtpConfig::from_env(lang).map_err(CliError::Misuse)?;
    let json = args.format == CheckFormat::Json;
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let options = inbox::Options::new(service::message_domain(smtp.as_ref()), lang);
        let progress = Progress::new(lang);
        let result = service::fetch_replies(store, &imap, &ctx.clock, &options, &|done, total| {
            progress.tell(done, total)
        })
        .await;
        progress.finish();
        let summary = result.map_err(CliError::Problem)?;
        let line = summary_line(lang, &imap.url.mailbox, &summary);
        if json {
            output::json(&mut out, &summary)?;
            eprintln!("{}", cnrm_engine::text::terminal_text(&line));
        } else {
            writeln!(out, "{line}")?;
        }
        out.flush()?;
        let answers = summary.messages.iter().any(|m| m.answer_outbox.is_some());
        if let (Some(cfg), true) = (&smtp, answers) {
            let stop = AtomicBool::new(false);
            let sent = service::send_due(store, cfg, &ctx.clock, &me(), None, &stop).await?;
            report_sent(&mut out, lang, &sent, json)?;
        }
        // Each message left unseen, one sentence each (the first ones).
        for u in summary.unseen.iter().take(MAX_SAID) {
            eprintln!("{}", service::unseen_sentence(lang, u));
        }
        let more = summary.unseen.len().saturating_sub(MAX_SAID);
        if more > 0 {
            eprintln!(
                "{}",
                tr!(
                    lang,
                    "… et {more} autres messages laissés non lus (cnrm mail fetch --format json les donne tous)",
                    "… and {more} more messages left unseen (cnrm mail fetch --format json gives them all)"
                )
            );
        }
        match summary.stopped {
            None if summary.unseen.is_empty() => Ok(()),
            None => {
                let n = summary.unseen.len();
                Err(CliError::Problem(match (lang, n) {
                    (Lang::Fr, 1) => "1 message reste non lu, pour la raison dite ci-dessus".into(),
                    (Lang::Fr, _) => {
                        format!("{n} messages restent non lus, pour les raisons dites ci-dessus")
                    }
                    (Lang::En, 1) => "1 message stays unseen, for the reason said above".into(),
                    (Lang::En, _) => {
                        format!("{n} messages stay unseen, for the reasons said above")
                    }
                }))
            }
            Some(why) => {
                let n = summary.left_unseen;
                Err(CliError::Problem(match (lang, n) {
                    (Lang::Fr, 1) => {
                        format!("{why}\u{a0}: 1 message reste non lu, pour le prochain passage")
                    }
                    (Lang::Fr, _) => format!(
                        "{why}\u{a0}: {n} messages restent non lus, pour le prochain passage"
                    ),
                    (Lang::En, 1) => format!("{why}: 1 message stays unseen, for the next pass"),
                    (Lang::En, _) => format!("{why}: {n} messages stay unseen, for the next pass"),
                }))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_counts_in_both_languages() {
        let s = FetchSummary {
            applied: 2,
            rejected: 1,
            ignored: 0,
            duplicate: 3,
            ..FetchSummary::default()
        };
        assert_eq!(
            summary_line(Lang::Fr, "INBOX", &s),
            "6 messages lus\u{a0}: 2 appliqués, 1 refusé, 0 ignoré, 3 en double"
        );
        assert_eq!(
            summary_line(Lang::En, "INBOX", &s),
            "6 messages read: 2 applied, 1 rejected, 0 ignored, 3 duplicates"
        );
        assert_eq!(
            summary_line(Lang::Fr, "Réponses", &FetchSummary::default()),
            "aucun message non lu dans la boîte Réponses"
        );
    }
}
