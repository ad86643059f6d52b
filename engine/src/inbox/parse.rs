//! Reading an RFC 5322 message with `mail-parser`: the headers that matter to a reply, and its
//! text (the plain part, else the HTML part as text, quoted `<blockquote>`s dropped). Charsets
//! (UTF-8, Windows-1252, ISO-8859-1, ...) and transfer encodings are mail-parser's.

use super::read::html_to_text;
use mail_parser::{HeaderValue, MessageParser, MimeHeaders, PartType};

/// A message larger than this is not read past its headers (it is recorded, not applied).
pub const MAX_SIZE: usize = 50 * 1024 * 1024;

/// The most of a body kept and read, in characters (a reply is a few lines); a longer one is cut
/// here and its answer says so (`Incoming::cut`).
pub const MAX_TEXT: usize = 100_000;

/// What a reply is judged by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Incoming {
    /// With angle brackets; `None` when the message has none.
    pub message_id: Option<String>,
    /// The `From` address, lower case.
    pub from: Option<String>,
    pub subject: String,
    /// The `Date` header, RFC 3339.
    pub date: Option<String>,
    /// With angle brackets.
    pub in_reply_to: Vec<String>,
    /// With angle brackets, in header order.
    pub references: Vec<String>,
    /// `To`, `Cc`, `Delivered-To`, `X-Original-To`, `Envelope-To` addresses.
    pub addressed_to: Vec<String>,
    /// An out-of-office or other robot's message.
    pub automatic: bool,
    /// The body as text.
    pub text: String,
    /// The body was longer than [`MAX_TEXT`]: only its beginning is in `text`.
    pub cut: bool,
    /// How many addresses `From` holds (a reply has one).
    pub senders: usize,
    /// The `Authentication-Results` headers, topmost (the receiving server's) first.
    pub authentication: Vec<String>,
    /// Files attached: name and size in bytes.
    pub attachments: Vec<(String, usize)>,
}

/// Out-of-office phrases, found in the first lines of a body (folded).
const AWAY_PHRASES: &[&str] = &[
    "je suis absent",
    "je suis actuellement absent",
    "je serai absent",
    "absent du bureau",
    "absente du bureau",
    "en conge jusqu",
    "en mission jusqu",
    "hors du bureau",
    "i am out of the office",
    "i am currently out of the office",
    "i'm out of the office",
    "i will be out of the office",
    "i am away",
    "out of office until",
    "on leave until",
    "with limited access to e-mail",
    "with limited access to email",
    "acces limite a mes courriels",
    "acces limite a ma messagerie",
];

/// True for a body whose first lines say its writer is away.
fn away(text: &str) -> bool {
    let head: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    let f = crate::text::fold(&head);
    AWAY_PHRASES.iter().any(|p| f.contains(p))
}

/// Whether the receiving server named `authserv` found the message failing DMARC or SPF: the
/// topmost `Authentication-Results` header only, and only when it is that server's.
pub fn authentication_failed(headers: &[String], authserv: &str) -> bool {
    let Some(top) = headers.first() else {
        return false;
    };
    let top = top.to_ascii_lowercase();
    let id = top.split(';').next().unwrap_or_default().trim();
    let id = id.split_whitespace().next().unwrap_or_default();
    if !id.eq_ignore_ascii_case(authserv.trim()) {
        return false;
    }
    top.split(';').skip(1).any(|clause| {
        let c: String = clause.split_whitespace().collect::<Vec<_>>().join(" ");
        c.starts_with("dmarc=fail") || c.starts_with("spf=fail")
    })
}

/// Replaces, in place, what no database stores as text (NUL: PostgreSQL refuses it) and the
/// other control characters (tab and line breaks kept) by U+FFFD; how many were replaced.
pub fn make_storable(text: &mut String) -> usize {
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    let n = text.chars().filter(|c| bad(*c)).count();
    if n > 0 {
        *text = text
            .chars()
            .map(|c| if bad(c) { '\u{fffd}' } else { c })
            .collect();
    }
    n
}

