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
use crate::remind::{MessageKind, Occasion, PlannedMessage};
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

/// The names to show for owner ids.
pub type Names<'a> = &'a dyn Fn(&str) -> String;

/// The subject line alone (a dry run needs no body).
pub fn subject(m: &PlannedMessage, tasks: &[RemindTask], today: NaiveDate) -> String {
    let lang = m.language;
    let n = m.items.len();
    let late = m
        .items
        .iter()
        .filter(|i| tasks[i.task].deadline < today)
        .count();
    match m.kind {
        MessageKind::Reminder if late > 0 => tr!(
            lang,
            "[CNRM] Rappel : {n} tâche(s) à suivre, dont {late} en retard",
            "[CNRM] Reminder: {n} task(s) to follow up, {late} overdue"
        ),
        MessageKind::Reminder => tr!(
            lang,
            "[CNRM] Rappel : {n} tâche(s) à échéance prochaine",
            "[CNRM] Reminder: {n} task(s) coming due"
        ),
        MessageKind::Escalation => tr!(
            lang,
            "[CNRM] Escalade : {n} tâche(s) en retard",
            "[CNRM] Escalation: {n} overdue task(s)"
        ),
        MessageKind::Digest => tr!(
            lang,
            "[CNRM] Récapitulatif hebdomadaire : {n} tâche(s)",
            "[CNRM] Weekly digest: {n} task(s)"
        ),
    }
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
    let lang = m.language;
    let subject = subject(m, tasks, today);
    let recipients = m
        .owners
        .iter()
        .map(|o| names(o))
        .collect::<Vec<_>>()
        .join(", ");
    let intro = match m.kind {
        MessageKind::Reminder => tr!(
            lang,
            "Voici les tâches du plan « {plan_title} » qui vous concernent ({recipients}) :",
            "Here are the tasks of the plan \"{plan_title}\" that concern you ({recipients}):"
        ),
        MessageKind::Escalation => tr!(
            lang,
            "Les tâches suivantes du plan « {plan_title} » sont en retard depuis plus longtemps que le délai d'escalade. Vous les recevez en tant que structure de tutelle ou secrétariat ({recipients}) :",
            "The following tasks of the plan \"{plan_title}\" have been overdue for longer than the escalation delay. You receive them as the supervising body or the secretariat ({recipients}):"
        ),
        MessageKind::Digest => tr!(
            lang,
            "Récapitulatif de la semaine pour {recipients} : tâches en retard ou à échéance dans les 30 jours du plan « {plan_title} » :",
            "Weekly digest for {recipients}: tasks overdue or due within 30 days in the plan \"{plan_title}\":"
        ),
    };
    let mut text = format!("{}\n\n{intro}\n\n", tr!(lang, "Bonjour,", "Hello,"));
    let mut html = format!(
        "<html><body style=\"font-family:Arial,sans-serif;font-size:14px;color:#222\"><p>{}</p><p>{}</p><ul>",
        tr!(lang, "Bonjour,", "Hello,"),
        html_escape(&intro)
    );
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let mut ics = Calendar::new(plan_id, &stamp, &["METHOD:PUBLISH"]);
    // French puts a space before the colon, English does not.
    let colon = match lang {
        Lang::Fr => " : ",
        Lang::En => ": ",
    };
    for item in &m.items {
        let t = &tasks[item.task];
        let owners = t
            .owners
            .iter()
            .map(|o| names(o))
            .collect::<Vec<_>>()
            .join(", ");
        let due = format!(
            "{} ({}) — {}",
            french_date(&t.deadline.to_string()),
            t.deadline_label,
            when(lang, t.deadline, today)
        );
        let flag = match (item.escalated, item.occasion) {
            (true, _) => tr!(lang, " [escaladée]", " [escalated]"),
            (_, Occasion::Start) => tr!(lang, " [début prévu]", " [planned start]"),
            _ => String::new(),
        };
        text.push_str(&format!("• {} — {}{flag}\n", t.id, t.title));
        text.push_str(&format!(
            "  {}{colon}{due}\n",
            tr!(lang, "Échéance", "Deadline")
        ));
        text.push_str(&format!(
            "  {}{colon}{} · {}{colon}{owners}",
            tr!(lang, "Priorité", "Priority"),
            t.priority,
            tr!(lang, "Responsables", "Owners")
        ));
        if !t.partners.is_empty() {
            let partners = t
                .partners
                .iter()
                .map(|o| names(o))
                .collect::<Vec<_>>()
                .join(", ");
            text.push_str(&format!(
                " · {}{colon}{partners}",
                tr!(lang, "Partenaires", "Partners")
            ));
        }
        text.push('\n');
        let mut note_html = String::new();
        if t.status == crate::workflow::Status::Blocked {
            let note = t
                .note
                .clone()
                .unwrap_or_else(|| tr!(lang, "aucune note", "no note"));
            let quoted = match lang {
                Lang::Fr => format!("« {note} »"),
                Lang::En => format!("\u{201c}{note}\u{201d}"),
            };
            text.push_str(&format!(
                "  {}{colon}{quoted}\n",
                tr!(lang, "Bloquée", "Blocked")
            ));
            note_html = format!(
                "<br><em>{}{colon}{}</em>",
                tr!(lang, "Bloquée", "Blocked"),
                html_escape(&quoted)
            );
        }
        text.push('\n');
        html.push_str(&format!(
            "<li style=\"margin-bottom:8px\"><strong>{}</strong> — {}{}<br>{}{colon}<strong>{}</strong><br><span style=\"color:#555\">{}{colon}{} · {}{colon}{}</span>{note_html}</li>",
            html_escape(&t.id),
            html_escape(&t.title),
            html_escape(&flag),
            tr!(lang, "Échéance", "Deadline"),
            html_escape(&due),
            tr!(lang, "Priorité", "Priority"),
            html_escape(&t.priority),
            tr!(lang, "Responsables", "Owners"),
            html_escape(&owners)
        ));
        ics.event(
            &t.id,
            t.deadline,
            &format!("{} — {}", t.id, t.title),
            &format!("{}{colon}{owners}", tr!(lang, "Responsables", "Owners")),
            &[],
        );
    }
    let outro = tr!(
        lang,
        "Merci d'informer le secrétariat technique de l'avancement ou de tout blocage.\n\n— Secrétariat technique du CNRM (message automatique de cnrm)",
        "Please tell the technical secretariat about progress or anything blocking.\n\n— CNRM technical secretariat (automatic message from cnrm)"
    );
    text.push_str(&outro);
    text.push('\n');
    html.push_str(&format!(
        "</ul><p>{}</p></body></html>",
        html_escape(&outro).replace('\n', "<br>")
    ));
    Rendered {
        subject,
        text,
        html,
        ics: ics.finish(),
    }
}

