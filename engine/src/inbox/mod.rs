//! Members' replies: the one path every incoming message takes, whether `cnrm mail receive` read
//! it from standard input or `cnrm mail fetch` from an IMAP mailbox (`mail-replies.md`).
//!
//! [`receive`]: parse (`parse.rs`) → duplicate → automatic → match (token in the address it was
//! sent to, else `In-Reply-To`, else `References`) → sender check → the member's own words and
//! their instructions (`read.rs`) → one transaction through the store (inbox row, events, the
//! answer queued in the outbox, threaded under the member's message, in the member's language).

pub mod grammar;
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
use grammar::{Item, TaskRef, When};
use parse::Incoming;
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
    pub const ACKNOWLEDGEMENT: &str = "acknowledgement";
    pub const SEVERAL_SENDERS: &str = "several_senders";
    pub const AUTHENTICATION_FAILED: &str = "authentication_failed";
    /// The database refused the message as read, for a reason that would recur (its changes
    /// are left out; the message is kept, rejected, so that it never blocks the mailbox).
    pub const UNRECORDABLE: &str = "unrecordable";
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
        reason::SEVERAL_SENDERS => tr!(
            lang,
            "le champ «\u{a0}De\u{a0}» nomme plusieurs expéditeurs",
            "the \u{201c}From\u{201d} field names several senders"
        ),
        reason::AUTHENTICATION_FAILED => tr!(
            lang,
            "le serveur de réception n'a pas authentifié l'expéditeur (DMARC ou SPF en échec)",
            "the receiving server did not authenticate the sender (DMARC or SPF failed)"
        ),
        reason::ACKNOWLEDGEMENT => tr!(
            lang,
            "remerciement ou accusé de réception, sans mise à jour",
            "thanks or acknowledgement, with no update"
        ),
        reason::UNRECORDABLE => tr!(
            lang,
            "la base de données a refusé de l'enregistrer tel quel (gardé sans ses changements)",
            "the database refused to record it as it was (kept without its changes)"
        ),
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
    /// Lines not applied because they need an answer from the member (`mail-replies.md`).
    pub questions: Vec<Question>,
    /// Files attached to the message.
    pub attachments: Vec<Attachment>,
    /// A reason code (see [`reason`]), `None` when applied.
    pub reason: Option<String>,
    /// What was changed in the text to store it (characters no database takes), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
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
        if e.is_temporary() {
            InboxError::Temporary(e)
        } else {
            InboxError::Store(e)
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
    /// The receiving server's authserv-id (`CNRM_TRUSTED_AUTHSERV`): its
    /// `Authentication-Results` are believed.
    pub trusted_authserv: Option<String>,
}