impl Incoming {
    /// Makes every text storable ([`make_storable`]); how many characters were replaced.
    pub fn make_storable(&mut self) -> usize {
        let mut n = 0;
        for t in [&mut self.subject, &mut self.text] {
            n += make_storable(t);
        }
        for t in [&mut self.message_id, &mut self.from, &mut self.date]
            .into_iter()
            .flatten()
        {
            n += make_storable(t);
        }
        for (name, _) in &mut self.attachments {
            n += make_storable(name);
        }
        for list in [
            &mut self.in_reply_to,
            &mut self.references,
            &mut self.addressed_to,
            &mut self.authentication,
        ] {
            for t in list.iter_mut() {
                n += make_storable(t);
            }
        }
        n
    }
}

fn bracketed(id: &str) -> String {
    format!(
        "<{}>",
        id.trim().trim_start_matches('<').trim_end_matches('>')
    )
}

fn ids(v: &HeaderValue<'_>) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => t.split_whitespace().map(bracketed).collect(),
        HeaderValue::TextList(l) => l.iter().map(|t| bracketed(t)).collect(),
        _ => Vec::new(),
    }
}

/// Out-of-office subjects (folded, as they start).
const AUTOMATIC_SUBJECTS: &[&str] = &[
    "reponse automatique",
    "absence du bureau",
    "absent du bureau",
    "automatic reply",
    "autoreply",
    "auto-reply",
    "out of office",
    "out of the office",
    "auto:",
    "absence :",
    "absence:",
];

