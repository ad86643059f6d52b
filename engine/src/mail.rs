//! E-mails: what a reminder, an escalation or a digest says (French or English, plain text and
//! light HTML, an iCalendar entry per deadline), and sending it through SMTP with lettre.
//!
//! Rendering is pure and happens when a message is queued, so the outbox holds exactly what will
//! be sent, and a retry sends the same bytes with the same Message-ID. Sending builds the MIME
//! message from the outbox row. The SMTP password never leaves `SmtpConfig` (its Debug hides it,
//! and every error is passed through `text::redact` and scrubbed of it).

use crate::ical::Calendar;
use crate::lang::Lang;
use crate::records::{Outgoing, RemindTask};
use crate::remind::{MessageKind, Occasion, PlannedMessage, Role};
use crate::text::{french_date, html_escape};
use crate::tr;
use chrono::{DateTime, NaiveDate, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::fmt;
use std::time::Duration;

/// What a queued message says.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub ics: String,
}

/// Days left or late, in words.
fn when(lang: Lang, deadline: NaiveDate, today: NaiveDate) -> String {
    let days = (deadline - today).num_days();
    match days {
        0 => tr!(lang, "aujourd'hui", "today"),
        1 => tr!(lang, "demain", "tomorrow"),
        n if n > 1 => tr!(lang, "dans {n} jours", "in {n} days"),
        -1 => tr!(lang, "en retard d'un jour", "one day late"),
        n => tr!(lang, "en retard de {} jours", "{} days late", -n),
    }
}

/// A date as its reader writes it: `30/09/2025` in French, `30 Sep 2025` in English.
fn human_date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Fr => french_date(&d.to_string()),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

/// `1 tâche`, `3 tâches`; `1 task`, `3 tasks`.
fn tasks_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Fr, 1) => "1 tâche".into(),
        (Lang::Fr, n) => format!("{n} tâches"),
        (Lang::En, 1) => "1 task".into(),
        (Lang::En, n) => format!("{n} tasks"),
    }
}

/// A label and its list, the label singular or plural by count (`Responsable : DGME`).
fn labelled(
    lang: Lang,
    (fr_one, fr_many): (&str, &str),
    (en_one, en_many): (&str, &str),
    items: &[String],
) -> String {
    let label = match (lang, items.len()) {
        (Lang::Fr, 1) => fr_one,
        (Lang::Fr, _) => fr_many,
        (Lang::En, 1) => en_one,
        (Lang::En, _) => en_many,
    };
    format!("{label}{}{}", colon(lang), items.join(", "))
}

/// French puts a non-breaking space before the colon, English nothing.
fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "\u{a0}: ",
        Lang::En => ": ",
    }
}

/// A quotation: `« … »` with non-breaking spaces in French, curly quotes in English.
fn quoted(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Fr => format!("«\u{a0}{text}\u{a0}»"),
        Lang::En => format!("\u{201c}{text}\u{201d}"),
    }
}

/// A deadline label as the reader's language writes it: quarters `T1 2026` in French and
/// `Q1 2026` in English, semesters `S1 2026` and `H1 2026`; any other label as it is.
pub fn period_label(lang: Lang, label: &str) -> String {
    use crate::plan::values::parse_date;
    let Ok((date, form)) = parse_date(label) else {
        return label.to_string();
    };
    quarter_or_semester(lang, date, form).unwrap_or_else(|| label.to_string())
}

/// `T2 2026` / `Q2 2026` for a quarter, `S1 2026` / `H1 2026` for a semester, from its last day.
fn quarter_or_semester(
    lang: Lang,
    date: NaiveDate,
    form: crate::plan::values::DateForm,
) -> Option<String> {
    use crate::plan::values::DateForm;
    use chrono::Datelike;
    let (y, m) = (date.year(), date.month());
    match (form, lang) {
        (DateForm::Quarter, Lang::Fr) => Some(format!("T{} {y}", m.div_ceil(3))),
        (DateForm::Quarter, Lang::En) => Some(format!("Q{} {y}", m.div_ceil(3))),
        (DateForm::Semester, Lang::Fr) => Some(format!("S{} {y}", m.div_ceil(6))),
        (DateForm::Semester, Lang::En) => Some(format!("H{} {y}", m.div_ceil(6))),
        _ => None,
    }
}

/// The quarter after the one `deadline` falls in, as a reply would write it: what the "how to
/// answer" block proposes for a postponement (never the quarter the task is already due in).
pub fn next_quarter(lang: Lang, deadline: NaiveDate) -> String {
    use chrono::Datelike;
    let q = deadline.month().div_ceil(3);
    let (q, y) = if q == 4 {
        (1, deadline.year() + 1)
    } else {
        (q + 1, deadline.year())
    };
    match lang {
        Lang::Fr => format!("T{q} {y}"),
        Lang::En => format!("Q{q} {y}"),
    }
}

/// A requested postponement as the secretariat reads it: a quarter or a semester written
/// without its year (`T2`) gets the first such period ending after `after` (the task's current
/// deadline), a date or period is written in the reader's language; anything else as written.
pub fn requested_label(lang: Lang, requested: &str, after: NaiveDate) -> String {
    use crate::plan::values::{parse_date, DateForm};
    use chrono::Datelike;
    let text = requested.trim();
    if let Ok((date, form)) = parse_date(text) {
        return quarter_or_semester(lang, date, form).unwrap_or_else(|| human_date(lang, date));
    }
    let mut chars = text.chars();
    let letter = chars.next().map(|c| c.to_ascii_uppercase());
    let number: String = chars.collect();
    let Ok(n) = number.trim().parse::<u32>() else {
        return text.to_string();
    };
    let (months, form) = match letter {
        Some('T' | 'Q') if (1..=4).contains(&n) => (n * 3, DateForm::Quarter),
        Some('S' | 'H') if (1..=2).contains(&n) => (n * 6, DateForm::Semester),
        _ => return text.to_string(),
    };
    for year in after.year()..=after.year() + 1 {
        let end = NaiveDate::from_ymd_opt(year, months, 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt());
        if let Some(end) = end.filter(|e| *e > after) {
            if let Some(label) = quarter_or_semester(lang, end, form) {
                return label;
            }
        }
    }
    text.to_string()
}

/// The names to show for owner ids.
pub type Names<'a> = &'a dyn Fn(&str) -> String;

/// The subject line alone (a dry run needs no body).
pub fn subject(m: &PlannedMessage, tasks: &[RemindTask], today: NaiveDate) -> String {
    let lang = m.language;
    let n = m.items.len();
    let count = tasks_count(lang, n);
    let late = m
        .items
        .iter()
        .filter(|i| tasks[i.task].deadline < today)
        .count();
    match m.kind {
        MessageKind::Reminder if late > 0 && late == n => match lang {
            Lang::Fr => format!("[CNRM] Rappel\u{a0}: {count} en retard"),
            Lang::En => format!("[CNRM] Reminder: {count} overdue"),
        },
        MessageKind::Reminder if late > 0 => match lang {
            Lang::Fr => format!("[CNRM] Rappel\u{a0}: {count} à suivre, dont {late} en retard"),
            Lang::En => format!("[CNRM] Reminder: {count} to follow up, {late} of them overdue"),
        },
        MessageKind::Reminder => match lang {
            Lang::Fr => format!("[CNRM] Rappel\u{a0}: {count} à échéance prochaine"),
            Lang::En => format!("[CNRM] Reminder: {count} coming due"),
        },
        MessageKind::Escalation => match lang {
            Lang::Fr => format!("[CNRM] Escalade\u{a0}: {count} en retard"),
            Lang::En => format!("[CNRM] Escalation: {count} overdue"),
        },
        MessageKind::Digest => match lang {
            Lang::Fr => format!("[CNRM] Récapitulatif hebdomadaire\u{a0}: {count}"),
            Lang::En => format!("[CNRM] Weekly digest: {count}"),
        },
    }
}