impl Options {
    /// Options for answers from `domain`, `CNRM_TRUSTED_AUTHSERV` read from the environment.
    pub fn new(domain: String, lang: Lang) -> Options {
        Options {
            domain,
            lang,
            trusted_authserv: std::env::var("CNRM_TRUSTED_AUTHSERV")
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            domain: "cnrm.local".into(),
            lang: Lang::Fr,
            trusted_authserv: None,
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
    /// A progress or an amount with a minus sign.
    Negative,
    /// A status dated after today.
    FutureDay,
    BadAmount,
    UnknownCurrency(String),
    Archived(String),
}

/// Processes one incoming message (`mail-replies.md`): never panics on its content, and records
/// every message it does not refuse as a duplicate in the inbox. Its text is made storable first
/// (NUL and other forbidden characters replaced by U+FFFD, the replacement noted on the row). A
/// failure that would recur on every try records the message as rejected (`unrecordable`),
/// without its changes; only a database out of reach or busy is [`InboxError::Temporary`].
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
    let mut m = parsed.clone().unwrap_or_default();
    let replaced = m.make_storable();
    let notes = (replaced > 0).then(|| replaced_note(options.lang, replaced));
    let message_id = m.message_id.clone().unwrap_or_else(synthetic);
    match receive_parsed(
        store,
        &m,
        parsed.is_some(),
        &message_id,
        notes.clone(),
        clock,
        options,
    )
    .await
    {
        Err(e) if !e.is_temporary() => {
            tracing::warn!(error = %e, "reply refused by the database, recorded as rejected");
            // Kept, rejected and without its changes, so that it never blocks the mailbox; if
            // even that is refused, the error is said (and `mail receive` exits 1, not 75).
            let row = NewInboxRow {
                message_id: message_id.clone(),
                date_header: m.date.clone(),
                sender: m.from.clone().unwrap_or_default(),
                subject: m.subject.clone(),
                in_reply_to: m.in_reply_to.first().cloned(),
                body: m.text.clone(),
                status: "rejected".into(),
                reason: Some(reason::UNRECORDABLE.into()),
                notes: notes.clone(),
                ..NewInboxRow::default()
            };
            match store.record_reply(&row, &[], None, clock).await {
                Ok(recorded) => Ok(Received {
                    status: Outcome::Rejected,
                    message_id,
                    from: row.sender,
                    in_reply_to: row.in_reply_to,
                    changes: Vec::new(),
                    not_understood: Vec::new(),
                    questions: Vec::new(),
                    attachments: attachments_of(&m),
                    reason: row.reason,
                    notes,
                    reply_queued: false,
                    answer_outbox: None,
                    inbox_id: Some(recorded.inbox_id),
                }),
                Err(StoreError::AlreadyReceived(_)) => Ok(duplicate(&message_id, &m)),
                Err(again) if again.is_temporary() => Err(InboxError::Temporary(again)),
                Err(_) => Err(InboxError::Store(e)),
            }
        }
        other => other.map_err(InboxError::from),
    }
}

/// The note of an inbox row whose text had characters replaced.
fn replaced_note(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Fr, 1) => "1 caractère interdit (NUL ou contrôle) remplacé par \u{fffd}".into(),
        (Lang::Fr, _) => {
            format!("{n} caractères interdits (NUL ou contrôle) remplacés par \u{fffd}")
        }
        (Lang::En, 1) => "1 forbidden character (NUL or control) replaced by \u{fffd}".into(),
        (Lang::En, _) => format!("{n} forbidden characters (NUL or control) replaced by \u{fffd}"),
    }
}