/// SMTP settings from `CNRM_SMTP_URL`, `CNRM_SMTP_FROM` and `CNRM_SMTP_PASSWORD_FILE`.
#[derive(Clone)]
pub struct SmtpConfig {
    pub url: String,
    pub from: String,
    password: Option<String>,
    /// How long one message's exchange with the server may take (see [`send`]).
    pub send_timeout: Duration,
}

/// [`SmtpConfig::send_timeout`] unless changed: far beyond a real server's pace, short enough
/// that a server which never answers holds no scan for long.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(60);

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("url", &crate::text::redact(&self.url))
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
        if from.parse::<Mailbox>().is_err() {
            return Err(tr!(
                lang,
                "CNRM_SMTP_FROM `{from}` n'est pas une adresse valide",
                "CNRM_SMTP_FROM `{from}` is not a valid address"
            ));
        }
        let password = match std::env::var("CNRM_SMTP_PASSWORD_FILE") {
            Ok(path) => Some(
                std::fs::read_to_string(&path)
                    .map_err(|e| {
                        tr!(
                            lang,
                            "CNRM_SMTP_PASSWORD_FILE `{path}` illisible : {e}",
                            "CNRM_SMTP_PASSWORD_FILE `{path}` is unreadable: {e}"
                        )
                    })?
                    .trim_end_matches(['\n', '\r'])
                    .to_string(),
            ),
            Err(_) => None,
        };
        Ok(Some(SmtpConfig {
            url,
            from,
            password,
            send_timeout: SEND_TIMEOUT,
        }))
    }

    /// Removes every trace of the password from a text (errors, logs).
    pub fn scrub(&self, text: &str) -> String {
        let mut out = crate::text::redact(text);
        for secret in self.password.iter().chain(self.url_password().as_ref()) {
            if !secret.is_empty() {
                out = out.replace(secret.as_str(), "***");
            }
        }
        out
    }

    fn url_password(&self) -> Option<String> {
        let rest = self.url.split_once("://")?.1;
        let authority = rest.split(['/', '?']).next()?;
        let userinfo = authority.rsplit_once('@')?.0;
        userinfo.split_once(':').map(|(_, p)| p.to_string())
    }

    /// A transport (a small connection pool) to the configured server.
    pub fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.url)
            .map_err(|e| self.scrub(&e.to_string()))?;
        if let Some(password) = &self.password {
            let user = self
                .url
                .split_once("://")
                .and_then(|(_, rest)| rest.split(['/', '?']).next())
                .and_then(|a| a.rsplit_once('@'))
                .map(|(u, _)| u.split(':').next().unwrap_or("").to_string())
                .unwrap_or_default();
            builder = builder.credentials(
                lettre::transport::smtp::authentication::Credentials::new(user, password.clone()),
            );
        }
        Ok(builder.timeout(Some(Duration::from_secs(20))).build())
    }
}