/// Reads a message; `None` when the bytes are not one (nothing that looks like headers).
pub fn parse(raw: &[u8]) -> Option<Incoming> {
    // A message too large to be a reply: its headers only.
    let raw = if raw.len() > MAX_SIZE {
        let end = memchr::memmem::find(raw, b"\r\n\r\n")
            .or_else(|| memchr::memmem::find(raw, b"\n\n"))
            .unwrap_or(MAX_SIZE.min(raw.len()));
        &raw[..end.min(MAX_SIZE)]
    } else {
        raw
    };
    let message = MessageParser::default().parse(raw)?;
    if message.headers().is_empty() {
        return None;
    }
    let from = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@'));
    let senders = message.from().map_or(0, |a| {
        a.iter()
            .filter(|x| x.address().is_some_and(|s| s.contains('@')))
            .count()
    });
    let authentication: Vec<String> = message
        .headers_raw()
        .filter(|(n, _)| n.eq_ignore_ascii_case("Authentication-Results"))
        .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let attachments: Vec<(String, usize)> = message
        .attachments()
        .map(|a| {
            let name = a
                .attachment_name()
                .map(str::to_string)
                .unwrap_or_else(|| "(sans nom)".to_string());
            (name, a.contents().len())
        })
        .collect();
    // Delivery reports: a `multipart/report`, or a mail system's own address.
    let report = message.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let system = from.as_deref().is_some_and(|f| {
        let local = f.split('@').next().unwrap_or_default();
        ["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"].contains(&local)
    });
    let mut addressed_to = Vec::new();
    for list in [message.to(), message.cc()].into_iter().flatten() {
        for a in list.iter() {
            if let Some(addr) = a.address() {
                addressed_to.push(addr.trim().to_lowercase());
            }
        }
    }
    for (name, value) in message.headers_raw() {
        let name = name.to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "delivered-to" | "x-original-to" | "envelope-to" | "x-delivered-to"
        ) {
            let v = value.trim().trim_start_matches('<').trim_end_matches('>');
            addressed_to.push(v.to_lowercase());
        }
    }
    let raw_header = |name: &str| {
        message
            .headers_raw()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_ascii_lowercase())
    };
    let subject = message.subject().unwrap_or_default().trim().to_string();
    let folded_subject = crate::text::fold(&subject);
    let automatic = raw_header("Auto-Submitted").is_some_and(|v| !v.starts_with("no"))
        || raw_header("X-Autoreply").is_some()
        || raw_header("X-Autorespond").is_some()
        || raw_header("X-Autoresponder").is_some()
        || raw_header("Precedence").is_some_and(|v| {
            ["bulk", "junk", "list", "auto_reply"]
                .iter()
                .any(|p| v.trim() == *p)
        })
        || AUTOMATIC_SUBJECTS
            .iter()
            .any(|s| folded_subject.starts_with(s));
    // The first plain-text body, else the first HTML one read as text.
    let mut text = None;
    for part in message.text_bodies() {
        if let PartType::Text(t) = &part.body {
            text = Some(t.to_string());
            break;
        }
    }
    let text = text.or_else(|| {
        message.html_bodies().find_map(|part| match &part.body {
            PartType::Html(h) => Some(html_to_text(h)),
            _ => None,
        })
    });
    let mut text = text.unwrap_or_default();
    let end = text.char_indices().nth(MAX_TEXT).map(|(at, _)| at);
    if let Some(at) = end {
        text.truncate(at);
    }
    let cut = end.is_some();
    let automatic = automatic || report || system || away(&text);
    Some(Incoming {
        message_id: message.message_id().map(bracketed),
        from,
        subject,
        date: message.date().map(|d| d.to_rfc3339()),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        addressed_to,
        automatic,
        text: text.replace("\r\n", "\n"),
        cut,
        senders,
        authentication,
        attachments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_windows_1252_reply_is_read_in_its_charset() {
        let mut raw = b"From: DGME <DGME@example.ml>\r\nTo: cnrm-retours+abcdefghijklmnopqrstuvwxyz@example.ml\r\nMessage-ID: <r1@example.ml>\r\nIn-Reply-To: <tok@cnrm.local>\r\nReferences: <a@x> <tok@cnrm.local>\r\nSubject: =?windows-1252?Q?RE=A0:_Rappel?=\r\nContent-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\n1 : termin".to_vec();
        raw.push(0xe9); // é in Windows-1252
        raw.extend_from_slice(b"\r\n");
        let m = parse(&raw).expect("message");
        assert_eq!(m.text.trim(), "1 : terminé");
        assert_eq!(m.from.as_deref(), Some("dgme@example.ml"));
        assert_eq!(m.message_id.as_deref(), Some("<r1@example.ml>"));
        assert_eq!(m.in_reply_to, ["<tok@cnrm.local>"]);
        assert_eq!(m.references, ["<a@x>", "<tok@cnrm.local>"]);
        assert!(m
            .addressed_to
            .contains(&"cnrm-retours+abcdefghijklmnopqrstuvwxyz@example.ml".to_string()));
        assert!(!m.automatic);
    }

    #[test]
    fn robots_are_recognised() {
        for head in [
            "Auto-Submitted: auto-replied",
            "X-Autoreply: yes",
            "Precedence: bulk",
            "Subject: Réponse automatique : absent",
            "Subject: Out of Office: back Monday",
        ] {
            let raw = format!("From: a@b.ml\r\nMessage-ID: <x@y>\r\n{head}\r\n\r\nbody\r\n");
            assert!(parse(raw.as_bytes()).expect("message").automatic, "{head}");
        }
        let raw = "From: a@b.ml\r\nAuto-Submitted: no\r\nSubject: RE: Rappel\r\n\r\nfait\r\n";
        assert!(!parse(raw.as_bytes()).expect("message").automatic);
    }

    #[test]
    fn nul_bytes_anywhere_are_replaced_and_counted() {
        // In the body, in the subject as an encoded word, and as `&#0;` in HTML.
        let raw = b"From: a@b.ml\r\nMessage-ID: <n\x00ul@b.ml>\r\nSubject: =?utf-8?Q?RE_=00_Rappel?=\r\n\r\n1 : fait\x00\r\n";
        let mut m = parse(raw).expect("message");
        let n = m.make_storable();
        assert!(n >= 2, "{n}");
        for t in [&m.subject, &m.text, m.message_id.as_ref().expect("id")] {
            assert!(!t.contains('\0'), "{t:?}");
        }
        assert!(m.text.contains("1 : fait\u{fffd}"), "{:?}", m.text);
        let raw =
            "From: a@b.ml\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>1 : fait&#0;</p>\r\n";
        let mut m = parse(raw.as_bytes()).expect("message");
        m.make_storable();
        assert!(!m.text.contains('\0'), "{:?}", m.text);
        let mut clean = String::from("1 : fait\n\tnote é");
        assert_eq!(make_storable(&mut clean), 0);
        assert_eq!(clean, "1 : fait\n\tnote é");
    }

    #[test]
    fn html_only_replies_are_read_as_text() {
        let raw = "From: a@b.ml\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>1 : fait</p><blockquote>2 : fait</blockquote>\r\n";
        let m = parse(raw.as_bytes()).expect("message");
        assert_eq!(m.text.trim(), "1 : fait");
    }
}