/// What an escalation's recipient is to the tasks it lists, in words: `structure de tutelle de
/// DGME`, `secrétariat technique du plan`, or both.
fn role_words(lang: Lang, role: &Role, names: Names<'_>) -> String {
    let supervised: Vec<String> = role.supervises.iter().map(|o| names(o)).collect();
    let and = tr!(lang, " et ", " and ");
    let supervised = match supervised.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}{and}{last}", rest.join(", ")),
    };
    let tutelle = tr!(
        lang,
        "structure de tutelle de {supervised}",
        "the supervising body of {supervised}"
    );
    let secretariat = tr!(
        lang,
        "secrétariat technique du plan",
        "the plan's technical secretariat"
    );
    match (supervised.is_empty(), role.secretariat) {
        (false, true) => format!("{tutelle}{and}{secretariat}"),
        (false, false) => tutelle,
        (true, _) => secretariat,
    }
}

/// The roles of all a message's items together.
fn message_role(m: &PlannedMessage) -> Role {
    let mut all = Role::default();
    for r in m.items.iter().filter_map(|i| i.role.as_ref()) {
        for s in &r.supervises {
            if !all.supervises.contains(s) {
                all.supervises.push(s.clone());
            }
        }
        all.secretariat |= r.secretariat;
    }
    all
}

/// The sentence before the list.
fn intro(m: &PlannedMessage, plan_title: &str, recipients: &str, names: Names<'_>) -> String {
    let lang = m.language;
    let role = role_words(lang, &message_role(m), names);
    let plan = quoted(lang, plan_title);
    let one = m.items.len() == 1;
    let c = colon(lang);
    match (m.kind, lang, one) {
        (MessageKind::Reminder, Lang::Fr, true) => {
            format!("Voici la tâche du plan {plan} qui vous concerne ({recipients}){c}")
        }
        (MessageKind::Reminder, Lang::Fr, false) => {
            format!("Voici les tâches du plan {plan} qui vous concernent ({recipients}){c}")
        }
        (MessageKind::Reminder, Lang::En, true) => {
            format!("Here is the task of the plan {plan} that concerns you ({recipients}){c}")
        }
        (MessageKind::Reminder, Lang::En, false) => {
            format!("Here are the tasks of the plan {plan} that concern you ({recipients}){c}")
        }
        (MessageKind::Escalation, Lang::Fr, true) => format!(
            "La tâche suivante du plan {plan} est en retard depuis plus longtemps que le délai d'escalade. Vous la recevez en tant que {role} ({recipients}){c}"
        ),
        (MessageKind::Escalation, Lang::Fr, false) => format!(
            "Les tâches suivantes du plan {plan} sont en retard depuis plus longtemps que le délai d'escalade. Vous les recevez en tant que {role} ({recipients}){c}"
        ),
        (MessageKind::Escalation, Lang::En, true) => format!(
            "The following task of the plan {plan} has been overdue for longer than the escalation delay. You receive it as {role} ({recipients}){c}"
        ),
        (MessageKind::Escalation, Lang::En, false) => format!(
            "The following tasks of the plan {plan} have been overdue for longer than the escalation delay. You receive them as {role} ({recipients}){c}"
        ),
        (MessageKind::Digest, Lang::Fr, _) => format!(
            "Récapitulatif de la semaine pour {recipients}, plan {plan}{c}{} en retard ou à échéance dans les 30 prochains jours.",
            tasks_count(lang, m.items.len())
        ),
        (MessageKind::Digest, Lang::En, _) => format!(
            "Weekly digest for {recipients}, plan {plan}{c}{} overdue or due within the next 30 days.",
            tasks_count(lang, m.items.len())
        ),
    }
}

/// The block that says how to answer, in the recipient's language, with the message's own
/// numbers and ids in its examples (`mail-replies.md`, "What goes out").
pub fn how_to_answer(lang: Lang, ids: &[&str]) -> String {
    let postpone = tr!(lang, "T1 2026", "2026-03-31");
    how_to_answer_for(lang, ids, &postpone)
}

/// [`how_to_answer`] whose postponement example proposes `postpone` (see [`next_quarter`]).
pub fn how_to_answer_for(lang: Lang, ids: &[&str], postpone: &str) -> String {
    let c = colon(lang);
    let mut out = String::new();
    match ids {
        [] => {}
        [only] => {
            out.push_str(&tr!(
                lang,
                "Pour mettre à jour, répondez à ce message en écrivant par exemple{c}\n  fait\n  avancement 60\u{a0}%\n  bloqué, en attente des fonds\n  dépensé 2 500 000 FCFA\n  note{c}texte libre\n  report{c}{postpone} (une demande, transmise au secrétariat)\nUne ligne par mise à jour{c}la tâche {only} est la seule de ce message.",
                "To update, answer this message, writing for example:\n  done\n  progress 60\n  blocked, waiting for the funds\n  spent 2500000 XOF\n  note: free text\n  postpone: {postpone} (a request, passed on to the secretariat)\nOne line per update: task {only} is the only one of this message."
            ));
        }
        [first, .., last] => {
            let n = ids.len();
            out.push_str(&tr!(
                lang,
                "Pour mettre à jour, répondez à ce message, une ligne par tâche (son numéro ou son identifiant)\u{a0}:\n  1 : fait\n  2 : avancement 60\u{a0}%\n  {last} : bloqué, en attente des fonds\n  {first} : dépensé 2 500 000 FCFA ; note : texte libre\n  {n} : report : {postpone} (une demande, transmise au secrétariat)",
                "To update, answer this message, one line per task (its number or its id):\n  1: done\n  2: progress 60\n  {last}: blocked, waiting for the funds\n  {first}: spent 2500000 XOF; note: free text\n  {n}: postpone: {postpone} (a request, passed on to the secretariat)"
            ));
            if lang == Lang::Fr {
                out = out.replace(" : ", "\u{a0}: ").replace(" ; ", "\u{a0}; ");
            }
        }
    }
    out
}

/// A task's current deadline, and its label as the plan wrote it (`T1 2026`), for the
/// postponement requests of the secretariat's digest.
pub type Deadlines<'a> = &'a dyn Fn(&str) -> Option<(NaiveDate, String)>;

/// A deadline as a reminder shows it: `30/06/2025 (T2 2025)`, the label in the reader's
/// language and only when it says more than the date.
pub(crate) fn deadline_words(lang: Lang, deadline: NaiveDate, label: &str) -> String {
    let label = if label.is_empty() || label == deadline.to_string() {
        String::new()
    } else {
        format!(" ({})", period_label(lang, label))
    };
    format!("{}{label}", human_date(lang, deadline))
}

/// The postponement requests received by e-mail, for the secretariat's digest: text and HTML.
/// Each says the task's current deadline and the period asked for with its year.
pub fn postponements(
    lang: Lang,
    requests: &[crate::store::PostponeRequest],
    deadlines: Deadlines<'_>,
) -> (String, String) {
    let c = colon(lang);
    let head = tr!(
        lang,
        "Demandes de report reçues par courriel (à décider par le secrétariat, l'échéance n'a pas changé){c}",
        "Postponement requests received by e-mail (for the secretariat to decide; the deadline has not changed){c}"
    );
    let mut text = format!("{head}\n");
    let mut html = format!("<p><strong>{}</strong></p><ul>", html_escape(&head));
    for r in requests {
        let day = r.received_at.get(..10).unwrap_or(&r.received_at);
        let received = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();
        let day = received.map_or_else(|| day.to_string(), |d| human_date(lang, d));
        let current = deadlines(&r.task);
        let after = current.as_ref().map(|(d, _)| *d).or(received);
        let requested = match after {
            Some(after) => requested_label(lang, &r.requested, after),
            None => r.requested.clone(),
        };
        let now = match &current {
            Some((d, label)) => tr!(
                lang,
                "échéance actuelle{c}{}\u{a0}; ",
                "current deadline: {}; ",
                deadline_words(lang, *d, label)
            ),
            None => String::new(),
        };
        let line = tr!(
            lang,
            "{} — report demandé{c}{requested} ({now}par {}, le {day})",
            "{} — postponement requested: {requested} ({now}by {}, on {day})",
            r.task,
            r.from
        );
        text.push_str(&format!("  • {line}\n"));
        html.push_str(&format!("<li>{}</li>", html_escape(&line)));
    }
    html.push_str("</ul>");
    (text, html)
}

