//! Members' replies: the one path every incoming message takes, whether `cnrm mail receive` read
//! it from standard input or `cnrm mail fetch` from an IMAP mailbox (`mail-replies.md`).
//!
//! [`receive`]: parse (`parse.rs`) → duplicate → automatic → match (token in the address it was
//! sent to, else `In-Reply-To`, else `References`) → sender check → the member's own words and
//! their instructions (`read.rs`) → one transaction through the store (inbox row, events, the
//! answer queued in the outbox, threaded under the member's message, in the member's language).

pub mod parse;
pub mod read;

use crate::clock::Clock;
use crate::lang::Lang;
use crate::mail::how_to_answer;
use crate::plan::model::rate;
use crate::store::{
    AppliedChange, Change, ChangeValue, NewAnswer, NewInboxRow, PlanMoney, ReplyTask, SentMessage,
    Store, StoreError,
};
use crate::text::{html_escape, money};
use crate::tr;
use crate::workflow::Status;
use parse::Incoming;
use read::{Item, TaskRef};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Applied,
    Rejected,
    Ignored,
    Duplicate,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Rejected => "rejected",
            Outcome::Ignored => "ignored",
            Outcome::Duplicate => "duplicate",
        }
    }
}

/// Why a message was not applied: stable codes (JSON, the inbox table); their sentences are
/// [`reason_text`].
pub mod reason {
    pub const MALFORMED: &str = "malformed";
    pub const AUTOMATIC: &str = "automatic";
    pub const NOT_A_REPLY: &str = "not_a_reply";
    pub const SENDER_NOT_RECIPIENT: &str = "sender_not_recipient";
    pub const NOTHING_UNDERSTOOD: &str = "nothing_understood";
    pub const ALREADY_RECEIVED: &str = "already_received";
}

/// A reason code in words.
pub fn reason_text(lang: Lang, code: &str) -> String {
    match code {
        reason::MALFORMED => tr!(
            lang,
            "le message est illisible (en-têtes ou adresse de l'expéditeur manquants)",
            "the message is unreadable (headers or sender address missing)"
        ),
        reason::AUTOMATIC => tr!(
            lang,
            "réponse automatique (absence, robot)",
            "automatic reply (out of office, robot)"
        ),
        reason::NOT_A_REPLY => tr!(
            lang,
            "ce n'est pas une réponse à un rappel",
            "not a reply to a reminder"
        ),
        reason::SENDER_NOT_RECIPIENT => tr!(
            lang,
            "l'expéditeur n'est pas un destinataire du rappel",
            "sender not a recipient of the reminder"
        ),
        reason::NOTHING_UNDERSTOOD => tr!(
            lang,
            "aucune instruction comprise",
            "no instruction understood"
        ),
        reason::ALREADY_RECEIVED => tr!(lang, "déjà reçu", "already received"),
        other => other.to_string(),
    }
}

/// What `receive` did with one message (`cnrm mail receive --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Received {
    pub status: Outcome,
    pub message_id: String,
    pub from: String,
    pub in_reply_to: Option<String>,
    pub changes: Vec<AppliedChange>,
    pub not_understood: Vec<String>,
    /// A reason code (see [`reason`]), `None` when applied.
    pub reason: Option<String>,
    pub reply_queued: bool,
    /// The outbox id of the answer, to send it at once.
    #[serde(skip)]
    pub answer_outbox: Option<i64>,
    /// The inbox row (none for a duplicate).
    #[serde(skip)]
    pub inbox_id: Option<i64>,
}

/// Why a message could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// The database cannot take it now (unreachable, locked, refusing writes): nothing was
    /// written; the mail server should deliver it again later (`mail receive` exits 75, `mail
    /// fetch` leaves it unseen).
    #[error("temporary failure: {0}")]
    Temporary(StoreError),
    /// Anything else the store said (stored data it cannot read).
    #[error("{0}")]
    Store(StoreError),
}

impl From<StoreError> for InboxError {
    fn from(e: StoreError) -> InboxError {
        match e {
            StoreError::Database(_)
            | StoreError::Unreachable { .. }
            | StoreError::Refused { .. }
            | StoreError::TimedOut { .. }
            | StoreError::Connect { .. } => InboxError::Temporary(e),
            other => InboxError::Store(other),
        }
    }
}

/// What a receiver needs besides the message.
#[derive(Debug, Clone)]
pub struct Options {
    /// The domain of answers' Message-IDs (the sender's).
    pub domain: String,
    /// The language of answers to someone whose language is unknown.
    pub lang: Lang,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            domain: "cnrm.local".into(),
            lang: Lang::Fr,
        }
    }
}