async fn receive_parsed(
    store: &Store,
    m: &Incoming,
    readable: bool,
    message_id: &str,
    notes: Option<String>,
    clock: &Clock,
    options: &Options,
) -> Result<Received, StoreError> {
    let message_id = message_id.to_string();
    if store.received(&message_id).await? {
        return Ok(duplicate(&message_id, m));
    }
    let mut row = NewInboxRow {
        message_id: message_id.clone(),
        date_header: m.date.clone(),
        sender: m.from.clone().unwrap_or_default(),
        subject: m.subject.clone(),
        in_reply_to: m.in_reply_to.first().cloned(),
        body: m.text.clone(),
        notes: notes.clone(),
        ..NewInboxRow::default()
    };
    // Three tries: a task archived between our read and the transaction starts it over.
    let mut attempts = 0;
    loop {
        attempts += 1;
        let (row, changes, answer, problems, questions) =
            match decide(store, m, readable, &mut row, options, clock).await? {
                Decision::Record {
                    changes,
                    answer,
                    problems,
                    questions,
                } => (row.clone(), changes, answer, problems, questions),
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
                    questions,
                    attachments: attachments_of(m),
                    reason: row.reason.clone(),
                    notes,
                    reply_queued: recorded.answer_outbox.is_some(),
                    answer_outbox: recorded.answer_outbox,
                    inbox_id: Some(recorded.inbox_id),
                });
            }
            Err(StoreError::AlreadyReceived(_)) => return Ok(duplicate(&message_id, m)),
            Err(StoreError::Archived(_) | StoreError::NoTask(_)) if attempts < 3 => continue,
            Err(e) => return Err(e),
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
        questions: Vec::new(),
        attachments: attachments_of(m),
        reason: Some(reason::ALREADY_RECEIVED.into()),
        notes: None,
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
        questions: Vec<Question>,
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
    clock: &Clock,
) -> Result<Decision, StoreError> {
    let nothing = |answer| Decision::Record {
        changes: Vec::new(),
        answer,
        problems: Vec::new(),
        questions: Vec::new(),
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
    // Forgeries get no answer: whoever they claim to be did not write them.
    if m.senders > 1 {
        row.status = "rejected".into();
        row.reason = Some(reason::SEVERAL_SENDERS.into());
        return Ok(nothing(None));
    }
    if let Some(authserv) = &options.trusted_authserv {
        if parse::authentication_failed(&m.authentication, authserv) {
            row.status = "rejected".into();
            row.reason = Some(reason::AUTHENTICATION_FAILED.into());
            return Ok(nothing(None));
        }
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
    let today = clock.today(chrono_tz::UTC);
    let reading = instructions(&m.text, &sent, &tasks, &money, today);
    let mut reading = reading;
    // A file sent with no instruction (`Voir pièce jointe`): nothing is guessed from it.
    let updates = reading
        .changes
        .iter()
        .any(|c| !matches!(c.value, ChangeValue::Note(_)));
    if !m.attachments.is_empty() && !updates && reading.questions.is_empty() {
        reading.changes.clear();
        reading.only_courtesy = false;
        let names: Vec<&str> = m.attachments.iter().map(|(n, _)| n.as_str()).collect();
        reading.questions.push(Asked {
            task: None,
            line: names.join(", "),
            ask: Ask::Attachment,
        });
    }
    // The same spending line sent again (a member re-sending): asked, not counted twice.
    let since = today
        .checked_sub_days(chrono::Days::new(30))
        .unwrap_or(today);
    let changes = std::mem::take(&mut reading.changes);
    let mut kept = Vec::with_capacity(changes.len());
    let mut dropped_note_of: Option<String> = None;
    for (i, c) in changes.iter().cloned().enumerate() {
        if let ChangeValue::Spending { amount, currency } = &c.value {
            let cur = currency.clone().unwrap_or_else(|| money.currency.clone());
            // `dépensé 2 500 000 FCFA, nouvelle dépense`: the member confirms it is another one.
            let confirmed = changes.get(i + 1).is_some_and(|n| {
                n.task == c.task
                    && matches!(&n.value, ChangeValue::Note(t) if {
                        let f = crate::text::fold(t);
                        f.contains("nouvelle depense") || f.contains("new spending")
                    })
            });
            if !confirmed
                && store
                    .recent_spending(&sent.plan_id, &c.task, *amount, &cur, since)
                    .await?
            {
                let words = crate::text::money(*amount, &cur);
                reading.questions.push(Asked {
                    task: Some(c.task.clone()),
                    line: words.clone(),
                    ask: Ask::Again(words),
                });
                dropped_note_of = Some(c.task.clone());
                continue;
            }
        }
        // The words written with a spending asked about wait with it.
        if let (ChangeValue::Note(_), Some(t)) = (&c.value, &dropped_note_of) {
            if *t == c.task {
                dropped_note_of = None;
                continue;
            }
        }
        dropped_note_of = None;
        kept.push(c);
    }
    reading.changes = kept;
    if reading.only_courtesy {
        row.status = "ignored".into();
        row.reason = Some(reason::ACKNOWLEDGEMENT.into());
        return Ok(nothing(None));
    }
    let questions: Vec<Question> = reading
        .questions
        .iter()
        .map(|q| Question {
            task: q.task.clone(),
            line: q.line.clone(),
            question: question_text(lang, &q.ask, today),
        })
        .collect();
    row.not_understood = reading
        .problems
        .iter()
        .map(|p| p.line.clone())
        .chain(questions.iter().map(|q| format!("? {}", q.line)))
        .collect();
    if reading.changes.is_empty() && questions.is_empty() {
        row.status = "rejected".into();
        row.reason = Some(reason::NOTHING_UNDERSTOOD.into());
    } else {
        row.status = "applied".into();
        row.reason = None;
    }
    let text = answer_text(lang, m, &sent, &tasks, &money, &reading, &questions);
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
        changes: reading.changes,
        answer: Some(answer),
        problems: reading.problems,
        questions,
    })
}