/// Builds the MIME message: text and HTML alternatives, and the .ics as an attachment.
pub fn build(from: &str, m: &Outgoing, date: DateTime<Utc>) -> Result<Message, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("{e}"))?;
    let mut b = Message::builder()
        .from(from)
        .subject(m.subject.clone())
        .message_id(Some(m.message_id.clone()))
        .date(date.into());
    for to in &m.to {
        b = b.to(to.parse::<Mailbox>().map_err(|e| format!("`{to}`: {e}"))?);
    }
    for cc in &m.cc {
        b = b.cc(cc.parse::<Mailbox>().map_err(|e| format!("`{cc}`: {e}"))?);
    }
    let body = MultiPart::mixed()
        .multipart(MultiPart::alternative_plain_html(
            m.text.clone(),
            m.html.clone(),
        ))
        .singlepart(
            Attachment::new("echeances.ics".to_string()).body(
                m.ics.clone(),
                ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                    .map_err(|e| e.to_string())?,
            ),
        );
    b.multipart(body).map_err(|e| e.to_string())
}

/// Sends one message; the error (if any) is scrubbed of secrets. The whole exchange is bounded
/// by `config.send_timeout`: lettre's own timeout covers the connection, not a server that
/// accepts it and then never answers (a listen queue that overflowed leaves exactly that), which
/// held `cnrm remind` forever. A message that times out is marked failed and retried like any
/// other failure.
pub async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    config: &SmtpConfig,
    m: &Outgoing,
    date: DateTime<Utc>,
) -> Result<(), String> {
    let message = build(&config.from, m, date)?;
    match tokio::time::timeout(config.send_timeout, transport.send(message)).await {
        Ok(sent) => sent.map(|_| ()).map_err(|e| config.scrub(&e.to_string())),
        Err(_) => Err(format!(
            "le serveur SMTP n'a pas répondu en {} s (no answer from the SMTP server in {} s)",
            config.send_timeout.as_secs(),
            config.send_timeout.as_secs()
        )),
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
        assert_eq!(r.subject, "[CNRM] Rappel : 1 tâche(s) à échéance prochaine");
        assert!(
            r.text
                .contains("Échéance : 30/09/2025 (T3 2025) — dans 3 jours"),
            "{}",
            r.text
        );
        assert!(r
            .text
            .contains("Bloquée : « En attente de la signature du ministre »"));
        assert!(r.text.contains("Partenaires : OIM"));
        assert!(r.html.contains("l'échéance") && r.html.contains("<li"));
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
        };
        let msg = build("Secrétariat CNRM <cnrm@example.ml>", &out, stamp).expect("message");
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
        let config = SmtpConfig {
            url: format!("smtp://127.0.0.1:{port}"),
            from: "Secrétariat CNRM <cnrm@localhost>".into(),
            password: None,
            send_timeout: Duration::from_secs(1),
        };
        let m = Outgoing {
            to: vec!["dgme@example.ml".into()],
            cc: Vec::new(),
            subject: "Rappel".into(),
            text: "Échéance".into(),
            html: "<p>Échéance</p>".into(),
            ics: String::new(),
            message_id: "<1.t@cnrm>".into(),
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
        assert!(
            err.contains("le serveur SMTP n'a pas répondu en 1 s"),
            "{err}"
        );
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn secrets_are_scrubbed() {
        let c = SmtpConfig {
            url: "smtp://cnrm:hunter22@mail.example.ml:587".into(),
            from: "a@b.ml".into(),
            password: Some("filepass9".into()),
            send_timeout: SEND_TIMEOUT,
        };
        assert_eq!(
            c.scrub("auth failed for cnrm:hunter22 and filepass9"),
            "auth failed for cnrm:*** and ***"
        );
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("hunter22") && !debug.contains("filepass9"),
            "{debug}"
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
        assert_eq!(r.subject, "[CNRM] Escalation: 1 overdue task(s)");
        assert!(
            r.text.contains("29 days late") && r.text.contains("[escalated]"),
            "{}",
            r.text
        );
    }
}