/// Renders one planned message. `plan_title` names the plan; `names` gives display names.
pub fn render(
    m: &PlannedMessage,
    tasks: &[RemindTask],
    plan_id: &str,
    plan_title: &str,
    names: Names<'_>,
    today: NaiveDate,
    stamp: DateTime<Utc>,
) -> Rendered {
    render_with(m, tasks, plan_id, plan_title, names, today, stamp, None)
}

/// Lines of text as HTML that wraps on a narrow screen (no `<pre>`): each line its own line,
/// leading spaces kept as non-breaking ones.
fn html_lines(text: &str) -> String {
    text.lines()
        .map(|l| {
            let trimmed = l.trim_start_matches(' ');
            let indent = "&nbsp;".repeat(l.len() - trimmed.len());
            format!("{indent}{}", html_escape(trimmed))
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// [`render`], with a block (text, HTML) placed after the list and before the signature: the
/// postponement requests of the secretariat's digest.
#[allow(clippy::too_many_arguments)]
pub fn render_with(
    m: &PlannedMessage,
    tasks: &[RemindTask],
    plan_id: &str,
    plan_title: &str,
    names: Names<'_>,
    today: NaiveDate,
    stamp: DateTime<Utc>,
    extra: Option<&(String, String)>,
) -> Rendered {
    let lang = m.language;
    let subject = subject(m, tasks, today);
    let recipients = m
        .owners
        .iter()
        .map(|o| names(o))
        .collect::<Vec<_>>()
        .join(", ");
    let intro = intro(m, plan_title, &recipients, names);
    let hello = tr!(lang, "Bonjour,", "Hello,");
    let mut text = format!("{hello}\n\n{intro}\n\n");
    // Long ids, titles and addresses break rather than widen the page (a phone is 390 px wide).
    let mut html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body style=\"font-family:Arial,sans-serif;font-size:14px;color:#222;overflow-wrap:anywhere;word-wrap:break-word\"><p>{hello}</p><p>{}</p><ul style=\"list-style:none;padding-left:0\">",
        html_escape(&intro)
    );
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let mut ics = Calendar::new(plan_id, &stamp, &["METHOD:PUBLISH"]);
    let colon = colon(lang);
    // In an escalation whose tasks do not all come for the same reason, each says its own.
    let one_role = m
        .items
        .windows(2)
        .all(|w| w[0].role.as_ref() == w[1].role.as_ref());
    for (n, item) in m.items.iter().enumerate() {
        let n = n + 1;
        let t = &tasks[item.task];
        let owners: Vec<String> = t.owners.iter().map(|o| names(o)).collect();
        let owners_line = labelled(
            lang,
            ("Responsable", "Responsables"),
            ("Owner", "Owners"),
            &owners,
        );
        let due = format!(
            "{} — {}",
            deadline_words(lang, t.deadline, &t.deadline_label),
            when(lang, t.deadline, today)
        );
        let flag = match (m.kind, item.escalated, item.occasion, &item.role) {
            (MessageKind::Escalation, _, _, Some(role)) if !one_role => {
                format!(" [{}]", role_words(lang, role, names))
            }
            (MessageKind::Escalation, _, _, _) => String::new(),
            (_, true, _, _) => tr!(lang, " [escaladée]", " [escalated]"),
            (_, _, Occasion::Start, _) => tr!(lang, " [début prévu]", " [planned start]"),
            _ => String::new(),
        };
        let deadline_word = tr!(lang, "Échéance", "Deadline");
        let priority_word = tr!(lang, "Priorité", "Priority");
        text.push_str(&format!("{n}. {} — {}{flag}\n", t.id, t.title));
        text.push_str(&format!("  {deadline_word}{colon}{due}\n"));
        let mut people_line = format!("{priority_word}{colon}{} · {owners_line}", t.priority);
        if !t.partners.is_empty() {
            let partners: Vec<String> = t.partners.iter().map(|o| names(o)).collect();
            let partners_line = labelled(
                lang,
                ("Partenaire", "Partenaires"),
                ("Partner", "Partners"),
                &partners,
            );
            people_line.push_str(&format!(" · {partners_line}"));
        }
        text.push_str(&format!("  {people_line}\n"));
        let mut note_html = String::new();
        if t.status == crate::workflow::Status::Blocked {
            let note = t
                .note
                .clone()
                .unwrap_or_else(|| tr!(lang, "aucune note", "no note"));
            let note = quoted(lang, &note);
            let blocked = tr!(lang, "Bloquée", "Blocked");
            text.push_str(&format!("  {blocked}{colon}{note}\n"));
            note_html = format!("<br><em>{blocked}{colon}{}</em>", html_escape(&note));
        }
        text.push('\n');
        html.push_str(&format!(
            "<li style=\"margin-bottom:8px\">{n}. <strong>{}</strong> — {}{}<br>{deadline_word}{colon}<strong>{}</strong><br><span style=\"color:#555\">{}</span>{note_html}</li>",
            html_escape(&t.id),
            html_escape(&t.title),
            html_escape(&flag),
            html_escape(&due),
            html_escape(&people_line)
        ));
        ics.event(
            &t.id,
            t.deadline,
            &format!("{} — {}", t.id, t.title),
            &owners_line,
            &[],
        );
    }
    html.push_str("</ul>");
    if let Some((extra_text, extra_html)) = extra {
        text.push_str(extra_text);
        text.push('\n');
        html.push_str(extra_html);
    }
    let outro = tr!(
        lang,
        "Merci d'informer le secrétariat technique de l'avancement ou de tout blocage.\n\n— Secrétariat technique du CNRM (message automatique de cnrm)",
        "Please tell the technical secretariat about progress or anything blocking.\n\n— CNRM technical secretariat (automatic message from cnrm)"
    );
    let ids: Vec<&str> = m.items.iter().map(|i| tasks[i.task].id.as_str()).collect();
    // The example postpones the task it names (the last one) to the quarter after its own.
    let postpone = m
        .items
        .last()
        .map(|i| next_quarter(lang, tasks[i.task].deadline))
        .unwrap_or_default();
    let how = how_to_answer_for(lang, &ids, &postpone);
    if !how.is_empty() {
        text.push_str(&how);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", html_lines(&how)));
    }
    text.push_str(&outro);
    text.push('\n');
    html.push_str(&format!(
        "<p>{}</p></body></html>",
        html_escape(&outro).replace('\n', "<br>")
    ));
    Rendered {
        subject,
        text,
        html,
        ics: ics.finish(),
    }
}

pub(crate) use crate::text::base64;
pub(crate) use crate::url::is_loopback;
pub use crate::url::{SmtpUrl, TlsMode};

/// `CNRM_REPLY_TO`, checked: `None` when it is not set; an error sentence when it is not an
/// address.
pub fn reply_to_from_env(lang: Lang) -> Result<Option<String>, String> {
    let Some(value) = std::env::var("CNRM_REPLY_TO")
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        return Ok(None);
    };
    match crate::token::reply_address(&value, "x").map(|a| a.parse::<Mailbox>()) {
        Some(Ok(_)) => Ok(Some(value.trim().to_string())),
        _ => {
            let shown: String = value.chars().filter(|c| !c.is_control()).collect();
            Err(tr!(
                lang,
                "CNRM_REPLY_TO `{shown}` n'est pas une adresse valide (par exemple cnrm-retours@example.ml)",
                "CNRM_REPLY_TO `{shown}` is not a valid address (for example cnrm-retours@example.ml)"
            ))
        }
    }
}

/// SMTP settings from `CNRM_SMTP_URL`, `CNRM_SMTP_FROM` and `CNRM_SMTP_PASSWORD_FILE`.
#[derive(Clone)]
pub struct SmtpConfig {
    pub url: SmtpUrl,
    pub from: String,
    /// The password sent in `AUTH`: the password file's, else the URL's.
    password: Option<String>,
    /// How long one message's exchange with the server may take (see [`send`]).
    pub send_timeout: Duration,
    /// The language of the errors recorded in the outbox.
    pub lang: Lang,
    /// `CNRM_REPLY_TO`: the address members answer to; each message's token is added to it as
    /// a subaddress.
    pub reply_to: Option<String>,
}

/// [`SmtpConfig::send_timeout`] unless the URL says `timeout=`: far beyond a real server's pace,
/// short enough that a server which never answers holds no scan for long.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(60);

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("url", &self.url)
            .field("from", &self.from)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

impl SmtpConfig {
    /// Reads the environment; `None` when `CNRM_SMTP_URL` is not set. The error is a sentence.
    pub fn from_env(lang: Lang) -> Result<Option<SmtpConfig>, String> {
        let Ok(url) = std::env::var("CNRM_SMTP_URL") else {
            return Ok(None);
        };
        let from = std::env::var("CNRM_SMTP_FROM")
            .unwrap_or_else(|_| "Secrétariat CNRM <cnrm@localhost>".into());
        let file = match std::env::var_os("CNRM_SMTP_PASSWORD_FILE") {
            Some(path) => Some(read_password_file(
                std::path::Path::new(&path),
                ("SMTP", "CNRM_SMTP_PASSWORD_FILE"),
                lang,
            )?),
            None => None,
        };
        let mut config = SmtpConfig::new(&url, &from, file, lang)?;
        config.reply_to = reply_to_from_env(lang)?;
        Ok(Some(config))
    }

    /// Settings from a URL, a sender and the password file's content, checked: a password is
    /// never sent in clear to another machine unless the URL says `tls=none`.
    pub fn new(
        url: &str,
        from: &str,
        password_file: Option<String>,
        lang: Lang,
    ) -> Result<SmtpConfig, String> {
        let url = SmtpUrl::parse(url, lang)?;
        if from.parse::<Mailbox>().is_err() {
            let shown: String = from.chars().filter(|c| !c.is_control()).collect();
            return Err(tr!(
                lang,
                "CNRM_SMTP_FROM `{shown}` n'est pas une adresse valide (par exemple Secrétariat CNRM <cnrm@example.ml>)",
                "CNRM_SMTP_FROM `{shown}` is not a valid address (for example CNRM Secretariat <cnrm@example.ml>)"
            ));
        }
        let password = password_file.or_else(|| url.password().map(|p| p.decoded().to_string()));
        let clear = matches!(
            url.tls,
            TlsMode::Unset | TlsMode::Opportunistic | TlsMode::None
        );
        if password.is_some() && clear && url.tls != TlsMode::None && !is_loopback(&url.host) {
            let server = url.server();
            return Err(tr!(
                lang,
                "CNRM_SMTP_URL\u{a0}: le mot de passe serait envoyé en clair au serveur {server}\u{a0}; ajoutez ?tls=required (STARTTLS), utilisez smtps://, ou écrivez ?tls=none pour l'accepter",
                "CNRM_SMTP_URL: the password would be sent in clear to the server {server}; add ?tls=required (STARTTLS), use smtps://, or write ?tls=none to accept it"
            ));
        }
        Ok(SmtpConfig {
            send_timeout: url.timeout.unwrap_or(SEND_TIMEOUT),
            url,
            from: from.to_string(),
            password,
            lang,
            reply_to: None,
        })
    }

    /// Every form in which the password may appear: the URL's (decoded, as written, encoded)
    /// and the one sent (the file's, else the URL's), in every form of `text::secret_forms`.
    fn secrets(&self) -> Vec<String> {
        let mut out = self.url.url.secrets();
        if let Some(p) = &self.password {
            out.extend(crate::text::secret_forms(&self.url.user, p));
        }
        out
    }

    /// Removes every trace of the password from a text (errors, logs).
    pub fn scrub(&self, text: &str) -> String {
        crate::text::scrub(text, self.secrets())
    }

    /// A transport (a small connection pool) to the configured server.
    pub fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        use lettre::transport::smtp::client::{Tls, TlsParameters};
        let url = &self.url;
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(url.host.as_str())
                .port(url.port);
        let params = || {
            TlsParameters::new(url.host.clone()).map_err(|_| {
                let server = url.server();
                tr!(
                    self.lang,
                    "le nom du serveur SMTP {server} ne convient pas à une connexion chiffrée (TLS)",
                    "the SMTP server name {server} does not suit an encrypted (TLS) connection"
                )
            })
        };
        builder = match url.tls {
            TlsMode::Unset | TlsMode::None => builder,
            TlsMode::Opportunistic => builder.tls(Tls::Opportunistic(params()?)),
            TlsMode::Required => builder.tls(Tls::Required(params()?)),
            TlsMode::Implicit => builder.tls(Tls::Wrapper(params()?)),
        };
        if let Some(hello) = &url.hello {
            builder = builder.hello_name(lettre::transport::smtp::extension::ClientId::Domain(
                hello.clone(),
            ));
        }
        if let Some(password) = &self.password {
            builder =
                builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                    url.user.clone(),
                    password.clone(),
                ));
        }
        Ok(builder.timeout(Some(Duration::from_secs(20))).build())
    }
}