/// The year a quarter or semester without one most likely means: this year, or the next when
/// it has ended.
fn year_of(period: &str, today: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    let f = crate::text::fold(period);
    let n: u32 = f.chars().find_map(|c| c.to_digit(10)).unwrap_or(1);
    let semester = f.starts_with('s') || f.starts_with('h') || f.contains("semest");
    let last_month = if semester { n * 6 } else { n * 3 };
    if last_month < today.month() {
        today.year() + 1
    } else {
        today.year()
    }
}

/// The question asked back for a line, in the member's language.
fn question_text(lang: Lang, ask: &Ask, today: chrono::NaiveDate) -> String {
    match ask {
        Ask::Year(period) => {
            let year = year_of(period, today);
            tr!(
                lang,
                "de quelle année s'agit-il\u{a0}? Répondez par exemple «\u{a0}report\u{a0}: {period} {year}\u{a0}».",
                "which year do you mean? Answer for example \u{201c}postpone: {period} {year}\u{201d}."
            )
        }
        Ask::Occurrence(base) => tr!(
            lang,
            "le message listait plusieurs échéances de {base}\u{a0}: écrivez le numéro de la ligne (par exemple «\u{a0}2\u{a0}: fait\u{a0}») ou l'identifiant complet avec sa date.",
            "the message listed several occurrences of {base}: write the line's number (for example \u{201c}2: done\u{201d}) or the full id with its date."
        ),
        Ask::Attachment => tr!(
            lang,
            "nous avons bien reçu ce fichier, mais nous ne lisons pas les pièces jointes\u{a0}: écrivez dans le message ce qu'il faut enregistrer (par exemple «\u{a0}1\u{a0}: fait, rapport joint\u{a0}»).",
            "we received this file, but we do not read attachments: write in the message what to record (for example \u{201c}1: done, report attached\u{201d})."
        ),
        Ask::Again(amount) => tr!(
            lang,
            "une dépense de {amount} a déjà été enregistrée pour cette tâche ces 30 derniers jours\u{a0}; s'il s'agit d'une nouvelle dépense, répondez «\u{a0}dépensé {amount}, nouvelle dépense\u{a0}» (sinon, rien à faire).",
            "spending of {amount} was already recorded on this task in the last 30 days; if this is new spending, answer \u{201c}spent {amount}, new spending\u{201d} (otherwise, nothing to do)."
        ),
    }
}

/// `Nom <a@b>` → `a@b`, lower case.
fn bare_address(a: &str) -> String {
    let a = a.trim();
    match (a.rfind('<'), a.rfind('>')) {
        (Some(i), Some(j)) if i < j => a[i + 1..j].trim().to_lowercase(),
        _ => a.to_lowercase(),
    }
}

/// At most this many of a message's lines are read as instructions; the answer says how many
/// were not.
pub const MAX_LINES: usize = 200;

/// A file attached to a reply: named in the answer and in `mail receive`'s JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    pub name: String,
    pub size: usize,
}

fn attachments_of(m: &Incoming) -> Vec<Attachment> {
    m.attachments
        .iter()
        .map(|(name, size)| Attachment {
            name: name.clone(),
            size: *size,
        })
        .collect()
}

/// A line read but not applied: the member is asked a precise question instead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub task: Option<String>,
    pub line: String,
    pub question: String,
}

/// What a line asks back, before it is put into words ([`question_text`]).
#[derive(Debug, Clone, PartialEq)]
enum Ask {
    /// A postponement to a quarter or semester without its year (as written: `T2`).
    Year(String),
    /// A recurring task's id naming several listed occurrences.
    Occurrence(String),
    /// Files attached with no instruction.
    Attachment,
    /// A spending the same as one recorded on the task in the last 30 days (its amount).
    Again(String),
}

/// A question to ask back, and the line it is about.
#[derive(Debug, Clone, PartialEq)]
struct Asked {
    task: Option<String>,
    line: String,
    ask: Ask,
}

/// What a reply says, read against the message it answers.
#[derive(Debug, Default)]
struct Reading {
    changes: Vec<Change>,
    problems: Vec<Problem>,
    questions: Vec<Asked>,
    /// The words were below the quoted message.
    below_quote: bool,
    /// Lines past [`MAX_LINES`], not read.
    unread: usize,
    /// Nothing but thanks (`Bien reçu, merci`).
    only_courtesy: bool,
}