/// A line not understood, and why.
#[derive(Debug, Clone, PartialEq)]
struct Problem {
    line: String,
    why: Why,
}

#[derive(Debug, Clone, PartialEq)]
enum Why {
    NoTask,
    NoSuchNumber(usize),
    Unknown,
    OutOfRange(i64),
    BadAmount,
    UnknownCurrency(String),
    Archived(String),
}

/// Processes one incoming message (`mail-replies.md`): never panics on its content, and records
/// every message it does not refuse as a duplicate in the inbox.
pub async fn receive(
    store: &Store,
    raw: &[u8],
    clock: &Clock,
    options: &Options,
) -> Result<Received, InboxError> {
    let parsed = parse::parse(raw);
    let synthetic = || {
        let digest = Sha256::digest(raw);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("<{hex}@cnrm.invalid>")
    };
    let m = parsed.clone().unwrap_or_default();
    let message_id = m.message_id.clone().unwrap_or_else(synthetic);
    if store.received(&message_id).await? {
        return Ok(duplicate(&message_id, &m));
    }
    let mut row = NewInboxRow {
        message_id: message_id.clone(),
        date_header: m.date.clone(),
        sender: m.from.clone().unwrap_or_default(),
        subject: m.subject.clone(),
        in_reply_to: m.in_reply_to.first().cloned(),
        body: m.text.clone(),
        ..NewInboxRow::default()
    };
    // Three tries: a task archived between our read and the transaction starts it over.
    let mut attempts = 0;
    loop {
        attempts += 1;
        let (row, changes, answer, problems) =
            match decide(store, &m, parsed.is_some(), &mut row, options).await? {
                Decision::Record {
                    changes,
                    answer,
                    problems,
                } => (row.clone(), changes, answer, problems),
            };
        match store
            .record_reply(&row, &changes, answer.as_ref(), clock)
            .await
        {
            Ok(recorded) => {
                let status = match row.status.as_str() {
                    "applied" => Outcome::Applied,
                    "ignored" => Outcome::Ignored,
                    _ => Outcome::Rejected,
                };
                return Ok(Received {
                    status,
                    message_id,
                    from: row.sender.clone(),
                    in_reply_to: row.in_reply_to.clone(),
                    changes: recorded.changes,
                    not_understood: problems.iter().map(|p| p.line.clone()).collect(),
                    reason: row.reason.clone(),
                    reply_queued: recorded.answer_outbox.is_some(),
                    answer_outbox: recorded.answer_outbox,
                    inbox_id: Some(recorded.inbox_id),
                });
            }
            Err(StoreError::AlreadyReceived(_)) => return Ok(duplicate(&message_id, &m)),
            Err(StoreError::Archived(_) | StoreError::NoTask(_)) if attempts < 3 => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

fn duplicate(message_id: &str, m: &Incoming) -> Received {
    Received {
        status: Outcome::Duplicate,
        message_id: message_id.to_string(),
        from: m.from.clone().unwrap_or_default(),
        in_reply_to: m.in_reply_to.first().cloned(),
        changes: Vec::new(),
        not_understood: Vec::new(),
        reason: Some(reason::ALREADY_RECEIVED.into()),
        reply_queued: false,
        answer_outbox: None,
        inbox_id: None,
    }
}

enum Decision {
    Record {
        changes: Vec<Change>,
        answer: Option<NewAnswer>,
        problems: Vec<Problem>,
    },
}

/// The outbox message a reply answers: by the token of an address it was sent to, else by
/// `In-Reply-To`, else by `References` (latest first).
async fn matched(store: &Store, m: &Incoming) -> Result<Option<SentMessage>, StoreError> {
    for address in &m.addressed_to {
        if let Some(token) = crate::token::of_address(address) {
            if let Some(sent) = store.sent_by_token(&token).await? {
                return Ok(Some(sent));
            }
        }
    }
    for id in m.in_reply_to.iter().chain(m.references.iter().rev()) {
        if let Some(sent) = store.sent_by_message_id(id).await? {
            return Ok(Some(sent));
        }
    }
    Ok(None)
}

/// Decides what to record for a message, filling in `row`.
async fn decide(
    store: &Store,
    m: &Incoming,
    readable: bool,
    row: &mut NewInboxRow,
    options: &Options,
) -> Result<Decision, StoreError> {
    let nothing = |answer| Decision::Record {
        changes: Vec::new(),
        answer,
        problems: Vec::new(),
    };
    let sender = m.from.clone().unwrap_or_default();
    // Who may be told of a refusal: an owner's address.
    let refusal_to_owner = |code: &'static str, lang_plan: Option<(String, Lang)>| {
        lang_plan.map(|(plan, lang)| {
            let text = refusal_text(lang, code, m);
            NewAnswer {
                plan_id: plan,
                to: vec![sender.clone()],
                language: lang,
                subject: answer_subject(lang, &m.subject),
                html: html_of(&text),
                text,
                in_reply_to: row.message_id.clone(),
                tasks: Vec::new(),
                domain: options.domain.clone(),
            }
        })
    };
    if !readable || m.from.is_none() {
        row.status = "rejected".into();
        row.reason = Some(reason::MALFORMED.into());
        let owner = match &m.from {
            Some(f) => store.owner_by_address(f).await?,
            None => None,
        };
        return Ok(nothing(refusal_to_owner(reason::MALFORMED, owner)));
    }
    if m.automatic {
        row.status = "ignored".into();
        row.reason = Some(reason::AUTOMATIC.into());
        return Ok(nothing(None));
    }
    let Some(sent) = matched(store, m).await? else {
        row.status = "rejected".into();
        row.reason = Some(reason::NOT_A_REPLY.into());
        let owner = store.owner_by_address(&sender).await?;
        return Ok(nothing(refusal_to_owner(reason::NOT_A_REPLY, owner)));
    };
    row.plan_id = Some(sent.plan_id.clone());
    row.matched_outbox = Some(sent.outbox_id);
    row.matched_message_id = Some(sent.message_id.clone());
    let lang = sent.language;
    let recipients: Vec<String> = sent
        .to
        .iter()
        .chain(sent.cc.iter())
        .map(|a| bare_address(a))
        .collect();
    if !recipients.contains(&sender) {
        row.status = "rejected".into();
        row.reason = Some(reason::SENDER_NOT_RECIPIENT.into());
        let text = forged_text(lang, &sender, &sent);
        return Ok(nothing(Some(NewAnswer {
            plan_id: sent.plan_id.clone(),
            to: sent.to.clone(),
            language: lang,
            subject: answer_subject(lang, &sent.subject),
            html: html_of(&text),
            text,
            in_reply_to: sent.message_id.clone(),
            tasks: sent.tasks.clone(),
            domain: options.domain.clone(),
        })));
    }
    let tasks = store.reply_tasks(&sent.plan_id, &sent.tasks).await?;
    let money = store.plan_money(&sent.plan_id).await?;
    let (changes, problems) = instructions(&m.text, &sent, &tasks, &money);
    row.not_understood = problems.iter().map(|p| p.line.clone()).collect();
    if changes.is_empty() {
        row.status = "rejected".into();
        row.reason = Some(reason::NOTHING_UNDERSTOOD.into());
    } else {
        row.status = "applied".into();
        row.reason = None;
    }
    let text = answer_text(lang, m, &sent, &tasks, &money, &changes, &problems);
    let answer = NewAnswer {
        plan_id: sent.plan_id.clone(),
        to: vec![sender.clone()],
        language: lang,
        subject: answer_subject(lang, &m.subject),
        html: html_of(&text),
        text,
        in_reply_to: row.message_id.clone(),
        tasks: sent.tasks.clone(),
        domain: options.domain.clone(),
    };
    Ok(Decision::Record {
        changes,
        answer: Some(answer),
        problems,
    })
}

/// `Nom <a@b>` → `a@b`, lower case.
fn bare_address(a: &str) -> String {
    let a = a.trim();
    match (a.rfind('<'), a.rfind('>')) {
        (Some(i), Some(j)) if i < j => a[i + 1..j].trim().to_lowercase(),
        _ => a.to_lowercase(),
    }
}

/// The changes a reply asks for and the lines not understood.
fn instructions(
    text: &str,
    sent: &SentMessage,
    tasks: &[ReplyTask],
    money: &PlanMoney,
) -> (Vec<Change>, Vec<Problem>) {
    let words = read::own_words(text, &sent.text, &sent.tasks);
    let only = match sent.tasks.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for line in &words {
        let l = read::read_line(line, &sent.tasks);
        let problem = |why| Problem {
            line: l.text.clone(),
            why,
        };
        let (task, named) = match (&l.task, &only) {
            (TaskRef::Task(t), _) => (t.clone(), true),
            (TaskRef::NoSuchNumber(n), _) => {
                problems.push(problem(Why::NoSuchNumber(*n)));
                continue;
            }
            (TaskRef::Unnamed, Some(one)) => (one.clone(), false),
            (TaskRef::Unnamed, None) => {
                let why = if l.items.iter().all(|i| matches!(i, Item::Unknown(_))) {
                    Why::Unknown
                } else {
                    Why::NoTask
                };
                problems.push(problem(why));
                continue;
            }
        };
        let Some(state) = tasks.iter().find(|t| t.id == task) else {
            problems.push(problem(Why::Archived(task.clone())));
            continue;
        };
        if state.archived {
            problems.push(problem(Why::Archived(task.clone())));
            continue;
        }
        let mut line_changes = Vec::new();
        let mut bad = None;
        for item in &l.items {
            let value = match item {
                Item::Status(s, reason) => {
                    line_changes.push(ChangeValue::Status(*s));
                    match reason {
                        Some(r) => ChangeValue::Note(r.clone()),
                        None => continue,
                    }
                }
                Item::Progress(p) => ChangeValue::Progress(*p),
                Item::ProgressOutOfRange(p) => {
                    bad = Some(Why::OutOfRange(*p));
                    break;
                }
                Item::Note(n) => ChangeValue::Note(n.clone()),
                Item::Spent(amount, currency) => {
                    let c = currency.clone().unwrap_or_else(|| money.currency.clone());
                    if rate(&money.currency, &c, &money.rates).is_none() {
                        bad = Some(Why::UnknownCurrency(c));
                        break;
                    }
                    ChangeValue::Spending {
                        amount: *amount,
                        currency: currency.clone(),
                    }
                }
                Item::BadAmount(_) => {
                    bad = Some(Why::BadAmount);
                    break;
                }
                Item::Postpone(when) => ChangeValue::Postpone {
                    requested: when.clone(),
                    note: tr!(
                        money.language,
                        "Demande de report (par courriel)\u{a0}: {when}",
                        "Postponement request (by e-mail): {when}"
                    ),
                },
                Item::Unknown(words) => {
                    // Words about a named task (or the only one) are kept as a note on it.
                    if named {
                        ChangeValue::Note(words.clone())
                    } else {
                        notes.push(words.clone());
                        continue;
                    }
                }
            };
            line_changes.push(value);
        }
        if let Some(why) = bad {
            problems.push(problem(why));
            continue;
        }
        changes.extend(line_changes.into_iter().map(|value| Change {
            task: task.clone(),
            value,
        }));
    }
    // Unnamed free text in a one-task message: one note on that task.
    if let (Some(one), false) = (&only, notes.is_empty()) {
        if tasks.iter().any(|t| t.id == *one && !t.archived) {
            changes.push(Change {
                task: one.clone(),
                value: ChangeValue::Note(notes.join("\n")),
            });
        }
    }
    (changes, problems)
}

/// `Re: <subject>`, unless it is one already.
fn answer_subject(lang: Lang, subject: &str) -> String {
    // Any length may come in; what goes out is one sane line (`mail::subject_line`).
    let s = &crate::mail::subject_line(subject);
    let f = crate::text::fold(s);
    if f.starts_with("re:") || f.starts_with("re :") {
        return s.to_string();
    }
    if s.is_empty() {
        return tr!(
            lang,
            "[CNRM] Votre réponse a été lue",
            "[CNRM] Your reply was read"
        );
    }
    format!("Re: {s}")
}

fn html_of(text: &str) -> String {
    format!(
        "<html><body style=\"font-family:Arial,sans-serif;font-size:14px;color:#222\"><pre style=\"font-family:Arial,sans-serif;white-space:pre-wrap\">{}</pre></body></html>",
        html_escape(text)
    )
}

fn signature(lang: Lang) -> String {
    tr!(
        lang,
        "— Secrétariat technique du CNRM (message automatique de cnrm)",
        "— CNRM technical secretariat (automatic message from cnrm)"
    )
}

fn quoted(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Fr => format!("«\u{a0}{text}\u{a0}»"),
        Lang::En => format!("\u{201c}{text}\u{201d}"),
    }
}

fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "\u{a0}: ",
        Lang::En => ": ",
    }
}