/// The password file's first line; an unreadable or empty file is an error (never a silent
/// fall-back to the URL's password), in one sentence without the system's words.
/// `what` is the protocol and the variable that named the file (`("SMTP", "CNRM_SMTP_PASSWORD_FILE")`).
pub(crate) fn read_password_file(
    path: &std::path::Path,
    (protocol, var): (&str, &str),
    lang: Lang,
) -> Result<String, String> {
    let shown = path.display();
    let text = std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => tr!(lang, "il n'existe pas", "it does not exist"),
            std::io::ErrorKind::PermissionDenied => {
                tr!(
                    lang,
                    "la lecture est interdite",
                    "reading it is not permitted"
                )
            }
            _ if path.is_dir() => tr!(lang, "c'est un dossier", "it is a folder"),
            _ => tr!(lang, "il ne peut pas être lu", "it cannot be read"),
        };
        tr!(
            lang,
            "le fichier de mot de passe {protocol} {shown} ({var}) est illisible\u{a0}: {why}",
            "the {protocol} password file {shown} ({var}) is unreadable: {why}"
        )
    })?;
    let Ok(text) = String::from_utf8(text) else {
        return Err(tr!(
            lang,
            "le fichier de mot de passe {protocol} {shown} ({var}) n'est pas un texte UTF-8",
            "the {protocol} password file {shown} ({var}) is not UTF-8 text"
        ));
    };
    // The first line is the password, without the spaces and line break that end it: what an
    // editor or `echo` leaves after it, never a part of it.
    let password = text.lines().next().unwrap_or("").trim_end();
    if password.trim().is_empty() {
        return Err(tr!(
            lang,
            "le fichier de mot de passe {protocol} {shown} ({var}) est vide",
            "the {protocol} password file {shown} ({var}) is empty"
        ));
    }
    Ok(password.to_string())
}

/// The longest subject sent, in characters: an answer repeats its member's subject, which may
/// be of any length (a 1 MB one made the server refuse the whole message, "Line too long").
pub const MAX_SUBJECT: usize = 200;

/// A subject as sent: control characters (line breaks included) as spaces, runs of spaces as
/// one (non-breaking ones kept), and cut at [`MAX_SUBJECT`] characters with `…`. lettre folds the header's encoded words
/// into lines of at most 76 characters.
pub fn subject_line(subject: &str) -> String {
    let mut out = String::new();
    for word in subject
        .split(|c: char| c == ' ' || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > MAX_SUBJECT {
            break;
        }
    }
    if out.chars().count() > MAX_SUBJECT {
        let mut cut: String = out.chars().take(MAX_SUBJECT - 1).collect();
        cut.truncate(cut.trim_end().len());
        cut.push('…');
        return cut;
    }
    out
}

