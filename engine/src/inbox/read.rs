//! What a member wrote: the quoted original and the signature cut away, then each line read as
//! an instruction (`mail-replies.md`, "What is read"). Pure functions, unit-tested here.

use crate::text::fold;
use crate::workflow::Status;

/// An HTML body as text: `<blockquote>` (quoted text) dropped, the rest's tags removed, line
/// breaks where blocks end, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // Depth of elements whose content is dropped (blockquote, head, style, script).
    let mut hidden = 0usize;
    while let Some(lt) = rest.find('<') {
        if hidden == 0 {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after[..gt].trim();
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "blockquote" | "head" | "style" | "script" | "title" => {
                if closing {
                    hidden = hidden.saturating_sub(1);
                } else if !tag.ends_with('/') {
                    hidden += 1;
                }
            }
            "br" | "p" | "div" | "li" | "tr" | "hr" | "h1" | "h2" | "h3" | "h4" | "table"
            | "ul" | "ol" | "pre"
                if hidden == 0 =>
            {
                out.push('\n');
                if name == "hr" {
                    // Outlook's HTML puts a rule where its text has the line of underscores.
                    out.push_str("________________________________\n");
                }
            }
            _ => {}
        }
    }
    if hidden == 0 {
        out.push_str(&decode_entities(rest));
    }
    out
}