/// The day a status took effect, from what the member wrote and today.
fn effective_day(when: When, today: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    match when {
        When::DaysAgo(n) => today.checked_sub_days(chrono::Days::new(u64::from(n))),
        When::LastWeekday(n) => {
            use chrono::Datelike;
            let back = (today.weekday().num_days_from_monday() + 7 - n - 1) % 7 + 1;
            today.checked_sub_days(chrono::Days::new(u64::from(back)))
        }
        When::Day {
            day,
            month,
            year: Some(y),
        } => chrono::NaiveDate::from_ymd_opt(y, month, day),
        When::Day {
            day,
            month,
            year: None,
        } => {
            use chrono::Datelike;
            // This year's, unless that is months ahead (`fait le 28 décembre` written in
            // January is last year's); a day a few weeks ahead stays ahead, to be refused.
            let this = chrono::NaiveDate::from_ymd_opt(today.year(), month, day)?;
            if (this - today).num_days() > 60 {
                chrono::NaiveDate::from_ymd_opt(today.year() - 1, month, day)
            } else {
                Some(this)
            }
        }
    }
}

/// The changes a reply asks for, the lines not understood and the questions to ask back.
fn instructions(
    text: &str,
    sent: &SentMessage,
    tasks: &[ReplyTask],
    money: &PlanMoney,
    today: chrono::NaiveDate,
) -> Reading {
    let words = read::own_words(text, &sent.text, &sent.tasks);
    let only = match sent.tasks.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    let mut r = Reading {
        below_quote: words.below_quote,
        unread: words.lines.len().saturating_sub(MAX_LINES),
        ..Reading::default()
    };
    let mut notes: Vec<String> = Vec::new();
    let mut courtesy = 0;
    for line in words.lines.iter().take(MAX_LINES) {
        for l in grammar::read_line(line, &sent.tasks) {
            if !l.items.is_empty() && l.items.iter().all(|i| matches!(i, Item::Courtesy)) {
                courtesy += 1;
                continue;
            }
            read_one(&l, &only, tasks, money, today, &mut r, &mut notes);
        }
    }
    // Unnamed free text in a one-task message: one note on that task.
    if let (Some(one), false) = (&only, notes.is_empty()) {
        if tasks.iter().any(|t| t.id == *one && !t.archived) {
            r.changes.push(Change {
                task: one.clone(),
                value: ChangeValue::Note(notes.join("\n")),
            });
        }
    }
    r.only_courtesy = (courtesy > 0 || words.thanks)
        && r.changes.is_empty()
        && r.problems.is_empty()
        && r.questions.is_empty();
    r
}