fn status_word(lang: Lang, s: Status) -> String {
    let (fr, en) = match s {
        Status::Todo => ("à faire", "to do"),
        Status::InProgress => ("en cours", "in progress"),
        Status::Blocked => ("bloquée", "blocked"),
        Status::Suspended => ("suspendue", "suspended"),
        Status::Done => ("faite", "done"),
        Status::Cancelled => ("annulée", "cancelled"),
    };
    match lang {
        Lang::Fr => fr.into(),
        Lang::En => en.into(),
    }
}

fn problem_text(lang: Lang, p: &Problem) -> String {
    let why = match &p.why {
        Why::NoTask => tr!(
            lang,
            "aucune tâche n'est nommée (commencez la ligne par son numéro ou son identifiant, par exemple «\u{a0}2\u{a0}: fait\u{a0}»)",
            "no task is named (start the line with its number or its id, for example \u{201c}2: done\u{201d})"
        ),
        Why::NoSuchNumber(n) => tr!(
            lang,
            "le message auquel vous répondez n'a pas de tâche numéro {n}",
            "the message you answer has no task number {n}"
        ),
        Why::Unknown => tr!(lang, "non comprise", "not understood"),
        Why::OutOfRange(v) => tr!(
            lang,
            "l'avancement est un pourcentage de 0 à 100 (et non {v})",
            "progress is a percentage from 0 to 100 (not {v})"
        ),
        Why::BadAmount => tr!(
            lang,
            "le montant n'est pas lisible (par exemple «\u{a0}dépensé 2 500 000 FCFA\u{a0}»)",
            "the amount cannot be read (for example \u{201c}spent 2500000 XOF\u{201d})"
        ),
        Why::UnknownCurrency(c) => tr!(
            lang,
            "la devise {c} n'a pas de taux de change dans le plan",
            "the currency {c} has no exchange rate in the plan"
        ),
        Why::Archived(t) => tr!(
            lang,
            "la tâche {t} ne fait plus partie du plan (archivée)\u{a0}; rien n'y est enregistré",
            "task {t} is no longer part of the plan (archived); nothing is recorded on it"
        ),
    };
    format!("  {}{}{why}", quoted(lang, &p.line), colon(lang))
}