/// `&amp;`, `&nbsp;`, `&#233;`, `&#xE9;` and the named entities of French text.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.replace(['\r', '\n'], " ");
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            if let Some(num) = name.strip_prefix('#') {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                return code.and_then(char::from_u32).map(String::from);
            }
            let c = match name {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" | "rsquo" | "lsquo" => "'",
                "nbsp" => "\u{a0}",
                "eacute" => "é",
                "egrave" => "è",
                "ecirc" => "ê",
                "agrave" => "à",
                "acirc" => "â",
                "ccedil" => "ç",
                "ocirc" => "ô",
                "ucirc" => "û",
                "ugrave" => "ù",
                "icirc" => "î",
                "iuml" => "ï",
                "euml" => "ë",
                "Eacute" => "É",
                "Agrave" => "À",
                "euro" => "€",
                "laquo" => "«",
                "raquo" => "»",
                "ndash" => "–",
                "mdash" => "—",
                "hellip" => "…",
                _ => return None,
            };
            Some(c.to_string())
        });
        match (decoded, end) {
            (Some(d), Some(e)) => {
                out.push_str(&d);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace(['\r', '\n'], " ")
}

/// A line as compared: folded (case and accents), spaces collapsed, non-breaking ones too.
fn norm(line: &str) -> String {
    fold(line)
        .replace(['\u{a0}', '\u{202f}', '\t'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// True for a reply header that opens the quoted original: `Le … a écrit :`, `On … wrote:`.
fn opens_quote(folded: &str) -> bool {
    let f = folded.trim_end();
    (f.starts_with("le ") || f.starts_with("on ") || f.contains(" a ecrit") || f.contains(" wrote"))
        && (f.ends_with("a ecrit :")
            || f.ends_with("a ecrit:")
            || f.ends_with("a ecrit")
            || f.ends_with("wrote:")
            || f.ends_with("wrote :"))
}

/// The first words of an Outlook header block, and of the line that follows `De :`.
fn outlook_from(f: &str) -> bool {
    f.starts_with("de :")
        || f.starts_with("de:")
        || f.starts_with("from:")
        || f.starts_with("from :")
}

fn outlook_sent(f: &str) -> bool {
    ["envoye :", "envoye:", "sent:", "sent :", "date :", "date:"]
        .iter()
        .any(|p| f.starts_with(p))
}

/// Closing words: what follows them is a signature.
fn closing(f: &str) -> bool {
    let f = f.trim_end_matches(['.', ',', '!', ' ']);
    [
        "cordialement",
        "bien cordialement",
        "tres cordialement",
        "bien a vous",
        "salutations",
        "sinceres salutations",
        "merci",
        "merci beaucoup",
        "merci d'avance",
        "bonne journee",
        "regards",
        "best regards",
        "kind regards",
        "best",
        "thanks",
        "thank you",
        "many thanks",
        "sincerely",
    ]
    .contains(&f)
        || f.starts_with("envoye de mon ")
        || f.starts_with("envoye depuis ")
        || f.starts_with("sent from my ")
        || f.starts_with("get outlook for")
        || [
            "tel", "tel.", "tél", "mobile", "portable", "fax", "phone", "cell",
        ]
        .iter()
        .any(|w| {
            f.starts_with(&format!("{w} :"))
                || f.starts_with(&format!("{w}:"))
                || f.starts_with(&format!("{w} +"))
        })
        || f.starts_with("obtenir outlook pour")
}

/// A greeting that opens a message (`Bonjour,`, `Hello Madam,`): not an instruction.
fn greeting(f: &str) -> bool {
    let f = f.trim_end_matches(['.', ',', '!', ' ']);
    f.chars().count() <= 40
        && !f.contains(':')
        && [
            "bonjour", "bonsoir", "hello", "hi", "dear", "madame", "monsieur", "cher", "chere",
        ]
        .iter()
        .any(|g| f == *g || f.starts_with(&format!("{g} ")) || f.starts_with(&format!("{g},")))
}

/// The member's own words: every line before the quoted original, the signature or our own
/// message's text (a client that quotes without marks), without `>` lines and greetings.
/// `original` is the text of the message answered.
/// `ids` are the tasks the original listed: its lines that read as instructions (the examples of
/// its "how to answer" block) are not used to recognise it, since a member may write the same.
pub fn own_words(text: &str, original: &str, ids: &[String]) -> Vec<String> {
    let ours: std::collections::HashSet<String> = original
        .lines()
        .filter(|l| {
            let read = read_line(l, ids);
            read.task == TaskRef::Unnamed
                && read.items.iter().all(|i| matches!(i, Item::Unknown(_)))
        })
        .map(norm)
        .filter(|l| l.chars().count() >= 12)
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line == "-- " || line.trim() == "--" {
            break;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('>') {
            continue;
        }
        let f = norm(trimmed);
        // A reply header may be wrapped over two or three lines, never across a blank one
        // (`on verra demain`, a blank line, then `Le … a écrit :` is a member's line, then the
        // header).
        let joined = |n: usize| {
            lines[i..lines.len().min(i + n)]
                .iter()
                .map(|l| norm(l))
                .take_while(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if opens_quote(&f)
            || ((f.starts_with("le ") || f.starts_with("on "))
                && (opens_quote(&joined(2)) || opens_quote(&joined(3))))
        {
            break;
        }
        if trimmed.len() >= 10 && trimmed.chars().all(|c| c == '_') {
            break;
        }
        if f.starts_with("---")
            && ["message", "mail", "original", "origine"]
                .iter()
                .any(|w| f.contains(w))
        {
            break;
        }
        if outlook_from(&f) {
            let next: Vec<String> = lines[i + 1..lines.len().min(i + 4)]
                .iter()
                .map(|l| norm(l))
                .collect();
            if next.iter().any(|n| outlook_sent(n)) {
                break;
            }
        }
        if closing(&f) || ours.contains(&f) {
            break;
        }
        if f.is_empty() || (out.is_empty() && greeting(&f)) {
            continue;
        }
        out.push(trimmed.replace(['\u{a0}', '\u{202f}'], " "));
    }
    out
}

/// Which task a line names.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskRef {
    /// None named.
    Unnamed,
    /// The task with this number in the message, or with this id.
    Task(String),
    /// A number the message did not list.
    NoSuchNumber(usize),
}

/// One instruction.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Status(Status, Option<String>),
    Progress(i64),
    /// A progress outside 0-100.
    ProgressOutOfRange(i64),
    Note(String),
    Spent(f64, Option<String>),
    /// `dépensé` with an amount that is not one.
    BadAmount(String),
    /// `dépensé -2 500 000`: a spending is positive (a minus sign is never dropped).
    NegativeAmount(String),
    Postpone(String),
    /// Words that are none of the above.
    Unknown(String),
}

/// One line read: the task it names and its instructions (`;`-separated).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub task: TaskRef,
    pub items: Vec<Item>,
}

/// Reads one line of a reply to a message that listed `ids` (in order: number `n` is
/// `ids[n - 1]`).
pub fn read_line(line: &str, ids: &[String]) -> Line {
    let (task, rest) = task_prefix(line, ids);
    let mut items = Vec::new();
    // `;` separates instructions; so does `,` when what follows it is one
    // (`en cours, avancement 40`), not when it is a reason (`bloqué, en attente des fonds`).
    let mut segments: Vec<&str> = Vec::new();
    for seg in rest.split(';') {
        let pieces: Vec<&str> = seg.split(',').collect();
        let all_known = pieces.len() > 1
            && pieces[1..].iter().all(|p| {
                !matches!(read_item(p), Item::Unknown(_) | Item::Note(_)) && !p.trim().is_empty()
            });
        if all_known {
            segments.extend(pieces);
        } else {
            segments.push(seg);
        }
    }
    let mut k = 0;
    while k < segments.len() {
        let seg = segments[k].trim();
        k += 1;
        if seg.is_empty() {
            continue;
        }
        let item = read_item(seg);
        if let Item::Note(text) = &item {
            // A note holds the rest of the line, semicolons included.
            let mut note = text.clone();
            for more in &segments[k..] {
                note.push_str("; ");
                note.push_str(more.trim());
            }
            items.push(Item::Note(note.trim_end_matches("; ").to_string()));
            break;
        }
        items.push(item);
    }
    Line {
        text: line.trim().to_string(),
        task,
        items,
    }
}

/// The separator after a task's number or id: `:`, `-`, `–`, `—`, `.` or `)`.
fn after_separator(s: &str, allow_space: bool) -> Option<&str> {
    let t = s.trim_start();
    for sep in [":", "-", "–", "—", ".", ")", "="] {
        if let Some(rest) = t.strip_prefix(sep) {
            return Some(without_separators(rest));
        }
    }
    (allow_space && s.starts_with(' ')).then_some(t)
}

/// `s` without the colons, dashes and spaces it starts with, except a dash that is the minus
/// sign of a number (`1 : -5 %` keeps `-5 %`, to be refused rather than read as 5).
fn without_separators(s: &str) -> &str {
    let mut s = s;
    loop {
        let t = s.trim_start_matches([':', ' ']);
        match t.strip_prefix('-') {
            Some(after) if !after.starts_with(|c: char| c.is_ascii_digit()) => s = after,
            _ => return t,
        }
    }
}

fn task_prefix<'a>(line: &'a str, ids: &[String]) -> (TaskRef, &'a str) {
    let mut t = line.trim();
    // `Tâche 2 :`, `task 2:`, `#2`.
    let lower = fold(t);
    for word in ["tache ", "task ", "#", "n°", "no ", "numero "] {
        if lower.starts_with(word) && t.is_char_boundary(word.len() + 1) {
            let skip = t
                .char_indices()
                .nth(word.chars().count())
                .map_or(t.len(), |(i, _)| i);
            t = t[skip..].trim_start();
            break;
        }
    }
    // An id of the message, longest first (`a1` is a prefix of `a10`).
    let mut by_length: Vec<&String> = ids.iter().collect();
    by_length.sort_by_key(|id| std::cmp::Reverse(id.len()));
    for id in by_length {
        if t.len() >= id.len()
            && t.is_char_boundary(id.len())
            && t[..id.len()].eq_ignore_ascii_case(id)
        {
            if let Some(rest) = after_separator(&t[id.len()..], true) {
                return (TaskRef::Task(id.clone()), rest);
            }
        }
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() <= 4 {
        let after = &t[digits.len()..];
        let n: usize = digits.parse().unwrap_or(0);
        let with_sep = after_separator(after, false);
        // `1 fait`: a number then a space, when what follows reads as an instruction.
        let spaced = (with_sep.is_none() && after.starts_with(' '))
            .then(|| after.trim_start())
            .filter(|rest| !matches!(read_item(rest), Item::Unknown(_)))
            .filter(|rest| !rest.starts_with('%'));
        // `60 %`, `2 500 000` are values, not task numbers.
        let is_value = after.trim_start().starts_with('%')
            || after.trim_start().starts_with(|c: char| c.is_ascii_digit());
        if let Some(rest) = with_sep.or(spaced).filter(|_| !is_value) {
            return match n.checked_sub(1).and_then(|i| ids.get(i)) {
                Some(id) => (TaskRef::Task(id.clone()), rest),
                None => (TaskRef::NoSuchNumber(n), rest),
            };
        }
    }
    (TaskRef::Unnamed, line.trim())
}

/// `statut : fait` → `fait`.
fn without_label(f: &str) -> &str {
    for label in ["statut", "status", "etat", "state"] {
        if let Some(rest) = f.strip_prefix(label) {
            if let Some(r) = rest.trim_start().strip_prefix([':', '-', '=']) {
                return r.trim_start();
            }
        }
    }
    f
}

/// `word` at the start of `f`, then the end or a non-letter.
fn starts_word<'a>(f: &'a str, word: &str) -> Option<&'a str> {
    let rest = f.strip_prefix(word)?;
    match rest.chars().next() {
        None => Some(rest),
        Some(c) if !c.is_alphanumeric() => Some(rest),
        _ => None,
    }
}

/// What follows a keyword: its separator and spaces removed. A dash is a separator when a space
/// follows it (`avancement - 40`); before a digit it is a minus sign and is kept (`-5`), so that
/// a negative value is refused rather than read as a positive one.
fn value_after(rest: &str) -> &str {
    let v = rest
        .trim_start()
        .trim_start_matches([':', '='])
        .trim_start();
    match v.strip_prefix(['-', '–', '\u{2212}']) {
        Some(after) if !after.starts_with(|c: char| c.is_ascii_digit()) => {
            after.trim_start_matches([':', '-', '=', '–']).trim_start()
        }
        _ => v,
    }
}

/// The same text, in the member's own case and accents, from byte `start` of its folded form
/// (folding keeps the number of characters, except for `œ`/`æ`).
fn original_tail(original: &str, folded: &str, start: usize) -> String {
    let chars = folded[..start].chars().count();
    original
        .chars()
        .skip(chars)
        .collect::<String>()
        .trim()
        .to_string()
}

const STATUS_WORDS: &[(&str, Status)] = &[
    ("fait", Status::Done),
    ("faite", Status::Done),
    ("termine", Status::Done),
    ("terminee", Status::Done),
    ("acheve", Status::Done),
    ("achevee", Status::Done),
    ("realise", Status::Done),
    ("realisee", Status::Done),
    ("done", Status::Done),
    ("finished", Status::Done),
    ("completed", Status::Done),
    ("complete", Status::Done),
    ("en cours", Status::InProgress),
    ("commence", Status::InProgress),
    ("commencee", Status::InProgress),
    ("demarre", Status::InProgress),
    ("in progress", Status::InProgress),
    ("started", Status::InProgress),
    ("ongoing", Status::InProgress),
    ("suspendu", Status::Suspended),
    ("suspendue", Status::Suspended),
    ("suspended", Status::Suspended),
    ("on hold", Status::Suspended),
    ("annule", Status::Cancelled),
    ("annulee", Status::Cancelled),
    ("cancelled", Status::Cancelled),
    ("canceled", Status::Cancelled),
];

const BLOCKED_WORDS: &[&str] = &["bloque", "bloquee", "blocked"];

/// Reads one instruction (a line without its task, or a `;` segment).
pub fn read_item(segment: &str) -> Item {
    let original = segment
        .trim()
        .trim_end_matches(['.', '!', ',', ';', ' '])
        .to_string();
    let folded_all = fold(&original);
    let f = without_label(folded_all.trim());
    let offset = folded_all.len() - f.len();
    let tail = |start_in_f: usize| original_tail(&original, &folded_all, offset + start_in_f);

    // `C'est fait, merci`: a filler before, thanks after; never under a negation.
    let negated = [" pas", "pas ", "not ", "non ", "n'est", "isn't", "aucun"]
        .iter()
        .any(|n| f.contains(n));
    let bare = [
        "c'est ",
        "c est ",
        "la tache est ",
        "tache ",
        "it is ",
        "it's ",
        "now ",
    ]
    .iter()
    .find_map(|p| f.strip_prefix(p))
    .unwrap_or(f);
    for (word, status) in STATUS_WORDS {
        if f == *word {
            return Item::Status(*status, None);
        }
        if let Some(rest) = starts_word(bare, word).filter(|_| !negated) {
            let words = rest.trim_matches(|c: char| !c.is_alphanumeric());
            if ["", "merci", "thanks", "thank you", "merci beaucoup"].contains(&words) {
                return Item::Status(*status, None);
            }
            // `fait, rapport joint`: the status, and the rest as its note.
            if rest.trim_start().starts_with([',', ':', '-', '(', '–']) {
                let note = tail(f.len() - rest.len());
                let note = note
                    .trim_start_matches([',', ':', '-', '(', '–', ' '])
                    .trim_end_matches(')')
                    .trim();
                return Item::Status(*status, (!note.is_empty()).then(|| note.to_string()));
            }
        }
    }
    for word in BLOCKED_WORDS {
        if let Some(rest) = starts_word(f, word) {
            let reason = tail(f.len() - value_after(rest).len());
            let reason = reason.trim_start_matches([',', ':', '-', ' ']).trim();
            return Item::Status(
                Status::Blocked,
                (!reason.is_empty()).then(|| reason.to_string()),
            );
        }
    }
    for word in ["note", "commentaire", "comment", "remarque", "observation"] {
        if let Some(rest) = starts_word(f, word) {
            let text = tail(f.len() - value_after(rest).len());
            if !text.is_empty() {
                return Item::Note(text);
            }
        }
    }
    for word in [
        "nouvelle echeance",
        "new deadline",
        "report",
        "reporte",
        "reporter",
        "postpone",
        "postponed",
        "postponement",
    ] {
        if let Some(rest) = starts_word(f, word) {
            let value = value_after(rest);
            let value = value
                .strip_prefix("au ")
                .or_else(|| value.strip_prefix("a "))
                .or_else(|| value.strip_prefix("to "))
                .or_else(|| value.strip_prefix("until "))
                .unwrap_or(value);
            let text = tail(f.len() - value.len());
            if !text.is_empty() {
                return Item::Postpone(text);
            }
        }
    }
    for word in ["avancement", "progression", "progres", "progress", "avance"] {
        if let Some(rest) = starts_word(f, word) {
            let value = value_after(rest)
                .trim_start_matches("a ")
                .trim_start_matches("de ")
                .trim();
            if let Some(p) = percent(value) {
                return p;
            }
        }
    }
    if let Some(p) = percent(f) {
        return p;
    }
    for word in [
        "depense", "depenses", "spent", "spend", "decaisse", "depensee",
    ] {
        if let Some(rest) = starts_word(f, word) {
            let value = value_after(rest);
            let text = tail(f.len() - value.len());
            if text.starts_with(['-', '–', '\u{2212}']) {
                return Item::NegativeAmount(original.clone());
            }
            return match amount(&text) {
                Some((a, c)) => Item::Spent(a, c),
                None => Item::BadAmount(original.clone()),
            };
        }
    }
    Item::Unknown(original)
}

/// `60`, `60 %`, `60%`, `à 60 %`: a progress.
fn percent(value: &str) -> Option<Item> {
    let v = value.trim().trim_start_matches("a ").trim();
    // A minus sign written as a dash or as the typographic minus is still a minus sign.
    let v = match v.strip_prefix(['–', '\u{2212}']) {
        Some(rest) => format!("-{rest}"),
        None => v.to_string(),
    };
    let v = v.as_str();
    let digits: String = v
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    let rest = v[digits.len()..]
        .trim()
        .trim_start_matches('%')
        .trim()
        .trim_start_matches("pour cent")
        .trim_start_matches("percent")
        .trim();
    let done_words = [
        "",
        "realise",
        "realises",
        "realisee",
        "fait",
        "done",
        "complete",
        "completed",
        "d'avancement",
    ];
    if digits.is_empty() || !done_words.contains(&rest) {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    Some(if (0..=100).contains(&n) {
        Item::Progress(n)
    } else {
        Item::ProgressOutOfRange(n)
    })
}

/// `2 500 000 FCFA`, `2.500.000`, `2500000,50 EUR`, `1,200.50 USD`: an amount and its currency
/// (`None`: the plan's). FCFA and CFA are XOF, € is EUR, $ is USD.
pub fn amount(text: &str) -> Option<(f64, Option<String>)> {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|(_, c)| {
            !(c.is_ascii_digit() || matches!(c, ' ' | '.' | ',' | '\u{a0}' | '\u{202f}' | '\''))
        })
        .map_or(t.len(), |(i, _)| i);
    let number: String = t[..end]
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let unit = t[end..].trim().trim_end_matches('.');
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let grouped = |sep: char| {
        let parts: Vec<&str> = number.split(sep).collect();
        parts.len() > 1
            && (1..=3).contains(&parts[0].len())
            && parts[1..].iter().all(|p| p.len() == 3)
    };
    let value = match (number.contains('.'), number.contains(',')) {
        (true, true) => {
            let (dot, comma) = (number.rfind('.')?, number.rfind(',')?);
            if dot > comma {
                number.replace(',', "")
            } else {
                number.replace('.', "").replace(',', ".")
            }
        }
        (true, false) if grouped('.') => number.replace('.', ""),
        (false, true) if grouped(',') => number.replace(',', ""),
        (false, true) => number.replace(',', "."),
        _ => number.clone(),
    };
    let amount: f64 = value.parse().ok()?;
    if !amount.is_finite() || amount <= 0.0 || amount > crate::plan::values::MAX_AMOUNT {
        return None;
    }
    let currency = match fold(unit).replace(' ', "").as_str() {
        "" => None,
        "fcfa" | "cfa" | "xof" | "f" | "francscfa" | "francs" | "fcfa." => Some("XOF".to_string()),
        "eur" | "euro" | "euros" | "€" => Some("EUR".to_string()),
        "usd" | "$" | "dollar" | "dollars" | "us$" => Some("USD".to_string()),
        u if u.len() == 3 && u.chars().all(|c| c.is_ascii_alphabetic()) => {
            Some(u.to_ascii_uppercase())
        }
        _ => return None,
    };
    Some((amount, currency))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<String> {
        vec!["axe-1.a1".into(), "axe-1.a2".into(), "axe-2.a3".into()]
    }

    fn read(line: &str) -> (TaskRef, Vec<Item>) {
        let l = read_line(line, &ids());
        (l.task, l.items)
    }

    fn task(id: &str) -> TaskRef {
        TaskRef::Task(id.into())
    }

    #[test]
    fn the_grammar_reads_french_and_english() {
        assert_eq!(
            read("1 : fait"),
            (task("axe-1.a1"), vec![Item::Status(Status::Done, None)])
        );
        assert_eq!(
            read("2 - Terminé."),
            (task("axe-1.a2"), vec![Item::Status(Status::Done, None)])
        );
        assert_eq!(
            read("3. done"),
            (task("axe-2.a3"), vec![Item::Status(Status::Done, None)])
        );
        assert_eq!(
            read("2 : avancement 60 %"),
            (task("axe-1.a2"), vec![Item::Progress(60)])
        );
        assert_eq!(read("2: 60%"), (task("axe-1.a2"), vec![Item::Progress(60)]));
        assert_eq!(
            read("1 : progress 45"),
            (task("axe-1.a1"), vec![Item::Progress(45)])
        );
        assert_eq!(
            read("1 : avancement 150"),
            (task("axe-1.a1"), vec![Item::ProgressOutOfRange(150)]),
        );
        // A minus sign is never dropped: the value is refused, not read as positive.
        assert_eq!(
            read("1 : avancement -5 %"),
            (task("axe-1.a1"), vec![Item::ProgressOutOfRange(-5)])
        );
        assert_eq!(
            read("1 : avancement : \u{2212}5"),
            (task("axe-1.a1"), vec![Item::ProgressOutOfRange(-5)])
        );
        assert_eq!(
            read("1 : -5 %"),
            (task("axe-1.a1"), vec![Item::ProgressOutOfRange(-5)])
        );
        assert_eq!(
            read("1 : avancement - 40 %"),
            (task("axe-1.a1"), vec![Item::Progress(40)])
        );
        assert_eq!(
            read("1 : dépensé -2 500 000 FCFA"),
            (
                task("axe-1.a1"),
                vec![Item::NegativeAmount("dépensé -2 500 000 FCFA".into())]
            )
        );
        assert_eq!(
            read("1 : dépensé : -2 500 000 FCFA").1,
            vec![Item::NegativeAmount("dépensé : -2 500 000 FCFA".into())]
        );
        assert_eq!(
            read("AXE-2.A3 : bloqué, en attente des fonds"),
            (
                task("axe-2.a3"),
                vec![Item::Status(
                    Status::Blocked,
                    Some("en attente des fonds".into())
                )]
            )
        );
        assert_eq!(
            read("axe-1.a1 - en cours"),
            (
                task("axe-1.a1"),
                vec![Item::Status(Status::InProgress, None)]
            )
        );
        assert_eq!(
            read("2 : en cours ; avancement 40"),
            (
                task("axe-1.a2"),
                vec![Item::Status(Status::InProgress, None), Item::Progress(40)]
            )
        );
        assert_eq!(
            read("1 : dépensé 2 500 000 FCFA"),
            (
                task("axe-1.a1"),
                vec![Item::Spent(2_500_000.0, Some("XOF".into()))]
            )
        );
        assert_eq!(
            read("2: spent 1,200.50 EUR"),
            (
                task("axe-1.a2"),
                vec![Item::Spent(1200.5, Some("EUR".into()))]
            )
        );
        assert_eq!(
            read("1 : note : Réunion tenue ; compte rendu à venir"),
            (
                task("axe-1.a1"),
                vec![Item::Note("Réunion tenue; compte rendu à venir".into())]
            )
        );
        assert_eq!(
            read("3 : report : T1 2026"),
            (task("axe-2.a3"), vec![Item::Postpone("T1 2026".into())])
        );
        assert_eq!(
            read("3 : nouvelle échéance : 2026-03-31"),
            (task("axe-2.a3"), vec![Item::Postpone("2026-03-31".into())])
        );
        assert_eq!(
            read("1: postpone: 2026-03-31"),
            (task("axe-1.a1"), vec![Item::Postpone("2026-03-31".into())])
        );
        assert_eq!(
            read("Suspendu"),
            (
                TaskRef::Unnamed,
                vec![Item::Status(Status::Suspended, None)]
            )
        );
        assert_eq!(
            read("annulé"),
            (
                TaskRef::Unnamed,
                vec![Item::Status(Status::Cancelled, None)]
            )
        );
        assert_eq!(
            read("statut : fait"),
            (TaskRef::Unnamed, vec![Item::Status(Status::Done, None)])
        );
        assert_eq!(read("60 %"), (TaskRef::Unnamed, vec![Item::Progress(60)]));
        assert_eq!(
            read("2 : 80 % réalisé"),
            (task("axe-1.a2"), vec![Item::Progress(80)])
        );
        assert_eq!(
            read("C'est fait, merci !"),
            (TaskRef::Unnamed, vec![Item::Status(Status::Done, None)])
        );
        assert_eq!(
            read("1 : Fait, rapport joint"),
            (
                task("axe-1.a1"),
                vec![Item::Status(Status::Done, Some("rapport joint".into()))]
            )
        );
        assert_eq!(
            read("2 - en cours, avancement 40 %"),
            (
                task("axe-1.a2"),
                vec![Item::Status(Status::InProgress, None), Item::Progress(40)]
            )
        );
        assert_eq!(
            read("N°3 : annulé"),
            (
                task("axe-2.a3"),
                vec![Item::Status(Status::Cancelled, None)]
            )
        );
        assert_eq!(
            read("1 : pas encore fait"),
            (
                task("axe-1.a1"),
                vec![Item::Unknown("pas encore fait".into())]
            )
        );
        assert_eq!(
            read("7 : fait"),
            (
                TaskRef::NoSuchNumber(7),
                vec![Item::Status(Status::Done, None)]
            )
        );
        assert_eq!(
            read("Tâche 2 : fait"),
            (task("axe-1.a2"), vec![Item::Status(Status::Done, None)])
        );
        assert_eq!(
            read("1 fait"),
            (task("axe-1.a1"), vec![Item::Status(Status::Done, None)])
        );
        assert_eq!(
            read("La réunion a eu lieu"),
            (
                TaskRef::Unnamed,
                vec![Item::Unknown("La réunion a eu lieu".into())]
            )
        );
        assert_eq!(
            read("2 : la salle est réservée"),
            (
                task("axe-1.a2"),
                vec![Item::Unknown("la salle est réservée".into())]
            )
        );
    }

    #[test]
    fn amounts_are_read_as_people_write_them() {
        assert_eq!(amount("2 500 000"), Some((2_500_000.0, None)));
        assert_eq!(
            amount("2.500.000 F CFA"),
            Some((2_500_000.0, Some("XOF".into())))
        );
        assert_eq!(
            amount("2500000,50 €"),
            Some((2_500_000.5, Some("EUR".into())))
        );
        assert_eq!(amount("1,5 USD"), Some((1.5, Some("USD".into()))));
        assert_eq!(amount("beaucoup"), None);
        assert_eq!(amount("0"), None);
    }

    #[test]
    fn quoted_text_and_signatures_are_cut() {
        let original = "Bonjour,\n\nVoici les tâches du plan « P » qui vous concernent (DGME) :\n\n1. axe-1.a1 — Adopter\n";
        let outlook = "1 : fait\r\n\r\n________________________________\r\nDe : Secrétariat CNRM <cnrm@example.ml>\r\nEnvoyé : mercredi 3 décembre 2026 10:00\r\nÀ : dgme@example.ml\r\nObjet : [CNRM] Rappel\r\n\r\n2 : fait\r\n";
        assert_eq!(own_words(outlook, original, &ids()), ["1 : fait"]);
        let gmail = "Bonjour,\n2 : avancement 60 %\n\nLe mer. 3 déc. 2026 à 10:00, Secrétariat CNRM <\ncnrm@example.ml> a écrit :\n> 1 : fait\n";
        assert_eq!(own_words(gmail, original, &ids()), ["2 : avancement 60 %"]);
        let thunderbird = "fait\n\nOn 12/3/26 10:00 AM, CNRM wrote:\n> Hello\n";
        assert_eq!(own_words(thunderbird, original, &ids()), ["fait"]);
        // A member's own line that starts like a header (`on …`) is kept when a blank line
        // separates it from the real header.
        let wrapped = "2 : fait\non verra demain\n\nLe 16 mars 2026 à 08:00, Secrétariat a écrit :\n> 1 : fait\n";
        assert_eq!(
            own_words(wrapped, original, &ids()),
            ["2 : fait", "on verra demain"]
        );
        let signed = "1 : fait\n-- \nAmadou Traoré\n2 : fait\n";
        assert_eq!(own_words(signed, original, &ids()), ["1 : fait"]);
        let phone = "1 : fait\nAmadou Traoré\nTél. : +223 20 22 00 00\n";
        assert_eq!(
            own_words(phone, original, &ids()),
            ["1 : fait", "Amadou Traoré"]
        );
        let polite = "Bonjour Madame,\n1 : fait\nCordialement,\nAmadou\n3 : fait";
        assert_eq!(own_words(polite, original, &ids()), ["1 : fait"]);
        // The examples of the original's "how to answer" block, written by the member.
        let how = format!("{original}Pour mettre à jour, répondez :\n  2 : avancement 60 %\n");
        assert_eq!(
            own_words("2 : avancement 60 %\n1 : fait", &how, &ids()),
            ["2 : avancement 60 %", "1 : fait"]
        );
        let unmarked =
            "1 : fait\n\nVoici les tâches du plan « P » qui vous concernent (DGME) :\n2 : fait\n";
        assert_eq!(own_words(unmarked, original, &ids()), ["1 : fait"]);
        let origin = "2: done\n-----Original Message-----\nFrom: x\n1: done";
        assert_eq!(own_words(origin, original, &ids()), ["2: done"]);
        let quoted = "> 1 : fait\n2 : fait";
        assert_eq!(own_words(quoted, original, &ids()), ["2 : fait"]);
    }

    #[test]
    fn outlook_html_replies_end_at_the_rule_before_the_header_block() {
        let html = "<html><body><div class=\"WordSection1\"><p class=\"MsoNormal\">2&nbsp;: fait<o:p></o:p></p></div><div id=\"appendonsend\"></div><hr style=\"display:inline-block;width:98%\"><div id=\"divRplyFwdMsg\"><font><b>De&nbsp;:</b> Secr&eacute;tariat CNRM<br><b>Envoy&eacute;&nbsp;:</b> mercredi<br></font></div><p>1 : annul&eacute;</p></body></html>";
        assert_eq!(own_words(&html_to_text(html), "", &ids()), ["2 : fait"]);
    }

    #[test]
    fn html_blockquotes_are_quoted_text() {
        let html = "<html><head><style>p{}</style></head><body><div dir=\"ltr\">1&nbsp;: fait<br>2 : avancement 40&nbsp;%</div><div class=\"gmail_quote\"><blockquote>1 : annulé<blockquote>x</blockquote>3 : fait</blockquote></div><p>R&eacute;union tenue</p></body></html>";
        let text = html_to_text(html);
        assert_eq!(
            own_words(&text, "", &ids()),
            ["1 : fait", "2 : avancement 40 %", "Réunion tenue"]
        );
    }
}