/// One line for one task: its changes into `r`, or a problem, or a question.
fn read_one(
    l: &grammar::Line,
    only: &Option<String>,
    tasks: &[ReplyTask],
    money: &PlanMoney,
    today: chrono::NaiveDate,
    r: &mut Reading,
    notes: &mut Vec<String>,
) {
    let problem = |why| Problem {
        line: l.text.clone(),
        why,
    };
    let (task, named) = match (&l.task, only) {
        (TaskRef::Task(t), _) => (t.clone(), true),
        (TaskRef::NoSuchNumber(n), _) => {
            r.problems.push(problem(Why::NoSuchNumber(*n)));
            return;
        }
        (TaskRef::Ambiguous(base), _) => {
            r.questions.push(Asked {
                task: None,
                line: l.text.clone(),
                ask: Ask::Occurrence(base.clone()),
            });
            return;
        }
        (TaskRef::Unnamed, Some(one)) => (one.clone(), false),
        (TaskRef::Unnamed, None) => {
            let why = if l.is_unknown() {
                Why::Unknown
            } else {
                Why::NoTask
            };
            r.problems.push(problem(why));
            return;
        }
    };
    let Some(state) = tasks.iter().find(|t| t.id == task) else {
        r.problems.push(problem(Why::Archived(task.clone())));
        return;
    };
    if state.archived {
        r.problems.push(problem(Why::Archived(task.clone())));
        return;
    }
    let mut line_changes = Vec::new();
    for item in &l.items {
        let value = match item {
            Item::Status { status, note, on } => {
                let day = on.and_then(|when| effective_day(when, today));
                if on.is_some() && day.is_none_or(|d| d > today) {
                    r.problems.push(problem(Why::FutureDay));
                    return;
                }
                line_changes.push(ChangeValue::Status(*status, day.filter(|d| *d != today)));
                match note {
                    Some(n) => ChangeValue::Note(n.clone()),
                    None => continue,
                }
            }
            Item::Progress(p) => ChangeValue::Progress(*p),
            Item::ProgressOutOfRange(p) => {
                r.problems.push(problem(Why::OutOfRange(*p)));
                return;
            }
            Item::Negative(_) => {
                r.problems.push(problem(Why::Negative));
                return;
            }
            Item::Note(n) => ChangeValue::Note(n.clone()),
            Item::Spent {
                amount,
                currency,
                funder,
                note,
            } => {
                let c = currency.clone().unwrap_or_else(|| money.currency.clone());
                if rate(&money.currency, &c, &money.rates).is_none() {
                    r.problems.push(problem(Why::UnknownCurrency(c)));
                    return;
                }
                line_changes.push(ChangeValue::Spending {
                    amount: *amount,
                    currency: currency.clone(),
                });
                let words: Vec<String> = funder
                    .iter()
                    .map(|f| format!("({f})"))
                    .chain(note.iter().cloned())
                    .collect();
                if words.is_empty() {
                    continue;
                }
                ChangeValue::Note(words.join(" "))
            }
            Item::BadAmount(_) => {
                r.problems.push(problem(Why::BadAmount));
                return;
            }
            Item::Postpone(when) => ChangeValue::Postpone {
                requested: when.clone(),
                note: tr!(
                    money.language,
                    "Demande de report (par courriel)\u{a0}: {when}",
                    "Postponement request (by e-mail): {when}"
                ),
            },
            Item::PostponeWithoutYear(when) => {
                r.questions.push(Asked {
                    task: Some(task.clone()),
                    line: l.text.clone(),
                    ask: Ask::Year(when.clone()),
                });
                return;
            }
            Item::Courtesy => continue,
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
    r.changes
        .extend(line_changes.into_iter().map(|value| Change {
            task: task.clone(),
            value,
        }));
}

/// `12 Ko`, `1,5 Mo` (`KB`, `MB` in English).
fn file_size(lang: Lang, bytes: usize) -> String {
    let (k, m) = match lang {
        Lang::Fr => ("Ko", "Mo"),
        Lang::En => ("KB", "MB"),
    };
    if bytes < 1024 * 1024 {
        format!("{}\u{a0}{k}", bytes.div_ceil(1024))
    } else {
        let v = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
        let v = match lang {
            Lang::Fr => v.replace('.', ","),
            Lang::En => v,
        };
        format!("{v}\u{a0}{m}")
    }
}

/// `Re: <subject>`, unless it is one already.
fn answer_subject(lang: Lang, subject: &str) -> String {
    // Any length may come in; what goes out is one sane line (`mail::subject_line`), with
    // `RE: Re: TR: …` once: every reply or forward prefix off, then one `Re: `.
    let line = crate::mail::subject_line(subject);
    let mut s = line.trim();
    'strip: loop {
        let f = crate::text::fold(s);
        for p in [
            "re:", "re :", "tr:", "tr :", "fw:", "fwd:", "aw:", "sv:", "ref:", "ref :",
        ] {
            if f.starts_with(p) {
                let at = s.char_indices().nth(p.len()).map_or(s.len(), |(i, _)| i);
                s = s[at..].trim_start();
                continue 'strip;
            }
        }
        break;
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

/// A status in words: the one vocabulary of cnrm (`Status::label`), so a member is told
/// « terminée » like everyone else.
fn status_word(lang: Lang, s: Status) -> String {
    s.label(lang).to_string()
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
        Why::Negative => tr!(
            lang,
            "un avancement ou un montant ne peut pas être négatif\u{a0}; rien n'a été enregistré pour cette ligne",
            "a progress or an amount cannot be negative; nothing was recorded for this line"
        ),
        Why::FutureDay => tr!(
            lang,
            "la date indiquée est postérieure à aujourd'hui (pour un jour passé, par exemple «\u{a0}fait le 12/03\u{a0}»)",
            "the day given is after today (for a past day, for example \u{201c}done on 2026-03-12\u{201d})"
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
        ChangeValue::Status(s, day) => {
            let mut extra = if *s == Status::Done {
                tr!(lang, " (avancement 100\u{a0}%)", " (progress 100%)")
            } else {
                String::new()
            };
            if let Some(d) = day {
                let d = d.format("%d/%m/%Y");
                extra.push_str(&tr!(lang, ", le {d}", ", on {d}"));
            }
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

/// A task's state once the changes are made: `statut : en cours · avancement : 40 %`.
fn state_after(lang: Lang, t: &ReplyTask, changes: &[Change]) -> String {
    let mut status = t.status;
    let mut progress = t.progress;
    for c in changes.iter().filter(|c| c.task == t.id) {
        match &c.value {
            ChangeValue::Status(s, _) => {
                status = *s;
                if *s == Status::Done {
                    progress = 100;
                }
            }
            ChangeValue::Progress(p) => progress = *p,
            _ => {}
        }
    }
    let c_ = colon(lang);
    let due = t
        .deadline
        .map(|d| crate::mail::deadline_words(lang, d, &t.deadline_label))
        .map(|d| tr!(lang, " · échéance{c_}{d}", " · deadline{c_}{d}"))
        .unwrap_or_default();
    match lang {
        Lang::Fr => format!(
            "désormais{c_}{} · avancement {progress}\u{a0}%{due}",
            status_word(lang, status)
        ),
        Lang::En => format!(
            "now{c_}{} · progress {progress}%{due}",
            status_word(lang, status)
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
    reading: &Reading,
    questions: &[Question],
) -> String {
    let (changes, problems) = (&reading.changes, &reading.problems);
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
    if changes.is_empty() && !questions.is_empty() {
        out.push_str(&tr!(
            lang,
            "Nous avons lu votre message {subject}. Avant d'enregistrer quoi que ce soit, nous avons besoin d'une précision.\n",
            "We read your message {subject}. Before recording anything, we need you to tell us more.\n"
        ));
    } else if changes.is_empty() {
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
            if let Some(t) = tasks.iter().find(|t| t.id == c.task) {
                out.push_str(&format!("  → {}\n", state_after(lang, t, changes)));
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
    if !questions.is_empty() {
        out.push_str(&tr!(
            lang,
            "\nÀ préciser (rien n'a été enregistré pour ces lignes)\u{a0}:\n",
            "\nTo clarify (nothing was recorded for these lines):\n"
        ));
        for q in questions {
            out.push_str(&format!(
                "  {}{}{}\n",
                quoted(lang, &q.line),
                colon(lang),
                q.question
            ));
        }
    }
    if !m.attachments.is_empty() {
        let list: Vec<String> = m
            .attachments
            .iter()
            .map(|(name, size)| format!("{name} ({})", file_size(lang, *size)))
            .collect();
        out.push_str(&tr!(
            lang,
            "\nPièces jointes reçues\u{a0}: {}.\n",
            "\nAttachments received: {}.\n",
            list.join(", ")
        ));
    }
    if reading.unread > 0 {
        let n = reading.unread;
        out.push_str(&match (lang, n) {
            (Lang::Fr, 1) => format!("\nVotre message dépasse {MAX_LINES} lignes\u{a0}: la dernière n'a pas été lue.\n"),
            (Lang::Fr, _) => format!("\nVotre message dépasse {MAX_LINES} lignes\u{a0}: les {n} dernières n'ont pas été lues.\n"),
            (Lang::En, 1) => format!("\nYour message is longer than {MAX_LINES} lines: the last one was not read.\n"),
            (Lang::En, _) => format!("\nYour message is longer than {MAX_LINES} lines: the last {n} were not read.\n"),
        });
    }
    if reading.below_quote {
        out.push_str(&tr!(
            lang,
            "\nVotre réponse était écrite sous le message cité\u{a0}; nous l'avons lue, mais la prochaine fois, écrivez-la au-dessus, avant le message d'origine.\n",
            "\nYour answer was written below the quoted message; we read it, but next time please write above the original message.\n"
        ));
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