fn change_text(lang: Lang, c: &Change, money_cfg: &PlanMoney) -> String {
    let c_ = colon(lang);
    match &c.value {
        ChangeValue::Status(s) => {
            let extra = if *s == Status::Done {
                tr!(lang, " (avancement 100\u{a0}%)", " (progress 100%)")
            } else {
                String::new()
            };
            tr!(
                lang,
                "statut{c_}{}{extra}",
                "status{c_}{}{extra}",
                status_word(lang, *s)
            )
        }
        ChangeValue::Progress(p) => match lang {
            Lang::Fr => format!("avancement{c_}{p}\u{a0}%"),
            Lang::En => format!("progress{c_}{p}%"),
        },
        ChangeValue::Note(n) => tr!(lang, "note{c_}{}", "note{c_}{}", quoted(lang, n)),
        ChangeValue::Spending { amount, currency } => {
            let cur = currency.clone().unwrap_or_else(|| money_cfg.currency.clone());
            tr!(
                lang,
                "dépense enregistrée{c_}{}",
                "spending recorded{c_}{}",
                money(*amount, &cur)
            )
        }
        ChangeValue::Postpone { requested, .. } => tr!(
            lang,
            "demande de report{c_}{requested} — transmise au secrétariat, qui décidera\u{a0}; l'échéance reste celle du plan",
            "postponement request{c_}{requested} — passed on to the secretariat, which will decide; the deadline stays as the plan says"
        ),
    }
}