/// Builds the MIME message: text and HTML alternatives, and the .ics as an attachment. The
/// error names the address that is not one.
pub fn build(
    from: &str,
    reply_to: Option<&str>,
    m: &Outgoing,
    date: DateTime<Utc>,
) -> Result<Message, String> {
    let from: Mailbox = from.parse().map_err(|_| from.to_string())?;
    let mut b = Message::builder()
        .from(from)
        .subject(subject_line(&m.subject))
        .message_id(Some(m.message_id.clone()))
        .date(date.into())
        // RFC 3834: no robot answers a message of ours, nor ours a robot's.
        .header(AutoSubmitted(
            if m.in_reply_to.is_some() {
                "auto-replied"
            } else {
                "auto-generated"
            }
            .into(),
        ))
        .header(AutoResponseSuppress("All".into()));
    if let Some(parent) = &m.in_reply_to {
        b = b.in_reply_to(parent.clone()).references(parent.clone());
    }
    if let Some(reply) = reply_to
        .zip(crate::token::of_message_id(&m.message_id))
        .and_then(|(base, token)| crate::token::reply_address(base, &token))
        .and_then(|a| a.parse::<Mailbox>().ok())
    {
        b = b.reply_to(reply);
    }
    for to in &m.to {
        b = b.to(to.parse::<Mailbox>().map_err(|_| to.clone())?);
    }
    for cc in &m.cc {
        b = b.cc(cc.parse::<Mailbox>().map_err(|_| cc.clone())?);
    }
    let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
        .map_err(|_| String::new())?;
    let alternative = MultiPart::alternative_plain_html(m.text.clone(), m.html.clone());
    if m.ics.is_empty() {
        return b.multipart(alternative).map_err(|_| String::new());
    }
    let body = MultiPart::mixed()
        .multipart(alternative)
        .singlepart(Attachment::new("echeances.ics".to_string()).body(m.ics.clone(), calendar));
    b.multipart(body).map_err(|_| String::new())
}

/// `Auto-Submitted:` (RFC 3834).
#[derive(Debug, Clone)]
struct AutoSubmitted(String);

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted(s.to_string()))
    }
    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `X-Auto-Response-Suppress:` (Microsoft Exchange's out-of-office robots read it).
#[derive(Debug, Clone)]
struct AutoResponseSuppress(String);

impl lettre::message::header::Header for AutoResponseSuppress {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("X-Auto-Response-Suppress")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoResponseSuppress(s.to_string()))
    }
    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// Why a message was not sent, and what follows for it.
#[derive(Debug, Clone, PartialEq)]
pub struct SendError {
    pub kind: Failure,
    /// One sentence, in the configuration's language, without secrets.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No answer in time, or no connection: the server is out of reach, and the next messages
    /// of the batch would fare the same.
    Unreachable,
    /// A permanent refusal (5xx) or a message that cannot be built: not retried automatically.
    Permanent,
    /// A temporary refusal (4xx) or anything else: retried with backoff.
    Retry,
}

/// The server's own words in an error (its reply), on one line, without secrets.
fn server_words(config: &SmtpConfig, e: &lettre::transport::smtp::Error) -> String {
    let words = std::error::Error::source(e)
        .map(|s| s.to_string())
        .unwrap_or_default();
    let one_line: String = words
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    config.scrub(one_line.trim())
}

/// An SMTP error as a sentence, and what kind of failure it is.
fn describe(config: &SmtpConfig, e: &lettre::transport::smtp::Error) -> SendError {
    let lang = config.lang;
    let server = config.url.server();
    let refused = || {
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                return io.kind() == std::io::ErrorKind::ConnectionRefused;
            }
            source = s.source();
        }
        false
    };
    if let Some(code) = e.status() {
        let words = server_words(config, e);
        let reply = format!("{code} {words}").trim().to_string();
        return if e.is_permanent() {
            SendError {
                kind: Failure::Permanent,
                text: tr!(
                    lang,
                    "le serveur SMTP {server} a refusé le message définitivement ({reply})\u{a0}; il n'est pas réessayé automatiquement",
                    "the SMTP server {server} refused the message permanently ({reply}); it is not retried automatically"
                ),
            }
        } else {
            SendError {
                kind: Failure::Retry,
                text: tr!(
                    lang,
                    "le serveur SMTP {server} a refusé le message pour l'instant ({reply})\u{a0}; il sera réessayé",
                    "the SMTP server {server} refused the message for now ({reply}); it will be retried"
                ),
            }
        };
    }
    if e.is_timeout() {
        let secs = config.send_timeout.as_secs();
        return SendError {
            kind: Failure::Unreachable,
            text: tr!(
                lang,
                "le serveur SMTP {server} n'a pas répondu en {secs} s",
                "the SMTP server {server} did not answer within {secs} s"
            ),
        };
    }
    if e.is_tls() {
        return SendError {
            kind: Failure::Unreachable,
            text: tr!(
                lang,
                "la connexion chiffrée (TLS) avec le serveur SMTP {server} a échoué",
                "the encrypted (TLS) connection to the SMTP server {server} failed"
            ),
        };
    }
    if e.is_client() {
        return SendError {
            kind: Failure::Retry,
            text: tr!(
                lang,
                "le serveur SMTP {server} ne propose pas ce que l'envoi demande (une méthode d'authentification acceptée, par exemple)",
                "the SMTP server {server} does not offer what sending needs (an accepted authentication method, for example)"
            ),
        };
    }
    if e.is_response() {
        return SendError {
            kind: Failure::Retry,
            text: tr!(
                lang,
                "le serveur SMTP {server} a donné une réponse incompréhensible",
                "the SMTP server {server} gave an unreadable answer"
            ),
        };
    }
    SendError {
        kind: Failure::Unreachable,
        text: if refused() {
            tr!(
                lang,
                "le serveur SMTP {server} refuse la connexion (aucun service sur ce port\u{a0}?)",
                "the SMTP server {server} refuses the connection (no service on that port?)"
            )
        } else {
            tr!(
                lang,
                "connexion impossible au serveur SMTP {server} (injoignable, coupée ou nom inconnu)",
                "cannot connect to the SMTP server {server} (unreachable, cut off or unknown name)"
            )
        },
    }
}

/// Sends one message. The whole exchange is bounded by `config.send_timeout`: lettre's own
/// timeout covers the connection, not a server that accepts it and then never answers (a listen
/// queue that overflowed leaves exactly that).
pub async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    config: &SmtpConfig,
    m: &Outgoing,
    date: DateTime<Utc>,
) -> Result<(), SendError> {
    let lang = config.lang;
    let message = build(&config.from, config.reply_to.as_deref(), m, date).map_err(|address| {
        let address: String = address.chars().filter(|c| !c.is_control()).collect();
        SendError {
            kind: Failure::Permanent,
            text: tr!(
                lang,
                "le message ne peut pas être construit\u{a0}: l'adresse `{address}` n'est pas valide",
                "the message cannot be built: the address `{address}` is not valid"
            ),
        }
    })?;
    match tokio::time::timeout(config.send_timeout, transport.send(message)).await {
        Ok(sent) => sent.map(|_| ()).map_err(|e| describe(config, &e)),
        Err(_) => {
            let (server, secs) = (config.url.server(), config.send_timeout.as_secs());
            Err(SendError {
                kind: Failure::Unreachable,
                text: tr!(
                    lang,
                    "le serveur SMTP {server} n'a pas répondu en {secs} s",
                    "the SMTP server {server} did not answer within {secs} s"
                ),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remind::DueItem;
    use crate::workflow::Status;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn french_reminder_with_ics() {
        let tasks = vec![RemindTask {
            id: "axe-1.a1".into(),
            title: "Adopter le règlement intérieur, l'échéance".into(),
            priority: "axe-1".into(),
            deadline: d("2025-09-30"),
            deadline_label: "T3 2025".into(),
            start: None,
            status: Status::Blocked,
            owners: vec!["dgme".into()],
            partners: vec!["oim".into()],
            policy: None,
            note: Some("En attente de la signature du ministre".into()),
        }];
        let m = PlannedMessage {
            kind: MessageKind::Reminder,
            owners: vec!["dgme".into()],
            to: vec!["dgme@example.ml".into()],
            cc: vec![],
            language: Lang::Fr,
            items: vec![DueItem {
                task: 0,
                occasion: Occasion::Before(3),
                date: d("2025-09-27"),
                escalated: false,
                role: None,
            }],
        };
        let names = |id: &str| id.to_uppercase();
        let stamp = DateTime::parse_from_rfc3339("2025-09-27T08:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("stamp");
        let r = render(
            &m,
            &tasks,
            "pao",
            "Plan d'actions",
            &names,
            d("2025-09-27"),
            stamp,
        );
        assert_eq!(
            r.subject,
            "[CNRM] Rappel\u{a0}: 1 tâche à échéance prochaine"
        );
        assert!(
            r.text
                .contains("Échéance\u{a0}: 30/09/2025 (T3 2025) — dans 3 jours"),
            "{}",
            r.text
        );
        assert!(r
            .text
            .contains("Bloquée\u{a0}: «\u{a0}En attente de la signature du ministre\u{a0}»"));
        assert!(r
            .text
            .contains("Responsable\u{a0}: DGME · Partenaire\u{a0}: OIM"));
        assert!(
            r.text.contains("Voici la tâche du plan «\u{a0}Plan d'actions\u{a0}» qui vous concerne (DGME)\u{a0}:"),
            "{}",
            r.text
        );
        assert!(r.html.contains("l&#39;échéance") && r.html.contains("<li"));
        assert!(r.ics.contains("DTSTART;VALUE=DATE:20250930\r\n"));
        assert!(r.ics.contains("UID:axe-1.a1@pao.cnrm\r\n"));
        assert!(r.ics.lines().all(|l| l.len() <= 76), "{}", r.ics);

        let out = Outgoing {
            to: m.to.clone(),
            cc: vec![],
            subject: r.subject,
            text: r.text,
            html: r.html,
            ics: r.ics,
            message_id: "<1.pao@cnrm>".into(),
            in_reply_to: None,
        };
        let msg = build("Secrétariat CNRM <cnrm@example.ml>", None, &out, stamp).expect("message");
        let raw = String::from_utf8(msg.formatted()).expect("utf8");
        assert!(raw.contains("Message-ID: <1.pao@cnrm>"), "{raw}");
        assert!(raw.contains("Date: Sat, 27 Sep 2025 08:00:00"), "{raw}");
        assert!(raw.contains("text/calendar"));
    }

    /// A server that takes the connection and never says a word (as when its listen queue
    /// overflowed): the send fails after the timeout instead of waiting forever.
    #[test]
    fn a_server_that_never_answers_fails_the_send_after_the_timeout() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        // Accepts and holds the connections, silent, until the test ends.
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().flatten() {
                held.push(stream);
            }
        });
        let config = SmtpConfig::new(
            &format!("smtp://127.0.0.1:{port}?timeout=1"),
            "Secrétariat CNRM <cnrm@localhost>",
            None,
            Lang::Fr,
        )
        .expect("config");
        let m = Outgoing {
            to: vec!["dgme@example.ml".into()],
            cc: Vec::new(),
            subject: "Rappel".into(),
            text: "Échéance".into(),
            html: "<p>Échéance</p>".into(),
            ics: String::new(),
            message_id: "<1.t@cnrm>".into(),
            in_reply_to: None,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let start = std::time::Instant::now();
        let result = runtime.block_on(async {
            let transport = config.transport().expect("transport");
            send(&transport, &config, &m, Utc::now()).await
        });
        let err = result.expect_err("no answer, no success");
        assert_eq!(
            err,
            SendError {
                kind: Failure::Unreachable,
                text: format!("le serveur SMTP 127.0.0.1:{port} n'a pas répondu en 1 s"),
            }
        );
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn secrets_are_scrubbed_in_every_form() {
        // Written percent-encoded in the URL; the server may repeat it decoded, or the base64
        // of the AUTH exchange.
        let c = SmtpConfig::new(
            "smtp://cnrm:p%40ss%2Fw%20rd%3F@127.0.0.1:2525",
            "a@b.ml",
            None,
            Lang::Fr,
        )
        .expect("config");
        let plain = base64(b"\0cnrm\0p@ss/w rd?");
        let login = base64(b"p@ss/w rd?");
        let text = format!(
            "535 no for p@ss/w rd? or p%40ss%2Fw%20rd%3F ({plain}, {login}) smtp://cnrm:p%40ss%2Fw%20rd%3F@host"
        );
        let scrubbed = c.scrub(&text);
        for secret in ["p@ss", "p%40ss", "w rd", plain.as_str(), login.as_str()] {
            assert!(!scrubbed.contains(secret), "{secret}: {scrubbed}");
        }
        assert_eq!(c.url.to_string(), "smtp://cnrm:***@127.0.0.1:2525");
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("p@ss") && !debug.contains("p%40") && debug.contains("***"),
            "{debug}"
        );

        // A password file wins over the URL's password, and is scrubbed as well.
        let c = SmtpConfig::new(
            "smtp://cnrm:hunter22@localhost:2525",
            "a@b.ml",
            Some("filepass9".into()),
            Lang::Fr,
        )
        .expect("config");
        assert_eq!(
            c.scrub("auth failed for cnrm:hunter22 and filepass9"),
            "auth failed for cnrm:*** and ***"
        );
        assert_eq!(c.password.as_deref(), Some("filepass9"));
    }

    #[test]
    fn base64_as_smtp_auth_writes_it() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"\0user\0pass"), "AHVzZXIAcGFzcw==");
    }

    #[test]
    fn urls_are_parsed_once_and_refused_in_one_sentence() {
        let u = SmtpUrl::parse("smtps://a:b@mail.example.ml", Lang::Fr).expect("url");
        assert_eq!((u.tls, u.port), (TlsMode::Implicit, 465));
        let u = SmtpUrl::parse("smtp://[::1]:2525?tls=none", Lang::Fr).expect("url");
        assert_eq!(
            (u.host.as_str(), u.port, u.tls),
            ("::1", 2525, TlsMode::None)
        );
        // An unencoded `/`, `?`, `@` or space in the password.
        let u = SmtpUrl::parse(
            "smtp://cnrm:a/b?c@d e@mail.example.ml:587?tls=required",
            Lang::Fr,
        )
        .expect("url");
        assert_eq!(
            u.password().map(crate::url::Password::decoded),
            Some("a/b?c@d e")
        );
        assert_eq!(
            u.to_string(),
            "smtp://cnrm:***@mail.example.ml:587?tls=required"
        );
        let refused = |url: &str| SmtpUrl::parse(url, Lang::Fr).expect_err(url);
        assert_eq!(
            refused("mysql://root:S3cret@h/x"),
            "CNRM_SMTP_URL doit commencer par smtp:// ou smtps:// (par exemple smtp://127.0.0.1:2525 ou smtp://utilisateur:motdepasse@mail.example.ml:587?tls=required)"
        );
        assert_eq!(
            refused("smtp://u:S3cret@h:99999"),
            "CNRM_SMTP_URL\u{a0}: le port doit être un nombre de 1 à 65535"
        );
        assert_eq!(
            refused("smtp://u:S3cret@h?tls=maybe"),
            "CNRM_SMTP_URL\u{a0}: tls=maybe est inconnu (valeurs possibles\u{a0}: none, opportunistic, required)"
        );
        assert_eq!(
            refused("smtp://u:S3%ZZcret@h"),
            "CNRM_SMTP_URL\u{a0}: l'utilisateur, le mot de passe ou un paramètre contient un encodage %XX invalide"
        );
        assert!(!refused("smtp://u:S3cret@").contains("S3cret"));
    }

    #[test]
    fn a_password_goes_in_clear_only_to_this_machine_or_when_the_url_says_so() {
        let new = |url: &str| SmtpConfig::new(url, "a@b.ml", None, Lang::Fr);
        assert_eq!(
            new("smtp://u:pw@mail.example.ml:587").expect_err("clear"),
            "CNRM_SMTP_URL\u{a0}: le mot de passe serait envoyé en clair au serveur mail.example.ml:587\u{a0}; ajoutez ?tls=required (STARTTLS), utilisez smtps://, ou écrivez ?tls=none pour l'accepter"
        );
        assert!(new("smtp://u:pw@mail.example.ml:587?tls=opportunistic").is_err());
        for ok in [
            "smtp://u:pw@mail.example.ml:587?tls=none",
            "smtp://u:pw@mail.example.ml:587?tls=required",
            "smtps://u:pw@mail.example.ml",
            "smtp://u:pw@127.0.0.2:2525",
            "smtp://u:pw@[::1]:2525",
            "smtp://u:pw@LOCALHOST:2525",
            "smtp://mail.example.ml:25",
        ] {
            assert!(new(ok).is_ok(), "{ok}");
        }
        // The password file counts as a password too.
        assert!(SmtpConfig::new(
            "smtp://u@mail.example.ml",
            "a@b.ml",
            Some("pw".into()),
            Lang::En
        )
        .is_err());
    }

    const SMTP_FILE: (&str, &str) = ("SMTP", "CNRM_SMTP_PASSWORD_FILE");

    #[test]
    fn an_empty_or_unreadable_password_file_is_one_sentence() {
        let dir = tempfile::tempdir().expect("dir");
        let empty = dir.path().join("empty");
        std::fs::write(&empty, " \n").expect("write");
        assert_eq!(
            read_password_file(&empty, SMTP_FILE, Lang::Fr).expect_err("empty"),
            format!(
                "le fichier de mot de passe SMTP {} (CNRM_SMTP_PASSWORD_FILE) est vide",
                empty.display()
            )
        );
        let absent = dir.path().join("absent");
        assert_eq!(
            read_password_file(&absent, SMTP_FILE, Lang::En).expect_err("absent"),
            format!("the SMTP password file {} (CNRM_SMTP_PASSWORD_FILE) is unreadable: it does not exist", absent.display())
        );
        let good = dir.path().join("good");
        std::fs::write(&good, "s3cret\r\n").expect("write");
        assert_eq!(
            read_password_file(&good, SMTP_FILE, Lang::Fr).as_deref(),
            Ok("s3cret")
        );
        // Two lines: the first is the password, its trailing spaces trimmed (not its leading).
        let two = dir.path().join("two");
        std::fs::write(&two, " s3 cret \t \nsecond line\n").expect("write");
        assert_eq!(
            read_password_file(&two, SMTP_FILE, Lang::Fr).as_deref(),
            Ok(" s3 cret")
        );
    }

    #[test]
    fn english_escalation_subject() {
        let tasks = vec![RemindTask {
            id: "a".into(),
            title: "T".into(),
            priority: "p".into(),
            deadline: d("2025-09-01"),
            deadline_label: "2025-09-01".into(),
            start: None,
            status: Status::Todo,
            owners: vec!["x".into()],
            partners: vec![],
            policy: None,
            note: None,
        }];
        let m = PlannedMessage {
            kind: MessageKind::Escalation,
            owners: vec!["y".into()],
            to: vec!["y@x.org".into()],
            cc: vec![],
            language: Lang::En,
            items: vec![DueItem {
                task: 0,
                occasion: Occasion::Overdue,
                date: d("2025-09-29"),
                escalated: true,
                role: Some(Role {
                    supervises: vec!["x".into()],
                    secretariat: false,
                }),
            }],
        };
        let r = render(
            &m,
            &tasks,
            "p",
            "Plan",
            &|s: &str| s.to_string(),
            d("2025-09-30"),
            Utc::now(),
        );
        assert_eq!(r.subject, "[CNRM] Escalation: 1 task overdue");
        assert!(
            r.text.contains("Deadline: 1 Sep 2025 — 29 days late")
                && !r.text.contains("[escalated]")
                && r.text.contains(
                    "The following task of the plan \u{201c}Plan\u{201d} has been overdue"
                )
                && r.text
                    .contains("You receive it as the supervising body of x (y):"),
            "{}",
            r.text
        );
    }

    #[test]
    fn subjects_count_in_words_in_both_languages() {
        let task = |id: &str, deadline: &str| RemindTask {
            id: id.into(),
            title: "T".into(),
            priority: "p".into(),
            deadline: d(deadline),
            deadline_label: deadline.into(),
            start: None,
            status: Status::Todo,
            owners: vec!["x".into()],
            partners: vec![],
            policy: None,
            note: None,
        };
        let tasks = vec![
            task("a", "2025-09-01"),
            task("b", "2025-10-20"),
            task("c", "2025-10-25"),
        ];
        let message = |kind, language, items: &[usize]| PlannedMessage {
            kind,
            owners: vec!["x".into()],
            to: vec!["x@x.ml".into()],
            cc: vec![],
            language,
            items: items
                .iter()
                .map(|i| DueItem {
                    task: *i,
                    occasion: Occasion::Deadline,
                    date: d("2025-10-01"),
                    escalated: false,
                    role: None,
                })
                .collect(),
        };
        let today = d("2025-10-01");
        let cases = [
            (
                MessageKind::Reminder,
                Lang::Fr,
                &[0, 1, 2][..],
                "[CNRM] Rappel\u{a0}: 3 tâches à suivre, dont 1 en retard",
            ),
            (
                MessageKind::Reminder,
                Lang::Fr,
                &[0][..],
                "[CNRM] Rappel\u{a0}: 1 tâche en retard",
            ),
            (
                MessageKind::Reminder,
                Lang::Fr,
                &[1][..],
                "[CNRM] Rappel\u{a0}: 1 tâche à échéance prochaine",
            ),
            (
                MessageKind::Reminder,
                Lang::Fr,
                &[1, 2][..],
                "[CNRM] Rappel\u{a0}: 2 tâches à échéance prochaine",
            ),
            (
                MessageKind::Escalation,
                Lang::Fr,
                &[0][..],
                "[CNRM] Escalade\u{a0}: 1 tâche en retard",
            ),
            (
                MessageKind::Digest,
                Lang::Fr,
                &[0, 1][..],
                "[CNRM] Récapitulatif hebdomadaire\u{a0}: 2 tâches",
            ),
            (
                MessageKind::Reminder,
                Lang::En,
                &[0, 1, 2][..],
                "[CNRM] Reminder: 3 tasks to follow up, 1 of them overdue",
            ),
            (
                MessageKind::Reminder,
                Lang::En,
                &[1][..],
                "[CNRM] Reminder: 1 task coming due",
            ),
            (
                MessageKind::Escalation,
                Lang::En,
                &[0][..],
                "[CNRM] Escalation: 1 task overdue",
            ),
            (
                MessageKind::Digest,
                Lang::En,
                &[0][..],
                "[CNRM] Weekly digest: 1 task",
            ),
        ];
        for (kind, lang, items, expected) in cases {
            assert_eq!(
                subject(&message(kind, lang, items), &tasks, today),
                expected
            );
        }
        let digest = render(
            &message(MessageKind::Digest, Lang::Fr, &[0, 1]),
            &tasks,
            "p",
            "Plan",
            &|s: &str| s.to_uppercase(),
            today,
            Utc::now(),
        );
        assert!(
            digest.text.contains("Récapitulatif de la semaine pour X, plan «\u{a0}Plan\u{a0}»\u{a0}: 2 tâches en retard ou à échéance dans les 30 prochains jours."),
            "{}",
            digest.text
        );
        assert!(!digest.text.contains("(s)") && !digest.html.contains("(s)"));
    }

    fn task_at(id: &str, deadline: &str, label: &str, owners: &[&str]) -> RemindTask {
        RemindTask {
            id: id.into(),
            title: format!("Tâche {id}"),
            priority: "axe-1".into(),
            deadline: d(deadline),
            deadline_label: label.into(),
            start: None,
            status: Status::Todo,
            owners: owners.iter().map(|o| o.to_string()).collect(),
            partners: vec!["oim".into()],
            policy: None,
            note: None,
        }
    }

    fn planned(
        kind: MessageKind,
        lang: Lang,
        owners: &[&str],
        items: Vec<DueItem>,
    ) -> PlannedMessage {
        PlannedMessage {
            kind,
            owners: owners.iter().map(|o| o.to_string()).collect(),
            to: vec!["x@example.ml".into()],
            cc: vec![],
            language: lang,
            items,
        }
    }

    fn item(task: usize, role: Option<Role>) -> DueItem {
        DueItem {
            task,
            occasion: Occasion::Overdue,
            date: d("2026-03-16"),
            escalated: role.is_some(),
            role,
        }
    }

    fn stamp() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-16T08:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("stamp")
    }

    #[test]
    fn labels_speak_the_readers_language_and_the_example_proposes_the_next_quarter() {
        let tasks = vec![
            task_at("a1", "2026-03-31", "T1 2026", &["dgme"]),
            task_at("a2", "2026-06-30", "S1 2026", &["dgme"]),
        ];
        let names = |id: &str| id.to_uppercase();
        let en = render(
            &planned(
                MessageKind::Reminder,
                Lang::En,
                &["dgme"],
                vec![item(0, None)],
            ),
            &tasks,
            "pao",
            "Plan",
            &names,
            d("2026-03-16"),
            stamp(),
        );
        assert!(en.text.contains("31 Mar 2026 (Q1 2026)"), "{}", en.text);
        assert!(
            !en.text.contains("T1 2026") && !en.html.contains("T1 2026"),
            "{}",
            en.text
        );
        // Due in Q1 2026: the example proposes Q2 2026, never the quarter it is already due in.
        assert!(en.text.contains("postpone: Q2 2026"), "{}", en.text);
        let en2 = render(
            &planned(
                MessageKind::Reminder,
                Lang::En,
                &["dgme"],
                vec![item(1, None)],
            ),
            &tasks,
            "pao",
            "Plan",
            &names,
            d("2026-03-16"),
            stamp(),
        );
        assert!(en2.text.contains("30 Jun 2026 (H1 2026)"), "{}", en2.text);
        assert!(en2.text.contains("postpone: Q3 2026"), "{}", en2.text);
        let fr = render(
            &planned(
                MessageKind::Reminder,
                Lang::Fr,
                &["dgme"],
                vec![item(0, None), item(1, None)],
            ),
            &tasks,
            "pao",
            "Plan",
            &names,
            d("2026-03-16"),
            stamp(),
        );
        assert!(fr.text.contains("31/03/2026 (T1 2026)"), "{}", fr.text);
        assert!(fr.text.contains("30/06/2026 (S1 2026)"), "{}", fr.text);
        // The example's last line names task 2, due in T2 2026: it proposes T3 2026.
        assert!(
            fr.text.contains("2\u{a0}: report\u{a0}: T3 2026"),
            "{}",
            fr.text
        );
        assert_eq!(next_quarter(Lang::Fr, d("2025-12-31")), "T1 2026");
        assert_eq!(period_label(Lang::En, "T4 2025"), "Q4 2025");
        assert_eq!(period_label(Lang::Fr, "Q4 2025"), "T4 2025");
        assert_eq!(period_label(Lang::En, "2025-10"), "2025-10");
    }

    #[test]
    fn the_html_part_keeps_the_partners_and_wraps_on_a_phone() {
        let tasks = vec![task_at("a1", "2026-03-31", "T1 2026", &["dgme"])];
        let names = |id: &str| id.to_uppercase();
        for lang in [Lang::Fr, Lang::En] {
            let r = render(
                &planned(MessageKind::Reminder, lang, &["dgme"], vec![item(0, None)]),
                &tasks,
                "pao",
                "Plan",
                &names,
                d("2026-03-16"),
                stamp(),
            );
            let partner = tr!(lang, "Partenaire\u{a0}: OIM", "Partner: OIM");
            assert!(r.text.contains(&partner), "{}", r.text);
            assert!(r.html.contains(&partner), "{}", r.html);
            assert!(!r.html.contains("<pre"), "{}", r.html);
            assert!(r.html.contains("width=device-width"), "{}", r.html);
        }
    }

    #[test]
    fn an_escalation_says_which_role_its_recipient_has() {
        let tasks = vec![
            task_at("a1", "2026-01-31", "2026-01-31", &["dgme"]),
            task_at("a2", "2026-02-28", "2026-02-28", &["anpe"]),
        ];
        let names = |id: &str| id.to_uppercase();
        let tutelle = Role {
            supervises: vec!["dgme".into()],
            secretariat: false,
        };
        let r = render(
            &planned(
                MessageKind::Escalation,
                Lang::Fr,
                &["mmeia"],
                vec![item(0, Some(tutelle.clone()))],
            ),
            &tasks,
            "pao",
            "Plan",
            &names,
            d("2026-03-16"),
            stamp(),
        );
        assert!(
            r.text.contains(
                "Vous la recevez en tant que structure de tutelle de DGME (MMEIA)\u{a0}:"
            ),
            "{}",
            r.text
        );
        assert!(
            !r.text.contains("[escaladée]") && !r.text.contains("tutelle ou secrétariat"),
            "{}",
            r.text
        );
        // Two tasks, two reasons: the intro says both, each task its own.
        let st = Role {
            supervises: vec![],
            secretariat: true,
        };
        let r = render(
            &planned(
                MessageKind::Escalation,
                Lang::Fr,
                &["st"],
                vec![item(0, Some(tutelle)), item(1, Some(st))],
            ),
            &tasks,
            "pao",
            "Plan",
            &names,
            d("2026-03-16"),
            stamp(),
        );
        assert!(
            r.text.contains("Vous les recevez en tant que structure de tutelle de DGME et secrétariat technique du plan (ST)"),
            "{}",
            r.text
        );
        assert!(
            r.text
                .contains("a2 — Tâche a2 [secrétariat technique du plan]"),
            "{}",
            r.text
        );
    }

    #[test]
    fn postponement_requests_come_before_the_signature_with_the_deadline_and_the_year() {
        let tasks = vec![task_at("a1", "2026-03-31", "T1 2026", &["st"])];
        let requests = vec![crate::store::PostponeRequest {
            inbox_id: 1,
            from: "dgme@example.ml".into(),
            received_at: "2026-03-14T10:00:00Z".into(),
            task: "a1".into(),
            requested: "T2".into(),
        }];
        let deadlines = |t: &str| {
            tasks
                .iter()
                .find(|x| x.id == t)
                .map(|x| (x.deadline, x.deadline_label.clone()))
        };
        let block = postponements(Lang::Fr, &requests, &deadlines);
        let names = |id: &str| id.to_uppercase();
        let r = render_with(
            &planned(MessageKind::Digest, Lang::Fr, &["st"], vec![item(0, None)]),
            &tasks,
            "pao",
            "Plan",
            &names,
            d("2026-03-16"),
            stamp(),
            Some(&block),
        );
        let line = "a1 — report demandé\u{a0}: T2 2026 (échéance actuelle\u{a0}: 31/03/2026 (T1 2026)\u{a0}; par dgme@example.ml, le 14/03/2026)";
        assert!(r.text.contains(line), "{}", r.text);
        let at = r.text.find(line).expect("request");
        let signature = r
            .text
            .find("— Secrétariat technique du CNRM")
            .expect("signature");
        assert!(at < signature, "{}", r.text);
        assert!(r.html.find("report demandé") < r.html.find("Secrétariat technique du CNRM"));
        // In English, a quarter asked for later in the next year.
        assert_eq!(requested_label(Lang::En, "t1", d("2026-03-31")), "Q1 2027");
        assert_eq!(requested_label(Lang::Fr, "S2", d("2026-03-31")), "S2 2026");
        assert_eq!(
            requested_label(Lang::Fr, "fin juin", d("2026-03-31")),
            "fin juin"
        );
    }

    #[test]
    fn a_huge_subject_is_cut_and_its_header_lines_stay_short() {
        assert_eq!(
            subject_line("Re:\r\n  bonjour\tà tous"),
            "Re: bonjour à tous"
        );
        assert_eq!(subject_line("Rappel\u{a0}: 1"), "Rappel\u{a0}: 1");
        let huge = "Réponse ".repeat(130_000);
        let cut = subject_line(&huge);
        assert_eq!(cut.chars().count(), MAX_SUBJECT, "{cut}");
        assert!(cut.ends_with('…'));
        let one_word = "x".repeat(1_000_000);
        let out = Outgoing {
            to: vec!["dgme@example.ml".into()],
            cc: vec![],
            subject: one_word,
            text: "t".into(),
            html: String::new(),
            ics: String::new(),
            message_id: "<1.pao@cnrm>".into(),
            in_reply_to: None,
        };
        let msg = build("cnrm@example.ml", None, &out, stamp()).expect("message");
        let raw = String::from_utf8(msg.formatted()).expect("utf8");
        assert!(
            raw.split("\r\n").all(|l| l.len() <= 998),
            "a line is too long"
        );
    }
}