/// The answer to a member whose reply was read.
fn answer_text(
    lang: Lang,
    m: &Incoming,
    sent: &SentMessage,
    tasks: &[ReplyTask],
    money_cfg: &PlanMoney,
    changes: &[Change],
    problems: &[Problem],
) -> String {
    let mut out = tr!(lang, "Bonjour,\n\n", "Hello,\n\n");
    let subject = quoted(lang, &crate::mail::subject_line(&m.subject));
    if m.cut {
        let max = parse::MAX_TEXT / 1000;
        out.push_str(&tr!(
            lang,
            "Votre message dépasse {max}\u{a0}000 caractères\u{a0}: seul son début a été lu, la suite n'a pas été prise en compte. Envoyez-la dans un message à part si elle contient des mises à jour.\n\n",
            "Your message is longer than {max},000 characters: only its beginning was read, the rest was not taken into account. Send it in a separate message if it holds updates.\n\n"
        ));
    }
    if changes.is_empty() {
        out.push_str(&tr!(
            lang,
            "Nous avons lu votre message {subject}, mais n'y avons compris aucune mise à jour\u{a0}: rien n'a été enregistré.\n",
            "We read your message {subject} but understood no update in it: nothing was recorded.\n"
        ));
    } else {
        out.push_str(&tr!(
            lang,
            "Voici ce que nous avons compris de votre message {subject}, et enregistré\u{a0}:\n",
            "Here is what we understood from your message {subject}, and recorded:\n"
        ));
        let mut seen: Vec<&str> = Vec::new();
        for c in changes {
            if seen.contains(&c.task.as_str()) {
                continue;
            }
            seen.push(&c.task);
            let title = tasks
                .iter()
                .find(|t| t.id == c.task)
                .map(|t| t.title.as_str())
                .unwrap_or_default();
            let number = sent
                .tasks
                .iter()
                .position(|t| *t == c.task)
                .map(|i| format!("{}. ", i + 1))
                .unwrap_or_default();
            out.push_str(&format!("\n{number}{} — {title}\n", c.task));
            for one in changes.iter().filter(|x| x.task == c.task) {
                out.push_str(&format!("  • {}\n", change_text(lang, one, money_cfg)));
            }
        }
    }
    if !problems.is_empty() {
        let head = match (lang, problems.len()) {
            (Lang::Fr, 1) => {
                "\nLigne non comprise, rien n'en a été enregistré\u{a0}:\n".to_string()
            }
            (Lang::Fr, _) => {
                "\nLignes non comprises, rien n'en a été enregistré\u{a0}:\n".to_string()
            }
            (Lang::En, 1) => "\nLine not understood, nothing recorded from it:\n".to_string(),
            (Lang::En, _) => "\nLines not understood, nothing recorded from them:\n".to_string(),
        };
        out.push_str(&head);
        for p in problems {
            out.push_str(&problem_text(lang, p));
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str(&tr!(
        lang,
        "Si quelque chose est inexact, répondez à ce message avec la correction (par exemple «\u{a0}1\u{a0}: en cours\u{a0}» ou «\u{a0}1\u{a0}: avancement 40\u{a0}%\u{a0}»)\u{a0}; la dernière information reçue fait foi.\n\n",
        "If anything is wrong, answer this message with the correction (for example \u{201c}1: in progress\u{201d} or \u{201c}1: progress 40\u{201d}); the latest information received counts.\n\n"
    ));
    let ids: Vec<&str> = sent.tasks.iter().map(String::as_str).collect();
    out.push_str(&how_to_answer(lang, &ids));
    out.push_str("\n\n");
    out.push_str(&signature(lang));
    out.push('\n');
    out
}

/// To a reminder's recipients: an answer from another address was refused.
fn forged_text(lang: Lang, sender: &str, sent: &SentMessage) -> String {
    let subject = quoted(lang, &sent.subject);
    let mut out = tr!(lang, "Bonjour,\n\n", "Hello,\n\n");
    out.push_str(&tr!(
        lang,
        "Une réponse au message {subject} est arrivée de l'adresse {sender}, qui n'en est pas destinataire. Elle a été refusée\u{a0}: rien n'a été modifié.\n\nSi cette réponse vient bien de vous, envoyez-la depuis l'adresse à laquelle le rappel a été envoyé, en répondant à ce message.\n\n",
        "A reply to the message {subject} came from the address {sender}, which is not one of its recipients. It was refused: nothing was changed.\n\nIf that reply is yours, send it from the address the reminder was sent to, by answering this message.\n\n"
    ));
    out.push_str(&signature(lang));
    out.push('\n');
    out
}

/// To an owner whose message was refused (not a reply, unreadable).
fn refusal_text(lang: Lang, code: &str, m: &Incoming) -> String {
    let subject = quoted(lang, &m.subject);
    let mut out = tr!(lang, "Bonjour,\n\n", "Hello,\n\n");
    let why = reason_text(lang, code);
    out.push_str(&tr!(
        lang,
        "Votre message {subject} n'a pas été enregistré\u{a0}: {why}. Rien n'a été modifié.\n\nPour mettre à jour une tâche, répondez directement au message de rappel que vous avez reçu, une ligne par tâche (par exemple «\u{a0}1\u{a0}: fait\u{a0}»).\n\n",
        "Your message {subject} was not recorded: {why}. Nothing was changed.\n\nTo update a task, answer the reminder you received directly, one line per task (for example \u{201c}1: done\u{201d}).\n\n"
    ));
    out.push_str(&signature(lang));
    out.push('\n');
    out
}
